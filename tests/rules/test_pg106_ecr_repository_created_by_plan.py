"""PG106: the image's ECR repository is created by the same plan (empty at first start)."""
from rulecase import fails, undecided
from test_pg204_registry_secret_value_shape import creds_broken, creds_first  # noqa: F401 (fixtures)

ECR = "aws_ecs_task_definition.ecr"


def test_fail_repository_created_matched_by_name_or_by_url_reference(creds_first):
    found = fails(creds_first, "PG106")
    assert set(found) == {(ECR, "fresh"), ("aws_ecs_task_definition.ecr_url", None)}
    assert "is in ECR repository `aws_ecr_repository.fresh`, which this plan creates" in found[(ECR, "fresh")]
    assert "takes its image from the `repository_url` of `aws_ecr_repository.fresh`" in \
        found[("aws_ecs_task_definition.ecr_url", None)]
    severities = {f.severity for f in creds_first.findings if f.rule_id == "PG106"}
    assert severities == {"warning"}


def test_pass_existing_or_other_region_repository_and_after_apply(creds_first, creds_broken):
    found = fails(creds_first, "PG106")
    assert (ECR, "elsewhere") not in found and (ECR, "westrepo") not in found
    assert fails(creds_broken, "PG106") == {}  # the repositories exist now


def test_undecided_when_the_plan_may_push_the_image(creds_first):
    found = undecided(creds_first, "PG106")
    assert "terraform_data.push" in found[(ECR, "pushed")]
    assert ("aws_ecs_task_definition.cross", None) in found


def test_fail_with_source_image_built_from_a_fresh_repository_url(plans):
    # With the Terraform source, the container definitions are known and the image is
    # "<aws_ecr_repository.fresh.repository_url>:1.0": still the repository this plan creates.
    from pullguard.api import check_plan
    from support import FIXTURES

    result = check_plan(str(plans.first("creds_registry")), config_dir=str(FIXTURES / "creds_registry"))
    found = fails(result, "PG106")
    assert ("aws_ecs_task_definition.ecr_url", "app") in found
    assert "`aws_ecr_repository.fresh`, which this plan creates" in found[("aws_ecs_task_definition.ecr_url", "app")]


MODULES = {
    "main.tf": """
provider "aws" {
  region = "us-east-1"
}

module "registry" {
  source = "./registry"
}

module "service" {
  source   = "./service"
  for_each = { api = "${module.registry.urls["quotes/api"]}:1.0", gateway = "123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/gateway:5.2.0" }
  name     = each.key
  image    = each.value
}
""",
    "registry/main.tf": """
resource "aws_ecr_repository" "this" {
  for_each = toset(["quotes/api"])
  name     = each.key
}

output "urls" {
  value = { for k, r in aws_ecr_repository.this : k => r.repository_url }
}
""",
    "service/main.tf": """
variable "name" {
  type = string
}

variable "image" {
  type = string
}

resource "aws_ecs_task_definition" "this" {
  family                = var.name
  container_definitions = jsonencode([{ name = var.name, image = var.image, memory = 128, essential = true }])
}
""",
}


def test_fail_repository_of_another_module_reached_through_outputs(tf, tmp_path):
    """The image is `<module.registry.aws_ecr_repository.this["quotes/api"].repository_url>:1.0` in a
    module instance: the repository is found by its full address, not in the service's module."""
    from pullguard.api import check_plan

    for name, text in MODULES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    tf.plan_json(tmp_path, out=tmp_path / "plan.json")
    found = fails(check_plan(str(tmp_path / "plan.json"), config_dir=str(tmp_path)), "PG106")
    assert set(found) == {('module.service["api"].aws_ecs_task_definition.this', "api")}
    assert "`module.registry.aws_ecr_repository.this[\"quotes/api\"]`, which this plan creates" in \
        found[('module.service["api"].aws_ecs_task_definition.this', "api")]
