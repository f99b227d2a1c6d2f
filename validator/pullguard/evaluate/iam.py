"""IAM policy evaluator: is principal P allowed action A on resource R?

Pure and offline.  Answers **allow**, **deny** (explicit or implicit) or
**undecided** (naming the facts that could not be known before apply), with
the statements that decided it.  See ``docs/iam.md`` for the semantics and
what is left undecided.

Public API::

    Policy(name, document, kind="identity")      # kind: identity|resource|boundary|key|trust
    Policy.managed(arn, kind="identity")         # an AWS managed policy by ARN
    Request(principal, action, resource, principal_account=None,
            resource_account=None, context=Context(), session=None)
    Context(values={}, unknown=frozenset(), absent=frozenset())
    evaluate(request, identity=(), resource_policy=None, boundary=None,
             key_policy=None) -> Decision
    can_assume(trust_policy, service="ecs-tasks.amazonaws.com",
               context=None) -> Decision
    managed_policy(arn) -> dict | None

Imports only the standard library and :mod:`pullguard.values`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from pullguard.values import Partial, Ref, Unknown

from .iam_conditions import (Context, Entry, MalformedPolicy, compile_conditions,
                             evaluate_conditions, t_and, t_not, t_or)
from .iam_glob import compile_pattern, match, pattern_from_value

__all__ = ["Policy", "Request", "Context", "Decision", "StatementRef", "evaluate",
           "can_assume", "managed_policy", "ALLOW", "DENY", "UNDECIDED", "RESOURCE_ACCOUNT_ROOT"]

ALLOW, DENY, UNDECIDED = "allow", "deny", "undecided"
_KINDS = ("identity", "resource", "boundary", "key", "trust")
_MANAGED_PREFIX = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/")
_ACCOUNT_ROOT = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):root$")
_ROLE_ARN = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/(?:.*/)?([^/]+)$")
_SESSION_ARN = re.compile(r"^arn:aws[a-z-]*:sts::(\d{12}):assumed-role/([^/]+)/(.+)$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
#: A principal that stands for the root of the resource's own account when that account is not
#: known (a key created without a policy gets the default key policy, which delegates to its
#: account): it names the requester's account when principal and resource share one.
RESOURCE_ACCOUNT_ROOT = "arn:aws:iam::<the resource's account>:root"


# ---------------------------------------------------------------- data types

@dataclass(frozen=True)
class Policy:
    """A policy document with a name for evidence (e.g. the resource address).

    ``document`` is a dict, a JSON string, an AWS managed policy ARN
    (``arn:aws:iam::aws:policy/...``), or ``Unknown`` when it is known only
    after apply.  ``kind`` is one of identity, resource, boundary, key, trust.
    """

    name: str
    document: Any
    kind: str = "identity"

    @classmethod
    def managed(cls, arn: str, kind: str = "identity") -> "Policy":
        return cls(arn, arn, kind)


@dataclass(frozen=True)
class Request:
    """One API request.

    ``principal`` is the role (or user) ARN making the request; for a role,
    ``session`` is its role session name when known (``None``/``Unknown``:
    not known; ECS names sessions after tasks).  Accounts default to the
    account field of the principal / resource ARN.  ``resource`` may be
    ``"*"`` for actions without a resource (``ecr:GetAuthorizationToken``).
    ``same_account`` says whether principal and resource share an account when
    that is known without knowing the account (e.g. both created with the same
    credentials); ``None``: worked out from the accounts.
    """

    principal: Any
    action: str
    resource: Any = "*"
    principal_account: Optional[str] = None
    resource_account: Optional[str] = None
    context: Context = field(default_factory=Context)
    session: Any = None
    same_account: Optional[bool] = None  # known although the accounts are not (same credentials)


@dataclass(frozen=True)
class StatementRef:
    """Evidence: which statement of which policy (Sid, else ``#index``)."""

    policy: str
    sid: str
    effect: str
    kind: str = "identity"

    def __str__(self) -> str:
        return f"{self.policy} [{self.sid}] ({self.effect})"


@dataclass(frozen=True)
class Decision:
    outcome: str                      # "allow" | "deny" | "undecided"
    explicit: bool = False            # for deny: an explicit Deny statement matched
    reasons: tuple = ()
    statements: tuple = ()            # StatementRef that decided (or could decide) it
    missing: tuple = ()               # facts that could not be known

    @property
    def allowed(self) -> bool:
        return self.outcome == ALLOW

    @property
    def denied(self) -> bool:
        return self.outcome == DENY

    @property
    def undecided(self) -> bool:
        return self.outcome == UNDECIDED


# ---------------------------------------------------------------- managed policies

_DATA = Path(__file__).resolve().parent.parent / "data" / "aws_managed_policies.json"


@lru_cache(maxsize=1)
def _managed_data() -> dict:
    try:
        with open(_DATA, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {"policies": {}, "other_policies": [], "covered_actions": []}


def _managed_key(arn: str) -> str:
    return re.sub(r"^arn:aws[a-z-]*:", "arn:aws:", arn)


def managed_policy(arn: str) -> Optional[dict]:
    """The document of an AWS managed policy that touches the covered actions
    (ECR, Secrets Manager, KMS, ``ssm:GetParameters``, CloudWatch Logs), or
    ``None`` when it is not shipped."""
    return _managed_data()["policies"].get(_managed_key(arn))


# ---------------------------------------------------------------- compilation

class _Stmt:
    __slots__ = ("ref", "effect", "actions", "not_action", "action_cache", "resources",
                 "not_resource", "res_cache", "res_regex", "res_other", "principals", "not_principal",
                 "conditions")

    def match_action(self, action: str) -> Optional[bool]:
        hit = self.action_cache.get(action)
        if hit is None:
            res: Optional[bool] = False
            for pat in self.actions:
                r = match(pat, action)
                res = t_or(res, r)
                if res is True:
                    break
            hit = (t_not(res) if self.not_action else res,)
            if len(self.action_cache) < 256:
                self.action_cache[action] = hit
        return hit[0]

    def match_resource(self, resource: Any, req: "_Req", missing: list, memo: dict) -> Optional[bool]:
        if self.resources is None:
            return True  # resource policy without Resource: the resource it is attached to
        cacheable = type(resource) is str and self.res_cache is not None
        if cacheable:
            hit = self.res_cache.get(resource)
            if hit is not None:
                return hit[0]
        res: Optional[bool] = False
        if type(resource) is str and self.res_regex is not None:
            entries = self.res_other
            if self.res_regex.match(resource) is not None:
                res, entries = True, ()
        else:
            entries = self.resources
        for e in entries:
            res = t_or(res, e.match(resource, req.ctx, missing, True, False, memo))
            if res is True:
                break
        if self.not_resource:
            res = t_not(res)
        if cacheable and len(self.res_cache) < 256:
            self.res_cache[resource] = (res,)
        return res


class _Compiled:
    __slots__ = ("name", "kind", "statements", "error", "unknown", "covered", "by_action")

    def __init__(self, name: str, kind: str) -> None:
        self.name, self.kind = name, kind
        self.statements: tuple = ()
        self.by_action: dict = {}  # action -> the statements whose Action may match it
        self.error: Optional[str] = None     # malformed: the reason
        self.unknown: Optional[str] = None   # not known: the fact
        self.covered: Optional[tuple] = None  # managed policy known only for these actions


def _listify(v: Any, what: str) -> list:
    if isinstance(v, list):
        if not v:
            raise MalformedPolicy(f"{what} is an empty list")
        return v
    return [v]


def _compile_statement(raw: Any, index: int, policy: str, kind: str, variables: bool) -> _Stmt:
    if not isinstance(raw, dict):
        raise MalformedPolicy(f"statement #{index} is not an object")
    s = _Stmt()
    sid = raw.get("Sid")
    eff = raw.get("Effect")
    if eff not in ("Allow", "Deny"):
        raise MalformedPolicy(f"statement #{index}: Effect must be Allow or Deny, not {eff!r}")
    s.effect = eff
    s.ref = StatementRef(policy, str(sid) if isinstance(sid, str) and sid else f"#{index}", eff, kind)
    if ("Action" in raw) == ("NotAction" in raw):
        raise MalformedPolicy(f"statement {s.ref.sid}: exactly one of Action/NotAction is required")
    s.not_action = "NotAction" in raw
    acts = _listify(raw.get("NotAction" if s.not_action else "Action"), "Action")
    for a in acts:
        if isinstance(a, str) and a != "*" and ":" not in a:
            raise MalformedPolicy(f"statement {s.ref.sid}: action {a!r} has no service prefix")
        if not isinstance(a, (str, Ref, Partial, Unknown)):
            raise MalformedPolicy(f"statement {s.ref.sid}: action {a!r} is not a string")
    s.actions = tuple(pattern_from_value(a, True, True) for a in acts)
    s.action_cache = {}
    has_res = "Resource" in raw or "NotResource" in raw
    if "Resource" in raw and "NotResource" in raw:
        raise MalformedPolicy(f"statement {s.ref.sid}: both Resource and NotResource")
    s.not_resource = "NotResource" in raw
    if has_res:
        ents = _listify(raw.get("NotResource" if s.not_resource else "Resource"), "Resource")
        for r in ents:
            if not isinstance(r, (str, Ref, Partial, Unknown)):
                raise MalformedPolicy(f"statement {s.ref.sid}: resource {r!r} is not a string")
        s.resources = tuple(Entry(r, variables, True, False) for r in ents)
        s.res_cache = None if any(e.tmpl is not None for e in s.resources) else {}
        plain = [e.pat.regex.pattern for e in s.resources if e.pat is not None and e.pat.regex is not None]
        s.res_regex = re.compile("|".join(f"(?:{p})" for p in plain), re.DOTALL) if plain else None
        s.res_other = tuple(e for e in s.resources if e.pat is None or e.pat.regex is None)
    elif kind in ("identity", "boundary"):
        raise MalformedPolicy(f"statement {s.ref.sid}: Resource or NotResource is required")
    else:
        s.resources, s.res_cache, s.res_regex, s.res_other = None, None, None, ()
    has_p = "Principal" in raw or "NotPrincipal" in raw
    if "Principal" in raw and "NotPrincipal" in raw:
        raise MalformedPolicy(f"statement {s.ref.sid}: both Principal and NotPrincipal")
    if kind in ("identity", "boundary"):
        if has_p:
            raise MalformedPolicy(f"statement {s.ref.sid}: Principal is not allowed in an identity-based policy")
        s.principals, s.not_principal = None, False
    else:
        if not has_p:
            raise MalformedPolicy(f"statement {s.ref.sid}: Principal or NotPrincipal is required")
        s.not_principal = "NotPrincipal" in raw
        s.principals = _compile_principal(raw.get("NotPrincipal" if s.not_principal else "Principal"), s.ref.sid)
    s.conditions = compile_conditions(raw.get("Condition"), variables)
    return s


def _compile_principal(p: Any, sid: str) -> tuple:
    """A tuple of (type, value) with type "*", "AWS", "Service", "Federated", "CanonicalUser"."""
    if p == "*":
        return (("*", "*"),)
    if not isinstance(p, dict) or not p:
        raise MalformedPolicy(f"statement {sid}: Principal must be \"*\" or an object")
    out = []
    for typ, vals in p.items():
        if typ not in ("AWS", "Service", "Federated", "CanonicalUser"):
            raise MalformedPolicy(f"statement {sid}: unknown principal type {typ!r}")
        for v in _listify(vals, "Principal"):
            if typ == "AWS" and v == "*":
                out.append(("*", "*"))
            else:
                out.append((typ, v))
    return tuple(out)


_CACHE: dict = {}
_CACHE_MAX = 4096


def _compile(policy: Policy) -> _Compiled:
    comp = policy.__dict__.get("_compiled")
    if comp is not None:
        return comp
    comp = _compile_shared(policy)
    object.__setattr__(policy, "_compiled", comp)  # Policy is frozen: its document never changes
    return comp


def _compile_shared(policy: Policy) -> _Compiled:
    doc = policy.document
    key = (id(doc) if not isinstance(doc, str) else doc, policy.name, policy.kind)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is doc:
        return hit[1]
    comp = _compile_uncached(policy)
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    _CACHE[key] = (doc, comp)  # keeps doc alive, so its id is not reused
    return comp


def _compile_uncached(policy: Policy) -> _Compiled:
    comp = _Compiled(policy.name, policy.kind)
    doc = policy.document
    if policy.kind not in _KINDS:
        comp.error = f"unknown policy kind {policy.kind!r}"
        return comp
    if isinstance(doc, (Unknown, Ref, Partial)):
        comp.unknown = f"policy document of {policy.name} ({doc})"
        return comp
    if isinstance(doc, str) and doc.strip().startswith("arn:"):
        arn = doc.strip()
        found = managed_policy(arn) if _MANAGED_PREFIX.match(arn) else None
        data = _managed_data()
        known_other = _MANAGED_PREFIX.match(arn) and _managed_key(arn) in data.get("other_policies", ())
        if found is None and not known_other:
            comp.unknown = f"document of policy {arn}"
            return comp
        # shipped documents are exact for the covered actions only
        comp.covered = tuple(compile_pattern(a, True, True) for a in data["covered_actions"])
        if found is None:
            return comp
        doc = found
    if isinstance(doc, str):
        try:
            doc = json.loads(doc)
        except ValueError as exc:
            comp.error = f"policy {policy.name} is not valid JSON: {exc}"
            return comp
    try:
        if not isinstance(doc, dict):
            raise MalformedPolicy("policy document is not a JSON object")
        version = doc.get("Version", "2008-10-17")
        if version not in ("2012-10-17", "2008-10-17"):
            raise MalformedPolicy(f"unknown policy Version {version!r}")
        if "Statement" not in doc:
            raise MalformedPolicy("policy has no Statement")
        stmts = doc["Statement"]
        stmts = stmts if isinstance(stmts, list) else [stmts]
        comp.statements = tuple(_compile_statement(s, i, policy.name, policy.kind, version == "2012-10-17")
                                for i, s in enumerate(stmts))
    except MalformedPolicy as exc:
        comp.error = f"policy {policy.name} is malformed: {exc}"
        comp.statements = ()
    return comp


# ---------------------------------------------------------------- principals

def _arn_account(value: Any) -> Optional[str]:
    """The account field of an ARN (str, or the known text of a Partial/Ref shape)."""
    if type(value) is str:
        hit = _ACCOUNT_OF.get(value, _NO)
        if hit is _NO:
            hit = _arn_account_of(value)
            if len(_ACCOUNT_OF) < 65536:
                _ACCOUNT_OF[value] = hit
        return hit
    return _arn_account_of(value)


_ACCOUNT_OF: dict = {}
_NO = object()


def _arn_account_of(value: Any) -> Optional[str]:
    if isinstance(value, Ref):
        value = value.shape
    if isinstance(value, Partial):
        text = value.parts[0] if value.parts and isinstance(value.parts[0], str) else ""
        parts = text.split(":")
        if len(parts) >= 6 and _ACCOUNT_ID.match(parts[4]):
            return parts[4]
        return None
    if isinstance(value, str) and value.startswith("arn:"):
        parts = value.split(":")
        if len(parts) >= 6 and _ACCOUNT_ID.match(parts[4]):
            return parts[4]
    return None


def _principal_kinds(stmt: _Stmt, req: "_Req", missing: list) -> dict:
    """How the statement's Principal names the requester: kind -> True/None.

    Kinds: "session" (the role session ARN), "role" (the role / user ARN),
    "any" ("*"), "account" (the account: delegation to IAM), "service".
    """
    out: dict = {}

    def add(kind: str, res: Optional[bool]) -> None:
        if res is not False:
            out[kind] = t_or(out.get(kind, False), res)

    for typ, val in stmt.principals:
        if typ == "*":
            add("any", True)
        elif typ == "Service":
            if req.service is not None:
                add("service", val == req.service if isinstance(val, str) else None)
        elif typ == "AWS" and req.service is None:
            _aws_principal(val, req, add, missing)
    if stmt.not_principal:
        named = False
        for r in out.values():
            named = t_or(named, r)
        return {"any": t_not(named)} if t_not(named) is not False else {}
    return out


def _aws_principal(val: Any, req: "_Req", add, missing: list) -> None:
    if val == RESOURCE_ACCOUNT_ROOT:
        same = _same_account(req)
        if same is None:
            missing.append("whether principal and resource are in the same account")
        add("account", same)
        return
    if isinstance(val, str):
        acct = val if _ACCOUNT_ID.match(val) else None
        m = _ACCOUNT_ROOT.match(val)
        if m:
            acct = m.group(1)
        if acct is not None:
            if req.principal_account is None:
                missing.append("account of the principal")
                add("account", None)
            else:
                add("account", acct == req.principal_account)
            return
        m = _SESSION_ARN.match(val)
        if m:
            add("session", _session_match(m, req, missing))
            return
    # a role / user ARN (or a Ref to one): no wildcards in principals
    add("role", match(pattern_from_value(val, False, False), req.principal, missing))


def _session_match(m, req: "_Req", missing: list) -> Optional[bool]:
    acct, role_name, session = m.groups()
    p = req.principal
    if not isinstance(p, str):
        missing.extend(f for f in _facts(p) if f not in missing)
        return None
    rm = _ROLE_ARN.match(p)
    if not rm or rm.group(2) != acct or rm.group(3) != role_name:
        return False
    if isinstance(req.session, str):
        return req.session == session
    missing.append("role session name of " + p)
    return None


def _facts(v: Any) -> tuple:
    if isinstance(v, (Ref, Unknown)):
        return (v.fact,)
    if isinstance(v, Partial):
        return v.facts
    return ()


# ---------------------------------------------------------------- evaluation

class _Req:
    __slots__ = ("principal", "principal_account", "action", "resource", "resource_account",
                 "_ctx", "session", "service", "memo", "_make_ctx", "same")

    def __init__(self, principal, principal_account, action, resource, resource_account,
                 ctx, session=None, service=None, make_ctx=None, same=None):
        self.same = same  # Request.same_account
        self.principal, self.principal_account = principal, principal_account
        self.action, self.resource, self.resource_account = action, resource, resource_account
        self._ctx, self.session, self.service = ctx, session, service
        self._make_ctx = make_ctx  # builds the context on first use (most statements never need it)
        self.memo: dict = {}  # condition id -> (result, facts), for this request

    @property
    def ctx(self) -> Context:
        if self._ctx is None:
            self._ctx = self._make_ctx()
        return self._ctx


class _Tally:
    """Three-valued OR of matching statements, per effect (and principal kind)."""

    __slots__ = ("allow", "deny", "allow_refs", "deny_refs", "open_refs", "missing", "notes", "by_kind")

    def __init__(self) -> None:
        self.allow: Optional[bool] = False
        self.deny: Optional[bool] = False
        self.allow_refs: list = []
        self.deny_refs: list = []
        self.open_refs: list = []
        self.missing: list = []
        self.notes: list = []
        self.by_kind: dict = {}   # resource policies: kind -> (tri, refs)

    def merge_missing(self, facts: Iterable[str]) -> None:
        for f in facts:
            if f not in self.missing:
                self.missing.append(f)


def _scan(policies: Sequence[Policy], req: _Req, tally: _Tally) -> None:
    for pol in policies:
        comp = _compile(pol)
        if comp.error is not None or comp.unknown is not None:
            if comp.error is not None:
                tally.notes.append(comp.error)
            tally.allow = t_or(tally.allow, None)
            tally.deny = t_or(tally.deny, None)
            tally.merge_missing([comp.unknown or f"a well-formed document for {pol.name}"])
            for k in ("role", "account", "session", "any", "service"):
                _kind_add(tally, k, None, None)
            continue
        if comp.covered is not None and not any(match(p, req.action) for p in comp.covered):
            tally.allow = t_or(tally.allow, None)
            tally.deny = t_or(tally.deny, None)
            tally.merge_missing([f"document of policy {pol.name} (only shipped for {', '.join(c.text for c in comp.covered)})"])
            continue
        stmts = comp.by_action.get(req.action)
        if stmts is None:
            stmts = tuple(st for st in comp.statements if st.match_action(req.action) is not False)
            if len(comp.by_action) < 512:
                comp.by_action[req.action] = stmts
        for st in stmts:
            _scan_statement(st, comp.kind, req, tally)


def _kind_add(tally: _Tally, kind: str, res: Optional[bool], ref) -> None:
    cur, refs = tally.by_kind.get(kind, (False, []))
    if res is True and ref is not None:
        refs = refs + [ref]
    tally.by_kind[kind] = (t_or(cur, res), refs)


def _scan_statement(st: _Stmt, kind: str, req: _Req, tally: _Tally) -> None:
    base = st.match_action(req.action)
    if base is False:
        return
    missing: list = []
    base = t_and(base, st.match_resource(req.resource, req, missing, req.memo))
    if base is False:
        return
    if st.conditions:
        base = t_and(base, evaluate_conditions(st.conditions, req.ctx, missing, req.memo))
    if base is False:
        return
    kinds = None
    if st.principals is not None:
        kinds = _principal_kinds(st, req, missing)
        if not kinds:
            return
        overall: Optional[bool] = False
        for r in kinds.values():
            overall = t_or(overall, r)
        res = t_and(base, overall)
    else:
        res = base
    if res is False:
        return
    if res is None:
        tally.merge_missing(missing)
        tally.open_refs.append(st.ref)
    if st.effect == "Deny":
        tally.deny = t_or(tally.deny, res)
        if res:
            tally.deny_refs.append(st.ref)
        return
    tally.allow = t_or(tally.allow, res)
    if res:
        tally.allow_refs.append(st.ref)
    if kinds is not None:
        for k, r in kinds.items():
            kr = t_and(base, r)
            _kind_add(tally, k, kr, st.ref)


def _same_account(req: _Req) -> Optional[bool]:
    if req.principal_account is not None and req.resource_account is not None:
        return req.principal_account == req.resource_account
    if req.same is not None:
        return req.same
    if req.resource_account is None:
        if req.resource == "*" or (isinstance(req.resource, str) and _arn_account(req.resource) is None
                                   and req.resource.startswith("arn:")):
            return True  # no resource account: evaluated in the principal's account
        return None
    if req.principal_account is None:
        return None
    return req.principal_account == req.resource_account


def _kind(t: _Tally, k: str) -> Optional[bool]:
    return t.by_kind.get(k, (False, []))[0]


def _allowed(same: bool, is_kms: bool, ident: _Tally, res: Optional[_Tally],
             bound: Optional[_Tally]) -> tuple:
    """(tri, reasons, allow refs) for the Allow side, given same/cross account."""
    id_ok = ident.allow
    b_ok = bound.allow if bound is not None else True
    reasons: list = []
    refs: list = list(ident.allow_refs) if id_ok else []
    if bound is not None and b_ok is True:
        refs += bound.allow_refs
    if res is None:
        if is_kms:
            return None, ["the KMS key policy is not known"], []
        if not same:
            return False, ["cross-account access needs a resource-based policy that allows it; there is none"], []
        allowed = t_and(id_ok, b_ok)
    else:
        session, role = _kind(res, "session"), _kind(res, "role")
        anyone, acct = _kind(res, "any"), _kind(res, "account")
        direct = t_or(role, anyone)
        if is_kms and same:
            # key policy must allow: directly (role) or by delegating to the account (then IAM too)
            allowed = t_or(session, t_and(b_ok, t_or(direct, t_and(acct, id_ok))))
        elif same:
            # identity OR resource policy; a role-ARN grant is limited by the boundary,
            # a role-session-ARN grant is not
            allowed = t_or(session, t_and(b_ok, t_or(id_ok, direct)))
        else:
            allowed = t_and(t_and(id_ok, b_ok), t_or(t_or(session, direct), acct))
        for k in ("session", "role", "any", "account"):
            if _kind(res, k):
                refs += res.by_kind[k][1]
        if allowed is False:
            if is_kms and not (session or direct or acct):
                reasons.append("the KMS key policy does not allow the principal (neither directly nor via the account)")
            elif is_kms and acct and not id_ok:
                reasons.append("the KMS key policy delegates to the account, but no identity-based policy allows the action")
            elif not same and not (session or direct or acct):
                reasons.append("cross-account access: the resource-based policy does not allow the principal")
    if allowed is False:
        if not reasons and id_ok is False and not same:
            reasons.append("cross-account access: no identity-based policy allows the action")
        elif not reasons and id_ok is False:
            reasons.append("no identity-based or resource-based policy allows the action")
        elif not reasons and bound is not None and b_ok is False:
            reasons.append("the permissions boundary does not allow the action")
        elif not reasons:
            reasons.append("no policy allows the action")
    if bound is not None and b_ok is False and allowed is False and "boundary" not in " ".join(reasons) \
            and (id_ok or (res is not None and _kind(res, "role"))):
        reasons.append("the permissions boundary does not allow the action")
    return allowed, reasons, refs


def evaluate(request: Request, identity: Iterable[Policy] = (), resource_policy: Optional[Policy] = None,
             boundary: Optional[Policy] = None, key_policy: Optional[Policy] = None) -> Decision:
    """Decide ``request`` against the principal's identity-based policies, the
    resource's policy, the principal's permissions boundary and (for KMS) the
    key policy.  Never raises for malformed input: it answers undecided."""
    if not isinstance(request.action, str) or ":" not in request.action:
        return Decision(UNDECIDED, reasons=(f"malformed action {request.action!r}",),
                        missing=("the action",))
    pa = request.principal_account or _arn_account(request.principal)
    ra = request.resource_account or _arn_account(request.resource)
    is_kms = request.action.lower().startswith("kms:")
    region = None
    if isinstance(request.resource, str) and request.resource.startswith("arn:"):
        region = (request.resource.split(":") + [""] * 4)[3] or None
    def make_ctx() -> Context:
        return request.context.with_defaults({
            "aws:PrincipalArn": request.principal,
            "aws:RequestedRegion": region,
            "aws:PrincipalType": "AssumedRole" if isinstance(request.principal, str)
            and _ROLE_ARN.match(request.principal) else None,
            "aws:PrincipalAccount": pa,
            "aws:ResourceAccount": ra,
            **({"kms:CallerAccount": pa} if is_kms else {}),
        })
    req = _Req(request.principal, pa, request.action, request.resource, ra, None, request.session,
               make_ctx=make_ctx, same=request.same_account)

    ident = _Tally()
    _scan(tuple(identity), req, ident)
    bound = None
    if boundary is not None:
        bound = _Tally()
        _scan((boundary,), req, bound)
    rpol = key_policy if key_policy is not None else resource_policy
    res = None
    if rpol is not None:
        res = _Tally()
        _scan((rpol,), req, res)
    if key_policy is not None and resource_policy is not None:
        ident.notes.append("both a key policy and a resource policy were given; the key policy is used")
    return _decide(req, is_kms, ident, res, bound)


def _decide(req: _Req, is_kms: bool, ident: _Tally, res: Optional[_Tally], bound: Optional[_Tally]) -> Decision:
    tallies = [t for t in (ident, bound, res) if t is not None]
    deny: Optional[bool] = False
    deny_refs: list = []
    open_refs: list = []
    missing: list = []
    notes: list = []
    for t in tallies:
        deny = t_or(deny, t.deny)
        deny_refs += t.deny_refs
        open_refs += t.open_refs
        notes += t.notes
        for f in t.missing:
            if f not in missing:
                missing.append(f)
    if deny is True:
        return Decision(DENY, True, tuple(notes + ["an explicit Deny statement applies"]), tuple(deny_refs))
    same = _same_account(req)
    if same is None:
        a1, r1, refs1 = _allowed(True, is_kms, ident, res, bound)
        a2, r2, refs2 = _allowed(False, is_kms, ident, res, bound)
        if a1 == a2:
            allowed, reasons, refs = a1, r1, refs1
        else:
            allowed, reasons, refs = None, ["same-account and cross-account evaluation differ"], refs1
            missing.append("whether principal and resource are in the same account")
    else:
        allowed, reasons, refs = _allowed(same, is_kms, ident, res, bound)
    if allowed is False:
        expl = ["an undecided Deny statement may also apply"] if deny is None else []
        return Decision(DENY, False, tuple(notes + reasons + expl), tuple(refs or deny_refs),
                        tuple(missing) if deny is None else ())
    if allowed is True and deny is False:
        return Decision(ALLOW, False, tuple(notes + ["allowed"]), tuple(_dedupe(refs)))
    why = list(notes)
    if allowed is None:
        why.append("whether any statement allows the action could not be decided")
    if deny is None:
        why.append("a Deny statement may apply")
    if is_kms and res is None:
        missing.append("KMS key policy")
    return Decision(UNDECIDED, False, tuple(why + reasons if allowed is None else why),
                    tuple(_dedupe(open_refs + refs)), tuple(missing))


def _dedupe(refs: list) -> list:
    seen, out = set(), []
    for r in refs:  # each statement has one StatementRef object: compare by identity
        if id(r) not in seen:
            seen.add(id(r))
            out.append(r)
    return out


def can_assume(trust_policy: Policy, service: str = "ecs-tasks.amazonaws.com",
               context: Optional[Context] = None, action: str = "sts:AssumeRole") -> Decision:
    """May the AWS service principal ``service`` assume the role whose trust
    policy this is?  (A role trust policy must allow the principal itself.)"""
    ctx = (context or Context()).with_defaults({"aws:PrincipalServiceName": service})
    req = _Req(None, None, action, "*", None, ctx, None, service)
    t = _Tally()
    _scan((trust_policy,), req, t)
    missing = tuple(t.missing)
    if t.deny is True:
        return Decision(DENY, True, tuple(t.notes + ["an explicit Deny statement applies"]), tuple(t.deny_refs))
    if t.allow is False:
        return Decision(DENY, False, tuple(t.notes + [f"the trust policy does not allow {service} to {action}"]),
                        (), missing if t.deny is None else ())
    if t.allow is True and t.deny is False:
        return Decision(ALLOW, False, tuple(t.notes + ["allowed"]), tuple(t.allow_refs))
    return Decision(UNDECIDED, False, tuple(t.notes + ["the trust policy could not be decided"]),
                    tuple(_dedupe(t.open_refs + t.allow_refs)), missing)
