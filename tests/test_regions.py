"""The official regions shipped in the package: Kemendagri codes and Dukcapil population."""

from __future__ import annotations

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
