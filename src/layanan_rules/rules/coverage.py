"""Law coverage: every article of UU 25/2009 (Pasal 1-62) and the PP 96/2012 articles of the legal
reference, with the rules that check it and, for what no rule checks, why.

Two sources, so neither can drift from the other:

* the rules' own ``legal_basis`` says which rules check which provision;
* ``<ruleset>/coverage/pasal.yaml`` classifies what no rule checks, provision by provision:
  ``not_checkable`` (a provider duty the data cannot show; the reason names the evidence needed)
  or ``out_of_scope`` (definitions, rights, duties of the public, the Minister, the Ombudsman or
  the courts, sanctions, transitional rules).

An article with neither is ``unclassified``; ``tests/test_coverage.py`` keeps that list empty.

``layanan-rules rules coverage [--ruleset ID|PATH] [--format text|markdown|json] [--output FILE]``
prints the matrix (:func:`coverage_command`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import yaml

from layanan_rules.rules.ruleset import Ruleset

COVERAGE_FILE = Path("coverage") / "pasal.yaml"

#: statuses of a row, strongest first
CHECKED = "checked"
NOT_CHECKABLE = "not_checkable"
OUT_OF_SCOPE = "out_of_scope"
UNCLASSIFIED = "unclassified"
STATUSES = (CHECKED, NOT_CHECKABLE, OUT_OF_SCOPE, UNCLASSIFIED)
LABELS = {
    CHECKED: ("diperiksa aturan", "checked by rules"),
    NOT_CHECKABLE: ("tidak dapat diperiksa dari data", "not machine-checkable"),
    OUT_OF_SCOPE: ("di luar cakupan", "out of scope"),
    UNCLASSIFIED: ("belum diklasifikasi", "unclassified"),
}


class CoverageError(Exception):
    """The coverage data file is missing or malformed; the message says where."""


@attrs.frozen
class RuleRef:
    """A rule that cites an article, and the provision it cites (``ayat (3) huruf a``)."""

    rule_id: str
    provision: str
    severity: str
    confirmed: bool = True
    sanctions: tuple[str, ...] = ()  # labels of the rule's sanctions (Pasal 54 ayat ..., PP Pasal 49 ayat ...)


@attrs.frozen
class Part:
    """A provision no rule checks, classified in the coverage file."""

    status: str  # not_checkable | out_of_scope
    provision: str | None
    reason_id: str
    reason_en: str


@attrs.frozen
class Row:
    act: str
    article: int
    title_id: str
    title_en: str
    rules: tuple[RuleRef, ...]
    parts: tuple[Part, ...]

    @property
    def status(self) -> str:
        if self.rules:
            return CHECKED
        kinds = {p.status for p in self.parts}
        if NOT_CHECKABLE in kinds:
            return NOT_CHECKABLE
        if OUT_OF_SCOPE in kinds:
            return OUT_OF_SCOPE
        return UNCLASSIFIED

    def to_dict(self) -> dict[str, Any]:
        return {
            "act": self.act, "article": self.article, "title": {"id": self.title_id, "en": self.title_en},
            "status": self.status,
            "rules": [attrs.asdict(r) for r in self.rules],
            "unchecked": [attrs.asdict(p) for p in self.parts],
        }


@attrs.frozen
class Matrix:
    ruleset_id: str
    ruleset_version: str
    rows: tuple[Row, ...]
    #: rule citations of articles outside the matrix (other acts, or articles not listed)
    other_citations: tuple[tuple[str, str, str], ...] = ()

    def summary(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for row in self.rows:
            counts = out.setdefault(row.act, {s: 0 for s in STATUSES} | {"total": 0})
            counts[row.status] += 1
            counts["total"] += 1
        return out

    def unclassified(self) -> list[Row]:
        return [r for r in self.rows if r.status == UNCLASSIFIED]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset_id, "version": self.ruleset_version,
            "summary": self.summary(),
            "rows": [r.to_dict() for r in self.rows],
            "other_citations": [{"rule_id": a, "act": b, "citation": c} for a, b, c in self.other_citations],
        }


def provision_label(paragraph: Any, letter: Any, number: Any) -> str:
    bits = []
    if paragraph:
        bits.append(f"ayat ({paragraph})")
    if letter:
        bits.append(f"huruf {letter}")
    if number:
        bits.append(f"angka {number}")
    return " ".join(bits) or "(seluruh pasal)"


def _article_number(value: Any, where: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise CoverageError(f"{where}: nomor pasal bukan angka / article is not a number: {value!r}") from None


def load_data(folder: Path) -> dict[str, Any]:
    """Read and check ``coverage/pasal.yaml`` of a ruleset folder."""
    path = folder / COVERAGE_FILE
    if not path.is_file():
        raise CoverageError(f"{path}: berkas cakupan tidak ada / coverage file missing")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CoverageError(f"{path}: YAML tidak valid / invalid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("acts"), list) or not isinstance(data.get("entries"), list):
        raise CoverageError(f"{path}: harus memuat 'acts' dan 'entries' / must hold 'acts' and 'entries' lists")
    for i, e in enumerate(data["entries"]):
        where = f"{path}: entries[{i}]"
        if not isinstance(e, dict):
            raise CoverageError(f"{where}: harus berupa objek / must be a mapping")
        unknown = set(e) - {"act", "article", "provision", "status", "reason"}
        if unknown:
            raise CoverageError(f"{where}: kunci tidak dikenal / unknown keys {sorted(unknown)}")
        if e.get("status") not in (NOT_CHECKABLE, OUT_OF_SCOPE):
            raise CoverageError(f"{where}: status harus not_checkable atau out_of_scope, bukan {e.get('status')!r}")
        reason = e.get("reason")
        if not isinstance(reason, dict) or not str(reason.get("id", "")).strip() or not str(reason.get("en", "")).strip():
            raise CoverageError(f"{where}: alasan dwibahasa wajib / a bilingual reason {{id, en}} is required")
        _article_number(e.get("article"), where)
    data["_path"] = str(path)
    return data


def _articles(act_spec: dict[str, Any]) -> list[int]:
    if "articles" in act_spec:
        return [int(a) for a in act_spec["articles"]]
    return list(range(int(act_spec["first"]), int(act_spec["last"]) + 1))


def build_matrix(ruleset: Ruleset, data: dict[str, Any] | None = None) -> Matrix:
    """The coverage matrix of a loaded ruleset (and its coverage file, unless given)."""
    data = data if data is not None else load_data(Path(ruleset.path))
    cites: dict[tuple[str, int], list[RuleRef]] = {}
    other: list[tuple[str, str, str]] = []
    listed = {(a["act"], n) for a in data["acts"] for n in _articles(a)}
    for rule in ruleset.rules:
        seen: set[tuple[str, int, str]] = set()
        for c in rule.spec.legal_basis:
            try:
                art = int(str(c.article)) if c.article is not None else None
            except ValueError:
                art = None
            if art is None or (c.act, art) not in listed:
                other.append((rule.id, c.act, c.label("id")))
                continue
            prov = provision_label(c.paragraph, c.letter, c.number)
            if (c.act, art, prov) in seen:
                continue
            seen.add((c.act, art, prov))
            cites.setdefault((c.act, art), []).append(
                RuleRef(rule.id, prov, rule.severity.value, c.confirmed, tuple(x.label("id") for x in rule.spec.sanctions))
            )
    parts: dict[tuple[str, int], list[Part]] = {}
    for e in data["entries"]:
        key = (e["act"], _article_number(e["article"], data["_path"]))
        if key not in listed:
            raise CoverageError(f"{data['_path']}: {key[0]} Pasal {key[1]} tidak ada dalam daftar 'acts' / not listed in 'acts'")
        parts.setdefault(key, []).append(
            Part(e["status"], e.get("provision"), str(e["reason"]["id"]).strip(), str(e["reason"]["en"]).strip())
        )
    titles = data.get("titles") or {}
    rows = []
    for a in data["acts"]:
        for n in _articles(a):
            t = (titles.get(a["act"]) or {}).get(n) or {}
            rows.append(
                Row(a["act"], n, str(t.get("id", "")), str(t.get("en", "")),
                    tuple(cites.get((a["act"], n), ())), tuple(parts.get((a["act"], n), ())))
            )
    return Matrix(ruleset.id, ruleset.version, tuple(rows), tuple(other))


# --- rendering -----------------------------------------------------------------------------------


def _summary_lines(m: Matrix) -> list[str]:
    out = []
    for act, c in m.summary().items():
        out.append(
            f"{act}: {c['total']} pasal / articles - {c[CHECKED]} diperiksa aturan / checked, "
            f"{c[NOT_CHECKABLE]} tidak dapat diperiksa / not checkable, {c[OUT_OF_SCOPE]} di luar cakupan / out of scope, "
            f"{c[UNCLASSIFIED]} belum diklasifikasi / unclassified"
        )
    return out


def render_text(m: Matrix) -> str:
    lines = [f"Cakupan hukum / law coverage: {m.ruleset_id} {m.ruleset_version}", *_summary_lines(m), ""]
    for r in m.rows:
        lines.append(f"{r.act} Pasal {r.article:<3} {LABELS[r.status][0]:<32} {r.title_id}")
        for ref in r.rules:
            flag = "" if ref.confirmed else "  [belum terkonfirmasi / unconfirmed]"
            sanctions = f"  sanksi / sanctions: {'; '.join(ref.sanctions)}" if ref.sanctions else ""
            lines.append(f"    {ref.rule_id:<22} {ref.provision:<24} {ref.severity}{flag}{sanctions}")
        for p in r.parts:
            lines.append(f"    - {p.provision or '(seluruh pasal)'}: {LABELS[p.status][0]} - {p.reason_id}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(m: Matrix) -> str:
    lines = [
        "# Cakupan hukum / Law coverage",
        "",
        (f"Ruleset `{m.ruleset_id}` {m.ruleset_version}. Dibuat dari `legal_basis` setiap aturan dan "
         "`rulesets/uu-25-2009/coverage/pasal.yaml` / generated from each rule's `legal_basis` and the coverage file. "
         "Jangan disunting tangan / do not edit by hand: `python scripts/gen_rule_docs.py`."),
        "",
        ("Status: **diperiksa aturan** / checked by rules; **tidak dapat diperiksa dari data** / not machine-checkable "
         "(a provider duty the data cannot show); **di luar cakupan** / out of scope (not a provider duty). An article "
         "checked by rules may still have provisions that are not checkable; they are listed under it."),
        "",
    ]
    lines += [f"- {s}" for s in _summary_lines(m)]
    for act in dict.fromkeys(r.act for r in m.rows):
        lines += ["", f"## {act}", "", "| Pasal | Judul / Title | Status | Aturan / Rules | Tidak diperiksa / Not checked |",
                  "|---|---|---|---|---|"]
        for r in (x for x in m.rows if x.act == act):
            rules = "<br>".join(
                f"`{ref.rule_id}` {ref.provision}{'' if ref.confirmed else ' (unconfirmed)'}"
                + (f" [{', '.join(_short(x) for x in ref.sanctions)}]" if ref.sanctions else "")
                for ref in r.rules
            )
            parts = "<br>".join(
                f"{p.provision or 'seluruh pasal'}: *{LABELS[p.status][1]}* - {_md(p.reason_id)} / {_md(p.reason_en)}"
                for p in r.parts
            )
            lines.append(
                f"| {r.article} | {_md(r.title_id)} / {_md(r.title_en)} | {LABELS[r.status][0]} / {LABELS[r.status][1]} "
                f"| {rules} | {parts} |"
            )
    if m.other_citations:
        lines += ["", "## Rujukan lain / Other citations", "",
                  "Rule citations outside the matrix (other regulations, or articles the reference does not cover):", ""]
        for rid, _act, label in m.other_citations:
            lines.append(f"- `{rid}`: {label}")
    return "\n".join(lines) + "\n"


def _short(label: str) -> str:
    """``UU 25/2009 Pasal 54 ayat (7)`` -> ``54(7)``; ``PP 96/2012 Pasal 49 ayat (4)`` -> ``PP 49(4)``."""
    m = re.match(r"(?P<act>.+?) Pasal (?P<art>\S+)(?: ayat \((?P<ay>[^)]+)\))?", label)
    if not m:
        return label
    head = "" if m["act"] == "UU 25/2009" else m["act"].split("/")[0] + " "
    return f"{head}{m['art']}" + (f"({m['ay']})" if m["ay"] else "")


def render_json(m: Matrix) -> str:
    return json.dumps(m.to_dict(), ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}


def render(m: Matrix, fmt: str) -> str:
    return RENDERERS[fmt](m)


def iter_rows(m: Matrix, status: str) -> Iterable[Row]:
    return (r for r in m.rows if r.status == status)
