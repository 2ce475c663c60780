"""The road as an xlsx workbook (`ucj path --format xlsx`), with the simulate workbook's machinery
(`render/xlsx.py`: one Book, fixed created date, live formulas stored with ucj's cached values).

Sheets: "Path" (years as columns: employed, target, participants needed, insured in December as a
formula over the lines, coverage, cost and each scheme's cost as SUMIFs over the lines, cumulative
cost, met or the shortfall; a chart of coverage against the target with the cost a year),
"Lines" (one row per year and cohort: workers, income, months, per worker, amount = per worker x
workers), "Assumptions" (every input with its source) and, with `--sensitivity`, "Sensitivity".
A planner can change a cohort's workers on "Lines" and the year's cost, coverage and the road's
total follow; a reader that does not recalculate still shows ucj's figures."""

from __future__ import annotations

from typing import Any

from ucj_cli.engine.path import Path
from ucj_cli.i18n import _
from ucj_cli.render.path import _state, assumption_rows, sensitivity_rows
from ucj_cli.render.xlsx import Book, Sheet, col, quoted

# "Lines" columns
YEAR, COHORT, FUNDING, WORKERS, CARRIED, INCOME, MONTHS, PER_WORKER, AMOUNT, DECEMBER, DECEMBER_WORKERS = range(11)


def sheet_names() -> dict[str, str]:
    return {"path": _("Path"), "lines": _("Lines"), "assumptions": _("Assumptions"), "sensitivity": _("Sensitivity")}


def path_workbook(path: Path) -> bytes:
    book = Book()
    names = sheet_names()
    road = Sheet(book, names["path"])
    lines = Sheet(book, names["lines"])
    assumptions = Sheet(book, names["assumptions"])
    last_line = _write_lines(lines, path)
    _write_path(road, path, names["lines"], last_line)
    headers, rows = assumption_rows(path)
    _write_table(assumptions, headers, rows)
    if path.sensitivity is not None:
        headers, rows = sensitivity_rows(path)
        _write_table(Sheet(book, names["sensitivity"]), headers, rows)
    return book.bytes()


def _write_lines(sheet: Sheet, path: Path) -> int:
    """One row per year and cohort; returns the last row (1-based, for the SUMIF ranges)."""
    book = sheet.book
    sheet.header([_("Year"), _("Cohort"), _("Funding"), _("Workers"), _("Carried in"), _("Income (Rp)"), _("Months"),
                  _("Per worker (Rp)"), _("Amount (Rp)"), _("Covered in December"), _("Insured in December")])
    for year in path.years:
        for item in year.cohorts:
            row = sheet.row + 1  # 1-based, for formulas
            in_december = 1 if item.cohort.end == 12 else 0
            sheet.number(YEAR, year.year, book.plain)
            sheet.text(COHORT, item.cohort.name)
            sheet.text(FUNDING, item.cohort.funding)
            sheet.number(WORKERS, item.workers, book.count)
            sheet.number(CARRIED, item.carried, book.count)
            sheet.number(INCOME, item.cohort.income, book.money)
            sheet.number(MONTHS, item.cohort.months, book.plain)
            sheet.number(PER_WORKER, item.per_person, book.money)
            sheet.formula(AMOUNT, f"={col(PER_WORKER)}{row}*{col(WORKERS)}{row}", book.money, item.amount)
            sheet.number(DECEMBER, in_december, book.plain)
            sheet.formula(DECEMBER_WORKERS, f"={col(WORKERS)}{row}*{col(DECEMBER)}{row}", book.count, item.workers * in_december)
            sheet.row += 1
    last = sheet.row
    sheet.finish(0, DECEMBER_WORKERS + 1, last - 1)
    return last


def _write_path(sheet: Sheet, path: Path, lines_name: str, last: int) -> None:
    """Years as columns; each figure a formula over "Lines" where it is a sum, cached with the road's own."""
    book = sheet.book
    lines = quoted(lines_name)
    years = path.years
    columns = [col(1 + index) for index in range(len(years))]

    def over(column: int, year_cell: str) -> str:
        return f"SUMIF({lines}!${col(YEAR)}$2:${col(YEAR)}${last},{year_cell},{lines}!${col(column)}$2:${col(column)}${last})"

    sheet.text(0, _("Year"), book.head)
    for index, year in enumerate(years):
        sheet.number(1 + index, year.year, book.head)
    sheet.text(1 + len(years), _("Total"), book.head)
    sheet.row += 1
    rows: dict[str, int] = {}

    def label(key: str, text: str, style: Any = None) -> None:
        rows[key] = sheet.row + 1
        sheet.text(0, text, style or book.bold)

    def figures(key: str, text: str, values: list[Any], style: Any) -> None:
        """A row of one figure a year (none where a year has none)."""
        label(key, text)
        for index, value in enumerate(values):
            if value is not None:
                sheet.number(1 + index, value, style)
        sheet.row += 1

    figures("employed", _("Employed"), [year.employed for year in years], book.count)
    figures("outside", _("Covered outside the budget"), [year.covered_outside for year in years], book.count)
    figures("target", _("Target"), [None if year.target is None else float(year.target) for year in years], book.ratio)
    figures("needed", _("Needed"), [year.required for year in years], book.count)
    label("december", _("Insured in December"))
    for index, year in enumerate(years):
        cell = f"{columns[index]}$1"
        sheet.formula(1 + index, f"={columns[index]}{rows['outside']}+{over(DECEMBER_WORKERS, cell)}", book.count, year.covered_december)
    sheet.row += 1
    label("coverage", _("Coverage"))
    for index, year in enumerate(years):
        sheet.formula(1 + index, f"={columns[index]}{rows['december']}/{columns[index]}{rows['employed']}", book.ratio,
                      float(year.coverage), "00.00%")
    sheet.row += 1
    figures("new", _("New"), [year.new for year in years], book.count)
    label("cost", _("Cost (Rp)"))
    for index, year in enumerate(years):
        sheet.formula(1 + index, f"={over(AMOUNT, f'{columns[index]}$1')}", book.money, year.total)
    end = col(len(years))
    sheet.formula(1 + len(years), f"=SUM(B{rows['cost']}:{end}{rows['cost']})", book.money_total, path.total)
    sheet.row += 1
    label("cumulative", _("Cumulative cost (Rp)"))
    running = 0
    for index, year in enumerate(years):
        running += year.total
        before = f"+{columns[index - 1]}{rows['cumulative']}" if index else ""
        sheet.formula(1 + index, f"={columns[index]}{rows['cost']}{before}", book.money, running)
    sheet.row += 1
    for key in path.scenario.funding:
        label(f"scheme:{key}", _("{scheme} (Rp)").format(scheme=key), book.plain)
        for index, year in enumerate(years):
            year_cell = f"{columns[index]}$1"
            formula = (f"=SUMIFS({lines}!${col(AMOUNT)}$2:${col(AMOUNT)}${last},{lines}!${col(YEAR)}$2:${col(YEAR)}${last},{year_cell},"
                       f"{lines}!${col(FUNDING)}$2:${col(FUNDING)}${last},$A$0)")
            formula = formula.replace("$A$0", f'"{key}"')
            sheet.formula(1 + index, formula, book.money, year.schemes[key].amount)
        sheet.row += 1
        if all(year.schemes[key].ceiling is None for year in years):
            continue
        label(f"ceiling:{key}", _("{scheme} ceiling (Rp)").format(scheme=key), book.plain)
        for index, year in enumerate(years):
            if year.schemes[key].ceiling is not None:
                sheet.number(1 + index, year.schemes[key].ceiling, book.money)
        sheet.row += 1
    label("met", _("Target met"))
    for index, year in enumerate(years):
        sheet.text(1 + index, _state(year))
    sheet.row += 1
    _chart(sheet, path, rows)
    sheet.finish(0, len(years) + 2, None, 1)


def _chart(sheet: Sheet, path: Path, rows: dict[str, int]) -> None:
    """Coverage against the target (lines, left axis) and the cost a year (columns, right axis)."""
    book = sheet.book
    name = sheet.name
    count = len(path.years)
    cost = book.workbook.add_chart({"type": "column"})
    cost.add_series({"name": _("Cost (Rp)"), "categories": [name, 0, 1, 0, count], "values": [name, rows["cost"] - 1, 1, rows["cost"] - 1, count],
                     "y2_axis": True, "fill": {"color": "#BDD7EE"}})
    lines = book.workbook.add_chart({"type": "line"})
    lines.add_series({"name": _("Coverage"), "categories": [name, 0, 1, 0, count],
                      "values": [name, rows["coverage"] - 1, 1, rows["coverage"] - 1, count], "marker": {"type": "circle"}})
    if any(year.target is not None for year in path.years):
        lines.add_series({"name": _("Target"), "categories": [name, 0, 1, 0, count],
                          "values": [name, rows["target"] - 1, 1, rows["target"] - 1, count], "line": {"dash_type": "dash"}})
    lines.combine(cost)
    lines.set_title({"name": _("Coverage in December against the target, and the cost a year")})
    lines.set_y_axis({"num_format": "0%"})
    cost.set_y2_axis({"num_format": "#,##0"})
    sheet.sheet.insert_chart(sheet.row + 1, 0, lines, {"x_scale": 1.6, "y_scale": 1.3})


def _write_table(sheet: Sheet, headers: list[str], rows: list[list[str]]) -> None:
    sheet.header(headers)
    for row in rows:
        for column, value in enumerate(row):
            sheet.text(column, value)
        sheet.row += 1
    sheet.finish(0, len(headers), sheet.row - 1)
