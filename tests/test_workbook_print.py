"""The workbook as the DPRD reads it: the Summary on one A4 landscape page (notes wrapped in a merged
cell, a by-program table, the chart below the tables, coverage from 0), a header and a page-numbered
footer on every sheet, and the diagnostics on a Notes sheet. Read back with openpyxl; converted to PDF
by LibreOffice where it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest

from conftest import SCENARIOS, invoke_ucj
from ucj_cli import __version__

DRAFT = str(SCENARIOS / "blitar-2027-draft.yaml")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    out = tmp_path_factory.mktemp("wb") / "draft.xlsx"
    assert invoke_ucj("simulate", DRAFT, "-o", str(out), "--lang", "id").returncode == 0
    return out


def test_every_sheet_has_the_region_scenario_year_header_and_a_page_footer(workbook):
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["Ringkasan", "Per bulan", "Rincian", "Aturan", "RKA", "Catatan"]
    for sheet in book.worksheets:
        assert sheet.oddHeader.left.text == "Kabupaten Blitar" and sheet.oddHeader.center.text == "Kabupaten Blitar - UCJ 2027 (draft)"
        assert sheet.oddHeader.right.text == "Tahun anggaran 2027"
        assert sheet.oddFooter.right.text == "Halaman &P dari &N" and sheet.oddFooter.left.text == f"ucj {__version__}"
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    summary = book["Ringkasan"]
    assert summary.sheet_properties.pageSetUpPr.fitToPage  # one page wide and one high (1 x 1 is the default, so not written)
    assert summary.page_setup.fitToWidth in (None, 1) and summary.page_setup.fitToHeight in (None, 1)
    assert book["Rincian"].page_setup.fitToHeight == 0  # the long sheets run on as many pages as they need


def test_the_summary_holds_tables_a_note_and_the_chart_below_and_the_notes_sheet_the_diagnostics(workbook):
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    summary = book["Ringkasan"]
    column_a = [summary.cell(row, 1).value for row in range(1, summary.max_row + 1)]
    column_i = [summary.cell(row, 9).value for row in range(1, summary.max_row + 1)]  # the right-hand tables
    assert column_i.index("Per program") == column_a.index("Skenario")  # beside the budget's facts
    programs = column_i.index("Per program") + 3  # the label, the header, then the programs
    assert [summary.cell(row, 9).value for row in range(programs, programs + 5)] == ["JKK", "JKM", "JHT", "JP", "Total"]
    assert summary.cell(programs + 4, 10).value == "=SUM(J{0}:J{1})".format(programs, programs + 3)
    assert column_i.index("Per bulan") == column_a.index("Sumber dana")  # the months beside the funding schemes
    january = column_i.index("Per bulan") + 3
    assert summary.cell(january, 9).value == "Januari 2027" and summary.cell(january + 12, 9).value == "Total"
    employed = column_a.index("Penduduk bekerja") + 1
    assert summary.cell(january, 12).value == f"=K{january}/$B${employed}"
    assert not any("[W-" in str(value) or "[N-" in str(value) for row in summary.iter_rows(values_only=True) for value in row)
    merged = [str(cells) for cells in summary.merged_cells.ranges]
    assert merged and all(re.fullmatch(r"B[0-9]+:G[0-9]+", cells) for cells in merged)
    notes = list(book["Catatan"].iter_rows(values_only=True))
    assert notes[0] == ("Tingkat", "Letak", "Catatan", "Kode")
    assert ("peringatan", "W-ceiling-overrun") in {(row[0], row[3]) for row in notes[1:]}
    assert all(row[1].startswith(DRAFT) for row in notes[1:])
    with zipfile.ZipFile(workbook) as archive:
        drawing = archive.read("xl/drawings/drawing1.xml").decode()
        chart = archive.read("xl/charts/chart1.xml").decode()
    anchor_row = int(re.search(r"<xdr:from><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>", drawing).group(2))
    anchor_col = int(re.search(r"<xdr:from><xdr:col>(\d+)</xdr:col>", drawing).group(1))
    assert anchor_col == 0 and anchor_row >= january + 12  # below the monthly table
    assert "$I$" in chart and "$J$" in chart and "$L$" in chart  # months, amounts and coverage from the Summary's table
    assert chart.count('<c:min val="0"/>') == 2  # the budget and the coverage axes start at 0


@pytest.mark.smoke
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_the_summary_on_one_page(workbook, tmp_path):
    done = subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook)], capture_output=True, timeout=180)
    pdf = tmp_path / "draft.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    if shutil.which("pdftotext") is None:
        return
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = int(re.search(r"Halaman 1 dari (\d+)", first).group(1))
    assert pages > 1 and "Kabupaten Blitar - UCJ 2027 (draft)" in first and "Tahun anggaran 2027" in first
    for heading in ("Sumber dana", "Per program", "Per bulan", "Desember 2027", "ucj " + __version__):
        assert heading in first  # the whole Summary on the first page
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Per program" not in second and f"Halaman 2 dari {pages}" in second


def test_signatures_are_printed_under_the_summary_and_the_rka(workbook):
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    for name in ("Ringkasan", "RKA"):
        cells = {(cell.row, cell.column): cell.value for row in book[name].iter_rows() for cell in row if cell.value is not None}
        titles = [(row, column) for (row, column), value in cells.items() if value == "Kepala Bappeda Kabupaten Blitar"]
        assert len(titles) == 1, name
        row, column = titles[0]
        assert cells[(row - 1, column)] == "Blitar, 30 November 2026" and cells[(row + 4, column)] == "Nama Kepala Bappeda"
        assert cells[(row + 5, column)] == "NIP. 19700101 199503 1 001"
        assert cells[(row, column + 3)] == "Bupati Blitar" and cells[(row + 4, column + 3)] == "Nama Bupati"
        assert book[name].cell(row + 4, column).font.u == "single" and book[name].cell(row + 4, column).font.b
        assert row > max(r for (r, c), value in cells.items() if value in ("Total", "Jumlah seluruh sumber dana"))  # under the tables


def test_signatures_are_checked_and_written_back(tmp_path):
    from ucj_cli.api import load_scenario
    from ucj_cli.errors import ScenarioError
    from ucj_cli.load.writer import round_trips, scenario_yaml
    from ucj_cli.model import Signature
    from ucj_cli.rules.book import load_rulebook

    scenario = load_scenario(DRAFT)
    assert scenario.signatures[0] == Signature("Kepala Bappeda Kabupaten Blitar", "Nama Kepala Bappeda", "Blitar", "30 November 2026",
                                               "19700101 199503 1 001")
    assert round_trips(scenario, scenario_yaml(scenario), load_rulebook())
    bad = tmp_path / "s.yaml"
    bad.write_text("name: S\nyear: 2027\nworkforce: {employed: 100, covered: 0}\nfunding: {a: {kind: apbd}}\n"
                   "cohorts: [{name: K, workers: 1, category: bpu, income: 1000000, funding: a}]\n"
                   "signatures: Bupati\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(str(bad))
    assert "[E-signatures-not-a-list]" in str(caught.value)
    bad.write_text(bad.read_text().replace("signatures: Bupati", "signatures: [{title: Bupati, nama: X}]"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(str(bad))
    assert "unknown key 'nama' in a signature; did you mean 'name'?" in str(caught.value)


def test_a_word_after_a_right_aligned_figure_is_indented_so_printed_the_two_never_touch(workbook):
    import openpyxl

    summary = openpyxl.load_workbook(workbook)["Ringkasan"]
    statuses = [row[6] for row in summary.iter_rows() if row[5].number_format.startswith('"Rp"') and isinstance(row[6].value, str)
                and row[6].value.startswith("=IF(")]
    assert statuses and all(cell.alignment.indent == 1 for cell in statuses)
    assert all(row[5].alignment.indent == 0 for row in summary.iter_rows() if isinstance(row[5].value, int))
