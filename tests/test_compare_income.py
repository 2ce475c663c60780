"""Issue 19, compare: the workers on both sides, the `income` cause (golden figures worked by hand in
tests/golden/compare-income.yaml, which test_golden also runs), the causes still summing exactly
through the command line, and a chart in the compare workbook."""

from __future__ import annotations

import io
import json

import pytest
import yaml

from conftest import SCENARIOS, invoke_ucj

GOLDEN = yaml.safe_load((SCENARIOS.parent / "tests" / "golden" / "compare-income.yaml").read_text(encoding="utf-8"))
SIDES = {"base": yaml.safe_load(GOLDEN["scenario"]), "other": yaml.safe_load(GOLDEN["other"])}


@pytest.fixture()
def pair(tmp_path):
    paths = []
    for side in ("base", "other"):
        path = tmp_path / f"{side}.yaml"
        path.write_text(yaml.safe_dump(SIDES[side], sort_keys=False), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_the_income_cause_matches_the_figures_worked_by_hand(pair):
    run = invoke_ucj("compare", *pair, "-f", "json")
    assert run.returncode in (0, 1), run.output
    data = json.loads(run.stdout)
    lines = {line["key"]: line for line in data["lines"]}
    for name, expected in GOLDEN["expected"]["lines"].items():
        line = lines[name]
        assert (line["base"], line["other"]) == (expected["base"], expected["other"])
        assert line["causes"] == expected["causes"]
        assert sum(line["causes"].values()) == line["diff"]
    assert data["total"]["diff"] == GOLDEN["expected"]["total"]["diff"]
    causes = data["total"]["causes"]
    assert {cause: causes[cause] for cause in ("headcount", "duration", "income", "rates")} == {
        "headcount": 1_555_200, "duration": -4_276_800, "income": 4_069_200, "rates": -4_905_000}
    assert sum(causes.values()) == data["total"]["diff"]


def test_a_wage_change_alone_is_income_not_rates(tmp_path):
    base = dict(SIDES["base"], cohorts=[SIDES["base"]["cohorts"][0]])
    other = dict(base, cohorts=[dict(base["cohorts"][0], income=2_600_000)])
    paths = []
    for name, scenario in (("a", base), ("b", other)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
        paths.append(str(path))
    data = json.loads(invoke_ucj("compare", *paths, "-f", "json").stdout)
    (line,) = data["lines"]
    assert line["causes"] == {"headcount": 0, "duration": 0, "income": 100 * 12 * 1_080, "rates": 0}


@pytest.mark.parametrize("by", ["cohort", "funding", "program", "month"])
def test_every_line_and_the_total_carry_the_workers_on_both_sides(by):
    run = invoke_ucj("compare", str(SCENARIOS / "blitar-2025.yaml"), str(SCENARIOS / "blitar-2027-draft.yaml"), "--by", by, "-f", "json")
    data = json.loads(run.stdout)
    assert data["total"]["workers_base"] == 25_583 and data["total"]["workers_other"] == 27_000
    for line in data["lines"]:
        assert isinstance(line["workers_base"], int) and isinstance(line["workers_other"], int)
    if by in ("cohort", "funding"):
        assert sum(line["workers_base"] for line in data["lines"]) == data["total"]["workers_base"]
        assert sum(line["workers_other"] for line in data["lines"]) == data["total"]["workers_other"]
    if by == "cohort":
        lines = {line["key"]: line for line in data["lines"]}
        assert (lines["Petani dan buruh tembakau (DBHCHT)"]["workers_base"], lines["Petani dan buruh tembakau (DBHCHT)"]["workers_other"]) == (6_043, 6_500)
        assert (lines["Pengemudi ojek"]["workers_base"], lines["Pengemudi ojek"]["workers_other"]) == (0, 900)


def test_the_table_shows_the_workers_and_the_income_cause():
    run = invoke_ucj("compare", str(SCENARIOS / "blitar-2025.yaml"), str(SCENARIOS / "blitar-2027-draft.yaml"),
                     env={"COLUMNS": "250", "NO_COLOR": "1"})
    assert "Workers Base 2025" in run.stdout and "Income" in run.stdout
    (total,) = [line for line in run.stdout.splitlines() if line.strip().startswith("Total")]
    assert total.split()[1:3] == ["25,583", "27,000"]
    run = invoke_ucj("compare", str(SCENARIOS / "blitar-2025.yaml"), str(SCENARIOS / "blitar-2027-draft.yaml"), "--lang", "id",
                     env={"COLUMNS": "250", "NO_COLOR": "1"})
    assert "Pekerja Dasar 2025" in run.stdout and "Penghasilan" in run.stdout


def test_the_compare_workbook_has_the_workers_the_income_cause_and_a_chart(pair, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "c.xlsx"
    run = invoke_ucj("compare", *pair, "-o", str(out))
    assert run.returncode in (0, 1), run.output
    book = load_workbook(out)
    sheet = book.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if row[0] == "Cohort")
    assert header[1:5] == ["Workers Base 2025", "Workers Other 2026", "Base 2025 (Rp)", "Other 2026 (Rp)"]
    assert header[8:12] == ["Headcount", "Duration", "Income", "Rates"]
    perangkat = next(row for row in rows if row[0] == "Perangkat desa")
    assert perangkat[1:3] == [100, 110] and perangkat[10] == 1_069_200
    assert len(sheet._charts) == 1
    zipped = __import__("zipfile").ZipFile(out)
    assert any(name.startswith("xl/charts/chart") for name in zipped.namelist())
    causes = book["Causes"]
    assert [row[0].value for row in causes.iter_rows(min_row=2)][:4] == ["Headcount", "Duration", "Income", "Rates"]
