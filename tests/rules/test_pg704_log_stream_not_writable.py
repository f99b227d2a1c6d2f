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


def test_fail_awslogs_region_outside_the_policy(plans, tmp_path):
    """Log group and stream ARNs carry the awslogs-region: a policy for us-east-1 does not cover a
    container that logs to eu-west-1 (log_streams, edited), and the message says where it logs."""
    import json

    from pullguard.api import check_plan

    doc = json.loads(plans.first("exec_iam").read_text())
    address = td("log_streams")[0]
    for values in [r["values"] for r in doc["planned_values"]["root_module"]["resources"] if r["address"] == address] \
            + [rc["change"]["after"] for rc in doc["resource_changes"] if rc["address"] == address]:
        values["container_definitions"] = values["container_definitions"].replace('"us-east-1"', '"eu-west-1"')
    path = tmp_path / "eu.json"
    path.write_text(json.dumps(doc))
    found = fails(check_plan(str(path)), "PG704")
    assert "`aws_iam_role.exec[\"streams\"]` may not call logs:CreateLogStream and logs:PutLogEvents on log group " \
        "`/exec/app` in eu-west-1 (container `app` logs there through awslogs-region; the task runs in us-east-1)" \
        in found[td("log_streams", "app")]
