"""`ucj explain`, `ucj rules`, what-if overrides and assumptions, `ucj schema` and `ucj init`.

The explanation never prices anything itself, so the core checks are that it always ends at the
figure `simulate` shows, for every cohort of every shipped scenario and under what-ifs, and that an
override changes exactly the months it covers.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from fractions import Fraction
from pathlib import Path
from dataclasses import replace

import pytest
import yaml

from conftest import BPU_2026, CSV_AND_YAML, CSV_AND_YAML_ROWS, FIXTURES, SCENARIOS, csv_scenario, invoke_ucj, scenario_of, scenarios
from ucj_cli import compare_baseline, load_scenario, parse_scenario, simulate
from ucj_cli.cli.app import app
from ucj_cli.cli.completion import cohorts as complete_cohorts, parameters as complete_parameters
from ucj_cli.errors import ScenarioError
from ucj_cli.engine.explain import budget_tree, explain_cohort, what_if_causes
from ucj_cli.period import month_index
from ucj_cli.rules.book import WhatIf, load_rulebook
from ucj_cli.load.scenario import with_settings
from ucj_cli.load.schema import build
from ucj_cli.cli.starter import starter

SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
WHAT_IF = SCENARIOS / "blitar-2027-what-if.yaml"
DOCTOR = "Dokter spesialis RSUD non-ASN"


# `ucj` runs here at columns=200: a terminal wide enough that no explanation line wraps.


def _check_explanations_match(result) -> None:
    for item in result.cohorts:
        explanation = explain_cohort(result, item)
        assert explanation.amount == item.amount, item.cohort.name
        assert explanation.worker_paid == item.worker_paid, item.cohort.name
        for program, amount in item.by_program.items():
            assert explain_cohort(result, item, program=program).amount == amount
        for offset, amount in enumerate(item.by_month):
            if item.parts[offset]:
                assert explain_cohort(result, item, month_index(result.scenario.year, offset + 1)).amount == amount
        for line in explanation.lines:  # spans tile the covered months with no gap or overlap
            covered = [month for span in line.spans for month in range(span.first, span.last + 1)]
            assert covered == list(explanation.months)
    tree = budget_tree(result)
    assert tree.amount == result.total
    assert {node.key: node.amount for node in tree.children} == {key: f.amount for key, f in result.by_funding.items()}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_explain_ends_at_simulates_figures_for_every_cohort_of_every_shipped_scenario(path):
    _check_explanations_match(simulate(load_scenario(str(path))))


def test_explain_ends_at_simulates_figures_under_overrides():
    book = load_rulebook()
    scenario = with_settings(load_scenario(str(SCENARIOS / "blitar-2025.yaml")),
                             ["pu.jkm@2025-05=0.45%", "bpu.jkm@2025-09=10000", "pu.jht.employer@2025-02=4.05%"], book)
    result = simulate(scenario)
    assert result.total != simulate(load_scenario(str(SCENARIOS / "blitar-2025.yaml"))).total
    _check_explanations_match(result)


def test_an_override_changes_exactly_the_months_it_covers_and_nothing_else():
    plain = load_scenario(str(SCENARIOS / "blitar-2027-draft.yaml"))
    changed = with_settings(plain, ["bpu.jkm@2027-07=10000"], load_rulebook())
    before, after = simulate(plain), simulate(changed)
    july = 6
    touched = 0
    for a, b in zip(before.cohorts, after.cohorts):
        for offset in range(12):
            for part_a, part_b in zip(a.parts[offset], b.parts[offset], strict=True):
                if offset >= july and part_a.program == "jkm" and a.cohort.category == "bpu":
                    assert part_b.per_person == 10_000 and part_b.flat.rule.origin == "override"
                    touched += 1
                else:
                    assert part_a == part_b, (a.cohort.name, offset, part_a.program)
    assert touched and after.total - before.total == sum(
        (10_000 - 6_800) * 6 * item.cohort.workers for item in after.cohorts if item.cohort.category == "bpu")


def test_a_scenario_assumption_projects_the_march_2027_cap_and_explain_shows_both_spans():
    result = simulate(load_scenario(str(WHAT_IF)))
    doctor = next(item for item in result.cohorts if item.cohort.name == DOCTOR)
    line = next(line for line in explain_cohort(result, doctor).lines if line.program == "jp" and line.payer == "employer")
    bases = [(span.first % 12 + 1, span.last % 12 + 1, span.part.trace[0].value, span.part.trace[0].rule.origin) for span in line.spans]
    assert bases[:2] == [(1, 2, 11_086_300, "book"), (3, 6, 11_640_600, "projection")]
    assert line.spans[2].part.trace[1].rule.origin == "override"  # the what-if 5% JP from July


def test_without_an_assumption_the_cap_is_carried_forward_and_the_note_says_how_to_project():
    result = simulate(load_scenario(str(SCENARIOS / "blitar-2027-draft.yaml")))
    codes = [d.code for d in result.diagnostics]
    assert "N-project-cap" in codes
    note = next(d for d in result.diagnostics if d.code == "N-project-cap")
    assert "gdp_growth: {2026: 5.0%}" in note.text


@pytest.mark.parametrize(("overrides", "code", "line", "column"), [
    ("  pu.jp.employr: {2027-01: 5%}\n", "E-override-unknown", 7, 3),
    ("  pu.jp.employer: {2027-13: 5%}\n", "E-override-month", 7, 20),
    ("  pu.jp.employer: {2027-01: 5}\n", "E-override-percent", 7, 29),
    ("  pu.jp.employer: {2027-01: 150%}\n", "E-override-range", 7, 29),
    ("  bpu.jkm: {2027-01: 6.5%}\n", "E-override-rupiah", 7, 22),
    ("  bpu.jkm: 10000\n", "E-override-dates", 7, 12),
])
def test_bad_overrides_are_coded_errors_at_their_place(overrides, code, line, column):
    text = ("name: X\nyear: 2027\nworkforce: {employed: 10, covered: 0}\nfunding: {a: {}}\n"
            "cohorts: [{name: S, workers: 1, category: bpu, income: 1_000_000, funding: a}]\noverrides:\n" + overrides)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "x.yaml")
    (problem,) = caught.value.diagnostics
    assert (problem.code, problem.mark.line, problem.mark.column) == (code, line, column)


def test_an_assumption_for_a_published_year_is_refused():
    text = ("name: X\nyear: 2025\nworkforce: {employed: 10, covered: 0}\nfunding: {a: {}}\n"
            "cohorts: [{name: S, workers: 1, category: bpu, income: 1_000_000, funding: a}]\nassumptions: {gdp_growth: {2024: 6%}}\n")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "x.yaml")
    assert [d.code for d in caught.value.diagnostics] == ["E-assumption-published"]


# --- the command line -------------------------------------------------------------------------

def test_explain_a_cohort_in_english_and_indonesian_ends_at_the_simulated_total():
    simulated = json.loads(invoke_ucj("simulate", str(WHAT_IF), "-f", "json", columns=200).stdout)
    total = next(c["amount"] for c in simulated["cohorts"] if c["name"] == DOCTOR)
    english = invoke_ucj("explain", str(WHAT_IF), "--cohort", DOCTOR, columns=200)
    assert english.returncode == 0, english.output
    lines = english.stdout.splitlines()
    assert lines[0].startswith("WHAT-IF BUDGET")
    assert f"Cohort total: Rp {total:,} (as in `ucj simulate`)" in english.stdout
    for text in ("January 2027 to February 2027 (2 months)", "March 2027 to June 2027 (4 months)", "July 2027 to December 2027 (6 months)",
                 "PROJECTED: Rp 11,086,300 x (1 + 5%) rounded down to Rp 100", "pu.jp_wage_cap, from March 2026"):
        assert text in english.stdout
    indonesian = invoke_ucj("explain", str(WHAT_IF), "--cohort", DOCTOR, "--lang", "id", columns=200)
    assert f"Total kelompok: Rp{total:,}".replace(",", ".") in indonesian.stdout
    assert "Januari 2027 sampai Februari 2027 (2 bulan)" in indonesian.stdout and "ANGGARAN SKENARIO" in indonesian.stdout


def test_explain_lists_the_relief_end_and_pp_50_periods_as_spans(tmp_path):
    relief = invoke_ucj("explain", str(FIXTURES / "jkk-relief-2025.yaml"), "--cohort", "Buruh pabrik rokok", "--program", "jkk", columns=200)
    for text in ("January 2025 (1 month)", "February 2025 to July 2025 (6 months)", "August 2025 to December 2025 (5 months)",
                 "temporary relief: reduced rate 0.27% instead [pu.jkk_relief.low, from February 2025", "PP 36/2025 art. 10A"):
        assert text in relief.stdout
    later = tmp_path / "relief-2026.yaml"
    later.write_text((FIXTURES / "jkk-relief-2025.yaml").read_text().replace("year: 2025", "year: 2026"))
    ended = invoke_ucj("explain", str(later), "--cohort", "Buruh pabrik rokok", "--program", "jkk", columns=200).stdout
    assert "January 2026 (1 month)" in ended and "Rp 5,400 x 1 worker x 1 month = Rp 5,400" in ended
    assert "February 2026 to December 2026 (11 months)" in ended and "Rp 10,800 x 1 worker x 11 months = Rp 118,800" in ended
    ojek = invoke_ucj("explain", str(FIXTURES / "bpu-relief-2026.yaml"), "--cohort", "Ojek (CSR)", "-f", "json", columns=200)
    data = json.loads(ojek.stdout)
    jkm = next(line for line in data["lines"] if line["program"] == "jkm")
    assert [(s["from"], s["to"], s["per_person"]) for s in jkm["spans"]] == [("2026-01", "2026-12", 3_400)]
    apbd = json.loads(invoke_ucj("explain", str(FIXTURES / "bpu-relief-2026.yaml"), "--cohort", "Petani (APBD)", "-f", "json", columns=200).stdout)
    roles = [(c["role"], c.get("applies")) for c in apbd["lines"][0]["spans"][-1]["components"]]
    assert ("relief_share", False) in roles and apbd["amount"] == 16_800 * 12


def test_explain_without_a_cohort_is_the_budget_tree_and_bad_options_are_coded_errors():
    tree = json.loads(invoke_ucj("explain", str(SCENARIOS / "blitar-2025.yaml"), "-f", "json", columns=200).stdout)
    assert tree["kind"] == "total" and tree["amount"] == 10_926_687_600
    assert sum(child["amount"] for child in tree["children"]) == tree["amount"]
    text = invoke_ucj("explain", str(SCENARIOS / "blitar-2025.yaml"), columns=200).stdout
    assert "Whole budget Kabupaten Blitar - UCJ 2025: Rp 10,926,687,600" in text and "      Program JKK:" in text
    unknown = invoke_ucj("explain", str(SCENARIOS / "blitar-2025.yaml"), "--cohort", "Nelayn", columns=200)
    assert unknown.returncode == 2 and "did you mean 'Nelayan'?" in unknown.stderr and "[E-explain-cohort]" in unknown.stderr
    month = invoke_ucj("explain", str(SCENARIOS / "blitar-2025.yaml"), "--cohort", "Nelayan", "--month", "2024-05", columns=200)
    assert month.returncode == 2 and "[E-explain-month]" in month.stderr


def test_rules_lists_values_in_force_history_and_the_unverified():
    on = invoke_ucj("rules", "--on", "2026-03", "-f", "json", columns=200)
    values = {rule["name"]: rule for rule in json.loads(on.stdout)["rules"]}
    assert values["pu.jp_wage_cap"]["value"] == 11_086_300 and values["pu.jkk.very_low"]["value"] == "0.24"
    assert values["pu.jp_wage_cap"]["known_through"] == "2027-02"
    history = invoke_ucj("rules", "--history", "pu.jp_wage_cap", columns=200)
    assert "Rp 10,547,400 (from March 2025" in history.stdout
    unverified = invoke_ucj("rules", "--unverified", columns=200)
    assert "bpu.relief.full_rate_payers" in unverified.stdout and "pu.jkm:" not in unverified.stdout
    unknown = invoke_ucj("rules", "--history", "pu.jp_wage", columns=200)
    assert unknown.returncode == 2 and "[E-rules-unknown]" in unknown.stderr and "--history 'pu.jp_wage' is not a rule parameter" in unknown.stderr
    assert invoke_ucj("rules", "--on", "2026-02-30", columns=200).returncode == 2


def test_set_compare_baseline_and_the_what_if_marks_on_simulate():
    plain = json.loads(invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "-f", "json", columns=200).stdout)
    assert plain["what_if"] is None
    changed = invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "--set", "bpu.jkm@2025-07=10000", "-f", "json", columns=200)
    data = json.loads(changed.stdout)
    assert data["what_if"]["overrides"] == [{"name": "bpu.jkm", "from": "2025-07", "value": 10_000}]
    table = invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "--set", "bpu.jkm@2025-07=10000", columns=200)
    first = table.stdout.splitlines()[0].split()
    assert first[:3] == ["WHAT-IF", "BUDGET", "not"] and "bpu.jkm from July 2025 = Rp 10,000" in table.stdout.splitlines()[0]
    markdown = invoke_ucj("simulate", str(WHAT_IF), "-f", "markdown", columns=200).stdout
    assert re.search(r"^\| WHAT-IF BUDGET +\| not the rule book's: pu.jp.employer from July 2027 = 5%", markdown, re.M)
    compared = json.loads(invoke_ucj("compare", str(SCENARIOS / "blitar-2025.yaml"), "--baseline", "--set", "bpu.jkm@2025-07=10000",
                              "-f", "json", columns=200).stdout)
    assert compared["total"]["base"] == plain["total"] and compared["total"]["other"] == data["total"]
    assert compared["what_if_causes"] == [{"name": "bpu.jkm", "amount": data["total"] - plain["total"]}]
    bad = invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "--set", "bpu.jkm=10000", columns=200)
    assert bad.returncode == 2 and "[E-set-syntax]" in bad.stderr


def test_set_reads_its_value_as_the_file_reads_overrides(tmp_path):
    scenario = str(SCENARIOS / "blitar-2025.yaml")
    listed = json.loads(invoke_ucj("simulate", scenario, "--set", "bpu.relief.full_rate_payers@2026-01=[apbd, apbn]", "-f", "json", columns=200).stdout)
    assert listed["what_if"]["overrides"] == [{"name": "bpu.relief.full_rate_payers", "from": "2026-01", "value": ["apbd", "apbn"]}]
    ended = json.loads(invoke_ucj("simulate", scenario, "--set", "bpu.relief.other@2026-06=null", "-f", "json", columns=200).stdout)
    assert ended["what_if"]["overrides"] == [{"name": "bpu.relief.other", "from": "2026-06", "value": None}]
    huge = invoke_ucj("simulate", scenario, "--set", "bpu.jkm@2025-01=99999999999999999999", columns=200)
    assert huge.returncode == 2 and "[E-too-large]" in huge.stderr
    in_file = tmp_path / "huge.yaml"
    in_file.write_text((SCENARIOS / "blitar-2025.yaml").read_text() + "overrides:\n  bpu.jkm: {2025-01: 99999999999999999999}\n")
    assert "[E-too-large]" in invoke_ucj("validate", str(in_file), columns=200).stdout
    broken = invoke_ucj("simulate", scenario, "--set", "bpu.jkm@2025-01=[a", columns=200)
    assert broken.returncode == 2 and "[E-set-syntax]" in broken.stderr


def test_the_xlsx_summary_says_what_if_first(tmp_path):
    import openpyxl  # the test extra
    target = tmp_path / "what-if.xlsx"
    assert invoke_ucj("simulate", str(WHAT_IF), "-o", str(target), columns=200).returncode == 0
    sheet = openpyxl.load_workbook(target).worksheets[0]
    assert sheet["A3"].value == "WHAT-IF BUDGET" and "pu.jp_wage_cap from March 2027 = Rp 11,640,600" in sheet["B3"].value


def test_what_if_causes_add_up_to_the_difference():
    compared = json.loads(invoke_ucj("compare", str(WHAT_IF), "--baseline", "-f", "json", columns=200).stdout)
    causes = {item["name"]: item["amount"] for item in compared["what_if_causes"]}
    assert set(causes) == {"pu.jp.employer", "pu.jp.worker", "economy.gdp_growth"}
    assert sum(causes.values()) == compared["total"]["diff"] > 0
    assert causes["pu.jp.worker"] == 0  # the worker's own share is outside the budget


def test_completion_offers_parameters_and_cohort_names(monkeypatch):
    assert "pu.jp_wage_cap" in complete_parameters("pu.jp")
    assert all(name.startswith("bpu.") for name in complete_parameters("bpu."))

    from typer._completion_classes import BashComplete  # what `ucj --install-completion` runs
    from typer.main import get_command

    shell = BashComplete(get_command(app), {}, "ucj", "_UCJ_COMPLETE")
    words = ["explain", "-f", "json", str(SCENARIOS / "blitar-2025.yaml"), "--cohort"]
    monkeypatch.setenv("COMP_WORDS", " ".join(["ucj", *words, "Nel"]))
    assert [item.value for item in shell.get_completions(words, "Nel")] == ["Nelayan"]
    assert [item.value for item in shell.get_completions(["rules", "--history"], "pu.jkk.v")] == ["pu.jkk.very_high", "pu.jkk.very_low"]
    monkeypatch.setenv("COMP_WORDS", "ucj explain /nonexistent.yaml --cohort ")
    assert complete_cohorts(None, "") == []


# --- schema and init ----------------------------------------------------------------------------

def _as_json(value):
    """A YAML 1.1 document (PyYAML) as JSON would hold it: dates as text, keys as text."""
    if isinstance(value, dict):
        return {str(key): _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    return value.isoformat()[:7] if isinstance(value, dt.date) else value


def test_the_schema_accepts_every_shipped_scenario_and_rejects_broken_ones():
    import jsonschema  # the test extra; the schema is for editors, ucj itself never needs it
    schema = build(load_rulebook())
    validator = jsonschema.Draft202012Validator(schema)
    for path in SHIPPED:
        errors = list(validator.iter_errors(_as_json(yaml.safe_load(path.read_text()))))
        assert not errors, (path.name, errors[:1])
    good = _as_json(yaml.safe_load(WHAT_IF.read_text()))
    broken = [
        {**good, "colour": "red"},
        {key: value for key, value in good.items() if key != "cohorts"},
        {**good, "cohorts": [{**good["cohorts"][0], "category": "pns"}]},
        {**good, "cohorts": [{**good["cohorts"][0], "programs": ["jkk", "pension"]}]},
        {**good, "funding": {"pemkab": {"kind": "bank"}}},
        {**good, "overrides": {"pu.jp.employr": {"2027-01": "5%"}}},
        {**good, "overrides": {"pu.jp.employer": {"2027-01": 5}}},
        {**good, "assumptions": {"gdp_growth": {"2026": 5.0}}},
        {**good, "workforce": {"employed": "12.000"}},
        {**good, "cohorts": [{k: v for k, v in good["cohorts"][0].items() if k != "workers"}]},  # nor from_csv
    ]
    for document in broken:
        assert list(validator.iter_errors(document)), document


def test_the_schema_states_rule_dates_from_the_rule_book_not_from_its_own_text():
    from ucj_cli.load import schema as schema_module
    from ucj_cli.rules.book import Change, WhatIf

    source = Path(schema_module.__file__).read_text(encoding="utf-8")
    for fact in ("Feb 2025", "Jan 2026", "March 2027", "2026:", "20,700,000", "20700000", "30%"):
        assert fact not in source, fact  # written once, in the rule book
    book = load_rulebook()
    cohort = lambda built: built["properties"]["cohorts"]["items"]["properties"]  # noqa: E731
    shipped = build(book)
    assert cohort(shipped)["jkk_relief"]["description"].endswith("half-rate JKK (Feb 2025 - Jan 2026).")
    assert cohort(shipped)["transport"]["description"].endswith("PP 50/2025 relief through March 2027.")
    assert "`gdp_growth: {2026: 5.0%}` projects the March 2027 JP wage cap" in shipped["properties"]["assumptions"]["description"]
    # A later regulation extends both reliefs and BPS publishes 2026: the schema follows the book.
    month = 2026 * 12 + 1  # February 2026
    changes = [Change(f"pu.jkk_relief.{risk}", month, book.get(f"pu.jkk_relief.{risk}", month - 1).value, "override")
               for risk in ("very_low", "low", "medium", "high", "very_high")]
    changes.append(Change("bpu.relief.transport", 2027 * 12 + 3, book.get("bpu.relief.transport", 2027 * 12).value, "override"))
    changes.append(Change("economy.gdp_growth", 2026 * 12, Fraction(5), "assumption"))
    changes.append(Change("bpu.income.maximum", 2027 * 12, 25_000_000, "override"))  # a later Lampiran II and village cap
    assert "(bpu, from 1000000 to 20700000 in the rule book now)" in cohort(shipped)["income"]["description"]
    funding = lambda built: built["properties"]["funding"]["additionalProperties"]["anyOf"][0]["properties"]  # noqa: E731
    assert "(eligibility.village_spending_cap.share, from April 2026)" in funding(shipped)["village_spending"]["description"]
    extended = build(book.with_what_if(WhatIf(tuple(changes))))
    assert "(bpu, from 1000000 to 25000000 in the rule book now)" in cohort(extended)["income"]["description"]
    assert cohort(extended)["jkk_relief"]["description"].endswith("half-rate JKK (from Feb 2025).")
    assert cohort(extended)["transport"]["description"].endswith("PP 50/2025 relief.")
    assert "`gdp_growth: {2027: 5.0%}` projects the March 2028 JP wage cap" in extended["properties"]["assumptions"]["description"]


def test_the_schema_is_generated_from_the_checkers_tables_and_the_shipped_copy_is_current():
    schema = build(load_rulebook())
    from ucj_cli import model
    from ucj_cli.load import scenario as checker

    assert set(schema["properties"]) == set(checker._TOP_KEYS)
    assert set(schema["properties"]["cohorts"]["items"]["properties"]) == set(checker._COHORT_KEYS)
    assert schema["properties"]["cohorts"]["items"]["properties"]["risk"]["enum"] == list(model.RISKS)
    assert all(prop.get("description") for prop in schema["properties"]["cohorts"]["items"]["properties"].values())
    shipped = (SCENARIOS.parent / "schema" / "scenario.schema.json").read_text()
    assert json.loads(shipped) == schema, "run `ucj schema -o schema/scenario.schema.json`"
    assert invoke_ucj("schema", columns=200).stdout == shipped
    for path in SHIPPED:
        assert path.read_text().startswith("# yaml-language-server: $schema=../schema/scenario.schema.json\n"), path.name


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_starter_scenario_validates_and_simulates(lang, tmp_path):
    text = starter('Kab. "Contoh": #1', 2026, lang)
    result = simulate(parse_scenario(text, "starter.yaml"))
    assert result.total > 0 and result.scenario.region == 'Kab. "Contoh": #1'
    target = tmp_path / "new.yaml"
    made = invoke_ucj("init", str(target), "--region", "Kabupaten Blitar", "--year", "2027", "--lang", lang, columns=200)
    assert made.returncode == 0, made.output
    assert invoke_ucj("simulate", str(target), columns=200).returncode == 0
    again = invoke_ucj("init", str(target), columns=200)
    assert again.returncode == 2 and "[E-init-exists]" in again.stderr
    assert invoke_ucj("init", "--year", "1999", columns=200).returncode == 2


def test_scenario_with_replaced_what_if_prices_as_the_plain_scenario():
    """Without its what-if the scenario costs exactly the what-if's parts less, as `what_if_causes`
    credits them parameter by parameter, and as `compare_baseline` reports the two budgets."""
    scenario = load_scenario(str(WHAT_IF))
    plain = simulate(replace(scenario, what_if=type(scenario.what_if)())).total
    causes = what_if_causes(scenario, load_rulebook())
    assert [name for name, _amount in causes] == list(dict.fromkeys(change.name for change in scenario.what_if.changes))
    assert simulate(scenario).total - plain == sum(amount for _name, amount in causes) > 0
    compared = compare_baseline(scenario)
    assert (compared.base.total, compared.other.total, compared.what_if) == (plain, simulate(scenario).total, causes)


# --- properties over random scenarios ----------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


RATES = ("pu.jkm", "pu.jkk.low", "pu.jht.employer", "pu.jp.employer", "bpu.jkk")


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.sampled_from(RATES), st.integers(1, 12), st.integers(1, 300))
def test_random_overrides_change_only_their_months_and_explain_still_adds_up(scenario, name, month, tenths):
    book = load_rulebook()
    start = month_index(scenario.year, month)
    changed = with_settings(scenario, [f"{name}@{scenario.year}-{month:02d}={tenths / 10}%"], book)
    before, after = simulate(scenario), simulate(changed)
    for a, b in zip(before.cohorts, after.cohorts):
        for offset in range(12):
            if month_index(scenario.year, offset + 1) < start:
                assert a.parts[offset] == b.parts[offset]
            for part_a, part_b in zip(a.parts[offset], b.parts[offset], strict=True):
                if name not in {rule.name for rule in part_b.rules}:
                    assert part_a.per_person == part_b.per_person
    _check_explanations_match(after)


def test_explain_notes_name_only_the_rules_behind_what_is_shown_and_quiet_drops_them():
    blitar = str(SCENARIOS / "blitar-2025.yaml")
    jkm = invoke_ucj("explain", blitar, "--cohort", "Nelayan", "--program", "jkm", columns=200)
    assert jkm.returncode == 0 and "note" not in jkm.stderr  # bpu.jkm is verified; bpu.jkk plays no part
    whole = invoke_ucj("explain", blitar, "--cohort", "Nelayan", columns=200).stderr
    assert "note: 1 unverified rule behind these figures (bpu.jkk);" in whole
    assert "bpu.jht" not in whole and invoke_ucj("explain", blitar, "--cohort", "Nelayan", "--quiet", columns=200).stderr == ""
    indonesian = invoke_ucj("explain", blitar, "--cohort", "Nelayan", "--lang", "id", columns=200).stderr
    assert "catatan: 1 aturan di balik angka ini belum terverifikasi (bpu.jkk);" in indonesian
    assert invoke_ucj("explain", blitar, "-q", columns=200).stderr == ""


def test_the_note_on_projecting_the_jp_cap_is_shown_whole_and_quiet_drops_it():
    draft = str(SCENARIOS / "blitar-2027-draft.yaml")
    for args in (("simulate", draft), ("simulate", draft, "-f", "json"), ("validate", draft, "--jobs", "1")):
        done = invoke_ucj(*args, columns=200)
        assert "`assumptions: {gdp_growth: {2026: 5.0%}}` with the growth you expect [N-project-cap]" in done.stdout + done.stderr, args
        quiet = invoke_ucj(*args, "-q", columns=200)
        assert "[N-project-cap]" not in quiet.stderr + (quiet.stdout if args[0] != "simulate" or "-f" not in args else ""), args
    assert "note: 3 unverified rules behind these figures (" in invoke_ucj("simulate", draft, columns=200).stdout


def test_compare_takes_set_on_both_sides_and_baseline_without_what_if_says_so():
    base, other = str(SCENARIOS / "blitar-2024.yaml"), str(SCENARIOS / "blitar-2025.yaml")
    plain = json.loads(invoke_ucj("compare", base, other, "-f", "json", columns=200).stdout)
    changed = invoke_ucj("compare", base, other, "--set", "bpu.jkm@2024-01=10000", "-f", "json", columns=200)
    assert changed.returncode == 0, changed.stderr
    data = json.loads(changed.stdout)
    assert data["base"]["total"] > plain["base"]["total"] and data["other"]["total"] > plain["other"]["total"]
    nothing = invoke_ucj("compare", other, "--baseline", "-f", "json", columns=200)
    assert nothing.returncode == 0, nothing.stderr
    same = json.loads(nothing.stdout)  # still written, so an -o file is never one left by an earlier run
    assert same["base"] == same["other"] and same["total"]["diff"] == 0 and "what_if_causes" not in same
    assert "no what-if (no overrides, assumptions or --set)" in nothing.stderr and "every difference is zero [N-baseline-same]" in nothing.stderr
    assert invoke_ucj("compare", base, other, "--baseline", columns=200).returncode == 2


def test_only_the_latest_value_of_a_rule_is_known_through_a_month():
    history = json.loads(invoke_ucj("rules", "--history", "pu.jp_wage_cap", "-f", "json", columns=200).stdout)["rules"]
    assert [rule["known_through"] for rule in history[:-1]] == [None] * (len(history) - 1) and history[-1]["known_through"]
    text = invoke_ucj("rules", "--history", "pu.jp_wage_cap", columns=200).stdout
    assert text.count("known through") == 1


@pytest.mark.parametrize("region", ["", "   "])
def test_init_refuses_an_empty_region(region):
    done = invoke_ucj("init", "--region", region, columns=200)
    assert done.returncode == 2 and "[E-init-region]" in done.stderr and done.stdout == ""


def test_rules_in_indonesian_show_the_rule_data_in_indonesian_and_kinds_read_as_codes():
    """The rule data carries its Indonesian (`description_id:`, `reference_id:`, `unverified_id:`);
    references read `Pasal ... ayat ...`, never `art.`."""
    lines = invoke_ucj("rules", "--history", "bpu.relief.full_rate_payers", "--lang", "id").stdout.splitlines()
    assert lines[0] == "Riwayat bpu.relief.full_rate_payers"
    assert lines[1] == "  uraian: Jenis sumber dana yang pesertanya membayar iuran JKK dan JKM penuh (tanpa keringanan)"
    assert lines[2].startswith("bpu.relief.full_rate_payers: `apbn`, `apbd`, `dbhcht` (mulai Januari 2026)")
    assert lines[3].startswith("  dasar hukum: PP 50/2025 Pasal 3 ayat (5) (iuran yang \"dibayarkan melalui APBN atau APBD\" dikecualikan;")
    assert lines[4].startswith("  BELUM DIVERIFIKASI: teks hanya menyebut APBN dan APBD;")
    english = invoke_ucj("rules", "--history", "bpu.relief.full_rate_payers", columns=200).stdout
    assert "  description: Funding kinds" in english and "  reference: PP 50/2025 art. 3(5)" in english
    what_if = invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "--set", "bpu.relief.full_rate_payers@2026-01=[apbd, apbn]", columns=200).stdout
    assert "bpu.relief.full_rate_payers from January 2026 = `apbd`, `apbn`" in what_if


# The BPU income range is checked under the final book and year
def test_set_that_moves_the_income_range_is_refused(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BPU_2026.replace("2026", "2025") + "  - {name: A, workers: 1, category: bpu, income: 1_000_000, funding: desa}\n")
    assert invoke_ucj("simulate", str(path)).returncode == 0
    done = invoke_ucj("simulate", str(path), "--set", "bpu.income.minimum@2025-01=2000000")
    assert done.returncode == 2
    assert "E-income-outside-range" in done.stderr


# The what-if book is built once, at the check, and reused
def test_checked_scenario_keeps_its_book():
    from dataclasses import replace

    from ucj_cli.api import rulebook_for
    scenario = scenario_of("  - {name: A, workers: 1, category: bpu, income: 1_000_000, funding: desa}\n",
                         BPU_2026.replace("cohorts:", "overrides: {bpu.jkm: {2026-01: 7_000}}\ncohorts:"))
    assert scenario.rules is not None and scenario.rules.what_if == scenario.what_if
    assert rulebook_for(scenario) is scenario.rules
    assert simulate(scenario).rules is scenario.rules
    plain = replace(scenario, what_if=WhatIf())  # a replaced what-if is not priced with the stale book
    assert rulebook_for(plain) is not scenario.rules and not rulebook_for(plain).what_if


def test_explain_accepts_a_csv_cohort_by_its_scenario_name(tmp_path):
    path = csv_scenario(tmp_path, CSV_AND_YAML_ROWS, CSV_AND_YAML, "data/k.csv")
    ran = invoke_ucj("explain", str(path), "--cohort", "K")
    assert ran.returncode == 0, ran.output
    assert "Cohort K #1 of S" in ran.stdout and "Cohort K #2 of S" in ran.stdout
    data = json.loads(invoke_ucj("explain", str(path), "--cohort", "K", "-f", "json").stdout)
    assert isinstance(data, list) and len(data) == 2
    one = json.loads(invoke_ucj("explain", str(path), "--cohort", "K #2", "-f", "json").stdout)
    assert isinstance(one, dict) and one == data[1]
