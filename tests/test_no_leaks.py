"""No output of any kind contains a sensitive value from the plan.

The `sensitive` fixture plans a secret version, an SSM SecureString and a task
definition whose container_definitions embed a sensitive variable; the plan
JSON holds all of them in clear text (asserted first, so this test can fail).
"""
import json
from pathlib import Path

import pytest

from support import run_cli
from pullguard.api import load_world
from pullguard.report import FORMATS

CANARIES = ("pg-leak-canary-PASSWORD-7f3a9c", "pg-leak-canary-TOKEN-51d2e8", "pg-leak-canary-USER-0b7e",
            "pg-leak-canary-TAG-93c1")


@pytest.fixture(scope="module")
def leaky(plans):
    path = plans.first("sensitive")
    raw = Path(path).read_text()
    for c in CANARIES:
        assert c in raw, "the fixture no longer puts the secret in the plan: the test would prove nothing"
    return str(path)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("extra", [(), ("--fail-on-undecided", "--only-new"), ("--fail-on", "notice")])
def test_no_format_prints_a_secret(leaky, fmt, extra, tmp_path):
    code, out, err = run_cli("check", leaky, "--format", fmt, *extra)
    assert code in (0, 1), err
    written = tmp_path / "report"
    run_cli("check", leaky, "--format", fmt, "--output", str(written), *extra)
    for text in (out, err, written.read_text()):
        for c in CANARIES:
            assert c not in text
    # the rules still saw the sensitive container definitions' safe parts
    assert "PG102" in out and "ghcr.io/acme/api:latest" in out
    # a sensitive variable inside an image is scrubbed from the finding that names the image
    if fmt == "json":
        msgs = [f["message"] for f in __import__("json").loads(out)["findings"]
                if f["address"] == "aws_ecs_task_definition.tagged"]
        assert msgs == ["container `app`: image `ghcr.io/acme/api:(sensitive)` is on `ghcr.io`, which is neither "
                        "Amazon ECR nor a registry known to serve anonymous pulls, and the container has no "
                        "`repositoryCredentials`: a private repository answers 401 and the pull fails "
                        "(CannotPullContainerError)"]


def test_model_keeps_no_secret(leaky):
    world = load_world(leaky)
    dump = repr([(i.address, i.values) for snap in (world.planned, world.prior) for i in snap.instances.values()])
    for c in CANARIES:
        assert c not in dump or c.endswith("TAG-93c1")  # an image is kept; reports scrub it
    assert "pg-leak-canary" not in repr(world)
    version = world.planned.get("aws_secretsmanager_secret_version.registry")
    assert version.values["secret_string"].summary == {
        "kind": "json-object", "fields": {"username": "ok", "password": "ok"}}


def test_errors_do_not_echo_content(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": "1.2", "planned_values": "' + CANARIES[0] + '"}')
    code, out, err = run_cli("check", str(bad))
    assert code == 2 and CANARIES[0] not in err + out
    bad.write_text('{"password": "' + CANARIES[0] + '", ')
    code, out, err = run_cli("check", str(bad))
    assert code == 2 and CANARIES[0] not in err + out
