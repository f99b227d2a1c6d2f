"""PG301: the execution role's trust policy does not let ecs-tasks.amazonaws.com assume it."""
from ...evaluate.iam import Context, can_assume
from ...model.arns import partition
from ...model.ecs import task_definitions
from ...model.iam import role_policies
from ...values import Hole, Partial, Unknown, describe
from ..base import Rule, Severity, fail, passed, undecided
from ..common import execution_role_state

SERVICE = "ecs-tasks.amazonaws.com"


def _context(snapshot, td) -> Context:
    """What ECS sends when it assumes the role: the task's account and an ECS ARN of that account."""
    acct, region = snapshot.account_id, td.instance.region
    values = {}
    if acct:
        values["aws:SourceAccount"] = acct
        values["aws:SourceArn"] = Partial((f"arn:{partition(region)}:ecs:",
                                           region or Hole("the task's region", 1, None),
                                           f":{acct}:", Hole("the ECS resource", 1, None)))
    return Context(values=values)


def _one(snapshot, td):
    state, fact = execution_role_state(td)
    if state == "unset":
        yield passed(td.address)
        return
    if state == "unknown":
        yield undecided(td.address, fact, f"the execution role of `{td.address}` is known only after apply")
        return
    rp = role_policies(snapshot, td.execution_role_arn)
    if rp.role is None:
        yield undecided(td.address, f"the trust policy of role {describe(td.execution_role_arn)} (not in the plan)",
                        f"execution role `{describe(td.execution_role_arn)}` is not in the plan: its trust "
                        "policy cannot be checked", evidence=(td.address,))
        return
    role = rp.role.address
    ev = (td.address, role, f"{role}.assume_role_policy")
    if rp.trust is None:
        yield undecided(td.address, f"{role}.assume_role_policy (not known)",
                        f"the trust policy of `{role}` is not known", evidence=ev)
        return
    if isinstance(rp.trust.document, Unknown):
        yield undecided(td.address, rp.trust.document.fact,
                        f"the trust policy of `{role}` is known only after apply", evidence=ev)
        return
    decision = can_assume(rp.trust, SERVICE, _context(snapshot, td))
    if decision.allowed:
        yield passed(td.address, evidence=ev)
    elif decision.undecided:
        yield undecided(td.address, "; ".join(decision.missing) or "a condition of the trust policy",
                        f"whether {SERVICE} may assume `{role}` depends on a condition known only at run time",
                        evidence=ev + tuple(str(s) for s in decision.statements))
    else:
        if decision.explicit:
            why = "an explicit Deny applies (" + ", ".join(str(s) for s in decision.statements) + ")"
        else:
            why = "no statement allows that principal with conditions ECS can meet " \
                  f"(ECS sends aws:SourceAccount {snapshot.account_id or '(the task account)'})"
        yield fail(td.address,
                   f"execution role `{role}` cannot be assumed by ECS: its trust policy does not let "
                   f"`{SERVICE}` call sts:AssumeRole ({why})",
                   f"Set `{role}.assume_role_policy` to allow Principal {{ Service = \"{SERVICE}\" }} "
                   "Action sts:AssumeRole; a confused-deputy condition must name the task's own account "
                   "(aws:SourceAccount) or `arn:aws:ecs:<region>:<account>:*` (aws:SourceArn).",
                   evidence=ev + tuple(str(s) for s in decision.statements))


def check(snapshot, settings):
    for td in task_definitions(snapshot):
        yield from _one(snapshot, td)


RULE = Rule("PG301", "Execution role trust policy does not allow ecs-tasks.amazonaws.com", Severity.ERROR,
            check, scope="task")
