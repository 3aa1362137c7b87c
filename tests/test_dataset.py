"""Datasets link records into relations and account for every input record."""

from __future__ import annotations

import pytest

from layanan_rules import DataError, Dataset


def test_relations_are_navigable_from_parent_to_children(example_data):
    ds = Dataset.from_json(example_data)
    unit = next(r.obj for r in ds.records["unit"] if r.id == "U1")
    assert {l.id for l in unit.layanan} == {"L1", "L2"}
    assert {p.id for p in unit.pengaduan} == {"A1", "A2"}
    layanan = next(l for l in unit.layanan if l.id == "L1")
    assert [p.id for p in layanan.pengaduan] == ["A1"]
    prov = ds.records["penyelenggara"][0].obj
    assert {u.id for u in prov.unit} == {"U1", "U2"}


def test_nested_children_are_flattened_and_linked():
    ds = Dataset.from_json({"unit": [{"id": "U1", "pengaduan": [{"diterima_pada": "2024-01-09"}]}]})
    [child] = ds.records["pengaduan"]
    assert child.obj.unit_id == "U1"
    assert ds.records["unit"][0].obj.pengaduan[0].id == child.id


def test_orphans_duplicates_and_unknown_entities_are_reported():
    ds = Dataset.from_json({
        "layanan": [{"id": "L1", "unit_id": "NOPE"}, {"id": "L1"}],
        "layanann": [{"id": "X"}],
    })
    kinds = sorted(i.kind for i in ds.issues)
    assert kinds == ["duplicate_id", "orphan", "unknown_entity"]
    unknown = next(i for i in ds.issues if i.kind == "unknown_entity")
    assert "layanan" in unknown.message  # did you mean


def test_record_without_id_gets_one_and_a_note():
    ds = Dataset.from_json({"layanan": [{"nama": "KK"}]})
    [rec] = ds.records["layanan"]
    assert rec.id and rec.problems[0].reason == "missing_id"


def test_wrong_shape_is_a_clear_error():
    with pytest.raises(DataError, match="daftar record"):
        Dataset.from_json({"layanan": {"id": "L1"}})


def test_a_child_written_as_an_object_is_read_as_one():
    ds = Dataset.from_json({"unit": [{"id": "U1", "layanan": {"id": "L2"}}]})
    assert [r.id for r in ds.records["layanan"]] == ["L2"]
    assert ds.records["unit"][0].obj.layanan[0].id == "L2"


def test_keys_that_are_no_entity_are_counted_not_lost():
    ds = Dataset.from_json({"layanan": [{"id": "L1"}], "$arsip": [{"id": "L9"}, {"id": "L10"}], "_meta": {"v": 1}})
    (note,) = [i for i in ds.issues if i.kind == "unknown_entity"]
    assert note.records == 2 and "'$arsip' (2 record" in note.message and "'_meta' (metadata)" in note.message
    assert ds.accounted() == 3


def test_to_json_round_trips_to_the_same_model(example_data):
    ds = Dataset.from_json(example_data)
    again = Dataset.from_json(ds.to_json())
    for entity, recs in ds.records.items():
        assert [r.obj for r in again.records[entity]] == [r.obj for r in recs]
