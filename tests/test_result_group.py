"""`output.ResultGroup`: many results with one disk flush, each in place only once it is on disk."""

from __future__ import annotations

import ctypes
import errno
import os

import pytest

from ucj_cli import output


def _temporaries(folder):
    return [path.name for path in folder.iterdir() if path.name.endswith(".tmp")]


def test_a_group_writes_the_bytes_and_modes_write_atomic_writes(tmp_path):
    alone, grouped = tmp_path / "alone", tmp_path / "grouped"
    alone.mkdir()
    grouped.mkdir()
    results = {f"r{number:02d}.{'xlsx' if number % 3 else 'json'}": (bytes([number]) * 300 if number % 3 else f"{{\"n\": {number}, \"é\": 1}}\n")
               for number in range(70)}  # more than two groups
    for name, data in results.items():
        output.write_atomic(alone / name, data)
    with output.ResultGroup() as group:
        for name, data in results.items():
            group.write(grouped / name, data)
    for name in results:
        assert (grouped / name).read_bytes() == (alone / name).read_bytes()
        assert (grouped / name).stat().st_mode == (alone / name).stat().st_mode
    assert _temporaries(grouped) == []


def test_a_link_is_written_through_and_stays_a_link(tmp_path):
    (tmp_path / "real.json").write_text("old")
    (tmp_path / "link.json").symlink_to("real.json")
    with output.ResultGroup() as group:
        group.write(tmp_path / "link.json", "new")
    assert (tmp_path / "link.json").is_symlink() and (tmp_path / "real.json").read_text() == "new"


def test_results_through_a_linked_folder_land_in_the_real_one(tmp_path):
    """Each folder's real path is found once a group; the results still land where links lead."""
    (tmp_path / "real").mkdir()
    (tmp_path / "via").symlink_to("real")
    (tmp_path / "real" / "old.json").write_text("old")
    with output.ResultGroup() as group:
        for name in ("a.json", "b.json", "old.json"):
            group.write(tmp_path / "via" / name, name.encode())
    assert (tmp_path / "via").is_symlink()
    assert {path.name: path.read_text() for path in (tmp_path / "real").iterdir()} == {"a.json": "a.json", "b.json": "b.json", "old.json": "old.json"}


def test_a_result_replaces_its_target_only_after_the_flush(tmp_path, monkeypatch):
    """A full group is flushed in a thread while the next results are written; its results are put
    in place once that flush is done, and never before it."""
    import threading

    (tmp_path / "a.json").write_text("old")
    seen, release = [], threading.Event()

    def syncfs(handle):
        seen.append(((tmp_path / "a.json").read_text(), sorted(_temporaries(tmp_path)) != []))
        release.wait(10)  # the disk is slow
        return 0

    monkeypatch.setattr(output, "_syncfs", lambda: syncfs)
    monkeypatch.setattr(output.ResultGroup, "LIMIT", 2)
    with output.ResultGroup() as group:
        group.write(tmp_path / "a.json", "new")
        assert (tmp_path / "a.json").read_text() == "old"  # written, not yet flushed: not in place
        group.write(tmp_path / "b.json", "b")  # the second of a group of two: its flush begins
        group.write(tmp_path / "c.json", "c")  # made while the disk still takes a and b
        assert (tmp_path / "a.json").read_text() == "old" and not (tmp_path / "b.json").exists()
        release.set()
        group.flushing[0].join()
        group.write(tmp_path / "d.json", "d")  # a and b are on disk: in place now
        assert (tmp_path / "a.json").read_text() == "new" and (tmp_path / "b.json").read_text() == "b"
        assert not (tmp_path / "c.json").exists()  # c and d: their flush has begun
    assert seen == [("old", True), ("new", True)]  # one flush for a and b, before either was in place; one for c and d
    assert {path.name: path.read_text() for path in tmp_path.iterdir()} == {"a.json": "new", "b.json": "b", "c.json": "c", "d.json": "d"}


def test_a_failed_flush_behind_keeps_the_old_files_and_is_reported(tmp_path, monkeypatch):
    (tmp_path / "a.json").write_text("old")

    def failing(handle):
        ctypes.set_errno(errno.ENOSPC)  # in the flushing thread: its own errno
        return -1

    monkeypatch.setattr(output, "_syncfs", lambda: failing)
    monkeypatch.setattr(output.ResultGroup, "LIMIT", 2)
    with pytest.raises(output.OutputError) as raised:
        with output.ResultGroup() as group:
            for name in ("a.json", "b.json", "c.json"):
                group.write(tmp_path / name, "new")
    assert raised.value.diagnostic.code == "E-output-full" and str(tmp_path / "a.json") in str(raised.value.diagnostic)
    assert [path.name for path in tmp_path.iterdir()] == ["a.json"] and (tmp_path / "a.json").read_text() == "old"


def test_ctrl_c_keeps_the_results_written_so_far(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with output.ResultGroup() as group:
            for number in range(3):
                group.write(tmp_path / f"r{number}.json", f"{number}")
            raise KeyboardInterrupt
    assert sorted(path.name for path in tmp_path.iterdir()) == ["r0.json", "r1.json", "r2.json"]


def test_a_failed_flush_keeps_the_old_files_and_leaves_no_temporaries(tmp_path, monkeypatch):
    (tmp_path / "a.json").write_text("old")

    def failing(handle):
        ctypes.set_errno(errno.EIO)
        return -1

    monkeypatch.setattr(output, "_syncfs", lambda: failing)
    with pytest.raises(output.OutputError) as raised:
        with output.ResultGroup() as group:
            group.write(tmp_path / "a.json", "new")
            group.write(tmp_path / "b.json", "b")
    assert raised.value.diagnostic.code == "E-output-write" and str(tmp_path / "a.json") in str(raised.value.diagnostic)
    assert (tmp_path / "a.json").read_text() == "old" and not (tmp_path / "b.json").exists()
    assert _temporaries(tmp_path) == []


def test_without_syncfs_each_result_is_flushed_on_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "_syncfs", lambda: None)
    flushed = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda handle: (flushed.append(handle), real(handle))[1])
    with output.ResultGroup() as group:
        for number in range(3):
            group.write(tmp_path / f"r{number}.json", f"{number}")
            assert (tmp_path / f"r{number}.json").read_text() == f"{number}"  # in place at once
    assert len(flushed) == 3


def test_syncfs_is_used_where_it_reports_write_errors(monkeypatch):
    output._syncfs.cache_clear()
    monkeypatch.setattr(os, "uname", lambda: os.uname_result(("Linux", "host", "5.4.0-old", "#1", "x86_64")))
    try:
        assert output._syncfs() is None  # before 5.8 syncfs always returned 0
    finally:
        output._syncfs.cache_clear()


def test_a_temporary_name_taken_is_passed_over_and_left_alone(tmp_path, monkeypatch):
    import itertools

    monkeypatch.setattr(output, "_SERIAL", itertools.count(5))
    taken = tmp_path / f".r.json.{os.getpid()}.5.tmp"  # a run of the same number in another container
    taken.write_text("theirs")
    output.write_atomic(tmp_path / "r.json", "ours")
    assert (tmp_path / "r.json").read_text() == "ours" and taken.read_text() == "theirs"
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
