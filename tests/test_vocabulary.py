"""One vocabulary, fully Indonesian with --lang id: rule data, references, headings, payers."""

from __future__ import annotations

import re

from conftest import SCENARIOS, invoke_ucj

BLITAR_2025, DRAFT = str(SCENARIOS / "blitar-2025.yaml"), str(SCENARIOS / "blitar-2027-draft.yaml")
ENGLISH = re.compile(r"\b(the|of|and|is|not|was|were|read|from|which)\b")


def test_rules_in_indonesian_have_no_english_sentence_and_no_art():
    text = invoke_ucj("rules", "--lang", "id").stdout + invoke_ucj("rules", "--unverified", "--lang", "id").stdout
    assert "art." not in text and "Pasal" in text
    english = [line for line in text.splitlines() if line.startswith(("  uraian:", "  dasar hukum:", "  BELUM DIVERIFIKASI:"))
               and ENGLISH.search(line.split(":", 1)[1].replace("`", ""))]
    assert not english, english[:5]
    assert "  dasar hukum: PP 44/2015 Pasal 20 ayat (1)-(2); Lampiran II" in invoke_ucj("rules", "--history", "bpu.jkk", "--lang", "id").stdout


def test_explain_in_indonesian_cites_pasal_and_says_who_pays_for_the_participant():
    cohort = "Petani dan buruh tembakau (DBHCHT)"
    indonesian = invoke_ucj("explain", BLITAR_2025, "--cohort", cohort, "--lang", "id").stdout
    assert "JKK, dibayar DBHCHT 2025 (kesejahteraan masyarakat) atas nama peserta: Rp" in indonesian
    assert "Pembayar: peserta" not in indonesian and "JKK, peserta" not in indonesian and "art." not in indonesian
    english = invoke_ucj("explain", BLITAR_2025, "--cohort", cohort).stdout
    assert "JKK, paid by DBHCHT 2025 (kesejahteraan masyarakat) on the participant's behalf: Rp" in english
    self_paid = invoke_ucj("explain", BLITAR_2025, "--cohort", "Pelaku UMKM", "--lang", "id").stdout
    assert "JKK, peserta: Rp" in self_paid  # paid by the participants themselves (kind self)


def test_program_codes_are_upper_case_and_no_abbreviation_is_left():
    table = invoke_ucj("compare", str(SCENARIOS / "blitar-2024.yaml"), BLITAR_2025, "--by", "program", "--lang", "id").stdout
    assert re.search(r"^\s+JKK\s", table, re.M) and not re.search(r"^\s+jkk\s", table, re.M)
    assert "t/a" not in invoke_ucj("compare", str(SCENARIOS / "blitar-2024.yaml"), BLITAR_2025, "--lang", "id").stdout


def test_headings_name_a_scheme_and_the_plan_never_shows_a_flag():
    form = invoke_ucj("simulate", DRAFT, "-f", "rka").stdout
    assert "Sumber dana: DBHCHT 2027 (kesejahteraan masyarakat) (dbhcht) - bagan akun APBD" in form and "(dbhcht, dbhcht)" not in form
    plan = invoke_ucj("plan", DRAFT, "--budget", "dbhcht=1.000.000.000", "--lang", "id", "--quiet").stdout
    table = plan[:plan.index("Kelompok pekerja")]  # the funding table: where each budget comes from
    assert "--budget" not in table and "anggaran rencana" in table


def test_the_rules_sheet_speaks_the_run_language(tmp_path):
    import openpyxl

    out = tmp_path / "b.xlsx"
    assert invoke_ucj("simulate", BLITAR_2025, "-o", str(out), "--lang", "id").returncode == 0
    rows = list(openpyxl.load_workbook(out)["Aturan"].iter_rows(min_row=2, values_only=True))
    references = [row[3] for row in rows if row[3]]
    assert references and not [ref for ref in references if "art." in ref]
    assert any("Pasal 20 ayat (1)-(2)" in ref for ref in references)
    assert not [row[5] for row in rows if row[5] and ENGLISH.search(row[5])]
