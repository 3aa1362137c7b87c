"""Benchmark: read complaint rows from PostgreSQL and from a paginated local JSON API.

Starts a throw-away PostgreSQL server and a local API exactly as the adapters' tests do
(``layanan_rules_sql.testing``, ``layanan_rules_http.testing``), fills them with synthetic
``pengaduan`` rows, and reads them through the ``sql`` and ``http`` adapters at two sizes
(``--rows`` and a fifth of it). Each read runs in a fresh child process that only iterates
``adapter.read()`` (the records are not kept), and reports rows/second and the peak resident
memory the read added on top of the process after imports: equal figures at both sizes mean
memory stays flat however many rows the source holds. (Building a Dataset of course keeps every
record; that is the engine's memory, not the adapter's.)

    .venv/bin/python bench/bench_sources.py                 # 200,000 and 1,000,000 rows
    .venv/bin/python bench/bench_sources.py --rows 100000   # 20,000 and 100,000 rows
    .venv/bin/python bench/bench_sources.py --only http

Needs the PostgreSQL server binaries (``/usr/lib/postgresql/*/bin``) and both plugins installed
(``pip install -e plugins/layanan-rules-sql -e plugins/layanan-rules-http``).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from typing import Any

PAGE_SIZE = 1000
YIELD_PER = 5000


class SyntheticComplaints:
    """A million complaints that exist only when a page of them is asked for."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        start, stop, _ = key.indices(self.n)
        return [_complaint(i) for i in range(start, stop)]


def _complaint(i: int) -> dict[str, Any]:
    day = 1 + i % 28
    return {
        "id": f"A{i:07d}", "unit_id": f"U{i % 50:03d}", "layanan_id": f"L{i % 400:04d}",
        "kanal": ("SP4N-LAPOR!", "WhatsApp", "Kotak pengaduan")[i % 3],
        "diterima_pada": f"2024-{1 + i % 12:02d}-{day:02d}T09:00:00+07:00",
        "ditanggapi_pada": None if i % 7 == 0 else f"2024-{1 + i % 12:02d}-{day:02d}T15:30:00+07:00",
        "materi_lengkap": i % 5 != 0, "status": "selesai" if i % 4 else "proses",
    }


def _serve_api(n: int, ready: Any, stop: Any) -> None:
    from layanan_rules_http import testing

    with testing.serve(testing.Api(data={"pengaduan": SyntheticComplaints(n)})) as url:
        ready.put(url)
        stop.wait()


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child(kind: str, location: str, options: Mapping[str, Any]) -> None:
    """Read everything once through one adapter; print a JSON line with the figures."""
    import gc

    from layanan_rules.data.sources import choose
    from layanan_rules.plugins import get_plugin_manager

    cls = choose(location, get_plugin_manager(), kind)
    adapter = cls(location, dict(options))
    gc.collect()
    base = _rss_mib()
    start = time.perf_counter()
    rows = 0
    for _rec in adapter.read():
        rows += 1
    seconds = time.perf_counter() - start
    adapter.close()
    print(json.dumps({"rows": rows, "seconds": seconds, "base_mib": base, "peak_mib": _rss_mib()}))


def _run_child(kind: str, location: str, options: Mapping[str, Any]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", kind, location, json.dumps(dict(options))],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _mapping(tmpdir: str, name: str, content: Mapping[str, Any]) -> str:
    import yaml

    path = f"{tmpdir}/{name}.yaml"
    with open(path, "w", encoding="utf-8") as fh:
        yaml.safe_dump(dict(content), fh)
    return path


def bench_postgres(sizes: list[int], tmpdir: str) -> Iterator[tuple[str, int, dict[str, Any]]]:
    from layanan_rules_sql import testing

    if testing.postgres_bin() is None:
        print("postgresql: dilewati, binari tidak ada / skipped, no binaries in /usr/lib/postgresql/*/bin")
        return
    with testing.postgres_server() as server:
        t0 = time.perf_counter()
        statements = []
        for n in sizes:
            statements += [
                (f"CREATE TABLE pengaduan_{n} (id text PRIMARY KEY, unit_id text, layanan_id text, kanal text, "
                "diterima_pada timestamptz, ditanggapi_pada timestamptz, materi_lengkap boolean, status text)"),
                (f"INSERT INTO pengaduan_{n} SELECT 'A' || lpad(i::text, 7, '0'), 'U' || mod(i, 50), "
                "'L' || mod(i, 400), (ARRAY['SP4N-LAPOR!','WhatsApp','Kotak pengaduan'])[1 + mod(i, 3)], "
                "TIMESTAMPTZ '2024-01-01 09:00+07' + mod(i, 360) * INTERVAL '1 day', "
                "CASE WHEN mod(i, 7) = 0 THEN NULL ELSE TIMESTAMPTZ '2024-01-01 15:30+07' + mod(i, 360) * "
                "INTERVAL '1 day' END, mod(i, 5) <> 0, CASE WHEN mod(i, 4) = 0 THEN 'proses' ELSE 'selesai' END "
                f"FROM generate_series(0, {n - 1}) AS i"),
                f"ANALYZE pengaduan_{n}",
            ]
        testing.execute(server.url, *statements)
        print(f"postgresql: {sum(sizes):,} baris dimuat / rows loaded in {time.perf_counter() - t0:.1f}s")
        for n in sizes:
            peta = _mapping(tmpdir, f"sql-{n}", {"yield_per": YIELD_PER,
                                                 "entities": {"pengaduan": {"table": f"pengaduan_{n}"}}})
            yield "postgresql (sql)", n, _run_child("sql", server.url, {"mapping": peta})


def bench_http(sizes: list[int], tmpdir: str) -> Iterator[tuple[str, int, dict[str, Any]]]:
    for n in sizes:
        ctx = multiprocessing.get_context("spawn")
        ready, stop = ctx.Queue(), ctx.Event()
        server = ctx.Process(target=_serve_api, args=(n, ready, stop), daemon=True)
        server.start()
        try:
            url = ready.get(timeout=60)
            peta = _mapping(tmpdir, f"http-{n}", {"timeout": 60, "entities": {"pengaduan": {
                "path": "/page/pengaduan", "records": "data.items", "total": "meta.total",
                "pagination": {"style": "page", "page_param": "page", "size_param": "per_page", "size": PAGE_SIZE}}}})
            yield f"api (http, {PAGE_SIZE}/page)", n, _run_child("http", url, {"mapping": peta})
        finally:
            stop.set()
            server.join(10)
            if server.is_alive():
                server.terminate()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="the larger size (the smaller is a fifth)")
    parser.add_argument("--only", choices=["sql", "http"], help="run one source only")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "LOCATION", "OPTIONS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], json.loads(args.child[2]))
        return
    import tempfile

    sizes = [max(1, args.rows // 5), args.rows]
    print(f"python {sys.version.split()[0]}; sizes {sizes[0]:,} and {sizes[1]:,} rows; "
          f"sql yield_per {YIELD_PER}, http {PAGE_SIZE} records/page")
    header = f"{'sumber / source':26} {'baris/rows':>10} {'detik/s':>8} {'baris/s rows/s':>15} {'memori baca / read MiB':>23}"
    results = []
    with tempfile.TemporaryDirectory() as tmpdir:
        runs = []
        if args.only in (None, "sql"):
            runs.append(bench_postgres(sizes, tmpdir))
        if args.only in (None, "http"):
            runs.append(bench_http(sizes, tmpdir))
        for run in runs:
            for name, n, r in run:
                assert r["rows"] == n, (name, n, r)
                results.append((name, n, r))
                print(f"  {name}: {n:,} rows in {r['seconds']:.1f}s", flush=True)
    print()
    print(header)
    for name, n, r in results:
        added = r["peak_mib"] - r["base_mib"]
        print(f"{name:26} {n:>10,} {r['seconds']:>8.1f} {n / r['seconds']:>15,.0f} {added:>23.1f}")
    print("\n'memori baca' = puncak RSS selama membaca dikurangi RSS setelah impor (proses anak tersendiri) / "
          "peak RSS while reading minus RSS after imports (a child process of its own)")


if __name__ == "__main__":
    main()
