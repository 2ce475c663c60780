"""A JSON Schema of the scenario format, generated from the checker's own key tables.

Editors (yaml-language-server, VS Code) use it to complete and check scenario files as they are
typed. Which keys exist and which are required come from `scenario._TOP_KEYS` and its siblings;
the allowed categories, programs, risks and funding kinds from the checker's tuples; the parameter
names of `overrides` from the rule book. So the schema and the checker cannot drift: a key added to
the checker without a description and a type here fails `build` (and the tests).

Facts live once: where a description names when a rule is in force (a relief's months, the JP
cap an assumption projects), the dates are read from the rule book it is built for, not written here.

The schema is a help for editors, not the gate: ucj's own checker still validates every file,
including the YAML 1.1 traps (octal `010`, base-60 `1:30`) that a schema cannot see. Money and counts
accept integers and `4_500_000_000`, which YAML 1.2 editors read as a string.
"""

from __future__ import annotations

from typing import Any, Callable

from ucj_cli import model
from ucj_cli.load import scenario as checker
from ucj_cli.period import month_index
from ucj_cli.rules.book import ACCOUNT_CODE, RuleBook

_DIGITS = "^(0|[1-9][0-9_]*)$"
_MONTH = "^[0-9]{4}-(0[1-9]|1[0-2])$"
_PERCENT = "^[+-]?[0-9]+([.][0-9]+)?%$"


def _whole(minimum: int = 0) -> dict[str, Any]:
    return {"anyOf": [{"type": "integer", "minimum": minimum}, {"type": "string", "pattern": _DIGITS}]}


def _text() -> dict[str, Any]:
    return {"type": ["string", "integer"]}


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")  # the schema is written in English only


def _month(index: int, short: bool = False) -> str:
    name = _MONTH_NAMES[index % 12]
    return f"{name[:3] if short else name} {index // 12}"


def _in_force(book: RuleBook, prefix: str) -> list[tuple[int, int | None]]:
    """The spans of months (first, last; None: open) in which a parameter named `prefix`, or one
    under it, has a value, merged across those parameters."""
    spans: list[tuple[int, int | None]] = []
    for name, parameter in book.parameters.items():
        if name != prefix and not name.startswith(prefix + "."):
            continue
        entries = parameter.entries
        for number, entry in enumerate(entries):
            if entry.value is not None:
                spans.append((entry.start, entries[number + 1].start - 1 if number + 1 < len(entries) else None))
    merged: list[tuple[int, int | None]] = []
    for first, last in sorted(spans, key=lambda span: span[0]):
        if merged and (merged[-1][1] is None or first <= merged[-1][1] + 1):  # overlapping or next to the one before
            start, end = merged[-1]
            merged[-1] = (start, None if end is None or last is None else max(end, last))
        else:
            merged.append((first, last))
    return merged


def _jkk_relief(book: RuleBook) -> str:
    spans = ", ".join(f"{_month(first, True)} - {_month(last, True)}" if last is not None else f"from {_month(first, True)}"
                      for first, last in _in_force(book, "pu.jkk_relief"))
    return f"pu: the employer qualifies for the PP 7/2025 half-rate JKK{f' ({spans})' if spans else ''}."


def _transport(book: RuleBook) -> str:
    spans = _in_force(book, "bpu.relief.transport")
    last = spans[-1][1] if spans else None
    return f"bpu: transport-sector worker (drivers, couriers): PP 50/2025 relief{f' through {_month(last)}' if last is not None else ''}."


def _latest(book: RuleBook, name: str) -> Any:
    """The value of `name` now in force (its last entry with one): the schema states today's rule."""
    return next(entry.value for entry in reversed(book.parameters[name].entries) if entry.value is not None)


def _income(book: RuleBook) -> str:
    low, high = (_latest(book, f"bpu.income.{end}") for end in ("minimum", "maximum"))
    return f"Monthly wage (pu) or declared income (bpu, from {low} to {high} in the rule book now), whole rupiah."


def _village_spending(book: RuleBook) -> str:
    first = next(entry.start for entry in book.parameters["eligibility.village_spending_cap.share"].entries if entry.value is not None)
    return ("Village money only: the APBDes's total spending for the year, whole rupiah, to check the cap on the head's, "
            f"officials' and BPD's pay (eligibility.village_spending_cap.share, from {_month(first)}).")


def _assumptions(book: RuleBook) -> str:
    """The example names the first year the book has no growth for, and the JP cap it projects."""
    growth = book.parameters[checker.ASSUMPTIONS["gdp_growth"]]
    year = max(entry.start // 12 for entry in growth.entries if entry.value is not None) + 1
    projection = book.parameters["pu.jp_wage_cap"].projection
    cap = f" projects the {_month(month_index(year + 1, projection.month))} JP wage cap by PP 45/2015 art. 29" if projection else ""
    return f"WHAT-IF: yearly data the rule book does not have yet, e.g. `gdp_growth: {{{year}: 5.0%}}`{cap}."


# key -> (description, schema) for each section of the checker. Every key of the checker's tables
# must be here; `build` fails otherwise. A description that states when a rule is in force is a
# function of the rule book (`_jkk_relief`...), so the dates are the book's.
TOP = {
    "name": ("Name of the budget scenario, shown on every output.", _text()),
    "region": ("The region (kabupaten/kota/provinsi) the budget is for.", _text()),
    "region_code": ("Kemendagri code of the region (`35.05` is Kabupaten Blitar; `ucj init --region NAME` writes it): village "
                    "codes and names in CSV files are checked against its villages, and `workforce.employed` against its "
                    "Dukcapil population.", {"type": ["string", "number"], "pattern": "^[0-9]{2}([.][0-9]{2})?$"}),
    "year": ("The budget year (APBD year), January to December.", {"type": "integer", "minimum": 2000, "maximum": 2100}),
    "workforce": ("The region's workers, for the coverage rate (UCJ).", None),
    "funding": ("Funding schemes by id (e.g. dbhcht, apbdes); each cohort names the one that pays for it.", None),
    "cohorts": ("Groups of workers priced alike: how many, their category, income, programs and months.", None),
    "overrides": ("WHAT-IF: rule values replacing the rule book's from a month on, for this scenario only, "
                  "e.g. `pu.jp.employer: {2027-01: 5%}`. Every output then says it is a what-if.", None),
    "signatures": ("Who signs the printed budget (Summary and RKA sheets): a list of {place, date, title, name, nip}, "
                   "e.g. `- {place: Blitar, date: 2026-11-30, title: Bupati Blitar, name: ..., nip: ...}`.",
                   {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["title", "name"],
                                               "properties": {key: {"type": ["string", "integer"]} for key in ("place", "date", "title", "name", "nip")}}}),
    "assumptions": (_assumptions, None),
    "path": ("`ucj path`: the years after this one through `through`, December coverage `targets` (none: the ceilings decide) "
             "and how the workforce, the minimum wage and each ceiling `growth` a year.", None),
}
_GROWTH = {"type": "string", "pattern": _PERCENT}
_WAGE_GROWTH = {"type": "object", "additionalProperties": False, "required": ["inflation", "economic_growth", "alpha"],
                "properties": {"inflation": {"description": "Provincial CPI inflation, September to September.", **_GROWTH},
                               "economic_growth": {"description": "The region's real PDRB growth.", **_GROWTH},
                               "alpha": {"description": "Alpha agreed by the wage council, within the legal range of the wage year "
                                                        "(0.10-0.30 PP 51/2023; 0.50-0.90 PP 49/2025 from the 2026 wages).",
                                         "type": "number"}}}
PATH = {
    "type": "object", "additionalProperties": False, "required": ["through"],
    "properties": {
        "through": {"description": "Last year of the path, inclusive; at most 20 years after `year`.", "type": "integer"},
        "targets": {"description": "December coverage by year, e.g. `{2025: 32.15%, 2029: 43.92%}`; linear in percentage points "
                                   "between the years given.", "type": "object", "propertyNames": {"pattern": "^[0-9]{4}$"},
                    "additionalProperties": {"type": "string", "pattern": _PERCENT}},
        "growth": {"description": "Yearly growth of the employed, of coverage from outside this budget, of the minimum wage "
                                  "(PP 49/2025 art. 26) and of each funding scheme's ceiling.", "type": "object",
                   "additionalProperties": False,
                   "properties": {"employed": {"description": "employed(t) = employed(t-1) x (1 + g), rounded half up.", **_GROWTH},
                                  "covered": {"description": "Coverage from outside this budget, the same way.", **_GROWTH},
                                  "minimum_wage": {"description": "One {inflation, economic_growth, alpha} for every year, or one per "
                                                                  "wage year (`{2027: {...}}`).",
                                                   "anyOf": [_WAGE_GROWTH, {"type": "object", "propertyNames": {"pattern": "^[0-9]{4}$"},
                                                                            "additionalProperties": _WAGE_GROWTH}]},
                                  "ceilings": {"description": "Growth of each funding scheme's ceiling, by scheme id.", "type": "object",
                                               "additionalProperties": _GROWTH}}},
    },
}
WORKFORCE = {
    "employed": ("Working population of the region (people).", _whole(1)),
    "covered": ("Active BPJS Ketenagakerjaan participants before this budget, outside the cohorts below.", _whole()),
}
SCHEME = {
    "name": ("Name of the funding source as the budget calls it.", _text()),
    "kind": ("Kind of budget: apbd, apbn, dbhcht (spent through the APBD), apbdes (village budget, source not stated), dana_desa, "
             "add, pades, employer, self or csr. Decides reliefs (PP 50/2025 art. 3) and who it may pay for.",
             {"enum": list(model.FUNDING_KINDS)}),
    "ceiling": ("Most this scheme may spend in the year, whole rupiah (ucj warns above it).", _whole()),
    "relief": ("false: budget the full rate even where a temporary relief would apply.", {"type": "boolean"}),
    "village_spending": (_village_spending, _whole()),  # the cap from the rule book
    "village_spending_on_officials": ("With village_spending: the year's fixed income, allowances, end-of-term pay and health "
                                      "insurance of the head, officials and BPD (ucj adds the jamsostek it prices).", _whole()),
    "account": ("Budget account code (Kode Rekening) of every program this scheme pays, e.g. \"5.1.02.05.02\", for `--format rka`; "
                "wins over the rule book's.", {"type": "string", "pattern": ACCOUNT_CODE.pattern}),
    "accounts": ("Budget account code per program, e.g. `{jkk: \"5.1.02.02.02.0006\"}`, for `--format rka`; wins over `account:` "
                 "and the rule book's.", {"type": "object", "properties": {program: {"type": "string", "pattern": ACCOUNT_CODE.pattern}
                                                                             for program in model.PROGRAMS},
                                          "additionalProperties": False}),
    "classification": ("Budget classification printed above the scheme's RKA lines, as the planner's SIPD shows it: any of skpd, "
                       "program, kegiatan, sub_kegiatan, each `{code: \"2.07.02\", name: \"...\"}`.",
                       {"type": "object", "additionalProperties": False,
                        "properties": {level: {"type": "object", "additionalProperties": False, "required": ["code", "name"],
                                               "properties": {"code": {"type": "string", "pattern": ACCOUNT_CODE.pattern},
                                                              "name": {"type": "string", "minLength": 1}}}
                                       for level in model.CLASSIFICATION_LEVELS}}),
}
COHORT = {
    "name": ("Unique name of the cohort.", _text()),
    "sector": ("Sector, for reading (e.g. pertanian, desa).", _text()),
    "role": ("Who the workers are (e.g. perangkat_desa, bpd, pktd, petani_tembakau): checked against who may pay for them, "
             "and gives the category where it is not stated.", {"enum": list(model.ROLES)}),
    "workers": ("Number of workers in the cohort.", _whole()),
    "category": ("pu: wage earners (Penerima Upah); bpu: non-wage workers (Bukan Penerima Upah). Required unless the role gives it.",
                 {"enum": list(model.CATEGORIES)}),
    "income": (_income, _whole(1)),  # the BPU range from the rule book
    "programs": ("Programs: jkk and jkm always; jht optional; jp for pu only.",
                 {"type": "array", "items": {"enum": list(model.PROGRAMS)}, "uniqueItems": True, "minItems": 2}),
    "risk": ("JKK risk class of the work (pu), PP 44/2015 Lampiran I.", {"enum": list(model.RISKS)}),
    "pays_worker_share": ("pu: the budget also pays the worker's own JHT/JP share.", {"type": "boolean"}),
    "jkk_relief": (_jkk_relief, {"type": "boolean"}),  # its months from the rule book
    "transport": (_transport, {"type": "boolean"}),
    "funding": ("Id of the funding scheme paying for this cohort (a key under `funding:`).", _text()),
    "start": ("First covered month, YYYY-MM within the budget year (or a month number 1-12).",
              {"anyOf": [{"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])(-01)?$"}, {"type": "integer", "minimum": 1, "maximum": 12}]}),
    "months": ("How many months are covered from `start` (default: through December).", {"type": "integer", "minimum": 1, "maximum": 12}),
    "from_csv": ("A CSV file of villages, relative to the scenario: columns village, district[, workers][, income, start, "
                 "months], each row priced as this cohort with its own cells (README, \"Village lists from CSV\").", _text()),
    "max_workers": ("How many such workers the region has (>= workers): `ucj plan` never plans more.", _whole()),
    "wage": ("pu: `minimum_wage`, the cohort is paid the minimum wage: along a `path:` its income grows by the minimum-wage formula "
             "(PP 49/2025 art. 26), rounded up to the rupiah.", {"enum": list(model.WAGES)}),
}


Description = "str | Callable[[RuleBook], str]"


def _section(table: dict[str, tuple[Description, Any]], keys: dict[str, bool], where: str, book: RuleBook) -> dict[str, Any]:
    missing = set(keys) - set(table)
    if missing:
        raise KeyError(f"the schema has no description of {where} key(s) {', '.join(sorted(missing))}")
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [key for key, required in keys.items() if required],
        "properties": {key: {"description": _described(table[key][0], book), **(table[key][1] or {})} for key in keys},
    }


def _described(description: Any, book: RuleBook) -> str:
    return description(book) if callable(description) else description


def _override_value(unit: str, nullable: bool) -> dict[str, Any]:
    options: list[dict[str, Any]] = {
        "percent": [{"type": "string", "pattern": _PERCENT}],
        "currency-IDR": [_whole()],
        "list": [{"type": "array", "items": {"enum": list(model.FUNDING_KINDS)}}],
        "roles": [{"type": "array", "items": {"enum": list(model.ROLES)}}],
    }[unit]
    return {"anyOf": options + ([{"type": "null"}] if nullable else [])}


def build(book: RuleBook) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file, for `book`'s parameter names."""
    top = _section(TOP, checker._TOP_KEYS, "top-level", book)
    top["properties"]["workforce"].update(_section(WORKFORCE, checker._WORKFORCE_KEYS, "workforce", book))
    scheme = _section(SCHEME, checker._SCHEME_KEYS, "funding", book)
    top["properties"]["funding"].update({"type": "object", "minProperties": 1, "propertyNames": {"pattern": checker._ID.pattern},
                                         "additionalProperties": {"anyOf": [scheme, {"type": "null"}]}})
    cohort = _section(COHORT, checker._COHORT_KEYS, "cohort", book)
    cohort["required"].remove("workers")  # a village list may give them instead
    cohort["anyOf"] = [{"required": ["workers"]}, {"required": ["from_csv"]}]
    top["properties"]["cohorts"].update({"type": "array", "minItems": 1, "items": cohort})
    overrides = {}
    for name, parameter in sorted(book.parameters.items()):
        if not parameter.overridable:
            continue
        nullable = any(entry.value is None for entry in parameter.entries)
        overrides[name] = {"description": f"{parameter.description} ({parameter.unit}; {parameter.reference})", "type": "object",
                           "minProperties": 1, "propertyNames": {"pattern": _MONTH},
                           "additionalProperties": _override_value(parameter.unit, nullable)}
    top["properties"]["overrides"].update({"type": "object", "additionalProperties": False, "properties": overrides})
    assumptions = {key: {"description": book.parameters[name].description, "type": "object", "minProperties": 1,
                         "propertyNames": {"pattern": "^[0-9]{4}$"}, "additionalProperties": {"type": "string", "pattern": _PERCENT}}
                   for key, name in checker.ASSUMPTIONS.items()}
    top["properties"]["assumptions"].update({"type": "object", "additionalProperties": False, "properties": assumptions})
    top["properties"]["path"].update(PATH)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "ucj scenario (Universal Coverage Jamsostek budget)", **top}
