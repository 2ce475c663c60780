"""The engine prices cohorts alike only when every pricing term is equal, and the terms are read from
the model's fields (metadata `PRICES`), so a new term cannot be left out of the cache key."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import FIXTURES
from ucj_cli import load_scenario
from ucj_cli.api import rulebook_for
from ucj_cli.engine import pricing
from ucj_cli.model import PRICES, Cohort, FundingScheme, pricing_key


def test_the_pricing_terms_are_the_fields_marked_as_such():
    marked = lambda cls: [item.name for item in dataclasses.fields(cls) if item.metadata.get("prices")]  # noqa: E731
    assert marked(Cohort) == ["category", "income", "programs", "risk", "pays_worker_share", "jkk_relief", "transport"]
    assert marked(FundingScheme) == ["kind", "relief"]
    cohort, scheme = Cohort("a", 10, "pu", 2_000_000, "f"), FundingScheme("f", "F")
    assert pricing_key(cohort, scheme) == pricing_key(dataclasses.replace(cohort, name="b", workers=99, start=3, months=2), scheme)
    for changed in (dataclasses.replace(cohort, income=2_000_001), dataclasses.replace(cohort, jkk_relief=True)):
        assert pricing_key(changed, scheme) != pricing_key(cohort, scheme)
    assert pricing_key(cohort, dataclasses.replace(scheme, relief=False)) != pricing_key(cohort, scheme)


@pytest.mark.parametrize("prices", [True, False])
def test_a_new_field_marked_as_a_pricing_term_is_priced_without_touching_the_engine(monkeypatch, prices):
    # A new relief flag, as a later regulation might add: declared once, on the model.
    metadata = PRICES if prices else {}
    NightShift = dataclasses.make_dataclass(
        "NightShift", [("night_shift", bool, dataclasses.field(default=False, metadata=metadata))], bases=(Cohort,), frozen=True)
    original = pricing.price

    def price(cohort, scheme, month, rules):  # the price reads the new term: night shifts cost double the wage
        return original(dataclasses.replace(cohort, income=cohort.income * 2) if cohort.night_shift else cohort, scheme, month, rules)

    monkeypatch.setattr(pricing, "price", price)
    scenario = load_scenario(str(FIXTURES / "jkk-relief-2025.yaml"))
    day = NightShift(**{item.name: getattr(scenario.cohorts[0], item.name) for item in dataclasses.fields(Cohort)})
    night = dataclasses.replace(day, name="Night", night_shift=True)
    result = pricing.simulate(dataclasses.replace(scenario, cohorts=(day, night)), rulebook_for(scenario))
    day_amount, night_amount = (item.amount for item in result.cohorts)
    if prices:
        assert night_amount == 2 * day_amount  # priced on its own terms
    else:
        assert night_amount == day_amount  # what an unmarked term gets: priced like the other cohort
