"""The starter scenario of `ucj init`: a commented template per language, filled in safely."""

from __future__ import annotations

import json
from importlib import resources

from ucj_cli.i18n import language
from ucj_cli.period import MAX_YEAR

FIRST_YEAR = 2016  # the first budget year the rule book covers in full (its rules start July 2015)


def starter(region: str, year: int, lang: str | None = None) -> str:
    """The template in `lang` (default: the run's language) for `region` and `year`; the names
    are written as JSON strings, which YAML reads as the same text whatever they hold."""
    if not FIRST_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside {FIRST_YEAR}..{MAX_YEAR}")
    template = (resources.files("ucj_cli") / "templates" / f"starter.{lang or language()}.yaml").read_text(encoding="utf-8")
    name = json.dumps(f"{region} - UCJ {year}", ensure_ascii=False)
    return template.replace("{name}", name).replace("{region}", json.dumps(region, ensure_ascii=False)).replace("{year}", str(year))
