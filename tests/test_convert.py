"""The one converter: raw values, Indonesian strings, and bad cells that never vanish."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from layanan_rules import model
from layanan_rules.model.convert import WIB, structure_record


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

    from layanan_rules.model.convert import _clean, _relation_names, converter

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


def _bench_synth():
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / "synth.py"
    mod = sys.modules.get("bench_synth")
    if mod is None:
        spec = importlib.util.spec_from_file_location("bench_synth", path)
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        sys.modules["bench_synth"] = mod
        spec.loader.exec_module(mod)
    return mod


def _expected(entity, record):
    from layanan_rules.model.convert import _clean, _relation_names, converter

    cls = model.ENTITIES[entity]
    return converter.structure(_clean({k: v for k, v in record.items() if k not in _relation_names(cls)}), cls)


def test_generated_fast_path_agrees_on_every_synthetic_record():
    """Every record of the benchmark data: the fast path gives exactly what the detailed converter gives."""
    data = _bench_synth().build(seed=1, services=3000, complaints=3000)
    assert len(data["layanan"]) == 3000 and len(data["pengaduan"]) == 3000
    for entity, records in data.items():
        for record in records:
            got, problems = structure_record(entity, record)
            assert problems == []
            assert got == _expected(entity, record), (entity, record)


def test_generated_fast_path_agrees_on_messy_nested_values():
    """Odd values at every depth (a standard, its duration and fee, lists, dates, enums): the same as cattrs."""
    import copy
    import random

    data = _bench_synth().build(seed=2, services=300, complaints=300)
    rng = random.Random(11)
    messy = ["", "  ", None, 0, 1, 1.0, 1.5, True, False, "7/1/2015", "2024-01-09", "2024-02-30",
             "2024-01-09T10:27:00+07:00", "2024-01-09 10:27:00", "Rp 10.000,-", "3 hari kerja", "ya", "hari",
             "Kerja", "kalender", "UU No. 24 Tahun 2013", ["a", ""], ["a", 1], [], (), ("x",), {"x": 1}, {},
             ["UU No. 24 Tahun 2013", "UU No. 24 Tahun 2013"], [{"teks": "UU No. 1 Tahun 2000"}],
             {"teks": "segera"}, {"gratis": 1}, {"gratis": 1.0}, {"jumlah": True}, {"jumlah": 2, "satuan": "jam"}]
    nested = {"layanan": (("standar",), ("standar", "jangka_waktu"), ("standar", "biaya")), "pengaduan": ((),)}
    checked = 0
    for entity in ("layanan", "pengaduan"):
        for record in data[entity]:
            for path in nested[entity] + ((),):
                for _ in range(3):
                    r = copy.deepcopy(record)
                    target = r
                    for step in path:
                        target = target.get(step) if isinstance(target, dict) else None
                    if not isinstance(target, dict):
                        continue
                    fields = sorted(attrs.fields_dict(_class_at(entity, path)))
                    target[rng.choice(fields)] = rng.choice(messy)
                    got, problems = structure_record(entity, r)
                    try:
                        expected = _expected(entity, r)
                    except Exception:  # noqa: BLE001 - then the record has problems and a partial object
                        assert problems
                        continue
                    # a value read with a reservation (text left unread) is kept and named, nothing else
                    assert all(p.reason in ("partly_read", "partial_date") for p in problems), (entity, r, problems)
                    assert got == expected, (entity, r)
                    checked += 1
    assert checked > 1000


def _class_at(entity, path):
    import typing

    cls = model.ENTITIES[entity]
    for step in path:
        t = typing.get_type_hints(cls)[step]
        cls = next(a for a in typing.get_args(t) if a is not type(None))
    return cls


def test_cached_durations_and_fees_are_what_the_detailed_converter_gives():
    """Durations and fees are structured once per distinct dict (``convert._CACHED_VALUES``): keyed
    by their first fields when nothing else is given, a duration by every field otherwise, a fee
    then not cached. Values equal in Python but not alike in the model (1, 1.0, True) never share."""
    from layanan_rules.model.convert import _generated, converter

    cases = {
        model.JangkaWaktu: [{"jumlah": 3, "satuan": "hari"}, {"jumlah": 3.0, "satuan": "hari"},
                            {"jumlah": True, "satuan": "hari"}, {"jumlah": 3, "satuan": "hari", "jenis_hari": "kerja"},
                            {"satuan": "jam"}, {}, {"teks": "segera"}, {"jumlah": 3, "satuan": "hari", "teks": "tiga hari"},
                            {"jumlah": 3, "satuan": "hari", "untuk": "WNA"}, {"jumlah": "3", "satuan": "hari"},
                            {"jumlah": 1, "kasus": [{"jumlah": 2, "satuan": "hari", "untuk": "WNA"}]}],
        model.Biaya: [{"gratis": True}, {"gratis": 1}, {"gratis": 1.0}, {"gratis": False, "jumlah": 5000},
                      {"gratis": False, "jumlah": 5000.0}, {"jumlah": 0}, {},
                      {"gratis": False, "jumlah": 5000, "dasar_hukum": "Perda No. 3 Tahun 2012"},
                      {"gratis": False, "jumlah": "Rp 5.000"}],
    }
    for cls, dicts in cases.items():
        fast = _generated(cls)
        for _round in range(2):  # the second time from the cache
            for d in dicts:
                try:
                    expected = converter.structure(d, cls)
                except Exception:  # noqa: BLE001 - the fast path must refuse it too
                    with pytest.raises(Exception):  # noqa: B017
                        fast(dict(d))
                    continue
                got = fast(dict(d))
                assert got == expected and type(got.jumlah) is type(expected.jumlah), (cls, d)
                if cls is model.Biaya:
                    assert type(got.gratis) is type(expected.gratis), d
        with pytest.raises(KeyError):  # an unknown key is never found in the cache
            fast({"jumlah": 3, "satuan": "hari", "lain": 1} if cls is model.JangkaWaktu else {"gratis": True, "lain": 1})
    assert _generated(model.Biaya)({"gratis": True}) is _generated(model.Biaya)({"gratis": True})
    fee = {"gratis": False, "jumlah": 5000, "dasar_hukum": "Perda No. 3 Tahun 2012"}
    assert _generated(model.Biaya)(fee) is not _generated(model.Biaya)(dict(fee))  # a service's own fee
