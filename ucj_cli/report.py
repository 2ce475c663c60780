"""Renderers: a `Result` in, text out (json, csv, markdown, or a Rich table).

Nothing here computes money: every figure is read from the result, so what is shown is what was
simulated. Output is deterministic (no clock, no paths beyond the scenario's own name), so the same
input gives byte-identical files. Rich is imported only for the table format.
"""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from typing import Any

from ucj_cli.engine import Result
from ucj_cli.errors import Diagnostic
from ucj_cli.i18n.format import rule_value
from ucj_cli.money import format_percent
from ucj_cli.period import MONTH_ABBR, month_index, month_label
from ucj_cli.scenario import PROGRAMS

TABLE_COHORTS = 60  # cohort rows in the terminal table; the rest are summed in one row


def ratio(value: Fraction) -> float:
    """A coverage rate for JSON: a ratio rounded to 6 places (0.263 for 26.3%)."""
    return round(float(value), 6)


def percent_text(value: Fraction) -> str:
    return f"{float(value) * 100:.2f}%"


def diagnostic_json(item: Diagnostic) -> dict[str, Any]:
    return item.to_json()


def coverage_dict(result: Result) -> dict[str, Any]:
    coverage = result.coverage
    return {
        "employed": coverage.employed,
        "covered_before": coverage.covered_before,
        "covered_after": coverage.covered_after,
        "rate_before": ratio(coverage.rate(coverage.covered_before)),
        "rate_after": ratio(coverage.rate(coverage.covered_after)),
    }


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_dict(result: Result) -> dict[str, Any]:
    """The documented JSON shape (README, "JSON output")."""
    scenario, coverage = result.scenario, result.coverage
    rules: dict[tuple[str, int], Any] = {}
    for item in result.cohorts:
        for parts in item.parts:
            for rule in (rule for part in parts for rule in part.rules):
                known = rules.get((rule.name, rule.effective))
                if known is None or (rule.assumed and not known.assumed):
                    rules[(rule.name, rule.effective)] = rule
    return {
        "scenario": scenario.name,
        "region": scenario.region,
        "year": scenario.year,
        "total": result.total,
        "by_month": [
            {"month": month_label(month), "amount": amount, "covered": active, "coverage_rate": ratio(coverage.rate(active))}
            for month, amount, active in zip(result.months, result.by_month, coverage.active_by_month)
        ],
        "by_program": dict(result.by_program),
        "by_payer": dict(result.by_payer),
        "by_funding": {
            key: {"name": item.scheme.name, "kind": item.scheme.kind, "amount": item.amount, "ceiling": item.scheme.ceiling, "over": item.over,
                  "relief": item.scheme.relief}
            for key, item in result.by_funding.items()
        },
        "cohorts": [
            {
                "name": item.cohort.name,
                "sector": item.cohort.sector,
                "category": item.cohort.category,
                "funding": item.cohort.funding,
                "workers": item.cohort.workers,
                "months": item.cohort.months,
                "start": month_label(month_index(scenario.year, item.cohort.start)),
                "end": month_label(month_index(scenario.year, item.cohort.end)),
                "amount": item.amount,
                "by_program": dict(item.by_program),
                "per_person_by_month": list(item.per_person),
                "worker_paid": item.worker_paid,
                "relief": item.relief,
            }
            for item in result.cohorts
        ],
        "coverage": coverage_dict(result),
        "worker_paid": result.worker_paid,
        "relief": result.relief,
        "rules_applied": [
            {
                "name": rule.name,
                "value": rule_value(rule.unit, rule.value, "en"),
                "effective": rule.effective_label,
                "reference": rule.reference,
                "unverified": rule.unverified,
                "assumed_after": month_label(rule.known_through) if rule.assumed else None,
            }
            for _, rule in sorted(rules.items(), key=lambda kv: kv[0])
        ],
        "diagnostics": [diagnostic_json(item) for item in result.diagnostics],
    }


def to_json(result: Result) -> str:
    return dumps(to_dict(result))


CSV_COLUMNS = ("cohort", "sector", "category", "funding", "funding_kind", "month", "program", "payer",
               "base", "full_rate_percent", "full_per_person", "rate_percent", "relief_share_percent", "per_person", "workers", "amount",
               "rules", "references")


def to_csv(result: Result) -> str:
    """One row per cohort x month x program and payer share: the budget line by line, with every rule
    that set it, so a spreadsheet can re-add every total and redo every figure (README, "CSV")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in result.lines():
        part, rule = line.part, line.part.rules[-1]
        rate = format_percent(rule.value) if rule.unit == "percent" else ""
        full_rate = format_percent(part.normal.value) if part.normal else rate
        writer.writerow((
            line.cohort.name, line.cohort.sector, line.cohort.category, line.scheme.id, line.scheme.kind,
            month_label(line.month), part.program, part.payer, "" if part.base is None else part.base, full_rate,
            part.full, rate, "" if part.share is None else format_percent(part.share), part.per_person, line.cohort.workers,
            line.amount, "; ".join(r.name for r in ((part.normal,) if part.normal else ()) + part.rules),
            " | ".join(r.reference for r in ((part.normal,) if part.normal else ()) + part.rules),
        ))
    return out.getvalue()


def _funding_rows(result: Result) -> list[list[Any]]:
    rows = []
    for key, item in result.by_funding.items():
        ceiling = item.scheme.ceiling
        left = "-" if ceiling is None else f"{ceiling - item.amount:,}"
        status = "-" if ceiling is None else "OVER" if item.over else "ok"
        rows.append([key, item.scheme.name, item.scheme.kind, f"{item.amount:,}", "-" if ceiling is None else f"{ceiling:,}", left, status])
    return rows


def _summary_rows(result: Result) -> list[tuple[str, str]]:
    scenario, coverage = result.scenario, result.coverage
    rows = [("Scenario", scenario.name)]
    if scenario.region:
        rows.append(("Region", scenario.region))
    rows += [
        ("Budget year", str(scenario.year)),
        ("Total budget", f"Rp {result.total:,}"),
        ("Coverage", f"{coverage.covered_before:,} -> {coverage.covered_after:,} of {coverage.employed:,} employed "
                     f"({percent_text(coverage.rate(coverage.covered_before))} -> {percent_text(coverage.rate(coverage.covered_after))})"),
    ]
    if result.relief:
        rows.append(("Temporary reliefs", f"Rp {result.relief:,} less than at the full rates"))
    if result.worker_paid:
        rows.append(("Workers' own share", f"Rp {result.worker_paid:,} (JHT/JP deducted from wages, outside the budget)"))
    return rows


FUNDING_HEADERS = ["Funding", "Name", "Kind", "Amount (Rp)", "Ceiling (Rp)", "Left (Rp)", "Status"]


def to_markdown(result: Result) -> str:
    from tabulate import tabulate

    coverage = result.coverage
    months = [f"{MONTH_ABBR[i]}" for i in range(12)]
    cohort_rows = [[item.cohort.name, f"{item.cohort.workers:,}", *(f"{a:,}" if a else "" for a in item.by_month), f"{item.amount:,}"] for item in result.cohorts]
    cohort_rows.append(["**Total**", "", *(f"{a:,}" for a in result.by_month), f"**{result.total:,}**"])
    cohort_rows.append(["Coverage", "", *(percent_text(coverage.rate(a)) for a in coverage.active_by_month), ""])
    parts = [
        f"# {result.scenario.name}\n",
        tabulate(_summary_rows(result), headers=["", ""], tablefmt="pipe"),
        "\n## Funding schemes\n",
        tabulate(_funding_rows(result), headers=FUNDING_HEADERS, tablefmt="pipe", disable_numparse=True),
        "\n## Cohorts by month (Rp)\n",
        tabulate(cohort_rows, headers=["Cohort", "Workers", *months, "Total"], tablefmt="pipe", disable_numparse=True),
        "\n## By program (Rp)\n",
        tabulate([[p.upper(), f"{result.by_program[p]:,}"] for p in PROGRAMS] + [["Total", f"{result.total:,}"]],
                 headers=["Program", "Amount"], tablefmt="pipe", disable_numparse=True),
    ]
    if result.diagnostics:
        parts.append("\n## Warnings and notes\n")
        parts.append("\n".join(f"- {item}" for item in result.diagnostics))
    return "\n".join(parts) + "\n"


def render(result: Result, fmt: str, width: int = 200) -> str:
    """Any format as text (the table without colour), for files and pipes."""
    if fmt == "json":
        return to_json(result)
    if fmt == "csv":
        return to_csv(result)
    if fmt == "markdown":
        return to_markdown(result)
    from rich.console import Console

    console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False, highlight=False)
    print_table(result, console)
    return console.file.getvalue()


def _month_groups(available: int, fixed: int, month_width: int, total_width: int) -> list[tuple[range, bool]]:
    """Split the twelve month columns into as few equal tables as fit the console, the last one
    also carrying the year's total (`fixed`: the cohort and workers columns). Where not even one
    month and the total fit, each month gets its own table and the total one more."""
    def fits(months: int, total: bool) -> bool:
        return fixed + months * (month_width + 3) + (total_width + 3 if total else 0) <= available

    size = next((size for size in (12, 6, 4, 3, 2, 1) if fits(size, True)), None)
    if size is None:
        return [(range(month, month + 1), False) for month in range(12)] + [(range(0), True)]
    return [(range(start, start + size), start + size == 12) for start in range(0, 12, size)]


def _widest(values: Any) -> int:
    return max(len(value) for value in values)


def print_fitted(console: Any, headers: list[str], rows: list[list[Any]], numeric: set[int], title: str | None = None,
                 total_row: bool = False) -> None:
    """A table that never cuts a figure short: the columns after the first are packed into as many
    tables as the console needs, each repeating the first (key) column. Cells are text or Rich Text;
    `total_row` sets the last row apart."""
    from rich import box
    from rich.table import Table

    plain = [[cell.plain if hasattr(cell, "plain") else str(cell) for cell in row] for row in rows]
    widths = [max([len(header)] + [len(row[i]) for row in plain]) for i, header in enumerate(headers)]
    widths = [width if index in numeric or index == 0 else min(width, 24) for index, width in enumerate(widths)]
    key_width = min(widths[0], max(28, console.width // 3))
    groups: list[list[int]] = []
    used = console.width
    for index in range(1, len(headers)):
        if used + widths[index] + 3 > console.width and (not groups or len(groups[-1]) > 0):
            groups.append([])
            used = min(key_width, 14) + 4
        groups[-1].append(index)
        used += widths[index] + 3
    for number, group in enumerate(groups):
        table = Table(box=box.SIMPLE_HEAD, title=title if number == 0 else None, title_justify="left")
        table.add_column(headers[0], min_width=min(key_width, 14), max_width=key_width, overflow="fold")
        for index in group:
            if index in numeric:
                table.add_column(headers[index], justify="right", no_wrap=True, min_width=widths[index])
            else:
                table.add_column(headers[index], min_width=min(widths[index], 8), max_width=widths[index], overflow="fold")
        for position, row in enumerate(rows):
            if total_row and position == len(rows) - 1:
                table.add_section()
            table.add_row(row[0], *(row[index] for index in group))
        needed = min(key_width, 14) + 4 + sum(widths[index] + 3 for index in group)
        console.print(table, width=max(console.width, needed))  # never crop a figure, even on a tiny terminal


def print_table(result: Result, console: Any) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    coverage = result.coverage
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    for label, value in _summary_rows(result):
        summary.add_row(label, value)
    console.print(summary)
    console.print()

    rows = [[Text(cell, style="bold red" if item.over and FUNDING_HEADERS[i] in ("Left (Rp)", "Status") else "") for i, cell in enumerate(row)]
            for row, item in zip(_funding_rows(result), result.by_funding.values())]
    numeric = {i for i, header in enumerate(FUNDING_HEADERS) if "Rp" in header}
    print_fitted(console, FUNDING_HEADERS, rows, numeric, title="Funding schemes")

    shown = list(result.cohorts[:TABLE_COHORTS])
    rest = result.cohorts[TABLE_COHORTS:]
    rows = [(item.cohort.name, f"{item.cohort.workers:,}", item.by_month, item.amount) for item in shown]
    if rest:  # a terminal table of thousands of rows helps no one; the sums stay whole
        rows.append((f"... {len(rest):,} more cohorts (see --format csv)", f"{sum(i.cohort.workers for i in rest):,}",
                     tuple(sum(i.by_month[m] for i in rest) for m in range(12)), sum(i.amount for i in rest)))
    name_width = min(28, _widest([row[0] for row in rows] + ["Coverage"]))
    workers_width = _widest([row[1] for row in rows] + ["Workers"])
    month_width = _widest([f"{amount:,}" for amount in result.by_month] + ["100.00%"])
    total_width = _widest([f"{result.total:,}", "Total"])
    fixed = min(name_width, 12) + workers_width + 9
    groups = _month_groups(console.width, fixed, month_width, total_width)
    for months, with_total in groups:
        label = "-".join(dict.fromkeys((MONTH_ABBR[months[0]], MONTH_ABBR[months[-1]]))) if months else "year total"
        title = "Cohorts by month (Rp)" if len(groups) == 1 else f"Cohorts by month (Rp), {label}"
        table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", show_footer=True)
        table.add_column("Cohort", footer="Total\nCoverage", min_width=min(name_width, 12), overflow="fold")
        table.add_column("Workers", justify="right", no_wrap=True, min_width=workers_width)
        for offset in months:
            table.add_column(MONTH_ABBR[offset], justify="right", no_wrap=True, min_width=month_width,
                             footer=f"{result.by_month[offset]:,}\n{percent_text(coverage.rate(coverage.active_by_month[offset]))}")
        if with_total:
            table.add_column("Total", justify="right", no_wrap=True, min_width=total_width, footer=f"{result.total:,}\n")
        for name, workers, by_month, amount in rows:
            cells = [f"{by_month[o]:,}" if by_month[o] else "-" for o in months]
            table.add_row(name, workers, *cells, *([f"{amount:,}"] if with_total else []))
        needed = fixed + len(months) * (month_width + 3) + (total_width + 3 if with_total else 0)
        console.print(table, width=max(console.width, needed))  # never crop a figure, even on a tiny terminal

    programs = Table(title="By program (Rp)", box=box.SIMPLE_HEAD, title_justify="left", show_footer=True)
    programs.add_column("Program", footer="Total")
    programs.add_column("Amount", justify="right", no_wrap=True, footer=f"{result.total:,}")
    for program in PROGRAMS:
        programs.add_row(program.upper(), f"{result.by_program[program]:,}")
    console.print(programs)

    for item in result.diagnostics:
        style = "yellow" if item.severity == "warning" else "dim"
        console.print(Text(str(item), style=style))
