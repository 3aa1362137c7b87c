"""The SQL pass of one entity: every rule with an SQL form decided in one query over the typed
rows, the counts per rule and state in one pass over the decided codes, and the findings rows'
reasons and messages as SQL (:func:`_direct_entity`).

Why a module: it is the part of the scan that runs no Python per record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from layanan_rules.engine import evaluation, sql
from layanan_rules.engine.scan.quote import _q
from layanan_rules.engine.scan.shared import _shared
from layanan_rules.engine.scan.source import _Source, _Typed, _typed_rows
from layanan_rules.engine.states import Reason
from layanan_rules.rules.ruleset import Rule, Ruleset


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
    # in input order: the findings are written from this table rule by rule in its order. A plain
    # scan with projections keeps the file's order (DuckDB's preserve_insertion_order); the window
    # (an id written twice) and the joins of the relations' lists do not, so those are sorted by the
    # row: parents are few (measured at 100k/1M: ~0.05 CPU s for the layanan and the units)
    order = ' ORDER BY "__i"' if relation_tables else ""
    con.execute(f'CREATE TEMP TABLE "{decided}" AS SELECT "__i", "__id", "__py", {outer or "1 AS none"} FROM '
                f'(SELECT "__i", "__id", "__py", {", ".join(inner) or "1"} FROM ({rows})){order}')
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
