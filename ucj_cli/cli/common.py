"""What the commands share: reading a scenario, pricing it with the run's book, choosing and
writing a format, printing diagnostics. Never imports a command module or `app`, so every command
module can import it."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Optional

import typer

from ucj_cli.cli.console import console
from ucj_cli.cli.group import say, usage
from ucj_cli.i18n import _
from ucj_cli.i18n.messages import Choices, Quoted

if TYPE_CHECKING:
    from ucj_cli.engine.pricing import Result
    from ucj_cli.errors import Diagnostic
    from ucj_cli.model import Scenario




class Place(str, Enum):
    district = "district"
    village = "village"


class View(str, Enum):
    cohort = "cohort"
    program = "program"
    funding = "funding"
    month = "month"


STDIN = "-"


def fail(diagnostics: "list[Diagnostic] | tuple[Diagnostic, ...]") -> NoReturn:
    from ucj_cli.output import print_diagnostics

    print_diagnostics(diagnostics)
    raise typer.Exit(2)


def read_scenario(path: str, settings: "list[str] | tuple[str, ...]" = ()) -> "Scenario":
    """Load a scenario from a file or `-` (standard input), checked against the shipped rule book,
    with `--set` overrides added; bad input ends the command with exit 2."""
    from ucj_cli.errors import ScenarioError
    from ucj_cli.rules.book import load_rulebook
    from ucj_cli.load.scenario import load_scenario, parse_scenario, with_settings
    from ucj_cli.source import SourceError, read_stdin

    try:
        book = load_rulebook()
        scenario = parse_scenario(read_stdin(), "<stdin>", book) if path == STDIN else load_scenario(path, book)
    except ScenarioError as exc:
        fail(exc.diagnostics)
    except SourceError as exc:
        fail([exc.diagnostic])
    try:
        return with_settings(scenario, settings, book)
    except ScenarioError as exc:  # a mistake on the command line: `ucj: <sentence> [code]`
        for item in exc.diagnostics:
            say(item.code, **dict(item.args))
        raise typer.Exit(2) from None


def run_simulation(scenario: "Scenario") -> "Result":
    """Price `scenario` with the run's one rule book: the shipped book plus its what-if."""
    from ucj_cli.engine.pricing import simulate
    from ucj_cli.errors import UcjError
    from ucj_cli.api import rulebook_for

    try:
        return simulate(scenario, rulebook_for(scenario))
    except UcjError as exc:
        fail(exc.diagnostics)


def file_or_stdout(output: Optional[Path]) -> Optional[Path]:
    """`--output -` means standard output, the same as no --output."""
    return None if output is None or str(output) == STDIN else output


def choose_format(fmt: Optional[Enum], output: Optional[Path], command: str = "simulate") -> str:
    """An explicit --format wins; otherwise the output file's suffix decides; otherwise a table. A
    format that contradicts the suffix (`-f csv -o x.json`) is refused, as is a binary format
    written to a terminal; `.txt` takes any text format."""
    from ucj_cli.render.registry import FORMATS, by_suffix, names

    implied = by_suffix(output.suffix) if output is not None else None
    if fmt is not None:
        chosen = FORMATS[fmt.value]
        if implied is not None and implied is not chosen and output.suffix.lower() not in chosen.suffixes \
                and not (implied.name == "table" and not chosen.binary):
            usage("E-usage-format-suffix", format=chosen.name, path=Quoted(str(output)), suffix=chosen.suffix, implied=implied.name)
    elif output is None:
        return "table"
    elif implied is None or implied.name not in names(command):
        suffixes = list(dict.fromkeys(suffix for name in names(command) for suffix in FORMATS[name].suffixes))
        usage("E-usage-suffix", path=Quoted(str(output)), suffixes=Choices(suffixes))
    else:
        chosen = implied
    if chosen.binary and output is None and sys.stdout.isatty():
        usage("E-usage-binary-terminal", format=chosen.name, suffix=chosen.suffix)
    return chosen.name


def emit(data: "str | bytes", output: Optional[Path], inputs: "tuple[str, ...]" = ()) -> None:
    """A rendered result to standard output or, atomically, to a file (never over one of the run's
    `inputs`); a file that cannot be written is one coded line and exit 2 or 3, not a traceback."""
    from ucj_cli.output import OutputError, print_diagnostics, refuse_inputs, write_atomic, write_stdout

    try:
        if output is None:
            write_stdout(data)
            return
        refuse_inputs(output, inputs)
        write_atomic(output, data)
    except OutputError as exc:
        print_diagnostics([exc.diagnostic])
        raise typer.Exit(exc.exit_code) from None
    wrote(output)


def wrote(output: Path) -> None:
    """`wrote FILE` on standard error, the name escaped as in diagnostics."""
    from ucj_cli.i18n.format import path_text

    typer.echo(_("wrote {path}").format(path=path_text(output)), err=True)


def print_lines(lines: "list[str]") -> None:
    """Diagnostics on standard error, one whole line each."""
    for line in lines:
        typer.echo(line, err=True)


def emit_places(result: "Result", view: str, fmt: str, output: Optional[Path]) -> None:
    """The budget by district or village, streamed to standard output or `--output` as it is made."""
    from ucj_cli.load import csv_cohorts
    from ucj_cli.engine import places
    from ucj_cli.errors import ScenarioError
    from ucj_cli.output import OutputError, open_target, print_diagnostics, refuse_inputs, write_error
    from ucj_cli.render.places import TooMany, table, write

    lines = places.by_district(result) if view == "district" else places.by_village(result, csv_cohorts.village_rows(result.scenario.cohorts))
    try:
        if fmt == "xlsx":  # the whole workbook, with a last sheet by place
            from ucj_cli.output import temporary_errors
            from ucj_cli.render.xlsx import simulation_workbook

            with temporary_errors():
                workbook = simulation_workbook(result, (view, lines))
            emit(workbook, output, result.scenario.inputs)
        elif output is None and fmt == "table":
            table(result, view, lines, console())
        elif output is None:
            try:
                write(result, view, fmt, lines, sys.stdout)
                sys.stdout.flush()
            except OSError as exc:
                raise write_error("<stdout>", exc) from None
        else:
            refuse_inputs(output, result.scenario.inputs)
            with open_target(output) as stream:
                write(result, view, fmt, lines, stream)
            wrote(output)
    except OutputError as exc:
        print_diagnostics([exc.diagnostic])
        raise typer.Exit(exc.exit_code) from None
    except TooMany:
        usage("E-usage-by-too-many", by=view)
    except ScenarioError as exc:  # a CSV file changed since it was checked (csv_cohorts.village_rows)
        fail(exc.diagnostics)


FORMAT_OPTION = typer.Option(None, "--format", "-f", help="Output format (default: table, or from the --output suffix).", case_sensitive=False)
CHART_OPTION = typer.Option(None, "--chart/--no-chart", help="Draw the year's spending and coverage as bars (table format; default: on a terminal).")


def chart_wanted(chart: Optional[bool], chosen: str, output: Optional[Path], terminal: Optional[bool] = None) -> bool:
    """The chart goes to a table on a terminal unless --no-chart; to a pipe or a file only with
    --chart (and only in the table format)."""
    if chart and chosen != "table":
        usage("E-chart-format", format=chosen)
    if chart is not None:
        return chart
    return chosen == "table" and output is None and (sys.stdout.isatty() if terminal is None else terminal)


def _complete_parameters(incomplete: str) -> list[str]:
    from ucj_cli.cli.completion import parameters

    return parameters(incomplete)


SET_OPTION = typer.Option([], "--set", metavar="NAME@YYYY-MM=VALUE", autocompletion=_complete_parameters,
                          help="What-if: give a rule parameter a value from a month on, e.g. pu.jp.employer@2027-01=5% (repeatable).")


