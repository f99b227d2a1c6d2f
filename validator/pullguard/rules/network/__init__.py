"""Network path rules (PG5xx), reported on the aws_ecs_service."""
from .pg501_no_egress_path import RULE as PG501
from .pg502_public_subnet_without_public_ip import RULE as PG502
from .pg503_missing_vpc_endpoint import RULE as PG503
from .pg504_unreachable_through_endpoints import RULE as PG504
from .pg505_security_group_egress import RULE as PG505

RULES = (PG501, PG502, PG503, PG504, PG505)
