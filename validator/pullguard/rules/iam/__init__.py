"""Execution role and IAM rules (PG3xx)."""
from .pg301_trust_policy_ecs_tasks import RULE as PG301
from .pg302_registry_secret_not_readable import RULE as PG302
from .pg303_ecr_pull_not_allowed import RULE as PG303
from .pg304_permission_created_without_wait import RULE as PG304
from .pg305_cross_account_ecr_repository_policy import RULE as PG305

RULES = (PG301, PG302, PG303, PG304, PG305)
