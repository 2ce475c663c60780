"""The year at a glance: each month's spending and coverage as Rich block bars beside the exact
figures, for `simulate` (one bar a month) and `compare` (two).

The figures are the result's own (`by_month`, `coverage.active_by_month`); bars only scale them to
character cells, to an eighth of a cell, with whole-number arithmetic. The chart is at most 80
columns wide and never wraps. Bars are characters, not colours, so it reads the same with NO_COLOR
or on paper: on a coverage bar `░` is the participants covered before the year and `█` those the
scenario's cohorts add.
"""

from __future__ import annotations

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
    added = max(0, _eighths(series.rate(covered), scale, cells) - before)
    bar = Text("░" * ((before + 4) // 8), style="dim")  # to the nearest whole cell; the added part follows it
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
    free = width - (label_width + 1 + 1 + amount_width + 2 + rate_width + 1)
    spend_cells = max(_MIN_BAR, free * 3 // 5)
    cover_cells = max(_MIN_BAR, free - spend_cells)
    top_amount = Fraction(max(a for s in series for a in s.by_month))
    top_rate = max(s.rate(c) for s in series for c in (s.before, *s.active_by_month))

    def line(label: str, series_: Series, amount: int | None, covered: int) -> Text:
        text = Text(label.ljust(label_width) + " ")
        if amount is None:
            text.append(" " * (spend_cells + 1 + amount_width))
        else:
            text.append(_blocks(_eighths(Fraction(amount), top_amount, spend_cells)).ljust(spend_cells), style="cyan")
            text.append(" " + fmt.number(amount).rjust(amount_width))
        text.append("  " + fmt.percent(series_.rate(covered)).rjust(rate_width) + " ")
        text.append_text(_coverage_bar(series_, covered, top_rate, cover_cells))
        return text

    spend_head = _("Spending (Rp)")[: spend_cells + 1 + amount_width]
    cover_head = _("Coverage")[: rate_width + 1 + cover_cells]
    console.print(Text(_("The year at a glance"), style="bold"), no_wrap=True)
    console.print(Text(" " * (label_width + 1) + spend_head.ljust(spend_cells + 1 + amount_width) + "  " + cover_head), no_wrap=True)
    for number, item in enumerate(series):
        head = before_label if number == 0 else ""
        console.print(line(f"{head:<{label_width - side}}{item.label}" if side else head, item, None, item.before), no_wrap=True)
    for month in range(12):
        for number, item in enumerate(series):
            head = months[month] if number == 0 else ""
            label = f"{head:<{label_width - side}}{item.label}" if side else head
            console.print(line(label, item, item.by_month[month], item.active_by_month[month]), no_wrap=True)
    legend = _("░ covered before the year, █ added by the cohorts")
    console.print(Text(legend[:width], style="dim"), no_wrap=True)


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
