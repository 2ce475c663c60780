"""Input as planners type it: grouped numbers, decimal commas, month names, Indonesian CSV
headers, mistyped commands, and every message in the run's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SCENARIOS, invoke_ucj
from ucj_cli.api import load_scenario
from ucj_cli.errors import ScenarioError
from ucj_cli.i18n import set_language
from ucj_cli.period import month_index, parse_month_words

HEAD = "name: S\nyear: 2027\nworkforce: {employed: 100000, covered: 10}\nfunding: {a: {kind: apbd}}\ncohorts:\n"


def _errors(tmp_path: Path, cohort: str, lang: str = "en") -> list[str]:
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + f"  - {{name: K, category: bpu, income: 1000000, funding: a, {cohort}}}\n")
    set_language(lang)
    try:
        load_scenario(str(path))
        return []
    except ScenarioError as exc:
        return [str(item).split(": ", 1)[1] for item in exc.diagnostics]
    finally:
        set_language("en")


def test_a_grouped_count_in_yaml_gets_the_thousands_message_as_in_csv(tmp_path):
    assert _errors(tmp_path, "workers: 1.250") == [
        "workers '1.250' uses thousands separators; expected a whole number >= 0, e.g. 1250 or 1_250 [E-thousands-separator]"]
    assert _errors(tmp_path, "workers: 1.250", "id") == [
        "workers '1.250' memakai pemisah ribuan; seharusnya bilangan bulat >= 0, misalnya 1250 atau 1_250 [E-thousands-separator]"]
    assert _errors(tmp_path, "workers: 1.5") == ["workers '1.5' has a fraction; expected a whole number >= 0 [E-fraction]"]


def test_a_decimal_comma_gets_its_own_hint(tmp_path):
    path = tmp_path / "b.yaml"  # block style: in a flow mapping the comma would part the value
    path.write_text(HEAD + "  - name: K\n    category: bpu\n    income: 1000000,00\n    workers: 5\n    funding: a\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(str(path))
    assert [str(item).split(": ", 1)[1] for item in caught.value.diagnostics] == [
        "income '1000000,00' is written with a decimal comma; expected a whole number >= 1 without decimals, e.g. 1000000 [E-decimal-comma]"]
    assert _errors(tmp_path, 'workers: "1.000,00"', "id") == [
        "workers '1.000,00' ditulis dengan koma desimal; seharusnya bilangan bulat >= 0 tanpa desimal, misalnya 1000 [E-decimal-comma]"]


@pytest.mark.parametrize("written, month", [("April", 4), ("apr", 4), ("Apr 2027", 4), ("Agustus 2027", 8), ("agu", 8),
                                            ("Mei", 5), ("May 2027", 5), ("2027-4", 4), ("Desember", 12), ("Okt.", 10)])
def test_start_reads_month_names_in_both_languages(written, month, tmp_path):
    assert parse_month_words(written, 2027) == month_index(2027, month)
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + f"  - {{name: K, workers: 5, category: bpu, income: 1000000, funding: a, start: {written}}}\n")
    assert load_scenario(str(path)).cohorts[0].start == month


def test_a_start_that_is_no_month_is_refused_with_the_form(tmp_path):
    assert _errors(tmp_path, "workers: 5, start: Aprill") == [
        "start 'Aprill' is not a month; expected YYYY-MM within the budget year, e.g. 2027-04, or a month's name (April, Apr 2027) [E-start-not-a-month]"]
    assert "[E-start-outside-year]" in _errors(tmp_path, "workers: 5, start: Apr 2026")[0]


def test_a_mistyped_command_gets_a_did_you_mean():
    done = invoke_ucj("simulat", "x.yaml")
    assert done.returncode == 2 and "ucj: no such command 'simulat'; did you mean 'simulate'? expected one of: simulate," in done.stderr
    assert "maksud Anda 'simulate'?" in invoke_ucj("simulat", "x.yaml", "--lang", "id").stderr


def test_a_usage_error_of_an_rka_run_follows_the_run_language():
    """The RKA form is Indonesian by default (SIPD's form), its messages are not."""
    args = ("simulate", str(SCENARIOS / "blitar-2025-desa.yaml"), "--by", "district", "-f", "rka-csv", "-o", "v.csv")
    english = invoke_ucj(*args, env={"LANG": "C.UTF-8"})
    assert english.returncode == 2 and english.stderr.startswith("ucj: --by district does not apply to the RKA form")
    assert invoke_ucj(*args, env={"LANG": "id_ID.UTF-8"}).stderr.startswith("ucj: --by district tidak berlaku")
    form = invoke_ucj("simulate", str(SCENARIOS / "blitar-2027-draft.yaml"), "-f", "rka", env={"LANG": "C.UTF-8"})
    assert "Jumlah seluruh sumber dana" in form.stdout and "warning: funding 'dbhcht'" in form.stderr


@pytest.mark.parametrize("written", ["dbhcht=3.000.000.000", "dbhcht=Rp3.000.000.000", "dbhcht=Rp 3,000,000,000", "dbhcht=3000000000"])
def test_plan_reads_budgets_grouped_in_threes_and_echoes_them(written):
    done = invoke_ucj("plan", str(SCENARIOS / "blitar-2027-draft.yaml"), "--budget", written, "-f", "json")
    assert done.returncode == 0, done.output
    assert '"budget": 3000000000' in done.stdout
    echoed = f"--budget dbhcht: {written.partition('=')[2]} read as Rp 3,000,000,000"
    assert (echoed in done.stderr) == (written != "dbhcht=3000000000")


@pytest.mark.parametrize("written", ["dbhcht=3.5", "dbhcht=1.000,50", "dbhcht=3.000,000", "dbhcht=30.00.000"])
def test_plan_refuses_an_amount_whose_grouping_is_ambiguous(written):
    done = invoke_ucj("plan", str(SCENARIOS / "blitar-2027-draft.yaml"), "--budget", written)
    assert done.returncode == 2 and "[E-plan-budget-value]" in done.stderr


@pytest.mark.parametrize("written", ["Juli", "Jul 2027", "2027-7", "July"])
def test_plan_start_reads_month_names_too(written):
    import json

    done = invoke_ucj("plan", str(SCENARIOS / "blitar-2027-draft.yaml"), "--start", written, "-f", "json")
    assert done.returncode == 0, done.output
    assert json.loads(done.stdout)["start"] == "2027-07"
