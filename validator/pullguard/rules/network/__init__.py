"""Network path rules (PG5xx), reported on the aws_ecs_service."""

RULES = ()
