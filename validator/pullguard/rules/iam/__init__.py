"""Execution role and IAM rules (PG3xx)."""

RULES = ()
