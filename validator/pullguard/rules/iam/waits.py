"""Does resource X wait for resource Y?  Dependencies read from the plan's configuration.

Terraform orders resources by the references in their expressions and by
``depends_on`` (of the resource, and of every module call that contains it).
References are module-relative: ``aws_iam_role.exec.arn`` in ``module.svc`` is
``module.svc.aws_iam_role.exec``; ``var.x`` follows the module call's argument
into the parent; ``module.m.out`` follows the output into the child; ``module.m``
(in ``depends_on``) is every resource of that module.

Nodes are configuration addresses (no instance keys): ``(("svc",), "aws_iam_role.exec")``.
The plan JSON does not record what a ``local.*`` value references: the walk reads the local's
expression from the Terraform source when it was read (``parse.source``); without it, a walk
that crosses a local is *opaque* (``closure`` reports the locals it could not follow).
"""
from __future__ import annotations

from typing import Optional

from ...parse.references import module_steps, references_in
from ...model.world import strip_keys


def node_of(inst) -> tuple:
    mods = tuple(n for n, _ in module_steps(inst.module)) if inst.module else ()
    prefix = "data." if inst.mode == "data" else ""
    return mods, f"{prefix}{inst.type}.{inst.name}"


def _path(mods: tuple) -> str:
    return ".".join(f"module.{m}" for m in mods)


def _module(config, mods: tuple) -> Optional[dict]:
    return config.module_config(_path(mods)) if mods else config.root


def _call(config, mods: tuple) -> Optional[dict]:
    if not mods:
        return None
    parent = _module(config, mods[:-1]) or {}
    calls = parent.get("module_calls") if isinstance(parent, dict) else None
    call = calls.get(mods[-1]) if isinstance(calls, dict) else None
    return call if isinstance(call, dict) else None


def _refs_of(node_expr) -> list:
    return references_in(node_expr)


def _all_resources(config, mods: tuple) -> list:
    out = []
    mod = _module(config, mods) or {}
    for res in mod.get("resources") or ():
        if isinstance(res, dict) and res.get("type") and res.get("name"):
            prefix = "data." if res.get("mode") == "data" else ""
            out.append((mods, f"{prefix}{res['type']}.{res['name']}"))
    for name in (mod.get("module_calls") or {}):
        out += _all_resources(config, mods + (name,))
    return out


def _local_expression(config, mods: tuple, name: str):
    """The source expression (``parse.hcl_expr`` AST) of ``local.<name>`` in module ``mods``, when
    the Terraform source was read; None otherwise."""
    source = getattr(config, "source", None)
    if source is None:
        return None
    try:
        ctx = source.module_ctx(_path(mods))
    except Exception:  # noqa: BLE001 - no source answer: the local stays opaque
        return None
    return ctx.mod.locals.get(name) if ctx is not None else None


_AST_KINDS = frozenset(("lit", "tmpl", "var", "attr", "index", "splat", "call", "list", "obj", "forl", "form",
                        "cond", "bin", "not", "neg", "unsup"))


def _traversal(n) -> bool:
    """A ``var``/``attr``/``index``/``splat`` node (template parts can look alike: checked by shape)."""
    if not isinstance(n, tuple) or not n:
        return False
    if n[0] == "var":
        return len(n) == 2 and isinstance(n[1], str)
    if n[0] == "attr":
        return len(n) == 3 and isinstance(n[1], tuple) and isinstance(n[2], str)
    if n[0] in ("index", "splat"):
        return len(n) == 3 and isinstance(n[1], tuple) and (n[0] == "index" or isinstance(n[2], tuple))
    return False


def ast_references(node) -> list:
    """Traversals an HCL expression AST refers to, as dotted text without index keys
    (``aws_iam_role.x.arn``, ``local.y``, ``module.m.out``, ``var.v``)."""
    out: list = []

    def chain(n):
        names = []
        while _traversal(n) and n[0] != "var":
            if n[0] == "attr":
                names.append(n[2])
            elif n[0] == "index":
                walk(n[2])
            else:  # splat: (kind, arg) operations after the [*]
                for kind, arg in n[2]:
                    if kind != "attr":
                        walk(arg)
                names = []  # what follows [*] applies to each element: the base is the reference
            n = n[1]
        if _traversal(n):
            out.append(".".join([n[1]] + names[::-1]))
            return
        walk(n)

    def walk(n):
        if isinstance(n, tuple) and len(n) >= 2 and n[0] in _AST_KINDS:
            if _traversal(n):
                chain(n)
                return
            if n[0] in ("lit", "unsup") and not isinstance(n[1], tuple):
                return
            for child in n[1:]:
                walk(child)
        elif isinstance(n, (list, tuple)):
            for child in n:
                walk(child)

    walk(node)
    return out


class Closure:
    """Everything a set of resources waits for (transitively)."""

    def __init__(self, config):
        self.config = config
        self.nodes: set = set()
        self.opaque: set = set()   # locals whose references are not recorded
        self._seen_refs: set = set()

    def add(self, node: tuple) -> None:
        stack = [node]
        while stack:
            n = stack.pop()
            if n in self.nodes:
                continue
            self.nodes.add(n)
            mods, addr = n
            parts = addr.split(".")
            mode = "data" if parts[0] == "data" else "managed"
            type_, name = (parts[1], parts[2]) if mode == "data" else (parts[0], parts[1])
            res = self.config.resource_config(_path(mods), mode, type_, name) or {}
            refs = _refs_of(res.get("expressions")) + _refs_of(res.get("count_expression")) \
                + _refs_of(res.get("for_each_expression")) + list(res.get("depends_on") or ())
            for m in range(len(mods), 0, -1):  # module calls' depends_on apply to everything inside
                call = _call(self.config, mods[:m]) or {}
                for r in call.get("depends_on") or ():
                    stack += self._resolve(r, mods[:m - 1])
            for r in refs:
                stack += self._resolve(r, mods)

    def _resolve(self, ref: str, mods: tuple) -> list:
        key = (ref, mods)
        if key in self._seen_refs:
            return []
        self._seen_refs.add(key)
        ref = strip_keys(ref)
        parts = ref.split(".")
        head = parts[0]
        if head in ("count", "each", "path", "terraform", "self"):
            return []
        if head == "local":
            expr = _local_expression(self.config, mods, parts[1]) if len(parts) >= 2 else None
            if expr is None:
                self.opaque.add(f"{_path(mods) + '.' if mods else ''}{'.'.join(parts[:2])}")
                return []
            out = []
            for r in ast_references(expr):
                out += self._resolve(r, mods)
            return out
        if head == "var":
            if not mods or len(parts) < 2:
                return []
            call = _call(self.config, mods) or {}
            expr = (call.get("expressions") or {}).get(parts[1])
            out: list = []
            for r in _refs_of(expr):
                out += self._resolve(r, mods[:-1])
            return out
        if head == "module":
            if len(parts) < 2:
                return []
            child = mods + (parts[1],)
            if len(parts) == 2:
                return _all_resources(self.config, child)
            mod = _module(self.config, child) or {}
            output = (mod.get("outputs") or {}).get(parts[2])
            if not isinstance(output, dict):
                return _all_resources(self.config, child)
            out = []
            for r in _refs_of(output.get("expression")) + list(output.get("depends_on") or ()):
                out += self._resolve(r, child)
            return out
        if head == "data" and len(parts) >= 3:
            return [(mods, f"data.{parts[1]}.{parts[2]}")]
        if len(parts) >= 2:
            return [(mods, f"{parts[0]}.{parts[1]}")]
        return []


def closure_of(snapshot, instances) -> Optional[Closure]:
    config = snapshot.config
    if config is None or not getattr(config, "root", None):
        return None
    c = Closure(config)
    for inst in instances:
        c.add(node_of(inst))
    return c
