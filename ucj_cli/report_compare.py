"""Renderers for a `Comparison`: json (documented in the README), csv, markdown and a Rich table.

Increases and decreases are marked with a sign and an arrow, not only a colour, so they read the same
with NO_COLOR set or on paper.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ucj_cli.comparison import CAUSES, Comparison, CompareLine
from ucj_cli.engine import Result
from ucj_cli.report import coverage_dict, dumps, percent_text


def _pct(line: CompareLine) -> float | None:
    return None if line.pct is None else round(float(line.pct), 2)


def _side(result: Result) -> dict[str, Any]:
    return {"scenario": result.scenario.name, "year": result.scenario.year, "total": result.total, "coverage": coverage_dict(result)}


def _line(line: CompareLine) -> dict[str, Any]:
    return {"key": line.key, "status": line.status, "base": line.base, "other": line.other, "diff": line.diff, "pct": _pct(line), "causes": line.causes}


def to_dict(comparison: Comparison) -> dict[str, Any]:
    total = comparison.total
    return {
        "by": comparison.by,
        "base": _side(comparison.base),
        "other": _side(comparison.other),
        "lines": [_line(line) for line in comparison.lines],
        "total": {"base": total.base, "other": total.other, "diff": total.diff, "pct": _pct(total), "causes": comparison.causes},
    }


def _signed(amount: int) -> str:
    return f"+{amount:,}" if amount > 0 else f"{amount:,}" if amount else "0"


def _pct_text(line: CompareLine) -> str:
    return "n/a" if line.pct is None else f"{float(line.pct):+.2f}%"


def _headers(comparison: Comparison) -> list[str]:
    base, other = comparison.base.scenario, comparison.other.scenario
    if base.name == other.name and base.year != other.year:
        left, right = str(base.year), str(other.year)
    else:
        left, right = f"Base {base.year}", f"Other {other.year}"
    headers = [comparison.by.capitalize(), f"{left} (Rp)", f"{right} (Rp)", "Difference", "%", "Status"]
    if comparison.by == "cohort":
        headers += [cause.capitalize() for cause in CAUSES]
    return headers


def _rows(comparison: Comparison) -> list[list[str]]:
    rows = []
    for line in comparison.lines:
        row = [line.key, f"{line.base:,}", f"{line.other:,}", _signed(line.diff), _pct_text(line), line.status]
        if comparison.by == "cohort":
            row += [_signed(line.causes[c]) for c in CAUSES] if line.causes else ["", "", ""]
        rows.append(row)
    total = comparison.total
    row = ["Total", f"{total.base:,}", f"{total.other:,}", _signed(total.diff), _pct_text(total), ""]
    if comparison.causes is not None:
        row += [_signed(comparison.causes[c]) for c in CAUSES]
    rows.append(row)
    return rows


def _causes_note(comparison: Comparison) -> str | None:
    causes = comparison.causes
    if causes is None:
        return None
    parts = ", ".join(f"{name} {_signed(amount)}" for name, amount in causes.items())
    return f"Difference {_signed(comparison.total.diff)} = {parts}"


def _coverage_line(label: str, result: Result) -> str:
    coverage = result.coverage
    return (f"{label}: {result.scenario.name} ({result.scenario.year}), coverage {coverage.covered_before:,} -> "
            f"{coverage.covered_after:,} of {coverage.employed:,} ({percent_text(coverage.rate(coverage.covered_before))} -> "
            f"{percent_text(coverage.rate(coverage.covered_after))})")


def render_comparison(comparison: Comparison, fmt: str, width: int = 200) -> str:
    if fmt == "json":
        return dumps(to_dict(comparison))
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        kinds = (*CAUSES, "added", "removed")
        writer.writerow(["key", "status", "base", "other", "diff", "pct", *kinds])
        for line in comparison.lines:
            causes = {**(line.causes or {}), **({line.status: line.diff} if line.status in ("added", "removed") else {})}
            cells = [causes.get(kind, "") for kind in kinds] if comparison.by == "cohort" else [""] * len(kinds)
            writer.writerow([line.key, line.status, line.base, line.other, line.diff, "" if line.pct is None else _pct(line), *cells])
        total = comparison.total
        totals = [comparison.causes[kind] for kind in kinds] if comparison.causes else [""] * len(kinds)
        writer.writerow(["Total", total.status, total.base, total.other, total.diff, "" if total.pct is None else _pct(total), *totals])
        return out.getvalue()
    if fmt == "markdown":
        from tabulate import tabulate

        lines = [f"# Comparison by {comparison.by}", "", f"- {_coverage_line('Base', comparison.base)}", f"- {_coverage_line('Other', comparison.other)}", ""]
        lines.append(tabulate(_rows(comparison), headers=_headers(comparison), tablefmt="pipe", disable_numparse=True))
        note = _causes_note(comparison)
        return "\n".join(lines + ([f"\n{note}"] if note else [])) + "\n"
    from rich.console import Console

    console = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False, highlight=False)
    print_comparison(comparison, console)
    return console.file.getvalue()


def print_comparison(comparison: Comparison, console: Any) -> None:
    """The comparison as one table, or split over several on a console too narrow for it."""
    from rich.text import Text

    from ucj_cli.report import print_fitted

    console.print(_coverage_line("Base ", comparison.base))
    console.print(_coverage_line("Other", comparison.other))
    headers, rows = _headers(comparison), _rows(comparison)
    styled = []
    for number, row in enumerate(rows):
        last = number == len(rows) - 1
        diff = comparison.total.diff if last else comparison.lines[number].diff
        arrow, style = ("▲ ", "yellow") if diff > 0 else ("▼ ", "cyan") if diff < 0 else ("  ", "")
        cells = [Text(cell, style="bold" if last else "") for cell in row]
        cells[3] = Text(arrow + row[3], style=style + (" bold" if last else ""))
        styled.append(cells)
    numeric = {i for i, header in enumerate(headers) if i > 0 and header != "Status"}
    print_fitted(console, headers, styled, numeric, total_row=True)
    note = _causes_note(comparison)
    if note:
        console.print(note)
