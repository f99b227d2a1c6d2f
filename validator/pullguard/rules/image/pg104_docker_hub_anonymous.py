"""PG104: the image is pulled anonymously from Docker Hub (rate limited)."""
from ..base import Rule, Severity, fail, passed
from ..common import has_credentials, per_container
from .after_apply import image_of


def _one(td, c):
    ref, out = image_of(td, c, "whether Docker Hub is pulled anonymously")
    if ref is None:
        if out:
            yield out
        return
    if ref.is_docker_hub and not has_credentials(c):
        yield fail(
            td.address,
            f"container `{c.name}`: image `{ref.raw}` is pulled from Docker Hub anonymously, which is rate "
            "limited per source IP (`toomanyrequests`), worse when many tasks share one NAT address",
            "Pull through an ECR pull-through cache rule or the ECR Public Gallery mirror "
            "(`public.ecr.aws/docker/library/...`), or add `repositoryCredentials` for a Docker Hub account.",
            c.name, (td.address,))
    else:
        yield passed(td.address, c.name)


def check(snapshot, settings):
    return per_container(snapshot, _one, "whether Docker Hub is pulled anonymously")


RULE = Rule("PG104", "Anonymous Docker Hub pull", Severity.NOTICE, check)
