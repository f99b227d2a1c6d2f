"""KMS rules (PG4xx)."""
from .pg401_role_cannot_decrypt import RULE as PG401
from .pg402_key_policy_denies_role import RULE as PG402
from .pg403_cross_account_secret import RULE as PG403
from .pg404_key_disabled_or_deleted import RULE as PG404

RULES = (PG401, PG402, PG403, PG404)
