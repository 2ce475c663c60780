"""Renderers for a `Comparison`: json (documented in the README), csv, markdown, a Rich table and xlsx.

Increases and decreases are marked with a sign and an arrow, not only a colour, so they read the same
with NO_COLOR set or on paper. Words go through `_()` and numbers through `i18n.format`; JSON and
CSV keys and values stay English.
"""

from __future__ import annotations

import io
from typing import Any

from ucj_cli.engine.compare import CAUSES, Comparison, CompareLine
from ucj_cli.engine.pricing import Result
from ucj_cli.i18n import _
from ucj_cli.i18n import format as fmt
from ucj_cli.money import rounded
from ucj_cli.period import parse_month_label
from ucj_cli.render.simulation import cell, coverage_dict, dumps, md_cell, md_table, page_console, page_text, print_fitted
from ucj_cli.render import csvout

KINDS = (*CAUSES, "added", "removed")  # every part of a total difference, in CSV and the workbook


def _pct(line: CompareLine) -> float | None:
    """The change in percent for JSON, rounded half up to 2 places from the exact figure."""
    return None if line.pct is None else float(rounded(line.pct, 2))


def _side(result: Result) -> dict[str, Any]:
    return {"scenario": result.scenario.name, "year": result.scenario.year, "total": result.total, "coverage": coverage_dict(result)}


def _line(line: CompareLine) -> dict[str, Any]:
    return {"key": line.key, "status": line.status, "workers_base": line.workers_base, "workers_other": line.workers_other,
            "base": line.base, "other": line.other, "diff": line.diff, "pct": _pct(line), "causes": line.causes}


def to_dict(comparison: Comparison) -> dict[str, Any]:
    total = comparison.total
    return {
        "by": comparison.by,
        "base": _side(comparison.base),
        "other": _side(comparison.other),
        "lines": [_line(line) for line in comparison.lines],
        "total": {"workers_base": total.workers_base, "workers_other": total.workers_other, "base": total.base, "other": total.other,
                  "diff": total.diff, "pct": _pct(total), "causes": comparison.causes},
        **({"what_if_causes": [{"name": name, "amount": amount} for name, amount in comparison.what_if]} if comparison.what_if else {}),
    }


def signed(amount: int) -> str:
    return f"+{fmt.number(amount)}" if amount > 0 else fmt.number(amount)


def pct_text(line: CompareLine) -> str:
    if line.pct is None:
        return _("n/a")
    return ("+" if line.pct > 0 else "") + fmt.percent(line.pct / 100)


def status_label(status: str) -> str:
    labels = {"same": _("same"), "changed": _("changed"), "added": _("added"), "removed": _("removed")}
    return labels[status] if status else ""


def cause_label(cause: str) -> str:
    return {"headcount": _("Headcount"), "duration": _("Duration"), "income": _("Income"), "rates": _("Rates"), "added": _("Added"), "removed": _("Removed")}[cause]


def view_label(view: str) -> str:
    return {"cohort": _("Cohort"), "program": _("Program"), "funding": _("Funding"), "month": _("Month")}[view]


def key_label(comparison: Comparison, key: str) -> str:
    """A line's key as shown: month keys (YYYY-MM) as the month's name (Jan...) in the run's language, names as typed."""
    index = parse_month_label(key) if comparison.by == "month" else None
    if comparison.by == "program":
        return key.upper()  # program codes read JKK, JKM, JHT, JP wherever a person reads them
    return fmt.month_abbr(index % 12) if index is not None else fmt.safe(key)


def side_labels(comparison: Comparison) -> tuple[str, str]:
    """Column headings for the two sides: the years when one scenario is priced under two years'
    rules, else Base and Other with their years."""
    base, other = comparison.base.scenario, comparison.other.scenario
    if base.name == other.name and base.year != other.year:
        return str(base.year), str(other.year)
    return _("Base {year}").format(year=base.year), _("Other {year}").format(year=other.year)


def headers(comparison: Comparison) -> list[str]:
    left, right = side_labels(comparison)
    workers = _("Workers {side}")
    names = [view_label(comparison.by), workers.format(side=left), workers.format(side=right), f"{left} (Rp)", f"{right} (Rp)",
             _("Difference"), "%", _("Status")]
    if comparison.by == "cohort":
        names += [cause_label(cause) for cause in CAUSES]
    return names


NUMERIC = {1, 2, 3, 4, 5, 6, 8, 9, 10, 11}
DIFF = 5  # the column of the difference


def rows(comparison: Comparison) -> list[list[str]]:
    found = []
    for line in comparison.lines:
        row = [key_label(comparison, line.key), fmt.number(line.workers_base), fmt.number(line.workers_other), fmt.number(line.base),
               fmt.number(line.other), signed(line.diff), pct_text(line), status_label(line.status)]
        if comparison.by == "cohort":
            row += [signed(line.causes[c]) for c in CAUSES] if line.causes else [""] * len(CAUSES)
        found.append(row)
    total = comparison.total
    row = [_("Total"), fmt.number(total.workers_base), fmt.number(total.workers_other), fmt.number(total.base), fmt.number(total.other),
           signed(total.diff), pct_text(total), ""]
    if comparison.causes is not None:
        row += [signed(comparison.causes[c]) for c in CAUSES]
    found.append(row)
    return found


def causes_note(comparison: Comparison) -> str | None:
    """The difference by cause, and for a what-if the banners and (`compare --baseline`) the
    difference by what-if parameter, one line each."""
    from ucj_cli.render.explain import what_if_notes

    causes = comparison.causes
    notes = what_if_notes(comparison)
    if causes is not None:
        parts = ", ".join(f"{cause_label(name).lower()} {signed(amount)}" for name, amount in causes.items())
        notes.insert(0, _("Difference {diff} = {parts}").format(diff=signed(comparison.total.diff), parts=parts))
    return "\n".join(notes) or None


def side_line(label: str, result: Result, comparison: Comparison) -> str:
    """`Base: <name>, priced under 2026 rules, coverage ...` when one scenario is priced under two
    years' rules; else the scenario's name and year."""
    from ucj_cli.render.simulation import coverage_text

    scenario = result.scenario
    base, other = comparison.base.scenario, comparison.other.scenario
    if base.name == other.name and base.year != other.year:
        name = _("{name}, priced under {year} rules").format(name=fmt.safe(scenario.name), year=scenario.year)
    else:
        name = f"{fmt.safe(scenario.name)} ({scenario.year})"
    return _("{label}: {name}; coverage {coverage}").format(label=label, name=name, coverage=coverage_text(result))


def to_csv(comparison: Comparison) -> str:
    out = io.StringIO()
    writer = csvout.writer(out)
    writer.writerow(["key", "status", "base", "other", "diff", "pct", *KINDS, "workers_base", "workers_other"])
    for line in comparison.lines:
        causes = {**(line.causes or {}), **({line.status: line.diff} if line.status in ("added", "removed") else {})}
        cells = [causes.get(kind, "") for kind in KINDS] if comparison.by == "cohort" else [""] * len(KINDS)
        writer.writerow([fmt.csv_text(line.key), line.status, line.base, line.other, line.diff, "" if line.pct is None else _pct(line), *cells,
                         line.workers_base, line.workers_other])
    total = comparison.total
    totals = [comparison.causes[kind] for kind in KINDS] if comparison.causes else [""] * len(KINDS)
    writer.writerow(["Total", total.status, total.base, total.other, total.diff, "" if total.pct is None else _pct(total), *totals,
                     total.workers_base, total.workers_other])
    return out.getvalue()


def to_markdown(comparison: Comparison) -> str:
    lines = [f"# {_('Comparison by {view}').format(view=view_label(comparison.by).lower())}", "",
             f"- {md_cell(side_line(_('Base'), comparison.base, comparison))}",
             f"- {md_cell(side_line(_('Other'), comparison.other, comparison))}", ""]
    table = [[md_cell(row[0]), *row[1:]] for row in rows(comparison)]
    lines.append(md_table(headers(comparison), table, NUMERIC))
    note = causes_note(comparison)
    return "\n".join(lines + ([f"\n{note}"] if note else [])) + "\n"


def to_json(comparison: Comparison) -> str:
    return dumps(to_dict(comparison))


def page(comparison: Comparison, chart: bool = False) -> str:
    """The table for a file or a pipe, at its natural width."""
    console = page_console()
    print_comparison(comparison, console, chart)
    return page_text(console)


def print_comparison(comparison: Comparison, console: Any, chart: bool = False) -> None:
    """The comparison as one table, or split over several on a console too narrow for it."""
    console.print(cell(side_line(_("Base"), comparison.base, comparison)), soft_wrap=True)
    console.print(cell(side_line(_("Other"), comparison.other, comparison)), soft_wrap=True)
    names, found = headers(comparison), rows(comparison)
    styled = []
    for number, row in enumerate(found):
        last = number == len(found) - 1
        diff = comparison.total.diff if last else comparison.lines[number].diff
        arrow, style = ("▲ ", "yellow") if diff > 0 else ("▼ ", "cyan") if diff < 0 else ("  ", "")
        cells = [cell(text, "bold" if last else "") for text in row]
        cells[DIFF] = cell(arrow + row[DIFF], style + (" bold" if last else ""))
        styled.append(cells)
    print_fitted(console, names, styled, NUMERIC & set(range(len(names))), total_row=True)
    note = causes_note(comparison)
    if note:
        console.print(cell(note), soft_wrap=True)
    if chart:  # the year at a glance, two bars a month (ucj_cli/render_chart.py)
        from ucj_cli.render.chart import print_compare_chart
        print_compare_chart(comparison, console)
