"""Findings and the Report: what an evaluation returns, and its JSON shape.

Every (rule, entity) pair ends in exactly one :class:`State`. A finding keeps references to
its rule and record, so its evidence (the values the rule read), legal basis and provenance are
derived on demand rather than copied into millions of findings.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from layanan_rules import model
from layanan_rules.adapters import Provenance

if TYPE_CHECKING:
    from layanan_rules.dataset import DataIssue, Record
    from layanan_rules.ruleset import Rule, Ruleset

#: Version of the JSON report schema (docs/report-schema.json).
SCHEMA_VERSION = "1.0"


class State(enum.Enum):
    """The one state of a (rule, entity) pair."""

    pass_ = "pass"
    fail = "fail"
    not_applicable = "not_applicable"
    error = "error"
    waived = "waived"

    def __str__(self) -> str:
        return self.value


class Reason(enum.Enum):
    """Why a finding is an ``error``: machine-readable."""

    missing_field = "missing_field"
    malformed_value = "malformed_value"
    function_failure = "function_failure"
    expression_error = "expression_error"
    not_boolean = "not_boolean"
    unreadable_record = "unreadable_record"
    source_unavailable = "source_unavailable"


@attrs.frozen(slots=True)
class Finding:
    """The result of one rule on one entity."""

    rule: Rule = attrs.field(repr=False)
    record: Record = attrs.field(repr=False)
    state: State
    reason: Reason | None = None
    message: str | None = None
    waiver: Any = None

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
        return self.record.provenance

    @property
    def legal_basis(self) -> tuple[Any, ...]:
        return self.rule.spec.legal_basis

    @property
    def severity(self) -> Any:
        return self.rule.severity

    @property
    def evidence(self) -> dict[str, Any]:
        """The values the rule read from this record (``standar.dasar_hukum`` -> value)."""
        return evidence_of(self.rule, self.record)

    def to_dict(self) -> dict[str, Any]:
        from layanan_rules.convert import converter

        spec = self.rule.spec
        out: dict[str, Any] = {
            "rule_id": spec.id,
            "rule_version": self.rule.version,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "state": self.state.value,
            "severity": spec.severity.value,
            "title": {"id": spec.title.id, "en": spec.title.en},
            "legal_basis": [
                {**converter.unstructure(c), "label": c.label("id"), "label_en": c.label("en")} for c in spec.legal_basis
            ],
            "sanction": (
                {**converter.unstructure(spec.sanction), "label": spec.sanction.label("id")} if spec.sanction else None
            ),
            "remedy": {"id": spec.remedy.id, "en": spec.remedy.en},
            "evidence": _jsonable(self.evidence),
            "provenance": {k: v for k, v in converter.unstructure(self.provenance).items() if v is not None},
        }
        if self.reason is not None:
            out["reason"] = self.reason.value
        if self.message:
            out["message"] = self.message
        if self.waiver is not None:
            out["waiver"] = _jsonable(self.waiver)
        return out


_ENTITY_CLASSES = frozenset(model.ENTITIES.values())


def evidence_of(rule: Rule, record: Record) -> dict[str, Any]:
    """Resolve the rule's read paths on the record; paths through a missing value are skipped."""
    out: dict[str, Any] = {}
    prefix = record.entity + "."
    for path in rule.reads:
        if not path.startswith(prefix):
            continue
        value: Any = record.obj
        ok = True
        for part in path[len(prefix):].split("."):
            if value is None or not hasattr(value, part):
                ok = False
                break
            value = getattr(value, part)
        if ok and not (isinstance(value, tuple) and value and type(value[0]) in _ENTITY_CLASSES):
            out[path[len(prefix):]] = value
    # keep only the deepest paths (drop "standar" when "standar.dasar_hukum" is there)
    return {k: v for k, v in out.items() if not any(o.startswith(k + ".") for o in out) or v is None}


def _jsonable(value: Any) -> Any:
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


@attrs.frozen
class SkippedRule:
    """A rule not evaluated, with why (outside its validity dates at ``as_of``)."""

    rule_id: str
    reason: str


@attrs.define
class Report:
    """The result of evaluating a ruleset over a dataset at ``as_of``."""

    ruleset_id: str
    ruleset_version: str
    as_of: dt.date
    findings: list[Finding]
    skipped_rules: list[SkippedRule] = attrs.field(factory=list)
    data_issues: list[DataIssue] = attrs.field(factory=list)
    records: dict[str, int] = attrs.field(factory=dict)
    ruleset: Ruleset | None = attrs.field(default=None, repr=False)

    def counts(self) -> dict[str, int]:
        """Findings per state, every state present."""
        c = Counter(f.state for f in self.findings)
        return {s.value: c.get(s, 0) for s in State}

    def by_state(self, state: State) -> list[Finding]:
        return [f for f in self.findings if f.state is state]

    def failed(self, min_severity: Any = None) -> list[Finding]:
        """Failures at or above a severity (all failures when None)."""
        return [
            f for f in self.findings
            if f.state is State.fail and (min_severity is None or f.severity.rank >= min_severity.rank)
        ]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (schema version :data:`SCHEMA_VERSION`); deterministic for the same input."""
        return {
            "schema_version": SCHEMA_VERSION,
            "ruleset": {"id": self.ruleset_id, "version": self.ruleset_version},
            "as_of": self.as_of.isoformat(),
            "summary": {"findings": len(self.findings), "states": self.counts(), "records": dict(self.records)},
            "skipped_rules": [attrs.asdict(s) for s in self.skipped_rules],
            "data_issues": [_issue_dict(i) for i in self.data_issues],
            "findings": [f.to_dict() for f in self.findings],
        }


def _issue_dict(issue: Any) -> dict[str, Any]:
    from layanan_rules.convert import converter

    d = {"kind": issue.kind, "message": issue.message}
    for key in ("entity", "entity_id", "field"):
        if getattr(issue, key, None) is not None:
            d[key] = getattr(issue, key)
    if getattr(issue, "provenance", None) is not None:
        d["provenance"] = {k: v for k, v in converter.unstructure(issue.provenance).items() if v is not None}
    return d


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Deterministic order: entity, entity id, rule id."""
    return sorted(findings, key=lambda f: (f.record.entity, f.record.id, f.rule.id))
