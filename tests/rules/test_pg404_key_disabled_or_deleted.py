"""PG404: the key of a secret a task reads is disabled or deleted by this plan."""
from rulecase import fails, undecided
from test_pg401_role_cannot_decrypt import kms_broken, kms_first, task  # noqa: F401 (fixtures)


def test_fail_disabled_key_already_deployed(kms_broken):
    found = fails(kms_broken, "PG404")
    assert "is disabled (`is_enabled = false`)" in found[task("disabled")]
    finding = next(f for f in kms_broken.findings if f.rule_id == "PG404" and (f.address, f.container) == task("disabled"))
    assert finding.new is False


def test_fail_plan_breaks_a_running_service_new_findings(kms_broken):
    found = fails(kms_broken, "PG404")
    assert set(found) == {task("disabled"), task("toggled"), task("doomed")}
    assert 'this plan deletes `aws_kms_key.doomed[0]`' in found[task("doomed")]
    assert 'module.task["doomed"].aws_secretsmanager_secret.registry' in found[task("doomed")]
    new = {(f.address, f.container): f.new for f in kms_broken.findings if f.rule_id == "PG404"}
    assert new[task("toggled")] is True and new[task("doomed")] is True
    # the deleted key is PG404's: PG401/PG402 do not report it as "not in the plan"
    assert task("doomed") not in undecided(kms_broken, "PG401")
    assert task("doomed") not in undecided(kms_broken, "PG402")


def test_pass_enabled_keys_and_default_key(kms_broken):
    found = fails(kms_broken, "PG404")
    for name in ("good", "noperm", "closed", "alias", "direct", "default", "managed"):
        assert task(name) not in found


def test_undecided_key_outside_the_plan(kms_broken, kms_first):
    found = undecided(kms_broken, "PG404")
    assert set(found) == {task("external")}
    assert "the state of KMS key" in found[task("external")]
    assert fails(kms_first, "PG404") == {}
