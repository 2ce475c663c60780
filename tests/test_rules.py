"""Every shipped rule file parses and carries its sources; lookups honour effective dates."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from conftest import scenario_of
from ucj_cli.api import simulate
from ucj_cli.errors import RuleBookError
from ucj_cli.period import month_index
from ucj_cli.rules.book import Change, WhatIf, coerce, load_rulebook

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RULEBOOK = Path(__file__).resolve().parent.parent / "ucj_cli" / "rules" / "rulebook"


def test_every_shipped_rule_file_parses_and_every_value_has_a_reference():
    book = load_rulebook()
    files = sorted(RULEBOOK.rglob("*.yaml"))
    assert len(files) >= 10
    for file in files:
        prefix = ".".join(file.relative_to(RULEBOOK).with_suffix("").parts)
        assert any(name == prefix or name.startswith(prefix + ".") for name in book.parameters), file
    for parameter in book.parameters.values():
        assert parameter.description and parameter.reference, parameter.name
        assert parameter.unit in ("percent", "percent-change", "currency-IDR", "list", "roles", "account", "ratio")
        starts = [entry.start for entry in parameter.entries]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)
        for entry in parameter.entries:
            assert entry.reference.strip(), f"{parameter.name} {entry.start} has no reference"
            if parameter.unit == "percent" and entry.value is not None:
                assert isinstance(entry.value, Fraction) and 0 < entry.value < 1
            if parameter.unit == "currency-IDR" and entry.value is not None:
                assert isinstance(entry.value, int) and entry.value > 0


def test_rates_match_the_regulations_exactly():
    book = load_rulebook()
    jan25 = month_index(2025, 1)
    expected = {
        "pu.jkk.very_low": "0.24", "pu.jkk.low": "0.54", "pu.jkk.medium": "0.89", "pu.jkk.high": "1.27", "pu.jkk.very_high": "1.74",
        "pu.jkm": "0.30", "pu.jht.employer": "3.7", "pu.jht.worker": "2", "pu.jp.employer": "2", "pu.jp.worker": "1",
        "bpu.jkk": "1", "bpu.jht": "2",
    }
    for name, percent in expected.items():
        assert book.get(name, jan25).value == Fraction(percent) / 100, name
    assert book.get("bpu.jkm", jan25).value == 6_800
    assert book.get("bpu.income.minimum", jan25).value == 1_000_000
    relief = {"very_low": "0.120", "low": "0.270", "medium": "0.445", "high": "0.635", "very_high": "0.870"}
    for risk, percent in relief.items():
        assert book.get(f"pu.jkk_relief.{risk}", month_index(2025, 2)).value == Fraction(percent) / 100


@pytest.mark.parametrize(
    ("year", "month", "cap"),
    [(2023, 1, 9_077_600), (2023, 3, 9_559_600), (2024, 2, 9_559_600), (2024, 3, 10_042_300),
     (2025, 2, 10_042_300), (2025, 3, 10_547_400), (2026, 2, 10_547_400), (2026, 3, 11_086_300)],
)
def test_jp_wage_cap_changes_every_march(year, month, cap):
    assert load_rulebook().get("pu.jp_wage_cap", month_index(year, month)).value == cap


def test_a_month_past_the_last_known_value_is_assumed_and_carried_forward():
    book = load_rulebook()
    known = book.get("pu.jp_wage_cap", month_index(2027, 2))
    assumed = book.get("pu.jp_wage_cap", month_index(2027, 3))
    assert not known.assumed
    assert assumed.assumed and assumed.value == 11_086_300


def test_reliefs_start_and_end_on_their_months():
    book = load_rulebook()
    low = lambda y, m: book.get("pu.jkk_relief.low", month_index(y, m)).value  # noqa: E731
    assert low(2025, 1) is None and low(2025, 2) is not None and low(2026, 1) is not None and low(2026, 2) is None
    other = lambda y, m: book.get("bpu.relief.other", month_index(y, m)).value  # noqa: E731
    transport = lambda y, m: book.get("bpu.relief.transport", month_index(y, m)).value  # noqa: E731
    assert other(2026, 3) is None and other(2026, 4) == Fraction(1, 2) and other(2026, 12) == Fraction(1, 2) and other(2027, 1) is None
    assert transport(2025, 12) is None and transport(2026, 1) == Fraction(1, 2) and transport(2027, 3) == Fraction(1, 2) and transport(2027, 4) is None


def test_unverified_facts_are_marked_in_the_rule_files():
    book = load_rulebook()
    jan = month_index(2026, 1)
    for name in ("bpu.jht", "bpu.jkk", "bpu.income.maximum", "bpu.relief.full_rate_payers"):
        assert book.get(name, jan).unverified, name
    assert "APBDes" in book.get("bpu.relief.full_rate_payers", jan).unverified


def test_a_year_before_the_rule_book_is_reported_not_guessed():
    from ucj_cli.rules.book import RuleMissing

    with pytest.raises(RuleMissing, match="pu.jp_wage_cap"):
        load_rulebook().get("pu.jp_wage_cap", month_index(2021, 6))


def test_a_what_if_replaces_values_from_its_month_without_touching_the_shipped_book():
    book = load_rulebook()
    change = Change("pu.jp.employer", month_index(2027, 1), Fraction(55, 1000), "override", "5.5%")
    what_if = book.with_what_if(WhatIf((change,)))
    assert what_if.get("pu.jp.employer", month_index(2027, 1)).value == Fraction(55, 1000)
    assert what_if.get("pu.jp.employer", month_index(2027, 1)).origin == "override"
    assert what_if.get("pu.jp.employer", month_index(2026, 12)) == book.get("pu.jp.employer", month_index(2026, 12))
    assert book.get("pu.jp.employer", month_index(2027, 1)).value == Fraction(2, 100)
    with pytest.raises(ValueError):
        coerce("percent", 0.0024)


def test_an_override_replaces_later_book_values_too():
    """An override holds from its month on: the relief's later dated values do not come back."""
    book = load_rulebook().with_what_if(WhatIf((Change("pu.jkk_relief.low", month_index(2025, 6), None, "override"),)))
    assert book.get("pu.jkk_relief.low", month_index(2025, 5)).value == Fraction(27, 10_000)
    assert book.get("pu.jkk_relief.low", month_index(2025, 9)).value is None


def test_every_announced_jp_cap_follows_from_its_predecessor_and_the_gdp_growth():
    """PP 45/2015 art. 29: previous cap x (1 + growth of the year before), down to Rp 100; the caps
    before the book's first are worked by hand in tests/fixtures/jp-cap-history.yaml."""
    book = load_rulebook()
    history = yaml.safe_load((FIXTURES / "jp-cap-history.yaml").read_text())["caps"]
    caps = {**history, **{year: book.get("pu.jp_wage_cap", month_index(year, 3)).value for year in range(2022, 2027)}}
    rule = book.parameters["pu.jp_wage_cap"].projection
    growth = book.parameters["economy.gdp_growth"]
    for year in range(2016, 2027):
        assert rule.next_value(caps[year - 1], growth.value_for_year(year - 1).value) == caps[year], year


def test_the_2027_cap_is_projected_from_an_assumed_growth_and_marked_so():
    book = load_rulebook()
    assert book.get("pu.jp_wage_cap", month_index(2027, 3)).assumed  # carried forward without an assumption
    growth = Change("economy.gdp_growth", month_index(2026, 1), Fraction(5, 100), "assumption", "5.0%")
    projected = book.with_what_if(WhatIf((growth,)))
    march = projected.get("pu.jp_wage_cap", month_index(2027, 3))
    assert march.value == 11_640_600 and march.origin == "projection" and not march.assumed
    assert march.basis.previous == 11_086_300 and march.basis.growth_origin == "assumption"
    assert projected.get("pu.jp_wage_cap", month_index(2027, 2)).value == 11_086_300
    assert projected.get("pu.jp_wage_cap", month_index(2028, 3)).assumed  # beyond the projected year: carried forward again
    assert projected.projected == (march,)


def test_rules_in_force_and_history():
    book = load_rulebook()
    in_force = {rule.name: rule for rule in book.in_force(month_index(2026, 3))}
    assert in_force["pu.jp_wage_cap"].value == 11_086_300 and "pu.jkk.low" in in_force
    assert [rule.value for rule in book.history("pu.jp_wage_cap")][-2:] == [10_547_400, 11_086_300]


def test_a_malformed_rule_file_is_a_clear_error(tmp_path):
    (tmp_path / "bad.yaml").write_text("description: x\nreference: y\nunit: percent\nvalues:\n  2025-01-15: {value: 1, reference: z}\n")
    with pytest.raises(RuleBookError, match=r"bad.yaml:5:3: .*first of a month"):
        load_rulebook.__wrapped__(str(tmp_path))


def test_months_of_one_epoch_have_every_value_alike():
    """The engine prices once per rule epoch: that is only right if nothing changes inside one."""
    book = load_rulebook().with_what_if(WhatIf((Change("economy.gdp_growth", month_index(2026, 1), Fraction(5, 100), "assumption"),)))
    months = range(month_index(2022, 1), month_index(2029, 1))
    for month in months:
        if book.epoch(month) == book.epoch(month + 1):
            for name in book.parameters:
                if book.parameters[name].starts[0] <= month:
                    assert book.get(name, month) == book.get(name, month + 1), (name, month)
    assert book.epoch(month_index(2027, 2)) != book.epoch(month_index(2027, 3))  # the projected cap
    assert book.epoch(month_index(2026, 4)) == book.epoch(month_index(2026, 12))


# The cached shipped book cannot be changed
def test_the_shipped_book_is_read_only():
    book = load_rulebook()
    with pytest.raises(TypeError):
        book.parameters["pu.jkm"] = book.parameters["pu.jht.worker"]  # type: ignore[index]
    assert load_rulebook().get("pu.jkm", month_index(2025, 1)).value == Fraction(3, 1000)


# A parameter changed both ways is refused rather than merged by its first change's origin
def test_what_if_refuses_mixed_origins_for_one_parameter():
    book = load_rulebook()
    changes = (Change("economy.gdp_growth", month_index(2030, 1), Fraction(5, 100), "assumption"),
               Change("economy.gdp_growth", month_index(2031, 1), Fraction(5, 100), "override"))
    with pytest.raises(ValueError):
        book.with_what_if(WhatIf(changes))


# The relief's programs and the verified funding kinds are rule data
def test_relief_programs_and_verified_kinds_come_from_the_rule_file():
    book = load_rulebook()
    assert book.parameters["bpu.relief.transport"].programs == ("jkk", "jkm")
    assert book.parameters["bpu.relief.full_rate_payers"].verified == ("apbn", "apbd", "dbhcht")
    month = month_index(2026, 5)
    assert book.get("bpu.relief.full_rate_payers", month, "apbd").verified
    assert not book.get("bpu.relief.full_rate_payers", month, "apbdes").verified
    result = simulate(scenario_of("  - {name: A, workers: 1, category: bpu, income: 1_000_000, funding: desa, programs: [jkk, jkm, jht]}\n"))
    parts = {part.program: part for part in result.cohorts[0].parts[4]}
    assert parts["jht"].share is None and parts["jht"].relief == 0
    assert parts["jkk"].share == Fraction(1, 2) and parts["jkm"].share == Fraction(1, 2)


# The errors of `coerce` carry no English sentence (callers report coded diagnostics)
@pytest.mark.parametrize("unit, value", [("percent", 0.5), ("currency-IDR", -1), ("percent", "x"), ("percent", "150")])
def test_coerce_errors_are_bare(unit, value):
    with pytest.raises(ValueError) as caught:
        coerce(unit, value)
    assert str(caught.value) == ""


# --- the rule data in both languages, and what it may claim ---------------------------------------

import re as _re

from ucj_cli.i18n import RuleText, reference_style


def _texts(book):
    """Every text of the book a person reads: (rule, what, text)."""
    for name, parameter in book.parameters.items():
        yield name, "description", parameter.description
        for entry in parameter.entries:
            yield name, "reference", entry.reference
            if entry.unverified:
                yield name, "unverified", entry.unverified


def test_every_description_and_unverified_reason_has_its_indonesian():
    book = load_rulebook()
    missing = [(name, what) for name, what, text in _texts(book)
               if what != "reference" and not (isinstance(text, RuleText) and text.indonesian)]
    assert not missing, missing


def test_no_indonesian_reference_says_art():
    book = load_rulebook()
    shown = [(name, reference_style(text.indonesian or text)) for name, what, text in _texts(book) if what == "reference"]
    assert not [item for item in shown if _re.search(r"\bart\.|\barts\.", item[1])]
    assert reference_style("PP 44/2015 art. 20(1)-(2) and Lampiran II").startswith("PP 44/2015 Pasal 20 ayat (1)-(2)")
    assert reference_style("PP 16/2026 art. 121(1)(b)") == "PP 16/2026 Pasal 121 ayat (1) huruf b"


_REGULATION_YEAR = _re.compile(r"^(?:PP|PMK|Permendagri|Permendes|Kepmendagri|Inpres|Perpres|UU)\s[^;(]*?/(?:PMK\.[0-9]+/)?([0-9]{4})\b")


def test_a_rule_is_never_in_force_before_the_regulation_it_cites():
    """`eligibility.payers.dbhcht.only_for` once read in force from July 2015 citing PMK 72/2024."""
    early = []
    for name, parameter in load_rulebook().parameters.items():
        for entry in parameter.entries:
            cited = _REGULATION_YEAR.match(str(entry.reference))
            if cited and entry.start // 12 < int(cited.group(1)):
                early.append((name, entry.start // 12, str(entry.reference)))
    assert not early, early


def test_no_code_is_never_verified():
    """An account rule without a code rests on ucj's reading, not on a regulation: never `verified`."""
    verified = [(name, entry.start) for name, parameter in load_rulebook().parameters.items() if parameter.unit == "account"
                for entry in parameter.entries if entry.value in (None, (), "") and entry.unverified is None]
    assert not verified, verified
