"""PG205: a plan that deletes a secret a task definition still uses."""
from rulecase import fails, undecided
from test_pg204_registry_secret_value_shape import creds_broken, creds_first, reg  # noqa: F401 (fixtures)


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


def test_undecided_only_when_the_container_definitions_are_unknown(creds_first, creds_broken):
    assert set(undecided(creds_first, "PG205")) == {("aws_ecs_task_definition.cross", None),
                                                    ("aws_ecs_task_definition.ecr_url", None)}
    assert undecided(creds_broken, "PG205") == {}
