"""Findings: immutable records of what the run found, ready for any report."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple, Optional


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


class Undecided(NamedTuple):
    """An outcome the plan cannot decide. A named tuple, not a dataclass: a large plan has tens of
    thousands of them (every container rule of every task definition known only after apply)."""
    rule_id: str
    severity: str
    title: str
    address: str
    container: Optional[str]
    reason: str
    missing: str
    evidence: tuple

    def to_dict(self) -> dict:
        d = self._asdict()
        d["evidence"] = list(self.evidence)
        return d
