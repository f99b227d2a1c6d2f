"""The image as the image rules read it: ``known_image``, and also an image known only after apply
as an ECR repository's URL followed by a known tag or digest (``evaluate.image.EcrUrlImage``):
``"${aws_ecr_repository.app.repository_url}:1.4.2"`` on a first plan is in ECR and pinned."""
from ...evaluate.image import InvalidImage, ecr_url_image
from ..common import known_image


def image_of(td, c, what: str):
    """(ImageRef | EcrUrlImage, None), or ``known_image``'s (None, outcome | None)."""
    ref, out = known_image(td, c, what)
    if ref is not None or out is None:
        return ref, out
    try:
        url = ecr_url_image(c.image)
    except InvalidImage:
        return None, None  # PG101 reports it
    return (url, None) if url is not None else (None, out)
