"""pullguard as a Checkov policy pack: a thin adapter over the same engine.

    pip install "pullguard[checkov]"
    checkov -f plan.json --framework terraform_plan --external-checks-dir "$(pullguard checkov-dir)"

``checks/pullguard_rules.py`` registers one Checkov resource check per
pullguard rule, ``CKV_PG_<nnn>`` for ``PG<nnn>`` (Checkov's custom check ids
are ``CKV_<LETTERS>_<digits>``), with the rule's page as the guideline and
Checkov severities HIGH / MEDIUM / LOW for error / warning / notice, so
``--check``, ``--skip-check`` and ``--soft-fail-on`` work per rule.

Checkov hands a check one resource at a time, but every resource's
configuration carries ``__file__`` (the plan file's absolute path) and
``__address__``. The first check to ask about a plan file runs pullguard's
whole engine on that file once (``results_for``, cached by path, size and
modification time); every check then answers for its own rule and resource
from that result. So cross-resource rules (role → policies → secret → key) see
the whole plan, exactly as ``pullguard check`` does, and no rule is written twice.

What cannot work inside Checkov (see the README's Checkov section):
- undecided outcomes have no Checkov status: they are UNKNOWN, which Checkov
  leaves out of its report (``pullguard check`` lists them);
- ``--framework terraform`` on source (HCL without a plan) is not supported:
  pullguard reasons about the plan, the checks answer UNKNOWN there;
- Checkov's ``#checkov:skip`` comments do not reach a plan file: use
  ``--skip-check CKV_PG_104``, ``.pullguard.toml`` or ``# pullguard:ignore``
  (both read from the working directory, as ``pullguard check`` does);
- values known only after apply are not read from the Terraform source: Checkov installs
  bc-python-hcl2 as the ``hcl2`` module, in place of the python-hcl2 that pullguard's source
  reader needs, so the pack reads the plan alone (as ``pullguard check`` from a directory without
  ``.tf`` files); what the source would have decided stays undecided (UNKNOWN);
- ``--only-new`` and pullguard's exit-code threshold are pullguard options:
  under Checkov, use ``--soft-fail-on`` / ``--hard-fail-on``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

PACK_DIR = Path(__file__).resolve().parent / "checks"
SEVERITY = {"error": "HIGH", "warning": "MEDIUM", "notice": "LOW"}
SCOPE_TYPES = {"service": ("aws_ecs_service",)}
DEFAULT_TYPES = ("aws_ecs_task_definition",)

_CACHE: dict = {}


def check_id(rule_id: str) -> str:
    """``PG101`` → ``CKV_PG_101``."""
    return f"CKV_PG_{rule_id[2:]}"


def resource_types(rule) -> tuple:
    """The resource types a rule reports on (its ``scope``)."""
    return SCOPE_TYPES.get(getattr(rule, "scope", "container"), DEFAULT_TYPES)


class PlanVerdicts:
    """What pullguard concluded about one plan: per rule and address, failed / undecided / suppressed."""

    def __init__(self, result, scrub):
        self.failed: dict = {}
        self.undecided: dict = {}
        self.suppressed: dict = {}
        for f in result.findings:
            self.failed.setdefault((f.rule_id, f.address), []).append(f)
        for u in result.undecided:
            self.undecided.setdefault((u.rule_id, u.address), []).append(u)
        for f in result.suppressed:
            self.suppressed.setdefault((f.rule_id, f.address), []).append(f)
        self.scrub = scrub

    def details(self, rule_id: str, address: str) -> list:
        out = []
        for f in self.failed.get((rule_id, address), ()):
            where = f"container {f.container}: " if f.container else ""
            out += [self.scrub(f"{where}{f.message}"), self.scrub(f"fix: {f.remediation}")]
        for f in self.suppressed.get((rule_id, address), ()):
            out.append(self.scrub(f"suppressed: {f.suppressed}"))
        for u in self.undecided.get((rule_id, address), ()):
            out.append(self.scrub(f"undecided: {u.reason} (missing: {u.missing})"))
        return out


def results_for(plan_path: str) -> Optional[PlanVerdicts]:
    """Run pullguard once per plan file (cached); None when pullguard cannot read it."""
    try:
        st = os.stat(plan_path)
    except OSError:
        return None
    key = (os.path.realpath(plan_path), st.st_size, st.st_mtime_ns)
    if key not in _CACHE:
        _CACHE[key] = _run(plan_path)
    return _CACHE[key]


def _hcl2_is_checkovs() -> bool:
    """Whether ``hcl2`` is Checkov's fork (bc-python-hcl2), not the python-hcl2 pullguard's source reader needs."""
    try:
        import hcl2
    except Exception:
        return False
    return hasattr(hcl2, "START_LINE")


def _plan_only(plan_path: str):
    """The world from the plan alone: with Checkov's hcl2 fork the source's values cannot be trusted."""
    from ..parse.load import load_plan
    from ..parse.plan import build_world
    return build_world(load_plan(plan_path), None)


def _run(plan_path: str) -> Optional[PlanVerdicts]:
    from ..api import load_world, no_cyclic_gc
    from ..config import load_settings
    from ..engine import run
    from ..errors import InputError
    from ..suppress_inline import read_source, with_inline
    try:
        settings = load_settings()
        with no_cyclic_gc():
            world = _plan_only(plan_path) if _hcl2_is_checkovs() else load_world(plan_path)
            result = run(world, with_inline(settings, read_source(world, None)))
    except InputError:
        return None
    scrub = world.secrets.scrub if world.secrets is not None else (lambda s: s)
    return PlanVerdicts(result, scrub)
