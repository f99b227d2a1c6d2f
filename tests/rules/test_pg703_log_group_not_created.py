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
