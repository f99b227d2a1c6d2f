"""ECS views over a snapshot: task definitions with parsed containers, services."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Union

from ..values import Redacted, Unknown, is_known
from .world import Instance, Snapshot


@dataclass(frozen=True, slots=True)
class Container:
    name: str
    index: int
    image: Any                       # str, or a marker when unknown
    repository_credentials: Any      # dict | None | marker
    secrets: tuple                   # ({"name":..., "valueFrom":...}, ...)
    log_configuration: Any           # dict | None
    essential: Any

    @property
    def credentials_parameter(self) -> Any:
        rc = self.repository_credentials
        if isinstance(rc, dict):
            return rc.get("credentialsParameter")
        return rc


@dataclass(frozen=True, slots=True)
class TaskDefinition:
    instance: Instance
    containers: Union[tuple, Unknown]   # tuple of Container, or Unknown with the reason
    execution_role_arn: Any
    address: str = ""                   # the instance's address (read tens of thousands of times)

    def __post_init__(self) -> None:
        if not self.address:
            object.__setattr__(self, "address", self.instance.address)

    @property
    def compatibilities(self) -> tuple:
        v = self.instance.get("requires_compatibilities")
        return tuple(v) if isinstance(v, (list, tuple)) else ()


def _containers(inst: Instance) -> Union[tuple, Unknown]:
    raw = inst.get("container_definitions")
    if isinstance(raw, Redacted):
        doc = raw.summary
        if doc is None:
            return Unknown(f"{inst.address}.container_definitions (sensitive and not a JSON list)")
    elif not is_known(raw):
        fact = getattr(raw, "fact", f"{inst.address}.container_definitions")
        return Unknown(f"{inst.address}.container_definitions (known after apply; {fact})"
                       if "container_definitions" not in fact else f"{fact} (known after apply)")
    elif raw is None:
        return ()
    else:
        try:
            doc = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            return Unknown(f"{inst.address}.container_definitions (not valid JSON)")
    if not isinstance(doc, list):
        return Unknown(f"{inst.address}.container_definitions (not a JSON list)")
    out = []
    for i, c in enumerate(doc):
        if not isinstance(c, dict):
            continue
        secrets = c.get("secrets")
        out.append(Container(
            name=str(c.get("name") or f"#{i}"),
            index=i,
            image=c.get("image"),
            repository_credentials=c.get("repositoryCredentials"),
            secrets=tuple(s for s in secrets if isinstance(s, dict)) if isinstance(secrets, list) else (),
            log_configuration=c.get("logConfiguration"),
            essential=c.get("essential", True),
        ))
    return tuple(out)


def task_definitions(snapshot: Snapshot) -> list[TaskDefinition]:
    """Every ``aws_ecs_task_definition`` in the snapshot, containers parsed once."""
    cached = snapshot.cache.get("task_definitions")
    if cached is None:
        cached = [
            TaskDefinition(instance=inst, containers=_containers(inst),
                           execution_role_arn=inst.get("execution_role_arn"), address=inst.address)
            for inst in snapshot.of_type("aws_ecs_task_definition")
        ]
        snapshot.cache["task_definitions"] = cached
    return cached


def ecs_services(snapshot: Snapshot) -> list[Instance]:
    return list(snapshot.of_type("aws_ecs_service"))
