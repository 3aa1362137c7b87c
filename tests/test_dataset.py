"""Datasets link records into relations and account for every input record."""

from __future__ import annotations

import attrs
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


# --- the JSON file read a record at a time --------------------------------------------------------------

_AWKWARD = """{
  "$schema": "https://example.org/s.json", "meta": {"dibuat": "2024-01-01", "layanan": [1, 2]},
  "unit": [{"id": "U1", "penyelenggara_id": "P1", "layanan": [{"id": "L1", "nama": "KTP"}, {"nama": "KK"}],
            "pengaduan": {"id": "A9"}}],
  "penyelenggara": [{"id": "P1", "nama": "Kota", "nama": "Kota Contoh"}],
  "layanan": [{"id": "L2", "unit_id": "U1", "standar": {"biaya": {"gratis": true, "gratis": false}}},
              {"id": "L3", "unit_id": "U9", "aktif": "ya"}],
  "lampiran": [{"x": 1}, {"y": 2}, 3],
  "pengaduan": null,
  "layanan": [{"id": "L4", "unit_id": "U1", "diterima_pada": 12345678901234567890}],
  "kosong": [], "angka": 12345, "teks": "ok"
}"""


def _read_both(tmp_path, text):
    """Records and notes from the streamed read and from the whole document parsed at once."""
    from layanan_rules import inputs
    from layanan_rules.model.records import iter_json_records, iter_json_stream

    path = tmp_path / "data.json"
    path.write_text(text, encoding="utf-8")
    got: tuple[list, list] = ([], [])
    for out, stream in zip(got, (True, False)):
        def note(kind, message, records, provenance, out=out):
            out.append(("note", kind, message, records, provenance))
        if stream:
            members = inputs.iter_json_members(path.read_bytes(), str(path))
            records = iter_json_stream(members, source=str(path), note=note)
        else:
            data, duplicates = inputs.load_json(path.read_bytes(), str(path))
            records = iter_json_records(data, source=str(path), duplicates=duplicates, note=note)
        out.extend((r.entity, r.data, r.provenance, r.issues) for r in records)
    return got


def test_the_streamed_read_gives_the_records_and_notes_of_the_whole_parse(tmp_path):
    streamed, whole = _read_both(tmp_path, _AWKWARD)
    # a top-level key written twice: its note comes after its records when streamed, before them otherwise
    note_of = [x for x in streamed if x[0] == "note" and "tingkat teratas" in x[2]]
    assert len(note_of) == 1 and "(3 record)" in note_of[0][2]
    assert sorted(map(repr, streamed)) == sorted(map(repr, whole))
    records = [x for x in streamed if x[0] != "note"]
    assert [(r[0], r[2].part, r[2].row) for r in records] == [
        ("unit", "unit", 1), ("layanan", "unit.layanan", 1), ("layanan", "unit.layanan", 2),
        ("pengaduan", "unit.pengaduan", 1), ("penyelenggara", "penyelenggara", 1),
        ("layanan", "layanan", 1), ("layanan", "layanan", 2), ("layanan", "layanan#2", 1)]
    assert any(i.field == "nama" for i in records[4][3]) and any(i.field == "standar.biaya.gratis" for i in records[5][3])
    unknown = [x for x in streamed if x[0] == "note" and x[1] == "unknown_entity"]
    assert unknown[0][3] == 2 and "'lampiran' (2 record" in unknown[0][2]


@pytest.mark.parametrize("text", ["{}", " { } ", '{"layanan": []}', '{"layanan": [{"id": "L1"}]}'])
def test_small_documents_read_the_same_streamed(tmp_path, text):
    streamed, whole = _read_both(tmp_path, text)
    assert streamed == whole


@pytest.mark.parametrize("text", [
    '{"layanan": [{"id": "L1"}, {"id": "L2",}]}',  # a trailing comma in the second record
    '{"layanan": [{"id": "L1"}] "unit": []}',  # a missing comma between members
    '{"layanan": [{"id": "L1"}]} x',  # text after the document
    '{"layanan": [{"id": "L1"}, ',  # cut short
    '{"layanan": [{"id": "L1"}], "unit": [{"id": "U1", "n": 1' + "0" * 5000 + "}]}",  # a number too long
    '{"layanan": [{"id": "L1"}], 7: []}',  # a key that is no text
])
def test_a_malformed_document_is_named_as_the_whole_parse_names_it(tmp_path, text):
    from layanan_rules import inputs

    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(inputs.InputError) as whole:
        inputs.load_json(path.read_bytes(), str(path))
    with pytest.raises(inputs.InputError) as streamed:
        list(inputs.iter_json_members(path.read_bytes(), str(path)))
    assert str(streamed.value) == str(whole.value)


def test_a_document_that_is_no_object_is_left_to_the_whole_parse(tmp_path):
    from layanan_rules import inputs

    assert inputs.iter_json_members(b'[{"id": "L1"}]', "x.json") is None
    assert inputs.iter_json_members(b"  null", "x.json") is None


def test_reading_a_json_file_links_parents_by_their_own_id_text(tmp_path):
    from layanan_rules.api import read_data

    path = tmp_path / "d.json"
    path.write_text('{"unit": [{"id": "U1"}], "layanan": [{"id": "L1", "unit_id": "U1"}, {"id": "L2", "unit_id": "U1"}],'
                    ' "pengaduan": [{"id": "A1", "layanan_id": "L1", "unit_id": "U1", "status": "selesai",'
                    ' "diterima_pada": "2024-08-26T10:15:00+07:00", "selesai_pada": "2024-09-02T08:00:00+07:00"}]}')
    ds = read_data(path)
    unit = ds.records["unit"][0].obj
    a = ds.records["pengaduan"][0].obj
    assert all(lay.unit_id is unit.id for lay in unit.layanan) and a.unit_id is unit.id
    assert a.layanan_id is ds.records["layanan"][0].obj.id
    assert a.diterima_pada.tzinfo is a.selesai_pada.tzinfo  # one zone object, not one per value
    assert a.diterima_pada.isoformat() == "2024-08-26T10:15:00+07:00"


def test_compact_structuring_gives_equal_records(example_data, tmp_path):
    """A source read in bulk shares recurring values (Dataset.from_records(compact=True)); every
    record equals what the plain structuring of evaluate(dict) makes, field for field."""
    import json

    from layanan_rules.api import read_data

    path = tmp_path / "contoh.json"
    path.write_text(json.dumps(example_data), encoding="utf-8")
    compact, plain = read_data(path), Dataset.from_json(example_data, source=str(path))
    assert compact.compact and not plain.compact
    for entity, recs in plain.records.items():
        assert [(r.id, r.obj, r.provenance, r.problems) for r in compact.records[entity]] == [
            (r.id, r.obj, r.provenance, r.problems) for r in recs], entity
    assert [(i.kind, i.message) for i in compact.issues] == [(i.kind, i.message) for i in plain.issues]


def test_a_parent_is_filled_before_it_is_put_in_its_own_parent():
    """Linking goes bottom up: the layanan and pelaksana a unit holds carry their own children,
    and the unit a penyelenggara holds carries its layanan (a rule over ``unit.layanan`` that
    reads ``permohonan`` sees them)."""
    ds = Dataset.from_json({
        "penyelenggara": [{"id": "P1"}],
        "unit": [{"id": "U1", "penyelenggara_id": "P1"}],
        "layanan": [{"id": "L1", "unit_id": "U1"}],
        "pelaksana": [{"id": "E1", "unit_id": "U1"}],
        "pengaduan": [{"id": "A1", "unit_id": "U1", "layanan_id": "L1"}],
        "permohonan": [{"id": "M1", "unit_id": "U1", "layanan_id": "L1", "pelaksana_id": "E1"}],
        "panggilan": [{"id": "C1", "unit_id": "U1", "pelaksana_id": "E1"}],
    })
    assert not [i for i in ds.all_issues() if i.kind == "orphan"]
    unit = ds.records["unit"][0].obj
    (layanan,), (pelaksana,) = unit.layanan, unit.pelaksana
    assert [p.id for p in layanan.permohonan] == ["M1"] and [a.id for a in layanan.pengaduan] == ["A1"]
    assert [p.id for p in pelaksana.permohonan] == ["M1"] and [c.id for c in pelaksana.panggilan] == ["C1"]
    (held,) = ds.records["penyelenggara"][0].obj.unit
    assert [p.id for p in held.layanan[0].permohonan] == ["M1"] and [p.id for p in held.permohonan] == ["M1"]


def test_linked_gives_children_only_to_the_entities_read():
    """``Dataset.from_json(linked=...)`` (a one-record ``evaluate()``): objects of entities the
    rules do not read keep no children (no copy made for nothing); orphans are still found."""
    data = {
        "penyelenggara": [{"id": "P1"}],
        "unit": [{"id": "U1", "penyelenggara_id": "P1"}],
        "layanan": [{"id": "L1", "unit_id": "U1"}, {"id": "L2", "unit_id": "U9"}],
        "pengaduan": [{"id": "A1", "unit_id": "U1", "layanan_id": "L1"}],
    }
    ds = Dataset.from_json(data, linked=frozenset({"layanan", "pengaduan", "permohonan"}))
    assert set(ds.records) == set(data)  # only the entities the data has
    assert [a.id for a in ds.records["layanan"][0].obj.pengaduan] == ["A1"]
    assert ds.records["unit"][0].obj.layanan == () and ds.records["penyelenggara"][0].obj.unit == ()
    assert [(i.kind, i.entity, i.entity_id) for i in ds.all_issues()] == [("orphan", "layanan", "L2")]
    full = Dataset.from_json(data)
    assert [lay.id for lay in full.records["unit"][0].obj.layanan] == ["L1"]
    assert [(i.kind, i.message) for i in full.issues] == [(i.kind, i.message) for i in ds.issues]


def test_linked_records_read_as_the_full_datasets():
    """``Dataset.from_json(linked=...)`` makes a record's Provenance when it is read, and leaves a
    record of an entity no rule reads unstructured while its values read as text: every Record reads
    (and compares) as the fully built Dataset's, problems, orphans and duplicates included."""
    data = {
        "penyelenggara": [{"id": "P1", "nama": "Pemda", "jenis": "instansi"}, {"id": 7, "nama": "Angka"}],
        "unit": [{"id": "U1", "penyelenggara_id": "P1", "nama": ""}, {"id": "U2", "penyelenggara_id": "P9"},
                 {"id": "U3", "penyelenggara_id": "P1", "dibentuk_pada": "kemarin"}, {"id": "U1", "nama": "lagi"}],
        "layanan": [{"id": "L1", "unit_id": "U1", "aktif": True}, {"id": 2, "unit_id": "U8", "aktif": "ya"},
                    {"id": "L3", "unit_id": "U3", "mulai_pada": "bukan tanggal"}],
    }
    full = Dataset.from_json(data, source="data.json")
    ds = Dataset.from_json(data, source="data.json", linked=frozenset({"layanan", "pengaduan", "permohonan"}))
    for entity, recs in full.records.items():
        if not recs:
            continue
        lazy = ds.records[entity]
        assert len(lazy) == len(recs)
        for got, want in zip(lazy, recs):
            assert got.provenance == want.provenance and str(got.provenance) == str(want.provenance)
            assert (got.entity, got.id, got.problems, got.fields) == (want.entity, want.id, want.problems, want.fields)
            assert got.where("nama") == want.where("nama")
            obj, full_obj = got.obj, want.obj
            if entity == "layanan":  # read by the rules: the same object, the same Record
                assert obj == full_obj
                assert got == want and want == got and (got != want) is False
            else:  # no children linked into it (nothing reads them), else the same
                assert obj == attrs.evolve(full_obj, **{name: () for name in _relations(type(full_obj))})
                assert (got == want) == (obj == full_obj) == (want == got)
    assert [(i.kind, i.entity, i.entity_id, i.message, i.provenance) for i in ds.all_issues()] == [
        (i.kind, i.entity, i.entity_id, i.message, i.provenance) for i in full.all_issues()]
    assert ds.counts() == full.counts()
    unstructured = [r for r in ds.records["unit"] + ds.records["penyelenggara"] if "obj" not in _set_slots(r)]
    assert unstructured == []  # every one was read above; before that:
    fresh = Dataset.from_json(data, source="data.json", linked=frozenset({"layanan", "pengaduan", "permohonan"}))
    assert [r.id for r in fresh.records["unit"] if "obj" not in _set_slots(r)] == ["U1", "U2", "U1"]
    assert [r.id for r in fresh.records["penyelenggara"] if "obj" not in _set_slots(r)] == ["P1"]


def test_deferred_records_evaluate_and_read_as_the_full_datasets():
    """A record of an entity the rules read, with no children in the data, whose id and links are
    text (``Dataset.from_json(linked=...)``, what ``evaluate()`` builds) is structured as the engine
    evaluates it: the same states and errors as over the fully built Dataset; a record with nothing
    to report keeps no object (it is structured again, equal, when read), one with problems keeps
    its object and problems; orphans, duplicates and issues as before."""
    import datetime as dt

    from layanan_rules import load_ruleset
    from layanan_rules.engine import evaluation

    data = {
        "penyelenggara": [{"id": "P1", "nama": "Pemda", "jenis": "instansi"}],
        "unit": [{"id": "U1", "penyelenggara_id": "P1", "nama": "Dinas"}, {"id": "U2", "penyelenggara_id": "P1"}],
        "layanan": [
            {"id": "L1", "unit_id": "U1", "aktif": True, "nama": "Izin Usaha",
             "standar": {"biaya": "Gratis", "jangka_waktu": "3 hari kerja", "produk": ["Izin"]}},
            {"id": "L2", "unit_id": "U8", "nama": "Yatim"},  # an orphan
            {"id": "L3", "unit_id": "U2", "mulai_pada": "bukan tanggal"},  # a malformed value
            {"id": "L4", "unit_id": 5},  # a link that is not text: structured at once
            {"id": 6, "unit_id": "U1"},  # an id that is not text: structured at once
            {"id": "L1", "unit_id": "", "standar": {"biaya": "Rp 10.000 atau seikhlasnya"}},  # used twice, a reservation
        ],
    }
    for _ in range(3):  # and a batch of them (the engine's slab loop, not the one-record path)
        data["layanan"] += [dict(r, id=f"{r['id']}-{len(data['layanan'])}") for r in data["layanan"][:6]]
    as_of = dt.date(2025, 1, 31)
    bundled = load_ruleset()
    # the rules of layanan alone (a unit's rules read its layanan: their objects are linked into it at once)
    ruleset = attrs.evolve(bundled, rules=tuple(r for r in bundled.rules if r.entity == "layanan"))
    for rules in (bundled, ruleset):
        _same_evaluation(rules, data, as_of)
    linked = evaluation.entities_read(ruleset, as_of)
    full = Dataset.from_json(data, source="data.json")
    ds = Dataset.from_json(data, source="data.json", linked=linked)
    kinds = [type(r).__name__ for r in ds.records["layanan"]]
    assert kinds[:6] == ["_DeferredRecord", "_DeferredRecord", "_DeferredRecord", "_JsonRecord", "_JsonRecord",
                         "_DeferredRecord"]
    assert {type(r).__name__ for r in ds.records["unit"]} == {"_TextRecord"}
    got_blocks, got_skipped = evaluation.evaluate(ruleset, ds, as_of)
    want_blocks, want_skipped = evaluation.evaluate(ruleset, full, as_of)
    assert got_skipped == want_skipped
    assert [(rule.id, [r.id for r in recs], list(states), dict(errors)) for rule, recs, states, errors in got_blocks] == [
        (rule.id, [r.id for r in recs], list(states), dict(errors)) for rule, recs, states, errors in want_blocks]
    kept = [i for i, r in enumerate(ds.records["layanan"]) if "obj" in _set_slots(r)]
    assert kept == [i for i, r in enumerate(full.records["layanan"]) if r.problems or kinds[i] == "_JsonRecord"]
    assert 0 not in kept and 6 not in kept and 2 in kept and 5 in kept  # clean: evaluated, not kept; problems: kept
    assert [(i.kind, i.entity, i.entity_id, i.message, i.provenance) for i in ds.all_issues()] == [
        (i.kind, i.entity, i.entity_id, i.message, i.provenance) for i in full.all_issues()]
    for got, want in zip(ds.records["layanan"], full.records["layanan"], strict=True):
        assert (got.id, got.problems, got.obj, got.provenance) == (want.id, want.problems, want.obj, want.provenance)
        assert got == want and "obj" in _set_slots(got)  # read: structured again, and kept
        assert got.obj is got.obj


def _same_evaluation(ruleset, data, as_of):
    """The engine's blocks and the data issues over ``Dataset.from_json(data, linked=...)`` are those
    over the fully built Dataset."""
    from layanan_rules.engine import evaluation

    full = Dataset.from_json(data, source="data.json")
    ds = Dataset.from_json(data, source="data.json", linked=evaluation.entities_read(ruleset, as_of))
    got_blocks, got_skipped = evaluation.evaluate(ruleset, ds, as_of)
    want_blocks, want_skipped = evaluation.evaluate(ruleset, full, as_of)
    assert got_skipped == want_skipped
    assert [(rule.id, [r.id for r in recs], list(states), dict(errors)) for rule, recs, states, errors in got_blocks] == [
        (rule.id, [r.id for r in recs], list(states), dict(errors)) for rule, recs, states, errors in want_blocks]
    assert [(i.kind, i.entity, i.entity_id, i.message, i.provenance) for i in ds.all_issues()] == [
        (i.kind, i.entity, i.entity_id, i.message, i.provenance) for i in full.all_issues()]


def _set_slots(rec):
    from layanan_rules.data.dataset import Record

    return {name for name in Record.__slots__ if _has_slot(rec, name)}


def _has_slot(rec, name):
    from layanan_rules.data.dataset import Record

    try:
        Record.__dict__[name].__get__(rec, Record)
    except AttributeError:
        return False
    return True


def _relations(cls):
    from layanan_rules import model

    return [f.name for f in attrs.fields(cls) if model.is_relation(f)]


def test_evaluate_of_plain_json_equals_evaluate_of_its_dataset(ruleset, example_data):
    """``evaluate(dict)`` links only what the rules in force read; its report is the one a fully
    linked Dataset gives, for the example and for a unit checked with one layanan (rules over
    ``unit.layanan``) or a layanan with its parents (no rule reads them)."""
    import copy

    import attrs
    from support import AS_OF

    from layanan_rules import evaluate

    unit = example_data["unit"][0]
    lay = next(x for x in example_data["layanan"] if x.get("unit_id") == unit["id"])
    peny = next(x for x in example_data["penyelenggara"] if x["id"] == unit.get("penyelenggara_id"))
    cases = [example_data, {"unit": [unit], "layanan": [lay]}, {"penyelenggara": [peny], "unit": [unit], "layanan": [lay]}]
    layanan_only = attrs.evolve(ruleset, rules=tuple(r for r in ruleset.rules if r.entity == "layanan"))
    for rs, data in [(r, d) for r in (ruleset, layanan_only) for d in cases]:
        got = evaluate(rs, copy.deepcopy(data), as_of=AS_OF)
        want = evaluate(rs, Dataset.from_json(copy.deepcopy(data)), as_of=AS_OF)
        assert got.to_dict() == want.to_dict()
        assert got.counts_by_rule() == want.counts_by_rule() and got.records == want.records
        assert got.data_issues == want.data_issues
