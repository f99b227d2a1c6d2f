"""PG104: Docker Hub images pulled without credentials fail (rate limits); with credentials pass."""
from rulecase import case, fails, undecided


def test_fail_anonymous_docker_hub_pulls_official_or_not(images):
    found = fails(images, "PG104")
    assert set(found) == {case("pinning", n) for n in ("implicit", "latest", "tagged", "digest", "latestdigest")} | {
        case("registries", "hubuser"), case("registries", "hubofficial")}
    assert "pulled from Docker Hub anonymously" in found[case("registries", "hubofficial")]
    assert "toomanyrequests" in found[case("registries", "hubofficial")]


def test_pass_docker_hub_with_credentials_and_other_registries(images):
    found = fails(images, "PG104")
    for name in ("hubcreds", "ghcr", "ecrpublic", "mcr", "ecr"):
        assert case("registries", name) not in found


def test_undecided_when_the_image_is_unknown(unknowns):
    assert set(undecided(unknowns, "PG104")) == {("aws_ecs_task_definition.opaque", None)}
