"""The rule catalog, in one place. Each domain package lists its rules in a
``RULES`` tuple of explicit imports (``from .pg101_... import RULE as PG101``);
this module joins them. No registration by import side effect; duplicate ids
are an error.

Rule files live in domain folders and are named after their id
(``image/pg101_invalid_image_reference.py``).
"""
from . import credentials, iam, image, kms, logs, network, platform
from .base import Rule, Severity


def registry(rules) -> tuple:
    """Check a rule tuple: unique ids, sorted by id."""
    seen = set()
    for r in rules:
        if r.id in seen:
            raise ValueError(f"duplicate rule id {r.id}")
        seen.add(r.id)
    return tuple(sorted(rules, key=lambda r: r.id))


ALL_RULES = registry(image.RULES + credentials.RULES + iam.RULES + kms.RULES + network.RULES
                     + platform.RULES + logs.RULES)
BY_ID = {r.id: r for r in ALL_RULES}

__all__ = ["ALL_RULES", "BY_ID", "Rule", "Severity", "registry"]
