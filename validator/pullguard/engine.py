"""Run rules over the world and turn outcomes into findings.

Each rule runs on the planned snapshot; when the plan has a prior state, it
runs on the prior snapshot too, so every finding can say whether this plan
introduces it (``new``). A rule that raises becomes a PG000 finding about
pullguard itself; the exception's text is never shown (it could hold a value).
"""
from __future__ import annotations

import os
from operator import attrgetter
import traceback
from dataclasses import dataclass, field
from typing import Iterable, Optional

from .config import Settings
from .findings import Finding, Undecided
from .model.world import World
from .rules import ALL_RULES
from .rules.base import FAIL, PASS, UNDECIDED, Rule

INTERNAL_ID = "PG000"


@dataclass
class Result:
    world: World
    rules: tuple
    findings: list = field(default_factory=list)      # failures, not suppressed
    suppressed: list = field(default_factory=list)    # failures a suppression matched
    undecided: list = field(default_factory=list)
    passed: int = 0
    hidden_existing: int = 0                          # left out by --only-new
    skipped_rules: tuple = ()


def _internal(rule: Rule, exc: BaseException) -> Finding:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else "?"
    return Finding(
        rule_id=INTERNAL_ID, severity="warning", title="pullguard internal error",
        address="(pullguard)", container=None,
        message=f"rule {rule.id} crashed ({type(exc).__name__} at {where}) and was not checked",
        remediation="Report this to the pullguard maintainers with the plan's shape (not its values).",
        evidence=(rule.id,), new=True,
    )


def _outcomes(rule: Rule, snapshot, settings: Settings):
    return list(rule.check(snapshot, settings))


def run(world: World, settings: Optional[Settings] = None, rules: Iterable[Rule] = ALL_RULES,
        skip: Iterable[str] = (), only_new: bool = False) -> Result:
    settings = settings or Settings()
    skip = {s.upper() for s in skip}
    # in id order: undecided outcomes then come out ordered by rule within each address (see below)
    active = tuple(sorted((r for r in rules if r.id not in skip), key=lambda r: r.id))
    result = Result(world=world, rules=active, skipped_rules=tuple(sorted(skip)))
    have_prior = len(world.prior) > 0
    undecided = result.undecided
    passed = 0
    for rule in active:
        try:
            outcomes = _outcomes(rule, world.planned, settings)
            before = set()
            # only a resource that exists already can have had the problem before this plan
            if have_prior and any(o.status == FAIL and o.address in world.prior for o in outcomes):
                before = {(o.address, o.container) for o in _outcomes(rule, world.prior, settings)
                          if o.status == FAIL}
        except Exception as exc:  # a crashing rule must not crash the run
            result.findings.append(_internal(rule, exc))
            continue
        rid, sev, title = rule.id, rule.severity.value, rule.title
        for o in outcomes:
            status = o.status
            if status == PASS:
                passed += 1
            elif status == UNDECIDED:
                undecided.append(Undecided(rid, sev, title, o.address, o.container, o.message, o.missing or "",
                                           o.evidence))
            else:
                f = Finding(rid, sev, title, o.address, o.container, o.message,
                            o.remediation, o.evidence, new=(o.address, o.container) not in before)
                sup = settings.suppression_for(rid, o.address)
                if sup is not None:
                    result.suppressed.append(_with_reason(f, sup.reason))
                elif only_new and not f.new:
                    result.hidden_existing += 1
                else:
                    result.findings.append(f)
    result.passed = passed
    order = {"error": 0, "warning": 1, "notice": 2}
    result.findings.sort(key=lambda f: (f.address, order.get(f.severity, 3), f.rule_id, f.container or ""))
    # by address, then rule (the order the rules ran in; a stable sort keeps it), then the order the
    # rule gave its containers in: a C key, since there can be tens of thousands of them
    undecided.sort(key=attrgetter("address"))
    return result


def _with_reason(f: Finding, reason: str) -> Finding:
    from dataclasses import replace
    return replace(f, suppressed=reason)


def gate(result: Result, fail_on: str = "error", fail_on_undecided: bool = False) -> int:
    """Exit code: 1 when a finding is at or above the threshold (or undecided, if asked), else 0."""
    threshold = {"error": 3, "warning": 2, "notice": 1}[fail_on]
    rank = {"error": 3, "warning": 2, "notice": 1}
    if any(rank.get(f.severity, 3) >= threshold for f in result.findings):
        return 1
    if fail_on_undecided and result.undecided:
        return 1
    return 0
