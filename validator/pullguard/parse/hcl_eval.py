"""Symbolic evaluation of HCL expressions (ASTs from ``hcl_expr``).

Values are JSON values plus the markers of ``values``: ``Ref`` (exactly one
resource attribute, unknown until apply), ``Partial`` (text with ``Hole``s),
``Unknown``. ``Encoded`` is a JSON string whose content holds markers (the
result of ``jsonencode`` over symbolic values); ``Lazy`` objects stand for
namespaces (``var``, ``local``, a resource, a module) and are looked into by
attribute. An operation that needs a concrete value and gets a marker yields
``Unknown``; an operation Terraform would reject raises ``EvalError`` (caught by
``try``/``can``, else the whole value is unknown). Nothing here guesses.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..values import Hole, Partial, Ref, Unknown

__all__ = ["Encoded", "Lazy", "EvalError", "Env", "evaluate", "is_symbolic", "has_symbolic",
           "jsonencode_text", "convert_type", "FUNCTIONS"]

MAX_DEPTH = 64


class EvalError(Exception):
    """Terraform would reject this (index out of range, wrong type...)."""


class NeedKnown(Exception):
    """A concrete value is needed here and only a marker is available."""

    def __init__(self, fact: str):
        super().__init__(fact)
        self.fact = fact


@dataclass(frozen=True)
class Encoded:
    """``jsonencode(x)`` where ``x`` holds markers: a string, known only in shape."""

    value: Any


class Lazy:
    """A namespace or object whose attributes are computed on demand."""

    def get(self, name: str) -> Any:  # pragma: no cover - interface
        raise EvalError(f"no attribute {name}")

    def index(self, key: Any) -> Any:
        raise EvalError("not indexable")


def is_symbolic(v: Any) -> bool:
    return isinstance(v, (Unknown, Ref, Partial, Encoded))


def has_symbolic(v: Any) -> bool:
    if is_symbolic(v) or isinstance(v, Lazy):
        return True
    if isinstance(v, dict):
        return any(has_symbolic(x) for x in v.values())
    if isinstance(v, (list, tuple)):
        return any(has_symbolic(x) for x in v)
    return False


def _fact(v: Any) -> str:
    if isinstance(v, (Unknown, Ref)):
        return v.fact
    if isinstance(v, Partial):
        return ", ".join(v.facts) or "a partly known string"
    return "a value known after apply"


def known(v: Any) -> Any:
    """``v`` itself when it is concrete at the top level, else ``NeedKnown``."""
    if is_symbolic(v):
        raise NeedKnown(_fact(v))
    if isinstance(v, Lazy):
        raise EvalError("an object where a value is expected")
    return v


def deep_known(v: Any) -> Any:
    if has_symbolic(v):
        raise NeedKnown(_fact(v) if is_symbolic(v) else "a value known after apply")
    return v


# -- conversions -------------------------------------------------------------

def _num(v: Any):
    if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53:
        return int(v)
    return v


def number_text(v) -> str:
    v = _num(v)
    if isinstance(v, int):
        return str(v)
    if math.isinf(v) or math.isnan(v):
        raise EvalError("not a finite number")
    return repr(v)


def to_string(v: Any) -> Any:
    """Terraform's conversion to string (markers stay markers)."""
    if is_symbolic(v):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return number_text(v)
    if isinstance(v, str):
        return v
    if v is None:
        return None
    raise EvalError("cannot convert to string")


def to_number(v: Any) -> Any:
    if is_symbolic(v):
        return v
    if isinstance(v, bool):
        raise EvalError("bool is not a number")
    if isinstance(v, (int, float)) or v is None:
        return _num(v) if v is not None else None
    if isinstance(v, str):
        try:
            return _num(int(v)) if v.strip().lstrip("-").isdigit() else _num(float(v))
        except ValueError:
            raise EvalError(f"not a number: {v!r}") from None
    raise EvalError("cannot convert to number")


def to_bool(v: Any) -> Any:
    if is_symbolic(v):
        return v
    if isinstance(v, bool) or v is None:
        return v
    if v in ("true", "false"):
        return v == "true"
    raise EvalError("not a bool")


def truth(v: Any) -> bool:
    v = to_bool(known(v))
    if not isinstance(v, bool):
        raise EvalError("condition is not a bool")
    return v


def jsonencode_text(v: Any) -> str:
    """As Terraform's jsonencode: sorted keys, no spaces, <>& escaped like Go."""
    text = json.dumps(_jsonable(v), ensure_ascii=False, separators=(",", ":"), sort_keys=True,
                      allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _jsonable(v: Any) -> Any:
    if isinstance(v, float):
        return _num(v)
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


def _from_json(v: Any) -> Any:
    if isinstance(v, float):
        return _num(v)
    if isinstance(v, dict):
        return {k: _from_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_from_json(x) for x in v]
    return v


# -- type constraints (variables) -------------------------------------------

def convert_type(v: Any, t, env: "Env") -> Any:
    """Apply a variable's type constraint: primitive conversions, object attributes
    (missing ones null or their ``optional`` default), extra attributes dropped."""
    if t is None or is_symbolic(v) or v is None or isinstance(v, Lazy):
        return v
    kind, args = _type_parts(t)
    if kind in ("any", None):
        return v
    if kind == "string":
        return to_string(v) if not isinstance(v, (dict, list)) else v
    if kind == "number":
        return to_number(v) if isinstance(v, (str, int, float)) and not isinstance(v, bool) else v
    if kind == "bool":
        return to_bool(v) if isinstance(v, (str, bool)) else v
    if kind in ("list", "set") and isinstance(v, (list, tuple)):
        out = [convert_type(x, args[0] if args else None, env) for x in v]
        if kind == "set":
            out = _set_of(out)
        return out
    if kind == "map" and isinstance(v, dict):
        return {k: convert_type(x, args[0] if args else None, env) for k, x in v.items()}
    if kind == "object" and isinstance(v, dict) and args and args[0][0] == "obj":
        out = {}
        for kexpr, texpr in args[0][1]:
            name = kexpr[1] if kexpr[0] == "lit" else None
            if not isinstance(name, str):
                continue
            inner, default, optional = texpr, None, False
            if texpr[0] == "call" and texpr[1] == "optional":
                optional = True
                inner = texpr[2][0] if texpr[2] else None
                default = evaluate(texpr[2][1], env) if len(texpr[2]) > 1 else None
            if name in v and v[name] is not None:
                out[name] = convert_type(v[name], inner, env)
            elif optional and default is not None:
                out[name] = convert_type(default, inner, env)
            else:
                out[name] = None
        return out
    if kind == "tuple" and isinstance(v, (list, tuple)) and args and args[0][0] == "list":
        types = args[0][1]
        return [convert_type(x, types[i] if i < len(types) else None, env) for i, x in enumerate(v)]
    return v


def _type_parts(t):
    if t[0] == "var":
        return t[1], ()
    if t[0] == "call":
        return t[1], t[2]
    if t[0] == "lit" and isinstance(t[1], str):  # bc-python-hcl2 may quote a bare keyword
        return t[1], ()
    return None, ()


def _set_of(items: list) -> list:
    out = []
    for x in items:
        if x not in out:
            out.append(x)
    if all(isinstance(x, str) for x in out):
        out.sort()
    return out


# -- environment -------------------------------------------------------------

class Env:
    """Names visible to an expression: ``roots(name)`` resolves the first word of a
    reference (``var``, ``local``, ``aws_x``...); ``scope`` holds ``for`` variables,
    ``each``/``count`` and dynamic-block iterators."""

    def __init__(self, roots: Callable[[str], Any], scope: Optional[dict] = None, depth: int = 0):
        self.roots = roots
        self.scope = scope or {}
        self.depth = depth

    def child(self, **names) -> "Env":
        scope = dict(self.scope)
        scope.update(names)
        return Env(self.roots, scope, self.depth)

    def lookup(self, name: str) -> Any:
        if name in self.scope:
            return self.scope[name]
        return self.roots(name)


def evaluate(node, env: Env) -> Any:
    """The value of ``node``; ``Unknown`` where it depends on what is not known."""
    try:
        return _eval(node, env)
    except NeedKnown as exc:
        return Unknown(exc.fact)


def _eval(node, env: Env) -> Any:
    op = node[0]
    if op == "lit":
        return node[1]
    if op == "paren":
        return _eval(node[1], env)
    if op == "tmpl":
        return _template(node[1], env)
    if op == "var":
        return env.lookup(node[1])
    if op == "attr":
        return get_attr(_eval(node[1], env), node[2])
    if op == "index":
        return get_index(_eval(node[1], env), _eval(node[2], env))
    if op == "splat":
        return _splat(_eval(node[1], env), node[2], env)
    if op == "list":
        return [evaluate(x, env) for x in node[1]]
    if op == "obj":
        out = {}
        for k, v in node[1]:
            key = to_string(known(_eval(k, env)))
            if not isinstance(key, str):
                raise EvalError("object key is not a string")
            out[key] = evaluate(v, env)
        return out
    if op == "cond":
        try:
            c = truth(_eval(node[1], env))
        except NeedKnown:
            a, b = evaluate(node[2], env), evaluate(node[3], env)
            if a == b and not has_symbolic(a):
                return a
            raise
        return _eval(node[2] if c else node[3], env)
    if op == "bin":
        return _binary(node[1], node[2], node[3], env)
    if op == "not":
        return not truth(_eval(node[1], env))
    if op == "neg":
        v = to_number(known(_eval(node[1], env)))
        if not isinstance(v, (int, float)):
            raise EvalError("not a number")
        return -v
    if op == "call":
        try:
            return _call(node[1], node[2], node[3], env)
        except NeedKnown as exc:
            return Unknown(exc.fact)
    if op in ("forl", "form"):
        return _for(node, env)
    if op == "unsup":
        raise NeedKnown(node[1])
    raise NeedKnown(f"unsupported expression {op}")


def _template(parts, env: Env) -> Any:
    pieces: list = []
    for p in parts:
        if isinstance(p, str):
            pieces.append(p)
            continue
        v = evaluate(p, env)
        if isinstance(v, (Unknown, Ref, Encoded)):
            pieces.append(_hole(v))
        elif isinstance(v, Partial):
            pieces.extend(v.parts)
        else:
            s = to_string(v)
            if s is None:
                raise EvalError("null in a template")
            pieces.append(s)
    merged: list = []
    for p in pieces:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        elif p != "":
            merged.append(p)
    if all(isinstance(p, str) for p in merged):
        return "".join(merged)
    return Partial(tuple(merged))


_HOLE_VALUES: dict = {}   # Hole.fact -> the Ref / Unknown / Encoded it stands for
_SENTINEL = re.compile("\x00([HE])(\\d+)\x00")


def _hole(v: Any) -> Hole:
    fact = _fact(v) if not isinstance(v, Encoded) else f"a JSON document known after apply #{id(v)}"
    if len(_HOLE_VALUES) < 100_000:
        _HOLE_VALUES[fact] = v
    return Hole(fact)


def decode_partial_json(p: Partial) -> Any:
    """``jsondecode`` of a template mixing JSON text and symbolic values (a
    ``templatefile`` of container definitions): holes inside JSON strings become
    ``Ref``/``Partial`` leaves, ``${jsonencode(...)}`` holes their structure."""
    text: list = []
    holes: list = []
    for part in p.parts:
        if isinstance(part, str):
            text.append(part)
            continue
        value = _HOLE_VALUES.get(part.fact)
        holes.append((part, value))
        n = len(holes) - 1
        text.append(f'"\\u0000E{n}\\u0000"' if isinstance(value, Encoded) else f"\\u0000H{n}\\u0000")
    try:
        doc = json.loads("".join(text))
    except ValueError:
        raise NeedKnown("a JSON document built from a template with values known after apply") from None

    def rebuild(v):
        if isinstance(v, dict):
            if any(_SENTINEL.search(k) for k in v):
                raise NeedKnown("a JSON key known after apply")
            return {k: rebuild(x) for k, x in v.items()}
        if isinstance(v, list):
            return [rebuild(x) for x in v]
        if not isinstance(v, str) or "\x00" not in v:
            return _from_json(v)
        parts: list = []
        pos = 0
        for m in _SENTINEL.finditer(v):
            if m.start() > pos:
                parts.append(v[pos:m.start()])
            hole, value = holes[int(m.group(2))]
            if m.group(1) == "E":
                if m.start() != 0 or m.end() != len(v):
                    raise NeedKnown("a JSON document inside a string")
                return value.value
            parts.append(hole)
            pos = m.end()
        if pos < len(v):
            parts.append(v[pos:])
        if len(parts) == 1 and isinstance(parts[0], Hole):
            value = holes[[h for h, _ in holes].index(parts[0])][1]
            return value if isinstance(value, (Ref, Unknown)) else Unknown(parts[0].fact)
        return Partial(tuple(parts))

    return rebuild(doc)


def get_attr(obj: Any, name: str) -> Any:
    if isinstance(obj, Lazy):
        return obj.get(name)
    if isinstance(obj, dict):
        if name not in obj:
            raise EvalError(f"no attribute {name!r}")
        return obj[name]
    if is_symbolic(obj):
        raise NeedKnown(_fact(obj))
    raise EvalError(f"cannot take .{name} of {type(obj).__name__}")


def get_index(obj: Any, key: Any) -> Any:
    key = known(key)
    if isinstance(obj, Lazy):
        return obj.index(key)
    if isinstance(obj, dict):
        k = to_string(key)
        if k not in obj:
            raise EvalError(f"no key {k!r}")
        return obj[k]
    if isinstance(obj, (list, tuple)):
        i = to_number(key)
        if not isinstance(i, int) or isinstance(i, bool) or i < 0 or i >= len(obj):
            raise EvalError("index out of range")
        return obj[i]
    if is_symbolic(obj):
        raise NeedKnown(_fact(obj))
    raise EvalError("cannot index")


def _splat(base: Any, ops, env: Env) -> Any:
    base = known(base)
    if base is None:
        items = []
    elif isinstance(base, (list, tuple)):
        items = list(base)
    elif isinstance(base, dict) and not isinstance(base, Lazy):
        raise NeedKnown("a splat over a map")
    else:
        items = [base]
    out = []
    for it in items:
        for kind, arg in ops:
            it = get_attr(it, arg) if kind == "attr" else get_index(it, _eval(arg, env))
        out.append(it)
    return out


def _equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        if a is None and b is None:
            return True
        other = b if a is None else a
        if isinstance(other, Ref) and _never_null(other):
            return False
        if isinstance(other, Partial):
            return False  # a template is a string, never null
    deep_known(a)
    deep_known(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return _num(a) == _num(b) if isinstance(a, (int, float)) and isinstance(b, (int, float)) else a == b


def _never_null(ref: Ref) -> bool:
    """Attributes every created resource has: its ARN and its id."""
    return ref.attribute in ("arn", "id")


def _binary(op: str, left, right, env: Env) -> Any:
    if op == "&&":
        a = _eval(left, env)
        if not is_symbolic(a) and not truth(a):
            return False
        b = _eval(right, env)
        if not is_symbolic(b) and not truth(b):
            return False
        return truth(a) and truth(b)
    if op == "||":
        a = _eval(left, env)
        if not is_symbolic(a) and truth(a):
            return True
        b = _eval(right, env)
        if not is_symbolic(b) and truth(b):
            return True
        return truth(a) or truth(b)
    a, b = _eval(left, env), _eval(right, env)
    if op == "==":
        return _equal(a, b)
    if op == "!=":
        return not _equal(a, b)
    x, y = to_number(known(a)), to_number(known(b))
    if not isinstance(x, (int, float)) or not isinstance(y, (int, float)):
        raise EvalError("arithmetic on non-numbers")
    if op == "+":
        return _num(x + y)
    if op == "-":
        return _num(x - y)
    if op == "*":
        return _num(x * y)
    if op == "/":
        if y == 0:
            raise EvalError("division by zero")
        return _num(x / y)
    if op == "%":
        if y == 0:
            raise EvalError("division by zero")
        return _num(math.fmod(x, y))
    return {"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]


def _pairs(coll: Any):
    coll = known(coll)
    if isinstance(coll, dict):
        return [(k, coll[k]) for k in sorted(coll)]
    if isinstance(coll, (list, tuple)):
        return list(enumerate(coll))
    if coll is None:
        raise EvalError("for over null")
    raise EvalError("for over a non-collection")


def _for(node, env: Env) -> Any:
    if node[0] == "forl":
        _, kname, vname, coll, val, cond = node
    else:
        _, kname, vname, coll, key, val, group, cond = node
    out_list: list = []
    out_map: dict = {}
    for k, v in _pairs(_eval(coll, env)):
        names = {vname: v}
        if kname:
            names[kname] = k
        inner = env.child(**names)
        if cond is not None and not truth(_eval(cond, inner)):
            continue
        if node[0] == "forl":
            out_list.append(evaluate(val, inner))
            continue
        kk = to_string(known(_eval(key, inner)))
        vv = evaluate(val, inner)
        if group:
            out_map.setdefault(kk, []).append(vv)
        elif kk in out_map:
            raise EvalError(f"duplicate key {kk!r}")
        else:
            out_map[kk] = vv
    return out_list if node[0] == "forl" else out_map


# -- functions ---------------------------------------------------------------

def _call(name: str, args, expand: bool, env: Env) -> Any:
    if name == "try":
        for a in args:
            try:
                return _eval(a, env)
            except EvalError:
                continue
        raise EvalError("no try argument succeeded")
    if name == "can":
        try:
            v = _eval(args[0], env)
        except EvalError:
            return False
        if has_symbolic(v):
            raise NeedKnown(_fact(v) if is_symbolic(v) else "a value known after apply")
        return True
    fn = FUNCTIONS.get(name)
    if fn is None:
        raise NeedKnown(f"function {name}() (not evaluated by pullguard)")
    values = [_eval(a, env) for a in args]
    if expand and values:
        last = known(values.pop())
        if not isinstance(last, (list, tuple)):
            raise EvalError("... needs a list")
        values.extend(last)
    if name in ("file", "templatefile", "fileexists"):
        return fn(env, *values)
    return fn(*values)


def _merge(*maps):
    out: dict = {}
    for m in maps:
        m = known(m)
        if m is None:
            continue
        if not isinstance(m, dict) or isinstance(m, Lazy):
            raise EvalError("merge of non-maps")
        out.update(m)
    return out


def _concat(*lists):
    out: list = []
    for lst in lists:
        lst = known(lst)
        if not isinstance(lst, (list, tuple)):
            raise EvalError("concat of non-lists")
        out.extend(lst)
    return out


def _scalar_ref(x: Any) -> bool:
    """A resource's ``id``, ``arn``, ``name`` or ``*_id`` known after apply: a string, not a list."""
    return isinstance(x, Ref) and (x.attribute in ("id", "arn", "name")
                                   or x.attribute.endswith(("_id", "_arn", "_name")))


def _flatten(lst):
    out: list = []
    for x in known(lst):
        if _scalar_ref(x):
            out.append(x)  # flatten keeps an unknown string as it is
            continue
        x = known(x)
        if isinstance(x, (list, tuple)):
            out.extend(_flatten(x))
        else:
            out.append(x)
    return out


def _lookup(m, key, *default):
    m, key = known(m), to_string(known(key))
    if isinstance(m, dict) and key in m:
        return m[key]
    if default:
        return default[0]
    raise EvalError(f"no key {key!r}")


def _coalesce(*vals):
    for v in vals:
        if is_symbolic(v):
            if isinstance(v, Partial) or (isinstance(v, Ref) and _never_null(v)):
                return v  # never null nor empty
            raise NeedKnown(_fact(v))
        if v is not None and v != "":
            return v
    raise EvalError("no non-null argument")


def _coalescelist(*vals):
    for v in vals:
        v = known(v)
        if isinstance(v, (list, tuple)) and len(v):
            return v
    raise EvalError("no non-empty list")


def _format(fmt, *vals):
    fmt = known(fmt)
    if not isinstance(fmt, str):
        raise EvalError("format needs a string")
    out: list = []
    i, n = 0, 0
    while i < len(fmt):
        c = fmt[i]
        if c != "%":
            out.append(c)
            i += 1
            continue
        if fmt.startswith("%%", i):
            out.append("%")
            i += 2
            continue
        verb = fmt[i + 1:i + 2]
        if verb not in ("s", "d", "v") or n >= len(vals):
            raise NeedKnown(f"format verb %{verb}")
        v = vals[n]
        n += 1
        out.append(("${}", v) if is_symbolic(v) else to_string(known(v)))
        i += 2
    return _template(tuple(p if isinstance(p, str) else ("lit", p[1]) for p in out), Env(lambda n: None))


def _join(sep, lst):
    sep, lst = known(sep), known(lst)
    parts: list = []
    for k, x in enumerate(lst):
        if k:
            parts.append(sep)
        parts.append(x if is_symbolic(x) else to_string(known(x)))
    return _template(tuple(p if isinstance(p, str) else ("lit", p) for p in parts), Env(lambda n: None))


def _jsonencode(v):
    if isinstance(v, Encoded):
        raise NeedKnown("a JSON document encoded twice")
    if isinstance(v, Lazy) or _has_lazy(v):
        raise NeedKnown("a resource object in jsonencode")
    if has_symbolic(v):
        return Encoded(v)
    return jsonencode_text(v)


def _has_lazy(v) -> bool:
    if isinstance(v, Lazy):
        return True
    if isinstance(v, dict):
        return any(_has_lazy(x) for x in v.values())
    if isinstance(v, (list, tuple)):
        return any(_has_lazy(x) for x in v)
    return False


def _jsondecode(s):
    if isinstance(s, Encoded):
        return s.value
    if isinstance(s, Partial):
        return decode_partial_json(s)
    s = known(s)
    try:
        return _from_json(json.loads(s))
    except (TypeError, ValueError):
        raise EvalError("invalid JSON") from None


def _length(v):
    v = known(v)
    if isinstance(v, (list, tuple, dict, str)):
        return len(v)
    raise EvalError("length of a non-collection")


def _keys(m):
    m = known(m)
    if not isinstance(m, dict):
        raise EvalError("keys of a non-map")
    return sorted(m)


def _values(m):
    m = known(m)
    if not isinstance(m, dict):
        raise EvalError("values of a non-map")
    return [m[k] for k in sorted(m)]


def _distinct(lst):
    out: list = []
    for x in known(lst):
        deep_known(x) if not isinstance(x, Ref) else None
        if x not in out:
            out.append(x)
    return out


def _contains(lst, v):
    lst = known(lst)
    for x in lst:
        if _equal(x, v):
            return True
    return False


def _element(lst, i):
    lst, i = known(lst), to_number(known(i))
    if not lst:
        raise EvalError("element of an empty list")
    return lst[int(i) % len(lst)]


def _slice(lst, a, b):
    lst, a, b = known(lst), to_number(known(a)), to_number(known(b))
    if not (0 <= a <= b <= len(lst)):
        raise EvalError("slice out of range")
    return list(lst[a:b])


def _split(sep, s):
    sep, s = known(sep), known(s)
    return s.split(sep) if s != "" else [""]


def _str1(f):
    def inner(s):
        s = known(s)
        if not isinstance(s, str):
            raise EvalError("not a string")
        return f(s)
    return inner


def _replace(s, a, b):
    s, a, b = known(s), known(a), known(b)
    if isinstance(a, str) and len(a) > 1 and a.startswith("/") and a.endswith("/"):
        raise NeedKnown("replace() with a regular expression")
    return s.replace(a, b)


def _compact(lst):
    return [x for x in known(lst) if known(x) not in (None, "")]


def _zipmap(ks, vs):
    ks, vs = known(ks), known(vs)
    return {to_string(known(k)): v for k, v in zip(ks, vs)}


def _sort(lst):
    lst = [to_string(known(x)) for x in known(lst)]
    return sorted(lst)


def _alltrue(lst):
    return all(truth(x) for x in known(lst))


def _anytrue(lst):
    vals = known(lst)
    if any(not is_symbolic(x) and truth(x) for x in vals):
        return True
    return any(truth(x) for x in vals)


def _tolist(v):
    v = known(v)
    if not isinstance(v, (list, tuple)):
        raise EvalError("not a list")
    return list(v)


def _toset(v):
    v = known(v)
    if not isinstance(v, (list, tuple)):
        raise EvalError("not a set")
    return _set_of([deep_known(x) for x in v])


def _tomap(v):
    v = known(v)
    if not isinstance(v, dict):
        raise EvalError("not a map")
    return dict(v)


def _range(*args):
    nums = [to_number(known(a)) for a in args]
    if len(nums) == 1:
        return list(range(int(nums[0])))
    return list(range(*(int(n) for n in nums)))


def _substr(s, off, ln):
    s, off, ln = known(s), to_number(known(off)), to_number(known(ln))
    return s[off:] if ln == -1 else s[off:off + ln]


def _file(env: Env, path):
    reader = env.lookup("__read_file__")
    return reader(known(path))


def _fileexists(env: Env, path):
    reader = env.lookup("__read_file__")
    try:
        reader(known(path))
        return True
    except EvalError:
        return False


def _templatefile(env: Env, path, variables=None):
    text = _file(env, path)
    variables = known(variables) if variables is not None else {}
    if not isinstance(variables, dict):
        raise EvalError("templatefile variables must be a map")
    from .hcl_expr import HclSyntax, parse_template
    try:
        node = parse_template(text, escapes=False)
    except HclSyntax as exc:
        raise NeedKnown(f"template {path} ({exc})") from None
    inner = Env(lambda name: _only_vars(name, variables), dict(variables), env.depth + 1)
    return _eval(node, inner) if node[0] != "lit" else node[1]


def _only_vars(name: str, variables: dict):
    if name in variables:
        return variables[name]
    raise EvalError(f"template variable {name} not given")


def _index_of(lst, v):
    for i, x in enumerate(known(lst)):
        if _equal(x, v):
            return i
    raise EvalError("not found")


FUNCTIONS: dict = {
    "jsonencode": _jsonencode, "jsondecode": _jsondecode, "merge": _merge, "concat": _concat,
    "flatten": _flatten, "lookup": _lookup, "coalesce": _coalesce, "coalescelist": _coalescelist,
    "format": _format, "join": _join, "tostring": lambda v: to_string(v),
    "tonumber": lambda v: to_number(v), "tobool": lambda v: to_bool(v), "tolist": _tolist,
    "toset": _toset, "tomap": _tomap, "length": _length, "keys": _keys, "values": _values,
    "distinct": _distinct, "contains": _contains, "element": _element, "slice": _slice,
    "split": _split, "lower": _str1(str.lower), "upper": _str1(str.upper),
    "trimspace": _str1(str.strip), "replace": _replace, "compact": _compact, "zipmap": _zipmap,
    "sort": _sort, "alltrue": _alltrue, "anytrue": _anytrue, "range": _range, "substr": _substr,
    "file": _file, "fileexists": _fileexists, "templatefile": _templatefile, "index": _index_of,
    "abs": lambda v: abs(to_number(known(v))),
    "max": lambda *v: max(to_number(known(x)) for x in v),
    "min": lambda *v: min(to_number(known(x)) for x in v),
    "one": lambda lst: (known(lst)[0] if len(known(lst)) == 1 else
                        None if len(known(lst)) == 0 else (_ for _ in ()).throw(EvalError("one"))),
    "startswith": lambda s, p: known(s).startswith(known(p)),
    "endswith": lambda s, p: known(s).endswith(known(p)),
}
