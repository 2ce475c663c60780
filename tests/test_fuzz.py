"""Fuzzing: valid scenarios and CSV village lists, mutated the ways files are really broken (keys
deleted or misspelt, types swapped, numbers out of range, control characters, newlines in keys and
values, a BOM, CRLF, tabs, anchors, merge keys, unsafe tags, truncation, random bytes).

Whatever comes in: no traceback; a rejection exits 2 and every line it prints starts with
`file:line:column:`; an accepted input gives JSON whose parts add up to its total. `make test` runs
a modest number of examples; `make fuzz` runs 10,000 (HYPOTHESIS_PROFILE=fuzz).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SCENARIOS, invoke_ucj

settings.register_profile("default-fuzz", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROFILE = "fuzz" if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else "default-fuzz"

BASE = (SCENARIOS / "blitar-2025.yaml").read_text(encoding="utf-8")
CSV_SCENARIO = (SCENARIOS / "blitar-2025-desa.yaml").read_text(encoding="utf-8")
CSV_FILES = {path.name: path.read_bytes() for path in (SCENARIOS / "data" / "blitar-2025").glob("*.csv")}
POSITIONED = re.compile(r"^(?:<stdin>|[^\n]+?):\d+:\d+: ")
VALUES = [
    "", "~", "-1", "0", "1e9", "0x10", "010", "1.5", "1_000_000", "1.000.000", "99999999999999999999999", "true", "no",
    "[a, b]", "{a: 1}", "'\x1b[2J'", '"x\\ny"', "&a 1", "*a", "*undefined", "<<: *a", "!!python/object/apply:os.system [ls]",
    "!!binary aGVsbG8=", "!custom x", "2025-13", "2024-05", "2025-04-01", "\t", "| \n  block", "'unclosed", ".nan", ".inf",
    "kader", "pu", "bpu", "apbdes", "very_high", "[jkk, jkm, jht, jp]", "\u202e", "\ufeff", "f\n",
]
KEYS = ["name", "year", "workforce", "employed", "covered", "funding", "cohorts", "workers", "category", "income",
        "programs", "risk", "start", "months", "ceiling", "relief", "from_csv", "transport", "<<", "colour"]


def _mutate(text: str, operations: list[tuple[str, int, str]]) -> bytes:
    """Apply each operation at a place chosen by its number; return the bytes to write."""
    data = text
    raw = None
    for op, where, value in operations:
        lines = data.split("\n")
        line = where % max(1, len(lines))
        position = where % max(1, len(data) + 1)
        if op == "delete-line":
            del lines[line]
        elif op == "duplicate-line":
            lines.insert(line, lines[line])
        elif op == "typo-key":
            lines[line] = re.sub(r"\b([a-z_]{3,})\b", lambda m: m.group(1)[1] + m.group(1)[0] + m.group(1)[2:], lines[line], count=1)
        elif op == "set-value":
            lines[line] = re.sub(r":( .*)?$", ": " + value, lines[line], count=1) if ":" in lines[line] else value
        elif op == "set-key":
            lines[line] = re.sub(r"^(\s*-?\s*)[A-Za-z_]+:", lambda m: m.group(1) + KEYS[where % len(KEYS)] + ":", lines[line], count=1)
        elif op == "insert":
            data = data[:position] + value + data[position:]
            continue
        elif op == "control":
            data = data[:position] + chr(where % 32) + data[position:]
            continue
        elif op == "anchor":
            lines[line] = re.sub(r": (\S)", r": &a \1", lines[line], count=1)
        elif op == "tabs":
            data = data.replace("  ", "\t")
            continue
        elif op == "crlf":
            data = data.replace("\n", "\r\n")
            continue
        elif op == "bom":
            data = "\ufeff" + data
            continue
        elif op == "truncate":
            data = data[:position]
            continue
        elif op == "bytes":
            raw = (raw or data.encode("utf-8", "surrogatepass"))
            cut = where % max(1, len(raw))
            raw = raw[:cut] + bytes((where * 7 + i * 13) % 256 for i in range(where % 7 + 1)) + raw[cut + 3:]
            continue
        data = "\n".join(lines)
    return raw if raw is not None else data.encode("utf-8", "surrogatepass")


OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["delete-line", "duplicate-line", "typo-key", "set-value", "set-key", "insert", "control",
                               "anchor", "tabs", "crlf", "bom", "truncate", "bytes"]),
              st.integers(0, 10**6), st.sampled_from(VALUES)),
    min_size=1, max_size=4,
)


def _check(folder: Path, scenario: Path) -> None:
    run = invoke_ucj("simulate", str(scenario), "--format", "json")  # an exception is not caught: it fails the test
    assert "Traceback" not in run.output
    if run.returncode == 0:
        result = json.loads(run.stdout)
        total = result["total"]
        assert sum(month["amount"] for month in result["by_month"]) == total
        assert sum(result["by_program"].values()) == total
        assert sum(item["amount"] for item in result["by_funding"].values()) == total
        assert sum(item["amount"] for item in result["cohorts"]) == total
        assert all(sum(item["by_program"].values()) == sum(item["by_month"]) == item["amount"] for item in result["cohorts"])
        assert all(sum(group["amount"] for group in item["groups"]) == item["amount"] for item in result["cohorts"] if "groups" in item)
        return
    assert run.returncode == 2, run.output
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert lines, "a rejection says why"
    for line in lines:
        assert POSITIONED.match(line), line


@settings(settings.get_profile(PROFILE))
@given(OPERATIONS)
def test_a_mutated_scenario_is_priced_or_refused_at_a_place(operations):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.yaml"
        path.write_bytes(_mutate(BASE, operations))
        _check(Path(folder), path)


@settings(settings.get_profile(PROFILE))
@given(OPERATIONS, st.sampled_from(sorted(CSV_FILES)), st.booleans())
def test_a_mutated_village_list_is_priced_or_refused_at_a_place(operations, name, mutate_scenario):
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data" / "blitar-2025"
        data.mkdir(parents=True)
        for file, content in CSV_FILES.items():
            (data / file).write_bytes(content)
        text = CSV_FILES[name].decode("utf-8")
        (data / name).write_bytes(_mutate(text, operations))
        path = Path(folder) / "s.yaml"
        path.write_bytes(_mutate(CSV_SCENARIO, operations[:1]) if mutate_scenario else CSV_SCENARIO.encode())
        _check(Path(folder), path)
