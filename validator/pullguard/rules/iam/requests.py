"""The AWS requests a task's execution role makes at start, and the ARNs they name.

Shared by PG302-PG305 and PG702-PG704: building the resource ARN the agent
asks for (a secret, an SSM parameter, an ECR repository, a log stream) from
what the task definition says, and turning an IAM ``Decision`` into an outcome.
"""
from __future__ import annotations

import json
import re
from typing import Any, Optional

from ...evaluate.execution_role import resource_tags, role_can, with_principal_tags
from ...evaluate.secret_access import SUFFIX
from ...model.arns import SECRET_SUFFIX, arn_of, partition
from ...values import Hole, Partial, Ref, Unknown, describe
from ..base import fail, passed, undecided
from ..common import execution_role_state

DIGITS = "0123456789"
SECRET_ARN = re.compile(r"^(arn:(aws[a-z-]*):secretsmanager:([^:]*):(\d{12}):secret:([^:]+))(?::.*)?$")
SSM_ARN = re.compile(r"^arn:aws[a-z-]*:ssm:[^:]*:\d{12}:parameter/")
SECRET_TYPES = ("aws_secretsmanager_secret", "aws_secretsmanager_secret_version")


def _partial(*parts) -> Any:
    """Concatenate strings and ``Partial``s: a string when every part is known, else a ``Partial``
    with adjacent strings merged."""
    for p in parts:
        if type(p) is not str:
            break
    else:
        return "".join(parts)
    out: list = []
    text = False  # is out[-1] a string?
    for p in parts:
        for q in (p.parts if isinstance(p, Partial) else (p,)):
            if type(q) is str:
                if not q:
                    continue
                if text:
                    out[-1] += q
                else:
                    out.append(q)
                    text = True
            else:
                out.append(q)
                text = False
    if not out:
        return ""
    if len(out) == 1 and text:
        return out[0]
    return Partial(tuple(out))


def task_region(td) -> Any:
    return td.instance.region or Hole(f"the region of {td.address}", 1, None)


def task_account(snapshot, td) -> Any:
    return snapshot.account_id or Hole(f"the account of {td.address}", 12, 12, DIGITS)


# ---------------------------------------------------------------- secrets

def _secret_by_name(snapshot, name: str):
    index = snapshot.cache.get("pg_secrets_by_name")
    if index is None:
        index = {}
        for inst in snapshot.of_type("aws_secretsmanager_secret"):
            n = inst.get("name")
            if isinstance(n, str):
                index.setdefault(n, inst)
        snapshot.cache["pg_secrets_by_name"] = index
    return index.get(name)


def _secrets_by_arn(snapshot) -> dict:
    """{known ARN: secret, known ARN without its suffix: secret}."""
    index = snapshot.cache.get("pg_secrets_by_arn")
    if index is None:
        index = {}
        for inst in snapshot.of_type("aws_secretsmanager_secret"):
            arn = inst.get("arn")
            if isinstance(arn, str):
                index.setdefault(arn, inst)
                if SUFFIX.search(arn):
                    index.setdefault(arn[:-7], inst)
        snapshot.cache["pg_secrets_by_arn"] = index
    return index


def secret_instance(snapshot, value: Any):
    """The ``aws_secretsmanager_secret`` instance a credentialsParameter/valueFrom names, if in the plan."""
    memo = snapshot.cache.setdefault("requests.secret_instance", {})
    try:
        return memo[value]
    except KeyError:
        inst = memo[value] = _secret_instance(snapshot, value)
        return inst
    except TypeError:  # unhashable
        return _secret_instance(snapshot, value)


def _secret_instance(snapshot, value: Any):
    if isinstance(value, Ref):
        inst = snapshot.get(value.address)
        if inst is not None and inst.type == "aws_secretsmanager_secret_version":
            return secret_instance(snapshot, inst.get("secret_id"))
        return inst if inst is not None and inst.type == "aws_secretsmanager_secret" else None
    if not isinstance(value, str) or not value:
        return None
    m = SECRET_ARN.match(value)
    if m:
        inst = _secrets_by_arn(snapshot).get(m.group(1))
        if inst is not None:
            return inst
        name = m.group(5)  # a secret being created: its ARN is not known yet, its name is
        inst = _secret_by_name(snapshot, name) or _secret_by_name(snapshot, SUFFIX.sub("", name))
        return inst if inst is not None and not isinstance(inst.get("arn"), str) \
            and inst.region in (None, m.group(3)) else None
    return _secret_by_name(snapshot, value)


def secret_resource(snapshot, td, value: Any) -> Any:
    """The ARN IAM sees for GetSecretValue on ``value`` (an ARN, a bare name, a Ref):
    a string, or a ``Partial`` ending in the 6-character hole when not yet known."""
    if isinstance(value, Ref):
        inst = snapshot.get(value.address)
        if inst is not None and inst.type == "aws_secretsmanager_secret_version":
            return secret_resource(snapshot, td, inst.get("secret_id"))
        return arn_of(snapshot, value)
    if not isinstance(value, str):
        return value
    m = SECRET_ARN.match(value)
    if m:
        arn, name = m.group(1), m.group(5)
        inst = secret_instance(snapshot, arn)
        if inst is not None:
            return arn_of(snapshot, Ref(inst.address, "arn"))
        if SUFFIX.search(name):
            return arn
        return _partial(arn, "-", SECRET_SUFFIX)  # a partial ARN: Secrets Manager resolves it
    inst = _secret_by_name(snapshot, value)
    if inst is not None:
        return arn_of(snapshot, Ref(inst.address, "arn"))
    return _partial(f"arn:{partition(task_region(td))}:secretsmanager:", task_region(td), ":",
                    task_account(snapshot, td),
                    ":secret:", value, "-", SECRET_SUFFIX)


def _known_prefix(resource: Any) -> Optional[str]:
    """The secret ARN without its 6-character suffix, when everything else is known."""
    if isinstance(resource, Ref):
        resource = resource.shape
    if isinstance(resource, str):
        return resource[:-7] if SUFFIX.search(resource) else None
    if isinstance(resource, Partial):
        parts = resource.parts
        if len(parts) == 2 and isinstance(parts[0], str) and parts[1] == SECRET_SUFFIX and parts[0].endswith("-"):
            return parts[0][:-1]
    return None


def _statements(doc: Any):
    if isinstance(doc, str):
        try:
            doc = json.loads(doc)
        except ValueError:
            return []
    if not isinstance(doc, dict):
        return []
    st = doc.get("Statement")
    return [s for s in (st if isinstance(st, list) else [st]) if isinstance(s, dict)]


def _listify(v: Any) -> list:
    return v if isinstance(v, list) else [v] if v is not None else []


def suffixless_grants(rp, resource: Any, action: str) -> list:
    """[(policy name, Resource string)] of Allow statements that name the secret's ARN
    without the random suffix (they never match it)."""
    prefix = _known_prefix(resource)
    if prefix is None:
        return []
    service, verb = action.lower().split(":", 1)
    out = []
    for policy in rp.identity:
        for st in _statements(policy.document):
            if st.get("Effect") != "Allow":
                continue
            acts = [a.lower() for a in _listify(st.get("Action")) if isinstance(a, str)]
            if not any(a in ("*", f"{service}:*", action.lower()) or
                       (a.endswith("*") and action.lower().startswith(a[:-1])) for a in acts):
                continue
            for r in _listify(st.get("Resource")):
                if isinstance(r, str) and r == prefix:
                    out.append((policy.name, r))
    return out


def secret_label(snapshot, value: Any) -> str:
    inst = secret_instance(snapshot, value)
    if inst is not None:
        return inst.address
    return describe(value)


# ---------------------------------------------------------------- SSM, ECR, logs

def ssm_parameter_resource(snapshot, td, value: Any) -> Any:
    if isinstance(value, Ref):
        inst = snapshot.get(value.address)
        if inst is not None and inst.type == "aws_ssm_parameter":
            arn = inst.get("arn")
            if isinstance(arn, str):
                return arn
            name = inst.get("name")
            if isinstance(name, str) and name:
                region = inst.region or task_region(td)
                return _partial(f"arn:{partition(region)}:ssm:", region, ":", task_account(snapshot, td),
                                ":parameter", name if name.startswith("/") else "/" + name)
        return value
    if not isinstance(value, str):
        return value
    if value.startswith("arn:"):
        return value
    return _partial(f"arn:{partition(task_region(td))}:ssm:", task_region(td), ":", task_account(snapshot, td),
                    ":parameter",
                    value if value.startswith("/") else "/" + value)


def is_ssm(snapshot, value: Any) -> Optional[bool]:
    """True for an SSM parameter valueFrom, False for Secrets Manager, None when unknown."""
    if isinstance(value, Ref):
        inst = snapshot.get(value.address)
        if inst is None:
            return None
        if inst.type == "aws_ssm_parameter":
            return True
        if inst.type in SECRET_TYPES:
            return False
        return None
    if not isinstance(value, str) or not value:
        return None
    if value.startswith("arn:"):
        if SSM_ARN.match(value):
            return True
        if SECRET_ARN.match(value):
            return False
        return None
    return True  # a bare name in `secrets` is a Parameter Store parameter name


def ecr_repository_arn(img) -> Optional[str]:
    if img is None or img.ecr is None:
        return None
    account, region = img.ecr
    return f"arn:{partition(region)}:ecr:{region}:{account}:repository/{img.path}"


ECR_PULL = ("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage")


def awslogs(c) -> Optional[dict]:
    lc = c.log_configuration
    if not isinstance(lc, dict) or lc.get("logDriver") != "awslogs":
        return None
    options = lc.get("options")
    return options if isinstance(options, dict) else {}


def awslogs_group(td, c) -> tuple:
    """(options, group name, None) for a container logging with awslogs to a known group; else
    (None, None, outcome): a pass when it does not use awslogs, undecided when the group is unknown."""
    options = awslogs(c)
    if options is None:
        return None, None, passed(td.address, c.name)
    group = options.get("awslogs-group")
    if not isinstance(group, str) or not group:
        return None, None, undecided(td.address, getattr(group, "fact", f"the awslogs-group of container {c.name}"),
                                     f"the awslogs-group of container `{c.name}` is {describe(group)}",
                                     container=c.name)
    return options, group, None


def log_region(td, options: dict) -> Any:
    r = options.get("awslogs-region")
    return r if isinstance(r, str) and r else task_region(td)


def log_group_arn(snapshot, td, options: dict) -> Any:
    group = options.get("awslogs-group")
    if not isinstance(group, str) or not group:
        return None
    region = log_region(td, options)
    return _partial(f"arn:{partition(region)}:logs:", region, ":", task_account(snapshot, td),
                    ":log-group:", group)


def log_stream_arn(snapshot, td, c, options: dict) -> Any:
    base = log_group_arn(snapshot, td, options)
    if base is None:
        return None
    prefix = options.get("awslogs-stream-prefix")
    if isinstance(prefix, str) and prefix:
        stream = _partial(prefix, "/", c.name, "/", Hole("the task id", 1, None))
    else:
        stream = Hole("the log stream name", 1, None)
    return _partial(base, ":log-stream:", stream)


# ---------------------------------------------------------------- roles and verdicts

def role_gate(snapshot, td, c=None):
    """None when the rule should evaluate; else the outcome to yield (silent pass when there is
    no execution role: PG201/PG701 report that; undecided when it is known only after apply)."""
    state, fact = execution_role_state(td)
    name = c.name if c is not None else None
    if state == "unset":
        return passed(td.address, name)
    if state == "unknown":
        return undecided(td.address, fact, f"the execution role of `{td.address}` is known only after apply",
                         container=name)
    return None


def evidence(td, rp, decision=None) -> tuple:
    chain = [td.address]
    chain.append(rp.role.address if rp.role is not None else f"role {describe(td.execution_role_arn)}")
    names = [p.name for p in rp.identity]
    if decision is not None:
        names += [s.policy for s in decision.statements if s.policy not in names]
    chain += names
    return tuple(chain)


def role_label(snapshot, td, rp) -> str:
    if rp.role is not None:
        return rp.role.address
    return describe(td.execution_role_arn)


def undecided_of(td, c, decision, rp, action: str, what: str) -> Any:
    facts = tuple(decision.missing) or tuple(rp.missing) or ("the policies that apply",)
    return undecided(td.address, "; ".join(dict.fromkeys(facts)),
                     f"whether execution role `{role_label(None, td, rp)}` may call {action} on {what} "
                     "is known only after apply or outside the plan",
                     container=c.name if c is not None else None, evidence=evidence(td, rp, decision))


__all__ = ["secret_resource", "secret_instance", "suffixless_grants", "ssm_parameter_resource", "is_ssm",
           "ecr_repository_arn", "ECR_PULL", "awslogs", "awslogs_group", "log_group_arn", "log_stream_arn",
           "role_gate", "evidence", "role_label", "undecided_of", "task_region", "task_account", "judge_secret",
           "identity_can", "role_principal", "secret_question"]


# ---------------------------------------------------------------- one permission question, one outcome

GSV = "secretsmanager:GetSecretValue"


def _own_policy(snapshot, value, policy):
    """A secret this plan creates (or replaces: the new one starts bare) without a ``policy`` argument
    has no resource policy, although the plan shows its computed ``policy`` as unknown
    (model.iam.resource_policy keeps it Unknown)."""
    inst = secret_instance(snapshot, value)
    if policy is None or inst is None or policy.name != inst.address or not isinstance(policy.document, Unknown):
        return policy
    config = snapshot.config
    if inst.action not in ("create", "replace") or config is None or not getattr(config, "root", None):
        return policy
    res = config.resource_config(inst.module, inst.mode, inst.type, inst.name)
    if res is None or "policy" in (res.get("expressions") or {}):
        return policy
    return None


def _other_account(snapshot, value: Any) -> bool:
    """True when a secret ARN names another account than the task's, or the task's is not known."""
    m = SECRET_ARN.match(value) if isinstance(value, str) else None
    return m is not None and m.group(4) != snapshot.account_id


def _secret_tags(snapshot, inst):
    """The secret's tags as request context (``secretsmanager:ResourceTag/*``, ``aws:ResourceTag/*``),
    built once per secret; ``None`` for a secret outside the plan (its tags are unknown)."""
    if inst is None:
        return None
    memo = snapshot.cache.setdefault("requests.secret_tags", {})
    if inst.address not in memo:
        memo[inst.address] = resource_tags(inst, "secretsmanager")
    return memo[inst.address]


def secret_question(snapshot, td, value: Any) -> tuple:
    """(resource ARN, secret instance or None, ResourcePolicy, Decision, RolePolicies) of "may the
    execution role GetSecretValue on ``value``", asked the one way every rule asks it (the answer is
    memoised: PG302, PG702 and PG304 share it)."""
    memo = snapshot.cache.setdefault("requests.secret_question", {})
    try:
        key = (id(td), value)
        hit = memo.get(key)
    except TypeError:  # unhashable
        return _secret_question(snapshot, td, value)
    if hit is None:
        hit = memo[key] = _secret_question(snapshot, td, value) + (td,)  # td: keeps id(td) unique
    return hit[:5]


def _secret_question(snapshot, td, value: Any) -> tuple:
    from ...model.iam import ResourcePolicy, resource_policy
    resource = secret_resource(snapshot, td, value)
    inst = secret_instance(snapshot, value)
    # by Ref: model.iam.resource_policy scans every secret when given a string (quadratic on big plans)
    rpol = resource_policy(snapshot, Ref(inst.address, "arn")) if inst is not None else ResourcePolicy(
        None, (f"the resource policy of secret {describe(value)} (not in the plan)",))
    decision, rp = role_can(snapshot, td, GSV, resource, resource_policy=_own_policy(snapshot, value, rpol.policy),
                            context=_secret_tags(snapshot, inst))
    return resource, inst, rpol, decision, rp


def judge_secret(snapshot, td, c, value: Any, purpose: str):
    """Outcome of "may the execution role GetSecretValue on ``value``" for container ``c``."""
    resource, inst, rpol, decision, rp = secret_question(snapshot, td, value)
    label = secret_label(snapshot, value)
    role = role_label(snapshot, td, rp)
    ev = evidence(td, rp, decision)
    if decision.allowed:
        return passed(td.address, c.name, ev)
    if decision.undecided:
        return undecided_of(td, c, decision, rp, GSV, f"`{label}`")
    if inst is None and not decision.explicit and _other_account(snapshot, value):
        # across accounts the secret's resource policy must allow too, and it is not in the plan
        own, _ = identity_can(snapshot, td, GSV, resource)
        if not own.denied:
            return undecided(td.address, "; ".join(rpol.missing) or f"the resource policy of secret {label}",
                             f"secret `{label}` is in another account and not in the plan: whether its resource "
                             f"policy lets execution role `{role}` read it is not known", container=c.name,
                             evidence=ev)
    near = suffixless_grants(rp, resource, GSV)
    if near and not decision.explicit:
        policy, pattern = near[0]
        ref = f"`{label}.arn`" if inst is not None else "the secret's full ARN"
        msg = (f"execution role `{role}` may not call {GSV} on `{label}`: the policy `{policy}` allows "
               f"`{pattern}`, which lacks the 6-character suffix every secret ARN ends with; use {ref} "
               "or append `-??????`.")
        fix = (f"In `{policy}`, set the statement's Resource to {ref} (or `{pattern}-??????`).")
        return fail(td.address, msg, fix, c.name, ev)
    why = "an explicit Deny applies (" + ", ".join(str(s) for s in decision.statements) + ")" \
        if decision.explicit else "no policy allows it"
    own = _own_policy(snapshot, value, rpol.policy)
    granted = any(st.kind == "resource" and st.effect == "Allow" for st in decision.statements)
    if not decision.explicit and not granted and own is not None and not isinstance(own.document, Unknown):
        why = (f"no policy allows it (neither the role's policies nor the secret's resource policy "
               f"`{own.name}`, which does not grant this role)")
    msg = f"execution role `{role}` may not call {GSV} on `{label}` ({purpose} of container `{c.name}`): {why}"
    arn = f"`{label}.arn` or " if inst is not None else ""
    fix = (f"Grant `{role}` {GSV} on the secret's ARN ({arn}`...:secret:NAME-??????`), e.g. in an "
           "`aws_iam_role_policy`" + ("; remove or narrow the Deny" if decision.explicit else "") + ".")
    return fail(td.address, msg, fix, c.name, ev)


def role_principal(snapshot, td, rp) -> Any:
    """The execution role's ARN when it can be known now (a known ARN, or built from name and path)."""
    v = td.execution_role_arn
    if isinstance(v, str):
        return v
    if rp.role is not None:
        arn = rp.role.get("arn")
        if isinstance(arn, str):
            return arn
        name, path = rp.role.get("name"), rp.role.get("path")
        path = path if isinstance(path, str) and path else "/"
        if isinstance(name, str) and snapshot.account_id:
            return f"arn:{partition(rp.role.region)}:iam::{snapshot.account_id}:role{path}{name}"
    return v


def identity_can(snapshot, td, action: str, resource: Any):
    """Like ``role_can`` but for the identity side only (a cross-account resource is judged as if the
    resource policy granted: PG305 judges that side)."""
    memo = snapshot.cache.setdefault("identity_can", {})
    key = (id(td), action, resource)
    try:
        return memo[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable resource: no memo
        return _identity_can(snapshot, td, action, resource)
    answer = memo[key] = _identity_can(snapshot, td, action, resource)
    return answer


def _identity_can(snapshot, td, action: str, resource: Any):
    from dataclasses import replace
    from ...evaluate.iam import Request, evaluate, UNDECIDED
    from ...model.iam import role_policies
    rp = role_policies(snapshot, td.execution_role_arn)
    acct = snapshot.account_id
    request = Request(principal=role_principal(snapshot, td, rp), action=action, resource=resource,
                      principal_account=acct, resource_account=acct, context=with_principal_tags(None, rp))
    identity = rp.identity + rp.possible if rp.possible else rp.identity
    decision = evaluate(request, identity=identity, boundary=rp.boundary)
    if rp.role is None and not decision.undecided:
        decision = replace(decision, outcome=UNDECIDED, explicit=False,
                           missing=tuple(decision.missing) + tuple(rp.missing))
    if rp.possible and decision.allowed:
        names = {p.name for p in rp.possible}
        if all(s.policy in names for s in decision.statements if s.effect == "Allow"):
            decision = replace(decision, outcome=UNDECIDED, missing=tuple(decision.missing) + (
                f"whether {', '.join(sorted(names))} applies to this role",))
    return decision, rp
