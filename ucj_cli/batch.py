"""Checking and running many scenarios: folders in, one result per scenario out.

Each scenario is handled on its own (`check_one`, `run_one`), so a broken file is reported and the
rest go on. Work is spread over processes for large folders; results come back in input order and
carry only text and plain data, so the files written are the same bytes however the work was split.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ucj_cli.errors import Diagnostic, ScenarioError, UcjError

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
    text: str | bytes | None = None  # the rendered result (batch only): text, or bytes for xlsx
    summary: dict[str, Any] = field(default_factory=dict)

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
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            found_here = [(file, file.relative_to(path)) for file in files]
        else:
            found_here = [(path, path)]
        for file, relative in found_here:
            key = os.path.normpath(str(file))
            if key not in seen:
                seen.add(key)
                found.append(Source(str(file), path=str(file), relative=str(relative)))
    return found


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
    """Simulate and render one scenario in `fmt`, with its line of the batch summary."""
    from ucj_cli.report import diagnostic_json, render, ratio

    source, fmt = job
    try:
        result = _simulate(source)
    except UcjError as exc:
        return Outcome(source, exc.diagnostics, None, {"error": str(exc.diagnostics[0])})
    coverage = result.coverage
    summary = {
        "scenario": result.scenario.name,
        "year": result.scenario.year,
        "total": result.total,
        "covered_after": coverage.covered_after,
        "rate_after": ratio(coverage.rate(coverage.covered_after)),
        "overruns": [item.scheme.id for item in result.overruns],
        "warnings": len(result.warnings),
        "diagnostics": [diagnostic_json(item) for item in result.diagnostics],
        "error": None,
    }
    return Outcome(source, result.diagnostics, render(result, fmt), summary)


def run_all(function: Callable[[Any], Outcome], jobs: list[Any], workers: int | None = None,
            progress: Callable[[], None] | None = None) -> Iterator[Outcome]:
    """Apply `function` to every job, in processes when there are many; yields in input order."""
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(jobs) < PARALLEL_FROM:
        for job in jobs:
            outcome = function(job)
            if progress:
                progress()
            yield outcome
        return
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_ignore_interrupt)
    try:
        for outcome in pool.map(function, jobs, chunksize=max(1, len(jobs) // (workers * 8))):
            if progress:
                progress()
            yield outcome
    finally:  # on Ctrl-C, drop the queued work instead of finishing it
        pool.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the main process, which reports it once."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def output_names(sources: list[Source], fmt: str) -> list[str]:
    """A distinct file name per scenario, decided by input order alone: its stem; where stems
    collide, its path joined with '__'; and a counter if that still collides. `summary.json` stays
    free for the batch summary."""
    from ucj_cli.formats import FORMATS

    extension = FORMATS[fmt].suffix
    stems = [Path(s.path).stem if s.path else "stdin" for s in sources]
    taken = {"summary.json"}
    names = []
    for source, stem in zip(sources, stems):
        if stems.count(stem) > 1 and source.path:
            parts = [part for part in Path(os.path.normpath(source.relative)).with_suffix("").parts if part not in (os.sep, "..", ".")]
            stem = "__".join(parts) or stem
        name, counter = stem + extension, 1
        while name.lower() in taken:
            counter += 1
            name = f"{stem}-{counter}{extension}"
        taken.add(name.lower())
        names.append(name)
    return names
