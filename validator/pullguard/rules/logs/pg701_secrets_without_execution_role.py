"""PG701: container secrets without an execution role."""
from ..base import Rule, Severity, fail, passed, undecided
from ..common import execution_role_state, per_container


def _one(td, c):
    if not c.secrets:
        yield passed(td.address, c.name)
        return
    state, fact = execution_role_state(td)
    if state == "set":
        yield passed(td.address, c.name)
    elif state == "unknown":
        yield undecided(td.address, fact, f"whether `{td.address}` has an execution role is known only after "
                        "apply", container=c.name)
    else:
        names = ", ".join(f"`{s.get('name')}`" for s in c.secrets[:3])
        yield fail(
            td.address,
            f"container `{c.name}` has `secrets` ({names}) but `{td.address}` has no `execution_role_arn`: "
            "ECS refuses to register it (ClientException: When you are specifying container secrets, you "
            "must also specify a value for 'executionRoleArn')",
            "Set `execution_role_arn` to a role that may read each `valueFrom` "
            "(secretsmanager:GetSecretValue or ssm:GetParameters, and kms:Decrypt for a customer managed key).",
            c.name, (td.address,))


def check(snapshot, settings):
    return per_container(snapshot, _one, "container secrets")


RULE = Rule("PG701", "Container secrets without an execution role", Severity.ERROR, check)
