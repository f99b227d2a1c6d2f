"""May a task definition's execution role do X on Y? The bridge from the model to the IAM evaluator.

Shared by every rule that asks a permission question (PG30x, PG40x, PG70x):

    decision, role = role_can(snapshot, td, "secretsmanager:GetSecretValue", secret_arn,
                              resource_policy=resource_policy(snapshot, secret).policy)

``role`` is the ``RolePolicies`` used (evidence: ``role.role.address``, the
policies' names; ``role.missing``: facts not known). The decision is
undecided, never allow, when facts are missing (a role outside the plan, a
policy document known only after apply), and it says which.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Optional

from ..model.arns import arn_of
from ..model.iam import RolePolicies, role_policies
from ..values import Ref
from .iam import Context, Decision, Policy, Request, _arn_account, evaluate, UNDECIDED


EMPTY_CONTEXT = Context()


def role_arn(snapshot, td) -> Any:
    """The execution role's ARN as the model knows it: a string, a ``Ref`` or a marker."""
    return td.execution_role_arn


def role_can(snapshot, td, action: str, resource: Any, *, resource_policy: Optional[Policy] = None,
             key_policy: Optional[Policy] = None, context: Optional[Context] = None,
             ) -> tuple[Decision, RolePolicies]:
    """Evaluate one action of ``td``'s execution role on ``resource`` (an ARN string, a ``Ref``,
    a ``Partial`` or ``"*"``), the way AWS would, with what the snapshot knows.

    Several rules ask the same question (PG302 and PG304, PG70x and PG304): answers are
    memoised per snapshot, keyed by the objects asked about."""
    try:
        key = ("role_can", id(td), action, resource, id(resource_policy), id(key_policy), context)
        memo = snapshot.cache.setdefault("role_can", {})
        if key in memo:
            return memo[key]
    except TypeError:  # an unhashable resource or context: no memo
        key = memo = None
    answer = _role_can(snapshot, td, action, resource, resource_policy, key_policy, context)
    if memo is not None:
        memo[key] = answer
    return answer


def _principal(snapshot, td) -> tuple:
    """(RolePolicies, principal ARN, default context, identity policies) of ``td``'s execution role,
    worked out once per task definition and snapshot."""
    cache = snapshot.cache.setdefault("execution_role._principal", {})
    hit = cache.get(id(td))
    if hit is None:
        principal = td.execution_role_arn
        rp = role_policies(snapshot, principal)
        if isinstance(principal, Ref):
            inst = snapshot.get(principal.address)
            known = inst.get("arn") if inst is not None else None
            # known, or determined by the role's name, path and account (an ARN is exactly that),
            # or a Ref with the ARN's shape (a key or resource policy naming the role matches it)
            principal = known if isinstance(known, str) else arn_of(snapshot, principal)
        identity = rp.identity + rp.possible if rp.possible else rp.identity
        hit = cache[id(td)] = (rp, principal, with_principal_tags(None, rp), identity, td)  # td: keeps id(td) unique
    return hit


def _role_can(snapshot, td, action, resource, resource_policy, key_policy, context):
    rp, principal, default_context, identity, _ = _principal(snapshot, td)
    if rp.role is None and not identity and rp.boundary is None and resource_policy is None \
            and key_policy is None:
        # a role outside the plan, no policy known: no statement to match, so the answer depends only
        # on whether the action is KMS's and on the resource's account (same- or cross-account wording)
        key = (id(td), action.lower().startswith("kms:"), _arn_account(arn_of(snapshot, resource)))
        outside = snapshot.cache.setdefault("execution_role.outside", {})
        if key not in outside:
            outside[key] = _evaluate(snapshot, rp, principal, default_context, identity, action, resource,
                                     None, None, context)
        return outside[key], rp
    return _evaluate(snapshot, rp, principal, default_context, identity, action, resource, resource_policy,
                     key_policy, context), rp


def _evaluate(snapshot, rp, principal, default_context, identity, action, resource, resource_policy, key_policy,
              context) -> Decision:
    request = Request(principal=principal, action=action, resource=arn_of(snapshot, resource),
                      principal_account=snapshot.account_id,
                      context=default_context if context is None else with_principal_tags(context, rp),
                      same_account=same_credentials(snapshot, rp.role, resource))
    decision = evaluate(request, identity=identity,
                        resource_policy=resource_policy, boundary=rp.boundary, key_policy=key_policy)
    if rp.role is None and not decision.undecided and not _decided_by_resource_side(decision):
        # the role is outside the plan: its own policies are not known, so neither is the answer
        decision = replace(decision, outcome=UNDECIDED, explicit=False,
                           missing=tuple(decision.missing) + tuple(rp.missing))
    if rp.possible and decision.allowed:
        # a policy attached to a role known only after apply may or may not be this role's
        names = ", ".join(p.name for p in rp.possible)
        only_possible = all(s.policy in {p.name for p in rp.possible} for s in decision.statements
                            if s.effect == "Allow")
        if only_possible:
            decision = replace(decision, outcome=UNDECIDED,
                               missing=tuple(decision.missing) + (f"whether {names} applies to this role",))
    return decision


def with_principal_tags(context: Optional[Context], rp: RolePolicies) -> Context:
    """The request context with ``aws:PrincipalTag/<key>``: a role's tags are principal tags of
    its sessions (ECS passes no session tags), so they are known when the role's tags are."""
    context = context or EMPTY_CONTEXT
    role = rp.role
    if role is None:
        return context
    tags = role.get("tags_all")
    if not isinstance(tags, dict):
        tags = role.get("tags") if role.get("tags_all") is None else tags
    if tags is None:
        return context
    if not isinstance(tags, dict) or not all(isinstance(v, str) for v in tags.values()):
        return Context(values=context.values, unknown=context.unknown | {"aws:PrincipalTag/*"},
                       absent=context.absent)
    return context.with_defaults({f"aws:PrincipalTag/{k}": v for k, v in tags.items()})


def same_credentials(snapshot, role, resource: Any) -> Optional[bool]:
    """True when the role and the resource (a ``Ref`` to it) are both in the plan under one
    provider configuration and the resource is created (managed) by it: made with the same
    credentials, so in the same account, whether or not the plan names that account. ``None``
    otherwise (the accounts decide): a data source may read another account's resource by ARN."""
    if role is None or not isinstance(resource, Ref):
        return None
    inst = snapshot.get(resource.address)
    ok = inst is not None and inst.mode == "managed" and inst.provider == role.provider
    return True if ok else None


def resource_tags(inst, service: str) -> Context:
    """The request context keys of a resource's tags: ``aws:ResourceTag/<key>`` and
    ``<service>:ResourceTag/<key>`` for each tag, every other tag key absent. Tags the plan does not
    know (or a resource outside the plan, ``inst`` None) leave them unknown."""
    if inst is None:
        return EMPTY_CONTEXT
    tags = inst.get("tags_all")
    if not isinstance(tags, dict):
        tags = inst.get("tags") if tags is None else tags
    if tags is None:
        tags = {}
    if not isinstance(tags, dict) or not all(isinstance(v, str) for v in tags.values()):
        return EMPTY_CONTEXT
    values = {}
    for k, v in tags.items():
        values[f"aws:ResourceTag/{k}"] = v
        values[f"{service}:ResourceTag/{k}"] = v
    return Context(values=values, absent=frozenset({"aws:ResourceTag/*", f"{service}:ResourceTag/*"}))


def _decided_by_resource_side(decision: Decision) -> bool:
    """An explicit Deny in a resource or key policy decides, whatever the role's own policies say."""
    return decision.denied and decision.explicit and any(
        s.kind in ("resource", "key") and s.effect == "Deny" for s in decision.statements)
