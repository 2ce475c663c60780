"""Output defects fixed together: a full standard output for every command, duplicate villages in a
CSV, `-` for months without contributions by place, the chart on narrow terminals, --chart with
--by, and CSV wording."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import SCENARIOS, ucj_executable

FULL = "<stdout>:1:1: the disk is full, so the result could not be written; expected free space on the disk [E-output-full]"
SCENARIO = str(SCENARIOS / "blitar-2025.yaml")
BAD = str(Path(__file__).parent / "fixtures" / "bad" / "empty.yaml")


@pytest.mark.smoke  # a full standard output needs a real process
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_every_command_on_a_full_standard_output_is_one_coded_line_and_exit_3(tmp_path):
    commands = [
        ["simulate", SCENARIO, "--by", "village"], ["simulate", SCENARIO, "--by", "district"],
        ["validate", BAD], ["validate", "-f", "json", BAD], ["validate", "-f", "github", BAD],
        ["batch", SCENARIO, "--out", str(tmp_path / "out")], ["--version"], ["--help"], ["plan", "--help"],
    ]
    for args in commands:
        with open("/dev/full", "w") as full:
            run = subprocess.run([ucj_executable(), *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
        assert "Traceback" not in run.stderr, args
        assert run.returncode == 3, args
        assert run.stderr.splitlines()[-1] == FULL, args
