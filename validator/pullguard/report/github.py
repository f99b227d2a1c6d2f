"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

    ::error file=main.tf,line=12,title=PG201::aws_ecs_task_definition.app [web]: ...

Findings are ``error``/``warning``/``notice`` by severity; undecided outcomes and
suppressed findings (with their reason) are ``notice``. Located at the resource
block in the ``.tf`` source when the source was read, else at the plan file.
"""
from .sarif import where
from .summary import summarize

KIND = {"error": "error", "warning": "warning", "notice": "notice"}


def _data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _line(kind: str, result, address: str, title: str, message: str, locations) -> str:
    file, line = where(result, address, locations)
    props = [f"file={_prop(file)}"] + ([f"line={line}"] if line else []) + [f"title={_prop(title)}"]
    return f"::{kind} {','.join(props)}::{_data(message)}"


def render(result, locations=None, **_) -> str:
    out = []
    for f in result.findings:
        where_ = f" [{f.container}]" if f.container else ""
        out.append(_line(KIND.get(f.severity, "warning"), result, f.address, f.rule_id,
                         f"{f.address}{where_}: {f.message}\nfix: {f.remediation}", locations))
    for u in result.undecided:
        where_ = f" [{u.container}]" if u.container else ""
        out.append(_line("notice", result, u.address, f"{u.rule_id} undecided",
                         f"{u.address}{where_}: {u.reason} (missing: {u.missing})", locations))
    for f in result.suppressed:
        where_ = f" [{f.container}]" if f.container else ""
        out.append(_line("notice", result, f.address, f"{f.rule_id} suppressed",
                         f"{f.address}{where_}: suppressed: {f.suppressed}", locations))
    for w in result.world.warnings:
        out.append(f"::warning title=pullguard::{_data(w)}")
    s = summarize(result)
    out.append(f"pullguard: {s['findings']} finding(s) ({s['errors']} error(s), {s['warnings']} warning(s), "
               f"{s['notices']} notice(s)), {s['undecided']} undecided, {s['suppressed']} suppressed; "
               f"{result.world.source}")
    return "\n".join(out) + "\n"
