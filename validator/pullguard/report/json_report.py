"""``--format json``: {"findings": [...], "undecided": [...], "summary": {...}}."""
import json

from .. import __version__
from .summary import summarize


def render(result, **_) -> str:
    w = result.world
    doc = {
        "pullguard_version": __version__,
        "plan": {"source": w.source, "format_version": w.format_version, "terraform_version": w.terraform_version},
        "findings": [f.to_dict() for f in result.findings],
        "undecided": [u.to_dict() for u in result.undecided],
        "suppressed": [f.to_dict() for f in result.suppressed],
        "summary": summarize(result),
        "warnings": list(w.warnings),
    }
    return json.dumps(doc, indent=2) + "\n"
