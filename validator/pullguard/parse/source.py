"""The Terraform source beside the plan: values the plan knows only after apply.

``load_source(config_dir, plan, warnings)`` returns a ``Source`` (or None when no
source is to be read: no ``--config-dir`` and no ``.tf`` file in the current
directory). ``Source.value(instance, attribute, snapshot)`` is called by
``parse.plan`` for each top-level attribute the plan marks unknown; it evaluates
the attribute's expression in the source (``hcl_eval``) for that instance:

* a value the plan knows → that value; an attribute of a resource unknown until
  apply → ``Ref(address, attribute)``; text mixing both → ``Partial``;
* ``container_definitions``/``policy``/``assume_role_policy`` built with
  ``jsonencode`` over symbolic values → the decoded structure (list/dict with
  markers); fully known → the JSON text as Terraform's ``jsonencode`` writes it;
* anything else → None (the plan alone decides). Never raises.

Modules: the plan's module path is followed through ``module`` blocks, local
``source`` paths relative to the caller, or ``.terraform/modules/modules.json``.
Each ``.tf`` file is parsed once, and only when an unknown attribute asks for it.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any, Optional

from ..values import Partial, Redacted, Ref, Unknown
from .hcl_eval import (Encoded, decode_partial_json, Env, EvalError, Lazy, NeedKnown, _pairs, convert_type, evaluate,
                       has_symbolic, jsonencode_text, known)
from .hcl_load import Module, load_module, modules_json
from .redact import NOT_SECRET, SECRET_BY_TYPE, SECRET_NAME
from .references import _key_text, _key_value, module_steps

JSON_ATTRIBUTES = frozenset({"container_definitions", "policy", "assume_role_policy"})
DOCUMENT_DATA = "aws_iam_policy_document"
MAX_NESTING = 40


class _ModuleCtx:
    """One module instance: its parsed source, its variables and locals."""

    def __init__(self, source: "Source", path: str, mod: Module, parent=None, call=None, key=None):
        self.source = source
        self.path = path
        self.mod = mod
        self.parent = parent
        self.call = call          # (name, Block) in the parent
        self.key = key            # the module instance key (count index / for_each key) or None
        self.cache: dict = {}
        self.busy: set = set()

    @property
    def prefix(self) -> str:
        return self.path + "." if self.path else ""

    def env(self, **scope) -> Env:
        return Env(self.root, scope)

    def memo(self, what: tuple, compute):
        if what in self.cache:
            return self.cache[what]
        if what in self.busy or len(self.source.stack) > MAX_NESTING:
            raise NeedKnown(f"{'.'.join(map(str, what))} (a cycle or too deep)")
        self.busy.add(what)
        self.source.stack.append(what)
        try:
            value = compute()
        finally:
            self.busy.discard(what)
            self.source.stack.pop()
        self.cache[what] = value
        return value

    # -- names --------------------------------------------------------------
    def root(self, name: str) -> Any:
        if name == "var":
            return _Namespace(self.variable)
        if name == "local":
            return _Namespace(self.local)
        if name == "module":
            return _Namespace(self.module_call)
        if name == "data":
            return _Namespace(lambda t: _TypeNS(self, "data", t))
        if name == "path":
            rel = os.path.relpath(self.mod.directory, self.source.root_dir)
            return {"module": rel, "root": ".", "cwd": str(self.source.root_dir)}
        if name == "terraform":
            return {"workspace": "default"}
        if name == "__read_file__":
            return self.read_file
        if name in ("each", "count", "self"):
            raise EvalError(f"{name} is not available here")
        return _TypeNS(self, "managed", name)

    def read_file(self, path: str) -> str:
        p = Path(path)
        if not p.is_absolute():
            p = self.source.root_dir / p
        try:
            return p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise EvalError(f"cannot read {path}") from None

    def variable(self, name: str) -> Any:
        return self.memo(("var", name), lambda: self._variable(name))

    def _variable(self, name: str) -> Any:
        decl = self.mod.variables.get(name)
        if decl is not None and _is_true(decl.attrs.get("sensitive")):
            return Unknown(f"var.{name} (sensitive)")
        if self.parent is None:
            entry = self.source.plan_variables.get(name)
            if isinstance(entry, dict) and "value" in entry:
                return entry["value"]
            return Unknown(f"var.{name} (not in the plan)")
        call_name, call = self.call
        expr = call.attrs.get(name)
        if expr is not None:
            value = evaluate(expr, self.parent.env(**self.parent.instance_scope(call, self.key)))
        elif decl is not None and "default" in decl.attrs:
            value = evaluate(decl.attrs["default"], Env(_no_names))
        else:
            value = None
        if decl is not None and "type" in decl.attrs:
            value = convert_type(value, decl.attrs["type"], Env(_no_names))
        return value

    def local(self, name: str) -> Any:
        expr = self.mod.locals.get(name)
        if expr is None:
            raise EvalError(f"no local.{name}")
        return self.memo(("local", name), lambda: evaluate(expr, self.env()))

    def instance_scope(self, block, key) -> dict:
        """``each``/``count`` for the instance ``key`` of a resource or module block."""
        if "for_each" in block.attrs:
            coll = self.for_each(block)
            if isinstance(coll, dict):
                value = coll.get(key, Unknown(f"each.value[{key!r}]"))
            elif isinstance(coll, list):
                value = key
            else:
                value = Unknown("each.value (for_each known after apply)")
            return {"each": {"key": key, "value": value}}
        if "count" in block.attrs:
            return {"count": {"index": key}}
        return {}

    def module_call(self, name: str) -> Any:
        call = self.mod.calls.get(name)
        if call is None:
            raise EvalError(f"no module.{name}")
        if "for_each" in call.attrs:
            coll = known(self.for_each(call))
            if isinstance(coll, dict):
                return {k: _ModuleObj(self.source, self.child(name, k)) for k in sorted(coll)}
            if isinstance(coll, list):
                return {v: _ModuleObj(self.source, self.child(name, v)) for v in coll}
            raise EvalError("for_each is not a map or set")
        if "count" in call.attrs:
            n = known(evaluate(call.attrs["count"], self.env()))
            return [_ModuleObj(self.source, self.child(name, i)) for i in range(int(n))]
        return _ModuleObj(self.source, self.child(name, None))

    def for_each(self, block) -> Any:
        """A block's ``for_each`` collection, evaluated once per module instance."""
        return self.memo(("for_each", id(block)), lambda: evaluate(block.attrs["for_each"], self.env()))

    def child(self, name: str, key) -> "_ModuleCtx":
        ctx = self.source.module_ctx(self.prefix + f"module.{name}{_key_text(key)}")
        if ctx is None:
            raise NeedKnown(f"module.{name} (source not found)")
        return ctx

    def output(self, name: str) -> Any:
        expr = self.mod.outputs.get(name)
        if expr is None:
            raise EvalError(f"no output {name}")
        return self.memo(("output", name), lambda: evaluate(expr, self.env()))


def _no_names(name: str):
    raise EvalError(f"{name} is not available here")


def _is_true(node) -> bool:
    return node is not None and node[0] == "lit" and node[1] is True


class _Namespace(Lazy):
    def __init__(self, getter):
        self.getter = getter

    def get(self, name: str) -> Any:
        return self.getter(name)


class _ModuleObj(Lazy):
    def __init__(self, source: "Source", ctx: _ModuleCtx):
        self.source = source
        self.ctx = ctx

    def get(self, name: str) -> Any:
        return self.ctx.output(name)


class _TypeNS(Lazy):
    """``aws_x`` (or ``data.aws_x``): ``.name`` gives the resource's instances."""

    def __init__(self, ctx: _ModuleCtx, mode: str, type_: str):
        self.ctx, self.mode, self.type = ctx, mode, type_

    def get(self, name: str) -> Any:
        ctx = self.ctx
        block = ctx.mod.resources.get((self.mode, self.type, name))
        base = ctx.prefix + ("data." if self.mode == "data" else "") + f"{self.type}.{name}"
        if block is None:
            raise NeedKnown(f"{base} (no block in the source)")
        snap = ctx.source.snapshot
        if "count" in block.attrs or "for_each" in block.attrs:
            insts = snap.instances_of(base) if snap is not None else []
            objs = {i.index: _InstObj(ctx, block, i.address, self.mode, self.type, name, i.index)
                    for i in insts}
            if "count" in block.attrs:
                return [objs[i] for i in sorted(k for k in objs if isinstance(k, int))]
            return {k: objs[k] for k in sorted(k for k in objs if isinstance(k, str))}
        return _InstObj(ctx, block, base, self.mode, self.type, name, None)


class _InstObj(Lazy):
    """One resource instance: what the plan knows, else a ``Ref`` to the attribute."""

    def __init__(self, ctx, block, address, mode, type_, name, index):
        self.ctx, self.block, self.address = ctx, block, address
        self.mode, self.type, self.name, self.index = mode, type_, name, index

    def get(self, attr: str) -> Any:
        snap = self.ctx.source.snapshot
        inst = snap.get(self.address) if snap is not None else None
        if inst is None:
            raise NeedKnown(f"{self.address} (not in the plan)")
        value = inst.get(attr, _MISSING)
        if isinstance(value, Redacted):
            return Unknown(f"{self.address}.{attr} (sensitive)")
        if value is _MISSING or isinstance(value, Unknown):
            if self.mode == "data" and self.type == DOCUMENT_DATA and attr in ("json", "minified_json"):
                return self.ctx.memo(("doc", self.address), lambda: render_policy_document(
                    self.block, self.ctx.env(**self.ctx.instance_scope(self.block, self.index))))
            return Ref(self.address, attr)
        if attr in JSON_ATTRIBUTES and isinstance(value, (dict, list)):
            return Encoded(value)  # a document this module already decoded from the source
        return value


_MISSING = object()


# -- data "aws_iam_policy_document" ----------------------------------------

def _expand(block, name: str, env: Env) -> list:
    """Nested blocks ``name`` and ``dynamic "name"`` blocks, each with its env."""
    out = [(b, env) for b in block.blocks.get(name, ())]
    for dyn in block.blocks.get("dynamic", ()):
        if not dyn.labels or dyn.labels[0] != name:
            continue
        iterator = name
        it_expr = dyn.attrs.get("iterator")
        if it_expr is not None and it_expr[0] == "var":
            iterator = it_expr[1]
        coll = known(evaluate(dyn.attrs.get("for_each", ("lit", None)), env))
        for content in dyn.blocks.get("content", ()):
            for k, v in _pairs(coll if not isinstance(coll, list) else coll):
                out.append((content, env.child(**{iterator: {"key": k if isinstance(coll, dict) else v,
                                                             "value": v}})))
    return out


def _one_or_list(values):
    values = known(values)
    if not isinstance(values, list):
        raise EvalError("a list is expected")
    if all(isinstance(v, str) for v in values):
        values = sorted(set(values))
    return values[0] if len(values) == 1 else values


def _documents(block, name: str, env: Env) -> list:
    if name not in block.attrs:
        return []
    docs = known(evaluate(block.attrs[name], env))
    if not isinstance(docs, list):
        raise NeedKnown(f"{name} of aws_iam_policy_document")
    return docs


def _doc_statements(doc: Any) -> list:
    """The statements of one policy document (JSON text, or decoded with markers)."""
    if isinstance(doc, Encoded):
        doc = doc.value
    doc = known(doc)
    if isinstance(doc, str):
        import json
        try:
            doc = json.loads(doc)
        except ValueError:
            raise NeedKnown("a policy document that is not JSON") from None
    st = doc.get("Statement") if isinstance(doc, dict) else None
    if st is None:
        raise NeedKnown("a policy document without statements")
    return [dict(x) if isinstance(x, dict) else x for x in (st if isinstance(st, list) else [st])]


def _merge_statement(statements: list, st: Any) -> None:
    sid = st.get("Sid") if isinstance(st, dict) else None
    if isinstance(sid, str) and sid:
        for i, other in enumerate(statements):
            if isinstance(other, dict) and other.get("Sid") == sid:
                statements[i] = st
                return
    statements.append(st)


def render_policy_document(block, env: Env) -> Any:
    """What the AWS provider's ``aws_iam_policy_document`` produces, as a decoded document."""
    for unsupported in ("source_json", "override_json", "policy_id"):
        if unsupported in block.attrs:
            return Unknown(f"{unsupported} of aws_iam_policy_document (not evaluated by pullguard)")
    try:
        version = evaluate(block.attrs.get("version", ("lit", "2012-10-17")), env)
        # the provider merges source documents first, then this block's statements, then the
        # override documents; a statement whose Sid is already there replaces that statement
        statements = []
        for doc in _documents(block, "source_policy_documents", env):
            statements += _doc_statements(doc)
        for st, senv in _expand(block, "statement", env):
            out: dict = {}
            a = st.attrs
            if "sid" in a:
                out["Sid"] = known(evaluate(a["sid"], senv))
            out["Effect"] = known(evaluate(a.get("effect", ("lit", "Allow")), senv)) or "Allow"
            for key, field in (("actions", "Action"), ("not_actions", "NotAction"),
                               ("resources", "Resource"), ("not_resources", "NotResource")):
                if key in a:
                    out[field] = _one_or_list(evaluate(a[key], senv))
            for key, field in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
                blocks = _expand(st, key, senv)
                if blocks:
                    prin: dict = {}
                    for pb, penv in blocks:
                        t = known(evaluate(pb.attrs.get("type", ("lit", None)), penv))
                        ids = known(evaluate(pb.attrs.get("identifiers", ("lit", [])), penv))
                        prev = prin.get(t)
                        merged = (prev if isinstance(prev, list) else [prev] if prev else []) + list(ids)
                        prin[t] = _one_or_list(merged)
                    out[field] = "*" if prin == {"*": "*"} else prin
            conds = _expand(st, "condition", senv)
            if conds:
                cond: dict = {}
                for cb, cenv in conds:
                    test = known(evaluate(cb.attrs.get("test", ("lit", None)), cenv))
                    var = known(evaluate(cb.attrs.get("variable", ("lit", None)), cenv))
                    vals = known(evaluate(cb.attrs.get("values", ("lit", [])), cenv))
                    cond.setdefault(test, {})[var] = vals[0] if isinstance(vals, list) and len(vals) == 1 else vals
                out["Condition"] = cond
            _merge_statement(statements, out)
        for doc in _documents(block, "override_policy_documents", env):
            for st in _doc_statements(doc):
                _merge_statement(statements, st)
        return Encoded({"Version": version, "Statement": statements})
    except NeedKnown as exc:
        return Unknown(exc.fact)


# -- the source -------------------------------------------------------------

class Source:
    def __init__(self, root_dir: Path, plan: dict, warnings: list):
        self.root_dir = root_dir
        self.plan_variables = plan.get("variables") if isinstance(plan.get("variables"), dict) else {}
        conf = plan.get("configuration") if isinstance(plan.get("configuration"), dict) else {}
        self.plan_modules = conf.get("root_module") if isinstance(conf.get("root_module"), dict) else {}
        self.warnings = warnings
        changes = plan.get("resource_changes")
        self.resource_changes = changes if isinstance(changes, list) else []
        self._sensitive: Optional[dict] = None
        self._missing: list = []
        self._missing_line: Optional[int] = None
        self.snapshot = None
        self.stack: list = []
        self.warned: set = set()
        self._modules_json: Optional[dict] = None
        self._ctx: dict = {}

    def warn(self, text: str) -> None:
        if text not in self.warned:
            self.warned.add(text)
            self.warnings.append(f"Terraform source: {text}")

    def module_ctx(self, path: str) -> Optional[_ModuleCtx]:
        if path in self._ctx:
            return self._ctx[path]
        if not path:  # the root module: parsed on the first value asked for
            root = load_module(self.root_dir)
            if root is None:
                self.warn(f"no .tf file in {self.root_dir}")
                self._ctx[path] = None
                return None
            for err in root.errors:
                self.warn(err)
            self._ctx[path] = _ModuleCtx(self, "", root)
            return self._ctx[path]
        steps = module_steps(path)
        parent_path = ".".join(f"module.{n}{k or ''}" for n, k in steps[:-1])
        parent = self.module_ctx(parent_path) if steps else None
        ctx = None
        if parent is not None and steps:
            name, raw_key = steps[-1]
            call = parent.mod.calls.get(name)
            directory = self._module_dir(parent, [n for n, _ in steps], call)
            mod = load_module(directory) if directory is not None else None
            if call is None:
                self.mismatch(path, parent.mod.directory)
            elif mod is None:
                where = f"in {directory}" if directory else "(not a local path, not in .terraform/modules/modules.json)"
                self.warn(f"no .tf file for {path} {where}: a registry or git module needs `terraform init`; "
                          "its values known after apply stay undecided")
            else:
                for err in mod.errors:
                    self.warn(err)
                ctx = _ModuleCtx(self, path, mod, parent, (name, call), _key_value(raw_key))
        self._ctx[path] = ctx
        return ctx

    def _module_dir(self, parent: _ModuleCtx, names: list, call) -> Optional[Path]:
        if self._modules_json is None:
            self._modules_json = modules_json(self.root_dir)
        found = self._modules_json.get(".".join(names))
        if found is not None:
            return found
        if call is None:
            return None
        src = call.attrs.get("source")
        text = src[1] if src is not None and src[0] == "lit" else None
        if isinstance(text, str) and text.startswith(("./", "../")):
            return (parent.mod.directory / text).resolve()
        return None

    def value(self, instance, attribute: str, snapshot) -> Any:
        # re-entrant: evaluating one value may read another resource's pending value (model.world.Pending)
        saved = self.snapshot, self.stack
        try:
            self.snapshot = snapshot
            self.stack = []
            return self._value(instance, attribute)
        except Exception:  # noqa: BLE001 - the plan alone decides; never crash a check
            return None
        finally:
            self.snapshot, self.stack = saved

    def value_at(self, instance, path: tuple, snapshot) -> Any:
        """Like ``value``, for an attribute inside nested blocks: ``("network_configuration", 0,
        "subnets")`` is ``subnets`` in the first ``network_configuration`` block (the plan marks such
        attributes unknown without asking the source). Blocks made by ``dynamic`` are followed when
        their for_each is known before apply (where written and dynamic blocks of one name mix, the
        written ones count first); JSON documents are not decoded here (None). Never raises."""
        saved = self.snapshot, self.stack
        try:
            self.snapshot = snapshot
            self.stack = []
            if len(path) < 2 or not isinstance(path[0], str) or self._sensitive_at(instance, path):
                return None
            ctx = self.module_ctx(instance.module or "")
            block = ctx.mod.resources.get((instance.mode, instance.type, instance.name)) if ctx else None
            if block is None:
                return None
            env = ctx.env(**ctx.instance_scope(block, instance.index))
            node, steps = block, list(path[:-1])
            while steps:
                name = steps.pop(0)
                index = steps.pop(0) if steps and isinstance(steps[0], int) else 0
                blocks = _expand(node, name, env) if isinstance(name, str) else None
                if not blocks or index >= len(blocks):
                    return None
                node, env = blocks[index]
            expr = node.attrs.get(path[-1]) if isinstance(path[-1], str) else None
            if expr is None:
                return None
            return _export(evaluate(expr, env), ".".join(map(str, path)))
        except Exception:  # noqa: BLE001 - the plan alone decides; never crash a check
            return None
        finally:
            self.snapshot, self.stack = saved

    def mismatch(self, address: str, directory) -> None:
        """One warning line for every resource of the plan the source has no block for."""
        if address in self._missing:
            return
        self._missing.append(address)
        text = (f"Terraform source: {address} has no block in the source in {directory}"
                if len(self._missing) == 1 else
                f"Terraform source: {len(self._missing)} resources or modules of the plan have no block in the source "
                f"(first: {self._missing[0]} in {directory})")
        text += " (source and plan do not match); their values known after apply stay undecided"
        if self._missing_line is None:
            self._missing_line = len(self.warnings)
            self.warnings.append(text)
        else:
            self.warnings[self._missing_line] = text

    def sensitive(self, inst, attribute: str) -> bool:
        """Secrets never enter the model: an attribute the plan marks sensitive, or one
        ``redact`` treats as secret by name, is not evaluated."""
        if attribute not in NOT_SECRET and (attribute in SECRET_BY_TYPE.get(inst.type, ())
                                            or SECRET_NAME.search(attribute)):
            return True
        if self._sensitive is None:
            self._sensitive = {}
            for rc in self.resource_changes:
                change = rc.get("change") if isinstance(rc, dict) else None
                mask = change.get("after_sensitive") if isinstance(change, dict) else None
                if isinstance(mask, dict) and mask:
                    self._sensitive[rc.get("address")] = mask
        return bool((self._sensitive.get(inst.address) or {}).get(attribute))

    def _sensitive_at(self, inst, path: tuple) -> bool:
        """``sensitive`` for a nested attribute: by the leaf's name, or the plan's mask along the path."""
        leaf = path[-1]
        if isinstance(leaf, str) and leaf not in NOT_SECRET and SECRET_NAME.search(leaf):
            return True
        if path[0] in SECRET_BY_TYPE.get(inst.type, ()):
            return True
        self.sensitive(inst, path[0])  # builds the masks
        mask: Any = (self._sensitive or {}).get(inst.address) or {}
        for step in path:
            if mask is True:
                return True
            if isinstance(mask, dict) and isinstance(step, str):
                mask = mask.get(step)
            elif isinstance(mask, list) and isinstance(step, int):
                mask = mask[step] if step < len(mask) else None
            else:
                return False
        return mask is True or (isinstance(mask, list) and True in mask)

    def _value(self, inst, attribute: str) -> Any:
        if self.sensitive(inst, attribute):
            return None
        ctx = self.module_ctx(inst.module or "")
        if ctx is None:
            return None
        block = ctx.mod.resources.get((inst.mode, inst.type, inst.name))
        if block is None:
            self.mismatch(inst.address, ctx.mod.directory)
            return None
        env = ctx.env(**ctx.instance_scope(block, inst.index))
        if inst.mode == "data" and inst.type == DOCUMENT_DATA and attribute in ("json", "minified_json"):
            value = render_policy_document(block, env)
        else:
            expr = block.attrs.get(attribute)
            if expr is None:
                return None
            value = evaluate(expr, env)
        return _export(value, attribute)


def _export(value: Any, attribute: str) -> Any:
    """The value for the model: JSON documents decoded when symbolic, nothing internal."""
    if isinstance(value, Encoded):
        if attribute not in JSON_ATTRIBUTES and attribute not in ("json", "minified_json"):
            return None
        value = value.value
        return _clean(value) if has_symbolic(value) else jsonencode_text(value)
    if isinstance(value, Partial) and attribute in JSON_ATTRIBUTES:
        try:
            value = decode_partial_json(value)  # a templatefile() of a JSON document
        except NeedKnown:
            return None
        return _clean(value)
    if isinstance(value, Unknown) or isinstance(value, Lazy):
        return None
    return _clean(value)


def _clean(v: Any) -> Any:
    if isinstance(v, Encoded):
        return Unknown("a JSON document known after apply")
    if isinstance(v, Lazy):
        return Unknown("a resource object")
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_clean(x) for x in v]
    return v


def load_source(config_dir: Optional[Path], plan: dict, warnings: list) -> Optional[Source]:
    """The root module's source: ``config_dir``, else the current directory when it holds
    ``.tf`` files; None (no source) otherwise. Missing source with ``config_dir`` warns."""
    explicit = config_dir is not None
    directory = Path(config_dir) if explicit else Path.cwd()
    if importlib.util.find_spec("hcl2") is None:
        if explicit:
            warnings.append("Terraform source: the hcl2 parser is not installed; values known after "
                            "apply stay undecided")
        return None
    try:
        has_tf = any(p.is_file() for p in directory.glob("*.tf"))
    except OSError:
        has_tf = False
    if not has_tf:
        if explicit:
            warnings.append(f"Terraform source: no .tf file in {directory}; values known after apply "
                            "stay undecided")
        return None
    return Source(directory.resolve(), plan if isinstance(plan, dict) else {}, warnings)
