"""The model's frozen objects check their own invariants, and what a run holds cannot be changed."""

from __future__ import annotations

import pytest

from conftest import scenario_of
from ucj_cli.api import simulate
from ucj_cli.model import Cohort, FundingScheme, Workforce


# Model objects check their own invariants
@pytest.mark.parametrize("build", [
    lambda: Cohort("c", -1, "pu", 1, "f"),
    lambda: Cohort("c", 1, "pu", 1, "f", start=0),
    lambda: Cohort("c", 1, "pu", 1, "f", start=4, months=10),
    lambda: Cohort("c", 1, "pu", 1, "f", months=0),
    lambda: Cohort("c", 1, "other", 1, "f"),
    lambda: Cohort("c", 1, "pu", 1, "f", programs=("jkk", "xx")),
    lambda: Cohort("c", 1, "pu", 1, "f", programs=()),
    lambda: Workforce(0, 0),
    lambda: Workforce(10, 11),
    lambda: Workforce(10, -1),
    lambda: FundingScheme("f", "F", ceiling=-1),
])
def test_invalid_model_objects_are_refused(build):
    with pytest.raises(ValueError):
        build()


def test_valid_model_objects_are_built():
    assert Cohort("c", 0, "bpu", 1, "f", start=4, months=9).end == 12
    assert Workforce(1, 1).covered == 1
    assert FundingScheme("f", "F", ceiling=0).ceiling == 0


def test_scenario_funding_and_result_breakdowns_are_read_only():
    scenario = scenario_of("  - {name: A, workers: 2, category: bpu, income: 1_000_000, funding: desa}\n")
    result = simulate(scenario)
    for mapping in (scenario.funding, result.by_program, result.by_payer, result.by_funding):
        with pytest.raises(TypeError):
            mapping["x"] = 1  # type: ignore[index]
