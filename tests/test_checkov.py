"""The Checkov policy pack, run by a real Checkov (offline, --skip-download): per rule, the same failing
resources as `pullguard check`, on every example plan and on real first and second plans.

Checkov pins many packages (and bc-python-hcl2 shadows python-hcl2), so it lives in its own
environment: .ci/run makes one with `pip install -e '.[checkov,test]'` and runs this file there with
PULLGUARD_CHECKOV_TESTS=1, which makes these tests mandatory. Elsewhere they skip when Checkov is absent.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, run_cli

BIN = Path(sys.executable).parent
CHECKOV = shutil.which("checkov", path=str(BIN)) or shutil.which("checkov")
REQUIRED = os.environ.get("PULLGUARD_CHECKOV_TESTS") == "1"
EXAMPLE_PLANS = sorted(p for p in (ROOT / "examples").glob("*/plan*.json"))

if not CHECKOV:
    if REQUIRED:
        pytest.fail("PULLGUARD_CHECKOV_TESTS=1 but checkov is not installed", pytrace=False)
    pytest.skip("checkov is not installed (pip install -e '.[checkov,test]')", allow_module_level=True)


def pack_dir() -> str:
    code, out, err = run_cli("checkov-dir")
    assert code == 0, err
    return out.strip()


def checkov(plan, *args, cwd):
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", BC_SKIP_MAPPING="TRUE",
               CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false", LOG_LEVEL="WARNING")
    proc = subprocess.run([CHECKOV, "-f", str(plan), "--framework", "terraform_plan", "--external-checks-dir",
                           pack_dir(), "--skip-download", "-o", "json", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    out = proc.stdout.strip()
    doc = json.loads(out) if out.startswith(("{", "[")) else {}
    if isinstance(doc, list):
        doc = next((d for d in doc if d.get("check_type") == "terraform_plan"), {})
    return proc.returncode, doc, proc.stderr


def checkov_failed(doc) -> set:
    failed = (doc.get("results") or {}).get("failed_checks") or []
    return {(c["check_id"], c["resource"]) for c in failed if c["check_id"].startswith("CKV_PG_")}


def pullguard_failed(plan, cwd) -> set:
    code, out, err = run_cli("check", str(plan), "--format", "json", cwd=cwd)
    assert code in (0, 1), err
    return {("CKV_PG_" + f["rule_id"][2:], f["address"]) for f in json.loads(out)["findings"]
            if f["rule_id"] != "PG000"}


def assert_same(plan, tmp_path):
    expected = pullguard_failed(plan, tmp_path)
    code, doc, err = checkov(plan, "--check", "CKV_PG_*", cwd=tmp_path)  # Checkov's own checks aside
    assert doc, err[-2000:]
    assert checkov_failed(doc) == expected
    assert code == (1 if expected else 0)
    return doc, expected


@pytest.mark.parametrize("plan", EXAMPLE_PLANS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_failing_resources_per_rule_on_the_examples(plan, tmp_path):
    assert_same(plan, tmp_path)


@pytest.mark.parametrize("fixture, second", [("images", False), ("unknowns", False), ("images", True)])
def test_same_failing_resources_per_rule_on_real_plans(plans, fixture, second, tmp_path):
    plan = plans.second(fixture) if second else plans.first(fixture)
    doc, expected = assert_same(plan, tmp_path)
    if fixture == "images":
        assert expected  # the fixture fails several rules: the comparison is not vacuous


def test_one_check_per_rule_with_guideline_severity_and_fix(plans, tmp_path):
    plan = plans.first("images")
    code, doc, err = checkov(plan, "--check", "CKV_PG_*", cwd=tmp_path)
    failed = doc["results"]["failed_checks"]
    one = next(c for c in failed if c["check_id"] == "CKV_PG_201")
    assert one["resource"] == "aws_ecs_task_definition.no_role"
    assert one["guideline"].endswith("/docs/rules/PG201.md")
    assert one["severity"] == "HIGH"
    assert any(d.startswith("fix: ") for d in one["details"])
    code, out, _ = run_cli("rules")
    rule_ids = [ln.split()[0] for ln in out.splitlines()]
    passed = doc["results"]["passed_checks"]
    assert {c["check_id"] for c in failed + passed} == {"CKV_PG_" + r[2:] for r in rule_ids
                                                       if r.startswith("PG")} - _service_only(rule_ids, plan)


def _service_only(rule_ids, plan) -> set:
    """Service-scope rules have nothing to check in a plan without services."""
    from pullguard.rules import BY_ID
    services = '"aws_ecs_service"' in Path(plan).read_text()
    return set() if services else {"CKV_PG_" + r[2:] for r in rule_ids if BY_ID[r].scope == "service"}


def test_check_skip_check_and_soft_fail_work_per_rule(tmp_path):
    plan = ROOT / "examples" / "broken-invalid-image" / "plan.json"
    code, doc, _ = checkov(plan, "--check", "CKV_PG_101", cwd=tmp_path)
    assert code == 1 and checkov_failed(doc) == {("CKV_PG_101", "aws_ecs_task_definition.app")}
    assert {c["check_id"] for c in doc["results"]["passed_checks"]} <= {"CKV_PG_101"}
    code, doc, _ = checkov(plan, "--skip-check", "CKV_PG_101", cwd=tmp_path)
    assert ("CKV_PG_101", "aws_ecs_task_definition.app") not in checkov_failed(doc)
    code, doc, _ = checkov(plan, "--check", "CKV_PG_101", "--soft-fail-on", "CKV_PG_101", cwd=tmp_path)
    assert code == 0 and checkov_failed(doc)


def test_source_beside_the_plan_is_not_evaluated_inside_checkov(plans, tmp_path):
    """With Checkov's hcl2 fork installed, the pack reads the plan alone even where .tf files are."""
    plan = plans.first("images")
    src = tmp_path / "src"
    shutil.copytree(ROOT / "tests" / "fixtures" / "tf" / "images", src)
    empty = tmp_path / "empty"
    empty.mkdir()
    code, doc, err = checkov(plan, "--check", "CKV_PG_*", cwd=src)
    assert checkov_failed(doc) == pullguard_failed(plan, empty)


def test_config_suppressions_apply_inside_checkov(tmp_path):
    plan = ROOT / "examples" / "broken-invalid-image" / "plan.json"
    (tmp_path / ".pullguard.toml").write_text('[[suppress]]\nrule = "PG101"\nreason = "known, fixed in #12"\n')
    code, doc, _ = checkov(plan, "--check", "CKV_PG_101", cwd=tmp_path)
    assert code == 0 and not checkov_failed(doc)
    passed = doc["results"]["passed_checks"]
    assert any("suppressed: known, fixed in #12" in d for c in passed for d in c.get("details") or [])


def test_readme_checkov_snippet_runs(tmp_path):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## For Checkov users", 1)[1].split("\n## ", 1)[0]
    snippet = next(b for b in re.findall(r"```sh\n(.+?)\n```", section, re.S) if b.startswith("checkov -f"))
    shutil.copy(ROOT / "examples" / "broken-invalid-image" / "plan.json", tmp_path / "plan.json")
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", BC_SKIP_MAPPING="TRUE")
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", snippet], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "CKV_PG_101" in proc.stdout and "FAILED for resource: aws_ecs_task_definition.app" in proc.stdout
