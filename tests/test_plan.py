"""`ucj plan`: budget answers that are exact and maximal, targets reached exactly or refused with the
reason, a written scenario that reproduces the plan, and `--write` that never loses a file. The published
Lombok Timur figure and the Blitar coverage target are golden cases (tests/golden/plan-*.yaml).

Unit costs used below, worked by hand (BPU, no relief before 2026, APBD pays the full rate):
income Rp 1,000,000 -> JKK 1% = 10,000 + JKM 6,800 = Rp 16,800 a month;
income Rp 2,000,000 -> JKK 20,000 + JKM 6,800 = Rp 26,800 a month.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CSV_AND_YAML, CSV_AND_YAML_ROWS, FIXTURES, SCENARIOS, csv_scenario, invoke_ucj
from ucj_cli import load_rulebook, load_scenario, parse_scenario, plan, simulate
from ucj_cli.errors import ScenarioError
from ucj_cli.model import Cohort, FundingScheme, Scenario, Workforce
from ucj_cli.load.writer import round_trips, scenario_yaml

LOMBOK = FIXTURES / "plan-lombok-timur-2024.yaml"


def _scenario(cohorts: list[Cohort], funding: dict[str, FundingScheme], covered: int = 1_000) -> Scenario:
    return Scenario("Test", 2025, Workforce(100_000, covered), funding, tuple(cohorts))


def _bpu(name: str, workers: int, funding: str = "a", income: int = 1_000_000, start: int = 1, months: int | None = None,
         max_workers: int | None = None) -> Cohort:
    return Cohort(name, workers, "bpu", income, funding, start=start, months=months or 13 - start, max_workers=max_workers)


def test_a_cohort_ending_before_the_start_is_left_out():
    scenario = _scenario([_bpu("Early", 50, start=1, months=3), _bpu("Late", 50)], {"a": FundingScheme("a", "A", ceiling=16_800 * 6 * 10)})
    result = plan(scenario, start=7)
    early, late = result.cohorts
    assert (early.status, early.workers, early.cohort.months) == ("dropped", 0, 3)
    assert (late.cohort.start, late.workers) == (7, 10)  # 16,800 x 6 months a worker
    assert [d.code for d in result.notes] == ["N-plan-dropped", "W-plan-below-scenario"]  # Late: 50 -> 10, said


def test_a_budget_that_cannot_pay_one_worker_says_so():
    result = plan(load_scenario(str(LOMBOK)), budgets={"dbhcht": 151_199})
    assert result.cohorts[0].workers == 0 and result.schemes["dbhcht"].left == 151_199
    (warning,) = [d for d in result.notes if d.code == "W-plan-budget-too-small"]
    assert dict(warning.args)["cheapest"] == 151_200
    assert "cannot pay one worker" in warning.text


def test_options_that_do_not_fit_the_scenario_are_refused_with_codes():
    scenario = load_scenario(str(LOMBOK))
    with pytest.raises(ScenarioError) as caught:
        plan(scenario, budgets={"dbhcth": 1}, priority=["Nobody"])
    assert [d.code for d in caught.value.diagnostics] == ["E-plan-budget-scheme", "E-plan-priority-cohort"]
    with pytest.raises(ScenarioError) as caught:
        plan(scenario, target_participants=650_001)
    assert caught.value.diagnostics[0].code == "E-plan-target-over-employed"


def test_workers_above_max_workers_is_an_error_at_the_line():
    text = LOMBOK.read_text().replace("    workers: 16_000\n", "    workers: 16_000\n    max_workers: 15_000\n")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "x.yaml")
    (problem,) = caught.value.diagnostics
    assert (problem.code, problem.mark.line) == ("E-workers-over-max", 21)


# --- maximal and exact, for any scenario -------------------------------------------------------

_cohort = st.builds(
    lambda workers, income, start, months, cap, scheme: (workers, income, start, months, cap, scheme),
    st.integers(0, 40), st.sampled_from([1_000_000, 1_234_567, 2_000_000, 5_000_000]), st.integers(1, 12), st.integers(1, 12),
    st.one_of(st.none(), st.integers(0, 60)), st.sampled_from(["a", "a", "b"]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_cohort, min_size=1, max_size=5), st.integers(0, 12_000_000), st.one_of(st.none(), st.integers(0, 4_000_000)),
       st.booleans(), st.one_of(st.none(), st.integers(1, 12)))
def test_budget_answers_fit_and_one_more_worker_anywhere_would_not(specs, budget_a, budget_b, by_priority, start):
    cohorts = []
    for number, (workers, income, first, months, cap, scheme) in enumerate(specs):
        months = min(months, 13 - first)
        cap = None if cap is None else max(cap, workers)
        cohorts.append(Cohort(f"C{number}", workers, "bpu", income, scheme, start=first, months=months, max_workers=cap))
    funding = {"a": FundingScheme("a", "A", ceiling=budget_a), "b": FundingScheme("b", "B", ceiling=budget_b)}
    scenario = _scenario(cohorts, funding)
    priority = [c.name for c in reversed(cohorts)] if by_priority else []
    result = plan(scenario, priority=priority, start=start)
    priced = simulate(result.scenario)
    for key, scheme in funding.items():
        used = priced.by_funding[key].amount
        if scheme.ceiling is None:
            continue
        assert used == result.schemes[key].used <= scheme.ceiling  # it fits
        for number, item in enumerate(result.cohorts):
            if item.cohort.funding != key or not item.growable:
                continue
            grown = list(result.scenario.cohorts)
            grown[number] = replace(grown[number], workers=grown[number].workers + 1)
            assert simulate(replace(result.scenario, cohorts=tuple(grown))).by_funding[key].amount > scheme.ceiling  # and is maximal
    for item in result.cohorts:
        assert item.cohort.max_workers is None or item.workers <= item.cohort.max_workers
    assert round_trips(result.scenario, scenario_yaml(result.scenario), load_rulebook())


# --- targets -----------------------------------------------------------------------------------

TARGET = """\
name: Target test
year: 2025
workforce: {employed: 1000, covered: 100}
funding:
  a: {kind: apbd, ceiling: 2_016_000}     # 10 workers at 16,800 x 12 = 201,600
  b: {kind: apbd}
cohorts:
  - {name: Cheap, workers: 0, category: bpu, income: 1_000_000, funding: a, max_workers: 30}
  - {name: Dear, workers: 0, category: bpu, income: 2_000_000, funding: b, max_workers: 5}    # 26,800 x 12 = 321,600
  - {name: Spring, workers: 7, category: bpu, income: 1_000_000, funding: b, start: 2025-01, months: 3}
"""


def test_a_target_the_budgets_cannot_pay_is_reported_with_what_it_needs():
    # 120 participants in December: 20 to add. Cheapest first: Cheap (Rp 201,600) up to a's ceiling
    # (10 workers), Dear (Rp 321,600) up to its maximum (5): 15, short 5. Without the ceiling, Cheap
    # would take all 20: a needs 20 x 201,600 = 4,032,000 against 2,016,000.
    result = plan(parse_scenario(TARGET, "t.yaml"), target_participants=120)
    assert [c.workers for c in result.cohorts] == [10, 5, 7]
    target = result.target
    assert (target.december_before, target.december_after, target.short, target.reason) == (100, 115, 5, "budgets")
    assert result.schemes["a"].needed == 4_032_000 and result.schemes["a"].used == 2_016_000
    (warning,) = [d for d in result.notes if d.code == "W-plan-target-budget"]
    assert dict(warning.args)["over"] == 2_016_000
    (short,) = [d for d in result.notes if d.code == "W-plan-target-short"]
    assert dict(short.args)["short"] == target.short == 5  # one shortfall figure, the headline's
    assert target.limits == (("budget", "a", 2_016_000), ("max_workers", "Dear", 5))


def test_a_target_beyond_every_cohorts_maximum_says_so():
    # With --budget a=10,000,000 the budget no longer binds: Cheap 30 + Dear 5 = 35 of the 50 asked.
    result = plan(parse_scenario(TARGET, "t.yaml"), budgets={"a": 10_000_000}, target_participants=150)
    assert [c.workers for c in result.cohorts] == [30, 5, 7]
    assert (result.target.short, result.target.reason) == (15, "cohorts")
    assert [d.code for d in result.notes] == ["W-plan-target-short"]
    assert dict(result.notes[0].args)["short"] == 15
    assert result.target.limits == (("max_workers", "Cheap", 30), ("max_workers", "Dear", 5))
    assert result.scenario.funding["a"].ceiling == 10_000_000  # the budget planned with is the written ceiling


def test_a_target_already_met_adds_nobody():
    result = plan(parse_scenario(TARGET, "t.yaml"), target_coverage=Fraction(1, 10))
    assert result.target.reached and [c.workers for c in result.cohorts] == [0, 0, 7]
    assert [d.code for d in result.notes] == ["N-plan-target-met"]


# --- the command ---------------------------------------------------------------------------------

def test_the_written_scenario_reproduces_the_plan_to_the_rupiah(tmp_path):
    written = tmp_path / "planned.yaml"
    blitar = str(SCENARIOS / "blitar-2025.yaml")
    run = invoke_ucj("plan", blitar, "--budget", "dbhcht=2_000_000_000", "--start", "2025-05", "-f", "json", "--write", str(written))
    assert run.returncode == 0, run.output
    planned = json.loads(run.stdout)
    again = invoke_ucj("simulate", str(written), "-f", "json")
    simulated = json.loads(again.stdout)
    assert simulated["total"] == planned["total"]
    assert {k: v["amount"] for k, v in simulated["by_funding"].items()} == {k: v["used"] for k, v in planned["funding"].items()}
    assert [(c["name"], c["workers"], c["amount"]) for c in simulated["cohorts"]] == [(c["name"], c["workers"], c["amount"]) for c in planned["cohorts"]]
    assert simulated["coverage"] == planned["coverage"]
    assert simulated["by_funding"]["dbhcht"]["ceiling"] == 2_000_000_000
    library = plan(load_scenario(blitar), budgets={"dbhcht": 2_000_000_000}, start=5)
    assert replace(load_scenario(str(written)), file=library.scenario.file) == library.scenario
    first = written.read_bytes()
    assert invoke_ucj("plan", blitar, "--budget", "dbhcht=2_000_000_000", "--start", "2025-05", "--write", str(written)).returncode == 0
    assert written.read_bytes() == first  # its own file may be rewritten, byte for byte the same


def test_write_never_overwrites_a_file_ucj_did_not_write(tmp_path):
    mine = tmp_path / "notes.yaml"
    mine.write_text("my notes\n")
    run = invoke_ucj("plan", str(LOMBOK), "--write", str(mine))
    assert run.returncode == 2 and "[E-write-not-ours]" in run.output and mine.read_text() == "my notes\n"
    planned = tmp_path / "planned.yaml"
    assert invoke_ucj("plan", str(LOMBOK), "--write", str(planned)).returncode == 0
    before = planned.read_text()
    run = invoke_ucj("plan", str(planned), "--budget", "dbhcht=1_000_000", "--write", str(planned))
    assert run.returncode == 2 and "[E-write-is-input]" in run.output and planned.read_text() == before


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["Plan: the most workers each budget pays", "17,195", "116,000", "in proportion to the scenario's workers"]),
    ("id", ["Rencana: pekerja terbanyak yang dapat dibiayai tiap anggaran", "17.195", "116.000", "Sisa (Rp)", "direncanakan"]),
])
def test_the_plan_table_speaks_both_languages(lang, expected):
    run = invoke_ucj("plan", str(LOMBOK), "--lang", lang, columns=120)
    assert run.returncode == 0, run.output
    for text in expected:
        assert text in run.stdout


@pytest.mark.parametrize(("args", "code"), [
    (["--budget", "dbhcht"], "E-plan-budget-value"),
    (["--budget", "nope=1"], "E-plan-budget-scheme"),
    (["--start", "2025-04"], "E-plan-start"),
    (["--target-coverage", "abc"], "E-plan-target-value"),
    (["--target-coverage", "150%"], "E-plan-target-coverage"),
    (["--target-coverage", "35%", "--target-participants", "5"], "E-plan-targets"),
    (["--target-coverage", "0,355"], "E-plan-target-percent"),
    (["--target-coverage", "35"], "E-plan-target-percent"),
])
def test_bad_plan_options_exit_2_with_a_code(args, code):
    run = invoke_ucj("plan", str(LOMBOK), *args)
    assert run.returncode == 2 and f"[{code}]" in run.output


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(1, 40), st.one_of(st.none(), st.integers(0, 12))), min_size=1, max_size=5),
       st.integers(0, 600))
def test_the_proportional_fast_path_equals_handing_out_workers_one_at_a_time(specs, budget):
    """The documented rule, done the slow way: from zero, one worker at a time to the cohort with the
    smallest (planned + 1) / workers (file order on a tie; 0-worker cohorts last) that fits."""
    from ucj_cli.engine.plan import _fill_in_proportion

    members = list(range(len(specs)))
    weights = [w for w, _, _ in specs] if any(w for w, _, _ in specs) else [1] * len(specs)
    units = [u for _, u, _ in specs]
    caps = {i: cap for i, (_, _, cap) in enumerate(specs)}
    chosen, left = [0] * len(specs), budget
    while True:
        fits = [i for i in members if units[i] <= left and (caps[i] is None or chosen[i] < caps[i])]
        if not fits:
            break
        best = min(fits, key=lambda i: (weights[i] == 0, Fraction(chosen[i] + 1, weights[i] or 1), i))
        chosen[best] += 1
        left -= units[best]
    assert _fill_in_proportion(members, [w for w, _, _ in specs], units, caps, budget, budget) == dict(enumerate(chosen))  # room: no cap


def test_the_plan_shows_its_own_notes_in_full_and_folds_the_simulations():
    blitar = str(SCENARIOS / "blitar-2025.yaml")
    shown = invoke_ucj("plan", blitar).stdout
    assert shown.count("[N-plan-no-budget]") == 3  # apbdes, pemberi_kerja, mandiri have no ceiling
    assert "unverified rules behind these figures" in shown
    quiet = invoke_ucj("plan", blitar, "--quiet").stdout
    assert quiet.count("[N-plan-no-budget]") == 3 and "unverified rules" not in quiet


def test_a_what_if_scenario_is_planned_and_written_with_its_overrides(tmp_path):
    # The 2027 what-if (JP 8%, projected JP cap) plus a --set: the written file keeps them as
    # `overrides:`/`assumptions:`, so simulating it gives the plan's figures to the rupiah.
    written = tmp_path / "what-if.yaml"
    what_if = str(SCENARIOS / "blitar-2027-what-if.yaml")
    run = invoke_ucj("plan", what_if, "--set", "bpu.jkm@2027-06=7000", "-f", "json", "--write", str(written))
    assert run.returncode == 0, run.output
    planned = json.loads(run.stdout)
    simulated = json.loads(invoke_ucj("simulate", str(written), "-f", "json").stdout)
    assert simulated["total"] == planned["total"]
    assert [c["amount"] for c in simulated["cohorts"]] == [c["amount"] for c in planned["cohorts"]]
    text = written.read_text()
    assert "overrides:\n" in text and "  bpu.jkm: {2027-06: 7000}\n" in text and "assumptions:\n" in text


def test_a_what_if_plan_says_so_first():
    what_if = str(SCENARIOS / "blitar-2027-what-if.yaml")
    table = invoke_ucj("plan", what_if).stdout
    assert table.splitlines()[1].startswith("WHAT-IF BUDGET")
    data = json.loads(invoke_ucj("plan", what_if, "-f", "json").stdout)
    assert [o["name"] for o in data["what_if"]["overrides"]] == ["pu.jp.employer", "pu.jp.worker"]
    assert json.loads(invoke_ucj("plan", str(LOMBOK), "-f", "json").stdout)["what_if"] is None


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")) + sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_scenario_the_checker_accepts_is_written_back_exactly(path):
    try:
        scenario = load_scenario(str(path))
    except ScenarioError:
        pytest.skip("not a valid scenario (a fixture for errors)")
    text = scenario_yaml(scenario, "header\nsecond line", {scenario.cohorts[0].name: "a note"})
    assert round_trips(scenario, text, load_rulebook())
    assert scenario_yaml(scenario) == scenario_yaml(scenario)  # deterministic
    assert not round_trips(scenario, text.replace(f"workers: {scenario.cohorts[0].workers:_}", "workers: 1_234_567", 1), load_rulebook())


def test_write_to_a_fifo_streams_the_yaml_and_never_reads_it(tmp_path):
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    # Were the FIFO opened for reading (the old first-line check), both ends would wait forever:
    # after 20 s a writer unblocks them, so a regression fails instead of hanging.
    rescue = threading.Timer(20, lambda: os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)))
    rescue.start()
    try:
        ran = invoke_ucj("plan", str(LOMBOK), "-f", "json", "--write", str(fifo))
    finally:
        rescue.cancel()
    reader.join(20)
    assert ran.returncode == 0, ran.output
    assert got and got[0].startswith(b"# ucj plan")


def test_write_and_output_naming_the_same_file_is_refused(tmp_path):
    target = tmp_path / "x.txt"
    ran = invoke_ucj("plan", str(LOMBOK), "-o", str(target), "--write", str(target))
    assert ran.returncode == 2 and "ucj: " in ran.stderr and "[E-write-same-output]" in ran.stderr
    assert not target.exists()


def test_write_dash_is_standard_output_and_needs_the_plan_elsewhere(tmp_path):
    refused = invoke_ucj("plan", str(LOMBOK), "--write", "-", cwd=tmp_path)
    assert refused.returncode == 2 and "[E-write-stdout-taken]" in refused.stderr
    also = invoke_ucj("plan", str(LOMBOK), "-o", "-", "--write", "-", cwd=tmp_path)
    assert also.returncode == 2 and "[E-write-stdout-taken]" in also.stderr
    ran = invoke_ucj("plan", str(LOMBOK), "-o", str(tmp_path / "p.json"), "--write", "-", cwd=tmp_path)
    assert ran.returncode == 0 and ran.stdout.startswith("# ucj plan")
    assert not (tmp_path / "-").exists() and json.loads((tmp_path / "p.json").read_text())["mode"] == "budget"


def test_write_over_the_scenario_is_refused_as_an_input_naming_write(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_bytes(LOMBOK.read_bytes())
    ran = invoke_ucj("plan", str(scenario), "--write", str(scenario))
    assert ran.returncode == 2 and "[E-write-is-input]" in ran.stderr and "--write" in ran.stderr
    assert "--output" not in ran.stderr and scenario.read_bytes() == LOMBOK.read_bytes()


def test_a_huge_budget_plans_no_more_than_the_employed_and_writes(tmp_path):
    written = tmp_path / "big.yaml"
    ran = invoke_ucj("plan", str(LOMBOK), "--budget", "dbhcht=999_000_000_000_000", "-f", "json", "--write", str(written))
    assert ran.returncode == 0, ran.output
    assert "[N-plan-capped-employed]" in ran.stderr and "E-write-unfaithful" not in ran.stderr
    data = json.loads(ran.stdout)
    from ucj_cli import load_scenario

    scenario = load_scenario(str(LOMBOK))
    planned = sum(item["workers"] for item in data["cohorts"])
    assert planned == scenario.workforce.employed - scenario.workforce.covered
    assert written.read_text().startswith("# ucj plan")


@pytest.mark.parametrize("args, code", [
    (("--budget", "dbhcht=-5"), "E-plan-budget-negative"),
    (("--budget", "nope=5"), "E-plan-budget-scheme"),
    (("--priority", "Nobody"), "E-plan-priority-cohort"),
    (("--target-coverage", "101%"), "E-plan-target-coverage"),
])
def test_plan_option_mistakes_are_usage_errors(args, code):
    ran = invoke_ucj("plan", str(LOMBOK), *args)
    assert ran.returncode == 2
    assert ran.stderr.startswith("ucj: ") and ran.stderr.rstrip().endswith(f"[{code}]") and str(LOMBOK) not in ran.stderr


def test_a_zero_target_coverage_is_accepted_like_zero_participants():
    for option, value in (("--target-coverage", "0%"), ("--target-participants", "0")):
        ran = invoke_ucj("plan", str(LOMBOK), option, value, "-f", "json")
        assert ran.returncode == 0 and "[N-plan-target-met]" in ran.stderr, ran.output


def test_priority_accepts_a_csv_cohort_by_its_scenario_name(tmp_path):
    # K #1: Rp 16,800 x 12 = 201,600 a worker; K #2: x 9 = 151,200; L: 201,600. Rp 1,000,000 to K first:
    # K #1 takes 4 (806,400), K #2 then 1 (151,200), 42,400 left: L gets none.
    path = csv_scenario(tmp_path, CSV_AND_YAML_ROWS, CSV_AND_YAML, "data/k.csv")
    ran = invoke_ucj("plan", str(path), "--priority", "K", "-f", "json")
    assert ran.returncode == 0, ran.output
    assert [(c["name"], c["workers"]) for c in json.loads(ran.stdout)["cohorts"]] == [("K #1", 4), ("K #2", 1), ("L", 0)]
    refused = invoke_ucj("plan", str(path), "--priority", "Z")
    assert refused.returncode == 2 and refused.stderr.rstrip().endswith("expected one of: K #1, K #2, L, K [E-plan-priority-cohort]")
