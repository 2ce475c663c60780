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

from conftest import SCENARIOS, invoke_ucj, run_ucj, ucj_executable

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


def _mount_tmpfs_script(script: str) -> subprocess.CompletedProcess | None:
    """Run `script` in a shell with a 64 KiB tmpfs at ./small holding 40,000 bytes, in a user and
    mount namespace of its own (no root needed where the kernel allows it); None where it cannot."""
    if not shutil.which("unshare") or not shutil.which("sh"):
        return None
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mkdir -p /tmp && mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True)
    if probe.returncode != 0:
        return None
    return subprocess.run(["unshare", "-rm", "sh", "-c",
                           "cd \"$(mktemp -d)\" && mkdir small && mount -t tmpfs -o size=64k tmpfs small && "
                           "head -c 40000 /dev/zero > small/fill && " + script],
                          capture_output=True, env={**os.environ, "PYTHONUNBUFFERED": "1", "UCJ": ucj_executable(), "IN": BLITAR},
                          timeout=120)


@pytest.mark.smoke
def test_a_nearly_full_disk_under_pythonunbuffered_is_exit_3_not_a_cut_file():
    done = _mount_tmpfs_script('"$UCJ" simulate "$IN" -q -f csv > small/r.out; echo "csv $?"; '
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
    assert json.loads((out / ".ucj-written.json").read_text()) == ["blitar-2025.json", "summary.json"]


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
    assert written == sorted([*(f"{g}{n}.json" for g in "ab" for n in range(12)), "summary.json"])
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
