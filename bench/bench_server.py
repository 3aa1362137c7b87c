"""Latency of `layanan-rules serve` on loopback: one service standard, the whole example, one expression.

    .venv/bin/python bench/bench_server.py [--n 1000] [--port 0]

Starts ``layanan-rules serve --port 0 --quiet`` as a separate process (so the client does not
share the server's interpreter), then times sequential requests with ``http.client`` from this
process and prints p50/p95/p99 in milliseconds, next to the same work done in-process through
the Python API (``evaluate(...).to_dict()`` plus ``json.dumps``): the difference is what HTTP,
JSON parsing and the hop to a worker process cost. The variants run round-robin, request by
request, so that load from other processes falls on all of them alike. Throughput under
concurrency, bursts, memory and probes: ``bench/bench_load.py``.

"keep-alive" reuses one connection (what a portal's HTTP client pool does); "new conn" opens a
TCP connection per request (curl in a shell loop); "of which server" is the server's own time
for the keep-alive requests (its ``Server-Timing`` header: reading the body, evaluating, JSON),
the rest is the network stack, the client and waiting for a CPU.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dinas-contoh.json"


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), qs[94], qs[98]


def timed(fns: list[Callable[[], object]], n: int, warmup: int) -> list[list[float]]:
    """Run the variants round-robin, so that load from other processes falls on all of them alike."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(n):
        for fn, samples in zip(fns, out, strict=True):
            t = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t) * 1000)
    return out


def start_server(port: int) -> tuple[subprocess.Popen[str], int]:
    exe = Path(sys.executable).with_name("layanan-rules")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "layanan_rules.cli"]
    proc = subprocess.Popen([*cmd, "serve", "--port", str(port), "--quiet"], stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    seen = ""
    for line in proc.stderr:  # JSON log lines; the start line names the address
        seen += line
        m = re.search(r"serving on http://[^:]+:(\d+)", line)
        if m:
            return proc, int(m.group(1))
    proc.kill()
    raise SystemExit(f"server did not start: {seen}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="timed requests per case (default 1000)")
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()

    from layanan_rules import evaluate, load_ruleset

    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    layanan = example["layanan"][0]  # one service standard (Pasal 21), as a portal's form would send it
    one = {"unit": [{"id": layanan["unit_id"], "nama": "Dinas"}], "layanan": [layanan]}
    cases = {
        "one service standard": {"ruleset": "uu-25-2009", "as_of": "2025-01-31", "data": one},
        "whole example (dinas-contoh.json)": {"ruleset": "uu-25-2009", "as_of": "2025-01-31", "data": example},
    }
    expr_body = {"expression": "hari_kerja(diterima, ditanggapi) <= 14",
                 "bindings": {"diterima": "2024-01-09", "ditanggapi": "2024-01-30"}}

    ruleset = load_ruleset()
    proc, port = start_server(args.port)
    rows: list[tuple[str, str, list[float], int]] = []
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        server_ms: list[float] = []

        def post_keepalive(path: str, payload: bytes) -> int:
            conn.request("POST", path, body=payload, headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            assert resp.status == 200, data[:300]
            server_ms.append(float(resp.getheader("Server-Timing", "app;dur=nan").partition("dur=")[2]))
            return len(data)

        def post_new(path: str, payload: bytes) -> int:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                c.request("POST", path, body=payload, headers={"Content-Type": "application/json"})
                resp = c.getresponse()
                data = resp.read()
                assert resp.status == 200, data[:300]
                return len(data)
            finally:
                c.close()

        for name, body in cases.items():
            payload = json.dumps(body).encode()
            n = args.n if "one" in name else max(50, args.n // 10)
            size = post_keepalive("/v1/evaluate", payload)
            server_ms.clear()
            local, keep, new = timed([
                lambda b=body: json.dumps(evaluate(ruleset, b["data"], as_of=dt.date(2025, 1, 31)).to_dict(),
                                          ensure_ascii=False),
                lambda p=payload: post_keepalive("/v1/evaluate", p),
                lambda p=payload: post_new("/v1/evaluate", p),
            ], n, args.warmup)
            rows += [(name, "in-process", local, size), (name, "HTTP keep-alive", keep, size),
                     (name, "  of which server", server_ms[args.warmup:], size), (name, "HTTP new conn", new, size)]
        payload = json.dumps(expr_body).encode()
        size = post_keepalive("/v1/expr", payload)
        (samples,) = timed([lambda: post_keepalive("/v1/expr", payload)], args.n, args.warmup)
        rows.append(("POST /v1/expr (hari_kerja)", "HTTP keep-alive", samples, size))
        conn.close()
    finally:
        proc.terminate()
        proc.wait(10)

    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"layanan-rules serve on 127.0.0.1, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPU(s){load}; sequential requests, times in ms")
    print(f"{'case':36} {'how':16} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8} {'response':>10}")
    for name, how, samples, size in rows:
        p50, p95, p99 = percentiles(samples)
        print(f"{name:36} {how:16} {len(samples):5d} {p50:8.2f} {p95:8.2f} {p99:8.2f} {size / 1024:8.1f}KB")


if __name__ == "__main__":
    main()
