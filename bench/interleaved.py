"""``evaluate()`` against the hand-written floor chunk by chunk, interleaved, by CPU time.

``bench/run.py`` times all the floor's chunks, then all of ``evaluate()``'s: on a shared machine the
two see different minutes. Here each timed chunk of the floor is followed at once by
``evaluate()`` on the same records, and the ratio of each pair is kept; the median ratio moves
much less with the load than either figure alone. Same data, checks, parents and harness as
``run.py`` (its ``Bench._parents_of``; chunks of ``--chunk`` records, the first one a warm-up)::

    python bench/interleaved.py --entity layanan --records 100000 --chunk 10000
    python bench/interleaved.py --entity pengaduan --records 300000 --chunk 30000
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import engines as E
import rules as R
import run as RUN
import synth

AS_OF = dt.date(2025, 1, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entity", choices=("layanan", "pengaduan"), default="layanan")
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--chunk", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    n, seed = a.records, a.seed
    if a.entity == "layanan":
        n_p, n_u = synth.sizes(n, 0)
        recs = list(synth.iter_layanan(seed, n, n_u, n_p))
        parents = {"penyelenggara": {r["id"]: r for r in synth.iter_penyelenggara(seed, n_p)},
                   "unit": {r["id"]: r for r in synth.iter_unit(seed, n_u, n_p)}}
    else:
        n_l = max(n // 100, 1)
        n_p, n_u = synth.sizes(n_l, n)
        recs = list(synth.iter_pengaduan(seed, n, n_u, n_l))
        parents = {"penyelenggara": {r["id"]: r for r in synth.iter_penyelenggara(seed, n_p)},
                   "unit": {r["id"]: r for r in synth.iter_unit(seed, n_u, n_p)},
                   "layanan": {r["id"]: r for r in synth.iter_layanan(seed, n_l, n_u, n_p)}}
    gc.collect()
    gc.freeze()  # as run.py: the inputs out of the collector's way
    api = E.LayananRulesEvaluate(E.LayananRules())
    checks = R.by_entity(a.entity)
    bench = RUN.Bench.__new__(RUN.Bench)
    bench.parents = parents
    floor = E.Floor().build(checks, a.entity, AS_OF)
    size = a.chunk
    if n // size < 2:  # the first chunk is a warm-up: at least one timed pair after it
        raise SystemExit(f"--records {n} gives {n // size} chunk(s) of --chunk {size}: at least 2 are needed "
                         f"(e.g. --chunk {max(1, n // 10)})")
    chunks = [recs[i * size:(i + 1) * size] for i in range(min(10, n // size))]
    given = {id(c): bench._parents_of(c) for c in chunks}

    def evaluate(chunk: list[dict]) -> object:
        return api.counts(api.run_batch(checks, a.entity, AS_OF, chunk, given[id(chunk)]))

    evaluate(chunks[0])
    [floor(r) for r in chunks[0]]
    ratios, floor_ns, eval_ns = [], [], []
    for chunk in chunks[1:]:
        gc.collect()
        t0 = time.process_time_ns()
        [floor(r) for r in chunk]
        f = time.process_time_ns() - t0
        gc.collect()
        t0 = time.process_time_ns()
        evaluate(chunk)
        e = time.process_time_ns() - t0
        ratios.append(e / f)
        floor_ns.append(f / len(chunk) / len(checks))
        eval_ns.append(e / len(chunk) / len(checks))
    print(f"{a.entity} {n:,} chunks of {size:,}: evaluate()/floor by CPU, median of {len(ratios)} interleaved pairs "
          f"{statistics.median(ratios):.2f}x (min {min(ratios):.2f}, max {max(ratios):.2f}); "
          f"floor {statistics.median(floor_ns):.0f} ns/eval, evaluate() {statistics.median(eval_ns):.0f} ns/eval")


if __name__ == "__main__":
    main()
