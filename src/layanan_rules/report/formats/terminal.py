"""The terminal table (the default format): grouped by unit, worst first; within a unit the
records needing attention grouped by rule, each with its name, place and evidence; 80 columns,
colour on a terminal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, Any

import attrs

from layanan_rules.report.formats.common import (
    Report,
    chosen,
    document,
    finding_rows,
    table_of,
    where_true,
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
    attestation_text,
    calendar_text,
    citations,
    evidence_name,
    flag_text,
    from_workbook,
    group_title,
    issue_groups,
    issue_kind_text,
    issue_text,
    provenance_text,
    skipped_text,
    waiver_text,
)

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


def _unit_groups(report: Report, options: dict[str, Any], per_rule: int | None = None, most: int | None = None
                 ) -> tuple[list[tuple[dict[str, Any] | None, str]], Any, dict[int, int], int]:
    """Headings in reading order (units worst first, then providers, then unplaced), the problem
    rows sorted into that order (within each, by rule: most severe rule first, then rule order;
    then by state, then worst first) and, with ``per_rule``, only the first ``per_rule`` rows of
    each unit's rule, with how many were left out after the n-th row kept ({n: count}); with
    ``most``, at most that many rows in all, and how many problem rows there are."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from layanan_rules.report.stream import SEVERITY_RANK, _mapped, decoded, worst_first

    doc = document(report, options)
    findings = table_of(report, options)
    table = getattr(findings, "held", findings)  # chosen and ordered on the columns without evidence
    state = decoded(table["state"])
    mask = pc.or_(pc.or_(pc.is_in(state, pa.array(["fail", "error"])), pc.fill_null(table["attested"], False)),
                  pc.is_valid(table["waiver_status"]))
    where = where_true(mask)
    rows = table.take(where)
    if len(rows):
        where = pc.take(where, worst_first(rows))
        rows = table.take(where)
    units = [s["key"] for s in doc["scores"]["unit"]]
    pens = [s["key"] for s in doc["scores"]["penyelenggara"]]
    unit_of = decoded(rows["unit_id"])
    pen_of = decoded(rows["penyelenggara_id"])
    rank = pc.coalesce(pc.index_in(unit_of, pa.array(units, pa.string())),
                       pc.add(pc.index_in(pc.if_else(pc.is_valid(unit_of), None, pen_of), pa.array(pens, pa.string())),
                              len(units)),
                       len(units) + len(pens))
    rules = report.rules()
    sev = {rid: -SEVERITY_RANK.get(r["severity"], 0) for rid, r in rules.items()}
    rule_rank = {rid: i for i, rid in enumerate(rules)}
    state_order = ["fail", "error", "waived", "pass", "not_applicable"]
    key = pa.table({"rank": rank, "sev": _mapped(rows["rule_id"], sev.get, pa.int8()),
                    "rule": _mapped(rows["rule_id"], rule_rank.get, pa.int16()),
                    "state": _mapped(rows["state"], lambda s: state_order.index(s) if s in state_order else None,
                                     pa.int8()),
                    "i": pa.array(range(len(rows)))})
    order = pc.sort_indices(key, sort_keys=[(k, "ascending") for k in key.column_names])
    hidden: dict[int, int] = {}
    if per_rule is not None and len(order) > per_rule:  # chosen before any row is made
        keep: list[int] = []
        run, count = None, 0
        for j, group in enumerate(zip(pc.take(rank, order).to_pylist(), pc.take(key["rule"], order).to_pylist())):
            run, count = group, (count + 1 if group == run else 1)
            if count <= per_rule:
                keep.append(j)
            else:
                hidden[len(keep) - 1] = hidden.get(len(keep) - 1, 0) + 1
        order = pc.take(order, pa.array(keep, pa.int64()))
    if most is not None and len(order) > most:
        order = order.slice(0, most)
        hidden = {n: k for n, k in hidden.items() if n < most - 1}
    headings: list[tuple[dict[str, Any] | None, str]] = []
    seen_units = set(pc.unique(unit_of).to_pylist()) | set(pc.unique(decoded(table["unit_id"])).to_pylist())
    for s in doc["scores"]["unit"]:
        if s["key"] in seen_units:
            headings.append((s, f"unit:{s['key']}"))
    no_unit = table.filter(pc.is_null(table["unit_id"]))
    pen_no_unit = set(pc.unique(decoded(no_unit["penyelenggara_id"])).to_pylist())
    for s in doc["scores"]["penyelenggara"]:
        if s["key"] in pen_no_unit:
            headings.append((s, f"penyelenggara:{s['key']}"))
    if len(no_unit.filter(pc.is_null(no_unit["penyelenggara_id"]))):
        headings.append((None, "-"))
    return headings, chosen(findings, pc.take(where, order) if len(rows) else where), hidden, len(rows)


#: on a terminal, how many records a unit's rule lists (the rest counted, in full in the other formats)
TTY_PER_RULE = 20


#: on a terminal, how many records the whole report lists (then only the units' scores and counts)
TTY_RECORDS = 400


#: the table writes each listed record's evidence when it lists at most this many (``options["evidence_records"]``)
TABLE_EVIDENCE_RECORDS = 10_000


def render_table(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """Terminal text: grouped by unit (worst first), counts per state; within a unit, the findings
    needing attention grouped by rule (its citation, title and remedy once, then one line per
    record); colour on a terminal; 80 columns.

    Lines are wrapped here (not by rich), so a report with many thousands of findings prints fast;
    rich only adds colour when the stream is a terminal (or ``options["color"]`` is true). On a
    terminal, a unit's rule lists its first :data:`TTY_PER_RULE` records and says how many more
    there are, and the report at most :data:`TTY_RECORDS` records (``options["per_rule"]`` and
    ``options["most"]``: those limits anywhere; None: all); written to a file or a pipe, all of them.
    Each listed record's evidence follows it when the table lists at most
    :data:`TABLE_EVIDENCE_RECORDS` (``options["evidence_records"]``); a longer listing is a dump,
    where it would double the time, and says so at the end.
    """
    from rich.color import ColorSystem
    from rich.console import Console
    from rich.style import Style

    lang = options.get("lang", "id")
    doc = document(report, options)
    sc = doc["scores"]
    tty = bool(getattr(out, "isatty", lambda: False)())
    color = bool(options.get("color", tty))
    console = Console(file=out, force_terminal=True, highlight=False, emoji=False, soft_wrap=True) if color else None
    width = int(options.get("width") or (min(console.width, 100) if console is not None and tty else 80))
    indent = " " * 16  # 3 + a 12-wide state column ("DIKECUALIKAN") + 1
    # rich says which escape codes a style is on this terminal (colour system, NO_COLOR); they are
    # written here, once looked up per style: rich's own printing of a line costs ~20x the line
    system = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT, "truecolor": ColorSystem.TRUECOLOR,
              "windows": ColorSystem.WINDOWS}.get(console.color_system or "") if console is not None else None
    codes: dict[str, tuple[str, str]] = {"": ("", "")}

    def styled(text: str, style: str) -> str:
        if style not in codes:
            parsed = Style.parse(style)
            ansi = (parsed.without_color if console is not None and console.no_color else parsed).render(
                "\0", color_system=system)
            start, _, end = ansi.partition("\0")
            codes[style] = (start, end)
        start, end = codes[style]
        return f"{start}{text}{end}" if text and start else text

    def emit(*parts: tuple[str, str]) -> None:
        """One line from (text, style) parts."""
        if system is None:
            out.write("".join(p for p, _ in parts).rstrip() + "\n")
        else:
            out.write("".join(styled(p, style) for p, style in parts) + "\n")

    def wrapped(text: str, style: str = "", first: str = indent, rest: str = indent) -> None:
        for i, line in enumerate(_wrap(text, width - len(rest)) or [""]):
            emit((first if i == 0 else rest, ""), (line, style))

    def zone(s: dict[str, Any]) -> tuple[str, str]:
        if not s["sufficient"]:
            return f"{t('too_little_data', lang)} ({s['scored']} {t('scored', lang)})", "dim"
        pad = " " if color else ""
        text = f"{pad}{fmt_number(s['score'], lang)} {zone_label(s['zone'], lang, s.get('zone_label'))}{pad}"
        return text, _ZONE_STYLE.get(s["zone"] or "", "bold")

    def heading(score: dict[str, Any] | None, key: str) -> None:
        emit(("", ""))
        emit((group_title(score, key, lang), "bold underline"))
        if score is not None:
            parts = [("  ", ""), zone(score), ("  ", ""), *_counts_parts(score["counts"], lang)]
            if sum(len(p) for p, _ in parts) > width:  # counts on their own line
                emit(*parts[:2])
                parts = [("  ", ""), *parts[3:]]
            emit(*parts)

    def group_key(f: dict[str, Any]) -> str:
        if f.get("unit_id"):
            return f"unit:{f['unit_id']}"
        if f.get("penyelenggara_id"):
            return f"penyelenggara:{f['penyelenggara_id']}"
        return "-"

    emit((t("title", lang), "bold"))
    emit(((f"{t('ruleset', lang)} {doc['ruleset']['id']} {doc['ruleset']['version']} · "
          f"{t('as_of', lang)} {fmt_date(doc['as_of'], lang)}"), ""))
    source = ((doc.get("report") or {}).get("source") or {}).get("location")
    if source:  # named once here; each record's place below is written from inside it
        wrapped(f"{t('provenance', lang)}: {source}", "", first="", rest="  ")
    emit((f"{t('score', lang)}: ", ""), zone(sc["total"]))
    emit(*_counts_parts(doc["summary"]["states"], lang))
    per_rule = options.get("per_rule", TTY_PER_RULE if tty else None)
    most = options.get("most", TTY_RECORDS if tty else None)
    headings, rows, hidden, problems = _unit_groups(report, options, per_rule, most)
    pending = list(headings)
    current = None
    rule_of = None  # the rule whose block is open in this unit
    name_of = _record_names(report, bool(options.get("show_personal")))
    labelled = from_workbook(doc)
    # the evidence of a listing a person reads (a terminal's, a few thousand records); beyond that
    # the text is a dump, where it would double the time: said at the end, and in the other formats
    why = len(rows) <= int(options.get("evidence_records", TABLE_EVIDENCE_RECORDS))
    lean = None if why else getattr(rows, "without_evidence", None)
    for n, (f, r) in enumerate(finding_rows(report, options, lean() if lean is not None else rows)):
        key = group_key(f)
        if key != current:
            current, rule_of = key, None
            while pending and pending[0][1] != key:  # headings of groups with nothing to act on
                heading(*pending.pop(0))
            if pending:
                heading(*pending.pop(0))
        g = with_rule(f, r)
        if f["rule_id"] != rule_of:  # the rule once: id, severity, citations, title, remedy
            rule_of = f["rule_id"]
            emit(("", ""))
            wrapped(f"{f['rule_id']} · {severity_label(r['severity'], lang)} · {citations(g, lang)}", "bold",
                    first="   ", rest="   ")
            wrapped(text_of(r["title"], lang), first="   ", rest="   ")
            if f["state"] in PROBLEM_STATES:  # the worst state comes first in a rule's block
                wrapped(f"→ {text_of(r['remedy'], lang)}", "green", first="   ", rest="     ")
        mark = state_label(f["state"], lang).upper()
        flags = flag_text(g, lang)
        name = name_of(f["entity"], f["entity_id"])
        line = (f"{f['entity']} {f['entity_id']}" + (f" · {name}" if name else "")
                + (f"  [{flags}]" if flags else ""))
        where = f"@ {_within(provenance_text(g), source)}" if f.get("provenance") else ""
        if where and len(line) + 1 + len(where) <= width - len(indent):  # the record and its place on one line
            line, where = f"{line} {where}", ""
        lines = _wrap(line, width - len(indent))
        emit(("   ", ""), (f"{mark:<12} ", _STATE_STYLE[f["state"]]), (lines[0], ""))
        for more in lines[1:]:
            emit((indent, ""), (more, ""))
        if where:
            wrapped(where, "dim")
        if why and f.get("evidence"):  # why: what the rule computed and read, up to three lines
            lines = _wrap(f"{t('evidence', lang)}: {_evidence_line(f['entity'], f['evidence'], lang, labelled)}",
                          width - len(indent))
            for i, text in enumerate(lines[:EVIDENCE_LINES]):
                last = i == EVIDENCE_LINES - 1 and len(lines) > EVIDENCE_LINES
                emit((indent, ""), (text[:width - len(indent) - 1] + "…" if last else text, "dim"))
        if f["state"] == "error":
            wrapped(f"! {f.get('reason', '')}: {f.get('message', '')}", "magenta")
        if f.get("waiver"):
            wrapped(f"{t('waiver', lang)}: {waiver_text(g, lang)}",
                    "bold yellow" if "waiver_expired" in f["flags"] else "cyan")
        if f.get("attestation"):
            wrapped(attestation_text(g, lang), "cyan")
        if n in hidden:
            wrapped(f"… +{fmt_number(hidden[n], lang)} {t('more_records', lang)}", "dim")
    for pending_heading in pending:
        heading(*pending_heading)
    emit(("", ""))
    emit((f"{t('summary', lang)}: ", "bold"), *_counts_parts(doc["summary"]["states"], lang))
    if not why:
        wrapped(t("evidence_left_out", lang).format(
            n=fmt_number(len(rows), lang), most=fmt_number(int(options.get("evidence_records", TABLE_EVIDENCE_RECORDS)),
                                                           lang)), "dim", first="", rest="  ")
    if len(rows) < problems:
        wrapped(t("records_capped", lang).format(shown=fmt_number(len(rows), lang), n=fmt_number(problems, lang),
                                                 per_rule=per_rule), "dim", first="", rest="  ")
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


#: a record's name on a finding's line is cut to this many characters
NAME_WIDTH = 40


#: a finding's evidence takes at most this many lines of the table, each value this many characters
EVIDENCE_LINES, EVIDENCE_VALUE = 3, 48


def _evidence_line(entity: str, evidence: dict[str, Any], lang: str, labelled: bool) -> str:
    """``batas_waktu = 14 hari kalender dari 2024-06-03: batas 2024-06-17 ... · Aktif = true``: a
    finding's evidence on one line, what a rule computed first, each value short (the whole of it is
    in the json, csv and html reports); ``labelled``: each column named by the template's header."""
    parts = []
    for key, value in sorted(evidence.items(), key=lambda kv: "(" not in kv[0]):  # computed first
        if "(" in key:
            name = key.split("(", 1)[0]
        else:
            name = evidence_name(entity, key, lang) if labelled else key
        parts.append(f"{name} = {_evidence_value(value, lang)}")
    return " · ".join(parts)


def _evidence_value(value: Any, lang: str) -> str:
    if value is None or value == [] or value == "" or value == {}:
        return t("no_value", lang)
    if isinstance(value, dict) and {"dari", "hari", "batas"} <= value.keys():  # a deadline counted
        kind = str(value.get("kalender") or "")
        kind = kind.split(" / ")[0 if lang == "id" else -1] if kind else ("hari" if lang == "id" else "days")
        text = (f"{value['hari']} {kind} dari {value['dari']}: batas {value['batas']}" if lang == "id" else
                f"{value['hari']} {kind} from {value['dari']}: due {value['batas']}")
        if value.get("sampai") is not None and value.get("hari_berlalu") is not None:
            text += (f"; sampai {value['sampai']} = {value['hari_berlalu']} hari" if lang == "id" else
                     f"; to {value['sampai']} = {value['hari_berlalu']} days")
        return text
    if isinstance(value, str):
        text = _short_time(value)
    elif isinstance(value, dict):
        text = ", ".join(f"{k} {_evidence_value(v, lang)}" for k, v in value.items())
    else:
        text = json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_VALUE else text[:EVIDENCE_VALUE - 1].rstrip() + "…"


def _short_time(text: str) -> str:
    """``2024-06-03T10:00:00+07:00`` -> ``2024-06-03 10:00`` (WIB, the reports' zone; seconds shown
    only when not zero); any other text as it is."""
    if len(text) == 25 and text[10] == "T" and text.endswith("+07:00") and text[4] == "-":
        return text[:10] + " " + (text[11:16] if text[17:19] == "00" else text[11:19])
    return text


def _record_names(report: Report, show_personal: bool) -> Callable[[str, Any], str | None]:
    """The record's ``nama`` for a finding's line (``layanan L3 · Izin Usaha Mikro``), so a reader
    knows the service without looking its id up; not for units and providers (their heading names
    them), nor where the name is personal data (a pelaksana's, or one the ruleset's
    ``personal_fields`` names) unless ``show_personal``. Looked up per entity once, on first need."""

    from layanan_rules import model
    from layanan_rules.report.evidence import is_personal_path

    dataset = getattr(report, "dataset", None)
    personal = tuple(report.personal_fields())
    names: dict[str, dict[Any, str]] = {}

    def build(entity: str) -> dict[Any, str]:
        cls = model.ENTITIES.get(entity)
        if (dataset is None or cls is None or entity in ("unit", "penyelenggara")
                or "nama" not in attrs.fields_dict(cls)
                or (not show_personal and is_personal_path(entity, "nama", personal))):
            return {}
        out: dict[Any, str] = {}
        for rec in dataset.records.get(entity, ()):
            nama = getattr(rec.obj, "nama", None) if rec.obj is not None else None
            if isinstance(nama, str) and nama.strip():
                nama = " ".join(nama.split())
                out[rec.id] = nama if len(nama) <= NAME_WIDTH else nama[:NAME_WIDTH - 1].rstrip() + "…"
        return out

    def name_of(entity: str, ident: Any) -> str | None:
        table = names.get(entity)
        if table is None:
            table = names[entity] = build(entity)
        return table.get(ident)

    return name_of


def _within(location: str, source: str | None) -> str:
    """A record's place written from inside the report's source: ``Layanan:row 6:col D`` for
    ``dinas.xlsx:Layanan:row 6:col D``, ``jenis_izin.csv:row 5`` for a file of a source folder;
    whole when it lies elsewhere."""
    if source:
        for head in (source + ":", source.rstrip("/\\") + "/", source.rstrip("/\\") + "\\"):
            if location.startswith(head) and len(location) > len(head):
                return location[len(head):]
    return location


def _counts_parts(counts: dict[str, int], lang: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, s in enumerate(("fail", "error", "waived", "pass", "not_applicable")):
        if i:
            out.append((" · ", ""))
        out.append((f"{state_label(s, lang)} {fmt_number(counts.get(s, 0), lang)}",
                    _STATE_STYLE[s] if counts.get(s) else "dim"))
    return out
