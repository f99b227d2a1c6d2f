"""PG103: a private-registry image without repositoryCredentials fails; ECR, public registries,
Docker Hub official images, images with credentials and declared-public images pass."""
from rulecase import case, fails, undecided


def test_fail_third_party_registries_without_credentials(images):
    found = fails(images, "PG103")
    assert set(found) == {case("registries", "ghcr"), case("registries", "hubuser"),
                          case("registries", "declared"), case("pinning", "registryport")}
    assert "is on `ghcr.io`" in found[case("registries", "ghcr")]
    assert "no `repositoryCredentials`" in found[case("registries", "ghcr")]
    assert "is on Docker Hub" in found[case("registries", "hubuser")]
    assert "`registry.acme.internal:5000`" in found[case("pinning", "registryport")]


def test_pass_ecr_public_official_and_credentialed_images(images):
    found = fails(images, "PG103")
    for name in ("ghcrcreds", "ecrpublic", "mcr", "hubofficial", "hubcreds", "ecr", "ecrcreds"):
        assert case("registries", name) not in found
    for name in ("implicit", "latest", "tagged"):  # nginx: a Docker Hub official image
        assert case("pinning", name) not in found


def test_pass_when_declared_public_in_config(images_declared):
    found = fails(images_declared, "PG103")
    assert case("registries", "declared") not in found
    assert case("registries", "ghcr") in found


def test_undecided_when_the_image_is_unknown(unknowns):
    assert set(undecided(unknowns, "PG103")) == {("aws_ecs_task_definition.opaque", None)}
