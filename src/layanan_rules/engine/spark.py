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
from pathlib import Path
from typing import Any

import attrs

from layanan_rules.data.dataset import Dataset
from layanan_rules.engine import columns, evaluation
from layanan_rules.engine import sql as duck
from layanan_rules.engine.states import Block, Reason
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

    lay = duck.layout(rule.entity, leaf_reads(rule, rule.entity), duck.counted(rule))
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
    compiled = duck.Compiled(duck.layout(rules[0].entity, reads, duck.counted_of(sql_rules)), tuple(sql_rules), tuple(programs), ())
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

    selects = ["`__i`"]
    for col in lay.columns:
        t = duck.column_type(col, DIALECT)
        selects.append(f"CAST({_bq(col.name)} AS {t}) AS {_bq(col.name)}")
    context: dict[str, Any] = {}
    helper_views: list[str] = []
    inner, outer = [], []
    for k, (when, require) in enumerate(compiled.programs):
        for p in (when, require):
            if p is None:
                continue
            context.update(p.context)
            for name, (cols, rows) in p.tables.items():
                if name in helper_views:
                    continue
                schema = st.StructType([st.StructField(c, _type_of(_spark_type(t))) for c, t in cols])
                spark.createDataFrame(list(rows()), schema).createOrReplaceTempView(name)
                helper_views.append(name)
        cols, arms, err = duck.state_sql(k, when, require)
        inner += cols
        outer.append(f"CAST(CASE {arms} END AS TINYINT) AS s{k}, {err} AS e{k}")
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


# --- Spark reading the files itself -----------------------------------------------------------------------------
#
# ``run`` above ships records the driver has read and structured. ``scan`` is the path that scales:
# Spark reads the Parquet files on the executors into the typed columns the compiled rules read (the
# same conversions as ``engine.scan``'s DuckDB reader, in Spark SQL), decides every Spark SQL rule of
# an entity in one SELECT, writes the findings table from the executors and sends only counts (and
# the row numbers of records it cannot read as the model does) to the driver. The driver reads in
# Python only what the rules without a Spark form read (their fields, through Spark) and those records.

def _lit(s: str) -> str:
    """A Spark SQL string literal (backslashes are escapes in Spark's literals)."""
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _shape(t: Any) -> columns.Shape:
    """A Spark column type as :data:`engine.columns.Shape` (DuckDB's words: what it converts from)."""
    from pyspark.sql import types as st

    if isinstance(t, st.StructType):
        return {f.name: _shape(f.dataType) for f in t.fields}
    if isinstance(t, st.StringType):
        return "VARCHAR"
    if isinstance(t, st.BooleanType):
        return "BOOLEAN"
    if isinstance(t, (st.LongType, st.IntegerType, st.ShortType, st.ByteType)):
        return "BIGINT"
    if isinstance(t, (st.DoubleType, st.FloatType)):
        return "DOUBLE"
    if isinstance(t, st.DateType):
        return "DATE"
    if type(t) is st.TimestampType:  # an instant (TimestampNTZType is not: the model reads it, in Python)
        return "TIMESTAMP WITH TIME ZONE"
    if isinstance(t, st.ArrayType) and isinstance(t.elementType, st.StringType):
        return "VARCHAR[]"
    return "OTHER"


def _typed(entity: str, lay: duck.Layout, schema: Any) -> tuple[list[str], list[str]]:
    """The typed columns of ``lay`` over an entity's Parquet rows (aliased ``x``, schema ``schema``),
    and the conditions sending a record to Python; :class:`engine.columns.Unsupported` for a field
    the SQL reader does not type, or a relation."""
    shape = {f.name: _shape(f.dataType) for f in schema.fields}
    typed = columns.parquet_columns(entity, lay, shape, DIALECT, typed_table="x")
    return typed.select, typed.bad


def _col_type(col: duck.Column) -> str:
    from layanan_rules.expr.sql import case_list_type, sql_type

    if col.cases:
        return case_list_type(col.t.elem.cls, DIALECT)
    return "BOOLEAN" if col.present else sql_type(col.t, DIALECT)


def _relations(entity: str) -> set[str]:
    from layanan_rules import model

    return {field for _child, _fk, parent, field in model.RELATIONS if parent == entity}


def _foreign_keys(entity: str) -> set[str]:
    from layanan_rules import model

    return {fk for child, fk, _parent, _field in model.RELATIONS if child == entity}


def _source(spark: Any, path: Path) -> Any:
    """The rows of one entity's Parquet (a file, or a folder of part files) with ``__i``, the row
    number (a part file's number times 2^40 plus its row in a folder of parts)."""
    frame = spark.read.parquet(str(path))
    files = sorted({f.rsplit("/", 1)[-1] for f in frame.inputFiles()})
    if len(files) <= 1:
        index = "_metadata.row_index"
    else:
        cases = " ".join(f"WHEN {_lit(f)} THEN {n}" for n, f in enumerate(files))
        index = f"(CASE _metadata.file_name {cases} END) * 1099511627776 + _metadata.row_index"
    return frame.selectExpr("*", f"{index} AS __i")


@attrs.frozen
class _Plan:
    """One entity under :func:`scan`: the Spark SQL rules (programs, layout, typed columns), the
    Python rules with why, and the top-level fields Python reads of every record (``ALL``: whole)."""

    sql_rules: tuple[Rule, ...]
    programs: tuple[tuple[Any, Any], ...]
    select: tuple[str, ...]
    bad: tuple[str, ...]
    layout: Any
    python_rules: tuple[tuple[Rule, str], ...]
    python_fields: frozenset[str]


def _plan(ruleset: Ruleset, by_entity: Mapping[str, list[Rule]], as_of: dt.date,
          frames: Mapping[str, Any]) -> dict[str, _Plan]:
    from layanan_rules.engine import scan as dscan

    chosen: dict[str, tuple[list[Rule], list[Any], list[tuple[Rule, str]]]] = {}
    need: dict[str, set[str]] = {}
    for entity, rules in by_entity.items():
        on_sql: list[Rule] = []
        programs: list[Any] = []
        on_python: list[tuple[Rule, str]] = []
        for rule in rules:
            got = _compiled_rule(ruleset, rule, as_of)
            if isinstance(got, str):
                on_python.append((rule, got))
                continue
            reads = leaf_reads(rule, entity)
            rel = next((p.split(".")[0] for p in reads if p.split(".")[0] in _relations(entity)), None)
            if rel is not None:
                on_python.append((rule, f"membaca relasi '{rel}' / reads the relation '{rel}'"))
                continue
            if entity in frames:
                try:
                    _typed(entity, duck.layout(entity, reads), frames[entity].schema)
                except columns.Unsupported as e:
                    why = f"kolom '{e}' dibaca pengurai Python / field '{e}' is read by the model's parser"
                    on_python.append((rule, why))
                    continue
            on_sql.append(rule)
            programs.append(got)
        for rule, _why in on_python:
            dscan._needs(rule, need)
        chosen[entity] = (on_sql, programs, on_python)
    out: dict[str, _Plan] = {}
    for entity in dict.fromkeys([*chosen, *need]):
        if entity not in frames:
            continue
        on_sql, programs, on_python = chosen.get(entity, ([], [], []))
        lay = duck.layout(entity, [p for r in on_sql for p in leaf_reads(r, entity)])
        select, bad = _typed(entity, lay, frames[entity].schema) if on_sql else ([], [])
        fields = need.get(entity, set())
        if entity in need and dscan.ALL not in fields:
            fields = fields | {"id"} | _foreign_keys(entity)
        out[entity] = _Plan(tuple(on_sql), tuple(programs), tuple(select), tuple(bad), lay, tuple(on_python),
                            frozenset(fields))
    return out


def _states_sql(spark: Any, programs: Sequence[tuple[Any, Any]]) -> tuple[list[str], list[str], str]:
    """(inner, outer, joins) of the state query of ``programs`` (rule k: ``s{k}`` its state code,
    ``e{k}`` its error text), the helper tables they read created as temp views."""
    from pyspark.sql import types as st

    context: dict[str, Any] = {}
    inner, outer = [], []
    for k, (when, require) in enumerate(programs):
        for p in (when, require):
            if p is None:
                continue
            context.update(p.context)
            for name, (cols, rows) in p.tables.items():
                if spark.catalog.tableExists(name):
                    continue
                schema = st.StructType([st.StructField(c, _type_of(_spark_type(t))) for c, t in cols])
                spark.createDataFrame(list(rows()), schema).createOrReplaceTempView(name)
        cols, arms, err = duck.state_sql(k, when, require)
        inner += cols
        outer.append(f"CAST(CASE {arms} END AS TINYINT) AS s{k}, CAST({err} AS STRING) AS e{k}")
    joins = " ".join(f"CROSS JOIN ({q.sql(dialect=DIALECT)}) AS {_bq(name + '_t')}({_bq(name)})"
                     for name, q in context.items())
    return inner, outer, joins


_FINDINGS_TYPES = (("rule_id", "string"), ("entity", "string"), ("entity_id", "string"), ("state", "string"),
                   ("severity", "string"), ("reason", "string"), ("message", "string"), ("row", "int64"))


def scan(ruleset: Ruleset, location: str | Path, *, as_of: dt.date | None = None, out: str | Path | None = None,
         options: Mapping[str, Any] | None = None, spark: Any = None) -> Any:
    """Evaluate ``ruleset`` over the Parquet at ``location`` (a file, or a folder of
    ``<entity>.parquet``) with Spark reading it; with ``out``, the findings table is written there
    (a Parquet folder: the executors' part files, then the Python-decided rows). Returns an
    :class:`layanan_rules.engine.scan.Scan` (counts, records decided where, rules in Python and why).
    Raises :class:`~layanan_rules.engine.scan.NotDirect` for another input."""
    import time

    from layanan_rules.data.parquet import ParquetAdapter
    from layanan_rules.engine import scan as dscan

    spark = spark or session()
    as_of = as_of or dt.date.today()
    location = str(location)
    if dscan.input_kind(location) != "parquet":
        raise dscan.NotDirect(f"{location}: Spark membaca Parquet (berkas atau folder <entitas>.parquet) / "
                              f"Spark reads Parquet (a file or a folder of <entity>.parquet)")
    t0 = time.perf_counter()
    seconds: dict[str, float] = {}
    files = dict(ParquetAdapter(location, dict(options or {})).files())
    frames = {e: _source(spark, p) for e, p in files.items()}
    by_entity = ruleset.in_force_by_entity(as_of)
    plans = _plan(ruleset, by_entity, as_of, frames)
    seconds["plan"] = time.perf_counter() - t0
    counts: dict[str, dict[str, int]] = {}
    records: dict[str, int] = {}
    sql_records: dict[str, int] = {}
    bad_rows: dict[str, set[int]] = {}
    written = [False]

    def write(frame: Any) -> None:
        if out is not None:
            frame.write.mode("append" if written[0] else "overwrite").parquet(str(out))
            written[0] = True

    t = time.perf_counter()
    cached: list[Any] = []
    try:
        for entity, plan in plans.items():
            if not plan.sql_rules:
                continue
            n, bad = _decide(spark, entity, frames[entity], plan, write if out is not None else None, counts, cached)
            records[entity], sql_records[entity], bad_rows[entity] = n, n - len(bad), bad
        seconds["spark"] = time.perf_counter() - t
        t = time.perf_counter()
        issues, python_records, table = _python_part(spark, frames, files, ruleset, plans, bad_rows, as_of, records)
        if table is not None:
            for rid, state in zip(table.column("rule_id").to_pylist(), table.column("state").to_pylist()):
                c = counts.setdefault(rid, {})
                c[state] = c.get(state, 0) + 1
            if out is not None and table.num_rows:
                write(spark.createDataFrame(table))
        seconds["python"] = time.perf_counter() - t
    finally:
        for frame in cached:
            frame.unpersist()
    if out is not None and not written[0]:  # nothing decided: an empty table with the columns
        import pyarrow as pa

        write(spark.createDataFrame(pa.table({c: pa.array([], t) for c, t in _FINDINGS_TYPES})))
    seconds["total"] = time.perf_counter() - t0
    order = [r.id for r in ruleset.rules]
    counts = {rid: counts[rid] for rid in order if rid in counts}
    python_rules = {e: "; ".join(f"{r.id}: {why}" for r, why in p.python_rules) for e, p in plans.items()
                    if p.python_rules and e in records}
    return dscan.Scan(counts, records, sql_records, python_records, python_rules, issues,
                      Path(out) if out is not None else None, seconds)


def _decide(spark: Any, entity: str, frame: Any, plan: _Plan, out: Any, counts: dict[str, dict[str, int]],
            cached: list[Any]) -> tuple[int, set[int]]:
    """Decide ``entity``'s Spark SQL rules on the executors: counts into ``counts``, the findings
    table through ``out`` (a writer, or None); returns the number of records and the rows (``__i``) left to Python."""
    from pyspark import StorageLevel

    src = f"layanan_rules_src_{entity}"
    frame.createOrReplaceTempView(src)
    id_type = next((f.dataType for f in frame.schema.fields if f.name == "id"), None)
    if id_type is not None and _shape(id_type) == "VARCHAR":
        idv, id_bad = "x.id", "x.id IS NULL OR trim(x.id) = ''"
    else:
        idv, id_bad = "CAST(NULL AS STRING)", "true"
    names = ", ".join(f"x.{_bq(c.name)}" for c in plan.layout.columns)
    bad = " OR ".join(f"({b})" for b in [id_bad, *plan.bad])
    typed = (f"SELECT x.__i, {idv} AS __id, coalesce({bad}, true) AS __py{', ' + names if names else ''} "
             f"FROM (SELECT x.*{''.join(', ' + s for s in plan.select)} FROM {src} x) x")
    inner, outer, joins = _states_sql(spark, plan.programs)
    decided = spark.sql(f"SELECT __i, __id, __py, {', '.join(outer)} FROM (SELECT __i, __id, __py, "
                        f"{', '.join(inner)} FROM ({typed}) AS src {joins}) AS r")
    view = f"layanan_rules_decided_{entity}"
    if out:  # computed once: the findings written, then counted from the cache
        decided = decided.persist(StorageLevel.MEMORY_AND_DISK)
        cached.append(decided)
    decided.createOrReplaceTempView(view)
    if out:
        stack = ", ".join(f"{_lit(r.id)}, {_lit(r.severity.value)}, s{k}, e{k}" for k, r in enumerate(plan.sql_rules))
        not_bool = {4: evaluation.not_bool("when", None), 6: evaluation.not_bool("require", None)}
        reasons = " ".join(f"WHEN {_lit(k)} THEN {_lit(v.value)}" for k, v in evaluation.REASONS.items())
        out(spark.sql(f"""SELECT rule_id, {_lit(entity)} AS entity, __id AS entity_id,
            CASE s WHEN 0 THEN 'pass' WHEN 1 THEN 'fail' WHEN 2 THEN 'not_applicable' ELSE 'error' END AS state,
            severity,
            CASE WHEN s IN (4, 6) THEN 'not_boolean' WHEN s IN (3, 5) THEN coalesce(CASE
                split_part(coalesce(e, 'invalid_argument|'), '|', 1) {reasons} END,
                {_lit(Reason.expression_error.value)}) END AS reason,
            CASE WHEN s = 4 THEN {_lit(not_bool[4])} WHEN s = 6 THEN {_lit(not_bool[6])} WHEN s IN (3, 5) THEN
                (CASE WHEN instr(coalesce(e, ''), '|') > 0 THEN substr(e, instr(e, '|') + 1) ELSE '' END) END
                AS message,
            __i + 1 AS row
            FROM (SELECT __i, __id, stack({len(plan.sql_rules)}, {stack}) AS (rule_id, severity, s, e)
                  FROM {view} WHERE NOT __py)"""))
    # one pass for what the driver needs: records, the rows left to Python, counts per rule and state
    states = ("pass", "fail", "not_applicable", "error")
    conds = ("= 0", "= 1", "= 2", ">= 3")
    sums = ", ".join(f"count_if(NOT __py AND s{k} {c}) AS c{k}_{j}" for k in range(len(plan.sql_rules))
                     for j, c in enumerate(conds))
    row = spark.sql(f"SELECT count(*) AS n, collect_list(CASE WHEN __py THEN __i END) AS bad, {sums} "
                    f"FROM {view}").collect()[0]
    for k, rule in enumerate(plan.sql_rules):
        got = counts.setdefault(rule.id, {})
        for j, state in enumerate(states):
            if row[f"c{k}_{j}"]:
                got[state] = got.get(state, 0) + row[f"c{k}_{j}"]
    return row["n"], set(row["bad"])


def _pack(value: str, dtype: Any, tree: Any) -> str:
    """The parts ``tree`` of the Parquet value ``value`` (a struct of only them), as engine.scan reads them."""
    from pyspark.sql import types as st

    if tree is None or not isinstance(dtype, st.StructType):
        return value
    have = {f.name: f.dataType for f in dtype.fields}
    parts = [f"{_lit(k)}, {_pack(f'{value}.{_bq(k)}', have[k], sub)}" for k, sub in tree.items() if k in have]
    if not parts:
        return value
    return f"CASE WHEN {value} IS NULL THEN NULL ELSE named_struct({', '.join(parts)}) END"


def _python_part(spark: Any, frames: Mapping[str, Any], files: Mapping[str, Path], ruleset: Ruleset,
                 plans: Mapping[str, _Plan], bad_rows: Mapping[str, set[int]], as_of: dt.date,
                 records: dict[str, int]) -> tuple[list[Any], dict[str, int], Any]:
    """The driver's part: whole records Spark could not read as the model does, the fields the
    Python rules read of every record (read by Spark, structured by the model's code), the Python
    engine over them. Returns the data issues, records read per entity and the findings rows."""
    import pyarrow as pa

    from layanan_rules import inputs
    from layanan_rules.engine import scan as dscan
    from layanan_rules.model.records import records_at_rows

    read: dict[str, list[tuple[int, bool]]] = {}

    def raws() -> Any:
        for entity, plan in plans.items():
            bad = bad_rows.get(entity, set())
            fields = plan.python_fields
            if not fields and not bad:
                continue
            frame = frames[entity]
            types = {f.name: f.dataType for f in frame.schema.fields}
            whole: dict[int, dict[str, Any]] = {}
            query: Any = None
            if dscan.ALL in fields:
                query = frame
            else:
                if bad:  # the rows by number: a broadcast join, no rule decided again
                    from pyspark.sql import functions as fn

                    wanted = spark.createDataFrame([(i,) for i in sorted(bad)], "__i LONG")
                    got = frame.join(fn.broadcast(wanted), "__i").toArrow()
                    whole = dict(zip(got.column("__i").to_pylist(), got.drop_columns(["__i"]).to_pylist()))
                if fields:
                    keep = [f"{_pack(_bq(f), types[f], sub)} AS {_bq(f)}" for f, sub in dscan._tree(fields).items()
                            if f in types]
                    frame.createOrReplaceTempView("layanan_rules_fields")
                    query = spark.sql(f"SELECT __i{''.join(', ' + k for k in keep)} FROM layanan_rules_fields")
            path = str(files[entity])
            out = read.setdefault(entity, [])
            batches: list[tuple[list[int], list[dict[str, Any]]]]
            if query is None:
                batches = [(sorted(whole), [whole[i] for i in sorted(whole)])]
            else:
                table = query.toArrow()
                batches = ((b.column(b.schema.get_field_index("__i")).to_pylist(),
                            pa.Table.from_batches([b]).drop_columns(["__i"]).to_pylist())
                           for b in table.to_batches(max_chunksize=65_536))  # type: ignore[assignment]
            for i, rec in records_at_rows(entity, batches, source=path, whole=whole):
                out.append((i, i in bad))
                yield rec

    ds = Dataset.from_records(raws())
    cols: dict[str, list[Any]] = {c: [] for c, _t in _FINDINGS_TYPES}
    limits = inputs.current()
    cost = (limits.expr_steps, limits.expr_seconds)
    python_records: dict[str, int] = {}
    for entity, plan in plans.items():
        recs = ds.records.get(entity, [])
        rows = read.get(entity, [])
        if not recs:
            continue
        if len(rows) != len(recs):
            rows = rows + [(rows[-1][0] if rows else 0, True)] * (len(recs) - len(rows))
        records.setdefault(entity, len(recs))
        python_records[entity] = len(recs)
        jobs = []
        if plan.python_rules:
            jobs.append(([r for r, _why in plan.python_rules], list(recs), [i for i, _w in rows]))
        whole_recs = [(k, i) for k, (i, w) in enumerate(rows) if w]
        if plan.sql_rules and whole_recs:
            jobs.append((list(plan.sql_rules), [recs[k] for k, _i in whole_recs], [i for _k, i in whole_recs]))
        for rules, subset, positions in jobs:
            blocks = evaluation.evaluate_entity(rules, subset, ruleset.params, as_of, cost)
            for rule in rules:
                _r, recs_b, states, errors = blocks[id(rule)]
                for n, (rec, state) in enumerate(zip(recs_b, states)):
                    err = errors.get(n)
                    cols["rule_id"].append(rule.id)
                    cols["entity"].append(entity)
                    cols["entity_id"].append(rec.id)
                    cols["state"].append(state.value)
                    cols["severity"].append(rule.severity.value)
                    cols["reason"].append(err[0].value if err and err[0] is not None else None)
                    cols["message"].append(err[1] if err else None)
                    cols["row"].append(positions[n] + 1)
    table = pa.table({c: pa.array(cols[c], t) for c, t in _FINDINGS_TYPES}) if cols["rule_id"] else None
    parents = {e for e, p in plans.items() if p.python_fields}
    issues = [i for i in ds.issues if i.kind != "orphan" or i.entity not in parents]
    return issues, {e: n for e, n in python_records.items() if n}, table
