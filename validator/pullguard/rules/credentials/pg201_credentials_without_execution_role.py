"""PG201: repositoryCredentials without an execution role."""
from ..base import Rule, Severity, passed
from ..common import has_credentials, per_container, require_execution_role


def _one(td, c):
    if not has_credentials(c):
        yield passed(td.address, c.name)
        return
    yield require_execution_role(
        td, c,
        f"container `{c.name}` has `repositoryCredentials` but `{td.address}` has no `execution_role_arn`: "
        "no role can read the registry secret, so the image pull cannot authenticate",
        "Set `execution_role_arn` to a role that trusts ecs-tasks.amazonaws.com and may call "
        "secretsmanager:GetSecretValue on the credentials secret.")


def check(snapshot, settings):
    return per_container(snapshot, _one, "registry credentials")


RULE = Rule("PG201", "repositoryCredentials without an execution role", Severity.ERROR, check)
