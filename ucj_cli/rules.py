"""The rule book: contribution rates, flat amounts, wage caps and reliefs as dated data.

Rule files live in `ucj_cli/rulebook/` (see its README). The engine never holds a rate: it asks the
rule book "what is parameter X in month M" and gets back a `RuleValue` that carries the value *and*
why (effective date, regulation reference, whether it is unverified or assumed for a future month),
so any figure can be traced to its article. `RuleBook.with_values` returns a copy with extra dated
values for what-if pricing, leaving the shipped rules untouched.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass, replace
from decimal import InvalidOperation
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Iterable, Union

from ucj_cli import source
from ucj_cli.errors import Diagnostic, Mark, RuleBookError, diagnostic
from ucj_cli.i18n.messages import Choices, Month
from ucj_cli.money import percent
from ucj_cli.period import month_index, month_label, parse_month_label

Value = Union[Fraction, int, tuple[str, ...], None]
UNITS = ("percent", "currency-IDR", "list")
_NODE_KEYS = {"description", "reference", "unit", "note", "known_through"}
_ENTRY_KEYS = {"value", "reference", "unverified", "note"}


@dataclass(frozen=True)
class RuleValue:
    """One parameter's value in one month, with the reasons for it.

    `value` is a Fraction of the base for `percent`, whole rupiah for `currency-IDR`, a tuple for
    `list`, and None when the rule has stopped applying (e.g. a relief that ended).
    """

    name: str
    value: Value
    unit: str
    effective: int
    reference: str
    unverified: str | None = None
    assumed: bool = False  # the month is past `known_through`: the latest value is carried forward
    known_through: int | None = None

    @property
    def effective_label(self) -> str:
        return month_label(self.effective)


@dataclass(frozen=True)
class Entry:
    start: int
    value: Value
    reference: str
    unverified: str | None


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    reference: str
    unit: str
    entries: tuple[Entry, ...]
    known_through: int | None = None
    mark: Mark | None = None

    def at(self, month: int) -> RuleValue:
        """The value in force in `month`; a month past `known_through` is flagged as assumed."""
        starts = [entry.start for entry in self.entries]
        position = bisect.bisect_right(starts, month) - 1
        if position < 0:
            raise RuleMissing(self.name, month, self.entries[0].start)
        entry = self.entries[position]
        assumed = self.known_through is not None and month > self.known_through and entry.value is not None
        return RuleValue(self.name, entry.value, self.unit, entry.start, entry.reference, entry.unverified, assumed, self.known_through)


class RuleMissing(RuleBookError):
    """No value of a parameter is known for a month (a budget year before the rule book starts)."""

    def __init__(self, name: str, month: int, first: int) -> None:
        self.name, self.month, self.first = name, month, first
        super().__init__(self.at(Mark("<rule book>")))

    def at(self, mark: Mark) -> Diagnostic:
        """The problem pinned to where the scenario asks for the month (its `year:`)."""
        return diagnostic(mark, "E-rule-missing-month", rule=self.name, month=Month(self.month), first=Month(self.first))


@dataclass(frozen=True)
class RuleBook:
    parameters: dict[str, Parameter]

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - the book is immutable and lives as long as the process
    def get(self, name: str, month: int) -> RuleValue:
        try:
            parameter = self.parameters[name]
        except KeyError:
            raise RuleBookError(diagnostic(Mark("<rule book>"), "E-rule-unknown", rule=name)) from None
        return parameter.at(month)

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def with_values(self, name: str, values: Iterable[tuple[int, object, str]]) -> RuleBook:
        """A copy where `name` also has the given (start month, value, reference) entries; values
        are in the parameter's unit as the rule files write them (percentages as "6", not 0.06)."""
        parameter = self.parameters[name]
        merged = {entry.start: entry for entry in parameter.entries}
        for start, value, reference in values:
            merged[start] = Entry(start, coerce(parameter.unit, value), reference, None)
        entries = tuple(merged[key] for key in sorted(merged))
        return RuleBook({**self.parameters, name: replace(parameter, entries=entries)})


@functools.cache
def load_rulebook(path: str | None = None) -> RuleBook:
    """Load every `*.yaml` under `path` (default: the rule book shipped in the package)."""
    root = Path(path) if path else Path(str(resources.files("ucj_cli") / "rulebook"))
    parameters: dict[str, Parameter] = {}
    for file in sorted(root.rglob("*.yaml")):
        prefix = ".".join(file.relative_to(root).with_suffix("").parts)
        display = str(file)
        try:
            node = source.parse(source.read_text(display), display)
        except source.SourceError as exc:
            raise RuleBookError(exc.diagnostic) from None
        if node is None or node.kind != "map":
            raise _fail(Mark(display), "E-rule-file-empty")
        for parameter in _parameters(prefix, node, {}):
            parameters[parameter.name] = parameter
    if not parameters:
        raise _fail(Mark(str(root)), "E-rule-none")
    return RuleBook(parameters)


def _fail(mark: Mark, code: str, **args: object) -> RuleBookError:
    return RuleBookError(diagnostic(mark, code, **args))


def _text(node: source.Node, what: str) -> str:
    if node.kind != "scalar" or not isinstance(node.value, str) or not node.value.strip():
        raise _fail(node.mark, "E-rule-not-text", what=what)
    return " ".join(node.value.split())


def _parameters(name: str, node: source.Node, inherited: dict[str, str]) -> list[Parameter]:
    fields = dict(inherited)
    for key in ("description", "reference", "unit"):
        if key in node.value:
            fields[key] = _text(node.value[key].node, key)
    if "values" in node.value:
        unknown = set(node.value) - _NODE_KEYS - {"values"}
        if unknown:
            key = sorted(unknown)[0]
            raise _fail(node.value[key].key_mark, "E-rule-unknown-key", key=key, rule=name, keys=Choices(sorted(_NODE_KEYS | {"values"})))
        return [_parameter(name, node, fields)]
    children = [key for key in node.value if key not in _NODE_KEYS]
    if not children:
        raise _fail(node.mark, "E-rule-no-values", rule=name)
    found: list[Parameter] = []
    for key in children:
        child = node.value[key].node
        if child.kind != "map":
            raise _fail(child.mark, "E-rule-not-a-mapping", rule=f"{name}.{key}")
        found.extend(_parameters(f"{name}.{key}", child, {k: v for k, v in fields.items() if k != "description"}))
    return found


def _parameter(name: str, node: source.Node, fields: dict[str, str]) -> Parameter:
    for key in ("description", "reference", "unit"):
        if key not in fields:
            raise _fail(node.mark, "E-rule-missing-field", rule=name, key=key)
    unit = fields["unit"]
    if unit not in UNITS:
        raise _fail(node.mark, "E-rule-unit", rule=name, unit=unit, units=Choices(UNITS))
    known_through = None
    if "known_through" in node.value:
        known = node.value["known_through"].node
        known_through = parse_month_label(str(known.value))
        if known_through is None:
            raise _fail(known.mark, "E-rule-known-through")
    values = node.value["values"].node
    if values.kind != "map" or not values.value:
        raise _fail(values.mark, "E-rule-values", rule=name)
    entries = []
    for key, item in values.value.items():
        start = _start(key, item)
        entry = item.node
        if entry.kind != "map" or "value" not in entry.value or "reference" not in entry.value:
            raise _fail(entry.mark, "E-rule-entry", entry=key, rule=name)
        unknown = set(entry.value) - _ENTRY_KEYS
        if unknown:
            raise _fail(entry.mark, "E-rule-entry-key", key=sorted(unknown)[0], entry=key, rule=name, keys=Choices(sorted(_ENTRY_KEYS)))
        unverified = _text(entry.value["unverified"].node, "unverified") if "unverified" in entry.value else None
        entries.append(Entry(start, _value(unit, entry.value["value"].node), _text(entry.value["reference"].node, "reference"), unverified))
    entries.sort(key=lambda entry: entry.start)
    return Parameter(name, fields["description"], fields["reference"], unit, tuple(entries), known_through, node.mark)


def _start(key: str, item: source.Entry) -> int:
    try:
        date = dt.date.fromisoformat(key)
    except ValueError:
        raise _fail(item.key_mark, "E-rule-date", date=key) from None
    if date.day != 1:
        raise _fail(item.key_mark, "E-rule-not-first", date=key)
    return month_index(date.year, date.month)


def _value(unit: str, node: source.Node) -> Value:
    if node.kind == "scalar" and node.value is None:
        return None
    if unit == "list":
        if node.kind != "seq" or not all(item.kind == "scalar" and isinstance(item.value, str) for item in node.value):
            raise _fail(node.mark, "E-rule-list")
        return tuple(item.value for item in node.value)
    if unit == "currency-IDR":
        if node.tag != "int" or node.value < 0:
            raise _fail(node.mark, "E-rule-rupiah", value=node.text)
        return int(node.value)
    try:
        if node.tag not in {"int", "float"}:
            raise ValueError(node.text)
        return coerce(unit, node.text.replace("_", ""))
    except ValueError:
        raise _fail(node.mark, "E-rule-percent", value=node.text) from None


def coerce(unit: str, value: object) -> Value:
    """A value as the rule book holds it. Percentages are given as the regulation writes them
    ("0.445", 6, Decimal("2.5"): per cent of the base) and never as binary floats, which cannot
    hold 0.445 exactly."""
    if value is None:
        return None
    if unit == "list":
        return tuple(str(item) for item in value)  # type: ignore[union-attr]
    if isinstance(value, float) or isinstance(value, bool):
        raise ValueError(f"{value!r} is a float or bool; expected an exact decimal such as \"0.445\"")
    if unit == "currency-IDR":
        if not isinstance(value, int) or value < 0:
            raise ValueError(f"'{value}' is not whole rupiah")
        return value
    try:
        rate = percent(str(value)) if not isinstance(value, Fraction) else value / 100
    except InvalidOperation:
        raise ValueError(f"'{value}' is not a plain decimal percentage") from None
    if not 0 <= rate <= 1:
        raise ValueError(f"{value}% is outside 0..100")
    return rate
