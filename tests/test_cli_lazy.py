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
