"""Small helpers shared by rules (iteration, wording). No rule logic lives here."""
from __future__ import annotations

from typing import Callable, Iterator

from ..evaluate.image import ImageRef, InvalidImage, parse_image
from ..model.ecs import Container, TaskDefinition, task_definitions
from ..values import Partial, Redacted, Ref, Unknown, describe
from .base import Outcome, fail, passed, undecided

SOURCE_HINT = "run pullguard with the Terraform source (--config-dir) or on a plan made after apply"


def per_container(snapshot, check_one: Callable[[TaskDefinition, Container], Iterator[Outcome]],
                  what: str) -> Iterator[Outcome]:
    """Run ``check_one`` on each container; one undecided per task definition
    whose container definitions are not known."""
    unknown = snapshot.cache.setdefault("per_container_unknown", {})  # one outcome per task, shared by rules
    for td in task_definitions(snapshot):
        if isinstance(td.containers, Unknown):
            o = unknown.get(td.address)
            if o is None:
                o = unknown[td.address] = undecided(
                    td.address, td.containers.fact,
                    f"the container definitions of `{td.address}` are known only after apply; {SOURCE_HINT}")
            yield o
            continue
        for c in td.containers:
            yield from check_one(td, c)


def known_image(td: TaskDefinition, c: Container, what: str):
    """(ImageRef, None) for a valid known image; (None, Outcome|None) otherwise.

    An unknown image gives an undecided outcome; an invalid one gives
    (None, None): PG101 reports it, other rules stay silent.
    """
    img = c.image
    if isinstance(img, (Unknown, Ref, Partial, Redacted)):
        return None, undecided(td.address, getattr(img, "fact", "image"),
                               f"the image of container `{c.name}` is {describe(img)}", container=c.name)
    if not isinstance(img, str):
        return None, None
    try:
        return parse_image(img), None
    except InvalidImage:
        return None, None


def has_credentials(c: Container) -> bool:
    rc = c.repository_credentials
    return rc is not None and rc != {}


__all__ = ["per_container", "known_image", "has_credentials", "execution_role_state", "require_execution_role", "ImageRef", "SOURCE_HINT"]


def execution_role_state(td: TaskDefinition):
    """("set" | "unset" | "unknown", fact). A Ref to a resource attribute counts as set:
    an ARN of a resource in the plan is never null."""
    v = td.execution_role_arn
    if v is None or v == "":
        return "unset", None
    if isinstance(v, (str, Ref, Partial)):
        return "set", None
    return "unknown", getattr(v, "fact", f"{td.address}.execution_role_arn")


def require_execution_role(td: TaskDefinition, c: Container, message: str, remediation: str) -> Outcome:
    """Pass when the task definition has an execution role, fail with ``message`` when it has none,
    undecided when that is known only after apply."""
    state, fact = execution_role_state(td)
    if state == "set":
        return passed(td.address, c.name)
    if state == "unknown":
        return undecided(td.address, fact, f"whether `{td.address}` has an execution role is known only after "
                         "apply", container=c.name)
    return fail(td.address, message, remediation, c.name, (td.address,))
