"""Shared fixtures: real Terraform plans made offline, and ways to run pullguard.

Plans come from `terraform plan` + `terraform show -json` on the configurations
under tests/fixtures/tf/, run against moto on 127.0.0.1 with the provider from
the local filesystem mirror (see scripts/tfenv.py). Without Terraform those
tests skip with the reason, except under CI (CI=true), where they fail.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import tfenv  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "tf"
CORPUS = ROOT.parent / "shared" / "corpus" / "plans"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need_terraform() -> None:
    reason = tfenv.missing_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"Terraform tests are mandatory under CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def tf():
    need_terraform()
    with tfenv.TerraformEnv() as env:
        yield env


class Plans:
    """Makes (and caches, per session) plans of the fixture configurations."""

    def __init__(self, env: tfenv.TerraformEnv, root: Path):
        self.env = env
        self.root = root
        self.cache: dict = {}

    def workdir(self, name: str) -> Path:
        work = self.root / name
        if not work.exists():
            shutil.copytree(FIXTURES / name, work)
        return work

    def first(self, name: str, *args: str) -> Path:
        """The first plan of a configuration (nothing applied yet)."""
        key = (name, "first", args)
        if key not in self.cache:
            out = self.root / f"{name}.first{len(self.cache)}.json"
            self.env.plan_json(self.workdir(name), *args, out=out)
            self.cache[key] = out
        return self.cache[key]

    def second(self, name: str, apply_args: tuple = (), plan_args: tuple = ()) -> Path:
        """Apply with ``apply_args`` into moto, then plan with ``plan_args`` (prior state known)."""
        key = (name, "second", apply_args, plan_args)
        if key not in self.cache:
            work = self.root / f"{name}-applied-{len(self.cache)}"
            shutil.copytree(FIXTURES / name, work)
            self.env.apply(work, *apply_args)
            out = self.root / f"{name}.second{len(self.cache)}.json"
            self.env.plan_json(work, *plan_args, out=out)
            self.cache[key] = out
        return self.cache[key]


@pytest.fixture(scope="session")
def plans(tf, tmp_path_factory):
    return Plans(tf, tmp_path_factory.mktemp("plans"))


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
