"""The one table of output formats.

Typer's `--format` choices, `--output` suffix inference (and refusing a suffix that contradicts the
format), batch file names and atomic writing (text or bytes) all read this table, so a new format is
one entry here plus its renderer. `renders` names the results a format can show: `simulate`,
`compare`, `batch`, `explain`, `rules`, `plan`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]  # the first is what batch and --output inference use
    binary: bool  # bytes (xlsx) rather than text
    renders: frozenset[str]
    terminal: bool = False  # may be drawn for a terminal (Rich); otherwise plain text or bytes

    @property
    def suffix(self) -> str:
        return self.suffixes[0]


_ALL = frozenset({"simulate", "compare", "batch", "explain", "rules", "plan"})
FORMATS: dict[str, Format] = {
    item.name: item
    for item in (
        Format("table", (".txt",), False, _ALL, terminal=True),
        Format("json", (".json",), False, _ALL),
        Format("csv", (".csv",), False, frozenset({"simulate", "compare", "batch", "rules", "plan"})),
        Format("markdown", (".md", ".markdown"), False, _ALL),
        Format("xlsx", (".xlsx",), True, frozenset({"simulate", "compare", "batch", "plan"})),
        # SIPD's RKA form (report_rka.py): the printed form as text, its item lines as CSV, markdown.
        Format("rka", (".txt",), False, frozenset({"simulate"})),
        Format("rka-csv", (".csv",), False, frozenset({"simulate"})),
        Format("rka-markdown", (".md", ".markdown"), False, frozenset({"simulate"})),
    )
}


def names(result: str) -> tuple[str, ...]:
    """The formats that can render `result`, in table order (for Typer's choices)."""
    return tuple(name for name, item in FORMATS.items() if result in item.renders)


def choices(result: str) -> type[Enum]:
    """Typer's `--format` choices for `result` (an Enum of `names(result)`), one per command."""
    return Enum(f"{result.capitalize()}Format", {name: name for name in names(result)}, type=str)  # type: ignore[return-value]


def by_suffix(suffix: str) -> Format | None:
    suffix = suffix.lower()
    return next((item for item in FORMATS.values() if suffix in item.suffixes), None)
