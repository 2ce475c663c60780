"""Issue 22 tried again by a hostile user, after the fixes: each numbered item 1-13 as the issue
states it, its variants, and the same hostile inputs on the newer commands (`path`, `plan`,
`compare`, `explain`, `rules`, `init`) and under `--lang id`.

Each item names the test that already covers it (most are in test_robust.py) and adds what that
test leaves out. A defect still open is a test marked `xfail(strict=True)` with the command, what it
does and what it should do: it starts to pass, and so fails, the day it is fixed."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import CSV_2025, SCENARIOS, broken_links, invoke_ucj, signal_during_workbook, tmpfs_script, ucj_executable

BLITAR = str(SCENARIOS / "blitar-2025.yaml")
ROAD = str(SCENARIOS / "blitar-path-2025-2029.yaml")
DESA = str(SCENARIOS / "blitar-2025-desa.yaml")
HOSTILE = SCENARIOS.parent / "tests" / "hostile"
NO_TMPFS = "cannot mount a tmpfs here (no `unshare -rm`: user namespaces are not allowed)"
BAD = os.fsdecode(b"bad\xff\xfe")  # a file name that is not UTF-8
EVIL = "e\x1b[31mX\u202e\u200b\u200d\u2060\ufeff\nN"  # ESC, a bidi override, zero-width characters, a newline
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def _shell(script: str, cwd=None) -> subprocess.CompletedProcess:
    names = {"UCJ": ucj_executable(), "IN": BLITAR, "ROAD": ROAD, "OLD": str(SCENARIOS / "blitar-2024.yaml")}
    return subprocess.run(["sh", "-c", script], capture_output=True, timeout=120, cwd=cwd, env={**os.environ, **names})


# --- 1. a nearly full disk under PYTHONUNBUFFERED=1 ------------------------------------------------
# Covered: test_robust.py::test_a_nearly_full_disk_under_pythonunbuffered_is_exit_3_not_a_cut_file
# (simulate -f csv, schema, -f xlsx -o -), ::test_short_writes_to_stdout_are_finished,
# ::test_a_stdout_that_stops_taking_bytes_is_a_full_disk. Added: the newer commands' standard output.

@pytest.mark.smoke
def test_the_newer_commands_into_a_nearly_full_disk_are_exit_3_not_a_cut_file():
    done = tmpfs_script(f'ROAD="{ROAD}"; OLD="{SCENARIOS / "blitar-2024.yaml"}"; '
                        'head -c 20000 /dev/zero >> small/fill; '  # 4 KiB left: less than any of these results
                        'for c in "path $ROAD -q -f json" "plan $IN -q -f json" "compare $OLD $IN -q -f xlsx -o -"; '
                        'do "$UCJ" $c > small/r.out; echo "$? $(wc -c < small/r.out)"; rm small/r.out; done')
    if done is None:
        pytest.skip(NO_TMPFS)
    assert done.stdout.decode().splitlines() == ["3 4096"] * 3, done.stderr.decode()
    assert done.stderr.decode().count("<stdout>:1:1: the disk is full") == 3


# --- 2. batch never writes over, nor removes, one of its own inputs -------------------------------
# Covered: test_robust.py::test_batch_refuses_to_write_over_a_csv_a_scenario_reads,
# ::test_batch_refuses_to_write_over_a_scenario_it_reads_through_a_link.

def test_batch_never_removes_the_village_list_of_a_scenario_it_cannot_read(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    villages = "village,district,workers\nA,B,5\n"
    (tmp_path / "out" / "v.csv").write_text(villages)  # an earlier batch's result, since replaced by a village list
    (tmp_path / "out" / ".ucj-written.json").write_text('["summary.json", "v.csv"]')
    broken = CSV_2025.replace("from_csv: v.csv", "from_csv: ../out/v.csv").replace("year: 2025", "year: [2025")
    (tmp_path / "in" / "v.yaml").write_text(broken)  # one typo: the scenario no longer reads as YAML
    done = invoke_ucj("batch", "in/v.yaml", "--out", "out", "-f", "csv", "-q", cwd=tmp_path)
    assert done.returncode == 1 and "[E-invalid-yaml]" in done.stderr
    assert (tmp_path / "out" / "v.csv").read_text() == villages
    kept = [line for line in done.stderr.splitlines() if line.endswith("[W-batch-result-kept]")]
    assert len(kept) == 1 and kept[0].startswith("out/v.csv:1:1: warning: the result 'v.csv' of a scenario that failed is kept")


def test_batch_replaces_or_removes_only_a_result_still_as_it_wrote_it(tmp_path):
    """The manifest records what each result was (its SHA-256), not only its name: a result saved
    over since, by hand or by a script, is someone else's file now."""
    (tmp_path / "in").mkdir()
    scenario = (SCENARIOS / "blitar-2025.yaml").read_text()
    (tmp_path / "in" / "a.yaml").write_text(scenario)
    (tmp_path / "in" / "b.yaml").write_text(scenario)
    first = invoke_ucj("batch", "in", "--out", "out", "-q", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    written = json.loads((tmp_path / "out" / ".ucj-written.json").read_text())
    assert sorted(written) == ["a.json", "b.json", "summary.json"] and all(re.fullmatch("[0-9a-f]{64}", v) for v in written.values())
    (tmp_path / "out" / "a.json").write_text("my notes\n")  # saved over a result
    (tmp_path / "out" / "b.json").write_text("more notes\n")
    (tmp_path / "in" / "b.yaml").write_text("name: [\n")  # b's scenario now broken
    again = invoke_ucj("batch", "in", "--out", "out", "-q", cwd=tmp_path)
    assert again.returncode == 1
    assert (tmp_path / "out" / "a.json").read_text() == "my notes\n" and (tmp_path / "out" / "b.json").read_text() == "more notes\n"
    assert "'a.json' in the output folder was not written by ucj" in again.stderr and "[W-batch-result-kept]" in again.stderr
    assert sorted(json.loads((tmp_path / "out" / ".ucj-written.json").read_text())) == ["summary.json"]  # forgotten: not ucj's
    twice = invoke_ucj("batch", "in", "--out", "out", "-q", cwd=tmp_path)  # and stays so
    assert (tmp_path / "out" / "a.json").read_text() == "my notes\n" and "[E-output-foreign]" in twice.stderr


# --- 3. two batches into one folder ---------------------------------------------------------------
# Covered: test_robust.py::test_two_batches_at_once_keep_every_record (two real processes),
# ::test_a_second_batch_waits_for_the_folder_lock. Tried by hand with three at once, 20 files each
# and --jobs 2: 61 files, 61 records, each run refreshable afterwards. Nothing to add.


# --- 4. a CSV cell past the csv module's field limit ----------------------------------------------
# Covered: test_robust.py::test_a_cell_past_the_field_limit_is_a_located_error_and_the_batch_goes_on
# (simulate, batch). Added: the cell in a header, quoted, with ';', in every command that reads CSV.

LONG = "x" * 140_000


@pytest.mark.parametrize("rows, where", [
    (f"village,district,workers{LONG}\nA,B,5\n", "1:3"),
    (f'village,district,workers\nA,B,5\n"C{LONG}\n', "3:1"),
    (f"village;district;workers\nA;B;5\nC;D;{LONG}\n", "3:3"),
])
@pytest.mark.parametrize("command", [["validate"], ["explain"], ["plan"], ["compare", "--baseline"], ["simulate", "--by", "village"]])
def test_a_cell_past_the_field_limit_is_located_in_every_command(tmp_path, rows, where, command):
    (tmp_path / "v.csv").write_text(rows)
    (tmp_path / "s.yaml").write_text(CSV_2025)
    done = invoke_ucj(command[0], "s.yaml", *command[1:], cwd=tmp_path)
    line = f"v.csv:{where}: the cell is longer than 131,072 characters; expected a village or district name, or a number (is a closing quote missing?) [E-csv-cell-too-long]"
    assert done.returncode == 2 and line in done.output.splitlines(), done.output


def test_a_cell_past_the_field_limit_in_a_road_and_in_indonesian(tmp_path):
    (tmp_path / "v.csv").write_text(f"village,district,workers\nA,B,5\nC,{LONG},3\n")
    (tmp_path / "s.yaml").write_text(CSV_2025 + "path:\n  through: 2026\n  targets: {2026: 5%}\n")
    done = invoke_ucj("path", "s.yaml", "--lang", "id", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr == ("v.csv:3:2: sel lebih panjang dari 131.072 karakter; seharusnya nama desa atau "
                                                    "kecamatan, atau angka (apakah tanda kutip penutup hilang?) [E-csv-cell-too-long]\n")


# --- 5. file names that are not UTF-8 -------------------------------------------------------------
# Covered: test_robust.py::test_file_names_that_are_not_utf8_are_shown_escaped (simulate -o,
# -f xlsx, batch, validate). Added: the newer commands, which wrote `E-write-unfaithful (please
# report this)` for `plan -w` and `path -w` from such a scenario (fixed: the written file's comment
# names it escaped), and `init --villages`.

@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_the_newer_commands_read_and_write_files_whose_names_are_not_utf8(tmp_path):
    shutil.copy(BLITAR, tmp_path / f"{BAD}.yaml")
    shutil.copy(ROAD, tmp_path / f"{BAD}p.yaml")
    runs = {
        "plan": ["plan", f"{BAD}.yaml", "-q", "-o", f"{BAD}.json", "-w", f"{BAD}-plan.yaml"],
        "path": ["path", f"{BAD}p.yaml", "-q", "-o", f"{BAD}.xlsx", "-w", BAD],
        "compare": ["compare", f"{BAD}.yaml", f"{BAD}p.yaml", "-q", "-o", f"{BAD}-c.csv"],
        "explain": ["explain", f"{BAD}.yaml", "-q", "-o", f"{BAD}.md"],
        "rules": ["rules", "-o", f"{BAD}-r.csv"],
        "init": ["init", f"{BAD}-i.yaml", "-r", "35.05"],
    }
    for what, args in runs.items():
        done = invoke_ucj(*args, cwd=tmp_path)
        assert done.returncode == 0, (what, done.output)
        assert "bad\\xff\\xfe" in done.stderr and BAD not in done.stderr, (what, done.stderr)
    assert (tmp_path / f"{BAD}-plan.yaml").read_text(errors="surrogateescape").startswith(
        "# ucj plan: written by `ucj plan` from bad\\xff\\xfe.yaml;")
    again = invoke_ucj("simulate", f"{BAD}-plan.yaml", "-q", "-f", "json", cwd=tmp_path)
    assert again.returncode == 0 and json.loads(again.stdout)["total"] == json.loads((tmp_path / f"{BAD}.json").read_text())["total"]
    assert sorted(p.name for p in (tmp_path / BAD).iterdir()) == [f"{BAD}p-{year}.yaml" for year in range(2025, 2030)]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_init_with_a_village_list_whose_name_is_not_utf8_is_one_line_and_writes_nothing(tmp_path):
    done = invoke_ucj("init", "s.yaml", "-r", "35.05", "--villages", f"{BAD}.csv", cwd=tmp_path)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1 and "bad\\xff\\xfe.csv" in done.stderr
    assert sorted(os.listdir(tmp_path)) == []


# --- 6. a closed standard output (and input) ------------------------------------------------------
# Covered: test_robust.py::test_a_closed_stdout_is_one_line_and_exit_3 (simulate -f json,
# validate, schema), ::test_a_closed_stdout_does_not_stop_a_result_written_to_a_file.

@pytest.mark.smoke
def test_a_closed_stdout_in_the_newer_commands_is_one_line_and_exit_3(tmp_path):
    done = _shell('for c in "path $ROAD -q -f csv" "plan $IN -q" "compare $OLD $IN -q" "explain $IN -q"; '
                  'do "$UCJ" $c >&- 2>err; echo "$? $(wc -l < err) $(tail -c 21 err)"; done', cwd=tmp_path)
    assert done.stdout.decode().splitlines() == ["3 1 [E-output-no-stdout]"] * 4


@pytest.mark.smoke
def test_a_closed_stdin_is_one_line_and_exit_2():
    done = _shell('"$UCJ" simulate - -f json <&-')
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert re.fullmatch(rb"<stdin>:1:1: [^\n]+ \[E-input-no-stdin\]\n", done.stderr), done.stderr


@pytest.mark.smoke
def test_a_closed_stdin_in_every_command_that_reads_one_is_a_located_line(tmp_path):
    line = b"<stdin>:1:1: standard input is closed, so no scenario could be read from `-`"
    for command in ("path -", "plan -", "explain -", "compare --baseline -", "compare - $IN"):
        done = _shell(f'"$UCJ" {command} <&-', cwd=tmp_path)
        assert done.returncode == 2 and done.stderr.startswith(line) and done.stderr.count(b"\n") == 1, (command, done.stderr)
    for command, code in (("validate -", 2), ("batch - --out out -q", 1)):  # a broken file among others: counted, the run goes on
        done = _shell(f'"$UCJ" {command} <&-', cwd=tmp_path)
        assert done.returncode == code and line in done.stdout + done.stderr and b"Traceback" not in done.stderr, (command, done.stderr)


# --- 7. one CSV writer for every CSV path ---------------------------------------------------------
# Covered: test_robust.py::test_every_csv_path_neutralises_the_same_hostile_names (simulate csv,
# rka-csv, --by village, --by district, compare csv by cohort), ::test_batch_csv_and_rules_csv_go_
# through_the_same_writer. Added: path csv, compare by program/funding/month and by year, in both
# languages, and `init --villages`.

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _assert_safe_csv(text: str, what: str) -> None:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) > 1 and all(len(row) == len(rows[0]) for row in rows), what
    for cell in (cell for row in rows for cell in row):
        assert not RAW.search(cell), f"{what}: raw control in {cell!r}"
        assert not cell.startswith(FORMULA_PREFIXES) or re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cell), f"{what}: formula {cell!r}"


SET = ["--baseline", "--set", "bpu.jkm@2025-01=7000"]
MORE_CSV_PATHS = {
    "path csv": ["path", "road.yaml", "-q", "-f", "csv"],
    "compare by program": ["compare", "hostile.yaml", *SET, "-f", "csv", "--by", "program"],
    "compare by funding": ["compare", "hostile.yaml", *SET, "-f", "csv", "--by", "funding"],
    "compare by month": ["compare", "hostile.yaml", *SET, "-f", "csv", "--by", "month"],
    "compare two years": ["compare", "hostile.yaml", "-y", "2025", "-y", "2026", "-q", "-f", "csv"],
}


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("what", MORE_CSV_PATHS)
def test_the_other_csv_paths_neutralise_the_same_hostile_names(what, lang, tmp_path):
    for name in ("hostile.yaml", "v.csv"):
        shutil.copy(HOSTILE / name, tmp_path / name)
    (tmp_path / "road.yaml").write_text((HOSTILE / "hostile.yaml").read_text() + "path:\n  through: 2026\n  targets: {2026: 1%}\n")
    done = invoke_ucj(*MORE_CSV_PATHS[what], "--lang", lang, cwd=tmp_path)
    assert done.returncode == 0, done.output
    _assert_safe_csv(done.stdout, what)
    if what in ("path csv", "compare two years"):  # by cohort: the hostile cohort names are there, neutralised
        assert "'=1+1" in done.stdout and "'+cmd|' /C calc'!A0" in done.stdout and "tab\\there\\rcr\\x1b[0m\\u202e\\u200b" in done.stdout


def test_the_village_list_of_init_goes_through_the_same_writer(tmp_path, monkeypatch):
    from ucj_cli import regions

    hostile = [(regions.Region("35.05.01", "@D\x1b[31m"), regions.Region("35.05.01.2001", "=1+1\r\nx\u202e"))]
    monkeypatch.setattr(regions, "villages", lambda code: hostile)  # the shipped names are plain: make them hostile
    done = invoke_ucj("init", "s.yaml", "-r", "35.05", "--villages", "v.csv", cwd=tmp_path)
    assert done.returncode == 0, done.output
    text = (tmp_path / "v.csv").read_text()
    assert text == "code,village,district,workers\n35.05.01.2001,'=1+1\\r\\nx\\u202e,'@D\\x1b[31m,\n"
    _assert_safe_csv(text, "init --villages")


# --- 8. a sheet past Excel's rows -----------------------------------------------------------------
# Covered: test_robust.py::test_a_sheet_past_excels_rows_is_refused_before_writing (Lines, By
# village). Tried for real: 1,048,576 villages are refused (E-xlsx-too-many-rows), after 105 s and
# 2.6 GB (the RKA by village is built before the rows are counted; `-f csv` of it: 12 s, 117 MB).

def test_the_rka_by_village_sheet_past_excels_rows_goes_on_over_sheets(monkeypatch, tmp_path):
    """Chosen over a refusal (the issue allows either): the form by village goes on in
    `RKA by village (2)`, ... and its item lines still add up to the budget (also
    test_xlsx_fast.py::test_village_rka_goes_on_over_sheets, on the library)."""
    openpyxl = pytest.importorskip("openpyxl")
    from ucj_cli.render import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 600)  # Lines (61 rows) and By village (498) fit; RKA by village (2,730) does not
    done = invoke_ucj("simulate", DESA, "-q", "--by", "village", "-o", str(tmp_path / "v.xlsx"))
    assert done.returncode == 0, done.output
    values = openpyxl.load_workbook(tmp_path / "v.xlsx", data_only=True)
    parts = [name for name in values.sheetnames if name.startswith("RKA by village")]
    assert parts[:2] == ["RKA by village", "RKA by village (2)"] and all(values[name].max_row <= 600 for name in parts), parts
    lines = [(row[6], row[7]) for name in parts for row in values[name].iter_rows(min_row=2, values_only=True)]
    budget = json.loads(invoke_ucj("simulate", DESA, "-q", "-f", "json").stdout)["total"]
    assert sum(amount for amount, people in lines if isinstance(people, int) and people > 0) == budget
    assert values[parts[-1]].cell(values[parts[-1]].max_row, 7).value == budget


def test_a_village_workbook_past_excels_rows_is_refused_before_each_village_rka_is_made(monkeypatch, tmp_path):
    """Tried for real: 1,048,576 villages were refused only after 105 s and 2.6 GB spent on the RKA of
    every village; the rows are counted first now."""
    from ucj_cli import api
    from ucj_cli.render import xlsx

    made = _counted(monkeypatch, api)
    monkeypatch.setattr(xlsx, "MAX_ROWS", 300)  # Lines (61 rows) fits; By village (498) does not
    done = invoke_ucj("simulate", DESA, "-q", "--by", "village", "-o", str(tmp_path / "v.xlsx"))
    assert done.returncode == 2 and not (tmp_path / "v.xlsx").exists() and made == []
    assert "the sheet By village would need 498 rows, more than the 300 a worksheet holds" in done.stderr


def _counted(monkeypatch, api) -> list:
    """Each time the workbook asks `api.places_with_rka` for the RKA of each village."""
    made, real = [], api.places_with_rka

    def counted(result):
        budget, villages = real(result)
        return budget, lambda: made.append(result) or villages()

    monkeypatch.setattr(api, "places_with_rka", counted)
    return made


def test_a_village_workbook_still_makes_each_village_rka_once(monkeypatch, tmp_path):
    from ucj_cli import api

    made = _counted(monkeypatch, api)
    done = invoke_ucj("simulate", DESA, "-q", "--by", "village", "-o", str(tmp_path / "v.xlsx"))
    assert done.returncode == 0 and len(made) == 1
    import openpyxl

    assert any(name.startswith("RKA by village") for name in openpyxl.load_workbook(tmp_path / "v.xlsx", read_only=True).sheetnames)


# --- 9. no figure past what a spreadsheet shows exactly -------------------------------------------
# Covered: test_robust.py::test_a_budget_past_15_digits_is_refused (simulate; checked by hand in
# json, csv, table, xlsx, markdown, rka, rka-csv, validate, and a plan or path that grows a cohort
# past it: refused at the cohort).

ROAD_HEAD = "name: Road\nyear: 2025\nworkforce: {employed: 1_000_000_000, covered: 10}\n"
TWO_YEARS = "path:\n  through: 2026\n  targets: {2026: 0.0001%}\n"
PAST_15_DIGITS = {  # each year's budget is within the bound; the road is not
    "cumulative cost": ROAD_HEAD + "funding:\n  apbd: {name: APBD, kind: apbd}\ncohorts:\n"
                       "  - {name: Huge, category: pu, income: 9_876_543_211, funding: apbd, workers: 1_543_207, max_workers: 1_543_207}\n" + TWO_YEARS,
    "grown ceiling": ROAD_HEAD + "funding:\n  apbd: {name: APBD, kind: apbd, ceiling: 987_654_321_987_654}\ncohorts:\n"
                     "  - {name: A, category: bpu, income: 1_000_000, funding: apbd, workers: 5, max_workers: 5}\n"
                     + TWO_YEARS + "  growth: {ceilings: {apbd: 50%}}\n",
}


@pytest.mark.parametrize("what", PAST_15_DIGITS)
def test_a_road_past_15_digits_is_refused(what):
    done = invoke_ucj("path", "-", "-q", "-f", "json", input=PAST_15_DIGITS[what])
    assert done.returncode == 2 and done.stdout == "", done.stdout[:300]
    code = {"cumulative cost": "E-path-total-too-large", "grown ceiling": "E-path-ceiling-too-large"}[what]
    line = PAST_15_DIGITS[what].splitlines().index("  through: 2026") + 1  # at the path: section
    assert re.fullmatch(rf"<stdin>:{line}:3: [^\n]+ \[{code}\]\n", done.stderr), done.stderr


def test_a_plan_budget_past_what_a_ceiling_may_be_is_refused():
    done = invoke_ucj("plan", BLITAR, "-q", "-f", "json", "-B", "dinsos=99999999999999999999")
    assert done.returncode == 2 and done.stdout == "" and done.stderr == (
        "ucj: --budget for funding 'dinsos' is Rp 99,999,999,999,999,999,999, too large; expected at most "
        "Rp 1,000,000,000,000,000, as a scenario's ceiling [E-plan-budget-too-large]\n")
    grouped = invoke_ucj("plan", BLITAR, "-q", "-f", "json", "-B", "dinsos=Rp1.000.000.000.000.001")
    assert grouped.returncode == 2 and "[E-plan-budget-too-large]" in grouped.stderr


def test_a_plan_budget_at_what_a_ceiling_may_be_is_planned_and_written(tmp_path):
    done = invoke_ucj("plan", BLITAR, "-q", "-f", "json", "-B", "dinsos=1_000_000_000_000_000", "-w", str(tmp_path / "p.yaml"))
    assert done.returncode == 0, done.stderr


def test_a_plan_budget_of_thousands_of_digits_is_one_line():
    done = invoke_ucj("plan", BLITAR, "-q", "-B", "dinsos=" + "9" * 5000)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1 and "[E-plan-budget-too-large]" in done.stderr
    assert "is a 5,000-digit number, too large" in done.stderr
    padded = invoke_ucj("plan", BLITAR, "-q", "-f", "json", "-B", "dinsos=" + "0" * 5000 + "7")  # leading zeros: a small amount
    assert padded.returncode == 0 and json.loads(padded.stdout), padded.stderr


# --- 10. temporary files --------------------------------------------------------------------------
# Covered: test_robust.py::test_stale_temporary_files_of_a_killed_run_are_removed_by_the_next
# (kill -9 then the next run: also tried for real on a 1,048,576-village CSV, 42 MB `.tmp` swept by
# the next run writing that file), ::test_ctrl_c_or_sigterm_during_a_workbook_leaves_no_temporary_
# files, ::test_a_full_temporary_folder_names_it_and_leaves_nothing (simulate -f xlsx).

@pytest.mark.smoke
def test_a_full_temporary_folder_under_a_road_workbook_names_it_and_leaves_nothing():
    done = tmpfs_script(f'ROAD="{ROAD}"; head -c 20000 /dev/zero >> small/fill; '
                        'TMPDIR="$PWD/small" "$UCJ" path "$ROAD" -q -o out.xlsx 2>err; echo "$? $(wc -l < err)"; '
                        'ls -A small; test -e out.xlsx && echo written; cat err')
    if done is None:
        pytest.skip(NO_TMPFS)
    lines = done.stdout.decode().splitlines()
    assert lines[:2] == ["3 1", "fill"] and len(lines) == 3, done.stdout.decode()
    assert "/small/ucj-" in lines[2] and lines[2].endswith("[E-output-full]") and "<stdout>" not in lines[2]


@pytest.mark.smoke
def test_a_full_temporary_folder_under_a_comparison_workbook_is_one_line():
    done = tmpfs_script(f'OLD="{SCENARIOS / "blitar-2024.yaml"}"; head -c 20000 /dev/zero >> small/fill; '
                        'TMPDIR="$PWD/small" "$UCJ" compare "$OLD" "$IN" -q -o out.xlsx; echo "$?"; ls -A small')
    if done is None:
        pytest.skip(NO_TMPFS)
    assert done.stdout.decode().splitlines() == ["3", "fill"]
    error = done.stderr.decode()
    assert len(error.splitlines()) == 1 and error.rstrip().endswith("[E-output-full]"), error


@pytest.mark.smoke
@pytest.mark.parametrize("number", [signal.SIGHUP, signal.SIGQUIT, signal.SIGPIPE, signal.SIGUSR1])
def test_a_hangup_or_other_ending_signal_during_a_workbook_leaves_no_temporary_files(tmp_path, number):
    """SIGHUP: the terminal closed, an ssh session dropped; the others end a process as surely."""
    run, temporary = signal_during_workbook(tmp_path, number)
    assert list(temporary.iterdir()) == [] and "Traceback" not in run.stderr.read().decode()
    assert run.returncode in (128 + number, 0)  # 0: the signal came after the run (the workbook takes ~0.1 s)


def _reading(pid: int) -> bool:
    """The process is asleep in read(2) (x86-64 and arm64 number it 0 and 63), not still importing;
    True where /proc does not say (the handlers being in place is then all the test knows)."""
    try:
        call = open(f"/proc/{pid}/syscall").read().split()[0]
    except (OSError, IndexError):
        return True
    return call in ("0", "63")


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc to know when ucj's handlers are in place")
@pytest.mark.parametrize("number", [signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGTERM])
def test_a_signal_that_ends_a_run_exits_128_plus_its_number(number):
    run = subprocess.Popen([ucj_executable(), "simulate", "-", "-q"], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the handlers in place, and the run blocked reading its standard input
        caught = next(line for line in open(f"/proc/{run.pid}/status") if line.startswith("SigCgt:"))
        if int(caught.split()[1], 16) >> (number - 1) & 1 and _reading(run.pid):
            break
        time.sleep(0.01)
    run.send_signal(number)
    assert run.wait(30) == 128 + number and run.stderr.read() == b""
    run.stdin.close()


def test_a_signal_the_caller_ignores_stays_ignored():
    """`nohup ucj ...` ignores SIGHUP: ucj must not start ending on it; one left to its default does."""
    from ucj_cli import output

    saved = {number: signal.getsignal(number) for number in (signal.SIGHUP, signal.SIGUSR1, signal.SIGPIPE)}
    try:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        signal.signal(signal.SIGUSR1, signal.SIG_DFL)
        output.end_cleanly_on_signals()
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
        assert signal.getsignal(signal.SIGUSR1) == signal.getsignal(signal.SIGPIPE) == output._ended
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


# --- 11. file names escaped in diagnostics, the `wrote` line and tables ---------------------------
# Covered: test_robust.py::test_file_names_are_escaped_in_diagnostics_wrote_lines_and_tables
# (validate, batch's table, simulate -o), ::test_a_github_annotation_of_a_file_with_a_newline_
# stays_one_line. Added: the newer commands' `wrote` lines and tables, in both languages.

ESCAPED = "e\\x1b[31mX\\u202e\\u200b\\u200d\\u2060\\ufeff\\nN"


@pytest.mark.parametrize("lang, wrote", [("en", "wrote"), ("id", "menulis")])
def test_the_newer_commands_escape_file_names_in_wrote_lines_and_tables(tmp_path, lang, wrote):
    shutil.copy(BLITAR, tmp_path / f"{EVIL}.yaml")
    shutil.copy(ROAD, tmp_path / f"{EVIL}p.yaml")
    runs = [["path", f"{EVIL}p.yaml", "-q", "-o", f"{EVIL}.xlsx", "-w", EVIL], ["plan", f"{EVIL}.yaml", "-q", "-o", f"{EVIL}.json", "-w", f"{EVIL}w.yaml"],
            ["compare", f"{EVIL}.yaml", f"{EVIL}p.yaml", "-q", "-o", f"{EVIL}c.md"], ["explain", f"{EVIL}.yaml", "-q", "-o", f"{EVIL}.txt"],
            ["rules", "-o", f"{EVIL}.csv"], ["init", f"{EVIL}i.yaml", "-r", "35.05", "--villages", f"{EVIL}v.csv"]]
    for args in runs:
        done = invoke_ucj(*args, "--lang", lang, cwd=tmp_path)
        assert done.returncode == 0, done.output
        assert not RAW.search(done.output), (args[0], done.output)
        assert f"{wrote} {ESCAPED}" in done.stderr, (args[0], done.stderr)
    table = invoke_ucj("path", f"{EVIL}p.yaml", "-q", "--lang", lang, cwd=tmp_path, columns=400)
    assert not RAW.search(table.output) and f"{ESCAPED}p.yaml:88:3" in table.stdout  # the Assumptions' "Where" column


def test_a_github_annotation_never_carries_a_raw_control_or_bidi_character():
    from ucj_cli.errors import Mark, diagnostic
    from ucj_cli.output import github_annotation

    line = github_annotation(diagnostic(Mark(f"{EVIL},a:b%{BAD}.yaml", 2, 3), "E-empty-file"))
    assert "\n" not in line and not RAW.search(line), repr(line)
    assert line.startswith("::error file=e\\x1b[31mX\\u202e\\u200b\\u200d\\u2060\\ufeff%0AN%2Ca%3Ab%25bad\\xff\\xfe.yaml,line=2,col=3,"), line


# --- 12. broken links in a scanned folder ---------------------------------------------------------
# Covered: test_robust.py::test_broken_links_in_a_folder_are_located_errors (validate). Added: batch.

def test_batch_reports_each_broken_link_and_goes_on(tmp_path):
    broken_links(tmp_path)
    done = invoke_ucj("batch", "loop", "--out", "out", "-q", cwd=tmp_path)
    assert done.returncode == 1
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["failed"] == ["loop/a.yml", "loop/b.yml", "loop/dangling.yaml", "loop/self.yaml"]
    assert all(item["error"].endswith("[E-link-broken]") for item in summary["results"] if item["file"] != "loop/good.yaml")
    assert sorted(os.listdir(tmp_path / "out")) == [".ucj-written.json", "good.json", "summary.json"]


# --- 13. the small ones ---------------------------------------------------------------------------
# Covered: test_robust.py::test_the_validate_count_uses_one_number_style (1,200 files, English),
# ::test_csv_cells_are_not_told_about_yaml_and_large_csvs_not_about_scenarios, ::test_batch_on_a_
# read_only_filesystem_is_a_write_failure (and a real 112 MB CSV: E-csv-too-large in both
# languages). Added: one number style in Indonesian too.

def test_the_validate_count_uses_one_number_style_in_indonesian(monkeypatch):
    from ucj_cli.cli import batch_runner

    sources = [batch_runner.Source(f"s{n}.yaml", text="x") for n in range(1200)]
    monkeypatch.setattr(batch_runner, "expand", lambda paths: sources)
    monkeypatch.setattr(batch_runner, "run_all", lambda function, jobs, workers: (batch_runner.Outcome(s, ()) for s in jobs))
    done = invoke_ucj("validate", "whatever", "--lang", "id")
    assert done.stderr == "1.200 berkas diperiksa: 1.200 valid, 0 tidak valid; 0 kesalahan, 0 peringatan\n"


# --- beyond the numbered items: the newer commands' own files -------------------------------------

def test_a_road_written_below_a_file_is_one_line(tmp_path):
    (tmp_path / "f").write_text("")
    done = invoke_ucj("path", ROAD, "-q", "-w", str(tmp_path / "f" / "years"))
    assert done.returncode == 2 and done.stderr.splitlines()[-1] == (
        f"ucj: cannot create the output folder '{tmp_path / 'f' / 'years'}' (Not a directory); expected a writable folder "
        "[E-usage-cannot-create-folder]")
    proc = invoke_ucj("path", ROAD, "-q", "-f", "json", "-w", "/proc/ucj-nowhere")
    assert proc.returncode in (2, 3) and "Traceback" not in proc.stderr and proc.stderr.splitlines()[-1].endswith("]")


def test_init_that_cannot_write_its_starter_writes_no_village_list(tmp_path):
    done = invoke_ucj("init", "nodir/s.yaml", "-r", "35.05", "--villages", "v.csv", cwd=tmp_path)
    assert done.returncode == 2 and "[E-output-no-folder]" in done.stderr and len(done.stderr.splitlines()) == 1
    assert os.listdir(tmp_path) == []
    (tmp_path / "nodir").mkdir()  # the mistake mended, the same command now works
    again = invoke_ucj("init", "nodir/s.yaml", "-r", "35.05", "--villages", "v.csv", cwd=tmp_path)
    assert again.returncode == 0 and sorted(os.listdir(tmp_path)) == ["nodir", "v.csv"], again.stderr
    (tmp_path / "f").write_text("")  # the village list's folder is a file: the starter is not written either
    below = invoke_ucj("init", "s.yaml", "-r", "35.05", "--villages", "f/v.csv", cwd=tmp_path)
    assert below.returncode == 2 and "[E-output-no-folder]" in below.stderr and not (tmp_path / "s.yaml").exists()
