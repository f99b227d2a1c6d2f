"""PG703: the awslogs group must exist: created by the plan, or auto-created with logs:CreateLogGroup."""
from rulecase import fails, undecided
from test_pg302_registry_secret_not_readable import exec_iam, exec_iam_applied, td  # noqa: F401


def test_fail_auto_create_without_permission_and_deleted_group(exec_iam, exec_iam_applied):
    found = fails(exec_iam, "PG703")
    assert set(found) == {td("log_auto_bare", "app")}
    assert "sets awslogs-create-group \"true\" but execution role `aws_iam_role.exec[\"streams\"]` may not call " \
        "logs:CreateLogGroup on `arn:aws:logs:us-east-1:123456789012:log-group:/exec/auto`" \
        in found[td("log_auto_bare", "app")]
    applied = fails(exec_iam_applied, "PG703")
    assert set(applied) == {td("log_auto_bare", "app"), td("log_old", "app")}
    assert "which this plan deletes (`aws_cloudwatch_log_group.old[0]`)" in applied[td("log_old", "app")]


def test_pass_created_group_and_allowed_auto_create(exec_iam):
    seen = set(fails(exec_iam, "PG703")) | set(undecided(exec_iam, "PG703"))
    for case in ("log_managed", "log_auto_ok", "log_old", "log_none"):
        assert td(case, "app") not in seen


def test_undecided_group_outside_plan(exec_iam, exec_iam_applied):
    for result in (exec_iam, exec_iam_applied):
        assert undecided(result, "PG703") == {
            td("log_missing", "app"): "whether log group `/exec/elsewhere` exists in us-east-1 (not in the plan)"}


def test_pass_group_read_by_a_data_source(plans, tmp_path):
    """A data source that reads the group at plan time proves it exists (its read would fail
    otherwise): the same plan as test_undecided_group_outside_plan, with
    `data "aws_cloudwatch_log_group"` for /exec/elsewhere in its prior state."""
    import json

    from pullguard.api import check_plan

    doc = json.loads(plans.first("exec_iam").read_text())
    root = doc.setdefault("prior_state", {}).setdefault("values", {}).setdefault("root_module", {})
    root.setdefault("resources", []).append({
        "address": "data.aws_cloudwatch_log_group.shared", "mode": "data", "type": "aws_cloudwatch_log_group",
        "name": "shared", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
        "values": {"name": "/exec/elsewhere", "arn": "arn:aws:logs:us-east-1:123456789012:log-group:/exec/elsewhere",
                   "id": "/exec/elsewhere", "creation_time": 1700000000000, "kms_key_id": "",
                   "log_group_class": "STANDARD", "retention_in_days": 0, "tags": {}},
        "sensitive_values": {"tags": {}}})
    path = tmp_path / "with_data_source.json"
    path.write_text(json.dumps(doc))
    result = check_plan(str(path))
    assert td("log_missing", "app") not in undecided(result, "PG703")
    assert td("log_missing", "app") not in fails(result, "PG703")
