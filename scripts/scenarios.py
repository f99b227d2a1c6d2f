"""The labelled scenario set: realistic configurations whose correct findings are written down
from AWS behaviour (the documentation cited in each label), not from pullguard's code.

Layout: ``tests/scenarios/<domain>/<name>/`` holds a standalone Terraform configuration
(``*.tf``) and ``expect.toml``, the label:

    title = "Docker Hub image, secret ARN written without its 6-character suffix"
    aws   = ["https://docs.aws.amazon.com/..."]   # where the expected behaviour is documented
    plans = ["first", "second"]                   # first plan; second = apply into moto, plan again
    second_plan_vars = { keep_secret = "false" }  # optional: -var NAME=VALUE for the second plan only

    [[fail]]                                      # a finding that must be reported
    rule      = "PG302"
    address   = "aws_ecs_task_definition.app"
    container = "app"                             # omitted for service-level rules
    contains  = ["GetSecretValue"]                # message essentials (optional)
    plans     = ["second"]                        # only on these plans (optional, default: all)
    new       = true                              # the finding's `new` flag must be this (optional):
                                                  # true when the plan introduces the problem, false
                                                  # when it already exists in the prior state

    [[undecided]]                                 # must be undecided (neither failed nor passed)
    rule    = "PG302"
    address = "aws_ecs_task_definition.app"
    plans   = ["first"]

``second_plan_vars`` lets the second plan differ from what was applied (a change that deletes or
replaces something, e.g. a ``count`` toggled off): the apply uses the configuration as written, the
second plan adds ``-var NAME=VALUE`` for each entry. The variables must be declared in the
configuration.

On every plan made, the findings (rule, address, container), whatever their severity, must be
exactly the labelled ``fail`` entries: a missing one is a miss, an extra one a false failure.

``python scripts/scenarios.py [NAME_GLOB]`` plans every scenario and prints the score per rule;
tests/test_scenarios.py asserts it.
"""
from __future__ import annotations

import fnmatch
import queue
import shutil
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "scenarios"
PLAN_KINDS = ("first", "second")


@dataclass(frozen=True)
class Expect:
    rule: str
    address: str
    container: str | None
    contains: tuple = ()
    plans: tuple = PLAN_KINDS
    new: bool | None = None   # the finding's `new` flag, when the label says

    @property
    def key(self) -> tuple:
        return (self.rule, self.address, self.container)


@dataclass
class Scenario:
    name: str                 # domain/name
    path: Path
    title: str
    aws: tuple
    plans: tuple
    fail: tuple
    undecided: tuple
    second_plan_vars: dict = field(default_factory=dict)  # -var NAME=VALUE for the second plan only
    made: dict = field(default_factory=dict)   # plan kind -> plan JSON path

    def expected(self, kind: str, what: str = "fail") -> dict:
        return {e.key: e for e in getattr(self, what) if kind in e.plans}


class LabelError(ValueError):
    pass


def _expects(raw: list, where: str, plans: tuple) -> tuple:
    out = []
    for item in raw:
        unknown = set(item) - {"rule", "address", "container", "contains", "plans", "new"}
        if unknown or "rule" not in item or "address" not in item:
            raise LabelError(f"{where}: each entry needs rule and address (unknown keys: {sorted(unknown)})")
        kinds = tuple(item.get("plans", plans))
        if set(kinds) - set(plans):
            raise LabelError(f"{where}: entry plans {kinds} not among the scenario's plans {plans}")
        if not isinstance(item.get("new", False), bool):
            raise LabelError(f"{where}: new must be true or false")
        out.append(Expect(item["rule"], item["address"], item.get("container"),
                          tuple(item.get("contains", ())), kinds, item.get("new")))
    return tuple(out)


def load(path: Path) -> Scenario:
    name = str(path.relative_to(SCENARIOS))
    label = tomllib.loads((path / "expect.toml").read_text())
    unknown = set(label) - {"title", "aws", "plans", "fail", "undecided", "second_plan_vars"}
    if unknown:
        raise LabelError(f"{name}: unknown keys {sorted(unknown)}")
    if not label.get("title") or not label.get("aws"):
        raise LabelError(f"{name}: a label needs a title and the AWS documentation it rests on (aws = [...])")
    plans = tuple(label.get("plans", ("first",)))
    if not plans or set(plans) - set(PLAN_KINDS):
        raise LabelError(f"{name}: plans must be among {PLAN_KINDS}")
    second_vars = label.get("second_plan_vars", {})
    if second_vars and ("second" not in plans or not isinstance(second_vars, dict)
                        or not all(isinstance(v, (str, int, float, bool)) for v in second_vars.values())):
        raise LabelError(f"{name}: second_plan_vars is a table of NAME = scalar, for a scenario with a second plan")
    return Scenario(name, path, label["title"], tuple(label["aws"]), plans,
                    _expects(label.get("fail", []), name, plans),
                    _expects(label.get("undecided", []), name, plans), dict(second_vars))


def discover(pattern: str = "*") -> list[Scenario]:
    found = sorted(p.parent for p in SCENARIOS.glob("*/*/expect.toml"))
    return [load(p) for p in found if fnmatch.fnmatch(str(p.relative_to(SCENARIOS)), pattern)]


def make_plans(env, scenarios: list[Scenario], workroot: Path, jobs: int = 3) -> None:
    """First plans in parallel (they only read from moto). Second plans apply into an empty moto
    account and plan again: ``jobs`` of them at a time, each worker with a moto server of its own
    (``env`` plus ``jobs - 1`` more), reset before each scenario."""
    def work(s: Scenario, kind: str) -> Path:
        wd = workroot / kind / s.name
        if not wd.exists():
            shutil.copytree(s.path, wd, ignore=shutil.ignore_patterns(".terraform*", "terraform.tfstate*"))
        return wd

    def first(s: Scenario) -> None:
        out = workroot / f"{s.name.replace('/', '__')}.first.json"
        env.plan_json(work(s, "first"), out=out)
        s.made["first"] = out

    def second(worker_env, s: Scenario) -> None:
        wd = work(s, "second")
        worker_env.reset_aws()
        worker_env.apply(wd)
        out = workroot / f"{s.name.replace('/', '__')}.second.json"
        worker_env.plan_json(wd, *(f"-var={k}={_hcl(v)}" for k, v in s.second_plan_vars.items()), out=out)
        s.made["second"] = out

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(first, [s for s in scenarios if "first" in s.plans]))
    todo = queue.Queue()
    for s in scenarios:
        if "second" in s.plans:
            todo.put(s)
    if todo.empty():
        return
    import tfenv  # scripts/ is on sys.path wherever this module is imported from
    extra = [tfenv.TerraformEnv() for _ in range(min(jobs, todo.qsize()) - 1)]
    try:
        for e in extra:
            e.start()

        def drain(worker_env) -> None:
            while True:
                try:
                    s = todo.get_nowait()
                except queue.Empty:
                    return
                second(worker_env, s)

        with ThreadPoolExecutor(len(extra) + 1) as pool:
            list(pool.map(drain, [env] + extra))
    finally:
        for e in extra:
            e.stop()


def _hcl(value) -> str:
    """A -var value: booleans as Terraform writes them, everything else as text."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def judge(s: Scenario, kind: str, result) -> list[str]:
    """What is wrong with one plan's result against the label (empty: it matches)."""
    problems = []
    expected = s.expected(kind)
    found = {(f.rule_id, f.address, f.container): f for f in result.findings}
    for key, e in expected.items():
        if key not in found:
            problems.append(f"miss {fmt(key)}")
            continue
        for part in e.contains:
            if part not in found[key].message:
                problems.append(f"message of {fmt(key)} lacks {part!r}: {found[key].message}")
        if e.new is not None and found[key].new != e.new:
            problems.append(f"{fmt(key)} has new={str(found[key].new).lower()}, labelled {str(e.new).lower()}")
    for key, f in found.items():
        if key not in expected:
            problems.append(f"false failure {fmt(key)}: {f.message}")
    und = {(u.rule_id, u.address, u.container) for u in result.undecided}
    for key in s.expected(kind, "undecided"):
        if key not in und:
            problems.append(f"not undecided {fmt(key)}")
    return problems


def fmt(key: tuple) -> str:
    rule, address, container = key
    return f"{rule} {address}" + (f" [{container}]" if container else "")


def score(scenarios: list[Scenario]) -> tuple[dict, dict]:
    """Run pullguard on every plan made: per-rule counts and per-plan problems."""
    from pullguard.api import check_plan

    per_rule: dict = {}
    problems: dict = {}
    for s in scenarios:
        for kind, plan in s.made.items():
            result = check_plan(str(plan), config_dir=str(s.path))
            expected = s.expected(kind)
            found = {(f.rule_id, f.address, f.container) for f in result.findings}
            for key in expected.keys() | found:
                row = per_rule.setdefault(key[0], {"labelled": 0, "found": 0, "missed": 0, "false": 0})
                if key in expected:
                    row["labelled"] += 1
                    row["found" if key in found else "missed"] += 1
                else:
                    row["false"] += 1
            problems[(s.name, kind)] = judge(s, kind, result)
    return per_rule, problems


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import tempfile

    import tfenv

    scenarios = discover(argv[0] if argv else "*")
    with tempfile.TemporaryDirectory(prefix="pullguard-scenarios-") as tmp, tfenv.TerraformEnv() as env:
        make_plans(env, scenarios, Path(tmp))
        per_rule, problems = score(scenarios)
    print(f"{len(scenarios)} scenarios, {sum(len(s.made) for s in scenarios)} plans\n")
    print(f"{'rule':6} {'labelled':>8} {'found':>6} {'missed':>6} {'false':>6}")
    for rule in sorted(per_rule):
        r = per_rule[rule]
        print(f"{rule:6} {r['labelled']:8} {r['found']:6} {r['missed']:6} {r['false']:6}")
    bad = {k: v for k, v in problems.items() if v}
    for (name, kind), lines in sorted(bad.items()):
        print(f"\n{name} ({kind} plan):")
        for line in lines:
            print(f"  {line}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
