"""A large YAML scenario is read, checked, priced and written one cohort at a time (issue 22,
"Lean"): each of these ways must say exactly what reading the whole document would."""

from __future__ import annotations

import io
import re

import pytest
from conftest import SCENARIOS, invoke_ucj

from ucj_cli import source
from ucj_cli.api import parse_scenario, simulate
from ucj_cli.errors import ScenarioError
from ucj_cli.render.simulation import to_json

HEAD = """name: Lean
year: 2026
workforce: {employed: 100000, covered: 1000}
funding:
  desa: {kind: apbdes, ceiling: 5000000}
  mandiri: {kind: self}
"""
OVERRIDES = "overrides:\n  bpu.income.minimum: {2026-01: 2000000}\n"


def _cohorts(count: int) -> str:
    lines = ["cohorts:"]
    for i in range(count):
        if i % 3 == 0:
            lines.append(f"  - {{name: C{i}, workers: {i % 7}, category: pu, income: {2_000_000 + i % 4 * 10_000}, "
                         f"programs: [jkk, jkm, jht, jp], funding: desa}}")
        else:
            lines.append(f"  - {{name: C{i}, workers: {1 + i % 5}, category: bpu, income: {1_000_000 + i % 3 * 500_000}, "
                         f"funding: mandiri, start: 2026-{1 + i % 6:02d}}}")
    return "\n".join(lines) + "\n"


def _outcome(text: str) -> str:
    """What a run says of `text`: its JSON, or its problems."""
    try:
        return to_json(simulate(parse_scenario(text, "lean.yaml")))
    except ScenarioError as exc:
        return "\n".join(str(item) for item in exc.diagnostics)


def _sections(text: str) -> list[str]:
    return re.split(r"\n(?=[a-z])", text.strip("\n"))


def test_the_cohorts_are_handed_on_as_read_and_never_held():
    seen: list[tuple[list[str], str]] = []
    root = source.parse(HEAD + _cohorts(5) + "signatures: []\n", "lean.yaml",
                        ("cohorts", lambda entries, item: seen.append((list(entries), item.value["name"].node.value))))
    assert [name for _keys, name in seen] == ["C0", "C1", "C2", "C3", "C4"]
    assert all(keys == ["name", "year", "workforce", "funding"] for keys, _name in seen)  # what was read before the list
    assert root.value["cohorts"].node.kind == "seq" and root.value["cohorts"].node.value == []
    assert list(root.value) == ["name", "year", "workforce", "funding", "cohorts", "signatures"]


@pytest.mark.parametrize("text", [
    "a: !!int x\nb: [\n",  # libyaml's complaint after one of ours: libyaml's is reported
    "a: {b: 1, b: 2}\nc: *nowhere\n",  # an undefined alias after a duplicate key
    "a: &x 1\nb: [c, c]\nc: &x 2\n",  # a duplicate anchor
    "cohorts:\n  - {name: A}\n  - {name: B, name: C}\n",  # a duplicate key inside a streamed item
    "cohorts:\n  - {name: A}\ncohorts: []\n",  # the streamed key twice
    "cohorts:\n  - {name: A}\n--- 2\n",  # a second document
    "cohorts:\n  - &a {name: A}\n  - *a\n  - {<<: *a, x: 1}\n",  # aliases into the list
    "cohorts: &all\n  - {name: A}\nagain: *all\n",  # the list named: read whole
    "<<: {year: 1}\ncohorts:\n  - {name: A}\n",  # a merge at the top
    "x: " + "[" * 70 + "1" + "]" * 70 + "\n",  # too deep
])
def test_streamed_or_whole_the_document_reads_the_same(text):
    def outcome(streamed):
        try:
            root = source.parse(text, "doc.yaml", streamed)
        except source.SourceError as exc:
            return str(exc.diagnostic)
        return "read" if root is not None else "empty"

    handed: list[source.Node] = []
    assert outcome(None) == outcome(("cohorts", lambda _entries, item: handed.append(item)))


def _whole(monkeypatch, text: str) -> str:
    """What a run says of `text` read whole, as before cohorts were checked as read."""
    with monkeypatch.context() as patched:
        whole = source.parse
        patched.setattr(source, "parse", lambda text, filename, streamed=None: whole(text, filename))
        return _outcome(text)


def test_a_file_whose_sections_come_after_its_cohorts_is_checked_as_one_that_does_not(monkeypatch):
    """The cohorts are checked as read against the sections before them; when one they depend on
    comes after (an override moving the BPU income range, the funding, the year), the file is read
    again whole, so the figures and the problems are those the whole file gives."""
    cohorts = _cohorts(30)
    usual = HEAD + OVERRIDES + cohorts
    assert "E-income-outside-range" in _outcome(usual) and _outcome(usual) == _whole(monkeypatch, usual)
    head = _sections(HEAD + OVERRIDES)
    for moved in range(len(head)):
        text = "\n".join(head[:moved] + head[moved + 1:]) + "\n" + cohorts + head[moved] + "\n"
        assert _outcome(text) == _whole(monkeypatch, text), head[moved]
    for text in (HEAD + cohorts + "signatures:\n  - {title: Bupati, name: A}\n", "signatures:\n  - {title: Bupati, name: A}\n" + HEAD + cohorts):
        assert _outcome(text).startswith("{") and _outcome(text) == _whole(monkeypatch, text)


def test_problems_of_cohorts_checked_as_read_are_those_of_the_whole_file(monkeypatch):
    text = HEAD + _cohorts(6) + "  - {name: C1, workers: x, category: pu, income: 1, funding: nowhere}\n  - [a]\nextra: 1\n"
    problems = _outcome(text)
    assert "E-duplicate-cohort" in problems and "E-undefined-funding" in problems and "E-unknown-key" in problems
    assert problems == _whole(monkeypatch, text)
    assert _outcome("extra: 1\n" + text) == _whole(monkeypatch, "extra: 1\n" + text)


def test_a_cohorts_figures_are_its_participants_times_its_workers():
    result = simulate(parse_scenario(HEAD + _cohorts(40), "lean.yaml"))
    for item in result.cohorts:
        workers = item.cohort.workers
        assert item.by_month == tuple(sum(p.per_person for p in parts if p.funded) * workers for parts in item.parts)
        assert item.amount == sum(item.by_month) == sum(item.by_program.values())
        assert item.worker_paid == sum(p.per_person for parts in item.parts for p in parts if not p.funded) * workers
    same = [item for item in result.cohorts if item.cohort.category == "pu" and item.cohort.income == 2_000_000]
    assert len({id(item.year) for item in same}) == 1  # cohorts priced alike share one year
    assert result.total == sum(item.amount for item in result.cohorts)


def test_the_scenarios_cohorts_read_as_a_tuple_of_totals():
    result = simulate(parse_scenario(HEAD + _cohorts(12), "lean.yaml"))
    totals = result.by_cohort
    assert len(totals) == 12 and [total.name for total in totals] == [f"C{i}" for i in range(12)]
    assert totals[-1] == totals[11] and totals[2:5] == tuple(totals)[2:5] and totals == tuple(totals)
    assert [total.amount for total in totals] == [item.amount for item in result.cohorts]


@pytest.mark.parametrize("name", ["blitar-2025.yaml", "blitar-2025-desa.yaml", "blitar-2027-what-if.yaml"])
def test_json_written_as_made_is_the_json_text(name):
    result = simulate(parse_scenario((SCENARIOS / name).read_text(), str(SCENARIOS / name)))
    written = io.StringIO()
    assert to_json(result, written) is None
    assert written.getvalue() == to_json(result)


def test_simulate_json_to_a_file_is_what_it_writes_to_standard_output(tmp_path):
    scenario = tmp_path / "lean.yaml"
    scenario.write_text(HEAD + _cohorts(3_000))
    shown = invoke_ucj("simulate", str(scenario), "-q", "-f", "json")
    wrote = invoke_ucj("simulate", str(scenario), "-q", "-f", "json", "-o", str(tmp_path / "out.json"))
    assert shown.returncode == wrote.returncode == 0
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == shown.stdout
