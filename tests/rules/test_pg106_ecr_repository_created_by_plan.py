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
