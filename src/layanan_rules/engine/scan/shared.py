"""The work several SQL programs share, computed once per row (:func:`_shared`, over
:func:`layanan_rules.expr.sql.shared.share`), and the costly values of one column once per distinct
value (:func:`_by_value`).

Why a module: both the SQL pass (:mod:`.direct`) and the relations' children's lists
(:func:`.source._relation_table`) build their queries with it."""

from __future__ import annotations

from typing import Any

from layanan_rules.engine.scan.quote import _ident


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
