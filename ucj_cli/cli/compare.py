"""`ucj compare`: two budgets side by side, each cohort's difference split by cause."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from ucj_cli.cli.common import (CHART_OPTION, FORMAT_OPTION, STDIN, chart_wanted, choose_format, emit, fail, file_or_stdout,
                                print_lines, read_scenario, run_simulation)
from ucj_cli.cli.console import console, is_terminal
from ucj_cli.cli.group import usage
from ucj_cli.cli.options import LANG_OPTION, OUTPUT_OPTION, QUIET_OPTION, SET_OPTION, Lang
from ucj_cli.period import MAX_YEAR, MIN_YEAR
from ucj_cli.render.registry import choices

CompareFormat = choices("compare")


class View(str, Enum):
    cohort = "cohort"
    program = "program"
    funding = "funding"
    month = "month"


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
    from ucj_cli.api import compare, compare_baseline
    from ucj_cli.errors import UcjError
    from ucj_cli.render.simulation import shown_diagnostics
    from ucj_cli.render.comparison import print_comparison
    from ucj_cli.render.registry import render
    from ucj_cli.rules.book import RuleMissing

    output = file_or_stdout(output)
    chosen = choose_format(fmt, output, "compare")
    drawn = chart_wanted(chart, chosen, output)
    for value in year:
        if not MIN_YEAR <= value <= MAX_YEAR:
            usage("E-usage-year", year=value, first=MIN_YEAR, last=MAX_YEAR)
    if other is None and baseline and not year:
        scenario = read_scenario(base, settings)
        if not scenario.what_if.changes:  # still written, so an -o file is never left from an earlier run
            from ucj_cli.errors import Mark, diagnostic

            print_lines([str(diagnostic(Mark(base), "N-baseline-same"))])
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
        emit(render("comparison", chosen, comparison, chart=drawn), output, (*left.scenario.inputs, *right.scenario.inputs))




def register(app: typer.Typer) -> None:
    app.command("compare")(compare_command)
