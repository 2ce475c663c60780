"""`ucj path`: golden roads worked by hand (tests/golden/path/*.yaml, their working in comments, their figures in expected.yaml),
each year of `--write` re-simulated to the road's figures, and bad input in both languages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import invoke_ucj

GOLDEN = Path(__file__).resolve().parent / "golden" / "path"

# road -> its expected figures (tests/golden/path/expected.yaml), as worked in each road's comments
EXPECTED = yaml.safe_load((GOLDEN / "expected.yaml").read_text(encoding="utf-8"))


def road(name: str, *options: str) -> dict:
    done = invoke_ucj("path", str(GOLDEN / name), "-f", "json", *options)
    assert done.returncode == 0, done.output
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", [f"{key}.yaml" for key in sorted(EXPECTED)])
def test_golden_roads_match_the_working(name):
    data = road(name)
    expected = EXPECTED[name.removesuffix(".yaml")]
    assert {year["year"]: {"total": year["total"], "covered_december": year["covered_december"], "workers": [c["workers"] for c in year["cohorts"]]}
            for year in data["years"]} == expected["years"]
    assert data["total"] == sum(year["total"] for year in data["years"])
    assert [year["cumulative"] for year in data["years"]][-1] == data["total"]
    if "per_person" in expected:
        assert {year["year"]: year["cohorts"][1]["income"] for year in data["years"]} == expected["income_of_cohort_2"]
        assert {year["year"]: [c["per_person"] for c in year["cohorts"]] for year in data["years"]} == expected["per_person"]


def test_the_jp_cap_is_projected_three_years_and_says_so():
    caps = [(a["year"], a["subject"], a["value"], a["source"]) for a in road("growing.yaml")["assumptions"] if a["name"] == "jp_wage_cap"]
    assert (2027, "2027-03", 11_640_600, "projection") in caps
    assert (2028, "2028-03", 12_222_600, "projection") in caps
    assert (2029, "2029-03", 12_833_700, "projection") in caps


def test_a_missed_target_says_by_how_much_and_which_limit_binds():
    data = road("missed.yaml")
    years = {year["year"]: year for year in data["years"]}
    assert (years[2027]["met"], years[2027]["short"], years[2027]["bound"], years[2027]["bound_schemes"]) == (False, 8, "ceiling", ["dinsos"])
    assert (years[2028]["short"], years[2028]["new"]) == (508, 0)
    codes = [item["code"] for item in data["diagnostics"]]
    assert codes == ["W-path-short-ceiling", "W-path-short-ceiling"]


def test_budget_mode_never_drops_the_people_insured_in_december():
    years = road("budget.yaml")["years"]
    assert years[1]["by_funding"]["dbhcht"] == {"amount": 3_466_512_000, "ceiling": 2_730_000_000, "left": -736_512_000}
    assert any(d["code"] == "W-ceiling-overrun" for d in years[1]["diagnostics"])


@pytest.mark.parametrize("name", [f"{key}.yaml" for key in sorted(EXPECTED)])
def test_every_year_written_re_simulates_to_the_roads_figures(name, tmp_path):
    data = road(name, "--write", str(tmp_path))
    stem = name.removesuffix(".yaml")
    for year in data["years"]:
        done = invoke_ucj("simulate", str(tmp_path / f"{stem}-{year['year']}.yaml"), "-f", "json")
        assert done.returncode == 0, done.output
        priced = json.loads(done.stdout)
        assert priced["total"] == year["total"]
        assert [c["amount"] for c in priced["cohorts"]] == [c["amount"] for c in year["cohorts"]]
        assert {key: item["amount"] for key, item in priced["by_funding"].items()} == {key: item["amount"] for key, item in year["by_funding"].items()}
    again = invoke_ucj("path", str(GOLDEN / name), "-f", "json", "--write", str(tmp_path))  # its own files are overwritten
    assert again.returncode == 0, again.output


def test_the_shipped_blitar_road_runs_and_adds_up():
    done = invoke_ucj("path", "scenarios/blitar-path-2025-2029.yaml", "-f", "json", cwd=GOLDEN.parent.parent.parent)
    assert done.returncode == 0, done.output
    data = json.loads(done.stdout)
    assert [year["year"] for year in data["years"]] == [2025, 2026, 2027, 2028, 2029]
    assert data["total"] == sum(year["total"] for year in data["years"])


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_text_formats_render(fmt):
    done = invoke_ucj("path", str(GOLDEN / "growing.yaml"), "-f", fmt, "--sensitivity")
    assert done.returncode == 0, done.output
    assert "1,594,428,720" in done.stdout or "1594428720" in done.stdout


def test_the_table_in_indonesian():
    done = invoke_ucj("path", str(GOLDEN / "growing.yaml"), "--lang", "id", "--chart")
    assert done.returncode == 0, done.output
    assert "Rp1.594.428.720" in done.stdout


def test_sensitivity_is_largest_first_and_reuses_prices():
    from ucj_cli import load_scenario
    from ucj_cli.api import rulebook_for
    from ucj_cli.engine.path import Prices, path

    scenario = load_scenario(str(GOLDEN / "growing.yaml"))
    prices = Prices(rulebook_for(scenario))
    found = path(scenario, rulebook_for(scenario), sensitivity=True, prices=prices)
    moved = [max(abs(item.delta_total), abs(item.delta_last)) for item in found.sensitivity]
    assert moved == sorted(moved, reverse=True)
    assert found.sensitivity[0].name == "employed_growth"
    # a price depends on income and months, not head counts: only the variants moving the minimum wage price again
    # the base prices 3 cohorts in 2026 and, each later year, the minimum-wage cohort (a new income) and the
    # others once more (a new year's rules); the variants then price only the minimum-wage cohort: 4 distinct
    # minimum-wage roads (inflation +1 = alpha 0.9, -1 = alpha 0.5; growth +-1) x 3 later years
    assert prices.priced == 3 * 4 + 4 * 3



BAD = """name: Bad
year: 2026
workforce: {employed: 10_000, covered: 2_000}
funding:
  pemkab: {kind: apbd, ceiling: 100_000_000}
cohorts:
  - {name: A, category: bpu, workers: 10, income: 1_000_000, funding: pemkab}
  - {name: B, category: pu, workers: 10, income: 2_500_000, wage: minimum_wage, funding: pemkab}
path:
"""
WAGE = "  growth: {minimum_wage: {inflation: 2%, economic_growth: 5%, alpha: 0.7}}\n"
CASES = [  # (the path section, code, line:column, a fragment in English, the same in Indonesian)
    ("  through: 2025\n", "E-path-through", "10:12", "is not a year from 2026 to 2046", "bukan tahun dari 2026 sampai 2046"),
    ("  through: 2047\n", "E-path-through", "10:12", "at most 20 years after it", "paling lama 20 tahun"),
    ("  through: 2028\n  targets: {2030: 30%}\n" + WAGE, "E-path-target-year", "11:13", "outside the path from 2026 to 2028", "di luar jalur"),
    ("  through: 2028\n  targets: {2027: 101%}\n" + WAGE, "E-path-target-range", "11:19", "from 0% to 100%", "dari 0% sampai 100%"),
    ("  through: 2028\n  growth: {employed: 0.01, minimum_wage: {inflation: 2%, economic_growth: 5%, alpha: 0.7}}\n",
     "E-path-growth-percent", "11:22", "is not a yearly growth", "bukan pertumbuhan tahunan"),
    ("  through: 2028\n  growth: {ceilings: {dinsos: 5%}, minimum_wage: {inflation: 2%, economic_growth: 5%, alpha: 0.7}}\n",
     "E-path-ceiling-scheme", "11:23", "which the scenario does not define", "tidak didefinisikan skenario"),
    ("  through: 2028\n  growth: {minimum_wage: {inflation: 2%, economic_growth: 5%, alpha: 0.3}}\n", "E-path-alpha-range", "11:70",
     "outside the legal range 0.50 to 0.90 (PP 49/2025 art. 26(6)", "di luar rentang yang sah 0,50 sampai 0,90 (PP 49/2025"),
    ("  through: 2028\n", "E-path-wage-missing", "10:3", "gives nothing for the 2027 wage", "tidak memberi apa pun untuk upah 2027"),
]


@pytest.mark.parametrize("tail, code, where, english, indonesian", CASES, ids=[f"{case[1]}-{n}" for n, case in enumerate(CASES)])
def test_bad_path_input_is_a_located_coded_error_in_both_languages(tail, code, where, english, indonesian):
    for lang, fragment in (("en", english), ("id", indonesian)):
        done = invoke_ucj("path", "-", "--lang", lang, input=BAD + tail)
        assert done.returncode == 2, done.output
        line = next(line for line in done.stderr.splitlines() if f"[{code}]" in line)
        assert line.startswith(f"<stdin>:{where}: ") and fragment in line, line


def test_alpha_of_a_2025_wage_is_checked_against_pp_51_2023():
    text = BAD.replace("year: 2026", "year: 2024") + "  through: 2025\n  growth: {minimum_wage: {inflation: 2%, economic_growth: 5%, alpha: 0.7}}\n"
    done = invoke_ucj("path", "-", input=text)
    assert done.returncode == 2 and "outside the legal range 0.10 to 0.30 (PP 51/2023 art. 26(6)" in done.stderr, done.output
    assert invoke_ucj("path", "-", "-f", "json", input=text.replace("alpha: 0.7", "alpha: 0.3")).returncode == 0


def test_a_target_below_the_coverage_reached_is_a_warning_in_both_languages():
    text = BAD + "  through: 2027\n  targets: {2026: 10%}\n" + WAGE
    for lang, fragment in (("en", "warning: the 2026 target of 1,000 participants"), ("id", "peringatan: target 2026 sebesar 1.000 peserta")):
        done = invoke_ucj("path", "-", "--lang", lang, "-f", "json", input=text)
        assert done.returncode == 0 and f"<stdin>:11:19: {fragment}" in done.stderr and "[W-path-target-below]" in done.stderr, done.output


def test_wage_on_a_bpu_cohort_and_a_scenario_without_a_path():
    text = BAD.replace("income: 1_000_000, funding", "income: 1_000_000, wage: minimum_wage, funding") + "  through: 2026\n"
    for lang, fragment in (("en", "a BPU cohort"), ("id", "kelompok BPU")):
        done = invoke_ucj("path", "-", "--lang", lang, input=text)
        assert done.returncode == 2 and "<stdin>:7:62: " in done.stderr and fragment in done.stderr and "[E-wage-on-bpu]" in done.stderr
    done = invoke_ucj("path", str(GOLDEN.parent.parent.parent / "scenarios" / "blitar-2025.yaml"))
    assert done.returncode == 2 and "[E-path-missing]" in done.stderr


def test_a_path_scenario_round_trips_through_the_writer():
    from ucj_cli import load_scenario
    from ucj_cli.load.writer import round_trips, scenario_yaml
    from ucj_cli.rules.book import load_rulebook

    for name in [*(f"{key}.yaml" for key in EXPECTED), "../../../scenarios/blitar-path-2025-2029.yaml"]:
        scenario = load_scenario(str(GOLDEN / name))
        assert round_trips(scenario, scenario_yaml(scenario), load_rulebook()), name


def test_the_xlsx_workbook_has_live_formulas_with_the_roads_cached_figures(tmp_path):
    import openpyxl

    target = tmp_path / "road.xlsx"
    done = invoke_ucj("path", str(GOLDEN / "growing.yaml"), "-o", str(target), "--sensitivity")
    assert done.returncode == 0, done.output
    data = road("growing.yaml")
    formulas, cached = openpyxl.load_workbook(target), openpyxl.load_workbook(target, data_only=True)
    assert formulas.sheetnames == ["Path", "Lines", "Assumptions", "Sensitivity"]
    rows = {row[0].value: row for row in formulas["Path"].iter_rows()}
    values = {row[0]: row for row in cached["Path"].iter_rows(values_only=True)}
    count = len(data["years"])
    assert list(values["Cost (Rp)"][1:count + 2]) == [year["total"] for year in data["years"]] + [data["total"]]
    assert all(str(cell.value).startswith("=SUMIF(") for cell in rows["Cost (Rp)"][1:count + 1])
    assert list(values["Insured in December"][1:count + 1]) == [year["covered_december"] for year in data["years"]]
    assert list(values["Cumulative cost (Rp)"][1:count + 1]) == [year["cumulative"] for year in data["years"]]
    assert list(values["dbhcht (Rp)"][1:count + 1]) == [year["by_funding"]["dbhcht"]["amount"] for year in data["years"]]
    lines = list(cached["Lines"].iter_rows(min_row=2, values_only=True))
    assert [line[8] for line in lines] == [c["amount"] for year in data["years"] for c in year["cohorts"]]
    assert formulas["Lines"]["I2"].value == "=H2*D2"
    again = invoke_ucj("path", str(GOLDEN / "growing.yaml"), "-f", "xlsx", binary=True, input="")
    assert again.stdout == invoke_ucj("path", str(GOLDEN / "growing.yaml"), "-f", "xlsx", binary=True).stdout  # same bytes each run


def test_the_chart_draws_coverage_against_the_target_and_the_cost():
    done = invoke_ucj("path", str(GOLDEN / "missed.yaml"), "--chart")
    assert done.returncode == 0, done.output
    bars = [line for line in done.stdout.splitlines() if line[:4] in ("2026", "2027", "2028") and "┃" in line]
    assert len(bars) == 3 and "Rp 199,987,200" in bars[1]
    assert invoke_ucj("path", str(GOLDEN / "missed.yaml"), "--chart", "-f", "json").returncode == 2  # E-chart-format


def test_write_needs_a_folder_and_never_overwrites_a_file_ucj_did_not_write(tmp_path):
    file = tmp_path / "file.txt"
    file.write_text("mine\n")
    done = invoke_ucj("path", str(GOLDEN / "missed.yaml"), "-f", "json", "--write", str(file))
    assert done.returncode == 2 and "[E-usage-path-is-file]" in done.stderr, done.output
    (tmp_path / "missed-2027.yaml").write_text("name: mine\n")
    done = invoke_ucj("path", str(GOLDEN / "missed.yaml"), "-f", "json", "--write", str(tmp_path))
    assert done.returncode == 2 and "[E-write-not-ours]" in done.stderr, done.output
    assert (tmp_path / "missed-2027.yaml").read_text() == "name: mine\n"


def test_offices_are_never_grown_by_a_road(tmp_path):
    """Issue 19: perangkat desa are an office (eligibility.fixed_offices.roles): even as the cheapest
    cohort without max_workers, a road to a target holds them at their count every year."""
    text = (Path(__file__).resolve().parent.parent / "scenarios" / "blitar-path-2025-2029.yaml").read_text(encoding="utf-8")
    text = text.replace("    workers: 2_200\n    max_workers: 2_200\n    category: pu\n    income: 2_300_000\n    programs: [jkk, jkm, jht, jp]\n",
                        "    workers: 2_200\n    category: pu\n    income: 1_000_000\n    programs: [jkk, jkm]\n")
    assert "income: 1_000_000\n    programs: [jkk, jkm]\n    funding: add" in text  # the cheapest per worker: 5,400 a month
    scenario = tmp_path / "road.yaml"
    scenario.write_text(text, encoding="utf-8")
    shutil.copytree(Path(__file__).resolve().parent.parent / "scenarios" / "data", tmp_path / "data")
    data = json.loads(invoke_ucj("path", str(scenario), "-f", "json").stdout)
    for year in data["years"]:
        (perangkat,) = [c for c in year["cohorts"] if c["name"] == "Perangkat desa"]
        assert perangkat["workers"] == 2_200, year["year"]
    codes = {d["code"] for year in data["years"] for d in year["diagnostics"]}
    assert "N-plan-held-office" in codes
