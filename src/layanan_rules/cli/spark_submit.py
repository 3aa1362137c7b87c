"""The ``spark-submit`` entry point: ``layanan-rules evaluate ... --engine spark`` in the Spark driver.

    spark-submit --master yarn --deploy-mode client \\
        "$(python -m layanan_rules.cli.spark_submit --path)" \\
        data.parquet --as-of 2025-01-31 --format parquet -o findings.parquet --format json -o laporan.json

The arguments are those of ``evaluate`` (``--engine spark`` is added when none is given). The
SparkSession is the one ``spark-submit`` configured (master, executors, memory); run with plain
``python -m layanan_rules.cli.spark_submit`` (or the ``layanan-rules-spark`` script) it is a local
one (``LAYANAN_RULES_SPARK_MASTER``, default ``local[*]``). docs/engines.md, "Spark".
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``evaluate`` with ``--engine spark``; ``--path`` prints this file's path (for spark-submit)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--path"]:
        print(__file__)
        return
    if not any(a == "--engine" or a.startswith("--engine=") for a in args):
        args += ["--engine", "spark"]
    from layanan_rules.cli import main as cli_main

    cli_main(["evaluate", *args])


if __name__ == "__main__":
    main()
