"""AST of CEL expressions. Every node carries ``offset``: its 0-based char offset in the source."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs


@attrs.define(slots=True, eq=False)
class Expr:
    offset: int


@attrs.define(slots=True, eq=False)
class Literal(Expr):
    value: Any
    kind: str  # int uint double string bytes bool null


@attrs.define(slots=True, eq=False)
class Ident(Expr):
    name: str


@attrs.define(slots=True, eq=False)
class Select(Expr):
    operand: Expr
    field: str


@attrs.define(slots=True, eq=False)
class Call(Expr):
    function: str
    target: Expr | None
    args: list[Expr]


@attrs.define(slots=True, eq=False)
class ListLit(Expr):
    elements: list[Expr]


@attrs.define(slots=True, eq=False)
class MapLit(Expr):
    entries: list[tuple[Expr, Expr]]


@attrs.define(slots=True, eq=False)
class Index(Expr):
    operand: Expr
    index: Expr


@attrs.define(slots=True, eq=False)
class Unary(Expr):
    op: str  # "!" or "-"
    operand: Expr


@attrs.define(slots=True, eq=False)
class Binary(Expr):
    op: str  # || && == != < <= > >= in + - * / %
    left: Expr
    right: Expr


@attrs.define(slots=True, eq=False)
class Cond(Expr):
    cond: Expr
    then: Expr
    otherwise: Expr


def walk(node: Expr) -> Iterator[Expr]:
    """Yield every node of the tree, pre-order."""
    stack: list[Expr] = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, Select):
            stack.append(n.operand)
        elif isinstance(n, Call):
            stack.extend(reversed(n.args))
            if n.target is not None:
                stack.append(n.target)
        elif isinstance(n, ListLit):
            stack.extend(reversed(n.elements))
        elif isinstance(n, MapLit):
            for k, v in reversed(n.entries):
                stack.append(v)
                stack.append(k)
        elif isinstance(n, Index):
            stack.append(n.index)
            stack.append(n.operand)
        elif isinstance(n, Unary):
            stack.append(n.operand)
        elif isinstance(n, Binary):
            stack.append(n.right)
            stack.append(n.left)
        elif isinstance(n, Cond):
            stack.append(n.otherwise)
            stack.append(n.then)
            stack.append(n.cond)
