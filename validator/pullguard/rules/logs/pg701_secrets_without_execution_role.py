"""PG701: container secrets without an execution role."""
from ...evaluate.secret_access import container_secrets
from ..base import Rule, Severity, passed
from ..common import per_container, require_execution_role


def _one(td, c):
    items = container_secrets(c)  # `secrets` and logConfiguration.secretOptions
    if not items:
        yield passed(td.address, c.name)
        return
    names = ", ".join(f"`{s.get('name')}`" for s in items[:3])
    if c.secrets:
        what = (f"container `{c.name}` has `secrets` ({names}) but `{td.address}` has no `execution_role_arn`: "
                "ECS refuses to register it (ClientException: When you are specifying container secrets, you "
                "must also specify a value for 'executionRoleArn')")
    else:
        what = (f"container `{c.name}` has `logConfiguration.secretOptions` ({names}) but `{td.address}` has no "
                "`execution_role_arn`: the agent reads them with the execution role, so the container cannot start")
    yield require_execution_role(
        td, c, what,
        "Set `execution_role_arn` to a role that may read each `valueFrom` "
        "(secretsmanager:GetSecretValue or ssm:GetParameters, and kms:Decrypt for a customer managed key).")


def check(snapshot, settings):
    return per_container(snapshot, _one, "container secrets")


RULE = Rule("PG701", "Container secrets without an execution role", Severity.ERROR, check)
