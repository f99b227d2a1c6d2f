"""Helpers shared by the tests (not fixtures): paths, running the CLI, picking findings."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "tf"
CORPUS = ROOT.parent / "shared" / "corpus" / "plans"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

sys.path.insert(0, str(ROOT / "scripts"))
import tfenv  # noqa: E402


def need_terraform() -> None:
    reason = tfenv.missing_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"Terraform tests are mandatory under CI: {reason}")
        pytest.skip(reason)


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None):
    """Run the installed entry point as a user would: (exit code, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "pullguard", *args], input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def findings_json(*args: str, cwd: Path | None = None) -> tuple[int, dict]:
    code, out, err = run_cli("check", *args, "--format", "json", cwd=cwd)
    assert code in (0, 1), err
    return code, json.loads(out)


def by_rule(doc_or_result, rule_id: str) -> set:
    """{(address, container)} of the findings of one rule (JSON report or Result)."""
    items = doc_or_result["findings"] if isinstance(doc_or_result, dict) else doc_or_result.findings
    get = (lambda f, k: f[k]) if isinstance(doc_or_result, dict) else getattr
    return {(get(f, "address"), get(f, "container")) for f in items if get(f, "rule_id") == rule_id}


def undecided_of(result, rule_id: str) -> set:
    return {(u.address, u.container) for u in result.undecided if u.rule_id == rule_id}
