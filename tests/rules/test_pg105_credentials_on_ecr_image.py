"""PG105: repositoryCredentials on an ECR image fails; ECR without them, or other registries with them, pass."""
from rulecase import case, fails, undecided


def test_fail_ecr_image_with_repository_credentials(images):
    found = fails(images, "PG105")
    assert set(found) == {case("registries", "ecrcreds")}
    assert "is in Amazon ECR but the container sets `repositoryCredentials`" in found[case("registries", "ecrcreds")]


def test_pass_ecr_without_credentials_and_private_registry_with_them(images):
    found = fails(images, "PG105")
    assert case("registries", "ecr") not in found
    assert case("registries", "ghcrcreds") not in found


def test_undecided_when_the_image_is_unknown(unknowns):
    assert set(undecided(unknowns, "PG105")) == {("aws_ecs_task_definition.opaque", None)}
