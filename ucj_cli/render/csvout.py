"""The one CSV writer: every CSV ucj writes (simulate, rka-csv, --by, compare, rules, batch) goes
through `writer` or, for half a million village lines, `field`.

Every text cell is made safe for a spreadsheet whatever path wrote it: control characters (ESC,
BEL, a CR that would split a record...), bidi and invisible characters are escaped (`\\x1b`,
`\\u202e`), and a cell a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a
tab or a CR) gets a leading `'` (`fmt.csv_text`). Numbers, and text that is a plain decimal number
(`-12.50`, `2025-01` is not one and is left as it is anyway), are written as they are.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from typing import Any, Iterable, TextIO

from ucj_cli.i18n.format import FORMULA_START, csv_text

_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_SPECIAL = re.compile(r'[,"\r\n]')
_UNSAFE = re.compile('^[' + re.escape("".join(FORMULA_START)) + r']|[,"\r\n]')  # a formula start, or a character to quote


def cell(value: Any) -> Any:
    """A value as it goes into a CSV cell: text neutralised (`csv_text`, which is idempotent, so a
    renderer that already guarded a cell writes the same bytes), numbers untouched."""
    if isinstance(value, str) and not _NUMBER.fullmatch(value):
        return csv_text(value)
    return value


class Writer:
    """`csv.writer` (minimal quoting, `\\n` line ends) whose every row goes through `cell`."""

    def __init__(self, stream: TextIO) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: TextIO) -> Writer:
    return Writer(stream)


def field(text: str) -> str:
    """One text field, guarded as `writer` guards it, then quoted as csv.writer's minimal quoting
    writes it: for writers that build a line themselves (half a million village lines). A name
    with nothing to escape, guard or quote (printable, no formula start, no `,` or `"`) is itself."""
    if text.isprintable() and not _UNSAFE.search(text):
        return text
    return _guarded(text)


@lru_cache(maxsize=4096)  # cohort and district names repeat on every line
def _guarded(text: str) -> str:
    text = cell(text)
    return '"' + text.replace('"', '""') + '"' if _SPECIAL.search(text) else text
