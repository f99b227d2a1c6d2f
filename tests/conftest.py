"""Shared fixtures: real Terraform plans made offline, and ways to run pullguard.

Plans come from `terraform plan` + `terraform show -json` on the configurations
under tests/fixtures/tf/, run against moto on 127.0.0.1 with the provider from
the local filesystem mirror (see scripts/tfenv.py). Without Terraform those
tests skip with the reason, except under CI (CI=true), where they fail.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import FIXTURES, need_terraform, tfenv


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
            self.env.reset_aws()  # each applied configuration starts from an empty account
            self.env.apply(work, *apply_args)
            out = self.root / f"{name}.second{len(self.cache)}.json"
            self.env.plan_json(work, *plan_args, out=out)
            self.cache[key] = out
        return self.cache[key]


@pytest.fixture(scope="session")
def plans(tf, tmp_path_factory):
    return Plans(tf, tmp_path_factory.mktemp("plans"))


