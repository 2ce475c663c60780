"""`ucj explain` and `ucj rules`: every figure of a budget down to its rule, and the rule book itself."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from ucj_cli.cli.options import LANG_OPTION, OUTPUT_OPTION, QUIET_OPTION, SET_OPTION, Lang, complete_parameters
from ucj_cli.render.registry import choices

ExplainFormat = choices("explain")
RulesFormat = choices("rules")
# scenario.PROGRAMS, written out: importing the checker (rules, YAML) would slow every start and
# every completion; test_architecture checks the two agree.
Program = Enum("Program", {name: name for name in ("jkk", "jkm", "jht", "jp")}, type=str)  # type: ignore[misc]


def _complete_cohorts(ctx: typer.Context, incomplete: str) -> list[str]:
    from ucj_cli.cli.completion import cohorts

    return cohorts(ctx.params.get("file"), incomplete)


def explain(
    file: str = typer.Argument(..., metavar="FILE", help="Scenario YAML file, or - for standard input."),
    cohort: Optional[str] = typer.Option(None, "--cohort", "-c", help="The cohort to explain (default: the whole budget as a tree).",
                                         autocompletion=_complete_cohorts),
    month: Optional[str] = typer.Option(None, "--month", "-m", metavar="YYYY-MM", help="Only this month of the budget year."),
    program: Optional[Program] = typer.Option(None, "--program", "-p", help="Only this program.", case_sensitive=False),
    fmt: ExplainFormat = typer.Option("table", "--format", "-f", help="table (plain text), json or markdown.", case_sensitive=False),
    output: Optional[Path] = OUTPUT_OPTION,
    settings: List[str] = SET_OPTION,
    quiet: bool = QUIET_OPTION,
    lang: Optional[Lang] = LANG_OPTION,
) -> None:
    """Why each figure is what it is: for a cohort, every program's base, rate, relief and rounding
    with the rule, date and article behind it, month span by month span, down to the total."""
    from ucj_cli.api import explain as explained
    from ucj_cli.cli.common import emit, file_or_stdout, print_lines, read_scenario, run_simulation
    from ucj_cli.cli.group import usage
    from ucj_cli.errors import suggest
    from ucj_cli.i18n.messages import Choices, Quoted
    from ucj_cli.period import parse_month_label
    from ucj_cli.render.registry import render
    from ucj_cli.render.simulation import shown_diagnostics

    result = run_simulation(read_scenario(file, settings))
    index = None
    if month is not None:
        index = parse_month_label(month)
        if index is None or index // 12 != result.scenario.year:
            usage("E-explain-month", month=Quoted(month), year=result.scenario.year)
    if cohort is None and (index is not None or program is not None):
        usage("E-explain-needs-cohort")
    explanation = explained(result, cohort, index, program.value if program else None)
    if cohort is not None and not explanation.cohorts:
        known = [c.name for c in result.scenario.cohorts]
        known += sorted({c.places.origin for c in result.scenario.cohorts if c.places is not None} - set(known))
        usage("E-explain-cohort", name=Quoted(cohort), hint=suggest(cohort, known), choices=Choices(known))
    emit(render("explanation", fmt.value, explanation), file_or_stdout(output), result.scenario.inputs)
    shown = explanation.rules if cohort is not None else None
    print_lines(shown_diagnostics(result.diagnostics, [result], quiet, shown))  # warnings whole, notes folded into one line


def rules(
    on: Optional[str] = typer.Option(None, "--on", metavar="DATE", help="Rules in force on this date, YYYY-MM or YYYY-MM-DD (default: today)."),
    history: Optional[str] = typer.Option(None, "--history", metavar="NAME", help="Every dated value of one parameter.",
                                          autocompletion=complete_parameters),
    unverified: bool = typer.Option(False, "--unverified", help="Only values resting on unverified sources (without --on: all of them, every date)."),
    fmt: RulesFormat = typer.Option("table", "--format", "-f", help="table, json, csv or markdown.", case_sensitive=False),
    output: Optional[Path] = OUTPUT_OPTION,
    lang: Optional[Lang] = LANG_OPTION,
) -> None:
    """The rule book: every parameter in force on a date with its value, effective date, how long
    it is known to hold, its regulation and article, and whether the source was verified."""
    import datetime as dt

    from ucj_cli.cli.common import emit, file_or_stdout
    from ucj_cli.cli.group import usage
    from ucj_cli.errors import suggest
    from ucj_cli.i18n.messages import Choices, Quoted
    from ucj_cli.period import month_index, parse_month_label
    from ucj_cli.render.registry import render
    from ucj_cli.api import shipped_rules
    from ucj_cli.rules.book import rule_list

    book = shipped_rules()
    month = None
    if on is not None:
        month = parse_month_label(on[:7]) if len(on) in (7, 10) else None
        if month is None or (len(on) == 10 and not _is_date(on)):
            usage("E-rules-on", value=Quoted(on))
    if history is not None and history not in book.parameters:
        usage("E-rules-unknown", name=Quoted(history), hint=suggest(history, book.parameters), choices=Choices(sorted(book.parameters)))
    today = dt.date.today()
    listing = rule_list(book, month, history, unverified, month_index(today.year, today.month))
    emit(render("rules", fmt.value, listing), file_or_stdout(output))


def _is_date(text: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)
    app.command("rules")(rules)
