"""``--format sarif``: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).

One ``reportingDescriptor`` per rule run (help text = the rule's page, helpUri =
its URL); one result per finding (``level`` from the severity), per undecided
outcome (``kind: review``, level ``none``) and per suppressed finding (with a
``suppressions`` entry holding the reason). Each result is located at the
resource block in the ``.tf`` source when the source was read, else at the plan
file, and names the address as a logical location.
"""
import hashlib
import json
import os
import re
from pathlib import Path

from .. import __version__

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
DOCS_BASE = "https://github.com/pullguard/pullguard/blob/main/docs/rules/"
PAGES = Path(__file__).resolve().parent.parent / "rule_docs"
LEVEL = {"error": "error", "warning": "warning", "notice": "note"}


def rule_url(rule_id: str) -> str:
    """The rule's page; PULLGUARD_DOCS_URL points reports at a fork's or a mirror's docs."""
    base = os.environ.get("PULLGUARD_DOCS_URL") or DOCS_BASE
    return f"{base.rstrip('/')}/{rule_id}.md"


def rule_page(rule_id: str) -> str:
    try:
        return (PAGES / f"{rule_id}.md").read_text(encoding="utf-8")
    except OSError:
        return ""


def where(result, address: str, locations):
    """(file, line or None): the resource block in the source when known, else the plan file."""
    loc = locations(address) if locations else None
    if loc:
        return repo_path(loc[0]), loc[1]
    src = result.world.source
    return ("plan.json" if src == "standard input" else repo_path(src)), None


def repo_path(path: str) -> str:
    """A path as code scanning and annotations want it: relative to the git work tree holding it
    (found upward from the file), else as given."""
    p = Path(path)
    if not p.exists():
        return path
    full = p.resolve()
    for folder in full.parents:
        if (folder / ".git").exists():
            return full.relative_to(folder).as_posix()
    return path


def _uri(path: str) -> str:
    p = repo_path(path).replace(os.sep, "/")
    return Path(p).resolve().as_uri() if os.path.isabs(p) else p


def _name(title: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", title)) or "Rule"


def _descriptor(rule) -> dict:
    page = rule_page(rule.id)
    sev = rule.severity.value
    return {
        "id": rule.id,
        "name": _name(rule.title),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.id}: {rule.title}"},
        "helpUri": rule_url(rule.id),
        "help": {"text": page or f"{rule.title}. See {rule_url(rule.id)}", "markdown": page or rule.title},
        "defaultConfiguration": {"level": LEVEL.get(sev, "warning")},
        "properties": {"tags": ["terraform", "aws", "ecs"], "pullguard-severity": sev},
    }


def _result(result, item, index, level, locations, kind="fail") -> dict:
    file, line = where(result, item.address, locations)
    region = {"startLine": line} if line else None
    phys = {"artifactLocation": {"uri": _uri(file)}}
    if region:
        phys["region"] = region
    container = f" [{item.container}]" if item.container else ""
    text = item.message if kind != "review" else f"{item.reason} (missing: {item.missing})"
    key = f"{item.rule_id}|{item.address}|{item.container or ''}"
    out = {
        "ruleId": item.rule_id,
        "level": level,
        "message": {"text": f"{item.address}{container}: {text}"},
        "locations": [{"physicalLocation": phys,
                       "logicalLocations": [{"fullyQualifiedName": item.address, "kind": "resource"}]}],
        "partialFingerprints": {"pullguardFinding/v1": hashlib.sha256(key.encode()).hexdigest()[:32]},
        "properties": {"address": item.address, "container": item.container, "evidence": list(item.evidence)},
    }
    if index is not None:
        out["ruleIndex"] = index
    if kind == "review":
        out["kind"] = "review"
        out["properties"]["missing"] = item.missing
    else:
        out["properties"]["remediation"] = item.remediation
        out["properties"]["new"] = item.new
    if getattr(item, "suppressed", None):
        out["suppressions"] = [{"kind": "inSource" if "(inline, " in item.suppressed else "external",
                                "justification": item.suppressed}]
    return out


def render(result, locations=None, **_) -> str:
    rules = list(result.rules)
    ids = [r.id for r in rules]
    extra = sorted({f.rule_id for f in result.findings} - set(ids))  # PG000: pullguard itself
    descriptors = [_descriptor(r) for r in rules] + [
        {"id": i, "name": "PullguardInternalError", "shortDescription": {"text": "pullguard internal error"},
         "helpUri": rule_url(i), "defaultConfiguration": {"level": "warning"}} for i in extra]
    index = {d["id"]: n for n, d in enumerate(descriptors)}
    results = [_result(result, f, index.get(f.rule_id), LEVEL.get(f.severity, "warning"), locations)
               for f in result.findings]
    results += [_result(result, u, index.get(u.rule_id), "none", locations, kind="review")
                for u in result.undecided]
    results += [_result(result, f, index.get(f.rule_id), LEVEL.get(f.severity, "warning"), locations)
                for f in result.suppressed]
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "pullguard", "version": __version__, "semanticVersion": __version__,
                                "informationUri": DOCS_BASE.rsplit("/blob/", 1)[0], "rules": descriptors}},
            "results": results,
            "properties": {"plan": result.world.source, "warnings": list(result.world.warnings)},
        }],
    }
    return json.dumps(doc, indent=2) + "\n"
