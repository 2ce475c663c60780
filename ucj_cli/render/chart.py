"""The year at a glance: each month's spending and coverage as Rich block bars beside the exact
figures, for `simulate` (one bar a month) and `compare` (two).

The figures are the result's own (`by_month`, `coverage.active_by_month`); bars only scale them to
character cells, to an eighth of a cell, with whole-number arithmetic. The chart is at most 80
columns wide and no figure is ever cut: on a narrow terminal the bars shrink, then go, and below
one line of figures a month's amount and rate stand on lines of their own; the legend wraps. Bars are characters, not colours, so it reads the same with NO_COLOR
or on paper: on a coverage bar `░` is the participants covered before the year and `█` those the
scenario's cohorts add.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ucj_cli.i18n import _
from ucj_cli.i18n import format as fmt

WIDTH = 80
_EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")
_MIN_BAR = 4


@dataclass(frozen=True)
class Series:
    """One side of the chart: a label (empty for a single scenario) and the result it reads."""

    label: str
    by_month: tuple[int, ...]
    active_by_month: tuple[int, ...]
    before: int
    employed: int

    @classmethod
    def of(cls, result: Any, label: str = "") -> Series:
        coverage = result.coverage
        return cls(label, result.by_month, coverage.active_by_month, coverage.covered_before, coverage.employed)

    def rate(self, covered: int) -> Fraction:
        return Fraction(covered, self.employed)


def _eighths(value: Fraction, scale: Fraction, cells: int) -> int:
    """`value / scale` of `cells` cells in eighths, at least one eighth for a value above zero."""
    if value <= 0 or scale <= 0:
        return 0
    return max(1, min(cells * 8, int(value * cells * 8 / scale)))


def _blocks(eighths: int) -> str:
    full, part = divmod(eighths, 8)
    return "█" * full + _EIGHTHS[part]


def _coverage_bar(series: Series, covered: int, scale: Fraction, cells: int) -> Any:
    from rich.text import Text

    before = _eighths(series.rate(series.before), scale, cells)
    whole = (before + 4) // 8
    added = min(max(0, _eighths(series.rate(covered), scale, cells) - before), (cells - whole) * 8)  # never past its cells
    bar = Text("░" * whole, style="dim")  # to the nearest whole cell; the added part follows it
    bar.append(_blocks(added), style="green")
    bar.pad_right(cells - bar.cell_len)
    return bar


def print_chart(console: Any, series: list[Series]) -> None:
    """Before, then each month: every series' spending bar and amount, coverage rate and bar."""
    from rich.text import Text

    amounts = [fmt.number(a) for s in series for a in s.by_month]
    rates = [fmt.percent(s.rate(c)) for s in series for c in (s.before, *s.active_by_month)]
    months = [fmt.month_abbr(m) for m in range(12)]
    before_label = _("Before")
    side = max(len(s.label) for s in series)
    label_width = max(len(before_label), *(len(m) for m in months)) + (side + 1 if side else 0)
    amount_width, rate_width = max(len(a) for a in amounts), max(len(r) for r in rates)
    width = min(console.width, WIDTH)
    # Figures first: bars take what is left, shrink, and go before any figure would be cut; below
    # the width of one line of figures, each month's amount and rate are on lines of their own.
    figures = label_width + 1 + amount_width + 2 + rate_width
    free = width - figures - 2  # a space after the spending bar, one before the coverage bar
    bars = free >= 2 * _MIN_BAR
    spend_cells = free * 3 // 5 if bars else 0
    cover_cells = free - spend_cells if bars else 0
    stacked = width < figures
    top_amount = Fraction(max(a for s in series for a in s.by_month))
    top_rate = max(s.rate(c) for s in series for c in (s.before, *s.active_by_month))

    def line(label: str, series_: Series, amount: int | None, covered: int) -> list[Text]:
        rate = fmt.percent(series_.rate(covered)).rjust(rate_width)
        if stacked:  # the label, the amount and the rate under one another, beside the label if they fit
            indent = label_width + 1 if label_width + 1 + max(amount_width, rate_width) <= width else 2
            figures = ([fmt.number(amount).rjust(amount_width)] if amount is not None else []) + [rate]
            lines = [label] if indent == 2 else []
            lines += [(label if not number and indent > 2 else "").ljust(indent) + figure for number, figure in enumerate(figures)]
            return [Text(item.rstrip() if not item.strip() else item) for item in lines]
        text = Text(label.ljust(label_width) + " ")
        if bars:
            spent = _blocks(_eighths(Fraction(amount), top_amount, spend_cells)) if amount is not None else ""
            text.append(spent.ljust(spend_cells) + " ", style="cyan")
        text.append(" " * amount_width if amount is None else fmt.number(amount).rjust(amount_width))
        text.append("  " + rate)
        if bars:
            text.append(" ")
            text.append_text(_coverage_bar(series_, covered, top_rate, cover_cells))
        return [text]

    def wrapped(text: str, style: str = "") -> None:
        for piece in textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]:
            console.print(Text(piece, style=style), no_wrap=True, crop=False, overflow="ignore")

    wrapped(_("The year at a glance"), "bold")
    spend_head, cover_head = _("Spending (Rp)"), _("Coverage")
    column = (spend_cells + 1 if bars else 0) + amount_width  # over the bars and amounts, or ending over the amounts
    spend = " " * (label_width + 1) + spend_head.ljust(column) if len(spend_head) <= column else spend_head.rjust(label_width + 1 + column)
    heading = spend + "  " + cover_head
    if stacked or len(heading) > width:
        wrapped(f"{spend_head}, {cover_head}")
    else:
        console.print(Text(heading), no_wrap=True, crop=False, overflow="ignore")
    rows: list[Text] = []
    for number, item in enumerate(series):
        head = before_label if number == 0 else ""
        rows += line(f"{head:<{label_width - side}}{item.label}" if side else head, item, None, item.before)
    for month in range(12):
        for number, item in enumerate(series):
            head = months[month] if number == 0 else ""
            label = f"{head:<{label_width - side}}{item.label}" if side else head
            rows += line(label, item, item.by_month[month], item.active_by_month[month])
    for row in rows:
        console.print(row, no_wrap=True, crop=False, overflow="ignore")
    if bars:
        wrapped(_("░ covered before the year, █ added by the cohorts"), "dim")


def print_year_chart(result: Any, console: Any) -> None:
    """`simulate`: one bar a month."""
    print_chart(console, [Series.of(result)])


def print_compare_chart(comparison: Any, console: Any) -> None:
    """`compare`: two bars a month, labelled by year when the years differ, else base and other."""
    base, other = comparison.base, comparison.other
    if base.scenario.year != other.scenario.year:
        labels = (str(base.scenario.year), str(other.scenario.year))
    else:
        labels = (_("base"), _("other"))
    print_chart(console, [Series.of(base, labels[0]), Series.of(other, labels[1])])
