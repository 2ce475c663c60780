"""Official regions, built in: Kemendagri codes and names and Dukcapil population.

`data/` holds, compressed, the Kemendagri region codes (Kepmendagri 300.2.2-2430/2025: 38 provinces
`35`, 514 kabupaten/kota `35.05`, 7,285 kecamatan `35.05.01`, 83,762 desa/kelurahan
`35.05.01.2001`) and the Dukcapil population by kabupaten/kota and province (December 2024), with
their source and MIT licence (`data/README.md`, `data/LICENSE-wilayah.txt`). The codes come in two
parts, provinces and kabupaten/kota (what a scenario's `region:` is matched against on every run, a
few KB) and kecamatan and desa/kelurahan (read only for villages). Nothing is read until asked for;
each table is read once per process.

Names are matched the way planners write them: `key()` ignores case, spacing, punctuation and the
prefixes `Desa`, `Ds.`, `Kel.`, `Kelurahan`, `Kec.`, `Kecamatan`, so `Ds. Kali Pucung` and
`kalipucung ` are the same village.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from pathlib import Path

from ucj_cli.frozen import frozen

UPPER = "wilayah-kepmendagri-2025-provinsi-kabupaten.csv.gz"  # the provinces and kabupaten/kota
LOWER = "wilayah-kepmendagri-2025-kecamatan-desa.csv.gz"  # the kecamatan and desa/kelurahan
PENDUDUK = "penduduk-dukcapil-2024.csv.gz"
# What the population figure is, for messages and the starter scenario.
POPULATION_SOURCE = "Dukcapil, semester II 2024"
CODES_SOURCE = "Kepmendagri 300.2.2-2430/2025"
LEVELS = ("province", "regency", "district", "village")  # provinsi, kabupaten/kota, kecamatan, desa/kelurahan
CODE = re.compile(r"[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?")
_PREFIX = re.compile(r"^(desa|ds|kelurahan|kel|kecamatan|kec)(\.\s*|\s+)")
_NOISE = re.compile(r"[\s.\-'`’_]+")
_DROP = dict.fromkeys(map(ord, " \t\n\r\xa0.-'`’_"))
_PREFIXES = ("desa", "ds", "kel", "kec")
# `key` of many names between NULs (never in a name `keys` takes): a prefix at the start of a name
# with the spaces before it (spaces alone after a prefix end the name, not a prefix); then `_DROP`.
# The other whitespace (`_ODD_SPACE`), which `key` strips only around a prefixed name, takes `key`.
_PREFIXED = re.compile(r"\0\s*(?:desa|ds|kelurahan|kel|kecamatan|kec)(?:\.\s*|\s+(?=[^\s\0]))")  # NUL first: tried only there
_ODD_SPACE = re.compile(r"[^\S \t\n\r\xa0]")
_DROPPED = re.compile("[ \t\n\r\xa0.\\-'`’_]+")


@frozen
class Region:
    """One official region: its code and name as Kemendagri writes them."""

    code: str
    name: str

    @property
    def level(self) -> str:
        return LEVELS[self.code.count(".")]


def _text(name: str) -> str:
    return zlib.decompress((Path(__file__).with_name("data") / name).read_bytes(), 16 + zlib.MAX_WBITS).decode("utf-8")  # one gzip member


def _read(name: str) -> list[tuple[str, str]]:
    """(code, rest of the line) of a shipped table, header left out; names with a comma are quoted."""
    raw = _text(name)
    rows = []
    for line in raw.splitlines()[1:]:
        code, _, rest = line.partition(",")
        rows.append((code, rest))
    return rows


def _named(name: str) -> dict[str, str]:
    """code -> name of a table of codes, in its (code) order."""
    return {code: rest[1:-1].replace('""', '"') if rest.startswith('"') else rest for code, rest in _read(name)}


@lru_cache(maxsize=1)
def _upper() -> dict[str, str]:
    """code -> name of the provinces and kabupaten/kota only, in code order."""
    return _named(UPPER)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """code -> name, every level: the provinces and kabupaten/kota, then the kecamatan and desa, each
    in code order (so each region's children are in code order)."""
    return {**_upper(), **_named(LOWER)}


@lru_cache(maxsize=1)
def _children() -> dict[str, list[str]]:
    """parent code -> its children's codes, in code order ('' -> the provinces)."""
    found: dict[str, list[str]] = {}
    for code in _names():
        found.setdefault(code.rpartition(".")[0], []).append(code)
    return found


@lru_cache(maxsize=1)
def _population() -> dict[str, int]:
    """code -> total population (kabupaten/kota and province; `0` is Indonesia)."""
    return {code: int(rest.rsplit(",", 1)[1]) for code, rest in _read(PENDUDUK)}


def get(code: str) -> Region | None:
    """The region of `code` (`35.05`, `35.05.01.2001`), or None when Kemendagri has no such code."""
    name = (_upper() if code.strip().count(".") <= 1 else _names()).get(code.strip())
    return Region(code.strip(), name) if name is not None else None


def children(code: str) -> list[Region]:
    """The regions directly under `code` ('' for the provinces), in code order."""
    names = _names()
    return [Region(child, names[child]) for child in _children().get(code, ())]


def villages(code: str) -> list[tuple[Region, Region]]:
    """(kecamatan, desa/kelurahan) of every village of kabupaten/kota `code`, in code order."""
    return [(district, village) for district in children(code) for village in children(district.code)]


def of_level(level: str) -> list[Region]:
    """Every region of one level (`province`, `regency`, `district`, `village`)."""
    dots = LEVELS.index(level)
    return [Region(code, name) for code, name in (_upper() if dots <= 1 else _names()).items() if code.count(".") == dots]


def population(code: str) -> int | None:
    """The Dukcapil population (December 2024) of a kabupaten/kota or province, or None."""
    return _population().get(code)


@lru_cache(maxsize=1 << 18)  # a national run meets each village name once per cohort file
def key(name: str) -> str:
    """A name as matched: lower case, without the prefixes Desa/Ds./Kel./Kelurahan/Kec./Kecamatan,
    spaces or punctuation (`Ds. Kali Pucung` -> `kalipucung`)."""
    text = name.casefold()
    if text.isalpha():
        return text
    if text.startswith(_PREFIXES) or text.lstrip().startswith(_PREFIXES):
        stripped = text.strip()
        found = _PREFIX.match(stripped)  # `\s+` and `\.\s*` take any spacing after the prefix
        if found:
            text = stripped[found.end():]
    return text if text.isalnum() else text.translate(_DROP)  # letters and digits only: nothing to drop


def keys(names: list[str]) -> list[str]:
    """`key` of each of `names`, made at once over their joined text (a national file has 500,000
    villages): the same names as `key` makes one by one, which a name with NUL or odd spaces takes."""
    joined = "\0" + "\0".join(names) + "\0"  # each name between two
    if joined.count("\0") != len(names) + 1 or _ODD_SPACE.search(joined):
        return list(map(key.__wrapped__, names))
    return _DROPPED.sub("", _PREFIXED.sub("\0", joined.casefold()))[1:-1].split("\0")


def regency_key(name: str) -> str:
    """A kabupaten/kota name as matched, `Kab.` written out (`Kab. Blitar` = `Kabupaten Blitar`)."""
    text = " ".join(name.split()).casefold()
    text = re.sub(r"^kab(\.\s*|\s+)", "kabupaten ", text)
    return _NOISE.sub("", text)


def find_regency(text: str) -> tuple[Region | None, list[Region]]:
    """The kabupaten/kota a planner means by `text`: its code (`35.05`), its name in any case
    (`kabupaten blitar`, `Kab. Blitar`), or a part of the name that only it holds (`Blitar` is
    Kabupaten and Kota Blitar: not unique). (region, []) when found; (None, candidates) otherwise:
    every region whose name holds the text (ambiguous), or none."""
    text = text.strip()
    if CODE.fullmatch(text):
        region = get(text)
        return (region, []) if region is not None and region.level == "regency" else (None, [])
    wanted = regency_key(text)
    regencies = of_level("regency")
    exact = [region for region in regencies if regency_key(region.name) == wanted]
    if len(exact) == 1:
        return exact[0], []
    holding = [region for region in regencies if wanted and wanted in regency_key(region.name)]
    if len(holding) == 1:
        return holding[0], []
    return None, holding


@lru_cache(maxsize=64)  # a batch asks it of the same few regions over and over
def regency_of(name: str) -> Region | None:
    """The kabupaten/kota whose official name is `name` (ignoring case and spacing), or None."""
    wanted = regency_key(name)
    return next((region for region in of_level("regency") if regency_key(region.name) == wanted), None)
