"""The official regions shipped in the package: Kemendagri codes and Dukcapil population."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ucj_cli import regions


def test_the_shipped_tables_hold_every_level():
    counts = {level: len(regions.of_level(level)) for level in regions.LEVELS}
    assert counts == {"province": 38, "regency": 514, "district": 7285, "village": 83762}


def test_kabupaten_blitar_has_22_kecamatan_and_248_villages():
    assert regions.get("35.05") == regions.Region("35.05", "Kabupaten Blitar")
    assert len(regions.children("35.05")) == 22
    villages = regions.villages("35.05")
    assert len(villages) == 248
    assert villages[0] == (regions.Region("35.05.01", "Wonodadi"), regions.Region("35.05.01.2001", "Jaten"))
    assert regions.population("35.05") == 1_261_699
    assert regions.population("0") == 284_973_643


def test_a_name_with_a_comma_is_read_whole():
    assert regions.get("12.07.28.1007").name == "Lubuk Pakam I,II"


def test_names_match_as_planners_write_them():
    assert regions.key("Ds. Kali Pucung") == regions.key("kalipucung ") == regions.key("Desa Kalipucung") == "kalipucung"
    assert regions.key("Kel. Sananwetan") == regions.key("Kelurahan  Sananwetan")


_NAME_PARTS = ["desa", "Ds", "DS.", "kel", "Kelurahan", "kec.", "Kecamatan", "Kali", "pucung", "ß", "Σ", "ς", "0", "42",
               " ", "  ", "\t", "\n", "\r", "\xa0", ".", "-", "'", "`", "’", "_", "\u200b", "\u2003", "\x1f", "\x85", "\u3000", "\0"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_NAME_PARTS), max_size=6).map("".join), min_size=1, max_size=6),
       st.booleans())
def test_names_matched_at_once_are_the_names_matched_one_by_one(names, plain):
    """`keys` (a batch of village names, joined, two regex passes) is `key` of each name, whatever
    prefixes, spaces, case and punctuation a name has; the odd spaces and NUL take `key` itself."""
    if plain:  # the common case: no odd space, no NUL, so the joined text is matched at once
        names = ["".join(ch for ch in name if ch not in "\u2003\x1f\x85\u3000\0") for name in names]
    assert regions.keys(names) == [regions.key(name) for name in names]


def test_a_regency_is_found_by_code_name_or_unique_part():
    blitar = regions.Region("35.05", "Kabupaten Blitar")
    assert regions.find_regency("35.05") == (blitar, [])
    assert regions.find_regency("kabupaten  blitar") == (blitar, [])
    assert regions.find_regency("Kab. Blitar") == (blitar, [])
    assert regions.find_regency("Lombok Timur")[0].code == "52.03"
    region, candidates = regions.find_regency("Blitar")  # Kabupaten and Kota Blitar
    assert region is None and [c.code for c in candidates] == ["35.05", "35.72"]
    assert regions.find_regency("35.05.01") == (None, [])  # a kecamatan, not a kabupaten
    assert regions.find_regency("Atlantis") == (None, [])


# --- the scenario: region_code, population, village codes and names ------------------------------

import csv
import json
from pathlib import Path

import pytest

from conftest import invoke_ucj
from ucj_cli.api import load_scenario
from ucj_cli.errors import ScenarioError
from ucj_cli.i18n import set_language


def _scenario(tmp_path: Path, rows: str, head: str = "region: Kabupaten Blitar\nregion_code: 35.05\n", employed: int = 600_000) -> Path:
    (tmp_path / "v.csv").write_text(rows, encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(f"name: S\n{head}year: 2025\nworkforce: {{employed: {employed}, covered: 10}}\nfunding: {{a: {{kind: apbdes}}}}\n"
                    "cohorts:\n  - {name: K, category: bpu, income: 1000000, funding: a, from_csv: v.csv}\n", encoding="utf-8")
    return path


def _messages(path: Path, lang: str = "en") -> list[str]:
    set_language(lang)
    try:
        try:
            return [str(item) for item in load_scenario(str(path)).notices]
        except ScenarioError as exc:
            return [str(item) for item in exc.diagnostics]
    finally:
        set_language("en")


def test_an_unknown_village_code_is_an_error_at_its_cell(tmp_path):
    path = _scenario(tmp_path, "kode,desa,kecamatan,pekerja\n35.05.07.2001,Kalipucung,Sanankulon,4\n35.05.07.9999,Bendosari,Sanankulon,3\n")
    v = str(tmp_path / "v.csv")
    assert _messages(path) == [f"{v}:3:1: code '35.05.07.9999' is not a Kemendagri desa/kelurahan code; expected a code such as "
                               "35.05.01.2001 (`ucj init --region NAME --villages FILE.csv` lists a region's villages with their codes) [E-csv-village-code]"]
    assert _messages(path, "id") == [f"{v}:3:1: kode '35.05.07.9999' bukan kode desa/kelurahan Kemendagri; seharusnya kode seperti "
                                     "35.05.01.2001 (`ucj init --region NAMA --villages BERKAS.csv` mendaftar desa suatu daerah beserta kodenya) [E-csv-village-code]"]


def test_a_code_whose_name_differs_is_a_warning_naming_both(tmp_path):
    path = _scenario(tmp_path, "code,village,district,workers\n35.05.07.2001,Kalipucang,Sanankulon,4\n35.05.07.2002,Ds. bendosari,Sanankulon,3\n")
    assert _messages(path) == [f"{tmp_path / 'v.csv'}:2:2: warning: code 35.05.07.2001 is 'Kalipucung' (kecamatan 'Sanankulon') in Kemendagri's list, "
                               "not 'Kalipucang'; expected the official name, or the code of 'Kalipucang' [W-csv-village-name]"]
    done = invoke_ucj("simulate", str(path), "--by", "village", "-f", "csv")
    assert done.returncode == 0 and "[W-csv-village-name]" in done.stderr
    assert [row["code"] for row in csv.DictReader(done.stdout.splitlines())] == ["35.05.07.2001", "35.05.07.2002"]


def test_a_village_outside_the_region_code_is_an_error(tmp_path):
    path = _scenario(tmp_path, "kode,desa,kecamatan,pekerja\n35.72.03.1001,Gedog,Sananwetan,4\n")
    assert _messages(path) == [f"{tmp_path / 'v.csv'}:2:1: code 35.72.03.1001 ('Gedog') is a village of 'Kota Blitar', outside region_code 35.05 "
                               "('Kabupaten Blitar'); expected only the villages of 'Kabupaten Blitar' [E-csv-village-outside]"]


def test_names_without_codes_are_matched_to_the_region_and_get_their_code(tmp_path):
    path = _scenario(tmp_path, "desa;kecamatan;jumlah\nDs. Kalipucung;kec. sanankulon;4\nBENDO SARI;Sanankulon;3\nBendosary;Sanankulon;2\n")
    assert _messages(path) == [f"{tmp_path / 'v.csv'}:4:1: warning: village 'Bendosary' is not a desa/kelurahan of kecamatan 'Sanankulon' in "
                               "'Kabupaten Blitar'; did you mean 'Bendosari'? expected its name in Kemendagri's list, or its code in a `kode` column [W-csv-village-unknown]"]
    done = invoke_ucj("simulate", str(path), "--by", "village", "-f", "json")
    assert [(v["village"], v["code"]) for v in json.loads(done.stdout)["villages"]] == [
        ("Ds. Kalipucung", "35.05.07.2001"), ("BENDO SARI", "35.05.07.2002"), ("Bendosary", None)]


def test_the_same_village_written_differently_is_a_duplicate(tmp_path):
    path = _scenario(tmp_path, "village,district,workers\nKalipucung,Sanankulon,4\nkalipucung ,Sanankulon,3\n", head="")
    assert _messages(path) == [f"{tmp_path / 'v.csv'}:3:1: village 'kalipucung' of district 'Sanankulon' is listed again (first at "
                               f"{tmp_path / 'v.csv'}:2:1); expected its workers on one row (a village repeats only with other income, start or "
                               "months) [E-csv-duplicate-village]"]


def test_indonesian_headers_and_excel_trailing_columns_are_read(tmp_path):
    path = _scenario(tmp_path, "\ufeffKode;Desa;Kecamatan;Pekerja;;\r\n35.05.07.2001;Kalipucung;Sanankulon;4;;\r\n35.05.07.2002;Bendosari;Sanankulon;3\r\n")
    scenario = load_scenario(str(path))
    assert scenario.cohorts[0].workers == 7 and not scenario.notices


def test_region_code_must_be_official_and_named_as_kemendagri_names_it(tmp_path):
    bad = _scenario(tmp_path, "village,district,workers\nKalipucung,Sanankulon,4\n", head="region_code: 35.99\n")
    assert _messages(bad) == [f"{bad}:2:14: region_code '35.99' is not a Kemendagri province or kabupaten/kota code; expected a code such as "
                              "35.05 (Kabupaten Blitar), as `ucj init --region NAME` writes it [E-region-code]"]
    other = _scenario(tmp_path, "village,district,workers\nKalipucung,Sanankulon,4\n", head="region: Blitar\nregion_code: 35.05\n")
    assert _messages(other) == [f"{other}:3:14: warning: region 'Blitar' is not the official name of 35.05, 'Kabupaten Blitar'; expected the name "
                                "Kemendagri gives the code, or the code of 'Blitar' [W-region-name]"]


def test_employed_is_bounded_by_the_region_population(tmp_path):
    rows = "village,district,workers\nKalipucung,Sanankulon,4\n"
    above = _scenario(tmp_path, rows, employed=1_300_000)
    assert _messages(above) == [f"{above}:5:23: employed 1,300,000 is more than the 1,261,699 people of 'Kabupaten Blitar' (Dukcapil, semester II "
                                "2024); expected the employed population (BPS Sakernas, penduduk bekerja), which is below the population [E-employed-above-population]"]
    assert _messages(above, "id")[0].startswith(f"{above}:5:23: employed 1.300.000 lebih besar daripada jumlah penduduk 'Kabupaten Blitar' sebanyak 1.261.699 jiwa")
    high = _scenario(tmp_path, rows, employed=1_000_000)
    assert _messages(high) == [f"{high}:5:23: warning: employed 1,000,000 is 79.26% of the 1,261,699 people of 'Kabupaten Blitar' (Dukcapil, semester "
                               "II 2024), above 75%; expected the employed population from BPS Sakernas (penduduk bekerja), about half the population "
                               "in most regions [W-employed-share]"]
    named = _scenario(tmp_path, rows, head="region: kabupaten blitar\n", employed=1_300_000)  # the official name alone finds the region
    assert "[E-employed-above-population]" in _messages(named)[0]
    assert load_scenario(str(_scenario(tmp_path, rows, head="region: Kabupaten Contoh\n", employed=1_300_000))).notices == ()


# --- ucj init --region, --villages --------------------------------------------------------------

@pytest.mark.parametrize("region", ["Kabupaten Blitar", "35.05", "kab. blitar", "Kabupaten  BLITAR"])
def test_init_finds_the_region_by_name_code_or_unique_part(region, tmp_path):
    target = tmp_path / "s.yaml"
    done = invoke_ucj("init", str(target), "--region", region, "--year", "2026")
    assert done.returncode == 0, done.output
    text = target.read_text()
    assert 'region: "Kabupaten Blitar"\nregion_code: 35.05' in text and "BPS Sakernas" in text
    assert "Bound: Kabupaten Blitar has 1,261,699 people (Dukcapil, semester II 2024)" in text
    assert invoke_ucj("validate", str(target)).returncode == 0
    assert load_scenario(str(target)).region_code == "35.05"


def test_init_says_which_regions_a_name_could_be():
    done = invoke_ucj("init", "--region", "Blitar")
    assert done.returncode == 2 and done.stderr == ("ucj: --region 'Blitar' matches Kabupaten Blitar (35.05), Kota Blitar (35.72); expected one of "
                                                    "them by its full name or its code [E-init-region-ambiguous]\n")
    typo = invoke_ucj("init", "--region", "Kabupaten Blitra", "--lang", "id")
    assert typo.returncode == 2 and typo.stderr == ("ucj: --region 'Kabupaten Blitra' bukan kabupaten/kota dalam daftar Kemendagri; maksud Anda "
                                                    "'Kabupaten Blitar'? seharusnya namanya (\"Kabupaten Blitar\"), kodenya (35.05) atau bagian namanya "
                                                    "yang tidak dimiliki daerah lain [E-init-region-unknown]\n")
    assert "[E-init-villages-region]" in invoke_ucj("init", "--villages", "v.csv").stderr


@pytest.mark.parametrize("lang, header", [("en", "code,village,district,workers"), ("id", "kode,desa,kecamatan,pekerja")])
def test_init_villages_writes_the_region_village_list(lang, header, tmp_path):
    target, villages = tmp_path / "s.yaml", tmp_path / "desa.csv"
    done = invoke_ucj("init", str(target), "--region", "Kabupaten Blitar", "--villages", str(villages), "--lang", lang)
    assert done.returncode == 0, done.output
    lines = villages.read_text().splitlines()
    assert len(lines) == 1 + 248 and lines[0] == header and lines[1] == "35.05.01.2001,Jaten,Wonodadi,"
    assert 'from_csv: "desa.csv"' in target.read_text()
    # Filled in and the cohort uncommented, it budgets one line per village with its code.
    filled = [lines[0], *(f"{line}1" for line in lines[1:])]
    villages.write_text("\n".join(filled) + "\n")
    text = target.read_text().replace("  # - name: Kader", "  - name: Kader").replace("  #   ", "    ")
    target.write_text(text)
    result = invoke_ucj("simulate", str(target), "--by", "village", "-f", "csv")
    assert result.returncode == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert sum(1 for row in rows if row["cohort"] == "Kader Posyandu") == 248 and rows[0]["code"] == "35.05.01.2001"


@pytest.mark.parametrize("lang, expected", [
    ("en", "warning: code 35.05.07.2001 is 'Kalipucung' (kecamatan 'Sanankulon') in Kemendagri's list, not 'Kalipucang'; expected the "
           "official name, or the code of 'Kalipucang' [W-csv-village-name]"),
    ("id", "peringatan: kode 35.05.07.2001 adalah 'Kalipucung' (kecamatan 'Sanankulon') dalam daftar Kemendagri, bukan 'Kalipucang'; "
           "seharusnya nama resminya, atau kode 'Kalipucang' [W-csv-village-name]"),
])
def test_golden_village_name_warning_in_both_languages(lang, expected, tmp_path):
    path = _scenario(tmp_path, "code,village,district,workers\n35.05.07.2001,Kalipucang,Sanankulon,4\n")
    assert [line.split(": ", 1)[1] for line in _messages(path, lang)] == [expected]


@pytest.mark.parametrize("lang, expected", [
    ("en", "village 'Bendosary' is not a desa/kelurahan of kecamatan 'Sanankulon' in 'Kabupaten Blitar'; did you mean 'Bendosari'? "
           "expected its name in Kemendagri's list, or its code in a `kode` column [W-csv-village-unknown]"),
    ("id", "desa 'Bendosary' bukan desa/kelurahan di kecamatan 'Sanankulon', 'Kabupaten Blitar'; maksud Anda 'Bendosari'? seharusnya "
           "namanya dalam daftar Kemendagri, atau kodenya di kolom `kode` [W-csv-village-unknown]"),
])
def test_golden_unknown_village_in_both_languages(lang, expected, tmp_path):
    path = _scenario(tmp_path, "desa,kecamatan,pekerja\nBendosary,Sanankulon,4\n")
    assert [line.split(": ", 2)[-1] for line in _messages(path, lang)] == [expected]


def test_golden_kecamatan_and_population_warnings_in_indonesian(tmp_path):
    path = _scenario(tmp_path, "desa,kecamatan,pekerja\nKalipucung,Sanankulan,4\n", employed=1_000_000)
    assert [line.split(": ", 2)[-1] for line in _messages(path, "id")] == [
        "employed 1.000.000 adalah 79,26% dari 1.261.699 jiwa penduduk 'Kabupaten Blitar' (Dukcapil, semester II 2024), di atas 75%; "
        "seharusnya jumlah penduduk bekerja dari BPS Sakernas, di kebanyakan daerah sekitar separuh jumlah penduduk [W-employed-share]",
        "kecamatan 'Sanankulan' bukan kecamatan di 'Kabupaten Blitar'; maksud Anda 'Sanankulon'? seharusnya namanya dalam daftar "
        "Kemendagri, atau kode desanya di kolom `kode` [W-csv-district-unknown]"]


def test_the_two_parts_of_the_code_table_are_each_one_level_band_in_code_order():
    upper, lower = regions._read(regions.UPPER), regions._read(regions.LOWER)
    assert [code for code, _ in upper] == sorted(code for code, _ in upper)
    assert [code for code, _ in lower] == sorted(code for code, _ in lower)
    assert {code.count(".") for code, _ in upper} == {0, 1}
    assert {code.count(".") for code, _ in lower} == {2, 3}
    names = regions._names()
    assert all(code.rpartition(".")[0] in names for code, _ in lower)  # every kecamatan and desa under a region of the table


def test_a_regency_is_found_without_reading_the_villages():
    regions._names.cache_clear()
    regions._upper.cache_clear()
    regions.regency_of.cache_clear()
    assert regions.regency_of("kabupaten  blitar") == regions.Region("35.05", "Kabupaten Blitar")
    assert regions.get("35") == regions.Region("35", "Jawa Timur")
    assert regions._names.cache_info().currsize == 0
