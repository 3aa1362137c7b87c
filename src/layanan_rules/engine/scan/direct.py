"""The SQL pass of one entity: every rule with an SQL form decided in one query over the typed
rows, the counts per rule and state in one pass over the decided codes, and the findings rows'
reasons and messages as SQL (:func:`_direct_entity`).

Why a module: it is the part of the scan that runs no Python per record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from layanan_rules.engine import evaluation, sql
from layanan_rules.engine.scan.quote import _ident, _q
from layanan_rules.engine.scan.shared import _shared, _Tree
from layanan_rules.engine.scan.source import Feed, _Source, _Typed, _typed, _typed_rows
from layanan_rules.engine.states import Reason
from layanan_rules.rules.ruleset import Rule, Ruleset

#: the Parquet options of the scan's own files (the decided codes, the rows decided in Python): read
#: back once per rule, so cheap to read more than small
SPILL_OPTIONS = "COMPRESSION snappy"


def _direct_entity(con: Any, source: _Source, entity: str, compiled: sql.Compiled, typed: _Typed,
                   rule_index: Mapping[str, int], as_of: dt.date, ruleset: Ruleset,
                   relation_tables: Mapping[str, tuple[str, str]], counts: dict[int, dict[str, int]],
                   write_parts: list[tuple[int, str, str, str, str]] | None = None,
                   gates: tuple[tuple[Rule, Rule, tuple[Any, Any]], ...] = (),
                   feeds: tuple[Feed, ...] = (), *, spill: Path) -> tuple[int, list[int]]:
    """Decide ``entity``'s rules in SQL; ``__f_<entity>`` holds its findings rows, ``counts``
    (rule index -> state -> n) gets their counts, ``write_parts`` per rule its index, the name of the
    decided codes (``__d_<entity>``: a view of the file ``spill/__d_<entity>.parquet``), the code's
    column there and the SQL of its reason and message over it;
    ``__d_<entity>`` gets a column ``__g<k>`` per gate of ``gates`` (:func:`_gate`), true where it
    is false without an error; ``feeds``: the relation tables built from this pass (:class:`Feed`).
    Returns the number of records and the rows (``__i``) left to Python."""
    from layanan_rules.expr.sql import context_join, create_tables

    also, flags, feed_programs, by = None, {}, [], {}
    if feeds:  # the feeds' fields typed beside the rules' (their bad values apart), their values as programs
        from sqlglot import exp

        union_cols = list(compiled.layout.columns)
        for j, feed in enumerate(feeds):
            lay = sql.layout(entity, [*feed.sub, feed.fk])
            union_cols += [c for c in lay.columns if c.path not in {x.path for x in union_cols}]
            flags[f"__pyr{j}"] = _typed(entity, lay, source).bad
        union = attrs.evolve(compiled.layout, columns=tuple(union_cols))
        by = {c.path: c.name for c in union.columns}
        also = (_typed(entity, union, source, sql.sized_of([*compiled.sql_rules, *(g for _r, g, _p in gates)])), union)
        for feed in feeds:
            for _h, tree in feed.derived:
                tree = tree.copy()
                for c in list(tree.find_all(exp.Column)):
                    if not c.table and c.name.startswith("__f:"):
                        c.replace(exp.column(by[(c.name[4:],)], quoted=True))
                feed_programs.append(_Tree(tree))
    typed_rows = _typed_rows(source, entity, compiled.layout, typed, relation_tables, also, flags)
    context: dict[str, Any] = {}
    programs: list[Any] = []
    for (when, require) in compiled.programs:
        programs += [when, require]
    programs += [require for _rule, _gate, (_when, require) in gates]
    programs += feed_programs
    for p in programs:
        if p is not None and not isinstance(p, _Tree):  # a feed's value: its tables made when planned
            create_tables(con, p.tables)
            context.update(p.context)
    rows, texts = _shared(f"SELECT * FROM ({typed_rows}) AS __r {context_join(context, 'duckdb')}", programs,
                          con=con, table=f"__u_{entity}")
    inner, per_rule = [], []
    for k, (rule, (when, require)) in enumerate(zip(compiled.sql_rules, zip(texts[0::2], texts[1::2]))):
        cols, arms, err = sql.state_sql(k, when, require)
        inner += cols
        per_rule.append((rule_index[rule.id], f"CASE {arms} END", err))
    n_rules = 2 * len(compiled.programs)
    for j, require in enumerate(texts[n_rules:n_rules + len(gates)]):
        assert require is not None  # a gate's requirement
        inner.append(f"({require.value_sql()}) AS g{j}v, ({require.error_sql()}) AS g{j}e")
    values = iter([t.value_sql() for t in texts[n_rules + len(gates):] if t is not None])
    kept: list[str] = []
    for j, feed in enumerate(feeds):
        kept += [f'"__k{j}"', f'"__pyr{j}"', *(_ident(f"__r{j}:{f}") for f in feed.kept),
                 *(_ident(f"__r{j}:{h}") for h, _t in feed.derived)]
        inner += [f'{_ident(by[(feed.fk,)])} AS "__k{j}"', f'"__pyr{j}"',
                  *(f"{_ident(by[(f,)])} AS {_ident(f'__r{j}:{f}')}" for f in feed.kept),
                  *(f"({next(values)}) AS {_ident(f'__r{j}:{h}')}" for h, _t in feed.derived)]
    decided = f"__d_{entity}"
    outer = ", ".join([*(f"CAST({code} AS UTINYINT) AS s{k}, {err} AS e{k}" for k, (_r, code, err) in enumerate(per_rule)),
                       *(f'coalesce(g{j}e IS NULL AND NOT g{j}v, false) AS "__g{j}"' for j in range(len(gates))),
                       *kept])
    # in input order: the findings are written from this table rule by rule in its order. A plain
    # scan with projections keeps the file's order (DuckDB's preserve_insertion_order); the window
    # (an id written twice) and the joins of the relations' lists do not, so those are sorted by the
    # row: parents are few (measured at 100k/1M: ~0.05 CPU s for the layanan and the units)
    order = ' ORDER BY "__i"' if relation_tables else ""
    query = (f'SELECT "__i", "__id", "__py", {outer or "1 AS none"} FROM '
             f'(SELECT "__i", "__id", "__py", {", ".join(inner) or "1"} FROM ({rows})){order}')
    # written to a file and read back through a view, not kept as a table: DuckDB keeps a temporary
    # table in memory up to its bound (measured at 1M/10M: 675 MB for the complaints' codes, 118 for
    # the layanan's, so the peak sat at the bound), a file's row groups are read as they are needed
    path = str(spill / f"{decided}.parquet")
    con.execute(f"COPY ({query}) TO {_q(path)} (FORMAT parquet, {SPILL_OPTIONS})")
    con.execute(f'CREATE TEMP VIEW "{decided}" AS SELECT * FROM read_parquet({_q(path)})')
    for j, feed in enumerate(feeds):  # the children's lists, as _relation_table builds them
        pack = ", ".join([*(f"{_ident(f)} := {_ident(f'__r{j}:{f}')}" for f in feed.kept),
                          *(f"{_ident(h)} := {_ident(f'__r{j}:{h}')}" for h, _t in feed.derived)])
        con.execute(f'CREATE OR REPLACE TEMP TABLE {_ident(feed.name)} AS SELECT "__k{j}" AS k, list(struct_pack({pack}) '
                    f'ORDER BY "__i") AS v, bool_or("__pyr{j}") AS bad FROM "{decided}" GROUP BY "__k{j}"')
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
