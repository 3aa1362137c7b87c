"""The HTML report: one self-contained file (inline CSS, JS and SVG; no network, no CDN).

Rendered from the report's JSON document, so every number on the page is the number in the
JSON. The page works without JavaScript (everything is server-side HTML); the script only adds
search and filters. Filters can be preset in the address: ``report.html#state=fail&unit=U1&q=21a``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from layanan_rules.report.formats.common import (
    Report,
    document,
    finding_rows,
    fulfilment_matrix,
    needing_action,
    table_of,
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
    PROBLEM_STATES,
    article_text,
    attestation_text,
    calendar_text,
    chapter_names,
    citations,
    evidence_name,
    from_workbook,
    issue_groups,
    issue_kind_text,
    issue_text,
    problem_order,
    provenance_text,
    sanction_text,
    skipped_text,
    unit_names,
    waiver_text,
)


def e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


_CSS = """
:root{--ink:#1d2733;--muted:#5b6776;--line:#dfe4ea;--bg:#f4f6f9;--card:#fff;--navy:#1f3a5f;
--hijau:#1b7f3b;--kuning:#e0a800;--merah:#c0392b;--none:#9aa5b1;--fail:#c0392b;--error:#8e44ad;
--waived:#1f78b4;--pass:#1b7f3b;--na:#7f8c8d}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 "Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header.top{background:var(--navy);color:#fff;padding:22px 32px 18px}
header.top h1{margin:0;font-size:22px;font-weight:600;letter-spacing:.2px}
header.top .meta{opacity:.85;margin-top:4px;font-size:13px}
main{max-width:1180px;margin:0 auto;padding:20px 24px 40px}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:18px 20px;margin:16px 0}
h2{font-size:16px;margin:0 0 12px;color:var(--navy)}
.kpis{display:grid;grid-template-columns:220px repeat(5,1fr);gap:12px}
.kpi{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:#fff}
.kpi .v{font-size:26px;font-weight:700;line-height:1.1}
.kpi .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.4px}
.kpi.score{color:#fff;border:none}
.kpi.score .l{color:rgba(255,255,255,.85)}
.z-hijau{background:var(--hijau)}.z-kuning{background:var(--kuning)}.z-merah{background:var(--merah)}
.z-none{background:var(--none)}
.kpi.score.z-kuning{color:#1d2733}.kpi.score.z-kuning .l{color:#3b3000}
.c-fail{color:var(--fail)}.c-error{color:var(--error)}.c-waived{color:var(--waived)}.c-pass{color:var(--pass)}
.c-not_applicable{color:var(--na)}
.note{color:var(--muted);font-size:12px}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.charts section{margin:0}
svg text{font:12px "Segoe UI",Roboto,Arial,sans-serif;fill:var(--ink)}
svg .lbl{fill:var(--muted)}
table.scores{width:100%;border-collapse:collapse;font-size:13px}
table.scores th,table.scores td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
table.scores th{color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.3px}
table.scores td.num{text-align:right;font-variant-numeric:tabular-nums}
.zone{display:inline-block;white-space:nowrap;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;font-weight:600}
.zone.z-kuning{color:#1d2733}
.legend{display:flex;gap:14px;flex-wrap:wrap;font-size:12px;color:var(--muted);margin-top:8px}
.legend span::before{content:"";display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px;background:var(--c)}
.filters{display:grid;grid-template-columns:2fr repeat(4,1fr);gap:8px;margin-bottom:10px}
.filters input,.filters select{width:100%;padding:7px 9px;border:1px solid #c9d1da;border-radius:6px;font:inherit;background:#fff}
.shown{color:var(--muted);font-size:12px;margin-bottom:8px}
.finding{content-visibility:auto;contain-intrinsic-size:auto 220px;border:1px solid var(--line);border-left:5px solid var(--na);border-radius:6px;margin:8px 0;padding:10px 14px;background:#fff}
.finding.s-fail{border-left-color:var(--fail)}.finding.s-error{border-left-color:var(--error)}
.finding.s-waived{border-left-color:var(--waived)}.finding.s-pass{border-left-color:var(--pass)}
.finding .head,.rule .head{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.badge{font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.4px;padding:2px 7px;border-radius:4px;color:#fff}
.b-fail{background:var(--fail)}.b-error{background:var(--error)}.b-waived{background:var(--waived)}
.b-pass{background:var(--pass)}.b-not_applicable{background:var(--na)}
.flag{font-size:11px;font-weight:600;padding:1px 7px;border-radius:4px;background:#fff4ce;color:#6b5200;border:1px solid #f0d36b}
.flag.attested{background:#e7f0fb;color:#1f4f8b;border-color:#b5cdee}
.rid{font-weight:700;font-family:ui-monospace,Consolas,monospace}
.ttl{font-weight:600}
.where{color:var(--muted);font-size:12px}
.finding dl,.rule dl{display:grid;grid-template-columns:150px 1fr;gap:3px 12px;margin:8px 0 0;font-size:13px}
.finding dt,.rule dt{color:var(--muted)}
.finding dd,.rule dd{margin:0}
blockquote{margin:0;padding:4px 10px;border-left:3px solid #c9d1da;background:#f8fafc;font-style:italic}
code{font-family:ui-monospace,Consolas,monospace;font-size:12px;background:#f1f4f8;padding:1px 4px;border-radius:3px;word-break:break-word}
.hidden{display:none}
.rule{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:10px 14px;background:#fbfcfd}
.rule:target{outline:2px solid var(--navy)}
.finding dd a{color:var(--navy)}
footer{color:var(--muted);font-size:12px;text-align:center;padding:10px}
ul.plain{margin:0;padding-left:18px}
@media print{.filters,.shown{display:none}.finding{break-inside:avoid;content-visibility:visible}body{background:#fff}
section{border:none;padding:6px 0;break-inside:avoid-page}header.top{background:#fff;color:#000;border-bottom:2px solid #000}
table.matrix,table.scores{font-size:10px}}
@page{size:A4 landscape;margin:12mm}
@media (max-width:600px){main{padding:8px}.kpis{grid-template-columns:1fr 1fr}.charts{grid-template-columns:1fr}
.filters{grid-template-columns:1fr}header.top{padding:14px 12px}section{padding:12px 10px}
table.scores{display:block;overflow-x:auto}}
.matrix-wrap{overflow-x:auto}table.matrix{border-collapse:collapse;font-size:12px}
table.matrix th,table.matrix td{border:1px solid var(--line);padding:3px 6px;text-align:center;white-space:nowrap}
table.matrix td.ok{background:#d5f5e3}table.matrix td.bad{background:#f8d7da}table.matrix td.na{color:var(--muted)}
.ident{font-size:12px;opacity:.85;margin-top:2px;word-break:break-all}
.letterhead{background:#fff;color:var(--ink);padding:14px 32px;border-bottom:3px double var(--navy);text-align:center}
.lh-agency{font-size:18px;font-weight:700;letter-spacing:.3px}.lh-sub{font-size:12px;color:var(--muted)}
.sign-grid{display:grid;grid-template-columns:repeat(3,1fr);gap:24px;margin-top:12px}
.sign .line{height:64px;border-bottom:1px solid var(--ink);margin-bottom:4px}
@media (max-width:600px){.sign-grid{grid-template-columns:1fr}}
"""

_JS = """
(function(){
  var q=document.getElementById('q'),st=document.getElementById('f-state'),un=document.getElementById('f-unit'),
      ch=document.getElementById('f-chapter'),sv=document.getElementById('f-severity'),
      items=[].slice.call(document.querySelectorAll('.finding')),shown=document.getElementById('shown-count');
  function apply(){
    var words=(q.value||'').toLowerCase().split(/\\s+/).filter(Boolean),n=0;
    items.forEach(function(el){
      var d=el.dataset,s=st.value,ok=true;
      if(s==='problems'){ok=d.state==='fail'||d.state==='error'||d.flags!=='';}
      else if(s!=='all'){ok=d.state===s;}
      if(ok&&un.value!=='all')ok=d.unit===un.value;
      if(ok&&ch.value!=='all')ok=d.chapter===ch.value;
      if(ok&&sv.value!=='all')ok=d.severity===sv.value;
      if(ok&&words.length){var hay=d.search;ok=words.every(function(w){return hay.indexOf(w)>=0;});}
      el.classList.toggle('hidden',!ok);if(ok)n++;
    });
    shown.textContent=n;
  }
  function fromHash(){
    var h=location.hash.replace(/^#/,'');if(!h)return;
    h.split('&').forEach(function(kv){var p=kv.split('='),k=p[0],v=decodeURIComponent(p[1]||'');
      var el={q:q,state:st,unit:un,chapter:ch,severity:sv}[k];if(el)el.value=v;});
  }
  [q,st,un,ch,sv].forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply);});
  fromHash();apply();
  window.addEventListener('hashchange',function(){fromHash();apply();});
  var root=document.documentElement;root.setAttribute('data-ready','1');
  root.setAttribute('data-scroll-width',String(root.scrollWidth));  // for automated layout checks
  root.setAttribute('data-view-width',String(window.innerWidth));
})();
"""


def _bar_chart(rows: list[dict[str, Any]], zones: list[dict[str, Any]], lang: str, label_of: Any,
               testid: str) -> str:
    """A horizontal bar chart as inline SVG: one bar per score, coloured by zone, band lines."""
    if not rows:
        return f'<p class="note">{e(t("none", lang))}</p>'
    row_h, left, width, right = 28, 170, 220, 125
    total_w = left + width + right
    height = row_h * len(rows) + 26
    parts = [(f'<svg role="img" data-testid="{e(testid)}" viewBox="0 0 {total_w} {height}" width="100%" '
              f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">')]
    for z in zones:  # band boundaries
        if z["min"] > 0:
            x = left + width * z["min"] / 100
            parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 22}" stroke="{e(z["color"])}" '
                         f'stroke-dasharray="3,3" stroke-width="1"/>')
    for i, s in enumerate(rows):
        y = i * row_h + 4
        label = label_of(s)
        short = label if len(label) <= 21 else label[:20] + "…"  # fits the 162 px label column
        parts.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end"><title>{e(label)}</title>{e(short)}</text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{width}" height="18" rx="3" fill="#eef1f5"/>')
        if s["score"] is not None:
            color = next((z["color"] for z in zones if z["name"] == s["zone"]), "#9aa5b1")
            opacity = "1" if s["sufficient"] else "0.35"
            parts.append(f'<rect x="{left}" y="{y + 3}" width="{width * s["score"] / 100:.1f}" height="18" rx="3" '
                         f'fill="{e(color)}" fill-opacity="{opacity}"/>')
        value = fmt_number(s["score"], lang) if s["sufficient"] else t("too_little_data", lang)
        parts.append(f'<text x="{left + width + 8}" y="{y + 16}" data-key="{e(s["key"])}">{e(value)}</text>')
    axis_y = height - 8
    for tick in (0, 25, 50, 75, 100):
        x = left + width * tick / 100
        parts.append(f'<text class="lbl" x="{x:.1f}" y="{axis_y}" text-anchor="middle">{tick}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _zone_badge(s: dict[str, Any], lang: str, colors: dict[str, str]) -> str:
    if not s["sufficient"]:
        return f'<span class="zone z-none">{e(t("too_little_data", lang))}</span>'
    return (f'<span class="zone z-{e(s["zone"])}" style="background:{e(colors.get(s["zone"], "#607d8b"))}">'
            f'{e(zone_label(s["zone"], lang, s.get("zone_label")))}</span>')


def _options(values: Iterable[tuple[str, str]], lang: str, all_key: str = "all") -> str:
    return f'<option value="all">{e(t(all_key, lang))}</option>' + "".join(
        f'<option value="{e(v)}">{e(label)}</option>' for v, label in values)


def render(doc: dict[str, Any], out: IO[str], lang: str = "id", template_dir: Any = None,
           agency: str | None = None) -> None:
    """Write the HTML page for a report document (the head, with the findings to show as cards).

    The letterhead above and the sign-off block below come from Jinja2 templates
    (``letterhead.html.j2``, ``signoff.html.j2``): the bundled ones in ``report/templates/``, or an
    agency's own in ``template_dir`` (``--html-template DIR``)."""
    sc = doc["scores"]
    zones = sc["method"]["zones"]
    total = sc["total"]
    units = unit_names(doc)
    chapters = chapter_names(doc)
    states = doc["summary"]["states"]
    w = out.write
    w(f'<!DOCTYPE html>\n<html lang="{e(lang)}"><head><meta charset="utf-8">'
      f'<meta name="viewport" content="width=device-width,initial-scale=1">'
      f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
      f'script-src \'unsafe-inline\'; img-src data:">'
      f'<title>{e(t("title", lang))} · {e(doc["ruleset"]["id"])} · {e(fmt_date(doc["as_of"], lang))}</title>'
      f"<style>{_CSS}</style></head><body>")
    blocks = _blocks(doc, lang, template_dir, agency)
    w(blocks["letterhead"])
    w(f'<header class="top"><h1>{e(t("title", lang))}</h1><div class="meta">{e(t("ruleset", lang))} '
      f'{e(doc["ruleset"]["id"])} {e(doc["ruleset"]["version"])} · {e(t("as_of", lang))} '
      f'<span data-testid="as-of">{e(fmt_date(doc["as_of"], lang))}</span>'
      + (f' · {e(t("personal_masked", lang))}' if doc["personal_data"] == "masked" else "")
      + "</div>" + _identity_html(doc, lang) + "</header><main>")

    # summary cards
    colors = {z["name"]: z["color"] for z in zones}
    zone_cls = f"z-{total['zone']}" if total["sufficient"] else "z-none"
    zone_style = f' style="background:{e(colors.get(total["zone"], "#607d8b"))}"' if total["sufficient"] else ""
    score_v = fmt_number(total["score"], lang) if total["sufficient"] else t("too_little_data", lang)
    w(f'<section><h2>{e(t("summary", lang))}</h2><div class="kpis">'
      f'<div class="kpi score {zone_cls}"{zone_style}><div class="l">{e(t("score", lang))} · {e(t("zone", lang))}</div>'
      f'<div class="v" data-testid="score-total">{e(score_v)}</div>'
      f'<div data-testid="zone-total">{e(zone_label(total["zone"], lang, total.get("zone_label"))) if total["sufficient"] else ""}</div></div>')
    for s in ("fail", "error", "waived", "pass", "not_applicable"):
        w(f'<div class="kpi"><div class="l">{e(state_label(s, lang))}</div>'
          f'<div class="v c-{s}" data-testid="count-{s}">{e(fmt_number(states[s], lang))}</div></div>')
    w("</div>")
    extra = [f'{e(t("findings", lang))}: <b data-testid="count-findings">{e(fmt_number(doc["summary"]["findings"], lang))}</b>',
             f'{e(t("scored", lang))}: <b>{e(fmt_number(total["scored"], lang))}</b>']
    if doc["summary"]["attested"]:
        extra.append(f'{e(t("attested", lang))}: <b data-testid="count-attested">{doc["summary"]["attested"]}</b>')
    if doc["summary"]["waivers_expired"]:
        extra.append(f'<span class="flag">{e(t("waiver_expired", lang))}: '
                     f'<b data-testid="count-waivers-expired">{doc["summary"]["waivers_expired"]}</b></span>')
    w(f'<p class="note">{" · ".join(extra)}</p></section>')

    # charts
    legend = "".join(f'<span style="--c:{e(z["color"])}">{e(zone_label(z["name"], lang, z["label"]))} '
                     f'{e(fmt_number(z["min"], lang, 2))}–{e(fmt_number(z["max"], lang, 2))}</span>' for z in zones)
    legend += f'<span style="--c:#9aa5b1">{e(t("too_little_data", lang))} (&lt; {sc["method"]["min_scored"]} {e(t("scored", lang))})</span>'
    w('<div class="charts">')
    w(f'<section><h2>{e(t("compliance_per_chapter", lang))}</h2>'
      + _bar_chart(sc["chapter"], zones, lang, lambda s: s["name"] or s["key"], "chart-chapter")
      + f'<div class="legend">{legend}</div></section>')
    w(f'<section><h2>{e(t("compliance_per_unit", lang))}</h2>'
      + _bar_chart(sc["unit"][:CHART_MAX_UNITS], zones, lang,
                   lambda s: f'{s["key"]} · {s["name"]}' if s["name"] else s["key"], "chart-unit")
      + (f'<p class="note">{e(t("chart_capped", lang).format(shown=CHART_MAX_UNITS, n=fmt_number(len(sc["unit"]), lang)))}</p>'
         if len(sc["unit"]) > CHART_MAX_UNITS else "")
      + f'<div class="legend">{legend}</div></section>')
    w("</div>")

    # score table
    w(f'<section><h2>{e(t("scores", lang))}</h2><table class="scores"><thead><tr>'
      f'<th>{e(t("scope", lang))}</th><th>ID</th><th>{"Nama" if lang == "id" else "Name"}</th>'
      f'<th>{e(t("score", lang))}</th><th>{e(t("zone", lang))}</th><th>{e(t("scored", lang))}</th>'
      + "".join(f'<th>{e(state_label(s, lang))}</th>' for s in ("fail", "error", "waived", "pass", "not_applicable"))
      + "</tr></thead><tbody>")
    cut = {}
    for level in ("wilayah", "penyelenggara", "unit", "chapter"):
        rows = sc[level]
        if len(rows) > HTML_MAX_SCORE_ROWS:  # the worst first; every row is in the json, csv and xlsx reports
            cut[level] = len(rows)
            rows = rows[:HTML_MAX_SCORE_ROWS]
        for s in rows:
            score = fmt_number(s["score"], lang) if s["sufficient"] else "–"
            w(f'<tr data-level="{level}" data-key="{e(s["key"])}"><td>{e(t(f"level.{level}", lang).split(" /")[0])}</td>'
              f'<td>{e(s["key"])}</td><td>{e(s["name"] or "")}</td>'
              f'<td class="num" data-testid="score-{level}-{e(s["key"])}">{e(score)}</td><td>{_zone_badge(s, lang, colors)}</td>'
              f'<td class="num">{s["scored"]}</td>'
              + "".join(f'<td class="num">{s["counts"][k]}</td>' for k in ("fail", "error", "waived", "pass", "not_applicable"))
              + "</tr>")
    for level, n in cut.items():
        w(f'<tr><td colspan="11" class="note" data-testid="scores-capped-{level}">'
          f'{e(t("scores_capped", lang).format(shown=HTML_MAX_SCORE_ROWS, n=fmt_number(n, lang), level=t(f"level.{level}", lang).split(" /")[0]))}</td></tr>')
    w(f'</tbody></table><p class="note">{e(t("zone_basis", lang))}: {e(text_of(sc["method"]["zones_basis"], lang))} '
      f'{e(t("not_scored_note", lang).format(n=sc["method"]["min_scored"]))}</p></section>')

    w(_matrix_html(doc.get("matrix") or {}, lang))

    # findings with filters
    findings = sorted(doc["findings"], key=problem_order)
    total = int(doc.get("findings_total", len(findings)))
    state_opts = [("problems", t("needs_action", lang))] + [
        (s, state_label(s, lang)) for s in ("fail", "error", "waived", "pass", "not_applicable")]
    unit_opts = [(k, f"{k} · {v}" if v else k) for k, v in units.items()]
    chap_opts = [(k, v or k) for k, v in chapters.items()]
    sev_opts = [(s, severity_label(s, lang)) for s in ("critical", "high", "medium", "low", "info")
                if any(f["severity"] == s for f in findings)]
    w(f'<section><h2>{e(t("findings", lang))}</h2><div class="filters">'
      f'<input id="q" type="search" placeholder="{e(t("search", lang))}" aria-label="{e(t("search", lang))}">'
      f'<select id="f-state" aria-label="{e(t("filter_state", lang))}">'
      + _options(state_opts, lang, "all_states").replace('<option value="problems">', '<option value="problems" selected>', 1)
      + f'</select><select id="f-unit" aria-label="{e(t("filter_unit", lang))}">{_options(unit_opts, lang, "all_units")}</select>'
      f'<select id="f-chapter" aria-label="{e(t("filter_chapter", lang))}">{_options(chap_opts, lang, "all_chapters")}</select>'
      f'<select id="f-severity" aria-label="{e(t("filter_severity", lang))}">{_options(sev_opts, lang, "all_severities")}</select></div>'
      f'<div class="shown"><span id="shown-count" data-testid="shown-count">{len(findings)}</span> / '
      f'{len(findings)} {e(t("shown", lang))}</div>')
    needs_total = int(doc.get("needs_action_total", sum(1 for f in findings if _needs_action(f))))
    omitted = capped = 0
    labelled = from_workbook(doc)
    if total > HTML_MAX_CARDS or len(findings) > HTML_MAX_CARDS:  # keep the page openable
        findings = [f for f in findings if _needs_action(f)][:HTML_MAX_PROBLEM_CARDS]
        omitted = total - needs_total
        capped = needs_total - len(findings)
    for f in findings:
        w(_finding_html(f, lang, units, chapters, labelled))
    full = doc.get("full_list")  # the csv/parquet report written beside the page, relative to it
    link = (f' {e(t("full_list", lang))}: <a href="{e(str(full))}" download data-testid="full-list">{e(str(full))}</a>'
            if full else "")
    if omitted:
        w(f'<p class="note" data-testid="omitted">{e(t("omitted", lang).format(n=fmt_number(omitted, lang)))}'
          f'{link if not capped else ""}</p>')
    if capped:
        text = t("capped_linked" if full else "capped", lang)
        w(f'<p class="note" data-testid="capped">{e(text.format(shown=fmt_number(len(findings), lang), n=fmt_number(needs_total, lang)))}'
          f'{link}</p>')
    w("</section>")

    rules: dict[str, dict[str, Any]] = {rid: {**r, "rule_id": rid} for rid, r in (doc.get("rules") or {}).items()}
    for f in doc["findings"]:
        rules.setdefault(f["rule_id"], f)
    w(f'<section><h2>{e(t("rules_cited", lang))}</h2>')
    for rid in sorted(rules):
        f = rules[rid]
        rows = [(t("legal_basis", lang), e(citations(f, lang)))]
        if article_text(f):
            rows.append((t("article_text", lang), f"<blockquote>{e(article_text(f))}</blockquote>"))
        if sanction_text(f, lang):
            rows.append((t("sanction", lang), e(sanction_text(f, lang))))
        rows.append((t("remedy", lang), e(text_of(f["remedy"], lang))))
        w(f'<article class="rule" id="rule-{e(rid)}"><div class="head"><span class="rid">{e(rid)}</span>'
          f'<span class="ttl">{e(text_of(f["title"], lang))}</span><span class="where">{e(severity_label(f["severity"], lang))}</span></div>'
          f'<dl>{"".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in rows)}</dl></article>')
    w("</section>")

    if doc["data_issues"] or doc["skipped_rules"] or doc["notes"] or skipped_text(doc, lang):
        w(f'<section><h2>{e(t("data_issues", lang))} · {e(t("not_evaluated", lang))}</h2><ul class="plain">')
        for kind, items in issue_groups(doc):
            w(f'<li><b>{e(issue_kind_text(kind, lang))} ({len(items)})</b><ul>')
            w("".join(f"<li>{e(issue_text(i))}</li>" for i in items))
            w("</ul></li>")
        if skipped_text(doc, lang):
            w(f'<li>{e(t("skipped", lang))}: {e(skipped_text(doc, lang))}</li>')
        for s in doc["skipped_rules"]:
            w(f'<li><code>{e(s["rule_id"])}</code>: {e(s["reason"])}</li>')
        for n in doc["notes"]:
            w(f'<li>{e(n)}</li>')
        w("</ul></section>")
    w(blocks["signoff"])
    w(f'</main><footer>{e(t("generated_by", lang))} · <span data-testid="calendar">{e(calendar_text(doc, lang))}</span>'
      f' · {e(t("disclaimer", lang))}</footer>')
    w(f'<script type="application/json" id="report-summary">{_json_for_script(_summary(doc))}</script>')
    w(f"<script>{_JS}</script>")
    w("</body></html>\n")


TEMPLATES = Path(__file__).resolve().parent / "templates"


def _blocks(doc: dict[str, Any], lang: str, template_dir: Any, agency: str | None) -> dict[str, str]:
    """The letterhead and sign-off, rendered by Jinja2 (autoescaped) from the agency's folder when
    it has the file, else from the bundled one."""
    import jinja2

    folders = [str(template_dir)] if template_dir else []
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([*folders, str(TEMPLATES)]),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    context = {"report": doc.get("report") or {}, "ruleset": doc["ruleset"], "as_of": doc["as_of"],
               "as_of_text": fmt_date(doc["as_of"], lang), "lang": lang, "summary": doc["summary"],
               "agency": agency, "t": lambda key: t(key, lang)}
    out = {}
    for name in ("letterhead", "signoff"):
        try:
            out[name] = env.get_template(f"{name}.html.j2").render(context)
        except jinja2.TemplateError as exc:
            where = f"{getattr(exc, 'filename', None) or name + '.html.j2'}:{getattr(exc, 'lineno', '?')}"
            raise TemplateProblem(f"{where}: templat HTML tidak dapat dipakai / the HTML template cannot be used: "
                                  f"{exc}") from None
    return out


class TemplateProblem(ValueError):
    """An agency's HTML template cannot be rendered; the message names the file and line."""


def _identity_html(doc: dict[str, Any], lang: str) -> str:
    ident = doc.get("report") or {}
    src = ident.get("source") or {}
    bits = []
    if src.get("location"):
        bits.append(f'{e(t("provenance", lang))}: {e(src["location"])}')
    if src.get("sha256"):
        bits.append(f'SHA-256 <span data-testid="sha256">{e(src["sha256"])}</span>')
    tool = ident.get("tool") or {}
    cal = ident.get("calendar") or {}
    bits.append(f'{e(tool.get("name"))} {e(tool.get("version") or "")}')
    bits.append(f'{e(t("calendar", lang))} {e(cal.get("name"))} {e(cal.get("version") or "")}')
    if ident.get("generated_at"):
        bits.append(f'{e(t("generated", lang))} <span data-testid="generated-at">{e(ident["generated_at"])}</span>')
    return f'<div class="ident">{" · ".join(bits)}</div>'


def _matrix_html(matrix: dict[str, Any], lang: str) -> str:
    """The rule × unit fulfilment matrix: passed/scored per cell, red where anything fails."""
    units = matrix.get("units") or []
    if not units:
        return ""
    head = "".join(f"<th>{e(u)}</th>" for u in units)
    body = []
    for rid, cells in matrix["rows"].items():
        tds = []
        for c in cells:
            if not c or not (c["pass"] + c["fail"]):
                tds.append('<td class="na">–</td>')
            else:
                cls = "bad" if c["fail"] else "ok"
                tds.append(f'<td class="{cls}">{c["pass"]}/{c["pass"] + c["fail"]}</td>')
        body.append(f'<tr><th><a href="#rule-{e(rid)}">{e(rid)}</a></th>{"".join(tds)}</tr>')
    return (f'<section><h2>{e(t("matrix", lang))}</h2><p class="note">{e(t("matrix_note", lang))}</p>'
            f'<div class="matrix-wrap"><table class="matrix" data-testid="matrix"><thead><tr><th>{e(t("rule", lang))}</th>'
            f'{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div></section>')


def _summary(doc: dict[str, Any]) -> dict[str, Any]:
    return {"as_of": doc["as_of"], "ruleset": doc["ruleset"], "summary": doc["summary"]}


def _json_for_script(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


#: above this many findings, only those needing action get a card (the rest are counted)
HTML_MAX_CARDS = 20000
#: above HTML_MAX_CARDS findings, at most this many of those needing action get a card (worst
#: first): the page opens at once; the full list is in the csv or parquet report
HTML_MAX_PROBLEM_CARDS = 2000
#: units in the chart (worst first); every unit is in the score table
CHART_MAX_UNITS = 40
#: rows per level in the score table (worst first); every score is in the json, xlsx and markdown reports
HTML_MAX_SCORE_ROWS = 200


def _needs_action(f: dict[str, Any]) -> bool:
    return f["state"] in PROBLEM_STATES or bool(f.get("flags"))


def _finding_html(f: dict[str, Any], lang: str, units: dict[str, Any], chapters: dict[str, Any],
                  labelled: bool = False) -> str:
    """A finding card: in full when it needs action; passing and not-applicable ones compact, their
    article text once in the "rules cited" section (linked). ``labelled`` (data from a workbook):
    each evidence column also named by the template's header."""
    unit = f.get("unit_id") or ""
    title = text_of(f["title"], lang)
    cite = citations(f, lang)
    flags = "".join(
        f'<span class="flag{" attested" if fl == "attested" else ""}">{e(t("waiver_expired" if fl == "waiver_expired" else fl if fl != "waived" else "waiver_active", lang))}</span>'
        for fl in f.get("flags", ()) if fl != "waived")
    search = " ".join([f["rule_id"], f["entity"], f["entity_id"], unit, units.get(unit) or "", title, cite,
                       text_of(f["remedy"], lang), state_label(f["state"], lang), f["severity"]]).lower()
    rows = [(t("legal_basis", lang), f'<a href="#rule-{e(f["rule_id"])}">{e(cite)}</a>')]
    if f["state"] == "error":
        rows.append((t("reason", lang), f'{e(f.get("reason", ""))}: {e(f.get("message", ""))}'))
    if f.get("evidence"):
        def named(k: str) -> str:
            label = evidence_name(f["entity"], k, lang) if labelled else k
            return f"{e(label)} (<code>{e(k)}</code>)" if label.lower() != k.lower() else f"<code>{e(k)}</code>"

        rows.append((t("evidence", lang), "<br>".join(
            f"{named(k)} = <code>{e(json.dumps(v, ensure_ascii=False))}</code>" for k, v in f["evidence"].items())))
    if f.get("waiver"):
        rows.append((t("waiver", lang), e(waiver_text(f, lang))))
    if f.get("attestation"):
        rows.append((t("attestation", lang), e(attestation_text(f, lang))))
    if f.get("provenance"):
        rows.append((t("provenance", lang), f"<code>{e(provenance_text(f))}</code>"))
    where = f'{e(f["entity"])} <b>{e(f["entity_id"])}</b>'
    if unit:
        where += f' · {e(t("unit", lang))} {e(unit)}' + (f" {e(units.get(unit))}" if units.get(unit) else "")
    if f.get("chapter"):
        where += f' · {e(chapters.get(f["chapter"]) or f["chapter"])}'
    return (
        f'<article class="finding s-{e(f["state"])}" data-state="{e(f["state"])}" data-unit="{e(unit)}" '
        f'data-chapter="{e(f.get("chapter") or "")}" data-severity="{e(f["severity"])}" '
        f'data-flags="{e(" ".join(f.get("flags", ())))}" '
        f'data-rule="{e(f["rule_id"])}" data-entity-id="{e(f["entity_id"])}" data-search="{e(search)}">'
        f'<div class="head"><span class="badge b-{e(f["state"])}">{e(state_label(f["state"], lang))}</span>'
        f'<span class="rid">{e(f["rule_id"])}</span><span class="ttl">{e(title)}</span>{flags}'
        f'<span class="where">{where} · {e(severity_label(f["severity"], lang))}</span></div>'
        f'<dl>{"".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in rows)}</dl></article>'
    )


__all__ = ["PROBLEM_STATES", "render"]


# --- the reporter ------------------------------------------------------------------------------------------


def render_html(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """The HTML page, summary first; finding cards capped (:data:`layanan_rules.report.HTML_MAX_CARDS`,
    ``HTML_MAX_PROBLEM_CARDS``) so it opens at any size, with counts of what the csv/parquet hold.
    Option ``full_list``: the address (relative to the page) of the csv or parquet report written
    beside it, linked as a download where cards are left out (the CLI sets it when one run writes
    both)."""
    doc = dict(document(report, options))
    table = table_of(report, options)
    total = table.num_rows
    if total <= HTML_MAX_CARDS:
        shown = [with_rule(f, r) for f, r in finding_rows(report, options, table)]
        problems = sum(1 for f in shown if _needs_action(f))
    else:
        rows, problems = _needs_action_rows(report, options, HTML_MAX_PROBLEM_CARDS)
        shown = [with_rule(f, r) for f, r in finding_rows(report, options, rows)]
    doc["findings"] = shown
    doc["findings_total"] = total
    doc["needs_action_total"] = problems
    doc["matrix"] = fulfilment_matrix(report, options)
    if options.get("full_list"):
        doc["full_list"] = options["full_list"]
    render(doc, out, options.get("lang", "id"), options.get("html_template"), options.get("agency"))


def _needs_action_rows(report: Report, options: dict[str, Any], limit: int) -> tuple[Any, int]:
    """The worst ``limit`` findings that need action (with their evidence), and how many need action.
    They are chosen on the held columns, so only the rows shown get evidence made."""
    import pyarrow.compute as pc

    from layanan_rules.report.stream import worst_first

    table = table_of(report, options)
    where, rows = needing_action(table, ("state", "severity", "entity", "entity_id", "rule_id"), ("fail", "error"))
    order = worst_first(rows) if len(where) else where
    del rows
    return table.take(pc.take(where, order[:limit])), len(where)
