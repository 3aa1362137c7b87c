"""Small builders over sqlglot nodes: parenthesised operators, CASE, COALESCE, NULL tests.

sqlglot writes a tree as it is, without adding parentheses; every operator built here wraps
its composite operands so the text means what the tree means. Nodes are shared, not copied,
when an operand is used twice (the compiler never changes a node once built, and sqlglot
writes a shared node as many times as it occurs): copying every subtree made compiling the
bundled ruleset quadratic in its size.
"""

from __future__ import annotations

from sqlglot import exp

_ATOMS = (exp.Column, exp.Literal, exp.Null, exp.Boolean, exp.Func, exp.Paren, exp.Cast, exp.Identifier,
          exp.Array, exp.Struct, exp.Case, exp.Anonymous, exp.Bracket)

TRUE = exp.Boolean(this=True)
FALSE = exp.Boolean(this=False)


def par(e: exp.Expression) -> exp.Expression:
    return e if isinstance(e, _ATOMS) else exp.Paren(this=e)


def c(e: exp.Expression) -> exp.Expression:
    """``e``, parenthesised when composite."""
    return par(e)


def lit(s: str) -> exp.Literal:
    return exp.Literal.string(s)


def num(n: int | str) -> exp.Literal:
    return exp.Literal.number(n)


def null() -> exp.Null:
    return exp.Null()


def true() -> exp.Boolean:
    return exp.Boolean(this=True)


def false() -> exp.Boolean:
    return exp.Boolean(this=False)


def _bin(cls: type, a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return cls(this=c(a), expression=c(b))


def eq(a, b):
    return _bin(exp.EQ, a, b)


def neq(a, b):
    return _bin(exp.NEQ, a, b)


def lt(a, b):
    return _bin(exp.LT, a, b)


def lte(a, b):
    return _bin(exp.LTE, a, b)


def gt(a, b):
    return _bin(exp.GT, a, b)


def gte(a, b):
    return _bin(exp.GTE, a, b)


def add(a, b):
    return _bin(exp.Add, a, b)


def sub(a, b):
    return _bin(exp.Sub, a, b)


def mul(a, b):
    return _bin(exp.Mul, a, b)


def div(a, b):
    return _bin(exp.Div, a, b)


def mod(a, b):
    return _bin(exp.Mod, a, b)


def intdiv(a, b):
    return _bin(exp.IntDiv, a, b)


def concat(a, b):
    return _bin(exp.DPipe, a, b)


def is_null(a):
    return exp.Is(this=c(a), expression=exp.Null())


def not_null(a):
    return exp.Not(this=exp.Paren(this=is_null(a)))


def not_(a):
    return exp.Not(this=c(a))


def is_true(a):
    """``a`` is TRUE (not FALSE, not NULL)."""
    return exp.Coalesce(this=c(a), expressions=[false()])


def and_(*xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return true()
    out = c(xs[0])
    for x in xs[1:]:
        out = exp.And(this=out, expression=c(x))
    return exp.Paren(this=out) if len(xs) > 1 else out


def or_(*xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return false()
    out = c(xs[0])
    for x in xs[1:]:
        out = exp.Or(this=out, expression=c(x))
    return exp.Paren(this=out) if len(xs) > 1 else out


def case(*whens: tuple[exp.Expression, exp.Expression | None], default: exp.Expression | None = None):
    ifs = [exp.If(this=cond, true=(v if v is not None else exp.Null())) for cond, v in whens]
    return exp.Case(ifs=ifs, default=default)


def coalesce(*xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    if len(xs) == 1:
        return xs[0]
    return exp.Coalesce(this=xs[0], expressions=list(xs[1:]))


def between(x, lo, hi):
    return exp.Between(this=c(x), low=c(lo), high=c(hi))


def func(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name)


def column(name: str) -> exp.Column:
    return exp.Column(this=exp.to_identifier(name, quoted=True))


def lambda_(params: list[str], body: exp.Expression) -> exp.Lambda:
    return exp.Lambda(this=body, expressions=[exp.to_identifier(p) for p in params])


def lambda_var(name: str) -> exp.Column:
    return exp.Column(this=exp.to_identifier(name))
