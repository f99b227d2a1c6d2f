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
    # The ECS agent decodes the value into a Go struct {Username, Password *string} without JSON tags
    # (amazon-ecs-agent agent/asm/asm.go): encoding/json matches keys case-insensitively, the last
    # matching key wins, null leaves the field empty, any other non-string is a decoding error.
    fields = {}
    for key in ("username", "password"):
        vals = [v for k, v in doc.items() if k.casefold() == key]
        fields[key] = ("missing" if not vals else
                       "not-a-string" if any(v is not None and not isinstance(v, str) for v in vals) else
                       "empty" if not vals[-1] else "ok")
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


MIN_SCRUB = 6  # shorter strings are not scrubbed from reports (they would hit ordinary words)


def collect_strings(value, sink: set) -> None:
    """Add the string leaves of a sensitive value (and of JSON inside it) to ``sink``."""
    if isinstance(value, str):
        if len(value) >= MIN_SCRUB:
            sink.add(value)
        if value[:1] in "{[":
            try:
                collect_strings(json.loads(value), sink)
            except ValueError:
                pass
    elif isinstance(value, dict):
        for v in value.values():
            collect_strings(v, sink)
    elif isinstance(value, list):
        for v in value:
            collect_strings(v, sink)


def _dropped_container_parts(value, sink: set) -> None:
    """Strings of a sensitive container_definitions that the summary does not keep."""
    try:
        doc = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        doc = None
    if not isinstance(doc, list):
        collect_strings(value, sink)
        return
    for c in doc:
        if isinstance(c, dict):
            collect_strings({k: v for k, v in c.items() if k not in SAFE_CONTAINER_FIELDS and k != "secrets"}, sink)


def _redact_value(value, attr: str, type_: str, sink):
    summary = None
    if type_ == "aws_secretsmanager_secret_version" and attr == "secret_string" and value is not None:
        summary = secret_summary(value)
    if type_ == "aws_ecs_task_definition" and attr == "container_definitions":
        summary = container_summary(value)
        if sink is not None:
            _dropped_container_parts(value, sink)
    elif sink is not None:
        collect_strings(value, sink)
    return Redacted(f"{attr}", summary)


def _apply_mask(value, mask, attr, type_, sink):
    if mask is True:
        return _redact_value(value, attr, type_, sink) if value is not None else None
    if isinstance(mask, dict) and isinstance(value, dict):
        if not mask:
            return value
        out = dict(value)
        for k, m in mask.items():
            if k in out and m:
                out[k] = _apply_mask(out[k], m, k, type_, sink)
        return out
    if isinstance(mask, list) and isinstance(value, list):
        if not any(mask):
            return value
        return [_apply_mask(v, mask[i], attr, type_, sink) if i < len(mask) and mask[i] else v
                for i, v in enumerate(value)]
    return value


def redact(values: dict, mask, type_: str, sink: set = None) -> dict:
    """Return ``values`` (a fresh top-level dict) with sensitive parts redacted.

    The redacted strings are added to ``sink`` (when given): the report's last
    line of defence scrubs them (see ``scrub``), should one reach a message.
    """
    if isinstance(mask, dict) and mask:
        for k, m in mask.items():
            if m and k in values:
                values[k] = _apply_mask(values[k], m, k, type_, sink)
    by_type = SECRET_BY_TYPE.get(type_, ())
    for k in values:
        named = _SECRET_NAMED.get(k)
        if named is None:  # attribute names repeat across resources: one regex search per name
            named = _SECRET_NAMED[k] = k not in NOT_SECRET and SECRET_NAME.search(k) is not None
        if (named or (k in by_type and k not in NOT_SECRET)) and values[k] not in (None, "") \
                and not isinstance(values[k], Redacted):  # "" is an unset attribute, not a secret
            values[k] = _redact_value(values[k], k, type_, sink)
    return values


_SECRET_NAMED: dict = {}


class SecretStrings:
    """Sensitive strings seen while reading the plan, kept only to scrub reports.
    Never printed: its repr says how many it holds, not what."""

    __slots__ = ("_values", "_pattern")

    def __init__(self, values=()):
        self._values = frozenset(values)
        self._pattern = None

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"SecretStrings({len(self._values)} values)"

    def scrub(self, text: str) -> str:
        if not self._values:
            return text
        if self._pattern is None:
            import re as _re
            self._pattern = _re.compile("|".join(_re.escape(v) for v in sorted(self._values, key=len, reverse=True)))
        return self._pattern.sub("(sensitive)", text)
