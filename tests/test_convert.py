"""The one converter: raw values, Indonesian strings, and bad cells that never vanish."""

from __future__ import annotations

import datetime as dt

from layanan_rules import model
from layanan_rules.convert import WIB, structure_record


def test_indonesian_strings_become_structured_values():
    obj, problems = structure_record(
        "layanan",
        {"id": "L1", "standar": {"jangka_waktu": "3 (tiga) hari kerja", "biaya": "Tidak dipungut biaya",
                                 "dasar_hukum": "1. UU No. 24 Tahun 2013\n2. Perda Kota Contoh No. 5 Tahun 2019",
                                 "jumlah_pelaksana": "4"}},
    )
    assert problems == []
    s = obj.standar
    assert s.jangka_waktu.jumlah == 3 and s.jangka_waktu.satuan is model.SatuanWaktu.hari
    assert s.jangka_waktu.jenis_hari is model.JenisHari.kerja
    assert s.biaya.gratis is True
    assert [p.tahun for p in s.dasar_hukum] == [2013, 2019]
    assert s.jumlah_pelaksana == 4


def test_naive_timestamps_are_read_as_wib():
    obj, problems = structure_record("pengaduan", {"id": "A1", "diterima_pada": "7/1/2015 10:27:00"})
    assert problems == []
    assert obj.diterima_pada == dt.datetime(2015, 1, 7, 10, 27, tzinfo=WIB)


def test_bad_value_is_set_aside_and_the_rest_is_kept():
    obj, problems = structure_record(
        "pengaduan", {"id": "A1", "diterima_pada": "31/02/2024", "kanal": "WhatsApp", "ganti_rugi": "banyak"}
    )
    assert obj.kanal == "WhatsApp" and obj.diterima_pada is None and obj.ganti_rugi is None
    fields = sorted(p.field for p in problems)
    assert fields == ["diterima_pada", "ganti_rugi"]
    assert all(p.reason == "malformed_value" for p in problems)


def test_unknown_field_is_reported_not_silently_dropped():
    obj, problems = structure_record("layanan", {"id": "L1", "nama": "KK", "standar": {"dasar_hukumm": ["UU"]}})
    assert obj.nama == "KK"
    assert [(p.field, p.reason) for p in problems] == [("standar.dasar_hukumm", "unknown_field")]


def test_boolean_is_not_accepted_as_a_number():
    _obj, problems = structure_record("layanan", {"id": "L1", "standar": {"jumlah_pelaksana": True}})
    assert [p.field for p in problems] == ["standar.jumlah_pelaksana"]


def test_generated_fast_path_agrees_with_the_detailed_converter():
    """The fast path is an optimisation only: on clean and on messy records it gives what cattrs gives."""
    import json
    import random

    from support import EXAMPLE_JSON

    from layanan_rules.convert import _clean, _relation_names, converter

    data = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    rng = random.Random(7)
    messy = ["", None, "7/1/2015", "Rp 10.000,-", "3 hari kerja", "ya", 12, 1.5, True, ["a", ""], {"x": 1}]
    for entity, records in data.items():
        cls = model.ENTITIES[entity]
        for record in records:
            variants = [record]
            for _ in range(20):
                r = dict(record)
                r[rng.choice(sorted(record))] = rng.choice(messy)
                variants.append(r)
            for r in variants:
                got, problems = structure_record(entity, r)
                raw = _clean({k: v for k, v in r.items() if k not in _relation_names(cls)})
                try:
                    expected = converter.structure(raw, cls)
                except Exception:  # noqa: BLE001 - then the record has problems and a partial object
                    assert problems
                    continue
                assert got == expected and problems == []
