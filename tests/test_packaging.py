"""`pip install .` gives a working `ucj`: the wheel carries every rule file and the console script."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.smoke  # the package as pip builds it
def test_the_wheel_ships_the_rule_book_and_the_ucj_command(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w", str(tmp_path)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("ucj-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"ucj_cli/{path.relative_to(ROOT / 'ucj_cli').as_posix()}" for path in (ROOT / "ucj_cli" / "rules" / "rulebook").rglob("*.yaml")}
    assert shipped and shipped <= names
    regions = {f"ucj_cli/regions/data/{name}" for name in (
        "wilayah-kepmendagri-2025-provinsi-kabupaten.csv.gz", "wilayah-kepmendagri-2025-kecamatan-desa.csv.gz",
        "penduduk-dukcapil-2024.csv.gz", "LICENSE-wilayah.txt", "README.md")}
    assert regions <= names  # the official region tables and their licence
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "ucj = ucj_cli.cli.app:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    assert not any(name.startswith(("tests/", "scenarios/", "bench/")) for name in names)
