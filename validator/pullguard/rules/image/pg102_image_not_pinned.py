"""PG102: the image is not pinned (no tag, or the tag `latest`, and no digest)."""
from ..base import Rule, Severity, fail, passed
from ..common import per_container
from .after_apply import image_of


def _one(td, c):
    ref, out = image_of(td, c, "whether the image is pinned")
    if ref is None:
        if out:
            yield out
        return
    if ref.digest is None and ref.tag in (None, "latest"):
        how = "has no tag or digest, so ECS pulls `latest`" if ref.tag is None else "uses the tag `latest`"
        yield fail(td.address,
                   f"container `{c.name}`: image `{ref.raw}` {how}, which changes under running services "
                   "and makes rollbacks and scale-outs pull different code",
                   "Pin a version tag (`repo:1.4.2`) or a digest (`repo@sha256:...`).", c.name, (td.address,))
    else:
        yield passed(td.address, c.name)


def check(snapshot, settings):
    return per_container(snapshot, _one, "whether the image is pinned")


RULE = Rule("PG102", "Image is not pinned", Severity.NOTICE, check)
