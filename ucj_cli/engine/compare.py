"""Comparing two budgets line by line, and explaining each cohort's difference by cause.

A cohort's cost is `workers x sum(per-person cost of each covered month)`. Matched by name, the
difference between BASE (a) and OTHER (b) is split by substituting one factor at a time, in this order:

    headcount = (w_b - w_a) x sum over a's months of p_a
    duration  = w_b x (sum over b's months of p_a - sum over a's months of p_a)
    income    = w_b x sum over b's months of (p_i - p_a)
    rates     = w_b x sum over b's months of (p_b - p_i)

where p_a is one participant's cost priced with a's terms (income, programs, risk, funding kind) under
a's rules and year, month by calendar month, p_i the same with b's income (the wage or declared
income) and everything else a's, and p_b the cost with b's terms under b's rules. So `income` is the
change of the base wage or declared income priced under the base's rules, and `rates` what is left:
rule changes, programs, risk class, funding kind. Every term is an integer in rupiah and the four add
up to the difference exactly. Cohorts present on one side only are `added` or `removed`; together
with the four causes they add up to the total difference.

Every line carries the workers on both sides: a cohort's workers; a scheme's or a program's, the
workers of the cohorts it pays for; a month's, the participants covered that month.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from ucj_cli.engine.pricing import CohortResult, Result, price
from ucj_cli.frozen import frozen
from ucj_cli.period import month_index, month_label

VIEWS = ("cohort", "program", "funding", "month")
CAUSES = ("headcount", "duration", "income", "rates")


@frozen
class CompareLine:
    """One line of a comparison (a cohort, program, funding scheme or month): its amount in each scenario and, for a
    matched cohort, the difference by cause."""

    key: str
    base: int
    other: int
    status: str  # same | changed | added | removed
    causes: dict[str, int] | None = None  # cohort view, matched cohorts only
    workers_base: int = 0
    workers_other: int = 0

    @property
    def diff(self) -> int:
        return self.other - self.base

    @property
    def pct(self) -> Fraction | None:
        return Fraction(self.diff * 100, self.base) if self.base else None


@frozen
class Comparison:
    """Two priced scenarios side by side, line by line in one view (`by`)."""

    base: Result
    other: Result
    by: str
    lines: tuple[CompareLine, ...]
    what_if: tuple[tuple[str, int], ...] = ()  # `compare --baseline`: the difference by what-if parameter (explain.what_if_causes)

    @property
    def total(self) -> CompareLine:
        return CompareLine("Total", self.base.total, self.other.total, _status(self.base.total, self.other.total),
                           workers_base=self.base.workers, workers_other=self.other.workers)

    @property
    def causes(self) -> dict[str, int] | None:
        """The total difference by cause (cohort view): the four causes plus added and removed cohorts."""
        if self.by != "cohort":
            return None
        totals = dict.fromkeys((*CAUSES, "added", "removed"), 0)
        for line in self.lines:
            if line.causes:
                for cause, amount in line.causes.items():
                    totals[cause] += amount
            elif line.status in ("added", "removed"):
                totals[line.status] += line.diff
        return totals


def _status(base: int, other: int) -> str:
    return "same" if base == other else "changed"


def compare(base: Result, other: Result, by: str = "cohort") -> Comparison:
    """Line-by-line comparison of two simulated budgets, grouped `by` cohort, program, funding or month."""
    if by not in VIEWS:
        raise ValueError(f"by must be one of {', '.join(VIEWS)}")
    if by == "cohort":
        lines = _cohort_lines(base, other)
    elif by == "month":  # calendar month by calendar month, keyed by the base's YYYY-MM (the years may differ)
        left, right = _workers(base, by), _workers(other, by)
        lines = [CompareLine(month_label(month), a, b, _status(a, b), None, left[offset], right[offset])
                 for offset, (month, a, b) in enumerate(zip(base.months, base.by_month, other.by_month))]
    else:
        left, right = _amounts(base, by), _amounts(other, by)
        people_a, people_b = _workers(base, by), _workers(other, by)
        lines = []
        for key in [*left, *(k for k in right if k not in left)]:
            people = (people_a.get(key, 0), people_b.get(key, 0))
            if key not in right:
                lines.append(CompareLine(key, left[key], 0, "removed", None, *people))
            elif key not in left:
                lines.append(CompareLine(key, 0, right[key], "added", None, *people))
            else:
                lines.append(CompareLine(key, left[key], right[key], _status(left[key], right[key]), None, *people))
    return Comparison(base, other, by, tuple(lines))


def _amounts(result: Result, by: str) -> dict[str, int]:
    if by == "program":
        return dict(result.by_program)
    return {key: item.amount for key, item in result.by_funding.items()}


def _workers(result: Result, by: str) -> dict:
    """Workers by line: a scheme's or a program's cohorts (a program counts the cohorts it is priced
    for), or the participants of each calendar month (keyed 0-11)."""
    found: dict = {}
    for item in result.cohorts:
        workers = item.cohort.workers
        if by == "month":
            for offset in range(12):
                found[offset] = found.get(offset, 0) + (workers if item.parts[offset] else 0)
        elif by == "program":
            for program in item.by_program:
                found[program] = found.get(program, 0) + workers
        else:
            found[item.cohort.funding] = found.get(item.cohort.funding, 0) + workers
    return found


def _identity(item: CohortResult) -> tuple[str, ...]:
    """What a priced cohort is on both sides: its name, or for a group of a `from_csv` cohort the
    cohort and the override cells its rows share (its `#n` in the name follows file order)."""
    places = item.cohort.places
    return ("yaml", item.cohort.name) if places is None else ("csv", places.origin, *places.key)


def _by_identity(result: Result) -> dict[tuple, CohortResult]:
    """The priced cohorts by identity; should two share one (groups made by hand with the same
    cells), they are told apart by their order."""
    found: dict[tuple, CohortResult] = {}
    seen: dict[tuple, int] = {}
    for item in result.cohorts:
        identity = _identity(item)
        seen[identity] = seen.get(identity, -1) + 1
        found[(*identity, seen[identity])] = item
    return found


def _cohort_lines(base: Result, other: Result) -> list[CompareLine]:
    left, right = _by_identity(base), _by_identity(other)
    lines = []
    for key, a in left.items():
        b = right.get(key)
        if b is None:
            lines.append(CompareLine(a.cohort.name, a.amount, 0, "removed", None, a.cohort.workers, 0))
            continue
        causes = decompose(a, base, b)
        lines.append(CompareLine(a.cohort.name, a.amount, b.amount, _status(a.amount, b.amount), causes, a.cohort.workers, b.cohort.workers))
    lines.extend(CompareLine(b.cohort.name, 0, b.amount, "added", None, 0, b.cohort.workers) for key, b in right.items() if key not in left)
    return lines


def decompose(a: CohortResult, base: Result, b: CohortResult) -> dict[str, int]:
    """Split b.amount - a.amount into headcount, duration, income and rates (see the module docstring)."""
    p_a = _per_person_all_months(a, base)
    p_i = p_a if b.cohort.income == a.cohort.income else _per_person_all_months(a, base, b.cohort.income)
    p_b = b.per_person
    months_a = range(a.cohort.start - 1, a.cohort.end)
    months_b = range(b.cohort.start - 1, b.cohort.end)
    w_a, w_b = a.cohort.workers, b.cohort.workers
    sum_a = sum(p_a[m] for m in months_a)
    sum_a_on_b = sum(p_a[m] for m in months_b)
    causes = {
        "headcount": (w_b - w_a) * sum_a,
        "duration": w_b * (sum_a_on_b - sum_a),
        "income": w_b * sum(p_i[m] - p_a[m] for m in months_b),
        "rates": w_b * sum(p_b[m] - p_i[m] for m in months_b),
    }
    assert sum(causes.values()) == b.amount - a.amount
    return causes


def _per_person_all_months(item: CohortResult, result: Result, income: int | None = None) -> list[int]:
    """The budget's cost of one participant in every calendar month, priced with the cohort's own
    terms (or with `income` instead of its own) under its result's rules, including months the
    cohort was not covered."""
    covered = item.per_person
    year = result.scenario.year
    cohort = item.cohort if income is None else replace(item.cohort, income=income)
    prices = []
    for offset in range(12):
        if item.parts[offset] and income is None:
            prices.append(covered[offset])
        else:
            parts = price(cohort, item.scheme, month_index(year, offset + 1), result.rules)
            prices.append(sum(part.per_person for part in parts if part.funded))
    return prices
