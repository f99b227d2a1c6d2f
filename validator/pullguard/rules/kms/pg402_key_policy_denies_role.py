"""PG402: the key policy neither grants the execution role kms:Decrypt nor delegates to the account.

Owns the key-policy side of "cannot decrypt the registry secret"; PG401 owns the IAM side and stays
silent when this rule explains the failure (one root cause, one finding).
"""
from ...values import describe
from ..base import Outcome, Rule, Severity, fail, passed, undecided
from ._common import KeyCase, check_key_cases, key_side, role_name


def verdict(case: KeyCase) -> Outcome:
    td, c = case.td, case.c
    if case.key_inst is None:
        return undecided(td.address, case.policy.missing[0] if case.policy.missing else
                         f"the key policy of {case.key_name} (not in the plan)",
                         f"the key {case.key_name} of `{case.secret.address}` is not in the plan: its key policy "
                         "is not known", container=c.name, evidence=case.evidence())
    if case.policy.policy is None and not case.policy.missing:
        # no policy set: AWS gives the key its default policy, which delegates to the account
        return passed(td.address, c.name, case.evidence())
    decision = key_side(case)
    if decision is None or decision.undecided:
        missing = (decision.missing if decision is not None else ()) or case.policy.missing or \
            (f"the key policy of {case.key_name}",)
        return undecided(td.address, "; ".join(missing),
                         f"whether the key policy of `{case.key_name}` lets the execution role decrypt "
                         f"`{case.secret.address}` is known only after apply", container=c.name,
                         evidence=case.evidence())
    if decision.allowed:
        return passed(td.address, c.name, case.evidence())
    role = role_name(case.snapshot, td)
    account = case.snapshot.account_id or "<account>"
    policy = case.policy.policy.name
    if decision.explicit:
        denies = ", ".join(str(s) for s in decision.statements if s.effect == "Deny")
        why = f"an explicit Deny in the key policy ({denies}) refuses kms:Decrypt to `{role}`"
    else:
        why = (f"the key policy in `{policy}` neither grants `{role}` kms:Decrypt nor delegates to the account "
               f"(`arn:aws:iam::{account}:root`)")
    return fail(
        td.address,
        f"container `{c.name}`: registry secret `{case.secret.address}` is encrypted with `{case.key_name}` and "
        f"{why}, so Secrets Manager cannot decrypt it for the image pull",
        f"In the key policy of `{case.key_name}`{'' if policy == case.key_name else f' (`{policy}`)'}, allow the execution role kms:Decrypt "
        f"(Principal = {{ AWS = {describe(role)} }}, ideally with Condition kms:ViaService = "
        f"secretsmanager.{case.secret.region or '<region>'}.amazonaws.com), or keep the statement that "
        f"delegates to `arn:aws:iam::{account}:root` and grant kms:Decrypt in the role's IAM policy.",
        c.name, case.evidence())


def check(snapshot, settings):
    return check_key_cases(snapshot, verdict)


RULE = Rule("PG402", "KMS key policy does not let the execution role decrypt the registry secret",
            Severity.ERROR, check)
