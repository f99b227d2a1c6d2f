"""PG302: the execution role must be allowed secretsmanager:GetSecretValue on the registry secret.

Also home of the exec_iam / exec_wait plan fixtures the other PG30x/PG70x tests import.
"""
import json
from pathlib import Path

import pytest

from pullguard.api import check_plan
from pullguard.config import Settings
from pullguard.model.world import Instance, Snapshot
from pullguard.rules.iam.pg302_registry_secret_not_readable import check as pg302_check
from pullguard.values import Ref, Unknown
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


# ---------------------------------------------------------------- synthetic first plans (no Terraform)
# Roles, secrets, keys and task definitions created together: ARNs unknown until apply.

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def instance(address, values, provider="aws", mode="managed"):
    type_, name = address.removeprefix("data.").split(".")[:2]
    return Instance(address, "", mode, type_, name, None, provider, "us-east-1",
                    "create" if mode == "managed" else "read", values)


def first_plan(*instances, account=None):
    snap = Snapshot("planned", {i.address: i for i in instances})
    snap.account_id = account
    return snap


def exec_role(name, path="/ecs/", **values):
    return instance(f"aws_iam_role.{name}", {"name": f"{name}-exec", "path": path, "assume_role_policy": TRUST,
                                             "arn": Unknown(f"aws_iam_role.{name}.arn"),
                                             "id": Unknown(f"aws_iam_role.{name}.id"), **values})


def registry_secret(name, **values):
    return instance(f"aws_secretsmanager_secret.{name}", {"name": f"registry/{name}", "policy": None,
                                                         "arn": Unknown(f"aws_secretsmanager_secret.{name}.arn"),
                                                         "id": Unknown(f"aws_secretsmanager_secret.{name}.id"),
                                                         **values})


def role_policy(name, *statements):
    return instance(f"aws_iam_role_policy.{name}", {"name": "registry", "role": Ref(f"aws_iam_role.{name}", "id"),
                                                    "policy": {"Version": "2012-10-17",  # as the source gives it
                                                               "Statement": list(statements)}})


def task(name):
    """A task definition whose execution role is aws_iam_role.NAME and registry secret
    aws_secretsmanager_secret.NAME (container NAME)."""
    return instance(f"aws_ecs_task_definition.{name}", {
        "family": name, "execution_role_arn": Ref(f"aws_iam_role.{name}", "arn"),
        "container_definitions": [{"name": name, "image": f"ghcr.io/acme/{name}:1.0.0", "essential": True,
                                   "repositoryCredentials": {"credentialsParameter":
                                                             Ref(f"aws_secretsmanager_secret.{name}", "arn")}}]})


def outcomes(check, snap):
    """{(address, container): (status, message or missing fact)} of one rule's check."""
    return {(o.address, o.container): (o.status, o.message if o.status == "fail" else o.missing)
            for o in check(snap, Settings())}


ABAC = {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*",
        "Condition": {"StringEquals": {"secretsmanager:ResourceTag/team": "${aws:PrincipalTag/team}"}}}


def test_first_plan_without_account_resource_policy_and_resource_tags():
    """No account named anywhere. A resource policy naming the role by reference allows on its own:
    role and secret come from one provider configuration, so one account. A grant conditioned on the
    secret's tags reads them from the plan (they were taken as absent: a false failure)."""
    snap = first_plan(
        exec_role("catalog"), registry_secret("catalog"), task("catalog"),
        instance("aws_secretsmanager_secret_policy.catalog", {
            "secret_arn": Ref("aws_secretsmanager_secret.catalog", "arn"),
            "policy": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": Ref("aws_iam_role.catalog", "arn")},
                "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}}),
        exec_role("checkout"), registry_secret("checkout"), task("checkout"),
        instance("aws_secretsmanager_secret_policy.checkout", {
            "secret_arn": Ref("aws_secretsmanager_secret.checkout", "arn"),
            "policy": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": Ref("aws_iam_role.catalog", "arn")},
                "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}}),
        exec_role("profile", tags={"team": "profile"}), role_policy("profile", ABAC), task("profile"),
        registry_secret("profile", tags={"team": "profile"}, tags_all={"team": "profile"}),
        exec_role("pricing", tags={"team": "pricing"}), role_policy("pricing", ABAC), task("pricing"),
        registry_secret("pricing", tags={"team": "commerce"}, tags_all={"team": "commerce"}),
        exec_role("outside", tags={"team": "outside"}), role_policy("outside", ABAC), task("outside"),
        registry_secret("outside", tags_all=Unknown("aws_secretsmanager_secret.outside.tags_all")),
    )
    found = outcomes(pg302_check, snap)
    assert found[("aws_ecs_task_definition.catalog", "catalog")] == ("pass", None)
    assert found[("aws_ecs_task_definition.profile", "profile")] == ("pass", None)
    status, message = found[("aws_ecs_task_definition.checkout", "checkout")]
    assert status == "fail" and message.endswith(  # its secret's policy names catalog's role
        "no policy allows it (neither the role's policies nor the secret's resource policy "
        "`aws_secretsmanager_secret_policy.checkout`, which does not grant this role)")
    assert found[("aws_ecs_task_definition.pricing", "pricing")] == ("fail", (
        "execution role `aws_iam_role.pricing` may not call secretsmanager:GetSecretValue on "
        "`aws_secretsmanager_secret.pricing` (the registry credentials of container `pricing`): no policy allows it"))
    status, fact = found[("aws_ecs_task_definition.outside", "outside")]
    assert status == "undecided" and "secretsmanager:ResourceTag/team" in fact  # tags known only after apply


def test_first_plan_another_provider_configuration_is_not_assumed_same_account():
    """Same account is inferred only for resources one provider configuration creates: another
    configuration may have other credentials, a data source may read another account's secret."""
    role, policy = exec_role("catalog"), instance("aws_secretsmanager_secret_policy.catalog", {
        "secret_arn": Ref("aws_secretsmanager_secret.catalog", "arn"),
        "policy": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": Ref("aws_iam_role.catalog", "arn")},
            "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}})
    secret = instance("aws_secretsmanager_secret.catalog", dict(registry_secret("catalog").values), "aws.shared")
    found = outcomes(pg302_check, first_plan(role, secret, policy, task("catalog")))
    status, fact = found[("aws_ecs_task_definition.catalog", "catalog")]
    assert status == "undecided" and "same account" in fact

    read = instance("data.aws_secretsmanager_secret.shared", {
        "arn": "arn:aws:secretsmanager:us-east-1:210987654321:secret:registry/shared-AbCdEf",
        "name": "registry/shared", "policy": None}, mode="data")
    td = instance("aws_ecs_task_definition.shared", {
        "family": "shared", "execution_role_arn": Ref("aws_iam_role.catalog", "arn"),
        "container_definitions": [{"name": "shared", "image": "ghcr.io/acme/shared:1.0.0", "essential": True,
                                   "repositoryCredentials": {"credentialsParameter":
                                                             Ref("data.aws_secretsmanager_secret.shared", "arn")}}]})
    grant = role_policy("catalog", {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"})
    found = outcomes(pg302_check, first_plan(role, grant, read, td))
    assert found[("aws_ecs_task_definition.shared", "shared")][0] == "undecided"  # its resource policy decides


RENAMED = """
provider "aws" {
  region = "us-east-1"
}

variable "secret_name" {
  type    = string
  default = "ci/gitlab"
}

variable "bad_secret_name" {
  type    = string
  default = "ci/quay"
}

resource "aws_secretsmanager_secret" "s" {
  for_each = { good = var.secret_name, bad = var.bad_secret_name }
  name     = each.value
}

resource "aws_iam_role" "exec" {
  name = "renamed-exec"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_role_policy" "read" {
  role = aws_iam_role.exec.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Action = "secretsmanager:GetSecretValue", Resource = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ci/*" }] })
}

resource "aws_ecs_task_definition" "t" {
  for_each           = aws_secretsmanager_secret.s
  family             = "renamed-${each.key}"
  execution_role_arn = aws_iam_role.exec.arn
  container_definitions = jsonencode([{ name = "app", image = "ghcr.io/acme/app:1", memory = 128, essential = true,
    repositoryCredentials = { credentialsParameter = each.value.arn } }])
  depends_on = [aws_iam_role_policy.read]
}
"""


def test_secret_replaced_under_a_new_name_has_no_resource_policy(tf, tmp_path):
    """A changed name replaces the secret; the new one, written without a `policy` argument, has no
    resource policy though the plan shows `policy` as known after apply: the role's own policy decides
    (`secret:ci/*` covers `ci/gitlab-v2`, not `team/quay`)."""
    (tmp_path / "main.tf").write_text(RENAMED)
    tf.reset_aws()
    tf.apply(tmp_path)
    plan = tmp_path / "plan.json"
    tf.plan_json(tmp_path, "-var", "secret_name=ci/gitlab-v2", "-var", "bad_secret_name=team/quay", out=plan)
    result = check_plan(str(plan), config_dir=str(tmp_path))
    good, bad = 'aws_ecs_task_definition.t["good"]', 'aws_ecs_task_definition.t["bad"]'
    assert (good, "app") not in undecided(result, "PG302")
    assert (good, "app") not in fails(result, "PG302")
    assert set(fails(result, "PG302")) == {(bad, "app")}
