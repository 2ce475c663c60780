"""Who may pay for whom: a scenario checked against the eligibility rules in force in each month.

A budget can be exact and still unlawful (Dana Desa paying the village head's JKK, BPD members
insured as BPU after PP 16/2026). The rules are dated lists in `rulebook/eligibility/`, read
generically, so a new rule for a funding kind or a role is data, not code:

- `eligibility.payers.<kind>.not_for`: roles the kind may not pay for (a breach);
- `eligibility.payers.<kind>.only_for`: the only roles the kind may pay for (any other is a breach);
- `eligibility.payers.<kind>.for`: roles the kind is expressly allowed to pay for (never a breach);
- `eligibility.payers.<kind>.instead`: kinds to suggest when a breach is found;
- `eligibility.enrolment.<category>`: roles a regulation enrols in that category;
- `eligibility.defaults.<category>`: ucj's default category of a role (the checker uses it);
- `eligibility.village_spending_cap.share` / `.roles`: PP 16/2026 art. 121(1)(b).

Pure and wordless like the engine: it returns `Finding`s and coded diagnostics; words come from the
catalogue when shown. Only cohorts with a role are checked; the rest are counted.
"""

from __future__ import annotations

import weakref
from dataclasses import replace
from fractions import Fraction
from typing import Mapping

from ucj_cli.errors import Diagnostic, diagnostic
from ucj_cli.frozen import frozen
from ucj_cli.i18n.messages import Choices, Count, Label, Month, Quoted, Rate, Ratio, Rupiah
from ucj_cli.period import month_index
from ucj_cli.rules.book import RuleBook, RuleValue
from ucj_cli.model import CATEGORIES, VILLAGE_KINDS, Cohort, FundingScheme, Scenario

PAYER_RULES = ("not_for", "only_for", "for")
CAP = "eligibility.village_spending_cap"


@frozen
class Finding:
    """One eligibility rule applied to one cohort over a run of months: a breach, or the rule that
    allowed its payer or category (for `explain`)."""

    cohort: Cohort
    scheme: FundingScheme
    rule: RuleValue
    test: str  # not_for | only_for | for | enrolment
    first: int  # month index
    last: int
    breach: bool
    instead: tuple[str, ...] = ()  # funding kinds to suggest (payer breaches)
    required: str | None = None  # the category a regulation enrols the role in (enrolment)

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise ValueError(f"finding runs from month {self.first} to {self.last}")


@frozen
class VillageCap:
    """PP 16/2026 art. 121(1)(b) for the village budget that states its spending: what ucj priced
    (the jamsostek of the head, officials and BPD paid from village money) and what it was told."""

    scheme: FundingScheme
    spending: int  # `village_spending`: the village budget's spending in the year
    share: RuleValue  # the cap, as a share of village spending
    jamsostek: int
    other: int | None  # `village_spending_on_officials`, when given

    def __post_init__(self) -> None:
        if self.spending < 1 or self.jamsostek < 0 or (self.other or 0) < 0:
            raise ValueError("village spending must be at least Rp 1 and its parts not negative")

    @property
    def limit(self) -> int:
        """The most the cap allows, in whole rupiah (rounded down: the cap is 'at most')."""
        return self.spending * self.share.value.numerator // self.share.value.denominator

    @property
    def used(self) -> int:
        return self.jamsostek + (self.other or 0)

    @property
    def over(self) -> bool:
        return self.used > self.limit


_Test = tuple[str, RuleValue, bool, tuple[str, ...], "str | None"]  # test, rule, breach, instead, required


def _month_findings(role: str, category: str, kind: str, month: int, rules: RuleBook) -> tuple[_Test, ...]:
    found = []
    instead = rules.rule_in_force(f"eligibility.payers.{kind}.instead", month)
    suggestion = tuple(instead.value) if instead else ()
    for test in PAYER_RULES:
        rule = rules.rule_in_force(f"eligibility.payers.{kind}.{test}", month)
        if rule is None:
            continue
        listed = role in rule.value
        if test == "not_for" and listed:
            found.append((test, rule, True, suggestion, None))
        elif test == "only_for":
            found.append((test, rule, not listed, () if listed else suggestion, None))
        elif test == "for" and listed:
            found.append((test, rule, False, (), None))
    for required in CATEGORIES:
        rule = rules.rule_in_force(f"eligibility.enrolment.{required}", month)
        if rule is not None and role in rule.value:
            found.append(("enrolment", rule, category != required, (), required))
    return tuple(found)


_TESTS: "weakref.WeakKeyDictionary[RuleBook, dict[tuple[str, str, str, int], tuple[_Test, ...]]]" = weakref.WeakKeyDictionary()


def findings(scenario: Scenario, rules: RuleBook) -> tuple[Finding, ...]:
    """Every eligibility rule that bears on a cohort with a role, month by month, joined into runs
    of months under the same rule entry (so a rule that starts in April gives a run from April)."""
    cache = _TESTS.get(rules)  # cohorts alike share their months' tests, as do the runs of one book (a batch)
    if cache is None or len(cache) > 100_000:
        cache = _TESTS[rules] = {}
    return tuple(found for cohort in scenario.cohorts for found in cohort_findings(scenario, cohort, rules, cache))


def cohort_findings(scenario: Scenario, cohort: Cohort, rules: RuleBook,
                    cache: dict[tuple[str, str, str, int], tuple[_Test, ...]] | None = None) -> tuple[Finding, ...]:
    """The eligibility rules bearing on one cohort (none without a role), for `explain` and `check`."""
    if cohort.role is None or cohort.workers == 0:
        return ()
    cache = {} if cache is None else cache
    scheme = scenario.funding[cohort.funding]
    runs: dict[tuple[str, str, int], Finding] = {}
    for offset in range(cohort.start, cohort.end + 1):
        month = month_index(scenario.year, offset)
        key = (cohort.role, cohort.category, scheme.kind, month)
        if key not in cache:
            cache[key] = _month_findings(*key, rules)
        for test, rule, breach, instead, required in cache[key]:
            run = (test, rule.name, rule.effective)
            known = runs.get(run)
            # an entry covers one run of months, and so does a cohort: extending the run is enough
            runs[run] = replace(known, last=month) if known else Finding(cohort, scheme, rule, test, month, month, breach, instead, required)
    return tuple(runs.values())


def village_cap(scenario: Scenario, rules: RuleBook, amounts: Mapping[str, int]) -> VillageCap | None:
    """The cap check for the scheme that states `village_spending`, with the cap in force in the
    year's last month it applies; None when no scheme states it or no cap is in force that year."""
    scheme = next((s for s in scenario.funding.values() if s.village_spending is not None), None)
    if scheme is None:
        return None
    months = [month_index(scenario.year, m) for m in range(12, 0, -1)]
    share = next((rule for month in months if (rule := rules.rule_in_force(f"{CAP}.share", month))), None)
    if share is None:
        return None
    roles = rules.rule_in_force(f"{CAP}.roles", share.effective)
    counted = set(roles.value) if roles else set()
    jamsostek = sum(
        amounts.get(cohort.name, 0) for cohort in scenario.cohorts
        if cohort.role in counted and scenario.funding[cohort.funding].kind in VILLAGE_KINDS
    )
    return VillageCap(scheme, scheme.village_spending, share, jamsostek, scheme.village_spending_on_officials)


def _status(rule: RuleValue) -> Label:
    return Label("unverified") if rule.unverified else Label("verified")


def _breach(finding: Finding) -> Diagnostic:
    cohort, scheme, rule = finding.cohort, finding.scheme, finding.rule
    common = dict(cohort=Quoted(cohort.name), role=cohort.role, first=Month(finding.first), last=Month(finding.last),
                  rule=rule.name, reference=rule.reference, status=_status(rule))
    if finding.test == "enrolment":
        return diagnostic(cohort.mark, "W-category-required", category=cohort.category, required=finding.required, **common)
    payer = dict(scheme=Quoted(scheme.id), kind=scheme.kind, instead=Choices(finding.instead or ("-",)))
    if finding.test == "only_for":
        return diagnostic(cohort.mark, "W-payer-not-listed", roles=Choices(rule.value), **payer, **common)
    return diagnostic(cohort.mark, "W-payer-barred", **payer, **common)


def _cap_diagnostics(cap: VillageCap) -> list[Diagnostic]:
    scheme, rule = cap.scheme, cap.share
    mark = scheme.mark
    common = dict(scheme=Quoted(scheme.id), spending=Rupiah(cap.spending), jamsostek=Rupiah(cap.jamsostek),
                  share=Ratio(Fraction(cap.used, cap.spending)), cap=Rate(rule.value),
                  rule=rule.name, reference=rule.reference)
    found = []
    if cap.over:
        found.append(diagnostic(mark, "W-village-spending-cap", other=Rupiah(cap.other or 0), limit=Rupiah(cap.limit), **common))
    elif cap.other is not None:
        found.append(diagnostic(mark, "N-village-spending-cap", other=Rupiah(cap.other), **common))
    if cap.other is None:
        found.append(diagnostic(mark, "N-village-spending-partial", **common))
    return found


def check(scenario: Scenario, rules: RuleBook, amounts: Mapping[str, int]) -> tuple[Diagnostic, ...]:
    """Warnings for every breach, the village spending cap (`amounts`: each cohort's budgeted total,
    by name) and a note counting the cohorts not checked because they have no role."""
    found = [_breach(finding) for finding in findings(scenario, rules) if finding.breach]
    cap = village_cap(scenario, rules, amounts)
    if cap is not None:
        found.extend(_cap_diagnostics(cap))
    else:
        stated = next((s for s in scenario.funding.values() if s.village_spending is not None), None)
        if stated is not None:
            found.append(diagnostic(stated.mark, "N-village-spending-unchecked", scheme=Quoted(stated.id), year=str(scenario.year)))
    skipped = [cohort for cohort in scenario.cohorts if cohort.role is None and cohort.workers]
    if skipped:
        found.append(diagnostic(skipped[0].mark, "N-eligibility-skipped", count=Count(len(skipped))))
    return tuple(found)
