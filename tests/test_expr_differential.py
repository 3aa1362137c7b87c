"""Differential test: the typed fast paths agree with the dynamic runtime helpers.

The same random expression is compiled twice, once with the model's static types (inline Python
code) and once with every variable ``dyn`` (runtime helpers); both must give the same value, or
both an error.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from layanan_rules.expr import CelError, ExprErrors, compile
from layanan_rules.expr.conformance import strict_equal
from layanan_rules.model import (
    Biaya,
    JangkaWaktu,
    Layanan,
    Pengaduan,
    Peraturan,
    SatuanWaktu,
    StandarPelayanan,
    Unit,
)

UTC = dt.UTC
TYPED = {"layanan": Layanan, "unit": Unit, "n": int, "f": float, "s": str, "xs": tuple[int, ...],
         "m": dict[str, int], "on": int | None}
LEAF = {
    "int": ["n", "1", "-3", "size(xs)", "layanan.standar.biaya.jumlah", "m.k", "xs[0]",
            "size(layanan.standar.persyaratan)", "layanan.standar.dasar_hukum[0].tahun", "on",
            "size(unit.pengaduan)"],
    "double": ["f", "2.5", "layanan.standar.jangka_waktu.jumlah", "double(n)"],
    "string": ["s", "'hari'", "layanan.nama", "layanan.standar.jangka_waktu.satuan", "layanan.id", "string(n)",
               "unit.pengaduan[0].kanal"],
    "bool": ["true", "false", "layanan.aktif", "has(layanan.standar)", "has(layanan.standar.biaya)",
             "has(layanan.standar.biaya.jumlah)", "layanan.standar.biaya.gratis", "has(layanan.nama)"],
}


def _gen(rng: random.Random, t: str, depth: int) -> str:
    if depth <= 0 or rng.random() < 0.3:
        return rng.choice(LEAF[t])
    g = lambda tt: _gen(rng, tt, depth - 1)
    if t == "bool":
        k = rng.randrange(9)
        if k == 0:
            return f"({g('bool')} && {g('bool')})"
        if k == 1:
            return f"({g('bool')} || {g('bool')})"
        if k == 2:
            return f"!{g('bool')}"
        if k == 3:
            tt = rng.choice(["int", "double", "string"])
            return f"({g(tt)} {rng.choice(['<', '<=', '>', '>=', '==', '!='])} {g(tt)})"
        if k == 4:
            return f"({g(rng.choice(['int', 'string', 'bool']))} == null)"
        if k == 5:
            fn = rng.choice(["all", "exists", "exists_one"])
            return f"unit.pengaduan.{fn}(p, {rng.choice(['has(p.ditanggapi_pada)', 'p.kanal == s'])})"
        if k == 6:
            return f"({g('int')} in xs)"
        if k == 7:
            return f"{g('string')}.startsWith({g('string')})"
        return f"({g('bool')} ? {g('bool')} : {g('bool')})"
    if t == "int":
        if rng.random() < 0.8:
            return f"({g('int')} {rng.choice(['+', '-', '*', '/', '%'])} {g('int')})"
        return f"({g('bool')} ? {g('int')} : {g('int')})"
    if t == "double":
        return f"({g('double')} {rng.choice(['+', '-', '*', '/'])} {g('double')})"
    if rng.random() < 0.5:
        return f"({g('string')} + {g('string')})"
    return f"({g('bool')} ? {g('string')} : {g('string')})"


def _outcome(prog, bindings):
    try:
        return ("value", prog(**{k: bindings[k] for k in prog.variables}))
    except CelError:
        return ("error", None)


LAYANAN = [
    Layanan(id="L1", nama="Izin", standar=StandarPelayanan(
        dasar_hukum=(Peraturan(teks="UU", tahun=2009),), persyaratan=("KTP",), biaya=Biaya(jumlah=5),
        jangka_waktu=JangkaWaktu(jumlah=3.0, satuan=SatuanWaktu.hari))),
    Layanan(id="L2"),
]
UNIT = Unit(id="U", pengaduan=(
    Pengaduan(id="a", kanal="web", ditanggapi_pada=dt.datetime(2024, 1, 3, tzinfo=UTC)), Pengaduan(id="b")))


@pytest.mark.parametrize("seed", range(4))
def test_typed_code_agrees_with_dynamic_runtime(seed):
    rng = random.Random(seed)
    checked = 0
    for _ in range(150):
        src = _gen(rng, "bool" if rng.random() < 0.6 else rng.choice(["int", "double", "string"]), 4)
        try:
            typed = compile(src, TYPED, {})
        except ExprErrors:
            continue
        dyn = compile(src, {k: object for k in TYPED}, {})
        for lay in LAYANAN:
            b = {"layanan": lay, "unit": UNIT, "n": rng.choice([0, 2, 7]), "f": 1.5, "s": "web",
                 "xs": (1, 2), "m": {"k": 3}, "on": rng.choice([None, 4])}
            o1, o2 = _outcome(typed, b), _outcome(dyn, b)
            assert o1[0] == o2[0], (src, lay.id, o1, o2)
            if o1[0] == "value":
                assert strict_equal(o1[1], o2[1]), (src, lay.id, o1, o2)
            checked += 1
    assert checked > 100


_PRESENCE_ITEMS = [
    "has(layanan.standar)", "has(layanan.standar.biaya)", "has(layanan.standar.biaya.jumlah)",
    "has(layanan.standar.jangka_waktu)", "layanan.standar.biaya.jumlah > 0", "layanan.standar.biaya.gratis",
    "size(layanan.standar.persyaratan) > 0", "layanan.standar.jangka_waktu.jumlah > 1.0", "false", "true",
    "terisi(layanan.standar.kompetensi_pelaksana)", "layanan.standar.jangka_waktu.satuan == 'hari'",
]
_LAYANAN_SHAPES = [
    Layanan(id="a"),
    Layanan(id="b", standar=StandarPelayanan()),
    Layanan(id="c", standar=StandarPelayanan(biaya=Biaya(), kompetensi_pelaksana="  ")),
    Layanan(id="d", standar=StandarPelayanan(biaya=Biaya(jumlah=0, gratis=True), persyaratan=("KTP",),
                                             jangka_waktu=JangkaWaktu(jumlah=2.0))),
    Layanan(id="e", standar=StandarPelayanan(biaya=Biaya(jumlah=5), kompetensi_pelaksana="SOP",
                                             jangka_waktu=JangkaWaktu(jumlah=1.0, satuan=SatuanWaktu.hari))),
]


@pytest.mark.parametrize("seed", range(3))
def test_presence_chains_agree_with_dynamic_runtime(seed):
    """`has(a) && has(a.b) && a.b.c > 0` chains: the compiler drops null checks and error
    bookkeeping after a presence test that held; values and errors must not change."""
    from layanan_rules.rules.functions import default_functions

    fns = default_functions()
    rng = random.Random(seed)
    for _ in range(120):
        items = [rng.choice(_PRESENCE_ITEMS) for _ in range(rng.randint(2, 5))]
        ops = [rng.choice(["&&", "&&", "||"]) for _ in items[1:]]
        src = items[0] + "".join(f" {op} {it}" for op, it in zip(ops, items[1:]))
        if rng.random() < 0.3:
            src = f"{rng.choice(_PRESENCE_ITEMS)} && ({src})"
        typed = compile(src, {"layanan": Layanan}, fns)
        dyn = compile(src, {"layanan": object}, fns)
        for lay in _LAYANAN_SHAPES:
            o1, o2 = _outcome(typed, {"layanan": lay}), _outcome(dyn, {"layanan": lay})
            assert o1 == o2, (src, lay.id, o1, o2)
