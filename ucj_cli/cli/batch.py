"""`ucj validate` and `ucj batch`: many scenarios at once, for CI and for whole folders."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Any, Iterable, List, Optional

import typer

from ucj_cli.cli.options import LANG_OPTION, QUIET_OPTION, Lang
from ucj_cli.cli.group import usage
from ucj_cli.render.registry import choices
from ucj_cli.i18n.messages import Choices, Quoted


class CheckFormat(str, Enum):
    text = "text"
    github = "github"
    json = "json"


BatchFormat = choices("batch")


PATHS = typer.Argument(..., metavar="PATH...", help="Scenario files, folders (every *.yaml / *.yml inside), or - for standard input.")


def validate(
    paths: List[str] = PATHS,
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="text: file:line:column: message [code]; github: GitHub Actions annotations; json: every file with its diagnostics.", case_sensitive=False),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings (overruns, assumed rules) as errors."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Processes to use (0: all cores)."),
    quiet: bool = QUIET_OPTION,
    lang: Optional[Lang] = LANG_OPTION,
) -> None:
    """Check scenarios against the contract and the rule book; print every problem of every file."""
    from ucj_cli.cli.batch_runner import check_one, run_all
    from ucj_cli.i18n import _, ngettext
    from ucj_cli.i18n.format import number, utf8
    from ucj_cli.output import github_annotation
    from ucj_cli.render.simulation import dumps, visible

    sources = _sources(paths)
    invalid = errors = warnings = 0
    files = []
    for outcome in run_all(check_one, sources, jobs or None):
        shown = [replace(d, severity="error") if strict and d.severity == "warning" else d for d in visible(outcome.diagnostics, quiet)]
        broken = any(d.severity == "error" for d in shown)
        if fmt is CheckFormat.json:
            files.append({"file": utf8(outcome.source.name), "valid": not broken, "diagnostics": [d.to_json() for d in shown]})
        for item in shown if fmt is not CheckFormat.json else ():
            print(github_annotation(item) if fmt is CheckFormat.github else str(item))
        invalid += broken
        errors += sum(d.severity == "error" for d in shown)
        warnings += sum(d.severity == "warning" for d in shown)
    if fmt is CheckFormat.json:
        counts = {"files": len(sources), "valid": len(sources) - invalid, "invalid": invalid, "errors": errors, "warnings": warnings}
        typer.echo(dumps({"counts": counts, "files": files}), nl=False)
    typer.echo(_("{files} checked: {valid} valid, {invalid} invalid; {errors}, {warnings}").format(
        files=ngettext("{count} file", "{count} files", len(sources)).format(count=number(len(sources))),
        valid=number(len(sources) - invalid), invalid=number(invalid),
        errors=ngettext("{count} error", "{count} errors", errors).format(count=number(errors)),
        warnings=ngettext("{count} warning", "{count} warnings", warnings).format(count=number(warnings)),
    ), err=True)
    if invalid:
        raise typer.Exit(2)


def batch(
    paths: List[str] = PATHS,
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the results and summary.json (created if missing).", file_okay=False),
    fmt: BatchFormat = typer.Option("json", "--format", "-f", help="Format of each result file.", case_sensitive=False),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Processes to use (0: all cores)."),
    fail_on_overrun: bool = typer.Option(False, "--fail-on-overrun", help="Exit 1 when any scenario exceeds a funding ceiling."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when any scenario has a warning."),
    quiet: bool = QUIET_OPTION,
    lang: Optional[Lang] = LANG_OPTION,
) -> None:
    """Simulate every scenario into a folder, with a summary; a broken file does not stop the rest."""
    from ucj_cli.cli.batch_runner import folder_lock, output_names
    from ucj_cli.cli.common import make_folder
    from ucj_cli.errors import Mark, diagnostic
    from ucj_cli.i18n import _
    from ucj_cli.i18n.format import safe as fmt_safe
    from ucj_cli.output import OutputError

    sources = _sources(paths)
    names = output_names(sources, fmt.value)
    make_folder(out)
    try:
        with folder_lock(out, lambda: typer.echo(str(diagnostic(Mark(str(out)), "N-batch-waiting")), err=True)):
            entries, outcomes = _batch_locked(sources, names, out, fmt.value, jobs, quiet)
    except OutputError as exc:  # a read-only folder, a full disk: one line, no traceback
        typer.echo(str(exc.diagnostic), err=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo(_("ucj: interrupted; {done} of {count} results written to {path}, summary.json not updated").format(
            done=len(_DONE), count=len(sources), path=fmt_safe(out)), err=True)
        raise typer.Exit(130)
    failed = [e["file"] for e in entries if e["error"]]

    _print_summary(outcomes, out)
    overrun = any(e.get("overruns") for e in entries)
    warned = any(e.get("warnings") for e in entries)
    if failed or (fail_on_overrun and overrun) or (strict and warned):
        raise typer.Exit(1)


Identity = str  # the SHA-256 of a file's bytes as ucj wrote it: the same run gives the same manifest


class Manifest:
    """The files ucj wrote in an output folder, kept in the folder itself (`.ucj-written.json`, each
    name with the SHA-256 of the bytes written): a batch replaces or removes only a file that is
    still what it wrote, never one put there since under the same name (a user's own `broken.json`,
    a village list that a scenario reads)."""

    def __init__(self, folder: Path) -> None:
        import json

        from ucj_cli.cli.batch_runner import MANIFEST

        self.folder, self.path = folder, folder / MANIFEST
        self.known: dict[str, Identity | None] = {}  # None: written by a batch that recorded no identity (or was stopped)
        self.fresh: dict[str, tuple[Identity, int] | None] = {}  # written by this run, with the digest and size of the bytes written where known
        self.seen: dict[str, Identity | None] = {}  # each file hashed once a run (the folder is locked)
        try:
            read = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            read = None
        if isinstance(read, list):  # the manifest of an earlier ucj: names only
            self.known = {name: None for name in read if isinstance(name, str)}
        elif isinstance(read, dict):
            self.known = {name: mark if isinstance(mark, str) and mark else None for name, mark in read.items() if isinstance(name, str)}

    def _now(self, name: str) -> Identity | None:
        written = self.fresh.get(name)
        if written is not None and self._unchanged(name, written[1]):
            return written[0]
        if name not in self.seen or name in self.fresh:
            self.seen[name] = self._hash(name)
        return self.seen[name]

    def _unchanged(self, name: str, size: int) -> bool:
        """Whether `name` is still a regular file (not a link) of the size this run wrote there: its
        bytes' digest, known when written, then stands for its own, which is not read back."""
        import stat

        try:
            found = os.lstat(self.folder / name)
        except OSError:
            return False
        return stat.S_ISREG(found.st_mode) and found.st_size == size

    def _hash(self, name: str) -> Identity | None:
        """The file's SHA-256; "" for what is not a regular file (a link, a FIFO: never read, never ours)."""
        import hashlib
        import stat

        try:
            with open(self.folder / name, "rb", opener=lambda path, flags: os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK)) as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    return ""
                return hashlib.file_digest(handle, "sha256").hexdigest()
        except FileNotFoundError:
            return None
        except OSError:  # a link (ELOOP), unreadable
            return ""

    def ours(self, name: str) -> bool:
        """True when ucj may write `name`: it does not exist, or it is still what ucj wrote there."""
        if not os.path.lexists(self.folder / name):
            return True
        return name in self.known and self.known[name] in (None, self._now(name))

    def removable(self, name: str) -> bool:
        """True when `name` exists and is, by its recorded identity, exactly what ucj wrote."""
        return self.known.get(name) is not None and self.known[name] == self._now(name)

    def claim(self, names: Iterable[str]) -> None:
        """Record `names` before writing them, so an interrupted batch still knows them as its own
        (by name: their new identity is recorded when the run ends)."""
        self._save({**self.known, **{name: None for name in names}})

    def wrote(self, name: str, data: bytes | None = None, identity: Identity | None = None) -> None:
        """Record `name` as written by this run, with the bytes written there when known (and their
        digest, when already made) instead of reading the file back to know its identity."""
        if data is not None and identity is None:
            import hashlib

            identity = hashlib.sha256(data).hexdigest()
        self.fresh[name] = None if data is None else (identity, len(data))

    def save(self) -> None:
        """The manifest as the run leaves the folder: each file written now with its identity; a
        name no longer there, or whose file changed since, forgotten (a later file is someone else's)."""
        kept: dict[str, Identity | None] = {}
        for name in self.known.keys() | self.fresh:
            now, mark = self._now(name), self.known.get(name)
            if now is not None and (name in self.fresh or mark in (None, now)):
                kept[name] = now if name in self.fresh else mark
        self._save(kept)

    def _save(self, marks: "dict[str, Identity | None]") -> None:
        import json

        from ucj_cli.output import write_atomic

        write_atomic(self.path, json.dumps({name: marks[name] for name in sorted(marks)}, ensure_ascii=False, indent=0) + "\n")


_DONE: list = []  # results written so far, for the Ctrl-C line


def _batch_locked(sources: list, names: list[str], out: Path, fmt: str, jobs: int, quiet: bool) -> tuple[list, list]:
    """The batch proper, run while this process holds the output folder's lock: a second batch into
    the same folder waits, so neither loses the other's manifest records or results."""
    from ucj_cli.cli.batch_runner import MANIFEST, protected_inputs, run_all, run_one
    from ucj_cli.errors import Mark, diagnostic
    from ucj_cli.i18n.format import utf8
    from ucj_cli.output import ResultGroup, file_identity, write_atomic
    from ucj_cli.render.simulation import dumps, visible

    manifest = Manifest(out)
    if not manifest.ours("summary.json"):
        typer.echo(str(diagnostic(Mark(str(out)), "E-output-foreign", name=Quoted("summary.json"))), err=True)
        raise typer.Exit(2)
    protected = protected_inputs(sources, out)  # every file the run reads, by identity: never written over
    outcomes = _DONE
    outcomes.clear()
    progress = _progress(len(sources))
    try:
        manifest.claim(["summary.json", *(name for name in names if manifest.ours(name))])
        with ResultGroup() as results:  # one disk flush for many results; each still in place only once on disk
            for outcome, name in zip(run_all(run_one, [(s, fmt) for s in sources], jobs or None,
                                             (lambda: progress.advance(progress.task_ids[0])) if progress else None), names):
                target, written = out / name, None
                protected.update(filter(None, map(file_identity, outcome.inputs)))
                refused = None
                if file_identity(target) in protected:  # a result over one of the run's inputs (a village list)
                    refused = diagnostic(Mark(str(target)), "E-output-is-input")
                elif not manifest.ours(name):  # a file of the user's: neither replaced nor removed
                    refused = diagnostic(Mark(str(target)), "E-output-foreign", name=Quoted(name))
                if refused is not None and outcome.text is not None:  # a broken scenario keeps its own error
                    outcome = replace(outcome, text=None, summary={**outcome.summary, "error": str(refused)})
                    typer.echo(str(refused), err=True)
                elif outcome.text is not None:
                    results.write(target, outcome.text)
                    manifest.wrote(name, outcome.text, outcome.identity)
                    outcome, written = replace(outcome, text=None), name  # its bytes are not held for the rest of the run
                elif refused is None and manifest.removable(name):
                    target.unlink(missing_ok=True)  # a stale result would contradict summary.json
                elif name in manifest.known and os.path.lexists(target):  # ucj's once, changed since (a village list now?)
                    typer.echo(str(diagnostic(Mark(str(target)), "W-batch-result-kept", name=Quoted(name))), err=True)
                for item in visible(outcome.diagnostics, quiet):  # whole lines; all notes are in the results
                    typer.echo(str(item), err=True)
                outcomes.append((outcome, written))
        entries = [{"file": utf8(o.source.name), "output": written, **o.summary} for o, written in outcomes]
        failed = [e["file"] for e in entries if e["error"]]
        for special in ("summary.json", MANIFEST):
            if file_identity(out / special) in protected:
                typer.echo(str(diagnostic(Mark(str(out / special)), "E-output-is-input")), err=True)
                raise typer.Exit(2)
        summary = dumps({"count": len(entries), "failed": failed, "results": entries}).encode("utf-8")
        write_atomic(out / "summary.json", summary)
        manifest.wrote("summary.json", summary)
        manifest.save()
    finally:  # the bar stops before any line that follows shows, and only once
        if progress:
            progress.stop()
    return entries, list(outcomes)


def _progress(count: int) -> Any:
    """A started progress bar of `count` files on standard error where that is a terminal, as Rich
    judges one; None elsewhere, without importing Rich (a batch in CI or a script)."""
    environ = os.environ
    try:
        maybe = sys.stderr.isatty() or environ.get("FORCE_COLOR") or environ.get("TTY_COMPATIBLE")
    except (AttributeError, ValueError):  # no isatty, or closed
        maybe = False
    if not count or not maybe:
        return None
    from rich.console import Console

    err = Console(stderr=True)
    if not err.is_terminal:
        return None
    from rich.progress import Progress

    from ucj_cli.i18n import _

    progress = Progress(console=err, transient=True)
    progress.add_task(_("Simulating"), total=count)
    progress.start()
    return progress


def _sources(paths: list[str]) -> list:
    """The scenarios named by PATH...; none at all is a usage error (exit 2), not an empty success."""
    from ucj_cli.cli.batch_runner import expand

    sources = expand(paths)
    if not sources:
        usage("E-usage-no-scenarios", paths=Choices(Quoted(path) for path in paths))
    return sources


def _print_summary(outcomes: list, out: Path) -> None:
    """One row per scenario: its status, total, coverage after (the exact rate, not summary.json's
    rounded one) and how many warnings it has (the warnings themselves are on stderr and in
    summary.json)."""
    from ucj_cli.cli.console import console, plain_page
    from ucj_cli.i18n import _, ngettext
    from ucj_cli.i18n import format as fmt
    from ucj_cli.render.simulation import EMPTY, page_table, print_fitted

    rows = []
    for outcome, _written in outcomes:
        entry = outcome.summary
        if entry["error"]:
            rows.append([fmt.safe(outcome.source.name), _("ERROR"), EMPTY, EMPTY, EMPTY, EMPTY])
            continue
        status = f"{_('OVER')} {','.join(entry['overruns'])}" if entry["overruns"] else _("ok")
        rows.append([fmt.safe(outcome.source.name), status, fmt.number(entry["total"]), fmt.number(entry["covered_after"]),
                     fmt.percent(outcome.rate_after), fmt.number(entry["warnings"])])
    headers = [_("File"), _("Status"), _("Total (Rp)"), _("Covered after"), _("Rate after"), _("Warnings")]
    title = ngettext("ucj batch: {count} scenario -> {path}", "ucj batch: {count} scenarios -> {path}",
                     len(outcomes)).format(count=fmt.number(len(outcomes)), path=fmt.path_text(out))
    page = page_table(headers, rows, {2, 3, 4, 5}, title) if plain_page() else None
    if page is None:
        print_fitted(console(), headers, rows, {2, 3, 4, 5}, title=title)
        return
    sys.stdout.write(page)
    sys.stdout.flush()


def register(app: typer.Typer) -> None:
    app.command()(validate)
    app.command()(batch)
