"""The Terraform source beside the plan: where each resource block is, and its inline suppressions.

    resource "aws_ecs_task_definition" "legacy" {
      # pullguard:ignore PG104 -- we pull Docker Hub through a pull-through cache
      ...
    }

A ``# pullguard:ignore PG104[,PG105] -- reason`` (or ``//``) comment inside a
resource or data block suppresses those rules for every instance of that block
(``*`` for every rule). The reason is required and echoed in every report,
with the file and line of the comment. An ignore without a reason is not
honoured and becomes a warning.

The root module is ``--config-dir`` or, without it, the working directory when
it holds ``.tf`` files. Module blocks are found through the plan's module
calls: ``.terraform/modules/modules.json`` when ``terraform init`` wrote it,
else a local ``source`` (``./`` or ``../``) relative to the calling module.
A simple line scanner: braces outside strings, comments and heredocs.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .model.world import strip_keys

IGNORE = re.compile(r"(?:#|//)\s*pullguard:ignore\s+([A-Za-z0-9_*,\s]+?)\s*(?:--\s*(.*?))?\s*$")
BLOCK = re.compile(r'^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"\s*\{')
HEREDOC = re.compile(r"<<-?\s*([A-Za-z_][A-Za-z0-9_]*)\s*$")
RULE = re.compile(r"^(PG\d{3}|\*)$")


@dataclass(frozen=True)
class Ignore:
    rules: tuple
    reason: str
    file: str
    line: int


@dataclass
class Block:
    file: str        # as shown in reports: relative to the working directory when under it
    line: int
    end_line: int
    ignores: list = field(default_factory=list)


@dataclass(frozen=True)
class InlineSuppression:
    """Duck-types ``config.Suppression``: ``matches(rule_id, address)`` and ``reason``."""
    rule: str
    reason: str
    block: str       # the block's address without instance keys: module.a.aws_x.y

    def matches(self, rule_id: str, address: str) -> bool:
        return self.rule in ("*", rule_id) and strip_keys(address) == self.block


def _shown(path: Path) -> str:
    try:
        rel = os.path.relpath(path, Path.cwd())
    except ValueError:  # another drive
        return str(path)
    return str(path) if rel.startswith("..") else rel


def scan_file(path: Path, warnings: list) -> list:
    """[(mode, type, name, Block)] of the top-level resource and data blocks of one .tf file."""
    try:
        lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return []
    shown = _shown(path)
    out, depth, current, heredoc, in_comment = [], 0, None, None, False
    for no, line in enumerate(lines, 1):
        if heredoc is not None:
            if line.strip() == heredoc:
                heredoc = None
            continue
        if depth == 0 and not in_comment:
            m = BLOCK.match(line)
            if m:
                current = (m.group(1) if m.group(1) == "data" else "managed", m.group(2), m.group(3),
                           Block(shown, no, no))
        code, comment = _split(line, in_comment)
        in_comment = code.endswith("\0")  # an unfinished /* */
        code = code.rstrip("\0")
        if current is not None:
            m = IGNORE.search(comment) if comment else None
            if m:
                rules = tuple(r.strip().upper() for r in m.group(1).replace(",", " ").split() if r.strip())
                reason = (m.group(2) or "").strip()
                bad = [r for r in rules if not RULE.match(r)]
                if not rules or bad:
                    warnings.append(f"{shown}:{no}: pullguard:ignore names no rule id such as PG104; not honoured")
                elif not reason:
                    warnings.append(f"{shown}:{no}: pullguard:ignore {','.join(rules)} has no reason "
                                    "(`-- why`); not honoured")
                else:
                    current[3].ignores.append(Ignore(rules, reason, shown, no))
        depth += code.count("{") - code.count("}")
        hd = HEREDOC.search(code)
        if hd:
            heredoc = hd.group(1)
        if depth <= 0:
            depth = 0
            if current is not None:
                current[3].end_line = no
                out.append(current)
                current = None
    return out


def _split(line: str, in_comment: bool) -> tuple:
    """(code without strings, trailing comment text); code ends with NUL inside an open /* */."""
    code, i, n, quote = [], 0, len(line), False
    while i < n:
        if in_comment:
            end = line.find("*/", i)
            if end < 0:
                return "".join(code) + "\0", line[i:]
            in_comment, i = False, end + 2
            continue
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                quote = False
            i += 1
            continue
        if ch == '"':
            quote = True
        elif ch == "#" or line.startswith("//", i):
            return "".join(code), line[i:]
        elif line.startswith("/*", i):
            in_comment, i = True, i + 2
            continue
        else:
            code.append(ch)
        i += 1
    return "".join(code) + ("\0" if in_comment else ""), ""


class SourceMap:
    """Resource blocks by address (without instance keys), across the root module and its module calls."""

    def __init__(self, root: Optional[Path], configuration=None, warnings: Optional[list] = None):
        self.root = root
        self.warnings = warnings if warnings is not None else []
        self.blocks: dict = {}
        if root is None:
            return
        self._manifest = self._read_manifest(root)
        self._scan_module(root, (), configuration.root if configuration is not None else {})

    @staticmethod
    def _read_manifest(root: Path) -> dict:
        try:
            doc = json.loads((root / ".terraform" / "modules" / "modules.json").read_text(encoding="utf-8"))
            return {m["Key"]: m["Dir"] for m in doc.get("Modules", []) if m.get("Key") and m.get("Dir")}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}

    def _scan_module(self, folder: Path, names: tuple, module: dict, depth: int = 0) -> None:
        prefix = "".join(f"module.{n}." for n in names)
        for tf in sorted(folder.glob("*.tf")):
            for mode, type_, name, block in scan_file(tf, self.warnings):
                addr = f"{prefix}{'data.' if mode == 'data' else ''}{type_}.{name}"
                self.blocks.setdefault(addr, block)
        calls = module.get("module_calls") if isinstance(module, dict) else None
        if not isinstance(calls, dict) or depth > 20:
            return
        for call_name, call in calls.items():
            if not isinstance(call, dict):
                continue
            key = ".".join((*names, call_name))
            sub = None
            if key in self._manifest:
                sub = self.root / self._manifest[key]
            elif isinstance(call.get("source"), str) and call["source"].startswith(("./", "../")):
                sub = folder / call["source"]
            if sub is not None and sub.is_dir():
                self._scan_module(sub.resolve(), (*names, call_name), call.get("module") or {}, depth + 1)

    def block(self, address: str) -> Optional[Block]:
        return self.blocks.get(strip_keys(address))

    def location(self, address: str) -> Optional[tuple]:
        """(file, line) of the resource block behind an address, or None."""
        b = self.block(address)
        return (b.file, b.line) if b else None

    def suppressions(self) -> tuple:
        out = []
        for addr, b in self.blocks.items():
            for ig in b.ignores:
                for rule in ig.rules:
                    out.append(InlineSuppression(rule, f"{ig.reason} (inline, {ig.file}:{ig.line})", addr))
        return tuple(out)


def source_root(config_dir: Optional[str]) -> Optional[Path]:
    """--config-dir, else the working directory when it holds .tf files."""
    if config_dir:
        return Path(config_dir).resolve()
    cwd = Path.cwd()
    return cwd if any(cwd.glob("*.tf")) else None


def read_source(world, config_dir: Optional[str]) -> SourceMap:
    """The source map for a loaded world; scanner warnings join the world's warnings."""
    return SourceMap(source_root(config_dir), getattr(world, "config", None), world.warnings)


def with_inline(settings, source: SourceMap):
    """Settings whose suppressions also hold the source's inline ignores (config-file ones first)."""
    from dataclasses import replace
    inline = source.suppressions()
    return replace(settings, suppressions=tuple(settings.suppressions) + inline) if inline else settings
