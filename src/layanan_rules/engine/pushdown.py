"""Pushdown: the rules that compile to SQL run inside the source database, as read-only queries.

Why: with a database source every row used to travel to Python to be judged there. Here each
entity's SQL rules run in the database over the table (or query) the adapter's mapping names;
what comes back is each row's key and one small state code per rule (with the error text of an
``error``), and full rows only where Python still needs them.

How, per entity (:func:`read`):

* a top-level field the mapping gives a column of a **native type the converter takes as it
  is** (text, integers, ``float8``, ``boolean``, ``date``, ``timestamp[tz]``; an enum from text
  spelled as a member) is bound to that column; a field the source has no column for is a typed
  NULL (the Python side sees it absent, the same). Anything else (text holding dates or amounts
  the converter parses, JSON, nested or list fields) has no binding, and the rules reading it
  run in Python;
* every bound column carries a **clean** test: the rows whose value the converter would change
  (text with white space at an end, an enum spelled loosely, a date outside Python's range) are
  decided in Python from the full row, like the records with unreadable fields of the DuckDB back
  end. So nothing is decided differently from ``--engine python``; a test holds it to that;
* rows come back in full where a rule runs in Python, where a state is not ``pass`` /
  ``not_applicable`` (the report's evidence is built from them) or a row is not clean; the other
  rows come back as their key and link fields only (``id``, ``*_id``, ``nama``, ``wilayah``:
  what the report rolls scores up by). An entity read through a relation by a rule of another
  entity (``unit.layanan``) is read in full.

What the database needs: a dialect the compiler writes (``postgres``). SQLite and MariaDB have
no compiled form yet: with them every row is read and judged in Python (the report says so).
The adapter supplies the database side through :class:`Database` (the SQL plugin does).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

import attrs

from layanan_rules import model
from layanan_rules.data.adapters import AdapterError, RawRecord
from layanan_rules.data.dataset import Dataset, Record
from layanan_rules.engine import evaluation, sql
from layanan_rules.engine.states import Block, State
from layanan_rules.model.bulk import paused_gc
from layanan_rules.rules.ruleset import Rule, Ruleset, leaf_reads

#: the fields a row that comes back without its values still carries (scores roll up by them)
THIN_FIELDS = ("id", "nama", "wilayah")
#: state codes of the pushed query (as engine.sql's, plus: decide this row in Python)
_PYTHON = 9


class PushdownUnavailable(RuntimeError):
    """``--engine pushdown`` on a source that cannot run queries (a file, an API)."""


@attrs.frozen
class Table:
    """One entity's source as the database sees it."""

    entity: str
    #: the SELECT the adapter reads the entity with, in the database's SQL (no ORDER BY needed)
    select: str
    #: key column (unique per row): provenance and the matching of states to rows; None: no pushdown
    key: str | None
    #: top-level field -> (column, database type name in lower case) of the columns mapped to it
    columns: Mapping[str, tuple[str, str]]


class Database(Protocol):
    """What an adapter offers for pushdown (``layanan_rules_sql.adapter.SqlAdapter``)."""

    #: the compiler dialect of the database (``postgres``), None when it has none
    pushdown_dialect: str | None

    def pushdown_tables(self) -> list[Table]:
        """The entities the source holds, as :class:`Table` s."""

    def pushdown_rows(self, sql: str) -> Iterator[tuple[Any, ...]]:
        """Run ``sql`` in a read-only transaction, rows streamed."""

    def pushdown_records(self, entity: str, keys: Collection[Any] | None) -> Iterator[RawRecord]:
        """The entity's rows read as the adapter always reads them: all, or those with ``keys``."""

    def pushdown_thin(self, entity: str, key: Any, values: Mapping[str, Any]) -> RawRecord:
        """A record of the row with key ``key`` holding only ``values`` (field -> column value)."""


# --- binding fields to columns --------------------------------------------------------------------------------

_WS = "".join(chr(c) for c in range(0x3000 + 1) if chr(c).isspace())  # what str.strip() removes (<= U+3000)
_TEXT = ("text", "character varying", "varchar", "name")
_INTS = ("smallint", "integer", "bigint", "int2", "int4", "int8")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in_range(c: str) -> str:
    return f"({c} >= DATE '0001-01-01' AND {c} < DATE '9999-12-31')"


def _binding(field_type: Any, raw: Any, column: str, db_type: str, zone: str) -> tuple[str, str] | None:
    """(SQL of the field's value, SQL of "the converter takes this value as it is") for a column
    of ``db_type``; None when the column cannot stand for the field."""
    c = _q(column)
    k = field_type.kind
    if raw is not None and raw.enum is not None:  # an enum: text spelled as a member's name or value
        if db_type not in _TEXT:
            return None
        enum_cls: Any = raw.enum
        members = [(m.name, str(m.value)) for m in enum_cls]
        if not members:
            return None
        cases = " ".join(f"WHEN {_lit(n)} THEN {_lit(v)} WHEN {_lit(v)} THEN {_lit(v)}" for n, v in members)
        spelled = ", ".join(sorted({_lit(x) for pair in members for x in pair}))
        return f"CASE {c} {cases} END", f"({c} IS NULL OR {c} = '' OR {c} IN ({spelled}))"
    if k == "string":
        if db_type in _INTS:
            return f"CAST({c} AS TEXT)", "TRUE"
        if db_type not in _TEXT:
            return None
        ws = ", ".join(_lit(ch) for ch in _WS)
        return (f"NULLIF({c}, '')",
                f"({c} IS NULL OR {c} = '' OR (LEFT({c}, 1) NOT IN ({ws}) AND RIGHT({c}, 1) NOT IN ({ws})))")
    if k == "int" and db_type in _INTS:
        return f"CAST({c} AS BIGINT)", "TRUE"
    if k == "double" and db_type in ("double precision", "float8"):
        return c, "TRUE"
    if k == "bool" and db_type in ("boolean", "bool"):
        return c, "TRUE"
    if k == "date":
        if db_type == "date":
            return c, f"({c} IS NULL OR {_in_range(c)})"
        if db_type in ("timestamp with time zone", "timestamptz"):
            local = f"({c} AT TIME ZONE {_lit(zone)})"
            return f"CAST({local} AS DATE)", f"({c} IS NULL OR {_in_range(local)})"
        if db_type in ("timestamp without time zone", "timestamp"):
            return f"CAST({c} AS DATE)", f"({c} IS NULL OR {_in_range(c)})"
        return None
    if k == "timestamp":
        if db_type in ("timestamp with time zone", "timestamptz"):
            return c, f"({c} IS NULL OR {_in_range(f'({c} AT TIME ZONE {_lit(zone)})')})"
        if db_type in ("timestamp without time zone", "timestamp"):
            return f"({c} AT TIME ZONE {_lit(zone)})", f"({c} IS NULL OR {_in_range(c)})"
        if db_type == "date":
            return f"(CAST({c} AS TIMESTAMP) AT TIME ZONE {_lit(zone)})", f"({c} IS NULL OR {_in_range(c)})"
    return None


# --- planning ---------------------------------------------------------------------------------------------------


@attrs.frozen
class EntityPlan:
    """How one entity is decided: the rules in the database (with their programs), the rest."""

    table: Table
    sql_rules: tuple[Rule, ...]
    programs: tuple[tuple[Any, Any], ...]
    python_rules: tuple[tuple[Rule, str], ...]
    #: field -> (value SQL, clean SQL) of the bound columns
    bound: Mapping[str, tuple[str, str]]
    #: Python rules whose ``when`` alone compiles: (rule, when program); a row where it is false
    #: is ``not_applicable`` without coming back, the others come back whole for Python
    gates: tuple[tuple[Rule, Any], ...] = ()


def _fields(entity: str) -> tuple[dict[str, Any], dict[str, Any]]:
    from layanan_rules.expr.sql.values import enum_as_string
    from layanan_rules.expr.types import attrs_fields

    raw = dict(attrs_fields(model.ENTITIES[entity]))
    return {n: enum_as_string(t) for n, t in raw.items()}, raw


def _params_row(ruleset: Ruleset, dialect: str) -> Any:
    from layanan_rules.expr.sql import Row, literal
    from layanan_rules.expr.types import attrs_fields

    params = ruleset.params

    def plain(v: Any) -> Any:
        return v.value if isinstance(v, enum.Enum) else v

    cls: Any = type(params)
    fields = dict(attrs_fields(cls))
    from layanan_rules.expr.sql.values import enum_as_string

    return Row({n: literal(plain(getattr(params, n)), enum_as_string(t), dialect) for n, t in fields.items()},
               consts={n: plain(getattr(params, n)) for n in fields})


def plan_entity(ruleset: Ruleset, table: Table, rules: Sequence[Rule], as_of: dt.date, dialect: str,
                zone: str = "Asia/Jakarta") -> EntityPlan:
    """Which of ``rules`` run in the database over ``table``, and why the others do not."""
    from sqlglot import exp

    from layanan_rules.expr import ExprErrors
    from layanan_rules.expr import sql as esql
    from layanan_rules.expr.types import from_py
    from layanan_rules.rules.ruleset import declarations

    types, raws = _fields(table.entity)
    bound: dict[str, tuple[str, str]] = {}
    fields: dict[str, Any] = {}
    for name, t in types.items():
        if name in table.columns:
            column, db_type = table.columns[name]
            got = _binding(t, raws[name], column, db_type, zone)
            if got is not None:
                bound[name] = got
                fields[name] = exp.column("f:" + name, quoted=True)  # the inner query's column
        elif t.kind not in ("list", "map", "obj", "dyn"):
            try:
                fields[name] = esql.values.typed_null(t, dialect)  # no column: absent in Python too
            except esql.NoSqlForm:
                pass
    bindings = {table.entity: esql.Row(fields), "param": _params_row(ruleset, dialect),
                "as_of": esql.literal(as_of, from_py(dt.date), dialect)}
    sql_rules, programs, python_rules = [], [], []
    gates: list[tuple[Rule, Any]] = []
    decls_cache: dict[str, Any] = {}
    for rule in rules:
        if table.key is None:
            python_rules.append((rule, "sumber tanpa kolom kunci / the source has no key column"))
            continue
        decls = decls_cache.setdefault(rule.entity, declarations(rule.entity, type(ruleset.params)))
        try:
            progs: list[Any] = []
            for part, prog in (("when", rule.when), ("require", rule.require)):
                if prog is None:
                    progs.append(None)
                    continue
                p = esql.compile(prog.source, decls, ruleset.functions, dialect=dialect, bindings=bindings)
                if p.type.kind not in ("bool", "null"):
                    raise esql.NoSqlForm(f"{part} tidak terbukti bernilai boolean / {part} is not provably a boolean")
                progs.append(p)
        except esql.NoSqlForm as e:
            python_rules.append((rule, e.reason))
        except (ExprErrors, RecursionError) as e:
            python_rules.append((rule, f"tidak terkompilasi ke SQL / did not compile to SQL: {e}"))
        else:
            sql_rules.append(rule)
            programs.append((progs[0], progs[1]))
            continue
        if rule.when is not None:  # Python decides the rule; the database can still say where it applies
            try:
                w = esql.compile(rule.when.source, decls, ruleset.functions, dialect=dialect, bindings=bindings)
            except (esql.NoSqlForm, ExprErrors, RecursionError):
                continue
            if w.type.kind == "bool":
                gates.append((rule, w))
    return EntityPlan(table, tuple(sql_rules), tuple(programs), tuple(python_rules), bound, tuple(gates))


def query(plan: EntityPlan, dialect: str, link_columns: Sequence[str]) -> str:
    """The SELECT giving, per row ordered by key: the key, ``link_columns``, a state code and an
    error text per SQL rule (code 9: the row is not clean, decide it in Python), then a code per
    gate (2: its ``when`` is false)."""
    from layanan_rules.expr.sql import context_join

    table = plan.table
    assert table.key is not None
    ctes: dict[str, str] = {}
    context: dict[str, Any] = {}
    inner, outer = [], []
    for k, (when, require) in enumerate(plan.programs):
        for p in (when, require):
            if p is None:
                continue
            context.update(p.context)
            for name, (columns, rows) in p.tables.items():
                if name not in ctes:
                    ctes[name] = _values_cte(name, columns, rows(), dialect)
        cols, arms, err = sql.state_sql(k, when, require)
        inner += cols
        outer.append(f"CASE WHEN NOT __clean THEN {_PYTHON} {arms} END AS s{k}, {err} AS e{k}")
    for j, (_rule, w) in enumerate(plan.gates):
        context.update(w.context)
        for name, (columns, rows) in w.tables.items():
            if name not in ctes:
                ctes[name] = _values_cte(name, columns, rows(), dialect)
        inner.append(f"({w.value_sql()}) AS g{j}v, ({w.error_sql()}) AS g{j}e")
        outer.append(f"CASE WHEN NOT __clean THEN {_PYTHON} WHEN g{j}e IS NOT NULL THEN 3 WHEN g{j}v IS NULL THEN 4 "
                     f"WHEN NOT g{j}v THEN 2 ELSE 0 END AS g{j}")
    clean = " AND ".join(c for _v, c in plan.bound.values() if c != "TRUE") or "TRUE"
    # the key must read as the same id the Python side sees: a blank or missing id is the careful path
    idc = plan.bound.get("id")
    if idc is not None:
        clean = f"({clean}) AND {idc[0]} IS NOT NULL"
    # values are NULL in a row that is not clean, so no function meets a value it was not written for.
    # Each level ends in OFFSET 0, which keeps PostgreSQL from pulling it up into the next: pulled
    # up, every reference to a bound value or a rule's value copies its whole expression (the
    # clean test into every field read, a rule's value into each CASE arm), and planning one
    # entity's query took gigabytes
    cols = [f"CASE WHEN __clean THEN {v} END AS {_q('f:' + f)}" for f, (v, _c) in plan.bound.items()]
    src = (f"SELECT {_q(table.key)} AS __k, {', '.join([*(_q(c) + ' AS ' + _q('l:' + c) for c in link_columns)])}"
           f"{', ' if link_columns else ''}__clean{', ' if cols else ''}{', '.join(cols)} "
           f"FROM (SELECT *, ({clean}) AS __clean FROM ({table.select}) AS __src OFFSET 0) AS __c OFFSET 0")
    inner_sql = ", ".join(inner)
    links = "".join(f", {_q('l:' + c)}" for c in link_columns)
    with_ = ("WITH " + ", ".join(ctes.values()) + " ") if ctes else ""
    outers = ", ".join(outer) if outer else "NULL AS s_none"
    return (f"{with_}SELECT __k{links}, {outers} FROM (SELECT __k{links}, __clean{', ' if inner_sql else ''}{inner_sql} "
            f"FROM ({src}) AS __b {context_join(context, dialect)} OFFSET 0) AS __r ORDER BY __k")


def _values_cte(name: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]], dialect: str) -> str:
    from layanan_rules.expr.sql.dialects import SCALAR_TYPES

    cols = ", ".join(_q(c) for c, _t in columns)
    pg_types = [_pg_type(t, SCALAR_TYPES[dialect]) for _c, t in columns]
    values = []
    for row in rows:
        values.append("(" + ", ".join(_sql_value(v, t) for v, t in zip(row, pg_types)) + ")")
    if not values:
        nulls = ", ".join(f"CAST(NULL AS {t})" for t in pg_types)
        return f"{_q(name)}({cols}) AS (SELECT {nulls} WHERE FALSE)"
    return f"{_q(name)}({cols}) AS (VALUES {', '.join(values)})"


def _pg_type(duck_type: str, _types: Mapping[str, str]) -> str:
    t = duck_type.upper()
    return {"VARCHAR": "TEXT", "UTINYINT": "SMALLINT", "HUGEINT": "NUMERIC", "DOUBLE": "DOUBLE PRECISION"}.get(t, t)


def _sql_value(v: Any, t: str) -> str:
    if v is None:
        return f"CAST(NULL AS {t})"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return f"CAST({v!r} AS {t})"
    if isinstance(v, dt.date):
        return f"CAST({_lit(v.isoformat())} AS {t})"
    return f"CAST({_lit(str(v))} AS {t})"


# --- reading and deciding -------------------------------------------------------------------------------------


@attrs.frozen
class Decided:
    """The database's states: per entity, its plan and key (as text) -> (codes, error texts)."""

    plans: Mapping[str, EntityPlan]
    codes: Mapping[str, Mapping[str, tuple[tuple[int, ...], tuple[str | None, ...]]]]
    #: entity -> rows that came back as keys and link fields only
    thin: Mapping[str, int]
    #: entity -> the keys of those rows (a gated Python rule does not apply to them)
    thin_keys: Mapping[str, set[str]] = attrs.field(factory=dict)


def _relation_targets(ruleset: Ruleset) -> set[str]:
    """Entities a rule of another entity reads through a relation (``unit.layanan``)."""
    out: set[str] = set()
    for rule in ruleset.rules:
        cls = model.ENTITIES.get(rule.entity)
        if cls is None:
            continue
        relations = {f.name for f in attrs.fields(cls) if model.is_relation(f)}
        for path in leaf_reads(rule, rule.entity):
            head = path.split(".", 1)[0]
            if head in relations:
                out.add(head)
    # a rule reading every field of its record (no leaf known) is left alone: read in full
    return out


def read(ruleset: Ruleset, db: Database, as_of: dt.date, *, full: bool = False) -> tuple[Iterator[RawRecord], Decided]:
    """The records to build the Dataset from, and the database's states (filled as they come).

    ``full``: every row comes back whole (``--evidence all`` needs every value)."""
    dialect = db.pushdown_dialect
    if dialect is None:
        raise PushdownUnavailable("no dialect")
    by_entity = ruleset.in_force_by_entity(as_of)
    through = _relation_targets(ruleset)
    tables = db.pushdown_tables()
    plans: dict[str, EntityPlan] = {}
    codes: dict[str, dict[str, tuple[tuple[int, ...], tuple[str | None, ...]]]] = {}
    thin: dict[str, int] = {}
    thin_keys: dict[str, set[str]] = {}
    for table in tables:
        rules = by_entity.get(table.entity, [])
        if rules:
            plans[table.entity] = plan_entity(ruleset, table, rules, as_of, dialect)

    def records() -> Iterator[RawRecord]:
        for table in tables:
            plan = plans.get(table.entity)
            if plan is None or not (plan.sql_rules or plan.gates):
                yield from db.pushdown_records(table.entity, None)
                continue
            gated = {id(r) for r, _w in plan.gates}
            whole = full or any(id(r) not in gated for r, _why in plan.python_rules) or table.entity in through
            links = [table.columns[f][0] for f in _link_fields(table)]
            got: dict[str, tuple[tuple[int, ...], tuple[str | None, ...]]] = {}
            need: list[Any] = []
            order: list[tuple[Any, tuple[Any, ...]]] = []
            n = len(plan.sql_rules)
            for row in db.pushdown_rows(query(plan, dialect, links)):
                key, link_values, rest = row[0], row[1:1 + len(links)], row[1 + len(links):]
                states = tuple(rest[0:2 * n:2])
                texts = tuple(rest[1:2 * n:2])
                gate_codes = rest[2 * n:]
                skey = str(key)
                if skey in got:  # a key seen twice: states cannot be matched to rows; all in Python
                    got.clear()
                    whole = True
                    break
                got[skey] = (states, texts)
                if not whole:
                    if any(s not in (0, 2) for s in states) or any(g != 2 for g in gate_codes):
                        need.append(key)
                    else:
                        order.append((key, link_values))
            codes[table.entity] = got
            if whole:
                yield from db.pushdown_records(table.entity, None)
                continue
            fields = _link_fields(table)
            full_rows = {r.provenance.key: r for r in db.pushdown_records(table.entity, need)} if need else {}
            thin[table.entity] = len(order)
            wanted = set(map(str, need))
            thin_rows = {str(k): v for k, v in order}
            thin_keys[table.entity] = set(thin_rows)
            for key in got:  # the database's order (by key), full or thin
                if key in wanted:
                    rec = full_rows.get(key)
                    if rec is None:
                        raise AdapterError(
                            f"{table.entity}: baris berkunci {key!r} hilang di antara dua query (data berubah saat "
                            f"dibaca); ulangi / the row with key {key!r} vanished between two queries (the data "
                            f"changed while being read); run again", entity=table.entity)
                    yield rec
                else:
                    values = thin_rows[key]
                    yield db.pushdown_thin(table.entity, key, dict(zip(fields, values)))

    return records(), Decided(plans, codes, thin, thin_keys)


def _link_fields(table: Table) -> list[str]:
    return [f for f in table.columns if f in THIN_FIELDS or f.endswith("_id")]


def run(ruleset: Ruleset, ds: Dataset, decided: Decided, as_of: dt.date) -> evaluation.Results:
    """:func:`layanan_rules.engine.run` with the database's states for the rules it decided."""

    def entity_states(rules: list[Rule], records: Any, params: Any, day: dt.date,
                      cost: tuple[int, float]) -> dict[int, Block]:
        return _entity(decided, rules, records, params, day, cost)

    with paused_gc():
        blocks, skipped = evaluation.evaluate(ruleset, ds, as_of, entity_states)
    return evaluation.Results(ruleset, ds, as_of, blocks, skipped)


def _entity(decided: Decided, rules: list[Rule], records: Any, params: Any, as_of: dt.date,
            cost: tuple[int, float]) -> dict[int, Block]:
    records = tuple(records)
    entity = rules[0].entity
    plan = decided.plans.get(entity)
    codes = decided.codes.get(entity, {})
    pushed = {id(r): k for k, r in enumerate(plan.sql_rules)} if plan is not None and codes else {}
    in_sql = [r for r in rules if id(r) in pushed]
    in_python = [r for r in rules if id(r) not in pushed]
    out: dict[int, Block] = {}
    thin = decided.thin_keys.get(entity, set())
    if in_python and thin:  # gated rules: not applicable on the rows that stayed in the database
        whole = [i for i, rec in enumerate(records) if rec.provenance.key not in thin]
        gated = evaluation.evaluate_entity(in_python, [records[i] for i in whole], params, as_of, cost)
        at = {i: j for j, i in enumerate(whole)}
        for rule in in_python:
            _r, _recs, st, er = gated[id(rule)]
            out[id(rule)] = (rule, records,
                             [st[at[i]] if i in at else State.not_applicable for i in range(len(records))],
                             {i: er[at[i]] for i in at if at[i] in er})
    elif in_python:
        out.update(evaluation.evaluate_entity(in_python, records, params, as_of, cost))
    if not in_sql:
        return out
    careful: list[int] = []
    found: list[tuple[tuple[int, ...], tuple[str | None, ...]] | None] = []
    for i, rec in enumerate(records):
        got = codes.get(rec.provenance.key) if rec.provenance.key is not None else None
        if got is None or rec.obj is None or rec.problems or _PYTHON in got[0]:
            careful.append(i)
            found.append(None)
        else:
            found.append(got)
    rest: dict[int, Block] = {}
    if careful:
        rest = evaluation.evaluate_entity(in_sql, [records[i] for i in careful], params, as_of, cost)
    pos = {i: j for j, i in enumerate(careful)}
    for rule in in_sql:
        k = pushed[id(rule)]
        states: list[State] = []
        errors: dict[int, tuple[Any, Any]] = {}
        block = rest.get(id(rule))
        for i, got in enumerate(found):
            if got is None:
                assert block is not None
                j = pos[i]
                states.append(block[2][j])
                if j in block[3]:
                    errors[i] = block[3][j]
                continue
            code = got[0][k]
            states.append(sql.STATES[code])
            if code >= 3:
                errors[i] = sql.error_outcome(code, got[1][k])
        out[id(rule)] = (rule, records, states, errors)
    return out


def records_of(ds: Dataset, entity: str) -> list[Record]:
    """The records of one entity (a small helper for tests and the bench)."""
    return list(ds.records.get(entity, ()))


#: said in the report when the source cannot run the rules itself
NOT_PUSHED = ("pushdown: sumber ini tidak dapat menjalankan aturan (hanya PostgreSQL); semua baris dibaca dan dinilai "
              "di Python / pushdown: this source cannot run the rules (PostgreSQL only); every row was read and judged "
              "in Python")


def read_source(ruleset: Ruleset, location: str, pm: Any, as_of: dt.date, *, adapter: str | None = None,
                options: dict[str, Any] | None = None, full: bool = False) -> tuple[Dataset, Decided | None]:
    """Read ``location`` with the rules pushed into it: the Dataset (full rows where Python needs
    them, key and link fields elsewhere) and the database's states; ``None`` states when the
    adapter cannot push down (then every row was read as usual)."""
    from layanan_rules.data import sources

    box: dict[str, Decided] = {}

    def reader(instance: Any) -> Iterable[RawRecord] | None:
        if getattr(instance, "pushdown_dialect", None) is None:
            return None
        recs, decided = read(ruleset, instance, as_of, full=full)
        box["decided"] = decided
        return recs

    ds = sources.read(location, pm, adapter=adapter, options=options, pushdown=reader)
    return ds, box.get("decided")


def evaluate_source(ruleset: Ruleset, location: str, pm: Any, as_of: dt.date, *, adapter: str | None = None,
                    options: dict[str, Any] | None = None, full: bool = False) -> tuple[evaluation.Results, list[str]]:
    """:func:`read_source` then :func:`run` (or the Python engine when nothing was pushed); the
    results and the notes to show (what was decided where)."""
    ds, decided = read_source(ruleset, location, pm, as_of, adapter=adapter, options=options, full=full)
    if decided is None:
        return evaluation.run(ruleset, ds, as_of=as_of), [NOT_PUSHED]
    return run(ruleset, ds, decided, as_of), [summary(decided)]


def summary(decided: Decided) -> str:
    """One line: how many rules ran in the database, how many rows came back whole."""
    pushed = sum(len(p.sql_rules) for p in decided.plans.values())
    python = sum(len(p.python_rules) for p in decided.plans.values())
    thin = sum(decided.thin.values())
    return (f"pushdown: {pushed} aturan dijalankan di basis data, {python} di Python; {thin} baris lulus kembali tanpa "
            f"nilainya / {pushed} rules ran in the database, {python} in Python; {thin} passing rows came back "
            f"without their values")
