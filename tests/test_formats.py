"""The pipeline formats: SARIF (schema-valid), JUnit (read by a real JUnit reader), GitHub annotations,
Markdown; several formats in one run; every format echoes suppressions and keeps secrets out."""
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from support import ROOT, run_cli

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture(scope="session")
def images_plan(plans):
    return str(plans.first("images"))


@pytest.fixture(scope="session")
def images_json(images_plan):
    code, out, err = run_cli("check", images_plan, "--format", "json")
    assert code == 1, err
    return json.loads(out)


def fails(doc) -> set:
    return {(f["rule_id"], f["address"]) for f in doc["findings"]}


def test_sarif_is_valid_2_1_0_with_rules_help_and_locations(images_plan, images_json, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for tf in (ROOT / "tests" / "fixtures" / "tf" / "images").glob("*.tf"):
        (src / tf.name).write_text(tf.read_text())
    code, out, err = run_cli("check", images_plan, "--format", "sarif", "--config-dir", str(src))
    assert code == 1, err
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)  # draft-04 schema, offline
    run = doc["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert {f["rule_id"] for f in images_json["findings"]} <= set(rules)
    pg201 = rules["PG201"]
    assert pg201["helpUri"].endswith("/docs/rules/PG201.md")
    assert pg201["help"]["text"].startswith("# PG201:") and pg201["shortDescription"]["text"]
    assert pg201["defaultConfiguration"]["level"] == "error"
    results = [r for r in run["results"] if r.get("kind") != "review" and "suppressions" not in r]
    assert {(r["ruleId"], r["properties"]["address"]) for r in results} == fails(images_json)
    no_role = next(r for r in results if r["ruleId"] == "PG201")
    loc = no_role["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith("/main.tf")
    line = loc["physicalLocation"]["region"]["startLine"]
    assert (src / "main.tf").read_text().splitlines()[line - 1].startswith(
        'resource "aws_ecs_task_definition" "no_role"')
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "aws_ecs_task_definition.no_role"
    assert no_role["level"] == "error" and "repositoryCredentials" in no_role["message"]["text"]


def test_sarif_without_source_points_at_the_plan(images_plan):
    code, out, _ = run_cli("check", images_plan, "--format", "sarif")
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert uris == {Path(images_plan).as_uri()}


def test_junit_one_case_per_rule_and_resource_read_by_junitparser(images_plan, images_json, tmp_path):
    target = tmp_path / "pullguard.xml"
    code, out, err = run_cli("check", images_plan, "--format", "junit", "--output", str(target))
    assert code == 1 and out == "", err
    root = ET.parse(target).getroot()
    assert root.tag == "testsuites"
    failed = {(c.get("classname").split(".")[1], c.get("name")) for c in root.iter("testcase")
              if c.find("failure") is not None}
    assert failed == fails(images_json)
    task_defs = 6
    for suite in root.iter("testsuite"):
        if suite.get("name").startswith(("PG1", "PG2")):  # container-scope rules: every task definition
            assert int(suite.get("tests")) == task_defs
    junitparser = pytest.importorskip("junitparser")
    xml = junitparser.JUnitXml.fromfile(str(target))
    seen = set()
    for suite in xml:
        for case in suite:
            if any(isinstance(r, junitparser.Failure) for r in case.result):
                seen.add((case.classname.split(".")[1], case.name))
    assert seen == fails(images_json)
    assert xml.failures == len(fails(images_json))


def test_github_annotations(images_plan, images_json):
    code, out, _ = run_cli("check", images_plan, "--format", "github")
    assert code == 1
    lines = out.splitlines()
    errors = [ln for ln in lines if ln.startswith("::error ")]
    assert len(errors) == images_json["summary"]["errors"]
    one = next(ln for ln in errors if "title=PG201::" in ln)
    assert one.startswith(f"::error file={images_plan},title=PG201::aws_ecs_task_definition.no_role [creds]: ")
    assert "%0Afix: " in one and "\n" not in one
    assert lines[-1].startswith("pullguard: ")


def test_markdown_comment(images_plan, images_json):
    code, out, _ = run_cli("check", images_plan, "--format", "markdown")
    assert code == 1
    assert out.startswith(f"### ❌ pullguard: {images_json['summary']['findings']} findings\n")
    rows = [ln for ln in out.splitlines() if ln.startswith("| 🔴 error |")]
    assert len(rows) == images_json["summary"]["errors"]
    assert any("[PG201](" in r and "`aws_ecs_task_definition.no_role`" in r for r in rows)


def test_markdown_collapses_undecided(plans):
    code, out, _ = run_cli("check", str(plans.first("unknowns")), "--format", "markdown")
    assert "<details><summary>" in out and "undecided" in out and "</details>" in out


def test_several_formats_in_one_run(images_plan, images_json, tmp_path):
    sarif, md = tmp_path / "p.sarif", tmp_path / "p.md"
    code, out, err = run_cli("check", images_plan, "--format", "text", "--format", f"sarif={sarif}",
                             "--format", "markdown", "--output-markdown", str(md))
    assert code == 1, err
    assert out.rstrip().splitlines()[-1].startswith(f"{images_json['summary']['findings']} findings")
    jsonschema.validate(json.loads(sarif.read_text()), SCHEMA)
    assert md.read_text().startswith("### ")


def test_two_formats_on_standard_output_is_a_usage_error(images_plan):
    code, out, err = run_cli("check", images_plan, "--format", "text", "--format", "json")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "would both go to standard output" in err


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github", "markdown", "text", "json"])
def test_every_format_echoes_suppressions_with_reason(images_plan, tmp_path, fmt):
    (tmp_path / ".pullguard.toml").write_text(
        '[[suppress]]\nrule = "PG201"\nreason = "legacy family, retired in Q3"\n')
    code, out, _ = run_cli("check", images_plan, "--format", fmt, cwd=tmp_path)
    assert "legacy family, retired in Q3" in out


def test_readme_ci_snippet_runs(tf, tmp_path):
    import os
    import re
    import shutil
    import subprocess
    import sys
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## In CI: SARIF, JUnit, annotations, PR comments", 1)[1].split("\n## ", 1)[0]
    snippet = re.findall(r"```sh\n(.+?)\n```", section, re.S)[0]
    work = tmp_path / "images"
    shutil.copytree(ROOT / "tests" / "fixtures" / "tf" / "images", work)
    path = os.pathsep.join([str(Path(sys.executable).parent), str(Path(tf.terraform).parent), os.environ["PATH"]])
    proc = subprocess.run(["bash", "-eo", "pipefail", "-c", snippet], cwd=work, env=dict(tf.env, PATH=path),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr[-2000:]  # the fixture has errors: the gate fails the job
    jsonschema.validate(json.loads((work / "pullguard.sarif").read_text()), SCHEMA)
    assert ET.parse(work / "pullguard.xml").getroot().tag == "testsuites"
    assert (work / "pullguard.md").read_text().startswith("### ")
    assert "aws_ecs_task_definition.no_role" in proc.stdout


def test_pre_commit_hook_and_ci_examples(tmp_path):
    import re
    import shlex
    import subprocess
    import sys
    import yaml
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    plans = ["examples/ecr-image/plan.json", "examples/broken-invalid-image/plan.json"]
    assert all(re.search(hook["files"], p) for p in plans)
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    proc = subprocess.run([*shlex.split(hook["entry"]), *plans], cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 1 and "PG101" in proc.stdout, proc.stderr
    proc = subprocess.run([*shlex.split(hook["entry"]), plans[0]], cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    gh = yaml.safe_load((ROOT / "examples" / "ci" / "github-actions.yml").read_text())
    steps = gh["jobs"]["pullguard"]["steps"]
    run = next(s["run"] for s in steps if s.get("id") == "pullguard")
    assert "--format sarif=pullguard.sarif" in run and "--fail-on" in run
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    gl = yaml.safe_load((ROOT / "examples" / "ci" / "gitlab-ci.yml").read_text())["pullguard"]
    assert gl["artifacts"]["reports"]["junit"].endswith("pullguard.xml")
    assert any("--format junit=pullguard.xml" in line for line in gl["script"])


def test_locations_are_repository_relative_and_reach_into_modules():
    example = ROOT / "examples" / "modules-wired"  # run from the root module: its .tf files are the source
    code, out, err = run_cli("check", "plan.json", "--format", "sarif", cwd=example)
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    results = doc["runs"][0]["results"]
    assert results  # undecided outcomes (kind: review) on the module's task definition
    locs = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results}
    assert len(locs) == 1
    ((uri, line),) = locs
    assert uri == "modules/task-definition/main.tf"  # relative to the git work tree, as code scanning wants
    assert (ROOT / uri).read_text().splitlines()[line - 1].startswith('resource "aws_ecs_task_definition" "this"')
    code, out, _ = run_cli("check", "plan.json", "--format", "github", cwd=example)
    assert f"file=modules/task-definition/main.tf,line={line}," in out
