"""PG305: an image in another account's ECR needs its repository policy to grant the execution role."""
from rulecase import fails, undecided
from test_pg302_registry_secret_not_readable import exec_iam, exec_wait  # noqa: F401

XACCT = "aws_ecs_task_definition.xacct"


def test_fail_repository_policy_grants_too_little(exec_wait):
    found = fails(exec_wait, "PG305")
    assert set(found) == {(XACCT, "worker")}
    assert "`aws_ecr_repository_policy.worker` does not grant execution role `aws_iam_role.exec[\"xacct\"]` " \
        "ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer" in found[(XACCT, "worker")]


def test_pass_repository_policy_grants_the_role_and_same_account(exec_wait, exec_iam):
    assert (XACCT, "api") not in set(fails(exec_wait, "PG305")) | set(undecided(exec_wait, "PG305"))
    assert fails(exec_iam, "PG305") == {} and undecided(exec_iam, "PG305") == {}  # same-account images


def test_undecided_no_repository_policy_in_plan(exec_wait):
    assert undecided(exec_wait, "PG305") == {(XACCT, "other"): (
        "the repository policy of `arn:aws:ecr:us-east-1:210987654321:repository/shared/other` (not in the plan)")}
