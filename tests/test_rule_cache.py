"""The checked rule book kept in ucj's cache folder (`rules/cache.py`): the same book as read from
the files, used only under the same key, and never trusted: a folder holding garbage, links, a FIFO,
another user's file or nothing writable is the same as no cache."""

from __future__ import annotations

import json
import os
import random
import stat
import zlib
import sys

import pytest
import yaml

from conftest import SCENARIOS, run_ucj
from ucj_cli.rules import book, cache


def _load():
    return book.load_rulebook.__wrapped__()


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty cache home of the test's own; the cache folder is `<it>/ucj`."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "ucj"


def _same_book(found, expected) -> None:
    assert list(found.parameters) == list(expected.parameters)
    for name, parameter in expected.parameters.items():
        other = found.parameters[name]
        assert other == parameter and other.mark == parameter.mark, name
        texts = [(parameter.description, other.description), (parameter.reference, other.reference)]
        texts += [(a.reference, b.reference) for a, b in zip(parameter.entries, other.entries)]
        texts += [(a.unverified, b.unverified) for a, b in zip(parameter.entries, other.entries)]
        if parameter.projection:
            texts += [(parameter.projection.growth, other.projection.growth), (parameter.projection.reference, other.projection.reference)]
        for a, b in texts:  # the Indonesian of each text too, which str equality does not see
            assert type(a) is type(b) and a == b and getattr(a, "indonesian", None) == getattr(b, "indonesian", None), name
        assert [type(entry.value) for entry in parameter.entries] == [type(entry.value) for entry in other.entries], name
    assert found.projected == expected.projected and found._changes == expected._changes


def _stored(folder):
    """(key, value) of the cache file."""
    head, _, body = (folder / book.CACHE).read_bytes().partition(b"\n")
    return json.loads(head)["key"], json.loads(body)


def _read_files_fails(monkeypatch):
    def fail(*_args):
        raise AssertionError("the rule files were read although the cache holds the book")

    monkeypatch.setattr(book, "_read", fail)


def test_the_cached_book_is_the_book_read_from_the_files(folder, monkeypatch):
    read = _load()
    assert (folder / book.CACHE).is_file()
    assert stat.S_IMODE((folder / book.CACHE).stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    with monkeypatch.context() as patched:
        _read_files_fails(patched)
        cached = _load()
    _same_book(cached, read)
    assert [name for name in os.listdir(folder)] == [book.CACHE]  # no temporary file left


def test_a_cache_under_another_key_is_rebuilt(folder, monkeypatch):
    _load()
    right, value = _stored(folder)
    for change in ("0.0.0-other", "code", "files"):
        key = json.loads(json.dumps(right))
        if change == "0.0.0-other":
            key[0][0] = change
        elif change == "code":
            key[1][0][2] += 1  # the CRC-32 of book.py, as after an edit of the code that reads the files
        else:
            key[2][0][1] += 1  # the size of a rule file
        cache.write(book.CACHE, key, value)
        with monkeypatch.context() as patched:
            calls = []
            real = book._read
            patched.setattr(book, "_read", lambda *args: calls.append(1) or real(*args))
            _same_book(_load(), book.load_rulebook())
            assert calls == [1], change
        assert _stored(folder)[0] == right  # written again under the right key


def test_a_cache_file_changed_after_it_was_written_is_not_read(folder, monkeypatch):
    _load()
    data = (folder / book.CACHE).read_bytes()
    position = data.index(b"[", data.index(b"\n") + 10)
    for damaged in (data[:-1], data.replace(b"\n", b" ", 1), data[:position] + b" " + data[position + 1:]):
        (folder / book.CACHE).write_bytes(damaged)
        with monkeypatch.context() as patched:
            _read_files_fails(patched)
            with pytest.raises(AssertionError, match="the rule files were read"):
                _load()


def test_the_key_follows_every_rule_file_and_the_reading_modules():
    key = book._cache_key(book.SHIPPED, {file: file.read_bytes() for file in sorted(book.SHIPPED.rglob("*.yaml"))})
    from ucj_cli import __version__

    assert key[0] == [__version__, sys.version, yaml.__version__]
    assert [name for name, _, _ in key[1]] == ["book.py", "cache.py", "source.py", "money.py", "period.py", "__init__.py"]
    assert len(key[2]) == len(list(book.SHIPPED.rglob("*.yaml"))) and all(size > 0 for _, size, _ in key[2])
    assert cache.fingerprint("a", b"rate: 0.24") != cache.fingerprint("a", b"rate: 0.25")


def _paths(value, at=()):
    """Every place in a stored value (a list index path), its leaves and lists alike."""
    yield at
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*at, index))


def test_a_cache_whose_values_are_not_what_ucj_wrote_is_ignored(folder):
    """Every kind of damage a well-formed JSON file can hold, at random places: a value of another
    type, a list of another length, a file number beyond the files. Each is refused as a whole
    (the book is then read from the files), or is a value of the kind expected there (a different
    line, rate or text, which only someone who can write as this user could have put there)."""
    _load()
    stored = _stored(folder)[1]
    files = sorted(book.SHIPPED.rglob("*.yaml"))
    assert book._stored(stored, files) == book.load_rulebook.__wrapped__(str(book.SHIPPED)).parameters
    rng = random.Random(22)
    for at in rng.sample(list(_paths(stored)), 120):
        for wrong in (None, "x", 1.5, True, -1, 10**6, [], {}, ["x"], [1, 2]):
            damaged = json.loads(json.dumps(stored))
            if not at:
                damaged = wrong
            else:
                holder = damaged
                for index in at[:-1]:
                    holder = holder[index]
                holder[at[-1]] = wrong
            found = book._stored(damaged, files)
            if found is not None:
                assert found and type(wrong) in (int, str, list) or wrong is None, (at, wrong)
                assert all(isinstance(item, book.Parameter) for item in found.values())


def test_a_stored_book_that_does_not_hold_together_is_read_again(folder):
    """Values of the right types that no rule file could give: no parameter at all, a projection
    from a growth that is not a parameter, a projection rounding to steps of 0 rupiah."""
    expected = _load()
    key, stored = _stored(folder)
    projected = next(number for number, item in enumerate(stored) if item[7] is not None)
    rate = next(number for number, item in enumerate(stored) if item[3] == "percent" and item[4][0][1] is not None)
    for damage in ("nothing", "growth", "step", "rate", "order"):
        damaged = json.loads(json.dumps(stored))
        if damage == "nothing":
            damaged = []
        elif damage == "growth":
            damaged[projected][7][0] = ["no.such.rule", None]
        elif damage == "step":
            damaged[projected][7][2] = 0
        elif damage == "rate":
            damaged[rate][4][0][1] = [-1, 100]  # a negative rate
        else:
            damaged[rate][4] = [damaged[rate][4][0], damaged[rate][4][0]]  # the same date twice
        cache.write(book.CACHE, key, damaged)
        _same_book(_load(), expected)


@pytest.mark.parametrize("garbage", [b"", b"\x00\xff" * 100, b"{", b"[" * 100_000 + b"]" * 100_000, b'{"key": ' + b"[" * 50_000,
                                     b'"just a string"', b"\xef\xbb\xbf{}", json.dumps({"key": None}).encode()])
def test_garbage_in_the_cache_is_ignored_and_replaced(folder, garbage):
    expected = book.load_rulebook()
    folder.mkdir(parents=True)
    (folder / book.CACHE).write_bytes(garbage)
    os.chmod(folder / book.CACHE, 0o600)
    _same_book(_load(), expected)
    assert _stored(folder)[0]


def test_a_link_in_the_cache_folder_is_neither_followed_nor_written_through(folder, tmp_path, monkeypatch):
    _load()
    good = (folder / book.CACHE).read_bytes()
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(good)
    (folder / book.CACHE).unlink()
    (folder / book.CACHE).symlink_to(elsewhere)
    with monkeypatch.context() as patched:  # a link to a valid cache is not read...
        calls = []
        real = book._read
        patched.setattr(book, "_read", lambda *args: calls.append(1) or real(*args))
        _load()
        assert calls == [1]
    assert elsewhere.read_bytes() == good and not (folder / book.CACHE).is_symlink()  # ...and is replaced, its target untouched


def test_a_fifo_a_folder_or_a_file_in_the_way_never_stops_a_run(folder, tmp_path, monkeypatch):
    expected = book.load_rulebook()
    folder.mkdir(parents=True)
    os.mkfifo(folder / book.CACHE)  # would block a reader that waited for a writer
    _same_book(_load(), expected)
    (folder / book.CACHE).unlink()
    (folder / book.CACHE).mkdir()  # cannot be replaced by a file
    _same_book(_load(), expected)
    assert os.listdir(folder) == [book.CACHE] and (folder / book.CACHE).is_dir()  # the temporary file was removed
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))  # the cache home is a file: no folder can be made
    _same_book(_load(), expected)


def test_a_cache_file_others_could_have_written_is_not_read(folder, monkeypatch):
    _load()
    _read_files_fails(monkeypatch)
    os.chmod(folder / book.CACHE, 0o620)
    with pytest.raises(AssertionError, match="the rule files were read"):
        _load()
    os.chmod(folder / book.CACHE, 0o600)
    if os.geteuid() == 0:  # only root can give a file to another user
        os.chown(folder / book.CACHE, 12345, -1)
        with pytest.raises(AssertionError, match="the rule files were read"):
            _load()


def test_the_cache_home_follows_the_xdg_rules(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == str(tmp_path / "xdg" / "ucj")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for relative in ("relative/path", ""):  # ignored, as the specification says
        monkeypatch.setenv("XDG_CACHE_HOME", relative)
        assert cache.folder() == str(tmp_path / "home" / ".cache" / "ucj")
    with monkeypatch.context() as patched:  # no owner to check a file against: no cache
        patched.setattr(os, "name", "nt")
        assert cache.folder() is None
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "")
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # no home at all
    assert cache.folder() is None
    cache.write("x.json", ["k"], [1])
    assert cache.read("x.json", ["k"]) is None


def test_a_run_reads_the_same_figures_with_a_cache_a_broken_cache_and_none(tmp_path):
    blitar = str(SCENARIOS / "blitar-2025.yaml")
    plain = run_ucj("simulate", blitar, "-f", "json", env={"XDG_CACHE_HOME": str(tmp_path / "fresh")})
    assert plain.returncode == 0 and (tmp_path / "fresh" / "ucj" / book.CACHE).is_file()
    again = run_ucj("simulate", blitar, "-f", "json", env={"XDG_CACHE_HOME": str(tmp_path / "fresh")})
    (tmp_path / "fresh" / "ucj" / book.CACHE).write_bytes(b"\x00garbage")
    broken = run_ucj("simulate", blitar, "-f", "json", env={"XDG_CACHE_HOME": str(tmp_path / "fresh")})
    assert plain.stdout == again.stdout == broken.stdout and plain.stderr == again.stderr == broken.stderr


def test_a_rule_holds_only_values_its_unit_allows():
    """What the rule files' checks allow (and what a value read back from the cache must be)."""
    from fractions import Fraction

    for unit, value in (("percent", Fraction(3, 2)), ("percent", Fraction(-1, 100)), ("percent-change", Fraction(-2)), ("currency-IDR", -1),
                        ("currency-IDR", Fraction(1)), ("currency-IDR", True), ("list", ("a", 1)), ("list", ["a"]), ("account", ("5.1", " ")),
                        ("account", ("x", "Name")), ("percent", 0.5)):
        assert not book._fits(unit, value), (unit, value)
    for unit, value in (("percent-change", Fraction(-1, 2)), ("ratio", Fraction(3)), ("account", ("5.1.02", "Name")), ("currency-IDR", 0),
                        ("list", None), ("roles", ())):
        assert book._fits(unit, value), (unit, value)
    for month, step in ((0, 100), (13, 100), (1, 0)):
        with pytest.raises(ValueError):
            book.Projection("growth", month, step, "ref")


def test_ucj_no_cache_reads_every_rule_from_its_file(tmp_path):
    """A cache changed by hand with its CRC made anew is trusted as ucj's own files are; a run that
    must not trust it sets UCJ_NO_CACHE, and reads the files."""
    blitar = str(SCENARIOS / "blitar-2025.yaml")
    home = {"XDG_CACHE_HOME": str(tmp_path / "c")}
    plain = run_ucj("simulate", blitar, "-f", "json", "-q", env=home)
    stored = tmp_path / "c" / "ucj" / book.CACHE
    head, body = stored.read_bytes().split(b"\n", 1)
    assert b'"bpu.jkm"' in body and b"6800" in body
    body = body.replace(b"6800,", b"68000,")
    header = json.loads(head)
    header["crc"] = zlib.crc32(body)
    stored.write_bytes(json.dumps(header).encode() + b"\n" + body)
    assert json.loads(run_ucj("simulate", blitar, "-f", "json", "-q", env=home).stdout)["total"] != json.loads(plain.stdout)["total"]
    fresh = run_ucj("simulate", blitar, "-f", "json", "-q", env={**home, "UCJ_NO_CACHE": "1"})
    assert fresh.returncode == 0 and fresh.stdout == plain.stdout
    assert stored.read_bytes().split(b"\n", 1)[1] == body  # neither read nor written
