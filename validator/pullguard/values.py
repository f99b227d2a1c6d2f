"""Value types shared by the model, the evaluators and the rules.

A value in pullguard's model of "the world after apply" is either an ordinary
JSON value (str, int, float, bool, None, list, dict) or one of these markers:

* ``Unknown``  - Terraform will know it only after apply, and nothing more is
  known about it. ``fact`` names what is missing, for "undecided" outcomes.
* ``Ref``      - unknown until apply, but known to be exactly the value of one
  attribute of one resource instance (``aws_iam_role.exec.arn``).  Two equal
  ``Ref`` objects denote the same value; ``shape`` optionally describes what the
  value will look like (a secret ARN ends in ``-`` + 6 random characters).
* ``Partial``  - a string made of known text and ``Hole`` pieces.
* ``Redacted`` - a value the plan marks sensitive (or that is secret by nature).
  The value itself is never kept; ``summary`` holds the few facts rules may
  need about its *shape* (never its content).

This module imports nothing from the rest of pullguard.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

__all__ = [
    "Unknown",
    "Ref",
    "Hole",
    "Partial",
    "Redacted",
    "is_known",
    "describe",
    "ALNUM",
]

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value known only after apply; ``fact`` says which (for messages)."""

    fact: str

    def __str__(self) -> str:  # pragma: no cover - trivial
        return f"({self.fact}: known after apply)"


@dataclass(frozen=True, slots=True)
class Hole:
    """An unknown run of characters inside a ``Partial`` string.

    ``min_len``/``max_len`` bound its length (``max_len=None``: unbounded);
    ``charset`` lists the characters it may contain (``None``: any).
    """

    fact: str
    min_len: int = 0
    max_len: Optional[int] = None
    charset: Optional[str] = None


@dataclass(frozen=True, slots=True)
class Partial:
    """A string whose pieces are known text (``str``) or ``Hole``s."""

    parts: tuple

    def __str__(self) -> str:
        return "".join(p if isinstance(p, str) else "<" + p.fact + ">" for p in self.parts)

    @property
    def facts(self) -> tuple:
        return tuple(p.fact for p in self.parts if isinstance(p, Hole))


@dataclass(frozen=True, slots=True)
class Ref:
    """Exactly the value of ``attribute`` of resource instance ``address``.

    Equality is by (address, attribute): two refs to the same attribute are the
    same value, refs to different resources' ARNs are different values.
    ``shape`` (not part of equality) is a ``Partial`` describing the value when
    the model knows its form, e.g. a secret's ARN with its random suffix.
    """

    address: str
    attribute: str
    shape: Optional[Partial] = field(default=None, compare=False, hash=False)

    def __str__(self) -> str:
        return f"{self.address}.{self.attribute}"

    @property
    def fact(self) -> str:
        return f"{self.address}.{self.attribute}"


@dataclass(frozen=True, slots=True)
class Redacted:
    """A sensitive value. Its content is never stored; see module docstring."""

    what: str
    summary: Any = field(default=None, compare=False, hash=False, repr=False)

    def __str__(self) -> str:
        return "(sensitive)"

    def __repr__(self) -> str:
        return f"Redacted({self.what!r})"


Value = Union[str, int, float, bool, None, list, dict, Unknown, Ref, Partial, Redacted]


def is_known(value: Any) -> bool:
    """True when ``value`` (shallowly) is an ordinary, fully known value."""
    return not isinstance(value, (Unknown, Ref, Partial, Redacted))


def describe(value: Any) -> str:
    """A short, leak-free description of a value for messages."""
    if isinstance(value, Redacted):
        return "(sensitive value)"
    if isinstance(value, (Unknown, Ref, Partial)):
        return str(value)
    return repr(value) if not isinstance(value, str) else value
