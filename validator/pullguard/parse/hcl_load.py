"""Read a Terraform module directory into blocks of parsed expressions.

``hcl2`` is imported from whichever distribution provides it, and they disagree:

* python-hcl2 (>= 5): string literals keep their quotes (``"\\"x-${var.a}\\""``),
  expressions come as ``"${...}"`` holding HCL text, labels are quoted, blocks
  carry ``"__is_block__": true``, attribute values are not wrapped;
* bc-python-hcl2 (Checkov's fork of python-hcl2 0.3): strings lose their quotes
  (a template and an expression both look like ``"${var.a}"``), every attribute
  value is wrapped in a one-element list, nested objects inside expressions are
  printed as Python literals (``{'a': '${x}'}``, ``None``), heredocs are
  already stripped, blocks carry ``__start_line__``/``__end_line__``.

``_dialect()`` probes the installed one once; ``_to_ast`` turns either into the
AST of ``hcl_expr``. Each file is parsed once per process (cache by path, mtime).
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .hcl_expr import HclSyntax, parse_expression, parse_template, unwrap_template

_META = ("__is_block__", "__start_line__", "__end_line__", "__comments__", "__inline_comments__")


@dataclass
class Block:
    attrs: dict = field(default_factory=dict)     # name -> AST
    blocks: dict = field(default_factory=dict)    # name -> [Block] (labels: Block.labels)
    labels: tuple = ()


@dataclass
class Module:
    directory: Path
    resources: dict = field(default_factory=dict)  # (mode, type, name) -> Block
    locals: dict = field(default_factory=dict)     # name -> AST
    variables: dict = field(default_factory=dict)  # name -> Block (type, default)
    outputs: dict = field(default_factory=dict)    # name -> AST
    calls: dict = field(default_factory=dict)      # name -> Block (source, count, for_each, args)
    errors: list = field(default_factory=list)


@functools.lru_cache(maxsize=1)
def _dialect() -> str:
    import hcl2
    probe = hcl2.loads('a = "x"\n')
    v = probe.get("a")
    if isinstance(v, list):
        return "wrapped"
    if v == '"x"':
        return "quoted"
    return "plain"


def _label(text) -> str:
    text = str(text)
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1]
    return text


def _str_ast(text: str, dialect: str):
    if dialect == "quoted":
        if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
            return unwrap_template(text)
        if text.startswith("${") and text.endswith("}"):
            return parse_expression(text[2:-1])
        return parse_expression(text)
    try:
        return parse_template(text, escapes=True)
    except HclSyntax:
        return parse_template(text, escapes=False)  # a heredoc: no escapes


def _to_ast(raw, dialect: str):
    try:
        if raw is None or isinstance(raw, (bool, int, float)):
            return ("lit", raw)
        if isinstance(raw, str):
            return _str_ast(raw, dialect)
        if isinstance(raw, list):
            return ("list", tuple(_to_ast(v, dialect) for v in raw))
        if isinstance(raw, dict):
            return ("obj", tuple((("lit", _label(k)), _to_ast(v, dialect))
                                 for k, v in raw.items() if k not in _META))
    except (HclSyntax, ValueError, SyntaxError, IndexError, RecursionError) as exc:
        return ("unsup", f"cannot read expression ({exc})")
    return ("unsup", f"unexpected {type(raw).__name__}")


def _is_block_list(key: str, value, dialect: str) -> bool:
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        return False
    if key in ("dynamic", "content", "lifecycle", "statement", "principals", "not_principals", "condition"):
        return True
    if dialect == "quoted":
        return all(v.get("__is_block__") for v in value)
    if key in ("default", "type", "value", "tags", "for_each", "variables"):
        return False
    if dialect == "wrapped":
        # attribute values are wrapped: a block body's values are lists
        return all("__start_line__" in v or (any(k not in _META for k in v) and all(
            isinstance(x, list) for k, x in v.items() if k not in _META)) for v in value)
    return True


def _block(body: dict, dialect: str, labels: tuple = ()) -> Block:
    blk = Block(labels=labels)
    if not isinstance(body, dict):
        return blk
    for key, value in body.items():
        if key in _META:
            continue
        if _is_block_list(key, value, dialect):
            out = blk.blocks.setdefault(key, [])
            for item in value:
                out.extend(_labelled(item, dialect, key))
            continue
        if dialect == "wrapped" and isinstance(value, list) and len(value) == 1:
            value = value[0]
        blk.attrs[key] = _to_ast(value, dialect)
    return blk


def _labelled(item: dict, dialect: str, key: str) -> list:
    """A nested block: ``dynamic "x" {...}`` has one label, others none."""
    if key == "dynamic":
        return [_block(body, dialect, (_label(name),)) for name, body in item.items() if name not in _META]
    return [_block(item, dialect)]


@functools.lru_cache(maxsize=256)
def _parse_file(path: str, mtime: float) -> tuple:
    import hcl2
    try:
        with open(path, encoding="utf-8") as fh:
            return hcl2.load(fh), None
    except Exception as exc:  # noqa: BLE001 - any parser failure is a warning
        return None, f"{path}: cannot parse ({type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''})"


@functools.lru_cache(maxsize=64)
def _load_module_cached(directory: str, stamp: tuple) -> Module:
    dialect = _dialect()
    mod = Module(Path(directory))
    for path, mtime in stamp:
        doc, err = _parse_file(path, mtime)
        if err:
            mod.errors.append(err)
            continue
        _add(mod, doc, dialect)
    return mod


def load_module(directory: Path) -> Optional[Module]:
    """The module in ``directory`` (None when it holds no ``.tf`` file)."""
    try:
        files = sorted(p for p in Path(directory).glob("*.tf") if p.is_file())
    except OSError:
        return None
    if not files:
        return None
    stamp = tuple((str(p), p.stat().st_mtime) for p in files)
    return _load_module_cached(str(Path(directory).resolve()), stamp)


def _entries(section, dialect: str):
    """Top-level ``resource``/``data``: [{type: {name: body}}] → (type, name, body)."""
    for item in section or ():
        if not isinstance(item, dict):
            continue
        for type_, named in item.items():
            if type_ in _META or not isinstance(named, dict):
                continue
            for name, body in named.items():
                if name in _META:
                    continue
                if isinstance(body, list):  # some versions wrap bodies
                    body = body[0] if body and isinstance(body[0], dict) else {}
                yield _label(type_), _label(name), body


def _named(section):
    for item in section or ():
        if isinstance(item, dict):
            for name, body in item.items():
                if name not in _META:
                    if isinstance(body, list):
                        body = body[0] if body and isinstance(body[0], dict) else {}
                    yield _label(name), body


def _add(mod: Module, doc: dict, dialect: str) -> None:
    if not isinstance(doc, dict):
        return
    for mode, key in (("managed", "resource"), ("data", "data")):
        for type_, name, body in _entries(doc.get(key), dialect):
            mod.resources[(mode, type_, name)] = _block(body, dialect)
    for item in doc.get("locals") or ():
        mod.locals.update(_block(item, dialect).attrs)
    for name, body in _named(doc.get("variable")):
        mod.variables[name] = _block(body, dialect)
    for name, body in _named(doc.get("output")):
        out = _block(body, dialect)
        if "value" in out.attrs:
            mod.outputs[name] = out.attrs["value"]
    for name, body in _named(doc.get("module")):
        mod.calls[name] = _block(body, dialect)


def modules_json(root: Path) -> dict:
    """``.terraform/modules/modules.json``: call path ("a.b") → directory."""
    path = Path(root) / ".terraform" / "modules" / "modules.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for m in data.get("Modules") or ():
        if isinstance(m, dict) and isinstance(m.get("Key"), str) and isinstance(m.get("Dir"), str):
            out[m["Key"]] = (Path(root) / m["Dir"]).resolve()
    return out
