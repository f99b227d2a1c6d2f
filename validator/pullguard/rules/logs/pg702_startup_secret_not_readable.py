"""PG702: the execution role may not read a container `secrets[].valueFrom` (or a
`logConfiguration.secretOptions[].valueFrom`, read the same way).

Owns every read of a container secret: secretsmanager:GetSecretValue / ssm:GetParameters, and
kms:Decrypt of a customer managed key (Secrets Manager or a SecureString parameter), both the IAM
side and the key-policy side. One exception (one root cause, one finding): when the task's
registry secret (`repositoryCredentials`) is encrypted with the same key and the role cannot decrypt
that one either, PG401/PG402 report the key and this rule does not repeat it.
"""
from ...evaluate.execution_role import role_can
from ...evaluate.secret_access import (can_decrypt_parameter, can_decrypt_secret, container_secrets, key_instance,
                                       parameter_instance, secret_key, secret_reference)
from ...evaluate.secret_access import secret_instance as secret_in_plan
from ...values import Ref, describe
from ..common import has_credentials
from ..credentials.pg205_secret_deleted_by_plan import deleted_parameter, deleted_secret
from ..base import FAIL, UNDECIDED, Rule, Severity, fail, passed, undecided
from ..common import per_container
from ..iam.requests import (evidence, is_ssm, judge_secret, role_gate, role_label, secret_instance,
                            ssm_parameter_resource, undecided_of)

GET_PARAMETERS = "ssm:GetParameters"


def _ssm(snapshot, td, c, item):
    value = item.get("valueFrom")
    resource = ssm_parameter_resource(snapshot, td, value)
    decision, rp = role_can(snapshot, td, GET_PARAMETERS, resource)
    if decision.undecided and isinstance(value, Ref) and value.attribute == "arn":
        # valueFrom = aws_ssm_parameter.x.arn is the very ARN IAM sees: a grant on that same reference
        # allows it before apply, when the ARN built from the name still lacks the account
        exact, exact_rp = role_can(snapshot, td, GET_PARAMETERS, value)
        if exact.allowed:
            decision, rp = exact, exact_rp
    ev = evidence(td, rp, decision)
    if decision.allowed:
        return _ssm_kms(snapshot, td, c, item, value) or passed(td.address, c.name, ev)
    if decision.undecided:
        return undecided_of(td, c, decision, rp, GET_PARAMETERS, f"`{describe(resource)}`")
    role = role_label(snapshot, td, rp)
    why = ("an explicit Deny applies (" + ", ".join(str(s) for s in decision.statements) + ")"
           if decision.explicit else "no policy allows it")
    return fail(td.address,
                f"execution role `{role}` may not call {GET_PARAMETERS} on `{describe(resource)}` (secret "
                f"`{item.get('name')}` of container `{c.name}`): {why}",
                f"Grant `{role}` {GET_PARAMETERS} on `{describe(resource)}` (and kms:Decrypt on its key for a "
                "SecureString encrypted with a customer managed key).", c.name, ev)


def _ssm_kms(snapshot, td, c, item, value):
    """kms:Decrypt of a SecureString parameter encrypted with a customer managed key."""
    inst = parameter_instance(snapshot, value)
    if inst is not None and isinstance(value, str) and not value.startswith("arn:") \
            and None not in (inst.region, td.instance.region) and inst.region != td.instance.region:
        inst = None  # a name resolves in the task's region: the plan's parameter of that name is elsewhere
    if inst is None and deleted_parameter(snapshot, td, value) is not None:
        return None  # this plan deletes it: PG205 reports that
    if inst is None:
        # a parameter outside the plan: a String, a SecureString under aws/ssm (every principal of the
        # account may decrypt through Parameter Store) or under a customer managed key (kms:Decrypt needed)
        fact = f"the type and KMS key of SSM parameter {describe(value)} (not in the plan)"
        return undecided(td.address, fact,
                         f"the execution role may call {GET_PARAMETERS} on `{describe(value)}` (secret "
                         f"`{item.get('name')}` of container `{c.name}`), but whether it is a SecureString under a "
                         "customer managed key, which needs kms:Decrypt, is not known", container=c.name,
                         evidence=(td.address,))
    decision, ev, missing = can_decrypt_parameter(snapshot, td, inst)
    if decision is None or decision.allowed:
        return None
    if decision.undecided:
        return undecided(td.address, "; ".join(missing) or "the parameter's KMS key",
                         f"whether the execution role may kms:Decrypt the key of SecureString `{inst.address}` "
                         f"(secret `{item.get('name')}` of container `{c.name}`) is not known before apply",
                         container=c.name, evidence=ev)
    key = next((e for e in ev if e.split(".")[-2:-1] and "aws_kms_key." in e and "aws_kms_key_policy" not in e),
               "its customer managed key")
    role = next((e for e in ev if "aws_iam_role." in e), describe(td.execution_role_arn))
    region = inst.region or "<region>"
    return fail(td.address,
                f"execution role `{role}` may call {GET_PARAMETERS} on `{inst.address}` (secret `{item.get('name')}` "
                f"of container `{c.name}`) but not kms:Decrypt it: the SecureString is encrypted with customer "
                f"managed key `{key}`",
                f"Allow `{role}` kms:Decrypt on the key (condition kms:ViaService = ssm.{region}.amazonaws.com), "
                "in an identity policy and, unless it delegates to the account, in the key policy.", c.name, ev)


def _registry_key_refused(snapshot, td, key) -> bool:
    """Does a container of ``td`` read registry credentials from a secret encrypted with ``key`` that
    the execution role may not decrypt? Then PG401/PG402 report that key."""
    for other in td.containers:
        if not has_credentials(other):
            continue
        secret = secret_in_plan(snapshot, other.credentials_parameter, td)
        if secret is None:
            continue
        kv, kind = secret_key(snapshot, secret)
        if kind != "customer" or key_instance(snapshot, kv) is not key:
            continue
        decision, _, _ = can_decrypt_secret(snapshot, td, Ref(secret.address, "arn"))
        if decision is not None and decision.denied:
            return True
    return False


def _kms(snapshot, td, c, item, value):
    inst = secret_instance(snapshot, value)  # a Ref names it however the valueFrom spells the ARN
    if inst is None and deleted_secret(snapshot, td, value) is not None:
        return None  # this plan deletes it: PG205 reports that
    decision, ev, missing = can_decrypt_secret(snapshot, td, Ref(inst.address, "arn") if inst is not None else value)
    if decision is None or decision.allowed:
        return None
    if decision.denied and inst is not None:
        key = key_instance(snapshot, secret_key(snapshot, inst)[0])
        if key is not None and _registry_key_refused(snapshot, td, key):
            return passed(td.address, c.name, ev)  # PG401/PG402 report this key on the registry secret
    if decision.undecided:
        return undecided(td.address, "; ".join(missing) or "the secret's KMS key",
                         f"whether the execution role may kms:Decrypt the key of secret `{item.get('name')}` of "
                         f"container `{c.name}` is not known before apply", container=c.name, evidence=ev)
    key = next((e for e in ev if e.split(".")[-2:-1] and "aws_kms_key." in e and "aws_kms_key_policy" not in e),
               "its customer managed key")
    role = next((e for e in ev if "aws_iam_role." in e), describe(td.execution_role_arn))
    return fail(td.address,
                f"execution role `{role}` may read secret `{item.get('name')}` of container `{c.name}` but not "
                f"kms:Decrypt it: the secret is encrypted with customer managed key `{key}`",
                f"Allow `{role}` kms:Decrypt on the key (condition kms:ViaService = "
                "secretsmanager.<region>.amazonaws.com), in an identity policy and, unless it delegates to the "
                "account, in the key policy.", c.name, ev)


def _one(snapshot, td, c):
    items = container_secrets(c)
    if not items:
        yield passed(td.address, c.name)
        return
    gate = role_gate(snapshot, td, c)
    if gate is not None:
        yield gate
        return
    worst = None
    for item in items:
        value = secret_reference(snapshot, item.get("valueFrom"))  # "${secret.arn}:json-key::" before apply
        kind = is_ssm(snapshot, value)
        if kind is None:
            out = undecided(td.address, getattr(value, "fact", f"the valueFrom of secret {item.get('name')}"),
                            f"secret `{item.get('name')}` of container `{c.name}` comes from {describe(value)}, "
                            "which is neither a known Secrets Manager secret nor an SSM parameter",
                            container=c.name, evidence=(td.address,))
        elif kind:
            out = _ssm(snapshot, td, c, item)
        else:
            out = judge_secret(snapshot, td, c, value, f"secret `{item.get('name')}`")
            if out.status != FAIL:
                out = _kms(snapshot, td, c, item, value) or out
        if out.status == FAIL:
            yield out
            return
        if out.status == UNDECIDED and worst is None:
            worst = out
    yield worst or passed(td.address, c.name)


def check(snapshot, settings):
    return per_container(snapshot, lambda td, c: _one(snapshot, td, c), "container secrets")


RULE = Rule("PG702", "Execution role may not read a container secret", Severity.ERROR, check)
