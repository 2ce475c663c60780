"""Speed targets for ucj (run with `make bench`; not part of `make test`, which must not be flaky).

Measures the start-up of the installed CLI, an end-to-end small scenario, and the library on a
large synthetic scenario (loading, engine, rendering), and exits 1 when a target is missed.
"""

from __future__ import annotations

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
    from ucj_cli.render_xlsx import simulation_workbook
    from ucj_cli.report import to_json

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
    print(f"python {sys.version.split()[0]}, libyaml: {'yes' if _libyaml() else 'no'}")
    return 1 if failed else 0


def _libyaml() -> bool:
    import yaml

    return bool(getattr(yaml, "__with_libyaml__", False))


if __name__ == "__main__":
    sys.exit(main())
