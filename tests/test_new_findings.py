"""`new`: whether this plan introduces a finding; --only-new gates "do not make it worse"."""
import json

from support import findings_json, run_cli


def test_existing_problem_is_not_new_and_introduced_one_is(plans):
    # applied with nginx:latest and a role; the next plan removes the role
    path = plans.second("lifecycle", plan_args=("-var", "with_role=false"))
    code, doc = findings_json(str(path))
    got = {(f["rule_id"], f["address"], f["container"], f["new"]) for f in doc["findings"]}
    assert ("PG201", "aws_ecs_task_definition.app", "app", True) in got
    assert ("PG102", "aws_ecs_task_definition.app", "app", False) in got
    # nginx:latest with repositoryCredentials: not anonymous, so no PG104
    assert not any(rule == "PG104" for rule, *_ in got)


def test_only_new_reports_and_gates_only_introduced_findings(plans):
    unchanged = plans.second("lifecycle")
    code, doc = findings_json(str(unchanged), "--only-new", "--fail-on", "notice")
    assert code == 0 and doc["findings"] == []
    # already deployed: PG102 (nginx:latest) and PG302 (the role has no policy to read the secret)
    assert doc["summary"]["hidden_existing"] == 2
    code, out, _ = run_cli("check", str(unchanged), "--fail-on", "notice")
    assert code == 1 and "(already deployed)" in out
    broken = plans.second("lifecycle", plan_args=("-var", "with_role=false"))
    code, doc = findings_json(str(broken), "--only-new")
    assert code == 1 and [f["rule_id"] for f in doc["findings"]] == ["PG201"]
