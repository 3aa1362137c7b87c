"""The disk cache of compiled expressions gives back exactly what compiling gives."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from layanan_rules import expr
from layanan_rules.expr import cache


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path))
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    return tmp_path


@attrs.frozen
class Surat:
    nomor: str | None = None
    tanggal: dt.date | None = None
    lampiran: tuple[str, ...] = ()


EXPRESSIONS = [
    ("s.nomor.matches('^[0-9]+/[A-Z]+$')", {"s": Surat(nomor="12/SK")}),
    ("type(s.lampiran) == list && size(s.lampiran) == 2u + 0u", {"s": Surat(lampiran=("a", "b"))}),
    ("s.tanggal + duration('48h') > date('2024-01-01')", {"s": Surat(tanggal=dt.date(2024, 1, 1))}),
    ("s.lampiran.exists(x, x.startsWith('SK')) ? 1.5 : -2.25", {"s": Surat(lampiran=("SK 7",))}),
    ("hari(s.tanggal, date('2024-03-01'))", {"s": Surat(tanggal=dt.date(2024, 1, 1))}),
    ("s.nomor == null", {"s": Surat()}),
]


def _functions():
    from layanan_rules.rules.functions import default_functions

    return default_functions()


def _run(source, bindings, functions):
    prog = expr.compile(source, {k: type(v) for k, v in bindings.items()}, functions)
    try:
        return prog(**bindings), prog
    except expr.CelError as e:
        return ("error", e.reason), prog


@pytest.mark.parametrize(("source", "bindings"), EXPRESSIONS)
def test_a_restored_program_answers_as_the_compiled_one(cache_dir, monkeypatch, source, bindings):
    from layanan_rules.expr import compiler

    functions = _functions()
    first, compiled = _run(source, bindings, functions)
    assert list(cache_dir.rglob("*")), "nothing was stored"

    def no_compiling(*_a, **_k):
        raise AssertionError("compiled again instead of restored")

    monkeypatch.setattr(compiler, "generate", no_compiling)
    again, restored = _run(source, bindings, functions)
    assert again == first
    assert restored is not compiled
    assert restored.python_source == compiled.python_source
    assert restored.reads == compiled.reads and restored.returns_bool == compiled.returns_bool


def test_a_changed_declaration_or_function_is_a_new_key():
    functions = _functions()
    base = cache.key("s.nomor == ''", {"s": Surat}, functions)

    @attrs.frozen
    class Surat2:
        nomor: int | None = None

    assert cache.key("s.nomor == ''", {"s": Surat2}, functions) != base
    assert cache.key("s.nomor == ''", {"t": Surat}, functions) != base
    fewer = {k: v for k, v in functions.items() if k != "hari"}
    assert cache.key("s.nomor == ''", {"s": Surat}, fewer) != base
    assert cache.key("s.nomor == ''", {"s": Surat}, functions) == base


def test_errors_are_never_cached_and_a_damaged_entry_is_compiled_afresh(cache_dir):
    with pytest.raises(expr.ExprErrors):
        expr.compile("s.tidak_ada == 1", {"s": Surat})
    assert not [p for p in cache_dir.rglob("*") if p.is_file()]
    expr.compile("s.nomor == '1'", {"s": Surat})
    [entry] = [p for p in cache_dir.rglob("*") if p.is_file()]
    entry.write_bytes(b"not marshal")
    assert expr.compile("s.nomor == '1'", {"s": Surat})(s=Surat(nomor="1")) is True


def test_the_cache_can_be_turned_off(cache_dir, monkeypatch):
    monkeypatch.setenv(cache.ENV_OFF, "1")
    expr.compile("s.nomor == '2'", {"s": Surat})
    assert not list(cache_dir.rglob("*"))


def test_the_bundled_ruleset_loads_the_same_from_the_cache(cache_dir):
    from layanan_rules import load_ruleset

    cold = load_ruleset()
    warm = load_ruleset()
    assert [(r.id, r.require.python_source) for r in cold.rules] == [(r.id, r.require.python_source) for r in warm.rules]
