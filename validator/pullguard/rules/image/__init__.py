"""Image reference and registry rules (PG1xx)."""
from .pg101_invalid_image_reference import RULE as PG101
from .pg102_image_not_pinned import RULE as PG102
from .pg103_private_registry_without_credentials import RULE as PG103
from .pg104_docker_hub_anonymous import RULE as PG104
from .pg105_credentials_on_ecr_image import RULE as PG105
from .pg106_ecr_repository_created_by_plan import RULE as PG106

RULES = (PG101, PG102, PG103, PG104, PG105, PG106)
