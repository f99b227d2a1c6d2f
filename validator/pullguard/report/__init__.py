"""Report formatters, one per file. Each exposes ``render(result, **opts) -> str``."""
from . import json_report, text

FORMATS = {"text": text.render, "json": json_report.render}

__all__ = ["FORMATS"]
