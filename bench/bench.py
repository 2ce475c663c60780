"""Speed targets for ucj (run with `make bench`; not part of `make test`, which must not be flaky).

Measures the start-up of the installed CLI, an end-to-end small scenario, the library on a large
synthetic scenario (loading, engine, rendering), and, against floors measured on the same machine
(so the targets hold on a slow machine as on a fast one): the national scenario (83,763 villages x
6 cohorts from CSV) against `csv.DictReader` merely reading its rows, a 50,000-cohort YAML against
libyaml merely loading it, and a cold `ucj simulate` against `python -c "import yaml"` loading the
same file. Exits 1 when a target is missed.

ucj's modules are compiled to bytecode first, as `pip install` does: an editable install run with
PYTHONDONTWRITEBYTECODE set (as in CI and some sandboxes) would otherwise compile every module on
every start (~0.04 s), which no installed copy does, while the floor's `yaml` has its bytecode.
"""

from __future__ import annotations

import compileall
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UCJ = str(Path(sys.executable).parent / "ucj")

# (what, target seconds)
TARGETS = {
    "ucj --help": 0.3,
    "ucj simulate blitar-2025 (json)": 0.5,
    "load 5,000 cohorts": 1.5,
    "engine 5,000 cohorts x 12 months": 0.5,
    "render json 5,000 cohorts": 0.6,
    "render xlsx 5,000 cohorts": 12.0,
    "engine 50,000 cohorts x 12 months": 4.0,
    "ucj simulate 3,000 cohorts (table)": 2.0,
    "ucj batch 64 files, 1 process": 1.5,
    "ucj batch 64 files, all cores": 1.2,
}


def best_of(runs: int, function) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic(count: int) -> str:
    """A scenario with `count` cohorts of mixed categories, incomes, programs and periods."""
    lines = [
        "name: Synthetic", "year: 2026", "workforce: {employed: 90000000, covered: 1000000}", "funding:",
        "  dbhcht: {kind: apbd, ceiling: 900000000000}", "  desa: {kind: apbdes}", "  mandiri: {kind: self}", "cohorts:",
    ]
    for i in range(count):
        if i % 3 == 0:
            lines.append(f"  - {{name: Desa {i} perangkat, workers: {10 + i % 17}, category: pu, income: {2_000_000 + (i % 50) * 10_000}, "
                         f"programs: [jkk, jkm, jht, jp], funding: desa}}")
        else:
            lines.append(f"  - {{name: Desa {i} kader, workers: {20 + i % 31}, category: bpu, income: {1_000_000 + (i % 5) * 500_000}, "
                         f"funding: {'dbhcht' if i % 2 else 'mandiri'}, start: 2026-{1 + i % 6:02d}}}")
    return "\n".join(lines) + "\n"


def main() -> int:
    from ucj_cli import parse_scenario, simulate
    from ucj_cli.render.xlsx import simulation_workbook
    from ucj_cli.render.simulation import to_json

    compileall.compile_dir(str(ROOT / "ucj_cli"), quiet=1)
    # First, while this process is small: a child's peak memory (ru_maxrss) starts from the size of
    # the process that forked it.
    scaled = scale()
    measured: dict[str, float] = {}
    measured["ucj --help"] = best_of(5, lambda: subprocess.run([UCJ, "--help"], capture_output=True, check=True))
    blitar = str(ROOT / "scenarios" / "blitar-2025.yaml")
    measured["ucj simulate blitar-2025 (json)"] = best_of(5, lambda: subprocess.run([UCJ, "simulate", blitar, "-f", "json"], capture_output=True, check=True))

    text = synthetic(5_000)
    measured["load 5,000 cohorts"] = best_of(3, lambda: parse_scenario(text, "synthetic.yaml"))
    scenario = parse_scenario(text, "synthetic.yaml")
    measured["engine 5,000 cohorts x 12 months"] = best_of(3, lambda: simulate(scenario))
    result = simulate(scenario)
    measured["render json 5,000 cohorts"] = best_of(3, lambda: to_json(result))
    measured["render xlsx 5,000 cohorts"] = best_of(1, lambda: simulation_workbook(result))
    big = parse_scenario(synthetic(50_000), "synthetic.yaml")
    measured["engine 50,000 cohorts x 12 months"] = best_of(2, lambda: simulate(big))

    with tempfile.TemporaryDirectory() as folder:
        large = Path(folder) / "large.yaml"
        large.write_text(synthetic(3_000))
        command = [UCJ, "simulate", str(large)]
        measured["ucj simulate 3,000 cohorts (table)"] = best_of(2, lambda: subprocess.run(command, capture_output=True, check=True))
        large.unlink()
        for index in range(64):
            shutil.copy(blitar, Path(folder) / f"s{index:02d}.yaml")
        for label, jobs in (("1 process", "1"), ("all cores", "0")):
            command = [UCJ, "batch", folder, "--out", str(Path(folder) / "out"), "--jobs", jobs]
            measured[f"ucj batch 64 files, {label}"] = best_of(2, lambda: subprocess.run(command, capture_output=True, check=True))

    failed = False
    print(f"{'measure':40} {'seconds':>9} {'target':>8}")
    for name, seconds in measured.items():
        ok = seconds <= TARGETS[name]
        failed |= not ok
        print(f"{name:40} {seconds:9.3f} {TARGETS[name]:8.2f} {'ok' if ok else 'MISSED'}")
    print()
    failed |= report(scaled)
    print(f"\npython {sys.version.split()[0]}, libyaml: {'yes' if _libyaml() else 'no'}, {os.cpu_count()} cores, {_cpu()}")
    return 1 if failed else 0


# (what, at most this many times its floor, at most this many MiB at its peak)
RATIOS = {
    "national json (simulate -f json)": (3.0, 1024),
    "national per-village csv (--by village -o)": (6.0, 1024),
    "50,000-cohort YAML (load and check)": (2.5, None),
    "cold start (simulate blitar-2025 -f json)": (5.0, None),
    "alias bomb refused (read)": (None, None),
    "national five-year path (path -f json)": (6.0, None),  # floor: one `simulate -f json` of the national scenario
    "national path --sensitivity": (3.0, None),  # floor: the path itself
}
NATIONAL_PATH = """path:
  through: 2029
  targets: {2025: 32.15%, 2029: 43.92%}
  growth:
    employed: 1%
    covered: 2%
    minimum_wage: {inflation: 2.5%, economic_growth: 5%, alpha: 0.7}
"""
VILLAGES, DISTRICTS = 83_763, 7_277  # desa and kelurahan; kecamatan (Kemendagri, 2024)
NATIONAL_COHORTS = (("Kader Posyandu", "bpu", 1_000_000, "desa"), ("Ketua RT dan RW", "bpu", 1_000_000, "desa"),
                    ("Guru ngaji", "bpu", 1_500_000, "apbd"), ("Perangkat desa", "pu", 2_500_000, "desa"),
                    ("Linmas", "bpu", 1_000_000, "apbd"), ("Marbot", "bpu", 1_000_000, "csr"))


def national(folder: Path) -> Path:
    """The national scenario: every village in six cohorts, each from its own CSV file."""
    rng = random.Random(2025)
    places = [(f"Desa {index:05d}", f"Kecamatan {index * DISTRICTS // VILLAGES:04d}") for index in range(VILLAGES)]
    lines = ["name: Nasional", "year: 2025", "workforce: {employed: 150000000, covered: 40000000}", "funding:",
             "  desa: {kind: apbdes}", "  apbd: {kind: apbd}", "  csr: {kind: csr}", "cohorts:"]
    for number, (name, category, income, funding) in enumerate(NATIONAL_COHORTS):
        with open(folder / f"c{number}.csv", "w", newline="") as handle:
            handle.write("village,district,workers\n")
            handle.writelines(f"{village},{district},{rng.randint(1, 40)}\n" for village, district in places)
        programs = ", programs: [jkk, jkm, jht, jp]" if category == "pu" else ""
        lines.append(f"  - {{name: {name}, category: {category}, income: {income}, funding: {funding}{programs}, from_csv: c{number}.csv}}")
    path = folder / "national.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def read_floor(folder: Path) -> float:
    """What Python's csv.DictReader takes merely to read the national rows."""
    def read() -> None:
        for path in sorted(folder.glob("c*.csv")):
            with open(path, newline="", encoding="utf-8") as handle:
                for _ in csv.DictReader(handle):
                    pass

    return best_of(2, read)


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak MiB of one run of a command (its own rusage, not the bench's)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 2):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode})")
    return seconds, usage.ru_maxrss / 1024


def best_run(command: list[str], runs: int = 2) -> tuple[float, float]:
    results = [run(command) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def scale() -> list[tuple[str, float, float, float]]:
    """The national scenario, a large YAML, a cold start and an alias bomb, each against its floor."""
    import yaml

    rows: list[tuple[str, float, float, float]] = []  # what, seconds, floor, peak MiB
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        scenario = str(national(root))
        floor = read_floor(root)
        seconds, peak = best_run([UCJ, "simulate", scenario, "--format", "json"])
        rows.append(("national json (simulate -f json)", seconds, floor, peak))
        one_simulate = seconds
        seconds, peak = best_run([UCJ, "simulate", scenario, "--by", "village", "--format", "csv", "-o", str(root / "villages.csv")])
        rows.append(("national per-village csv (--by village -o)", seconds, floor, peak))
        road = root / "national-path.yaml"  # the national scenario over 2025-2029, village officials at the minimum wage
        road.write_text(Path(scenario).read_text().replace("funding: desa, programs", "wage: minimum_wage, funding: desa, programs") + NATIONAL_PATH)
        path_seconds, peak = best_run([UCJ, "path", str(road), "--format", "json"])
        rows.append(("national five-year path (path -f json)", path_seconds, one_simulate, peak))
        seconds, peak = best_run([UCJ, "path", str(road), "--format", "json", "--sensitivity"])
        rows.append(("national path --sensitivity", seconds, path_seconds, peak))

        text = synthetic(50_000)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        from ucj_cli import parse_scenario

        rows.append(("50,000-cohort YAML (load and check)", best_of(2, lambda: parse_scenario(text, "large.yaml")),
                     best_of(2, lambda: yaml.load(text, Loader=loader)), 0.0))

        blitar = str(ROOT / "scenarios" / "blitar-2025.yaml")
        python = [sys.executable, "-c", f"import yaml; yaml.load(open({blitar!r}), Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))"]
        rows.append(("cold start (simulate blitar-2025 -f json)", best_run([UCJ, "simulate", blitar, "--format", "json"], 5)[0],
                     best_run(python, 5)[0], 0.0))

        levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
        rows.append(("alias bomb refused (read)", best_of(3, lambda: _refused("\n".join(levels) + "\n")), 0.5, 0.0))
    return rows


def _refused(text: str) -> None:
    """Read a billion-laughs document, which must be refused."""
    from ucj_cli import source

    try:
        source.parse(text, "bomb.yaml")
    except source.SourceError:
        return
    raise SystemExit("the alias bomb was read instead of refused")


def report(rows: list[tuple[str, float, float, float]]) -> bool:
    """Print each measure against its floor; True when one missed its target."""
    failed = False
    print(f"{'against a floor':44} {'seconds':>8} {'floor':>8} {'ratio':>6} {'target':>7} {'peak MiB':>9}")
    for name, seconds, floor, peak in rows:
        ratio_target, memory_target = RATIOS[name]
        ratio = seconds / floor
        ok = (ratio <= ratio_target if ratio_target else seconds <= floor) and (memory_target is None or peak < memory_target)
        failed |= not ok
        target = f"{ratio_target:.1f}x" if ratio_target else f"<{floor}s"
        print(f"{name:44} {seconds:8.2f} {floor:8.2f} {ratio:6.2f} {target:>7} {peak if peak else '':>9.0f}"
              f" {'ok' if ok else 'MISSED'}" if peak else
              f"{name:44} {seconds:8.2f} {floor:8.2f} {ratio:6.2f} {target:>7} {'':>9} {'ok' if ok else 'MISSED'}")
    return failed


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine()


def _libyaml() -> bool:
    import yaml

    return bool(getattr(yaml, "__with_libyaml__", False))


if __name__ == "__main__":
    sys.exit(main())
