"""Platform rules (PG6xx), reported on the aws_ecs_service."""
from .pg601_fargate_platform_version import RULE as PG601

RULES = (PG601,)
