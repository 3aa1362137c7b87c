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
from collections.abc import Callable, Iterator
from typing import IO, Any

import attrs

from layanan_rules.hookspecs import hookimpl
from layanan_rules.report.flat import COLUMNS, HEADERS, HUMAN_HEADERS, CsvLines, PagesReturned, flat_batch
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
    citations,
    counts_text,
    evidence_name,
    evidence_text,
    flag_text,
    from_workbook,
    group_title,
    issue_groups,
    issue_kind_text,
    issue_text,
    provenance_text,
    sanction_text,
    score_text,
    skipped_text,
    waiver_text,
)

#: a :class:`layanan_rules.report.findings.Report` (whose ``write`` renders through this module, so
#: this module does not import it back)
Report = Any


@attrs.frozen
class Reporter:
    """A named output format: ``render(report, stream, options)`` writes to a text or binary stream."""

    name: str
    description: str
    extension: str
    render: Callable[[Report, IO[Any], dict[str, Any]], None]
    binary: bool = False
    #: whether the format reads the report's head (:func:`document`: identity, scores, the rules
    #: map); the ``evaluate`` command makes the scores up front only when a format or
    #: ``--fail-under`` reads them (a csv does not: 1.2 CPU s of group-by at 20k/200k)
    head: bool = True


def _key(options: dict[str, Any]) -> tuple[Any, ...]:
    return (options.get("lang", "id"), bool(options.get("show_personal")), options.get("min_scored"),
            options.get("evidence", "problems"))


def document(report: Report, options: dict[str, Any]) -> dict[str, Any]:
    """The report's JSON document without findings (:meth:`Report.head`) for these options."""
    lang, show, min_scored, evidence = _key(options)
    head: dict[str, Any] = report.head(lang=lang, show_personal=show, min_scored=min_scored, evidence=evidence)
    return head


def table_of(report: Report, options: dict[str, Any]) -> Any:
    """The findings table for these options (:meth:`Report.findings_table`: evidence made per batch)."""
    lang, show, _min, evidence = _key(options)
    return report.findings_table(lang=lang, show_personal=show, evidence=evidence)


class ReportTooLarge(ValueError):
    """A format cannot hold this many findings; the message names the formats that can."""


# --- json, jsonl ----------------------------------------------------------------------------------------


def render_json(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """The JSON document (schema 3, ``docs/report-schema.json``): the head indented, then the
    ``units`` map, the ``findings`` with something to say (full objects) and the ``quiet`` ones (ids
    per rule, unit and state), one item a line (not indented), streamed a batch at a time."""
    from layanan_rules.report.stream import (
        full_rows,
        json_text,
        json_units,
        quiet_lines,
        report_source,
        schema3_batch,
        write_utf8,
    )
    from layanan_rules.report.table import quiet

    table = table_of(report, options)
    units = json_units(table)
    head = json.dumps(document(report, options), ensure_ascii=False, indent=2)
    out.write(head[:-2] + ',\n"units": {')  # head ends with "\n}"; one unit, finding or group a line, unindented
    out.write(",".join("\n" + json.dumps(k, ensure_ascii=False) + ":" + json.dumps(v, ensure_ascii=False,
                                                                                   separators=(",", ":"))
                       for k, v in units.items()) + ("\n}" if units else "}"))
    out.write(',\n"findings": [')
    sep, wrote = "\n", False
    source = report_source(report)
    mask = quiet(table)  # once, for both lists
    for batch in full_rows(table, mask):
        text = json_text(schema3_batch(batch, units, source), ",\n", entity=False)
        if text is not None:
            out.write(sep)
            write_utf8(out, text)
            sep, wrote = ",\n", True
    out.write("\n],\n" if wrote else "],\n")
    out.write('"quiet": [')
    sep, wrote = "\n", False
    for lines in quiet_lines(table, units, mask):
        if lines:
            out.write(sep)
            out.write(",\n".join(lines))
            sep, wrote = ",\n", True
    out.write("\n]\n}\n" if wrote else "]\n}\n")


#: the ``schema_version`` each jsonl line carries: its lines keep report schema 2's finding shape
#: (every line whole: entity, unit, penyelenggara and wilayah named), so they say so
JSONL_SCHEMA_VERSION = "2.0"
#: the ``schema_version`` of the report head parquet carries in its metadata: the document without
#: findings, which schema 3 left as schema 2 had it (schema 3 changed only the findings and added ``units``)
HEAD_SCHEMA_VERSION = "2.0"


def render_jsonl(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """One finding a line, each carrying ``schema_version``, ``ruleset`` and ``as_of`` (rule texts:
    the json or parquet format, or ``layanan-rules rules show``)."""
    from layanan_rules.report.stream import in_batches, json_lines

    doc = document(report, options)
    head = json.dumps({"schema_version": JSONL_SCHEMA_VERSION, "ruleset": report.ruleset_id,
                       "as_of": report.as_of.isoformat(),
                       "calendar": f"{doc['calendar']['source']} {doc['calendar']['version']}"}, ensure_ascii=False, separators=(",", ":"))[:-1] + ","
    for batch in in_batches(table_of(report, options)):
        lines = json_lines(batch)
        if lines:
            out.write("\n".join(head + line[1:] for line in lines))
            out.write("\n")


# --- parquet ----------------------------------------------------------------------------------------------


def render_parquet(report: Report, out: IO[bytes], options: dict[str, Any]) -> None:
    """The findings table as Parquet (zstd), batch by batch; the report's head (identity, scores,
    the rules map) in the file's key-value metadata under ``layanan_rules.report``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from layanan_rules.report.stream import in_batches

    table = table_of(report, options)
    meta = dict(table.schema.metadata or {})
    head = {**document(report, options), "schema_version": HEAD_SCHEMA_VERSION}
    meta[b"layanan_rules.report"] = json.dumps(head, ensure_ascii=False).encode()
    schema = table.schema.with_metadata(meta)
    # Parquet's dictionary encoding for the columns that are dictionaries already: the ids, evidence
    # and provenance (hundreds of thousands of distinct texts) were hashed into a dictionary that
    # overflowed and was dropped, which cost CPU and made the file larger (43.3 MB against 38.8 at 20k/200k)
    dictionaries = [f.name for f in schema if pa.types.is_dictionary(f.type)]

    def groups() -> Iterator[Any]:
        """Row groups of PARQUET_ROWS rows, each made of PARQUET_PARTS batches: the evidence is made
        (and shared with a helper process) in batches a quarter the size of a row group."""
        held: list[Any] = []
        rows = 0
        for batch in in_batches(table, PARQUET_ROWS // PARQUET_PARTS):
            held.append(batch)
            rows += batch.num_rows
            if rows >= PARQUET_ROWS:
                yield pa.Table.from_batches(held, schema=table.schema)
                held, rows = [], 0
        if held:
            yield pa.Table.from_batches(held, schema=table.schema)

    with pq.ParquetWriter(out, schema, compression="zstd", use_dictionary=dictionaries) as writer:
        written_behind(groups(), lambda part: writer.write_table(part, row_group_size=PARQUET_ROWS))


#: rows per Parquet row group (and per part the writer thread writes)
PARQUET_ROWS = 262_144
#: batches (made one at a time, each with its evidence) per row group
PARQUET_PARTS = 4


def written_behind(parts: Iterator[Any], write: Callable[[Any], Any]) -> None:
    """``write(part)`` for each part in order, by a thread while the next part is made (encoding,
    compressing and writing release the GIL; making a batch's evidence holds it): one part in
    flight, so memory stays two parts'. The thread starts after the first part is made: a helper
    process (``report/sidecar.py``) is forked before any thread of ours exists."""
    from concurrent.futures import ThreadPoolExecutor

    pending: Any = None
    pool: Any = None
    try:
        for part in parts:
            if pool is None:
                pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="layanan-write")
            if pending is not None:
                pending.result()
            pending = pool.submit(write, part)
        if pending is not None:
            pending.result()
    finally:
        if pool is not None:
            pool.shutdown(wait=True)


# --- csv / xlsx: one flat row per finding ---------------------------------------------------------------

def flat_batches(report: Report, options: dict[str, Any], rows: Any = None) -> Iterator[Any]:
    """Arrow tables of the flat columns (:data:`COLUMNS`), worst first, a batch at a time: the rows
    of the CSV and the xlsx findings sheet. Text comes from per-rule and per-place lookups; only
    rows with evidence, a waiver or an attestation touch Python."""
    import pyarrow as pa

    for part in _flat(report, options, rows):
        yield pa.Table.from_batches([part])


def _flat(report: Report, options: dict[str, Any], rows: Any = None, pool: Any = None) -> Iterator[Any]:
    """:func:`flat_batches` as record batches (the words' columns from the memory ``pool``, if given)."""

    from layanan_rules.report.stream import Words

    lang = options.get("lang", "id")
    words = Words(report, lang, pool)
    for batch in _worst_first(report, options, rows):
        yield flat_batch(words, batch, lang)


def _worst_first(report: Report, options: dict[str, Any], rows: Any = None) -> Iterator[Any]:
    """The findings (or ``rows``) worst first (:func:`~layanan_rules.report.stream.worst_first_parts`),
    as record batches of the findings table's columns, evidence and provenance made a batch at a
    time, as the text formats print them where the table makes them (:func:`evidence`)."""
    from layanan_rules.report import stream

    table = table_of(report, options) if rows is None else rows
    order = stream.worst_first_parts(table) if rows is None else [stream.worst_first(table)]
    many = getattr(table, "take_batches", None)  # evidence made a batch at a time, maybe by a helper process
    yield from (many(order, stream.BATCH_ROWS, text=True) if many is not None
                else (batch for indices in order for batch in stream.taken(table, indices)))


def render_csv(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """One row per finding, worst first; headers in the report language; UTF-8 with a byte-order
    mark so Excel reads it as UTF-8. ``csv_delimiter`` (default ``,``): ``;`` for Excel in an
    Indonesian (or any comma-decimal) locale. Streamed a batch at a time: each batch's rows made as
    one text by :class:`CsvLines` (what Arrow's CSV writer writes of :func:`flat_batches`) and
    written by a thread while the next batch is made."""
    import io

    import pyarrow as pa

    lang = options.get("lang", "id")
    delimiter = str(options.get("csv_delimiter") or ",")
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise ValueError(f"csv_delimiter: one character other than a quote or newline, not {delimiter!r}")
    if options.get("csv_bom", True):
        out.write("\ufeff")
    head = io.StringIO()
    csv.writer(head, delimiter=delimiter, lineterminator="\n").writerow(HEADERS["en" if lang == "en" else "id"])
    out.write(head.getvalue())
    raw = getattr(out, "buffer", None)  # the bytes under a UTF-8 text file: no decoding and encoding again
    if raw is not None and str(getattr(out, "encoding", "")).replace("-", "").lower() != "utf8":
        raw = None
    # the lines' buffers from the system allocator: Arrow's default one hands freed pages back at
    # once (cli.ARROW_ALLOCATOR_ENV), and 2.5 GB of csv at 20k/200k through fresh pages cost ~6 s
    lines = CsvLines(report, lang, delimiter, pa.system_memory_pool())
    if raw is None:
        for make in _csv_parts(report, options, lines):
            for text in make():
                out.write(memoryview(text).tobytes().decode("utf-8"))
        return
    out.flush()
    sink = PagesReturned(raw)

    def write(make: Callable[[], Iterator[Any]]) -> None:
        for text in make():
            sink.write(memoryview(text))

    written_behind(_csv_parts(report, options, lines), write)  # the text made and written by a thread
    raw.flush()


def _csv_parts(report: Report, options: dict[str, Any], lines: CsvLines) -> Iterator[Callable[[], Iterator[Any]]]:
    """The csv's rows worst first, as functions that make their text (``pyarrow.Buffer`` objects, in
    order; the writer thread calls them). The problems (fail, error, waived) are read with their
    evidence, made on both cores where a helper process is allowed; the rest of the findings (at
    20k/200k, 84 % of the rows, nearly all of them quiet: a pass or not applicable with nothing
    more to say) are written from where each row is (:meth:`CsvLines.quiet_texts`), not taken
    row by row, and in this process alone (a helper would only walk their order again). The bytes
    are those of :func:`_worst_first`'s batches written by :meth:`CsvLines.texts`."""
    import functools

    import pyarrow as pa
    import pyarrow.compute as pc

    from layanan_rules.report import stream
    from layanan_rules.report.table import quiet

    table = table_of(report, options)
    order = mask = None
    if getattr(table, "record_rows", None) is not None and not table.made_whole:
        mask = quiet(table)  # (none with --evidence all: every row has its evidence made)
        if isinstance(mask, pa.ChunkedArray):
            mask = mask.combine_chunks()
        order = stream.WorstFirst(table, CSV_WINDOWED_ROWS) if mask.true_count else None
    if order is None or order.whole:
        for batch in _worst_first(report, options):
            yield functools.partial(lines.texts, batch)
        return
    size = stream.BATCH_ROWS
    problems = (rows for _value, rows in order.groups((0, 1)))
    for batch in table.take_batches(problems, size, text=True):
        yield functools.partial(lines.texts, batch)
    for value, rows in order.groups((stream.QUIET_BAND,)):
        state = order.state(value)
        for start in range(0, len(rows), size):
            part = rows.slice(start, size)
            kept = pc.take(mask, part)
            n_quiet = kept.true_count
            place = table.record_rows(part) if n_quiet else None
            if place is None:  # nothing quiet, or rows of several lists of records: the rows taken
                for batch in table.take_batches([part], size, text=True, helper=False):
                    yield functools.partial(lines.texts, batch)
                continue
            other = None
            if n_quiet < len(part):
                other = next(table.take_batches([pc.filter(part, pc.invert(kept))], size, text=True, helper=False))
            yield functools.partial(lines.quiet_texts, table, place, state, other, kept)



#: the csv reads a worst-first group past this many rows in windows of its records, ranked by id once
#: per entity (``stream.WorstFirst``), rather than sorting the group's ids as text: the same order,
#: 0.35-0.41 CPU s instead of 0.61-0.84 for every group of the 20k/200k csv (``bench/README.md``)
CSV_WINDOWED_ROWS = 1 << 16


#: the most data rows an Excel sheet holds (1,048,576 rows less the header)
XLSX_MAX_ROWS = 1_048_575


def render_xlsx(report: Report, out: IO[bytes], options: dict[str, Any]) -> None:
    """A workbook an auditor can print: summary and scores, every finding (human headings, frozen
    header, filter, states and zones coloured by conditional formatting), and an "Aturan" sheet
    with each rule's citation, article text, sanction and remedy once. A4 landscape, fit to width.

    Refuses (:class:`ReportTooLarge`) a report with more findings than a sheet holds: Excel would
    not open the file. Written in openpyxl's write-only mode, a batch of findings at a time.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lang = options.get("lang", "id")
    n_findings = sum(report.counts().values())
    if n_findings > XLSX_MAX_ROWS:
        raise ReportTooLarge(
            f"xlsx: {n_findings:,} temuan melebihi batas Excel {XLSX_MAX_ROWS:,} baris per sheet; gunakan "
            f"--format csv atau --format parquet (keduanya dibaca Excel Power Query) / {n_findings:,} findings "
            f"exceed Excel's {XLSX_MAX_ROWS:,} rows per sheet; use --format csv or --format parquet "
            f"(Excel Power Query reads both)")
    doc = document(report, options)
    sc = doc["scores"]
    zone_fill = {z["name"]: PatternFill("solid", fgColor=z["color"].lstrip("#")) for z in sc["method"]["zones"]}
    head_fill = PatternFill("solid", fgColor="1F3A5F")
    head_font = Font(bold=True, color="FFFFFF")
    wb = Workbook(write_only=True)

    def a4(sheet: Any) -> None:
        sheet.page_setup.paperSize = 9  # A4 (openpyxl's PAPERSIZE_A4)
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.gridLines = False

    ws = wb.create_sheet("Ringkasan" if lang == "id" else "Summary")
    a4(ws)
    for col, width in zip("ABCDEFGHIJK", (26, 18, 42, 14, 14, 12, 12, 12, 14, 12, 14), strict=True):
        ws.column_dimensions[col].width = width

    def cell(sheet: Any, value: Any, *, font: Any = None, fill: Any = None, fmt: str | None = None) -> Any:
        c = WriteOnlyCell(sheet, value=value)
        if font is not None:
            c.font = font
        if fill is not None:
            c.fill = fill
        if fmt is not None:
            c.number_format = fmt
        return c

    def zone_cell(sheet: Any, s: dict[str, Any]) -> Any:
        return cell(sheet, zone_label(s["zone"], lang, s.get("zone_label")), fill=zone_fill.get(s["zone"] or ""))

    summary = doc["summary"]
    ident = doc["report"]
    ws.append([cell(ws, t("title", lang), font=Font(bold=True, size=14))])
    ws.append([t("ruleset", lang), f"{doc['ruleset']['id']} {doc['ruleset']['version']}"])
    ws.append([t("as_of", lang).capitalize(), fmt_date(doc["as_of"], lang)])
    ws.append([t("calendar", lang), calendar_text(doc, lang).partition(": ")[2]])
    for label, value in identity_rows(ident, lang):
        ws.append([label, value])
    ws.append([t("score", lang), cell(ws, summary["score"], fmt="0.00") if summary["sufficient"]
               else t("too_little_data", lang), zone_cell(ws, summary)])
    for state, n in summary["states"].items():
        ws.append([state_label(state, lang), cell(ws, n, fmt="#,##0")])
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
                       cell(ws, s["score"], fmt="0.00") if s["sufficient"] else t("too_little_data", lang),
                       zone_cell(ws, s), cell(ws, s["scored"], fmt="#,##0"),
                       *(cell(ws, v, fmt="#,##0") for v in s["counts"].values())])

    fs = wb.create_sheet("Temuan" if lang == "id" else "Findings")
    a4(fs)
    widths = {"rule_id": 14, "title": 44, "state": 12, "flags": 16, "legal_basis": 30, "sanction": 30,
              "remedy": 50, "evidence": 50, "message": 40, "provenance": 36, "waiver": 50, "attestation": 40}
    for i, name in enumerate(COLUMNS, start=1):
        fs.column_dimensions[get_column_letter(i)].width = widths.get(name, 14)
    last = f"{get_column_letter(len(COLUMNS))}{n_findings + 1}"
    fs.freeze_panes = "A2"
    fs.auto_filter.ref = f"A1:{last}"
    fs.print_title_rows = "1:1"
    state_col = get_column_letter(COLUMNS.index("state") + 1)
    for state, color in (("fail", "F8D7DA"), ("error", "E8DAEF"), ("waived", "D6EAF8"), ("pass", "D5F5E3")):
        fs.conditional_formatting.add(
            f"{state_col}2:{state_col}{n_findings + 1}",
            CellIsRule(operator="equal", formula=[f'"{state_label(state, lang)}"'],
                       fill=PatternFill("solid", fgColor=color, bgColor=color)))
    fs.append([cell(fs, h, font=head_font, fill=head_fill) for h in HUMAN_HEADERS["en" if lang == "en" else "id"]])
    wrap = Alignment(wrap_text=True, vertical="top") if n_findings <= XLSX_WRAP_ROWS else None
    for part in flat_batches(report, options):
        for row in zip(*(c.to_pylist() for c in part.columns)):
            if wrap is None:
                fs.append([v if v != "" else None for v in row])  # an empty cell is not written at all
                continue
            cells = []
            for value in row:
                c = WriteOnlyCell(fs, value=value if value != "" else None)
                c.alignment = wrap
                cells.append(c)
            fs.append(cells)

    rs = wb.create_sheet("Aturan" if lang == "id" else "Rules")
    a4(rs)
    rule_head = (["ID aturan", "Judul", "Tingkat", "Bab", "Bobot", "Dasar hukum", "Bunyi pasal", "Sanksi", "Perbaikan",
                  *(state_label(s, lang) for s in summary["states"])] if lang == "id" else
                 ["Rule ID", "Title", "Severity", "Chapter", "Weight", "Legal basis", "Article text", "Sanction",
                  "Remedy", *(state_label(s, lang) for s in summary["states"])])
    for i, width in enumerate((14, 44, 10, 22, 8, 34, 70, 34, 50), start=1):
        rs.column_dimensions[get_column_letter(i)].width = width
    rs.freeze_panes = "B2"
    rs.append([cell(rs, h, font=head_font, fill=head_fill) for h in rule_head])
    counts = report.counts_by_rule()
    top = Alignment(wrap_text=True, vertical="top")
    for rid, r in doc["rules"].items():
        values = [rid, text_of(r["title"], lang), severity_label(r["severity"], lang), text_of(r["chapter_label"], lang), r["weight"],
                  citations(r, lang), article_text(r), sanction_text(r, lang), text_of(r["remedy"], lang),
                  *counts.get(rid, {}).values()]
        cells = []
        for v in values:
            c = WriteOnlyCell(rs, value=v if v != "" else None)
            c.alignment = top
            cells.append(c)
        rs.append(cells)
    wb.save(out)


def identity_rows(ident: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """The report's identity as (label, value) lines, for every human format."""
    en = lang == "en"
    src = ident.get("source") or {}
    rows = []
    if src.get("location"):
        rows.append(("Data source" if en else "Sumber data", str(src["location"])))
    if src.get("sha256"):
        rows.append(("SHA-256", str(src["sha256"])))
    tool = ident.get("tool") or {}
    rows.append(("Tool" if en else "Perangkat", f"{tool.get('name')} {tool.get('version') or ''}".strip()))
    cal = ident.get("calendar") or {}
    rows.append(("Holiday calendar" if en else "Kalender libur", f"{cal.get('name')} {cal.get('version') or ''}".strip()))
    rows.append(("Generated" if en else "Dibuat", str(ident.get("generated_at"))))
    return rows


#: findings sheets up to this many rows get wrapped, top-aligned text (slower to write)
XLSX_WRAP_ROWS = 5000


# --- junit -----------------------------------------------------------------------------------------------


def _rows(report: Report, options: dict[str, Any], table: Any) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(finding as in the JSON document, its rule's metadata) for the rows of ``table``, a batch at a time."""
    from layanan_rules.report.stream import in_batches, json_lines

    rules = report.rules()
    for batch in in_batches(table):
        for line in json_lines(batch):
            f = json.loads(line)
            f.setdefault("flags", [])
            yield f, rules[f["rule_id"]]


def with_rule(f: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """A finding with its rule's words merged in (what the text helpers read)."""
    return {**f, "title": r["title"], "legal_basis": r["legal_basis"], "sanction": r["sanction"],
            "sanctions": r["sanctions"],
            "remedy": r["remedy"], "severity": r["severity"], "chapter": r["chapter"]}


def render_junit(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """JUnit XML: a testsuite per chapter (rule group), a testcase per finding, streamed.

    ``fail`` -> ``<failure>``, ``error`` -> ``<error>``, ``not_applicable`` and ``waived`` ->
    ``<skipped>``; ``pass`` is a plain testcase. Timestamps are xs:dateTime (generation time).
    """
    from xml.sax.saxutils import quoteattr

    import pyarrow as pa

    from layanan_rules.report.stream import in_batches, json_lines

    lang = options.get("lang", "id")
    doc = document(report, options)
    table = table_of(report, options)
    chapters = {r["chapter"]: text_of(r["chapter_label"], lang) for r in doc["rules"].values()}
    stamp = str(doc["report"]["generated_at"]).rstrip("Z")
    rs = f"{doc['ruleset']['id']} {doc['ruleset']['version']}"
    chapter_col = table["chapter"]  # dictionaries, never spelt out per row (26 million findings: 700 MB)
    counted = pa_table_counts(chapter_col, table["state"])
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    per: dict[str, dict[str, int]] = {}
    for key, states in counted.items():
        c = {"tests": sum(states.values()), "failures": states.get("fail", 0), "errors": states.get("error", 0),
             "skipped": states.get("not_applicable", 0) + states.get("waived", 0)}
        per[key] = c
        for k in totals:
            totals[k] += c[k]
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(f"<testsuites name={quoteattr('layanan-rules ' + rs)} tests=\"{totals['tests']}\" "
      f"failures=\"{totals['failures']}\" errors=\"{totals['errors']}\" skipped=\"{totals['skipped']}\" "
      f"timestamp=\"{stamp}\">\n")
    for key in sorted(per):
        c = per[key]
        w(f"  <testsuite name={quoteattr(chapters.get(key) or key)} timestamp=\"{stamp}\" "
          + " ".join(f'{k}="{v}"' for k, v in c.items()) + ' time="0">\n')
        w(f"    <properties>\n      <property name=\"ruleset\" value={quoteattr(rs)}/>\n"
          f"      <property name=\"as_of\" value=\"{doc['as_of']}\"/>\n"
          f"      <property name=\"generated_at\" value=\"{doc['report']['generated_at']}\"/>\n"
          f"      <property name=\"calendar\" value={quoteattr(calendar_text(doc, lang).partition(': ')[2])}/>\n")
        src = doc["report"].get("source") or {}
        if src.get("sha256"):
            w(f"      <property name=\"source\" value={quoteattr(str(src.get('location')))}/>\n"
              f"      <property name=\"source_sha256\" value=\"{src['sha256']}\"/>\n")
        w("    </properties>\n")
        part = _chosen(table, _where(_is_in(chapter_col, [key])))  # read a batch at a time, evidence per batch
        for batch in in_batches(part):
            lines = _junit_plain(batch, doc["ruleset"]["id"], key, lang)
            attention = _junit_attention(batch)
            if attention:
                sub = batch.take(pa.array(attention, pa.int64()))
                rules = report.rules()
                for i, line in zip(attention, json_lines(sub)):
                    f = json.loads(line)
                    lines[i] = _junit_case(f, rules[f["rule_id"]], doc["ruleset"]["id"], key, lang)
            w("".join(lines))
        w("  </testsuite>\n")
    w("</testsuites>\n")


def _xml_attr(values: Any) -> Any:
    """Strings escaped for an XML attribute in double quotes: by kernel unless a value needs it."""
    from xml.sax.saxutils import escape

    import pyarrow as pa
    import pyarrow.compute as pc

    if len(values) and pc.any(pc.match_substring_regex(values, r'[&<>"\x00-\x1f]')).as_py():
        return pa.array([escape(v, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
                         for v in values.to_pylist()], pa.string())
    return values


def _junit_plain(batch: Any, ruleset_id: str, chapter: str, lang: str) -> list[str]:
    """Every row as a plain test case (pass; not applicable as skipped), assembled by Arrow kernels."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from layanan_rules.report.stream import decoded

    rid = _xml_attr(decoded(batch.column("rule_id")))
    name = pc.binary_join_element_wise(rid, _xml_attr(decoded(batch.column("entity"))),
                                       _xml_attr(batch.column("entity_id")), " ")
    cls = pc.binary_join_element_wise(_xml_attr(pa.array([f"{ruleset_id}.{chapter}."] * len(batch))), rid, "")
    na = pc.equal(decoded(batch.column("state")), "not_applicable")
    tail = pc.if_else(na, ">\n      <skipped message=\"" + state_label("not_applicable", lang) + "\"/>\n    </testcase>\n",
                      "/>\n")
    lines: list[str] = pc.binary_join_element_wise('    <testcase name="', name, '" classname="', cls,
                                                   '" time="0"', tail, "").to_pylist()
    return lines


def _junit_attention(batch: Any) -> list[int]:
    """Rows that need more than a plain case: fail, error, waived, attested, expired waiver."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from layanan_rules.report.stream import decoded

    mask = pc.or_(pc.or_(pc.is_in(decoded(batch.column("state")), pa.array(["fail", "error", "waived"])),
                         pc.fill_null(batch.column("attested"), False)), pc.is_valid(batch.column("waiver_status")))
    return pc.indices_nonzero(mask).to_pylist()  # type: ignore[no-any-return]


def _junit_case(f: dict[str, Any], r: dict[str, Any], ruleset_id: str, chapter: str, lang: str) -> str:
    """One test case with its failure, error, skip or attestation, in full."""
    from xml.sax.saxutils import escape, quoteattr

    f.setdefault("flags", [])
    name = quoteattr(f"{f['rule_id']} {f['entity']} {f['entity_id']}")
    cls = quoteattr(f"{ruleset_id}.{chapter}.{f['rule_id']}")
    out = [f'    <testcase name={name} classname={cls} time="0">\n']
    g = with_rule(f, r)
    state = f["state"]
    if state in ("fail", "error"):
        body = "\n".join(x for x in (
            text_of(r["title"], lang),
            f"{t('legal_basis', lang)}: {citations(g, lang)}",
            f"{t('sanction', lang)}: {sanction_text(g, lang)}" if sanction_text(g, lang) else "",
            f"{t('remedy', lang)}: {text_of(r['remedy'], lang)}",
            f"{t('evidence', lang)}: {evidence_text(g)}" if f.get("evidence") else "",
            f"{t('provenance', lang)}: {provenance_text(g)}" if f.get("provenance") else "",
            waiver_text(g, lang), attestation_text(g, lang),
        ) if x)
        if state == "fail":
            msg = f"{text_of(r['title'], lang)} ({citations(g, lang)})"
            out.append(f"      <failure message={quoteattr(msg)} type={quoteattr(r['severity'])}>{escape(body)}</failure>\n")
        else:
            msg = f"{f.get('reason', '')}: {f.get('message', '')}"
            out.append(f"      <error message={quoteattr(msg)} type={quoteattr(f.get('reason', 'error'))}>"
                       f"{escape(body)}</error>\n")
    elif state == "not_applicable":
        out.append(f"      <skipped message={quoteattr(state_label('not_applicable', lang))}/>\n")
    elif state == "waived":
        out.append(f"      <skipped message={quoteattr(state_label('waived', lang) + ': ' + waiver_text(g, lang))}/>\n")
    else:
        out.append(f"      <system-out>{escape(attestation_text(g, lang))}</system-out>\n")
    out.append("    </testcase>\n")
    return "".join(out)


def pa_table_counts(keys: Any, states: Any) -> dict[str, dict[str, int]]:
    """Rows per key and state (a group-by), ``{key: {state: n}}``."""
    import pyarrow as pa

    from layanan_rules.report.stream import _unified

    if pa.types.is_dictionary(keys.type) and pa.types.is_dictionary(states.type) and isinstance(keys, pa.ChunkedArray):
        # grouped by dictionary code (no column of strings made), each code's word looked up once
        k, s = _unified(keys), _unified(states)
        kw = k.chunk(0).dictionary.to_pylist() if k.num_chunks else []
        sw = s.chunk(0).dictionary.to_pylist() if s.num_chunks else []
        coded = pa.table({"k": pa.chunked_array([c.indices for c in k.chunks], pa.int32()),
                          "s": pa.chunked_array([c.indices for c in s.chunks], pa.int32())})
        out: dict[str, dict[str, int]] = {}
        for row in coded.group_by(["k", "s"]).aggregate([("s", "count")]).to_pylist():
            key = kw[row["k"]] if row["k"] is not None else None
            out.setdefault(key or "-", {})[sw[row["s"]] if row["s"] is not None else None] = row["s_count"]  # type: ignore[index]
        return out
    rows = pa.table({"k": keys, "s": states}).group_by(["k", "s"]).aggregate([("s", "count")]).to_pylist()
    out = {}
    for row in rows:
        out.setdefault(row["k"] or "-", {})[row["s"]] = row["s_count"]
    return out


# --- markdown --------------------------------------------------------------------------------------------


def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def problem_rows(report: Report, options: dict[str, Any]) -> tuple[Any, Any]:
    """The rows needing attention (fail, error, waived, attested, expired waiver), ordered by rule
    (most severe rule first, then rule order) and worst first within a rule; and the table."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from layanan_rules.report.stream import SEVERITY_RANK, _mapped, _ranked

    table = table_of(report, options)
    where, rows = _needing_action(table, ("rule_id", "state", "entity", "entity_id"), ("fail", "error", "waived"))
    rules = list(report.rules())
    sev = {rid: -SEVERITY_RANK.get(r["severity"], 0) for rid, r in report.rules().items()}
    rank = {rid: i for i, rid in enumerate(rules)}
    state_order = ["fail", "error", "waived", "pass", "not_applicable"]
    # keys from each dictionary value once, as small ints (no column of texts made per finding)
    key = pa.table({
        "sev": _mapped(rows["rule_id"], sev.get, pa.int8()),
        "rule": _mapped(rows["rule_id"], rank.get, pa.int16()),
        "state": _mapped(rows["state"], lambda s: state_order.index(s) if s in state_order else None, pa.int8()),
        "entity": _ranked(rows["entity"], pa.int16()), "entity_id": rows["entity_id"],
    })
    del rows
    order = pc.sort_indices(key, sort_keys=[(k, "ascending") for k in key.column_names])
    return _chosen(table, pc.take(where, order) if len(where) else where), table


def _needing_action(table: Any, names: tuple[str, ...], states: tuple[str, ...]) -> tuple[Any, Any]:
    """The row indices of ``table`` in one of ``states``, attested or with a waiver, and just the
    columns ``names`` of those rows, chosen chunk by chunk on the held columns (no evidence made,
    no column of texts, no other column of the millions of rows copied)."""
    import pyarrow.compute as pc

    held = getattr(table, "held", table)
    mask = pc.or_(pc.or_(_is_in(held["state"], list(states)), pc.fill_null(held["attested"], False)),
                  pc.is_valid(held["waiver_status"]))
    return _where(mask), held.select(list(names)).filter(pc.fill_null(mask, False))


def _is_in(column: Any, values: list[str]) -> Any:
    from layanan_rules.report.table import _is_in as is_in

    return is_in(column, values)


def _where(mask: Any) -> Any:
    """Row indices where ``mask`` is true."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(mask, pa.ChunkedArray):
        mask = mask.combine_chunks()
    return pc.indices_nonzero(pc.fill_null(mask, False))


def _chosen(table: Any, indices: Any) -> Any:
    """The rows at ``indices`` of the findings table, read a batch at a time (evidence made then)."""
    rows = getattr(table, "rows", None)
    return rows(indices) if rows is not None else table.take(indices)


def render_markdown(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """A Markdown report: identity and summary, scores, the rule × unit matrix, then the findings
    that need attention grouped by rule (citation, article text and remedy once per rule). Streamed."""
    lang = options.get("lang", "id")
    doc = document(report, options)
    sc = doc["scores"]
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
    for f, r in _rows(report, options, rows):
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
            w(f" — {t('evidence', lang)}: `{_md(evidence_text(g))}`")
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


def fulfilment_matrix(report: Report, options: dict[str, Any], max_units: int = 40) -> dict[str, Any]:
    """Rule × unit fulfilment: per rule and unit, how many findings pass of those scored. Units in
    score order (worst first), at most ``max_units`` columns (the rest are in the CSV/parquet)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = table_of(report, options)
    units = [s["key"] for s in document(report, options)["scores"]["unit"]][:max_units]
    if not units:
        return {"units": [], "rows": {}}
    from layanan_rules.report.stream import _unified

    # counted chunk by chunk on the dictionary codes, rule, unit and state packed in one integer,
    # and only for the units shown: neither a column of texts (casting three columns of 26 million
    # findings was a gigabyte) nor a group-by over every finding at once (about 400 MB at 100k/1M)
    cols = {k: _unified(table[name]) for k, name in (("r", "rule_id"), ("u", "unit_id"), ("s", "state"))}
    words = {k: (c.chunk(0).dictionary.to_pylist() if c.num_chunks else []) for k, c in cols.items()}
    n_units, n_states = len(words["u"]), len(words["s"])
    wanted = set(units)
    shown = pa.array([i for i, u in enumerate(words["u"]) if u in wanted], pa.int32())
    i64 = pa.int64()
    counted: dict[int, int] = {}
    for r, u, st in zip(cols["r"].chunks, cols["u"].chunks, cols["s"].chunks):
        keep = pc.fill_null(pc.is_in(u.indices, value_set=shown), False)
        if not pc.any(keep).as_py():
            continue
        key = pc.add(pc.multiply(pc.add(pc.multiply(pc.cast(r.indices, i64), n_units), pc.cast(u.indices, i64)),
                                 n_states), pc.cast(st.indices, i64))
        for item in pc.value_counts(pc.filter(key, keep)).to_pylist():
            counted[item["values"]] = counted.get(item["values"], 0) + item["counts"]
    cells: dict[tuple[str, str], dict[str, int]] = {}
    for code, n in counted.items():
        ru, si = divmod(code, n_states)
        ri, ui = divmod(ru, n_units)
        c = cells.setdefault((words["r"][ri], words["u"][ui]), {"pass": 0, "fail": 0})
        if words["s"][si] in c:
            c[words["s"][si]] += n
    rows = {rid: [cells.get((rid, u)) for u in units] for rid in report.rules()
            if any(cells.get((rid, u)) for u in units)}
    return {"units": units, "rows": rows}


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
    where = _where(mask)
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
    return headings, _chosen(findings, pc.take(where, order) if len(rows) else where), hidden, len(rows)


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
    for n, (f, r) in enumerate(_rows(report, options, lean() if lean is not None else rows)):
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
    import attrs

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


# --- html -------------------------------------------------------------------------------------------------


def render_html(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """The HTML page, summary first; finding cards capped (:data:`layanan_rules.report.html.HTML_MAX_CARDS`,
    ``HTML_MAX_PROBLEM_CARDS``) so it opens at any size, with counts of what the csv/parquet hold."""
    from layanan_rules.report import html

    doc = dict(document(report, options))
    table = table_of(report, options)
    total = table.num_rows
    if total <= html.HTML_MAX_CARDS:
        shown = [with_rule(f, r) for f, r in _rows(report, options, table)]
        problems = sum(1 for f in shown if html._needs_action(f))
    else:
        rows, problems = _needs_action_rows(report, options, html.HTML_MAX_PROBLEM_CARDS)
        shown = [with_rule(f, r) for f, r in _rows(report, options, rows)]
    doc["findings"] = shown
    doc["findings_total"] = total
    doc["needs_action_total"] = problems
    doc["matrix"] = fulfilment_matrix(report, options)
    html.render(doc, out, options.get("lang", "id"), options.get("html_template"), options.get("agency"))


def _needs_action_rows(report: Report, options: dict[str, Any], limit: int) -> tuple[Any, int]:
    """The worst ``limit`` findings that need action (with their evidence), and how many need action.
    They are chosen on the held columns, so only the rows shown get evidence made."""
    import pyarrow.compute as pc

    from layanan_rules.report.stream import worst_first

    table = table_of(report, options)
    where, rows = _needing_action(table, ("state", "severity", "entity", "entity_id", "rule_id"), ("fail", "error"))
    order = worst_first(rows) if len(where) else where
    del rows
    return table.take(pc.take(where, order[:limit])), len(where)


@hookimpl
def register_reporters() -> list[Reporter]:
    return [
        Reporter("table", "Tabel teks untuk terminal / text table for the terminal", "txt", render_table),
        Reporter("json", "JSON lengkap, skema berversi / full JSON, versioned schema", "json", render_json),
        Reporter("jsonl", "Satu temuan per baris (JSON Lines) / one finding a line", "jsonl", render_jsonl),
        Reporter("csv", "CSV, satu baris per temuan / one row per finding", "csv", render_csv, head=False),
        Reporter("xlsx", "Buku kerja Excel: ringkasan + temuan / Excel workbook: summary + findings", "xlsx",
                 render_xlsx, binary=True),
        Reporter("junit", "JUnit XML untuk CI / JUnit XML for CI servers", "xml", render_junit),
        Reporter("markdown", "Markdown untuk tiket atau wiki / Markdown for tickets or wikis", "md", render_markdown),
        Reporter("html", "Satu berkas HTML mandiri dengan grafik dan pencarian / one self-contained HTML file",
                 "html", render_html),
        Reporter("parquet", "Tabel temuan Parquet untuk analis (DuckDB, pandas, Polars, Power Query) / "
                 "findings table as Parquet for analysts", "parquet", render_parquet, binary=True),
    ]


def available(pm: Any) -> dict[str, Reporter]:
    found: dict[str, Reporter] = {}
    for group in pm.hook.register_reporters():
        for r in group or []:
            found.setdefault(r.name, r)
    return found
