"""Command line: thin glue over load → model → engine → report.

Exit codes: 0 nothing at or above the threshold, 1 findings at or above it,
2 the input or the command line is wrong (always one line on stderr).
"""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .config import LEVELS, load_settings
from .engine import gate, run
from .errors import InputError
from .api import load_world, no_cyclic_gc
from .report import FORMATS
from .rules import ALL_RULES, BY_ID

DOCS = Path(__file__).parent / "rule_docs"


def _split_ids(values) -> list:
    ids = []
    for v in values:
        ids.extend(x.strip().upper() for x in v.split(",") if x.strip())
    unknown = [i for i in ids if i not in BY_ID]
    if unknown:
        raise InputError(f"--skip: unknown rule id {unknown[0]} (see `pullguard rules`)")
    return ids


def _use_color(output, no_color: bool) -> bool:
    if no_color or output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pullguard")
def cli() -> None:
    """Catch Amazon ECS image and registry-credential pull failures in a Terraform plan."""


@cli.command()
@click.argument("plan", metavar="PLAN")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True,
              help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report here.")
@click.option("--config-dir", type=click.Path(file_okay=False), help="The root module's Terraform source.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Config file (default: .pullguard.toml from the working directory upward).")
@click.option("--fail-on", type=click.Choice(LEVELS), default=None,
              help="Lowest severity that fails the gate (default: error).")
@click.option("--fail-on-undecided", is_flag=True, default=None, help="Undecided outcomes fail the gate too.")
@click.option("--skip", "skips", multiple=True, metavar="IDS", help="Rules not to run, e.g. PG104,PG102.")
@click.option("--only-new", is_flag=True, help="Report and gate only findings this plan introduces.")
@click.option("--no-color", is_flag=True, help="Never colour the text report.")
def check(plan, fmt, output, config_dir, config_file, fail_on, fail_on_undecided, skips, only_new, no_color):
    """Check PLAN: `terraform show -json` output (a file, or - for stdin) or a binary plan file."""
    skip = _split_ids(skips)
    if config_dir is not None and not Path(config_dir).is_dir():
        raise InputError(f"--config-dir {config_dir}: no such directory")
    settings = load_settings(Path(config_file) if config_file else None)
    with no_cyclic_gc():
        world = load_world(plan, config_dir)
        result = run(world, settings, skip=skip, only_new=only_new)
    text = FORMATS[fmt](result, color=_use_color(output, no_color))
    if world.secrets is not None:
        text = world.secrets.scrub(text)  # last line of defence: no sensitive string leaves
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"--output {output}: cannot write ({exc.strerror})") from None
    else:
        click.echo(text, nl=False)
    for w in world.warnings if fmt != "text" else ():
        click.echo(f"pullguard: warning: {w}", err=True)
    code = gate(result, fail_on or settings.fail_on or "error",
                bool(fail_on_undecided if fail_on_undecided is not None else settings.fail_on_undecided))
    sys.exit(code)


@cli.command("rules")
def rules_cmd():
    """List the rules pullguard runs."""
    for r in ALL_RULES:
        click.echo(f"{r.id}  {r.severity.value:<7}  {r.title}")


@cli.command()
@click.argument("rule_id")
def explain(rule_id):
    """Print a rule's page: what fails, why, and the Terraform fix."""
    rid = rule_id.upper()
    page = DOCS / f"{rid}.md"
    if rid not in BY_ID or not page.is_file():
        raise InputError(f"no rule {rule_id} (see `pullguard rules`)")
    click.echo(page.read_text(encoding="utf-8"), nl=False)


def main(argv=None) -> None:
    """Entry point: every error is one line and exit 2; never a traceback."""
    try:
        cli.main(args=argv, prog_name="pullguard", standalone_mode=False)
    except InputError as exc:
        click.echo(f"pullguard: error: {exc}", err=True)
        sys.exit(2)
    except click.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        click.echo(f"pullguard: error: {exc.format_message()}{hint}", err=True)
        sys.exit(2)
    except click.Abort:
        click.echo("pullguard: aborted", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(2)
    except MemoryError:
        click.echo("pullguard: error: out of memory reading the plan", err=True)
        sys.exit(2)
    except Exception as exc:  # never a traceback, never the exception's text (it may hold a value)
        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else "?"
        click.echo(f"pullguard: error: could not process the input ({type(exc).__name__} at {where}); "
                   "this is a pullguard bug, please report it", err=True)
        sys.exit(2)
