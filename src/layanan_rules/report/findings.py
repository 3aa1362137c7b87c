"""Findings and the Report: what an evaluation returns, and its JSON shape.

Every (rule, entity) pair ends in exactly one :class:`State`. A finding keeps references to
its rule and record, so its evidence (the values the rule read), legal basis and provenance are
derived on demand rather than copied into millions of findings.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
from collections import Counter
from collections.abc import Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import attrs

from layanan_rules import model
from layanan_rules.engine.states import Block, Reason, SkippedRule, State
from layanan_rules.expr.errors import CelError
from layanan_rules.model import construct
from layanan_rules.model.bulk import paused_gc
from layanan_rules.model.records import Provenance
from layanan_rules.rules.ruleset import leaf_reads

if TYPE_CHECKING:
    from layanan_rules.data.dataset import DataIssue, Record
    from layanan_rules.engine import Results
    from layanan_rules.rules.ruleset import Rule, Ruleset

#: Version of the JSON report schema (docs/report-schema.json).
SCHEMA_VERSION = "1.1"


#: the fields of an engine row, ``(rule, record, state, reason, message)``, in Finding order
_ROW_FIELDS = ("rule", "record", "state", "reason", "message", "context")

_RULE_OF, _STATE_OF = attrgetter("rule"), attrgetter("state")

@attrs.frozen(slots=True, weakref_slot=False)  # no weak-reference slot: built by construct.maker
class Finding:
    """The result of one rule on one entity."""

    rule: Rule = attrs.field(repr=False)
    record: Record = attrs.field(repr=False)
    state: State
    reason: Reason | None = None
    message: str | None = None
    waiver: Any = None
    #: ``"active"`` (the finding is waived) or ``"expired"`` (it resurfaces, flagged); see waivers.py
    waiver_status: str | None = None
    #: an :class:`layanan_rules.report.waivers.Attestation` when a person, not the data, decided the state
    attestation: Any = None
    #: ``(params, as_of)`` of the run, shared by every finding of a report: what a rule's own
    #: ``evidence`` expressions see besides the record
    context: Any = attrs.field(default=None, repr=False, eq=False)

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def entity(self) -> str:
        return self.record.entity

    @property
    def entity_id(self) -> str:
        return self.record.id

    @property
    def provenance(self) -> Provenance:
        """Where the finding points: the cell of the first field the rule read, when the adapter
        knows cells (sheet, row and column), else the record (file/table/URL, row/key)."""
        rec = self.record
        if rec.fields:
            for field in leaf_reads(self.rule, rec.entity):
                where = rec.where(field)
                if where is not rec.provenance:
                    return where
        return rec.provenance

    @property
    def legal_basis(self) -> tuple[Any, ...]:
        return self.rule.spec.legal_basis

    @property
    def severity(self) -> Any:
        return self.rule.severity

    @property
    def evidence(self) -> dict[str, Any]:
        """The values the rule read from this record (``standar.dasar_hukum`` -> value), and the
        values of the rule's own ``evidence`` expressions."""
        return evidence_of(self.rule, self.record, self.context)

    @property
    def attested(self) -> bool:
        return self.attestation is not None

    @property
    def waiver_expired(self) -> bool:
        return self.waiver_status == "expired"

    def flags(self) -> list[str]:
        """Machine-readable marks: ``attested``, ``waived``, ``waiver_expired``."""
        out = []
        if self.attestation is not None:
            out.append("attested")
        if self.waiver_status == "active":
            out.append("waived")
        elif self.waiver_status == "expired":
            out.append("waiver_expired")
        return out

    def to_dict(self, *, lang: str = "id", show_personal: bool = False, personal_fields: Iterable[str] = (),
                placement: tuple[Any, ...] | None = None, cache: dict[Any, Any] | None = None,
                run: tuple[Any, dt.date] | None = None) -> dict[str, Any]:
        """The JSON form of one finding; personal data in evidence and messages is masked unless
        ``show_personal`` (fields marked personal in the model, plus ``personal_fields``).

        ``cache`` (one dict per report) shares the rule's parts and each record's provenance
        between findings, which makes a large report several times faster to build. With
        ``run`` (the ruleset and the evaluation date) the evidence also shows what the rule's
        deadline calls computed (days counted and the calendar used; :mod:`layanan_rules.report.computed`).
        """
        cache = {} if cache is None else cache
        rule_part = cache.get(id(self.rule))
        if rule_part is None:
            rule_part = cache[id(self.rule)] = _rule_part(self.rule)
        prov = cache.get(id(self.record.provenance))
        if prov is None:
            p = self.record.provenance
            prov = cache[id(p)] = {f.name: getattr(p, f.name) for f in attrs.fields(type(p))
                                   if getattr(p, f.name) is not None}
        if self.state is State.error and self.record.problems:  # a value that could not be read: its cell
            cell = self.provenance
            prov = {f.name: getattr(cell, f.name) for f in attrs.fields(type(cell)) if getattr(cell, f.name) is not None}
        out: dict[str, Any] = {
            "rule_id": rule_part["rule_id"],
            "rule_version": rule_part["rule_version"],
            "entity": self.entity,
            "entity_id": self.entity_id,
            "state": self.state.value,
            "severity": rule_part["severity"],
            "title": rule_part["title"],
            "legal_basis": rule_part["legal_basis"],
            "sanctions": rule_part["sanctions"],
            "sanction": rule_part["sanction"],
            "remedy": rule_part["remedy"],
            "evidence": (
                _jsonable(self.evidence) if show_personal
                else mask_evidence(self.entity, self.evidence, (*personal_fields, *personal_evidence(self.rule)), lang)
            ),
            "provenance": prov,
            "flags": self.flags(),
        }
        if run is not None and self.state in _EXPLAINED:  # what a person acts on: not every pass
            from layanan_rules.report.computed import computed_evidence

            out["evidence"].update(computed_evidence(self.rule, self.record.obj, run[0], run[1]))
        if placement is not None:
            out["unit_id"], out["penyelenggara_id"], out["wilayah"], out["chapter"] = placement
        if self.reason is not None:
            out["reason"] = self.reason.value
        if self.message:
            out["message"] = (
                self.message if show_personal else mask_message(self.entity, self.message, personal_fields, lang)
            )
        if self.waiver is not None:
            w = self.waiver.to_dict() if hasattr(self.waiver, "to_dict") else _jsonable(self.waiver)
            out["waiver"] = {**w, "status": self.waiver_status or "active"}
        if self.attestation is not None:
            out["attestation"] = self.attestation.to_dict()
        return out


def citation_dict(c: Any) -> dict[str, Any]:
    """A citation's JSON form, with its Indonesian and English labels."""
    from layanan_rules.rules.rulefile import converter

    return {**converter().unstructure(c), "label": c.label("id"), "label_en": c.label("en")}


def _rule_part(rule: Rule) -> dict[str, Any]:
    """The parts of a finding's JSON that come from its rule (built once per rule)."""
    spec = rule.spec
    sanctions = [citation_dict(c) for c in spec.sanctions]
    return {
        "rule_id": spec.id,
        "rule_version": rule.version,
        "severity": spec.severity.value,
        "title": {"id": spec.title.id, "en": spec.title.en},
        "legal_basis": [citation_dict(c) for c in spec.legal_basis],
        "sanctions": sanctions,
        "sanction": sanctions[0] if sanctions else None,  # schema 1.0: the first only
        "remedy": {"id": spec.remedy.id, "en": spec.remedy.en},
    }


_ENTITY_CLASSES = frozenset(model.ENTITIES.values())
#: the states whose evidence shows what the rule's deadline calls computed (report.computed)
_EXPLAINED = frozenset({State.fail, State.error, State.waived})


@functools.lru_cache(maxsize=4096)
def _evidence_plan(rule: Rule, entity: str) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """Per read path on the entity: (path, its parts, the longer read paths under it)."""
    prefix = entity + "."
    keys = [r[len(prefix):] for r in rule.reads if r.startswith(prefix)]
    return tuple((k, tuple(k.split(".")), tuple(o for o in keys if o.startswith(k + "."))) for k in keys)


_NO_VALUE = object()


def evidence_of(rule: Rule, record: Record, context: tuple[Any, Any] | None = None) -> dict[str, Any]:
    """Resolve the rule's read paths on the record (paths through a missing value are skipped), then
    its ``evidence`` expressions; one that reads ``param`` or ``as_of`` needs the run's ``context``
    (``(params, as_of)``) and is left out without it.

    A date the model keeps with its precision (``standar.ditetapkan_pada`` known only by year)
    brings its precision along (``standar.ditetapkan_presisi``), so the evidence says so."""
    out: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    plan = _evidence_plan(rule, record.entity)
    for key, parts, _deeper in plan:
        value: Any = record.obj
        parent: Any = None
        for part in parts:
            if value is None:
                break
            parent = value
            value = getattr(value, part, _NO_VALUE)
            if value is _NO_VALUE:
                break
        else:
            if not (type(value) is tuple and value and type(value[0]) in _ENTITY_CLASSES):
                out[key] = value
                qualifier = _qualifier(type(parent), parts[-1]) if parts[-1] in _QUALIFIED else None
                if qualifier is not None and value is not None and getattr(parent, qualifier, None) is not None:
                    precision = getattr(parent, qualifier)
                    extra[key.rpartition(".")[0] + "." + qualifier if "." in key else qualifier] = precision
                    extra[f"{key}:catatan"] = _precision_note(key, value, getattr(precision, "value", precision))
    # keep only the deepest paths (drop "standar" when "standar.dasar_hukum" is there)
    shown = {key: out[key] for key, _parts, deeper in plan
             if key in out and (out[key] is None or not any(o in out for o in deeper))}
    shown.update((k, v) for k, v in extra.items() if k not in shown)
    if rule.evidence and record.obj is not None:  # the rule file's own evidence expressions
        given = {record.entity: record.obj}
        if context is not None:
            given["param"], given["as_of"] = context
        for name, prog, _personal in rule.evidence:
            if any(v not in given for v in prog.variables):
                continue
            try:
                shown[name] = prog.fn(*(given[v] for v in prog.variables))
            except CelError as exc:
                shown[name] = f"galat / error: {exc}"
    return shown


def personal_evidence(rule: Rule) -> tuple[str, ...]:
    """Names of the rule's computed evidence that read personal data (masked like the fields)."""
    return tuple(name for name, _prog, personal in rule.evidence if personal)


_QUALIFIERS: dict[tuple[type, str], str | None] = {}


def _precision_note(key: str, value: Any, precision: str) -> str:
    """Say that a date is known only by its month or year, and which day stands for it."""
    known = {"tahun": ("tahunnya", "its year"), "bulan": ("bulan dan tahunnya", "its month and year")}
    id_, en = known.get(precision, (precision, precision))
    day = value.isoformat() if hasattr(value, "isoformat") else value
    return (f"tanggal tidak diketahui, hanya {id_}; {day} (akhir periode) dipakai, tenggat yang dihitung darinya "
            f"tidak pernah lebih ketat / the date is unknown, only {en}; {day} (the period's end) is used, so no "
            f"deadline counted from it is stricter")


def _qualified_names() -> frozenset[str]:
    """Names of the model's fields that carry a precision (``ditetapkan_pada``): the only ones to look at."""
    names: set[str] = set()
    seen: set[type] = set()
    todo = list(model.ENTITIES.values())
    while todo:
        cls = todo.pop()
        if cls in seen or not attrs.has(cls):
            continue
        seen.add(cls)
        for f in attrs.fields(cls):
            if f.metadata.get("precision"):
                names.add(f.name)
            if not model.is_relation(f):
                todo.extend(_attrs_classes(f.type))
    return frozenset(names)


def _qualifier(cls: type, name: str) -> str | None:
    """The field that qualifies ``cls.name`` (its precision), from the model's field metadata."""
    key = (cls, name)
    if key not in _QUALIFIERS:
        field = attrs.fields_dict(cls).get(name) if attrs.has(cls) else None
        _QUALIFIERS[key] = field.metadata.get("precision") if field is not None else None
    return _QUALIFIERS[key]


# --- privacy: personal data never printed unless asked ------------------------------------------------

_MASK = {"id": "••• (data pribadi)", "en": "••• (personal data)"}


def _attrs_classes(tp: Any) -> list[type]:
    import typing

    if isinstance(tp, type) and attrs.has(tp):
        return [tp]
    return [c for a in typing.get_args(tp) for c in _attrs_classes(a)]


def _personal_paths_of(cls: type, prefix: str = "", depth: int = 0) -> set[str]:
    out: set[str] = set()
    if depth > 4:
        return out
    for f in attrs.fields(cls):
        if model.is_relation(f):
            continue
        path = prefix + f.name
        if model.is_personal(f):
            out.add(path)
        for inner in _attrs_classes(f.type):
            out |= _personal_paths_of(inner, path + ".", depth + 1)
    return out


#: entity -> field paths marked ``metadata={"personal": True}`` in the model
PERSONAL_PATHS: dict[str, frozenset[str]] = {
    name: frozenset(_personal_paths_of(cls)) for name, cls in model.ENTITIES.items()
}


def is_personal_path(entity: str, path: str, extra: Iterable[str] = ()) -> bool:
    """Whether ``entity.path`` (or a parent of it) is personal data: in the model, or named in the
    ruleset's ``personal_fields`` (``pengaduan.nama_pengadu``, or a bare field name anywhere)."""
    return _is_personal_path(entity, path, tuple(extra))


@functools.lru_cache(maxsize=8192)
def _is_personal_path(entity: str, path: str, extra: tuple[str, ...]) -> bool:
    parts = path.split(".")
    model_paths = PERSONAL_PATHS.get(entity, frozenset())
    for i in range(1, len(parts) + 1):
        head = ".".join(parts[:i])
        if head in model_paths or f"{entity}.{head}" in extra or parts[i - 1] in extra:
            return True
    return False


def mask_evidence(entity: str, evidence: dict[str, Any], extra: Iterable[str] = (), lang: str = "id") -> dict[str, Any]:
    """Evidence as JSON values with every personal value replaced by "••• (data pribadi)"."""
    extra = tuple(extra)
    if not PERSONAL_PATHS.get(entity) and not any("." not in x or x.startswith(entity + ".") for x in extra):
        return _jsonable(evidence)  # nothing personal on this entity
    mask = _MASK.get(lang, _MASK["id"])

    def walk(value: Any, path: str) -> Any:
        tp = type(value)
        if value is None or tp in _PLAIN or tp is dt.datetime or tp is dt.date:  # the common case
            if value is not None and path and _is_personal_path(entity, path, extra):
                return mask
            return value.isoformat() if tp is dt.datetime or tp is dt.date else value
        if value == ():
            return []
        if path and _is_personal_path(entity, path, extra):
            return mask
        if attrs.has(type(value)):
            return {f.name: walk(getattr(value, f.name), f"{path}.{f.name}" if path else f.name)
                    for f in attrs.fields(type(value))
                    if not f.metadata.get("relation") and getattr(value, f.name) not in (None, ())}
        if isinstance(value, dict):
            return {str(k): walk(v, path) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [walk(v, path) for v in value]
        return _jsonable(value)

    return {k: walk(v, k) for k, v in evidence.items()}


def mask_message(entity: str, message: str, extra: Iterable[str] = (), lang: str = "id", *, whole: bool = False) -> str:
    """Mask each ``field: problem @ place`` part (parts joined by "; ") whose ``field`` is personal: the
    problem text may quote the value."""
    extra = tuple(extra)
    parts = message.split("; ")
    out = []
    for part in parts:
        field, sep, rest = part.partition(": ")
        if not sep or " " in field or not is_personal_path(entity, field, extra):
            out.append(part)
            continue
        place = rest.rpartition(" @ ")
        tail = f" @ {place[2]}" if place[1] and not whole else ""
        out.append(f"{field}: {_MASK.get(lang, _MASK['id'])}{tail}")
    return "; ".join(out)


_PLAIN = frozenset({str, int, float, bool})


def _jsonable(value: Any) -> Any:
    tp = type(value)
    if value is None or tp in _PLAIN:
        return value
    if tp is dt.datetime or tp is dt.date:
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if attrs.has(type(value)):
        return {f.name: _jsonable(getattr(value, f.name)) for f in attrs.fields(type(value))
                if not f.metadata.get("relation") and getattr(value, f.name) not in (None, ())}
    return value


@attrs.define
class Report:
    """The result of evaluating a ruleset over a dataset at ``as_of``."""

    ruleset_id: str
    ruleset_version: str
    as_of: dt.date
    #: materialised lazily from ``rows`` (compact tuples the engine writes), see :attr:`findings`
    _findings: list[Finding] | None = attrs.field(alias="findings")
    skipped_rules: list[SkippedRule] = attrs.field(factory=list)
    data_issues: list[DataIssue] = attrs.field(factory=list)
    records: dict[str, int] = attrs.field(factory=dict)
    #: what the source held that is no data, left out on purpose and counted (kind -> how many):
    #: an instructions sheet, template example rows, blank rows (not data issues)
    skipped: dict[str, int] = attrs.field(factory=dict)
    #: input records among the skipped (template example rows): records read, the data issues'
    #: ``records`` and these add up to every record the input holds
    skipped_records: int = 0
    ruleset: Ruleset | None = attrs.field(default=None, repr=False)
    #: the evaluated Dataset, when the caller keeps it (scores roll findings up through it)
    dataset: Any = attrs.field(default=None, repr=False)
    #: waivers and attestations applied (layanan_rules.report.waivers), and notes about them
    waivers: list[Any] = attrs.field(factory=list, repr=False)
    attestations: list[Any] = attrs.field(factory=list, repr=False)
    notes: list[str] = attrs.field(factory=list)
    #: the engine's compact results, one :data:`Block` per rule, in rule order
    _blocks: list[Block] | None = attrs.field(default=None, alias="blocks", repr=False)

    @classmethod
    def of(cls, results: Results) -> Report:
        """The report of one evaluation: the engine's results, the dataset's issues and counts."""
        ds, rs = results.dataset, results.ruleset
        return cls(rs.id, rs.version, results.as_of, None, results.skipped, ds.all_issues(), ds.counts(),
                   dict(getattr(ds, "skipped", {})), getattr(ds, "skipped_records", 0), ruleset=rs,
                   blocks=results.blocks)

    @property
    def findings(self) -> list[Finding]:
        """One Finding per (rule, entity) pair, in rule order then input order."""
        if self._findings is None:
            make = construct.maker(Finding, _ROW_FIELDS)
            findings: list[Finding] = []
            context = (self.ruleset.params if self.ruleset is not None else None, self.as_of)
            with paused_gc():
                for rule, records, states, errors in self._blocks or ():
                    reasons: list[Any] = [None] * len(states)
                    messages: list[Any] = [None] * len(states)
                    for i, (reason, message) in errors.items():
                        reasons[i], messages[i] = reason, message
                    findings.extend(map(make, itertools.repeat(rule), records, states, reasons, messages,
                                        itertools.repeat(context)))
            self._findings = findings
            self._blocks = None
        return self._findings

    @findings.setter
    def findings(self, value: list[Finding]) -> None:
        self._findings = list(value)
        self._blocks = None

    @property
    def complete(self) -> bool:
        """False when part of the source could not be read (``--keep-going``): never present
        such a report as complete."""
        return not any(i.kind == "source_unavailable" for i in self.data_issues)

    def counts(self) -> dict[str, int]:
        """Findings per state, every state present."""
        total = dict.fromkeys((s.value for s in State), 0)
        for per_state in self.counts_by_rule().values():
            for state, n in per_state.items():
                total[state] += n
        return total

    def counts_by_rule(self) -> dict[str, dict[str, int]]:
        """Findings per rule and state, ``{"UU25-21a": {"pass": 3, "fail": 1, ...}}``: rules in
        the order they were evaluated (each rule with at least one finding), every state present.
        Builds no Finding objects when none were asked for yet."""
        if self._findings is None and self._blocks is not None:
            groups: Iterable[tuple[Any, Iterable[Any]]] = ((b[0], b[2]) for b in self._blocks)
        else:
            groups = ((rule, map(_STATE_OF, fs)) for rule, fs in itertools.groupby(self.findings, key=_RULE_OF))
        out: dict[str, dict[str, int]] = {}
        with paused_gc():
            # states are counted by identity, in C (an Enum's __hash__ is Python code, a million
            # times over); findings come grouped by rule
            for rule, states in groups:
                c = Counter(map(id, states))
                d = out.setdefault(rule.id, dict.fromkeys((s.value for s in State), 0))
                for s in State:
                    d[s.value] += c.get(id(s), 0)
        return out

    def by_state(self, state: State) -> list[Finding]:
        return [f for f in self.findings if f.state is state]

    def failed(self, min_severity: Any = None) -> list[Finding]:
        """Failures at or above a severity (all failures when None)."""
        return [
            f for f in self.findings
            if f.state is State.fail and (min_severity is None or f.severity.rank >= min_severity.rank)
        ]

    def scores(self, *, min_scored: int | None = None) -> Any:
        """Scores and zones per unit, penyelenggara, wilayah and chapter (:mod:`layanan_rules.report.scores`)."""
        from layanan_rules.report import scores

        return scores.compute(self, min_scored=scores.DEFAULT_MIN_SCORED if min_scored is None else min_scored)

    def parameters(self) -> dict[str, Any]:
        """Every ruleset parameter's value in this run (after ``--param``), for the record."""
        if self.ruleset is None:
            return {}
        return {name: getattr(self.ruleset.params, name) for name in self.ruleset.spec.parameters}

    def personal_fields(self) -> tuple[str, ...]:
        return tuple(self.ruleset.spec.personal_fields) if self.ruleset is not None else ()

    def to_dict(self, *, lang: str = "id", show_personal: bool = False, min_scored: int | None = None) -> dict[str, Any]:
        """The JSON form (schema version :data:`SCHEMA_VERSION`, docs/report-schema.json).

        Deterministic for the same input. Personal data is masked unless ``show_personal``.
        """
        sc = self.scores(min_scored=min_scored)
        personal = self.personal_fields()
        cache: dict[Any, Any] = {}
        counts = self.counts()
        issues = [_issue_dict(i) for i in self.data_issues]
        run = (self.ruleset, self.as_of) if self.ruleset is not None else None
        if not show_personal:
            for d in issues:
                if d.get("entity") and d.get("field"):
                    d["message"] = mask_message(d["entity"], f"{d['field']}: {d['message']}", personal, lang,
                                                whole=True).partition(": ")[2]
        return {
            "schema_version": SCHEMA_VERSION,
            "ruleset": {"id": self.ruleset_id, "version": self.ruleset_version, "parameters": self.parameters()},
            "as_of": self.as_of.isoformat(),
            "calendar": calendar_of(self),
            "lang": lang,
            "personal_data": "shown" if show_personal else "masked",
            "summary": {
                "complete": self.complete,
                "findings": len(self.findings), "states": counts, "records": dict(self.records),
                "skipped": dict(self.skipped), "skipped_records": self.skipped_records, "data_issues": dict(Counter(i["kind"] for i in issues)),
                "attested": sum(1 for f in self.findings if f.attestation is not None),
                "waivers_expired": sum(1 for f in self.findings if f.waiver_status == "expired"),
                "score": sc.total.score, "zone": sc.total.zone, "sufficient": sc.total.sufficient,
                "zone_label": sc.total.to_dict()["zone_label"],
            },
            "scores": sc.to_dict(),
            "skipped_rules": [attrs.asdict(s) for s in self.skipped_rules],
            "data_issues": issues,
            "waivers": [w.to_dict() for w in self.waivers],
            "attestations": [a.to_dict() for a in self.attestations],
            "notes": list(self.notes),
            "findings": [
                f.to_dict(lang=lang, show_personal=show_personal, personal_fields=personal,
                          placement=sc.placement.get(id(f)), cache=cache, run=run)
                for f in self.findings
            ],
        }


def calendar_of(report: Report) -> dict[str, Any]:
    """The holiday calendar behind the working-day verdicts of a report (its version matters: cuti bersama
    are added to the ``holidays`` package year by year), with the ruleset's calendar options."""
    from layanan_rules.rules.functions import calendar_info

    info = calendar_info()
    params = report.parameters()
    spec = report.ruleset.spec if report.ruleset is not None else None
    info["options"] = {k: params[k] for k, p in (spec.parameters.items() if spec else ()) if p.calendar}
    return info


def _issue_dict(issue: Any) -> dict[str, Any]:
    from layanan_rules.model.convert import converter

    d = {"kind": issue.kind, "message": issue.message}
    for key in ("entity", "entity_id", "field"):
        if getattr(issue, key, None) is not None:
            d[key] = getattr(issue, key)
    if getattr(issue, "provenance", None) is not None:
        d["provenance"] = {k: v for k, v in converter.unstructure(issue.provenance).items() if v is not None}
    if getattr(issue, "records", 0):
        d["records"] = issue.records
    return d


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Deterministic order: entity, entity id, rule id."""
    return sorted(findings, key=lambda f: (f.record.entity, f.record.id, f.rule.id))


_QUALIFIED = _qualified_names()
