"""The SQL back end reading files itself: DuckDB from Parquet / JSON Lines to the findings, no Python records.

Why: ``--engine duckdb`` over a :class:`~layanan_rules.data.dataset.Dataset` still builds every
record in Python (file -> model -> Arrow -> DuckDB), which costs more than deciding the rules.
Here DuckDB reads the file (``read_parquet``, ``read_json_objects``) into one typed column per
field the SQL rules read, decides every rule in one query per entity, and writes the findings
table and the counts itself.

Same findings as the Python engine, by construction, not by approximation:

* a value is converted in SQL only in the forms the model's converter reads the same way without
  its Indonesian parsers: text as text, ISO 8601 dates and date-times (a time without a zone is
  WIB), JSON/Parquet booleans and whole numbers, lists of texts, enum names. Absent, ``null``
  and ``""`` are all "no value", as for the model. Any other value in a field a rule reads
  (``9 Januari 2024``, ``"ya"``, ``Rp 10.000``, a key written twice) sends **that record** to
  the Python engine, read by the same adapter code, so its problems are named as ever;
* a rule without an SQL form, reading a relation, or reading a field the SQL reader does not type
  (a list of regulations parsed from text) runs in Python (``Scan.python_rules`` says which and
  why) over **only the fields it reads** of every record, and of the records below it through
  relations: the model structures each top-level field on its own, so that is exact;
* a line of JSON Lines that is not one ``{"<entity>": {...}}`` (a list, nested children, a key
  written twice): that line goes to Python whole.

The findings table written here has the engine's columns (rule, entity, entity id, state,
severity, reason, message, input row), rows decided in SQL and in Python in one fixed order
(:func:`_written`): two runs over the same input write the same bytes.

The package's modules, one seam each: :mod:`.source` (the input and its typed readers),
:mod:`.plan` (which rules DuckDB decides, which Python), :mod:`.direct` (the SQL pass per entity),
:mod:`.shared` (the SQL work the programs share), :mod:`.python_part` (the rules left to Python)
and :mod:`.quote`; :func:`scan` here runs them and writes the findings.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from layanan_rules.data.dataset import DataIssue
from layanan_rules.engine import sql

# besides what scan() calls: the names other modules, tests, bench scripts and docs import from
# ``layanan_rules.engine.scan`` (``X as X``: re-exported)
from layanan_rules.engine.scan.direct import SPILL_OPTIONS, _direct_entity
from layanan_rules.engine.scan.plan import ALL as ALL
from layanan_rules.engine.scan.plan import EntityPlan as EntityPlan
from layanan_rules.engine.scan.plan import _children_for
from layanan_rules.engine.scan.plan import _gate as _gate
from layanan_rules.engine.scan.plan import _needs as _needs
from layanan_rules.engine.scan.plan import _tree as _tree
from layanan_rules.engine.scan.plan import plan_entities as plan_entities
from layanan_rules.engine.scan.python_part import _python_by_value, _python_part, _tables
from layanan_rules.engine.scan.python_part import _skipped_children as _skipped_children
from layanan_rules.engine.scan.quote import _q
from layanan_rules.engine.scan.source import NotDirect as NotDirect
from layanan_rules.engine.scan.source import Unsupported as Unsupported
from layanan_rules.engine.scan.source import _Source as _Source
from layanan_rules.engine.scan.source import input_kind as input_kind
from layanan_rules.expr.sql.duck import connect
from layanan_rules.rules.ruleset import Ruleset

#: the findings file's Parquet options: zstd at level 1, and no dictionary tried for texts (the
#: repeated ones are ENUMs, written as dictionaries anyway; an entity id is distinct per record, so
#: a dictionary of them is built and dropped). Measured at 100k/1M (8.6 M rows, one thread): 1.33-1.35
#: CPU s and 12.4 MB against 1.66-1.74 s and 14.2 MB with zstd's default level and dictionaries
WRITE_OPTIONS = "COMPRESSION zstd, COMPRESSION_LEVEL 1, DICTIONARY_SIZE_LIMIT 1"
#: DuckDB's memory bound for a scan (``memory_limit=``, or ``LAYANAN_RULES_DUCKDB_MEMORY``)
MEMORY_LIMIT = "1GB"
MEMORY_ENV = "LAYANAN_RULES_DUCKDB_MEMORY"


class OutOfMemory(sql.EngineUnavailable):
    """DuckDB needed more memory than its bound (``memory_limit``) for a step it cannot spill to
    disk; the message says the bound, the step and the two ways out."""


@attrs.frozen
class Scan:
    """What one direct evaluation decided, counted; the findings table at ``findings`` if asked."""

    counts: dict[str, dict[str, int]]
    records: dict[str, int]
    #: entity -> records decided in SQL
    sql_records: dict[str, int]
    #: entity -> records read in Python: whole where DuckDB gave up on a value or a line, else only
    #: the fields the Python rules read
    python_records: dict[str, int]
    #: entity -> the rules Python decides, and why
    python_rules: dict[str, str]
    issues: list[DataIssue]
    findings: Path | None
    seconds: dict[str, float]
    #: entity -> distinct values its Python rules were decided on, where decided once per value
    #: (:func:`_python_by_value`) rather than once per record
    python_values: dict[str, int] = attrs.field(factory=dict)

    def summary(self) -> dict[str, Any]:
        return {"counts": self.counts, "records": self.records, "sql_records": self.sql_records,
                "python_records": self.python_records, "python_rules": self.python_rules,
                "python_values": self.python_values, "data_issues": len(self.issues), "seconds": self.seconds}


# --- running -----------------------------------------------------------------------------------------------

_EMPTY_FINDINGS = ("SELECT NULL::INTEGER AS rule, NULL::BIGINT AS __i, NULL::VARCHAR AS entity_id, NULL::UTINYINT AS code, "
                   "NULL::VARCHAR AS reason, NULL::VARCHAR AS message WHERE false")


def scan(ruleset: Ruleset, location: str | Path, *, as_of: dt.date | None = None, out: str | Path | None = None,
         options: Mapping[str, Any] | None = None, threads: int | None = None,
         memory_limit: str | None = None, mask: Callable[[str, str], str] | None = None,
         metadata: Mapping[str, str] | None = None) -> Scan:
    """Evaluate ``ruleset`` over the file at ``location`` with DuckDB reading it; with ``out``,
    write the findings table to ``out`` (Parquet). Raises :class:`NotDirect` for an input
    DuckDB does not read (evaluate it the usual way).

    ``mask(entity, message)``: the message as written to ``out`` (the report layer's masking of
    personal values; called once per distinct message); ``metadata``: key-value pairs written into
    the Parquet file's metadata."""
    import duckdb

    as_of = as_of or dt.date.today()
    location = str(location)
    input_kind(location)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    limit = memory_limit or os.environ.get(MEMORY_ENV) or MEMORY_LIMIT
    con = connect()
    # the decided codes and the rows decided in Python, as files (see _written): dropped at the end
    spill = Path(tempfile.mkdtemp(prefix="layanan-rules-scan-"))
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        # a bound, so that memory stays flat as the data grows: beyond it DuckDB spills to disk
        con.execute(f"SET memory_limit = {_q(limit)}")
        con.execute(f"SET temp_directory = {_q(tempfile.gettempdir())}")
        source = _Source(con, location, options)
        by_entity = ruleset.in_force_by_entity(as_of)
        plans = plan_entities(ruleset, by_entity, as_of, source)
        seconds["plan"] = time.perf_counter() - t0
        rule_ids = [r.id for r in ruleset.rules]
        rule_index = {rid: i for i, rid in enumerate(rule_ids)}
        parts: list[str] = []
        sql_records: dict[str, int] = {}
        by_index: dict[int, dict[str, int]] = {}
        write_parts: list[tuple[int, str, str, str, str]] = []
        bad_rows: dict[str, list[int]] = {}
        records: dict[str, int] = {}
        t = time.perf_counter()
        for entity, plan in sorted(plans.items(), key=lambda ep: _depth(ep[0])):  # children before parents
            if plan.compiled is None:
                continue
            n, bad = _direct_entity(con, source, entity, plan.compiled, plan.typed, rule_index, as_of, ruleset,
                                    plan.relations, by_index, write_parts, plan.gates, plan.feeds, spill=spill)
            parts.append(f'SELECT * FROM "__f_{entity}"')
            sql_records[entity] = n - len(bad)
            records[entity] = n
            bad_rows[entity] = bad
        seconds["sql"] = time.perf_counter() - t
        _children_for(plans, bad_rows)
        t = time.perf_counter()
        python_rules = {e: "; ".join(f"{r.id}: {why}" for r, why in p.python_rules) for e, p in plans.items()
                        if p.python_rules}
        deduped = _python_by_value(con, source, ruleset, plans, rule_index, as_of, records)
        for entity in deduped:
            plans[entity] = attrs.evolve(plans[entity], python_rules=(), python_fields=frozenset())
            parts.append(f'SELECT * FROM "__f_value_{entity}"')
        issues, python_records = _python_part(con, source, ruleset, plans, bad_rows, rule_index, as_of, records)
        for entity, (n, _v) in deduped.items():
            python_records[entity] = python_records.get(entity, 0) + n
        if "__f_python" in _tables(con):
            parts.append('SELECT * FROM "__f_python"')
        seconds["python"] = time.perf_counter() - t
        t = time.perf_counter()
        con.execute(f"CREATE TEMP VIEW __findings AS {' UNION ALL '.join(parts) if parts else _EMPTY_FINDINGS}")
        counts: dict[str, dict[str, int]] = {rule_ids[ri]: c for ri, c in by_index.items() if c}
        python_tables = [f'"__f_value_{e}"' for e in deduped] + (['"__f_python"'] if "__f_python" in _tables(con) else [])
        for rule, state, n in con.execute(
                "SELECT rule, CASE code WHEN 0 THEN 'pass' WHEN 1 THEN 'fail' WHEN 2 THEN 'not_applicable' "
                "ELSE 'error' END AS state, count(*) FROM (" + " UNION ALL ".join(
                    f"SELECT rule, code FROM {t}" for t in python_tables) + ") GROUP BY ALL").fetchall() \
                if python_tables else ():
            c = counts.setdefault(rule_ids[rule], {})
            c[state] = c.get(state, 0) + n
        counts = {rid: counts[rid] for rid in rule_ids if rid in counts}
        findings = None
        if out is not None:
            findings = Path(out)
            # the repeated texts as ENUMs: written as Parquet dictionaries directly (about 15 % of the writing)
            for name, values in (("rule_id", rule_ids), ("entity", [r.entity for r in ruleset.rules]),
                                 ("state", ["pass", "fail", "not_applicable", "error"]),
                                 ("severity", [r.severity.value for r in ruleset.rules])):
                con.execute(f"CREATE TYPE __{name} AS ENUM ({', '.join(_q(v) for v in dict.fromkeys(values))})")

            masked = mask is not None and _masked_messages(con, mask, [r.entity for r in ruleset.rules])
            kv = ""
            if metadata:
                kv = ", KV_METADATA {" + ", ".join(f"{_q(k)}: {_q(v)}" for k, v in metadata.items()) + "}"
            query = _written(con, ruleset, write_parts, python_tables, masked, spill)
            # one thread writes: a parallel COPY that keeps the rows' order holds every batch that is
            # ready before its turn (measured at 100k/1M: peak 826 MB against 396 MB with one thread,
            # which costs no more CPU); one thread runs the UNION's parts in the order written
            con.execute("SET threads = 1")
            con.execute(f"COPY ({query}) TO {_q(str(findings))} (FORMAT parquet, {WRITE_OPTIONS}{kv})")
        seconds["write"] = time.perf_counter() - t
    except duckdb.OutOfMemoryException as exc:
        raise OutOfMemory(
            f"DuckDB kehabisan memori (batas {limit}, {MEMORY_ENV}) pada langkah yang tidak dapat ditulis ke "
            f"disk; naikkan batasnya (mis. {MEMORY_ENV}=4GB), pakai Parquet sebagai masukan, atau --engine "
            f"python / DuckDB ran out of memory (limit {limit}, {MEMORY_ENV}) in a step it cannot spill to "
            f"disk; raise the limit (e.g. {MEMORY_ENV}=4GB), give Parquet as input, or use --engine python "
            f"({' '.join(str(exc).split())[:120]})") from None
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    seconds["total"] = time.perf_counter() - t0
    python_rules = {e: why for e, why in python_rules.items() if e in records}
    return Scan(counts, records, sql_records, python_records, python_rules, issues, findings, seconds,
                {e: v for e, (_n, v) in deduped.items()})


def _depth(entity: str) -> int:
    """How many levels of children ``entity`` has (0: none): a child's SQL pass builds its parents'
    lists of it (:class:`.source.Feed`), so it runs first."""
    from layanan_rules import model

    return max((1 + _depth(c) for c, _fk, p, _f in model.RELATIONS if p == entity and c != entity), default=0)


def _written(con: Any, ruleset: Ruleset, write_parts: list[tuple[int, str, str, str, str]], python_tables: list[str],
             masked: bool, spill: Path) -> str:
    """The query of the findings rows as written, in a deterministic order: the rules in the
    ruleset's order (as the Python engine gives its findings), and within a rule first the rows
    DuckDB decided, in input order, then the rows decided in Python, in input order (ties, several
    records of one JSON line, by the rest of the row). On input DuckDB reads whole (no record given
    up) that is the Python engine's order; two runs over the same input write the same bytes.

    One scan gives that order: the files of the decided codes (``__d_<entity>.parquet`` in
    ``spill``, :func:`.direct._direct_entity`) read once per rule of theirs, and each rule's rows
    decided in Python (a file each, ``__p<rule>.parquet``), as one list of files in the order
    written (``read_parquet([...])``: one thread reads them one after the other, in order). The
    part a row belongs to is its ``file_index``. Not a ``UNION ALL`` of one query per rule: a COPY
    on one thread interleaves the parts by row groups (DuckDB 2.0; measured at 100k/1M: a rule's
    rows spread over 2.1 M rows of the file, with the next rules' rows among them), and on two
    threads the COPY holds the batches ready before their turn (1.1 GB at 1M/10M).

    The rule's texts are ENUM constants picked by the part and the state an ENUM constant chosen by
    the code, so no text is cast to an ENUM per row. With ``masked``, a message is looked up in a
    map of the masked ones (``__masked``), cross-joined beside the rows (one row: the rows keep
    their order, which a join would not)."""
    states = " ".join(f"WHEN {{s}} = {c} THEN {_q(v)}::__state" for c, v in enumerate(("pass", "fail", "not_applicable")))
    py_rules: list[int] = []
    if python_tables:  # sorted once, then a file per rule (row groups skipped by their bounds)
        everything = str(spill / "__f_sorted.parquet")
        con.execute('COPY (SELECT * FROM (' + " UNION ALL ".join(
            f'SELECT rule, "__i", entity_id, code, reason, message FROM {t}' for t in python_tables)
            + f') ORDER BY rule, "__i", entity_id, code, reason, message) TO {_q(everything)} (FORMAT parquet, '
            f'{SPILL_OPTIONS})')
        py_rules = [r for (r,) in con.execute(f"SELECT DISTINCT rule FROM read_parquet({_q(everything)}) "
                                              "ORDER BY rule").fetchall()]
        for ri in py_rules:
            # the id as "__id", the decided codes' name: one column of every file, NULL only where
            # one of them has a NULL (then written as such, as from one query per rule)
            con.execute(f'COPY (SELECT * EXCLUDE (entity_id), entity_id AS "__id" FROM read_parquet({_q(everything)}) '
                        f"WHERE rule = {ri}) TO "
                        f"{_q(str(spill / f'__p{ri}.parquet'))} (FORMAT parquet, {SPILL_OPTIONS})")
    mm = (" CROSS JOIN (SELECT map(list(CAST(rule AS VARCHAR) || '|' || message), list(masked)) AS m "
          'FROM __masked) AS "__mm"') if masked else ""

    def message(ri: int, msg: str) -> str:
        if not masked:
            return msg
        return f'CASE WHEN ({msg}) IS NULL THEN NULL ELSE coalesce("__mm".m[{_q(f"{ri}|")} || ({msg})], {msg}) END'

    sql_part = {ri: (table, s, reason, msg) for ri, table, s, reason, msg in write_parts}
    files: list[str] = []
    #: per column written: the SQL of each part (file) in order
    cols: dict[str, list[str]] = {c: [] for c in ("rule_id", "entity", "entity_id", "state", "severity", "reason",
                                                  "message")}
    for ri, rule in enumerate(ruleset.rules):
        for kind in ("sql", "python"):
            if kind == "sql" and ri in sql_part:
                table, s, reason, msg = sql_part[ri]
                files.append(str(spill / f"{table}.parquet"))
                # the reason's and message's SQL read the file's columns unqualified
                cols["entity_id"].append('f."__id"')
                cols["state"].append(f"CASE {states.format(s=f'f.{s}')} ELSE 'error'::__state END")
                cols["reason"].append(reason)
                cols["message"].append(message(ri, msg))
            elif kind == "python" and ri in py_rules:
                files.append(str(spill / f"__p{ri}.parquet"))
                cols["entity_id"].append('f."__id"')
                cols["state"].append(f"CASE {states.format(s='f.code')} ELSE 'error'::__state END")
                cols["reason"].append("f.reason")
                cols["message"].append(message(ri, "f.message"))
            else:
                continue
            cols["rule_id"].append(f"{_q(rule.id)}::__rule_id")
            cols["entity"].append(f"{_q(rule.entity)}::__entity")
            cols["severity"].append(f"{_q(rule.severity.value)}::__severity")
    if not files:
        return ("SELECT NULL::__rule_id AS rule_id, NULL::__entity AS entity, NULL::VARCHAR AS entity_id, "
                "NULL::__state AS state, NULL::__severity AS severity, NULL::VARCHAR AS reason, "
                'NULL::VARCHAR AS message, NULL::BIGINT AS "row" WHERE false')

    def pick(parts: list[str]) -> str:
        """The part's SQL by the row's file (one arm per part; the file index is one value per batch).
        The last part is the ELSE: no arm gives NULL, so a column of values never NULL is written
        as such (``REQUIRED``, as from one query per rule)."""
        if len(set(parts)) == 1:
            return parts[0]
        return ("CASE f.file_index " + " ".join(f"WHEN {j} THEN {p}" for j, p in enumerate(parts[:-1]))
                + f" ELSE {parts[-1]} END")

    names = ", ".join(f"{pick(parts)} AS {name}" for name, parts in cols.items())
    # a decided row DuckDB gave up on (``__py``) is not written from here; a Python row has no ``__py``
    where = ' WHERE f."__py" IS DISTINCT FROM true' if sql_part else ""
    return (f'SELECT {names}, f."__i" + 1 AS "row" FROM read_parquet([{", ".join(_q(x) for x in files)}], '
            f'union_by_name = true) f{mm}{where}')


def _masked_messages(con: Any, mask: Callable[[str, str], str], entities: list[str]) -> bool:
    """``__masked`` (rule, message, masked): the messages ``mask`` changes; whether there is one.
    Messages are few (errors, decided per distinct text), so this is one pass over the findings."""
    import pyarrow as pa

    rows = [(ri, m, mask(entities[ri], m)) for ri, m in con.execute(
        "SELECT DISTINCT rule, message FROM __findings WHERE message IS NOT NULL").fetchall()]
    rows = [r for r in rows if r[2] != r[1]]
    if not rows:
        return False
    table = pa.table({"rule": pa.array([r[0] for r in rows], pa.int32()),
                      "message": pa.array([r[1] for r in rows], pa.string()),
                      "masked": pa.array([r[2] for r in rows], pa.string())})
    con.register("__masked_arrow", table)
    con.execute('CREATE TEMP TABLE __masked AS SELECT * FROM "__masked_arrow"')
    con.unregister("__masked_arrow")
    return True
