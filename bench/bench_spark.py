"""Spark local mode and PostgreSQL pushdown measured against the Python engine, whole bundled ruleset.

For one data size (``bench/synth.py``: S layanan, C pengaduan):

* ``python``  -- ``layanan_rules.evaluate(ds, engine="python")`` over the Dataset read once
* ``spark``   -- ``engine="spark"``, Spark in local mode (``--master``, default ``local[2]``)
* with ``--pushdown``: the same data loaded into a throw-away PostgreSQL (typed columns, as
  ``layanan_rules_sql.testing.load_plain_json`` does), then read and judged from the URL by
  ``engine="python"`` (every row read into Python) and by ``engine="pushdown"``

Printed per run: rule evaluations (rule x record pairs of the in-force rules) per second, wall
seconds, this process's CPU seconds (Spark's and PostgreSQL's own CPU is not in it: they are
other processes), and whether the counts per (rule, state) agree with the Python engine's.
Reading and structuring the input is timed apart (``read``): every engine pays it.

    python bench/bench_spark.py --services 10000 --complaints 100000
    python bench/bench_spark.py --services 2000 --complaints 20000 --pushdown

From Parquet (``--parquet DIR``: a folder of ``<entity>.parquet``, written by ``bench/synth.py
--parquet DIR`` when it does not exist yet), each engine runs end to end in its own process:

* ``python``     -- read the Parquet (``read_data``) and ``engine.run`` (every rule, every record)
* ``spark scan`` -- ``engine.spark.scan``: Spark reads the files, decides the Spark SQL rules on
  the executors and writes the findings table; Python only for the rules without a Spark form

printing wall seconds, CPU seconds and peak resident memory of the driver (this Python process) and
of the JVM (Spark's driver and, in local mode, its executors), and whether the counts per (rule,
state) agree with the Python engine's.

    python bench/bench_spark.py --services 100000 --complaints 1000000 --parquet /tmp/big.parquet
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import importlib.util
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2025, 1, 1)


def _synth() -> Any:
    spec = importlib.util.spec_from_file_location("bench_synth", HERE / "synth.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_synth"] = mod
    spec.loader.exec_module(mod)
    return mod


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _counts(report: Any) -> dict[tuple[str, str], int]:
    table = report.to_dict()["findings"]
    return dict(collections.Counter((f["rule_id"], f["state"]) for f in table))


def _pairs(ruleset: Any, ds: Any) -> int:
    return sum(len(ds.records.get(r.entity, ())) for r in ruleset.rules if r.in_force(AS_OF))


def _line(name: str, pairs: int, wall: float, cpu: float, agree: Any) -> None:
    print(f"{name:<18} {pairs / wall:>14,.0f} {wall:>9.1f} {cpu:>9.1f}  {agree}", flush=True)


def _timed(fn: Any) -> tuple[Any, float, float]:
    w, c = time.perf_counter(), _cpu()
    out = fn()
    return out, time.perf_counter() - w, _cpu() - c


def _proc(pid: int) -> tuple[float, float]:
    """(CPU seconds, peak resident MB) of process ``pid`` from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    peak = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    return cpu, peak


def _one(args: Any) -> int:
    """One engine over the Parquet folder, in this process; prints one JSON line."""
    import json

    from layanan_rules import engine, load_ruleset, read_data

    ruleset = load_ruleset()
    w, c = time.perf_counter(), _cpu()
    out: dict[str, Any] = {}
    if args.one == "python":
        res = engine.run(ruleset, read_data(args.parquet), as_of=AS_OF)
        counts: dict[str, dict[str, int]] = {}
        for rule, _records, states, _errors in res.blocks:
            got = counts.setdefault(rule.id, {})
            for st in states:
                got[st.value] = got.get(st.value, 0) + 1
        out["pairs"] = sum(len(b[1]) for b in res.blocks)
        jvm = None
    else:
        from pyspark.sql import SparkSession

        from layanan_rules.engine import spark as spark_engine

        spark = (SparkSession.builder.master(args.master).config("spark.driver.memory", args.driver_memory)
                 .config("spark.ui.showConsoleProgress", "false").config("spark.ui.enabled", "false")
                 .config("spark.sql.shuffle.partitions", "4").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        jvm = int(spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid())
        jvm_start = _proc(jvm)[0]
        w, c = time.perf_counter(), _cpu()  # the JVM's start is not the engine's
        got = spark_engine.scan(ruleset, args.parquet, as_of=AS_OF, out=args.findings, spark=spark)
        counts = got.counts
        out["pairs"] = sum(sum(v.values()) for v in counts.values())
        out["seconds"] = {k: round(v, 1) for k, v in got.seconds.items()}
        out["python_records"] = got.python_records
        out["sql_records"] = got.sql_records
        out["python_rules"] = sum(len(v.split("; ")) for v in got.python_rules.values())
    out["wall"] = time.perf_counter() - w
    out["cpu"] = _cpu() - c
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if jvm is not None:
        jcpu, jpeak = _proc(jvm)
        out["jvm_cpu"], out["jvm_peak_mb"] = jcpu - jvm_start, jpeak
    out["counts"] = counts
    print(json.dumps(out), flush=True)
    return 0


def _from_parquet(args: Any) -> int:
    import json
    import subprocess

    folder = Path(args.parquet)
    if not folder.exists():
        print(f"writing {folder} (bench/synth.py --parquet)", flush=True)
        _synth().write_parquet(str(folder), args.seed, args.services, args.complaints)
    load = os.getloadavg()
    print(f"{folder}: {args.services} layanan, {args.complaints} pengaduan; Spark {args.master}, driver memory "
          f"{args.driver_memory}; uptime load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    print(f"{'run':<12} {'rule-evals/s':>13} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'JVM cpu s':>10} "
          f"{'JVM peak MB':>12}  agrees", flush=True)
    reference = None
    for name in ("python", "spark"):
        if (name == "python" and args.no_python) or (name == "spark" and args.no_spark):
            continue
        cmd = [sys.executable, __file__, "--one", name, "--parquet", str(folder), "--master", args.master,
               "--driver-memory", args.driver_memory, "--findings", args.findings]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
        if done.returncode or not lines:
            print(f"{name}: failed ({done.returncode})\n{done.stderr[-3000:]}", flush=True)
            continue
        got = json.loads(lines[-1])
        counts = {k: v for k, v in got.pop("counts").items() if v}  # a rule of an entity without records: none
        if reference is None and name == "python":
            reference = counts
        agree = "-" if name == "python" or reference is None else str(counts == reference)
        jvm = (f"{got['jvm_cpu']:>10.1f} {got['jvm_peak_mb']:>12.0f}" if "jvm_cpu" in got else f"{'':>10} {'':>12}")
        print(f"{name:<12} {got['pairs'] / got['wall']:>13,.0f} {got['wall']:>8.1f} {got['cpu']:>8.1f} "
              f"{got['peak_mb']:>8.0f} {jvm}  {agree}", flush=True)
        if name == "spark":
            print(f"  phases (s): {got['seconds']}; records decided in Spark: {got['sql_records']}; read in Python "
                  f"(fields or whole): {got['python_records']}; rules in Python: {got['python_rules']}", flush=True)
            if reference is not None and counts != reference:
                differ = sorted(k for k in set(counts) | set(reference) if counts.get(k) != reference.get(k))
                print(f"  counts differ for {len(differ)} rules, e.g. {differ[:3]}: "
                      f"{[(counts.get(k), reference.get(k)) for k in differ[:3]]}", flush=True)
    load = os.getloadavg()
    print(f"uptime load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--services", type=int, default=2000)
    ap.add_argument("--complaints", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--driver-memory", default="2g")
    ap.add_argument("--pushdown", action="store_true", help="also PostgreSQL: python from the URL vs pushdown")
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--no-python", action="store_true", help="with --parquet: Spark only")
    ap.add_argument("--parquet", metavar="DIR", help="from a Parquet folder, each engine in its own process")
    ap.add_argument("--findings", default=str(Path(os.environ.get("TMPDIR", "/tmp")) / "bench-spark-findings"),
                    help="with --parquet: where Spark writes the findings table")
    ap.add_argument("--one", choices=["python", "spark"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        return _one(args)
    if args.parquet:
        return _from_parquet(args)

    from layanan_rules import Dataset, evaluate, load_ruleset

    ruleset = load_ruleset()
    data = _synth().build(seed=args.seed, services=args.services, complaints=args.complaints)
    ds, wall, cpu = _timed(lambda: Dataset.from_json(data))
    pairs = _pairs(ruleset, ds)
    print(f"{args.services} layanan, {args.complaints} pengaduan, {len(ds)} records, {pairs:,} rule evaluations; "
          f"uptime: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(f"{'run':<18} {'rule-evals/s':>14} {'wall s':>9} {'cpu s':>9}  agrees with python")
    print(f"{'read (all)':<18} {'':>14} {wall:>9.1f} {cpu:>9.1f}")
    python, wall, cpu = _timed(lambda: evaluate(ruleset, ds, as_of=AS_OF, engine="python"))
    reference = _counts(python)
    del python
    _line("python", pairs, wall, cpu, "-")
    if not args.no_spark:
        from pyspark.sql import SparkSession

        from layanan_rules.engine import spark as spark_engine

        (SparkSession.builder.master(args.master).config("spark.driver.memory", args.driver_memory)
         .config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "4")
         .getOrCreate().sparkContext.setLogLevel("ERROR"))
        n_spark = sum(spark_engine.choice(ruleset, r).backend == "spark" for r in ruleset.rules)
        got, wall, cpu = _timed(lambda: evaluate(ruleset, ds, as_of=AS_OF, engine="spark"))
        _line(f"spark {args.master}", pairs, wall, cpu, _counts(got) == reference)
        print(f"  ({n_spark} of {len(ruleset.rules)} rules in Spark SQL; the rest in Python on the driver)")
        del got
    if args.pushdown:
        from layanan_rules_sql import testing

        with testing.postgres_server() as server:
            _, wall, cpu = _timed(lambda: testing.load_plain_json(server.url, data))
            print(f"{'load postgres':<18} {'':>14} {wall:>9.1f} {cpu:>9.1f}")
            got, wall, cpu = _timed(lambda: evaluate(ruleset, server.url, as_of=AS_OF, engine="python"))
            _line("postgres->python", pairs, wall, cpu, _counts(got) == reference)
            del got
            got, wall, cpu = _timed(lambda: evaluate(ruleset, server.url, as_of=AS_OF, engine="pushdown"))
            _line("pushdown", pairs, wall, cpu, _counts(got) == reference)
            print(f"  ({got.notes[-1].split(' / ')[-1]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
