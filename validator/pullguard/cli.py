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
from .suppress_inline import read_source, with_inline

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


class FormatSpec(click.ParamType):
    """``FMT`` or ``FMT=FILE``: a report format, optionally with its own output file."""
    name = "format"

    def get_metavar(self, param, *args, **kwargs) -> str:
        return "[" + "|".join(sorted(FORMATS)) + "][=FILE]"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        fmt, _, target = str(value).partition("=")
        if fmt not in FORMATS:
            self.fail(f"{fmt!r} is not one of {', '.join(repr(f) for f in sorted(FORMATS))}.", param, ctx)
        return fmt, (target or None)


def _output_options(func):
    for fmt in sorted(FORMATS, reverse=True):
        func = click.option(f"--output-{fmt}", f"output_{fmt}", type=click.Path(dir_okay=False), default=None,
                            help=f"Also write the {fmt} report to this file.")(func)
    return func


def _plan_outputs(formats, output, per_format) -> list:
    """[(format, file or None for standard output)]: every format once; at most one on --output/stdout."""
    wanted: dict = {}
    for fmt, target in formats:
        wanted.setdefault(fmt, target)
        if target:
            wanted[fmt] = target
    for fmt in FORMATS:
        if per_format.get(fmt):
            wanted[fmt] = per_format[fmt]
    if not wanted:
        wanted["text"] = None
    plain = [f for f, t in wanted.items() if t is None]
    if len(plain) > 1:
        raise InputError(f"--format {' and '.join(plain)} would both go to "
                         f"{'--output' if output else 'standard output'}; give each but one its own file "
                         f"(--format {plain[-1]}=FILE or --output-{plain[-1]} FILE)")
    return [(f, t if t is not None else output) for f, t in wanted.items()]


@cli.command()
@click.argument("plan", metavar="PLAN")
@click.option("--format", "formats", type=FormatSpec(), multiple=True,
              help="Report format (default: text); repeat for several, FMT=FILE writes that one to FILE.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report (the one format without its own file) here.")
@_output_options
@click.option("--config-dir", type=click.Path(file_okay=False), help="The root module's Terraform source.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Config file (default: .pullguard.toml from the working directory upward).")
@click.option("--fail-on", type=click.Choice(LEVELS), default=None,
              help="Lowest severity that fails the gate (default: error).")
@click.option("--fail-on-undecided", is_flag=True, default=None, help="Undecided outcomes fail the gate too.")
@click.option("--skip", "skips", multiple=True, metavar="IDS", help="Rules not to run, e.g. PG104,PG102.")
@click.option("--only-new", is_flag=True, help="Report and gate only findings this plan introduces.")
@click.option("--no-color", is_flag=True, help="Never colour the text report.")
def check(plan, formats, output, config_dir, config_file, fail_on, fail_on_undecided, skips, only_new, no_color,
          **per_format):
    """Check PLAN: `terraform show -json` output (a file, or - for stdin) or a binary plan file.

    Several reports in one run: `--format text --format sarif=pullguard.sarif`
    (or `--format sarif --output-sarif pullguard.sarif`). Inline suppressions
    (`# pullguard:ignore PG104 -- reason` in a resource block) are read from
    --config-dir, or from the working directory when it holds .tf files.
    """
    skip = _split_ids(skips)
    outputs = _plan_outputs(formats, output, {k[len("output_"):]: v for k, v in per_format.items()})
    if config_dir is not None and not Path(config_dir).is_dir():
        raise InputError(f"--config-dir {config_dir}: no such directory")
    settings = load_settings(Path(config_file) if config_file else None)
    with no_cyclic_gc():
        world = load_world(plan, config_dir)
        source = read_source(world, config_dir)
        result = run(world, with_inline(settings, source), skip=skip, only_new=only_new)
    for fmt, target in outputs:
        text = FORMATS[fmt](result, color=_use_color(target, no_color) and fmt == "text",
                            locations=source.location)
        if world.secrets is not None:
            text = world.secrets.scrub(text)  # last line of defence: no sensitive string leaves
        if target:
            try:
                Path(target).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise InputError(f"--output {target}: cannot write ({exc.strerror})") from None
        else:
            click.echo(text, nl=False)
    for w in world.warnings if "text" not in dict(outputs) else ():
        click.echo(f"pullguard: warning: {w}", err=True)
    code = gate(result, fail_on or settings.fail_on or "error",
                bool(fail_on_undecided if fail_on_undecided is not None else settings.fail_on_undecided))
    sys.exit(code)


@cli.command("checkov-dir")
def checkov_dir():
    """Print the Checkov policy pack's directory, for `checkov --external-checks-dir`."""
    from .checkov import PACK_DIR
    click.echo(str(PACK_DIR))


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
