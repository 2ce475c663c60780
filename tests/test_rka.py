"""The RKA form (`--format rka`, `rka-csv`, `rka-markdown`): every item line is exactly Koefisien x
Harga, lines add up to each account, scheme and the total as `--format json` has them, prices that
change inside the year split a cohort's line, and account codes come from the rule book unless the
scheme states its own."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, SCENARIOS, invoke_ucj, scenarios
from ucj_cli import load_scenario, parse_scenario, simulate
from ucj_cli.errors import RuleBookError
from ucj_cli.period import month_index
from ucj_cli.engine.rka import build
from ucj_cli.rules.book import load_rulebook
from ucj_cli.model import PROGRAMS

EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))


def rka_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(invoke_ucj("simulate", str(path), "--format", "rka-csv", code=0).stdout)))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_lines_are_koefisien_times_harga_and_add_up_to_the_json(path):
    rows = rka_rows(path)
    figures = json.loads(invoke_ucj("simulate", str(path), "--format", "json", code=0).stdout)
    assert rows
    by_scheme: dict[str, int] = defaultdict(int)
    by_cohort: dict[str, int] = defaultdict(int)
    by_cohort_program: dict[tuple[str, str], int] = defaultdict(int)
    by_account: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        people, months, price, amount = (int(row[key]) for key in ("orang", "bulan", "harga", "jumlah"))
        assert people * months * price == amount, row
        assert row["koefisien"] == f"{people:,} Orang x {months} Bulan".replace(",", "."), row
        assert row["satuan"] == "Orang/Bulan" and row["ppn"] == "0"
        by_scheme[row["funding"]] += amount
        by_cohort[row["cohort"]] += amount
        by_account[(row["funding"], row["kode_rekening"] or row["programs"])] += amount
        if " " not in row["programs"]:
            by_cohort_program[(row["cohort"], row["programs"])] += amount
    assert sum(int(row["jumlah"]) for row in rows) == figures["total"]
    assert dict(by_scheme) == {key: item["amount"] for key, item in figures["by_funding"].items() if item["amount"]}
    cohorts = {item["name"]: item for item in figures["cohorts"] if item["amount"]}
    assert dict(by_cohort) == {name: item["amount"] for name, item in cohorts.items()}
    for (cohort, program), amount in by_cohort_program.items():
        assert amount == cohorts[cohort]["by_program"][program]
    # each account's lines add up to the account row of the form
    rka = build(simulate(load_scenario(str(path))))
    for scheme in rka.schemes:
        for block in scheme.accounts:
            assert by_account[(scheme.scheme.id, block.account.code or " ".join(block.programs))] == block.amount


def test_a_cohort_crossing_the_march_jp_cap_gets_two_lines():
    rows = [row for row in rka_rows(FIXTURES / "jp-cap-2025.yaml") if row["programs"] == "jp"]
    # The two lines' figures, worked by hand: tests/golden/rka-lines.yaml.
    assert [(row["first_month"], row["last_month"], row["koefisien"]) for row in rows] == [
        ("2025-01", "2025-02", "10 Orang x 2 Bulan"), ("2025-03", "2025-12", "10 Orang x 10 Bulan")]
    assert [row["uraian"] for row in rows] == ["Iuran JP - Tenaga ahli (Jan-Feb)", "Iuran JP - Tenaga ahli (Mar-Des)"]


def test_blitar_2024_dbhcht_line_is_reproduced_exactly():
    text = invoke_ucj("simulate", str(FIXTURES / "rka-blitar-2024.yaml"), "--format", "rka", code=0).stdout
    line = next(line for line in text.splitlines() if "5.387 Orang" in line)
    assert line.split() == ["Iuran", "JKK", "dan", "JKM", "-", "Petani", "dan", "buruh", "tembakau", "(Agu-Des)",
                            "5.387", "Orang", "x", "5", "Bulan", "Orang/Bulan", "Rp16.800", "0", "Rp452.508.000"]
    assert "5.1.02.05.02" in text and "Jumlah seluruh sumber dana" in text  # 5,387 x 5 x 16,800: tests/golden/rka-lines.yaml


def test_text_form_reads_like_the_sipd_form_with_account_codes_from_the_rule_book():
    result = invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "--format", "rka", code=0)
    text = result.stdout
    # Blitar's budget holds village money too (apbdes): the form is titled by funding source, and
    # the village scheme is headed as the village RKA / APBDes, never as an SKPD's (issue 19)
    assert text.startswith("FORMULIR RKA - RINCIAN BELANJA MENURUT SUMBER DANA\n")
    for heading in ("Kode Rekening", "Uraian", "Koefisien", "Satuan", "Harga", "PPN", "Jumlah"):
        assert heading in text
    lines = text.splitlines()
    jkk = lines.index(next(line for line in lines if line.startswith("5.1.02.02.02.0006")))
    assert "Belanja Iuran Jaminan Kecelakaan Kerja bagi Non ASN" in lines[jkk] and lines[jkk].endswith("Rp190.080.000")
    assert lines[jkk + 1].split() == ["Iuran", "JKK", "-", "Tenaga", "non-ASN", "Pemkab", "3.000", "Orang", "x", "12", "Bulan",
                                      "Orang/Bulan", "Rp5.280", "0", "Rp190.080.000"]
    assert lines[-2].split()[-1] == "Rp10.926.687.600"  # the grand total is the budget's
    assert "[W-account-missing]" in result.stderr and "'dbhcht'" in result.stderr


def test_english_when_asked():
    text = invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "--format", "rka", "--lang", "en", code=0).stdout
    assert text.startswith("RKA FORMS - DETAILED EXPENDITURE BY FUNDING SOURCE\n")
    assert "JKK contributions - Tenaga non-ASN Pemkab" in text and "3,000 Person x 12 Month" in text and "Rp 190,080,000" in text


def test_markdown_form():
    text = invoke_ucj("simulate", str(FIXTURES / "rka-blitar-2024.yaml"), "--format", "rka-markdown", code=0).stdout
    assert text.startswith("# FORMULIR RKA - RINCIAN BELANJA SKPD\n")
    line = next(line for line in text.splitlines() if "5.387 Orang" in line)
    assert [cell.strip() for cell in line.split("|")][1:-1] == [
        "", "Iuran JKK dan JKM - Petani dan buruh tembakau (Agu-Des)", "5.387 Orang x 5 Bulan", "Orang/Bulan", "Rp16.800", "0", "Rp452.508.000"]
    assert "**Jumlah seluruh sumber dana: Rp452.508.000**" in text


def test_missing_codes_warn_and_strict_fails():
    result = invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "--format", "rka-csv", "--strict", code=1)
    warnings = [line for line in result.stderr.splitlines() if "[W-account-missing]" in line]
    text = (SCENARIOS / "blitar-2025.yaml").read_text(encoding="utf-8").splitlines()
    schemes = [str(text.index(f"  {scheme}:") + 1) for scheme in ("dbhcht", "dinsos", "apbdes")]  # never employer or self
    assert [line.split(":")[1] for line in warnings] == schemes
    assert "JKK, JKM (3 cohort(s)" in warnings[2]  # the village officials' codes are known (role perangkat_desa); messages follow the run's language


SCHEMES = """name: Accounts
year: {year}
workforce: {{employed: 1000, covered: 0}}
funding:
  pemkab: {{kind: apbd{extra}}}
cohorts:
  - {{name: Staf, workers: 10, category: pu, income: 3_000_000, programs: [jkk, jkm, jht, jp], funding: pemkab}}
"""


def accounts_of(year: int, extra: str = "") -> dict[tuple[str, ...], str]:
    rka = build(simulate(parse_scenario(SCHEMES.format(year=year, extra=extra))))
    return {block.programs: block.account.code for block in rka.schemes[0].accounts}


def test_account_codes_are_dated_rule_data():
    # JKK and JKM of non-ASN staff have their lines; JHT is seen in the chart from 2026; JP has none.
    assert accounts_of(2025) == {("jkk",): "5.1.02.02.02.0006", ("jkm",): "5.1.02.02.02.0007", ("jht",): "", ("jp",): ""}
    assert accounts_of(2026) == {("jkk",): "5.1.02.02.02.0006", ("jkm",): "5.1.02.02.02.0007", ("jht",): "5.1.02.02.02.0010", ("jp",): ""}


def test_a_schemes_own_codes_win():
    assert accounts_of(2026, ', account: "5.1.02.99.99.0001"') == {("jkk", "jkm", "jht", "jp"): "5.1.02.99.99.0001"}
    assert accounts_of(2026, ', accounts: {jp: "5.1.02.99.99.0002", jkk: "5.1.02.99.99.0003"}') == {
        ("jkk",): "5.1.02.99.99.0003", ("jkm",): "5.1.02.02.02.0007", ("jht",): "5.1.02.02.02.0010", ("jp",): "5.1.02.99.99.0002"}
    both = accounts_of(2026, ', account: "5.1.02.99.99.0001", accounts: {jp: "5.1.02.99.99.0002"}')
    assert both == {("jkk", "jkm", "jht"): "5.1.02.99.99.0001", ("jp",): "5.1.02.99.99.0002"}


@pytest.mark.parametrize(("extra", "code", "at"), [
    (", account: 5.1", "E-account-code", "5.1}"),  # a YAML float, not a code
    (', account: "5-1-02"', "E-account-code", '"5-1'),
    (', accounts: {jkx: "5.1.02"}', "E-accounts-program", "jkx"),
    (', accounts: {jkk: ""}', "E-account-code", '""'),
    (", accounts: [5]", "E-accounts-shape", "[5]"),
])
def test_bad_account_codes_are_reported_at_their_place(tmp_path, extra, code, at):
    text = SCHEMES.format(year=2025, extra=extra)
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke_ucj("simulate", str(path), "--format", "rka", code=2)
    column = text.splitlines()[4].index(at) + 1
    assert result.stderr.count("\n") == 1 and f"bad.yaml:5:{column}: " in result.stderr and f"[{code}]" in result.stderr, result.stderr


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.sampled_from([None, "5.1.02.05.02"]))
def test_lines_cover_every_funded_month_once_at_the_engines_price(scenario, account):
    funding = {key: replace(scheme, account=account) for key, scheme in scenario.funding.items()}
    result = simulate(replace(scenario, funding=funding))
    rka = build(result)  # raises when a scheme's or the whole budget's lines do not add up
    assert rka.total == result.total
    # For each of the scenario's cohorts (a from_csv cohort's groups together), month and program:
    # the lines covering it hold exactly the people the engine priced, at the engine's amount.
    amount: dict[tuple[str, int], int] = defaultdict(int)
    people: dict[tuple[str, str, int], int] = defaultdict(int)
    for _, _, line in rka.lines():
        assert line.amount == line.workers * line.months * line.price
        for month in range(line.first, line.last + 1):
            amount[(line.cohort, month)] += line.workers * line.price
            for program in line.programs:
                people[(line.cohort, program, month)] += line.workers
    for total in result.by_cohort:
        for offset in range(12):
            month = month_index(scenario.year, offset + 1)
            assert amount.get((total.name, month), 0) == total.by_month[offset]
            for program in PROGRAMS:
                funded = sum(item.cohort.workers for item in total.groups
                             if any(part.program == program and part.funded for part in item.parts[offset]))
                assert people.get((total.name, program, month), 0) == funded


def test_errors_of_an_rka_run_follow_the_run_language(tmp_path):
    """The form is Indonesian unless a language is chosen (SIPD's form); the messages are the run's."""
    path = tmp_path / "bad.yaml"
    path.write_text(SCHEMES.format(year=2025, extra=", account: 5.1"), encoding="utf-8")
    assert "is not an account code" in invoke_ucj("simulate", str(path), "--format", "rka", code=2).stderr
    assert "bukan kode rekening" in invoke_ucj("simulate", str(path), "--format", "rka", "--lang", "id", code=2).stderr


@pytest.mark.parametrize("value", ['["5.1.02", ""]', '["5-1-02", "Belanja"]', '["5.1.02"]'])
def test_a_malformed_account_in_a_rule_file_is_a_clear_error(tmp_path, value):
    (tmp_path / "accounts.yaml").write_text(f"description: x\nreference: y\nunit: account\nvalues:\n  2025-01-01: {{value: {value}, reference: z}}\n")
    with pytest.raises(RuleBookError, match=r"accounts.yaml:5:\d+: an account value is not \[code, name\].*\[E-rule-account\]"):
        load_rulebook.__wrapped__(str(tmp_path))


def test_the_workbook_has_an_rka_sheet_with_live_formulas_and_ucjs_figures(tmp_path):
    import openpyxl

    target = tmp_path / "blitar.xlsx"
    invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "--output", str(target), "--lang", "id", code=0)
    figures = json.loads(invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "--format", "json", code=0).stdout)
    values = list(openpyxl.load_workbook(target, data_only=True)["RKA"].iter_rows(values_only=True))
    formulas = list(openpyxl.load_workbook(target)["RKA"].iter_rows(values_only=True))
    assert values[0] == ("Kode Rekening", "Uraian", "Koefisien", "Satuan", "Harga", "PPN", "Jumlah", "Orang", "Bulan")
    lines = [(row, formula) for row, formula in zip(values, formulas) if row[7] is not None and row[0] is None]
    assert lines and all(row[6] == row[7] * row[8] * row[4] and formula[6].startswith("=H") for row, formula in lines)
    subtotals = [row[6] for row in values if row[1] and row[1].startswith("Jumlah sumber dana ")]
    assert subtotals == [item["amount"] for item in figures["by_funding"].values()]
    assert values[-1][1:] == ("Jumlah seluruh sumber dana", None, None, None, None, figures["total"], None, None)
    pemkab = next(index for index, row in enumerate(values) if row[0] == "5.1.02.02.02.0006")
    assert values[pemkab][6] == 190_080_000 and values[pemkab + 1][2:5] == ("3.000 Orang x 12 Bulan", "Orang/Bulan", 5_280)


def test_rka_files_take_their_own_suffixes(tmp_path):
    for name, suffix in (("rka", ".txt"), ("rka-csv", ".csv"), ("rka-markdown", ".md")):
        target = tmp_path / f"blitar{suffix}"
        invoke_ucj("simulate", str(FIXTURES / "rka-blitar-2024.yaml"), "--format", name, "--output", str(target), code=0)
        assert "5.387 Orang x 5 Bulan" in target.read_text(encoding="utf-8")
    refused = invoke_ucj("simulate", str(FIXTURES / "rka-blitar-2024.yaml"), "--format", "rka-csv", "--output", str(tmp_path / "x.json"), code=2)
    assert "[E-usage-format-suffix]" in refused.stderr


def test_account_codes_are_chosen_per_scheme_not_overridden(tmp_path):
    path = tmp_path / "what-if.yaml"
    path.write_text(SCHEMES.format(year=2025, extra="") + 'overrides:\n  accounts.apbd.non_asn.jkk: {2025-01: ["5.1", "x"]}\n', encoding="utf-8")
    assert "[E-override-unknown" in invoke_ucj("simulate", str(path), "--format", "rka", code=2).stderr


def test_ucj_rules_lists_the_account_mapping_with_its_sources():
    rules = {rule["name"]: rule for rule in json.loads(invoke_ucj("rules", "--on", "2026-06", "--format", "json", code=0).stdout)["rules"]}
    jht = rules["accounts.apbd.non_asn.jht"]
    assert jht["value"] == ["5.1.02.02.02.0010", "Belanja Iuran Jaminan Hari Tua bagi Non ASN"] and jht["unit"] == "account"
    assert jht["verified"] is False and "Kepmendagri" in jht["reference"]
    assert rules["accounts.apbdes.perangkat_desa.jp"]["value"][0] == "5.1.3.04"
    assert rules["accounts.apbd.non_asn.jp"]["value"] is None  # no national code: the scheme states one
    assert "apbdes" in rules["accounts.charts.apbdes"]["value"]


def test_the_rka_form_is_not_by_district():
    refused = invoke_ucj("simulate", str(SCENARIOS / "blitar-2025-desa.yaml"), "--format", "rka", "--by", "district", code=2)
    assert "[E-usage-by-rka]" in refused.stderr and "the RKA form" in refused.stderr  # in the run's language, not the form's


ROLES = """name: Roles
year: 2026
workforce: {employed: 10000, covered: 0}
funding:
  add: {kind: add}
  pemkab: {kind: apbd}
cohorts:
  - {name: Kepala desa, role: kepala_desa, workers: 20, income: 4_000_000, programs: [jkk, jkm, jht, jp], funding: add}
  - {name: Perangkat desa, role: perangkat_desa, workers: 150, income: 2_500_000, programs: [jkk, jkm], funding: add}
  - {name: BPD, role: bpd, workers: 90, category: pu, income: 1_200_000, funding: add}
  - {name: Staf kontrak, role: non_asn, workers: 40, income: 3_000_000, programs: [jkk, jkm, jht], funding: pemkab}
  - {name: Petugas pemilu, role: penyelenggara_pemilu, workers: 30, category: pu, income: 3_000_000, funding: pemkab}
"""


def test_the_role_picks_the_account():
    rka = build(simulate(parse_scenario(ROLES)))
    lines = {(block.account.code, line.cohort, line.programs) for scheme in rka.schemes for block in scheme.accounts for line in block.lines}
    assert ("5.1.3.03", "Kepala desa", ("jkk", "jkm", "jht", "jp")) in lines  # one village code: one line for all programs
    assert ("5.1.3.04", "Perangkat desa", ("jkk", "jkm")) in lines
    assert {("", "BPD", ("jkk",)), ("", "BPD", ("jkm",))} <= lines  # no national line for BPD members
    assert {("5.1.02.02.02.0006", "Staf kontrak", ("jkk",)), ("5.1.02.02.02.0010", "Staf kontrak", ("jht",))} <= lines  # JHT from 2026
    assert ("", "Petugas pemilu", ("jkk",)) in lines  # a stated role other than non_asn is not read as non-ASN staff
    warned = {dict(item.args)["scheme"]: tuple(dict(item.args)["programs"]) for item in rka.diagnostics}
    assert warned == {"add": ("JKK", "JKM"), "pemkab": ("JKK", "JKM")}


def test_the_text_and_markdown_forms_are_signed_as_the_workbook_is():
    """`signatures:` under the RKA form in every format a committee prints: text, markdown, xlsx."""
    draft = str(SCENARIOS / "blitar-2027-draft.yaml")
    text = invoke_ucj("simulate", draft, "-f", "rka").stdout.splitlines()
    total = next(n for n, line in enumerate(text) if "Jumlah seluruh sumber dana" in line)
    signed = [line for line in text[total:] if "Bupati Blitar" in line or "NIP. 19700101 199503 1 001" in line]
    assert len(signed) == 2 and text[-2].startswith("Nama Kepala Bappeda") and "Nama Bupati" in text[-2]
    markdown = invoke_ucj("simulate", draft, "-f", "rka-markdown").stdout
    assert "| Kepala Bappeda Kabupaten Blitar | Bupati Blitar |" in markdown
    plain = invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "-f", "rka").stdout
    assert "NIP." not in plain  # no signatures: nothing under the form
