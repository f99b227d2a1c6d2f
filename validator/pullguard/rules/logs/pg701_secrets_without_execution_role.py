"""PG701: container secrets without an execution role."""
from ..base import Rule, Severity, passed
from ..common import per_container, require_execution_role


def _one(td, c):
    if not c.secrets:
        yield passed(td.address, c.name)
        return
    names = ", ".join(f"`{s.get('name')}`" for s in c.secrets[:3])
    yield require_execution_role(
        td, c,
        f"container `{c.name}` has `secrets` ({names}) but `{td.address}` has no `execution_role_arn`: "
        "ECS refuses to register it (ClientException: When you are specifying container secrets, you "
        "must also specify a value for 'executionRoleArn')",
        "Set `execution_role_arn` to a role that may read each `valueFrom` "
        "(secretsmanager:GetSecretValue or ssm:GetParameters, and kms:Decrypt for a customer managed key).")


def check(snapshot, settings):
    return per_container(snapshot, _one, "container secrets")


RULE = Rule("PG701", "Container secrets without an execution role", Severity.ERROR, check)
