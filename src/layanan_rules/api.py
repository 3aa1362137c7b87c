"""The Python API in one place: load a ruleset, read data, evaluate.

``load_ruleset`` comes from the rules room, ``read_data`` from the data room; ``evaluate`` joins
the engine's results into a :class:`~layanan_rules.report.findings.Report`.
``from layanan_rules import evaluate`` names these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from layanan_rules.data.sources import read_data
from layanan_rules.rules.registry import load_ruleset

if TYPE_CHECKING:
    from layanan_rules.data.dataset import Dataset
    from layanan_rules.report.findings import Report
    from layanan_rules.rules.ruleset import Ruleset

__all__ = ["evaluate", "load_ruleset", "read_data"]


def evaluate(ruleset: Ruleset, data: Dataset | Mapping[str, Any] | str, *, as_of: dt.date | None = None,
             engine: str = "auto", options: dict[str, Any] | None = None, adapter: str | None = None) -> Report:
    """Evaluate ``ruleset`` over ``data`` (a Dataset or the plain JSON form) as the law stood on
    ``as_of`` (default: today, stated in the report). The same input gives the same report.

    ``engine``: ``python`` (one record at a time), ``duckdb`` (each rule with an SQL form runs in
    an embedded DuckDB, the rest in Python: :mod:`layanan_rules.engine.sql`), ``spark`` (the same
    SQL on Spark DataFrames: :mod:`layanan_rules.engine.spark`), ``pushdown`` (``data`` is a
    database URL read through its adapter with ``options``; the rules run inside the database:
    :mod:`layanan_rules.engine.pushdown`), or ``auto`` (Python; DuckDB from
    ``LAYANAN_RULES_DUCKDB_FROM`` records up when that is set: docs/engines.md).
    Every engine gives the same findings."""
    engines, sql, report_cls, dataset_cls = _parts or _load_parts()

    if engine == "pushdown":
        from layanan_rules import plugins
        from layanan_rules.engine import pushdown

        if not isinstance(data, str):
            raise ValueError("engine='pushdown': data is a database URL (postgresql://...), not records")
        results, notes = pushdown.evaluate_source(ruleset, data, plugins.get_plugin_manager(),
                                                  as_of or dt.date.today(), adapter=adapter, options=options)
        report = report_cls.of(results)
        report.notes.extend(notes)
        return report
    if isinstance(data, str):
        data = read_data(data, adapter=adapter, options=options)
    if engine == "auto" and sql.AUTO_FROM is None and type(data) is dict:  # the Python engine, a Dataset
        # nobody else sees: only the objects the rules in force read get their children linked
        as_of = as_of or dt.date.today()
        one = engines.evaluate_one(ruleset, data, as_of)
        if one is not None:  # one clean record (a server's request): no Dataset around it
            return report_cls.of_blocks(ruleset, as_of, *one)
        ds = dataset_cls.from_json(data, linked=engines.entities_read(ruleset, as_of))
        return report_cls.of(engines.run(ruleset, ds, as_of=as_of))
    ds = engines.as_dataset(data)
    if engine == "spark":
        from layanan_rules.engine import spark

        return report_cls.of(spark.run(ruleset, ds, as_of=as_of))
    if (engine != "auto" or sql.AUTO_FROM is not None) and sql.choose(engine, len(ds)) == sql.BACKEND_SQL:
        return report_cls.of(sql.run(ruleset, ds, as_of=as_of))
    return report_cls.of(engines.run(ruleset, ds, as_of=as_of))


#: (engine, engine.sql, Report, Dataset): imported on the first call, not when the package is
#: (start-up time), and kept, so a server's one-record calls do not pay four imports each
_parts: tuple[Any, Any, type[Report], type[Dataset]] | None = None


def _load_parts() -> tuple[Any, Any, type[Report], type[Dataset]]:
    global _parts
    from layanan_rules import engine
    from layanan_rules.data.dataset import Dataset
    from layanan_rules.engine import sql
    from layanan_rules.report.findings import Report

    _parts = (engine, sql, Report, Dataset)
    return _parts
