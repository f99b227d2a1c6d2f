"""What an ARN will look like, when the plan does not know it yet.

A Secrets Manager secret created by the plan gets the ARN
``arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX`` where ``XXXXXX``
is 6 random characters: ``arn_of`` returns it as a ``Partial`` (known text
and ``Hole``s), so the IAM evaluator can tell that ``...:secret:NAME`` never
matches it while ``...:secret:NAME-??????`` always does. Other resources'
ARNs follow their documented formats where the plan knows the parts.
"""
from __future__ import annotations

from typing import Any, Optional

from ..values import ALNUM, Hole, Partial, Ref
from .world import Instance, Snapshot

DIGITS = "0123456789"
SECRET_SUFFIX = Hole("the 6 random characters Secrets Manager appends to the secret name", 6, 6, ALNUM)


def _partial(*parts) -> Partial:
    merged: list = []
    for p in parts:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        elif p != "":
            merged.append(p)
    return Partial(tuple(merged))


# regions outside the standard partition, by prefix
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html)
PARTITIONS = (("cn-", "aws-cn"), ("us-gov-", "aws-us-gov"), ("us-isob-", "aws-iso-b"), ("us-isof-", "aws-iso-f"),
              ("us-iso-", "aws-iso"), ("eu-isoe-", "aws-iso-e"))


def partition(region: Any) -> str:
    """The ARN partition of ``region``: ``aws-cn`` for ``cn-*``, ``aws-us-gov`` for ``us-gov-*`` and so
    on, ``aws`` for the standard regions (and when the region is not known)."""
    if isinstance(region, str):
        for prefix, name in PARTITIONS:
            if region.startswith(prefix):
                return name
    return "aws"


def _region(inst: Instance):
    return inst.region or Hole(f"the region of {inst.address}", 1, None)


def _account(snapshot: Snapshot, inst: Instance):
    return snapshot.account_id or Hole(f"the account of {inst.address}", 12, 12, DIGITS)


def secret_arn(snapshot: Snapshot, inst: Instance) -> Any:
    """The secret's ARN: known, or a ``Partial`` ending in the 6-character hole."""
    arn = inst.get("arn")
    if isinstance(arn, str):
        return arn
    name = inst.get("name")
    if not isinstance(name, str) or not name:
        prefix = inst.get("name_prefix")
        name = _partial(prefix if isinstance(prefix, str) else "",
                        Hole(f"the generated name of {inst.address}", 1, None))
    parts = name.parts if isinstance(name, Partial) else (name,)
    return _partial("arn:", partition(inst.region), ":secretsmanager:", _region(inst), ":",
                    _account(snapshot, inst), ":secret:", *parts, "-", SECRET_SUFFIX)


def log_group_arn(snapshot: Snapshot, inst: Instance) -> Any:
    """A CloudWatch Logs group's ARN, ``arn:aws:logs:REGION:ACCOUNT:log-group:NAME`` (the provider's
    ``arn`` attribute has no trailing ``:*``): known when the name, region and account are."""
    arn = inst.get("arn")
    if isinstance(arn, str):
        return arn
    name = inst.get("name")
    if not isinstance(name, str) or not name:
        return None
    return _partial("arn:", partition(inst.region), ":logs:", _region(inst), ":", _account(snapshot, inst),
                    ":log-group:", name)


def role_arn(snapshot: Snapshot, inst: Instance) -> Any:
    """An IAM role's ARN, ``arn:aws:iam::ACCOUNT:role<PATH><NAME>`` (IAM roles are global: no
    region): known when the name, path and account are; a ``Partial`` otherwise (``name_prefix``:
    the prefix, then Terraform's generated suffix)."""
    arn = inst.get("arn")
    if isinstance(arn, str):
        return arn
    name = inst.get("name")
    if not isinstance(name, str) or not name:
        prefix = inst.get("name_prefix")
        name = _partial(prefix if isinstance(prefix, str) else "",
                        Hole(f"the generated name of {inst.address}", 1, None))
    path = inst.get("path")
    if path is None or path == "":
        path = "/"  # the provider's default
    elif not isinstance(path, str):
        path = Hole(f"the path of {inst.address}", 1, None)
    parts = name.parts if isinstance(name, Partial) else (name,)
    shape = _partial("arn:", partition(inst.region), ":iam::", _account(snapshot, inst), ":role", path, *parts)
    return shape.parts[0] if len(shape.parts) == 1 and isinstance(shape.parts[0], str) else shape


def kms_key_arn(snapshot: Snapshot, inst: Instance) -> Any:
    """A KMS key's ARN, ``arn:aws:kms:REGION:ACCOUNT:key/KEY-ID``: the key id is drawn at creation."""
    arn = inst.get("arn")
    if isinstance(arn, str):
        return arn
    key_id = inst.get("key_id")
    key_id = key_id if isinstance(key_id, str) and key_id else Hole(f"the key id of {inst.address}", 1, None)
    return _partial("arn:", partition(inst.region), ":kms:", _region(inst), ":", _account(snapshot, inst),
                    ":key/", key_id)


SHAPES = {
    ("aws_iam_role", "arn"): role_arn,
    ("aws_kms_key", "arn"): kms_key_arn,
    ("aws_secretsmanager_secret", "arn"): secret_arn,
    ("aws_secretsmanager_secret", "id"): secret_arn,  # a secret's id is its ARN
    ("aws_cloudwatch_log_group", "arn"): log_group_arn,
}


def arn_of(snapshot: Snapshot, value: Any) -> Any:
    """``value`` with its shape filled in when it is a ``Ref`` to an ARN the model can describe."""
    if not isinstance(value, Ref) or value.shape is not None:
        return value
    inst = snapshot.get(value.address)
    if inst is None:
        return value
    shape_fn = SHAPES.get((inst.type, value.attribute))
    if shape_fn is None:
        return value
    shape = shape_fn(snapshot, inst)
    if shape is None:
        return value
    if isinstance(shape, str):
        return shape  # known after all (e.g. in a second plan)
    return Ref(value.address, value.attribute, shape)


def instance_for(snapshot: Snapshot, value: Any, type_: str, attributes: tuple = ("arn", "id")) -> Optional[Instance]:
    """The instance of ``type_`` a value denotes: a ``Ref`` to it, or a known value equal to one of
    its ``attributes`` (e.g. a secret ARN string that matches a secret in the plan)."""
    if isinstance(value, Ref):
        inst = snapshot.get(value.address)
        return inst if inst is not None and inst.type == type_ else None
    if not isinstance(value, str):
        return None
    index = snapshot.cache.setdefault(("instance_for", type_, attributes), {})
    if not index:
        for inst in snapshot.of_type(type_):
            for a in attributes:
                v = inst.get(a)
                if isinstance(v, str):
                    index.setdefault(v, inst)
        index.setdefault(None, None)  # built
    return index.get(value)


def known_arns_in(snapshot: Snapshot, doc: Any) -> Any:
    """``doc`` (a policy document as a dict/list, from the source) with the ARNs known only after
    apply but fully determined by what the plan knows filled in: ``"${aws_cloudwatch_log_group.x.arn}:*"``
    in a first plan becomes ``arn:aws:logs:R:A:log-group:NAME:*``. Holes whose ARN is not fully
    known stay as they are."""
    if isinstance(doc, dict):
        out = {k: known_arns_in(snapshot, v) for k, v in doc.items()}
        return out if any(out[k] is not doc[k] for k in doc) else doc
    if isinstance(doc, list):
        out = [known_arns_in(snapshot, v) for v in doc]
        return out if any(a is not b for a, b in zip(out, doc)) else doc
    if isinstance(doc, Ref):
        known = _known_arn(snapshot, doc.address, doc.attribute)
        return known if known is not None else arn_of(snapshot, doc)
    if isinstance(doc, Partial):
        parts, changed = [], False
        for p in doc.parts:
            if isinstance(p, Hole) and "." in p.fact:
                address, _, attribute = p.fact.rpartition(".")
                known = _known_arn(snapshot, address, attribute)
                if known is not None:
                    parts.append(known)
                    changed = True
                    continue
            parts.append(p)
        if not changed:
            return doc
        merged = _partial(*parts)
        return "".join(merged.parts) if all(isinstance(p, str) for p in merged.parts) else merged
    return doc


def _known_arn(snapshot: Snapshot, address: str, attribute: str) -> Optional[str]:
    inst = snapshot.get(address)
    if inst is None:
        return None
    shape_fn = SHAPES.get((inst.type, attribute))
    if shape_fn is None:
        return None
    shape = shape_fn(snapshot, inst)
    if isinstance(shape, Partial) and all(isinstance(p, str) for p in shape.parts):
        return "".join(shape.parts)
    return shape if isinstance(shape, str) else None
