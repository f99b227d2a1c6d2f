"""The Terraform source beside the plan: values the plan knows only after apply.

Interface used by ``parse.plan``: ``load_source(config_dir, plan, warnings)``
returns a ``Source`` (or None when no source is to be read), and
``Source.value(instance, attribute, snapshot)`` returns what the source says an
unknown attribute will be (a concrete value, a ``Partial``, a ``Ref``) or None
when it cannot tell. Anything it cannot evaluate must come back as None or
``Unknown``: never a wrong concrete value, never an exception.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional


class Source:
    def value(self, instance, attribute: str, snapshot) -> Any:
        return None


def load_source(config_dir: Optional[Path], plan: dict, warnings: list) -> Optional[Source]:
    """Not implemented yet: the plan alone decides."""
    return None
