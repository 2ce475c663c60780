"""`compare`: differences whose causes add up exactly, by cohort, program, funding and month, from files,
years and CSV groups (the hand-worked split: tests/golden/compare-2024-2025.yaml)."""

from __future__ import annotations

import json

from conftest import BPU_2026, FIXTURES, SCENARIOS, csv_scenario, invoke_ucj, scenario_of
from ucj_cli import compare, load_scenario, simulate
from ucj_cli.engine.compare import CompareLine
from ucj_cli.i18n import set_language

BASE = FIXTURES / "compare-2024.yaml"
OTHER = FIXTURES / "compare-2025.yaml"


def results():
    return simulate(load_scenario(str(BASE))), simulate(load_scenario(str(OTHER)))


def test_added_removed_and_renamed_cohorts_are_shown_as_such():
    comparison = compare(*results())
    status = {line.key: line.status for line in comparison.lines}
    assert status["Linmas"] == "removed"  # renamed to "Satlinmas" in 2025
    assert status["Satlinmas"] == "added"
    assert status["Kader Posyandu"] == "removed"
    assert status["Pengelola BUMDes"] == "added"
    assert status["Nelayan"] == "same"
    causes = comparison.causes
    assert sum(causes.values()) == comparison.total.diff
    assert causes["removed"] == -(comparison.base.cohorts[2].amount + comparison.base.cohorts[3].amount)


def test_one_scenario_under_two_rule_years_shows_what_the_rules_alone_cost():
    scenario = load_scenario(str(FIXTURES / "jp-cap-2025.yaml"))
    comparison = compare(simulate(scenario.in_year(2024)), simulate(scenario.in_year(2025)))
    (line,) = comparison.lines
    assert line.causes["headcount"] == line.causes["duration"] == 0
    assert line.causes["rates"] == line.diff > 0  # the JP cap rose


def test_views_by_program_funding_and_month_add_up():
    left, right = results()
    for view in ("program", "funding", "month"):
        comparison = compare(left, right, view)
        assert sum(line.diff for line in comparison.lines) == comparison.total.diff
        assert comparison.causes is None


def test_compare_json_is_stable_and_documented():
    first = invoke_ucj("compare", str(BASE), str(OTHER), "--format", "json")
    second = invoke_ucj("compare", str(BASE), str(OTHER), "--format", "json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert set(data) == {"by", "base", "other", "lines", "total"}
    assert set(data["lines"][0]) == {"key", "status", "workers_base", "workers_other", "base", "other", "diff", "pct", "causes"}
    assert data["total"]["diff"] == data["other"]["total"] - data["base"]["total"]
    assert sum(data["total"]["causes"].values()) == data["total"]["diff"]


def test_compare_table_marks_increases_and_decreases_without_colour():
    run = invoke_ucj("compare", str(BASE), str(OTHER), env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert run.returncode == 0, run.stderr
    assert "\x1b[" not in run.stdout
    assert "▲ +" in run.stdout and "▼ -" in run.stdout
    assert "added" in run.stdout and "removed" in run.stdout


def test_compare_one_file_two_years_through_the_cli():
    run = invoke_ucj("compare", str(SCENARIOS / "blitar-2025.yaml"), "--year", "2024", "--year", "2025", "--by", "program", "-f", "csv")
    assert run.returncode == 0, run.stderr
    rows = run.stdout.splitlines()
    assert rows[0].startswith("key,status,base,other,diff,pct")
    assert rows[-1].startswith("Total,")


def test_compare_needs_two_files_or_two_years():
    run = invoke_ucj("compare", str(BASE))
    assert run.returncode == 2
    assert "--year" in run.stderr and "Traceback" not in run.stderr


def test_compare_prints_the_warnings_of_both_budgets():
    run = invoke_ucj("compare", str(FIXTURES / "draft-2027.yaml"), "--year", "2026", "--year", "2027")
    assert run.returncode == 0
    assert "warning: rule 'pu.jp_wage_cap' is assumed" in run.stderr


def test_compare_with_a_base_year_the_rule_book_does_not_fully_cover_is_an_error_not_a_traceback(tmp_path):
    base = tmp_path / "a.yaml"
    other = tmp_path / "b.yaml"
    text = "name: X\nyear: {year}\nworkforce: {{employed: 10, covered: 0}}\nfunding: {{p: {{}}}}\ncohorts:\n  - {{name: S, workers: 1, category: pu, income: 12_000_000, programs: [jkk, jkm, jp], funding: p{start}}}\n"
    base.write_text(text.format(year=2022, start=", start: 2022-03"))
    other.write_text(text.format(year=2023, start=""))
    run = invoke_ucj("compare", str(base), str(other))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "pu.jp_wage_cap" in run.stderr and run.stderr.startswith(f"{base}:")


def test_json_percentages_round_half_up_from_the_exact_figure():
    """round(float(x), 2) would give 0.12 for 1/8 (half-even) and 0.28 for 0.285 (its float is below
    the half); the exact rule gives 0.13 and 0.29, and the same away from zero below it."""
    from fractions import Fraction

    from ucj_cli.render.simulation import ratio
    from ucj_cli.render.comparison import _pct

    assert [_pct(CompareLine("c", 800, 801, "changed")), _pct(CompareLine("c", 100_000, 100_285, "changed")),
            _pct(CompareLine("c", 800, 799, "changed"))] == [0.13, 0.29, -0.13]
    assert ratio(Fraction(1, 3)) == 0.333333 and ratio(Fraction(5, 10**7)) == 0.000001 and ratio(Fraction(1)) == 1.0


def test_compare_years_checks_the_income_range_of_each_year(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BPU_2026.replace("2026", "2025").replace("cohorts:", "overrides: {bpu.income.minimum: {2026-01: 1_500_000}}\ncohorts:")
                    + "  - {name: A, workers: 1, category: bpu, income: 1_200_000, funding: desa}\n")
    assert invoke_ucj("simulate", str(path)).returncode == 0
    done = invoke_ucj("compare", str(path), "--year", "2025", "--year", "2026")
    assert done.returncode == 2
    assert "E-income-outside-range" in done.stderr and "Traceback" not in done.stderr


# Compare matches a CSV cohort's groups by what they are, not by their file-order number
def test_compare_matches_csv_groups_whatever_their_order(tmp_path):
    from ucj_cli.api import load_scenario
    from ucj_cli.engine.compare import compare

    first, second = tmp_path / "a", tmp_path / "b"
    rows = ["A,D1,2,", "B,D1,3,1_500_000"]
    for folder, order in ((first, rows), (second, rows[::-1])):
        folder.mkdir()
        csv_scenario(folder, "village,district,workers,income\n" + "\n".join(order) + "\n")
    left, right = (simulate(load_scenario(str(folder / "s.yaml"))) for folder in (first, second))
    assert [item.cohort.name for item in left.cohorts] == ["K #1", "K #2"]
    assert left.cohorts[0].cohort.income != right.cohorts[0].cohort.income  # "K #1" is another group on each side
    lines = compare(left, right).lines
    assert [line.status for line in lines] == ["same", "same"]
    assert all(line.causes == {"headcount": 0, "duration": 0, "income": 0, "rates": 0} for line in lines)


# Month lines are keyed by YYYY-MM, matched by calendar month, shown in the run's language
def test_compare_by_month_keys_are_months():
    from ucj_cli.engine.compare import compare
    from ucj_cli.render.comparison import key_label

    scenario = scenario_of("  - {name: A, workers: 1, category: bpu, income: 1_000_000, funding: desa}\n")
    left, right = simulate(scenario.in_year(2025)), simulate(scenario)
    comparison = compare(left, right, "month")
    assert [line.key for line in comparison.lines] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert comparison.lines[4].base == left.by_month[4] and comparison.lines[4].other == right.by_month[4]
    try:
        set_language("id")
        assert key_label(comparison, "2025-05") == "Mei"
    finally:
        set_language("en")
    assert key_label(comparison, "2025-05") == "May"
