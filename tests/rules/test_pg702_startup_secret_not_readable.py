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


def _without_parameter(path, tmp_path):
    """The plan at ``path`` as if `/exec/db` (aws_ssm_parameter.db) were managed elsewhere."""
    import json

    doc = json.loads(path.read_text())
    doc["resource_changes"] = [rc for rc in doc["resource_changes"] if rc["address"] != "aws_ssm_parameter.db"]
    root = doc["planned_values"]["root_module"]
    root["resources"] = [r for r in root["resources"] if r["address"] != "aws_ssm_parameter.db"]
    out = tmp_path / "outside.json"
    out.write_text(json.dumps(doc))
    return out


def test_undecided_parameter_outside_plan(plans, tmp_path):
    """A parameter outside the plan may be a SecureString under a customer managed key (kms:Decrypt
    needed) or not: the role's ssm:GetParameters grant alone does not decide it."""
    from pullguard.api import check_plan

    result = check_plan(str(_without_parameter(plans.first("exec_iam"), tmp_path)))
    found = undecided(result, "PG702")
    assert found[td("sec_managed", "app")] == "the type and KMS key of SSM parameter /exec/db (not in the plan)"
    assert td("sec_managed", "app") not in fails(result, "PG702")
    assert td("sec_ssm_bare", "app") in fails(result, "PG702")  # no ssm:GetParameters at all: a fact
