"""What the input guards cost: JSON read through `inputs.load_json` against the standard library,
the YAML guard on the bundled ruleset, and the expression budget on the engine.

    python bench/bench_inputs.py                        # 2,000 services, 20,000 complaints
    python bench/bench_inputs.py --services 20000 --complaints 200000

Prints figures; asserts nothing about time (run-to-run spread on a shared machine is ±15%).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth


def best(fn: Any, repeats: int) -> float:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return min(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--services", type=int, default=2000)
    ap.add_argument("--complaints", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)

    from layanan_rules import evaluate, inputs, load_ruleset
    from layanan_rules.data.dataset import Dataset
    from layanan_rules.expr import budget
    from layanan_rules.rules import yamlpos

    buf = io.StringIO()
    synth.write_json(buf, args.seed, args.services, args.complaints)
    raw = buf.getvalue().encode("utf-8")
    mb = len(raw) / 1e6
    print(f"data: {args.services} services, {args.complaints} complaints, {mb:.1f} MB of JSON")

    plain = best(lambda: json.loads(raw), args.repeats)
    depth = best(lambda: inputs.check_json_depth(raw, "bench"), args.repeats)
    guarded = best(lambda: inputs.load_json(raw, "bench"), args.repeats)
    print(f"JSON  json.loads          {plain:7.3f} s  {mb / plain:6.1f} MB/s")
    print(f"      depth check alone   {depth:7.3f} s  ({depth / plain:.0%} of the parse)")
    print(f"      inputs.load_json    {guarded:7.3f} s  {mb / guarded:6.1f} MB/s  (+{guarded / plain - 1:.0%}: "
          f"UTF-8 check, depth, keys written twice)")

    folder = Path(__file__).resolve().parent.parent / "rulesets" / "uu-25-2009"
    files = sorted(folder.glob("*.yaml"))
    texts = [(f.read_text(encoding="utf-8"), str(f)) for f in files]
    size = sum(len(t) for t, _ in texts) / 1e3

    def read_yaml() -> None:
        for text, name in texts:
            yamlpos.load(text, name)

    y = best(read_yaml, args.repeats)
    print(f"YAML  {len(files)} rule files, {size:.0f} KB: {y * 1000:.1f} ms through the guarded loader")

    data = json.loads(raw)
    ds = Dataset.from_json(data)
    ruleset = load_ruleset()
    as_of = dt.date(2025, 1, 31)
    with_budget = best(lambda: evaluate(ruleset, ds, as_of=as_of).counts(), args.repeats)
    start, charge = budget.start, budget.charge
    try:  # the same run with the budget's two entry points made free: what the budget costs
        budget.start = lambda *_a, **_k: None  # type: ignore[assignment]
        without = best(lambda: evaluate(ruleset, ds, as_of=as_of).counts(), args.repeats)
    finally:
        budget.start, budget.charge = start, charge
    n = len(ds)
    print(f"EXPR  evaluate {n} records: {with_budget:.3f} s with the per-record budget, {without:.3f} s with "
          f"budget.start made free ({(with_budget / without - 1):+.1%}; {(with_budget - without) / n * 1e6:.2f} µs "
          f"per record)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
