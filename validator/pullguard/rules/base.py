"""What a rule is and what it returns.

A rule is a small pure function of a ``Snapshot`` that yields ``Outcome``s:
``passed(...)``, ``fail(...)`` or ``undecided(...)``. It declares its id,
title and severity; the engine adds the rest (``new``, suppressions).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Callable, Iterable, NamedTuple, Optional

PASS, FAIL, UNDECIDED = "pass", "fail", "undecided"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "notice": 1}[self.value]


class Outcome(NamedTuple):
    """Immutable; a named tuple because a large plan yields tens of thousands of them."""
    status: str                   # pass | fail | undecided
    address: str
    container: Optional[str] = None
    message: str = ""
    remediation: str = ""
    evidence: tuple = ()
    missing: Optional[str] = None  # the fact that was not known (undecided)


def passed(address: str, container: Optional[str] = None, evidence: tuple = ()) -> Outcome:
    return Outcome(PASS, address, container, "", "", tuple(evidence))


def fail(address: str, message: str, remediation: str, container: Optional[str] = None,
         evidence: tuple = ()) -> Outcome:
    return Outcome(FAIL, address, container, message, remediation, tuple(evidence))


def undecided(address: str, missing: str, message: str, container: Optional[str] = None,
              evidence: tuple = ()) -> Outcome:
    return Outcome(UNDECIDED, address, container, message, "", tuple(evidence), missing)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    check: Callable[..., Iterable[Outcome]] = field(repr=False, compare=False)
    scope: str = "container"      # container | task | service

    @property
    def doc_name(self) -> str:
        return f"{self.id}.md"
