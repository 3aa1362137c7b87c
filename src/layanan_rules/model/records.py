"""Raw records as adapters hand them over, where each came from, and the plain JSON form.

The plain JSON form of provider data is one object keyed by entity, records linked by ids;
children may also be nested under their relation name (a unit's ``"layanan": [...]``).
:func:`iter_json_records` turns it into :class:`RawRecord` objects, whatever reads it: the JSON
adapter, the engine's ``evaluate(ruleset, data)``, or a rule's own examples.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from layanan_rules.model import construct
from layanan_rules.model import entities as model


class DataError(Exception):
    """The input cannot be read as provider data at all (wrong shape); the message says why."""


@attrs.frozen(weakref_slot=False)  # no weak-reference slot: built by construct.maker
class Provenance:
    """Where a record (or one of its values) came from.

    ``source`` is a file path, a database URL without password, or a URL; ``part`` is a sheet,
    table or endpoint; ``row`` a 1-based row number (or page for APIs); ``column`` a column
    letter/name; ``key`` a primary key or the index within a page.
    """

    source: str
    part: str | None = None
    row: int | None = None
    column: str | None = None
    key: str | None = None
    page: int | None = None

    def at_column(self, column: str | None) -> Provenance:
        return attrs.evolve(self, column=column)

    def __str__(self) -> str:
        return location_text(self.source, self.part, self.page, self.row, self.column, self.key)


def location_text(source: str, part: str | None = None, page: int | None = None, row: int | None = None,
                  column: str | None = None, key: str | None = None) -> str:
    """``file.xlsx:Layanan:row 6:col F``. A part that only repeats the file's name (a CSV file is
    its own "sheet", with or without its extension, in any case) is not written twice."""
    bits = [source]
    if part and not _same_file(source, part):
        bits.append(part)
    if page is not None:
        bits.append(f"page {page}")
    if row is not None:
        bits.append(f"row {row}")
    if column:
        bits.append(f"col {column}")
    if key is not None:
        bits.append(f"key {key}")
    return ":".join(bits)


def _same_file(source: str, part: str) -> bool:
    name = source.replace("\\", "/").rsplit("/", 1)[-1].lower()
    p = part.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return name == p or name.rsplit(".", 1)[0] == p or source.endswith(part)


@attrs.frozen
class CellIssue:
    """A value the adapter read but could not use (kept as text, never silently nulled).

    ``provenance`` is the cell itself: findings of the rules that read ``field`` point there.
    ``kind`` is ``malformed_value`` (the value could not be parsed) or ``unrecognised_column``
    (a column whose header was not recognised but looks like this field: rules that read the
    field end in ``error`` with the message, instead of failing as if the data were absent).
    """

    field: str  # model field path, e.g. "standar.jangka_waktu"
    value: str
    message: str  # bilingual: "tanggal tidak terbaca / unreadable date"
    provenance: Provenance
    kind: str = "malformed_value"


@attrs.frozen(weakref_slot=False)  # no weak-reference slot: built by construct.maker
class RawRecord:
    """One record of one entity, as read, with where it came from."""

    entity: str
    data: Mapping[str, Any]
    provenance: Provenance
    issues: tuple[CellIssue, ...] = ()
    #: model field -> provenance of that value (e.g. its cell), for precise error messages
    fields: Mapping[str, Provenance] = attrs.field(factory=dict)


def iter_json_records(data: Mapping[str, Any], *, source: str) -> Iterable[RawRecord]:
    """Yield raw records from the plain JSON form, flattening nested children."""
    raw_record = construct.maker(RawRecord, ("entity", "data", "provenance"))
    provenance = construct.maker(Provenance, ("source", "part", "row", "key"))
    for entity, items in data.items():
        if entity.startswith("$") or entity == "_meta":
            continue
        if not isinstance(items, list):
            raise DataError(
                f"{source}: '{entity}' harus berupa daftar record / '{entity}' must be a list of records"
            )
        relations = _relation_fields(entity)
        for index, item in enumerate(items):
            if type(item) is dict and not (relations and _has_children(relations, item)):  # the common, flat case
                rid = item.get("id")
                yield raw_record(entity, item, provenance(source, entity, index + 1, None if rid is None else str(rid)))
            else:
                yield from flatten(entity, item, Provenance(source, part=entity, row=index + 1))


@functools.cache
def _relation_fields(entity: str) -> tuple[str, ...]:
    cls = model.ENTITIES.get(entity)
    return tuple(f.name for f in attrs.fields(cls) if model.is_relation(f)) if cls is not None else ()


def _has_children(relations: tuple[str, ...], item: dict[str, Any]) -> bool:
    """Does the record nest children under a relation name (``"layanan": [...]`` in a unit)?"""
    for name in relations:
        if type(item.get(name)) is list:
            return True
    return False


def flatten(entity: str, item: Any, prov: Provenance) -> Iterable[RawRecord]:
    if not isinstance(item, Mapping):
        raise DataError(f"{prov}: record harus berupa objek JSON / a record must be a JSON object")
    cls = model.ENTITIES.get(entity)
    data = dict(item)
    if cls is not None:
        rid = data.get("id")
        for f in attrs.fields(cls):
            if not model.is_relation(f) or not isinstance(data.get(f.name), list):
                continue
            children = data.pop(f.name)
            link = next((lk for ch, lk, par, rel in model.RELATIONS if par == entity and rel == f.name), None)
            child_entity = next(ch for ch, lk, par, rel in model.RELATIONS if par == entity and rel == f.name)
            for i, child in enumerate(children):
                child = dict(child) if isinstance(child, Mapping) else child
                if isinstance(child, dict):
                    if link and rid is not None:
                        child.setdefault(link, rid)
                    child.setdefault("id", f"{rid}/{f.name}/{i + 1}")
                yield from flatten(child_entity, child, attrs.evolve(prov, part=f"{prov.part}.{f.name}", row=i + 1))
    rid = data.get("id")
    yield RawRecord(entity, data, Provenance(prov.source, prov.part, prov.row, key=None if rid is None else str(rid)))
