"""Regression tests for the code review's core findings (one test or more per item)."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from ucj_cli.api import parse_scenario, simulate
from ucj_cli.errors import Diagnostic, Mark, diagnostic
from ucj_cli.i18n import set_language
from ucj_cli.output import OutputError
from ucj_cli.period import month_index
from ucj_cli.rules.book import Change, WhatIf, coerce, load_rulebook
from ucj_cli.model import Cohort, FundingScheme, Workforce

from tests.conftest import FIXTURES, invoke_ucj

BPU = """name: t
year: 2026
workforce: {employed: 1000, covered: 0}
funding:
  desa: {kind: apbdes}
  daerah: {kind: apbd}
cohorts:
"""


def _scenario(cohorts: str, head: str = BPU):
    return parse_scenario(head + cohorts)


# 1. `explain -o` never overwrites the run's inputs
def test_explain_refuses_to_write_over_its_scenario(tmp_path):
    target = tmp_path / "s.yaml"
    shutil.copy(FIXTURES / "bpu-relief-2026.yaml", target)
    before = target.read_bytes()
    done = invoke_ucj("explain", str(target), "-o", str(target))
    assert done.returncode == 2
    assert "E-output-is-input" in done.stderr
    assert target.read_bytes() == before


# 5. OutputError carries its one diagnostic, not the characters of its sentence
def test_output_error_diagnostics_is_the_diagnostic():
    item = diagnostic(Mark("out.csv"), "E-output-full")
    error = OutputError(item)
    assert error.diagnostics == [item] or error.diagnostics == (item,)
    assert all(isinstance(d, Diagnostic) for d in error.diagnostics)


# 7. model objects check their own invariants
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


# 8. the cached shipped book (and a scenario's schemes, a result's breakdowns) cannot be changed
def test_the_shipped_book_is_read_only():
    book = load_rulebook()
    with pytest.raises(TypeError):
        book.parameters["pu.jkm"] = book.parameters["pu.jht.worker"]  # type: ignore[index]
    assert load_rulebook().get("pu.jkm", month_index(2025, 1)).value == Fraction(3, 1000)


def test_scenario_funding_and_result_breakdowns_are_read_only():
    scenario = _scenario("  - {name: A, workers: 2, category: bpu, income: 1_000_000, funding: desa}\n")
    result = simulate(scenario)
    for mapping in (scenario.funding, result.by_program, result.by_payer, result.by_funding):
        with pytest.raises(TypeError):
            mapping["x"] = 1  # type: ignore[index]


# 9. a parameter changed both ways is refused rather than merged by its first change's origin
def test_what_if_refuses_mixed_origins_for_one_parameter():
    book = load_rulebook()
    changes = (Change("economy.gdp_growth", month_index(2030, 1), Fraction(5, 100), "assumption"),
               Change("economy.gdp_growth", month_index(2031, 1), Fraction(5, 100), "override"))
    with pytest.raises(ValueError):
        book.with_what_if(WhatIf(changes))


# 10. a zero-worker cohort reports neither assumed nor unverified rules
def test_zero_worker_cohort_reports_no_rules():
    head = "name: t\nyear: 2028\nworkforce: {employed: 1000, covered: 0}\nfunding: {f: {kind: apbd}}\ncohorts:\n"
    empty = simulate(_scenario("  - {name: A, workers: 0, category: pu, income: 20_000_000, funding: f, programs: [jkk, jkm, jp]}\n", head))
    assert [d.code for d in empty.diagnostics] == []
    full = simulate(_scenario("  - {name: A, workers: 1, category: pu, income: 20_000_000, funding: f, programs: [jkk, jkm, jp]}\n", head))
    assert "W-assumed-rule" in [d.code for d in full.diagnostics]


# 14. the relief's programs and the verified funding kinds are rule data
def test_relief_programs_and_verified_kinds_come_from_the_rule_file():
    book = load_rulebook()
    assert book.parameters["bpu.relief.transport"].programs == ("jkk", "jkm")
    assert book.parameters["bpu.relief.full_rate_payers"].verified == ("apbn", "apbd", "dbhcht")
    month = month_index(2026, 5)
    assert book.get("bpu.relief.full_rate_payers", month, "apbd").verified
    assert not book.get("bpu.relief.full_rate_payers", month, "apbdes").verified
    result = simulate(_scenario("  - {name: A, workers: 1, category: bpu, income: 1_000_000, funding: desa, programs: [jkk, jkm, jht]}\n"))
    parts = {part.program: part for part in result.cohorts[0].parts[4]}
    assert parts["jht"].share is None and parts["jht"].relief == 0
    assert parts["jkk"].share == Fraction(1, 2) and parts["jkm"].share == Fraction(1, 2)


def test_relief_applies_to_the_programs_the_book_lists():
    book = load_rulebook()
    parameters = dict(book.parameters)
    from dataclasses import replace

    from ucj_cli.rules.book import RuleBook
    for name in ("bpu.relief.transport", "bpu.relief.other"):
        parameters[name] = replace(parameters[name], programs=("jkm",))
    only_jkm = RuleBook(parameters)
    scenario = _scenario("  - {name: A, workers: 1, category: bpu, income: 1_000_000, funding: desa}\n")
    parts = {part.program: part for part in simulate(scenario, only_jkm).cohorts[0].parts[4]}
    assert parts["jkk"].share is None and parts["jkm"].share == Fraction(1, 2)


# 15. the unverified-rule note holds every cohort; the language phrases it
def test_unverified_note_lists_every_cohort_and_phrases_it_per_language():
    cohorts = "".join(f"  - {{name: K{i}, workers: 1, category: bpu, income: 1_000_000, funding: desa}}\n" for i in range(5))
    result = simulate(_scenario(cohorts))
    note = next(d for d in result.diagnostics if d.code == "N-unverified-rule")
    assert list(dict(note.args)["cohorts"]) == [f"K{i}" for i in range(5)]
    try:
        set_language("en")
        assert "cohorts 'K0', 'K1', 'K2' and 2 more" in note.text
        set_language("id")
        assert "kelompok 'K0', 'K1', 'K2' dan 2 lainnya" in note.text
    finally:
        set_language("en")
    one = simulate(_scenario("  - {name: Solo, workers: 1, category: bpu, income: 1_000_000, funding: desa}\n"))
    assert "cohort 'Solo'" in next(d for d in one.diagnostics if d.code == "N-unverified-rule").text


# 16. coerce's errors carry no English sentence (callers report coded diagnostics)
@pytest.mark.parametrize("unit, value", [("percent", 0.5), ("currency-IDR", -1), ("percent", "x"), ("percent", "150")])
def test_coerce_errors_are_bare(unit, value):
    with pytest.raises(ValueError) as caught:
        coerce(unit, value)
    assert str(caught.value) == ""


# 25. a BPU relief is rounded once: the part's amount is its trace's last rounding
def test_bpu_relief_amount_is_the_traced_rounding():
    result = simulate(_scenario("  - {name: A, workers: 1, category: bpu, income: 1_234_567, funding: desa}\n"))
    for part in result.cohorts[0].parts[4]:
        assert part.share == Fraction(1, 2)
        last = part.trace[-1]
        assert last.role == "rounding" and last.value == part.per_person and last.exact == part.full * part.share


# 4. the BPU income range is checked under the final book and year
def test_set_that_moves_the_income_range_is_refused(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BPU.replace("2026", "2025") + "  - {name: A, workers: 1, category: bpu, income: 1_000_000, funding: desa}\n")
    assert invoke_ucj("simulate", str(path)).returncode == 0
    done = invoke_ucj("simulate", str(path), "--set", "bpu.income.minimum@2025-01=2000000")
    assert done.returncode == 2
    assert "E-income-outside-range" in done.stderr


def test_compare_years_checks_the_income_range_of_each_year(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BPU.replace("2026", "2025").replace("cohorts:", "overrides: {bpu.income.minimum: {2026-01: 1_500_000}}\ncohorts:")
                    + "  - {name: A, workers: 1, category: bpu, income: 1_200_000, funding: desa}\n")
    assert invoke_ucj("simulate", str(path)).returncode == 0
    done = invoke_ucj("compare", str(path), "--year", "2025", "--year", "2026")
    assert done.returncode == 2
    assert "E-income-outside-range" in done.stderr and "Traceback" not in done.stderr


# 30. the what-if book is built once, at the check, and reused
def test_checked_scenario_keeps_its_book():
    from dataclasses import replace

    from ucj_cli.api import rulebook_for
    scenario = _scenario("  - {name: A, workers: 1, category: bpu, income: 1_000_000, funding: desa}\n",
                         BPU.replace("cohorts:", "overrides: {bpu.jkm: {2026-01: 7_000}}\ncohorts:"))
    assert scenario.rules is not None and scenario.rules.what_if == scenario.what_if
    assert rulebook_for(scenario) is scenario.rules
    assert simulate(scenario).rules is scenario.rules
    plain = replace(scenario, what_if=WhatIf())  # a replaced what-if is not priced with the stale book
    assert rulebook_for(plain) is not scenario.rules and not rulebook_for(plain).what_if


# 2. `--by village` reads the CSV as it was checked: blank lines first, `;`, a file changed meanwhile
CSV_HEAD = "name: t\nyear: 2025\nworkforce: {employed: 1000, covered: 0}\nfunding: {desa: {kind: apbdes}}\ncohorts:\n"


def _csv_scenario(tmp_path, text: str) -> Path:
    (tmp_path / "v.csv").write_text(text)
    path = tmp_path / "s.yaml"
    path.write_text(CSV_HEAD + "  - {name: K, category: bpu, income: 1_000_000, funding: desa, from_csv: v.csv}\n")
    return path


def test_by_village_reads_a_csv_starting_with_blank_lines(tmp_path):
    path = _csv_scenario(tmp_path, "\n\nvillage;district;workers\nA;D1;2\nB;D1;3\n")
    done = invoke_ucj("simulate", str(path), "--by", "village", "-f", "csv")
    assert done.returncode == 0, done.stderr
    assert [line.split(",")[:5] for line in done.stdout.splitlines()[1:]] == [["K", "D1", "A", "", "2"], ["K", "D1", "B", "", "3"]]


def test_village_rows_refuses_a_file_changed_since_it_was_checked(tmp_path):
    from ucj_cli.load import csv_cohorts
    from ucj_cli.api import load_scenario
    from ucj_cli.errors import ScenarioError

    path = _csv_scenario(tmp_path, "village,district,workers,income\nA,D1,2,\nB,D1,3,1_500_000\n")
    scenario = load_scenario(str(path))
    assert [row[4] for row in csv_cohorts.village_rows(scenario.cohorts)] == [2, 3]
    for changed in ("village,district,workers,income\nA,D1,2,\nB,D1,3,1_700_000\n",  # a group never checked
                    "village,district,workers,income\nA,D1,2,\nB,D1\n",  # a short row
                    "village,district,workers,income\nA,D1,x,\nB,D1,3,1_500_000\n",  # not a count
                    "village,district,workers,income\nA,D1,5,\nB,D1,3,1_500_000\n"):  # other totals
        (tmp_path / "v.csv").write_text(changed)
        with pytest.raises(ScenarioError) as caught:
            list(csv_cohorts.village_rows(scenario.cohorts))
        assert caught.value.diagnostics[0].code == "E-csv-changed"


# 11. compare matches a CSV cohort's groups by what they are, not by their file-order number
def test_compare_matches_csv_groups_whatever_their_order(tmp_path):
    from ucj_cli.api import load_scenario
    from ucj_cli.engine.compare import compare

    first, second = tmp_path / "a", tmp_path / "b"
    rows = ["A,D1,2,", "B,D1,3,1_500_000"]
    for folder, order in ((first, rows), (second, rows[::-1])):
        folder.mkdir()
        _csv_scenario(folder, "village,district,workers,income\n" + "\n".join(order) + "\n")
    left, right = (simulate(load_scenario(str(folder / "s.yaml"))) for folder in (first, second))
    assert [item.cohort.name for item in left.cohorts] == ["K #1", "K #2"]
    assert left.cohorts[0].cohort.income != right.cohorts[0].cohort.income  # "K #1" is another group on each side
    lines = compare(left, right).lines
    assert [line.status for line in lines] == ["same", "same"]
    assert all(line.causes == {"headcount": 0, "duration": 0, "rates": 0} for line in lines)


# 17. month lines are keyed by YYYY-MM, matched by calendar month, shown in the run's language
def test_compare_by_month_keys_are_months():
    from ucj_cli.engine.compare import compare
    from ucj_cli.render.comparison import key_label

    scenario = _scenario("  - {name: A, workers: 1, category: bpu, income: 1_000_000, funding: desa}\n")
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


# 13. one rounding rule: exact half up for ratios and percentages, in money.py, used by the formatter
@pytest.mark.parametrize("value, places, expected", [
    (Fraction(1, 8), 2, Fraction(13, 100)),  # 0.125 -> 0.13 (half-even would give 0.12)
    (Fraction(-1, 8), 2, Fraction(-13, 100)),
    (Fraction(2634625, 10**7), 6, Fraction(263463, 10**6)),  # 0.2634625 -> 0.263463
    (Fraction(1, 3), 0, Fraction(0)),
    (5, 2, Fraction(5)),
])
def test_rounded_is_exact_half_up(value, places, expected):
    from ucj_cli.money import rounded

    assert rounded(value, places) == expected
    assert round(float(Fraction(1, 8)), 2) == 0.12  # what a binary round would have written


def test_formatter_rounds_as_money_does():
    from ucj_cli.i18n import format as fmt

    assert fmt.percent(Fraction(1, 800), lang="en") == "0.13%"
    assert fmt.decimal(Fraction(-5, 1000), 2, "en") == "-0.01"
