"""Shell completion values (`ucj --install-completion`): rule parameter names for `--history` and
`--set`, cohort names of the scenario on the command line for `--cohort`. A completion never fails:
a file that does not load simply completes nothing."""

from __future__ import annotations

import os
import shlex
from pathlib import Path


def parameters(incomplete: str) -> list[str]:
    """Rule parameter names starting with `incomplete` (for --set, also the `@` that follows)."""
    from ucj_cli.api import shipped_rules

    try:
        names = sorted(shipped_rules().parameters)
    except Exception:  # noqa: BLE001 - completion must never print a traceback into the shell
        return []
    return [name for name in names if name.startswith(incomplete)]


def cohorts(file: str | None, incomplete: str) -> list[str]:
    """Cohort names of the scenario FILE on the command line. While the line is incomplete the
    parser may not have FILE yet; then the first word the shell passed (COMP_WORDS for bash,
    _TYPER_COMPLETE_ARGS for zsh, fish and PowerShell) that names an existing file is used."""
    from ucj_cli.api import load_scenario

    path = file if file and Path(file).is_file() else next((w for w in _shell_words() if not w.startswith("-") and Path(w).is_file()), None)
    if path is None:
        return []
    try:
        names = [cohort.name for cohort in load_scenario(path).cohorts]
    except Exception:  # noqa: BLE001 - as above
        return []
    return [name for name in names if name.startswith(incomplete)]


def _shell_words() -> list[str]:
    text = os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS", "")
    try:
        return shlex.split(text)
    except ValueError:  # an unclosed quote in the word being completed
        return text.split()
