"""Golden figures worked by hand from the regulations, and the published cases reproduced."""

from __future__ import annotations

from fractions import Fraction

import pytest

from conftest import FIXTURES, SCENARIOS, scenario_of
from ucj_cli import ScenarioError, load_scenario, parse_scenario, simulate
from ucj_cli.i18n.messages import Month, Phrase, Rupiah, rule_amount
from ucj_cli.period import month_index
from ucj_cli.rules.book import load_rulebook


def run(name: str):
    return simulate(load_scenario(str(FIXTURES / name)))


def test_jp_cap_change_in_march_with_worker_share_paid():
    # Wage 12,000,000, very low risk: JKK 0.24% = 28,800; JKM 0.30% = 36,000;
    # JHT 3.7% = 444,000 + 2% = 240,000; JP on the cap: Jan-Feb 10,042,300 (2% = 200,846, 1% = 100,423),
    # Mar-Dec 10,547,400 (2% = 210,948, 1% = 105,474).
    result = run("jp-cap-2025.yaml")
    jan = 28_800 + 36_000 + 444_000 + 240_000 + 200_846 + 100_423
    mar = 28_800 + 36_000 + 444_000 + 240_000 + 210_948 + 105_474
    assert (jan, mar) == (1_050_069, 1_065_222)
    assert result.by_month == (jan * 10,) * 2 + (mar * 10,) * 10
    assert result.total == 127_523_580
    assert result.by_program == {"jkk": 3_456_000, "jkm": 4_320_000, "jht": 82_080_000, "jp": 37_667_580}
    assert result.by_payer == {"employer": 86_167_720, "worker": 41_355_860, "participant": 0}
    assert result.worker_paid == 0


def test_worker_share_is_outside_the_budget_unless_the_budget_pays_it():
    result = run("jp-cap-2025-employer.yaml")
    # Worker share a person: JHT 240,000 x 12 + JP 100,423 x 2 + 105,474 x 10 = 4,135,586.
    assert result.worker_paid == 41_355_860
    assert result.total == 127_523_580 - 41_355_860
    assert result.by_payer["worker"] == 0


def test_rounding_is_half_up_per_participant_then_times_workers():
    result = run("rounding.yaml")
    parts = result.cohorts[0].parts[0]
    assert [(p.program, p.per_person) for p in parts] == [("jkk", 2_963), ("jkm", 3_703)]
    # 3 x 2,963 = 8,889, not round(3 x 2,962.5) = 8,888: the rounding happens per participant.
    assert result.by_month[0] == 3 * (2_963 + 3_703)
    assert result.total == 3 * 6_666 * 12 == 239_976


def test_part_year_cohorts_cost_only_their_months_and_count_in_december_coverage():
    result = run("part-year.yaml")
    tobacco, seasonal = result.cohorts
    assert tobacco.amount == 100 * 16_800 * 9 == 15_120_000
    assert tobacco.by_month[:3] == (0, 0, 0) and tobacco.by_month[3] == 1_680_000
    assert seasonal.amount == 50 * 16_800 * 3 and seasonal.by_month[1:4] == (840_000,) * 3 and seasonal.by_month[4] == 0
    assert result.coverage.active_by_month[0] == 100
    assert result.coverage.active_by_month[1] == 150
    assert result.coverage.active_by_month[3] == 250
    assert result.coverage.covered_after == 200  # the seasonal cohort ended in April
    assert not result.overruns


def test_pp_7_2025_jkk_relief_runs_february_2025_through_january_2026():
    scenario = load_scenario(str(FIXTURES / "jkk-relief-2025.yaml"))
    by_year = {year: tuple(m - 6_000 for m in simulate(scenario.in_year(year)).by_month) for year in (2024, 2025, 2026)}
    assert by_year[2024] == (10_800,) * 12  # 0.54% of 2,000,000: the flag changes nothing before Feb 2025
    assert by_year[2025] == (10_800,) + (5_400,) * 11  # 0.27% from February
    assert by_year[2026] == (5_400,) + (10_800,) * 11  # extended through January 2026 (PP 36/2025 art. 10A)


def test_pp_50_2025_bpu_relief_by_period_and_payer():
    result = run("bpu-relief-2026.yaml")
    apbd, apbdes, transport, self_paid = (item.by_month for item in result.cohorts)
    assert apbd == (16_800,) * 12  # paid through the APBD: full rate (art. 3(5))
    assert apbdes == (16_800,) * 3 + (8_400,) * 9  # not named in art. 3(5): relief April-December (literal reading)
    assert transport == (8_400,) * 12  # transport: January 2026 onward
    # Income 1,234,567: JKK 1% = 12,345.67 -> 12,346 in full; halved 6,172.835 -> 6,173; JKM 3,400; JHT 2% = 24,691.34 -> 24,691 (no relief).
    assert self_paid == (12_346 + 6_800 + 24_691,) * 3 + (6_173 + 3_400 + 24_691,) * 9
    notes = [d for d in result.diagnostics if d.code == "N-unverified-rule" and dict(d.args)["rule"] == "bpu.relief.full_rate_payers"]
    assert len(notes) == 1 and notes[0].severity == "note"
    assert "'Kader (APBDes)'" in notes[0].text  # the literal reading, where it matters


def test_a_relief_is_half_of_the_rounded_contribution_not_of_the_rate():
    # PP 50/2025 art. 4(1): 50% "dari Iuran ... yang seharusnya dibayarkan". Income 1,000,060:
    # JKK 1% = 10,000.6 -> 10,001 would be paid; half of it 5,000.5 -> 5,001 (not 5,000.3 -> 5,000).
    text = (FIXTURES / "bpu-relief-2026.yaml").read_text().replace("income: 1_234_567", "income: 1_000_060")
    jkk = [p for p in simulate(parse_scenario(text, "x.yaml")).cohorts[3].parts[5] if p.program == "jkk"][0]
    assert jkk.per_person == 5_001


def test_transport_relief_ends_with_the_march_2027_contribution():
    scenario = load_scenario(str(FIXTURES / "bpu-relief-2026.yaml")).in_year(2027)
    transport = simulate(scenario).cohorts[2]
    assert transport.by_month == (8_400,) * 3 + (16_800,) * 9


def test_a_2027_budget_warns_that_the_jp_cap_is_assumed():
    result = run("draft-2027.yaml")
    warnings = [d for d in result.warnings if d.code == "W-assumed-rule" and dict(d.args)["rule"] == "pu.jp_wage_cap"]
    assert len(warnings) == 1
    args = dict(warnings[0].args)
    assert args["months"] == Phrase("{first} to {last}", first=Month(2027 * 12 + 2), last=Month(2027 * 12 + 11))
    assert args["known"] == Month(2027 * 12 + 1) and args["value"] == rule_amount("currency-IDR", 11_086_300)
    assert "assumed for March 2027 to December 2027: its last value (Rp 11,086,300, from March 2026)" in warnings[0].text
    assert warnings[0].mark.line == 3  # the `year:` line
    jp = [p for p in result.cohorts[0].parts[11] if p.program == "jp"][0]
    assert jp.per_person == 221_726  # 2% of the carried-forward cap 11,086,300


def test_overrun_is_a_visible_warning_at_the_ceiling():
    result = run("overrun.yaml")
    assert result.by_funding["dbhcht"].over == 100 * 16_800 * 12 - 1_000_000
    (warning,) = result.warnings
    assert (warning.mark.line, warning.mark.column) == (7, 14)
    assert warning.code == "W-ceiling-overrun"
    assert dict(warning.args)["over"] == Rupiah(100 * 16_800 * 12 - 1_000_000)


def test_year_before_the_rule_book_is_an_error_at_the_year_line():
    text = (FIXTURES / "draft-2027.yaml").read_text().replace("year: 2027", "year: 2021")
    with pytest.raises(ScenarioError) as caught:
        simulate(parse_scenario(text, "old.yaml"))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.mark.line == 3 and diagnostic.code == "E-rule-missing-month"
    assert dict(diagnostic.args)["month"] // 12 == 2021 and "pu.jp_wage_cap" in diagnostic.text


def test_lombok_timur_2023_matches_the_published_budget():
    # 12,698 tobacco farmers, April-December 2023, Rp 1.92 billion budgeted (Disnakertrans Lombok Timur).
    result = simulate(load_scenario(str(SCENARIOS / "lombok-timur-2023.yaml")))
    assert result.total == 12_698 * 16_800 * 9 == 1_919_937_600
    assert not result.overruns and result.by_funding["dbhcht"].scheme.ceiling == 1_920_000_000


def test_sampang_2025_pays_16800_a_person_a_month():
    result = simulate(load_scenario(str(SCENARIOS / "sampang-2025.yaml")))
    assert result.cohorts[0].per_person == (16_800,) * 12
    assert result.total == 6_900 * 16_800 * 12


def test_blitar_2025_dbhcht_cohort_matches_the_published_case():
    result = simulate(load_scenario(str(SCENARIOS / "blitar-2025.yaml")))
    dbhcht = result.by_funding["dbhcht"]
    assert dbhcht.amount == 6_043 * 16_800 * 9 == 913_701_600
    assert result.coverage.rate(result.coverage.covered_before) == pytest.approx(0.263)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_scenario_loads_and_its_breakdowns_add_up(path):
    result = simulate(load_scenario(str(path)))
    assert result.total > 0
    assert sum(result.by_month) == sum(result.by_program.values()) == sum(f.amount for f in result.by_funding.values()) == result.total
    assert month_index(result.scenario.year, 1) == result.months[0]


def test_an_assumed_jp_cap_warns_only_where_a_wage_reaches_it():
    text = (FIXTURES / "draft-2027.yaml").read_text().replace("income: 12_000_000", "income: 5_000_000")
    result = simulate(parse_scenario(text, "low-wage.yaml"))
    assert not result.warnings
    assert all("pu.jp_wage_cap" not in rule.name for part in result.cohorts[0].parts[11] for rule in part.rules)


def test_a_scheme_can_refuse_the_pp_50_relief_and_the_notes_name_every_cohort_relying_on_it():
    text = (FIXTURES / "bpu-relief-2026.yaml").read_text()
    relieved = simulate(parse_scenario(text, "x.yaml"))
    # APBDes Apr-Dec, CSR transport all year, self-paid Apr-Dec (JKK 12,346 -> 6,173; JKM 6,800 -> 3,400)
    assert relieved.relief == 8_400 * 9 + 8_400 * 12 + (6_173 + 3_400) * 9 == 262_557
    (note,) = [d for d in relieved.diagnostics if dict(d.args).get("rule") == "bpu.relief.full_rate_payers"]
    assert all(name in note.text for name in ("'Kader (APBDes)'", "'Ojek (CSR)'", "'Pedagang (mandiri)'"))
    full = simulate(parse_scenario(text.replace("desa: {kind: apbdes}", "desa: {kind: apbdes, relief: false}"), "x.yaml"))
    assert full.cohorts[1].by_month == (16_800,) * 12
    assert full.total - relieved.total == 8_400 * 9 == relieved.relief - full.relief


def test_the_2027_draft_shows_what_its_comments_claim():
    result = simulate(load_scenario(str(SCENARIOS / "blitar-2027-draft.yaml")))
    warned = {(d.code, dict(d.args).get("rule") or dict(d.args).get("id")) for d in result.warnings}
    assert warned == {("W-assumed-rule", "pu.jp_wage_cap"), ("W-ceiling-overrun", "dbhcht"), ("W-ceiling-overrun", "dinsos")}
    ojek = next(item for item in result.cohorts if item.cohort.name == "Pengemudi ojek")
    assert ojek.per_person == (8_400,) * 3 + (16_800,) * 9  # PP 50/2025 transport relief ends with March 2027
    tobacco = next(item for item in result.cohorts if item.cohort.transport is False and item.scheme.id == "dbhcht")
    assert set(tobacco.per_person) == {16_800}  # APBD pays the full rate


# 10. a zero-worker cohort reports neither assumed nor unverified rules
def test_zero_worker_cohort_reports_no_rules():
    head = "name: t\nyear: 2028\nworkforce: {employed: 1000, covered: 0}\nfunding: {f: {kind: apbd}}\ncohorts:\n"
    empty = simulate(scenario_of("  - {name: A, workers: 0, category: pu, income: 20_000_000, funding: f, programs: [jkk, jkm, jp]}\n", head))
    assert [d.code for d in empty.diagnostics] == []
    full = simulate(scenario_of("  - {name: A, workers: 1, category: pu, income: 20_000_000, funding: f, programs: [jkk, jkm, jp]}\n", head))
    assert "W-assumed-rule" in [d.code for d in full.diagnostics]


def test_relief_applies_to_the_programs_the_book_lists():
    book = load_rulebook()
    parameters = dict(book.parameters)
    from dataclasses import replace

    from ucj_cli.rules.book import RuleBook
    for name in ("bpu.relief.transport", "bpu.relief.other"):
        parameters[name] = replace(parameters[name], programs=("jkm",))
    only_jkm = RuleBook(parameters)
    scenario = scenario_of("  - {name: A, workers: 1, category: bpu, income: 1_000_000, funding: desa}\n")
    parts = {part.program: part for part in simulate(scenario, only_jkm).cohorts[0].parts[4]}
    assert parts["jkk"].share is None and parts["jkm"].share == Fraction(1, 2)


# 25. a BPU relief is rounded once: the part's amount is its trace's last rounding
def test_bpu_relief_amount_is_the_traced_rounding():
    result = simulate(scenario_of("  - {name: A, workers: 1, category: bpu, income: 1_234_567, funding: desa}\n"))
    for part in result.cohorts[0].parts[4]:
        assert part.share == Fraction(1, 2)
        last = part.trace[-1]
        assert last.role == "rounding" and last.value == part.per_person and last.exact == part.full * part.share
