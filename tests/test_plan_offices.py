"""Issue 19, plan: offices held at their count, growth without max_workers warned about, --priority
scoped to the schemes it names (and allowed with a target), a cohort cut below its scenario count
always said, one shortfall figure with the limits that bind, totals, and a target written with %."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from conftest import FIXTURES, invoke_ucj
from ucj_cli import load_rulebook, load_scenario, parse_scenario, plan

BPD = FIXTURES / "plan-bpd-minimal.yaml"


@pytest.fixture(autouse=True)
def _english():
    from ucj_cli.i18n import set_language

    set_language("en")
    yield


def test_the_fixed_offices_are_rule_data_with_their_regulation():
    rule = load_rulebook().get("eligibility.fixed_offices.roles", 2027 * 12)
    assert set(rule.value) == {"kepala_desa", "perangkat_desa", "bpd"}
    assert "UU 6/2014" in rule.reference and "UU 3/2024" in rule.reference and "PP 16/2026" in rule.reference


def test_the_bpd_is_never_grown_by_a_target_and_the_output_says_so():
    result = plan(load_scenario(str(BPD)), target_coverage=Fraction(30, 100))
    bpd, farmers = result.cohorts
    assert (bpd.status, bpd.before, bpd.workers) == ("held", 90, 90)
    # 3,000 employed x 30% = 900 in December: 90 BPD + 810 farmers
    assert (farmers.status, farmers.before, farmers.workers) == ("added", 500, 810)
    assert result.target.reached and result.target.december_after == 900
    codes = [d.code for d in result.notes]
    assert codes == ["N-plan-held-office", "W-plan-grown-unbounded"]
    held, grown = result.notes
    assert dict(held.args)["workers"] == 90
    assert (dict(grown.args)["before"], dict(grown.args)["after"]) == (500, 810)
    run = invoke_ucj("plan", str(BPD), "--target-coverage", "30%", env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert run.returncode == 0, run.output
    assert "held at its 90 workers" in run.stdout and "grows from 500 to 810 workers" in run.stdout
    assert "max_workers:" in run.stdout


def test_the_bpd_is_held_in_budget_mode_and_paid_first():
    # add: budget 10,000,000; the BPD's 90 x 97,200 = 8,748,000 are paid first and never cut or grown.
    result = plan(load_scenario(str(BPD)), budgets={"add": 10_000_000, "dbhcht": 201_600 * 600})
    bpd, farmers = result.cohorts
    assert (bpd.status, bpd.workers) == ("held", 90)
    assert farmers.workers == 600
    run = invoke_ucj("plan", str(BPD), "--budget", "add=1", "--lang", "id", env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert run.returncode == 0 and "tetap 90 pekerja" in run.stdout and "[N-plan-held-office]" in run.stdout


PRIORITY = """\
name: Priority test
year: 2025
workforce: {employed: 100000, covered: 0}
funding:
  dbhcht: {kind: dbhcht, ceiling: 100_800_000}
  dinsos: {kind: apbd, ceiling: 201_600_000}
cohorts:
  - {name: Petani tembakau, role: petani_tembakau, workers: 500, category: bpu, income: 1_000_000, funding: dbhcht}
  - {name: Buruh pabrik, role: buruh_pabrik_rokok, workers: 500, category: bpu, income: 1_000_000, funding: dbhcht}
  - {name: Pekerja rentan, workers: 200, category: bpu, income: 1_000_000, funding: dinsos}
  - {name: Buruh tani (non-tembakau), workers: 1000, category: bpu, income: 1_000_000, funding: dinsos}
"""


def test_priority_orders_only_the_schemes_it_names_and_a_cut_is_always_said():
    # dbhcht pays 500 workers at 201,600: all to Petani tembakau, Buruh pabrik 500 -> 0 (said).
    # dinsos (not named) still shares in proportion: 1,000 workers in 200:1000 -> 166 and 834 (the leftover one to the cohort furthest below its share).
    result = plan(parse_scenario(PRIORITY, "p.yaml"), priority=["Petani tembakau"])
    assert [c.workers for c in result.cohorts] == [500, 0, 166, 834]
    below = {dict(d.args)["cohort"]: (dict(d.args)["before"], dict(d.args)["after"]) for d in result.notes if d.code == "W-plan-below-scenario"}
    assert below == {"Buruh pabrik": (500, 0), "Pekerja rentan": (200, 166), "Buruh tani (non-tembakau)": (1000, 834)}
    assert sum(c.workers for c in result.cohorts) == result.totals.workers == 1500


def test_priority_with_a_target_is_the_order_in_which_cohorts_grow():
    # Without priority the cheapest grows first (all cost the same: file order); with it, the named first.
    text = PRIORITY.replace("ceiling: 100_800_000", "ceiling: 1_000_000_000").replace("ceiling: 201_600_000", "ceiling: 1_000_000_000")
    result = plan(parse_scenario(text, "p.yaml"), target_participants=2300, priority=["Buruh tani (non-tembakau)"])
    assert [c.workers for c in result.cohorts] == [500, 500, 200, 1100]
    run = invoke_ucj("plan", "-", "--target-participants", "2300", "--priority", "Buruh tani (non-tembakau)", input=text)
    assert run.returncode == 0, run.output


def test_one_shortfall_figure_and_the_limits_that_bind():
    text = PRIORITY.replace("workers: 500, category: bpu, income: 1_000_000, funding: dbhcht}",
                            "workers: 500, category: bpu, income: 1_000_000, funding: dbhcht, max_workers: 700}")
    result = plan(parse_scenario(text, "p.yaml"), target_participants=5000)
    target = result.target
    assert not target.reached
    # dbhcht's 100.8 million pays its 1,000 already there: no room; dinsos 201.6 million pays its 1,200 too.
    assert target.short == 5000 - target.december_after
    assert target.limits[0] == ("budget", "dbhcht", 100_800_000) and ("budget", "dinsos", 201_600_000) in target.limits
    (short,) = [d for d in result.notes if d.code == "W-plan-target-short"]
    assert dict(short.args)["short"] == target.short
    run = invoke_ucj("plan", "-", "--target-participants", "5000", "-f", "json", input=text)
    data = json.loads(run.stdout)
    assert data["target"]["short"] == target.short
    assert [item["name"] for item in data["target"]["limits"]][:2] == ["dbhcht", "dinsos"]
    table = invoke_ucj("plan", "-", "--target-participants", "5000", input=text, env={"COLUMNS": "300", "NO_COLOR": "1"})
    shorts = [word for word in table.stdout.replace(",", "").split() if word.isdigit() and int(word) == target.short]
    assert len(shorts) >= 2  # the headline and the warning say the same figure
    assert f"{target.short:,} short (bound by the budget of 'dbhcht'" in table.stdout


def test_totals_in_the_table_and_the_json():
    run = invoke_ucj("plan", str(BPD), "--target-coverage", "30%", "-f", "json")
    data = json.loads(run.stdout)
    totals = data["totals"]
    assert totals["workers_before"] == sum(c["workers_before"] for c in data["cohorts"]) == 590
    assert totals["workers"] == sum(c["workers"] for c in data["cohorts"]) == 900
    assert totals["amount"] == sum(c["amount"] for c in data["cohorts"]) == data["total"]
    assert totals["needed"] == sum(f["needed"] for f in data["funding"].values())
    table = invoke_ucj("plan", str(BPD), "--target-coverage", "30%", env={"COLUMNS": "200", "NO_COLOR": "1"})
    (row,) = [line for line in table.stdout.splitlines() if line.split()[:1] == ["Total"] and "590" in line]
    assert row.split()[1:4] == ["590", "900", f"{data['total']:,}"]


@pytest.mark.parametrize("written", ["35,5%", "35.5%", "35,5 %"])
def test_a_target_is_written_with_percent_either_decimal_mark(written):
    run = invoke_ucj("plan", str(BPD), "--target-coverage", written, "-f", "json")
    assert run.returncode == 0, run.output
    assert json.loads(run.stdout)["target"]["participants"] == 1065  # 3,000 x 35.5% = 1,065


@pytest.mark.parametrize(("written", "meant"), [("0,355", "35,5%"), ("0.355", "35.5%"), ("35", "35%")])
def test_a_bare_number_is_refused_with_what_was_meant(written, meant):
    run = invoke_ucj("plan", str(BPD), "--target-coverage", written)
    assert run.returncode == 2
    assert f"did you mean {meant}?" in run.output and "[E-plan-target-percent]" in run.output


def test_a_target_never_grows_a_cohort_past_the_employed_less_those_covered():
    # 3,000 employed, 0 covered outside; the BPD's 90 are held: at 100% the farmers grow to 2,910, no further.
    result = plan(load_scenario(str(BPD)), target_coverage=Fraction(1))
    bpd, farmers = result.cohorts
    assert farmers.workers == 3_000 - 0 - bpd.workers == 2_910
    assert result.target.reached and result.target.december_after == 3_000
