"""`ucj explain` and `ucj rules`: every figure of a budget down to its rule, and the rule book itself."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from ucj_cli.cli_options import LANG_OPTION, OUTPUT_OPTION, QUIET_OPTION, SET_OPTION, Lang, complete_parameters
from ucj_cli.formats import choices

ExplainFormat = choices("explain")
RulesFormat = choices("rules")
# scenario.PROGRAMS, written out: importing the checker (rules, YAML) would slow every start and
# every completion; test_architecture checks the two agree.
Program = Enum("Program", {name: name for name in ("jkk", "jkm", "jht", "jp")}, type=str)  # type: ignore[misc]


def _complete_cohorts(ctx: typer.Context, incomplete: str) -> list[str]:
    from ucj_cli.completion import cohorts

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
    from ucj_cli.cli import emit, file_or_stdout, print_lines, read_scenario, run_simulation
    from ucj_cli.cli_typer import usage
    from ucj_cli.explain import budget_tree, explain_cohort, find_cohorts
    from ucj_cli.i18n.messages import Choices, Quoted
    from ucj_cli.report import shown_diagnostics
    from ucj_cli.period import parse_month_label
    from ucj_cli.report_explain import as_markdown, as_text, dumps, explain_dict, explain_lines, tree_dict, tree_lines, what_if_dict
    from ucj_cli.scenario import suggest

    result = run_simulation(read_scenario(file, settings))
    output = file_or_stdout(output)
    chosen = fmt.value
    index, shown = None, None
    if month is not None:
        index = parse_month_label(month)
        if index is None or index // 12 != result.scenario.year:
            usage("E-explain-month", month=Quoted(month), year=result.scenario.year)
    if cohort is None:
        if index is not None or program is not None:
            usage("E-explain-needs-cohort")
        tree = budget_tree(result)
        text = dumps({**tree_dict(tree), "what_if": what_if_dict(result.rules)}) if chosen == "json" else (as_markdown if chosen == "markdown" else as_text)(tree_lines(tree, result))
    else:
        items = find_cohorts(result, cohort)
        if not items:
            known = [c.name for c in result.scenario.cohorts]
            known += sorted({c.places.origin for c in result.scenario.cohorts if c.places is not None} - set(known))
            usage("E-explain-cohort", name=Quoted(cohort), hint=suggest(cohort, known), choices=Choices(known))
        # A from_csv cohort named as in the scenario: each of its groups in turn (JSON: a list of them)
        explanations = [explain_cohort(result, item, index, program.value if program else None) for item in items]
        shown = tuple(rule for explanation in explanations for rule in explanation.rules)
        if chosen == "json":
            dicts = [explain_dict(explanation, result) for explanation in explanations]
            text = dumps(dicts[0] if len(dicts) == 1 else dicts)
        else:
            lines = [line for n, explanation in enumerate(explanations)
                     for line in ([(0, "")] if n else []) + list(explain_lines(explanation, result))]
            text = (as_markdown if chosen == "markdown" else as_text)(lines)
    emit(text, output, result.scenario.inputs)
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

    from ucj_cli.cli import emit, file_or_stdout
    from ucj_cli.cli_typer import usage
    from ucj_cli.i18n.messages import Choices, Quoted
    from ucj_cli.period import month_index, parse_month_label
    from ucj_cli.report_explain import dumps, rules_csv, rules_dict, rules_markdown, rules_text
    from ucj_cli.rules import load_rulebook
    from ucj_cli.scenario import suggest

    book = load_rulebook()
    month = None
    if on is not None:
        month = parse_month_label(on[:7]) if len(on) in (7, 10) else None
        if month is None or (len(on) == 10 and not _is_date(on)):
            usage("E-rules-on", value=Quoted(on))
    if history is not None:
        if history not in book.parameters:
            usage("E-rules-unknown", name=Quoted(history), hint=suggest(history, book.parameters), choices=Choices(sorted(book.parameters)))
        values = book.history(history)
    elif unverified and month is None:
        values = tuple(rule for name in sorted(book.parameters) for rule in book.history(name))
    else:
        today = dt.date.today()
        month = month if month is not None else month_index(today.year, today.month)
        values = book.in_force(month)
    if unverified:
        values = tuple(rule for rule in values if not rule.verified)
    renderers = {"json": lambda: dumps(rules_dict(values, book, month, history)), "csv": lambda: rules_csv(values, book),
                 "markdown": lambda: rules_markdown(values, book, month, history)}
    emit(renderers.get(fmt.value, lambda: rules_text(values, book, month, history))(), file_or_stdout(output))


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
