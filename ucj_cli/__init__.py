"""ucj: budget simulator for Universal Coverage Jamsostek (BPJS Ketenagakerjaan) in regional budgets.

The public API is imported lazily so that `ucj --help` stays fast:

    from ucj_cli import load_scenario, simulate, compare
    result = simulate(load_scenario("scenarios/blitar-2025.yaml"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = {
    "load_scenario": "ucj_cli.api",
    "parse_scenario": "ucj_cli.api",
    "rulebook_for": "ucj_cli.api",
    "Scenario": "ucj_cli.model",
    "simulate": "ucj_cli.api",
    "Result": "ucj_cli.engine.pricing",
    "compare": "ucj_cli.api",
    "compare_baseline": "ucj_cli.api",
    "plan": "ucj_cli.api",
    "explain": "ucj_cli.api",
    "Plan": "ucj_cli.engine.plan",
    "path": "ucj_cli.api",
    "Path": "ucj_cli.engine.path",
    "load_rulebook": "ucj_cli.rules.book",
    "RuleBook": "ucj_cli.rules.book",
    "UcjError": "ucj_cli.errors",
    "ScenarioError": "ucj_cli.errors",
    "Diagnostic": "ucj_cli.errors",
}

__all__ = ["__version__", *_API]

if TYPE_CHECKING:  # pragma: no cover
    from ucj_cli.api import compare, compare_baseline, explain, load_scenario, parse_scenario, path, plan, rulebook_for, simulate
    from ucj_cli.engine.pricing import Result
    from ucj_cli.errors import Diagnostic, ScenarioError, UcjError
    from ucj_cli.engine.path import Path
    from ucj_cli.engine.plan import Plan
    from ucj_cli.rules.book import RuleBook, load_rulebook
    from ucj_cli.model import Scenario


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'ucj_cli' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
