"""Findings and the Report: what an evaluation returns, and its JSON shape.

Every (rule, entity) pair ends in exactly one :class:`State`. A finding keeps references to
its rule and record, so its evidence (the values the rule read), legal basis and provenance are
derived on demand rather than copied into millions of findings.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import typing
from collections import Counter
from collections.abc import Iterable, Iterator, MutableSequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import attrs

from layanan_rules.engine.states import Block, Reason, SkippedRule, State
from layanan_rules.model import construct
from layanan_rules.model.bulk import paused_gc
from layanan_rules.model.records import Provenance, shown_location
from layanan_rules.report.evidence import (  # noqa: F401  (re-exported: the public names of evidence)
    PERSONAL_PATHS,
    _jsonable,
    citation_dict,
    evidence_of,
    is_personal_path,
    mask_evidence,
    mask_message,
    personal_evidence,
    rule_texts,
)
from layanan_rules.rules.ruleset import leaf_reads

if TYPE_CHECKING:
    from layanan_rules.data.dataset import DataIssue, Record
    from layanan_rules.engine import Results
    from layanan_rules.rules.ruleset import Rule, Ruleset

#: Version of the JSON report schema (docs/report-schema.json).
SCHEMA_VERSION = "3.0"


#: the fields of an engine row, ``(rule, record, state, reason, message)``, in Finding order
_ROW_FIELDS = ("rule", "record", "state", "reason", "message", "context")

_RULE_OF, _STATE_OF = attrgetter("rule"), attrgetter("state")
_STATE_VALUES = tuple(s.value for s in State)
_PASS, _FAIL, _NA, _ERROR = State.pass_, State.fail, State.not_applicable, State.error

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


def _rule_part(rule: Rule) -> dict[str, Any]:
    """The parts of a finding's JSON that come from its rule (built once per rule)."""
    return {"rule_id": rule.spec.id, "rule_version": rule.version, **rule_texts(rule)}


#: the states whose evidence shows what the rule's deadline calls computed (report.computed)
_EXPLAINED = frozenset({State.fail, State.error, State.waived})


#: Findings built at a time while a FindingList is read (with the collector paused): a bounded
#: batch, however many findings the report has.
_BATCH = 4_096


class FindingList(MutableSequence[Finding]):
    """:attr:`Report.findings` read from the engine's blocks: each Finding is built as it is read,
    so a report of millions of findings holds its blocks (a state per row), not millions of
    objects. Waivers and attestations show through (the report's marks). Changing the list makes
    the report hold an ordinary list of Findings from then on (what ``report.findings`` was)."""

    __slots__ = ("_report",)

    def __init__(self, report: Report) -> None:
        self._report = report

    def __len__(self) -> int:
        r = self._report
        if r._findings is not None:
            return len(r._findings)
        return sum(len(b[2]) for b in r._results or ()) + len(r._added)

    def __iter__(self) -> Iterator[Finding]:
        r = self._report
        if r._findings is not None:
            yield from r._findings
            return
        make = construct.maker(Finding, _ROW_FIELDS)
        context = r._context()
        for b, (rule, records, states, errors) in enumerate(r._results or ()):
            marks = r._marks.get(b)
            rows_with_errors = sorted(errors) if errors else ()
            for start in range(0, len(states), _BATCH):
                stop = start + _BATCH
                part = states[start:stop] if start or len(states) > _BATCH else states
                reasons: list[Any] = [None] * len(part)
                messages: list[Any] = [None] * len(part)
                for i in rows_with_errors[bisect.bisect_left(rows_with_errors, start):
                                          bisect.bisect_left(rows_with_errors, stop)]:
                    reasons[i - start], messages[i - start] = errors[i]
                with paused_gc():
                    batch = list(map(make, itertools.repeat(rule), records[start:stop], part, reasons, messages,
                                     itertools.repeat(context)))
                if marks:
                    for i, f in marks.items():
                        if start <= i < stop:
                            batch[i - start] = f
                yield from batch
        yield from r._added

    def _at(self, index: int) -> Finding:
        r = self._report
        if r._findings is not None:
            return r._findings[index]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("findings index out of range")
        for b, block in enumerate(r._results or ()):
            size = len(block[2])
            if index < size:
                return r._finding_at(b, index)
            index -= size
        return r._added[index]

    @typing.overload
    def __getitem__(self, index: int) -> Finding: ...
    @typing.overload
    def __getitem__(self, index: slice) -> list[Finding]: ...
    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step > 0:  # built up to ``stop`` only
                return list(itertools.islice(self, start, stop, step))
            return list(self)[index]
        return self._at(index)

    def _held(self) -> list[Finding]:
        """The report's findings as a list it holds (every Finding built): what changing them needs."""
        r = self._report
        if r._findings is None:
            r.findings = list(self)
        return r._findings  # type: ignore[return-value]

    def __setitem__(self, index: Any, value: Any) -> None:
        self._held()[index] = value
        self._report.changed()

    def __delitem__(self, index: Any) -> None:
        del self._held()[index]
        self._report.changed()

    def insert(self, index: int, value: Finding) -> None:
        self._held().insert(index, value)
        self._report.changed()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, FindingList)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{len(self)} findings>"
@attrs.define(weakref_slot=False)  # built by construct.maker in of(); nothing refers to one weakly
class Report:
    """The result of evaluating a ruleset over a dataset at ``as_of``.

    Its findings are kept as the engine's blocks and read as a columnar table
    (:meth:`to_arrow`, :mod:`layanan_rules.report.table`); :attr:`findings` builds each Finding
    object as it is read (:class:`FindingList`). Waivers and attestations
    (:mod:`layanan_rules.report.waivers`) mark the rows they change over the blocks, which never
    change. Every format is written from the table (:meth:`write`).
    """

    ruleset_id: str
    ruleset_version: str
    as_of: dt.date
    #: Finding objects set by hand (``Report(..., findings=[...])`` or ``report.findings = [...]``);
    #: None while the findings are the engine's blocks, read lazily (:attr:`findings`)
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
    #: the engine's compact results, one :data:`Block` per rule, in rule order (never changed)
    _results: list[Block] | None = attrs.field(default=None, alias="blocks", repr=False)
    #: where the data came from: ``{"location": ..., "sha256": ..., "bytes": ...}`` (set by the CLI)
    source: dict[str, Any] = attrs.field(factory=dict, repr=False)
    #: tables, scores and the hierarchy, built once per option set; cleared when findings change
    _cache: dict[Any, Any] = attrs.field(factory=dict, init=False, repr=False, eq=False)
    #: findings that waivers and attestations changed, over the engine's blocks: block index ->
    #: row -> the Finding that row now is (a sparse mask: the blocks themselves never change)
    _marks: dict[int, dict[int, Finding]] = attrs.field(factory=dict, init=False, repr=False)
    #: findings added after the blocks (an attestation of an entity with no finding of its rule)
    _added: list[Finding] = attrs.field(factory=list, init=False, repr=False)

    @classmethod
    def of(cls, results: Results) -> Report:
        """The report of one evaluation: the engine's results, the dataset's issues and counts."""
        ds, rs = results.dataset, results.ruleset
        args = (rs.id, rs.version, results.as_of, None, results.skipped, ds.all_issues(), ds.counts(),
                dict(getattr(ds, "skipped", {})), getattr(ds, "skipped_records", 0))
        if cls is Report:
            return _make_report(*args, rs, results.blocks)  # type: ignore[no-any-return]
        return cls(*args, ruleset=rs, blocks=results.blocks)

    @classmethod
    def of_blocks(cls, ruleset: Ruleset, as_of: dt.date, blocks: list[Block], skipped: list[SkippedRule],
                  records: dict[str, int]) -> Report:
        """The report of an evaluation whose data has no issue (:func:`layanan_rules.engine.evaluate_one`):
        what :meth:`of` makes of the same blocks, skipped rules and records per entity."""
        if cls is Report:
            return _make_report(ruleset.id, ruleset.version, as_of, None, skipped, [], records, {}, 0,  # type: ignore[no-any-return]
                                ruleset, blocks)
        return cls(ruleset.id, ruleset.version, as_of, None, skipped, [], records, {}, 0, ruleset=ruleset, blocks=blocks)

    @property
    def findings(self) -> FindingList | list[Finding]:
        """One Finding per (rule, entity) pair, in rule order then input order: a sequence read
        lazily from the engine's blocks (each Finding is built as it is read, none is kept), with
        what waivers and attestations changed in place. Changing it (``append``, ``[i] = ``)
        makes it an ordinary list, held by the report."""
        if self._findings is not None:
            return self._findings
        return FindingList(self)

    @findings.setter
    def findings(self, value: Iterable[Finding]) -> None:
        self._findings = list(value)
        self._marks = {}
        self._added = []
        self.changed()

    @property
    def _blocks(self) -> list[Block] | None:
        """The engine's blocks when they are the findings as they stand (no waiver, attestation
        or hand-set findings over them): what the table and the scores read directly."""
        if self._findings is None and not self._marks and not self._added:
            return self._results
        return None

    # --- the findings as positions, for waivers and attestations (report.waivers) ----------------------

    def _context(self) -> tuple[Any, dt.date]:
        return (self.ruleset.params if self.ruleset is not None else None, self.as_of)

    def _finding_at(self, b: int, i: int) -> Finding:
        """The finding at row ``i`` of block ``b`` as it stands."""
        marks = self._marks.get(b)
        if marks is not None and i in marks:
            return marks[i]
        rule, records, states, errors = self._results[b]  # type: ignore[index]
        reason, message = errors.get(i, (None, None))
        return Finding(rule, records[i], states[i], reason, message, context=self._context())

    def _positions(self, rule_ids: Any = None, states: Any = None) -> Iterator[tuple[Any, Finding]]:
        """``(position, finding)`` for the findings of ``rule_ids`` (all when None) whose state is
        in ``states`` (any when None), in order; a Finding is built only for the rows chosen. A
        position is what :meth:`_replace` takes."""
        if self._findings is not None:
            for n, f in enumerate(self._findings):
                if (rule_ids is None or f.rule.id in rule_ids) and (states is None or f.state in states):
                    yield n, f
            return
        for b, (rule, _records, st, _errors) in enumerate(self._results or ()):
            if rule_ids is not None and rule.id not in rule_ids:
                continue
            marks = self._marks.get(b)
            for i, s in enumerate(st):
                if marks is not None and i in marks:
                    if states is None or marks[i].state in states:
                        yield (b, i), marks[i]
                elif states is None or s in states:
                    yield (b, i), self._finding_at(b, i)
        for n, f in enumerate(self._added):
            if (rule_ids is None or f.rule.id in rule_ids) and (states is None or f.state in states):
                yield (-1, n), f

    def _replace(self, position: Any, finding: Finding) -> None:
        """Put ``finding`` at ``position`` (from :meth:`_positions` or :meth:`_add`)."""
        if self._findings is not None:
            self._findings[position] = finding
        elif position[0] == -1:
            self._added[position[1]] = finding
        else:
            self._marks.setdefault(position[0], {})[position[1]] = finding

    def _add(self, finding: Finding) -> Any:
        """Append ``finding`` after every other; its position."""
        if self._findings is not None:
            self._findings.append(finding)
            return len(self._findings) - 1
        self._added.append(finding)
        return (-1, len(self._added) - 1)

    def _records_of_findings(self) -> Iterator[Any]:
        """The records findings point at (each block's records once), without building findings."""
        if self._findings is not None:
            yield from (f.record for f in self._findings)
            return
        seen: set[int] = set()
        for _rule, records, _st, _er in self._results or ():
            if id(records) not in seen:
                seen.add(id(records))
                yield from records
        yield from (f.record for f in self._added)

    def changed(self) -> None:
        """Forget tables and scores built so far (after findings were replaced in place)."""
        hierarchy = self._cache.get("hierarchy")
        self._cache.clear()
        if hierarchy is not None:
            self._cache["hierarchy"] = hierarchy

    @property
    def complete(self) -> bool:
        """False when part of the source could not be read (``--keep-going``): never present
        such a report as complete."""
        return not any(i.kind == "source_unavailable" for i in self.data_issues)

    def counts(self) -> dict[str, int]:
        """Findings per state, every state present."""
        got = self._cache.get("counts")
        if got is None:
            got = dict.fromkeys(_STATE_VALUES, 0)
            for per_state in self._counts_by_rule().values():
                for state, n in per_state.items():
                    got[state] += n
            if self._blocks is not None:  # the engine's blocks never change: summed once per report
                self._cache["counts"] = got
        return dict(got)

    def counts_by_rule(self) -> dict[str, dict[str, int]]:
        """Findings per rule and state, ``{"UU25-21a": {"pass": 3, "fail": 1, ...}}``: rules in
        the order they were evaluated (each rule with at least one finding), every state present.
        Builds no Finding objects unless findings were set by hand."""
        return {rid: dict(per) for rid, per in self._counts_by_rule().items()}

    def _counts_by_rule(self) -> dict[str, dict[str, int]]:
        """:meth:`counts_by_rule`, not copied: kept for the report's life when counted from blocks."""
        blocks = self._blocks
        if blocks is not None:  # the engine's blocks never change: counted once per report
            got = self._cache.get("counts_by_rule")
            if got is not None:
                return got  # type: ignore[no-any-return]
            groups: Iterable[tuple[Any, Iterable[Any]]] = ((b[0], b[2]) for b in blocks if b[2])
        elif self._findings is None:  # the blocks with waivers and attestations over them
            groups = self._marked_groups()
        else:
            groups = ((rule, list(map(_STATE_OF, fs))) for rule, fs in itertools.groupby(self._findings, key=_RULE_OF))
        out: dict[str, dict[str, int]] = {}
        with paused_gc():
            # states are counted by identity, in C (an Enum's __hash__ is Python code, a million
            # times over); findings come grouped by rule
            for rule, states in groups:
                d = out.get(rule.id)
                if d is None:
                    d = out[rule.id] = dict.fromkeys(_STATE_VALUES, 0)
                if type(states) is list and len(states) < 16:  # a few records (a server request): no Counter
                    for state in states:
                        d[state._value_] += 1
                    continue
                if type(states) is not list:
                    states = list(states)
                # list.count compares by identity first, in C: a few passes over the list cost
                # less than one Counter (which makes an int per state)
                n, p, f, na = len(states), states.count(_PASS), states.count(_FAIL), states.count(_NA)
                d["pass"] += p
                d["fail"] += f
                d["not_applicable"] += na
                rest = n - p - f - na
                if rest:
                    e = states.count(_ERROR)
                    d["error"] += e
                    d["waived"] += rest - e
        if blocks is not None:
            self._cache["counts_by_rule"] = out
        return out

    def _marked_groups(self) -> Iterator[tuple[Any, Iterable[Any]]]:
        """(rule, states) of every non-empty block with the marks applied, then of added findings."""
        for b, (rule, _records, states, _errors) in enumerate(self._results or ()):
            if not states:  # no finding, so no rule in the counts (as when findings are listed)
                continue
            marks = self._marks.get(b)
            if marks:
                states = list(states)
                for i, f in marks.items():
                    states[i] = f.state
            yield rule, states
        for rule, fs in itertools.groupby(self._added, key=_RULE_OF):
            yield rule, list(map(_STATE_OF, fs))

    def evaluated_rules(self) -> list[Rule]:
        """Every rule with findings, in rule order (the ruleset's, then rules only findings name)."""
        blocks = self._blocks
        if blocks is not None:  # a rule whose entity had no record has an empty block: no findings
            return [b[0] for b in blocks if b[2]]
        seen: dict[str, Rule] = {}
        if self._findings is None:  # waivers or attestations over the blocks
            for rule, _states in self._marked_groups():
                seen.setdefault(rule.id, rule)
        for f in self._findings or ():
            seen.setdefault(f.rule.id, f.rule)
        if self.ruleset is not None:
            order = {r.id: i for i, r in enumerate(self.ruleset.rules)}
            return sorted(seen.values(), key=lambda r: order.get(r.id, len(order)))
        return list(seen.values())

    def by_state(self, state: State) -> list[Finding]:
        return [f for f in self.findings if f.state is state]

    def failed(self, min_severity: Any = None) -> list[Finding]:
        """Failures at or above a severity (all failures when None)."""
        return [
            f for f in self.findings
            if f.state is State.fail and (min_severity is None or f.severity.rank >= min_severity.rank)
        ]

    def has_failures(self, min_severity: Any = None) -> bool:
        """Whether any finding fails at or above ``min_severity``, without building Findings."""
        by_id = {r.id: r for r in self.evaluated_rules()}
        return any(
            n["fail"] and (min_severity is None or by_id[rid].severity.rank >= min_severity.rank)
            for rid, n in self._counts_by_rule().items()
        )

    def hierarchy(self) -> Any:
        """Where each record rolls up (unit, penyelenggara, wilayah): built once per report."""
        got = self._cache.get("hierarchy")
        if got is None:
            from layanan_rules.report.scores import hierarchy_of

            got = self._cache["hierarchy"] = hierarchy_of(self)
        return got

    def to_arrow(self, *, lang: str = "id", show_personal: bool = False, evidence: str = "problems") -> Any:
        """The findings as a ``pyarrow.Table`` (columns: :mod:`layanan_rules.report.table`).

        ``evidence="problems"`` (default) keeps evidence and provenance for fail, error, waived,
        attested and expired-waiver rows; ``"all"`` for every row. Personal data is masked unless
        ``show_personal``. Built once per option set.
        """
        key = ("table", lang, bool(show_personal), evidence)
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = self.findings_table(lang=lang, show_personal=show_personal,
                                                         evidence=evidence).table()
        return got

    def findings_table(self, *, lang: str = "id", show_personal: bool = False, evidence: str = "problems") -> Any:
        """The findings table as the report formats read it (:class:`layanan_rules.report.table.Findings`):
        the columns of :meth:`to_arrow`, evidence and provenance made a batch at a time as rows are
        read, so a large report's problems are never all in memory. Built once per option set."""
        key = ("findings", lang, bool(show_personal), evidence)
        got = self._cache.get(key)
        if got is None:
            from layanan_rules.report import table

            got = self._cache[key] = table.findings(self, lang=lang, show_personal=show_personal, evidence=evidence)
        return got

    def scores(self, *, min_scored: int | None = None) -> Any:
        """Scores and zones per unit, penyelenggara, wilayah and chapter (:mod:`layanan_rules.report.scores`)."""
        from layanan_rules.report import scores

        min_scored = scores.DEFAULT_MIN_SCORED if min_scored is None else min_scored
        key = ("scores", min_scored)
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = scores.compute(self, min_scored=min_scored)
        return got

    def rules(self) -> dict[str, dict[str, Any]]:
        """Rule id -> its metadata (title, legal basis with article text, sanction, remedy in both
        languages, chapter, weight), for every rule with findings: what findings name by ``rule_id``."""
        got = self._cache.get("rules")
        if got is None:
            from layanan_rules.report.table import rules_map

            got = self._cache["rules"] = rules_map(self)
        return got

    def parameters(self) -> dict[str, Any]:
        """Every ruleset parameter's value in this run (after ``--param``), for the record."""
        if self.ruleset is None:
            return {}
        return {name: getattr(self.ruleset.params, name) for name in self.ruleset.spec.parameters}

    def personal_fields(self) -> tuple[str, ...]:
        return tuple(self.ruleset.spec.personal_fields) if self.ruleset is not None else ()

    def identity(self) -> dict[str, Any]:
        """What makes this report checkable later: the source and its SHA-256, the ruleset, the tool
        and holiday-calendar versions, when it was generated (``SOURCE_DATE_EPOCH`` when set, for
        reproducible output) and the date the law was applied at."""
        got = self._cache.get("identity")
        if got is None:
            got = self._cache["identity"] = _identity(self)
        return got

    def head(self, *, lang: str = "id", show_personal: bool = False, min_scored: int | None = None,
             evidence: str = "problems", rules: bool = True) -> dict[str, Any]:
        """The JSON document without its findings (schema :data:`SCHEMA_VERSION`): identity,
        summary, scores, the rules map, skipped rules, data issues, waivers and notes. With
        ``rules=False`` the rules map is left None, in its place (a server that keeps it encoded
        per set of rules puts it in)."""
        sc = self.scores(min_scored=min_scored)
        personal = self.personal_fields()
        counts = self.counts()
        issues = [_issue_dict(i) for i in self.data_issues]
        if not show_personal:
            for d in issues:
                if d.get("entity") and d.get("field"):
                    d["message"] = mask_message(d["entity"], f"{d['field']}: {d['message']}", personal, lang,
                                                whole=True).partition(": ")[2]
        return {
            "schema_version": SCHEMA_VERSION,
            "report": {**self.identity(), "lang": lang, "evidence": evidence,
                       "personal_data": "shown" if show_personal else "masked"},
            "ruleset": {"id": self.ruleset_id, "version": self.ruleset_version, "parameters": self.parameters()},
            "as_of": self.as_of.isoformat(),
            "calendar": calendar_of(self),
            "lang": lang,
            "personal_data": "shown" if show_personal else "masked",
            "summary": {
                "complete": self.complete,
                "findings": sum(counts.values()), "states": counts, "records": dict(self.records),
                "skipped": dict(self.skipped), "skipped_records": self.skipped_records,
                "data_issues": dict(Counter(i["kind"] for i in issues)),
                "attested": sc.total.attested,  # the total score sums every finding's marks
                "waivers_expired": sc.total.waivers_expired,
                "score": sc.total.score, "zone": sc.total.zone, "sufficient": sc.total.sufficient,
                "zone_label": sc.total.to_dict()["zone_label"],
            },
            "scores": sc.to_dict(),
            "rules": self.rules() if rules else None,
            "skipped_rules": [attrs.asdict(s) for s in self.skipped_rules],
            "data_issues": issues,
            "waivers": [w.to_dict() for w in self.waivers],
            "attestations": [a.to_dict() for a in self.attestations],
            "notes": list(self.notes),
        }

    def to_dict(self, *, lang: str = "id", show_personal: bool = False, min_scored: int | None = None,
                evidence: str = "problems") -> dict[str, Any]:
        """The JSON form (schema version :data:`SCHEMA_VERSION`, docs/report-schema.json), findings
        included: for a large report, :meth:`write` streams the same document to a file.

        Deterministic for the same input (set ``SOURCE_DATE_EPOCH`` to fix ``report.generated_at``).
        Personal data is masked unless ``show_personal``.
        """
        import json

        from layanan_rules.report.stream import finding_lines, json_units, quiet_lines, report_source
        from layanan_rules.report.table import quiet

        doc = self.head(lang=lang, show_personal=show_personal, min_scored=min_scored, evidence=evidence)
        table = self.to_arrow(lang=lang, show_personal=show_personal, evidence=evidence)
        doc["units"] = units = json_units(table)
        mask = quiet(table)
        doc["findings"] = [json.loads(line) for lines in finding_lines(table, units, report_source(self), mask)
                           for line in lines]
        doc["quiet"] = [json.loads(line) for lines in quiet_lines(table, units, mask) for line in lines]
        return doc

    def write(self, path: Any, format: str = "json", **options: Any) -> None:
        """Write the report to ``path`` in ``format`` (any reporter: ``layanan-rules formats``),
        streamed from the findings table. ``options``: ``lang``, ``show_personal``, ``min_scored``,
        ``evidence`` and the format's own (``csv_delimiter``, ...)."""
        from layanan_rules.plugins import get_plugin_manager
        from layanan_rules.report.reporters import available

        reporters = available(get_plugin_manager())
        if format not in reporters:
            raise ValueError(f"unknown format {format!r}; choices: {', '.join(sorted(reporters))}")
        reporter = reporters[format]
        fh: Any
        with (open(path, "wb") if reporter.binary else open(path, "w", encoding="utf-8", newline="")) as fh:
            reporter.render(self, fh, dict(options))


@functools.cache
def _version(dist: str) -> str | None:
    """An installed distribution's version, read once per process (a server answers many reports)."""
    if dist == "layanan-rules":
        from layanan_rules._version import __version__

        return __version__
    import importlib.metadata as md

    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return None


def _identity(report: Report) -> dict[str, Any]:
    import os

    version = _version
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit()
            else dt.datetime.now(dt.UTC)).replace(microsecond=0)
    return {
        "generated_at": when.isoformat().replace("+00:00", "Z"),
        "tool": {"name": "layanan-rules", "version": version("layanan-rules")},
        "ruleset": {"id": report.ruleset_id, "version": report.ruleset_version},
        "calendar": {"name": "holidays", "country": "ID", "version": version("holidays")},
        "source": dict(report.source) or None,
        "as_of": report.as_of.isoformat(),
    }


def source_identity(location: str) -> dict[str, Any]:
    """``{"location", "sha256", "bytes"}`` of a local file (hashed in 1 MiB reads), else the location alone."""
    import hashlib
    import os

    out: dict[str, Any] = {"location": shown_location(location)}  # never a database password
    if os.path.isfile(location):
        h = hashlib.sha256()
        with open(location, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        out["sha256"] = h.hexdigest()
        out["bytes"] = os.path.getsize(location)
    return out


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



#: the fields :meth:`Report.of` sets, in order; every other one its default
_OF_FIELDS = ("ruleset_id", "ruleset_version", "as_of", "_findings", "skipped_rules", "data_issues", "records",
              "skipped", "skipped_records", "ruleset", "_results")
#: ``Report.of``'s construction without attrs' ``__init__`` (a server makes one report per request)
_make_report = construct.maker(Report, _OF_FIELDS)
