"""Text shared by the report formats: ordering, citations, evidence, provenance, groups.

Every function reads the report's JSON document (:meth:`Report.to_dict`), so the table, markdown,
HTML and xlsx formats word things the same way.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from typing import Any

from layanan_rules.report.i18n import fmt_date, fmt_number, state_label, t, zone_label

_SEVERITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
_STATE_RANK = {"error": 0, "fail": 1, "waived": 2, "not_applicable": 3, "pass": 4}
PROBLEM_STATES = ("fail", "error")


def problem_order(f: dict[str, Any]) -> tuple[Any, ...]:
    """Worst first: failures before errors of the same severity, then waived, then the rest."""
    state = f["state"]
    band = 0 if state in PROBLEM_STATES else 1 if state == "waived" else 2
    return (band, -_SEVERITY_RANK.get(f["severity"], 0), _STATE_RANK[state] if band else (state != "fail"),
            f["entity"], f["entity_id"], f["rule_id"])


def citations(f: dict[str, Any], lang: str) -> str:
    return "; ".join(c["label_en" if lang == "en" else "label"] for c in f.get("legal_basis") or [])


def sanction_text(f: dict[str, Any], lang: str) -> str:
    """Every sanction of the finding's rule, ``; ``-separated (a schema-1.0 finding has one)."""
    items = f.get("sanctions")
    if items is None:
        items = [f["sanction"]] if f.get("sanction") else []
    return "; ".join(str(s.get("label_en" if lang == "en" else "label") or s.get("label") or "") for s in items)


def article_text(f: dict[str, Any]) -> str:
    return "\n".join((c.get("text") or "").strip() for c in f.get("legal_basis") or [] if c.get("text"))


def evidence_text(f: dict[str, Any], lang: str | None = None) -> str:
    """``key = value; ...``; with ``lang`` (data from a workbook), a column's key led by the
    template's header: ``Tanggal Penetapan Standar (standar.ditetapkan_pada) = null``."""
    ev = f.get("evidence") or {}
    return "; ".join(f"{labelled_key(f['entity'], k, lang) if lang else k} = {json.dumps(v, ensure_ascii=False)}"
                     for k, v in ev.items())


def labelled_key(entity: str, key: str, lang: str) -> str:
    """An evidence key led by the template's header where it has one: ``Tanggal Penetapan Standar
    (standar.ditetapkan_pada)``; a label that only repeats its key is not doubled."""
    label = evidence_name(entity, key, lang)
    return f"{label} ({key})" if label.lower() != key.lower() else key


#: a report whose source has one of these suffixes (or is a folder) came from a workbook or CSV
#: files: its evidence is named with the template's column headers, as the person who filled it reads them
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")


def from_workbook(doc: dict[str, Any]) -> bool:
    location = str(((doc.get("report") or {}).get("source") or {}).get("location") or "")
    if location.lower().endswith(WORKBOOK_SUFFIXES):
        return True
    from pathlib import Path

    return bool(location) and "://" not in location and Path(location).is_dir()


def evidence_name(entity: str, key: str, lang: str) -> str:
    """The template's column header of an evidence key that is a column of the entity
    (``standar.ditetapkan_pada`` -> "Tanggal Penetapan Standar"); other keys (a computed value,
    a related list) as they are."""
    from layanan_rules.data import fieldmap

    try:
        col = fieldmap.column(entity, key)
    except KeyError:
        return key
    return col.label if lang == "id" else col.label_en


@functools.cache
def _evidence_keys(entity: str, lang: str) -> tuple[Any, dict[str, str]] | None:
    """A pattern of the entity's column paths as they start an evidence item (``k = v; ...``) and
    path -> "Label (path)" for those whose label differs; None when the entity has no columns."""
    import re

    from layanan_rules.data import fieldmap

    try:
        cols = fieldmap.columns(entity)
    except KeyError:
        return None
    named = {c.path: got for c in cols if (got := labelled_key(entity, c.path, lang)) != c.path}
    if not named:
        return None
    paths = sorted(named, key=len, reverse=True)  # the longest first: no path is cut at a shorter one
    return re.compile(r"(?:^|(?<=; ))(" + "|".join(map(re.escape, paths)) + r") = "), named


def labelled_evidence(entity: str, text: str, lang: str) -> str:
    """An evidence text (``standar.ditetapkan_pada = null; ...``, as csv and xlsx print it) with each
    column of the entity also named by the template's header (``Tanggal Penetapan Standar
    (standar.ditetapkan_pada) = null``), as html and markdown name them for data from a workbook."""
    got = _evidence_keys(entity, lang) if text else None
    if got is None:
        return text
    pattern, named = got
    out: str = pattern.sub(lambda m: f"{named[m.group(1)]} = ", text)
    return out


def calendar_text(doc: dict[str, Any], lang: str) -> str:
    """``Kalender hari kerja: holidays 0.109 (cuti_bersama_hari_kerja=false, ...)``: the calendar and its
    options, which every working-day verdict depends on (schema 1.1; empty for an older document)."""
    cal = doc.get("calendar")
    if not cal:
        return ""
    opts = ", ".join(f"{k}={json.dumps(v)}" for k, v in (cal.get("options") or {}).items())
    return f"{t('calendar', lang)}: {cal['source']} {cal['version']}" + (f" ({opts})" if opts else "")


def provenance_text(f: dict[str, Any]) -> str:
    """Where a finding or issue points, written as :class:`~layanan_rules.model.records.Provenance`
    writes it (a CSV file that is its own part is not named twice)."""
    from layanan_rules.model.records import location_text

    p = f.get("provenance") or {}
    return location_text(str(p.get("source", "")), p.get("part"), p.get("page"), p.get("row"), p.get("column"),
                         p.get("key"))


def issue_groups(doc: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The data issues by kind, the most frequent kind first (then by name)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for issue in doc.get("data_issues") or []:
        groups[issue["kind"]].append(issue)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def issue_kind_text(kind: str, lang: str) -> str:
    label = t(f"issue_{kind}", lang)
    return kind if label == f"issue_{kind}" else label


def issue_text(issue: dict[str, Any]) -> str:
    """One data issue on one line: the record and field it concerns, its cell, the message."""
    who = " ".join(str(issue[k]) for k in ("entity", "entity_id", "field") if issue.get(k))
    where = provenance_text(issue) if issue.get("provenance") else ""
    head = " @ ".join(part for part in (who, where) if part)
    return f"{head}: {issue['message']}" if head else str(issue["message"])


def skipped_text(doc: dict[str, Any], lang: str) -> str:
    """``sheet petunjuk 1 · baris contoh templat 10``: what was left out on purpose, counted."""
    skipped = (doc.get("summary") or {}).get("skipped") or {}
    return " · ".join(f"{t(kind, lang)} {fmt_number(n, lang)}" for kind, n in sorted(skipped.items()) if n)


def unit_names(doc: dict[str, Any]) -> dict[str, str | None]:
    return {s["key"]: s["name"] for s in doc["scores"]["unit"]}


def chapter_names(doc: dict[str, Any]) -> dict[str, str | None]:
    return {s["key"]: s["name"] for s in doc["scores"]["chapter"]}


def score_text(s: dict[str, Any], lang: str) -> str:
    """``72,5 (Kuning)``, or ``data tidak cukup (3 dinilai)`` below the minimum."""
    if not s["sufficient"]:
        return f"{t('too_little_data', lang)} ({s['scored']} {t('scored', lang)})"
    return f"{fmt_number(s['score'], lang)} ({zone_label(s['zone'], lang, s.get('zone_label'))})"


def flag_text(f: dict[str, Any], lang: str) -> str:
    out = []
    if "attested" in f["flags"]:
        out.append(t("attested", lang))
    if "waiver_expired" in f["flags"]:
        out.append(t("waiver_expired", lang))
    if "waived" in f["flags"]:
        out.append(t("waiver_active", lang))
    return ", ".join(out)


def waiver_text(f: dict[str, Any], lang: str) -> str:
    w = f.get("waiver")
    if not w:
        return ""
    head = t("waiver_expired", lang).upper() + ": " if w["status"] == "expired" else ""
    return (f"{head}{w['reason']} — {t('legal_basis', lang)}: {w['legal_basis']} — {t('approver', lang)}: "
            f"{w['approver']} — {t('valid', lang)} {fmt_date(w['start'], lang)} {t('until', lang)} "
            f"{fmt_date(w['expiry'], lang)}")


def attestation_text(f: dict[str, Any], lang: str) -> str:
    a = f.get("attestation")
    if not a:
        return ""
    by = f" {t('by', lang)} {a['attested_by']}" if a.get("attested_by") else ""
    return f"{t('attested', lang)}{by}, {fmt_date(a['date'], lang)}: {a['evidence_ref']}"


def group_by_unit(doc: dict[str, Any]) -> list[tuple[dict[str, Any] | None, str, list[dict[str, Any]]]]:
    """Findings grouped by unit, worst unit first, then provider-level and unplaced findings.

    Returns ``(score or None, heading key, findings)``.
    """
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in doc["findings"]:
        if f.get("unit_id"):
            groups[f"unit:{f['unit_id']}"].append(f)
        elif f.get("penyelenggara_id"):
            groups[f"penyelenggara:{f['penyelenggara_id']}"].append(f)
        else:
            groups["-"].append(f)
    out: list[tuple[dict[str, Any] | None, str, list[dict[str, Any]]]] = []
    for s in doc["scores"]["unit"]:
        if f"unit:{s['key']}" in groups:
            out.append((s, f"unit:{s['key']}", groups.pop(f"unit:{s['key']}")))
    for s in doc["scores"]["penyelenggara"]:
        if f"penyelenggara:{s['key']}" in groups:
            out.append((s, f"penyelenggara:{s['key']}", groups.pop(f"penyelenggara:{s['key']}")))
    for key, fs in groups.items():
        out.append((None, key, fs))
    return out


def group_title(score: dict[str, Any] | None, key: str, lang: str) -> str:
    if score is None:
        return "(tanpa unit)" if lang == "id" else "(no unit)"
    level = t(f"level.{score['level']}", lang)
    return f"{level} {score['key']}" + (f" · {score['name']}" if score.get("name") else "")


def counts_text(counts: dict[str, int], lang: str) -> str:
    order = ("fail", "error", "waived", "pass", "not_applicable")
    return ", ".join(f"{state_label(s, lang)} {fmt_number(counts.get(s, 0), lang)}" for s in order)
