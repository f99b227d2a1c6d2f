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


def test_fail_on_ecr_dual_stack_and_fips_hosts(plans, tmp_path):
    from test_pg103_private_registry_without_credentials import with_images

    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/ghcr-AbC123"
    result = with_images(plans, tmp_path, [
        ("dualstack", "123456789012.dkr-ecr.us-east-1.on.aws/orders/legacy:0.9.3", secret),
        ("fips", "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/orders/legacy:0.9.3", secret),
        ("publicdual", "ecr-public.aws.com/docker/library/busybox:1.37", secret),  # ECR Public: not PG105's case
    ])
    found = fails(result, "PG105")
    assert set(found) == {case("registries", "dualstack"), case("registries", "fips")}  # ecrcreds replaced
    assert "`123456789012.dkr-ecr.us-east-1.on.aws/orders/legacy:0.9.3` is in Amazon ECR" in \
        found[case("registries", "dualstack")]
