"""Renderers for the budget by place (`ucj simulate --by district|village`): table, csv, json.

They write to a stream as they go, so a national per-village CSV (500,000 lines) is never held
whole; every figure is read from `places` (computed from the engine's result), none computed here.
"""

from __future__ import annotations

import csv
import json
import re
from functools import lru_cache
from typing import Any, Iterable, TextIO

from ucj_cli.engine import Result
from ucj_cli.i18n.format import csv_text
from ucj_cli.period import month_label
from ucj_cli.places import DistrictLine, VillageLine

FORMATS = ("table", "csv", "json")
TABLE_ROWS = 5_000  # a terminal table longer than this helps no one: use csv or json


def write(result: Result, view: str, fmt: str, lines: Iterable[DistrictLine | VillageLine], stream: TextIO, width: int = 200) -> None:
    """`lines` (districts or villages) of `result` to `stream` in `fmt`."""
    months = [month_label(month) for month in result.months]
    if fmt == "csv":
        _csv(view, months, lines, stream)
    elif fmt == "json":
        _json(result, view, months, lines, stream)
    else:
        from rich.console import Console

        table(result, view, lines, Console(file=stream, width=width, color_system=None, force_terminal=False, highlight=False))


def _key(view: str) -> tuple[str, ...]:
    return ("district", "villages") if view == "district" else ("cohort", "district", "village")


def _csv(view: str, months: list[str], lines: Iterable[Any], stream: TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow((*_key(view), "workers", *months, "amount"))
    if view == "district":
        writer.writerows((csv_text(line.district), line.villages, line.workers, *line.by_month, line.amount) for line in lines)
        return
    # Half a million lines: the twelve figures of a (cohort, workers) pair are the same in every
    # village that has them, so they are turned into text once; names are quoted as csv would.
    write_line, tails = stream.write, {}
    for line in lines:
        tail = tails.get(line.by_month)
        if tail is None:
            tail = tails[line.by_month] = ",".join(map(str, (*line.by_month, line.amount)))
        write_line(f"{_field(line.cohort)},{_field(line.district)},{_field(line.village)},{line.workers},{tail}\n")


_SPECIAL = re.compile(r'[,"\r\n]')


@lru_cache(maxsize=4096)  # cohort and district names repeat on every line
def _field(text: str) -> str:
    """A text field guarded as every CSV text cell is (`csv_text`), then quoted as csv.writer's
    minimal quoting writes it."""
    text = csv_text(text)
    return '"' + text.replace('"', '""') + '"' if _SPECIAL.search(text) else text


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
                    "workers": line.workers, "by_month": list(line.by_month), "amount": line.amount}
        stream.write(separator + json.dumps(item, ensure_ascii=False))
        separator = ",\n    "
    stream.write("\n  ]\n}\n")


def table(result: Result, view: str, lines: Iterable[Any], console: Any) -> None:
    """A fitted table (months packed into as many tables as the console needs), with a total row."""
    from ucj_cli.i18n import _, format as fmt
    from ucj_cli.report import print_fitted

    rows: list[list[str]] = []
    for line in lines:
        if len(rows) == TABLE_ROWS:
            raise TooMany()
        place = [fmt.safe(line.district) or _("(not from CSV)"), fmt.number(line.villages)] if view == "district" else \
            [fmt.safe(line.village) or _("(not from CSV)"), fmt.safe(line.district), fmt.safe(line.cohort)]
        rows.append([*place, fmt.number(line.workers), *(fmt.number(a) for a in line.by_month), fmt.number(line.amount)])
    headers = [_("District"), _("Villages")] if view == "district" else [_("Village"), _("District"), _("Cohort")]
    months = [fmt.month_abbr(offset) for offset in range(12)]
    headers += [_("Workers"), *months, _("Total")]
    rows.append([_("Total"), *[""] * (len(headers) - 14), *(fmt.number(a) for a in result.by_month), fmt.number(result.total)])
    numeric = set(range(len(headers) - 14, len(headers))) | ({1} if view == "district" else set())
    print_fitted(console, headers, rows, numeric, title=_("Budget by district (Rp)") if view == "district" else _("Budget by village (Rp)"), total_row=True)


class TooMany(Exception):
    """More places than a terminal table shows; the command suggests csv or json."""
