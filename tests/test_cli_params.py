"""The light parameter coercion (`cli_params`) gives what Typer's own (pydantic) coercion gives,
value for value and error for error, for every parameter of every command; and `simulate -f json`
imports none of the libraries it does not use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

from ucj_cli.cli.app import app
from ucj_cli.cli.params import Light

SAMPLES = ("json", "JSON", "Table", "nope", "-", "out.json", "", "3", "-1", "x1", "village", "id", "en", "jkk", "2025-03",
           "007", "\u0663", " 2", "+2", "1_0", "2.0", "123456789012345678901234567890")


def _params():
    group = typer.main.get_command(app)
    commands = [(group, "ucj")] + [(command, name) for name, command in group.commands.items()]
    for command, name in commands:
        for param in command.get_params(Context(command)):
            if getattr(param, "type_descriptor", None) is not None and param.type_descriptor.file_annotation is None:
                yield command, f"{name} {param.name}", param


def _outcome(runtime, value, param, ctx):
    try:
        return "value", runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return "error", exc.message


@pytest.mark.parametrize("command,name,param", list(_params()), ids=lambda item: item if isinstance(item, str) else "")
def test_light_coercion_is_typers_coercion(command, name, param):
    descriptor = param.type_descriptor
    light, typers = Light(descriptor.parameter_info, descriptor.annotation, descriptor), build_runtime_param(descriptor)
    ctx = Context(command)
    here = Path(__file__)
    values = [None, param.default, *SAMPLES, str(here), str(here.parent), str(here.parent / "missing" / "x.json"), 0, 2, True, False]
    if descriptor.is_list:
        values += [list(SAMPLES[:3]), ["1", "2"], [1, 2], ()]
    for value in values:
        assert _outcome(light, value, param, ctx) == _outcome(typers, value, param, ctx), (name, value)


@pytest.mark.parametrize("argv", [["simulate", "scenarios/blitar-2025.yaml", "-f", "json", "-q"],
                                  ["validate", "scenarios/blitar-2025.yaml", "--jobs", "1", "-q"]])
def test_simulate_json_and_validate_import_only_what_they_use(argv):
    root = Path(__file__).resolve().parent.parent
    code = (f"import sys; sys.argv = ['ucj', *{argv!r}]\n"
            "from ucj_cli.cli.app import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted({name.split('.')[0] for name in sys.modules} & {'pydantic', 'rich', 'tabulate', 'xlsxwriter'}), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert '"total": ' in done.stdout or argv[0] == "validate"
