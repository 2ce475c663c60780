"""The engine beyond its figures: the notes and warnings a budget carries, errors at their place, breakdowns
that add up for every example, and reliefs that follow the rule book. The figures worked by hand from the
regulations and the published cases are golden cases in tests/golden/ (test_golden.py)."""

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


def test_pp_50_2025_literal_reading_for_the_apbdes_is_a_note():
    # The figures by period and payer: tests/golden/bpu-relief-2026.yaml.
    result = run("bpu-relief-2026.yaml")
    notes = [d for d in result.diagnostics if d.code == "N-unverified-rule" and dict(d.args)["rule"] == "bpu.relief.full_rate_payers"]
    assert len(notes) == 1 and notes[0].severity == "note"
    assert "'Kader (APBDes)'" in notes[0].text  # the literal reading, where it matters


def test_a_2027_budget_warns_that_the_jp_cap_is_assumed():
    result = run("draft-2027.yaml")
    warnings = [d for d in result.warnings if d.code == "W-assumed-rule" and dict(d.args)["rule"] == "pu.jp_wage_cap"]
    assert len(warnings) == 1
    args = dict(warnings[0].args)
    assert args["months"] == Phrase("{first} to {last}", first=Month(2027 * 12 + 2), last=Month(2027 * 12 + 11))
    assert args["known"] == Month(2027 * 12 + 1) and args["value"] == rule_amount("currency-IDR", 11_086_300)
    assert "assumed for March 2027 to December 2027: its last value (Rp 11,086,300, from March 2026)" in warnings[0].text
    assert warnings[0].mark.line == 3  # the `year:` line (JP on the carried-forward cap: tests/golden/draft-2027.yaml)


def test_overrun_is_a_visible_warning_at_the_ceiling():
    result = run("overrun.yaml")  # over by 19,160,000: tests/golden/overrun.yaml
    (warning,) = result.warnings
    assert (warning.mark.line, warning.mark.column) == (7, 14)
    assert warning.code == "W-ceiling-overrun"
    assert dict(warning.args)["over"] == Rupiah(result.by_funding["dbhcht"].over)


def test_year_before_the_rule_book_is_an_error_at_the_year_line():
    text = (FIXTURES / "draft-2027.yaml").read_text().replace("year: 2027", "year: 2021")
    with pytest.raises(ScenarioError) as caught:
        simulate(parse_scenario(text, "old.yaml"))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.mark.line == 3 and diagnostic.code == "E-rule-missing-month"
    assert dict(diagnostic.args)["month"] // 12 == 2021 and "pu.jp_wage_cap" in diagnostic.text


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
    relieved = simulate(parse_scenario(text, "x.yaml"))  # the figures: tests/golden/bpu-relief-2026.yaml
    (note,) = [d for d in relieved.diagnostics if dict(d.args).get("rule") == "bpu.relief.full_rate_payers"]
    assert all(name in note.text for name in ("'Kader (APBDes)'", "'Ojek (CSR)'", "'Pedagang (mandiri)'"))
    full = simulate(parse_scenario(text.replace("desa: {kind: apbdes}", "desa: {kind: apbdes, relief: false}"), "x.yaml"))
    assert full.total - relieved.total == relieved.relief - full.relief > 0


def test_the_2027_draft_shows_what_its_comments_claim():
    result = simulate(load_scenario(str(SCENARIOS / "blitar-2027-draft.yaml")))
    warned = {(d.code, dict(d.args).get("rule") or dict(d.args).get("id")) for d in result.warnings}
    assert warned == {("W-assumed-rule", "pu.jp_wage_cap"), ("W-ceiling-overrun", "dbhcht"), ("W-ceiling-overrun", "dinsos")}
    # The transport relief ending with March 2027 and the APBD's full rate: tests/golden/blitar-2027-draft.yaml.


# A zero-worker cohort reports neither assumed nor unverified rules
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


# A BPU relief is rounded once: the part's amount is its trace's last rounding
def test_bpu_relief_amount_is_the_traced_rounding():
    result = simulate(scenario_of("  - {name: A, workers: 1, category: bpu, income: 1_234_567, funding: desa}\n"))
    for part in result.cohorts[0].parts[4]:
        assert part.share == Fraction(1, 2)
        last = part.trace[-1]
        assert last.role == "rounding" and last.value == part.per_person and last.exact == part.full * part.share
