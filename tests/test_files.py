"""Never lose a file, never crash on the file system: targets that are inputs, links, FIFOs and
devices, full disks, closed pipes, read-only and unreadable folders, a batch's own files only, and
workers that end with their parent. Each case was found by trying it."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, SCENARIOS, invoke_ucj, ucj_executable
from ucj_cli import output
from ucj_cli.errors import Diagnostic, Mark, diagnostic
from ucj_cli.output import OutputError

BLITAR = SCENARIOS / "blitar-2025.yaml"



@pytest.fixture
def scenario(tmp_path) -> Path:
    path = tmp_path / "same.yaml"
    shutil.copy(BLITAR, path)
    return path


def test_output_equal_to_the_input_is_refused_and_the_input_kept(scenario):
    before = scenario.read_bytes()
    run = invoke_ucj("simulate", str(scenario), "-f", "json", "-o", str(scenario))
    assert run.returncode == 2
    assert f"{scenario}:1:1: this is also an input of the run" in run.output
    assert "[E-output-is-input]" in run.output
    assert scenario.read_bytes() == before


def test_output_through_a_link_to_the_input_is_refused_too(scenario, tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(scenario.name)
    before = scenario.read_bytes()
    assert invoke_ucj("simulate", str(scenario), "-f", "json", "-o", str(link)).returncode == 2
    assert link.is_symlink() and scenario.read_bytes() == before


def test_output_to_a_link_writes_its_target_and_keeps_the_link(scenario, tmp_path):
    target = tmp_path / "result.json"
    target.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(target.name)
    run = invoke_ucj("simulate", str(scenario), "-o", str(link))
    assert run.returncode == 0, run.output
    assert link.is_symlink() and os.readlink(link) == target.name
    assert json.loads(target.read_text())["total"] == 10_926_687_600


def test_output_to_a_fifo_streams_into_it(scenario, tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    run = invoke_ucj("simulate", str(scenario), "-o", str(fifo))
    reader.join(10)
    assert run.returncode == 0, run.output
    assert fifo.exists() and not fifo.is_file()  # still a FIFO, not replaced by a file
    assert json.loads(received[0])["total"] == 10_926_687_600


def test_output_to_a_device_streams_and_a_folder_or_socket_is_refused(scenario, tmp_path):
    assert invoke_ucj("simulate", str(scenario), "-f", "json", "-o", os.devnull).returncode == 0
    assert Path(os.devnull).is_char_device()
    import socket

    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        run = invoke_ucj("simulate", str(scenario), "-f", "json", "-o", str(path))
    finally:
        server.close()
    assert run.returncode == 2
    assert "is a special file; expected a regular file, a link to one, a FIFO or a device" in run.output


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_one_clear_message_and_exit_3(scenario):
    run = invoke_ucj("simulate", str(scenario), "-f", "json", "-o", "/dev/full")
    assert run.returncode == 3
    assert "/dev/full:1:1: the disk is full, so the result could not be written" in run.output
    assert "Traceback" not in run.output


@pytest.mark.smoke  # a full standard output needs a real process
def test_full_standard_output_of_the_installed_command(scenario):
    """`> /dev/full` and a reader that goes away: a message and exit 3, never an OSError traceback."""
    with open("/dev/full", "w") as full:
        run = subprocess.run([ucj_executable(), "simulate", str(scenario), "-f", "json"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert run.returncode == 3
    assert run.stderr.splitlines()[0] == "<stdout>:1:1: the disk is full, so the result could not be written; expected free space on the disk [E-output-full]"


def test_write_errors_are_coded_for_each_cause():
    def code(exc: OSError) -> str:
        return output.write_error("out.json", exc).diagnostic.code

    assert code(OSError(errno.ENOSPC, "No space left on device")) == "E-output-full"
    assert code(BrokenPipeError(errno.EPIPE, "Broken pipe")) == "E-output-closed"
    refused = output.write_error("out.json", PermissionError(errno.EACCES, "Permission denied"))
    assert refused.exit_code == 3
    assert str(refused.diagnostic) == "out.json:1:1: cannot be written (Permission denied); expected a writable file in a writable folder [E-output-write]"


def test_a_closed_pipe_on_standard_output_is_an_output_error(monkeypatch):
    class Closed:
        def write(self, text):
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

        def fileno(self):
            raise ValueError("no descriptor")

    monkeypatch.setattr(sys, "stdout", Closed())
    with pytest.raises(output.OutputError) as caught:
        output.write_stdout("{}")
    assert caught.value.diagnostic.code == "E-output-closed"


def _read_only(monkeypatch):
    """A folder the process may not write into (tests may run as root, whom chmod does not stop)."""
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output, "_create_beside", refuse)  # what output makes a result's temporary file with


def test_a_read_only_folder_is_one_message_and_exit_3(scenario, tmp_path, monkeypatch):
    _read_only(monkeypatch)
    run = invoke_ucj("simulate", str(scenario), "-o", str(tmp_path / "x.json"))
    assert run.returncode == 3
    assert "x.json:1:1: cannot be written (Permission denied)" in run.output
    batch = invoke_ucj("batch", str(scenario), "--out", str(tmp_path / "out"))
    assert batch.returncode == 3
    assert "cannot be written (Permission denied)" in batch.output and "Traceback" not in batch.output


def test_batch_never_removes_or_replaces_a_file_it_did_not_write(tmp_path):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    out.mkdir()
    (inputs / "broken.yaml").write_text("name: [\n")
    shutil.copy(BLITAR, inputs / "good.yaml")
    (out / "broken.json").write_text("my own notes")
    (out / "good.json").write_text("my other notes")
    run = invoke_ucj("batch", str(inputs), "--out", str(out))
    assert run.returncode == 1
    assert (out / "broken.json").read_text() == "my own notes"
    assert (out / "good.json").read_text() == "my other notes"
    assert f"{out / 'good.json'}:1:1: 'good.json' in the output folder was not written by ucj" in run.output
    (out / "good.json").unlink()  # moved away: now ucj may write it, and later replace it
    assert invoke_ucj("batch", str(inputs), "--out", str(out)).returncode == 1
    assert json.loads((out / "good.json").read_text())["total"] == 10_926_687_600
    assert sorted(json.loads((out / ".ucj-written.json").read_text())) == ["good.json", "summary.json"]
    (inputs / "good.yaml").write_text("name: [\n")  # now broken: its stale result (ucj's own) goes
    invoke_ucj("batch", str(inputs), "--out", str(out))
    assert not (out / "good.json").exists() and (out / "broken.json").read_text() == "my own notes"


def test_batch_refuses_a_folder_whose_summary_is_someone_elses(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text("keep me")
    run = invoke_ucj("batch", str(BLITAR), "--out", str(out))
    assert run.returncode == 2 and (out / "summary.json").read_text() == "keep me"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_validate_says_an_unreadable_folder_cannot_be_read(tmp_path):  # pragma: no cover - not as root
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0)
    try:
        run = invoke_ucj("validate", str(folder))
    finally:
        folder.chmod(0o755)
    assert run.returncode == 2 and "this folder cannot be read" in run.output


def test_an_unreadable_folder_is_reported_not_skipped(tmp_path, monkeypatch):
    from ucj_cli.cli import batch_runner as batch

    def walk(top, onerror=None, **kwargs):
        onerror(PermissionError(errno.EACCES, "Permission denied", str(top)))
        return iter(())

    monkeypatch.setattr(batch.os, "walk", walk)
    run = invoke_ucj("validate", str(tmp_path))
    assert run.returncode == 2
    assert f"{tmp_path}:1:1: this folder cannot be read (Permission denied); expected a folder ucj may open and list" in run.output


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found.update(int(child) for child in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0] != "Z"
    except OSError:
        return False


@pytest.mark.smoke  # signals to a real process and its workers
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc to find the workers")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_batch_workers_end_with_their_parent(tmp_path, how):
    cohorts = "".join(f"  - {{name: C{i}, workers: 5, category: bpu, income: 1000000, funding: a}}\n" for i in range(3_000))
    for index in range(12):
        (tmp_path / f"s{index:02d}.yaml").write_text(f"name: S\nyear: 2025\nworkforce: {{employed: 90000000, covered: 1}}\nfunding: {{a: {{}}}}\ncohorts:\n{cohorts}")
    parent = subprocess.Popen([ucj_executable(), "batch", str(tmp_path), "--out", str(tmp_path / "out"), "--jobs", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers: set[int] = set()
        for _ in range(200):
            workers = _children(parent.pid) if parent.poll() is None else set()
            if len(workers) >= 2:
                break
            time.sleep(0.05)
        assert len(workers) >= 2, "the batch did not start its workers"
        os.kill(parent.pid, how)
        parent.wait(10)
        for _ in range(300):  # generous: a loaded CI machine may take a while to schedule them
            if not any(_alive(pid) for pid in workers):
                break
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers)
    finally:
        parent.kill()
        parent.wait()


@pytest.mark.parametrize("text", ['funding: {f: {}, "g\\n": {}}', 'start: "2025-04\\n"'])
def test_identifiers_and_months_are_checked_whole(text):
    """A final newline once slipped past a `$` anchor and reached the JSON."""
    from ucj_cli.errors import ScenarioError
    from ucj_cli.api import parse_scenario

    funding, start = ('funding: {f: {}, "g\\n": {}}', "") if text.startswith("funding") else ("funding: {f: {}}", ", " + text)
    scenario = (f"name: S\nyear: 2025\nworkforce: {{employed: 10, covered: 1}}\n{funding}\n"
                f"cohorts:\n  - {{name: C, workers: 1, category: bpu, income: 1000000, funding: f{start}}}\n")
    with pytest.raises(ScenarioError):
        parse_scenario(scenario, "s.yaml")


def test_terminal_escapes_in_names_are_shown_escaped(tmp_path):
    """A name holding `ESC [2J` or an OSC title must not reach the terminal raw, in any text output."""
    path = tmp_path / "esc.yaml"
    path.write_text('name: "T\\e]0;title\\a"\nyear: 2025\nworkforce: {employed: 100, covered: 1}\nfunding: {a: {name: "F\\e[2J"}}\n'
                    'cohorts:\n  - {name: "K\\e[31mred", workers: 170, category: bpu, income: 1000000, funding: a}\n')
    for fmt in ("table", "markdown"):
        run = invoke_ucj("simulate", str(path), "-f", fmt)
        assert run.returncode == 0 and "\x1b" not in run.output and "\\x1b[31mred" in run.output
    run = invoke_ucj("simulate", str(path), "-f", "json")
    assert "\x1b" not in run.stderr
    # the December coverage (171 of 100 employed) is a warning naming the figures, not only a red total
    assert "warning: coverage would reach 171 workers, more than the 100 employed" in run.stderr


# `explain -o` never overwrites the run's inputs
def test_explain_refuses_to_write_over_its_scenario(tmp_path):
    target = tmp_path / "s.yaml"
    shutil.copy(FIXTURES / "bpu-relief-2026.yaml", target)
    before = target.read_bytes()
    done = invoke_ucj("explain", str(target), "-o", str(target))
    assert done.returncode == 2
    assert "E-output-is-input" in done.stderr
    assert target.read_bytes() == before


# OutputError carries its one diagnostic, not the characters of its sentence
def test_output_error_diagnostics_is_the_diagnostic():
    item = diagnostic(Mark("out.csv"), "E-output-full")
    error = OutputError(item)
    assert error.diagnostics == [item] or error.diagnostics == (item,)
    assert all(isinstance(d, Diagnostic) for d in error.diagnostics)


FULL_STDOUT = "<stdout>:1:1: the disk is full, so the result could not be written; expected free space on the disk [E-output-full]"
EMPTY = str(FIXTURES / "bad" / "empty.yaml")


@pytest.mark.smoke  # a full standard output needs a real process
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_every_command_on_a_full_standard_output_is_one_coded_line_and_exit_3(tmp_path):
    commands = [
        ["simulate", str(BLITAR), "--by", "village"], ["simulate", str(BLITAR), "--by", "district"],
        ["validate", EMPTY], ["validate", "-f", "json", EMPTY], ["validate", "-f", "github", EMPTY],
        ["batch", str(BLITAR), "--out", str(tmp_path / "out")], ["--version"], ["--help"], ["plan", "--help"],
    ]
    for args in commands:
        with open("/dev/full", "w") as full:
            run = subprocess.run([ucj_executable(), *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
        assert "Traceback" not in run.stderr, args
        assert run.returncode == 3, args
        assert run.stderr.splitlines()[-1] == FULL_STDOUT, args
