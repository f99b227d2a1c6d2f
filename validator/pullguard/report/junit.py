"""``--format junit``: one test suite per rule, one test case per rule × resource.

The resources of a rule are the ones of its scope in the plan (task definitions,
or services for service-scope rules) plus any other address it reported on. A
finding is a ``<failure>`` (all its containers in one), an undecided outcome or a
suppressed finding is ``<skipped>`` with the reason; anything else passed.
"""
import xml.etree.ElementTree as ET

from .summary import summarize

SCOPE_TYPES = {"service": "aws_ecs_service"}


def _subjects(result, rule) -> list:
    type_ = SCOPE_TYPES.get(getattr(rule, "scope", "container"), "aws_ecs_task_definition")
    return [i.address for i in result.world.planned.of_type(type_)]


def _clean(text: str) -> str:  # XML 1.0 has no place for most control characters
    return "".join(ch for ch in str(text) if ch in "\t\n\r" or ord(ch) >= 0x20)


def render(result, **_) -> str:
    rules = list(result.rules)
    if any(f.rule_id not in {r.id for r in rules} for f in result.findings):
        from types import SimpleNamespace  # PG000: pullguard itself
        rules.append(SimpleNamespace(id="PG000", title="pullguard internal error", scope="(pullguard)"))
    root = ET.Element("testsuites", name="pullguard")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for rule in rules:
        fails, undec, supp = {}, {}, {}
        for f in result.findings:
            if f.rule_id == rule.id:
                fails.setdefault(f.address, []).append(f)
        for u in result.undecided:
            if u.rule_id == rule.id:
                undec.setdefault(u.address, []).append(u)
        for f in result.suppressed:
            if f.rule_id == rule.id:
                supp.setdefault(f.address, []).append(f)
        addresses = list(dict.fromkeys([*_subjects(result, rule), *fails, *undec, *supp]))
        suite = ET.SubElement(root, "testsuite", name=f"{rule.id} {rule.title}")
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for address in addresses:
            case = ET.SubElement(suite, "testcase", name=address, classname=f"pullguard.{rule.id}")
            counts["tests"] += 1
            if address in fails:
                items = fails[address]
                first = items[0]
                body = []
                for f in items:
                    where = f"container {f.container}: " if f.container else ""
                    body.append(f"{where}{f.message}\nfix: {f.remediation}\nevidence: {' -> '.join(f.evidence)}")
                failure = ET.SubElement(case, "failure", message=_clean(first.message), type=first.severity)
                failure.text = _clean("\n\n".join(body))
                counts["failures"] += 1
            elif address in undec:
                text = "; ".join(f"undecided: {u.reason} (missing: {u.missing})" for u in undec[address])
                ET.SubElement(case, "skipped", message=_clean(text))
                counts["skipped"] += 1
            elif address in supp:
                text = "; ".join(f"suppressed: {f.suppressed}" for f in supp[address])
                ET.SubElement(case, "skipped", message=_clean(text))
                counts["skipped"] += 1
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("errors", "0")
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("errors", "0")
    s = summarize(result)
    props = ET.Element("properties")
    for k in ("findings", "undecided", "suppressed"):
        ET.SubElement(props, "property", name=k, value=str(s[k]))
    for w in result.world.warnings:
        ET.SubElement(props, "property", name="warning", value=_clean(w))
    if len(root):
        root[0].insert(0, props)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
