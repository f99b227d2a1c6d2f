"""PG101: invalid image references fail; valid ones (ports, digests) pass; unknown images are undecided."""
from rulecase import case, fails, undecided
from test_pg102_image_not_pinned import URL, ecr_url_images  # noqa: F401 (fixture)


def test_fail_each_invalid_reference_with_its_reason(images):
    found = fails(images, "PG101")
    assert set(found) == {case("invalid", c) for c in ("upper", "badtag", "baddigest", "space")}
    assert "`Acme/api` has uppercase letters" in found[case("invalid", "upper")]
    assert "the tag `-1` is not valid" in found[case("invalid", "badtag")]
    assert "`sha256:ABC`" in found[case("invalid", "baddigest")]
    assert "white space" in found[case("invalid", "space")]


def test_pass_near_misses_registry_port_digest_and_tag_with_digest(images):
    found = fails(images, "PG101")
    for name in ("registryport", "digest", "latestdigest", "tagged", "implicit"):
        assert case("pinning", name) not in found
    assert not any(addr == case("registries", "x")[0] for addr, _ in found)


def test_fail_in_every_module_instance(modules_count):
    found = fails(modules_count, "PG101")
    assert set(found) == {
        ('module.svc["worker"].aws_ecs_task_definition.own[0]', "worker"),
        ('module.svc["worker"].aws_ecs_task_definition.passed', "worker"),
    }
    assert "`Acme/Worker` has uppercase letters" in found[('module.svc["worker"].aws_ecs_task_definition.passed', "worker")]


def test_undecided_when_container_definitions_are_unknown(unknowns, unknowns_applied):
    assert undecided(unknowns, "PG101") == {
        ("aws_ecs_task_definition.opaque", None):
            "aws_ecs_task_definition.opaque.container_definitions (known after apply)"}
    # after apply the same configuration is decided, and it passes
    assert undecided(unknowns_applied, "PG101") == {}
    assert fails(unknowns_applied, "PG101") == {}


def test_repository_url_image_with_an_invalid_tag(ecr_url_images):
    """"${aws_ecr_repository.app.repository_url}:1.4.2+build.7": the URL is valid, the tag is not."""
    found = fails(ecr_url_images, "PG101")
    assert set(found) == {(URL, "badtag")}
    assert "image `<aws_ecr_repository.app.repository_url>:1.4.2+build.7` is not a valid reference: the tag " \
        "`1.4.2+build.7` is not valid" in found[(URL, "badtag")]
    assert set(undecided(ecr_url_images, "PG101")) == set()
