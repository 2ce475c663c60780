"""`ucj plan`: from a budget to workers, from a coverage target to a budget (logic in `engine/plan.py`)."""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, List, NoReturn, Optional

import typer

from ucj_cli.cli.options import LANG_OPTION, QUIET_OPTION, Lang
from ucj_cli.cli.group import usage
from ucj_cli.render.registry import choices

if TYPE_CHECKING:
    from fractions import Fraction

    from ucj_cli.errors import Diagnostic


PlanFormat = choices("plan")


_AMOUNT = re.compile(r"-?[0-9][0-9_]*")  # a negative amount is read, then refused as E-plan-budget-negative
_PERCENT = re.compile(r"([0-9]+(?:[.,][0-9]+)?)\s*(%?)")


_GROUPED = re.compile(r"-?[0-9]{1,3}(?:(\.)[0-9]{3})+|-?[0-9]{1,3}(?:(,)[0-9]{3})+")  # 3.000.000.000 or 3,000,000,000: groups of three
_RP = re.compile(r"rp\.?\s*", re.I)


def _budgets(values: List[str]) -> dict[str, int]:
    """SCHEME=AMOUNT, the amount as planners write it: `2600000000`, `2_600_000_000`, or grouped in
    threes with dots or commas and an optional `Rp` (`Rp3.000.000.000`); a grouped amount is echoed
    as read. `3.5` or `1.000,50` is not a whole rupiah amount: refused."""
    import typer

    from ucj_cli.i18n import _, format as fmt
    from ucj_cli.i18n.messages import Quoted

    budgets = {}
    for value in values:
        scheme, _sep, written = value.partition("=")
        amount = _RP.sub("", written.strip(), count=1) if _RP.match(written.strip()) else written.strip()
        if not scheme.strip() or not (_AMOUNT.fullmatch(amount) or _GROUPED.fullmatch(amount)):
            usage("E-plan-budget-value", value=Quoted(value))
        budgets[scheme.strip()] = _bounded(scheme.strip(), amount)
        if amount != written.strip() or not _AMOUNT.fullmatch(amount):  # `Rp` or grouped: echoed as read
            typer.echo(_("--budget {scheme}: {written} read as {amount}").format(
                scheme=scheme.strip(), written=written.strip(), amount=fmt.rupiah(budgets[scheme.strip()])), err=True)
    return budgets


def _bounded(scheme: str, amount: str) -> int:
    """The amount's digits as rupiah, refused past what a scenario's ceiling may be (Rp 10^15),
    before a number of thousands of digits reaches int()."""
    from ucj_cli.i18n.messages import Count, Phrase, Quoted, Rupiah
    from ucj_cli.load.scenario import MAX_RUPIAH

    digits = re.sub(r"[^0-9]", "", amount).lstrip("0") or "0"
    if len(digits) > len(str(MAX_RUPIAH)) or int(digits) > MAX_RUPIAH:
        shown = Rupiah(int(digits)) if len(digits) < 25 else Phrase("a {digits}-digit number", digits=Count(len(digits)))
        usage("E-plan-budget-too-large", scheme=Quoted(scheme), amount=shown, maximum=Rupiah(MAX_RUPIAH))
    return -int(digits) if amount.startswith("-") else int(digits)


def _coverage(value: Optional[str]) -> "Optional[Fraction]":
    from ucj_cli.i18n.messages import Quoted
    from ucj_cli.money import percent

    if value is None:
        return None
    match = _PERCENT.fullmatch(value.strip())
    if not match:
        usage("E-plan-target-value", value=Quoted(value))
    if not match.group(2):  # 0,355 or 35: a bare number is refused, never guessed
        usage("E-plan-target-percent", value=Quoted(value), suggestion=_suggest(match.group(1)))
    return percent(match.group(1).replace(",", "."))


def _suggest(number: str) -> str:
    """What a bare number probably meant, in the writer's own decimal mark: a fraction of one as a
    percentage (0,355 -> 35,5%), anything else with a % (35 -> 35%)."""
    from decimal import Decimal

    mark = "," if "," in number else "."
    value = Decimal(number.replace(",", "."))
    if value < 1 and value != 0:
        value *= 100
    text = format(value.normalize(), "f")
    return text.replace(".", mark) + "%"


def _start(value: Optional[str], year: int) -> Optional[int]:
    from ucj_cli.i18n.messages import Quoted
    from ucj_cli.period import parse_month_label, parse_month_words

    if value is None:
        return None
    text = value.strip()
    if re.fullmatch(r"0?[1-9]|1[0-2]", text):
        return int(text)
    index = parse_month_label(text)
    if index is None:  # `April`, `Apr 2027`, `Agustus`, `2027-4`, as in a scenario's `start:`
        index = parse_month_words(text, year)
    if index is None or index // 12 != year:
        usage("E-plan-start", value=Quoted(value), year=year)
    return index % 12 + 1


def _check_write(target: Path, output: Optional[Path], inputs: "tuple[str, ...]") -> None:
    """Never overwrite one of the run's inputs, the --output file, or a file ucj plan did not write.
    Only a regular file is opened to read its first line: a FIFO or a device is streamed to (never
    read, which could wait forever), any other special file is refused (`output.open_target`)."""
    import os
    import stat

    from ucj_cli.i18n.messages import Quoted
    from ucj_cli.output import _same_file
    from ucj_cli.load.writer import MARKER

    if any(_same_file(target, item) for item in inputs):
        usage("E-write-is-input", path=Quoted(str(target)))
    if output is not None and _same_file(target, output):
        usage("E-write-same-output", path=Quoted(str(target)))
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return  # a new file (a missing folder is reported when writing)
    if not stat.S_ISREG(mode):
        return  # a FIFO or device is streamed to; anything else is refused when writing
    try:
        with target.open(encoding="utf-8") as handle:
            ours = handle.readline().startswith(MARKER)
    except (OSError, UnicodeDecodeError):
        ours = False
    if not ours:
        usage("E-write-not-ours", path=Quoted(str(target)))


_COMMAND_LINE = frozenset({"E-plan-budget-scheme", "E-plan-budget-negative", "E-plan-priority-cohort",
                           "E-plan-target-coverage"})  # mistakes in the options, not in the file


def _fail(diagnostics: "tuple[Diagnostic, ...] | list[Diagnostic]") -> NoReturn:
    """The plan's refusals: a mistake in an option is `ucj: ... [code]` like any usage error, one in
    the file keeps its position; exit 2."""
    from ucj_cli.cli.group import say
    from ucj_cli.output import print_diagnostics

    for item in diagnostics:
        if item.code in _COMMAND_LINE:
            say(item.code, **dict(item.args))
        else:
            print_diagnostics([item])
    raise typer.Exit(2)


def plan_command(
    file: str = typer.Argument(..., metavar="FILE", help="Scenario YAML file, or - for standard input."),
    budget: List[str] = typer.Option([], "--budget", "-B", metavar="SCHEME=AMOUNT",
                                     help="Budget of a funding scheme in whole rupiah (repeatable); default: its ceiling."),
    priority: Optional[str] = typer.Option(None, "--priority", metavar="'COHORT,COHORT'",
                                           help="Fill the named cohorts' schemes in this order instead of in proportion (with a target: grow these first)."),
    target_coverage: Optional[str] = typer.Option(None, "--target-coverage", metavar="PERCENT",
                                                  help="Coverage to reach in December, with %: 35% or 35,5%; the cheapest workers to add."),
    target_participants: Optional[int] = typer.Option(None, "--target-participants", min=0, metavar="N",
                                                      help="Participants to reach in December: the cheapest workers to add."),
    start: Optional[str] = typer.Option(None, "--start", metavar="YYYY-MM", help="Enrolment starts this month (cohorts starting earlier start then)."),
    fmt: Optional[PlanFormat] = typer.Option(None, "--format", "-f", help="Output format (default: table, or from the --output suffix).",
                                             case_sensitive=False),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the plan to this file (atomically) instead of standard output.",
                                          dir_okay=False),
    write: Optional[Path] = typer.Option(None, "--write", "-w", metavar="FILE", dir_okay=False,
                                         help="Save the planned scenario as YAML (- for standard output); `ucj simulate FILE` reproduces the plan."),
    settings: List[str] = typer.Option([], "--set", metavar="NAME@YYYY-MM=VALUE",
                                       help="What-if: give a rule parameter a value from a month on (repeatable); --write keeps it as an override."),
    quiet: bool = QUIET_OPTION,
    lang: Optional[Lang] = LANG_OPTION,
) -> None:
    """Plan: the most workers each budget pays, or the workers (and budget) to reach a coverage target."""
    from ucj_cli.api import plan, shipped_rules
    from ucj_cli.cli.common import choose_format, emit, file_or_stdout, print_lines, read_scenario
    from ucj_cli.cli.console import console, is_terminal
    from ucj_cli.errors import UcjError
    from ucj_cli.i18n.messages import Choices, Quoted
    from ucj_cli.render.plan import diagnostic_lines, print_plan, write_header
    from ucj_cli.render.registry import render
    from ucj_cli.load.writer import round_trips, scenario_yaml

    if target_coverage is not None and target_participants is not None:
        usage("E-plan-targets")
    budgets, coverage = _budgets(budget), _coverage(target_coverage)
    output = file_or_stdout(output)
    chosen = choose_format(fmt, output, "plan")
    to_stdout = write is not None and str(write) == "-"
    if to_stdout and output is None:
        usage("E-write-stdout-taken")
    scenario = read_scenario(file, settings)
    if write is not None and not to_stdout:
        _check_write(write, output, scenario.inputs)
    names = [name.strip() for name in (priority or "").split(",") if name.strip()]
    try:
        result = plan(scenario, budgets=budgets, priority=names, start=_start(start, scenario.year),
                      target_coverage=coverage, target_participants=target_participants)
    except UcjError as exc:
        _fail(exc.diagnostics)
    if chosen == "table" and output is None:  # the table carries its own warnings and notes
        if is_terminal():
            print_plan(result, console(), quiet)
        else:
            emit(render("plan", chosen, result, quiet=quiet), None)
    else:
        emit(render("plan", chosen, result, quiet=quiet), output, scenario.inputs)
        print_lines([line for line, _style in diagnostic_lines(result, quiet)])
    if write is not None:
        header, notes = write_header(result, "<stdin>" if file == "-" else file)
        text = scenario_yaml(result.scenario, header, notes)
        if not round_trips(result.scenario, text, shipped_rules()):
            usage("E-write-unfaithful", path=Quoted(str(write)))
        emit(text, None if to_stdout else write, scenario.inputs)


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_command)
