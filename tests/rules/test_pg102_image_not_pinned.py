"""PG102: no tag and no digest, or `latest` without a digest, fail; tags and digests pass."""
import pytest

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


ECR_URL_IMAGES = """
provider "aws" {
  region = "us-east-1"
}

resource "aws_ecr_repository" "app" {
  name = "shop/app"
}

resource "aws_ecr_repository" "jobs" {
  for_each = toset(["nightly"])
  name     = "shop/${each.key}"
}

locals {
  digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  images = {
    bare    = aws_ecr_repository.app.repository_url
    latest  = "${aws_ecr_repository.app.repository_url}:latest"
    tagged  = "${aws_ecr_repository.app.repository_url}:1.4.2"
    digest  = "${aws_ecr_repository.jobs["nightly"].repository_url}@${local.digest}"
    badtag  = "${aws_ecr_repository.app.repository_url}:1.4.2+build.7"
    creds   = "${aws_ecr_repository.app.repository_url}:1.4.2"
  }
}

resource "aws_ecs_task_definition" "url" {
  family = "url"
  container_definitions = jsonencode([for k, v in local.images : merge(
    { name = k, image = v, memory = 128, essential = true },
    k == "creds" ? { repositoryCredentials = { credentialsParameter = "registry/ghcr" } } : {},
  )])
}
"""
URL = "aws_ecs_task_definition.url"


@pytest.fixture(scope="session")
def ecr_url_images(tf, tmp_path_factory):
    """First plan: the images are "<aws_ecr_repository.x.repository_url>" + known text (the URL is
    known only after apply), read from the source."""
    from pullguard.api import check_plan

    work = tmp_path_factory.mktemp("ecr_url_images")
    (work / "main.tf").write_text(ECR_URL_IMAGES)
    tf.plan_json(work, out=work / "plan.json")
    return check_plan(str(work / "plan.json"), config_dir=str(work))


def test_repository_url_images_judged_by_the_text_after_the_url(ecr_url_images):
    """A repository URL is a registry host and repository name, never a tag or digest."""
    found = fails(ecr_url_images, "PG102")
    assert set(found) == {(URL, "bare"), (URL, "latest")}
    assert "image `<aws_ecr_repository.app.repository_url>` has no tag or digest" in found[(URL, "bare")]
    assert set(undecided(ecr_url_images, "PG102")) == set()
