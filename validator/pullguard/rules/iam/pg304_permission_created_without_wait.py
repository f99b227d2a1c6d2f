"""PG304: a policy the task needs is created by this plan, but nothing makes the task wait for it."""
from ...evaluate.execution_role import role_can
from ...model.ecs import task_definitions
from ...model.iam import role_policies
from ...values import Ref, Unknown
from ..base import Rule, Severity, fail, passed, undecided
from ..common import has_credentials, known_image
from .requests import (ECR_PULL, GSV, awslogs, ecr_repository_arn, identity_can, is_ssm, log_group_arn,
                       log_stream_arn, role_gate, secret_question, ssm_parameter_resource)
from .waits import closure_of, node_of

CREATED = ("create",)


def _needs(snapshot, td):
    """(what, action, decision) for each request the agent makes when it starts ``td``'s tasks,
    asked exactly as PG302/PG303/PG70x ask it, so the memoised answers are shared."""
    for c in td.containers:
        img, _ = known_image(td, c, "the image")
        if img is not None and img.ecr is not None:
            repo = ecr_repository_arn(img)
            what = f"pulling `{img.raw}`"
            yield what, "ecr:GetAuthorizationToken", identity_can(snapshot, td, "ecr:GetAuthorizationToken", "*")[0]
            for a in ECR_PULL:
                yield what, a, identity_can(snapshot, td, a, repo)[0]
        if has_credentials(c) and c.credentials_parameter:
            yield (f"the registry credentials of `{c.name}`", GSV,
                   secret_question(snapshot, td, c.credentials_parameter)[3])
        for item in c.secrets:
            value = item.get("valueFrom")
            kind = is_ssm(snapshot, value)
            what = f"secret `{item.get('name')}`"
            if kind is True:
                yield what, "ssm:GetParameters", role_can(
                    snapshot, td, "ssm:GetParameters", ssm_parameter_resource(snapshot, td, value))[0]
            elif kind is False:
                yield what, GSV, secret_question(snapshot, td, value)[3]
        options = awslogs(c)
        if options is not None and isinstance(options.get("awslogs-group"), str):
            stream = log_stream_arn(snapshot, td, c, options)
            # as PG704 asks: CreateLogStream on the group's ARN or on the stream's, PutLogEvents on the stream's
            group = log_group_arn(snapshot, td, options)
            for action, forms in (("logs:CreateLogStream", (group, stream)), ("logs:PutLogEvents", (stream,))):
                decision = None
                for r in forms:
                    decision = role_can(snapshot, td, action, r)[0]
                    if decision.allowed:
                        break
                yield f"the logs of `{c.name}`", action, decision


def _services_of(snapshot, td) -> list:
    out = []
    for svc in snapshot.of_type("aws_ecs_service"):
        v = svc.get("task_definition")
        if (isinstance(v, Ref) and v.address == td.address) or (isinstance(v, str) and v and v in (
                td.instance.get("arn"), td.instance.get("family"), td.instance.get("arn_without_revision"))):
            out.append(svc)
    return out


def _one(snapshot, td):
    if isinstance(td.containers, Unknown):
        return  # per-container rules already report the unknown definitions
    if role_gate(snapshot, td) is not None or role_policies(snapshot, td.execution_role_arn).role is None:
        # no role, or one outside the plan: role_can never answers "allowed" for a role whose own
        # policies are unknown, so no grant of this plan can be found to be awaited
        yield passed(td.address)
        return
    late: dict = {}   # grant address -> [what it grants]
    for what, action, decision in _needs(snapshot, td):
        if not decision.allowed:
            continue  # PG302/PG303/PG70x report it
        grants = [s.policy for s in decision.statements if s.effect == "Allow"]
        insts = [snapshot.get(g) for g in grants]
        if not insts or any(i is None or i.action not in CREATED for i in insts):
            continue  # granted (also) by something that exists already
        for i in insts:
            late.setdefault(i.address, [])
            if action not in late[i.address]:
                late[i.address].append(action)
    if not late:
        yield passed(td.address)
        return
    starters = [td.instance] + _services_of(snapshot, td)
    closure = closure_of(snapshot, starters)
    if closure is None:
        yield undecided(td.address, "the plan's configuration section (dependencies)",
                        f"`{td.address}` needs permissions this plan creates ({', '.join(late)}); whether it "
                        "waits for them needs the plan's configuration", evidence=(td.address, *late))
        return
    unwaited = {a: w for a, w in late.items() if node_of(snapshot.get(a)) not in closure.nodes}
    if not unwaited:
        yield passed(td.address, evidence=(td.address, *late))
        return
    names = ", ".join(f"`{a}`" for a in unwaited)
    grants = "; ".join(f"`{a}` grants {', '.join(w[:3])}{', ...' if len(w) > 3 else ''}"
                       for a, w in unwaited.items())
    if closure.opaque:
        yield undecided(td.address, f"what {', '.join(sorted(closure.opaque))} refers to (the plan does not "
                        "record local values' references)",
                        f"`{td.address}` needs permissions this plan creates ({grants}); whether it waits for "
                        f"{names} goes through local values", evidence=(td.address, *unwaited))
        return
    who = " or ".join(f"`{s.address}`" for s in starters)
    yield fail(td.address,
               f"{grants} that `{td.address}` needs, and is created by this plan, but nothing makes {who} wait "
               "for it: the first tasks may start before IAM has the permission and fail to pull",
               f"Add `depends_on = [{', '.join(unwaited)}]` (without instance keys) to the `aws_ecs_service` that "
               "runs this task definition, to the task definition, or to the module block that contains it.",
               evidence=(*[s.address for s in starters], *unwaited))


def check(snapshot, settings):
    for td in task_definitions(snapshot):
        yield from _one(snapshot, td)


RULE = Rule("PG304", "Needed IAM permission created without the task waiting for it", Severity.WARNING, check,
            scope="task")
