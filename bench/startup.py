"""Start-up figures: how long the command line takes before and around real work.

    python bench/startup.py                 # 7 runs of each command, median and min
    python bench/startup.py --runs 15 --exe .venv/bin/layanan-rules

Each command runs as a fresh process (what a user waits for). Targets (issue #10):
``--version`` <= 0.15 s, ``evaluate examples/dinas-contoh.json`` <= 0.6 s on a 2-core machine.
Also printed: loading the bundled ruleset in-process (YAML parse + compile) and the slowest
imports of ``evaluate`` (``python -X importtime``).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# As installed for a user: bytecode cached (a shell with PYTHONDONTWRITEBYTECODE=1 would make every
# run compile every module from source, which no user's machine does).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
EXAMPLE = ROOT / "examples" / "dinas-contoh.json"

COMMANDS = [
    ("--version", ["--version"], 0.15),
    ("--help", ["--help"], None),
    ("rules list", ["rules", "list"], None),
    ("evaluate dinas-contoh.json", ["evaluate", str(EXAMPLE), "--as-of", "2025-01-31"], 0.6),
    ("evaluate --format json", ["evaluate", str(EXAMPLE), "--as-of", "2025-01-31", "--format", "json",
                                "-o", os.devnull], None),
]


def timed(argv: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) seconds of each run; CPU time is what a busy machine does not
    inflate, wall time is what the user waits."""
    walls, cpus = [], []
    for _ in range(runs + 1):  # the first run warms the file cache and is not counted
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls[1:], cpus[1:]


def ruleset_load(runs: int) -> tuple[float, float]:
    code = (
        "import time; t=time.perf_counter(); from layanan_rules import load_ruleset; rs=load_ruleset(); "
        "print(time.perf_counter()-t)"
    )
    xs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
          for _ in range(runs)]
    return statistics.median(xs), min(xs)


def slowest_imports(exe: list[str], n: int = 8) -> list[tuple[int, str]]:
    code = "from layanan_rules.cli import main\ntry: main(['--version'])\nexcept SystemExit: pass"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                          capture_output=True, text=True, check=False)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = line.split("|")
            try:
                rows.append((int(parts[1]), parts[2].rstrip()))
            except ValueError:
                continue
    return sorted(rows, reverse=True)[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--exe", default=shutil.which("layanan-rules") or "layanan-rules")
    args = ap.parse_args()
    exe = [args.exe]
    load = os.getloadavg()[0]
    print(f"layanan-rules start-up, {args.runs} runs each after one warm-up ({os.cpu_count()} cores, "
          f"load average {load:.2f}{': busy, trust the cpu column' if load > 0.5 else ''})")
    print(f"   {'command':32} {'wall median':>11} {'wall min':>8} {'cpu median':>10}  target (wall median)")
    for label, argv, target in COMMANDS:
        walls, cpus = timed(exe + argv, args.runs)
        med = statistics.median(walls)
        verdict = "" if target is None else f"<= {target} s: {'MEETS' if med <= target else 'MISSES'}"
        print(f"   {label:32} {med:11.3f} {min(walls):8.3f} {statistics.median(cpus):10.3f}  {verdict}")
    med, low = ruleset_load(max(3, args.runs // 2))
    print(f"   {'load_ruleset() in-process':32} {med:9.3f} {low:7.3f}")
    print("slowest imports behind `layanan-rules --version` (cumulative µs):")
    for us, name in slowest_imports(exe):
        print(f"   {us:>9,}  {name.strip()}")


if __name__ == "__main__":
    main()
