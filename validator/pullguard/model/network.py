"""The network path of each ECS service's tasks: a derived view for the PG5xx and PG6xx rules.

For every ``aws_ecs_service`` this module works out, once per snapshot:

* its task definition (``task_definition`` as a ``Ref``, an ARN, ``family:revision`` or ``family``);
* whether it runs on Fargate (``launch_type`` or the capacity providers);
* its ``network_configuration``: subnets, security groups, ``assign_public_ip``;
* per subnet: the route table (explicit association, else the VPC's main route table), the target of
  its ``0.0.0.0/0`` route (NAT gateway, NAT instance, transit gateway, internet gateway, nothing);
* the VPC endpoints the task can use (interface endpoints of the VPC with private DNS, S3 gateway
  endpoints on the subnet's route table) and what the task needs (ECR, Secrets Manager, SSM, logs);
* the security groups' egress rules.

Every link that is not in the plan, or is known only after apply, becomes a named missing fact.
When a value is unknown, the configuration's references say which resources it is made of (e.g.
``subnets = [aws_subnet.private["a"].id]``); a reference to a counted resource without an index
(``aws_subnet.private[*].id``) means all its instances.

The path rules (PG501-PG504) read one verdict per service and rule from ``service_networks``: the
reasoning about which rule explains a missing path lives here, so one root cause gives one finding.
"""
from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from ..evaluate.iam_glob import compile_pattern, match
from ..evaluate.image import InvalidImage, parse_image
from ..evaluate.secret_access import container_secrets
from ..parse.references import INDEX_WORDS, MODULE_STEP, RESOURCE_REF, module_steps
from ..values import Partial, Redacted, Ref, Unknown, is_known
from .arns import partition
from .ecs import TaskDefinition, task_definitions
from .world import Instance, Snapshot

PASS, FAIL, UNDECIDED = "pass", "fail", "undecided"
PATH_RULES = ("PG501", "PG502", "PG503", "PG504")
INTERNET = "0.0.0.0/0"
PRIVATE_NETS = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                                        "100.64.0.0/10"))
FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")
# China regions name most endpoint services cn.com.amazonaws.<region>.<service>
ENDPOINT_SERVICE = re.compile(r"^(?:cn\.)?(?:com\.amazonaws|aws\.api)\.([a-z0-9-]+)\.(.+)$")
ECR_ENDPOINTS = ("ecr.api", "ecr.dkr", "s3")
WHY_NEEDED = {
    "ecr.api": "the ECR API (authorization token)",
    "ecr.dkr": "the ECR registry (image manifest)",
    "s3": "Amazon S3 (ECR image layers)",
    "secretsmanager": "Secrets Manager",
    "ssm": "SSM Parameter Store",
    "logs": "CloudWatch Logs (awslogs)",
}


# ---------------------------------------------------------------------------------------------
# following links between resources
# ---------------------------------------------------------------------------------------------
@dataclass
class Link:
    """What one attribute points at: instances of the plan, ids outside it, or a missing fact."""

    instances: list = field(default_factory=list)   # Instance
    outside: list = field(default_factory=list)     # known ids that are not in the plan
    missing: Optional[str] = None                   # cannot tell (the fact)
    # found through the configuration's references to several resources: the expression may pick
    # only some of them (``cond ? aws_subnet.a.id : aws_subnet.b.id``)
    several: bool = False

    @property
    def known(self) -> bool:
        return self.missing is None


def _cached(snapshot: Snapshot, key: Any, build) -> Any:
    """``build()`` once per snapshot (indexes stay linear in the plan's size)."""
    value = snapshot.cache.get(key)
    if value is None:
        value = build()
        snapshot.cache[key] = value
    return value


def _id_index(snapshot: Snapshot, types: tuple) -> dict:
    def build():
        index: dict = {}
        for inst in snapshot.of_type(*types):
            for attr in ("id", "arn"):
                v = inst.get(attr)
                if isinstance(v, str) and v:
                    index.setdefault(v, inst)
        return index
    return _cached(snapshot, ("network.ids", types), build)


def _expression_at(snapshot: Snapshot, inst: Instance, path: tuple) -> Optional[dict]:
    cfg = snapshot.config.resource_config(inst.module, inst.mode, inst.type, inst.name) if snapshot.config else None
    node: Any = (cfg or {}).get("expressions")
    for step in path:
        if isinstance(node, list):
            node = node[step] if isinstance(step, int) and step < len(node) else (node[0] if node else None)
        if isinstance(node, dict) and not isinstance(step, int):
            node = node.get(step)
        elif isinstance(node, dict) and isinstance(step, int):
            pass
        else:
            return None
    return node if isinstance(node, dict) else None


def _configured(snapshot: Snapshot, inst: Instance, attribute: str) -> bool:
    """Whether the configuration sets ``attribute`` (an unset computed attribute is the provider's)."""
    cfg = snapshot.config.resource_config(inst.module, inst.mode, inst.type, inst.name) if snapshot.config else None
    exprs = (cfg or {}).get("expressions")
    return not isinstance(cfg, dict) or (isinstance(exprs, dict) and exprs.get(attribute) is not None)


def _set(snapshot: Snapshot, inst: Instance, attribute: str) -> Any:
    """The attribute's value, or None when it is unknown only because the configuration leaves it to
    the provider (a computed attribute that is not set)."""
    v = inst.get(attribute)
    if not is_known(v) and not _configured(snapshot, inst, attribute):
        return None
    return v


def _parent_call(snapshot: Snapshot, module_path: str):
    steps = module_steps(module_path)
    if not steps:
        return None, None, None
    parent_path = ".".join(f"module.{n}{k or ''}" for n, k in steps[:-1])
    call_name, call_key = steps[-1]
    parent = snapshot.config.module_config(parent_path) if snapshot.config else None
    call = ((parent or {}).get("module_calls") or {}).get(call_name)
    key = None
    if call_key:
        inner = call_key[1:-1]
        key = inner[1:-1] if inner.startswith('"') else int(inner)
    return parent_path, (call or {}).get("expressions") or {}, key


def _key(index: Any) -> str:
    if isinstance(index, int):
        return f"[{index}]"
    return '["' + str(index).replace('"', '\\"') + '"]'


def _module_keys(snapshot: Snapshot, prefix: str) -> list:
    """The instance keys of module call ``prefix`` (``['["a"]', '["b"]']``, or ``[""]`` without keys)."""
    def build():
        found: dict = {}
        for i in snapshot.instances.values():
            for m in MODULE_STEP.finditer(i.module):
                call = i.module[:m.start()] + f"module.{m.group(1)}"
                found.setdefault(call, set()).add(m.group(2) or "")
        return found
    return sorted(_cached(snapshot, "network.module_keys", build).get(prefix, {""})) or [""]


def _resolve_refs(snapshot: Snapshot, refs: list, module_path: str, index: Any, types: tuple,
                  depth: int = 0) -> Optional[list]:
    """Instances of ``types`` a list of configuration references denotes, or None when it cannot tell."""
    if depth > 12:
        return None
    uses_index = any(r in INDEX_WORDS or str(r).startswith("each.") for r in refs)
    refs = [r for r in refs if isinstance(r, str) and r not in INDEX_WORDS and not r.startswith("each.")]
    bases: dict = {}
    for ref in refs:
        if ref.startswith("var."):
            var = ref[4:].split(".")[0].split("[")[0]
            parent_path, exprs, key = _parent_call(snapshot, module_path)
            if parent_path is None:
                return None  # a root variable: a value the plan knows, but not as resources
            expr = exprs.get(var)
            if not isinstance(expr, dict):
                return None
            sub = _resolve_refs(snapshot, list(expr.get("references") or ()), parent_path, key, types, depth + 1)
            if sub is None:
                return None
            bases.setdefault(("var", var), set()).update(i.address for i in sub)
            continue
        if ref.startswith("module."):
            m = MODULE_STEP.match(ref)
            rest = ref[m.end():] if m else ""
            if not m or not rest.startswith("."):
                continue  # "module.x" alone accompanies "module.x.out"
            output = rest[1:].split(".")[0].split("[")[0]
            keys = [m.group(2)] if m.group(2) else None
            child_name = m.group(1)
            prefix = (module_path + "." if module_path else "") + f"module.{child_name}"
            if keys is None:
                keys = _module_keys(snapshot, prefix)
            found = set()
            for k in keys:
                child_path = prefix + (k or "")
                child = snapshot.config.module_config(child_path) if snapshot.config else None
                out = ((child or {}).get("outputs") or {}).get(output)
                expr = out.get("expression") if isinstance(out, dict) else None
                if not isinstance(expr, dict):
                    return None
                sub = _resolve_refs(snapshot, list(expr.get("references") or ()), child_path, None, types, depth + 1)
                if sub is None:
                    return None
                found.update(i.address for i in sub)
            bases.setdefault(("module", ref), set()).update(found)
            continue
        if ref.startswith(("local.", "path.", "terraform.", "self.", "data.")):
            return None
        m = RESOURCE_REF.match(ref)
        if not m:
            return None
        _, type_, name, key, _attr = m.groups()
        base = (module_path + "." if module_path else "") + f"{type_}.{name}"
        if type_ not in types:
            if ref.count(".") >= 1 and _attr is None and key is None:
                continue  # the bare resource accompanying a longer reference to it
            return None
        entry = bases.setdefault(("res", base), set())
        if key is not None:
            entry.add(base + key)
    out: list = []
    seen = set()
    for (kind, base), addrs in bases.items():
        if kind == "res" and not addrs:
            same = snapshot.get(base + _key(index)) if uses_index and index is not None else None
            addrs = {same.address} if same is not None else {i.address for i in snapshot.instances_of(base)}
            if not addrs:
                return None
        for a in sorted(addrs):
            inst = snapshot.get(a)
            if inst is None:
                return None
            if a not in seen:
                seen.add(a)
                out.append(inst)
    return out


def follow(snapshot: Snapshot, inst: Instance, path: tuple, types: tuple, what: str) -> Link:
    """Follow ``inst``'s attribute at ``path`` (e.g. ("network_configuration", 0, "subnets")) to
    instances of ``types``. Lists and single values both work."""
    value: Any = inst.settled()
    for step in path:
        if isinstance(value, list) and isinstance(step, int):
            value = value[step] if step < len(value) else None
        elif isinstance(value, dict) and not isinstance(step, int):
            value = value.get(step)
        else:
            value = None
            break
    label = inst.address + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    if isinstance(value, Unknown) and len(path) > 1 and getattr(snapshot, "tf_source", None) is not None:
        # inside a nested block (network_configuration.subnets): the plan did not ask the source, and
        # its references lose what locals and dynamic module keys (module.vpc[each.key].out) select
        found = snapshot.tf_source.value_at(inst, path, snapshot)
        if isinstance(found, (list, Ref, str)) and not isinstance(found, (Partial, Redacted)):
            value = found
    items = value if isinstance(value, list) else ([] if value is None or value == "" else [value])
    link = Link()
    index = _id_index(snapshot, types)
    unknown = isinstance(value, (Unknown, Partial, Redacted))
    for v in items:
        if isinstance(v, Ref):
            target = snapshot.get(v.address)
            if target is not None and target.type in types:
                link.instances.append(target)
            else:
                link.missing = f"{v} ({what}, not in the plan)"
                return link
        elif isinstance(v, str):
            target = index.get(v)
            if target is not None:
                link.instances.append(target)
            else:
                link.outside.append(v)
        elif v is not None:
            unknown = True
    if unknown:
        expr = _expression_at(snapshot, inst, path)
        refs = list((expr or {}).get("references") or ())
        found = _resolve_refs(snapshot, refs, inst.module, inst.index, types) if refs else None
        if not found:
            link.missing = f"{label} ({what}: known after apply, and the configuration does not say which)"
            return link
        link.instances = list({i.address: i for i in link.instances + found}.values())
        link.several = len({i.resource_address for i in found}) > 1
    return link


# ---------------------------------------------------------------------------------------------
# services: task definition, launch type
# ---------------------------------------------------------------------------------------------
def _td_index(snapshot: Snapshot) -> dict:
    index = snapshot.cache.get("network.td_index")
    if index is None:
        index = {}
        for td in task_definitions(snapshot):
            inst = td.instance
            index[inst.address] = td
            for attr in ("arn", "arn_without_revision"):
                v = inst.get(attr)
                if isinstance(v, str):
                    index.setdefault(v, td)
            family, rev = inst.get("family"), inst.get("revision")
            if isinstance(family, str):
                if isinstance(rev, int):
                    index.setdefault(f"{family}:{rev}", td)
                index.setdefault(("family", family), []).append(td)
        snapshot.cache["network.td_index"] = index
    return index


def task_definition_of(snapshot: Snapshot, service: Instance):
    """(TaskDefinition, None) or (None, missing fact)."""
    value = service.get("task_definition")
    index = _td_index(snapshot)
    if isinstance(value, Ref):
        td = index.get(value.address)
        return (td, None) if td else (None, f"{value} (the task definition, not in the plan)")
    if isinstance(value, str) and value:
        td = index.get(value)
        if td is None and ":task-definition/" in value:
            td = index.get(value.split(":task-definition/", 1)[1])
        if td is None and ":" not in value:
            family = index.get(("family", value)) or []
            td = family[0] if len(family) == 1 else None
        if td is not None:
            return td, None
        return None, f"task definition `{value}` (not in the plan)"
    link = follow(snapshot, service, ("task_definition",), ("aws_ecs_task_definition",), "the task definition")
    if link.known and len(link.instances) == 1:
        return index.get(link.instances[0].address), None
    return None, link.missing or f"{service.address}.task_definition (known after apply)"


def _strategy_kind(strategy: Any, what: str):
    """(True | False | None, text) for a capacity provider strategy (a list of blocks)."""
    names = [s.get("capacity_provider") if isinstance(s, dict) else None for s in strategy]
    if all(isinstance(n, str) for n in names):
        if all(n in FARGATE_PROVIDERS for n in names):
            return True, f"{what} " + ", ".join(names)
        if not any(n in FARGATE_PROVIDERS for n in names):
            return False, f"{what} " + ", ".join(names)
    return None, None


def _cluster_default_strategy(snapshot: Snapshot, service: Instance):
    """(True | False | None, text or None): the default capacity provider strategy of the service's
    cluster (``aws_ecs_cluster_capacity_providers`` in the plan), which places the tasks of a
    service with neither ``launch_type`` nor ``capacity_provider_strategy``."""
    cluster = follow(snapshot, service, ("cluster",), ("aws_ecs_cluster",), "the cluster")
    if not cluster.known or len(cluster.instances) != 1:
        return None, None
    c = cluster.instances[0]
    for ccp in snapshot.of_type("aws_ecs_cluster_capacity_providers"):
        name = ccp.get("cluster_name")
        same = (isinstance(name, Ref) and name.address == c.address) or \
            (isinstance(name, str) and name == c.get("name"))
        if not same:
            continue
        strategy = ccp.get("default_capacity_provider_strategy")
        if isinstance(strategy, list) and strategy:
            return _strategy_kind(strategy, f"the default capacity provider strategy of {c.address} ("
                                  f"{ccp.address}):")
    return None, None


def fargate_of(snapshot: Snapshot, service: Instance, td: Optional[TaskDefinition]):
    """(True | False | None, evidence or missing fact)."""
    strategy = service.get("capacity_provider_strategy")
    if isinstance(strategy, list) and strategy:
        kind, text = _strategy_kind(strategy, "capacity providers")
        if kind is not None:
            return kind, text
        return None, f"{service.address}.capacity_provider_strategy (which capacity provider places the tasks)"
    lt = service.get("launch_type")
    if lt == "FARGATE":
        return True, "launch_type FARGATE"
    if isinstance(lt, str) and lt:
        return False, f"launch_type {lt}"
    if td is not None and td.compatibilities and "FARGATE" not in td.compatibilities:
        return False, f"{td.address} does not declare FARGATE compatibility"
    if lt in (None, "") or not _configured(snapshot, service, "launch_type"):
        # neither launch type nor strategy: ECS uses the cluster's default capacity provider strategy
        kind, text = _cluster_default_strategy(snapshot, service)
        if kind is not None:
            return kind, text
    return None, (f"{service.address}.launch_type (not set: the cluster's default capacity provider "
                  "strategy decides)")


# ---------------------------------------------------------------------------------------------
# what the task needs to reach
# ---------------------------------------------------------------------------------------------
@dataclass
class Needs:
    endpoints: dict = field(default_factory=dict)   # endpoint service -> why (container, what)
    external: list = field(default_factory=list)    # (container, text) that endpoints cannot reach
    missing: Optional[str] = None


ARN_REGION = re.compile(r"^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):")


def _value_from_service(snapshot: Snapshot, value: Any, region: Optional[str]):
    """('secretsmanager'|'ssm', other_region or None) or (None, fact)."""
    if isinstance(value, Ref):
        inst = snapshot.get(value.address)
        t = inst.type if inst else value.address.split("[")[0].split(".")[-2] if "." in value.address else ""
        if t.startswith("aws_secretsmanager_secret"):
            other = inst.region if inst is not None and inst.region and region and inst.region != region else None
            return "secretsmanager", other
        if t == "aws_ssm_parameter":
            other = inst.region if inst is not None and inst.region and region and inst.region != region else None
            return "ssm", other
        return None, f"{value} (what it names)"
    if isinstance(value, str) and value:
        m = ARN_REGION.match(value)
        if m:
            svc, reg = m.groups()
            if svc in ("secretsmanager", "ssm"):
                return svc, reg if reg and region and reg != region else None
            return None, f"`{value}` (not a Secrets Manager or SSM ARN)"
        return "ssm", None  # a bare name in secrets[].valueFrom is an SSM parameter
    return None, getattr(value, "fact", "secrets[].valueFrom (unknown)")


def needs_of(snapshot: Snapshot, td: TaskDefinition, region: Optional[str]) -> Needs:
    key = ("network.needs", td.address, region)
    cached = snapshot.cache.get(key)
    if cached is not None:
        return cached
    needs = Needs()
    snapshot.cache[key] = needs
    if isinstance(td.containers, Unknown):
        needs.missing = td.containers.fact
        return needs
    for c in td.containers:
        img = c.image
        if not isinstance(img, str):
            needs.missing = getattr(img, "fact", f"the image of container `{c.name}` in {td.address}")
            return needs
        try:
            ref = parse_image(img)
        except InvalidImage:
            continue  # PG101 reports it
        if ref.ecr:
            account, reg = ref.ecr
            if region and reg != region:
                needs.external.append((c.name, f"the image `{img}` is in ECR in {reg}, another region than "
                                               f"the task ({region})"))
            elif ref.domain.endswith(".on.aws"):
                # AWS PrivateLink (the ecr.dkr endpoint) serves only the IPv4 registry host, not the
                # dual-stack <acct>.dkr-ecr[-fips].<region>.on.aws (Amazon ECR, "Making requests")
                needs.external.append((c.name, f"the image `{img}` is on the ECR dual-stack host `{ref.domain}`, "
                                               "which VPC endpoints do not serve (AWS PrivateLink needs the IPv4 "
                                               f"host `{account}.dkr.ecr.{reg}.amazonaws.com`)"))
            else:
                for e in ECR_ENDPOINTS:
                    needs.endpoints.setdefault(e, (c.name, f"the image `{img}`"))
        else:
            needs.external.append((c.name, f"the image `{img}` is on {ref.registry}, which no VPC endpoint "
                                           "reaches"))
        rc = c.credentials_parameter if c.repository_credentials else None
        log = c.log_configuration
        # log driver secrets (logConfiguration.secretOptions) are fetched at task start like secrets
        options = [o for o in container_secrets(c) if not any(o is s for s in c.secrets)]
        sources = ([("repositoryCredentials", rc)] if rc is not None else []) + \
                  [(f"secret `{s.get('name')}`", s.get("valueFrom")) for s in c.secrets] + \
                  [(f"log driver secret `{o.get('name')}`", o.get("valueFrom")) for o in options]
        for what, value in sources:
            if what == "repositoryCredentials" and isinstance(value, str) and not value.startswith("arn:"):
                svc, other = "secretsmanager", None  # a secret name
            else:
                svc, other = _value_from_service(snapshot, value, region)
            if svc is None:
                needs.missing = other
                return needs
            if other:
                needs.external.append((c.name, f"the {what} is in {other}, another region than the task "
                                               f"({region})"))
            else:
                needs.endpoints.setdefault(svc, (c.name, f"the {what}"))
        if isinstance(log, dict) and log.get("logDriver") == "awslogs":
            opts = log.get("options") if isinstance(log.get("options"), dict) else {}
            reg = opts.get("awslogs-region")
            if isinstance(reg, str) and region and reg != region:
                needs.external.append((c.name, f"awslogs writes to {reg}, another region than the task "
                                               f"({region})"))
            else:
                needs.endpoints.setdefault("logs", (c.name, "the awslogs log driver"))
    return needs


# ---------------------------------------------------------------------------------------------
# subnets, route tables, routes
# ---------------------------------------------------------------------------------------------
def _links_to(snapshot: Snapshot, types: tuple, attr: str, target_types: tuple, what: str) -> dict:
    """{target address: [(instance, Link)]} for every instance of ``types`` whose ``attr`` points at a
    target of ``target_types``; unresolved links go under None."""
    key = ("network.links", types, attr)
    index = snapshot.cache.get(key)
    if index is None:
        index = {}
        for inst in snapshot.of_type(*types):
            link = follow(snapshot, inst, (attr,), target_types, what)
            if not link.known:
                index.setdefault(None, []).append((inst, link))
            for t in link.instances:
                index.setdefault(t.address, []).append((inst, link))
            for o in link.outside:
                index.setdefault(o, []).append((inst, link))
        snapshot.cache[key] = index
    return index


def _vpc_of(snapshot: Snapshot, inst: Instance) -> Link:
    return follow(snapshot, inst, ("vpc_id",), ("aws_vpc",), "the VPC")


def route_table_of(snapshot: Snapshot, subnet: Instance):
    """(route table Instance | key, evidence, None) or (None, evidence, missing fact)."""
    assoc = _links_to(snapshot, ("aws_route_table_association",), "subnet_id", ("aws_subnet",), "the subnet")
    mine = assoc.get(subnet.address, [])
    if mine:
        a = mine[0][0]
        rt = follow(snapshot, a, ("route_table_id",), ("aws_route_table", "aws_default_route_table"),
                    "the route table")
        if rt.known and len(rt.instances) == 1:
            return rt.instances[0], [a.address], None
        return None, [a.address], rt.missing or f"{a.address}.route_table_id (not in the plan)"
    if assoc.get(None):
        a = assoc[None][0][0]
        return None, [], f"{a.address}.subnet_id (which subnet it associates: known after apply)"
    vpc = _vpc_of(snapshot, subnet)
    if not vpc.known or not vpc.instances:
        return None, [], vpc.missing or f"the main route table of the VPC of {subnet.address} (not in the plan)"
    v = vpc.instances[0]
    # the VPC's main route table: aws_main_route_table_association, aws_default_route_table, or AWS's own
    for a, _ in _links_to(snapshot, ("aws_main_route_table_association",), "vpc_id", ("aws_vpc",), "the VPC").get(
            v.address, []):
        rt = follow(snapshot, a, ("route_table_id",), ("aws_route_table",), "the main route table")
        if rt.known and len(rt.instances) == 1:
            return rt.instances[0], [v.address, a.address], None
        return None, [v.address, a.address], rt.missing or f"{a.address}.route_table_id (not in the plan)"
    for d in snapshot.of_type("aws_default_route_table"):
        target = d.get("default_route_table_id")
        main = v.get("default_route_table_id")
        same = (isinstance(target, Ref) and target.address == v.address) or \
               (isinstance(target, str) and target == main) or \
               (not is_known(target) and any(r.startswith(v.resource_address.split("[")[0]) for r in
                                             ((_expression_at(snapshot, d, ("default_route_table_id",)) or {})
                                              .get("references") or ())))
        if same:
            return d, [v.address, d.address], None
    if v.action in ("create", "replace"):
        return ("main", v), [v.address], None  # created by this plan: AWS's main table has only the local route
    return None, [v.address], (f"the main route table of {v.address} (not managed in the plan: its routes are "
                               "not known)")


def _classify_target(snapshot: Snapshot, route: dict, owner: Instance, path: tuple):
    """('nat'|'igw'|'tgw'|'instance'|'other', text) or ('unknown', fact)."""
    fields = (("nat_gateway_id", "nat"), ("transit_gateway_id", "tgw"), ("network_interface_id", "instance"),
              ("instance_id", "instance"), ("egress_only_gateway_id", "other"),
              ("vpc_peering_connection_id", "other"), ("vpc_endpoint_id", "other"), ("local_gateway_id", "other"),
              ("carrier_gateway_id", "other"), ("core_network_arn", "tgw"), ("gateway_id", "gateway"))
    unknown_fields = []
    for attr, kind in fields:
        v = route.get(attr)
        if v in (None, ""):
            continue
        if isinstance(v, str):
            if kind == "gateway":
                if v.startswith("igw-"):
                    return "igw", v
                if v == "local":
                    return "other", v
                inst = _id_index(snapshot, ("aws_internet_gateway",)).get(v)
                return ("igw", inst.address) if inst else ("other", v)
            if kind == "nat":
                inst = _id_index(snapshot, ("aws_nat_gateway",)).get(v)
                if inst is not None and inst.get("connectivity_type") == "private":
                    return "other", f"{inst.address} (a private NAT gateway)"
            return kind, v
        if isinstance(v, Ref):
            inst = snapshot.get(v.address)
            t = inst.type if inst else ""
            if kind == "gateway":
                if t == "aws_internet_gateway":
                    return "igw", v.address
                if t:
                    return "other", v.address
                return "unknown", f"{v} (the route's gateway, not in the plan)"
            if kind == "nat" and inst is not None and inst.get("connectivity_type") == "private":
                return "other", f"{v.address} (a private NAT gateway)"
            return kind, v.address
        unknown_fields.append((attr, kind))
    for attr, kind in unknown_fields:
        if kind == "nat":
            # a NAT gateway created by this plan: a private one (connectivity_type = "private") does
            # not reach the internet
            nats = follow(snapshot, owner, path + (attr,), ("aws_nat_gateway",), "the NAT gateway")
            types = {n.get("connectivity_type") for n in nats.instances} if nats.known else set()
            if types == {"private"}:
                return "other", f"{nats.instances[0].address} (a private NAT gateway)"
            if "private" in types:
                return "unknown", f"{owner.address}.{attr} (a private or a public NAT gateway)"
        if kind != "gateway":
            return kind, f"{owner.address}.{attr}"
        expr = _expression_at(snapshot, owner, path + (attr,)) or _expression_at(snapshot, owner, path[:1])
        refs = [r for r in (expr or {}).get("references") or () if isinstance(r, str)]
        types = {RESOURCE_REF.match(r).group(2) for r in refs if RESOURCE_REF.match(r) and not r.startswith(
            ("var.", "local.", "module.", "each.", "count."))}
        if types == {"aws_internet_gateway"}:
            return "igw", f"{owner.address} (route to " + next(r for r in refs if "aws_internet_gateway" in r) + ")"
        return "unknown", f"{owner.address}.{'.'.join(map(str, path))}.{attr} (the route's target: known after apply)"
    return "other", "no target"


def _is_default(cidr: Any) -> Optional[bool]:
    if cidr in (None, ""):
        return False
    if isinstance(cidr, str):
        return cidr == INTERNET
    return None


def default_route(snapshot: Snapshot, table: Any):
    """(kind, text, evidence) with kind nat|igw|tgw|instance|none|unknown (text: the fact)."""
    if isinstance(table, tuple):  # ("main", vpc): AWS's own main table
        vpc = table[1]
        routes_by = _links_to(snapshot, ("aws_route",), "route_table_id",
                              ("aws_route_table", "aws_default_route_table", "aws_vpc"), "the route table")
        candidates = []
        for r, _ in routes_by.get(vpc.address, []):
            candidates.append(r)
        main_id = vpc.get("main_route_table_id")
        if isinstance(main_id, str):
            candidates += [r for r, _ in routes_by.get(main_id, [])]
        return _pick(snapshot, [(r, r.settled(), ()) for r in candidates], [vpc.address + " (main route table)"])
    routes = []
    inline = table.get("route")
    if isinstance(inline, list):
        for i, r in enumerate(inline):
            if isinstance(r, dict):
                routes.append((table, r, ("route", i)))
    elif inline is not None and _configured(snapshot, table, "route"):
        return "unknown", f"{table.address}.route (known after apply)", [table.address]
    routes_by = _links_to(snapshot, ("aws_route",), "route_table_id",
                          ("aws_route_table", "aws_default_route_table"), "the route table")
    for r, _ in routes_by.get(table.address, []):
        routes.append((r, r.settled(), ()))
    if routes_by.get(None):
        r = routes_by[None][0][0]
        if _is_default(r.get("destination_cidr_block")) is not False:
            return "unknown", f"{r.address}.route_table_id (which route table: known after apply)", [table.address]
    return _pick(snapshot, routes, [table.address])


def _pick(snapshot, routes, evidence):
    for owner, r, path in routes:
        cidr = r.get("destination_cidr_block") if owner.type == "aws_route" else r.get("cidr_block")
        d = _is_default(cidr)
        if d is None:
            return "unknown", f"{owner.address} destination (known after apply)", evidence + [owner.address]
        if not d:
            continue
        kind, text = _classify_target(snapshot, r, owner, path)
        return kind, text, evidence + [owner.address]
    return "none", "no 0.0.0.0/0 route", evidence


# ---------------------------------------------------------------------------------------------
# endpoints
# ---------------------------------------------------------------------------------------------
@dataclass
class Endpoint:
    inst: Instance
    service: str            # e.g. ecr.api
    kind: str               # Interface | Gateway
    private_dns: Any
    subnets: Link
    route_tables: Link
    security_groups: Link


def _endpoints(snapshot: Snapshot) -> dict:
    """{vpc key: [Endpoint]} (vpc key: address of an aws_vpc in the plan, or its id)."""
    return _cached(snapshot, "network.endpoints", lambda: _build_endpoints(snapshot))


def _build_endpoints(snapshot: Snapshot) -> dict:
    out: dict = {}
    sub_assoc = _links_to(snapshot, ("aws_vpc_endpoint_subnet_association",), "vpc_endpoint_id",
                          ("aws_vpc_endpoint",), "the endpoint")
    rt_assoc = _links_to(snapshot, ("aws_vpc_endpoint_route_table_association",), "vpc_endpoint_id",
                         ("aws_vpc_endpoint",), "the endpoint")
    for inst in snapshot.of_type("aws_vpc_endpoint"):
        name = inst.get("service_name")
        m = ENDPOINT_SERVICE.match(name) if isinstance(name, str) else None
        service = m.group(2) if m else (name if isinstance(name, str) else "")
        kind = inst.get("vpc_endpoint_type") or "Gateway"
        subnets = follow(snapshot, inst, ("subnet_ids",), ("aws_subnet",), "the endpoint's subnets")
        for a, _ in sub_assoc.get(inst.address, []):
            extra = follow(snapshot, a, ("subnet_id",), ("aws_subnet",), "the endpoint's subnet")
            subnets.instances += extra.instances
            subnets.outside += extra.outside
        rts = follow(snapshot, inst, ("route_table_ids",), ("aws_route_table", "aws_default_route_table"),
                     "the endpoint's route tables")
        if not rts.known and not (_expression_at(snapshot, inst, ("route_table_ids",)) or {}).get("references"):
            rts = Link()  # not set in the configuration: none of its own
        for a, _ in rt_assoc.get(inst.address, []):
            extra = follow(snapshot, a, ("route_table_id",), ("aws_route_table", "aws_default_route_table"),
                           "the endpoint's route table")
            rts.instances += extra.instances
            rts.outside += extra.outside
            if not extra.known:
                rts.missing = extra.missing
        if not subnets.known and not (_expression_at(snapshot, inst, ("subnet_ids",)) or {}).get("references"):
            subnets = Link(instances=subnets.instances, outside=subnets.outside)
        sgs = follow(snapshot, inst, ("security_group_ids",), ("aws_security_group",), "the endpoint's groups")
        vpc = _vpc_of(snapshot, inst)
        vkey = vpc.instances[0].address if vpc.instances else (vpc.outside[0] if vpc.outside else None)
        out.setdefault(vkey, []).append(Endpoint(inst, service, kind, inst.get("private_dns_enabled"), subnets,
                                                 rts, sgs))
    return out


LAYER_BUCKET = "arn:{partition}:s3:::prod-{region}-starport-layer-bucket/"


def _layer_bucket_allowed(snapshot, ep: Endpoint):
    """(True | False | None, reason or fact): whether the S3 gateway endpoint's policy lets the task
    download ECR image layers: ``s3:GetObject`` on ``arn:aws:s3:::prod-<region>-starport-layer-bucket/*``
    (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html). No policy in the
    configuration: the default full access policy."""
    doc = _set(snapshot, ep.inst, "policy")
    if doc in (None, ""):
        return True, None
    name = ep.inst.get("service_name")
    m = ENDPOINT_SERVICE.match(name) if isinstance(name, str) else None
    if not isinstance(doc, (str, dict)) or not m:
        return None, f"{ep.inst.address}.policy (known after apply)"
    if isinstance(doc, str):
        try:
            doc = json.loads(doc)
        except ValueError:
            return None, f"{ep.inst.address}.policy (not JSON)"
    bucket = LAYER_BUCKET.format(partition=partition(m.group(1)), region=m.group(1))
    obj = bucket + "sha256/0123456789abcdef"
    statements = doc.get("Statement") if isinstance(doc, dict) else None
    statements = statements if isinstance(statements, list) else [statements]
    allow, unsure = False, None
    for st in statements:
        if not isinstance(st, dict):
            return None, f"{ep.inst.address}.policy (a statement pullguard cannot read)"
        hit = _statement_matches(st, "s3:GetObject", obj)
        everyone = st.get("Principal") in ("*", {"AWS": "*"})  # ECR's presigned layer URL is not the task's
        if hit is None or (hit and ("Condition" in st or not everyone)):
            unsure = unsure or (f"{ep.inst.address}.policy (whether the statement "
                                f"{st.get('Sid') or '#' + str(statements.index(st))} applies to the ECR "
                                "layer download: its principal or condition)")
            continue
        if hit and st.get("Effect") == "Deny":
            return False, (f"{ep.inst.address}'s endpoint policy denies s3:GetObject on the ECR layer bucket "
                           f"{bucket}*")
        if hit and st.get("Effect") == "Allow":
            allow = True
    if allow:
        return True, None
    if unsure:
        return None, unsure
    return False, (f"{ep.inst.address}'s endpoint policy does not allow s3:GetObject on the ECR layer bucket "
                   f"{bucket}*")


def _statement_matches(st: dict, action: str, resource: str) -> Optional[bool]:
    """Whether a policy statement's actions and resources cover ``action`` on ``resource`` (None:
    a value is not known)."""
    for key, value, ic in (("Action", action, True), ("Resource", resource, False)):
        pats = st.get(key) if key in st else st.get("Not" + key)
        if pats is None:
            return False if key == "Action" else None
        pats = pats if isinstance(pats, list) else [pats]
        if not all(isinstance(p, str) for p in pats):
            return None
        hit = any(match(compile_pattern(p, ignore_case=ic), value) for p in pats)
        if hit == (key not in st):
            return False
    return True


def _endpoint_admits(snapshot, ep: Endpoint, vkey, sub, task_groups):
    """(True | False | None, reason or fact): whether the interface endpoint's security groups admit
    TCP 443 from a task in ``sub`` (its CIDR) with ``task_groups``: "the security group attached to
    the VPC endpoint must allow incoming connections on port 443 from the private subnet"
    (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html)."""
    if sub is None:
        return True, None
    sgs = ep.security_groups
    if not sgs.known:
        return None, sgs.missing
    if sgs.outside:
        return None, f"the ingress rules of security group {sgs.outside[0]} (not in the plan)"
    groups = list(sgs.instances)
    if not groups:
        vpc = snapshot.get(vkey) if isinstance(vkey, str) else None
        groups = [d for d in snapshot.of_type("aws_default_security_group")
                  if vpc is not None and _same(snapshot, d.get("vpc_id"), vpc) is True]
        if not groups:
            return None, (f"the ingress rules of the VPC's default security group, which {ep.inst.address} "
                          "uses (not in the plan)")
    rules_by = _ingress_rules(snapshot)
    if None in rules_by:
        return None, f"{rules_by[None][0].owner}.security_group_id (known after apply)"
    rules = [r for g in groups for r in rules_by.get(g.address, [])]
    c = sub.get("cidr_block")
    try:
        nets = [ipaddress.ip_network(c)] if isinstance(c, str) else []
    except ValueError:
        nets = []
    mine = list(task_groups.instances) if task_groups is not None and task_groups.known and \
        task_groups.instances and not task_groups.outside else None

    def from_task(r) -> Optional[bool]:
        unsure = False
        cov = _any_cidr_covers(r.cidrs, nets)
        if cov is True:
            return True
        if cov is None:
            unsure = True
        for g in r.groups:
            sames = [_same(snapshot, g, t) for t in mine] if mine is not None else [None]
            if True in sames:
                return True
            if None in sames:
                unsure = True
        if r.prefix_lists:
            unsure = True
        return None if unsure else False

    verdict, fact = _any_rule(rules, from_task)
    if verdict is True:
        return True, None
    if verdict is None:
        return None, fact
    names = ", ".join(f"`{g.address}`" for g in groups)
    return False, (f"{ep.inst.address}'s security groups ({names}) admit no TCP 443 from subnet "
                   f"`{sub.address}` or the task's security groups")


def unsure_here(facts: list, before: int) -> bool:
    return len(facts) > before


def _endpoint_problems(snapshot, vkey, table, needs: Needs, sub=None, task_groups=None):
    """(missing [(service, why)], present [Endpoint], any_relevant, unknown fact, evidence) for a task
    in subnet ``sub`` (whose route table is ``table``) with security groups ``task_groups``."""
    eps = _endpoints(snapshot).get(vkey, [])
    missing, present, facts, evidence = [], [], [], []
    any_relevant = False
    for service, (container, why) in sorted(needs.endpoints.items()):
        cands = [e for e in eps if e.service == service]
        before = len(facts)
        if cands:
            any_relevant = True
        ok, reasons = False, []
        for e in cands:
            if e.kind == "Gateway":
                if table is None:
                    facts.append(f"the route table of the subnet (for {e.inst.address})")
                    continue
                t_addr = table.address if isinstance(table, Instance) else None
                if t_addr and any(i.address == t_addr for i in e.route_tables.instances):
                    allowed, fact = _layer_bucket_allowed(snapshot, e) if service == "s3" else (True, None)
                    if allowed is True:
                        ok = True
                    elif allowed is False:
                        reasons.append(fact)
                    else:
                        facts.append(fact)
                elif not e.route_tables.known:
                    facts.append(e.route_tables.missing)
                else:
                    reasons.append(f"{e.inst.address} is not associated with the subnet's route table"
                                   + (f" {t_addr}" if t_addr else " (the VPC's main route table)"))
                if ok:
                    present.append(e)
                    break
                continue
            if e.kind != "Interface":
                reasons.append(f"{e.inst.address} is a {e.kind} endpoint")
                continue
            dns = e.private_dns
            if dns is not True:
                if dns is False or dns is None:
                    reasons.append(f"{e.inst.address} has private_dns_enabled = false, so "
                                   f"the default {service} host name does not resolve to it")
                else:
                    facts.append(f"{e.inst.address}.private_dns_enabled (known after apply)")
                continue
            if e.subnets.known and not e.subnets.instances and not e.subnets.outside:
                reasons.append(f"{e.inst.address} is in no subnet (no network interface)")
                continue
            if service == "s3":
                reasons.append(f"{e.inst.address} is an interface endpoint, which Amazon ECR does not use for "
                               "image layers (it needs the S3 gateway endpoint)")
                continue
            admits, fact = _endpoint_admits(snapshot, e, vkey, sub, task_groups)
            if admits is False:
                reasons.append(fact)
                continue
            if admits is None:
                facts.append(fact)
                continue
            ok = True
            present.append(e)
            break
        if ok:
            evidence.append(present[-1].inst.address)
            continue
        if unsure_here(facts, before):
            continue  # one of the candidates may serve: undecided, not missing
        text = f"`{service}` ({WHY_NEEDED.get(service, service)}, for {why} of container `{container}`)"
        if reasons:
            text += ": " + "; ".join(reasons)
        missing.append((service, text))
    return missing, present, any_relevant, (facts[0] if facts else None), evidence


# ---------------------------------------------------------------------------------------------
# security groups
# ---------------------------------------------------------------------------------------------
@dataclass
class Egress:
    owner: str
    protocol: Any
    from_port: Any
    to_port: Any
    cidrs: list
    prefix_lists: list
    groups: list


def _egress_rules(snapshot: Snapshot) -> dict:
    """{security group address (or id): [Egress]} from inline blocks and rule resources."""
    return _cached(snapshot, "network.egress", lambda: _build_egress(snapshot))


def _ingress_rules(snapshot: Snapshot) -> dict:
    """Like ``_egress_rules`` for ingress (an Egress's cidrs/prefix_lists/groups are then sources)."""
    return _cached(snapshot, "network.ingress", lambda: _build_egress(snapshot, "ingress"))


def _build_egress(snapshot: Snapshot, direction: str = "egress") -> dict:
    out: dict = {}
    for sg in snapshot.of_type("aws_security_group", "aws_default_security_group"):
        eg = sg.get(direction)
        if isinstance(eg, list):
            for i, r in enumerate(eg):
                if isinstance(r, dict):
                    groups = r.get("security_groups")
                    out.setdefault(sg.address, []).append(Egress(
                        sg.address, r.get("protocol"), r.get("from_port"), r.get("to_port"),
                        _listish(r.get("cidr_blocks")) + _listish(r.get("ipv6_cidr_blocks")),
                        _listish(r.get("prefix_list_ids")),
                        _listish(groups) + ([Ref(sg.address, "id")] if r.get("self") else [])))
        elif eg is not None and _configured(snapshot, sg, direction):
            out.setdefault(sg.address, []).append(Egress(sg.address, Unknown(f"{sg.address}.{direction}"), 0, 0,
                                                         [], [], []))
    for r in snapshot.of_type("aws_security_group_rule"):
        t = r.get("type")
        if t != direction:
            continue
        link = follow(snapshot, r, ("security_group_id",), ("aws_security_group", "aws_default_security_group"),
                      "the security group")
        key = link.instances[0].address if link.instances else (link.outside[0] if link.outside else None)
        dest = _set(snapshot, r, "source_security_group_id")
        out.setdefault(key, []).append(Egress(
            r.address, r.get("protocol"), r.get("from_port"), r.get("to_port"),
            _listish(_set(snapshot, r, "cidr_blocks")) + _listish(_set(snapshot, r, "ipv6_cidr_blocks")),
            _listish(_set(snapshot, r, "prefix_list_ids")),
            ([dest] if dest not in (None, "") else []) + ([Ref(key, "id")] if r.get("self") is True else [])))
    for r in snapshot.of_type(f"aws_vpc_security_group_{direction}_rule"):
        link = follow(snapshot, r, ("security_group_id",), ("aws_security_group", "aws_default_security_group"),
                      "the security group")
        key = link.instances[0].address if link.instances else (link.outside[0] if link.outside else None)
        dest = _set(snapshot, r, "referenced_security_group_id")
        cidrs = [c for c in (_set(snapshot, r, "cidr_ipv4"), _set(snapshot, r, "cidr_ipv6")) if c not in (None, "")]
        pl = _set(snapshot, r, "prefix_list_id")
        out.setdefault(key, []).append(Egress(
            r.address, r.get("ip_protocol"), r.get("from_port"), r.get("to_port"), cidrs,
            [pl] if pl not in (None, "") else [], [dest] if dest not in (None, "") else []))
    return out


def _listish(v) -> list:
    if isinstance(v, list):
        return v
    if v in (None, ""):
        return []
    return [v]


def _allows_443(e: Egress) -> Optional[bool]:
    p = e.protocol
    if not is_known(p):
        return None
    p = str(p).lower()
    if p in ("-1", "all"):
        return True
    if p not in ("tcp", "6"):
        return False
    lo, hi = e.from_port, e.to_port
    if not isinstance(lo, int) or not isinstance(hi, int):
        return None
    return lo <= 443 <= hi


def _same(snapshot: Snapshot, a: Any, target: Instance, attrs=("id",)) -> Optional[bool]:
    if isinstance(a, Ref):
        return a.address == target.address
    if isinstance(a, str):
        return any(target.get(x) == a for x in attrs) if any(isinstance(target.get(x), str) for x in attrs) else \
            None
    return None


def _any_cidr_covers(cidrs: list, nets: list) -> Optional[bool]:
    """Whether one of ``cidrs`` is 0.0.0.0/0 or covers every network of ``nets`` (None: not known)."""
    unsure = False
    for c in cidrs:
        if c == INTERNET:
            return True
        cov = _cidr_covers(c, nets) if nets else None
        if cov is True:
            return True
        if cov is None:
            unsure = True
    return None if unsure else False


def _cidr_covers(cidr: Any, nets: list) -> Optional[bool]:
    if not isinstance(cidr, str):
        return None
    try:
        c = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False
    ok = [c.version == n.version and n.subnet_of(c) for n in nets]
    return bool(ok) and all(ok)


def _is_private(cidr: str) -> bool:
    try:
        c = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return True
    return c.version == 4 and any(c.subnet_of(p) for p in PRIVATE_NETS)


# ---------------------------------------------------------------------------------------------
# the verdicts
# ---------------------------------------------------------------------------------------------
@dataclass
class Verdict:
    status: str
    message: str = ""
    remediation: str = ""
    missing: Optional[str] = None
    evidence: tuple = ()


@dataclass
class ServiceNet:
    service: Instance
    td: Optional[TaskDefinition] = None
    td_missing: Optional[str] = None
    fargate: Optional[bool] = None
    fargate_text: str = ""
    verdicts: dict = field(default_factory=dict)   # rule id -> Verdict


def _v_pass(evidence=()) -> Verdict:
    return Verdict(PASS, evidence=tuple(evidence))


def service_networks(snapshot: Snapshot) -> dict:
    """{service address: ServiceNet} for every aws_ecs_service, computed once per snapshot."""
    cached = snapshot.cache.get("network.services")
    if cached is None:
        cached = {}
        for svc in snapshot.of_type("aws_ecs_service"):
            try:
                cached[svc.address] = _analyse(snapshot, svc)
            except Exception:  # odd data must not stop the other services
                net = ServiceNet(svc)
                fact = f"{svc.address} (pullguard could not read its network configuration)"
                net.verdicts = {r: Verdict(UNDECIDED, "the network path could not be analysed", missing=fact)
                                for r in PATH_RULES + ("PG505",)}
                cached[svc.address] = net
        snapshot.cache["network.services"] = cached
    return cached


def _all(status: str, message: str = "", missing: Optional[str] = None, evidence=()) -> dict:
    """The same verdict for every network rule; an undecided service-level fact (subnets, task
    definition, launch type) is reported once for the path (PG501) and once for egress (PG505)."""
    out = {r: Verdict(status, message, missing=missing, evidence=tuple(evidence)) for r in PATH_RULES + ("PG505",)}
    if status == UNDECIDED:
        for r in ("PG502", "PG503", "PG504"):
            out[r] = Verdict(PASS, evidence=tuple(evidence) + ("undecided: reported under PG501",))
    return out


def _unknown_path(needs: Needs, message: str, missing: Optional[str], evidence) -> Optional[Verdict]:
    """PG504 undecided when the path is unknown and the task needs what only a NAT path reaches."""
    if needs.missing or not needs.external:
        return None
    container, why = needs.external[0]
    return Verdict(UNDECIDED, f"{message}, and for container `{container}` {why}: without a NAT path the task "
                   "cannot reach it", missing=missing, evidence=tuple(evidence))


def _analyse(snapshot: Snapshot, svc: Instance) -> ServiceNet:
    net = ServiceNet(svc)
    net.td, net.td_missing = task_definition_of(snapshot, svc)
    net.fargate, net.fargate_text = fargate_of(snapshot, svc, net.td)
    ev = [svc.address] + ([net.td.address] if net.td else [])
    if net.fargate is False:
        net.verdicts = _all(PASS, evidence=ev + [f"{net.fargate_text}: the container instance pulls the image"])
        return net
    if net.fargate is None:
        net.verdicts = _all(UNDECIDED, "whether the service runs on Fargate (where the task's own network "
                                       "pulls the image) is not known", net.fargate_text, ev)
        return net
    nc = svc.get("network_configuration")
    if isinstance(nc, list) and not nc:
        net.verdicts = _all(PASS, evidence=ev + ["no network_configuration (ECS rejects it for Fargate)"])
        return net
    if not isinstance(nc, list) or not isinstance(nc[0], dict):
        net.verdicts = _all(UNDECIDED, "the service's network configuration is known only after apply",
                            f"{svc.address}.network_configuration (known after apply)", ev)
        return net
    public_ip = nc[0].get("assign_public_ip")
    if public_ip is None:
        public_ip = False
    subnets = follow(snapshot, svc, ("network_configuration", 0, "subnets"), ("aws_subnet",), "the subnets")
    region = svc.region
    needs = needs_of(snapshot, net.td, region) if net.td else Needs(missing=net.td_missing)
    if not subnets.known or subnets.outside:
        message, missing = ("the service's subnets are not known", subnets.missing) if not subnets.known else \
            (f"subnet {subnets.outside[0]} is not in the plan",
             f"the route table of subnet {subnets.outside[0]} (not in the plan)")
        net.verdicts = _all(UNDECIDED, message, missing, ev)
        external = _unknown_path(needs, message, missing, ev)
        if external:
            net.verdicts["PG504"] = external
        return net
    if not subnets.instances:
        net.verdicts = _all(PASS, evidence=ev + ["no subnets (ECS rejects the service)"])
        return net
    per_rule: dict = {r: [] for r in PATH_RULES}
    paths = []  # (subnet, "internet"|"endpoints", [Endpoint], table)
    task_groups = _task_groups(snapshot, svc)
    for sub in subnets.instances:
        _subnet_verdict(snapshot, svc, sub, public_ip, needs, per_rule, paths, ev, task_groups)
    failing = sum(1 for items in per_rule.values() for v in items if v.status == FAIL)
    for r in PATH_RULES:
        items = per_rule[r]
        fails = [v for v in items if v.status == FAIL]
        und = [v for v in items if v.status == UNDECIDED]
        if fails and subnets.several and failing < len(subnets.instances):
            # some referenced subnets work: whether the expression selects a failing one is not known
            net.verdicts[r] = Verdict(UNDECIDED, fails[0].message, missing=(
                f"{svc.address}.network_configuration[0].subnets (which of the subnets it references it "
                f"selects: {', '.join(sorted({i.resource_address for i in subnets.instances}))})"),
                evidence=fails[0].evidence)
        elif fails:
            first = fails[0]
            message = first.message if len(fails) == 1 else first.message + \
                f" (also true of {len(fails) - 1} other subnet(s))"
            net.verdicts[r] = Verdict(FAIL, message, first.remediation, evidence=first.evidence)
        elif und:
            net.verdicts[r] = und[0]
        else:
            net.verdicts[r] = _v_pass(ev + [p[0].address for p in paths])
    net.verdicts["PG505"] = _egress_verdict(snapshot, svc, paths, needs, ev)
    return net


def _subnet_verdict(snapshot, svc, sub, public_ip, needs: Needs, per_rule, paths, ev, task_groups=None):
    s = f"`{sub.address}`"
    table, tev, fact = route_table_of(snapshot, sub)
    evidence = ev + [sub.address] + tev
    kind = text = None
    if not fact:
        kind, text, rev = default_route(snapshot, table)
        evidence = ev + [sub.address] + tev + [e for e in rev if e not in tev]
    if fact or kind == "unknown":
        message = f"the {'route table' if fact else 'default route'} of subnet {s} is not known"
        per_rule["PG501"].append(Verdict(UNDECIDED, message, missing=fact or text, evidence=tuple(evidence)))
        external = _unknown_path(needs, message, fact or text, evidence)
        if external:
            per_rule["PG504"].append(external)
        return
    if kind in ("nat", "tgw", "instance"):
        paths.append((sub, "internet", [], table))
        return
    if kind == "igw" and public_ip is True:
        paths.append((sub, "internet", [], table))
        return
    if kind == "igw" and not isinstance(public_ip, bool):
        per_rule["PG502"].append(Verdict(UNDECIDED, f"whether tasks in public subnet {s} get a public IP is not "
                                         "known", missing=f"{svc.address}.network_configuration.assign_public_ip "
                                         "(known after apply)", evidence=tuple(evidence)))
        return
    # no internet path: endpoints only
    vpc = _vpc_of(snapshot, sub)
    vkey = vpc.instances[0].address if vpc.instances else (vpc.outside[0] if vpc.outside else None)
    if needs.missing:
        # with endpoints in the VPC the open question is whether they reach what the task needs (PG504)
        rule = "PG502" if kind == "igw" else ("PG504" if _endpoints(snapshot).get(vkey) else "PG501")
        per_rule[rule].append(Verdict(UNDECIDED, f"subnet {s} has no NAT path and what the task must reach "
                                      "(image registry, secrets, logs) is not known", missing=needs.missing,
                                      evidence=tuple(evidence)))
        return
    missing, present, relevant, efact, eev = _endpoint_problems(snapshot, vkey, table, needs, sub, task_groups)
    complete = not missing and not efact and not needs.external
    if complete:
        paths.append((sub, "endpoints", present, table))
        return
    route_text = "routes 0.0.0.0/0 to an internet gateway" if kind == "igw" else \
        ("has no 0.0.0.0/0 route" if kind == "none" else
         f"routes 0.0.0.0/0 to {text}, which does not lead to the internet")
    where = svc.address
    if kind == "igw":
        per_rule["PG502"].append(Verdict(
            FAIL, f"Fargate service `{where}` runs in public subnet {s} (its route table {route_text}) with "
                  "assign_public_ip = false, so its tasks have no public address and cannot reach the image "
                  "registry",
            "Set `assign_public_ip = true` in `network_configuration`, or move the service to private subnets "
            "whose route table sends 0.0.0.0/0 to a NAT gateway (`aws_route` with `nat_gateway_id`).",
            evidence=tuple(evidence)))
        return
    if needs.external:
        container, why = needs.external[0]
        per_rule["PG504"].append(Verdict(
            FAIL, f"service `{where}`: subnet {s} {route_text} (no NAT), and for container `{container}` {why}, "
                  "so the task cannot reach it through VPC endpoints",
            ("Write the image with the IPv4 registry host `<account>.dkr.ecr.<region>.amazonaws.com`, which the "
             "`ecr.dkr` endpoint serves, or give the subnet a NAT route (`aws_route` 0.0.0.0/0 → `nat_gateway_id`)."
             if "dual-stack host" in why else
             "Give the subnet a NAT route (`aws_route` 0.0.0.0/0 → `nat_gateway_id`), or copy the image into "
             "Amazon ECR in the task's region (ECR pull through cache or replication) and keep secrets and logs "
             "in that region."), evidence=tuple(evidence)))
        return
    names = ", ".join(t for _, t in missing)
    if efact and not (missing and relevant):
        per_rule["PG503"].append(Verdict(UNDECIDED, f"whether the VPC endpoints the task needs are usable from "
                                         f"subnet {s} is not known", missing=efact, evidence=tuple(evidence + eev)))
        return
    if relevant:
        per_rule["PG503"].append(Verdict(
            FAIL, f"service `{where}`: subnet {s} {route_text} (no NAT), so the task relies on VPC endpoints, "
                  f"and it lacks {names}",
            "Add the missing endpoints: `aws_vpc_endpoint` interface endpoints (`com.amazonaws.<region>.ecr.api`, "
            "`ecr.dkr`, `secretsmanager`, `ssm`, `logs`) with `private_dns_enabled = true` and subnets, and an "
            "`s3` gateway endpoint with the subnet's route table in `route_table_ids`.",
            evidence=tuple(evidence + eev)))
        return
    per_rule["PG501"].append(Verdict(
        FAIL, f"service `{where}`: subnet {s} {route_text}, assign_public_ip is false and the VPC has none of the "
              f"endpoints the task needs ({', '.join(sorted(needs.endpoints))}), so the pull times out "
              "(dial tcp ...:443: i/o timeout)",
        "Route the subnet's 0.0.0.0/0 to a NAT gateway (`aws_route` with `nat_gateway_id`), or add the VPC "
        "endpoints the task needs (ecr.api, ecr.dkr, s3 gateway, and secretsmanager/ssm/logs as used).",
        evidence=tuple(evidence)))


def _task_groups(snapshot, svc) -> Link:
    return follow(snapshot, svc, ("network_configuration", 0, "security_groups"),
                  ("aws_security_group", "aws_default_security_group"), "the security groups")


def _egress_verdict(snapshot, svc, paths, needs: Needs, ev) -> Verdict:
    if not paths:
        return _v_pass(ev)
    groups = _task_groups(snapshot, svc)
    if not groups.known:
        return Verdict(UNDECIDED, "the task's security groups are not known", missing=groups.missing,
                       evidence=tuple(ev))
    if groups.outside:
        return Verdict(UNDECIDED, f"security group {groups.outside[0]} is not in the plan",
                       missing=f"the egress rules of security group {groups.outside[0]} (not in the plan)",
                       evidence=tuple(ev))
    sg_list = list(groups.instances)
    if not sg_list:
        sub = paths[0][0]
        vpc = _vpc_of(snapshot, sub)
        defaults = [d for d in snapshot.of_type("aws_default_security_group")
                    if vpc.instances and _same(snapshot, d.get("vpc_id"), vpc.instances[0]) is True]
        if not defaults:
            return Verdict(UNDECIDED, "the service names no security group, so the VPC's default group applies",
                           missing="the egress rules of the VPC's default security group (not in the plan)",
                           evidence=tuple(ev))
        sg_list = defaults
    rules_by = _egress_rules(snapshot)
    if None in rules_by:
        r = rules_by[None][0]
        return Verdict(UNDECIDED, "an egress rule's security group is not known",
                       missing=f"{r.owner}.security_group_id (known after apply)", evidence=tuple(ev))
    rules = [e for g in sg_list for e in rules_by.get(g.address, [])]
    names = ", ".join(f"`{g.address}`" for g in sg_list)
    evidence = tuple(ev + [g.address for g in sg_list] + sorted({e.owner for e in rules}))
    for sub, how, endpoints, table in paths:
        if how == "internet":
            dests = [("the internet (0.0.0.0/0)", lambda e: _to_internet(e))]
        else:
            dests = [(f"the `{ep.service}` endpoint `{ep.inst.address}`",
                      lambda e, ep=ep: _to_endpoint(snapshot, e, ep)) for ep in endpoints]
        for label, test in dests:
            verdict, fact = _any_rule(rules, test)
            if verdict is True:
                continue
            if verdict is None:
                return Verdict(UNDECIDED, f"whether {names} allow egress on TCP 443 to {label} is not known",
                               missing=fact, evidence=evidence)
            return Verdict(
                FAIL, f"service `{svc.address}`: its security groups {names} allow no egress on TCP 443 to "
                      f"{label}, where the image pull from subnet `{sub.address}` goes",
                "Add an egress rule for TCP 443 to " + (
                    "0.0.0.0/0 (`aws_vpc_security_group_egress_rule` with `cidr_ipv4 = \"0.0.0.0/0\"`)"
                    if how == "internet" else
                    "the endpoint: `referenced_security_group_id` = the endpoint's security group (or the VPC "
                    "CIDR) for interface endpoints, `prefix_list_id` = the S3 endpoint's `prefix_list_id` for the "
                    "gateway endpoint") + ".",
                evidence=evidence)
    return _v_pass(evidence)


def _any_rule(rules, test):
    facts = []
    for e in rules:
        port = _allows_443(e)
        if port is False:
            continue
        ok = test(e)
        if port is True and ok is True:
            return True, None
        if port is None or ok is None:
            facts.append(f"{e.owner} (its protocol, ports or destination: known after apply)")
    if facts:
        return None, facts[0]
    return False, None


def _to_internet(e: Egress) -> Optional[bool]:
    unsure = False
    for c in e.cidrs:
        if c in ("0.0.0.0/0",):
            return True
        if not isinstance(c, str):
            unsure = True
        elif not _is_private(c) and ":" not in c:
            unsure = True  # a public range: whether the registry's addresses are in it is not known
    if e.prefix_lists:
        unsure = True
    if any(not is_known(x) for x in e.groups):
        unsure = True
    return None if unsure else False


def _to_endpoint(snapshot, e: Egress, ep: Endpoint) -> Optional[bool]:
    unsure = False
    if ep.kind == "Gateway":
        for c in e.cidrs:
            if c == "0.0.0.0/0":
                return True
            if not isinstance(c, str):
                unsure = True
        for pl in e.prefix_lists:
            if isinstance(pl, Ref) and pl.address == ep.inst.address and pl.attribute == "prefix_list_id":
                return True
            known = ep.inst.get("prefix_list_id")
            if isinstance(pl, str) and isinstance(known, str):
                if pl == known:
                    return True
            elif isinstance(pl, str) and pl.startswith("pl-"):
                unsure = True  # the S3 prefix list of the region is not in the plan
            else:
                unsure = True
        return None if unsure else False
    nets = []
    for s in ep.subnets.instances:
        c = s.get("cidr_block")
        try:
            nets.append(ipaddress.ip_network(c)) if isinstance(c, str) else None
        except ValueError:
            pass
    cov = _any_cidr_covers(e.cidrs, nets)
    if cov is True:
        return True
    if cov is None:
        unsure = True
    for g in e.groups:
        for epg in ep.security_groups.instances:
            same = _same(snapshot, g, epg)
            if same is True:
                return True
            if same is None:
                unsure = True
        if not ep.security_groups.known:
            unsure = True
    if e.prefix_lists:
        unsure = True
    return None if unsure else False
