"""The layering holds by construction: the core (input checking, rule book, pricing, analyses)
imports no renderer, terminal or CLI library, formats no words and does no I/O of its own; and no
rate is a literal in code. The module lists are derived from the package (see the rule below), so a
module added to the package is checked as soon as it exists."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ucj_cli"

# The rule: every module of the package is core unless it is one of the edge's. The edge is what
# faces a person or the system: command modules (cli*), renderers (report*, render*), writing files
# (output), the batch runner (processes, files), shell completion, the format table, the starter
# text, and the library's entry points (api, the package itself), which load the shipped rule book.
# So a module added to the package is checked as core from the start, unless it is named as edge.
EDGE_PREFIXES = ("cli", "report", "render")
EDGE = {"__init__", "__main__", "api", "output", "batch", "completion", "formats", "starter"}
MODULES = sorted(path.stem for path in PACKAGE.glob("*.py"))
CORE = [name for name in MODULES if name not in EDGE and not name.startswith(EDGE_PREFIXES)]
# The core modules that read files (the rule book, scenario YAML, village CSV, the schema's sources):
# allowed to open what they are given, and nothing else; the rest of the core does no I/O at all.
READS_FILES = {"source", "rules", "scenario", "csv_cohorts", "schema"}
PURE = [name for name in CORE if name not in READS_FILES]
# Where rates are made from the rule files' decimals: the one place `/ 100` and literal Fractions belong.
RATE_MAKERS = {"money", "rules"}
# Findings kept on purpose, each with its reason (module -> {what the check reports: why}).
ALLOWED = {
    "errors": {"ucj_cli.i18n._": "a Diagnostic holds a code and typed arguments; its sentence is made only when it is shown (__str__)"},
    "comparison": {"self.diff * 100": "CompareLine.pct is a change in percent by its definition, not a rate"},
    "source": {"100 * 1024": "MAX_BYTES, a file size limit (100 MiB), not money"},
}
FORBIDDEN_IMPORTS = ("rich", "typer", "tabulate", "xlsxwriter", "openpyxl", "ucj_cli.report", "ucj_cli.render",
                     "ucj_cli.cli", "ucj_cli.output", "ucj_cli.i18n.format")
def _tree(name: str) -> ast.Module:
    path = PACKAGE / f"{name}.py"
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_the_layers_name_modules_that_exist():
    """A module renamed or removed must leave the lists too, or a rule would guard nothing."""
    assert (EDGE | READS_FILES | RATE_MAKERS) <= set(MODULES)
    assert {"engine", "scenario", "rules", "source", "csv_cohorts", "schema", "money", "comparison"} <= set(CORE)


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
    bad = [module for module in _imports(_tree(name)) if (module.startswith(FORBIDDEN_IMPORTS) or module == "ucj_cli.i18n._")
           and module not in ALLOWED.get(name, {})]
    assert not bad, f"{name}.py imports {bad}: the core must stay wordless and renderer-free"


FILE_METHODS = {"read_text", "write_text", "read_bytes", "write_bytes", "open", "iterdir", "glob", "rglob", "mkdir",
                "touch", "unlink", "rmdir", "exists", "is_file", "is_dir", "stat", "resolve"}
IO_MODULES = ("os", "shutil", "subprocess", "tempfile", "importlib.resources", "sys", "io", "pathlib", "glob", "socket", "urllib")


def _io(tree: ast.Module) -> list[str]:
    """Calls that touch the world: print/open/input; a path's or file's methods (Path.read_text,
    .open, ...); any `os.*`/`shutil.*` call; and importing a module made for I/O."""
    found = [f"import {module}" for module in _imports(tree) if module.split(".")[0] in IO_MODULES or module.startswith(IO_MODULES)]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id in {"print", "open", "input", "exec", "eval", "__import__"}:
            found.append(f"{function.id}() at line {node.lineno}")
        elif isinstance(function, ast.Attribute) and function.attr in FILE_METHODS:
            found.append(f".{function.attr}() at line {node.lineno}")
    return found


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_do_no_io(name):
    found = _io(_tree(name))
    assert not found, f"{name}.py does I/O: {found}; pricing and analyses are pure"


def _number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str)) and not isinstance(node.value, bool)


def _literal_rates(tree: ast.Module) -> list[str]:
    """A float literal; `Fraction(...)` of literals (a rate written in code); arithmetic by 100 (a
    percentage made by hand rather than by `money.percent`). Each as its source text, so ALLOWED
    does not depend on line numbers."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            found.append(f"float {node.value!r}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Fraction"
              and node.args and all(_number(arg) for arg in node.args)):
            found.append(ast.unparse(node))
        elif (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.FloorDiv, ast.Mult, ast.Mod))
              and any(isinstance(side, ast.Constant) and side.value == 100 for side in (node.left, node.right))):
            found.append(ast.unparse(node))
    return found


@pytest.mark.parametrize("name", CORE)
def test_no_rate_or_money_literal_in_core(name):
    """Rates and amounts live in the rule book: a float literal, a Fraction of literals or `/ 100` in
    the core is a rate in disguise (money.py and the rule loader make rates from the rule files)."""
    found = [item for item in _literal_rates(_tree(name)) if item not in ALLOWED.get(name, {})
             and (name not in RATE_MAKERS or item.startswith("float"))]
    assert not found, f"{name}.py: {found}"


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


def test_explain_program_choices_are_the_scenario_programs():
    """cli_explain writes the programs out (importing the checker would slow every start): they
    must stay the checker's."""
    from ucj_cli.cli_explain import Program
    from ucj_cli.scenario import PROGRAMS

    assert tuple(item.value for item in Program) == PROGRAMS


def test_the_checks_find_what_they_look_for():
    """The purity and literal checks flag the code they are written for (a check that never fires proves nothing)."""
    code = ast.parse("from pathlib import Path\nimport os\nx = Path('a').read_text()\nr = Fraction(3, 1000)\ny = z / 100\nw = 0.5\n")
    assert _io(code) == ["import pathlib", "import pathlib.Path", "import os", ".read_text() at line 3"]
    assert _literal_rates(code) == ["Fraction(3, 1000)", "z / 100", "float 0.5"]
