"""Writing results without ever losing a file: atomic exports, safe targets, clean errors.

A regular file is written to a temporary file in its folder and renamed over it, so an interrupted
run leaves the old file or the new one, never half of one. A link is written through to its target
(the link stays a link); a FIFO or a character device (`/dev/null`, a terminal) is streamed to, since
it cannot be replaced; any other special file is refused, as is a target that is one of the run's
inputs. Every failure of the operating system becomes an `OutputError` carrying a coded diagnostic
and its exit code (README, "Exit codes"), so no command ends in a traceback because a disk is full,
a folder is read-only or a reader closed its pipe.
"""

from __future__ import annotations

import atexit
import errno
import functools
import itertools
import os
import re
import shutil
import stat
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, TextIO

from ucj_cli.errors import Diagnostic, Mark, UcjError, diagnostic

EXIT_REFUSED = 2  # the target is an input or a special file: a usage error
EXIT_WRITE = 3  # the system would not let the result be written (full disk, read-only, closed pipe)


class OutputError(UcjError):
    """A result could not be written; `diagnostic` says why, `exit_code` is what the command returns."""

    def __init__(self, item: Diagnostic, exit_code: int = EXIT_WRITE) -> None:
        self.diagnostic = item
        self.exit_code = exit_code
        super().__init__([item])


def write_error(path: str | Path, exc: OSError) -> OutputError:
    """The coded error for an OSError met while writing `path`."""
    where = Mark(str(path))
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(diagnostic(where, "E-output-full"))
    if exc.errno == errno.EPIPE or isinstance(exc, BrokenPipeError):
        return OutputError(diagnostic(where, "E-output-closed"))
    if exc.errno == errno.EBADF and str(path) == "<stdout>":
        return OutputError(diagnostic(where, "E-output-no-stdout"))
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):  # a mistyped folder is a usage error, not a new folder
        return OutputError(diagnostic(where, "E-output-no-folder", reason=exc.strerror or "No such file or directory"), EXIT_REFUSED)
    reason = exc.strerror or exc.__class__.__name__
    return OutputError(diagnostic(where, "E-output-write", reason=reason))


def refuse_inputs(target: str | Path, inputs: Iterable[str | Path]) -> None:
    """Refuse to write over a file the run reads (the scenario, its CSV files): exit 2."""
    for item in inputs:
        if _same_file(target, item):
            raise OutputError(diagnostic(Mark(str(target)), "E-output-is-input"), EXIT_REFUSED)


def file_identity(path: str | Path) -> tuple[int, int] | None:
    """(device, inode) of the file `path` leads to (through links), or None when there is none."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _kind(path: Path) -> str | None:
    """'regular' or 'stream' (FIFO, character device) for a writable target, 'missing' for a new
    file; None for anything else (a folder, a socket, a block device)."""
    try:
        mode = os.stat(path).st_mode  # follows links: what matters is what the link points to
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        raise write_error(path, exc) from None
    if stat.S_ISREG(mode):
        return "regular"
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return "stream"
    return None


def _writable_kind(target: Path) -> str:
    """`_kind` of a target ucj may write; a folder or another special file is refused."""
    kind = _kind(target)
    if kind is None:
        from ucj_cli.i18n.messages import Label

        shown = Label("a folder") if target.is_dir() else Label("a special file")
        raise OutputError(diagnostic(Mark(str(target)), "E-output-special", kind=shown), EXIT_REFUSED)
    return kind


_TEXT = {"encoding": "utf-8", "newline": ""}  # a text result: UTF-8, its line ends as rendered


class _Staged:
    """A result being written to a temporary file beside the file it will replace (`real`, the
    target with its links followed, when the caller knows it already), put in place by `commit`
    or removed by `discard`."""

    def __init__(self, target: Path, real: Path | None = None) -> None:
        self.target = target
        self.real = Path(os.path.realpath(target)) if real is None else real  # a link is written through, and stays a link
        _sweep_results(self.real)  # left by a run killed outright (kill -9)
        try:
            self.handle, self.temporary = _create_beside(self.real)
        except OSError as exc:
            raise write_error(target, exc) from None

    def stream(self, binary: bool) -> IO:
        """The temporary file as a stream; closing it leaves the descriptor `handle` open."""
        return os.fdopen(self.handle, "wb" if binary else "w", closefd=False, **({} if binary else _TEXT))

    def put(self, data: str | bytes) -> None:
        """A whole result into the temporary file (text as UTF-8, as `stream` writes it), straight
        to the descriptor: no buffer, nor text layer, to set up for one write."""
        with os.fdopen(self.handle, "wb", buffering=0, closefd=False) as raw:
            write_all(raw, data.encode("utf-8") if isinstance(data, str) else data)

    def commit(self) -> None:
        os.close(self.handle)
        self.handle = -1
        os.replace(self.temporary, self.real)

    def discard(self) -> None:
        if self.handle >= 0:
            os.close(self.handle)
            self.handle = -1
        Path(self.temporary).unlink(missing_ok=True)


_SERIAL = itertools.count()  # this run's temporary files, one number each


def _create_beside(real: Path) -> tuple[int, str]:
    """A new, empty temporary file beside `real`, open for writing, and its path: named
    `.NAME.PID.N.tmp` (what `_sweep_results` removes once this run is dead), made with the mode of
    any new file (0666 less the umask: a result is an ordinary file), never one that exists (a
    name taken, by a run of the same number in another container, is passed over)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(1000):
        temporary = os.path.join(real.parent, f".{real.name}.{os.getpid()}.{next(_SERIAL)}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no temporary name is free", str(real.parent))


@contextmanager
def open_target(path: str | Path, binary: bool = False) -> Iterator[IO]:
    """A stream to write a result to `path`, committed when the block ends without an error.
    Regular files are replaced atomically (through links), once their bytes are on disk; FIFOs and
    devices are written in place."""
    target = Path(path)
    if _writable_kind(target) == "stream":
        try:
            with open(target, "wb" if binary else "w", **({} if binary else _TEXT)) as stream:
                yield stream
        except OSError as exc:
            raise write_error(target, exc) from None
        return
    staged = _Staged(target)
    with _or_discarded(staged, target):
        with staged.stream(binary) as stream:
            yield stream
        os.fsync(staged.handle)
        staged.commit()


@contextmanager
def _or_discarded(staged: _Staged, target: Path) -> Iterator[None]:
    """The staged file removed if the block fails; a failed write said as one of `target`."""
    try:
        yield
    except OSError as exc:
        staged.discard()
        raise write_error(target, exc) from None
    except BaseException:
        staged.discard()
        raise


class ResultGroup:
    """Many results written as `write_atomic` writes one, with one disk flush for many: each is
    written to its temporary file, and every `LIMIT` results (or `SECONDS` after the first of
    them) the file systems they are on are flushed with one `syncfs` each, then each is renamed over
    its target. An `fsync` per result costs a journal commit and a disk flush (~4 ms), most of a
    batch of small scenarios. A group's flush runs in a thread while the next results are made (a
    flush waits for the disk, and for what other programs wrote to the same file system), and the
    group is put in place once it is done. As with `write_atomic`, a result replaces its target
    only once its bytes are on disk, so a crash leaves the old file or the new one. The results
    written when the block ends, by an error or Ctrl-C too, are put in place, in the order written;
    those that cannot be are removed. Where `syncfs` does not report write errors (not Linux, or
    Linux before 5.8), each result is flushed on its own."""

    LIMIT = 32
    SECONDS = 1.0

    def __init__(self) -> None:
        self.pending: list[_Staged] = []  # written, not yet flushed
        self.since = 0.0
        self.flushing: tuple[Any, list[_Staged], list] | None = None  # the thread flushing a group, the group, what the flush met
        self.folders: dict[str, Path] = {}  # each folder written into, with its links followed

    def _real(self, target: Path) -> Path | None:
        """Where `target` is written when it is not itself a link (a regular file, or none yet):
        in its folder as found with links followed, once a group. None for a link, a FIFO, a
        device or a folder, which `_writable_kind` and `_Staged` look at as for one result."""
        try:
            mode = os.lstat(target).st_mode
        except FileNotFoundError:
            mode = stat.S_IFREG  # a new file
        except OSError as exc:
            raise write_error(target, exc) from None
        if not stat.S_ISREG(mode):
            return None
        folder = str(target.parent)
        if folder not in self.folders:
            self.folders[folder] = Path(os.path.realpath(folder))
        return self.folders[folder] / target.name

    def __enter__(self) -> "ResultGroup":
        return self

    def write(self, path: str | Path, data: str | bytes) -> None:
        target = Path(path)
        real = self._real(target)
        if _syncfs() is None or (real is None and _writable_kind(target) == "stream"):
            write_atomic(target, data)
            return
        staged = _Staged(target, real)
        with _or_discarded(staged, target):
            staged.put(data)
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append(staged)
        if self.flushing is not None and not self.flushing[0].is_alive():
            self._land()  # the group flushed behind is on disk: in place now
        if len(self.pending) >= self.LIMIT or time.monotonic() - self.since >= self.SECONDS:
            self._land()
            self._flush_behind()

    def _flush_behind(self) -> None:
        """Flush the pending results in a thread (syncfs waits without holding the interpreter)
        while the next ones are made; `_land` waits for it and puts them in place."""
        import threading

        group, self.pending = self.pending, []
        met: list = []

        def flush() -> None:
            try:
                met.append(_flushed(group))
            except BaseException as exc:  # never expected; the group is then not put in place
                met.append((group[0], exc))

        thread = threading.Thread(target=flush, name="ucj-flush", daemon=True)
        thread.start()
        self.flushing = (thread, group, met)

    def _land(self) -> None:
        """Wait for the group being flushed behind, then put each of its results in place."""
        if self.flushing is None:
            return
        thread, group, met = self.flushing
        thread.join()
        self.flushing = None
        self._put_in_place(group, met[0] if met else (group[0], OSError(errno.EIO, os.strerror(errno.EIO))))

    def commit(self) -> None:
        """Flush the pending results to disk, then put each in place, in the order written (after
        the group being flushed behind)."""
        self._land()
        group, self.pending = self.pending, []
        self._put_in_place(group, _flushed(group))

    def _put_in_place(self, group: list[_Staged], failure: "tuple[_Staged, BaseException] | None") -> None:
        """Rename each result of a flushed `group` over its target, in order. Where the flush
        failed (`failure`: a result on the file system that failed, and why) or a rename fails, the
        rest of the group and the pending results are removed, and the failure raised."""
        for index, staged in enumerate(group):
            if failure is None:
                try:
                    staged.commit()
                    continue
                except OSError as exc:
                    failure = (staged, exc)
            for rest in group[index:]:
                rest.discard()
            self.discard()
            where, exc = failure
            if isinstance(exc, OSError):
                raise write_error(where.target, exc) from None
            raise exc

    def discard(self) -> None:
        if self.flushing is not None:  # its thread, if still flushing, meets closed descriptors: it stops, unheard
            for staged in self.flushing[1]:
                staged.discard()
            self.flushing = None
        for staged in self.pending:
            staged.discard()
        self.pending.clear()

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            self.commit()
        except BaseException:
            self.discard()
            if kind is None:
                raise


def _flushed(group: list[_Staged]) -> "tuple[_Staged, OSError] | None":
    """Flush the file systems `group` is on, one `syncfs` each; None, or a result on the one that
    failed and why. Each descriptor was opened before its bytes were written: syncfs reports any
    write error since."""
    syncfs = _syncfs()
    flushed: set[int] = set()
    for staged in group:
        try:
            device = os.fstat(staged.handle).st_dev
            if device not in flushed and syncfs(staged.handle) != 0:
                import ctypes

                raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
        except OSError as exc:
            return staged, exc
        flushed.add(device)
    return None


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    """libc's `syncfs`, where it reports write errors (Linux 5.8 and later); None elsewhere."""
    release = re.match(r"([0-9]+)\.([0-9]+)", os.uname().release) if sys.platform.startswith("linux") else None
    if release is None or (int(release.group(1)), int(release.group(2))) < (5, 8):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


_TEMPORARY = re.compile(r"ucj-([0-9]+)-")
_OWN_TEMPS: set[str] = set()


def private_tempdir() -> str:
    """A temporary folder of this run's own (`$TMPDIR/ucj-PID-xxxx`, for XlsxWriter's row and
    package files), removed by `remove_tempdir`, or at exit whatever ends the run (Ctrl-C, SIGTERM,
    an error); one left by a run killed outright (`kill -9`) is removed by the next run that
    makes one. A temporary folder that cannot be written is named in the error, not `<stdout>`."""
    import tempfile

    with _signals_held():  # Python's first look at TMPDIR writes and removes a probe file of its own
        base = tempfile.gettempdir()
    _sweep(base, lambda name: _TEMPORARY.match(name), lambda path: shutil.rmtree(path, ignore_errors=True))
    if not _OWN_TEMPS:
        atexit.register(_remove_all)
    prefix = f"ucj-{os.getpid()}-"
    try:
        with _signals_held():  # a signal now comes once the folder is known, and so removed
            folder = tempfile.mkdtemp(prefix=prefix, dir=base)
            _OWN_TEMPS.add(folder)
    except OSError as exc:
        raise write_error(base, exc) from None
    except BaseException:  # Ctrl-C between making the folder and knowing its name: any of this run's not yet known is removed
        _sweep_own(base, prefix)
        raise
    return folder


@contextmanager
def _signals_held() -> Iterator[None]:
    """The signals that end a run held back for a moment in which a file exists that ucj could not
    yet remove; one that came meanwhile is delivered at the end."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {number for name in ("SIGINT", "SIGPIPE", *_ENDING) if (number := getattr(signal, name, None)) is not None}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _sweep_own(base: str, prefix: str) -> None:
    try:
        entries = [entry.path for entry in os.scandir(base) if entry.name.startswith(prefix)]
    except OSError:
        return
    for path in entries:
        if path not in _OWN_TEMPS:
            shutil.rmtree(path, ignore_errors=True)


def remove_tempdir(folder: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    _OWN_TEMPS.discard(folder)


@contextmanager
def temporary_errors() -> Iterator[None]:
    """Around rendering, which touches no file but the temporary ones (an xlsx's rows): a failing
    write there names the run's temporary folder (`$TMPDIR/ucj-PID-xxxx: the disk is full`), and
    the folder is removed at once (a batch worker ends without running exit handlers)."""
    try:
        yield
    except OSError as exc:
        import tempfile

        where = next(iter(sorted(_OWN_TEMPS)), tempfile.gettempdir())
        _remove_all()
        raise write_error(where, exc) from None


# Signals whose default is to end the process: each ends ucj as Ctrl-C does instead, unwinding (its
# temporary files and folders removed on the way), with the conventional exit status 128 + n.
_ENDING = ("SIGHUP", "SIGQUIT", "SIGTERM", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGVTALRM", "SIGPROF", "SIGXCPU", "SIGPWR")


def end_cleanly_on_signals() -> None:
    """Called once at start-up by the `ucj` command. A signal the caller ignores (`nohup` ignores
    SIGHUP) stays ignored. SIGPIPE, which Python always ignores, is handled too: a closed pipe
    (`ucj ... | head -1`) still ends the run quietly, with 141 as when `cat` is killed by it."""
    import signal

    for name in (*_ENDING, "SIGPIPE"):
        number = getattr(signal, name, None)
        if number is not None and (name == "SIGPIPE" or signal.getsignal(number) == signal.SIG_DFL):
            signal.signal(number, _ended)


def _ended(number: int, _frame: object) -> None:
    import signal

    if number == getattr(signal, "SIGPIPE", None):
        _silence_stdout()  # the reader is gone: nothing more is written to it, not even the final flush
    raise SystemExit(128 + number)


def _remove_all() -> None:
    for folder in list(_OWN_TEMPS):
        remove_tempdir(folder)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or not a pid: not ours to judge
    return True


def _sweep(folder: str | Path, match, remove) -> None:
    """Remove the temporary files or folders of ucj runs that died without cleaning up: their name
    matches, holds the pid of a process that no longer exists, and they belong to this user."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = match(entry.name)
        if not found:
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid() or _alive(int(found.group(1))):
                continue
            remove(entry.path)
        except (OSError, ValueError):
            pass


_STALE = re.compile(r"\.(.+)\.([0-9]+)\.[^.]+\.tmp")
_CANDIDATES: dict[str, list[tuple[str, str]]] = {}  # folder -> (result name, pid) of the temporary results found in it


def _sweep_results(real: Path) -> None:
    """Remove the temporary files a dead run left beside `real` (`.NAME.PID.xxxx.tmp`). A folder
    is listed once per process (a batch writes a thousand results into one folder): the files in
    it then named like a temporary result are the only ones ever looked at again."""
    folder = str(real.parent)
    candidates = _CANDIDATES.get(folder)
    if candidates is None:
        try:
            names = [entry.name for entry in os.scandir(folder)]
        except OSError:
            return
        candidates = _CANDIDATES[folder] = [(found.group(1), found.group(2)) for found in map(_STALE.fullmatch, names) if found]
    if any(name == real.name for name, _ in candidates):  # only then the folder is looked at again
        stale = re.compile(re.escape(f".{real.name}.") + r"([0-9]+)\.[^.]+\.tmp")
        _sweep(folder, stale.fullmatch, os.unlink)
        del _CANDIDATES[folder]


def write_atomic(path: str | Path, text: str | bytes) -> None:
    """Write a whole result, text or bytes (xlsx), to `path` (see `open_target`). The folder must
    exist: a mistyped path is an error, not a new folder."""
    with open_target(path, isinstance(text, bytes)) as stream:
        stream.write(text)




def write_stdout(data: str | bytes) -> None:
    """A result on standard output; a full disk, a closed pipe or a closed standard output is an
    OutputError, not a traceback. Every byte is accounted for: a stream that takes only part of a
    write (an unbuffered standard output, `PYTHONUNBUFFERED=1`, on a nearly full disk) is given the
    rest until it takes all of it or fails, so a result is never cut short with exit 0."""
    stdout = sys.stdout
    try:
        if stdout is None or isinstance(stdout, ClosedStream):
            raise OSError(errno.EBADF, os.strerror(errno.EBADF))
        binary = getattr(stdout, "buffer", None)
        if binary is None:  # a text-only stream (a test's StringIO): it takes all or raises
            stdout.write(data if isinstance(data, str) else data.decode("utf-8", "surrogateescape"))
            stdout.flush()
            return
        if isinstance(data, str):
            data = data.encode(stdout.encoding or "utf-8", stdout.errors or "strict")
        stdout.flush()  # whatever text went before, then the result
        write_all(binary, data)
        binary.flush()
    except OSError as exc:
        _silence_stdout()
        raise write_error("<stdout>", exc) from None


def write_all(stream: IO[bytes], data: bytes) -> None:
    """Write every byte of `data` to a binary stream, looping over short writes (a raw, unbuffered
    stream may take part of a write); a stream that takes nothing is a full disk (ENOSPC)."""
    view = memoryview(data)
    while view:
        done = stream.write(view)
        if done is None:  # a non-blocking stream that cannot take more now
            import select

            select.select([], [stream], [])
            continue
        if done <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[done:]


class ClosedStream:
    """Stands for a standard stream that was closed before ucj started (`ucj ... >&-`): Python
    leaves `sys.stdout` None then, and every write becomes a clean `E-output-no-stdout` (exit 3)
    instead of an AttributeError, while output that goes to a file still works."""

    encoding = "utf-8"
    errors = "strict"
    closed = False

    def write(self, _text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    @property
    def buffer(self) -> "ClosedStream":
        return self


_KEPT: list = []


def guard_standard_streams() -> None:
    """Called once at start-up by the `ucj` command. A closed standard output (`>&-`) becomes a
    `ClosedStream`, a closed standard error a sink (its messages cannot be shown anywhere); both
    descriptors are held on /dev/null, so no file ucj opens takes their number. An unbuffered standard output (`python -u`, `PYTHONUNBUFFERED=1`), whose raw writes
    may be short and whose text layer would drop the rest, is given a buffer that finishes every
    write or fails."""
    import io

    for number, name in ((1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is None:
            try:
                os.fstat(number)
            except OSError:
                try:
                    devnull = os.open(os.devnull, os.O_WRONLY)
                    if devnull != number:
                        os.dup2(devnull, number)
                        os.close(devnull)
                except OSError:
                    pass
            # a closed stdout fails the command that writes to it; a closed stderr only loses messages
            setattr(sys, name, ClosedStream() if name == "stdout" else open(os.devnull, "w", encoding="utf-8"))
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        raw = getattr(stream, "buffer", None)
        if isinstance(stream, io.TextIOWrapper) and isinstance(raw, io.RawIOBase):
            buffered = io.BufferedWriter(raw)
            _KEPT.append(stream)  # the old wrapper, once collected, would close the shared descriptor
            setattr(sys, name, io.TextIOWrapper(buffered, encoding=stream.encoding, errors=stream.errors,
                                                line_buffering=name == "stderr" or stream.isatty(), write_through=False))


def _silence_stdout() -> None:
    silence_stream(sys.stdout)


def silence_stream(stream: TextIO) -> None:
    """Point `stream` (stdout, stderr) at /dev/null, its unwritten buffer dropped, so the
    interpreter's final flush cannot fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def print_diagnostics(items: Iterable[Diagnostic], stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    for item in items:
        print(item, file=stream)


def github_annotation(item: Diagnostic) -> str:
    """A GitHub Actions workflow command (`::error file=..,line=..,col=..,title=CODE::message`)."""
    level = {"error": "error", "warning": "warning", "note": "notice"}[item.severity]
    message = item.text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    from ucj_cli.i18n.format import path_text

    # GitHub's escapes of a property first (a CR or LF kept as the name has it), then every other control,
    # bidi or zero-width character escaped as in a diagnostic: none reaches the CI log raw
    file = item.mark.file.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    file = path_text(file).replace(",", "%2C").replace(":", "%3A")
    return f"::{level} file={file},line={item.mark.line},col={item.mark.column},title={item.code}::{message}"
