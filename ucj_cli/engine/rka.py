"""Budget lines the way SIPD wants them: a `Result` as RKA blocks (scheme -> account -> item lines).

A planner types ucj's figures into SIPD's "Formulir RKA - Rincian Belanja SKPD" as item lines of
`Koefisien x Harga` (`5.387 Orang x 5 Bulan` x Rp16.800). ucj's rounding is the same arithmetic (a
whole-rupiah price per person per month, times people, times months), so the lines can be made from
the engine's per-person parts and proved to add up to its totals. Where a cohort's monthly price
changes inside the year (the March JP wage cap, a relief starting or ending, an override), or its
account does, the cohort gets one line per span of equal price, so every line is exactly
`Koefisien x Harga`.

Account codes come from the rule book (`rulebook/accounts/`: funding kind -> chart, role ->
account, per program), unless the funding scheme states its own (`account:`, `accounts:`), which
always win. Programs sharing an account share a line (Blitar's DBHCHT line is JKK and JKM together
at Rp16.800); a program without a known code keeps a line of its own with an empty code, and a
warning per scheme says what is missing.

Pure: no I/O and no words (renderers label and format); the only arithmetic is the line's
`workers x months x price`, the engine's own, and `Rka` checks that its lines add up to the result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import islice
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

from ucj_cli.engine.pricing import CohortResult, Result
from ucj_cli.errors import Diagnostic, diagnostic
from ucj_cli.frozen import frozen
from ucj_cli.i18n.messages import Choices, Count, Label, Quoted
from ucj_cli.period import month_index
from ucj_cli.rules.book import RuleBook, RuleBookError, RuleValue
from ucj_cli.model import PROGRAMS, Cohort, FundingScheme


@frozen
class Account:
    """A budget account: its code and name ('' when not known) and where it came from."""

    code: str
    name: str
    chart: str | None  # the chart of accounts of the scheme's funding kind (apbd, apbdes) or None
    rule: RuleValue | None = None  # the rule-book entry that gave it; None for a scheme's own code

    @property
    def known(self) -> bool:
        return bool(self.code)


@frozen
class ItemLine:
    """One item line: `workers Orang x months Bulan` at `price` rupiah per person per month, for
    a cohort as the scenario names it (the priced groups of a `from_csv` cohort that share a span
    and a price share its line)."""

    cohort: str
    programs: tuple[str, ...]
    first: int  # month index of the first month of the span
    months: int
    price: int  # whole rupiah per person per month: the sum of the engine's funded parts
    workers: int

    def __post_init__(self) -> None:
        if self.months < 1 or self.price < 0 or self.workers < 1 or not self.programs:
            raise ValueError(f"an item line needs a month, a worker, a program and a price >= 0: {self}")

    @property
    def last(self) -> int:
        return self.first + self.months - 1

    @property
    def amount(self) -> int:
        """Jumlah = Koefisien x Harga, exactly."""
        return self.workers * self.months * self.price


@frozen
class AccountBlock:
    """The item lines of one budget account of a funding scheme's RKA."""

    account: Account
    programs: tuple[str, ...]  # the programs budgeted under this account, in program order
    lines: tuple[ItemLine, ...]

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)


@frozen
class SchemeBlock:
    """One funding scheme's RKA: its accounts' blocks, which add up to the engine's figure for the scheme."""

    scheme: FundingScheme
    chart: str | None
    accounts: tuple[AccountBlock, ...]
    expected: int  # the engine's figure for the scheme; the blocks must add up to it

    def __post_init__(self) -> None:
        if self.amount != self.expected:
            raise ValueError(f"RKA lines of funding '{self.scheme.id}' add up to {self.amount}, not {self.expected}")

    @property
    def amount(self) -> int:
        return sum(block.amount for block in self.accounts)


@frozen
class Rka:
    """The RKA of a simulation: one block per funding scheme, in the scenario's order."""

    result: Result
    schemes: tuple[SchemeBlock, ...]
    diagnostics: tuple[Diagnostic, ...]  # W-account-missing per scheme of a public budget

    def __post_init__(self) -> None:
        if self.total != self.result.total:
            raise ValueError(f"RKA lines add up to {self.total}, not the budget's {self.result.total}")

    @property
    def total(self) -> int:
        return sum(block.amount for block in self.schemes)

    def lines(self) -> Iterator[tuple[SchemeBlock, AccountBlock, ItemLine]]:
        for scheme in self.schemes:
            for block in scheme.accounts:
                for line in block.lines:
                    yield scheme, block, line


class _Accounts:
    """Account lookups for one run, cached: a scheme's own code, else the rule book's by chart,
    role (or the chart's default role for the cohort's category) and program, in a month."""

    def __init__(self, rules: RuleBook) -> None:
        self.rules = rules
        self.charts = sorted(name.split(".")[2] for name in rules.parameters if name.startswith("accounts.charts."))
        self.cache: dict[tuple, Account] = {}
        self.named: dict[int, dict[str, str]] = {}  # month -> {code: name} of every account in the rule book

    def _rule(self, name: str, month: int) -> RuleValue | None:
        """The parameter's value in `month`, or None where the rule book has no such parameter (a
        role without accounts of its own) or no value yet."""
        if name not in self.rules.parameters:
            return None
        try:
            return self.rules.get(name, month)
        except RuleBookError:
            return None

    def chart(self, kind: str, month: int) -> str | None:
        """The chart of accounts a funding kind's budget is written in (None: not a regional budget)."""
        for chart in self.charts:
            rule = self._rule(f"accounts.charts.{chart}", month)
            if rule is not None and rule.value is not None and kind in rule.value:
                return chart
        return None

    def name(self, code: str, month: int) -> str:
        """The rule book's name for a code a scheme states itself ('' when the book does not know it)."""
        if month not in self.named:
            values = (self._rule(name, month) for name, parameter in self.rules.parameters.items() if parameter.unit == "account")
            self.named[month] = {rule.value[0]: rule.value[1] for rule in values if rule is not None and rule.value is not None}
        return self.named[month].get(code, "")

    def of(self, cohort: Cohort, scheme: FundingScheme, program: str, month: int) -> Account:
        key = (scheme.id, cohort.category, cohort.role, program, month)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._resolve(cohort.category, cohort.role, scheme, program, month)
        return found

    def _resolve(self, category: str, role: str | None, scheme: FundingScheme, program: str, month: int) -> Account:
        chart = self.chart(scheme.kind, month)
        own = scheme.account_for(program)
        if own is not None:
            return Account(own, self.name(own, month), chart)
        if chart is None:
            return Account("", "", None)
        if role is None:
            default = self._rule(f"accounts.{chart}.default_role.{category}", month)
            role = default.value[0] if default is not None and default.value else None
        rule = next((found for found in (self._rule(f"accounts.{chart}.{name}.{program}", month) for name in (role, "any") if name)
                     if found is not None), None)
        if rule is None or rule.value is None:
            return Account("", "", chart, rule)
        return Account(rule.value[0], rule.value[1], chart, rule)


@dataclass
class _Span:
    """An item line being gathered: months are added while the account and price stay the same."""

    account: Account
    programs: tuple[str, ...]
    first: int
    months: int
    price: int

    def extends(self, account: Account, programs: tuple[str, ...], month: int, price: int) -> bool:
        return (self.account, self.programs, self.first + self.months, self.price) == (account, programs, month, price)


def _month_prices(item: CohortResult, year: int, accounts: _Accounts) -> Iterator[tuple[tuple, Account, tuple[str, ...], int, int]]:
    """For each covered month: (account key, account, programs, month, price per person). The key
    is the code, or ('', program) where no code is known, so programs without a code are never
    lumped together; programs sharing a code share the price."""
    for offset, parts in enumerate(item.parts):
        month = month_index(year, offset + 1)
        found: dict[tuple, tuple[Account, set[str], int]] = {}
        for part in parts:
            if part.funded:
                account = accounts.of(item.cohort, item.scheme, part.program, month)
                key = (account.code,) if account.known else ("", part.program)
                _, programs, price = found.get(key, (account, set(), 0))
                found[key] = (account, programs | {part.program}, price + part.per_person)
        for key, (account, programs, price) in found.items():
            yield key, account, tuple(p for p in PROGRAMS if p in programs), month, price


def build(result: Result) -> Rka:
    """The RKA blocks of `result`: schemes in the scenario's order; in each, known codes in code
    order, then programs without a code in program order; lines cohort by cohort (the scenario's
    cohorts, in its order), span by span."""
    accounts = _Accounts(result.rules)
    blocks: dict[str, dict[tuple, list[ItemLine]]] = {key: {} for key in result.scenario.funding}
    found: dict[tuple, Account] = {}  # (scheme, key) -> the account of the block
    missing: dict[str, dict[str, list[str]]] = {}  # scheme -> program -> cohorts without a code
    for total in result.by_cohort:
        workers: dict[tuple, int] = {}  # (scheme, key, programs, first, months, price) -> people, over the groups
        for item in total.groups:
            if not item.cohort.workers:  # nothing to budget: no line of 0 Orang
                continue
            scheme = item.scheme.id
            for key, account, span in _spans(item, result.scenario.year, accounts):
                line = (scheme, key, span.programs, span.first, span.months, span.price)
                workers[line] = workers.get(line, 0) + item.cohort.workers
                found.setdefault((scheme, key), account)
                if not account.known and account.chart is not None:
                    for program in span.programs:
                        names = missing.setdefault(scheme, {}).setdefault(program, [])
                        if total.name not in names[-1:]:
                            names.append(total.name)
        for (scheme, key, programs, first, months, price), people in sorted(workers.items(), key=lambda kv: kv[0][3:]):
            blocks[scheme].setdefault(key, []).append(ItemLine(total.name, programs, first, months, price, people))
    schemes = []
    for scheme_id, by_key in blocks.items():
        keys = sorted(by_key, key=lambda key: (not key[0], key[0], PROGRAMS.index(key[1]) if len(key) > 1 else 0))
        account_blocks = tuple(
            AccountBlock(found[(scheme_id, key)], tuple(p for p in PROGRAMS if any(p in line.programs for line in by_key[key])),
                         tuple(by_key[key]))
            for key in keys
        )
        scheme = result.scenario.funding[scheme_id]
        chart = accounts.chart(scheme.kind, month_index(result.scenario.year, 1))
        schemes.append(SchemeBlock(scheme, chart, account_blocks, result.by_funding[scheme_id].amount))
    charts = {block.scheme.id: block.chart for block in schemes}
    return Rka(result, tuple(schemes), tuple(_warnings(result, missing, charts)))


def _spans(item: CohortResult, year: int, accounts: _Accounts) -> Iterator[tuple[tuple, Account, _Span]]:
    """A priced cohort's spans of equal account and price, per account key, in month order."""
    spans: dict[tuple, _Span] = {}
    for key, account, programs, month, price in _month_prices(item, year, accounts):
        span = spans.get(key)
        if span is not None and span.extends(account, programs, month, price):
            span.months += 1
            continue
        if span is not None:
            yield key, span.account, span
        spans[key] = _Span(account, programs, month, 1, price)
    for key, span in spans.items():
        yield key, span.account, span


# What regions do where no national code exists, by chart (regulations.md, "Budget documents"):
# the APBD has no code for JP of non-ASN staff, contribution assistance to vulnerable workers or BPD
# members; the village chart (Permendagri 20/2018) has no line for BPD members or other village workers.
PRACTICE = {
    "apbd": Label("no national APBD code exists for it; regions use e.g. 5.1.02.05.02 (services to third parties) or 5.1.06 (social assistance) for contribution assistance to vulnerable workers"),  # noqa: E501
    "apbdes": Label("the village chart of accounts (Permendagri 20/2018) has no national line for it; village systems add one in the 90-99 slots under 5.1.3"),  # noqa: E501
}


def _warnings(result: Result, missing: dict[str, dict[str, list[str]]], charts: dict[str, str | None]) -> Iterator[Diagnostic]:
    """One warning per scheme of a regional budget that has lines without a code: which programs,
    how many cohorts, the first of them, and what regions use where no national code exists."""
    for scheme_id in (key for key in result.scenario.funding if key in missing):
        programs = missing[scheme_id]
        cohorts = list(dict.fromkeys(name for program in PROGRAMS for name in programs.get(program, ())))
        yield diagnostic(
            result.scenario.funding[scheme_id].mark, "W-account-missing", scheme=Quoted(scheme_id),
            programs=Choices(p.upper() for p in PROGRAMS if p in programs), count=Count(len(cohorts)), first=Quoted(cohorts[0]),
            practice=PRACTICE.get(charts.get(scheme_id) or "", Label("no national code exists for it")),
        )


# --- by village: what each desa puts in its APBDes ---

class VillageItem(NamedTuple):
    """One item line of one village: a `from_csv` cohort's span of equal price with that village's
    workers (a NamedTuple: a national run makes hundreds of thousands). Cohorts written in YAML have
    no village: their lines come with an empty district and village, so the villages and that
    remainder add up to the budget exactly."""

    district: str
    village: str
    code: str  # the Kemendagri code of the village ('' where the CSV gives none)
    scheme: FundingScheme
    key: tuple  # the account key, as in `build`
    account: Account
    line: ItemLine


def village_items(result: Result, rows: Iterable[tuple[Cohort, str, str, str, int]]) -> Iterator[VillageItem]:
    """Every village's item lines in the order of `rows` (`csv_cohorts.village_rows`: scenario, then
    file order), then the lines of the cohorts not read from CSV. A priced group's spans are found
    once; a village's line is that span with the village's workers (the engine's own
    per-person price x workers x months)."""
    accounts = _Accounts(result.rules)
    year = result.scenario.year
    priced = {id(item.cohort): item for item in result.cohorts}
    spans: dict[int, list[tuple[tuple, Account, _Span]]] = {}
    for cohort, district, village, code, workers in rows:
        if not workers:
            continue
        found = spans.get(id(cohort))
        if found is None:
            found = spans[id(cohort)] = list(_spans(priced[id(cohort)], year, accounts))
        item = priced[id(cohort)]
        for key, account, span in found:
            yield VillageItem(district, village, code, item.scheme, key, account,
                              ItemLine(cohort.places.origin, span.programs, span.first, span.months, span.price, workers))
    for total in result.by_cohort:
        for item in total.groups:
            if item.cohort.places is None and item.cohort.workers:
                for key, account, span in _spans(item, year, accounts):
                    yield VillageItem("", "", "", item.scheme, key, account,
                                      ItemLine(total.name, span.programs, span.first, span.months, span.price, item.cohort.workers))


@frozen
class VillageRka:
    """One village's RKA (district and village empty: the cohorts not read from CSV)."""

    district: str
    village: str
    code: str
    schemes: tuple[SchemeBlock, ...]

    @property
    def total(self) -> int:
        return sum(block.amount for block in self.schemes)


class VillageShape(NamedTuple):
    """What the villages with the same cohorts, in the same order, share: their schemes, accounts and
    lines, each line for one person (`workers` 1), and the places in a village's workers (its CSV rows,
    in order) whose sum is the line's people (a cohort's groups share a line)."""

    schemes: tuple[SchemeBlock, ...]
    positions: tuple[tuple[int, ...], ...]  # per line, in `lines()` order

    @property
    def lines(self) -> tuple[ItemLine, ...]:
        return tuple(line for scheme in self.schemes for block in scheme.accounts for line in block.lines)

    def people(self, workers: tuple[int, ...]) -> list[int]:
        """Each line's people in a village of these `workers`."""
        return [sum(workers[at] for at in positions) for positions in self.positions]

    def rka(self, district: str, village: str, code: str, workers: tuple[int, ...]) -> "VillageRka":
        people = iter(self.people(workers))
        schemes = []
        for scheme in self.schemes:
            accounts = tuple(AccountBlock(block.account, block.programs, tuple(replace(line, workers=next(people)) for line in block.lines))
                             for block in scheme.accounts)
            schemes.append(SchemeBlock(scheme.scheme, scheme.chart, accounts, sum(block.amount for block in accounts)))
        return VillageRka(district, village, code, tuple(schemes))


class Villages(Sequence["VillageRka"]):
    """The RKA of each village, held as (district, village, code, shape, workers): a national run's
    83,000 villages share a few shapes, so each `VillageRka` is made only when asked for, and a
    writer of hundreds of thousands of rows reads `shaped()` instead."""

    def __init__(self, places: list[tuple[str, str, str, VillageShape, tuple[int, ...]]]) -> None:
        self.places = places

    def __len__(self) -> int:
        return len(self.places)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(shape.rka(district, village, code, workers) for district, village, code, shape, workers in self.places[index])
        district, village, code, shape, workers = self.places[index]
        return shape.rka(district, village, code, workers)

    def shaped(self) -> list[tuple[str, str, str, VillageShape, tuple[int, ...]]]:
        return self.places


def by_village(result: Result, rows: Iterable[tuple[Cohort, str, str, str, int]]) -> Villages:
    """One RKA per village, in the order villages first appear (then the unplaced remainder): its
    schemes in the scenario's order, accounts and lines as `build` orders them, lines of the same
    cohort, span and price in a village added (a cohort's groups); the lines of `village_items`,
    gathered by village. For the text and workbook forms; the CSV streams `village_items` instead."""
    gathering = Gathering(result)
    for _row in gathering.rows(rows):
        pass
    return gathering.villages()


class Gathering:
    """`by_village` as the rows pass (`rows`), then `villages`: so that rows read for something
    else (the budget by village) are gathered on the way."""

    def __init__(self, result: Result) -> None:
        self.result = result
        self.accounts = _Accounts(result.rules)
        self.priced = {id(item.cohort): item for item in result.cohorts}
        self.sources: list[tuple[str, FundingScheme, list[tuple[tuple, Account, _Span]]]] = []  # (cohort's name, scheme, spans) of a group
        self.gathered: dict[tuple[str, str, str], tuple[list[int], list[int]]] = {}  # village -> (sources, workers), row by row

    def _source(self, name: str, item: CohortResult) -> int:
        spans = list(_spans(item, self.result.scenario.year, self.accounts))
        self.sources.append((name, item.scheme, spans))
        return len(self.sources) - 1 if spans else -1

    def rows(self, rows: Iterable[tuple[Cohort, str, str, str, int]]) -> Iterator[tuple[Cohort, str, str, str, int]]:
        """`rows` (`csv_cohorts.village_rows`), gathered a thousand at a time as they pass."""
        index: dict[int, int] = {}  # id(group) -> its place in `sources`, -1 without spans
        gathered = self.gathered
        rows = iter(rows)
        while batch := list(islice(rows, 1000)):
            cohorts, districts, villages, codes, workers = zip(*batch)
            ids = list(map(id, cohorts))
            for ident in sorted(set(ids).difference(index), key=ids.index):  # in row order, as the rows meet them
                index[ident] = self._source(cohorts[ids.index(ident)].places.origin, self.priced[ident])
            for found, key, count in zip(map(index.__getitem__, ids), zip(districts, villages, codes), workers):
                if count and found >= 0:  # else nothing funded: no line, and the village is not placed by it
                    entry = gathered.get(key)
                    if entry is None:
                        entry = gathered[key] = ([], [])
                    entry[0].append(found)
                    entry[1].append(count)
            yield from batch

    def villages(self) -> Villages:
        """The villages of the rows gathered, then the cohorts not read from CSV (once)."""
        result, gathered = self.result, self.gathered
        for total in result.by_cohort:
            for item in total.groups:
                if item.cohort.places is None and item.cohort.workers:
                    found = self._source(total.name, item)
                    if found >= 0:
                        entry = gathered.setdefault(("", "", ""), ([], []))
                        entry[0].append(found)
                        entry[1].append(item.cohort.workers)
        unplaced = gathered.pop(("", "", ""), None)
        ordered = [*gathered.items(), *([(("", "", ""), unplaced)] if unplaced else [])]
        shapes: dict[tuple[int, ...], VillageShape] = {}
        places = []
        for (district, village, code), (used, workers) in ordered:
            key = tuple(used)
            shape = shapes.get(key)
            if shape is None:
                shape = shapes[key] = _shape(result, self.accounts, [self.sources[at] for at in key])
            places.append((district, village, code, shape, tuple(workers)))
        self.gathered = {}
        return Villages(places)


def _shape(result: Result, accounts: _Accounts, sources: list[tuple[str, FundingScheme, list[tuple[tuple, Account, _Span]]]]) -> VillageShape:
    """The shape of a village whose rows are of `sources`, in that order."""
    gathered: dict[str, dict[tuple, tuple[Account, dict[tuple, list[int]]]]] = {}
    for position, (name, scheme, spans) in enumerate(sources):
        for key, account, span in spans:
            _account, lines = gathered.setdefault(scheme.id, {}).setdefault(key, (account, {}))
            lines.setdefault((name, span.programs, span.first, span.months, span.price), []).append(position)
    chart_month = month_index(result.scenario.year, 1)
    blocks, positions = [], []
    for scheme_id, scheme in result.scenario.funding.items():
        by_key = gathered.get(scheme_id)
        if not by_key:
            continue
        keys = sorted(by_key, key=lambda key: (not key[0], key[0], PROGRAMS.index(key[1]) if len(key) > 1 else 0))
        account_blocks = []
        for key in keys:
            account, lines = by_key[key]
            items = tuple(ItemLine(cohort, programs, first, months, price, 1) for cohort, programs, first, months, price in lines)
            positions.extend(tuple(at) for at in lines.values())
            account_blocks.append(AccountBlock(account, tuple(p for p in PROGRAMS if any(p in line.programs for line in items)), items))
        amount = sum(block.amount for block in account_blocks)
        blocks.append(SchemeBlock(scheme, accounts.chart(scheme.kind, chart_month), tuple(account_blocks), amount))
    return VillageShape(tuple(blocks), tuple(positions))
