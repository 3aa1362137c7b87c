"""The Spark back end: each entity's rules compiled to Spark SQL and run on a Spark DataFrame.

Why: when one machine is not enough, the rules run on an existing distributed engine rather than
on something of ours. The SQL is the one :mod:`layanan_rules.engine.sql` runs in DuckDB, written
in the ``spark`` dialect (``expr.sql``): ``RLIKE`` is java.util.regex, so a ``matches`` pattern is
taken only when it is provably equivalent to RE2 and linear, otherwise its rule runs in Python.

How: the records are read and structured on the driver as for every engine; the fields the SQL
rules read become Arrow columns (:func:`layanan_rules.engine.sql.layout`), a DataFrame of them
is evaluated by Spark (across the cluster's executors when there is one), and one state code and
error text per rule and record come back to the driver. What stays on the driver: reading and
structuring the records, the rules without an SQL form (Python, on the same records), and the
report (findings table, scores, every format). ``docs/engines.md`` says how to run it on a
cluster.

Spark is imported only when a run uses this back end (``pip install 'layanan-rules[spark]'``,
Java 17 or newer).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping, Sequence
from typing import Any

from layanan_rules.data.dataset import Dataset
from layanan_rules.engine import evaluation
from layanan_rules.engine import sql as duck
from layanan_rules.engine.states import Block
from layanan_rules.model.bulk import paused_gc
from layanan_rules.rules.ruleset import Rule, Ruleset, leaf_reads

DIALECT = "spark"
#: A rule whose Spark SQL (when and require, value and error) is longer than this many characters
#: runs in Python: Spark's SQL parser takes seconds to minutes on the longest compiled rules
#: (measured: 16 kB 5 s, 31 kB 19 s, 61 kB 28 s on a shared 2-core machine) and parses them on
#: every run, whatever the data size. Raise it (``LAYANAN_RULES_SPARK_MAX_SQL``) on a cluster
#: where a few minutes of planning pay for themselves.
MAX_SQL = int(os.environ.get("LAYANAN_RULES_SPARK_MAX_SQL", "12000"))


class SparkUnavailable(duck.EngineUnavailable):
    """``--engine spark`` without pyspark (or without Java)."""


def session(master: str | None = None) -> Any:
    """The active SparkSession, or a new one: under ``spark-submit`` its master and settings; run
    from Python, ``master`` or ``LAYANAN_RULES_SPARK_MASTER`` (default ``local[*]``).

    The session's time zone is UTC (the compiled SQL converts to WIB itself)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable("--engine spark memerlukan pyspark / needs pyspark: "
                               "pip install 'layanan-rules[spark]' (and Java 17+)") from None
    active = SparkSession.getActiveSession()
    if active is not None:
        active.conf.set("spark.sql.session.timeZone", "UTC")
        return active
    builder = SparkSession.builder.appName("layanan-rules")
    master = master or os.environ.get("LAYANAN_RULES_SPARK_MASTER")
    if master:
        builder = builder.master(master)
    try:
        spark = (builder.config("spark.sql.session.timeZone", "UTC")
                 .config("spark.ui.showConsoleProgress", "false").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")  # our own progress and notes go to stderr
    except Exception as exc:  # noqa: BLE001 - no Java, a bad master URL: one clear message
        raise SparkUnavailable(f"Spark tidak dapat dijalankan / Spark could not start: {' '.join(str(exc).split())[:300]}"
                               f"; periksa Java 17+ (java -version) dan JAVA_HOME / check Java 17+ and JAVA_HOME") from None
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    return spark


# --- compiling -------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _compiled_rule(ruleset: Ruleset, rule: Rule, as_of: dt.date) -> tuple[Any, Any] | str:
    """(when, require) Spark SQL programs of ``rule``, or why it has none."""
    from layanan_rules.expr import ExprErrors
    from layanan_rules.expr import sql as esql
    from layanan_rules.expr.types import from_py
    from layanan_rules.rules.ruleset import declarations

    lay = duck.layout(rule.entity, leaf_reads(rule, rule.entity))
    params = ruleset.params
    pfields = duck._field_types(type(params))
    bindings = {
        rule.entity: lay.binding,
        "param": esql.Row({n: esql.literal(duck._plain(getattr(params, n)), t, DIALECT) for n, t in pfields.items()},
                          consts={n: duck._plain(getattr(params, n)) for n in pfields}),
        "as_of": esql.literal(as_of, from_py(dt.date), DIALECT),
    }
    decls = declarations(rule.entity, type(params))
    out: list[Any] = []
    try:
        for part, prog in (("when", rule.when), ("require", rule.require)):
            if prog is None:
                out.append(None)
                continue
            p = esql.compile(prog.source, decls, ruleset.functions, dialect=DIALECT, bindings=bindings)
            if p.type.kind not in ("bool", "null"):
                return f"{part} tidak terbukti bernilai boolean / {part} is not provably a boolean"
            for columns, _rows in p.tables.values():
                for _c, t in columns:
                    _spark_type(t)  # a helper table Spark cannot hold: Python
            out.append(p)
        size = sum(len(p.value_sql()) + len(p.error_sql()) for p in out if p is not None)
        if size > MAX_SQL:
            return (f"SQL Spark terlalu panjang untuk pengurai Spark ({size} > {MAX_SQL} karakter, "
                    f"LAYANAN_RULES_SPARK_MAX_SQL) / Spark SQL too long for Spark's parser ({size} > {MAX_SQL} "
                    f"characters, LAYANAN_RULES_SPARK_MAX_SQL)")
    except esql.NoSqlForm as e:
        return e.reason
    except (ExprErrors, RecursionError, KeyError) as e:
        return f"tidak terkompilasi ke Spark SQL / did not compile to Spark SQL: {e}"
    return out[0], out[1]


def choice(ruleset: Ruleset, rule: Rule) -> duck.Choice:
    """The back end that runs ``rule`` under ``--engine spark``, and why Python when so."""
    got = _compiled_rule(ruleset, rule, duck._PLAN_DAY)
    return duck.Choice("python", got) if isinstance(got, str) else duck.Choice("spark")


def plan(ruleset: Ruleset) -> dict[str, duck.Choice]:
    """Rule id -> :func:`choice`, for every rule (kept on disk as the DuckDB plan is)."""
    return duck.plan(ruleset, choice, (__name__,))


# --- running ---------------------------------------------------------------------------------------------------


def run(ruleset: Ruleset, data: Dataset | Mapping[str, Any], *, as_of: dt.date | None = None,
        spark: Any = None) -> evaluation.Results:
    """:func:`layanan_rules.engine.run` with each entity's SQL rules run by Spark."""
    spark = spark or session()
    as_of = as_of or dt.date.today()

    def entity_states(rules: list[Rule], records: Any, params: Any, day: dt.date,
                      cost: tuple[int, float]) -> dict[int, Block]:
        return _entity(spark, ruleset, rules, records, params, day, cost)

    with paused_gc():
        ds = evaluation.as_dataset(data)
        blocks, skipped = evaluation.evaluate(ruleset, ds, as_of, entity_states)
    return evaluation.Results(ruleset, ds, as_of, blocks, skipped)


def _entity(spark: Any, ruleset: Ruleset, rules: list[Rule], records: Any, params: Any, as_of: dt.date,
            cost: tuple[int, float]) -> dict[int, Block]:
    records = tuple(records)
    sql_rules: list[Rule] = []
    programs: list[Any] = []
    python_rules: list[Rule] = []
    reads: list[str] = []
    for rule in rules:
        got = _compiled_rule(ruleset, rule, as_of)
        if isinstance(got, str):
            python_rules.append(rule)
            continue
        sql_rules.append(rule)
        programs.append(got)
        reads.extend(leaf_reads(rule, rule.entity))
    out: dict[int, Block] = {}
    if python_rules:
        out.update(evaluation.evaluate_entity(python_rules, records, params, as_of, cost))
    if not sql_rules:
        return out
    compiled = duck.Compiled(duck.layout(rules[0].entity, reads), tuple(sql_rules), tuple(programs), ())
    clean = [i for i, rec in enumerate(records) if rec.obj is not None and not rec.problems]
    codes = _run_spark(spark, compiled, [records[i].obj for i in clean]) if clean else []
    pos = {n: j for j, n in enumerate(clean)}
    careful = [rec for i, rec in enumerate(records) if i not in pos]
    rest: dict[int, Block] = {}
    if careful:
        rest = evaluation.evaluate_entity(sql_rules, careful, params, as_of, cost)
    for k, rule in enumerate(sql_rules):
        col, errs = codes[k] if codes else ([], {})
        _r, _recs, cst, cer = rest.get(id(rule), (None, (), [], {}))
        states, errors, ci = [], {}, 0
        for i in range(len(records)):
            j = pos.get(i)
            if j is not None:
                states.append(duck.STATES[col[j]])
                if j in errs:
                    errors[i] = errs[j]
            else:
                states.append(cst[ci])
                if ci in cer:
                    errors[i] = cer[ci]
                ci += 1
        out[id(rule)] = (rule, records, states, errors)
    return out


def _bq(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _spark_type(t: str) -> str:
    """A helper table's column type (written for DuckDB) in Spark's words."""
    t = t.upper()
    if t in ("VARCHAR", "TEXT"):
        return "STRING"
    if t in ("BIGINT", "INTEGER", "INT", "BOOLEAN", "DATE", "DOUBLE", "SMALLINT"):
        return t
    raise KeyError(f"helper column type {t} has no Spark form")


def _run_spark(spark: Any, compiled: duck.Compiled, objs: Sequence[Any]) -> list[tuple[list[int], dict[int, Any]]]:
    """Per SQL rule: the state code of each object and the errors by position."""
    import pyarrow as pa
    from pyspark.sql import types as st

    lay = compiled.layout
    arrays = [pa.array(range(len(objs)), pa.int64())]
    names = ["__i"]
    for col in lay.columns:
        arrays.append(duck._arrow_column(col, objs))
        names.append(col.name)
    table = pa.Table.from_arrays(arrays, names=names)
    view = f"layanan_rules_{lay.entity}"
    frame = spark.createDataFrame(table)
    frame.createOrReplaceTempView(view + "_in")
    del table, arrays
    from layanan_rules.expr.sql import sql_type

    selects = ["`__i`"]
    for col in lay.columns:
        t = "BOOLEAN" if col.present else sql_type(col.t, DIALECT)
        selects.append(f"CAST({_bq(col.name)} AS {t}) AS {_bq(col.name)}")
    context: dict[str, Any] = {}
    helper_views: list[str] = []
    inner, outer = [], []
    for k, (when, require) in enumerate(compiled.programs):
        for p in (when, require):
            if p is None:
                continue
            context.update(p.context)
            for name, (columns, rows) in p.tables.items():
                if name in helper_views:
                    continue
                schema = st.StructType([st.StructField(c, _type_of(_spark_type(t))) for c, t in columns])
                spark.createDataFrame(list(rows()), schema).createOrReplaceTempView(name)
                helper_views.append(name)
        inner.append(f"({require.value_sql()}) AS r{k}v, ({require.error_sql()}) AS r{k}e")
        req = f"WHEN r{k}e IS NOT NULL THEN 5 WHEN r{k}v IS NULL THEN 6 WHEN r{k}v THEN 0 ELSE 1"
        if when is None:
            outer.append(f"CAST(CASE {req} END AS TINYINT) AS s{k}, r{k}e AS e{k}")
            continue
        inner.append(f"({when.value_sql()}) AS w{k}v, ({when.error_sql()}) AS w{k}e")
        outer.append(f"CAST(CASE WHEN w{k}e IS NOT NULL THEN 3 WHEN w{k}v IS NULL THEN 4 WHEN NOT w{k}v THEN 2 {req} END"
                     f" AS TINYINT) AS s{k}, CASE WHEN w{k}e IS NOT NULL THEN w{k}e WHEN w{k}v THEN r{k}e END AS e{k}")
    joins = " ".join(f"CROSS JOIN ({q.sql(dialect=DIALECT)}) AS {_bq(name + '_t')}({_bq(name)})"
                     for name, q in context.items())
    query = (f"SELECT {', '.join(outer)} FROM (SELECT `__i`, {', '.join(inner)} FROM "
             f"(SELECT {', '.join(selects)} FROM {view}_in) AS src {joins}) AS r ORDER BY `__i`")
    try:
        result = spark.sql(query).toArrow()
    finally:
        spark.catalog.dropTempView(view + "_in")
    out = []
    for k in range(len(compiled.programs)):
        codes = result.column(f"s{k}").to_pylist()
        errs: dict[int, Any] = {}
        bad = [j for j, c in enumerate(codes) if c >= 3]
        if bad:
            texts = result.column(f"e{k}").take(pa.array(bad, pa.int64())).to_pylist()
            for j, text in zip(bad, texts):
                errs[j] = duck.error_outcome(codes[j], text)
        out.append((codes, errs))
    return out


def _type_of(name: str) -> Any:
    from pyspark.sql import types as st

    return {"STRING": st.StringType(), "BIGINT": st.LongType(), "INTEGER": st.IntegerType(), "INT": st.IntegerType(),
            "BOOLEAN": st.BooleanType(), "DATE": st.DateType(), "DOUBLE": st.DoubleType(),
            "SMALLINT": st.ShortType()}[name]
