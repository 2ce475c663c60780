"""Golden cases: figures worked by hand from the regulations and the published budgets, one YAML file
each in tests/golden/ (tests/golden/README.md says how a case is written).

For each case the scenario is simulated (or planned, compared, or laid out as the RKA form) and every
figure under `expected:` is asserted; then the case's `steps:`, its hand working as data, are redone
here exactly (fractions, the stated rounding) and each must equal its `is:`, and a step that names an
expected figure (`expected: total`) must equal that figure, so the prose `working:` and the engine
agree through the same numbers."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from ucj_cli import compare, load_scenario, parse_scenario, plan, simulate
from ucj_cli.engine.rka import build
from ucj_cli.period import month_index

GOLDEN = Path(__file__).resolve().parent / "golden"
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
KINDS = ("simulate", "plan", "compare", "rka")


def _cases() -> list[tuple[str, dict]]:
    """Every case of every file: a file is one case, or shared keys plus a `cases:` list of variants."""
    found = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        variants = data.pop("cases", None) or [{}]
        for variant in variants:
            case = {**data, **variant, "steps": {**data.get("steps", {}), **variant.get("steps", {})}}
            found.append((path.stem + (f"[{variant['id']}]" if "id" in variant else ""), case))
    return found


CASES = _cases()


# --- reading a case ---------------------------------------------------------------------------------

def _months(value, what: str) -> tuple[int, ...] | dict[int, int]:
    """A list of 12 figures, or a mapping of month spans ("Jan", "Mar-Dec") to one figure each.

    By month (`by_month`, `per_person`) the spans must cover the year exactly; elsewhere
    (`active_by_month`) they may name only some months: a dict of month offset to figure is returned."""
    if isinstance(value, list):
        assert len(value) == 12, f"{what}: 12 figures, not {len(value)}"
        return tuple(value)
    spans: dict[int, int] = {}
    for key, figure in value.items():
        first, _, last = str(key).partition("-")
        start, end = MONTHS.index(first), MONTHS.index(last or first)
        for offset in range(start, end + 1):
            assert offset not in spans, f"{what}: {MONTHS[offset]} given twice"
            spans[offset] = figure
    return spans


def _year(value, what: str) -> tuple[int, ...]:
    spans = _months(value, what)
    if isinstance(spans, tuple):
        return spans
    assert sorted(spans) == list(range(12)), f"{what}: the spans leave out {[MONTHS[m] for m in range(12) if m not in spans]}"
    return tuple(spans[m] for m in range(12))


def _number(value) -> Fraction:
    """5_760, "0.24%", "1/2", "12.5" as exact fractions (never binary floats)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise AssertionError(f"write {value!r} as a string (\"0.24%\", \"1/2\"): a YAML float is not exact")
    if isinstance(value, int):
        return Fraction(value)
    text = str(value).replace("_", "").replace(",", "")
    if text.endswith("%"):
        return Fraction(text[:-1]) / 100
    return Fraction(text)


def _scenario(case: dict, key: str = "scenario"):
    """The case's scenario: a path from the repository's root, or the YAML text itself; `replace:`
    edits the text first (old: new), `year:` prices it in another year."""
    source = case[key]
    if "\n" in source:
        text, name = source, f"<golden {key}>"
    else:
        text, name = (ROOT / source).read_text(encoding="utf-8"), str(ROOT / source)
    for old, new in (case.get("replace") or {}).items():
        assert old in text, f"replace: {old!r} is not in the scenario"
        text = text.replace(old, new)
    if "replace" not in case and "\n" not in source:
        scenario = load_scenario(name)  # as `ucj simulate FILE` reads it (a from_csv cohort finds its file)
    else:
        scenario = parse_scenario(text, name)
    year = case.get("year") if key == "scenario" else None
    return scenario.in_year(year) if year else scenario


# --- the engine's figures -----------------------------------------------------------------------------

def _named(items, name: str, what: str):
    found = [item for item in items if item.cohort.name == name]
    assert len(found) == 1, f"{what}: no single cohort named {name!r} (have {[item.cohort.name for item in items]})"
    return found[0]


def _parts(parts) -> dict[str, int]:
    payers: dict[str, int] = {}
    for part in parts:
        payers[part.program] = payers.get(part.program, 0) + 1
    return {part.program if payers[part.program] == 1 else f"{part.program}.{part.payer}": part.per_person for part in parts}


def _check_simulation(result, expected: dict) -> None:
    scalars = ("total", "worker_paid", "relief")
    for key in scalars:
        if key in expected:
            assert getattr(result, key) == expected[key], key
    if "by_month" in expected:
        assert result.by_month == _year(expected["by_month"], "by_month")
    for key in ("by_program", "by_payer"):
        if key in expected:
            assert dict(getattr(result, key)) == expected[key], key
    for scheme, figures in (expected.get("by_funding") or {}).items():
        funding = result.by_funding[scheme]
        for key, value in figures.items():
            actual = funding.scheme.ceiling if key == "ceiling" else getattr(funding, key)
            assert actual == value, f"by_funding.{scheme}.{key}"
    if "overruns" in expected:
        assert [item.scheme.id for item in result.overruns] == expected["overruns"]
    for name, figures in (expected.get("cohorts") or {}).items():
        item = _named(result.cohorts, name, "cohorts")
        for key, value in figures.items():
            what = f"cohorts.{name}.{key}"
            if key in ("by_month", "per_person"):
                assert tuple(getattr(item, key)) == _year(value, what), what
            elif key == "parts":  # {month: {program: per person}}: every part of the month ("jp.worker" where payers split a program)
                for month, programs in value.items():
                    assert _parts(item.parts[MONTHS.index(month)]) == programs, f"{what}.{month}"
            elif key == "by_program":
                assert dict(item.by_program) == value, what
            else:
                assert getattr(item, key) == value, what
    for name, figures in (expected.get("by_cohort") or {}).items():  # a scenario's cohort, its CSV groups together
        (total,) = [item for item in result.by_cohort if item.name == name]
        for key, value in figures.items():
            actual = getattr(total, key)
            assert (tuple(actual) == _year(value, key) if key == "by_month" else actual == value), f"by_cohort.{name}.{key}"
    coverage = expected.get("coverage") or {}
    for key, value in coverage.items():
        if key == "active_by_month":
            for offset, count in _months(value, "coverage.active_by_month").items():
                assert result.coverage.active_by_month[offset] == count, f"coverage.active_by_month.{MONTHS[offset]}"
        elif key in ("rate_before", "rate_after"):
            covered = result.coverage.covered_before if key == "rate_before" else result.coverage.covered_after
            assert result.coverage.rate(covered) == _number(value), key
        else:
            assert getattr(result.coverage, key) == value, f"coverage.{key}"


def _check_plan(planned, expected: dict) -> None:
    for name, figures in (expected.get("cohorts") or {}).items():
        item = _named(planned.cohorts, name, "cohorts")
        for key, value in figures.items():
            if key in ("start", "months"):
                assert getattr(item.cohort, key) == value, f"cohorts.{name}.{key}"
            elif key == "added":
                assert item.workers - item.before == value, f"cohorts.{name}.added"
            else:
                assert getattr(item, key) == value, f"cohorts.{name}.{key}"
    if "added" in expected:  # exactly these cohorts grew, by these counts
        assert {c.cohort.name: c.workers - c.before for c in planned.cohorts if c.workers != c.before} == expected["added"]
    for scheme, figures in (expected.get("schemes") or {}).items():
        for key, value in figures.items():
            assert getattr(planned.schemes[scheme], key) == value, f"schemes.{scheme}.{key}"
    for key, value in (expected.get("target") or {}).items():
        assert getattr(planned.target, key) == value, f"target.{key}"
    # whatever the case, a plan spends no scheme past its budget
    assert all(s.used <= s.budget for s in planned.schemes.values() if s.budget is not None)
    _check_simulation(planned.result, expected.get("result") or {})


def _check_comparison(comparison, expected: dict) -> None:
    lines = {line.key: line for line in comparison.lines}
    for key, figures in (expected.get("lines") or {}).items():
        for name, value in figures.items():
            assert getattr(lines[key], name) == value, f"lines.{key}.{name}"
    for name, value in (expected.get("total") or {}).items():
        assert getattr(comparison.total, name) == value, f"total.{name}"


def _check_rka(rka, expected: dict) -> None:
    if "total" in expected:
        assert rka.total == expected["total"]
    for wanted in expected.get("lines") or []:
        programs = tuple(wanted["programs"].split())
        found = [line for _, _, line in rka.lines() if line.cohort == wanted["cohort"] and line.programs == programs]
        span = [(month_index(int(m[:4]), int(m[5:])) if isinstance(m, str) else m) for m in (wanted["first"], wanted["last"])]
        found = [line for line in found if (line.first, line.last) == tuple(span)]
        assert len(found) == 1, f"no single line {wanted}"
        (line,) = found
        for key in ("workers", "months", "price", "amount"):
            assert getattr(line, key) == wanted[key], f"{wanted['cohort']} {wanted['first']}: {key}"
    for cohort, spans in (expected.get("cohort_lines") or {}).items():  # every line of a cohort and program, in order
        name, _, program = cohort.partition(" / ")
        got = [(line.workers, line.months, line.price) for _, _, line in rka.lines() if line.cohort == name and line.programs == tuple(program.split())]
        assert got == [tuple(span) for span in spans], cohort


# --- the working, as data -----------------------------------------------------------------------------

def _round(value: Fraction, how: str | None) -> Fraction:
    if how is None:
        return value
    if how == "half_up":  # ucj's one rounding rule: to the whole rupiah, half up (per participant)
        return Fraction((value * 2 + 1) // 2)
    if how == "down_100":  # the JP wage cap: down to the hundred rupiah (PP 45/2015 art. 29)
        return Fraction(value // 100 * 100)
    if how == "down":  # whole workers a budget pays
        return Fraction(value // 1)
    raise AssertionError(f"unknown rounding {how!r}")


OPERATIONS = {
    "product": lambda values: _product(values),
    "sum": lambda values: sum(values, Fraction(0)),
    "difference": lambda values: values[0] - sum(values[1:], Fraction(0)),
    "quotient": lambda values: values[0] / values[1],
}


def _product(values: list[Fraction]) -> Fraction:
    result = Fraction(1)
    for value in values:
        result *= value
    return result


def _lookup(expected: dict, path):
    keys = path if isinstance(path, list) else str(path).split(".")
    value = expected
    for key in keys:
        value = value[key]
    return value


def _redo(steps: dict) -> dict[str, Fraction]:
    done: dict[str, Fraction] = {}
    for name, step in steps.items():
        (operation,) = [key for key in step if key in OPERATIONS]
        values = [done[value] if isinstance(value, str) and value in done else _number(value) for value in step[operation]]
        value = _round(OPERATIONS[operation](values), step.get("round"))
        assert value == _number(step["is"]), f"step {name}: {operation} {step[operation]} = {value} ({float(value):,.4f}), not {step['is']}"
        if "above" in step:
            bound = step["above"]
            assert value > (done[bound] if isinstance(bound, str) and bound in done else _number(bound)), f"step {name}: not above {bound}"
        done[name] = value
    return done


CASE_KEYS = {"title", "kind", "source", "scenario", "year", "replace", "plan", "other", "other_year", "by", "working", "steps", "expected", "id"}
SIMULATION = {"total", "worker_paid", "relief", "by_month", "by_program", "by_payer", "by_funding", "overruns", "cohorts", "by_cohort", "coverage"}
EXPECTED = {"simulate": SIMULATION, "plan": {"cohorts", "added", "schemes", "target", "result"}, "compare": {"lines", "total"},
            "rka": {"total", "lines", "cohort_lines"}}


@pytest.mark.parametrize("case", [case for _, case in CASES], ids=[name for name, _ in CASES])
def test_golden_case(case):
    kind = case.get("kind", "simulate")
    assert kind in KINDS and case.get("title") and case.get("working") and case.get("source"), "a case has a title, a kind, a source and its working"
    assert not set(case) - CASE_KEYS, f"unknown keys {set(case) - CASE_KEYS}"
    expected = case["expected"]
    assert expected and not set(expected) - EXPECTED[kind], f"unknown expected figures {set(expected) - EXPECTED[kind]}"
    assert not set(expected.get("result") or {}) - SIMULATION, "unknown figures under result"
    scenario = _scenario(case)
    if kind == "simulate":
        _check_simulation(simulate(scenario), expected)
    elif kind == "plan":
        options = dict(case.get("plan") or {})
        if "target_coverage" in options:
            options["target_coverage"] = _number(options["target_coverage"])
        _check_plan(plan(scenario, **options), expected)
    elif kind == "compare":
        other = _scenario(case, "other") if "other" in case else scenario.in_year(case["other_year"])
        _check_comparison(compare(simulate(scenario), simulate(other), case.get("by", "cohort")), expected)
    else:
        _check_rka(build(simulate(scenario)), expected)
    steps = case.get("steps") or {}
    done = _redo(steps)
    tied = [name for name, step in steps.items() if "expected" in step]
    assert tied, "at least one step of the working ends at an expected figure (`expected: <path>`)"
    for name in tied:
        assert done[name] == _number(_lookup(expected, steps[name]["expected"])), f"step {name} is not the expected {steps[name]['expected']}"
