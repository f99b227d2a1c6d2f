"""PG704: awslogs needs logs:CreateLogStream and logs:PutLogEvents on the group's streams."""
from rulecase import fails, undecided
from test_pg302_registry_secret_not_readable import exec_iam, exec_iam_applied, td  # noqa: F401


def test_fail_no_grant_and_other_group(exec_iam, exec_iam_applied):
    for result in (exec_iam, exec_iam_applied):
        found = fails(result, "PG704")
        assert set(found) == {td("log_auto_bare", "app"), td("log_other", "app")}
        assert "`aws_iam_role.exec[\"logsother\"]` may not call logs:CreateLogStream and logs:PutLogEvents on " \
            "log group `/exec/app`" in found[td("log_other", "app")]


def test_pass_managed_policy_and_group_stream_pattern(exec_iam):
    seen = set(fails(exec_iam, "PG704")) | set(undecided(exec_iam, "PG704"))
    for case in ("log_managed", "log_streams", "log_none"):  # log_streams: ...:log-group:/exec/app:*
        assert td(case, "app") not in seen


def test_undecided_role_outside_plan(exec_iam):
    found = undecided(exec_iam, "PG704")
    assert set(found) == {td("log_extern", "app")}
    assert "not-in-this-plan (not in the plan)" in found[td("log_extern", "app")]
