"""The checker (declarations, attrs models, did-you-mean) and the generated code."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping

import attrs
import pytest

from layanan_rules.expr import CelError, ExprCheckError, ExprErrors, Program, compile
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

L = {"layanan": Layanan}


def check_errors(src: str, decls=L, functions=None) -> list[ExprCheckError]:
    with pytest.raises(ExprErrors) as ei:
        compile(src, decls, functions)
    return ei.value.errors


def test_unknown_field_of_attrs_class_suggests_the_closest_name():
    (e,) = check_errors("size(layanan.standar.dasar_hukm) > 0")
    assert isinstance(e, ExprCheckError)
    assert e.suggestion == "dasar_hukum"
    assert e.offset == "size(layanan.standar.".__len__()
    assert "did you mean 'dasar_hukum'" in str(e)
    assert " / " in e.message


def test_unknown_variable_suggests_a_declared_one():
    (e,) = check_errors("layann.nama == 'x'")
    assert e.suggestion == "layanan" and e.offset == 0


def test_unknown_function_and_wrong_arity():
    (e,) = check_errors("siz(layanan.standar.persyaratan) > 0")
    assert e.suggestion == "size"
    (e,) = check_errors("layanan.nama.startsWith('a', 'b')")
    assert "wrong number of arguments" in e.message


def test_all_check_errors_of_an_expression_are_reported_together():
    src = "layanan.nam == 'x' && layanan.standar.biaya.jumlh > 0 && foo(1)"
    errs = check_errors(src)
    assert [e.suggestion for e in errs] == ["nama", "jumlah", None]
    assert [e.offset for e in errs] == [src.index("nam "), src.index("jumlh"), src.index("foo")]


def test_obvious_type_errors_are_check_errors():
    check_errors("layanan.nama + 1 == 'x'")
    check_errors("layanan.standar.jumlah_pelaksana.startsWith('a')")
    check_errors("layanan.nama.foo")


def test_dyn_declarations_accept_anything_at_check_time():
    prog = compile("x.anything.startsWith(y) || y[3] + 2 > 1", {"x": object, "y": object}, check=True)
    with pytest.raises(CelError):
        prog(x={}, y=[1])


def test_check_false_defers_errors_to_runtime():
    prog = compile("undeclared || true", {}, check=False)
    assert prog() is True


def test_enum_fields_are_seen_as_strings():
    prog = compile("layanan.standar.jangka_waktu.satuan == 'hari'", L)
    lay = Layanan(id="1", standar=StandarPelayanan(jangka_waktu=JangkaWaktu(satuan=SatuanWaktu.hari)))
    assert prog(layanan=lay) is True


def test_declared_enum_variable_is_read_through_value():
    class Warna(enum.Enum):
        merah = "merah"

    assert compile("w == 'merah'", {"w": Warna})(w=Warna.merah) is True


def test_python_type_declarations():
    decls = {
        "n": int | None, "xs": tuple[int, ...], "m": Mapping[str, float], "d": dt.date,
        "t": dt.datetime, "dur": dt.timedelta, "b": bytes, "l": list[str],
    }
    prog = compile(
        "n == null && size(xs) == 2 && m.a > 1.0 && d < date('2030-01-01') && "
        "t > timestamp('2000-01-01T00:00:00Z') && dur > duration('1s') && size(b) == 1 && 'x' in l",
        decls,
    )
    assert prog(n=None, xs=(1, 2), m={"a": 2.0}, d=dt.date(2024, 1, 1),
                t=dt.datetime(2024, 1, 1, tzinfo=dt.UTC), dur=dt.timedelta(seconds=5),
                b=b"z", l=["x"]) is True
    check_errors("m.a + 'x' == 1", decls)


def test_program_reports_variables_reads_and_source():
    prog = compile(
        "has(layanan.standar) && size(layanan.standar.dasar_hukum) > 0 && layanan.standar.biaya.jumlah < param.batas",
        {"layanan": Layanan, "param": attrs.make_class("P", {"batas": attrs.field(type=int)})},
    )
    assert isinstance(prog, Program)
    assert prog.variables == ("layanan", "param")
    assert prog.reads == ("layanan.standar", "layanan.standar.dasar_hukum", "layanan.standar.biaya",
                          "layanan.standar.biaya.jumlah", "param.batas")
    assert "def _expr(" in prog.python_source


def test_typed_rule_compiles_to_plain_python_without_runtime_helpers():
    prog = compile("has(layanan.standar) && size(layanan.standar.dasar_hukum) > 0", L)
    body = prog.python_source.split("except _CelError")[0]
    assert "len(" in body and "is not None" in body
    assert "_rt." not in body.replace("_rt.missing_chain", "")


def test_missing_field_error_names_the_null_path():
    prog = compile("size(layanan.standar.dasar_hukum) > 0", L)
    with pytest.raises(CelError) as ei:
        prog(layanan=Layanan(id="1"))
    assert ei.value.reason == "missing_field"
    assert ei.value.path == "layanan.standar"
    prog = compile("layanan.standar.biaya.jumlah > 0", L)
    with pytest.raises(CelError) as ei:
        prog(layanan=Layanan(id="1", standar=StandarPelayanan(biaya=Biaya())))
    assert ei.value.path == "layanan.standar.biaya.jumlah"


def test_has_is_true_only_for_present_non_empty_fields():
    prog = compile("[has(layanan.standar), has(layanan.standar.persyaratan), has(layanan.standar.biaya)]", L)
    assert prog(layanan=Layanan(id="1", standar=StandarPelayanan())) == [True, False, False]
    assert prog(layanan=Layanan(id="1", standar=StandarPelayanan(persyaratan=("KTP",), biaya=Biaya()))) == \
        [True, True, True]
    with pytest.raises(CelError) as ei:
        prog(layanan=Layanan(id="1"))
    assert ei.value.path == "layanan.standar"


def test_equality_with_null_does_not_need_the_field():
    prog = compile("layanan.nama == null", L)
    assert prog(layanan=Layanan(id="1")) is True
    prog = compile("layanan.standar.biaya.jumlah == null", L)
    with pytest.raises(CelError) as ei:  # ... but selecting through a null still fails
        prog(layanan=Layanan(id="1", standar=StandarPelayanan()))
    assert ei.value.path == "layanan.standar.biaya"


def test_comprehension_over_model_relations():
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    unit = Unit(id="u", pengaduan=(Pengaduan(id="a", ditanggapi_pada=t0), Pengaduan(id="b")))
    prog = compile("unit.pengaduan.filter(p, has(p.ditanggapi_pada)).map(p, p.id)", {"unit": Unit})
    assert prog(unit=unit) == ["a"]
    assert "unit.pengaduan.ditanggapi_pada" in prog.reads
    check_errors("unit.pengaduan.all(p, p.ditanggap != null)", {"unit": Unit})


def test_dasar_hukum_elements_are_typed():
    prog = compile("layanan.standar.dasar_hukum.exists(d, d.tahun >= 2009)", L)
    lay = Layanan(id="1", standar=StandarPelayanan(dasar_hukum=(Peraturan(teks="UU", tahun=2009),)))
    assert prog(layanan=lay) is True
    assert check_errors("layanan.standar.dasar_hukum.exists(d, d.tahn >= 2009)")[0].suggestion == "tahun"


def test_mixing_timestamp_and_date_is_rejected_with_a_hint():
    (e,) = check_errors("p.diterima_pada < as_of", {"p": Pengaduan, "as_of": dt.date})
    assert "date(t, 'Asia/Jakarta')" in e.message
    prog = compile("date(p.diterima_pada, 'Asia/Jakarta') <= as_of", {"p": Pengaduan, "as_of": dt.date})
    p = Pengaduan(id="x", diterima_pada=dt.datetime(2024, 1, 9, 20, tzinfo=dt.UTC))
    assert prog(p=p, as_of=dt.date(2024, 1, 9)) is False
    assert prog(p=p, as_of=dt.date(2024, 1, 10)) is True


def test_returns_bool_only_when_every_returned_value_is_a_bool_by_type():
    """The engine skips its type check of a rule's result only when the compiler proved it."""
    from layanan_rules.expr import compile as cel_compile
    from layanan_rules.expr.functions import Function
    from layanan_rules.model import Layanan

    decl = {"layanan": Layanan}
    assert cel_compile("has(layanan.standar) && size(layanan.standar.produk) > 0", decl).returns_bool
    assert cel_compile("layanan.nama.matches('^A') || !has(layanan.standar)", decl).returns_bool
    assert not cel_compile("layanan.aktif", decl).returns_bool  # nullable: may be null
    assert not cel_compile("has(layanan.standar) ? layanan.aktif : false", decl).returns_bool
    chain = cel_compile("has(layanan.standar) || layanan.aktif", decl)  # a chain checks its own items
    assert chain.returns_bool and chain.fn(Layanan(id="L", aktif=False)) is False
    liar = Function("selalu", lambda x: 1, (object,), bool, "x", "x")  # declared bool, returns 1
    prog = cel_compile("selalu(layanan.nama)", decl, {"selalu": liar})
    assert not prog.returns_bool and prog.fn(Layanan(id="L")) == 1
