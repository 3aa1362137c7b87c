"""Raw records as adapters hand them over, where each came from, and the plain JSON form.

The plain JSON form of provider data is one object keyed by entity, records linked by ids;
children may also be nested under their relation name (a unit's ``"layanan": [...]``).
:func:`iter_json_records` turns it into :class:`RawRecord` objects, whatever reads it: the JSON
adapter, the engine's ``evaluate(ruleset, data)``, or a rule's own examples.
"""

from __future__ import annotations

import difflib
import functools
import re
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from layanan_rules.inputs import ITEM, START
from layanan_rules.model import construct
from layanan_rules.model import entities as model


class DataError(Exception):
    """The input cannot be read as provider data at all (wrong shape); the message says why."""



#: query parameters whose values are never shown (``?password=``, ``sslpassword``, tokens, keys)
_SECRET_NAME = re.compile(r"pass|pwd|secret|token|key|auth|credential", re.IGNORECASE)


def shown_location(location: str) -> str:
    """A source location as any report or message may show it: a URL's password (everything
    between the user name and the last ``@``: a password may hold ``@``, ``/`` or ``?``
    unencoded) and secret-looking query values masked. A file path is returned as it is."""
    head, sep, rest = location.partition("://")
    if not sep:
        return location
    if "@" in rest:
        auth, _, host = rest.rpartition("@")
        user = auth.split(":", 1)[0].split("/", 1)[0]
        rest = f"{user}:***@{host}" if ":" in auth else f"{user}@{host}"
    return f"{head}://{mask_query(rest)}"


def mask_query(text: str) -> str:
    """``text`` with the values of its secret-looking query parameters masked."""
    base, sep, query = text.partition("?")
    if not sep:
        return text
    masked = "&".join(
        f"{k}=***" if _SECRET_NAME.search(k) else f"{k}{eq}{v}"
        for k, eq, v in (part.partition("=") for part in query.split("&")))
    return f"{base}?{masked}"

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


#: the ``fields`` of a record with no cell of its own (JSON, Parquet, one record): one shared, read-only
#: mapping, not an empty dict per record (64 bytes a record, 70 MB at a province's 1.1 M records)
NO_FIELDS: Mapping[str, Provenance] = types.MappingProxyType({})


@attrs.frozen(weakref_slot=False)  # no weak-reference slot: built by construct.maker
class RawRecord:
    """One record of one entity, as read, with where it came from."""

    entity: str
    data: Mapping[str, Any]
    provenance: Provenance
    issues: tuple[CellIssue, ...] = ()
    #: model field -> provenance of that value (e.g. its cell), for precise error messages
    fields: Mapping[str, Provenance] = NO_FIELDS


#: ``note(kind, message, records, provenance)``: told of what the JSON form holds but is not read
#: as records (a top-level key that is no entity, a key written twice), ``records`` how many
#: input records that accounts for.
Note = Callable[[str, str, int, "Provenance | None"], None]


def _ignore(_kind: str, _message: str, _records: int, _provenance: Provenance | None) -> None:
    pass


def records_at_rows(entity: str, batches: Iterable[tuple[list[int], list[dict[str, Any]]]], *, source: str,
                    whole: Mapping[int, dict[str, Any]] | None = None) -> Iterator[tuple[int, RawRecord]]:
    """Raw records of ``entity`` from batches of (file row numbers from 0, row dicts), as a back end
    reads a file's rows in SQL (DuckDB's scan, Spark): each record numbered by its row in the file,
    not in the batch, and the file row each comes from (a child written inside its parent's row:
    that row). ``whole``: row number -> the whole row, read instead of the batch's (some) fields."""
    for idx, rows in batches:
        if whole:
            rows = [whole.get(i, row) for i, row in zip(idx, rows)]
        # a batch at a time, as the Parquet adapter reads: row n of the batch is file row idx[n - 1]
        for rec in iter_json_records({entity: rows}, source=source):
            p = rec.provenance
            if p.part == entity and p.row is not None:
                i = idx[p.row - 1]
                rec = RawRecord(rec.entity, rec.data, Provenance(p.source, p.part, i + 1, key=p.key), rec.issues,
                                rec.fields)
            else:  # a child written inside its parent's row: numbered by that row
                i = idx[-1] if p.row is None else idx[min(p.row, len(idx)) - 1]
            yield i, rec


def iter_json_records(data: Mapping[str, Any], *, source: str, duplicates: Sequence[Any] = (),
                      note: Note = _ignore, line: bool = False, consume: bool = False) -> Iterable[RawRecord]:
    """Yield raw records from the plain JSON form, flattening nested children.

    Nothing is left out without a word: a top-level key that is no entity is told to ``note``
    with the number of records it holds; a key written twice (``duplicates``, from
    :func:`layanan_rules.inputs.load_json`) at the top level has the records of every
    occurrence read, and inside a record becomes a problem of that field (or a note when the
    values agree). A nested child written as one object instead of a list is read as one record;
    so is an entity's value on a JSON Lines ``line`` (``{"layanan": {...}}``).

    With ``consume`` (a document parsed for this read alone) each record's slot in its list is
    emptied as the record is yielded, so a record's raw dict is freed once it has been structured,
    not kept until the whole document is read: the peak memory of a read is the model, not the
    model plus the parsed document.
    """
    raw_record, provenance = _raw_record(), _provenance()
    if duplicates:
        top_dups = {d.key: d.values for d in duplicates if d.obj is data}
        inner = _Duplicates([d for d in duplicates if d.obj is not data])
    else:  # the common case, and a one-record call's: nothing to set up
        top_dups, inner = {}, _NO_DUPLICATES
    skipped: list[str] = []
    skipped_records = 0
    for entity, value in data.items():
        occurrences = top_dups.get(entity, (value,))
        if len(occurrences) > 1:
            n = sum(len(v) if isinstance(v, list) else 1 for v in occurrences)
            note("duplicate_key",
                 f"kunci '{entity}' ditulis {len(occurrences)} kali di tingkat teratas; record dari semuanya dibaca "
                 f"({n} record) / key '{entity}' is written {len(occurrences)} times at the top level; the records "
                 f"of every occurrence were read ({n} records)", 0, Provenance(source))
        if entity not in model.ENTITIES:
            count = sum(_count_records(v) for v in occurrences)
            skipped_records += count
            skipped.append(_skipped_key(entity, count))
            continue
        for occurrence, items in enumerate(occurrences, start=1):
            part = entity if occurrence == 1 else f"{entity}#{occurrence}"
            if items is None:
                continue
            if line and isinstance(items, Mapping):
                items = [items]
            elif not isinstance(items, list):
                raise DataError(
                    f"{source}: '{entity}' harus berupa daftar record, bukan {type(items).__name__} / "
                    f"'{entity}' must be a list of records, not {type(items).__name__}"
                )
            relations = _relation_fields(entity) if not inner else None
            for index, item in enumerate(items):
                if consume:
                    items[index] = None
                if type(item) is dict and relations is not None:
                    for name in relations:  # children nested under a relation name?
                        if item.get(name) is not None:
                            break
                    else:  # the common, flat case
                        rid = item.get("id")
                        yield raw_record(entity, item, provenance(
                            source, part, index + 1, rid if rid is None or type(rid) is str else str(rid)))
                        continue
                    yield from flatten(entity, item, Provenance(source, part=part, row=index + 1), inner, note)
                else:
                    yield from flatten(entity, item, Provenance(source, part=part, row=index + 1), inner, note)
    if skipped:
        note("unknown_entity",
             f"kunci teratas yang bukan entitas tidak dibaca: {'; '.join(skipped)}; entitas yang dikenal: "
             f"{', '.join(model.ENTITIES)} / top-level keys that are no entity were not read",
             skipped_records, Provenance(source))


def iter_json_stream(members: Iterable[tuple[int, str, Any, Sequence[Any]]], *, source: str,
                     note: Note = _ignore) -> Iterable[RawRecord]:
    """:func:`iter_json_records` over a document read one member and one list item at a time
    (:func:`layanan_rules.inputs.iter_json_members`): the same records, problems and notes, with
    only one record's parsed dict alive at a time.

    A top-level key written twice has the records of every occurrence read, as there; they come
    in the order written (``entity#2`` where it stands), and the note about it after them.
    """
    raw_record, provenance = _raw_record(), _provenance()
    occurrences: dict[str, list[int]] = {}  # key -> records of each occurrence
    skipped: dict[str, int] = {}  # key that is no entity -> its records
    entity = part = ""
    counts: list[int] = []
    relations: tuple[str, ...] = ()
    known = False
    index = 0
    for kind, key, value, duplicates in members:
        if kind == START:
            counts = occurrences.setdefault(key, [])
            counts.append(0)
            entity, part, index = key, key if len(counts) == 1 else f"{key}#{len(counts)}", 0
            known = key in model.ENTITIES
            if not known:
                skipped.setdefault(key, 0)
            relations = _relation_fields(key) if known else ()
            continue
        if kind == ITEM:
            counts[-1] += 1  # as written: every item of a list, or 1 for a value that is no list
        else:
            counts[-1] = 1
        if not known:
            if kind == ITEM and isinstance(value, Mapping):
                skipped[key] += 1
            continue
        if kind != ITEM:  # the entity's whole value: a list is streamed as items, so this is no list
            if value is None:
                continue
            raise DataError(
                f"{source}: '{entity}' harus berupa daftar record, bukan {type(value).__name__} / "
                f"'{entity}' must be a list of records, not {type(value).__name__}"
            )
        index += 1
        if type(value) is dict and not duplicates and not (relations and _has_children(relations, value)):
            rid = value.get("id")
            yield raw_record(entity, value, provenance(source, part, index, None if rid is None else str(rid)))
        else:
            inner = _Duplicates(duplicates) if duplicates else None
            yield from flatten(entity, value, Provenance(source, part=part, row=index), inner, note)
    for key, per in occurrences.items():
        if len(per) > 1:
            n = sum(per)
            note("duplicate_key",
                 f"kunci '{key}' ditulis {len(per)} kali di tingkat teratas; record dari semuanya dibaca "
                 f"({n} record) / key '{key}' is written {len(per)} times at the top level; the records "
                 f"of every occurrence were read ({n} records)", 0, Provenance(source))
    if skipped:
        note("unknown_entity",
             f"kunci teratas yang bukan entitas tidak dibaca: "
             f"{'; '.join(_skipped_key(k, c) for k, c in skipped.items())}; entitas yang dikenal: "
             f"{', '.join(model.ENTITIES)} / top-level keys that are no entity were not read",
             sum(skipped.values()), Provenance(source))


@functools.cache
def _raw_record() -> Callable[..., RawRecord]:
    return construct.maker(RawRecord, ("entity", "data", "provenance"))


@functools.cache
def _provenance() -> Callable[..., Provenance]:
    return construct.maker(Provenance, ("source", "part", "row", "key"))


def _count_records(value: Any) -> int:
    if isinstance(value, list):
        return sum(1 for v in value if isinstance(v, Mapping))
    return 0


def _skipped_key(key: str, count: int) -> str:
    if count:
        hint = difflib.get_close_matches(key.lstrip("$_"), list(model.ENTITIES), n=1)
        did = f", maksud Anda / did you mean '{hint[0]}'?" if hint else ""
        return f"'{key}' ({count} record{did})"
    return f"'{key}' (metadata)"


@functools.cache
def _relation_fields(entity: str) -> tuple[str, ...]:
    cls = model.ENTITIES.get(entity)
    return tuple(f.name for f in attrs.fields(cls) if model.is_relation(f)) if cls is not None else ()


@functools.cache
def _children(entity: str) -> dict[str, tuple[str, str | None]]:
    """relation name -> (child entity, the child's link field to this entity)."""
    return {rel: (ch, lk) for ch, lk, par, rel in model.RELATIONS if par == entity}


def _has_children(relations: tuple[str, ...], item: dict[str, Any]) -> bool:
    """Does the record nest children under a relation name (``"layanan": [...]`` in a unit)?"""
    for name in relations:
        if item.get(name) is not None:
            return True
    return False


class _Duplicates:
    """Keys written twice inside records, looked up by the object that holds them."""

    def __init__(self, duplicates: Sequence[Any]) -> None:
        self.by_obj: dict[int, list[Any]] = {}
        for d in duplicates:
            self.by_obj.setdefault(id(d.obj), []).append(d)

    def __bool__(self) -> bool:
        return bool(self.by_obj)

    def values(self, obj: Any, key: str) -> tuple[Any, ...] | None:
        for d in self.by_obj.get(id(obj), ()):
            if d.key == key:
                return tuple(d.values)
        return None

    def issues(self, data: Mapping[str, Any], skip: Iterable[str], prov: Provenance,
               note: Note) -> tuple[CellIssue, ...]:
        """Problems for keys written twice with different values anywhere inside one record
        (``skip``: its child records, checked as records of their own); notes where they agree."""
        if not self.by_obj:
            return ()
        out: list[CellIssue] = []
        skip = set(skip)
        stack: list[tuple[str, Any]] = [("", data)]
        while stack:
            path, value = stack.pop()
            if isinstance(value, Mapping):
                for d in self.by_obj.get(id(value), ()):
                    if path == "" and d.key in skip:
                        continue
                    field = f"{path}{d.key}"
                    shown = ", ".join(_short(v) for v in d.values)
                    if all(v == d.values[0] for v in d.values[1:]):
                        note("duplicate_key", f"kunci '{field}' ditulis {len(d.values)} kali dengan nilai sama "
                             f"({shown}) / key '{field}' is written {len(d.values)} times with the same value", 0, prov)
                        continue
                    out.append(CellIssue(field, shown, (
                        f"kunci '{field}' ditulis {len(d.values)} kali dengan nilai berbeda ({shown}); tidak jelas mana "
                        f"yang benar, hapus salah satunya / key '{field}' is written {len(d.values)} times with "
                        f"different values; it is unclear which is right, remove the others"), prov))
                for k, v in value.items():
                    if not (path == "" and k in skip) and isinstance(v, (Mapping, list)):
                        stack.append((f"{path}{k}.", v))
            elif isinstance(value, list):
                stack.extend((path, v) for v in value if isinstance(v, (Mapping, list)))
        return tuple(out)


def _short(value: Any, n: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= n else text[:n - 1] + "…"


def flatten(entity: str, item: Any, prov: Provenance, duplicates: _Duplicates | None = None,
            note: Note = _ignore, origin: Any = None) -> Iterable[RawRecord]:
    """One record of ``entity`` and, after it, every child record nested under a relation name
    (``"layanan": [...]`` in a unit; a single child may be written as an object), linked to it by id.
    ``origin`` is the object as parsed when ``item`` is a copy of it (duplicates are known by identity)."""
    if not isinstance(item, Mapping):
        raise DataError(f"{prov}: record harus berupa objek JSON, bukan {type(item).__name__} / "
                        f"a record must be a JSON object, not {type(item).__name__}")
    duplicates = duplicates or _Duplicates(())
    origin = item if origin is None else origin
    data = dict(item)
    rid = data.get("id")
    children = _children(entity)
    issues: list[CellIssue] = []
    nested: list[tuple[str, str, str | None, list[Any]]] = []
    for name, (child_entity, link) in children.items():
        value = data.get(name)
        if value is None:
            continue
        occurrences = duplicates.values(origin, name) or (value,)
        if len(occurrences) > 1:
            note("duplicate_key",
                 f"kunci '{name}' ditulis {len(occurrences)} kali dalam {entity} '{rid}'; record {child_entity} dari "
                 f"semuanya dibaca / key '{name}' is written {len(occurrences)} times in {entity} '{rid}'; the "
                 f"{child_entity} records of every occurrence were read", 0, prov)
        kids: list[Any] = []
        for v in occurrences:
            if isinstance(v, list):
                kids.extend(v)
            elif isinstance(v, Mapping):
                kids.append(v)
            else:
                issues.append(CellIssue(name, _short(v), (
                    f"'{name}' harus berupa daftar record {child_entity}, bukan {type(v).__name__} / '{name}' must be a "
                    f"list of {child_entity} records, not {type(v).__name__}"), prov))
        del data[name]
        nested.append((name, child_entity, link, kids))
    issues.extend(duplicates.issues(origin, children, prov, note))
    own = Provenance(prov.source, prov.part, prov.row, key=None if rid is None else str(rid))
    yield RawRecord(entity, data, own, tuple(issues)) if issues else RawRecord(entity, data, own)
    for name, child_entity, link, kids in nested:
        for i, child in enumerate(kids):
            child_prov = attrs.evolve(prov, part=f"{prov.part}.{name}", row=i + 1, key=None)
            original = child
            if isinstance(child, Mapping):
                child = dict(child)
                if link and rid is not None:
                    child.setdefault(link, rid)
                child.setdefault("id", f"{rid}/{name}/{i + 1}")
            yield from flatten(child_entity, child, child_prov, duplicates, note, original)


_NO_DUPLICATES = _Duplicates(())
