"""IAM wildcard matching over known, partly known and unknown strings.

A *pattern* is what a policy says (``Resource``, ``Action``, a condition
value); a *value* is what the request carries.  Both are compiled to token
tuples:

* a one-character ``str``  - that literal character,
* ``STAR`` / ``QMARK``     - the IAM wildcards ``*`` (any run, spanning ``:``
  and ``/``) and ``?`` (exactly one character); only in patterns,
* a :class:`~pullguard.values.Hole` - an unknown run of characters.

:func:`match` answers ``True`` (matches for every possible fill of the holes),
``False`` (matches for none) or ``None`` (depends on the fill).  Plain strings
take a precompiled-regex fast path; everything else goes through a small
automaton product (intersection emptiness) and, for "every fill", the rule
that the holes are filled with characters only ``?``/``*`` can match.

Imports only the standard library and :mod:`pullguard.values`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable, Optional

from pullguard.values import Hole, Partial, Ref, Unknown

__all__ = ["STAR", "QMARK", "Pat", "compile_pattern", "pattern_from_tokens", "pattern_from_value",
           "value_tokens", "match", "facts_of", "intersects"]


class _Wild:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return self.name


STAR = _Wild("*")
QMARK = _Wild("?")


class Pat:
    """A compiled pattern.  ``regex`` is set when it has no holes."""

    __slots__ = ("tokens", "regex", "has_hole", "ignore_case", "ref", "partial", "text", "arn_parts")

    def __init__(self, tokens: tuple, ignore_case: bool, ref: Optional[Ref] = None,
                 partial: Optional[Partial] = None, text: Optional[str] = None) -> None:
        if ignore_case:
            tokens = tuple(t.lower() if isinstance(t, str) else t for t in tokens)
        self.tokens = tokens
        self.ignore_case = ignore_case
        self.ref = ref            # the pattern *is* this Ref (literal comparison)
        self.partial = partial    # the pattern *is* this Partial (literal comparison)
        self.text = text          # source text, for messages
        self.has_hole = any(isinstance(t, Hole) for t in tokens)
        self.regex = None if self.has_hole else _regex(tokens, ignore_case)
        self.arn_parts = None  # Arn* operators: per-component patterns, built on first use

    @property
    def is_star(self) -> bool:
        return bool(self.tokens) and all(t is STAR for t in self.tokens)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Pat({self.text!r})"


def _regex(tokens: tuple, ignore_case: bool):
    out = []
    run = []
    for t in tokens:
        if t is STAR or t is QMARK:
            if run:
                out.append(re.escape("".join(run)))
                run = []
            out.append(".*" if t is STAR else ".")
        else:
            run.append(t)
    if run:
        out.append(re.escape("".join(run)))
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile("".join(out) + r"\Z", flags)


def _glob_tokens(text: str, wildcards: bool) -> tuple:
    if not wildcards:
        return tuple(text)
    return tuple(STAR if c == "*" else QMARK if c == "?" else c for c in text)


@lru_cache(maxsize=8192)
def compile_pattern(text: str, wildcards: bool = True, ignore_case: bool = False) -> Pat:
    """Compile a plain policy string (``*`` and ``?`` are wildcards if asked)."""
    return Pat(_glob_tokens(text, wildcards), ignore_case, text=text)


def pattern_from_tokens(tokens: Iterable, ignore_case: bool = False, text: str = "") -> Pat:
    return _pattern_from_tokens(tuple(tokens), ignore_case, text)


@lru_cache(maxsize=8192)
def _pattern_from_tokens(tokens: tuple, ignore_case: bool, text: str) -> Pat:
    return Pat(tokens, ignore_case, text=text)


def pattern_from_value(value: Any, wildcards: bool, ignore_case: bool) -> Pat:
    """A pattern for a policy entry that is a str, Ref, Partial or Unknown."""
    if isinstance(value, str):
        return compile_pattern(value, wildcards, ignore_case)
    if isinstance(value, Ref):
        return Pat(value_tokens(value), ignore_case, ref=value, text=str(value))
    if isinstance(value, Partial):
        toks: list = []
        for p in value.parts:
            toks.extend(_glob_tokens(p, wildcards) if isinstance(p, str) else (p,))
        return Pat(tuple(toks), ignore_case, partial=value, text=str(value))
    if isinstance(value, Unknown):
        return Pat((Hole(value.fact),), ignore_case, text=str(value))
    return compile_pattern(str(value), wildcards, ignore_case)


def value_tokens(value: Any) -> tuple:
    """Tokens of a request value: literal characters and holes."""
    if isinstance(value, str):
        return tuple(value)
    if isinstance(value, Partial):
        out: list = []
        for p in value.parts:
            out.extend(p if isinstance(p, str) else (p,))
        return tuple(out)
    if isinstance(value, Ref):
        if value.shape is not None:
            return value_tokens(value.shape)
        return (Hole(value.fact),)
    if isinstance(value, Unknown):
        return (Hole(value.fact),)
    return tuple(str(value))


def facts_of(value: Any) -> tuple:
    """The facts a value's unknown pieces stand for (for "undecided" messages)."""
    if isinstance(value, Ref):
        return (value.fact,)
    if isinstance(value, Unknown):
        return (value.fact,)
    if isinstance(value, Partial):
        return value.facts
    return ()


def match(pat: Pat, value: Any, missing: Optional[list] = None) -> Optional[bool]:
    """Does ``pat`` match ``value``?  True / False / None (depends on unknowns).

    ``missing`` (a list) receives the facts that left the answer open.
    """
    if type(value) is str and pat.regex is not None:
        return pat.regex.match(value) is not None
    if pat.ref is not None and isinstance(value, Ref):
        return pat.ref == value  # equal refs match, different refs never do
    if pat.partial is not None and isinstance(value, Partial) and pat.partial == value:
        return True
    if pat.partial is not None and isinstance(value, Ref) and value.shape == pat.partial:
        return True
    vt = value_tokens(value)
    if pat.ignore_case:
        vt = tuple(t.lower() if isinstance(t, str) else t for t in vt)
    res = _decide(pat.tokens, vt, pat.ignore_case)
    if res is None and missing is not None:
        for f in facts_of(value) + tuple(t.fact for t in pat.tokens if isinstance(t, Hole)):
            if f not in missing:
                missing.append(f)
    return res


def _decide(ptoks: tuple, vtoks: tuple, ic: bool) -> Optional[bool]:
    if not intersects(ptoks, vtoks, ic):
        return False
    if any(isinstance(t, Hole) for t in ptoks):
        return None
    if not any(isinstance(t, Hole) for t in vtoks):
        return True  # no holes at all and they intersect: a plain match
    return True if _universal(ptoks, vtoks) else None


# ---------------------------------------------------------------- intersection

def _cs(h: Hole, ic: bool) -> Optional[frozenset]:
    if h.charset is None:
        return None
    return frozenset(h.charset.lower() if ic else h.charset)


def intersects(ptoks: tuple, vtoks: tuple, ic: bool = False) -> bool:
    """Is there a fill of both sides' holes for which the pattern matches?

    Pattern holes stand for unknown *literal* text; value holes likewise.
    """
    np, nv = len(ptoks), len(vtoks)
    pcs = [(_cs(t, ic) if isinstance(t, Hole) else None) for t in ptoks]
    vcs = [(_cs(t, ic) if isinstance(t, Hole) else None) for t in vtoks]
    start = (0, 0, 0, 0)
    seen = {start}
    todo = [start]

    def push(s):
        if s not in seen:
            seen.add(s)
            todo.append(s)

    while todo:
        i, pc, j, vc = todo.pop()
        if i == np and j == nv:
            return True
        pt = ptoks[i] if i < np else None
        vt = vtoks[j] if j < nv else None
        # epsilon moves
        if pt is STAR:
            push((i + 1, 0, j, vc))
        elif isinstance(pt, Hole) and pc >= pt.min_len:
            push((i + 1, 0, j, vc))
        if isinstance(vt, Hole) and vc >= vt.min_len:
            push((i, pc, j + 1, 0))
        if pt is None or vt is None:
            continue
        # what the value side can produce next
        if isinstance(vt, Hole):
            if vt.max_len is not None and vc >= vt.max_len:
                continue
            vset = vcs[j]
            if vset is not None and not vset:
                continue
            nvc = vc + 1 if vt.max_len is not None else min(vc + 1, vt.min_len)
            vnext = (j, nvc)
            vchar = None
        else:
            vset = None
            vchar = vt
            vnext = (j + 1, 0)
        # pattern side consumes one character compatible with it
        if pt is STAR or pt is QMARK:
            ok = True
            pnext = (i, 0) if pt is STAR else (i + 1, 0)
        elif isinstance(pt, Hole):
            if pt.max_len is not None and pc >= pt.max_len:
                continue
            pset = pcs[i]
            if vchar is not None:
                ok = pset is None or vchar in pset
            elif pset is None or vset is None:
                ok = pset is None or bool(pset)
            else:
                ok = bool(pset & vset)
            npc = pc + 1 if pt.max_len is not None else min(pc + 1, pt.min_len)
            pnext = (i, npc)
        else:  # literal
            ok = (pt == vchar) if vchar is not None else (vset is None or pt in vset)
            pnext = (i + 1, 0)
        if ok:
            push((pnext[0], pnext[1], vnext[0], vnext[1]))
    return False


# ---------------------------------------------------------------- universality

_OPAQUE = object()


def _closure(ptoks: tuple, states) -> frozenset:
    out = set(states)
    todo = list(states)
    n = len(ptoks)
    while todo:
        i = todo.pop()
        if i < n and ptoks[i] is STAR and i + 1 not in out:
            out.add(i + 1)
            todo.append(i + 1)
    return frozenset(out)


def _step(ptoks: tuple, states: frozenset, ch) -> frozenset:
    n = len(ptoks)
    nxt = set()
    for i in states:
        if i >= n:
            continue
        t = ptoks[i]
        if t is STAR:
            nxt.add(i)
        elif t is QMARK:
            nxt.add(i + 1)
        elif ch is not _OPAQUE and t == ch:
            nxt.add(i + 1)
    return _closure(ptoks, nxt)


def _universal(ptoks: tuple, vtoks: tuple) -> bool:
    """Does the (hole-free) pattern match every fill of the value's holes?

    Sound: each hole character is replaced by a symbol that only ``?`` and
    ``*`` match, and every allowed hole length must lead to acceptance.
    """
    n = len(ptoks)
    frontier = {_closure(ptoks, {0})}
    for t in vtoks:
        new = set()
        if isinstance(t, Hole):
            for s in frontier:
                cur = s
                for _ in range(t.min_len):
                    cur = _step(ptoks, cur, _OPAQUE)
                if t.max_len is None:
                    seen = set()
                    while cur not in seen:
                        seen.add(cur)
                        new.add(cur)
                        cur = _step(ptoks, cur, _OPAQUE)
                else:
                    for _ in range(t.min_len, t.max_len + 1):
                        new.add(cur)
                        cur = _step(ptoks, cur, _OPAQUE)
        else:
            new = {_step(ptoks, s, t) for s in frontier}
        if frozenset() in new:
            return False
        frontier = new
    return all(n in s for s in frontier)
