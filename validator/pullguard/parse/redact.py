"""Keep sensitive values out of the model.

A value is replaced by ``Redacted`` when the plan marks it sensitive
(``*_sensitive`` / ``sensitive_values`` masks) or when its attribute is secret
by nature (older plan formats carry no masks). Only a *shape* summary is kept,
and only for registry-credential secrets: whether the value is a JSON object
and whether ``username``/``password`` are non-empty strings (rule PG204).
"""
from __future__ import annotations

import json
import re

from ..values import Redacted

# attributes that hold secrets whatever the masks say
SECRET_NAME = re.compile(
    r"(^|_)(password|passwd|passphrase|secret_string|secret_binary|private_key|"
    r"secret_key|access_key|auth_token|token|credentials?)(_wo)?($|_)"
)
SECRET_BY_TYPE = {
    "aws_ssm_parameter": {"value", "insecure_value"},
    "aws_secretsmanager_secret_version": {"secret_string", "secret_binary"},
}
NOT_SECRET = {"secret_string_wo_version", "kms_key_id", "password_reset_required",
              "password_length", "token_validity_units"}


def secret_summary(value) -> dict:
    """Shape of a registry-credentials secret value, without its content."""
    if not isinstance(value, str):
        return {"kind": "not-a-string"}
    try:
        doc = json.loads(value)
    except ValueError:
        return {"kind": "not-json"}
    if not isinstance(doc, dict):
        return {"kind": f"json-{type(doc).__name__}"}
    fields = {}
    for key in ("username", "password"):
        v = doc.get(key)
        fields[key] = ("missing" if key not in doc else
                       "not-a-string" if not isinstance(v, str) else
                       "empty" if not v else "ok")
    return {"kind": "json-object", "fields": fields}


# fields of a container definition that name things but hold no secrets
SAFE_CONTAINER_FIELDS = ("name", "image", "essential", "repositoryCredentials", "logConfiguration")


def container_summary(value) -> object:
    """What rules need of a sensitive ``container_definitions``: names, images,
    credentials ARNs, ``secrets[].valueFrom`` (ARNs), log settings. Environment
    values, commands and everything else are dropped."""
    try:
        doc = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if not isinstance(doc, list):
        return None
    out = []
    for c in doc:
        if not isinstance(c, dict):
            continue
        kept = {k: c[k] for k in SAFE_CONTAINER_FIELDS if k in c}
        if isinstance(c.get("secrets"), list):
            kept["secrets"] = [{"name": s.get("name"), "valueFrom": s.get("valueFrom")}
                               for s in c["secrets"] if isinstance(s, dict)]
        out.append(kept)
    return out


def _redact_value(value, attr: str, type_: str):
    summary = None
    if type_ == "aws_secretsmanager_secret_version" and attr == "secret_string" and value is not None:
        summary = secret_summary(value)
    elif type_ == "aws_ecs_task_definition" and attr == "container_definitions":
        summary = container_summary(value)
    return Redacted(f"{attr}", summary)


def _apply_mask(value, mask, attr, type_):
    if mask is True:
        return _redact_value(value, attr, type_) if value is not None else None
    if isinstance(mask, dict) and isinstance(value, dict):
        if not mask:
            return value
        out = dict(value)
        for k, m in mask.items():
            if k in out and m:
                out[k] = _apply_mask(out[k], m, k, type_)
        return out
    if isinstance(mask, list) and isinstance(value, list):
        if not any(mask):
            return value
        return [_apply_mask(v, mask[i], attr, type_) if i < len(mask) and mask[i] else v
                for i, v in enumerate(value)]
    return value


def redact(values: dict, mask, type_: str) -> dict:
    """Return ``values`` (a fresh top-level dict) with sensitive parts redacted."""
    if isinstance(mask, dict) and mask:
        for k, m in mask.items():
            if m and k in values:
                values[k] = _apply_mask(values[k], m, k, type_)
    by_type = SECRET_BY_TYPE.get(type_, ())
    for k in values:
        if k in NOT_SECRET:
            continue
        if (k in by_type or SECRET_NAME.search(k)) and values[k] is not None and not isinstance(values[k], Redacted):
            values[k] = _redact_value(values[k], k, type_)
    return values
