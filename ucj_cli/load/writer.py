"""A scenario back to YAML: deterministic, commented, and read back to the same `Scenario`.

`ucj plan --write` saves the planned scenario with this, so `ucj simulate` on the file reproduces
the plan to the rupiah. The keys are the checker's own tables (`scenario._SCHEME_KEYS`,
`_COHORT_KEYS`), so a key added there is written too; a value is left out only where it is the
field's default. Text is double-quoted (JSON escapes, which YAML reads the same way; characters YAML
would not keep are escaped), money and counts use `_` between thousands, and nothing depends on the
clock or the machine, so the same plan writes the same bytes. `round_trips` reads the text back and
says whether it gives the same scenario, so a value this module cannot write is refused, never
silently dropped.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction
from dataclasses import MISSING, fields, replace
from typing import Any, Mapping

from ucj_cli.load import scenario as checker
from ucj_cli.errors import UcjError
from ucj_cli.money import format_percent
from ucj_cli.period import month_index, month_label
from ucj_cli.rules.book import RuleBook, Value, WhatIf
from ucj_cli.model import PathSpec, Scenario
from ucj_cli.load.scenario import ASSUMPTIONS

MARKER = "# ucj plan"  # the first line of every file ucj writes, so it may later overwrite its own
_PLAIN = re.compile(r"[a-z][a-z0-9_]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}  # read as booleans or null
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")
_ALWAYS = {"name", "workers", "category", "income", "funding", "start", "months", "kind"}  # written even when default


def quote(text: str) -> str:
    """Text as a YAML double-quoted scalar that reads back exactly."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _word(text: str) -> str:
    """An id or a choice plain (`dbhcht`, `bpu`), anything else quoted."""
    return text if _PLAIN.fullmatch(text) and text not in _YAML_WORDS else quote(text)


def _comment(text: str) -> str:
    """One comment line per line of `text` (control characters cannot end a comment early)."""
    return "\n".join(f"# {line}".rstrip() for line in re.sub(r"[\x00-\x09\x0b-\x1f\x7f]", " ", text).split("\n"))


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}"
    if isinstance(value, str):
        return _word(value)
    if isinstance(value, tuple) and all(isinstance(item, tuple) and len(item) == 2 for item in value):
        return "{" + ", ".join(f"{_word(str(key))}: {_yaml(item)}" for key, item in value) + "}"
    if isinstance(value, tuple):
        return "[" + ", ".join(_yaml(item) for item in value) + "]"
    raise TypeError(f"cannot write {value!r}")


def _entries(item: Any, keys: Mapping[str, bool], text: set[str], year: int) -> list[tuple[str, str]]:
    """(key, value) for every key of the checker's table that `item` holds a non-default value of."""
    defaults = {f.name: f.default for f in fields(item) if f.default is not MISSING}
    found = []
    for key in keys:
        if not hasattr(item, key):
            continue  # a key read into another shape (the round-trip check catches what is lost)
        value = getattr(item, key)
        if key not in _ALWAYS and (value is None or (key in defaults and value == defaults[key])):
            continue
        if key == "start":
            found.append((key, month_label(month_index(year, value))))
        elif key == "classification":  # codes and names always quoted: `2.07` unquoted is a YAML number
            levels = ", ".join(f"{level}: {{code: {quote(code)}, name: {quote(name)}}}" for level, code, name in value)
            found.append((key, "{" + levels + "}"))
        else:
            found.append((key, quote(value) if key in text else _yaml(value)))
    return found


def _value(value: Value) -> str:
    """A what-if value as the checker reads it: `5%`, whole rupiah, a list of kinds, or null."""
    if value is None:
        return "null"
    if isinstance(value, tuple):
        return f"[{', '.join(value)}]"
    if isinstance(value, int):
        return str(value)
    return f"{format_percent(value)}%"


def _what_if(what_if: WhatIf) -> list[str]:
    """`overrides:` and `assumptions:`, a parameter's months in order; where the same parameter and
    month were set twice (a `--set` after the file's own), the later value, as the rule book takes it."""
    lines = []
    keys = {name: key for key, name in ASSUMPTIONS.items()}
    for section, changes in (("overrides", what_if.overrides), ("assumptions", what_if.assumptions)):
        dated: dict[str, dict[int, Value]] = {}
        for change in changes:
            dated.setdefault(change.name, {})[change.start] = change.value
        if dated:
            lines.append(f"{section}:")
        for name, values in dated.items():
            when = month_label if section == "overrides" else (lambda start: str(start // 12))
            items = ", ".join(f"{when(start)}: {_value(values[start])}" for start in sorted(values))
            lines.append(f"  {keys.get(name, name)}: {{{items}}}")
    return lines


def _ratio(value: Fraction) -> str:
    """An exact decimal as written (`0.7`)."""
    return format((Decimal(value.numerator) / Decimal(value.denominator)).normalize(), "f")


def _path(path: PathSpec | None) -> list[str]:
    """`path:` as the checker reads it (the minimum wage one entry for all years, or one a year)."""
    if path is None:
        return []
    pct = lambda rate: f"{format_percent(rate)}%"  # noqa: E731
    lines = ["path:", f"  through: {path.through}"]
    if path.targets:
        lines.append("  targets: {" + ", ".join(f"{target.year}: {pct(target.coverage)}" for target in path.targets) + "}")
    wage = lambda item: f"{{inflation: {pct(item.inflation)}, economic_growth: {pct(item.economic_growth)}, alpha: {_ratio(item.alpha)}}}"  # noqa: E731
    growth = [f"    employed: {pct(path.employed)}", f"    covered: {pct(path.covered)}"]
    inputs = [item for _, item in path.minimum_wage]
    if inputs and not path.wage_per_year and all(item == inputs[0] for item in inputs):
        growth.append(f"    minimum_wage: {wage(inputs[0])}")
    elif inputs:
        growth.append("    minimum_wage: {" + ", ".join(f"{year}: {wage(item)}" for year, item in path.minimum_wage) + "}")
    if path.ceilings:
        growth.append("    ceilings: {" + ", ".join(f"{_word(key)}: {pct(rate)}" for key, rate in path.ceilings) + "}")
    return lines + ["  growth:", *growth]


def scenario_yaml(scenario: Scenario, header: str = "", notes: Mapping[str, str] | None = None) -> str:
    """The scenario as YAML. `header` opens the file as comments after the `# ucj plan` marker line;
    `notes[cohort name]` is a comment above that cohort."""
    notes = notes or {}
    first, *rest = header.splitlines() or [""]
    lines = [f"{MARKER}: {_comment(first)[2:]}".rstrip(": "), *(_comment(line) for line in rest)]
    lines.append(f"name: {quote(scenario.name)}")
    if scenario.region:
        lines.append(f"region: {quote(scenario.region)}")
    if scenario.region_code:
        lines.append(f"region_code: {scenario.region_code}")
    lines += [f"year: {scenario.year}", "workforce:", f"  employed: {scenario.workforce.employed:_}",
              f"  covered: {scenario.workforce.covered:_}", "funding:"]
    for key, scheme in scenario.funding.items():
        lines.append(f"  {_word(key)}:")
        lines += [f"    {name}: {value}" for name, value in _entries(scheme, checker._SCHEME_KEYS, {"name"}, scenario.year)]
    lines += _what_if(scenario.what_if)
    if scenario.signatures:
        lines.append("signatures:")
        for signature in scenario.signatures:
            fields = ", ".join(f"{key}: {quote(getattr(signature, key))}" for key in ("place", "date", "title", "name", "nip") if getattr(signature, key))
            lines.append(f"  - {{{fields}}}")
    lines += _path(scenario.path)
    lines.append("cohorts:")
    for cohort in scenario.cohorts:
        if cohort.name in notes:
            lines.append("  " + _comment(notes[cohort.name]).replace("\n", "\n  "))
        entries = _entries(cohort, checker._COHORT_KEYS, {"name", "sector"}, scenario.year)
        lines += [f"  {'-' if number == 0 else ' '} {name}: {value}" for number, (name, value) in enumerate(entries)]
    return "\n".join(lines) + "\n"


def round_trips(scenario: Scenario, text: str, shipped: RuleBook) -> bool:
    """Whether `text`, checked against the shipped rule book as any scenario file is, reads back as
    `scenario`: the same what-if values (where and how they were written is free), and a cohort read
    from CSV (`from_csv`) as one plain cohort with its villages' workers summed, priced alike."""
    try:
        again = checker.parse_scenario(text, scenario.file, shipped)
    except UcjError:
        return False
    dated = lambda s: {(c.name, c.start, c.origin): c.value for c in s.what_if.changes}  # noqa: E731
    plain = replace(scenario, what_if=again.what_if, cohorts=tuple(replace(c, places=None) for c in scenario.cohorts))
    return again == plain and dated(again) == dated(scenario)
