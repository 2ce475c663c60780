"""The `ucj` command line: an app that only registers the commands (one module per command group,
each a thin layer over the library API) and the entry point.

A command's module is imported only when that command is run (or listed, by `ucj --help`), and heavy
modules (the engine, Rich tables, tabulate) only inside the commands, so a run starts fast. Exit
codes: 0 success; 1 the run worked but a check failed (overrun with --fail-on-overrun, warnings with
--strict, a broken file in a batch); 2 bad input or usage.
"""

from __future__ import annotations

import gc
import importlib
from typing import Any, Optional

# Starting, ucj makes some 200,000 objects and no garbage, and at the interpreter's default (a
# collection every 700 new objects) the collector walked them about 40 times: ~5 ms of a cold
# `ucj simulate`. A run makes few reference cycles (a large file is read with collection paused
# anyway), so collecting every 50,000 new objects leaves nothing of note uncollected for long.
gc.set_threshold(50_000, *gc.get_threshold()[1:])

import typer  # noqa: E402 - after the threshold: Typer's import is most of start-up

from ucj_cli import __version__
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


# Every command and the module (in ucj_cli/cli/) whose `register` adds it, in the order `ucj --help` lists them.
COMMANDS = {"simulate": "simulate", "compare": "compare", "validate": "batch", "batch": "batch", "explain": "explain",
            "rules": "explain", "schema": "schema", "init": "schema", "plan": "plan", "path": "path"}


class _Registered(dict):
    """The app's commands by name (`UcjTyper.lazy_commands`), every name known from the start: a
    command is registered by its module, imported the first time the command is looked up."""

    def get(self, name: str, default: Any = None) -> Any:
        if dict.get(self, name) is None and name in COMMANDS:
            importlib.import_module(f"ucj_cli.cli.{COMMANDS[name]}").register(app)
        return dict.get(self, name, default)


app.lazy_commands = _Registered.fromkeys(COMMANDS)


def main() -> None:
    """The `ucj` command. A closed pipe (`ucj simulate x.yaml | head -1`) ends it quietly with exit
    status 141, as a shell reports `cat` killed by SIGPIPE. (Ctrl-C: exit 130.)"""
    from ucj_cli.output import end_cleanly_on_signals, guard_standard_streams

    guard_standard_streams()
    end_cleanly_on_signals()  # `kill`, a CI timeout, a closed terminal: end as Ctrl-C ends, cleaning temporary files on the way
    try:
        app()
    finally:
        # The run is over: its objects are freed as the interpreter ends, without the collector's
        # last walks over every one of them (~10 ms). Nothing is left to collect that matters:
        # results are written and closed, temporary files removed by their own handlers.
        gc.freeze()
