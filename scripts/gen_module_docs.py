#!/usr/bin/env python3
"""Generate the inputs/outputs section of each Terraform module README.

A small stand-in for terraform-docs (not installable here): it parses every
``*.tf`` file of a module with python-hcl2 and rewrites the text between
``<!-- BEGIN_TF_DOCS -->`` and ``<!-- END_TF_DOCS -->`` in the module's
README.md with tables of requirements, resources, inputs and outputs.

    python scripts/gen_module_docs.py                 # rewrite modules/*/README.md
    python scripts/gen_module_docs.py --check         # exit 1 if any README is stale
    python scripts/gen_module_docs.py modules/execution-role
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from pathlib import Path

import hcl2

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"


def _unquote(value):
    """python-hcl2 keeps string literals quoted and expressions as ``${...}``."""
    if isinstance(value, str):
        if len(value) >= 2 and value[0] == value[-1] == '"':
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                value = value[1:-1]
            heredoc = re.match(r"<<-?(\w+)\n(.*)\n\s*\1\s*$", value, re.S)
            return textwrap.dedent(heredoc.group(2)) if heredoc else value
        if value.startswith("${") and value.endswith("}"):
            return value[2:-1]
        return value
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, dict):
        return {
            _unquote(k): _unquote(v) for k, v in value.items()
            if not (isinstance(k, str) and k.startswith("__"))
        }
    return value


def _hcl_value(value) -> str:
    """Render a default value the way it would be written in HCL."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_hcl_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_hcl_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def _cell(text: str) -> str:
    text = " ".join(str(text).split())
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    text = _cell(text)
    return f"`{text}`" if "`" not in text else f"<code>{text}</code>"


def load_module(module: Path) -> dict:
    blocks: dict[str, list] = {"variable": [], "output": [], "resource": [], "data": [], "terraform": []}
    for tf in sorted(module.glob("*.tf")):
        with tf.open() as fh:
            parsed = hcl2.load(fh)
        for kind in blocks:
            blocks[kind].extend(parsed.get(kind, []))
    return blocks


def render(module: Path) -> str:
    blocks = load_module(module)
    lines: list[str] = []

    lines += ["## Requirements", "", "| Name | Version |", "|------|---------|"]
    for block in blocks["terraform"]:
        block = _unquote(block)
        if "required_version" in block:
            lines.append(f"| terraform | {_code(block['required_version'])} |")
        for providers in block.get("required_providers", []):
            for name, spec in sorted(providers.items()):
                version = spec.get("version", "any") if isinstance(spec, dict) else spec
                lines.append(f"| {name} | {_code(version)} |")
    lines.append("")

    lines += ["## Resources", "", "| Name | Type |", "|------|------|"]
    rows = []
    for kind, label in (("resource", "resource"), ("data", "data source")):
        for block in blocks[kind]:
            for rtype, named in _unquote(block).items():
                for rname in named:
                    prefix = "data." if kind == "data" else ""
                    rows.append(f"| {prefix}{rtype}.{rname} | {label} |")
    lines += sorted(rows) + [""]

    lines += [
        "## Inputs", "",
        "| Name | Description | Type | Default | Required |",
        "|------|-------------|------|---------|:--------:|",
    ]
    variables = {}
    for block in blocks["variable"]:
        variables.update(_unquote(block))
    for name in sorted(variables):
        spec = variables[name]
        required = "default" not in spec
        default = "n/a" if required else _code(_hcl_value(spec["default"]))
        description = spec.get("description", "")
        flags = [f for f in ("sensitive", "ephemeral") if spec.get(f) is True]
        if flags:
            description += " (" + ", ".join(flags) + ")"
        lines.append(
            f"| {name} | {_cell(description)} | {_code(spec.get('type', 'any'))} | {default} | "
            f"{'yes' if required else 'no'} |"
        )
    lines.append("")

    lines += ["## Outputs", "", "| Name | Description |", "|------|-------------|"]
    outputs = {}
    for block in blocks["output"]:
        outputs.update(_unquote(block))
    for name in sorted(outputs):
        lines.append(f"| {name} | {_cell(outputs[name].get('description', ''))} |")

    return "\n".join(lines) + "\n"


def update_readme(module: Path, check: bool) -> bool:
    """Return True when the README is (or now is) up to date."""
    readme = module / "README.md"
    text = readme.read_text() if readme.exists() else f"# {module.name}\n\n{BEGIN}\n{END}\n"
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        text = text.rstrip("\n") + f"\n\n{BEGIN}\n{END}\n"
    new = pattern.sub(lambda _: f"{BEGIN}\n{render(module)}{END}", text, count=1)
    if new == text:
        return True
    if check:
        return False
    readme.write_text(new)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", type=Path, help="module folders (default: modules/*)")
    parser.add_argument("--check", action="store_true", help="only report stale READMEs (exit 1)")
    args = parser.parse_args(argv)
    modules = args.modules or sorted(p for p in (ROOT / "modules").iterdir() if p.is_dir())
    stale = [m for m in modules if not update_readme(m, args.check)]
    for module in stale:
        print(f"{module}/README.md is out of date: run scripts/gen_module_docs.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
