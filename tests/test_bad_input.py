"""Bad input, as a new user would write it: every mistake must end in `file:line:column: what is
wrong; what is expected` on stderr with exit code 2, never a traceback.

The CLI tests run `ucj` in-process on the small files in fixtures/bad/ (run from that folder, so
file names in messages are short; bytes on standard input go through the installed command's real
pipe). Every line and column below was worked out by hand from the fixture. Tests marked
xfail(strict=True) document a defect in ucj: fix the defect and the test turns XPASS, which fails
the suite until the marker is removed.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ucj_cli
from conftest import invoke_ucj, run_ucj

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
GOOD = "good.yaml"  # a valid scenario every other fixture is derived from (same 14 lines)


def errors_of(stderr: str) -> list[str]:
    """The diagnostic lines, without notes (valid scenarios print priced-with-unverified-rule notes)."""
    return [line for line in stderr.splitlines() if line.strip() and ": note: " not in line]


def assert_bad_input(done: subprocess.CompletedProcess, prefix: str, code: str, *phrases: str) -> str:
    """Exit 2, no traceback, a diagnostic line starting with `prefix` ending in `[code]` and containing
    every phrase, and every line of stderr in the `file:line:column: what is wrong; what is expected [code]` form."""
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, f"exit {done.returncode}\n{done.stderr}"
    lines = errors_of(done.stderr)
    assert lines, "exit 2 but nothing on stderr"
    for line in lines:
        assert re.match(r"^[^\s:][^:]*:\d+:\d+: \S.*; \S.* \[[EW]-[a-z0-9-]+\]$", line), f"not file:line:column: problem; expected [code]: {line!r}"
    matching = [line for line in lines if line.startswith(prefix) and line.endswith(f" [{code}]")]
    assert matching, f"no {code} at {prefix!r}:\n{done.stderr}"
    messages = [re.sub(r"^[^:]*:\d+:\d+: ", "", line) for line in matching]
    for phrase in phrases:
        assert any(phrase in message for message in messages), f"{phrase!r} not in {matching}"
    return matching[0]


# --- one mistake per file: (fixture, line:column worked out by hand, key phrases) ---------------

CASES = [
    # name: [Test   # comment   <- the flow list is never closed; `year` (2:1) comes where ',' or ']' should
    ("malformed_yaml.yaml", "2:1", "E-invalid-yaml", ["invalid YAML", "did not find expected ',' or ']'"]),
    ("unknown_key.yaml", "15:1", "E-unknown-key", ["unknown key 'budget' in the scenario", "expected one of: name, region"]),
    ("typo_key.yaml", "11:5", "E-unknown-key", ["unknown key 'worker' in a cohort", "did you mean 'workers'?"]),
    ("wrong_type.yaml", "11:14", "E-not-a-number", ["workers is text 'ten'", "expected a whole number >= 0"]),
    ("negative_count.yaml", "11:14", "E-below-minimum", ["workers is -5", "expected a whole number >= 0"]),
    ("unknown_funding.yaml", "14:14", "E-undefined-funding", ["funding scheme 'dinsoss'", "did you mean 'dinsos'?"]),
    ("empty.yaml", "1:1", "E-empty-file", ["the file is empty", "expected a scenario"]),
    ("comments_only.yaml", "1:1", "E-empty-file", ["the file is empty"]),
    ("start_outside_year.yaml", "15:12", "E-start-outside-year", ["start '2024-05' is outside the budget year 2025", "2025-01 to 2025-12"]),
    ("past_december.yaml", "16:13", "E-past-december", ["past December", "expected months <= 7"]),
    # `    programs: [jkk, jkm, jp]`: '[' at column 15, jkk 16, jkm 21, jp 26
    ("jp_on_bpu.yaml", "15:26", "E-jp-on-bpu", ["'jp' (pension) is not open to bpu"]),
    ("income_below_minimum.yaml", "13:13", "E-income-outside-range", ["declared income Rp 999,999", "outside the BPU range", "Rp 1,000,000"]),
    ("duplicate_cohort.yaml", "15:11", "E-duplicate-cohort", ["cohort name 'Nelayan' is used twice (first at line 10)"]),
    ("duplicate_key.yaml", "3:1", "E-duplicate-key", ["duplicate key 'year' (first at line 2)"]),
    ("list_for_mapping.yaml", "4:3", "E-not-a-mapping", ["workforce is a list", "expected a mapping"]),
    # the first repeat past the alias budget: a *d inside e repeats d (1,111 values, line 4, column
    # 4); found from the sizes of the nodes, before anything is expanded
    ("alias_bomb.yaml", "4:4", "E-alias-bomb", ["aliases expand too far", "an alias bomb?"]),
    ("recursive_alias.yaml", "1:4", "E-recursive-alias", ["recursive alias"]),
    ("tab_indent.yaml", "2:1", "E-invalid-yaml", ["tab character"]),
    ("top_level_list.yaml", "1:1", "E-not-a-mapping", ["the scenario is a list", "expected a mapping"]),
    ("decimal_income.yaml", "13:13", "E-fraction-rupiah", ["income '1000000.50' has a fraction", "whole rupiah"]),
    ("thousands_separator.yaml", "13:13", "E-thousands-separator", ["uses thousands separators", "1_000_000"]),
    ("year_out_of_range.yaml", "2:7", "E-year-out-of-range", ["year 2200 is out of range", "2000..2100"]),
    ("covered_more_than_employed.yaml", "5:12", "E-covered-above-employed", ["covered 5,000 is more than employed 1,000"]),
    ("risk_on_bpu.yaml", "15:5", "E-key-for-other-category", ["'risk' applies only to pu cohorts"]),
    ("programs_without_jkm.yaml", "15:15", "E-programs-without-jkk-jkm", ["programs must include jkk and jkm"]),
    ("cohorts_empty_list.yaml", "9:10", "E-no-cohorts", ["cohorts is empty"]),
    ("two_documents.yaml", "15:1", "E-invalid-yaml", ["another document"]),
    ("start_not_a_month.yaml", "15:12", "E-start-not-a-month", ["start 'Aprill' is not a month", "YYYY-MM", "a month's name"]),
    ("unknown_category.yaml", "12:15", "E-unknown-choice", ["category 'bpuu' is not known", "did you mean 'bpu'?"]),
]

@pytest.mark.parametrize("fixture, where, code, phrases", CASES, ids=[c[0].removesuffix(".yaml") for c in CASES])
def test_simulate_reports_the_mistake_at_its_place(fixture, where, code, phrases):
    assert_bad_input(invoke_ucj("simulate", fixture, cwd=BAD), f"{fixture}:{where}: ", code, *phrases)


def test_a_typo_also_reports_the_missing_required_key():
    done = invoke_ucj("simulate", "typo_key.yaml", cwd=BAD)
    assert_bad_input(done, "typo_key.yaml:10:5: ", "E-missing-key", "a cohort has no 'workers'")


def test_every_problem_of_a_file_is_reported_in_order():
    done = invoke_ucj("simulate", "two_errors.yaml", cwd=BAD)
    assert_bad_input(done, "two_errors.yaml:2:7: ", "E-not-a-number", "year is text 'abc'")
    assert errors_of(done.stderr) == [
        "two_errors.yaml:2:7: year is text 'abc'; expected a whole number >= 2000 [E-not-a-number]",
        "two_errors.yaml:11:14: workers is -1; expected a whole number >= 0 [E-below-minimum]",
    ]


def test_the_same_problems_in_indonesian():
    done = invoke_ucj("simulate", "two_errors.yaml", "--lang", "id", cwd=BAD)
    assert errors_of(done.stderr) == [
        "two_errors.yaml:2:7: year berupa teks 'abc'; seharusnya bilangan bulat >= 2000 [E-not-a-number]",
        "two_errors.yaml:11:14: workers bernilai -1; seharusnya bilangan bulat >= 0 [E-below-minimum]",
    ]
    done = invoke_ucj("simulate", "unknown_funding.yaml", "--lang", "id", cwd=BAD)
    assert errors_of(done.stderr) == [
        "unknown_funding.yaml:14:14: sumber dana 'dinsoss' pada kelompok 'Nelayan' tidak didefinisikan di bawah "
        "`funding:`; maksud Anda 'dinsos'? seharusnya salah satu dari: dinsos [E-undefined-funding]",
    ]


def test_missing_file():
    assert_bad_input(invoke_ucj("simulate", "does-not-exist.yaml", cwd=BAD), "does-not-exist.yaml:1:1: ", "E-file-not-found", "file not found")


def test_a_folder_instead_of_a_file():
    assert_bad_input(invoke_ucj("simulate", "folder", cwd=BAD), "folder:1:1: ", "E-file-is-folder", "is a folder", "expected a YAML file")


def test_file_that_is_not_utf8():
    # line 3 is right; the column is checked in test_not_utf8_column_points_at_the_bad_byte
    line = assert_bad_input(invoke_ucj("simulate", "not_utf8.yaml", cwd=BAD), "not_utf8.yaml:3:", "E-not-utf8", "not UTF-8")
    assert re.match(r"not_utf8\.yaml:3:\d+: ", line)


def test_malformed_yaml_on_standard_input():
    done = invoke_ucj("simulate", "-", input="name: [Test\nyear: 2025\n", cwd=BAD)
    # "Test\nyear" folds into one plain scalar; the ':' at 2:5 is where ',' or ']' was expected
    assert_bad_input(done, "<stdin>:2:5: ", "E-invalid-yaml", "invalid YAML")


def test_compare_with_a_broken_second_file():
    assert_bad_input(invoke_ucj("compare", GOOD, "negative_count.yaml", cwd=BAD), "negative_count.yaml:11:14: ", "E-below-minimum", "workers is -5")


def test_batch_reports_a_broken_file_and_goes_on(tmp_path):
    done = invoke_ucj("batch", "negative_count.yaml", GOOD, "--out", str(tmp_path), cwd=BAD)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr  # documented: 1 = a broken file in a batch
    assert "negative_count.yaml:11:14: workers is -5; expected a whole number >= 0 [E-below-minimum]" in errors_of(done.stderr), done.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["failed"] == ["negative_count.yaml"]
    assert (tmp_path / "good.json").exists()


# --- ucj validate: every problem of every file ---------------------------------------------------

FOLDER_PROBLEMS = [  # (code, the line as printed; a line ending in ": " is checked as a prefix)
    ("E-below-minimum", "folder/a_negative.yaml:11:14: workers is -5; expected a whole number >= 0"),
    ("E-missing-key", "folder/b_typo.yaml:10:5: a cohort has no 'workers'; expected `workers:` here"),
    ("E-unknown-key", "folder/b_typo.yaml:11:5: unknown key 'worker' in a cohort; did you mean 'workers'? expected one of: "),
    ("E-invalid-yaml", "folder/c_malformed.yaml:2:5: invalid YAML: did not find expected ',' or ']'"),
    ("E-not-a-number", "folder/d_two_errors.yaml:2:7: year is text 'abc'; expected a whole number >= 2000"),
    ("E-below-minimum", "folder/d_two_errors.yaml:11:14: workers is -1; expected a whole number >= 0"),
]


def test_validate_folder_reports_every_problem_of_every_file():
    done = invoke_ucj("validate", "folder", cwd=BAD)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr
    # the problems go to stdout today (a linter's report); accept them on either stream
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("folder/")]
    assert len(lines) == len(FOLDER_PROBLEMS), lines
    for (code, expected), line in zip(FOLDER_PROBLEMS, lines):
        assert line.startswith(expected) and line.endswith(f" [{code}]"), (expected, line)
    assert "5 files checked: 1 valid, 4 invalid; 6 errors, 0 warnings" in done.stderr


def test_validate_github_format_gives_one_annotation_per_problem():
    done = invoke_ucj("validate", "--format", "github", "folder", cwd=BAD)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr
    annotations = [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("::")]
    expected = []
    for code, problem in FOLDER_PROBLEMS:
        file, line, col, message = problem.split(":", 3)
        expected.append(f"::error file={file},line={line},col={col},title={code}::{message.strip()}")
    assert len(annotations) == len(expected), annotations
    for want, got in zip(expected, annotations):
        assert got.startswith(want), (want, got)
    assert not any(re.match(r"^folder/\S+:\d+:\d+: ", line) for line in done.stdout.splitlines())


def test_validate_all_single_mistake_fixtures_at_once():
    files = [fixture for fixture, _, _, _ in CASES]
    done = invoke_ucj("validate", *files, cwd=BAD)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2
    out = done.stdout + done.stderr
    lines = out.splitlines()
    for fixture, where, code, phrases in CASES:
        assert any(line.startswith(f"{fixture}:{where}: ") and phrases[0] in line and line.endswith(f"[{code}]") for line in lines), fixture
    assert f"{len(files)} files checked: 0 valid, {len(files)} invalid" in done.stderr


# --- defects: these fail today ---------------------------------------------------------------------

xfail = lambda reason: pytest.mark.xfail(reason=reason, strict=True)  # noqa: E731


def test_huge_number_is_rejected_not_a_traceback():
    assert_bad_input(invoke_ucj("simulate", "huge_number.yaml", cwd=BAD), "huge_number.yaml:11:14: ", "E-too-large", "workers")


@pytest.mark.smoke  # undecodable bytes through a real pipe into the installed command
def test_non_utf8_standard_input():
    done = run_ucj("simulate", "-", cwd=BAD, input=b"name: Kab. Bl\xeftar\n")
    line = assert_bad_input(done, "<stdin>:1:", "E-not-utf8", "UTF-8")
    assert re.match(r"<stdin>:1:\d+: ", line)


def test_required_cohort_value_left_empty():
    done = invoke_ucj("simulate", "null_workers.yaml", cwd=BAD)
    assert done.returncode == 2, done.stderr
    assert re.search(r"^null_workers\.yaml:11:(5|14): .*workers", done.stderr, re.M), done.stderr


@pytest.mark.parametrize("command", ["simulate", "validate"])
def test_required_top_level_value_left_empty(command):
    done = invoke_ucj(command, "null_year.yaml", cwd=BAD)
    assert done.returncode == 2, done.stderr
    assert re.search(r"^null_year\.yaml:2:(1|6): .*year.*; ", done.stdout + done.stderr, re.M), done.stderr


def test_cohorts_left_empty():
    done = invoke_ucj("simulate", "null_cohorts.yaml", cwd=BAD)
    assert done.returncode == 2, done.stderr
    assert re.search(r"^null_cohorts\.yaml:9:(1|9): .*cohorts", done.stderr, re.M), done.stderr


def test_bad_funding_kind_is_reported_once():
    done = invoke_ucj("simulate", "funding_kind_typo.yaml", cwd=BAD)
    assert_bad_input(done, "funding_kind_typo.yaml:8:11: ", "E-unknown-choice", "funding kind 'apdb' is not known")
    assert len(errors_of(done.stderr)) == 1, done.stderr


def test_control_character_position():
    done = invoke_ucj("simulate", "control_char.yaml", cwd=BAD)
    assert_bad_input(done, "control_char.yaml:1:8: ", "E-control-character", "#x0007")
    assert len(errors_of(done.stderr)) == 1, done.stderr


def test_not_utf8_column_points_at_the_bad_byte():
    assert_bad_input(invoke_ucj("simulate", "not_utf8.yaml", cwd=BAD), "not_utf8.yaml:3:16: ", "E-not-utf8", "not UTF-8")


def _workers_read_as(fixture: str) -> int | None:
    done = invoke_ucj("simulate", "--format", "json", fixture, cwd=BAD)
    assert "Traceback" not in done.stderr, done.stderr
    if done.returncode == 2:
        return None
    return json.loads(done.stdout)["cohorts"][0]["workers"]


def test_leading_zero_is_not_octal():
    assert _workers_read_as("octal_workers.yaml") in (None, 10)  # rejected at 11:14, or read as ten


def test_colon_number_is_not_base_60():
    done = invoke_ucj("simulate", "sexagesimal_workers.yaml", cwd=BAD)
    assert_bad_input(done, "sexagesimal_workers.yaml:11:14: ", "E-not-plain-number", "workers")


def test_start_date_not_on_the_first():
    assert_bad_input(invoke_ucj("simulate", "start_mid_month.yaml", cwd=BAD), "start_mid_month.yaml:15:12: ", "E-start-not-a-month", "start")


def test_start_month_with_leading_zero():
    done = invoke_ucj("simulate", "--format", "json", "start_month_08.yaml", cwd=BAD)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["cohorts"][0]["start"] == "2025-08"


def test_empty_text_message_names_the_key():
    assert_bad_input(invoke_ucj("simulate", "empty_name.yaml", cwd=BAD), "empty_name.yaml:1:7: ", "E-not-text", "name")


def test_output_path_under_a_file():
    done = invoke_ucj("simulate", GOOD, "--format", "json", "--output", "good.yaml/result.json", cwd=BAD)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr
    assert "good.yaml/result.json" in done.stderr


def test_compare_year_out_of_range():
    done = invoke_ucj("compare", GOOD, "--year", "2025", "--year", "2200", cwd=BAD)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stdout
    assert "2200" in done.stderr


def test_year_before_rule_book_points_at_the_year():
    assert_bad_input(invoke_ucj("simulate", "year_before_rulebook.yaml", cwd=BAD), "year_before_rulebook.yaml:2:7: ", "E-rule-missing-month", "2010")


# --- fuzz: parse_scenario raises ScenarioError or returns a Scenario, nothing else -----------------

BASE = (BAD / GOOD).read_text(encoding="utf-8")
FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _parse(text: str) -> None:
    try:
        scenario = ucj_cli.parse_scenario(text, "fuzz.yaml")
    except ucj_cli.ScenarioError:
        return
    assert isinstance(scenario, ucj_cli.Scenario)


@st.composite
def mutated_scenarios(draw) -> str:
    """The valid scenario with a few characters replaced, inserted or deleted."""
    text = list(BASE)
    alphabet = st.one_of(st.sampled_from(list(": -[]{}\n\t#&*!|>'\"0123456789~,?%@`.\\")), st.characters())
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text) - 1))
        op = draw(st.sampled_from(["replace", "insert", "delete"]))
        if op == "delete" and len(text) > 1:
            del text[at]
        elif op == "insert":
            text.insert(at, draw(alphabet))
        else:
            text[at] = draw(alphabet)
    return "".join(text)


@FUZZ
@given(st.one_of(st.text(), mutated_scenarios()))
def test_fuzz_text_only_raises_scenario_error(text):
    _parse(text)


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["latin-1", "utf-8"]))
def test_fuzz_bytes_only_raise_scenario_error(data, codec):
    _parse(data.decode(codec, "replace"))


@settings(max_examples=50, deadline=None, database=None)
@example(b"name: \xff\n")
@given(st.binary(max_size=100))
def test_fuzz_undecodable_bytes_as_standard_input_reads_them(data):
    _parse(data.decode("utf-8", "surrogateescape"))
