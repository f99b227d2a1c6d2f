"""PG101: the image is not a valid image reference."""
from ...evaluate.image import InvalidImage, ecr_url_image, parse_image
from ...values import Partial, Redacted, Ref, Unknown, describe
from ..base import Rule, Severity, fail, passed, undecided
from ..common import per_container

REMEDIATION = ("Set `image` to `[registry/]repository[:tag][@sha256:digest]` with a lowercase repository "
               "path, e.g. `ghcr.io/acme/api:1.4.2`.")


def _invalid(td, c, exc):
    return fail(td.address, f"container `{c.name}`: image `{c.image}` is not a valid reference: {exc}",
                REMEDIATION, c.name, (td.address,))


def _one(td, c):
    img = c.image
    try:
        url = ecr_url_image(img)  # "${aws_ecr_repository.x.repository_url}:tag": the URL is valid, the rest known
    except InvalidImage as exc:
        yield _invalid(td, c, exc)
        return
    if url is not None:
        yield passed(td.address, c.name)
        return
    if isinstance(img, (Unknown, Ref, Partial, Redacted)):
        yield undecided(td.address, getattr(img, "fact", "image"),
                        f"the image of container `{c.name}` is {describe(img)}", container=c.name)
        return
    if img is None:
        yield fail(td.address, f"container `{c.name}` has no image", REMEDIATION, c.name, (td.address,))
        return
    if not isinstance(img, str):
        yield fail(td.address, f"container `{c.name}` has an image that is not a string", REMEDIATION, c.name)
        return
    try:
        parse_image(img)
    except InvalidImage as exc:
        yield _invalid(td, c, exc)
        return
    yield passed(td.address, c.name)


def check(snapshot, settings):
    return per_container(snapshot, _one, "the image reference")


RULE = Rule("PG101", "Image reference is invalid", Severity.ERROR, check)
