"""Platform rules (PG6xx), reported on the aws_ecs_service."""

RULES = ()
