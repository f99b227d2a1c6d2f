"""Build the ``World`` (prior and planned snapshots) from plan JSON.

Sources, by plan section:
* ``resource_changes``: actions, ``before``/``after``, ``after_unknown``,
  ``before_sensitive``/``after_sensitive`` for every changed (and, in newer
  formats, unchanged) resource instance.
* ``planned_values`` / ``prior_state``: instances missing from
  ``resource_changes`` (older formats omit no-ops; data sources read at plan
  time live in ``prior_state``).
* ``configuration``: references, to tie an unknown value to the resource it
  will come from (see ``references.py``), and provider regions.

Sensitive values never enter the model: they are replaced by ``Redacted`` at
this boundary, keeping only a shape summary (see ``redact.py``).
"""
from __future__ import annotations

import re
from functools import partial
from typing import Any, Optional

from ..values import Unknown
from ..model.world import Instance, Pending, Snapshot, World
from .load import LoadedPlan
from .redact import SecretStrings, collect_strings, redact
from .references import ConfigIndex

ACCOUNT_IN_ARN = re.compile(r"^arn:aws[\w-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):")
REGION_IN_ARN = re.compile(r"^arn:aws[\w-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d):")


def _action(actions) -> str:
    acts = [a for a in (actions or ()) if a != "forget"] if actions else []
    if not acts:
        return "forget" if actions else "no-op"
    if len(acts) == 1:
        return {"noop": "no-op"}.get(acts[0], acts[0])
    if set(acts) == {"delete", "create"}:
        return "replace"
    return "-".join(acts)


def _module_of(address: str, type_: str, name: str, mode: str) -> str:
    """``module.a["x"].aws_x.y[0]`` → ``module.a["x"]``."""
    marker = ("data." if mode == "data" else "") + f"{type_}.{name}"
    cut = address.rfind(marker)
    if cut <= 0:
        return ""
    return address[: cut - 1]


def _walk_modules(module: Optional[dict]):
    if not isinstance(module, dict):
        return
    yield module
    for child in module.get("child_modules") or ():
        yield from _walk_modules(child)


def _values_instances(section: Optional[dict]):
    if not isinstance(section, dict):
        return
    for module in _walk_modules(section.get("root_module")):
        for res in module.get("resources") or ():
            if isinstance(res, dict) and "address" in res:
                yield res


def _overlay_unknown(values: dict, unknown: Any, fact_prefix: str, resolve) -> dict:
    """Put markers where ``after_unknown`` is true (values omit those keys)."""
    if not isinstance(unknown, dict):
        return values
    for key, mark in unknown.items():
        if mark is True:  # worked out when a rule first reads it (model.world.Pending)
            values[key] = Pending(f"{fact_prefix}.{key}", resolve, key)
        elif isinstance(mark, (dict, list)) and mark and _has_true(mark):
            values[key] = _overlay_nested(values.get(key), mark, f"{fact_prefix}.{key}")
    return values


def _has_true(mask) -> bool:
    if mask is True:
        return True
    if isinstance(mask, dict):
        return any(_has_true(v) for v in mask.values())
    if isinstance(mask, list):
        return any(_has_true(v) for v in mask)
    return False


def _overlay_nested(value, mask, fact):
    if mask is True:
        return Unknown(fact)
    if isinstance(mask, dict):
        out = dict(value) if isinstance(value, dict) else {}
        for k, m in mask.items():
            if _has_true(m):
                out[k] = _overlay_nested(out.get(k), m, f"{fact}.{k}")
        return out
    if isinstance(mask, list):
        out = list(value) if isinstance(value, list) else []
        while len(out) < len(mask):
            out.append(None)
        for i, m in enumerate(mask):
            if _has_true(m):
                out[i] = _overlay_nested(out[i], m, f"{fact}[{i}]")
        return out
    return value


class _Builder:
    def __init__(self, loaded: LoadedPlan, source=None):
        self.plan = loaded.data
        self.source = source
        self.config = ConfigIndex(self.plan.get("configuration"), self.plan.get("variables"))
        self.config.source = source  # the plan does not record what locals reference; the source does
        self.accounts: set = set()
        self.secrets: set = set()
        self._sensitive_variables()

    def _sensitive_variables(self) -> None:
        """Values of root variables declared sensitive (the plan holds them in clear text)."""
        conf = self.plan.get("configuration")
        root = conf.get("root_module") if isinstance(conf, dict) else None
        declared = root.get("variables") if isinstance(root, dict) else None
        values = self.plan.get("variables")
        if not isinstance(declared, dict) or not isinstance(values, dict):
            return
        for name, decl in declared.items():
            if isinstance(decl, dict) and decl.get("sensitive") and isinstance(values.get(name), dict):
                collect_strings(values[name].get("value"), self.secrets)

    def region_for(self, module: str, provider_key: Optional[str], values: dict) -> Optional[str]:
        arn = values.get("arn")
        if isinstance(arn, str):
            m = REGION_IN_ARN.match(arn)
            if m:
                return m.group(1)
        region = values.get("region")  # provider 6 has a per-resource region
        if isinstance(region, str) and region:
            return region
        return self.config.provider_region(module, provider_key)

    def note_account(self, values: dict) -> None:
        for key in ("arn", "account_id", "owner_id"):
            v = values.get(key)
            if isinstance(v, str):
                if key == "arn":
                    m = ACCOUNT_IN_ARN.match(v)
                    if m:
                        self.accounts.add(m.group(1))
                elif len(v) == 12 and v.isdigit() and key == "account_id":
                    self.accounts.add(v)

    def make(self, rc: dict, values: dict, action: str) -> Instance:
        address = rc["address"]
        mode = rc.get("mode", "managed")
        type_ = rc.get("type", "")
        name = rc.get("name", "")
        module = rc.get("module_address")
        if module is None:
            module = _module_of(address, type_, name, mode)
        provider_key = self.config.provider_key(module, mode, type_, name)
        if mode == "data" and type_ == "aws_caller_identity" and isinstance(values.get("account_id"), str):
            self.accounts.add(values["account_id"])
        self.note_account(values)
        return Instance(
            address=address, module=module, mode=mode, type=type_, name=name,
            index=rc.get("index"), provider=provider_key or "aws",
            region=self.region_for(module, provider_key, values),
            action=action, values=values,
        )

    def build(self, source: str, format_version: str, warnings: list) -> World:
        planned: dict[str, Instance] = {}
        prior: dict[str, Instance] = {}
        pending_refs: list = []
        for rc in self.plan.get("resource_changes") or ():
            if not isinstance(rc, dict) or not isinstance(rc.get("change"), dict) or "address" not in rc:
                continue
            if rc.get("deposed"):
                continue  # a deposed object is on its way out; the current one is what counts
            change = rc["change"]
            action = _action(change.get("actions"))
            before, after = change.get("before"), change.get("after")
            if isinstance(before, dict):
                vals = redact(dict(before), change.get("before_sensitive"), rc.get("type", ""), self.secrets)
                prior[rc["address"]] = self.make(rc, vals, "no-op" if action == "read" else action)
            if action in ("delete", "forget"):
                continue
            if isinstance(after, dict) or change.get("after_unknown"):
                vals = redact(dict(after) if isinstance(after, dict) else {}, change.get("after_sensitive"),
                              rc.get("type", ""), self.secrets)
                inst = self.make(rc, vals, action)
                unknown = change.get("after_unknown")
                if isinstance(unknown, dict) and unknown:
                    pending_refs.append((inst, unknown))
                planned[rc["address"]] = inst
        for res in _values_instances(self.plan.get("planned_values")):
            addr = res["address"]
            if addr in planned or self._changed(addr):
                continue  # resource_changes already said what happens to it
            vals = redact(dict(res.get("values") or {}), res.get("sensitive_values"), res.get("type", ""),
                          self.secrets)
            planned[addr] = self.make(res, vals, "read" if res.get("mode") == "data" else "no-op")
        prior_state = self.plan.get("prior_state")
        if isinstance(prior_state, dict):
            prior_state = prior_state.get("values", prior_state)
        for res in _values_instances(prior_state):
            addr = res["address"]
            if addr in prior and res.get("mode") != "data":
                continue
            vals = redact(dict(res.get("values") or {}), res.get("sensitive_values"), res.get("type", ""),
                          self.secrets)
            inst = self.make(res, vals, "no-op" if res.get("mode") != "data" else "read")
            prior.setdefault(addr, inst)
            if res.get("mode") == "data":
                # data sources read during planning are part of the planned world too
                if addr not in planned or not planned[addr].values:
                    planned[addr] = inst
            elif addr not in planned and not self._changed(addr):
                planned[addr] = inst  # old formats omit unchanged resources
        planned_snap = Snapshot("planned", planned)
        for inst, unknown in pending_refs:
            _overlay_unknown(inst.values, unknown, inst.address, partial(self.resolve_unknown, inst,
                                                                         snapshot=planned_snap))
        if self.source is not None:
            # with the Terraform source, values are worked out now: what the source reader finds wrong
            # (a plan and source that do not match) is a warning of loading, not of some later rule
            for inst, _ in pending_refs:
                inst.settled()
        world = World(
            planned=planned_snap,
            prior=Snapshot("prior", prior),
            format_version=format_version,
            terraform_version=self.plan.get("terraform_version"),
            source=source,
            account_ids=frozenset(self.accounts),
            warnings=list(warnings),
            config=self.config,
            secrets=SecretStrings(self.secrets),
        )
        for snap in (world.planned, world.prior):
            snap.account_id = world.account_id
            snap.config = self.config
        world.planned.prior = world.prior  # rules on the planned side can see what the plan deletes
        return world

    def resolve_unknown(self, inst: Instance, key: str, snapshot: Snapshot):
        """What an attribute unknown until apply will be: from the Terraform source when it is
        read, else a ``Ref`` when its expression references exactly one resource attribute."""
        if self.source is not None:
            value = self.source.value(inst, key, snapshot)
            if value is not None:
                return value
        return self.config.resolve_attribute(inst, key, snapshot)

    def _changed(self, address: str) -> bool:
        if not hasattr(self, "_rc_addrs"):
            self._rc_addrs = {rc.get("address") for rc in self.plan.get("resource_changes") or ()
                              if isinstance(rc, dict)}
        return address in self._rc_addrs


def build_world(loaded: LoadedPlan, source=None) -> World:
    """The model of one plan (and its Terraform source, when given: ``parse.source``).
    The plan's JSON is not kept beyond what rules need."""
    return _Builder(loaded, source).build(loaded.source, loaded.format_version, loaded.warnings)
