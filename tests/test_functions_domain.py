"""Domain functions added for the UU 25/2009 ruleset: a fee's legal basis that can be found
(Pasal 21 huruf e, Pasal 31 ayat (4)) and a complaint status that says it was closed (Pasal 48(2))."""

from __future__ import annotations

import pytest

from layanan_rules.expr import evaluate
from layanan_rules.functions import BUILTINS, is_closed_status, names_numbered_regulation


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
