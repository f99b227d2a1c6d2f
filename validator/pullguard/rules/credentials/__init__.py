"""Registry credentials rules (PG2xx)."""
from .pg201_credentials_without_execution_role import RULE as PG201
from .pg202_credentials_parameter_not_a_secret import RULE as PG202

RULES = (PG201, PG202)
