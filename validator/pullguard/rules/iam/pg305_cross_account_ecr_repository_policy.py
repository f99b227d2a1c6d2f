"""PG305: an image in another account's ECR needs that repository's policy to grant the role."""
from ...evaluate.iam import Policy, Request, evaluate
from ...model.iam import policy_document, role_policies
from ...values import Ref, Unknown
from ..base import Rule, Severity, fail, passed, undecided
from ..common import known_image, per_container
from .requests import ECR_PULL, ecr_repository_arn, role_gate, role_label, role_principal


# the identity side of the cross-account request, assumed granted: PG303 judges it
_CALLER_ALLOWS = Policy("the execution role's own policies (judged by PG303)",
                        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def _repository_policies(snapshot) -> dict:
    """{repository name: [aws_ecr_repository_policy instance]}; unknown names under None."""
    index = snapshot.cache.get("pg305_repo_policies")
    if index is None:
        index = {}
        for inst in snapshot.of_type("aws_ecr_repository_policy"):
            repo = inst.get("repository")
            if isinstance(repo, Ref):
                target = snapshot.get(repo.address)
                repo = target.get("name") if target is not None else None
            index.setdefault(repo if isinstance(repo, str) else None, []).append(inst)
        snapshot.cache["pg305_repo_policies"] = index
    return index


def _one(snapshot, td, c):
    img, early = known_image(td, c, "the image")
    if img is None or img.ecr is None:
        yield early if early is not None else passed(td.address, c.name)
        return
    account, region = img.ecr
    if account == snapshot.account_id:
        yield passed(td.address, c.name)  # same account: PG303 judges the role alone
        return
    if snapshot.account_id is None:
        yield undecided(td.address, "the task's account (the plan names no single account)",
                        f"whether image `{img.raw}` of container `{c.name}` is in the task's own account "
                        f"({account}) is not known", container=c.name, evidence=(td.address,))
        return
    gate = role_gate(snapshot, td, c)
    if gate is not None:
        yield gate
        return
    repo_arn = ecr_repository_arn(img)
    found = _repository_policies(snapshot).get(img.path, [])
    found = [i for i in found if i.region in (None, region)]
    if not found:
        yield undecided(td.address, f"the repository policy of `{repo_arn}` (not in the plan)",
                        f"image `{img.raw}` of container `{c.name}` is in account {account}; whether its "
                        "repository policy lets the execution role pull is not in the plan", container=c.name,
                        evidence=(td.address,))
        return
    inst = found[0]
    rp = role_policies(snapshot, td.execution_role_arn)
    role = role_label(snapshot, td, rp)
    principal = role_principal(snapshot, td, rp)
    ev = (td.address, role, inst.address)
    doc = policy_document(snapshot, inst.get("policy"), f"{inst.address}.policy")
    if doc is None or isinstance(doc, Unknown):
        yield undecided(td.address, doc.fact if isinstance(doc, Unknown) else f"{inst.address}.policy (empty)",
                        f"the policy of `{inst.address}` is known only after apply", container=c.name, evidence=ev)
        return
    policy = Policy(inst.address, doc, "resource")
    missing, open_ = [], []
    for action in ECR_PULL:
        # the resource side alone: a cross-account request as AWS evaluates it, with the caller's own
        # policies taken as allowing (PG303 judges them), so a grant to the task account's root
        # (delegation to that account) counts as well as one naming the role
        d = evaluate(Request(principal=principal, action=action, resource=repo_arn,
                             principal_account=snapshot.account_id, resource_account=account),
                     identity=(_CALLER_ALLOWS,), resource_policy=policy)
        if d.denied:
            missing.append(action)
        elif d.undecided:
            open_.append((action, d))
    if missing:
        yield fail(td.address,
                   f"image `{img.raw}` of container `{c.name}` is in account {account}, and the repository policy "
                   f"`{inst.address}` does not grant execution role `{role}` {', '.join(missing)}",
                   f"In `{inst.address}`, allow Principal {{ AWS = <the execution role ARN> }} (or the task "
                   f"account's root) {', '.join(ECR_PULL)}.", c.name, ev)
    elif open_:
        action, d = open_[0]
        yield undecided(td.address, "; ".join(d.missing) or "a condition of the repository policy",
                        f"whether `{inst.address}` grants `{role}` {action} is not known before apply",
                        container=c.name, evidence=ev)
    else:
        yield passed(td.address, c.name, ev)


def check(snapshot, settings):
    return per_container(snapshot, lambda td, c: _one(snapshot, td, c), "the ECR repository policy")


RULE = Rule("PG305", "Cross-account ECR repository policy does not grant the execution role", Severity.ERROR,
            check)
