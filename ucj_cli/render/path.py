"""Renderers for a `Path` (`ucj path`): a table in the run's language, JSON (keys English in both
languages), CSV, markdown, the terminal chart of the road and the comments of each year's scenario
file. Every figure is read from the path; nothing here computes money."""

from __future__ import annotations


import io
import textwrap
from fractions import Fraction
from typing import Any

from ucj_cli.engine.path import Assumption, Path, PathYear
from ucj_cli.i18n import _
from ucj_cli.i18n import format as fmt
from ucj_cli.render import csvout
from ucj_cli.render.simulation import cell, dumps, page_console, page_text, ratio, shown_diagnostics

BAR = 24  # characters of a full bar in the chart, at most
WIDTH = 80  # the chart is at most this wide, as `simulate --chart`
_MIN_BAR = 4  # narrower bars go


def _plain(value: Any) -> Any:
    if isinstance(value, Fraction):
        return ratio(value)
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def assumption_dict(item: Assumption) -> dict[str, Any]:
    return {"name": item.name, "year": item.year, "subject": item.subject or None, "value": _plain(item.value), "unit": item.unit,
            "source": item.source, "reference": item.reference}


def year_dict(year: PathYear) -> dict[str, Any]:
    return {
        "year": year.year, "total": year.total, "employed": year.employed, "covered_outside": year.covered_outside,
        "covered_before": year.covered_before, "target": None if year.target is None else ratio(year.target),
        "target_source": year.target_source, "required": year.required, "covered_december": year.covered_december,
        "coverage": ratio(year.coverage), "new": year.new, "met": year.met,
        "above_employed": year.covered_december > year.employed, "short": year.short, "bound": year.bound, "bound_schemes": list(year.bound_schemes),
        "cohorts": [{"name": item.cohort.name, "funding": item.cohort.funding, "workers": item.workers, "carried": item.carried,
                     "income": item.cohort.income, "start": item.cohort.start, "months": item.cohort.months,
                     "per_person": item.per_person, "amount": item.amount} for item in year.cohorts],
        "by_funding": {key: {"amount": item.amount, "ceiling": item.ceiling, "left": item.left} for key, item in year.schemes.items()},
        "diagnostics": [item.to_json() for item in year.diagnostics],
    }


def to_dict(path: Path) -> dict[str, Any]:
    """The documented JSON shape (README, "ucj path")."""
    cumulative, running = [], 0
    for year in path.years:
        running += year.total
        cumulative.append(running)
    data = {
        "scenario": path.scenario.name, "mode": path.mode, "first": path.years[0].year, "last": path.years[-1].year,
        "denominator": {"employed": path.scenario.workforce.employed, "source": "workforce.employed"},
        "years": [{**year_dict(year), "cumulative": total} for year, total in zip(path.years, cumulative)],
        "total": path.total,
        "assumptions": [assumption_dict(item) for item in path.assumptions],
        "diagnostics": [item.to_json() for item in path.diagnostics],
    }
    if path.sensitivity is not None:
        data["sensitivity"] = [{"name": item.name, "subject": item.subject or None, "direction": item.direction,
                                "value": ratio(item.value), "total": item.total, "last": item.last,
                                "delta_total": item.delta_total, "delta_last": item.delta_last} for item in path.sensitivity]
    return data


def to_json(path: Path) -> str:
    return dumps(to_dict(path))


# --- the words of a table ------------------------------------------------------------------------

def _money(value: int | None) -> str:
    return "-" if value is None else fmt.number(value)


def _state(year: PathYear) -> str:
    if year.met is None:
        return "-"
    if year.covered_december > year.employed:  # a count that cannot be, never shown as "met" (W-path-over-employed says why)
        return _("insured above the employed")
    if year.met:
        return _("met")
    reason = {"ceiling": _("ceiling {schemes}").format(schemes=", ".join(fmt.safe(key) for key in year.bound_schemes)),
              "max_workers": _("every cohort at its max_workers"), "no_cohort": _("nothing left to grow")}[year.bound or "no_cohort"]
    return _("{short} short ({reason})").format(short=fmt.number(year.short), reason=reason)


def year_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """One row a year, then the cumulative cost (the table and markdown)."""
    schemes = list(path.scenario.funding)
    headers = [_("Year"), _("Employed"), _("Target"), _("Needed"), _("Insured in December"), _("Coverage"), _("New"), _("Cost (Rp)")]
    headers += [_("{scheme} (Rp) / ceiling").format(scheme=fmt.safe(key)) for key in schemes] + [_("Target met")]
    rows, running = [], 0
    for year in path.years:
        running += year.total
        target = "-" if year.target is None else fmt.percent(year.target)
        if year.target_source == "interpolated":
            target += "*"
        row = [str(year.year), fmt.number(year.employed), target, _money(year.required), fmt.number(year.covered_december),
               fmt.percent(year.coverage), fmt.number(year.new), fmt.number(year.total)]
        for key in schemes:
            item = year.schemes[key]
            row.append(fmt.number(item.amount) + ("" if item.ceiling is None else f" / {fmt.number(item.ceiling)}"))
        rows.append(row + [_state(year)])
    return headers, rows


def _name(key: str) -> str:
    return {
        "denominator": _("Coverage denominator: employed (workforce.employed)"), "employed_growth": _("Growth of the employed"),
        "covered_growth": _("Growth of coverage outside the budget"), "ceiling_growth": _("Growth of the ceiling"),
        "target": _("December coverage target"), "inflation": _("Inflation (minimum wage)"),
        "economic_growth": _("Economic growth (minimum wage)"), "alpha": _("Alpha (minimum wage)"), "alpha_range": _("Legal range of alpha"),
        "minimum_wage": _("Minimum wage"), "jp_wage_cap": _("JP wage cap"),
    }[key]


def _source(key: str) -> str:
    return {"scenario": _("the scenario"), "default": _("not given: 0%"), "rule": _("rule book"), "projection": _("projected"),
            "carried forward": _("carried forward (assumed)"), "interpolated": _("interpolated"),
            "held": _("held from the last target")}[key]


def _value(item: Assumption) -> str:
    if item.unit == "percent":  # exactly as written; an interpolated target to two decimals
        exact = (item.value * 10**6).denominator == 1  # type: ignore[operator, union-attr]
        return fmt.rate(item.value) if exact else fmt.percent(item.value)  # type: ignore[arg-type]
    if item.unit == "currency-IDR":
        return fmt.rupiah(item.value)  # type: ignore[arg-type]
    if item.unit == "ratio":
        return fmt.ratio(item.value)  # type: ignore[arg-type]
    if item.unit == "range":
        low, high = item.value  # type: ignore[misc]
        return f"{fmt.ratio(low)} - {fmt.ratio(high)}"
    return fmt.number(item.value)  # type: ignore[arg-type]


def assumption_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    headers = [_("Assumption"), _("Year"), _("Value"), _("Source"), _("Where")]
    rows = []
    for item in path.assumptions:
        name = _name(item.name) + (f" ({fmt.safe(item.subject)})" if item.subject else "")
        rows.append([name, "-" if item.year is None else str(item.year), _value(item), _source(item.source), fmt.safe(item.reference, 1000)])
    return headers, rows


def sensitivity_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    headers = [_("Assumption moved"), _("To"), _("Road cost (Rp)"), _("Change (Rp)"), _("Last year's change (Rp)")]
    rows = []
    for item in path.sensitivity or ():
        name = _name(item.name) + (f" ({fmt.safe(item.subject)})" if item.subject else "")
        value = fmt.ratio(item.value) if item.name == "alpha" else fmt.rate(item.value)
        rows.append([name, value, fmt.number(item.total), _signed(item.delta_total), _signed(item.delta_last)])
    return headers, rows


def _signed(value: int) -> str:
    return ("+" if value > 0 else "") + fmt.number(value)


def diagnostic_lines(path: Path, quiet: bool = False) -> list[tuple[str, str]]:
    """The road's own warnings in full, then each year's (planning and pricing) as `simulate` shows
    them, each line once with the years it holds for; `quiet` drops the notes."""
    lines = [(str(item), "yellow" if item.severity == "warning" else "dim") for item in path.notes if item.severity != "note" or not quiet]
    seen: dict[str, list[int]] = {}
    warnings: set[str] = set()
    for year in path.years:
        results = [year.result] if year.result is not None else []
        own = [item for item in year.notes if item.severity != "note" or not quiet]  # the year's planning notes in full
        warnings.update(str(item) for item in (*own, *year.diagnostics) if item.severity == "warning")
        for line in [str(item) for item in own] + shown_diagnostics(year.diagnostics[len(year.notes):], results, quiet):
            seen.setdefault(line, []).append(year.year)
    for line, years in seen.items():
        lines.append((f"{', '.join(str(y) for y in years)}: {line}", "yellow" if line in warnings else "dim"))
    return lines


def chart_lines(path: Path, width: int = WIDTH) -> list[str]:
    """The road as bars: each year's December coverage (█) against its target (┃), and its cost (▒),
    each beside its exact figure; bars are characters, so the chart reads the same without colour.
    At most `width` columns (at most 80, as `simulate --chart`) and no figure is ever cut: on a
    narrow terminal the bars shrink, then go, and below one line of figures a year's cost stands on
    a line of its own; the heading wraps."""
    width = min(width, WIDTH)
    top = max(max(year.coverage for year in path.years), max((year.target or 0) for year in path.years)) or 1
    dearest = max(year.total for year in path.years) or 1
    rates = [fmt.percent(year.coverage) for year in path.years]
    costs = [fmt.rupiah(year.total) for year in path.years]
    year_width, rate_width, cost_width = max(len(str(y.year)) for y in path.years), max(7, *map(len, rates)), max(map(len, costs))
    figures = year_width + 1 + rate_width + 2 + cost_width
    free = width - figures - 2  # a space after the coverage bar, one after the cost bar
    cover = min(BAR, free - free // 2) if free >= 2 * _MIN_BAR else 0
    spend = min(BAR, free - cover) if cover else 0
    stacked = width < figures
    lines = textwrap.wrap(_("The road: coverage in December (█) against the target (┃), and the cost a year (▒)"), width,
                          break_long_words=False, break_on_hyphens=False)
    for year, rate, cost in zip(path.years, rates, costs):
        head = str(year.year).ljust(year_width)
        if stacked:  # the coverage beside the year, the cost under it
            lines += [f"{head} {rate:>{rate_width}}", " " * (year_width + 1) + cost.rjust(rate_width)]
            continue
        if not cover:
            lines.append(f"{head} {rate:>{rate_width}}  {cost}")
            continue
        filled = min(cover, int(year.coverage / top * cover))
        bar = list("█" * filled + " " * (cover - filled))
        if year.target is not None:
            bar[min(cover - 1, int(year.target / top * cover))] = "┃"
        spent = "▒" * min(spend, int(Fraction(year.total, dearest) * spend))
        lines.append(f"{head} {''.join(bar)} {rate:>{rate_width}}  {spent:<{spend}} {cost}")
    return lines


def print_path(path: Path, console: Any, quiet: bool = False, chart: bool = False) -> None:
    from rich.text import Text

    from ucj_cli.render.simulation import print_fitted

    mode = _("to the coverage targets") if path.mode == "target" else _("the ceilings filled each year")
    console.print(Text(_("Path {first}-{last}: {name} ({mode})").format(
        first=path.years[0].year, last=path.years[-1].year, name=fmt.safe(path.scenario.name), mode=mode), style="bold"))
    headers, rows = year_rows(path)
    print_fitted(console, headers, rows, {1, 3, 4, 6, 7, *range(8, len(headers) - 1)}, title=_("Year by year"))
    console.print(cell(_("Cumulative cost: {total}").format(total=fmt.rupiah_long(path.total)), "bold"))
    if any(year.target_source == "interpolated" for year in path.years):
        console.print(cell(_("* interpolated: linear in percentage points between the targets given")))
    console.print(cell(_("Coverage = insured in December / employed (the scenario's workforce.employed, e.g. BPS penduduk bekerja)")))
    if chart:
        console.print()
        for line in chart_lines(path, console.width):
            console.print(cell(line), no_wrap=True, crop=False, overflow="ignore")
    console.print()
    headers, rows = assumption_rows(path)
    print_fitted(console, headers, rows, set(), title=_("Assumptions"))
    if path.sensitivity is not None:
        headers, rows = sensitivity_rows(path)
        print_fitted(console, headers, rows, {2, 3, 4}, title=_("Sensitivity: each growth assumption one point each way (alpha across its legal range)"))
    for line, style in diagnostic_lines(path, quiet):
        console.print(cell(line, style), soft_wrap=True)


def page(path: Path, quiet: bool = False, chart: bool = False) -> str:
    console = page_console()
    print_path(path, console, quiet, chart)
    return page_text(console)


def to_csv(path: Path) -> str:
    """One row per year and cohort (the year's totals on a row without a cohort); English headers
    and plain numbers, as every ucj CSV."""
    buffer = io.StringIO()
    writer = csvout.writer(buffer)
    writer.writerow(["year", "cohort", "funding", "workers", "carried", "income", "per_person", "amount", "employed", "target",
                     "required", "covered_december", "met", "above_employed"])
    for year in path.years:
        writer.writerow([year.year, "", "", "", "", "", "", year.total, year.employed,
                         "" if year.target is None else fmt.decimal(year.target * 100, 4, "en"), _blank(year.required),
                         year.covered_december, _blank(year.met), _blank(year.covered_december > year.employed)])
        for item in year.cohorts:
            writer.writerow([year.year, fmt.csv_text(item.cohort.name), fmt.csv_text(item.cohort.funding), item.workers, item.carried,
                             item.cohort.income, item.per_person, item.amount, "", "", "", "", "", ""])
    writer.writerow(["total", "", "", "", "", "", "", path.total, "", "", "", "", "", ""])
    return buffer.getvalue()


def _blank(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def to_markdown(path: Path, quiet: bool = False) -> str:
    lines = [f"# {_('Path {first}-{last}: {name}').format(first=path.years[0].year, last=path.years[-1].year, name=fmt.safe(path.scenario.name))}", ""]

    def table(headers: list[str], rows: list[list[str]]) -> None:
        escape = lambda text: text.replace("|", "\\|")  # noqa: E731
        lines.append("| " + " | ".join(escape(h) for h in headers) + " |")
        lines.append("|" + "---|" * len(headers))
        lines.extend("| " + " | ".join(escape(c) for c in row) + " |" for row in rows)
        lines.append("")

    table(*year_rows(path))
    lines += [_("Cumulative cost: {total}").format(total=fmt.rupiah_long(path.total)), ""]
    lines += [f"## {_('Assumptions')}", ""]
    table(*assumption_rows(path))
    if path.sensitivity is not None:
        lines += [f"## {_('Sensitivity')}", ""]
        table(*sensitivity_rows(path))
    shown = diagnostic_lines(path, quiet)
    if shown:
        lines += [f"- {line}" for line, _style in shown] + [""]
    return "\n".join(lines)


def write_header(path: Path, year: PathYear, source: str) -> tuple[str, dict[str, str]]:
    """The comments of one year's scenario file (`ucj path --write`)."""
    lines = [_("written by `ucj path` from {file}: year {year} of the road; `ucj simulate` on this file prices that year.").format(
        file=fmt.path_text(source), year=year.year)]
    if year.required is not None:
        lines.append(_("Target: {target} participants in December ({coverage}); {state}.").format(
            target=fmt.number(year.required), coverage=fmt.percent(year.target), state=_state(year)))
    notes = {item.cohort.name: _("{before} -> {after} workers at {per_person} a worker").format(
        before=fmt.number(item.carried), after=fmt.number(item.workers), per_person=fmt.rupiah(item.per_person)) for item in year.cohorts}
    return "\n".join(lines), notes
