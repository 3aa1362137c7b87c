"""How functions are declared for the expression language (CEL) and found by the checker."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs


@attrs.frozen
class Function:
    """An expression function, registered through the ``register_functions`` hook.

    ``params`` and ``returns`` are Python types (``int``, ``float``, ``str``, ``bool``,
    ``datetime.date``, ``datetime.datetime``, ``datetime.timedelta``, ``list``, ``object`` for
    any); the checker uses them to reject a wrong call at load time. With ``receiver=True`` the
    function is also callable as a method, ``x.name(args)``. With ``predicate=True`` the call
    is written ``name(list, var, condition)``: the compiler turns ``condition`` into a Python
    function of ``var`` and calls ``impl(list, that_function, *rest)``. The implementation
    raises :class:`layanan_rules.expr.CelError` for a bad value, never a bare exception.
    """

    name: str
    impl: Callable[..., Any]
    params: tuple[Any, ...]
    returns: Any
    doc_id: str
    doc_en: str
    receiver: bool = False
    predicate: bool = False
    #: optional Python expressions the compiler may use instead of a call, by the static kind of
    #: the (one) argument: ``(("string", "(({0}) or '').strip() != ''"),)``. ``{0}`` is the
    #: argument's code and must appear once; the expression must equal ``impl`` for every value
    #: of that kind, ``None`` included when the argument is nullable (a test should say so).
    inline: tuple[tuple[str, str], ...] = ()
    #: optional SQL form, for the SQL back end (:mod:`layanan_rules.expr.sql`):
    #: ``sql(call, *args) -> Val`` builds the result's SQL value and error from the arguments'
    #: (each a :class:`~layanan_rules.expr.sql.Val`, already free of errors and, unless the
    #: parameter is ``object`` or ``X | None``, of nulls). Without it a rule calling the function
    #: runs in Python. Predicate functions get ``(call, list, Pred, *rest)``.
    sql: Callable[..., Any] | None = None
    #: optional ``explain(args, result, compared) -> dict``: what a report shows as evidence of a call
    #: (the days counted and the calendar used, say); ``compared`` is the value the rule compares the
    #: call with (a date), or None; called only when a report is written
    explain: Callable[..., Any] | None = None
    #: name of the plugin that registered it, filled in by the registry
    plugin: str = ""


class FunctionClash(Exception):
    pass


def build_registry(groups: Iterable[tuple[str, Iterable[Function]]]) -> Mapping[str, Function]:
    """Merge functions from several plugins; a name registered twice is an error naming both."""
    registry: dict[str, Function] = {}
    for plugin, functions in groups:
        for fn in functions or ():
            if fn.name in registry:
                other = registry[fn.name].plugin
                raise FunctionClash(
                    f"fungsi '{fn.name}' didaftarkan dua kali, oleh '{other}' dan '{plugin}' / "
                    f"function '{fn.name}' registered twice, by '{other}' and '{plugin}'"
                )
            registry[fn.name] = attrs.evolve(fn, plugin=plugin)
    return registry
