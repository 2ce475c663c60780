"""What the commands share: reading a scenario, pricing it with the run's book, choosing and
writing a format, printing diagnostics. Never imports a command module or `app`, so every command
module can import it."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NoReturn, Optional, TextIO

import typer

from ucj_cli.cli.console import console
from ucj_cli.cli.group import say, usage
from ucj_cli.i18n import _
from ucj_cli.i18n.messages import Choices, Quoted

if TYPE_CHECKING:
    from ucj_cli.engine.pricing import Result
    from ucj_cli.engine.rka import Rka
    from ucj_cli.errors import Diagnostic
    from ucj_cli.model import Scenario


STDIN = "-"


def fail(diagnostics: "list[Diagnostic] | tuple[Diagnostic, ...]") -> NoReturn:
    from ucj_cli.output import print_diagnostics

    print_diagnostics(diagnostics)
    raise typer.Exit(2)


def read_scenario(path: str, settings: "list[str] | tuple[str, ...]" = ()) -> "Scenario":
    """Load a scenario from a file or `-` (standard input), checked against the shipped rule book,
    with `--set` overrides added: the run's scenario, carrying its one book (`api`); bad input ends
    the command with exit 2."""
    from ucj_cli import api
    from ucj_cli.errors import ScenarioError
    from ucj_cli.source import SourceError, read_stdin

    try:
        scenario = api.parse_scenario(read_stdin(), "<stdin>") if path == STDIN else api.load_scenario(path)
    except ScenarioError as exc:
        fail(exc.diagnostics)
    except SourceError as exc:
        fail([exc.diagnostic])
    try:
        return api.with_settings(scenario, settings)
    except ScenarioError as exc:  # a mistake on the command line: `ucj: <sentence> [code]`
        for item in exc.diagnostics:
            say(item.code, **dict(item.args))
        raise typer.Exit(2) from None


def run_simulation(scenario: "Scenario") -> "Result":
    """Price `scenario` with the run's one rule book: the shipped book plus its what-if."""
    from ucj_cli.api import simulate
    from ucj_cli.errors import UcjError

    try:
        return simulate(scenario)
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


def emit(data: "str | bytes | Callable[[TextIO], None]", output: Optional[Path], inputs: "tuple[str, ...]" = ()) -> None:
    """A rendered result to standard output or, atomically, to a file (never over one of the run's
    `inputs`); a file that cannot be written is one coded line and exit 2 or 3, not a traceback.
    To a file, `data` may be a function writing the text to a stream, so a large result's is never whole."""
    from ucj_cli.output import OutputError, open_target, print_diagnostics, refuse_inputs, write_atomic, write_stdout

    try:
        if output is None:
            write_stdout(data)  # type: ignore[arg-type]
            return
        refuse_inputs(output, inputs)
        if callable(data):
            with open_target(output) as stream:
                data(stream)
        else:
            write_atomic(output, data)
    except OutputError as exc:
        print_diagnostics([exc.diagnostic])
        raise typer.Exit(exc.exit_code) from None
    wrote(output)


def make_folder(folder: Path) -> None:
    """An output folder made with its parents; one that cannot be is one coded line: exit 3 where the
    system would not write, 2 where the path is wrong (a file where a folder should be)."""
    import errno

    from ucj_cli.errors import Mark, diagnostic

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT):  # the system would not write
            typer.echo(str(diagnostic(Mark(str(folder)), "E-output-write", reason=exc.strerror or str(exc))), err=True)
            raise typer.Exit(3) from None
        usage("E-usage-cannot-create-folder", path=Quoted(str(folder)), reason=str(exc.strerror or exc))


def wrote(output: Path) -> None:
    """`wrote FILE` on standard error, the name escaped as in diagnostics."""
    from ucj_cli.i18n.format import path_text

    typer.echo(_("wrote {path}").format(path=path_text(output)), err=True)


def print_lines(lines: "list[str]") -> None:
    """Diagnostics on standard error, one whole line each."""
    for line in lines:
        typer.echo(line, err=True)


def emit_places(result: "Result", view: str, fmt: str, output: Optional[Path]) -> "Rka | None":
    """The budget by district or village, streamed to standard output or `--output` as it is made;
    by village in an RKA format (or xlsx, whose last sheet is then the RKA by village) one block
    per village, and the region's RKA is returned for its warnings (None otherwise)."""
    from ucj_cli import api
    from ucj_cli.errors import ScenarioError
    from ucj_cli.output import OutputError, print_diagnostics
    from ucj_cli.render.places import TooMany
    from ucj_cli.render.registry import FORMATS, RENDERERS, render

    budget = api.places(result, view)
    rka = api.rka_of(result) if view == "village" and (fmt.startswith("rka") or fmt == "xlsx") else None
    inputs = result.scenario.inputs
    try:
        if rka is not None and fmt == "xlsx":  # the whole workbook, its last sheets by village and the RKA of each
            from ucj_cli.output import temporary_errors
            from ucj_cli.render.xlsx import simulation_workbook

            budget, villages = api.places_with_rka(result)  # the CSV files read once for both sheets
            with temporary_errors():  # each village's RKA made only as its sheet is written, after the rows are counted
                workbook = simulation_workbook(result, (view, budget.lines), _Later(villages))
            emit(workbook, output, inputs)
        elif rka is not None and fmt == "rka-csv":  # streamed, as the per-village CSV is
            from ucj_cli.render.rka import write_village_csv

            stream_out(lambda stream: write_village_csv(api.rka_items_by_village(result), stream), output, inputs)
        elif rka is not None:
            from ucj_cli.render.rka import village_markdown, village_text

            emit((village_markdown if fmt == "rka-markdown" else village_text)(rka, api.rka_by_village(result)), output, inputs)
        elif "stream" not in RENDERERS["places"][fmt].takes:  # whole bytes: the workbook, with a last sheet by place
            emit(render("places", fmt, budget), output, inputs)
        elif output is None and FORMATS[fmt].terminal:
            render("places", fmt, budget, console=console())
        else:
            stream_out(lambda stream: render("places", fmt, budget, stream=stream), output, inputs)
    except OutputError as exc:
        print_diagnostics([exc.diagnostic])
        raise typer.Exit(exc.exit_code) from None
    except TooMany:
        usage("E-usage-by-too-many", by=view)
    except ScenarioError as exc:  # a CSV file changed since it was checked (csv_cohorts.village_rows)
        fail(exc.diagnostics)
    return rka


class _Later:
    """Something made only when first used, then kept: a workbook refuses a sheet past Excel's rows
    before the RKA of a million villages (minutes, gigabytes) is made for it."""

    def __init__(self, make: "Callable[[], Any]") -> None:
        self._make: "Callable[[], Any] | None" = make
        self._made: Any = None

    def _value(self) -> Any:
        if self._make is not None:
            self._made, self._make = self._make(), None
        return self._made

    def __iter__(self) -> "Iterator[Any]":
        return iter(self._value())

    def __getattr__(self, name: str) -> Any:  # the rest of the made value's interface (e.g. `Villages.shaped`)
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._value(), name)


def stream_out(write: "Callable[[TextIO], None]", output: Optional[Path], inputs: "tuple[str, ...]") -> None:
    """Text written as it is made: to standard output, or to `output` (never one of the run's
    `inputs`) through `output.open_target`; a failed write raises OutputError."""
    from ucj_cli.output import open_target, refuse_inputs, write_error

    if output is None:
        try:
            write(sys.stdout)
            sys.stdout.flush()
        except OSError as exc:
            raise write_error("<stdout>", exc) from None
        return
    refuse_inputs(output, inputs)
    with open_target(output) as stream:
        write(stream)
    wrote(output)

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
