"""Bad input: one clear line on stderr, exit 2, never a traceback."""
import json
from pathlib import Path

import pytest

from support import CORPUS, run_cli

ERRORED = "hashicorp+terraform__internal__command__testdata__show-json__plan-error__output.json"


def one_line_exit_2(path, says):
    code, out, err = run_cli("check", str(path))
    assert code == 2, (code, out, err)
    assert out == ""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert says in err, err
    return err


@pytest.fixture(scope="module")
def real_plan(plans):
    return Path(plans.first("images")).read_bytes()


def test_missing_file(tmp_path):
    one_line_exit_2(tmp_path / "nope.json", "no such file; produce one with: terraform plan -out tfplan")


def test_directory(tmp_path):
    one_line_exit_2(tmp_path, "is a directory, not a plan file")


def test_empty_file(tmp_path):
    (tmp_path / "empty.json").write_bytes(b"  \n")
    one_line_exit_2(tmp_path / "empty.json", "is empty")


def test_truncated_plan(tmp_path, real_plan):
    (tmp_path / "cut.json").write_bytes(real_plan[: len(real_plan) // 2])
    one_line_exit_2(tmp_path / "cut.json", "ends before the JSON does")


def test_not_json(tmp_path):
    (tmp_path / "plan.txt").write_text("Terraform will perform the following actions:\n")
    one_line_exit_2(tmp_path / "plan.txt", "is not valid JSON (Expecting value at line 1 column 1)")


def test_binary_garbage(tmp_path):
    (tmp_path / "x.bin").write_bytes(bytes(range(256)) * 4)
    one_line_exit_2(tmp_path / "x.bin", "not")


def test_json_that_is_not_a_plan(tmp_path):
    (tmp_path / "list.json").write_text("[1, 2]")
    one_line_exit_2(tmp_path / "list.json", "is JSON but not a Terraform plan (its top level is a list)")
    (tmp_path / "obj.json").write_text('{"name": "x"}')
    one_line_exit_2(tmp_path / "obj.json", "is JSON but not a Terraform plan (top-level keys: name)")


def test_state_files_are_named_as_such(tf, plans, tmp_path):
    work = plans.workdir("lifecycle")
    tf.reset_aws()
    tf.apply(work)
    raw_state = work / "terraform.tfstate"
    one_line_exit_2(raw_state, "is a Terraform state file, not a plan")
    shown = tmp_path / "state.json"
    shown.write_text(tf.run(work, "show", "-json"))
    one_line_exit_2(shown, "is the JSON of a state (`terraform show -json` without a plan file), not a plan")


def test_errored_plan():
    if not (CORPUS / ERRORED).is_file():
        pytest.skip("the shared plan corpus is not beside this checkout")
    one_line_exit_2(CORPUS / ERRORED, "is a plan that errored (errored: true)")


def test_future_format_warns_and_tries(tmp_path, real_plan):
    doc = json.loads(real_plan)
    doc["format_version"] = "1.9"
    (tmp_path / "future.json").write_text(json.dumps(doc))
    code, out, err = run_cli("check", str(tmp_path / "future.json"))
    assert code == 1
    assert "warning: " in out and "plan format 1.9 is newer than pullguard knows (up to 1.2); reading it anyway" in out


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_windows_encodings_are_read(tmp_path, real_plan, encoding):
    text = real_plan.decode("utf-8")
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + text).encode(encoding)  # PowerShell redirects write a BOM
    (tmp_path / "win.json").write_bytes(data)
    code, out, err = run_cli("check", str(tmp_path / "win.json"), "--format", "json")
    assert code == 1, err
    assert json.loads(out)["summary"]["errors"] == 10
