"""PG402: the key policy neither grants the execution role kms:Decrypt nor delegates to the account."""
from pullguard.rules.kms.pg401_role_cannot_decrypt import check as pg401_check
from pullguard.rules.kms.pg402_key_policy_denies_role import check as pg402_check
from pullguard.values import Ref, Unknown
from rulecase import fails, undecided
from test_pg302_registry_secret_not_readable import (exec_role, first_plan, instance, outcomes, registry_secret,
                                                     role_policy, task as synthetic_task)
from test_pg401_role_cannot_decrypt import kms_broken, kms_first, task  # noqa: F401 (fixtures)

ACCOUNT = "123456789012"


def test_fail_key_policy_names_only_an_admin_directly_and_through_an_alias(kms_broken):
    found = fails(kms_broken, "PG402")
    assert set(found) == {task("closed"), task("alias")}
    msg = found[task("closed")]
    assert 'the key policy in `aws_kms_key.case["closed"]` neither grants' in msg
    assert "arn:aws:iam::123456789012:role/kms-closed-exec" in msg
    assert "`arn:aws:iam::123456789012:root`" in msg
    assert 'aws_kms_key.case["closed"]' in found[task("alias")]  # alias/kms-closed followed to its key


def test_pass_delegating_or_naming_the_role_or_default_key(kms_broken):
    found = fails(kms_broken, "PG402")
    for name in ("good", "noperm", "wrongvia", "direct", "default", "managed", "doomed"):
        assert task(name) not in found
    # the IAM side of noperm is PG401's, not a key policy problem
    assert task("noperm") in fails(kms_broken, "PG401")


def test_undecided_key_outside_the_plan(kms_broken, kms_first):
    found = undecided(kms_broken, "PG402")
    assert set(found) == {task("external")}
    assert "key policy of KMS key arn:aws:kms:us-east-1:123456789012:key/0b0e0c0a" in found[task("external")]
    assert fails(kms_first, "PG402") == {}


def test_fail_first_plan_key_policy_names_other_roles_by_reference_and_built_arn():
    """Key, roles and secrets created together: a role's ARN is determined by its name, path and
    the account, so a key policy naming roles by reference (or by a built ARN) is decided before
    apply (it was undecided: a reference to a role's ARN had no shape)."""
    key_doc = {"Version": "2012-10-17", "Statement": [{
        "Sid": "Use", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
        "Principal": {"AWS": [Ref("aws_iam_role.orders", "arn"),
                              f"arn:aws:iam::{ACCOUNT}:role/ecs/search-exec"]},
        "Condition": {"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com",
                                       "kms:CallerAccount": ACCOUNT}}}]}
    decrypt = {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "kms:Decrypt"], "Resource": "*"}
    names = ("orders", "search", "ledger")
    snap = first_plan(
        instance("aws_kms_key.registry", {"arn": Unknown("aws_kms_key.registry.arn"), "policy": key_doc,
                                          "key_id": Unknown("aws_kms_key.registry.key_id")}),
        *(i for n in names for i in (
            exec_role(n), role_policy(n, decrypt), synthetic_task(n),
            registry_secret(n, kms_key_id=Ref("aws_kms_key.registry", "arn")))),
        account=ACCOUNT)
    found = outcomes(pg402_check, snap)
    assert found[("aws_ecs_task_definition.orders", "orders")] == ("pass", None)
    assert found[("aws_ecs_task_definition.search", "search")] == ("pass", None)
    status, message = found[("aws_ecs_task_definition.ledger", "ledger")]
    assert status == "fail"
    assert (f"the key policy in `aws_kms_key.registry` neither grants `arn:aws:iam::{ACCOUNT}:role/ecs/ledger-exec` "
            "kms:Decrypt nor delegates to the account") in message
    # one root cause, one finding: PG401 (the IAM side) stays silent
    assert {s for s, _ in outcomes(pg401_check, snap).values()} == {"pass"}
