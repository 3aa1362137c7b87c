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


def operands(node: Expr, op: str) -> list[Expr]:
    """The items of a chain of one operator, left to right: ``a && b && c`` -> ``[a, b, c]``
    (both compilers evaluate ``&&``/``||`` chains flat, commutatively)."""
    out: list[Expr] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Binary) and n.op == op:
            stack.append(n.right)
            stack.append(n.left)
        else:
            out.append(n)
    return out

def unparse(node: Expr) -> str:
    """CEL source for ``node`` (fully parenthesised), so that a sub-expression can be compiled
    from text and hit the compiled-expression cache. :func:`same` tells whether it reads back."""
    if isinstance(node, Literal):
        return _literal(node)
    if isinstance(node, Ident):
        return node.name
    if isinstance(node, Select):
        return f"{_operand(node.operand)}.{node.field}"
    if isinstance(node, Call):
        args = ", ".join(unparse(a) for a in node.args)
        return f"{_operand(node.target)}.{node.function}({args})" if node.target is not None else \
            f"{node.function}({args})"
    if isinstance(node, ListLit):
        return "[" + ", ".join(unparse(e) for e in node.elements) + "]"
    if isinstance(node, MapLit):
        return "{" + ", ".join(f"{unparse(k)}: {unparse(v)}" for k, v in node.entries) + "}"
    if isinstance(node, Index):
        return f"{_operand(node.operand)}[{unparse(node.index)}]"
    if isinstance(node, Unary):
        return f"({node.op}{_operand(node.operand)})"
    if isinstance(node, Binary):
        return f"({unparse(node.left)} {node.op} {unparse(node.right)})"
    if isinstance(node, Cond):
        return f"({unparse(node.cond)} ? {unparse(node.then)} : {unparse(node.otherwise)})"
    raise TypeError(f"cannot unparse {type(node).__name__}")


def _operand(node: Expr) -> str:
    text = unparse(node)
    return text if isinstance(node, (Ident, Select, Call, Index, Literal, ListLit, MapLit)) else f"({text})"


def _literal(node: Literal) -> str:
    v, kind = node.value, node.kind
    if kind == "bool":
        return "true" if v else "false"
    if kind == "null":
        return "null"
    if kind == "int":
        return str(v)
    if kind == "uint":
        return f"{v}u"
    if kind == "double":
        text = repr(float(v))
        if text in ("inf", "-inf", "nan"):
            raise ValueError("no CEL literal for " + text)
        return text
    if kind == "string":
        return '"' + "".join(c if c.isprintable() and c not in '"\\' else
                             (f"\\{c}" if c in '"\\' else f"\\U{ord(c):08x}") for c in v) + '"'
    if kind == "bytes":
        return 'b"' + "".join(f"\\x{b:02x}" for b in v) + '"'
    raise ValueError(f"unknown literal kind {kind}")


def same(a: Any, b: Any) -> bool:
    """Whether two trees are the same expression (offsets aside)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Expr):
        return all(same(getattr(a, f.name), getattr(b, f.name))
                   for f in attrs.fields(type(a)) if f.name != "offset")
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)
