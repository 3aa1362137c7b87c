"""Reporters render a Report (``--format``); the built-in ones are an ordinary plugin.

Every built-in reporter renders from the same document, the report's JSON form
(:meth:`Report.to_dict`, schema ``docs/report-schema.json``), so the numbers agree across formats.
Options every reporter understands (``render(report, stream, options)``):

- ``lang``: ``id`` (default) or ``en`` for every human string, number and date;
- ``show_personal``: print personal data instead of "••• (data pribadi)" (default False);
- ``min_scored``: fewest scored findings for a score to count (default 5);
- ``color``: force colour on/off in ``table`` (default: when the stream is a terminal).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Callable
from typing import IO, Any
from xml.etree import ElementTree as ET

import attrs

from layanan_rules.hookspecs import hookimpl
from layanan_rules.report.findings import Report
from layanan_rules.report.i18n import fmt_date, fmt_number, state_label, t, text_of, zone_label
from layanan_rules.report.text import (
    PROBLEM_STATES,
    article_text,
    attestation_text,
    calendar_text,
    chapter_names,
    citations,
    counts_text,
    evidence_text,
    flag_text,
    group_by_unit,
    group_title,
    issue_groups,
    issue_kind_text,
    issue_text,
    problem_order,
    provenance_text,
    sanction_text,
    score_text,
    skipped_text,
    unit_names,
    waiver_text,
)


@attrs.frozen
class Reporter:
    """A named output format: ``render(report, stream, options)`` writes to a text or binary stream."""

    name: str
    description: str
    extension: str
    render: Callable[[Report, IO[Any], dict[str, Any]], None]
    binary: bool = False


def document(report: Report, options: dict[str, Any]) -> dict[str, Any]:
    """The report's JSON form for these options; computed once per option set and reused."""
    key = (options.get("lang", "id"), bool(options.get("show_personal")), options.get("min_scored"))
    cache = options.setdefault("_documents", {})
    if key not in cache or cache[key][0] is not report:
        cache[key] = (report, report.to_dict(lang=key[0], show_personal=key[1], min_scored=key[2]))
    return cache[key][1]


# --- json, jsonl ----------------------------------------------------------------------------------------


def render_json(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """The JSON document: indented, with one finding per line (readable, greppable, and fast to write)."""
    doc = document(report, options)
    head = json.dumps({k: v for k, v in doc.items() if k != "findings"}, ensure_ascii=False, indent=2)
    out.write(head[:-2] + ',\n  "findings": [')  # head ends with "\n}"
    sep = "\n    "
    for f in doc["findings"]:
        out.write(sep)
        out.write(json.dumps(f, ensure_ascii=False))
        sep = ",\n    "
    out.write("\n  ]\n}\n" if doc["findings"] else "]\n}\n")


def render_jsonl(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """One finding a line, each carrying ``ruleset``, ``as_of`` and ``schema_version``."""
    doc = document(report, options)
    head = {"schema_version": doc["schema_version"], "ruleset": doc["ruleset"]["id"], "as_of": doc["as_of"],
            "calendar": f"{doc['calendar']['source']} {doc['calendar']['version']}"}
    for f in doc["findings"]:
        out.write(json.dumps({**head, **f}, ensure_ascii=False))
        out.write("\n")


# --- csv / xlsx: one flat row per finding ---------------------------------------------------------------

COLUMNS = (
    "rule_id", "title", "state", "flags", "severity", "entity", "entity_id", "unit_id", "unit",
    "penyelenggara_id", "wilayah", "chapter", "legal_basis", "article_text", "sanction", "remedy", "evidence",
    "reason", "message", "provenance", "waiver", "attestation",
)
_HEADERS = {
    "id": ("id_aturan", "judul", "status", "tanda", "tingkat", "entitas", "id_entitas", "id_unit", "unit",
           "id_penyelenggara", "wilayah", "bab", "dasar_hukum", "bunyi_pasal", "sanksi", "perbaikan", "bukti",
           "alasan", "keterangan", "sumber_data", "pengecualian", "atestasi"),
    "en": COLUMNS,
}


def flat_rows(doc: dict[str, Any], lang: str) -> list[list[Any]]:
    units = unit_names(doc)
    chapters = chapter_names(doc)
    rows = []
    for f in sorted(doc["findings"], key=problem_order):
        rows.append([
            f["rule_id"], text_of(f["title"], lang), state_label(f["state"], lang), flag_text(f, lang),
            f["severity"], f["entity"], f["entity_id"], f.get("unit_id") or "", units.get(f.get("unit_id") or "") or "",
            f.get("penyelenggara_id") or "", f.get("wilayah") or "", chapters.get(f.get("chapter") or "") or "",
            citations(f, lang), article_text(f), sanction_text(f, lang),
            text_of(f["remedy"], lang), evidence_text(f), f.get("reason", ""), f.get("message", ""),
            provenance_text(f), waiver_text(f, lang), attestation_text(f, lang),
        ])
    return rows


def render_csv(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """One row per finding, worst first; headers in the report language; UTF-8."""
    lang = options.get("lang", "id")
    doc = document(report, options)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_HEADERS["en" if lang == "en" else "id"])
    writer.writerows(flat_rows(doc, lang))


def render_xlsx(report: Report, out: IO[bytes], options: dict[str, Any]) -> None:
    """A workbook: summary and scores, then every finding (autofilter, frozen header).

    Written in openpyxl's write-only mode, so a report of a few hundred thousand findings stays quick;
    long text wraps in the findings sheet up to :data:`XLSX_WRAP_ROWS` rows.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lang = options.get("lang", "id")
    doc = document(report, options)
    sc = doc["scores"]
    zone_fill = {z["name"]: PatternFill("solid", fgColor=z["color"].lstrip("#")) for z in sc["method"]["zones"]}
    head_fill = PatternFill("solid", fgColor="1F3A5F")
    head_font = Font(bold=True, color="FFFFFF")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Ringkasan" if lang == "id" else "Summary")
    for col, width in zip("ABCDEFGHIJK", (26, 18, 42, 14, 14, 12, 12, 12, 14, 12, 14), strict=True):
        ws.column_dimensions[col].width = width

    def cell(sheet: Any, value: Any, *, font: Any = None, fill: Any = None) -> Any:
        c = WriteOnlyCell(sheet, value=value)
        if font is not None:
            c.font = font
        if fill is not None:
            c.fill = fill
        return c

    def zone_cell(sheet: Any, s: dict[str, Any]) -> Any:
        return cell(sheet, zone_label(s["zone"], lang, s.get("zone_label")), fill=zone_fill.get(s["zone"] or ""))

    summary = doc["summary"]
    ws.append([cell(ws, t("title", lang), font=Font(bold=True, size=14))])
    ws.append([t("ruleset", lang), f"{doc['ruleset']['id']} {doc['ruleset']['version']}"])
    ws.append([t("as_of", lang).capitalize(), fmt_date(doc["as_of"], lang)])
    ws.append([t("calendar", lang), calendar_text(doc, lang).partition(": ")[2]])
    ws.append([t("score", lang), summary["score"] if summary["sufficient"] else t("too_little_data", lang),
               zone_cell(ws, summary)])
    for state, n in summary["states"].items():
        ws.append([state_label(state, lang), n])
    ws.append([t("attested", lang), summary["attested"]])
    ws.append([t("waiver_expired", lang), summary["waivers_expired"]])
    ws.append([t("zone_basis", lang), text_of(sc["method"]["zones_basis"], lang)])
    ws.append([])
    header = [t("scope", lang), "ID", "Nama" if lang == "id" else "Name", t("score", lang), t("zone", lang),
              t("scored", lang), *[state_label(s, lang) for s in summary["states"]]]
    ws.append([cell(ws, h, font=head_font, fill=head_fill) for h in header])
    for level in ("total", "wilayah", "penyelenggara", "unit", "chapter"):
        for s in [sc[level]] if level == "total" else sc[level]:
            ws.append([t(f"level.{level}", lang).split(" /")[0], s["key"] if level != "total" else "", s["name"] or "",
                       s["score"] if s["sufficient"] else t("too_little_data", lang), zone_cell(ws, s),
                       s["scored"], *s["counts"].values()])

    fs = wb.create_sheet("Temuan" if lang == "id" else "Findings")
    widths = {"rule_id": 14, "title": 44, "state": 12, "flags": 16, "legal_basis": 30, "article_text": 50,
              "remedy": 50, "evidence": 50, "message": 40, "provenance": 36, "waiver": 50, "attestation": 40}
    for i, name in enumerate(COLUMNS, start=1):
        fs.column_dimensions[get_column_letter(i)].width = widths.get(name, 14)
    rows = flat_rows(doc, lang)
    fs.freeze_panes = "A2"
    fs.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    fs.append([cell(fs, h, font=head_font, fill=head_fill) for h in _HEADERS["en" if lang == "en" else "id"]])
    if len(rows) <= XLSX_WRAP_ROWS:
        wrap = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            cells = []
            for value in row:
                c = WriteOnlyCell(fs, value=value if value != "" else None)
                c.alignment = wrap
                cells.append(c)
            fs.append(cells)
    else:
        for row in rows:
            fs.append([v if v != "" else None for v in row])  # an empty cell is not written at all
    wb.save(out)


#: findings sheets up to this many rows get wrapped, top-aligned text (slower to write)
XLSX_WRAP_ROWS = 5000


# --- junit -----------------------------------------------------------------------------------------------


def render_junit(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """JUnit XML: a testsuite per chapter (rule group), a testcase per finding.

    ``fail`` -> ``<failure>``, ``error`` -> ``<error>``, ``not_applicable`` and ``waived`` ->
    ``<skipped>``; ``pass`` is a plain testcase. CI servers show it as a test report.
    """
    lang = options.get("lang", "id")
    doc = document(report, options)
    chapters = chapter_names(doc)
    by_chapter: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in doc["findings"]:
        by_chapter[f.get("chapter") or "-"].append(f)
    root = ET.Element("testsuites", name=f"layanan-rules {doc['ruleset']['id']} {doc['ruleset']['version']}")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for key in sorted(by_chapter):
        fs = by_chapter[key]
        counts = {"tests": len(fs), "failures": sum(f["state"] == "fail" for f in fs),
                  "errors": sum(f["state"] == "error" for f in fs),
                  "skipped": sum(f["state"] in ("not_applicable", "waived") for f in fs)}
        for k in totals:
            totals[k] += counts[k]
        suite = ET.SubElement(root, "testsuite", name=chapters.get(key) or key, timestamp=doc["as_of"],
                              **{k: str(v) for k, v in counts.items()}, time="0")
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="ruleset", value=f"{doc['ruleset']['id']} {doc['ruleset']['version']}")
        ET.SubElement(props, "property", name="as_of", value=doc["as_of"])
        ET.SubElement(props, "property", name="calendar", value=calendar_text(doc, lang).partition(": ")[2])
        for f in fs:
            case = ET.SubElement(suite, "testcase", name=f"{f['rule_id']} {f['entity']} {f['entity_id']}",
                                 classname=f"{doc['ruleset']['id']}.{key}.{f['rule_id']}", time="0")
            body = "\n".join(x for x in (
                text_of(f["title"], lang),
                f"{t('legal_basis', lang)}: {citations(f, lang)}",
                f"{t('sanction', lang)}: {sanction_text(f, lang)}" if sanction_text(f, lang) else "",
                f"{t('remedy', lang)}: {text_of(f['remedy'], lang)}",
                f"{t('evidence', lang)}: {evidence_text(f)}" if f.get("evidence") else "",
                f"{t('provenance', lang)}: {provenance_text(f)}",
                waiver_text(f, lang), attestation_text(f, lang),
            ) if x)
            title = f"{text_of(f['title'], lang)} ({citations(f, lang)})"
            if f["state"] == "fail":
                el = ET.SubElement(case, "failure", message=title, type=f["severity"])
                el.text = body
            elif f["state"] == "error":
                el = ET.SubElement(case, "error", message=f"{f.get('reason', '')}: {f.get('message', '')}",
                                   type=f.get("reason", "error"))
                el.text = body
            elif f["state"] == "not_applicable":
                ET.SubElement(case, "skipped", message=state_label("not_applicable", lang))
            elif f["state"] == "waived":
                ET.SubElement(case, "skipped", message=f"{state_label('waived', lang)}: {waiver_text(f, lang)}")
            else:
                if f["flags"]:
                    ET.SubElement(case, "system-out").text = attestation_text(f, lang)
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")


# --- markdown --------------------------------------------------------------------------------------------


def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """A Markdown report: summary, scores per unit and chapter, then problems per unit."""
    lang = options.get("lang", "id")
    doc = document(report, options)
    sc = doc["scores"]
    w = out.write
    w(f"# {t('title', lang)}\n\n")
    w(f"{t('ruleset', lang)} **{doc['ruleset']['id']} {doc['ruleset']['version']}** · {t('as_of', lang)} "
      f"**{fmt_date(doc['as_of'], lang)}**\n\n")
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
    w(f"## {t('problems', lang)}\n\n")
    any_problem = False
    for score, key, fs in group_by_unit(doc):
        shown = sorted((f for f in fs if f["state"] in PROBLEM_STATES or f["flags"]), key=problem_order)
        if not shown:
            continue
        any_problem = True
        head = group_title(score, key, lang)
        w(f"### {_md(head)}" + (f" — {score_text(score, lang)}" if score else "") + "\n\n")
        for f in shown:
            flags = flag_text(f, lang)
            w(f"- **{state_label(f['state'], lang).upper()}** `{f['rule_id']}` {f['entity']} `{f['entity_id']}` "
              f"({f['severity']}) — {_md(text_of(f['title'], lang))}" + (f" _[{flags}]_" if flags else "") + "\n")
            w(f"  - {t('legal_basis', lang)}: {_md(citations(f, lang))}\n")
            if sanction_text(f, lang):
                w(f"  - {t('sanction', lang)}: {_md(sanction_text(f, lang))}\n")
            if article_text(f):
                w(f"  - {t('article_text', lang)}: “{_md(article_text(f))}”\n")
            if f["state"] == "error":
                w(f"  - {t('reason', lang)}: {f.get('reason', '')}: {_md(f.get('message', ''))}\n")
            w(f"  - {t('remedy', lang)}: {_md(text_of(f['remedy'], lang))}\n")
            if f.get("evidence"):
                w(f"  - {t('evidence', lang)}: `{_md(evidence_text(f))}`\n")
            if f.get("waiver"):
                w(f"  - {t('waiver', lang)}: {_md(waiver_text(f, lang))}\n")
            if f.get("attestation"):
                w(f"  - {t('attestation', lang)}: {_md(attestation_text(f, lang))}\n")
            w(f"  - {t('provenance', lang)}: `{_md(provenance_text(f))}`\n")
        w("\n")
    if not any_problem:
        w(f"{t('no_problems', lang)}\n\n")
    _md_tail(doc, w, lang)


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


# --- table (terminal) ------------------------------------------------------------------------------------


_STATE_STYLE = {"fail": "bold red", "error": "bold magenta", "waived": "cyan", "pass": "green",
                "not_applicable": "dim"}
_ZONE_STYLE = {"hijau": "bold white on green", "kuning": "bold black on yellow", "merah": "bold white on red"}


def _wrap(text: str, width: int) -> list[str]:
    """``textwrap.wrap(text, width, break_on_hyphens=False)``; a line that already fits (no tabs,
    newlines or edge spaces, which wrap would change) is returned as it is, 20x faster."""
    if len(text) <= width and text.isprintable() and text[:1] != " " and text[-1:] != " " and text:
        return [text]
    import textwrap

    return textwrap.wrap(text, width, break_on_hyphens=False)


def render_table(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """Terminal text: grouped by unit (worst first), counts per state; colour on a terminal; 80 columns.

    Lines are wrapped here (not by rich), so a report with many thousands of findings prints fast;
    rich only adds colour when the stream is a terminal (or ``options["color"]`` is true).
    """
    from rich.console import Console
    from rich.text import Text

    lang = options.get("lang", "id")
    doc = document(report, options)
    sc = doc["scores"]
    tty = bool(getattr(out, "isatty", lambda: False)())
    color = bool(options.get("color", tty))
    console = Console(file=out, force_terminal=True, highlight=False, emoji=False, soft_wrap=True) if color else None
    width = int(options.get("width") or (min(console.width, 100) if console is not None and tty else 80))
    indent = " " * 16  # 3 + a 12-wide state column ("DIKECUALIKAN") + 1

    def emit(*parts: tuple[str, str]) -> None:
        """One line from (text, style) parts."""
        if console is None:
            out.write("".join(p for p, _ in parts).rstrip() + "\n")
        else:
            line = Text()
            for text, style in parts:
                line.append(text, style=style)
            console.print(line)

    def wrapped(text: str, style: str = "", first: str = indent, rest: str = indent) -> None:
        for i, line in enumerate(_wrap(text, width - len(rest)) or [""]):
            emit((first if i == 0 else rest, ""), (line, style))

    def zone(s: dict[str, Any]) -> tuple[str, str]:
        if not s["sufficient"]:
            return f"{t('too_little_data', lang)} ({s['scored']} {t('scored', lang)})", "dim"
        pad = " " if color else ""
        text = f"{pad}{fmt_number(s['score'], lang)} {zone_label(s['zone'], lang, s.get('zone_label'))}{pad}"
        return text, _ZONE_STYLE.get(s["zone"] or "", "bold")

    emit((t("title", lang), "bold"))
    emit(((f"{t('ruleset', lang)} {doc['ruleset']['id']} {doc['ruleset']['version']} · "
          f"{t('as_of', lang)} {fmt_date(doc['as_of'], lang)}"), ""))
    emit((f"{t('score', lang)}: ", ""), zone(sc["total"]))
    emit(*_counts_parts(doc["summary"]["states"], lang))
    for score, key, fs in group_by_unit(doc):
        emit(("", ""))
        emit((group_title(score, key, lang), "bold underline"))
        if score is not None:
            parts = [("  ", ""), zone(score), ("  ", ""), *_counts_parts(score["counts"], lang)]
            if sum(len(p) for p, _ in parts) > width:  # counts on their own line
                emit(*parts[:2])
                parts = [("  ", ""), *parts[3:]]
            emit(*parts)
        for f in sorted((f for f in fs if f["state"] in PROBLEM_STATES or f["flags"]), key=problem_order):
            mark = state_label(f["state"], lang).upper()
            head = f"{f['rule_id']} · {f['entity']} {f['entity_id']} · {f['severity']} · {citations(f, lang)}"
            lines = _wrap(head, width - len(indent))
            emit(("   ", ""), (f"{mark:<12} ", _STATE_STYLE[f["state"]]), (lines[0], "bold"))
            for line in lines[1:]:
                emit((indent, ""), (line, ""))
            flags = flag_text(f, lang)
            wrapped(text_of(f["title"], lang) + (f"  [{flags}]" if flags else ""))
            if f["state"] == "error":
                wrapped(f"! {f.get('reason', '')}: {f.get('message', '')}", "magenta")
            if f["state"] in PROBLEM_STATES:
                wrapped(f"→ {text_of(f['remedy'], lang)}", "green")
            if f.get("waiver"):
                wrapped(f"{t('waiver', lang)}: {waiver_text(f, lang)}",
                        "bold yellow" if "waiver_expired" in f["flags"] else "cyan")
            if f.get("attestation"):
                wrapped(attestation_text(f, lang), "cyan")
            wrapped(f"@ {provenance_text(f)}", "dim")
    emit(("", ""))
    emit((f"{t('summary', lang)}: ", "bold"), *_counts_parts(doc["summary"]["states"], lang))
    if doc["data_issues"]:  # grouped by kind, each with its count and (a sample of) its cells
        groups = issue_groups(doc)
        kinds = " · ".join(f"{issue_kind_text(kind, lang)} {fmt_number(len(items), lang)}" for kind, items in groups)
        emit((f"{t('data_issues', lang)}: {fmt_number(len(doc['data_issues']), lang)}", ""), (f" ({kinds})", "dim"))
        for kind, items in groups:
            wrapped(f"{issue_kind_text(kind, lang)} ({fmt_number(len(items), lang)})", "bold", first="  ", rest="  ")
            for issue in items[:20]:
                wrapped(f"- {issue_text(issue)}", "", first="    ", rest="      ")
            if len(items) > 20:
                wrapped(f"- … +{fmt_number(len(items) - 20, lang)} (--format json)", "dim", first="    ")
    if skipped_text(doc, lang):
        wrapped(f"{t('skipped', lang)}: {skipped_text(doc, lang)}", "dim", first="")
    for s in doc["skipped_rules"]:
        wrapped(f"{t('not_evaluated', lang)}: {s['rule_id']}: {s['reason']}", "", first="")
    for n in doc["notes"]:
        wrapped(f"! {n}", "yellow", first="")
    wrapped(calendar_text(doc, lang), "dim", first="")


def _counts_parts(counts: dict[str, int], lang: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, s in enumerate(("fail", "error", "waived", "pass", "not_applicable")):
        if i:
            out.append((" · ", ""))
        out.append((f"{state_label(s, lang)} {fmt_number(counts.get(s, 0), lang)}",
                    _STATE_STYLE[s] if counts.get(s) else "dim"))
    return out


# --- html -------------------------------------------------------------------------------------------------


def render_html(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    from layanan_rules.report.html import render

    render(document(report, options), out, options.get("lang", "id"))


@hookimpl
def register_reporters() -> list[Reporter]:
    return [
        Reporter("table", "Tabel teks untuk terminal / text table for the terminal", "txt", render_table),
        Reporter("json", "JSON lengkap, skema berversi / full JSON, versioned schema", "json", render_json),
        Reporter("jsonl", "Satu temuan per baris (JSON Lines) / one finding a line", "jsonl", render_jsonl),
        Reporter("csv", "CSV, satu baris per temuan / one row per finding", "csv", render_csv),
        Reporter("xlsx", "Buku kerja Excel: ringkasan + temuan / Excel workbook: summary + findings", "xlsx",
                 render_xlsx, binary=True),
        Reporter("junit", "JUnit XML untuk CI / JUnit XML for CI servers", "xml", render_junit),
        Reporter("markdown", "Markdown untuk tiket atau wiki / Markdown for tickets or wikis", "md", render_markdown),
        Reporter("html", "Satu berkas HTML mandiri dengan grafik dan pencarian / one self-contained HTML file",
                 "html", render_html),
    ]


def available(pm: Any) -> dict[str, Reporter]:
    found: dict[str, Reporter] = {}
    for group in pm.hook.register_reporters():
        for r in group or []:
            found.setdefault(r.name, r)
    return found
