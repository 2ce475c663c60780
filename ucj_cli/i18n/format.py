"""The one place numbers, money, percentages and months become text for a person.

Rupiah are formatted here, not with Babel: Babel's IDR output changed between 2.18 and 2.19 and it
rounds half-even. Indonesian follows EYD: `Rp1.234.567` (no space, dot thousands), `26,30%`.
English keeps `Rp 1,234,567` and `26.30%`. Percentages are rounded half up from exact fractions,
never through a binary float.
"""

from __future__ import annotations

import re
from fractions import Fraction

from ucj_cli.i18n import RuleText, language, local
from ucj_cli.money import round_half_up

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
}
MONTH_ABBR = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
}
_SEPARATORS = {"en": (",", "."), "id": (".", ",")}  # thousands, decimal
_SCALES = {
    "en": ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")),
    "id": ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta")),
}
# Characters never shown raw: control characters (C0, C1), line and paragraph separators, bidi
# overrides and isolates, zero-width and invisible formatting characters (U+200B-U+200F,
# U+2060-U+2064, U+FEFF), and lone surrogates (the bytes of a file name that is not UTF-8).
# Every one of them is a character `str.isprintable` refuses, so a printable text (almost every one)
# is returned as it is, and the patterns (~1 ms to compile) are compiled by `re` when first needed.
_CONTROLS = r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]"
_SURROGATES = r"[\ud800-\udfff]"


def replace_hidden(value: str, by: str) -> str:
    """`value` with each character never shown raw (`_CONTROLS`) replaced by `by`: for a name
    that must show plainly rather than escaped (a batch result's file name)."""
    return value if value.isprintable() else re.sub(_CONTROLS, by, value)


def _escaped(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape): shown as that byte
        return f"\\x{code - 0xDC00:02x}"
    if code > 0xFF:
        return f"\\u{code:04x}"
    return repr(char)[1:-1]


def utf8(text: object) -> str:
    """Text that can always be written as UTF-8: a file name's bytes that are not UTF-8 (decoded by
    Python as lone surrogates) shown as `\\xff`; everything else as it is (for JSON, which escapes
    control characters itself)."""
    value = str(text)
    return value if value.isprintable() else re.sub(_SURROGATES, _escaped, value)


def path_text(path: object) -> str:
    """A file name for one line of a terminal or log (a diagnostic, `wrote FILE`): never shortened,
    its control, invisible and bidi characters and undecodable bytes escaped, so a name holding a
    newline, an ESC or U+202E cannot split or disguise the line."""
    value = str(path)
    return value if value.isprintable() else re.sub(_CONTROLS, _escaped, value)


def _lang(lang: str | None) -> str:
    return lang or language()


def number(value: int, lang: str | None = None) -> str:
    """A whole number with thousands separators: 1,234,567 / 1.234.567."""
    text = f"{abs(value):,}".replace(",", _SEPARATORS[_lang(lang)][0])
    return f"-{text}" if value < 0 else text


def rupiah(value: int, lang: str | None = None) -> str:
    """Whole rupiah: `Rp 1,234,567` in English, `Rp1.234.567` in Indonesian (EYD)."""
    lang = _lang(lang)
    sign = "-" if value < 0 else ""
    return f"{sign}Rp{'' if lang == 'id' else ' '}{number(abs(value), lang)}"


def decimal(value: Fraction | int, places: int, lang: str | None = None) -> str:
    """An exact value rounded half up to `places` decimals, with the language's separators."""
    value = Fraction(value)
    whole = round_half_up(abs(value) * 10**places)  # ucj's one rounding rule (money.rounded for exact figures)
    thousands, point = _SEPARATORS[_lang(lang)]
    head, tail = divmod(whole, 10**places)
    text = f"{head:,}".replace(",", thousands) + (f"{point}{tail:0{places}d}" if places else "")
    return f"-{text}" if value < 0 and whole else text


def percent(ratio: Fraction | int, places: int = 2, lang: str | None = None) -> str:
    """A ratio as a percentage: Fraction(263, 1000) -> `26.30%` / `26,30%`."""
    return f"{decimal(Fraction(ratio) * 100, places, lang)}%"


def rate(value: Fraction, lang: str | None = None) -> str:
    """A contribution rate (a fraction of the base) exactly as the regulation writes it: `0.445%`
    / `0,445%`; never rounded."""
    scaled = Fraction(value) * 100
    places = 0
    while (scaled * 10**places).denominator != 1 and places < 12:
        places += 1
    return f"{decimal(scaled, places, lang)}%"


def ratio(value: Fraction, lang: str | None = None) -> str:
    """A coefficient exactly as the regulation writes it, at least two decimals: `0.70` / `0,70`."""
    places = 2
    while (Fraction(value) * 10**places).denominator != 1 and places < 12:
        places += 1
    return decimal(value, places, lang)


def excel_rupiah(lang: str | None = None) -> str:
    """The spreadsheet number format that shows whole rupiah as `rupiah` does (zero as `-`); Excel
    applies the reader's own thousands separator."""
    prefix = '"Rp"' if _lang(lang) == "id" else '"Rp "'
    return f'{prefix}#,##0;-{prefix}#,##0;"-"'


def reading(value: int, lang: str | None = None) -> str:
    """A reading aid for large sums: `10,93 miliar` / `10.93 billion`; '' below a million."""
    lang = _lang(lang)
    for scale, word in _SCALES[lang]:
        if abs(value) >= scale:
            return f"{decimal(Fraction(value, scale), 2, lang)} {word}"
    return ""


def rupiah_long(value: int, lang: str | None = None) -> str:
    """Rupiah with the reading aid for large totals: `Rp10.926.687.600 (10,93 miliar)`."""
    aid = reading(value, lang)
    return f"{rupiah(value, lang)} ({aid})" if aid else rupiah(value, lang)


_NONE = {"en": "none", "id": "tidak ada"}


def rule_value(unit: str, value: object, lang: str | None = None) -> str:
    """A rule's value as a planner reads it: a rate `0.24%`, whole rupiah, funding kinds as the
    codes they are (`` `apbn`, `apbd` ``, the same in every language), or `none` for a rule that has
    stopped applying."""
    if value is None:
        return _NONE[_lang(lang)]
    if unit == "percent":
        return rate(value, lang)  # type: ignore[arg-type]
    if unit == "currency-IDR":
        return rupiah(value, lang)  # type: ignore[arg-type]
    if unit == "ratio":
        return ratio(value, lang)  # type: ignore[arg-type]
    return ", ".join(f"`{safe(item)}`" for item in value)  # type: ignore[union-attr]


def month_abbr(offset: int, lang: str | None = None) -> str:
    """Calendar month 0-11 as a table heading: Jan ... Des."""
    return MONTH_ABBR[_lang(lang)][offset]


def month_name(index: int, lang: str | None = None) -> str:
    """A month index (year * 12 + month - 1) as `Januari 2025` / `January 2025`."""
    return f"{MONTHS[_lang(lang)][index % 12]} {index // 12}"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a cell starting so is read as a formula by spreadsheets


def csv_text(text: object) -> str:
    """Text for a CSV cell (names, sectors, ids, codes, rule names and references: every cell that
    is not a number): control characters escaped as `safe` does (never cut), and a leading `'`
    where a spreadsheet would read the cell as a formula (`=1+2`, `+`, `-`, `@`)."""
    value = safe(text, limit=len(str(text)))
    return "'" + value if value.startswith(FORMULA_START) else value


def safe(text: object, limit: int = 120) -> str:
    """User text made safe for one line of a terminal or log: control characters (newlines,
    escape sequences, bidi overrides) shown escaped, very long values shortened."""
    value = local(text) if isinstance(text, RuleText) else str(text)
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return value if value.isprintable() else re.sub(_CONTROLS, _escaped, value)
