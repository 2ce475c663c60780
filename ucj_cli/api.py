"""The library's edge: where a run's one rule book is built, and the one way in for the commands.

The checker and the engine take the rule book as an argument and never load one themselves. These
functions are the public entry points (`from ucj_cli import load_scenario, simulate`): they use the
shipped book unless given one, and price a scenario with the shipped book plus the scenario's own
what-if (`overrides:`, `assumptions:`), so the result records exactly the rules it was priced with;
`compare_baseline` sets that what-if against the plain book.

One run: a checked `Scenario` carries the book it was checked with (`Scenario.rules`: the shipped
book plus its what-if, rebuilt once when `with_settings` adds `--set` values), so the scenario and
its book travel together from the edge to every analysis, which reads that book (`rulebook_for`).
The shipped book is read from its files once per process (`shipped_rules`, cached). The commands
(`cli/`) reach the engine only through these functions.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ucj_cli.engine import pricing as engine
from ucj_cli.model import Scenario
from ucj_cli.load import scenario as checker
from ucj_cli.rules.book import RuleBook, load_rulebook

if TYPE_CHECKING:
    from ucj_cli.engine.compare import Comparison
    from ucj_cli.engine.explain import Explanation
    from ucj_cli.engine.path import Path
    from ucj_cli.engine.places import ByPlace
    from ucj_cli.engine.plan import Plan
    from ucj_cli.engine.rka import Rka, VillageItem, VillageRka, Villages


def shipped_rules() -> RuleBook:
    """The rule book shipped in the package, read from its files once per process and shared."""
    return load_rulebook()


def load_scenario(path: str, rules: RuleBook | None = None) -> Scenario:
    """Read and check a scenario file against `rules` (default: the shipped rule book)."""
    return checker.load_scenario(path, rules or load_rulebook())


def parse_scenario(text: str, filename: str = "<memory>", rules: RuleBook | None = None) -> Scenario:
    """Check scenario YAML text against `rules` (default: the shipped rule book)."""
    return checker.parse_scenario(text, filename, rules or load_rulebook())


def with_settings(scenario: Scenario, settings: "list[str] | tuple[str, ...]", shipped: RuleBook | None = None) -> Scenario:
    """The scenario with `--set NAME@YYYY-MM=VALUE` what-if values added after its own, carrying
    its run's book rebuilt once (`shipped` plus the whole what-if); raises ScenarioError."""
    return checker.with_settings(scenario, settings, shipped or load_rulebook())


def rulebook_for(scenario: Scenario, shipped: RuleBook | None = None) -> RuleBook:
    """The run's one book: the shipped rules plus the scenario's what-if (the book the scenario was
    checked with, when it was checked against the shipped book)."""
    if shipped is None and scenario.rules is not None and scenario.rules.what_if == scenario.what_if:  # not since replaced
        return scenario.rules
    return (shipped or load_rulebook()).with_what_if(scenario.what_if)


def simulate(scenario: Scenario, rules: RuleBook | None = None) -> engine.Result:
    """Price a scenario; `rules` is the run's book (default: `rulebook_for(scenario)`)."""
    return engine.simulate(scenario, rules if rules is not None else rulebook_for(scenario))


def compare(base: engine.Result, other: engine.Result, by: str = "cohort") -> "Comparison":
    """Two priced budgets side by side (`ucj compare`), by cohort (each difference split by cause,
    each side priced with its own run's book), program, funding scheme or month."""
    from ucj_cli.engine.compare import compare as compare_results

    return compare_results(base, other, by)


def compare_baseline(scenario: Scenario, by: str = "cohort", shipped: RuleBook | None = None) -> "Comparison":
    """The scenario under the plain rule book (base) against itself with its what-if (other), the
    difference credited to each what-if parameter in turn (`explain.what_if_causes`)."""
    from ucj_cli.engine.compare import compare as compare_results
    from ucj_cli.engine.explain import what_if_causes

    book = shipped or load_rulebook()
    plain = engine.simulate(scenario, book)
    changed = engine.simulate(scenario, rulebook_for(scenario, shipped))
    return replace(compare_results(plain, changed, by), what_if=what_if_causes(scenario, book))


def plan(scenario: Scenario, rules: RuleBook | None = None, **options: Any) -> "Plan":
    """Plan a scenario (`planning.plan`: budgets=, priority=, start=, target_coverage=,
    target_participants=); `rules` is the run's book (default: `rulebook_for(scenario)`)."""
    from ucj_cli.engine import plan as planning

    return planning.plan(scenario, rules if rules is not None else rulebook_for(scenario), **options)


def path(scenario: Scenario, rules: RuleBook | None = None, **options: Any) -> "Path":
    """The multi-year road of a scenario's `path:` section (`engine.path.path`: sensitivity=);
    `rules` is the run's book (default: `rulebook_for(scenario)`)."""
    from ucj_cli.engine import path as road

    return road.path(scenario, rules if rules is not None else rulebook_for(scenario), **options)


def rka_of(result: engine.Result) -> "Rka":
    """The result's RKA budget lines (account codes from the run's book), `--format rka`."""
    from ucj_cli.engine.rka import build

    return build(result)


def explain(result: engine.Result, cohort: str | None = None, month: int | None = None, program: str | None = None) -> "Explanation":
    """How the figures were made (`ucj explain`): the budget as a tree, or the cohorts named `cohort`
    month span by month span, each amount with the rules, dates and articles behind it."""
    from ucj_cli.engine.explain import explain as explained

    return explained(result, cohort, month, program)


def places(result: engine.Result, view: str) -> "ByPlace":
    """The budget by place (`simulate --by district|village`), to render as result kind "places":
    the districts, or every village of the CSV cohorts produced one by one as it is written (the
    rows are read again from the files, for the villages of each district too; a file changed since
    it was checked raises ScenarioError while writing), then the cohorts written in YAML."""
    from ucj_cli.engine import places as by_place
    from ucj_cli.load import csv_cohorts

    if view == "district":
        return by_place.ByPlace(result, view, by_place.by_district(result, csv_cohorts.village_rows(result.scenario.cohorts)))
    return by_place.ByPlace(result, view, by_place.by_village(result, csv_cohorts.village_rows(result.scenario.cohorts)))


def places_with_rka(result: engine.Result) -> "tuple[ByPlace, Callable[[], Villages]]":
    """The budget by village (as `places`) and a maker of the RKA of each village (as
    `rka_by_village`), from one read of the CSV files: the villages are gathered as the lines are
    read (`--by village` workbook: the sheet by village, then the RKA by village). The maker reads
    what the lines have not (nothing, once they have all been written)."""
    from ucj_cli.engine import places as by_place
    from ucj_cli.engine.rka import Gathering
    from ucj_cli.load import csv_cohorts

    gathering = Gathering(result)
    rows = gathering.rows(csv_cohorts.village_rows(result.scenario.cohorts))

    def villages() -> "Villages":
        for _row in rows:
            pass
        return gathering.villages()

    return by_place.ByPlace(result, "village", by_place.by_village(result, rows)), villages


def rka_by_village(result: engine.Result) -> "tuple[VillageRka, ...]":
    """The RKA of each village (`simulate --by village --format rka`): one block per village of the
    CSV cohorts, in file order, then the cohorts written in YAML; the villages add up to the budget."""
    from ucj_cli.engine.rka import by_village
    from ucj_cli.load import csv_cohorts

    return by_village(result, csv_cohorts.village_rows(result.scenario.cohorts))


def rka_items_by_village(result: engine.Result) -> "Iterator[VillageItem]":
    """The item lines of every village's RKA, made one by one (the per-village RKA CSV streams them)."""
    from ucj_cli.engine.rka import village_items
    from ucj_cli.load import csv_cohorts

    return village_items(result, csv_cohorts.village_rows(result.scenario.cohorts))
