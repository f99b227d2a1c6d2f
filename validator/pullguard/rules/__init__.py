"""The rule catalog: one tuple, one place. Add a rule by importing its RULE here.

Rule files live in domain folders and are named after their id
(``image/pg101_invalid_image_reference.py``). Duplicate ids are an error.
"""
from .base import Rule, Severity
from .credentials.pg201_credentials_without_execution_role import RULE as PG201
from .credentials.pg202_credentials_parameter_not_a_secret import RULE as PG202
from .image.pg101_invalid_image_reference import RULE as PG101
from .image.pg102_image_not_pinned import RULE as PG102
from .image.pg103_private_registry_without_credentials import RULE as PG103
from .image.pg104_docker_hub_anonymous import RULE as PG104
from .image.pg105_credentials_on_ecr_image import RULE as PG105
from .logs.pg701_secrets_without_execution_role import RULE as PG701


def registry(rules) -> tuple:
    """Check a rule tuple: unique ids, sorted by id."""
    seen = set()
    for r in rules:
        if r.id in seen:
            raise ValueError(f"duplicate rule id {r.id}")
        seen.add(r.id)
    return tuple(sorted(rules, key=lambda r: r.id))


ALL_RULES = registry((PG101, PG102, PG103, PG104, PG105, PG201, PG202, PG701))
BY_ID = {r.id: r for r in ALL_RULES}

__all__ = ["ALL_RULES", "BY_ID", "Rule", "Severity", "registry"]
