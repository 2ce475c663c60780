"""The scenario contract: YAML in, a validated, immutable `Scenario` out.

Validation collects *every* problem (a planner fixing a file wants the whole list at once), each
pinned to its line and column with what was expected. Checks that need the rule book (the BPU income
range of the budget year) run here too, so a scenario that loads is one the engine can price.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction
import re
import weakref
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from ucj_cli import source
from ucj_cli.errors import Diagnostic, Mark, ScenarioError, diagnostic, suggest
from ucj_cli.model import (CATEGORIES, CLASSIFICATION_LEVELS, DEFAULT_PROGRAMS, FUNDING_KINDS, MAX_PATH_YEARS, PROGRAMS, RISKS, ROLES, VILLAGE_KINDS, WAGES, Cohort,
                           FundingScheme, PathSpec, PathTarget, Scenario, Signature, WageGrowth, Workforce)
from ucj_cli.i18n.messages import Choices, Count, Label, Phrase, Quoted, Rate, Ratio, Rupiah, rule_amount
from ucj_cli.period import MAX_YEAR, MIN_YEAR, month_index, parse_month_label, parse_month_words
from ucj_cli.money import round_half_up
from ucj_cli.rules.book import ACCOUNT_CODE, Change, RuleBook, RuleMissing, WhatIf, coerce

if TYPE_CHECKING:
    from ucj_cli.model import Places

MAX_COUNT = 1_000_000_000  # people: far above any workforce, low enough that no sum overflows a float rate
MAX_RUPIAH = 10**15  # a thousand trillion rupiah
_PLAIN_INT = re.compile(r"[+-]?(0|[1-9][0-9_]*)")
_MONTH_NUMBER = re.compile(r"0?[1-9]|1[0-2]")
_DECIMAL_COMMA = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+,[0-9]{1,2}|[0-9_]+,[0-9]{1,2}")  # `1000000,00`, `1.000.000,00`

_TOP_KEYS = {"name": True, "region": False, "region_code": False, "year": True, "workforce": True, "funding": True, "cohorts": True,
             "overrides": False, "assumptions": False, "signatures": False, "path": False}
_PROGRAM_SETS: dict[tuple[str, ...], tuple[str, ...]] = {}  # at most one per subset of PROGRAMS
_HEAD_KEYS = ("name", "region", "region_code", "year", "workforce", "overrides", "assumptions", "funding")  # what cohorts are checked after
_SIGNATURE_KEYS = {"place": False, "date": False, "title": True, "name": True, "nip": False}
ASSUMPTIONS = {"gdp_growth": "economy.gdp_growth"}  # assumption key -> the yearly rule-book parameter it supplies
_PERCENT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?%")
_PATH_PERCENT = re.compile(r"[+-]?[0-9]+([.,][0-9]+)?%")  # a path's percentages: 43.92% or, as on the command line, "43,92%"
_SPLIT_TAIL = re.compile(r"[0-9]+%")  # what YAML leaves as a key of `{2029: 43,92%}`: `2029: 43` and `92%`
_WORKFORCE_KEYS = {"employed": True, "covered": True}
_SCHEME_KEYS = {"name": False, "kind": False, "ceiling": False, "relief": False, "account": False, "accounts": False,
                "village_spending": False, "village_spending_on_officials": False, "classification": False}
_CLASSIFICATION_KEYS = {"code": True, "name": True}
_COHORT_KEYS = {
    "name": True, "sector": False, "role": False, "workers": True, "category": False, "income": True, "programs": False,
    "risk": False, "pays_worker_share": False, "jkk_relief": False, "transport": False, "funding": True,
    "start": False, "months": False, "from_csv": False, "max_workers": False, "wage": False,
}
_PATH_KEYS = {"through": True, "targets": False, "growth": False}
_GROWTH_KEYS = {"employed": False, "covered": False, "minimum_wage": False, "ceilings": False}
_WAGE_GROWTH_KEYS = {"inflation": True, "economic_growth": True, "alpha": True}
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")
_PU_ONLY = ("risk", "pays_worker_share", "jkk_relief")
_BPU_ONLY = ("transport",)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # used with fullmatch: "f\n" is not an id


def load_scenario(path: str, rules: RuleBook) -> Scenario:
    """Read, parse and validate a scenario file against the shipped rule book `rules`; raises
    ScenarioError listing every problem."""
    try:
        text = source.read_text(path)
    except source.SourceError as exc:
        raise ScenarioError([exc.diagnostic]) from None
    return parse_scenario(text, path, rules)


def parse_scenario(text: str, filename: str, rules: RuleBook) -> Scenario:
    """Validate scenario YAML text against the shipped rule book `rules` (the run's book is then
    `rules.with_what_if(scenario.what_if)`); `filename` is only used in messages.

    The cohorts are checked one by one as they are read, so a national scenario's document is never
    whole in memory; that is exact when every section they depend on comes before `cohorts:` (as
    in every template). A file written in another order is read again whole and checked as it
    stands, so the problems and the scenario are the same either way."""
    checker = _Checker(filename, rules)
    try:
        with source.without_gc():
            root = source.parse(text, filename, ("cohorts", checker.streamed))
            if checker.head_keys is not None and not checker.head_keys.issuperset(key for key in root.value if key in _HEAD_KEYS):
                checker = _Checker(filename, rules)  # a section the cohorts depend on came after them
                root = source.parse(text, filename)
            scenario = checker.scenario(root)
    except source.SourceError as exc:
        raise ScenarioError([exc.diagnostic]) from None
    if checker.problems or scenario is None:  # the warnings found on the way are shown with the errors
        problems = sorted(dict.fromkeys([*checker.problems, *checker.notices]), key=lambda d: (d.mark.file != filename, d.mark.file, d.mark.line, d.mark.column))
        raise ScenarioError(problems or [diagnostic(Mark(filename), "E-scenario-incomplete")])
    return scenario


class _Checker:
    def __init__(self, filename: str, rules: RuleBook) -> None:
        self.filename = filename
        self.rules = rules
        self.shipped = rules  # the book before the scenario's what-if (`rules` becomes the run's own)
        self.problems: list[Diagnostic] = []
        self.declared_schemes: dict[str, None] = {}  # every id under `funding:`, valid or not, in the scenario's order
        self.year_mark = Mark(filename)
        self.village_budget: str | None = None  # the scheme that states `village_spending`
        self.notices: list[Diagnostic] = []  # warnings: they do not stop the scenario
        self.region_code = ""  # the official region the scenario is for, when known
        self.region_given = False  # `region_code:` written (rows outside it are errors)
        self.head_keys: set[str] | None = None  # the top keys before `cohorts:`, when the cohorts were checked as read
        self.first_seen: dict[str, int] = {}  # cohort name -> the line it is first given on
        self.found: list[Cohort] = []  # the cohorts checked so far
        self.name: str | None = None
        self.region_name = ""
        self.year_value: int | None = None
        self.workforce_value: Workforce | None = None
        self.what_if = WhatIf()
        self.funding_value: dict[str, FundingScheme] = {}

    def error(self, mark: Mark, code: str, **args: Any) -> None:
        self.problems.append(diagnostic(mark, code, **args))

    def keys(self, node: source.Node, allowed: dict[str, bool], where: Label | Phrase | str) -> bool:
        """Report unknown keys (with a suggestion) and missing required ones; False if not a mapping."""
        if node.kind != "map":
            self.error(node.mark, "E-not-a-mapping", where=where, got=node.type_name, keys=Choices(allowed))
            return False
        for key, entry in node.value.items():
            if key not in allowed:
                self.error(entry.key_mark, "E-unknown-key", key=Quoted(key), where=where, hint=suggest(key, allowed), keys=Choices(allowed))
        for key, required in allowed.items():
            if not required:
                continue
            if key not in node.value:
                self.error(node.mark, "E-missing-key", where=where, key=key)
            elif _empty(node.value[key].node):
                self.error(node.value[key].node.mark, "E-empty-value", where=where, key=key)
        return True

    def value(self, node: source.Node, key: str, convert: Callable[[source.Node], Any], default: Any = None) -> Any:
        entry = node.value.get(key)
        if entry is None or _empty(entry.node):
            return default
        return convert(entry.node)

    # --- scalar converters: each reports its own problem and returns None ---

    def text(self, node: source.Node, what: Label | str) -> str | None:
        if node.kind == "scalar" and node.tag in {"str", "int"} and str(node.value).strip():
            return str(node.value).strip()
        got = Label("empty text") if node.kind == "scalar" and node.tag == "str" else node.type_name
        self.error(node.mark, "E-not-text", what=what, got=got)
        return None

    def whole(self, node: source.Node, what: Label | str, minimum: int = 0, money: bool = False) -> int | None:
        maximum = MAX_RUPIAH if money else MAX_COUNT
        if node.kind == "scalar" and node.tag == "int":
            if not _PLAIN_INT.fullmatch(node.text):
                if node.mark.file != self.filename:  # a CSV cell (csv_cohorts): YAML's reading is no concern of the spreadsheet's
                    self.error(node.mark, "E-csv-not-plain-number", what=what, value=Quoted(node.text))
                else:
                    self.error(node.mark, "E-not-plain-number", what=what, value=Quoted(node.text), read=str(node.value))
            elif node.value < minimum:
                self.error(node.mark, "E-below-minimum", what=what, value=node.value, minimum=minimum)
            elif node.value > maximum:
                shown = Count(node.value) if len(node.text) < 25 else Phrase("a {digits}-digit number", digits=len(node.text))
                self.error(node.mark, "E-too-large", what=what, value=shown, maximum=Count(maximum))
            else:
                return node.value
            return None
        if node.kind == "scalar" and node.tag in ("str", "float") and re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3})+", node.text):
            # `1.250` (YAML reads a fraction) and `1.000.000`: thousands as an Indonesian spreadsheet groups them
            plain = re.sub(r"[.,]", "", node.text)
            self.error(node.mark, "E-thousands-separator", what=what, value=Quoted(node.text), minimum=minimum,
                       plain=plain, underscored=f"{int(plain):_}")
        elif node.kind == "scalar" and node.tag == "float":
            code = ("E-fraction-rupiah" if money else "E-fraction") if math.isfinite(node.value) else "E-not-finite"
            self.error(node.mark, code, what=what, value=Quoted(node.text), minimum=minimum)
        elif node.kind == "scalar" and node.tag == "str" and _DECIMAL_COMMA.fullmatch(node.text):
            plain = re.sub(r"[.,_]", "", node.text.partition(",")[0])
            self.error(node.mark, "E-decimal-comma", what=what, value=Quoted(node.text), minimum=minimum, plain=plain)
        else:
            self.error(node.mark, "E-not-a-number", what=what, got=node.described, minimum=minimum)
        return None

    def flag(self, node: source.Node, what: str) -> bool | None:
        if node.kind == "scalar" and node.tag == "bool":
            return node.value
        self.error(node.mark, "E-not-a-flag", what=what, got=node.described)
        return None

    def choice(self, node: source.Node, what: Label | str, options: tuple[str, ...]) -> str | None:
        value = node.value if node.kind == "scalar" else None
        if isinstance(value, str) and value in options:
            return options[options.index(value)]  # the vocabulary's own string: one for every cohort
        shown = Quoted(node.text) if node.kind == "scalar" else Phrase("({kind})", kind=node.type_name)
        hint = suggest(value, options) if isinstance(value, str) else ""
        self.error(node.mark, "E-unknown-choice", what=what, value=shown, hint=hint, choices=Choices(options))
        return None

    # --- sections ---

    def scenario(self, root: source.Node | None) -> Scenario | None:
        if root is None:
            self.error(Mark(self.filename), "E-empty-file")
            return None
        if self.head_keys is not None:  # the cohorts were checked as they were read, after the sections before them
            checked, self.problems = self.problems, []
            self.keys(root, _TOP_KEYS, Label("the scenario"))
            self.problems += checked
        else:
            if not self.keys(root, _TOP_KEYS, Label("the scenario")):
                return None
            self.head(root)
            self.value(root, "cohorts", self.cohorts)
            if "cohorts" in root.value and not self.found and root.value["cohorts"].node.kind == "seq" and not root.value["cohorts"].node.value:
                self.error(root.value["cohorts"].node.mark, "E-no-cohorts")
        name, year, workforce, funding, cohorts = self.name, self.year_value, self.workforce_value, self.funding_value, self.found
        path = self.value(root, "path", lambda n: self.path(n, year, funding, cohorts, workforce)) if year is not None else None
        signatures = self.value(root, "signatures", self.signatures, ())
        if self.problems or None in (name, year, workforce):
            return None
        year_entry = root.value["year"]
        return Scenario(
            signatures=tuple(signatures),
            name=name, region=self.region_name, region_code=self.region_code, notices=tuple(self.notices), year=year, workforce=workforce,
            funding=funding, cohorts=tuple(cohorts), file=self.filename, year_mark=year_entry.node.mark,
            workforce_mark=root.value["workforce"].node.mark, what_if=self.what_if, rules=self.rules, path=path,
        )

    def head(self, root: source.Node) -> None:
        """The sections the cohorts are checked against, in order: name, region, year, workforce,
        the what-if (the run's rules) and the funding schemes."""
        self.name = self.value(root, "name", lambda n: self.text(n, "name"))
        region = self.region_name = self.value(root, "region", lambda n: self.text(n, "region"), "")
        self.value(root, "region_code", lambda n: self.region(n, region))
        if not self.region_code and region:
            from ucj_cli import regions

            found = regions.regency_of(region)
            self.region_code = found.code if found is not None else ""
        year_entry = root.value.get("year")
        self.year_value = self.value(root, "year", self.year)
        if year_entry is not None:
            self.year_mark = year_entry.node.mark
        self.workforce_value = self.value(root, "workforce", self.workforce)
        self.what_if = WhatIf((*self.value(root, "overrides", self.overrides, ()), *self.value(root, "assumptions", self.assumptions, ())))
        self.rules = self.rules.with_what_if(self.what_if)  # income ranges are checked under the run's own rules
        self.funding_value = self.value(root, "funding", self.funding, {})

    def streamed(self, entries: dict[str, source.Entry], item: source.Node) -> None:
        """One cohort as it is read (`source.parse`), after the sections written before the list."""
        if self.head_keys is None:
            self.head_keys = set(entries)
            self.head(source.Node("map", entries, Mark(self.filename)))
        self.named(item)
        self.add(item)

    def region(self, node: source.Node, region: str | None) -> None:
        """`region_code: 35.05`: a Kemendagri kabupaten/kota or province code (written as YAML
        reads it, `35.05` is a number: its text is taken), and the region's name beside it."""
        from ucj_cli import regions

        code = node.text.strip() if node.kind == "scalar" else ""
        found = regions.get(code) if regions.CODE.fullmatch(code) else None
        if found is None or found.level not in ("province", "regency"):
            self.error(node.mark, "E-region-code", region_code=Quoted(code or node.type_name))
            return
        self.region_code, self.region_given = found.code, True
        if region and regions.regency_key(region) != regions.regency_key(found.name):
            self.notices.append(diagnostic(node.mark, "W-region-name", region=Quoted(region), region_code=found.code, official=Quoted(found.name)))

    def signatures(self, node: source.Node) -> list[Signature]:
        """`signatures:` a list of {place, date, title, name, nip}: who signs the printed budget."""
        if node.kind != "seq":
            self.error(node.mark, "E-signatures-not-a-list", got=node.type_name)
            return []
        found = []
        for item in node.value:
            if not self.keys(item, _SIGNATURE_KEYS, Label("a signature")):
                continue
            texts = {key: self.value(item, key, lambda n, key=key: self.text(n, key) if n.tag != "timestamp" else str(n.value), "")
                     for key in _SIGNATURE_KEYS}
            if texts["title"] and texts["name"]:
                found.append(Signature(**texts))
        return found

    def year(self, node: source.Node) -> int | None:
        if node.kind == "scalar" and node.tag == "int" and _PLAIN_INT.fullmatch(node.text) and not MIN_YEAR <= node.value <= MAX_YEAR:
            self.error(node.mark, "E-year-out-of-range", year=node.value, first=MIN_YEAR, last=MAX_YEAR)
            return None
        return self.whole(node, "year", MIN_YEAR)

    def workforce(self, node: source.Node) -> Workforce | None:
        if not self.keys(node, _WORKFORCE_KEYS, "workforce"):
            return None
        employed = self.value(node, "employed", lambda n: self.whole(n, "employed", 1))
        covered = self.value(node, "covered", lambda n: self.whole(n, "covered"))
        if employed is None or covered is None:
            return None
        if covered > employed:
            self.error(node.value["covered"].node.mark, "E-covered-above-employed", covered=Count(covered), employed=Count(employed))
            return None
        if self.region_code:
            from ucj_cli import regions

            population = regions.population(self.region_code)
            mark = node.value["employed"].node.mark
            name = Quoted(regions.get(self.region_code).name)
            if population is not None and employed > population:
                self.error(mark, "E-employed-above-population", employed=Count(employed), region=name,
                           population=Count(population), source=regions.POPULATION_SOURCE)
                return None
            if population is not None and employed * 4 > population * 3:
                self.notices.append(diagnostic(mark, "W-employed-share", employed=Count(employed), region=name, population=Count(population),
                                               share=Ratio(Fraction(employed, population)), source=regions.POPULATION_SOURCE))
        return Workforce(employed, covered)

    def funding(self, node: source.Node) -> dict[str, FundingScheme]:
        if node.kind != "map" or not node.value:
            self.error(node.mark, "E-funding-not-a-mapping", got=node.type_name if node.value else Label("empty"))
            return {}
        schemes = {}
        self.declared_schemes.update(dict.fromkeys(node.value))
        for scheme_id, entry in node.value.items():
            if not _ID.fullmatch(scheme_id):
                self.error(entry.key_mark, "E-funding-id", id=Quoted(scheme_id))
                continue
            body = entry.node
            if body.kind == "scalar" and body.value is None:
                body = source.Node("map", {}, body.mark)
            if not self.keys(body, _SCHEME_KEYS, Phrase("funding {id}", id=Quoted(scheme_id))):
                continue
            name = self.value(body, "name", lambda n: self.text(n, Label("funding name")), scheme_id)
            kind = self.value(body, "kind", lambda n: self.choice(n, Label("funding kind"), FUNDING_KINDS), "apbd")
            ceiling = self.value(body, "ceiling", lambda n: self.whole(n, "ceiling", money=True))
            relief = self.value(body, "relief", lambda n: self.flag(n, "relief"), True)
            spending = {key: self.value(body, key, lambda n, key=key, least=least: self.whole(n, key, least, money=True))
                        for key, least in (("village_spending", 1), ("village_spending_on_officials", 0))}
            ceiling_entry = body.value.get("ceiling")
            account = self.value(body, "account", lambda n: self.account(n, scheme_id), False)
            accounts = self.value(body, "accounts", lambda n: self.accounts(n, scheme_id), ())
            classification = self.value(body, "classification", lambda n: self.classification(n, scheme_id), ())
            if name is not None and kind is not None and relief is not None and account is not None and accounts is not None \
                    and classification is not None:
                schemes[scheme_id] = FundingScheme(
                    scheme_id, name, kind, ceiling, relief, entry.key_mark, ceiling_entry.node.mark if ceiling_entry else None,
                    account=account or None, accounts=accounts, classification=classification, **spending,
                )
                self.village_spending(body, schemes[scheme_id])
        return schemes

    def village_spending(self, body: source.Node, scheme: FundingScheme) -> None:
        """The village spending cap is checked for one village budget: the scheme that states it
        must be village money, state it once, and state the total before the part on officials."""
        if scheme.village_spending is not None:
            mark = body.value["village_spending"].key_mark
            if scheme.kind not in VILLAGE_KINDS:
                self.error(mark, "E-village-spending-kind", scheme=Quoted(scheme.id), kind=scheme.kind, kinds=Choices(VILLAGE_KINDS))
            elif self.village_budget is not None:
                self.error(mark, "E-village-spending-twice", scheme=Quoted(scheme.id), first=Quoted(self.village_budget))
            self.village_budget = self.village_budget or scheme.id
        elif scheme.village_spending_on_officials is not None:
            mark = body.value["village_spending_on_officials"].key_mark
            self.error(mark, "E-village-officials-alone", scheme=Quoted(scheme.id))

    def account(self, node: source.Node, scheme_id: str) -> str | None:
        """A budget account code such as 5.1.02.02.02.0006 (dotted digits, written as text)."""
        code = str(node.value).strip() if node.kind == "scalar" and node.tag in {"str", "int"} else ""
        if ACCOUNT_CODE.match(code):
            return code
        shown = Quoted(node.text if node.kind == "scalar" else node.type_name)
        self.error(node.mark, "E-account-code", value=shown, scheme=Quoted(scheme_id))
        return None

    def accounts(self, node: source.Node, scheme_id: str) -> tuple[tuple[str, str], ...] | None:
        """`accounts: {jkk: "5.1...", jkm: "5.1..."}`: a code per program."""
        if node.kind != "map":
            self.error(node.mark, "E-accounts-shape", scheme=Quoted(scheme_id), programs=Choices(PROGRAMS))
            return None
        found, good = [], True
        for program, entry in node.value.items():
            if program not in PROGRAMS:
                self.error(entry.key_mark, "E-accounts-program", program=Quoted(program), scheme=Quoted(scheme_id), programs=Choices(PROGRAMS))
                good = False
                continue
            code = self.account(entry.node, scheme_id)
            good = good and code is not None
            found.append((program, code))
        return tuple(sorted(found, key=lambda pair: PROGRAMS.index(pair[0]))) if good else None

    def classification(self, node: source.Node, scheme_id: str) -> tuple[tuple[str, str, str], ...] | None:
        """`classification: {skpd: {code: "...", name: "..."}, program: ..., kegiatan: ..., sub_kegiatan: ...}`:
        the budget classification SIPD shows above the scheme's RKA lines; any of the levels."""
        if node.kind != "map":
            self.error(node.mark, "E-classification-shape", scheme=Quoted(scheme_id), levels=Choices(CLASSIFICATION_LEVELS))
            return None
        found, good = {}, True
        for level, entry in node.value.items():
            if level not in CLASSIFICATION_LEVELS:
                self.error(entry.key_mark, "E-classification-level", level=Quoted(level), scheme=Quoted(scheme_id),
                           levels=Choices(CLASSIFICATION_LEVELS))
                good = False
                continue
            where = Phrase("{level} of funding {id}", level=level, id=Quoted(scheme_id))
            if not self.keys(entry.node, _CLASSIFICATION_KEYS, where):
                good = False
                continue
            code_node, name_entry = entry.node.value.get("code"), entry.node.value.get("name")
            if code_node is None or name_entry is None:
                good = False
                continue
            code_node = code_node.node
            code = str(code_node.value).strip() if code_node.kind == "scalar" and code_node.tag in {"str", "int"} else ""
            if not ACCOUNT_CODE.match(code):
                self.error(code_node.mark, "E-classification-code", level=level, scheme=Quoted(scheme_id),
                           value=Quoted(code_node.text if code_node.kind == "scalar" else code_node.type_name))
                good = False
                continue
            name = self.text(name_entry.node, Phrase("{level} of funding {id}", level=level, id=Quoted(scheme_id)))
            if name is None:
                good = False
                continue
            found[level] = (level, code, name)
        return tuple(found[level] for level in CLASSIFICATION_LEVELS if level in found) if good else None

    def cohorts(self, node: source.Node) -> None:
        if node.kind != "seq":
            self.error(node.mark, "E-cohorts-not-a-list", got=node.type_name)
            return
        for item in node.value:  # names first, so a duplicate is reported even when the cohort has other problems
            self.named(item)
        for item in node.value:
            self.add(item)

    def named(self, item: source.Node) -> None:
        """A cohort's name, remembered to report a later cohort of the same name."""
        entry = item.value.get("name") if item.kind == "map" else None
        if entry is None or entry.node.kind != "scalar" or _empty(entry.node):
            return
        name = str(entry.node.value).strip()
        first = self.first_seen.get(name)
        if first is not None:
            self.error(entry.node.mark, "E-duplicate-cohort", name=Quoted(name), first=first)
        else:
            self.first_seen[name] = entry.node.mark.line

    def add(self, item: source.Node) -> None:
        """A cohort checked, with the sections before it (`head`): the cohorts a `from_csv` one
        stands for, or none when it has problems."""
        year, funding = self.year_value, self.funding_value
        if item.kind == "map" and "from_csv" in item.value:
            from ucj_cli.load import csv_cohorts

            self.found.extend(cohort for cohort in csv_cohorts.check(self, item, year, funding) if cohort is not None)
            return
        cohort = self.cohort(item, year, funding)
        if cohort is not None:
            self.found.append(cohort)

    def cohort(self, node: source.Node, year: int | None, funding: dict[str, FundingScheme]) -> Cohort | None:
        if not self.keys(node, _COHORT_KEYS, Label("a cohort")):
            return None
        before = len(self.problems)
        get = lambda key, convert, default=None: self.value(node, key, convert, default)  # noqa: E731
        name = get("name", lambda n: self.text(n, Label("cohort name")))
        where = Phrase("cohort {name}", name=Quoted(name)) if name else Label("cohort")
        role = get("role", lambda n: self.choice(n, "role", ROLES))
        category = get("category", lambda n: self.choice(n, "category", CATEGORIES))
        start, months = self.period(node, year, where)
        stated = "category" in node.value and not _empty(node.value["category"].node)
        if not stated and year is not None and start is not None and (role is not None or "role" not in node.value):
            category = self.default_category(node, role, month_index(year, start + months - 1), name)
        workers = get("workers", lambda n: self.whole(n, "workers"))
        income = get("income", lambda n: self.whole(n, "income", 1, money=True))
        programs = get("programs", lambda n: self.programs(n, category), DEFAULT_PROGRAMS)
        risk = get("risk", lambda n: self.choice(n, Label("risk class"), RISKS), "very_low")
        flags = {key: get(key, lambda n, key=key: self.flag(n, key), False) for key in ("pays_worker_share", "jkk_relief", "transport")}
        scheme = get("funding", lambda n: self.text(n, "funding"))
        if scheme is not None and scheme not in self.declared_schemes:
            known = Choices(self.declared_schemes) if self.declared_schemes else Label("none defined")
            self.error(node.value["funding"].node.mark, "E-undefined-funding", scheme=Quoted(scheme), where=where,
                       hint=suggest(scheme, self.declared_schemes), known=known)
        for key in _PU_ONLY if category == "bpu" else _BPU_ONLY if category == "pu" else ():
            if key in node.value:
                other = "pu" if category == "bpu" else "bpu"
                self.error(node.value[key].key_mark, "E-key-for-other-category", key=key, other=other, where=where, category=category)
        max_workers = get("max_workers", lambda n: self.whole(n, "max_workers"))
        wage = get("wage", lambda n: self.choice(n, "wage", WAGES))
        if wage is not None and category == "bpu":
            self.error(node.value["wage"].key_mark, "E-wage-on-bpu", where=where, wage=wage)
        if None not in (workers, max_workers) and workers > max_workers:
            self.error(node.value["workers"].node.mark, "E-workers-over-max", where=where, workers=Count(workers), max_workers=Count(max_workers))
        if len(self.problems) > before or scheme not in funding or None in (name, category, workers, income, programs, risk, start, months):
            return None
        if category == "bpu" and year is not None:
            self.income_range(node.value["income"].node, income, year, start, months, where)
        return Cohort(
            name=name, workers=workers, category=category, income=income, funding=funding[scheme].id, programs=programs,
            sector=get("sector", lambda n: self.text(n, "sector"), "") or "", risk=risk, start=start, months=months, max_workers=max_workers, mark=node.mark, role=role,
            wage=wage, **flags,
        )

    def default_category(self, node: source.Node, role: str | None, month: int, name: str | None) -> str | None:
        """The category a role implies in the cohort's last month (rulebook/eligibility/), so that a
        default never breaches a rule in force in the months covered."""
        category = default_category(self.rules, role, month) if role else None
        if category is None:
            self.error(node.mark, "E-category-missing", cohort=Quoted(name or "?"), role=role or "-", categories=Choices(CATEGORIES))
        return category

    def programs(self, node: source.Node, category: str | None) -> tuple[str, ...] | None:
        items = node.value if node.kind == "seq" else None
        if not items:
            self.error(node.mark, "E-programs-not-a-list", got=node.type_name if items is None else Label("empty"))
            return None
        chosen: list[str] = []
        for item in items:
            program = self.choice(item, Label("program"), PROGRAMS)
            if program is None:
                continue
            if program in chosen:
                self.error(item.mark, "E-duplicate-program", program=program)
            elif program == "jp" and category == "bpu":
                self.error(item.mark, "E-jp-on-bpu")
            else:
                chosen.append(program)
        if chosen and not {"jkk", "jkm"} <= set(chosen):
            self.error(node.mark, "E-programs-without-jkk-jkm")
        found = tuple(p for p in PROGRAMS if p in chosen)
        return _PROGRAM_SETS.setdefault(found, found)  # one tuple for every cohort of the same programs

    def period(self, node: source.Node, year: int | None, where: str) -> tuple[int | None, int | None]:
        start = 1
        start_entry = node.value.get("start")
        if start_entry is not None and start_entry.node.value is not None:
            start = self.start(start_entry.node, year)
        months = self.value(node, "months", lambda n: self.whole(n, "months", 1))
        if start is None:
            return None, None
        if months is None:
            if "months" in node.value and node.value["months"].node.value is not None:
                return None, None
            months = 13 - start
        if start + months - 1 > 12:
            self.error(node.value["months"].node.mark, "E-past-december", where=where, months=months, start=start, most=13 - start)
            return None, None
        return start, months

    def start(self, node: source.Node, year: int | None) -> int | None:
        """A first month as YYYY-MM, a date on the 1st, or a month number 1-12."""
        value, text = node.value, node.text
        index = None
        if node.kind == "scalar" and _MONTH_NUMBER.fullmatch(text) and year is not None:
            index = month_index(year, int(text))
        elif node.tag == "str":
            index = parse_month_label(value)
            if index is None:
                index = parse_month_words(value, year)
        elif node.tag == "timestamp" and isinstance(value, dt.date) and value.day == 1:
            index = month_index(value.year, value.month)
        if index is None:
            shown = Quoted(text) if node.kind == "scalar" else Phrase("({kind})", kind=node.type_name)
            self.error(node.mark, "E-start-not-a-month", value=shown, example=f"{year or 2025}-04", year=year or 2025)
            return None
        if year is not None and index // 12 != year:
            self.error(node.mark, "E-start-outside-year", value=Quoted(text), year=year)
            return None
        return index % 12 + 1

    def income_range(self, node: source.Node, income: int, year: int, start: int, months: int, where: Phrase | Label) -> None:
        span = _income_span(self.rules, year, start, months)
        if span is not None and span[0] <= income <= span[1]:  # within every covered month's range
            return
        try:
            problem = _income_problem(self.rules, node.mark, income, year, start, months, where)
        except RuleMissing as exc:
            problem = exc.at(self.year_mark)
        if problem is not None:
            self.problems.append(problem)

    # --- `path:` (ucj path) ---

    def path(self, node: source.Node, year: int, funding: dict[str, FundingScheme], cohorts: list[Cohort],
             workforce: Workforce | None = None) -> PathSpec | None:
        """`path: {through, targets, growth}`: the years after the scenario's, checked against its
        year, its funding schemes and the legal alpha range of each minimum-wage year (rule data)."""
        if not self.keys(node, _PATH_KEYS, "path"):
            return None
        before = len(self.problems)
        last = min(year + MAX_PATH_YEARS, MAX_YEAR)
        through = self.value(node, "through", lambda n: self.whole(n, "path.through"))
        if through is not None and not year <= through <= last:
            self.error(node.value["through"].node.mark, "E-path-through", through=through, year=year, last=last, most=MAX_PATH_YEARS)
            through = None
        targets = self.value(node, "targets", lambda n: self.path_targets(n, year, through), ())
        growth = node.value.get("growth")
        if growth is not None:
            growth = source.Entry(growth.key_mark, self.unsplit(growth.node, "path.growth"))
        found: dict[str, Any] = {}
        if growth is not None and not _empty(growth.node) and self.keys(growth.node, _GROWTH_KEYS, "path.growth"):
            for key in ("employed", "covered"):
                found[key] = self.value(growth.node, key, lambda n, key=key: self.growth(n, f"path.growth.{key}"), Fraction())
            found["ceilings"] = self.value(growth.node, "ceilings", lambda n: self.ceilings(n, funding), ())
            found["minimum_wage"] = self.value(growth.node, "minimum_wage", lambda n: self.wage_growths(n, year, through), ((), False))
        wages, per_year = found.get("minimum_wage", ((), False))
        if through is not None and workforce is not None and found.get("employed") and len(self.problems) == before:
            employed = workforce.employed
            for later in range(year + 1, through + 1):
                employed = round_half_up(max(Fraction(), employed * (1 + found["employed"])))
                if employed < 1:  # a denominator of no one: every coverage would be meaningless
                    rate = growth.node.value["employed"].node
                    self.error(rate.mark, "E-path-employed-gone", value=Quoted(rate.text), year=later, through=through)
                    break
        if through is not None and len(self.problems) == before:
            paid = [cohort for cohort in cohorts if cohort.wage == "minimum_wage"]
            missing = [later for later in range(year + 1, through + 1) if later not in dict(wages)]
            if paid and missing:
                where = growth.node.mark if growth is not None else node.mark
                self.error(where, "E-path-wage-missing", cohort=Quoted(paid[0].name), year=missing[0])
        if len(self.problems) > before or through is None:
            return None
        return PathSpec(through, targets, found.get("employed", Fraction()), found.get("covered", Fraction()), wages,
                        found.get("ceilings", ()), node.mark, per_year)

    def unsplit(self, node: source.Node, where: str) -> source.Node:
        """A flow mapping YAML split at a decimal comma (`{2029: 43,92%}` reads as `2029: 43` and a
        key `92%`): one located error at the value, asking for quotes or a decimal point, and the
        mapping without the two halves (so they are not reported again)."""
        if node.kind != "map":
            return node
        entries = list(node.value.items())
        dropped: set[str] = set()
        for (key, entry), (tail, after) in zip(entries, entries[1:]):
            value = entry.node
            if value.kind == "scalar" and value.tag == "int" and _SPLIT_TAIL.fullmatch(tail) and _empty(after.node):
                written = f"{value.text},{tail}"
                self.error(value.mark, "E-path-decimal-comma", where=f"{where}.{key}", value=Quoted(written),
                           quoted=Quoted(written), point=written.replace(",", "."))
                dropped.update((key, tail))
        if not dropped:
            return node
        return source.Node(node.kind, {key: entry for key, entry in node.value.items() if key not in dropped}, node.mark, node.tag, node.text)

    def path_targets(self, node: source.Node, year: int, through: int | None) -> tuple[PathTarget, ...]:
        split = node.kind == "map" and bool(node.value)
        node = self.unsplit(node, "path.targets")
        if node.kind != "map" or not node.value:
            if split:  # only halves of a split percentage, already reported
                return ()
            self.error(node.mark, "E-path-targets-shape", got=Label(node.type_name))
            return ()
        found = []
        for key, entry in node.value.items():
            target_year = int(key) if re.fullmatch(r"[0-9]{4}", key) else None
            if target_year is None or not year <= target_year <= (through if through is not None else year + MAX_PATH_YEARS):
                self.error(entry.key_mark, "E-path-target-year", value=Quoted(key), year=year, through=through if through is not None else year)
                continue
            value = entry.node
            written = value.text[:-1].replace(",", ".")
            rate = coerce("percent", written) if value.kind == "scalar" and _PATH_PERCENT.fullmatch(value.text) and not value.text.startswith("-") \
                and Decimal(written) <= 100 else None
            if rate is None:
                shown = Quoted(value.text) if value.kind == "scalar" else Phrase("({kind})", kind=value.type_name)
                self.error(value.mark, "E-path-target-range", year=target_year, value=shown)
                continue
            found.append(PathTarget(target_year, rate, value.mark))
        return tuple(sorted(found, key=lambda target: target.year))

    def growth(self, node: source.Node, what: str, least: int = -100) -> Fraction | None:
        """A yearly growth written as a percentage (`1%`, `-0.5%`, `2.5%`, quoted `"2,5%"`), from -100% to 100%."""
        if node.kind == "scalar" and _PATH_PERCENT.fullmatch(node.text) and least <= Decimal(node.text[:-1].replace(",", ".")) <= 100:
            return coerce("percent-change", node.text[:-1].replace(",", "."))
        shown = Quoted(node.text) if node.kind == "scalar" else Phrase("({kind})", kind=node.type_name)
        self.error(node.mark, "E-path-growth-percent", what=what, value=shown)
        return None

    def ceilings(self, node: source.Node, funding: dict[str, FundingScheme]) -> tuple[tuple[str, Fraction], ...]:
        if node.kind != "map":
            self.error(node.mark, "E-path-ceilings-shape", got=Label(node.type_name))
            return ()
        node = self.unsplit(node, "path.growth.ceilings")
        found = []
        for key, entry in node.value.items():
            if key not in self.declared_schemes:
                self.error(entry.key_mark, "E-path-ceiling-scheme", scheme=Quoted(key), hint=suggest(key, self.declared_schemes),
                           choices=Choices(self.declared_schemes))
                continue
            rate = self.growth(entry.node, f"path.growth.ceilings.{key}")
            if rate is not None:
                found.append((key, rate))
        return tuple(found)

    def wage_growths(self, node: source.Node, year: int, through: int | None) -> tuple[tuple[tuple[int, WageGrowth], ...], bool]:
        """One `{inflation, economic_growth, alpha}` for every year of the path, or one per wage year
        (`{2027: {...}, 2028: {...}}`: the wage in force from January of that year)."""
        if node.kind == "map" and node.value and all(re.fullmatch(r"[0-9]{4}", key) for key in node.value):
            found = []
            for key, entry in node.value.items():
                wage_year = int(key)
                if through is None or not year < wage_year <= through:
                    self.error(entry.key_mark, "E-path-wage-year", value=Quoted(key), first=year + 1, through=through if through is not None else year)
                    continue
                inputs = self.wage_growth(entry.node, wage_year)
                if inputs is not None:
                    found.append((wage_year, inputs))
            return tuple(sorted(found, key=lambda pair: pair[0])), True
        inputs = self.wage_growth(node)
        if inputs is None or through is None:
            return (), False
        for wage_year in range(year + 1, through + 1):  # one alpha for every year: the first year out of its range is reported
            if not self.alpha_in_range(node, inputs.alpha, wage_year):
                return (), False
        return tuple((wage_year, inputs) for wage_year in range(year + 1, through + 1)), False

    def wage_growth(self, node: source.Node, wage_year: int | None = None) -> WageGrowth | None:
        node = self.unsplit(node, "path.growth.minimum_wage")
        if not self.keys(node, _WAGE_GROWTH_KEYS, "path.growth.minimum_wage"):
            return None
        inflation = self.value(node, "inflation", lambda n: self.growth(n, "path.growth.minimum_wage.inflation"))
        economic = self.value(node, "economic_growth", lambda n: self.growth(n, "path.growth.minimum_wage.economic_growth"))
        alpha = self.value(node, "alpha", self.alpha)
        if alpha is not None and wage_year is not None and not self.alpha_in_range(node, alpha, wage_year):
            return None
        if None in (inflation, economic, alpha):
            return None
        return WageGrowth(inflation, economic, alpha, node.mark)

    def alpha_in_range(self, node: source.Node, alpha: Fraction, wage_year: int) -> bool:
        """Whether `alpha` is within the legal range of the minimum wage of `wage_year` (rule data:
        PP 51/2023 for the 2024-2025 wages, PP 49/2025 from the 2026 wages); reported when not."""
        mark = node.value["alpha"].node.mark
        try:
            low = self.rules.get("wages.minimum_wage.alpha.minimum", month_index(wage_year, 1))
            high = self.rules.get("wages.minimum_wage.alpha.maximum", month_index(wage_year, 1))
        except RuleMissing as exc:
            self.problems.append(exc.at(mark))
            return False
        if low.value <= alpha <= high.value:
            return True
        self.error(mark, "E-path-alpha-range", alpha=Quoted(node.value["alpha"].node.text), year=wage_year,
                   low=rule_amount("ratio", low.value), high=rule_amount("ratio", high.value), reference=low.reference)
        return False

    def alpha(self, node: source.Node) -> Fraction | None:
        if node.kind == "scalar" and node.tag in ("int", "float") and _DECIMAL.fullmatch(node.text):
            return Fraction(Decimal(node.text))
        shown = Quoted(node.text) if node.kind == "scalar" else Phrase("({kind})", kind=node.type_name)
        self.error(node.mark, "E-path-alpha-value", value=shown)
        return None

    # --- what-if: `overrides:` and `assumptions:` ---

    def overrides(self, node: source.Node) -> list[Change]:
        """`NAME: {YYYY-MM: VALUE, ...}`: dated values replacing the rule book's from their month on."""
        if node.kind != "map":
            self.problems.append(diagnostic(node.mark, "E-overrides-shape", got=Label(node.type_name)))
            return []
        changes = []
        for name, entry in node.value.items():
            parameter = self.rules.parameters.get(name)
            if parameter is None or not parameter.overridable:
                self.problems.append(diagnostic(entry.key_mark, "E-override-unknown", name=Quoted(name),
                                                hint=suggest(name, self.override_names()), choices=Choices(self.override_names())))
                continue
            if entry.node.kind != "map" or not entry.node.value:
                self.problems.append(diagnostic(entry.node.mark, "E-override-dates", name=Quoted(name), got=Label(entry.node.type_name)))
                continue
            for key, item in entry.node.value.items():
                start = parse_month_label(key)
                if start is None:
                    self.problems.append(diagnostic(item.key_mark, "E-override-month", name=Quoted(name), month=Quoted(key)))
                    continue
                value = self.change_value(item.node, name)
                if value is not None:
                    changes.append(Change(name, start, value[0], "override", item.node.text, item.node.mark, str(item.node.mark)))
        return changes

    def override_names(self) -> tuple[str, ...]:
        return tuple(name for name, parameter in sorted(self.rules.parameters.items()) if parameter.overridable)

    def assumptions(self, node: source.Node) -> list[Change]:
        """`gdp_growth: {YEAR: PERCENT}`: yearly data the rule book does not have yet."""
        if not self.keys(node, dict.fromkeys(ASSUMPTIONS, False), "assumptions"):
            return []
        changes = []
        for key, entry in node.value.items():
            if key not in ASSUMPTIONS:
                continue
            name = ASSUMPTIONS[key]
            if entry.node.kind != "map" or not entry.node.value:
                self.problems.append(diagnostic(entry.node.mark, "E-override-dates", name=Quoted(key), got=Label(entry.node.type_name)))
                continue
            for year_text, item in entry.node.value.items():
                year = int(year_text) if re.fullmatch(r"[0-9]{4}", year_text) and MIN_YEAR <= int(year_text) <= MAX_YEAR else None
                if year is None:
                    self.problems.append(diagnostic(item.key_mark, "E-assumption-year", name=Quoted(key), year=Quoted(year_text)))
                    continue
                known = self.rules.parameters[name].value_for_year(year)
                if known is not None:
                    self.problems.append(diagnostic(item.key_mark, "E-assumption-published", name=Quoted(key), year=year,
                                                    value=Rate(known.value), reference=Quoted(known.reference)))
                    continue
                value = self.change_value(item.node, name)
                if value is not None:
                    changes.append(Change(name, month_index(year, 1), value[0], "assumption", item.node.text, item.node.mark,
                                          str(item.node.mark)))
        return changes

    def change_value(self, node: source.Node, name: str) -> tuple[Any] | None:
        """A what-if value in the parameter's unit: `5%` for a rate, whole rupiah, a list of
        funding kinds, or null where the book itself has a value that stops applying."""
        parameter = self.rules.parameters[name]
        unit, shown = parameter.unit, Quoted(node.text) if node.kind == "scalar" else Phrase("({kind})", kind=node.type_name)
        if node.kind == "scalar" and node.value is None and any(entry.value is None for entry in parameter.entries):
            return (None,)
        try:
            if unit in ("percent", "percent-change") and node.kind == "scalar" and _PERCENT.fullmatch(node.text):
                return (coerce(unit, node.text[:-1]),)
            if unit == "currency-IDR" and node.kind == "scalar" and node.tag == "int" and _PLAIN_INT.fullmatch(node.text) and node.value >= 0:
                amount = self.whole(node, Quoted(name), money=True)  # E-too-large above MAX_RUPIAH, as in a scenario
                return None if amount is None else (amount,)
            names = {"list": FUNDING_KINDS, "roles": ROLES}.get(unit, ())
            if names and node.kind == "seq" and all(item.kind == "scalar" and item.value in names for item in node.value):
                return (coerce(unit, [item.value for item in node.value]),)
        except ValueError:
            self.problems.append(diagnostic(node.mark, "E-override-range", name=Quoted(name), value=shown))
            return None
        code = {"currency-IDR": "E-override-rupiah", "list": "E-override-list", "roles": "E-override-roles"}.get(unit, "E-override-percent")
        self.problems.append(diagnostic(node.mark, code, name=Quoted(name), value=shown, choices=Choices(ROLES if unit == "roles" else FUNDING_KINDS)))
        return None


def _income_problem(rules: RuleBook, mark: Mark, income: int, year: int, start: int, months: int,
                    where: Phrase | Label) -> Diagnostic | None:
    """E-income-outside-range for the first covered month whose BPU income range (PP 44/2015 as
    amended, in the rule book) leaves `income` out; None when every month takes it."""
    for month in range(month_index(year, start), month_index(year, start) + months):
        low, high = rules.get("bpu.income.minimum", month), rules.get("bpu.income.maximum", month)
        if not low.value <= income <= high.value:
            return diagnostic(mark, "E-income-outside-range", income=Rupiah(income), where=where, low=Rupiah(low.value),
                              high=Rupiah(high.value), reference=rules.parameters[low.name].reference)
    return None


_SPANS: "weakref.WeakKeyDictionary[RuleBook, dict[tuple[int, int, int], tuple[int, int] | None]]" = weakref.WeakKeyDictionary()


def _income_span(rules: RuleBook, year: int, start: int, months: int) -> tuple[int, int] | None:
    """The BPU incomes every covered month takes (the highest minimum, the lowest maximum), worked
    out once per book and months (the cohorts of a file, the files of a batch); None when the book
    lacks a month (the caller reports it)."""
    spans = _SPANS.setdefault(rules, {})
    key = (year, start, months)
    if key not in spans:
        try:
            covered = range(month_index(year, start), month_index(year, start) + months)
            spans[key] = (max(rules.get("bpu.income.minimum", month).value for month in covered),
                          min(rules.get("bpu.income.maximum", month).value for month in covered))
        except RuleMissing:
            spans[key] = None
    return spans[key]


def income_problems(scenario: Scenario, rules: RuleBook) -> list[Diagnostic]:
    """The BPU income range of every cohort checked again under the book and year it is priced
    with: a `--set` override or another budget year (`compare --year`) moves the range after the
    file was checked. Cheap: a cohort inside the range of all twelve months costs two comparisons."""
    bpu = [cohort for cohort in scenario.cohorts if cohort.category == "bpu"]
    if not bpu:
        return []
    try:
        months = [month_index(scenario.year, m) for m in range(1, 13)]
        low = max(rules.get("bpu.income.minimum", month).value for month in months)
        high = min(rules.get("bpu.income.maximum", month).value for month in months)
        problems = []
        for cohort in bpu:
            if not low <= cohort.income <= high:
                where = Phrase("cohort {name}", name=Quoted(cohort.places.origin if cohort.places else cohort.name))
                problem = _income_problem(rules, cohort.mark, cohort.income, scenario.year, cohort.start, cohort.months, where)
                if problem is not None:
                    problems.append(problem)
    except RuleMissing as exc:
        return [exc.at(scenario.year_mark)]
    return list(dict.fromkeys(problems))


def with_settings(scenario: Scenario, settings: Iterable[str], rules: RuleBook) -> Scenario:
    """The scenario with `--set NAME@YYYY-MM=VALUE` overrides added after its own (a later one of
    the same parameter and month wins), checked exactly as `overrides:` in the file."""
    checker = _Checker("--set", rules)
    changes = list(scenario.what_if.changes)
    for position, setting in enumerate(settings, 1):
        mark = Mark("--set", position, 1)
        match = re.fullmatch(r"\s*([A-Za-z0-9_.]+)@([0-9]{4}-[0-9]{2})=(.+?)\s*", setting)
        if match is None:
            checker.problems.append(diagnostic(mark, "E-set-syntax", setting=Quoted(setting)))
            continue
        name, month, text = match.groups()
        try:  # read as a YAML value, as `overrides:` in a file is: 5%, 10_000, [apbn, apbd], null
            value = source.parse(text, "--set") or source.Node("scalar", None, mark, "null", text)
        except source.SourceError:
            checker.problems.append(diagnostic(mark, "E-set-syntax", setting=Quoted(setting)))
            continue
        node = source.Node("map", {name: source.Entry(mark, source.Node("map", {month: source.Entry(mark, value)}, mark))}, mark)
        changes.extend(replace(change, reference=f"--set {setting.strip()}") for change in checker.overrides(node))
    if checker.problems:
        raise ScenarioError(checker.problems)
    if len(changes) == len(scenario.what_if.changes) and scenario.rules is not None:
        return scenario
    what_if = WhatIf(tuple(changes))
    book = rules.with_what_if(what_if)
    problems = income_problems(scenario, book)  # the cohorts' income ranges under the final book
    if problems:
        raise ScenarioError(problems)
    return replace(scenario, what_if=what_if, rules=book)


def _empty(node: source.Node) -> bool:
    """A key written with no value (`workers:` or `workers: ~`)."""
    return node.kind == "scalar" and node.value is None


def default_category(rules: RuleBook, role: str, month: int) -> str | None:
    """The category `role` takes in `month` when a cohort states none: the one a regulation enrols
    it in, else ucj's convention, else None (the scenario must say)."""
    for family in ("enrolment", "defaults"):
        for category in CATEGORIES:
            found = rules.rule_in_force(f"eligibility.{family}.{category}", month)
            if found is not None and role in found.value:
                return category
    return None
