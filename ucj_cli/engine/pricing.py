"""The twelve-month engine: a validated scenario and a rule book in, an exact budget out.

Pure: no I/O, no printing, no clock. For each cohort and covered month it asks `price` what one
participant costs, as `Part`s (one per program and payer share), each already rounded to the whole
rupiah by `money.round_half_up` and carrying its working (`Part.trace`) with the `RuleValue` of each
step. A line's amount is `per_person x workers`; every total is a sum of those integers, so all
breakdowns agree exactly.
Prices are cached per (pricing terms, rule epoch): the terms are the model's fields marked `PRICES`
(`model.pricing_key`), and months in which no rule changes price alike, so the work is linear in
cohorts x months with few prices actually worked out.
"""

from __future__ import annotations

import weakref
from dataclasses import field
from functools import cached_property
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Iterator, Mapping, Sequence, overload

from ucj_cli.engine import eligibility
from ucj_cli.errors import Diagnostic, ScenarioError, diagnostic
from ucj_cli.frozen import frozen
from ucj_cli.i18n.messages import Cohorts, Count, Month, Phrase, Quoted, Rupiah, rule_amount
from ucj_cli.money import MAX_FIGURE, round_half_up, share_of
from ucj_cli.period import month_index
from ucj_cli.rules.book import RuleBook, RuleMissing, RuleValue
from ucj_cli.model import PROGRAMS, Cohort, FundingScheme, Scenario, pricing_key
from ucj_cli.load.scenario import income_problems
from ucj_cli.source import without_gc

PAYERS = ("employer", "worker", "participant")
ROLES = frozenset({"base", "rate", "flat", "relief_rate", "relief_share", "rounding"})


@frozen
class Component:
    """One step of a part's working, in order: the base (the income, or the wage capped by the
    rule in `rule`), the rate or flat amount, the rounding to whole rupiah, and a temporary relief
    (a reduced rate, or a share of the normal amount) with its own rounding.

    `value` is rupiah (base, flat, rounding), or a Fraction (rate, relief_rate, relief_share).
    `rule` is the rule that set the value; None for the scenario's own income and for ucj's rounding
    convention (`money.round_half_up`). A relief in force that this participant does not get has
    `applies=False`, with `excluded_by` the rule that excludes them (None: the scenario turned the
    relief off); one they do get names in `checked` the rule that could have excluded them (the
    funding kinds that pay the full amount). `exact` is the amount before rounding."""

    role: str
    value: Fraction | int | None
    rule: RuleValue | None = None
    applies: bool = True
    excluded_by: RuleValue | None = None
    exact: Fraction | None = None
    checked: RuleValue | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role == "rounding" and self.exact is None:
            raise ValueError("a rounding step holds the exact amount it rounded")

    @property
    def rules(self) -> tuple[RuleValue, ...]:
        """The rules this step rests on: its own and the one that granted or denied it. A relief the
        scenario turned off decided nothing, so it names none."""
        if not self.applies and self.excluded_by is None:
            return ()
        return tuple(rule for rule in (self.rule, self.excluded_by, self.checked) if rule is not None)


# The order `Part.rules` lists a part's rules in (CSV, explain): whether a relief share applies
# (and who it leaves out), the base's cap, the rate or flat amount, then a reduced relief rate.
_RULE_ORDER = {"relief_share": 0, "base": 1, "rate": 2, "flat": 2, "relief_rate": 3, "rounding": 4}


@frozen
class Part:
    """What one participant costs in one month for one program and payer share, and why: `trace`
    is the only account of how `per_person` was made. Every other view of the working (the base,
    the rate in force, the amount before a relief, the rules) is read from it by role, once per
    part (parts are shared by every cohort and month priced alike)."""

    program: str
    payer: str  # employer | worker | participant (a BPU participant, or whoever pays on their behalf)
    per_person: int
    funded: bool  # paid by the cohort's funding scheme (False: the worker's own share, outside the budget)
    trace: tuple[Component, ...]  # the working step by step, with each step's rule

    def __post_init__(self) -> None:
        amounts = [step.value for step in self.trace if step.role in ("flat", "rounding")]
        if amounts[-1:] != [self.per_person]:
            raise ValueError("a part's trace ends at its per-person amount (its last flat or rounding step)")

    def step(self, role: str) -> Component | None:
        """The first step of `role` in the working, or None."""
        return next((step for step in self.trace if step.role == role), None)

    @cached_property
    def base(self) -> int | None:
        """The rupiah the rate applies to; None for a flat amount."""
        step = self.step("base")
        return None if step is None else step.value  # type: ignore[return-value]

    @cached_property
    def normal_rate(self) -> Component | None:
        """The rate of the normal amount (before a reduced relief rate); None for a flat amount."""
        return self.step("rate")

    @cached_property
    def rate(self) -> Component | None:
        """The rate in force: a reduced relief rate where one replaced the normal rate, else the
        normal rate; None for a flat amount."""
        return self.step("relief_rate") or self.step("rate")

    @cached_property
    def flat(self) -> Component | None:
        """The flat amount (a BPU JKM contribution), or None for a rated part."""
        return self.step("flat")

    @cached_property
    def full(self) -> int:
        """What it would be without a temporary relief (PP 7/2025, PP 50/2025): the first whole amount."""
        return next(step.value for step in self.trace if step.role in ("flat", "rounding"))  # type: ignore[return-value]

    @cached_property
    def share(self) -> Fraction | None:
        """A relief given as a share of the normal amount (PP 50/2025) that this part gets, or None."""
        step = self.step("relief_share")
        return step.value if step is not None and step.applies else None  # type: ignore[return-value]

    @cached_property
    def rules(self) -> tuple[RuleValue, ...]:
        """Every rule that decided this part, once each, in `_RULE_ORDER`: a rule that did not
        change the figure (a wage cap the wage stays under, a relief turned off) is not listed."""
        steps = sorted(self.trace, key=lambda step: _RULE_ORDER[step.role])  # stable: the working's order within a role
        return tuple(dict.fromkeys(rule for step in steps for rule in step.rules))

    @property
    def what_if(self) -> tuple[RuleValue, ...]:
        """The rules of this part that are not the shipped book's (overridden or projected)."""
        return tuple(rule for rule in self.rules if rule.what_if)

    @property
    def relief(self) -> int:
        """Rupiah a temporary relief takes off this part."""
        return max(0, self.full - self.per_person)


@frozen
class Line:
    """One row of the budget: a cohort, a month, a program and payer share."""

    cohort: Cohort
    scheme: FundingScheme
    month: int
    part: Part

    @property
    def amount(self) -> int:
        return self.part.per_person * self.cohort.workers


@frozen(slots=True)
class PricedYear:
    """One participant's year under a set of pricing terms and covered months: shared by every
    cohort priced alike, so that a cohort holds no figure of its own (they are this x workers)."""

    parts: tuple[tuple[Part, ...], ...]  # per calendar month (12); empty when not covered
    funded: tuple[int, ...]  # what the budget pays each calendar month
    by_program: tuple[tuple[str, int], ...]  # every program, in PROGRAMS order
    by_payer: tuple[tuple[str, int], ...]
    amount: int
    unfunded: int  # the worker's own JHT/JP share, not paid by the budget
    relief: int
    assumed: tuple[tuple[RuleValue, int], ...]  # (rule, month) of each assumed rule, in month order
    unverified: tuple[RuleValue, ...]  # the first use of each unverified rule (by name), in month order


@frozen(slots=True)
class CohortResult:
    """A priced cohort: its terms and its participant's year; each figure is worked out (per
    person x workers) when it is read, so 770,000 cohorts hold no figures."""

    cohort: Cohort
    scheme: FundingScheme
    year: PricedYear

    @property
    def parts(self) -> tuple[tuple[Part, ...], ...]:
        """Per calendar month (12); empty when not covered."""
        return self.year.parts

    @property
    def by_month(self) -> tuple[int, ...]:
        workers = self.cohort.workers
        return tuple(amount * workers for amount in self.year.funded)

    @property
    def by_program(self) -> dict[str, int]:
        workers = self.cohort.workers
        return {program: amount * workers for program, amount in self.year.by_program}

    @property
    def amount(self) -> int:
        return self.year.amount * self.cohort.workers

    @property
    def worker_paid(self) -> int:
        """The workers' own JHT/JP share, not paid by the budget."""
        return self.year.unfunded * self.cohort.workers

    @property
    def relief(self) -> int:
        """What temporary reliefs take off the budget for this cohort."""
        return self.year.relief * self.cohort.workers

    @property
    def per_person(self) -> tuple[int, ...]:
        """What the budget pays for one participant in each calendar month."""
        return self.year.funded


@frozen
class CohortTotal:
    """One cohort as the scenario writes it, with its figures. A YAML cohort is priced as one
    `CohortResult`; a `from_csv` cohort whose rows differ in income, start or months is priced in
    groups (one `CohortResult` each, named `Name #1`, `Name #2`) and totalled here, so that outputs
    list the scenario's own cohorts and still add up exactly."""

    name: str
    groups: tuple[CohortResult, ...]
    workers: int
    by_month: tuple[int, ...]
    by_program: dict[str, int]
    amount: int
    worker_paid: int
    relief: int

    def __post_init__(self) -> None:
        if len(self.by_month) != 12 or sum(self.by_month) != self.amount or sum(self.by_program.values()) != self.amount:
            raise ValueError("a cohort's months and programs add up to its amount")
        if self.groups and self.amount != sum(group.amount for group in self.groups):
            raise ValueError("a cohort's groups add up to its amount")

    @classmethod
    def of(cls, name: str, groups: tuple[CohortResult, ...]) -> CohortTotal:
        if len(groups) == 1:  # most cohorts: its own figures, nothing to add
            only = groups[0]
            return cls(name, groups, only.cohort.workers, only.by_month, only.by_program, only.amount, only.worker_paid, only.relief)
        by_program = dict.fromkeys(PROGRAMS, 0)
        for group in groups:
            for program, amount in group.by_program.items():
                by_program[program] += amount
        return cls(name, groups, sum(group.cohort.workers for group in groups),
                   tuple(sum(group.by_month[offset] for group in groups) for offset in range(12)), by_program,
                   sum(group.amount for group in groups), sum(group.worker_paid for group in groups), sum(group.relief for group in groups))

    @property
    def cohort(self) -> Cohort:
        """The terms every group shares (category, sector, funding, programs...): the first group's."""
        return self.groups[0].cohort

    @property
    def villages(self) -> int | None:
        """Rows of its CSV file; None for a cohort written in YAML."""
        return sum(group.cohort.places.villages for group in self.groups) if self.cohort.places is not None else None

    @property
    def start(self) -> int:
        """The first month (1-12) any of its workers is covered."""
        return min(group.cohort.start for group in self.groups)

    @property
    def end(self) -> int:
        """The last month (1-12) any of its workers is covered."""
        return max(group.cohort.end for group in self.groups)

    @property
    def months(self) -> int | None:
        """Months each worker is covered; None when the groups differ."""
        months = {group.cohort.months for group in self.groups}
        return months.pop() if len(months) == 1 else None

    @property
    def per_person(self) -> tuple[int, ...] | None:
        """What the budget pays for one participant each month; None when the groups differ."""
        prices = {group.per_person for group in self.groups}
        return prices.pop() if len(prices) == 1 else None


class CohortTotals(Sequence[CohortTotal]):
    """The priced cohorts gathered into the scenario's cohorts, in the scenario's order (the groups
    of one `from_csv` cohort, which share its name as `places.origin`, into one): each total is
    made when it is read, so a large scenario's are never all held."""

    __slots__ = ("_groups", "_members")

    def __init__(self, groups: tuple[CohortResult, ...]) -> None:
        self._groups = groups
        self._members: tuple[tuple[int, ...], ...] | None = None  # positions of each total's groups; None: one each
        if any(item.cohort.places is not None for item in groups):
            gathered: dict[tuple[str, object], list[int]] = {}
            for position, item in enumerate(groups):
                places = item.cohort.places
                gathered.setdefault(("csv", places.origin) if places is not None else ("yaml", position), []).append(position)
            self._members = tuple(tuple(positions) for positions in gathered.values())

    def __len__(self) -> int:
        return len(self._groups) if self._members is None else len(self._members)

    @overload
    def __getitem__(self, index: int) -> CohortTotal: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[CohortTotal, ...]: ...

    def __getitem__(self, index: int | slice) -> CohortTotal | tuple[CohortTotal, ...]:
        if isinstance(index, slice):
            return tuple(self[position] for position in range(*index.indices(len(self))))
        if self._members is None:
            item = self._groups[index]
            return CohortTotal.of(item.cohort.name, (item,))
        items = tuple(self._groups[position] for position in self._members[index])
        first = items[0].cohort
        return CohortTotal.of(first.places.origin if first.places is not None else first.name, items)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, (CohortTotals, tuple)) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CohortTotals({len(self)} cohorts)"


@frozen
class FundingResult:
    """What one funding scheme pays in the year, against its ceiling."""

    scheme: FundingScheme
    amount: int

    @property
    def over(self) -> int:
        """Rupiah above the ceiling (0 when within it or when there is no ceiling)."""
        return max(0, self.amount - self.scheme.ceiling) if self.scheme.ceiling is not None else 0

    @property
    def left(self) -> int | None:
        """Rupiah left under the ceiling (negative when over it); None when there is no ceiling."""
        return None if self.scheme.ceiling is None else self.scheme.ceiling - self.amount


@frozen
class Coverage:
    """The employed, those covered before, and those covered in each month."""

    employed: int
    covered_before: int
    active_by_month: tuple[int, ...]  # participants covered in each month: before + active cohorts

    @property
    def covered_after(self) -> int:
        return self.active_by_month[-1]

    def rate(self, covered: int) -> Fraction:
        return Fraction(covered, self.employed)


@frozen
class Result:
    """A simulated year: totals by month, program, payer, funding scheme and cohort."""

    scenario: Scenario
    total: int
    by_month: tuple[int, ...]
    by_program: Mapping[str, int]
    by_payer: Mapping[str, int]
    by_funding: Mapping[str, FundingResult]
    cohorts: tuple[CohortResult, ...]  # as priced: a `from_csv` cohort's groups one by one
    by_cohort: CohortTotals  # the scenario's cohorts, each with its groups
    coverage: Coverage
    worker_paid: int
    relief: int  # what temporary reliefs take off the whole budget
    diagnostics: tuple[Diagnostic, ...]
    rules: RuleBook = field(compare=False, repr=False)  # the book it was priced with, for comparisons

    def __post_init__(self) -> None:  # read-only breakdowns: a renderer cannot change what another reads
        for name in ("by_program", "by_payer", "by_funding"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(month_index(self.scenario.year, m) for m in range(1, 13))

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    @property
    def overruns(self) -> tuple[FundingResult, ...]:
        return tuple(f for f in self.by_funding.values() if f.over)

    def lines(self) -> Iterator[Line]:
        """Every budget line (funded parts only): scenario cohort by cohort, month by month, and
        within a month a `from_csv` cohort's groups in turn, so each cohort-month is one run of lines."""
        for total in self.by_cohort:
            for offset in range(12):
                month = month_index(self.scenario.year, offset + 1)
                for item in total.groups:
                    for part in item.parts[offset]:
                        if part.funded:
                            yield Line(item.cohort, item.scheme, month, part)

    @property
    def workers(self) -> int:
        """Every worker of the scenario's cohorts, for a renderer's total row (it sums nothing itself)."""
        return sum(item.workers for item in self.by_cohort)

    def folded(self, shown: int) -> tuple[tuple[CohortTotal, ...], CohortTotal | None]:
        """The first `shown` cohorts, and one total of the rest (None when there is no rest), for a
        table that cannot hold thousands of rows; the sums stay whole."""
        rest = self.by_cohort[shown:]
        return self.by_cohort[:shown], CohortTotal.of("", tuple(group for total in rest for group in total.groups)) if rest else None


def price(cohort: Cohort, scheme: FundingScheme, month: int, rules: RuleBook) -> tuple[Part, ...]:
    """What one participant of `cohort`, paid by `scheme`, costs in `month`. Each part's trace holds
    the rules that decided it: a rule that did not change the figure (a wage cap the wage stays
    under) is not in it."""
    if cohort.category == "pu":
        return _price_pu(cohort, month, rules)
    return _price_bpu(cohort, scheme, month, rules)


def _rounded(exact: Fraction) -> Component:
    return Component("rounding", round_half_up(exact), exact=exact)


def _rated(base: int, rate: RuleValue, cap: RuleValue | None = None) -> tuple[Component, ...]:
    """The working of `base x rate` to the whole rupiah; `cap` is the rule that capped the base."""
    return (Component("base", base, cap), Component("rate", rate.value, rate), _rounded(base * rate.value))


def _part(program: str, payer: str, funded: bool, trace: tuple[Component, ...]) -> Part:
    """A part whose amount is where its working ends: its last flat or rounding step."""
    amount = next(step.value for step in reversed(trace) if step.role in ("flat", "rounding"))
    return Part(program, payer, amount, funded, trace)  # type: ignore[arg-type]


def _price_pu(cohort: Cohort, month: int, rules: RuleBook) -> tuple[Part, ...]:
    wage, get = cohort.income, rules.get
    parts: list[Part] = []
    for program in cohort.programs:
        if program == "jkk":
            trace = _rated(wage, get(f"pu.jkk.{cohort.risk}", month))
            relief = get(f"pu.jkk_relief.{cohort.risk}", month) if cohort.jkk_relief else None
            if relief is not None and relief.value is not None:  # a reduced rate instead of the normal one
                trace = (*trace, Component("relief_rate", relief.value, relief), _rounded(wage * relief.value))
            parts.append(_part("jkk", "employer", True, trace))
        elif program == "jkm":
            parts.append(_part("jkm", "employer", True, _rated(wage, get("pu.jkm", month))))
        else:
            cap = get("pu.jp_wage_cap", month) if program == "jp" else None
            if cap is not None and wage <= cap.value:
                cap = None  # a cap the wage stays under decides nothing
            base = wage if cap is None else cap.value
            parts.append(_part(program, "employer", True, _rated(base, get(f"pu.{program}.employer", month), cap)))
            parts.append(_part(program, "worker", cohort.pays_worker_share, _rated(base, get(f"pu.{program}.worker", month), cap)))
    return tuple(parts)


def _price_bpu(cohort: Cohort, scheme: FundingScheme, month: int, rules: RuleBook) -> tuple[Part, ...]:
    income, get = cohort.income, rules.get
    share, step = None, ()
    relief = get("bpu.relief.transport" if cohort.transport else "bpu.relief.other", month)
    if relief.value is not None:
        step = (Component("relief_share", relief.value, relief, applies=False),)  # turned off by the scenario
    if relief.value is not None and scheme.relief:
        full_rate = get("bpu.relief.full_rate_payers", month, scheme.kind)  # verified for the kinds the regulation names
        if scheme.kind in full_rate.value:
            step = (Component("relief_share", relief.value, relief, applies=False, excluded_by=full_rate),)
        else:
            share, step = relief.value, (Component("relief_share", relief.value, relief, checked=full_rate),)
    relieved = rules.parameters[relief.name].programs or ()  # the programs its article covers (rule data)
    parts = []
    for program in cohort.programs:
        if program == "jkm":
            rule = get("bpu.jkm", month)
            trace: tuple[Component, ...] = (Component("flat", rule.value, rule),)
        else:
            trace = _rated(income, get(f"bpu.{program}", month))
        if program in relieved:
            full = trace[-1].value
            trace = (*trace, *step, *(() if share is None else (Component("rounding", share_of(full, share), exact=full * share),)))  # rounded once
        parts.append(_part(program, "participant", True, trace))
    return tuple(parts)


@frozen
class _Priced:
    """One participant-month's parts with their sums per program and payer, computed once per
    (pricing terms, month) so that a cohort-month costs a few multiplications."""

    parts: tuple[Part, ...]
    funded: int
    by_program: tuple[tuple[str, int], ...]
    by_payer: tuple[tuple[str, int], ...]
    unfunded: int
    relief: int
    assumed: tuple[RuleValue, ...]
    unverified: tuple[RuleValue, ...]

    @classmethod
    def of(cls, parts: tuple[Part, ...]) -> _Priced:
        funded = [part for part in parts if part.funded]
        programs: dict[str, int] = {}
        payers: dict[str, int] = {}
        for part in funded:
            programs[part.program] = programs.get(part.program, 0) + part.per_person
            payers[part.payer] = payers.get(part.payer, 0) + part.per_person
        used = [rule for part in parts for rule in part.rules]
        return cls(
            parts, sum(part.per_person for part in funded), tuple(programs.items()), tuple(payers.items()),
            sum(part.per_person for part in parts if not part.funded), sum(part.relief for part in funded),
            tuple(rule for rule in used if rule.assumed), tuple(rule for rule in used if rule.unverified),
        )


_PRICED: "weakref.WeakKeyDictionary[RuleBook, dict[tuple, Any]]" = weakref.WeakKeyDictionary()
_PRICED_MAX = 200_000  # entries kept per book between runs


def _priced_cache(rules: RuleBook) -> dict[tuple, Any]:
    """The participant-months priced so far with `rules` ((pricing terms, epoch) -> `_Priced`) and
    the participant-years ((terms, year, first month, last month) -> `PricedYear`), kept while the
    book lives: the runs of a process that share a book (the scenarios of a batch without a
    what-if, both sides of a compare) price each set of terms once."""
    cache = _PRICED.get(rules)
    if cache is None or len(cache) > _PRICED_MAX:
        cache = _PRICED[rules] = {}
    return cache


def simulate(scenario: Scenario, rules: RuleBook) -> Result:
    """Price every cohort month by month with the run's one rule book (the shipped book plus the
    scenario's what-if, `rules.RuleBook.with_what_if`) and total the budget; raises ScenarioError
    when the rule book has no value for a month the scenario needs (a year before it starts)."""
    with without_gc():  # a result holds no cycles; the collector's passes over 50,000 cohorts' new objects cost a third of the time
        return _simulate(scenario, rules)


def _simulate(scenario: Scenario, rules: RuleBook) -> Result:
    problems = income_problems(scenario, rules)  # the book or year may differ from the one the file was checked with
    if problems:
        raise ScenarioError(problems)
    by_month = [0] * 12
    by_program = dict.fromkeys(PROGRAMS, 0)
    by_payer = dict.fromkeys(PAYERS, 0)
    by_funding = dict.fromkeys(scenario.funding, 0)
    active = [scenario.workforce.covered] * 12
    assumed: dict[str, tuple[RuleValue, set[int]]] = {}
    unverified: dict[str, tuple[RuleValue, dict[str, Cohort]]] = {}
    cohorts: list[CohortResult] = []
    years = _priced_cache(rules)  # (pricing terms, year, first month, last month) -> the participant's year, too
    reported: set[int] = set()  # the years whose assumed rules are counted (a cohort with workers priced with them)
    worker_paid_total = relief_total = 0

    for cohort in scenario.cohorts:
        scheme = scenario.funding[cohort.funding]
        key = (pricing_key(cohort, scheme), scenario.year, cohort.start, cohort.end)  # every field marked as a pricing term (model.PRICES)
        year = years.get(key)
        if year is None:
            year = years[key] = _year(scenario, cohort, scheme, rules)
        workers = cohort.workers
        if workers:  # a cohort with no workers costs nothing: the rules it would rest on are not reported
            if id(year) not in reported:
                reported.add(id(year))
                for rule, month in year.assumed:
                    assumed.setdefault(rule.name, (rule, set()))[1].add(month)
            for rule in year.unverified:
                unverified.setdefault(rule.name, (rule, {}))[1].setdefault(cohort.name, cohort)
            for offset in range(cohort.start - 1, cohort.end):
                active[offset] += workers
                by_month[offset] += year.funded[offset] * workers
            for program, amount in year.by_program:
                by_program[program] += amount * workers
            for payer, amount in year.by_payer:
                by_payer[payer] += amount * workers
            amount = year.amount * workers
            by_funding[cohort.funding] += amount
            worker_paid_total += year.unfunded * workers
            relief_total += year.relief * workers
        cohorts.append(CohortResult(cohort, scheme, year))

    if sum(by_month) > MAX_FIGURE or worker_paid_total > MAX_FIGURE:  # every other figure is a part of these
        largest = max(cohorts, key=lambda item: item.amount + item.worker_paid)
        raise ScenarioError([diagnostic(largest.cohort.mark, "E-budget-too-large", total=Rupiah(max(sum(by_month), worker_paid_total)),
                                        limit=Rupiah(MAX_FIGURE))])
    funding = {key: FundingResult(scenario.funding[key], amount) for key, amount in by_funding.items()}
    coverage = Coverage(scenario.workforce.employed, scenario.workforce.covered, tuple(active))
    return Result(
        scenario=scenario, total=sum(by_month), by_month=tuple(by_month), by_program=by_program, by_payer=by_payer,
        by_funding=funding, cohorts=tuple(cohorts), by_cohort=CohortTotals(tuple(cohorts)), coverage=coverage, worker_paid=worker_paid_total, relief=relief_total,
        diagnostics=(*scenario.notices, *_diagnostics(scenario, funding, coverage, assumed, unverified, rules),
                     *eligibility.check(scenario, rules, {item.cohort.name: item.amount for item in cohorts})),
        rules=rules,
    )


def _year(scenario: Scenario, cohort: Cohort, scheme: FundingScheme, rules: RuleBook) -> PricedYear:
    """A participant of `cohort` priced month by month over its covered months; the months of one
    rule epoch are priced once, and kept with the book for other runs (`_priced_cache`)."""
    cache = _priced_cache(rules)
    terms = pricing_key(cohort, scheme)
    parts: list[tuple[Part, ...]] = [()] * 12
    funded = [0] * 12
    programs = dict.fromkeys(PROGRAMS, 0)
    payers: dict[str, int] = {}
    unfunded = relief = 0
    assumed: list[tuple[RuleValue, int]] = []
    unverified: dict[str, RuleValue] = {}
    for offset in range(cohort.start - 1, cohort.end):
        month = month_index(scenario.year, offset + 1)
        key = (terms, rules.epoch(month))  # months with the same rules in force price alike
        priced = cache.get(key)
        if priced is None:
            try:
                priced = cache[key] = _Priced.of(price(cohort, scheme, month, rules))
            except RuleMissing as exc:
                raise ScenarioError([exc.at(scenario.year_mark)]) from None
        assumed += ((rule, month) for rule in priced.assumed)
        for rule in priced.unverified:
            unverified.setdefault(rule.name, rule)
        parts[offset] = priced.parts
        funded[offset] = priced.funded
        for program, amount in priced.by_program:
            programs[program] += amount
        for payer, amount in priced.by_payer:
            payers[payer] = payers.get(payer, 0) + amount
        unfunded += priced.unfunded
        relief += priced.relief
    return PricedYear(tuple(parts), tuple(funded), tuple(programs.items()), tuple(payers.items()), sum(funded), unfunded, relief,
                      tuple(assumed), tuple(unverified.values()))


def _diagnostics(scenario: Scenario, funding: dict[str, FundingResult], coverage: Coverage,
                 assumed: dict[str, tuple[RuleValue, set[int]]], unverified: dict[str, tuple[RuleValue, dict[str, Cohort]]],
                 rules: RuleBook) -> list[Diagnostic]:
    """Warnings a planner must see (overruns, assumed future values, coverage above 100%) and notes
    on the unverified rules the figures rest on. Data only: the words come from the catalogue."""
    found = []
    for item in funding.values():
        if item.over:
            scheme = item.scheme
            found.append(diagnostic(
                scheme.ceiling_mark or scheme.mark, "W-ceiling-overrun", id=Quoted(scheme.id), name=Quoted(scheme.name),
                amount=Rupiah(item.amount), ceiling=Rupiah(scheme.ceiling), over=Rupiah(item.over),
            ))
    peak = max(coverage.active_by_month)
    if peak > coverage.employed:
        found.append(diagnostic(scenario.workforce_mark, "W-coverage-above-employed", peak=Count(peak), employed=Count(coverage.employed)))
    for name in sorted(assumed):
        rule, months = assumed[name]
        found.append(diagnostic(
            scenario.year_mark, "W-assumed-rule", rule=name, months=_span(min(months), max(months)),
            value=rule_amount(rule.unit, rule.value), effective=Month(rule.effective), known=Month(rule.known_through),
        ))
        if rules.parameters[name].projection is not None:
            found.append(diagnostic(scenario.year_mark, "N-project-cap", name=Quoted(name), year=rule.effective // 12))
    for name in sorted(unverified):
        rule, cohorts = unverified[name]
        first = next(iter(cohorts.values()))
        found.append(diagnostic(first.mark, "N-unverified-rule", rule=name, reference=rule.reference, reason=rule.unverified,
                                cohorts=Cohorts(Quoted(cohort) for cohort in cohorts)))
    return found


def _span(first: int, last: int) -> Month | Phrase:
    return Month(first) if first == last else Phrase("{first} to {last}", first=Month(first), last=Month(last))
