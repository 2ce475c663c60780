"""The scenario contract: YAML in, a validated, immutable `Scenario` out.

Validation collects *every* problem (a planner fixing a file wants the whole list at once), each
pinned to its line and column with what was expected. Checks that need the rule book (the BPU income
range of the budget year) run here too, so a scenario that loads is one the engine can price.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable

from ucj_cli import source
from ucj_cli.errors import Diagnostic, Mark, ScenarioError
from ucj_cli.period import MAX_YEAR, MIN_YEAR, month_index, parse_month_label
from ucj_cli.rules import RuleBook, RuleMissing, load_rulebook

CATEGORIES = ("bpu", "pu")
PROGRAMS = ("jkk", "jkm", "jht", "jp")
RISKS = ("very_low", "low", "medium", "high", "very_high")
FUNDING_KINDS = ("apbd", "apbn", "apbdes", "employer", "self", "csr")
DEFAULT_PROGRAMS = ("jkk", "jkm")
MAX_COUNT = 1_000_000_000  # people: far above any workforce, low enough that no sum overflows a float rate
MAX_RUPIAH = 10**15  # a thousand trillion rupiah
_PLAIN_INT = re.compile(r"[+-]?(0|[1-9][0-9_]*)")
_MONTH_NUMBER = re.compile(r"0?[1-9]|1[0-2]")

_TOP_KEYS = {"name": True, "region": False, "year": True, "workforce": True, "funding": True, "cohorts": True}
_WORKFORCE_KEYS = {"employed": True, "covered": True}
_SCHEME_KEYS = {"name": False, "kind": False, "ceiling": False, "relief": False}
_COHORT_KEYS = {
    "name": True, "sector": False, "workers": True, "category": True, "income": True, "programs": False,
    "risk": False, "pays_worker_share": False, "jkk_relief": False, "transport": False, "funding": True,
    "start": False, "months": False,
}
_PU_ONLY = ("risk", "pays_worker_share", "jkk_relief")
_BPU_ONLY = ("transport",)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Workforce:
    employed: int
    covered: int


@dataclass(frozen=True)
class FundingScheme:
    id: str
    name: str
    kind: str = "apbd"
    ceiling: int | None = None
    relief: bool = True  # False: budget the full rate even where a temporary relief (PP 50/2025) would apply
    mark: Mark = field(default=Mark("<memory>"), compare=False)
    ceiling_mark: Mark | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Cohort:
    """Workers priced alike. `start` is the first covered calendar month (1-12) and `months` how many."""

    name: str
    workers: int
    category: str
    income: int
    funding: str
    programs: tuple[str, ...] = DEFAULT_PROGRAMS
    sector: str = ""
    risk: str = "very_low"
    pays_worker_share: bool = False
    jkk_relief: bool = False
    transport: bool = False
    start: int = 1
    months: int = 12
    mark: Mark = field(default=Mark("<memory>"), compare=False)

    @property
    def end(self) -> int:
        """Last covered calendar month (1-12)."""
        return self.start + self.months - 1


@dataclass(frozen=True)
class Scenario:
    name: str
    year: int
    workforce: Workforce
    funding: dict[str, FundingScheme]
    cohorts: tuple[Cohort, ...]
    region: str = ""
    file: str = "<memory>"
    year_mark: Mark = field(default=Mark("<memory>"), compare=False)
    workforce_mark: Mark = field(default=Mark("<memory>"), compare=False)

    def in_year(self, year: int) -> Scenario:
        """The same scenario budgeted in another year (same calendar months), to price rule changes alone."""
        return replace(self, year=year)


def suggest(word: object, options: Iterable[str]) -> str:
    """' did you mean 'x'?' for the closest option (case, one typo or one swapped pair), or ''."""
    text = str(word).strip().lower()
    best = None
    for option in options:
        distance = _distance(text, option.lower())
        if distance <= max(1, len(option) // 3) and (best is None or distance < best[0]):
            best = (distance, option)
    return f"did you mean '{best[1]}'? " if best else ""


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit (optimal string alignment)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def load_scenario(path: str, rules: RuleBook | None = None) -> Scenario:
    """Read, parse and validate a scenario file; raises ScenarioError listing every problem."""
    try:
        text = source.read_text(path)
    except source.SourceError as exc:
        raise ScenarioError([exc.diagnostic]) from None
    return parse_scenario(text, path, rules)


def parse_scenario(text: str, filename: str = "<memory>", rules: RuleBook | None = None) -> Scenario:
    """Validate scenario YAML text; `filename` is only used in messages."""
    try:
        root = source.parse(text, filename)
    except source.SourceError as exc:
        raise ScenarioError([exc.diagnostic]) from None
    checker = _Checker(filename, rules or load_rulebook())
    scenario = checker.scenario(root)
    if checker.problems or scenario is None:
        problems = sorted(dict.fromkeys(checker.problems), key=lambda d: (d.mark.line, d.mark.column))
        raise ScenarioError(problems or [Diagnostic(Mark(filename), "the scenario is incomplete; expected name, year, workforce, funding and cohorts")])
    return scenario


class _Checker:
    def __init__(self, filename: str, rules: RuleBook) -> None:
        self.filename = filename
        self.rules = rules
        self.problems: list[Diagnostic] = []
        self.declared_schemes: set[str] = set()  # every id under `funding:`, valid or not
        self.year_mark = Mark(filename)

    def error(self, mark: Mark, message: str) -> None:
        self.problems.append(Diagnostic(mark, message))

    def keys(self, node: source.Node, allowed: dict[str, bool], where: str) -> bool:
        """Report unknown keys (with a suggestion) and missing required ones; False if not a mapping."""
        if node.kind != "map":
            self.error(node.mark, f"{where} is {node.type_name}; expected a mapping of keys ({', '.join(allowed)})")
            return False
        for key, entry in node.value.items():
            if key not in allowed:
                self.error(entry.key_mark, f"unknown key '{key}' in {where}; {suggest(key, allowed)}expected one of: {', '.join(allowed)}")
        for key, required in allowed.items():
            if not required:
                continue
            if key not in node.value:
                self.error(node.mark, f"{where} has no '{key}'; expected `{key}:` here")
            elif _empty(node.value[key].node):
                self.error(node.value[key].node.mark, f"'{key}' of {where} is empty; expected a value after `{key}:`")
        return True

    def value(self, node: source.Node, key: str, convert: Callable[[source.Node], Any], default: Any = None) -> Any:
        entry = node.value.get(key)
        if entry is None or _empty(entry.node):
            return default
        return convert(entry.node)

    # --- scalar converters: each reports its own problem and returns None ---

    def text(self, node: source.Node, what: str) -> str | None:
        if node.kind == "scalar" and node.tag in {"str", "int"} and str(node.value).strip():
            return str(node.value).strip()
        got = "empty text" if node.kind == "scalar" and node.tag == "str" else node.type_name
        self.error(node.mark, f"{what} is {got}; expected text")
        return None

    def whole(self, node: source.Node, what: str, minimum: int = 0, money: bool = False) -> int | None:
        maximum = MAX_RUPIAH if money else MAX_COUNT
        if node.kind == "scalar" and node.tag == "int":
            if not _PLAIN_INT.fullmatch(node.text):
                plain = str(node.value)
                self.error(node.mark, f"{what} '{node.text}' is not a plain decimal number (YAML would read it as {plain}); "
                                      f"expected digits without a leading 0, ':' or a base prefix")
                return None
            if node.value < minimum:
                self.error(node.mark, f"{what} is {node.value}; expected a whole number >= {minimum}")
                return None
            if node.value > maximum:
                shown = f"{node.value:,}" if len(node.text) < 25 else f"a {len(node.text)}-digit number"
                self.error(node.mark, f"{what} is {shown}, too large; expected at most {maximum:,}")
                return None
            return node.value
        expected = f"a whole number >= {minimum}"
        if node.kind == "scalar" and node.tag == "float":
            problem = "has a fraction" if math.isfinite(node.value) else "is not a finite number"
            self.error(node.mark, f"{what} '{node.text}' {problem}; expected {expected}{' (whole rupiah, no decimals)' if money else ''}")
        elif node.kind == "scalar" and node.tag == "str" and re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3})+", node.text):
            plain = re.sub(r"[.,]", "", node.text)
            self.error(node.mark, f"{what} '{node.text}' uses thousands separators; expected {expected}, e.g. {plain} or {int(plain):_}")
        else:
            self.error(node.mark, f"{what} is {node.type_name} '{node.text}'; expected {expected}" if node.kind == "scalar" else f"{what} is {node.type_name}; expected {expected}")
        return None

    def flag(self, node: source.Node, what: str) -> bool | None:
        if node.kind == "scalar" and node.tag == "bool":
            return node.value
        self.error(node.mark, f"{what} is {node.type_name} '{node.text}'; expected true or false")
        return None

    def choice(self, node: source.Node, what: str, options: tuple[str, ...]) -> str | None:
        value = node.value if node.kind == "scalar" else None
        if isinstance(value, str) and value in options:
            return value
        shown = f" '{node.text}'" if node.kind == "scalar" else f" ({node.type_name})"
        suggestion = suggest(value, options) if isinstance(value, str) else ""
        self.error(node.mark, f"{what}{shown} is not known; {suggestion}expected one of: {', '.join(options)}")
        return None

    # --- sections ---

    def scenario(self, root: source.Node | None) -> Scenario | None:
        if root is None:
            self.error(Mark(self.filename), "the file is empty; expected a scenario with name, year, workforce, funding and cohorts")
            return None
        if not self.keys(root, _TOP_KEYS, "the scenario"):
            return None
        name = self.value(root, "name", lambda n: self.text(n, "name"))
        region = self.value(root, "region", lambda n: self.text(n, "region"), "")
        year_entry = root.value.get("year")
        year = self.value(root, "year", self.year)
        if year_entry is not None:
            self.year_mark = year_entry.node.mark
        workforce = self.value(root, "workforce", self.workforce)
        funding = self.value(root, "funding", self.funding, {})
        cohorts = self.value(root, "cohorts", lambda n: self.cohorts(n, year, funding), ())
        if "cohorts" in root.value and not cohorts and root.value["cohorts"].node.kind == "seq" and not root.value["cohorts"].node.value:
            self.error(root.value["cohorts"].node.mark, "cohorts is empty; expected at least one cohort")
        if self.problems or None in (name, year, workforce):
            return None
        return Scenario(
            name=name, region=region, year=year, workforce=workforce, funding=funding, cohorts=tuple(cohorts),
            file=self.filename, year_mark=year_entry.node.mark, workforce_mark=root.value["workforce"].node.mark,
        )

    def year(self, node: source.Node) -> int | None:
        if node.kind == "scalar" and node.tag == "int" and _PLAIN_INT.fullmatch(node.text) and not MIN_YEAR <= node.value <= MAX_YEAR:
            self.error(node.mark, f"year {node.text} is out of range; expected a budget year {MIN_YEAR}..{MAX_YEAR}")
            return None
        return self.whole(node, "year", MIN_YEAR)

    def workforce(self, node: source.Node) -> Workforce | None:
        if not self.keys(node, _WORKFORCE_KEYS, "workforce"):
            return None
        employed = self.value(node, "employed", lambda n: self.whole(n, "employed", 1))
        covered = self.value(node, "covered", lambda n: self.whole(n, "covered"))
        if employed is None or covered is None:
            return None
        if covered > employed:
            self.error(node.value["covered"].node.mark, f"covered {covered:,} is more than employed {employed:,}; expected covered <= employed")
            return None
        return Workforce(employed, covered)

    def funding(self, node: source.Node) -> dict[str, FundingScheme]:
        if node.kind != "map" or not node.value:
            self.error(node.mark, f"funding is {node.type_name if node.value else 'empty'}; expected a mapping of scheme ids, e.g. `dbhcht: {{kind: apbd}}`")
            return {}
        schemes = {}
        self.declared_schemes.update(node.value)
        for scheme_id, entry in node.value.items():
            if not _ID.match(scheme_id):
                self.error(entry.key_mark, f"funding id '{scheme_id}' is not a simple name; expected letters, digits, '-', '_' or '.'")
                continue
            body = entry.node
            if body.kind == "scalar" and body.value is None:
                body = source.Node("map", {}, body.mark)
            if not self.keys(body, _SCHEME_KEYS, f"funding '{scheme_id}'"):
                continue
            name = self.value(body, "name", lambda n: self.text(n, "funding name"), scheme_id)
            kind = self.value(body, "kind", lambda n: self.choice(n, "funding kind", FUNDING_KINDS), "apbd")
            ceiling = self.value(body, "ceiling", lambda n: self.whole(n, "ceiling", money=True))
            relief = self.value(body, "relief", lambda n: self.flag(n, "relief"), True)
            ceiling_entry = body.value.get("ceiling")
            if name is not None and kind is not None and relief is not None:
                schemes[scheme_id] = FundingScheme(
                    scheme_id, name, kind, ceiling, relief, entry.key_mark, ceiling_entry.node.mark if ceiling_entry else None
                )
        return schemes

    def cohorts(self, node: source.Node, year: int | None, funding: dict[str, FundingScheme]) -> list[Cohort]:
        if node.kind != "seq":
            self.error(node.mark, f"cohorts is {node.type_name}; expected a list of cohorts (`- name: ...`)")
            return []
        first_seen: dict[str, Mark] = {}
        for item in node.value:  # names first, so a duplicate is reported even when the cohort has other problems
            entry = item.value.get("name") if item.kind == "map" else None
            if entry is None or entry.node.kind != "scalar" or _empty(entry.node):
                continue
            name = str(entry.node.value).strip()
            if name in first_seen:
                self.error(entry.node.mark, f"cohort name '{name}' is used twice (first at line {first_seen[name].line}); expected unique names")
            else:
                first_seen[name] = entry.node.mark
        found = [self.cohort(item, year, funding) for item in node.value]
        return [cohort for cohort in found if cohort is not None]

    def cohort(self, node: source.Node, year: int | None, funding: dict[str, FundingScheme]) -> Cohort | None:
        if not self.keys(node, _COHORT_KEYS, "a cohort"):
            return None
        before = len(self.problems)
        get = lambda key, convert, default=None: self.value(node, key, convert, default)  # noqa: E731
        name = get("name", lambda n: self.text(n, "cohort name"))
        where = f"cohort '{name}'" if name else "cohort"
        category = get("category", lambda n: self.choice(n, "category", CATEGORIES))
        workers = get("workers", lambda n: self.whole(n, "workers"))
        income = get("income", lambda n: self.whole(n, "income", 1, money=True))
        programs = get("programs", lambda n: self.programs(n, category), DEFAULT_PROGRAMS)
        risk = get("risk", lambda n: self.choice(n, "risk class", RISKS), "very_low")
        flags = {key: get(key, lambda n, key=key: self.flag(n, key), False) for key in ("pays_worker_share", "jkk_relief", "transport")}
        scheme = get("funding", lambda n: self.text(n, "funding"))
        if scheme is not None and scheme not in self.declared_schemes:
            known = ", ".join(self.declared_schemes) or "none defined"
            self.error(node.value["funding"].node.mark, f"funding scheme '{scheme}' of {where} is not defined under `funding:`; {suggest(scheme, self.declared_schemes)}expected one of: {known}")
        for key in _PU_ONLY if category == "bpu" else _BPU_ONLY if category == "pu" else ():
            if key in node.value:
                other = "pu" if category == "bpu" else "bpu"
                self.error(node.value[key].key_mark, f"'{key}' applies only to {other} cohorts, and {where} is {category}; expected it removed or category: {other}")
        start, months = self.period(node, year, where)
        if len(self.problems) > before or scheme not in funding or None in (name, category, workers, income, programs, risk, start, months):
            return None
        if category == "bpu" and year is not None:
            self.income_range(node.value["income"].node, income, year, start, months, where)
        return Cohort(
            name=name, workers=workers, category=category, income=income, funding=scheme, programs=programs,
            sector=get("sector", lambda n: self.text(n, "sector"), "") or "", risk=risk, start=start, months=months, mark=node.mark, **flags,
        )

    def programs(self, node: source.Node, category: str | None) -> tuple[str, ...] | None:
        items = node.value if node.kind == "seq" else None
        if not items:
            self.error(node.mark, f"programs is {node.type_name if items is None else 'empty'}; expected a list such as [jkk, jkm]")
            return None
        chosen: list[str] = []
        for item in items:
            program = self.choice(item, "program", PROGRAMS)
            if program is None:
                continue
            if program in chosen:
                self.error(item.mark, f"program '{program}' is listed twice; expected each program once")
            elif program == "jp" and category == "bpu":
                self.error(item.mark, "program 'jp' (pension) is not open to bpu participants; expected jkk, jkm or jht")
            else:
                chosen.append(program)
        if chosen and not {"jkk", "jkm"} <= set(chosen):
            self.error(node.mark, "programs must include jkk and jkm (every participant takes both); expected e.g. [jkk, jkm]")
        return tuple(p for p in PROGRAMS if p in chosen)

    def period(self, node: source.Node, year: int | None, where: str) -> tuple[int | None, int | None]:
        start = 1
        start_entry = node.value.get("start")
        if start_entry is not None and start_entry.node.value is not None:
            start = self.start(start_entry.node, year)
        months = self.value(node, "months", lambda n: self.whole(n, "months", 1))
        if start is None:
            return None, None
        if months is None:
            if "months" in node.value and node.value["months"].node.value is not None:
                return None, None
            months = 13 - start
        if start + months - 1 > 12:
            self.error(node.value["months"].node.mark, f"{where} runs {months} months from month {start}, past December; expected months <= {13 - start}")
            return None, None
        return start, months

    def start(self, node: source.Node, year: int | None) -> int | None:
        """A first month as YYYY-MM, a date on the 1st, or a month number 1-12."""
        value, text = node.value, node.text
        index = None
        if node.kind == "scalar" and _MONTH_NUMBER.fullmatch(text) and year is not None:
            index = month_index(year, int(text))
        elif node.tag == "str":
            index = parse_month_label(value)
        elif node.tag == "timestamp" and isinstance(value, dt.date) and value.day == 1:
            index = month_index(value.year, value.month)
        if index is None:
            shown = f"'{text}'" if node.kind == "scalar" else f"({node.type_name})"
            self.error(node.mark, f"start {shown} is not a month; expected YYYY-MM within the budget year, e.g. {year or 2025}-04")
            return None
        if year is not None and index // 12 != year:
            self.error(node.mark, f"start {text} is outside the budget year {year}; expected a month from {year}-01 to {year}-12")
            return None
        return index % 12 + 1

    def income_range(self, node: source.Node, income: int, year: int, start: int, months: int, where: str) -> None:
        for month in range(month_index(year, start), month_index(year, start) + months):
            try:
                low = self.rules.get("bpu.income.minimum", month)
                high = self.rules.get("bpu.income.maximum", month)
            except RuleMissing as exc:
                self.error(self.year_mark, f"year {year}: {exc}; expected a budget year the rule book covers")
                return
            if not low.value <= income <= high.value:
                self.error(
                    node.mark,
                    f"declared income {income:,} of {where} is outside the BPU range; expected {low.value:,} to {high.value:,} "
                    f"({self.rules.parameters[low.name].reference})",
                )
                return


def _empty(node: source.Node) -> bool:
    """A key written with no value (`workers:` or `workers: ~`)."""
    return node.kind == "scalar" and node.value is None
