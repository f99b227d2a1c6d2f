"""The Python API: the same pipeline the CLI runs.

    from pullguard.api import check_plan
    result = check_plan("plan.json")
    for f in result.findings: print(f.rule_id, f.address, f.message)
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterable, Optional

from .config import Settings
from .engine import Result, gate, run
from .model.world import World
from .parse.load import load_plan
from .parse.plan import build_world


@contextmanager
def no_cyclic_gc():
    """Pause the cyclic garbage collector while a plan is read and modelled.

    The model creates no reference cycles, but a large plan is millions of
    objects: every young-generation collection would walk them again (it cost
    more than half the run time on a 5,000-resource plan). Restored after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_world(path: str) -> World:
    """Read a plan (JSON file, ``-`` for stdin, or binary plan) into the model."""
    with no_cyclic_gc():
        return build_world(load_plan(path))


def check_plan(path: str, settings: Optional[Settings] = None, skip: Iterable[str] = (),
               only_new: bool = False) -> Result:
    """Load, model and run every rule. Raises ``pullguard.errors.InputError`` on bad input."""
    with no_cyclic_gc():
        return run(load_world(path), settings, skip=skip, only_new=only_new)


__all__ = ["check_plan", "load_world", "gate", "Result", "Settings"]
