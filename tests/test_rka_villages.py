"""Issue 19, RKA: the scheme's budget classification above its lines, an APBDes scheme headed as the
village RKA / APBDes, W-account-missing saying what regions use where no national code exists, and
`--by village` in rka, rka-csv and xlsx: one block per village, adding up to the budget."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import FIXTURES, SCENARIOS, invoke_ucj

CLASSIFIED = FIXTURES / "rka-classification.yaml"
DESA = SCENARIOS / "blitar-2025-desa.yaml"


def test_the_classification_is_printed_above_the_schemes_lines():
    text = invoke_ucj("simulate", str(CLASSIFIED), "-f", "rka").stdout
    lines = text.splitlines()
    head = lines.index("Sumber dana: DBHCHT 2025 (dbhcht) - bagan akun APBD")
    assert lines[head + 1:head + 5] == [
        "SKPD: 2.07.0.00.0.00.01.0000 Dinas Tenaga Kerja",
        "Program: 2.07.03 PROGRAM PENEMPATAN TENAGA KERJA",
        "Kegiatan: 2.07.03.2.02 Pelayanan Antarkerja di Daerah Kabupaten/Kota",
        "Sub Kegiatan: 2.07.03.2.02.0009 Fasilitasi Perlindungan Jaminan Sosial Tenaga Kerja",
    ]
    assert lines[head + 5].startswith("-----") and lines[head + 6].startswith("Kode Rekening")
    markdown = invoke_ucj("simulate", str(CLASSIFIED), "-f", "rka-markdown").stdout
    assert "- Sub Kegiatan: 2.07.03.2.02.0009 Fasilitasi Perlindungan Jaminan Sosial Tenaga Kerja\n\n| Kode Rekening" in markdown


def test_a_village_scheme_is_headed_as_the_village_rka_never_as_an_skpd():
    text = invoke_ucj("simulate", str(CLASSIFIED), "-f", "rka").stdout
    assert "RKA Desa / APBDes - Sumber dana: APBDes Desa Contoh (desa)" in text
    assert "RINCIAN BELANJA SKPD" not in text  # the form holds a village's budget too
    village_only = invoke_ucj("simulate", str(DESA), "-f", "rka").stdout
    assert village_only.splitlines()[0] == "RKA DESA - RINCIAN BELANJA APBDES" and "SKPD" not in village_only
    region_only = invoke_ucj("simulate", str(FIXTURES / "rka-blitar-2024.yaml"), "-f", "rka").stdout
    assert region_only.splitlines()[0] == "FORMULIR RKA - RINCIAN BELANJA SKPD"


def test_the_classification_in_the_workbook_and_through_plan_write(tmp_path):
    from openpyxl import load_workbook

    book = tmp_path / "c.xlsx"
    assert invoke_ucj("simulate", str(CLASSIFIED), "-o", str(book), "--lang", "id").returncode in (0, 1)
    column = [cell.value for cell in load_workbook(book)["RKA"]["B"]]
    assert "Program: 2.07.03 PROGRAM PENEMPATAN TENAGA KERJA" in column
    written = tmp_path / "w.yaml"
    run = invoke_ucj("plan", str(CLASSIFIED), "--write", str(written), "-o", str(tmp_path / "p.json"))
    assert run.returncode == 0, run.output
    assert 'sub_kegiatan: {code: "2.07.03.2.02.0009"' in written.read_text(encoding="utf-8")
    again = invoke_ucj("simulate", str(written), "-f", "rka").stdout
    assert "Sub Kegiatan: 2.07.03.2.02.0009 Fasilitasi Perlindungan Jaminan Sosial Tenaga Kerja" in again


@pytest.mark.parametrize(("change", "code", "where"), [
    ('code: "2.07.03"', "E-classification-code", (15, 23)),
    ("      kegiatan: {code", "E-classification-level", (16, 7)),
    ("classification:\n      skpd", "E-classification-shape", (13, 21)),
])
def test_a_wrong_classification_is_an_error_at_its_position(tmp_path, change, code, where):
    text = CLASSIFIED.read_text(encoding="utf-8")
    broken = {"E-classification-code": text.replace('code: "2.07.03"', "code: 2.07"),
              "E-classification-level": text.replace("      kegiatan: {code", "      kegiatn: {code"),
              "E-classification-shape": text.replace("    classification:\n", "    classification: [one]\n    unused:\n")}[code]
    path = tmp_path / "bad.yaml"
    path.write_text(broken, encoding="utf-8")
    run = invoke_ucj("validate", str(path))
    assert run.returncode == 2
    line = next(line for line in run.output.splitlines() if f"[{code}]" in line)
    assert line.startswith(f"{path}:{where[0]}:{where[1]}: "), line


def test_account_missing_says_what_regions_use_in_the_runs_language():
    english = invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "-f", "rka", "--lang", "en").stderr
    assert "regions use e.g. 5.1.02.05.02 (services to third parties) or 5.1.06 (social assistance)" in english
    assert "village systems add one in the 90-99 slots under 5.1.3" in english
    indonesian = invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "-f", "rka", "--lang", "id").stderr
    assert "daerah memakai misalnya 5.1.02.05.02 (belanja jasa kepada pihak ketiga) atau 5.1.06 (belanja bantuan sosial)" in indonesian
    assert "[W-account-missing]" in indonesian and "seharusnya kode yang tampil di SIPD daerah" in indonesian


def test_by_village_rka_one_block_per_village_adding_up_to_the_budget():
    total = json.loads(invoke_ucj("simulate", str(DESA), "-f", "json").stdout)["total"]
    text = invoke_ucj("simulate", str(DESA), "--by", "village", "-f", "rka").stdout
    blocks = [line for line in text.splitlines() if line.startswith("Desa ")]
    assert len(blocks) == 248 and blocks[0] == "Desa Pulerejo, Kecamatan Bakung (35.05.05.2001)"  # the code SIPD and Siskeudes key villages by
    village_totals = [int(line.split("Rp")[-1].replace(".", "")) for line in text.splitlines() if line.strip().startswith("Jumlah desa")]
    assert len(village_totals) == 248 and sum(village_totals) == total
    assert text.rstrip().splitlines()[-2].endswith(f"Rp{total:,}".replace(",", "."))


def test_by_village_rka_csv_is_one_row_per_village_and_line_and_sums_to_the_budget(tmp_path):
    total = json.loads(invoke_ucj("simulate", str(DESA), "-f", "json").stdout)["total"]
    out = tmp_path / "desa.csv"
    run = invoke_ucj("simulate", str(DESA), "--by", "village", "-f", "rka-csv", "-o", str(out))
    assert run.returncode in (0, 1), run.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0])[:4] == ["district", "village", "code", "funding"]
    assert sum(int(row["jumlah"]) for row in rows) == total
    assert all(int(row["jumlah"]) == int(row["orang"]) * int(row["bulan"]) * int(row["harga"]) for row in rows)
    assert len({(row["district"], row["village"]) for row in rows}) == 248
    stdout = invoke_ucj("simulate", str(DESA), "--by", "village", "-f", "rka-csv").stdout
    assert stdout == out.read_text(encoding="utf-8")


def test_by_village_xlsx_has_the_rka_of_each_village(tmp_path):
    from openpyxl import load_workbook

    total = json.loads(invoke_ucj("simulate", str(DESA), "-f", "json").stdout)["total"]
    out = tmp_path / "desa.xlsx"
    assert invoke_ucj("simulate", str(DESA), "--by", "village", "-o", str(out)).returncode in (0, 1)
    sheet = load_workbook(out, data_only=True)["RKA by village"]
    formulas = load_workbook(out)["RKA by village"]
    last = sheet.max_row
    assert sheet.cell(last, 7).value == total and formulas.cell(last, 7).value.startswith("=SUMIF(H2:H")
    lines = [row for row in sheet.iter_rows(min_row=2, values_only=True) if isinstance(row[7], int)]
    assert sum(row[6] for row in lines) == total and all(row[6] == row[7] * row[8] * row[4] for row in lines)
    assert sum(1 for row in sheet.iter_rows(values_only=True) if ", district " in str(row[1])) == 248


def test_by_district_is_still_not_an_rka():
    run = invoke_ucj("simulate", str(DESA), "--by", "district", "-f", "rka")
    assert run.returncode == 2 and "[E-usage-by-rka]" in run.output


def test_yaml_cohorts_come_as_one_block_that_is_not_a_village():
    text = invoke_ucj("simulate", str(CLASSIFIED), "--by", "village", "-f", "rka", "--lang", "en").stdout
    assert "Not by village: cohorts written in the scenario" in text
