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
import re
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
    # English is the catalogue's own language (its message ids): no file to look for (~1 ms a start).
    _current["translation"] = (_gettext.NullTranslations() if lang == "en"
                               else _gettext.translation(DOMAIN, LOCALEDIR, languages=[lang], fallback=True))
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


class RuleText(str):
    """A rule book text (a description, reference or reason) in English, carrying its Indonesian
    from the rule data (`description_id:`, `reference_id:`, `unverified_id:`). It is the English
    everywhere data is written (JSON, CSV); `local` shows it in the run's language."""

    def __new__(cls, english: str, indonesian: str | None = None) -> "RuleText":
        text = super().__new__(cls, english)
        text.indonesian = indonesian
        return text

    def __reduce__(self):  # pickled to and from batch workers with its Indonesian
        return (RuleText, (str(self), self.indonesian))


_ARTICLE = re.compile(r"\barts?\. ?([0-9]+[A-Z]?)((?:\([0-9a-z]+\))*)(-\([0-9a-z]+\)|-[0-9]+[A-Z]?)?")


def _article(match: "re.Match[str]") -> str:
    """`art. 121(1)(b)` -> `Pasal 121 ayat (1) huruf b`; `art. 20(1)-(2)` -> `Pasal 20 ayat (1)-(2)`."""
    number, parts, upto = match.group(1), re.findall(r"\(([0-9a-z]+)\)", match.group(2) or ""), match.group(3) or ""
    text = f"Pasal {number}"
    if upto.startswith("-") and not upto.startswith("-(") and not parts:
        return f"Pasal {number}{upto}"
    for index, part in enumerate(parts):
        if part.isdigit() and index == 0:
            text += f" ayat ({part})"
        elif part.isdigit():
            text += f" angka {part}"
        else:
            text += f" huruf {part}"
    return text + upto


def reference_style(text: str) -> str:
    """A reference in Indonesian legal style: `art.` written as `Pasal ... ayat ... huruf ...`."""
    return _ARTICLE.sub(_article, text)


def local(text: object) -> str:
    """Rule text in the run's language: its Indonesian (articles in Indonesian style) in an
    Indonesian run, else the English."""
    if _current["lang"] != "id":
        return str(text)
    indonesian = getattr(text, "indonesian", None)
    return reference_style(indonesian or str(text))
