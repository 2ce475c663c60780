"""The message catalogue's index: every diagnostic code with its English sentence.

A diagnostic is data (`errors.Diagnostic`: code, arguments, position, severity); its sentence is made
only when a person reads it, in the language of the run. The English template below is the gettext
msgid; `ucj_cli/locale/id/LC_MESSAGES/ucj.po` gives the Indonesian. Arguments are typed so that each
language formats them its own way (`Rupiah(1300000)` -> `Rp 1,300,000` / `Rp1.300.000`) and text a
user typed is shown escaped (`Quoted`), so a value holding a newline never breaks a
`file:line:column:` line.

Codes are stable: `E-` errors, `W-` warnings, `N-` notes. The README lists them all; a test proves
each has a sentence in both languages and each entry is used.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ucj_cli.i18n import _, format as fmt


class Rupiah(int):
    """Whole rupiah, formatted per language."""


class Count(int):
    """A count of people or items, with thousands separators."""


class Quoted(str):
    """Text a user typed: shown in quotes with control characters escaped."""


class Ratio(Fraction):
    """A ratio shown as a percentage with two decimals (coverage)."""


class Rate(Fraction):
    """A contribution rate shown exactly as the regulation writes it (0.445%)."""


class Month(int):
    """A month index (year * 12 + month - 1), shown as `Maret 2025` / `March 2025`."""


class Choices(tuple):
    """A list of allowed values, shown comma-separated."""


class Label(str):
    """An English label (a word, a unit) translated through the catalogue."""


def show(value: Any) -> str:
    """One argument as text in the current language."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Rupiah):
        return fmt.rupiah(int(value))
    if isinstance(value, Count):
        return fmt.number(int(value))
    if isinstance(value, Quoted):
        return f"'{fmt.safe(value)}'"
    if isinstance(value, Rate):
        return fmt.rate(Fraction(value))
    if isinstance(value, Ratio):
        return fmt.percent(Fraction(value))
    if isinstance(value, Month):
        return fmt.month_name(int(value))
    if isinstance(value, Choices):
        return ", ".join(fmt.safe(item) for item in value)
    if isinstance(value, Label):
        return _(str(value))
    return fmt.safe(value)


# code -> English sentence (the gettext msgid). One line each; keep the list sorted by code within
# each group so that merges stay clean.
MESSAGES: dict[str, str] = {
    # --- placeholders kept while older call sites are converted (removed when none is left) ---
}


def render(code: str, args: tuple[tuple[str, Any], ...]) -> str:
    """The sentence for `code` in the current language, with its arguments filled in."""
    template = _(MESSAGES[code])
    return template.format(**{name: show(value) for name, value in args})
