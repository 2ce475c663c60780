"""The multi-year road to a coverage target (`ucj path`): year by year, with its assumptions.

Pure analysis over the engine (no I/O, no words; the run's rule book is given). A scenario with a
`path:` section is budgeted for its own year and every year through `path.through`:

- Year one is the scenario as written, planned as `ucj plan` plans it: with targets, the workers to
  add so that December reaches that year's target (`plan --target-coverage`); without, the ceilings
  filled as `plan` fills them in budget mode.
- Every later year starts from the December before: every cohort covered in December runs all
  twelve months with the workers it had then (the workers it gained included; nobody insured in
  December is dropped); a cohort that ends earlier (a few months of village works) comes back for
  the same months with the workers it had. The employed and the coverage from outside the budget
  grow by `growth.employed` and `growth.covered` (rounded half up to whole people; the outside
  coverage never above the employed), each scheme's ceiling by `growth.ceilings` (rounded down to
  the rupiah: a ceiling is never more than its growth gives), and a `wage: minimum_wage` cohort's
  income by the minimum-wage formula of that wage year, `UM(t) = UM(t-1) x (1 + inflation +
  economic_growth x alpha)` rounded up to the rupiah (PP 36/2021 art. 26 as amended; the rounding
  unit is rule data, an adjustment of 0 or less keeps the wage, PP 49/2025 art. 26(9)). Other
  incomes stay as written (a BPU income is a nominal Lampiran bracket).
- The year is then planned with `engine.plan`'s own target or budget planning on that year's
  scenario. In target mode a year's participants needed are `ceil(target x employed)`, the target
  linear in percentage points between the years given, held after the last one, and none before
  the first (the cohorts carry on). In budget mode a cohort covered in December keeps at least the
  workers it carried in, even where its ceiling no longer pays for them (the overrun is reported).

Each year is priced under that year's rules by the engine itself (`simulate` of the year's
scenario, which `--write` saves): the path's figures are what `ucj simulate` shows for each year.
What a worker costs depends on the rules, the year and the cohort's terms, never on head counts:
those unit prices are kept in a `Prices` cache shared by every year and every sensitivity variant,
so a variant costs whole-number arithmetic (and a new price only where an income moved).
"""

from __future__ import annotations

from dataclasses import field, replace
from fractions import Fraction
from typing import Iterable

from ucj_cli.engine import plan as planning
from ucj_cli.engine.pricing import Result, simulate
from ucj_cli.errors import Diagnostic, Mark, ScenarioError, diagnostic
from ucj_cli.frozen import frozen
from ucj_cli.i18n.messages import Choices, Count, Quoted, Ratio, Rupiah
from ucj_cli.model import Cohort, FundingScheme, PathSpec, PathTarget, Scenario, WageGrowth, Workforce
from ucj_cli.money import MAX_FIGURE, percent, round_half_up
from ucj_cli.period import month_index
from ucj_cli.rules.book import RuleBook, RuleValue

MODES = ("target", "budget")
SOURCES = ("scenario", "default", "rule", "projection", "carried forward", "interpolated", "held")
BOUNDS = ("ceiling", "max_workers", "no_cohort")
_ALPHA = ("wages.minimum_wage.alpha.minimum", "wages.minimum_wage.alpha.maximum")
_ROUND_UP = "wages.minimum_wage.round_up_to"
_JP_CAP = "pu.jp_wage_cap"


@frozen
class CohortYear:
    """One cohort in one year: as priced (workers, income, months), the workers it carried in from
    the December before (the first year: as written), and what one worker costs that year."""

    cohort: Cohort
    carried: int
    per_person: int

    @property
    def workers(self) -> int:
        return self.cohort.workers

    @property
    def amount(self) -> int:
        return self.per_person * self.cohort.workers


@frozen
class SchemeYear:
    """One funding scheme in one year of a path: what it pays against that year's ceiling."""

    scheme: FundingScheme  # with that year's ceiling
    amount: int

    @property
    def ceiling(self) -> int | None:
        return self.scheme.ceiling

    @property
    def left(self) -> int | None:
        return None if self.scheme.ceiling is None else self.scheme.ceiling - self.amount


@frozen
class PathYear:
    """One year of the road. `covered_before`: insured before the year's plan (coverage from outside
    the budget plus the cohorts' December workers carried in); `covered_december`: after it;
    `required`: the participants the year's target needs (None: no target that year); `bound`: why
    a target is missed (a ceiling, `max_workers`, no cohort covered in December), `bound_schemes`
    the schemes whose ceiling binds."""

    year: int
    scenario: Scenario  # the year's scenario: `ucj simulate` prices it to exactly these figures
    cohorts: tuple[CohortYear, ...]
    schemes: dict[str, SchemeYear]
    employed: int
    covered_outside: int
    covered_before: int
    covered_december: int
    target: Fraction | None
    target_source: str | None  # scenario | interpolated | held
    required: int | None
    bound: str | None = None
    bound_schemes: tuple[str, ...] = ()
    result: Result | None = field(default=None, compare=False, repr=False)  # the engine's own pricing (None in a sensitivity variant)
    notes: tuple[Diagnostic, ...] = ()  # the year's planning notes

    def __post_init__(self) -> None:
        if self.bound not in (None, *BOUNDS) or (self.bound is not None) == (self.met is not False):
            raise ValueError("a year misses its target for a reason, and only then")

    @property
    def total(self) -> int:
        return sum(item.amount for item in self.cohorts)

    @property
    def new(self) -> int:
        """People the budget insures that were not insured in the December before."""
        return self.covered_december - self.covered_before

    @property
    def met(self) -> bool | None:
        return None if self.required is None else self.covered_december >= self.required

    @property
    def short(self) -> int:
        return 0 if self.required is None else max(0, self.required - self.covered_december)

    @property
    def coverage(self) -> Fraction:
        return Fraction(self.covered_december, self.employed)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return (*self.notes, *(self.result.diagnostics if self.result is not None else ()))


@frozen
class Assumption:
    """One input the road rests on and where it came from (`source`, one of SOURCES; `reference`:
    the scenario's `file:line:column` or the rule's regulation)."""

    name: str  # employed_growth, covered_growth, ceiling_growth, target, minimum_wage, alpha, alpha_range, jp_wage_cap, denominator
    year: int | None
    value: Fraction | int | tuple
    unit: str  # percent | count | currency-IDR | ratio | range
    source: str
    reference: str
    subject: str = ""  # the funding scheme or cohort it is about

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown source {self.source!r}")


@frozen
class Sensitivity:
    """The road's cost with one growth assumption moved (`name`, `subject`, to `value`), against the base."""

    name: str
    subject: str
    direction: str  # down | up
    value: Fraction
    total: int
    last: int
    delta_total: int
    delta_last: int


@frozen
class Path:
    """A scenario carried over its path's years, in target or budget mode, with the assumptions and notes behind it."""

    mode: str  # target | budget
    scenario: Scenario
    years: tuple[PathYear, ...]
    assumptions: tuple[Assumption, ...]
    notes: tuple[Diagnostic, ...]  # the road's own warnings (targets missed or below the coverage reached)
    sensitivity: tuple[Sensitivity, ...] | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES or not self.years:
            raise ValueError("a path has a mode and at least one year")

    @property
    def total(self) -> int:
        return sum(year.total for year in self.years)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.notes


class Prices:
    """What one worker of a cohort costs the budget over its months, by year and pricing terms (a
    price depends on the rules, the year, the payer's kind and a cohort's income, programs and
    months, never on head counts): the engine prices each once for every year and variant sharing
    them, pricing only the cohorts it has not seen (a variant moving the minimum wage reprices the
    minimum-wage cohorts alone)."""

    def __init__(self, rules: RuleBook) -> None:
        self.rules = rules
        self.cache: dict[tuple, int] = {}
        self.priced = 0  # cohorts priced by the engine, for the bench and the tests

    @staticmethod
    def key(scenario: Scenario, cohort: Cohort) -> tuple:
        scheme = scenario.funding[cohort.funding]
        return (scenario.year, cohort.category, cohort.income, cohort.programs, cohort.risk, cohort.pays_worker_share,
                cohort.jkk_relief, cohort.transport, cohort.start, cohort.months, scheme.kind, scheme.relief)

    def units(self, scenario: Scenario) -> list[int]:
        keys = [self.key(scenario, cohort) for cohort in scenario.cohorts]
        missing = {key: cohort for key, cohort in zip(keys, scenario.cohorts) if key not in self.cache}
        if missing:  # priced by the engine itself, one worker each (`plan` prices its unit costs the same way)
            alone = replace(scenario, cohorts=tuple(missing.values()))
            for key, unit in zip(missing, planning._unit_costs(alone, set(), self.rules)):
                self.cache[key] = unit
            self.priced += len(missing)
        return [self.cache[key] for key in keys]


def path(scenario: Scenario, rules: RuleBook, *, sensitivity: bool = False, prices: Prices | None = None) -> Path:
    """The road of `scenario`'s `path:` section with the run's rule book; raises ScenarioError when
    the scenario has none or a year cannot be priced (a BPU income outside a later year's range)."""
    spec = scenario.path
    if spec is None:
        raise ScenarioError([diagnostic(Mark(scenario.file), "E-path-missing")])
    prices = prices or Prices(rules)
    years = _walk(scenario, spec, rules, prices, priced=True)
    notes = _notes(scenario, spec, years)
    found = Path("target" if spec.targets else "budget", scenario, tuple(years), _assumptions(scenario, spec, rules, years), tuple(notes))
    if sensitivity:
        found = replace(found, sensitivity=_sensitivity(scenario, spec, rules, prices, found))
    return found


def _grow(value: int, rate: Fraction) -> int:
    return round_half_up(max(Fraction(), value * (1 + rate)))


def next_minimum_wage(wage: int, inputs: WageGrowth, rules: RuleBook, year: int) -> int:
    """The minimum wage of `year` from that of the year before: `UM x (1 + inflation +
    economic_growth x alpha)` rounded up to the rule book's unit; an adjustment of 0 or less keeps it."""
    adjustment = inputs.inflation + inputs.economic_growth * inputs.alpha
    if adjustment <= 0:
        return wage
    unit = rules.get(_ROUND_UP, month_index(year, 1)).value
    exact = wage * (1 + adjustment) / unit
    return -(-exact.numerator // exact.denominator) * unit


def target_for(spec: PathSpec, year: int) -> tuple[Fraction | None, str | None, PathTarget | None]:
    """The year's December coverage target, how it was found (scenario, interpolated, held) and the
    given target it rests on (the next one, for an interpolated year)."""
    targets = spec.targets
    if not targets or year < targets[0].year:
        return None, None, None
    for before, after in zip(targets, targets[1:]):
        if before.year < year < after.year:
            share = Fraction(year - before.year, after.year - before.year)
            return before.coverage + (after.coverage - before.coverage) * share, "interpolated", after
    for target in targets:
        if target.year == year:
            return target.coverage, "scenario", target
    return targets[-1].coverage, "held", targets[-1]


def _walk(scenario: Scenario, spec: PathSpec, rules: RuleBook, prices: Prices, priced: bool) -> list[PathYear]:
    years: list[PathYear] = []
    growth = dict(spec.ceilings)
    previous: Scenario | None = None
    for year in range(scenario.year, spec.through + 1):
        if previous is None:
            current = replace(scenario, path=None)
            carried = [cohort.workers for cohort in scenario.cohorts]
        else:
            workforce = previous.workforce
            employed = _grow(workforce.employed, spec.employed)
            employed = max(1, employed)
            covered = min(_grow(workforce.covered, spec.covered), employed)
            funding = {key: scheme if scheme.ceiling is None else
                       replace(scheme, ceiling=_floor(scheme.ceiling * (1 + growth.get(key, Fraction()))))
                       for key, scheme in previous.funding.items()}
            cohorts = []
            for cohort in previous.cohorts:
                if cohort.end == 12 and cohort.start != 1:
                    cohort = replace(cohort, start=1, months=12)
                if cohort.wage == "minimum_wage":
                    inputs = spec.wage_growth(year)
                    if inputs is None:  # the checker asks for one for every later year
                        raise ValueError(f"no minimum-wage inputs for {year}")
                    cohort = replace(cohort, income=next_minimum_wage(cohort.income, inputs, rules, year))
                cohorts.append(cohort)
            current = replace(previous, year=year, workforce=Workforce(employed, covered), funding=funding, cohorts=tuple(cohorts))
            carried = [cohort.workers for cohort in cohorts]
        years.append(_plan_year(current, carried, spec, rules, prices, priced, previous is not None))
        previous = years[-1].scenario
    _within_a_spreadsheet(spec, years)
    return years


def _within_a_spreadsheet(spec: PathSpec, years: list[PathYear]) -> None:
    """Each year's budget is bounded by the engine; the road adds years up and grows ceilings, so
    its own figures are bounded here (what a spreadsheet shows exactly, as E-budget-too-large)."""
    running = 0
    for year in years:
        for key, item in year.schemes.items():
            if item.ceiling is not None and item.ceiling > MAX_FIGURE:
                raise ScenarioError([diagnostic(spec.mark, "E-path-ceiling-too-large", scheme=Quoted(key), year=year.year,
                                                ceiling=Rupiah(item.ceiling), limit=Rupiah(MAX_FIGURE))])
        running += year.total
        if running > MAX_FIGURE:
            raise ScenarioError([diagnostic(spec.mark, "E-path-total-too-large", year=year.year, total=Rupiah(running),
                                            limit=Rupiah(MAX_FIGURE))])


def _floor(value: Fraction) -> int:
    return max(0, value.numerator // value.denominator)


def _plan_year(scenario: Scenario, carried: list[int], spec: PathSpec, rules: RuleBook, prices: Prices, priced: bool,
               later: bool) -> PathYear:
    units = prices.units(scenario)
    cohorts = scenario.cohorts
    held = planning._held(scenario, set(), rules)  # offices (kepala desa, perangkat desa, BPD) keep their count every year
    limits = {key: scheme.ceiling for key, scheme in scenario.funding.items()}
    target, source, _given = target_for(spec, scenario.year)
    employed, outside = scenario.workforce.employed, scenario.workforce.covered
    december_before = outside + sum(count for cohort, count in zip(cohorts, carried) if cohort.end == 12)
    required = bound = None
    schemes_bound: tuple[str, ...] = ()
    notes: list[Diagnostic] = []
    if spec.targets:
        workers = list(carried)
        if target is not None:
            required = planning._ceil(target * employed)
            workers, _statuses, reached, needed, notes = planning._target_plan(scenario, units, set(), held, limits, required, target, ())
            if reached.reason == "budgets":
                bound = "ceiling"
                schemes_bound = tuple(key for key, limit in limits.items() if limit is not None and needed[key] > limit)
            elif reached.reason == "cohorts":
                bound = "no_cohort" if not any(c.end == 12 and units[i] > 0 for i, c in enumerate(cohorts)) else "max_workers"
    else:
        workers, _statuses, notes = planning._budget_plan(scenario, units, set(), held, limits, ())
        if later:  # nobody insured in December is dropped
            workers = [max(count, kept) if cohort.end == 12 else count for cohort, count, kept in zip(cohorts, workers, carried)]
    notes = planning.held_notes(scenario, held) + list(notes)
    for cohort, count, kept in zip(cohorts, workers, carried):  # as `ucj plan` says it, each year a cohort grows
        if cohort.max_workers is None and count > kept:
            notes.append(diagnostic(cohort.mark, "W-plan-grown-unbounded", cohort=Quoted(cohort.name), before=Count(kept), after=Count(count)))
    planned = replace(scenario, cohorts=tuple(cohort if cohort.workers == count else replace(cohort, workers=count)
                                              for cohort, count in zip(cohorts, workers)))
    items = tuple(CohortYear(cohort, kept, unit) for cohort, kept, unit in zip(planned.cohorts, carried, units))
    amounts = dict.fromkeys(planned.funding, 0)
    for item in items:
        amounts[item.cohort.funding] += item.amount
    schemes = {key: SchemeYear(scheme, amounts[key]) for key, scheme in planned.funding.items()}
    december = outside + sum(item.workers for item in items if item.cohort.end == 12)
    result = None
    if priced:
        result = simulate(planned, rules)
        for item, cohort in zip(items, result.cohorts):  # the engine is linear in workers; the road rests on it
            if item.amount != cohort.amount:
                raise AssertionError(f"{scenario.year} cohort {item.cohort.name!r}: {item.amount} planned, {cohort.amount} priced")
    return PathYear(scenario.year, planned, items, schemes, employed, outside, december_before, december, target, source, required,
                    bound, schemes_bound, result, tuple(notes))


def _notes(scenario: Scenario, spec: PathSpec, years: list[PathYear]) -> list[Diagnostic]:
    notes = []
    for year in years:
        _target, source, given = target_for(spec, year.year)
        if source == "scenario" and given is not None and year.required is not None and year.required < year.covered_before:
            notes.append(diagnostic(given.mark, "W-path-target-below", year=year.year, target=Count(year.required),
                                    coverage=Ratio(given.coverage), covered=Count(year.covered_before)))
        if year.covered_december > year.employed:  # never a silent "met" above 100%
            notes.append(diagnostic(spec.mark, "W-path-over-employed", year=year.year, covered=Count(year.covered_december),
                                    employed=Count(year.employed), coverage=Ratio(year.coverage)))
        if year.met is False:
            where = given.mark if given is not None else spec.mark
            args = dict(year=year.year, target=Count(year.required), short=Count(year.short))
            if year.bound == "ceiling":
                notes.append(diagnostic(where, "W-path-short-ceiling", schemes=Choices(Quoted(key) for key in year.bound_schemes), **args))
            elif year.bound == "max_workers":
                notes.append(diagnostic(where, "W-path-short-cohorts", **args))
            else:
                notes.append(diagnostic(where, "W-path-short-none", **args))
    return notes


def _assumptions(scenario: Scenario, spec: PathSpec, rules: RuleBook, years: list[PathYear]) -> tuple[Assumption, ...]:
    where = str(spec.mark)
    found = [Assumption("denominator", scenario.year, scenario.workforce.employed, "count", "scenario", str(scenario.workforce_mark))]
    for name, rate in (("employed_growth", spec.employed), ("covered_growth", spec.covered)):
        found.append(Assumption(name, None, rate, "percent", "scenario" if rate else "default", where))
    rates = dict(spec.ceilings)
    for key, scheme in scenario.funding.items():
        if scheme.ceiling is not None:
            found.append(Assumption("ceiling_growth", None, rates.get(key, Fraction()), "percent", "scenario" if key in rates else "default",
                                    where, key))
    for year in years:
        target, source, given = target_for(spec, year.year)
        if target is not None and given is not None:
            found.append(Assumption("target", year.year, target, "percent", source, str(given.mark)))
    paid = [cohort for cohort in scenario.cohorts if cohort.wage == "minimum_wage"]
    for wage_year, inputs in spec.minimum_wage if paid else ():
        month = month_index(wage_year, 1)
        low, high = (rules.get(name, month) for name in _ALPHA)
        found += [Assumption("inflation", wage_year, inputs.inflation, "percent", "scenario", str(inputs.mark)),
                  Assumption("economic_growth", wage_year, inputs.economic_growth, "percent", "scenario", str(inputs.mark)),
                  Assumption("alpha", wage_year, inputs.alpha, "ratio", "scenario", str(inputs.mark)),
                  Assumption("alpha_range", wage_year, (low.value, high.value), "range", "rule", low.reference)]
    for cohort in paid:
        for year in years:
            item = next(i for i in year.cohorts if i.cohort.name == cohort.name)
            found.append(Assumption("minimum_wage", year.year, item.cohort.income, "currency-IDR",
                                    "scenario" if year.year == scenario.year else "projection", str(cohort.mark), cohort.name))
    if any("jp" in cohort.programs for cohort in scenario.cohorts) and _JP_CAP in rules.parameters:
        for year in years:
            seen = set()
            for month in range(month_index(year.year, 1), month_index(year.year, 12) + 1):
                rule = rules.get(_JP_CAP, month)
                if rule.effective in seen:
                    continue
                seen.add(rule.effective)
                found.append(Assumption("jp_wage_cap", year.year, rule.value, "currency-IDR", _rule_source(rule), rule.reference,
                                        f"{rule.effective // 12:04d}-{rule.effective % 12 + 1:02d}"))
    return tuple(found)


def _rule_source(rule: RuleValue) -> str:
    if rule.origin == "projection":
        return "projection"
    if rule.assumed:
        return "carried forward"
    return "scenario" if rule.origin in ("override", "assumption") else "rule"


def _variants(scenario: Scenario, spec: PathSpec, rules: RuleBook) -> Iterable[tuple[str, str, str, Fraction, PathSpec]]:
    """Each growth assumption moved one point each way (alpha to each end of its legal range)."""
    point = percent("1")  # one percentage point
    for name in ("employed", "covered"):
        value = getattr(spec, name)
        for direction, moved in (("down", value - point), ("up", value + point)):
            if -1 <= moved <= 1:
                yield f"{name}_growth", "", direction, moved, replace(spec, **{name: moved})
    rates = dict(spec.ceilings)
    for key, scheme in scenario.funding.items():
        if scheme.ceiling is None:
            continue
        value = rates.get(key, Fraction())
        for direction, moved in (("down", value - point), ("up", value + point)):
            if -1 <= moved <= 1:
                yield "ceiling_growth", key, direction, moved, replace(spec, ceilings=tuple({**rates, key: moved}.items()))
    if not spec.minimum_wage or not any(cohort.wage == "minimum_wage" for cohort in scenario.cohorts):
        return
    for name in ("inflation", "economic_growth"):
        for direction, step in (("down", -point), ("up", point)):
            moved = tuple((year, replace(inputs, **{name: getattr(inputs, name) + step})) for year, inputs in spec.minimum_wage)
            yield name, "", direction, getattr(spec.minimum_wage[0][1], name) + step, replace(spec, minimum_wage=moved)
    for direction, bound in (("down", 0), ("up", 1)):
        moved = tuple((year, replace(inputs, alpha=rules.get(_ALPHA[bound], month_index(year, 1)).value)) for year, inputs in spec.minimum_wage)
        yield "alpha", "", direction, moved[0][1].alpha, replace(spec, minimum_wage=moved)


def _sensitivity(scenario: Scenario, spec: PathSpec, rules: RuleBook, prices: Prices, base: Path) -> tuple[Sensitivity, ...]:
    found = []
    last = base.years[-1].total
    for name, subject, direction, value, variant in _variants(scenario, spec, rules):
        years = _walk(scenario, variant, rules, prices, priced=False)
        total = sum(year.total for year in years)
        found.append(Sensitivity(name, subject, direction, value, total, years[-1].total, total - base.total, years[-1].total - last))
    found.sort(key=lambda item: (-max(abs(item.delta_total), abs(item.delta_last)), item.name, item.subject, item.direction))
    return tuple(found)
