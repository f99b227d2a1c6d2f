"""Every good example yields no error or warning finding; every broken example yields exactly
the finding it was built to show, on its first plan (read with its Terraform source) and on its
second plan (after apply)."""
from pathlib import Path

import pytest

from pullguard.api import check_plan
from support import ROOT

EXAMPLES = ROOT / "examples"
EXPECTED = {
    "broken-credentials-no-execution-role": {"PG201"},
    "broken-invalid-image": {"PG101"},
    "broken-no-kms-decrypt": {"PG401"},
    "broken-private-subnet-no-egress": {"PG501"},
    "broken-secret-arn-no-suffix": {"PG302"},
    "ecr-image": set(),
    "fargate-private-registry-cmk": set(),
    "modules-wired": set(),
}
CASES = [(name, plan) for name in EXPECTED for plan in ("plan.json", "plan.second.json")]


def test_every_example_is_listed():
    assert {p.name for p in EXAMPLES.iterdir() if (p / "main.tf").is_file()} == set(EXPECTED)


@pytest.mark.parametrize("name, plan", CASES, ids=[f"{n}/{p}" for n, p in CASES])
def test_example_findings(name, plan):
    result = check_plan(str(EXAMPLES / name / plan), config_dir=str(EXAMPLES / name))
    serious = {f.rule_id for f in result.findings if f.severity in ("error", "warning")}
    assert serious == EXPECTED[name], [(f.rule_id, f.address, f.message) for f in result.findings]
    # the broken README names the rule it targets
    if EXPECTED[name]:
        assert next(iter(EXPECTED[name])) in (EXAMPLES / name / "README.md").read_text()
