"""Load on `layanan-rules serve` over loopback: throughput and latency under concurrency, bursts of
new connections, memory over many requests, and /healthz while every worker is stuck.

    .venv/bin/python bench/bench_load.py                      # everything, about 6 minutes on 2 cores
    .venv/bin/python bench/bench_load.py --quick              # a smoke run, about a minute
    .venv/bin/python bench/bench_load.py --workers 2 --only throughput --seconds 5

Starts ``layanan-rules serve --port 0 --quiet --workers N`` as its own process for each worker
count, and drives it from this process with a small asyncio HTTP/1.1 client (raw sockets,
keep-alive, one connection per simulated client; parsing costs the client about 0.1 ms a
request, on the same CPUs as the server). Every request is bounded: each measurement stops at
``--requests`` answers or ``--seconds`` seconds, whichever comes first, and every socket read
has a 30 s timeout. Traffic goes to 127.0.0.1 only.

Prints, per worker count:

- **throughput**: requests/s and p50/p95/p99 latency (ms) for a one-record evaluate (one service
  standard and its unit), the whole example (``examples/dinas-contoh.json``) and ``/v1/expr``, at
  1, 8 and 32 concurrent clients; every answer must be 200, or the run says how many were not;
- **burst**: rounds of 50 simultaneous new connections, each posting the one-record evaluate:
  connections reset, refused or timed out (the target is 0);
- **memory**: resident memory of the server's processes (front + workers) every 2,000 of 20,000
  one-record evaluates at 8 clients;
- **probe**: /healthz latency, polled every 10 ms, while as many pathological ``/v1/expr``
  requests as there are workers keep every worker busy until the time budget stops them;
- **cpu**: server CPU per one-record evaluate: user + system seconds of the front and every
  worker (``/proc/PID/stat``) over 1,000 sequential keep-alive requests, divided by 1,000. It is
  what a request costs the machine, which other processes disturb much less than latency: with
  C closed-loop clients on K cores, latency is at least about C x CPU / K.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dinas-contoh.json"
HOST = "127.0.0.1"
IO_TIMEOUT = 30.0


# --- the server under test -------------------------------------------------------------------------------


class Server:
    """``layanan-rules serve`` in its own process, on a free port."""

    def __init__(self, workers: int, *extra: str) -> None:
        exe = Path(sys.executable).with_name("layanan-rules")
        cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "layanan_rules.cli"]
        # the expression budget (--limit expr_steps) stops the probe's pathological request inside
        # its worker within 0.2 s, before the probe starts: left to the time budget, it holds every
        # worker for the whole probe, which is what the probe is for (other requests never reach it)
        env = {**os.environ, "LAYANAN_RULES_LIMIT_EXPR_STEPS": str(10**15), "LAYANAN_RULES_LIMIT_EXPR_SECONDS": "3600"}
        self.proc = subprocess.Popen([*cmd, "serve", "--port", "0", "--quiet", "--workers", str(workers), *extra],
                                     stderr=subprocess.PIPE, text=True, env=env)
        assert self.proc.stderr is not None
        seen = []
        for line in self.proc.stderr:
            seen.append(line)
            m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        else:
            raise SystemExit("the server did not start:\n" + "".join(seen))

    def pids(self) -> list[int]:
        """The server process and every process below it (zygote, workers)."""
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
        out, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            todo.extend(children.get(pid, []))
        return out

    def rss(self) -> tuple[float, float]:
        """Resident memory (MiB) of the front process, and of all the others together."""
        front, rest = 0.0, 0.0
        for pid in self.pids():
            try:
                kb = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                          if line.startswith("VmRSS:"))
            except (OSError, StopIteration):
                continue
            if pid == self.proc.pid:
                front += kb / 1024
            else:
                rest += kb / 1024
        return front, rest

    def cpu(self) -> tuple[float, float]:
        """CPU seconds (user + system) used so far by the front process, and by the processes below it."""
        tick = os.sysconf("SC_CLK_TCK")
        front, rest = 0, 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used = int(fields[11]) + int(fields[12])  # utime, stime (the process itself, not its children)
            if pid == self.proc.pid:
                front += used
            else:
                rest += used
        return front / tick, rest / tick

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# --- a minimal HTTP/1.1 client ------------------------------------------------------------------------------


def request_bytes(method: str, path: str, body: bytes = b"", *, close: bool = False) -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
    head += f"Content-Length: {len(body)}\r\n" + ("Connection: close\r\n" if close else "") + "\r\n"
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), IO_TIMEOUT)
    status = int(head[9:12])
    m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    body = await asyncio.wait_for(reader.readexactly(int(m.group(1))), IO_TIMEOUT) if m else b""
    return status, body


async def client(port: int, payload: bytes, deadline: float, quota: list[int], latencies: list[float],
                 failures: list[str], warmup: int) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        for i in range(warmup + 10**9):
            if i >= warmup:
                if quota[0] <= 0 or time.perf_counter() > deadline:
                    return
                quota[0] -= 1
            t = time.perf_counter()
            writer.write(payload)
            status, _body = await read_response(reader)
            if i >= warmup:
                latencies.append((time.perf_counter() - t) * 1000)
                if status != 200:
                    failures.append(str(status))
    finally:
        writer.close()


async def throughput(port: int, payload: bytes, clients: int, requests: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    failures: list[str] = []
    quota = [requests]
    start = time.perf_counter()
    await asyncio.gather(*(client(port, payload, start + seconds + 5, quota, latencies, failures, 2)
                           for _ in range(clients)))
    # the clock of the timed part: from the first timed request to the last answer
    wall = time.perf_counter() - start
    qs = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [latencies[0]] * 99
    return {"n": len(latencies), "rps": len(latencies) / wall, "p50": statistics.median(latencies), "p95": qs[94],
            "p99": qs[98], "failed": len(failures)}


async def burst(port: int, payload: bytes, size: int, rounds: int) -> dict[str, int]:
    """``rounds`` times: ``size`` new connections opened at once, each posting ``payload``."""
    outcome: dict[str, int] = {}

    async def one() -> str:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), IO_TIMEOUT)
        except ConnectionRefusedError:
            return "refused"
        except (TimeoutError, OSError):
            return "connect failed"
        try:
            writer.write(payload)
            status, _ = await read_response(reader)
            return "ok" if status == 200 else f"status {status}"
        except ConnectionResetError:
            return "reset"
        except (TimeoutError, asyncio.IncompleteReadError):
            return "timeout or cut"
        finally:
            writer.close()

    for _ in range(rounds):
        for result in await asyncio.gather(*(one() for _ in range(size))):
            outcome[result] = outcome.get(result, 0) + 1
    return outcome


async def probe(port: int, stuck: bytes, count: int, seconds: float) -> dict[str, float]:
    """/healthz latency every 10 ms while ``count`` pathological requests occupy the workers."""

    async def pathological() -> int:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(stuck)
            status, _ = await read_response(reader)
            return status
        finally:
            writer.close()

    tasks = [asyncio.create_task(pathological()) for _ in range(count)]
    await asyncio.sleep(0.3)  # let them reach the workers
    reader, writer = await asyncio.open_connection(HOST, port)
    samples: list[float] = []
    end = time.perf_counter() + seconds
    try:
        while time.perf_counter() < end and not all(t.done() for t in tasks):
            t = time.perf_counter()
            writer.write(request_bytes("GET", "/healthz"))
            status, _ = await read_response(reader)
            assert status == 200
            samples.append((time.perf_counter() - t) * 1000)
            await asyncio.sleep(0.01)
    finally:
        writer.close()
    statuses = await asyncio.gather(*tasks)
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return {"n": len(samples), "p50": statistics.median(samples), "p99": qs[98], "max": max(samples),
            "stuck_status": statuses[0]}


# --- the run ------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, action="append", help="worker counts (default: 1 and 2)")
    parser.add_argument("--clients", type=int, action="append", help="concurrent clients (default: 1, 8, 32)")
    parser.add_argument("--seconds", type=float, default=8.0, help="at most this long per throughput cell")
    parser.add_argument("--requests", type=int, default=4000, help="at most this many answers per cell")
    parser.add_argument("--only", choices=["throughput", "burst", "memory", "probe", "cpu"], action="append")
    parser.add_argument("--cpu-requests", type=int, default=1000, help="sequential requests for --only cpu")
    parser.add_argument("--quick", action="store_true", help="2 s cells, 5 burst rounds, 4,000 requests for memory")
    args = parser.parse_args()
    workers = args.workers or [1, 2]
    clients = args.clients or [1, 8, 32]
    only = set(args.only or ["throughput", "burst", "memory", "probe", "cpu"])
    seconds, rounds, memory_n = (2.0, 5, 4000) if args.quick else (args.seconds, 20, 20000)

    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    layanan = example["layanan"][0]
    one = {"unit": [{"id": layanan["unit_id"], "nama": "Dinas"}], "layanan": [layanan]}
    cases = {
        "evaluate, one record": request_bytes("POST", "/v1/evaluate",
                                              json.dumps({"as_of": "2025-01-31", "data": one}).encode()),
        "evaluate, whole example": request_bytes("POST", "/v1/evaluate",
                                                 json.dumps({"as_of": "2025-01-31", "data": example}).encode()),
        "/v1/expr (hari_kerja)": request_bytes("POST", "/v1/expr", json.dumps(
            {"expression": "hari_kerja(diterima, ditanggapi) <= 14",
             "bindings": {"diterima": "2024-01-09", "ditanggapi": "2024-01-30"}}).encode()),
    }
    burst_payload = request_bytes("POST", "/v1/evaluate", json.dumps({"as_of": "2025-01-31", "data": one}).encode(),
                                  close=True)
    stuck = request_bytes("POST", "/v1/expr", json.dumps(
        {"expression": "xs.all(a, xs.all(b, xs.all(c, true)))", "bindings": {"xs": list(range(1000))}}).encode())

    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"layanan-rules serve on 127.0.0.1, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPU(s){load}; client: asyncio in one process on the same CPUs; times in ms", flush=True)
    for n_workers in workers:
        server = Server(n_workers, "--timeout", "3")
        try:
            print(f"\n--workers {n_workers}", flush=True)
            if "throughput" in only:
                print(f"  {'case':26} {'clients':>7} {'n':>6} {'req/s':>8} {'p50':>8} {'p95':>8} {'p99':>8}  failed")
                for name, payload in cases.items():
                    for c in clients:
                        requests = args.requests if "whole" not in name else args.requests // 4
                        r = asyncio.run(throughput(server.port, payload, c, requests, seconds))
                        print(f"  {name:26} {c:7d} {r['n']:6d} {r['rps']:8.0f} {r['p50']:8.2f} {r['p95']:8.2f} "
                              f"{r['p99']:8.2f}  {r['failed']}", flush=True)
            if "burst" in only:
                outcome = asyncio.run(burst(server.port, burst_payload, 50, rounds))
                bad = sum(v for k, v in outcome.items() if k != "ok")
                print(f"  burst: {rounds} rounds of 50 simultaneous new connections: {outcome.get('ok', 0)} answered "
                      f"200, {bad} not {outcome}", flush=True)
            if "memory" in only:
                payload = cases["evaluate, one record"]
                series = []
                step = memory_n // 10
                for _ in range(10):
                    r = asyncio.run(throughput(server.port, payload, 8, step, 600))
                    assert r["failed"] == 0
                    series.append(server.rss())
                text = "  ".join(f"{f:.0f}+{w:.0f}" for f, w in series)
                growth = sum(series[-1]) - sum(series[1])
                print(f"  memory (MiB, front+workers) every {step:,} of {memory_n:,} one-record evaluates: {text}; "
                      f"from {2 * step:,} to {memory_n:,}: {growth:+.1f} MiB", flush=True)
            if "probe" in only:
                r = asyncio.run(probe(server.port, stuck, n_workers, 10))
                print(f"  probe: /healthz while {n_workers} pathological /v1/expr hold every worker (--timeout 3): "
                      f"n {r['n']}, p50 {r['p50']:.2f}, p99 {r['p99']:.2f}, max {r['max']:.2f} ms; the "
                      f"pathological requests got {r['stuck_status']}", flush=True)
            if "cpu" in only:
                payload = cases["evaluate, one record"]
                asyncio.run(throughput(server.port, payload, 1, 50, 600))  # warm every worker
                (front0, rest0), wall = server.cpu(), time.perf_counter()
                r = asyncio.run(throughput(server.port, payload, 1, args.cpu_requests, 600))
                (front1, rest1), wall = server.cpu(), time.perf_counter() - wall
                n = r["n"] / 1000
                front, rest = (front1 - front0) / n, (rest1 - rest0) / n
                print(f"  cpu: {r['n']} sequential keep-alive one-record evaluates: server CPU {front + rest:.2f} ms "
                      f"per request (front {front:.2f} + workers {rest:.2f}; wall {wall / n:.2f} ms, "
                      f"p50 {r['p50']:.2f} ms)", flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
