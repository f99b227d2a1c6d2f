"""PG704: the execution role may not create log streams in, or write to, the awslogs group."""
from ...evaluate.execution_role import role_can
from ...values import describe
from ..base import Rule, Severity, fail, passed
from ..common import per_container
from ..iam.requests import awslogs_group, evidence, log_group_arn, log_stream_arn, role_gate, role_label, undecided_of

ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")


def _decide(snapshot, td, action, resources):
    """The most favourable decision over the resource forms IAM may see for ``action``."""
    best = rp = None
    for r in resources:
        d, rp = role_can(snapshot, td, action, r)
        if d.allowed:
            return d, rp
        if best is None or (d.undecided and best.denied and not best.explicit):
            best = d
    return best, rp


def _one(snapshot, td, c):
    options, group, early = awslogs_group(td, c)
    if early is not None:
        yield early
        return
    gate = role_gate(snapshot, td, c)
    if gate is not None:
        yield gate
        return
    stream = log_stream_arn(snapshot, td, c, options)
    group_arn = log_group_arn(snapshot, td, options)
    denied, open_, ev, rp = [], None, (td.address,), None
    for action in ACTIONS:
        # PutLogEvents is authorized on the log-stream ARN; CreateLogStream on the group (log-group:NAME)
        # or, as most policies write it, on NAME:* — either form grants it
        forms = (stream,) if action == "logs:PutLogEvents" else (group_arn, stream)
        d, rp = _decide(snapshot, td, action, forms)
        ev = evidence(td, rp, d)
        if d.denied:
            denied.append((action, d))
        elif d.undecided and open_ is None:
            open_ = (action, d)
    if denied:
        role = role_label(snapshot, td, rp)
        explicit = [str(s) for _, d in denied if d.explicit for s in d.statements]
        why = f"an explicit Deny applies ({', '.join(dict.fromkeys(explicit))})" if explicit else "no policy allows it"
        region = options.get("awslogs-region")
        where = (f"`{group}` in {region} (container `{c.name}` logs there through awslogs-region; the task runs "
                 f"in {td.instance.region})"
                 if isinstance(region, str) and td.instance.region and region != td.instance.region else
                 f"`{group}` (container `{c.name}` uses awslogs)")
        yield fail(td.address,
                   f"execution role `{role}` may not call {' and '.join(a for a, _ in denied)} on log group "
                   f"{where}: {why}",
                   f"Allow `{role}` logs:CreateLogStream and logs:PutLogEvents on `{describe(group_arn)}:*` "
                   "(or attach AmazonECSTaskExecutionRolePolicy).", c.name, ev)
    elif open_ is not None:
        yield undecided_of(td, c, open_[1], rp, open_[0], f"log group `{group}`")
    else:
        yield passed(td.address, c.name, ev)


def check(snapshot, settings):
    return per_container(snapshot, lambda td, c: _one(snapshot, td, c), "the log stream permissions")


RULE = Rule("PG704", "Execution role may not write to the awslogs group", Severity.ERROR, check)
