"""PG105: repositoryCredentials on an Amazon ECR image."""
from ..base import Rule, Severity, fail, passed
from ..common import has_credentials, per_container
from .after_apply import image_of


def _one(td, c):
    if not has_credentials(c):
        yield passed(td.address, c.name)
        return
    ref, out = image_of(td, c, "whether registry credentials apply to the image")
    if ref is None:
        if out:
            yield out
        return
    if ref.ecr:
        yield fail(
            td.address,
            f"container `{c.name}`: image `{ref.raw}` is in Amazon ECR but the container sets "
            "`repositoryCredentials`; private registry authentication does not apply to ECR, which "
            "authenticates with the task execution role",
            "Remove `repositoryCredentials` from this container and grant the execution role the ECR pull "
            "permissions (e.g. attach AmazonECSTaskExecutionRolePolicy).",
            c.name, (td.address,))
    else:
        yield passed(td.address, c.name)


def check(snapshot, settings):
    return per_container(snapshot, _one, "whether registry credentials apply to the image")


RULE = Rule("PG105", "repositoryCredentials on an ECR image", Severity.WARNING, check)
