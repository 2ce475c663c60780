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
from typing import Any, Iterable

from ucj_cli.engine.pricing import Result
from ucj_cli.errors import Mark, UcjError, diagnostic
from ucj_cli.i18n.messages import Count
from ucj_cli.i18n import _
from ucj_cli.i18n import format as fmt
from ucj_cli.period import month_label
from ucj_cli.i18n.format import FORMULA_START
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


def excel_month(month: int) -> int:
    """The first day of a month index (year * 12 + month - 1) as an Excel date serial, so a month
    is a real date in the workbook (sorted and filtered as one), shown `yyyy-mm`."""
    first = dt.date(month // 12, month % 12 + 1, 1)
    return (first - dt.date(1899, 12, 30)).days


def col(index: int) -> str:
    """0 -> A, 26 -> AA."""
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(index)


def quoted(name: str) -> str:
    """A sheet name inside a formula."""
    return "'" + name.replace("'", "''") + "'"


def _worksheet_class() -> type:
    """XlsxWriter's worksheet, minus a cost: before storing a formula it tries some 30 regular
    expressions that rename newer Excel functions. ucj's formulas use only SUM, SUMIF and IF (and
    mostly none: `=J2*K2`), so those are stored as written; anything else goes the usual way."""
    import re

    from xlsxwriter.worksheet import Worksheet

    functions = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")
    plain = {"SUM", "SUMIF", "IF"}

    class PlainFormulaWorksheet(Worksheet):
        def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
            if formula.startswith("=") and set(functions.findall(formula)) <= plain:
                return formula[1:]
            return super()._prepare_formula(formula, expand_future_functions)

    return PlainFormulaWorksheet


def _digits_width(value: int | float) -> int:
    """The width of a whole number with thousands separators, plus room for the currency sign."""
    digits = len(str(abs(int(value))))
    return digits + (digits - 1) // 3 + 5


class Sheet:
    """A worksheet written row by row (XlsxWriter's constant-memory mode needs that order), keeping
    the widest text per column so the widths fit the content."""

    def __init__(self, book: "Book", name: str) -> None:
        self.book = book
        self.sheet = book.workbook.add_worksheet(name, worksheet_class=book.worksheet_class)
        self.name = name
        self.row = 0
        self.widths: dict[int, int] = {}

    def _fit(self, column: int, text: str) -> None:
        self._width(column, len(text) + 2)

    def _width(self, column: int, width: int) -> None:
        if width > self.widths.get(column, 0):
            self.widths[column] = min(MAX_WIDTH, width)

    def text(self, column: int, value: str, style: Any = None) -> None:
        style = style or self.book.plain
        if value.startswith(FORMULA_START):
            style = self.book.quoted_style(style)
        self.sheet.write_string(self.row, column, value, style)
        self._fit(column, value)

    def number(self, column: int, value: int | float, style: Any, shown: str | None = None) -> None:
        self.sheet.write_number(self.row, column, value, style)
        self._width(column, len(shown) + 2 if shown is not None else _digits_width(value))

    def formula(self, column: int, formula: str, style: Any, value: Any, shown: str | None = None) -> None:
        self.sheet.write_formula(self.row, column, formula, style, value)
        self._width(column, len(shown) + 2 if shown is not None else _digits_width(value))

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
        self.worksheet_class = _worksheet_class()
        self.tmpdir = private_tempdir()  # XlsxWriter's row and package files: removed however the run ends
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
        self.over = add({"bold": True, "font_color": "#C00000"})
        self._quoted: dict[int, Any] = {}

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
        from xlsxwriter.exceptions import FileCreateError

        from ucj_cli.output import remove_tempdir, write_error

        try:
            self.workbook.close()
        except FileCreateError as exc:  # the temporary folder is full or gone: named, not `<stdout>`
            error = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
            raise write_error(self.tmpdir, error) from None
        except OSError as exc:
            raise write_error(self.tmpdir, exc) from None
        finally:
            remove_tempdir(self.tmpdir)
        return self.out.getvalue()


def sheet_names() -> dict[str, str]:
    return {"summary": _("Summary"), "months": _("By month"), "lines": _("Lines"), "rules": _("Rules"), "rka": "RKA"}


def simulation_workbook(result: Result, places: tuple[str, Iterable[Any]] | None = None) -> bytes:
    """Sheets Summary, By month, Lines, Rules and RKA (see the module docstring; RKA: SIPD's form,
    report_rka.py); with `places` (`--by`: "district" or "village" and its lines from
    `places.py`), a last sheet of the budget by place."""
    names = sheet_names()
    _check_rows(result, names, places)
    book = Book()
    total_row = len(result.by_cohort) + 1  # on "By month" (0-based): the header, one row per scenario cohort, then the totals
    summary = Sheet(book, names["summary"])
    months = Sheet(book, names["months"])
    lines = Sheet(book, names["lines"])
    rules = Sheet(book, names["rules"])
    rka = Sheet(book, names["rka"])
    by_place = Sheet(book, _("By district") if places[0] == "district" else _("By village")) if places is not None else None

    spans = _write_lines(lines, result, names["months"])
    _write_months(months, result, spans, names["lines"])
    _write_summary(summary, result, names["months"], total_row)
    _write_rules(rules, result)
    from ucj_cli.render.rka import write_sheet
    from ucj_cli.engine.rka import build

    write_sheet(rka, build(result))
    if by_place is not None:
        _write_places(by_place, result, *places)
    return book.bytes()


def _write_places(sheet: Sheet, result: Result, view: str, lines: Iterable[Any]) -> None:
    """The budget by district or village, one row per line as it comes (the workbook is in
    constant-memory mode, so a national sheet of 500,000 villages is flushed row by row): the place,
    its workers, each month's figure from `places.py`, its total as a SUM with the line's amount
    cached; the last row SUMs each column, cached with the budget's own totals."""
    book = sheet.book
    place = [_("District"), _("Villages")] if view == "district" else [_("Cohort"), _("District"), _("Village")]
    first = len(place) + 1  # the first month's column
    sheet.header([*place, _("Workers"), *(fmt.month_abbr(offset) for offset in range(12)), _("Total (Rp)")])
    write_number, write_formula = sheet.sheet.write_number, sheet.sheet.write_formula
    unplaced = _("(not from CSV)")
    first_letter, last_letter = col(first), col(first + 11)
    workers = 0  # the total row's cached count
    for line in lines:
        row = sheet.row
        if row >= MAX_ROWS - 1:  # the count in `_check_rows` was wrong (a CSV file changed since): never a cut sheet
            raise TooManyRows(result, sheet.sheet.name, row + 2)
        if view == "district":
            sheet.text(0, line.district or unplaced)
            write_number(row, 1, line.villages, book.count)
        else:
            sheet.text(0, line.cohort)
            sheet.text(1, line.district)
            sheet.text(2, line.village or unplaced)
        write_number(row, first - 1, line.workers, book.count)
        for offset, amount in enumerate(line.by_month):
            write_number(row, first + offset, amount, book.money)
        write_formula(row, first + 12, f"=SUM({first_letter}{row + 1}:{last_letter}{row + 1})", book.money, line.amount)
        workers += line.workers
        sheet.row += 1
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
    write_string, write_number, write_formula = sheet.sheet.write_string, sheet.sheet.write_number, sheet.sheet.write_formula
    months_ref = quoted(months_sheet)
    described: dict[int, tuple] = {}  # a part's cells, worked out once: parts are shared by cohorts with the same terms
    current: tuple[int, int] | None = None
    cohort_cells: tuple = (None, None, None, None)  # name, its style, the workers formula (None: a number), the cohort
    row = sheet.row
    for line in result.lines():
        part, cohort = line.part, line.cohort
        number = index[id(cohort)]
        key = (number, line.month - base_month)
        if key != current or cohort is not cohort_cells[3]:
            if key != current:
                if current is not None:
                    spans[current] = (spans[current][0], row - 1)
                spans[key] = (row, row)
                current = key
                serial = excel_month(line.month)
            if cohort is not cohort_cells[3]:
                name = cohort.name
                cohort_cells = (name, book.quoted_style(book.plain) if name.startswith(FORMULA_START) else book.plain,
                                f"={months_ref}!$C${number + 2}" if number in linked else None, cohort)
                sheet._fit(0, name)
        cells = described.get(id(part))
        if cells is None:
            cells = described[id(part)] = _part_cells(sheet, part, payers)
        program, payer, base, rate, flat, share = cells
        write_string(row, 0, cohort_cells[0], cohort_cells[1])
        write_number(row, 1, serial, book.month)
        write_string(row, 2, program, book.plain)
        write_string(row, 3, payer, book.plain)
        if base is not None:
            write_number(row, 4, base, book.money)
        if rate is not None:
            write_number(row, 5, rate, book.rate)
        if flat is not None:
            write_number(row, 6, flat, book.money)
        if share is not None:
            write_number(row, 7, share, book.rate)
        write_number(row, PER_PERSON, part.per_person, book.money)
        if cohort_cells[2] is None:
            write_number(row, WORKERS, cohort.workers, book.count)
        else:
            write_formula(row, WORKERS, cohort_cells[2], book.count, cohort.workers)
        write_formula(row, AMOUNT, f"=I{row + 1}*J{row + 1}", book.money, line.amount)
        row += 1
    if current is not None:
        spans[current] = (spans[current][0], row - 1)
    sheet.row = row
    sheet._fit(1, "2025-01")
    sheet._width(WORKERS, _digits_width(max((item.workers for item in result.by_cohort), default=0)))
    sheet._width(AMOUNT, _digits_width(max((item.amount for item in result.by_cohort), default=0)))
    sheet.finish(0, AMOUNT + 1, row - 1)
    return spans


def _part_cells(sheet: Sheet, part: Any, payers: dict[str, str]) -> tuple:
    """A part's cells on the Lines sheet (program, payer, base, rate, flat amount, relief share),
    with the column widths they need."""
    rule = part.rules[-1]
    rate = float(rule.value) if rule.unit == "percent" else None
    flat = rule.value if rule.unit == "currency-IDR" else None
    share = float(part.share) if part.share is not None else None
    cells = (part.program.upper(), payers[part.payer], part.base, rate, flat, share)
    sheet._fit(2, cells[0])
    sheet._fit(3, cells[1])
    for column, value in ((4, part.base), (6, flat), (PER_PERSON, part.per_person)):
        if value is not None:
            sheet._width(column, _digits_width(value))
    if rate is not None:
        sheet._fit(5, fmt.rate(rule.value))
    if share is not None:
        sheet._fit(7, fmt.rate(part.share))
    return cells


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
    """Totals, coverage before/after and by month (with a chart), each funding scheme against its
    ceiling, and the warnings."""
    book, scenario, coverage = sheet.book, result.scenario, result.coverage
    ref = quoted(months_sheet)
    sheet.text(0, scenario.name, book.title)
    sheet.row += 2

    def label(text: str) -> None:
        sheet.text(0, text, book.bold)

    changes = what_if_changes(result.rules)
    if changes:  # a what-if budget says so before anything else
        label(_("WHAT-IF BUDGET"))
        sheet.text(1, _("not the rule book's: {changes}").format(changes=changes))
        sheet.row += 1

    for text, value in ((_("Scenario"), scenario.name), (_("Region"), scenario.region or "")):
        label(text)
        sheet.text(1, value)
        sheet.row += 1
    label(_("Budget year"))
    sheet.number(1, scenario.year, book.plain, shown=str(scenario.year))
    sheet.row += 1
    label(_("Total budget"))
    sheet.formula(1, f"={ref}!P{total_row + 1}", book.money, result.total)
    sheet.row += 1
    employed_cell = f"$B${sheet.row + 1}"
    label(_("Employed"))
    sheet.number(1, coverage.employed, book.count)
    sheet.row += 1
    for text, value in ((_("Covered before"), coverage.covered_before), (_("Covered after"), coverage.covered_after)):
        label(text)
        sheet.number(1, value, book.count)
        sheet.formula(2, f"=B{sheet.row + 1}/{employed_cell}", book.ratio, float(coverage.rate(value)), shown="100.00%")
        sheet.row += 1
    if result.relief:
        label(_("Temporary reliefs"))
        sheet.number(1, result.relief, book.money)
        sheet.row += 1
    if result.worker_paid:
        label(_("Workers' own share"))
        sheet.number(1, result.worker_paid, book.money)
        sheet.text(2, _("JHT/JP deducted from wages, outside the budget"))
        sheet.row += 1

    sheet.row += 1
    label(_("Funding schemes"))
    sheet.row += 1
    sheet.header([_("Funding"), _("Name"), _("Kind"), _("Amount (Rp)"), _("Ceiling (Rp)"), _("Left (Rp)"), _("Status")])
    ids = f"{ref}!$B$2:$B${total_row}"
    sums = f"{ref}!$P$2:$P${total_row}"
    for key, item in result.by_funding.items():
        row = sheet.row + 1
        ceiling = item.scheme.ceiling
        sheet.text(0, key)
        sheet.text(1, item.scheme.name)
        sheet.text(2, item.scheme.kind)
        sheet.formula(3, f"=SUMIF({ids},A{row},{sums})", book.money, item.amount)
        if ceiling is not None:
            sheet.number(4, ceiling, book.money)
            sheet.formula(5, f"=E{row}-D{row}", book.money, item.left)
            over, ok = _("OVER"), _("ok")
            sheet.formula(6, f'=IF(D{row}>E{row},"{over}","{ok}")', book.over if item.over else book.plain, status_text(item.over, ceiling),
                          shown=max(over, ok, key=len))
        sheet.row += 1

    sheet.row += 1
    label(_("By month"))
    sheet.row += 1
    sheet.header([_("Month"), _("Amount (Rp)"), _("Covered"), _("Coverage")])
    table_first = sheet.row
    for offset, (amount, active) in enumerate(zip(result.by_month, coverage.active_by_month)):
        row = sheet.row + 1
        sheet.text(0, fmt.month_name(result.months[offset]))
        sheet.formula(1, f"={ref}!{col(3 + offset)}{total_row + 1}", book.money, amount)
        sheet.number(2, active, book.count)
        sheet.formula(3, f"=C{row}/{employed_cell}", book.ratio, float(coverage.rate(active)), shown="100.00%")
        sheet.row += 1
    table_last = sheet.row - 1
    sheet.text(0, _("Total"), book.total_label)
    sheet.formula(1, f"=SUM(B{table_first + 1}:B{table_last + 1})", book.money_total, result.total)
    sheet.row += 1
    _chart(sheet, table_first, table_last)

    if result.diagnostics:
        sheet.row += 1
        label(_("Warnings and notes"))
        sheet.row += 1
        for item in result.diagnostics:
            sheet.sheet.write_string(sheet.row, 0, str(item), book.warn if item.severity != "note" else book.plain)
            sheet.row += 1
    for column, width in sheet.widths.items():
        sheet.sheet.set_column(column, column, min(width, 40) if column == 0 else width)
    sheet.sheet.set_landscape()
    sheet.sheet.set_paper(9)
    sheet.sheet.fit_to_pages(1, 0)


def _chart(sheet: Sheet, first: int, last: int) -> None:
    """A native chart of the monthly budget (columns) and coverage (a line on the second axis)."""
    chart = sheet.book.workbook.add_chart({"type": "column"})
    name = quoted(sheet.name)
    chart.add_series({"name": _("Amount (Rp)"), "categories": f"={name}!$A${first + 1}:$A${last + 1}",
                      "values": f"={name}!$B${first + 1}:$B${last + 1}", "fill": {"color": "#5B9BD5"}})
    line = sheet.book.workbook.add_chart({"type": "line"})
    line.add_series({"name": _("Coverage"), "categories": f"={name}!$A${first + 1}:$A${last + 1}",
                     "values": f"={name}!$D${first + 1}:$D${last + 1}", "y2_axis": True, "marker": {"type": "circle"}})
    chart.combine(line)
    chart.set_title({"name": _("Budget and coverage by month")})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"num_format": "#,##0"})
    line.set_y2_axis({"num_format": "0%"})
    sheet.sheet.insert_chart(first - 1, 5, chart, {"x_scale": 1.5, "y_scale": 1.2})


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
        sheet.text(3, rule.reference)
        sheet.text(4, _("no") if rule.unverified else _("yes"), book.warn if rule.unverified else book.plain)
        if rule.unverified:
            sheet.text(5, rule.unverified)
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
    from ucj_cli.render.comparison import KINDS, cause_label, headers, key_label, side_line, status_label

    book = Book()
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
    for line in comparison.lines:
        row = sheet.row + 1
        sheet.text(0, key_label(comparison, line.key))
        sheet.number(1, line.base, book.money)
        sheet.number(2, line.other, book.money)
        sheet.formula(3, f"=C{row}-B{row}", book.money, line.diff)
        if line.pct is not None:
            sheet.formula(4, f"=D{row}/B{row}", book.ratio, float(line.pct / 100), shown="100.00%")
        sheet.text(5, status_label(line.status))
        if cohort_view and line.causes:
            for offset, cause in enumerate(CAUSES):
                sheet.number(6 + offset, line.causes[cause], book.money)
        sheet.row += 1
    last = sheet.row
    total = comparison.total
    sheet.text(0, _("Total"), book.total_label)
    for column, value in ((1, total.base), (2, total.other), (3, total.diff)):
        letter = col(column)
        sheet.formula(column, f"=SUM({letter}{first}:{letter}{last})", book.money_total, value)
    if total.pct is not None:
        sheet.formula(4, f"=D{last + 1}/B{last + 1}", book.ratio, float(total.pct / 100), shown="100.00%")
    if cohort_view:
        for offset, cause in enumerate(CAUSES):
            letter = col(6 + offset)
            sheet.formula(6 + offset, f"=SUM({letter}{first}:{letter}{last})", book.money_total, comparison.causes[cause])
    sheet.row += 1
    sheet.finish(header_row, len(names), last - 1, freeze_columns=1)

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
    return book.bytes()
