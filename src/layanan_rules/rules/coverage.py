"""Law coverage: every article of UU 25/2009 (Pasal 1-62) and the PP 96/2012 articles of the legal
reference, with the rules that check it and, for what no rule checks, why.

Two sources, so neither can drift from the other:

* the rules' own ``legal_basis`` says which rules check which provision;
* ``<ruleset>/coverage/pasal.yaml`` classifies what no rule checks, provision by provision:
  ``not_checkable`` (a provider duty the data cannot show; the reason names the evidence needed),
  ``out_of_scope`` (definitions, rights, duties of the public, the Minister, the Ombudsman or
  the courts, sanctions, transitional rules) or ``partly_checked`` (a rule cites the provision
  but checks less than it says; the reason says what is left).

An article is *checked* when rules cite it and nothing of it is left, *partly checked* when rules
cite it and a provision is not checkable or only partly checked, and ``unclassified`` with
neither; ``tests/test_coverage.py`` keeps that last list empty.

The file also lists the **machine checks of the legal reference** (``checks``: ``UU25.P44.3``
...), each with the rules that encode it or a reason why none can, so the count of checks
encoded, justified and missing is computed, not claimed.

The file is read like a rule file: through the located YAML loader and the strict converter, so
a stray key (a comma in an unquoted flow mapping splits a reason into keys) is an error with
``file:line:column``; :func:`lint` returns every problem (``rules lint`` prints them).

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

from layanan_rules.rules.rulefile import Text, converter
from layanan_rules.rules.ruleset import Problem, Ruleset, _read, _structure_problems
from layanan_rules.rules.yamlpos import Location, Positions

COVERAGE_FILE = Path("coverage") / "pasal.yaml"

#: statuses of a row, strongest first
CHECKED = "checked"
PARTLY_CHECKED = "partly_checked"
NOT_CHECKABLE = "not_checkable"
OUT_OF_SCOPE = "out_of_scope"
UNCLASSIFIED = "unclassified"
STATUSES = (CHECKED, PARTLY_CHECKED, NOT_CHECKABLE, OUT_OF_SCOPE, UNCLASSIFIED)
LABELS = {
    CHECKED: ("diperiksa aturan", "checked by rules"),
    PARTLY_CHECKED: ("diperiksa sebagian", "partly checked"),
    NOT_CHECKABLE: ("tidak dapat diperiksa dari data", "not machine-checkable"),
    OUT_OF_SCOPE: ("di luar cakupan", "out of scope"),
    UNCLASSIFIED: ("belum diklasifikasi", "unclassified"),
}
#: what an entry of the coverage file may say about a provision
ENTRY_STATUSES = (PARTLY_CHECKED, NOT_CHECKABLE, OUT_OF_SCOPE)
#: what the file may say of a reference machine check that no rule encodes
CHECK_REASONS = (NOT_CHECKABLE, OUT_OF_SCOPE)


class CoverageError(Exception):
    """The coverage data file is missing or malformed; ``problems`` lists every problem, located."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(Location("coverage", 1, 1), problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --- the coverage file, as the strict converter reads it ------------------------------------------


@attrs.frozen
class ActSpec:
    """An act of the matrix: its articles ``first``..``last``, or the ``articles`` listed."""

    act: str
    first: int | None = None
    last: int | None = None
    articles: tuple[int, ...] = ()

    def numbers(self) -> list[int]:
        if self.articles:
            return list(self.articles)
        return list(range(self.first or 1, (self.last or 0) + 1))


@attrs.frozen
class Entry:
    """What no rule checks (or checks only in part) of one provision, and why."""

    act: str
    article: int
    status: str
    reason: Text
    provision: str | None = None


@attrs.frozen
class CheckSpec:
    """A machine check of the legal reference (``UU25.P44.3``): the rules that encode it, or why none."""

    check: str
    rules: tuple[str, ...] = ()
    #: not_checkable | out_of_scope when no rule encodes it (neither: missing); partly_checked with
    #: ``rules`` when they check less than the reference's check (the reason says what is left)
    status: str | None = None
    reason: Text | None = None
    note: Text | None = None


@attrs.frozen
class CoverageFile:
    acts: tuple[ActSpec, ...]
    entries: tuple[Entry, ...]
    titles: dict[str, dict[str, Text]] = attrs.field(factory=dict)
    checks: tuple[CheckSpec, ...] = ()
    path: str = ""


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
        kinds = {p.status for p in self.parts}
        if self.rules:
            return PARTLY_CHECKED if kinds & {NOT_CHECKABLE, PARTLY_CHECKED} else CHECKED
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


ENCODED, JUSTIFIED, MISSING = "encoded", "justified", "missing"
PARTLY = "partly"


@attrs.frozen
class CheckRow:
    """One machine check of the legal reference and how the ruleset stands on it."""

    check: str
    rules: tuple[str, ...]
    status: str | None
    reason: Text | None
    note: Text | None

    @property
    def state(self) -> str:
        if self.rules:
            return ENCODED
        return JUSTIFIED if self.status in CHECK_REASONS and self.reason is not None else MISSING

    @property
    def partly(self) -> bool:
        """Encoded, but the rules check less than the reference's check (the reason says what is left)."""
        return bool(self.rules) and self.status == PARTLY_CHECKED

    @property
    def group(self) -> str:
        """``UU25``, ``PP96``, ``UU37``, ...: the act the reference's check belongs to."""
        return self.check.split(".", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "state": self.state, "partly": self.partly, "rules": list(self.rules),
                "status": self.status,
                "reason": attrs.asdict(self.reason) if self.reason else None,
                "note": attrs.asdict(self.note) if self.note else None}


@attrs.frozen
class Matrix:
    ruleset_id: str
    ruleset_version: str
    rows: tuple[Row, ...]
    #: rule citations of articles outside the matrix (other acts, or articles not listed)
    other_citations: tuple[tuple[str, str, str], ...] = ()
    #: the legal reference's machine checks (coverage file ``checks``)
    checks: tuple[CheckRow, ...] = ()

    def check_summary(self) -> dict[str, dict[str, int]]:
        """Per group (``UU25``, ``PP96`` ...): checks encoded (``partly``: of those, encoded only in part),
        justified as not checkable or out of scope, and missing."""
        out: dict[str, dict[str, int]] = {}
        for c in self.checks:
            counts = out.setdefault(c.group, {ENCODED: 0, PARTLY: 0, JUSTIFIED: 0, MISSING: 0, "total": 0})
            counts[c.state] += 1
            counts[PARTLY] += c.partly
            counts["total"] += 1
        return out

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
            "check_summary": self.check_summary(),
            "checks": [c.to_dict() for c in self.checks],
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


def load_data(folder: Path) -> CoverageFile:
    """Read ``coverage/pasal.yaml`` of a ruleset folder strictly; raise CoverageError listing every
    problem with its file:line:column."""
    path = folder / COVERAGE_FILE
    if not path.is_file():
        raise CoverageError(f"{path}: berkas cakupan tidak ada / coverage file missing")
    got = _read(path)
    if isinstance(got, Problem):
        raise CoverageError([got])
    data, positions = got
    try:
        spec = converter().structure(data, CoverageFile)
    except Exception as exc:  # noqa: BLE001 - every structuring failure becomes a located problem
        raise CoverageError(_structure_problems(exc, positions, (), None)) from None
    problems = _check_file(spec, positions)
    if problems:
        raise CoverageError(problems)
    return attrs.evolve(spec, path=str(path))


def _check_file(spec: CoverageFile, positions: Positions) -> list[Problem]:
    """What the types cannot say: statuses, reasons, and entries of articles the matrix lists."""
    out: list[Problem] = []
    listed = {(a.act, n) for a in spec.acts for n in a.numbers()}
    for i, e in enumerate(spec.entries):
        if e.status not in ENTRY_STATUSES:
            out.append(Problem(positions.of(("entries", i, "status")),
                               f"status harus salah satu dari / status must be one of {', '.join(ENTRY_STATUSES)}, "
                               f"bukan / not {e.status!r}"))
        if not e.reason.id.strip() or not e.reason.en.strip():
            out.append(Problem(positions.of(("entries", i, "reason")), "alasan dwibahasa wajib / a bilingual reason is required"))
        if (e.act, e.article) not in listed:
            out.append(Problem(positions.of(("entries", i, "article")),
                               f"{e.act} Pasal {e.article} tidak ada dalam daftar 'acts' / not listed in 'acts'"))
    seen: dict[str, int] = {}
    for i, c in enumerate(spec.checks):
        where = positions.of(("checks", i))
        if c.check in seen:
            out.append(Problem(where, f"pemeriksaan ganda / duplicate check {c.check} (also checks[{seen[c.check]}])"))
        seen.setdefault(c.check, i)
        if c.rules and c.status is not None:
            if c.status != PARTLY_CHECKED or c.reason is None:
                out.append(Problem(where, f"{c.check}: dengan 'rules', status hanya {PARTLY_CHECKED} dengan alasan / with "
                                          f"'rules', the status can only be {PARTLY_CHECKED} with a reason"))
        elif c.status is not None and (c.status not in CHECK_REASONS or c.reason is None):
            out.append(Problem(where, f"{c.check}: status harus {' / '.join(CHECK_REASONS)} dengan alasan / status must "
                                      f"be {' / '.join(CHECK_REASONS)} with a reason"))
    return out


def lint(folder: Path, ruleset: Ruleset | None = None) -> list[Problem]:
    """Every problem of a ruleset folder's coverage file; with the loaded ``ruleset``, also checks
    naming rules that do not exist or that cite another article than the check's. [] when the
    folder has no coverage file."""
    folder = folder.parent if folder.is_file() else folder
    if not (folder / COVERAGE_FILE).is_file():
        return []
    try:
        spec = load_data(folder)
    except CoverageError as exc:
        return list(exc.problems)
    if ruleset is None:
        return []
    out: list[Problem] = []
    by_id = {r.id: r for r in ruleset.rules}
    positions = _read(Path(spec.path))
    pos = positions[1] if not isinstance(positions, Problem) else Positions(spec.path)
    for i, c in enumerate(spec.checks):
        art = _check_article(c.check)
        for j, rid in enumerate(c.rules):
            rule = by_id.get(rid)
            if rule is None:
                out.append(Problem(pos.of(("checks", i, "rules", j)), f"{c.check}: aturan tidak ada / no rule '{rid}'"))
            elif art is not None and not any(str(x.article) == str(art[1]) and x.act == art[0]
                                             for x in rule.spec.legal_basis):
                out.append(Problem(pos.of(("checks", i, "rules", j)),
                                   f"{c.check}: aturan {rid} tidak mengutip {art[0]} Pasal {art[1]} / rule {rid} does not "
                                   f"cite {art[0]} Article {art[1]}"))
    return out


_CHECK_ACTS = {"UU25": "UU 25/2009", "PP96": "PP 96/2012", "UU37": "UU 37/2008", "PANRB14": "PermenPAN-RB 14/2017",
               "PANRB15": "PermenPAN-RB 15/2014"}


def _check_article(check: str) -> tuple[str, int] | None:
    """``UU25.P44.3`` -> (``UU 25/2009``, 44); None for a check not tied to one article."""
    m = re.match(r"([A-Z]+\d+)\.P(\d+)", check)
    if not m or m[1] not in _CHECK_ACTS:
        return None
    return _CHECK_ACTS[m[1]], int(m[2])


def build_matrix(ruleset: Ruleset, coverage: CoverageFile | None = None) -> Matrix:
    """The coverage matrix of a loaded ruleset (and its coverage file, unless given)."""
    data = coverage if coverage is not None else load_data(Path(ruleset.path))
    cites: dict[tuple[str, int], list[RuleRef]] = {}
    other: list[tuple[str, str, str]] = []
    listed = {(a.act, n) for a in data.acts for n in a.numbers()}
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
    for e in data.entries:
        parts.setdefault((e.act, e.article), []).append(
            Part(e.status, e.provision, e.reason.id.strip(), e.reason.en.strip())
        )
    rows = []
    for a in data.acts:
        for n in a.numbers():
            t = (data.titles.get(a.act) or {}).get(str(n))
            rows.append(
                Row(a.act, n, t.id if t else "", t.en if t else "",
                    tuple(cites.get((a.act, n), ())), tuple(parts.get((a.act, n), ())))
            )
    rules = {r.id for r in ruleset.rules}
    checks = tuple(
        CheckRow(c.check, tuple(r for r in c.rules if r in rules), c.status, c.reason, c.note) for c in data.checks
    )
    return Matrix(ruleset.id, ruleset.version, tuple(rows), tuple(other), checks)


# --- rendering -----------------------------------------------------------------------------------


def _summary_lines(m: Matrix) -> list[str]:
    out = []
    for act, c in m.summary().items():
        out.append(
            f"{act}: {c['total']} pasal / articles - {c[CHECKED]} diperiksa aturan / checked, "
            f"{c[PARTLY_CHECKED]} diperiksa sebagian / partly checked, "
            f"{c[NOT_CHECKABLE]} tidak dapat diperiksa / not checkable, {c[OUT_OF_SCOPE]} di luar cakupan / out of scope, "
            f"{c[UNCLASSIFIED]} belum diklasifikasi / unclassified"
        )
    for group, c in m.check_summary().items():
        out.append(
            f"Pemeriksaan referensi / reference checks {group}: {c['total']} - {c[ENCODED]} dikodekan / encoded "
            f"({c[PARTLY]} sebagian / partly), "
            f"{c[JUSTIFIED]} beralasan tidak dapat diperiksa / justified as not checkable, {c[MISSING]} belum / missing"
        )
    return out


def _check_lines(c: CheckRow, md: bool) -> str:
    code = f"`{c.check}`" if md else c.check
    if c.rules:
        rules = ", ".join(f"`{r}`" if md else r for r in c.rules)
        extra = f" - {c.note.id} / {c.note.en}" if c.note else ""
        if c.partly and c.reason is not None:
            label = LABELS[PARTLY_CHECKED]
            extra += (f" - *{label[1]}*: " if md else f" - {label[0]}: ") + f"{c.reason.id} / {c.reason.en}"
        return f"{code}: {rules}{extra}"
    reason = f"{c.reason.id} / {c.reason.en}" if c.reason else ""
    label = LABELS.get(c.status or "", ("belum", "missing"))
    return f"{code}: *{label[1]}* - {reason}" if md else f"{code}: {label[0]} - {reason}"


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
    if m.checks:
        lines += ["", "Pemeriksaan mesin referensi / the legal reference's machine checks:"]
        lines += [f"  {_check_lines(c, md=False)}" for c in m.checks]
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
        ("Status: **diperiksa aturan** / checked by rules; **diperiksa sebagian** / partly checked (rules cite the "
         "article, but a provision is not checkable or a rule checks less than it says; listed under it); **tidak dapat "
         "diperiksa dari data** / not machine-checkable (a provider duty the data cannot show); **di luar cakupan** / "
         "out of scope (not a provider duty)."),
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
    if m.checks:
        lines += ["", "## Pemeriksaan mesin referensi / The legal reference's machine checks", "",
                  ("Setiap pemeriksaan yang diusulkan referensi hukum (`UU25.P44.3` ...), dengan aturan yang "
                   "mengodekannya atau alasan mengapa tidak ada. / Every check the legal reference proposes, with the "
                   "rules that encode it or why none can."), ""]
        for group, c in m.check_summary().items():
            lines.append(f"- {group}: {c['total']} - {c[ENCODED]} encoded ({c[PARTLY]} partly), {c[JUSTIFIED]} justified, "
                         f"{c[MISSING]} missing")
        lines.append("")
        lines += [f"- {_md(_check_lines(c, md=True))}" for c in m.checks]
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
