"""What runs of one process share (issue 22, "Lean") must never change what a run says."""

from __future__ import annotations

import io
import json
import random

import pytest

from conftest import SCENARIOS

from ucj_cli.api import load_scenario, simulate
from ucj_cli.errors import ScenarioError
from ucj_cli.i18n import RuleText
from ucj_cli.render.simulation import Items, Laid, dump, dumps

SCENARIO = """name: S
year: 2025
workforce: {employed: 1000, covered: 10}
funding: {desa: {kind: apbdes}}
cohorts:
  - {name: Kader, category: bpu, income: 1000000, funding: desa, from_csv: v.csv}
"""


def test_a_csv_file_read_again_after_an_edit_is_read_anew(tmp_path):
    """Rows are checked once per process for the same file and terms; an edit of the same size
    within one clock tick is still seen (the file's bytes are part of its identity)."""
    (tmp_path / "s.yaml").write_text(SCENARIO)
    (tmp_path / "t.yaml").write_text(SCENARIO.replace("name: S", "name: T"))
    (tmp_path / "v.csv").write_text("village,district,workers\nA,K,5\nB,K,7\n")
    first, second = load_scenario(str(tmp_path / "s.yaml")), load_scenario(str(tmp_path / "t.yaml"))
    assert first.cohorts[0].workers == second.cohorts[0].workers == 12
    assert first.cohorts[0].mark.file.endswith("s.yaml") and second.cohorts[0].mark.file.endswith("t.yaml")
    assert simulate(first).total == simulate(second).total
    (tmp_path / "v.csv").write_text("village,district,workers\nA,K,6\nB,K,7\n")
    assert load_scenario(str(tmp_path / "s.yaml")).cohorts[0].workers == 13
    (tmp_path / "v.csv").write_text("village,district,workers\nA,K,x\nB,K,7\n")
    for _ in range(2):  # the problems of a file read before are reported again, at the same cells
        with pytest.raises(ScenarioError) as caught:
            load_scenario(str(tmp_path / "s.yaml"))
        assert any(item.mark.file.endswith("v.csv") and item.mark.line == 2 for item in caught.value.diagnostics)


def test_json_is_written_as_json_dumps_writes_it():
    rng = random.Random(22)

    shared = Laid({"name": "pu.jkk", "value": "0.24%", "assumed_after": None, "unverified": False, "texts": [1, {"é": 2}]})

    def value(depth: int):
        roll = rng.random()
        if roll < 0.05:  # a rule value's JSON in a document only laid out: its text made once per depth
            return shared
        if depth > 4 or roll < 0.4:
            return rng.choice([0, -5, 10**30, 2.25, 1e300, -0.0, None, True, False, "", "é\n\"\u2028\x01", RuleText("PP 44/2015", "id")])
        if roll < 0.7:
            return {rng.choice(["a", "b", "ü", RuleText("k")]): value(depth + 1) for _ in range(rng.randint(0, 4))}
        return [value(depth + 1) for _ in range(rng.randint(0, 4))] if roll < 0.85 else tuple(value(depth + 1) for _ in range(rng.randint(0, 3)))

    for _ in range(2_000):
        data = value(0)
        assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert len(shared.texts) > 2  # written again, at several depths, from its text
    for odd in ({1: 2}, float("nan"), [float("inf")], {"a": {(1, 2)}}.get("b")):
        assert dumps(odd) == json.dumps(odd, ensure_ascii=False, indent=2) + "\n"
    for count in (0, 1, 3):  # written as made (`dump`, a result to a file): the same text
        data = [value(0) for _ in range(count)]
        stream = io.StringIO()
        dump({"head": data, "items": Items(iter(data), stream), "tail": [{"more": Items(iter(data), stream)}]}, stream)
        assert stream.getvalue() == dumps({"head": data, "items": data, "tail": [{"more": data}]})


def test_a_result_laid_out_as_json_is_its_mapping_and_leaves_callers_their_own():
    """to_json lays the shared rule values out once (Laid) and writes what to_dict's mapping is;
    to_dict's callers still get rules_applied entries of their own."""
    from ucj_cli.render.simulation import to_dict, to_json

    results = [simulate(load_scenario(str(SCENARIOS / name))) for name in ("blitar-2025.yaml", "blitar-2026.yaml", "blitar-2025.yaml")]
    for result in results:
        assert to_json(result) == json.dumps(to_dict(result), ensure_ascii=False, indent=2) + "\n"
        assert all(type(entry) is dict for entry in to_dict(result)["rules_applied"])
