"""The findings table: one row per (rule, entity) pair, as Apache Arrow columns.

This module owns the table's **contract** (:data:`TABLE_VERSION`, :data:`SCHEMA`): every back end
that evaluates rules (the Python engine here, a SQL back end elsewhere) produces a table of this
schema, and every report format (scores included) is read from it. Change a column and you bump
:data:`TABLE_VERSION` and ``docs/reports.md``.

Why Arrow: the engine already decides one block of states per rule; a block becomes one record
batch whose repeated columns are dictionary-encoded (a rule id or a state is one byte a row) and
whose per-record columns (entity id, unit, penyelenggara, wilayah) are shared, zero-copy, by every
rule of that entity. Group-by (scores), sorting, Parquet and CSV writing run in C++ over it, and
DuckDB, pandas and Polars read it without a copy. Rule metadata (citations, article text, remedy,
sanction, both languages) is not in the table: it lives once per rule in :func:`rules_map`.

Columns (all but ``entity_id`` and ``state`` may be null):

========================  ==========================  ===============================================
column                    type                        meaning
========================  ==========================  ===============================================
rule_id                   dictionary<int32, utf8>     the rule (see :func:`rules_map`)
entity                    dictionary<int32, utf8>     ``layanan``, ``pengaduan``, ``unit``, …
entity_id                 utf8                        the record's id
state                     dictionary<int32, utf8>     ``pass`` ``fail`` ``not_applicable`` ``error`` ``waived``
severity                  dictionary<int32, utf8>     the rule's severity (``critical`` … ``info``)
chapter                   dictionary<int32, utf8>     the rule's chapter key (``bab-v``, a rule file stem)
weight                    float64                     the rule's score weight
unit_id                   dictionary<int32, utf8>     the unit the record rolls up to
penyelenggara_id          dictionary<int32, utf8>     the provider the record rolls up to
wilayah                   dictionary<int32, utf8>     the provider's region
reason                    dictionary<int32, utf8>     why an ``error`` (missing_field, …)
message                   utf8                        the error's text (personal values masked)
evidence                  utf8 (JSON object)          values the rule read; problems only unless ``evidence="all"``
provenance                utf8 (JSON object)          where the record (or cell) came from; same rows as evidence
attested                  bool                        a person, not the data, decided the state
waiver_status             dictionary<int32, utf8>     ``active`` (the finding is waived) or ``expired``
waiver                    utf8 (JSON object)          the waiver that matched
attestation               utf8 (JSON object)          the attestation that decided the state
========================  ==========================  ===============================================

A "problem" row (evidence and provenance kept by default) is one whose state is ``fail``,
``error`` or ``waived``, or that is attested or carries an expired waiver. A pass resting on a date known
only by its month or year keeps its evidence too, which says so.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as _dt
import functools
import json
import operator
import weakref
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from layanan_rules.engine.states import State, States
from layanan_rules.expr.errors import CelError
from layanan_rules.model import bulk
from layanan_rules.report.evidence import (
    _ENTITY_CLASSES,
    _NO_VALUE,
    _evidence_plan,
    _jsonable,
    evidence_of,
    is_personal_path,
    mask_evidence,
    personal_evidence,
    precision_noted,
    reads_qualified,
    rule_texts,
)
from layanan_rules.rules.ruleset import leaf_reads

if TYPE_CHECKING:
    from layanan_rules.rules.ruleset import Rule

#: a :class:`layanan_rules.report.findings.Report` (which builds its table through this module,
#: so this module does not import it back)
Report = Any

#: Version of the findings table's contract (columns, types, meaning). Major bumps break readers.
TABLE_VERSION = "1.0"

_DICT = pa.dictionary(pa.int32(), pa.string())

SCHEMA = pa.schema([
    pa.field("rule_id", _DICT, nullable=False),
    pa.field("entity", _DICT, nullable=False),
    pa.field("entity_id", pa.string(), nullable=False),
    pa.field("state", _DICT, nullable=False),
    pa.field("severity", _DICT),
    pa.field("chapter", _DICT),
    pa.field("weight", pa.float64()),
    pa.field("unit_id", _DICT),
    pa.field("penyelenggara_id", _DICT),
    pa.field("wilayah", _DICT),
    pa.field("reason", _DICT),
    pa.field("message", pa.string()),
    pa.field("evidence", pa.string()),
    pa.field("provenance", pa.string()),
    pa.field("attested", pa.bool_()),
    pa.field("waiver_status", _DICT),
    pa.field("waiver", pa.string()),
    pa.field("attestation", pa.string()),
], metadata={b"layanan_rules.table_version": TABLE_VERSION.encode()})

STATES = tuple(s.value for s in State)
PROBLEM_STATES = ("fail", "error", "waived")
EVIDENCE_MODES = ("problems", "all")


def _strings(values: Iterable[str]) -> pa.Array:
    return pa.array(list(values), pa.string())


def _dict_array(indices: Any, dictionary: pa.Array) -> pa.DictionaryArray:
    if not isinstance(indices, pa.Array):
        indices = pa.array(indices, pa.int32())
    return pa.DictionaryArray.from_arrays(indices, dictionary)


def _const(index: int | None, n: int, dictionary: pa.Array) -> pa.DictionaryArray:
    if index is None:
        return pa.nulls(n, _DICT).cast(_DICT) if n else pa.array([], _DICT)
    return _dict_array(pa.repeat(pa.scalar(index, pa.int32()), n), dictionary)


class _Filled:
    """Buffers of one repeated value, shared (sliced, zero-copy) by every batch that needs that value
    over its rows: the all-null columns (most rows have no reason, message, waiver or attestation)
    and the columns that are constant per rule with few distinct values (entity, severity, chapter,
    weight). Without them each batch would hold its own copy: bytes per finding that add up."""

    def __init__(self) -> None:
        self._buffers: dict[tuple[str, Any], pa.Buffer] = {}

    def _buffer(self, kind: str, value: Any, nbytes: int) -> pa.Buffer:
        key = (kind, value)
        buf = self._buffers.get(key)
        if buf is None or buf.size < nbytes:
            size = max(nbytes, 2 * buf.size if buf is not None else 1 << 16)
            if kind == "zero":
                buf = pa.py_buffer(bytes(size))
            else:
                tp = pa.int32() if kind == "int32" else pa.float64()
                buf = pa.repeat(pa.scalar(value, tp), size // tp.byte_width + 1).buffers()[1]
            self._buffers[key] = buf
        return buf.slice(0, nbytes)

    def zeros(self, nbytes: int) -> pa.Buffer:
        return self._buffer("zero", 0, nbytes)

    def null_strings(self, n: int) -> pa.Array:
        return pa.Array.from_buffers(pa.string(), n, [self.zeros((n + 7) // 8), self.zeros(4 * (n + 1)),
                                                      self.zeros(0)], null_count=n)

    def null_dict(self, n: int, dictionary: pa.Array) -> pa.DictionaryArray:
        indices = pa.Array.from_buffers(pa.int32(), n, [self.zeros((n + 7) // 8), self.zeros(4 * n)], null_count=n)
        return pa.DictionaryArray.from_arrays(indices, dictionary)

    def const_dict(self, index: int, n: int, dictionary: pa.Array) -> pa.DictionaryArray:
        data = self.zeros(4 * n) if index == 0 else self._buffer("int32", index, 4 * n)
        return pa.DictionaryArray.from_arrays(pa.Array.from_buffers(pa.int32(), n, [None, data]), dictionary)

    def const_float(self, value: float, n: int) -> pa.Array:
        return pa.Array.from_buffers(pa.float64(), n, [None, self._buffer("float64", value, 8 * n)])

    def false(self, n: int) -> pa.Array:
        return pa.Array.from_buffers(pa.bool_(), n, [None, self.zeros((n + 7) // 8)])


# --- rules: once per rule -----------------------------------------------------------------------------------


def rule_part(rule: Rule, chapter: tuple[str, Any], weight: float) -> dict[str, Any]:
    """One rule's metadata in the report (both languages): what findings used to repeat."""
    return {
        "version": rule.version,
        "entity": rule.entity,
        **rule_texts(rule),
        "chapter": chapter[0],
        "chapter_label": {"id": chapter[1].id, "en": chapter[1].en},
        "weight": weight,
    }


def rules_map(report: Report) -> dict[str, dict[str, Any]]:
    """Rule id -> its metadata, for every rule with findings, in rule order."""
    from layanan_rules.report.scores import chapter_of, severity_weights_of, weight_of

    weights = severity_weights_of(report)
    counts = report.counts_by_rule()
    out: dict[str, dict[str, Any]] = {}
    for rule in _rules_of(report):
        if not sum(counts.get(rule.id, {}).values()):
            continue
        out[rule.id] = rule_part(rule, chapter_of(rule), weight_of(rule, weights))
    return out


def _rules_of(report: Report) -> list[Rule]:
    rules: list[Rule] = report.evaluated_rules()
    return rules


# --- building the table ---------------------------------------------------------------------------------------


@attrs.define
class _Builder:
    """Shared state while one report's table is built: dictionaries and per-record caches."""

    report: Any
    lang: str
    show_personal: bool
    evidence_all: bool
    rules: list[Any]
    rule_index: dict[str, int] = attrs.field(init=False)
    rule_dict: pa.Array = attrs.field(init=False)
    entity_dict: pa.Array = attrs.field(init=False)
    entity_index: dict[str, int] = attrs.field(init=False)
    state_dict: pa.Array = attrs.field(init=False)
    state_by_id: dict[int, int] = attrs.field(init=False)
    severity_dict: pa.Array = attrs.field(init=False)
    severity_index: dict[str, int] = attrs.field(init=False)
    chapter_dict: pa.Array = attrs.field(init=False)
    chapter_index: dict[str, int] = attrs.field(init=False)
    per_rule: dict[int, tuple[int, int, int, float]] = attrs.field(init=False)
    reason_dict: pa.Array = attrs.field(init=False)
    waiver_dict: pa.Array = attrs.field(init=False)
    hierarchy: Any = attrs.field(init=False)
    unit_index: dict[str, int] = attrs.field(init=False, factory=dict)
    pen_index: dict[str, int] = attrs.field(init=False, factory=dict)
    wil_index: dict[str, int] = attrs.field(init=False, factory=dict)
    placed: dict[Any, tuple[Any, Any, Any, Any]] = attrs.field(init=False, factory=dict)
    personal: tuple[str, ...] = attrs.field(init=False)
    prov_cache: dict[int, tuple[Any, str]] = attrs.field(init=False, factory=dict)
    keep: list[Any] = attrs.field(init=False, factory=list)
    ev_plans: dict[int, tuple[Any, ...]] = attrs.field(init=False, factory=dict)
    #: per rule, for evidence_texts: its column plan (None: row by row) and the names it shows
    column_plans: dict[int, tuple[tuple[Any, ...] | None, frozenset[str]]] = attrs.field(init=False, factory=dict)
    #: per rule, for :meth:`small_rows`: (rule, entity, severity, chapter codes, weight, reads a qualified date)
    small_plans: dict[int, tuple[int, int, int, int, float, bool]] = attrs.field(init=False, factory=dict)
    #: a small report's rows as tuples in :data:`SCHEMA` order (:meth:`small_rows`, :meth:`finish_small`)
    small: list[tuple[Any, ...]] = attrs.field(init=False, factory=list)
    filled: _Filled = attrs.field(init=False, factory=_Filled)
    #: a computed explanation's text by (call label, id of the shared explanation, as printed text): made once
    explained_texts: dict[tuple[str, int, bool], tuple[Any, str]] = attrs.field(init=False, factory=dict)
    reason_index: dict[str, int] = attrs.field(init=False)
    personal_labels: dict[tuple[str, str], bool] = attrs.field(init=False, factory=dict)
    context: Any = attrs.field(init=False, default=None)
    mask: str = attrs.field(init=False)
    encode: Any = attrs.field(init=False)
    encode_value: Any = attrs.field(init=False)
    mask_text: str = attrs.field(init=False)
    #: state indices whose evidence shows what the rule computed (failed, erroneous, waived)
    explained: frozenset[int] = attrs.field(init=False)
    passed: int = attrs.field(init=False)
    not_applicable: int = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        tables = _rule_tables(self.report, self.rules)
        for name, value in tables.items():
            if name != "plans":
                setattr(self, name, value)
        # the evidence plans depend on the rule, the ruleset and show_personal alone: shared by
        # every report of the same ruleset and rules (a server makes them once, not per request)
        self.ev_plans, self.column_plans, self.small_plans = tables["plans"][bool(self.show_personal)]
        self.not_applicable = self.state_by_id[id(State.not_applicable)]
        self.hierarchy = self.report.hierarchy()
        self.personal = self.report.personal_fields()
        self.context = (self.report.ruleset.params if self.report.ruleset is not None else None, self.report.as_of)
        from layanan_rules.report.evidence import _MASK

        self.mask = _MASK.get(self.lang, _MASK["id"])
        self.encode = _encoder()
        self.encode_value = _encoder()
        self.mask_text = _encode_str(self.mask)

    def _index(self, table: dict[str, int], key: str | None) -> int | None:
        if key is None:
            return None
        i = table.get(key)
        if i is None:
            i = table[key] = len(table)
        return i

    def placement(self, records: Any, lists: bool = False) -> tuple[Any, Any, Any, Any]:
        """(entity_id, unit index, penyelenggara index, wilayah index) arrays (with ``lists``: Python
        lists), once per records snapshot."""
        key = id(records) if not lists else (id(records), "lists")
        got = self.placed.get(key)
        if got is not None:
            return got
        h = self.hierarchy
        ids, units, pens, wils = [], [], [], []
        for rec in records:
            ent, ident = rec.entity, rec.id
            uid = h.unit_of(ent, ident)
            pid = h.penyelenggara_of(ent, ident)
            ids.append(ident)
            units.append(self._index(self.unit_index, uid))
            pens.append(self._index(self.pen_index, pid))
            wils.append(self._index(self.wil_index, h.wilayah_of(pid)))
        got = ((ids, units, pens, wils) if lists else
               (pa.array(ids, pa.string()), pa.array(units, pa.int32()), pa.array(pens, pa.int32()),
                pa.array(wils, pa.int32())))
        self.placed[key] = got
        self.keep.append(records)  # id() stays valid while the snapshot lives
        return got

    def evidence_json(self, rule: Any, record: Any, explain: bool = False) -> str:
        """The rule's read values on the record as JSON; personal ones masked unless asked. With
        ``explain`` (a finding a person acts on: failed, erroneous, waived) also what the rule's
        deadline calls computed (:mod:`layanan_rules.report.computed`).

        What :func:`~layanan_rules.report.evidence.evidence_of` and the masking decide per rule
        (the read paths, which are personal, which may carry a date's precision) is decided once
        per rule here (:meth:`_plan`); per row only the values are read and encoded."""
        plan = self.ev_plans.get(id(rule))
        if plan is None:
            plan = self._plan(rule, record.entity)
        paths, simple, personal, own = plan
        obj = record.obj
        out: dict[str, Any]
        if simple and obj is not None:  # one-step paths, no precision, none under another: as evidence_of
            out = {}
            for key, name in paths:
                value = getattr(obj, name, _NO_VALUE)
                if value is not _NO_VALUE and not (type(value) is tuple and value and type(value[0]) in _ENTITY_CLASSES):
                    out[key] = value
            if own:  # the rule file's own evidence expressions
                given = {record.entity: obj, "param": self.context[0], "as_of": self.context[1]}
                for name, prog, _personal in own:
                    if any(v not in given for v in prog.variables):
                        continue
                    try:
                        out[name] = prog.fn(*(given[v] for v in prog.variables))
                    except CelError as exc:
                        out[name] = f"galat / error: {exc}"
        else:
            out = evidence_of(rule, record, self.context)
        if explain and self.report.ruleset is not None:
            from layanan_rules.report.computed import computed_evidence

            out.update(computed_evidence(rule, obj, self.report.ruleset, self.report.as_of))
        if not out:
            return "{}"
        mask = self.mask
        for k, v in out.items():
            tp = type(v)
            if v is None or tp is str or tp is int or tp is float or tp is bool:
                if k in personal and v is not None:
                    out[k] = mask
            elif tp is _dt.date or tp is _dt.datetime:
                out[k] = mask if k in personal else v.isoformat()
            elif self.show_personal:
                out[k] = _jsonable(v)
            elif k in personal:
                out[k] = mask
            elif tp is dict and not self._personal_key(record.entity, k):
                out[k] = _plain_dict(v, record.entity, k, self)
            else:
                out[k] = mask_evidence(record.entity, {k: v}, self.personal, self.lang)[k]
        text: str = self.encode(out)
        return text

    def evidence_texts(self, rule: Any, records: list[Any], explain: list[bool], text: bool = False) -> list[str]:
        """:meth:`evidence_json` of many records of one rule, the same text, made a column at a time:
        each read path's values are fetched and encoded over all records (one type test and one
        encoding per value, no dict per row), then each row's pieces joined; a date known only by
        its month or year adds its precision and a note, as in
        :func:`~layanan_rules.report.evidence.evidence_of`. A rule whose names collide goes row by row.

        With ``text``: :func:`evidence_text` of those texts (``key = value; ...``, what the csv and
        xlsx formats print), made from the same pieces, no JSON object made and read back; a row
        whose keys may repeat (which reading the JSON back would merge) is made as JSON and read back."""
        if not records:
            return []
        cplan = self._column_plan(rule, records[0].entity)
        if cplan is None:
            return [self._evidence_json(rule, rec, x, text) for rec, x in zip(records, explain)]
        paths, own, qualified = cplan
        entity = records[0].entity
        personal = self.ev_plans[id(rule)][2]
        objs = [rec.obj for rec in records]
        value_text = self._value_text
        no_value = _NO_VALUE
        columns: list[tuple[str, Any, str, list[Any]]] = []
        raw: dict[str, list[Any]] = {}
        for key, parts, deeper, prefix in paths:
            if text:
                prefix = key + " = "
            if len(parts) == 1:
                values = [getattr(o, parts[0], no_value) for o in objs]
            else:
                values = [_walk(o, parts) for o in objs]
            raw[key] = values
            columns.append((key, deeper, prefix, values))
        texts: list[list[Any]] = []
        gaps = False  # whether a column has a row without its text (None): joined without those
        for key, deeper, prefix, values in columns:
            hide = [raw[d] for d in deeper]
            if not hide:
                fast = _masked_column(prefix, values, self.mask_text) if key in personal else _plain_column(prefix, values)
                if fast is not None:
                    texts.append(fast[0])
                    gaps = gaps or fast[1]
                    continue
            gaps = True
            col: list[str | None] = []
            for i, v in enumerate(values):
                if v is no_value or (type(v) is tuple and v and type(v[0]) in _ENTITY_CLASSES):
                    col.append(None)
                elif hide and v is not None and any(h[i] is not no_value and not (
                        type(h[i]) is tuple and h[i] and type(h[i][0]) in _ENTITY_CLASSES) for h in hide):
                    col.append(None)  # only the deepest paths are shown
                else:
                    col.append(prefix + value_text(entity, key, v, personal))
            texts.append(col)
        fallback: set[int] = set()
        precise: list[str | None] | None = None
        if qualified:  # a date known only by its month or year brings its precision and a note (evidence_of)
            precise = self._precision_column(entity, qualified, raw, objs, personal, fallback, text)
            texts.append(precise)
            gaps = True
        if own:
            given = {entity: None, "param": self.context[0], "as_of": self.context[1]}
            for name, prog, prefix in own:
                if text:
                    prefix = name + " = "
                col = []
                for o in objs:
                    given[entity] = o
                    try:
                        v = prog.fn(*(given[v] for v in prog.variables))
                    except CelError as exc:
                        v = f"galat / error: {exc}"
                    col.append(prefix + value_text(entity, name, v, personal))
                texts.append(col)
        if not texts:
            out = ["" if text else "{}"] * len(records)
        elif not gaps:  # every row has every column's text: joined as they are
            out = list(map("; ".join, zip(*texts))) if text else ["{" + j + "}" for j in map(", ".join, zip(*texts))]
        elif text:
            out = ["; ".join([p for p in row if p is not None]) for row in zip(*texts)]
        else:
            out = ["{" + ", ".join([p for p in row if p is not None]) + "}" for row in zip(*texts)]
        ruleset = self.report.ruleset
        if any(explain) and ruleset is not None and _explains(rule, ruleset):
            from layanan_rules.report.computed import explainer

            explain_one = explainer(rule, ruleset, self.report.as_of)
            names = self._column_names(rule)
            encode_key = _text_key if text else _encode_key
            made = self.explained_texts  # (label, id(explanation), text) -> (explanation, its text): shared ones
            for i, x in enumerate(explain):
                if not x or i in fallback:
                    continue
                got = explain_one(objs[i])
                if not got:
                    continue
                if not names.isdisjoint(got) or (text and precise is not None and precise[i] is not None):
                    # a call named like a read path (or maybe like a precision's key): as a dict would merge it
                    out[i] = self._evidence_json(rule, records[i], True, text)
                    continue
                parts = []
                for k, v in got.items():
                    known = made.get((k, id(v), text))
                    if known is None or known[0] is not v:
                        if len(made) >= 8_192:
                            made.clear()
                        known = made[(k, id(v), text)] = (v, encode_key(k) + value_text(entity, k, v, personal))
                    parts.append(known[1])
                if text:
                    more = "; ".join(parts)
                    out[i] = out[i] + "; " + more if out[i] else more
                else:
                    more = ", ".join(parts)
                    out[i] = "{" + more + "}" if out[i] == "{}" else out[i][:-1] + ", " + more + "}"
        for i in fallback:  # a precision named like another key: as a dict would merge it
            out[i] = self._evidence_json(rule, records[i], explain[i], text)
        return out

    def _evidence_json(self, rule: Any, record: Any, explain: bool, text: bool) -> str:
        """:meth:`evidence_json`, or with ``text`` its :func:`evidence_text`."""
        made = self.evidence_json(rule, record, explain)
        return evidence_text(made) if text else made

    def _precision_column(self, entity: str, qualified: tuple[Any, ...], raw: dict[str, list[Any]], objs: list[Any],
                          personal: frozenset[str], fallback: set[int], text: bool = False) -> list[str | None]:
        """Per row, the text of what :func:`~layanan_rules.report.evidence.evidence_of` adds for a date
        known only by its month or year (its precision and a note), or None; rows whose added keys
        collide with another name go to ``fallback`` (made row by row)."""
        from layanan_rules.report.evidence import _precision_note, _qualifier

        value_text = self._value_text
        out: list[str | None] = [None] * len(objs)
        for i, obj in enumerate(objs):
            extra: dict[str, Any] = {}
            for key, parts, taken in qualified:
                v = raw[key][i]
                if v is _NO_VALUE or v is None or (type(v) is tuple and v and type(v[0]) in _ENTITY_CLASSES):
                    continue
                parent = obj if len(parts) == 1 else _walk(obj, parts[:-1])
                qualifier = _qualifier(type(parent), parts[-1])
                precision = getattr(parent, qualifier, None) if qualifier is not None else None
                if precision is None:
                    continue
                name = key.rpartition(".")[0] + "." + qualifier if "." in key else str(qualifier)
                note = f"{key}:catatan"
                if name in taken or note in taken or name in extra or note in extra:
                    fallback.add(i)
                    break
                extra[name] = precision
                extra[note] = _precision_note(key, v, getattr(precision, "value", precision))
            if extra and i not in fallback:
                out[i] = ("; " if text else ", ").join(
                    [(_text_key(k) if text else _encode_key(k)) + value_text(entity, k, v, personal)
                     for k, v in extra.items()])
        return out

    def _column_plan(self, rule: Any, entity: str) -> tuple[Any, ...] | None:
        """Per rule, for :meth:`evidence_texts`: (read paths with the paths under them and their key
        text, own evidence expressions that can run here with their key text), or None when the rule
        must go row by row (it reads a date with a precision, or two of its names are the same)."""
        known = self.column_plans.get(id(rule))
        if known is not None:
            return known[0]
        from layanan_rules.report.evidence import _qualified

        plan = _evidence_plan(rule, entity)
        qualified = _qualified()
        given = {entity, "param", "as_of"}
        own = tuple((name, prog, _encode_key(name)) for name, prog, _p in rule.evidence
                    if all(v in given for v in prog.variables))
        names = [k for k, _p, _d in plan] + [name for name, _prog, _k in own]
        taken = frozenset(names)
        dated = tuple((k, parts, taken) for k, parts, _d in plan if parts[-1] in qualified)
        got: tuple[Any, ...] | None = (
            tuple((k, parts, deeper, _encode_key(k)) for k, parts, deeper in plan), own, dated)
        if len(set(names)) != len(names):
            got = None
        self._plan(rule, entity)  # the masking keys (personal), shared with evidence_json
        self.column_plans[id(rule)] = (got, frozenset(names))
        return got

    def _column_names(self, rule: Any) -> frozenset[str]:
        return self.column_plans[id(rule)][1]

    def _value_text(self, entity: str, key: str, v: Any, personal_keys: frozenset[str]) -> str:
        """One evidence value as the JSON text :meth:`evidence_json` writes for it (masked as there)."""
        tp = type(v)
        if v is None:
            return "null"
        personal = key in personal_keys
        if tp is str:
            return self.mask_text if personal else _encode_str(v)
        if tp is bool:
            return self.mask_text if personal else ("true" if v else "false")
        if tp is int:
            return self.mask_text if personal else int.__repr__(v)
        if tp is _dt.datetime or tp is _dt.date:
            return self.mask_text if personal else '"' + v.isoformat() + '"'
        encode: Any = self.encode_value
        if tp is float:
            return self.mask_text if personal else str(encode(v))
        if self.show_personal:
            return str(encode(_jsonable(v)))
        if personal:
            return self.mask_text
        if tp is dict and not self._personal_key(entity, key):
            return str(encode(_plain_dict(v, entity, key, self)))
        return str(encode(mask_evidence(entity, {key: v}, self.personal, self.lang)[key]))

    def _plan(self, rule: Any, entity: str) -> tuple[Any, ...]:
        """Per rule: its read paths, whether they are all one step with no precision and none
        under another (then read inline), the keys to mask, and its own evidence expressions."""
        from layanan_rules.report.evidence import _qualified

        plan = _evidence_plan(rule, entity)
        qualified = _qualified()
        simple = all(len(parts) == 1 and not deeper and parts[-1] not in qualified for _k, parts, deeper in plan)
        personal = frozenset(
            () if self.show_personal else
            (*(k for k, _p, _d in plan if is_personal_path(entity, k, self.personal)), *personal_evidence(rule)))
        got = (tuple((k, parts[0]) for k, parts, _d in plan), simple, personal, tuple(rule.evidence))
        self.ev_plans[id(rule)] = got
        self.keep.append(rule)
        return got

    def _personal_key(self, entity: str, key: str) -> bool:
        got = self.personal_labels.get((entity, key))
        if got is None:
            got = self.personal_labels[(entity, key)] = is_personal_path(entity, key, self.personal)
        return got

    def provenance_json(self, rule: Any, record: Any) -> str:
        p = record.provenance
        if record.fields:
            for field in leaf_reads(rule, record.entity):
                where = record.where(field)
                if where is not p:
                    p = where
                    break
        cache = self.prov_cache
        got = cache.get(id(p))
        if got is None or got[0] is not p:
            if len(cache) >= _PROV_CACHE:  # bounded: one text per record read would grow with the findings
                cache.clear()
            got = cache[id(p)] = (p, self.encode({k: v for k, v in zip(_PROV_FIELDS, _prov_values(p)) if v is not None}))
        return got[1]

    def provenance_texts(self, rule: Any, records: list[Any], text: bool = False) -> list[str]:
        """:meth:`provenance_json` of many records, the same texts, made a field at a time: the
        provenance of a record that names no cell per field is the record's own, whose fields are
        text and numbers; any other goes record by record. With ``text``: their
        :func:`provenance_text` (``source:part:row 6:key L1``, what the csv and xlsx formats print)."""
        if len(records) < _BY_COLUMN or any(rec.fields for rec in records):
            if text:
                return [provenance_text(self.provenance_json(rule, rec)) for rec in records]
            return [self.provenance_json(rule, rec) for rec in records]
        provs = list(map(_prov_values, [rec.provenance for rec in records]))
        simple = _simple_provenance(provs, text)
        if simple is not None:
            return simple
        columns = list(zip(*provs))
        if text:
            return self._provenance_lines(rule, records, columns)
        texts: list[list[str | None]] = []
        enc = _encode_str
        for key, values in zip(_PROV_KEYS, columns):
            kinds = set(map(type, values))
            if kinds <= _NOTHING:
                continue
            if kinds <= _TEXTS:
                texts.append([None if v is None else key + enc(v) for v in values])
            elif kinds <= _WHOLE:
                texts.append([None if v is None else key + int.__repr__(v) for v in values])
            else:  # another kind of value: as the encoder writes it
                return [self.provenance_json(rule, rec) for rec in records]
        if not texts:
            return ["{}"] * len(records)
        if len(texts) == 1:
            return ["{}" if t is None else "{" + t + "}" for t in texts[0]]
        return ["{" + ", ".join([t for t in row if t is not None]) + "}" for row in zip(*texts)]

    def _provenance_lines(self, rule: Any, records: list[Any], columns: list[tuple[Any, ...]]) -> list[str]:
        """:func:`provenance_text` of each record's own provenance (``columns``: its fields' values,
        in :data:`_PROV_FIELDS` order), a field at a time, when every value is text or a whole
        number (what reading the JSON back gives as it was); record by record otherwise."""
        by_name = dict(zip(_PROV_FIELDS, columns))
        parts: list[list[str | None]] = []
        for name, label in _PROV_TEXT[1:]:
            values = by_name[name]
            kinds = set(map(type, values))
            if kinds <= _NOTHING:
                continue
            if kinds <= _TEXTS:
                parts.append([None if v is None else label + v for v in values])
            elif kinds <= _WHOLE:
                parts.append([None if v is None else label + int.__repr__(v) for v in values])
            else:
                return [provenance_text(self.provenance_json(rule, rec)) for rec in records]
        source = by_name["source"]
        if not set(map(type, source)) <= _TEXTS:
            return [provenance_text(self.provenance_json(rule, rec)) for rec in records]
        heads = ["" if v is None else v for v in source]
        if not parts:
            return heads
        return [":".join([h, *[p for p in row if p is not None]]) for h, *row in zip(heads, *parts)]

    def message_text(self, entity: str, message: str | None) -> str | None:
        from layanan_rules.report.evidence import mask_message

        if not message or self.show_personal:
            return message or None
        return mask_message(entity, message, self.personal, self.lang)

    def batch(self, rule: Any, records: Any, states: Any, reasons: dict[int, tuple[Any, Any]],
              extras: list[tuple[Any, Any, Any]] | None = None) -> list[Any]:
        """One rule's rows, evidence and provenance left empty (:class:`Findings` makes them as the
        rows are read). ``extras`` (only for findings that were changed by waivers or
        attestations): per row ``(waiver, waiver_status, attestation)``. A small report's rows are
        made by :meth:`small_rows` instead."""
        n = len(states)
        ri, si, ci, weight = self.per_rule[id(rule)]
        ids, units, pens, wils = self.placement(records)
        if type(states) is States:  # one byte a state already, in State's order (as state_by_id)
            state_idx: Any = pa.Array.from_buffers(pa.int8(), n, [None, pa.py_buffer(states.codes)]).cast(pa.int32())
        else:
            state_by_id = self.state_by_id
            state_idx = list(map(state_by_id.__getitem__, map(id, states)))
        filled = self.filled
        if reasons:
            reason_col, message_col = self.reason_columns(rule, n, reasons)
            reason_arr: Any = _dict_array(pa.array(reason_col, pa.int32()), self.reason_dict)
            message_arr: Any = pa.array(message_col, pa.string())
        else:  # the common block: no row with a reason or message
            reason_arr, message_arr = filled.null_dict(n, self.reason_dict), filled.null_strings(n)
        marks = _marks(extras) if extras is not None else None
        # evidence and provenance are made when the rows are read (Findings._filled)
        ev_arr, pv_arr = filled.null_strings(n), filled.null_strings(n)
        columns = [
            _const(ri, n, self.rule_dict),
            filled.const_dict(self.entity_index[rule.entity], n, self.entity_dict),
            ids,
            _dict_array(state_idx, self.state_dict),
            filled.const_dict(si, n, self.severity_dict),
            filled.const_dict(ci, n, self.chapter_dict),
            filled.const_float(weight, n),
            units, pens, wils,  # indices for now; dictionaries are attached in finish()
            reason_arr,
            message_arr,
            ev_arr,
            pv_arr,
        ]
        if marks is None:
            columns += [filled.false(n), filled.null_dict(n, self.waiver_dict), filled.null_strings(n),
                        filled.null_strings(n)]
        else:
            attested, wstatus, wcol, acol = marks
            columns += [pa.array(attested, pa.bool_()), _dict_array(pa.array(wstatus, pa.int32()), self.waiver_dict),
                        pa.array(wcol, pa.string()), pa.array(acol, pa.string())]
        return columns

    def reason_columns(self, rule: Any, n: int, reasons: dict[int, tuple[Any, Any]]) -> tuple[list[Any], list[Any]]:
        """The reason codes and (masked) messages of ``n`` rows, None where a row has none."""
        reason_col: list[Any] = [None] * n
        message_col: list[Any] = [None] * n
        for i, (reason, message) in reasons.items():
            reason_col[i] = None if reason is None else self.reason_index[reason.value]
            message_col[i] = self.message_text(rule.entity, message)
        return reason_col, message_col

    def small_rows(self, rule: Any, records: Any, states: list[Any], reasons: dict[int, tuple[Any, Any]],
                   extras: list[tuple[Any, Any, Any]] | None = None) -> None:
        """One rule's rows of a small report (:meth:`finish_small`), evidence included, added to
        :attr:`small` as tuples in :data:`SCHEMA` order, with as little work per rule as can be (a
        one-record request has ~50 rules of one row each, most of them quiet)."""
        key = id(rule)
        plan = self.small_plans.get(key)
        if plan is None:
            ri, si, ci, weight = self.per_rule[key]
            plan = self.small_plans[key] = (ri, self.entity_index[rule.entity], si, ci, weight,
                                            reads_qualified(rule, rule.entity))
        ri, ei, si, ci, weight, qualified = plan
        ids, units, pens, wils = self.placement(records, True)
        state_by_id = self.state_by_id
        if len(states) == 1 and not reasons and extras is None:  # one record (a server request): no lists
            state = state_by_id[id(states[0])]
            ev1 = pv1 = None
            if (self.evidence_all or (state != self.passed and state != self.not_applicable)
                    or (qualified and state == self.passed and records[0].obj is not None
                        and precision_noted(rule, records[0]))):
                (ev1,), (pv1,) = self.evidence_rows(rule, records, [state], None)
            self.small.append((ri, ei, ids[0], state, si, ci, weight, units[0], pens[0], wils[0], None, None, ev1, pv1,
                               False, None, None, None))
            return
        state_idx = [state_by_id[id(s)] for s in states]
        n = len(states)
        reason_col: list[Any] | None = None
        message_col: list[Any] | None = None
        if reasons:
            reason_col, message_col = self.reason_columns(rule, n, reasons)
        marked: list[bool] | None = None
        if extras is not None:
            attested, wstatus, wcol, acol = _marks(extras)
            marked = [a or w is not None for a, w in zip(attested, wstatus)]
        passed, not_applicable = self.passed, self.not_applicable
        ev: list[str | None] | None = None
        pv: list[str | None] | None = None
        if (self.evidence_all or (qualified and passed in state_idx) or any(marked or ())
                or any(s != passed and s != not_applicable for s in state_idx)):
            ev, pv = self.evidence_rows(rule, records, state_idx, marked)
        # (else every row is quiet: no evidence, no provenance)
        out = self.small
        for i in range(n):
            out.append((ri, ei, ids[i], state_idx[i], si, ci, weight, units[i], pens[i], wils[i],
                        None if reason_col is None else reason_col[i],
                        None if message_col is None else message_col[i],
                        None if ev is None else ev[i], None if pv is None else pv[i],
                        False if marked is None else attested[i],
                        None if marked is None else wstatus[i],
                        None if marked is None else wcol[i],
                        None if marked is None else acol[i]))

    def evidence_rows(self, rule: Any, records: Any, state_idx: list[int], marked: list[bool] | None,
                      text: bool = False, evidence: bool = True) -> tuple[list[str | None], list[str | None]]:
        """Evidence and provenance texts of these rows of one rule (None where a row keeps none):
        problems (``fail``, ``error``, ``waived``, and rows ``marked`` by an attestation or a
        waiver), or every row when asked; a pass resting on a date known only by its year too.
        With ``text``: as :func:`evidence_text` and :func:`provenance_text` print them. Without
        ``evidence``, the provenance of the problems alone (what the terminal table prints)."""
        n = len(records)
        ev: list[str | None] = [None] * n
        pv: list[str | None] = [None] * n
        quiet = (self.passed, self.not_applicable)
        keep: Any
        if self.evidence_all:
            keep = range(n)
        elif marked is None:
            keep = [i for i, s in enumerate(state_idx) if s not in quiet]
        else:
            keep = [i for i, s in enumerate(state_idx) if s not in quiet or marked[i]]
        explained = self.explained
        shown = [i for i in keep if records[i].obj is not None] if evidence else []
        if len(shown) < _BY_COLUMN:  # a few rows: row by row costs less than setting up the columns
            for i in shown:
                ev[i] = self._evidence_json(rule, records[i], state_idx[i] in explained, text)
        else:
            for i, made in zip(shown, self.evidence_texts(rule, [records[i] for i in shown],
                                                          [state_idx[i] in explained for i in shown], text)):
                ev[i] = made
        for i, made in zip(keep, self.provenance_texts(rule, [records[i] for i in keep], text)):
            pv[i] = made
        provenance_json = self.provenance_json
        if evidence and not self.evidence_all and reads_qualified(rule, rule.entity):
            # a pass resting on a date known only by its year says so (the rest of the passes stay quiet)
            kept = set(keep)
            passes = [i for i in range(n)
                      if i not in kept and records[i].obj is not None and state_idx[i] == self.passed
                      and precision_noted(rule, records[i])]
            for i, made in zip(passes, self.evidence_texts(rule, [records[i] for i in passes], [False] * len(passes))):
                if ':catatan"' in made:
                    ev[i], pv[i] = made, provenance_json(rule, records[i])
                    if text:
                        ev[i], pv[i] = evidence_text(made), provenance_text(pv[i])
        return ev, pv

    def finish(self, parts: list[list[Any]]) -> pa.Table:
        """Attach the place dictionaries (known only once every record was placed) and build the table."""
        unit_dict, pen_dict, wil_dict = _strings(self.unit_index), _strings(self.pen_index), _strings(self.wil_index)
        batches = []
        for cols in parts:
            cols[7] = _dict_array(cols[7], unit_dict)
            cols[8] = _dict_array(cols[8], pen_dict)
            cols[9] = _dict_array(cols[9], wil_dict)
            batches.append(pa.RecordBatch.from_arrays(cols, schema=SCHEMA))
        return pa.Table.from_batches(_merged(batches), schema=SCHEMA)


    def finish_small(self) -> pa.Table:
        """The table of a small report (:data:`~layanan_rules.model.bulk.SMALL_ROWS`) as ONE batch made
        from the rows :meth:`small_rows` collected: one Arrow call per column instead of ~18 per rule
        (a one-record report has ~50). The same table as :meth:`finish` gives
        (``tests/test_findings_table.py`` compares them)."""
        cols = list(zip(*self.small))
        n = len(self.small)
        dictionaries = {0: self.rule_dict, 1: self.entity_dict, 3: self.state_dict, 4: self.severity_dict,
                        5: self.chapter_dict, 7: _strings(self.unit_index), 8: _strings(self.pen_index),
                        9: _strings(self.wil_index), 10: self.reason_dict, 15: self.waiver_dict}
        arrays = [pa.DictionaryArray.from_arrays(_column(col, n, _INT32), dictionaries[i]) if i in dictionaries
                  else _column(col, n, _TYPES[i]) for i, col in enumerate(cols)]
        return pa.Table.from_batches([pa.RecordBatch.from_arrays(arrays, schema=SCHEMA)], schema=SCHEMA)


_TYPES = [f.type for f in SCHEMA]

_INT32 = pa.int32()
_PACKED = {pa.int32(): "i", pa.float64(): "d"}


def _column(values: tuple[Any, ...], n: int, tp: pa.DataType) -> pa.Array:
    """``pa.array(values, tp)``, faster for what a small table's columns mostly are: all null
    (``pa.nulls``), or numbers without a null (packed by :mod:`array`, no conversion per value)."""
    if values.count(None) == n:
        return pa.nulls(n, tp)
    code = _PACKED.get(tp)
    if code is not None and None not in values:
        import array

        return pa.Array.from_buffers(tp, n, [None, pa.py_buffer(array.array(code, values))])
    return pa.array(values, tp)


#: provenance texts kept for reuse (a record's provenance serves each of its rules' problems)
_PROV_CACHE = 131_072

#: from this many rows of a rule on, evidence is made a column at a time (:meth:`_Builder.evidence_texts`);
#: below, row by row (:meth:`_Builder.evidence_json`, the same text): one record's evidence costs
#: half as much that way (a server's one-record request)
_BY_COLUMN = 4

#: ruleset -> (its spec, {rule list: what :func:`_rule_tables` made of it}): a server answers each
#: request with the same few rule lists, whose dictionaries, indices, weights and evidence plans
#: need making once
_RULE_TABLES: weakref.WeakKeyDictionary[Any, tuple[Any, dict[tuple[Any, ...], dict[str, Any]]]] = (
    weakref.WeakKeyDictionary())
#: rule lists kept per ruleset (requests at different as-of dates evaluate the rules in force then)
_RULE_LISTS = 8


def _rule_tables(report: Report, rules: list[Any]) -> dict[str, Any]:
    """The builder's per-rule dictionaries and indices (rule, entity, state, severity, chapter,
    reason, waiver) and each rule's (rule, severity, chapter) codes and weight: they depend on the
    ruleset and the rules evaluated alone, so they are made once per ruleset and rule list."""
    from layanan_rules.engine.states import Reason
    from layanan_rules.report.scores import chapter_of, severity_weights_of, weight_of
    from layanan_rules.rules.rulefile import Severity

    ruleset = report.ruleset
    key = tuple(rules)
    got = _RULE_TABLES.get(ruleset) if ruleset is not None else None
    kept = got[1] if got is not None and got[0] is ruleset.spec else {}
    if key in kept:
        return kept[key]
    rule_index = {r.id: i for i, r in enumerate(rules)}
    entities = sorted({r.entity for r in rules})
    state_by_id = {id(s): i for i, s in enumerate(State)}
    sev = [s.value for s in Severity]
    severity_index = {s: i for i, s in enumerate(sev)}
    weights = severity_weights_of(report)
    chapters: dict[str, int] = {}
    per_rule = {}
    for rule in rules:
        ckey = chapter_of(rule)[0]
        ci = chapters.setdefault(ckey, len(chapters))
        per_rule[id(rule)] = (rule_index[rule.id], severity_index[rule.severity.value], ci, weight_of(rule, weights))
    out = {
        "rule_index": rule_index, "rule_dict": _strings(rule_index),
        "entity_index": {e: i for i, e in enumerate(entities)}, "entity_dict": _strings(entities),
        "state_dict": _strings(STATES), "state_by_id": state_by_id, "passed": state_by_id[id(State.pass_)],
        "explained": frozenset(state_by_id[id(s)] for s in (State.fail, State.error, State.waived)),
        "severity_index": severity_index, "severity_dict": _strings(sev),
        "per_rule": per_rule, "chapter_index": chapters, "chapter_dict": _strings(chapters),
        "reason_dict": _strings(r.value for r in Reason), "reason_index": {r.value: i for i, r in enumerate(Reason)},
        "waiver_dict": _strings(("active", "expired")),
        "plans": {False: ({}, {}, {}), True: ({}, {}, {})},
    }
    if ruleset is not None:
        with contextlib.suppress(TypeError):  # a stand-in ruleset that cannot be weakly referenced: not kept
            if len(kept) >= _RULE_LISTS:
                kept = {}
            kept[key] = out
            _RULE_TABLES[ruleset] = (ruleset.spec, kept)
    return out


#: batches smaller than this are merged (one rule over one record is one row; every Arrow call on a
#: batch costs tens of microseconds, so a one-record report of 50 one-row batches paid it 50 times)
MERGE_BELOW = 1_024


def _merged(batches: list[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Runs of small batches merged into batches of about :data:`MERGE_BELOW` rows; large ones as they are."""
    group: list[pa.RecordBatch] = []
    rows = 0
    for batch in batches:
        if batch.num_rows >= MERGE_BELOW:
            yield from _combined(group)
            group, rows = [], 0
            yield batch
            continue
        group.append(batch)
        rows += batch.num_rows
        if rows >= MERGE_BELOW:
            yield from _combined(group)
            group, rows = [], 0
    yield from _combined(group)


def _combined(group: list[pa.RecordBatch]) -> list[pa.RecordBatch]:
    if len(group) <= 1:
        return group
    table = pa.Table.from_batches(group, schema=SCHEMA).unify_dictionaries().combine_chunks()
    merged: list[pa.RecordBatch] = table.to_batches()
    return merged


def _encoder() -> Any:
    """``json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))`` of a dict, the C encoder
    made once (not once per call, as ``JSONEncoder.encode`` does): the same text, faster."""
    from json import encoder

    enc = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
    make = getattr(encoder, "c_make_encoder", None)
    if make is None:
        return enc.encode
    it = make(None, enc.default, encoder.encode_basestring, None, enc.key_separator, enc.item_separator,
              False, False, True)
    join = "".join

    def encode(obj: dict[str, Any]) -> str:
        return join(it(obj, 0))

    return encode


_encode_str = json.encoder.encode_basestring  # as the encoder writes a str


def _encode_key(key: str) -> str:
    """An evidence key as it starts its member in the encoder's text: ``"key": ``."""
    return f"{_encode_str(key)}: "


def _text_key(key: str) -> str:
    """An evidence key as it starts its item in :func:`evidence_text`: ``key = ``."""
    return key + " = "


def evidence_text(evidence_json: str | None) -> str:
    """``field = value; ...`` from a row's evidence JSON (as the csv and xlsx formats print it)."""
    if not evidence_json or evidence_json == "{}":
        return ""
    ev = json.loads(evidence_json)
    return "; ".join(f"{k} = {_json_value(v)}" for k, v in ev.items())


_encode_other = json.JSONEncoder(ensure_ascii=False).encode


def _json_value(v: Any) -> str:
    """``json.dumps(v, ensure_ascii=False)``, without making an encoder per call."""
    tp = type(v)
    if tp is str:
        return str(_encode_str(v))
    if tp is int:
        return int.__repr__(v)
    return str(_encode_other(v))


def provenance_text(provenance_json: str | None) -> str:
    """``source:part:page 2:row 6:col C:key L1`` from a row's provenance JSON (as the csv and xlsx formats print it)."""
    if not provenance_json:
        return ""
    p = json.loads(provenance_json)
    bits = [str(p.get("source", ""))]
    for k, label in _PROV_TEXT[1:]:
        if p.get(k) is not None:
            bits.append(f"{label}{p[k]}")
    return ":".join(bits)


#: the provenance fields :func:`provenance_text` prints, in its order, each with its label
_PROV_TEXT = (("source", ""), ("part", ""), ("page", "page "), ("row", "row "), ("column", "col "), ("key", "key "))


def _explains(rule: Any, ruleset: Any) -> bool:
    """Whether the rule calls a function whose result its evidence explains (a deadline)."""
    from layanan_rules.report.computed import probes

    return bool(probes(rule, ruleset))


_NONE = type(None)
_NO_VALUE_TYPE = type(_NO_VALUE)
_TEXTS = frozenset({str, _NONE, _NO_VALUE_TYPE})
_TIMES = frozenset({_dt.datetime, _dt.date, _NONE, _NO_VALUE_TYPE})
_FLAGS = frozenset({bool, _NONE, _NO_VALUE_TYPE})
_NUMBERS = frozenset({int, _NONE, _NO_VALUE_TYPE})
_LISTS = frozenset({tuple, _NONE, _NO_VALUE_TYPE})


def _plain_column(prefix: str, values: list[Any]) -> tuple[list[str | None], bool] | None:
    """A column of text, dates or flags that nothing masks, encoded without a call per value (as
    :meth:`_Builder._value_text` would), and whether a row has no value (None there); None for any
    other column."""
    kinds = set(map(type, values))
    no = _NO_VALUE
    gaps = _NO_VALUE_TYPE in kinds
    null = prefix + "null"
    col: list[Any]
    if kinds <= _TEXTS:
        enc = _encode_str
        col = [None if v is no else null if v is None else prefix + enc(v) for v in values]
    elif kinds <= _TIMES:
        col = [None if v is no else null if v is None else f'{prefix}"{v.isoformat()}"' for v in values]
    elif kinds <= _FLAGS:
        yes, nay = prefix + "true", prefix + "false"
        col = [None if v is no else null if v is None else yes if v else nay for v in values]
    elif kinds <= _NUMBERS:
        whole = int.__repr__
        col = [None if v is no else null if v is None else prefix + whole(v) for v in values]
    elif kinds <= _LISTS and all(v is no or v is None or v == () for v in values):  # empty lists ("permohonan": [])
        empty = prefix + "[]"
        col = [None if v is no else null if v is None else empty for v in values]
    else:
        return None
    return col, gaps


def _masked_column(prefix: str, values: list[Any], mask_text: str) -> tuple[list[str | None], bool] | None:
    """A personal column (masked: every value but null is the mask, as :meth:`_Builder._value_text`
    writes it) of values that are no list of records, and whether a row has no value; None for a
    column holding a list."""
    kinds = set(map(type, values))
    if tuple in kinds:  # a list of records is not shown: row by row
        return None
    no = _NO_VALUE
    null, masked = prefix + "null", prefix + mask_text
    return [None if v is no else null if v is None else masked for v in values], _NO_VALUE_TYPE in kinds


def _walk(obj: Any, parts: tuple[str, ...]) -> Any:
    """The value at ``parts`` under ``obj``, as :func:`~layanan_rules.report.evidence.evidence_of` reads
    it: a path through a missing value (or a missing attribute) has no value (``_NO_VALUE``)."""
    for part in parts:
        if obj is None:
            return _NO_VALUE
        obj = getattr(obj, part, _NO_VALUE)
        if obj is _NO_VALUE:
            return obj
    return obj


def _plain_dict(value: dict[Any, Any], entity: str, key: str, b: Any) -> Any:
    """A computed explanation (a dict of dates, numbers and text) as JSON values, as
    :func:`~layanan_rules.report.evidence.mask_evidence` makes it when ``key`` is not personal;
    anything else goes through it."""
    out: dict[str, Any] = {}
    for k, v in value.items():
        tp = type(v)
        if v is None or tp is str or tp is int or tp is float or tp is bool:
            out[str(k)] = v
        elif tp is _dt.date or tp is _dt.datetime:
            out[str(k)] = v.isoformat()
        else:
            return mask_evidence(entity, {key: value}, b.personal, b.lang)[key]
    return out


def _prov_fields() -> tuple[str, ...]:
    from layanan_rules.model.records import Provenance

    return tuple(f.name for f in attrs.fields(Provenance))


_PROV_FIELDS = _prov_fields()
_prov_values = operator.attrgetter(*_PROV_FIELDS)
#: each provenance field's key as the encoder starts its member (``"row": ``)
_PROV_KEYS = tuple(f"{_encode_str(name)}: " for name in _PROV_FIELDS)
_NOTHING = frozenset({_NONE})
assert _PROV_FIELDS == ("source", "part", "row", "column", "key", "page"), _PROV_FIELDS  # as _simple_provenance reads them


def _simple_provenance(values: list[tuple[Any, ...]], text: bool) -> list[str] | None:
    """The provenance texts of records whose provenance is a file's row (source, part and key text,
    row a whole number, no column or page: every record read from JSON or Parquet), as
    :meth:`_Builder.provenance_texts` makes them a field at a time, made a record at a time with
    each distinct (source, part) written once; None when any record's is otherwise."""
    heads: dict[tuple[str, str], str] = {}
    out: list[str] = []
    enc = _encode_str
    whole = int.__repr__
    for source, part, row, column, key, page in values:
        if (column is not None or page is not None or type(source) is not str or type(part) is not str
                or type(row) is not int or type(key) is not str):
            return None
        head = heads.get((source, part))
        if head is None:
            head = heads[(source, part)] = (
                f"{source}:{part}:row " if text else '{"source": ' + enc(source) + ', "part": ' + enc(part) + ', "row": ')
        out.append(head + whole(row) + ":key " + key if text else head + whole(row) + ', "key": ' + enc(key) + "}")
    return out
_WHOLE = frozenset({int, _NONE})


def _marks(extras: list[tuple[Any, Any, Any]]) -> tuple[list[bool], list[int | None], list[str | None],
                                                       list[str | None]]:
    """Per row ``(waiver, waiver_status, attestation)``: the attested, waiver_status (0 active,
    1 expired), waiver and attestation columns."""
    attested = [a is not None for _w, _s, a in extras]
    wstatus = [None if s is None else (0 if s == "active" else 1) for _w, s, _a in extras]
    wcol = [None if w is None else json.dumps(_waiver_dict(w, s), ensure_ascii=False) for w, s, _a in extras]
    acol = [None if a is None else json.dumps(a.to_dict(), ensure_ascii=False) for _w, _s, a in extras]
    return attested, wstatus, wcol, acol


def _waiver_dict(waiver: Any, status: str | None) -> dict[str, Any]:
    from layanan_rules.report.evidence import _jsonable

    w = waiver.to_dict() if hasattr(waiver, "to_dict") else _jsonable(waiver)
    return {**w, "status": status or "active"}


def build(report: Report, *, lang: str = "id", show_personal: bool = False, evidence: str = "problems") -> pa.Table:
    """The findings table of ``report`` (see the module docstring for its columns), all in memory."""
    return findings(report, lang=lang, show_personal=show_personal, evidence=evidence).table()


def findings(report: Report, *, lang: str = "id", show_personal: bool = False, evidence: str = "problems") -> Findings:
    """The findings table of ``report`` as the report formats read it (:class:`Findings`): evidence
    and provenance made a batch at a time as rows are read, never all held at once."""
    if evidence not in EVIDENCE_MODES:
        raise ValueError(f"evidence: one of {', '.join(EVIDENCE_MODES)}, not {evidence!r}")
    rules = _rules_of(report)
    b = _Builder(report, lang, show_personal, evidence == "all", rules)
    parts: list[list[Any]] = []
    sources: list[tuple[Any, Any]] = []
    blocks = report._blocks
    rows = sum(len(bl[2]) for bl in blocks) if blocks is not None else len(report.findings)
    small = 0 < rows <= bulk.SMALL_ROWS  # from Python lists in one batch (finish_small): per-rule Arrow
    # batches cost ~0.3 ms each, which made a one-record server request spend ~20 ms on its table
    if blocks is not None:  # the engine's blocks, as they are
        for rule, records, states, errors in blocks:
            if states:
                if small:
                    b.small_rows(rule, records, states, errors)
                else:
                    parts.append(b.batch(rule, records, states, errors))
                sources.append((rule, records))
    else:  # findings were materialised (waivers, attestations, or set by hand): group runs of a rule
        for rule, group in _runs(report.findings):
            records = [f.record for f in group]
            states = [f.state for f in group]
            reasons = {i: (f.reason, f.message) for i, f in enumerate(group) if f.reason is not None or f.message}
            extras = [(f.waiver, f.waiver_status, f.attestation) for f in group]
            if small:
                b.small_rows(rule, records, states, reasons, extras)
            else:
                parts.append(b.batch(rule, records, states, reasons, extras))
            sources.append((rule, records))
    if small:  # evidence already made: nothing left to make per batch
        return Findings(b.finish_small(), b, sources, complete=True)
    return Findings(b.finish(parts), b, sources)


class Rows:
    """Rows of a :class:`Findings` chosen by index (problems worst first), their evidence made a
    batch at a time as they are read, never all at once."""

    def __init__(self, findings: Findings, indices: Any, evidence: bool = True) -> None:
        self._findings = findings
        self._indices = indices if isinstance(indices, pa.Array) else pa.array(indices, pa.int64())
        self._evidence = evidence

    def without_evidence(self) -> Rows:
        """These rows read with their provenance but no evidence (null): for a format that prints
        only where a record is (the terminal table), half the cost of reading them."""
        return Rows(self._findings, self._indices, evidence=False)

    @property
    def num_rows(self) -> int:
        return len(self._indices)

    def __len__(self) -> int:
        return self.num_rows

    def __getitem__(self, name: str) -> Any:
        """A held column (no evidence) of these rows."""
        return self._findings.held.take(self._indices)[name]

    def iter_batches(self, max_chunksize: int | None = None) -> Iterator[pa.RecordBatch]:
        yield from self._findings.take_batches([self._indices], max_chunksize or 32_768, evidence=self._evidence)

    def take(self, indices: Any) -> pa.Table:
        return self._findings.take(pc.take(self._indices, indices))

    def take_batches(self, parts: Iterable[Any], size: int, text: bool = False) -> Iterator[pa.RecordBatch]:
        """:meth:`Findings.take_batches` of these rows."""
        yield from self._findings.take_batches((pc.take(self._indices, p) for p in parts), size, text,
                                               evidence=self._evidence)

    def slice(self, offset: int, length: int | None = None) -> Rows:
        return Rows(self._findings, self._indices.slice(offset, length), self._evidence)


_EVIDENCE_AT = SCHEMA.get_field_index("evidence")
#: rows whose evidence is made (and held as Python text) at a time, whatever a writer's batch size
EVIDENCE_ROWS = 8_192
_WEIGHT_AT = SCHEMA.get_field_index("weight")
_ATTESTED_AT = SCHEMA.get_field_index("attested")
_WAIVER_STATUS_AT = SCHEMA.get_field_index("waiver_status")
_PROVENANCE_AT = SCHEMA.get_field_index("provenance")


#: rows per bucket (as a shift) of :meth:`Findings._taken`'s chunk lookup
_BUCKET = 10


class Findings:
    """The findings table with its evidence and provenance columns made as rows are read.

    Every other column is held (tens of bytes a finding); the evidence and provenance of a
    province's 800,000 problems would be hundreds of megabytes more, so each batch a writer reads
    (:meth:`to_batches`, :meth:`take`, :meth:`filter`) gets them then, from the records the engine
    evaluated, and lets them go with the batch. Reading them costs what building them did; memory
    stays that of one batch. Columns read whole (``findings["state"]``) come from the held part;
    :meth:`table` is the whole ``pyarrow.Table`` (what :meth:`Report.to_arrow` returns)."""

    def __init__(self, lean: pa.Table, builder: _Builder, sources: list[tuple[Any, Any]], *,
                 complete: bool = False) -> None:
        self._lean = lean
        self._complete = complete  # a small table whose evidence was made with it
        self._b = builder
        self._rules = [rule for rule, _records in sources]
        self._records = [records for _rule, records in sources]
        self._starts: list[int] = []
        at = 0
        for records in self._records:
            self._starts.append(at)
            at += len(records)
        qualified = [r.id for r in self._rules if reads_qualified(r, r.entity)]
        self._qualified = pa.array(sorted(set(qualified)), pa.string()) if qualified else None
        self._state_of = {name: i for i, name in enumerate(STATES)}
        self._chunk_starts: list[int] | None = None
        self._chunk_batches: list[pa.RecordBatch] = []
        self._bucket_chunk: Any = None
        self._next_start: Any = None
        self._block_bucket: Any = None  # record_rows' lookup: per _BUCKET rows, the block its first row falls in
        self._block_next: Any = None
        self._block_start: Any = None
        self._block_list: Any = None  # per block, the first block over the same list of records

    def rule_ids(self) -> tuple[str, ...]:
        """The ids of the rules with rows, in row order, once per run of a rule's rows: together
        they decide :func:`rules_map` (the rules with findings, in evaluation order)."""
        return tuple([rule.id for rule in self._rules])

    def plain_columns(self, names: Iterable[str]) -> tuple[dict[str, tuple[list[Any], list[Any]]], list[Any],
                                                          list[int], list[int]] | None:
        """For a small table made from Python rows (:meth:`_Builder.small_rows`), what scores group
        by, as Python lists without a trip through Arrow: per dictionary column in ``names`` (its
        codes, the value of each code), then the weights, and 1 or 0 per row for attested and for
        an expired waiver. None for any other table."""
        b = self._b
        if not self._complete or not b.small:
            return None
        rows = b.small
        words = {"rule_id": list(b.rule_index), "entity": list(b.entity_index), "state": list(STATES),
                 "severity": list(b.severity_index), "chapter": list(b.chapter_index),
                 "unit_id": list(b.unit_index), "penyelenggara_id": list(b.pen_index), "wilayah": list(b.wil_index),
                 "reason": list(b.reason_index), "waiver_status": ["active", "expired"]}
        out = {}
        for name in names:
            at = SCHEMA.get_field_index(name)
            out[name] = ([row[at] for row in rows], words[name])
        attested = [1 if row[_ATTESTED_AT] else 0 for row in rows]
        expired = [1 if row[_WAIVER_STATUS_AT] == 1 else 0 for row in rows]  # (0 active, 1 expired)
        return out, [row[_WEIGHT_AT] for row in rows], attested, expired

    @property
    def held(self) -> pa.Table:
        """The held columns as a ``pyarrow.Table`` (evidence and provenance empty): to choose rows by."""
        return self._lean

    def rows(self, indices: Any) -> Rows:
        """The rows at ``indices`` (any order), read a batch at a time like the whole table."""
        return Rows(self, indices)

    # what pyarrow.Table readers use
    @property
    def schema(self) -> pa.Schema:
        return self._lean.schema

    @property
    def num_rows(self) -> int:
        return int(self._lean.num_rows)

    def __len__(self) -> int:
        return self.num_rows

    @property
    def column_names(self) -> list[str]:
        return list(self._lean.column_names)

    def column(self, name: str | int) -> Any:
        if name in ("evidence", "provenance", _EVIDENCE_AT, _PROVENANCE_AT):
            return self.table().column(name)
        return self._lean.column(name)

    def __getitem__(self, name: str | int) -> Any:
        return self.column(name)

    def to_batches(self, max_chunksize: int | None = None) -> list[pa.RecordBatch]:
        return list(self.iter_batches(max_chunksize))

    def iter_batches(self, max_chunksize: int | None = None) -> Iterator[pa.RecordBatch]:
        """The rows in order, a batch at a time, evidence and provenance made per batch."""
        def jobs() -> Iterator[Any]:
            at = 0
            for batch in self._lean.to_batches(max_chunksize=max_chunksize):
                yield functools.partial(_job, batch, range(at, at + len(batch)))
                at += len(batch)

        yield from self._fill_all(jobs())

    def take_batches(self, parts: Iterable[Any], size: int, text: bool = False,
                     evidence: bool = True, helper: bool = True) -> Iterator[pa.RecordBatch]:
        """The rows at each index array of ``parts`` in turn, ``size`` rows a batch at most (what
        :meth:`take` gives for each slice), evidence made a batch at a time (see :meth:`_fill_all`;
        without ``helper``, in this process alone).

        With ``text``, the evidence and provenance columns hold what the csv and xlsx formats print
        (:func:`evidence_text` and :func:`provenance_text` of the JSON, "" where there is none), made
        so directly, and each batch says so in its schema's metadata (:func:`text_evidence`)."""
        def jobs() -> Iterator[Any]:
            for indices in parts:
                for start in range(0, len(indices), size):
                    yield functools.partial(self._lean_taken, indices[start:start + size])

        for batch in self._fill_all(jobs(), text, evidence, helper):
            if batch.num_rows:
                yield batch

    # --- where rows come from: a rule's block of rows over one list of records ---------------------------

    @property
    def made_whole(self) -> bool:
        """Whether the table was made with its evidence (a small table: :meth:`_Builder.finish_small`)."""
        return self._complete

    @property
    def blocks(self) -> int:
        """How many blocks the table's rows are in (:meth:`block`)."""
        return len(self._starts)

    def block(self, k: int) -> pa.Table:
        """The held rows of block ``k`` (a rule's rows over its list of records, blocks numbered in
        table order), zero-copy: one row per record of the list, in the list's order."""
        return self._lean.slice(self._starts[k], len(self._records[k]))

    def record_rows(self, rows: pa.Array) -> tuple[pa.Array, pa.Array, int] | None:
        """For rows of the table (int64, any order), when every one of them is a finding on one and
        the same list of records (one entity's, as the engine evaluated them): per row the block it
        falls in (:meth:`block`) and its place in that list, and the first block over the list (whose
        per-record columns, ``entity_id`` and the unit, penyelenggara and wilayah, are every such
        block's: made once per list, :meth:`_Builder.placement`). None otherwise."""
        if self._block_next is None:
            starts, total = self._starts, self.num_rows
            self._block_bucket = pa.array([max(bisect.bisect_right(starts, b << _BUCKET) - 1, 0)
                                           for b in range((total >> _BUCKET) + 1)], pa.int32())
            self._block_next = pa.array(starts[1:] + [total], pa.int64())
            self._block_start = pa.array(starts, pa.int64())
            first: dict[int, int] = {}
            self._block_list = pa.array([first.setdefault(id(records), k) for k, records in enumerate(self._records)],
                                        pa.int32())
        if len(rows) == 0 or not self._starts:
            return None
        if rows.type != pa.int64():
            rows = rows.cast(pa.int64())
        block = pc.take(self._block_bucket, pc.shift_right(rows, _BUCKET))
        while True:  # a bucket's first block, moved on past every block that ends before the row
            ahead = pc.greater_equal(rows, pc.take(self._block_next, block))
            if not pc.any(ahead).as_py():
                break
            block = pc.add(block, pc.cast(ahead, pa.int32()))
        low, high = (v.as_py() for v in pc.min_max(pc.take(self._block_list, block)).values())
        if low != high:
            return None
        return block, pc.subtract(rows, pc.take(self._block_start, block)), low

    def _lean_taken(self, indices: Any) -> tuple[pa.RecordBatch, Any]:
        """The held rows at ``indices`` as one batch, and their row numbers as an int64 array (a job
        of :meth:`_fill_all`; no Python int per row: a csv takes every row of the table this way)."""
        rows = indices if isinstance(indices, pa.Array) else pa.array(list(indices), pa.int64())
        if rows.type != pa.int64():
            rows = rows.cast(pa.int64())
        if len(rows) == 0:
            return _empty_batch(self.schema), rows
        part = self._taken(rows)
        return part.combine_chunks().to_batches()[0] if part.num_rows else _empty_batch(self.schema), rows

    def _fill_all(self, jobs: Iterator[Any], text: bool = False, evidence: bool = True,
                  helper: bool = True) -> Iterator[pa.RecordBatch]:
        """Each job's batch (``job()`` gives a held batch and its row numbers) with its evidence and
        provenance, in order. When :mod:`~layanan_rules.report.sidecar` allows, made in two
        processes: the evidence of about half the batches in a forked helper (only the two text
        columns cross the pipe; the batch itself is taken here)."""
        from layanan_rules.report import sidecar

        if text and self._complete:  # a small table: its JSON evidence read back
            for job in jobs:
                yield _as_text(job()[0])
            return
        if self._complete or not helper or not sidecar.usable(self.num_rows, self._record_count()):
            for job in jobs:
                batch, rows = job()
                if text:
                    yield _text_attached(batch, self._evidence_columns(batch, rows, text, evidence))
                else:
                    yield self._filled(batch, rows, evidence)
            return
        for job, made in sidecar.in_order(jobs, lambda job: self._evidence_columns(job[0], job[1], text, evidence)):
            batch = job()[0]
            if text:
                yield _text_attached(batch, made)
            else:
                yield batch if made is None else self._attached(batch, made.column(0), made.column(1))

    def _record_count(self) -> int:
        """How many records the table's rows come from (each records snapshot once)."""
        seen: dict[int, int] = {}
        for records in self._records:
            seen[id(records)] = len(records)
        return sum(seen.values())

    def take(self, indices: Any) -> pa.Table:
        """The rows at ``indices`` (a whole table: pass a batch's worth)."""
        rows = indices.to_pylist() if hasattr(indices, "to_pylist") else list(indices)
        if rows:  # taken chunk by chunk: Arrow's take joins the chunks it is given first, and the
            # rows of a batch in worst-first order span most of the table (millions of rows)
            part = self._taken(pa.array(rows, pa.int64()))
        else:
            part = self._lean.take(indices).combine_chunks()
        out, at = [], 0
        for batch in part.to_batches():
            out.append(self._filled(batch, rows[at:at + len(batch)]))
            at += len(batch)
        return pa.Table.from_batches(out, schema=self.schema)

    def _taken(self, rows: pa.Array) -> pa.Table:
        """The held rows at ``rows`` (a batch's worth), taken from each chunk they fall in (no
        chunk joined to another), in the order asked."""
        if self._chunk_starts is None:
            self._chunk_batches = self._lean.to_batches()
            starts, at = [], 0
            for batch in self._chunk_batches:
                starts.append(at)
                at += batch.num_rows
            self._chunk_starts = starts
            # per _BUCKET rows, the chunk its first row falls in; per chunk, where the next one starts
            self._bucket_chunk = pa.array([bisect.bisect_right(starts, b << _BUCKET) - 1
                                           for b in range((at >> _BUCKET) + 1)], pa.int32())
            self._next_start = pa.array(starts[1:] + [at], pa.int64())
        starts, batches = self._chunk_starts, self._chunk_batches
        lo, hi = pc.min_max(rows).values()
        first = bisect.bisect_right(starts, lo.as_py()) - 1
        last = bisect.bisect_right(starts, hi.as_py()) - 1
        if first == last:  # one chunk: as it is
            return pa.Table.from_batches([batches[first].take(pc.subtract(rows, starts[first]))])
        # the chunk each row falls in: its bucket's first chunk, moved on past every chunk that ends
        # before the row (a step per chunk starting inside one bucket, not one per chunk of the table)
        chunk = pc.take(self._bucket_chunk, pc.shift_right(rows, _BUCKET))
        while True:
            ahead = pc.greater_equal(rows, pc.take(self._next_start, chunk))
            if not pc.any(ahead).as_py():
                break
            chunk = pc.add(chunk, pc.cast(ahead, pa.int32()))
        order = pc.sort_indices(chunk)  # stable: rows of one chunk keep their order
        by_chunk = pc.take(rows, order)
        counts = pc.value_counts(pc.take(chunk, order))  # ascending chunks, as sorted
        parts, at = [], 0
        for item in counts.to_pylist():
            k, n = item["values"], item["counts"]
            local = pc.subtract(by_chunk.slice(at, n), starts[k])
            parts.append(batches[k].take(local))
            at += n
        joined = pa.Table.from_batches(parts, schema=self._lean.schema).combine_chunks()
        return joined.take(pc.sort_indices(order))  # back to the order asked

    def filter(self, mask: Any) -> pa.Table:
        if isinstance(mask, pa.ChunkedArray):
            mask = mask.combine_chunks()
        return self.take(pc.indices_nonzero(pc.fill_null(mask, False)))

    def table(self) -> pa.Table:
        """Everything, evidence included, as one ``pyarrow.Table``."""
        if self._complete:  # a small table: its evidence is in it already
            return self._lean
        return pa.Table.from_batches(list(self.iter_batches()), schema=self.schema)

    def _filled(self, batch: pa.RecordBatch, rows: Any, evidence: bool = True) -> pa.RecordBatch:
        """``batch`` (rows ``rows`` of the table) with its evidence and provenance."""
        made = self._evidence_columns(batch, rows, evidence=evidence)
        return batch if made is None else self._attached(batch, made.column(0), made.column(1))

    @staticmethod
    def _attached(batch: pa.RecordBatch, evidence: pa.Array, provenance: pa.Array) -> pa.RecordBatch:
        columns = batch.columns
        columns[_EVIDENCE_AT] = evidence
        columns[_PROVENANCE_AT] = provenance
        return pa.RecordBatch.from_arrays(columns, schema=batch.schema)

    def _evidence_columns(self, batch: pa.RecordBatch, rows: Any, text: bool = False,
                          evidence: bool = True) -> pa.RecordBatch | None:
        """The evidence and provenance columns of ``batch`` (rows ``rows`` of the table), as a batch
        of :data:`_FILLED_SCHEMA`; None when no row of it keeps any. With ``text``, as
        :func:`evidence_text` and :func:`provenance_text` print them."""
        b = self._b
        n = len(batch)
        if n == 0 or self._complete:
            return None
        state = batch.column("state")
        if b.evidence_all:
            wanted: Any = range(n)
        else:  # decided on the dictionaries' values, taken per row (no column of state or rule texts)
            mask = pc.or_(_per_row(state, lambda v: pc.is_in(v, pa.array(PROBLEM_STATES))),
                          pc.fill_null(batch.column("attested"), False))
            mask = pc.or_(mask, pc.is_valid(batch.column("waiver_status")))
            if self._qualified is not None:  # a pass resting on a date known only by its year may say so
                qualified = self._qualified
                mask = pc.or_(mask, pc.and_(_per_row(state, lambda v: pc.equal(v, "pass")),
                                            _per_row(batch.column("rule_id"), lambda v: pc.is_in(v, qualified))))
            wanted = pc.indices_nonzero(mask).to_pylist()
            if not wanted:
                return None
        every = len(wanted) == n  # a batch of problems only (the worst-first order's first band): nothing taken
        at = None if every else pa.array(wanted, pa.int64())  # only the wanted rows reach Python
        # each row's state as its index in STATES, read as the dictionary's codes (no text per row)
        states = _state_indices(state if every else pc.take(state, at), self._state_of)
        attested_col = batch.column("attested")
        waiver_col = batch.column("waiver_status")
        attested: list[Any] | None = None
        waived: list[Any] | None = None
        if attested_col.null_count < n and pc.any(attested_col).as_py():
            attested = (attested_col if every else pc.take(attested_col, at)).to_pylist()
        if waiver_col.null_count < n:
            waived = (waiver_col if every else pc.take(waiver_col, at)).is_valid().to_pylist()
        if type(rows) is range:  # the table's own order: the rows' numbers, and the parts they fall in, ascend
            first_row = rows.start
            places = list(range(first_row, first_row + n)) if every else [first_row + j for j in wanted]
        else:
            rows_arr = rows if isinstance(rows, pa.Array) else pa.array(rows, pa.int64())
            places = (rows_arr if every else pc.take(rows_arr, at)).to_pylist()
        starts = self._starts
        # made EVIDENCE_ROWS wanted rows at a time, each part's texts turned into Arrow at once: the
        # Python strings alive are one part's (a parquet batch of 262,144 rows held hundreds of MB)
        ev_parts: list[pa.Array] = []
        pv_parts: list[pa.Array] = []
        for first in range(0, len(wanted), EVIDENCE_ROWS):
            last = min(first + EVIDENCE_ROWS, len(wanted))
            # the wanted rows of this part by the rule block they fall in (blocks in table order)
            order = sorted(range(first, last), key=places.__getitem__) if type(rows) is not range else None
            ranked = [places[k] for k in order] if order is not None else places[first:last]
            ev: list[str | None] = []
            pv: list[str | None] = []
            pos = 0
            while pos < len(ranked):
                p = bisect.bisect_right(starts, ranked[pos]) - 1
                stop = bisect.bisect_left(ranked, starts[p + 1], pos) if p + 1 < len(starts) else len(ranked)
                base = starts[p]
                records = self._records[p]
                members = order[pos:stop] if order is not None else range(first + pos, first + stop)
                recs = [records[g - base] for g in ranked[pos:stop]]
                idx = [states[k] for k in members]
                marked: list[bool] | None = None  # no row attested or waived: none marked
                if attested is not None or waived is not None:
                    marked = [bool(attested is not None and attested[k]) or bool(waived is not None and waived[k])
                              for k in members]
                e, v = b.evidence_rows(self._rules[p], recs, idx, marked, text, evidence)
                ev += e
                pv += v
                pos = stop
            ev_arr, pv_arr = pa.array(ev, pa.string()), pa.array(pv, pa.string())
            del ev, pv
            if order is not None:  # back to the wanted rows' order
                back = pc.sort_indices(pa.array(order, pa.int64()))
                ev_arr, pv_arr = pc.take(ev_arr, back), pc.take(pv_arr, back)
            ev_parts.append(ev_arr)
            pv_parts.append(pv_arr)
        ev_all = ev_parts[0] if len(ev_parts) == 1 else pa.concat_arrays(ev_parts)
        pv_all = pv_parts[0] if len(pv_parts) == 1 else pa.concat_arrays(pv_parts)
        if len(wanted) < n:  # the wanted rows' texts in their places, null elsewhere
            blank = b.filled.null_strings(n)
            ev_all = pc.replace_with_mask(blank, mask, ev_all)
            pv_all = pc.replace_with_mask(blank, mask, pv_all)
        return pa.RecordBatch.from_arrays([ev_all, pv_all], schema=_FILLED_SCHEMA)


def _state_indices(column: Any, state_of: dict[str, int]) -> list[int]:
    """Each row's state (a dictionary or string column, no nulls) as its index in :data:`STATES`:
    for a dictionary column its codes, mapped once per dictionary value."""
    if pa.types.is_dictionary(column.type) and column.indices.null_count == 0:
        words = [state_of.get(w, -1) for w in column.dictionary.to_pylist()]
        return [words[c] for c in column.indices.to_pylist()]
    return [state_of[w] for w in column.to_pylist()]


def _per_row(column: Any, test: Any) -> Any:
    """``test`` (a boolean kernel) of each row of a string or dictionary column, false where null:
    for a dictionary column, of its values once, taken per row."""
    if pa.types.is_dictionary(column.type):
        return pc.fill_null(pc.take(test(column.dictionary), column.indices), False)
    return pc.fill_null(test(column), False)


#: the schema metadata of a batch whose evidence and provenance are text (:meth:`Findings.take_batches`)
_TEXT_KEY = b"layanan_rules.evidence_form"
#: what :meth:`Findings._evidence_columns` makes for a batch
_FILLED_SCHEMA = pa.schema([pa.field("evidence", pa.string()), pa.field("provenance", pa.string())])
#: a batch of :meth:`Findings.take_batches` with ``text``
_TEXT_SCHEMA = SCHEMA.with_metadata({**(SCHEMA.metadata or {}), _TEXT_KEY: b"text"})


def text_evidence(batch: Any) -> bool:
    """Whether the batch's evidence and provenance columns hold the printed text (not JSON)."""
    return bool((batch.schema.metadata or {}).get(_TEXT_KEY) == b"text")


def _text_attached(batch: pa.RecordBatch, made: pa.RecordBatch | None) -> pa.RecordBatch:
    """``batch`` with the text evidence and provenance ``made`` for it ("" where it has none)."""
    n = batch.num_rows
    columns = batch.columns
    if made is None:
        empty = pa.repeat(pa.scalar("", pa.string()), n) if n else pa.array([], pa.string())
        columns[_EVIDENCE_AT] = columns[_PROVENANCE_AT] = empty
    else:
        columns[_EVIDENCE_AT] = pc.fill_null(made.column(0), "")
        columns[_PROVENANCE_AT] = pc.fill_null(made.column(1), "")
    return pa.RecordBatch.from_arrays(columns, schema=_TEXT_SCHEMA)


def _as_text(batch: pa.RecordBatch) -> pa.RecordBatch:
    """A batch with JSON evidence and provenance, those two as their printed text."""
    ev = [evidence_text(v) for v in batch.column(_EVIDENCE_AT).to_pylist()]
    pv = [provenance_text(v) for v in batch.column(_PROVENANCE_AT).to_pylist()]
    return _text_attached(batch, pa.RecordBatch.from_arrays([pa.array(ev, pa.string()), pa.array(pv, pa.string())],
                                                            schema=_FILLED_SCHEMA))


def _job(batch: pa.RecordBatch, rows: Any) -> tuple[pa.RecordBatch, Any]:
    return batch, rows


def _empty_batch(schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([pa.array([], f.type) for f in schema], schema=schema)


QUIET_STATES = ("pass", "not_applicable")


def quiet(table: Any) -> Any:
    """Per row (a boolean array): whether the finding has nothing to say beyond its rule, entity id,
    state and place: a ``pass`` or ``not_applicable`` with no evidence, provenance, reason,
    message, mark, waiver or attestation (what the json report lists as ids, schema 3's ``quiet``).

    Decided on the held columns: a :class:`Findings` makes evidence only for the rows it wants
    (problems, every row with ``evidence="all"``, passes of rules that may rest on a date known only
    by its year), so those rows are never quiet; any other table is read as it is."""
    complete = not isinstance(table, Findings) or table._complete
    held = table.held if isinstance(table, Findings) else table
    n = held.num_rows
    if not complete and table._b.evidence_all:
        return pa.chunked_array([pa.nulls(n, pa.bool_()).fill_null(False)]) if n else pa.chunked_array([], pa.bool_())
    if n <= bulk.SMALL_ROWS:  # a server's one-record answer: a few Python lists, not ~20 Arrow calls
        return pa.array(_quiet_small(held, n, complete, None if complete else table._qualified), pa.bool_())
    states = _is_in(held["state"], QUIET_STATES)
    mask = pc.and_(states, pc.invert(pc.fill_null(held["attested"], False)))
    names = ["reason", "message", "waiver_status", "waiver", "attestation"]
    if complete:
        names += ["evidence", "provenance"]
    for name in names:
        column = held[name]
        if column.null_count < n:
            mask = pc.and_(mask, pc.is_null(column))
    if not complete and table._qualified is not None:  # such passes may keep their evidence
        wanted = pc.and_(_is_in(held["state"], ("pass",)), _is_in(held["rule_id"], table._qualified.to_pylist()))
        mask = pc.and_(mask, pc.invert(wanted))
    return mask


def _pylist(column: Any) -> list[Any]:
    """A (chunked, dictionary) column's values as a Python list, a dictionary read as its indices
    and words (decoding it with a cast costs ~0.4 ms): for small tables."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    out: list[Any] = []
    for chunk in chunks:
        if pa.types.is_dictionary(chunk.type):
            words = chunk.dictionary.to_pylist()
            out.extend(None if i is None else words[i] for i in chunk.indices.to_pylist())
        else:
            out.extend(chunk.to_pylist())
    return out


def _quiet_small(held: Any, n: int, complete: bool, qualified: Any) -> list[bool]:
    """:func:`quiet` in Python (the same rows: ``tests/test_reporters.py`` compares them)."""
    out = [s in QUIET_STATES for s in _pylist(held["state"])]
    attested = held["attested"]
    if attested.null_count < n and pc.any(attested).as_py():
        out = [q and not a for q, a in zip(out, attested.to_pylist())]
    names = ["reason", "message", "waiver_status", "waiver", "attestation"] + (["evidence", "provenance"] if complete else [])
    for name in names:
        column = held[name]
        if column.null_count < n:
            out = [q and v for q, v in zip(out, pc.is_null(column).to_pylist())]
    if qualified is not None:
        dated = set(qualified.to_pylist())
        out = [q and not (s == "pass" and r in dated)
               for q, s, r in zip(out, _pylist(held["state"]), _pylist(held["rule_id"]))]
    return out


def _is_in(column: Any, values: Iterable[str]) -> Any:
    """Per row of a (dictionary) string column: whether its value is one of ``values``, decided once
    per dictionary value (no column of strings made)."""
    value_set = pa.array(list(values), pa.string())
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    out = []
    for chunk in chunks:
        if pa.types.is_dictionary(chunk.type):
            out.append(pc.fill_null(pc.take(pc.is_in(chunk.dictionary, value_set=value_set), chunk.indices), False))
        else:
            out.append(pc.is_in(chunk, value_set=value_set))
    return pa.chunked_array(out, pa.bool_())


def _runs(findings: list[Any]) -> Iterator[tuple[Any, list[Any]]]:
    import itertools

    for rule, group in itertools.groupby(findings, key=lambda f: f.rule):
        yield rule, list(group)


def batches(table: pa.Table, size: int = 65_536) -> Iterator[pa.RecordBatch]:
    """The table in record batches of at most ``size`` rows (what every streamed writer reads)."""
    yield from table.to_batches(max_chunksize=size)
