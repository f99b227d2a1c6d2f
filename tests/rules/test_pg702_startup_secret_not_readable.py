"""PG702: each secrets[].valueFrom must be readable (GetSecretValue / GetParameters, kms:Decrypt)."""
from rulecase import fails, undecided
from test_pg302_registry_secret_not_readable import exec_iam, exec_iam_applied, td  # noqa: F401

FAILING = {td("sec_nosuffix", "app"), td("sec_ssm_bare", "app"), td("sec_cmk", "app")}


def test_fail_suffix_ssm_and_customer_managed_key(exec_iam, exec_iam_applied):
    for result in (exec_iam, exec_iam_applied):
        found = fails(result, "PG702")
        assert set(found) == FAILING
        assert "the policy `aws_iam_role_policy.inline[\"nosuffix\"]` allows " \
            "`arn:aws:secretsmanager:us-east-1:123456789012:secret:exec/app`, which lacks the 6-character suffix" \
            in found[td("sec_nosuffix", "app")]
        assert "ssm:GetParameters on `arn:aws:ssm:us-east-1:123456789012:parameter/exec/db` (secret `DB_HOST`" \
            in found[td("sec_ssm_bare", "app")]
        assert "not kms:Decrypt it: the secret is encrypted with customer managed key `aws_kms_key.cmk`" \
            in found[td("sec_cmk", "app")]


def test_pass_json_key_arn_and_parameter_name(exec_iam, exec_iam_applied):
    for result in (exec_iam, exec_iam_applied):
        seen = set(fails(result, "PG702")) | set(undecided(result, "PG702"))
        assert td("sec_managed", "app") not in seen  # `...:secret:exec/app:password::` and `/exec/db`


def test_undecided_role_outside_plan(exec_iam):
    found = undecided(exec_iam, "PG702")
    assert set(found) == {td("sec_extern", "app")}
    assert "not-in-this-plan (not in the plan)" in found[td("sec_extern", "app")]
