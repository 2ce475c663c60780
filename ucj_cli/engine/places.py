"""The budget by place: per district and per village, for cohorts read from CSV (`from_csv`).

Pure and wordless like the engine it reads: a place's amount in a month is what the engine priced
for one participant of its cohort that month times the place's workers, so districts and villages
add up exactly to their cohort, and all of them to the budget. Cohorts written in YAML have no
place; they come as one line with an empty district, so every breakdown still sums to the total.
Village lines are produced one by one as they are written (a national run has 500,000 of them).
"""

from __future__ import annotations

from functools import partial
from itertools import islice
from operator import attrgetter
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

from ucj_cli import regions
from ucj_cli.engine.pricing import Result
from ucj_cli.frozen import frozen
from ucj_cli.model import Cohort


@frozen
class DistrictLine:
    """The budget of one district: its villages, workers and amount, month by month."""

    district: str  # "" for the cohorts that are not read from CSV
    villages: int  # distinct villages named in the district, over all cohorts
    workers: int
    by_month: tuple[int, ...]
    amount: int

    def __post_init__(self) -> None:
        if len(self.by_month) != 12 or sum(self.by_month) != self.amount:
            raise ValueError("a district's months must be twelve and add up to its amount")


class VillageLine(NamedTuple):
    """One village of one cohort (a NamedTuple: hundreds of thousands are made per run)."""

    cohort: str
    district: str
    village: str
    code: str  # the village's Kemendagri code ('' when not known)
    workers: int
    by_month: tuple[int, ...]
    amount: int


@frozen
class ByPlace:
    """The budget by place as one result to render (`render.registry`, kind "places"): the priced
    result, the view (district or village) and its lines. The lines are produced as they are
    written, so they can be read once."""

    result: Result
    view: str  # district | village
    lines: Iterable[DistrictLine | VillageLine]


def by_district(result: Result, rows: Iterable[tuple[Cohort, str, str, str, int]]) -> Iterator[DistrictLine]:
    """Districts in the order they first appear (scenario, then file order), then the unplaced line.
    A district's villages are counted over all cohorts from `rows` (`csv_cohorts.village_rows`,
    read when the first line is asked for): a village is its Kemendagri code, or its name as matched."""
    sums: dict[str, list] = {}
    for item in result.cohorts:
        per_person = item.per_person
        places = item.cohort.places
        for district, _, workers in places.districts if places else (("", 0, item.cohort.workers),):
            line = sums.setdefault(district, [set(), 0, [0] * 12])
            line[1] += workers
            months = line[2]
            for offset in range(12):
                months[offset] += per_person[offset] * workers
    matched = regions.key.__wrapped__  # uncached, as the files' names were matched
    for _, district, village, code, _ in rows:
        sums[district][0].add(hash(code or matched(village)))  # a village as its hash (8 bytes), as the check kept it
    unplaced = sums.pop("", None)
    ordered = [*sums.items(), *([("", unplaced)] if unplaced else [])]
    for district, (villages, workers, months) in ordered:
        yield DistrictLine(district, len(villages), workers, tuple(months), sum(months))


def by_village(result: Result, rows: Iterable[tuple[Cohort, str, str, str, int]]) -> "VillageLines":
    """Every village of every CSV cohort (`rows` from `csv_cohorts.village_rows`), then one line per
    cohort not read from CSV."""
    return VillageLines(result, rows)


class VillageLines:
    """`by_village`'s lines, read once: one by one, or a thousand at a time as their columns
    (`columns`: a national run has 500,000 lines, which a workbook writes as columns)."""

    def __init__(self, result: Result, rows: Iterable[tuple[Cohort, str, str, str, int]]) -> None:
        self.result, self.rows = result, rows
        self._lines: Iterator[VillageLine] | None = None

    def __iter__(self) -> Iterator[VillageLine]:  # one iterator, as the generator it replaces: read once
        if self._lines is None:
            line = partial(tuple.__new__, VillageLine)  # made in C, as many as the rows
            self._lines = (made for columns in self.columns() for made in map(line, zip(*columns)))
        return self._lines

    def __next__(self) -> VillageLine:
        return next(iter(self))

    def columns(self) -> Iterator[tuple[Sequence[Any], ...]]:
        """The lines' fields (those of `VillageLine`, in its order) as columns, a thousand lines at a time."""
        per_person = {id(item.cohort): item.per_person for item in self.result.cohorts}
        figures: dict[tuple[int, int], tuple[tuple[int, ...], int]] = {}  # worker counts repeat: each is multiplied once
        origin = attrgetter("places.origin")
        rows = iter(self.rows)
        while batch := list(islice(rows, 1000)):
            cohorts, districts, villages, codes, workers = zip(*batch)
            keys = list(zip(map(id, cohorts), workers))
            for key in set(keys).difference(figures):
                months = tuple(amount * key[1] for amount in per_person[key[0]])
                figures[key] = (months, sum(months))
            months, amounts = zip(*map(figures.__getitem__, keys))
            yield tuple(map(origin, cohorts)), districts, villages, codes, workers, months, amounts
        unplaced = [VillageLine(item.name, "", "", "", item.workers, item.by_month, item.amount)
                    for item in self.result.by_cohort if item.cohort.places is None]
        if unplaced:
            yield tuple(zip(*unplaced))
