"""Findings: immutable records of what the run found, ready for any report."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    severity: str                 # error | warning | notice
    title: str
    address: str
    container: Optional[str]
    message: str
    remediation: str
    evidence: tuple
    new: bool
    suppressed: Optional[str] = None   # the reason, when a suppression matched

    def to_dict(self) -> dict:
        d = asdict(self)
        d["evidence"] = list(self.evidence)
        if d["suppressed"] is None:
            del d["suppressed"]
        return d


@dataclass(frozen=True, slots=True)
class Undecided:
    rule_id: str
    severity: str
    title: str
    address: str
    container: Optional[str]
    reason: str
    missing: str
    evidence: tuple

    def to_dict(self) -> dict:
        d = asdict(self)
        d["evidence"] = list(self.evidence)
        return d
