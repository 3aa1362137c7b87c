"""A checked CEL AST to SQL: each node becomes a :class:`Val`, a value and an error in SQL.

The Python back end (:mod:`..compiler`) is the reference: its static types decide which of its
code paths runs (a typed ``int < double`` compares exactly, a ``dyn`` one through ``double``),
so every node here carries both the type that checker gives it (``ct``, may be ``dyn``) and the
concrete type of its SQL column (``t``, never ``dyn``). The SQL never raises: every operation
that could (division by zero, an overflowing cast, a bad date) is guarded by its own operands,
and what Python would raise becomes the error text ``reason|message``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from sqlglot import exp

from .. import ast as A
from .. import regex
from .. import runtime as rt
from ..errors import CelError
from ..functions import Function
from ..types import (
    BOOL,
    DATE,
    DOUBLE,
    DURATION,
    DYN,
    INT,
    NULL,
    SIMPLE,
    STRING,
    TIMESTAMP,
    TYPE,
    UINT,
    T,
    attrs_fields,
    from_py,
    list_of,
    map_of,
)
from . import build as B
from .dialects import WIDE_INT, NoSqlForm, cast, has_template, no_form, template
from .regex import char_class
from .regex import translate as translate_regex
from .values import (
    MAX_DAYS,
    MAX_DURATION_US,
    MAX_TS_US,
    MIN_DAYS,
    MIN_TS_US,
    cel_type_name,
    enum_as_string,
    error_text,
    literal,
    sql_type,
    typed_null,
    unify,
)

NOCONST = rt.UInt  # sentinel, as in the Python compiler
INT64_MIN, INT64_MAX, UINT64_MAX = rt.INT64_MIN, rt.INT64_MAX, rt.UINT64_MAX
_DAY_US = 86_400 * 10**6
_MAX_TS_DIFF_US = rt._MAX_TS_DIFF.days * _DAY_US + rt._MAX_TS_DIFF.seconds * 10**6 + rt._MAX_TS_DIFF.microseconds
_NUMERIC = ("int", "uint", "double")
_ORDERED = ("string", "bytes", "bool", "timestamp", "duration", "date")
_OP_NAME = {"+": "_+_", "-": "_-_", "*": "_*_", "/": "_/_", "%": "_%_", "<": "_<_", "<=": "_<=_",
            ">": "_>_", ">=": "_>=_", "==": "_==_", "!=": "_!=_", "in": "@in"}
_MACROS = ("all", "exists", "exists_one", "map", "filter")
_BUILTIN_NAMES = frozenset({"size", "int", "uint", "double", "string", "bytes", "bool", "timestamp", "duration",
                            "dyn", "type", "date", "contains", "startsWith", "endsWith", "matches", "has",
                            *rt.TIME_GETTERS, *_MACROS})
#: an operand of 64-bit floor division this small (nodes) is read twice rather than widened to 128 bits
_NARROW_LIMIT = 40
_LET_LIMIT = 400  # nodes: a larger operand used twice is bound to a name (Compiler.let); DuckDB runs
# a list lambda (the binding) per row, ~10x a copy of a few hundred nodes, and growth stays bounded per level


class MixedBranches(NoSqlForm):
    """The branches of a ``?:`` have different types (one SQL column cannot hold both)."""


class Row:
    """A variable (or a struct field) spread over columns, e.g. a table row: ``layanan.nama``
    is then the column given for ``nama``; ``present`` tells whether the whole is not null
    (for a nested part read from several columns). A field not listed has no SQL form."""

    def __init__(self, fields: Mapping[str, exp.Expression | Row], present: exp.Expression | None = None,
                 consts: Mapping[str, Any] | None = None) -> None:
        self.fields = dict(fields)
        self.present = present
        #: field -> its Python value, for fields that are constants of the whole query (a ruleset's
        #: parameters): a function's SQL form then sees them as constants (``Val.const``)
        self.consts = dict(consts or {})


class Val:
    """One compiled node: ``v`` its value (NULL is CEL null, when ``null``), ``e`` its error text
    (None: it cannot fail), ``t`` the concrete type, ``ct`` the checker's type, ``path`` the dotted
    field path (for ``missing_field``), ``const`` the Python value of a constant."""

    __slots__ = ("code", "const", "ct", "e", "null", "path", "row", "t", "v")

    def __init__(self, v: exp.Expression, t: T, ct: T | None = None, e: exp.Expression | None = None,
                 null: bool = False, path: str | None = None, const: Any = NOCONST, row: Row | None = None,
                 code: exp.Expression | None = None) -> None:
        #: for a bool that is never null: one text holding value and error ('1' true, '0' false,
        #: else the error text), so a consumer needing both reads the SQL once (see Compiler.coded)
        self.code = code
        self.v = v
        self.t = t
        self.ct = ct if ct is not None else t
        self.e = e
        self.null = null
        self.path = path
        self.const = const
        self.row = row

    @property
    def is_const(self) -> bool:
        return self.const is not NOCONST

    @property
    def dyn(self) -> bool:
        return self.ct.kind == "dyn"


class Pred:
    """The condition of a predicate function (``proporsi(list, x, cond)``), compiled per item."""

    def __init__(self, codes: exp.Expression) -> None:
        #: per item: '1' the condition is true, '0' false or null, else the item's error text
        self.codes = codes


class Call:
    """What a function's SQL form gets besides its arguments: the dialect and builders."""

    def __init__(self, compiler: Compiler, name: str) -> None:
        self._c = compiler
        self.name = name
        self.dialect = compiler.dialect

    def error(self, reason: str, msg_id: str, msg_en: str) -> exp.Expression:
        return B.lit(error_text(reason, msg_id, msg_en))

    def error_text(self, reason: str, message: str) -> exp.Expression:
        """An error from a ``CelError``'s reason and (bilingual) message."""
        return B.lit(f"{reason}|{message}")

    def template(self, name: str, *args: exp.Expression) -> exp.Expression:
        return template(name, self.dialect, *args)

    def table(self, name: str, columns: tuple[tuple[str, str], ...], rows: Callable[[], Any]) -> exp.Expression:
        """Declare a table the SQL needs (created by the back end from ``rows()``); its name."""
        self._c.tables.setdefault(name, (columns, rows))
        return exp.to_table(name)

    def context(self, name: str, query: exp.Expression) -> exp.Expression:
        """Declare a one-row, one-column ``query`` whose value the SQL reads as column ``name``
        (the back end joins it: ``CROSS JOIN (query) AS _(name)``); that column. Unlike a
        subquery, a column may be read inside a list macro's lambda."""
        self._c.context.setdefault(name, query)
        return B.column(name)

    def list_get0(self, xs: exp.Expression, i: exp.Expression) -> exp.Expression:
        """Item ``i`` (0-based) of a list; NULL outside it."""
        return self._c.list_get0(xs, i)

    def search_outside(self, x: exp.Expression, ranges: list[tuple[int, int]]) -> exp.Expression:
        """TRUE when text ``x`` has a character outside the code-point ``ranges``."""
        return template("regex_search", self.dialect, x, B.lit(char_class(ranges, True, self.dialect)))

    def strip_outside(self, x: exp.Expression, ranges: list[tuple[int, int]]) -> exp.Expression:
        """Text ``x`` without the characters outside the code-point ``ranges``."""
        pattern = B.lit(char_class(ranges, True, self.dialect))
        if self.dialect == "duckdb":
            return B.func("REGEXP_REPLACE", x, pattern, B.lit(""), B.lit("g"))
        if self.dialect == "postgres":
            return B.func("REGEXP_REPLACE", x, pattern, B.lit(""), B.lit("g"))
        return B.func("REGEXP_REPLACE", x, pattern, B.lit(""))

    def local_date(self, x: Val, offset_hours: int) -> exp.Expression:
        """The calendar date of a timestamp at a fixed UTC offset (WIB is +7), or a date as is."""
        if x.t.kind == "date":
            return x.v
        us = B.add(template("epoch_us", self.dialect, x.v), B.num(offset_hours * 3600 * 10**6))
        return template("date_from_days", self.dialect, self._c.floor_div(us, _DAY_US))

    def local_days(self, x: Val, offset_hours: int) -> exp.Expression:
        """Days since 1970-01-01 of the calendar date of a timestamp at a fixed UTC offset
        (WIB is +7), or of a date."""
        if x.t.kind == "date":
            return template("date_days", self.dialect, x.v)
        us = B.add(template("epoch_us", self.dialect, x.v), B.num(offset_hours * 3600 * 10**6))
        return self._c.floor_div(us, _DAY_US)

    def days(self, d: exp.Expression) -> exp.Expression:
        """Days since 1970-01-01 of a date."""
        return template("date_days", self.dialect, d)

    def floor_div(self, x: exp.Expression, n: int) -> exp.Expression:
        """floor(x / n) of a 64-bit integer by a positive constant."""
        return self._c.floor_div(x, n)

    def pos_mod(self, x: exp.Expression, n: int) -> exp.Expression:
        """x mod n in 0..n-1 of a 64-bit integer by a positive constant."""
        return self._c.pos_mod(x, n)

    def trunc_div(self, x: exp.Expression, n: int) -> exp.Expression:
        """x / n truncated toward zero, for integers."""
        return self._c.trunc_div(x, B.num(n))

    def let(self, x: exp.Expression, body: Callable[[exp.Expression], exp.Expression]) -> exp.Expression:
        """``body(x)`` computing a large ``x`` once however often ``body`` reads it."""
        return self._c.let(x, body)

    def let2(self, a: exp.Expression, b: exp.Expression,
             body: Callable[[exp.Expression, exp.Expression], exp.Expression]) -> exp.Expression:
        return self._c.let2(a, b, body)

    def repr_double(self, x: exp.Expression) -> exp.Expression:
        """Python's ``repr()`` of a double (DuckDB writes doubles the same way)."""
        if self.dialect != "duckdb":
            raise no_form("repr(double) hanya di DuckDB", "repr(double) only in DuckDB")
        return cast(x, "VARCHAR", self.dialect)

    def first_error(self, *errors: exp.Expression | None) -> exp.Expression | None:
        return B.coalesce(*errors)

    def list_len(self, x: exp.Expression) -> exp.Expression:
        return self._c.list_len(x)

    def codes_count(self, codes: exp.Expression, code: str) -> exp.Expression:
        return self._c.list_len(self._c.list_where(codes, lambda z: B.eq(z, B.lit(code))))

    def codes_error(self, codes: exp.Expression) -> exp.Expression:
        return self._c.first_code_error(codes)

    def field(self, x: Val, name: str) -> exp.Expression:
        """The SQL of field ``name`` of a struct or row argument."""
        return self._c.field_expr(x, name)

    def wide(self, x: exp.Expression) -> exp.Expression:
        return cast(x, WIDE_INT[self.dialect], self.dialect)

    def string_of_double(self, x: exp.Expression) -> exp.Expression:
        return self._c.double_repr(x)


class Compiler:
    def __init__(self, source: str, declarations: Mapping[str, Any], functions: Mapping[str, Function],
                 dialect: str, bindings: Mapping[str, Any] | None, column_types: Mapping[str, Any] | None) -> None:
        self.source = source
        self.dialect = dialect
        self.functions = dict(functions)
        self.tables: dict[str, tuple[tuple[tuple[str, str], ...], Callable[[], Any]]] = {}
        self.context: dict[str, exp.Expression] = {}
        self.n = 0
        self.vars: dict[str, Val] = {}
        bindings = dict(bindings or {})
        column_types = dict(column_types or {})
        for name, tp in declarations.items():
            ct = from_py(tp)
            t = from_py(column_types[name]) if name in column_types else ct
            t = enum_as_string(t)
            if t.kind == "dyn":
                raise no_form(f"variabel '{name}' bertipe dinamis; beri tipe kolomnya",
                              f"variable '{name}' is dynamic; give its column type")
            b = bindings.get(name)
            row = b if isinstance(b, Row) else None
            if b is None:
                v: exp.Expression = B.column(name)
            elif isinstance(b, Row):
                v = b.present if b.present is not None else B.true()
            else:
                v = b
            null = t.nullable or ct.kind == "dyn" or t.kind == "null"
            if row is not None:
                null = row.present is not None
            self.vars[name] = Val(v, t.strict() if t.kind != "null" else t, enum_as_string(ct), null=null,
                                  path=name, row=row)

    # ------------------------------------------------------------------ helpers
    def tmp(self, prefix: str = "__x") -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def err(self, reason: str, msg_id: str, msg_en: str) -> exp.Expression:
        return B.lit(error_text(reason, msg_id, msg_en))

    def missing(self, path: str | None) -> exp.Expression:
        return self.err("missing_field", f"data '{path}' tidak ada (null)", f"field '{path}' is missing (null)")

    def overflow(self) -> exp.Expression:
        return self.err("overflow", "hasil bilangan bulat melampaui batas", "integer overflow")

    def range_err(self, what: str = "") -> exp.Expression:
        return self.err("range", f"nilai di luar jangkauan {what}".strip(), f"value out of range {what}".strip())

    def sig(self, vals: list[Val]) -> exp.Expression:
        """The type names of ``vals`` at run time, comma-separated (a null one is null_type)."""
        parts: list[exp.Expression] = []
        text = ""
        for i, x in enumerate(vals):
            sep = ", " if i else ""
            name = cel_type_name(x.t)
            if x.null and x.t.kind != "null":
                if text or sep:
                    parts.append(B.lit(text + sep))
                    text = ""
                parts.append(B.case((B.is_null(x.v), B.lit("null_type")), default=B.lit(name)))
            else:
                text += sep + name
        if text:
            parts.append(B.lit(text))
        out = parts[0]
        for p in parts[1:]:
            out = B.concat(out, p)
        return out

    def no_overload(self, op: str, vals: list[Val] | None = None, names: list[str] | None = None) -> exp.Expression:
        if names is not None or not any(x.null and x.t.kind != "null" for x in vals or ()):
            sig = ", ".join(names if names is not None else [cel_type_name(x.t) for x in vals or ()])
            return self.err("no_matching_overload", f"tidak ada overload '{op}' untuk ({sig})",
                            f"found no matching overload for '{op}' applied to ({sig})")
        s = self.sig(vals or [])
        head_id = B.lit(f"no_matching_overload|tidak ada overload '{op}' untuk (")
        mid = B.lit(f") / found no matching overload for '{op}' applied to (")
        return B.concat(B.concat(B.concat(B.concat(head_id, s), mid), s), B.lit(")"))

    def fail(self, t: T, error: exp.Expression, ct: T | None = None, *before: exp.Expression | None) -> Val:
        """A node that is always an error (after the errors of what it read first)."""
        return Val(typed_null(t, self.dialect), t, ct, B.coalesce(*before, error), null=True)

    def req(self, x: Val, op: str) -> Val:
        """``x`` where a value is needed (typed code): a null is ``missing_field`` (or, without a
        path, no overload for null), as the Python back end's unwrap."""
        if not x.null:
            return x
        if x.t.kind == "null":
            error = self.missing(x.path) if x.path else self.no_overload(op, names=["null_type"])
            return self.fail(x.t, error, x.ct, x.e)
        error = self.missing(x.path) if x.path else self.no_overload(op, names=["null_type"])
        check = B.case((B.is_null(x.v), error))
        return Val(x.v, x.t, x.ct, B.coalesce(x.e, check), False, x.path, x.const, x.row)

    def dyn_req(self, vals: list[Val], op: str) -> exp.Expression | None:
        """For the dynamic (runtime helper) code: a null operand is no overload for the types."""
        nulls = [x for x in vals if x.null]
        if not nulls:
            return None
        if any(x.t.kind == "null" for x in nulls):
            return self.no_overload(op, vals)
        cond = B.or_(*[B.is_null(x.v) for x in nulls])
        return B.case((cond, self.no_overload(op, vals)))

    def errors(self, *vals: Val) -> exp.Expression | None:
        return B.coalesce(*[x.e for x in vals])

    def wide(self, x: exp.Expression) -> exp.Expression:
        return cast(x, WIDE_INT[self.dialect], self.dialect)

    def floor_div(self, x: exp.Expression, n: int) -> exp.Expression:
        """floor(x / n) for a positive constant n and a 64-bit x, exact, reading x once:
        shifted by a multiple of n into the non-negative, truncated, shifted back."""
        if self.dialect == "duckdb" and _size(x) <= _NARROW_LIMIT and n < 2**62:
            # in 64 bits: DuckDB's // truncates toward zero and % keeps the sign of x, so the floor is
            # one less where the remainder is negative. Reads a small x twice (DuckDB computes a
            # repeated expression once); the 128-bit division costs ~10x (a WIB day number of 1M
            # timestamps: 0.12 against 1.2 CPU s), and this one cannot overflow (n > 0)
            nn = B.num(n)
            below = cast(B.lt(B.mod(x, nn), B.num(0)), "BIGINT", self.dialect)
            return cast(B.sub(B.intdiv(x, nn), below), "BIGINT", self.dialect)
        k = -(-(2**63) // n)
        shifted = B.add(self.wide(x), B.num(k * n))
        return cast(B.sub(self.trunc_div(shifted, B.num(n)), B.num(k)), "BIGINT", self.dialect)

    def pos_mod(self, x: exp.Expression, n: int) -> exp.Expression:
        """x mod n in 0..n-1 for a positive constant n, reading x once."""
        if self.dialect == "duckdb" and n < 2**62:  # in 64 bits: x % n is in (-n, n), + n cannot overflow
            nn = B.num(n)
            return cast(B.mod(B.add(B.mod(x, nn), nn), nn), "BIGINT", self.dialect)
        k = -(-(2**63) // n)
        return cast(B.mod(B.add(self.wide(x), B.num(k * n)), B.num(n)), "BIGINT", self.dialect)

    def let(self, x: exp.Expression, body: Callable[[exp.Expression], exp.Expression]) -> exp.Expression:
        """``body(x)`` reading ``x`` once however often ``body`` uses it: a large ``x`` read
        twice or more is bound to a name (DuckDB, Spark: a one-item list transformed;
        PostgreSQL: a subquery). Without this, an operator using an operand twice doubles
        the SQL at every level."""
        if _size(x) <= _LET_LIMIT:
            return body(x)
        name = self.tmp("__l")
        inner = body(B.lambda_var(name))
        uses = [n for n in inner.walk() if isinstance(n, exp.Column) and not n.table and n.name == name]
        if len(uses) <= 1:
            use = uses[0] if uses else None
            return inner.transform(lambda n: x if n is use else n, copy=False) if uses else inner
        _ref, wrap = self.bind(x, name)
        return wrap(inner)

    def bind(self, x: exp.Expression, name: str | None = None,
             ) -> tuple[exp.Expression, Callable[[exp.Expression], exp.Expression]]:
        """(a reference to ``x``, a function wrapping an expression so the reference is
        bound to ``x``): for results built from ``x`` in several separate expressions."""
        if name is None and _size(x) <= _LET_LIMIT:
            return x, lambda inner: inner
        name = name or self.tmp("__l")
        ref = B.lambda_var(name)

        def wrap(inner: exp.Expression) -> exp.Expression:
            if self.dialect == "postgres":
                sub = exp.select(inner.as_("v")).from_(exp.select(x.as_(name)).subquery("__t"))
                return exp.Subquery(this=sub)
            lam = B.lambda_([name], inner)
            if self.dialect == "duckdb":
                return exp.Bracket(this=exp.Anonymous(this="LIST_TRANSFORM", expressions=[
                    exp.Array(expressions=[x]), lam]), expressions=[B.num(1)], offset=1)
            return B.func("ELEMENT_AT", exp.Anonymous(this="TRANSFORM", expressions=[
                exp.Array(expressions=[x]), lam]), B.num(1))

        return ref, wrap

    def let2(self, a: exp.Expression, b: exp.Expression,
             body: Callable[[exp.Expression, exp.Expression], exp.Expression]) -> exp.Expression:
        return self.let(a, lambda x: self.let(b, lambda y: body(x, y)))

    def lit_val(self, value: Any, t: T) -> Val:
        return Val(literal(value, t, self.dialect), t, t, None, value is None, None, value)

    # lists -------------------------------------------------------------------------------
    def need_lists(self) -> None:
        if self.dialect == "postgres":
            raise no_form("makro daftar tidak ada di PostgreSQL (gunakan join)",
                          "list macros have no PostgreSQL form (use joins)")

    def list_len(self, x: exp.Expression) -> exp.Expression:
        return template("list_len", self.dialect, x)

    def list_map(self, xs: exp.Expression, fn: Callable[[exp.Expression], exp.Expression],
                 var: str | None = None) -> exp.Expression:
        self.need_lists()
        name = var or self.tmp()
        lam = B.lambda_([name], fn(B.lambda_var(name)))
        f = "LIST_TRANSFORM" if self.dialect == "duckdb" else "TRANSFORM"
        return exp.Anonymous(this=f, expressions=[xs, lam])

    def list_where(self, xs: exp.Expression, fn: Callable[[exp.Expression], exp.Expression],
                   var: str | None = None) -> exp.Expression:
        self.need_lists()
        name = var or self.tmp()
        lam = B.lambda_([name], fn(B.lambda_var(name)))
        f = "LIST_FILTER" if self.dialect == "duckdb" else "FILTER"
        return exp.Anonymous(this=f, expressions=[xs, lam])

    def list_get0(self, xs: exp.Expression, i: exp.Expression) -> exp.Expression:
        return template("list_get", self.dialect, xs, i)

    def list_any(self, xs: exp.Expression, fn: Callable[[exp.Expression], exp.Expression]) -> exp.Expression:
        """Some item makes ``fn`` TRUE (FALSE on an empty list)."""
        return B.gt(self.list_len(self.list_where(xs, lambda z: B.is_true(fn(z)))), B.num(0))

    def list_all(self, xs: exp.Expression, fn: Callable[[exp.Expression], exp.Expression]) -> exp.Expression:
        return B.eq(self.list_len(self.list_where(xs, lambda z: B.not_(B.is_true(fn(z))))), B.num(0))

    def first_code_error(self, codes: exp.Expression) -> exp.Expression:
        """The first item error of a list of codes ('1', '0' or an error text)."""
        errs = self.list_where(codes, lambda z: B.gt(template("char_length", self.dialect, z), B.num(1)))
        return self.list_get0(errs, B.num(0))

    # fields ------------------------------------------------------------------------------
    def field_expr(self, x: Val, name: str) -> exp.Expression:
        if x.row is not None:
            f = x.row.fields.get(name)
            if f is None:
                raise no_form(f"field '{name}' tidak dipetakan ke kolom", f"field '{name}' is not mapped to a column")
            if isinstance(f, Row):
                return f.present if f.present is not None else B.true()
            return f
        if x.t.kind == "obj" and _holds_itself(x.t.cls, name):  # a case's own cases or extension: no
            raise no_form(f"field '{name}' memuat {x.t.cls.__name__} lagi", f"field '{name}' holds {x.t.cls.__name__} "
                          "again")  # struct column holds them (expr.sql.case_fields)
        if self.dialect == "spark":
            return exp.Dot(this=B.c(x.v), expression=B.ident(name))
        if self.dialect == "postgres":
            raise no_form("struct tidak ada di PostgreSQL (petakan field ke kolom)",
                          "structs have no PostgreSQL form (map the fields to columns)")
        return B.func("STRUCT_EXTRACT", x.v, B.lit(name))

    # ------------------------------------------------------------------ entry
    def compile(self, node: A.Expr) -> Val:
        return self.expr(node, dict(self.vars))

    def expr(self, node: A.Expr, scope: dict[str, Val]) -> Val:
        m = getattr(self, "e_" + type(node).__name__)
        return m(node, scope)

    # ------------------------------------------------------------------ leaves
    def e_Literal(self, node: A.Literal, scope) -> Val:
        k, v = node.kind, node.value
        if k == "uint":
            v = rt.UInt(v)
        t = NULL if k == "null" else T(k)
        return self.lit_val(v, t)

    def e_Ident(self, node: A.Ident, scope) -> Val:
        name = node.name.lstrip(".")
        x = scope.get(name) if not node.name.startswith(".") else self.vars.get(name)
        if x is not None:
            return Val(x.v, x.t, x.ct, x.e, x.null, x.path, x.const, x.row)
        if name in rt.TYPE_CONSTANTS:
            return self.lit_val(rt.TYPE_CONSTANTS[name].name, TYPE)
        # only without the checker: an error at run time, as in Python
        return self.fail(NULL, self.err("unbound", f"variabel '{name}' tidak dideklarasikan",
                                        f"undeclared reference to '{name}'"), DYN)

    # ------------------------------------------------------------------ selection
    def qualified(self, node: A.Expr) -> list[str] | None:
        parts: list[str] = []
        while isinstance(node, A.Select):
            parts.append(node.field)
            node = node.operand
        if isinstance(node, A.Ident):
            parts.append(node.name.lstrip("."))
            return parts[::-1]
        return None

    def e_Select(self, node: A.Select, scope) -> Val:
        parts = self.qualified(node)
        if parts is not None and not (parts[0] in scope and scope[parts[0]] is not self.vars.get(parts[0])):
            for i in range(len(parts), 1, -1):
                name = ".".join(parts[:i])
                if name in self.vars:
                    x = self.vars[name]
                    r = Val(x.v, x.t, x.ct, x.e, x.null, x.path, x.const, x.row)
                    chain: list[A.Select] = []
                    n: A.Expr = node
                    for _ in range(len(parts) - i):
                        chain.append(n)  # type: ignore[arg-type]
                        n = n.operand  # type: ignore[attr-defined]
                    for sel in reversed(chain):
                        r = self.select(sel, r)
                    return r
                if i == len(parts) and name in rt.TYPE_CONSTANTS:
                    return self.lit_val(rt.TYPE_CONSTANTS[name].name, TYPE)
        return self.select(node, self.expr(node.operand, scope))

    def select(self, node: A.Select, x: Val, presence: bool = False) -> Val:
        f = node.field
        path = f"{x.path}.{f}" if x.path else None
        k = x.t.kind
        if k == "obj":
            fields = attrs_fields(x.t.cls)
            if f not in fields:
                error = self.err("no_such_field", f"field '{f}' tidak ada pada {x.t.cls.__name__}",
                                 f"no such field '{f}' on {x.t.cls.__name__}")
                return self.fail(BOOL if presence else NULL, error, DYN, x.e)
            ft = enum_as_string(fields[f])
            if x.row is not None and f in x.row.consts and not presence and not x.null:
                value = x.row.consts[f]
                return self.lit_val(value, ft.strict() if value is not None else ft)
            if x.null:  # selecting through null: missing_field for the operand
                error = self.missing(x.path) if x.path else self.no_overload("_._", names=["null_type"])
                if x.dyn:
                    error = self.missing(x.path.rsplit(".", 1)[0] if x.path and "." in x.path else x.path)
                    error = self.missing(x.path)
                # a struct bound to a Row is absent when its presence column is false (the readers
                # write true/false), not only when it is null
                absent = (B.or_(B.is_null(x.v), B.not_(x.v)) if x.row is not None and x.row.present is not None
                          else B.is_null(x.v))
                e = B.coalesce(x.e, B.case((absent, error)))
            else:
                e = x.e
            fv = self.field_expr(x, f)
            sub = x.row.fields.get(f) if x.row is not None else None
            row = sub if isinstance(sub, Row) else None
            ct = DYN if x.dyn else ft
            if presence:
                return Val(self.presence(fv, ft, row), BOOL, BOOL, e)
            null = ft.nullable or (row is not None and row.present is not None)
            if ft.kind == "list" and not ft.nullable:
                null = False
            return Val(fv, ft.strict(), ct, e, null, path, row=row)
        if k == "map":
            if x.t.key.kind not in ("string", "null"):
                raise no_form("pemilihan field pada map berkunci bukan string", "field selection on a non-string map")
            e = x.e
            if x.null:
                e = B.coalesce(e, B.case((B.is_null(x.v), self.missing(x.path))))
            has = template("map_has", self.dialect, x.v, B.lit(f))
            if presence:
                return Val(has, BOOL, BOOL, e)
            got = template("map_get", self.dialect, x.v, B.lit(f))
            miss = self.err("no_such_key", f"kunci '{f}' tidak ada", f"no such key: '{f}'")
            e = B.coalesce(e, B.case((B.not_(has), miss)))
            vt = x.t.val
            return Val(got, vt.strict() if vt.kind != "null" else vt, x.ct.val if x.ct.kind == "map" else DYN, e,
                       vt.nullable or vt.kind == "null", path)
        if k == "null" and x.dyn:
            return self.fail(BOOL if presence else NULL, self.missing(x.path), DYN, x.e)
        what = "has()" if presence else "pemilihan field"
        error = self.err("no_such_field", f"tipe '{cel_type_name(x.t)}' tidak mendukung {what}",
                         f"type '{cel_type_name(x.t)}' does not support "
                         + ("field presence test" if presence else "field selection"))
        return self.fail(BOOL if presence else NULL, error, DYN, x.e)

    def presence(self, fv: exp.Expression, ft: T, row: Row | None) -> exp.Expression:
        if row is not None:
            return row.present if row.present is not None else B.true()
        if ft.kind == "list":
            return B.gt(B.coalesce(self.list_len(fv), B.num(0)), B.num(0))
        return B.not_null(fv)

    # ------------------------------------------------------------------ index
    def e_Index(self, node: A.Index, scope) -> Val:
        cv = self.expr(node.operand, scope)
        iv = self.expr(node.index, scope)
        k = cv.t.kind
        if k == "list":
            c2 = cv if cv.dyn else self.req(cv, "_[_]")
            e = B.coalesce(c2.e, self.dyn_req([cv], "_[_]") if cv.dyn else None, iv.e)
            ik = iv.t.kind
            elem = cv.t.elem
            if ik in ("int", "uint"):
                i = iv.v
                index_err = None
                if iv.null:
                    index_err = (B.is_null(iv.v), self.err("invalid_argument", "indeks list harus int",
                                                           "invalid list index type 'null_type'"))
            elif ik == "double":
                i = cast(template("trunc", self.dialect, iv.v), "BIGINT", self.dialect)
                bad = B.or_(B.not_(B.eq(template("trunc", self.dialect, iv.v), iv.v)),
                            template("isnan", self.dialect, iv.v))
                msg = B.concat(B.concat(B.lit("invalid_argument|indeks tidak sah: "), self.double_repr(iv.v)),
                               B.concat(B.lit(" / invalid list index: "), self.double_repr(iv.v)))
                index_err = (bad, msg)
                i = B.case((bad, B.num(0)), default=cast(B.func("TRUNC", iv.v), "BIGINT", self.dialect)) \
                    if self.dialect == "duckdb" else i
            else:
                name = cel_type_name(iv.t)
                return self.fail(elem or NULL, self.err("invalid_argument", "indeks list harus int",
                                                        f"invalid list index type '{name}'"), DYN, e)
            n = self.list_len(cv.v)
            text = template("string_of_int", self.dialect, i)
            oor = B.concat(B.concat(B.lit("invalid_argument|indeks "), text),
                           B.concat(B.concat(B.lit(" di luar jangkauan / index out of range: "), text), B.lit("")))
            checks = []
            if index_err is not None:
                checks.append(index_err)
            checks.append((B.or_(B.lt(i, B.num(0)), B.gte(i, n)), oor))
            e = B.coalesce(e, B.case(*checks))
            ct = cv.ct.elem if cv.ct.kind == "list" and cv.ct.elem is not None else DYN
            return Val(self.list_get0(cv.v, i), elem.strict() if elem.kind != "null" else elem, ct, e,
                       elem.nullable or elem.kind == "null")
        if k == "map":
            c2 = cv if cv.dyn else self.req(cv, "_[_]")
            e = B.coalesce(c2.e, self.dyn_req([cv], "_[_]") if cv.dyn else None, iv.e)
            kt = cv.t.key
            if kt.kind != iv.t.kind or iv.null:
                numeric = kt.kind in _NUMERIC and iv.t.kind in _NUMERIC
                if kt.kind == "null" or (not numeric and not iv.null and iv.t.kind != "bool" and kt.kind != "bool"):
                    return self.fail(cv.t.val, self.no_such_key(iv), DYN, e)
                raise no_form("indeks map dengan tipe kunci lain", "map index of another key type")
            has = template("map_has", self.dialect, cv.v, iv.v)
            e = B.coalesce(e, B.case((B.not_(has), self.no_such_key(iv))))
            vt = cv.t.val
            ct = cv.ct.val if cv.ct.kind == "map" and cv.ct.val is not None else DYN
            return Val(template("map_get", self.dialect, cv.v, iv.v), vt.strict() if vt.kind != "null" else vt, ct,
                       e, vt.nullable or vt.kind == "null")
        if k == "null" or cv.dyn:
            return self.fail(NULL, self.no_overload("_[_]", [cv, iv]), DYN, cv.e, iv.e)
        raise no_form(f"indeks pada {cv.t.name()}", f"index on {cv.t.name()}")

    def no_such_key(self, k: Val) -> exp.Expression:
        if k.is_const:
            r = repr(k.const)
            return self.err("no_such_key", f"kunci {r} tidak ada", f"no such key: {r}")
        if k.t.kind in ("int", "uint"):
            text = template("string_of_int", self.dialect, k.v)
        elif k.t.kind == "string":
            raise no_form("pesan kunci map tak ada dari teks", "no-such-key message of a text key")
        else:
            raise no_form("indeks map", "map index")
        return B.concat(B.concat(B.concat(B.lit("no_such_key|kunci "), text), B.lit(" tidak ada / no such key: ")),
                        text)

    # ------------------------------------------------------------------ literals
    def e_ListLit(self, node: A.ListLit, scope) -> Val:
        rs = [self.expr(e, scope) for e in node.elements]
        et: T | None = NULL
        for r in rs:
            et = unify(et, r.t.opt() if r.null and r.t.kind != "null" else r.t)
            if et is None:
                raise no_form("daftar berisi nilai berbagai tipe", "list of values of different types")
        ct = DYN
        if rs and all(r.ct.kind == rs[0].ct.kind and r.ct.kind in SIMPLE and not r.ct.nullable for r in rs):
            ct = rs[0].ct
        t = list_of(et)
        if not rs:
            return Val(literal((), t, self.dialect), t, list_of(DYN), None, False, None, ())
        items = []
        for r in rs:
            items.append(cast(r.v, sql_type(et, self.dialect), self.dialect) if r.t.kind == "null" and et.kind != "null" else r.v)
        const = tuple(r.const for r in rs) if all(r.is_const for r in rs) else NOCONST
        return Val(exp.Array(expressions=items), t, list_of(ct), self.errors(*rs), False, None, const)

    def e_MapLit(self, node: A.MapLit, scope) -> Val:
        ks = [self.expr(k, scope) for k, _ in node.entries]
        vs = [self.expr(v, scope) for _, v in node.entries]
        kt: T | None = NULL
        vt: T | None = NULL
        for k, v in zip(ks, vs):
            kt = unify(kt, k.t)
            vt = unify(vt, v.t.opt() if v.null and v.t.kind != "null" else v.t)
            if kt is None or vt is None:
                raise no_form("map berisi kunci atau nilai berbagai tipe", "map of keys or values of different types")
            if k.t.kind not in ("string", "int", "uint", "bool"):
                error = self.err("invalid_argument", f"tipe kunci map tidak didukung: {cel_type_name(k.t)}",
                                 f"unsupported key type: {cel_type_name(k.t)}")
                return self.fail(map_of(kt, vt), error, DYN, *[x.e for pair in zip(ks, vs) for x in pair])
        errors = B.coalesce(*[x.e for pair in zip(ks, vs) for x in pair])
        if not all(k.is_const for k in ks):
            raise no_form("map dengan kunci yang dihitung", "map with computed keys")
        consts = [k.const for k in ks]
        if len(set(consts)) != len(consts):
            dup = next(c for i, c in enumerate(consts) if c in consts[:i])
            error = self.err("invalid_argument", f"kunci map berulang: {dup!r}", f"Failed with repeated key: {dup!r}")
            return self.fail(map_of(kt, vt), error, DYN, errors)
        t = map_of(kt, vt)
        ckt = ks[0].ct if ks and all(r.ct.kind == ks[0].ct.kind for r in ks) else DYN
        cvt = vs[0].ct if vs and all(r.ct.kind == vs[0].ct.kind and r.ct.kind in SIMPLE for r in vs) else DYN
        if not ks:
            return Val(self.empty_map(t), t, map_of(DYN, DYN), None)
        if self.dialect == "duckdb":
            keys = exp.Array(expressions=[k.v for k in ks])
            vals = exp.Array(expressions=[cast(v.v, sql_type(vt, self.dialect), self.dialect)
                                          if v.t.kind == "null" and vt.kind != "null" else v.v for v in vs])
            value: exp.Expression = B.func("MAP", keys, vals)
        elif self.dialect == "spark":
            args = []
            for k, v in zip(ks, vs):
                args += [k.v, v.v]
            value = exp.Anonymous(this="MAP", expressions=args)
        else:
            raise no_form("map tidak ada di PostgreSQL", "maps have no PostgreSQL form")
        return Val(value, t, map_of(ckt, cvt), errors)

    def empty_map(self, t: T) -> exp.Expression:
        if self.dialect == "duckdb":
            kt = T("string") if t.key.kind == "null" else t.key
            vt = T("int") if t.val.kind == "null" else t.val
            return cast(B.func("MAP"), sql_type(map_of(kt, vt), self.dialect), self.dialect)
        if self.dialect == "spark":
            return B.func("MAP")
        raise no_form("map tidak ada di PostgreSQL", "maps have no PostgreSQL form")

    # ------------------------------------------------------------------ ?:
    def bool_of(self, x: Val, op: str) -> Val:
        """A condition: typed bool is unwrapped; anything else must be a bool at run time."""
        if x.t.kind == "bool" and not x.dyn:
            return self.req(x, op)
        if x.t.kind == "bool":
            e = B.coalesce(x.e, self.dyn_req([x], op))
            return Val(x.v, BOOL, BOOL, e)
        return self.fail(BOOL, self.no_overload(op, [x]), BOOL, x.e)

    def e_Cond(self, node: A.Cond, scope) -> Val:
        c0 = self.expr(node.cond, scope)
        cv = self.bool_of(c0, "_?_:_")
        if c0.t.kind != "bool":  # never a bool: the error, whatever the branches
            return self.fail(NULL, cv.e, DYN)
        a = self.expr(node.then, scope)
        b = self.expr(node.otherwise, scope)
        ta = a.t.opt() if a.null and a.t.kind != "null" else a.t
        tb = b.t.opt() if b.null and b.t.kind != "null" else b.t
        t = unify(ta, tb)
        if t is None:
            raise MixedBranches("cabang ?: berbeda tipe / branches of ?: of different types")
        ct = a.ct if a.ct.kind == b.ct.kind and a.ct.kind in SIMPLE else DYN
        if ct is not DYN and (a.ct.nullable or b.ct.nullable):
            ct = ct.opt()
        sqlt = sql_type(t, self.dialect) if t.kind != "null" else None
        av = cast(a.v, sqlt, self.dialect) if a.t.kind == "null" and sqlt else a.v
        bv = cast(b.v, sqlt, self.dialect) if b.t.kind == "null" and sqlt else b.v
        v = B.case((B.is_true(cv.v), av), default=bv)
        if a.e is None and b.e is None:
            e = cv.e
        else:
            e = B.case(*([(B.not_null(cv.e), cv.e)] if cv.e is not None else []),
                       (B.is_true(cv.v), a.e if a.e is not None else B.null()),
                       default=b.e if b.e is not None else B.null())
        path = a.path if a.path == b.path else None
        return Val(v, t.strict() if t.kind != "null" else t, ct, e, a.null or b.null, path)

    # ------------------------------------------------------------------ unary
    def e_Unary(self, node: A.Unary, scope) -> Val:
        x = self.expr(node.operand, scope)
        k = x.t.kind
        if node.op == "!":
            if x.code is not None:
                flip = lambda c: exp.Case(this=B.c(c), ifs=[exp.If(this=B.lit("1"), true=B.lit("0")),
                                                            exp.If(this=B.lit("0"), true=B.lit("1"))], default=c)
                return self.coded(self.let(x.code, flip))
            if k == "bool" and not x.dyn:
                x = self.req(x, "!_")
                return Val(B.not_(x.v), BOOL, BOOL, x.e)
            if k == "bool":
                return Val(B.not_(x.v), BOOL, BOOL, B.coalesce(x.e, self.dyn_req([x], "!_")))
            return self.fail(BOOL, self.no_overload("!_", [x]), BOOL, x.e)
        if x.dyn:
            e0 = B.coalesce(x.e, self.dyn_req([x], "-_"))
        else:
            x = self.req(x, "-_")
            e0 = x.e
        ct = x.ct.strict() if x.ct.kind in ("int", "duration", "double") else DYN
        if k == "double":
            return Val(exp.Neg(this=B.c(x.v)), DOUBLE, ct, e0)
        if k == "int":
            if self.dialect != "postgres":
                v = exp.TryCast(this=exp.Neg(this=B.c(self.wide(x.v))), to=cast(B.null(), "BIGINT", self.dialect).to)
            else:
                v = self.let(x.v, lambda y: B.case((B.eq(y, literal(INT64_MIN, INT, self.dialect)), B.null()),
                                                   default=exp.Neg(this=B.c(y))))
            return Val(v, INT, ct, B.coalesce(e0, B.case((B.is_null(v), self.overflow()))))
        if k == "duration":
            return Val(exp.Neg(this=B.c(x.v)), DURATION, ct, e0)
        return self.fail(x.t, self.no_overload("-_", [x]), ct, e0)

    # ------------------------------------------------------------------ binary
    def e_Binary(self, node: A.Binary, scope) -> Val:
        op = node.op
        if op in ("&&", "||"):
            return self.chain(node, scope)
        a = self.expr(node.left, scope)
        b = self.expr(node.right, scope)
        if op in ("==", "!="):
            return self.equality(a, b, op)
        if op in ("<", "<=", ">", ">="):
            return self.ordering(a, b, op)
        if op == "in":
            return self.membership(a, b)
        return self.arith(a, b, op)

    # && and || ---------------------------------------------------------------------------
    def chain(self, node: A.Binary, scope) -> Val:
        """CEL's commutative ``&&``/``||``: a deciding item wins over any error; else the
        first error in order; else the other value."""
        op = node.op
        items = [self.expr(i, scope) for i in A.operands(node, op)]
        opname = "_&&_" if op == "&&" else "_||_"
        short = op == "||"  # the deciding value: false for &&, true for ||
        big = any(x.code is not None or _size(x.v) + (_size(x.e) if x.e is not None else 0) > _LET_LIMIT
                  for x in items)
        if big and self.dialect != "postgres":
            return self.coded_chain(items, opname, short)
        decides: list[exp.Expression] = []
        errs: list[exp.Expression] = []
        for x in items:
            if x.t.kind != "bool":
                errs.append(self.no_overload(opname, [x]) if x.e is None else B.coalesce(x.e, self.no_overload(opname, [x])))
                continue
            val = x.v if short else B.not_(x.v)
            if x.e is not None:
                decides.append(B.and_(B.is_null(x.e), B.is_true(val)))
            else:
                decides.append(B.is_true(val))
            if x.null:
                errs.append(B.coalesce(x.e, B.case((B.is_null(x.v), self.null_item_error(x, opname)))))
            elif x.e is not None:
                errs.append(x.e)
        decided = B.or_(*decides) if decides else B.false()
        v = B.not_(decided) if op == "&&" else decided
        e = None
        if errs:
            first = B.coalesce(*errs)
            e = B.case((decided, B.null()), default=first) if decides else first
        return Val(v, BOOL, BOOL, e)

    def null_item_error(self, x: Val, opname: str) -> exp.Expression:
        if x.dyn or not x.path:
            return self.no_overload(opname, names=["null_type"])
        return self.missing(x.path)

    def code_of_bool(self, x: Val, null_error: exp.Expression) -> exp.Expression:
        """'1', '0' or the error text of a bool, reading its value and error once."""
        if x.code is not None:
            return x.code
        if x.t.kind != "bool":
            return B.coalesce(x.e, null_error) if x.e is not None else null_error
        simple = exp.Case(this=B.c(x.v), ifs=[exp.If(this=B.true(), true=B.lit("1")),
                                               exp.If(this=B.false(), true=B.lit("0"))],
                          default=null_error if x.null else None)
        return B.coalesce(x.e, simple) if x.e is not None else simple

    def coded(self, code: exp.Expression) -> Val:
        """A never-null bool from its code ('1', '0' or an error text)."""
        v = B.eq(code, B.lit("1"))
        e = self.let(code, lambda c: B.case((B.gt(template("char_length", self.dialect, c), B.num(1)), c)))
        return Val(v, BOOL, BOOL, e, code=code)

    def coded_chain(self, items: list[Val], opname: str, short: bool) -> Val:
        """A chain of large items through their codes, each read once (a list of the codes)."""
        codes = []
        for x in items:
            if x.t.kind != "bool":
                codes.append(B.coalesce(x.e, self.no_overload(opname, [x])) if x.e is not None
                             else self.no_overload(opname, [x]))
            else:
                codes.append(self.code_of_bool(x, self.null_item_error(x, opname)))
        deciding, other = ("1", "0") if short else ("0", "1")
        listed = exp.Array(expressions=codes)

        def outcome(lst: exp.Expression) -> exp.Expression:
            return B.case((B.is_true(template("list_contains", self.dialect, lst, B.lit(deciding))), B.lit(deciding)),
                          default=B.coalesce(self.first_code_error(lst), B.lit(other)))

        return self.coded(self.let(listed, outcome))

    # == and != ---------------------------------------------------------------------------
    def equality(self, a: Val, b: Val, op: str) -> Val:
        v = self.eq_value(a, b)
        if op == "!=":
            v = B.not_(v)
        return Val(v, BOOL, BOOL, self.errors(a, b))

    def eq_value(self, a: Val, b: Val) -> exp.Expression:
        """Heterogeneous equality of two error-free values, never NULL."""
        ka, kb = a.t.kind, b.t.kind
        if ka == "null" and kb == "null":
            return B.true()
        if ka == "null" or kb == "null":
            other = b if ka == "null" else a
            return B.is_null(other.v) if other.null else B.false()
        return self.let2(a.v, b.v, lambda x, y: self._eq(with_v(a, x), with_v(b, y)))

    def _eq(self, a: Val, b: Val) -> exp.Expression:
        core = self.eq_nonnull(a, b)
        if not a.null and not b.null:
            return core
        if a.null and b.null:
            return B.case((B.or_(B.is_null(a.v), B.is_null(b.v)), B.and_(B.is_null(a.v), B.is_null(b.v))),
                          default=B.is_true(core))
        x = a if a.null else b
        if a.t.kind == b.t.kind and a.t.kind in ("string", "bytes", "bool", "timestamp", "duration", "date", "type", "int",
                                                 "uint"):
            return B.is_true(core)  # NULL = y is NULL: false
        return B.case((B.is_null(x.v), B.false()), default=B.is_true(core))

    def eq_nonnull(self, a: Val, b: Val) -> exp.Expression:
        ka, kb = a.t.kind, b.t.kind
        d = self.dialect
        if ka in _NUMERIC and kb in _NUMERIC:
            if ka == kb == "double":
                return B.and_(B.eq(a.v, b.v), B.not_(template("isnan", d, a.v)))
            if ka == kb:
                return B.eq(a.v, b.v)
            if "double" not in (ka, kb):
                return B.eq(self.wide(a.v), self.wide(b.v))
            i, f = (a, b) if kb == "double" else (b, a)
            same = B.eq(cast(i.v, "DOUBLE", d) if d != "postgres" else cast(i.v, "DOUBLE PRECISION", d), f.v)
            finite = B.and_(B.not_(template("isnan", d, f.v)), B.lt(B.func("ABS", f.v), self.double_lit(1e20)))
            return B.case((B.and_(finite, same), B.eq(self.wide(f.v), self.wide(i.v))), default=B.false())
        if ka != kb:
            return B.false()
        if ka in ("string", "bytes", "bool", "timestamp", "duration", "date", "type"):
            return B.eq(a.v, b.v)
        if ka == "list":
            return self.list_eq(a, b)
        if ka == "map":
            return self.map_eq(a, b)
        raise no_form(f"kesamaan nilai {a.t.name()}", f"equality of {a.t.name()} values")

    def double_lit(self, x: float) -> exp.Expression:
        return literal(x, DOUBLE, self.dialect)

    def item(self, xs: Val, var: exp.Expression) -> Val:
        et = xs.t.elem
        return Val(var, et.strict() if et.kind != "null" else et, xs.ct.elem if xs.ct.kind == "list" and xs.ct.elem else DYN,
                   None, et.nullable or et.kind == "null")

    def list_eq(self, a: Val, b: Val) -> exp.Expression:
        self.need_lists()
        same_len = B.eq(self.list_len(a.v), self.list_len(b.v))
        if unify(a.t.elem, b.t.elem) is None and not (
                a.t.elem.kind in _NUMERIC and b.t.elem.kind in _NUMERIC):
            return B.and_(B.eq(self.list_len(a.v), B.num(0)), B.eq(self.list_len(b.v), B.num(0)))
        name = self.tmp()
        idx = self.tmp("__i")
        x = self.item(a, B.lambda_var(name))
        y = self.item(b, self.list_get0(b.v, B.sub(B.lambda_var(idx), B.num(1)) if self.dialect == "duckdb"
                                        else B.lambda_var(idx)))
        body = B.not_(self.eq_value(x, y))
        f = "LIST_FILTER" if self.dialect == "duckdb" else "FILTER"
        lam = B.lambda_([name, idx], body)
        unequal = exp.Anonymous(this=f, expressions=[a.v, lam])
        return B.and_(same_len, B.eq(self.list_len(unequal), B.num(0)))

    def map_eq(self, a: Val, b: Val) -> exp.Expression:
        self.need_lists()
        if a.t.key.kind != b.t.key.kind and "null" not in (a.t.key.kind, b.t.key.kind):
            raise no_form("kesamaan map dengan tipe kunci berbeda", "equality of maps with different key types")
        same_len = B.eq(template("map_len", self.dialect, a.v), template("map_len", self.dialect, b.v))
        if "null" in (a.t.key.kind, b.t.key.kind):
            return same_len
        keys = template("map_keys", self.dialect, a.v)

        def ok(k: exp.Expression) -> exp.Expression:
            va = Val(template("map_get", self.dialect, a.v, k), a.t.val, DYN, None, True)
            vb = Val(template("map_get", self.dialect, b.v, k), b.t.val, DYN, None, True)
            return B.and_(template("map_has", self.dialect, b.v, k), self.eq_value(va, vb))

        return B.and_(same_len, self.list_all(keys, ok))

    # < <= > >= ---------------------------------------------------------------------------
    def ordering(self, a: Val, b: Val, op: str) -> Val:
        name = _OP_NAME[op]
        ka, kb = a.t.kind, b.t.kind
        typed = not a.dyn and not b.dyn
        ok = (ka in _NUMERIC and kb in _NUMERIC) or (ka == kb and ka in _ORDERED)
        if typed:
            a2, b2 = self.req(a, name), self.req(b, name)
            e = self.errors(a2, b2)
        else:
            a2, b2 = a, b
            e = B.coalesce(a.e, b.e, self.dyn_req([a, b], name))
        if not ok:
            return self.fail(BOOL, self.no_overload(name, [a, b]), BOOL, e)
        v = self.let2(a2.v, b2.v, lambda x, y: self._ordering(with_v(a2, x), with_v(b2, y), op, typed))
        return Val(v, BOOL, BOOL, e)

    def _ordering(self, a2: Val, b2: Val, op: str, typed: bool) -> exp.Expression:
        ka, kb = a2.t.kind, b2.t.kind
        cmp = {"<": B.lt, "<=": B.lte, ">": B.gt, ">=": B.gte}[op]
        d = self.dialect
        if ka == kb and ka != "double":
            v = cmp(a2.v, b2.v)
        elif ka == kb == "double":
            v = B.and_(cmp(a2.v, b2.v), B.not_(template("isnan", d, a2.v)), B.not_(template("isnan", d, b2.v)))
        elif "double" not in (ka, kb):
            v = cmp(self.wide(a2.v), self.wide(b2.v))
        elif typed:
            v = self.exact_cmp(a2, b2, op)
        else:  # the runtime helper compares through double
            dbl = "DOUBLE PRECISION" if d == "postgres" else "DOUBLE"
            x = a2.v if ka == "double" else cast(a2.v, dbl, d)
            y = b2.v if kb == "double" else cast(b2.v, dbl, d)
            v = B.and_(cmp(x, y), B.not_(template("isnan", d, x)), B.not_(template("isnan", d, y)))
        return B.is_true(v)

    def exact_cmp(self, a: Val, b: Val, op: str) -> exp.Expression:
        """Python's exact comparison of an integer with a double (typed code)."""
        flip = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
        if a.t.kind == "double":
            a, b, op = b, a, flip[op]
        i, f = a.v, b.v  # i (integer) op f (double)
        d = self.dialect
        big = self.double_lit(1e20)
        cmp = {"<": B.lt, "<=": B.lte, ">": B.gt, ">=": B.gte}[op]
        # i < f  <=>  i < ceil(f);  i <= f  <=>  i <= floor(f);  i > f  <=>  i > floor(f);  i >= f  <=>  i >= ceil(f)
        rnd = "CEIL" if op in ("<", ">=") else "FLOOR"
        inner = cmp(self.wide(i), self.wide(B.func(rnd, f)))
        return B.case((template("isnan", d, f), B.false()),
                      (B.gte(f, big), B.true() if op in ("<", "<=") else B.false()),
                      (B.lte(f, exp.Neg(this=big)), B.false() if op in ("<", "<=") else B.true()),
                      default=inner)

    # in ----------------------------------------------------------------------------------
    def membership(self, a: Val, b: Val) -> Val:
        kb = b.t.kind
        if kb == "list":
            typed_fast = (not b.dyn and a.ct.kind in ("string", "int", "bytes") and b.ct.kind == "list"
                          and b.ct.elem is not None and b.ct.elem.kind == a.ct.kind and not a.ct.nullable)
            if typed_fast or not b.dyn:
                b2 = self.req(b, "@in") if typed_fast else b
                if not typed_fast and b.null:
                    e = B.coalesce(a.e, b.e, B.case((B.is_null(b.v), self.no_overload("@in", [a, b]))))
                else:
                    e = B.coalesce(a.e, b2.e)
            else:
                e = B.coalesce(a.e, b.e, self.dyn_req([b], "@in"))
            if b.t.elem.kind == "null":
                v: exp.Expression = B.false() if a.t.kind != "null" and not a.null else \
                    self.list_any(b.v, lambda z: B.true()) if a.t.kind == "null" else \
                    B.and_(B.is_null(a.v), self.list_any(b.v, lambda z: B.true()))
                return Val(v, BOOL, BOOL, e)
            if unify(a.t, b.t.elem) is None and not (a.t.kind in _NUMERIC and b.t.elem.kind in _NUMERIC):
                v = self.list_any(b.v, lambda z: B.is_null(z)) if a.null else B.false()
                if a.null:
                    v = B.and_(B.is_null(a.v), v)
                return Val(v, BOOL, BOOL, e)
            v = self.list_any(b.v, lambda z: self.eq_value(a, self.item(b, z)))
            return Val(v, BOOL, BOOL, e)
        if kb == "map":
            typed_fast = not b.dyn and a.ct.kind == "string" and b.ct.kind == "map" and \
                b.ct.key is not None and b.ct.key.kind == "string" and not a.ct.nullable
            if typed_fast:
                b2 = self.req(b, "@in")
                e = B.coalesce(a.e, b2.e)
            else:
                e = B.coalesce(a.e, b.e, B.case((B.is_null(b.v), self.no_overload("@in", [a, b]))) if b.null else None)
            kt = b.t.key.kind
            if kt == "null":
                return Val(B.false(), BOOL, BOOL, e)
            ka = a.t.kind
            if ka == kt and not a.null:
                return Val(B.is_true(template("map_has", self.dialect, b.v, a.v)), BOOL, BOOL, e)
            if ka in ("int", "uint") and kt in ("int", "uint"):
                key = cast(a.v, sql_type(b.t.key, self.dialect), self.dialect)
                inr = B.gte(a.v, B.num(0)) if kt == "uint" else B.lte(self.wide(a.v), B.num(INT64_MAX))
                return Val(B.is_true(B.and_(inr, template("map_has", self.dialect, b.v, key))), BOOL, BOOL, e)
            if ka == "double" and kt in ("int", "uint"):
                whole = B.and_(B.eq(B.func("FLOOR", a.v), a.v), B.lt(B.func("ABS", a.v), self.double_lit(1.8e19)))
                key = cast(B.case((whole, a.v), default=B.num(0)), sql_type(b.t.key, self.dialect), self.dialect)
                rng = B.gte(a.v, self.double_lit(0.0)) if kt == "uint" else B.lt(a.v, self.double_lit(9.2e18))
                return Val(B.is_true(B.and_(whole, rng, template("map_has", self.dialect, b.v, key))), BOOL, BOOL, e)
            return Val(B.false(), BOOL, BOOL, e)
        return self.fail(BOOL, self.no_overload("@in", [a, b]), BOOL, a.e, b.e)

    # arithmetic --------------------------------------------------------------------------
    def arith(self, a: Val, b: Val, op: str) -> Val:
        name = _OP_NAME[op]
        ka, kb = a.t.kind, b.t.kind
        typed = not a.dyn and not b.dyn
        if typed:
            a2, b2 = self.req(a, name), self.req(b, name)
            e = self.errors(a2, b2)
        else:
            a2, b2 = a, b
            e = B.coalesce(a.e, b.e, self.dyn_req([a, b], name))
        pair = (ka, kb)
        if (a.ct.kind, b.ct.kind) in _ARITH_RESULT_CT:
            rct = _ARITH_RESULT_CT[(a.ct.kind, b.ct.kind)]
        elif a.ct.kind == b.ct.kind and a.ct.kind != "dyn":
            rct = a.ct.strict()
        else:
            rct = DYN
        d = self.dialect
        if pair in (("int", "int"), ("uint", "uint")):
            return self.integer_op(a2, b2, op, ka, rct, e)
        if pair == ("double", "double") and op in "+-*/":
            if op == "/":
                v = self.fdiv(a2.v, b2.v)
            else:
                v = {"+": B.add, "-": B.sub, "*": B.mul}[op](a2.v, b2.v)
            return Val(v, DOUBLE, rct, e)
        if op == "+" and pair in (("string", "string"), ("bytes", "bytes")):
            return Val(B.concat(a2.v, b2.v), a.t, rct, e)
        if op == "+" and pair == ("list", "list"):
            et = unify(a.t.elem, b.t.elem)
            if et is None:
                raise no_form("penggabungan daftar berbeda tipe", "concatenation of lists of different types")
            t = list_of(et)
            av = a2.v if a.t.elem.kind != "null" or et.kind == "null" else cast(a2.v, sql_type(t, d), d)
            bv = b2.v if b.t.elem.kind != "null" or et.kind == "null" else cast(b2.v, sql_type(t, d), d)
            return Val(template("list_concat", d, av, bv), t, rct if rct.kind == "list" else list_of(DYN), e)
        if op in "+-" and pair in (("timestamp", "duration"), ("duration", "timestamp")):
            ts, du = (a2, b2) if ka == "timestamp" else (b2, a2)
            if op == "-" and ka != "timestamp":
                return self.fail(TIMESTAMP, self.no_overload(name, [a, b]), rct, e)
            us = template("epoch_us", d, ts.v)
            r = B.add(us, du.v) if op == "+" else B.sub(us, du.v)
            ok = B.between(r, B.num(MIN_TS_US), B.num(MAX_TS_US))
            v = B.case((ok, template("ts_from_us", d, r)))
            return Val(v, TIMESTAMP, rct, B.coalesce(e, B.case((B.not_(ok), self.range_err("(timestamp)")))))
        if op == "-" and pair == ("timestamp", "timestamp"):
            r = B.sub(template("epoch_us", d, a2.v), template("epoch_us", d, b2.v))
            ok = B.between(r, B.num(-_MAX_TS_DIFF_US), B.num(_MAX_TS_DIFF_US))
            return Val(B.case((ok, r)), DURATION, rct, B.coalesce(e, B.case((B.not_(ok), self.range_err("(duration)")))))
        if op in "+-" and pair == ("duration", "duration"):
            r = B.add(a2.v, b2.v) if op == "+" else B.sub(a2.v, b2.v)
            ok = B.between(r, B.num(-MAX_DURATION_US), B.num(MAX_DURATION_US))
            return Val(B.case((ok, r)), DURATION, rct, B.coalesce(e, B.case((B.not_(ok), self.range_err("(duration)")))))
        if op == "-" and pair == ("date", "date"):
            r = B.mul(B.sub(template("date_days", d, a2.v), template("date_days", d, b2.v)), B.num(_DAY_US))
            return Val(r, DURATION, rct, e)
        if op in "+-" and pair in (("date", "duration"), ("duration", "date")):
            if op == "-" and ka != "date":
                return self.fail(DATE, self.no_overload(name, [a, b]), rct, e)
            dd, du = (a2, b2) if ka == "date" else (b2, a2)
            whole = B.eq(B.mod(du.v, B.num(_DAY_US)), B.num(0))
            # Python: timedelta.days floors; a whole-day duration divides exactly
            days = B.intdiv(du.v, B.num(_DAY_US)) if d != "postgres" else B.func("DIV", du.v, B.num(_DAY_US))
            r = B.add(template("date_days", d, dd.v), days) if op == "+" else B.sub(template("date_days", d, dd.v), days)
            ok = B.between(r, B.num(MIN_DAYS), B.num(MAX_DAYS))
            v = B.case((B.and_(whole, ok), template("date_from_days", d, r)))
            err = B.case((B.not_(whole), self.err("invalid_argument", "tanggal hanya dapat ditambah durasi hari utuh",
                                                  "a date can only be shifted by whole days")),
                         (B.not_(ok), self.range_err("(date)")))
            return Val(v, DATE, rct, B.coalesce(e, err))
        return self.fail(a.t if ka == kb else NULL, self.no_overload(name, [a, b]), rct, e)

    def integer_op(self, a: Val, b: Val, op: str, kind: str, rct: T, e: exp.Expression | None) -> Val:
        """64-bit ``+ - * / %`` with CEL's errors (overflow, division and modulus by zero),
        reading each operand once in the value."""
        d = self.dialect
        t = INT if kind == "int" else UINT
        target = sql_type(t, d)
        lo, hi = (INT64_MIN, INT64_MAX) if kind == "int" else (0, UINT64_MAX)
        if kind == "int":
            ovf = self.overflow()
        else:
            ovf = self.err("overflow", "hasil bilangan bulat tak bertanda melampaui batas", "unsigned integer overflow")
        zero_msg = self.err("division_by_zero", "pembagian dengan nol", "division by zero") if op == "/" else \
            self.err("modulus_by_zero", "modulo dengan nol", "modulus by zero")
        if op in "+-*":
            def exact(x: exp.Expression, y: exp.Expression) -> exp.Expression:
                return {"+": B.add, "-": B.sub, "*": B.mul}[op](self.wide(x), self.wide(y))

            if d == "duckdb":  # the wide product of two uint64 may pass HUGEINT: TRY() makes it NULL
                v = B.func("TRY", exp.TryCast(this=B.c(exact(a.v, b.v)), to=cast(B.null(), target, d).to))
            else:
                v = self.let(exact(a.v, b.v), lambda r: B.case((B.between(r, B.num(lo), B.num(hi)), cast(r, target, d))))
            return Val(v, t, rct, B.coalesce(e, B.case((B.is_null(v), ovf))))
        if d == "duckdb":
            if op == "/":
                v = B.func("TRY", B.intdiv(a.v, b.v))
            else:
                v = B.func("TRY", B.mod(a.v, b.v))
            v = cast(v, target, d)
        else:
            def guarded(x: exp.Expression, y: exp.Expression) -> exp.Expression:
                if op == "/":
                    bad = B.eq(y, B.num(0)) if kind == "uint" else B.or_(
                        B.eq(y, B.num(0)), B.and_(B.eq(x, literal(INT64_MIN, INT, d)), B.eq(y, B.num(-1))))
                    return B.case((bad, B.null()), default=self.trunc_div(x, y))
                return B.case((B.eq(y, B.num(0)), B.null()), (B.eq(y, B.num(-1)), B.num(0)), default=B.mod(x, y))

            v = cast(self.let2(a.v, b.v, guarded), target, d)
        err = B.case((B.eq(b.v, B.num(0)), zero_msg), (B.is_null(v), ovf))
        return Val(v, t, rct, B.coalesce(e, err))

    def trunc_div(self, a: exp.Expression, b: exp.Expression) -> exp.Expression:
        if self.dialect == "postgres":
            return B.func("DIV", a, b)
        if self.dialect == "spark":  # Spark's DIV gives a 64-bit long, wrapping past it: exact in decimals
            wb = self.wide(b)
            return self.let(self.wide(a), lambda x: cast(B.div(B.sub(x, B.mod(x, wb)), wb), WIDE_INT["spark"], "spark"))
        return B.intdiv(a, b)

    def fdiv(self, a: exp.Expression, b: exp.Expression) -> exp.Expression:
        if self.dialect == "duckdb":
            return B.div(a, b)
        d = self.dialect
        inf = self.double_lit(math.inf)
        nan = self.double_lit(math.nan)
        sign_b = B.case((B.or_(B.lt(b, B.num(0)), B.eq(B.div(B.num(1), B.c(b)), exp.Neg(this=inf))), B.num(-1)),
                        default=B.num(1)) if False else None
        del sign_b
        return B.case((B.and_(B.eq(b, self.double_lit(0.0)), B.or_(B.eq(a, self.double_lit(0.0)),
                                                                    template("isnan", d, a))), nan),
                      (B.and_(B.eq(b, self.double_lit(0.0)), B.gt(a, self.double_lit(0.0))), inf),
                      (B.eq(b, self.double_lit(0.0)), exp.Neg(this=inf)),
                      default=B.div(a, b))

    # ------------------------------------------------------------------ calls
    def e_Call(self, node: A.Call, scope) -> Val:
        name = node.function.lstrip(".")
        target = node.target
        args = node.args
        nargs = len(args)
        if name == "has" and target is None and nargs == 1 and isinstance(args[0], A.Select):
            sel = args[0]
            operand = self.expr(sel.operand, scope)
            return self.select(sel, operand, presence=True)
        if (target is not None and name in _MACROS and isinstance(args[0] if args else None, A.Ident)
                and (nargs == 2 or (nargs == 3 and name == "map"))):
            return self.macro(node, name, scope)
        fn = self.functions.get(name)
        if fn is not None and (target is None or fn.receiver):
            return self.call_registered(node, fn, scope)
        return self.call_builtin(node, name, scope)

    def call_registered(self, node: A.Call, fn: Function, scope) -> Val:
        try:
            return self._call_registered(node, fn, scope)
        except MixedBranches:
            pass
        # f(x, c ? a : b) with a and b of different types (a date and a timestamp): written as
        # c ? f(x, a) : f(x, b), the same value and, error for error, the same first error
        args = ([node.target] if node.target is not None else []) + list(node.args)
        for i, arg in enumerate(args):
            if not isinstance(arg, A.Cond):
                continue
            try:
                self.expr(arg, scope)
                continue
            except MixedBranches:
                pass
            before = [self.expr(a, scope) for a in args[:i]]
            cv = self.bool_of(self.expr(arg.cond, scope), "_?_:_")
            calls = []
            for branch in (arg.then, arg.otherwise):
                new = list(args)
                new[i] = branch
                if node.target is not None:
                    calls.append(A.Call(node.offset, node.function, new[0], new[1:]))
                else:
                    calls.append(A.Call(node.offset, node.function, None, new))
            tv, ev = (self.call_registered(c, fn, scope) for c in calls)
            t = unify(tv.t.opt() if tv.null else tv.t, ev.t.opt() if ev.null else ev.t)
            if t is None:
                raise no_form(f"hasil '{fn.name}' berbeda tipe", f"results of '{fn.name}' of different types")
            v = B.case((B.is_true(cv.v), tv.v), default=ev.v)
            branch_e = None
            if tv.e is not None or ev.e is not None:
                branch_e = B.case((B.is_true(cv.v), tv.e if tv.e is not None else B.null()),
                                  default=ev.e if ev.e is not None else B.null())
            e = B.coalesce(*[b.e for b in before], cv.e, branch_e)
            return Val(v, t.strict(), tv.ct, e, tv.null or ev.null)
        raise MixedBranches("cabang ?: berbeda tipe / branches of ?: of different types")

    def _call_registered(self, node: A.Call, fn: Function, scope) -> Val:
        form = getattr(fn, "sql", None)
        if form is None:
            raise no_form(f"fungsi '{fn.name}' tidak punya bentuk SQL", f"function '{fn.name}' has no SQL form")
        args = ([node.target] if node.target is not None else []) + list(node.args)
        rtype = enum_as_string(from_py(fn.returns)) if fn.returns is not None else DYN
        params = tuple(fn.params or ())
        q = Call(self, fn.name)
        if fn.predicate:
            rng = self.expr(args[0], scope)
            rng2 = self.req(rng, fn.name)
            var = args[1].name  # type: ignore[attr-defined]
            ref, wrap = self.bind(rng2.v)  # the list is read by the form several times
            items = with_v(rng2, ref)
            codes = self.codes(items, var, args[2], scope, as_macro=None)
            rest = [self.expr(a, scope) for a in args[3:]]
            out = form(q, items, Pred(codes.v), *rest)
            own = wrap(out.e) if out.e is not None else None
            e = B.coalesce(rng2.e, *[r.e for r in rest], codes.e, own)
            return Val(wrap(out.v), out.t, rtype if rtype.kind != "dyn" else out.t, e, out.null)
        vals = []
        for i, a in enumerate(args):
            r = self.expr(a, scope)
            pt = from_py(params[i]) if i < len(params) else DYN
            vals.append(r if (pt.nullable or pt.kind == "dyn") else self.req(r, fn.name))
        out = form(q, *vals)
        e = B.coalesce(*[r.e for r in vals], out.e)
        ct = rtype if rtype.kind != "dyn" else out.t
        return Val(out.v, out.t, ct, e, out.null)

    def call_builtin(self, node: A.Call, name: str, scope) -> Val:
        target = node.target
        rs = [self.expr(a, scope) for a in node.args]
        if target is not None:
            rs.insert(0, self.expr(target, scope))
        d = self.dialect
        if name == "size" and len(rs) == 1:
            x = rs[0]
            k = x.t.kind
            if x.dyn:
                e = B.coalesce(x.e, self.dyn_req([x], "size"))
            else:
                x = self.req(x, "size")
                e = x.e
            if k == "string":
                return Val(template("char_length", d, x.v), INT, INT, e)
            if k == "bytes":
                return Val(template("octet_length", d, x.v), INT, INT, e)
            if k == "list":
                return Val(self.list_len(x.v), INT, INT, e)
            if k == "map":
                return Val(template("map_len", d, x.v), INT, INT, e)
            return self.fail(INT, self.no_overload("size", [x]), INT, e)
        if name == "dyn" and len(rs) == 1:
            x = rs[0]
            return Val(x.v, x.t, DYN, x.e, x.null, x.path, x.const, x.row)
        if name in ("int", "uint", "double", "string", "bytes", "bool", "timestamp", "duration", "type", "date") \
                and target is None:
            return self.convert(name, rs)
        if name in ("contains", "startsWith", "endsWith") and len(rs) == 2:
            s, x = rs
            if s.t.kind == "string" and x.t.kind == "string":
                tmpl = {"contains": "contains", "startsWith": "starts_with", "endsWith": "ends_with"}[name]
                if s.dyn or x.dyn:
                    e = B.coalesce(s.e, x.e, self.dyn_req([s, x], name))
                    return Val(B.is_true(template(tmpl, d, s.v, x.v)), BOOL, BOOL, e)
                s, x = self.req(s, name), self.req(x, name)
                return Val(B.is_true(template(tmpl, d, s.v, x.v)), BOOL, BOOL, self.errors(s, x))
            return self.fail(BOOL, self.no_overload(name, rs), BOOL, *[r.e for r in rs])
        if name == "matches" and len(rs) == 2:
            s, p = rs
            if not p.is_const or not isinstance(p.const, str):
                raise no_form("pola regex harus konstan", "the regex pattern must be a constant")
            if s.t.kind != "string":
                return self.fail(BOOL, self.no_overload("matches", rs), BOOL, s.e, p.e)
            try:
                regex.compile_regex(p.const)
            except CelError as exc:
                return self.fail(BOOL, self.err(exc.reason, *_split(exc.message)), BOOL, s.e)
            pattern = translate_regex(p.const, d)
            if s.dyn:
                e = B.coalesce(s.e, self.dyn_req([s, p], "matches"))
            else:
                s = self.req(s, "matches")
                e = s.e
            return Val(B.is_true(template("regex_search", d, s.v, B.lit(pattern))), BOOL, BOOL, e)
        if name in rt.TIME_GETTERS and target is not None:
            return self.time_getter(name, rs)
        if name in _BUILTIN_NAMES or name in self.functions:
            raise no_form(f"fungsi '{name}' tidak punya bentuk SQL", f"function '{name}' has no SQL form")
        # an unknown function (only without the checker): its arguments, then an error
        return self.fail(NULL, self.err("no_matching_overload", f"fungsi '{name}' tidak dikenal",
                                        f"unbound function '{name}'"), DYN, *[r.e for r in rs])

    # conversions -------------------------------------------------------------------------
    def convert(self, name: str, rs: list[Val]) -> Val:
        rtype = {"int": INT, "uint": UINT, "double": DOUBLE, "string": STRING, "bytes": T("bytes"), "bool": BOOL,
                 "timestamp": TIMESTAMP, "duration": DURATION, "type": TYPE, "date": DATE}[name]
        if name == "type":
            x = rs[0]
            if x.dyn and x.null:
                v = B.case((B.is_null(x.v), B.lit("null_type")), default=B.lit(cel_type_name(x.t)))
                return Val(v, TYPE, TYPE, x.e)
            return Val(B.lit(cel_type_name(x.t)), TYPE, TYPE, x.e, const=NOCONST)
        if rs and all(r.is_const for r in rs) and all(r.e is None for r in rs):
            # constants are converted once, as the Python compiler does
            fn = getattr(rt, {"int": "to_int", "uint": "to_uint", "double": "to_double", "string": "to_string",
                              "bytes": "to_bytes", "bool": "to_bool", "timestamp": "to_timestamp",
                              "duration": "to_duration", "date": "to_date"}[name])
            try:
                value = fn(*[_host(r) for r in rs])
            except CelError as exc:  # a run-time error, where CEL errors belong
                return self.fail(rtype, self.err(exc.reason, *_split(exc.message)), rtype)
            return self.lit_val(value, rtype)
        x = rs[0]
        k = x.t.kind
        typed = not x.dyn
        if len(rs) == 2:
            if name != "date":
                return self.fail(rtype, self.no_overload(name, rs), rtype, *[r.e for r in rs])
            return self.date_in_zone(rs[0], rs[1])
        if typed and not (name == "double" and k in ("int", "uint")) and not (name == "string" and k == "int") \
                and k == rtype.kind and not x.null:
            return Val(x.v, rtype, rtype, x.e)
        if typed:
            x = self.req(x, name)
            e = x.e
        else:
            e = B.coalesce(x.e, self.dyn_req([x], name))
        v, err = self.conversion(name, x)
        if v is None:
            return self.fail(rtype, self.no_overload(name, [x]), rtype, e)
        v = self.let(x.v, lambda y: self.conversion(name, with_v(x, y))[0])
        return Val(v, rtype, rtype, B.coalesce(e, err))

    def conversion(self, name: str, x: Val) -> tuple[exp.Expression | None, exp.Expression | None]:
        k = x.t.kind
        d = self.dialect
        dbl = "DOUBLE PRECISION" if d == "postgres" else "DOUBLE"
        if k == rt_kind(name):
            return x.v, None
        if name == "int":
            if k == "uint":
                ok = B.lte(self.wide(x.v), B.num(INT64_MAX))
                return B.case((ok, cast(x.v, "BIGINT", d))), B.case((B.not_(ok), self.range_err("(int)")))
            if k == "double":
                ok = B.and_(B.not_(template("isnan", d, x.v)), B.gt(x.v, self.double_lit(-9223372036854775808.0)),
                            B.lt(x.v, self.double_lit(9223372036854775808.0)))
                return B.case((ok, cast(template("trunc", d, x.v), "BIGINT", d))), \
                    B.case((B.not_(ok), self.range_err("(int)")))
            if k == "string":
                shape = B.is_true(template("regex_search", d, x.v, B.lit("^[+-]?[0-9]+$")))
                wide = B.case((shape, cast(x.v, WIDE_INT[d] if d != "duckdb" else "HUGEINT", d)))
                if d == "duckdb":
                    wide = B.case((B.and_(shape, B.lte(template("char_length", d, x.v), B.num(38))),
                                   exp.TryCast(this=B.c(x.v), to=cast(B.null(), "HUGEINT", d).to)))
                inr = B.between(wide, literal(INT64_MIN, INT, d), literal(INT64_MAX, INT, d))
                bad = B.concat(B.concat(B.lit("invalid_argument|tidak dapat mengubah '"), x.v),
                               B.concat(B.concat(B.lit("' ke int / cannot convert '"), x.v), B.lit("' to int")))
                return B.case((B.is_true(inr), cast(wide, "BIGINT", d))), \
                    B.case((B.not_(shape), bad), (B.not_(B.is_true(inr)), self.range_err("(int)")))
            if k == "timestamp":
                us = template("epoch_us", d, x.v)
                return self.trunc_div(us, B.num(10**6)), None
            return None, None
        if name == "uint":
            if k == "int":
                ok = B.gte(x.v, B.num(0))
                return B.case((ok, cast(x.v, sql_type(UINT, d), d))), B.case((B.not_(ok), self.range_err("(uint)")))
            if k == "double":
                ok = B.and_(B.not_(template("isnan", d, x.v)), B.gt(x.v, self.double_lit(-1.0)),
                            B.lt(x.v, self.double_lit(18446744073709551616.0)))
                return B.case((ok, cast(template("trunc", d, x.v), sql_type(UINT, d), d))), \
                    B.case((B.not_(ok), self.range_err("(uint)")))
            if k == "string" and d == "duckdb":
                shape = B.is_true(template("regex_search", d, x.v, B.lit("^[+-]?[0-9]+$")))
                wide = B.case((B.and_(shape, B.lte(template("char_length", d, x.v), B.num(38))),
                               exp.TryCast(this=B.c(x.v), to=cast(B.null(), "HUGEINT", d).to)))
                inr = B.between(wide, B.num(0), B.num(UINT64_MAX))
                bad = B.concat(B.concat(B.lit("invalid_argument|tidak dapat mengubah '"), x.v),
                               B.concat(B.concat(B.lit("' ke uint / cannot convert '"), x.v), B.lit("' to uint")))
                return B.case((B.is_true(inr), cast(wide, "UBIGINT", d))), \
                    B.case((B.not_(shape), bad), (B.not_(B.is_true(inr)), self.range_err("(uint)")))
            return None, None
        if name == "double":
            if k in ("int", "uint"):
                return cast(x.v, dbl, d), None
            if k == "string" and d == "duckdb":
                pat = r"^[+-]?([0-9]+\.?[0-9]*([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?|[Ii]nf(inity)?|NaN|nan)$"
                shape = B.is_true(template("regex_search", d, x.v, B.lit(pat)))
                bad = B.concat(B.concat(B.lit("invalid_argument|tidak dapat mengubah '"), x.v),
                               B.concat(B.concat(B.lit("' ke double / cannot convert '"), x.v), B.lit("' to double")))
                return B.case((shape, exp.TryCast(this=B.c(x.v), to=cast(B.null(), "DOUBLE", d).to))), \
                    B.case((B.not_(shape), bad))
            return None, None
        if name == "string":
            if k in ("int", "uint"):
                return template("string_of_int", d, x.v), None
            if k == "bool":
                return B.case((x.v, B.lit("true")), default=B.lit("false")), None
            if k == "double":
                return self.double_repr(x.v), None
            if k == "date":
                return self.date_iso(x.v), None
            if k == "type":
                return x.v, None
            if k == "bytes" and d == "duckdb":
                ok = B.func("TRY", template("utf8_text", d, x.v))
                return ok, B.case((B.is_null(ok), self.err("invalid_argument", "bytes bukan UTF-8 yang sah",
                                                          "invalid UTF-8 in bytes")))
            if k == "timestamp":
                return self.timestamp_text(x.v), None
            if k == "duration":
                return self.duration_text(x.v), None
            return None, None
        if name == "bytes":
            if k == "string":
                return template("utf8_bytes", d, x.v), None
            return None, None
        if name == "bool":
            if k == "string":
                trues = ("1", "t", "true", "TRUE", "True")
                falses = ("0", "f", "false", "FALSE", "False")
                isin = exp.In(this=B.c(x.v), expressions=[B.lit(s) for s in trues])
                isout = exp.In(this=B.c(x.v), expressions=[B.lit(s) for s in falses])
                bad = B.concat(B.concat(B.lit("invalid_argument|tidak dapat mengubah '"), x.v),
                               B.concat(B.concat(B.lit("' ke bool / Type conversion error: '"), x.v),
                                        B.lit("' to bool")))
                return B.case((isin, B.true()), (isout, B.false())), \
                    B.case((B.not_(B.or_(isin, isout)), bad))
            return None, None
        if name == "timestamp":
            if k == "int":
                ok = B.between(self.wide(x.v), B.num(MIN_TS_US // 10**6), B.num(MAX_TS_US // 10**6))
                return B.case((ok, template("ts_from_us", d, B.mul(x.v, B.num(10**6))))), \
                    B.case((B.not_(ok), self.range_err("(timestamp)")))
            if k == "date":
                return template("ts_from_us", d, B.mul(template("date_days", d, x.v), B.num(_DAY_US))), None
            raise no_form("timestamp() dari teks yang tidak konstan", "timestamp() of a non-constant text")
        if name == "duration":
            if k == "int":
                ok = B.between(self.wide(x.v), B.num(-315_576_000_000), B.num(315_576_000_000))
                return B.case((ok, B.mul(x.v, B.num(10**6)))), B.case((B.not_(ok), self.range_err("(duration)")))
            raise no_form("duration() dari teks yang tidak konstan", "duration() of a non-constant text")
        if name == "date":
            if k == "timestamp":
                return template("date_from_days", d, self.floor_div(template("epoch_us", d, x.v), _DAY_US)), None
            raise no_form("date() dari teks yang tidak konstan", "date() of a non-constant text")
        return None, None

    def date_in_zone(self, x: Val, z: Val) -> Val:
        if x.t.kind != "timestamp" or z.t.kind != "string":
            return self.fail(DATE, self.no_overload("date", [x, z]), DATE, x.e, z.e)
        x2 = self.req(x, "date")
        local_days, e = self.local_days(x2, z, "date")
        return Val(template("date_from_days", self.dialect, local_days), DATE, DATE, B.coalesce(x2.e, z.e, e))

    def local_us(self, x: Val, z: Val | None, fn: str) -> tuple[exp.Expression, exp.Expression | None]:
        """Microseconds since the epoch of the wall-clock time of timestamp ``x`` in zone ``z``."""
        d = self.dialect
        us = template("epoch_us", d, x.v)
        if z is None:
            return us, None
        if not z.is_const or not isinstance(z.const, str):
            raise no_form("zona waktu harus konstan", "the time zone must be a constant")
        name = z.const
        m = re.fullmatch(r"([+-])?(\d{2}):(\d{2})", name)
        if m:
            sign = -1 if m.group(1) == "-" else 1
            off = sign * (int(m.group(2)) * 3600 + int(m.group(3)) * 60) * 10**6
            return B.add(us, B.num(off)), None
        try:
            rt.get_tz(name)
        except CelError as exc:
            return B.num(0), self.err(exc.reason, *_split(exc.message))
        return template("local_epoch_us", d, template("in_zone", d, x.v, B.lit(name))), None

    def local_days(self, x: Val, z: Val | None, fn: str) -> tuple[exp.Expression, exp.Expression | None]:
        us, e = self.local_us(x, z, fn)
        return self.floor_div(us, _DAY_US), e

    def time_getter(self, name: str, rs: list[Val]) -> Val:
        x = rs[0]
        if x.t.kind in ("timestamp", "date", "duration"):
            holder: list[Val] = []

            def body(ref: exp.Expression) -> exp.Expression:
                out = self._time_getter(name, [with_v(x, ref), *rs[1:]])
                holder.append(out)
                return out.v

            v = self.let(x.v, body)
            out = self._time_getter(name, rs)  # the error, from the operand as written
            return Val(v, out.t, out.ct, out.e, out.null)
        return self._time_getter(name, rs)

    def _time_getter(self, name: str, rs: list[Val]) -> Val:
        d = self.dialect
        x = rs[0]
        z = rs[1] if len(rs) == 2 else None
        k = x.t.kind
        if x.dyn:
            e0 = B.coalesce(*[r.e for r in rs], self.dyn_req([x], name))
        else:
            x = self.req(x, name)
            e0 = B.coalesce(x.e, *[r.e for r in rs[1:]])
        if k == "duration" and z is None:
            sec = self.trunc_div(x.v, B.num(10**6))
            if name == "getHours":
                return Val(self.trunc_div(sec, B.num(3600)), INT, INT, e0)
            if name == "getMinutes":
                return Val(self.trunc_div(sec, B.num(60)), INT, INT, e0)
            if name == "getSeconds":
                return Val(sec, INT, INT, e0)
            if name == "getMilliseconds":
                return Val(self.trunc_div(B.sub(x.v, B.mul(sec, B.num(10**6))), B.num(1000)), INT, INT, e0)
            return self.fail(INT, self.no_overload(name, [x]), INT, e0)
        if k == "date" and z is None:
            day = x.v
            us = None
        elif k == "timestamp":
            if z is not None and z.t.kind != "string":
                return self.fail(INT, self.no_overload(name, [x, z]), INT, e0)
            us, ez = self.local_us(x, z, name)
            e0 = B.coalesce(e0, ez)
            day = template("date_from_days", d, self.floor_div(us, _DAY_US))
        else:
            return self.fail(INT, self.no_overload(name, rs), INT, e0)
        if name == "getFullYear":
            return Val(cast(template("year", d, day), "BIGINT", d), INT, INT, e0)
        if name == "getMonth":
            return Val(B.sub(cast(template("month", d, day), "BIGINT", d), B.num(1)), INT, INT, e0)
        if name == "getDate":
            return Val(cast(template("day", d, day), "BIGINT", d), INT, INT, e0)
        if name == "getDayOfMonth":
            return Val(B.sub(cast(template("day", d, day), "BIGINT", d), B.num(1)), INT, INT, e0)
        if name == "getDayOfYear":
            jan1 = template("make_date", d, template("year", d, day), B.num(1), B.num(1))
            return Val(B.sub(template("date_days", d, day), template("date_days", d, jan1)), INT, INT, e0)
        if name == "getDayOfWeek":
            # 1970-01-01 was a Thursday (4); Sunday is 0
            days = template("date_days", d, day)
            return Val(self.pos_mod(B.add(days, B.num(4)), 7), INT, INT, e0)
        if us is None:
            return self.fail(INT, self.no_overload(name, [x]), INT, e0)
        in_day = self.pos_mod(us, _DAY_US)
        if name == "getHours":
            return Val(self.trunc_div(in_day, B.num(3600 * 10**6)), INT, INT, e0)
        if name == "getMinutes":
            return Val(self.pos_mod(self.trunc_div(in_day, B.num(60 * 10**6)), 60), INT, INT, e0)
        if name == "getSeconds":
            return Val(self.pos_mod(self.trunc_div(in_day, B.num(10**6)), 60), INT, INT, e0)
        if name == "getMilliseconds":
            return Val(self.pos_mod(self.trunc_div(in_day, B.num(1000)), 1000), INT, INT, e0)
        return self.fail(INT, self.no_overload(name, [x]), INT, e0)

    # text forms --------------------------------------------------------------------------
    def pad(self, x: exp.Expression, width: int) -> exp.Expression:
        return B.func("LPAD", template("string_of_int", self.dialect, x), B.num(width), B.lit("0"))

    def date_iso(self, day: exp.Expression) -> exp.Expression:
        return self.let(day, self._date_iso)

    def _date_iso(self, day: exp.Expression) -> exp.Expression:
        d = self.dialect
        y = self.pad(template("year", d, day), 4)
        m = self.pad(template("month", d, day), 2)
        dd = self.pad(template("day", d, day), 2)
        return B.concat(B.concat(B.concat(B.concat(y, B.lit("-")), m), B.lit("-")), dd)

    def frac_text(self, us_in_sec: exp.Expression) -> exp.Expression:
        """'.ffffff' without trailing zeros, or '' for a whole second."""
        digits = self.pad(us_in_sec, 6)
        stripped = B.func("RTRIM", digits, B.lit("0"))
        return B.case((B.eq(us_in_sec, B.num(0)), B.lit("")), default=B.concat(B.lit("."), stripped))

    def timestamp_text(self, ts: exp.Expression) -> exp.Expression:
        return self.let(template("epoch_us", self.dialect, ts), self._timestamp_text)

    def _timestamp_text(self, us: exp.Expression) -> exp.Expression:
        d = self.dialect
        days = self.floor_div(us, _DAY_US)
        day = template("date_from_days", d, days)
        in_day = self.pos_mod(us, _DAY_US)
        secs = self.trunc_div(in_day, B.num(10**6))
        hh = self.pad(self.trunc_div(secs, B.num(3600)), 2)
        mm = self.pad(B.mod(self.trunc_div(secs, B.num(60)), B.num(60)), 2)
        ss = self.pad(B.mod(secs, B.num(60)), 2)
        frac = self.frac_text(B.mod(in_day, B.num(10**6)))
        out = self.date_iso(day)
        for part in (B.lit("T"), hh, B.lit(":"), mm, B.lit(":"), ss, frac, B.lit("Z")):
            out = B.concat(out, part)
        return out

    def duration_text(self, us: exp.Expression) -> exp.Expression:
        return self.let(us, self._duration_text)

    def _duration_text(self, us: exp.Expression) -> exp.Expression:
        d = self.dialect
        sign = B.case((B.lt(us, B.num(0)), B.lit("-")), default=B.lit(""))
        a = B.func("ABS", us)
        sec = template("string_of_int", d, self.trunc_div(a, B.num(10**6)))
        frac = self.frac_text(B.mod(a, B.num(10**6)))
        return B.concat(B.concat(B.concat(sign, sec), frac), B.lit("s"))

    def double_repr(self, x: exp.Expression) -> exp.Expression:
        """CEL's ``string(double)`` as the Python back end writes it (:func:`rt.fmt_double`).

        DuckDB writes a double as Python's ``repr`` does (shortest round trip; checked by a
        test); the rest is fmt_double's own rules."""
        d = self.dialect
        if d != "duckdb":
            raise no_form("string(double) hanya di DuckDB", "string(double) only in DuckDB")
        r = cast(x, "VARCHAR", d)
        e = exp.TryCast(this=B.func("REGEXP_EXTRACT", r, B.lit("e([+-][0-9]+)$"), B.num(1)),
                        to=cast(B.null(), "INTEGER", d).to)
        fixed = B.func("RTRIM", B.func("RTRIM", B.func("PRINTF", B.lit("%f"), x), B.lit("0")), B.lit("."))
        return B.case((template("isnan", d, x), B.lit("NaN")),
                      (B.eq(x, self.double_lit(math.inf)), B.lit("+Inf")),
                      (B.eq(x, self.double_lit(-math.inf)), B.lit("-Inf")),
                      (B.func("ENDS_WITH", r, B.lit(".0")), B.func("LEFT", r, B.sub(B.func("LENGTH", r), B.num(2)))),
                      (B.and_(B.func("CONTAINS", r, B.lit("e")), B.between(e, B.num(-5), B.num(20))), fixed),
                      default=r)

    # ------------------------------------------------------------------ macros
    def macro(self, node: A.Call, name: str, scope) -> Val:
        self.need_lists()
        rng = self.expr(node.target, scope)  # type: ignore[arg-type]
        k = rng.t.kind
        if k not in ("list", "map"):
            if rng.t.kind == "null" or rng.dyn:
                return self.fail(BOOL, self.no_overload(name, [rng]), DYN, rng.e)
            raise no_form(f"{name}() atas {rng.t.name()}", f"{name}() over {rng.t.name()}")
        rng2 = rng if rng.dyn else self.req(rng, name)
        e_rng = B.coalesce(rng2.e, self.dyn_req([rng], name) if rng.dyn else None)
        var = node.args[0].name  # type: ignore[attr-defined]
        if name in ("all", "exists", "exists_one"):
            codes = self.codes(rng2, var, node.args[1], scope, as_macro=name)
            if name == "exists_one":
                def one(lst: exp.Expression) -> exp.Expression:
                    count = self.list_len(self.list_where(lst, lambda z: B.eq(z, B.lit("1"))))
                    return B.coalesce(self.first_code_error(lst),
                                      B.case((B.eq(count, B.num(1)), B.lit("1")), default=B.lit("0")))
                code = self.let(codes.v, one)
            else:
                want, other = ("1", "0") if name == "exists" else ("0", "1")

                def decide(lst: exp.Expression) -> exp.Expression:
                    found = B.is_true(template("list_contains", self.dialect, lst, B.lit(want)))
                    return B.case((found, B.lit(want)), default=B.coalesce(self.first_code_error(lst), B.lit(other)))
                code = self.let(codes.v, decide)
            if e_rng is not None:
                code = B.coalesce(e_rng, code)
            return self.coded(code)
        items = self.range_items(rng2)
        et, ect = self.elem_types(rng2)
        lv = self.tmp()
        inner = dict(scope)
        inner[var] = Val(B.lambda_var(lv), et.strict() if et.kind != "null" else et, ect, None,
                         et.nullable or et.kind == "null", rng.path)
        if name == "filter":
            codes = self.codes(rng2, var, node.args[1], scope, as_macro=name)
            first = self.first_code_error(codes.v)
            pred = self.expr(node.args[1], inner)
            keep = self.pred_true(pred)
            v = self.list_where(items, lambda z: keep, var=lv)
            return Val(v, list_of(et), list_of(ect), B.coalesce(e_rng, codes.e, first))
        # map, with an optional filter
        tr = self.expr(node.args[-1], inner)
        tt = tr.t.opt() if tr.null and tr.t.kind != "null" else tr.t
        rct = list_of(tr.ct if tr.ct.kind in SIMPLE and not tr.ct.nullable else DYN)
        if len(node.args) == 3:
            pred = self.expr(node.args[1], inner)
            pcode = self.code_of(pred, "map")
            tcode = self.code_of_error(tr)
            both = B.case((B.neq(pcode, B.lit("1")), pcode), default=tcode)
            L = self.list_map(items, lambda z: both, var=lv)
            kept = self.list_where(items, lambda z: self.pred_true(pred), var=lv)
            v = self.list_map(kept, lambda z: tr.v, var=lv)
        else:
            L = self.list_map(items, lambda z: self.code_of_error(tr), var=lv)
            v = self.list_map(items, lambda z: tr.v, var=lv)
        return Val(v, list_of(tt), rct, B.coalesce(e_rng, self.first_code_error(L)))

    def range_items(self, rng: Val) -> exp.Expression:
        if rng.t.kind == "map":
            return template("map_keys", self.dialect, rng.v)
        return rng.v

    def elem_types(self, rng: Val) -> tuple[T, T]:
        if rng.t.kind == "map":
            et = rng.t.key
            ect = rng.ct.key if rng.ct.kind == "map" and rng.ct.key is not None else DYN
        else:
            et = rng.t.elem
            ect = rng.ct.elem if rng.ct.kind == "list" and rng.ct.elem is not None else DYN
        return et, ect

    def pred_true(self, pred: Val) -> exp.Expression:
        if pred.e is None:
            return B.is_true(pred.v)
        return B.and_(B.is_null(pred.e), B.is_true(pred.v))

    def code_of(self, pred: Val, macro: str | None) -> exp.Expression:
        """'1' when the condition holds, '0' when it does not, else its error text. For a
        macro, a condition that is not a bool (null) is an error; for a predicate function,
        only ``true`` counts and a null is '0'."""
        if pred.t.kind != "bool":
            if macro is None:
                return B.coalesce(pred.e, B.lit("0"))
            return B.coalesce(pred.e, self.no_overload(macro, [pred]))
        if pred.code is not None:
            return pred.code
        null_code = self.no_overload(macro, names=["null_type"]) if macro is not None else B.lit("0")
        return self.code_of_bool(pred, null_code)

    def code_of_error(self, x: Val) -> exp.Expression:
        if x.e is None:
            return B.lit("1")
        return B.coalesce(x.e, B.lit("1"))

    def codes(self, rng: Val, var: str, cond: A.Expr, scope, as_macro: str | None) -> Val:
        """Per item of ``rng``: '1', '0' or the condition's error (a list of texts)."""
        self.need_lists()
        et, ect = self.elem_types(rng)
        lv = self.tmp()
        inner = dict(scope)
        inner[var] = Val(B.lambda_var(lv), et.strict() if et.kind != "null" else et, ect, None,
                         et.nullable or et.kind == "null", rng.path)
        pred = self.expr(cond, inner)
        if as_macro is not None and pred.t.kind != "bool" and not pred.dyn and pred.t.kind != "null":
            raise no_form(f"kondisi {as_macro}() bukan bool", f"{as_macro}() condition is not a bool")
        code = self.code_of(pred, as_macro)
        return Val(self.list_map(self.range_items(rng), lambda z: code, var=lv), list_of(STRING), None, None)


_ARITH_RESULT_CT = {("timestamp", "duration"): TIMESTAMP, ("duration", "timestamp"): TIMESTAMP,
                    ("timestamp", "timestamp"): DURATION, ("date", "date"): DURATION,
                    ("date", "duration"): DATE, ("duration", "date"): DATE}


@functools.lru_cache(maxsize=1024)
def _holds_itself(cls: type, name: str) -> bool:
    """Whether field ``name`` of ``cls`` holds ``cls`` again (a time's cases and extension)."""
    ft = attrs_fields(cls).get(name)
    while ft is not None and ft.kind == "list":
        ft = ft.elem
    return ft is not None and ft.kind == "obj" and ft.cls is cls


def _size(x: exp.Expression) -> int:
    return sum(1 for _ in x.walk())


def with_v(x: Val, v: exp.Expression) -> Val:
    """``x`` with its value read from ``v`` (a name bound by :meth:`Compiler.let`)."""
    return Val(v, x.t, x.ct, x.e, x.null, x.path, x.const, x.row)


def rt_kind(name: str) -> str:
    return {"int": "int", "uint": "uint", "double": "double", "string": "string", "bytes": "bytes",
            "bool": "bool", "timestamp": "timestamp", "duration": "duration", "date": "date"}.get(name, "")


def _host(r: Val) -> Any:
    return r.const


def _split(message: str) -> tuple[str, str]:
    mid, sep, en = message.partition(" / ")
    if not sep:
        return message, message
    return mid, en


def check_dialect(dialect: str) -> None:
    from .dialects import DIALECTS

    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r} (one of {', '.join(DIALECTS)})")


__all__ = ["Call", "Compiler", "NoSqlForm", "Pred", "Row", "Val", "check_dialect", "has_template"]
