"""Invariants over random scenarios: parts sum to totals, cost scales with headcount, zero costs nothing,
and the compare causes add up to the difference exactly."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from ucj_cli import compare, simulate
from ucj_cli.csv_cohorts import Layout, Places
from ucj_cli.scenario import FUNDING_KINDS, RISKS, Cohort, FundingScheme, Scenario, Workforce

KINDS = {kind: FundingScheme(kind, kind.upper(), kind, 50_000_000) for kind in FUNDING_KINDS}


@st.composite
def cohorts(draw, index: int = 0) -> Cohort:
    category = draw(st.sampled_from(["bpu", "pu"]))
    start = draw(st.integers(1, 12))
    months = draw(st.integers(1, 13 - start))
    if category == "bpu":
        income = draw(st.integers(1_000_000, 20_700_000))
        programs = draw(st.sampled_from([("jkk", "jkm"), ("jkk", "jkm", "jht")]))
        extra = {"transport": draw(st.booleans())}
    else:
        income = draw(st.integers(1, 60_000_000))
        programs = draw(st.sampled_from([("jkk", "jkm"), ("jkk", "jkm", "jht"), ("jkk", "jkm", "jp"), ("jkk", "jkm", "jht", "jp")]))
        extra = {"risk": draw(st.sampled_from(RISKS)), "pays_worker_share": draw(st.booleans()), "jkk_relief": draw(st.booleans())}
    return Cohort(
        name=f"c{index}", workers=draw(st.integers(0, 50_000)), category=category, income=income,
        funding=draw(st.sampled_from(FUNDING_KINDS)), programs=programs, start=start, months=months, **extra,
    )


def _places(origin: str, workers: int) -> Places:
    layout = Layout(f"{origin}.csv", ",", 0, 1, 2, (None, None, None), None, 3)
    return Places(layout, (), 1, (("D", frozenset({"V"}), workers),), origin)


@st.composite
def scenarios(draw) -> Scenario:
    count = draw(st.integers(1, 6))
    items = tuple(draw(cohorts(i)) for i in range(count))
    # Some cohorts are groups of one cohort read from CSV (rows priced alike), as `from_csv` makes them.
    origins = draw(st.lists(st.sampled_from([None, "CSV A", "CSV B"]), min_size=count, max_size=count))
    items = tuple(item if origin is None else replace(item, places=_places(origin, item.workers)) for item, origin in zip(items, origins))
    covered = draw(st.integers(0, 1_000_000))
    return Scenario(name="random", year=draw(st.integers(2023, 2027)), workforce=Workforce(covered + 2_000_000, covered),
                    funding=dict(KINDS), cohorts=items)


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
