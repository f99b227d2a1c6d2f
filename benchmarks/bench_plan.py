#!/usr/bin/env python3
"""Cost of checking a large plan, against the cost of just parsing its JSON.

Run: ``python benchmarks/bench_plan.py`` (not a test; prints a table).

It builds a real-shaped plan of about 5,000 resources by replicating a plan
that Terraform produced (``examples/fargate-private-registry-cmk/plan.json``, or
``--seed``; else another ``examples/*/plan.json``, else a plan from the shared
corpus, else a small synthetic one): every managed resource of the seed is
copied under a renamed address (``aws_iam_role.execution`` →
``aws_iam_role.execution_c17``) in ``resource_changes``, ``planned_values``,
``prior_state``, ``configuration`` and ``relevant_attributes``, and every
reference to a copied resource inside a copy is renamed the same way, so the
references stay consistent. Data sources are shared, as in a real root module.
Every other copy gets known ``container_definitions`` (as in a plan made after
apply), so the rules have containers to judge and not only undecided ones.

Then, each in a fresh subprocess so that peaks are independent, it measures
``json.load`` of the file and ``pullguard.api.check_plan(path)`` (load, model
and every rule):

* wall time, and the growth of the peak resident size over the size after the
  imports (runs without tracemalloc, which slows allocation down). The peak is
  VmHWM, reset after the imports: ``ru_maxrss`` carries the parent's peak over
  fork+exec on Linux, so its delta reads 0 here; it is the fallback without /proc;
* the tracemalloc peak (separate runs with tracemalloc on).

Each measurement is repeated (``--repeat``, default 5); the table shows
medians and the ratios pullguard / json.load. Targets: time ≤ 3×, peak memory
≤ 1.5×.
"""
from __future__ import annotations

import argparse
import copy
import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_SEED = Path("/work/shared/corpus/plans/"
                   "bridgecrewio+checkov__tests__terraform__image_referencer__resources__aws__ecs_tfplan.json")
TARGET_TIME, TARGET_MEM = 3.0, 1.5

# --------------------------------------------------------------------------- seed

DEFAULT_SEED = ROOT / "examples" / "fargate-private-registry-cmk" / "plan.json"


def find_seed(explicit: str | None) -> tuple[Path | None, dict]:
    """The plan to replicate: --seed, examples/*/plan.json, the corpus plan, or a synthetic one."""
    candidates = [Path(explicit)] if explicit else []
    # the default: a whole Fargate service (task definition, execution role, policies, registry secret,
    # KMS key, VPC, subnets, endpoints), so the IAM, KMS and network rules all have real work to do
    candidates.append(DEFAULT_SEED)
    candidates += [Path(p) for p in sorted(glob.glob(str(ROOT / "examples" / "*" / "plan.json")))]
    candidates.append(CORPUS_SEED)
    for cand in candidates:
        try:
            data = json.loads(cand.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("resource_changes"):
            return cand, data
    return None, _synthetic_seed()


def _synthetic_seed() -> dict:
    acct = "123456789012"
    role_arn = f"arn:aws:iam::{acct}:role/exec"
    secret_arn = f"arn:aws:secretsmanager:us-east-1:{acct}:secret:registry-AbCdEf"
    containers = json.dumps([{"name": "app", "image": "ghcr.io/acme/api:1.4.2",
                              "repositoryCredentials": {"credentialsParameter": secret_arn}}])
    res = {
        "aws_iam_role.exec": ("aws_iam_role", "exec", {"name": "exec", "arn": role_arn}),
        "aws_secretsmanager_secret.registry": ("aws_secretsmanager_secret", "registry",
                                               {"name": "registry", "arn": secret_arn}),
        "aws_ecs_task_definition.app": ("aws_ecs_task_definition", "app",
                                        {"family": "app", "container_definitions": containers,
                                         "execution_role_arn": role_arn}),
    }
    rcs, pvs, cfg = [], [], []
    for addr, (type_, name, values) in res.items():
        rcs.append({"address": addr, "mode": "managed", "type": type_, "name": name,
                    "provider_name": "registry.terraform.io/hashicorp/aws",
                    "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": {}}})
        pvs.append({"address": addr, "mode": "managed", "type": type_, "name": name, "values": values})
        cfg.append({"address": addr, "mode": "managed", "type": type_, "name": name, "expressions": {}})
    return {"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": rcs,
            "planned_values": {"root_module": {"resources": pvs}},
            "configuration": {"root_module": {"resources": cfg}}}


# --------------------------------------------------------------------------- replication


def _managed_bases(seed: dict) -> set[str]:
    """``type.name`` of every managed resource of the root module."""
    bases = set()
    for rc in seed.get("resource_changes") or ():
        if rc.get("mode", "managed") == "managed" and not rc.get("module_address"):
            bases.add(f"{rc['type']}.{rc['name']}")
    return bases


def _renamer(bases: set[str]):
    # `aws_iam_role.execution` followed by neither a name character nor more name:
    # matches `aws_iam_role.execution`, `aws_iam_role.execution.arn`, `aws_iam_role.execution[0]`,
    # never `data.aws_iam_role.execution` (data sources are shared) nor `aws_iam_role.execution2`.
    alts = "|".join(re.escape(b) for b in sorted(bases, key=len, reverse=True))
    pattern = re.compile(r"(?<![\w.])(?<!data\.)(" + alts + r")(?![\w-])")

    def rename(obj, suffix: str):
        text = json.dumps(obj)
        return json.loads(pattern.sub(lambda m: m.group(1) + suffix, text))
    return rename


def _known_containers(rc: dict, suffix: str, bad: bool) -> None:
    """Give a copied task definition known container definitions (a plan after apply);
    ``bad``: an unpinned anonymous Docker Hub image and an SSM parameter as registry
    credentials, so that rules fail (and re-run on the prior state) too."""
    after = rc.get("change", {}).get("after")
    unknown = rc.get("change", {}).get("after_unknown") or {}
    if not isinstance(after, dict) or rc.get("type") != "aws_ecs_task_definition":
        return
    acct = "123456789012"
    creds = (f"arn:aws:ssm:us-east-1:{acct}:parameter/registry{suffix}" if bad
             else f"arn:aws:secretsmanager:us-east-1:{acct}:secret:registry{suffix}-AbCdEf")
    after["container_definitions"] = json.dumps([{
        "name": "app", "image": "acme/api" if bad else "ghcr.io/acme/api:1.4.2", "essential": True,
        "repositoryCredentials": {"credentialsParameter": creds},
        "secrets": [{"name": "DB_PASSWORD",
                     "valueFrom": f"arn:aws:secretsmanager:us-east-1:{acct}:secret:db{suffix}-AbCdEf"}],
        "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": f"/ecs/app{suffix}",
                                                                  "awslogs-region": "us-east-1",
                                                                  "awslogs-stream-prefix": "app"}},
    }])
    after["execution_role_arn"] = f"arn:aws:iam::{acct}:role/exec{suffix}"
    unknown.pop("container_definitions", None)
    unknown.pop("execution_role_arn", None)


def _values_resources(section) -> list | None:
    if not isinstance(section, dict):
        return None
    section = section.get("values", section)
    rm = section.get("root_module") if isinstance(section, dict) else None
    return rm.get("resources") if isinstance(rm, dict) else None


def build_plan(seed: dict, target: int) -> tuple[dict, int, int]:
    """(plan, resource count, copies): the seed's managed resources replicated to ``target``."""
    bases = _managed_bases(seed)
    per_copy = sum(1 for rc in seed["resource_changes"] if f"{rc.get('type')}.{rc.get('name')}" in bases
                   and rc.get("mode", "managed") == "managed" and not rc.get("module_address"))
    copies = max(1, -(-target // max(per_copy, 1)))
    rename = _renamer(bases)
    plan = copy.deepcopy(seed)

    def is_copied(entry) -> bool:
        return (isinstance(entry, dict) and entry.get("mode", "managed") == "managed"
                and f"{entry.get('type')}.{entry.get('name')}" in bases and not entry.get("module_address"))

    def replicate(entries: list, fix=None) -> list:
        shared = [e for e in entries if not is_copied(e)]
        own = [e for e in entries if is_copied(e)]
        out = list(shared)
        for i in range(copies):
            suffix = f"_c{i}"
            for e in rename(own, suffix):
                e["name"] = e["name"] + suffix
                if fix:
                    fix(e, suffix, i)
                out.append(e)
        return out

    def fix_rc(e, suffix, i):
        if i % 2 == 1:  # every other copy: known containers; half of those with pull problems
            _known_containers(e, suffix, bad=(i % 4 == 3))

    plan["resource_changes"] = replicate(seed["resource_changes"], fix_rc)
    for key in ("planned_values", "prior_state"):
        res = _values_resources(plan.get(key))
        if res is not None:
            res[:] = replicate(res)
    cfg = plan.get("configuration", {}).get("root_module", {})
    if isinstance(cfg.get("resources"), list):
        cfg["resources"] = replicate(cfg["resources"])
    if isinstance(plan.get("relevant_attributes"), list):
        shared = [a for a in plan["relevant_attributes"] if a.get("resource", "").split("[")[0] not in bases]
        own = [a for a in plan["relevant_attributes"] if a.get("resource", "").split("[")[0] in bases]
        plan["relevant_attributes"] = shared + [a for i in range(copies) for a in rename(own, f"_c{i}")]
    count = sum(1 for rc in plan["resource_changes"] if rc.get("mode", "managed") == "managed")
    return plan, count, copies


# --------------------------------------------------------------------------- measuring (worker side)


def _status_kib(field: str):
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak_rss() -> None:
    """Reset VmHWM to the current RSS (Linux: ``echo 5 > /proc/self/clear_refs``)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        pass


def _peak_rss_kib() -> int:
    """Peak resident size in KiB. ``ru_maxrss`` carries over from the parent through
    fork+exec on Linux (it read the parent's ~200 MiB here), so use the address
    space's own high-water mark, VmHWM, where /proc has it."""
    hwm = _status_kib("VmHWM")
    if hwm is not None:
        return hwm
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def worker(kind: str, path: str, trace: bool) -> None:
    """One measurement in this (fresh) process; prints one JSON line."""
    import tracemalloc
    if kind == "pullguard":
        sys.path.insert(0, str(ROOT / "validator"))
        from pullguard.api import check_plan
        def op():
            return check_plan(path)
    else:
        def op():
            with open(path, "rb") as fh:
                return json.load(fh)
    import gc
    gc.collect()
    _reset_peak_rss()
    base_rss = _peak_rss_kib()
    if trace:
        tracemalloc.start()
        tracemalloc.reset_peak()
    t0 = time.perf_counter()
    result = op()
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    out = {"kind": kind, "trace": trace, "seconds": elapsed, "tracemalloc_peak": peak,
           "rss_delta_kib": _peak_rss_kib() - base_rss}
    if kind == "pullguard":
        out["findings"] = len(result.findings)
        out["undecided"] = len(result.undecided)
        out["passed"] = result.passed
    del result
    print(json.dumps(out))


def run_worker(kind: str, path: str, trace: bool) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--plan", path] + (["--trace"] if trace else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- main


def _mib(n: float) -> str:
    return f"{n / 2**20:8.1f} MiB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resources", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", help="plan JSON to replicate (default: examples/fargate-private-registry-cmk/plan.json)")
    ap.add_argument("--keep", help="also write the generated plan here")
    ap.add_argument("--worker", choices=("json", "pullguard"), help=argparse.SUPPRESS)
    ap.add_argument("--plan", help=argparse.SUPPRESS)
    ap.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.plan, args.trace)
        return

    seed_path, seed = find_seed(args.seed)
    plan, count, copies = build_plan(seed, args.resources)
    fd, path = tempfile.mkstemp(prefix="pullguard-bench-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(plan, fh, indent=2, sort_keys=True)  # as make_example_plans.py writes plans
    if args.keep:
        Path(args.keep).write_text(Path(path).read_text(encoding="utf-8"), encoding="utf-8")
    size = os.path.getsize(path)
    seed_name = seed_path.relative_to(ROOT) if seed_path and ROOT in seed_path.parents else (seed_path or "synthetic")
    print(f"seed: {seed_name}")
    print(f"plan: {count} resources ({copies} copies), {size / 2**20:.1f} MiB, {path}")
    print(f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
          f"Python {platform.python_version()} ({platform.python_implementation()}), {platform.platform()}")
    try:
        samples = {k: {"time": [], "rss": [], "peak": []} for k in ("json", "pullguard")}
        info = None
        for _ in range(args.repeat):
            for kind in ("json", "pullguard"):
                r = run_worker(kind, path, trace=False)
                samples[kind]["time"].append(r["seconds"])
                samples[kind]["rss"].append(r["rss_delta_kib"] * 1024)
                if kind == "pullguard":
                    info = r
                t = run_worker(kind, path, trace=True)
                samples[kind]["peak"].append(t["tracemalloc_peak"])
    finally:
        os.unlink(path)

    med = {k: {m: statistics.median(v) for m, v in s.items()} for k, s in samples.items()}
    ratio = {m: med["pullguard"][m] / med["json"][m] if med["json"][m] else float("nan")
             for m in ("time", "rss", "peak")}
    print(f"pullguard result: {info['findings']} findings, {info['undecided']} undecided, "
          f"{info['passed']} passed")
    print(f"\nmedians of {args.repeat} runs, each in a fresh process")
    print(f"{'':24}{'json.load':>14}{'check_plan':>14}{'ratio':>9}{'target':>9}")
    print(f"{'wall time':24}{med['json']['time']:>12.3f} s{med['pullguard']['time']:>12.3f} s"
          f"{ratio['time']:>8.2f}x{TARGET_TIME:>8.1f}x")
    print(f"{'peak (tracemalloc)':24}{_mib(med['json']['peak']):>14}{_mib(med['pullguard']['peak']):>14}"
          f"{ratio['peak']:>8.2f}x{TARGET_MEM:>8.1f}x")
    print(f"{'peak RSS growth (VmHWM)':24}{_mib(med['json']['rss']):>14}{_mib(med['pullguard']['rss']):>14}"
          f"{ratio['rss']:>8.2f}x{TARGET_MEM:>8.1f}x")
    ok_time, ok_mem = ratio["time"] <= TARGET_TIME, ratio["peak"] <= TARGET_MEM
    print(f"\ntime target {'met' if ok_time else 'MISSED'}; memory target {'met' if ok_mem else 'MISSED'}")


if __name__ == "__main__":
    main()
