"""The rule catalog is consistent: every registered rule has a page, a file named
after its id in a domain folder, and tests; ids are unique; the CLI lists and
explains every rule."""
from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pullguard.rules import ALL_RULES, BY_ID, Rule, Severity, registry

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "rules"
RULES_PKG = ROOT / "validator" / "pullguard" / "rules"
RULE_TESTS = ROOT / "tests" / "rules"
IDS = [r.id for r in ALL_RULES]


def _module_file(rule: Rule) -> Path:
    module = importlib.import_module(rule.check.__module__)
    return Path(module.__file__).resolve()


def test_catalog_is_not_empty_and_ids_are_well_formed():
    assert ALL_RULES
    for r in ALL_RULES:
        assert re.fullmatch(r"PG\d{3}", r.id), r.id
        assert isinstance(r.severity, Severity)
        assert r.title and r.title == r.title.strip()
    assert list(IDS) == sorted(IDS)
    assert set(BY_ID) == set(IDS)


@pytest.mark.parametrize("rule_id", IDS)
def test_every_rule_has_a_page_titled_like_the_rule(rule_id):
    rule = BY_ID[rule_id]
    page = DOCS / rule.doc_name
    assert page.is_file(), f"missing {page.relative_to(ROOT)}"
    text = page.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# {rule.id}: {rule.title}"
    assert f"**{rule.severity.value}**" in text, "the page states another severity than the rule"
    for section in ("## What you see at run time", "## What pullguard reports", "## Why",
                    "## How to fix it in Terraform", "## Bad", "## Good", "## Undecided when"):
        assert section in text, f"{page.name} lacks {section!r}"


def test_every_page_belongs_to_a_registered_rule():
    pages = sorted(p.stem for p in DOCS.glob("PG*.md"))
    orphans = [p for p in pages if p not in BY_ID]
    assert not orphans, f"pages without a registered rule: {orphans}"


def test_packaged_rule_docs_are_the_docs_folder():
    packaged = RULES_PKG.parent / "rule_docs"
    assert packaged.resolve() == DOCS.resolve()


@pytest.mark.parametrize("rule_id", IDS)
def test_rule_module_is_named_after_its_id_in_a_domain_folder(rule_id):
    rule = BY_ID[rule_id]
    path = _module_file(rule)
    assert path.name.startswith(rule.id.lower() + "_"), path.name
    domain = path.parent
    assert domain.parent == RULES_PKG.resolve(), f"{path} is not in a domain folder of {RULES_PKG}"
    assert domain.name not in ("", "rules") and (domain / "__init__.py").is_file()
    assert getattr(importlib.import_module(rule.check.__module__), "RULE") is rule


def test_every_rule_file_is_registered():
    registered = {_module_file(r) for r in ALL_RULES}
    files = {p.resolve() for p in RULES_PKG.glob("*/pg[0-9][0-9][0-9]_*.py")}
    assert files - registered == set(), "rule files not in ALL_RULES"


def _fake(rule_id: str, title: str = "fake") -> Rule:
    return Rule(rule_id, title, Severity.NOTICE, lambda snapshot, settings: iter(()))


def test_registry_rejects_duplicate_ids():
    with pytest.raises(ValueError, match="duplicate rule id PG999"):
        registry((_fake("PG999", "one"), _fake("PG998"), _fake("PG999", "two")))


def test_registry_sorts_by_id():
    rules = registry((_fake("PG998"), _fake("PG997"), _fake("PG999")))
    assert [r.id for r in rules] == ["PG997", "PG998", "PG999"]


@pytest.mark.parametrize("rule_id", IDS)
def test_every_rule_has_a_test_file_with_fail_pass_and_undecided_cases(rule_id):
    prefix = f"test_{rule_id.lower()}"
    files = sorted(RULE_TESTS.glob(f"{prefix}*.py")) if RULE_TESTS.is_dir() else []
    assert files, f"no tests/rules/{prefix}*.py"
    text = "\n".join(f.read_text(encoding="utf-8") for f in files).lower()
    for word in ("fail", "pass", "undecided"):
        assert word in text, f"{files[0].name}: no {word!r} case"


def _pullguard(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "pullguard", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)


def test_explain_prints_the_page():
    proc = _pullguard("explain", "PG101")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (DOCS / "PG101.md").read_text(encoding="utf-8")


def test_explain_accepts_lowercase_ids():
    proc = _pullguard("explain", "pg101")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# PG101: ")


def test_explain_unknown_rule_is_one_line_and_exit_2():
    proc = _pullguard("explain", "PG999")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "PG999" in proc.stderr


def test_rules_lists_every_id_with_severity_and_title():
    proc = _pullguard("rules")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert [ln.split()[0] for ln in lines] == IDS
    for line, rule in zip(lines, ALL_RULES):
        assert rule.severity.value in line.split() and line.endswith(rule.title)
