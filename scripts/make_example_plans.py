#!/usr/bin/env python3
"""Generate the committed plans of the examples with real Terraform, offline.

For each example under ``examples/`` this runs ``terraform plan`` and
``terraform show -json`` against a local moto server (``scripts/tfenv.py``) and
writes ``examples/<name>/plan.json`` as ``json.dumps(plan, indent=2,
sort_keys=True)``. Examples run in a scratch copy (``examples/<name>`` plus a
link to ``modules/``), so no ``.terraform/`` or state is left in the checkout;
the ``.terraform.lock.hcl`` Terraform writes is copied back when the example
has none yet.

    python scripts/make_example_plans.py                  # every example
    python scripts/make_example_plans.py ecr-image        # just these
    python scripts/make_example_plans.py --check NAME     # compare with the committed plan.json
    python scripts/make_example_plans.py --second NAME    # apply into moto, write plan.second.json

The second plan (prior state known) is where values computed at apply, such
as container definitions that name a secret ARN, become known.

``--check`` ignores the fields that change from run to run (see VOLATILE and
UNORDERED); with ``--second`` it compares only each resource's planned actions,
since moto makes up new ids on every apply.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from tfenv import TerraformEnv, missing_reason  # noqa: E402

EXAMPLES = ROOT / "examples"
LOCK = ".terraform.lock.hcl"
# Keys whose values differ between two runs of the same plan (found by running twice).
VOLATILE = frozenset({"timestamp"})
# Lists Terraform emits in an order that changes from run to run, though they are sets.
UNORDERED = frozenset({"relevant_attributes"})
# Files of an example that are inputs to Terraform (everything else is output or local state).
INPUT_SUFFIXES = (".tf", ".tfvars", ".tf.json", ".tfvars.json", LOCK)


def example_names() -> list[str]:
    return sorted(p.name for p in EXAMPLES.iterdir() if (p / "main.tf").is_file())


def stage(name: str, scratch: Path) -> Path:
    """Copy an example's Terraform inputs into scratch/examples/<name>; link modules/."""
    src = EXAMPLES / name
    dest = scratch / "examples" / name
    dest.mkdir(parents=True)
    for f in src.iterdir():
        if f.is_file() and f.name.endswith(INPUT_SUFFIXES):
            shutil.copy2(f, dest / f.name)
    modules = scratch / "modules"
    if not modules.exists():
        modules.symlink_to(ROOT / "modules", target_is_directory=True)
    return dest


def _keep_lock(name: str, workdir: Path) -> None:
    lock = EXAMPLES / name / LOCK
    if not lock.exists() and (workdir / LOCK).exists():
        shutil.copy2(workdir / LOCK, lock)


def canonical(plan: dict) -> dict:
    """The plan with its unordered lists sorted, so the same plan always writes the same file."""
    plan = dict(plan)
    for key in UNORDERED & plan.keys():
        plan[key] = sorted(plan[key], key=lambda item: json.dumps(item, sort_keys=True))
    return plan


def write_plan(plan: dict, out: Path) -> None:
    out.write_text(json.dumps(canonical(plan), indent=2, sort_keys=True) + "\n")


def plan_example(tf: TerraformEnv, name: str, second: bool = False) -> dict:
    """The example's first plan, or with ``second`` the plan after applying it into moto."""
    with tempfile.TemporaryDirectory(prefix=f"pullguard-{name}-") as tmp:
        workdir = stage(name, Path(tmp))
        tf.init(workdir)
        _keep_lock(name, workdir)
        if second:
            tf.reset_aws()
            tf.apply(workdir)
        plan = tf.plan_json(workdir)
        if second:
            tf.reset_aws()
        return plan


def strip_volatile(value):
    if isinstance(value, dict):
        return {k: strip_volatile(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [strip_volatile(v) for v in value]
    return value


def first_difference(a, b, path: str = "$") -> str | None:
    """A readable pointer to where two JSON values first differ."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}: only in {'committed' if key in a else 'regenerated'}"
            diff = first_difference(a[key], b[key], f"{path}.{key}")
            if diff:
                return diff
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            diff = first_difference(x, y, f"{path}[{i}]")
            if diff:
                return diff
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def actions_summary(plan: dict) -> dict:
    return {rc["address"]: rc["change"]["actions"] for rc in plan.get("resource_changes", [])}


def check_plan(name: str, plan: dict, second: bool = False) -> str | None:
    """None when the committed plan matches ``plan`` (volatile fields aside), else why not."""
    committed_file = EXAMPLES / name / ("plan.second.json" if second else "plan.json")
    if not committed_file.exists():
        return f"{committed_file.relative_to(ROOT)} is missing"
    committed = json.loads(committed_file.read_text())
    if second:
        # moto makes up new ids and random secret suffixes on every apply: compare what changes.
        committed, plan = actions_summary(committed), actions_summary(plan)
    # Compare through the same serialisation as the committed file.
    regenerated = json.loads(json.dumps(plan, sort_keys=True))
    diff = first_difference(strip_volatile(canonical(committed)), strip_volatile(canonical(regenerated)))
    return f"{committed_file.relative_to(ROOT)} is stale: {diff}" if diff else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="examples (default: all)")
    parser.add_argument("--check", action="store_true", help="compare with the committed plans instead of writing")
    parser.add_argument("--second", action="store_true", help="apply into moto first and write plan.second.json")
    args = parser.parse_args(argv)

    reason = missing_reason()
    if reason:
        print(f"cannot run terraform: {reason}", file=sys.stderr)
        return 2
    known = example_names()
    names = args.names or known
    unknown = sorted(set(names) - set(known))
    if unknown:
        parser.error(f"unknown examples: {', '.join(unknown)} (known: {', '.join(known)})")

    problems = []
    with TerraformEnv() as tf:
        for name in names:
            plan = plan_example(tf, name, second=args.second)
            if args.check:
                problem = check_plan(name, plan, second=args.second)
                print(f"{name}: {problem or 'up to date'}")
                if problem:
                    problems.append(problem)
            else:
                out = EXAMPLES / name / ("plan.second.json" if args.second else "plan.json")
                write_plan(plan, out)
                print(f"wrote {out.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
