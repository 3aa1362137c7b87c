"""Markdown for tickets and wikis: identity, summary, scores, the rule x unit matrix, then the
findings that need attention grouped by rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from layanan_rules.report.formats.common import (
    Report,
    document,
    finding_rows,
    fulfilment_matrix,
    identity_rows,
    problem_rows,
    with_rule,
)
from layanan_rules.report.i18n import (
    fmt_date,
    fmt_number,
    severity_label,
    state_label,
    t,
    text_of,
    zone_label,
)
from layanan_rules.report.text import (
    article_text,
    attestation_text,
    calendar_text,
    citations,
    counts_text,
    evidence_text,
    flag_text,
    from_workbook,
    issue_groups,
    issue_kind_text,
    issue_text,
    provenance_text,
    sanction_text,
    score_text,
    skipped_text,
    waiver_text,
)


def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """A Markdown report: identity and summary, scores, the rule × unit matrix, then the findings
    that need attention grouped by rule (citation, article text and remedy once per rule). Streamed."""
    lang = options.get("lang", "id")
    doc = document(report, options)
    sc = doc["scores"]
    labelled = from_workbook(doc)
    w = out.write
    w(f"# {t('title', lang)}\n\n")
    w(f"{t('ruleset', lang)} **{doc['ruleset']['id']} {doc['ruleset']['version']}** · {t('as_of', lang)} "
      f"**{fmt_date(doc['as_of'], lang)}**\n\n")
    for label, value in identity_rows(doc["report"], lang):
        w(f"- {label}: `{_md(value)}`\n")
    w("\n")
    w(f"## {t('summary', lang)}\n\n")
    w(f"- {t('score', lang)}: **{score_text(sc['total'], lang)}**\n")
    w(f"- {t('counts', lang)}: {counts_text(doc['summary']['states'], lang)}\n")
    if doc["summary"]["attested"]:
        w(f"- {t('attested', lang)}: {doc['summary']['attested']}\n")
    if doc["summary"]["waivers_expired"]:
        w(f"- ⚠ {t('waiver_expired', lang)}: {doc['summary']['waivers_expired']}\n")
    w(f"- {t('zone_basis', lang)}: {text_of(sc['method']['zones_basis'], lang)}\n\n")
    w(f"## {t('scores', lang)}\n\n")
    w(f"| {t('scope', lang)} | ID | {'Nama' if lang == 'id' else 'Name'} | {t('score', lang)} | "
      f"{t('zone', lang)} | {t('scored', lang)} | {state_label('fail', lang)} | {state_label('error', lang)} |\n")
    w("|---|---|---|---:|---|---:|---:|---:|\n")
    for level in ("wilayah", "penyelenggara", "unit", "chapter"):
        for s in sc[level]:
            score = fmt_number(s["score"], lang) if s["sufficient"] else t("too_little_data", lang)
            w(f"| {t(f'level.{level}', lang).split(' /')[0]} | {_md(s['key'])} | {_md(s['name'] or '')} | {score} | "
              f"{zone_label(s['zone'], lang, s.get('zone_label'))} | {s['scored']} | {s['counts']['fail']} | {s['counts']['error']} |\n")
    w("\n")
    matrix = fulfilment_matrix(report, options)
    if matrix["units"]:
        w(f"## {t('matrix', lang)}\n\n{t('matrix_note', lang)}\n\n")
        w("| " + t("rule", lang) + " | " + " | ".join(_md(u) for u in matrix["units"]) + " |\n")
        w("|---|" + "---:|" * len(matrix["units"]) + "\n")
        for rid, cells in matrix["rows"].items():
            w(f"| `{rid}` | " + " | ".join(_matrix_cell(c, lang) for c in cells) + " |\n")
        w("\n")
    w(f"## {t('problems', lang)}\n\n")
    rows, _table = problem_rows(report, options)
    current = None
    for f, r in finding_rows(report, options, rows):
        if f["rule_id"] != current:
            current = f["rule_id"]
            g = with_rule(f, r)
            w(f"### `{current}` {_md(text_of(r['title'], lang))} ({severity_label(r['severity'], lang)})\n\n")
            w(f"- {t('legal_basis', lang)}: {_md(citations(g, lang))}\n")
            if article_text(g):
                w(f"- {t('article_text', lang)}: “{_md(article_text(g))}”\n")
            if r.get("sanction"):
                w(f"- {t('sanction', lang)}: {_md(sanction_text(g, lang))}\n")
            w(f"- {t('remedy', lang)}: {_md(text_of(r['remedy'], lang))}\n\n")
        g = with_rule(f, r)
        flags = flag_text(g, lang)
        where = f" · {t('level.unit', lang)} {f['unit_id']}" if f.get("unit_id") else ""
        w(f"- **{state_label(f['state'], lang).upper()}** `{f['rule_id']}` {f['entity']} `{f['entity_id']}`{where}"
          + (f" _[{flags}]_" if flags else ""))
        if f["state"] == "error":
            w(f" — {t('reason', lang)}: {f.get('reason', '')}: {_md(f.get('message', ''))}")
        if f.get("evidence"):
            w(f" — {t('evidence', lang)}: `{_md(evidence_text(g, lang if labelled else None))}`")
        if f.get("waiver"):
            w(f" — {t('waiver', lang)}: {_md(waiver_text(g, lang))}")
        if f.get("attestation"):
            w(f" — {t('attestation', lang)}: {_md(attestation_text(g, lang))}")
        if f.get("provenance"):
            w(f" — {t('provenance', lang)}: `{_md(provenance_text(g))}`")
        w("\n")
    if current is None:
        w(f"{t('no_problems', lang)}\n\n")
    else:
        w("\n")
    _md_tail(doc, w, lang)


def _matrix_cell(c: dict[str, int] | None, lang: str) -> str:
    if not c or not (c["pass"] + c["fail"]):
        return "–"
    return f"{c['pass']}/{c['pass'] + c['fail']}" + (" ✗" if c["fail"] else "")


def _md_tail(doc: dict[str, Any], w: Callable[[str], Any], lang: str) -> None:
    if doc["data_issues"]:
        w(f"## {t('data_issues', lang)}\n\n")
        for kind, items in issue_groups(doc):
            w(f"### {_md(issue_kind_text(kind, lang))} ({len(items)})\n\n")
            for i in items:
                w(f"- {_md(issue_text(i))}\n")
            w("\n")
    if skipped_text(doc, lang):
        w(f"{t('skipped', lang)}: {_md(skipped_text(doc, lang))}\n\n")
    if doc["skipped_rules"]:
        w(f"## {t('not_evaluated', lang)}\n\n")
        for s in doc["skipped_rules"]:
            w(f"- `{s['rule_id']}`: {_md(s['reason'])}\n")
        w("\n")
    if doc["notes"]:
        w("## Catatan / Notes\n\n")
        for n in doc["notes"]:
            w(f"- {_md(n)}\n")
        w("\n")
    w(f"---\n_{t('generated_by', lang)} · {_md(calendar_text(doc, lang))} · {t('disclaimer', lang)}_\n")
