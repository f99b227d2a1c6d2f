"""IAM views over a snapshot: the policies that reach a role, a secret, a KMS key.

Pure: built from the snapshot alone, no AWS calls.  Every policy is a
``pullguard.evaluate.iam.Policy`` named after the Terraform address that grants
it (evidence), with a JSON document, an AWS managed policy ARN, or ``Unknown``
when the document is known only after apply (the evaluator answers undecided).
What could not be known is named in ``missing``.

Sources of a role's identity policies (same snapshot):

* the role's ``inline_policy`` blocks and ``managed_policy_arns``;
* ``aws_iam_role_policy`` (``role`` = the role's name or id);
* ``aws_iam_role_policy_attachment`` (``role`` + ``policy_arn``);
* ``aws_iam_policy_attachment`` (``roles`` list + ``policy_arn``).

A policy ARN is an AWS managed policy (kept as the ARN: the evaluator ships
those documents), or the ``policy`` of the ``aws_iam_policy`` it names.  A
document that is ``Ref(data.aws_iam_policy_document.X, "json")`` is that data
source's JSON when known.  ``aws_iam_role_policies_exclusive`` and
``aws_iam_role_policy_attachments_exclusive`` only say which policies exist:
they are noted in ``RolePolicies.exclusive``, nothing is gathered from them.

When a role is not being created, Terraform refreshes its ``inline_policy`` and
``managed_policy_arns`` with everything attached to it, including what the
resources above attach: those entries are attributed to the resource, not
gathered twice.  When those two attributes are unknown as a whole they are the
computed view of the resources above (or of nothing) and add nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple, Optional

from ..evaluate.iam import Policy
from ..values import Partial, Redacted, Ref, Unknown
from .arns import known_arns_in
from .world import Instance, Snapshot

__all__ = ["RolePolicies", "ResourcePolicy", "find_role", "role_policies", "resource_policy",
           "key_policy", "policy_document", "policy_from_arn"]

ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}|\*)?:role/(?:(.*)/)?([^/]+)$")
MANAGED_ARN = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/")
POLICY_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:policy/(?:(.*)/)?([^/]+)$")
SECRET_ARN = re.compile(r"^(arn:aws[a-z-]*:secretsmanager:[^:]*:\d{12}:secret:[^:]+)")
KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[^:]*:\d{12}:key/(.+)$")
POLICY_SOURCES = ("aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_policy_attachment")
EXCLUSIVE = ("aws_iam_role_policies_exclusive", "aws_iam_role_policy_attachments_exclusive")


@dataclass(frozen=True)
class RolePolicies:
    role: Optional[Instance]        # the aws_iam_role instance, None when outside the plan
    identity: tuple = ()            # Policy, each named after the address that grants it
    boundary: Optional[Policy] = None
    trust: Optional[Policy] = None  # assume_role_policy
    missing: tuple = ()             # facts that could not be known
    exclusive: tuple = ()           # addresses of *_exclusive resources naming this role
    possible: tuple = ()            # Policy granted to a role known only after apply: maybe this one


class ResourcePolicy(NamedTuple):
    policy: Optional[Policy]
    missing: tuple


def _fact(value: Any, fallback: str) -> str:
    if isinstance(value, Unknown):
        return value.fact
    if isinstance(value, Ref):
        return str(value)
    return fallback


def _known_str(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and value else None


# ---------------------------------------------------------------- documents

def policy_document(snapshot: Snapshot, value: Any, fact: str) -> Any:
    """A policy attribute as an evaluator document: JSON text/dict, or ``Unknown``.

    ``None``/``""`` (no document) is returned as ``None``.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dict):  # from the source: fill in ARNs the plan determines (log groups)
        return known_arns_in(snapshot, value)
    if isinstance(value, Ref):
        inst = snapshot.get(value.address)
        if inst is not None and inst.type == "aws_iam_policy_document" and inst.mode == "data":
            doc = inst.get(value.attribute)
            if isinstance(doc, str) and doc:
                return doc
        return Unknown(str(value))
    if isinstance(value, Redacted):
        return Unknown(f"{fact} (sensitive)")
    if isinstance(value, Unknown):
        return value
    return Unknown(f"{fact} ({'partly known' if isinstance(value, Partial) else 'not a document'})")


def _policies_by_arn(snapshot: Snapshot) -> dict:
    index = snapshot.cache.get("iam_policies_by_arn")
    if index is None:
        index = {}
        for inst in snapshot.of_type("aws_iam_policy"):
            for key in (inst.get("arn"), inst.get("id")):
                if _known_str(key):
                    index.setdefault(key, inst)
            name = _known_str(inst.get("name"))
            if name:
                path = inst.get("path")
                index.setdefault(("name", name, path if isinstance(path, str) else None), inst)
        snapshot.cache["iam_policies_by_arn"] = index
    return index


def _customer_policy(snapshot: Snapshot, arn: Any) -> Optional[Instance]:
    if isinstance(arn, Ref):
        inst = snapshot.get(arn.address)
        return inst if inst is not None and inst.type == "aws_iam_policy" and arn.attribute in ("arn", "id") \
            else None
    index = _policies_by_arn(snapshot)
    if arn in index:
        return index[arn]
    m = POLICY_ARN.match(arn)
    if not m:
        return None
    path = "/" + (m.group(1) + "/" if m.group(1) else "")
    hit = index.get(("name", m.group(2), path)) or index.get(("name", m.group(2), None))
    # an ARN known now names a policy whose ARN is known too, unless it is being created
    return hit if hit is not None and not _known_str(hit.get("arn")) else None


def policy_from_arn(snapshot: Snapshot, arn: Any, name: str, kind: str = "identity") -> Policy:
    """The policy a policy ARN names: AWS managed (by ARN), an ``aws_iam_policy``
    in the snapshot (its document), or one with an ``Unknown`` document."""
    if isinstance(arn, str) and MANAGED_ARN.match(arn):
        return Policy(name, arn, kind)
    if isinstance(arn, (str, Ref)):
        inst = _customer_policy(snapshot, arn)
        if inst is not None:
            doc = policy_document(snapshot, inst.get("policy"), f"{inst.address}.policy")
            return Policy(name, doc if doc is not None else Unknown(f"{inst.address}.policy (empty)"), kind)
        return Policy(name, Unknown(f"document of {arn} (not in the plan)"), kind)
    return Policy(name, Unknown(_fact(arn, name)), kind)


def _missing_of(policy: Optional[Policy], out: list) -> None:
    if policy is not None and isinstance(policy.document, Unknown) and policy.document.fact not in out:
        out.append(policy.document.fact)


# ---------------------------------------------------------------- roles

def _roles_index(snapshot: Snapshot) -> dict:
    index = snapshot.cache.get("iam_roles_index")
    if index is None:
        index = {}
        for inst in snapshot.of_type("aws_iam_role"):
            for key in (inst.get("arn"), inst.get("name"), inst.get("id")):
                hits = index.setdefault(key, []) if _known_str(key) else None
                if hits is not None and inst not in hits:  # a role's id is its name
                    hits.append(inst)
        snapshot.cache["iam_roles_index"] = index
    return index


def find_role(snapshot: Snapshot, value: Any) -> Optional[Instance]:
    """The ``aws_iam_role`` instance ``value`` names: its address, ARN, name, or a
    ``Ref`` to its arn/name/id.  ``None`` when it is not in the snapshot."""
    if isinstance(value, Ref):
        inst = snapshot.get(value.address)
        ok = inst is not None and inst.type == "aws_iam_role" and value.attribute in ("arn", "name", "id")
        return inst if ok else None
    if not isinstance(value, str) or not value:
        return None
    inst = snapshot.get(value)
    if inst is not None:
        return inst if inst.type == "aws_iam_role" else None
    index = _roles_index(snapshot)
    m = ROLE_ARN.match(value)
    if m is None:
        hits = index.get(value, [])
        return hits[0] if len(hits) == 1 else None
    hits = index.get(value)
    if hits:
        return hits[0]
    path = "/" + (m.group(2) + "/" if m.group(2) else "")
    hits = [r for r in index.get(m.group(3), ())  # being created: same name and path
            if r.get("name") == m.group(3) and not _known_str(r.get("arn"))
            and (r.get("path") in (path, None) or isinstance(r.get("path"), Unknown))]
    return hits[0] if len(hits) == 1 else None


class _Grant(NamedTuple):
    address: str
    policy: Any          # Policy, built when the grant is indexed
    key: Any             # what identifies the policy on the role: inline name or policy ARN


def _grants(snapshot: Snapshot) -> dict:
    """Every role-policy grant of the snapshot, indexed by the role it names."""
    index = snapshot.cache.get("iam_role_grants")
    if index is not None:
        return index
    by_name: dict = {}
    by_ref: dict = {}
    unknown: list = []

    def add(role: Any, grant: _Grant) -> None:
        if isinstance(role, str) and role:
            by_name.setdefault(role, []).append(grant)
        elif isinstance(role, Ref) and role.attribute in ("name", "id"):
            by_ref.setdefault(role.address, []).append(grant)
        else:
            unknown.append((grant, _fact(role, f"{grant.address}.role")))

    for inst in snapshot.of_type(*POLICY_SOURCES):
        if inst.type == "aws_iam_role_policy":
            doc = policy_document(snapshot, inst.get("policy"), f"{inst.address}.policy")
            grant = _Grant(inst.address, Policy(inst.address, doc if doc is not None
                                                else Unknown(f"{inst.address}.policy (empty)")),
                           inst.get("name"))
            add(inst.get("role"), grant)
            continue
        arn = inst.get("policy_arn")
        grant = _Grant(inst.address, policy_from_arn(snapshot, arn, inst.address), arn)
        if inst.type == "aws_iam_role_policy_attachment":
            add(inst.get("role"), grant)
            continue
        roles = inst.get("roles")
        if isinstance(roles, list):
            for role in roles:
                add(role, grant)
        elif roles is not None:
            add(roles, grant)
    exclusive: dict = {}
    for inst in snapshot.of_type(*EXCLUSIVE):
        role = inst.get("role_name")
        key = role.address if isinstance(role, Ref) else role if isinstance(role, str) else None
        if key is not None:
            exclusive.setdefault(key, []).append(inst.address)
    index = {"name": by_name, "ref": by_ref, "unknown": unknown, "exclusive": exclusive}
    snapshot.cache["iam_role_grants"] = index
    return index


def _role_keys(role: Optional[Instance], value: Any) -> tuple:
    """(names/ids, address) by which grants may name the role."""
    names: list = []
    if role is not None:
        for key in (role.get("name"), role.get("id")):
            if _known_str(key) and key not in names:
                names.append(key)
        return tuple(names), role.address
    if isinstance(value, str):
        m = ROLE_ARN.match(value)
        names.append(m.group(3) if m else value)
    return tuple(names), (value.address if isinstance(value, Ref) else None)


def role_policies(snapshot: Snapshot, role_value: Any) -> RolePolicies:
    """Identity policies, boundary and trust policy of a role (cached per snapshot)."""
    cache = snapshot.cache.setdefault("role_policies", {})
    role = find_role(snapshot, role_value)
    key = role.address if role is not None else (role_value if isinstance(role_value, (str, Ref)) else None)
    if key is not None and key in cache:
        return cache[key]
    result = _role_policies(snapshot, role, role_value)
    if key is not None:
        cache[key] = result
    return result


def _role_policies(snapshot: Snapshot, role: Optional[Instance], value: Any) -> RolePolicies:
    index = _grants(snapshot)
    names, address = _role_keys(role, value)
    grants: list = []
    for name in names:
        grants += [g for g in index["name"].get(name, ()) if g not in grants]
    if address is not None:
        grants += [g for g in index["ref"].get(address, ()) if g not in grants]
    missing: list = []
    if role is None:
        missing.append(f"the policies of role {value} (not in the plan)")
    identity: list = []
    if role is not None:
        granted = {g.key for g in grants if isinstance(g.key, (str, Ref))}
        gone_arns, gone_names = _removed_by_plan(snapshot, role)
        identity += _inline_policies(snapshot, role, granted | gone_names)
        identity += _managed_policies(snapshot, role, granted | gone_arns)
    identity += [g.policy for g in grants]
    possible = tuple({id(g.policy): g.policy for g, _ in index["unknown"]}.values())
    for grant, fact in index["unknown"]:
        missing.append(f"whether {grant.address} grants its policy to this role ({fact} known after apply)")
    boundary = trust = None
    if role is not None:
        arn = role.get("permissions_boundary")
        if arn not in (None, ""):
            boundary = policy_from_arn(snapshot, arn, f"{role.address}.permissions_boundary", "boundary")
        doc = policy_document(snapshot, role.get("assume_role_policy"), f"{role.address}.assume_role_policy")
        if doc is not None:
            trust = Policy(f"{role.address}.assume_role_policy", doc, "trust")
    for policy in (*identity, boundary, trust):
        _missing_of(policy, missing)
    exclusive = [a for n in (*names, address) if n is not None for a in index["exclusive"].get(n, ())]
    return RolePolicies(role, tuple(identity), boundary, trust, tuple(missing),
                        tuple(dict.fromkeys(exclusive)), possible)


def _removed_by_plan(snapshot: Snapshot, role: Instance) -> tuple[set, set]:
    """(policy ARNs, inline policy names) this plan takes off ``role`` by deleting an attachment or
    an ``aws_iam_role_policy``: the role's refreshed ``managed_policy_arns`` / ``inline_policy``
    still list them when the role itself does not change, but after apply they are gone."""
    prior = snapshot.prior
    if prior is None or not len(prior):
        return set(), set()
    keys = {k for k in (role.get("name"), role.get("id")) if _known_str(k)}
    arns: set = set()
    names: set = set()
    for inst in prior.of_type(*POLICY_SOURCES):
        if inst.action != "delete" or inst.address in snapshot:
            continue
        roles = inst.get("roles") if inst.type == "aws_iam_policy_attachment" else [inst.get("role")]
        if not isinstance(roles, list) or not keys.intersection(r for r in roles if isinstance(r, str)):
            continue
        if inst.type == "aws_iam_role_policy":
            if _known_str(inst.get("name")):
                names.add(inst.get("name"))
        elif _known_str(inst.get("policy_arn")):
            arns.add(inst.get("policy_arn"))
    return arns, names


def _inline_policies(snapshot: Snapshot, role: Instance, granted: set) -> list:
    blocks = role.get("inline_policy")
    if not isinstance(blocks, list):
        return []  # unknown as a whole: the computed view of aws_iam_role_policy (gathered directly)
    out = []
    for i, block in enumerate(blocks):
        if not isinstance(block, dict):
            if block is not None:
                out.append(Policy(f"{role.address}.inline_policy[{i}]",
                                  Unknown(_fact(block, f"{role.address}.inline_policy[{i}]"))))
            continue
        name = block.get("name")
        if isinstance(name, str) and name in granted:
            continue  # refreshed view of an aws_iam_role_policy gathered from that resource
        label = f'"{name}"' if isinstance(name, str) else str(i)
        where = f"{role.address}.inline_policy[{label}]"
        doc = policy_document(snapshot, block.get("policy"), f"{where}.policy")
        if doc is not None:
            out.append(Policy(where, doc))
    return out


def _managed_policies(snapshot: Snapshot, role: Instance, granted: set) -> list:
    arns = role.get("managed_policy_arns")
    if not isinstance(arns, list):
        return []  # unknown as a whole: the computed view of the attachments (gathered directly)
    granted_arns = set(granted)
    for key in granted:  # a Ref to aws_iam_policy.X.arn also stands for X's known ARN
        inst = _customer_policy(snapshot, key) if isinstance(key, Ref) else None
        if inst is not None and _known_str(inst.get("arn")):
            granted_arns.add(inst.get("arn"))
    out = []
    for i, arn in enumerate(arns):
        if isinstance(arn, (str, Ref)) and arn in granted_arns:
            continue
        label = f'"{arn}"' if isinstance(arn, (str, Ref)) else str(i)
        out.append(policy_from_arn(snapshot, arn, f"{role.address}.managed_policy_arns[{label}]"))
    return out


# ---------------------------------------------------------------- resource policies

def _attached_policy(snapshot: Snapshot, target: Instance, policy_type: str, target_attr: str,
                     matches, own_attr: str, kind: str) -> ResourcePolicy:
    """The policy a separate ``policy_type`` resource puts on ``target``, else
    ``target``'s own ``own_attr``; ``Unknown`` documents are named in missing."""
    memo = snapshot.cache.setdefault("iam._attached_policy", {})
    key = (policy_type, target.address)
    if key not in memo:  # one Policy object per target: role_can's memo is keyed by its identity
        memo[key] = _attached_policy_of(snapshot, target, policy_type, target_attr, matches, own_attr, kind)
    return memo[key]


def _attached_policy_of(snapshot: Snapshot, target: Instance, policy_type: str, target_attr: str,
                        matches, own_attr: str, kind: str) -> ResourcePolicy:
    missing: list = []
    for inst in snapshot.of_type(policy_type):
        ref = inst.get(target_attr)
        if matches(ref):
            doc = policy_document(snapshot, inst.get("policy"), f"{inst.address}.policy")
            policy = Policy(inst.address, doc if doc is not None else Unknown(f"{inst.address}.policy (empty)"),
                            kind)
            _missing_of(policy, missing)
            return ResourcePolicy(policy, tuple(missing))
        if not isinstance(ref, (str, Ref)):
            missing.append(f"whether {inst.address} is the policy of {target.address} "
                           f"({_fact(ref, inst.address + '.' + target_attr)} known after apply)")
    doc = policy_document(snapshot, target.get(own_attr), f"{target.address}.{own_attr}")
    policy = Policy(target.address, doc, kind) if doc is not None else None
    _missing_of(policy, missing)
    return ResourcePolicy(policy, tuple(missing))


def _names(target: Instance, attrs: tuple) -> Any:
    """A test: does a value name ``target`` (a known attribute, or a Ref to one)?"""
    known = {target.get(a) for a in attrs if _known_str(target.get(a))}
    return lambda ref: (isinstance(ref, Ref) and ref.address == target.address and ref.attribute in attrs) \
        or (isinstance(ref, str) and ref in known)


def _find(snapshot: Snapshot, type_: str, value: Any, attrs: tuple, normalize) -> Optional[Instance]:
    if isinstance(value, Ref):
        inst = snapshot.get(value.address)
        return inst if inst is not None and inst.type == type_ and value.attribute in attrs else None
    if not isinstance(value, str) or not value:
        return None
    inst = snapshot.get(value)
    if inst is not None:
        return inst if inst.type == type_ else None
    index = snapshot.cache.get(("iam._find", type_, attrs))
    if index is None:  # normalized known value -> instances, built once per snapshot
        index = {}
        for i in snapshot.of_type(type_):
            for key in {normalize(i.get(a)) for a in attrs if _known_str(i.get(a))}:
                index.setdefault(key, []).append(i)
        snapshot.cache[("iam._find", type_, attrs)] = index
    hits = index.get(normalize(value), ())
    return hits[0] if len(hits) == 1 else None


def _secret_key(value: str) -> str:
    m = SECRET_ARN.match(value)  # drop ECS's ":json-key:version-stage:version-id" suffix
    return m.group(1) if m else value


def resource_policy(snapshot: Snapshot, secret_value: Any) -> ResourcePolicy:
    """The resource policy of a Secrets Manager secret (its address, ARN, name or a
    ``Ref`` to its arn/id/name): ``aws_secretsmanager_secret_policy``, else the
    secret's ``policy``.  ``policy`` is ``None`` when the secret has none."""
    secret = _find(snapshot, "aws_secretsmanager_secret", secret_value, ("arn", "id", "name"), _secret_key)
    if secret is None:
        return ResourcePolicy(None, (f"the resource policy of secret {secret_value} (not in the plan)",))
    return _attached_policy(snapshot, secret, "aws_secretsmanager_secret_policy", "secret_arn",
                            _names(secret, ("arn", "id")), "policy", "resource")


def _key_key(value: str) -> str:
    m = KEY_ARN.match(value)
    return m.group(1) if m else value


def key_policy(snapshot: Snapshot, key_value: Any) -> ResourcePolicy:
    """The key policy of a KMS key (its address, ARN, key id, or a ``Ref`` to its
    arn/id/key_id): ``aws_kms_key_policy``, else the key's ``policy``."""
    key = _find(snapshot, "aws_kms_key", key_value, ("arn", "id", "key_id"), _key_key)
    if key is None:
        return ResourcePolicy(None, (f"the key policy of KMS key {key_value} (not in the plan)",))
    return _attached_policy(snapshot, key, "aws_kms_key_policy", "key_id",
                            _names(key, ("arn", "id", "key_id")), "policy", "key")
