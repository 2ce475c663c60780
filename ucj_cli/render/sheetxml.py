"""A workbook's cells written as sheet XML text, for `render/xlsx.py`'s `Book`.

XlsxWriter lays out the workbook (formats, widths, panes, autofilters, merged ranges, print set-up,
charts) but writes no cell: its per-cell code costs some 30 us a cell, the whole time of a large
workbook. Each sheet's rows are written here instead, as XlsxWriter's constant-memory mode writes
them (inline strings, each formula with its cached value, the same escapes), to a file of their own;
`splice` then puts them, and the sheet's dimension, into the zip file XlsxWriter made. A row becomes
text when a later row begins (or at the end), as in XlsxWriter, so formats get the same numbers in
`styles.xml` and a small workbook comes out byte for byte as XlsxWriter alone would write it.

Unlike XlsxWriter, a text that looks like rich-text markup (`<r>...</r>`) is escaped like any other:
it is a name a user typed, never XML to pass through.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from typing import Any

MAX_ROWS = 1_048_576  # a worksheet's rows in Excel (and LibreOffice)
MAX_TEXT = 32_767  # a cell's characters (UTF-16 units), as XlsxWriter cuts them
FAST_AFTER = 4 * 2**20  # rows of more XML than this are compressed at level 1: a third of level 6's time
_DEFAULT_HEIGHT = 20  # XlsxWriter's row height in pixels

_SPECIAL = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_ESCAPED = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile("([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = re.compile(r"^\s|\s$")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')

_letters: list[str] = []


def column(index: int) -> str:
    """0 -> A, 26 -> AA (kept: a sheet writes the same few columns millions of times)."""
    while len(_letters) <= index:
        number, name = len(_letters) + 1, ""
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        _letters.append(name)
    return _letters[index]


def quoted(name: str) -> str:
    """A sheet name inside a formula."""
    return "'" + name.replace("'", "''") + "'"


def text(value: str) -> str:
    """The `<is>` element of an inline string: control characters as `_xHHHH_` (a literal
    `_xHHHH_` kept by escaping its underscore), `&`, `<` and `>` escaped, and edge spaces kept."""
    if len(value) > MAX_TEXT // 2 and len(value.encode("utf-16-le")) > 2 * MAX_TEXT:
        value = value.encode("utf-16-le")[: 2 * MAX_TEXT].decode("utf-16-le", "ignore")
    if _SPECIAL.search(value):
        value = _ESCAPED.sub(r"_x005F\1", value)
        value = _CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", value)
        value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _EDGE_SPACE.search(value):
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


def number(value: int | float) -> str:
    """A figure as XlsxWriter writes it (`%.16G`; a whole number below 10^16 is its digits)."""
    if type(value) is int and -10**16 < value < 10**16:
        return str(value)
    return f"{value:.16G}"


def style(format_: Any) -> str:
    """The ` s="N"` attribute of a format (XlsxWriter numbers formats in the order first written)."""
    return "" if format_ is None else f' s="{format_._get_xf_index()}"'


def formula_value(value: Any) -> tuple[str, str]:
    """A formula's cached value and its type attribute, as XlsxWriter writes them."""
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, str):
        return ("", "") if value == "" else (' t="str"', _xml(value))
    return "", str(value)


def string_cell(value: str, format_: Any) -> str:
    """A string cell after its `r="A1"`: a row's cells are `joined` around their row number."""
    return f'"{style(format_)} t="inlineStr">{text(value)}</c>'


def number_cell(value: int | float, format_: Any) -> str:
    return f'"{style(format_)}><v>{number(value)}</v></c>'


def formula_cell(formula: str, format_: Any, value: Any) -> str:
    kind, cached = formula_value(value)
    return f'"{style(format_)}{kind}><f>{_xml(formula.removeprefix("="))}</f><v>{cached}</v></c>'


def _xml(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def joined(cells: list[tuple[int, str]]) -> list[str]:
    """Cells as `*_cell` makes them, by column, as the pieces around their row number (written `\\0`
    in a body, as in a formula `=SUM(F\\0:Q\\0)`): `str(row).join(pieces)` is their XML in that row,
    so a large sheet's rows, which differ mostly by it, are made from text made once."""
    return "".join(f'<c r="{column(col)}\0{body}' for col, body in cells).split("\0")


class RowsFull(IndexError):
    """A row past the last a worksheet holds: never dropped in silence, as XlsxWriter drops it."""


class Rows:
    """One sheet's cells, written in row order to `path` (the same calls as XlsxWriter's worksheet:
    `write_string`, `write_number`, `write_formula`, `write_blank`, `set_row`), or whole rows
    made by the caller (`write_row`) where a sheet has hundreds of thousands."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.out = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed by `close`)
        self.row = -1  # the row being filled
        self.cells: dict[int, tuple[str, Any, Any]] = {}  # its cells: column -> (kind, value, format)
        self.heights: dict[int, float] = {}
        self.first_row: int | None = None
        self.last_row = self.first_column = self.last_column = 0

    def _at(self, row: int, col: int) -> None:
        if row != self.row:
            if row < self.row:
                raise ValueError(f"row {row + 1} written after row {self.row + 1}")
            if row >= MAX_ROWS:
                raise RowsFull(row + 1)
            self.flush()
            self.row = row
        if self.first_row is None:
            self.first_row, self.first_column, self.last_column = row, col, col
        elif col < self.first_column:
            self.first_column = col
        elif col > self.last_column:
            self.last_column = col
        self.last_row = row

    def write_string(self, row: int, col: int, string: str, format_: Any = None) -> None:
        self._at(row, col)
        self.cells[col] = ("s", string, format_)

    def write_number(self, row: int, col: int, value: int | float, format_: Any = None) -> None:
        self._at(row, col)
        self.cells[col] = ("n", value, format_)

    def write_formula(self, row: int, col: int, formula: str, format_: Any = None, value: Any = 0) -> None:
        self._at(row, col)
        self.cells[col] = ("f", (formula, value), format_)

    def write_blank(self, row: int, col: int, format_: Any) -> None:
        self._at(row, col)
        self.cells[col] = ("b", None, format_)

    def set_row(self, row: int, height: float) -> None:
        """A row's height in points, as XlsxWriter's `set_row` (15, the default, writes nothing)."""
        pixels = int(height * 4.0 / 3.0 + 0.5)
        if pixels != _DEFAULT_HEIGHT:
            self._at(row, self.first_column if self.first_row is not None else 0)
            self.heights[row] = pixels * 0.75

    def write_row(self, row: int, cells: str, first: int, last: int) -> None:
        """A whole row's `<c>` elements made by the caller (`first`..`last`: its columns)."""
        self._at(row, first)
        self._at(row, last)
        self.flush()
        self.out.write(f'<row r="{row + 1}">{cells}</row>')

    def write_rows(self, first: int, last: int, rows: str, first_column: int, last_column: int) -> None:
        """Whole `<row>` elements made by the caller, `first`..`last` (0-based, the last one written)
        over columns `first_column`..`last_column`."""
        self._at(first, first_column)
        self._at(last, last_column)
        self.flush()
        self.out.write(rows)

    def flush(self) -> None:
        """Ends the row being filled (before rows made whole, whose formats come after its own)."""
        if self.row < 0 or (not self.cells and self.row not in self.heights):
            return
        number_ = self.row + 1
        height = self.heights.pop(self.row, None)
        head = f'<row r="{number_}" ht="{height:.16g}" customHeight="1"' if height is not None else f'<row r="{number_}"'
        if not self.cells:
            line = head + "/>"
        else:
            parts = [head, ">"]
            for col in sorted(self.cells):
                kind, value, format_ = self.cells[col]
                ref = f"{column(col)}{number_}"
                if kind == "s":
                    parts.append(f'<c r="{ref}{string_cell(value, format_)}')
                elif kind == "n":
                    parts.append(f'<c r="{ref}{number_cell(value, format_)}')
                elif kind == "f":
                    parts.append(f'<c r="{ref}{formula_cell(value[0], format_, value[1])}')
                else:
                    parts.append(f'<c r="{ref}"{style(format_)}/>')
            parts.append("</row>")
            line = "".join(parts)
        self.cells.clear()
        self.out.write(line)

    def close(self) -> None:
        self.flush()
        self.row = MAX_ROWS  # nothing more
        self.out.close()

    def dimension(self) -> str:
        """The cells' range, as XlsxWriter's `<dimension>` gives it."""
        first = f"{column(self.first_column)}{self.first_row + 1}"
        last = f"{column(self.last_column)}{self.last_row + 1}"
        return first if first == last else f"{first}:{last}"


def splice(workbook: bytes, sheets: list[Rows]) -> bytes:
    """XlsxWriter's workbook (`workbook`, its worksheets in the order of `sheets`, without cells of
    their own) with each sheet's rows and dimension put in, every other part as it was: same
    names, dates and order, compressed alike except a large sheet's rows (`FAST_AFTER`)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.external_attr, copy.compress_type, copy.create_system = info.external_attr, info.compress_type, info.create_system
            rows = _sheet(info.filename, sheets)
            if rows is None or rows.first_row is None:
                copy.file_size = len(part)
                with target.open(copy, "w") as stream:
                    stream.write(part)
                continue
            start = part.index(b"<sheetData")
            end = start + len(b"<sheetData/>") if part.startswith(b"<sheetData/>", start) else part.index(b"</sheetData>") + len(b"</sheetData>")
            head = _DIMENSION.sub(f'<dimension ref="{rows.dimension()}"/>'.encode(), part[:start], count=1) + b"<sheetData>"
            tail = b"</sheetData>" + part[end:]
            size = os.path.getsize(rows.path)
            if size > FAST_AFTER:
                setattr(copy, "compress_level" if hasattr(copy, "compress_level") else "_compresslevel", 1)
            copy.file_size = len(head) + size + len(tail)  # ZIP64 is chosen from it
            with target.open(copy, "w") as stream, open(rows.path, "rb") as body:
                stream.write(head)
                shutil.copyfileobj(body, stream, 2**20)
                stream.write(tail)
    return out.getvalue()


def _sheet(name: str, sheets: list[Rows]) -> Rows | None:
    """The rows of `xl/worksheets/sheetN.xml` (the N-th worksheet)."""
    match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", name)
    return sheets[int(match.group(1)) - 1] if match and int(match.group(1)) <= len(sheets) else None
