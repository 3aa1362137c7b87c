"""The SQL back end: an entity's rules compiled to SQL and run by an embedded DuckDB.

Why: the Python engine decides one record at a time; DuckDB decides a column of records at once
in C++ over several cores. Both produce the same :class:`~layanan_rules.engine.Results` (so the
same findings table, states and reasons): this back end only replaces the per-record loop.

How: the records the adapters read are spread over one column per field the entity's rules read
(``standar.persyaratan`` -> a ``VARCHAR[]`` column; a struct on the way, ``standar``, gets a
column saying whether it is there), handed to DuckDB as Arrow, and bound to the rule
expressions as :class:`~layanan_rules.expr.sql.Row` s; ``param`` and ``as_of`` become literals.
One ``SELECT`` per entity gives every SQL rule's state and error text per record.

What stays in Python, so that nothing is decided differently:

* a rule whose ``when``/``require`` has no SQL form (a function without ``Function.sql``, a
  field of a recursive type, a result not provably boolean): :func:`plan` says which and why,
  ``layanan-rules rules show ID`` and ``rules list --json`` print it;
* a record with unreadable fields (``problems``) or none at all: the engine's careful path;
* a source that failed to read: as in :func:`~layanan_rules.engine.evaluation.run`.

DuckDB is imported only when a run uses this back end. The per-record expression budget
(``expr_steps``/``expr_seconds``) has no meaning inside one SQL query and is not applied.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from layanan_rules import model
from layanan_rules.data.dataset import Dataset
from layanan_rules.engine import evaluation
from layanan_rules.engine.states import Block, Reason, State
from layanan_rules.rules.ruleset import Rule, Ruleset, leaf_reads

#: the choices of ``--engine`` (``evaluate``) and ``engine=`` (:func:`layanan_rules.evaluate`)
ENGINES = ("auto", "python", "duckdb")
#: ``auto`` runs DuckDB from this many records up; None: never. Measured (``python
#: bench/bench_sql.py``, docs/engines.md): while the records reach DuckDB as Python objects,
#: DuckDB does not beat the Python engine at any size, so ``auto`` is Python unless
#: ``LAYANAN_RULES_DUCKDB_FROM`` says otherwise.
AUTO_FROM: int | None = int(os.environ["LAYANAN_RULES_DUCKDB_FROM"]) if os.environ.get(
    "LAYANAN_RULES_DUCKDB_FROM") else None

BACKEND_SQL = "duckdb"
BACKEND_PYTHON = "python"


class EngineUnavailable(RuntimeError):
    """``--engine duckdb`` without the duckdb package installed."""


@attrs.frozen
class Choice:
    """Which back end runs a rule, and why not SQL when it does not."""

    backend: str
    reason: str | None = None


def choose(engine: str, n_records: int) -> str:
    """The back end an ``engine`` choice means for an input of ``n_records``."""
    if engine not in ENGINES:
        raise ValueError(f"engine: one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "auto":
        if AUTO_FROM is None or n_records < AUTO_FROM or not available():
            return BACKEND_PYTHON
        return BACKEND_SQL
    return engine


def available() -> bool:
    """Whether the duckdb package is installed (without importing it)."""
    import importlib.util

    return importlib.util.find_spec("duckdb") is not None


# --- the columns a rule reads -------------------------------------------------------------------------------


@attrs.frozen
class Column:
    """One column of an entity's table: the value at ``path`` (its SQL type ``t``), or, with
    ``present``, whether the struct at ``path`` is there."""

    name: str
    path: tuple[str, ...]
    t: Any  # layanan_rules.expr.types.T (enums as text)
    present: bool = False
    #: the field's type as declared (enums as enums)
    raw: Any = None
    #: a relation (``unit.pengaduan``): the child fields its items hold, only those the rules read
    #: (a list of structs of them); None: the whole value
    sub: tuple[str, ...] | None = None
    #: whether the time or fee at ``path[:-1]`` is given with cases (``kasus``) in the input: always
    #: false in SQL, such a record goes to Python (:data:`CASED`)
    cases: bool = False


@attrs.frozen
class Layout:
    """The columns an entity's rules read, and the :class:`Row` binding them to the entity."""

    entity: str
    columns: tuple[Column, ...]
    binding: Any  # layanan_rules.expr.sql.Row


def _field_types(cls: type) -> dict[str, Any]:
    from layanan_rules.expr.types import attrs_fields

    return _cached_fields(cls, attrs_fields)


@functools.cache
def _cached_fields(cls: type, attrs_fields: Callable[[type], dict[str, Any]]) -> dict[str, Any]:
    from layanan_rules.expr.sql.values import enum_as_string

    return {name: enum_as_string(t) for name, t in attrs_fields(cls).items()}


@functools.lru_cache(maxsize=4096)
def _sql_type(t: Any) -> str | None:
    """DuckDB's type for ``t``; None when it has none (a recursive struct, a dynamic value).
    Kept per type: a recursive struct is found out by recursing to Python's limit, and a plan asks
    for the same types hundreds of times."""
    from layanan_rules.expr.sql import NoSqlForm, sql_type

    try:
        return sql_type(t, "duckdb")
    except (NoSqlForm, RecursionError):
        return None


#: the classes whose cases ``kasus()`` reads in SQL: a time or a fee read whole gets the columns of
#: its own fields and one saying whether the input gives it cases (``Column.cases``; the row names it
#: ``__kasus``, no field of the model's); the cases themselves are Python's
CASED = (model.JangkaWaktu, model.Biaya)


def relations(entity: str) -> dict[str, str]:
    """Relation field of ``entity`` -> the child entity (``unit``: ``pengaduan`` -> ``pengaduan``)."""
    return {field: child for child, _fk, parent, field in model.RELATIONS if parent == entity}


def layout(entity: str, reads: Iterable[str], counted: Iterable[str] = ()) -> Layout:
    """The columns for the field paths ``reads`` (as :func:`leaf_reads` gives them) of ``entity``.

    A path is followed through structs; at a list (a list of texts) or a leaf the whole value is
    one column. A relation (``unit.pengaduan``) is a list of structs holding only the child
    fields read (``pengaduan.diterima_pada`` -> ``diterima_pada``); one read whole is its whole
    struct, except one in ``counted`` (only ``size()`` of it is read), which holds the ids. A
    field whose type has no SQL form gets no column: a rule reading it does not compile, and
    runs in Python."""
    from sqlglot import exp

    from layanan_rules.expr.sql import Row

    reads = sorted(set(reads))
    rels = relations(entity)
    rel_fields: dict[str, set[str]] = {}
    whole_rels: set[str] = set()
    for path in reads:
        steps = path.split(".")
        if steps[0] in rels:
            got = rel_fields.setdefault(steps[0], set())
            if len(steps) > 1:
                got.add(steps[1])
            elif steps[0] not in counted:
                whole_rels.add(steps[0])
    columns: dict[tuple[str, ...], Column] = {}
    for rel, fields_read in rel_fields.items():
        t = _field_types(model.ENTITIES[entity])[rel]
        if rel in whole_rels:
            if _sql_type(t) is not None:
                columns[(rel,)] = Column("c:" + rel, (rel,), t, raw=_raw_fields(model.ENTITIES[entity]).get(rel))
            continue
        child = _field_types(model.ENTITIES[rels[rel]])
        sub = tuple(sorted(fields_read)) or ("id",)
        if all(f in child and _sql_type(child[f]) is not None for f in sub):
            columns[(rel,)] = Column("c:" + rel, (rel,), t, sub=sub)
    for path in reads:
        cls = model.ENTITIES[entity]
        steps = path.split(".")
        if steps[0] in rels:
            continue
        prefix: list[str] = []
        for step in steps:
            fields = _field_types(cls)
            t = fields.get(step)
            raw = _raw_fields(cls).get(step)
            if t is None:
                break
            prefix.append(step)
            if t.kind == "obj" and step != steps[-1]:
                key = (*prefix, "?")
                if key not in columns:
                    columns[key] = Column("p:" + ".".join(prefix), tuple(prefix), t, present=True)
                cls = t.cls
                continue
            key = tuple(prefix)
            if key not in columns and _sql_type(t) is not None:
                columns[key] = Column("c:" + ".".join(key), key, t, raw=raw)
            elif t.kind == "obj" and _sql_type(t) is None and (*key, "?") not in columns:
                # a struct read whole that no column type holds (a standard nests lists of cases): its
                # presence alone, for has(); any other use of it has no SQL form
                columns[(*key, "?")] = Column("p:" + ".".join(key), key, t, present=True)
                if t.cls in CASED:  # and, for kasus(), its own fields and whether cases are given
                    own = _raw_fields(t.cls)
                    for name, ft in _field_types(t.cls).items():
                        if name != "kasus" and _sql_type(ft) is not None and (*key, name) not in columns:
                            columns[(*key, name)] = Column("c:" + ".".join((*key, name)), (*key, name), ft,
                                                           raw=own.get(name))
                    columns[(*key, "kasus", "#")] = Column("k:" + ".".join(key), (*key, "kasus"),
                                                           _field_types(t.cls)["kasus"], cases=True)
            break

    def row(prefix: tuple[str, ...]) -> Any:
        fields: dict[str, Any] = {}
        for col in columns.values():
            if col.present or len(col.path) != len(prefix) + 1 or col.path[:-1] != prefix:
                continue
            fields["__kasus" if col.cases else col.path[-1]] = exp.column(col.name, quoted=True)
        for col in columns.values():
            if col.present and len(col.path) == len(prefix) + 1 and col.path[:-1] == prefix:
                fields[col.path[-1]] = row(col.path)
        present = columns.get((*prefix, "?"))
        return Row(fields, exp.column(present.name, quoted=True) if present is not None and prefix else None)

    return Layout(entity, tuple(columns.values()), row(()))


# --- compiling rules ------------------------------------------------------------------------------------------


@attrs.frozen
class Compiled:
    """An entity's rules that run in SQL (with their programs) and those that run in Python."""

    layout: Layout
    sql_rules: tuple[Rule, ...]
    programs: tuple[tuple[Any, Any], ...]  # (when program or None, require program) per SQL rule
    python_rules: tuple[tuple[Rule, str], ...]  # (rule, why not SQL)


def _bindings(ruleset: Ruleset, lay: Layout, as_of: dt.date) -> dict[str, Any]:
    from layanan_rules.expr.sql import Row, literal

    params = ruleset.params
    pfields = _field_types(type(params))
    from layanan_rules.expr.types import from_py

    return {
        lay.entity: lay.binding,
        "param": Row({n: literal(_plain(getattr(params, n)), t, "duckdb") for n, t in pfields.items()},
                     consts={n: _plain(getattr(params, n)) for n in pfields}),
        "as_of": literal(as_of, from_py(dt.date), "duckdb"),
    }


def _plain(v: Any) -> Any:
    return v.value if isinstance(v, enum.Enum) else v


def _compile_rule(rule: Rule, ruleset: Ruleset, bindings: Mapping[str, Any]) -> tuple[Any, Any]:
    """(when, require) SQL programs of ``rule``; raises NoSqlForm with the reason."""
    from layanan_rules.expr import sql as esql
    from layanan_rules.rules.ruleset import declarations

    decls = declarations(rule.entity, type(ruleset.params))
    out = []
    for part, prog in (("when", rule.when), ("require", rule.require)):
        if prog is None:
            out.append(None)
            continue
        try:
            p = esql.compile(prog.source, decls, ruleset.functions, bindings=bindings)
        except RecursionError:
            raise esql.NoSqlForm("ekspresi terlalu dalam / expression nested too deeply") from None
        if p.type.kind not in ("bool", "null"):
            raise esql.NoSqlForm(f"{part} tidak terbukti bernilai boolean / {part} is not provably a boolean")
        out.append(p)
    return out[0], out[1]


def compile_entity(ruleset: Ruleset, rules: Sequence[Rule], as_of: dt.date) -> Compiled:
    """Compile the rules of one entity; the table holds the columns of the rules that compiled.

    Each rule is compiled against the columns of what it reads (named by field path, so the
    same SQL reads the union of them), so a rule left to Python costs no column."""
    entity = rules[0].entity
    sql_rules, programs, python_rules = [], [], []
    reads: list[str] = []
    for rule in rules:
        got = _compiled_rule(ruleset, rule, as_of)
        if isinstance(got, str):
            python_rules.append((rule, got))
            continue
        sql_rules.append(rule)
        programs.append(got)
        reads.extend(leaf_reads(rule, entity))
    return Compiled(layout(entity, reads, counted_of(sql_rules)), tuple(sql_rules), tuple(programs),
                    tuple(python_rules))


def counted(rule: Rule) -> frozenset[str]:
    """The relations of ``rule``'s entity it reads only as ``size(<entity>.<relation>)`` (so the
    children's ids are all it needs of them)."""
    import re

    out = []
    texts = [p.source for p in (rule.when, rule.require) if p is not None]
    for rel in relations(rule.entity):
        name = re.escape(f"{rule.entity}.{rel}")
        uses = sum(len(re.findall(rf"(?<![\w.]){name}(?![\w])", t)) for t in texts)
        sized = sum(len(re.findall(rf"\bsize\(\s*{name}\s*\)", t)) for t in texts)
        if uses and uses == sized:
            out.append(rel)
    return frozenset(out)


def counted_of(rules: Iterable[Rule]) -> frozenset[str]:
    """The relations every one of ``rules`` reading them whole reads only through ``size()``."""
    rules = list(rules)
    whole = {p for r in rules for p in leaf_reads(r, r.entity) if "." not in p and p in relations(r.entity)}
    return frozenset(rel for rel in whole if all(rel in counted(r) or rel not in leaf_reads(r, r.entity)
                                                 for r in rules))


@functools.lru_cache(maxsize=4096)
def sized(rule: Rule) -> frozenset[str]:
    """The field paths of ``rule``'s entity (as :func:`leaf_reads` gives them, not relations) it
    reads only as ``size(<entity>.<path>)``: of such a value its length is all it needs (a list of
    regulations the model parses entry by entry: the number of entries, not their parse). Kept per
    rule (:func:`sized_of` asks once per path and rule; each answer parses the rule's texts).

    Read off the parsed predicates: every occurrence of the path must be the whole argument of
    ``size()``; any other use (``has()``, a macro, an index, ``.size()``) and it is not sized."""
    from layanan_rules.expr import ast
    from layanan_rules.expr.parser import parse

    rels = relations(rule.entity)
    wanted = {f"{rule.entity}.{p}": p for p in leaf_reads(rule, rule.entity) if p.split(".")[0] not in rels}
    uses: dict[str, int] = {}
    in_size: dict[str, int] = {}
    for pred in (rule.when, rule.require):
        if pred is None:
            continue
        nodes = list(ast.walk(parse(pred.source)))
        size_args = {id(n.args[0]) for n in nodes
                     if isinstance(n, ast.Call) and n.function == "size" and n.target is None and len(n.args) == 1}
        for n in nodes:
            name = _dotted(n)
            if name in wanted:
                uses[name] = uses.get(name, 0) + 1
                if id(n) in size_args:
                    in_size[name] = in_size.get(name, 0) + 1
    return frozenset(wanted[name] for name, n in uses.items() if in_size.get(name) == n)


def _dotted(node: Any) -> str | None:
    """``a.b.c`` of a chain of field selections on a name, else None."""
    from layanan_rules.expr import ast

    parts: list[str] = []
    while isinstance(node, ast.Select):
        parts.append(node.field)
        node = node.operand
    if not isinstance(node, ast.Ident) or not parts:
        return None
    parts.append(node.name)
    return ".".join(reversed(parts))


def sized_of(rules: Iterable[Rule]) -> frozenset[str]:
    """The paths every one of ``rules`` reading them reads only through ``size()`` (:func:`sized`)."""
    rules = list(rules)
    read = {p for r in rules for p in leaf_reads(r, r.entity)}
    return frozenset(p for p in read if all(p in sized(r) or p not in leaf_reads(r, r.entity) for r in rules))


@functools.lru_cache(maxsize=4096)
def _compiled_rule(ruleset: Ruleset, rule: Rule, as_of: dt.date) -> tuple[Any, Any] | str:
    """(when, require) SQL programs of ``rule``, or why it has none."""
    from layanan_rules.expr import ExprErrors
    from layanan_rules.expr import sql as esql

    lay = layout(rule.entity, leaf_reads(rule, rule.entity), counted(rule))
    try:
        return _compile_rule(rule, ruleset, _bindings(ruleset, lay, as_of))
    except esql.NoSqlForm as e:
        if "tidak dipetakan ke kolom" in e.reason:  # a field layout() gave no column: say why
            name = e.reason.split("'")[1]
            return (f"field '{name}' bertipe tanpa bentuk SQL (struktur rekursif, mis. daftar kasus) / field "
                    f"'{name}' has a type with no SQL form (a recursive structure, e.g. a list of cases)")
        return e.reason
    except ExprErrors as e:  # the Python checker accepted it; the SQL compiler should too
        return f"tidak terkompilasi ke SQL / did not compile to SQL: {e}"


#: the day rules are compiled on to decide their back end (which never depends on the day)
_PLAN_DAY = dt.date(2024, 1, 1)


def choice(ruleset: Ruleset, rule: Rule) -> Choice:
    """The back end that runs ``rule`` under ``--engine duckdb``, and why Python when so."""
    got = _compiled_rule(ruleset, rule, _PLAN_DAY)
    return Choice(BACKEND_PYTHON, got) if isinstance(got, str) else Choice(BACKEND_SQL)


def plan(ruleset: Ruleset, chooser: Callable[[Ruleset, Rule], Choice] | None = None,
         code: tuple[str, ...] = ()) -> dict[str, Choice]:
    """Rule id -> :func:`choice` (or ``chooser``, another back end's, whose module names are
    ``code``), for every rule. Kept on disk per ruleset (compiling every rule to SQL takes seconds;
    ``rules list --json`` asks for all of them), in the expression cache's folder, keyed by the
    rules' texts, the parameters, the functions and the compiler's code."""
    chooser = chooser or choice
    key = _plan_key(ruleset, code)
    path = _plan_path(key) if key is not None else None
    if path is not None:
        try:
            got = json.loads(path.read_text(encoding="utf-8"))
            if set(got) == {r.id for r in ruleset.rules}:
                return {rid: Choice(b, why) for rid, (b, why) in got.items()}
        except (OSError, ValueError, TypeError):
            pass
    out = {rule.id: chooser(ruleset, rule) for rule in ruleset.rules}
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({rid: [c.backend, c.reason] for rid, c in out.items()}), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass
    return out


_PLAN_CODE = ("layanan_rules.engine.sql", "layanan_rules.rules.functions", "layanan_rules.rules.ruleset",
              "layanan_rules.model.entities")


def _plan_key(ruleset: Ruleset, code: tuple[str, ...] = ()) -> str | None:
    import hashlib
    import importlib
    import importlib.util

    from layanan_rules.expr import cache as expr_cache

    if expr_cache.root() is None:
        return None
    h = hashlib.sha256(expr_cache.compiler_fingerprint().encode())
    for name in (*_PLAN_CODE, *code):
        importlib.import_module(name)
        h.update(f"{name}:{expr_cache.module_fingerprint(name)}".encode())
    spec = importlib.util.find_spec("layanan_rules.expr.sql")  # its code, without importing sqlglot
    for f in sorted(Path(spec.origin).parent.glob("*.py")) if spec is not None and spec.origin else ():
        h.update(f.read_bytes())
    h.update(expr_cache.functions_fingerprint(ruleset.functions).encode())
    h.update(repr(sorted((f.name, repr(getattr(ruleset.params, f.name))) for f in attrs.fields(type(ruleset.params)))).encode())
    for r in ruleset.rules:
        h.update(f"\0{r.id}\0{r.entity}\0{r.when.source if r.when else ''}\0{r.require.source}".encode())
    return h.hexdigest()


def _plan_path(key: str) -> Path | None:
    from layanan_rules.expr import cache as expr_cache

    base = expr_cache.root()
    return base / "sql-plans" / f"{key}.json" if base is not None else None


# --- running --------------------------------------------------------------------------------------------------

#: state codes the query gives: pass, fail, not applicable, error in when, when not boolean,
#: error in require, require not boolean
STATES = (State.pass_, State.fail, State.not_applicable, State.error, State.error, State.error, State.error)


def state_sql(k: int, when: Any, require: Any) -> tuple[list[str], str, str]:
    """Rule ``k``'s state in SQL from its compiled ``when`` and ``require``: the columns to compute
    first (``w{k}v``/``w{k}e``, ``r{k}v``/``r{k}e``: each program's value and error text), then,
    over them, the ``WHEN`` arms of its state code (an index of :data:`STATES`; the caller wraps
    them in ``CASE ... END``, after arms of its own) and its error text. One place for what the
    codes mean, for every SQL back end."""
    inner = [f"({require.value_sql()}) AS r{k}v, ({require.error_sql()}) AS r{k}e"]
    arms = f"WHEN r{k}e IS NOT NULL THEN 5 WHEN r{k}v IS NULL THEN 6 WHEN r{k}v THEN 0 ELSE 1"
    if when is None:
        return inner, arms, f"r{k}e"
    inner.append(f"({when.value_sql()}) AS w{k}v, ({when.error_sql()}) AS w{k}e")
    return (inner, f"WHEN w{k}e IS NOT NULL THEN 3 WHEN w{k}v IS NULL THEN 4 WHEN NOT w{k}v THEN 2 {arms}",
            f"CASE WHEN w{k}e IS NOT NULL THEN w{k}e WHEN w{k}v THEN r{k}e END")


def run(ruleset: Ruleset, data: Dataset | Mapping[str, Any], *, as_of: dt.date | None = None) -> evaluation.Results:
    """:func:`layanan_rules.engine.run` with each entity's SQL rules run in DuckDB."""
    try:
        import duckdb  # noqa: F401  (here: a clear error when it is not installed)
    except ImportError:
        raise EngineUnavailable("--engine duckdb memerlukan paket duckdb / needs the duckdb package: "
                                "pip install duckdb") from None
    from layanan_rules.expr.sql.duck import connect

    as_of = as_of or dt.date.today()
    con = connect()
    try:

        def entity_states(rules: list[Rule], records: Any, params: Any, day: dt.date,
                          cost: tuple[int, float]) -> dict[int, Block]:
            return _entity(con, ruleset, rules, records, params, day, cost)

        with evaluation.paused_gc():
            ds = evaluation.as_dataset(data)
            blocks, skipped = evaluation.evaluate(ruleset, ds, as_of, entity_states)
    finally:
        con.close()
    return evaluation.Results(ruleset, ds, as_of, blocks, skipped)


def _entity(con: Any, ruleset: Ruleset, rules: list[Rule], records: Any, params: Any, as_of: dt.date,
            cost: tuple[int, float]) -> dict[int, Block]:
    records = tuple(records)
    compiled = compile_entity(ruleset, rules, as_of)
    out: dict[int, Block] = {}
    if compiled.python_rules:
        out.update(evaluation.evaluate_entity([r for r, _why in compiled.python_rules], records, params, as_of, cost))
    if not compiled.sql_rules:
        return out
    clean = [i for i, rec in enumerate(records) if rec.obj is not None and not rec.problems]
    states: list[list[Any]] = [[] for _ in compiled.sql_rules]
    errors: list[dict[int, tuple[Any, Any]]] = [{} for _ in compiled.sql_rules]
    codes = _run_sql(con, compiled, [records[i].obj for i in clean]) if clean else None
    if codes is not None and len(clean) == len(records):  # the common case: every record in SQL
        for k, (col, errs) in enumerate(codes):
            states[k] = list(map(STATES.__getitem__, col))
            errors[k] = errs
    else:
        pos = {n: j for j, n in enumerate(clean)}
        careful = [rec for i, rec in enumerate(records) if i not in pos]
        rest = {}
        if careful:
            block = evaluation.evaluate_entity(list(compiled.sql_rules), careful, params, as_of, cost)
            rest = {id(r): block[id(r)] for r in compiled.sql_rules}
        for k, rule in enumerate(compiled.sql_rules):
            col, errs = codes[k] if codes is not None else ([], {})
            _r, _recs, cst, cer = rest.get(id(rule), (None, (), [], {}))
            ci = 0
            for i in range(len(records)):
                j = pos.get(i)
                if j is not None:
                    states[k].append(STATES[col[j]])
                    if j in errs:
                        errors[k][i] = errs[j]
                else:
                    states[k].append(cst[ci])
                    if ci in cer:
                        errors[k][i] = cer[ci]
                    ci += 1
    for k, rule in enumerate(compiled.sql_rules):
        out[id(rule)] = (rule, records, states[k], errors[k])
    return out


def _run_sql(con: Any, compiled: Compiled, objs: Sequence[Any]) -> list[tuple[list[int], dict[int, tuple[Any, Any]]]]:
    """Per SQL rule: the state code of each object and the errors by position."""
    import pyarrow as pa

    from layanan_rules.expr.sql import context_join, create_tables

    lay = compiled.layout
    arrays = [pa.array(range(len(objs)), pa.int64())]
    names = ["__i"]
    selects = ['"__i"']
    for col in lay.columns:
        arrays.append(_arrow_column(col, objs))
        names.append(col.name)
        selects.append(f'CAST("{col.name}" AS {column_type(col)}) AS "{col.name}"')
    table = pa.Table.from_arrays(arrays, names=names)
    view = f"__in_{lay.entity}"
    con.register(view + "_arrow", table)
    try:
        con.execute(f'CREATE OR REPLACE TEMP TABLE "{view}" AS SELECT {", ".join(selects)} FROM "{view}_arrow"')
    finally:
        con.unregister(view + "_arrow")
    del table, arrays
    context: dict[str, Any] = {}
    inner, outer = [], []
    for k, (when, require) in enumerate(compiled.programs):
        for p in (when, require):
            if p is not None:
                create_tables(con, p.tables)
                context.update(p.context)
        cols, arms, err = state_sql(k, when, require)
        inner += cols
        outer.append(f"CAST(CASE {arms} END AS UTINYINT) AS s{k}, {err} AS e{k}")
    query = (f'SELECT {", ".join(outer)} FROM (SELECT "__i", {", ".join(inner)} FROM "{view}" '
             f'{context_join(context, "duckdb")}) ORDER BY "__i"')
    try:
        result = con.sql(query).to_arrow_table()
    finally:
        con.execute(f'DROP TABLE IF EXISTS "{view}"')
    out = []
    for k in range(len(compiled.programs)):
        codes = result.column(f"s{k}").to_pylist()
        errs: dict[int, tuple[Any, Any]] = {}
        bad = [j for j, c in enumerate(codes) if c >= 3]
        if bad:
            texts = result.column(f"e{k}").take(pa.array(bad, pa.int64())).to_pylist()
            for j, text in zip(bad, texts):
                errs[j] = error_outcome(codes[j], text)
        out.append((codes, errs))
    return out


def error_outcome(code: int, text: str | None) -> tuple[Reason, str]:
    """(reason, message) as the Python engine gives them for an error state."""
    from layanan_rules.expr.sql import split_error

    if code in (4, 6):
        return Reason.not_boolean, evaluation.not_bool("when" if code == 4 else "require", None)
    got = split_error(text)
    reason, message = got if got is not None else ("invalid_argument", "")
    return evaluation.REASONS.get(reason, Reason.expression_error), message


# --- Python values -> Arrow ------------------------------------------------------------------------------------


def column_type(col: Column, dialect: str = "duckdb") -> str:
    """The SQL type of a layout's column in ``dialect``."""
    from layanan_rules.expr.sql import case_list_type, sql_type

    if col.present:
        return "BOOLEAN"
    if col.cases:
        return case_list_type(col.t.elem.cls, dialect)
    if col.sub is None:
        return sql_type(col.t, dialect)
    child = _field_types(col.t.elem.cls)
    if dialect == "spark":
        return f"ARRAY<STRUCT<{', '.join(f'{f}: {sql_type(child[f], dialect)}' for f in col.sub)}>>"
    return f"STRUCT({', '.join(f'{chr(34)}{f}{chr(34)} {sql_type(child[f], dialect)}' for f in col.sub)})[]"


def _arrow_column(col: Column, objs: Sequence[Any]) -> Any:
    import pyarrow as pa

    get = _getter(col.path)
    if col.present:
        return pa.array([get(o) is not None for o in objs], pa.bool_())
    if col.cases:  # the cases of a time or fee, each a struct of its own fields (expr.sql.case_fields)
        from layanan_rules.expr.sql import case_fields

        cls = col.t.elem.cls
        fields = case_fields(cls)
        convs = [(f, _converter(t, _raw_fields(cls)[f])) for f, t in fields]
        typ = pa.list_(pa.struct([(f, _arrow_type(t)) for f, t in fields]))
        return pa.array([[{f: (getattr(c, f) if cv is None else cv(getattr(c, f))) for f, cv in convs}
                          for c in (get(o) or ())] for o in objs], typ)
    if col.sub is not None:  # a relation: each child as a tuple of the fields read
        import operator

        cls = col.t.elem.cls
        child, raws = _field_types(cls), _raw_fields(cls)
        convs = [_converter(child[f], raws[f]) for f in col.sub]
        getters = [operator.attrgetter(f) for f in col.sub]
        typ = pa.list_(pa.struct([(f, _arrow_type(child[f])) for f in col.sub]))
        return pa.array([[{f: (g(c) if cv is None else cv(g(c))) for f, g, cv in zip(col.sub, getters, convs)}
                          for c in (get(o) or ())] for o in objs], typ)
    conv = _converter(col.t, col.raw)
    values = list(map(get, objs)) if conv is None else [conv(get(o)) for o in objs]
    return pa.array(values, _arrow_type(col.t))


def _getter(path: tuple[str, ...]) -> Callable[[Any], Any]:
    import operator

    if len(path) == 1:
        return operator.attrgetter(path[0])

    def get(o: Any) -> Any:
        for step in path:
            if o is None:
                return None
            o = getattr(o, step)
        return o

    return get


def _arrow_type(t: Any) -> Any:
    import pyarrow as pa

    k = t.kind
    simple = {"int": pa.int64(), "uint": pa.uint64(), "double": pa.float64(), "bool": pa.bool_(),
              "string": pa.string(), "bytes": pa.binary(), "timestamp": pa.timestamp("us", tz="UTC"),
              "duration": pa.int64(), "date": pa.date32(), "type": pa.string(), "null": pa.int32()}
    if k in simple:
        return simple[k]
    if k == "list":
        return pa.list_(_arrow_type(t.elem))
    if k == "map":
        return pa.map_(_arrow_type(t.key), _arrow_type(t.val))
    if k == "obj":
        return pa.struct([(n, _arrow_type(ft)) for n, ft in _field_types(t.cls).items()])
    raise TypeError(f"no Arrow type for {t.name()}")


def _raw_fields(cls: type) -> dict[str, Any]:
    from layanan_rules.expr.types import attrs_fields

    return _cached_raw(cls, attrs_fields)


@functools.cache
def _cached_raw(cls: type, attrs_fields: Callable[[type], dict[str, Any]]) -> dict[str, Any]:
    return dict(attrs_fields(cls))


def _converter(t: Any, raw: Any = None) -> Callable[[Any], Any] | None:
    """``value -> what pyarrow takes`` for static type ``t`` (enums as their value, durations in
    microseconds, structs as tuples), or None when the value is taken as it is. ``raw`` is the
    type before enums became text."""
    import operator

    from layanan_rules.expr.sql.values import duration_us

    raw = raw if raw is not None else t
    k = t.kind
    if raw.enum is not None:
        return lambda v: None if v is None else (v.value if isinstance(v, enum.Enum) else v)
    if k == "duration":
        return lambda v: None if v is None else duration_us(v)
    if k == "list":
        elem = _converter(t.elem, raw.elem)
        if elem is None:
            return None
        return lambda v: None if v is None else [elem(x) for x in v]
    if k == "map":
        key = _converter(t.key, raw.key) or (lambda x: x)
        val = _converter(t.val, raw.val) or (lambda x: x)
        return lambda v: None if v is None else [(key(a), val(b)) for a, b in v.items()]
    if k == "obj":
        names = list(_field_types(t.cls))
        raws = _raw_fields(t.cls)
        convs = [_converter(ft, raws[n]) for n, ft in _field_types(t.cls).items()]
        get = operator.attrgetter(*names)
        if len(names) == 1:
            one = get

            def get(v: Any) -> tuple[Any, ...]:
                return (one(v),)
        if all(c is None for c in convs):
            return lambda v: None if v is None else get(v)
        pairs = tuple(convs)

        def struct(v: Any) -> Any:
            if v is None:
                return None
            return tuple(x if c is None else c(x) for c, x in zip(pairs, get(v)))

        return struct
    if k in ("int", "uint"):
        return None
    if k == "double":
        return lambda v: None if v is None else float(v)
    return None
