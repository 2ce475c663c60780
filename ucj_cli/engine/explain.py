"""Defending a figure: a simulated budget taken apart, down to each rule and its article.

Engine-side analysis, pure data and no words: `explain_cohort` groups a cohort's priced parts into
spans of months with identical working (a rule change inside the year, such as the March JP cap or
the end of a relief, starts a new span), and `budget_tree` shows the whole budget as total ->
funding scheme -> cohort -> program. Nothing here prices anything: every figure is read from the
`Result`, so an explanation always ends at the figure `simulate` shows.
"""

from __future__ import annotations

from dataclasses import replace

from ucj_cli.engine.eligibility import Finding, cohort_findings
from ucj_cli.engine.pricing import CohortResult, Part, Result, simulate
from ucj_cli.frozen import frozen
from ucj_cli.period import month_index
from ucj_cli.rules.book import RuleBook, RuleValue, WhatIf
from ucj_cli.model import PROGRAMS, Scenario


@frozen
class Span:
    """Consecutive covered months in which one participant's part is worked out identically."""

    first: int  # month index
    last: int
    part: Part
    workers: int

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    @property
    def amount(self) -> int:
        return self.part.per_person * self.workers * self.months


@frozen
class LineExplanation:
    """One program and payer share of a cohort over the year."""

    program: str
    payer: str
    funded: bool  # False: the worker's own share, deducted from the wage, outside the budget
    spans: tuple[Span, ...]

    @property
    def amount(self) -> int:
        return sum(span.amount for span in self.spans)


@frozen
class CohortExplanation:
    """Why one cohort costs what it does: its lines, months and the eligibility rules that bear on them."""

    item: CohortResult
    lines: tuple[LineExplanation, ...]
    months: tuple[int, ...]  # the month indexes explained (all covered months, or the one asked for)
    program: str | None = None  # only this program was explained
    eligibility: tuple[Finding, ...] = ()  # the rules on who may pay that bear on the explained months

    @property
    def amount(self) -> int:
        """What the budget pays over the explained months: the sum of the funded lines."""
        return sum(line.amount for line in self.lines if line.funded)

    @property
    def worker_paid(self) -> int:
        return sum(line.amount for line in self.lines if not line.funded)

    @property
    def rules(self) -> tuple[RuleValue, ...]:
        """Every rule value behind the explained figures (and no other)."""
        return tuple(dict.fromkeys(rule for line in self.lines for span in line.spans for rule in span.part.rules))


@frozen
class Node:
    """A node of the budget tree; its children add up to its amount exactly."""

    kind: str  # total | funding | cohort | program
    key: str
    amount: int
    children: tuple[Node, ...] = ()

    def __post_init__(self) -> None:
        if self.children and sum(child.amount for child in self.children) != self.amount:
            raise ValueError(f"the parts of {self.kind} '{self.key}' do not add up to it")


def find_cohorts(result: Result, name: str) -> tuple[CohortResult, ...]:
    """The cohort called `name`, or else every group of the `from_csv` cohort the scenario calls
    `name` (its groups are named "Name #1", "Name #2"...); empty when neither."""
    exact = tuple(item for item in result.cohorts if item.cohort.name == name)
    return exact or tuple(item for item in result.cohorts if item.cohort.places is not None and item.cohort.places.origin == name)


def explain_cohort(result: Result, item: CohortResult, month: int | None = None, program: str | None = None) -> CohortExplanation:
    """The cohort's parts grouped into spans, per program and payer, over its covered months (or
    only `month`, a month index), optionally for one program. Over the whole year the funded lines
    add up to the cohort's amount in `simulate`, and over one month to its figure for that month."""
    months = [month_index(result.scenario.year, offset + 1) for offset, parts in enumerate(item.parts) if parts]
    if month is not None:
        months = [m for m in months if m == month]
    grouped: dict[tuple[str, str], list[Span]] = {}
    funded: dict[tuple[str, str], bool] = {}
    for current in months:
        for part in item.parts[current % 12]:
            if program is not None and part.program != program:
                continue
            key = (part.program, part.payer)
            funded[key] = part.funded
            spans = grouped.setdefault(key, [])
            if spans and spans[-1].part == part and spans[-1].last == current - 1:
                spans[-1] = Span(spans[-1].first, current, part, spans[-1].workers)
            else:
                spans.append(Span(current, current, part, item.cohort.workers))
    order = sorted(grouped, key=lambda key: (PROGRAMS.index(key[0]), key[1]))
    lines = tuple(LineExplanation(key[0], key[1], funded[key], tuple(grouped[key])) for key in order)
    eligibility = tuple(replace(found, first=max(found.first, months[0]), last=min(found.last, months[-1]))
                        for found in cohort_findings(result.scenario, item.cohort, result.rules)
                        if months and found.first <= months[-1] and found.last >= months[0])  # cut to the months explained
    explanation = CohortExplanation(item, lines, tuple(months), program, eligibility)
    if program is not None:
        expected = None if month is not None else item.by_program[program]
    else:
        expected = item.by_month[month % 12] if month is not None else item.amount
    if expected is not None and explanation.amount != expected:
        raise AssertionError("an explanation must end at the simulated figure")
    return explanation


def budget_tree(result: Result) -> Node:
    """The budget as total -> funding scheme -> cohort -> program, each node with its amount."""
    schemes = []
    for key, funding in result.by_funding.items():
        cohorts = tuple(
            Node("cohort", item.cohort.name, item.amount,
                 tuple(Node("program", program, amount) for program, amount in item.by_program.items() if amount))
            for item in result.cohorts if item.cohort.funding == key
        )
        schemes.append(Node("funding", key, funding.amount, cohorts))
    return Node("total", result.scenario.name, result.total, tuple(schemes))


def what_if_causes(scenario: Scenario, shipped: RuleBook) -> tuple[tuple[str, int], ...]:
    """What each what-if parameter adds to the budget: the parameters are switched on one at a
    time, in the order the scenario gives them, each credited with the change it makes on top of
    the ones before (so interactions, such as a higher JP rate on a projected cap, go to the later
    one). The amounts add up exactly to the what-if budget minus the plain one."""
    names = list(dict.fromkeys(change.name for change in scenario.what_if.changes))
    causes, before = [], simulate(scenario, shipped.with_what_if(WhatIf())).total
    for count in range(1, len(names) + 1):
        chosen = WhatIf(tuple(change for change in scenario.what_if.changes if change.name in names[:count]))
        after = simulate(scenario, shipped.with_what_if(chosen)).total
        causes.append((names[count - 1], after - before))
        before = after
    return tuple(causes)


@frozen
class Explanation:
    """What `ucj explain` shows: the whole budget as a tree (`cohort` None), or each cohort (or each
    group of a `from_csv` cohort) named, month span by month span."""

    result: Result
    tree: Node | None
    cohorts: tuple[CohortExplanation, ...] = ()

    @property
    def rules(self) -> tuple[RuleValue, ...]:
        """The rules behind what is shown (the notes on unverified ones name only these)."""
        return tuple(rule for explanation in self.cohorts for rule in explanation.rules)


def explain(result: Result, cohort: str | None = None, month: int | None = None, program: str | None = None) -> Explanation:
    """The budget tree, or the cohorts named `cohort` (none found: no cohorts, for the caller to say so)."""
    if cohort is None:
        return Explanation(result, budget_tree(result))
    return Explanation(result, None, tuple(explain_cohort(result, item, month, program) for item in find_cohorts(result, cohort)))
