"""PG205: a plan that deletes a secret a task definition still uses."""
from rulecase import fails, undecided
from test_pg204_registry_secret_value_shape import BREAK, creds_broken, creds_first, reg  # noqa: F401 (fixtures)


def test_fail_secret_deleted_new_finding(creds_broken):
    found = fails(creds_broken, "PG205")
    assert set(found) == {reg("doomed")}
    assert "this plan deletes secret `aws_secretsmanager_secret.doomed[0]`" in found[reg("doomed")]
    new = {(f.address, f.container): f.new for f in creds_broken.findings if f.rule_id == "PG205"}
    assert new == {reg("doomed"): True}


def test_pass_only_version_deleted_secret_kept(creds_broken):
    # The provider's delete cannot remove AWSCURRENT from a version, and a secret's only version
    # holds it: the value stays readable (AWS provider docs, aws_secretsmanager_secret_version).
    assert reg("lonely") not in fails(creds_broken, "PG205")


def test_pass_nothing_deleted_first_plan_and_kept_secrets(creds_first, creds_broken):
    assert fails(creds_first, "PG205") == {}
    for name in ("good", "bare", "nowhere", "west"):
        assert reg(name) not in fails(creds_broken, "PG205")


def test_pass_when_the_plan_deletes_nothing_even_with_unknown_container_definitions(creds_first, creds_broken):
    # a first plan deletes nothing: `cross` and `ecr_url`, whose container definitions are known only
    # after apply, cannot lose a secret either
    assert undecided(creds_first, "PG205") == {}
    from pullguard.rules.credentials.pg205_secret_deleted_by_plan import RULE

    passes = {o.address for o in RULE.check(creds_first.world.planned, None) if o.status == "pass"}
    assert {"aws_ecs_task_definition.cross", "aws_ecs_task_definition.ecr_url"} <= passes
    assert undecided(creds_broken, "PG205") == {}


def test_undecided_when_the_plan_deletes_a_secret_and_container_definitions_are_unknown(plans, tmp_path):
    result = _deleting(plans, tmp_path, "aws_secretsmanager_secret.app", "aws_secretsmanager_secret_version.app",
                       unknown_containers=('aws_ecs_task_definition.case["sec_managed"]',))
    assert set(undecided(result, "PG205")) == {('aws_ecs_task_definition.case["sec_managed"]', None)}
    assert set(fails(result, "PG205")) == {('aws_ecs_task_definition.case["sec_nosuffix"]', "app")}


def _deleting(plans, tmp_path, *addresses, unknown_containers=()):
    """The applied exec_iam plan, edited so that it deletes ``addresses`` (what a plan that drops
    them from the configuration shows: action delete, absent from the planned values), and, for the
    task definitions ``unknown_containers``, with container definitions known only after apply."""
    import json

    from pullguard.api import check_plan

    doc = json.loads(plans.second("exec_iam", plan_args=("-var", "keep_old_group=false")).read_text())
    for rc in doc["resource_changes"]:
        if rc["address"] in addresses:
            rc["change"].update(actions=["delete"], after=None, after_unknown={}, after_sensitive=False)
        if rc["address"] in unknown_containers:
            rc["change"]["after"].pop("container_definitions", None)
            rc["change"]["after_unknown"]["container_definitions"] = True
    root = doc["planned_values"]["root_module"]
    root["resources"] = [r for r in root["resources"] if r["address"] not in addresses]
    for r in root["resources"]:
        if r["address"] in unknown_containers:
            r["values"].pop("container_definitions", None)
    path = tmp_path / "deleted.json"
    path.write_text(json.dumps(doc))
    return check_plan(str(path))


def test_fail_ssm_parameter_deleted_while_secrets_read_it(plans, tmp_path):
    """aws_ssm_parameter.db (`/exec/db`) deleted while three task definitions read it by name in
    `secrets`: GetParameters fails (invalid parameters)."""
    result = _deleting(plans, tmp_path, "aws_ssm_parameter.db")
    found = fails(result, "PG205")
    cases = {'aws_ecs_task_definition.case["sec_managed"]', 'aws_ecs_task_definition.case["sec_ssm_bare"]',
             'aws_ecs_task_definition.case["sec_extern"]'}
    assert set(found) == {(a, "app") for a in cases}
    assert "this plan deletes SSM parameter `aws_ssm_parameter.db` (secret `DB_HOST`: /exec/db)" \
        in found[('aws_ecs_task_definition.case["sec_managed"]', "app")]
    assert all(f.new for f in result.findings if f.rule_id == "PG205")
    # PG702 does not report the deleted parameter again (it passes there: PG205 owns it)
    assert ('aws_ecs_task_definition.case["sec_managed"]', "app") not in fails(result, "PG702")
    assert ('aws_ecs_task_definition.case["sec_managed"]', "app") not in undecided(result, "PG702")


def test_fail_secret_deleted_while_secrets_name_it_by_partial_arn(plans, tmp_path):
    """`${local.sm}:exec/app:password::` is the secret's ARN without its random suffix (Secrets
    Manager resolves it by name): deleting aws_secretsmanager_secret.app breaks both readers."""
    result = _deleting(plans, tmp_path, "aws_secretsmanager_secret.app", "aws_secretsmanager_secret_version.app")
    found = fails(result, "PG205")
    assert set(found) == {('aws_ecs_task_definition.case["sec_managed"]', "app"),
                          ('aws_ecs_task_definition.case["sec_nosuffix"]', "app")}
    assert "this plan deletes secret `aws_secretsmanager_secret.app` (secret `DB_PASSWORD`: " \
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:exec/app:password::)" \
        in found[('aws_ecs_task_definition.case["sec_managed"]', "app")]


def _replacing(plans, tmp_path, address, new_name):
    """The creds_registry second plan, edited so that it replaces ``address`` by a secret named
    ``new_name`` (what a changed `name` shows: delete + create, the ARN known only after apply)."""
    import json

    from pullguard.api import check_plan

    doc = json.loads(plans.second("creds_registry", plan_args=BREAK).read_text())
    for rc in doc["resource_changes"]:
        if rc["address"] == address:
            after = {k: v for k, v in rc["change"]["before"].items() if k not in ("arn", "id")}
            rc["change"].update(actions=["delete", "create"], after=dict(after, name=new_name),
                                after_unknown={"arn": True, "id": True})
    for r in doc["planned_values"]["root_module"]["resources"]:
        if r["address"] == address:
            r["values"] = {k: v for k, v in r["values"].items() if k not in ("arn", "id")} | {"name": new_name}
    path = tmp_path / "replaced.json"
    path.write_text(json.dumps(doc))
    return check_plan(str(path))


def test_fail_secret_replaced_under_a_new_name_while_named_by_the_old_one(plans, tmp_path):
    """`creds/good` renamed `creds/good-v2` (replaced): the container still names `creds/good`, which
    the plan deletes; the replacement does not answer to it."""
    result = _replacing(plans, tmp_path, 'aws_secretsmanager_secret.case["good"]', "creds/good-v2")
    found = fails(result, "PG205")
    assert set(found) == {reg("doomed"), reg("good")}
    assert "this plan replaces secret `aws_secretsmanager_secret.case[\"good\"]` by one named `creds/good-v2` " \
        "(registry credentials: creds/good) while `aws_ecs_task_definition.registry` still refers to the old one" \
        in found[reg("good")]
    assert all(f.new for f in result.findings if f.rule_id == "PG205")


def test_pass_secret_replaced_under_the_same_name(plans, tmp_path):
    """Replaced with its name unchanged (a forced replacement that keeps `name`): the bare name
    resolves to the replacement."""
    result = _replacing(plans, tmp_path, 'aws_secretsmanager_secret.case["good"]', "creds/good")
    assert set(fails(result, "PG205")) == {reg("doomed")}
