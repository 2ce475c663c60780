"""Planning in both directions: from a budget to workers, and from a coverage target to a budget.

Pure analysis over the engine (no I/O, no words; the run's rule book is given): what one worker of a
cohort costs the budget over its months comes from `simulate` itself, run once on the scenario with
every cohort at one worker.
A cohort's cost is exactly `workers x` that figure (the engine rounds per participant and month,
then multiplies), so every plan is whole-number arithmetic on those unit costs, and the planned
scenario is simulated again so that what is reported is what `ucj simulate` shows.

Budget mode. Each funding scheme's budget (`budgets[id]`, else its `ceiling`) pays the largest
worker counts that fit for its cohorts; every other setting stays. Cohorts sharing a scheme split it

- in proportion to the scenario's worker counts (default; all cohorts equally when all are 0):
  first each cohort gets `floor(t x workers)` (never above its `max_workers`) for the largest `t`
  whose cost fits; what is left then goes one worker at a time to the cohort furthest below its
  share (smallest `(planned + 1) / workers`, the earlier cohort in the file on a tie) among those
  that still fit, until none fits. The first step is only a fast path: it gives the same answer as
  handing out every worker that way from zero.
- or in the order of `priority` (then the scheme's other cohorts in file order): each takes as many
  workers as fit in what the earlier ones left. A `from_csv` cohort's scenario name stands for all
  its groups, in file order.

Budget mode plans no more workers than the employed not yet covered (less the cohorts it keeps as
they are); when the budgets would pay for more, it stops there and says so (N-plan-capped-employed).

Either way the answer fits, and one more worker in any cohort below its `max_workers` would not:
what is left of the budget is less than that cohort's cost per worker.

Target mode. The workers to add so that December's participants reach the target, cheapest per
worker covered in December first (a cohort must be covered in December to count; the earlier
cohort in the file on a tie), never above a cohort's `max_workers` nor beyond a scheme's budget
(`budgets[id]`, else its `ceiling`; none: no limit). Cheapest-first also adds the most workers a
budget can pay, so when this falls short the target cannot be reached within the budgets; the
plan then says why: every eligible cohort is at its maximum, or the budgets bind (with what each
scheme would need to reach it the cheapest way).

Offices. A cohort whose role's number is set by office (`eligibility.fixed_offices.roles`: the
village head, officials and BPD) is never grown nor cut, in either mode: it stays at the scenario's
count and its cost comes first out of its scheme's budget (N-plan-held-office).

`priority` orders only the cohorts of the schemes it names (the other schemes share in proportion);
with a target it is the order in which cohorts grow (the named first, then cheapest first).
Target mode never grows a cohort past the employed less those covered in December by anyone else.
A cohort grown without `max_workers` is warned about (W-plan-grown-unbounded), and one planned below
its scenario count is always said (W-plan-below-scenario).

`start` (a calendar month) moves every cohort's first month to it when the cohort starts earlier,
keeping its last month; a cohort that ends before it is left out (0 workers, its period kept).
"""

from __future__ import annotations

import heapq
from dataclasses import replace
from fractions import Fraction
from typing import Iterable, Mapping

from ucj_cli.engine.pricing import Result, simulate
from ucj_cli.errors import Diagnostic, Mark, ScenarioError, diagnostic
from ucj_cli.frozen import frozen
from ucj_cli.i18n.messages import Choices, Count, Label, Month, Phrase, Quoted, Ratio, Rupiah
from ucj_cli.period import month_index
from ucj_cli.rules.book import RuleBook
from ucj_cli.model import Cohort, FundingScheme, Scenario

STATUSES = ("planned", "added", "kept", "dropped", "held")
FIXED_OFFICES = "eligibility.fixed_offices.roles"


@frozen
class CohortPlan:
    """One cohort as planned. `status`: planned (its budget decided the count), added (target mode:
    workers were added), kept (no budget to plan with, or not used for the target), dropped (it ends
    before the plan's start), held (its number is set by office: never planned)."""

    cohort: Cohort  # as planned: workers set, start moved
    before: int  # workers in the scenario
    per_person: int  # what one worker costs the budget over the planned months
    status: str

    def __post_init__(self) -> None:
        if self.status not in STATUSES or self.per_person < 0 or self.before < 0:
            raise ValueError(f"invalid cohort plan {self.status!r}")

    @property
    def workers(self) -> int:
        return self.cohort.workers

    @property
    def amount(self) -> int:
        return self.per_person * self.cohort.workers

    @property
    def growable(self) -> bool:
        """Below its `max_workers` (or without one), and something the budget pays for."""
        limit = self.cohort.max_workers
        return self.status not in ("dropped", "held") and self.per_person > 0 and (limit is None or self.workers < limit)


@frozen
class SchemePlan:
    """A funding scheme in the plan: the budget planned with (`given`: from the `budgets` argument,
    which then also becomes the planned scenario's ceiling; else the ceiling; None: no limit), what
    the planned cohorts use, and in target mode what reaching the target the cheapest way would
    need (None in budget mode)."""

    scheme: FundingScheme
    budget: int | None
    used: int
    given: bool = False
    needed: int | None = None

    @property
    def left(self) -> int | None:
        return None if self.budget is None else self.budget - self.used


@frozen
class Target:
    """December participants aimed at, where the scenario stands and where the plan gets."""

    participants: int
    coverage: Fraction | None  # the coverage asked for, when given as a rate
    december_before: int  # with the scenario's workers (after `start`)
    december_after: int
    reason: str | None = None  # why it is not reached: "cohorts" (all at their maximum) | "budgets"
    limits: tuple[tuple[str, str, int], ...] = ()  # what binds when not reached: ("budget", scheme, amount) | ("max_workers", cohort, n)

    def __post_init__(self) -> None:
        if self.reason not in (None, "cohorts", "budgets") or (self.reason is None) != self.reached:
            raise ValueError("a target is reached, or not reached for a reason")

    @property
    def reached(self) -> bool:
        return self.december_after >= self.participants

    @property
    def short(self) -> int:
        return max(0, self.participants - self.december_after)


@frozen
class Plan:
    """A plan: the scenario as given, the planned scenario and its simulation, per cohort and scheme."""

    mode: str  # "budget" | "target"
    source: Scenario  # the scenario as given
    scenario: Scenario  # the planned scenario (`ucj plan --write` saves it)
    result: Result  # the planned scenario, simulated
    cohorts: tuple[CohortPlan, ...]
    schemes: dict[str, SchemePlan]
    start: int | None  # calendar month 1-12 given as the plan's start
    priority: tuple[str, ...]
    target: Target | None
    notes: tuple[Diagnostic, ...]  # what the plan has to say (the result carries the simulation's own)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return (*self.notes, *self.result.diagnostics)

    @property
    def totals(self) -> "Totals":
        """The totals row: workers before and after, the amount (= the result's total) and, in target
        mode, what the schemes need."""
        needed = None if self.mode != "target" else sum(item.needed or 0 for item in self.schemes.values())
        budgets = [item.budget for item in self.schemes.values() if item.budget is not None]
        return Totals(sum(item.before for item in self.cohorts), sum(item.workers for item in self.cohorts),
                      sum(item.amount for item in self.cohorts), sum(budgets) if budgets else None,
                      sum(item.used for item in self.schemes.values()), needed)


@frozen
class Totals:
    """A plan's totals: workers before and after, the amount, and the budget used (and needed, in target mode)."""

    workers_before: int
    workers: int
    amount: int
    budget: int | None  # the schemes that have one
    used: int
    needed: int | None  # target mode only


def plan(scenario: Scenario, rules: RuleBook, *, budgets: Mapping[str, int] | None = None, priority: Iterable[str] = (),
         start: int | None = None, target_coverage: Fraction | None = None, target_participants: int | None = None) -> Plan:
    """Plan `scenario` with the run's rule book: with no target, the most workers each budget pays
    (budget mode); with `target_coverage` (a ratio of the employed) or `target_participants`, the
    cheapest workers to add by December (target mode). Raises ScenarioError for an option that does
    not fit the scenario. (`ucj_cli.plan` builds the book from the scenario when not given one.)"""
    budgets, priority = dict(budgets or {}), tuple(priority)
    _check(scenario, budgets, priority, start, target_coverage, target_participants)
    shifted, dropped = _shift(scenario, start)
    units = _unit_costs(shifted, dropped, rules)
    held = _held(shifted, dropped, rules)
    limits = {key: budgets.get(key, scheme.ceiling) for key, scheme in scenario.funding.items()}
    if target_coverage is None and target_participants is None:
        mode, target, needed = "budget", None, {}
        workers, statuses, notes = _budget_plan(shifted, units, dropped, held, limits, priority)
    else:
        mode = "target"
        participants = target_participants if target_participants is not None else _ceil(target_coverage * scenario.workforce.employed)
        workers, statuses, target, needed, notes = _target_plan(shifted, units, dropped, held, limits, participants, target_coverage,
                                                                priority)
    notes = [diagnostic(c.mark, "N-plan-dropped", cohort=Quoted(c.name), end=Month(month_index(scenario.year, c.end)),
                        start=Month(month_index(scenario.year, start))) for c in scenario.cohorts if c.name in dropped] + notes
    notes = held_notes(shifted, held) + notes
    for i, cohort in enumerate(shifted.cohorts):
        if statuses[i] in ("planned", "added") and cohort.max_workers is None and workers[i] > cohort.workers:
            notes.append(diagnostic(cohort.mark, "W-plan-grown-unbounded", cohort=Quoted(cohort.name), before=Count(cohort.workers),
                                    after=Count(workers[i])))
    planned_cohorts = tuple(replace(cohort, workers=count) for cohort, count in zip(shifted.cohorts, workers))
    funding = {key: replace(scheme, ceiling=budgets[key]) if key in budgets else scheme for key, scheme in scenario.funding.items()}
    planned = replace(scenario, funding=funding, cohorts=planned_cohorts)
    result = simulate(planned, rules)
    cohorts = tuple(CohortPlan(c, before.workers, unit, status)
                    for c, before, unit, status in zip(planned_cohorts, scenario.cohorts, units, statuses))
    for item, priced in zip(cohorts, result.cohorts):
        if item.amount != priced.amount:  # the engine is linear in workers; the plan rests on it
            raise AssertionError(f"cohort {item.cohort.name!r}: {item.amount} planned, {priced.amount} priced")
    schemes = {key: SchemePlan(scheme, limits[key], result.by_funding[key].amount, key in budgets, needed.get(key))
               for key, scheme in funding.items()}
    return Plan(mode, scenario, planned, result, cohorts, schemes, start, priority, target, tuple(notes))


def held_notes(scenario: Scenario, held: set[int]) -> list[Diagnostic]:
    """N-plan-held-office for each cohort held at its count (`plan` and `path` say it)."""
    return [diagnostic(scenario.cohorts[i].mark, "N-plan-held-office", cohort=Quoted(scenario.cohorts[i].name),
                       role=Quoted(scenario.cohorts[i].role), workers=Count(scenario.cohorts[i].workers), rule=FIXED_OFFICES)
            for i in sorted(held)]


def _held(scenario: Scenario, dropped: set[str], rules: RuleBook) -> set[int]:
    """The cohorts whose role's number is set by office (`eligibility.fixed_offices.roles`, in force
    in the cohort's first month): never grown nor cut by a plan."""
    held = set()
    for i, cohort in enumerate(scenario.cohorts):
        if cohort.role is None or cohort.name in dropped:
            continue
        rule = rules.rule_in_force(FIXED_OFFICES, month_index(scenario.year, cohort.start))
        if rule is not None and cohort.role in rule.value:
            held.add(i)
    return held


def _check(scenario: Scenario, budgets: dict[str, int], priority: tuple[str, ...], start: int | None,
           coverage: Fraction | None, participants: int | None) -> None:
    where = Mark(scenario.file)
    problems = []
    for key, amount in budgets.items():
        if key not in scenario.funding:
            problems.append(diagnostic(where, "E-plan-budget-scheme", scheme=Quoted(key), choices=Choices(scenario.funding)))
        elif amount < 0:
            problems.append(diagnostic(where, "E-plan-budget-negative", scheme=Quoted(key), amount=Rupiah(amount)))
    names = [cohort.name for cohort in scenario.cohorts]
    names += sorted({c.places.origin for c in scenario.cohorts if c.places is not None} - set(names))
    for name in priority:
        if name not in names:
            problems.append(diagnostic(where, "E-plan-priority-cohort", cohort=Quoted(name), choices=Choices(names)))
    if start is not None and not 1 <= start <= 12:
        raise ValueError("start is a calendar month 1-12")
    if coverage is not None and participants is not None:
        raise ValueError("give a target coverage or a target of participants, not both")
    wanted = participants if coverage is None else _ceil(coverage * scenario.workforce.employed)
    if coverage is not None and not 0 <= coverage <= 1:
        problems.append(diagnostic(where, "E-plan-target-coverage", coverage=Ratio(coverage)))
    elif wanted is not None and not 0 <= wanted <= scenario.workforce.employed:
        problems.append(diagnostic(scenario.workforce_mark, "E-plan-target-over-employed", target=Count(wanted),
                                   employed=Count(scenario.workforce.employed)))
    if problems:
        raise ScenarioError(problems)


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)


def _shift(scenario: Scenario, start: int | None) -> tuple[Scenario, set[str]]:
    """The scenario with every cohort starting no earlier than `start`, and the cohorts that end
    before it (kept unchanged in the shifted scenario, with 0 workers)."""
    if start is None:
        return scenario, set()
    cohorts, dropped = [], set()
    for cohort in scenario.cohorts:
        if cohort.end < start:
            dropped.add(cohort.name)
            cohorts.append(replace(cohort, workers=0))
        elif cohort.start < start:
            cohorts.append(replace(cohort, start=start, months=cohort.end - start + 1))
        else:
            cohorts.append(cohort)
    return replace(scenario, cohorts=tuple(cohorts)), dropped


def _unit_costs(scenario: Scenario, dropped: set[str], rules: RuleBook) -> list[int]:
    """What one worker of each cohort costs the budget over its months, priced by the engine."""
    one = replace(scenario, cohorts=tuple(replace(c, workers=0 if c.name in dropped else 1) for c in scenario.cohorts))
    return [item.amount for item in simulate(one, rules).cohorts]


def _named(cohort: Cohort, name: str) -> bool:
    """`name` is the cohort's, or that of the `from_csv` cohort it is a group of (all its groups)."""
    return cohort.name == name or (cohort.places is not None and cohort.places.origin == name)


def _room(cohort: Cohort, planned: int) -> int | None:
    return None if cohort.max_workers is None else cohort.max_workers - planned


def _budget_plan(scenario: Scenario, units: list[int], dropped: set[str], held: set[int], limits: dict[str, int | None],
                 priority: tuple[str, ...]) -> tuple[list[int], list[str], list[Diagnostic]]:
    cohorts = scenario.cohorts
    workers = [c.workers for c in cohorts]
    statuses = ["dropped" if c.name in dropped else "held" if i in held else "kept" for i, c in enumerate(cohorts)]
    notes = []

    def members_of(key: str) -> list[int]:
        return [i for i, c in enumerate(cohorts) if c.funding == key and c.name not in dropped and i not in held and units[i] > 0]

    plans = {}  # scheme -> its planned cohorts and budget
    for key in scenario.funding:
        members = members_of(key)
        if members and limits[key] is not None:
            plans[key] = members
    # Budgets plan no more workers than the employed not yet covered (less the cohorts kept as they are):
    # a worker counted twice is not coverage. Schemes take their share of that room in file order.
    planned = {i for members in plans.values() for i in members}
    employed = scenario.workforce.employed
    room = max(0, employed - scenario.workforce.covered - sum(c.workers for i, c in enumerate(cohorts) if i not in planned))
    capped = False
    for key, scheme in scenario.funding.items():
        members = members_of(key)
        if not members:
            continue
        budget = limits[key]
        if budget is None:
            notes.append(diagnostic(scheme.mark, "N-plan-no-budget", scheme=Quoted(key)))
            continue
        # Offices held at their count are paid first out of their scheme's budget.
        budget = max(0, budget - sum(units[i] * cohorts[i].workers for i in held if cohorts[i].funding == key))
        caps = {i: cohorts[i].max_workers for i in members}
        ranked = list(dict.fromkeys(i for name in priority for i in members if _named(cohorts[i], name)))
        if ranked:  # --priority orders only the schemes whose cohorts it names
            chosen = _fill_in_order(ranked + [i for i in members if i not in ranked], units, caps, budget, room)
        else:
            chosen = _fill_in_proportion(members, [cohorts[i].workers for i in members], units, caps, budget, room)
        for i in members:
            workers[i], statuses[i] = chosen[i], "planned"
            if chosen[i] < cohorts[i].workers:
                notes.append(diagnostic(cohorts[i].mark, "W-plan-below-scenario", cohort=Quoted(cohorts[i].name),
                                        before=Count(cohorts[i].workers), after=Count(chosen[i]), scheme=Quoted(key),
                                        shared=Label("after the cohorts named in --priority") if ranked
                                        else Label("shared in proportion to the scenario's workers")))
        room -= sum(chosen.values())
        left = budget - sum(chosen[i] * units[i] for i in members)
        capped = capped or (room == 0 and any(units[i] <= left and (caps[i] is None or chosen[i] < caps[i]) for i in members))
        open_units = [units[i] for i in members if caps[i] != 0]
        if open_units and budget < min(open_units):
            notes.append(diagnostic(scheme.ceiling_mark or scheme.mark, "W-plan-budget-too-small", scheme=Quoted(key),
                                    budget=Rupiah(budget), cheapest=Rupiah(min(open_units))))
    if capped:
        uncovered = employed - scenario.workforce.covered
        notes.append(diagnostic(scenario.workforce_mark, "N-plan-capped-employed", room=Count(max(0, uncovered)), employed=Count(employed)))
    return workers, statuses, notes


def _fill_in_order(order: list[int], units: list[int], caps: dict[int, int | None], budget: int, room: int) -> dict[int, int]:
    chosen, left = {}, budget
    for i in order:
        count = min(left // units[i], room)
        chosen[i] = count if caps[i] is None else min(count, caps[i])
        left -= chosen[i] * units[i]
        room -= chosen[i]
    return chosen


def _fill_in_proportion(members: list[int], weights: list[int], units: list[int], caps: dict[int, int | None],
                        budget: int, room: int) -> dict[int, int]:
    """The proportional rule of the module docstring: the largest common share that fits, then one
    worker at a time to the cohort furthest below its share, while any fits and there are workers
    left in `room` (the most workers the scheme may plan in all)."""
    if not any(weights):
        weights = [1] * len(members)
    weight = dict(zip(members, weights))
    chosen = {i: 0 for i in members}
    # Fast path: the continuous share t = (budget - capped cost) / sum(weight x unit), capping cohorts
    # whose max_workers it reaches (t only grows as they drop out, so a capped cohort stays capped).
    capped = {i for i in members if caps[i] == 0}
    free = [i for i in members if weight[i] > 0 and i not in capped]
    t = Fraction()  # no common share yet
    while free:
        fixed = sum(caps[i] * units[i] for i in capped)
        t = min(Fraction(budget - fixed, sum(weight[i] * units[i] for i in free)),
                Fraction(room - sum(caps[i] for i in capped), sum(weight[i] for i in free)))
        reached = {i for i in free if caps[i] is not None and t * weight[i] >= caps[i]}
        if not reached:
            break
        capped |= reached
        free = [i for i in free if i not in reached]
    for i in members:
        if i in capped:
            chosen[i] = caps[i]
        elif weight[i] > 0:
            chosen[i] = int(t * weight[i])  # floor: t >= 0
    left, room = budget - sum(chosen[i] * units[i] for i in members), room - sum(chosen.values())
    # Hand out what is left: smallest (planned + 1) / weight first, file order on a tie; a cohort that
    # no longer fits never will (what is left only shrinks), so it leaves the queue for good.
    def key(i: int) -> tuple:
        return (weight[i] == 0, Fraction(chosen[i] + 1, weight[i] or 1), i)

    queue = [key(i) for i in members if caps[i] is None or chosen[i] < caps[i]]
    heapq.heapify(queue)
    while queue and room > 0:
        i = heapq.heappop(queue)[-1]
        if units[i] > left:
            continue
        chosen[i] += 1
        left -= units[i]
        room -= 1
        if caps[i] is None or chosen[i] < caps[i]:
            heapq.heappush(queue, key(i))
    return chosen


def _target_plan(scenario: Scenario, units: list[int], dropped: set[str], held: set[int], limits: dict[str, int | None],
                 participants: int, coverage: Fraction | None,
                 priority: tuple[str, ...]) -> tuple[list[int], list[str], Target, dict[str, int], list[Diagnostic]]:
    cohorts = scenario.cohorts
    workers = [c.workers for c in cohorts]
    december = scenario.workforce.covered + sum(c.workers for c in cohorts if c.end == 12 and c.name not in dropped)
    need = max(0, participants - december)
    eligible = sorted((i for i, c in enumerate(cohorts) if c.end == 12 and c.name not in dropped and i not in held and units[i] > 0),
                      key=lambda i: (units[i], i))
    ranked = list(dict.fromkeys(i for name in priority for i in eligible if _named(cohorts[i], name)))
    eligible = ranked + [i for i in eligible if i not in ranked]  # --priority: the named cohorts grow first
    spent = {key: 0 for key in scenario.funding}
    for i, cohort in enumerate(cohorts):
        spent[cohort.funding] += units[i] * cohort.workers
    # No cohort grows past the employed less those covered in December by anyone else.
    room = max(0, scenario.workforce.employed - december)
    left = {k: None if v is None else max(0, v - spent[k]) for k, v in limits.items()}
    within = _cheapest(cohorts, units, eligible, min(need, room), left)
    unbounded = _cheapest(cohorts, units, eligible, min(need, room), dict.fromkeys(limits))
    added_within, added_free = sum(within.values()), sum(unbounded.values())
    for i, count in within.items():
        workers[i] += count
    binding = ()
    if added_within < need:
        binding = _binding(cohorts, units, eligible, workers, within, left, limits)
    reason = None if added_within >= need else "budgets" if any(kind == "budget" for kind, _n, _v in binding) else "cohorts"
    statuses = ["dropped" if c.name in dropped else "held" if i in held else "added" if within.get(i) else "kept"
                for i, c in enumerate(cohorts)]
    target = Target(participants, coverage, december, december + added_within, reason, binding)
    needed = dict(spent)  # reached: what the plan spends; not reached: what the cheapest way would take
    for i, count in (within if reason is None else unbounded).items():
        needed[cohorts[i].funding] += count * units[i]
    notes = []
    where = scenario.workforce_mark
    if need == 0:
        notes.append(diagnostic(where, "N-plan-target-met", covered=Count(december), target=Count(participants)))
    elif not eligible:
        notes.append(diagnostic(where, "W-plan-target-no-cohort", target=Count(participants)))
    elif reason is not None:
        notes.append(diagnostic(where, "W-plan-target-short", target=Count(participants), short=Count(target.short),
                                limits=limit_phrases(binding)))
    if reason is not None and added_free > added_within:
        for key, scheme in scenario.funding.items():
            if limits[key] is not None and needed[key] > limits[key]:
                notes.append(diagnostic(scheme.ceiling_mark or scheme.mark, "W-plan-target-budget", scheme=Quoted(key),
                                        needed=Rupiah(needed[key]), budget=Rupiah(limits[key]), over=Rupiah(needed[key] - limits[key])))
    return workers, statuses, target, needed, notes


def _binding(cohorts: tuple[Cohort, ...], units: list[int], eligible: list[int], workers: list[int], added: dict[int, int],
             left: dict[str, int | None], limits: dict[str, int | None]) -> tuple[tuple[str, str, int], ...]:
    """What stops a target plan: each scheme whose budget cannot pay one more worker of a cohort that
    could still grow, and each cohort at its `max_workers`, in that order (schemes in file order,
    cohorts in the order they grow)."""
    spent_now = dict(left)
    for i, count in added.items():
        key = cohorts[i].funding
        if spent_now[key] is not None:
            spent_now[key] -= count * units[i]
    budgets, maxima = {}, []
    for i in eligible:
        cohort = cohorts[i]
        at_max = cohort.max_workers is not None and workers[i] >= cohort.max_workers
        if at_max:
            maxima.append(("max_workers", cohort.name, cohort.max_workers))
        elif spent_now[cohort.funding] is not None and units[i] > spent_now[cohort.funding]:
            budgets[cohort.funding] = ("budget", cohort.funding, limits[cohort.funding])
    order = list(limits)
    return tuple(sorted(budgets.values(), key=lambda item: order.index(item[1]))) + tuple(maxima)


LIMITS_NAMED = 5  # limits named in a sentence; the rest are counted


def limit_phrases(binding: tuple[tuple[str, str, int], ...]) -> Choices:
    """The binding limits as words for a diagnostic (the renderer uses the same)."""
    phrases = [Phrase("the budget of {scheme} ({amount})", scheme=Quoted(name), amount=Rupiah(value)) if kind == "budget"
               else Phrase("max_workers of {cohort} ({limit})", cohort=Quoted(name), limit=Count(value))
               for kind, name, value in binding[:LIMITS_NAMED]]
    if len(binding) > LIMITS_NAMED:
        phrases.append(Phrase("{more} more", more=Count(len(binding) - LIMITS_NAMED)))
    return Choices(phrases)


def _cheapest(cohorts: tuple[Cohort, ...], units: list[int], order: list[int], need: int,
              room: dict[str, int | None]) -> dict[int, int]:
    """Workers to add, cheapest first, within each cohort's `max_workers` and each scheme's room
    (None: no limit). Cheapest-first adds the most workers any budget can pay."""
    room, added = dict(room), {}
    for i in order:
        if need == 0:
            break
        cohort = cohorts[i]
        count = need
        space = _room(cohort, cohort.workers)
        if space is not None:
            count = min(count, space)
        if room[cohort.funding] is not None:
            count = min(count, room[cohort.funding] // units[i])
            room[cohort.funding] -= count * units[i]
        if count > 0:
            added[i] = count
            need -= count
    return added
