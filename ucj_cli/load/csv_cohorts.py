"""Cohorts from CSV: one row per village, checked like a YAML cohort, reported as `file.csv:row:column`.

A cohort with `from_csv: data/kader.csv` takes its villages from a spreadsheet saved as CSV (UTF-8,
with or without a BOM; `,` or `;` between values; a header row). Required columns are `village` and
`district`; `workers`, `income`, `start` and `months` override the cohort for that row, and an empty
cell keeps the cohort's value. Each row is checked by the same checker as a YAML cohort: the row
becomes a mapping of located values (its cells over the cohort's keys), so every rule a YAML cohort
meets, a row meets, and a problem points at the row and column (the field's number, 1 for A).

National files are large (84,000 villages), so a row that only names its place and a plain worker
count is taken on a fast path, and rows are grouped by their override cells: each group is checked
once, priced once, and becomes one `Cohort` whose workers are the group's sum. The villages are not
held: `village_rows` reads the file again when per-village figures are written.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import os
import re
from array import array
from dataclasses import replace
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, BinaryIO, Iterable, Iterator

from ucj_cli import regions, source
from ucj_cli.errors import Diagnostic, Mark, diagnostic, suggest

from ucj_cli.model import Cohort, FundingScheme, Layout, Places

if TYPE_CHECKING:
    from ucj_cli.load.scenario import _Checker

REQUIRED = ("village", "district")
OVERRIDES = ("income", "start", "months")
COLUMNS = (*REQUIRED, "workers", *OVERRIDES, "code")
# Headers as Indonesian planners write them, read as the English column.
ALIASES = {"desa": "village", "kelurahan": "village", "desa/kelurahan": "village", "nama desa": "village",
           "kecamatan": "district", "jumlah": "workers", "pekerja": "workers", "jumlah pekerja": "workers",
           "kode": "code", "kode desa": "code", "kode wilayah": "code", "penghasilan": "income", "mulai": "start", "bulan": "months"}
NAMES = (*COLUMNS, *ALIASES)
MAX_NOTICES = 50  # place-name warnings per file
MAX_PROBLEMS = 50  # per file: past this, one line says how many more rows are wrong
ROWS_AT_ONCE = 1000  # rows `_groups` takes at a time: a batch of plain rows is summed as columns
_WORKERS = re.compile(r"0|[1-9][0-9]{0,8}")  # below MAX_COUNT; larger counts take the full check
_THOUSANDS = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+")  # `1.000`, `12.500`: read as YAML, a fraction


def path_of(scenario_file: str, written: str) -> str:
    """A `from_csv` path is relative to the scenario's folder (the current folder for stdin)."""
    if os.path.isabs(written) or scenario_file.startswith("<"):
        return written
    return os.path.normpath(os.path.join(os.path.dirname(scenario_file), written))


def csv_paths(scenario_file: str) -> list[str]:
    """The CSV files a scenario file names in `from_csv`, read without checking anything else (for
    `batch`, which must know every input of the run before it writes a result). A file that cannot
    be read or parsed names none: its own run reports why."""
    try:
        with open(scenario_file, "rb") as handle:
            data = handle.read(source.MAX_BYTES + 1)
        if b"from_csv" not in data:
            return []
        root = source.parse(source.decode(data, scenario_file), scenario_file)
    except (OSError, source.SourceError, ValueError):
        return []
    cohorts = root.value.get("cohorts") if root is not None and root.kind == "map" else None
    if cohorts is None or cohorts.node.kind != "seq":
        return []
    found = []
    for item in cohorts.node.value:
        entry = item.value.get("from_csv") if item.kind == "map" else None
        if entry is not None and entry.node.kind == "scalar" and isinstance(entry.node.value, str) and entry.node.value.strip():
            found.append(path_of(scenario_file, entry.node.value.strip()))
    return found


def read(path: str) -> str:
    """The file's text: UTF-8 with or without a BOM, within the input limit."""
    with open(path, "rb") as handle:
        return _whole(handle, path)[0]


def _whole(handle: BinaryIO, path: str) -> tuple[str, tuple[int, int, int, bytes]]:
    """The text of an open file and its identity as read (device, inode, size, digest of its bytes:
    a modification time can stay the same over two writes within a clock tick)."""
    from hashlib import blake2b

    status = os.fstat(handle.fileno())
    data = handle.read(source.MAX_BYTES + 1)
    identity = (status.st_dev, status.st_ino, len(data), blake2b(data, digest_size=16).digest())
    if len(data) > source.MAX_BYTES:  # said of a CSV file, not of a scenario
        raise source.SourceError(_too_large(path))
    return source.decode(data, path), identity


def _too_large(path: str) -> Diagnostic:
    from ucj_cli.i18n.messages import Count

    return diagnostic(Mark(path), "E-csv-too-large", limit=Count(source.MAX_BYTES // 2**20))


class _Text:
    """A CSV file's lines, read as often as needed without holding its text: a regular file is
    read again from disk each time (a national file at 8x is 20 MB of text); anything else (a pipe)
    is read once and its text held."""

    def __init__(self, path: str, text: str | None = None) -> None:
        self.path, self.text = path, text

    def open(self) -> "contextlib.AbstractContextManager[Iterable[str]]":
        """The lines with their endings, as io.StringIO(newline="") splits them. Reading them, a
        file that no longer reads as it was checked (removed, no longer UTF-8) raises OSError or
        UnicodeDecodeError (`changed` says it)."""
        if self.text is not None:
            return contextlib.nullcontext(_lines(self.text))
        return open(self.path, encoding="utf-8-sig", newline="")

    def changed(self) -> source.SourceError:
        return source.SourceError(diagnostic(Mark(self.path), "E-csv-changed"))


_CHUNK = 1 << 20


def _open(path: str) -> tuple[_Text, tuple[int, int, int, bytes]]:
    """The file to read rows from and its identity (as `_whole` gives it), checked as `read` checks
    it: within the input limit, UTF-8 (a bad byte reported at its line and column). A regular file
    is checked a megabyte at a time and its text is not held."""
    import codecs
    import stat
    from hashlib import blake2b

    with open(path, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            text, identity = _whole(handle, path)
            return _Text(path, text), identity
        digest, decoder, size = blake2b(digest_size=16), codecs.getincrementaldecoder("utf-8")(), 0
        try:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                if size > source.MAX_BYTES:
                    raise source.SourceError(_too_large(path))
                digest.update(chunk)
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:  # located as `read` locates it, from the whole file
            handle.seek(0)
            text, identity = _whole(handle, path)
            return _Text(path, text), identity  # pragma: no cover - only if the file was rewritten meanwhile
    return _Text(path), (status.st_dev, status.st_ino, size, digest.digest())


def _records(text: _Text, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, fields), blank lines skipped. A cell past the csv
    module's field limit (131,072 characters: no village name or count is that long, but a missing
    closing quote makes one of the rest of the file) is a SourceError at that cell."""
    line = 1
    try:
        with text.open() as lines:
            reader = csv.reader(lines, delimiter=delimiter, strict=False)
            for row in reader:
                if row and (len(row) > 1 or row[0].strip()):
                    yield line, row
                line = reader.line_num + 1
    except csv.Error:
        raise source.SourceError(_too_long(text, delimiter, line)) from None
    except (OSError, UnicodeDecodeError):
        raise text.changed() from None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")  # lines as io.StringIO(newline="") splits them


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` with their endings, one at a time (io.StringIO would hold a copy of the
    whole file at four bytes a character)."""
    return (match.group() for match in _LINE.finditer(text))


def _too_long(text: _Text, delimiter: str, line: int) -> Diagnostic:
    """The cell of the record starting at `line` that is longer than the csv field limit."""
    from ucj_cli.i18n.messages import Count

    limit = csv.field_size_limit()
    csv.field_size_limit(source.MAX_BYTES + 1)
    try:
        with text.open() as lines:
            lines = iter(lines)
            for _ in range(line - 1):
                next(lines, None)
            row = next(csv.reader(lines, delimiter=delimiter, strict=False), [])
    except csv.Error:  # pragma: no cover - the limit is lifted; nothing else fails without strict
        row = []
    except (OSError, UnicodeDecodeError):
        return text.changed().diagnostic
    finally:
        csv.field_size_limit(limit)
    column = next((index + 1 for index, cell in enumerate(row) if len(cell) > limit), 1)
    return diagnostic(Mark(text.path, line, column), "E-csv-cell-too-long", limit=Count(limit))


def _delimiter(text: _Text) -> str:
    """`;` when the header (the first line that is not blank, as `_records` reads it) holds more
    of them than commas (Indonesian Excel), else `,`."""
    try:
        with text.open() as lines:
            header = next((part for line in lines for part in line.splitlines() if part.strip()), "")
    except (OSError, UnicodeDecodeError):
        raise text.changed() from None
    return ";" if header.count(";") > header.count(",") else ","


def check(checker: "_Checker", node: source.Node, year: int | None, funding: "dict[str, FundingScheme]") -> list["Cohort"]:
    """The cohorts (one per group of rows priced alike) of a YAML cohort with `from_csv`; every
    problem of the cohort or its rows goes to `checker`."""
    from ucj_cli.i18n.messages import Quoted

    entry = node.value["from_csv"]
    written = entry.node.value if entry.node.kind == "scalar" and entry.node.tag == "str" else None
    if not written or not str(written).strip():
        checker.problems.append(diagnostic(entry.node.mark, "E-csv-path"))
        return []
    path = path_of(checker.filename, str(written).strip())
    try:
        text, identity = _open(path)
    except source.SourceError as exc:
        checker.problems.append(exc.diagnostic)
        return []
    except OSError as exc:
        checker.problems.append(diagnostic(entry.node.mark, "E-csv-unreadable", path=Quoted(path), reason=exc.strerror or str(exc)))
        return []
    body = {key: value for key, value in node.value.items() if key != "from_csv"}
    try:
        delimiter = _delimiter(text)
        records = _records(text, delimiter)
        layout = _layout(checker, path, delimiter, next(records, None), body, entry.node.mark)
    except source.SourceError as exc:
        checker.problems.append(exc.diagnostic)
        return []
    if layout is None:
        return []
    template = source.Node("map", body, node.mark, "map")
    if "workers" not in body:  # the file gives them: check the rest of the cohort with a stand-in
        body["workers"] = source.Entry(entry.key_mark, source.Node("scalar", 0, entry.node.mark, "int", "0"))
    if checker.cohort(template, year, funding) is None:
        return []  # the cohort's own keys are wrong: reported at their YAML places
    key = _cache_key(checker, identity, layout, template, year, funding)
    known = _CHECKED.get(key) if key is not None else None
    if known is not None and known[0] is checker.shipped:  # the same file read with the same terms before
        _, cohorts, problems, notices = known
        checker.problems.extend(problems)
        checker.notices.extend(notices)
        return [replace(cohort, mark=template.mark) for cohort in cohorts]
    problems_before, notices_before = len(checker.problems), len(checker.notices)
    try:
        try:
            cohorts = _groups(checker, layout, records, template, year, funding, exact=False)
        except _Duplicates:  # a village twice (or two names hashed alike): again, naming each first row
            del checker.problems[problems_before:], checker.notices[notices_before:]
            cohorts = _groups(checker, layout, itertools.islice(_records(text, delimiter), 1, None), template, year, funding, exact=True)
    except source.SourceError as exc:  # a cell too long: the rows before it are reported too
        checker.problems.append(exc.diagnostic)
        cohorts = []
    if key is not None:
        _CHECKED[key] = (checker.shipped, tuple(cohorts), tuple(checker.problems[problems_before:]), tuple(checker.notices[notices_before:]))
    return cohorts


# Each CSV file is read and checked once per process for the same terms (`compare` of two
# scenarios naming the same files, `batch`): keyed by the file's identity and content and everything
# the check of its rows depends on. Every diagnostic of the rows is marked in the CSV file, so it is
# replayed as it was; the cohorts take the mark of the YAML cohort that names the file this time.
_CHECKED: dict[tuple, tuple] = {}
_CHECKED_MAX = 64


def _cache_key(checker: "_Checker", identity: tuple, layout: Layout, template: source.Node, year: int | None,
               funding: "dict[str, FundingScheme]") -> tuple | None:
    try:
        key = (identity, layout, _plain(template), year, tuple(funding.items()), id(checker.shipped), checker.rules.what_if,
               checker.region_code, checker.region_given, frozenset(checker.declared_schemes), checker.village_budget,
               layout.path == checker.filename)
        hash(key)
    except TypeError:  # a value that cannot be a key: checked afresh
        return None
    if len(_CHECKED) >= _CHECKED_MAX and key not in _CHECKED:
        _CHECKED.pop(next(iter(_CHECKED)))
    return key


def _plain(node: source.Node) -> tuple:
    """A YAML node as written, without its marks."""
    if node.kind == "map":
        return ("map", node.tag, tuple((key, _plain(entry.node)) for key, entry in node.value.items()))
    if node.kind == "seq":
        return ("seq", node.tag, tuple(_plain(item) for item in node.value))
    return (node.kind, node.tag, node.text, type(node.value).__name__, node.value)


def _layout(checker: "_Checker", path: str, delimiter: str, header: tuple[int, list[str]] | None, body: dict, mark: Mark) -> Layout | None:
    from ucj_cli.i18n.messages import Choices, Quoted
    from ucj_cli.errors import suggest

    if header is None:
        checker.problems.append(diagnostic(Mark(path), "E-csv-empty"))
        return None
    line, names = header
    names = [raw.strip().lstrip("\ufeff") for raw in names]
    while len(names) > 1 and not names[-1]:  # Excel's trailing empty columns (`;;`)
        names.pop()
    columns: dict[str, int] = {}
    ok = True
    for index, raw in enumerate(names):
        written = " ".join(raw.lower().split())
        name = ALIASES.get(written, written)
        where = Mark(path, line, index + 1)
        if name not in COLUMNS:
            checker.problems.append(diagnostic(where, "E-csv-column", column=Quoted(raw), hint=suggest(written, NAMES), expected=Choices(NAMES)))
            ok = False
        elif name in columns:
            checker.problems.append(diagnostic(where, "E-csv-column-twice", column=Quoted(name), first=columns[name] + 1))
            ok = False
        else:
            columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            checker.problems.append(diagnostic(Mark(path, line, 1), "E-csv-no-column", column=Quoted(name)))
            ok = False
    if "workers" not in columns and "workers" not in body:
        checker.problems.append(diagnostic(mark, "E-csv-no-workers", path=Quoted(path)))
        ok = False
    if not ok:
        return None
    default = body.get("workers")
    default_workers = default.node.value if default is not None and default.node.tag == "int" else None
    region = checker.region_code if checker.region_code.count(".") == 1 else ""  # names are matched within a kabupaten/kota
    return Layout(path, delimiter, columns["village"], columns["district"],
                  columns.get("workers"), tuple(columns.get(name) for name in OVERRIDES), default_workers, len(names),
                  columns.get("code"), region)


class _Rows:
    """A file's row problems: all of the first MAX_PROBLEMS bad rows, then only a count."""

    def __init__(self, checker: "_Checker") -> None:
        self.checker = checker
        self.bad = 0
        self.unlisted = 0  # the line of the first bad row not listed

    @property
    def full(self) -> bool:
        return self.bad >= MAX_PROBLEMS

    def add(self, line: int, items: list[Diagnostic]) -> None:
        self.bad += 1
        if self.bad <= MAX_PROBLEMS:
            self.checker.problems.extend(items)
        elif not self.unlisted:
            self.unlisted = line


class _Duplicates(Exception):
    """A village hashed twice in one group and district: the file is read again exactly."""


def _seen_twice(sums: dict[tuple[str, ...], dict[str, list]]) -> bool:
    return any(len(set(hashes)) != len(hashes) for districts in sums.values() for hashes, _, _ in districts.values())


def _plain_rows(layout: Layout, batch: list[tuple[int, list[str]]], by_area: dict[str, list], places: "_Places | None",
                problems: _Rows) -> bool:
    """Sums a batch of rows of the one group of a file without override cells into `by_area`, each
    cell a column at once (a national file has 500,000 rows), when every row is plain: as many cells
    as the header, a village and a district, a count as the per-row fast path takes it. Else False,
    nothing done: the rows go one by one. With `places` (a code column or a region), each village is
    matched as the per-row path matches it, a code that is not a village's a problem at its row."""
    lines, rows = zip(*batch)
    if set(map(len, rows)) != {layout.width}:
        return False
    names = list(map(str.strip, map(itemgetter(layout.village), rows)))
    areas = list(map(str.strip, map(itemgetter(layout.district), rows)))
    if not (all(names) and all(areas)):
        return False
    if layout.workers is not None:
        texts = list(map(str.strip, map(itemgetter(layout.workers), rows)))
        if not all(map(_WORKERS.fullmatch, texts)):
            return False
        counts = list(map(int, texts))
    elif layout.default_workers is not None:
        counts = [layout.default_workers] * len(rows)
    else:
        return False
    if places is None:
        idents: list[str | None] = regions.keys(names)  # as `_plain_key` makes each
    else:
        idents = []
        for line, row, name, area in zip(lines, rows, names, areas):  # each row's problem said before the next row is matched
            ident = places.ident(line, row, name, area)
            if ident is None:  # a code that is not a village's, or outside the region
                problems.add(line, places.found)
            idents.append(ident)
    for area, run in itertools.groupby(zip(areas, idents, counts), key=itemgetter(0)):  # rows of one district come together
        kept = [(ident, count) for _area, ident, count in run if ident is not None]
        counts_of = by_area.get(area)
        if counts_of is None:
            counts_of = by_area[area] = [array("q"), 0, 0]
        counts_of[0].extend(map(hash, map(itemgetter(0), kept)))
        counts_of[1] += len(kept)
        counts_of[2] += sum(map(itemgetter(1), kept))
    return True


def _groups(checker: "_Checker", layout: Layout, records: Iterator[tuple[int, list[str]]], template: source.Node,
            year: int | None, funding: "dict[str, FundingScheme]", exact: bool) -> list["Cohort"]:
    """Check every row and sum the rows of each group. A row on the fast path costs a few string
    tests; a group is checked in full once; a row that fails goes through the full checker, so
    its problems are reported at its own cells.

    Not `exact`, a village is kept as the 64-bit hash of its identity (8 bytes, not its name) while
    the file is read: a hash seen twice in one group and district raises _Duplicates, and the caller
    reads the file again `exact`ly, keeping each village's first line to name it in the duplicate's
    error. Past the file only counts are kept (`engine.places.by_district` reads the villages again)."""
    groups: dict[tuple[str, ...], "Cohort | None"] = {}
    sums: dict[tuple[str, ...], dict[str, list]] = {}  # key -> district -> [village hashes, or {village: first line}, rows, workers]
    village, district, workers_at, width = layout.village, layout.district, layout.workers, layout.width
    default = layout.default_workers
    problems = _Rows(checker)
    places = _Places(checker, layout)
    by_name = layout.code is None and places.index is None  # no code to check, no region to match: the name alone
    constant = layout.key([]) if all(i is None for i in layout.overrides) else None  # no override cells: every row one group
    rows = 0
    last_key, last_area, counts = None, None, []
    records = iter(records)
    stopped: source.SourceError | None = None  # a cell too long: the rows before it are checked first
    try:
        while stopped is None:
            batch: list[tuple[int, list[str]]] = []
            try:
                batch.extend(itertools.islice(records, ROWS_AT_ONCE))
            except source.SourceError as exc:
                stopped = exc
            if not batch:
                break
            rows += len(batch)
            if constant is not None and not exact and groups.get(constant) is not None \
                    and _plain_rows(layout, batch, sums.setdefault(constant, {}), places if not by_name else None, problems):
                last_key = None  # the per-row path looks its district up again
                continue
            for line, row in batch:
                if len(row) != width and (len(row) < width or any(cell.strip() for cell in row[width:])):  # trailing empty cells are Excel's
                    problems.add(line, [diagnostic(Mark(layout.path, line, min(len(row), width) + 1), "E-csv-fields", got=len(row), want=width)])
                    continue
                place, area = row[village].strip(), row[district].strip()
                workers_text = row[workers_at].strip() if workers_at is not None else ""
                key = constant if constant is not None else layout.key(row)
                cohort = groups.get(key)
                if place and area and cohort and (_WORKERS.fullmatch(workers_text) or (not workers_text and default is not None)):
                    workers = int(workers_text) if workers_text else default
                elif problems.full and key in groups and cohort is None:
                    problems.add(line, [])  # a group already known to be wrong: counted, not checked again
                    continue
                else:
                    checked, found = _check_row(checker, layout, line, row, template, year, funding)
                    if checked is None:
                        problems.add(line, found)
                        groups.setdefault(key, None)
                        continue
                    if cohort is None:
                        groups[key] = checked
                    workers = checked.workers
                ident = _plain_key(place) if by_name else places.ident(line, row, place, area)
                if ident is None:  # a code that is not a village's, or outside the region
                    problems.add(line, places.found)
                    continue
                if key is not last_key or area != last_area:  # rows of one district come together: looked up once
                    by_area = sums.get(key)
                    if by_area is None:
                        by_area = sums[key] = {}
                    counts = by_area.get(area)
                    if counts is None:
                        counts = by_area[area] = [{} if exact else array("q"), 0, 0]
                    last_key, last_area = key, area
                if exact:
                    first = counts[0].setdefault(ident, line)  # a village's first line: it is priced once for the same terms
                    if first != line:
                        problems.add(line, [_duplicate(layout, line, place, area, first)])
                        continue
                else:
                    counts[0].append(hash(ident))
                counts[1] += 1
                counts[2] += workers
        if stopped is not None:
            raise stopped
    except source.SourceError:
        if not exact and _seen_twice(sums):
            raise _Duplicates() from None
        raise
    if not exact and _seen_twice(sums):
        raise _Duplicates()
    if problems.bad > MAX_PROBLEMS:
        checker.problems.append(diagnostic(Mark(layout.path, problems.unlisted), "E-csv-more", count=problems.bad - MAX_PROBLEMS))
    if not rows:
        checker.problems.append(diagnostic(Mark(layout.path), "E-csv-no-rows"))
    if problems.bad or not rows:
        return []
    name = str(template.value["name"].node.value).strip()
    found = []
    for number, (key, cohort) in enumerate(groups.items(), start=1):
        districts = tuple((area, villages, total) for area, (_, villages, total) in sums[key].items())
        places = Places(layout, key, sum(villages for _, villages, _ in districts), districts, name)
        label = cohort.name if len(groups) == 1 else f"{cohort.name} #{number}"
        found.append(replace(cohort, name=label, workers=sum(total for _, _, total in districts), places=places, mark=template.mark))
    return found


_plain_key = regions.key.__wrapped__  # a village as matched: `Kalipucung` = `kalipucung ` = `Ds. Kalipucung`; uncached: a national file's names would fill the cache (65 MiB at 8x) and seldom repeat within one file


@lru_cache(maxsize=4)
def _region_index(code: str) -> dict[str, tuple[str, dict[str, tuple[str, str]]]]:
    """kecamatan key -> (its name, village key -> (code, official name)) of kabupaten/kota `code`."""
    index: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {}
    for district, village in regions.villages(code):
        index.setdefault(regions.key(district.name), (district.name, {}))[1][regions.key(village.name)] = (village.code, village.name)
    return index


class _Places:
    """Each row's village as one identity: its Kemendagri code (given, or found by name in the
    scenario's region) or else its name as matched (`Kalipucung` = `kalipucung `). Codes that are
    not a village's, or outside the scenario's `region_code:`, are errors at their cell; names that
    differ from the official one, or match nothing in the region, are warnings."""

    def __init__(self, checker: "_Checker", layout: Layout) -> None:
        self.checker, self.layout = checker, layout
        self.index = _region_index(layout.region) if layout.region else None
        self.given = checker.region_code if checker.region_given else ""
        self.notices = 0
        self.named: set[str] = set()  # kecamatan already warned about
        self.found: list[Diagnostic] = []

    def notice(self, mark: Mark, code: str, **args: object) -> None:
        self.notices += 1
        if self.notices <= MAX_NOTICES:
            self.checker.notices.append(diagnostic(mark, code, **args))

    def ident(self, line: int, row: list[str], place: str, area: str) -> str | None:
        from ucj_cli.i18n.messages import Quoted

        layout = self.layout
        text = row[layout.code].strip() if layout.code is not None else ""
        if text:
            mark = Mark(layout.path, line, layout.code + 1)
            found = regions.get(text) if regions.CODE.fullmatch(text) else None
            if found is None or found.level != "village":
                self.found = [diagnostic(mark, "E-csv-village-code", village_code=Quoted(text))]
                return None
            if self.given and not text.startswith(self.given + "."):
                other = regions.get(text[:5])
                self.found = [diagnostic(mark, "E-csv-village-outside", village_code=text, official=Quoted(found.name), other=Quoted(other.name),
                                         region=self.given, name=Quoted(regions.get(self.given).name))]
                return None
            if regions.key(found.name) != _plain_key(place):
                district = regions.get(text.rpartition(".")[0])
                self.notice(Mark(layout.path, line, layout.village + 1), "W-csv-village-name", village_code=text, official=Quoted(found.name),
                            district=Quoted(district.name), village=Quoted(place))
            return text
        name = _plain_key(place)
        if self.index is None:
            return name
        region = Quoted(regions.get(layout.region).name)
        district = self.index.get(_plain_key(area))
        if district is None:
            if area not in self.named:
                self.named.add(area)
                self.notice(Mark(layout.path, line, layout.district + 1), "W-csv-district-unknown", district=Quoted(area), region=region,
                            hint=suggest(area, [name for name, _ in self.index.values()]))
            return name
        village = district[1].get(name)
        if village is None:
            self.notice(Mark(layout.path, line, layout.village + 1), "W-csv-village-unknown", village=Quoted(place), district=Quoted(district[0]),
                        region=region, hint=suggest(place, [official for _, official in district[1].values()]))
            return name
        return village[0]


def village_code(layout: Layout, row: list[str]) -> str:
    """The Kemendagri code of a checked row: its `kode` cell, or the code its names match in the
    scenario's region, or ''."""
    if layout.code is not None and row[layout.code].strip():
        return row[layout.code].strip()
    if not layout.region:
        return ""
    district = _region_index(layout.region).get(_plain_key(row[layout.district].strip()))
    village = district[1].get(_plain_key(row[layout.village].strip())) if district is not None else None
    return village[0] if village is not None else ""


def _duplicate(layout: Layout, line: int, place: str, area: str, first: int) -> Diagnostic:
    from ucj_cli.i18n.messages import Quoted

    return diagnostic(Mark(layout.path, line, layout.village + 1), "E-csv-duplicate-village", village=Quoted(place),
                      district=Quoted(area), first=f"{layout.path}:{first}:{layout.village + 1}")


def _check_row(checker: "_Checker", layout: Layout, line: int, row: list[str], template: source.Node,
               year: int | None, funding: "dict[str, FundingScheme]") -> tuple["Cohort | None", list[Diagnostic]]:
    """A row through the full checker: its cells over the cohort's keys; the cohort, or None and
    the row's problems. Problems the checker pins on the cohort's YAML (a start that pushes its
    `months` past December) move to the row."""
    from ucj_cli.i18n.messages import Label

    entries = dict(template.value)
    empty = []
    for name, index in (("workers", layout.workers), *zip(OVERRIDES, layout.overrides)):
        if index is None:
            continue
        mark = Mark(layout.path, line, index + 1)
        cell = row[index].strip()
        if _THOUSANDS.fullmatch(cell):  # `1.000` from an Indonesian spreadsheet: thousands, not a fraction
            value = source.Node("scalar", cell, mark, "str", cell)
        else:
            value = source.plain_scalar(cell, mark)  # typed as YAML types it: `1.000.000` meets the same check
        if value.value is None and (name != "workers" or layout.default_workers is not None):
            continue  # an empty cell keeps the cohort's value
        if value.value is None:  # a workers cell, and the cohort has no `workers:` to fall back on
            empty.append(diagnostic(mark, "E-csv-empty-workers"))
            value = source.plain_scalar("0", mark)
        entries[name] = source.Entry(mark, value)
    found = [diagnostic(Mark(layout.path, line, index + 1), "E-csv-empty-cell", column=name)
             for name, index in ((Label("village"), layout.village), (Label("district"), layout.district)) if not row[index].strip()]
    found += empty
    before = len(checker.problems)
    cohort = checker.cohort(source.Node("map", entries, Mark(layout.path, line, 1), "map"), year, funding)
    found += [item if item.mark.file == layout.path else replace(item, mark=Mark(layout.path, line, 1)) for item in checker.problems[before:]]
    del checker.problems[before:]
    return (None, found) if found else (cohort, [])


def village_rows(cohorts: "tuple[Cohort, ...]") -> Iterator[tuple["Cohort", str, str, str, int]]:
    """(cohort, district, village, Kemendagri code or '', workers) for every row of every CSV file, in scenario and file
    order, read again from the files (already checked, so on the fast path). A file that no longer
    reads as it was checked (edited or removed meanwhile: a row of an unknown group, a short row,
    a bad count, other totals) raises ScenarioError E-csv-changed rather than mislead."""
    from ucj_cli.errors import ScenarioError

    by_file: dict[tuple[Layout, str], dict[tuple[str, ...], "Cohort"]] = {}
    for cohort in cohorts:
        if cohort.places is not None:
            by_file.setdefault((cohort.places.layout, cohort.places.origin), {})[cohort.places.key] = cohort
    for (layout, _), groups in by_file.items():
        village, district, workers, default = layout.village, layout.district, layout.workers, layout.default_workers
        only = next(iter(groups.values())) if len(groups) == 1 else None  # no overrides: no key to look up
        fixed = only.places.key if only is not None else None
        coded = layout.code is not None or bool(layout.region)  # else no row has a code
        counted = dict.fromkeys(groups, 0)
        reader = None
        try:
            with _Text(layout.path).open() as lines:  # read as `_records` reads it, without its layer: a national run has 500,000 rows
                reader = csv.reader(lines, delimiter=layout.delimiter, strict=False)
                header = True
                for row in reader:
                    if not row or (len(row) == 1 and not row[0].strip()):  # a blank line
                        continue
                    if header:
                        header = False
                        continue
                    text = row[workers].strip() if workers is not None else ""
                    key = layout.key(row) if fixed is None else fixed
                    count = int(text) if text else default
                    counted[key] += count
                    yield (only or groups[key], row[district].strip(), row[village].strip(), village_code(layout, row) if coded else "", count)
        except (KeyError, IndexError, ValueError, TypeError, OSError, UnicodeDecodeError, csv.Error):
            raise ScenarioError([diagnostic(Mark(layout.path, reader.line_num if reader is not None else 0), "E-csv-changed")]) from None
        if any(counted[key] != cohort.workers for key, cohort in groups.items()):
            raise ScenarioError([diagnostic(Mark(layout.path), "E-csv-changed")])
