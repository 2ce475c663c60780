"""The starter scenario of `ucj init`: a commented template per language, filled in safely; and the
village list of `ucj init --villages`, from the official region tables."""

from __future__ import annotations


import io
import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ucj_cli.i18n import language
from ucj_cli.render import csvout
from ucj_cli.period import MAX_YEAR

if TYPE_CHECKING:
    from ucj_cli.regions import Region

FIRST_YEAR = 2016  # the first budget year the rule book covers in full (its rules start July 2015)
EMPLOYED_SHARE = 55  # percent of the population in the example `employed` (Kabupaten Blitar, Aug 2024: 695,845 of 1,261,699)
COVERED_SHARE = 26  # percent of the employed in the example `covered` (Kabupaten Blitar 2024: 26.3%)
BOUND = {
    "en": "Bound: {region} has {population} people ({source}); employed is at most that, usually about half.",
    "id": "Batas: penduduk {region} {population} jiwa ({source}); employed paling banyak sebesar itu, biasanya sekitar separuhnya.",
}


def starter(name: str, year: int, lang: str | None = None, region: "Region | None" = None, villages: Path | None = None) -> str:
    """The template in `lang` (default: the run's language) for the region `name` and `year`; with
    an official `region`, its code and Dukcapil population (the examples scaled to it); with
    `villages`, a commented cohort reading that village list. Names are written as JSON strings,
    which YAML reads as the same text whatever they hold."""
    from ucj_cli import regions

    if not FIRST_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside {FIRST_YEAR}..{MAX_YEAR}")
    lang = lang or language()
    template = (resources.files("ucj_cli") / "templates" / f"starter.{lang}.yaml").read_text(encoding="utf-8")
    population = regions.population(region.code) if region is not None else None
    employed, covered, bound = 500_000, 120_000, ""
    if population:
        employed = max(1_000, population * EMPLOYED_SHARE // 100 // 1_000 * 1_000)
        covered = employed * COVERED_SHARE // 100 // 1_000 * 1_000
        bound = "\n  # " + BOUND[lang].format(
            region=region.name, population=_number(population, lang), source=regions.POPULATION_SOURCE)
    block = ""
    if villages is not None:
        block = "\n" + (resources.files("ucj_cli") / "templates" / f"villages.{lang}.yaml").read_text(encoding="utf-8").replace(
            "{villages}", json.dumps(villages.as_posix(), ensure_ascii=False))
    values = {
        "{name}": json.dumps(f"{name} - UCJ {year}", ensure_ascii=False), "{region}": json.dumps(name, ensure_ascii=False),
        "{region_code}": f"region_code: {region.code}       # Kemendagri ({regions.CODES_SOURCE})\n" if region is not None else "",
        "{year}": str(year), "{employed}": f"{employed:_}", "{covered}": f"{covered:_}", "{bound}": bound,
    }
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    return template.rstrip("\n") + "\n" + block


def _number(value: int, lang: str) -> str:
    from ucj_cli.i18n import format as fmt

    return fmt.number(value, lang)


def village_list(region: "Region") -> str:
    """Every desa/kelurahan of `region` as CSV: code, name, kecamatan and an empty workers cell for
    the planner to fill in; the header in the run's language (ucj reads both)."""
    from ucj_cli import regions

    stream = io.StringIO()
    writer = csvout.writer(stream)
    writer.writerow(("kode", "desa", "kecamatan", "pekerja") if language() == "id" else ("code", "village", "district", "workers"))
    writer.writerows((village.code, village.name, district.name, "") for district, village in regions.villages(region.code))
    return stream.getvalue()
