"""The Python API: the same pipeline the CLI runs.

    from pullguard.api import check_plan
    result = check_plan("plan.json")
    for f in result.findings: print(f.rule_id, f.address, f.message)
"""
from __future__ import annotations

from typing import Iterable, Optional

from .config import Settings
from .engine import Result, gate, run
from .model.world import World
from .parse.load import load_plan
from .parse.plan import build_world


def load_world(path: str) -> World:
    """Read a plan (JSON file, ``-`` for stdin, or binary plan) into the model."""
    return build_world(load_plan(path))


def check_plan(path: str, settings: Optional[Settings] = None, skip: Iterable[str] = (),
               only_new: bool = False) -> Result:
    """Load, model and run every rule. Raises ``pullguard.errors.InputError`` on bad input."""
    return run(load_world(path), settings, skip=skip, only_new=only_new)


__all__ = ["check_plan", "load_world", "gate", "Result", "Settings"]
