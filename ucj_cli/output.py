"""Writing results: atomic files and diagnostics on stderr.

An export is written to a temporary file in the target folder and renamed over the target, so an
interrupted run leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Iterable, TextIO

from ucj_cli.errors import Diagnostic


def write_atomic(path: str | Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically; see `write_atomic_bytes`."""
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename. The folder
    must exist: a mistyped path is an error, not a new folder."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; a result is an ordinary file
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def print_diagnostics(items: Iterable[Diagnostic], stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    for item in items:
        print(item, file=stream)


def github_annotation(item: Diagnostic) -> str:
    """A GitHub Actions workflow command (`::error file=..,line=..,col=..,title=CODE::message`)."""
    level = {"error": "error", "warning": "warning", "note": "notice"}[item.severity]
    message = item.text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    file = item.mark.file.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
    return f"::{level} file={file},line={item.mark.line},col={item.mark.column},title={item.code}::{message}"
