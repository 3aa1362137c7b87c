"""construct.maker builds the same frozen objects as __init__, only faster."""

from __future__ import annotations

import attrs
import pytest

from layanan_rules import model
from layanan_rules.data.adapters import Provenance, RawRecord
from layanan_rules.model import construct


def test_made_objects_equal_what_init_makes_and_stay_frozen():
    make = construct.maker(Provenance, ("source", "part", "row", "key"))
    p = make("data.json", "layanan", 3, "L1")
    assert type(p) is Provenance and p == Provenance("data.json", "layanan", 3, key="L1") and p.column is None
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        p.row = 4  # type: ignore[misc]
    raw = construct.maker(RawRecord, ("entity", "data", "provenance"))
    a, b = raw("layanan", {"id": "L1"}, p), raw("layanan", {"id": "L2"}, p)
    assert a == RawRecord("layanan", {"id": "L1"}, p) and a.fields == {} and a.fields is b.fields  # one shared empty map
    assert hash(p) == hash(Provenance("data.json", "layanan", 3, key="L1"))


def test_a_factory_default_is_called_per_object():
    @attrs.frozen(weakref_slot=False)
    class Holder:
        name: str
        items: list[int] = attrs.field(factory=list)

    make = construct.maker(Holder, ("name",))
    a, b = make("a"), make("b")
    assert a == Holder("a") and a.items == [] and a.items is not b.items


def test_model_classes_build_through_the_builder():
    b = construct.builder(model.Peraturan)()
    b.teks, b.jenis, b.nomor, b.tahun = "UU 25/2009", "UU", "25", 2009
    b.__class__ = model.Peraturan
    assert b == model.Peraturan(teks="UU 25/2009", jenis="UU", nomor="25", tahun=2009)


def test_a_class_with_a_weakref_slot_or_an_unknown_field_is_refused():
    @attrs.frozen
    class Weak:
        x: int

    with pytest.raises(TypeError, match="weakref_slot=False"):
        construct.builder(Weak)
    with pytest.raises(TypeError, match="no field"):
        construct.maker(Provenance, ("nope",))


def test_replacer_equals_evolve_for_one_field():
    u = model.Unit(id="U1", nama="Dinas", fungsi=model.Fungsi(penyuluhan=True))
    layanan = (model.Layanan(id="L1", unit_id="U1"),)
    got = construct.replacer(model.Unit, "layanan")(u, layanan)
    assert got == attrs.evolve(u, layanan=layanan) and got.layanan is layanan and u.layanan == ()
    with pytest.raises(TypeError, match="no field"):
        construct.replacer(model.Unit, "nope")
