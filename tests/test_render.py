"""Reports people save, paste and print: both languages, narrow terminals, markdown, xlsx read back.

In-process through `invoke_ucj` (Typer's CliRunner), so the suite stays quick.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess

import openpyxl
import pytest

from conftest import FIXTURES, SCENARIOS, invoke_ucj, ucj_executable

BLITAR = str(SCENARIOS / "blitar-2025.yaml")
DRAFT = str(SCENARIOS / "blitar-2027-draft.yaml")
EXAMPLES = sorted(str(path) for path in SCENARIOS.glob("*.yaml"))
MONTHS_ID = "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des".split()


def figures(path: str) -> dict:
    return json.loads(invoke_ucj("simulate", path, "-f", "json").stdout)


def amount(value: int, lang: str) -> str:
    return f"{value:,}".replace(",", "." if lang == "id" else ",")


# --- golden sentences ---

def test_blitar_in_indonesian_reads_as_a_planner_writes():
    out = invoke_ucj("simulate", BLITAR, "--lang", "id").stdout
    assert re.search(r"^Total anggaran +Rp10\.926\.687\.600 \(10,93 miliar\)$", out, re.M)
    assert re.search(r"^Cakupan +187\.256 -> 212\.839 dari 712\.000 penduduk bekerja \(26,30% -> 29,89%\)$", out, re.M)
    header = next(line for line in out.splitlines() if "Kelompok peserta" in line and "Jan" in line)
    assert header.split()[-13:] == [*MONTHS_ID, "Total"]
    assert "catatan: 2 aturan di balik angka ini belum terverifikasi (bpu.jht, bpu.jkk)" in out


def test_blitar_in_english():
    out = invoke_ucj("simulate", BLITAR, "--lang", "en").stdout
    assert re.search(r"^Total budget +Rp 10,926,687,600 \(10\.93 billion\)$", out, re.M)
    assert "187,256 -> 212,839 of 712,000 employed (26.30% -> 29.89%)" in out


def test_json_and_csv_stay_english_in_indonesian_runs():
    """Keys, codes and values are the same in both languages; only a diagnostic's `message` (the
    sentence for a person) follows --lang."""
    assert invoke_ucj("simulate", BLITAR, "-f", "csv", "--lang", "id").stdout == invoke_ucj("simulate", BLITAR, "-f", "csv", "--lang", "en").stdout
    both = [json.loads(invoke_ucj("simulate", BLITAR, "-f", "json", "--lang", lang).stdout) for lang in ("id", "en")]
    for data in both:
        for item in data["diagnostics"]:
            item.pop("message")
    assert both[0] == both[1]


# --- every example, both languages, every width: no figure cut ---

@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("columns", [None, 20, 30, 60, 80])
def test_examples_never_cut_a_figure(lang, columns):
    for path in EXAMPLES:
        data = figures(path)
        out = invoke_ucj("simulate", path, "--lang", lang, columns=columns).stdout
        assert "\x1b[" not in out
        wanted = [data["total"], *(m["amount"] for m in data["by_month"] if m["amount"]), *(c["amount"] for c in data["cohorts"][:60])]
        wanted += [f["amount"] for f in data["by_funding"].values()]
        for value in wanted:
            assert re.search(rf"(?<![\d.,]){re.escape(amount(value, lang))}(?![\d.,]\d)", out), (path, columns, value)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("columns", [20, 30, 40])
def test_a_tiny_terminal_never_cuts_a_compared_figure(lang, columns):
    """Rich clamps a table to the terminal and cropped `507.612.000` to `507.612`: a wider table is
    printed wider and left to the terminal to wrap."""
    base, other = str(SCENARIOS / "blitar-2024.yaml"), str(SCENARIOS / "blitar-2025.yaml")
    data = json.loads(invoke_ucj("compare", base, other, "-f", "json").stdout)
    out = invoke_ucj("compare", base, other, "--lang", lang, "--no-chart", columns=columns).stdout
    assert len(data["lines"]) > 5
    for line in data["lines"]:
        for value in (line["base"], line["other"]):
            assert re.search(rf"(?<![\d.,]){re.escape(amount(value, lang))}(?![\d.,]\d)", out), (columns, value)


def test_no_color_means_no_escape_codes_even_on_a_forced_terminal():
    coloured = invoke_ucj("simulate", DRAFT, columns=80, env={"FORCE_COLOR": "1", "NO_COLOR": None}).stdout
    plain = invoke_ucj("simulate", DRAFT, columns=80, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" in coloured and "\x1b[" not in plain
    assert "1,310,400,000" in plain and "OVER" in plain


def test_the_2027_draft_reads_at_60_columns():
    out = invoke_ucj("simulate", DRAFT, columns=60).stdout
    lines = out.splitlines()
    assert len(lines) < 140  # was 398 lines and 13 month tables
    assert "Cohorts by month" not in out and "By month" in out
    assert max(len(line) for line in lines if "warning" not in line and "note" not in line) <= 60


def test_a_narrow_indonesian_summary_never_cuts_a_figure_or_a_name():
    what_if = str(SCENARIOS / "blitar-2027-what-if.yaml")
    out = invoke_ucj("simulate", what_if, "--lang", "id", columns=40).stdout
    summary = out.split("\n\n")[0]
    assert "…" not in summary and "Rp5.516.836.800" in summary and "Rp11.640.600" in summary
    assert {"pu.jp.employer", "pu.jp.worker", "economy.gdp_growth", "pu.jp_wage_cap"} <= set(re.findall(r"[a-z_]+\.[a-z_.]+", summary))
    assert max(len(line.rstrip()) for line in summary.splitlines()) <= 40


@pytest.mark.parametrize("lang, header", [("en", "Funding (Kind)"), ("id", "Sumber dana")])
def test_the_narrow_funding_table_keeps_the_kind(lang, header):
    out = invoke_ucj("simulate", BLITAR, "--lang", lang, columns=60).stdout
    funding = out[out.index(header):]
    assert re.search(r"^  dinsos \(apbd\) +\S", funding, re.M)
    assert all(re.search(rf"^  {key}\s+(\S+\s+)*?\({kind}\)", funding, re.M)
               for key, kind in (("dbhcht", "dbhcht"), ("apbdes", "apbdes"), ("mandiri", "self")))


def test_wide_output_is_one_table_and_diagnostics_are_never_wrapped():
    out = invoke_ucj("simulate", str(FIXTURES / "overrun.yaml")).stdout
    warning = next(line for line in out.splitlines() if "warning:" in line)
    assert re.search(r"needs Rp [\d,]+, over its ceiling of Rp [\d,]+ by Rp [\d,]+; expected", warning)
    assert out.count("Cohorts by month") == 1
    assert all(line == line.rstrip() for line in out.splitlines())


def test_notes_fold_into_one_line_and_quiet_drops_it():
    out = invoke_ucj("simulate", BLITAR).stdout
    notes = [line for line in out.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "ucj rules --unverified" in notes[0]
    assert "note:" not in invoke_ucj("simulate", BLITAR, "--quiet").stdout
    assert "note:" not in invoke_ucj("simulate", BLITAR, "-f", "csv", "-q").stderr


def test_empty_months_are_one_mark_everywhere():
    table = invoke_ucj("simulate", BLITAR).stdout
    row = next(line for line in table.splitlines() if line.lstrip().startswith("Nelayan"))
    assert row.split()[2:8] == ["-"] * 6
    markdown = invoke_ucj("simulate", BLITAR, "-f", "markdown").stdout
    row = next(line for line in markdown.splitlines() if line.startswith("| Nelayan"))
    assert [cell.strip() for cell in row.split("|")[3:9]] == ["-"] * 6


# --- markdown ---

def _named(tmp_path, name: str) -> str:
    """The rounding fixture with its one cohort renamed."""
    path = tmp_path / "named.yaml"
    path.write_text((FIXTURES / "rounding.yaml").read_text().replace("name: Honorer", f"name: {json.dumps(name)}"))
    return str(path)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_markdown_right_aligns_amounts_and_escapes_names(tmp_path, lang):
    path = _named(tmp_path, "a|b")
    out = invoke_ucj("simulate", path, "-f", "markdown", "--lang", lang).stdout
    assert "a\\|b" in out
    separator = next(line for line in out.splitlines() if line.startswith("|:-") and line.count("|") > 10)
    cells = separator.strip("|").split("|")
    assert cells[0].startswith(":") and all(cell.endswith(":") for cell in cells[1:])
    for path in EXAMPLES:
        assert invoke_ucj("simulate", path, "-f", "markdown", "--lang", lang).returncode == 0


# --- formats and suffixes ---

def test_a_format_that_contradicts_the_suffix_is_refused(tmp_path):
    target = tmp_path / "x.json"
    refused = invoke_ucj("simulate", BLITAR, "-f", "csv", "-o", str(target))
    assert refused.returncode == 2 and "does not match the suffix" in refused.stderr and not target.exists()
    assert invoke_ucj("simulate", BLITAR, "-f", "markdown", "-o", str(tmp_path / "r.txt")).returncode == 0


def test_help_shows_flags_without_types_and_formats_whole():
    out = invoke_ucj("simulate", "--help", columns=60).stdout
    assert "<bool>" not in out and "markdown" in out and "xlsx" in out
    assert re.search(r"--strict\s+Exit 1", out)


@pytest.mark.parametrize("command", ["simulate", "compare", "validate", "batch", "explain", "rules", "schema", "init"])
def test_help_reads_like_cli_help_without_python_types(command):
    out = invoke_ucj(command, "--help", columns=100).stdout
    assert not re.search(r"<\w|list\[|\{[A-Z]|\b(str|int)\b>", out), out
    indonesian = invoke_ucj(command, "--help", "--lang", "id", columns=100).stdout
    assert "[OPSI]" in indonesian and not re.search(r"\[(required|default:)|\[OPTIONS\]", indonesian), indonesian


def test_help_usage_lines_and_metavars():
    usages = {command: invoke_ucj(command, "--help", columns=100).stdout.splitlines()[0]
              for command in ("simulate", "compare", "validate", "init")}
    assert usages == {"simulate": "Usage: ucj simulate [OPTIONS] FILE", "compare": "Usage: ucj compare [OPTIONS] BASE [OTHER]",
                      "validate": "Usage: ucj validate [OPTIONS] PATH...", "init": "Usage: ucj init [OPTIONS] [FILE]"}
    compare = invoke_ucj("compare", "--help", columns=100).stdout
    assert re.search(r"--year YEAR ", compare) and re.search(r"--output PATH ", compare) and "--by [cohort|program|funding|month]" in compare
    assert "--out DIR " in invoke_ucj("batch", "--help", columns=100).stdout
    assert "[wajib]" in invoke_ucj("compare", "--help", "--lang", "id", columns=100).stdout


def test_csv_writes_formula_like_names_as_text(tmp_path):
    path = _named(tmp_path, "=1+2")
    rows = list(csv.DictReader(io.StringIO(invoke_ucj("simulate", path, "-f", "csv").stdout)))
    assert {row["cohort"] for row in rows} >= {"'=1+2"}
    assert json.loads(invoke_ucj("simulate", path, "-f", "json").stdout)["cohorts"][0]["name"] == "=1+2"


CSV_HOSTILE = """name: hostile
year: 2025
workforce: {employed: 1000, covered: 10}
funding:
  f: {name: F, kind: apbd}
cohorts:
  - name: "\\e[31mRED\\e[0m\\nfake.yaml:1:1: error"
    sector: "=HYPERLINK(1)"
    workers: 5
    category: bpu
    income: 1_000_000
    funding: f
  - name: "@SUM(1)"
    sector: "+1"
    workers: 5
    category: bpu
    income: 1_000_000
    funding: f
"""


def test_csv_guards_every_text_cell_against_formulas_and_control_characters(tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(CSV_HOSTILE)
    text = invoke_ucj("simulate", str(path), "-f", "csv").stdout
    assert "\x1b" not in text and "\r" not in text and len(text.splitlines()) == 1 + 2 * 2 * 12
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(row["cohort"], row["sector"]) for row in rows} == {
        ("\\x1b[31mRED\\x1b[0m\\nfake.yaml:1:1: error", "'=HYPERLINK(1)"), ("'@SUM(1)", "'+1")}
    compared = list(csv.DictReader(io.StringIO(invoke_ucj("compare", str(path), str(path), "-f", "csv").stdout)))
    assert {row["key"] for row in compared} >= {"'@SUM(1)", "\\x1b[31mRED\\x1b[0m\\nfake.yaml:1:1: error"}


def test_rules_csv_writes_lists_as_semicolon_separated_codes():
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(invoke_ucj("rules", "-f", "csv", "--on", "2026-06").stdout))}
    assert rows["bpu.relief.full_rate_payers"]["value"] == "apbn;apbd;dbhcht"


# --- xlsx ---

def _workbook(path: str, tmp_path, lang: str = "en", name: str = "r.xlsx"):
    target = tmp_path / name
    result = invoke_ucj("simulate", path, "-o", str(target), "--lang", lang)
    assert result.returncode == 0, result.stderr
    return target


@pytest.mark.parametrize("lang", ["id", "en"])
def test_xlsx_cached_values_are_ucj_figures_and_formulas_are_live(tmp_path, lang):
    for number, path in enumerate(EXAMPLES):
        data = figures(path)
        target = _workbook(path, tmp_path, lang, f"{number}.xlsx")
        values = openpyxl.load_workbook(target, data_only=True)
        formulas = openpyxl.load_workbook(target)
        summary, months, lines, rules, _, *notes = values.worksheets  # the RKA sheet: tests/test_rka.py; Notes when there are any
        assert [sheet.title for sheet in values.worksheets] == (
            ["Ringkasan", "Per bulan", "Rincian", "Aturan", "RKA"] if lang == "id" else ["Summary", "By month", "Lines", "Rules", "RKA"]) + (
            (["Catatan"] if lang == "id" else ["Notes"]) if data["diagnostics"] else [])
        month_rows = list(months.iter_rows(min_row=2, values_only=True))
        assert [row[15] for row in month_rows[:-1]] == [c["amount"] for c in data["cohorts"]]
        assert [list(row[3:15]) for row in month_rows[:-1]] == [
            [m for m in _cohort_months(c, data)] for c in data["cohorts"]]
        assert list(month_rows[-1][3:16]) == [*(m["amount"] for m in data["by_month"]), data["total"]]
        line_rows = list(lines.iter_rows(min_row=2, values_only=True))
        assert sum(row[10] for row in line_rows) == data["total"]
        assert all(row[10] == row[8] * row[9] for row in line_rows)
        assert {(row[1].year, row[1].month) for row in line_rows} <= {(data["year"], month) for month in range(1, 13)}
        live = formulas.worksheets[2]
        assert live["K2"].value == "=I2*J2" and live["J2"].value.startswith("=")
        assert formulas.worksheets[1].cell(len(month_rows) + 1, 16).value.startswith("=SUM(")
        table = list(summary.iter_rows(values_only=True))
        assert any(row[1] == data["total"] for row in table if row[0] in ("Total budget", "Total anggaran"))
        funding = {row[0]: row[3] for row in table if row[0] in data["by_funding"]}
        assert funding == {key: item["amount"] for key, item in data["by_funding"].items()}
        assert {row[0] for row in rules.iter_rows(min_row=2, values_only=True)} == {r["name"] for r in data["rules_applied"]}
        assert months.freeze_panes == "B2" and lines.auto_filter.ref and lines.print_title_rows == "$1:$1"


def _cohort_months(cohort: dict, data: dict) -> list[int]:
    """A cohort's amount per calendar month from the JSON: per person x workers where every worker
    is priced alike, and always its `by_month`."""
    if cohort["per_person_by_month"] is not None:
        assert cohort["by_month"] == [per_person * cohort["workers"] for per_person in cohort["per_person_by_month"]]
    return cohort["by_month"]


def test_xlsx_writes_formula_like_names_as_strings_and_reruns_give_the_same_bytes(tmp_path):
    path = _named(tmp_path, "=1+2")
    first, second = _workbook(path, tmp_path, name="a.xlsx"), _workbook(path, tmp_path, name="b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    sheet = openpyxl.load_workbook(first).worksheets[1]
    assert sheet["A2"].value == "=1+2" and sheet["A2"].data_type == "s"


def test_xlsx_to_a_pipe_is_the_workbook_bytes():
    out = invoke_ucj("simulate", BLITAR, "-f", "xlsx", binary=True)
    assert out.returncode == 0 and out.stdout.startswith(b"PK")


def test_compare_xlsx_and_the_year_header(tmp_path):
    text = invoke_ucj("compare", BLITAR, "--year", "2025", "--year", "2026").stdout
    assert "priced under 2026 rules" in text and "priced under 2025 rules" in text
    assert "Pembanding: Kabupaten Blitar - UCJ 2025, dihitung dengan aturan 2026;" in invoke_ucj(
        "compare", BLITAR, "--year", "2025", "--year", "2026", "--lang", "id").stdout
    data = json.loads(invoke_ucj("compare", str(SCENARIOS / "blitar-2024.yaml"), BLITAR, "-f", "json").stdout)
    target = tmp_path / "c.xlsx"
    assert invoke_ucj("compare", str(SCENARIOS / "blitar-2024.yaml"), BLITAR, "-o", str(target), "--lang", "id").returncode == 0
    book = openpyxl.load_workbook(target, data_only=True)
    table, causes = book.worksheets
    rows = [row for row in table.iter_rows(values_only=True) if row[0] is not None and isinstance(row[1], int)]
    assert [row[5] for row in rows[:-1]] == [line["diff"] for line in data["lines"]]
    assert rows[-1][1:6] == (data["total"]["workers_base"], data["total"]["workers_other"], data["total"]["base"], data["total"]["other"],
                             data["total"]["diff"])
    cause_rows = list(causes.iter_rows(min_row=2, values_only=True))
    assert cause_rows[-1][1] == data["total"]["diff"] == sum(row[1] for row in cause_rows[:-1])
    assert openpyxl.load_workbook(target).worksheets[0].cell(5, 6).value.startswith("=")


def test_batch_xlsx_warnings_and_summary(tmp_path):
    out = tmp_path / "out"
    result = invoke_ucj("batch", DRAFT, BLITAR, "--out", str(out), "-f", "xlsx")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".ucj-written.json", "blitar-2025.xlsx", "blitar-2027-draft.xlsx", "summary.json"]
    summary = json.loads((out / "summary.json").read_text())
    draft = next(entry for entry in summary["results"] if entry["file"] == DRAFT)
    assert draft["warnings"] == 3 and sum(d["severity"] == "warning" for d in draft["diagnostics"]) == 3
    assert result.stderr.count("warning:") == 3 and "pu.jp_wage_cap" in result.stderr
    row = next(line for line in result.stdout.splitlines() if "2027" in line)
    assert row.split()[-1] == "3"


def test_batch_interrupted_says_so_in_one_line(tmp_path, monkeypatch):
    import ucj_cli.cli.batch_runner

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
        yield  # a generator, like run_all

    monkeypatch.setattr(ucj_cli.cli.batch_runner, "run_all", interrupted)
    result = invoke_ucj("batch", BLITAR, "--out", str(tmp_path / "out"))
    assert result.returncode == 130
    assert result.stderr.strip().count("\n") == 0 and "interrupted" in result.stderr


@pytest.mark.smoke  # a closed pipe needs a real process
def test_a_closed_pipe_ends_quietly_like_cat(tmp_path):
    big = tmp_path / "big.yaml"  # more CSV than a pipe holds, so the write meets the closed pipe
    cohort = "  - {name: C%d, workers: 3, category: pu, income: 1_234_375, funding: apbd}\n"
    big.write_text((FIXTURES / "rounding.yaml").read_text().split("cohorts:")[0] + "cohorts:\n" + "".join(cohort % n for n in range(400)))
    done = subprocess.run(f"'{ucj_executable()}' simulate '{big}' -f csv -q | head -1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
                          shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=60)
    assert done.stderr == "" and done.stdout.strip() == "141"


PART_YEAR = str(FIXTURES / "part-year.yaml")


@pytest.mark.parametrize("by", ["district", "village"])
def test_months_without_contributions_by_place_are_a_dash_in_text_and_a_number_in_data(by):
    table = invoke_ucj("simulate", PART_YEAR, "--by", by).stdout
    rows = [line.split() for line in table.splitlines() if "000 " in line]  # the places' rows and the total
    assert rows and all("0" not in row[-13:-1] for row in rows) and all("-" in row[-13:-1] for row in rows)
    markdown = invoke_ucj("simulate", PART_YEAR, "--by", by, "-f", "markdown").stdout
    assert "| - |" in markdown and "| **-** |" in markdown
    csv = invoke_ucj("simulate", PART_YEAR, "--by", by, "-f", "csv").stdout
    assert ",0," in csv
