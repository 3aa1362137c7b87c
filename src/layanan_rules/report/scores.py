"""Compliance scores and zones, per unit, penyelenggara, wilayah, chapter and overall.

A score is the weighted share of passing findings among the scored ones::

    score = 100 × Σ weight(pass) / Σ weight(pass + fail)

- A finding's weight is its rule's ``weight`` when the rule file sets one, else the weight of its
  severity from the ruleset's ``severity_weights`` (``ruleset.yaml``). Weights live in the
  ruleset, not in code.
- ``error``, ``not_applicable`` and ``waived`` findings are not scored; they are counted
  separately. An attested finding counts like any other pass or fail.
- A score over fewer than ``min_scored`` scored findings (default 5) is shown as
  "data tidak cukup / too little data" and gets no zone.
- Zones come from the ruleset's ``zones`` when it declares them, else from
  :data:`DEFAULT_ZONES`: the three bands the Ombudsman RI used in its 2021 compliance
  assessment (hijau 81,00–100; kuning 51,00–80,99; merah 0–50,99; legal reference §5.1, S20).
  The Ombudsman changed its method from 2022 (opini A–E); these bands are a documented
  fallback, not a recomputation of any Ombudsman result.
- The score is computed exactly from the weights (as written in the ruleset) and rounded by the
  project's one rule, half-up to two decimals (:func:`layanan_rules.skm.round_half_up`, the same
  as the IKM); the zone is read from that rounded score (50.995 -> 51.00 -> kuning).

Findings roll up to their unit through ``unit_id`` (a complaint without ``unit_id`` through its
layanan), units to their penyelenggara through ``penyelenggara_id``, and providers to their
``wilayah``.
"""

from __future__ import annotations

import contextlib
import functools
import weakref
from collections.abc import Iterable, Mapping
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from layanan_rules import model
from layanan_rules.model import bulk
from layanan_rules.rules.rulefile import RulesetSpec, Text
from layanan_rules.skm import exact, round2, round_half_up

if TYPE_CHECKING:
    from layanan_rules.rules.ruleset import Rule

#: what scores read: a :class:`layanan_rules.report.findings.Report` (which calls
#: :func:`compute` from ``Report.scores()``, so this module does not import it back)
Report = Any

DEFAULT_MIN_SCORED = 5


class ScoreConfigError(ValueError):
    """The ruleset's ``zones`` or weights cannot be used; the message says what and where."""


@attrs.frozen
class Zone:
    """A score band: ``min <= score`` (rounded to two decimals) up to the next band's ``min``."""

    name: str
    min: float
    max: float
    label: Text
    color: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "min": self.min, "max": self.max,
                "label": {"id": self.label.id, "en": self.label.en}, "color": self.color}


#: The Ombudsman RI 2021 bands (reference §5.1, source S20), used when the ruleset declares none.
DEFAULT_ZONES: tuple[Zone, ...] = (
    Zone("hijau", 81.0, 100.0, Text("kepatuhan tinggi", "high compliance"), "#1b7f3b"),
    Zone("kuning", 51.0, 80.99, Text("kepatuhan sedang", "medium compliance"), "#e0a800"),
    Zone("merah", 0.0, 50.99, Text("kepatuhan rendah", "low compliance"), "#c0392b"),
)
DEFAULT_ZONES_BASIS = Text(
    "Pita zona Ombudsman RI, Penilaian Kepatuhan terhadap Standar Pelayanan Publik 2021: hijau 81,00–100, "
    "kuning 51,00–80,99, merah 0–50,99 (rujukan UU 25/2009 §5.1, sumber S20). Bawaan bila ruleset tidak "
    "menyatakan 'zones'.",
    "Ombudsman RI bands of the 2021 Public Service Standards Compliance Assessment: green 81.00–100, "
    "yellow 51.00–80.99, red 0–50.99 (reference §5.1, source S20). The fallback when the ruleset declares "
    "no 'zones'.",
)
_COLORS = {"hijau": "#1b7f3b", "kuning": "#e0a800", "merah": "#c0392b"}


def zones_from(spec: RulesetSpec | None) -> tuple[tuple[Zone, ...], Text]:
    """The ruleset's zones (highest band first) and their basis, or the documented defaults.

    Each entry of ``zones`` in ``ruleset.yaml`` is a mapping with ``name`` and ``min`` and
    optionally ``max``, ``label`` (text or ``{id, en}``), ``color`` and ``basis``.
    """
    if spec is None or not spec.zones:
        return DEFAULT_ZONES, DEFAULT_ZONES_BASIS
    out: list[Zone] = []
    basis: Text | None = None
    for i, z in enumerate(spec.zones):
        where = f"ruleset.yaml: zones[{i}]"
        if not isinstance(z, Mapping):
            raise ScoreConfigError(f"{where}: harus berupa mapping / must be a mapping")
        name = z.get("name") or z.get("id")
        if not name or "min" not in z:
            raise ScoreConfigError(f"{where}: perlu 'name' dan 'min' / needs 'name' and 'min'")
        try:
            low = float(z["min"])
            high = float(z["max"]) if z.get("max") is not None else None
        except (TypeError, ValueError):
            raise ScoreConfigError(f"{where}: 'min'/'max' harus angka / must be numbers") from None
        label = z.get("label") or name
        text = Text(label.get("id", name), label.get("en", name)) if isinstance(label, Mapping) else Text(str(label), str(label))
        out.append(Zone(str(name), low, high if high is not None else -1.0, text,
                        str(z.get("color") or _COLORS.get(str(name), "#607d8b"))))
        b = z.get("basis") or z.get("source")
        if b and basis is None:
            basis = Text(b.get("id", ""), b.get("en", "")) if isinstance(b, Mapping) else Text(str(b), str(b))
    out.sort(key=lambda z: -z.min)
    # an open upper bound ends just below the next band up (two decimals, as the Ombudsman writes them)
    out = [attrs.evolve(z, max=100.0 if i == 0 else round(out[i - 1].min - 0.01, 2)) if z.max < 0 else z
           for i, z in enumerate(out)]
    return tuple(out), basis or Text("ruleset.yaml: zones", "ruleset.yaml: zones")


def zone_for(score: float | None, zones: Iterable[Zone]) -> Zone | None:
    if score is None:
        return None
    s = _rounded(score)  # the one rounding rule (layanan_rules.skm), as for the IKM
    for z in zones:  # highest band first
        if s >= _rounded(z.min):
            return z
    return None


#: a band's bound and a weight as exact numbers, computed once (every score of every report reads them)
_rounded = functools.lru_cache(maxsize=1024)(round_half_up)
_exact = functools.lru_cache(maxsize=4096)(exact)


@functools.lru_cache(maxsize=4096)
def _score(possible_by_weight: tuple[tuple[float, int], ...], earned_by_weight: tuple[tuple[float, int], ...]
           ) -> float | None:
    """100 * earned / possible, exact, from (weight, how many) pairs; None when nothing was scored.
    Kept per distinct pairs: a server's small requests score the same few mixes again and again
    (the Fraction arithmetic was half of scoring a one-record report)."""
    possible = sum((_exact(w) * n for w, n in possible_by_weight), Fraction(0))
    earned = sum((_exact(w) * n for w, n in earned_by_weight), Fraction(0))
    return round2(100 * earned / possible) if possible > 0 else None


@functools.lru_cache(maxsize=4096)
def chapter_of(rule: Rule) -> tuple[str, Text]:
    """The chapter (or rule group) a rule reports under: a ``bab-…`` tag, else its rule file's name.

    ``bab-v`` -> "BAB V"; ``bab-vii-pengaduan`` -> "BAB VII Pengaduan"; a rule in
    ``standar-pelayanan.yaml`` without such a tag -> "Standar Pelayanan".
    """
    for tag in rule.spec.tags:
        if tag.lower().startswith("bab-"):
            roman, _, rest = tag[4:].partition("-")
            label = f"BAB {roman.upper()}" + (f" {rest.replace('-', ' ').capitalize()}" if rest else "")
            return tag.lower(), Text(label, label)
    stem = Path(str(rule.location.file)).stem if getattr(rule, "location", None) else "lain"
    label = stem.replace("-", " ").replace("_", " ").title()
    return stem, Text(label, label)


# --- the hierarchy: entity -> unit -> penyelenggara -> wilayah ---------------------------------------


class Hierarchy:
    """Where each record belongs, built from records and the relations linked into them."""

    def __init__(self, records: Iterable[Any]) -> None:
        #: entity -> id -> the first object of that id (a dict per entity: no key tuple per record,
        #: which at a million records was 60 MB)
        self.objs: dict[str, dict[str, Any]] = {}
        self._parent_unit: dict[tuple[str, str], str] = {}
        self._parent_pen: dict[tuple[str, str], str] = {}
        for rec in records:
            if rec.obj is not None:
                self._walk(rec.entity, rec.obj)

    def _walk(self, entity: str, obj: Any) -> None:
        objs = self.objs.get(entity)
        if objs is None:
            objs = self.objs[entity] = {}
        ident = str(obj.id)
        first = objs.get(ident)
        if first is obj:  # walked already (reached as a record and through a relation)
            return
        if first is None:
            objs[ident] = obj
        cls: Any = type(obj)
        for name in _relations(cls):
            for child in getattr(obj, name) or ():
                child_type: Any = type(child)
                child_entity = _entity_name(child_type)
                ckey = (child_entity, str(child.id))
                if entity == "unit":
                    self._parent_unit.setdefault(ckey, ident)
                elif entity == "penyelenggara":
                    self._parent_pen.setdefault(ckey, ident)
                self._walk(child_entity, child)

    def _obj(self, entity: str, ident: str | None) -> Any:
        objs = self.objs.get(entity)
        return objs.get(ident) if objs is not None and ident is not None else None

    def name(self, entity: str, ident: str | None) -> str | None:
        obj = self._obj(entity, ident)
        return getattr(obj, "nama", None) if obj is not None else None

    def unit_of(self, entity: str, ident: str) -> str | None:
        if entity == "unit":
            return ident
        obj = self._obj(entity, ident)
        uid = getattr(obj, "unit_id", None) if obj is not None else None
        if uid is None and obj is not None and getattr(obj, "layanan_id", None) is not None:
            lay = self._obj("layanan", obj.layanan_id)
            uid = getattr(lay, "unit_id", None) if lay is not None else None
            uid = uid or self._parent_unit.get(("layanan", obj.layanan_id))
        return uid or self._parent_unit.get((entity, ident))

    def penyelenggara_of(self, entity: str, ident: str) -> str | None:
        if entity == "penyelenggara":
            return ident
        obj = self._obj(entity, ident)
        pid = getattr(obj, "penyelenggara_id", None) if obj is not None else None
        if pid is None:
            uid = self.unit_of(entity, ident)
            if uid is not None:
                unit = self._obj("unit", uid)
                pid = getattr(unit, "penyelenggara_id", None) if unit is not None else None
                pid = pid or self._parent_pen.get(("unit", uid))
        return pid or self._parent_pen.get((entity, ident))

    def wilayah_of(self, pid: str | None) -> str | None:
        obj = self._obj("penyelenggara", pid)
        return getattr(obj, "wilayah", None) if obj is not None else None


@functools.cache
def _relations(cls: type) -> tuple[str, ...]:
    """The relation fields of a model class (looked up once per class, not per object)."""
    return tuple(f.name for f in attrs.fields(cls) if model.is_relation(f))


_entity_name = functools.lru_cache(maxsize=None)(model.entity_name)


def hierarchy_of(report: Report) -> Hierarchy:
    """The report's dataset when it carries one, else the records its findings point at."""
    ds = getattr(report, "dataset", None)
    if ds is not None:
        return Hierarchy(r for recs in ds.records.values() for r in recs)
    blocks = getattr(report, "_blocks", None)
    if blocks is not None:  # each entity's records once (its rules share one snapshot)
        snapshots = list({id(b[1]): b[1] for b in blocks}.values())
        return Hierarchy(r for recs in snapshots for r in recs)
    return Hierarchy(f.record for f in report.findings)


# --- scores ---------------------------------------------------------------------------------------------


@attrs.define
class Score:
    """A score at one level: the findings it covers, what was scored, and its zone."""

    level: str  # total | wilayah | penyelenggara | unit | chapter
    key: str
    name: str | None = None
    parent: str | None = None
    counts: dict[str, int] = attrs.field(factory=lambda: {s: 0 for s in _STATES})
    attested: int = 0
    waivers_expired: int = 0
    earned: float = 0.0
    possible: float = 0.0
    #: weight -> how many passes / scored findings carry it, so the score is computed exactly
    _earned_by_weight: dict[float, int] = attrs.field(factory=dict, repr=False, alias="_earned_by_weight")
    _possible_by_weight: dict[float, int] = attrs.field(factory=dict, repr=False, alias="_possible_by_weight")
    score: float | None = None
    sufficient: bool = False
    zone: str | None = None
    zone_text: Text | None = None

    @property
    def scored(self) -> int:
        return self.counts["pass"] + self.counts["fail"]

    def add(self, state: str, weight: float, attested: bool, expired: bool) -> None:
        self.counts[state] += 1
        if state == "pass":
            self.earned += weight
            self.possible += weight
            self._earned_by_weight[weight] = self._earned_by_weight.get(weight, 0) + 1
            self._possible_by_weight[weight] = self._possible_by_weight.get(weight, 0) + 1
        elif state == "fail":
            self.possible += weight
            self._possible_by_weight[weight] = self._possible_by_weight.get(weight, 0) + 1
        self.attested += attested
        self.waivers_expired += expired

    def close(self, zones: tuple[Zone, ...], min_scored: int) -> None:
        self.score = _score(tuple(self._possible_by_weight.items()), tuple(self._earned_by_weight.items()))
        self.sufficient = self.score is not None and self.scored >= min_scored
        z = zone_for(self.score, zones) if self.sufficient else None
        self.zone = z.name if z else None
        self.zone_text = z.label if z else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level, "key": self.key, "name": self.name, "parent": self.parent,
            "score": self.score, "zone": self.zone, "sufficient": self.sufficient,
            "zone_label": {"id": self.zone_text.id, "en": self.zone_text.en} if self.zone_text else None,
            "scored": self.scored, "findings": sum(self.counts.values()), "counts": dict(self.counts),
            "attested": self.attested, "waivers_expired": self.waivers_expired,
            "weight_earned": round(self.earned, 6), "weight_possible": round(self.possible, 6),
        }


_STATES: tuple[str, ...] = ("pass", "fail", "not_applicable", "error", "waived")


@attrs.define
class Scores:
    """Every score of a report, and how they were computed."""

    total: Score
    wilayah: list[Score]
    penyelenggara: list[Score]
    unit: list[Score]
    chapter: list[Score]
    zones: tuple[Zone, ...]
    zones_basis: Text
    min_scored: int
    weights: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": {
                "formula": "100 * sum(weight of pass) / sum(weight of pass + fail)",
                "excluded_states": ["error", "not_applicable", "waived"],
                "min_scored": self.min_scored,
                "weights": self.weights,
                "zones": [z.to_dict() for z in self.zones],
                "zones_basis": {"id": self.zones_basis.id, "en": self.zones_basis.en},
            },
            "total": self.total.to_dict(),
            "wilayah": [s.to_dict() for s in self.wilayah],
            "penyelenggara": [s.to_dict() for s in self.penyelenggara],
            "unit": [s.to_dict() for s in self.unit],
            "chapter": [s.to_dict() for s in self.chapter],
        }


def weight_of(rule: Rule, severity_weights: Mapping[str, float]) -> float:
    """The rule's own ``weight``, else the ruleset's weight for its severity."""
    if rule.spec.weight is not None:
        return float(rule.spec.weight)
    try:
        return float(severity_weights[rule.severity.value])
    except KeyError:
        raise ScoreConfigError(
            f"ruleset.yaml: severity_weights tidak memuat '{rule.severity.value}' (aturan {rule.id}) / "
            f"severity_weights has no '{rule.severity.value}' (rule {rule.id})"
        ) from None


def severity_weights_of(report: Report) -> dict[str, float]:
    """The ruleset's weight per severity (the defaults when the report carries no ruleset)."""
    spec = report.ruleset.spec if report.ruleset is not None else None
    return dict(spec.severity_weights) if spec is not None else dict(RulesetSpec("x", Text("", ""), "0").severity_weights)


def check(report: Report) -> None:
    """Raise :class:`ScoreConfigError` where scoring ``report`` would, without scoring it: the
    ruleset's zones, and a weight for every rule with findings (what :func:`compute` and the
    findings table read)."""
    zones_from(report.ruleset.spec if report.ruleset is not None else None)
    weights = severity_weights_of(report)
    for rule in report.evaluated_rules():
        weight_of(rule, weights)


def compute(report: Report, *, min_scored: int = DEFAULT_MIN_SCORED) -> Scores:
    """Score every level of ``report`` (see the module docstring for the method): one group-by
    over the findings table (:mod:`layanan_rules.report.table`) per level."""
    import pyarrow as pa
    import pyarrow.compute as pc

    spec = report.ruleset.spec if report.ruleset is not None else None
    severity_weights = severity_weights_of(report)
    zones, basis = zones_from(spec)
    table = report.findings_table()  # no evidence needed: the held columns only
    h = report.hierarchy()
    # Group by dictionary codes, not by text: no column of millions of strings is made, and the
    # keys are looked up once per group (the values are the same).
    keys = ("unit_id", "penyelenggara_id", "wilayah", "chapter", "state")
    plain = table.plain_columns(keys) if table.num_rows <= bulk.SMALL_ROWS else None
    if plain is not None:  # a small table made from Python rows: grouped from them, no Arrow at all
        codes, weight, attested, expired = plain
    else:
        codes = _codes(table, keys)
    values = {name: v for name, (_c, v) in codes.items()}
    grouped: _Groups
    if plain is not None:
        grouped = _PythonGroups({name: c for name, (c, _v) in codes.items()}, weight, attested, expired)
    elif table.num_rows <= bulk.SMALL_ROWS:  # a few hundred findings: the same groups in Python, no Arrow kernel
        grouped = _PythonGroups({name: c.to_pylist() for name, (c, _v) in codes.items()}, table["weight"].to_pylist(),
                                [1 if a else 0 for a in table["attested"].to_pylist()],
                                [1 if w == "expired" else 0 for w in table["waiver_status"].to_pylist()])
    else:
        grouped = _ArrowGroups(pa.table({
            **{name: c for name, (c, _v) in codes.items()},
            "weight": table["weight"],
            # one byte a row (the sums are int64 all the same): int64 here was 16 bytes a finding
            "attested": pc.fill_null(table["attested"], False).cast(pa.int8()),
            "expired": expired_column(table["waiver_status"], pa.int8()),
        }))

    def level(name: str, key: str | None) -> dict[Any, Score]:
        rows = grouped.level(key)
        states = values["state"]
        names: list[Any] = values[key] if key is not None else []
        out: dict[Any, Score] = {}
        for r in rows:
            k: Any = None
            if key is not None:
                code = r[key]
                k = names[code] if code is not None else None
                if k is None:
                    continue  # findings not placed at this level
            s = out.get(k)
            if s is None:
                s = out[k] = Score(name, "total" if key is None else str(k))
            state, n, w = states[r["state"]], r["state_count"], r["weight_sum"] or 0.0
            s.counts[state] += n
            weight = r["weight"]
            if state == "pass":
                s.earned += w
                s.possible += w
                s._earned_by_weight[weight] = s._earned_by_weight.get(weight, 0) + n
                s._possible_by_weight[weight] = s._possible_by_weight.get(weight, 0) + n
            elif state == "fail":
                s.possible += w
                s._possible_by_weight[weight] = s._possible_by_weight.get(weight, 0) + n
            s.attested += r["attested_sum"] or 0
            s.waivers_expired += r["expired_sum"] or 0
        return out

    def parents(key: str, parent: str) -> dict[str, str | None]:
        kv, pv = values[key], values[parent]
        out: dict[str, str | None] = {}
        for code, first in grouped.first_parent(key, parent):
            if code is not None:
                out[kv[code]] = pv[first] if first is not None else None
        return out

    total = level("total", None).get(None) or Score("total", "total")
    units = level("unit", "unit_id")
    unit_parent = parents("unit_id", "penyelenggara_id") if units else {}
    for k, s in units.items():
        s.name, s.parent = h.name("unit", k), unit_parent.get(k)
    pens = level("penyelenggara", "penyelenggara_id")
    pen_parent = parents("penyelenggara_id", "wilayah") if pens else {}
    for k, s in pens.items():
        s.name, s.parent = h.name("penyelenggara", k), pen_parent.get(k)
    wils = level("wilayah", "wilayah")
    for k, s in wils.items():
        s.name = k
    chaps = level("chapter", "chapter")
    labels = dict(_chapter_labels(report.ruleset))
    rule_weights: dict[str, float] = {}
    for rule in _rules_with_findings(report):
        labels.setdefault(*chapter_of(rule))
        if rule.spec.weight is not None:
            rule_weights[rule.id] = weight_of(rule, severity_weights)
    for k, s in chaps.items():
        s.name = labels[k].id if k in labels else k
    for s in [total, *units.values(), *pens.values(), *wils.values(), *chaps.values()]:
        s.close(zones, min_scored)
    return Scores(
        total, sorted(wils.values(), key=_worst_first), sorted(pens.values(), key=_worst_first),
        sorted(units.values(), key=_worst_first), sorted(chaps.values(), key=lambda s: s.key),
        zones, basis, min_scored,
        {"severity": severity_weights, "rules": dict(sorted(rule_weights.items()))},
    )


#: ruleset -> (its rules, chapter key -> label for them)
_LABELS: weakref.WeakKeyDictionary[Any, tuple[Any, dict[str, Text]]] = weakref.WeakKeyDictionary()


def _chapter_labels(ruleset: Any) -> dict[str, Text]:
    """Chapter key -> label over every rule of ``ruleset`` (made once per ruleset; do not change it)."""
    if ruleset is None:
        return {}
    try:
        got = _LABELS.get(ruleset)
    except TypeError:
        got = None
    if got is not None and got[0] is ruleset.rules:
        return got[1]
    labels = dict(chapter_of(r) for r in ruleset.rules)
    with contextlib.suppress(TypeError):
        _LABELS[ruleset] = (ruleset.rules, labels)
    return labels


#: the aggregates of one group of findings: the key columns' codes, then ``state_count`` (rows),
#: ``weight_sum``, ``attested_sum`` and ``expired_sum``
_Groups = Any
_AGGREGATES = [("weight", "sum"), ("state", "count"), ("attested", "sum"), ("expired", "sum")]


class _ArrowGroups:
    """Group-by queries in Arrow (C++), for any number of findings."""

    def __init__(self, plain: Any) -> None:
        self.plain = plain

    def level(self, key: str | None) -> list[dict[str, Any]]:
        """One row per (key code, state code, weight): count and sums."""
        keys = ["state", "weight"] if key is None else [key, "state", "weight"]
        rows: list[dict[str, Any]] = self.plain.group_by(keys).aggregate(_AGGREGATES).to_pylist()
        return rows

    def first_parent(self, key: str, parent: str) -> list[tuple[Any, Any]]:
        """(key code, the first non-null parent code in row order) per key code."""
        rows = self.plain.group_by(key, use_threads=False).aggregate([(parent, "first")]).to_pylist()
        return [(r[key], r[f"{parent}_first"]) for r in rows]


class _PythonGroups:
    """The same groups as :class:`_ArrowGroups` in plain Python: for a small table (a server's
    one-record request) each Arrow kernel's fixed cost outweighs the rows it reads. The numbers
    are the same (``tests/test_findings_table.py`` compares the two on the example and synthetic data)."""

    def __init__(self, cols: dict[str, list[Any]], weight: list[Any], attested: list[int], expired: list[int]) -> None:
        """``cols``: each key column's codes; ``attested``, ``expired``: 1 or 0 per row."""
        self.cols = cols
        self.weight = weight
        self.attested = attested
        self.expired = expired

    def level(self, key: str | None) -> list[dict[str, Any]]:
        states = self.cols["state"]
        keys = self.cols[key] if key is not None else [None] * len(states)
        acc: dict[tuple[Any, Any, Any], list[Any]] = {}
        for k, state, w, a, e in zip(keys, states, self.weight, self.attested, self.expired):
            group = acc.get((k, state, w))
            if group is None:
                acc[(k, state, w)] = [1, w, a, e] if w is not None else [1, None, a, e]
            else:
                group[0] += 1
                if w is not None:
                    group[1] = w if group[1] is None else group[1] + w
                group[2] += a
                group[3] += e
        rows = []
        for (k, state, w), (n, wsum, a, e) in acc.items():
            row = {"state": state, "weight": w, "state_count": n, "weight_sum": wsum, "attested_sum": a,
                   "expired_sum": e}
            if key is not None:
                row[key] = k
            rows.append(row)
        return rows

    def first_parent(self, key: str, parent: str) -> list[tuple[Any, Any]]:
        out: dict[Any, Any] = {}
        for k, p in zip(self.cols[key], self.cols[parent]):
            if k not in out or (out[k] is None and p is not None):
                out[k] = p
        return list(out.items())


def _codes(table: Any, names: Iterable[str]) -> dict[str, tuple[Any, list[Any]]]:
    """Each column as (int32 codes, the value of each code): a dictionary column's indices over one
    dictionary shared by every chunk (unified when chunks differ), any other column encoded."""
    import pyarrow as pa

    out: dict[str, tuple[Any, list[Any]]] = {}
    for name in names:
        col = table[name]
        if not pa.types.is_dictionary(col.type):
            col = col.dictionary_encode()
        chunks = col.chunks
        if chunks and any(c.dictionary is not chunks[0].dictionary and not c.dictionary.equals(chunks[0].dictionary)
                          for c in chunks[1:]):
            chunks = pa.table({name: col}).unify_dictionaries()[name].chunks
        values = chunks[0].dictionary.to_pylist() if chunks else []
        indices = pa.chunked_array([c.indices.cast(pa.int32()) for c in chunks], pa.int32())
        out[name] = (indices, values)
    return out


def expired_column(waiver_status: Any, type: Any = None) -> Any:
    """1 where a waiver expired, else 0 (compared on the dictionary, not row by row), as ``type``
    (int64 unless given)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    type = pa.int64() if type is None else type
    col = waiver_status if pa.types.is_dictionary(waiver_status.type) else waiver_status.dictionary_encode()
    parts = []
    for chunk in col.chunks:
        hit = pc.equal(chunk.dictionary.cast(pa.string()), "expired")
        parts.append(pc.fill_null(pc.take(hit, chunk.indices), False).cast(type))
    return pa.chunked_array(parts, type)


def _rules_with_findings(report: Report) -> list[Any]:
    return list(report.evaluated_rules())


def _worst_first(s: Score) -> tuple[Any, ...]:
    """Insufficient data last; otherwise lowest score first, then key."""
    return (not s.sufficient, s.score if s.score is not None else 101.0, s.key)
