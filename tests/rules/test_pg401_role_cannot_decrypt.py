"""PG401: the execution role's IAM side of kms:Decrypt on the registry secret's customer managed key.

Fixture kms_secrets: one module instance per case (module + for_each), applied into moto, then planned
again with -var disable_key=true -var delete_key=true (a plan that breaks running services).
The fixtures defined here are shared by the PG402-PG404 tests.
"""
import pytest

from pullguard.api import check_plan
from pullguard.rules.kms.pg401_role_cannot_decrypt import check as pg401_check
from pullguard.values import Ref, Unknown
from rulecase import fails, undecided
from test_pg302_registry_secret_not_readable import (exec_role, first_plan, instance, outcomes, registry_secret,
                                                     role_policy, task as synthetic_task)

BREAK = ("-var=disable_key=true", "-var=delete_key=true")


def task(name):
    return (f'module.task["{name}"].aws_ecs_task_definition.task', "app")


@pytest.fixture(scope="session")
def kms_first(plans):
    """First plan: container definitions reference secrets created by the plan (known after apply)."""
    return check_plan(str(plans.first("kms_secrets")))


@pytest.fixture(scope="session")
def kms_broken(plans):
    """Applied with the defaults, then planned with the toggled key disabled and the doomed key deleted."""
    return check_plan(str(plans.second("kms_secrets", plan_args=BREAK)))


def test_fail_no_decrypt_statement_and_wrong_via_service(kms_broken):
    found = fails(kms_broken, "PG401")
    assert set(found) == {task("noperm"), task("wrongvia")}
    assert "arn:aws:iam::123456789012:role/kms-noperm-exec" in found[task("noperm")]
    assert "kms:Decrypt" in found[task("noperm")]
    assert "delegates to the account, but no identity-based policy allows" in found[task("noperm")]
    assert "kms:ViaService condition that does not admit `secretsmanager.us-east-1.amazonaws.com`" \
        in found[task("wrongvia")]
    finding = next(f for f in kms_broken.findings if f.rule_id == "PG401" and (f.address, f.container) == task("noperm"))
    assert 'module.task["noperm"].aws_iam_role_policy.exec' in finding.evidence
    assert not finding.new  # already deployed that way


def test_pass_granted_by_iam_or_by_key_policy_or_default_key(kms_broken):
    found = fails(kms_broken, "PG401")
    for name in ("good", "direct", "default", "managed", "disabled", "toggled", "doomed"):
        assert task(name) not in found
        assert task(name) not in undecided(kms_broken, "PG401")


def test_pass_when_the_key_policy_refuses_pg402_owns_it(kms_broken):
    assert task("closed") not in fails(kms_broken, "PG401")
    assert task("alias") not in fails(kms_broken, "PG401")
    assert {task("closed"), task("alias")} <= set(fails(kms_broken, "PG402"))


def test_undecided_key_outside_plan_and_first_plan(kms_broken, kms_first):
    assert set(undecided(kms_broken, "PG401")) == {task("external")}
    assert "(not in the plan)" in undecided(kms_broken, "PG401")[task("external")]
    first = undecided(kms_first, "PG401")
    assert (task("good")[0], None) in first
    assert "container_definitions" in first[(task("good")[0], None)]
    assert fails(kms_first, "PG401") == {}


class _Config:
    """The Terraform source's view the default-key-policy rule asks: which arguments a resource sets."""
    root = True

    def resource_config(self, module, mode, type_, name):
        return {"expressions": {"description": {}}}  # aws_kms_key without `policy`


def test_first_plan_default_key_policy_without_account():
    """A key created without `policy` gets the default key policy (delegation to its account): the
    role's IAM decides. With no account named anywhere, a role and a key of one provider
    configuration are in one account, so that is decided before apply (it was undecided)."""
    def case(name, *statements, provider="aws"):
        key = instance(f"aws_kms_key.{name}", {"arn": Unknown(f"aws_kms_key.{name}.arn"),
                                               "key_id": Unknown(f"aws_kms_key.{name}.key_id"),
                                               "policy": Unknown(f"aws_kms_key.{name}.policy"),
                                               "tags_all": {"app": name}}, provider)
        return (key, exec_role(name), role_policy(name, *statements), synthetic_task(name),
                registry_secret(name, kms_key_id=Ref(f"aws_kms_key.{name}", "arn")))

    read = {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}
    def by_ref(name):
        return {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": Ref(f"aws_kms_key.{name}", "arn")}
    abac = {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/app": "refunds"}}}
    snap = first_plan(*case("invoices", read, by_ref("invoices")), *case("receipts", read), *case("refunds", read, abac),
                      *case("payouts", read, abac), *case("shared", read, by_ref("shared"), provider="aws.shared"))
    snap.config = _Config()
    found = outcomes(pg401_check, snap)
    status = {address.split(".")[-1]: s for (address, _), (s, _) in found.items()}
    assert status == {"invoices": "pass", "refunds": "pass", "receipts": "fail", "payouts": "fail",
                      "shared": "undecided"}  # another provider configuration: maybe another account
    assert "the KMS key policy delegates to the account, but no identity-based policy allows the action" \
        in found[("aws_ecs_task_definition.receipts", "receipts")][1]
    assert "same account" in found[("aws_ecs_task_definition.shared", "shared")][1]
