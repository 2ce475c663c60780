"""Contribution months as plain integers (year * 12 + month - 1), so lookups and ranges are cheap."""

from __future__ import annotations

import re

MIN_YEAR, MAX_YEAR = 2000, 2100  # budget years a scenario may name
_LABEL = re.compile(r"([0-9]{4})-([0-9]{2})")  # the whole text (fullmatch): "2025-04\n" is not a month


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


_NAMES = ("januari january jan", "februari february feb peb", "maret march mar", "april apr", "mei may", "juni june jun",
          "juli july jul", "agustus august agu ags agt aug", "september sep sept", "oktober october okt oct",
          "november nov nop", "desember december des dec")
MONTH_NAMES = {name: number for number, names in enumerate(_NAMES, start=1) for name in names.split()}
_WORDS = re.compile(r"([A-Za-z]+)\.?(?:[\s,]+([0-9]{4}))?")
_LOOSE = re.compile(r"([0-9]{4})-([0-9]{1,2})")


def parse_month_words(text: str, year: int | None) -> int | None:
    """A month as planners write it: `April` or `Apr` (of `year`), `Apr 2027`, `Agustus 2027`
    (Indonesian or English names, any case), `2027-4`; the index, or None."""
    if not text.isprintable():  # `2025-04\n` is not a month
        return None
    text = " ".join(text.split())
    loose = _LOOSE.fullmatch(text)
    if loose:
        return month_index(int(loose.group(1)), int(loose.group(2))) if 1 <= int(loose.group(2)) <= 12 else None
    words = _WORDS.fullmatch(text)
    month = MONTH_NAMES.get(words.group(1).lower()) if words else None
    if month is None:
        return None
    written = int(words.group(2)) if words.group(2) else year
    return month_index(written, month) if written is not None else None


def parse_month_label(text: str) -> int | None:
    """'2025-03' -> index, or None when the text is not a valid YYYY-MM month."""
    match = _LABEL.fullmatch(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return month_index(int(match.group(1)), int(match.group(2)))
