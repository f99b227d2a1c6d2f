"""``--format text`` (default): findings grouped by resource, one line each plus its fix."""
from itertools import groupby

import click

from .summary import summarize

COLOURS = {"error": "red", "warning": "yellow", "notice": "cyan", "undecided": "magenta"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(result, color: bool = False, **_) -> str:
    def style(text, **kw):
        return click.style(text, **kw) if color else text

    out = []
    for address, group in groupby(result.findings, key=lambda f: f.address):
        out.append(style(address, bold=True))
        for f in group:
            sev = style(f"{f.severity:<7}", fg=COLOURS.get(f.severity), bold=f.severity == "error")
            tag = "" if f.new else style(" (already deployed)", dim=True)
            out.append(f"  {sev} {f.rule_id} {f.message}{tag}")
            out.append(style(f"          fix: {f.remediation}", dim=True))
        out.append("")
    if result.undecided:
        out.append(style(f"Undecided ({len(result.undecided)}): not failing the gate; "
                         "pass --fail-on-undecided to change that", fg=COLOURS["undecided"]))
        groups: dict = {}
        for u in result.undecided:  # one line per missing fact, naming every rule it blocks
            groups.setdefault((u.address, u.container, u.reason, u.missing), []).append(u.rule_id)
        for (address, container, reason, missing), ids in groups.items():
            where = f" [{container}]" if container else ""
            out.append(f"  {', '.join(ids)} {address}{where}: {reason} (missing: {missing})")
        out.append("")
    if result.suppressed:
        out.append(f"Suppressed ({len(result.suppressed)}):")
        for f in result.suppressed:
            where = f" [{f.container}]" if f.container else ""
            out.append(f"  {f.rule_id} {f.address}{where}: {f.suppressed}")
        out.append("")
    for w in result.world.warnings:
        out.append(style(f"warning: {w}", fg="yellow"))
    s = summarize(result)
    parts = [f"{s['errors']} error{'s' * (s['errors'] != 1)}",
             f"{s['warnings']} warning{'s' * (s['warnings'] != 1)}",
             f"{s['notices']} notice{'s' * (s['notices'] != 1)}"]
    line = (f"{_plural(s['findings'], 'finding')} ({', '.join(parts)}), {s['undecided']} undecided, "
            f"{s['suppressed']} suppressed; {_plural(s['task_definitions'], 'task definition')}, "
            f"{_plural(s['rules'], 'rule')}, {result.world.source}")
    if s["hidden_existing"]:
        line += f"; {s['hidden_existing']} already-deployed finding(s) hidden by --only-new"
    out.append(style(line, bold=True))
    return "\n".join(out) + "\n"
