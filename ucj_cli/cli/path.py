"""`ucj path`: the multi-year road to a coverage target, year by year (logic in `engine/path.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ucj_cli.cli.options import LANG_OPTION, QUIET_OPTION, Lang
from ucj_cli.cli.group import usage
from ucj_cli.render.registry import choices

PathFormat = choices("path")


def path_command(
    file: str = typer.Argument(..., metavar="FILE", help="Scenario YAML file with a `path:` section, or - for standard input."),
    fmt: Optional[PathFormat] = typer.Option(None, "--format", "-f", help="Output format (default: table, or from the --output suffix).",
                                             case_sensitive=False),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the road to this file (atomically) instead of standard output.",
                                          dir_okay=False),
    write: Optional[Path] = typer.Option(None, "--write", "-w", metavar="DIR", file_okay=False,
                                         help="Save one scenario a year as DIR/<stem>-<year>.yaml; `ucj simulate` prices each to the road's figures."),
    sensitivity: bool = typer.Option(False, "--sensitivity", help="Move each growth assumption one point each way (alpha across its legal range): the change in the road's cost."),
    chart: Optional[bool] = typer.Option(None, "--chart/--no-chart",
                                         help="Draw the road as bars: coverage against the target, and the cost a year (table format; default: on a terminal)."),
    quiet: bool = QUIET_OPTION,
    lang: Optional[Lang] = LANG_OPTION,
) -> None:
    """The road to a coverage target over several years: each year planned, priced under its own rules, with every assumption shown."""
    from ucj_cli.api import path, rulebook_for
    from ucj_cli.cli.common import chart_wanted, choose_format, emit, fail, file_or_stdout, print_lines, read_scenario
    from ucj_cli.cli.console import console, is_terminal
    from ucj_cli.errors import UcjError
    from ucj_cli.render.path import diagnostic_lines, print_path
    from ucj_cli.render.registry import render

    output = file_or_stdout(output)
    chosen = choose_format(fmt, output, "path")
    chart = chart_wanted(chart, chosen, output)
    scenario = read_scenario(file, ())
    try:
        road = path(scenario, rulebook_for(scenario), sensitivity=sensitivity)
    except UcjError as exc:
        fail(exc.diagnostics)
    if chosen == "table" and output is None:
        if is_terminal():
            print_path(road, console(), quiet, chart)
        else:
            emit(render("path", chosen, road, quiet=quiet, chart=chart), None)
    else:
        emit(render("path", chosen, road, quiet=quiet, chart=chart), output, scenario.inputs)
        print_lines([line for line, _style in diagnostic_lines(road, quiet)])
    if write is not None:
        _write_years(road, write, output, "<stdin>" if file == "-" else file)


def _write_years(road: "object", folder: Path, output: Optional[Path], source: str) -> None:
    """One scenario a year, each read back before it is written (E-write-unfaithful otherwise). Every
    year's file is checked and made before the first is written, so a refusal leaves no part of the set."""
    from ucj_cli.api import shipped_rules
    from ucj_cli.cli.common import emit, make_folder
    from ucj_cli.cli.plan import _check_write
    from ucj_cli.i18n.messages import Quoted
    from ucj_cli.load.writer import round_trips, scenario_yaml
    from ucj_cli.render.path import write_header

    stem = Path(source).stem if source != "<stdin>" else "path"
    made = []
    for year in road.years:  # type: ignore[attr-defined]
        target = folder / f"{stem}-{year.year}.yaml"
        _check_write(target, output, road.scenario.inputs)  # type: ignore[attr-defined]
        header, notes = write_header(road, year, source)  # type: ignore[arg-type]
        text = scenario_yaml(year.scenario, header, notes)
        if not round_trips(year.scenario, text, shipped_rules()):
            usage("E-write-unfaithful", path=Quoted(str(target)))
        made.append((target, text))
    make_folder(folder)
    for target, text in made:
        emit(text, target, road.scenario.inputs)  # type: ignore[attr-defined]


def register(app: typer.Typer) -> None:
    app.command("path")(path_command)
