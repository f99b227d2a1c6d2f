"""``--format markdown``: a pull-request comment: counts, a table of findings, collapsed details."""
from .sarif import rule_url
from .summary import summarize

ICON = {"error": "🔴", "warning": "🟠", "notice": "🔵"}


def _cell(text) -> str:
    return str(text or "").replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _rule(rule_id: str) -> str:
    return f"[{rule_id}]({rule_url(rule_id)})"


def _code(text) -> str:
    return f"`{_cell(text)}`" if text else ""


def render(result, **_) -> str:
    s = summarize(result)
    status = "❌" if s["errors"] else ("⚠️" if s["findings"] else "✅")
    out = [f"### {status} pullguard: {s['findings']} finding{'s' * (s['findings'] != 1)}", "",
           f"**{s['errors']}** errors · **{s['warnings']}** warnings · **{s['notices']}** notices · "
           f"**{s['undecided']}** undecided · **{s['suppressed']}** suppressed — "
           f"{s['task_definitions']} task definition{'s' * (s['task_definitions'] != 1)}, "
           f"{s['rules']} rule{'s' * (s['rules'] != 1)}, `{_cell(result.world.source)}`", ""]
    if result.findings:
        out += ["| | Rule | Resource | Container | Problem | Fix |", "|---|---|---|---|---|---|"]
        for f in result.findings:
            new = "" if f.new else " *(already deployed)*"
            out.append(f"| {ICON.get(f.severity, '')} {f.severity} | {_rule(f.rule_id)} | {_code(f.address)} | "
                       f"{_code(f.container)} | {_cell(f.message)}{new} | {_cell(f.remediation)} |")
        out.append("")
    if result.undecided:
        out += [f"<details><summary>{len(result.undecided)} undecided (facts the plan does not know yet)</summary>",
                "", "| Rule | Resource | Container | Why | Missing |", "|---|---|---|---|---|"]
        for u in result.undecided:
            out.append(f"| {_rule(u.rule_id)} | {_code(u.address)} | {_code(u.container)} | {_cell(u.reason)} | "
                       f"{_cell(u.missing)} |")
        out += ["", "</details>", ""]
    if result.suppressed:
        out += [f"<details><summary>{len(result.suppressed)} suppressed</summary>", "",
                "| Rule | Resource | Container | Reason |", "|---|---|---|---|"]
        for f in result.suppressed:
            out.append(f"| {_rule(f.rule_id)} | {_code(f.address)} | {_code(f.container)} | {_cell(f.suppressed)} |")
        out += ["", "</details>", ""]
    if result.world.warnings:
        out += ["<details><summary>warnings</summary>", ""]
        out += [f"- {_cell(w)}" for w in result.world.warnings]
        out += ["", "</details>", ""]
    return "\n".join(out).rstrip("\n") + "\n"
