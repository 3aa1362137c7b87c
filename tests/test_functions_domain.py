"""Domain functions added for the UU 25/2009 ruleset: a fee's legal basis that can be found
(Pasal 21 huruf e, Pasal 31 ayat (4)) and a complaint status that says it was closed (Pasal 48(2))."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layanan_rules.expr import evaluate
from layanan_rules.rules.functions import BUILTINS, is_closed_status, names_numbered_regulation


@pytest.mark.parametrize("text", [
    "Perda Kota Contoh Nomor 3 Tahun 2023",
    "sesuai Perda No. 5 Tahun 2019",
    "PP 96/2012",
    "UU No 28 Tahun 2009 tentang Pajak Daerah dan Retribusi Daerah",
    "Peraturan Bupati Batang Nomor 12 Tahun 2020",
])
def test_a_regulation_with_kind_number_and_year_is_named(text):
    assert names_numbered_regulation(text) is True
    assert evaluate("peraturan_bernomor(x)", {"x": text}) is True


@pytest.mark.parametrize("text", [
    "Perda", "Sesuai Perda", "Perbup No. 3", "Nomor 5 Tahun 2019", "peraturan yang berlaku", "", "   ", None, 5,
])
def test_a_kind_alone_or_a_number_without_year_names_no_regulation(text):
    assert names_numbered_regulation(text) is False
    assert evaluate("peraturan_bernomor(x)", {"x": text}) is False


@pytest.mark.parametrize("status", ["Selesai", "selesai", " SELESAI ", "Ditutup", "diputuskan", "Closed", "resolved"])
def test_closing_statuses(status):
    assert is_closed_status(status) is True
    assert evaluate("status_selesai(x)", {"x": status}) is True


@pytest.mark.parametrize("status", ["diproses", "baru", "dianggap_dicabut", "dicabut", "batal", "", None, 1])
def test_open_or_withdrawn_statuses_are_not_closed(status):
    assert is_closed_status(status) is False
    assert evaluate("status_selesai(x)", {"x": status}) is False


def test_both_are_registered_with_bilingual_descriptions():
    by_name = {f.name: f for f in BUILTINS}
    for name in ("peraturan_bernomor", "status_selesai"):
        f = by_name[name]
        assert f.doc_id and f.doc_en and f.doc_id != f.doc_en


_INLINE = [(fn, kind, template) for fn in BUILTINS for kind, template in fn.inline]
_SAMPLES = {
    "string": st.one_of(st.none(), st.text(alphabet=" \t\n\u00a0\u3000ab", max_size=6)),
    "list": st.one_of(st.none(), st.lists(st.text(max_size=2), max_size=3).map(tuple)),
}


@pytest.mark.parametrize(("fn", "kind", "template"), _INLINE, ids=[f"{f.name}-{k}" for f, k, _t in _INLINE])
@given(data=st.data())
def test_inline_forms_equal_the_function_for_every_value_of_their_kind(fn, kind, template, data):
    """A function's inline form (used by the compiler instead of a call) must give what the
    function gives, None included: text with every kind of blank, and lists."""
    check = eval(f"lambda x: {template.format('x')}")
    value = data.draw(_SAMPLES[kind])
    assert check(value) == fn.impl(value)


def test_terisi_compiles_inline_for_text_and_lists():
    from layanan_rules import load_ruleset

    rs = load_ruleset("uu-25-2009")
    sources = [r.require.python_source for r in rs.rules if "terisi(" in r.require.source]
    assert sources and not any("_f_terisi(" in s for s in sources if ".strip()" in s)
    assert any(".strip() != ''" in s for s in sources)


def test_every_bundled_function_is_documented():
    from support import ROOT

    from layanan_rules.rules.functions import BUILTINS

    text = (ROOT / "docs" / "expressions.md").read_text(encoding="utf-8")
    missing = [f.name for f in BUILTINS if f"`{f.name}(" not in text]
    assert not missing, f"functions missing from docs/expressions.md: {missing}"


@pytest.mark.parametrize(("status", "withdrawn"), [
    ("Dianggap dicabut", True), ("DICABUT", True), ("dianggap_dicabut", True), ("batal", True),
    ("Dibatalkan", True), ("gugur", True), ("Withdrawn", True), ("tidak dicabut", False), ("belum batal", False),
    ("diproses", False), ("Selesai", False), ("pencabutan izin diproses", False), (None, False),
])
def test_withdrawn_status_is_read_as_people_write_it(status, withdrawn):
    from layanan_rules.rules.functions import is_withdrawn_status

    assert is_withdrawn_status(status) is withdrawn


@pytest.mark.parametrize(("population", "sample"), [(10, 10), (100, 80), (1000, 278), (1_000_000, 384)])
def test_the_minimum_sample_follows_the_krejcie_morgan_table(population, sample):
    assert evaluate("sampel_minimum(n)", {"n": population}) == sample


def test_a_population_below_one_is_an_error_not_a_verdict():
    from layanan_rules.expr import CelError

    with pytest.raises(CelError, match="populasi"):
        evaluate("sampel_minimum(n)", {"n": 0})
