"""Words out of the core: the language of a run, the message catalogue, and number formats.

ucj speaks English and Indonesian. The language is chosen once per run at the edge (the CLI's
`--lang`, else `UCJ_LANG`, else a locale starting with `id`, else English) and every sentence a
person reads is looked up here: diagnostics by their stable code (`messages.py`), labels by their
English text through the standard library's gettext, with the catalogue shipped in the package
(`ucj_cli/locale/id/LC_MESSAGES/ucj.po`, compiled to `ucj.mo` by `make catalogue`). JSON and CSV
keys, codes and values never pass through here: they stay English and stable.
"""

from __future__ import annotations

import gettext as _gettext
import os
from pathlib import Path
from typing import Mapping

LANGUAGES = ("en", "id")
DOMAIN = "ucj"
LOCALEDIR = str(Path(__file__).resolve().parent.parent / "locale")

_current = {"lang": "en", "translation": _gettext.NullTranslations()}


def resolve_language(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """`--lang` if given, else `UCJ_LANG`, else the locale (LC_ALL, LC_MESSAGES, LANG starting with
    `id`), else English. An unknown value falls through to the next source."""
    environ = os.environ if environ is None else environ
    for value in (option, environ.get("UCJ_LANG")):
        if value and value.strip().lower()[:2] in LANGUAGES:
            return value.strip().lower()[:2]
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:  # the first one set decides, as the C library does
            return "id" if value.lower().startswith("id") else "en"
    return "en"


def set_language(lang: str) -> None:
    """Make `lang` the language of this process's output (and of Typer's own labels)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    _current["lang"] = lang
    _current["translation"] = _gettext.translation(DOMAIN, LOCALEDIR, languages=[lang], fallback=True)
    # Typer's help labels ("Options", "Arguments", "Error") call the module-level gettext of the
    # default domain: point it at ucj's catalogue and language.
    _gettext.bindtextdomain(DOMAIN, LOCALEDIR)
    _gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = lang


def language() -> str:
    return _current["lang"]


def _(message: str) -> str:
    """The label `message` (its English text) in the current language."""
    return _current["translation"].gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _current["translation"].ngettext(singular, plural, count)
