"""PG403: the registry secret is in another account than the task, and either uses the AWS managed
``aws/secretsmanager`` key (whose key policy cannot be changed to admit another account) or its
resource policy does not grant the execution role ``secretsmanager:GetSecretValue``.

The key side of a cross-account customer managed key (key policy, IAM) is PG402/PG401's.
"""
from ...evaluate.iam import Request, evaluate
from ...evaluate.secret_access import (SECRET_ARN, instance_account, secret_arn_value,
                                       secret_instance, secret_key)
from ...model.arns import arn_of
from ...model.iam import resource_policy
from ...values import describe
from ..base import Rule, Severity, fail, passed, undecided
from ..common import per_container
from ._common import ANY_IDENTITY, principal, screen_credentials


def _task_account(snapshot, td):
    p = principal(snapshot, td)
    if isinstance(p, str):
        parts = p.split(":")
        if len(parts) > 4 and len(parts[4]) == 12 and parts[4].isdigit():
            return parts[4]
    return instance_account(snapshot, td.instance)


def _secret_account(snapshot, value, secret):
    if secret is not None:
        return instance_account(snapshot, secret)
    if isinstance(value, str):
        m = SECRET_ARN.match(value)
        if m:
            return m.group(3)
    return None


def _one(snapshot, td, c):
    value, out = screen_credentials(td, c)
    if out is not None:
        yield out
        return
    if isinstance(value, str) and not value.startswith("arn:"):
        yield passed(td.address, c.name)  # a name resolves in the task's own account (PG203)
        return
    secret = secret_instance(snapshot, value, td)
    if secret is not None and secret.provider == td.instance.provider:
        # one provider configuration, one set of credentials: the secret is in the task definition's
        # account (and so is its execution role: ECS takes only a role of the task's own account)
        yield passed(td.address, c.name, (td.address, secret.address))
        return
    mine, theirs = _task_account(snapshot, td), _secret_account(snapshot, value, secret)
    if mine is None or theirs is None:
        what = "the task's account" if mine is None else f"the account of {describe(value)}"
        yield undecided(td.address, f"{what} (known after apply)",
                        f"whether registry secret {describe(value)} of container `{c.name}` is in the task's account "
                        "is not known", container=c.name)
        return
    if mine == theirs:
        yield passed(td.address, c.name)
        return
    if secret is None:
        yield undecided(td.address, f"the KMS key and resource policy of secret {describe(value)} (account {theirs}, "
                        "not in the plan)", f"registry secret {describe(value)} of container `{c.name}` is in account "
                        f"{theirs}, not the task's ({mine}), and is not in the plan", container=c.name)
        return
    evidence = (td.address, secret.address)
    kv, kind = secret_key(snapshot, secret)
    if kind == "default":
        yield fail(td.address,
                   f"container `{c.name}`: registry secret `{secret.address}` is in account {theirs}, not the "
                   f"task's ({mine}), and is encrypted with the AWS managed key aws/secretsmanager, which cannot be "
                   "used from another account",
                   f"Encrypt `{secret.address}` with a customer managed key (`kms_key_id`) whose key policy lets the "
                   "execution role decrypt, and grant the role secretsmanager:GetSecretValue in the secret's "
                   "resource policy.", c.name, evidence)
        return
    rp = resource_policy(snapshot, secret.address)
    if rp.policy is None:
        if rp.missing:
            yield undecided(td.address, "; ".join(rp.missing), f"the resource policy of `{secret.address}` is not "
                            "known", container=c.name, evidence=evidence)
            return
        decision = None
    else:
        req = Request(principal=principal(snapshot, td), action="secretsmanager:GetSecretValue",
                      resource=arn_of(snapshot, secret_arn_value(snapshot, secret)), principal_account=mine,
                      resource_account=theirs)
        decision = evaluate(req, identity=(ANY_IDENTITY,), resource_policy=rp.policy)
        evidence += (rp.policy.name,)
    if decision is not None and decision.allowed:
        yield passed(td.address, c.name, evidence)
        return
    if decision is not None and decision.undecided:
        yield undecided(td.address, "; ".join(decision.missing) or f"the resource policy of {secret.address}",
                        f"whether the resource policy of `{secret.address}` grants the execution role is not known "
                        "before apply", container=c.name, evidence=evidence)
        return
    role = describe(principal(snapshot, td))
    why = ("has no resource policy" if decision is None else
           f"has a resource policy (`{rp.policy.name}`) that does not grant `{role}` secretsmanager:GetSecretValue")
    yield fail(td.address,
               f"container `{c.name}`: registry secret `{secret.address}` is in account {theirs}, not the task's "
               f"({mine}), and {why}: cross-account reads need the secret's resource policy to allow the role",
               f"Add an `aws_secretsmanager_secret_policy` on `{secret.address}` allowing Principal = {{ AWS = "
               f"\"{role}\" }} the action secretsmanager:GetSecretValue.", c.name, evidence)


def check(snapshot, settings):
    return per_container(snapshot, lambda td, c: _one(snapshot, td, c), "the registry secret's account")


RULE = Rule("PG403", "registry secret in another account cannot be read by the task", Severity.ERROR, check)
