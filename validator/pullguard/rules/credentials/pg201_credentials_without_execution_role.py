"""PG201: repositoryCredentials without an execution role."""
from ..base import Rule, Severity, fail, passed, undecided
from ..common import execution_role_state, has_credentials, per_container


def _one(td, c):
    if not has_credentials(c):
        yield passed(td.address, c.name)
        return
    state, fact = execution_role_state(td)
    if state == "set":
        yield passed(td.address, c.name)
    elif state == "unknown":
        yield undecided(td.address, fact, f"whether `{td.address}` has an execution role is known only after "
                        "apply", container=c.name)
    else:
        yield fail(
            td.address,
            f"container `{c.name}` has `repositoryCredentials` but `{td.address}` has no `execution_role_arn`: "
            "no role can read the registry secret, so the image pull cannot authenticate",
            "Set `execution_role_arn` to a role that trusts ecs-tasks.amazonaws.com and may call "
            "secretsmanager:GetSecretValue on the credentials secret.",
            c.name, (td.address,))


def check(snapshot, settings):
    return per_container(snapshot, _one, "registry credentials")


RULE = Rule("PG201", "repositoryCredentials without an execution role", Severity.ERROR, check)
