"""A cache of plain values under `$XDG_CACHE_HOME/ucj` (default `~/.cache/ucj`), never required.

Reading and checking the shipped rule book's 22 files was a tenth of a cold `ucj simulate`; the
checked book is kept here (`rules.book` says what it holds) under a key naming everything it was
made from: ucj's version and the size and CRC-32 of each rule file and of each module that reads
them (a CRC-32 changes with any edit of up to four bytes in a row, a size with any insertion; these
are the package's own files, not an adversary's). A value is used only under the same key.

A cache file is one line of JSON (the key, and the CRC-32 of the rest) and then the value as JSON,
which holds no code: plain lists, strings, numbers, true/false and null, which the caller checks
again as it rebuilds its objects. The folder is treated as any file system a user may not control:
a file is read only when it is a regular file (a link is not followed), owned by this user and
writable by no one else, of a sensible size, under the same key and intact; anything else (garbage
bytes, a FIFO, a folder that cannot be written) is the same as no cache: the caller reads its files
and the next run tries again. A file is written to a temporary file created anew (never through a
link), then renamed over the old one, so a reader sees a whole file or none; the temporary file is
removed if anything fails. Someone who can write files as this user could put other values there,
as they could change ucj itself: that is beyond what a cache can guard against.
"""

from __future__ import annotations

import json
import os
import stat
import zlib
from typing import Any, Iterable

MAX_BYTES = 4 * 1024 * 1024  # the rule book's is ~0.1 MiB; a larger file is not one ucj wrote


def folder() -> str | None:
    """`$XDG_CACHE_HOME/ucj` (an absolute path, as the XDG specification asks), else `~/.cache/ucj`;
    None when neither is known, where files have no owner to check (not POSIX), or when
    `UCJ_NO_CACHE` is set (for a run that must read every rule from its file)."""
    if os.name != "posix" or os.environ.get("UCJ_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "ucj")


def fingerprint(name: str, data: bytes) -> list[Any]:
    """A file's part of a key: its name, size and CRC-32."""
    return [name, len(data), zlib.crc32(data)]


def modules_fingerprint(paths: Iterable[str]) -> list[Any] | None:
    """The key's part for the modules that make a cached value (their source files); None when one
    cannot be read (a cache keyed without it could outlive a change of the code)."""
    found = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                found.append(fingerprint(os.path.basename(path), handle.read()))
        except OSError:
            return None
    return found


def read(name: str, key: list[Any]) -> Any:
    """The value stored as `name` under `key`, or None (no cache, another key, anything amiss)."""
    where = folder()
    if where is None:
        return None
    try:
        handle = os.open(os.path.join(where, name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022 or info.st_size > MAX_BYTES:
            return None
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(handle)
    head, _, body = data.partition(b"\n")
    try:
        header = json.loads(head)
        if type(header) is not dict or header.get("key") != key or header.get("crc") != zlib.crc32(body):
            return None
        return json.loads(body)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, nested beyond reason
        return None


def write(name: str, key: list[Any], value: Any) -> None:
    """Store `value` (plain JSON values) as `name` under `key`, replacing any older one; a folder
    that cannot be made or written is left as it is."""
    where = folder()
    if where is None:
        return
    body = json.dumps(value, separators=(",", ":")).encode("ascii")
    data = json.dumps({"key": key, "crc": zlib.crc32(body)}, separators=(",", ":")).encode("ascii") + b"\n" + body
    temporary = None
    try:
        os.makedirs(where, mode=0o700, exist_ok=True)
        path = os.path.join(where, f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        temporary = path  # ours from here: removed below if anything fails
        try:
            with os.fdopen(handle, "wb", closefd=False) as stream:
                stream.write(data)
        finally:
            os.close(handle)
        os.replace(temporary, os.path.join(where, name))
        temporary = None
    except OSError:
        pass
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
