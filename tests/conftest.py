"""What the tests share, imported by name and only from here: `from conftest import FIXTURES, SCENARIOS,
invoke_ucj, run_ucj, ...`. `invoke_ucj` runs `ucj` in-process (every CLI test), `run_ucj` the installed
command (smoke tests only); `scenario_of` and `csv_scenario` write the small scenarios several files
use; `scenarios` draws random ones (Hypothesis). No fixture hands these out and no test file keeps its
own copy of a run helper."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import strategies as st

from ucj_cli.model import FUNDING_KINDS, RISKS, Cohort, FundingScheme, Layout, Places, Scenario, Workforce

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCENARIOS = ROOT / "scenarios"


def pytest_configure(config):
    config.addinivalue_line("markers", "smoke: runs the installed `ucj` (or pip) in its own process; kept few, each costs a Python start-up")
    # ucj's cache (the checked rule book) goes to a folder of the test run's, never the user's.
    os.environ["XDG_CACHE_HOME"] = _CACHE_HOME


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE_HOME, ignore_errors=True)


_CACHE_HOME = tempfile.mkdtemp(prefix="ucj-tests-cache-")


def ucj_executable() -> str:
    """The installed console script, for the few smoke tests that go through the real entry point."""
    candidate = Path(sys.executable).parent / "ucj"
    found = str(candidate) if candidate.exists() else shutil.which("ucj")
    if not found:
        pytest.fail("the `ucj` console script is not installed; run `make test`")
    return found


def tmpfs_script(script: str) -> subprocess.CompletedProcess | None:
    """Run `script` in a shell with a 64 KiB tmpfs at ./small holding 40,000 bytes, in a user and
    mount namespace of its own (no root needed where the kernel allows it), with PYTHONUNBUFFERED=1,
    $UCJ the installed command and $IN the Blitar example; None where no tmpfs can be mounted."""
    if not shutil.which("unshare") or not shutil.which("sh"):
        return None
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mkdir -p /tmp && mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True)
    if probe.returncode != 0:
        return None
    return subprocess.run(["unshare", "-rm", "sh", "-c",
                           "cd \"$(mktemp -d)\" && mkdir small && mount -t tmpfs -o size=64k tmpfs small && "
                           "head -c 40000 /dev/zero > small/fill && " + script],
                          capture_output=True, env={**os.environ, "PYTHONUNBUFFERED": "1", "UCJ": ucj_executable(),
                                                    "IN": str(SCENARIOS / "blitar-2025.yaml")},
                          timeout=120)


# Whatever the machine's shell sets: a test decides its language (`--lang`, `env=`), never the locale.
LOCALE_VARIABLES = ("UCJ_LANG", "LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")


class Ran(subprocess.CompletedProcess):
    """A finished `ucj` run; `output` is standard output then standard error, for a check that a
    message appears (or not) wherever it was written."""

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_ucj(*args: str, input: str | bytes | None = None, cwd: Path | None = None, env: dict | None = None) -> Ran:
    """Run the installed `ucj` in its own process: for smoke tests and what needs a real process
    (process pools, bytes through a real pipe). Everything else uses `invoke_ucj`. Text input is
    sent as UTF-8, bytes as they are; the output is read as `invoke_ucj` reads it."""
    environment = {**{k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES and k != "COLUMNS"}, "NO_COLOR": "1"}
    environment = {k: v for k, v in {**environment, **(env or {})}.items() if v is not None}
    done = subprocess.run([ucj_executable(), *args], input=input.encode() if isinstance(input, str) else input,
                          capture_output=True, cwd=cwd, env=environment, timeout=120)
    text = lambda data: data.decode("utf-8", "replace").replace("\r\n", "\n")  # noqa: E731
    return Ran(done.args, done.returncode, text(done.stdout), text(done.stderr))


def invoke_ucj(*args: str, input: str | bytes | None = None, cwd: Path | None = None, env: dict | None = None,
               columns: int | None = None, binary: bool = False, code: int | None = None) -> Ran:
    """Run `ucj` in this process, as `run_ucj` runs it in its own, and return the same shape of result.

    The environment matches `run_ucj`'s (NO_COLOR set, no locale variables, no COLUMNS unless
    `columns` gives a terminal width, so tables are as wide as when piped); `env` adds or, with None,
    removes variables; `binary` keeps standard output as bytes (an xlsx to a pipe); `code`, when
    given, is the exit code the run must end with (the test fails showing both outputs otherwise);
    the `ucj` group picks the language from the command line and the environment on each run, as in
    a fresh process. Exceptions are not caught: a traceback fails the test instead of hiding in a
    result (`main()` only adds the exit code 130 on Ctrl-C)."""
    from typer.testing import CliRunner

    from ucj_cli.cli.app import app

    environment = {"NO_COLOR": "1", **dict.fromkeys(LOCALE_VARIABLES), "COLUMNS": None if columns is None else str(columns), **(env or {})}
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        done = CliRunner().invoke(app, list(args), input=input, env=environment, catch_exceptions=False)
    assert code is None or done.exit_code == code, (done.stdout, done.stderr)
    return Ran(["ucj", *args], done.exit_code, done.stdout_bytes if binary else done.stdout, done.stderr)


# --- scenarios that tests in several files write in code ------------------------------------------

BPU_2026 = """name: t
year: 2026
workforce: {employed: 1000, covered: 0}
funding:
  desa: {kind: apbdes}
  daerah: {kind: apbd}
cohorts:
"""


def signal_during_workbook(folder: Path, number: int) -> tuple[subprocess.Popen, Path]:
    """A per-village workbook run with TMPDIR=`folder/tmp`, sent `number` as soon as it has made its
    temporary folder (or has ended); the ended run and that TMPDIR."""
    import time

    temporary = folder / "tmp"
    temporary.mkdir(exist_ok=True)
    run = subprocess.Popen([ucj_executable(), "simulate", str(SCENARIOS / "blitar-2025-desa.yaml"), "-q", "--by", "village",
                            "-o", str(folder / "v.xlsx")], env={**os.environ, "TMPDIR": str(temporary)}, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not any(temporary.iterdir()) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    run.send_signal(number)
    run.wait(30)
    return run, temporary


def broken_links(folder: Path) -> Path:
    """`folder/loop`: one good scenario beside a dangling link, a link to itself and two links to each other."""
    loop = folder / "loop"
    loop.mkdir()
    shutil.copy(SCENARIOS / "blitar-2025.yaml", loop / "good.yaml")
    (loop / "dangling.yaml").symlink_to("nowhere.yaml")
    (loop / "self.yaml").symlink_to("self.yaml")
    (loop / "a.yml").symlink_to("b.yml")
    (loop / "b.yml").symlink_to("a.yml")
    return loop


def scenario_of(cohorts: str, head: str = BPU_2026):
    """The checked scenario of `head` (by default BPU_2026, two schemes) followed by the cohort lines given."""
    from ucj_cli import parse_scenario

    return parse_scenario(head + cohorts)


CSV_2025 = ("name: t\nyear: 2025\nworkforce: {employed: 1000, covered: 0}\nfunding: {desa: {kind: apbdes}}\ncohorts:\n"
            "  - {name: K, category: bpu, income: 1_000_000, funding: desa, from_csv: v.csv}\n")

# A from_csv cohort (its rows become "K #1", "K #2") beside a cohort written in YAML.
CSV_AND_YAML = ("name: S\nyear: 2025\nworkforce: {employed: 100000, covered: 10}\nfunding: {a: {kind: apbdes, ceiling: 1000000}}\n"
                "cohorts:\n  - {name: K, category: bpu, income: 1000000, funding: a, from_csv: data/k.csv}\n"
                "  - {name: L, category: bpu, income: 1000000, funding: a, workers: 3}\n")
CSV_AND_YAML_ROWS = "Village;District;Workers;Start\nA;X;5;\nB;Y;7;2025-04\n"


def csv_scenario(folder: Path, rows: str, scenario: str = CSV_2025, csv: str = "v.csv") -> Path:
    """Write `rows` to folder/`csv` and `scenario` (a cohort of which reads that file) to folder/s.yaml;
    return the scenario's path."""
    (folder / csv).parent.mkdir(parents=True, exist_ok=True)
    (folder / csv).write_text(rows)
    path = folder / "s.yaml"
    path.write_text(scenario)
    return path


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """Each test starts in English whatever the shell's locale (LANG=id_ID.UTF-8, UCJ_LANG=id), and
    ends in English (a CLI test run with `--lang id` changes the process's language)."""
    from ucj_cli.i18n import set_language

    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    set_language("en")
    yield
    set_language("en")


# --- random scenarios (Hypothesis strategies) -------------------------------------------------------

KINDS = {kind: FundingScheme(kind, kind.upper(), kind, 50_000_000) for kind in FUNDING_KINDS}


@st.composite
def cohorts(draw, index: int = 0) -> Cohort:
    category = draw(st.sampled_from(["bpu", "pu"]))
    start = draw(st.integers(1, 12))
    months = draw(st.integers(1, 13 - start))
    if category == "bpu":
        income = draw(st.integers(1_000_000, 20_700_000))
        programs = draw(st.sampled_from([("jkk", "jkm"), ("jkk", "jkm", "jht")]))
        extra = {"transport": draw(st.booleans())}
    else:
        income = draw(st.integers(1, 60_000_000))
        programs = draw(st.sampled_from([("jkk", "jkm"), ("jkk", "jkm", "jht"), ("jkk", "jkm", "jp"), ("jkk", "jkm", "jht", "jp")]))
        extra = {"risk": draw(st.sampled_from(RISKS)), "pays_worker_share": draw(st.booleans()), "jkk_relief": draw(st.booleans())}
    return Cohort(
        name=f"c{index}", workers=draw(st.integers(0, 50_000)), category=category, income=income,
        funding=draw(st.sampled_from(FUNDING_KINDS)), programs=programs, start=start, months=months, **extra,
    )


def _places(origin: str, workers: int) -> Places:
    layout = Layout(f"{origin}.csv", ",", 0, 1, 2, (None, None, None), None, 3)
    return Places(layout, (), 1, (("D", 1, workers),), origin)


@st.composite
def scenarios(draw) -> Scenario:
    count = draw(st.integers(1, 6))
    items = tuple(draw(cohorts(i)) for i in range(count))
    # Some cohorts are groups of one cohort read from CSV (rows priced alike), as `from_csv` makes them.
    origins = draw(st.lists(st.sampled_from([None, "CSV A", "CSV B"]), min_size=count, max_size=count))
    items = tuple(item if origin is None else replace(item, places=_places(origin, item.workers)) for item, origin in zip(items, origins))
    covered = draw(st.integers(0, 1_000_000))
    return Scenario(name="random", year=draw(st.integers(2023, 2027)), workforce=Workforce(covered + 2_000_000, covered),
                    funding=dict(KINDS), cohorts=items)
