"""The Excel workbook: summary, scores, the findings sheet (refused past Excel's row limit, with
the formats that hold more named) and the "Aturan" sheet, printing on A4.
"""

from __future__ import annotations

from typing import IO, Any

from layanan_rules.report.flat import COLUMNS, HUMAN_HEADERS
from layanan_rules.report.formats.common import Report, ReportTooLarge, document, identity_rows
from layanan_rules.report.formats.tabular import flat_batches
from layanan_rules.report.i18n import (
    fmt_date,
    severity_label,
    state_label,
    t,
    text_of,
    zone_label,
)
from layanan_rules.report.text import (
    article_text,
    calendar_text,
    citations,
    from_workbook,
    labelled_evidence,
    sanction_text,
)

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
    # data from a workbook: the evidence's columns also named by the template's headers (as html does)
    relabel = from_workbook(doc)
    at_evidence, at_entity = COLUMNS.index("evidence"), COLUMNS.index("entity")
    for part in flat_batches(report, options):
        for row in zip(*(c.to_pylist() for c in part.columns)):
            if relabel and row[at_evidence]:
                row = (*row[:at_evidence], labelled_evidence(row[at_entity], row[at_evidence], lang),
                       *row[at_evidence + 1:])
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
    _save(wb, out, doc["report"]["generated_at"])


def _save(wb: Any, out: IO[bytes], generated_at: str) -> None:
    """``wb.save(out)`` with every time in the file the report's generation time: the workbook's
    created/modified properties and each zip entry's date (openpyxl writes the clock's), so the same
    input and ``SOURCE_DATE_EPOCH`` give the same bytes, as every other format does."""
    import datetime as dt
    import shutil
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    when = dt.datetime.fromisoformat(generated_at).astimezone(dt.UTC).replace(tzinfo=None)
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)

    class FixedTimeZip(zipfile.ZipFile):
        def _entry(self, name: str) -> zipfile.ZipInfo:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            return info

        def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
            name = zinfo_or_arcname
            super().writestr(self._entry(name) if isinstance(name, str) else name, data, *args, **kwargs)

        def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
            with open(filename, "rb") as src, self.open(self._entry(str(arcname or filename)), "w",
                                                        force_zip64=True) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)

    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = "layanan-rules"
    with FixedTimeZip(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()


#: findings sheets up to this many rows get wrapped, top-aligned text (slower to write)
XLSX_WRAP_ROWS = 5000
