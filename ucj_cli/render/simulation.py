"""Renderers for a simulation: a `Result` in, json, csv, markdown, a Rich table or an xlsx workbook out.

Nothing here computes money: every figure is read from the result, so what is shown is what was
simulated. Words a person reads go through `_()` and numbers through `i18n.format`, in the run's
language; JSON and CSV keys and values stay English and stable. Output is deterministic (no clock,
no paths beyond the scenario's own name), so the same input gives byte-identical files. Rich,
tabulate and XlsxWriter are imported only by the format that needs them.
"""

from __future__ import annotations

import functools
import io
import json
from fractions import Fraction
from typing import Any, Iterable, TextIO

from ucj_cli.engine.pricing import CohortResult, CohortTotal, Result
from ucj_cli.errors import Diagnostic
from ucj_cli.i18n import _, ngettext
from ucj_cli.i18n import format as fmt
from ucj_cli.money import format_percent, rounded
from ucj_cli.period import month_index, month_label
from ucj_cli.rules.book import RuleValue
from ucj_cli.render.explain import what_if_changes, what_if_dict
from ucj_cli.model import PROGRAMS
from ucj_cli.render import csvout

TABLE_COHORTS = 60  # cohort rows in the terminal table; the rest are summed in one row
EMPTY = "-"  # a month without contributions, in every text format (cohort rows, totals, markdown)


def ratio(value: Fraction) -> float:
    """A coverage rate for JSON: a ratio rounded half up to 6 places (0.263 for 26.3%), from the exact
    fraction (`money.rounded`), never a binary float's half-even `round`."""
    return float(rounded(value, 6))


def month_text(value: int) -> str:
    """A month's amount, or the one mark for an empty month."""
    return fmt.number(value) if value else EMPTY


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
    """`json.dumps(data, ensure_ascii=False, indent=2)` and a newline, byte for byte, without the
    standard library's pure-Python indenting encoder (its generators cost ~5x): containers are laid
    out here, strings go through the C escaper. Anything else JSON would not write as it stands (an
    object to convert, a non-string key: the escaper refuses it) is left to `json.dumps` itself."""
    try:
        return _text(data, "\n") + "\n"
    except (_Unplain, TypeError):
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


class Items:
    """A list for `dumps` whose items are made one by one as they are written (`dump`), so that
    the text of 770,000 cohorts is never held whole."""

    def __init__(self, items: Iterable[Any], stream: TextIO) -> None:
        self.items = items
        self.stream = stream


def dump(data: Any, stream: TextIO) -> None:
    """`dumps(data)` written to `stream` as it is made: the items of an `Items` in `data` are made,
    laid out and written one at a time. `data` holds only what JSON writes as it stands."""
    _streamed(data, "\n", stream)
    stream.write("\n")


class Laid(dict):
    """A mapping made once and never changed, written in many documents that are only laid out as
    text (a rule value's JSON, in every result of a batch that applies it): `dumps` lays it out
    once for each depth it is written at, and writes that text again. Never handed to a caller."""

    __slots__ = ("texts",)

    def __init__(self, entries: dict[str, Any]) -> None:
        super().__init__(entries)
        self.texts: dict[str, str] = {}  # line break and indent -> the text


class _Unplain(Exception):
    pass


_quote = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring
_FLOAT = float.__repr__
_INT = int.__repr__
_WHOLE = {int}


_SHAPES: dict[tuple[str, ...], list[Any]] = {}  # (a mapping's keys..., its depth) -> its text around the values


def _shape(value: dict[Any, Any], newline: str) -> list[Any]:
    """The text of a mapping of these keys at this depth around its values, as `json.dumps`
    writes it (`{`, each key quoted with its colon, `,` between, `}` on its own line): kept for the
    next mapping of the same keys (a result's cohorts, months and funding sources share a few), a
    slot (None) for each value. Keys that are not plain strings are refused, as JSON would."""
    inner = newline + "  "
    shape: list[Any] = []
    for position, key in enumerate(value):
        shape += ((("{" if not position else ",") + inner + _quote(key) + ": "), None)
    shape.append(newline + "}")
    if len(_SHAPES) < 1024 and all(type(key) is str and len(key) <= 64 for key in value):  # a few hundred in any run
        _SHAPES[(*value, newline)] = shape
    return shape


def _text(value: Any, newline: str) -> str:
    """`value` laid out as `json.dumps(indent=2)` lays it out at the depth whose line break and
    indent is `newline`. An entry or item that is a whole number or a text (most of a result) is
    written at once, in the comprehension (a null or a finite float too: `x - x == 0` is false for
    NaN and infinities); anything else in turn."""
    kind = type(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        shape = _SHAPES.get((*value, newline))
        if shape is None:
            shape = _shape(value, newline)
        out = shape.copy()  # each key's text before its value, then the closing brace: the values go between
        out[1::2] = [_INT(item) if type(item) is int else _quote(item) if type(item) is str else "null" if item is None
                     else _FLOAT(item) if type(item) is float and item - item == 0 else _text(item, inner)
                     for item in value.values()]
        return "".join(out)
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        if type(value[0]) is int and {*map(type, value)} == _WHOLE:  # a year's figures: one join
            return "[" + inner + ("," + inner).join(map(_INT, value)) + newline + "]"
        return "[" + inner + ("," + inner).join([
            _INT(item) if type(item) is int else _quote(item) if type(item) is str else "null" if item is None
            else _FLOAT(item) if type(item) is float and item - item == 0 else _text(item, inner)
            for item in value]) + newline + "]"
    if kind is Laid:
        text = value.texts.get(newline)
        if text is None:
            text = value.texts[newline] = _text(dict(value), newline)
        return text
    if kind is str:
        return _quote(value)
    if kind is int:
        return _INT(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is float and value == value and value not in (float("inf"), float("-inf")):
        return _FLOAT(value)
    if isinstance(value, str):  # a rule book text (i18n.RuleText): written as its string, as json does
        return _quote(value)
    raise _Unplain  # another subclass, NaN or infinity, or what JSON cannot write: json.dumps decides


def _streamed(value: Any, newline: str, stream: TextIO) -> None:
    """`_text(value, newline)` written to `stream` a piece at a time: an `Items`' items made and
    laid out one by one, the containers around it entry by entry."""
    kind = type(value)
    if kind is not dict and kind is not list and kind is not tuple and kind is not Items:
        stream.write(_text(value, newline))
        return
    inner = newline + "  "
    opening, closing = ("{", "}") if kind is dict else ("[", "]")
    pieces: list[str] = []
    first = True
    for entry in value.items() if kind is dict else value.items if kind is Items else value:
        pieces.append((opening if first else ",") + inner)
        first = False
        if kind is dict:
            key, entry = entry
            pieces.append(_quote(key) + ": ")
        if kind is Items:
            pieces.append(_text(entry, inner))
            if len(pieces) > 4096:  # written as it goes
                stream.write("".join(pieces))
                pieces.clear()
        else:
            stream.write("".join(pieces))
            pieces.clear()
            _streamed(entry, inner, stream)
    pieces.append(opening + closing if first else newline + closing)
    stream.write("".join(pieces))


def rules_used(result: Result) -> list[RuleValue]:
    """Every rule value the budget rests on, once per (name, effective date), sorted; an assumed
    (carried forward) use wins over a known one so that the assumption is shown. Worked out once per
    result (the JSON and the notes under it both need it), from each distinct rule value once: cohorts
    priced alike share their year, months alike their parts, and parts the book's values."""
    cached = result.__dict__.get("_rules_used")
    if cached is not None:
        return list(cached)
    years = {id(item.year): item.year for item in result.cohorts}.values()
    months = {id(parts): parts for year in years for parts in year.parts}.values()
    rules: dict[tuple[str, int], RuleValue] = {}
    for rule in {id(rule): rule for parts in months for part in parts for rule in part.rules}.values():  # each value once, in order of use
        known = rules.get((rule.name, rule.effective))
        if known is None or (rule.assumed and not known.assumed):
            rules[(rule.name, rule.effective)] = rule
    used = [rules[key] for key in sorted(rules)]
    object.__setattr__(result, "_rules_used", tuple(used))  # a memo on a frozen result: it never changes
    return used


def diagnostics_json(result: Result) -> list[dict[str, Any]]:
    """The result's diagnostics as JSON's `diagnostics` lists them, in the run's language. Made once
    per result (a batch writes them into the result and into summary.json): the list is each
    caller's own, the entries are shared and only read."""
    made = result.__dict__.get("_diagnostics_json")
    if made is None:
        made = tuple(item.to_json() for item in result.diagnostics)
        object.__setattr__(result, "_diagnostics_json", made)  # a memo on a frozen result, as in rules_used
    return list(made)


def applied_rule(rule: RuleValue, laid: bool = False) -> dict[str, Any]:
    """A rule value for JSON's `rules_applied`. Made once per value and kept on it (a frozen value
    never changes; the shipped book's values are shared by every scenario of a batch); each caller
    gets its own copy, but a document only laid out as text (`to_json`, `laid`), which gets the
    one `Laid` mapping: its text is made once."""
    made = rule.__dict__.get("_json")
    if made is None:
        made = Laid({
            "name": rule.name,
            "value": fmt.rule_value(rule.unit, rule.value, "en"),
            "effective": rule.effective_label,
            "reference": rule.reference,
            "unverified": rule.unverified,
            "assumed_after": month_label(rule.known_through) if rule.assumed else None,
            "origin": rule.origin,  # book | override | assumption | projection
        })
        object.__setattr__(rule, "_json", made)
    return made if laid else dict(made)


# A month's label ("2025-04") is written a few dozen times a result: each is made once a process.
_label = functools.cache(month_label)


def _figures(result: Result, item: CohortTotal | CohortResult, months: int | None, start: int, end: int) -> dict[str, Any]:
    """The figures a scenario cohort and each of its groups both have."""
    year, per_person = result.scenario.year, item.per_person
    return {"months": months, "start": _label(month_index(year, start)), "end": _label(month_index(year, end)),
            "amount": item.amount, "by_month": list(item.by_month), "by_program": dict(item.by_program),
            "per_person_by_month": None if per_person is None else list(per_person), "worker_paid": item.worker_paid, "relief": item.relief}


def cohort_dict(result: Result, total: CohortTotal) -> dict[str, Any]:
    """A scenario cohort for JSON. A `from_csv` cohort adds its file, its villages (rows) and its
    `groups`: the rows priced alike, each with its own terms and figures (one group when every row
    prices alike). Where its groups differ, `months` and `per_person_by_month` are null and `start`
    and `end` span them; the groups add up to the cohort exactly."""
    cohort = total.cohort
    entry = {"name": total.name, "sector": cohort.sector, "category": cohort.category, "funding": cohort.funding,
             "workers": total.workers,
             **_figures(result, total, total.months, total.start, total.end)}
    if cohort.places is not None:
        entry["from_csv"] = cohort.places.file
        entry["villages"] = total.villages
        entry["groups"] = [
            {"name": group.cohort.name, "income": group.cohort.income, "workers": group.cohort.workers, "villages": group.cohort.places.villages,
             **_figures(result, group, group.cohort.months, group.cohort.start, group.cohort.end)}
            for group in total.groups
        ]
    return entry


def to_dict(result: Result) -> dict[str, Any]:
    """The documented JSON shape (README, "JSON output")."""
    return _document(result, [cohort_dict(result, total) for total in result.by_cohort])


def _document(result: Result, cohorts: list[dict[str, Any]] | Items, laid: bool = False) -> dict[str, Any]:
    """`to_dict`'s mapping; `laid` for one only laid out as text (`applied_rule`)."""
    scenario, coverage = result.scenario, result.coverage
    rates = {active: ratio(coverage.rate(active)) for active in set(coverage.active_by_month)}  # months share a few counts
    return {
        "scenario": scenario.name,
        "region": scenario.region,
        "year": scenario.year,
        "total": result.total,
        "by_month": [
            {"month": _label(month), "amount": amount, "covered": active, "coverage_rate": rates[active]}
            for month, amount, active in zip(result.months, result.by_month, coverage.active_by_month)
        ],
        "by_program": dict(result.by_program),
        "by_payer": dict(result.by_payer),
        "by_funding": {
            key: {"name": item.scheme.name, "kind": item.scheme.kind, "amount": item.amount, "ceiling": item.scheme.ceiling, "over": item.over,
                  "relief": item.scheme.relief}
            for key, item in result.by_funding.items()
        },
        "cohorts": cohorts,
        "coverage": coverage_dict(result),
        "worker_paid": result.worker_paid,
        "relief": result.relief,
        "rules_applied": [applied_rule(rule, laid) for rule in rules_used(result)],
        "diagnostics": diagnostics_json(result),
        "what_if": what_if_dict(result.rules),  # None unless the scenario changes the rule book
    }


def to_json(result: Result, stream: TextIO | None = None) -> str | None:
    """The JSON text of `result`; written to `stream` as it is made (one cohort at a time) when one is given."""
    if stream is None:
        return dumps(_document(result, [cohort_dict(result, total) for total in result.by_cohort], laid=True))
    dump(_document(result, Items((cohort_dict(result, total) for total in result.by_cohort), stream), laid=True), stream)
    return None


CSV_COLUMNS = ("cohort", "sector", "category", "funding", "funding_kind", "month", "program", "payer",
               "base", "full_rate_percent", "full_per_person", "rate_percent", "relief_share_percent", "per_person", "workers", "amount",
               "rules", "references")


def to_csv(result: Result) -> str:
    """One row per cohort x month x program and payer share: the budget line by line, with every rule
    that set it, so a spreadsheet can re-add every total and redo every figure (README, "CSV").
    The header row and the values stay English in every language."""
    out = io.StringIO()
    writer = csvout.writer(out)
    writer.writerow(CSV_COLUMNS)
    for line in result.lines():
        part = line.part  # every cell read from its trace by role
        rate, full_rate = part.rate, part.normal_rate
        writer.writerow((
            *map(fmt.csv_text, (line.cohort.name, line.cohort.sector, line.cohort.category, line.scheme.id, line.scheme.kind)),
            month_label(line.month), part.program, part.payer, "" if part.base is None else part.base,
            "" if full_rate is None else format_percent(full_rate.value), part.full, "" if rate is None else format_percent(rate.value),
            "" if part.share is None else format_percent(part.share), part.per_person, line.cohort.workers,
            line.amount, fmt.csv_text("; ".join(r.name for r in part.rules)), fmt.csv_text(" | ".join(r.reference for r in part.rules)),
        ))
    return out.getvalue()


# --- words shared by the text, markdown and xlsx renderers ---

def status_text(over: int, ceiling: int | None) -> str:
    return EMPTY if ceiling is None else _("OVER") if over else _("ok")


def funding_headers() -> list[str]:
    return [_("Funding"), _("Name"), _("Kind"), _("Amount (Rp)"), _("Ceiling (Rp)"), _("Left (Rp)"), _("Status")]


FUNDING_NUMERIC = {3, 4, 5}


def funding_rows(result: Result) -> list[list[str]]:
    rows = []
    for key, item in result.by_funding.items():
        ceiling = item.scheme.ceiling
        rows.append([fmt.safe(key), fmt.safe(item.scheme.name), item.scheme.kind, fmt.number(item.amount),
                     EMPTY if ceiling is None else fmt.number(ceiling), EMPTY if item.left is None else fmt.number(item.left),
                     status_text(item.over, ceiling)])
    return rows


def coverage_text(result: Result) -> str:
    coverage = result.coverage
    return _("{before} -> {after} of {employed} employed ({rate_before} -> {rate_after})").format(
        before=fmt.number(coverage.covered_before), after=fmt.number(coverage.covered_after), employed=fmt.number(coverage.employed),
        rate_before=fmt.percent(coverage.rate(coverage.covered_before)), rate_after=fmt.percent(coverage.rate(coverage.covered_after)))


def summary_rows(result: Result) -> list[tuple[str, str]]:
    scenario = result.scenario
    changes = what_if_changes(result.rules)
    rows = [(_("WHAT-IF BUDGET"), _("not the rule book's: {changes}").format(changes=changes))] if changes else []
    rows.append((_("Scenario"), fmt.safe(scenario.name)))
    if scenario.region:
        rows.append((_("Region"), fmt.safe(scenario.region)))
    rows += [(_("Budget year"), str(scenario.year)), (_("Total budget"), fmt.rupiah_long(result.total)), (_("Coverage"), coverage_text(result))]
    if result.relief:
        rows.append((_("Temporary reliefs"), _("{amount} less than at the full rates").format(amount=fmt.rupiah(result.relief))))
    if result.worker_paid:
        rows.append((_("Workers' own share"), _("{amount} (JHT/JP deducted from wages, outside the budget)").format(amount=fmt.rupiah(result.worker_paid))))
    return rows


def covered_span(result: Result, start: int, end: int) -> str:
    """The months a cohort is covered, as table headings: `Apr-Des`, or one month."""
    first, last = fmt.month_abbr(start - 1), fmt.month_abbr(end - 1)
    return first if start == end else f"{first}-{last}"


# short and actionable, about this scenario's own figures: shown whole, never folded away
SHOWN_NOTES = frozenset({"N-project-cap", "N-eligibility-skipped", "N-village-spending-cap", "N-village-spending-partial",
                         "N-village-spending-unchecked"})


def visible(diagnostics: Iterable[Diagnostic], quiet: bool = False) -> list[Diagnostic]:
    """The diagnostics shown whole, wherever they are shown: every error and warning, and the
    actionable notes (`SHOWN_NOTES`) unless `quiet`; the other notes are folded or left in the files."""
    return [item for item in diagnostics if item.severity != "note" or (item.code in SHOWN_NOTES and not quiet)]


def shown_diagnostics(diagnostics: Iterable[Diagnostic], results: Iterable[Result] = (), quiet: bool = False,
                      rules: Iterable[RuleValue] | None = None) -> list[str]:
    """The lines a person reads under a report: every error and warning in full, the actionable
    notes (`SHOWN_NOTES`) in full, and the other notes (on unverified rules, repeated by every run)
    folded into one short line pointing to the detail; `quiet` drops the notes. `rules`, when
    given, are the only rules behind what is shown (`explain --cohort`): notes on any other rule
    are left out. Never wrapped: each line stays whole for grep and for pasting."""
    used = [rule for result in results for rule in rules_used(result)] if rules is None else list(rules)
    items = list(diagnostics)
    if rules is not None:
        names = {rule.name for rule in used}
        items = [item for item in items if item.severity != "note" or dict(item.args).get("rule", dict(item.args).get("name")) in names]
    lines = [str(item) for item in visible(items, quiet)]
    notes = [item for item in items if item.severity == "note" and item.code not in SHOWN_NOTES]
    if notes and not quiet:
        names = sorted({rule.name for rule in used if rule.unverified})
        if names:
            detail = ngettext("{count} unverified rule behind these figures ({names}); see `ucj rules --unverified`; --quiet hides this line",
                              "{count} unverified rules behind these figures ({names}); see `ucj rules --unverified`; --quiet hides this line",
                              len(names)).format(count=fmt.number(len(names)), names=", ".join(names))
        else:
            detail = ngettext("{count} note; see --format json; --quiet hides this line",
                              "{count} notes; see --format json; --quiet hides this line", len(notes)).format(count=fmt.number(len(notes)))
        lines.append(f"{_('note')}: {detail}")
    return lines


# --- markdown ---

def md_cell(text: object) -> str:
    """User text made safe for one markdown table cell: control characters escaped, `|` escaped."""
    return fmt.safe(text, limit=10_000).replace("|", "\\|")


def md_table(headers: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    from tabulate import tabulate

    align = ["right" if index in numeric else "left" for index in range(len(headers))]
    return tabulate(rows, headers=headers, tablefmt="pipe", disable_numparse=True, colalign=align)


def to_markdown(result: Result, quiet: bool = False) -> str:
    coverage = result.coverage
    months = [fmt.month_abbr(i) for i in range(12)]
    cohort_rows = [[md_cell(item.name), fmt.number(item.workers), *map(month_text, item.by_month), fmt.number(item.amount)]
                   for item in result.by_cohort]
    cohort_rows.append([f"**{_('Total')}**", "", *map(month_text, result.by_month), f"**{fmt.number(result.total)}**"])
    cohort_rows.append([_("Coverage"), "", *(fmt.percent(coverage.rate(a)) for a in coverage.active_by_month), ""])
    funding = [[md_cell(cell) if index < 2 else cell for index, cell in enumerate(row)] for row in funding_rows(result)]
    parts = [
        f"# {md_cell(result.scenario.name)}\n",
        md_table(["", ""], [[label, md_cell(value)] for label, value in summary_rows(result)], set()),
        f"\n## {_('Funding schemes')}\n",
        md_table(funding_headers(), funding, FUNDING_NUMERIC),
        f"\n## {_('Cohorts by month (Rp)')}\n",
        md_table([_("Cohort"), _("Workers"), *months, _("Total")], cohort_rows, set(range(1, 15))),
        f"\n## {_('By program (Rp)')}\n",
        md_table([_("Program"), _("Amount")], [[p.upper(), fmt.number(result.by_program[p])] for p in PROGRAMS] + [[_("Total"), fmt.number(result.total)]], {1}),
    ]
    lines = shown_diagnostics(result.diagnostics, [result], quiet)
    if lines:
        parts.append(f"\n## {_('Warnings and notes')}\n")
        parts.append("\n".join(f"- {md_cell(line)}" for line in lines))
    return "\n".join(parts) + "\n"


# --- the text table (Rich) ---

def page(result: Result, quiet: bool = False, chart: bool = False) -> str:
    """The table for a file or a pipe, drawn at its natural width (no terminal to fit), so no line
    is wrapped and no figure cut."""
    console = page_console()
    print_table(result, console, quiet, chart)
    return page_text(console)


PAGE_WIDTH = 100_000  # "as wide as the content": Rich tables take their natural width, never more


def page_console() -> Any:
    """A plain console writing into a string, as wide as its content needs."""
    from rich.console import Console

    return Console(file=io.StringIO(), width=PAGE_WIDTH, color_system=None, force_terminal=False, highlight=False, emoji=False, markup=False)


def page_text(console: Any) -> str:
    """What a page console drew, without the spaces Rich pads each line with."""
    return "".join(line.rstrip() + "\n" for line in console.file.getvalue().splitlines())


def cell(text: str, style: str = "") -> Any:
    """Text for a Rich cell: never read as markup, so a name like `[bold]` shows as typed."""
    from rich.text import Text

    return Text(text, style=style)


def print_fitted(console: Any, headers: list[str], rows: list[list[Any]], numeric: set[int], title: str | None = None,
                 total_row: bool = False, key_limit: int | None = None) -> None:
    """A table that never cuts a figure short: the columns after the first are packed into as many
    tables as the console needs, each repeating the first (key) column. Cells are text or Rich Text;
    `total_row` sets the last row apart."""
    from rich import box
    from rich.table import Table

    plain = [[item.plain if hasattr(item, "plain") else str(item) for item in row] for row in rows]
    widths = [max([len(header)] + [len(row[i]) for row in plain]) for i, header in enumerate(headers)]
    widths = [width if index in numeric or index == 0 else min(width, text_width(console, 24)) for index, width in enumerate(widths)]
    key_width = min(widths[0], key_limit or max(28, console.width // 3))
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
            table.add_row(*(as_cell(item) for item in (row[0], *(row[index] for index in group))))
        print_uncut(console, table, min(key_width, 14) + 4 + sum(widths[index] + 3 for index in group))


def page_table(headers: list[str], rows: list[list[str]], numeric: set[int], title: str) -> str | None:
    """The text `print_fitted` draws on a plain page (a pipe or a file: one table as wide as its
    content, no colour, a UTF encoding), laid out without Rich, byte for byte: Rich measures and
    renders every cell as segments, a few seconds for a batch of thousands of files. None where
    only Rich lays it out right: text that is not printable ASCII (wide and combining characters),
    text long enough to fold, a title wider than the table (Rich wraps it), a lone key column
    (`print_fitted` draws none)."""
    lines = [headers, *rows]
    if len(headers) < 2 or not all(text.isascii() and text.isprintable() for line in lines for text in line) or not (title.isascii() and title.isprintable()):
        return None
    widths = [max(len(line[index]) for line in lines) for index in range(len(headers))]
    if max(widths) > PAGE_WIDTH // 6:  # text as long folds, even on a page (`text_width`)
        return None
    right = [index in numeric and index > 0 for index in range(len(headers))]  # the key column is never right-justified
    lines = [[text.rstrip() if right[index] else text for index, text in enumerate(line)] for line in lines]  # Rich strips a right-justified cell
    width = sum(widths) + 3 * len(widths) + 1  # an edge, each cell padded by a space on each side, a space between cells, an edge
    if len(title) > width:
        return None
    blank = " " * width + "\n"
    rules = " " + "─" * (width - 2) + " \n"  # SIMPLE_HEAD: only the header is underlined
    drawn = ["  " + "   ".join(text.rjust(size) if right[index] else text.ljust(size) for index, (text, size) in enumerate(zip(line, widths))) + "  \n"
             for line in lines]
    return "".join([title.ljust(width) + "\n" if title else "", blank, drawn[0], rules, *drawn[1:], blank])


def print_uncut(console: Any, table: Any, needed: int | None = None) -> None:
    """Print a table at least as wide as its figures need, even on a tiny terminal: Rich clamps
    `print(width=...)` to the terminal and would crop a figure (`507.612` for `507.612.000`); a line
    wider than the terminal is wrapped by the terminal instead, every digit kept."""
    if needed is None:
        from rich.measure import Measurement

        needed = Measurement.get(console, console.options.update_width(10_000), table).minimum
    if needed <= console.width:
        console.print(table)
        return
    width = console.width
    console.width = needed
    try:
        console.print(table)
    finally:
        console.width = width


def text_width(console: Any, narrow: int) -> int:
    """The widest a name column may be before it folds: `narrow` on a terminal, more on a wide one,
    and no limit on a page (a pipe or a file)."""
    return max(narrow, console.width // 6)


def as_cell(item: Any) -> Any:
    return cell(item) if isinstance(item, str) else item


def _cohort_rows(result: Result) -> list[tuple[str, str, tuple[int, ...], int, str]]:
    """(name, workers, by month, amount, months covered): the first TABLE_COHORTS cohorts of the
    scenario and one row for the rest, totalled by the result (`Result.folded`)."""
    shown, rest = result.folded(TABLE_COHORTS)
    rows = [(fmt.safe(item.name), fmt.number(item.workers), item.by_month, item.amount, covered_span(result, item.start, item.end))
            for item in shown]
    if rest is not None:  # a terminal table of thousands of rows helps no one; the sums stay whole
        rows.append((_("... {count} more cohorts (see --format csv)").format(count=fmt.number(len(result.by_cohort) - len(shown))),
                     fmt.number(rest.workers), rest.by_month, rest.amount, ""))
    return rows


def _months_per_table(console: Any, result: Result, rows: list) -> int:
    """How many month columns the cohort x month table can hold on this console: 12 (one table), 6
    (two half-year tables, the year's total on the second), or 0 (the narrow layout)."""
    name_width = min(28, max(len(row[0]) for row in rows + [(_("Coverage"),)]))
    workers_width = max(len(text) for text in [row[1] for row in rows] + [_("Workers")])
    month_width = max(len(text) for text in [fmt.number(a) for a in result.by_month] + [fmt.percent(Fraction(1))])
    total_width = max(len(fmt.number(result.total)), len(_("Total")))
    for months in (12, 6):
        if name_width + workers_width + months * (month_width + 3) + total_width + 9 <= console.width:
            return months
    return 0


def print_table(result: Result, console: Any, quiet: bool = False, chart: bool = False) -> None:
    """The report for a person: summary, funding schemes, cohorts (by month where the console is
    wide enough; else cohorts and months as two narrow tables), programs, then the diagnostics."""
    from rich.table import Table

    rows = summary_rows(result)
    # The longest word of a value (a figure, a rule name) always fits: on a narrow console the
    # labels wrap first, and a value longer than the whole line folds rather than being cut.
    longest = min(max(len(word) for _, value in rows for word in value.split()), console.width - 12)
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold", max_width=max(10, console.width - 2 - longest))
    summary.add_column(min_width=longest, overflow="fold")
    for label, value in rows:
        summary.add_row(cell(label), cell(value))
    console.print(summary)
    console.print()

    _print_funding(console, result)
    cohorts = _cohort_rows(result)
    months = _months_per_table(console, result, cohorts)
    if months:
        for first in range(0, 12, months):
            _print_months_as_columns(console, result, cohorts, range(first, first + months))
    else:
        _print_months_as_rows(console, result, cohorts)

    if chart:  # the year at a glance (ucj_cli/render_chart.py)
        from ucj_cli.render.chart import print_year_chart
        print_year_chart(result, console)

    rows = [[program.upper(), fmt.number(result.by_program[program])] for program in PROGRAMS] + [[_("Total"), fmt.number(result.total)]]
    print_fitted(console, [_("Program"), _("Amount")], rows, {1}, title=_("By program (Rp)"), total_row=True)

    for line, item in zip(shown_diagnostics(result.diagnostics, [result], quiet), _styles(result.diagnostics)):
        console.print(cell(line, item), soft_wrap=True)  # soft_wrap: a long line stays one line


def _styles(diagnostics: Iterable[Diagnostic]) -> Iterable[str]:
    for item in diagnostics:
        if item.severity != "note":
            yield "yellow" if item.severity == "warning" else "red"
    while True:
        yield "dim"


def _print_funding(console: Any, result: Result) -> None:
    """Each funding scheme against its ceiling; on a narrow console the kind goes beside the id
    (`dbhcht (apbd)`, headed `Funding (Kind)`) and the name under them, so the figures fit."""
    headers = funding_headers()
    rows = [[cell(text, "bold red" if item.over and index in (5, 6) else "") for index, text in enumerate(row)]
            for row, item in zip(funding_rows(result), result.by_funding.values())]
    widest = [max(len(row[index].plain) for row in rows + [[cell(h) for h in headers]]) for index in range(len(headers))]
    if sum(widest) + 3 * len(headers) > console.width:
        room = console.width - sum(widest[3:]) - 3 * len(widest[3:]) - 4
        keys = [f"{row[0].plain} ({row[2].plain})" for row in rows]
        width = max(14, min(room, max(max(map(len, keys)), widest[1])))
        rows = [[cell(f"{key}\n{row[1].plain}"), *row[3:]] for key, row in zip(keys, rows)]
        headers = [f"{headers[0]} ({headers[2]})", *headers[3:]]
        print_fitted(console, headers, rows, {1, 2, 3}, title=_("Funding schemes"), key_limit=width)
        return
    print_fitted(console, headers, rows, FUNDING_NUMERIC, title=_("Funding schemes"))


def _print_months_as_columns(console: Any, result: Result, cohorts: list, months: range) -> None:
    """Cohorts x `months`; the table holding December also holds the year's total."""
    from rich import box
    from rich.table import Table

    coverage = result.coverage
    title = _("Cohorts by month (Rp)")
    if len(months) < 12:
        title = f"{title}, {fmt.month_abbr(months[0])}-{fmt.month_abbr(months[-1])}"
    with_total = months[-1] == 11
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", show_footer=True)
    table.add_column(_("Cohort"), footer=cell(f"{_('Total')}\n{_('Coverage')}"), max_width=text_width(console, 28), overflow="fold")
    table.add_column(_("Workers"), justify="right", no_wrap=True)
    for offset in months:
        table.add_column(fmt.month_abbr(offset), justify="right", no_wrap=True,
                         footer=cell(f"{month_text(result.by_month[offset])}\n{fmt.percent(coverage.rate(coverage.active_by_month[offset]))}"))
    if with_total:
        table.add_column(_("Total"), justify="right", no_wrap=True, footer=cell(fmt.number(result.total) + "\n"))
    for name, workers, by_month, amount, _span in cohorts:
        table.add_row(cell(name), workers, *(month_text(by_month[offset]) for offset in months), *([fmt.number(amount)] if with_total else []))
    print_uncut(console, table)


def _print_months_as_rows(console: Any, result: Result, cohorts: list) -> None:
    """The narrow layout (60-80 columns): each cohort with its covered months and year total, then
    the twelve months as rows with the budget and coverage of each."""
    coverage = result.coverage
    rows = [[name, workers, span, fmt.number(amount)] for name, workers, _by_month, amount, span in cohorts]
    rows.append([_("Total"), fmt.number(result.workers), "", fmt.number(result.total)])
    print_fitted(console, [_("Cohort"), _("Workers"), _("Months"), _("Total (Rp)")], rows, {1, 3}, title=_("Cohorts (Rp)"), total_row=True)
    rows = [[fmt.month_abbr(offset), month_text(amount), fmt.number(active), fmt.percent(coverage.rate(active))]
            for offset, (amount, active) in enumerate(zip(result.by_month, coverage.active_by_month))]
    rows.append([_("Total"), fmt.number(result.total), "", ""])
    print_fitted(console, [_("Month"), _("Amount (Rp)"), _("Covered"), _("Coverage")], rows, {1, 2, 3}, title=_("By month"), total_row=True)
