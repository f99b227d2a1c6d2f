"""Report formatters, one per file. Each exposes ``render(result, **opts) -> str``.

Options every formatter accepts (and may ignore): ``color`` (text on a terminal),
``locations`` (address -> (file, line) of the resource block in the source, or None).
"""
from . import github, json_report, junit, markdown, sarif, text

FORMATS = {"text": text.render, "json": json_report.render, "sarif": sarif.render, "junit": junit.render,
           "github": github.render, "markdown": markdown.render}

__all__ = ["FORMATS"]
