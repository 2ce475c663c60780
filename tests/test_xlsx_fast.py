"""Issue 22, lean workbooks: every cell is written as sheet XML by `render/sheetxml.py` and spliced
into the zip XlsxWriter lays out. Proved here: a cell comes out byte for byte as XlsxWriter's
constant-memory mode writes it (hostile texts included), except rich-text markup, which is escaped,
and the reference of a cell right after the one before it, which is left out;
a workbook reads back with openpyxl with the engine's figures, live formulas and formats; the same
input gives the same bytes; the RKA by village goes on over several sheets rather than being cut."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
import xlsxwriter

from conftest import SCENARIOS, invoke_ucj
from ucj_cli.render import sheetxml

HOSTILE = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "<&>", 'say "hi"', "tab\there", "new\nline", "bell\x07esc\x1b",
           "nul\x00", "_x0041_ literal", "_X00a1_", "\u202eevil", "zero\u200bwidth", " lead", "trail ", "\ufffe\uffff", "Désa Ñ 🌾",
           "", "x" * 40_000, "🌾" * 20_000]


def _sheet_data(part: bytes) -> tuple[str, str]:
    text = part.decode()
    return re.search(r'<dimension ref="[^"]*"/>', text).group(0), re.search(r"<sheetData(/>|>.*</sheetData>)", text, re.S).group(0)


def _xlsxwriter_sheet(write) -> bytes:
    """What XlsxWriter alone writes for the cells `write(worksheet, formats)` writes."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    formats = [book.add_format({}), book.add_format({"num_format": "#,##0", "bold": True}), book.add_format({"text_wrap": True})]
    write(book.add_worksheet("S"), formats)
    book.close()
    with zipfile.ZipFile(out) as package:
        return package.read("xl/worksheets/sheet1.xml")


def _implied(xml: str) -> str:
    """Sheet XML without the references a reader infers: a cell right after the one before it in
    its row (or first in its row and in column A), or a few columns on after empty cells, a row
    right after the row before it (or the first row of the sheet)."""
    before = [0]

    def number(found):
        implied, before[0] = int(found.group(1)) == before[0] + 1, int(found.group(1))
        return "<row" if implied else found.group(0)

    def row(match):
        after = [0]

        def cell(found):
            number = 0
            for letter in found.group(1):
                number = number * 26 + ord(letter) - 64
            gap, after[0] = number - after[0] - 1, number
            return "<c/>" * gap + "<c" if gap <= sheetxml.FILLED_GAP else found.group(0)

        return re.sub(r'<c r="([A-Z]+)\d+"', cell, match.group(0))

    return re.sub(r'<row r="(\d+)"', number, re.sub(r"<row[^>]*>.*?</row>", row, xml, flags=re.S))


def _cells(target, formats) -> None:
    plain, money, wrap = formats
    for row, value in enumerate(HOSTILE):
        target.write_string(row, 0, value, plain)
        target.write_number(row, 1, [0, 7, -12_345, 10**15 + 1, 0.0024, 1 / 3, 123456789.125][row % 7], money)
        target.write_formula(row, 3, f"=B{row + 1}*2", money, [42, 0.5, "", "OVER", True, 10**14][row % 6])
    target.set_row(len(HOSTILE), 45)
    target.write_string(len(HOSTILE), 2, "wrapped", wrap)
    target.write_blank(len(HOSTILE), 4, "", wrap)
    target.write_formula(len(HOSTILE) + 2, 5, '=IF(D1>E1,"<OVER>","ok")', plain, "ok")


def test_cells_as_xlsxwriter_writes_them(tmp_path):
    expected = _xlsxwriter_sheet(_cells)

    class Blank(sheetxml.Rows):  # XlsxWriter's write_blank takes the (empty) value too
        def write_blank(self, row, col, blank, format_=None):
            super().write_blank(row, col, format_)

    def ours(worksheet, formats):
        rows = Blank(str(tmp_path / "rows.xml"))
        _cells(rows, formats)
        rows.close()
        ours.rows = rows

    template = _xlsxwriter_sheet(ours)  # the same formats numbered in the same order, no cell of XlsxWriter's
    body = b"".join(ours.rows.held).decode()
    dimension, data = _sheet_data(expected)
    assert dimension == f'<dimension ref="{ours.rows.dimension()}"/>'
    assert _implied(data) == f"<sheetData>{body}</sheetData>" != data
    assert "<c/><c s=" in body and '<c r="F24"' in body  # a short gap as empty cells, a longer one by reference
    assert _sheet_data(template)[1] == "<sheetData/>"


def test_rich_text_markup_is_escaped(tmp_path):
    """XlsxWriter passes `<r>...</r>` through as XML (a broken workbook for `<r>&</r>`); a name never is."""
    rows = sheetxml.Rows(str(tmp_path / "rows.xml"))
    rows.write_string(0, 0, "<r>&</r>")
    rows.close()
    assert rows.held == [b'<row><c t="inlineStr"><is><t>&lt;r&gt;&amp;&lt;/r&gt;</t></is></c></row>']


def test_rows_are_never_dropped(tmp_path):
    rows = sheetxml.Rows(str(tmp_path / "rows.xml"))
    rows.write_number(5, 0, 1)
    with pytest.raises(ValueError):
        rows.write_number(4, 0, 1)
    with pytest.raises(sheetxml.RowsFull):
        rows.write_number(sheetxml.MAX_ROWS, 0, 1)
    rows.close()


def test_joined_rows():
    pieces = sheetxml.joined([(0, sheetxml.number_cell(3, None)), (27, sheetxml.formula_cell("=SUM(A\0:B\0)", None, 3)),
                              (28, sheetxml.number_cell(4, None))])
    assert "12".join(pieces) == '<c><v>3</v></c><c r="AB12"><f>SUM(A12:B12)</f><v>3</v></c><c><v>4</v></c>'
    assert "7".join(sheetxml.joined([(3, sheetxml.number_cell(5, None))], 2)) == "<c><v>5</v></c>"
    assert "7".join(sheetxml.joined([(3, sheetxml.number_cell(5, None))], 1)) == "<c/><c><v>5</v></c>"  # C empty, then D
    assert "7".join(sheetxml.joined([(6, sheetxml.number_cell(5, None))], 1)) == "<c/>" * 4 + "<c><v>5</v></c>"  # C to F empty, then G
    assert "7".join(sheetxml.joined([(7, sheetxml.number_cell(5, None))], 1)) == '<c r="H7"><v>5</v></c>'  # past FILLED_GAP


def _hostile_scenario(folder):
    names = ["=1+1", "<&> \u202e", "tab\tname", "_x0041_", "@SUM(A1)", "bell\x07", "<r>&</r>"]
    cohorts = "\n".join(f"  - {{name: {name!r}, category: bpu, income: 1_000_000, workers: {10 + index}, funding: desa}}".replace("\\x07", "\\a")
                        for index, name in enumerate(names))
    scenario = folder / "h.yaml"
    text = ("name: Hostile\nyear: 2025\nworkforce: {employed: 1000, covered: 10}\nfunding:\n  desa: {kind: apbdes}\ncohorts:\n"
            + cohorts.replace("'", '"') + "\n")
    scenario.write_text(text, encoding="utf-8")
    return scenario, names


def test_hostile_names_read_back_as_text(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    scenario, names = _hostile_scenario(tmp_path)
    book = tmp_path / "h.xlsx"
    run = invoke_ucj("simulate", str(scenario), "-o", str(book), "--lang", "en")
    assert run.returncode in (0, 1), run.output
    workbook = openpyxl.load_workbook(book)
    by_month, lines = workbook["By month"], workbook["Lines"]
    read = [by_month.cell(row, 1).value for row in range(2, 2 + len(names))]
    unescaped = [re.sub("_x([0-9A-F]{4})_", lambda match: chr(int(match.group(1), 16)), value) for value in read]
    assert unescaped == names  # as Excel reads `_xHHHH_` (openpyxl leaves it as written)
    assert by_month.cell(2, 1).data_type == "s" and by_month.cell(2, 1).quotePrefix
    assert {lines.cell(row, 1).value for row in range(2, lines.max_row + 1)} == set(read)


def test_workbook_reads_back_with_the_figures(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from ucj_cli import api

    book = tmp_path / "b.xlsx"
    run = invoke_ucj("simulate", str(SCENARIOS / "blitar-2025.yaml"), "-o", str(book), "--lang", "en")
    assert run.returncode in (0, 1), run.output
    result = api.simulate(api.load_scenario(str(SCENARIOS / "blitar-2025.yaml")))
    formulas, values = openpyxl.load_workbook(book), openpyxl.load_workbook(book, data_only=True)
    assert formulas.sheetnames == ["Summary", "By month", "Lines", "Rules", "RKA", "Notes"]
    lines = list(result.lines())
    sheet, cached = formulas["Lines"], values["Lines"]
    assert sheet.max_row == len(lines) + 1 and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:K{len(lines) + 1}"
    for row, line in enumerate(lines, start=2):
        assert sheet.cell(row, 11).value == f"=I{row}*J{row}" and cached.cell(row, 11).value == line.amount
        assert cached.cell(row, 9).value == line.part.per_person and cached.cell(row, 1).value == line.cohort.name
    assert sheet.cell(2, 2).number_format == "yyyy-mm" and sheet.cell(2, 11).number_format == formulas["By month"].cell(2, 16).number_format
    assert values["By month"].cell(len(result.by_cohort) + 2, 16).value == result.total
    assert values["Summary"]["B7"].value is not None and formulas["Summary"].merged_cells is not None


def test_by_village_reads_back(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from ucj_cli import api

    path = SCENARIOS / "blitar-2025-desa.yaml"
    book = tmp_path / "v.xlsx"
    run = invoke_ucj("simulate", str(path), "--by", "village", "-o", str(book), "--lang", "en")
    assert run.returncode in (0, 1), run.output
    result = api.simulate(api.load_scenario(str(path)))
    places = list(api.places(result, "village").lines)
    formulas, values = openpyxl.load_workbook(book), openpyxl.load_workbook(book, data_only=True)
    sheet, cached = formulas["By village"], values["By village"]
    for row, line in enumerate(places, start=2):
        assert [cached.cell(row, column).value or "" for column in range(1, 5)] == [line.cohort, line.district, line.village or "(not from CSV)", line.code]
        assert [cached.cell(row, column).value for column in range(5, 18)] == [line.workers, *line.by_month]
        assert sheet.cell(row, 18).value == f"=SUM(F{row}:Q{row})" and cached.cell(row, 18).value == line.amount
    total = len(places) + 2
    assert sheet.cell(total, 18).value == f"=SUM(R2:R{total - 1})" and cached.cell(total, 18).value == result.total
    assert formulas["RKA by village"]["G1"].value == "Amount"


def test_same_input_same_bytes(tmp_path):
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    for book in (first, second):
        run = invoke_ucj("simulate", str(SCENARIOS / "blitar-2025-desa.yaml"), "--by", "village", "-o", str(book), "--lang", "en")
        assert run.returncode in (0, 1), run.output
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 31, 0, 0, 0)}


def _large_workbook(rows: int = 60_000) -> bytes:
    """A workbook of one sheet of more than `FAST_AFTER` bytes of rows (names and figures)."""
    from ucj_cli.render.xlsx import Book, Sheet

    with Book() as book:
        sheet = Sheet(book, "Big")
        for row in range(rows):
            sheet.number(0, row, book.money)
            sheet.text(1, f"name {row}")
            sheet.row += 1
        sheet.finish(0, 2, sheet.row - 1)
        return book.bytes()


def test_large_sheet_compressed_fast(tmp_path):
    """Rows of more than `FAST_AFTER` are compressed at level 1, in a second thread as they are made;
    the part reads back whole (its CRC checked), the cells where they were written."""
    with zipfile.ZipFile(io.BytesIO(_large_workbook())) as package:
        assert package.testzip() is None
        part = package.read("xl/worksheets/sheet1.xml").decode()
    assert '<dimension ref="A1:B60000"/>' in part and part.count("<row>") == 60_000 and part.endswith("</worksheet>")
    assert '<row><c s="1"><v>59999</v></c><c s="2" t="inlineStr"><is><t>name 59999</t></is></c></row></sheetData>' in part


def test_a_large_sheet_is_the_same_bytes_however_it_is_cut_and_however_fast_its_thread(monkeypatch):
    import time

    first = _large_workbook()
    out = sheetxml._Deflater._out
    monkeypatch.setattr(sheetxml._Deflater, "_out", lambda self, data: (time.sleep(0.002), out(self, data)))  # a thread that lags
    monkeypatch.setattr(sheetxml, "CHUNK", 10_000)  # handed on in other pieces
    assert _large_workbook() == first


def test_crc_combine():
    import zlib

    for head, body in ((b"", b""), (b"x", b""), (b"", b"yz"), (b"head", bytes(range(256)) * 4_001)):
        assert sheetxml.crc_combine(zlib.crc32(head), zlib.crc32(body), len(body)) == zlib.crc32(head + body)


def _deflating() -> list:
    import threading

    return [thread for thread in threading.enumerate() if thread.name == "ucj-deflate"]


def test_a_full_disk_under_the_compressing_thread_is_said_and_leaves_nothing(monkeypatch):
    """A write that fails in the second thread is raised in the caller's (the run's temporary
    folder named, as any full temporary folder), and the thread and its folder are gone."""
    import errno
    import os

    from ucj_cli.output import OutputError
    from ucj_cli.render import xlsx

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sheetxml._Deflater, "_out", full)
    folders = []
    real = xlsx.Book.__init__
    monkeypatch.setattr(xlsx.Book, "__init__", lambda self: (real(self), folders.append(self.tmpdir))[0])
    with pytest.raises(OutputError) as caught:
        _large_workbook()
    assert caught.value.diagnostic.code == "E-output-full" and str(caught.value.diagnostic.mark).startswith(folders[0])
    assert not _deflating() and not os.path.exists(folders[0])


def test_a_workbook_that_fails_while_made_stops_its_thread():
    from ucj_cli.render.xlsx import Book, Sheet

    before = sys.getswitchinterval()

    with pytest.raises(RuntimeError):
        with Book() as book:
            sheet = Sheet(book, "Big")
            for row in range(150_000):  # past FAST_AFTER and a CHUNK: the thread has started
                sheet.text(0, f"name {row}")
                sheet.row += 1
            assert sheet.cells.deflater is not None and _deflating()
            assert sys.getswitchinterval() == pytest.approx(sheetxml.SWITCH_INTERVAL)
            raise RuntimeError("a CSV file changed meanwhile")
    assert not _deflating() and not os.path.exists(book.tmpdir)
    assert sys.getswitchinterval() == before


def test_the_gil_is_offered_often_only_while_a_sheet_is_deflated_beside_its_rows():
    """zlib takes the GIL back several times a chunk; the short interval is the making of rows'
    only while a compressing thread runs, and the interpreter's own is back after (nested too)."""
    before = sys.getswitchinterval()
    first = sheetxml._Deflater(os.devnull)
    second = sheetxml._Deflater(os.devnull)
    assert sys.getswitchinterval() == pytest.approx(sheetxml.SWITCH_INTERVAL)
    first.close()
    assert sys.getswitchinterval() == pytest.approx(sheetxml.SWITCH_INTERVAL)  # the other still runs
    second.discard()
    second.discard()  # ended twice: restored once
    assert sys.getswitchinterval() == before
    _large_workbook()
    assert sys.getswitchinterval() == before


def test_village_rka_goes_on_over_sheets(tmp_path, monkeypatch):
    """A form by village longer than a sheet is never cut: it goes on in `RKA by village (2)`, ...,
    and the grand total on the last sheet sums the item lines (rows with People) of all of them."""
    openpyxl = pytest.importorskip("openpyxl")
    from ucj_cli import api
    from ucj_cli.render import rka, xlsx

    path = SCENARIOS / "blitar-2025-desa.yaml"
    result = api.simulate(api.load_scenario(str(path)))
    villages = api.rka_by_village(result)
    real = rka.write_village_sheets
    monkeypatch.setattr(rka, "write_village_sheets", lambda new, name, items, total, rows: real(new, name, items, total, 40))
    book = tmp_path / "v.xlsx"
    book.write_bytes(xlsx.simulation_workbook(result, ("village", api.places(result, "village").lines), villages))
    formulas, values = openpyxl.load_workbook(book), openpyxl.load_workbook(book, data_only=True)
    parts = [name for name in formulas.sheetnames if name.startswith("RKA by village")]
    assert len(parts) > 2 and parts[1] == "RKA by village (2)"
    assert all(formulas[name].max_row <= 40 for name in parts)
    last = formulas[parts[-1]]
    total = last.cell(last.max_row, 7).value
    for name in parts:  # each sheet's SUMIF reaches its last row, and together they are the budget
        end = formulas[name].max_row + (-1 if name == parts[-1] else 1)  # to the blank row after the last village
        assert (f'SUMIF(H2:H{end},">0",G2:G{end})' if name == parts[-1] else f"SUMIF('{name}'!$H$2:$H${end},\">0\",'{name}'!$G$2:$G${end})") in total
    lines = [(row[6], row[7]) for name in parts for row in values[name].iter_rows(min_row=2, values_only=True)]
    assert sum(amount for amount, people in lines if isinstance(people, int) and people > 0) == result.total
    assert values[parts[-1]].cell(last.max_row, 7).value == result.total
    titles = [row[1] for name in parts for row in values[name].iter_rows(min_row=2, values_only=True) if row[1] and row[1].startswith("Village ") and ", district " in row[1]]
    assert len(titles) == sum(1 for village in villages if village.village)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_it(tmp_path):
    book = tmp_path / "h.xlsx"
    scenario, _names = _hostile_scenario(tmp_path)
    run = invoke_ucj("simulate", str(scenario), "-o", str(book), "--lang", "en")
    assert run.returncode in (0, 1), run.output
    done = subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "csv",
                           "--outdir", str(tmp_path / "out"), str(book)], capture_output=True, timeout=120)
    assert done.returncode == 0 and (tmp_path / "out" / "h.csv").read_text(encoding="utf-8", errors="replace").startswith("Hostile")


@pytest.mark.parametrize("values", [["Desa 00001", "Kali Pucung", "Désa Ñ 🌾", ""], HOSTILE, ["a | b", "_x", "ok"], ["ok", "=1+1"],
                                    ["ok", "trail "], [" lead", "ok"], ["tab\there", "ok"], ["nbsp\u00a0", "ok"], [], ["x" * 20_000]])
def test_cells_made_at_once_are_the_cells_made_one_by_one(values):
    """The sheet by village makes a thousand names' cells at once when they need no escape; any
    other is made one by one, so the cells are the same either way."""
    from ucj_cli.render.xlsx import Book, Sheet

    with Book() as book:
        sheet = Sheet(book, "S")
        assert sheet.strings(values) == [sheet.string(value) for value in values]
        assert sheet.strings(values, book.bold) == [sheet.string(value, book.bold) for value in values]
    plain = sheetxml.string_cells(["Desa 00001", "Kali Pucung"], None)
    assert plain == [sheetxml.string_cell("Desa 00001", None), sheetxml.string_cell("Kali Pucung", None)]
    assert list(sheetxml.numbers([0, 7, -3, 10**15])) == ["0", "7", "-3", "1000000000000000"]
    assert list(sheetxml.numbers([1, 10**17, 0.5])) == [sheetxml.number(1), sheetxml.number(10**17), sheetxml.number(0.5)]


def test_row_numbers_are_made_once_and_reach_past_the_last_row():
    numbers = sheetxml.RowNumbers()
    assert numbers(1, 4) == ["1", "2", "3"] and numbers(9, 10) == ["9"]
    first = numbers(1, 2)[0]
    assert numbers(1, 2)[0] is first  # made once, shared by every sheet of the workbook
    last = sheetxml.MAX_ROWS
    assert numbers(last - 1, last + 2) == [str(last - 1), str(last), str(last + 1)]


def test_interleaved_lays_out_texts_and_columns_row_by_row():
    assert sheetxml.interleaved(["<row>", ["a", "b"], "|", "|", ("1", "2"), "</row>"], 2) == "<row>a||1</row><row>b||2</row>"
    assert sheetxml.interleaved(["x"], 3) == "xxx" and sheetxml.interleaved(["x", []], 0) == ""
