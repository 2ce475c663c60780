from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCENARIOS = ROOT / "scenarios"


def ucj_executable() -> str:
    """The installed console script: the CLI tests go through the real entry point."""
    candidate = Path(sys.executable).parent / "ucj"
    found = str(candidate) if candidate.exists() else shutil.which("ucj")
    if not found:
        pytest.fail("the `ucj` console script is not installed; run `make test`")
    return found


def run_ucj(*args: str, input: str | None = None, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environment.pop("COLUMNS", None)
    return subprocess.run([ucj_executable(), *args], input=input, capture_output=True, text=True, cwd=cwd, env=environment, timeout=120)


@pytest.fixture
def ucj():
    return run_ucj


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English (a CLI test run with `--lang id` changes the process's language)."""
    from ucj_cli.i18n import set_language

    set_language("en")
    yield
    set_language("en")
