"""PG302: the execution role must be allowed secretsmanager:GetSecretValue on the registry secret.

Also home of the exec_iam / exec_wait plan fixtures the other PG30x/PG70x tests import.
"""
from pathlib import Path

import pytest

from pullguard.api import check_plan
from rulecase import fails, undecided

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TD = 'aws_ecs_task_definition.case["{}"]'


def td(case, container=None):
    return (TD.format(case), container)


@pytest.fixture(scope="session")
def exec_iam(plans):
    """First plan: roles, policies, secrets and log groups all created by this plan."""
    return check_plan(str(plans.first("exec_iam")))


@pytest.fixture(scope="session")
def exec_iam_applied(plans):
    """Applied into moto, then planned again without the `/exec/old` log group (prior state known)."""
    return check_plan(str(plans.second("exec_iam", plan_args=("-var", "keep_old_group=false"))))


@pytest.fixture(scope="session")
def exec_wait(plans):
    """First plan only: tasks that wait, or not, for the IAM this plan creates; cross-account ECR."""
    return check_plan(str(plans.first("exec_wait")))


def test_fail_no_grant_and_suffixless_arn(exec_iam):
    found = fails(exec_iam, "PG302")
    assert set(found) == {td("reg_bare", "app"), td("reg_nosuffix", "app")}
    assert "may not call secretsmanager:GetSecretValue on `aws_secretsmanager_secret.registry`" in \
        found[td("reg_bare", "app")]
    assert found[td("reg_nosuffix", "app")] == (
        'execution role `aws_iam_role.exec["nosuffix"]` may not call secretsmanager:GetSecretValue on '
        '`aws_secretsmanager_secret.registry`: the policy `aws_iam_role_policy.inline["nosuffix"]` allows '
        '`arn:aws:secretsmanager:us-east-1:123456789012:secret:exec/registry`, which lacks the 6-character '
        "suffix every secret ARN ends with; use `aws_secretsmanager_secret.registry.arn` or append `-??????`.")


def test_fail_example_secret_arn_without_suffix():
    result = check_plan(str(EXAMPLES / "broken-secret-arn-no-suffix" / "plan.second.json"))
    assert fails(result, "PG302") == {("aws_ecs_task_definition.app", "api"): (
        "execution role `aws_iam_role.execution` may not call secretsmanager:GetSecretValue on "
        "`aws_secretsmanager_secret.registry`: the policy `aws_iam_role_policy.execution` allows "
        "`arn:aws:secretsmanager:us-east-1:123456789012:secret:nosuffix-app/ghcr`, which lacks the 6-character "
        "suffix every secret ARN ends with; use `aws_secretsmanager_secret.registry.arn` or append `-??????`.")}


def test_pass_wildcard_and_suffix_pattern(exec_iam, exec_iam_applied):
    for result in (exec_iam, exec_iam_applied):
        found = set(fails(result, "PG302")) | set(undecided(result, "PG302"))
        assert td("reg_managed", "app") not in found   # ...:secret:exec/*
        assert td("reg_suffix", "app") not in found    # ...:secret:exec/registry-?????? (near miss of nosuffix)


def test_undecided_unknown_policy_and_role_outside_plan(exec_iam, exec_iam_applied):
    found = undecided(exec_iam, "PG302")
    assert set(found) == {td("reg_opaque", "app"), td("reg_extern", "app"), td("reg_xacct", "app")}
    # the role allows it, but a secret of another account also needs its resource policy, not in the plan
    assert found[td("reg_xacct", "app")] == ("the resource policy of secret arn:aws:secretsmanager:us-east-1:"
                                             "210987654321:secret:shared/registry-AbCdEf (not in the plan)")
    assert "aws_iam_role_policy.inline[\"opaque\"]" in found[td("reg_opaque", "app")]
    assert "role/not-in-this-plan (not in the plan)" in found[td("reg_extern", "app")]
    # once applied the opaque policy (Resource = the secret's arn) is known and allows it
    assert set(undecided(exec_iam_applied, "PG302")) == {td("reg_extern", "app"), td("reg_xacct", "app")}
    assert set(fails(exec_iam_applied, "PG302")) == {td("reg_bare", "app"), td("reg_nosuffix", "app")}
