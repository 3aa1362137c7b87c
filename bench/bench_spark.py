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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--services", type=int, default=2000)
    ap.add_argument("--complaints", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--driver-memory", default="2g")
    ap.add_argument("--pushdown", action="store_true", help="also PostgreSQL: python from the URL vs pushdown")
    ap.add_argument("--no-spark", action="store_true")
    args = ap.parse_args(argv)

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
