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


GRANT_ON_THE_PARAMETER = """
provider "aws" {
  region = "us-east-1"
}

resource "aws_ssm_parameter" "p" {
  for_each = toset(["granted", "other"])
  name     = "/ref/${each.key}"
  type     = "String"
  value    = each.key
}

resource "aws_iam_role" "exec" {
  name = "ref-exec"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_iam_role_policy" "read" {
  role = aws_iam_role.exec.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "ssm:GetParameters",
    Resource = aws_ssm_parameter.p["granted"].arn }] })
}

resource "aws_ecs_task_definition" "t" {
  family             = "ref"
  execution_role_arn = aws_iam_role.exec.arn
  container_definitions = jsonencode([
    { name = "granted", image = "public.ecr.aws/acme/a:1", memory = 128, essential = true,
      secrets = [{ name = "V", valueFrom = aws_ssm_parameter.p["granted"].arn }] },
    { name = "other", image = "public.ecr.aws/acme/a:1", memory = 128, essential = false,
      secrets = [{ name = "V", valueFrom = aws_ssm_parameter.p["other"].arn }] },
  ])
  depends_on = [aws_iam_role_policy.read]
}
"""


def test_pass_grant_on_the_same_parameter_arn_before_apply(tf, tmp_path):
    """First plan, account unknown (no caller identity, ARNs known after apply): valueFrom
    `aws_ssm_parameter.p["granted"].arn` is the very ARN the policy grants, so it passes. The other
    parameter stays undecided: its ARN lacks the account, and two references are not compared as
    different ARNs (a data source and a resource may name one parameter)."""
    from pullguard.api import check_plan

    (tmp_path / "main.tf").write_text(GRANT_ON_THE_PARAMETER)
    tf.plan_json(tmp_path, out=tmp_path / "plan.json")
    result = check_plan(str(tmp_path / "plan.json"), config_dir=str(tmp_path))
    seen = set(fails(result, "PG702")) | set(undecided(result, "PG702"))
    assert ("aws_ecs_task_definition.t", "granted") not in seen
    assert set(undecided(result, "PG702")) == {("aws_ecs_task_definition.t", "other")}
