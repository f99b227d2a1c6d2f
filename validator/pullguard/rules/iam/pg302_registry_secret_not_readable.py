"""PG302: the execution role may not read the repositoryCredentials secret."""
from ..base import Rule, Severity, passed
from ..common import has_credentials, per_container
from ..credentials.pg202_credentials_parameter_not_a_secret import (
    judge as parameter_kind,
)
from .requests import judge_secret, role_gate


def _one(snapshot, td, c):
    if not has_credentials(c):
        yield passed(td.address, c.name)
        return
    gate = role_gate(snapshot, td, c)
    if gate is not None:
        yield gate
        return
    value = c.credentials_parameter
    if parameter_kind(value, snapshot)[0] is False:
        yield passed(td.address, c.name)  # not a secret (empty, an SSM parameter...): PG202 reports it
        return
    yield judge_secret(snapshot, td, c, value, "the registry credentials")


def check(snapshot, settings):
    return per_container(snapshot, lambda td, c: _one(snapshot, td, c), "the registry credentials")


RULE = Rule("PG302", "Execution role may not read the registry credentials secret", Severity.ERROR, check)
