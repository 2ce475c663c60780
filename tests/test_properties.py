"""Invariants over random scenarios: parts sum to totals, cost scales with headcount, zero costs nothing,
the compare causes add up to the difference exactly, and a cohort costs what the rule book's values
give when worked here by hand (rate x base, rounded half up, per program and payer, x workers x months)."""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import KINDS, cohorts, scenarios
from ucj_cli import compare, simulate
from ucj_cli.period import month_index
from ucj_cli.rules.book import load_rulebook
from ucj_cli.model import Cohort, Scenario, Workforce

@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_every_breakdown_sums_exactly_to_the_total(scenario):
    result = simulate(scenario)
    assert isinstance(result.total, int)
    assert sum(result.by_month) == result.total
    assert sum(result.by_program.values()) == result.total
    assert sum(result.by_payer.values()) == result.total
    assert sum(item.amount for item in result.by_funding.values()) == result.total
    assert sum(item.amount for item in result.cohorts) == result.total
    assert sum(line.amount for line in result.lines()) == result.total
    for item in result.cohorts:
        assert sum(item.by_month) == sum(item.by_program.values()) == item.amount
        assert item.amount == item.cohort.workers * sum(item.per_person)
    # The scenario's cohorts (a CSV cohort's groups gathered into one) add up the same way.
    assert sum(total.amount for total in result.by_cohort) == result.total
    assert sorted(id(group) for total in result.by_cohort for group in total.groups) == sorted(id(item) for item in result.cohorts)
    for total in result.by_cohort:
        assert sum(total.by_month) == sum(total.by_program.values()) == total.amount
        assert total.by_month == tuple(sum(group.by_month[m] for group in total.groups) for m in range(12))
        assert total.workers == sum(group.cohort.workers for group in total.groups)
        if total.per_person is not None:
            assert total.by_month == tuple(total.workers * amount for amount in total.per_person)
    shown, rest = result.folded(1)
    assert sum(total.amount for total in shown) + (rest.amount if rest else 0) == result.total


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_doubling_workers_doubles_every_figure(scenario):
    doubled = replace(scenario, cohorts=tuple(replace(c, workers=c.workers * 2) for c in scenario.cohorts))
    one, two = simulate(scenario), simulate(doubled)
    assert two.total == 2 * one.total
    assert two.by_month == tuple(2 * a for a in one.by_month)
    assert two.by_program == {k: 2 * v for k, v in one.by_program.items()}
    assert two.worker_paid == 2 * one.worker_paid


@settings(max_examples=100, deadline=None)
@given(scenarios(), cohorts(99))
def test_a_zero_worker_cohort_costs_nothing(scenario, extra):
    base = simulate(scenario)
    padded = simulate(replace(scenario, cohorts=(*scenario.cohorts, replace(extra, workers=0))))
    assert padded.total == base.total and padded.by_month == base.by_month
    assert padded.coverage.active_by_month == base.coverage.active_by_month
    assert padded.cohorts[-1].amount == 0


@settings(max_examples=100, deadline=None)
@given(scenarios(), scenarios())
def test_compare_causes_add_up_to_the_difference(left, right):
    # Same names (c0, c1, ...) on both sides: some cohorts match, the rest are added or removed.
    comparison = compare(simulate(left), simulate(right))
    for line in comparison.lines:
        assert line.causes is None or sum(line.causes.values()) == line.diff
    assert sum(comparison.causes.values()) == comparison.total.diff


def _half_up(amount: Fraction) -> int:
    """Whole rupiah, halves up: written here as floor(x + 1/2), not with money.round_half_up."""
    return math.floor(amount + Fraction(1, 2))


def _worked(cohort: Cohort, year: int) -> dict[str, int]:
    """What the budget pays for `cohort` in a year, by program, from the shipped rule book's values:
    each program and payer share is base x rate rounded half up (JKM for BPU a flat amount, JP's base
    capped), summed over the covered months, times the workers. No relief: the schemes opt out."""
    book = load_rulebook()
    by_program = dict.fromkeys(cohort.programs, 0)
    for calendar in range(cohort.start, cohort.start + cohort.months):
        month = month_index(year, calendar)
        value = lambda name: book.get(name, month).value  # noqa: E731
        income = cohort.income
        for program in cohort.programs:
            if cohort.category == "bpu":
                amount = value("bpu.jkm") if program == "jkm" else _half_up(income * value(f"bpu.{program}"))
            elif program in ("jkk", "jkm"):
                amount = _half_up(income * value(f"pu.jkk.{cohort.risk}" if program == "jkk" else "pu.jkm"))
            else:
                base = min(income, value("pu.jp_wage_cap")) if program == "jp" else income
                amount = _half_up(base * value(f"pu.{program}.employer"))
                amount += _half_up(base * value(f"pu.{program}.worker")) if cohort.pays_worker_share else 0
            by_program[program] += amount * cohort.workers
    return by_program


@settings(max_examples=100, deadline=None)
@given(cohorts(), st.integers(2023, 2027))
def test_a_cohort_costs_the_rule_values_worked_by_hand(cohort, year):
    cohort = replace(cohort, jkk_relief=False) if cohort.category == "pu" else cohort
    funding = {kind: replace(scheme, relief=False) for kind, scheme in KINDS.items()}
    scenario = Scenario(name="worked", year=year, workforce=Workforce(2_000_000, 0), funding=funding, cohorts=(cohort,))
    result = simulate(scenario)
    expected = _worked(cohort, year)
    assert {program: result.by_program.get(program, 0) for program in expected} == expected
    assert result.total == sum(expected.values())


@settings(max_examples=50, deadline=None)
@given(scenarios(), st.integers(2, 5))
def test_more_workers_on_the_same_terms_is_all_headcount(scenario, factor):
    """Worked independently: the same cohorts with `factor` times the workers cost `factor - 1` times
    each cohort's amount more, and all of it is headcount (no months, no income, no rates changed)."""
    more = replace(scenario, cohorts=tuple(replace(c, workers=c.workers * factor) for c in scenario.cohorts))
    base = simulate(scenario)
    comparison = compare(base, simulate(more))
    amounts = {item.cohort.name: item.amount for item in base.cohorts}
    assert sorted(line.key for line in comparison.lines) == sorted(amounts)
    for line in comparison.lines:
        assert line.causes == {"headcount": (factor - 1) * amounts[line.key], "duration": 0, "income": 0, "rates": 0}
    assert comparison.causes["headcount"] == (factor - 1) * base.total
