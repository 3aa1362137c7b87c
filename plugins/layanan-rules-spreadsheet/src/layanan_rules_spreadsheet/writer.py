"""Write workbooks the reader reads back with no mapping file: blank templates and filled data.

Both formats carry the same things: an instructions sheet ("Petunjuk") saying what each column
means and the Pasal it serves, one sheet per entity whose headers are exactly the labels of
:func:`layanan_rules.data.fieldmap.columns`, a frozen header row, dropdowns for yes/no and choice
columns, date cells, and (in a template) one example row whose id starts with ``CONTOH-`` so the
reader skips it if it is left in.

xlsx is written with openpyxl; ods with odfpy (the ODF library pandas also uses for writing
.ods: pure Python, complete enough to write validations and frozen panes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from layanan_rules.data import fieldmap
from layanan_rules.data.fieldmap import Column, Kind
from layanan_rules_spreadsheet.reader import EXAMPLE_PREFIX

#: Rows of each entity sheet that carry validation and date formats in a template.
TEMPLATE_ROWS = 1000

BOOL_CHOICES = ("ya", "tidak")

#: Entities in the order a person fills them: the provider first, complaints last.
SHEET_ORDER: tuple[str, ...] = (
    "penyelenggara", "unit", "layanan", "pengaduan", "maklumat", "sistem_informasi", "sarana",
    "pelaksana", "survei_kepuasan", "kerja_sama", "permohonan", "panggilan",
)

_EXAMPLES: dict[str, Any] = {
    "penyelenggara.nama": "Pemerintah Kota Contoh",
    "penyelenggara.jenis": "instansi",
    "unit.nama": "Dinas Kependudukan dan Pencatatan Sipil",
    "layanan.nama": "Penerbitan Kartu Keluarga",
    "standar.dasar_hukum": "1. UU No. 24 Tahun 2013\n2. Perpres No. 96 Tahun 2018",
    "standar.persyaratan": "1. Fotokopi KTP\n2. Surat pengantar RT/RW",
    "standar.prosedur": "1. Pemohon mengisi formulir\n2. Petugas memverifikasi berkas\n3. Dokumen diterbitkan",
    "standar.jangka_waktu": "3 (tiga) hari kerja",
    "standar.biaya": "Tidak dipungut biaya",
    "standar.produk": "Kartu Keluarga",
    "standar.sarana": "Ruang tunggu; Loket pelayanan",
    "standar.jumlah_pelaksana": 4,
    "standar.nomor_penetapan": "Kep. Kadis No. 470/12/2024",
    "standar.tenggat_pengaduan": "Ringan: 2 hari kerja; Sedang: 5 hari kerja; Berat: 14 hari kerja",
    "permohonan.kategori": "loket",
    "pengaduan.kelas": "ringan",
    "pengaduan.kanal": "SP4N-LAPOR!",
    "pengaduan.status": "selesai",
    "sarana.kelompok_rentan": "disabilitas; lansia",
    "sarana.jenis": "ramp kursi roda",
    "sarana.nama": "Ramp pintu masuk",
    "survei_kepuasan.tahun": 2024,
    "survei_kepuasan.ikm": 82.5,
    "survei_kepuasan.jumlah_responden": 400,
    "survei_kepuasan.populasi": 12500,
    "maklumat.teks": "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan …",
    "maklumat.media": "papan pengumuman; situs web",
    "sistem_informasi.url": "https://disdukcapil.contoh.go.id",
    "sistem_informasi.format": "latin; braille",
    "kerja_sama.mitra": "PT Pos Indonesia",
    "kerja_sama.jenis": "pihak_lain",
    "pelaksana.jabatan": "Petugas loket",
    "pelaksana.kompetensi": "Pelayanan prima",
    "pelaksana.interval_evaluasi_bulan": 6,
    "pelaksana.indikator_evaluasi": "1. Ketepatan waktu layanan\n2. Kepuasan pemohon",
    "pelaksana.kriteria_seleksi": "Sarjana; sertifikat pelayanan prima",
    "pelaksana.layanan_ditugaskan": "L1; L2",
    "pelaksana.persetujuan_penempatan": "SK Kadis No. 800/5/2024",
    "unit.materi_mekanisme_pengaduan": "a; b; c; d; e; f; g; h; i; j",
    "unit.pimpinan": "Kepala Dinas",
    "pengaduan.sasaran": "pelaksana",
    "pengaduan.ditujukan_kepada": "atasan_pelaksana",
    "pengaduan.tindak_lanjut": "Teguran tertulis kepada petugas; dokumen diterbitkan",
    "pengaduan.permintaan_penyelesaian": "Dokumen segera diterbitkan",
    "kerja_sama.persetujuan_penyelenggara": "Nota Dinas No. 027/15/2024",
    "permohonan.biaya_dipungut": "Rp 0",
    "panggilan.dari": "Pengadilan Negeri Kota Contoh",
}


def example_value(col: Column) -> Any:
    """A plausible value for the template's example row."""
    if col.path == "id":
        return f"{EXAMPLE_PREFIX}{col.entity.upper()}-1"
    if col.path.endswith("_id"):
        return f"{EXAMPLE_PREFIX}{col.path[:-3].upper()}-1"
    for key in (f"{col.entity}.{col.path}", col.path):
        if key in _EXAMPLES:
            return _EXAMPLES[key]
    return {
        Kind.date: dt.date(2024, 1, 9),
        Kind.datetime: dt.datetime(2024, 1, 9, 10, 27),
        Kind.bool: "ya",
        Kind.int: 3,
        Kind.number: 3.5,
        Kind.rupiah: "Rp 0",
        Kind.biaya: "Gratis",
        Kind.jangka_waktu: "3 (tiga) hari kerja",
        Kind.list: "1. butir pertama\n2. butir kedua",
        Kind.peraturan_list: "1. UU No. 25 Tahun 2009\n2. PP No. 96 Tahun 2012",
        Kind.enum: col.choices[0] if col.choices else "",
    }.get(col.kind, f"contoh {col.label.lower()}")


def instructions(entities: Sequence[str]) -> list[list[str]]:
    """Rows of the Petunjuk sheet: an introduction, then one row per column of every entity."""
    rows: list[list[str]] = [
        ["Petunjuk pengisian / How to fill in this workbook"],
        [""],
        [("1. Isi satu sheet per jenis data (Unit, Layanan, Pengaduan, …); satu baris = satu data. "
          "Jangan ubah judul kolom di baris 1.")],
        ["   Fill one sheet per kind of data; one row = one record. Keep the headers in row 1 as they are."],
        ["2. Kolom ID wajib diisi dan unik; kolom 'ID Unit' dan sejenisnya merujuk ID di sheet lain."],
        ["   The ID column is required and unique; 'ID Unit' and similar columns refer to IDs on other sheets."],
        ["3. Tanggal ditulis hari dulu (9/1/2024 atau 9 Januari 2024); jam dalam WIB (9/1/2024 10:27)."],
        ["   Dates are day first; times are Western Indonesian Time unless WITA/WIT is written."],
        [("4. Daftar (persyaratan, prosedur, dasar hukum): satu butir per baris dalam sel (Alt+Enter), "
          "boleh bernomor 1. 2. 3.")],
        ["   Lists: one item per line inside the cell (Alt+Enter), numbering allowed."],
        [f"5. Baris contoh (ID diawali {EXAMPLE_PREFIX}) boleh dihapus; bila dibiarkan, baris itu dilewati."],
        [f"   The example row (ID starting with {EXAMPLE_PREFIX}) may be deleted; if left, it is skipped."],
        ["6. Kolom yang kosong berarti data tidak ada; aturan akan melaporkannya, bukan menebaknya."],
        ["   An empty cell means 'not known'; rules report it rather than guess."],
        [""],
        ["Sheet", "Kolom / Column", "Arti / Meaning", "Dasar (UU 25/2009) / Legal basis", "Isian / Format"],
    ]
    for entity in entities:
        sheet = fieldmap.ENTITY_LABELS[entity][0]
        for col in columns_for_sheet(entity):
            rows.append([sheet, col.label, col.label_en, col.pasal or "", col.hint])
    return rows


def columns_for_sheet(entity: str) -> list[Column]:
    return fieldmap.columns(entity)


def _cell_value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # spreadsheets hold wall-clock time (WIB)
    return value


# --- xlsx --------------------------------------------------------------------------------------


def write_xlsx(
    path: str | Path,
    rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    *,
    example: bool = True,
    entities: Sequence[str] = SHEET_ORDER,
) -> Path:
    """Write an xlsx workbook: Petunjuk sheet, one sheet per entity, and the given rows (each a
    mapping of column path → value). With ``example`` each entity sheet gets an example row."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    out = Path(path)
    wb = Workbook()
    info = wb.active
    info.title = "Petunjuk"
    for r in instructions(entities):
        info.append(r)
    info["A1"].font = Font(bold=True, size=14)
    header_at = next(i for i, r in enumerate(instructions(entities), start=1) if r and r[0] == "Sheet")
    for cell in info[header_at]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (18, 40, 40, 34, 60), strict=True):
        info.column_dimensions[letter].width = width
    info.freeze_panes = f"A{header_at + 1}"

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    example_font = Font(italic=True, color="808080")
    for entity in entities:
        cols = columns_for_sheet(entity)
        ws = wb.create_sheet(fieldmap.ENTITY_LABELS[entity][0])
        ws.append([c.label for c in cols])
        for j, col in enumerate(cols, start=1):
            cell = ws.cell(row=1, column=j)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            note = f"{col.label_en}\n{col.pasal or ''}\n{col.hint}".replace("\n\n", "\n")
            cell.comment = Comment(note, "layanan-rules", width=300, height=120)
            sample = str(example_value(col)).split("\n")[0] if example else ""
            width = max(14, min(45, max(len(col.label) + 4, len(sample) + 2)))
            ws.column_dimensions[get_column_letter(j)].width = width
        ws.freeze_panes = "A2"
        data_rows: list[list[Any]] = []
        if example:
            data_rows.append([_cell_value(example_value(c)) for c in cols])
        for record in (rows or {}).get(entity, ()):
            data_rows.append([_cell_value(record.get(c.path)) for c in cols])
        for r, values in enumerate(data_rows, start=2):
            for j, (col, value) in enumerate(zip(cols, values, strict=True), start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(row=r, column=j, value=value)
                if col.kind is Kind.date:
                    cell.number_format = "DD/MM/YYYY"
                elif col.kind is Kind.datetime:
                    cell.number_format = "DD/MM/YYYY HH:MM"
                if isinstance(value, str) and "\n" in value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if example and r == 2:
                    cell.font = example_font
        last = max(TEMPLATE_ROWS, len(data_rows) + 1)
        for j, col in enumerate(cols, start=1):
            letter = get_column_letter(j)
            ref = f"{letter}2:{letter}{last}"
            dv: DataValidation | None = None
            if col.kind is Kind.bool or col.kind is Kind.enum:
                choices = BOOL_CHOICES if col.kind is Kind.bool else col.choices
                dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
                dv.error = f"Pilih salah satu: {', '.join(choices)} / choose one of the list"
            elif col.kind in (Kind.date, Kind.datetime):
                dv = DataValidation(type="date", operator="greaterThan", formula1="DATE(1950,1,1)",
                                    allow_blank=True)
                dv.error = "Isi tanggal, mis. 9/1/2024 / enter a date"
                # a column style, not cell styles: empty formatted cells would become rows
                ws.column_dimensions[letter].number_format = (
                    "DD/MM/YYYY" if col.kind is Kind.date else "DD/MM/YYYY HH:MM")
            elif col.kind is Kind.int:
                dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
                dv.error = "Isi bilangan bulat ≥ 0 / enter a whole number"
            elif col.kind is Kind.number:
                dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                    allow_blank=True)
                dv.error = "Isi angka / enter a number"
            if dv is not None:
                dv.errorTitle = col.label
                dv.showErrorMessage = True
                dv.prompt = col.hint
                dv.promptTitle = col.label[:32]
                dv.showInputMessage = True
                ws.add_data_validation(dv)
                dv.add(ref)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


# --- ods ---------------------------------------------------------------------------------------


def write_ods(
    path: str | Path,
    rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    *,
    example: bool = True,
    entities: Sequence[str] = SHEET_ORDER,
) -> Path:
    """The same workbook as :func:`write_xlsx`, as OpenDocument (LibreOffice Calc)."""
    from odf.config import (
        ConfigItem,
        ConfigItemMapEntry,
        ConfigItemMapIndexed,
        ConfigItemMapNamed,
        ConfigItemSet,
    )
    from odf.number import DateStyle, Day, Hours, Minutes, Month, Year
    from odf.number import Text as NumText
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableCellProperties, TextProperties
    from odf.table import ContentValidation, ContentValidations, ErrorMessage, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()

    def date_style(name: str, with_time: bool) -> Style:
        ds = DateStyle(name=f"{name}-fmt")
        ds.addElement(Day(style="long"))
        ds.addElement(NumText(text="/"))
        ds.addElement(Month(style="long"))
        ds.addElement(NumText(text="/"))
        ds.addElement(Year(style="long"))
        if with_time:
            ds.addElement(NumText(text=" "))
            ds.addElement(Hours(style="long"))
            ds.addElement(NumText(text=":"))
            ds.addElement(Minutes(style="long"))
        doc.automaticstyles.addElement(ds)
        st = Style(name=name, family="table-cell", datastylename=f"{name}-fmt")
        doc.automaticstyles.addElement(st)
        return st

    date_cell = date_style("tanggal", False)
    datetime_cell = date_style("tanggal-jam", True)
    bold = Style(name="judul", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    bold.addElement(TableCellProperties(backgroundcolor="#DDEBF7"))
    doc.automaticstyles.addElement(bold)
    grey = Style(name="contoh", family="table-cell")
    grey.addElement(TextProperties(fontstyle="italic", color="#808080"))
    doc.automaticstyles.addElement(grey)

    validations = ContentValidations()
    doc.spreadsheet.addElement(validations)

    def cell(value: Any, kind: Kind | None = None, style: Style | None = None) -> TableCell:
        value = _cell_value(value)
        attrs_: dict[str, Any] = {}
        if style is not None:
            attrs_["stylename"] = style
        if value is None or value == "":
            return TableCell(**attrs_)
        if isinstance(value, bool):
            c = TableCell(valuetype="boolean", booleanvalue="true" if value else "false", **attrs_)
            text = "ya" if value else "tidak"
        elif isinstance(value, (int, float)):
            c = TableCell(valuetype="float", value=value, **attrs_)
            text = str(value)
        elif isinstance(value, dt.datetime):
            c = TableCell(valuetype="date", datevalue=value.isoformat(timespec="seconds"),
                          stylename=style or datetime_cell)
            text = value.strftime("%d/%m/%Y %H:%M")
        elif isinstance(value, dt.date):
            c = TableCell(valuetype="date", datevalue=value.isoformat(), stylename=style or date_cell)
            text = value.strftime("%d/%m/%Y")
        else:
            c = TableCell(valuetype="string", **attrs_)
            text = str(value)
        for line in text.split("\n"):
            c.addElement(P(text=line))
        return c

    info = Table(name="Petunjuk")
    for r in instructions(entities):
        tr = TableRow()
        for v in r:
            tr.addElement(cell(v))
        info.addElement(tr)
    doc.spreadsheet.addElement(info)

    sheet_names: list[str] = []
    for entity in entities:
        cols = columns_for_sheet(entity)
        name = fieldmap.ENTITY_LABELS[entity][0]
        sheet_names.append(name)
        table = Table(name=name)
        col_validation: list[str | None] = []
        for j, col in enumerate(cols):
            if col.kind in (Kind.bool, Kind.enum):
                choices = BOOL_CHOICES if col.kind is Kind.bool else col.choices
                vname = f"val-{entity}-{j}"
                cv = ContentValidation(
                    name=vname,
                    condition="of:cell-content-is-in-list(" + ";".join(f'"{c}"' for c in choices) + ")",
                    allowemptycell="true",
                    displaylist="unsorted",
                    basecelladdress=f"$'{name}'.${_letter(j)}$2",
                )
                cv.addElement(ErrorMessage(title=col.label[:32], messagetype="stop", display="true"))
                validations.addElement(cv)
                col_validation.append(vname)
            elif col.kind in (Kind.date, Kind.datetime):
                vname = f"val-{entity}-{j}"
                cv = ContentValidation(name=vname, condition="of:cell-content-is-date()", allowemptycell="true",
                                       basecelladdress=f"$'{name}'.${_letter(j)}$2")
                validations.addElement(cv)
                col_validation.append(vname)
            else:
                col_validation.append(None)
        header = TableRow()
        for col in cols:
            header.addElement(cell(col.label, style=bold))
        table.addElement(header)
        data_rows: list[list[Any]] = []
        if example:
            data_rows.append([example_value(c) for c in cols])
        for record in (rows or {}).get(entity, ()):
            data_rows.append([record.get(c.path) for c in cols])
        for i, values in enumerate(data_rows):
            tr = TableRow()
            for j, (col, value) in enumerate(zip(cols, values, strict=True)):
                c = cell(value, col.kind, grey if (example and i == 0) else None)
                if col_validation[j]:
                    c.setAttribute("contentvalidationname", col_validation[j])
                tr.addElement(c)
            table.addElement(tr)
        # empty rows that carry the validations, so dropdowns work where people type
        blank = TableRow(numberrowsrepeated=max(0, TEMPLATE_ROWS - len(data_rows)))
        for j in range(len(cols)):
            c = TableCell()
            if col_validation[j]:
                c.setAttribute("contentvalidationname", col_validation[j])
            blank.addElement(c)
        table.addElement(blank)
        doc.spreadsheet.addElement(table)

    # frozen header row on every entity sheet (LibreOffice view settings)
    view = ConfigItemSet(name="ooo:view-settings")
    views = ConfigItemMapIndexed(name="Views")
    entry = ConfigItemMapEntry()
    entry.addElement(ConfigItem(name="ViewId", type="string", text="view1"))
    tables = ConfigItemMapNamed(name="Tables")
    for name in sheet_names:
        t = ConfigItemMapEntry(name=name)
        for item, typ, val in (
            ("VerticalSplitMode", "short", "2"), ("VerticalSplitPosition", "int", "1"),
            ("ActiveSplitRange", "short", "2"), ("PositionTop", "int", "0"), ("PositionBottom", "int", "1"),
            ("HorizontalSplitMode", "short", "0"), ("HorizontalSplitPosition", "int", "0"),
        ):
            t.addElement(ConfigItem(name=item, type=typ, text=val))
        tables.addElement(t)
    entry.addElement(tables)
    views.addElement(entry)
    view.addElement(views)
    doc.settings.addElement(view)

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def _letter(index: int) -> str:
    from layanan_rules_spreadsheet.reader import column_letter

    return column_letter(index)


def write_workbook(
    path: str | Path,
    rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    *,
    format: str | None = None,
    example: bool = True,
    entities: Sequence[str] = SHEET_ORDER,
) -> Path:
    """Write xlsx or ods (by ``format``, else by the file's suffix)."""
    fmt = (format or Path(path).suffix.lstrip(".") or "xlsx").lower()
    if fmt == "xlsx":
        return write_xlsx(path, rows, example=example, entities=entities)
    if fmt == "ods":
        return write_ods(path, rows, example=example, entities=entities)
    raise ValueError(f"format tidak didukung: {fmt!r} (xlsx atau ods) / unsupported format")


