"""The benchmark's synthetic data generator: deterministic per seed, records shaped like the model."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import sys
from pathlib import Path

import attrs
import pytest

from layanan_rules import model

_PATH = Path(__file__).resolve().parents[1] / "bench" / "synth.py"


@pytest.fixture(scope="module")
def synth():
    spec = importlib.util.spec_from_file_location("bench_synth", _PATH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_synth"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_same_seed_same_data(synth):
    a = synth.build(seed=3, services=200, complaints=500)
    b = synth.build(seed=3, services=200, complaints=500)
    assert a == b
    c = synth.build(seed=4, services=200, complaints=500)
    assert c["layanan"] != a["layanan"] and c["pengaduan"] != a["pengaduan"]


def test_services_do_not_depend_on_complaint_count(synth):
    a = synth.build(seed=3, services=50, complaints=10)
    b = synth.build(seed=3, services=50, complaints=1000)
    assert a["layanan"] == b["layanan"]


def test_streaming_json_is_the_same_data(synth):
    buf = io.StringIO()
    synth.write_json(buf, 5, 40, 60)
    assert json.loads(buf.getvalue()) == synth.build(seed=5, services=40, complaints=60)


def _fields(entity: str) -> set[str]:
    return {f.name for f in attrs.fields(model.ENTITIES[entity]) if not model.is_relation(f)}


def test_records_use_model_field_names_and_links(synth):
    data = synth.build(seed=1, services=400, complaints=2000)
    ids = {entity: {r["id"] for r in recs} for entity, recs in data.items()}
    for entity, recs in data.items():
        allowed = _fields(entity)
        for rec in recs:
            assert set(rec) <= allowed, (entity, set(rec) - allowed)
            assert all(v is not None for v in rec.values())
    standar_fields = {f.name for f in attrs.fields(model.StandarPelayanan)}
    for rec in data["layanan"]:
        assert rec["unit_id"] in ids["unit"]
        std = rec.get("standar")
        if std is None:
            continue
        assert set(std) <= standar_fields
        for text in std.get("dasar_hukum", []):
            assert isinstance(text, str) and "Tahun" in text
        jw = std.get("jangka_waktu")
        if jw and "jumlah" in jw:
            assert isinstance(jw["jumlah"], int) and jw["satuan"] in {s.value for s in model.SatuanWaktu}
        biaya = std.get("biaya")
        if biaya is not None:
            assert biaya["gratis"] is True or isinstance(biaya["jumlah"], int)
    for rec in data["unit"]:
        assert rec["penyelenggara_id"] in ids["penyelenggara"]
    stamps = [f.name for f in attrs.fields(model.Pengaduan) if f.name.endswith("_pada")]
    for rec in data["pengaduan"]:
        assert rec["unit_id"] in ids["unit"]
        assert rec.get("layanan_id", "L0000001") in ids["layanan"]
        for name in stamps:
            if name in rec:
                t = dt.datetime.fromisoformat(rec[name])
                assert t.utcoffset() == dt.timedelta(hours=7)
        if "ditanggapi_pada" in rec and "diterima_pada" in rec:
            assert rec["ditanggapi_pada"] > rec["diterima_pada"]


def test_missing_rates_are_realistic(synth):
    data = synth.build(seed=2, services=5000, complaints=5000)
    std = [r["standar"] for r in data["layanan"] if "standar" in r]
    assert 0.03 < 1 - len(std) / 5000 < 0.07
    no_basis = sum(1 for s in std if not s.get("dasar_hukum")) / len(std)
    no_eval = sum(1 for s in std if not str(s.get("evaluasi_kinerja", "")).strip()) / len(std)
    assert 0.07 < no_basis < 0.13 and 0.35 < no_eval < 0.45
    open_ = sum(1 for r in data["pengaduan"] if "ditanggapi_pada" not in r) / 5000
    assert 0.07 < open_ < 0.13


def test_bench_ruleset_agrees_with_the_hand_written_checks(synth):
    """The benchmark's layanan-rules side (bench/ruleset) gives the floor's state on every record."""
    bench = str(_PATH.parent)
    sys.path.insert(0, bench)
    try:
        import engines
        import rules
    finally:
        sys.path.remove(bench)
    as_of = dt.date(2025, 1, 1)
    data = synth.build(seed=9, services=300, complaints=1000)
    lr = engines.LayananRules()
    for entity in ("layanan", "pengaduan"):
        checks = rules.by_entity(entity)
        floor = engines.Floor().build(checks, entity, as_of)
        ours = lr.build(checks, entity, as_of)
        for rec in data[entity]:
            assert ours(rec) == floor(rec), rec["id"]
