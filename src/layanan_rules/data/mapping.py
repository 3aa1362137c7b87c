"""Mapping files: how a user's source is laid out, read and checked against the model.

A mapping file says, per entity, which sheet (or CSV file, table) holds it, which header fills
which field (``null``: ignored on purpose) and which list fields come from another sheet
(``lists:``). :func:`load_mapping` reads the spreadsheet adapter's; :func:`read_mapping`,
:func:`check_keys`, :func:`check_entity` and :func:`check_columns` are what every adapter's
mapping file shares (the SQL and HTTP plugins' and a plugin author's), so a mistake is named the
same way everywhere, with the closest valid name. The headers a mapping leaves out are matched by
:mod:`layanan_rules.data.fieldmap`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from layanan_rules import inputs, model
from layanan_rules.data.fieldmap import Kind, _key, columns, normalize, suggest, suggest_entity

__all__ = [
    "EntityMapping",
    "ListSource",
    "MappingError",
    "UserMapping",
    "check_columns",
    "check_entity",
    "check_keys",
    "load_mapping",
    "read_mapping",
]


class MappingError(ValueError):
    """A mapping file is unreadable or names an entity or field that does not exist."""


@attrs.frozen
class ListSource:
    """A list field (``standar.prosedur``) filled from another sheet or CSV file: one item a row,
    a record's rows found by the ``key`` column holding its id, items in ``order`` (a column) or
    as written."""

    sheet: str
    key: str
    value: str
    order: str | None = None


@attrs.frozen
class EntityMapping:
    """How one entity is laid out in a user's source: its sheet (or table) and header → path.

    A header mapped to ``None`` is deliberately ignored (and not reported as unmatched).
    """

    sheet: str | None = None
    columns: Mapping[str, str | None] = attrs.field(factory=dict)
    lists: Mapping[str, ListSource] = attrs.field(factory=dict)
    #: path -> a value every record of the entity takes where its row leaves the field empty
    #: (a sheet that is one unit's services: ``unit_id: U1``)
    values: Mapping[str, Any] = attrs.field(factory=dict)
    #: records the source lacks, written in the mapping file in the plain JSON form (the unit a
    #: catalogue's services belong to)
    records: tuple[Mapping[str, Any], ...] = ()

    def path_for(self, header: Any) -> tuple[bool, str | None]:
        """(found, path) for a header, matched after normalising."""
        if header is None:
            return False, None
        key = _key(str(header))
        for name, path in self.columns.items():
            if _key(name) == key:
                return True, path
        return False, None


@attrs.frozen
class UserMapping:
    """An explicit mapping file: per entity, the sheet name and header → field."""

    entities: Mapping[str, EntityMapping] = attrs.field(factory=dict)
    source: str | None = None

    def for_entity(self, entity: str) -> EntityMapping | None:
        return self.entities.get(entity)

    def entity_for_sheet(self, sheet: str) -> str | None:
        key = normalize(sheet)
        for entity, em in self.entities.items():
            if em.sheet is not None and normalize(em.sheet) == key:
                return entity
        return None

    def list_for_sheet(self, sheet: str) -> tuple[str, str, ListSource] | None:
        """(entity, path, source) of the list field a sheet (or CSV file) fills, if any."""
        key = normalize(sheet)
        for entity, em in self.entities.items():
            for path, source in em.lists.items():
                if normalize(source.sheet) == key:
                    return entity, path, source
        return None


# What every adapter's mapping file shares (the spreadsheet's below, the SQL and HTTP plugins'
# with their own settings): read it guarded, refuse unknown keys, entities and fields by name
# with the closest valid one. A plugin author's mapping uses the same four.


def read_mapping(path: str | Path) -> dict[Any, Any]:
    """A mapping file's YAML, read with the input limits (``{}`` when empty); :class:`MappingError`
    naming the file when it cannot be read or is not a YAML mapping."""
    p = Path(path)
    try:
        raw = inputs.load_yaml_file(p)
    except OSError as exc:
        raise MappingError(f"berkas pemetaan {p} tidak terbaca: {exc.strerror} / mapping file {p} cannot be read") from None
    except inputs.InputError as exc:
        raise MappingError(f"berkas pemetaan tidak terbaca / mapping file cannot be read: {exc}") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise MappingError(
            f"{p}: berkas pemetaan harus berupa peta (entitas atau pengaturan → nilai), bukan daftar / "
            f"a mapping file must be a YAML mapping (entities or settings → values), not a list"
        )
    return raw


def check_keys(where: str, given: Any, known: Iterable[str]) -> dict[Any, Any]:
    """``given`` if it is a mapping whose keys are all ``known``; else :class:`MappingError`
    naming the first unknown key (and that entities go under ``entities:`` where one is named)."""
    if not isinstance(given, dict):
        raise MappingError(f"{where}: harus berupa peta / must be a mapping")
    known = set(known)
    extra = set(given) - known
    if extra:
        name = min(map(str, extra))
        hint = " — entitas ditulis di bawah 'entities:' / entities go under 'entities:'" if name in model.ENTITIES else ""
        raise MappingError(
            f"{where}: kunci tidak dikenal {name!r}{hint} (dikenal / known: {', '.join(sorted(known))}) / "
            f"unknown key {name!r}"
        )
    return given


def check_entity(where: str, entity: Any) -> str:
    """``entity`` if the model has it; else :class:`MappingError` with the closest name or the choices."""
    if entity not in model.ENTITIES:
        near = suggest_entity(entity)
        hint = f" (maksud Anda / did you mean: {near})" if near else f" (pilihan / choices: {', '.join(model.ENTITIES)})"
        raise MappingError(f"{where}: entitas tidak dikenal {entity!r}{hint} / unknown entity {entity!r}")
    return str(entity)


def check_columns(where: str, entity: str, given: Any, *, whole_fields: bool = False,
                  noun: tuple[str, str] = ("kolom", "column")) -> dict[str, str | None]:
    """An entity's ``columns:`` (source name → field path; ``None`` ignores it on purpose), every
    path checked against the model. ``whole_fields`` also admits a top-level field (``standar``,
    ``fungsi``) for a JSON column holding the nested object; ``noun`` names the source's side
    (a column, an API's key) in messages."""
    if not isinstance(given, dict):
        raise MappingError(
            f"{where}: {entity}.columns harus berupa peta {noun[0]}: field / must map {noun[1]}: field"
        )
    valid = {c.path for c in columns(entity)}
    if whole_fields:
        valid |= {f.name for f in attrs.fields(model.ENTITIES[entity]) if not model.is_relation(f)}
    checked: dict[str, str | None] = {}
    for name, target in given.items():
        if target is not None and target not in valid:
            near = suggest(entity, target)
            hint = f" (maksud Anda / did you mean: {near})" if near else ""
            raise MappingError(
                f"{where}: {entity}: {noun[0]} {name!r} dipetakan ke field yang tidak ada {target!r}{hint} / "
                f"{noun[1]} {name!r} is mapped to a field that does not exist"
            )
        checked[str(name)] = target
    return checked


def load_mapping(path: str | Path) -> UserMapping:
    """Read a YAML mapping file::

        layanan:
          sheet: Daftar Layanan           # optional: the sheet (or csv file, or table) name
          columns:
            Waktu Selesai: standar.jangka_waktu
            Keterangan: null              # a column to ignore on purpose
        pengaduan:
          sheet: Rekap Aduan 2024

    A list field may come from another sheet, one item a row (``lists:``)::

        layanan:
          lists:
            standar.prosedur: {sheet: prosedur, key: id_izin, value: langkah, order: urutan}

    A field the source never holds may be given once for every record (``values:``, where the row
    leaves it empty), and a record the source lacks written out (``records:``, the JSON form)::

        layanan:
          values: {unit_id: U1}
        unit:
          records:
            - {id: U1, nama: Gerai DPMPTSP, penyelenggara_id: "19"}

    Every entity and field path is checked against the model; a mistake raises
    :class:`MappingError` naming the file, the key and the closest valid name.
    """
    where = str(path)
    entities: dict[str, EntityMapping] = {}
    for name, spec in read_mapping(path).items():
        entity = check_entity(where, name)
        spec = check_keys(f"{where}: {entity}", spec or {}, ("sheet", "table", "columns", "lists", "values", "records"))
        sheet = spec.get("sheet", spec.get("table"))
        entities[entity] = EntityMapping(sheet=None if sheet is None else str(sheet),
                                         columns=check_columns(where, entity, spec.get("columns") or {}),
                                         lists=_list_sources(where, entity, spec.get("lists") or {}),
                                         values=_values(where, entity, spec.get("values") or {}),
                                         records=_records(where, entity, spec.get("records") or []))
    return UserMapping(entities=entities, source=where)


_SCALARS = (str, int, float, bool, dt.date)


def _values(where: str, entity: str, given: Any) -> dict[str, Any]:
    """An entity's ``values:``: field path -> one plain value (text, number, yes/no, date)."""
    if not isinstance(given, dict):
        raise MappingError(f"{where}: {entity}.values harus berupa peta field: nilai / must map field: value")
    valid = {c.path for c in columns(entity)} - {"id"}
    for path in given:
        if path not in valid:
            near = suggest(entity, path)
            hint = f" (maksud Anda / did you mean: {near})" if near and near != "id" else ""
            raise MappingError(f"{where}: {entity}.values: field tidak ada {path!r}{hint} / no such field {path!r}")
        if not isinstance(given[path], _SCALARS):
            raise MappingError(f"{where}: {entity}.values.{path}: harus satu nilai (teks, angka, ya/tidak, tanggal), "
                               f"bukan {type(given[path]).__name__} / must be one value (text, number, yes/no, date)")
    return {str(path): value for path, value in given.items()}


def _records(where: str, entity: str, given: Any) -> tuple[dict[str, Any], ...]:
    """An entity's ``records:``: a list of records in the plain JSON form, each with an ``id`` and
    only fields of the entity (checked as a column's are)."""
    if not isinstance(given, list):
        raise MappingError(f"{where}: {entity}.records harus berupa daftar rekaman / must be a list of records")
    fields = [f.name for f in attrs.fields(model.ENTITIES[entity]) if not model.is_relation(f)]
    out = []
    for i, rec in enumerate(given, 1):
        at = f"{where}: {entity}.records[{i}]"
        rec = check_keys(at, rec, fields)
        if rec.get("id") in (None, ""):
            raise MappingError(f"{at}: id belum diisi / has no id")
        out.append({k: v for k, v in rec.items() if v is not None})
    return tuple(out)


def _list_sources(where: str, entity: str, given: Any) -> dict[str, ListSource]:
    """An entity's ``lists:``: list field path → where its items are (checked: a list field of
    the model, and a sheet, key column and value column named)."""
    given = check_keys(f"{where}: {entity}.lists", given, [c.path for c in columns(entity)
                                                         if c.kind in (Kind.list, Kind.peraturan_list)])
    out: dict[str, ListSource] = {}
    for path, spec in given.items():
        at = f"{where}: {entity}.lists.{path}"
        spec = check_keys(at, spec or {}, ("sheet", "key", "value", "order"))
        missing = [k for k in ("sheet", "key", "value") if spec.get(k) is None]
        if missing:
            raise MappingError(f"{at}: {', '.join(missing)} belum diisi (sheet: nama sheet/berkas, key: kolom id "
                               f"induk, value: kolom isi) / {', '.join(missing)} missing (sheet: the sheet or file, "
                               f"key: the column of the parent's id, value: the column of the item)")
        order = spec.get("order")
        out[str(path)] = ListSource(str(spec["sheet"]), str(spec["key"]), str(spec["value"]),
                                    None if order is None else str(order))
    return out
