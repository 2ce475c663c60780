"""Issue 19, RKA in Excel: the RKA sheet's Orang, Koefisien and Jumlah are formulas on the same
worker cells as "By month", stored with ucj's figures. Proved by editing a cohort's workers in a
written workbook, recalculating it with a formula engine (the `formulas` package; LibreOffice
headless in a smoke test when installed), and comparing every sheet's totals with what ucj itself
prices for the edited scenario."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import invoke_ucj

SCENARIO = """\
name: RKA recalculation
region: Kabupaten Contoh
year: 2025
workforce: {employed: 100000, covered: 10000}
funding:
  pemkab: {name: APBD Pemkab, kind: apbd}
  dbhcht: {name: DBHCHT, kind: dbhcht, account: "5.1.02.05.02"}
cohorts:
  - {name: Tenaga ahli, role: non_asn, category: pu, income: 12_000_000, programs: [jkk, jkm, jht, jp], workers: 10, funding: pemkab}
  - {name: Petani tembakau, role: petani_tembakau, category: bpu, income: 1_000_000, workers: 7_000, funding: dbhcht, start: 2025-04, months: 9}
"""


def _write(tmp_path, text, lang="id"):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(text, encoding="utf-8")
    book = tmp_path / "s.xlsx"
    run = invoke_ucj("simulate", str(scenario), "-o", str(book), "--lang", lang)
    assert run.returncode in (0, 1), run.output
    return scenario, book


def _json(path):
    return json.loads(invoke_ucj("simulate", str(path), "-f", "json").stdout)


def test_the_rka_sheet_reads_the_workers_cells_of_by_month(tmp_path):
    from openpyxl import load_workbook

    _, book = _write(tmp_path, SCENARIO)
    formulas = load_workbook(book)["RKA"]
    cached = load_workbook(book, data_only=True)["RKA"]
    lines = [row for row in range(2, formulas.max_row + 1) if isinstance(formulas.cell(row, 7).value, str)
             and formulas.cell(row, 7).value.startswith("=H")]
    assert lines
    for row in lines:
        assert formulas.cell(row, 8).value.startswith("='Per bulan'!$C$")  # "By month" in Indonesian
        assert formulas.cell(row, 3).value.startswith("=FIXED(H")
        assert cached.cell(row, 3).value.endswith("Bulan") and " Orang x " in cached.cell(row, 3).value
    farmers = next(row for row in lines if "Petani tembakau" in cached.cell(row, 2).value)
    assert cached.cell(farmers, 3).value == "7.000 Orang x 9 Bulan" and cached.cell(farmers, 8).value == 7_000


def _row(sheet, label, column=1):
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, column).value == label)


def _edited(tmp_path):
    """The workbook with the farmers' workers changed on "By month" (7,000 -> 7,500), and what ucj
    prices for the same edit made in the scenario file."""
    from openpyxl import load_workbook

    _, book = _write(tmp_path, SCENARIO)
    workbook = load_workbook(book)
    months = workbook.worksheets[1]
    months.cell(_row(months, "Petani tembakau"), 3).value = 7_500
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)
    other = tmp_path / "other"
    other.mkdir()
    expected = _json(_write(other, SCENARIO.replace("workers: 7_000", "workers: 7_500"))[0])
    assert expected["total"] != _json(tmp_path / "s.yaml")["total"]
    return book, edited, expected


def test_an_edit_of_the_workers_reaches_every_sheet_after_recalculation(tmp_path):
    formulas = pytest.importorskip("formulas")
    from openpyxl import load_workbook

    book, edited, expected = _edited(tmp_path)
    values = {}
    for key, value in formulas.ExcelModel().loads(str(edited)).finish().calculate().items():
        sheet, _, ref = str(key).rpartition("!")
        try:
            values[sheet.split("]")[-1].strip("'").upper(), ref.replace("$", "")] = value.value.tolist()[0][0]
        except AttributeError:  # a range, not a cell
            continue
    layout = load_workbook(book)
    summary, months, lines, _rules, rka = layout.worksheets[:5]

    def value(sheet, ref):
        return values[sheet.title.upper(), ref]

    assert int(value(summary, f"B{_row(summary, 'Total anggaran')}")) == expected["total"]
    assert int(value(months, f"P{months.max_row}")) == expected["total"]
    assert sum(int(value(lines, f"K{r}")) for r in range(2, lines.max_row + 1)) == expected["total"]
    assert int(value(rka, f"G{_row(rka, 'Jumlah seluruh sumber dana', 2)}")) == expected["total"]
    for key, item in expected["by_funding"].items():
        assert int(value(rka, f"G{_row(rka, f'Jumlah sumber dana {key}', 2)}")) == item["amount"]
    farmers = next(r for r in range(2, rka.max_row + 1) if "Petani tembakau" in str(rka.cell(r, 2).value))
    assert value(rka, f"H{farmers}") == 7_500
    assert value(rka, f"C{farmers}").replace(",", ".") == "7.500 Orang x 9 Bulan"  # the engine's FIXED uses an English separator


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
def test_libreoffice_recalculates_the_edited_workbook_to_ucjs_figures(tmp_path):
    from openpyxl import load_workbook

    book, edited, expected = _edited(tmp_path)
    out = tmp_path / "out"
    done = subprocess.run(["soffice", "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(out), str(edited)],
                          capture_output=True, timeout=240, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    summary, months, lines, _rules, rka = load_workbook(out / "edited.xlsx", data_only=True).worksheets[:5]
    assert summary.cell(_row(summary, "Total anggaran"), 2).value == expected["total"]
    assert months.cell(months.max_row, 16).value == expected["total"]
    assert sum(lines.cell(r, 11).value for r in range(2, lines.max_row + 1)) == expected["total"]
    assert rka.cell(_row(rka, "Jumlah seluruh sumber dana", 2), 7).value == expected["total"]
    farmers = next(r for r in range(2, rka.max_row + 1) if "Petani tembakau" in str(rka.cell(r, 2).value))
    assert rka.cell(farmers, 8).value == 7_500
    assert rka.cell(farmers, 3).value.replace(",", ".") == "7.500 Orang x 9 Bulan"
