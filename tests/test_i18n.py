"""The language layer: formats per language and a compiled catalogue that matches its source."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ucj_cli.i18n import format as fmt
from ucj_cli.i18n import resolve_language
from ucj_cli.i18n.msgfmt import catalogues, compile_mo, parse_po


def test_committed_mo_matches_po():
    for po in catalogues():
        expected = compile_mo(parse_po(po.read_text(encoding="utf-8")))
        assert po.with_suffix(".mo").read_bytes() == expected, f"run `make catalogue`: {po} changed"


@pytest.mark.parametrize(("lang", "money", "rate", "ratio", "long"), [
    ("id", "Rp1.234.567", "0,445%", "26,30%", "Rp10.926.687.600 (10,93 miliar)"),
    ("en", "Rp 1,234,567", "0.445%", "26.30%", "Rp 10,926,687,600 (10.93 billion)"),
])
def test_formats(lang, money, rate, ratio, long):
    assert fmt.rupiah(1_234_567, lang) == money
    assert fmt.rate(Fraction(445, 100_000), lang) == rate
    assert fmt.percent(Fraction(263, 1000), 2, lang) == ratio
    assert fmt.rupiah_long(10_926_687_600, lang) == long


def test_percent_rounds_half_up_exactly():
    assert fmt.percent(Fraction(1, 8), 1, "en") == "12.5%"
    assert fmt.percent(Fraction(12345, 1_000_000), 2, "en") == "1.23%"
    assert fmt.percent(Fraction(125, 1_000_000), 2, "id") == "0,01%"


def test_months():
    assert [fmt.month_abbr(i, "id") for i in range(12)] == "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des".split()
    assert fmt.month_name(2025 * 12, "id") == "Januari 2025"


def test_language_choice_order():
    assert resolve_language("en", {"UCJ_LANG": "id", "LANG": "id_ID.UTF-8"}) == "en"
    assert resolve_language(None, {"UCJ_LANG": "id"}) == "id"
    assert resolve_language(None, {"LANG": "id_ID.UTF-8"}) == "id"
    assert resolve_language(None, {"LC_ALL": "C", "LANG": "id_ID.UTF-8"}) == "en"
    assert resolve_language(None, {}) == "en"


def test_user_text_is_escaped():
    assert fmt.safe("f\n\x1b[2J") == "f\\n\\x1b[2J"


# One rounding rule: exact half up for ratios and percentages, in money.py, used by the formatter
@pytest.mark.parametrize("value, places, expected", [
    (Fraction(1, 8), 2, Fraction(13, 100)),  # 0.125 -> 0.13 (half-even would give 0.12)
    (Fraction(-1, 8), 2, Fraction(-13, 100)),
    (Fraction(2634625, 10**7), 6, Fraction(263463, 10**6)),  # 0.2634625 -> 0.263463
    (Fraction(1, 3), 0, Fraction(0)),
    (5, 2, Fraction(5)),
])
def test_rounded_is_exact_half_up(value, places, expected):
    from ucj_cli.money import rounded

    assert rounded(value, places) == expected
    assert round(float(Fraction(1, 8)), 2) == 0.12  # what a binary round would have written


def test_formatter_rounds_as_money_does():
    from ucj_cli.i18n import format as fmt

    assert fmt.percent(Fraction(1, 800), lang="en") == "0.13%"
    assert fmt.decimal(Fraction(-5, 1000), 2, "en") == "-0.01"


def test_english_looks_for_no_catalogue_and_indonesian_reads_its_own(monkeypatch):
    """English is the catalogue's own language: choosing it reads no file (start-up), and its labels
    are their ids; Indonesian reads the shipped catalogue."""
    import gettext

    from ucj_cli.i18n import _, language, set_language

    before = language()
    try:
        set_language("id")
        assert _("wrote {path}") != "wrote {path}"
        with monkeypatch.context() as patched:
            patched.setattr(gettext, "translation", lambda *args, **kwargs: pytest.fail("a catalogue was looked for"))
            set_language("en")
        assert _("wrote {path}") == "wrote {path}" and language() == "en"
    finally:
        set_language(before)


@given(st.text(alphabet=st.sampled_from("a é\t\n\x1b\x7f\x85\xa0\u200b\u2028\u202e\u2066\ufeff\udcff\ud800\U0001f600"), max_size=12))
def test_a_printable_text_is_left_as_it_is_and_only_those_characters_are_escaped(text):
    """The fast path (a printable text is shown as it is) gives what the escaping pattern alone gives."""
    import re

    assert fmt.path_text(text) == re.sub(fmt._CONTROLS, fmt._escaped, text)
    assert fmt.utf8(text) == re.sub(fmt._SURROGATES, fmt._escaped, text)
    if text.isprintable():
        assert fmt.path_text(text) == text == fmt.utf8(text)


def test_every_escaped_character_is_one_python_calls_not_printable():
    import re

    escaped = [chr(code) for code in range(0x110000) if re.fullmatch(fmt._CONTROLS, chr(code))]
    assert len(escaped) > 2000 and not any(char.isprintable() for char in escaped)
