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
severity, reason, message, input row); rows decided in Python are added to it as they are.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from layanan_rules import model
from layanan_rules.data.dataset import DataIssue, Dataset
from layanan_rules.engine import columns, evaluation, sql
from layanan_rules.engine.states import Reason, State
from layanan_rules.rules.ruleset import Rule, Ruleset, leaf_reads

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


class NotDirect(Exception):
    """The input is not one DuckDB reads itself (the caller reads it in Python instead)."""


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


# --- the input ---------------------------------------------------------------------------------------------


def input_kind(location: str | Path) -> str:
    """``parquet`` (a file or a folder of them) or ``jsonl``; NotDirect for anything else."""
    path = Path(location)
    if path.is_dir() or path.suffix.lower() == ".parquet":
        return "parquet"
    if path.suffix.lower() in (".jsonl", ".ndjson") and path.is_file():
        return "jsonl"
    raise NotDirect(f"{location}: DuckDB membaca Parquet dan JSON Lines / DuckDB reads Parquet and JSON Lines")


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _ident(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


class _Source:
    """Per entity: a query of its rows with ``__i`` (row order) and ``r`` (the record)."""

    def __init__(self, con: Any, location: str, options: Mapping[str, Any] | None) -> None:
        self.con = con
        self.location = location
        self.kind = input_kind(location)
        self.files: dict[str, Path] = {}
        self.types: dict[str, dict[str, str]] = {}
        self.shapes: dict[str, dict[str, columns.Shape]] = {}
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


# --- the plan: which entities DuckDB reads --------------------------------------------------------------------


def _foreign_keys(entity: str) -> set[str]:
    return {fk for child, fk, _parent, _field in model.RELATIONS if child == entity}


ALL = "*"


@attrs.frozen
class EntityPlan:
    """How one entity is read and decided.

    ``compiled``/``typed``: the rules DuckDB decides and the typed columns they read (None: none);
    ``python_rules``: the rules the Python engine decides, with why; ``python_fields``: the
    top-level fields the Python side reads of every record (:data:`ALL`: whole records; empty:
    none, only the records DuckDB cannot read go to Python)."""

    entity: str
    compiled: Any
    typed: Any
    python_rules: tuple[tuple[Rule, str], ...]
    python_fields: frozenset[str]
    #: relation -> the table of its children's lists and their type (:func:`_relation_table`)
    relations: Mapping[str, tuple[str, str]] = attrs.field(factory=dict)
    #: per Python rule with a gate (:func:`_gate`): the rule, its gate (a rule whose requirement is
    #: the conjunction of the ``when``'s conjuncts with an SQL form) and the gate's (None, require)
    #: programs; ``__d_<entity>`` gets a column ``__g<k>``: true where the gate is false, so the
    #: rule does not apply
    gates: tuple[tuple[Rule, Rule, tuple[Any, Any]], ...] = ()


#: what ``prepare_standar`` reads together: projected together
_STANDAR_PREPARED = ("ditetapkan_pada", "ditetapkan_presisi", "nomor_penetapan", "persyaratan", "persyaratan_kasus")


def _needs(rule: Rule, need: dict[str, set[str]]) -> None:
    """The fields ``rule`` (run in Python) reads of its entity (dotted through structs) and,
    through relations, of the entities below it; a relation read whole needs whole records."""
    need.setdefault(rule.entity, set())
    for path in leaf_reads(rule, rule.entity):
        entity = rule.entity
        steps = path.split(".")
        for i, step in enumerate(steps):
            child = sql.relations(entity).get(step)
            if child is None:
                got = [step]
                t = sql._field_types(model.ENTITIES[entity]).get(step)
                for sub in steps[i + 1:]:
                    if t is None or t.kind != "obj":
                        break
                    t = sql._field_types(t.cls).get(sub)
                    got.append(sub)
                need.setdefault(entity, set()).add(".".join(got))
                if got[0] == "standar" and len(got) > 1 and got[1] in _STANDAR_PREPARED:
                    need[entity].update(f"standar.{f}" for f in _STANDAR_PREPARED)
                break
            if i == len(steps) - 1:
                if i == 0 and path in sql.counted(rule):  # size(unit.layanan): the children's ids suffice
                    need.setdefault(child, set())
                else:
                    _whole(child, need)
                break
            entity = child
            need.setdefault(entity, set())


def _tree(paths: Iterable[str]) -> dict[str, Any]:
    """Dotted paths as a tree: name -> subtree, None for the whole value."""
    out: dict[str, Any] = {}
    for path in sorted(paths, key=lambda p: p.count(".")):
        node: Any = out
        steps = path.split(".")
        for k, step in enumerate(steps):
            if node.get(step, {}) is None:  # the whole value is read already
                break
            if k == len(steps) - 1:
                node[step] = None
            else:
                node = node.setdefault(step, {})
    return out


def _pack(value: str, typ: str, tree: dict[str, Any] | None) -> str:
    """Parquet: the parts ``tree`` of the value ``value`` of type ``typ`` (a struct of only them)."""
    fields = _struct_fields(typ) if tree is not None and typ.startswith("STRUCT") else None
    if fields is None or tree is None:
        return value
    parts = [f"{_ident(k)} := {_pack(f'{value}.{_ident(k)}', fields[k], sub)}" for k, sub in tree.items()
             if k in fields]
    if not parts:
        return value
    return f"CASE WHEN {value} IS NULL THEN NULL ELSE struct_pack({', '.join(parts)}) END"


def _whole(entity: str, need: dict[str, set[str]]) -> None:
    if ALL in need.get(entity, ()):
        return
    need.setdefault(entity, set()).add(ALL)
    for child in sql.relations(entity).values():
        _whole(child, need)


def _gate(ruleset: Ruleset, rule: Rule, as_of: dt.date, usable: Callable[[Rule], bool],
          memo: dict[tuple[str, str], bool] | None = None) -> Rule | None:
    """A stand-in for ``rule`` (same id and entity) whose requirement is the conjunction of the
    top-level ``&&`` conjuncts of ``rule``'s ``when`` that have an SQL form over what DuckDB reads
    (``usable``), or None when none has one.

    Exact: CEL's ``&&`` is false whenever one conjunct is false, whatever errors the others give
    (its commutative error absorption, which the Python engine implements:
    ``tests/test_engine_scan.py``), and a rule whose ``when`` is false does not apply. So where the
    gate is false without an error, the rule is ``not_applicable`` (unless it reads a field the
    model could not read: :func:`_python_part` leaves such records to the Python engine). A conjunct
    ``<entity>.<relation>.exists(...)`` without an SQL form is replaced by ``size(<entity>.<relation>)
    > 0``, which it implies: ``exists`` over no children is false. ``memo``: (entity, conjunct) ->
    whether it has an SQL form, shared by the rules of one plan (many share ``has(layanan.standar)``)."""
    from layanan_rules import expr
    from layanan_rules.expr import ExprErrors, ast
    from layanan_rules.expr.parser import parse
    from layanan_rules.rules.ruleset import declarations

    if rule.when is None:
        return None
    decls = declarations(rule.entity, type(ruleset.params))
    rels = {f"{rule.entity}.{r}" for r in sql.relations(rule.entity)}

    def stand_in(text: str) -> Rule | None:
        try:
            got = attrs.evolve(rule, when=None, require=expr.compile(text, decls, ruleset.functions), evidence=())
        except ExprErrors:
            return None
        return got if not isinstance(sql._compiled_rule(ruleset, got, as_of), str) and usable(got) else None

    memo = {} if memo is None else memo
    kept: list[str] = []
    for conj in ast.operands(parse(rule.when.source), "&&"):
        texts = [ast.unparse(conj)]
        target = sql._dotted(conj.target) if isinstance(conj, ast.Call) and conj.target is not None else None
        if isinstance(conj, ast.Call) and conj.function == "exists" and target in rels:
            texts.append(f"size({target}) > 0")
        for text in texts:
            key = (rule.entity, text)
            if key not in memo:
                memo[key] = stand_in(text) is not None
            if memo[key]:
                kept.append(text)
                break
    if not kept:
        return None
    return stand_in(" && ".join(f"({t})" for t in kept))


def plan_entities(ruleset: Ruleset, rules_by_entity: Mapping[str, list[Rule]], as_of: dt.date,
                  source: _Source) -> dict[str, EntityPlan]:
    """Per entity: which rules DuckDB decides over which typed columns, which the Python engine
    decides, and what of each record the Python side reads (:class:`EntityPlan`).

    A rule reading a relation (``unit.pengaduan``) runs in SQL over the children's list built by a
    group-by of their typed rows (:func:`_relation_table`) when DuckDB reads the child fields it
    reads and the links as the model does; else in Python."""
    plans: dict[str, tuple[list[Rule], list[tuple[Rule, str]]]] = {}
    nested: list[bool] = []

    def relation_why(rule: Rule, entity: str, rels: set[str]) -> str | None:
        if not nested:
            nested.append(_nested(source.con, source))
        if nested[0]:
            return "record memuat record anaknya / a record holds its children"
        lay = sql.layout(entity, leaf_reads(rule, entity), sql.counted(rule))
        for col in lay.columns:
            if col.sub is None or col.path[0] not in rels:
                continue
            child = sql.relations(entity)[col.path[0]]
            fk = next(fk for _c, fk, p, f in model.RELATIONS if p == entity and f == col.path[0])
            if child in source.entities:
                try:
                    _typed(child, sql.layout(child, [*col.sub, fk]), source)
                except Unsupported as e:
                    return f"kolom '{child}.{e}' dibaca pengurai Python / field '{child}.{e}' is read by the model's parser"
        return None

    def why_not(rule: Rule, entity: str) -> str | None:  # why DuckDB does not read what a rule with an SQL form reads
        rels = {p.split(".")[0] for p in leaf_reads(rule, entity)} & set(sql.relations(entity))
        why = relation_why(rule, entity, rels) if rels else None
        if why is not None:
            return why
        try:
            _typed(entity, sql.layout(entity, leaf_reads(rule, entity), sql.counted(rule)), source, sql.sized(rule))
        except Unsupported as e:
            return f"kolom '{e}' dibaca pengurai Python / field '{e}' is read by the model's parser"
        return None

    gates_of: dict[str, list[tuple[Rule, Rule]]] = {}
    memo: dict[tuple[str, str], bool] = {}
    for entity, rules in rules_by_entity.items():
        compiled: Any = sql.compile_entity(ruleset, rules, as_of)
        on_sql: list[Rule] = []
        on_python = list(compiled.python_rules)
        for rule in compiled.sql_rules:
            if entity not in source.entities:
                on_sql.append(rule)
                continue
            why = why_not(rule, entity)
            if why is not None:
                on_python.append((rule, why))
                continue
            on_sql.append(rule)
        order = {id(r): i for i, r in enumerate(rules)}
        on_python.sort(key=lambda rw: order[id(rw[0])])
        plans[entity] = (on_sql, on_python)
        if entity in source.entities:  # the Python rules' when, partly decided in SQL

            def usable(x: Rule, e: str = entity) -> bool:
                return why_not(x, e) is None

            gates_of[entity] = [(r, g) for r, _why in on_python if (g := _gate(ruleset, r, as_of, usable, memo)) is not None]
    out: dict[str, EntityPlan] = {}
    compiled_of: dict[str, tuple[Any, Any, dict[str, tuple[str, str]]]] = {}
    gated: dict[str, tuple[tuple[Rule, Rule, tuple[Any, Any]], ...]] = {}
    for entity, (on_sql, on_python) in plans.items():
        gates = gates_of.get(entity, [])
        while (on_sql or gates) and entity in source.entities:
            compiled = sql.compile_entity(ruleset, [*on_sql, *(g for _r, g in gates)], as_of)
            tables: dict[str, tuple[str, str]] = {}
            lost: set[str] = set()
            rel_cols = {c.name: c.path[0] for c in compiled.layout.columns if c.sub is not None}
            derived: dict[str, dict[str, tuple[str, Any]]] = {}
            if rel_cols:
                from layanan_rules.expr.sql import create_tables

                programs, derived = _hoist(compiled.programs, rel_cols)
                compiled = attrs.evolve(compiled, programs=tuple(programs))
                for pair in programs:
                    for prog in pair:
                        if prog is not None:
                            create_tables(source.con, prog.tables)
            read = _fields_read(compiled.programs) if rel_cols else None
            for col in compiled.layout.columns:
                if col.sub is not None:
                    got = _relation_table(source.con, source, entity, col.path[0], col.sub,
                                          derived.get(col.path[0], {}), read)
                    if got is None:
                        lost.add(col.path[0])
                    else:
                        tables[col.path[0]] = got
            if not lost:
                gate_ids = {id(g): r for r, g in gates}
                sized = sql.sized_of(compiled.sql_rules)
                gated[entity] = tuple((gate_ids[id(g)], g, p) for g, p in zip(compiled.sql_rules, compiled.programs)
                                      if id(g) in gate_ids)
                real = [(r, p) for r, p in zip(compiled.sql_rules, compiled.programs) if id(r) not in gate_ids]
                compiled = attrs.evolve(compiled, sql_rules=tuple(r for r, _p in real),
                                        programs=tuple(p for _r, p in real))
                compiled_of[entity] = (compiled, _typed(entity, compiled.layout, source, sized), tables)
                break
            moved = [r for r in on_sql if lost & {p.split(".")[0] for p in leaf_reads(r, entity)}]
            on_sql[:] = [r for r in on_sql if r not in moved]
            on_python.extend((r, "tautan anak tidak terbaca di SQL / the children's links are not read in SQL")
                             for r in moved)
            gates = [(r, g) for r, g in gates if not lost & {p.split(".")[0] for p in leaf_reads(g, entity)}]
    need: dict[str, set[str]] = {}
    for entity, (_on_sql, on_python) in plans.items():
        for rule, _why in on_python:
            _needs(rule, need)
    for entity in dict.fromkeys([*plans, *need]):
        on_sql, on_python = plans.get(entity, ([], []))
        compiled, typed, tables = compiled_of.get(entity, (None, None, {}))
        fields = need.get(entity, set())
        if fields and ALL not in fields:
            fields = fields | {"id"} | _foreign_keys(entity)
        if entity in need and not fields:
            fields = {"id"} | _foreign_keys(entity)
        out[entity] = EntityPlan(entity, compiled, typed, tuple(on_python), frozenset(fields), tables,
                                 gated.get(entity, ()))
    return out


def _children_for(plans: dict[str, EntityPlan], bad_rows: Mapping[str, list[int]]) -> None:
    """Where records whose rules read relations in SQL go to Python whole (DuckDB could not read
    them, or a child of theirs), Python needs their children too: the fields those rules read of
    them are added to the children's plan."""
    need: dict[str, set[str]] = {}
    for entity, plan in list(plans.items()):
        if not plan.relations or not bad_rows.get(entity) or plan.compiled is None:
            continue
        for rule in plan.compiled.sql_rules:
            if {p.split(".")[0] for p in leaf_reads(rule, entity)} & set(plan.relations):
                _needs(rule, need)
        need.pop(entity, None)
    for entity, fields in need.items():
        plan = plans.get(entity) or EntityPlan(entity, None, None, (), frozenset(), {})
        if ALL not in fields:
            fields = fields | {"id"} | _foreign_keys(entity)
        plans[entity] = attrs.evolve(plan, python_fields=plan.python_fields | fields)


# --- relation macros: per-child work computed once per child ---------------------------------------------------


def _fields_read(programs: Iterable[tuple[Any, Any]]) -> set[str] | None:
    """The struct fields the programs read (``STRUCT_EXTRACT(x, '<field>')``, as the compiler reads
    a field of a relation's item), or None when they may read a struct otherwise (``x.field``):
    after :func:`_hoist`, a relation's list need not hold the fields only its hoisted values read."""
    from sqlglot import exp

    out: set[str] = set()
    for pair in programs:
        for prog in pair:
            if prog is None:
                continue
            for tree in (prog.value, prog.error):
                for node in tree.walk():
                    if isinstance(node, exp.Dot) or (isinstance(node, exp.Column) and node.table):
                        return None
                    if isinstance(node, exp.Anonymous) and node.name.upper() == "STRUCT_EXTRACT":
                        key = node.expressions[1] if len(node.expressions) == 2 else None
                        if not (isinstance(key, exp.Literal) and key.is_string):
                            return None
                        out.add(key.this)
    return out

#: a subexpression of a macro over a relation's items this large (sqlglot nodes) reading only the item
#: is computed once per child in the relation table instead of inside the lambda
_HOIST_MIN = 12


def _hoist(programs: Iterable[tuple[Any, Any]], rel_cols: Mapping[str, str]
           ) -> tuple[list[tuple[Any, Any]], dict[str, dict[str, tuple[str, Any]]]]:
    """The programs with every large part of a lambda over a relation's items (``unit.pengaduan
    .exists(p, ...)``) that reads only the item (``batas_waktu(p.diterima_pada, ...)``) replaced
    by a field of the item, and per relation those fields: SQL text -> (field, sqlglot tree over
    ``__item``).

    Why: DuckDB runs a lambda nested in another (the compiler's ``let`` is one) a parent row at a
    time; a per-child value computed in the relation's group-by runs over all children at once, and
    once however often the rules use it. Same values: the part reads only the item and constants."""
    from sqlglot import exp

    from layanan_rules.expr.sql import SqlProgram

    fields: dict[str, dict[str, tuple[str, Any]]] = {}
    out = []
    for pair in programs:
        new: list[Any] = []
        for prog in pair:
            if prog is None:
                new.append(None)
                continue
            trees = [prog.value.copy(), prog.error.copy() if prog.can_fail else None]
            for tree in trees:
                if tree is not None:
                    _hoist_tree(tree, rel_cols, fields, exp, prog.dialect)
            new.append(SqlProgram(prog.source, prog.dialect, trees[0], trees[1], prog.type, prog.nullable,
                                  prog.reads, prog.tables, prog.context))
        out.append((new[0], new[1]))
    return out, fields


def _hoist_tree(tree: Any, rel_cols: Mapping[str, str], fields: dict[str, dict[str, tuple[str, Any]]],
                exp: Any, dialect: str) -> None:
    nodes = list(tree.walk(bfs=False))
    free: dict[int, frozenset[str]] = {}
    size: dict[int, int] = {}
    for n in reversed(nodes):  # children before parents
        f: set[str] = set()
        s = 1
        for child in n.iter_expressions():
            f |= free[id(child)]
            s += size[id(child)]
        if isinstance(n, exp.Column):
            f.add(n.sql() if n.table else n.name)
        if isinstance(n, exp.Lambda):
            f -= {i.name for i in n.expressions}
        free[id(n)] = frozenset(f)
        size[id(n)] = s
    lets: dict[str, Any] = {}
    items: list[tuple[Any, str]] = []  # (lambda, relation) over a relation's items

    def root(x: Any) -> str | None:
        while isinstance(x, exp.Paren):
            x = x.this
        if isinstance(x, exp.Column) and not x.table:
            if x.name in rel_cols:
                return rel_cols[x.name]
            if x.name in lets:
                return root(lets[x.name])
            return None
        if isinstance(x, exp.Anonymous) and x.name.upper() == "LIST_FILTER" and x.expressions:
            return root(x.expressions[0])
        return None

    for n in nodes:  # parents before children: a let is bound before its uses
        if not (isinstance(n, exp.Anonymous) and n.name.upper() in ("LIST_TRANSFORM", "LIST_FILTER")
                and len(n.expressions) == 2 and isinstance(n.expressions[1], exp.Lambda)):
            continue
        xs, lam = n.expressions
        if len(lam.expressions) != 1:
            continue
        var = lam.expressions[0].name
        if isinstance(xs, exp.Array) and len(xs.expressions) == 1:
            lets[var] = xs.expressions[0]
            continue
        rel = root(xs)
        if rel is not None:
            items.append((lam, rel))
    for lam, rel in items:
        var = lam.expressions[0].name
        stack = [lam.this]
        while stack:
            n = stack.pop()
            if id(n) not in free:  # put here by an enclosing lambda's hoisting
                continue
            if (free[id(n)] == {var} and size[id(n)] >= _HOIST_MIN
                    and not isinstance(n, (exp.Lambda, exp.DataType, exp.Identifier))):
                canon = n.copy()
                for c in list(canon.find_all(exp.Column)):
                    if not c.table and c.name == var:
                        c.replace(exp.column("__item"))
                _canonical_lambdas(canon, exp)
                text = canon.sql(dialect=dialect)
                got = fields.setdefault(rel, {})
                if text not in got:
                    got[text] = (f"__h{len(got)}", canon)
                n.replace(exp.Anonymous(this="STRUCT_EXTRACT", expressions=[
                    exp.column(var), exp.Literal.string(got[text][0])]))
                continue
            stack.extend(n.iter_expressions())



def _canonical_lambdas(tree: Any, exp: Any) -> None:
    """Rename the lambdas' variables in ``tree`` to ``__v0``, ``__v1``... in the order they are
    bound (the compiler numbers them per rule), so the same value reads the same in every rule."""
    names: dict[str, str] = {}
    for lam in tree.find_all(exp.Lambda):
        for ident in lam.expressions:
            names.setdefault(ident.name, f"__v{len(names)}")
    if not names:
        return
    for node in list(tree.walk()):
        if isinstance(node, exp.Identifier) and node.name in names and not (
                isinstance(node.parent, exp.Column) and node.parent.table):
            node.set("this", names[node.name])


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
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        # a bound, so that memory stays flat as the data grows: beyond it DuckDB spills to disk
        con.execute(f"SET memory_limit = {_q(limit)}")
        con.execute(f"SET temp_directory = {_q(tempfile.gettempdir())}")
        source = _Source(con, location, options)
        by_entity: dict[str, list[Rule]] = {}
        for rule in ruleset.rules:
            if rule.in_force(as_of):
                by_entity.setdefault(rule.entity, []).append(rule)
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
        for entity, plan in plans.items():
            if plan.compiled is None:
                continue
            n, bad = _direct_entity(con, source, entity, plan.compiled, plan.typed, rule_index, as_of, ruleset,
                                    plan.relations, by_index, write_parts, plan.gates)
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
            def by_rule(values: Iterable[str]) -> str:  # a constant list indexed by the rule: no join, order kept
                return f"([{', '.join(_q(v) for v in values)}])[f.rule + 1]"

            # the repeated texts as ENUMs: written as Parquet dictionaries directly (about 15 % of the writing)
            for name, values in (("rule_id", rule_ids), ("entity", [r.entity for r in ruleset.rules]),
                                 ("state", ["pass", "fail", "not_applicable", "error"]),
                                 ("severity", [r.severity.value for r in ruleset.rules])):
                con.execute(f"CREATE TYPE __{name} AS ENUM ({', '.join(_q(v) for v in dict.fromkeys(values))})")

            message, joined = "f.message", ""
            masked = mask is not None and _masked_messages(con, mask, [r.entity for r in ruleset.rules])
            if masked:
                message = "coalesce(m.masked, f.message)"
                joined = " LEFT JOIN __masked m ON m.rule = f.rule AND m.message = f.message"
            kv = ""
            if metadata:
                kv = ", KV_METADATA {" + ", ".join(f"{_q(k)}: {_q(v)}" for k, v in metadata.items()) + "}"

            def general(table: str) -> str:  # rows of any findings table: the rule's texts looked up per row
                return f"""SELECT {by_rule(rule_ids)}::__rule_id AS rule_id,
                    {by_rule(r.entity for r in ruleset.rules)}::__entity AS entity, f.entity_id,
                (CASE f.code WHEN 0 THEN 'pass' WHEN 1 THEN 'fail' WHEN 2 THEN 'not_applicable' ELSE 'error' END)::__state
                    AS state, {by_rule(r.severity.value for r in ruleset.rules)}::__severity AS severity, f.reason,
                    {message} AS message, f.__i + 1 AS "row"
                FROM {table} f{joined}"""

            if masked or not (write_parts or python_tables):
                query = general("__findings")
            else:
                # the rows DuckDB decided, rule by rule from the decided codes: the rule's texts are
                # constants of its part (ENUM constants, folded once) and the state an ENUM constant
                # chosen by the code, so no text is cast to an ENUM per row (measured at 100k/1M:
                # ~1.5 CPU s of 8.6 M rows); then the rows decided in Python as before
                states = " ".join(f"WHEN {{s}} = {c} THEN {_q(v)}::__state" for c, v in enumerate(
                    ("pass", "fail", "not_applicable")))
                query = " UNION ALL ".join([*(
                    f"SELECT {_q(rule_ids[ri])}::__rule_id AS rule_id, {_q(ruleset.rules[ri].entity)}::__entity AS "
                    f'entity, "__id" AS entity_id, CASE {states.format(s=s)} ELSE \'error\'::__state END AS state, '
                    f"{_q(ruleset.rules[ri].severity.value)}::__severity AS severity, {reason} AS reason, "
                    f'{msg} AS message, "__i" + 1 AS "row" FROM "{table}" WHERE NOT "__py"'
                    for ri, table, s, reason, msg in write_parts), *(general(t) for t in python_tables)])
            # one thread writes: a parallel COPY that keeps the rows' order holds every batch that is
            # ready before its turn (measured at 100k/1M: peak 826 MB against 396 MB with one thread,
            # which costs no more CPU). Each rule's rows stay in input order and the file is the same
            # from run to run; the rules' blocks come in the order one thread runs the UNION's parts
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
    seconds["total"] = time.perf_counter() - t0
    python_rules = {e: why for e, why in python_rules.items() if e in records}
    return Scan(counts, records, sql_records, python_records, python_rules, issues, findings, seconds,
                {e: v for e, (_n, v) in deduped.items()})


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


def _typed_rows(source: _Source, entity: str, lay: sql.Layout, typed: _Typed,
                relation_tables: Mapping[str, tuple[str, str]]) -> str:
    """The query of ``entity``'s rows as ``__i``, ``__id``, ``__py`` (DuckDB cannot read the
    record as the model does: Python decides it) and the typed columns of ``lay``; a relation
    column is the children's list from ``relation_tables[<relation>]`` (:func:`_relation_table`:
    its name and the list's type), joined on the id."""
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
    return (f'SELECT x.__i AS "__i", x."__id", coalesce({bad}, true) AS "__py"{", " + names if names else ""} '
            f'FROM (SELECT x.*, {idv} AS "__id"{", " + cols if cols else ""} FROM ({rows}) AS x) AS x')


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
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_ident(name)} AS SELECT k, "
                f'list(struct_pack({pack}) ORDER BY "__i") AS v, bool_or("__py") AS bad FROM '
                f'(SELECT "__i", k, "__py"{got}{values} FROM ({children})) GROUP BY k')
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


def _direct_entity(con: Any, source: _Source, entity: str, compiled: sql.Compiled, typed: _Typed,
                   rule_index: Mapping[str, int], as_of: dt.date, ruleset: Ruleset,
                   relation_tables: Mapping[str, tuple[str, str]], counts: dict[int, dict[str, int]],
                   write_parts: list[tuple[int, str, str, str, str]] | None = None,
                   gates: tuple[tuple[Rule, Rule, tuple[Any, Any]], ...] = ()) -> tuple[int, list[int]]:
    """Decide ``entity``'s rules in SQL; ``__f_<entity>`` holds its findings rows, ``counts``
    (rule index -> state -> n) gets their counts, ``write_parts`` per rule its index, the table of
    decided codes, the code's column there and the SQL of its reason and message over that table;
    ``__d_<entity>`` gets a column ``__g<k>`` per gate of ``gates`` (:func:`_gate`), true where it
    is false without an error. Returns the number of records and the rows (``__i``) left to Python."""
    from layanan_rules.expr.sql import context_join, create_tables

    typed_rows = _typed_rows(source, entity, compiled.layout, typed, relation_tables)
    context: dict[str, Any] = {}
    programs: list[Any] = []
    for (when, require) in compiled.programs:
        programs += [when, require]
    programs += [require for _rule, _gate, (_when, require) in gates]
    for p in programs:
        if p is not None:
            create_tables(con, p.tables)
            context.update(p.context)
    rows, texts = _shared(f"SELECT * FROM ({typed_rows}) AS __r {context_join(context, 'duckdb')}", programs,
                          con=con, table=f"__u_{entity}")
    inner, per_rule = [], []
    for k, (rule, (when, require)) in enumerate(zip(compiled.sql_rules, zip(texts[0::2], texts[1::2]))):
        cols, arms, err = sql.state_sql(k, when, require)
        inner += cols
        per_rule.append((rule_index[rule.id], f"CASE {arms} END", err))
    for j, require in enumerate(texts[2 * len(compiled.programs):]):
        assert require is not None  # a gate's requirement
        inner.append(f"({require.value_sql()}) AS g{j}v, ({require.error_sql()}) AS g{j}e")
    decided = f"__d_{entity}"
    outer = ", ".join([*(f"CAST({code} AS UTINYINT) AS s{k}, {err} AS e{k}" for k, (_r, code, err) in enumerate(per_rule)),
                       *(f'coalesce(g{j}e IS NULL AND NOT g{j}v, false) AS "__g{j}"' for j in range(len(gates)))])
    con.execute(f'CREATE TEMP TABLE "{decided}" AS SELECT "__i", "__id", "__py", {outer or "1 AS none"} FROM '
                f'(SELECT "__i", "__id", "__py", {", ".join(inner) or "1"} FROM ({rows}))')
    # the counts per rule and state, in one pass over the decided codes (not over the findings rows)
    aggs = "".join(f", count_if(s{k} = 0), count_if(s{k} = 1), count_if(s{k} = 2), count_if(s{k} >= 3)"
                   for k in range(len(per_rule)))
    got = con.execute(f'SELECT count(*){aggs} FROM "{decided}" WHERE NOT "__py"').fetchone()
    for k, (ri, _code, _err) in enumerate(per_rule):
        c = counts.setdefault(ri, {})
        for state, m in zip(("pass", "fail", "not_applicable", "error"), got[1 + 4 * k: 5 + 4 * k]):
            if m:
                c[state] = c.get(state, 0) + m
    n, = con.execute(f'SELECT count(*) FROM "{decided}"').fetchone()
    bad_rows = [i for (i,) in con.execute(f'SELECT "__i" FROM "{decided}" WHERE "__py" ORDER BY "__i"').fetchall()]
    not_bool = {4: evaluation.not_bool("when", None), 6: evaluation.not_bool("require", None)}
    reasons = " ".join(f"WHEN {_q(k)} THEN {_q(v.value)}" for k, v in evaluation.REASONS.items())
    selects = []
    for k, (ri, _code, _err) in enumerate(per_rule):
        reason = (f"CASE WHEN s{k} IN (4, 6) THEN 'not_boolean' WHEN s{k} IN (3, 5) THEN "
                  f"coalesce(CASE split_part(coalesce(e{k}, 'invalid_argument|'), '|', 1) {reasons} END, "
                  f"{_q(Reason.expression_error.value)}) END")
        message = (f"CASE WHEN s{k} = 4 THEN {_q(not_bool[4])} WHEN s{k} = 6 THEN {_q(not_bool[6])} "
                   f"WHEN s{k} IN (3, 5) THEN coalesce(substr(e{k}, strpos(e{k}, '|') + 1), '') END")
        if write_parts is not None:
            write_parts.append((ri, decided, f"s{k}", reason, message))
        selects.append(f'SELECT CAST({ri} AS INTEGER) AS rule, "__i", "__id" AS entity_id, '
                       f'CAST(CASE WHEN s{k} >= 3 THEN 3 ELSE s{k} END AS UTINYINT) AS code, {reason} AS reason, '
                       f'{message} AS message FROM "{decided}" WHERE NOT "__py"')
    con.execute(f'CREATE TEMP VIEW "__f_{entity}" AS ' + (" UNION ALL ".join(selects) if selects else
                "SELECT NULL::INTEGER AS rule, NULL::BIGINT AS __i, NULL::VARCHAR AS entity_id, NULL::UTINYINT AS code, "
                "NULL::VARCHAR AS reason, NULL::VARCHAR AS message WHERE false"))
    return n, bad_rows



class _Text:
    """A program's value and error as SQL text (what :func:`layanan_rules.engine.sql.state_sql` reads)."""

    def __init__(self, value: str, error: str) -> None:
        self.value, self.error = value, error

    def value_sql(self) -> str:
        return self.value

    def error_sql(self) -> str:
        return self.error


class _Tree:
    """A value that cannot fail, as :func:`_shared` reads programs."""

    def __init__(self, value: Any) -> None:
        from sqlglot import exp

        self.value, self.error = value, exp.Null()


#: a shared value of one column whose SQL is this long and calls one of these is computed once per
#: distinct value of that column (:func:`_by_value`)
_BY_VALUE_MIN = 1000
_BY_VALUE_CALLS = ("REGEXP", "TRANSLATE")
#: ... when it has at most this many distinct values: they are a constant map beside the rows (a
#: join would not keep the rows' order), looked up per row
_BY_VALUE_MAX = 64


def _by_value(con: Any, rows: str, layer: list[tuple[str, Any]], table: str) -> tuple[str, list[tuple[str, Any]]]:
    """``rows`` with each costly value of ``layer`` that reads one column only (the status texts'
    classifiers: ``TRANSLATE`` and regular expressions over thousands of characters) computed once
    per distinct value of that column (at most :data:`_BY_VALUE_MAX` of them) into a table, and read
    per row from a map of it cross-joined beside the rows (one row: the rows keep their order, which
    a join would not); the rest of ``layer``.

    Exact: such a value is a function of that column alone (SQL has no state), so computing it per
    distinct value and looking it up (null apart: no key of a map) gives every row what it computed
    before. Measured at 100k/1M: the complaints' two status classifiers cost ~1.7 CPU s per million
    rows more than the lookup (statuses repeat)."""
    from sqlglot import exp

    rest: list[tuple[str, Any]] = []
    joins: list[str] = []
    picks: list[str] = []
    for name, tree in layer:
        text = tree.sql(dialect="duckdb")
        params = {i.name for lam in tree.find_all(exp.Lambda) for i in lam.expressions}
        cols = {c.name for c in tree.find_all(exp.Column) if not c.table} - params
        heavy = len(text) >= _BY_VALUE_MIN and any(
            isinstance(f, exp.Anonymous) and any(f.name.upper().startswith(k) for k in _BY_VALUE_CALLS)
            for f in tree.find_all(exp.Anonymous))
        if len(cols) != 1 or not heavy:
            rest.append((name, tree))
            continue
        col, = cols
        t = f"{table}_{len(joins)}"
        value = tree.copy()
        for c in list(value.find_all(exp.Column)):
            if not c.table and c.name == col:
                c.replace(exp.column("__v", quoted=True))
        con.execute(f'CREATE OR REPLACE TEMP TABLE {_ident(t)} AS SELECT "__v", {value.sql(dialect="duckdb")} AS r '
                    f"FROM (SELECT DISTINCT {_ident(col)} AS \"__v\" FROM ({rows}))")
        n, = con.execute(f"SELECT count(*) FROM {_ident(t)}").fetchone()
        if n > _BY_VALUE_MAX:
            con.execute(f"DROP TABLE {_ident(t)}")
            rest.append((name, tree))
            continue
        j = f"__j{len(joins)}"
        joins.append(f' CROSS JOIN (SELECT map(list("__v") FILTER (WHERE "__v" IS NOT NULL), list(r) FILTER (WHERE "__v" '
                     f'IS NOT NULL)) AS m, any_value(r) FILTER (WHERE "__v" IS NULL) AS n FROM {_ident(t)}) AS "{j}"')
        picks.append(f', CASE WHEN __b.{_ident(col)} IS NULL THEN "{j}".n ELSE "{j}".m[__b.{_ident(col)}] END AS {_ident(name)}')
    if not joins:
        return rows, layer
    return f"SELECT __b.*{''.join(picks)} FROM ({rows}) AS __b{''.join(joins)}", rest


def _shared(rows: str, programs: list[Any], prefix: str = "__s", con: Any = None,
            table: str | None = None) -> tuple[str, list[_Text | None]]:
    """``rows`` with the work the ``programs`` share computed once per row (:func:`layanan_rules
    .expr.sql.shared.share`: a column each, in layers), and each program's value and error over it
    (None where the program is). With ``con`` and ``table``: the costly values of one column once
    per distinct value (:func:`_by_value`, tables named ``<table>_<n>``)."""
    from layanan_rules.expr.sql.shared import layered, share

    trees = [t for p in programs if p is not None for t in (p.value, p.error)]
    layers, new = share(trees, prefix=prefix)
    if con is not None and table is not None and layers:
        rows, layers[0] = _by_value(con, rows, layers[0], table)
    out: list[_Text | None] = []
    k = 0
    for p in programs:
        if p is None:
            out.append(None)
            continue
        out.append(_Text(new[k].sql(dialect="duckdb"), new[k + 1].sql(dialect="duckdb")))
        k += 2
    return layered(rows, layers, "duckdb"), out


_CODES = {State.pass_: 0, State.fail: 1, State.not_applicable: 2, State.error: 3}


def _python_part(con: Any, source: _Source, ruleset: Ruleset, plans: Mapping[str, EntityPlan],
                 bad_rows: Mapping[str, list[int]], rule_index: Mapping[str, int], as_of: dt.date,
                 records: dict[str, int]) -> tuple[list[DataIssue], dict[str, int]]:
    """The Python side: whole records where DuckDB cannot read them as the model does, the
    fields Python rules read of the others; the Python engine over them. ``__f_python`` holds
    its findings; returns the data issues and, per entity, the records read in Python."""
    import pyarrow as pa

    from layanan_rules import inputs

    read: dict[str, list[tuple[int, bool]]] = {}  # entity -> (__i, DuckDB did not decide it) in the order read
    # per gated Python rule (by its gate's text): the rows (__i) where its gate is false
    gated: dict[str, dict[str, set[int]]] = {}
    for entity, plan in plans.items():
        for j, (_rule, gate, _progs) in enumerate(plan.gates):
            gated.setdefault(entity, {}).setdefault(gate.require.source, {i for (i,) in con.execute(
                f'SELECT "__i" FROM "__d_{entity}" WHERE NOT "__py" AND "__g{j}"').fetchall()})
    raws = list(_read_python(con, source, plans, bad_rows, read, _skipped_children(con, source, plans, bad_rows)))
    if not raws:
        return [], {}
    ds = Dataset.from_records(raws)
    del raws
    cols: dict[str, list[Any]] = {k: [] for k in ("rule", "__i", "entity_id", "code", "reason", "message")}
    limits = inputs.current()
    cost = (limits.expr_steps, limits.expr_seconds)
    python_records: dict[str, int] = {}
    for entity, plan in plans.items():
        recs = ds.records.get(entity, [])
        rows = read.get(entity, [])
        if len(rows) != len(recs):  # children written inside their parent's line: numbered by it
            rows = rows + [(rows[-1][0] if rows else 0, True)] * (len(recs) - len(rows))
        records.setdefault(entity, len(recs))
        python_records[entity] = len(recs)
        jobs = []
        if plan.python_rules and recs:
            gate_of = {id(r): g.require.source for r, g, _p in plan.gates}
            free = [r for r, _why in plan.python_rules if id(r) not in gate_of]
            if free:
                jobs.append((free, recs, [i for i, _w in rows]))
            by_gate: dict[str, list[Rule]] = {}
            for r, _why in plan.python_rules:
                if id(r) in gate_of:
                    by_gate.setdefault(gate_of[id(r)], []).append(r)
            for text, rules in by_gate.items():
                # the gate is false: the rule does not apply, unless the model could not read a
                # field (the Python engine names it) or the record at all
                off = gated[entity][text]
                rest = [k for k, (i, _w) in enumerate(rows)
                        if i not in off or recs[k].obj is None or recs[k].problems]
                if len(rest) < len(rows):
                    kept = set(rest)
                    out = [k for k in range(len(rows)) if k not in kept]
                    for rule in rules:
                        cols["rule"] += [rule_index[rule.id]] * len(out)
                        cols["__i"] += [rows[k][0] for k in out]
                        cols["entity_id"] += [recs[k].id for k in out]
                        cols["code"] += [_CODES[State.not_applicable]] * len(out)
                        cols["reason"] += [None] * len(out)
                        cols["message"] += [None] * len(out)
                if rest:
                    jobs.append((rules, [recs[k] for k in rest], [rows[k][0] for k in rest]))
        if plan.compiled is not None:
            whole = [(k, i) for k, (i, w) in enumerate(rows) if w]
            if whole:
                jobs.append((list(plan.compiled.sql_rules), [recs[k] for k, _i in whole], [i for _k, i in whole]))
        elif plan.compiled is None and not plan.python_rules:
            continue
        for rules, subset, positions in jobs:
            blocks = evaluation.evaluate_entity(rules, subset, ruleset.params, as_of, cost)
            ids: list[Any] | None = None
            for rule in rules:  # a column at a time: millions of rows when Python reads every record
                _r, recs_b, states, errors = blocks[id(rule)]
                if ids is None:
                    ids = [rec.id for rec in recs_b]
                n = len(states)
                reasons: list[Any] = [None] * n
                messages: list[Any] = [None] * n
                for k, err in errors.items():
                    reasons[k] = err[0].value if err[0] is not None else None
                    messages[k] = err[1]
                cols["rule"] += [rule_index[rule.id]] * n
                cols["__i"] += positions[:n]
                cols["entity_id"] += ids
                cols["code"] += [_CODES[st] for st in states]
                cols["reason"] += reasons
                cols["message"] += messages
    types = {"rule": pa.int32(), "__i": pa.int64(), "entity_id": pa.string(), "code": pa.uint8(),
             "reason": pa.string(), "message": pa.string()}
    table = pa.table({k: pa.array(v, types[k]) for k, v in cols.items()})
    con.register("__f_python_arrow", table)
    con.execute('CREATE TEMP TABLE "__f_python" AS SELECT * FROM "__f_python_arrow"')
    con.unregister("__f_python_arrow")
    parents = {e for e, p in plans.items() if p.python_fields}
    issues = [i for i in ds.issues if i.kind != "orphan" or i.entity not in parents]
    return issues, {e: n for e, n in python_records.items() if n}


def _tables(con: Any) -> set[str]:
    return {n for (n,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()}


def _python_by_value(con: Any, source: _Source, ruleset: Ruleset, plans: Mapping[str, EntityPlan],
                     rule_index: Mapping[str, int], as_of: dt.date, records: dict[str, int]
                     ) -> dict[str, tuple[int, int]]:
    """The Python rules of an entity decided once per distinct value of the fields they read, not
    once per record: ``__f_value_<entity>`` holds their findings rows for every record. Returns,
    per entity so decided, its number of records and of distinct values.

    Why: a rule Python decides over a field the model parses (a list of regulations written as
    text) costs the parse per record, and such fields repeat across a catalogue. Exact: the rules
    read only those fields (no id, no relation, and no other entity's rule reads this one's), the
    model structures each field from its value alone, and an entity is decided this way only when
    no distinct value gave a data problem or a message (those name the record or its place): then
    every record with the same values has the same state and reason. Else the usual per-record path."""
    import pyarrow as pa

    from layanan_rules import inputs
    from layanan_rules.data.dataset import iter_json_records

    if source.kind != "parquet":
        return {}
    needed_by_others: set[str] = set()
    for entity, plan in plans.items():
        for rule, _why in plan.python_rules:
            need: dict[str, set[str]] = {}
            _needs(rule, need)
            needed_by_others |= set(need) - {entity}
    limits = inputs.current()
    out: dict[str, tuple[int, int]] = {}
    for entity, plan in plans.items():
        if not plan.python_rules or entity not in source.entities or entity in needed_by_others:
            continue
        own: dict[str, set[str]] = {}
        for rule, _why in plan.python_rules:
            _needs(rule, own)
        fields = own.get(entity, set())
        keys = {f.split(".")[0] for f in fields}
        have = source.types[entity]
        if (set(own) != {entity} or ALL in fields or not fields or keys & ({"id"} | _foreign_keys(entity))
                or not keys <= set(have) or "id" not in have):
            continue
        path = str(source.files[entity])
        packed = [f"{_pack(_ident(f), have[f], sub)} AS {_ident(f)}" for f, sub in _tree(fields).items()]
        names = ", ".join(_ident(f) for f in _tree(fields))
        if have["id"] != "VARCHAR":
            continue
        con.execute(f'CREATE OR REPLACE TEMP TABLE "__v_{entity}" AS SELECT "__i", entity_id, '
                    f'min("__i") OVER (PARTITION BY {names}) AS rep, {names} FROM (SELECT file_row_number AS "__i", '
                    f'id AS entity_id, {", ".join(packed)} FROM read_parquet({_q(path)}, file_row_number=true))')
        # ids the model reads as they are, once each: else the per-record path names the problem
        n, distinct, blank = con.execute(f'SELECT count(*), count(DISTINCT entity_id), count_if(entity_id IS NULL OR '
                                         f'trim(entity_id) = \'\') FROM "__v_{entity}"').fetchall()[0]
        if n != distinct or blank:
            continue
        got = con.sql(f'SELECT "__i", {names} FROM "__v_{entity}" WHERE "__i" = rep ORDER BY 1').to_arrow_table()
        reps = got.column("__i").to_pylist()
        rows = [{"id": f"__rep{i}", **row} for i, row in zip(reps, got.drop_columns(["__i"]).to_pylist())]
        ds = Dataset.from_records(iter_json_records({entity: rows}, source=path))
        recs = ds.records.get(entity, [])
        if len(recs) != len(reps) or any(i.kind != "orphan" for i in ds.all_issues()):
            continue
        rules = [r for r, _why in plan.python_rules]
        blocks = evaluation.evaluate_entity(rules, recs, ruleset.params, as_of, (limits.expr_steps, limits.expr_seconds))
        cols: dict[str, list[Any]] = {"rule": [], "rep": [], "code": [], "reason": []}
        plain = True
        for rule in rules:
            _r, _recs, states, errors = blocks[id(rule)]
            if any(err[1] for err in errors.values()):
                plain = False
                break
            ri = rule_index[rule.id]
            cols["rule"] += [ri] * len(states)
            cols["rep"] += reps
            cols["code"] += [_CODES[st] for st in states]
            reasons: list[Any] = [None] * len(states)
            for n, err in errors.items():
                reasons[n] = err[0].value if err[0] is not None else None
            cols["reason"] += reasons
        if not plain:
            continue
        types = {"rule": pa.int32(), "rep": pa.int64(), "code": pa.uint8(), "reason": pa.string()}
        con.register("__v_arrow", pa.table({k: pa.array(v, types[k]) for k, v in cols.items()}))
        con.execute(f'CREATE TEMP TABLE "__f_value_{entity}" AS SELECT f.rule, v."__i", v.entity_id, f.code, '
                    f'f.reason, NULL::VARCHAR AS message FROM "__v_arrow" f JOIN "__v_{entity}" v ON v.rep = f.rep')
        con.unregister("__v_arrow")
        records.setdefault(entity, n)
        out[entity] = (n, len(reps))
    return out


def _skipped_children(con: Any, source: _Source, plans: Mapping[str, EntityPlan],
                      bad_rows: Mapping[str, list[int]]) -> dict[str, str]:
    """Child entity -> an SQL condition over its rows (Parquet: its columns; JSON Lines: its line
    ``l.j``), true for the rows Python need not read: every rule of the Python side reading them is
    a gated rule of one parent entity (:func:`_gate`) that does not apply to their parent.

    Exact: such a parent's state for those rules is decided without its children. A child is
    skipped only when its link (a Parquet text column or a JSON text, which the model keeps as
    given) is the id of
    one parent row exactly, that parent's id written once, DuckDB read it (not ``__py``) and every
    gate of those rules is false for it, or it has no link (null or ``""``: no value to the model,
    so no parent's). Children of any other parent, orphans and the child rows DuckDB gave up on
    are read as before; so are the children of another entity's records that DuckDB gave up on
    whose relation rules run in SQL (:func:`_children_for`): a child linked to such an entity is
    skipped only when that link is null, ``""`` or the id of one of its rows DuckDB read. Nothing
    is skipped when the child has Python rules of its own or another entity's Python rule reads it."""
    users: dict[str, set[tuple[str, int] | None]] = {}  # child -> (parent, gate) reading it; None: something else
    for entity, plan in plans.items():
        gate_index = {id(r): j for j, (r, _g, _p) in enumerate(plan.gates)}
        for rule, _why in plan.python_rules:
            need: dict[str, set[str]] = {}
            _needs(rule, need)
            for child in set(need) - {entity}:
                direct = list(sql.relations(entity).values()).count(child) == 1
                users.setdefault(child, set()).add(
                    (entity, gate_index[id(rule)]) if id(rule) in gate_index and direct and set(need) == {entity, child}
                    else None)
        if plan.relations and bad_rows.get(entity) and plan.compiled is not None:  # as _children_for
            for rule in plan.compiled.sql_rules:
                if {p.split(".")[0] for p in leaf_reads(rule, entity)} & set(plan.relations):
                    need = {}
                    _needs(rule, need)
                    for child in set(need) - {entity}:
                        direct = list(sql.relations(entity).values()).count(child) == 1
                        users.setdefault(child, set()).add((entity, -1) if direct and set(need) == {entity, child}
                                                           else None)
    tables = _tables(con)

    def linked(child: str, parent: str, ok: str) -> str | None:  # the link is none, or to one clean row
        fk = next((fk for c, fk, p, _f in model.RELATIONS if c == child and p == parent), None)
        if fk is None or parent not in source.entities or f"__d_{parent}" not in tables:
            return None
        if source.kind == "parquet" and (source.types[child].get(fk) != "VARCHAR"
                                         or source.types[parent].get("id") != "VARCHAR"):
            return None
        table = f"__skip_{child}_{parent}"
        con.execute(f'CREATE OR REPLACE TEMP TABLE {_ident(table)} AS SELECT "__id" AS k FROM "__d_{parent}" '
                    f'WHERE NOT "__py" AND {ok} AND "__id" IN '
                    f'(SELECT "__id" FROM "__d_{parent}" GROUP BY "__id" HAVING count(*) = 1)')
        if source.kind == "parquet":
            return f"(coalesce({_ident(fk)}, '') = '' OR {_ident(fk)} IN (SELECT k FROM {_ident(table)}))"
        # JSON Lines (over the line ``l.j``): absent or null, or a JSON text ("" or a clean parent's id)
        path = _q("$." + _ident(child) + "." + _ident(fk))
        return (f"(coalesce(json_type(l.j, {path}), 'NULL') = 'NULL' OR (json_type(l.j, {path}) = 'VARCHAR' AND "
                f"(json_extract_string(l.j, {path}) = '' OR json_extract_string(l.j, {path}) IN "
                f"(SELECT k FROM {_ident(table)}))))")

    out: dict[str, str] = {}
    for child, who in users.items():
        gated = {w[0] for w in who if w is not None and w[1] >= 0}
        own = plans.get(child)
        if None in who or len(gated) != 1 or child not in source.entities or (own is not None and own.python_rules):
            continue
        parent, = gated
        gates = sorted({w[1] for w in who if w is not None and w[0] == parent and w[1] >= 0})
        conds = [linked(child, parent, " AND ".join(_ident(f"__g{j}") for j in gates))]
        conds += [linked(child, other, "true") for other in sorted({w[0] for w in who if w is not None} - {parent})]
        if all(c is not None for c in conds):
            out[child] = " AND ".join(c for c in conds if c is not None)
    return out


def _read_python(con: Any, source: _Source, plans: Mapping[str, EntityPlan], bad_rows: Mapping[str, list[int]],
                 read: dict[str, list[tuple[int, bool]]], skipped: Mapping[str, str] | None = None
                 ) -> Iterable[Any]:
    """RawRecords for the Python side, as the adapters read them; ``read`` gets each one's
    ``__i`` and whether it is whole; of the entities in ``skipped`` (:func:`_skipped_children`)
    not the rows its condition holds for (unless DuckDB gave up on them)."""
    from layanan_rules.data.dataset import iter_json_records
    from layanan_rules.model.records import Provenance, RawRecord

    if source.kind == "jsonl":
        yield from _read_jsonl(con, source, plans, bad_rows, read, skipped or {})
        return
    import pyarrow as pa

    for entity in source.entities:
        plan = plans.get(entity)
        fields = plan.python_fields if plan is not None else frozenset()
        bad = bad_rows.get(entity, [])
        if not fields and not bad:
            continue
        path = str(source.files[entity])
        rows_of = f"read_parquet({_q(path)}, file_row_number=true)"
        if skipped and entity in skipped:
            con.execute("CREATE OR REPLACE TEMP TABLE __keep AS SELECT UNNEST($1::BIGINT[]) AS i", [list(bad)])
            rows_of = (f"(SELECT * FROM {rows_of} WHERE NOT ({skipped[entity]}) "
                       f"OR file_row_number IN (SELECT i FROM __keep))")
        bad_set = set(bad)
        whole_rows: dict[int, dict[str, Any]] = {}
        if ALL in fields:
            query = f"SELECT file_row_number AS __i, * EXCLUDE (file_row_number) FROM {rows_of} ORDER BY 1"
        else:
            if bad:  # whole records where DuckDB gave up (few)
                con.execute("CREATE OR REPLACE TEMP TABLE __want AS SELECT UNNEST($1::BIGINT[]) AS i", [list(bad)])
                got = con.sql(f"SELECT file_row_number AS __i, * EXCLUDE (file_row_number) FROM {rows_of} "
                              f"WHERE file_row_number IN (SELECT i FROM __want)").to_arrow_table()
                whole_rows = dict(zip(got.column("__i").to_pylist(), got.drop_columns(["__i"]).to_pylist()))
            if fields:  # the fields Python rules read, of every record (of a struct, only its parts read)
                have = source.types[entity]
                keep = [f"{_pack(_ident(f), have[f], sub)} AS {_ident(f)}" for f, sub in _tree(fields).items()
                        if f in have]
                query = f"SELECT file_row_number AS __i{''.join(', ' + k for k in keep)} FROM {rows_of} ORDER BY 1"
            else:
                query = ""
        out = read.setdefault(entity, [])

        def batches(q: str = query, whole_rows: dict[int, dict[str, Any]] = whole_rows
                    ) -> Iterable[tuple[list[int], list[dict[str, Any]]]]:
            if not q:
                yield sorted(whole_rows), [whole_rows[i] for i in sorted(whole_rows)]
                return
            for batch in con.sql(q).to_arrow_reader(65_536):
                tbl = pa.Table.from_batches([batch])
                yield tbl.column("__i").to_pylist(), tbl.drop_columns(["__i"]).to_pylist()

        for idx, rows in batches():
            if whole_rows:
                rows = [whole_rows.get(i, row) for i, row in zip(idx, rows)]
            # a batch at a time, as the Parquet adapter reads: row n of the batch is file row idx[n - 1]
            for rec in iter_json_records({entity: rows}, source=path):
                p = rec.provenance
                if p.part == entity and p.row is not None:
                    i = idx[p.row - 1]
                    rec = RawRecord(rec.entity, rec.data, Provenance(p.source, p.part, i + 1, key=p.key), rec.issues,
                                    rec.fields)
                else:  # a child written inside its parent's row: numbered by that row
                    i = idx[-1] if p.row is None else idx[min(p.row, len(idx)) - 1]
                out.append((i, i in whole_rows or (ALL in fields and i in bad_set)))
                yield rec


def _read_jsonl(con: Any, source: _Source, plans: Mapping[str, EntityPlan], bad_rows: Mapping[str, list[int]],
                read: dict[str, list[tuple[int, bool]]], skipped: Mapping[str, str]) -> Iterable[Any]:
    """JSON Lines for the Python side: whole lines for the records DuckDB gave up on, lines that
    are no ``{"<entity>": {...}}`` (a list, nested children, a key written twice, no entity) and
    entities read whole; the fields Python rules read of the other lines, extracted by DuckDB,
    except the lines ``skipped`` says of their entity (:func:`_skipped_children`)."""
    from layanan_rules import inputs
    from layanan_rules.data.dataset import iter_json_records
    from layanan_rules.data.jsonfile import JsonAdapter
    from layanan_rules.model.records import Provenance, RawRecord

    location = source.location
    whole_entities = sorted(e for e, p in plans.items() if ALL in p.python_fields)
    con.execute("CREATE OR REPLACE TEMP TABLE __want AS SELECT UNNEST($1::BIGINT[]) AS i",
                [sorted({i for rows in bad_rows.values() for i in rows})])
    con.execute("""CREATE OR REPLACE TEMP TABLE __whole AS SELECT s.__i FROM __shape s JOIN __lines l ON l.rowid = s.__i
        WHERE s.e IS NULL OR NOT list_contains($1, s.e) OR list_contains($2, s.e)
           OR json_type(json_extract(l.j, '$."' || s.e || '"')) <> 'OBJECT'
           OR s.__i IN (SELECT i FROM __want)
           OR EXISTS (SELECT 1 FROM (SELECT json_keys(json_extract(l.j, '$."' || s.e || '"')) AS k)
                      WHERE len(k) <> len(list_distinct(k)))""",
                [list(source.entities), whole_entities])
    # the fields Python rules read of the other records
    parts = []
    for entity, plan in plans.items():
        if not plan.python_fields or ALL in plan.python_fields or entity not in source.entities:
            continue
        tops = sorted({f.split(".")[0] for f in plan.python_fields})  # whole top-level values: duplicates show
        pairs = ", ".join(f"{_q(f)}, json_extract(l.j, {_q('$.' + _ident(entity) + '.' + _ident(f))})" for f in tops)
        skip = f" AND NOT ({skipped[entity]})" if entity in skipped else ""
        parts.append(f"SELECT s.__i, {_q(entity)} AS e, CAST(json_object({pairs}) AS VARCHAR) AS t FROM __shape s "
                     f"JOIN __lines l ON l.rowid = s.__i WHERE s.e = {_q(entity)} AND s.__i NOT IN (SELECT __i FROM __whole)"
                     f"{skip}")
    whole = {i for (i,) in con.execute("SELECT __i FROM __whole").fetchall()}
    # lines DuckDB decided no rule of: not one record of a known entity, or given up on
    undecided = {i for (i,) in con.execute(
        "SELECT s.__i FROM __shape s JOIN __lines l ON l.rowid = s.__i WHERE s.e IS NULL OR NOT list_contains($1, s.e) "
        "OR json_type(json_extract(l.j, '$.\"' || s.e || '\"')) <> 'OBJECT' OR s.__i IN (SELECT i FROM __want)",
        [list(source.entities)]).fetchall()}
    partial: dict[int, tuple[str, str]] = {}
    if parts:
        for i, e, t in con.execute(" UNION ALL ".join(parts)).fetchall():
            partial[i] = (e, t)
    if not whole and not partial:
        return
    k = -1
    for n, line in enumerate(JsonAdapter(location)._text_lines(Path(location)), start=1):
        if not line.strip():
            continue
        k += 1
        obj: Any
        if k in whole:
            obj, duplicates = inputs.load_json(line, f"{location}:{n}")
            w = k in undecided
        elif k in partial:
            e, text = partial[k]
            rec_obj, duplicates = inputs.load_json(text, f"{location}:{n}")
            obj, duplicates, w = {e: rec_obj}, [], False
        else:
            continue
        if not isinstance(obj, dict):
            raise NotDirect(f"{location}:{n}: bukan objek JSON / not a JSON object")
        for rec in iter_json_records(obj, source=location, duplicates=duplicates, line=True):
            p = rec.provenance
            read.setdefault(rec.entity, []).append((k, w))
            yield RawRecord(rec.entity, rec.data, Provenance(p.source, p.part, n if p.part == rec.entity else p.row,
                                                             key=p.key), rec.issues, rec.fields)
