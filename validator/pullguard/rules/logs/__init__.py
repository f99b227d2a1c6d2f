"""Startup secrets and logs rules (PG7xx)."""
from .pg701_secrets_without_execution_role import RULE as PG701

RULES = (PG701,)
