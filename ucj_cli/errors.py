"""Diagnostics: every problem a user can cause, pinned to a place in a file.

Errors, warnings and notes share one shape so that every command prints them the same way
(`file:line:column: [severity: ]what is wrong; what is expected [code]`) and CI can turn them into
annotations. A diagnostic holds no words: a code and typed arguments; `i18n.messages` makes the
sentence in the run's language when it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Literal

from ucj_cli.frozen import frozen

if TYPE_CHECKING:
    from ucj_cli.i18n.messages import Phrase

Severity = Literal["error", "warning", "note"]


@frozen(order=True)
class Mark:
    """A position in a source file, 1-based like editors show it."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:  # the name escaped: a newline or an ESC in it cannot break the line
        from ucj_cli.i18n.messages import file_name

        return f"{file_name(self.file)}:{self.line}:{self.column}"


@frozen
class Diagnostic:
    """A problem as data: a stable code, its arguments, a position and a severity. The sentence is
    made from the catalogue (`i18n.messages`) in the run's language only when it is shown."""

    mark: Mark
    code: str
    args: tuple[tuple[str, Any], ...] = ()
    severity: Severity = "error"

    def __post_init__(self) -> None:
        from ucj_cli.i18n.messages import MESSAGES

        if self.code not in MESSAGES:
            raise ValueError(f"unknown diagnostic code {self.code!r}; add it to i18n/messages.py")

    @property
    def text(self) -> str:
        """The sentence in the current language."""
        from ucj_cli.i18n.messages import render

        return render(self.code, self.args)

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON reports: the code, position and arguments stay the same in every
        language; `message` is the sentence in the run's language."""
        from ucj_cli.i18n.messages import file_name, plain

        return {
            "code": self.code, "severity": self.severity, "file": file_name(self.mark.file, json=True), "line": self.mark.line,
            "column": self.mark.column, "message": self.text, "args": {name: plain(value) for name, value in self.args},
        }

    def __str__(self) -> str:
        from ucj_cli.i18n import _

        prefix = {"error": "", "warning": f"{_('warning')}: ", "note": f"{_('note')}: "}[self.severity]
        return f"{self.mark}: {prefix}{self.text} [{self.code}]"


def diagnostic(mark: Mark, code: str, severity: Severity | None = None, **args: Any) -> Diagnostic:
    """`diagnostic(mark, "E-unknown-key", key=Quoted(k), ...)`: the severity follows the code's
    prefix (E- error, W- warning, N- note) unless given."""
    severity = severity or {"E": "error", "W": "warning", "N": "note"}[code[0]]
    return Diagnostic(mark, code, tuple(sorted(args.items())), severity)


class UcjError(Exception):
    """Base of the errors ucj raises on purpose (anything else is a bug); carries its problems as
    diagnostics, so every command reports them the same way."""

    def __init__(self, diagnostics: "list[Diagnostic] | tuple[Diagnostic, ...]") -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class ScenarioError(UcjError):
    """A scenario cannot be used; carries every problem found, not just the first."""


class RuleBookError(UcjError):
    """A rule file is malformed: a defect in the package or in a what-if rule file, not in a scenario."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__([diagnostic])


def suggest(word: object, options: Iterable[str]) -> Phrase | str:
    """`did you mean 'x'? ` for the closest option (case, one typo or one swapped pair), or ''."""
    from ucj_cli.i18n.messages import Phrase, Quoted

    text = str(word).strip().lower()
    best = None
    for option in options:
        distance = _distance(text, option.lower())
        if distance <= max(1, len(option) // 3) and (best is None or distance < best[0]):
            best = (distance, option)
    return Phrase("did you mean {option}? ", option=Quoted(best[1])) if best else ""


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit (optimal string alignment)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]
