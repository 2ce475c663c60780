#!/usr/bin/env python3
"""Render every example in every format and language with the ucj of one tree, to prove a
refactoring changes no byte: run it on the old tree and the new one and compare the two folders.

    python3 tools/render_all.py OUT_DIR [--tree DIR]     # DIR: the checkout whose ucj_cli runs
    python3 tools/render_all.py --compare OLD_DIR NEW_DIR

Each case writes `NN-name.out` (exit code, standard output, standard error) and any files it made.
Cases run in parallel, each with the same environment (English unless the case says id, 100 columns,
NO_COLOR), from a scratch copy of the scenarios so paths read the same on both trees.
"""

from __future__ import annotations

import concurrent.futures
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SCENARIOS = sorted(p.name for p in (HERE / "scenarios").glob("*.yaml"))
FIXTURES = sorted(p.name for p in (HERE / "tests" / "fixtures").glob("*.yaml"))
SIM_FORMATS = ["table", "json", "csv", "markdown", "xlsx", "rka", "rka-csv", "rka-markdown"]
LANGS = ["en", "id"]


def cases() -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for lang in LANGS:
        for name in SCENARIOS:
            for fmt in SIM_FORMATS:
                out.append((f"sim-{name}-{fmt}-{lang}", ["--lang", lang, "simulate", f"scenarios/{name}", "-f", fmt, "-o", "OUT"]))
            out.append((f"sim-{name}-chart-{lang}", ["--lang", lang, "simulate", f"scenarios/{name}", "--chart"]))
            out.append((f"explain-{name}-{lang}", ["--lang", lang, "explain", f"scenarios/{name}"]))
            for fmt in ("json", "markdown"):
                out.append((f"explain-{name}-{fmt}-{lang}", ["--lang", lang, "explain", f"scenarios/{name}", "-f", fmt]))
            out.append((f"plan-{name}-{lang}", ["--lang", lang, "plan", f"scenarios/{name}"]))
            out.append((f"plan-{name}-json-{lang}", ["--lang", lang, "plan", f"scenarios/{name}", "-f", "json"]))
            out.append((f"plan-{name}-target-{lang}", ["--lang", lang, "plan", f"scenarios/{name}", "--target-coverage", "35%"]))
            out.append((f"plan-{name}-write-{lang}", ["--lang", lang, "plan", f"scenarios/{name}", "--write", "-", "-o", "OUT.json"]))
            out.append((f"validate-{name}-{lang}", ["--lang", lang, "validate", f"scenarios/{name}"]))
        for name in FIXTURES:
            out.append((f"fix-{name}-json-{lang}", ["--lang", lang, "simulate", f"fixtures/{name}", "-f", "json"]))
            out.append((f"fix-{name}-table-{lang}", ["--lang", lang, "simulate", f"fixtures/{name}"]))
            out.append((f"fix-{name}-explain-{lang}", ["--lang", lang, "explain", f"fixtures/{name}", "-f", "json"]))
        for view in ("district", "village"):
            for fmt in ("table", "csv", "json", "markdown", "xlsx"):
                out.append((f"by-{view}-{fmt}-{lang}", ["--lang", lang, "simulate", "scenarios/blitar-2025-desa.yaml", "--by", view, "-f", fmt, "-o", "OUT"]))
        pairs = [("blitar-2024.yaml", "blitar-2025.yaml"), ("blitar-2025.yaml", "blitar-2027-draft.yaml"),
                 ("blitar-2026.yaml", "blitar-2027-what-if.yaml")]
        for a, b in pairs:
            for by in ("cohort", "program", "funding", "month"):
                for fmt in ("table", "json", "csv", "markdown", "xlsx"):
                    out.append((f"cmp-{a}-{b}-{by}-{fmt}-{lang}", ["--lang", lang, "compare", f"scenarios/{a}", f"scenarios/{b}", "--by", by, "-f", fmt, "-o", "OUT"]))
            out.append((f"cmp-{a}-{b}-chart-{lang}", ["--lang", lang, "compare", f"scenarios/{a}", f"scenarios/{b}", "--chart"]))
        for fmt in ("table", "json"):
            out.append((f"cmp-year-{fmt}-{lang}", ["--lang", lang, "compare", "scenarios/blitar-2025.yaml", "--year", "2024", "--year", "2026", "-f", fmt]))
            out.append((f"cmp-baseline-{fmt}-{lang}", ["--lang", lang, "compare", "scenarios/blitar-2027-what-if.yaml", "--baseline", "-f", fmt]))
        for fmt in ("table", "json", "csv", "markdown"):
            out.append((f"rules-{fmt}-{lang}", ["--lang", lang, "rules", "-f", fmt]))
        out.append((f"rules-unverified-{lang}", ["--lang", lang, "rules", "--unverified"]))
        out.append((f"rules-history-{lang}", ["--lang", lang, "rules", "--history", "pu.jp_wage_cap"]))
        out.append((f"rules-on-{lang}", ["--lang", lang, "rules", "--on", "2024-06"]))
        out.append((f"explain-cohort-{lang}", ["--lang", lang, "explain", "scenarios/blitar-2025.yaml", "--cohort", "Petani tembakau"]))
        out.append((f"explain-set-{lang}", ["--lang", lang, "explain", "scenarios/blitar-2025.yaml", "--set", "pu.jkm.rate@2025-01=0.5%"]))
        out.append((f"plan-budget-{lang}", ["--lang", lang, "plan", "scenarios/lombok-timur-2023.yaml", "--budget", "dbhcht=2_600_000_000"]))
        out.append((f"schema-{lang}", ["--lang", lang, "schema"]))
        out.append((f"init-{lang}", ["--lang", lang, "init", "-", "--region", "Kabupaten Blitar", "--year", "2027"]))
        out.append((f"validate-all-{lang}", ["--lang", lang, "validate", "scenarios", "fixtures"]))
        out.append((f"validate-json-{lang}", ["--lang", lang, "validate", "fixtures", "-f", "json"]))
        out.append((f"validate-github-{lang}", ["--lang", lang, "validate", "fixtures", "-f", "github"]))
        for fmt in ("json", "csv", "markdown", "table", "xlsx"):
            out.append((f"batch-{fmt}-{lang}", ["--lang", lang, "batch", "scenarios", "fixtures", "--out", "OUTDIR", "-f", fmt, "--jobs", "1"]))
        out.append((f"help-{lang}", ["--lang", lang, "--help"]))
        for command in ("simulate", "compare", "validate", "batch", "explain", "rules", "plan", "schema", "init"):
            out.append((f"help-{command}-{lang}", ["--lang", lang, command, "--help"]))
    return out


SUFFIX = {"table": ".txt", "json": ".json", "csv": ".csv", "markdown": ".md", "xlsx": ".xlsx", "rka": ".txt",
          "rka-csv": ".csv", "rka-markdown": ".md"}


def run_case(number: int, name: str, args: list[str], tree: Path, work: Path, out: Path) -> None:
    case = Path(tempfile.mkdtemp(dir=work))
    shutil.copytree(HERE / "scenarios", case / "scenarios")
    shutil.copytree(HERE / "tests" / "fixtures", case / "fixtures")
    fmt = args[args.index("-f") + 1] if "-f" in args else "table"
    made = []
    resolved = []
    for arg in args:
        if arg == "OUT":
            resolved.append(f"result{SUFFIX[fmt]}")
            made.append(case / f"result{SUFFIX[fmt]}")
        elif arg == "OUTDIR":
            resolved.append("outdir")
        else:
            resolved.append(arg)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "UCJ_")) and k not in ("LANG", "LANGUAGE")}
    env.update({"PYTHONPATH": str(tree), "NO_COLOR": "1", "COLUMNS": "100", "LANG": "C.UTF-8"})
    done = subprocess.run([sys.executable, "-m", "ucj_cli", *resolved], cwd=case, capture_output=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=300)
    stem = f"{number:04d}-{name}"
    (out / f"{stem}.out").write_bytes(b"exit %d\n--- stdout\n" % done.returncode + done.stdout + b"\n--- stderr\n" + done.stderr)
    for path in made:
        if path.exists():
            shutil.copyfile(path, out / f"{stem}{path.suffix}")
    if (case / "outdir").is_dir():
        for path in sorted((case / "outdir").rglob("*")):
            if path.is_file():
                shutil.copyfile(path, out / f"{stem}--{path.relative_to(case / 'outdir').as_posix().replace('/', '__')}")
    shutil.rmtree(case)


def render(out: Path, tree: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work, concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        jobs = [pool.submit(run_case, n, name, args, tree, Path(work), out) for n, (name, args) in enumerate(cases())]
        for job in jobs:
            job.result()
    print(f"{len(jobs)} cases rendered into {out}")


def compare(old: Path, new: Path) -> int:
    names = sorted({p.name for p in old.iterdir()} | {p.name for p in new.iterdir()})
    differ = [n for n in names if not ((old / n).exists() and (new / n).exists() and filecmp.cmp(old / n, new / n, shallow=False))]
    print(f"{len(names)} files compared: {len(names) - len(differ)} identical, {len(differ)} differ")
    for name in differ:
        print(f"  differs: {name}")
    return 1 if differ else 0


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    tree = Path(sys.argv[sys.argv.index("--tree") + 1]) if "--tree" in sys.argv else HERE
    render(Path(sys.argv[1]), tree.resolve())
