"""A Dataset: typed records per entity, linked into the relations rules navigate.

Built from adapters' :class:`~layanan_rules.data.adapters.RawRecord` stream or from the plain JSON
form. Every input record ends up here, either structured or with its problems attached; the
dataset-level issues (unknown entities, duplicate ids, links to missing parents) are kept in
``issues`` so reports can account for every record.
"""

from __future__ import annotations

import difflib
import functools
import operator
from collections.abc import Callable, Iterable, Mapping
from itertools import chain, repeat
from typing import Any

import attrs

from layanan_rules import model
from layanan_rules.data import fieldmap
from layanan_rules.model import construct
from layanan_rules.model.bulk import SETTLE_FROM, paused_gc
from layanan_rules.model.convert import (
    FieldProblem,
    clean_structurer,
    reads_as_text,
    structure_clean,
    structure_record,
    text_fields,
)
from layanan_rules.model.records import (
    NO_FIELDS,
    CellIssue,
    DataError,
    Provenance,
    RawRecord,
    _provenance,
    _relation_fields,
    iter_json_records,
)

__all__ = ["DataError", "DataIssue", "Dataset", "Record", "iter_json_records", "json_record", "one_each"]


@attrs.define(slots=True, weakref_slot=False)  # 8 bytes a record: nothing refers to one weakly
class Record:
    """One structured record, with where it came from and what could not be read of it."""

    entity: str
    id: str
    obj: Any
    provenance: Provenance
    problems: tuple[FieldProblem, ...] = ()
    fields: Mapping[str, Provenance] = NO_FIELDS

    def where(self, field: str | None = None) -> Provenance:
        """The provenance of one field (its cell) if known, else of the record."""
        if field:
            head = field
            while head:
                if head in self.fields:
                    return self.fields[head]
                head = head.rpartition(".")[0]
        return self.provenance


@attrs.frozen
class DataIssue:
    """A problem with the dataset as a whole or with how records link up."""

    #: unknown_entity | duplicate_id | duplicate_key | orphan | adapter_note | malformed_value | unknown_field
    #: | missing_id | partly_read | partial_date | unrecognised_column | header_guessed | entity_guessed (and an adapter's own
    #: note kinds)
    kind: str
    message: str
    entity: str | None = None
    entity_id: str | None = None
    provenance: Provenance | None = None
    field: str | None = None
    #: input records this issue accounts for as not evaluated (a sheet or key that is no entity,
    #: skipped template rows): the records read plus these are every record the input holds
    records: int = 0


@attrs.define(weakref_slot=False)  # built by construct.maker (_new_dataset); nothing refers to one weakly
class Dataset:
    """Records per entity (``records["layanan"]``), linked, plus dataset-level issues."""

    records: dict[str, list[Record]] = attrs.field(factory=dict)
    issues: list[DataIssue] = attrs.field(factory=list)
    #: what the source held that is no data and was left out on purpose, counted (kind -> how many;
    #: kinds and their names in :data:`layanan_rules.data.adapters.COUNTED_NOTES`)
    skipped: dict[str, int] = attrs.field(factory=dict)
    #: input records among those skipped on purpose (template example rows): part of :meth:`accounted`
    skipped_records: int = 0
    #: values that recur between records are shared (a source read in bulk, where the model is most
    #: of the memory): see ``structure_record(compact=True)``; links hold their parent's id text
    compact: bool = False
    #: (entity, unknown column) -> (first place seen, how many values), reported once by link()
    _unmatched: dict[tuple[str, str], tuple[Provenance, int]] = attrs.field(factory=dict, repr=False)

    def __len__(self) -> int:
        return sum(len(v) for v in self.records.values())

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.records.items() if v}

    def accounted(self) -> int:
        """Every input record: those read, those the issues say were not (see ``DataIssue.records``)
        and those skipped on purpose as no data (template example rows)."""
        return len(self) + sum(i.records for i in self.issues) + self.skipped_records

    def to_json(self) -> dict[str, list[dict[str, Any]]]:
        """The plain JSON form of the structured records (relations as id links, empty values
        left out): a workbook read once can be stored in a database, served by an API or kept
        as a file, and evaluates the same."""
        from layanan_rules.model.convert import unstructure_record

        return {
            entity: [unstructure_record(rec.obj) for rec in recs if rec.obj is not None]
            for entity, recs in self.records.items() if recs
        }

    def all_issues(self) -> list[DataIssue]:
        """Dataset-level issues plus every field problem of every record, with its cell."""
        out = list(self.issues)
        for entity, recs in self.records.items():
            for rec in recs:
                for p in rec.problems:
                    out.append(DataIssue(p.reason, p.message, entity, rec.id, rec.where(p.field), p.field))
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, source: str = "<data>",
                  linked: frozenset[str] | None = None) -> Dataset:
        """Build from the plain JSON form: ``{"layanan": [{...}, ...], "unit": [...], ...}``.

        A record may also nest its children under a relation name (``"unit": [{"id": "U1",
        "layanan": [{...}]}]``); they are linked to it by id.

        ``linked``: the entities whose objects get their children (see :meth:`link`); None: all.
        Given (a Dataset its caller evaluates and drops), ``records`` holds only the entities
        the data has.
        """
        if type(data) is not dict and not isinstance(data, Mapping):
            raise DataError(
                f"{source}: data harus berupa objek JSON berkunci nama entitas (layanan, unit, ...) / "
                f"data must be a JSON object keyed by entity name"
            )
        if _plain(data):  # flat records with ids, nothing to note: straight to Records
            ds: Dataset = _new_dataset({name: [] for name in (_ENTITY_NAMES if linked is None else data)})
            with paused_gc() as pause:
                if linked is None:  # a Dataset its caller keeps: every Record as from_records makes it
                    provenance = _provenance()
                    record = _new_record
                    for entity, items in data.items():
                        recs = ds.records[entity]
                        for row, item in enumerate(items, start=1):
                            rid = item["id"]
                            obj, problems = structure_record(entity, item)
                            recs.append(record(entity, obj.id if obj is not None else str(rid), obj,
                                               provenance(source, entity, row, rid if type(rid) is str else str(rid)),
                                               tuple(problems) if problems else (), NO_FIELDS))
                else:  # evaluated and dropped: the same Records, made lazily where nothing may read them
                    present = frozenset(entity for entity, items in data.items() if items)
                    for entity, items in data.items():
                        mode = (_TEXT if entity not in linked  # (a parent read gets their objects at once)
                                else _DEFERRED if not (_children_of(entity) & present or _parents_of(entity) & linked & present)
                                else _EAGER)
                        _json_records(ds.records[entity], entity, items, source, mode)
                ds.link(linked)
                pause.settle = len(ds) >= SETTLE_FROM  # kept by the caller: no young collection walks them
            return ds
        issues: list[DataIssue] = []

        def note(kind: str, message: str, records: int, provenance: Provenance | None) -> None:
            issues.append(DataIssue(kind, message, provenance=provenance, records=records))

        ds = cls.from_records(iter_json_records(data, source=source, note=note), linked=linked)
        ds.issues[:0] = issues
        return ds

    @classmethod
    def from_records(cls, records: Iterable[RawRecord], *, notes: Iterable[str] = (), compact: bool = False,
                     linked: frozenset[str] | None = None) -> Dataset:
        """Structure every raw record and link the relations. Never drops a record. ``compact``
        for a source read in bulk: recurring values shared, about half the memory a record.
        ``linked``: as in :meth:`link`."""
        ds = cls(records={name: [] for name in model.ENTITIES}, compact=compact)
        for note in notes:
            ds.issues.append(DataIssue("adapter_note", note))
        with paused_gc() as pause:  # building millions of acyclic objects: see layanan_rules.model.bulk
            for raw in records:
                ds.add(raw)
            ds.link(linked)
            pause.settle = len(ds) >= SETTLE_FROM  # kept by the caller: no young collection walks them
        return ds

    def add(self, raw: RawRecord) -> None:
        data = raw.data
        rid = data.get("id")
        recs = self.records.get(raw.entity)
        if (recs is not None and rid is not None and not raw.issues and "_unmatched" not in data
                and (type(rid) is not str or rid.strip())):  # the common record: nothing to set aside
            obj, problems = structure_record(raw.entity, data, self.compact)
            recs.append(_new_record(raw.entity, obj.id if obj is not None else str(rid), obj, raw.provenance,
                               tuple(problems) if problems else (), raw.fields))
            return
        self._add(raw)

    def _add(self, raw: RawRecord) -> None:
        if raw.entity not in model.ENTITIES:
            hint = difflib.get_close_matches(raw.entity, model.ENTITIES, n=1)
            did = f"; maksud Anda '{hint[0]}'? / did you mean '{hint[0]}'?" if hint else ""
            self.issues.append(
                DataIssue(
                    "unknown_entity",
                    f"entitas '{raw.entity}' tidak dikenal, record diabaikan{did} / "
                    f"unknown entity '{raw.entity}', record ignored",
                    entity=raw.entity,
                    provenance=raw.provenance,
                    records=1,
                )
            )
            return
        data = raw.data
        rid = data.get("id")
        missing_id = rid is None or (type(rid) is str and not rid.strip())
        unmatched = None
        if "_unmatched" in data or missing_id:
            own = dict(data)  # edited here; the record as read stays as it was
            unmatched = own.pop("_unmatched", None)
            if missing_id:
                rid = _synthetic_id(raw)
                own["id"] = rid
            data = own
        problems: list[FieldProblem] = [_from_cell(issue) for issue in raw.issues] if raw.issues else []
        fields = raw.fields
        if raw.issues:  # an issue names its own cell: rules reading that field point there
            fields = {**dict(raw.fields), **{issue.field: issue.provenance for issue in raw.issues}}
        if unmatched:  # one issue per (entity, column) at link time, not one per row
            for header, value in dict(unmatched).items():
                if value not in (None, ""):
                    key = (raw.entity, str(header))
                    first, count = self._unmatched.get(key, (raw.provenance, 0))
                    self._unmatched[key] = (first, count + 1)
        if missing_id:
            problems.append(
                FieldProblem(
                    "id", None, "missing_id",
                    f"record tanpa id; diberi id '{rid}' / record without id; given id '{rid}'",
                )
            )
        obj, more = structure_record(raw.entity, data, self.compact)
        if more:
            problems.extend(more)
        rid = obj.id if obj is not None else str(rid)
        self.records.setdefault(raw.entity, []).append(
            Record(raw.entity, rid, obj, raw.provenance, tuple(problems) if problems else (), fields)
        )

    def link(self, linked: frozenset[str] | None = None) -> None:
        """Fill relation fields (a unit's layanan, pengaduan, ...) from the id links.

        ``linked``: only the objects of these entities get their children (each one a copy of the
        parent): those the rules in force read, with their descendants
        (:func:`layanan_rules.engine.evaluation.entities_read`); a one-record call's unit and
        penyelenggara are then not copied for nothing. Orphans and duplicates are found for all.
        None (the default): every entity, as a Dataset kept by its caller needs."""
        for (entity, header), (first, count) in sorted(self._unmatched.items(), key=lambda kv: kv[0]) if self._unmatched else ():
            near = fieldmap.suggest(entity, header) if entity in model.ENTITIES else None
            hint = ""
            if near is not None:
                label = fieldmap.column(entity, near).label
                hint = f"; maksud Anda / did you mean {label!r} ({near})?"
            self.issues.append(
                DataIssue(
                    "unknown_field",
                    f"kolom '{header}' tidak dikenal; {count} nilai diabaikan (ganti judul kolom, petakan dengan berkas "
                    f"pemetaan, atau hapus) / column '{header}' is unknown; {count} value(s) ignored (rename the "
                    f"column, map it in a mapping file, or remove it){hint}",
                    entity, None, first, header,
                )
            )
        if self._unmatched:
            self._unmatched.clear()
        records = self.records
        present = tuple(entity for entity, recs in records.items() if recs)
        #: entity -> its records by id, when no id is used twice and every record is readable without
        #: being structured (from_json's lazy records): made here, in C, and used as the parents' index
        index: dict[str, dict[str, Record]] = {}
        for entity in present:
            recs = records[entity]
            if len(recs) < 2:  # nothing to be a duplicate of
                continue
            if linked is not None and _RAW_KINDS.issuperset(map(type, recs)):
                by_id = dict(zip(map(_ID, recs), recs))
                if len(by_id) == len(recs):  # no id used twice
                    index[entity] = by_id
                    continue
            elif len(set(map(_ID, recs))) == len(recs):  # no id used twice (found in C)
                continue
            seen: dict[str, Record] = {}
            for rec in recs:
                if rec.id in seen:
                    self.issues.append(
                        DataIssue(
                            "duplicate_id",
                            f"id '{rec.id}' dipakai dua kali di {entity} (juga di {seen[rec.id].provenance}) / "
                            f"id '{rec.id}' used twice in {entity} (also at {seen[rec.id].provenance})",
                            entity, rec.id, rec.provenance,
                        )
                    )
                else:
                    seen[rec.id] = rec
        for child, link, parent, rel in _relations_of(present):  # those with children to link (or find orphaned)
            child_recs = records[child]
            parent_recs = records.get(parent, ())
            if len(child_recs) == 1 and len(parent_recs) == 1:  # a record checked with its parent
                crec, prec = child_recs[0], parent_recs[0]
                target = _link_of(crec, link)
                if target is not None and _readable(prec) and target == prec.id:
                    if self.compact and target is not prec.id:
                        _set(crec.obj, link, prec.id)
                    if linked is None or parent in linked:
                        prec.obj = _replacer(parent, rel)(prec.obj, (crec.obj,))
                    continue
            if len(parent_recs) == 1:  # one parent (a record checked on its own): no index to build
                only = parent_recs[0]
                parents = {only.id: only} if _readable(only) else {}
            elif linked is not None:  # from_json's lazy records among them: readable without structuring
                got = index.get(parent)
                parents = got if got is not None else {r.id: r for r in parent_recs if _readable(r)}
            else:
                parents = {r.id: r for r in parent_recs if r.obj is not None}
            gives = linked is None or parent in linked  # else no object gets children: orphans only
            if not gives and _RAW_KINDS.issuperset(map(type, child_recs)):
                # orphans only, and every link is the text given (or null): when each names a parent
                # given (the usual answer), in C, and nothing to do
                targets = set(map(dict.get, map(_ITEM, child_recs), repeat(link)))
                targets.discard(None)
                targets.discard("")
                if parents.keys() >= targets:
                    continue
            groups: dict[str, list[Any]] = {}
            for rec in child_recs:
                if type(rec) is _TextRecord or type(rec) is _DeferredRecord:
                    target = _link_of(rec, link)
                else:
                    obj = rec.obj
                    target = getattr(obj, link, None) if obj is not None else None
                if target is None:
                    continue
                if target not in parents:
                    self.issues.append(
                        DataIssue(
                            "orphan",
                            f"{child} '{rec.id}': {link} '{target}' tidak ditemukan di {parent} / "
                            f"{child} '{rec.id}': {link} '{target}' not found in {parent}",
                            child, rec.id, rec.provenance,
                        )
                    )
                    continue
                if gives:
                    group = groups.get(target)
                    if group is None:
                        groups[target] = [rec.obj]
                    else:
                        group.append(rec.obj)
            if groups:
                replace = _replacer(parent, rel)
                for pid, children in groups.items():
                    prec = parents[pid]
                    if self.compact:  # the link names its parent with the parent's own id text:
                        own = prec.id  # one string, not one per child
                        for obj in children:
                            if getattr(obj, link) is not own:
                                _set(obj, link, own)
                    prec.obj = replace(prec.obj, tuple(children))


def one_each(data: dict[str, Any], linked: frozenset[str]) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The plain JSON form of a one-record call (``{"layanan": [{...}], "unit": [{...}], ...}``: at
    most one record of each entity in ``linked``, those the rules read; any number of the others,
    the parents it links to) structured and linked without the Dataset, Records and Provenances
    around it: ``(objects, records)``, the model object of each entity in ``linked`` that has a
    record, and the number of records of each entity that has any, in the data's order. None when
    the data is not that plain and clean: more records than that, a record that is not flat, has
    no id, or has anything to report (a field problem, a value read with a reservation, an id used
    twice, a link to a parent not given). :meth:`Dataset.from_json` then reads it as usual, and
    says what it found.

    On data it accepts, the objects are those ``Dataset.from_json(data, linked=linked)`` holds (each
    structured by :func:`structure_record`, linked by :meth:`link`'s rules), and that Dataset has no
    issue and no record problem. A record of an entity not in ``linked`` is structured only to
    find whether it has anything to report, and not at all when every value is text for a text
    field (:func:`~layanan_rules.model.convert.reads_as_text`): nothing reads its object, and
    structuring it could find nothing to report; its id and links are the texts given."""
    objs: dict[str, Any] = {}
    #: entity not in linked -> ``(object or None, record)`` per record: None when not structured
    others: dict[str, list[tuple[Any, dict[str, Any]]]] = {}
    counts: dict[str, int] = {}
    ids_of: dict[str, Any] = {}  # entity not in linked -> the id of its one record, or the set of ids
    for entity in linked.intersection(data):  # a batch (several records read) first: no work spent on it
        items = data[entity]
        if type(items) is list and len(items) > 1:
            return None
    for entity, items in data.items():
        stop = _NOT_FLAT.get(entity)
        if stop is None or type(items) is not list:  # no entity, or not a list of records
            return None
        n = len(items)
        if entity in linked:  # read by the rules: its one record structured
            if n != 1:
                if n:
                    return None
                continue
            item = items[0]
            if not _flat_with_id(item, stop):
                return None
            obj = structure_clean(entity, item)
            if obj is None:
                return None
            objs[entity] = obj
            counts[entity] = 1
            continue
        if not n:
            continue
        rows: list[tuple[Any, dict[str, Any]]] = []
        for item in items:
            if not _flat_with_id(item, stop):
                return None
            if reads_as_text(entity, item):
                rows.append((None, item))
                continue
            obj = structure_clean(entity, item)
            if obj is None:
                return None
            rows.append((obj, item))
        if n == 1:
            obj, item = rows[0]
            ids_of[entity] = obj.id if obj is not None else item["id"]
        else:
            every = ids_of[entity] = {obj.id if obj is not None else item["id"] for obj, item in rows}
            if len(every) != n:
                return None  # an id used twice: the general path says where
        others[entity] = rows
        counts[entity] = n
    for child, link, parent, rel in _relations_of(tuple(counts)):  # as link(): bottom up
        cobj = objs.get(child)
        if cobj is not None:  # the child is read (and so, when the parent is read, the parent too)
            target = getattr(cobj, link, None)
            if target is None:
                continue
            pobj = objs.get(parent)
            if pobj is not None:
                if target != pobj.id:  # an orphan: the general path reports it
                    return None
                if parent in linked:
                    objs[parent] = _replacer(parent, rel)(pobj, (cobj,))
                continue
            targets: Any = (target,)
        elif parent in linked:  # children of an object read, not read themselves: not a closed ``linked``
            return None
        else:  # "" is null for a text
            rows = others[child]
            if len(rows) == 1:
                ((obj, item),) = rows
                targets = (getattr(obj, link, None) if obj is not None else item.get(link) or None,)
            else:
                targets = [getattr(obj, link, None) if obj is not None else item.get(link) or None for obj, item in rows]
        ids: Any = ids_of.get(parent)  # the parent is not read: its ids alone
        for target in targets:
            if target is not None and (target != ids if type(ids) is str else ids is None or target not in ids):
                return None  # an orphan
    return objs, counts


#: the slots of :class:`Record` that :class:`_JsonRecord` fills when first read
_OBJ_SLOT: Any = Record.__dict__["obj"]
_PROVENANCE_SLOT: Any = Record.__dict__["provenance"]
_PROBLEMS_SLOT: Any = Record.__dict__["problems"]


class _JsonRecord(Record):
    """A Record of the plain JSON form that :meth:`Dataset.from_json` reads for a caller that
    evaluates it and drops it (``linked`` given: ``evaluate()``): its Provenance (``source``,
    entity, row, id text: what :meth:`Dataset.from_json` gives) is made when first read, not
    per record. What a caller reads is the Record it would otherwise be, equal to it."""

    __slots__ = ("_key", "_row", "_source")
    _key: str  # the id as text
    _row: int
    _source: str

    @property  # a slot of Record, filled when first read
    def provenance(self) -> Provenance:
        try:
            got: Provenance = _PROVENANCE_SLOT.__get__(self, Record)
        except AttributeError:
            got = _make_provenance(self._source, self.entity, self._row, self._key)
            _PROVENANCE_SLOT.__set__(self, got)
        return got

    @provenance.setter
    def provenance(self, value: Provenance) -> None:
        _PROVENANCE_SLOT.__set__(self, value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return (self.entity, self.id, self.obj, self.provenance, self.problems, self.fields) == (
            other.entity, other.id, other.obj, other.provenance, other.problems, other.fields)

    __hash__ = None  # as Record: mutable, not hashable


class _ItemRecord(_JsonRecord):
    """The layout shared by a deferred record in each of its states (:class:`_DeferredRecord`,
    :class:`_CleanRecord`, :class:`_MadeRecord`): a record turns from one into the next by
    changing its class, so that what it knows is read as plain slots."""

    __slots__ = ("_item",)
    _item: dict[str, Any]


class _DeferredRecord(_ItemRecord):
    """A :class:`_JsonRecord` of an entity the rules read, none of whose children are in the data
    (its object is the structured record itself, nothing is linked into it), not structured yet:
    it is when its object or its problems are first read (it becomes a :class:`_MadeRecord`), or
    by the engine as it evaluates it (:func:`evaluated_object`: a record with nothing to report
    becomes a :class:`_CleanRecord`, its object not kept). A batch's model objects are then never
    all alive at once, and no young collection walks them (``bench/README.md``, "evaluate() of a
    batch"). Its id and links are the texts given (see :func:`_json_records`), so finding orphans
    and duplicates needs no object. Its record dict is kept: the Dataset is its caller's
    (``evaluate()``), and a finding read later structures its record again from it, equal to the
    object the rules read."""

    __slots__ = ()

    @property
    def obj(self) -> Any:
        return _make(self)[0]

    @obj.setter
    def obj(self, value: Any) -> None:
        _made(self).obj = value

    @property
    def problems(self) -> tuple[FieldProblem, ...]:
        return _make(self)[1]

    @problems.setter
    def problems(self, value: tuple[FieldProblem, ...]) -> None:
        _made(self).problems = value


class _CleanRecord(_ItemRecord):
    """A :class:`_DeferredRecord` the engine has evaluated: nothing to report (``problems`` is a
    plain slot), its object structured again, and kept, when first read."""

    __slots__ = ()

    obj = _DeferredRecord.obj  # made and kept when first read, as a deferred record's


class _MadeRecord(_ItemRecord):
    """A deferred record whose object and problems are made and kept: plain slots."""

    __slots__ = ()


def _made(rec: _ItemRecord) -> Record:
    """``rec`` as a :class:`_MadeRecord`, its slots to be set by the caller."""
    rec.__class__ = _MadeRecord
    return rec


def _make(rec: _ItemRecord) -> tuple[Any, tuple[FieldProblem, ...]]:
    """Structure ``rec`` as :func:`_json_records` would have, and keep its object and problems."""
    obj, problems = structure_record(rec.entity, rec._item)
    made = _made(rec)
    made.obj = obj
    got = made.problems = tuple(problems) if problems else ()
    return obj, got


@functools.cache
def evaluated_object(entity: str) -> Callable[[Record], Any]:
    """``evaluated(rec)``: the object of a :class:`_DeferredRecord` of ``entity`` for the engine to
    evaluate now, or None when structuring it has something to report (or is unusual: see
    :func:`~layanan_rules.model.convert.structure_clean`): the engine then reads ``rec.obj`` and
    ``rec.problems``, which structures the record and keeps both, as when read. A record with
    nothing to report becomes a :class:`_CleanRecord`: its object is not kept."""
    clean, clean_cls = clean_structurer(entity), _CleanRecord

    def evaluated(rec: Any) -> Any:
        obj = clean(rec._item)
        if obj is not None:
            rec.__class__ = clean_cls
            rec.problems = ()
        return obj

    return evaluated


#: the class of a record the engine structures as it evaluates it (:func:`evaluated_object`)
DEFERRED_RECORD: type[Record] = _DeferredRecord


class _TextRecord(_JsonRecord):
    """A :class:`_JsonRecord` of an entity no rule reads (not in ``linked``) whose values all read
    as text (:func:`~layanan_rules.model.convert.reads_as_text`): structured when its object is
    first read (nothing reads it while it is evaluated), its id and links the texts given. Its
    record dict is kept until then (the Dataset is its caller's, and dropped)."""

    __slots__ = ("_item",)
    _item: dict[str, Any]

    @property
    def obj(self) -> Any:
        try:
            return _OBJ_SLOT.__get__(self, Record)
        except AttributeError:
            obj = structure_clean(self.entity, self._item)
            if obj is None:  # cannot be, for a record that reads as text: the general path says why
                obj = structure_record(self.entity, self._item)[0]
            _OBJ_SLOT.__set__(self, obj)
            return obj

    @obj.setter
    def obj(self, value: Any) -> None:
        _OBJ_SLOT.__set__(self, value)


#: how :func:`_json_records` makes an entity's Records: structured now; a record that reads as text
#: left to be structured when read (an entity no rule reads); every record whose id and links are
#: text left to be structured when read or evaluated (an entity the rules read, with no children)
_EAGER, _TEXT, _DEFERRED = 0, 1, 2
_TEXT_OR_NULL = frozenset((str, type(None)))


def _json_records(recs: list[Record], entity: str, items: list[dict[str, Any]], source: str, mode: int) -> None:
    """``items`` of ``entity`` as Records appended to ``recs``: each structured (its problems kept),
    its Provenance made when read; ``mode`` :data:`_TEXT` (an entity no rule reads) leaves the
    object of a record that reads as text to be made when read, :data:`_DEFERRED` (an entity the
    rules read whose children are not in the data) that of a record whose id is text and whose
    links are text or null: what structuring gives them (an empty link null), so :meth:`Dataset.link`
    needs no object (:class:`_DeferredRecord`)."""
    new, text, cls, deferred = object.__new__, _TextRecord, _JsonRecord, _DeferredRecord  # no setter runs
    append = recs.append
    lazy = mode == _TEXT
    links = _LINKS_OF[entity] if mode == _DEFERRED else None
    o: Any
    if lazy and _all_text(entity, items):  # each reads as text: its object made when read
        for row, item in enumerate(items, start=1):
            o = new(text)
            o.id = o._key = item["id"]
            o._item = item
            o.problems = ()
            o.entity = entity
            o.fields = NO_FIELDS
            o._row = row
            o._source = source
            append(o)
        return
    for row, item in enumerate(items, start=1):
        rid = item["id"]
        if links is not None and type(rid) is str and (
                _TEXT_OR_NULL.issuperset(map(type, map(item.get, links))) if len(links) != 1
                else type(item.get(links[0])) in _TEXT_OR_NULL):
            o = new(deferred)
            o.id = o._key = rid  # as structured: a text id is kept as given
            o._item = item
        elif lazy and reads_as_text(entity, item):
            o = new(text)
            o.id = o._key = rid  # text, as reads_as_text found
            o._item = item
            o.problems = ()
        else:
            obj, problems = structure_record(entity, item)
            o = new(cls)
            o.id = obj.id if obj is not None else str(rid)
            o.obj = obj
            o._key = rid if type(rid) is str else str(rid)
            o.problems = tuple(problems) if problems else ()
        o.entity = entity
        o.fields = NO_FIELDS
        o._row = row
        o._source = source
        append(o)


def _all_text(entity: str, items: list[dict[str, Any]]) -> bool:
    """Whether every record of ``items`` reads as text (:func:`reads_as_text`) by a few tests over
    all of them in C: keys all text fields, values all text (no null), the entity without
    enumerations. False says nothing: each record is then tested on its own."""
    text, enums = text_fields(entity)
    if enums or not all(map(text.issuperset, items)):
        return False
    try:
        "".join(chain.from_iterable(map(dict.values, items)))
    except TypeError:  # a null or a value that is not text
        return False
    return True


def _link_of(rec: Record, link: str) -> Any:
    """The id ``rec`` links to through ``link`` (None: no link), without structuring a record that
    is not yet (a text record's link is its text, an empty one null: as structured)."""
    if type(rec) is _TextRecord or type(rec) is _DeferredRecord:
        try:
            obj = _OBJ_SLOT.__get__(rec, Record)
        except AttributeError:
            return rec._item.get(link) or None
    else:
        obj = rec.obj
    return getattr(obj, link, None) if obj is not None else None


def _readable(rec: Record) -> bool:
    """Whether ``rec`` has an object (a text record surely has one, made or not)."""
    return type(rec) is _TextRecord or type(rec) is _DeferredRecord or rec.obj is not None


def json_record(entity: str, obj: Any, rid: Any, source: str = "<data>") -> Record:
    """The Record :meth:`Dataset.from_json` makes of the first (only) record of ``entity`` in the
    plain JSON form, structured clean as ``obj`` (from :func:`one_each`); ``rid`` its id as given."""
    rec: Record = _new_record(entity, obj.id, obj,
                              _make_provenance(source, entity, 1, rid if type(rid) is str else str(rid)), (), NO_FIELDS)
    return rec


#: ``Dataset(records)`` with every other field its default, without attrs' ``__init__`` (a
#: one-record call makes one Dataset per request)
_new_dataset: Any = construct.maker(Dataset, ("records",))
#: ``Record(entity, id, obj, provenance, problems, fields)`` without attrs' ``__init__`` (a record
#: read in bulk, or the few of a one-record call)
_new_record: Any = construct.maker(Record, ("entity", "id", "obj", "provenance", "problems", "fields"))
_ENTITY_NAMES = tuple(model.ENTITIES)
_make_provenance: Any = _provenance()


@functools.lru_cache(maxsize=1024)
def _relations_of(present: tuple[str, ...]) -> tuple[tuple[str, str, str, str], ...]:
    """The relations (in :data:`model.RELATIONS`' order: bottom up) whose child entity is among
    ``present``: a one-record call looks at its one or two, not all sixteen."""
    return tuple(r for r in model.RELATIONS if r[0] in present)


#: the Records of :meth:`Dataset.from_json` whose links (and id) are the texts given, read from their
#: record dicts until structured (:func:`_link_of`): as structured, an empty text null
_RAW_KINDS = frozenset((_TextRecord, _DeferredRecord))
_ITEM = operator.attrgetter("_item")
_ID = operator.attrgetter("id")

#: entity -> the entities that are its children (:data:`model.RELATIONS`)
_CHILDREN: dict[str, frozenset[str]] = {
    name: frozenset(child for child, _link, parent, _rel in model.RELATIONS if parent == name) for name in model.ENTITIES}
_children_of = _CHILDREN.__getitem__
#: entity -> the entities that are its parents (:data:`model.RELATIONS`)
_PARENTS: dict[str, frozenset[str]] = {
    name: frozenset(parent for child, _link, parent, _rel in model.RELATIONS if child == name) for name in model.ENTITIES}
_parents_of = _PARENTS.__getitem__
#: entity -> the fields linking it to its parents (:data:`model.RELATIONS`)
_LINKS_OF: dict[str, tuple[str, ...]] = {
    name: tuple(link for child, link, _parent, _rel in model.RELATIONS if child == name) for name in model.ENTITIES}


@functools.cache
def _replacer(entity: str, relation: str) -> Any:
    """``replace(obj, children)``: a copy of an ``entity`` object with its ``relation`` set."""
    return construct.replacer(model.ENTITIES[entity], relation)


def _plain(data: Mapping[str, Any]) -> bool:
    """Whether the plain JSON form holds only entity keys with lists of flat records, each with an
    id and no unrecognised columns: what :meth:`Dataset.from_json` reads without raw records (it
    gives the Records :func:`iter_json_records` and :meth:`Dataset.add` would)."""
    entities = model.ENTITIES
    for entity, items in data.items():
        if entity not in entities or type(items) is not list:
            return False
        # the keys a flat record must not hold (its relations, given as nested children): one
        # test per record, in C (a server's one-record call pays this per request)
        stop = _not_flat(entity)
        if len(items) > 8 and _types(map(type, items)) == _DICT_ONLY and all(map(stop.isdisjoint, items)):
            # many records (a batch): each test over all of them in C, the usual answer in a few passes
            ids: list[Any] = list(map(dict.get, items, repeat("id")))
            if None not in ids:
                try:
                    if all(map(str.strip, ids)):  # every id a text that is not blank
                        continue
                except TypeError:  # an id that is a number: record by record below
                    pass
        for item in items:
            if not _flat_with_id(item, stop):
                return False
    return True


_types = set
_DICT_ONLY = {dict}


def _flat_with_id(item: Any, stop: frozenset[str]) -> bool:
    """Whether ``item`` is a record object with an id (not null, not blank) and flat: none of the
    keys in ``stop`` (its relations, given as nested children) holds a value, and no unrecognised
    columns. The keys are tested in C first (a server's one-record call pays this per request)."""
    if type(item) is not dict:
        return False
    rid = item.get("id")
    if rid is None or (type(rid) is str and not rid.strip()):
        return False
    return stop.isdisjoint(item) or not ("_unmatched" in item or any(item.get(name) is not None for name in stop))


@functools.cache
def _not_flat(entity: str) -> frozenset[str]:
    """The keys that make a record of ``entity`` not flat (see :func:`_plain`): its relation
    fields (when not null) and ``_unmatched``."""
    return frozenset((*_relation_fields(entity), "_unmatched"))


#: entity -> :func:`_not_flat` of it, for every entity (a one-record call looks each up once)
_NOT_FLAT: dict[str, frozenset[str]] = {name: _not_flat(name) for name in model.ENTITIES}

#: sets a slot of a frozen model object; used only to swap a value for an equal one (a link's text
#: for its parent's id), so no reader can tell
_set = object.__setattr__


def _synthetic_id(raw: RawRecord) -> str:
    p = raw.provenance
    if p.row is not None:
        return f"{p.part or raw.entity}!{p.row}"
    return f"{raw.entity}#{p.key or id(raw)}"


def _from_cell(issue: CellIssue) -> FieldProblem:
    return FieldProblem(issue.field, issue.value, getattr(issue, "kind", "malformed_value"), issue.message)
