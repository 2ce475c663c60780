"""A scenario back to YAML: deterministic, commented, and read back to the same `Scenario`.

`ucj plan --write` saves the planned scenario with this, so `ucj simulate` on the file reproduces
the plan to the rupiah. Every value the checker reads is written explicitly where it differs from
its default, text is double-quoted (JSON escapes, which YAML reads the same way; characters YAML
would not keep are escaped), money and counts use `_` between thousands, and nothing depends on the
clock or the machine, so the same plan writes the same bytes.
"""

from __future__ import annotations

import json
import re
from typing import Mapping

from ucj_cli.money import format_percent
from ucj_cli.period import month_index, month_label
from ucj_cli.rules import Value, WhatIf
from ucj_cli.scenario import ASSUMPTIONS, DEFAULT_PROGRAMS, Cohort, FundingScheme, Scenario

MARKER = "# ucj plan"  # the first line of every file ucj writes, so it may later overwrite its own
_PLAIN_KEY = re.compile(r"[a-z][a-z0-9_-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}  # read as booleans or null
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def quote(text: str) -> str:
    """Text as a YAML double-quoted scalar that reads back exactly."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _key(text: str) -> str:
    return text if _PLAIN_KEY.fullmatch(text) and text not in _YAML_WORDS else quote(text)


def _comment(text: str) -> str:
    """One comment line per line of `text` (control characters cannot end a comment early)."""
    return "\n".join(f"# {line}".rstrip() for line in re.sub(r"[\x00-\x09\x0b-\x1f\x7f]", " ", text).split("\n"))


def _scheme(key: str, scheme: FundingScheme) -> list[str]:
    lines = [f"  {_key(key)}:", f"    name: {quote(scheme.name)}", f"    kind: {scheme.kind}"]
    if scheme.ceiling is not None:
        lines.append(f"    ceiling: {scheme.ceiling:_}")
    if not scheme.relief:
        lines.append("    relief: false")
    return lines


def _cohort(cohort: Cohort, year: int) -> list[str]:
    lines = [f"  - name: {quote(cohort.name)}"]
    if cohort.sector:
        lines.append(f"    sector: {quote(cohort.sector)}")
    lines += [f"    workers: {cohort.workers:_}", f"    category: {cohort.category}", f"    income: {cohort.income:_}"]
    if cohort.programs != DEFAULT_PROGRAMS:
        lines.append(f"    programs: [{', '.join(cohort.programs)}]")
    if cohort.category == "pu":
        lines.append(f"    risk: {cohort.risk}")
        lines += [f"    {flag}: true" for flag in ("pays_worker_share", "jkk_relief") if getattr(cohort, flag)]
    elif cohort.transport:
        lines.append("    transport: true")
    lines += [f"    funding: {_key(cohort.funding)}", f"    start: {month_label(month_index(year, cohort.start))}",
              f"    months: {cohort.months}"]
    if cohort.max_workers is not None:
        lines.append(f"    max_workers: {cohort.max_workers:_}")
    return lines


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
            when = (lambda start: month_label(start)) if section == "overrides" else (lambda start: str(start // 12))
            items = ", ".join(f"{when(start)}: {_value(values[start])}" for start in sorted(values))
            lines.append(f"  {keys.get(name, name) if section == 'assumptions' else name}: {{{items}}}")
    return lines


def scenario_yaml(scenario: Scenario, header: str = "", notes: Mapping[str, str] | None = None) -> str:
    """The scenario as YAML. `header` opens the file as comments after the `# ucj plan` marker line;
    `notes[cohort name]` is a comment above that cohort."""
    notes = notes or {}
    first, *rest = header.splitlines() or [""]
    lines = [f"{MARKER}: {_comment(first)[2:]}".rstrip(": "), *(_comment(line) for line in rest)]
    lines.append(f"name: {quote(scenario.name)}")
    if scenario.region:
        lines.append(f"region: {quote(scenario.region)}")
    lines += [f"year: {scenario.year}", "workforce:", f"  employed: {scenario.workforce.employed:_}",
              f"  covered: {scenario.workforce.covered:_}", "funding:"]
    for key, scheme in scenario.funding.items():
        lines += _scheme(key, scheme)
    lines += _what_if(scenario.what_if)
    lines.append("cohorts:")
    for cohort in scenario.cohorts:
        if cohort.name in notes:
            lines.append("  " + _comment(notes[cohort.name]).replace("\n", "\n  "))
        lines += _cohort(cohort, scenario.year)
    return "\n".join(lines) + "\n"
