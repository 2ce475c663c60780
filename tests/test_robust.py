"""Issue 22: never lose a byte, never crash. One regression test per numbered failure of the
hostile trial; a real process only where the failure needs one (a full tmpfs, a closed descriptor,
a second batch at once)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SCENARIOS, broken_links, invoke_ucj, signal_during_workbook, run_ucj, tmpfs_script, ucj_executable

BLITAR = str(SCENARIOS / "blitar-2025.yaml")


# --- 1. every write to standard output is checked, short writes included ---------------------------

class ShortRaw(io.RawIOBase):
    """A raw stream that takes at most `step` bytes a write, and nothing after `room` bytes."""

    def __init__(self, step: int, room: int | None = None) -> None:
        self.data, self.step, self.room = bytearray(), step, room

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:
        take = min(len(chunk), self.step)
        if self.room is not None:
            take = min(take, self.room - len(self.data))
        self.data += bytes(chunk[:take])
        return take


def _fake_stdout(monkeypatch, raw: ShortRaw) -> None:
    stream = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)  # what PYTHONUNBUFFERED=1 gives
    monkeypatch.setattr(sys, "stdout", stream)


def test_short_writes_to_stdout_are_finished(monkeypatch):
    from ucj_cli.output import write_stdout

    raw = ShortRaw(step=4096)
    _fake_stdout(monkeypatch, raw)
    text = "x" * 50_000 + "é\n"
    write_stdout(text)
    write_stdout(b"\x00" * 10_000)
    assert bytes(raw.data) == text.encode() + b"\x00" * 10_000


def test_a_stdout_that_stops_taking_bytes_is_a_full_disk(monkeypatch):
    from ucj_cli.output import OutputError, write_stdout

    _fake_stdout(monkeypatch, ShortRaw(step=4096, room=24_576))
    with pytest.raises(OutputError) as caught:
        write_stdout("y" * 52_175)
    assert caught.value.diagnostic.code == "E-output-full" and caught.value.exit_code == 3


def test_an_unbuffered_stdout_is_given_a_buffer_that_finishes_writes(monkeypatch):
    from ucj_cli.output import guard_standard_streams

    raw = ShortRaw(step=1000)
    _fake_stdout(monkeypatch, raw)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    guard_standard_streams()
    print("z" * 30_000, end="")
    sys.stdout.flush()
    assert bytes(raw.data) == b"z" * 30_000


@pytest.mark.smoke
def test_a_nearly_full_disk_under_pythonunbuffered_is_exit_3_not_a_cut_file():
    done = tmpfs_script('"$UCJ" simulate "$IN" -q -f csv > small/r.out; echo "csv $?"; '
                               '"$UCJ" schema > small/s.out; echo "schema $?"; '
                               '"$UCJ" simulate "$IN" -f xlsx -o - > small/x.out; echo "xlsx $?"')
    if done is None:
        pytest.skip("cannot mount a tmpfs here (no `unshare -rm`: user namespaces are not allowed)")
    assert done.stdout.decode().split("\n")[:3] == ["csv 3", "schema 3", "xlsx 3"], done.stderr.decode()
    assert done.stderr.decode().count("[E-output-full]") == 3


# --- 6. a closed standard output ------------------------------------------------------------------

@pytest.mark.smoke
@pytest.mark.parametrize("command", ["simulate {s} -f json", "validate {d}", "schema"])
def test_a_closed_stdout_is_one_line_and_exit_3(command):
    line = command.format(s=BLITAR, d=SCENARIOS)
    done = subprocess.run(["sh", "-c", f'"$UCJ" {line} >&-'], capture_output=True, env={**os.environ, "UCJ": ucj_executable()})
    errors = done.stderr.decode().strip().splitlines()
    assert done.returncode == 3
    assert errors[-1].startswith("<stdout>:1:1: standard output is closed") and errors[-1].endswith("[E-output-no-stdout]")
    assert "Traceback" not in done.stderr.decode()


@pytest.mark.smoke
def test_a_closed_stdout_does_not_stop_a_result_written_to_a_file(tmp_path):
    done = subprocess.run(["sh", "-c", f'"$UCJ" simulate {BLITAR} -q -o {tmp_path}/r.csv >&- 2>&-'], capture_output=True,
                          env={**os.environ, "UCJ": ucj_executable()})
    assert done.returncode == 0 and (tmp_path / "r.csv").stat().st_size > 1000


# --- 2. batch never writes over one of its own inputs ---------------------------------------------

VILLAGE_SCENARIO = """name: V
region: Kab. X
year: 2025
workforce: {employed: 1000, covered: 10}
funding:
  apbdes: {name: APBDes, kind: apbdes}
cohorts:
  - name: Kader
    role: kader_posyandu
    category: bpu
    income: 1000000
    funding: apbdes
    from_csv: ../out/v.csv
"""


def test_batch_refuses_to_write_over_a_csv_a_scenario_reads(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    villages = "village,district,workers\nA,B,5\n"
    (tmp_path / "out" / "v.csv").write_text(villages)
    (tmp_path / "out" / ".ucj-written.json").write_text('["v.csv"]')  # an earlier batch wrote it: still protected
    (tmp_path / "in" / "v.yaml").write_text(VILLAGE_SCENARIO)
    done = invoke_ucj("batch", "in/v.yaml", "--out", "out", "-f", "csv", cwd=tmp_path)
    assert done.returncode == 1
    assert "out/v.csv:1:1: this is also an input of the run" in done.stderr and "[E-output-is-input]" in done.stderr
    assert (tmp_path / "out" / "v.csv").read_text() == villages
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert "E-output-is-input" in summary["results"][0]["error"] and summary["results"][0]["output"] is None


def test_batch_refuses_to_write_over_a_scenario_it_reads_through_a_link(tmp_path):
    (tmp_path / "out").mkdir()
    scenario = (SCENARIOS / "blitar-2025.yaml").read_text()
    (tmp_path / "a.yaml").write_text(scenario)
    (tmp_path / "out" / "a.json").symlink_to(tmp_path / "a.yaml")
    (tmp_path / "out" / ".ucj-written.json").write_text('["a.json"]')
    done = invoke_ucj("batch", "a.yaml", "--out", "out", cwd=tmp_path)
    assert done.returncode == 1 and "[E-output-is-input]" in done.stderr
    assert (tmp_path / "a.yaml").read_text() == scenario


# --- 3. two batches into one folder ---------------------------------------------------------------

def test_a_second_batch_waits_for_the_folder_lock(tmp_path):
    import fcntl
    import threading

    out = tmp_path / "out"
    out.mkdir()
    holder = os.open(out, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    threading.Timer(0.5, lambda: os.close(holder)).start()  # the other batch ends
    done = invoke_ucj("batch", BLITAR, "--out", str(out), "-q")
    assert done.returncode == 0, done.stderr
    assert f"{out}:1:1: note: another ucj batch is writing to this folder; this one waits until it has finished [N-batch-waiting]" in done.stderr
    assert sorted(json.loads((out / ".ucj-written.json").read_text())) == ["blitar-2025.json", "summary.json"]


@pytest.mark.smoke
def test_two_batches_at_once_keep_every_record(tmp_path):
    for group in ("a", "b"):
        (tmp_path / group).mkdir()
        for number in range(12):
            shutil.copy(SCENARIOS / "blitar-2025.yaml", tmp_path / group / f"{group}{number}.yaml")
    out = tmp_path / "out"
    command = [ucj_executable(), "batch", "--out", str(out), "-q", "--jobs", "1"]
    first = subprocess.Popen([*command, str(tmp_path / "a")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    second = subprocess.Popen([*command, str(tmp_path / "b")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert first.wait(120) == 0 and second.wait(120) == 0, (first.stderr.read(), second.stderr.read())
    written = json.loads((out / ".ucj-written.json").read_text())
    assert sorted(written) == sorted([*(f"{g}{n}.json" for g in "ab" for n in range(12)), "summary.json"])
    again = run_ucj("batch", str(tmp_path / "a"), "--out", str(out), "-q", "--jobs", "1")  # both runs' results stay refreshable
    assert again.returncode == 0 and "E-output-foreign" not in again.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_batch_into_a_folder_that_cannot_be_made_is_a_write_failure(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        done = invoke_ucj("batch", BLITAR, "--out", str(locked / "out"))
    finally:
        locked.chmod(0o755)
    assert done.returncode == 3 and "[E-output-write]" in done.stderr


# --- 4. a CSV cell past the csv module's field limit ----------------------------------------------

def _village_scenario(folder: Path, name: str = "v", csv: str = "v.csv") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(VILLAGE_SCENARIO.replace("../out/v.csv", csv))
    return path


def test_a_cell_past_the_field_limit_is_a_located_error_and_the_batch_goes_on(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "v.csv").write_text("village,district,workers\nA,B,5\nC," + "x" * 140_000 + ",3\n")
    _village_scenario(tmp_path / "in")
    shutil.copy(BLITAR, tmp_path / "in" / "w.yaml")
    done = invoke_ucj("simulate", "in/v.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == ("in/v.csv:3:2: the cell is longer than 131,072 characters; expected a village or district name, "
                           "or a number (is a closing quote missing?) [E-csv-cell-too-long]\n")
    batch = invoke_ucj("batch", "in", "--out", "out", "-q", cwd=tmp_path)
    assert batch.returncode == 1 and "[E-csv-cell-too-long]" in batch.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["failed"] == ["in/v.yaml"] and summary["results"][1]["error"] is None and (tmp_path / "out" / "w.json").exists()


# --- 5. file names that are not UTF-8 -------------------------------------------------------------

@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_file_names_that_are_not_utf8_are_shown_escaped(tmp_path):
    bad = os.fsdecode(b"bad\xff\xfebytes")
    shutil.copy(BLITAR, tmp_path / f"{bad}.yaml")
    for args in (["-o", f"{bad}.csv"], ["-f", "xlsx", "-o", f"{bad}.xlsx"]):
        done = invoke_ucj("simulate", f"{bad}.yaml", "-q", *args, cwd=tmp_path)
        assert done.returncode == 0 and done.stderr == f"wrote bad\\xff\\xfebytes.{args[-1].rsplit('.', 1)[1]}\n"
    done = invoke_ucj("batch", ".", "--out", os.fsdecode(b"out\xff"), "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = tmp_path / os.fsdecode(b"out\xff")
    assert sorted(p.name for p in out.iterdir()) == [".ucj-written.json", "bad__bytes.json", "summary.json"]
    assert json.loads((out / "summary.json").read_text())["results"][0]["file"] == "bad\\xff\\xfebytes.yaml"
    listing = invoke_ucj("validate", ".", "-f", "json", cwd=tmp_path)
    assert json.loads(listing.stdout)["files"][0]["file"] == "bad\\xff\\xfebytes.yaml"


# --- 11. file names escaped in diagnostics, the `wrote` line and tables ---------------------------

def test_file_names_are_escaped_in_diagnostics_wrote_lines_and_tables(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "new\nline.yaml").write_text("name: [\n")
    shutil.copy(BLITAR, tmp_path / "x" / "esc\x1b[31mred\u202e\u200b\u200d\u2060\ufeff.yaml")
    done = invoke_ucj("validate", "x", cwd=tmp_path)
    assert done.stdout.startswith("x/new\\nline.yaml:2:1: invalid YAML") and done.stdout.count("\n") == 1
    done = invoke_ucj("batch", "x", "--out", "o", "-q", cwd=tmp_path)
    assert "x/esc\\x1b[31mred\\u202e\\u200b\\u200d\\u2060\\ufeff.yaml   ok" in done.stdout
    assert "\x1b" not in done.output and "\u202e" not in done.output and "\u200b" not in done.output
    written = invoke_ucj("simulate", BLITAR, "-q", "-o", "x/new\nline\u202e.csv", cwd=tmp_path)
    assert written.stderr == "wrote x/new\\nline\\u202e.csv\n"


def test_a_github_annotation_of_a_file_with_a_newline_stays_one_line():
    from ucj_cli.errors import Mark, diagnostic
    from ucj_cli.output import github_annotation

    line = github_annotation(diagnostic(Mark("a\nb,c.yaml", 2, 3), "E-empty-file"))
    assert line.startswith("::error file=a%0Ab%2Cc.yaml,line=2,col=3,title=E-empty-file::") and "\n" not in line


# --- 12. broken links in a scanned folder ---------------------------------------------------------

def test_broken_links_in_a_folder_are_located_errors(tmp_path):
    loop = broken_links(tmp_path)
    (loop / "notes.txt").symlink_to("nowhere.txt")  # not a scenario by its name: not ucj's business
    done = invoke_ucj("validate", "loop", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout.splitlines() == [
        "loop/a.yml:1:1: this link leads to no file (Too many levels of symbolic links); expected a link to a scenario file, or the link removed [E-link-broken]",
        "loop/b.yml:1:1: this link leads to no file (Too many levels of symbolic links); expected a link to a scenario file, or the link removed [E-link-broken]",
        "loop/dangling.yaml:1:1: this link leads to no file (No such file or directory); expected a link to a scenario file, or the link removed [E-link-broken]",
        "loop/self.yaml:1:1: this link leads to no file (Too many levels of symbolic links); expected a link to a scenario file, or the link removed [E-link-broken]",
    ]
    assert done.stderr == "5 files checked: 1 valid, 4 invalid; 4 errors, 0 warnings\n"


# --- 13. the small ones ---------------------------------------------------------------------------

def test_the_validate_count_uses_one_number_style(monkeypatch, tmp_path):
    from ucj_cli.cli import batch_runner

    sources = [batch_runner.Source(f"s{n}.yaml", text="x") for n in range(1200)]
    monkeypatch.setattr(batch_runner, "expand", lambda paths: sources)
    monkeypatch.setattr(batch_runner, "run_all", lambda function, jobs, workers: (batch_runner.Outcome(s, ()) for s in jobs))
    done = invoke_ucj("validate", "whatever")
    assert done.stderr == "1,200 files checked: 1,200 valid, 0 invalid; 0 errors, 0 warnings\n"


def test_csv_cells_are_not_told_about_yaml_and_large_csvs_not_about_scenarios(tmp_path, monkeypatch):
    from ucj_cli import source

    (tmp_path / "v.csv").write_text("village,district,workers\nA,B,020\nC,D,0x10\n")
    _village_scenario(tmp_path, csv="v.csv")
    done = invoke_ucj("validate", "v.yaml", cwd=tmp_path)
    assert done.stdout.splitlines() == [
        "v.csv:2:3: workers '020' is not a plain decimal number; expected digits without a leading 0, ':' or a base prefix (write 20, not 020) [E-csv-not-plain-number]",
        "v.csv:3:3: workers '0x10' is not a plain decimal number; expected digits without a leading 0, ':' or a base prefix (write 20, not 020) [E-csv-not-plain-number]",
    ]
    monkeypatch.setattr(source, "MAX_BYTES", 30)
    (tmp_path / "v.csv").write_text("village,district,workers\nA,B,20\nC,D,10\n")
    monkeypatch.setattr(source, "read_text", lambda path: (tmp_path / "v.yaml").read_text())
    done = invoke_ucj("validate", "v.yaml", cwd=tmp_path)
    assert "v.csv:1:1: the file is larger than 0 MiB; expected a CSV file of at most 0 MiB" in done.stdout


# --- 7. one CSV writer: every CSV path neutralises formulas and escapes control characters --------

HOSTILE = Path(__file__).resolve().parent / "hostile"  # not under fixtures/: tools/render_all.py batches that folder
_PLAIN_NUMBER = __import__("re").compile(r"-?[0-9]+(\.[0-9]+)?")


def _assert_safe_csv(text: str, what: str) -> None:
    import csv as csv_module

    rows = list(csv_module.reader(io.StringIO(text, newline="")))
    assert len(rows) > 1, what
    assert all(len(row) == len(rows[0]) for row in rows), f"{what}: a record split in two"
    for row in rows:
        for cell in row:
            assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c in "\u202e\u200b" for c in cell), f"{what}: raw control in {cell!r}"
            if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                assert _PLAIN_NUMBER.fullmatch(cell), f"{what}: formula {cell!r}"
    assert "'=1+1" in text and "'+cmd|' /C calc'!A0" in text and "'@SUM(1)" in text and "'-2+3" in text, what


CSV_PATHS = {
    "simulate csv": ["simulate", "hostile.yaml", "-q", "-f", "csv"],
    "rka-csv": ["simulate", "hostile.yaml", "-q", "-f", "rka-csv", "--lang", "en"],
    "--by village csv": ["simulate", "hostile.yaml", "-q", "--by", "village", "-f", "csv"],
    "--by district csv": ["simulate", "hostile.yaml", "-q", "--by", "district", "-f", "csv"],
    "compare csv": ["compare", "hostile.yaml", "--baseline", "--set", "bpu.jkm@2025-01=7000", "-f", "csv"],
}


@pytest.mark.parametrize("what", CSV_PATHS)
def test_every_csv_path_neutralises_the_same_hostile_names(what, tmp_path):
    for name in ("hostile.yaml", "v.csv"):
        shutil.copy(HOSTILE / name, tmp_path / name)
    args = CSV_PATHS[what]
    if what == "--by district csv":  # district names only: the villages' districts are the hostile ones
        done = invoke_ucj(*args, cwd=tmp_path)
        assert "'@D\\x1b" in done.stdout and "'+x\\r\\ny" in done.stdout
        return
    done = invoke_ucj(*args, cwd=tmp_path)
    assert done.returncode == 0, done.output
    if what == "--by village csv":
        assert "'=villages,'@D\\x1b,'=1+1" in done.stdout
    _assert_safe_csv(done.stdout, what)
    if what == "rka-csv":
        assert "\\x1b[31mAPBD\\x07\\r=cmd" in done.stdout  # the funding name, escaped


def test_batch_csv_and_rules_csv_go_through_the_same_writer(tmp_path):
    for name in ("hostile.yaml", "v.csv"):
        shutil.copy(HOSTILE / name, tmp_path / name)
    done = invoke_ucj("batch", "hostile.yaml", "--out", "out", "-f", "csv", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.output
    _assert_safe_csv((tmp_path / "out" / "hostile.csv").read_text(), "batch csv")
    from ucj_cli.render import csvout

    assert csvout.cell("=1+1") == "'=1+1" and csvout.cell("-12.50") == "-12.50" and csvout.cell("a\x1bb") == "a\\x1bb"
    assert csvout.cell(csvout.cell("+x")) == "'+x" and csvout.field('a,"b"') == '"a,""b"""'


# --- 8. a sheet past Excel's rows is refused before anything is written ---------------------------

def test_a_sheet_past_excels_rows_is_refused_before_writing(monkeypatch, tmp_path):
    from ucj_cli.render import xlsx

    desa = str(SCENARIOS / "blitar-2025-desa.yaml")  # 60 budget lines, 248 x 2 village rows
    monkeypatch.setattr(xlsx, "MAX_ROWS", 400)
    done = invoke_ucj("simulate", desa, "-q", "--by", "village", "-o", str(tmp_path / "v.xlsx"))
    assert done.returncode == 2 and not (tmp_path / "v.xlsx").exists()
    assert done.stderr == (f"{desa}:1:1: the sheet By village would need 498 rows, more than the 400 a worksheet holds; "
                           "expected --format csv (or json) for a budget this large [E-xlsx-too-many-rows]\n")
    monkeypatch.setattr(xlsx, "MAX_ROWS", 50)
    done = invoke_ucj("batch", desa, "--out", str(tmp_path / "out"), "-f", "xlsx", "-q")
    assert done.returncode == 1 and "the sheet Lines would need 61 rows" in done.stderr
    assert not (tmp_path / "out" / "blitar-2025-desa.xlsx").exists()
    monkeypatch.setattr(xlsx, "MAX_ROWS", 499)  # exactly enough: written whole
    assert invoke_ucj("simulate", desa, "-q", "--by", "village", "-o", str(tmp_path / "v.xlsx")).returncode == 0


# --- 9. no figure past what a spreadsheet shows exactly -------------------------------------------

def test_a_budget_past_15_digits_is_refused(tmp_path):
    (tmp_path / "big.yaml").write_text("""name: Big
region: Kab. X
year: 2025
workforce: {employed: 1000000000, covered: 10}
funding:
  apbd: {name: APBD, kind: apbd}
cohorts:
  - {name: Small, category: bpu, income: 1000000, funding: apbd, workers: 5}
  - {name: Huge, category: pu, income: 10000000000, funding: apbd, workers: 999999999}
""")
    done = invoke_ucj("simulate", "big.yaml", "-f", "xlsx", "-o", "big.xlsx", cwd=tmp_path)
    assert done.returncode == 2 and not (tmp_path / "big.xlsx").exists()
    assert done.stderr.startswith("big.yaml:9:5: the budget comes to Rp ")
    assert done.stderr.endswith("past Rp 999,999,999,999,999, the most a spreadsheet shows exactly (15 digits); "
                                "expected fewer workers or a lower income [E-budget-too-large]\n")


# --- 10. temporary files: named when they fail, removed on every exit, stale ones swept -----------

def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temporary_files_of_a_killed_run_are_removed_by_the_next(tmp_path, monkeypatch):
    dead = _dead_pid()
    beside = tmp_path / f".r.csv.{dead}.k3j2h1.tmp"  # what `kill -9` during a per-village CSV leaves
    beside.write_text("half a file")
    kept = tmp_path / f".r.csv.{os.getpid()}.a1b2c3.tmp"  # a live run's: not touched
    kept.write_text("being written")
    temporary = tmp_path / "tmp"
    (temporary / f"ucj-{dead}-xyz").mkdir(parents=True)  # XlsxWriter's files of a killed run
    monkeypatch.setenv("TMPDIR", str(temporary))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    assert invoke_ucj("simulate", BLITAR, "-q", "-o", str(tmp_path / "r.csv")).returncode == 0
    assert not beside.exists() and kept.exists()
    assert invoke_ucj("simulate", BLITAR, "-q", "-o", str(tmp_path / "r.xlsx")).returncode == 0
    assert list(temporary.iterdir()) == []  # the stale folder swept, this run's own removed


@pytest.mark.smoke
def test_ctrl_c_or_sigterm_during_a_workbook_leaves_no_temporary_files(tmp_path):
    import signal

    for number in (signal.SIGINT, signal.SIGTERM):
        run, temporary = signal_during_workbook(tmp_path, number)
        assert list(temporary.iterdir()) == [], f"left by {number!r}"
        assert "Traceback" not in run.stderr.read().decode()


def test_ctrl_c_just_as_the_temporary_folder_is_made_leaves_nothing(tmp_path, monkeypatch):
    import tempfile

    from ucj_cli import output

    made = tempfile.mkdtemp

    def interrupted(*args, **kwargs):  # the folder is made, then Ctrl-C before its name is known
        made(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(tempfile, "mkdtemp", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.private_tempdir()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.smoke
def test_a_full_temporary_folder_names_it_and_leaves_nothing():
    done = tmpfs_script('TMPDIR="$PWD/small" "$UCJ" simulate "$IN" -q -f xlsx -o out.xlsx; echo "xlsx $?"; ls -A small')
    if done is None:
        pytest.skip("cannot mount a tmpfs here (no `unshare -rm`: user namespaces are not allowed)")
    assert done.stdout.decode().splitlines() == ["xlsx 3", "fill"], done.stderr.decode()
    error = done.stderr.decode()
    assert "/small/ucj-" in error and error.rstrip().endswith("[E-output-full]") and "<stdout>" not in error


@pytest.mark.smoke
def test_batch_on_a_read_only_filesystem_is_a_write_failure():
    done = tmpfs_script('mkdir small/out && mount -o remount,ro small && '
                               '"$UCJ" batch "$IN" --out small/new -q; echo "new $?"; "$UCJ" batch "$IN" --out small/out -q; echo "old $?"')
    if done is None:
        pytest.skip("cannot mount a tmpfs here (no `unshare -rm`: user namespaces are not allowed)")
    assert done.stdout.decode().splitlines()[-2:] == ["new 3", "old 3"], done.stderr.decode()
    assert done.stderr.decode().count("(Read-only file system)") == 2
