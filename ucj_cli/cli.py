"""The `ucj` command line: thin commands over the library API.

Heavy modules (the engine, Rich tables, tabulate) are imported inside the commands, so `ucj --help`
starts fast. Exit codes: 0 success; 1 the run worked but a check failed (overrun with
--fail-on-overrun, warnings with --strict, a broken file in a batch); 2 bad input or usage.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, List, NoReturn, Optional

import typer

from ucj_cli import __version__
from ucj_cli.cli_batch import register
from ucj_cli.cli_console import console, is_terminal
from ucj_cli.cli_explain import register as register_explain
from ucj_cli.cli_schema import register as register_schema
from ucj_cli.cli_options import LANG_OPTION, OUTPUT_OPTION, QUIET_OPTION, SET_OPTION, Lang
from ucj_cli.cli_plan import register as register_plan
from ucj_cli.cli_typer import UcjGroup, UcjTyper, say, usage
from ucj_cli.formats import choices
from ucj_cli.i18n import _
from ucj_cli.i18n.messages import Choices, Quoted
from ucj_cli.period import MAX_YEAR, MIN_YEAR

if TYPE_CHECKING:
    from ucj_cli.engine import Result
    from ucj_cli.errors import Diagnostic
    from ucj_cli.scenario import Scenario

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


Format = choices("simulate")
CompareFormat = choices("compare")


class Place(str, Enum):
    district = "district"
    village = "village"


class View(str, Enum):
    cohort = "cohort"
    program = "program"
    funding = "funding"
    month = "month"


STDIN = "-"


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


def fail(diagnostics: "list[Diagnostic] | tuple[Diagnostic, ...]") -> NoReturn:
    from ucj_cli.output import print_diagnostics

    print_diagnostics(diagnostics)
    raise typer.Exit(2)


def read_scenario(path: str, settings: "list[str] | tuple[str, ...]" = ()) -> "Scenario":
    """Load a scenario from a file or `-` (standard input), checked against the shipped rule book,
    with `--set` overrides added; bad input ends the command with exit 2."""
    from ucj_cli.errors import ScenarioError
    from ucj_cli.rules import load_rulebook
    from ucj_cli.scenario import load_scenario, parse_scenario, with_settings
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
    from ucj_cli.engine import simulate
    from ucj_cli.errors import UcjError
    from ucj_cli.api import rulebook_for

    try:
        return simulate(scenario, rulebook_for(scenario))
    except UcjError as exc:
        fail(exc.diagnostics)


def file_or_stdout(output: Optional[Path]) -> Optional[Path]:
    """`--output -` means standard output, the same as no --output."""
    return None if output is None or str(output) == STDIN else output


def choose_format(fmt: Optional[Enum], output: Optional[Path], result: str = "simulate") -> str:
    """An explicit --format wins; otherwise the output file's suffix decides; otherwise a table. A
    format that contradicts the suffix (`-f csv -o x.json`) is refused, as is a binary format
    written to a terminal; `.txt` takes any text format."""
    from ucj_cli.formats import FORMATS, by_suffix

    implied = by_suffix(output.suffix) if output is not None else None
    if fmt is not None:
        chosen = FORMATS[fmt.value]
        if implied is not None and implied is not chosen and output.suffix.lower() not in chosen.suffixes \
                and not (implied.name == "table" and not chosen.binary):
            usage("E-usage-format-suffix", format=chosen.name, path=Quoted(str(output)), suffix=chosen.suffix, implied=implied.name)
    elif output is None:
        return "table"
    elif implied is None or result not in implied.renders:
        suffixes = list(dict.fromkeys(suffix for item in FORMATS.values() if result in item.renders for suffix in item.suffixes))
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
    typer.echo(_("wrote {path}").format(path=output), err=True)


def print_lines(lines: "list[str]") -> None:
    """Diagnostics on standard error, one whole line each."""
    for line in lines:
        typer.echo(line, err=True)


def emit_places(result: "Result", view: str, fmt: str, output: Optional[Path]) -> None:
    """The budget by district or village, streamed to standard output or `--output` as it is made."""
    from ucj_cli import csv_cohorts, places
    from ucj_cli.errors import ScenarioError
    from ucj_cli.output import OutputError, open_target, print_diagnostics, refuse_inputs, write_error
    from ucj_cli.report_places import TooMany, table, write

    lines = places.by_district(result) if view == "district" else places.by_village(result, csv_cohorts.village_rows(result.scenario.cohorts))
    try:
        if fmt == "xlsx":  # the whole workbook, with a last sheet by place
            from ucj_cli.render_xlsx import simulation_workbook

            emit(simulation_workbook(result, (view, lines)), output, result.scenario.inputs)
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
            typer.echo(_("wrote {path}").format(path=output), err=True)
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
    from ucj_cli.completion import parameters

    return parameters(incomplete)


SET_OPTION = typer.Option([], "--set", metavar="NAME@YYYY-MM=VALUE", autocompletion=_complete_parameters,
                          help="What-if: give a rule parameter a value from a month on, e.g. pu.jp.employer@2027-01=5% (repeatable).")


@app.command()
def simulate(
    file: str = typer.Argument(..., metavar="FILE", help="Scenario YAML file, or - for standard input."),
    fmt: Optional[Format] = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
    fail_on_overrun: bool = typer.Option(False, "--fail-on-overrun", help="Exit 1 when a funding scheme exceeds its ceiling."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 on any warning (overrun, assumed future rule, coverage above 100%)."),
    quiet: bool = QUIET_OPTION,
    settings: List[str] = SET_OPTION,
    by: Optional[Place] = typer.Option(None, "--by", "-b", help="The budget by district or by village (cohorts read with from_csv): table, csv, json, markdown or xlsx.", case_sensitive=False),
    chart: Optional[bool] = CHART_OPTION,
    lang: Optional[Lang] = LANG_OPTION,
) -> None:
    """Simulate a year of contributions: the budget by month, cohort, program and funding scheme."""
    from ucj_cli.report import print_table, render, shown_diagnostics

    output = file_or_stdout(output)
    chosen = choose_format(fmt, output)
    drawn = chart_wanted(chart, chosen, output)
    if chart and by is not None:  # the chart is the whole budget's year; by place it would say nothing new
        usage("E-chart-by", by=by.value)
    if chosen.startswith("rka"):
        if lang is None and not os.environ.get("UCJ_LANG"):
            from ucj_cli.i18n import set_language

            set_language("id")  # SIPD's RKA form is Indonesian unless a language was chosen
        if by is not None:
            usage("E-usage-by-rka", by=by.value, format=chosen)
    result = run_simulation(read_scenario(file, settings))
    warnings = result.warnings
    if by is not None:
        emit_places(result, by.value, chosen, output)
        print_lines(shown_diagnostics(result.diagnostics, [result], quiet))
    elif chosen.startswith("rka"):
        warnings = simulate_rka(result, chosen, output, quiet)
    elif chosen == "table" and output is None:  # the report carries its own warnings
        if is_terminal():
            print_table(result, console(), quiet, drawn)
        else:
            emit(render(result, chosen, quiet, drawn), None)
    else:
        emit(render(result, chosen, quiet, drawn), output, result.scenario.inputs)
        print_lines(shown_diagnostics(result.diagnostics, [result], quiet))
    if (fail_on_overrun and result.overruns) or (strict and warnings):
        raise typer.Exit(1)


def simulate_rka(result: "Result", chosen: str, output: Optional[Path], quiet: bool) -> "tuple[Diagnostic, ...]":
    """The budget as SIPD's RKA form (`rka`, `rka-csv`, `rka-markdown`); returns every warning,
    the form's own (account codes missing) included."""
    from ucj_cli.report import shown_diagnostics
    from ucj_cli.report_rka import render_rka
    from ucj_cli.rka import build

    rka = build(result)
    emit(render_rka(rka, {"rka": "text", "rka-csv": "csv", "rka-markdown": "markdown"}[chosen]), output, result.scenario.inputs)
    print_lines(shown_diagnostics((*result.diagnostics, *rka.diagnostics), [result], quiet))
    return (*result.warnings, *(item for item in rka.diagnostics if item.severity == "warning"))


@app.command("compare")
def compare_command(
    base: str = typer.Argument(..., metavar="BASE", help="The scenario to compare from (e.g. last year's budget)."),
    other: Optional[str] = typer.Argument(None, metavar="OTHER", help="The scenario to compare to; omit with --year twice."),
    year: List[int] = typer.Option([], "--year", "-y", help="With one file, give twice: price it under two budget years' rules."),
    baseline: bool = typer.Option(False, "--baseline", help="With one file: compare it under the plain rule book with its what-if (overrides, assumptions, --set)."),
    settings: List[str] = SET_OPTION,
    by: View = typer.Option(View.cohort, "--by", "-b", help="Compare lines by cohort (with causes), program, funding scheme or month.", case_sensitive=False),
    fmt: Optional[CompareFormat] = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
    quiet: bool = QUIET_OPTION,
    chart: Optional[bool] = CHART_OPTION,
    lang: Optional[Lang] = LANG_OPTION,
) -> None:
    """Compare two budgets side by side, and explain each cohort's difference by cause."""
    from ucj_cli.api import compare_baseline
    from ucj_cli.comparison import compare
    from ucj_cli.errors import UcjError
    from ucj_cli.report import shown_diagnostics
    from ucj_cli.report_compare import print_comparison, render_comparison
    from ucj_cli.rules import RuleMissing

    output = file_or_stdout(output)
    chosen = choose_format(fmt, output, "compare")
    drawn = chart_wanted(chart, chosen, output)
    for value in year:
        if not MIN_YEAR <= value <= MAX_YEAR:
            usage("E-usage-year", year=value, first=MIN_YEAR, last=MAX_YEAR)
    if other is None and baseline and not year:
        scenario = read_scenario(base, settings)
        if not scenario.what_if.changes:
            from ucj_cli.errors import Mark, diagnostic

            print_lines([str(diagnostic(Mark(base), "N-baseline-same"))])
            return
        pair = lambda: compare_baseline(scenario, by.value)  # noqa: E731
    elif baseline:
        usage("E-usage-baseline")
    elif other is None and len(year) == 2:  # --set applies to both sides
        scenario = read_scenario(base, settings)
        pair = lambda: compare(run_simulation(scenario.in_year(year[0])), run_simulation(scenario.in_year(year[1])), by.value)  # noqa: E731
    elif other is not None and not year:
        if base == other == STDIN:
            usage("E-usage-stdin-twice")
        scenario, second = read_scenario(base, settings), read_scenario(other, settings)
        pair = lambda: compare(run_simulation(scenario), run_simulation(second), by.value)  # noqa: E731
    else:
        usage("E-usage-compare-inputs")
    try:
        comparison = pair()
    except RuleMissing as exc:
        fail([exc.at(scenario.year_mark)])
    except UcjError as exc:
        fail(exc.diagnostics)
    left, right = comparison.base, comparison.other
    print_lines(list(dict.fromkeys(shown_diagnostics((*left.diagnostics, *right.diagnostics), [left, right], quiet))))
    if chosen == "table" and output is None and is_terminal():
        print_comparison(comparison, console(), drawn)
    else:
        emit(render_comparison(comparison, chosen, drawn), output, (*left.scenario.inputs, *right.scenario.inputs))


register(app)
register_explain(app)
register_schema(app)
register_plan(app)


def main() -> None:
    """The `ucj` command. A closed pipe (`ucj simulate x.yaml | head -1`) ends it quietly, as it ends
    `cat`: killed by SIGPIPE, which a shell reports as exit status 141. (Ctrl-C: exit 130.)"""
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app()
