"""Options every command shares, so that each command module declares them the same way."""

from __future__ import annotations

from enum import Enum
from typing import Optional

import typer


class Lang(str, Enum):
    id = "id"
    en = "en"


def _set_lang(value: "Optional[Lang]") -> "Optional[Lang]":
    from ucj_cli.i18n import resolve_language, set_language

    set_language(resolve_language(value.value if value else None))
    return value


LANG_OPTION = typer.Option(None, "--lang", help="Language of the output: id or en (default: UCJ_LANG, else the locale, else en).",
                           callback=_set_lang, is_eager=True, case_sensitive=False)
