from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCENARIOS = ROOT / "scenarios"


def pytest_configure(config):
    config.addinivalue_line("markers", "smoke: runs the installed `ucj` (or pip) in its own process; kept few, each costs a Python start-up")


def ucj_executable() -> str:
    """The installed console script, for the few smoke tests that go through the real entry point."""
    candidate = Path(sys.executable).parent / "ucj"
    found = str(candidate) if candidate.exists() else shutil.which("ucj")
    if not found:
        pytest.fail("the `ucj` console script is not installed; run `make test`")
    return found


def run_ucj(*args: str, input: str | bytes | None = None, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed `ucj` in its own process: for smoke tests and what needs a real process
    (process pools, bytes through a real pipe). Everything else uses `invoke_ucj`. Text input is
    sent as UTF-8, bytes as they are; the output is read as `invoke_ucj` reads it."""
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environment.pop("COLUMNS", None)
    done = subprocess.run([ucj_executable(), *args], input=input.encode() if isinstance(input, str) else input,
                          capture_output=True, cwd=cwd, env=environment, timeout=120)
    text = lambda data: data.decode("utf-8", "replace").replace("\r\n", "\n")  # noqa: E731
    return subprocess.CompletedProcess(done.args, done.returncode, text(done.stdout), text(done.stderr))


def invoke_ucj(*args: str, input: str | bytes | None = None, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `ucj` in this process, as `run_ucj` runs it in its own, and return the same shape of result.

    The environment matches `run_ucj`'s (NO_COLOR set, no COLUMNS, so tables are as wide as when piped);
    the `ucj` group picks the language from the command line and the environment on each run, as in
    a fresh process. Exceptions are not caught: a traceback fails the test instead of hiding in a
    result (`main()` only adds the exit code 130 on Ctrl-C)."""
    from typer.testing import CliRunner

    from ucj_cli.cli import app

    environment = {"NO_COLOR": "1", "COLUMNS": None, **(env or {})}
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        done = CliRunner().invoke(app, list(args), input=input, env=environment, catch_exceptions=False)
    return subprocess.CompletedProcess(["ucj", *args], done.exit_code, done.stdout, done.stderr)


@pytest.fixture
def ucj():
    """`ucj` in-process (fast); tests that need the installed command use `ucj_process`."""
    return invoke_ucj


@pytest.fixture
def ucj_process():
    """The installed `ucj` in its own process: smoke tests only."""
    return run_ucj


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English (a CLI test run with `--lang id` changes the process's language)."""
    from ucj_cli.i18n import set_language

    set_language("en")
    yield
    set_language("en")
