"""PG203: a bare secret name resolves only in the task's own region and account."""
from rulecase import fails, undecided
from test_pg204_registry_secret_value_shape import creds_broken, creds_first, reg  # noqa: F401 (fixtures)


def test_fail_name_of_a_secret_in_another_region(creds_first):
    found = fails(creds_first, "PG203")
    assert set(found) == {reg("west")}
    msg = found[reg("west")]
    assert "bare name `creds/west`" in msg and "us-west-2" in msg and "(us-east-1, account 123456789012)" in msg


def test_fail_name_of_a_secret_in_another_account(creds_broken):
    found = fails(creds_broken, "PG203")
    assert set(found) == {reg("west"), ("aws_ecs_task_definition.cross", "byname")}
    assert "account 999999999999" in found[("aws_ecs_task_definition.cross", "byname")]


def test_pass_same_region_name_or_name_not_in_plan_or_arn(creds_first, creds_broken):
    # creds/local exists in both regions: the task's own region has it
    for result in (creds_first, creds_broken):
        found = fails(result, "PG203")
        for name in ("local", "nowhere", "good"):
            assert reg(name) not in found
    for name in ("default", "shared", "private"):  # full ARNs
        assert ("aws_ecs_task_definition.cross", name) not in fails(creds_broken, "PG203")


def test_undecided_container_definitions_known_after_apply(creds_first):
    assert ("aws_ecs_task_definition.cross", None) in undecided(creds_first, "PG203")
    assert undecided(creds_first, "PG203").keys() <= {("aws_ecs_task_definition.cross", None),
                                                      ("aws_ecs_task_definition.ecr_url", None)}
