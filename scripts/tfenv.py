"""Run real Terraform offline: a local provider mirror and a moto AWS endpoint.

Used by the test suite and by ``scripts/make_example_plans.py``. Nothing here
touches the network: the hashicorp/aws provider comes from a filesystem mirror
on the machine and every AWS call goes to ``moto_server`` on 127.0.0.1.

    with TerraformEnv() as tf:
        plan = tf.plan_json(workdir)            # first plan (nothing exists)
        tf.apply(workdir)                       # create it in moto
        plan2 = tf.plan_json(workdir)           # second plan, with prior state

Environment overrides: ``PULLGUARD_TF_MIRROR`` (mirror folder),
``PULLGUARD_TERRAFORM`` (terraform binary).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

MIRROR_CANDIDATES = (
    "/opt/tf-plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
)
AWS_PROVIDER = "registry.terraform.io/hashicorp/aws"
ACCOUNT_ID = "123456789012"  # moto's default account
REGION = "us-east-1"


def terraform_binary() -> str | None:
    return os.environ.get("PULLGUARD_TERRAFORM") or shutil.which("terraform")


def find_mirror() -> Path | None:
    """The filesystem mirror folder that holds hashicorp/aws, if any."""
    env = os.environ.get("PULLGUARD_TF_MIRROR")
    for cand in ([env] if env else []) + list(MIRROR_CANDIDATES):
        p = Path(cand).expanduser()
        if (p / AWS_PROVIDER).is_dir():
            return p
    return None


def missing_reason() -> str | None:
    """Why real Terraform cannot run here, or None when it can."""
    if not terraform_binary():
        return "terraform CLI not found on PATH"
    if not find_mirror():
        return "no local filesystem mirror with hashicorp/aws (set PULLGUARD_TF_MIRROR)"
    if not shutil.which("moto_server"):
        return "moto_server not installed (pip install 'moto[server]')"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TerraformEnv:
    """A moto server plus a Terraform CLI config pointing at the local mirror."""

    def __init__(self, workroot: Path | None = None):
        reason = missing_reason()
        if reason:
            raise RuntimeError(reason)
        self.terraform = terraform_binary()
        self.mirror = find_mirror()
        self._tmp = tempfile.TemporaryDirectory(prefix="pullguard-tf-")
        self.root = Path(workroot or self._tmp.name)
        self.port = None
        self._proc = None

    # -- lifecycle ---------------------------------------------------------
    def __enter__(self) -> "TerraformEnv":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        cli = Path(self._tmp.name) / "terraform.tfrc"
        cache = Path(tempfile.gettempdir()) / "pullguard-tf-plugin-cache"
        cache.mkdir(exist_ok=True)
        cli.write_text(
            "provider_installation {\n"
            f'  filesystem_mirror {{\n    path = "{self.mirror}"\n    include = ["{AWS_PROVIDER}"]\n  }}\n'
            f'  direct {{\n    exclude = ["{AWS_PROVIDER}"]\n  }}\n'
            "}\n"
            f'plugin_cache_dir = "{cache}"\n'
            "plugin_cache_may_break_dependency_lock_file = true\n"
        )
        self.port = _free_port()
        env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true")
        self._proc = subprocess.Popen(
            [shutil.which("moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1)
                break
            except Exception:
                if time.monotonic() > deadline or self._proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("moto_server did not start")
                time.sleep(0.2)
        self.env = {
            k: v for k, v in os.environ.items()
            if not k.startswith(("AWS_", "TF_"))
        }
        self.env.update(
            TF_CLI_CONFIG_FILE=str(cli),
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",
            AWS_ENDPOINT_URL=self.endpoint,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_REGION=REGION,
            AWS_DEFAULT_REGION=REGION,
            AWS_EC2_METADATA_DISABLED="true",
        )

    def stop(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        self._proc = None
        self._tmp.cleanup()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reset_aws(self) -> None:
        """Forget everything created in moto (between independent tests)."""
        req = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        urllib.request.urlopen(req, timeout=120)

    # -- terraform ---------------------------------------------------------
    def run(self, workdir: Path, *args: str, capture: bool = True) -> str:
        proc = subprocess.run(
            [self.terraform, *args], cwd=workdir, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        if proc.returncode != 0:
            raise RuntimeError(
                f"terraform {' '.join(args)} failed in {workdir}:\n{proc.stderr[-4000:]}"
            )
        return proc.stdout

    def init(self, workdir: Path) -> None:
        if not (Path(workdir) / ".terraform").is_dir():
            self.run(workdir, "init", "-input=false", "-no-color")

    def plan_json(self, workdir: Path, *extra: str, out: Path | None = None) -> dict:
        """``terraform plan -out`` then ``terraform show -json``; returns the plan.

        When ``out`` is given the JSON is also written there (pretty, stable).
        """
        workdir = Path(workdir)
        self.init(workdir)
        planfile = workdir / "tfplan"
        self.run(workdir, "plan", "-input=false", "-no-color", "-lock=false", f"-out={planfile}", *extra)
        text = self.run(workdir, "show", "-json", str(planfile))
        planfile.unlink()
        plan = json.loads(text)
        if out is not None:
            Path(out).write_text(json.dumps(plan, indent=2, sort_keys=True) + "\n")
        return plan

    def apply(self, workdir: Path, *extra: str) -> None:
        self.init(workdir)
        self.run(workdir, "apply", "-input=false", "-no-color", "-auto-approve", "-lock=false", *extra)


if __name__ == "__main__":  # a quick self-check: python scripts/tfenv.py DIR
    with TerraformEnv() as tf:
        print(json.dumps(tf.plan_json(Path(sys.argv[1])), indent=1)[:2000])
