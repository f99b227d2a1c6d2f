"""PG205: a plan that deletes a secret (or its only version) a task definition still uses."""
from rulecase import fails, undecided
from test_pg204_registry_secret_value_shape import creds_broken, creds_first, reg  # noqa: F401 (fixtures)


def test_fail_secret_and_only_version_deleted_new_findings(creds_broken):
    found = fails(creds_broken, "PG205")
    assert set(found) == {reg("doomed"), reg("lonely")}
    assert "this plan deletes secret `aws_secretsmanager_secret.doomed[0]`" in found[reg("doomed")]
    assert ("this plan deletes `aws_secretsmanager_secret_version.case[\"lonely\"]`, the only version"
            in found[reg("lonely")])
    new = {(f.address, f.container): f.new for f in creds_broken.findings if f.rule_id == "PG205"}
    assert new == {reg("doomed"): True, reg("lonely"): True}


def test_pass_nothing_deleted_first_plan_and_kept_secrets(creds_first, creds_broken):
    assert fails(creds_first, "PG205") == {}
    for name in ("good", "bare", "nowhere", "west"):
        assert reg(name) not in fails(creds_broken, "PG205")


def test_undecided_only_when_the_container_definitions_are_unknown(creds_first, creds_broken):
    assert set(undecided(creds_first, "PG205")) == {("aws_ecs_task_definition.cross", None),
                                                    ("aws_ecs_task_definition.ecr_url", None)}
    assert undecided(creds_broken, "PG205") == {}
