"""Request context, policy variables and IAM condition operators.

Three-valued throughout: ``True``, ``False`` or ``None`` (undecided); the
facts that left a result undecided are appended to a ``missing`` list.

Imports only the standard library and :mod:`pullguard.values`.
"""
from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Mapping, Optional

from pullguard.values import Hole, Unknown

from .iam_glob import (QMARK, STAR, Pat, compile_pattern, facts_of, match, pattern_from_tokens,
                        pattern_from_value, value_tokens)

__all__ = ["Context", "RUNTIME_KEYS", "PRESENT", "ABSENT", "UNKNOWN", "t_and", "t_or", "t_not",
           "Template", "parse_template", "CompiledCondition", "compile_conditions",
           "MalformedPolicy"]


class MalformedPolicy(ValueError):
    """A policy document that IAM would reject; the reason is the message."""


# ------------------------------------------------------------ three-valued logic

def t_not(a: Optional[bool]) -> Optional[bool]:
    return None if a is None else not a


def t_and(a: Optional[bool], b: Optional[bool]) -> Optional[bool]:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def t_or(a: Optional[bool], b: Optional[bool]) -> Optional[bool]:
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


# ---------------------------------------------------------------- request context

PRESENT, ABSENT, UNKNOWN = "present", "absent", "unknown"

#: Keys that exist in a real request but cannot be known from a plan.  Unless
#: the caller gives them a value or marks them absent they are *unknown*.
RUNTIME_KEYS = frozenset(k.lower() for k in (
    "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp", "aws:SourceVpcArn",
    "aws:CurrentTime", "aws:EpochTime", "aws:TokenIssueTime",
    "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:ResourceOrgID", "aws:ResourceOrgPaths",
    "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge",
    "aws:SecureTransport", "aws:UserAgent", "aws:Referer", "aws:userid", "aws:username",
    "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:ViaAWSService",
    "aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths",
    "aws:SourceIdentity", "aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4",
    "aws:PrincipalIsAWSService", "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList",
    "aws:RequestedRegion", "aws:PrincipalType",
))

#: Key prefixes unknown unless given: a resource's tags (``aws:ResourceTag/<key>`` and the
#: services' own ``<service>:ResourceTag/<key>``). The caller that knows the tags gives them as
#: values and marks the prefix absent (``"aws:ResourceTag/*"`` in ``absent``).
RUNTIME_PREFIXES = ("aws:resourcetag/", "secretsmanager:resourcetag/", "ecr:resourcetag/",
                    "ssm:resourcetag/", "logs:resourcetag/", "kms:resourcetag/")


@dataclass(frozen=True)
class Context:
    """What the caller knows about the request's condition keys.

    * ``values``  - keys present in the request, with their value: a ``str``
      (or ``bool``/number), a ``list`` for multi-valued keys, or a ``Ref`` /
      ``Partial`` / ``Unknown`` when present but not known before apply.
    * ``unknown`` - keys that may or may not be present (a trailing ``*``
      makes a prefix, e.g. ``"aws:ResourceTag/*"``).
    * ``absent``  - keys known to be absent (overrides :data:`RUNTIME_KEYS`; a trailing ``*``
      makes a prefix, overriding :data:`RUNTIME_PREFIXES`).

    Any other key is *absent*, except the :data:`RUNTIME_KEYS`, which are
    *unknown* unless given.  Key names are case-insensitive.
    """

    values: Mapping[str, Any] = field(default_factory=dict)
    unknown: frozenset = frozenset()
    absent: frozenset = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", {k.lower(): v for k, v in dict(self.values).items()})
        unk = frozenset(k.lower() for k in self.unknown)
        object.__setattr__(self, "unknown", unk)
        object.__setattr__(self, "_unknown_prefixes", tuple(k[:-1] for k in unk if k.endswith("*")))
        absent = frozenset(k.lower() for k in self.absent)
        object.__setattr__(self, "absent", absent)
        object.__setattr__(self, "_absent_prefixes", tuple(k[:-1] for k in absent if k.endswith("*")))

    def lookup(self, key: str) -> tuple:
        """``(PRESENT, [values])``, ``(ABSENT, ())`` or ``(UNKNOWN, ())``."""
        k = key.lower()
        v = self.values.get(k, _MISSING)
        if v is not _MISSING and v is not None:
            if isinstance(v, (list, tuple, set, frozenset)):
                return PRESENT, list(v)
            return PRESENT, [v]
        if k in self.absent or (self._absent_prefixes and any(k.startswith(p) for p in self._absent_prefixes)):
            return ABSENT, ()
        if k in self.unknown or any(k.startswith(p) for p in self._unknown_prefixes):
            return UNKNOWN, ()
        if k in RUNTIME_KEYS or k.startswith(RUNTIME_PREFIXES):
            return UNKNOWN, ()
        return ABSENT, ()

    def with_defaults(self, defaults: Mapping[str, Any]) -> "Context":
        """A copy where ``defaults`` fill keys the caller did not mention."""
        vals = None
        for k, v in defaults.items():
            lk = k.lower()
            if v is None or lk in self.values or lk in self.absent or lk in self.unknown:
                continue
            if vals is None:
                vals = dict(self.values)
            vals[lk] = v
        if vals is None:
            return self
        new = object.__new__(Context)  # fields are already normalised
        for name in ("unknown", "absent", "_unknown_prefixes", "_absent_prefixes"):
            object.__setattr__(new, name, getattr(self, name))
        object.__setattr__(new, "values", vals)
        return new


_MISSING = object()


# ---------------------------------------------------------------- policy variables

_SPECIAL = {"*": "*", "?": "?", "$": "$"}
_VAR = re.compile(r"\$\{([^}]*)\}")


@dataclass(frozen=True)
class Template:
    """A policy string with ``${...}`` variables, resolved per request."""

    text: str
    pieces: tuple  # ("glob", text) | ("lit", text) | ("var", key, default-or-None)
    _cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def resolve(self, ctx: Context, missing: list, wildcards: bool, ignore_case: bool):
        """A :class:`Pat`, or ``None`` when a variable has no value (the entry
        then matches nothing: "there is no equal or like value")."""
        # fast path: every variable has one plain string value -> cached pattern
        key: list = [wildcards, ignore_case]
        for piece in self.pieces:
            if piece[0] == "var":
                status, vals = ctx.lookup(piece[1])
                if status != PRESENT or len(vals) != 1 or type(vals[0]) is not str:
                    break
                key.append(vals[0])
        else:
            k = tuple(key)
            hit = self._cache.get(k)
            if hit is None:
                hit = self._resolve(ctx, missing, wildcards, ignore_case)
                if len(self._cache) < 64:
                    self._cache[k] = hit
            return hit
        return self._resolve(ctx, missing, wildcards, ignore_case)

    def _resolve(self, ctx: Context, missing: list, wildcards: bool, ignore_case: bool):
        toks: list = []
        for piece in self.pieces:
            kind = piece[0]
            if kind == "glob":
                toks.extend(compile_pattern(piece[1], wildcards, False).tokens)
            elif kind == "lit":
                toks.extend(piece[1])
            else:
                status, vals = ctx.lookup(piece[1])
                if status == PRESENT and len(vals) == 1:
                    v = vals[0]
                    if isinstance(v, bool):
                        v = "true" if v else "false"
                    if isinstance(v, (str, int, float)):
                        toks.extend(str(v))
                    else:  # Ref / Partial / Unknown: literal text with holes
                        toks.extend(value_tokens(v))
                        for f in facts_of(v):
                            if f not in missing:
                                missing.append(f)
                elif status == UNKNOWN:
                    toks.append(Hole(piece[1]))
                    if piece[1] not in missing:
                        missing.append(piece[1])
                elif piece[2] is not None:
                    toks.extend(piece[2])
                else:
                    return None
        return pattern_from_tokens(toks, ignore_case, self.text)


@lru_cache(maxsize=4096)
def parse_template(text: str) -> Optional[Template]:
    """Parse ``${...}`` variables; ``None`` when ``text`` has none.  Equal
    texts share one Template (and its resolution cache)."""
    if "${" not in text:
        return None
    pieces: list = []
    pos = 0
    for m in _VAR.finditer(text):
        if m.start() > pos:
            pieces.append(("glob", text[pos:m.start()]))
        body = m.group(1)
        if body in _SPECIAL:
            pieces.append(("lit", _SPECIAL[body]))
        else:
            key, default = body, None
            dm = re.fullmatch(r"\s*([^,\s]+)\s*,\s*'((?:[^']|'')*)'\s*", body)
            if dm:
                key, default = dm.group(1), dm.group(2).replace("''", "'")
            key = key.strip()
            if not key:
                raise MalformedPolicy(f"empty policy variable in {text!r}")
            pieces.append(("var", key, default))
        pos = m.end()
    if pos < len(text):
        pieces.append(("glob", text[pos:]))
    return Template(text, tuple(pieces))


class Entry:
    """One policy string (Resource entry, condition value) compiled once."""

    __slots__ = ("pat", "tmpl", "raw")

    def __init__(self, raw: Any, variables: bool, wildcards: bool, ignore_case: bool) -> None:
        self.raw = raw
        self.tmpl = parse_template(raw) if (variables and isinstance(raw, str)) else None
        self.pat = None if self.tmpl is not None else pattern_from_value(raw, wildcards, ignore_case)

    def pattern(self, ctx: Context, missing: list, wildcards: bool, ignore_case: bool,
                memo: Optional[dict] = None) -> Optional[Pat]:
        if self.pat is not None:
            return self.pat
        if memo is None:
            return self.tmpl.resolve(ctx, missing, wildcards, ignore_case)
        key = (id(self.tmpl), wildcards, ignore_case)
        hit = memo.get(key)
        if hit is None:
            facts: list = []
            hit = (self.tmpl.resolve(ctx, facts, wildcards, ignore_case), facts)
            memo[key] = hit
        for f in hit[1]:
            if f not in missing:
                missing.append(f)
        return hit[0]

    def match(self, value: Any, ctx: Context, missing: list, wildcards: bool = True,
              ignore_case: bool = False, memo: Optional[dict] = None) -> Optional[bool]:
        pat = self.pattern(ctx, missing, wildcards, ignore_case, memo)
        if pat is None:
            return False
        return match(pat, value, missing)


# ---------------------------------------------------------------- operators

def _as_text(v: Any) -> Any:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return v


def _num(v: Any) -> float:
    if isinstance(v, bool):
        raise ValueError("not a number")
    return float(v)


def _date(v: Any) -> float:
    if isinstance(v, bool):
        raise ValueError("not a date")
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", s):
        return float(s)
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    d = datetime.fromisoformat(s)
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d.timestamp()


def _ip_net(v: Any):
    return ipaddress.ip_network(str(v).strip(), strict=False)


_CMP = {
    "Equals": lambda a, b: a == b, "NotEquals": lambda a, b: a == b,
    "LessThan": lambda a, b: a < b, "LessThanEquals": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b, "GreaterThanEquals": lambda a, b: a >= b,
}

# base operator -> (family, negated, wildcards, ignore_case, policy variables allowed)
# (for Numeric*/Date* the third slot holds the relation name, a key of _CMP)
_OPS: dict = {}
for _n, _neg, _wc, _ic in (("StringEquals", False, False, False), ("StringNotEquals", True, False, False),
                           ("StringEqualsIgnoreCase", False, False, True),
                           ("StringNotEqualsIgnoreCase", True, False, True),
                           ("StringLike", False, True, False), ("StringNotLike", True, True, False)):
    _OPS[_n] = ("string", _neg, _wc, _ic, True)
for _n, _neg in (("ArnEquals", False), ("ArnLike", False), ("ArnNotEquals", True), ("ArnNotLike", True)):
    _OPS[_n] = ("arn", _neg, True, False, True)
for _fam in ("Numeric", "Date"):
    for _rel in _CMP:
        _OPS[_fam + _rel] = (_fam.lower(), _rel == "NotEquals", _rel, False, False)
_OPS["Bool"] = ("bool", False, False, True, True)
_OPS["BinaryEquals"] = ("string", False, False, False, False)
_OPS["IpAddress"] = ("ip", False, False, False, False)
_OPS["NotIpAddress"] = ("ip", True, False, False, False)
_OPS["Null"] = ("null", False, False, False, False)


class CompiledCondition:
    """One ``"Operator": {"key": values}`` pair, compiled once."""

    __slots__ = ("op", "key", "family", "negated", "wildcards", "ignore_case", "set_op",
                 "if_exists", "entries", "raw_values", "fast")

    def __init__(self, op: str, key: str, values: Any, variables: bool) -> None:
        self.op = op
        self.key = key
        name = op
        self.set_op = None
        if ":" in name:
            prefix, name = name.split(":", 1)
            if prefix not in ("ForAllValues", "ForAnyValue"):
                raise MalformedPolicy(f"unknown condition set operator {prefix!r}")
            self.set_op = prefix
        self.if_exists = name.endswith("IfExists") and name != "IfExists"
        if self.if_exists:
            name = name[: -len("IfExists")]
        spec = _OPS.get(name)
        if spec is None:
            raise MalformedPolicy(f"unknown condition operator {op!r}")
        if name == "Null" and (self.if_exists or self.set_op):
            raise MalformedPolicy(f"condition operator {op!r} is not valid")
        self.family, self.negated, self.wildcards, self.ignore_case, allow_vars = spec
        if not isinstance(values, list):
            values = [values]
        if not values:
            raise MalformedPolicy(f"condition {op} {key} has no values")
        self.raw_values = [_as_text(v) for v in values]
        self.fast = None
        if self.family in ("string", "arn", "bool"):
            self.entries = [Entry(v, variables and allow_vars, self.wildcards, self.ignore_case)
                            for v in self.raw_values]
            plain = all(e.pat is not None and e.pat.regex is not None for e in self.entries)
            if plain and self.family == "string" and not self.wildcards:
                vals = [v for v in self.raw_values]
                self.fast = frozenset(v.lower() for v in vals) if self.ignore_case else frozenset(vals)
            elif plain and self.family == "string":
                self.fast = re.compile("|".join("(?:" + e.pat.regex.pattern + ")" for e in self.entries),
                                       re.DOTALL | (re.IGNORECASE if self.ignore_case else 0))
        else:
            self.entries = None
            try:  # validate now, so a bad literal is a malformed policy
                for v in self.raw_values:
                    self._parse_policy_value(v)
            except (ValueError, TypeError) as exc:
                raise MalformedPolicy(f"bad value for {op}: {exc}") from None

    def _parse_policy_value(self, v: Any):
        if self.family == "numeric":
            return _num(v)
        if self.family == "date":
            return _date(v)
        if self.family == "ip":
            return _ip_net(v)
        if self.family == "null":
            s = str(v).lower()
            if s not in ("true", "false"):
                raise ValueError(f"Null takes true or false, not {v!r}")
            return s == "true"
        return v

    # -- evaluation ------------------------------------------------------
    def evaluate(self, ctx: Context, missing: list) -> Optional[bool]:
        status, vals = ctx.lookup(self.key)
        if self.family == "null":
            want_absent = self._parse_policy_value(self.raw_values[0])
            if status == UNKNOWN:
                _note(missing, self.key)
                return None
            return (status == ABSENT) == want_absent
        if status == UNKNOWN:
            _note(missing, self.key)
            return None
        if status == ABSENT:
            if self.if_exists or self.set_op == "ForAllValues":
                return True
            if self.set_op == "ForAnyValue":
                return False
            return self.negated
        if len(vals) == 1 and isinstance(vals[0], Unknown) and self.set_op:
            _note(missing, vals[0].fact)
            return None  # a multi-valued key whose values are unknown
        if self.set_op == "ForAllValues":
            res: Optional[bool] = True
            for v in vals:
                res = t_and(res, self._one(v, ctx, missing))
                if res is False:
                    break
            return res
        if self.set_op == "ForAnyValue":
            res = False
            for v in vals:
                res = t_or(res, self._one(v, ctx, missing))
                if res is True:
                    break
            return res
        res = False
        for v in vals:
            res = t_or(res, self._positive(v, ctx, missing))
            if res is True:
                break
        return t_not(res) if self.negated else res

    def _one(self, v: Any, ctx: Context, missing: list) -> Optional[bool]:
        p = self._positive(v, ctx, missing)
        return t_not(p) if self.negated else p

    def _positive(self, v: Any, ctx: Context, missing: list) -> Optional[bool]:
        """Does the request value ``v`` match any policy value (un-negated)?"""
        v = _as_text(v)
        fast = self.fast
        if fast is not None and type(v) is str:
            if type(fast) is frozenset:
                return (v.lower() if self.ignore_case else v) in fast
            return fast.match(v) is not None
        res: Optional[bool] = False
        if self.entries is not None:
            for e in self.entries:
                if self.family == "arn":
                    r = _arn_match(e, v, ctx, missing)
                elif self.family == "bool":
                    r = e.match(v, ctx, missing, False, True)
                else:
                    r = e.match(v, ctx, missing, self.wildcards, self.ignore_case)
                res = t_or(res, r)
                if res is True:
                    return True
            return res
        if not isinstance(v, (str, int, float)):
            for f in facts_of(v):
                _note(missing, f)
            return None
        try:
            if self.family == "ip":
                addr = ipaddress.ip_address(str(v).split("/")[0])
                return any(addr in self._parse_policy_value(p) for p in self.raw_values)
            rv = _num(v) if self.family == "numeric" else _date(v)
        except (ValueError, TypeError):
            return False  # a request value of the wrong type never matches
        cmp = _CMP[self.wildcards]  # for numeric/date the relation sits in that slot
        return any(cmp(rv, self._parse_policy_value(p)) for p in self.raw_values)


def _arn_regex(tokens: tuple):
    """One regex for an Arn* pattern: in the first five ARN components the
    wildcards do not match ``:``, so each component is matched on its own."""
    out, colons = [], 0
    for t in tokens:
        if t == ":" and colons < 5:
            colons += 1
            out.append(":")
        elif t is STAR:
            out.append("[^:]*" if colons < 5 else ".*")
        elif t is QMARK:
            out.append("[^:]" if colons < 5 else ".")
        else:
            out.append(re.escape(t))
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def _arn_match(e: Entry, v: Any, ctx: Context, missing: list) -> Optional[bool]:
    """Arn* operators: each of the six colon-separated ARN parts is matched
    on its own (wildcards do not span ``:`` before the resource part)."""
    pat = e.pattern(ctx, missing, True, False)
    if pat is None:
        return False
    if isinstance(v, str) and pat.regex is not None:
        if pat.arn_parts is None:
            pat.arn_parts = _arn_regex(pat.tokens)
        return pat.arn_parts.match(v) is not None
    return match(pat, v, missing)


def _note(missing: list, fact: str) -> None:
    if fact not in missing:
        missing.append(fact)


def compile_conditions(block: Any, variables: bool) -> tuple:
    """Compile a statement's ``Condition`` element (operators AND keys AND)."""
    if block is None:
        return ()
    if not isinstance(block, dict):
        raise MalformedPolicy("Condition must be an object")
    out = []
    for op, keys in block.items():
        if not isinstance(keys, dict):
            raise MalformedPolicy(f"condition operator {op!r} must map keys to values")
        for key, values in keys.items():
            try:
                ikey = (op, key, json.dumps(values, sort_keys=True), variables)
            except TypeError:  # Ref / Partial / Unknown values: not interned
                ikey = None
            cond = _INTERN.get(ikey) if ikey is not None else None
            if cond is None:
                cond = CompiledCondition(op, key, values, variables)
                if ikey is not None and len(_INTERN) < 16384:
                    _INTERN[ikey] = cond
            out.append(cond)
    return tuple(out)


# equal conditions compile to one object, so a decision evaluates each once
_INTERN: dict = {}


def evaluate_conditions(conds: tuple, ctx: Context, missing: list, memo: Optional[dict] = None) -> Optional[bool]:
    """AND of the conditions.  ``memo`` (per request) caches each condition's
    result and the facts it left open."""
    res: Optional[bool] = True
    for c in conds:
        if memo is not None:
            hit = memo.get(id(c))
            if hit is None:
                m: list = []
                hit = (c.evaluate(ctx, m), m)
                memo[id(c)] = hit
            r = hit[0]
            if r is None:
                for f in hit[1]:
                    if f not in missing:
                        missing.append(f)
        else:
            r = c.evaluate(ctx, missing)
        res = t_and(res, r)
        if res is False:
            return False
    return res
