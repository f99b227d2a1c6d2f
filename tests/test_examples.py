"""The examples' committed plans: present, well formed, and reproducible.

`scripts/make_example_plans.py` regenerates plans with real Terraform against
moto; here it must reproduce a committed plan (volatile fields aside). Without
Terraform that test skips with the reason, except under CI (CI=true), where it
fails.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_example_plans  # noqa: E402
import tfenv  # noqa: E402
from support import need_terraform  # noqa: E402  (skip, or fail under CI=true)

EXAMPLES = make_example_plans.example_names()
GOOD = ["ecr-image", "fargate-private-registry-cmk", "modules-wired"]
BROKEN = {
    "broken-credentials-no-execution-role": "PG201",
    "broken-invalid-image": "PG101",
    "broken-no-kms-decrypt": "PG401",
    "broken-private-subnet-no-egress": "PG501",
    "broken-secret-arn-no-suffix": "PG302",
}
# The example whose plan the regeneration test reproduces.
REPRODUCED = "fargate-private-registry-cmk"


@pytest.fixture(scope="module")
def tf():
    need_terraform()
    with tfenv.TerraformEnv() as env:
        yield env


def test_inventory():
    assert sorted(EXAMPLES) == sorted(GOOD + list(BROKEN))


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_has_plan(name):
    folder = ROOT / "examples" / name
    plan = json.loads((folder / "plan.json").read_text())
    assert plan.get("format_version"), f"{name}/plan.json has no format_version"
    assert plan.get("resource_changes"), f"{name}/plan.json plans nothing"
    assert (folder / ".terraform.lock.hcl").is_file(), f"{name} has no committed lock file"
    text = (folder / "main.tf").read_text()
    assert 'provider "aws"' in text and 'region = "us-east-1"' in text


@pytest.mark.parametrize("name", sorted(p.parent.name for p in (ROOT / "examples").glob("*/plan.second.json")))
def test_second_plan_has_prior_state(name):
    plan = json.loads((ROOT / "examples" / name / "plan.second.json").read_text())
    assert plan.get("format_version")
    assert plan["prior_state"]["values"]["root_module"], f"{name}/plan.second.json has no prior state"


@pytest.mark.parametrize("name,rule", sorted(BROKEN.items()))
def test_broken_example_names_its_rule(name, rule):
    readme = (ROOT / "examples" / name / "README.md").read_text()
    assert re.findall(r"PG\d{3}", readme) == [rule]
    catalog = ROOT.parent / "shared" / "spec" / "rules.md"
    if catalog.exists():
        assert f"| {rule} |" in catalog.read_text()


def test_committed_plans_hold_only_fake_secrets():
    for plan_file in (ROOT / "examples").glob("*/plan*.json"):
        for match in re.findall(r'"password\\?":\s*\\?"([^"\\]*)', plan_file.read_text()):
            assert match == "example-password", f"{plan_file}: non-example password committed"


def test_check_ignores_volatile_fields_only():
    committed = json.loads((ROOT / "examples" / REPRODUCED / "plan.json").read_text())
    moved = dict(committed, timestamp="2000-01-01T00:00:00Z",
                 relevant_attributes=list(reversed(committed["relevant_attributes"])))
    assert make_example_plans.check_plan(REPRODUCED, moved) is None
    changed = json.loads(json.dumps(committed))
    changed["resource_changes"][0]["address"] = "aws_vpc.other"
    assert "stale" in make_example_plans.check_plan(REPRODUCED, changed)


@pytest.mark.terraform
def test_regeneration_reproduces_committed_plan(tf):
    plan = make_example_plans.plan_example(tf, REPRODUCED)
    assert make_example_plans.check_plan(REPRODUCED, plan) is None
