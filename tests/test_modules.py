"""The Terraform modules and examples: formatting, validation, `terraform test`, README tables.

`terraform test` runs each module's tests/*.tftest.hcl with a mocked AWS
provider (offline); validation uses the provider from the local mirror. Every
module and example runs in a scratch copy so no .terraform/ or lock file is
left in the checkout. Without Terraform these tests skip with the reason,
except under CI (CI=true), where they fail.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import make_example_plans  # noqa: E402
import tfenv  # noqa: E402
from support import need_terraform  # noqa: E402  (skip, or fail under CI=true)

MODULES = sorted(p.name for p in (ROOT / "modules").iterdir() if (p / "main.tf").is_file())
EXAMPLES = make_example_plans.example_names()

pytestmark = pytest.mark.terraform


@pytest.fixture(scope="module")
def tf():
    need_terraform()
    with tfenv.TerraformEnv() as env:
        yield env


@pytest.fixture(scope="module")
def jobs(tf, tmp_path_factory):
    """Every init/validate/test of this file, started at once on a small thread pool.

    Terraform spends much of its time hashing and loading the provider, so
    running a few at a time shortens the file on a 2-core machine; each test
    waits for its own job and reports its own failure.
    """
    scratch = tmp_path_factory.mktemp("tf-dirs")

    def prepare(kind: str, name: str) -> Path:
        if kind == "module":
            workdir = scratch / "modules" / name
            shutil.copytree(ROOT / "modules" / name, workdir,
                            ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl"))
        else:
            workdir = make_example_plans.stage(name, scratch)
        tf.run(workdir, "init", "-input=false", "-no-color", "-backend=false")
        return workdir

    def module_job(name: str) -> tuple[str, str]:
        workdir = prepare("module", name)
        return tf.run(workdir, "validate", "-no-color"), tf.run(workdir, "test", "-no-color")

    def example_job(name: str) -> str:
        return tf.run(prepare("example", name), "validate", "-no-color")

    (scratch / "modules").mkdir()
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {("module", n): pool.submit(module_job, n) for n in MODULES}
        futures.update({("example", n): pool.submit(example_job, n) for n in EXAMPLES})
        yield futures


def test_inventory():
    assert MODULES == ["execution-role", "registry-credentials", "task-definition"]
    for name in MODULES:
        module = ROOT / "modules" / name
        for required in ("versions.tf", "variables.tf", "outputs.tf", "README.md"):
            assert (module / required).is_file(), f"modules/{name}/{required} is missing"
        assert list((module / "tests").glob("*.tftest.hcl")), f"modules/{name} has no terraform tests"


def test_fmt(tf):
    for folder in ("modules", "examples"):
        proc = subprocess.run(
            [tf.terraform, "fmt", "-check", "-recursive", "-diff", folder],
            cwd=ROOT, env=tf.env, capture_output=True, text=True,
        )
        assert proc.returncode == 0, f"terraform fmt would change {folder}/:\n{proc.stdout}{proc.stderr}"


@pytest.mark.parametrize("name", MODULES)
def test_module_validates_and_passes_terraform_test(jobs, name):
    validate, test = jobs[("module", name)].result()
    assert "The configuration is valid" in validate
    assert "Success!" in test and " 0 failed" in test, test


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_validates(jobs, name):
    assert "The configuration is valid" in jobs[("example", name)].result()


def test_readme_tables_up_to_date():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_module_docs.py"), "--check"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr


def test_readme_generator_rewrites_only_the_marked_section(tmp_path):
    module = tmp_path / "m"
    shutil.copytree(ROOT / "modules" / "execution-role", module,
                    ignore=shutil.ignore_patterns(".terraform*", "tests"))
    readme = module / "README.md"
    text = readme.read_text()
    begin, end = text.index("<!-- BEGIN_TF_DOCS -->"), text.index("<!-- END_TF_DOCS -->")
    readme.write_text(text[:begin] + "<!-- BEGIN_TF_DOCS -->\nstale\n" + text[end:])
    script = [sys.executable, str(ROOT / "scripts" / "gen_module_docs.py")]
    assert subprocess.run(script + ["--check", str(module)], capture_output=True).returncode == 1
    assert subprocess.run(script + [str(module)], capture_output=True).returncode == 0
    assert readme.read_text() == text
