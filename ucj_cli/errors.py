"""Diagnostics: every problem a user can cause, pinned to a place in a file.

Errors, warnings and notes share one shape so that every command prints them the same way
(`file:line:column: severity: what is wrong; what is expected`) and CI can turn them into annotations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    mark: Mark
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.mark}: {prefix}{self.message}"


class UcjError(Exception):
    """Base of the errors ucj raises on purpose; anything else is a bug."""


class ScenarioError(UcjError):
    """A scenario cannot be used; carries every problem found, not just the first."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class RuleBookError(UcjError):
    """A rule file is malformed: a defect in the package or in a what-if rule file, not in a scenario."""
