"""Checker and code generator: a CEL AST becomes the source of one plain Python function.

The checker and the generator are one pass: every node gets a static type (:class:`T`), and the
static type decides the code. With ``layanan: Layanan`` declared, ``layanan.standar.dasar_hukum``
becomes ``(_t1.dasar_hukum if (_t1 := v0_layanan.standar) is not None else _missing('layanan.standar'))``;
only dynamic values go through the runtime helpers of :mod:`.runtime`.

Error-absorbing ``&&``/``||`` chains (and ``?:``) in return position become statements with
``try``/``except`` (zero-cost in Python 3.11 when nothing is raised); elsewhere they become a
module-level helper function. Comprehension macros become helper functions with a loop.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any, TypeAlias

from . import ast as A
from . import regex
from . import runtime as rt
from .errors import CelError, ExprCheckError, ExprErrors
from .functions import Function
from .types import (
    BOOL,
    BYTES,
    DATE,
    DOUBLE,
    DURATION,
    DYN,
    INT,
    NULL,
    NUMERIC,
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

MACROS = ("all", "exists", "exists_one", "map", "filter")

# builtin functions: name -> set of (is_method, nargs) accepted
BUILTINS: dict[str, set[tuple[bool, int]]] = {
    "size": {(False, 1), (True, 0)},
    "int": {(False, 1)}, "uint": {(False, 1)}, "double": {(False, 1)}, "string": {(False, 1)},
    "bytes": {(False, 1)}, "bool": {(False, 1)}, "timestamp": {(False, 1)}, "duration": {(False, 1)},
    "dyn": {(False, 1)}, "type": {(False, 1)}, "date": {(False, 1), (False, 2)},
    "contains": {(True, 1)}, "startsWith": {(True, 1)}, "endsWith": {(True, 1)},
    "matches": {(True, 1), (False, 2)},
    "has": {(False, 1)},
}
for _g in rt.TIME_GETTERS:
    BUILTINS[_g] = {(True, 0), (True, 1)}
for _m in MACROS:
    BUILTINS[_m] = {(True, 2)} | ({(True, 3)} if _m == "map" else set())

_CONV_T = {"int": INT, "uint": UINT, "double": DOUBLE, "string": STRING, "bytes": BYTES, "bool": BOOL,
           "timestamp": TIMESTAMP, "duration": DURATION, "type": TYPE, "date": DATE}
_CONV_FN = {"int": "to_int", "uint": "to_uint", "double": "to_double", "string": "to_string",
            "bytes": "to_bytes", "bool": "to_bool", "timestamp": "to_timestamp", "duration": "to_duration",
            "type": "type_of", "date": "to_date"}

_ARITH_OK = {
    "+": {("int", "int"), ("uint", "uint"), ("double", "double"), ("string", "string"), ("bytes", "bytes"),
          ("list", "list"), ("timestamp", "duration"), ("duration", "timestamp"), ("duration", "duration"),
          ("date", "duration"), ("duration", "date")},
    "-": {("int", "int"), ("uint", "uint"), ("double", "double"), ("timestamp", "timestamp"),
          ("timestamp", "duration"), ("duration", "duration"), ("date", "date"), ("date", "duration")},
    "*": {("int", "int"), ("uint", "uint"), ("double", "double")},
    "/": {("int", "int"), ("uint", "uint"), ("double", "double")},
    "%": {("int", "int"), ("uint", "uint")},
}
_ARITH_RESULT = {("timestamp", "duration"): TIMESTAMP, ("duration", "timestamp"): TIMESTAMP,
                 ("timestamp", "timestamp"): DURATION, ("date", "date"): DURATION,
                 ("date", "duration"): DATE, ("duration", "date"): DATE}
_ORDERED = frozenset({"string", "bytes", "bool", "timestamp", "duration", "date"})
_CMP_FN = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_OP_NAME = {"+": "_+_", "-": "_-_", "*": "_*_", "/": "_/_", "%": "_%_", "<": "_<_", "<=": "_<=_",
            ">": "_>_", ">=": "_>=_", "==": "_==_", "!=": "_!=_", "in": "@in"}

_PY_IDENT = re.compile(r"[^0-9A-Za-z_]")

#: a pure field path from a declared variable: (its python name, its CEL name, the field names)
Root: TypeAlias = tuple[str, str, tuple[str, ...]]


class R:
    """Result of generating one node: Python expression code, static type, static field path."""

    __slots__ = ("amb", "code", "const", "hoist", "nn", "path", "root", "safe", "t")

    def __init__(self, code: str, t: T, path: str | None = None, const: Any = rt.UInt, root: Root | None = None,
                 hoist: tuple[str, str] | None = None, amb: bool = False, safe: bool = False,
                 nn: str | None = None) -> None:
        self.code = code  # exact value (raises missing_field itself where an ancestor is null)
        self.t = t
        self.path = path
        self.const = const  # rt.UInt sentinel = not a constant
        #: (python name of the declared variable, its name, field names) for pure field paths
        self.root = root
        #: (hoisted local, code raising the right missing_field) when the path is hoisted
        self.hoist = hoist
        #: the hoisted local may be None because an ancestor is None
        self.amb = amb
        #: evaluating ``code`` cannot raise (a None test of a local, a length of a non-null list)
        self.safe = safe
        #: a presence test: when ``code`` is true, this hoisted local is not None
        self.nn = nn

    @property
    def is_const(self) -> bool:
        return self.const is not rt.UInt


class Var:
    __slots__ = ("path", "py", "t")

    def __init__(self, py: str, t: T, path: str | None) -> None:
        self.py = py
        self.t = t
        self.path = path


class Generator:
    def __init__(self, source: str, declarations: Mapping[str, Any], functions: Mapping[str, Function],
                 check: bool) -> None:
        self.source = source
        self.check = check
        self.functions = dict(functions)
        self.errors: list[ExprCheckError] = []
        self.helpers: list[str] = []
        self.ns: dict[str, Any] = {"_rt": rt, "_CelError": CelError, "_missing": rt.missing, "_ovf": rt.overflow}
        #: how to make each constant of ``ns`` again in another process (expr/cache.py); None: cannot
        self.recipes: dict[str, tuple[str, Any] | None] = {}
        #: registered functions the code calls, by name
        self.functions_used: dict[str, str] = {}
        self.n = 0
        self.reads: dict[str, None] = {}
        self.fn_codes: dict[Any, str] = {}
        self.vars: dict[str, Var] = {}
        self.params: list[str] = []
        self.prologue: list[str] = []
        self.hoisted: dict[str, R] = {}
        self.hoist_lines: list[str] = []
        self.hoist_counts: dict[str, int] = {}
        self.main_ctx = True
        self.dup_level = 0
        #: hoisted locals known not to be None where code is being generated: inside an ``&&``
        #: chain, after an item ``has(x.y)`` that cannot raise (it returned true, or we left)
        self.nonnull: set[str] = set()
        #: hoisted local -> the local (or parameter) it was read from
        self.hoist_parent: dict[str, str] = {}
        #: the R of the chain item last generated by _item_lines (None for a nested chain)
        self.last_item: R | None = None
        #: every value the expression may return is a Python bool (else literals True/False of
        #: && / || chains): callers may then skip checking the result's type
        self.returns_bool = True
        for i, (name, tp) in enumerate(declarations.items()):
            t = from_py(tp)
            py = f"v{i}_{_PY_IDENT.sub('_', name)}"
            self.params.append(py)
            if t.enum is not None:
                self.prologue.append(f"{py} = {py}.value if {py} is not None else None")
            elif t.kind == "list" and t.elem is not None and t.elem.enum is not None:
                self.prologue.append(f"{py} = tuple(e.value for e in {py})")
            self.vars[name] = Var(py, t, name)

    # ------------------------------------------------------------------ utilities
    def tmp(self, prefix: str = "_t") -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def const(self, value: Any, prefix: str = "_k", recipe: tuple[str, Any] | None = None) -> str:
        from .cache import recipe_of

        name = self.tmp(prefix)
        self.ns[name] = value
        self.recipes[name] = recipe if recipe is not None else recipe_of(value)
        return name

    def error(self, node: A.Expr, msg_id: str, msg_en: str, suggestion: str | None = None) -> None:
        if self.check:
            self.errors.append(ExprCheckError(f"{msg_id} / {msg_en}", node.offset, self.source, suggestion))

    def read(self, path: str | None) -> None:
        if path and "." in path:
            self.reads.setdefault(path, None)

    def unwrap(self, r: R, op: str = "") -> str:
        """Code for ``r`` that raises ``missing_field`` when the (nullable) value is None."""
        if r.hoist is not None and (r.t.nullable or r.amb):
            local, chain = r.hoist
            if local in self.nonnull:
                return local
            return f"({local} if {local} is not None else {chain})"
        if not r.t.nullable:
            return r.code
        t = self.tmp()
        if r.path:
            return f"({t} if ({t} := {r.code}) is not None else _missing({r.path!r}))"
        return f"({t} if ({t} := {r.code}) is not None else _rt.raise_no_overload({op!r}, None))"

    @staticmethod
    def scope_params(scope: dict[str, Var]) -> list[str]:
        seen: list[str] = []
        for v in scope.values():
            if v.py not in seen:
                seen.append(v.py)
        return seen

    # ------------------------------------------------------------------ entry
    def generate(self, node: A.Expr) -> str:
        scope = dict(self.vars)
        self.count_paths(node)
        body = self.ret(node, scope, "        ")
        lines = [f"def _expr({', '.join(self.params)}):", "    try:"]
        lines += ["        " + p for p in self.prologue]
        lines += ["        " + p for p in self.hoist_lines]
        lines += body
        lines += [
            "    except _CelError:",
            "        raise",
            "    except MemoryError:",  # out of memory is the caller's budget, never a CEL error
            "        raise",
            "    except Exception as _e:",
            "        raise _rt.wrap_exception(_e, _fn_codes) from _e",
        ]
        return "\n".join(self.helpers + lines) + "\n"

    def count_paths(self, node: A.Expr) -> None:
        """How often each static field path is read: paths read twice or more are hoisted into
        locals of the generated function (read once, shared by every use)."""
        for n in A.walk(node):
            if isinstance(n, A.Select):
                parts = self.qualified(n)
                if parts and parts[0] in self.vars:
                    key = ".".join(parts)
                    self.hoist_counts[key] = self.hoist_counts.get(key, 0) + 1

    def in_helper(self) -> AbstractContextManager[None]:
        gen = self

        class _Ctx:
            saved: bool

            def __enter__(self) -> None:
                self.saved = gen.main_ctx
                gen.main_ctx = False

            def __exit__(self, *exc: object) -> None:
                gen.main_ctx = self.saved

        return _Ctx()

    # ------------------------------------------------------------------ statements (return position)
    def ret(self, node: A.Expr, scope: dict[str, Var], ind: str) -> list[str]:
        if isinstance(node, A.Binary) and node.op in ("&&", "||"):
            return self.chain(node, scope, ind)
        if isinstance(node, A.Cond):
            c = self.cond_code(self.expr(node.cond, scope), "_?_:_", node.cond)
            return [f"{ind}if {c}:", *self.ret(node.then, scope, ind + "    "),
                    f"{ind}else:", *self.ret(node.otherwise, scope, ind + "    ")]
        r = self.expr(node, scope)
        self.returned(r)
        return [f"{ind}return {r.code}"]

    def emit_bool(self, node: A.Binary, scope: dict[str, Var], ind: str, v: str, e: str) -> list[str]:
        """Statements evaluating an ``&&``/``||`` chain into ``v`` (bool) and ``e`` (error or None).

        Afterwards: if ``e`` is None the value is ``v``; otherwise the value is that error."""
        op = node.op
        items = A.operands(node, op)
        short = "False" if op == "&&" else "True"
        long = "True" if op == "&&" else "False"
        lines = [f"{ind}{e} = None", f"{ind}{v} = {long}"]
        cur = ind
        for i, item in enumerate(items):
            if i:
                lines.append(f"{cur}if {v} is {long}:")
                cur += "    "
            lines += self._item_lines(item, scope, cur, op, f"{v} = {short}", e)
        lines.append(f"{ind}if {v} is {short}: {e} = None")
        return lines

    def _item_lines(self, item: A.Expr, scope: dict[str, Var], ind: str, op: str, on_short: str,
                    err: str) -> list[str]:
        """Lines testing one chain item: run ``on_short`` if it has the short-circuit value, record an
        error into ``err`` (first one wins)."""
        short = "False" if op == "&&" else "True"
        opname = "_&&_" if op == "&&" else "_||_"
        self.last_item = None
        if isinstance(item, A.Binary) and item.op in ("&&", "||") and item.op != op:
            v, e = self.tmp("_bv"), self.tmp("_be")
            lines = self.emit_bool(item, scope, ind, v, e)
            lines.append(f"{ind}if {e} is not None:")
            lines.append(f"{ind}    if {err} is None: {err} = {e}")
            lines.append(f"{ind}elif {v} is {short}: {on_short}")
            return lines
        r = self.expr(item, scope)
        self.last_item = r
        if r.safe and r.t.kind == "bool" and not r.t.nullable:  # cannot raise: no bookkeeping
            test = f"not {r.code}" if op == "&&" else r.code
            return [f"{ind}if {test}: {on_short}"]
        lines = [f"{ind}try:"]
        if r.t.kind == "bool" and not r.t.nullable:
            test = f"not {r.code}" if op == "&&" else r.code
            lines.append(f"{ind}    if {test}: {on_short}")
        elif r.t.kind == "bool" and r.path:
            t = self.tmp("_v")
            lines.append(f"{ind}    if ({t} := {r.code}) is {short}: {on_short}")
            lines.append(f"{ind}    elif {t} is None: _missing({r.path!r})")
        else:
            t = self.tmp("_v")
            lines.append(f"{ind}    if ({t} := {r.code}) is {short}: {on_short}")
            lines.append(f"{ind}    elif {t} is not {'True' if op == '&&' else 'False'}: "
                         f"raise _rt.no_overload({opname!r}, {t})")
        lines.append(f"{ind}except MemoryError:")  # never absorbed by the other operand (a budget, not a value)
        lines.append(f"{ind}    raise")
        lines.append(f"{ind}except Exception as _e:")
        lines.append(f"{ind}    if {err} is None: {err} = _e")
        return lines

    def chain(self, node: A.Binary, scope: dict[str, Var], ind: str) -> list[str]:
        saved = set(self.nonnull)
        try:
            return self._chain(node, scope, ind)
        finally:
            self.nonnull = saved

    def _chain(self, node: A.Binary, scope: dict[str, Var], ind: str) -> list[str]:
        op = node.op
        items = A.operands(node, op)
        short = "False" if op == "&&" else "True"
        err = self.tmp("_err")
        head: list[str] = []
        all_safe = True
        for item in items[:-1]:
            head += self._item_lines(item, scope, ind, op, f"return {short}", err)
            r = self.last_item
            if r is None or not r.safe:
                all_safe = False
            elif op == "&&" and r.nn is not None:  # from here on, that field is known present
                self.nonnull.add(r.nn)
        last = items[-1]
        if all_safe:  # no earlier item can have failed: the last item's value is the chain's value
            if isinstance(last, A.Binary) and last.op in ("&&", "||"):
                return head + self.ret(last, scope, ind)
            r = self.expr(last, scope)
            if r.t.kind == "bool" and not r.t.nullable:
                self.returned(r)
                return [*head, f"{ind}return {r.code}"]
            head = [f"{ind}{err} = None", *head]
            return head + self._item_lines(last, scope, ind, op, f"return {short}", err) + [
                f"{ind}if {err} is not None: raise {err}", f"{ind}return {'True' if op == '&&' else 'False'}"]
        lines = [f"{ind}{err} = None", *head]
        # No error so far: the chain's value is the last item's value (fast path, no bookkeeping).
        if isinstance(last, A.Binary) and last.op in ("&&", "||"):
            if self.dup_level < 2:  # the last item is generated twice: bound the code growth
                self.dup_level += 1
                lines.append(f"{ind}if {err} is None:")
                lines += self.ret(last, scope, ind + "    ")
                self.dup_level -= 1
        else:
            r = self.expr(last, scope)
            if r.t.kind == "bool" and not r.t.nullable:
                self.returned(r)
                lines.append(f"{ind}if {err} is None: return {r.code}")
        # An earlier item failed: the last item can still decide (short value), else the error stands.
        n_errors = len(self.errors)
        lines += self._item_lines(last, scope, ind, op, f"return {short}", err)
        del self.errors[n_errors:]  # the same node generated twice: report its errors once
        lines.append(f"{ind}if {err} is not None: raise {err}")
        lines.append(f"{ind}return {'True' if op == '&&' else 'False'}")
        return lines

    def returned(self, r: R) -> None:
        """Note a value returned by the expression (not by a macro's helper function)."""
        if self.main_ctx and not (r.t.kind == "bool" and not r.t.nullable and "_f_" not in r.code):
            self.returns_bool = False  # a plugin's function may break its declared type: keep checking

    def helper_call(self, node: A.Expr, scope: dict[str, Var]) -> str:
        name = self.tmp("_h")
        params = self.scope_params(scope)
        with self.in_helper():
            body = self.ret(node, scope, "    ")
        self.helpers.append("\n".join([f"def {name}({', '.join(params)}):", *body]))
        return f"{name}({', '.join(params)})"

    def cond_code(self, r: R, op: str, node: A.Expr | None = None) -> str:
        if r.t.kind == "bool":
            return self.unwrap(r, op)
        if r.t.kind != "dyn" and node is not None:
            self.error(node, f"kondisi harus bool, bukan {r.t.name()}",
                       f"condition must be bool, not {r.t.name()}")
        return f"_rt.as_bool({r.code}, {op!r})"

    # ------------------------------------------------------------------ expressions
    def expr(self, node: A.Expr, scope: dict[str, Var]) -> R:
        m: Callable[[A.Expr, dict[str, Var]], R] = getattr(self, "e_" + type(node).__name__)
        return m(node, scope)

    def e_Literal(self, node: A.Literal, scope: dict[str, Var]) -> R:
        k, v = node.kind, node.value
        if k == "int":
            return R(repr(v), INT, const=v)
        if k == "uint":
            return R(self.const(rt.UInt(v)), UINT, const=rt.UInt(v))
        if k == "double":
            if math.isfinite(v):
                return R(repr(v), DOUBLE, const=v)
            return R(self.const(v), DOUBLE, const=v)
        if k == "string":
            return R(repr(v), STRING, const=v)
        if k == "bytes":
            return R(repr(v), BYTES, const=v)
        if k == "bool":
            return R("True" if v else "False", BOOL, const=v)
        return R("None", NULL, const=None)

    def e_Ident(self, node: A.Ident, scope: dict[str, Var]) -> R:
        name = node.name.lstrip(".")
        v = scope.get(name) if not node.name.startswith(".") else self.vars.get(name)
        if v is not None:
            root = (v.py, name, ()) if self.vars.get(name) is v else None
            return R(v.py, v.t, v.path, root=root)
        if name in rt.TYPE_CONSTANTS:
            return R(self.const(rt.TYPE_CONSTANTS[name], "_T", ("type", name)), TYPE)
        cands = list(scope) + [n for n in rt.TYPE_CONSTANTS if "." not in n]
        sug = difflib.get_close_matches(name, cands, n=1)
        self.error(node, f"variabel '{name}' tidak dikenal", f"undeclared reference to '{name}'",
                   sug[0] if sug else None)
        return R(f"_rt.unbound({name!r})", DYN)

    def qualified(self, node: A.Expr) -> list[str] | None:
        parts: list[str] = []
        while isinstance(node, A.Select):
            parts.append(node.field)
            node = node.operand
        if isinstance(node, A.Ident):
            parts.append(node.name.lstrip("."))
            return parts[::-1]
        return None

    def e_Select(self, node: A.Select, scope: dict[str, Var]) -> R:
        parts = self.qualified(node)
        if parts is not None and not (parts[0] in scope and scope[parts[0]] is not self.vars.get(parts[0])):
            for i in range(len(parts), 1, -1):
                name = ".".join(parts[:i])
                if name in self.vars:
                    v = self.vars[name]
                    r = R(v.py, v.t, v.path, root=(v.py, name, ()))
                    # apply remaining selects
                    return self._select_chain(node, len(parts) - i, r)
                if i == len(parts) and name in rt.TYPE_CONSTANTS:
                    return R(self.const(rt.TYPE_CONSTANTS[name], "_T", ("type", name)), TYPE)
        operand = self.expr(node.operand, scope)
        return self.select(node, operand)

    def _select_chain(self, node: A.Select, remaining: int, base: R) -> R:
        chain: list[A.Select] = []
        n: A.Expr = node
        for _ in range(remaining):
            assert isinstance(n, A.Select)  # qualified() walked these selects
            chain.append(n)
            n = n.operand
        r = base
        for sel in reversed(chain):
            r = self.select(sel, r)
        return r

    def select(self, node: A.Select, operand: R, presence: bool = False) -> R:
        f = node.field
        t = operand.t
        path = f"{operand.path}.{f}" if operand.path else None
        self.read(path)
        if t.kind == "obj" and t.cls is not None:
            fields = attrs_fields(t.cls)
            if f not in fields:
                sug = difflib.get_close_matches(f, list(fields), n=1)
                self.error(node, f"field '{f}' tidak ada pada {t.cls.__name__}",
                           f"no such field '{f}' on {t.cls.__name__}", sug[0] if sug else None)
                return R(f"_rt.select({operand.code}, {f!r}, {path!r})", DYN, path)
            ft = fields[f]
            root = (operand.root[0], operand.root[1], operand.root[2] + (f,)) if operand.root else None
            if root is not None and self.main_ctx and self.hoist_counts.get(path or "", 0) >= 2:
                return self.hoisted_select(operand, f, ft, root, path, presence)
            if operand.hoist is not None and (t.nullable or operand.amb) and operand.hoist[0] in self.nonnull:
                local = operand.hoist[0]
                if presence:
                    code = self._presence_code(f"{local}.{f}", ft)
                    return R(code, BOOL, safe=code.endswith(" is not None)"))
                return R(self._read_conv(f"{local}.{f}", ft), self._cel_t(ft), path, root=root)
            if operand.hoist is not None and (t.nullable or operand.amb):
                local, chain = operand.hoist
                if presence:
                    code = self._presence_code(f"{local}.{f}", ft)
                    return R(f"({code} if {local} is not None else {chain})", BOOL)
                code = f"({self._read_conv(f'{local}.{f}', ft)} if {local} is not None else {chain})"
                return R(code, self._cel_t(ft), path, root=root)
            if operand.hoist is not None:
                local = operand.hoist[0]
                if presence:
                    return R(self._presence_code(f"{local}.{f}", ft), BOOL)
                return R(self._read_conv(f"{local}.{f}", ft), self._cel_t(ft), path, root=root)
            if t.nullable:
                tv = self.tmp()
                missing_call = (f"_missing({operand.path!r})" if operand.path
                                else "_rt.raise_no_overload('_._', None)")
                if presence:
                    code = self._presence_code(f"{tv}.{f}", ft)
                    return R(f"({code} if ({tv} := {operand.code}) is not None else {missing_call})", BOOL)
                code = f"({self._read_conv(f'{tv}.{f}', ft)} if ({tv} := {operand.code}) is not None " \
                       f"else {missing_call})"
            else:
                if presence:
                    return R(self._presence_code(f"{operand.code}.{f}", ft), BOOL)
                code = self._read_conv(f"{operand.code}.{f}", ft)
            return R(code, self._cel_t(ft), path, root=root)
        if t.kind in ("map", "dyn"):
            if presence:
                return R(f"_rt.has({operand.code}, {f!r}, {path!r})", BOOL)
            rt_t = t.val if t.kind == "map" and t.val is not None else DYN
            if t.kind == "map" and t.key is not None and t.key.kind not in ("string", "dyn"):
                self.error(node, f"kunci map bertipe {t.key.name()}, bukan string",
                           f"map key type {t.key.name()} does not support field selection")
            return R(f"_rt.select({operand.code}, {f!r}, {path!r})", rt_t, path)
        if t.kind == "null" or (operand.is_const and operand.const is None):
            pass
        self.error(node, f"tipe '{t.name()}' tidak mendukung pemilihan field",
                   f"type '{t.name()}' does not support field selection")
        if presence:
            return R(f"_rt.has({operand.code}, {f!r}, {path!r})", BOOL)
        return R(f"_rt.select({operand.code}, {f!r}, {path!r})", DYN, path)

    @staticmethod
    def _cel_t(ft: T) -> T:
        if ft.enum is not None:
            return STRING.opt() if ft.nullable else STRING
        if ft.kind == "list" and ft.elem is not None and ft.elem.enum is not None:
            return list_of(STRING)
        return ft

    @staticmethod
    def _chain_call(root: Root) -> str:
        return f"_rt.missing_chain({root[0]}, {root[1]!r}, {root[2]!r})"

    def hoisted_select(self, operand: R, f: str, ft: T, root: Root, path: str | None, presence: bool) -> R:
        """``operand.f`` read once into a local of the generated function (see count_paths)."""
        parent_root = operand.root
        assert parent_root is not None  # ``root`` extends it
        key = path or ""
        r = self.hoisted.get(key)
        if r is None:
            local = self.tmp("_p")
            if operand.hoist is not None:
                parent = operand.hoist[0]
                amb = operand.amb or operand.t.nullable
            else:
                parent = operand.code
                amb = operand.t.nullable
            read = self._read_conv(f"{parent}.{f}", ft)
            if amb:
                self.hoist_lines.append(f"{local} = {read} if {parent} is not None else None")
                exact = f"({local} if {parent} is not None else {self._chain_call(parent_root)})"
            else:
                self.hoist_lines.append(f"{local} = {read}")
                exact = local
            self.hoist_parent[local] = parent
            r = R(exact, self._cel_t(ft), path, root=root, hoist=(local, self._chain_call(root)), amb=amb)
            self.hoisted[key] = r
        assert r.hoist is not None  # every hoisted R has its local
        local = r.hoist[0]
        parent_known = not r.amb or self.hoist_parent.get(local) in self.nonnull
        if presence:
            code = self._presence_code(local, ft)
            # `local is not None` or len() of a non-null list: cannot raise; the first proves local
            safe = code == f"({local} is not None)" or (ft.kind == "list" and not ft.nullable)
            nn = local if code == f"({local} is not None)" else None
            if not parent_known:
                parent_local = operand.hoist[0] if operand.hoist is not None else operand.code
                return R(f"({code} if {parent_local} is not None else {self._chain_call(parent_root)})", BOOL)
            return R(code, BOOL, safe=safe, nn=nn)
        if r.amb and parent_known:  # the ancestor is known: the local itself is the exact value
            return R(local, r.t, r.path, root=r.root, hoist=r.hoist, amb=False)
        return r

    def _read_conv(self, code: str, ft: T) -> str:
        if ft.enum is not None:
            if ft.nullable:
                t = self.tmp("_en")
                return f"({t}.value if ({t} := {code}) is not None else None)"
            return f"{code}.value"
        if ft.kind == "list" and ft.elem is not None and ft.elem.enum is not None:
            return f"tuple(e.value for e in {code})"
        return code

    @staticmethod
    def _presence_code(code: str, ft: T) -> str:
        if ft.kind == "list":
            return f"_rt.present({code})" if ft.nullable else f"(len({code}) > 0)"
        if ft.kind == "dyn" or ft.kind == "map":
            return f"_rt.present({code})"
        return f"({code} is not None)"

    def e_Index(self, node: A.Index, scope: dict[str, Var]) -> R:
        c = self.expr(node.operand, scope)
        i = self.expr(node.index, scope)
        t = c.t
        if t.kind == "list":
            if i.t.kind not in ("int", "uint", "double", "dyn"):
                self.error(node.index, "indeks list harus int", "list index must be int")
            return R(f"_rt.index({self.unwrap(c, '_[_]')}, {i.code})", t.elem or DYN)
        if t.kind == "map":
            return R(f"_rt.index({self.unwrap(c, '_[_]')}, {i.code})", t.val or DYN)
        if t.kind != "dyn":
            self.error(node, f"tipe '{t.name()}' tidak dapat diindeks", f"type '{t.name()}' cannot be indexed")
        return R(f"_rt.index({c.code}, {i.code})", DYN)

    def e_ListLit(self, node: A.ListLit, scope: dict[str, Var]) -> R:
        rs = [self.expr(e, scope) for e in node.elements]
        et = DYN
        if rs and all(r.t.kind == rs[0].t.kind and r.t.kind in SIMPLE and not r.t.nullable for r in rs):
            et = rs[0].t
        return R("[" + ", ".join(r.code for r in rs) + "]", list_of(et))

    def e_MapLit(self, node: A.MapLit, scope: dict[str, Var]) -> R:
        ks = [self.expr(k, scope) for k, _ in node.entries]
        vs = [self.expr(v, scope) for _, v in node.entries]
        for k, r in zip(node.entries, ks):
            if r.t.kind in ("double", "null", "list", "map", "timestamp", "duration", "bytes", "type", "date"):
                self.error(k[0], f"tipe kunci map tidak didukung: {r.t.name()}",
                           f"unsupported map key type: {r.t.name()}")
        kt = ks[0].t if ks and all(r.t.kind == ks[0].t.kind for r in ks) else DYN
        vt = vs[0].t if vs and all(r.t.kind == vs[0].t.kind and r.t.kind in SIMPLE for r in vs) else DYN
        simple = all(r.is_const and type(r.const) in (str, int) for r in ks)
        if simple:
            consts = [r.const for r in ks]
            if len(set(consts)) == len(consts):
                return R("{" + ", ".join(f"{k.code}: {v.code}" for k, v in zip(ks, vs)) + "}", map_of(kt, vt))
        pairs = ", ".join(f"({k.code}, {v.code})" for k, v in zip(ks, vs))
        return R(f"_rt.make_map([{pairs}])", map_of(kt, vt))

    def e_Cond(self, node: A.Cond, scope: dict[str, Var]) -> R:
        c = self.cond_code(self.expr(node.cond, scope), "_?_:_", node.cond)
        a = self.expr(node.then, scope)
        b = self.expr(node.otherwise, scope)
        t = a.t if a.t.kind == b.t.kind and a.t.kind in SIMPLE else DYN
        if t is not DYN and (a.t.nullable or b.t.nullable):
            t = t.opt()
        return R(f"({a.code} if {c} else {b.code})", t)

    def e_Unary(self, node: A.Unary, scope: dict[str, Var]) -> R:
        r = self.expr(node.operand, scope)
        k = r.t.kind
        if node.op == "!":
            if k == "bool":
                return R(f"(not {self.unwrap(r, '!_')})", BOOL)
            if k != "dyn":
                self.error(node, f"operator '!' tidak berlaku untuk {r.t.name()}",
                           f"no matching overload for '!_' applied to ({r.t.name()})")
            return R(f"_rt.not_({r.code})", BOOL)
        if k == "double":
            return R(f"(-{self.unwrap(r, '-_')})", DOUBLE)
        if k not in ("int", "duration", "dyn"):
            self.error(node, f"operator '-' tidak berlaku untuk {r.t.name()}",
                       f"no matching overload for '-_' applied to ({r.t.name()})")
        return R(f"_rt.neg({self.unwrap(r, '-_')})", r.t.strict() if k in ("int", "duration") else DYN)

    def e_Binary(self, node: A.Binary, scope: dict[str, Var]) -> R:
        op = node.op
        if op in ("&&", "||"):
            return R(self.helper_call(node, scope), BOOL)
        a = self.expr(node.left, scope)
        b = self.expr(node.right, scope)
        ka, kb = a.t.kind, b.t.kind
        if op in ("==", "!="):
            pyop = "==" if op == "==" else "!="
            if (b.is_const and type(b.const) is bool) or (a.is_const and type(a.const) is bool):
                # only the bool singleton equals a bool literal (heterogeneous equality)
                other, lit = (a, b.const) if b.is_const and type(b.const) is bool else (b, a.const)
                return R(f"({other.code} {'is' if op == '==' else 'is not'} {lit})", BOOL)
            if (a.t.same(b.t) or (ka in NUMERIC and kb in NUMERIC)) and ka != "null":
                return R(f"({a.code} {pyop} {b.code})", BOOL)
            if kb == "null" or ka == "null":
                other = a if kb == "null" else b
                if other.is_const:
                    return R(repr((other.const is None) == (op == "==")), BOOL)
                isop = "is" if op == "==" else "is not"
                return R(f"({other.code} {isop} None)", BOOL)
            fn = "eq" if op == "==" else "ne"
            return R(f"_rt.{fn}({a.code}, {b.code})", BOOL)
        if op in _CMP_FN:
            if (ka in NUMERIC and kb in NUMERIC) or (ka == kb and ka in _ORDERED):
                return R(f"({self.unwrap(a, _OP_NAME[op])} {op} {self.unwrap(b, _OP_NAME[op])})", BOOL)
            if ka != "dyn" and kb != "dyn":
                self._op_error(node, op, a, b)
            return R(f"_rt.{_CMP_FN[op]}({a.code}, {b.code})", BOOL)
        if op == "in":
            if kb == "list":
                et = b.t.elem or DYN
                if ka in ("string", "int", "bytes") and et.kind == ka and not a.t.nullable:
                    return R(f"({a.code} in {self.unwrap(b, '@in')})", BOOL)
            elif kb == "map":
                kt = b.t.key or DYN
                if ka == "string" and kt.kind == "string" and not a.t.nullable:
                    return R(f"({a.code} in {self.unwrap(b, '@in')})", BOOL)
            elif kb != "dyn":
                self._op_error(node, op, a, b)
            return R(f"_rt.in_({a.code}, {b.code})", BOOL)
        # arithmetic
        pair = (ka, kb)
        if ka != "dyn" and kb != "dyn" and pair not in _ARITH_OK[op]:
            self._op_error(node, op, a, b)
            return R(f"_rt.{ {'+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod'}[op] }"
                     f"({a.code}, {b.code})", DYN)
        ca, cb = self.unwrap(a, _OP_NAME[op]), self.unwrap(b, _OP_NAME[op])
        if pair == ("int", "int"):
            if op in "+-*":
                t = self.tmp("_r")
                return R(f"({t} if -9223372036854775808 <= ({t} := {ca} {op} {cb}) <= 9223372036854775807 "
                         f"else _ovf())", INT)
            fn = "idiv" if op == "/" else "imod"
            return R(f"_rt.{fn}({ca}, {cb})", INT)
        if pair == ("double", "double"):
            if op == "/":
                return R(f"_rt.fdiv({ca}, {cb})", DOUBLE)
            return R(f"({ca} {op} {cb})", DOUBLE)
        if pair == ("string", "string") or pair == ("bytes", "bytes"):
            if a.is_const and b.is_const:
                return R(f"({ca} + {cb})", a.t.strict())
            return R(f"_rt.cat({ca}, {cb})", a.t.strict())
        if pair == ("timestamp", "duration"):
            return R(f"_rt.ts_add({ca}, {cb})" if op == "+" else f"_rt.ts_add({ca}, -{cb})", TIMESTAMP)
        if pair == ("timestamp", "timestamp"):
            return R(f"_rt.ts_sub({ca}, {cb})", DURATION)
        if pair == ("date", "date"):
            return R(f"({ca} - {cb})", DURATION)
        fn = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod"}[op]
        if pair in _ARITH_RESULT:
            rtype = _ARITH_RESULT[pair]
        elif ka == kb and ka != "dyn":
            rtype = a.t.strict()
        else:
            rtype = DYN
        return R(f"_rt.{fn}({ca}, {cb})", rtype)

    def _op_error(self, node: A.Expr, op: str, a: R, b: R) -> None:
        hint_id = hint_en = ""
        if {a.t.kind, b.t.kind} == {"timestamp", "date"}:
            hint_id = "; ubah cap waktu menjadi tanggal dengan date(t, 'Asia/Jakarta')"
            hint_en = "; turn the timestamp into a date with date(t, 'Asia/Jakarta')"
        elif {a.t.kind, b.t.kind} == {"int", "double"}:
            hint_id = "; ubah dulu dengan double(n)"
            hint_en = "; convert first with double(n)"
        self.error(node, f"tidak ada overload '{_OP_NAME.get(op, op)}' untuk ({a.t.name()}, {b.t.name()}){hint_id}",
                   f"found no matching overload for '{_OP_NAME.get(op, op)}' applied to "
                   f"({a.t.name()}, {b.t.name()}){hint_en}")

    # ------------------------------------------------------------------ calls
    def e_Call(self, node: A.Call, scope: dict[str, Var]) -> R:
        name = node.function.lstrip(".")
        target = node.target
        args = node.args
        nargs = len(args)
        # macros
        if name == "has" and target is None and nargs == 1 and isinstance(args[0], A.Select):
            sel = args[0]
            operand = self.expr(sel.operand, scope)
            return self.select(sel, operand, presence=True)
        if name == "has" and target is None:
            self.error(node, "argumen has() harus berupa pemilihan field",
                       "invalid argument to has() macro: expected a field selection")
            return R("_rt.raise_no_overload('has')", BOOL)
        if (target is not None and name in MACROS and isinstance(args[0] if args else None, A.Ident)
                and (nargs == 2 or (nargs == 3 and name == "map"))):
            return self.macro(node, name, scope)
        fn = self.functions.get(name)
        if fn is not None and (target is None or fn.receiver):
            return self.call_registered(node, fn, scope)
        if name in BUILTINS:
            if (target is not None, nargs) not in BUILTINS[name]:
                self.error(node, f"jumlah argumen salah untuk '{name}'",
                           f"wrong number of arguments for '{name}'")
            return self.call_builtin(node, name, scope)
        cands = list(BUILTINS) + list(self.functions)
        sug = difflib.get_close_matches(name, cands, n=1)
        self.error(node, f"fungsi '{name}' tidak dikenal", f"undeclared reference to function '{name}'",
                   sug[0] if sug else None)
        parts = []
        for a in ([target] if target is not None else []) + list(args):
            before = len(self.errors)
            parts.append(self.expr(a, scope).code)
            if isinstance(a, A.Ident):  # maybe the variable of a macro-like call: one error is enough
                del self.errors[before:]
        return R(f"_rt.unbound_fn({name!r}{''.join(', ' + p for p in parts)})", DYN)

    def call_builtin(self, node: A.Call, name: str, scope: dict[str, Var]) -> R:
        target = node.target
        rs = [self.expr(a, scope) for a in node.args]
        if target is not None:
            rs.insert(0, self.expr(target, scope))
        if name == "size":
            if len(rs) != 1:
                return R("_rt.raise_no_overload('size')", INT)
            r = rs[0]
            if r.t.kind in ("list", "map", "string", "bytes"):
                return R(f"len({self.unwrap(r, 'size')})", INT)
            if r.t.kind != "dyn":
                self.error(node, f"size() tidak berlaku untuk {r.t.name()}",
                           f"no matching overload for 'size' applied to ({r.t.name()})")
            return R(f"_rt.size({r.code})", INT)
        if name == "dyn" and len(rs) == 1:
            return R(rs[0].code, DYN, rs[0].path)
        if name in _CONV_FN and target is None:
            rtype = _CONV_T[name]
            if rs and all(r.is_const for r in rs) and name != "type":
                try:
                    value = getattr(rt, _CONV_FN[name])(*[r.const for r in rs])
                except CelError:
                    pass  # raised again at run time, where CEL errors belong
                else:
                    return R(self.const(value), rtype, const=value)
            if name == "double" and len(rs) == 1 and rs[0].t.kind in ("int", "uint"):
                return R(f"float({self.unwrap(rs[0], name)})", DOUBLE)
            if name == "string" and len(rs) == 1 and rs[0].t.kind == "int":
                return R(f"str({self.unwrap(rs[0], name)})", STRING)
            if len(rs) == 1 and rs[0].t.kind == rtype.kind and not rs[0].t.nullable and name != "type":
                return R(rs[0].code, rtype)
            if name == "type":
                return R(f"_rt.type_of({rs[0].code})" if rs else "_rt.raise_no_overload('type')", TYPE)
            codes = ", ".join(self.unwrap(r, name) for r in rs)
            return R(f"_rt.{_CONV_FN[name]}({codes})", rtype)
        if name in ("contains", "startsWith", "endsWith"):
            if len(rs) != 2:
                return R(f"_rt.raise_no_overload({name!r})", BOOL)
            s, x = rs
            if s.t.kind == "string" and x.t.kind == "string":
                cs, cx = self.unwrap(s, name), self.unwrap(x, name)
                if name == "contains":
                    return R(f"({cx} in {cs})", BOOL)
                meth = "startswith" if name == "startsWith" else "endswith"
                return R(f"{cs}.{meth}({cx})", BOOL)
            self._arg_kinds(node, name, rs, ("string", "string"))
            fn = {"contains": "s_contains", "startsWith": "s_starts", "endsWith": "s_ends"}[name]
            return R(f"_rt.{fn}({rs[0].code}, {rs[1].code})", BOOL)
        if name == "matches":
            if len(rs) != 2:
                return R("_rt.raise_no_overload('matches')", BOOL)
            s, p = rs
            self._arg_kinds(node, name, rs, ("string", "string"))
            if p.is_const and isinstance(p.const, str) and s.t.kind == "string":
                try:
                    rx = regex.const_regex(p.const)
                except CelError as e:
                    self.error(node.args[-1], f"regex tidak sah: {e.message}", f"invalid regex: {e.message}")
                else:
                    k = self.const(rx, "_rx", ("regex", p.const))
                    return R(f"({k}.search({self.unwrap(s, 'matches')}) is not None)", BOOL)
            return R(f"_rt.matches({rs[0].code}, {rs[1].code})", BOOL)
        if name in rt.TIME_GETTERS:
            if target is None:
                return R(f"_rt.raise_no_overload({name!r})", INT)
            r = rs[0]
            if r.t.kind not in ("timestamp", "duration", "date", "dyn"):
                self.error(node, f"{name}() tidak berlaku untuk {r.t.name()}",
                           f"no matching overload for '{name}' applied to ({r.t.name()})")
            if len(rs) == 2 and rs[1].t.kind not in ("string", "dyn"):
                self.error(node, "zona waktu harus string", "time zone must be a string")
            codes = ", ".join([self.unwrap(r, name)] + [x.code for x in rs[1:]])
            return R(f"_rt.ts_get({name!r}, {codes})", INT)
        return R(f"_rt.raise_no_overload({name!r})", DYN)

    def _arg_kinds(self, node: A.Expr, name: str, rs: list[R], kinds: tuple[str, ...]) -> None:
        for r, k in zip(rs, kinds):
            if r.t.kind not in (k, "dyn"):
                sig = ", ".join(x.t.name() for x in rs)
                self.error(node, f"tidak ada overload '{name}' untuk ({sig})",
                           f"found no matching overload for '{name}' applied to ({sig})")
                return

    def call_registered(self, node: A.Call, fn: Function, scope: dict[str, Var]) -> R:
        impl_name = f"_f_{_PY_IDENT.sub('_', fn.name)}"
        self.ns[impl_name] = fn.impl
        self.functions_used[impl_name] = fn.name
        code_obj = getattr(fn.impl, "__code__", None)
        if code_obj is not None:
            self.fn_codes[code_obj] = fn.name
        args = ([node.target] if node.target is not None else []) + list(node.args)
        rtype = from_py(fn.returns) if fn.returns is not None else DYN
        params = tuple(fn.params or ())
        if fn.predicate:
            if len(args) < 3 or not isinstance(args[1], A.Ident):
                self.error(node, f"'{fn.name}' ditulis {fn.name}(list, var, kondisi)",
                           f"'{fn.name}' is written {fn.name}(list, var, condition)")
                return R(f"_rt.raise_no_overload({fn.name!r})", rtype)
            rng = self.expr(args[0], scope)
            var = args[1].name
            et = rng.t.elem if rng.t.kind == "list" and rng.t.elem is not None else DYN
            if rng.t.kind == "map":
                et = rng.t.key or DYN
            py = self.tmp(f"c_{_PY_IDENT.sub('_', var)}_")
            inner = dict(scope)
            inner[var] = Var(py, et, rng.path)
            with self.in_helper():
                cond = self.expr(args[2], inner)
            rest = [self.expr(a, scope).code for a in args[3:]]
            if params and len(params) not in (len(args), len(args) - 1):
                self.error(node, f"jumlah argumen salah untuk '{fn.name}'",
                           f"wrong number of arguments for '{fn.name}'")
            code = f"{impl_name}(_rt.charged({self.unwrap(rng, fn.name)}), lambda {py}: {cond.code}" + \
                   "".join(", " + c for c in rest) + ")"
            return R(code, rtype)
        if len(params) != len(args):
            self.error(node, f"'{fn.name}' butuh {len(params)} argumen, diberi {len(args)}",
                       f"'{fn.name}' takes {len(params)} arguments, {len(args)} given")
        rs = [self.expr(a, scope) for a in args]
        codes = []
        for i, r in enumerate(rs):
            pt = from_py(params[i]) if i < len(params) else DYN
            if pt.kind != "dyn" and r.t.kind != "dyn" and not _compatible(r.t, pt):
                self.error(args[i], f"argumen {i + 1} '{fn.name}' harus {pt.name()}, bukan {r.t.name()}",
                           f"argument {i + 1} of '{fn.name}' must be {pt.name()}, not {r.t.name()}")
            codes.append(r.code if (pt.nullable or pt.kind == "dyn") else self.unwrap(r, fn.name))
        if len(rs) == 1 and fn.inline:  # the function's own inline form for this kind: no call
            template = dict(fn.inline).get(rs[0].t.kind)
            if template is not None:
                return R(template.format(codes[0]), rtype)
        return R(f"{impl_name}({', '.join(codes)})", rtype)

    def macro(self, node: A.Call, name: str, scope: dict[str, Var]) -> R:
        assert node.target is not None  # e_Call sends only method-style macros
        rng = self.expr(node.target, scope)
        with self.in_helper():
            return self._macro(node, name, scope, rng)

    def _macro(self, node: A.Call, name: str, scope: dict[str, Var], rng: R) -> R:
        first = node.args[0]
        assert isinstance(first, A.Ident)  # e_Call checked the macro's variable
        var = first.name
        t = rng.t
        if t.kind == "list":
            et = t.elem or DYN
        elif t.kind == "map":
            et = t.key or DYN
        else:
            et = DYN
            if t.kind != "dyn":
                self.error(node, f"{name}() butuh list atau map, bukan {t.name()}",
                           f"{name}() needs a list or map, not {t.name()}")
        py = self.tmp(f"c_{_PY_IDENT.sub('_', var)}_")
        inner = dict(scope)
        inner[var] = Var(py, et, rng.path)
        hname = self.tmp("_c")
        params = self.scope_params(scope)
        rparam = self.tmp("_range")
        rng_code = f"_rt.iter_range({rparam}, {name!r})" if t.kind not in ("list", "map") else rparam
        if rng_code != rparam:
            rng_code, entry = rparam, [f"    {rparam} = _rt.iter_range({rparam}, {name!r})"]
        else:
            entry = []
        entry.append(f"    _rt.charge(len({rparam}))")  # the budget: every element it will visit
        if name in ("all", "exists", "exists_one", "filter") or (name == "map" and len(node.args) == 3):
            pred = self.expr(node.args[1], inner)
            if pred.t.kind == "bool" and not pred.t.nullable:
                pcode = pred.code
            else:
                pcode = f"_rt.as_bool({pred.code}, {name!r})"
                if pred.t.kind not in ("bool", "dyn"):
                    self.error(node.args[1], f"kondisi {name}() harus bool", f"{name}() condition must be bool")
        body: list[str] = []
        if name == "all" or name == "exists":
            short, dflt = ("False", "True") if name == "all" else ("True", "False")
            test = f"not {pcode}" if name == "all" else pcode
            body = [
                "    _err = None",
                f"    for {py} in {rng_code}:",
                "        try:",
                f"            if {test}: return {short}",
                "        except MemoryError:",
                "            raise",
                "        except Exception as _e:",
                "            if _err is None: _err = _e",
                "    if _err is not None: raise _err",
                f"    return {dflt}",
            ]
            rtype = BOOL
        elif name == "exists_one":
            body = [
                "    _n = 0",
                f"    for {py} in {rng_code}:",
                f"        if {pcode}: _n += 1",
                "    return _n == 1",
            ]
            rtype = BOOL
        elif name == "filter":
            body = ["    _out = []", f"    for {py} in {rng_code}:",
                    f"        if {pcode}: _out.append({py})", "    return _out"]
            rtype = list_of(et)
        else:  # map
            tr = self.expr(node.args[-1], inner)
            body = ["    _out = []", f"    for {py} in {rng_code}:"]
            if len(node.args) == 3:
                body.append(f"        if {pcode}: _out.append({tr.code})")
            else:
                body.append(f"        _out.append({tr.code})")
            body.append("    return _out")
            rtype = list_of(tr.t if tr.t.kind in SIMPLE and not tr.t.nullable else DYN)
        self.helpers.append("\n".join([f"def {hname}({', '.join([rparam] + params)}):", *entry, *body]))
        return R(f"{hname}({', '.join([self.unwrap(rng, name)] + params)})", rtype)


def _compatible(actual: T, wanted: T) -> bool:
    a, w = actual.kind, wanted.kind
    if a == "dyn" or w == "dyn" or a == "null":
        return True
    if a == w:
        return True
    if w == "double" and a in ("int", "uint"):
        return True
    if w == "date" and a == "timestamp":
        return False
    return False


def generate(node: A.Expr, source: str, declarations: Mapping[str, Any], functions: Mapping[str, Function],
             check: bool) -> tuple[Generator, str]:
    g = Generator(source, declarations, functions, check)
    code = g.generate(node)
    if g.errors:
        raise ExprErrors(g.errors, source)
    return g, code
