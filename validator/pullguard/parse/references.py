"""The plan's ``configuration`` section: references, module calls, providers.

Terraform's plan JSON does not hold the expressions themselves, only the
references each one makes. When a value is unknown until apply and its
expression references exactly one attribute of one resource (after following
``var.*`` through module calls and ``module.*`` outputs into child modules),
the value *is* that attribute: ``execution_role_arn`` referencing
``aws_iam_role.exec.arn`` becomes ``Ref("aws_iam_role.exec", "arn")``.

Only identifier-like attributes (``*arn``, ``*id``, ``*name`` and a few named
ones such as ``role`` or ``task_definition``) are tied this way: a document
such as ``container_definitions = jsonencode({...})`` may reference a single
ARN and still not *be* that ARN. Policy documents (``policy``,
``assume_role_policy``) are tied only to another document: a
``data.aws_iam_policy_document``'s ``json`` or an ``aws_iam_policy``'s ``policy``.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from ..values import Ref

MODULE_STEP = re.compile(r'module\.([A-Za-z0-9_-]+)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?')
RESOURCE_REF = re.compile(
    r'^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?(?:\.([A-Za-z0-9_-]+))?'
)
INDEX_WORDS = ("count.index", "each.key", "each.value")
MAX_DEPTH = 16


# attributes that hold one identifier although their names do not say so
IDENTIFIER_ATTRIBUTES = frozenset({
    "role", "policy_arn", "permissions_boundary", "cluster", "task_definition", "repository",
    "secret_id", "kms_key_id", "key_id", "target_key_id", "log_group", "bucket",
})
DOCUMENT_ATTRIBUTES = frozenset({"policy", "assume_role_policy"})
DOCUMENT_SOURCES = frozenset({"json", "minified_json", "policy"})


def refable(attribute: str) -> bool:
    return (attribute == "arn" or attribute.endswith(("_arn", "_id", "id", "name"))
            or attribute in IDENTIFIER_ATTRIBUTES or attribute in DOCUMENT_ATTRIBUTES)


def module_steps(module_path: str) -> list[tuple[str, Optional[str]]]:
    """``module.a["x"].module.b`` → [("a", '["x"]'), ("b", None)]."""
    return [(m.group(1), m.group(2)) for m in MODULE_STEP.finditer(module_path or "")]


def _key_value(raw: Optional[str]):
    if raw is None:
        return None
    inner = raw[1:-1]
    if inner.startswith('"'):
        return inner[1:-1].replace('\\"', '"')
    return int(inner)


def _key_text(index) -> str:
    if index is None:
        return ""
    if isinstance(index, int):
        return f"[{index}]"
    return '["' + str(index).replace('"', '\\"') + '"]'


def reduce_refs(refs) -> list[str]:
    """Drop index words and references that are prefixes of longer ones."""
    refs = [r for r in refs if isinstance(r, str) and r not in INDEX_WORDS and not r.startswith("each.")]
    return [r for r in refs if not any(o != r and (o.startswith(r + ".") or o.startswith(r + "[")) for o in refs)]


class ConfigIndex:
    """Navigates ``configuration`` by module path."""

    def __init__(self, configuration: Optional[dict], variables: Optional[dict]):
        self.raw = configuration if isinstance(configuration, dict) else {}
        self.root = self.raw.get("root_module") if isinstance(self.raw.get("root_module"), dict) else {}
        self.providers = self.raw.get("provider_config") if isinstance(self.raw.get("provider_config"), dict) else {}
        self.variables = variables if isinstance(variables, dict) else {}
        self._resources: dict[tuple, dict] = {}  # module names -> {(mode, type, name): config}
        self._modules: dict[tuple, Optional[dict]] = {(): self.root}

    # -- navigation -------------------------------------------------------
    def module_config(self, module_path: str) -> Optional[dict]:
        names = tuple(n for n, _ in module_steps(module_path))
        if names in self._modules:
            return self._modules[names]
        mod = self.root
        for n in names:
            calls = mod.get("module_calls") if isinstance(mod, dict) else None
            call = calls.get(n) if isinstance(calls, dict) else None
            mod = call.get("module") if isinstance(call, dict) else None
            if mod is None:
                break
        self._modules[names] = mod
        return mod

    def resource_config(self, module_path: str, mode: str, type_: str, name: str) -> Optional[dict]:
        names = tuple(n for n, _ in module_steps(module_path)) if module_path else ()
        index = self._resources.get(names)
        if index is None:  # one dict per module, built on first use
            index = {}
            for res in (self.module_config(module_path) or {}).get("resources") or ():
                if isinstance(res, dict):
                    index.setdefault((res.get("mode", "managed"), res.get("type"), res.get("name")), res)
            self._resources[names] = index
        return index.get((mode, type_, name))

    def expression(self, module_path: str, mode: str, type_: str, name: str, attribute: str) -> Optional[dict]:
        res = self.resource_config(module_path, mode, type_, name)
        exprs = res.get("expressions") if isinstance(res, dict) else None
        expr = exprs.get(attribute) if isinstance(exprs, dict) else None
        return expr if isinstance(expr, dict) else None

    # -- providers ---------------------------------------------------------
    def provider_key(self, module_path: str, mode: str, type_: str, name: str) -> Optional[str]:
        res = self.resource_config(module_path, mode, type_, name)
        return res.get("provider_config_key") if isinstance(res, dict) else None

    def provider_region(self, module_path: str, key: Optional[str]) -> Optional[str]:
        for cand in (key, (key or "").split(":")[-1], "aws"):
            cfg = self.providers.get(cand) if cand else None
            if isinstance(cfg, dict):
                expr = (cfg.get("expressions") or {}).get("region")
                region = self._constant(expr)
                if region:
                    return region
        return None

    def _constant(self, expr) -> Optional[str]:
        if not isinstance(expr, dict):
            return None
        if isinstance(expr.get("constant_value"), str):
            return expr["constant_value"]
        refs = reduce_refs(expr.get("references") or ())
        if len(refs) == 1 and refs[0].startswith("var."):
            var = self.variables.get(refs[0][4:])
            if isinstance(var, dict) and isinstance(var.get("value"), str):
                return var["value"]
        return None

    # -- unknown values ----------------------------------------------------
    def resolve_attribute(self, inst, attribute: str, snapshot) -> Optional[Ref]:
        """The ``Ref`` an unknown attribute of ``inst`` stands for, if any."""
        if not refable(attribute):
            return None
        expr = self.expression(inst.module, inst.mode, inst.type, inst.name, attribute)
        ref = self.resolve_expression(expr, inst.module, inst.index, snapshot)
        if ref is not None and attribute in DOCUMENT_ATTRIBUTES and ref.attribute not in DOCUMENT_SOURCES:
            return None  # jsonencode({... one ARN ...}) is a document, not that ARN
        return ref

    def resolve_expression(self, expr, module_path: str, index, snapshot, depth: int = 0) -> Optional[Ref]:
        if not isinstance(expr, dict) or depth > MAX_DEPTH:
            return None
        raw = expr.get("references")
        if not raw:
            return None
        uses_index = any(r in INDEX_WORDS or str(r).startswith("each.") for r in raw)
        refs = reduce_refs(raw)
        if len(refs) != 1:
            return None
        ref = refs[0]
        if ref.startswith("var."):
            return self._through_variable(ref[4:].split(".")[0].split("[")[0], module_path, snapshot, depth)
        if ref.startswith("module."):
            return self._through_output(ref, module_path, index if uses_index else None, snapshot, depth)
        if ref.startswith(("local.", "path.", "terraform.", "self.")):
            return None
        return self._resource_ref(ref, module_path, index if uses_index else None, snapshot)

    def _through_variable(self, var: str, module_path: str, snapshot, depth: int) -> Optional[Ref]:
        steps = module_steps(module_path)
        if not steps:
            return None  # root variables are known at plan time
        parent_path = ".".join(f"module.{n}{k or ''}" for n, k in steps[:-1])
        call_name, call_key = steps[-1]
        parent = self.module_config(parent_path)
        call = ((parent or {}).get("module_calls") or {}).get(call_name)
        expr = ((call or {}).get("expressions") or {}).get(var)
        return self.resolve_expression(expr, parent_path, _key_value(call_key), snapshot, depth + 1)

    def _through_output(self, ref: str, module_path: str, index, snapshot, depth: int) -> Optional[Ref]:
        m = MODULE_STEP.match(ref)
        rest = ref[m.end():]
        if not rest.startswith("."):
            return None
        output = rest[1:].split(".")[0].split("[")[0]
        key = m.group(2) if m.group(2) is not None else (_key_text(index) if index is not None else "")
        child_path = (module_path + "." if module_path else "") + f"module.{m.group(1)}{key}"
        child = self.module_config(child_path)
        out = ((child or {}).get("outputs") or {}).get(output)
        expr = out.get("expression") if isinstance(out, dict) else None
        return self.resolve_expression(expr, child_path, None, snapshot, depth + 1)

    def _resource_ref(self, ref: str, module_path: str, index, snapshot) -> Optional[Ref]:
        m = RESOURCE_REF.match(ref)
        if not m or not m.group(5):
            return None
        data, type_, name, key, attribute = m.groups()
        base = (module_path + "." if module_path else "") + (data or "") + f"{type_}.{name}"
        if key is not None:
            address = base + key
        else:
            instances = snapshot.instances_of(base) if snapshot is not None else []
            if index is not None and any(i.index == index for i in instances):
                address = base + _key_text(index)
            elif len(instances) == 1:
                address = instances[0].address
            elif not instances:
                address = base
            else:
                return None
        return Ref(address, attribute)

    # -- dependencies (for "does X wait for Y") ---------------------------
    def depends_on(self, module_path: str, mode: str, type_: str, name: str) -> tuple:
        res = self.resource_config(module_path, mode, type_, name)
        return tuple((res or {}).get("depends_on") or ())

    def all_references(self, module_path: str, mode: str, type_: str, name: str) -> set:
        res = self.resource_config(module_path, mode, type_, name)
        return set(references_in((res or {}).get("expressions")))


def references_in(node: Any) -> list:
    """Every reference string anywhere in a configuration expression tree, in order."""
    found: list = []

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            refs = x.get("references")
            if isinstance(refs, list):
                found.extend(r for r in refs if isinstance(r, str))
            for v in x.values():
                if isinstance(v, (dict, list)):
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(node)
    return found
