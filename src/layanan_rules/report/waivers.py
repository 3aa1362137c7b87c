"""Waivers (approved exceptions) and attestations (manual verdicts), read from YAML, CSV or XLSX.

A **waiver** turns a failing or erroring finding of one rule on one entity into ``waived`` for a
period, with its reason, legal basis and approver. After its expiry date it no longer applies:
the finding shows in its real state, flagged "waiver kedaluwarsa / waiver expired".

An **attestation** records a person's verdict (pass or fail) on a duty no data can show, with an
evidence reference and a date. It becomes the finding of that rule on that entity, marked as
attested.

Both files are checked completely before any evaluation: every problem is reported with its place
(``file:line`` for YAML and CSV, ``file: sheet S, row N`` for XLSX), and nothing is applied if
any problem exists. See ``docs/reports.md`` for the columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from layanan_rules.data.adapters import Provenance
from layanan_rules.engine.states import State
from layanan_rules.report.findings import Finding, Report

if TYPE_CHECKING:
    from layanan_rules.rules.ruleset import Ruleset


class WaiverFileError(Exception):
    """A waiver or attestation file has problems; ``problems`` lists each with its place."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@attrs.frozen
class Waiver:
    """An approved exception for one rule on one entity (``entity_id: "*"`` = every entity)."""

    rule_id: str
    entity: str
    entity_id: str
    reason: str
    legal_basis: str
    approver: str
    start: dt.date
    expiry: dt.date
    source: str = ""

    def status(self, as_of: dt.date) -> str:
        """``active``, ``expired`` (after ``expiry``) or ``pending`` (before ``start``)."""
        if as_of > self.expiry:
            return "expired"
        if as_of < self.start:
            return "pending"
        return "active"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id, "entity": self.entity, "entity_id": self.entity_id, "reason": self.reason,
            "legal_basis": self.legal_basis, "approver": self.approver, "start": self.start.isoformat(),
            "expiry": self.expiry.isoformat(), "source": self.source,
        }


@attrs.frozen
class Attestation:
    """A manual verdict on one rule for one entity."""

    rule_id: str
    entity: str
    entity_id: str
    state: State  # pass_ or fail
    evidence_ref: str
    date: dt.date
    attested_by: str | None = None
    note: str | None = None
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = {
            "rule_id": self.rule_id, "entity": self.entity, "entity_id": self.entity_id,
            "state": self.state.value, "evidence_ref": self.evidence_ref, "date": self.date.isoformat(),
            "source": self.source,
        }
        if self.attested_by:
            out["attested_by"] = self.attested_by
        if self.note:
            out["note"] = self.note
        return out


# column name -> accepted spellings (lower case, spaces and dashes as underscores)
_WAIVER_FIELDS: dict[str, tuple[str, ...]] = {
    "rule": ("rule", "rule_id", "aturan", "id_aturan"),
    "entity": ("entity", "entitas"),
    "entity_id": ("entity_id", "id_entitas", "id"),
    "reason": ("reason", "alasan"),
    "legal_basis": ("legal_basis", "dasar_hukum"),
    "approver": ("approver", "approved_by", "disetujui_oleh", "penyetuju"),
    "start": ("start", "starts", "mulai", "berlaku_mulai", "tanggal_mulai"),
    "expiry": ("expiry", "expires", "until", "kedaluwarsa", "berlaku_sampai", "tanggal_berakhir"),
}
_WAIVER_REQUIRED = ("rule", "entity_id", "reason", "legal_basis", "approver", "start", "expiry")

_ATTEST_FIELDS: dict[str, tuple[str, ...]] = {
    "rule": ("rule", "rule_id", "aturan", "id_aturan"),
    "entity": ("entity", "entitas"),
    "entity_id": ("entity_id", "id_entitas", "id"),
    "state": ("state", "status", "hasil", "result"),
    "evidence": ("evidence", "evidence_ref", "bukti", "rujukan_bukti"),
    "date": ("date", "tanggal", "attested_on"),
    "attested_by": ("attested_by", "by", "oleh", "pemeriksa"),
    "note": ("note", "catatan"),
}
_ATTEST_REQUIRED = ("rule", "entity_id", "state", "evidence", "date")
_STATES = {"pass": State.pass_, "lulus": State.pass_, "ya": State.pass_, "fail": State.fail, "gagal": State.fail,
           "tidak": State.fail}


@attrs.frozen
class _Row:
    where: str
    values: dict[str, Any]
    keys: dict[str, str]  # canonical -> where of that key (YAML: its own line)


# --- reading the three file kinds ----------------------------------------------------------------------


def _norm(header: Any) -> str:
    return str(header or "").strip().lower().replace(" ", "_").replace("-", "_")


def _rows(path: Path, top_keys: tuple[str, ...]) -> list[_Row]:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _yaml_rows(path, top_keys)
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    raise WaiverFileError([(f"{path}: jenis berkas tidak dikenal, pakai .yaml, .csv atau .xlsx / "
                            f"unknown file type, use .yaml, .csv or .xlsx")])


def _yaml_rows(path: Path, top_keys: tuple[str, ...]) -> list[_Row]:
    from layanan_rules.rules.yamlpos import YamlError, load_file

    try:
        data, pos = load_file(path)
    except YamlError as exc:
        raise WaiverFileError([str(exc)]) from None
    base: tuple[Any, ...] = ()
    if isinstance(data, Mapping):
        key = next((k for k in top_keys if k in data), None)
        if key is None:
            raise WaiverFileError([(f"{path}:1: harapkan daftar, atau kunci {' / '.join(top_keys)} / "
                                    f"expected a list, or the key {' / '.join(top_keys)}")])
        data, base = data[key], (key,)
    if data is None:
        return []
    if not isinstance(data, list):
        raise WaiverFileError([f"{pos.of(base)}: harapkan daftar / expected a list"])
    out = []
    for i, item in enumerate(data):
        loc = pos.of(base + (i,))
        where = f"{loc.file}:{loc.line}"
        if not isinstance(item, Mapping):
            out.append(_Row(where, {"__not_mapping__": item}, {}))
            continue
        keys = {}
        for k in item:
            kl = pos.key_of(base + (i, k))
            keys[str(k)] = f"{kl.file}:{kl.line}"
        out.append(_Row(where, {str(k): v for k, v in item.items()}, keys))
    return out


def _csv_rows(path: Path) -> list[_Row]:
    from layanan_rules import inputs

    try:
        text = inputs.read_text(path)
    except inputs.InputError as exc:
        raise WaiverFileError([str(exc)]) from None
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    csv.field_size_limit(inputs.current().csv_field_chars)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise WaiverFileError([str(inputs.beyond("csv_field_chars", "satu sel", "a field", source=str(path),
                                                     line=reader.line_num + 1))]) from None
        raise WaiverFileError([f"{path}:{reader.line_num}: CSV tidak valid ({exc}) / invalid CSV"]) from None
    if not rows:
        return []
    header = rows[0]
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        values = {h: (row[j] if j < len(row) else "") for j, h in enumerate(header) if h.strip()}
        out.append(_Row(f"{path}:{n}", values, {}))
    return out


def _xlsx_rows(path: Path) -> list[_Row]:
    import openpyxl

    from layanan_rules import inputs

    try:
        inputs.check_workbook(path)
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except inputs.InputError as exc:
        raise WaiverFileError([str(exc)]) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise WaiverFileError([f"{path}: berkas xlsx tidak terbaca / unreadable xlsx: {exc}"]) from None
    ws = wb.worksheets[0]
    out = []
    header: list[Any] | None = None
    for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if header is None:
            if any(c is not None for c in row):
                header = list(row)
            continue
        if not any(c is not None and str(c).strip() for c in row):
            continue
        values = {str(h): ("" if c is None else c) for h, c in zip(header, row, strict=False) if h is not None}
        out.append(_Row(f"{path}: sheet {ws.title}, row {n}", values, {}))
    wb.close()
    return out


# --- checking --------------------------------------------------------------------------------------------


def _canonical(row: _Row, fields: Mapping[str, tuple[str, ...]], problems: list[str]) -> dict[str, Any]:
    lookup = {alias: canon for canon, aliases in fields.items() for alias in aliases}
    out: dict[str, Any] = {}
    if "__not_mapping__" in row.values:
        problems.append(f"{row.where}: harapkan mapping (kunci: nilai) / expected a mapping (key: value)")
        return out
    for key, value in row.values.items():
        canon = lookup.get(_norm(key))
        if canon is None:
            hint = difflib.get_close_matches(_norm(key), list(lookup), n=1)
            did = f" (maksud Anda / did you mean '{hint[0]}'?)" if hint else ""
            problems.append(f"{row.keys.get(key, row.where)}: kolom/kunci tidak dikenal '{key}' / unknown column "
                            f"'{key}'{did}; pilihan / allowed: {', '.join(fields)}")
            continue
        if isinstance(value, str):
            value = value.strip()
        out[canon] = value
    return out


def _date(value: Any, where: str, name: str, problems: list[str]) -> dt.date | None:
    from layanan_rules.model.parsing import ParseError, parse_date

    try:
        return parse_date(value)
    except (ParseError, ValueError, TypeError) as exc:
        problems.append(f"{where}: '{name}' bukan tanggal / is not a date: {value!r} ({exc})")
        return None


def _rule_entity(ruleset: Ruleset | None, rule_id: str, entity: str | None, where: str,
                 problems: list[str]) -> str | None:
    if ruleset is None:
        if not entity:
            problems.append(f"{where}: 'entity' wajib diisi / 'entity' is required")
        return entity or None
    try:
        rule = ruleset.rule(rule_id)
    except KeyError as exc:
        problems.append(f"{where}: {exc.args[0]}")
        return None
    if entity and entity != rule.entity:
        problems.append(f"{where}: aturan {rule_id} berlaku untuk '{rule.entity}', bukan '{entity}' / "
                        f"rule {rule_id} applies to '{rule.entity}', not '{entity}'")
        return None
    return rule.entity


def load_waivers(path: str | Path, ruleset: Ruleset | None = None) -> list[Waiver]:
    """Read and check a waiver file; raise :class:`WaiverFileError` listing every problem."""
    path = Path(path)
    problems: list[str] = []
    out: list[Waiver] = []
    for row in _rows(path, ("waivers", "pengecualian")):
        v = _canonical(row, _WAIVER_FIELDS, problems)
        if not v and "__not_mapping__" in row.values:
            continue
        missing = [k for k in _WAIVER_REQUIRED if v.get(k) in (None, "")]
        if missing:
            problems.append(f"{row.where}: wajib diisi / required: {', '.join(missing)}")
            continue
        start = _date(v["start"], row.where, "start", problems)
        expiry = _date(v["expiry"], row.where, "expiry", problems)
        entity = _rule_entity(ruleset, str(v["rule"]), str(v.get("entity") or "") or None, row.where, problems)
        if start is None or expiry is None or entity is None:
            continue
        if expiry < start:
            problems.append(f"{row.where}: 'expiry' ({expiry}) sebelum 'start' ({start}) / expiry is before start")
            continue
        out.append(Waiver(str(v["rule"]), entity, str(v["entity_id"]), str(v["reason"]), str(v["legal_basis"]),
                          str(v["approver"]), start, expiry, row.where))
    if problems:
        raise WaiverFileError(problems)
    return out


def load_attestations(path: str | Path, ruleset: Ruleset | None = None) -> list[Attestation]:
    """Read and check an attestation file; raise :class:`WaiverFileError` listing every problem."""
    path = Path(path)
    problems: list[str] = []
    out: list[Attestation] = []
    seen: dict[tuple[str, str, str], str] = {}
    for row in _rows(path, ("attestations", "atestasi")):
        v = _canonical(row, _ATTEST_FIELDS, problems)
        if not v and "__not_mapping__" in row.values:
            continue
        missing = [k for k in _ATTEST_REQUIRED if v.get(k) in (None, "")]
        if missing:
            problems.append(f"{row.where}: wajib diisi / required: {', '.join(missing)}")
            continue
        state = _STATES.get(_norm(v["state"]))
        if state is None:
            problems.append(f"{row.where}: 'state' harus pass/lulus atau fail/gagal / must be pass or fail, "
                            f"not {v['state']!r}")
        date = _date(v["date"], row.where, "date", problems)
        entity = _rule_entity(ruleset, str(v["rule"]), str(v.get("entity") or "") or None, row.where, problems)
        if state is None or date is None or entity is None:
            continue
        key = (str(v["rule"]), entity, str(v["entity_id"]))
        if key in seen:
            problems.append(f"{row.where}: atestasi ganda untuk / duplicate attestation for {' '.join(key)} "
                            f"(juga / also {seen[key]})")
            continue
        seen[key] = row.where
        out.append(Attestation(key[0], entity, key[2], state, str(v["evidence"]), date,
                               str(v["attested_by"]) if v.get("attested_by") else None,
                               str(v["note"]) if v.get("note") else None, row.where))
    if problems:
        raise WaiverFileError(problems)
    return out


# --- applying --------------------------------------------------------------------------------------------


def apply(report: Report, waivers: Iterable[Waiver] = (), attestations: Iterable[Attestation] = ()) -> Report:
    """Apply attestations, then waivers, to ``report`` in place (and return it).

    - An attestation replaces the finding of its rule on its entity (or adds one) with its state,
      marked attested.
    - A waiver active on ``report.as_of`` turns a matching ``fail``/``error`` finding into ``waived``;
      an expired one leaves the state as it is and flags the finding ``waiver_expired``; one that has
      not started yet does nothing. A waiver that matches no failing finding is noted.
    """
    waivers = list(waivers)
    attestations = list(attestations)
    if attestations:
        _attest(report, attestations)
    if waivers:
        _waive(report, waivers)
    report.waivers.extend(waivers)
    report.attestations.extend(attestations)
    return report


def _attest(report: Report, attestations: list[Attestation]) -> None:
    assert report.ruleset is not None, "attestations need the report's ruleset"
    # only the findings of the attested rules are looked at (and built); the last of a key wins
    index = {(f.rule.id, f.record.entity, f.record.id): pos
             for pos, f in report._positions({a.rule_id for a in attestations})}
    records: dict[tuple[str, str], Any] = {}
    if report.dataset is not None:
        for entity, recs in report.dataset.records.items():
            for r in recs:
                records.setdefault((entity, r.id), r)
    for r in report._records_of_findings():
        records.setdefault((r.entity, r.id), r)
    from layanan_rules.data.dataset import Record

    for a in attestations:
        rule = report.ruleset.rule(a.rule_id)
        key = (a.rule_id, a.entity, a.entity_id)
        pos = index.get(key)
        if pos is not None:
            old = _finding(report, pos)
            report._replace(pos, Finding(old.rule, old.record, a.state, attestation=a))
            continue
        rec = records.get((a.entity, a.entity_id))
        if rec is None:
            file, _, line = a.source.rpartition(":")
            rec = Record(a.entity, a.entity_id, None, Provenance(file or a.source, row=int(line) if line.isdigit() else None))
            report.notes.append(
                f"atestasi {a.source}: {a.entity} '{a.entity_id}' tidak ada dalam data / "
                f"attestation {a.source}: {a.entity} '{a.entity_id}' is not in the data"
            )
        index[key] = report._add(Finding(rule, rec, a.state, attestation=a))
    report.changed()


def _finding(report: Report, pos: Any) -> Finding:
    """The finding at a position of :meth:`Report._positions` as it stands now."""
    found: Finding
    if report._findings is not None:
        found = report._findings[pos]
    elif pos[0] == -1:
        found = report._added[pos[1]]
    else:
        found = report._finding_at(*pos)
    return found


def _waive(report: Report, waivers: list[Waiver]) -> None:
    """Mark the failing and erroring findings that waivers name: only the rows of the waived
    rules are read, and a Finding is built only for a row that fails or errs."""
    by_key: dict[tuple[str, str, str], list[Waiver]] = defaultdict(list)
    for w in waivers:
        by_key[(w.rule_id, w.entity, w.entity_id)].append(w)
    used: set[int] = set()
    as_of = report.as_of
    for pos, f in list(report._positions({w.rule_id for w in waivers}, (State.fail, State.error))):
        candidates = by_key.get((f.rule.id, f.record.entity, f.record.id), []) + by_key.get(
            (f.rule.id, f.record.entity, "*"), [])
        if not candidates:
            continue
        # an active waiver wins; else the most recently expired one flags the finding
        active = [w for w in candidates if w.status(as_of) == "active"]
        expired = sorted((w for w in candidates if w.status(as_of) == "expired"), key=lambda w: w.expiry)
        for w in candidates:
            used.add(id(w))
        if active:
            report._replace(pos, attrs.evolve(f, state=State.waived, waiver=active[0], waiver_status="active"))
        elif expired:
            report._replace(pos, attrs.evolve(f, waiver=expired[-1], waiver_status="expired"))
    report.changed()
    for w in waivers:
        if id(w) not in used:
            report.notes.append(
                f"waiver {w.source}: tidak cocok dengan temuan gagal/galat mana pun ({w.rule_id} {w.entity} "
                f"{w.entity_id}) / matches no failing or erroring finding"
            )
        elif w.status(as_of) == "pending":
            report.notes.append(
                f"waiver {w.source}: belum berlaku pada {as_of.isoformat()} (mulai {w.start.isoformat()}) / "
                f"not yet in force on {as_of.isoformat()}"
            )
