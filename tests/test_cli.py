"""The command line as a pipeline uses it: exit codes, formats, options, config, stdin, binary plans."""
import json
import os
import subprocess
import sys

import pytest

from support import findings_json, run_cli


@pytest.fixture(scope="session")
def images_plan(plans):
    return str(plans.first("images"))


@pytest.fixture(scope="session")
def unknowns_plan(plans):
    return str(plans.first("unknowns"))


def test_exit_1_on_errors_and_text_report_grouped_by_resource(images_plan):
    code, out, err = run_cli("check", images_plan)
    assert code == 1
    assert "aws_ecs_task_definition.no_role\n  error   PG201 container `creds` has `repositoryCredentials`" in out
    assert "fix: Set `execution_role_arn`" in out
    # the role named by ARN is outside the plan: the IAM rules are undecided, never failing on a guess
    assert out.rstrip().splitlines()[-1].startswith("24 findings (10 errors, 5 warnings, 9 notices), ")
    assert "\x1b[" not in out  # not a terminal: no colour


def test_json_report_has_the_catalog_keys(images_plan):
    code, doc = findings_json(images_plan)
    assert code == 1
    f = next(f for f in doc["findings"] if f["rule_id"] == "PG201")
    assert set(f) == {"rule_id", "severity", "title", "address", "container", "message", "remediation",
                      "evidence", "new"}
    assert (f["severity"], f["address"], f["container"], f["new"]) == (
        "error", "aws_ecs_task_definition.no_role", "creds", True)
    assert doc["summary"]["errors"] == 10
    assert {u["rule_id"] for u in doc["undecided"]} >= {"PG302", "PG303"}  # role outside the plan
    assert doc["plan"]["format_version"] == "1.2"


def test_fail_on_threshold_and_skip(images_plan, tmp_path):
    # only warnings and notices left once the error rules are skipped
    code, _, _ = run_cli("check", images_plan, "--skip", "PG101,PG201", "--skip", "PG202,PG701")
    assert code == 0
    code, _, _ = run_cli("check", images_plan, "--skip", "PG101,PG201,PG202,PG701", "--fail-on", "warning")
    assert code == 1
    code, doc = findings_json(images_plan, "--skip", "PG101,PG201,PG202,PG701,PG103,PG105", "--fail-on", "warning")
    assert code == 0 and {f["rule_id"] for f in doc["findings"]} == {"PG102", "PG104"}
    assert doc["summary"]["skipped_rules"] == ["PG101", "PG103", "PG105", "PG201", "PG202", "PG701"]


def test_undecided_does_not_fail_unless_asked(unknowns_plan):
    # aws_iam_role.exec has no policy at all: PG302/PG702 fail there (tested in their own files)
    skip = ("--skip", "PG302,PG702")
    assert run_cli("check", unknowns_plan, *skip)[0] == 0
    code, out, _ = run_cli("check", unknowns_plan, "--fail-on-undecided", *skip)
    assert code == 1
    assert "PG201, PG701 aws_ecs_task_definition.maybe_role [app]: whether" in out


def test_output_file_and_stdin(images_plan, tmp_path):
    target = tmp_path / "report.json"
    code, out, _ = run_cli("check", images_plan, "--format", "json", "--output", str(target))
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["summary"]["errors"] == 10
    with open(images_plan, "rb") as fh:
        code, out, _ = run_cli("check", "-", "--format", "json", stdin=fh.read())
    assert code == 1 and json.loads(out)["plan"]["source"] == "standard input"


def test_config_file_suppressions_are_echoed_with_reason(images_plan, tmp_path):
    (tmp_path / ".pullguard.toml").write_text(
        'public_images = ["ghcr.io/declared/*"]\n'
        '[[suppress]]\nrule = "PG104"\nreason = "we mirror Docker Hub through a pull-through cache"\n'
        '[[suppress]]\nrule = "PG201"\naddress = "aws_ecs_task_definition.no_*"\nreason = "legacy family, retired in Q3"\n')
    sub = tmp_path / "deeper"
    sub.mkdir()
    code, doc = findings_json(images_plan, cwd=sub)  # found from the working directory upward
    rules = {f["rule_id"] for f in doc["findings"]}
    assert "PG104" not in rules and "PG201" not in rules
    assert ('aws_ecs_task_definition.case["registries"]', "declared") not in {
        (f["address"], f["container"]) for f in doc["findings"] if f["rule_id"] == "PG103"}
    reasons = {(f["rule_id"], f["suppressed"]) for f in doc["suppressed"]}
    assert ("PG201", "legacy family, retired in Q3") in reasons
    assert ("PG104", "we mirror Docker Hub through a pull-through cache") in reasons
    code, out, _ = run_cli("check", images_plan, cwd=sub)
    assert "PG201 aws_ecs_task_definition.no_role [creds]: legacy family, retired in Q3" in out


@pytest.mark.parametrize("content, says", [
    ('[[suppress]]\nrule = "PG104"\n', "a reason is required"),
    ('fail_on = "fatal"\n', "fail_on must be one of"),
    ('colour = true\n', "unknown setting 'colour'"),
    ('fail_on = \n', "is not valid TOML"),
])
def test_bad_config_is_one_line_exit_2(images_plan, tmp_path, content, says):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(content)
    code, out, err = run_cli("check", images_plan, "--config", str(cfg))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and says in err


@pytest.mark.parametrize("args, says", [
    (("check", "plan.json", "--skip", "PG999"), "unknown rule id PG999"),
    (("check", "plan.json", "--format", "xml"), "Invalid value for '--format'"),
    (("check",), "Missing argument 'PLAN'"),
    (("frobnicate",), "No such command"),
    (("explain", "PG999"), "no rule PG999"),
])
def test_command_line_mistakes_are_one_line_exit_2(args, says):
    code, out, err = run_cli(*args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and says in err, err


def test_rules_and_explain():
    code, out, _ = run_cli("rules")
    assert code == 0
    from pullguard.rules import ALL_RULES
    assert [ln.split()[0] for ln in out.splitlines()] == [r.id for r in ALL_RULES]
    assert len(ALL_RULES) == 30  # every static rule of the catalog
    code, out, _ = run_cli("explain", "pg201")
    assert code == 0 and out.startswith("# PG201:")


def test_binary_plan_file_is_read_through_terraform_show(tf, plans):
    work = plans.workdir("images")
    tf.run(work, "plan", "-input=false", "-lock=false", "-out=bin.tfplan")
    proc = subprocess.run([sys.executable, "-m", "pullguard", "check", "bin.tfplan", "--format", "json"],
                          cwd=work, env=dict(tf.env, PATH=os.environ["PATH"]), capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["summary"]["errors"] == 10


def test_binary_plan_without_terraform_says_how(plans, tmp_path):
    fake = tmp_path / "tfplan"
    fake.write_bytes(b"PK\x03\x04" + b"\0" * 64)
    proc = subprocess.run([sys.executable, "-m", "pullguard", "check", str(fake)], capture_output=True, text=True,
                          env={"PATH": "/nonexistent", "HOME": str(tmp_path)})
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"pullguard: error: {fake} is a binary plan file and neither terraform nor tofu "
                                   "is on PATH to read it; pass the JSON instead: terraform show -json tfplan > plan.json")
