"""Options every command shares, so that each command module declares them the same way."""

from __future__ import annotations

from enum import Enum
from typing import Optional

import typer


class Lang(str, Enum):
    id = "id"
    en = "en"


def _set_lang(value: "Optional[Lang]") -> "Optional[Lang]":
    """An explicit --lang; without one, the language `UcjGroup.main` chose (from the command line,
    then UCJ_LANG and the locale) stands."""
    if value is not None:
        from ucj_cli.i18n import set_language

        set_language(value.value)
    return value


LANG_OPTION = typer.Option(None, "--lang", help="Language of the output: id or en (default: UCJ_LANG, else the locale, else en).",
                           callback=_set_lang, is_eager=True, case_sensitive=False)

QUIET_OPTION = typer.Option(False, "--quiet", "-q", help="Leave out notes (the line on unverified rules); warnings and errors stay.")

OUTPUT_OPTION = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of standard output.", dir_okay=False)


def complete_parameters(incomplete: str) -> list[str]:
    """Rule parameter names for shell completion (`--set`, `rules --history`)."""
    from ucj_cli.cli.completion import parameters

    return parameters(incomplete)


SET_OPTION = typer.Option([], "--set", metavar="NAME@YYYY-MM=VALUE", autocompletion=complete_parameters,
                          help="What-if: give a rule parameter a value from a month on, e.g. pu.jp.employer@2027-01=5% (repeatable).")
