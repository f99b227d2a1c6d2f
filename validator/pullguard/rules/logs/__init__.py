"""Startup secrets and logs rules (PG7xx)."""
from .pg701_secrets_without_execution_role import RULE as PG701
from .pg702_startup_secret_not_readable import RULE as PG702
from .pg703_log_group_not_created import RULE as PG703
from .pg704_log_stream_not_writable import RULE as PG704

RULES = (PG701, PG702, PG703, PG704)
