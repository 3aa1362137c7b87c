"""Compare two JSON reports (``layanan-rules diff OLD.json NEW.json``).

Findings are matched by (rule id, entity, entity id), in reports of schema 1, 2 or 3 alike (schema 3's
quiet findings are read back as findings, :func:`layanan_rules.report.stream.findings_of`). Per unit:

- **new**: a problem (``fail`` or ``error``) in NEW that was not a problem in OLD (absent, or in
  another state);
- **resolved**: a problem in OLD that is no longer one in NEW (passes, no longer applies, is
  waived, or is gone);
- **changed**: any other difference of state or severity (``fail`` -> ``error``, ``pass`` ->
  ``not_applicable``, an expired waiver, …).

Scores are compared per unit and overall, as the reports state them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

from layanan_rules.report.i18n import fmt_date, fmt_number, state_label, t, text_of, zone_label

PROBLEMS = ("fail", "error")


class DiffError(Exception):
    """A report file cannot be compared (unreadable, not a layanan-rules JSON report)."""


def load_report(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    from layanan_rules import inputs

    try:
        doc, _duplicates = inputs.load_json(path.read_bytes(), str(path))
    except OSError as exc:
        raise DiffError(f"{path}: {exc.strerror}") from None
    except inputs.InputError as exc:
        raise DiffError(str(exc)) from None
    if not isinstance(doc, dict) or "findings" not in doc or "schema_version" not in doc:
        raise DiffError(f"{path}: bukan laporan JSON layanan-rules (buat dengan --format json) / "
                        f"not a layanan-rules JSON report (make one with --format json)")
    major = str(doc["schema_version"]).split(".")[0]
    if major not in ("1", "2", "3"):
        raise DiffError(f"{path}: versi skema {doc['schema_version']} tidak didukung / unsupported schema version")
    return normalised(doc)


def normalised(doc: dict[str, Any]) -> dict[str, Any]:
    """A document whose findings are every finding in full, each given its rule's words (schema 1
    carried them in every finding; schema 3 lists quiet findings as ids and leaves entity, place and
    source to the ``rules`` and ``units`` maps), so all three compare alike. Idempotent."""
    if str(doc.get("schema_version", "")).startswith("3"):  # put back what schema 3 leaves to its maps
        from layanan_rules.report.stream import findings_of

        doc = {**doc, "findings": findings_of(doc), "quiet": [], "schema_version": "2.0"}
    if str(doc.get("schema_version", "")).startswith("2"):  # findings name their rule; words are in `rules`
        rules = doc.get("rules") or {}
        for f in doc["findings"]:
            r = rules.get(f["rule_id"]) or {}
            f.setdefault("flags", [])
            for key in ("unit_id", "penyelenggara_id", "wilayah"):
                f.setdefault(key, None)
            for key in ("title", "legal_basis", "severity", "remedy", "sanction", "chapter"):
                f.setdefault(key, r.get(key))
    return doc


def _key(f: dict[str, Any]) -> tuple[str, str, str]:
    return (f["rule_id"], f["entity"], f["entity_id"])


def _state(f: dict[str, Any] | None) -> str | None:
    if f is None:
        return None
    return str(f["state"]) + ("+waiver_expired" if "waiver_expired" in f.get("flags", []) else "")


def _entry(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    f = new or old
    assert f is not None
    return {
        "rule_id": f["rule_id"], "entity": f["entity"], "entity_id": f["entity_id"], "title": f["title"],
        "legal_basis": [c.get("label") for c in f.get("legal_basis") or []],
        "old_state": old["state"] if old else None, "new_state": new["state"] if new else None,
        "old_severity": old["severity"] if old else None, "new_severity": new["severity"] if new else None,
        "flags": new.get("flags", []) if new else [],
    }


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The differences between two report documents (see the module docstring)."""
    old, new = normalised(old), normalised(new)
    olds = {_key(f): f for f in old["findings"]}
    news = {_key(f): f for f in new["findings"]}
    units: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: {"new": [], "resolved": [], "changed": []})
    for key in sorted(set(olds) | set(news)):
        o, n = olds.get(key), news.get(key)
        o_prob = o is not None and o["state"] in PROBLEMS
        n_prob = n is not None and n["state"] in PROBLEMS
        unit = ((n or {}).get("unit_id") or (o or {}).get("unit_id")
                or ("penyelenggara:" + p if (p := (n or {}).get("penyelenggara_id") or (o or {}).get("penyelenggara_id")) else "-"))
        if n_prob and not o_prob:
            units[unit]["new"].append(_entry(o, n))
        elif o_prob and not n_prob:
            units[unit]["resolved"].append(_entry(o, n))
        elif o is not None and n is not None and (_state(o) != _state(n) or o["severity"] != n["severity"]):
            units[unit]["changed"].append(_entry(o, n))
    old_units = {s["key"]: s for s in old["scores"]["unit"]}
    new_units = {s["key"]: s for s in new["scores"]["unit"]}

    def change(a: dict[str, Any] | None, b: dict[str, Any] | None) -> dict[str, Any]:
        sa = a["score"] if a and a["sufficient"] else None
        sb = b["score"] if b and b["sufficient"] else None
        return {"old": sa, "new": sb, "delta": round(sb - sa, 2) if sa is not None and sb is not None else None,
                "old_zone": a["zone"] if a else None, "new_zone": b["zone"] if b else None,
                "old_zone_label": a.get("zone_label") if a else None, "new_zone_label": b.get("zone_label") if b else None}

    unit_list: list[dict[str, Any]] = []
    for ukey in sorted(set(units) | set(old_units) | set(new_units)):
        s = new_units.get(ukey) or old_units.get(ukey)
        d = units.get(ukey, {"new": [], "resolved": [], "changed": []})
        unit_list.append({"unit_id": ukey, "name": s["name"] if s else None,
                          "score": change(old_units.get(ukey), new_units.get(ukey)), **d})
    return {
        "old": {"as_of": old["as_of"], "ruleset": old["ruleset"], "findings": len(old["findings"])},
        "new": {"as_of": new["as_of"], "ruleset": new["ruleset"], "findings": len(new["findings"])},
        "score": change(old["scores"]["total"], new["scores"]["total"]),
        "counts": {k: sum(len(u[k]) for u in unit_list) for k in ("new", "resolved", "changed")},
        "units": unit_list,
    }


# --- rendering ----------------------------------------------------------------------------------------


def _score(v: float | None, zone: str | None, lang: str, label: Any = None) -> str:
    return t("too_little_data", lang) if v is None else f"{fmt_number(v, lang)} ({zone_label(zone, lang, label)})"


def _delta(d: dict[str, Any], lang: str) -> str:
    if d["delta"] is None:
        return "–"
    sign = "+" if d["delta"] > 0 else ""
    return f"{sign}{fmt_number(d['delta'], lang)}"


def _line(e: dict[str, Any], lang: str) -> str:
    old = state_label(e["old_state"], lang) if e["old_state"] else "–"
    new = state_label(e["new_state"], lang) if e["new_state"] else "–"
    sev = e["new_severity"] or e["old_severity"]
    return (f"{e['rule_id']} · {e['entity']} {e['entity_id']} · {sev} · {old} → {new} · "
            f"{text_of(e['title'], lang)}")


def render_json(result: dict[str, Any], out: IO[str], lang: str) -> None:
    json.dump(result, out, ensure_ascii=False, indent=2)
    out.write("\n")


def render_table(result: dict[str, Any], out: IO[str], lang: str) -> None:
    w = out.write
    w(f"{t('comparison', lang)}: {fmt_date(result['old']['as_of'], lang)} → {fmt_date(result['new']['as_of'], lang)}\n")
    s = result["score"]
    w(f"{t('score', lang)}: {_score(s['old'], s['old_zone'], lang, s['old_zone_label'])} → "
      f"{_score(s['new'], s['new_zone'], lang, s['new_zone_label'])} "
      f"({_delta(s, lang)})\n")
    c = result["counts"]
    w(f"{t('new', lang)} {c['new']} · {t('resolved', lang)} {c['resolved']} · {t('changed', lang)} {c['changed']}\n")
    for u in result["units"]:
        if not (u["new"] or u["resolved"] or u["changed"] or u["score"]["delta"]):
            continue
        name = f" · {u['name']}" if u["name"] else ""
        us = u["score"]
        w(f"\n{t('unit', lang)} {u['unit_id']}{name}: {_score(us['old'], us['old_zone'], lang, us['old_zone_label'])} → "
          f"{_score(us['new'], us['new_zone'], lang, us['new_zone_label'])} ({_delta(us, lang)})\n")
        for kind, mark in (("new", "+"), ("resolved", "-"), ("changed", "~")):
            for e in u[kind]:
                w(f"  {mark} {t(kind, lang).upper():8} {_line(e, lang)}\n")


def render_markdown(result: dict[str, Any], out: IO[str], lang: str) -> None:
    w = out.write
    w(f"# {t('comparison', lang)}\n\n")
    w(f"{fmt_date(result['old']['as_of'], lang)} → {fmt_date(result['new']['as_of'], lang)}\n\n")
    s = result["score"]
    c = result["counts"]
    w(f"| | {t('old', lang)} | {t('now', lang)} | Δ |\n|---|---|---|---:|\n")
    w(f"| {t('level.total', lang)} | {_score(s['old'], s['old_zone'], lang, s['old_zone_label'])} | "
      f"{_score(s['new'], s['new_zone'], lang, s['new_zone_label'])} "
      f"| {_delta(s, lang)} |\n")
    for u in result["units"]:
        us = u["score"]
        w(f"| {t('unit', lang)} {u['unit_id']} {u['name'] or ''} | {_score(us['old'], us['old_zone'], lang, us['old_zone_label'])} | "
          f"{_score(us['new'], us['new_zone'], lang, us['new_zone_label'])} | {_delta(us, lang)} |\n")
    w(f"\n**{t('new', lang)}** {c['new']} · **{t('resolved', lang)}** {c['resolved']} · "
      f"**{t('changed', lang)}** {c['changed']}\n")
    for u in result["units"]:
        if not (u["new"] or u["resolved"] or u["changed"]):
            continue
        w(f"\n## {t('unit', lang)} {u['unit_id']}" + (f" · {u['name']}" if u["name"] else "") + "\n")
        for kind in ("new", "resolved", "changed"):
            if u[kind]:
                w(f"\n### {t(kind, lang)}\n\n")
                for e in u[kind]:
                    w(f"- {_line(e, lang).replace('|', '/')}\n")


RENDERERS = {"table": render_table, "json": render_json, "markdown": render_markdown}
