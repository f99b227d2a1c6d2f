"""Inline suppressions in the Terraform source: `# pullguard:ignore PG201 -- reason` in a resource block."""
import json
import os

import pytest

from support import FIXTURES, ROOT, run_cli


@pytest.fixture(scope="session")
def images_plan(plans):
    return str(plans.first("images"))


def source_with(tmp_path, block: str, comment: str):
    """A copy of the images fixture's source with ``comment`` as the first line inside ``block``."""
    src = tmp_path / "src"
    src.mkdir()
    text = (FIXTURES / "images" / "main.tf").read_text()
    head = f'resource "aws_ecs_task_definition" "{block}" {{\n'
    assert head in text
    (src / "main.tf").write_text(text.replace(head, head + f"  {comment}\n", 1))
    line = text.splitlines().index(head.rstrip("\n")) + 2
    return src, line


def test_inline_ignore_suppresses_that_block_only_and_is_echoed(images_plan, tmp_path):
    src, line = source_with(tmp_path, "no_role", "# pullguard:ignore PG201 -- legacy family, retired in Q3")
    code, out, _ = run_cli("check", images_plan, "--format", "json", "--config-dir", str(src))
    doc = json.loads(out)
    assert ("PG201", "aws_ecs_task_definition.no_role") not in {(f["rule_id"], f["address"]) for f in doc["findings"]}
    sup = [f for f in doc["suppressed"] if f["rule_id"] == "PG201"]
    assert {f["address"] for f in sup} == {"aws_ecs_task_definition.no_role"}
    assert sup[0]["suppressed"].startswith("legacy family, retired in Q3 (inline, ")
    assert sup[0]["suppressed"].endswith(f"/src/main.tf:{line})")
    code, text, _ = run_cli("check", images_plan, "--config-dir", str(src))
    assert "PG201 aws_ecs_task_definition.no_role [creds]: legacy family, retired in Q3 (inline, " in text


def test_inline_ignore_covers_every_instance_of_a_for_each_block(images_plan, tmp_path):
    before = json.loads(run_cli("check", images_plan, "--format", "json")[1])
    case_rules = {f["rule_id"] for f in before["findings"] if f["address"].startswith("aws_ecs_task_definition.case[")}
    assert case_rules
    src, _ = source_with(tmp_path, "case", "// pullguard:ignore " + ",".join(sorted(case_rules)) + " -- fixture cases")
    doc = json.loads(run_cli("check", images_plan, "--format", "json", "--config-dir", str(src))[1])
    assert not [f for f in doc["findings"] if f["address"].startswith("aws_ecs_task_definition.case[")]
    assert {f["address"] for f in doc["suppressed"]} == {
        f["address"] for f in before["findings"] if f["address"].startswith("aws_ecs_task_definition.case[")}


def test_ignore_without_reason_is_not_honoured_and_warns(images_plan, tmp_path):
    src, line = source_with(tmp_path, "no_role", "# pullguard:ignore PG201")
    code, out, err = run_cli("check", images_plan, "--format", "json", "--config-dir", str(src))
    doc = json.loads(out)
    assert ("PG201", "aws_ecs_task_definition.no_role") in {(f["rule_id"], f["address"]) for f in doc["findings"]}
    assert f"main.tf:{line}: pullguard:ignore PG201 has no reason" in err


def test_source_is_read_from_the_working_directory(images_plan, tmp_path):
    src, line = source_with(tmp_path, "no_role", "# pullguard:ignore * -- everything here is retired")
    doc = json.loads(run_cli("check", images_plan, "--format", "json", cwd=src)[1])
    assert not [f for f in doc["findings"] if f["address"] == "aws_ecs_task_definition.no_role"]
    assert doc["suppressed"] and {f["suppressed"] for f in doc["suppressed"]} == {
        f"everything here is retired (inline, main.tf:{line})"}


def test_module_blocks_are_found_through_module_calls():
    from pullguard.api import load_world
    from pullguard.suppress_inline import SourceMap
    from pathlib import Path
    example = ROOT / "examples" / "modules-wired"
    world = load_world(str(example / "plan.json"))
    source = SourceMap(example, world.config)
    file, line = source.location("module.task_definition.aws_ecs_task_definition.this")
    path = Path(file) if os.path.isabs(file) else Path.cwd() / file
    assert path.resolve().parent == (ROOT / "modules" / "task-definition").resolve()
    assert path.read_text().splitlines()[line - 1].startswith('resource "aws_ecs_task_definition" "this"')


def test_scanner_skips_strings_heredocs_and_nested_blocks(tmp_path):
    from pullguard.suppress_inline import scan_file
    tf = tmp_path / "x.tf"
    tf.write_text('resource "a_b" "one" {\n  s = "}{ # pullguard:ignore PG101 -- not a comment"\n'
                  '  p = <<EOT\n}\nEOT\n  nested {\n    # pullguard:ignore PG102 -- inner\n  }\n}\n'
                  '/* resource "a_b" "no" { */\ndata "a_c" "two" {\n}\n')
    warnings = []
    blocks = {(m, t, n): b for m, t, n, b in scan_file(tf, warnings)}
    assert set(blocks) == {("managed", "a_b", "one"), ("data", "a_c", "two")}
    one = blocks[("managed", "a_b", "one")]
    assert (one.line, one.end_line) == (1, 9)
    assert [(i.rules, i.reason) for i in one.ignores] == [(("PG102",), "inner")]
    assert blocks[("data", "a_c", "two")].line == 11 and not warnings
