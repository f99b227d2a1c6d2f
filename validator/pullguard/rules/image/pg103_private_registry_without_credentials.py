"""PG103: a non-AWS, non-public registry image with no repositoryCredentials."""
from ..base import Rule, Severity, fail, passed
from ..common import has_credentials, per_container
from .after_apply import image_of


def _one(td, c, settings):
    ref, out = image_of(td, c, "whether the registry needs credentials")
    if ref is None:
        if out:
            yield out
        return
    if (ref.ecr or ref.is_public_registry or ref.is_docker_official or has_credentials(c)
            or settings.is_declared_public(ref.raw)):
        yield passed(td.address, c.name)
        return
    where = "Docker Hub" if ref.is_docker_hub else f"`{ref.registry}`"
    yield fail(
        td.address,
        f"container `{c.name}`: image `{ref.raw}` is on {where}, which is neither Amazon ECR nor a registry "
        "known to serve anonymous pulls, and the container has no `repositoryCredentials`: a private "
        "repository answers 401 and the pull fails (CannotPullContainerError)",
        "Add `repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.<registry>.arn }` "
        "to the container, or, if the repository is public, list it under `public_images` in .pullguard.toml.",
        c.name, (td.address,))


def check(snapshot, settings):
    return per_container(snapshot, lambda td, c: _one(td, c, settings), "whether the registry needs credentials")


RULE = Rule("PG103", "Private registry image without repositoryCredentials", Severity.WARNING, check)
