"""Compiled expressions run by an embedded DuckDB over rows of Python values.

For tests, the conformance runner and small inputs: the rows are bound through the DuckDB
client into a temporary table with one typed column per variable, and one ``SELECT`` computes
every program's value and error per row. Big inputs are read by DuckDB itself (a back end's job).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from ..runtime import CelType, UInt
from ..types import T, from_py
from . import SqlProgram, context_join, create_tables
from .values import host_value, sql_type

_names = itertools.count()


def connect() -> Any:
    """A DuckDB connection whose session time zone is UTC (nothing compiled depends on it, but
    values read back then come as UTC) and without DuckDB's progress bar: it prints to the
    process's stdout on any query over 2 s, into a report an embedder writes there (the CLI
    has its own progress)."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    return con


def evaluate_rows(con: Any, programs: Sequence[SqlProgram], columns: Mapping[str, Any],
                  rows: Sequence[Sequence[Any]]) -> list[list[tuple[Any, str | None]]]:
    """Per row, per program: ``(value, error text)`` with the value as the Python back end
    holds it. ``columns`` maps each variable to its type (a Python declaration or a ``T``);
    a row gives the variables' values in that order."""
    types = {name: from_py(tp) if not isinstance(tp, T) else tp for name, tp in columns.items()}
    table = f"__rows{next(_names)}"
    cols = ", ".join(f'"{n}" {sql_type(t, "duckdb")}' for n, t in types.items())
    con.execute(f'CREATE TEMP TABLE "{table}" (__i BIGINT, {cols})')
    try:
        if rows:  # column by column, each a list unnested (a statement per row is ~20x slower)
            unnest = ", ".join(f"UNNEST(${k + 2}::{sql_type(t, 'duckdb')}[])" for k, t in enumerate(types.values()))
            params = [list(range(len(rows)))]
            params += [[host_value(row[k], t) for row in rows] for k, t in enumerate(types.values())]
            con.execute(f'INSERT INTO "{table}" SELECT UNNEST($1::BIGINT[]), {unnest}', params)
        context: dict[str, Any] = {}
        for p in programs:
            create_tables(con, p.tables)
            context.update(p.context)
        select = ", ".join(f"{p.value_sql()} AS v{i}, {p.error_sql()} AS e{i}" for i, p in enumerate(programs))
        query = f'SELECT {select or "1"} FROM "{table}" {context_join(context, "duckdb")} ORDER BY __i'
        out = []
        for got in con.execute(query).fetchall():
            out.append([(from_host(got[2 * i], p.type), got[2 * i + 1]) for i, p in enumerate(programs)])
        return out
    finally:
        con.execute(f'DROP TABLE "{table}"')


def from_host(value: Any, t: T) -> Any:
    """A DuckDB result as the Python back end's value of concrete type ``t``."""
    if value is None:
        return None
    k = t.kind
    if k == "uint":
        return UInt(value)
    if k == "int":
        return int(value)
    if k == "duration":
        return dt.timedelta(microseconds=int(value))
    if k == "type":
        return CelType(value)
    if k == "bytes":
        return bytes(value)
    if k == "timestamp":
        return value.astimezone(dt.UTC)
    if k == "list":
        return [from_host(v, t.elem) for v in value]
    if k == "map":
        return {from_host(key, t.key): from_host(v, t.val) for key, v in value.items()}
    return value
