"""The input as DuckDB reads it: which files / lines hold which entity (:class:`_Source`), the
typed columns of the fields the SQL rules read (:mod:`layanan_rules.engine.columns`), each entity's
rows with ``__py`` (DuckDB cannot read the record as the model does) and the children's lists of a
relation as the model links them.

Why a module: it is where the file's layout (Parquet or JSON Lines) becomes queries; the plan, the
SQL pass and the Python part find the input's files, lines and types through :class:`_Source`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from layanan_rules import model
from layanan_rules.engine import columns, sql
from layanan_rules.engine.scan.quote import _ident, _q
from layanan_rules.engine.scan.shared import _shared, _Tree


class NotDirect(Exception):
    """The input is not one DuckDB reads itself (the caller reads it in Python instead)."""


# --- the input ---------------------------------------------------------------------------------------------


def input_kind(location: str | Path) -> str:
    """``parquet`` (a file or a folder of them) or ``jsonl``; NotDirect for anything else."""
    path = Path(location)
    if path.is_dir() or path.suffix.lower() == ".parquet":
        return "parquet"
    if path.suffix.lower() in (".jsonl", ".ndjson") and path.is_file():
        return "jsonl"
    raise NotDirect(f"{location}: DuckDB membaca Parquet dan JSON Lines / DuckDB reads Parquet and JSON Lines")


class _Source:
    """Per entity: a query of its rows with ``__i`` (row order) and ``r`` (the record)."""

    def __init__(self, con: Any, location: str, options: Mapping[str, Any] | None) -> None:
        self.con = con
        self.location = location
        self.kind = input_kind(location)
        self.files: dict[str, Path] = {}
        self.types: dict[str, dict[str, str]] = {}
        self.shapes: dict[str, dict[str, columns.Shape]] = {}
        #: child entity -> relation table name -> how its pass builds it (:class:`Feed`, Parquet)
        self.feeds: dict[str, dict[str, Feed]] = {}
        if self.kind == "parquet":
            from layanan_rules.data.parquet import ParquetAdapter

            for entity, path in ParquetAdapter(location, dict(options or {})).files():
                self.files[entity] = path
                rows = con.execute(f"DESCRIBE SELECT * FROM read_parquet({_q(str(path))})").fetchall()
                self.types[entity] = {name: typ for name, typ, *_ in rows}
            self.entities = list(self.files)
        else:
            import duckdb

            try:
                con.execute(f"CREATE TEMP TABLE __lines AS SELECT json AS j FROM read_json_objects("
                            f"{_q(location)}, format='newline_delimited')")
                con.execute("""CREATE TEMP TABLE __shape AS SELECT rowid AS __i,
                    CASE WHEN json_type(j) = 'OBJECT' AND len(json_keys(j)) = 1 THEN json_keys(j)[1] END AS e
                    FROM __lines""")
            except duckdb.Error as exc:  # a byte that is no UTF-8, a line that is no JSON: the adapter names it
                raise NotDirect(f"DuckDB: {exc}") from None
            self.entities = [e for (e,) in con.execute(
                "SELECT DISTINCT e FROM __shape WHERE e IS NOT NULL").fetchall() if e in model.ENTITIES]
            self.entities.sort(key=list(model.ENTITIES).index)

    def shape(self, entity: str) -> dict[str, columns.Shape]:
        """The Parquet columns of ``entity`` and their types (:data:`columns.Shape`)."""
        if entity not in self.shapes:
            self.shapes[entity] = {n: columns.duckdb_shape(t) for n, t in self.types.get(entity, {}).items()}
        return self.shapes[entity]

    def rows(self, entity: str) -> str:
        """``__i``, ``r``: for parquet ``r`` is the row struct's columns (named directly), for
        jsonl the record's JSON object."""
        if self.kind == "parquet":
            return (f"SELECT file_row_number AS __i, * EXCLUDE (file_row_number) FROM "
                    f"read_parquet({_q(str(self.files[entity]))}, file_row_number=true)")
        return (f"SELECT s.__i, json_extract(l.j, {_q('$.' + _ident(entity))}) AS r FROM __shape s "
                f"JOIN __lines l ON l.rowid = s.__i WHERE s.e = {_q(entity)} AND "
                f"json_type(l.j, {_q('$.' + _ident(entity))}) = 'OBJECT'")


# --- typed columns from raw values (engine.columns) ----------------------------------------------------------

Unsupported = columns.Unsupported
_Typed = columns.Typed


def _struct_fields(duck_type: str) -> dict[str, str]:
    """Field name -> type of a DuckDB ``STRUCT(...)`` type text."""
    import duckdb

    t = duckdb.sqltype(duck_type)
    return {name: str(child) for name, child in t.children} if t.id == "struct" else {}


def _typed(entity: str, layout: sql.Layout, source: _Source, sized: frozenset[str] = frozenset()) -> _Typed:
    """The typed columns of ``layout`` over ``source.rows(entity)`` (aliased ``x``); ``sized``: the
    paths the rules read only through ``size()`` (:func:`layanan_rules.engine.sql.sized`)."""
    if source.kind == "parquet":
        return columns.parquet_columns(entity, layout, source.shape(entity), "duckdb", relations=True, sized=sized)
    return columns.json_columns(entity, layout, sized)


def _typed_rows(source: _Source, entity: str, lay: sql.Layout, typed: _Typed,
                relation_tables: Mapping[str, tuple[str, str]], also: tuple[_Typed, sql.Layout] | None = None,
                flags: Mapping[str, list[str]] | None = None) -> str:
    """The query of ``entity``'s rows as ``__i``, ``__id``, ``__py`` (DuckDB cannot read the
    record as the model does: Python decides it) and the typed columns of ``lay``; a relation
    column is the children's list from ``relation_tables[<relation>]`` (:func:`_relation_table`:
    its name and the list's type), joined on the id. ``also``: more typed columns (of a layout
    including ``lay``'s: their bad conditions do not count in ``__py``); ``flags``: column name ->
    bad conditions, a ``__py`` of their own (a relation's children: :class:`Feed`)."""
    if source.kind == "parquet":
        ptype = source.types[entity].get("id", "")
        idv = "x.id" if ptype == "VARCHAR" else "NULL"
        id_bad = "x.id IS NULL OR trim(x.id) = ''" if ptype == "VARCHAR" else "true"
    else:
        jt = "json_type(x.r, '$.id')"
        idv = "(x.r ->> '$.id')"
        id_bad = f"{jt} IS NULL OR {jt} <> 'VARCHAR' OR trim({idv}) = ''"
        # a key written twice at the record's top level: a problem of that field in Python
        id_bad += " OR len(json_keys(x.r)) <> len(list_distinct(json_keys(x.r)))"
    rels = sorted({c.path[0] for c in lay.columns if c.sub is not None})
    if rels:  # two parents with one id: the model links the children to the last (-> Python)
        id_bad += ' OR x."__dup"'
    bad = " OR ".join(f"({b})" for b in [id_bad, *typed.bad])
    more = "".join(f', coalesce({" OR ".join(f"({b})" for b in [id_bad, *conds])}, true) AS {_ident(name)}'
                   for name, conds in (flags or {}).items())
    if also is not None:
        typed, lay = also[0], also[1]
    cols = ", ".join(typed.select)
    rows = source.rows(entity)
    if source.kind == "jsonl":  # each top-level field's JSON, parsing the record once
        tops = sorted({c.path[0] for c in lay.columns if c.sub is None})
        paths = ", ".join(_q("$." + _ident(t)) for t in tops)
        unpack = "".join(f", __v[{k + 1}] AS {_ident('__j_' + t)}" for k, t in enumerate(tops))
        rows = (f"SELECT __i, r{unpack} FROM (SELECT __i, r, json_extract(r, [{paths}]) AS __v FROM ({rows}))"
                if tops else rows)
    if rels:
        joined = "".join(f', coalesce({_ident("r_" + r)}.v, CAST([] AS {relation_tables[r][1]})) AS '
                         f'{_ident("__rel_" + r)}, {_ident("r_" + r)}.bad AS {_ident("__relbad_" + r)}' for r in rels)
        joins = "".join(f' LEFT JOIN {_ident(relation_tables[r][0])} AS {_ident("r_" + r)} '
                        f'ON {_ident("r_" + r)}.k = {idv}' for r in rels)
        rows = f'SELECT x.*, count(*) OVER (PARTITION BY {idv}) > 1 AS "__dup"{joined} FROM ({rows}) AS x{joins}'
    names = ", ".join(f'x.{_ident(c.name)}' for c in lay.columns)
    return (f'SELECT x.__i AS "__i", x."__id", coalesce({bad}, true) AS "__py"{more}{", " + names if names else ""} '
            f'FROM (SELECT x.*, {idv} AS "__id"{", " + cols if cols else ""} FROM ({rows}) AS x) AS x')


@attrs.frozen
class Feed:
    """A relation's children's lists built from the child's own SQL pass (``__d_<child>``) instead
    of reading and typing the children again: the pass computes, beside its rules, the link, the
    kept fields and the derived values (sharing their work with its rules: :func:`_shared`), and
    a ``__py`` of the relation's fields alone; ``sql`` builds the table the old way when the
    child has no pass of its own that can (:func:`.plan.plan_entities` decides)."""

    name: str
    fk: str
    sub: tuple[str, ...]
    kept: tuple[str, ...]
    #: (field name, sqlglot tree over ``__f:<field>`` columns)
    derived: tuple[tuple[str, Any], ...]
    sql: str


def _relation_table(con: Any, source: _Source, parent: str, rel: str, sub: tuple[str, ...],
                    derived: Mapping[str, tuple[str, Any]], read: set[str] | None = None) -> tuple[str, str] | None:
    """A table of ``parent``'s children through ``rel`` as the model links them: per parent id
    ``k``, ``v`` the list (in input order) of structs of the child fields ``sub`` read as the
    model reads them (of those, only the fields in ``read`` when given: :func:`_fields_read`) and
    of the ``derived`` values (:func:`_hoist`), ``bad`` whether DuckDB
    could not read one of them (that parent goes to Python). Returns its name and the list's
    type; None when the link itself is not decided in SQL (a child whose link DuckDB cannot read)."""
    child = sql.relations(parent)[rel]
    fk = next(fk for _c, fk, p, f in model.RELATIONS if p == parent and f == rel)
    name = f"__rel_{parent}_{rel}"
    lay = sql.layout(child, [*sub, fk])
    by = {c.path: c.name for c in lay.columns}
    if child in source.entities:
        try:
            typed = _typed(child, lay, source)
        except Unsupported:
            return None
        if any((f,) not in by for f in (*sub, fk)):
            return None
        rows = _typed_rows(source, child, lay, typed, {})
    else:  # no such records: every list is empty (typed as if there were)
        child_types = sql._field_types(model.ENTITIES[child])
        rows = ('SELECT 0::BIGINT AS "__i", false AS "__py", ' + ", ".join(
            f"NULL::{sql._sql_type(child_types[f])} AS {_ident(by.get((f,), 'c:' + f))}" for f in dict.fromkeys(
                (*sub, fk))) + " WHERE false")
    from sqlglot import exp

    # each child field a column of its own (``__f:<field>``), the derived values reading them: a
    # struct of the item would let DuckDB fold its fields into every use (with JSON Lines, the
    # extraction and typing of a field once per use)
    hs = []
    whole = False
    for h, tree in derived.values():
        tree = tree.copy()
        for node in list(tree.find_all(exp.Anonymous)):
            args = node.expressions
            if (node.name.upper() == "STRUCT_EXTRACT" and len(args) == 2 and isinstance(args[0], exp.Column)
                    and not args[0].table and args[0].name == "__item" and isinstance(args[1], exp.Literal)):
                node.replace(exp.column("__f:" + args[1].this, quoted=True))
        whole = whole or any(c.name == "__item" and not c.table for c in tree.find_all(exp.Column))
        hs.append((h, tree))
    fields = "".join(f', x.{_ident(by.get((f,), "c:" + f))} AS {_ident("__f:" + f)}' for f in sub)
    if whole:
        fields += ", struct_pack(" + ", ".join(f'{_ident(f)} := x.{_ident(by.get((f,), "c:" + f))}' for f in sub) + ") AS __item"
    children = (f'SELECT x."__i", x.{_ident(by.get((fk,), "c:" + fk))} AS k, x."__py"{fields} FROM ({rows}) AS x')
    # the derived values' shared parts once per child (:func:`_shared`), then the values themselves.
    # Not over JSON Lines: there DuckDB folds the layers back into every use (measured: a plan of
    # megabytes, minutes and out of memory for 900 complaints), so each value is written out
    if source.kind == "parquet":
        children, shared = _shared(children, [_Tree(tree) for _h, tree in hs], prefix="__c", con=con,
                                   table=f"__u_{name}")
        texts = [t.value_sql() for t in shared if t is not None]
    else:
        texts = [tree.sql(dialect="duckdb") for _h, tree in hs]
    values = "".join(f", ({t}) AS {_ident(h)}" for (h, _tree), t in zip(hs, texts))
    kept = [f for f in sub if read is None or f in read]
    if not kept and not hs:
        kept = list(sub[:1])
    pack = ", ".join([*(f'{_ident(f)} := {_ident("__f:" + f)}' for f in kept),
                      *(f"{_ident(h)} := {_ident(h)}" for h, _tree in hs)])
    got = "".join(f', {_ident("__f:" + f)}' for f in kept)
    select = (f'SELECT k, list(struct_pack({pack}) ORDER BY "__i") AS v, bool_or("__py") AS bad FROM '
              f'(SELECT "__i", k, "__py"{got}{values} FROM ({children})) GROUP BY k')
    if source.kind == "parquet" and child in source.entities and not whole:
        # built by the child's pass when it can (Feed); its type from binding the query, and whether
        # a child without a link has a field DuckDB cannot read (then the link is Python's) at once
        lost, = con.execute(f'SELECT count(*) FROM ({children}) WHERE k IS NULL AND "__py"').fetchone()
        typ = next(t for n, t, *_ in con.execute(f"DESCRIBE {select}").fetchall() if n == "v")
        source.feeds.setdefault(child, {})[name] = Feed(
            name, fk, sub, tuple(kept), tuple(hs), f"CREATE OR REPLACE TEMP TABLE {_ident(name)} AS {select}")
        return None if lost else (name, typ)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_ident(name)} AS {select}")
    lost, = con.execute(f"SELECT count(*) FROM {_ident(name)} WHERE k IS NULL AND bad").fetchone()
    typ = next(t for n, t, *_ in con.execute(f"DESCRIBE {_ident(name)}").fetchall() if n == "v")
    return None if lost else (name, typ)


def _nested(con: Any, source: _Source) -> bool:
    """Whether a record holds its children inside it (``{"unit": {"pengaduan": [...]}}``, a
    Parquet column named after a relation) or a line is not one record (several, a list): then
    the links are not decided in SQL."""
    if source.kind == "parquet":
        return any(f in source.types.get(e, {}) for e in source.entities for f in sql.relations(e))
    conds = [f"(s.e = {_q(e)} AND json_exists(l.j, {_q('$.' + _ident(e) + '.' + _ident(f))}))"
             for e in source.entities for f in sql.relations(e)]
    n, = con.execute("SELECT count(*) FROM __shape s JOIN __lines l ON l.rowid = s.__i WHERE s.e IS NULL OR "
                     "coalesce(json_type(l.j, '$.\"' || s.e || '\"') <> 'OBJECT', true)"
                     + "".join(" OR " + c for c in conds)).fetchone()
    return bool(n)
