"""PG105: repositoryCredentials on an ECR image fails; ECR without them, or other registries with them, pass."""
from rulecase import case, fails, undecided
from test_pg102_image_not_pinned import ecr_url_images  # noqa: F401 (fixture)


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


def test_fail_on_a_repository_url_image_known_after_apply(ecr_url_images):
    from test_pg102_image_not_pinned import URL

    found = fails(ecr_url_images, "PG105")
    assert set(found) == {(URL, "creds")}
    assert "image `<aws_ecr_repository.app.repository_url>:1.4.2` is in Amazon ECR" in found[(URL, "creds")]
    # an ECR repository URL is neither a private third-party registry nor Docker Hub
    assert not fails(ecr_url_images, "PG103") and not fails(ecr_url_images, "PG104")
    assert not undecided(ecr_url_images, "PG103") and not undecided(ecr_url_images, "PG104")
