"""`ucj schema` and `ucj init`: the scenario format for editors, and a starter file that works."""

from __future__ import annotations

import os
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
    region: Optional[str] = typer.Option(None, "--region", "-r", help="The kabupaten/kota: its name, its Kemendagri code (35.05) or a part of its name only it has."),
    year: Optional[int] = typer.Option(None, "--year", "-y", help="Budget year (default: next year)."),
    villages: Optional[Path] = typer.Option(None, "--villages", help="Also write the region's desa/kelurahan (code, name, kecamatan, an empty workers cell) to this CSV file.", dir_okay=False),
    lang: Optional[Lang] = LANG_OPTION,
) -> None:
    """Write a commented starter scenario (in the chosen language) that validates and simulates."""
    import datetime as dt

    from ucj_cli import regions
    from ucj_cli.cli.common import emit, file_or_stdout
    from ucj_cli.cli.group import usage
    from ucj_cli.errors import suggest
    from ucj_cli.i18n.messages import Choices, Quoted
    from ucj_cli.cli.starter import starter, village_list

    official = None
    if region is not None:
        if not region.strip():  # the starter must validate, and a scenario's region cannot be empty
            usage("E-init-region")
        official, candidates = regions.find_regency(region)
        if official is None and candidates:
            usage("E-init-region-ambiguous", region=Quoted(region), choices=Choices(f"{c.name} ({c.code})" for c in candidates[:8]))
        if official is None:
            names = [item.name for item in regions.of_level("regency")]
            hint = suggest(region, names) or suggest(f"kabupaten {region}", names) or suggest(f"kota {region}", names)
            usage("E-init-region-unknown", region=Quoted(region), hint=hint)
    elif villages is not None:
        usage("E-init-villages-region")
    year = year if year is not None else dt.date.today().year + 1
    output = file_or_stdout(file)
    for path in (output, villages):
        if path is not None and path.exists():
            usage("E-init-exists", path=Quoted(str(path)))
    where = None
    if villages is not None:
        where = Path(os.path.relpath(villages.resolve(), output.resolve().parent)) if output is not None else villages
        if not _utf8(str(where)):  # the starter's `from_csv:` is UTF-8 text, which cannot name this file
            usage("E-init-villages-name", path=Quoted(str(villages)))
    for path in (output, villages):  # every target checked before any is written: all or nothing
        if path is not None:
            _check_folder(path)
    try:
        text = starter(official.name if official else "Kabupaten Contoh", year, region=official, villages=where)
    except ValueError:
        usage("E-init-year", year=Quoted(str(year)))
    if villages is not None:
        emit(village_list(official), villages)
    emit(text, output)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_folder(path: Path) -> None:
    """A missing folder (or a file where the folder should be) refused as writing would refuse it."""
    import errno
    import stat

    from ucj_cli.output import print_diagnostics, write_error

    try:
        if not stat.S_ISDIR(os.stat(path.parent).st_mode):
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
    except OSError as exc:
        error = write_error(path, exc)
        print_diagnostics([error.diagnostic])
        raise typer.Exit(error.exit_code) from None


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
    app.command("init")(init)
