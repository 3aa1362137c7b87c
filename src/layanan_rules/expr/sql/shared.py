"""Work shared by many SQL expressions over one row, computed once per row.

Why: an entity's rules compile to separate expressions (a value and an error per program), and
the same large parts recur in them: a date's day number, a deadline, ``status_selesai(status)``,
a chain's codes (read once for the value and again for the error). DuckDB computes each
occurrence. :func:`share` finds the parts that are evaluated more than once per row and that read
only the row's columns, and gives each a column of its own, computed once in a projection below
the expressions (:func:`layered`). The compiler's ``let`` (a one-item list transformed by a
lambda, :meth:`Compiler.let`) is undone on the way: its value becomes such a column too, so the
lambda goes.

Exact: a shared part is an expression of the row's columns, computed on every row; the
expressions read its value where they computed it before. It is only moved where it cannot raise
an error the expressions did not raise: where one of its occurrences is evaluated on every row
anyway (not inside a ``CASE`` branch, a ``COALESCE`` fallback, the right side of ``AND``/``OR`` or
a lambda over a list of items), or when it is built only of operations that raise no error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from sqlglot import exp

#: a part this large (sqlglot nodes, after undoing lets) evaluated twice or more gets a column
MIN_SIZE = 6

#: node classes that are no value of their own (or whose value is best left where it is)
_NOT_SHARED: tuple[type, ...] = (exp.Column, exp.Literal, exp.Identifier, exp.DataType, exp.Lambda, exp.Null,
                                 exp.Boolean, exp.Star, exp.If, exp.Select, exp.Subquery, exp.Var, exp.Tuple, exp.Slice,
                                 exp.PropertyEQ, exp.Kwarg, exp.Placeholder)

#: operations that raise no error on any input of their types (a part built of only these may be
#: moved out of a conditional position)
_TOTAL: tuple[type, ...] = (exp.Column, exp.Literal, exp.Identifier, exp.DataType, exp.Null, exp.Boolean, exp.Paren,
                            exp.Not, exp.And, exp.Or, exp.Is, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE,
                            exp.Case, exp.If, exp.Coalesce, exp.In, exp.Tuple, exp.TryCast, exp.Array)
#: functions (by upper-case name) that raise no error on values of the types they accept
_TOTAL_FUNCTIONS = frozenset({"STRUCT_EXTRACT", "LIST_CONTAINS", "ARRAY_CONTAINS", "LENGTH", "LEN", "STRLEN",
                              "LIST_EXTRACT", "ARRAY_LENGTH", "REGEXP_MATCHES", "REGEXP_FULL_MATCH", "NULLIF"})


def _is_let(node: exp.Expression) -> tuple[exp.Expression, str, exp.Expression] | None:
    """``LIST_TRANSFORM([x], LAMBDA v : body)[1]`` (the compiler's ``let``): (x, v, body)."""
    if not (isinstance(node, exp.Bracket) and len(node.expressions) == 1):
        return None
    idx = node.expressions[0]
    # the first item: written [1] with the offset 1 by the compiler, parsed by sqlglot as [0]
    offset = node.args.get("offset") or 0
    if not (isinstance(idx, exp.Literal) and not idx.is_string and str(idx.this) == str(offset) and offset in (0, 1)):
        return None
    call = node.this
    if isinstance(call, exp.Anonymous) and call.name.upper() == "LIST_TRANSFORM" and len(call.expressions) == 2:
        xs, lam = call.expressions
    elif isinstance(call, exp.Transform):
        xs, lam = call.this, call.expression
    else:
        return None
    if not (isinstance(xs, exp.Array) and len(xs.expressions) == 1 and isinstance(lam, exp.Lambda)
            and len(lam.expressions) == 1):
        return None
    return xs.expressions[0], lam.expressions[0].name, lam.this


def _variable(node: exp.Expression) -> str | None:
    """The name ``node`` reads when it may be a lambda's variable: a column without a table (as
    the compiler writes them) or a bare identifier (as sqlglot parses a lambda's body)."""
    if isinstance(node, exp.Column) and not node.table:
        return node.name
    if isinstance(node, exp.Identifier) and not isinstance(node.parent, (exp.Column, exp.Lambda)):
        return node.name
    return None


def _qualified_by(body: exp.Expression, var: str) -> bool:
    """Whether ``body`` reads ``var`` as a table (``var.field``): not undone as a let."""
    return any(c.table and c.parts[0].name == var for c in body.find_all(exp.Column))


def _strict_children(node: exp.Expression) -> list[tuple[exp.Expression, bool]]:
    """The child expressions of ``node`` and whether each is evaluated whenever ``node`` is: not
    a ``CASE``'s branches or later conditions, a ``COALESCE``'s fallbacks, the right side of
    ``AND``/``OR`` (DuckDB may skip them) or a lambda's body (run per item of a list)."""
    children = [(key, item) for key, value in node.args.items()
                for item in (value if isinstance(value, list) else [value]) if isinstance(item, exp.Expression)]
    if isinstance(node, exp.Case):
        ifs = node.args.get("ifs") or []
        return [(c, key == "this" or (bool(ifs) and c is ifs[0])) for key, c in children]
    if isinstance(node, exp.If):
        return [(c, key == "this") for key, c in children]
    if isinstance(node, (exp.Lambda, exp.Select, exp.Subquery)):
        return [(c, False) for _key, c in children]
    lazy = isinstance(node, (exp.Coalesce, exp.And, exp.Or)) or (
        isinstance(node, exp.Anonymous) and node.name.upper() in ("COALESCE", "IFNULL", "IF"))
    return [(c, not lazy or i == 0) for i, (_key, c) in enumerate(children)]


def _arg_slots(node: exp.Expression) -> list[tuple[str, str, Any]]:
    """``node``'s arguments as (name, kind, value): ``one`` an expression, ``many`` a list of
    expressions, ``raw`` anything else (copied as it is)."""
    out = []
    for key, value in node.args.items():
        if isinstance(value, exp.Expression):
            out.append((key, "one", value))
        elif isinstance(value, list) and value and all(isinstance(v, exp.Expression) for v in value):
            out.append((key, "many", value))
        else:
            out.append((key, "raw", value))
    return out


class _Dag:
    """Expressions hash-consed into a DAG: a key per distinct (class, arguments), with the lets
    undone (their variable read as the key of their value) where that is exact."""

    def __init__(self) -> None:
        self.keys: dict[tuple[Any, ...], int] = {}
        self.node: list[exp.Expression] = []  # a template per key: its class and raw arguments
        self.slots: list[list[tuple[str, str, Any]]] = []  # (name, kind, child key(s) or raw value)
        self.size: list[int] = []
        self.free: list[frozenset[str]] = []  # the lambda variables it reads that are bound outside it
        self.total: list[bool] = []
        self.strict: list[bool] = []
        self.memo: dict[tuple[Any, ...], int] = {}

    def add(self, node: exp.Expression, env: dict[str, int], strict: bool, bound: frozenset[str]) -> int:
        memo_key = (id(node), tuple(sorted(env.items())), strict, bound)
        got = self.memo.get(memo_key)
        if got is None:
            got = self.memo[memo_key] = self._add(node, env, strict, bound)
        return got

    def _add(self, node: exp.Expression, env: dict[str, int], strict: bool, bound: frozenset[str]) -> int:
        let = _is_let(node)
        if let is not None:
            x, var, body = let
            xk = self.add(x, env, strict, bound)
            if not self.free[xk] and not _qualified_by(body, var):
                return self.add(body, {**env, var: xk}, strict, bound - {var})
        var_name = _variable(node)
        if var_name is not None and var_name in env:
            return env[var_name]
        params: set[str] = set()
        if isinstance(node, exp.Lambda):
            params = {i.name for i in node.expressions}
            bound = bound | params
            env = {k: v for k, v in env.items() if k not in params}
        strict_of = {id(c): s for c, s in _strict_children(node)}
        parts: list[Any] = [type(node)]
        slots: list[tuple[str, str, Any]] = []
        size = 1
        free: set[str] = set()
        if var_name is not None and var_name in bound:
            free.add(var_name)
        elif isinstance(node, exp.Column) and node.table and node.parts[0].name in bound:  # p.field
            free.add(node.parts[0].name)
        total = isinstance(node, _TOTAL) or (isinstance(node, exp.Anonymous) and node.name.upper() in _TOTAL_FUNCTIONS)
        for key, kind, value in _arg_slots(node):
            if kind == "raw":
                slots.append((key, kind, value))
                if value is not None:
                    parts.append((key, repr(value)))
                continue
            items = [value] if kind == "one" else value
            ks = [self.add(i, env, strict and strict_of.get(id(i), False), bound) for i in items]
            for k in ks:
                size += self.size[k]
                free |= self.free[k]
                total = total and self.total[k]
            slots.append((key, kind, ks[0] if kind == "one" else ks))
            parts.append((key, kind, tuple(ks)))
        free -= params
        signature = tuple(parts)
        key = self.keys.get(signature)
        if key is None:
            key = len(self.node)
            self.keys[signature] = key
            self.node.append(node)
            self.slots.append(slots)
            self.size.append(size)
            self.free.append(frozenset(free))
            self.total.append(total)
            self.strict.append(strict)
        elif strict:
            self.strict[key] = True
        return key


def share(trees: Sequence[exp.Expression], *, prefix: str = "__s", min_size: int = MIN_SIZE
          ) -> tuple[list[list[tuple[str, exp.Expression]]], list[exp.Expression]]:
    """The parts of ``trees`` (expressions over one row's columns, each evaluated on every row)
    worth a column of their own, in layers (each layer's expressions read the columns of the
    layers before it: (name, expression) pairs), and ``trees`` rewritten to read those columns."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        return _share(trees, prefix, min_size)
    finally:
        sys.setrecursionlimit(limit)


def _share(trees: Sequence[exp.Expression], prefix: str, min_size: int
           ) -> tuple[list[list[tuple[str, exp.Expression]]], list[exp.Expression]]:
    dag = _Dag()
    roots = [dag.add(t, {}, True, frozenset()) for t in trees]
    n = len(dag.node)
    # evaluations per row of each key: a chosen key once, each of its children once per reference
    evals = [0] * n
    for r in roots:
        evals[r] += 1
    chosen = [False] * n
    for k in range(n - 1, -1, -1):  # parents (made after their children) first
        if evals[k] == 0:
            continue
        if evals[k] >= 2 and not dag.free[k] and dag.size[k] >= min_size and not isinstance(dag.node[k], _NOT_SHARED):
            chosen[k] = True
        weight = 1 if chosen[k] else evals[k]
        for _name, kind, value in dag.slots[k]:
            if kind == "one":
                evals[value] += weight
            elif kind == "many":
                for c in value:
                    evals[c] += weight
    names: dict[int, str] = {}
    layer_of: dict[int, int] = {}
    layers: list[list[tuple[str, exp.Expression]]] = []

    def build(k: int, top: bool = False) -> tuple[exp.Expression, int]:
        """The expression of key ``k`` and the number of layers below it it needs."""
        if chosen[k] and not top:
            if k not in names:
                body, need = build(k, top=True)
                if not (dag.strict[k] or dag.total[k]):  # computed where it was not: no error of its own
                    body = exp.Anonymous(this="TRY", expressions=[body])
                names[k] = f"{prefix}{len(names)}"
                layer_of[k] = need
                while len(layers) <= need:
                    layers.append([])
                layers[need].append((names[k], body))
            return exp.column(names[k], quoted=True), layer_of[k] + 1
        args: dict[str, Any] = {}
        need = 0
        for name, kind, value in dag.slots[k]:
            if kind == "raw":
                args[name] = value.copy() if isinstance(value, exp.Expression) else (
                    [v.copy() if isinstance(v, exp.Expression) else v for v in value] if isinstance(value, list)
                    else value)
            elif kind == "one":
                args[name], need = _most(build(value), need)
            else:
                items = []
                for c in value:
                    e, need = _most(build(c), need)
                    items.append(e)
                args[name] = items
        return type(dag.node[k])(**args), need

    rewritten = [build(r)[0] for r in roots]
    return layers, rewritten


def _most(got: tuple[exp.Expression, int], need: int) -> tuple[exp.Expression, int]:
    return got[0], max(got[1], need)


def layered(rows: str, layers: Sequence[Sequence[tuple[str, exp.Expression]]], dialect: str) -> str:
    """The query of ``rows`` with the columns of ``layers`` (:func:`share`) added, layer by layer."""
    out = rows
    for k, layer in enumerate(layers):
        cols = ", ".join(f'{e.sql(dialect=dialect)} AS "{name}"' for name, e in layer)
        out = f"SELECT *, {cols} FROM ({out}) AS __l{k}" if cols else out
    return out
