"""The checked model: frozen dataclasses that check their own invariants.

A `Scenario` is what the checker (`load/scenario.py`) makes of a file and what every analysis reads;
building one by hand that breaks an invariant (a cohort starting in April for twelve months, a
negative ceiling) raises at once, so library misuse cannot reach the engine. The vocabularies
(categories, programs, funding kinds, roles) live here because the model, the checker, the schema
and the analyses all name them.
"""

from __future__ import annotations

from dataclasses import field, fields, replace
from fractions import Fraction
from functools import cache
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Callable, Mapping

from ucj_cli.errors import Diagnostic, Mark
from ucj_cli.frozen import frozen
from ucj_cli.rules.book import ACCOUNT_CODE, RuleBook, WhatIf

CATEGORIES = ("bpu", "pu")
PROGRAMS = ("jkk", "jkm", "jht", "jp")
RISKS = ("very_low", "low", "medium", "high", "very_high")
# apbdes: village budget, source not stated; dana_desa, add (alokasi dana desa), pades (village own
# income): its real sources; dbhcht: tobacco excise revenue sharing, spent through the APBD.
FUNDING_KINDS = ("apbd", "apbn", "apbdes", "dana_desa", "add", "pades", "dbhcht", "employer", "self", "csr")
# The budget classification SIPD shows above an RKA's lines: SKPD, program, kegiatan, sub-kegiatan.
CLASSIFICATION_LEVELS = ("skpd", "program", "kegiatan", "sub_kegiatan")
VILLAGE_KINDS = ("apbdes", "dana_desa", "add", "pades")  # all spent through the APB Desa (PP 16/2026 art. 110)
# Who a cohort's workers are, for the rules on who may pay for whom (rulebook/eligibility/).
ROLES = (
    "kepala_desa", "perangkat_desa", "bpd", "rt_rw", "kader_posyandu", "linmas", "pengurus_bumdes", "pktd", "non_asn",
    "pekerja_rentan", "petani_tembakau", "buruh_tani_tembakau", "buruh_pabrik_rokok", "penyelenggara_pemilu", "other",
)
DEFAULT_PROGRAMS = ("jkk", "jkm")
WAGES = ("minimum_wage",)  # `wage:` of a PU cohort: what its income follows over a path's years
MAX_PATH_YEARS = 20  # a path runs at most this many years after the scenario's year (RPJPN: 20 years)
# A field's metadata that says it is a pricing term: cohorts (and schemes) that differ in it may cost
# a different amount, so the engine never prices them alike (`pricing_key`). A new term a price
# reads is declared with it, and the cache key follows.
PRICES: Mapping[str, Any] = MappingProxyType({"prices": True})


def _prices(default: Any) -> Any:
    return field(default=default, metadata=PRICES)


@frozen
class Workforce:
    """The region's employed workers and how many of them are covered before the scenario."""

    employed: int
    covered: int

    def __post_init__(self) -> None:  # library misuse, not user input: the checker never builds one so
        if self.employed < 1 or not 0 <= self.covered <= self.employed:
            raise ValueError(f"a workforce has employed >= 1 and 0 <= covered <= employed, not {self.covered} of {self.employed}")


@frozen
class FundingScheme:
    """Who pays for cohorts: its kind, ceiling, relief and budget accounts."""

    id: str
    name: str
    kind: str = _prices("apbd")
    ceiling: int | None = None
    relief: bool = _prices(True)  # False: budget the full rate even where a temporary relief (PP 50/2025) would apply
    mark: Mark = field(default=Mark("<memory>"), compare=False)
    ceiling_mark: Mark | None = field(default=None, compare=False)
    village_spending: int | None = None  # the village budget's total spending (PP 16/2026 art. 121)
    village_spending_on_officials: int | None = None  # its other pay of the head, officials and BPD
    account: str | None = None  # the budget account code of every program (`account:`)
    accounts: tuple[tuple[str, str], ...] = ()  # (program, code) from `accounts:`; wins over `account`
    classification: tuple[tuple[str, str, str], ...] = ()  # (level, code, name) in CLASSIFICATION_LEVELS order, for the RKA header

    def __post_init__(self) -> None:
        if self.ceiling is not None and self.ceiling < 0:
            raise ValueError(f"funding {self.id!r} has a ceiling of at least 0 rupiah (or none), not {self.ceiling}")
        codes = [code for _, code in self.accounts] + ([self.account] if self.account is not None else [])
        if not all(ACCOUNT_CODE.match(code) for code in codes) or not {p for p, _ in self.accounts} <= set(PROGRAMS):
            raise ValueError(f"funding {self.id!r}: account codes must be dotted digits for known programs")
        levels = [level for level, _code, _name in self.classification]
        if levels != [level for level in CLASSIFICATION_LEVELS if level in levels] or \
                not all(ACCOUNT_CODE.match(code) and name for _level, code, name in self.classification):
            raise ValueError(f"funding {self.id!r}: a classification is levels in order, each with a dotted code and a name")

    def account_for(self, program: str) -> str | None:
        """The scheme's own account code for `program` (it wins over the rule book's), or None."""
        return dict(self.accounts).get(program, self.account)


@frozen(slots=True)  # slots: a national YAML scenario holds 770,000
class Cohort:
    """Workers priced alike. `start` is the first covered calendar month (1-12) and `months` how many."""

    name: str
    workers: int
    category: str = field(metadata=PRICES)
    income: int = field(metadata=PRICES)
    funding: str  # the scheme's own terms (kind, relief) price: `pricing_key`
    programs: tuple[str, ...] = _prices(DEFAULT_PROGRAMS)
    sector: str = ""
    risk: str = _prices("very_low")
    pays_worker_share: bool = _prices(False)
    jkk_relief: bool = _prices(False)
    transport: bool = _prices(False)
    start: int = 1
    months: int = 12
    max_workers: int | None = None  # how many such workers the region has: a plan never goes beyond it
    mark: Mark = field(default=Mark("<memory>"), compare=False)
    places: Places | None = None  # the villages of a cohort read from CSV (`from_csv`)
    role: str | None = None  # one of ROLES; None: not checked for who may pay
    wage: str | None = None  # one of WAGES: a PU cohort paid the minimum wage (its income grows along a path)

    def __post_init__(self) -> None:
        if self.wage is not None and (self.wage not in WAGES or self.category != "pu"):
            raise ValueError(f"cohort {self.name!r}: `wage: minimum_wage` is for a PU cohort")
        if self.workers < 0:
            raise ValueError(f"cohort {self.name!r} has 0 or more workers, not {self.workers}")
        if self.months < 1 or self.start < 1 or self.end > 12:
            raise ValueError(f"cohort {self.name!r} is covered within one year (start 1-12, months >= 1, until December at most), "
                             f"not start {self.start} for {self.months} months")
        if self.category not in CATEGORIES:
            raise ValueError(f"cohort {self.name!r} has a category among {', '.join(CATEGORIES)}, not {self.category!r}")
        if not self.programs or any(program not in PROGRAMS for program in self.programs):
            raise ValueError(f"cohort {self.name!r} has programs among {', '.join(PROGRAMS)}, not {self.programs!r}")

    @property
    def end(self) -> int:
        """Last covered calendar month (1-12)."""
        return self.start + self.months - 1


def pricing_key(cohort: Cohort, scheme: FundingScheme) -> tuple:
    """What one participant's price depends on besides the month: every field of the cohort and of
    its funding scheme whose metadata is `PRICES`. Cohorts with equal keys are priced once."""
    return (_terms(type(cohort))(cohort), _terms(type(scheme))(scheme))


@cache
def _terms(cls: type) -> Callable[[Any], Any]:
    names = [item.name for item in fields(cls) if item.metadata.get("prices")]
    return attrgetter(*names) if names else lambda _item: ()


@frozen
class WageGrowth:
    """The minimum-wage formula's inputs for one wage year: UM(t) = UM(t-1) x (1 + inflation +
    economic_growth x alpha) (PP 36/2021 art. 26 as amended by PP 51/2023 and PP 49/2025)."""

    inflation: Fraction
    economic_growth: Fraction
    alpha: Fraction
    mark: Mark = field(default=Mark("<memory>"), compare=False)


@frozen
class PathTarget:
    """December coverage aimed at in `year`, a ratio of the employed."""

    year: int
    coverage: Fraction
    mark: Mark = field(default=Mark("<memory>"), compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.coverage <= 1:
            raise ValueError(f"a target coverage is from 0 to 1, not {self.coverage}")


@frozen
class PathSpec:
    """A scenario's `path:` section: the years from the scenario's year through `through`, the
    December coverage targets (none: the ceilings decide), and how the workforce, the minimum wage
    (by wage year) and each funding scheme's ceiling grow a year."""

    through: int
    targets: tuple[PathTarget, ...] = ()
    employed: Fraction = Fraction()
    covered: Fraction = Fraction()
    minimum_wage: tuple[tuple[int, WageGrowth], ...] = ()
    ceilings: tuple[tuple[str, Fraction], ...] = ()
    mark: Mark = field(default=Mark("<memory>"), compare=False)
    wage_per_year: bool = field(default=False, compare=False)  # written one entry a year (else one entry for all)

    def __post_init__(self) -> None:
        years = [target.year for target in self.targets]
        if years != sorted(set(years)) or any(not -1 <= g <= 1 for g in (self.employed, self.covered, *dict(self.ceilings).values())):
            raise ValueError("a path's targets are in year order, once each, and its growths from -100% to 100%")

    def wage_growth(self, year: int) -> WageGrowth | None:
        """The formula's inputs for the minimum wage of `year`."""
        return dict(self.minimum_wage).get(year)


@frozen
class Signature:
    """One signature under the printed budget: `place, date`, the signer's title, name and NIP."""

    title: str
    name: str
    place: str = ""
    date: str = ""
    nip: str = ""


@frozen
class Scenario:
    """A checked scenario: its year, workforce, funding schemes and cohorts, and the rules it changes."""

    name: str
    year: int
    workforce: Workforce
    funding: Mapping[str, FundingScheme]
    cohorts: tuple[Cohort, ...]
    region: str = ""
    region_code: str = ""  # the Kemendagri code of the region (`35.05`), given or read from its official name
    file: str = "<memory>"
    year_mark: Mark = field(default=Mark("<memory>"), compare=False)
    workforce_mark: Mark = field(default=Mark("<memory>"), compare=False)
    what_if: WhatIf = WhatIf()  # `overrides:` and `assumptions:` (and `--set`): the rules this scenario changes
    rules: RuleBook | None = field(default=None, compare=False, repr=False)  # the run's book it was checked with (shipped + what-if)
    path: PathSpec | None = None  # `path:`: the years after this one (`ucj path`)
    signatures: tuple[Signature, ...] = ()  # printed under the Summary and the RKA form
    notices: tuple[Diagnostic, ...] = field(default=(), compare=False)  # warnings found while reading (place names, population)

    def __post_init__(self) -> None:  # read-only, so a caller cannot change a checked scenario's schemes
        object.__setattr__(self, "funding", MappingProxyType(dict(self.funding)))

    @property
    def inputs(self) -> tuple[str, ...]:
        """The files this scenario was read from, which no result may overwrite."""
        own = () if self.file.startswith("<") else (self.file,)
        return (*own, *dict.fromkeys(c.places.file for c in self.cohorts if c.places is not None))

    def in_year(self, year: int) -> Scenario:
        """The same scenario budgeted in another year (same calendar months), to price rule changes alone."""
        return replace(self, year=year)


@frozen
class Layout:
    """How to read a CSV file's rows: its delimiter and where each column is (None: absent)."""

    path: str
    delimiter: str
    village: int
    district: int
    workers: int | None
    overrides: tuple[int | None, ...]  # income, start, months
    default_workers: int | None  # the cohort's own `workers`, for rows that leave it empty
    width: int
    code: int | None = None  # the Kemendagri village code column (`kode`), if any
    region: str = ""  # the scenario's region code: rows without a code are matched to its villages by name

    def key(self, row: list[str]) -> tuple[str, ...]:
        """The override cells of a row: rows with the same key are priced alike."""
        return tuple(row[i].strip() if i is not None else "" for i in self.overrides)


@frozen
class Places:
    """Where a cohort read from CSV works: the file, the override cells its rows share, and its
    villages and workers per district (in file order). Totals only: villages are read again from
    the file when they are written one by one."""

    layout: Layout
    key: tuple[str, ...]
    villages: int  # rows of the file in this group
    districts: tuple[tuple[str, int, int], ...]  # (district, its villages, workers)
    origin: str  # the cohort's name in the scenario (groups of one cohort share it)

    @property
    def file(self) -> str:
        return self.layout.path

    def __post_init__(self) -> None:
        if self.villages < sum(villages for _, villages, _ in self.districts):
            raise ValueError("a cohort has at least one row per village it names")
