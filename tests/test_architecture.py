"""The layering holds by construction: the core (input checking, rule book, pricing, analyses)
imports no renderer, terminal or CLI library, formats no words and does no I/O of its own; and no
rate is a literal in code. A module added to the core is checked as soon as it is listed here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ucj_cli"
CORE = ["money", "period", "rules", "scenario", "engine", "explain", "comparison", "places", "plan", "eligibility", "rka"]
PURE = ["money", "period", "engine", "explain", "comparison", "places", "plan", "eligibility", "rka"]  # not even file reading
FORBIDDEN_IMPORTS = ("rich", "typer", "tabulate", "xlsxwriter", "openpyxl", "ucj_cli.report", "ucj_cli.render",
                     "ucj_cli.cli", "ucj_cli.output", "ucj_cli.i18n.format")


def _tree(name: str) -> ast.Module:
    path = PACKAGE / f"{name}.py"
    if not path.exists():
        pytest.skip(f"{name}.py is not part of the package")
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _imports(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return found


@pytest.mark.parametrize("name", CORE)
def test_core_imports_no_renderer_terminal_or_cli(name):
    bad = [module for module in _imports(_tree(name)) if module.startswith(FORBIDDEN_IMPORTS) or module == "ucj_cli.i18n._"]
    assert not bad, f"{name}.py imports {bad}: the core must stay wordless and renderer-free"


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_do_no_io(name):
    calls = [node.func.id for node in ast.walk(_tree(name))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"print", "open", "input"}]
    assert not calls, f"{name}.py calls {calls}: pricing and analyses are pure"


@pytest.mark.parametrize("name", CORE)
def test_no_rate_or_money_literal_in_core(name):
    """Rates and amounts live in the rule book: a float literal in the core is a rate in disguise."""
    floats = [node.lineno for node in ast.walk(_tree(name)) if isinstance(node, ast.Constant) and isinstance(node.value, float)]
    assert not floats, f"{name}.py has float literals at lines {floats}"


def test_numbers_become_text_in_one_place():
    """`i18n/format.py` is the one rupiah and number formatter: no `:,` or hand-made `Rp ` elsewhere."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "format.py" and path.parent.name == "i18n":
            continue
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if ":,}" in line or ":,." in line or '"Rp ' in line or "f\"Rp" in line:
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
