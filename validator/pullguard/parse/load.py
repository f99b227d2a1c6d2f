"""Read a plan: JSON from ``terraform show -json`` (file or stdin) or a binary plan.

Everything that can be wrong with the input becomes an ``InputError`` with one
line that says what the file is and how to produce a plan. The file is read
once and decoded by ``json.loads`` straight from bytes (UTF-8 with or without
BOM, UTF-16/32 with BOM are detected there), so a large plan is not copied.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

from ..errors import InputError

KNOWN_FORMATS = ("0.1", "0.2", "1.0", "1.1", "1.2")
HOW_TO = "produce one with: terraform plan -out tfplan && terraform show -json tfplan > plan.json"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class LoadedPlan:
    data: dict
    source: str
    format_version: str
    warnings: list = field(default_factory=list)
    redacted_format: bool = False  # HCP Terraform's redacted JSON plan


def read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; {HOW_TO}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a plan file; {HOW_TO}") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def show_binary_plan(path: str) -> bytes:
    """Turn a binary plan file into JSON with ``terraform``/``tofu show -json``."""
    for tool in ("terraform", "tofu"):
        exe = shutil.which(tool)
        if not exe:
            continue
        proc = subprocess.run([exe, "show", "-json", "-no-color", os.path.abspath(path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if proc.returncode == 0:
            return proc.stdout
        err = next((ln.strip(" │╷╵") for ln in proc.stderr.decode("utf-8", "replace").splitlines()
                    if ln.strip(" │╷╵")), "unknown error")
        raise InputError(
            f"{path} is a binary plan and `{tool} show -json` could not read it ({err}); "
            "run it in the initialised configuration directory, or pass the JSON"
        )
    raise InputError(
        f"{path} is a binary plan file and neither terraform nor tofu is on PATH to read it; "
        "pass the JSON instead: terraform show -json tfplan > plan.json"
    )


def _decode(raw: bytes, name: str):
    if not raw.strip():
        raise InputError(f"{name} is empty; {HOW_TO}")
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise InputError(f"{name} is not UTF-8 or UTF-16 text, so not a JSON plan; {HOW_TO}") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        if exc.pos >= len(raw.rstrip()) - 1 or "Unterminated" in exc.msg:
            raise InputError(f"{name} ends before the JSON does ({exc.msg} at {where}): the file is truncated") from None
        raise InputError(f"{name} is not valid JSON ({exc.msg} at {where}); {HOW_TO}") from None
    except RecursionError:
        raise InputError(f"{name} is nested too deeply to be a Terraform plan") from None


def classify(data, name: str) -> LoadedPlan:
    """Accept a plan, or say exactly what else the JSON is."""
    if not isinstance(data, dict):
        raise InputError(f"{name} is JSON but not a Terraform plan (its top level is a {type(data).__name__}); {HOW_TO}")
    warnings = []
    if "lineage" in data and "serial" in data:
        raise InputError(f"{name} is a Terraform state file, not a plan; {HOW_TO}")
    redacted = "plan_format_version" in data and "format_version" not in data
    version = data.get("plan_format_version" if redacted else "format_version")
    is_plan = any(k in data for k in ("planned_values", "resource_changes"))
    if not is_plan:
        if "values" in data and "format_version" in data:
            raise InputError(
                f"{name} is the JSON of a state (`terraform show -json` without a plan file), not a plan; {HOW_TO}")
        hint = ", ".join(sorted(map(str, data))[:5]) or "no keys"
        raise InputError(f"{name} is JSON but not a Terraform plan (top-level keys: {hint}); {HOW_TO}")
    if data.get("errored") is True:
        raise InputError(
            f"{name} is a plan that errored (errored: true): Terraform could not finish planning; "
            "fix the errors `terraform plan` printed and produce the plan again")
    if version is None:
        version = "0.1"
        warnings.append(f"{name} has no format_version; reading it as format 0.1")
    elif not isinstance(version, str):
        raise InputError(f"{name} has a format_version that is not a string ({type(version).__name__}); {HOW_TO}")
    elif version not in KNOWN_FORMATS and not (redacted and version.split(".")[0] == "1"):
        major = version.split(".")[0]
        if major in ("0", "1"):
            warnings.append(f"{name}: plan format {version} is newer than pullguard knows (up to 1.2); reading it anyway")
        else:
            warnings.append(f"{name}: plan format {version} is not one pullguard knows (0.1 to 1.2); trying anyway")
    for key in ("resource_changes", "planned_values", "prior_state", "configuration"):
        if key in data and data[key] is not None and not isinstance(data[key], (dict, list)):
            raise InputError(f"{name} is not a well-formed plan: `{key}` is a {type(data[key]).__name__}")
    return LoadedPlan(data=data, source=name, format_version=version, warnings=warnings, redacted_format=redacted)


def load_plan(path: str) -> LoadedPlan:
    name = "standard input" if path == "-" else path
    raw = read_bytes(path)
    if raw[:4] == ZIP_MAGIC:
        if path == "-":
            raise InputError("standard input holds a binary plan file; pass its JSON: terraform show -json tfplan")
        raw = show_binary_plan(path)
    data = _decode(raw, name)
    del raw
    return classify(data, name)
