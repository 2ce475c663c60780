"""The rule book: contribution rates, flat amounts, wage caps and reliefs as dated data.

Rule files live in `ucj_cli/rulebook/` (see its README). The engine never holds a rate: it asks the
rule book "what is parameter X in month M" and gets back a `RuleValue` that carries the value *and*
why (effective date, regulation reference, whether it is unverified or assumed for a future month),
so any figure can be traced to its article.

A run holds ONE book: the shipped rule files (`load_rulebook`) plus the scenario's what-if
(`RuleBook.with_what_if`): dated overrides that replace the book's values from their month on, and
assumptions (e.g. the GDP growth of a year BPS has not published) from which a parameter with a
`projection:` (the JP wage cap, PP 45/2015 art. 29) is projected by the law's own formula. Every
value says where it came from (`origin`), so each output can show what is what-if.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
import re
import sys
from dataclasses import field, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, Union

from ucj_cli import __version__, i18n, money, period, source
from ucj_cli.errors import Diagnostic, Mark, RuleBookError, diagnostic
from ucj_cli.frozen import frozen
from ucj_cli.i18n import RuleText
from ucj_cli.i18n.messages import Choices, Month
from ucj_cli.money import percent
from ucj_cli.period import month_index, month_label, parse_month_label
from ucj_cli.rules import cache

Value = Union[Fraction, int, tuple[str, ...], None]
UNITS = ("percent", "percent-change", "currency-IDR", "list", "roles", "account", "ratio")  # list: funding kinds; roles: participant roles;
# ratio: a coefficient as the regulation writes it (the minimum-wage alpha 0.50), not a per cent
ACCOUNT_CODE = re.compile(r"^[0-9]+(\.[0-9]+)*$")  # a chart-of-accounts code: 5.1.02.02.02.0006
ORIGINS = ("book", "override", "assumption", "projection")
_NODE_KEYS = {"description", "description_id", "reference", "reference_id", "unit", "note", "known_through", "projection", "programs", "verified"}
_PROJECTION_KEYS = {"growth", "month", "round_down_to", "reference"}
SHIPPED = Path(__file__).with_name("rulebook")  # a folder beside this module (importlib.resources would add ~7 ms to a start)
_ENTRY_KEYS = {"value", "reference", "reference_id", "unverified", "unverified_id", "note"}


@frozen
class RuleValue:
    """One parameter's value in one month, with the reasons for it.

    `value` is a Fraction of the base for `percent`, whole rupiah for `currency-IDR`, a tuple for
    `list`, (code, name) for an `account` of a chart of accounts, and None when the rule has
    stopped applying (e.g. a relief that ended).
    """

    name: str
    value: Value
    unit: str
    effective: int
    reference: str
    unverified: str | None = None
    assumed: bool = False  # the month is past `known_through`: the latest value is carried forward
    known_through: int | None = None
    origin: str = "book"  # book | override | assumption | projection (see ORIGINS)
    basis: Basis | None = None  # how a projected value was computed

    @property
    def effective_label(self) -> str:
        return month_label(self.effective)

    @property
    def verified(self) -> bool:
        return self.unverified is None

    @property
    def what_if(self) -> bool:
        """Not the shipped rule book's value: overridden, assumed by the scenario, or projected from an assumption."""
        return self.origin != "book"


@frozen
class Basis:
    """A projected value's working: `previous x (1 + growth)`, rounded down to `unit` rupiah."""

    previous: int
    previous_effective: int
    growth: Fraction
    growth_year: int
    growth_origin: str  # book (published data) or assumption
    unit: int


@frozen
class Entry:
    """One dated value of a parameter, from month `start` on, and where it came from."""

    start: int
    value: Value
    reference: str
    unverified: str | None
    origin: str = "book"
    basis: Basis | None = None


@frozen
class Projection:
    """How a parameter continues past its last announced value: `previous x (1 + growth of the year
    before)`, rounded down to `round_down_to`, from `month` of each year (PP 45/2015 art. 29)."""

    growth: str  # the parameter holding the yearly growth (unit percent-change, one entry per year)
    month: int
    round_down_to: int
    reference: str

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or self.round_down_to < 1:
            raise ValueError(f"a projection starts in a month 1-12 and rounds down to 1 rupiah or more, not {self.month} and {self.round_down_to}")

    def next_value(self, previous: int, growth: Fraction) -> int:
        return math.floor(previous * (1 + growth) / self.round_down_to) * self.round_down_to


@frozen
class Parameter:
    """One rule of the book: its dated entries, unit and reference."""

    name: str
    description: str
    reference: str
    unit: str
    entries: tuple[Entry, ...]
    known_through: int | None = None
    mark: Mark | None = None
    projection: Projection | None = None
    programs: tuple[str, ...] | None = None  # the programs a relief applies to (None: not a relief)
    verified: tuple[str, ...] = ()  # members of a list rule the regulation names outright (see `RuleBook.get`)
    starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    @property
    def overridable(self) -> bool:
        """Whether a scenario's `overrides:` may set it: not yearly growth data (that is
        `assumptions:`), a legal coefficient range (`ratio`), nor the account mapping (a funding scheme states its own codes)."""
        return self.unit not in ("percent-change", "ratio") and not self.name.startswith("accounts.")

    def __post_init__(self) -> None:
        if not self.entries:
            raise ValueError(f"parameter '{self.name}' has no values")
        object.__setattr__(self, "starts", tuple(entry.start for entry in self.entries))

    @functools.cached_property
    def _values(self) -> tuple[tuple[RuleValue, RuleValue], ...]:
        """Each entry's value as known and as assumed, made once, when the parameter is first
        looked up (a run asks for a fraction of the book): lookups are then a bisection."""
        values = []
        for entry in self.entries:
            known, assumed = (RuleValue(self.name, entry.value, self.unit, entry.start, entry.reference, entry.unverified, flag,
                                        self.known_through, entry.origin, entry.basis)
                              for flag in (False, entry.value is not None and entry.origin in ("book", "projection")))
            values.append((known, assumed))
        return tuple(values)

    def at(self, month: int) -> RuleValue:
        """The value in force in `month`; a month past `known_through` is flagged as assumed (the
        book's latest value, or a projection, carried forward)."""
        position = bisect.bisect_right(self.starts, month) - 1
        if position < 0:
            raise RuleMissing(self.name, month, self.entries[0].start)
        return self._values[position][self.known_through is not None and month > self.known_through]

    def known_through_of(self, rule: RuleValue) -> int | None:
        """Until when `rule` (one of this parameter's values) is known: only the latest value is
        "known through" a month; an earlier one simply gave way to the next."""
        return self.known_through if rule.effective == self.starts[-1] else None

    def value_for_year(self, year: int) -> Entry | None:
        """The entry starting in January of `year` (yearly data such as GDP growth), if any."""
        position = bisect.bisect_left(self.starts, month_index(year, 1))
        if position < len(self.entries) and self.entries[position].start == month_index(year, 1):
            return self.entries[position]
        return None


class RuleMissing(RuleBookError):
    """No value of a parameter is known for a month (a budget year before the rule book starts)."""

    def __init__(self, name: str, month: int, first: int) -> None:
        self.name, self.month, self.first = name, month, first
        super().__init__(self.at(Mark("<rule book>")))

    def at(self, mark: Mark) -> Diagnostic:
        """The problem pinned to where the scenario asks for the month (its `year:`)."""
        return diagnostic(mark, "E-rule-missing-month", rule=self.name, month=Month(self.month), first=Month(self.first))


@frozen
class Change:
    """One what-if value: `name` takes `value` (in the book's form: a Fraction for percentages) from
    month `start`. An override replaces the book from that month on; an assumption supplies yearly
    data the book does not have yet (`start` is January of the year). `text` is the value as the
    user wrote it, `mark` where."""

    name: str
    start: int
    value: Value
    origin: str  # override | assumption
    text: str = ""
    mark: Mark | None = field(default=None, compare=False)
    reference: str = ""  # where it was set: `file:line:column` of the scenario, or `--set NAME@YYYY-MM=VALUE`


@frozen
class WhatIf:
    """Everything a scenario changes in the rule book, kept so each output can say so."""

    changes: tuple[Change, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def overrides(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.origin == "override")

    @property
    def assumptions(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.origin == "assumption")


@frozen(eq=False)
class RuleBook:
    """The rules of one run: the shipped book plus the scenario's what-if (empty for the shipped
    book itself). `projected` lists the values projected from growth data or assumptions."""

    parameters: Mapping[str, Parameter]  # read-only: the shipped book is cached and shared by every run
    what_if: WhatIf = WhatIf()
    projected: tuple[RuleValue, ...] = ()
    _changes: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        # Every month in which some value starts or stops being known: between two of them, every
        # parameter has the same value (see `epoch`).
        changes = {start for parameter in self.parameters.values() for start in parameter.starts}
        changes |= {parameter.known_through + 1 for parameter in self.parameters.values() if parameter.known_through is not None}
        object.__setattr__(self, "_changes", tuple(sorted(changes)))

    def epoch(self, month: int) -> int:
        """A number shared by exactly the months in which every parameter has the same value (and
        the same assumed flag), so anything priced from the book can be reused across them."""
        return bisect.bisect_right(self._changes, month)

    def rule_in_force(self, name: str, month: int) -> RuleValue | None:
        """The rule in force, or None when the book has no such rule or it does not apply that month."""
        if name not in self.parameters:
            return None
        found = self.get(name, month)
        return found if found.value is not None else None

    def get(self, name: str, month: int, member: str | None = None) -> RuleValue:
        """The value of `name` in `month`. Asked about one `member` of a list rule that the rule
        file lists as `verified` (named in the regulation), the value is verified for it even where
        the entry records a doubt (which is then about the other members)."""
        try:
            parameter = self.parameters[name]
        except KeyError:
            raise RuleBookError(diagnostic(Mark("<rule book>"), "E-rule-unknown", rule=name)) from None
        value = parameter.at(month)
        if member is not None and member in parameter.verified and value.unverified is not None and value.origin == "book":
            return replace(value, unverified=None)
        return value

    def in_force(self, month: int) -> tuple[RuleValue, ...]:
        """Every parameter's value in `month`, by name; parameters not yet started are left out."""
        found = []
        for name in sorted(self.parameters):
            parameter = self.parameters[name]
            if parameter.starts[0] <= month:
                found.append(parameter.at(month))
        return tuple(found)

    def history(self, name: str) -> tuple[RuleValue, ...]:
        """Every dated value of one parameter, oldest first."""
        parameter = self.parameters[name]
        return tuple(parameter.at(start) for start in parameter.starts)

    def with_what_if(self, what_if: WhatIf) -> RuleBook:
        """A new book where each change replaces the book's values of its parameter from its month
        on (a later change of the same parameter takes over from its own month), then every
        parameter with a `projection:` is continued past its last value wherever growth data or an
        assumption covers the year. The shipped book is untouched. Without a what-if, the book
        is made once per book and shared (every plain scenario of a batch prices with one book)."""
        if not what_if.changes:
            plain = self.__dict__.get("_plain")
            if plain is None:
                plain = self._with_what_if(what_if)
                object.__setattr__(self, "_plain", plain)
            return plain
        return self._with_what_if(what_if)

    def _with_what_if(self, what_if: WhatIf) -> RuleBook:
        parameters = dict(self.parameters)
        by_name: dict[str, list[Change]] = {}
        for change in what_if.changes:
            by_name.setdefault(change.name, []).append(change)
        for name, changes in by_name.items():
            parameter = parameters[name]
            origins = {change.origin for change in changes}
            if len(origins) != 1:  # an override replaces the book from its month on, an assumption adds a year: never both
                raise ValueError(f"parameter {name!r} is changed by both an override and an assumption")
            first = min(change.start for change in changes)
            keep = [entry for entry in parameter.entries if entry.start < first or "assumption" in origins]
            merged = {entry.start: entry for entry in keep}
            for change in changes:
                merged[change.start] = Entry(change.start, change.value, change.reference or change.origin, None, change.origin)
            parameters[name] = replace(parameter, entries=tuple(merged[key] for key in sorted(merged)))
        projected = []
        for name, parameter in parameters.items():
            if parameter.projection is not None:
                parameters[name], values = _project(parameter, parameters[parameter.projection.growth])
                projected.extend(values)
        return RuleBook(parameters, what_if, tuple(projected))


def _project(parameter: Parameter, growth: Parameter) -> tuple[Parameter, list[RuleValue]]:
    """Continue `parameter` year by year while the growth of the year before its last value is
    known; each new value starts in the projection's month and is known for twelve months."""
    rule = parameter.projection
    assert rule is not None
    entries, projected = list(parameter.entries), []
    known_through = parameter.known_through
    while True:
        last = entries[-1]
        if last.value is None or last.start % 12 != rule.month - 1:
            break
        year = last.start // 12
        data = growth.value_for_year(year)
        if data is None or data.value is None:
            break
        start = month_index(year + 1, rule.month)
        basis = Basis(last.value, last.start, data.value, year, data.origin, rule.round_down_to)
        entries.append(Entry(start, rule.next_value(last.value, data.value), rule.reference, data.unverified, "projection", basis))
        known_through = max(known_through or 0, start + 11)
    if len(entries) == len(parameter.entries):
        return parameter, []
    updated = replace(parameter, entries=tuple(entries), known_through=known_through)
    return updated, [updated.at(entry.start) for entry in entries[len(parameter.entries):]]


@functools.cache
def load_rulebook(path: str | None = None) -> RuleBook:
    """Load every `*.yaml` under `path` (default: the rule book shipped in the package). The shipped
    book, once checked, is kept in ucj's cache folder (`rules.cache`) and read from there while its
    files and the modules that read them are the same."""
    root = Path(path) if path else SHIPPED
    files: dict[Path, bytes] = {}
    for file in sorted(root.rglob("*.yaml")):
        try:
            files[file] = source.read_bytes(str(file))
        except source.SourceError as exc:
            raise RuleBookError(exc.diagnostic) from None
    key = _cache_key(root, files) if path is None else None
    if key is not None:
        book = _cached(key, list(files))
        if book is not None:
            return book
    parameters = _read(root, files)
    book = _book(root, parameters)
    if key is not None:
        cache.write(CACHE, key, _plain(parameters, list(files)))
    return book


def _book(root: Path, parameters: dict[str, Parameter]) -> RuleBook:
    """The book of the rule files' parameters, once they hold together."""
    if not parameters:
        raise _fail(Mark(str(root)), "E-rule-none")
    for parameter in parameters.values():
        growth = parameters.get(parameter.projection.growth) if parameter.projection else None
        if parameter.projection and (growth is None or growth.unit != "percent-change"):
            raise _fail(parameter.mark, "E-rule-projection-growth", rule=parameter.name, growth=parameter.projection.growth)
    return RuleBook(parameters).with_what_if(WhatIf())


def _read(root: Path, files: dict[Path, bytes]) -> dict[str, Parameter]:
    """The parameters of the rule files (their bytes), checked."""
    parameters: dict[str, Parameter] = {}
    for file, data in files.items():
        prefix = ".".join(file.relative_to(root).with_suffix("").parts)
        display = str(file)
        try:
            node = source.parse(source.decode(data, display), display)
        except source.SourceError as exc:
            raise RuleBookError(exc.diagnostic) from None
        if node is None or node.kind != "map":
            raise _fail(Mark(display), "E-rule-file-empty")
        for parameter in _parameters(prefix, node, {}):
            parameters[parameter.name] = parameter
    return parameters


# The shipped book in the cache: its key names the versions of ucj, Python and PyYAML, every rule
# file and the modules whose code decides what the files mean (a change to any makes it stale).
CACHE = "rulebook.json"
_READERS = (__file__, cache.__file__, source.__file__, money.__file__, period.__file__, i18n.__file__)


def _cache_key(root: Path, files: dict[Path, bytes]) -> list | None:
    code = cache.modules_fingerprint(_READERS)
    if code is None:
        return None
    versions = [__version__, sys.version, source.yaml.__version__]
    return [versions, code, [cache.fingerprint(file.relative_to(root).as_posix(), data) for file, data in files.items()]]


def _cached(key: list, files: list[Path]) -> RuleBook | None:
    """The book stored under `key`, or None when there is none or it does not hold together."""
    parameters = _stored(cache.read(CACHE, key), files)
    if not parameters:
        return None
    try:
        return _book(SHIPPED, parameters)
    except (RuleBookError, ArithmeticError, ValueError, TypeError):  # e.g. a projection's growth or step that is not one
        return None


def _plain(parameters: dict[str, Parameter], files: list[Path]) -> list:
    """The parameters as plain JSON values (`_stored` reads them back); texts as [English,
    Indonesian], rates as [numerator, denominator], a mark as [file number, line, column]."""
    where = {str(file): number for number, file in enumerate(files)}

    def text(value: str | None) -> list | None:
        return None if value is None else [str(value), getattr(value, "indonesian", None)]

    def plain(value: Value) -> object:
        if isinstance(value, Fraction):
            return [value.numerator, value.denominator]
        return list(value) if isinstance(value, tuple) else value

    found = []
    for parameter in parameters.values():
        mark = parameter.mark
        entries = [[entry.start, plain(entry.value), text(entry.reference), text(entry.unverified)] for entry in parameter.entries]
        projection = parameter.projection
        found.append([parameter.name, text(parameter.description), text(parameter.reference), parameter.unit, entries,
                      parameter.known_through, None if mark is None else [where[mark.file], mark.line, mark.column],
                      None if projection is None else [text(projection.growth), projection.month, projection.round_down_to,
                                                       text(projection.reference)],
                      None if parameter.programs is None else list(parameter.programs), list(parameter.verified)])
    return found


def _stored(value: object, files: list[Path]) -> dict[str, Parameter] | None:
    """The parameters `_plain` made, each value checked for its type again (the cache folder is
    not trusted to hold what ucj wrote); None for anything else."""
    if type(value) is not list:
        return None
    try:
        parameters: dict[str, Parameter] = {}
        for item in value:
            name, description, reference, unit, entries, known_through, mark, projection, programs, verified = _items(item, 10)
            if _string(name) in parameters or unit not in UNITS:
                return None
            found = tuple(Entry(_whole(start), _stored_value(unit, stored), _text_of(entry_reference),
                                None if unverified is None else _text_of(unverified))
                          for start, stored, entry_reference, unverified in (_items(entry, 4) for entry in _items(entries)))
            if not all(_fits(unit, entry.value) for entry in found) or any(b.start <= a.start for a, b in zip(found, found[1:])):
                return None  # what the rule files' checks would have refused: a rate beyond 100%, a date twice
            if mark is not None:
                number, line, column = _items(mark, 3)
                mark = Mark(str(files[_index(number, len(files))]), _whole(line), _whole(column))
            if projection is not None:
                growth, month, round_down_to, projection_reference = _items(projection, 4)
                projection = Projection(_text_of(growth), _whole(month), _whole(round_down_to), _text_of(projection_reference))
            parameters[name] = Parameter(name, _text_of(description), _text_of(reference), unit, found,
                                         None if known_through is None else _whole(known_through), mark, projection,
                                         None if programs is None else _strings(programs), _strings(verified))
    except (ValueError, TypeError, IndexError):
        return None
    return parameters


def _items(value: object, count: int | None = None) -> list:
    if type(value) is not list or count is not None and len(value) != count:
        raise ValueError
    return value


def _whole(value: object) -> int:
    if type(value) is not int:
        raise ValueError
    return value


def _string(value: object) -> str:
    if type(value) is not str:
        raise ValueError
    return value


def _strings(value: object) -> tuple[str, ...]:
    return tuple(_string(item) for item in _items(value))


def _index(value: object, count: int) -> int:
    if not 0 <= _whole(value) < count:
        raise ValueError
    return value  # type: ignore[return-value]


def _text_of(value: object) -> RuleText:
    english, indonesian = _items(value, 2)
    return RuleText(_string(english), None if indonesian is None else _string(indonesian))


def _stored_value(unit: str, value: object) -> Value:
    if value is None:
        return None
    if unit in ("list", "roles", "account"):
        return _strings(value)
    if unit == "currency-IDR":
        return _whole(value)
    numerator, denominator = _items(value, 2)
    if _whole(denominator) < 1:
        raise ValueError
    return Fraction(_whole(numerator), denominator)


def _fail(mark: Mark, code: str, **args: object) -> RuleBookError:
    return RuleBookError(diagnostic(mark, code, **args))


def _text(node: source.Node, what: str, indonesian: "source.Entry | None" = None) -> str:
    """A text of the rule data, with its Indonesian (`<what>_id:`) when the data gives one."""
    if node.kind != "scalar" or not isinstance(node.value, str) or not node.value.strip():
        raise _fail(node.mark, "E-rule-not-text", what=what)
    if indonesian is None:
        return RuleText(" ".join(node.value.split()))
    return RuleText(" ".join(node.value.split()), _text(indonesian.node, f"{what}_id"))


def _parameters(name: str, node: source.Node, inherited: dict) -> list[Parameter]:
    fields = dict(inherited)
    if "programs" in node.value and "values" not in node.value:  # a relief's programs hold for each of its rules
        fields["programs"] = _list(node.value["programs"].node)
    for key in ("description", "reference", "unit"):
        if key in node.value:
            fields[key] = _text(node.value[key].node, key, node.value.get(f"{key}_id"))
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
        unverified = _text(entry.value["unverified"].node, "unverified", entry.value.get("unverified_id")) if "unverified" in entry.value else None
        entries.append(Entry(start, _value(unit, entry.value["value"].node),
                             _text(entry.value["reference"].node, "reference", entry.value.get("reference_id")), unverified))
    entries.sort(key=lambda entry: entry.start)
    projection = _projection(name, node.value["projection"].node) if "projection" in node.value else None
    programs = _list(node.value["programs"].node) if "programs" in node.value else fields.get("programs")
    verified = _list(node.value["verified"].node) if "verified" in node.value else ()
    return Parameter(name, fields["description"], fields["reference"], unit, tuple(entries), known_through, node.mark, projection,
                     programs, verified)


def _list(node: source.Node) -> tuple[str, ...]:
    value = _value("list", node)
    if not isinstance(value, tuple):
        raise _fail(node.mark, "E-rule-list")
    return value


def _projection(name: str, node: source.Node) -> Projection:
    if node.kind != "map" or set(node.value) - {"reference_id"} != _PROJECTION_KEYS:
        raise _fail(node.mark, "E-rule-projection", rule=name)
    month, step = node.value["month"].node, node.value["round_down_to"].node
    growth, reference = _text(node.value["growth"].node, "growth"), _text(node.value["reference"].node, "reference", node.value.get("reference_id"))
    try:
        if month.tag != "int" or step.tag != "int":
            raise ValueError
        return Projection(growth, month.value, step.value, reference)
    except ValueError:  # not whole numbers, or not a month and a step of 1 rupiah or more
        raise _fail(node.mark, "E-rule-projection", rule=name) from None


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
    if unit in ("list", "roles", "account"):
        if node.kind != "seq" or not all(item.kind == "scalar" and isinstance(item.value, str) for item in node.value):
            raise _fail(node.mark, "E-rule-list")
        value = tuple(item.value for item in node.value)
        if not _fits(unit, value):
            raise _fail(node.mark, "E-rule-account")
        return value
    if unit == "currency-IDR":
        if node.tag != "int" or not _fits(unit, node.value):
            raise _fail(node.mark, "E-rule-rupiah", value=node.text)
        return int(node.value)
    try:
        if node.tag not in {"int", "float"}:
            raise ValueError
        return coerce(unit, node.text.replace("_", ""))
    except ValueError:
        raise _fail(node.mark, "E-rule-percent", value=node.text) from None


def coerce(unit: str, value: object) -> Value:
    """A value as the rule book holds it. Percentages are given as the regulation writes them
    ("0.445", 6, Decimal("2.5"): per cent of the base) and never as binary floats, which cannot
    hold 0.445 exactly."""
    if value is None:
        return None
    if unit in ("list", "roles", "account"):
        return tuple(str(item) for item in value)  # type: ignore[union-attr]
    if isinstance(value, float) or isinstance(value, bool):
        raise ValueError  # callers report their own coded diagnostic (E-override-range, E-rule-percent)
    if unit == "currency-IDR":
        if not _fits(unit, value):
            raise ValueError
        return value  # type: ignore[return-value]
    if unit == "ratio":
        try:
            return value if isinstance(value, Fraction) else Fraction(Decimal(str(value)))
        except InvalidOperation:
            raise ValueError from None
    try:
        rate = percent(str(value)) if not isinstance(value, Fraction) else value / 100
    except InvalidOperation:
        raise ValueError from None
    if not _fits(unit, rate):
        raise ValueError
    return rate


def _fits(unit: str, value: object) -> bool:
    """Whether a rule of `unit` may hold `value` (None: the rule stops applying): words for a list,
    a dotted code and a name for an account, whole rupiah from 0, an exact rate from 0 to 1 (from
    -1 for a yearly change; any ratio). Every value read from the rule files, a what-if or the
    cache passes here."""
    if value is None:
        return True
    if unit in ("list", "roles", "account"):
        return type(value) is tuple and all(type(item) is str for item in value) and \
            (unit != "account" or len(value) == 2 and ACCOUNT_CODE.match(value[0]) is not None and bool(value[1].strip()))
    if unit == "currency-IDR":
        return type(value) is int and value >= 0
    return type(value) is Fraction and (unit == "ratio" or (-1 if unit == "percent-change" else 0) <= value <= 1)


@frozen
class RuleList:
    """What `ucj rules` shows: the values in force in month `on`, the `history` of one parameter, or
    (neither) every value resting on an unverified source; `unverified` keeps only those."""

    values: tuple[RuleValue, ...]
    book: RuleBook
    on: int | None
    history: str | None


def rule_list(book: RuleBook, on: int | None, history: str | None, unverified: bool, today: int) -> RuleList:
    """Select for `ucj rules` (`history` must name a parameter of `book`)."""
    if history is not None:
        values = book.history(history)
    elif unverified and on is None:
        values = tuple(rule for name in sorted(book.parameters) for rule in book.history(name))
    else:
        on = on if on is not None else today
        values = book.in_force(on)
    if unverified:
        values = tuple(rule for rule in values if not rule.verified)
    return RuleList(values, book, on, history)
