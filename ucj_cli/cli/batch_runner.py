"""Checking and running many scenarios: folders in, one result per scenario out.

Each scenario is handled on its own (`check_one`, `run_one`), so a broken file is reported and the
rest go on. Work is spread over processes for large folders; results come back in input order and
carry only text and plain data, so the files written are the same bytes however the work was split.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ucj_cli.errors import Diagnostic, Mark, ScenarioError, UcjError

SUFFIXES = (".yaml", ".yml")
PARALLEL_FROM = 8  # below this many files, starting processes costs more than it saves


@dataclass(frozen=True)
class Source:
    """One scenario to process: a path, or text already read (standard input)."""

    name: str
    path: str | None = None
    text: str | None = None
    error: Diagnostic | None = None  # already known to be unreadable
    relative: str = ""  # the path below the folder it was found in (or as given), for output names


@dataclass(frozen=True)
class Outcome:
    source: Source
    diagnostics: tuple[Diagnostic, ...]
    text: bytes | None = None  # the rendered result (batch only), as written: UTF-8 text, or an xlsx
    identity: str | None = None  # the SHA-256 of `text`, for the output folder's manifest
    summary: dict[str, Any] = field(default_factory=dict)
    rate_after: Fraction | None = None  # exact, for the summary table (the JSON summary holds it rounded)
    inputs: tuple[str, ...] = ()  # every file the scenario was read from (its YAML, its CSV files)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")


def expand(paths: Iterable[str], stdin: Callable[[], str] | None = None) -> list[Source]:
    """Files as given, folders as every *.yaml / *.yml below them (sorted), `-` as standard input."""
    found: list[Source] = []
    seen: set[str] = set()
    for raw in paths:
        if raw == "-":
            if "-" not in seen:
                seen.add("-")
                found.append(_stdin_source(stdin))
            continue
        path = Path(raw)
        if path.is_dir():
            files, unreadable = _scan(path)
            found.extend(Source(str(folder), error=problem) for folder, problem in unreadable if str(folder) not in seen)
            seen.update(str(folder) for folder, _ in unreadable)
            found_here = [(file, file.relative_to(path)) for file in files]
        else:
            found_here = [(path, path)]
        for file, relative in found_here:
            key = os.path.normpath(str(file))
            if key not in seen:
                seen.add(key)
                found.append(Source(str(file), path=str(file), relative=str(relative)))
    return found


def _scan(folder: Path) -> tuple[list[Path], list[tuple[Path, Diagnostic]]]:
    """Every *.yaml / *.yml below `folder` (sorted, hidden files and folders skipped), and each
    folder that could not be read with why: a folder ucj may not open is an error, not "no files"."""
    from ucj_cli.errors import diagnostic

    unreadable: list[tuple[Path, Diagnostic]] = []

    def refused(exc: OSError) -> None:
        where = Path(exc.filename or folder)
        unreadable.append((where, diagnostic(Mark(str(where)), "E-folder-unreadable", reason=exc.strerror or str(exc))))

    files = []
    for top, folders, names in os.walk(folder, onerror=refused):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            if name.startswith(".") or (Path(name).suffix.lower() not in SUFFIXES and Path(name).suffix):
                continue
            path = Path(top) / name
            if os.path.isfile(path):
                if Path(name).suffix:
                    files.append(path)
            elif os.path.islink(path):  # a dangling link, a link loop: an error, never skipped in silence
                try:
                    os.stat(path)
                except OSError as exc:
                    unreadable.append((path, diagnostic(Mark(str(path)), "E-link-broken", reason=exc.strerror or str(exc))))
    unreadable.sort(key=lambda item: str(item[0]))
    return sorted(files), unreadable


def _stdin_source(stdin: Callable[[], str] | None) -> Source:
    """Standard input, read once; bytes that are not UTF-8 become that source's error."""
    from ucj_cli.source import SourceError, read_stdin

    try:
        return Source("<stdin>", text=stdin() if stdin else read_stdin())
    except SourceError as exc:
        return Source("<stdin>", error=exc.diagnostic)


def _load(source: Source):
    from ucj_cli.api import load_scenario, parse_scenario

    if source.error is not None:
        raise ScenarioError([source.error])
    if source.text is not None:
        return parse_scenario(source.text, source.name)
    return load_scenario(source.path)


def _simulate(source: Source):
    from ucj_cli.api import simulate

    scenario = _load(source)
    return simulate(scenario)


def check_one(source: Source) -> Outcome:
    """Validate and price a scenario; every problem becomes a diagnostic, never an exception."""
    try:
        result = _simulate(source)
    except UcjError as exc:
        return Outcome(source, exc.diagnostics)
    return Outcome(source, result.diagnostics)


def run_one(job: tuple[Source, str]) -> Outcome:
    """Simulate and render one scenario in `fmt`, with its line of the batch summary: the result's
    bytes and their digest are made here, in the worker, as the manifest needs them."""
    import hashlib

    from ucj_cli.render.registry import render
    from ucj_cli.render.simulation import diagnostics_json, ratio

    source, fmt = job
    try:
        result = _simulate(source)
        text = render("simulation", fmt, result)  # may refuse too (a sheet past Excel's rows)
    except UcjError as exc:
        return Outcome(source, exc.diagnostics, summary={"error": str(exc.diagnostics[0])})
    coverage = result.coverage
    summary = {
        "scenario": result.scenario.name,
        "year": result.scenario.year,
        "total": result.total,
        "covered_after": coverage.covered_after,
        "rate_after": ratio(coverage.rate(coverage.covered_after)),
        "overruns": [item.scheme.id for item in result.overruns],
        "warnings": len(result.warnings),
        "diagnostics": diagnostics_json(result),  # as the result itself has them (made once)
        "error": None,
    }
    data = text.encode("utf-8") if isinstance(text, str) else text
    return Outcome(source, result.diagnostics, data, hashlib.sha256(data).hexdigest(), summary, coverage.rate(coverage.covered_after),
                   result.scenario.inputs)


def run_all(function: Callable[[Any], Outcome], jobs: list[Any], workers: int | None = None,
            progress: Callable[[], None] | None = None) -> Iterator[Outcome]:
    """Apply `function` to every job, in processes when there are many; yields in input order."""
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(jobs) < PARALLEL_FROM:
        import gc

        for index, job in enumerate(jobs):
            outcome = function(job)
            if index == 0:  # the modules and the rule book, loaded by now, live as long as the run: the collector need not walk them after each file
                gc.freeze()
            if progress:
                progress()
            yield outcome
        return
    import multiprocessing

    context = multiprocessing.get_context()
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context, initializer=end_with_parent,
                               initargs=(os.getpid(), context.get_start_method() == "fork"))
    try:
        for outcome in pool.map(function, jobs, chunksize=max(1, len(jobs) // (workers * 8))):
            if progress:
                progress()
            yield outcome
    finally:  # on Ctrl-C, drop the queued work instead of finishing it
        pool.shutdown(wait=True, cancel_futures=True)


def end_with_parent(parent: int, forked: bool = True) -> None:
    """Worker initializer: the worker ends when the batch that started it ends, even by `kill -9`,
    instead of running on and writing to a dead pipe. On Linux the kernel sends SIGTERM when the
    parent dies (prctl PR_SET_PDEATHSIG); elsewhere a thread watches the parent's pid. Ctrl-C is
    left to the main process, which reports it once and drops the queued work."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a worker stops at once (the batch's own handler cleans up for the batch)
    if os.getppid() != parent:
        if forked:  # the batch died between forking this worker and starting it
            os._exit(1)
        parent = os.getppid()  # a fork server started this worker: it ends with the batch in turn
    try:
        import ctypes

        if ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM) == 0:  # 1: PR_SET_PDEATHSIG
            if os.getppid() != parent:  # the parent died before the request took effect
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


MANIFEST = ".ucj-written.json"


def protected_inputs(sources: list[Source], folder: Path) -> set[tuple[int, int]]:
    """The identities (device, inode) of every file the batch reads, known before anything is
    written into `folder`: each scenario file and the CSV files it names in `from_csv`. A result is
    never written over one of them, whatever its name (a link, another spelling of the path).
    None is looked for while `folder` is empty (a new output folder, or one emptied): each result
    is then a file that did not exist, never one the run reads, and no scenario is read twice."""
    from ucj_cli.output import file_identity

    with os.scandir(folder) as entries:
        if next(entries, None) is None:
            return set()
    from ucj_cli.load.csv_cohorts import csv_paths

    found = set()
    for source in sources:
        if source.path is None:
            continue
        for path in (source.path, *csv_paths(source.path)):
            identity = file_identity(path)
            if identity is not None:
                found.add(identity)
    return found


@contextmanager
def folder_lock(folder: Path, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold the output folder for one batch at a time (an advisory `flock` on the folder itself, so
    no lock file is left in it; released by the system however the batch ends, `kill -9`
    included): a second batch into the same folder calls
    `waiting` once and waits, so no run loses the other's manifest records or summary. Where the
    system has no such locks (Windows, some network folders), batches are not kept apart."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    from ucj_cli.output import write_error

    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise write_error(folder, exc) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError as exc:
            if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL):
                raise write_error(folder, exc) from None
        yield
    finally:
        os.close(handle)


def _portable(stem: str) -> str:
    """A result's name that is valid UTF-8 (it goes into the manifest and summary.json) and shows
    plainly: a byte of the input's name that is not UTF-8, a control or invisible character
    becomes `_`."""
    from ucj_cli.i18n.format import replace_hidden

    return replace_hidden(stem, "_")


def output_names(sources: list[Source], fmt: str) -> list[str]:
    """A distinct file name per scenario, decided by input order alone: its stem; where stems
    collide, its path joined with '__'; and a counter if that still collides. `summary.json` and the
    manifest stay free for the batch."""
    from ucj_cli.render.registry import FORMATS

    extension = FORMATS[fmt].suffix
    stems = [_portable(Path(s.path).stem) if s.path else "stdin" for s in sources]
    uses = Counter(stems)
    taken = {"summary.json", MANIFEST}
    names = []
    for source, stem in zip(sources, stems):
        if uses[stem] > 1 and source.path:
            parts = [part for part in Path(os.path.normpath(source.relative)).with_suffix("").parts if part not in (os.sep, "..", ".")]
            stem = _portable("__".join(parts)) or stem
        name, counter = stem + extension, 1
        while name.lower() in taken:
            counter += 1
            name = f"{stem}-{counter}{extension}"
        taken.add(name.lower())
        names.append(name)
    return names
