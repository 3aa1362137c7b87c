"""The plan: per entity, which rules DuckDB decides (their SQL forms, typed columns and
relations' lists), which Python decides and why, which fields of every record the Python side reads
(:class:`EntityPlan`, :func:`plan_entities`), the SQL gates of rules left to Python (:func:`_gate`)
and the relations' values hoisted out of the rules (:func:`_hoist`).

Why a module: it decides, before any row is read, how the work is split; the SQL pass and the
Python part only carry the plan out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from layanan_rules import model
from layanan_rules.engine import sql
from layanan_rules.engine.scan.quote import _ident
from layanan_rules.engine.scan.source import (
    Feed,
    Unsupported,
    _nested,
    _relation_table,
    _Source,
    _struct_fields,
    _typed,
)
from layanan_rules.rules.ruleset import Rule, Ruleset, leaf_reads

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
    #: the relations' children's lists this entity's SQL pass builds (:class:`.source.Feed`)
    feeds: tuple[Feed, ...] = ()


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
    feeds = _feeds(source, compiled_of)
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
                                 gated.get(entity, ()), feeds.get(entity, ()))
    return out


def _feeds(source: _Source, compiled_of: Mapping[str, tuple[Any, Any, dict[str, tuple[str, str]]]]
           ) -> dict[str, tuple[Feed, ...]]:
    """Per child entity, the relation tables its SQL pass builds (:class:`.source.Feed`): those
    some parent reads, of a child with a pass of its own that reads no relation itself and does
    not read a field they hold only through ``size()``. The other tables read and type the
    children themselves, built here (the old way).

    Why: the complaints were read and typed twice at 100k/1M (for their rules and for the units'
    lists), and the units' per-complaint values repeat parts of the complaints' own rules."""
    used = {name for _c, _t, tables in compiled_of.values() for name, _typ in tables.values()}
    out: dict[str, tuple[Feed, ...]] = {}
    for child, by_name in source.feeds.items():
        kept = []
        for name, feed in by_name.items():
            if name not in used:
                continue
            got = compiled_of.get(child)
            if got is not None and all(c.sub is None for c in got[0].layout.columns) and not (
                    {*feed.sub, feed.fk} & sql.sized_of(got[0].sql_rules)):
                kept.append(feed)
            else:
                source.con.execute(feed.sql)
        out[child] = tuple(kept)
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
            if not any(not c.table and c.name in rel_cols for t in (prog.value, prog.error) if t is not None
                       for c in t.find_all(exp.Column)):  # reads no relation: nothing to hoist, no copy
                new.append(prog)
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
