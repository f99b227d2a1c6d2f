"""PG401: the execution role's IAM policies do not allow kms:Decrypt on the registry secret's key.

The IAM side of "cannot decrypt": when the key policy alone already refuses the role (PG402), this
rule passes and PG402 reports it. A key policy that names the role directly needs no IAM grant.
"""
from ...evaluate.execution_role import role_can
from ...evaluate.secret_access import decrypt_context
from ..base import Outcome, Rule, Severity, fail, passed, undecided
from ..common import execution_role_state
from ._common import KeyCase, check_key_cases, key_side, role_name, without_via


def verdict(case: KeyCase) -> Outcome:
    snapshot, td, c = case.snapshot, case.td, case.c
    state, fact = execution_role_state(td)
    if state == "unset":
        return passed(td.address, c.name)  # PG201 reports the missing role
    if state == "unknown":
        return undecided(td.address, fact, f"the execution role of `{td.address}` is known only after apply",
                         container=c.name)
    key_only = key_side(case)
    if key_only is not None and key_only.denied:
        return passed(td.address, c.name, case.evidence())  # the key policy refuses: PG402's finding
    decision, rp = role_can(snapshot, td, "kms:Decrypt", case.resource, key_policy=case.policy.policy,
                            context=decrypt_context(snapshot, case.secret))
    names = tuple(p.name for p in rp.identity)
    evidence = case.evidence(*((rp.role.address,) if rp.role is not None else ()), *names)
    if decision.allowed:
        return passed(td.address, c.name, evidence)
    if decision.undecided:
        missing = tuple(dict.fromkeys(tuple(decision.missing) + tuple(case.policy.missing)
                                      + (tuple(rp.missing) if rp.role is None else ())))
        return undecided(td.address, "; ".join(missing) or "the policies of the execution role",
                         f"whether `{role_name(snapshot, td)}` may kms:Decrypt with `{case.key_name}` (registry "
                         f"secret `{case.secret.address}`) is not known before apply", container=c.name,
                         evidence=evidence)
    role = role_name(snapshot, td)
    region = case.secret.region or "<region>"
    via = f"secretsmanager.{region}.amazonaws.com"
    if decision.explicit:
        denies = ", ".join(str(s) for s in decision.statements if s.effect == "Deny")
        why = f"an explicit Deny ({denies}) applies"
    else:
        relaxed, _ = role_can(snapshot, td, "kms:Decrypt", case.resource, key_policy=case.policy.policy,
                              context=without_via(case))
        if not relaxed.denied:
            why = f"its kms:Decrypt statement has a kms:ViaService condition that does not admit `{via}`"
        else:
            why = "; ".join(decision.reasons) or "no policy allows it"
    policies = ", ".join(f"`{n}`" for n in names) or "none"
    return fail(
        td.address,
        f"container `{c.name}`: execution role `{role}` is not allowed kms:Decrypt on `{case.key_name}`, the key "
        f"of registry secret `{case.secret.address}`: {why} (policies evaluated: {policies})",
        f"Add to the execution role's policy: Effect = \"Allow\", Action = \"kms:Decrypt\", Resource = the key's "
        f"ARN (`{case.key_name}.arn`), Condition = {{ StringEquals = {{ \"kms:ViaService\" = \"{via}\" }} }}.",
        c.name, evidence)


def check(snapshot, settings):
    return check_key_cases(snapshot, verdict)


RULE = Rule("PG401", "execution role may not decrypt the registry secret's KMS key", Severity.ERROR, check)
