"""Micro-benchmark: compiled CEL expressions vs hand-written Python lambdas on the same attrs objects.

    PYTHONPATH=src python bench/bench_expr.py [--quick]

For each typical rule expression prints ns/call of the compiled ``Program.fn`` and of a
hand-written lambda doing the same check, and their ratio. Target: ratio <= ~1.5.
"""

from __future__ import annotations

import datetime as dt
import sys
import timeit

import attrs

from layanan_rules.expr import compile
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
Param = attrs.make_class("Param", {"batas": attrs.field(type=int)}, frozen=True, slots=True)


def _data():
    std = StandarPelayanan(
        dasar_hukum=(Peraturan(teks="UU 25/2009"),),
        persyaratan=("KTP",),
        jangka_waktu=JangkaWaktu(jumlah=3.0, satuan=SatuanWaktu.hari),
        biaya=Biaya(gratis=False, jumlah=10000, dasar_hukum="Perda 1/2020"),
        jumlah_pelaksana=4,
        ditetapkan_pada=dt.date(2023, 5, 1),
    )
    layanan = Layanan(id="L1", aktif=True, standar=std)
    t0 = dt.datetime(2024, 1, 1, 9, tzinfo=UTC)
    pengaduan = tuple(
        Pengaduan(id=f"P{i}", kanal="online" if i % 3 == 0 else "loket", diterima_pada=t0,
                  ditanggapi_pada=t0 + dt.timedelta(days=i) if i % 4 else None)
        for i in range(20)
    )
    unit = Unit(id="U1", pengaduan=pengaduan)
    return {"layanan": layanan, "unit": unit, "param": Param(batas=14), "as_of": dt.date(2024, 6, 1)}


L = {"layanan": Layanan, "param": Param, "as_of": dt.date}
U = {"unit": Unit, "param": Param}

CASES = [
    ("has(layanan.standar) && size(layanan.standar.dasar_hukum) > 0", L,
     lambda layanan, param, as_of: layanan.standar is not None and len(layanan.standar.dasar_hukum) > 0),
    ("layanan.aktif != false", L,
     lambda layanan, param, as_of: layanan.aktif is not False),
    ("has(layanan.standar) && has(layanan.standar.jangka_waktu) && has(layanan.standar.jangka_waktu.jumlah)", L,
     lambda layanan, param, as_of: layanan.standar is not None and layanan.standar.jangka_waktu is not None
     and layanan.standar.jangka_waktu.jumlah is not None),
    ("has(layanan.standar) && has(layanan.standar.jumlah_pelaksana) && layanan.standar.jumlah_pelaksana > 0", L,
     lambda layanan, param, as_of: layanan.standar is not None and layanan.standar.jumlah_pelaksana is not None
     and layanan.standar.jumlah_pelaksana > 0),
    ("layanan.standar.jangka_waktu.satuan == 'hari' && layanan.standar.jangka_waktu.jumlah <= double(param.batas)", L,
     lambda layanan, param, as_of: layanan.standar.jangka_waktu.satuan.value == "hari"
     and layanan.standar.jangka_waktu.jumlah <= float(param.batas)),
    ("has(layanan.standar.ditetapkan_pada) && layanan.standar.ditetapkan_pada <= as_of", L,
     lambda layanan, param, as_of: layanan.standar.ditetapkan_pada is not None
     and layanan.standar.ditetapkan_pada <= as_of),
    (("layanan.standar.biaya.gratis == true || (has(layanan.standar.biaya.jumlah) && "
      "layanan.standar.biaya.jumlah >= 0 && size(layanan.standar.biaya.dasar_hukum) > 0)"), L,
     lambda layanan, param, as_of: layanan.standar.biaya.gratis is True or (
         layanan.standar.biaya.jumlah is not None and layanan.standar.biaya.jumlah >= 0
         and len(layanan.standar.biaya.dasar_hukum) > 0)),
    ("unit.pengaduan.exists(p, p.kanal == 'online' && !has(p.ditanggapi_pada))", U,
     lambda unit, param: any(p.kanal == "online" and p.ditanggapi_pada is None for p in unit.pengaduan)),
    (("unit.pengaduan.filter(p, has(p.ditanggapi_pada)).all(p, p.ditanggapi_pada - p.diterima_pada "
      "<= duration('336h'))"), U,
     lambda unit, param: all(p.ditanggapi_pada - p.diterima_pada <= dt.timedelta(hours=336)
                             for p in [p for p in unit.pengaduan if p.ditanggapi_pada is not None])),
]


def bench(fn, args, number: int) -> float:
    t = timeit.Timer(lambda: fn(*args))
    best = min(t.repeat(repeat=5, number=number))
    return best / number * 1e9


def main() -> int:
    quick = "--quick" in sys.argv
    number = 20_000 if quick else 200_000
    data = _data()
    print(f"{'expression':<72} {'cel ns':>8} {'lambda ns':>10} {'ratio':>6}")
    ratios = []
    for src, decls, hand in CASES:
        prog = compile(src, decls)
        args = [data[n] for n in prog.variables]
        assert prog.fn(*args) == hand(*args), src
        n = number // 10 if "unit." in src else number
        a = bench(prog.fn, args, n)
        b = bench(hand, args, n)
        ratios.append(a / b)
        label = src if len(src) <= 70 else src[:67] + "..."
        print(f"{label:<72} {a:8.0f} {b:10.0f} {a / b:6.2f}")
    geo = 1.0
    for r in ratios:
        geo *= r
    print(f"geometric mean ratio: {geo ** (1 / len(ratios)):.2f}   max ratio: {max(ratios):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
