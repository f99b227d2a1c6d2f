"""Container image references, as Docker and the ECS agent parse them.

Grammar (distribution/reference):
    reference := name [ ":" tag ] [ "@" digest ]
    name      := [domain "/"] path-component ["/" path-component]*
    domain    := host [":" port]      (first component containing "." or ":", or "localhost",
                                        or with an uppercase letter)
    path-component := [a-z0-9]+ (separator [a-z0-9]+)*;  separator := [_.] | "__" | "-"+
    tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
    digest    := algorithm ":" hex  (pullguard requires sha256 + 64 lowercase hex, as ECS does)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..values import Hole, Partial, Ref

PATH_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
DOMAIN = re.compile(
    r"^(?:(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*"
    r"|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?$"
)
# Private ECR registry hosts (AWS General Reference, "Amazon ECR endpoints"): IPv4
# <acct>.dkr.ecr[-fips].<region>.amazonaws.com[.cn] (and the ISO partitions), dual-stack
# <acct>.dkr-ecr[-fips].<region>.on.aws.
ECR_DOMAIN = re.compile(
    r"^(\d{12})\.(?:dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.(?:amazonaws\.com(?:\.cn)?|c2s\.ic\.gov|"
    r"sc2s\.sgov\.gov)|dkr-ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.on\.aws)$"
)
DOCKER_HUB = {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}
# Registries that only serve public images, pulled anonymously (ecr-public.aws.com: ECR Public's
# dual-stack host for Docker/OCI clients).
PUBLIC_REGISTRIES = {"public.ecr.aws", "ecr-public.aws.com", "mcr.microsoft.com", "registry.k8s.io"}
MAX_NAME = 255


@dataclass(frozen=True, slots=True)
class ImageRef:
    raw: str
    domain: Optional[str]      # None: Docker Hub by default
    path: str                  # repository path, e.g. library/nginx
    tag: Optional[str]
    digest: Optional[str]

    @property
    def registry(self) -> str:
        return "docker.io" if self.domain is None or self.domain in DOCKER_HUB else self.domain

    @property
    def is_docker_hub(self) -> bool:
        return self.registry == "docker.io"

    @property
    def is_docker_official(self) -> bool:
        return self.is_docker_hub and self.path.startswith("library/") and self.path.count("/") == 1

    @property
    def ecr(self) -> Optional[tuple]:
        """(account, region) when the image is in a private Amazon ECR registry."""
        m = ECR_DOMAIN.match(self.domain or "")
        return (m.group(1), m.group(2) or m.group(3)) if m else None

    @property
    def is_public_registry(self) -> bool:
        return self.registry in PUBLIC_REGISTRIES

    @property
    def repository(self) -> str:
        return f"{self.registry}/{self.path}"


class InvalidImage(ValueError):
    """``str(exc)`` says exactly what is wrong with the reference."""


def _check_digest(digest: str) -> None:
    if not DIGEST.match(digest):
        raise InvalidImage(f"the digest `{digest}` is not `sha256:` followed by 64 lowercase hex characters")


def _check_tag(tag: str) -> None:
    if not TAG.match(tag):
        raise InvalidImage(
            f"the tag `{tag}` is not valid: a tag is 1 to 128 letters, digits, `_`, `.` or `-`, "
            "not starting with `.` or `-`")


@lru_cache(maxsize=8192)
def parse_image(raw: str) -> ImageRef:
    """Parse a reference, raising ``InvalidImage`` with a specific reason (valid ones are cached:
    every image rule asks about every container)."""
    if not isinstance(raw, str) or raw == "":
        raise InvalidImage("the image is empty")
    if raw != raw.strip() or any(c.isspace() for c in raw):
        raise InvalidImage("the image contains white space")
    rest, digest = raw, None
    if "@" in rest:
        rest, digest = rest.split("@", 1)
        _check_digest(digest)
    tag = None
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        rest, tag = rest[:colon], rest[colon + 1:]
        _check_tag(tag)
    if not rest:
        raise InvalidImage("the repository name is empty")
    domain, path = None, rest
    first, sep, remainder = rest.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first.lower() != first):
        domain, path = first, remainder
        if not DOMAIN.match(domain):
            raise InvalidImage(f"the registry host `{domain}` is not a valid host name[:port]")
    if not path:
        raise InvalidImage("the repository path is empty")
    if len(rest) > MAX_NAME:
        raise InvalidImage(f"the repository name is longer than {MAX_NAME} characters")
    for comp in path.split("/"):
        if PATH_COMPONENT.match(comp):
            continue
        if comp.lower() != comp and PATH_COMPONENT.match(comp.lower()):
            name = rest if domain is not None and not any(ch in domain for ch in ".:") else path
            raise InvalidImage(f"the repository `{name}` has uppercase letters; repository names must be lowercase")
        if comp == "":
            raise InvalidImage(f"the repository path `{path}` has an empty component (`//` or a trailing `/`)")
        bad = sorted({c for c in comp if not (c.islower() or c.isdigit() or c in "._-")})
        if bad:
            raise InvalidImage(
                f"the repository path `{path}` contains {', '.join(f'`{c}`' for c in bad)}; "
                "only lowercase letters, digits and the separators `.`, `_`, `__`, `-` are allowed")
        raise InvalidImage(
            f"the repository path component `{comp}` must start and end with a lowercase letter or digit "
            "and use only `.`, `_`, `__` or `-` between them")
    if domain is None and "/" not in path:
        path = "library/" + path
    elif domain in DOCKER_HUB and "/" not in path:
        path = "library/" + path
    return ImageRef(raw=raw, domain=domain, path=path, tag=tag, digest=digest)


# ------------------------------------------------- images known only after apply

# a reference to an ECR repository's URL, in any module, one instance or the only one
ECR_URL_FACT = re.compile(r"(?:^|\.)aws_ecr_repository\.[A-Za-z_][A-Za-z0-9_-]*(?:\[[^\]]*\])?\.repository_url$")


@dataclass(frozen=True, slots=True)
class EcrUrlImage:
    """An image written ``"${aws_ecr_repository.x.repository_url}[:tag][@digest]"`` whose URL is known
    only after apply: an Amazon ECR registry host and repository name, never a tag or digest, so the
    text after it says how the image is pinned."""
    raw: str          # as shown: <aws_ecr_repository.x.repository_url>:1.0
    repository: str   # the reference, e.g. aws_ecr_repository.x.repository_url
    tag: Optional[str]
    digest: Optional[str]

    # what ImageRef's readers ask: in ECR (account and region not known before apply), not Docker Hub
    ecr = property(lambda self: (None, None))
    is_docker_hub = is_docker_official = is_public_registry = property(lambda self: False)


def ecr_url_image(img) -> Optional[EcrUrlImage]:
    """The ``EcrUrlImage`` an unknown image is, or None; raises ``InvalidImage`` when the known text
    after the URL is not a valid ``:tag`` / ``@digest``."""
    if isinstance(img, Ref):
        fact, rest = f"{img.address}.{img.attribute}", ""
    elif (isinstance(img, Partial) and img.parts and isinstance(img.parts[0], Hole)
          and all(isinstance(p, str) for p in img.parts[1:])):
        fact, rest = img.parts[0].fact, "".join(img.parts[1:])
    else:
        return None
    if not ECR_URL_FACT.search(fact) or (rest and (rest[0] not in ":@" or "/" in rest)):
        return None
    tag = digest = None
    if "@" in rest:
        rest, digest = rest.split("@", 1)
        _check_digest(digest)
    if rest:
        tag = rest[1:]
        _check_tag(tag)
    return EcrUrlImage(str(img) if isinstance(img, Partial) else f"<{fact}>", fact, tag, digest)
