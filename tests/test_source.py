"""Issue 5: the Terraform source sees through "known after apply".

For each configuration, the first plan (nothing applied, container definitions
and policies unknown) read WITH its source must give the same findings as the
second plan of the same configuration after apply; WITHOUT the source, the
first plan must leave those checks undecided, naming the unknown attribute.
"""
from __future__ import annotations


import pytest

from pullguard.api import check_plan, load_world
from pullguard.values import Ref
from support import ROOT

EXAMPLES = ROOT / "examples"


def findings(result) -> set:
    return {(f.rule_id, f.address, f.container) for f in result.findings}


def undecided_missing(result) -> dict:
    return {(u.rule_id, u.address): u.missing for u in result.undecided}


def assert_same_findings(first_with_source, second):
    assert findings(first_with_source) == findings(second)


# -- the examples (committed plans) ------------------------------------------

@pytest.mark.parametrize("name", ["broken-credentials-no-execution-role", "fargate-private-registry-cmk",
                                  "modules-wired"])
def test_example_first_plan_with_source_equals_second_plan(name):
    d = EXAMPLES / name
    first = check_plan(str(d / "plan.json"), config_dir=str(d))
    second = check_plan(str(d / "plan.second.json"))
    assert_same_findings(first, second)
    assert load_world(str(d / "plan.json"), str(d)).warnings == []


@pytest.mark.parametrize("name,task", [
    ("broken-credentials-no-execution-role", "aws_ecs_task_definition.app"),
    ("fargate-private-registry-cmk", "aws_ecs_task_definition.app"),
    ("modules-wired", "module.task_definition.aws_ecs_task_definition.this"),
])
def test_example_first_plan_without_source_is_undecided(name, task):
    result = check_plan(str(EXAMPLES / name / "plan.json"))
    assert not {f for f in findings(result) if f[1] == task}
    missing = undecided_missing(result)
    assert ("PG201", task) in missing and f"{task}.container_definitions" in missing[("PG201", task)]


def test_modules_wired_values_are_symbolic_references():
    d = EXAMPLES / "modules-wired"
    world = load_world(str(d / "plan.json"), str(d))
    td = world.planned.get("module.task_definition.aws_ecs_task_definition.this")
    [container] = td.get("container_definitions")
    assert container["image"] == "ghcr.io/acme/api:1.4.2"
    assert container["repositoryCredentials"] == {
        "credentialsParameter": Ref("module.registry_credentials.aws_secretsmanager_secret.this", "arn")}
    assert container["logConfiguration"]["options"]["awslogs-group"] == "/ecs/wired-app"
    assert td.get("execution_role_arn") == Ref("module.execution_role.aws_iam_role.this", "arn")
    policy = world.planned.get('module.execution_role.aws_iam_role_policy.extra["registry-credentials"]')
    resources = [s["Resource"] for s in policy.get("policy")["Statement"]]
    assert resources == [Ref("module.registry_credentials.aws_secretsmanager_secret.this", "arn"),
                         Ref("module.registry_credentials.aws_kms_key.this[0]", "arn")]


# -- own configurations: real first and second plans --------------------------

@pytest.fixture(scope="module")
def src_modules(plans):
    return plans.first("src_modules"), plans.workdir("src_modules"), plans.second("src_modules")


@pytest.fixture(scope="module")
def src_count(plans):
    return plans.first("src_count"), plans.workdir("src_count"), plans.second("src_count")


def test_modules_for_each_templatefile_dynamic_equivalence(src_modules):
    first, workdir, second = src_modules
    with_source = check_plan(str(first), config_dir=str(workdir))
    after_apply = check_plan(str(second))
    assert_same_findings(with_source, after_apply)
    assert ("PG302", 'module.service["worker"].aws_ecs_task_definition.this', "app") in findings(after_apply)
    assert not any(f[1].startswith('module.service["web"]') for f in findings(after_apply))


def test_modules_values_from_source(src_modules):
    first, workdir, _ = src_modules
    world = load_world(str(first), str(workdir))
    assert world.warnings == []
    web = world.planned.get('module.service["web"].aws_ecs_task_definition.this')
    [c] = web.get("container_definitions")  # templatefile() of a JSON file, decoded
    assert c["image"] == "ghcr.io/acme/web:1.0"
    assert c["environment"] == [{"name": "SERVICE", "value": "web"}]
    assert c["repositoryCredentials"]["credentialsParameter"] == Ref("aws_secretsmanager_secret.registry", "arn")
    doc = world.planned.get('module.service["web"].data.aws_iam_policy_document.execution').get("json")
    assert doc["Statement"][1] == {"Sid": "ReadRegistryCredentials", "Effect": "Allow",
                                   "Action": "secretsmanager:GetSecretValue",
                                   "Resource": Ref("aws_secretsmanager_secret.registry", "arn")}


def test_modules_without_source_undecided(src_modules):
    first, _, _ = src_modules
    result = check_plan(str(first))
    task = 'module.service["worker"].aws_ecs_task_definition.this'
    assert not {f for f in findings(result) if f[1] == task}
    assert f"{task}.container_definitions" in undecided_missing(result)[("PG302", task)]


def test_count_file_locals_equivalence(src_count):
    first, workdir, second = src_count
    with_source = check_plan(str(first), config_dir=str(workdir))
    after_apply = check_plan(str(second))
    assert_same_findings(with_source, after_apply)
    found = findings(after_apply)
    assert ("PG302", "aws_ecs_task_definition.task[1]", "api-beta") in found
    assert ("PG201", "aws_ecs_task_definition.norole", "api") in found
    assert not any(f[1] == "aws_ecs_task_definition.task[0]" for f in found)


def test_count_without_source_undecided(src_count):
    first, _, _ = src_count
    result = check_plan(str(first))
    assert not {f for f in findings(result) if f[1].startswith("aws_ecs_task_definition.")}
    missing = undecided_missing(result)
    assert "aws_ecs_task_definition.norole.container_definitions" in missing[("PG201", "aws_ecs_task_definition.norole")]


def test_count_values_from_source(src_count):
    first, workdir, _ = src_count
    world = load_world(str(first), str(workdir))
    [c] = world.planned.get("aws_ecs_task_definition.task[1]").get("container_definitions")
    assert c == {"name": "api-beta", "image": "ghcr.io/acme/api:1.0", "essential": True,
                 "repositoryCredentials": {"credentialsParameter": Ref("aws_secretsmanager_secret.registry[1]", "arn")}}
    [n] = world.planned.get("aws_ecs_task_definition.norole").get("container_definitions")
    assert n["secrets"] == [{"name": "S0", "valueFrom": Ref("aws_secretsmanager_secret.registry[0]", "arn")},
                            {"name": "S1", "valueFrom": Ref("aws_secretsmanager_secret.registry[1]", "arn")}]


# -- missing or mismatching source ---------------------------------------------

def test_mismatching_source_warns_once_and_falls_back(tmp_path):
    d = EXAMPLES / "broken-credentials-no-execution-role"
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "other" {\n  bucket = "x"\n}\n')
    world = load_world(str(d / "plan.json"), str(tmp_path))
    lines = [w for w in world.warnings if "no block in the source" in w]
    assert len(lines) == 1 and "(source and plan do not match)" in lines[0]
    result = check_plan(str(d / "plan.json"), config_dir=str(tmp_path))
    assert not findings(result)
    assert any(u.rule_id == "PG201" for u in result.undecided)


def test_empty_config_dir_warns(tmp_path):
    d = EXAMPLES / "broken-credentials-no-execution-role"
    world = load_world(str(d / "plan.json"), str(tmp_path))
    assert any("no .tf file" in w for w in world.warnings)


# -- Checkov's bc-python-hcl2 shadowing python-hcl2 -----------------------------

_DUMP = r'''
import json, sys
import hcl2
from pullguard.api import check_plan, load_world
out = {"hcl2": hcl2.__file__, "cases": {}}
for name, plan, src in json.loads(sys.argv[1]):
    result = check_plan(plan, config_dir=src)
    world = load_world(plan, src)
    values = {a: {k: repr(v) for k, v in sorted(i.values.items())
                  if k in ("container_definitions", "policy", "assume_role_policy", "json", "execution_role_arn")}
              for a, i in sorted(world.planned.instances.items())}
    out["cases"][name] = {"findings": sorted(map(list, {(f.rule_id, f.address, f.container or "")
                                                      for f in result.findings})),
                          "values": values, "warnings": world.warnings}
print(json.dumps(out))
'''


@pytest.fixture(scope="session")
def bc_hcl2(tmp_path_factory):
    """A directory holding bc-python-hcl2 (Checkov's fork), to put first on PYTHONPATH."""
    import os
    import subprocess
    import sys
    from support import IN_CI
    target = tmp_path_factory.mktemp("bc-hcl2")
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                           str(target), "bc-python-hcl2"], capture_output=True, text=True,
                          env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    if proc.returncode != 0 or not (target / "hcl2").is_dir():
        reason = f"cannot install bc-python-hcl2: {proc.stderr.strip()[-300:]}"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return target


def _dump(cases, pythonpath=None):
    import json
    import os
    import subprocess
    import sys
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath)] + [p for p in [env.get("PYTHONPATH")] if p])
    proc = subprocess.run([sys.executable, "-c", _DUMP, json.dumps(cases)], capture_output=True, text=True,
                          env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_same_values_and_findings_with_bc_python_hcl2(bc_hcl2, src_modules, src_count):
    cases = [[n, str(EXAMPLES / n / "plan.json"), str(EXAMPLES / n)] for n in
             ("broken-credentials-no-execution-role", "fargate-private-registry-cmk", "modules-wired")]
    cases += [["src_modules", str(src_modules[0]), str(src_modules[1])],
              ["src_count", str(src_count[0]), str(src_count[1])]]
    plain = _dump(cases)
    shadowed = _dump(cases, bc_hcl2)
    assert shadowed["hcl2"].startswith(str(bc_hcl2))  # Checkov's fork really was the one imported
    assert not plain["hcl2"].startswith(str(bc_hcl2))
    for name, _, _ in cases:
        assert shadowed["cases"][name] == plain["cases"][name], name
    seconds = {"src_modules": src_modules[2], "src_count": src_count[2]}
    for name, second in seconds.items():
        expected = sorted(map(list, {(f.rule_id, f.address, f.container or "")
                                     for f in check_plan(str(second)).findings}))
        assert shadowed["cases"][name]["findings"] == expected


# -- where the source is found -------------------------------------------------

def test_cli_reads_the_source_of_the_current_directory():
    from support import findings_json
    d = EXAMPLES / "broken-credentials-no-execution-role"
    _, doc = findings_json("plan.json", cwd=d)
    assert {(f["rule_id"], f["address"], f["container"]) for f in doc["findings"]} == {
        ("PG201", "aws_ecs_task_definition.app", "api")}
    _, doc = findings_json(str(d / "plan.json"))  # elsewhere (no .tf file): the plan alone
    assert doc["findings"] == []


def test_registry_module_found_through_modules_json(tmp_path):
    import json
    (tmp_path / "main.tf").write_text(
        'resource "aws_secretsmanager_secret" "reg" {\n  name = "reg"\n}\n'
        'module "task" {\n  source = "acme/task/aws"\n  secret = aws_secretsmanager_secret.reg.arn\n}\n')
    downloaded = tmp_path / ".terraform" / "modules" / "task"
    downloaded.mkdir(parents=True)
    (downloaded / "main.tf").write_text(
        'variable "secret" {\n  type = string\n}\n'
        'resource "aws_ecs_task_definition" "t" {\n  family = "t"\n'
        '  container_definitions = jsonencode([{ name = "c", image = "ghcr.io/a/b:1",\n'
        '    repositoryCredentials = { credentialsParameter = var.secret } }])\n}\n')
    (tmp_path / ".terraform" / "modules" / "modules.json").write_text(json.dumps({"Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "task", "Source": "registry.terraform.io/acme/task/aws", "Dir": ".terraform/modules/task"}]}))

    def change(address, type_, after, unknown):
        return {"address": address, "mode": "managed", "type": type_, "name": address.split(".")[-1],
                "change": {"actions": ["create"], "before": None, "after": after, "after_unknown": unknown}}
    plan = {"format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": [
        change("aws_secretsmanager_secret.reg", "aws_secretsmanager_secret", {"name": "reg"}, {"arn": True}),
        dict(change("module.task.aws_ecs_task_definition.t", "aws_ecs_task_definition", {"family": "t"},
                    {"container_definitions": True}), module_address="module.task")]}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    world = load_world(str(tmp_path / "plan.json"), str(tmp_path))
    [c] = world.planned.get("module.task.aws_ecs_task_definition.t").get("container_definitions")
    assert c["repositoryCredentials"] == {"credentialsParameter": Ref("aws_secretsmanager_secret.reg", "arn")}
    assert world.warnings == []
