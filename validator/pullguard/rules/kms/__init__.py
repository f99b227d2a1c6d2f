"""KMS rules (PG4xx)."""

RULES = ()
