"""`ucj path` against a hostile trial: a chart that fits the terminal, coverage never silently above
100%, an unbounded cohort warned about every year it grows, the same bytes on every run, the
Indonesian decimal comma, and references never cut short."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import invoke_ucj, run_ucj

ROOT = Path(__file__).resolve().parent.parent
BLITAR = "scenarios/blitar-path-2025-2029.yaml"

BASE = """name: Hostile
year: 2026
workforce: {employed: 10_000, covered: 2_500}
funding:
  dinsos: {name: APBD Dinas Sosial, kind: apbd, ceiling: 200_000_000}
  pemkab: {name: APBD Pemkab, kind: apbd, ceiling: 300_000_000}
  desa: {name: Dana Desa, kind: dana_desa}
  cukai: {name: DBHCHT, kind: dbhcht, ceiling: 100_000_000}
cohorts:
  - {name: Pekerja rentan, category: bpu, workers: 400, income: 1_000_000, funding: dinsos}
path:
  through: 2028
"""


def path_json(tail: str, *options: str) -> dict:
    done = invoke_ucj("path", "-", "-f", "json", *options, input=BASE + tail)
    assert done.returncode == 0, done.output
    return json.loads(done.stdout)


def error_line(tail: str, code: str, lang: str = "en") -> str:
    done = invoke_ucj("path", "-", "--lang", lang, input=BASE + tail)
    assert done.returncode == 2, done.output
    found = [line for line in done.stderr.splitlines() if line.endswith(f"[{code}]")]
    assert len(found) == 1 and all(f"[{code}]" in line or not line.strip() for line in done.stderr.splitlines()), done.stderr
    return found[0]


# --- 1. the chart fits the terminal ---------------------------------------------------------------

@pytest.mark.parametrize("columns", [40, 60, 80])
def test_the_chart_fits_the_terminal_and_never_cuts_a_figure(columns):
    done = invoke_ucj("path", BLITAR, "--chart", "--quiet", columns=columns, cwd=ROOT)
    assert done.returncode == 0, done.output
    lines = done.stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("The road"))
    end = lines.index("", start)
    chart = lines[start:end]
    assert max(len(line) for line in chart) <= columns, "\n".join(chart)
    text = "\n".join(chart)
    for figure in ("32.15%", "43.92%", "Rp 11,083,341,600", "Rp 25,921,936,800"):  # every figure whole
        assert figure in text, text
    if columns >= 60:
        rows = [line for line in chart if line[:4] in ("2025", "2029")]
        assert all("┃" in line and "▒" in line and line.endswith("00") for line in rows), text


# --- 2. coverage above 100% -----------------------------------------------------------------------

def test_a_growth_that_leaves_no_one_employed_is_refused_at_the_growth():
    line = error_line("  growth: {employed: -100%}\n", "E-path-employed-gone")
    assert line.startswith("<stdin>:13:22: ") and "leaves no one employed in 2027" in line, line
    line = error_line("  growth: {employed: -99.99%}\n", "E-path-employed-gone")
    assert "in 2028" in line, line  # 10,000 x 0.01% = 1 in 2027, 0 in 2028
    assert "tidak ada penduduk bekerja pada 2027" in error_line("  growth: {employed: -100%}\n", "E-path-employed-gone", "id")
    assert path_json("  growth: {employed: -50%}\n")["years"][-1]["employed"] == 2_500


def test_insured_above_the_employed_is_never_met_silently():
    data = path_json("  targets: {2026: 30%}\n  growth: {covered: 100%}\n")
    years = {year["year"]: year for year in data["years"]}
    assert years[2028]["covered_outside"] <= years[2028]["employed"]
    assert years[2028]["covered_december"] > years[2028]["employed"]
    over = [item for item in data["diagnostics"] if item["code"] == "W-path-over-employed"]
    assert len(over) == 1 and "in 2028" in over[0]["message"] and "10,500" in over[0]["message"], data["diagnostics"]
    assert years[2028]["above_employed"] and not years[2026]["above_employed"]
    assert not any(item["code"] == "W-path-over-employed" for item in path_json("  targets: {2026: 30%}\n")["diagnostics"])
    for lang, words in (("en", "insured above the employed"), ("id", "peserta melebihi penduduk bekerja")):
        table = invoke_ucj("path", "-", "--lang", lang, "-f", "markdown",
                           input=BASE + "  targets: {2026: 30%}\n  growth: {covered: 100%}\n").stdout
        row = next(line for line in table.splitlines() if line.startswith("| 2028"))
        assert words in row, row
    rows = list(csv.DictReader(io.StringIO(invoke_ucj("path", "-", "-f", "csv", "-q",
                                                      input=BASE + "  targets: {2026: 30%}\n  growth: {covered: 100%}\n").stdout)))
    assert {row["year"]: row["above_employed"] for row in rows if not row["cohort"] and row["year"] != "total"} == \
        {"2026": "false", "2027": "false", "2028": "true"}


# --- 3. a cohort without max_workers grown by the road -------------------------------------------

def test_every_year_an_unbounded_cohort_grows_it_is_said():
    data = path_json("  targets: {2026: 30%, 2028: 33%}\n")
    grown = {year["year"]: [d["message"] for d in year["diagnostics"] if d["code"] == "W-plan-grown-unbounded"] for year in data["years"]}
    assert grown[2026] == ["cohort 'Pekerja rentan' grows from 400 to 500 workers and has no max_workers, so nothing says that many such "
                           "workers exist; expected `max_workers:` on it (how many the region has)"], grown
    assert grown[2027] and grown[2028], grown
    done = invoke_ucj("path", "-", input=BASE + "  targets: {2026: 30%, 2028: 33%}\n")
    assert "2026: <stdin>:10:5: warning: cohort 'Pekerja rentan' grows from 400 to 500" in done.stdout + done.stderr, done.output
    capped = BASE.replace("funding: dinsos}", "funding: dinsos, max_workers: 5_000}")
    done = invoke_ucj("path", "-", "-f", "json", input=capped + "  targets: {2026: 30%, 2028: 33%}\n")
    assert "W-plan-grown-unbounded" not in done.stdout, done.stdout


# --- 4. the same bytes on every run; the hint in its place ----------------------------------------

def test_an_unknown_ceiling_scheme_lists_the_schemes_in_the_scenarios_order_in_both_languages():
    tail = "  growth: {ceilings: {pemkabb: 5%}}\n"
    line = error_line(tail, "E-path-ceiling-scheme")
    assert line.endswith("which the scenario does not define; did you mean 'pemkab'? expected one of: dinsos, pemkab, desa, cukai "
                         "[E-path-ceiling-scheme]"), line
    line = error_line(tail, "E-path-ceiling-scheme", "id")
    assert "tidak didefinisikan skenario; maksud Anda 'pemkab'? seharusnya salah satu dari: dinsos, pemkab, desa, cukai" in line, line


def test_an_undefined_funding_lists_the_schemes_in_the_scenarios_order():
    done = invoke_ucj("validate", "-", input=BASE.replace("funding: dinsos}", "funding: dinsoss}"))
    assert "expected one of: dinsos, pemkab, desa, cukai [E-undefined-funding]" in done.output, done.output


@pytest.mark.smoke  # hash randomisation differs only between processes
def test_validate_json_is_the_same_bytes_whatever_the_hash_seed(tmp_path):
    scenario = tmp_path / "road.yaml"
    scenario.write_text(BASE + "  growth: {ceilings: {pemkabb: 5%}, employed: 1%}\n", encoding="utf-8")
    other = tmp_path / "funding.yaml"
    other.write_text(BASE.replace("funding: dinsos}", "funding: dinsoss}"), encoding="utf-8")
    runs = [run_ucj("validate", str(scenario), str(other), "-f", "json", env={"PYTHONHASHSEED": seed}) for seed in ("1", "2", "3")]
    assert all(done.returncode == 2 for done in runs), runs[0].output
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert '"dinsos",\n' in runs[0].stdout


# --- 5. the Indonesian decimal comma --------------------------------------------------------------

def test_a_quoted_decimal_comma_is_a_percentage_as_on_the_command_line():
    comma = path_json('  targets: {2026: "30,5%", 2028: "35,25%"}\n  growth: {employed: "1,5%", ceilings: {dinsos: "2,5%"}}\n')
    point = path_json('  targets: {2026: 30.5%, 2028: 35.25%}\n  growth: {employed: 1.5%, ceilings: {dinsos: 2.5%}}\n')
    assert comma["years"] == point["years"] and comma["total"] == point["total"]
    assert [(a["name"], a["value"]) for a in comma["assumptions"]] == [(a["name"], a["value"]) for a in point["assumptions"]]
    assert [year["target"] for year in comma["years"]][0] == pytest.approx(0.305)


@pytest.mark.parametrize("tail, where, what", [
    ("  targets: {2026: 30%, 2028: 43,92%}\n", "13:30", "path.targets.2028 '43,92%'"),
    ("  growth: {employed: 1,5%}\n", "13:22", "path.growth.employed '1,5%'"),
    ("  growth: {ceilings: {dinsos: 2,5%}}\n", "13:31", "path.growth.ceilings.dinsos '2,5%'"),
])
def test_an_unquoted_decimal_comma_is_one_located_error_with_the_fix(tail, where, what):
    line = error_line(tail, "E-path-decimal-comma")
    assert line.startswith(f"<stdin>:{where}: {what} was split at its decimal comma"), line
    assert "expected it quoted" in line and "or written with a point" in line, line
    assert "diberi tanda kutip" in error_line(tail, "E-path-decimal-comma", "id")


# --- 6. references wrap, never cut ----------------------------------------------------------------

@pytest.mark.parametrize("columns", [80, 120])
def test_the_assumptions_never_cut_a_reference(columns):
    done = invoke_ucj("path", BLITAR, "--quiet", columns=columns, cwd=ROOT)
    assert done.returncode == 0, done.output
    assert "…" not in done.stdout, done.stdout
    assert "rounded do…" not in done.stdout
