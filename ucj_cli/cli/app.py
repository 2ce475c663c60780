"""The `ucj` command line: an app that only registers the commands (one module per command group,
each a thin layer over the library API) and the entry point.

Heavy modules (the engine, Rich tables, tabulate) are imported inside the commands, so `ucj --help`
starts fast. Exit codes: 0 success; 1 the run worked but a check failed (overrun with
--fail-on-overrun, warnings with --strict, a broken file in a batch); 2 bad input or usage.
"""

from __future__ import annotations

from typing import Optional

import typer

from ucj_cli import __version__
from ucj_cli.cli import batch, compare, explain, path, plan, schema, simulate
from ucj_cli.cli.group import UcjGroup, UcjTyper
from ucj_cli.cli.options import LANG_OPTION, Lang

app = UcjTyper(
    name="ucj",
    cls=UcjGroup,
    help="Budget simulator for Universal Coverage Jamsostek: what protecting workers under BPJS "
    "Ketenagakerjaan costs a regional budget, month by month, who pays, and how far coverage rises.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ucj {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    lang: Optional[Lang] = LANG_OPTION,
) -> None:
    """Budget simulator for Universal Coverage Jamsostek."""



for group in (simulate, compare, batch, explain, schema, plan, path):
    group.register(app)


def main() -> None:
    """The `ucj` command. A closed pipe (`ucj simulate x.yaml | head -1`) ends it quietly with exit
    status 141, as a shell reports `cat` killed by SIGPIPE. (Ctrl-C: exit 130.)"""
    from ucj_cli.output import end_cleanly_on_signals, guard_standard_streams

    guard_standard_streams()
    end_cleanly_on_signals()  # `kill`, a CI timeout, a closed terminal: end as Ctrl-C ends, cleaning temporary files on the way
    app()
