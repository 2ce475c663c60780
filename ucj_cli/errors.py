"""Diagnostics: every problem a user can cause, pinned to a place in a file.

Errors, warnings and notes share one shape so that every command prints them the same way
(`file:line:column: severity: what is wrong; what is expected`) and CI can turn them into annotations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True, order=True)
class Mark:
    """A position in a source file, 1-based like editors show it."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """A problem as data: a stable code, its arguments, a position and a severity. The sentence is
    made from the catalogue (`i18n.messages`) in the run's language only when it is shown."""

    mark: Mark
    message: str = ""  # legacy free text, being replaced by code + args
    severity: Severity = "error"
    code: str = ""
    args: tuple[tuple[str, Any], ...] = ()

    @property
    def text(self) -> str:
        """The sentence in the current language."""
        if not self.code:
            return self.message
        from ucj_cli.i18n.messages import render

        return render(self.code, self.args)

    def __str__(self) -> str:
        from ucj_cli.i18n import _

        prefix = "" if self.severity == "error" else f"{_(self.severity)}: "
        code = f" [{self.code}]" if self.code else ""
        return f"{self.mark}: {prefix}{self.text}{code}"


def diagnostic(mark: Mark, code: str, severity: Severity | None = None, **args: Any) -> Diagnostic:
    """`diagnostic(mark, "E-unknown-key", key=Quoted(k), ...)`: the severity follows the code's
    prefix (E- error, W- warning, N- note) unless given."""
    severity = severity or {"E": "error", "W": "warning", "N": "note"}[code[0]]
    return Diagnostic(mark, severity=severity, code=code, args=tuple(sorted(args.items())))


class UcjError(Exception):
    """Base of the errors ucj raises on purpose; anything else is a bug."""


class ScenarioError(UcjError):
    """A scenario cannot be used; carries every problem found, not just the first."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class RuleBookError(UcjError):
    """A rule file is malformed: a defect in the package or in a what-if rule file, not in a scenario."""
