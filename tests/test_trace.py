"""A part's trace is the only account of how its amount was made: every view of a part (base,
rate in force, amount before a relief, the rules behind it) is read from the trace by role."""

from __future__ import annotations

import csv
import dataclasses
import io
from fractions import Fraction

from conftest import FIXTURES, SCENARIOS
from ucj_cli import load_scenario, simulate
from ucj_cli.engine.pricing import Part


def _parts(result):
    return [part for item in result.cohorts for parts in item.parts for part in parts]


def test_a_part_holds_its_trace_and_no_positional_account_beside_it():
    assert [field.name for field in dataclasses.fields(Part)] == ["program", "payer", "per_person", "funded", "trace"]


def test_every_view_of_a_part_is_its_trace_read_by_role():
    for name in ("jkk-relief-2025.yaml", "bpu-relief-2026.yaml"):
        for part in _parts(simulate(load_scenario(str(FIXTURES / name)))):
            roles = [step.role for step in part.trace]
            amounts = [step.value for step in part.trace if step.role in ("flat", "rounding")]
            assert part.per_person == amounts[-1] and part.full == amounts[0]
            assert part.base == (part.trace[0].value if roles[0] == "base" else None)
            assert (part.rate is None) == (part.flat is not None)
            if "relief_rate" in roles:  # PP 7/2025: a reduced rate in force, the normal rate beside it
                assert part.rate.role == "relief_rate" and part.normal_rate.role == "rate" and part.relief > 0
            used = {rule for step in part.trace for rule in step.rules}
            assert set(part.rules) == used and len(part.rules) == len(used)


def test_the_rules_of_a_relieved_bpu_part_name_the_relief_the_payer_list_and_the_rate_in_that_order():
    result = simulate(load_scenario(str(FIXTURES / "bpu-relief-2026.yaml")))
    self_paid = result.cohorts[3]
    jkk = next(part for part in self_paid.parts[5] if part.program == "jkk")
    assert jkk.share == Fraction(1, 2)
    assert [rule.name for rule in jkk.rules] == ["bpu.relief.other", "bpu.relief.full_rate_payers", "bpu.jkk"]
    apbd_jkk = next(part for part in result.cohorts[0].parts[5] if part.program == "jkk")  # excluded: pays the full amount
    assert apbd_jkk.share is None and apbd_jkk.relief == 0
    assert [rule.name for rule in apbd_jkk.rules] == ["bpu.relief.other", "bpu.relief.full_rate_payers", "bpu.jkk"]


def test_csv_columns_come_from_the_trace():
    from ucj_cli.render.simulation import to_csv

    result = simulate(load_scenario(str(FIXTURES / "jkk-relief-2025.yaml")))
    rows = list(csv.DictReader(io.StringIO(to_csv(result))))
    cell = next(row for row in rows if row["month"] == "2025-02" and row["program"] == "jkk")
    part = next(part for part in result.cohorts[0].parts[1] if part.program == "jkk")
    assert cell["full_rate_percent"] != cell["rate_percent"]  # the normal rate, then the reduced one in force
    assert int(cell["full_per_person"]) == part.full and int(cell["per_person"]) == part.per_person
    assert cell["rules"].split("; ") == [rule.name for rule in part.rules]


def test_no_module_reads_the_last_rule_as_the_rate():
    import pathlib

    import ucj_cli

    root = pathlib.Path(ucj_cli.__file__).parent
    readme = (root.parent / "README.md").read_text(encoding="utf-8")
    for path in [*root.rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "rules[-1]" not in text, path
    assert "rules[-1]" not in readme


def test_every_example_keeps_its_figures_when_read_through_the_trace():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        result = simulate(load_scenario(str(path)))
        assert result.total == sum(line.amount for line in result.lines())
