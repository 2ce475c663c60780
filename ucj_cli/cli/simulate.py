"""`ucj simulate`: a year of contributions, in any format, by district or village too."""

from __future__ import annotations

import os
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, List, Optional

import typer

from ucj_cli.cli.common import (CHART_OPTION, FORMAT_OPTION, chart_wanted, choose_format, emit, emit_places, file_or_stdout,
                                print_lines, read_scenario, run_simulation)
from ucj_cli.cli.console import console, is_terminal
from ucj_cli.cli.group import usage
from ucj_cli.cli.options import LANG_OPTION, OUTPUT_OPTION, QUIET_OPTION, SET_OPTION, Lang
from ucj_cli.render.registry import choices

if TYPE_CHECKING:
    from ucj_cli.engine.pricing import Result
    from ucj_cli.errors import Diagnostic

Format = choices("simulate")


class Place(str, Enum):
    district = "district"
    village = "village"


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
    from ucj_cli.render.registry import RENDERERS, render
    from ucj_cli.render.simulation import print_table, shown_diagnostics

    output = file_or_stdout(output)
    chosen = choose_format(fmt, output)
    drawn = chart_wanted(chart, chosen, output)
    if chart and by is not None:  # the chart is the whole budget's year; by place it would say nothing new
        usage("E-chart-by", by=by.value)
    if chosen.startswith("rka") and by is not None and by.value != "village":  # the region's or each village's RKA, not a district's
        usage("E-usage-by-rka", by=by.value, format=chosen)
    result = run_simulation(read_scenario(file, settings))
    warnings = result.warnings
    if by is not None:
        with form_language(chosen, lang):
            rka = emit_places(result, by.value, chosen, output)
        diagnostics = (*result.diagnostics, *(rka.diagnostics if rka is not None else ()))
        print_lines(shown_diagnostics(diagnostics, [result], quiet))
        if rka is not None:
            warnings = (*warnings, *(item for item in rka.diagnostics if item.severity == "warning"))
    elif chosen.startswith("rka"):
        warnings = simulate_rka(result, chosen, output, quiet, lang)
    elif chosen == "table" and output is None:  # the report carries its own warnings
        if is_terminal():
            print_table(result, console(), quiet, drawn)
        else:
            emit(render("simulation", chosen, result, quiet=quiet, chart=drawn), None)
    else:
        renderer = RENDERERS["simulation"][chosen]
        if output is not None and "stream" in renderer.takes:  # written as it is made: a large result's text is never whole
            emit(lambda stream: renderer(result, stream=stream), output, result.scenario.inputs)
        else:
            emit(render("simulation", chosen, result, quiet=quiet, chart=drawn), output, result.scenario.inputs)
        print_lines(shown_diagnostics(result.diagnostics, [result], quiet))
    if (fail_on_overrun and result.overruns) or (strict and warnings):
        raise typer.Exit(1)


@contextmanager
def form_language(chosen: str, lang: "Optional[Lang]") -> Iterator[None]:
    """SIPD's RKA form is Indonesian unless a language was chosen (`--lang`, `UCJ_LANG`); every
    message around it stays in the run's language."""
    from ucj_cli.i18n import language, set_language

    run_lang = language()
    if chosen.startswith("rka") and lang is None and not os.environ.get("UCJ_LANG"):
        set_language("id")
    try:
        yield
    finally:
        set_language(run_lang)


def simulate_rka(result: "Result", chosen: str, output: Optional[Path], quiet: bool, lang: "Optional[Lang]") -> "tuple[Diagnostic, ...]":
    """The budget as SIPD's RKA form (`rka`, `rka-csv`, `rka-markdown`); returns every warning,
    the form's own (account codes missing) included."""
    from ucj_cli.api import rka_of
    from ucj_cli.render.registry import render
    from ucj_cli.render.simulation import shown_diagnostics

    rka = rka_of(result)
    with form_language(chosen, lang):
        form = render("rka", chosen, rka)
    emit(form, output, result.scenario.inputs)
    print_lines(shown_diagnostics((*result.diagnostics, *rka.diagnostics), [result], quiet))
    return (*result.warnings, *(item for item in rka.diagnostics if item.severity == "warning"))




def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)
