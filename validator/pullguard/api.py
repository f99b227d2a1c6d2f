"""The Python API: the same pipeline the CLI runs.

    from pullguard.api import check_plan
    result = check_plan("plan.json")
    for f in result.findings: print(f.rule_id, f.address, f.message)
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Optional

from .config import Settings
from .engine import Result, gate, run
from .model.world import World
from .parse.load import load_plan
from .parse.plan import build_world
from .parse.source import load_source


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


def load_world(path: str, config_dir: Optional[str] = None) -> World:
    """Read a plan (JSON file, ``-`` for stdin, or binary plan) into the model, with the
    Terraform source of ``config_dir`` where the plan knows values only after apply."""
    with no_cyclic_gc():
        loaded = load_plan(path)
        source = load_source(Path(config_dir) if config_dir else None, loaded.data, loaded.warnings)
        world = build_world(loaded, source)
        world.planned.tf_source = source  # rules may ask it for values inside nested blocks
        return world


def check_plan(path: str, settings: Optional[Settings] = None, skip: Iterable[str] = (),
               only_new: bool = False, config_dir: Optional[str] = None) -> Result:
    """Load, model and run every rule. Raises ``pullguard.errors.InputError`` on bad input."""
    with no_cyclic_gc():
        return run(load_world(path, config_dir), settings, skip=skip, only_new=only_new)


__all__ = ["check_plan", "load_world", "gate", "Result", "Settings"]
