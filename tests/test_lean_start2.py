"""Issue 22 (lean): a JSON simulate builds no explainer, and the faster rounding and rule values are the same as before."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from conftest import SCENARIOS
from ucj_cli.money import round_half_up, rounded
from ucj_cli.rules.book import load_rulebook


@given(st.fractions(), st.integers(0, 9))
def test_rounded_is_half_up_of_the_exact_value(value: Fraction, places: int) -> None:
    whole = round_half_up(abs(value) * 10**places)
    assert rounded(value, places) == Fraction(-whole if value < 0 else whole, 10**places)
    assert rounded(int(value), places) == int(value)


def test_simulate_json_imports_no_explainer() -> None:
    code = ("import sys, io, contextlib\nfrom ucj_cli.cli.app import main\n"
            f"sys.argv = ['ucj', 'simulate', {str(SCENARIOS / 'blitar-2025.yaml')!r}, '-f', 'json', '-q']\n"
            "out = io.StringIO()\ntry:\n    with contextlib.redirect_stdout(out): main()\nexcept SystemExit as exc: assert not exc.code\n"
            "assert out.getvalue().startswith('{')\nprint('ucj_cli.engine.explain' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"  # the explainer's dataclasses are built only by `explain`


def test_rule_values_known_and_assumed() -> None:
    for parameter in load_rulebook().parameters.values():
        for entry, (known, assumed) in zip(parameter.entries, parameter._values):
            assert (known.name, known.value, known.effective, known.origin, known.assumed) == (parameter.name, entry.value, entry.start, entry.origin, False)
            assert assumed == replace(known, assumed=entry.value is not None and entry.origin in ("book", "projection"))



def test_rules_applied_made_once_and_copied() -> None:
    """`rules_applied` entries are made once per rule value (a batch shares the shipped book's) and
    each result gets its own copies: a caller that changes one changes no other result."""
    from ucj_cli.api import load_scenario, simulate
    from ucj_cli.render.simulation import to_dict

    first, second = (to_dict(simulate(load_scenario(str(SCENARIOS / "blitar-2025.yaml")))) for _ in range(2))
    assert first["rules_applied"] == second["rules_applied"] and first["rules_applied"]
    first["rules_applied"][0]["value"] = "changed"
    again = to_dict(simulate(load_scenario(str(SCENARIOS / "blitar-2025.yaml"))))
    assert again["rules_applied"] == second["rules_applied"]
    assert again["rules_applied"][0] is not second["rules_applied"][0]
