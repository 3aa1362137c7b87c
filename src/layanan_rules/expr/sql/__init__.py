"""The expression language compiled to SQL: one checked CEL AST, rendered for DuckDB,
PostgreSQL or Spark through sqlglot.

    >>> from layanan_rules.expr import sql
    >>> p = sql.compile("x + 1 > 2", {"x": int})
    >>> p.value_sql()
    '...'

An expression becomes two SQL expressions over the columns of the variables: its **value**
(SQL NULL is CEL ``null``) and its **error**, NULL or the text ``reason|message`` carrying the
same reason and message the Python back end's ``CelError`` would. Together they keep CEL's
semantics: absent and null fields, ``has()``, error-absorbing ``&&``/``||``, 64-bit overflow as
an error, and the rest (``docs/expressions.md``, "SQL"). Whatever has no SQL form in the target
dialect raises :class:`NoSqlForm` at compile time, so the rule that needs it can run in Python.

A back end builds one ``SELECT`` per entity with a value and an error column per expression
(``when`` and ``require`` of each rule), over a table with one column per variable, or over
columns given as :class:`Row` bindings. Functions registered by plugins give their SQL form in
``Function.sql``: ``sql(call, *args) -> Val``, see :class:`Call`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlglot import exp

from .. import ast as _ast
from ..errors import ExprErrors, ExprSyntaxError
from ..functions import Function
from ..types import T
from .compiler import Call, Compiler, Pred, Row, Val, check_dialect
from .dialects import DIALECTS, NoSqlForm
from .values import (
    case_fields,
    case_list_type,
    error_text,
    host_value,
    literal,
    split_error,
    sql_type,
    type_of_value,
)

__all__ = [
    "DIALECTS", "Call", "NoSqlForm", "Pred", "Row", "SqlProgram", "Val", "case_fields", "case_list_type", "compile",
    "context_join", "create_tables", "error_text",
    "host_value", "literal", "split_error", "sql_type", "type_of_value",
]

#: name -> (columns as (name, SQL type), rows()) of a table an expression reads
Tables = Mapping[str, tuple[tuple[tuple[str, str], ...], Callable[[], Any]]]


class SqlProgram:
    """A compiled expression: ``value`` and ``error`` (sqlglot trees), its concrete ``type``.

    ``error`` is a NULL literal when the expression cannot fail. ``tables`` are the helper
    tables it reads (the holiday calendar of ``hari_kerja``...): create them with
    :func:`create_tables` (DuckDB) or from their rows before running the SQL. ``context`` are
    one-row queries over them whose value the SQL reads as a column of that name: join them
    in (:func:`context_join`).
    """

    __slots__ = ("_text", "can_fail", "context", "dialect", "error", "nullable", "reads", "source", "tables", "type",
                 "value")

    def __init__(self, source: str, dialect: str, value: exp.Expression, error: exp.Expression | None, t: T,
                 nullable: bool, reads: tuple[str, ...], tables: Tables,
                 context: Mapping[str, exp.Expression] | None = None) -> None:
        #: name -> one-row query: columns the SQL reads, to be joined in (see Call.context)
        self.context = dict(context or {})
        self._text: dict[str, str] = {}
        self.source = source
        self.dialect = dialect
        self.value = value
        self.can_fail = error is not None
        self.error = error if error is not None else exp.Null()
        self.type = t
        self.nullable = nullable
        self.reads = reads
        self.tables = tables

    def value_sql(self) -> str:
        """The value's SQL text (written once)."""
        if "v" not in self._text:
            self._text["v"] = self.value.sql(dialect=self.dialect)
        return self._text["v"]

    def error_sql(self) -> str:
        """The error's SQL text (written once)."""
        if "e" not in self._text:
            self._text["e"] = self.error.sql(dialect=self.dialect)
        return self._text["e"]

    def __repr__(self) -> str:
        return f"SqlProgram({self.source!r}, dialect={self.dialect!r})"


def compile(
    source: str | _ast.Expr,
    declarations: Mapping[str, Any],
    functions: Mapping[str, Function] | None = None,
    *,
    dialect: str = "duckdb",
    bindings: Mapping[str, exp.Expression | Row] | None = None,
    column_types: Mapping[str, Any] | None = None,
    check: bool = True,
) -> SqlProgram:
    """Compile ``source`` to SQL for ``dialect`` (``duckdb``, ``postgres`` or ``spark``).

    ``declarations`` are those of :func:`layanan_rules.expr.compile` (the same checker runs;
    its errors raise :class:`ExprErrors`). ``bindings`` give the SQL of a variable (default: a
    column of its name) or a :class:`Row` of columns; ``column_types`` give the concrete type of
    a variable declared dynamic (``object``), since an SQL column has one. Raises
    :class:`NoSqlForm` for what has no SQL form in ``dialect``.
    """
    from .. import compile as py_compile
    from ..parser import parse

    check_dialect(dialect)
    fns = dict(functions or {})
    if isinstance(source, str):
        text = source
        try:
            node = parse(source)
        except ExprSyntaxError as e:
            raise ExprErrors([e], source) from None
    else:
        node, text = source, getattr(source, "source", "") or ""
    program = py_compile(node, declarations, fns, check=check)
    comp = Compiler(text, declarations, fns, dialect, bindings, column_types)
    try:
        val = comp.compile(node)
    except RecursionError:
        raise NoSqlForm("ekspresi terlalu dalam / expression nested too deeply") from None
    return SqlProgram(text, dialect, val.v, val.e, val.t, val.null, program.reads, dict(comp.tables),
                      dict(comp.context))


def context_join(context: Mapping[str, exp.Expression], dialect: str) -> str:
    """``CROSS JOIN (...) AS name`` text putting each context column beside the rows."""
    parts = []
    for name, query in context.items():
        parts.append(f'CROSS JOIN ({query.sql(dialect=dialect)}) AS "{name}_t"("{name}")')
    return " ".join(parts)


def create_tables(con: Any, tables: Tables) -> None:
    """Create (once per connection) the helper tables a program reads, in DuckDB."""
    if not tables:
        return
    # one look-up for all of them (a scan calls this for each of its ~300 programs); every result
    # fetched to its end: an unfinished one blocks the connection's next query (con.sql)
    names = list(tables)
    marks = ", ".join("?" for _ in names)
    have = {r[0] for r in con.execute(
        f"SELECT table_name FROM information_schema.tables WHERE table_name IN ({marks})", names).fetchall()}
    for name, (columns, rows) in tables.items():
        if name in have:
            continue
        cols = ", ".join(f'"{c}" {t}' for c, t in columns)
        con.execute(f'CREATE TABLE "{name}" ({cols})').fetchall()
        data = list(rows())
        if data:  # column by column, unnested in one statement (a row at a time is ~1000x slower)
            unnest = ", ".join(f"UNNEST(${i + 1})" for i in range(len(columns)))
            con.execute(f'INSERT INTO "{name}" SELECT {unnest}', [list(col) for col in zip(*data)]).fetchall()
