"""A workbook's cells written as sheet XML text, for `render/xlsx.py`'s `Book`.

XlsxWriter lays out the workbook (formats, widths, panes, autofilters, merged ranges, print set-up,
charts) but writes no cell: its per-cell code costs some 30 us a cell, the whole time of a large
workbook. Each sheet's rows are written here instead, as XlsxWriter's constant-memory mode writes
them (inline strings, each formula with its cached value, the same escapes); `splice` then puts
them, and the sheet's dimension, into the zip file XlsxWriter made. A row becomes text when a later
row begins (or at the end), as in XlsxWriter, so formats get the same numbers in `styles.xml`.

Two differences from XlsxWriter. A cell right after its left neighbour (or first in its row and in
column A) carries no reference (`<c s="4">`, not `<c r="F2" s="4">`), nor does one up to `FILLED_GAP`
columns on, the columns between written as empty cells (`<c/><c s="4">`), and a row right after the row
written before it (or the first row of the sheet) carries no number (`<row>`): OOXML makes both `r`
optional (ECMA-376 18.3.1.4, 18.3.1.73) and such a cell or row the next one, as Excel, LibreOffice
and openpyxl read them; a national workbook's references were a quarter of its XML, and each one a
step of the making of its rows. And a text
that looks like rich-text markup (`<r>...</r>`) is escaped like any other: it is a name a user
typed, never XML to pass through.

A sheet of more than `FAST_AFTER` bytes of rows is deflated while it is made, in a second thread
(`_Deflater`), so that making the XML and compressing it share the machine's cores.
"""

from __future__ import annotations

import io
import queue
import re
import shutil
import sys
import threading
import zipfile
import zlib
from typing import Any, Callable, Iterable, Sequence

MAX_ROWS = 1_048_576  # a worksheet's rows in Excel (and LibreOffice)
MAX_TEXT = 32_767  # a cell's characters (UTF-16 units), as XlsxWriter cuts them
FAST_AFTER = 4 * 2**20  # rows of more XML than this are compressed at level 1 (a third of level 6's time) as they are made
CHUNK = 4 * 2**20  # characters of rows encoded and handed to the compressing thread at a time
# While a sheet is deflated beside the making of its rows, the interpreter offers the GIL every
# 0.2 ms instead of 5: zlib takes the lock back several times a chunk (after each output block, the
# CRC and the write), and each time it would wait out the interval while the rows are made (a
# national per-village workbook: 7.5 s -> 5.8 s on 2 cores). Restored when the last one ends.
SWITCH_INTERVAL = 0.0002
_switching: list[float] = []  # the interval before the first `_Deflater` that runs, once per one running
_DEFAULT_HEIGHT = 20  # XlsxWriter's row height in pixels
# Columns skipped in a row that are written as empty cells rather than named by the next cell's
# reference: `<c/>` is 4 characters and always the same, a reference `r="G123456"` up to 12 and
# different on every row, so a national workbook's RKA by village (its lines from column B, its
# amounts in G) compresses in a sixth less time.
FILLED_GAP = 4

_SPECIAL = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_ESCAPED = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile("([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = re.compile(r"^\s|\s$")
_NOT_PLAIN = re.compile(f"{_SPECIAL.pattern}|{_EDGE_SPACE.pattern}")  # a text without them is written as it is (most: one search)
_MARKS = ("&", "<", ">", "_x", " |", "| ")  # in `|`-joined texts: one of them may need an escape or keep an edge space
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
    if not _NOT_PLAIN.search(value):
        return f"<is><t>{value}</t></is>"
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
    """A string cell after `<c` and its reference, if any: a row's cells are `joined`."""
    return f'{style(format_)} t="inlineStr">{text(value)}</c>'


def string_cells(values: Sequence[str], format_: Any) -> list[str] | None:
    """`string_cell` of each of `values` (a thousand names) made at once, or None when one of them
    may need more than writing as it is (`string_cell` each then): their text joined by `|` is
    printable (no control character, no space but ' ', no non-character), holds no `&`, `<`, `>`,
    `_x` nor a space next to a `|`, does not start or end with one, and none is cut. A few plain
    names (`A | B`, `_x`) go the long way; no escape is ever let through."""
    joined = "|".join(values)
    if not joined.isprintable() or joined[:1] == " " or joined[-1:] == " " or any(mark in joined for mark in _MARKS) \
            or max(map(len, values), default=0) > MAX_TEXT // 2:
        return None
    head = f'{style(format_)} t="inlineStr"><is><t>'
    return [f"{head}{value}</t></is></c>" for value in values]


def numbers(values: Sequence[Any]) -> Iterable[str]:
    """`number` of each of `values`: their digits, at once, when all are whole numbers below 10^16."""
    if set(map(type, values)) <= {int} and -10**16 < min(values, default=0) and max(values, default=0) < 10**16:
        return map(str, values)
    return map(number, values)


def number_cell(value: int | float, format_: Any) -> str:
    return f"{style(format_)}><v>{number(value)}</v></c>"


def formula_cell(formula: str, format_: Any, value: Any) -> str:
    kind, cached = formula_value(value)
    return f'{style(format_)}{kind}><f>{_xml(formula.removeprefix("="))}</f><v>{cached}</v></c>'


def blank_cell(format_: Any) -> str:
    return f"{style(format_)}/>"


def _xml(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def joined(cells: list[tuple[int, str]], after: int = -1) -> list[str]:
    """Cells as `*_cell` makes them, by column, after the cell in column `after` (-1: first in their
    row), as the pieces around their row number (written `\\0` in a body, as in a formula
    `=SUM(F\\0:Q\\0)`): `str(row).join(pieces)` is their XML in that row, so a large sheet's rows,
    which differ mostly by it, are made from text made once."""
    return cells_in(cells, "\0", after).split("\0")


def interleaved(parts: Sequence[str | Sequence[str]], count: int) -> str:
    """`count` rows' text from `parts` in order: a text is the same in every row, a sequence holds one
    text per row. Laid out as one list (the texts of one row, then the next) whose slots are filled a
    part at a time, and joined: no Python step per row or per value (a national sheet has millions)."""
    merged: list[str | Sequence[str]] = []
    for part in parts:  # neighbouring texts as one
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    width = len(merged)
    out: list[Any] = [part if isinstance(part, str) else None for part in merged] * count
    for at, part in enumerate(merged):
        if not isinstance(part, str):
            out[at::width] = part
    return "".join(out)


def cells_in(cells: list[tuple[int, str]], row: str, after: int = -1) -> str:
    """Cells as `*_cell` makes them in row number `row`, by column, after the cell in column
    `after`: a cell right after the one before it without a reference, one a few columns on after
    empty cells (`<c/>`: nothing in it, no format), one further on with its reference."""
    parts = []
    for col, body in cells:
        gap = col - after - 1
        parts.append(f"{'<c/>' * gap}<c{body}" if gap <= FILLED_GAP else f'<c r="{column(col)}{row}"{body}')
        after = col
    return "".join(parts)


class Made(dict):  # type: ignore[type-arg]
    """A dict whose missing values are made by `make` from their key, each once, when first asked for."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value


class RowNumbers:
    """The digits of row numbers, each made once for a workbook: a national one writes row numbers
    some ten million times over four sheets of up to a million rows (at most `MAX_ROWS` kept)."""

    def __init__(self) -> None:
        self.texts: list[str] = [""]  # row 0: none

    def __call__(self, first: int, end: int) -> list[str]:
        """Rows `first` (1-based) up to `end`, not included."""
        if end > len(self.texts):  # doubled as rows are asked for, up to a sheet's last
            self.texts += map(str, range(len(self.texts), max(end, min(2 * len(self.texts), MAX_ROWS + 1))))
        return self.texts[first:end]


class RowsFull(IndexError):
    """A row past the last a worksheet holds: never dropped in silence, as XlsxWriter drops it."""


class Rows:
    """One sheet's cells, in row order (the same calls as XlsxWriter's worksheet: `write_string`,
    `write_number`, `write_formula`, `write_blank`, `set_row`), or whole rows made by the caller
    (`write_row`, `write_rows`) where a sheet has hundreds of thousands. A small sheet's rows are
    held (encoded) until it is spliced; past `FAST_AFTER` bytes they go, `CHUNK` at a time, to a
    `_Deflater` writing to `path`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.pieces: list[str] = []  # rows made and not yet encoded
        self.pending = 0  # their characters
        self.held: list[bytes] = []  # a small sheet's rows
        self.size = 0  # bytes of rows encoded so far
        self.deflater: _Deflater | None = None
        self.row = -1  # the row being filled
        self.written = -1  # the last row whose XML is made
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
        self._put(f"{self._opening(row)}>{cells}</row>")
        self.written = row

    def write_rows(self, first: int, last: int, rows: str, first_column: int, last_column: int) -> None:
        """Whole `<row>` elements made by the caller, `first`..`last` (0-based, the last one written)
        over columns `first_column`..`last_column`, the first one opened without its number (`<row>`,
        `<row ...>`): it is given one here unless it follows the row written before it."""
        self._at(first, first_column)
        self._at(last, last_column)
        self.flush()
        opening = self._opening(first)
        self._put(rows if opening == "<row" else opening + rows[4:])
        self.written = last

    def _opening(self, row: int) -> str:
        """The start of row `row`'s element: `<row` right after the row written before it, else with its number."""
        return "<row" if row == self.written + 1 else f'<row r="{row + 1}"'

    def flush(self) -> None:
        """Ends the row being filled (before rows made whole, whose formats come after its own)."""
        if self.row < 0 or (not self.cells and self.row not in self.heights):
            return
        number_ = str(self.row + 1)
        height = self.heights.pop(self.row, None)
        head = self._opening(self.row)
        if height is not None:
            head += f' ht="{height:.16g}" customHeight="1"'
        self.written = self.row
        if not self.cells:
            self._put(head + "/>")
            return
        cells = []
        for col in sorted(self.cells):
            kind, value, format_ = self.cells[col]
            if kind == "s":
                cells.append((col, string_cell(value, format_)))
            elif kind == "n":
                cells.append((col, number_cell(value, format_)))
            elif kind == "f":
                cells.append((col, formula_cell(value[0], format_, value[1])))
            else:
                cells.append((col, blank_cell(format_)))
        self.cells.clear()
        self._put(f"{head}>{cells_in(cells, number_)}</row>")

    def _put(self, text: str) -> None:
        self.pieces.append(text)
        self.pending += len(text)
        if self.pending >= CHUNK:
            self._encode()

    def _encode(self) -> None:
        """The rows made so far as bytes: held, or handed to the compressing thread (started once
        the sheet is past `FAST_AFTER`)."""
        data = "".join(self.pieces).encode()
        self.pieces.clear()
        self.pending = 0
        self.size += len(data)
        if self.deflater is not None:
            self.deflater.write(data)
            return
        self.held.append(data)
        if self.size > FAST_AFTER:
            self.deflater = _Deflater(self.path)
            for part in self.held:
                self.deflater.write(part)
            self.held.clear()

    def close(self) -> None:
        """The last row written and, for a large sheet, compressed (a failed write raises here)."""
        self.flush()
        self.row = MAX_ROWS  # nothing more
        if self.pieces:
            self._encode()
        if self.deflater is not None:
            self.deflater.close()

    def discard(self) -> None:
        """Stops the compressing thread of a workbook that will not be written."""
        if self.deflater is not None:
            self.deflater.discard()

    def dimension(self) -> str:
        """The cells' range, as XlsxWriter's `<dimension>` gives it."""
        first = f"{column(self.first_column)}{self.first_row + 1}"
        last = f"{column(self.last_column)}{self.last_row + 1}"
        return first if first == last else f"{first}:{last}"


class _Deflater:
    """A large sheet's rows deflated (level 1) in a second thread as they are made, into `path`:
    zlib lets go of the GIL while it compresses, so the XML of the next rows is made meanwhile on
    the other core. One raw deflate stream that ends on a byte boundary (a sync flush), so that the
    sheet's head and tail, known only when the sheet is done, are deflated apart and put around it
    (`_put_deflated`). The queue is short: what waits is a few chunks, however large the sheet.
    The bytes depend only on the rows (one stream, in order), never on the threads' timing."""

    def __init__(self, path: str) -> None:
        self.file = open(path, "wb")  # noqa: SIM115 (closed by `close` or `discard`)
        self.crc = self.compressed = 0
        self.error: BaseException | None = None  # what failed in the thread, raised in the caller's
        self.stopped = False
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._run, name="ucj-deflate", daemon=True)
        _switching.append(_switching[0] if _switching else sys.getswitchinterval())
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.thread.start()

    def _run(self) -> None:
        deflate = zlib.compressobj(1, zlib.DEFLATED, -15)
        while (data := self.queue.get()) is not None:
            if self.error is None and not self.stopped:
                try:
                    self.crc = zlib.crc32(data, self.crc)
                    self._out(deflate.compress(data))
                except BaseException as exc:  # noqa: BLE001 (raised again by `write` or `close`)
                    self.error = exc
        if self.error is None and not self.stopped:
            try:
                self._out(deflate.flush(zlib.Z_SYNC_FLUSH))
            except BaseException as exc:  # noqa: BLE001
                self.error = exc

    def _out(self, data: bytes) -> None:
        self.file.write(data)
        self.compressed += len(data)

    def write(self, data: bytes) -> None:
        if self.error is not None:  # the disk is full: said now, not after the rest of the sheet is made
            self.close()
        self.queue.put(data)

    def close(self) -> None:
        self._end()
        if self.error is not None:
            raise self.error

    def discard(self) -> None:
        self.stopped = True
        self._end()

    def _end(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.file.closed:
            return
        self.file.close()
        original = _switching.pop()
        if not _switching:  # the last one ends: the interval as it was
            sys.setswitchinterval(original)


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
            if rows.deflater is not None:
                _put_deflated(target, copy, head, rows, tail)
                continue
            copy.file_size = len(head) + rows.size + len(tail)
            with target.open(copy, "w") as stream:
                stream.write(head)
                for data in rows.held:
                    stream.write(data)
                stream.write(tail)
    return out.getvalue()


def _put_deflated(target: zipfile.ZipFile, info: zipfile.ZipInfo, head: bytes, rows: Rows, tail: bytes) -> None:
    """A large sheet's part in `target`: its head, its rows as `_Deflater` compressed them and its
    tail, as one deflate stream (each piece ends on a byte boundary, so they follow one another),
    its CRC combined from theirs. `zipfile` cannot take data compressed already, so the entry is
    put as `ZipFile.open(..., "w")` puts one (its header at the end of the archive, then its data;
    `close` writes the central directory from `filelist`), with the sizes and CRC known at once."""
    deflated = rows.deflater
    assert deflated is not None
    before, after = zlib.compressobj(1, zlib.DEFLATED, -15), zlib.compressobj(1, zlib.DEFLATED, -15)
    head_data = before.compress(head) + before.flush(zlib.Z_SYNC_FLUSH)
    tail_data = after.compress(tail) + after.flush()
    info.compress_type = zipfile.ZIP_DEFLATED
    info.file_size = len(head) + rows.size + len(tail)
    info.compress_size = len(head_data) + deflated.compressed + len(tail_data)
    info.CRC = crc_combine(crc_combine(zlib.crc32(head), deflated.crc, rows.size), zlib.crc32(tail), len(tail))
    zip64 = info.file_size > zipfile.ZIP64_LIMIT or info.compress_size > zipfile.ZIP64_LIMIT
    stream = target.fp
    assert stream is not None
    info.header_offset = stream.tell()
    stream.write(info.FileHeader(zip64))
    stream.write(head_data)
    with open(rows.path, "rb") as body:
        shutil.copyfileobj(body, stream, 2**20)
    stream.write(tail_data)
    target.start_dir = stream.tell()
    target.filelist.append(info)
    target.NameToInfo[info.filename] = info


def _multiply(a: int, b: int) -> int:
    """a x b modulo the CRC-32 polynomial (bits reflected), as zlib's `multmodp`."""
    product, bit = 0, 1 << 31
    while a:
        if a & bit:
            product ^= b
            a ^= bit
        bit >>= 1
        b = (b >> 1) ^ 0xEDB88320 if b & 1 else b >> 1
    return product


def crc_combine(first: int, second: int, length: int) -> int:
    """The CRC-32 of two byte strings one after the other, from the CRC of each and the second's
    length (zlib's `crc32_combine`, which Python's zlib does not offer): x^(8 x length) x first + second."""
    power, square = 1 << 31, 1 << 23  # x^0; x^8 (one byte), squared for each bit of `length`
    while length:
        if length & 1:
            power = _multiply(square, power)
        length >>= 1
        square = _multiply(square, square)
    return _multiply(power, first) ^ second


def _sheet(name: str, sheets: list[Rows]) -> Rows | None:
    """The rows of `xl/worksheets/sheetN.xml` (the N-th worksheet)."""
    match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", name)
    return sheets[int(match.group(1)) - 1] if match and int(match.group(1)) <= len(sheets) else None
