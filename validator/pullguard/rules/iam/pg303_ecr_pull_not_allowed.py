"""PG303: the execution role may not pull the image from Amazon ECR."""
from ..base import Rule, Severity, fail, passed
from ..common import known_image, per_container
from .requests import ECR_PULL, ecr_repository_arn, evidence, identity_can, role_gate, role_label, undecided_of


def _one(snapshot, td, c):
    img, early = known_image(td, c, "the image")
    if img is None or img.ecr is None:
        yield early if early is not None else passed(td.address, c.name)
        return
    gate = role_gate(snapshot, td, c)
    if gate is not None:
        yield gate
        return
    repo = ecr_repository_arn(img)
    denied, open_, ev = [], None, (td.address,)
    for action, resource in (("ecr:GetAuthorizationToken", "*"), *((a, repo) for a in ECR_PULL)):
        decision, rp = identity_can(snapshot, td, action, resource)
        ev = evidence(td, rp, decision)
        if decision.denied:
            denied.append((action, resource, decision))
        elif decision.undecided and open_ is None:
            open_ = (action, resource, decision, rp)
    if denied:
        role = role_label(snapshot, td, rp)
        names = ", ".join(a for a, _, _ in denied)
        explicit = [str(s) for _, _, d in denied if d.explicit for s in d.statements]
        why = f"an explicit Deny applies ({', '.join(dict.fromkeys(explicit))})" if explicit else "no policy allows it"
        yield fail(td.address,
                   f"execution role `{role}` may not call {names} (on `{repo}` for the layer actions, `*` for "
                   f"GetAuthorizationToken) to pull `{img.raw}` for container `{c.name}`: {why}",
                   f"Attach `arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy` to `{role}` "
                   f"(aws_iam_role_policy_attachment), or allow ecr:GetAuthorizationToken on `*` and "
                   f"{', '.join(ECR_PULL)} on `{repo}`.", c.name, ev)
        return
    if open_ is not None:
        action, resource, decision, rp = open_
        yield undecided_of(td, c, decision, rp, action, f"`{resource}`")
        return
    yield passed(td.address, c.name, ev)


def check(snapshot, settings):
    return per_container(snapshot, lambda td, c: _one(snapshot, td, c), "the ECR pull permissions")


RULE = Rule("PG303", "Execution role may not pull the image from Amazon ECR", Severity.ERROR, check)
