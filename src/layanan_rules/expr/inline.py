"""Inline a compiled Program's code into a larger generated function.

Why: the engine runs every rule of an entity on every record, and a Python call per rule costs
as much as a typical rule's body. :func:`inline` turns one Program into statements that assign
its result to a local instead of returning it, with its globals renamed apart, so that many
rules can share one generated function (see :func:`layanan_rules.engine.record_program`).

The statements keep the Program's semantics exactly: errors still raise :class:`CelError`
(wrapped as the function would), and the value is what the function would have returned.
"""

from __future__ import annotations

import io
import tokenize
from typing import Any

from . import Program

_RETURN_LOOP = "while True:"


class NotInlinable(Exception):
    """The Program's code has a shape :func:`inline` does not handle: call it instead."""


def inline(prog: Program, result: str, prefix: str, ind: str) -> tuple[list[str], list[str], dict[str, Any]]:
    """``(helper lines, body lines, globals)`` for running ``prog`` inline.

    The body assigns the Program's value to the local ``result`` (or raises CelError); it reads
    the Program's parameters under their own names (``v0_layanan``, ...), which the caller
    binds once. Helper functions (macros) and constants are renamed with ``prefix``.
    """
    ns = prog.fn.__globals__
    names = {k for k in ns if k not in ("__builtins__",)}
    tokens = list(tokenize.generate_tokens(io.StringIO(prog.python_source).readline))
    # only the returns of _expr itself (1-based line of its def); helpers keep theirs
    def_line = next(i for i, line in enumerate(prog.python_source.splitlines(), 1) if line.startswith("def _expr("))
    out: list[tuple[int, str]] = []
    prev = None
    pending_break = False
    statement_start = True
    for tok in tokens:
        ttype, text = tok.type, tok.string
        if ttype == tokenize.NAME and text in names and not (prev is not None and prev.string == "."):
            text = prefix + text
        elif ttype == tokenize.NAME and text == "return" and tok.start[0] > def_line:
            if pending_break:
                raise NotInlinable("nested return")
            out.append((tokenize.NAME, result))
            out.append((tokenize.OP, "="))
            pending_break = True
            prev = tok
            continue
        elif ttype in (tokenize.NEWLINE, tokenize.ENDMARKER) and pending_break:
            out.append((tokenize.OP, ";"))
            out.append((tokenize.NAME, "break"))
            pending_break = False
        elif ttype == tokenize.NAME and tok.start[0] > def_line and (
            text in ("yield", "global", "nonlocal") or (text in ("for", "while") and statement_start)
        ):
            raise NotInlinable(text)  # a loop statement would capture our `break`; the others change scope
        out.append((ttype, text))
        prev = tok
        statement_start = ttype in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT) or text in (":", ";")
    code = tokenize.untokenize(out)
    lines = code.splitlines()
    start = next((i for i, line in enumerate(lines) if line.split("(", 1)[0].split() == ["def", f"{prefix}_expr"]), None)
    if start is None:
        raise NotInlinable("no _expr")
    helpers = [line for line in lines[:start] if line.strip()]
    body = [line for line in lines[start + 1:] if line.strip()]
    params = parameters(prog)
    for line in body:
        target = line.strip().split("=", 1)[0].strip() if "=" in line else ""
        if target in params:
            raise NotInlinable("reassigns a parameter")  # the parameters are shared by every rule
    # the body is indented one level inside `def`: re-indent it under our loop
    base = len(body[0]) - len(body[0].lstrip())
    stmts = [f"{ind}{_RETURN_LOOP}"]
    stmts += [f"{ind}    {line[base:]}" for line in body]
    stmts.append(f"{ind}    raise _rt_fell_through()")  # unreachable: every path returns or raises
    env = {prefix + k: v for k, v in ns.items() if k in names}
    env["_rt_fell_through"] = _fell_through
    return helpers, stmts, env


def _fell_through() -> Exception:
    from .errors import CelError

    return CelError("kode aturan tidak menghasilkan nilai / the rule's code gave no value", "internal")


def parameters(prog: Program) -> list[str]:
    """The Python names of the Program's parameters, in order."""
    first = prog.python_source.splitlines()
    line = next(x for x in first if x.startswith("def _expr("))
    return [p.strip() for p in line[line.index("(") + 1: line.index(")")].split(",") if p.strip()]
