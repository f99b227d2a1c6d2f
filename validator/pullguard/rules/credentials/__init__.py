"""Registry credentials rules (PG2xx)."""
from .pg201_credentials_without_execution_role import RULE as PG201
from .pg202_credentials_parameter_not_a_secret import RULE as PG202
from .pg203_secret_name_other_region import RULE as PG203
from .pg204_registry_secret_value_shape import RULE as PG204
from .pg205_secret_deleted_by_plan import RULE as PG205

RULES = (PG201, PG202, PG203, PG204, PG205)
