"""What the KMS rules share: the registry secret of a container, its key, and the key
policy looked at on its own (PG402's side) apart from the role's IAM policies (PG401's)."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from ...evaluate.execution_role import same_credentials
from ...evaluate.iam import Context, Decision, Request, evaluate
from ...evaluate.secret_access import (ANY_IDENTITY, decrypt_context, deleted_in_plan, effective_key_policy,
                                       execution_principal, key_arn, key_instance, names_a_secret,
                                       prior_snapshot, secret_instance, secret_key)
from ...model.arns import arn_of
from ...model.iam import find_role
from ...values import Partial, Redacted, Ref, Unknown, describe
from ..base import Outcome, passed, undecided
from ..common import execution_role_state, has_credentials, per_container



class KeyCase:
    """The registry secret of one container and the customer managed key that encrypts it."""

    def __init__(self, snapshot, td, c, secret, key_value, key_inst):
        self.snapshot, self.td, self.c = snapshot, td, c
        self.secret, self.key_value, self.key_inst = secret, key_value, key_inst
        self.resource = key_arn(snapshot, key_value, key_inst)
        self.policy = effective_key_policy(snapshot, key_inst, key_value)

    @property
    def key_name(self) -> str:
        return self.key_inst.address if self.key_inst is not None else describe(self.key_value)

    def evidence(self, *more) -> tuple:
        ev = [self.td.address, self.secret.address]
        if self.key_inst is not None:
            ev.append(self.key_inst.address)
        if self.policy.policy is not None and self.policy.policy.name not in ev:
            ev.append(self.policy.policy.name)
        return tuple(dict.fromkeys(ev + [m for m in more if m]))


def principal(snapshot, td) -> Any:
    """The execution role's ARN as best known now (built from its name before apply)."""
    return execution_principal(snapshot, td)


def role_name(snapshot, td) -> str:
    return describe(principal(snapshot, td))


def _parameter_unknown(td, c, value):
    return undecided(td.address, getattr(value, "fact", str(value)),
                     f"the `credentialsParameter` of container `{c.name}` is {describe(value)}", container=c.name)


def screen_credentials(td, c):
    """(credentialsParameter, None) when the container reads registry credentials from a secret with
    an execution role to read them; (None, outcome) otherwise: pass when there is nothing to judge
    here (no credentials; not a secret: PG202; no execution role: PG201), undecided when unknown."""
    if not has_credentials(c):
        return None, passed(td.address, c.name)
    value = c.credentials_parameter
    if not names_a_secret(value) or execution_role_state(td)[0] == "unset":
        return None, passed(td.address, c.name)
    if isinstance(value, (Unknown, Partial, Redacted)):
        return None, _parameter_unknown(td, c, value)
    return value, None


def key_cases(snapshot, td, c) -> Iterator:
    """For a container with registry credentials: ``KeyCase`` (customer managed key), an
    ``Outcome`` (pass: no credentials or the AWS managed key; undecided: not known)."""
    value, out = screen_credentials(td, c)
    if out is None and isinstance(value, Ref) and snapshot.get(value.address) is None:
        out = _parameter_unknown(td, c, value)
    if out is not None:
        yield out
        return
    secret = secret_instance(snapshot, value, td)
    if secret is None:
        yield undecided(td.address, f"the KMS key of secret {describe(value)} (the secret is not in the plan)",
                        f"container `{c.name}` reads registry credentials from {describe(value)}, which is not in "
                        "the plan: which key encrypts it is not known", container=c.name)
        return
    kv, kind = secret_key(snapshot, secret)
    if kind == "default":
        yield passed(td.address, c.name, (td.address, secret.address))
        return
    if kind == "unknown":
        yield undecided(td.address, f"{secret.address}.kms_key_id ({describe(kv)}: known after apply)",
                        f"the key of `{secret.address}` (registry credentials of container `{c.name}`) is known "
                        "only after apply", container=c.name)
        return
    key = key_instance(snapshot, kv)
    if key is None and deleted_key(snapshot, kv) is not None:
        yield passed(td.address, c.name, (td.address, secret.address))  # PG404 reports the deleted key
        return
    yield KeyCase(snapshot, td, c, secret, kv, key)


def deleted_key(snapshot, key_value):
    """The ``aws_kms_key`` this plan deletes that ``key_value`` names, else ``None``."""
    if not deleted_in_plan(snapshot, "aws_kms_key"):
        return None
    prior = prior_snapshot(snapshot)
    inst = key_instance(prior, key_value) if prior is not None else None
    return inst if inst is not None and inst.action == "delete" and inst.address not in snapshot else None


def key_side(case: KeyCase) -> Optional[Decision]:
    """Does the key policy let the execution role decrypt, on its own or by delegating to the
    account (then IAM decides)? ``None`` when the key policy is not known at all."""
    pol = case.policy.policy
    if pol is None:
        return None
    req = Request(principal=principal(case.snapshot, case.td), action="kms:Decrypt",
                  resource=arn_of(case.snapshot, case.resource), principal_account=case.snapshot.account_id,
                  context=decrypt_context(case.snapshot, case.secret),
                  same_account=same_credentials(case.snapshot, find_role(case.snapshot, case.td.execution_role_arn),
                                                case.resource))
    return evaluate(req, identity=(ANY_IDENTITY,), key_policy=pol)


def without_via(case: KeyCase) -> Context:
    """The same request context with kms:ViaService unknown (to tell whether it is the blocker)."""
    ctx = decrypt_context(case.snapshot, case.secret)
    values = {k: v for k, v in ctx.values.items() if k != "kms:viaservice"}
    return Context(values=values, unknown=ctx.unknown | {"kms:viaservice"})


def statements(decision: Decision, kind: str) -> str:
    refs = [s for s in decision.statements if s.kind == kind]
    return ", ".join(str(s) for s in refs)


def check_key_cases(snapshot, verdict) -> Iterator[Outcome]:
    """Every container's outcome: ``verdict(KeyCase)`` for a customer managed key, else what
    :func:`key_cases` decided."""
    def one(td, c):
        for case in key_cases(snapshot, td, c):
            yield case if isinstance(case, Outcome) else verdict(case)
    return per_container(snapshot, one, "the registry secret's key")
