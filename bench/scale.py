"""The scale benchmark: the CLI end to end (file -> report) per format, next to hand-written DuckDB SQL.

    python bench/scale.py                        # 20k layanan / 200k pengaduan and 100k / 1M
    python bench/scale.py --sizes 20k --formats json,parquet,csv
    python bench/scale.py --sizes 100k --formats parquet --engines python,duckdb --data big.parquet
    python bench/scale.py --duckdb-only DATA OUT.parquet   # (used by the benchmark itself)

For each size it generates the data once (``bench/synth.py --seed 1``, cached in ``--data-dir``),
then runs ``layanan-rules evaluate DATA --format F -o OUT -q`` with the full bundled ruleset in a
fresh process per format under ``/usr/bin/time``, and prints wall time, CPU time (user + sys), peak
memory (max RSS) and the report's size. Beside it, the same file goes through hand-written DuckDB
SQL for the engine benchmark's checks (``bench/rules.py``: 18 record checks on layanan and
pengaduan, calendar days in WIB), whose findings (rule, id, state) are written to Parquet: the
floor of what "file -> findings table" costs in an engine built for it. Ratios are to that floor.

The machine is shared: the load average is printed before and after. CPU seconds are steadier than
wall seconds when others are busy. Targets (issue #14): 20k/200k ``--format json`` <= 20 s wall,
<= 1 GB peak, report <= 600 MB; 100k/1M completes in every streamed format with <= 2.5 GB peak; the
20k html report opens in headless Chromium in < 5 s (the ``(chromium)`` row after ``html``: the browser
process from start to the dump of the page's DOM once its script has run).

``--engines python,duckdb`` runs each format once per engine (``evaluate --engine E``) and prints,
after a format's rows, each engine's wall and CPU against the first's: the SQL back end end to end
(issue #15's "full bundled ruleset ... faster than the Python engine end to end").
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {"20k": (20_000, 200_000), "100k": (100_000, 1_000_000)}
FORMATS = ("json", "jsonl", "csv", "parquet", "junit", "markdown", "html", "table", "xlsx")
AS_OF = "2025-01-31"

# --- the DuckDB floor: the benchmark's checks as SQL over the same JSON file ---------------------------

_LIST = ("dasar_hukum", "persyaratan", "prosedur", "produk", "sarana")
_TEXT = ("kompetensi_pelaksana", "pengawasan_internal", "penanganan_pengaduan")


def duckdb_sql(path: str, out: str) -> str:
    """Hand-written SQL: every check one SELECT of (rule, id, state); all written to Parquet."""
    active = "coalesce(l.aktif, true)"
    s = "l.standar"

    def check(rule: str, when: str, ok: str, src: str = "lay", key: str = "l.id") -> str:
        return (f"SELECT '{rule}' AS rule_id, {key} AS entity_id, CASE WHEN NOT ({when}) THEN 'not_applicable' "
                f"WHEN {ok} THEN 'pass' ELSE 'fail' END AS state FROM {src}")

    def day(x: str) -> str:  # the local (WIB) date of a timestamp (the session's zone is UTC)
        return f"CAST(p.{x} + INTERVAL 7 HOUR AS DATE)"

    lay = [check("B-21", active, f"{s} IS NOT NULL")]
    lay += [check(f"B-21-{k}", active, f"{s} IS NOT NULL AND len(coalesce({s}.{k}, [])) > 0") for k in _LIST]
    lay += [check(f"B-21-{k}", active, f"{s} IS NOT NULL AND regexp_matches(coalesce({s}.{k}, ''), '\\S')")
            for k in _TEXT]
    lay += [
        check("B-21d", active, f"{s} IS NOT NULL AND {s}.jangka_waktu IS NOT NULL"),
        check("B-21k", active, f"{s} IS NOT NULL AND {s}.jumlah_pelaksana IS NOT NULL"),
        check("B-nama", "true", "regexp_matches(coalesce(l.nama, ''), '^[A-Z][A-Za-z0-9 ,.()/-]{4,}$')"),
    ]
    lengkap = "coalesce(p.dilengkapi_pada, p.ditanggapi_pada)"
    pg = [
        check("B-42-2", "p.pelayanan_diterima_pada IS NOT NULL AND p.diajukan_pada IS NOT NULL",
              f"date_diff('day', {day('pelayanan_diterima_pada')}, {day('diajukan_pada')}) <= 30", "adu", "p.id"),
        check("B-44-1", "p.diterima_pada IS NOT NULL", "p.tanda_terima_pada IS NOT NULL", "adu", "p.id"),
        check("B-44-3", "p.diterima_pada IS NOT NULL",
              f"(p.ditanggapi_pada IS NOT NULL AND date_diff('day', {day('diterima_pada')}, {day('ditanggapi_pada')}) <= 14)"
              f" OR (p.ditanggapi_pada IS NULL AND date_diff('day', {day('diterima_pada')}, DATE '{AS_OF}') <= 14)",
              "adu", "p.id"),
        check("B-50-1", f"{lengkap} IS NOT NULL",
              f"(p.diputuskan_pada IS NOT NULL AND date_diff('day', CAST({lengkap} + INTERVAL 7 HOUR AS DATE), "
              f"{day('diputuskan_pada')}) <= 60) OR (p.diputuskan_pada IS NULL AND date_diff('day', "
              f"CAST({lengkap} + INTERVAL 7 HOUR AS DATE), DATE '{AS_OF}') <= 60)", "adu", "p.id"),
        check("B-50-2", "p.diputuskan_pada IS NOT NULL",
              f"p.putusan_disampaikan_pada IS NOT NULL AND date_diff('day', {day('diputuskan_pada')}, "
              f"{day('putusan_disampaikan_pada')}) <= 14", "adu", "p.id"),
        check("B-biaya-aduan", "p.biaya_dipungut IS NOT NULL", "p.biaya_dipungut = 0", "adu", "p.id"),
    ]
    return (
        f"CREATE TEMP TABLE doc AS SELECT * FROM read_json('{path}', maximum_object_size=2147483647, sample_size=-1);\n"
        "CREATE TEMP TABLE lay AS SELECT unnest(layanan) AS l FROM doc;\n"
        "CREATE TEMP TABLE adu AS SELECT unnest(pengaduan) AS p FROM doc;\n"
        f"COPY ({' UNION ALL '.join(lay + pg)}) TO '{out}' (FORMAT PARQUET, COMPRESSION ZSTD);\n"
    )


def duckdb_only(path: str, out: str) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute("SET TimeZone = 'UTC'")
    for stmt in duckdb_sql(path, out).strip().split(";\n"):
        if stmt.strip():
            con.execute(stmt)
    n = con.execute(f"SELECT count(*), count(DISTINCT rule_id) FROM '{out}'").fetchone()
    print(f"duckdb: {n[0]:,} findings of {n[1]} checks", file=sys.stderr)


# --- running and timing -------------------------------------------------------------------------------------


def timed(cmd: list[str]) -> dict[str, object]:
    """Run ``cmd`` under /usr/bin/time: wall and CPU seconds, peak RSS (MB), exit code, last stderr line."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ["/usr/bin/time", "-o", tf.name, "-f", "%e %U %S %M", *cmd]
        p = subprocess.run(full, capture_output=True, text=True, check=False)  # exit 1 = findings, 2 = refused
        wall, user, sys_, rss = tf.read().split()[-4:]
    err = [line for line in p.stderr.splitlines() if line.strip()]
    return {"wall": float(wall), "cpu": float(user) + float(sys_), "peak_mb": int(rss) / 1024, "rc": p.returncode,
            "note": err[-1][:160] if err else ""}


CHROMIUM = Path("/usr/bin/chromium")


def chromium_open(page: Path) -> dict[str, object]:
    """Open an HTML report in headless Chromium until its DOM is ready (the report's script sets
    ``data-ready="1"``): the wall seconds of the whole browser process, start to DOM dump."""
    if not CHROMIUM.exists():
        return {"wall": float("nan"), "note": "headless Chromium: /usr/bin/chromium not installed"}
    with tempfile.TemporaryDirectory(prefix="scale-chromium-") as profile:
        cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               "--dump-dom", page.resolve().as_uri()]
        start = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
        wall = time.perf_counter() - start
    ready = 'data-ready="1"' in p.stdout
    return {"wall": wall, "note": f"headless Chromium opened the {page.stat().st_size / 1e6:.1f} MB page, "
                                  f"{'script ran (data-ready)' if ready else 'NOT ready'}, exit {p.returncode}"}


def ensure_data(size: str, data_dir: Path) -> Path:
    services, complaints = SIZES[size]
    path = data_dir / f"synth-{services}-{complaints}-s1.json"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        subprocess.run([sys.executable, str(HERE / "synth.py"), "--services", str(services), "--complaints",
                        str(complaints), "--seed", "1", "--out", str(path)], check=True)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="20k,100k", help="comma-separated: 20k, 100k")
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated report formats")
    ap.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--data", type=Path, default=None,
                    help="an existing data file for the (single) size, e.g. the synth .jsonl or .parquet")
    ap.add_argument("--out-dir", type=Path, default=None, help="where reports go (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the reports")
    ap.add_argument("--no-duckdb", action="store_true")
    ap.add_argument("--engines", default="python",
                    help="comma-separated evaluate --engine values, each format run once per engine")
    ap.add_argument("--duckdb-only", nargs=2, metavar=("DATA", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.duckdb_only:
        duckdb_only(*args.duckdb_only)
        return 0
    cli = shutil.which("layanan-rules") or sys.exit("layanan-rules is not on PATH (pip install -e .)")
    out_dir = args.out_dir or Path(tempfile.mkdtemp(prefix="scale-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (1 min) at start; "
          f"python {sys.version.split()[0]}; {time.strftime('%Y-%m-%d %H:%M')}")
    engines = args.engines.split(",")
    width = 9 if len(engines) == 1 else 16
    print(f"{'size':6s} {'format':{width}s} {'wall s':>8s} {'cpu s':>8s} {'peak MB':>8s} {'out MB':>8s} "
          f"{'x duckdb wall':>13s} {'x duckdb peak':>13s}  note")
    for size in args.sizes.split(","):
        data = args.data or ensure_data(size, args.data_dir)
        floor = None
        by_engine: dict[str, dict[str, object]] = {}
        if not args.no_duckdb:
            out = out_dir / f"{size}.duckdb.parquet"
            floor = timed([sys.executable, __file__, "--duckdb-only", str(data), str(out)])
            print(f"{size:6s} {'duckdb':{width}s} {floor['wall']:8.1f} {floor['cpu']:8.1f} {floor['peak_mb']:8.0f} "
                  f"{out.stat().st_size / 1e6 if out.exists() else 0:8.1f} {'1.0':>13s} {'1.0':>13s}  "
                  f"hand-written SQL, {floor['note']}", flush=True)
        for fmt, engine in [(f, e) for f in args.formats.split(",") for e in engines]:
            out = out_dir / f"{size}.{engine}.{fmt}"
            got = timed([cli, "evaluate", str(data), "--as-of", AS_OF, "--format", fmt, "-o", str(out), "-q",
                         "--engine", engine])
            by_engine[engine] = got
            size_mb = out.stat().st_size / 1e6 if out.exists() else 0.0
            ok = got["rc"] in (0, 1)
            ratio_w = f"{got['wall'] / floor['wall']:.1f}" if floor and ok else "-"
            ratio_m = f"{got['peak_mb'] / floor['peak_mb']:.1f}" if floor and ok else "-"
            note = "" if ok else f"exit {got['rc']}: {got['note']}"
            label = fmt if len(engines) == 1 else f"{fmt}/{engine}"
            print(f"{size:6s} {label:{width}s} {got['wall']:8.1f} {got['cpu']:8.1f} {got['peak_mb']:8.0f} {size_mb:8.1f} "
                  f"{ratio_w:>13s} {ratio_m:>13s}  {note}", flush=True)
            if fmt == "html" and ok and out.exists():
                opened = chromium_open(out)
                print(f"{size:6s} {'(chromium)':{width}s} {opened['wall']:8.1f} {'':>8s} {'':>8s} {'':>8s} {'':>13s} {'':>13s}  "
                      f"{opened['note']}", flush=True)
            if not args.keep:
                out.unlink(missing_ok=True)
            if len(engines) > 1 and engine == engines[-1]:
                first = by_engine[engines[0]]
                for e in engines[1:]:
                    other = by_engine[e]
                    if first["rc"] in (0, 1) and other["rc"] in (0, 1) and other["wall"] and other["cpu"]:
                        print(f"{size:6s} {fmt}: {engines[0]} / {e}: wall {first['wall'] / other['wall']:.2f}, "
                              f"cpu {first['cpu'] / other['cpu']:.2f}", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
