"""Renderers for the budget by place (`ucj simulate --by district|village`), result kind "places"
of the registry: table, csv, json, markdown; xlsx is the whole workbook with a last sheet by place
(`render.xlsx.simulation_workbook`).

All but xlsx take a `stream` and write to it as they go, so a national per-village CSV (500,000
lines) is never held whole; every figure is read from `places` (computed from the engine's result),
none computed here.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable, TextIO

from ucj_cli.engine.pricing import Result
from ucj_cli.i18n.format import csv_text
from ucj_cli.render import csvout
from ucj_cli.render.csvout import field
from ucj_cli.period import month_label
from ucj_cli.engine.places import ByPlace

TABLE_ROWS = 5_000  # a terminal table longer than this helps no one: use csv or json


def to_csv(places: ByPlace, stream: TextIO) -> None:
    _csv(places.view, [month_label(month) for month in places.result.months], places.lines, stream)


def to_json(places: ByPlace, stream: TextIO) -> None:
    _json(places.result, places.view, [month_label(month) for month in places.result.months], places.lines, stream)


def to_markdown(places: ByPlace, stream: TextIO) -> None:
    _markdown(places.result, places.view, places.lines, stream)


def to_table(places: ByPlace, stream: TextIO | None = None, console: Any = None, width: int = 200) -> None:
    """The table on `console` (a terminal's), else as plain text `width` wide on `stream`."""
    if console is None:
        from rich.console import Console

        console = Console(file=stream, width=width, color_system=None, force_terminal=False, highlight=False)
    table(places.result, places.view, places.lines, console)


def to_xlsx(places: ByPlace) -> bytes:
    """The whole simulation workbook, with a last sheet by place."""
    from ucj_cli.render.xlsx import simulation_workbook

    return simulation_workbook(places.result, (places.view, places.lines))


def _key(view: str) -> tuple[str, ...]:
    return ("district", "villages") if view == "district" else ("cohort", "district", "village", "code")


def _csv(view: str, months: list[str], lines: Iterable[Any], stream: TextIO) -> None:
    writer = csvout.writer(stream)
    writer.writerow((*_key(view), "workers", *months, "amount"))
    if view == "district":
        writer.writerows((csv_text(line.district), line.villages, line.workers, *line.by_month, line.amount) for line in lines)
        return
    # Half a million lines: the twelve figures of a (cohort, workers) pair are the same in every
    # village that has them, so they are turned into text once; names are quoted as csv would.
    # A cohort and its district stay the same over many lines: quoted again only when they change.
    write_line, tails, cohort, district, head = stream.write, {}, None, None, ""
    for line in lines:
        tail = tails.get(line.by_month)
        if tail is None:
            tail = tails[line.by_month] = ",".join(map(str, (*line.by_month, line.amount)))
        if line.district != district or line.cohort != cohort:
            cohort, district = line.cohort, line.district
            head = f"{field(cohort)},{field(district)}"
        write_line(f"{head},{field(line.village)},{field(line.code)},{line.workers},{tail}\n")


def _json(result: Result, view: str, months: list[str], lines: Iterable[Any], stream: TextIO) -> None:
    """The head, then one line per place as it comes, then the tail: valid JSON, never held whole."""
    scenario = result.scenario
    head = {"scenario": scenario.name, "region": scenario.region, "year": scenario.year, "total": result.total, "by": view, "months": months}
    text = json.dumps(head, ensure_ascii=False, indent=2)
    stream.write(text[:-2] + f',\n  "{view}s": [')
    separator = "\n    "
    for line in lines:
        if view == "district":
            item = {"district": line.district or None, "villages": line.villages, "workers": line.workers,
                    "by_month": list(line.by_month), "amount": line.amount}
        else:
            item = {"cohort": line.cohort, "district": line.district or None, "village": line.village or None,
                    "code": line.code or None, "workers": line.workers, "by_month": list(line.by_month), "amount": line.amount}
        stream.write(separator + json.dumps(item, ensure_ascii=False))
        separator = ",\n    "
    stream.write("\n  ]\n}\n")


def title(view: str) -> str:
    from ucj_cli.i18n import _

    return _("Budget by district (Rp)") if view == "district" else _("Budget by village (Rp)")


def headers(view: str) -> list[str]:
    """The columns of the table and markdown: the place, then workers, the twelve months, the total."""
    from ucj_cli.i18n import _, format as fmt

    place = [_("District"), _("Villages")] if view == "district" else [_("Village"), _("Code"), _("District"), _("Cohort")]
    return [*place, _("Workers"), *(fmt.month_abbr(offset) for offset in range(12)), _("Total")]


def _cells(view: str, line: Any, text: Callable[[str], str]) -> list[str]:
    """A line's cells as text, its names through `text` (escaped for the table or markdown)."""
    from ucj_cli.i18n import _, format as fmt

    place = [text(line.district) if line.district else _("(not from CSV)"), fmt.number(line.villages)] if view == "district" else \
        [text(line.village) if line.village else _("(not from CSV)"), line.code, text(line.district), text(line.cohort)]
    return [*place, fmt.number(line.workers), *(_month(a) for a in line.by_month), fmt.number(line.amount)]


def _month(amount: int) -> str:
    """A month's amount as text; a month without contributions is `-`, as in every text report."""
    from ucj_cli.i18n import format as fmt
    from ucj_cli.render.simulation import EMPTY

    return fmt.number(amount) if amount else EMPTY


def _total_cells(result: Result, width: int) -> list[str]:
    from ucj_cli.i18n import _, format as fmt

    return [_("Total"), *[""] * (width - 14), *(_month(a) for a in result.by_month), fmt.number(result.total)]


def table(result: Result, view: str, lines: Iterable[Any], console: Any) -> None:
    """A fitted table (months packed into as many tables as the console needs), with a total row."""
    from ucj_cli.i18n import format as fmt
    from ucj_cli.render.simulation import print_fitted

    rows: list[list[str]] = []
    for line in lines:
        if len(rows) == TABLE_ROWS:
            raise TooMany()
        rows.append(_cells(view, line, fmt.safe))
    names = headers(view)
    rows.append(_total_cells(result, len(names)))
    numeric = set(range(len(names) - 14, len(names))) | ({1} if view == "district" else set())
    print_fitted(console, names, rows, numeric, title=title(view), total_row=True)


def _markdown(result: Result, view: str, lines: Iterable[Any], stream: TextIO) -> None:
    """A pipe table written line by line (cells unpadded: padding would need every line first)."""
    from ucj_cli.render.simulation import md_cell

    names = headers(view)
    numeric = set(range(len(names) - 14, len(names))) | ({1} if view == "district" else set())
    stream.write(f"# {md_cell(result.scenario.name)}\n\n## {title(view)}\n\n")
    stream.write("| " + " | ".join(names) + " |\n")
    stream.write("|" + "|".join("---:" if index in numeric else "---" for index in range(len(names))) + "|\n")
    for line in lines:
        stream.write("| " + " | ".join(_cells(view, line, md_cell)) + " |\n")
    total = _total_cells(result, len(names))
    stream.write("| " + " | ".join(f"**{cell}**" if cell else "" for cell in total) + " |\n")


class TooMany(Exception):
    """More places than a terminal table shows; the command suggests csv or json."""
