"""The layering holds by construction: the core (input checking, rule book, pricing, analyses)
imports no renderer, terminal or CLI library, formats no words and does no I/O of its own; and no
rate is a literal in code. The module lists are derived from the package (see the rule below), so a
module added to the package is checked as soon as it exists."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ucj_cli"

# The house, bottom up: each entry is a layer (a top-level module or a folder); a module may import
# only its own layer and the layers below it, never one above. A new module in a folder is checked
# as that folder's layer from the start; a new top-level module or folder must be placed here.
LAYERS = (
    ("money", "period", "frozen"),  # exact arithmetic, the one rounding rule; calendar months; cheap frozen dataclasses
    ("i18n",),                      # the message catalogue and the one number formatter
    ("errors",),                    # diagnostics as data
    ("source", "output", "regions"),  # reading YAML safely; writing files safely; the official region tables
    ("rules",),                     # the rule book
    ("model",),                     # the checked, frozen scenario
    ("load",),                      # YAML/CSV in, checked model out; schema; the scenario writer
    ("engine",),                    # pricing and the analyses on it (pure)
    ("api",),                       # the library's entry points: one run's book built at the edge
    ("render",),                    # formats: one registry, one dispatch, a module per result kind
    ("cli", "__main__"),            # commands
)
LAYER_OF = {room: number for number, rooms in enumerate(LAYERS) for room in rooms}
MODULES = sorted(".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
                 for path in PACKAGE.rglob("*.py"))
# The core: what must stay wordless, renderer-free and pure (input checking, rules, pricing, analyses).
CORE_ROOMS = ("money", "period", "errors", "source", "regions", "rules", "model", "load", "engine")
CORE = [name for name in MODULES if name.split(".")[0] in CORE_ROOMS]
# The core modules that read files (the rule book, scenario YAML, village CSV, the schema's sources):
# allowed to open what they are given, and nothing else (and the rule book's cache, its own folder
# under XDG_CACHE_HOME); the rest of the core does no I/O at all.
READS_FILES = {"source", "regions", "rules.book", "rules.cache", "load.scenario", "load.csv_cohorts", "load.schema"}
PURE = [name for name in CORE if name not in READS_FILES]
# Where rates are made from the rule files' decimals: the one place `/ 100` and literal Fractions belong.
RATE_MAKERS = {"money", "rules.book"}
# Findings kept on purpose, each with its reason (module -> {what the check reports: why}).
ALLOWED = {
    "errors": {"ucj_cli.i18n._": "a Diagnostic holds a code and typed arguments; its sentence is made only when it is shown (__str__)"},
    "engine.compare": {"self.diff * 100": "CompareLine.pct is a change in percent by its definition, not a rate"},
    "source": {"100 * 1024": "MAX_BYTES, a file size limit (100 MiB), not money"},
}
FORBIDDEN_IMPORTS = ("rich", "typer", "tabulate", "xlsxwriter", "openpyxl", "ucj_cli.render", "ucj_cli.cli",
                     "ucj_cli.output", "ucj_cli.i18n.format")


def _path(name: str) -> Path:
    path = PACKAGE.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _tree(name: str) -> ast.Module:
    path = _path(name)
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_the_layers_name_modules_that_exist():
    """Every room of the package has a layer, and every layer names a room that exists: a module
    renamed or removed must leave the lists too, or a rule would guard nothing."""
    rooms = {name.split(".")[0] for name in MODULES if name != "__init__"}
    assert rooms == set(LAYER_OF), f"rooms without a layer: {rooms - set(LAYER_OF)}; layers without a room: {set(LAYER_OF) - rooms}"
    assert (READS_FILES | RATE_MAKERS) <= set(MODULES)
    assert {"engine.pricing", "load.scenario", "rules.book", "source", "load.csv_cohorts", "model", "money", "engine.compare"} <= set(CORE)


def _package_imports(name: str) -> set[str]:
    """The package's modules `name` imports at run time (inside functions too; not under TYPE_CHECKING)."""
    tree = _tree(name)
    skipped = {id(node) for top in ast.walk(tree) if isinstance(top, ast.If) and "TYPE_CHECKING" in ast.unparse(top.test)
               for statement in top.body for node in ast.walk(statement)}
    package = name if _path(name).name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(["ucj_cli", *base, *([node.module] if node.module else [])])
            else:
                prefix = node.module or ""
            targets = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if target == "ucj_cli" or not target.startswith("ucj_cli."):
                continue
            module = target.removeprefix("ucj_cli.")
            while module and module not in MODULES:
                module = module.rpartition(".")[0]
            if module and module != name:
                found.add(module)
    return found


GRAPH = {name: _package_imports(name) for name in MODULES}


def _layer(name: str) -> int:
    return LAYER_OF[name.split(".")[0]] if name != "__init__" else len(LAYERS)


@pytest.mark.parametrize("name", [name for name in MODULES if name != "__init__"])
def test_a_layer_imports_only_the_layers_below_it(name):
    upward = sorted(target for target in GRAPH[name] if _layer(target) > _layer(name))
    assert not upward, f"{name} imports {upward} from a layer above its own ({name.split('.')[0]})"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_loop_anywhere_in_the_package():
    assert _cycles(GRAPH) == []


@pytest.mark.parametrize("name", [name for name in MODULES if name.startswith("cli.")])
def test_commands_go_through_the_library_api(name):
    """One run: a command reads its scenario (and the run's one book with it) and prices, compares,
    plans and explains through `ucj_cli.api`, never around it; it loads no rule book of its own."""
    around = sorted(target for target in GRAPH[name] if target.split(".")[0] == "engine")
    assert not around, f"{name} imports {around}: commands reach the engine through ucj_cli.api"
    calls = {node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
             for node in ast.walk(_tree(name)) if isinstance(node, ast.Call)}
    assert "load_rulebook" not in calls, f"{name} loads a rule book: the run's book comes with its scenario (api.shipped_rules)"


def test_the_loop_and_layer_checks_find_what_they_look_for():
    """A loop and an upward import are found (a check that never fires proves nothing)."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _layer("engine.pricing") > _layer("load.scenario") > _layer("model") > _layer("rules.book")
    assert "load.scenario" in GRAPH["engine.eligibility"] or "model" in GRAPH["engine.eligibility"]


def test_every_registered_renderer_exists():
    """The registry names renderers as text: each must import and be callable."""
    import importlib

    from ucj_cli.render.registry import COMMANDS, FORMATS, RENDERERS

    for kind, table in RENDERERS.items():
        for name, renderer in table.items():
            module, _, function = renderer.target.partition(":")
            assert name in FORMATS and callable(getattr(importlib.import_module(module), function)), (kind, name)
    assert all(kind in RENDERERS for kinds in COMMANDS.values() for kind in kinds)


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
    from ucj_cli.cli.explain import Program
    from ucj_cli.model import PROGRAMS

    assert tuple(item.value for item in Program) == PROGRAMS


def test_the_checks_find_what_they_look_for():
    """The purity and literal checks flag the code they are written for (a check that never fires proves nothing)."""
    code = ast.parse("from pathlib import Path\nimport os\nx = Path('a').read_text()\nr = Fraction(3, 1000)\ny = z / 100\nw = 0.5\n")
    assert _io(code) == ["import pathlib", "import pathlib.Path", "import os", ".read_text() at line 3"]
    assert _literal_rates(code) == ["Fraction(3, 1000)", "z / 100", "float 0.5"]
