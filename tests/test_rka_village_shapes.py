"""Issue 22, lean national workbook: the RKA by village is held as (place, shape, workers)
(`engine.rka.Villages`) and written a shape's template at a time (`render.rka._Block`). Proved here:
the villages are the ones the lines of `village_items` make; the sheets come out byte for byte as
a cell-by-cell writer (`_write_schemes` for each village) writes them, names with `{`, `}` and
formula starts included, a village's rows of one cohort added, over one sheet or several."""

from __future__ import annotations

import pytest

from conftest import SCENARIOS
from ucj_cli import api
from ucj_cli.engine import rka as engine_rka
from ucj_cli.load import csv_cohorts
from ucj_cli.render import rka, xlsx

HOSTILE_CSV = 'village,district,workers\n{0},=1+1,3\n"}}{",<&> x,5\n@SUM(A1),{1}{,7\n"a\ttab",-2+3,2\n_x0041_,D,1\n'
HOSTILE_YAML = """name: Hostile {0}
year: 2025
workforce: {employed: 100000, covered: 10}
funding:
  desa: {kind: apbdes}
  apbd: {kind: apbd}
cohorts:
  - {name: "={0}", category: bpu, income: 1_000_000, funding: desa, from_csv: v.csv}
  - {name: "P{}", category: pu, income: 2_500_000, funding: desa, programs: [jkk, jkm, jht, jp], from_csv: w.csv}
  - {name: "Y {a}", category: bpu, income: 1_000_000, funding: apbd, workers: 4}
"""


def _hostile(folder):
    for name in ("v.csv", "w.csv"):
        (folder / name).write_text(HOSTILE_CSV, encoding="utf-8")
    (folder / "h.yaml").write_text(HOSTILE_YAML, encoding="utf-8")
    return folder / "h.yaml"


def _cell_by_cell(new_sheet, name, villages, total, rows):
    """The form by village written cell by cell, each village as the RKA sheet writes its schemes."""
    sheets, ranges = [], []
    for village in villages:
        if not sheets or sheets[-1].row + rka._village_rows(village.schemes) + 1 > rows:
            if sheets:
                ranges.append(rka._close_village_sheet(sheets[-1], rka._Widest()))
            sheets.append(new_sheet(name if not sheets else f"{name} ({len(sheets) + 1})"))
            sheets[-1].header([*rka._headings(), "People", "Months"])
        sheet = sheets[-1]
        sheet.text(1, rka.village_title(village), sheet.book.total_label)
        sheet.row += 1
        subtotals = rka._write_schemes(sheet, village.schemes, {}, sheet.book.bold, gap=1)
        sheet.text(1, "Total of the village", sheet.book.total_label)
        sheet.formula(6, "=" + ("+".join(subtotals) or "0"), sheet.book.money_total, village.total)
        sheet.row += 2
    if not sheets:
        sheets.append(new_sheet(name))
        sheets[-1].header([*rka._headings(), "People", "Months"])
    sheet = sheets[-1]
    ranges.append(f'SUMIF(H2:H{sheet.row},">0",G2:G{sheet.row})')
    sheet.text(1, "Total of all funding sources", sheet.book.total_label)
    sheet.formula(6, "=" + "+".join(ranges), sheet.book.money_total, total)
    sheet.finish(0, 9)


def _both(monkeypatch, result, villages, rows):
    """The workbook with the shapes' writer and with the cell-by-cell one, sheets of `rows` rows."""
    real = rka.write_village_sheets
    places = ("village", list(api.places(result, "village").lines))
    monkeypatch.setattr(rka, "write_village_sheets", lambda new, name, items, total, _rows: real(new, name, items, total, rows))
    fast = xlsx.simulation_workbook(result, places, villages)
    monkeypatch.setattr(rka, "write_village_sheets", lambda new, name, items, total, _rows: _cell_by_cell(new, name, items, total, rows))
    return fast, xlsx.simulation_workbook(result, places, villages)


@pytest.mark.parametrize("rows", [40, xlsx.MAX_ROWS])
@pytest.mark.parametrize("which", ["desa", "hostile"])
def test_village_sheets_are_the_cell_by_cell_bytes(tmp_path, monkeypatch, which, rows):
    path = SCENARIOS / "blitar-2025-desa.yaml" if which == "desa" else _hostile(tmp_path)
    result = api.simulate(api.load_scenario(str(path)))
    fast, reference = _both(monkeypatch, result, api.rka_by_village(result), rows)
    assert fast == reference


def test_villages_are_the_lines_of_village_items_gathered():
    result = api.simulate(api.load_scenario(str(SCENARIOS / "blitar-2025-desa.yaml")))
    villages = api.rka_by_village(result)
    gathered: dict = {}
    for item in api.rka_items_by_village(result):
        lines = gathered.setdefault((item.district, item.village, item.code), {})
        lines[(item.scheme.id, item.account.code, item.line.cohort, item.line.first, item.line.price)] = item.line.workers
    made = list(villages)
    assert len(villages) == len(made) == len(gathered) and villages[0] == made[0] and villages[-2:] == tuple(made[-2:])
    for village in made:
        assert {(scheme.scheme.id, block.account.code, line.cohort, line.first, line.price): line.workers
                for scheme in village.schemes for block in scheme.accounts for line in block.lines} == \
            gathered[(village.district, village.village, village.code)]
    assert sum(village.total for village in made) == result.total


def test_a_village_in_two_rows_of_a_cohort_adds_them(monkeypatch):
    """Rows of one group for one village share its lines (a cohort's groups): their people add."""
    result = api.simulate(api.load_scenario(str(SCENARIOS / "blitar-2025-desa.yaml")))
    rows = list(csv_cohorts.village_rows(result.scenario.cohorts))
    cohort, district, village, code, _workers = rows[0]
    doubled = [(cohort, district, village, code, 3), *rows[1:5], (cohort, district, village, code, 4)]
    villages = engine_rka.by_village(result, doubled)
    first = villages[0]
    assert {line.workers for scheme in first.schemes for block in scheme.accounts for line in block.lines if line.cohort == cohort.places.origin} == {7}
    fast, reference = _both(monkeypatch, result, villages, xlsx.MAX_ROWS)
    assert fast == reference


def test_the_villages_gathered_while_the_lines_are_read_are_rka_by_village():
    """`api.places_with_rka`: one read of the CSV files for the sheet by village and the RKA by
    village; the maker reads what the lines have not (all of them, if none were read)."""
    result = api.simulate(api.load_scenario(str(SCENARIOS / "blitar-2025-desa.yaml")))
    expected = list(api.rka_by_village(result))
    budget, villages = api.places_with_rka(result)
    assert list(budget.lines) == list(api.places(result, "village").lines)
    assert list(villages()) == expected
    budget, villages = api.places_with_rka(result)
    assert next(iter(budget.lines)) and list(villages()) == expected


def test_the_lines_by_village_are_read_once_as_the_generator_they_replace():
    result = api.simulate(api.load_scenario(str(SCENARIOS / "blitar-2025-desa.yaml")))
    lines = api.places(result, "village").lines
    first = next(lines)
    rest = list(lines)
    assert first.village == "Pulerejo" and len(rest) == 495 and list(lines) == []
