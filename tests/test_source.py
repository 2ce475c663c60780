"""The YAML reader's limits: alias and merge-key bombs are refused from the sizes of the nodes they
name, before anything is expanded; plain documents of any size below the input limit are read."""

from __future__ import annotations

import pytest

from ucj_cli import source


def _refused(text: str) -> source.SourceError:
    with pytest.raises(source.SourceError) as caught:
        source.parse(text, "bomb.yaml")
    return caught.value


def test_a_billion_laughs_is_refused_naming_aliases_as_the_cause():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    error = _refused("\n".join(levels) + "\n")
    assert str(error.diagnostic).startswith("bomb.yaml:")
    assert "aliases expand too far" in error.diagnostic.text and "an alias bomb?" in error.diagnostic.text


def test_a_merge_key_bomb_is_refused_too():
    keys = ", ".join(f"k{i}: {i}" for i in range(10))
    levels = [f"m0: &m0 {{{keys}}}"]
    levels += [f"m{n}: &m{n} {{{', '.join(f'x{i}: {{<<: *m{n - 1}}}' for i in range(10))}}}" for n in range(1, 8)]
    assert "aliases expand too far" in _refused("\n".join(levels) + "\n").diagnostic.text


def test_a_recursive_alias_is_refused():
    assert "recursive alias" in _refused("a: &a [1, *a]\n").diagnostic.text


def test_a_large_plain_document_is_never_taken_for_a_bomb(monkeypatch):
    """Values written out are not counted against any node limit (one once refused an 80,000-cohort
    scenario as a bomb); only what aliases repeat is. 20,000 values, none repeated, against a budget
    of a single repeat: read whole."""
    monkeypatch.setattr(source, "MIN_ALIAS_NODES", 1)
    monkeypatch.setattr(source, "ALIAS_RATIO", 0)
    root = source.parse("[" + "1, " * 20_000 + "]\n", "large.yaml")
    assert len(root.value) == 20_000
    assert "aliases expand too far" in _refused("a: &a [1]\nb: [*a, *a]\n").diagnostic.text


def test_defaults_merged_into_every_cohort_are_read_and_shared():
    lines = ["defaults: &d {category: bpu, income: 1000000, funding: a, programs: [jkk, jkm]}", "cohorts:"]
    lines += [f"  - {{<<: *d, name: C{i}, workers: 1}}" for i in range(5_000)]
    root = source.parse("\n".join(lines) + "\n", "merge.yaml")
    cohorts = root.value["cohorts"].node.value
    assert len(cohorts) == 5_000 and cohorts[-1].value["income"].node.value == 1_000_000
    assert cohorts[0].value["programs"].node is cohorts[-1].value["programs"].node  # shared, not copied
