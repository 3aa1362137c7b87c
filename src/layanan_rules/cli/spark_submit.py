"""The ``spark-submit`` entry point: Spark reading Parquet itself, or ``evaluate --engine spark``.

Spark reads the Parquet on the executors and only counts come back (``engine.spark.scan``):

    spark-submit --master yarn --deploy-mode client \\
        "$(python -m layanan_rules.cli.spark_submit --path)" \\
        /data/pelayanan.parquet --as-of 2025-01-31 --findings /data/temuan.parquet --summary ringkasan.json

``--findings DIR`` selects this path: the findings table (``rule_id, entity, entity_id, state, severity,
reason, message, row``) is written to DIR by the executors (plus the rows decided in Python on the
driver); the summary (counts per rule and state, records decided in Spark and read in Python, the
rules run in Python and why) goes to ``--summary`` or stdout.

Any other arguments are those of ``evaluate`` (``--engine spark`` is added when none is given): the
driver reads the input, Spark decides the rules, the driver writes the report in any format. The
SparkSession is the one ``spark-submit`` configured (master, executors, memory); run with plain
``python -m layanan_rules.cli.spark_submit`` (or the ``layanan-rules-spark`` script) it is a local
one (``LAYANAN_RULES_SPARK_MASTER``, default ``local[*]``). docs/engines.md, "Spark".
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Scan Parquet with ``--findings``, else run ``evaluate`` with ``--engine spark``; ``--path``
    prints this file's path (for spark-submit)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--path"]:
        print(__file__)
        return
    if any(a == "--findings" or a.startswith("--findings=") for a in args):
        raise SystemExit(_scan(args))
    if not any(a == "--engine" or a.startswith("--engine=") for a in args):
        args += ["--engine", "spark"]
    from layanan_rules.cli import main as cli_main

    cli_main(["evaluate", *args])


def _scan(args: list[str]) -> int:
    import argparse
    import datetime as dt
    import json

    ap = argparse.ArgumentParser(prog="spark_submit", description="Spark membaca Parquet / Spark reads Parquet")
    ap.add_argument("data", help="berkas .parquet atau folder <entitas>.parquet / a .parquet file or folder")
    ap.add_argument("--findings", required=True, help="folder Parquet tabel temuan / findings table folder")
    ap.add_argument("--summary", help="berkas JSON ringkasan (bawaan: stdout) / summary JSON file (default stdout)")
    ap.add_argument("--as-of", help="tanggal penilaian YYYY-MM-DD (bawaan: hari ini) / assessment date")
    ap.add_argument("--rules", help="folder aturan (bawaan: bawaan paket) / ruleset folder (default: bundled)")
    ap.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="opsi adapter / adapter option")
    ns = ap.parse_args(args)
    try:
        as_of = dt.date.fromisoformat(ns.as_of) if ns.as_of else None
    except ValueError:
        print(f"--as-of {ns.as_of!r}: tanggal YYYY-MM-DD / a date YYYY-MM-DD", file=sys.stderr)
        return 2
    from layanan_rules import load_ruleset
    from layanan_rules.data.adapters import AdapterError
    from layanan_rules.engine import scan as dscan
    from layanan_rules.engine import spark as spark_engine
    from layanan_rules.rules.ruleset import RulesetError

    options = dict(o.split("=", 1) for o in ns.option if "=" in o)
    try:
        ruleset = load_ruleset(ns.rules) if ns.rules else load_ruleset()
        got = spark_engine.scan(ruleset, ns.data, as_of=as_of, out=ns.findings, options=options)
    except (dscan.NotDirect, AdapterError, RulesetError, spark_engine.SparkUnavailable, FileNotFoundError) as exc:
        print(f"{ns.data}: {exc}", file=sys.stderr)
        return 2
    summary = got.summary()
    summary["findings"] = ns.findings
    summary["notes"] = [f"{entity}: aturan dijalankan Python di driver / rules run in Python on the driver: {why}"
                        for entity, why in got.python_rules.items()]
    text = json.dumps(summary, ensure_ascii=False, indent=1) + "\n"
    if ns.summary:
        with open(ns.summary, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    main()
