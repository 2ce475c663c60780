"""xlsx workbooks for a simulation and a comparison, with XlsxWriter (imported only here).

A live workbook: a budget line's amount is a formula (per person x workers), a cohort's month is the
SUM of its lines, every total is a SUM, and each formula is stored with its cached value taken from
ucj's result, so Excel recalculates the same figures, a planner can change a cohort's workers (sheet
"By month", column C) and every total follows, and a reader that does not recalculate still shows
ucj's figures. Renderers never compute money: the cached values are the result's own integers.

Names a user typed are written with `write_string` (and a quote prefix when they start like a
formula), never as formulas. The same input gives the same bytes: the created date is fixed and
nothing else in the file depends on the clock.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
from operator import attrgetter
from typing import Any, Iterable, Iterator, Sequence

from ucj_cli.engine.pricing import Result
from ucj_cli.i18n import _, local
from ucj_cli.errors import Mark, UcjError, diagnostic
from ucj_cli.i18n.messages import Count

from ucj_cli.i18n import format as fmt
from ucj_cli.period import month_label
from ucj_cli.i18n.format import FORMULA_START
from ucj_cli.render import sheetxml
from ucj_cli.render.sheetxml import quoted
from ucj_cli.render.simulation import rules_used, status_text
from ucj_cli.render.explain import origin_text, what_if_changes

CREATED = dt.datetime(2000, 1, 1)  # a fixed document date: reruns give identical bytes
MAX_ROWS = 1_048_576  # a worksheet's rows in Excel (and LibreOffice); XlsxWriter drops later rows in silence


class TooManyRows(UcjError):
    """A sheet would need more rows than a worksheet holds: refused before the workbook is written,
    never cut short (`E-xlsx-too-many-rows`)."""

    def __init__(self, result: Result, sheet: str, rows: int) -> None:
        super().__init__([diagnostic(Mark(result.scenario.file), "E-xlsx-too-many-rows", sheet=sheet, rows=Count(rows),
                                     limit=Count(MAX_ROWS))])


def _check_rows(result: Result, names: dict[str, str], places: tuple[str, Any] | None) -> None:
    """Count each large sheet's rows before anything is written: Lines (a header and a row per budget
    line) and By village (a header, a row per village and per cohort not from CSV, the totals)."""
    lines = 1 + sum(1 for _line in result.lines())
    if lines > MAX_ROWS:
        raise TooManyRows(result, names["lines"], lines)
    if places is not None and places[0] == "village":
        rows = 2 + sum(item.cohort.places.villages if item.cohort.places is not None else 1 for item in result.cohorts)
        if rows > MAX_ROWS:
            raise TooManyRows(result, _("By village"), rows)
MAX_WIDTH = 60
_FORMULA_MARKS = tuple(f"|{start}" for start in FORMULA_START)  # in `|`-joined texts: one starts like a formula


def excel_month(month: int) -> int:
    """The first day of a month index (year * 12 + month - 1) as an Excel date serial, so a month
    is a real date in the workbook (sorted and filtered as one), shown `yyyy-mm`."""
    first = dt.date(month // 12, month % 12 + 1, 1)
    return (first - dt.date(1899, 12, 30)).days


def col(index: int) -> str:
    """0 -> A, 26 -> AA."""
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(index)


def _digits_width(value: int | float) -> int:
    """The width of a whole number with thousands separators, plus room for the currency sign."""
    digits = len(str(abs(int(value))))
    return digits + (digits - 1) // 3 + 5


class Sheet:
    """A worksheet written row by row: its layout (`sheet`: widths, panes, print set-up, charts) by
    XlsxWriter, its cells (`cells`) as sheet XML (`sheetxml.Rows`), keeping the widest text per
    column so the widths fit the content."""

    def __init__(self, book: "Book", name: str) -> None:
        self.book = book
        self.sheet = book.workbook.add_worksheet(name)
        self.cells = sheetxml.Rows(os.path.join(book.tmpdir, f"rows{len(book.sheets)}.xml"))
        book.sheets.append(self.cells)
        self.name = name
        self.row = 0
        self.widths: dict[int, int] = {}

    def _fit(self, column: int, text: str) -> None:
        self._width(column, len(text) + 2)

    def _width(self, column: int, width: int) -> None:
        if width > self.widths.get(column, 0):
            self.widths[column] = min(MAX_WIDTH, width)

    def fit_number(self, column: int, value: int | float) -> None:
        self._width(column, _digits_width(value))

    def text(self, column: int, value: str, style: Any = None) -> None:
        style = style or self.book.plain
        if value.startswith(FORMULA_START):
            style = self.book.quoted_style(style)
        self.cells.write_string(self.row, column, value, style)
        self._fit(column, value)

    def number(self, column: int, value: int | float, style: Any, shown: str | None = None) -> None:
        self.cells.write_number(self.row, column, value, style)
        self._width(column, len(shown) + 2 if shown is not None else _digits_width(value))

    def formula(self, column: int, formula: str, style: Any, value: Any, shown: str | None = None) -> None:
        self.cells.write_formula(self.row, column, formula, style, value)
        self._width(column, len(shown) + 2 if shown is not None else _digits_width(value))

    def merge(self, first: int, last: int, text: str, style: Any) -> None:
        """`text` in one cell across columns `first`..`last` of the row (XlsxWriter keeps the range;
        its own copy of the cells is replaced by these)."""
        self.sheet.merge_range(self.row, first, self.row, last, "", style)
        self.cells.write_string(self.row, first, text, style)
        for column in range(first + 1, last + 1):
            self.cells.write_blank(self.row, column, style)

    def text_cell(self, column: int, value: str, style: Any = None) -> str:
        """As `text`, for a row written whole: the cell after its reference (`sheetxml.joined`)."""
        self._fit(column, value)
        return self.string(value, style)

    def string(self, value: str, style: Any = None) -> str:
        """As `text_cell`, leaving the column's width to the caller."""
        style = style or self.book.plain
        if value.startswith(FORMULA_START):
            style = self.book.quoted_style(style)
        return sheetxml.string_cell(value, style)

    def strings(self, values: Sequence[str], style: Any = None) -> list[str]:
        """`string` of each of `values` (a thousand villages): made at once when none starts like a
        formula or needs more than writing as it is."""
        joined = "|".join(values)
        if not joined.startswith(FORMULA_START) and not any(mark in joined for mark in _FORMULA_MARKS):
            made = sheetxml.string_cells(values, style or self.book.plain)
            if made is not None:
                return made
        return [self.string(value, style) for value in values]

    def header(self, names: list[str]) -> None:
        for column, name in enumerate(names):
            self.text(column, name, self.book.head)
        self.row += 1

    def finish(self, header_row: int | None = 0, columns: int = 0, last_row: int | None = None, freeze_columns: int = 0) -> None:
        """Widths, frozen header, autofilter over the data and a print set-up for paper: landscape,
        A4, one page wide, the header row repeated on every page."""
        for column, width in self.widths.items():
            self.sheet.set_column(column, column, width)
        sheet = self.sheet
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        if header_row is not None:
            sheet.freeze_panes(header_row + 1, freeze_columns)
            sheet.repeat_rows(header_row)
            if last_row is not None and last_row > header_row:
                sheet.autofilter(header_row, 0, last_row, columns - 1)


class Book:
    def __init__(self) -> None:
        import xlsxwriter

        from ucj_cli.output import private_tempdir

        self.out = io.BytesIO()
        self.tmpdir = private_tempdir()  # the sheets' rows and XlsxWriter's package files: removed however the run ends
        self.sheets: list[Any] = []  # each worksheet's `sheetxml.Rows`, in the workbook's order
        self.workbook = xlsxwriter.Workbook(self.out, {"constant_memory": True, "tmpdir": self.tmpdir, "strings_to_formulas": False,
                                                       "strings_to_urls": False, "strings_to_numbers": False})
        self.workbook.set_properties({"created": CREATED, "title": "ucj"})
        add = self.workbook.add_format
        rupiah = fmt.excel_rupiah()
        self.plain = add({})
        self.head = add({"bold": True, "bottom": 1, "bg_color": "#DDEBF7"})
        self.bold = add({"bold": True})
        self.title = add({"bold": True, "font_size": 14})
        self.money = add({"num_format": rupiah})
        self.money_total = add({"num_format": rupiah, "bold": True, "top": 1})
        self.count = add({"num_format": "#,##0"})
        self.month = add({"num_format": "yyyy-mm"})
        self.count_total = add({"num_format": "#,##0", "bold": True, "top": 1})
        self.ratio = add({"num_format": "0.00%"})
        self.rate = add({"num_format": "0.0##%"})
        self.total_label = add({"bold": True, "top": 1})
        self.warn = add({"font_color": "#9C5700"})
        self.after_figure = add({"indent": 1})  # words after a right-aligned figure: printed, the two never touch
        self.over = add({"bold": True, "font_color": "#C00000", "indent": 1})
        self._quoted: dict[int, Any] = {}
        self.row_numbers = sheetxml.RowNumbers()

    def quoted_style(self, style: Any) -> Any:
        """`style` with Excel's quote prefix: the cell is text even when edited."""
        key = id(style)
        if key not in self._quoted:
            copy = self.workbook.add_format({"quote_prefix": True})
            for name in ("bold", "bg_color", "bottom", "top"):
                value = getattr(style, name, None)
                if value:
                    getattr(copy, f"set_{name}")(value)
            self._quoted[key] = copy
        return self._quoted[key]

    def bytes(self) -> bytes:
        """The workbook: XlsxWriter's, each sheet's rows put in (`sheetxml.splice`)."""
        from xlsxwriter.exceptions import FileCreateError

        from ucj_cli.output import write_error
        from ucj_cli.render.sheetxml import splice

        try:
            for rows in self.sheets:  # in the workbook's order, as XlsxWriter ends its sheets' last rows
                rows.close()
            self.workbook.close()
            return splice(self.out.getvalue(), self.sheets)
        except FileCreateError as exc:  # the temporary folder is full or gone: named, not `<stdout>`
            error = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
            raise write_error(self.tmpdir, error) from None
        except OSError as exc:
            raise write_error(self.tmpdir, exc) from None
        finally:
            self.discard()

    def discard(self) -> None:
        """Stops the sheets' compressing threads and removes the temporary folder: after `bytes`, or
        when the workbook fails before it (`with Book() as book`)."""
        from ucj_cli.output import remove_tempdir

        for rows in self.sheets:
            rows.discard()
        remove_tempdir(self.tmpdir)

    def __enter__(self) -> "Book":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.discard()


def sheet_names() -> dict[str, str]:
    return {"summary": _("Summary"), "months": _("By month"), "lines": _("Lines"), "rules": _("Rules"), "rka": "RKA", "notes": _("Notes")}


def simulation_workbook(result: Result, places: tuple[str, Iterable[Any]] | None = None, village_rka: Any = None) -> bytes:
    """Sheets Summary, By month, Lines, Rules and RKA (see the module docstring; RKA: SIPD's form,
    report_rka.py); with `places` (`--by`: "district" or "village" and its lines from
    `places.py`), a last sheet of the budget by place."""
    names = sheet_names()
    _check_rows(result, names, places)
    with Book() as book:
        total_row = len(result.by_cohort) + 1  # on "By month" (0-based): the header, one row per scenario cohort, then the totals
        summary = Sheet(book, names["summary"])
        months = Sheet(book, names["months"])
        lines = Sheet(book, names["lines"])
        rules = Sheet(book, names["rules"])
        rka = Sheet(book, names["rka"])
        by_place = Sheet(book, _("By district") if places[0] == "district" else _("By village")) if places is not None else None
        notes = Sheet(book, names["notes"]) if result.diagnostics else None

        spans = _write_lines(lines, result, names["months"])
        _write_months(months, result, spans, names["lines"])
        _write_summary(summary, result, names["months"], total_row)
        _write_rules(rules, result)
        from ucj_cli.render.rka import write_sheet
        from ucj_cli.engine.rka import build

        linked = {total.name: f"{quoted(names['months'])}!$C${number + 2}"
                  for number, total in enumerate(result.by_cohort) if len(total.groups) == 1}  # as the Lines sheet links them
        write_sheet(rka, build(result), linked)
        if result.scenario.signatures:
            rka.row += 3
            write_signatures(rka, result.scenario.signatures)
        if by_place is not None:
            _write_places(by_place, result, *places)
        if village_rka is not None:  # --by village: the RKA of each village (render/rka.py)
            from ucj_cli.render.rka import write_village_sheets

            write_village_sheets(lambda name: Sheet(book, name), _("RKA by village"), village_rka, result.total, MAX_ROWS)
        if notes is not None:
            _write_notes(notes, result)
        print_setup(book, result.scenario)
        return book.bytes()


def _page_text(text: object) -> str:
    """Text inside an Excel header or footer: `&` written `&&`, kept short."""
    return fmt.safe(text, 60).replace("&", "&&")


def print_setup(book: "Book", scenario: Any) -> None:
    """Every sheet printed as a budget document: a header naming the region, the scenario and the
    budget year, and a footer with `Page 1 of 3` (`Halaman 1 dari 3`) and the ucj version."""
    from ucj_cli import __version__

    region = scenario.region or scenario.name
    header = f"&L{_page_text(region)}&C{_page_text(scenario.name)}&R{_page_text(_('Budget year {year}').format(year=scenario.year))}"
    footer = "&L" + _page_text(f"ucj {__version__}") + "&R" + _("Page {page} of {pages}").format(page="&P", pages="&N")
    for worksheet in book.workbook.worksheets():
        worksheet.set_header(header, {"margin": 0.3})
        worksheet.set_footer(footer, {"margin": 0.3})
        worksheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)


def _write_notes(sheet: Sheet, result: Result) -> None:
    """Every warning and note with its `file:line` and code: for the planner, not the printed Summary."""
    book = sheet.book
    sheet.header([_("Severity"), _("Where"), _("Note"), _("Code")])
    wrap = book.workbook.add_format({"text_wrap": True, "valign": "top"})
    for item in result.diagnostics:
        text = item.text
        sheet.cells.set_row(sheet.row, 15 * max(1, -(-len(text) // 95)))  # readers do not size wrapped rows themselves
        sheet.text(0, _(item.severity), book.warn if item.severity != "note" else book.plain)
        sheet.text(1, str(item.mark))
        sheet.cells.write_string(sheet.row, 2, text, wrap)
        sheet.text(3, item.code)
        sheet.row += 1
    sheet.widths[2] = 100
    sheet.finish(0, 4, sheet.row - 1)


def _write_places(sheet: Sheet, result: Result, view: str, lines: Iterable[Any]) -> None:
    """The budget by district or village, a thousand rows at a time as they come (a national sheet
    has 500,000 villages): the place, its workers, each month's figure from `places.py`, its total
    as a SUM with the line's amount cached; the last row SUMs each column, cached with the budget's
    own totals. The cells of a figure, a cohort or a district are made once, and the thousand rows
    are their columns zipped and joined (in C: no Python step per row)."""
    book = sheet.book
    place = [_("District"), _("Villages")] if view == "district" else [_("Cohort"), _("District"), _("Village"), _("Code")]
    first = len(place) + 1  # the first month's column
    sheet.header([*place, _("Workers"), *(fmt.month_abbr(offset) for offset in range(12)), _("Total (Rp)")])
    unplaced = _("(not from CSV)")
    first_letter, last_letter = col(first), col(first + 11)
    tails = sheetxml.Made(lambda key: tuple(sheetxml.joined(  # a line's figures (months, amount) -> its cells around the row's number
        [*((first + offset, sheetxml.number_cell(amount, book.money)) for offset, amount in enumerate(key[0])),
         (first + 12, sheetxml.formula_cell(f"=SUM({first_letter}\0:{last_letter}\0)", book.money, key[1]))], first - 1)))
    names = sheetxml.Made(lambda name: sheet.text_cell(*name))  # (column, cohort or district) -> its cell, its column fitted
    named = sheetxml.Made(lambda key: f"<c{names[(0, key[0])]}<c{names[(1, key[1])]}<c")  # (cohort, district) -> their cells
    widest = [0, 0]  # the longest village and code, fitted once
    workers, row, count = 0, sheet.row, ""  # count: the workers' cell up to its figure
    sheet.cells.flush()
    from ucj_cli.engine.places import VillageLines

    if isinstance(lines, VillageLines):
        batches: Iterable[Any] = _first_alone(lines.columns())
    else:
        batches = _batches(lines) if view == "district" else (tuple(zip(*batch)) for batch in _batches(lines))
    for batch in batches:  # district lines; or the columns of village lines
        size = len(batch) if view == "district" else len(batch[0])
        if row + size >= MAX_ROWS:  # the count in `_check_rows` was wrong (a CSV file changed since): never a cut sheet
            raise TooManyRows(result, sheet.sheet.name, MAX_ROWS + 1)
        if view == "district":
            heads: list[str | Sequence[str]] = [[sheetxml.cells_in([(0, sheet.text_cell(0, line.district or unplaced)),
                                                                   (1, sheetxml.number_cell(line.villages, book.count))], "")  # A, B: no reference
                                                 for line in batch]]
            counts, months, amounts = zip(*map(attrgetter("workers", "by_month", "amount"), batch))
        else:
            cohorts, districts, villages, codes, counts, months, amounts = batch
            villages = [village or unplaced for village in villages] if "" in villages else villages
            widest[:] = max(widest[0], *map(len, villages)), max(widest[1], *map(len, codes))
            heads = [list(map(named.__getitem__, zip(cohorts, districts))), sheet.strings(villages), "<c", sheet.strings(codes)]
        if not count:  # after the first row's own cells: formats are numbered in the order of the columns
            count = f"<c{sheetxml.style(book.count)}><v>"
        tail, middle, end = zip(*map(tails.__getitem__, zip(months, amounts)))
        numbers = book.row_numbers(row + 1, row + 1 + size)
        text = sheetxml.interleaved(["<row>", *heads, count, list(sheetxml.numbers(counts)), "</v></c>", tail, numbers, middle, numbers,
                                     end, "</row>"], size)
        sheet.cells.write_rows(row, row + size - 1, text, 0, first + 12)
        workers += sum(counts)
        row += size
    sheet.row = row
    if view != "district" and sheet.row > 1:
        sheet._width(2, widest[0] + 2)
        sheet._width(3, widest[1] + 2)
    last = sheet.row
    sheet.text(0, _("Total"), book.total_label)
    for column in range(1, first - 1):
        sheet.text(column, "", book.total_label)
    letter = col(first - 1)
    sheet.formula(first - 1, f"=SUM({letter}2:{letter}{last})", book.count_total, workers)
    for offset, amount in enumerate((*result.by_month, result.total)):
        letter = col(first + offset)
        sheet.formula(first + offset, f"=SUM({letter}2:{letter}{last})", book.money_total, amount)
    sheet.row += 1
    sheet.finish(0, first + 13, last - 1, freeze_columns=len(place))


def _batches(lines: Iterable[Any], size: int = 1000) -> Iterator[list[Any]]:
    """The first line alone (its cells number the formats in the order of its columns, as a row
    written cell by cell does), then `size` lines at a time."""
    lines = iter(lines)
    batch = list(itertools.islice(lines, 1))
    while batch:
        yield batch
        batch = list(itertools.islice(lines, size))


def _first_alone(batches: Iterator[tuple[Sequence[Any], ...]]) -> Iterator[tuple[Sequence[Any], ...]]:
    """Batches of columns (`VillageLines.columns`), the first line alone, as `_batches` gives lines."""
    for number, columns in enumerate(batches):
        if number == 0 and len(columns[0]) > 1:
            yield tuple(column[:1] for column in columns)
            columns = tuple(column[1:] for column in columns)
        yield columns


def line_headers() -> list[str]:
    """The Lines sheet's columns; the funding scheme is on "By month", the rules on "Rules"."""
    return [_("Cohort"), _("Month"), _("Program"), _("Payer"), _("Base (Rp)"), _("Rate"), _("Flat amount (Rp)"), _("Relief share"),
            _("Per person (Rp)"), _("Workers"), _("Amount (Rp)")]


PER_PERSON, WORKERS, AMOUNT = 8, 9, 10


def _write_lines(sheet: Sheet, result: Result, months_sheet: str) -> dict[tuple[int, int], tuple[int, int]]:
    """One row per budget line (the engine's `Result.lines()`); returns each (scenario cohort, month
    offset)'s first and last row, so the month cells of "By month" can sum them. A line's workers
    are its cohort's cell on "By month", except for a `from_csv` cohort priced in several groups,
    whose lines hold their group's workers. The loop writes cells directly: a national scenario
    has hundreds of thousands of lines."""
    book = sheet.book
    sheet.header(line_headers())
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    payers = {"employer": _("employer"), "worker": _("worker"), "participant": _("participant")}
    index = {id(item.cohort): number for number, total in enumerate(result.by_cohort) for item in total.groups}
    linked = {number for number, total in enumerate(result.by_cohort) if len(total.groups) == 1}
    base_month = result.months[0]
    months_ref = quoted(months_sheet)
    described: dict[int, list[str]] = {}  # a part's cells, made once: parts are shared by cohorts with the same terms
    current: tuple[int, int] | None = None
    cohort: Any = None
    workers: list[str] | None = None
    money = None  # the amount's format attribute, numbered where XlsxWriter would number it
    row = sheet.row
    sheet.cells.flush()
    for line in result.lines():
        part = line.part
        number = index[id(line.cohort)]
        key = (number, line.month - base_month)
        if key != current or line.cohort is not cohort:
            if key != current:
                if current is not None:
                    spans[current] = (spans[current][0], row - 1)
                spans[key] = (row, row)
                current = key
            if line.cohort is not cohort:
                cohort, workers = line.cohort, None
            head = sheetxml.joined([(0, sheet.text_cell(0, cohort.name)), (1, sheetxml.number_cell(excel_month(line.month), book.month))])
        cells = described.get(id(part))
        if cells is None:
            cells = described[id(part)] = _part_cells(sheet, part, payers)
        if workers is None:  # after the cells before it: formats are numbered in the order of the columns
            workers = sheetxml.joined([(WORKERS, sheetxml.formula_cell(f"={months_ref}!$C${number + 2}", book.count, cohort.workers)
                                        if number in linked else sheetxml.number_cell(cohort.workers, book.count))], PER_PERSON)
        if money is None:
            money = sheetxml.style(book.money)
        number_ = str(row + 1)
        sheet.cells.write_row(row, f'{number_.join(head)}{number_.join(cells)}{number_.join(workers)}'
                                   f'<c{money}><f>I{number_}*J{number_}</f><v>{line.amount}</v></c>', 0, AMOUNT)
        row += 1
    if current is not None:
        spans[current] = (spans[current][0], row - 1)
    sheet.row = row
    sheet._fit(1, "2025-01")
    sheet._width(WORKERS, _digits_width(max((item.workers for item in result.by_cohort), default=0)))
    sheet._width(AMOUNT, _digits_width(max((item.amount for item in result.by_cohort), default=0)))
    sheet.finish(0, AMOUNT + 1, row - 1)
    return spans


def _part_cells(sheet: Sheet, part: Any, payers: dict[str, str]) -> list[str]:
    """A part's cells on the Lines sheet (program, payer, base, rate, flat amount, relief share, per
    person: always there, so the workers' cell follows it) as `sheetxml.joined` pieces, with the
    column widths they need."""
    book = sheet.book
    rated, fixed = part.rate, part.flat  # read from the part's trace by role
    rate = float(rated.value) if rated is not None else None
    flat = fixed.value if fixed is not None else None
    share = float(part.share) if part.share is not None else None
    program, payer = part.program.upper(), payers[part.payer]
    sheet._fit(2, program)
    sheet._fit(3, payer)
    for column, value in ((4, part.base), (6, flat), (PER_PERSON, part.per_person)):
        if value is not None:
            sheet._width(column, _digits_width(value))
    if rate is not None:
        sheet._fit(5, fmt.rate(rated.value))
    if share is not None:
        sheet._fit(7, fmt.rate(part.share))
    figures = ((4, part.base, book.money), (5, rate, book.rate), (6, flat, book.money), (7, share, book.rate),
               (PER_PERSON, part.per_person, book.money))
    return sheetxml.joined([(2, sheetxml.string_cell(program, book.plain)), (3, sheetxml.string_cell(payer, book.plain)),
                            *((column, sheetxml.number_cell(value, style)) for column, value, style in figures if value is not None)], 1)


def _write_months(sheet: Sheet, result: Result, spans: dict[tuple[int, int], tuple[int, int]], lines_sheet: str) -> None:
    """Scenario cohort x month: each month the SUM of its lines, each row and column totalled by SUM."""
    book = sheet.book
    sheet.header([_("Cohort"), _("Funding"), _("Workers"), *(fmt.month_abbr(m) for m in range(12)), _("Total (Rp)")])
    amount = col(AMOUNT)
    last_month = col(14)
    for number, item in enumerate(result.by_cohort):
        row = sheet.row + 1
        sheet.text(0, item.name)
        sheet.text(1, item.cohort.funding)
        sheet.number(2, item.workers, book.count)
        for offset, value in enumerate(item.by_month):
            span = spans.get((number, offset))
            if span is None:
                sheet.number(3 + offset, 0, book.money)
            else:
                sheet.formula(3 + offset, f"=SUM({quoted(lines_sheet)}!{amount}{span[0] + 1}:{amount}{span[1] + 1})", book.money, value)
        sheet.formula(15, f"=SUM(D{row}:{last_month}{row})", book.money, item.amount)
        sheet.row += 1
    last = sheet.row
    sheet.text(0, _("Total"), book.total_label)
    sheet.text(1, "", book.total_label)
    sheet.formula(2, f"=SUM(C2:C{last})", book.count_total, result.workers)
    for offset, value in enumerate((*result.by_month, result.total)):
        letter = col(3 + offset)
        sheet.formula(3 + offset, f"=SUM({letter}2:{letter}{last})", book.money_total, value)
    sheet.finish(0, 16, last - 1, freeze_columns=1)


def _write_summary(sheet: Sheet, result: Result, months_sheet: str, total_row: int) -> None:
    """One A4 landscape page for the DPRD, in two bands of two blocks each, then the chart and the
    signatures below: the budget's facts (total, employed, coverage before/after, reliefs, the
    workers' own share) beside the budget by program; each funding scheme against its ceiling beside
    the twelve months (amount, covered, coverage). The warnings and notes are on the Notes sheet."""
    book, scenario, coverage = sheet.book, result.scenario, result.coverage
    ref = quoted(months_sheet)
    sheet.text(0, scenario.name, book.title)
    sheet.row += 2
    right = RIGHT_COLUMN  # the first column of the right-hand blocks (after A..G and a gap)

    def label(text: str, column: int = 0) -> None:
        sheet.text(column, text, book.bold)

    changes = what_if_changes(result.rules)
    if changes:  # a what-if budget says so before anything else
        label(_("WHAT-IF BUDGET"))
        _note(sheet, _("not the rule book's: {changes}").format(changes=changes))

    facts_row = sheet.row
    employed_cell = f"$B${facts_row + 5}"  # the Employed row below (1-based), for the coverage rates

    def facts() -> Iterable[Any]:
        for text, value in ((_("Scenario"), scenario.name), (_("Region"), scenario.region or "")):
            yield lambda text=text, value=value: (label(text), sheet.text(1, value))
        yield lambda: (label(_("Budget year")), sheet.number(1, scenario.year, book.plain, shown=str(scenario.year)))
        yield lambda: (label(_("Total budget")), sheet.formula(1, f"={ref}!P{total_row + 1}", book.money, result.total))
        yield lambda: (label(_("Employed")), sheet.number(1, coverage.employed, book.count))
        for text, value in ((_("Covered before"), coverage.covered_before), (_("Covered after"), coverage.covered_after)):
            yield lambda text=text, value=value: (
                label(text), sheet.number(1, value, book.count),
                sheet.formula(2, f"=B{sheet.row + 1}/{employed_cell}", book.ratio, float(coverage.rate(value)), shown="100.00%"))
        if result.relief:
            yield lambda: (label(_("Temporary reliefs")), sheet.number(1, result.relief, book.money))
        if result.worker_paid:
            yield lambda: (label(_("Workers' own share")), sheet.number(1, result.worker_paid, book.money),
                           sheet.cells.write_string(sheet.row, 2, _("JHT/JP deducted from wages, outside the budget"), book.after_figure))

    def programs() -> Iterable[Any]:
        yield lambda: label(_("By program"), right)
        yield lambda: _head(sheet, right, [_("Program"), _("Amount (Rp)")])
        first = facts_row + 3  # the first program's row, 1-based
        shown = [(program, amount) for program, amount in result.by_program.items() if amount]
        for program, amount in shown:
            yield lambda program=program, amount=amount: (sheet.text(right, program.upper()), sheet.number(right + 1, amount, book.money))
        yield lambda: (sheet.text(right, _("Total"), book.total_label),
                       sheet.formula(right + 1, f"=SUM({col(right + 1)}{first}:{col(right + 1)}{first + len(shown) - 1})", book.money_total, result.total))

    _band(sheet, list(facts()), list(programs()))
    sheet.row += 1

    ids = f"{ref}!$B$2:$B${total_row}"
    sums = f"{ref}!$P$2:$P${total_row}"

    def funding() -> Iterable[Any]:
        yield lambda: label(_("Funding schemes"))
        yield lambda: _head(sheet, 0, [_("Funding"), _("Name"), _("Kind"), _("Amount (Rp)"), _("Ceiling (Rp)"), _("Left (Rp)"), _("Status")])
        for key, item in result.by_funding.items():
            yield lambda key=key, item=item: _funding_row(sheet, key, item, ids, sums)

    month_first = sheet.row + 2  # 0-based row of January: below the label and the header
    letter = {name: col(right + offset) for offset, name in enumerate(("month", "amount", "covered", "coverage"))}

    def months() -> Iterable[Any]:
        yield lambda: label(_("By month"), right)
        yield lambda: _head(sheet, right, [_("Month"), _("Amount (Rp)"), _("Covered"), _("Coverage")])
        for offset, (amount, active) in enumerate(zip(result.by_month, coverage.active_by_month)):
            yield lambda offset=offset, amount=amount, active=active: (
                sheet.text(right, fmt.month_name(result.months[offset])),
                sheet.formula(right + 1, f"={ref}!{col(3 + offset)}{total_row + 1}", book.money, amount),
                sheet.number(right + 2, active, book.count),
                sheet.formula(right + 3, f"={letter['covered']}{sheet.row + 1}/{employed_cell}", book.ratio,
                              float(coverage.rate(active)), shown="100.00%"))
        yield lambda: (sheet.text(right, _("Total"), book.total_label),
                       sheet.formula(right + 1, f"=SUM({letter['amount']}{month_first + 1}:{letter['amount']}{month_first + 12})",
                                     book.money_total, result.total))

    _band(sheet, list(funding()), list(months()))
    if result.diagnostics:  # the full lines, with file:line and codes, are on the Notes sheet
        warnings = sum(1 for item in result.diagnostics if item.severity == "warning")
        _note(sheet, _("{warnings} warning(s) and {notes} note(s): see the {sheet} sheet").format(
            warnings=warnings, notes=len(result.diagnostics) - warnings, sheet=sheet_names()["notes"]))
    sheet.row += 1
    _chart(sheet, month_first, month_first + 11, sheet.row)
    sheet.row += CHART_ROWS
    if scenario.signatures:
        sheet.row += 1
        write_signatures(sheet, scenario.signatures)
    caps = {0: 24, 1: NAME_WIDTH, 2: 10}  # narrow columns print larger: the title overflows into the empty cells beside it
    for column, width in sheet.widths.items():
        sheet.sheet.set_column(column, column, min(width, caps.get(column, 17)))
    sheet.sheet.set_column(SUMMARY_COLUMNS, SUMMARY_COLUMNS, 2)  # the gap between the blocks
    sheet.sheet.set_landscape()
    sheet.sheet.set_paper(9)
    sheet.sheet.fit_to_pages(1, 1)  # one A4 landscape page for the DPRD
    sheet.sheet.print_area(0, 0, sheet.row, right + 3)


def _band(sheet: Sheet, left: list[Any], right: list[Any]) -> None:
    """Two blocks side by side, written row by row (the workbook streams rows in order)."""
    for index in range(max(len(left), len(right))):
        for block in (left, right):
            if index < len(block):
                block[index]()
        sheet.row += 1


def _head(sheet: Sheet, first: int, names: list[str]) -> None:
    for offset, name in enumerate(names):
        sheet.text(first + offset, name, sheet.book.head)


def _funding_row(sheet: Sheet, key: str, item: Any, ids: str, sums: str) -> None:
    book, row, ceiling = sheet.book, sheet.row + 1, item.scheme.ceiling
    sheet.text(0, key)
    name = item.scheme.name
    if len(name) + 2 > NAME_WIDTH:  # wrapped in its cell, the row made tall enough: printed, it never runs under the next column
        sheet.text(1, name, book.workbook.add_format({"text_wrap": True}))
        sheet.cells.set_row(sheet.row, 15 * -(-(len(name) + 2) // NAME_WIDTH))
    else:
        sheet.text(1, name)
    sheet.text(2, item.scheme.kind)
    sheet.formula(3, f"=SUMIF({ids},A{row},{sums})", book.money, item.amount)
    if ceiling is not None:
        sheet.number(4, ceiling, book.money)
        sheet.formula(5, f"=E{row}-D{row}", book.money, item.left)
        over, ok = _("OVER"), _("ok")
        sheet.formula(6, f'=IF(D{row}>E{row},"{over}","{ok}")', book.over if item.over else book.after_figure, status_text(item.over, ceiling),
                      shown=max(over, ok, key=len))


def write_signatures(sheet: Sheet, signatures: Iterable[Any]) -> None:
    """The scenario's `signatures:` side by side, as a budget document is signed: `place, date`,
    the title, room to sign, the name (bold, underlined) and `NIP. ...`, one signer every three columns."""
    signatures = list(signatures)
    book = sheet.book
    name_style = book.workbook.add_format({"bold": True, "underline": 1})
    from ucj_cli.render.rka import signature_columns

    for number, texts in enumerate(signature_columns(signatures)):
        for index, text in enumerate(texts):
            if text:
                sheet.cells.write_string(sheet.row, 1 + 3 * index, text, name_style if number == 5 else book.bold if number == 1 else book.plain)
        sheet.row += 1


SUMMARY_COLUMNS = 7  # A..G: the widest left-hand table (funding schemes)
RIGHT_COLUMN = SUMMARY_COLUMNS + 1  # I: the right-hand tables (by program, by month), after a narrow gap
CHART_ROWS = 18  # rows the chart covers below the tables
NAME_WIDTH = 34  # the Summary's column B (names): a longer funding scheme's name wraps


def _note(sheet: Sheet, text: str) -> None:
    """A long note in one merged cell across the Summary's width (B..G), wrapped, its row made tall
    enough, so it neither widens a column nor runs under the chart."""
    wrap = sheet.book.workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet.merge(1, SUMMARY_COLUMNS - 1, text, wrap)
    sheet.cells.set_row(sheet.row, 15 * max(1, -(-len(text) // 110)))
    sheet.row += 1


def _chart(sheet: Sheet, first: int, last: int, at: int) -> None:
    """A native chart of the monthly budget (columns) and coverage (a line on the second axis)."""
    chart = sheet.book.workbook.add_chart({"type": "column"})
    name = quoted(sheet.name)
    month, amount, share = (col(RIGHT_COLUMN + offset) for offset in (0, 1, 3))
    chart.add_series({"name": _("Amount (Rp)"), "categories": f"={name}!${month}${first + 1}:${month}${last + 1}",
                      "values": f"={name}!${amount}${first + 1}:${amount}${last + 1}", "fill": {"color": "#5B9BD5"}})
    line = sheet.book.workbook.add_chart({"type": "line"})
    line.add_series({"name": _("Coverage"), "categories": f"={name}!${month}${first + 1}:${month}${last + 1}",
                     "values": f"={name}!${share}${first + 1}:${share}${last + 1}", "y2_axis": True, "marker": {"type": "circle"}})
    chart.combine(line)
    chart.set_title({"name": _("Budget and coverage by month")})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"num_format": "#,##0", "min": 0})
    line.set_y2_axis({"num_format": "0%", "min": 0})  # coverage from 0: no exaggerated rise
    sheet.sheet.insert_chart(at, 0, chart, {"x_scale": 1.6, "y_scale": 1.2})  # below the tables, never beside them


def _compare_chart(sheet: Sheet, first: int, last: int, base: str, other: str, view: str) -> None:
    """A native chart of the comparison: base against other, a pair of columns per line (cohort,
    scheme, program or month), read from the sheet's own cells (rows `first`..`last`, 1-based)."""
    chart = sheet.book.workbook.add_chart({"type": "column"})
    name = quoted(sheet.name)
    categories = f"={name}!$A${first}:$A${last}"
    chart.add_series({"name": base, "categories": categories, "values": f"={name}!$D${first}:$D${last}", "fill": {"color": "#A5A5A5"}})
    chart.add_series({"name": other, "categories": categories, "values": f"={name}!$E${first}:$E${last}", "fill": {"color": "#5B9BD5"}})
    chart.set_title({"name": _("Base and other by {view}").format(view=view.lower())})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"num_format": "#,##0"})
    sheet.sheet.insert_chart(last + 2, 0, chart, {"x_scale": 1.6, "y_scale": 1.2})


def _write_rules(sheet: Sheet, result: Result) -> None:
    """Every rule the figures rest on: name, value, effective date, reference, verified or not, and
    whether the scenario changed it (overridden, assumed, projected) or it is carried forward."""
    book = sheet.book
    sheet.header([_("Rule"), _("Value"), _("Effective"), _("Reference"), _("Verified"), _("Why unverified"), _("Assumed after"),
                  _("What-if")])
    for rule in rules_used(result):
        sheet.text(0, rule.name)
        sheet.text(1, fmt.rule_value(rule.unit, rule.value))
        sheet.text(2, rule.effective_label)
        sheet.text(3, local(rule.reference))
        sheet.text(4, _("no") if rule.unverified else _("yes"), book.warn if rule.unverified else book.plain)
        if rule.unverified:
            sheet.text(5, local(rule.unverified))
        if rule.assumed:
            sheet.text(6, month_label(rule.known_through))
        if rule.what_if:
            sheet.text(7, origin_text(rule), book.warn)
        sheet.row += 1
    sheet.finish(0, 8, sheet.row - 1)


# --- comparison ---

def comparison_workbook(comparison: Any) -> bytes:
    """The side-by-side table (difference and % as formulas) and, by cohort, the causes."""
    from ucj_cli.engine.compare import CAUSES
    from ucj_cli.render.comparison import KINDS, cause_label, headers, key_label, side_line, status_label, view_label

    with Book() as book:
        sheet = Sheet(book, _("Comparison"))
        sheet.text(0, side_line(_("Base"), comparison.base, comparison))
        sheet.row += 1
        sheet.text(0, side_line(_("Other"), comparison.other, comparison))
        sheet.row += 2
        sheet.widths.clear()  # the two long lines above may overflow; fit the table
        names = headers(comparison)
        header_row = sheet.row
        sheet.header(names)
        first = sheet.row + 1
        cohort_view = comparison.by == "cohort"
        causes_at = 8  # the first cause's column: key, workers both sides, amounts both sides, difference, %, status
        for line in comparison.lines:
            row = sheet.row + 1
            sheet.text(0, key_label(comparison, line.key))
            sheet.number(1, line.workers_base, book.count)
            sheet.number(2, line.workers_other, book.count)
            sheet.number(3, line.base, book.money)
            sheet.number(4, line.other, book.money)
            sheet.formula(5, f"=E{row}-D{row}", book.money, line.diff)
            if line.pct is not None:
                sheet.formula(6, f"=F{row}/D{row}", book.ratio, float(line.pct / 100), shown="100.00%")
            sheet.text(7, status_label(line.status), book.after_figure)
            if cohort_view and line.causes:
                for offset, cause in enumerate(CAUSES):
                    sheet.number(causes_at + offset, line.causes[cause], book.money)
            sheet.row += 1
        last = sheet.row
        total = comparison.total
        sheet.text(0, _("Total"), book.total_label)
        summed = comparison.by in ("cohort", "funding")  # a cohort is one line, in one scheme; months and programs count people again
        for column, value in ((1, total.workers_base), (2, total.workers_other)):
            if summed:
                sheet.formula(column, f"=SUM({col(column)}{first}:{col(column)}{last})", book.count_total, value)
            else:
                sheet.number(column, value, book.count_total)
        for column, value in ((3, total.base), (4, total.other), (5, total.diff)):
            letter = col(column)
            sheet.formula(column, f"=SUM({letter}{first}:{letter}{last})", book.money_total, value)
        if total.pct is not None:
            sheet.formula(6, f"=F{last + 1}/D{last + 1}", book.ratio, float(total.pct / 100), shown="100.00%")
        if cohort_view:
            for offset, cause in enumerate(CAUSES):
                letter = col(causes_at + offset)
                sheet.formula(causes_at + offset, f"=SUM({letter}{first}:{letter}{last})", book.money_total, comparison.causes[cause])
        sheet.row += 1
        sheet.finish(header_row, len(names), last - 1, freeze_columns=1)
        if comparison.lines:
            _compare_chart(sheet, first, last, names[3], names[4], view_label(comparison.by))

        if comparison.causes is not None:
            causes = Sheet(book, _("Causes"))
            causes.header([_("Cause"), _("Amount (Rp)")])
            for kind in KINDS:
                causes.text(0, cause_label(kind))
                causes.number(1, comparison.causes[kind], book.money)
                causes.row += 1
            causes.text(0, _("Difference"), book.total_label)
            causes.formula(1, f"=SUM(B2:B{causes.row})", book.money_total, total.diff)
            causes.row += 1
            causes.finish(0, 2, causes.row - 2)
        print_setup(book, comparison.other.scenario)  # the header names the scenario being proposed
        return book.bytes()
