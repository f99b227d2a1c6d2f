"""The README's promises: two set-up commands, the second is what CI runs, the sample output is real."""
import re

from support import ROOT, run_cli

README = (ROOT / "README.md").read_text()


def setup_commands():
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_exactly_two_setup_commands_and_ci_runs_the_test_one():
    install_and_run, test = setup_commands()
    assert "pip install ." in install_and_run and "pullguard check examples/" in install_and_run
    assert test in (ROOT / ".ci" / "run").read_text()


def test_the_example_plan_exists_and_the_sample_output_is_what_pullguard_prints():
    install_and_run, _ = setup_commands()
    plan = install_and_run.split("pullguard check ", 1)[1].strip()
    assert (ROOT / plan).is_file()
    code, out, _ = run_cli("check", plan, cwd=ROOT)
    assert code == 1
    sample = README.split("$ pullguard check " + plan + "\n", 1)[1].split("```", 1)[0]
    assert out == sample


def test_rule_table_lists_every_rule_with_its_severity_and_title():
    from pullguard.rules import ALL_RULES
    rows = re.findall(r"^\| \[(PG\d{3})\]\(docs/rules/PG\d{3}\.md\) \| (\w+) \| (.+) \|$", README, re.M)
    assert rows == [(r.id, r.severity.value, r.title) for r in ALL_RULES]
