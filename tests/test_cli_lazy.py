"""The `ucj` group builds a command (its parameters read from its function) only when a run asks
for it: `ucj simulate` builds `simulate` alone, `ucj --help` lists every command."""

from __future__ import annotations

import typer.main
from typer._click import Context

from ucj_cli.cli.app import app


def test_a_run_builds_only_the_command_it_names():
    group = typer.main.get_command(app)
    assert group.commands.built == {}
    names = group.list_commands(Context(group))
    assert names[:4] == ["simulate", "compare", "validate", "batch"] and "path" in names
    assert group.commands.built == {}  # listing names builds nothing
    command = group.get_command(Context(group), "simulate")
    assert command.name == "simulate" and list(group.commands.built) == ["simulate"]
    assert group.get_command(Context(group), "simulat") is None


def test_every_command_is_built_when_all_are_asked_for():
    group = typer.main.get_command(app)
    built = dict(group.commands.items())
    assert list(built) == group.list_commands(Context(group)) and all(command.name == name for name, command in built.items())


def test_the_help_lists_every_command_in_the_order_registered():
    from conftest import invoke_ucj

    shown = invoke_ucj("--help").output.split("Commands:")[1]
    names = typer.main.get_command(app).list_commands(None)
    places = [shown.find(f"\n  {name} ") for name in names]
    assert -1 not in places and places == sorted(places), shown


def test_each_command_is_registered_by_the_module_the_app_names_for_it():
    from ucj_cli.cli.app import COMMANDS

    group = typer.main.get_command(app)
    built = dict(group.commands.items())
    assert list(built) == list(COMMANDS)
    assert {name: command.callback.__module__ for name, command in built.items()} == {name: f"ucj_cli.cli.{module}" for name, module in COMMANDS.items()}


def test_a_run_imports_the_module_of_its_own_command_alone():
    import ast
    import subprocess
    import sys

    from conftest import SCENARIOS

    code = ("import sys, io, contextlib\nfrom ucj_cli.cli.app import main\n"
            f"sys.argv = ['ucj', 'simulate', {str(SCENARIOS / 'blitar-2025.yaml')!r}, '-f', 'json', '-q']\n"
            "try:\n    with contextlib.redirect_stdout(io.StringIO()): main()\nexcept SystemExit as exc: assert not exc.code\n"
            "print(sorted(name for name in sys.modules if name.startswith('ucj_cli.cli.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = ast.literal_eval(done.stdout)
    assert "ucj_cli.cli.simulate" in modules and not {"ucj_cli.cli.batch", "ucj_cli.cli.compare", "ucj_cli.cli.explain",
                                                        "ucj_cli.cli.plan", "ucj_cli.cli.path", "ucj_cli.cli.schema"} & set(modules), modules
