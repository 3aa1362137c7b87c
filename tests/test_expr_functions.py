"""Registered functions: global and method calls, predicate (macro-like) functions, failures."""

from __future__ import annotations

import datetime as dt

import pytest

from layanan_rules.expr import CelError, ExprErrors, Function, build_registry, compile, evaluate
from layanan_rules.model import Pengaduan, Unit

UTC = dt.UTC


def _boom(x):
    raise KeyError("kaboom")


def _hungry(x):
    raise MemoryError


def _share(items, pred):
    items = list(items)
    return sum(1 for i in items if pred(i) is True) / len(items)


FNS = build_registry([("test", [
    Function("dobel", lambda x: x * 2, (int,), int, "dua kali", "twice"),
    Function("teriak", lambda s: s.upper() + "!", (str,), str, "teriak", "shout", receiver=True),
    Function("rusak", _boom, (object,), object, "rusak", "broken"),
    Function("lapar", _hungry, (object,), object, "lapar", "out of memory"),
    Function("proporsi", _share, (list, object), float, "proporsi", "share", predicate=True),
])])


def test_registered_function_called_globally_and_as_method():
    assert compile("dobel(x) == 10", {"x": int}, FNS)(x=5) is True
    assert compile("s.teriak()", {"s": str}, FNS)(s="halo") == "HALO!"
    assert compile("teriak(s)", {"s": str}, FNS)(s="a") == "A!"


def test_registered_function_arity_and_types_are_checked():
    with pytest.raises(ExprErrors) as ei:
        compile("dobel(1, 2)", {}, FNS)
    assert "takes 1 arguments" in str(ei.value)
    with pytest.raises(ExprErrors):
        compile("dobel('a')", {}, FNS)
    with pytest.raises(ExprErrors):  # not a receiver function
        compile("x.dobel()", {"x": int}, FNS)


def test_function_failure_is_wrapped_and_names_the_function():
    with pytest.raises(CelError) as ei:
        compile("rusak(1)", {}, FNS)()
    assert ei.value.reason == "function_failure"
    assert "rusak" in ei.value.message


def test_function_failure_is_absorbed_like_any_error():
    assert compile("rusak(1) == 1 || true", {}, FNS)() is True


@pytest.mark.parametrize("source", ["lapar(1)", "lapar(1) == 1 || true", "true && lapar(1) == 1 || true",
                                    "[1, 2].exists(x, lapar(x) == 1) || true", "[1, 2].all(x, lapar(x) == 1)"])
def test_running_out_of_memory_is_never_a_value_error_nor_absorbed(source):
    # a MemoryError is the server's memory budget (or the machine's): it must reach the caller as itself
    with pytest.raises(MemoryError):
        compile(source, {}, FNS)()


def test_predicate_function_compiles_its_condition_into_a_python_function():
    t0 = dt.datetime(2024, 1, 1, tzinfo=UTC)
    unit = Unit(id="u", pengaduan=(Pengaduan(id="a", ditanggapi_pada=t0), Pengaduan(id="b"),
                                   Pengaduan(id="c", ditanggapi_pada=t0), Pengaduan(id="d")))
    prog = compile("proporsi(unit.pengaduan, p, p.ditanggapi_pada != null)", {"unit": Unit}, FNS)
    assert prog(unit=unit) == 0.5
    assert "lambda" in prog.python_source
    prog = compile("proporsi(unit.pengaduan, p, has(p.ditanggapi_pada) && p.id != 'a') >= 0.25",
                   {"unit": Unit}, FNS)
    assert prog(unit=unit) is True
    with pytest.raises(ExprErrors) as ei:  # the condition is checked against the element type
        compile("proporsi(unit.pengaduan, p, p.ditanggap != null)", {"unit": Unit}, FNS)
    assert ei.value.errors[0].suggestion == "ditanggapi_pada"


def test_evaluate_uses_the_default_registry_and_caches():
    assert evaluate("terisi(x)", {"x": "abc"}) is True
    assert evaluate("terisi(x)", {"x": "  "}) is False
    assert evaluate("x + 1", {"x": 1}) == 2


def test_evaluate_with_explicit_empty_registry():
    with pytest.raises(ExprErrors):
        evaluate("terisi(x)", {"x": 1}, functions={})
