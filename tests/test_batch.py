"""`ucj validate` and `ucj batch` over folders with valid and broken files."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import FIXTURES, SCENARIOS, invoke_ucj, run_ucj


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "scenarios"
    (root / "sub").mkdir(parents=True)
    for path in SCENARIOS.glob("*.yaml"):
        shutil.copy(path, root / path.name)
    shutil.copytree(SCENARIOS / "data", root / "data")  # the village lists of blitar-2025-desa
    shutil.copy(FIXTURES / "overrun.yaml", root / "sub" / "overrun.yaml")
    (root / "broken.yaml").write_text("name: Broken\nyear: 2025\nworkforce: {employed: 10, covered: 1}\nfunding: {a: {}}\ncohorts:\n  - {name: X, workers: 1, category: bpu, income: 900_000, funding: a, colour: red}\n")
    (root / "notes.txt").write_text("not a scenario")
    return root


def test_validate_reports_every_problem_of_every_file(folder):
    run = invoke_ucj("validate", str(folder))
    assert run.returncode == 2
    broken = folder / "broken.yaml"
    assert f"{broken}:6:50: declared income Rp 900,000 of cohort 'X' is outside the BPU range" in run.stdout
    assert f"{broken}:6:71: unknown key 'colour' in a cohort" in run.stdout
    assert re.search(rf"^{re.escape(str(folder / 'sub' / 'overrun.yaml'))}:7:14: warning: .* \[W-ceiling-overrun\]$", run.stdout, re.M)
    shipped = len(list(SCENARIOS.glob("*.yaml")))
    assert f"{shipped + 2} files checked: {shipped + 1} valid, 1 invalid" in run.stderr


def test_validate_valid_files_exit_0_and_strict_fails_on_warnings(folder):
    good = [str(p) for p in sorted(folder.glob("*.yaml")) if p.name != "broken.yaml"]
    assert invoke_ucj("validate", *good).returncode == 0
    assert invoke_ucj("validate", str(folder / "sub"), "--strict").returncode == 2


def test_validate_github_format_prints_annotations(folder):
    run = invoke_ucj("validate", str(folder / "broken.yaml"), "--format", "github")
    assert run.returncode == 2
    annotations = run.stdout.strip().splitlines()
    assert len(annotations) == 2
    assert all(line.startswith(f"::error file={folder / 'broken.yaml'},line=6,col=") for line in annotations)
    assert [line.split("title=")[1].split("::")[0] for line in annotations] == ["E-income-outside-range", "E-unknown-key"]


def test_validate_reads_standard_input():
    good = invoke_ucj("validate", "-", input=(FIXTURES / "rounding.yaml").read_text())
    assert good.returncode == 0
    bad = invoke_ucj("validate", "-", input="name: [unclosed\n")
    assert bad.returncode == 2 and bad.stdout.startswith("<stdin>:")


def test_batch_writes_every_valid_result_names_the_broken_and_exits_1(folder, tmp_path):
    out = tmp_path / "out"
    run = invoke_ucj("batch", str(folder), "--out", str(out))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    names = sorted(p.name for p in out.iterdir())
    shipped = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
    assert names == sorted([f"{stem}.json" for stem in shipped] + [".ucj-written.json", "overrun.json", "summary.json"])
    summary = json.loads((out / "summary.json").read_text())
    assert summary["count"] == len(shipped) + 2 and summary["failed"] == [str(folder / "broken.yaml")]
    entries = {entry["file"]: entry for entry in summary["results"]}
    assert entries[str(folder / "broken.yaml")]["error"].startswith(f"{folder / 'broken.yaml'}:6:")
    assert entries[str(folder / "sub" / "overrun.yaml")]["overruns"] == ["dbhcht"]
    blitar = json.loads((out / "blitar-2025.json").read_text())
    assert entries[str(folder / "blitar-2025.yaml")]["total"] == blitar["total"]
    assert "ERROR" in run.stdout and "OVER dbhcht" in run.stdout
    assert f"{folder / 'broken.yaml'}:6:" in run.stderr


@pytest.mark.smoke  # a process pool needs a real process
def test_batch_is_byte_identical_between_runs_and_between_serial_and_parallel(folder, tmp_path):
    for index in range(6):  # enough files to use processes
        shutil.copy(SCENARIOS / "blitar-2025.yaml", folder / f"copy-{index}.yaml")
    runs = []
    for name, jobs in (("a", "1"), ("b", "0"), ("c", "2")):
        out = tmp_path / name
        run_ucj("batch", str(folder), "--out", str(out), "--jobs", jobs)
        runs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert runs[0] == runs[1] == runs[2]
    assert len(runs[0]) == len(list(SCENARIOS.glob("*.yaml"))) + 9  # + overrun, 6 copies, summary, manifest


def test_batch_formats_and_stdin(tmp_path):
    out = tmp_path / "out"
    run = invoke_ucj("batch", "-", "--out", str(out), "--format", "csv", input=(FIXTURES / "rounding.yaml").read_text())
    assert run.returncode == 0, run.stderr
    assert (out / "stdin.csv").read_text().startswith("cohort,sector,category")


def test_batch_removes_a_stale_result_of_a_file_that_is_now_broken(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "rounding.yaml", folder / "a.yaml")
    out = tmp_path / "out"
    assert invoke_ucj("batch", str(folder), "--out", str(out)).returncode == 0
    (folder / "a.yaml").write_text("name: [broken\n")
    assert invoke_ucj("batch", str(folder), "--out", str(out)).returncode == 1
    assert sorted(p.name for p in out.iterdir()) == [".ucj-written.json", "summary.json"]


def test_batch_output_names_never_collide(tmp_path):
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    for name in ("x.yaml", "x.yml", "a/x.yaml", "a__x.yaml", "summary.yaml"):
        shutil.copy(FIXTURES / "rounding.yaml", folder / name)
    out = tmp_path / "out"
    assert invoke_ucj("batch", str(folder), "--out", str(out)).returncode == 0
    summary = json.loads((out / "summary.json").read_text())
    outputs = [entry["output"] for entry in summary["results"]]
    assert len(set(outputs)) == 5 and "summary.json" not in outputs
    assert sorted(p.name for p in out.iterdir()) == sorted([*outputs, ".ucj-written.json", "summary.json"])


def test_batch_or_validate_with_no_scenarios_is_a_usage_error(tmp_path):
    for command in (("validate", str(tmp_path)), ("batch", str(tmp_path), "--out", str(tmp_path / "o"))):
        run = invoke_ucj(*command)
        assert run.returncode == 2 and "no scenario files" in run.stderr


def _rich_page(headers, rows, numeric, title):
    import io

    from rich.console import Console

    from ucj_cli.render.simulation import PAGE_WIDTH, print_fitted

    console = Console(file=io.StringIO(), width=PAGE_WIDTH, highlight=False, emoji=False, markup=False)
    print_fitted(console, headers, rows, numeric, title=title)
    return console.file.getvalue()


def test_the_summary_on_a_page_is_the_table_rich_draws_there():
    """A batch piped or saved lays its summary out without Rich (`page_table`): the same bytes as
    `print_fitted` on a page, for any plain text (spaces and brackets at either end, a figure
    column narrower than its header); what only Rich lays out right is left to it."""
    import random

    from ucj_cli.render.simulation import page_table

    pick = random.Random(22)
    letters = "abcXYZ019 []-.,%/()"

    def text(longest):
        return "".join(pick.choice(letters) for _ in range(pick.randint(0, longest)))

    compared = 0
    for _ in range(400):
        columns = pick.randint(2, 7)
        headers = [text(12) for _ in range(columns)]
        rows = [[text(pick.choice([1, 4, 12, 30])) for _ in range(columns)] for _ in range(pick.randint(0, 8))]
        numeric = {index for index in range(columns) if pick.random() < 0.5}
        title = text(pick.choice([8, 40]))
        page = page_table(headers, rows, numeric, title)
        if page is not None:
            compared += 1
            assert page == _rich_page(headers, rows, numeric, title), (headers, rows, numeric, title)
    assert compared > 300
    headers, row = ["File", "Status", "Total (Rp)"], ["a.yaml", "ok", "1,000"]
    for odd in ([["Desa Ê.yaml", "ok", "1"]], [["日本.yaml", "ok", "1"]], [["a\tb.yaml", "ok", "1"]]):
        assert page_table(headers, [row, *odd], {2}, "t") is None  # wide, combining or control characters: Rich
    assert page_table(headers, [row], {2}, "a title longer than the table it heads") is None  # Rich wraps it
    assert page_table(["File"], [["a.yaml"]], set(), "t") is None


def test_a_batch_piped_prints_the_summary_rich_would(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.yaml", "b [x] .yaml"):
        shutil.copy(FIXTURES / "overrun.yaml", folder / name)
    (folder / "c.yaml").write_text("name: [broken\n")
    out = str(tmp_path / "out")
    plain = run_ucj("batch", str(folder), "--out", out, "--jobs", "1")
    drawn = run_ucj("batch", str(folder), "--out", out, "--jobs", "1", env={"TTY_COMPATIBLE": "0"})  # a plain page, drawn by Rich
    assert plain.returncode == drawn.returncode == 1
    assert plain.stdout == drawn.stdout
    assert [line.split()[1] for line in plain.stdout.splitlines()[4:7]] == ["OVER", "[x]", "ERROR"]


def test_the_manifest_knows_a_written_result_by_the_bytes_written(tmp_path, monkeypatch):
    """A result's identity is the digest of the bytes the run wrote, not read back from disk; a file
    that is no longer a regular file of that size (changed since, made a link) is hashed as found."""
    import hashlib

    from ucj_cli.cli.batch import Manifest

    for name, data in (("a.json", b"{}\n"), ("b.json", b"[]\n"), ("c.json", b"1\n")):
        (tmp_path / name).write_bytes(data)
    manifest = Manifest(tmp_path)
    for name, data in (("a.json", b"{}\n"), ("b.json", b"[]\n"), ("c.json", b"1\n")):
        manifest.wrote(name, data)
    (tmp_path / "b.json").write_bytes(b"[1]\n")  # changed after the run wrote it
    (tmp_path / "c.json").unlink()
    (tmp_path / "c.json").symlink_to("a.json")  # now a link: recorded without identity (""), never removed
    read, hashed = [], Manifest._hash
    monkeypatch.setattr(Manifest, "_hash", lambda self, name: read.append(name) or hashed(self, name))
    manifest.save()
    marks = json.loads((tmp_path / ".ucj-written.json").read_text())
    assert marks == {"a.json": hashlib.sha256(b"{}\n").hexdigest(), "b.json": hashlib.sha256(b"[1]\n").hexdigest(), "c.json": ""}
    assert sorted(read) == ["b.json", "c.json"]  # a.json was not read back


def test_scenarios_are_read_for_their_inputs_only_when_the_output_folder_holds_files(tmp_path, monkeypatch):
    """Into an empty folder every result is a new file, never one the run reads: the scenarios are
    not read a second time for the CSV files they name. A folder with files in it is checked."""
    from ucj_cli.load import csv_cohorts

    read = []
    named = csv_cohorts.csv_paths
    monkeypatch.setattr(csv_cohorts, "csv_paths", lambda path: read.append(path) or named(path))
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "rounding.yaml", folder / "a.yaml")
    out = tmp_path / "out"
    assert invoke_ucj("batch", str(folder), "--out", str(out)).returncode == 0
    assert read == []
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke_ucj("batch", str(folder), "--out", str(empty)).returncode == 0
    assert read == []
    assert invoke_ucj("batch", str(folder), "--out", str(out)).returncode == 0  # its results and manifest are there now
    assert read == [str(folder / "a.yaml")]
