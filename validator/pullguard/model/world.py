"""The world before and after apply, as rules see it.

A ``World`` holds two ``Snapshot``s: ``prior`` (what is deployed now, from the
plan's prior state) and ``planned`` (what will exist after apply). Each maps
resource instance addresses to ``Instance`` objects whose ``values`` are the
attribute values, with ``Unknown``/``Ref`` markers where Terraform knows a value
only after apply and ``Redacted`` where the value is sensitive.

This package imports nothing from ``pullguard.rules``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from ..values import Unknown


@dataclass(slots=True, eq=False)
class Instance:
    """One resource instance (managed or data) in one snapshot."""

    address: str          # full address: module.a["x"].aws_iam_role.exec[0]
    module: str           # module instance path: module.a["x"] ("" for root)
    mode: str             # "managed" | "data"
    type: str
    name: str
    index: Any            # count index (int), for_each key (str) or None
    provider: str         # provider configuration key, e.g. "aws", "aws.west"
    region: Optional[str]
    action: str           # create | update | replace | delete | no-op | read
    values: dict

    @property
    def config_address(self) -> str:
        """Address without instance keys: module.a.aws_iam_role.exec."""
        return strip_keys(self.address)

    @property
    def resource_address(self) -> str:
        """Address without this instance's own index (module keys kept)."""
        base = f"{self.module}." if self.module else ""
        prefix = "data." if self.mode == "data" else ""
        return f"{base}{prefix}{self.type}.{self.name}"

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key, default)
        if type(value) is Pending:
            value = value.settle(self.values, key)
        return value

    def settled(self) -> dict:
        """``values`` with every pending attribute worked out (for code that walks the dict)."""
        for key, value in list(self.values.items()):
            if type(value) is Pending:
                value.settle(self.values, key)
        return self.values


class Pending(Unknown):
    """An attribute unknown until apply whose value the Terraform source or a reference may tell:
    worked out on first read (``Instance.get``), since rules read few of the thousands a plan has.
    Read raw (``inst.values[key]``) it is just ``Unknown``."""

    __slots__ = ("resolve", "key", "busy")

    def __init__(self, fact: str, resolve, key: str):
        setattr_ = object.__setattr__  # frozen like Unknown; tens of thousands are made per plan
        setattr_(self, "fact", fact)
        setattr_(self, "resolve", resolve)
        setattr_(self, "key", key)
        setattr_(self, "busy", False)

    def settle(self, values: dict, key: str) -> Any:
        if self.busy:  # a value whose expression leads back to itself: it stays unknown
            return Unknown(self.fact)
        object.__setattr__(self, "busy", True)
        try:
            value = self.resolve(self.key) or Unknown(self.fact)
        finally:
            object.__setattr__(self, "busy", False)
        values[key] = value
        return value


class Snapshot:
    """All resource instances of one side of the plan, indexed for rules."""

    def __init__(self, name: str, instances: dict[str, Instance]):
        self.name = name
        self.instances = instances
        self._by_type: dict[str, list[Instance]] = {}
        for inst in instances.values():
            self._by_type.setdefault(inst.type, []).append(inst)
        self._by_resource: Optional[dict[str, list[Instance]]] = None
        self.cache: dict = {}  # derived views (task definitions, role policies...) built once
        self.account_id: Optional[str] = None   # the account, when the plan names exactly one
        self.config: Any = None                 # parse.references.ConfigIndex (references, depends_on)
        self.prior: Optional["Snapshot"] = None  # on the planned side: what is deployed now (deletions)
        self.tf_source: Any = None              # parse.source.Source (values inside nested blocks), or None

    def __contains__(self, address: str) -> bool:
        return address in self.instances

    def __len__(self) -> int:
        return len(self.instances)

    def get(self, address: str) -> Optional[Instance]:
        return self.instances.get(address)

    def of_type(self, *types: str, mode: str = "managed") -> Iterator[Instance]:
        for t in types:
            for inst in self._by_type.get(t, ()):
                if inst.mode == mode:
                    yield inst

    def instances_of(self, resource_address: str) -> list[Instance]:
        """All instances of a resource (``aws_iam_role.exec`` → [exec[0], exec[1]])."""
        if self._by_resource is None:
            self._by_resource = {}
            for inst in self.instances.values():
                self._by_resource.setdefault(inst.resource_address, []).append(inst)
        return self._by_resource.get(resource_address, [])


@dataclass
class World:
    planned: Snapshot
    prior: Snapshot
    format_version: str
    terraform_version: Optional[str]
    source: str
    account_ids: frozenset = frozenset()
    warnings: list = field(default_factory=list)
    # Terraform configuration, kept for reference resolution and dependency questions
    config: Any = field(default=None, repr=False)
    # sensitive strings, only to scrub reports (parse.redact.SecretStrings); never printed
    secrets: Any = field(default=None, repr=False)

    @property
    def account_id(self) -> Optional[str]:
        """The account, when the plan names exactly one."""
        return next(iter(self.account_ids)) if len(self.account_ids) == 1 else None


def strip_keys(address: str) -> str:
    """Remove instance keys: ``module.a["x"].r.n[0]`` → ``module.a.r.n``."""
    out, depth, quote = [], 0, False
    for ch in address:
        if quote:
            if ch == '"':
                quote = False
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth:
            if ch == '"':
                quote = True
        else:
            out.append(ch)
    return "".join(out)
