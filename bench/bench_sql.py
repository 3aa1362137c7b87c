"""The SQL back end measured: Python engine vs ``--engine duckdb`` vs hand-written DuckDB SQL.

For one data size (``bench/synth.py``: S layanan, C pengaduan), written once as JSON Lines
(``synth.py --lines``) and as a Parquet folder (``synth.py --parquet``) into ``--data-dir``, each
run is a fresh process (so its peak memory is its own) that reads the input, evaluates and
builds the summary (counts per rule and state):

* ``python``  -- ``layanan_rules.evaluate(..., engine="python")``
* ``duckdb``  -- ``layanan_rules.evaluate(..., engine="duckdb")``
* ``scan``    -- ``layanan_rules.engine.scan.scan``: DuckDB reads the file itself, decides the SQL
  rules and writes the findings table (Parquet, into a temporary folder); what it cannot read
  as the model does goes to the Python engine
* ``hand``    -- hand-written DuckDB SQL for the bench's checks (``bench/rules.py``), reading the
  file itself (``read_json`` / ``read_parquet``), states by ``CASE``, counts by ``GROUP BY``
* ``hand-write`` -- the same hand-written checks writing the findings table a user needs (one row
  per check x record: check id, entity, entity id, state, reason) to Parquet with ``COPY``, and
  the counts by ``GROUP BY`` over the file written: the fair peer of ``scan``, which writes one
  such row per rule x record too
* ``write-floor`` -- no rule decided: the findings table ``scan-full`` wrote (kept beside the data,
  ``<data>.scan-full.parquet``; run ``scan-full`` first) re-written by DuckDB with the scan's
  Parquet options, on every core: what writing the whole ruleset's table costs by itself, the
  floor under any engine whose output is that table (issue #15's "20x the Python engine")

``python`` and ``duckdb`` run the bench's checks (``bench/ruleset``, the same 23 checks as
``hand``) and the whole bundled ruleset. Printed per run: rule evaluations (rule x record pairs)
per second, wall seconds, peak RSS, and whether the counts agree with the Python engine's.

    python bench/bench_sql.py --services 100000 --complaints 1000000
    python bench/bench_sql.py --services 5000 --complaints 50000 --runs hand,duckdb-bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2025, 1, 1)  # as bench/run.py
RUNS = ("python-bench", "duckdb-bench", "scan-bench", "hand", "hand-write", "python-full", "duckdb-full", "scan-full",
        "write-floor")
NAME_RE = r"^[A-Z][A-Za-z0-9 ,.()/-]{4,}$"


# --- the hand-written SQL ---------------------------------------------------------------------------------

def _filled(x: str) -> str:
    return f"coalesce(regexp_matches({x}, '\\S'), false)"


def _size(x: str) -> str:
    return f"coalesce(len({x}), 0) > 0"


def _day(x: str) -> str:
    """The local (WIB) day number of an ISO timestamp text."""
    return f"CAST(floor((epoch(TRY_CAST(CAST({x} AS VARCHAR) AS TIMESTAMPTZ)) + 25200) / 86400) AS BIGINT)"


S = "x.standar"
ACTIVE = "x.aktif IS DISTINCT FROM false"
#: check id -> (entity, when SQL or None, require SQL): bench/rules.py's checks on the raw records
HAND: dict[str, tuple[str, str | None, str]] = {
    "B-21": ("layanan", ACTIVE, f"{S} IS NOT NULL"),
    **{cid: ("layanan", ACTIVE, f"{S} IS NOT NULL AND {_size(f'{S}.{key}')}") for cid, key in (
        ("B-21a", "dasar_hukum"), ("B-21b", "persyaratan"), ("B-21c", "prosedur"), ("B-21f", "produk"),
        ("B-21g", "sarana"))},
    "B-21d": ("layanan", ACTIVE, (f"{S} IS NOT NULL AND coalesce({S}.jangka_waktu.jumlah > 0 AND "
                                 f"{S}.jangka_waktu.satuan IS NOT NULL, false)")),
    "B-21e": ("layanan", ACTIVE, (f"{S} IS NOT NULL AND {S}.biaya IS NOT NULL AND (coalesce({S}.biaya.gratis, false) "
                                 f"OR coalesce({S}.biaya.jumlah >= 0 AND {_filled(f'{S}.biaya.dasar_hukum')}, false))")),
    **{cid: ("layanan", ACTIVE, f"{S} IS NOT NULL AND {_filled(f'{S}.{key}')}") for cid, key in (
        ("B-21h", "kompetensi_pelaksana"), ("B-21i", "pengawasan_internal"), ("B-21j", "penanganan_pengaduan"),
        ("B-21l", "jaminan_pelayanan"), ("B-21m", "jaminan_keamanan"), ("B-21n", "evaluasi_kinerja"))},
    "B-21k": ("layanan", ACTIVE, f"{S} IS NOT NULL AND coalesce({S}.jumlah_pelaksana > 0, false)"),
    "B-nama": ("layanan", "x.nama IS NOT NULL", f"regexp_matches(x.nama, '{NAME_RE}')"),
    "B-42-2": ("pengaduan", "x.pelayanan_diterima_pada IS NOT NULL AND x.diajukan_pada IS NOT NULL",
               f"{_day('x.diajukan_pada')} - {_day('x.pelayanan_diterima_pada')} <= 30"),
    "B-44-1": ("pengaduan", "x.diterima_pada IS NOT NULL", "x.tanda_terima_pada IS NOT NULL"),
    "B-44-3": ("pengaduan", "x.diterima_pada IS NOT NULL",
               (f"CASE WHEN x.ditanggapi_pada IS NOT NULL THEN {_day('x.ditanggapi_pada')} - {_day('x.diterima_pada')} "
               f"<= 14 ELSE $as_of - {_day('x.diterima_pada')} <= 14 END")),
    "B-44-3b": ("pengaduan", "x.ditanggapi_pada IS NOT NULL", "x.materi_lengkap IS NOT NULL"),
    "B-50-1": ("pengaduan", ("x.diputuskan_pada IS NOT NULL AND (x.dilengkapi_pada IS NOT NULL OR "
                            "x.ditanggapi_pada IS NOT NULL)"),
               f"{_day('x.diputuskan_pada')} - {_day('coalesce(x.dilengkapi_pada, x.ditanggapi_pada)')} <= 60"),
    "B-50-2": ("pengaduan", "x.diputuskan_pada IS NOT NULL",
               (f"CASE WHEN x.putusan_disampaikan_pada IS NOT NULL THEN {_day('x.putusan_disampaikan_pada')} - "
               f"{_day('x.diputuskan_pada')} <= 14 ELSE $as_of - {_day('x.diputuskan_pada')} <= 14 END")),
    "B-biaya-aduan": ("pengaduan", None, "x.biaya_dipungut IS NULL OR x.biaya_dipungut = 0"),
}


def hand(path: Path, fmt: str, out: Path | None = None) -> tuple[dict[str, dict[str, int]], int]:
    """The checks in DuckDB over the raw file: counts per check and state, and the pairs.

    With ``out``: the findings table written to ``out`` (Parquet, ``COPY``), one row per check x
    record: ``rule_id, entity, entity_id, state, reason`` (``reason`` says why an ``error`` row
    could not be decided, NULL otherwise), and the counts taken from the file written."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    as_of = (AS_OF - dt.date(1970, 1, 1)).days
    if fmt == "jsonl":
        con.execute(f"CREATE TABLE raw AS SELECT * FROM read_json('{path}', format='newline_delimited', "
                    f"sample_size=-1)")

        def source(entity: str) -> str:
            return f"(SELECT unnest({entity}) FROM raw WHERE {entity} IS NOT NULL)"
    else:
        def source(entity: str) -> str:
            return f"read_parquet('{path / (entity + '.parquet')}')"
    counts: dict[str, dict[str, int]] = {}
    pairs = 0
    queries = []
    for entity in ("layanan", "pengaduan"):
        checks = [(cid, w, r) for cid, (e, w, r) in HAND.items() if e == entity]
        states = []
        for cid, when, require in checks:
            decided = f"CASE WHEN ({require}) THEN 'pass' WHEN NOT ({require}) THEN 'fail' ELSE 'error' END"
            if when is not None:
                decided = f"CASE WHEN ({when}) THEN {decided} ELSE 'not_applicable' END"
            states.append(f"{decided.replace('$as_of', str(as_of))} AS \"{cid}\"")
        if out is None:
            query = (f"SELECT name, state, count(*) FROM (UNPIVOT (SELECT {', '.join(states)} FROM {source(entity)} "
                     f"AS x) ON COLUMNS(*) INTO NAME name VALUE state) GROUP BY ALL")
            for cid, state, n in con.execute(query).fetchall():
                counts.setdefault(cid, {})[state] = n
                pairs += n
        else:
            queries.append(f"SELECT rule_id, '{entity}' AS entity, id AS entity_id, state, CASE state WHEN 'error' "
                           f"THEN 'nilai tidak terbaca / value not readable' END AS reason FROM (UNPIVOT (SELECT "
                           f"x.id, {', '.join(states)} FROM {source(entity)} AS x) ON COLUMNS(* EXCLUDE id) "
                           f"INTO NAME rule_id VALUE state)")
    if out is not None:
        # the Parquet options of engine.scan's writer (scan.WRITE_OPTIONS), written out: the peer
        # gets the same cheaper writing
        con.execute(f"COPY ({' UNION ALL '.join(queries)}) TO '{out}' (FORMAT parquet, COMPRESSION zstd, "
                    f"COMPRESSION_LEVEL 1, DICTIONARY_SIZE_LIMIT 1)")
        for cid, state, n in con.execute(f"SELECT rule_id, state, count(*) FROM read_parquet('{out}') "
                                         f"GROUP BY ALL").fetchall():
            counts.setdefault(cid, {})[state] = n
            pairs += n
    return counts, pairs


# --- one run in its own process -----------------------------------------------------------------------------

def one(run: str, fmt: str, path: Path) -> dict[str, Any]:
    start = time.perf_counter()
    read = 0.0
    if run == "hand":
        counts, pairs = hand(path, fmt)
    elif run == "hand-write":
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            counts, pairs = hand(path, fmt, Path(tmp) / "findings.parquet")
    elif run == "write-floor":
        import tempfile

        import duckdb

        from layanan_rules.engine.scan import WRITE_OPTIONS

        table = kept_findings(path)
        if not table.exists():
            raise SystemExit(f"write-floor: {table} is missing; run scan-full first (--runs scan-full,write-floor)")
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        with tempfile.TemporaryDirectory() as tmp:
            con.execute(f"COPY (SELECT * FROM read_parquet('{table}')) TO '{Path(tmp) / 'copy.parquet'}' "
                        f"(FORMAT parquet, {WRITE_OPTIONS})")
        (pairs,) = con.execute(f"SELECT count(*) FROM read_parquet('{table}')").fetchone()
        counts = {}
    elif run.startswith("scan-"):
        import tempfile

        import layanan_rules
        from layanan_rules.engine import scan

        which = run.split("-")[1]
        rs = layanan_rules.load_ruleset(HERE / "ruleset") if which == "bench" else layanan_rules.load_ruleset()
        with tempfile.TemporaryDirectory() as tmp:  # the whole ruleset's table is kept for write-floor
            got = scan.scan(rs, path, as_of=AS_OF, out=kept_findings(path) if which == "full" else Path(tmp) / "f.parquet")
        counts = got.counts
        pairs = sum(sum(c.values()) for c in counts.values())
        read = got.seconds.get("python", 0.0)
    else:
        import layanan_rules

        engine, which = run.split("-")
        rs = layanan_rules.load_ruleset(HERE / "ruleset") if which == "bench" else layanan_rules.load_ruleset()
        t = time.perf_counter()
        data = layanan_rules.read_data(str(path))
        read = time.perf_counter() - t
        report = layanan_rules.evaluate(rs, data, as_of=AS_OF, engine=engine)
        got = report.counts_by_rule()
        counts = {rid: {s: n for s, n in c.items() if n} for rid, c in got.items()}
        pairs = sum(sum(c.values()) for c in counts.values())
    counts = {rid: c for rid, c in counts.items() if c}  # a rule with no records of its entity: no counts
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss * 1024
    cpu = usage.ru_utime + usage.ru_stime  # every thread's (DuckDB's too)
    return {"run": run, "format": fmt, "wall": wall, "cpu": cpu, "read": read, "pairs": pairs, "peak": peak,
            "counts": counts}


def kept_findings(path: Path) -> Path:
    """Where ``scan-full`` keeps its findings table for ``write-floor``: beside the data."""
    return path.with_name(path.name + ".scan-full.parquet")


# --- the driver ----------------------------------------------------------------------------------------------

def data_files(services: int, complaints: int, seed: int, data_dir: Path,
               formats: tuple[str, ...] = ("jsonl", "parquet")) -> dict[str, Path]:
    """The data in the ``formats`` asked for, written once (at 1M/10M the JSON Lines file alone is
    about 7 GB and 20 minutes: a Parquet-only run does not make it)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    base = data_dir / f"synth-{services}-{complaints}-s{seed}"
    jsonl, parquet = base.with_suffix(".jsonl"), base.with_suffix(".parquet")
    synth = [sys.executable, str(HERE / "synth.py"), "--services", str(services), "--complaints", str(complaints),
             "--seed", str(seed)]
    if "jsonl" in formats and not jsonl.exists():
        subprocess.run([*synth, "--lines", "--out", str(jsonl) + ".tmp"], check=True)
        os.replace(str(jsonl) + ".tmp", jsonl)
    if "parquet" in formats and not (parquet / "pengaduan.parquet").exists():
        subprocess.run([*synth, "--parquet", str(parquet)], check=True)
    return {"jsonl": jsonl, "parquet": parquet}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--services", type=int, default=100_000)
    ap.add_argument("--complaints", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/layanan-rules-bench"))
    ap.add_argument("--formats", default="jsonl,parquet")
    ap.add_argument("--runs", default=",".join(RUNS), help=f"comma-separated: {', '.join(RUNS)}")
    ap.add_argument("--one", nargs=3, metavar=("RUN", "FORMAT", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], Path(args.one[2]))))
        return 0
    files = data_files(args.services, args.complaints, args.seed, args.data_dir, tuple(args.formats.split(",")))
    print(f"# {args.services} layanan + {args.complaints} pengaduan (seed {args.seed}), as_of {AS_OF}; "
          f"{os.cpu_count()} CPUs; one process per run")
    print("wall: the whole process's work (start-up, ruleset, read, evaluate, summary); read: reading the input into")
    print("the model in Python (layanan-rules runs only; the hand-written SQL reads the file in DuckDB); for scan:")
    print("the part read and decided in Python (entities or records DuckDB does not read as the model does)")
    print("cpu: user + system seconds of every thread of the run's process (on a shared machine, steadier than wall)")
    print(f"{'run':14} {'input':8} {'pairs':>11} {'evals/s':>12} {'wall s':>8} {'cpu s':>8} {'read s':>7} {'peak MB':>8}"
          "  agrees")
    results: dict[tuple[str, str], dict[str, Any]] = {}
    disagree = False
    for fmt in args.formats.split(","):
        for run in args.runs.split(","):
            out = subprocess.run([sys.executable, __file__, "--one", run, fmt, str(files[fmt])],
                                 check=False, capture_output=True, text=True)
            if out.returncode != 0:
                print(f"{run:14} {fmt:8} FAILED: {out.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            results[(run, fmt)] = r
            hand_run = run.startswith("hand")
            ref = results.get((f"python-{run.split('-')[1]}" if not hand_run else "python-bench", fmt))
            if ref is None or ref is r:
                agree = "(reference)" if ref is r else "-"
            else:
                same = ref["counts"] == r["counts"] if not hand_run else _hand_agrees(ref["counts"], r["counts"])
                agree = "yes" if same else "NO"
                disagree |= not same
            print(f"{run:14} {fmt:8} {r['pairs']:>11,} {r['pairs'] / r['wall']:>12,.0f} {r['wall']:>8.2f} "
                  f"{r['cpu']:>8.2f} {r['read']:>7.2f} {r['peak'] / 2**20:>8.0f}  {agree}", flush=True)
    print()
    for fmt in args.formats.split(","):
        def wall(run: str, f: str = fmt, what: str = "wall") -> float | None:
            r = results.get((run, f))
            return r[what] if r else None
        pairs = [("duckdb-bench", "hand"), ("scan-bench", "hand"), ("scan-bench", "hand-write"),
                 ("hand-write", "hand"), ("python-bench", "duckdb-bench"),
                 ("python-bench", "scan-bench"), ("python-full", "duckdb-full"), ("python-full", "scan-full"),
                 ("python-full", "write-floor"), ("scan-full", "write-floor")]
        for a, b in pairs:
            wa, wb = wall(a), wall(b)
            ca, cb = wall(a, what="cpu"), wall(b, what="cpu")
            if wa and wb and ca and cb:
                print(f"{fmt}: {a} / {b}: wall {wa / wb:.2f}, cpu {ca / cb:.2f}")
    return 1 if disagree else 0


def _hand_agrees(ref: dict[str, dict[str, int]], got: dict[str, dict[str, int]]) -> bool:
    return all(ref.get(cid, {}) == got.get(cid, {}) for cid in HAND)


if __name__ == "__main__":
    raise SystemExit(main())
