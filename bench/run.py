"""The engine benchmark: the same checks, the same data, every engine.

    .venv/bin/python bench/run.py            # full run: 10k and 100k services, 1M complaints
    .venv/bin/python bench/run.py --quick    # smoke run, about 30 seconds
    .venv/bin/python bench/run.py --services 10000 --complaints 200000 --engines lr,evaluate,cel

It first checks that every engine gives the same number of pass / fail / not_applicable /
error results per check on the same records (a mismatch table is printed and the exit status
is 1 if any engine disagrees), then prints per engine: rule x record evaluations per second,
nanoseconds per evaluation, the ratio to the hand-written floor on the same checks and records,
and the latency of all checks on one record. See bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import os
import platform
import pstats
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
try:  # a source checkout without `pip install -e .`
    import layanan_rules  # noqa: F401
except ImportError:
    sys.path.insert(0, str(BENCH.parent / "src"))

import engines as E
import rules as R
import synth

AS_OF = dt.date(2025, 1, 1)
ns = time.perf_counter_ns


# ------------------------------------------------------------------------------ helpers


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    try:
        load = "; load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        load = ""
    return (f"machine: {model}, {os.cpu_count()} cores ({usable} usable), {platform.system()} {platform.machine()}{load}\n"
            f"python:  {platform.python_implementation()} {sys.version.split()[0]}")


def nice(k: int) -> int:
    """Round down to two significant digits (a sample size that reads well)."""
    if k < 100:
        return k
    p = 10 ** (len(str(k)) - 2)
    return k // p * p


def fmt_int(n: float) -> str:
    return f"{n:,.0f}"


def count_states(states: Sequence[list[str]], idx: Sequence[int] | None, n_checks: int) -> list[Counter[str]]:
    out = [Counter() for _ in range(n_checks)]
    for row in states:
        if idx is None:
            for c, s in zip(out, row):
                c[s] += 1
        else:
            for c, i in zip(out, idx):
                c[row[i]] += 1
    return out


def chunked_passes(batch: Callable[[Sequence[Any]], Any], sub: Sequence[Any], timed: int,
                   cpu: list[float] | None = None) -> tuple[list[float], list[Any]]:
    """Split ``sub`` into ``timed + 1`` disjoint chunks; the first is the warm-up, each other one
    is timed once. Returns (ns per record of each timed chunk, results of every chunk).

    Disjoint chunks mean every record is evaluated exactly once, as in real use: a cache inside
    an engine helps only as much as the data repeats itself, never because the benchmark does."""
    bounds = chunk_bounds(len(sub), timed)
    times: list[float] = []
    results: list[Any] = []
    for i, (lo, hi) in enumerate(bounds):
        chunk = sub[lo:hi]
        if not chunk:
            continue
        gc.collect()
        c0 = time.process_time_ns()
        t0 = ns()
        got = batch(chunk)
        elapsed = ns() - t0
        used = time.process_time_ns() - c0
        results.append(got)
        if i > 0:
            times.append(elapsed / len(chunk))
            if cpu is not None:
                cpu.append(used / len(chunk))
    return times, results


def chunk_bounds(n: int, timed: int) -> list[tuple[int, int]]:
    """The ``timed + 1`` disjoint chunks :func:`chunked_passes` splits ``n`` records into."""
    parts = timed + 1
    size = max(1, n // parts)
    return [(i * size, (i + 1) * size if i < parts - 1 else n) for i in range(parts)]


def latency_us(ev: Callable[[Any], Any], recs: Sequence[Any], budget_s: float, max_samples: int = 3000) -> float:
    """Median wall time of ``ev(one record)`` in microseconds, over distinct records (so that no
    cache inside an engine sees the same values again and again)."""
    pool = recs[: min(len(recs), max_samples)]
    samples: list[int] = []
    stop = ns() + int(budget_s * 1e9)
    i = 0
    while len(samples) < max_samples and (len(samples) < 25 or ns() < stop):
        rec = pool[i % len(pool)]
        i += 1
        t0 = ns()
        ev(rec)
        samples.append(ns() - t0)
    return statistics.median(samples) / 1000


class Row:
    def __init__(self, engine: str, n_checks: int, k: int, n: int, ns_eval: float, floor_ns: float,
                 lat: float | None, note: str = "", cpu_ns: float | None = None, floor_cpu: float | None = None) -> None:
        self.engine, self.n_checks, self.k, self.n = engine, n_checks, k, n
        self.cpu_ns, self.floor_cpu = cpu_ns, floor_cpu  # process CPU time per evaluation
        self.ns_eval, self.floor_ns, self.lat, self.note = ns_eval, floor_ns, lat, note

    @property
    def ratio(self) -> float:
        return self.ns_eval / self.floor_ns

    @property
    def cpu(self) -> float | None:
        """Share of the wall time this process was on a CPU (below ~95 %: the machine was busy)."""
        return None if self.cpu_ns is None else self.cpu_ns / self.ns_eval

    @property
    def cpu_ratio(self) -> float | None:
        return None if self.cpu_ns is None or not self.floor_cpu else self.cpu_ns / self.floor_cpu


# ------------------------------------------------------------------------------ one data set


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.mismatches: list[tuple[str, str, str, dict[str, int], dict[str, int]]] = []
        self.summary: list[tuple[str, list[Row]]] = []
        self.lr = E.LayananRules()
        want = set(args.engines.split(",")) if args.engines else None
        all_engines: list[E.Engine] = [E.Floor(), self.lr] + [cls() for cls in E.PEERS]
        self.engines = [e for e in all_engines if want is None or {e.name, e.alias} & want or e.name == "hand-written"]
        self.evaluate_api = want is None or bool({"layanan-rules evaluate()", "evaluate"} & want)
        self.unavailable: dict[str, str] = {}

    def say(self, text: str = "") -> None:
        print(text, flush=True)

    def run_dataset(self, label: str, entity: str, records: list[dict[str, Any]],
                    parents: dict[str, dict[str, dict[str, Any]]] | None = None) -> None:
        """``parents``: entity -> id -> record of the records ``records`` link to (unit, layanan,
        penyelenggara), handed to ``evaluate()`` with each chunk so the data set is whole."""
        a = self.args
        self.parents = parents or {}
        checks = R.by_entity(entity)
        n = len(records)
        self.say(f"\n== {label}: {fmt_int(n)} {entity} records, {len(checks)} checks ==")
        floor = E.Floor()
        f_ev = floor.build(checks, entity, AS_OF)
        # reference states per record (the floor), for the agreement check on any prefix
        t0 = ns()
        floor_states = [f_ev(r) for r in records]
        self.say(f"   (reference pass over all records by the hand-written floor: {(ns() - t0) / 1e9:.1f} s)")
        floor_cache: dict[tuple[str, ...], tuple[float, float]] = {}
        self._header()

        def floor_ns(subset: list[R.Check]) -> tuple[float, float]:
            """(wall ns, cpu ns) per evaluation of the floor on these checks."""
            key = tuple(c.id for c in subset)
            if key not in floor_cache:
                ev = floor.build(subset, entity, AS_OF)
                kk, timed = self._sample(ev, records, a.subject_budget)
                cpu: list[float] = []
                times, _ = chunked_passes(lambda ch: [ev(r) for r in ch], records[:kk], timed, cpu)
                floor_cache[key] = (statistics.median(times) / len(subset), statistics.median(cpu) / len(subset))
            return floor_cache[key]

        rows: list[Row] = []
        for eng in self.engines:
            supported = [c for c in checks if eng.supports(c)]
            skipped = [c.id for c in checks if not eng.supports(c)]
            try:
                ev = eng.build(supported, entity, AS_OF)
            except SystemExit:
                raise
            except Exception as exc:  # noqa: BLE001 - a missing library, or the project API not there yet
                msg = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
                self.unavailable[eng.name] = msg
                self.say(f"   {eng.name}: NOT RUN ({msg})")
                continue
            subject = eng.name in ("hand-written", "layanan-rules")
            k, timed = self._sample(ev, records, a.subject_budget if subject else a.budget)
            lat = latency_us(ev, self._latency_pool(records, k), a.latency_budget)
            sub = records[:k]
            cpu: list[float] = []
            times, results = chunked_passes(lambda ch, ev=ev: [ev(r) for r in ch], sub, timed, cpu)
            per_eval = statistics.median(times) / len(supported)
            cpu_eval = statistics.median(cpu) / len(supported)
            states = [row for chunk in results for row in chunk]
            idx = [checks.index(c) for c in supported]
            mine = count_states(states, None, len(supported))
            ref = count_states(floor_states[:k], idx, len(checks))
            for c, m, r in zip(supported, mine, ref):
                if m != r:
                    self.mismatches.append((label, eng.name, c.id, dict(m), dict(r)))
            del states, results
            if eng.name == "hand-written":
                floor_cache[tuple(c.id for c in supported)] = (per_eval, cpu_eval)
            fl, fl_cpu = floor_ns(supported)
            note = ""
            if k < n:
                note = f"sample {fmt_int(k)} of {fmt_int(n)}"
            if skipped:
                note += ("; " if note else "") + f"skips {len(skipped)}: {', '.join(skipped)}"
            rows.append(Row(eng.name, len(supported), k, n, per_eval, fl, lat, note, cpu_eval, fl_cpu))
            self._print_row(rows[-1])
            if eng.name == "layanan-rules":
                self._conversion_share(entity, sub, timed, len(supported), per_eval)
            if a.profile and eng.name == "layanan-rules":
                self._profile(ev, records[-min(n, 20000):])
            if a.per_check and eng.name == "layanan-rules":
                self._per_check(entity, supported, records[: min(n, 20000)])
        if self.evaluate_api and any(e.name == "layanan-rules" for e in self.engines):
            row = self._evaluate_api(label, entity, checks, records, floor_states, floor_ns)
            if row is not None:
                rows.append(row)
                self._print_row(row)
                self._reading_findings(entity, checks, records[: row.k], row.ns_eval)
        self.summary.append((label, rows))

    def _conversion_share(self, entity: str, sub: list[dict[str, Any]], timed: int, n_checks: int,
                          per_eval: float) -> None:
        """Time the project's converter alone on the same records: how much of the row is conversion."""
        try:
            from layanan_rules.model.convert import structure_record
        except ImportError:
            return
        times, _ = chunked_passes(lambda ch: [structure_record(entity, r) for r in ch], sub, timed)
        conv = statistics.median(times) / n_checks
        self.say(f"     {'of which structure_record':24s} {'':6s} {'':13s} {conv:9.0f} {'':8s} {'':12s} {'':5s}  "
                 f"{conv / per_eval * 100:.0f} % of layanan-rules (raw dict -> model, per record / {n_checks} checks)")

    def _reading_findings(self, entity: str, checks: list[R.Check], sub: list[dict[str, Any]], per_eval: float) -> None:
        """What reading every Finding of the report adds (``for f in report.findings``): the row
        above builds the findings' table (the engine's blocks), and Finding objects are built as
        they are read, so a caller who reads them all pays this on top."""
        api = E.LayananRulesEvaluate(self.lr)
        chunk = sub[: max(1, len(sub) // 4)]
        report = api.run_batch(checks, entity, AS_OF, chunk, self._parents_of(chunk))
        times, _ = chunked_passes(lambda _ch: sum(1 for _f in report.findings), [None] * 4, 3)
        read = statistics.median(times) / len(chunk) / len(checks)  # each timed pass reads the whole report
        self.say(f"     {'+ reading every Finding':24s} {'':6s} {'':13s} {read:9.0f} {'':8s} {'':12s} {'':5s}  "
                 f"{read / per_eval * 100:.0f} % more than evaluate() (for f in report.findings, built as read)")

    def _per_check(self, entity: str, checks: list[R.Check], recs: list[dict[str, Any]]) -> None:
        """Each check alone: the floor function on raw dicts vs the compiled layanan-rules
        functions on already structured model objects (conversion excluded)."""
        from layanan_rules.model.convert import structure_record

        rs = self.lr.ruleset()
        by_id = {r.id: r for r in rs.rules}
        objs = [structure_record(entity, r)[0] for r in recs]
        params = rs.params

        def best(fn: Callable[[], Any]) -> float:
            out = []
            for _ in range(5):
                t0 = ns()
                fn()
                out.append(ns() - t0)
            return statistics.median(out)

        self.say(f"\n   -- each check alone, {fmt_int(len(recs))} records: floor on raw dicts vs layanan-rules "
                 f"when+require on model objects (conversion excluded) --")
        self.say(f"   {'check':14s} {'floor ns':>9s} {'rule ns':>9s} {'ratio':>6s}  require")
        for c in checks:
            f = c.floor
            r = by_id[c.id]
            w = r.when.fn if r.when is not None else None
            q = r.require.fn

            def run_floor(f: Any = f) -> None:
                for rec in recs:
                    f(rec, AS_OF)

            def run_rule(w: Any = w, q: Any = q) -> None:
                for o in objs:
                    try:
                        if w is None or w(o, params, AS_OF) is True:
                            q(o, params, AS_OF)
                    except Exception:  # noqa: BLE001, S110 - the error state costs what it costs
                        pass

            tf, tr = best(run_floor) / len(recs), best(run_rule) / len(recs)
            self.say(f"   {c.id:14s} {tf:9.0f} {tr:9.0f} {tr / tf:6.1f}  {c.require[:70]}")
        self.say()
        self._header()

    def _sample(self, ev: Callable[[Any], Any], records: list[dict[str, Any]], budget: float) -> tuple[int, int]:
        """(records to use, timed chunks) so that one timed chunk takes about ``budget`` seconds."""
        n = len(records)
        for r in records[: min(n, 50)]:  # warm-up
            ev(r)
        # time records not seen yet, so no cache inside the engine flatters the estimate
        probe = records[min(n, 50): min(n, 250)] or records[: min(n, 50)]
        t0 = ns()
        for r in probe:
            ev(r)
        per = max((ns() - t0) / len(probe), 1.0)
        return self._size(n, per, budget)

    def _size(self, n: int, per_record_ns: float, budget: float) -> tuple[int, int]:
        a = self.args
        whole = n * per_record_ns / 1e9
        # short passes are noisy on a shared machine: take the median of more, smaller chunks
        timed = a.repeats if whole > 3 * budget else max(a.repeats, 9)
        k = int((timed + 1) * budget * 1e9 / per_record_ns)
        if k >= n:
            return n, timed
        return min(n, max(a.min_sample, nice(k))), timed

    @staticmethod
    def _latency_pool(records: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
        """Records for the 1-record latency: ones the timed passes will not have seen if possible."""
        n = len(records)
        m = min(3000, max(n - 250, 1))
        return records[n - m:]

    _LINKS = (("unit_id", "unit"), ("layanan_id", "layanan"), ("penyelenggara_id", "penyelenggara"))

    def _parents_of(self, recs: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        """The parent records ``recs`` link to, transitively, so ``evaluate()`` sees no orphans."""
        out: dict[str, dict[str, dict[str, Any]]] = {}
        todo = list(recs)
        while todo:
            rec = todo.pop()
            for key, ent in self._LINKS:
                pid = rec.get(key)
                table = self.parents.get(ent)
                if pid is None or table is None or pid in out.setdefault(ent, {}):
                    continue
                parent = table.get(pid)
                if parent is not None:
                    out[ent][pid] = parent
                    todo.append(parent)
        return {ent: list(d.values()) for ent, d in out.items() if d}

    def _evaluate_api(self, label: str, entity: str, checks: list[R.Check], records: list[dict[str, Any]],
                      floor_states: list[list[str]], floor_ns: Callable[[list[R.Check]], tuple[float, float]]) -> Row | None:
        a = self.args
        api = E.LayananRulesEvaluate(self.lr)
        n = len(records)

        def batch(recs: Sequence[dict[str, Any]]) -> Any:
            return api.counts(api.run_batch(checks, entity, AS_OF, recs, self._parents_of(recs)))

        try:
            batch(records[: min(n, 50)])
            probe = records[min(n, 50): min(n, 550)] or records[: min(n, 50)]
            t0 = ns()
            batch(probe)
            per = (ns() - t0) / len(probe)
        except Exception as exc:  # noqa: BLE001
            msg = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            self.unavailable[api.name] = msg
            self.say(f"   {api.name}: NOT RUN ({msg})")
            return None
        k, timed = self._size(n, per, a.subject_budget)
        # the parent records each call links to are the caller's data set: gathered before timing
        pool = self._latency_pool(records, k)
        one = {id(rec): self._parents_of((rec,)) for rec in pool}
        lat = latency_us(lambda rec: api.run_batch(checks, entity, AS_OF, [rec], one[id(rec)]), pool, a.latency_budget)
        sub = records[:k]
        given = {(id(sub[lo]), hi - lo): self._parents_of(sub[lo:hi]) for lo, hi in chunk_bounds(len(sub), timed) if hi > lo}

        def timed_batch(recs: Sequence[dict[str, Any]]) -> Any:
            return api.counts(api.run_batch(checks, entity, AS_OF, recs, given[id(recs[0]), len(recs)]))

        # counting the findings is part of what is timed here (per rule and state), a small cost
        cpu: list[float] = []
        times, results = chunked_passes(timed_batch, sub, timed, cpu)
        got: dict[str, Counter[str]] = {}
        for chunk_counts in results:
            for rid, d in chunk_counts.items():
                got.setdefault(rid, Counter()).update(d)
        ref = count_states(floor_states[:k], None, len(checks))
        for c, r in zip(checks, ref):
            m = got.get(c.id, Counter())
            if m != r:
                self.mismatches.append((label, api.name, c.id, dict(m), dict(r)))
        per_eval = statistics.median(times) / len(checks)
        note = f"sample {fmt_int(k)} of {fmt_int(n)}" if k < n else ""
        note += ("; " if note else "") + "Dataset + findings table (blocks) built"
        fl, fl_cpu = floor_ns(checks)
        return Row(api.name, len(checks), k, n, per_eval, fl, lat, note, statistics.median(cpu) / len(checks), fl_cpu)

    def _print_row(self, row: Row) -> None:
        lat = f"{row.lat:12.1f}" if row.lat is not None else f"{'-':>12s}"
        cpu = f"{row.cpu * 100:5.0f}" if row.cpu is not None else f"{'-':>5s}"
        self.say(f"   {row.engine:26s} {row.n_checks:6d} {fmt_int(1e9 / row.ns_eval):>13s} {row.ns_eval:9.0f} "
                 f"{row.ratio:8.2f} {lat} {cpu}  {row.note}")

    def _profile(self, ev: Callable[[Any], Any], recs: Sequence[Any]) -> None:
        prof = cProfile.Profile()
        prof.enable()
        for r in recs:
            ev(r)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(22)
        self.say(f"\n   -- cProfile of layanan-rules over {fmt_int(len(recs))} records (sorted by own time) --")
        for line in buf.getvalue().splitlines():
            if line.strip() and not line.startswith(("   Ordered", "   List reduced")):
                self.say("   " + line.replace(str(BENCH.parent) + "/", "").replace(sys.prefix + "/", ""))
        self.say()
        self._header()

    def _header(self) -> None:
        self.say(f"   {'engine':26s} {'checks':>6s} {'evals/s':>13s} {'ns/eval':>9s} {'x floor':>8s} "
                 f"{'1-record µs':>12s} {'cpu%':>5s}  notes")


# ------------------------------------------------------------------------------ main


def _positive(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n


#: how people write the moment a complaint was received; the ISO timestamp is the reference
DATE_SHAPES = {
    "ISO timestamp": "2024-08-26T10:15:00+07:00", "ISO date": "2024-08-26", "Y-m-d H:M": "2024-08-26 10:15",
    "d/m/Y": "26/08/2024", "d/m/Y H:M": "26/08/2024 10:15", "d-m-Y": "26-08-2024", "d.m.Y H.M": "26.08.2024 10.15",
    "d Bulan Y": "26 Agustus 2024", "Hari, d Bulan Y": "Senin, 26 Agustus 2024",
}


def date_shapes(b: Bench, rounds: int = 7, n: int = 3000) -> None:
    """Cost of building a complaint whose ``diterima_pada`` is written in each shape (distinct
    values per record, so no cache helps), interleaved rounds, the best round per shape."""
    from layanan_rules.model.convert import structure_record

    b.say("\n== date shapes: building one pengaduan (diterima_pada written as ...) ==")
    recs = {}
    for name, text in DATE_SHAPES.items():  # n distinct values of the shape: minutes and days vary
        out = []
        for i in range(n):
            day, minute = 1 + i % 28, i % 60
            v = (text.replace("26", f"{day:02d}", 1).replace(":15", f":{minute:02d}").replace(".15", f".{minute:02d}")
                 if not text.startswith("2024") else text.replace("-26", f"-{day:02d}").replace(":15", f":{minute:02d}"))
            out.append({"id": f"A{i}", "unit_id": "U1", "diterima_pada": v})
        recs[name] = out
    best = dict.fromkeys(DATE_SHAPES, float("inf"))
    for _ in range(rounds):
        for name, rs in recs.items():
            t0 = time.perf_counter()
            for r in rs:
                structure_record("pengaduan", r)
            best[name] = min(best[name], (time.perf_counter() - t0) / len(rs) * 1e6)
    ref = best["ISO timestamp"]
    b.say(f"   {'shape':18s} {'example':28s} {'us/record':>10s} {'x ISO':>6s}")
    for name, text in DATE_SHAPES.items():
        b.say(f"   {name:18s} {text:28s} {best[name]:10.2f} {best[name] / ref:6.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--services", type=_positive, action="append", help="a data set of N layanan (repeatable)")
    ap.add_argument("--complaints", type=_positive, action="append", help="a data set of N pengaduan (repeatable)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="smoke run: small data, short budgets (~30 s)")
    ap.add_argument("--repeats", type=int, default=3,
                    help="timed chunks per engine (9 when the whole data set is quick); the median is reported")
    ap.add_argument("--budget", type=float, default=2.0,
                    help="seconds one timed chunk of a peer may take; slower peers run on a sample (default 2)")
    ap.add_argument("--subject-budget", type=float, default=5.0,
                    help="the same for the floor and layanan-rules (default 5)")
    ap.add_argument("--latency-budget", type=float, default=0.3, help="seconds spent on the 1-record latency")
    ap.add_argument("--min-sample", type=int, default=200, help="smallest sample of records for a slow engine")
    ap.add_argument("--engines", help="comma-separated engine names or aliases: floor, lr, evaluate, cel, zen, "
                    "rule-engine, jsonlogic, celpy (the floor always runs)")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of the layanan-rules evaluator")
    ap.add_argument("--per-check", action="store_true",
                    help="time each check alone: floor vs layanan-rules on structured objects (no conversion)")
    args = ap.parse_args(argv)
    if args.quick:
        args.services = args.services or [2000]
        args.complaints = args.complaints or [10000]
        args.budget, args.subject_budget, args.latency_budget, args.min_sample = 0.3, 1.0, 0.05, 50
    elif args.services is None and args.complaints is None:
        args.services, args.complaints = [10_000, 100_000], [1_000_000]
    args.services = args.services or []
    args.complaints = args.complaints or []

    started = time.monotonic()
    b = Bench(args)
    b.say("layanan-rules engine benchmark" + (" (--quick)" if args.quick else ""))
    b.say(machine())
    b.say(f"date:    {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; as_of {AS_OF}; seed {args.seed}; "
          f"median of >= {args.repeats} timed chunks; chunk budget {args.budget:g} s (peers), "
          f"{args.subject_budget:g} s (floor, layanan-rules)")
    b.say("engines: " + "; ".join(f"{e.name} {e.version()}" for e in b.engines))
    for name, why in R.CANNOT.items():
        if any(e.name == name for e in b.engines):
            skipped = [c.id for c in R.CHECKS if c.jsonlogic is None] if name == "json-logic" else []
            b.say(f"cannot express: {name}: {', '.join(skipped)} -- {why}")

    for n in args.services:
        t0 = time.monotonic()
        n_p, n_u = synth.sizes(n, 0)
        recs = list(synth.iter_layanan(args.seed, n, n_u, n_p))
        parents = {"penyelenggara": {r["id"]: r for r in synth.iter_penyelenggara(args.seed, n_p)},
                   "unit": {r["id"]: r for r in synth.iter_unit(args.seed, n_u, n_p)}}
        gc.collect()
        gc.freeze()
        b.say(f"\n(generated {fmt_int(n)} layanan in {time.monotonic() - t0:.1f} s)")
        b.run_dataset(f"services {fmt_int(n)}", "layanan", recs, parents)
        del recs, parents
        gc.unfreeze()
        gc.collect()
    for n in args.complaints:
        t0 = time.monotonic()
        n_p, n_u = synth.sizes(max(n // 100, 1), n)
        recs = list(synth.iter_pengaduan(args.seed, n, n_u, max(n // 100, 1)))
        parents = {"penyelenggara": {r["id"]: r for r in synth.iter_penyelenggara(args.seed, n_p)},
                   "unit": {r["id"]: r for r in synth.iter_unit(args.seed, n_u, n_p)},
                   "layanan": {r["id"]: r for r in synth.iter_layanan(args.seed, max(n // 100, 1), n_u, n_p)}}
        gc.collect()
        gc.freeze()
        b.say(f"\n(generated {fmt_int(n)} pengaduan in {time.monotonic() - t0:.1f} s)")
        b.run_dataset(f"complaints {fmt_int(n)}", "pengaduan", recs, parents)
        del recs, parents
        gc.unfreeze()
        gc.collect()

    date_shapes(b, rounds=3 if args.quick else 7)

    # ---- verdict
    b.say("\n== agreement ==")
    if b.mismatches:
        b.say("   ENGINES DISAGREE (counts per state; the floor is the reference):")
        b.say(f"   {'data set':18s} {'engine':26s} {'check':14s} {'engine counts':40s} floor counts")
        for label, eng, cid, mine, ref in b.mismatches:
            b.say(f"   {label:18s} {eng:26s} {cid:14s} {mine!s:40s} {ref}")
    else:
        b.say("   every engine that ran gave the same pass/fail/not_applicable/error counts per check as the floor")
    if b.unavailable:
        for name, why in b.unavailable.items():
            b.say(f"   not run: {name}: {why}")

    b.say("\n== targets (layanan-rules: <= 2x the floor; >= 5x cheaper than the fastest peer, both per rule x record) ==")
    for label, rows in b.summary:
        by = {r.engine: r for r in rows}
        peers = [r for r in rows if r.engine not in ("hand-written", "layanan-rules", "layanan-rules evaluate()")]
        fastest = min(peers, key=lambda r: r.ratio) if peers else None
        for name in ("layanan-rules", "layanan-rules evaluate()"):
            lr = by.get(name)
            if lr is None:
                continue
            v1 = "MEETS" if lr.ratio <= 2.0 else "MISSES"
            line = f"   {label:20s} {name:26s} {lr.ratio:6.2f}x floor ({v1} <= 2x)"
            if fastest is not None:
                adv = fastest.ratio / lr.ratio
                v2 = "MEETS" if adv >= 5.0 else "MISSES"
                line += f"; fastest peer {fastest.engine} at {fastest.ratio:.2f}x floor -> {adv:.2f}x cheaper ({v2} >= 5x)"
            b.say(line)
            if lr.cpu_ratio is not None:
                line = f"   {'':20s} {'  by CPU time':26s} {lr.cpu_ratio:6.2f}x floor"
                if fastest is not None and fastest.cpu_ratio:
                    line += f"; {fastest.engine} at {fastest.cpu_ratio:.2f}x floor -> {fastest.cpu_ratio / lr.cpu_ratio:.2f}x cheaper"
                b.say(line)
    b.say(f"\n(total wall time {time.monotonic() - started:.0f} s; load average now {os.getloadavg()[0]:.2f})")
    return 1 if b.mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
