"""Regression tests for `ucj plan --write` targets, plan usage errors, the budget cap at the employed,
and from_csv cohorts named by their scenario name (`plan --priority`, `explain --cohort`)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from conftest import FIXTURES, invoke_ucj

LOMBOK = FIXTURES / "plan-lombok-timur-2024.yaml"


def test_write_to_a_fifo_streams_the_yaml_and_never_reads_it(tmp_path):
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    # Were the FIFO opened for reading (the old first-line check), both ends would wait forever:
    # after 20 s a writer unblocks them, so a regression fails instead of hanging.
    rescue = threading.Timer(20, lambda: os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)))
    rescue.start()
    try:
        ran = invoke_ucj("plan", str(LOMBOK), "-f", "json", "--write", str(fifo))
    finally:
        rescue.cancel()
    reader.join(20)
    assert ran.returncode == 0, ran.output
    assert got and got[0].startswith(b"# ucj plan")


def test_write_and_output_naming_the_same_file_is_refused(tmp_path):
    target = tmp_path / "x.txt"
    ran = invoke_ucj("plan", str(LOMBOK), "-o", str(target), "--write", str(target))
    assert ran.returncode == 2 and "ucj: " in ran.stderr and "[E-write-same-output]" in ran.stderr
    assert not target.exists()


def test_write_dash_is_standard_output_and_needs_the_plan_elsewhere(tmp_path):
    refused = invoke_ucj("plan", str(LOMBOK), "--write", "-", cwd=tmp_path)
    assert refused.returncode == 2 and "[E-write-stdout-taken]" in refused.stderr
    also = invoke_ucj("plan", str(LOMBOK), "-o", "-", "--write", "-", cwd=tmp_path)
    assert also.returncode == 2 and "[E-write-stdout-taken]" in also.stderr
    ran = invoke_ucj("plan", str(LOMBOK), "-o", str(tmp_path / "p.json"), "--write", "-", cwd=tmp_path)
    assert ran.returncode == 0 and ran.stdout.startswith("# ucj plan")
    assert not (tmp_path / "-").exists() and json.loads((tmp_path / "p.json").read_text())["mode"] == "budget"


def test_write_over_the_scenario_is_refused_as_an_input_naming_write(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_bytes(LOMBOK.read_bytes())
    ran = invoke_ucj("plan", str(scenario), "--write", str(scenario))
    assert ran.returncode == 2 and "[E-write-is-input]" in ran.stderr and "--write" in ran.stderr
    assert "--output" not in ran.stderr and scenario.read_bytes() == LOMBOK.read_bytes()


def test_a_huge_budget_plans_no_more_than_the_employed_and_writes(tmp_path):
    written = tmp_path / "big.yaml"
    ran = invoke_ucj("plan", str(LOMBOK), "--budget", "dbhcht=999_000_000_000_000", "-f", "json", "--write", str(written))
    assert ran.returncode == 0, ran.output
    assert "[N-plan-capped-employed]" in ran.stderr and "E-write-unfaithful" not in ran.stderr
    data = json.loads(ran.stdout)
    from ucj_cli import load_scenario

    scenario = load_scenario(str(LOMBOK))
    planned = sum(item["workers"] for item in data["cohorts"])
    assert planned == scenario.workforce.employed - scenario.workforce.covered
    assert written.read_text().startswith("# ucj plan")


@pytest.mark.parametrize("args, code", [
    (("--budget", "dbhcht=-5"), "E-plan-budget-negative"),
    (("--budget", "nope=5"), "E-plan-budget-scheme"),
    (("--priority", "Nobody"), "E-plan-priority-cohort"),
    (("--target-coverage", "101%"), "E-plan-target-coverage"),
])
def test_plan_option_mistakes_are_usage_errors(args, code):
    ran = invoke_ucj("plan", str(LOMBOK), *args)
    assert ran.returncode == 2
    assert ran.stderr.startswith("ucj: ") and ran.stderr.rstrip().endswith(f"[{code}]") and str(LOMBOK) not in ran.stderr


def test_a_zero_target_coverage_is_accepted_like_zero_participants():
    for option, value in (("--target-coverage", "0%"), ("--target-participants", "0")):
        ran = invoke_ucj("plan", str(LOMBOK), option, value, "-f", "json")
        assert ran.returncode == 0 and "[N-plan-target-met]" in ran.stderr, ran.output


def _csv_scenario(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "k.csv").write_text("Village;District;Workers;Start\nA;X;5;\nB;Y;7;2025-04\n")
    path = tmp_path / "s.yaml"
    path.write_text("name: S\nyear: 2025\nworkforce: {employed: 100000, covered: 10}\nfunding: {a: {kind: apbdes, ceiling: 1000000}}\n"
                    "cohorts:\n  - {name: K, category: bpu, income: 1000000, funding: a, from_csv: data/k.csv}\n"
                    "  - {name: L, category: bpu, income: 1000000, funding: a, workers: 3}\n")
    return path


def test_priority_accepts_a_csv_cohort_by_its_scenario_name(tmp_path):
    # K #1: Rp 16,800 x 12 = 201,600 a worker; K #2: x 9 = 151,200; L: 201,600. Rp 1,000,000 to K first:
    # K #1 takes 4 (806,400), K #2 then 1 (151,200), 42,400 left: L gets none.
    path = _csv_scenario(tmp_path)
    ran = invoke_ucj("plan", str(path), "--priority", "K", "-f", "json")
    assert ran.returncode == 0, ran.output
    assert [(c["name"], c["workers"]) for c in json.loads(ran.stdout)["cohorts"]] == [("K #1", 4), ("K #2", 1), ("L", 0)]
    refused = invoke_ucj("plan", str(path), "--priority", "Z")
    assert refused.returncode == 2 and refused.stderr.rstrip().endswith("expected one of: K #1, K #2, L, K [E-plan-priority-cohort]")


def test_explain_accepts_a_csv_cohort_by_its_scenario_name(tmp_path):
    path = _csv_scenario(tmp_path)
    ran = invoke_ucj("explain", str(path), "--cohort", "K")
    assert ran.returncode == 0, ran.output
    assert "Cohort K #1 of S" in ran.stdout and "Cohort K #2 of S" in ran.stdout
    data = json.loads(invoke_ucj("explain", str(path), "--cohort", "K", "-f", "json").stdout)
    assert isinstance(data, list) and len(data) == 2
    one = json.loads(invoke_ucj("explain", str(path), "--cohort", "K #2", "-f", "json").stdout)
    assert isinstance(one, dict) and one == data[1]
