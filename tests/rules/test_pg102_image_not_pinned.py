"""PG102: no tag and no digest, or `latest` without a digest, fail; tags and digests pass."""
from rulecase import case, fails, undecided


def test_fail_implicit_latest_and_explicit_latest(images):
    found = fails(images, "PG102")
    assert set(found) == {case("pinning", "implicit"), case("pinning", "latest")}
    assert "has no tag or digest, so ECS pulls `latest`" in found[case("pinning", "implicit")]
    assert "uses the tag `latest`" in found[case("pinning", "latest")]


def test_pass_version_tag_digest_and_latest_pinned_by_digest(images):
    found = fails(images, "PG102")
    for name in ("tagged", "digest", "latestdigest", "registryport"):
        assert case("pinning", name) not in found


def test_invalid_images_are_left_to_pg101(images):
    assert not any(addr == case("invalid", "x")[0] for addr, _ in fails(images, "PG102"))


def test_undecided_when_the_image_is_unknown(unknowns):
    assert set(undecided(unknowns, "PG102")) == {("aws_ecs_task_definition.opaque", None)}
