"""Counts shared by every format."""
from collections import Counter


def summarize(result) -> dict:
    sev = Counter(f.severity for f in result.findings)
    return {
        "errors": sev.get("error", 0),
        "warnings": sev.get("warning", 0),
        "notices": sev.get("notice", 0),
        "findings": len(result.findings),
        "undecided": len(result.undecided),
        "suppressed": len(result.suppressed),
        "passed": result.passed,
        "new": sum(1 for f in result.findings if f.new),
        "hidden_existing": result.hidden_existing,
        "rules": len(result.rules),
        "skipped_rules": list(result.skipped_rules),
        "task_definitions": sum(1 for _ in result.world.planned.of_type("aws_ecs_task_definition")),
        "resources": len(result.world.planned),
    }
