"""PG403: a registry secret in another account (moto: a provider assuming a role in 999999999999)."""
from rulecase import fails, undecided
from test_pg204_registry_secret_value_shape import creds_broken, creds_first, reg  # noqa: F401 (fixtures)

CROSS = "aws_ecs_task_definition.cross"


def test_fail_default_key_and_no_resource_policy(creds_broken):
    found = fails(creds_broken, "PG403")
    assert set(found) == {(CROSS, "default"), (CROSS, "private")}
    assert "AWS managed key aws/secretsmanager, which cannot be used from another account" in found[(CROSS, "default")]
    assert "account 999999999999, not the task's (123456789012)" in found[(CROSS, "private")]
    assert "has no resource policy" in found[(CROSS, "private")]


def test_pass_customer_key_and_resource_policy_granting_the_role(creds_broken):
    assert (CROSS, "shared") not in fails(creds_broken, "PG403")
    assert (CROSS, "shared") not in undecided(creds_broken, "PG403")
    for name in ("good", "west", "nowhere"):  # same account, or a bare name (PG203's)
        assert reg(name) not in fails(creds_broken, "PG403")


def test_undecided_while_the_secret_arn_is_unknown(creds_first):
    assert (CROSS, None) in undecided(creds_first, "PG403")
    assert fails(creds_first, "PG403") == {}
