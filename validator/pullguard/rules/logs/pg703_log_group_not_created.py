"""PG703: the awslogs group will not exist: not created by the plan, and not auto-created (or not allowed to)."""
from ...evaluate.execution_role import role_can
from ...values import describe
from ..base import Rule, Severity, fail, passed, undecided
from ..common import per_container
from ..iam.requests import awslogs_group, evidence, log_group_arn, role_gate, role_label, undecided_of

from ...evaluate.secret_access import deleted_in_plan  # what this plan deletes lives in the prior snapshot

ACTION = "logs:CreateLogGroup"


def _groups(snapshot) -> dict:
    index = snapshot.cache.get("pg703_log_groups")
    if index is None:
        index = {}
        # a group the plan creates or keeps, or one a data source reads (it exists: the read
        # succeeded at plan time, or the apply stops at the read before any task starts)
        for inst in (*snapshot.of_type("aws_cloudwatch_log_group"),
                     *snapshot.of_type("aws_cloudwatch_log_group", mode="data")):
            name = inst.get("name")
            index.setdefault(name if isinstance(name, str) else None, []).append(inst)
        snapshot.cache["pg703_log_groups"] = index
    return index


def _deleted(snapshot, group: str, region) -> list:
    return [i for i in deleted_in_plan(snapshot, "aws_cloudwatch_log_group")
            if i.get("name") == group and i.region in (None, region)]


def _one(snapshot, td, c):
    options, group, early = awslogs_group(td, c)
    if early is not None:
        yield early
        return
    create = str(options.get("awslogs-create-group", "")).lower() == "true"
    region = options.get("awslogs-region") or td.instance.region
    if create:
        gate = role_gate(snapshot, td, c)
        if gate is not None:
            yield gate
            return
        base = log_group_arn(snapshot, td, options)
        # IAM documents the log-group ARN; policies often name it with ":*" — either form grants
        decision, rp = role_can(snapshot, td, ACTION, base)
        if not decision.allowed:
            other, _ = role_can(snapshot, td, ACTION, _with_star(base))
            if other.allowed or (other.undecided and decision.denied):
                decision = other
        ev = evidence(td, rp, decision)
        if decision.allowed:
            yield passed(td.address, c.name, ev)
        elif decision.undecided:
            yield undecided_of(td, c, decision, rp, ACTION, f"log group `{group}`")
        else:
            role = role_label(snapshot, td, rp)
            yield fail(td.address,
                       f"container `{c.name}` sets awslogs-create-group \"true\" but execution role `{role}` may not "
                       f"call {ACTION} on `{describe(base)}`, so the task fails to start",
                       f"Allow `{role}` {ACTION} on `{describe(base)}:*`, or create the group with an "
                       f"`aws_cloudwatch_log_group` named `{group}` and drop awslogs-create-group.", c.name, ev)
        return
    found = [i for i in _groups(snapshot).get(group, []) if i.region in (None, region)]
    if found:
        yield passed(td.address, c.name, (td.address, found[0].address))
        return
    gone = _deleted(snapshot, group, region)
    if gone:
        yield fail(td.address,
                   f"container `{c.name}` logs to `{group}`, which this plan deletes (`{gone[0].address}`), and "
                   "awslogs-create-group is not \"true\": the task cannot start",
                   f"Keep `{gone[0].address}`, or point awslogs-group at a log group that stays.", c.name,
                   (td.address, gone[0].address))
        return
    unknown = [i.address for i in _groups(snapshot).get(None, [])]
    names_later = f"; the names of {', '.join(unknown)} are known only after apply" if unknown else ""
    yield undecided(td.address, f"whether log group `{group}` exists in {region or 'the task region'} "
                    f"(not in the plan{names_later})",
                    f"container `{c.name}` logs to `{group}`, which the plan neither creates nor lets ECS create "
                    "(awslogs-create-group); it may exist outside the plan", container=c.name,
                    evidence=(td.address,))


def _with_star(arn):
    from ..iam.requests import _partial
    return _partial(arn, ":*")


def check(snapshot, settings):
    return per_container(snapshot, lambda td, c: _one(snapshot, td, c), "the log group")


RULE = Rule("PG703", "awslogs group is neither created nor creatable", Severity.ERROR, check)
