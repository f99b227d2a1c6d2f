"""PG402: the key policy neither grants the execution role kms:Decrypt nor delegates to the account."""
from rulecase import fails, undecided
from test_pg401_role_cannot_decrypt import kms_broken, kms_first, task  # noqa: F401 (fixtures)


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
