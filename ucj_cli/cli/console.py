"""Where a command's table is drawn: a terminal (its width, colour) or a page (a pipe, a file).

Its own module so that every command module (cli.py, cli_batch.py, ...) uses one console without
importing another command module."""

from __future__ import annotations

import os
import sys


def is_terminal() -> bool:
    """Whether a table is drawn for a terminal (its width, colour) rather than as a page: stdout is
    a terminal, or COLUMNS asks for a width."""
    return sys.stdout.isatty() or "COLUMNS" in os.environ


def plain_page() -> bool:
    """Whether stdout is a page that Rich draws plain: not a terminal, no setting that makes Rich
    treat it as one (FORCE_COLOR, TTY_COMPATIBLE) and a UTF encoding (else Rich draws ASCII boxes).
    A table for it may then be laid out without Rich (`render.simulation.page_table`)."""
    return (not is_terminal() and not os.environ.get("FORCE_COLOR") and not os.environ.get("TTY_COMPATIBLE")
            and (getattr(sys.stdout, "encoding", None) or "utf-8").lower().startswith("utf"))


def console() -> "object":
    """A Rich console for stdout: the terminal's width (or COLUMNS) when there is one; piped or
    saved, as wide as the content, so no line is wrapped and no figure cut. NO_COLOR turns off every
    style, not only colours, so the output is plain text."""
    from rich.console import Console

    from ucj_cli.render.simulation import PAGE_WIDTH

    plain = {"color_system": None} if os.environ.get("NO_COLOR") else {}
    width = {} if is_terminal() else {"width": PAGE_WIDTH}
    return Console(highlight=False, emoji=False, markup=False, **plain, **width)
