"""Contribution months as plain integers (year * 12 + month - 1), so lookups and ranges are cheap."""

from __future__ import annotations

import re

MIN_YEAR, MAX_YEAR = 2000, 2100  # budget years a scenario may name
_LABEL = re.compile(r"([0-9]{4})-([0-9]{2})")  # the whole text (fullmatch): "2025-04\n" is not a month


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def parse_month_label(text: str) -> int | None:
    """'2025-03' -> index, or None when the text is not a valid YYYY-MM month."""
    match = _LABEL.fullmatch(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return month_index(int(match.group(1)), int(match.group(2)))
