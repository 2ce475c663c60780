"""The one table of output formats and the one dispatch.

`FORMATS` says how a format is written (its suffixes, text or bytes, whether it may be drawn for a
terminal); `RENDERERS` says, for each result kind, which formats render it and with which function.
Typer's `--format` choices, `--output` suffix inference and the refusal of a format a command
cannot write, batch file names and atomic writing (text or bytes) all read these two tables, so a
new format is one `Format` plus one renderer entry per result kind it renders, and a new result
kind is one entry in `RENDERERS` (and, if a command shows it, one in `COMMANDS`).

Renderers are named as `module:function` and imported only when used, so `ucj --help` and a JSON
run never import Rich or XlsxWriter. A renderer is called with the result and the options it
declares (`quiet`, `chart`; `stream` for one that writes as it goes instead of returning its text,
`console` for a table drawn on a terminal); it formats, never computes money.
"""

from __future__ import annotations

import importlib
from enum import Enum
from typing import Any

from ucj_cli.frozen import frozen


@frozen
class Format:
    """An output format: its name, file suffixes, and whether it is bytes or may be drawn for a terminal."""

    name: str
    suffixes: tuple[str, ...]  # the first is what batch and --output inference use
    binary: bool  # bytes (xlsx) rather than text
    terminal: bool = False  # may be drawn for a terminal (Rich); otherwise plain text or bytes

    @property
    def suffix(self) -> str:
        return self.suffixes[0]


FORMATS: dict[str, Format] = {
    item.name: item
    for item in (
        Format("table", (".txt",), False, terminal=True),
        Format("json", (".json",), False),
        Format("csv", (".csv",), False),
        Format("markdown", (".md", ".markdown"), False),
        Format("xlsx", (".xlsx",), True),
        # SIPD's RKA form (render/rka.py): the printed form as text, its item lines as CSV, markdown.
        Format("rka", (".txt",), False),
        Format("rka-csv", (".csv",), False),
        Format("rka-markdown", (".md", ".markdown"), False),
    )
}


@frozen
class Renderer:
    """`module:function`, called as `function(result, **options)` with the options it `takes`."""

    target: str
    takes: tuple[str, ...] = ()

    def __call__(self, result: Any, **options: Any) -> Any:
        module, _, name = self.target.partition(":")
        function = getattr(importlib.import_module(module), name)
        return function(result, **{key: options[key] for key in self.takes if key in options})


def _kind(module: str, **formats: "str | tuple[str, tuple[str, ...]]") -> dict[str, Renderer]:
    """One result kind's renderers: format -> function (in `module` unless written `mod:fn`), with its options."""
    table = {}
    for name, spec in formats.items():
        function, takes = spec if isinstance(spec, tuple) else (spec, ())
        target = function if ":" in function else f"ucj_cli.render.{module}:{function}"
        table[name.replace("_", "-")] = Renderer(target, takes)
    return table


XLSX = "ucj_cli.render.xlsx:"
# result kind -> format -> renderer. The result each takes: simulation `engine.pricing.Result`,
# rka `engine.rka.Rka`, comparison `engine.compare.Comparison`, plan `engine.plan.Plan`,
# explanation `engine.explain.Explanation`, rules `rules.book.RuleList`, places `engine.places.ByPlace`,
# path `engine.path.Path`.
RENDERERS: dict[str, dict[str, Renderer]] = {
    "simulation": _kind("simulation", table=("page", ("quiet", "chart")), json=("to_json", ("stream",)), csv="to_csv",
                        markdown=("to_markdown", ("quiet",)), xlsx=XLSX + "simulation_workbook"),
    "rka": _kind("rka", rka="to_text", rka_csv="to_csv", rka_markdown="to_markdown"),
    "comparison": _kind("comparison", table=("page", ("chart",)), json="to_json", csv="to_csv", markdown="to_markdown",
                        xlsx=XLSX + "comparison_workbook"),
    "plan": _kind("plan", table=("page", ("quiet",)), json="to_json"),
    "explanation": _kind("explain", table="explanation_text", json="explanation_json", markdown="explanation_markdown"),
    "rules": _kind("explain", table="rules_text", json="rules_json", csv="rules_csv", markdown="rules_markdown"),
    # `simulate --by district|village`: written to a `stream` as made (500,000 village lines are
    # never held); a table may be drawn on the terminal's `console` instead; xlsx is whole bytes.
    "places": _kind("places", table=("to_table", ("stream", "console")), csv=("to_csv", ("stream",)), json=("to_json", ("stream",)),
                    markdown=("to_markdown", ("stream",)), xlsx="to_xlsx"),
    "path": _kind("path", table=("page", ("quiet", "chart")), json="to_json", csv="to_csv", markdown=("to_markdown", ("quiet",)),
                  xlsx="ucj_cli.render.path_xlsx:path_workbook"),
}
# command -> the result kinds its --format chooses among (simulate also writes the RKA form).
COMMANDS: dict[str, tuple[str, ...]] = {
    "simulate": ("simulation", "rka"), "compare": ("comparison",), "batch": ("simulation",), "plan": ("plan",),
    "explain": ("explanation",), "rules": ("rules",), "path": ("path",),
}


def render(kind: str, name: str, result: Any, **options: Any) -> "str | bytes | None":
    """`result` of `kind` in format `name`: text, or bytes for a binary format; a renderer that
    takes a `stream` writes to the one given and returns None. Rendering writes no file but
    temporary ones (an xlsx's rows); a failure there is an OutputError naming them."""
    from ucj_cli.output import temporary_errors

    with temporary_errors():
        return RENDERERS[kind][name](result, **options)


def kind_of(command: str, name: str) -> str:
    """Which of a command's result kinds format `name` renders."""
    return next(kind for kind in COMMANDS[command] if name in RENDERERS[kind])


def names(command: str) -> tuple[str, ...]:
    """The formats `command` can write, in `FORMATS` order (for Typer's choices)."""
    offered = {name for kind in COMMANDS[command] for name in RENDERERS[kind]}
    return tuple(name for name in FORMATS if name in offered)


def choices(command: str) -> type[Enum]:
    """Typer's `--format` choices for `command` (an Enum of `names(command)`)."""
    return Enum(f"{command.capitalize()}Format", {name: name for name in names(command)}, type=str)  # type: ignore[return-value]


def by_suffix(suffix: str) -> Format | None:
    suffix = suffix.lower()
    return next((item for item in FORMATS.values() if suffix in item.suffixes), None)
