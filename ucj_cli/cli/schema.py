"""`ucj schema` and `ucj init`: the scenario format for editors, and a starter file that works."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ucj_cli.cli.options import LANG_OPTION, Lang


def schema(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of standard output.", dir_okay=False),
    lang: Optional[Lang] = LANG_OPTION,
) -> None:
    """Print a JSON Schema of the scenario format, for editors (yaml-language-server, VS Code)."""
    from ucj_cli.cli.common import emit, file_or_stdout
    from ucj_cli.api import shipped_rules
    from ucj_cli.load.schema import build
    from ucj_cli.render.explain import dumps

    emit(dumps(build(shipped_rules())), file_or_stdout(output))


def init(
    file: Optional[Path] = typer.Argument(None, metavar="[FILE]", help="Where to write the starter scenario (default: standard output).", dir_okay=False),
    region: str = typer.Option("Kabupaten Contoh", "--region", "-r", help="Name of the region."),
    year: Optional[int] = typer.Option(None, "--year", "-y", help="Budget year (default: next year)."),
    lang: Optional[Lang] = LANG_OPTION,
) -> None:
    """Write a commented starter scenario (in the chosen language) that validates and simulates."""
    import datetime as dt

    from ucj_cli.cli.common import emit, file_or_stdout
    from ucj_cli.cli.group import usage
    from ucj_cli.i18n.messages import Quoted
    from ucj_cli.cli.starter import starter

    if not region.strip():  # the starter must validate, and a scenario's region cannot be empty
        usage("E-init-region")
    year = year if year is not None else dt.date.today().year + 1
    output = file_or_stdout(file)
    if output is not None and output.exists():
        usage("E-init-exists", path=Quoted(str(output)))
    try:
        text = starter(region, year)
    except ValueError:
        usage("E-init-year", year=Quoted(str(year)))
    emit(text, output)


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
    app.command("init")(init)
