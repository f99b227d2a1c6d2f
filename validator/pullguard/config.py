"""``.pullguard.toml``: settings and suppressions, found from the working directory upward.

    fail_on = "error"                  # error | warning | notice
    fail_on_undecided = false
    public_images = ["ghcr.io/acme/*"] # images known to allow anonymous pulls (PG103)

    [[suppress]]
    rule = "PG104"                     # a rule id, or "*"
    address = "module.legacy.*"        # optional glob over resource addresses
    reason = "we mirror Docker Hub"    # required; echoed in every report
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore

from .errors import InputError

FILE_NAME = ".pullguard.toml"
RULE_ID = re.compile(r"^(PG\d{3}|\*)$")
LEVELS = ("error", "warning", "notice")


@dataclass(frozen=True)
class Suppression:
    rule: str
    reason: str
    address: Optional[str] = None

    def matches(self, rule_id: str, address: str) -> bool:
        if self.rule not in ("*", rule_id):
            return False
        return self.address is None or fnmatch.fnmatchcase(address, self.address)


@dataclass(frozen=True)
class Settings:
    public_images: tuple = ()
    suppressions: tuple = ()
    fail_on: Optional[str] = None
    fail_on_undecided: Optional[bool] = None
    path: Optional[str] = None

    def is_declared_public(self, image: str) -> bool:
        """Whether the user declared the image public (pattern over the image, tag and digest optional)."""
        repo = image.split("@", 1)[0]
        head, _, last = repo.rpartition("/")
        repo = (head + "/" if head else "") + last.split(":", 1)[0]
        return any(fnmatch.fnmatchcase(image, p) or fnmatch.fnmatchcase(repo, p) for p in self.public_images)

    def suppression_for(self, rule_id: str, address: str) -> Optional[Suppression]:
        return next((s for s in self.suppressions if s.matches(rule_id, address)), None)


def find_config(start: Path) -> Optional[Path]:
    for folder in (start, *start.parents):
        cand = folder / FILE_NAME
        if cand.is_file():
            return cand
    return None


def load_settings(path: Optional[Path] = None, start: Optional[Path] = None) -> Settings:
    if path is None:
        path = find_config((start or Path.cwd()).resolve())
        if path is None:
            return Settings()
    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such config file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} is not valid TOML ({str(exc).splitlines()[0]})") from None
    known = {"fail_on", "fail_on_undecided", "public_images", "suppress"}
    unknown = sorted(set(doc) - known)
    if unknown:
        raise InputError(f"{path}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
    fail_on = doc.get("fail_on")
    if fail_on is not None and fail_on not in LEVELS:
        raise InputError(f"{path}: fail_on must be one of {', '.join(LEVELS)}")
    images = doc.get("public_images", [])
    if not isinstance(images, list) or not all(isinstance(i, str) for i in images):
        raise InputError(f"{path}: public_images must be a list of image patterns")
    sups = []
    for i, s in enumerate(doc.get("suppress", []) or []):
        where = f"{path}: suppress entry {i + 1}"
        if not isinstance(s, dict):
            raise InputError(f"{where} must be a table")
        rule, reason = s.get("rule"), s.get("reason")
        if not isinstance(rule, str) or not RULE_ID.match(rule):
            raise InputError(f"{where}: rule must be a rule id such as PG104, or \"*\"")
        if not isinstance(reason, str) or not reason.strip():
            raise InputError(f"{where}: a reason is required")
        addr = s.get("address")
        if addr is not None and not isinstance(addr, str):
            raise InputError(f"{where}: address must be a string (a glob)")
        sups.append(Suppression(rule=rule, reason=reason.strip(), address=addr))
    fou = doc.get("fail_on_undecided")
    if fou is not None and not isinstance(fou, bool):
        raise InputError(f"{path}: fail_on_undecided must be true or false")
    return Settings(public_images=tuple(images), suppressions=tuple(sups), fail_on=fail_on,
                    fail_on_undecided=fou, path=str(path))
