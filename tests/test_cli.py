"""`ucj` in-process (`invoke_ucj`): help, formats, exports, exit codes; a few smoke tests run the
installed console script (`run_ucj`)."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from conftest import FIXTURES, SCENARIOS, invoke_ucj, run_ucj

BLITAR = str(SCENARIOS / "blitar-2025.yaml")


@pytest.mark.smoke  # the installed command starts, helps and knows its version
def test_help_lists_every_command_with_a_purpose():
    run = run_ucj("--help")
    assert run.returncode == 0
    for command in ("simulate", "compare", "validate", "batch"):
        assert command in run.stdout
    version = run_ucj("--version")
    assert version.returncode == 0 and version.stdout.startswith("ucj ")


def test_simulate_prints_a_table_with_summary_funding_months_and_programs():
    run = invoke_ucj("simulate", BLITAR)
    assert run.returncode == 0, run.stderr
    for text in ("Total budget", "Rp 10,926,687,600", "26.30% -> 29.89%", "Funding schemes", "Cohorts by month", "By program", "DBHCHT 2025"):
        assert text in run.stdout


@pytest.mark.smoke  # the installed command prices a file to JSON on a pipe
def test_simulate_json_has_the_documented_shape():
    run = run_ucj("simulate", BLITAR, "--format", "json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    for key in ("scenario", "year", "total", "by_month", "by_program", "by_funding", "cohorts", "coverage"):
        assert key in data
    assert [m["month"] for m in data["by_month"]] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert set(data["by_program"]) == {"jkk", "jkm", "jht", "jp"}
    assert set(data["by_funding"]["dbhcht"]) >= {"amount", "ceiling", "over"}
    assert set(data["cohorts"][0]) >= {"name", "workers", "months", "amount"}
    assert set(data["coverage"]) == {"employed", "covered_before", "covered_after", "rate_before", "rate_after"}
    assert all(isinstance(m["amount"], int) for m in data["by_month"])
    assert sum(m["amount"] for m in data["by_month"]) == data["total"] == sum(data["by_program"].values())
    assert sum(f["amount"] for f in data["by_funding"].values()) == data["total"] == sum(c["amount"] for c in data["cohorts"])
    assert data["coverage"]["rate_before"] == 0.263


def test_simulate_csv_rows_re_add_to_the_total():
    run = invoke_ucj("simulate", BLITAR, "-f", "csv")
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    total = json.loads(invoke_ucj("simulate", BLITAR, "-f", "json").stdout)["total"]
    assert sum(int(row["amount"]) for row in rows) == total
    assert all(int(row["amount"]) == int(row["per_person"]) * int(row["workers"]) for row in rows)
    assert {row["payer"] for row in rows} <= {"employer", "worker", "participant"}
    assert rows[0]["references"]


@pytest.mark.parametrize("path", [FIXTURES / "bpu-relief-2026.yaml", SCENARIOS / "blitar-2025.yaml", FIXTURES / "jp-cap-2025.yaml"], ids=lambda p: p.name)
def test_every_csv_figure_can_be_redone_from_its_row(path):
    from decimal import Decimal
    from fractions import Fraction

    from ucj_cli.money import round_half_up

    rows = list(csv.DictReader(io.StringIO(invoke_ucj("simulate", str(path), "-f", "csv").stdout)))
    pct = lambda text: Fraction(Decimal(text)) / 100  # noqa: E731
    for row in rows:
        flat = None if row["rate_percent"] else int(row["full_per_person"])
        full = flat if flat is not None else round_half_up(int(row["base"]) * pct(row["full_rate_percent"]))
        assert int(row["full_per_person"]) == full
        applied = flat if flat is not None else round_half_up(int(row["base"]) * pct(row["rate_percent"]))
        if row["relief_share_percent"]:
            assert "bpu.relief" in row["rules"] and "PP 50/2025" in row["references"]
            applied = round_half_up(applied * pct(row["relief_share_percent"]))
        assert int(row["per_person"]) == applied
        assert int(row["amount"]) == applied * int(row["workers"])
    if path.name == "blitar-2025.yaml":
        relieved = [row for row in rows if row["full_rate_percent"] != row["rate_percent"]]
        assert relieved and all("pu.jkk_relief" in row["rules"] and "PP 7/2025" in row["references"] for row in relieved)


def test_simulate_markdown_uses_pipe_tables():
    run = invoke_ucj("simulate", BLITAR, "-f", "markdown")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("# Kabupaten Blitar - UCJ 2025")
    assert "| Petani dan buruh tembakau (DBHCHT) |" in run.stdout


def test_output_is_written_atomically_and_its_format_follows_the_suffix(tmp_path):
    target = tmp_path / "out" / "blitar.json"
    missing = invoke_ucj("simulate", BLITAR, "--output", str(target))
    assert missing.returncode == 2 and "No such file or directory" in missing.stderr and not target.parent.exists()
    target.parent.mkdir()
    run = invoke_ucj("simulate", BLITAR, "--output", str(target))
    assert run.returncode == 0, run.stderr
    assert json.loads(target.read_text())["total"] == 10_926_687_600
    assert target.read_text() == invoke_ucj("simulate", BLITAR, "-f", "json").stdout
    assert [p.name for p in target.parent.iterdir()] == ["blitar.json"]  # no temporary file left


def test_output_is_byte_identical_between_runs():
    for fmt in ("json", "csv", "markdown", "table"):
        assert invoke_ucj("simulate", BLITAR, "-f", fmt).stdout == invoke_ucj("simulate", BLITAR, "-f", fmt).stdout


@pytest.mark.smoke  # a process of its own: another hash seed, so no set or dict order can leak into a file
def test_output_bytes_do_not_depend_on_the_process(tmp_path):
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    for fmt in ("json", "csv", "markdown", "xlsx"):
        here, there = tmp_path / f"here.{fmt}", tmp_path / f"there.{fmt}"
        assert invoke_ucj("simulate", BLITAR, "-f", fmt, "-o", str(here)).returncode == 0
        done = run_ucj("simulate", BLITAR, "-f", fmt, "-o", str(there), env={"PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        assert here.read_bytes() == there.read_bytes(), fmt


@pytest.mark.smoke  # exit codes and stderr of the installed command
def test_fail_on_overrun_exits_1_and_the_warning_is_always_shown():
    path = str(FIXTURES / "overrun.yaml")
    plain = run_ucj("simulate", path, "-f", "json")
    assert plain.returncode == 0
    assert f"{path}:7:14: warning: funding 'dbhcht'" in plain.stderr
    failing = run_ucj("simulate", path, "--fail-on-overrun", "-f", "json")
    assert failing.returncode == 1


def test_strict_makes_an_assumed_future_rule_fatal():
    path = str(FIXTURES / "draft-2027.yaml")
    assert invoke_ucj("simulate", path, "-f", "json").returncode == 0
    strict = invoke_ucj("simulate", path, "-f", "json", "--strict")
    assert strict.returncode == 1 and "pu.jp_wage_cap" in strict.stderr


def test_scenario_from_standard_input():
    text = (FIXTURES / "rounding.yaml").read_text()
    run = invoke_ucj("simulate", "-", "-f", "json", input=text)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["total"] == 239_976


def test_a_bad_file_gives_positioned_messages_and_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((FIXTURES / "rounding.yaml").read_text().replace("workers: 3", "workers: -3").replace("funding: apbd\n", "funding: apdb\n"))
    run = invoke_ucj("simulate", str(bad))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines[0].startswith(f"{bad}:9:14: workers is -3; expected a whole number >= 0")
    assert lines[1].startswith(f"{bad}:12:14: funding scheme 'apdb'") and "did you mean 'apbd'?" in lines[1]


def test_output_dash_is_standard_output_and_an_unknown_suffix_is_refused(tmp_path):
    dash = invoke_ucj("simulate", BLITAR, "-f", "json", "-o", "-", cwd=tmp_path)
    assert dash.returncode == 0 and json.loads(dash.stdout)["total"] == 10_926_687_600
    assert not (tmp_path / "-").exists()
    unknown = invoke_ucj("simulate", BLITAR, "-o", str(tmp_path / "out.ods"))
    assert unknown.returncode == 2 and "cannot tell the format" in unknown.stderr
    assert not (tmp_path / "out.ods").exists()


def test_exports_respect_the_umask(tmp_path):
    target = tmp_path / "r.json"
    assert invoke_ucj("simulate", BLITAR, "-o", str(target)).returncode == 0
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_json_rules_applied_marks_the_assumed_jp_cap():
    data = json.loads(invoke_ucj("simulate", str(FIXTURES / "draft-2027.yaml"), "-f", "json").stdout)
    caps = [rule for rule in data["rules_applied"] if rule["name"] == "pu.jp_wage_cap"]
    assert caps == [{"name": "pu.jp_wage_cap", "value": "Rp 11,086,300", "effective": "2026-03", "reference": caps[0]["reference"],
                     "unverified": None, "assumed_after": "2027-02", "origin": "book"}]


def test_json_and_xlsx_mark_what_if_rules(tmp_path):
    """A rule the scenario overrode or projected says so in JSON (`origin`) and on the Rules sheet."""
    import openpyxl

    scenario = SCENARIOS / "blitar-2027-what-if.yaml"
    data = json.loads(invoke_ucj("simulate", str(scenario), "-f", "json").stdout)
    origins = {(rule["name"], rule["effective"]): rule["origin"] for rule in data["rules_applied"]}
    assert origins[("pu.jp.employer", "2027-07")] == "override"
    assert origins[("pu.jp_wage_cap", "2027-03")] == "projection"
    assert origins[("pu.jkm", "2015-07")] == "book"
    invoke_ucj("simulate", str(scenario), "-f", "xlsx", "-o", str(tmp_path / "w.xlsx"))
    rows = list(openpyxl.load_workbook(tmp_path / "w.xlsx")["Rules"].iter_rows(values_only=True))
    marked = {(row[0], row[2]) for row in rows[1:] if row[7]}
    assert marked == {key for key, origin in origins.items() if origin != "book"}
