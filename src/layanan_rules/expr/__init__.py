"""The expression language of the rules: a CEL subset compiled to plain Python functions.

    >>> from layanan_rules.expr import compile
    >>> p = compile("x + 1 > 2", {"x": int})
    >>> p(x=5)
    True

See ``docs/expressions.md`` for the supported subset, the domain extensions (calendar dates)
and the semantics of missing fields.
"""

from __future__ import annotations

import importlib
import threading
import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .errors import BudgetExceeded, CelError, ExprCheckError, ExprErrors, ExprSyntaxError

if TYPE_CHECKING:
    from . import runtime  # noqa: F401 - typed by the lazy __getattr__ below
    from .ast import Expr
    from .functions import Function, build_registry
    from .runtime import CelType, UInt

#: names imported on first use (PEP 562): importing the package costs almost nothing, so the
#: command line starts fast; ``layanan_rules.expr.runtime`` and the rest stay part of the API.
_LAZY = {
    "runtime": (".runtime", None), "budget": (".budget", None), "Expr": (".ast", "Expr"),
    "Function": (".functions", "Function"),
    "build_registry": (".functions", "build_registry"), "CelType": (".runtime", "CelType"),
    "UInt": (".runtime", "UInt"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'layanan_rules.expr' has no attribute {name!r}")
    module, attr = _LAZY[name]
    mod = importlib.import_module(module, __name__)
    value = mod if attr is None else getattr(mod, attr)
    globals()[name] = value
    return value


__all__ = [
    "BudgetExceeded", "CelError", "CelType", "ExprCheckError", "ExprErrors", "ExprSyntaxError", "Function", "Program",
    "UInt", "budget", "build_registry", "compile", "evaluate", "parse",
]

_builtin_compile = compile


def parse(source: str, max_tokens: int | None = None) -> Expr:
    """Parse ``source``; raises :class:`ExprSyntaxError` (the first error) on bad syntax or on an
    expression longer than ``max_tokens`` (default :data:`layanan_rules.expr.parser.MAX_TOKENS`)."""
    from .parser import MAX_TOKENS
    from .parser import parse as _parse

    return _parse(source, MAX_TOKENS if max_tokens is None else max_tokens)


class Program:
    """A compiled expression.

    ``fn`` is the generated plain Python function; it takes the declared variables positionally,
    in ``variables`` order, and raises only :class:`CelError`. ``reads`` lists the static dotted
    field paths read from declared variables, in first-use order.
    """

    __slots__ = ("_index", "fn", "python_source", "reads", "returns_bool", "source", "variables")

    def __init__(self, source: str, variables: tuple[str, ...], fn: Callable[..., Any], reads: tuple[str, ...],
                 python_source: str, returns_bool: bool = False) -> None:
        #: the value is always a Python bool when no error is raised (from static types)
        self.returns_bool = returns_bool
        self.source = source
        self.variables = variables
        self.fn = fn
        self.reads = reads
        self.python_source = python_source
        self._index = {n: i for i, n in enumerate(variables)}

    def __call__(self, **bindings: Any) -> Any:
        try:
            args = [bindings[n] for n in self.variables]
        except KeyError as e:
            name = e.args[0]
            raise CelError(
                f"variabel '{name}' tidak diberi nilai / variable '{name}' is not bound", "unbound", name
            ) from None
        return self.fn(*args)

    def __repr__(self) -> str:
        return f"Program({self.source!r}, variables={self.variables!r})"


def compile(
    source: str | Expr,
    declarations: Mapping[str, Any],
    functions: Mapping[str, Function] | None = None,
    *,
    check: bool = True,
    max_tokens: int | None = None,
) -> Program:
    """Compile ``source`` once into a :class:`Program`.

    ``declarations`` maps variable names to Python types (``int``, ``str | None``, attrs classes,
    ``tuple[X, ...]``, ``Mapping[str, X]``, ``object`` for dyn, ...). Raises :class:`ExprErrors`
    holding every syntax/check error of the expression.
    """
    from . import cache
    from .compiler import generate

    declarations = dict(declarations or {})
    functions = functions or {}
    cache_key = None
    if isinstance(source, str) and check and cache.directory() is not None:
        try:
            cache_key = cache.key(source, declarations, functions)
        except Exception:  # noqa: BLE001 - a declaration we cannot fingerprint: compile as usual
            cache_key = None
        else:
            stored = cache.load(cache_key)
            if stored is not None:
                program = _restore(source, declarations, functions, stored)
                if program is not None:
                    return program
    if isinstance(source, str):
        text = source
        try:
            node = parse(source, max_tokens)
        except ExprSyntaxError as e:
            raise ExprErrors([e], source) from None
    else:
        node = source
        text = getattr(source, "source", "") or ""
    try:
        gen, code = generate(node, text, declarations, functions, check)
    except RecursionError:
        raise ExprErrors([ExprSyntaxError(
            "ekspresi terlalu dalam bersarang / expression nested too deeply", 0, text)], text) from None
    ns = dict(gen.ns)
    ns["_fn_codes"] = gen.fn_codes
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code_obj = _builtin_compile(code, _filename(text), "exec")
        exec(code_obj, ns)  # noqa: S102 - generated from a checked AST, never from raw input
    except (SyntaxError, RecursionError, ValueError) as e:  # (MemoryError is the caller's budget: it propagates)
        raise ExprErrors([ExprSyntaxError(
            f"ekspresi terlalu rumit untuk dikompilasi / expression too complex to compile ({e})", 0, text)],
            text) from None
    if cache_key is not None and all(r is not None for r in gen.recipes.values()):
        import marshal

        recipes = tuple((name, r[0], r[1]) for name, r in gen.recipes.items() if r is not None)
        cache.store(cache_key, (code, marshal.dumps(code_obj), tuple(gen.reads), gen.returns_bool, recipes,
                                tuple(gen.functions_used.items())))
    return Program(text, tuple(declarations), ns["_expr"], tuple(gen.reads), code, gen.returns_bool)


def _filename(text: str) -> str:
    return "<cel:" + "".join(c if c.isprintable() else "?" for c in text[:60]) + ">"


def _restore(source: str, declarations: Mapping[str, Any], functions: Mapping[str, Function],
             stored: Any) -> Program | None:
    """A Program from the disk cache (:mod:`layanan_rules.expr.cache`), or None if it cannot be."""
    import marshal

    from . import cache
    from . import runtime as rt

    try:
        code, code_bytes, reads, returns_bool, recipes, used = stored
        ns: dict[str, Any] = {"_rt": rt, "_CelError": CelError, "_missing": rt.missing, "_ovf": rt.overflow}
        fn_codes: dict[Any, str] = {}
        for impl_name, fn_name in used:
            fn = functions[fn_name]
            ns[impl_name] = fn.impl
            code_obj = getattr(fn.impl, "__code__", None)
            if code_obj is not None:
                fn_codes[code_obj] = fn.name
        for name, kind, data in recipes:
            ns[name] = cache.make(kind, data)
        ns["_fn_codes"] = fn_codes
        exec(marshal.loads(code_bytes), ns)  # noqa: S102 - our own generated code, as __pycache__ holds it
        return Program(source, tuple(declarations), ns["_expr"], tuple(reads), code, bool(returns_bool))
    except Exception:  # noqa: BLE001 - a stale or damaged entry: compile afresh
        return None


#: (source, binding names, id of the function table) -> compiled program
_cache: dict[tuple[str, tuple[str, ...], int], Program] = {}
_cache_lock = threading.Lock()
_CACHE_MAX = 1024
_default_functions: Mapping[str, Function] | None = None
_default_provider: Callable[[], Mapping[str, Function]] | None = None


_default_budget: Callable[[], tuple[int, float]] | None = None


def set_default_budget(provider: Callable[[], tuple[int, float]] | None) -> None:
    """Say where :func:`evaluate` finds its budget (steps, seconds) when none is given.

    ``layanan_rules`` hands it its configured limits (``expr_steps``, ``expr_seconds``), so
    ``--limit`` and ``LAYANAN_RULES_LIMIT_*`` apply to every evaluation; ``provider`` is called
    on every :func:`evaluate` (the limits may change while the process runs).
    """
    global _default_budget
    _default_budget = provider


def set_default_functions(provider: Callable[[], Mapping[str, Function]] | None) -> None:
    """Say where :func:`evaluate` finds its functions when none are given.

    The expression language knows nothing of the product: ``layanan_rules`` hands it the domain
    functions (``hari``, ``proporsi`` ...) here. ``provider`` is called once, on first use.
    """
    global _default_functions, _default_provider
    _default_provider, _default_functions = provider, None


def _defaults() -> Mapping[str, Function]:
    global _default_functions
    if _default_functions is None:
        _default_functions = dict(_default_provider()) if _default_provider is not None else {}
    return _default_functions


def evaluate(source: str, bindings: Mapping[str, Any] | None = None,
             functions: Mapping[str, Function] | None = None, *, max_tokens: int | None = None,
             steps: int | None = None, seconds: float | None = None) -> Any:
    """Compile (cached by source) and run ``source`` with every binding declared dynamic.

    The run has a budget (:mod:`layanan_rules.expr.budget`): ``steps`` and ``seconds``, by
    default what :func:`set_default_budget` provides (the product's ``expr_steps`` and
    ``expr_seconds`` limits), else ``budget.STEPS`` and ``budget.SECONDS``; beyond it a
    :class:`CelError` with reason ``budget_exceeded`` is raised.
    """
    from . import budget

    bindings = dict(bindings or {})
    fns = _defaults() if functions is None else functions
    key = (source, tuple(bindings), id(fns))
    prog = _cache.get(key)
    if prog is None:
        prog = compile(source, {n: object for n in bindings}, fns, max_tokens=max_tokens)
        with _cache_lock:
            if len(_cache) >= _CACHE_MAX:
                _cache.clear()
            _cache[key] = prog
    if steps is None or seconds is None:
        default_steps, default_seconds = _default_budget() if _default_budget is not None else (
            budget.STEPS, budget.SECONDS)
        steps = default_steps if steps is None else steps
        seconds = default_seconds if seconds is None else seconds
    budget.start(steps, seconds)
    try:
        return prog.fn(*bindings.values())
    except BudgetExceeded as exc:
        raise CelError(exc.message, "budget_exceeded") from None
    finally:
        budget.stop()
