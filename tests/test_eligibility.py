"""Who may pay for whom: each eligibility rule fires in the months it is in force and not outside
them; roles give default categories; the village spending cap is worked by hand."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SCENARIOS, invoke_ucj
from ucj_cli import ScenarioError, parse_scenario, simulate
from ucj_cli.engine.eligibility import findings
from ucj_cli.i18n import set_language
from ucj_cli.period import month_index
from ucj_cli.rules.book import Change, WhatIf, load_rulebook
from ucj_cli.model import FUNDING_KINDS, ROLES

KINDS = "\n".join(f"  {kind}: {{kind: {kind}}}" for kind in FUNDING_KINDS)


def scenario(year: int, *cohorts: str, funding: str = KINDS, rules=None):
    """A scenario with one scheme per funding kind (its id is the kind) and the given cohorts,
    each written as `name: ..., key: value` flow-mapping text."""
    body = "\n".join(f"  - {{{cohort}}}" for cohort in cohorts)
    text = f"name: t\nyear: {year}\nworkforce: {{employed: 100000, covered: 0}}\nfunding:\n{funding}\ncohorts:\n{body}\n"
    return parse_scenario(text, "t.yaml", rules)


def dana_desa_rule_from(month: int):
    """The shipped book, but Dana Desa barred from paying for village officials only from `month` of 2026."""
    name = "eligibility.payers.dana_desa.not_for"
    changes = (Change(name, month_index(2026, 1), None, "override"), Change(name, month_index(2026, month), ("perangkat_desa",), "override"))
    return load_rulebook().with_what_if(WhatIf(changes))


def codes(result) -> list[tuple[str, dict]]:
    return [(d.code, dict(d.args)) for d in result.diagnostics if d.code.startswith(("W-", "E-")) or d.code.startswith("N-village")]


OFFICIAL = "name: Perangkat, role: perangkat_desa, workers: 10, income: 2000000, funding: {kind}"


@pytest.mark.parametrize(("year", "kind", "expected"), [
    (2025, "dana_desa", []),  # Permendes 16/2025 rules Dana Desa from 2026
    (2026, "dana_desa", [("W-payer-barred", 2026)]),
    (2027, "dana_desa", [("W-payer-barred", 2027)]),  # carried forward until a 2027 rule is read
    (2026, "add", []),
    (2026, "apbdes", []),  # source not stated: not Dana Desa as far as ucj can tell
])
def test_dana_desa_may_not_pay_for_village_officials_from_2026(year, kind, expected):
    result = simulate(scenario(year, OFFICIAL.format(kind=kind)))
    found = [(code, args["first"] // 12) for code, args in codes(result)]
    assert found == expected
    for code, args in codes(result):
        assert (args["first"], args["last"]) == (month_index(year, 1), month_index(year, 12))
        assert args["rule"] == "eligibility.payers.dana_desa.not_for" and str(args["status"]) == "unverified"
        assert tuple(args["instead"]) == ("add", "pades", "apbd")


def test_dbhcht_pays_only_for_tobacco_and_vulnerable_workers_in_every_year():
    for year in (2023, 2026):
        kader = "name: Kader, role: kader_posyandu, workers: 5, income: 1000000, funding: dbhcht"
        farmer = "name: Petani, role: petani_tembakau, workers: 5, income: 1000000, funding: dbhcht"
        result = simulate(scenario(year, kader, farmer))
        ((code, args),) = codes(result)
        assert code == "W-payer-not-listed" and args["cohort"] == "Kader" and tuple(args["instead"]) == ("apbd",)
        assert "petani_tembakau" in args["roles"]


@pytest.mark.parametrize(("start", "months", "category", "expected"), [
    (1, 12, "bpu", (month_index(2026, 4), month_index(2026, 12))),  # PP 16/2026 in force 27 Mar 2026
    (1, 3, "bpu", None),  # January-March: before the rule
    (1, 12, "pu", None),
])
def test_bpd_members_are_pu_from_april_2026(start, months, category, expected):
    cohort = f"name: BPD, role: bpd, workers: 7, category: {category}, income: 1000000, funding: add, start: {start}, months: {months}"
    found = codes(simulate(scenario(2026, cohort)))
    if expected is None:
        assert found == []
    else:
        ((code, args),) = found
        assert code == "W-category-required" and (args["first"], args["last"]) == expected
        assert args["required"] == "pu" and str(args["status"]) == "verified" and "86(3)" in args["reference"]
    assert codes(simulate(scenario(2025, cohort.replace("2026", "2025")))) == []


def test_a_cohort_that_changes_payer_or_category_when_a_rule_starts_is_clean():
    bpd = "name: BPD {n}, role: bpd, workers: 7, category: {c}, income: 1000000, funding: add, start: {s}, months: {m}"
    split = scenario(2026, bpd.format(n="Jan-Mar", c="bpu", s=1, m=3), bpd.format(n="Apr-Dec", c="pu", s=4, m=9))
    assert codes(simulate(split)) == []
    # a Dana Desa rule that starts in July: the same officials move from Dana Desa to ADD then
    book = dana_desa_rule_from(7)
    official = "name: P {n}, role: perangkat_desa, workers: 10, income: 2000000, funding: {f}, start: {s}, months: 6"
    moved = scenario(2026, official.format(n="1", f="dana_desa", s=1), official.format(n="2", f="add", s=7), rules=book)
    assert codes(simulate(moved, book)) == []
    stayed = scenario(2026, official.format(n="1", f="add", s=1), official.format(n="2", f="dana_desa", s=7), rules=book)
    ((code, args),) = codes(simulate(stayed, book))
    assert code == "W-payer-barred" and (args["first"], args["last"]) == (month_index(2026, 7), month_index(2026, 12))


def test_rules_that_allow_a_payer_are_findings_but_never_warnings():
    pktd = "name: PKTD, role: pktd, workers: 40, category: bpu, income: 1000000, funding: dana_desa, start: 7, months: 3"
    (allowed,) = findings(scenario(2026, pktd), load_rulebook())
    assert not allowed.breach and allowed.rule.name == "eligibility.payers.dana_desa.for"
    assert (allowed.first, allowed.last) == (month_index(2026, 7), month_index(2026, 9))
    assert findings(scenario(2025, pktd), load_rulebook()) == ()
    assert codes(simulate(scenario(2026, pktd))) == []


@pytest.mark.parametrize(("year", "role", "category"), [
    (2026, "bpd", "pu"), (2026, "kepala_desa", "pu"), (2024, "non_asn", "pu"), (2026, "kader_posyandu", "bpu"),
    (2023, "petani_tembakau", "bpu"),
])
def test_a_role_gives_the_category_where_the_scenario_is_silent(year, role, category):
    (cohort,) = scenario(year, f"name: X, role: {role}, workers: 1, income: 1000000, funding: apbd").cohorts
    assert cohort.category == category and cohort.role == role


@pytest.mark.parametrize("cohort", [
    "name: X, role: bpd, workers: 1, income: 1000000, funding: add",  # 2025: BPD's category is not set by law yet
    "name: X, role: pktd, workers: 1, income: 1000000, funding: dana_desa",
    "name: X, workers: 1, income: 1000000, funding: apbd",
])
def test_no_category_and_no_default_is_an_error(cohort):
    with pytest.raises(ScenarioError) as caught:
        scenario(2025, cohort)
    assert [d.code for d in caught.value.diagnostics] == ["E-category-missing"]


def test_an_unknown_role_is_an_error_with_a_suggestion():
    with pytest.raises(ScenarioError) as caught:
        scenario(2026, "name: X, role: perangkat, workers: 1, category: pu, income: 1000000, funding: add")
    assert "perangkat_desa" in str(caught.value)


CAP_FUNDING = "  add: {{kind: add, village_spending: 10000000{other}}}\n  apbd: {{kind: apbd}}"
HEAD = "name: Kades, role: kepala_desa, workers: 1, income: 2000000, funding: add"


@pytest.mark.parametrize(("other", "expected"), [
    # 1 head, PU, JKK 0.24% + JKM 0.30% of Rp 2,000,000 = 4,800 + 6,000 = 10,800 a month, x 12 = 129,600.
    # Cap: 30% of Rp 10,000,000 = 3,000,000.
    (2_900_000, ["W-village-spending-cap"]),  # 129,600 + 2,900,000 = 3,029,600 > 3,000,000
    (2_870_400, ["N-village-spending-cap"]),  # 129,600 + 2,870,400 = 3,000,000: at the cap is within it
    (None, ["N-village-spending-partial"]),  # only the jamsostek part is known
])
def test_village_spending_cap_worked_by_hand(other, expected):
    funding = CAP_FUNDING.format(other="" if other is None else f", village_spending_on_officials: {other}")
    result = simulate(scenario(2026, HEAD, funding=funding))
    found = codes(result)
    assert [code for code, _ in found] == expected
    args = found[0][1]
    assert args["jamsostek"] == 129_600 and args["spending"] == 10_000_000
    if expected[0].startswith("W"):
        assert args["limit"] == 3_000_000 and args["other"] == 2_900_000


def test_village_spending_cap_counts_only_officials_paid_from_village_money():
    funding = CAP_FUNDING.format(other=", village_spending_on_officials: 0")
    kader = "name: Kader, role: kader_posyandu, workers: 100, income: 1000000, funding: add"
    from_apbd = HEAD.replace("Kades", "Kades APBD").replace("add", "apbd")
    ((code, args),) = codes(simulate(scenario(2026, HEAD, kader, from_apbd, funding=funding)))
    assert code == "N-village-spending-cap" and args["jamsostek"] == 129_600


def test_village_spending_cap_is_not_checked_before_pp_16_2026():
    funding = CAP_FUNDING.format(other="")
    found = codes(simulate(scenario(2025, HEAD, funding=funding)))
    assert found == [("N-village-spending-unchecked", {"scheme": "add", "year": "2025"})]


@pytest.mark.parametrize(("funding", "code"), [
    ("  apbd: {kind: apbd, village_spending: 1000}", "E-village-spending-kind"),
    ("  add: {kind: add, village_spending: 1000}\n  apbd: {kind: pades, village_spending: 1000}", "E-village-spending-twice"),
    ("  add: {kind: add, village_spending_on_officials: 1000}\n  apbd: {kind: apbd}", "E-village-officials-alone"),
])
def test_village_spending_is_stated_once_on_village_money(funding, code):
    with pytest.raises(ScenarioError) as caught:
        scenario(2026, "name: X, role: non_asn, workers: 1, income: 2000000, funding: apbd", funding=funding)
    assert [d.code for d in caught.value.diagnostics] == [code]


def test_shipped_eligibility_rules_name_known_roles_and_kinds():
    book = load_rulebook()
    lists = [p for name, p in book.parameters.items() if name.startswith("eligibility.") and p.unit in ("list", "roles")]
    assert len(lists) >= 9
    for parameter in lists:
        known = FUNDING_KINDS if parameter.unit == "list" else ROLES
        for entry in parameter.entries:
            assert set(entry.value or ()) <= set(known), parameter.name
        if parameter.name.endswith((".not_for", ".only_for")):
            assert parameter.name.rsplit(".", 1)[0] + ".instead" in book.parameters, parameter.name


def test_example_scenarios_have_roles_and_break_no_eligibility_rule():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        result = simulate(parse_scenario(path.read_text(encoding="utf-8"), str(path)))
        assert all(cohort.role for cohort in result.scenario.cohorts), path
        assert not [d for d in result.diagnostics if d.code.startswith(("W-payer", "W-category", "W-village", "N-eligibility"))], path


def test_blitar_2026_is_a_clean_budget():
    result = simulate(parse_scenario((SCENARIOS / "blitar-2026.yaml").read_text(encoding="utf-8"), "blitar-2026.yaml"))
    assert result.warnings == ()
    payers = {item.cohort.role: item.scheme.kind for item in result.cohorts}
    assert payers["kepala_desa"] == payers["perangkat_desa"] == payers["bpd"] == "add" and payers["pktd"] == "dana_desa"
    assert [d.code for d in result.diagnostics if d.code.startswith("N-village")] == ["N-village-spending-cap"]


BREACH = """name: t
year: 2026
workforce: {employed: 1000, covered: 0}
funding:
  dd: {kind: dana_desa}
cohorts:
  - {name: Perangkat, role: perangkat_desa, workers: 10, income: 2000000, funding: dd}
  - {name: Kader, workers: 10, category: bpu, income: 1000000, funding: dd}
"""


@pytest.mark.parametrize(("lang", "barred", "skipped"), [
    ("en", "which may not pay for this role from January 2026 to December 2026", "cohorts without a role: 1;"),
    ("id", "yang tidak boleh membayar iuran peran ini dari Januari 2026 sampai Desember 2026", "kelompok tanpa peran: 1;"),
])
def test_validate_and_simulate_show_breaches_and_skipped_cohorts(tmp_path, lang, barred, skipped):
    path = tmp_path / "breach.yaml"
    path.write_text(BREACH, encoding="utf-8")
    try:
        checked = invoke_ucj("validate", str(path), "--lang", lang)
        assert checked.returncode == 0 and barred in checked.stdout and skipped in checked.stdout
        assert "[W-payer-barred]" in checked.stdout and "[N-eligibility-skipped]" in checked.stdout
        assert invoke_ucj("validate", "--strict", str(path), "--lang", lang).returncode == 2
        assert invoke_ucj("simulate", "--strict", str(path), "-f", "json", "--lang", lang).returncode == 1
        assert invoke_ucj("simulate", str(path), "-f", "json", "--lang", lang).returncode == 0
    finally:
        set_language("en")


@settings(max_examples=40, deadline=None)
@given(rule_start=st.integers(1, 12), start=st.integers(1, 12), data=st.data())
def test_a_breach_spans_exactly_the_covered_months_the_rule_is_in_force(rule_start, start, data):
    months = data.draw(st.integers(1, 13 - start))
    book = dana_desa_rule_from(rule_start)
    cohort = f"name: P, role: perangkat_desa, workers: 1, income: 2000000, funding: dana_desa, start: {start}, months: {months}"
    found = codes(simulate(scenario(2026, cohort, rules=book), book))
    first, last = max(start, rule_start), start + months - 1
    if first > last:
        assert found == []
    else:
        ((code, args),) = found
        assert code == "W-payer-barred" and (args["first"], args["last"]) == (month_index(2026, first), month_index(2026, last))


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "July 2026 to September 2026: dana_desa may pay for this role [eligibility.payers.dana_desa.for"),
    ("id", "Juli 2026 sampai September 2026: dana_desa boleh membayar iuran peran ini [eligibility.payers.dana_desa.for"),
])
def test_explain_shows_the_rule_that_allowed_a_payer(tmp_path, lang, line):
    path = tmp_path / "pktd.yaml"
    path.write_text(BREACH.replace("{name: Kader, workers: 10,", "{name: PKTD, role: pktd, workers: 30, start: 7, months: 3,"), encoding="utf-8")
    try:
        text = invoke_ucj("explain", str(path), "-c", "PKTD", "--lang", lang)
        assert text.returncode == 0 and line in text.stdout
        data = json.loads(invoke_ucj("explain", str(path), "-c", "Perangkat", "-f", "json", "--lang", lang).stdout)
        (found,) = data["eligibility"]
        assert (found["test"], found["breach"], found["from"], found["to"]) == ("not_for", True, "2026-01", "2026-12")
        assert found["instead"] == ["add", "pades", "apbd"] and found["rule"]["name"] == "eligibility.payers.dana_desa.not_for"
    finally:
        set_language("en")


def test_a_scenario_can_override_an_eligibility_rule_as_a_what_if():
    funding = "  dd: {kind: dana_desa}\noverrides:\n  eligibility.payers.dana_desa.not_for: {2026-07: [bpd, linmas]}"
    official = "name: P, role: perangkat_desa, workers: 10, income: 2000000, funding: dd"
    what_if = scenario(2026, official, funding=funding)
    ((code, args),) = codes(simulate(what_if))
    assert code == "W-payer-barred" and (args["first"], args["last"]) == (month_index(2026, 1), month_index(2026, 6))
    with pytest.raises(ScenarioError) as caught:
        scenario(2026, official, funding=funding.replace("linmas", "lurah"))
    assert [d.code for d in caught.value.diagnostics] == ["E-override-roles"]


def test_simulate_shows_the_village_spending_cap_note_in_full():
    done = invoke_ucj("simulate", str(SCENARIOS / "blitar-2026.yaml"), "--lang", "en")
    assert done.returncode == 0
    assert "take 27.30% of village spending Rp 352,000,000,000 ('add')" in done.output and "[N-village-spending-cap]" in done.output


def test_explain_of_one_month_cuts_the_rule_to_that_month():
    done = invoke_ucj("explain", str(SCENARIOS / "blitar-2026.yaml"), "-c", "Anggota BPD", "-m", "2026-05", "-f", "json")
    (found,) = json.loads(done.stdout)["eligibility"]
    assert (found["test"], found["breach"], found["from"], found["to"]) == ("enrolment", False, "2026-05", "2026-05")
    assert found["required"] == "pu" and found["rule"]["verified"] is True
