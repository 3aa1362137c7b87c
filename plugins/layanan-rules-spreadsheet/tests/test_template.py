"""The blank template: written by the command, filled by hand (openpyxl / odfpy), read back with
no mapping file."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from layanan_rules_spreadsheet import read_all
from layanan_rules_spreadsheet.writer import SHEET_ORDER, write_workbook
from python_calamine import CalamineWorkbook

from layanan_rules import model
from layanan_rules.cli import cli
from layanan_rules.data import fieldmap
from layanan_rules.data.dataset import Dataset


def make_template(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["template", *args, str(out)])
    assert result.exit_code == 0, result.output
    if not out.suffix:  # the command adds the suffix of --format
        out = out.with_suffix(f".{args[args.index('--format') + 1]}")
    assert out.exists()
    return out


def test_every_entity_has_a_sheet() -> None:
    assert sorted(SHEET_ORDER) == sorted(model.ENTITIES)


@pytest.mark.parametrize(("name", "args"), [("t.xlsx", []), ("t.ods", []), ("t", ["--format", "ods"])])
def test_template_has_instructions_and_exact_headers(tmp_path: Path, name: str, args: list[str]) -> None:
    out = make_template(tmp_path, name, *args)
    wb = CalamineWorkbook.from_path(str(out))
    assert wb.sheet_names[0] == "Petunjuk"
    for entity in model.ENTITIES:
        sheet = wb.get_sheet_by_name(fieldmap.ENTITY_LABELS[entity][0])
        header, example, *rest = sheet.to_python()
        assert header == [c.label for c in fieldmap.columns(entity)]
        assert str(example[0]).startswith("CONTOH-")
        assert not any(any(v != "" for v in row) for row in rest)
    petunjuk = wb.get_sheet_by_name("Petunjuk").to_python()
    row = next(r for r in petunjuk if r[1] == "Dasar Hukum")
    assert row[0] == "Layanan" and "Pasal 21 huruf a" in row[3]


def test_blank_template_reads_as_no_records(tmp_path: Path) -> None:
    records, notes = read_all(make_template(tmp_path, "t.xlsx"))
    assert records == []
    assert any("Petunjuk" in str(n) for n in notes)
    assert sum("baris contoh" in n.message for n in notes) == len(model.ENTITIES)


def test_xlsx_template_has_validation_dates_and_frozen_header(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(make_template(tmp_path, "t.xlsx"))
    ws = wb["Layanan"]
    assert ws.freeze_panes == "A2"
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any(dv.formula1 == '"ya,tidak"' for dv in lists)
    dates = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
    assert dates
    col = [c.label for c in fieldmap.columns("layanan")].index("Tanggal Penetapan Standar")
    assert ws.cell(row=2, column=col + 1).is_date
    assert wb["Penyelenggara"].data_validations.dataValidation[0].formula1.count("instansi") == 1


def test_ods_template_has_validation_and_frozen_header(tmp_path: Path) -> None:
    out = make_template(tmp_path, "t.ods")
    with zipfile.ZipFile(out) as z:
        content = z.read("content.xml").decode()
        settings = z.read("settings.xml").decode()
    assert "cell-content-is-in-list(&quot;ya&quot;;&quot;tidak&quot;)" in content or \
        'cell-content-is-in-list("ya";"tidak")' in content
    assert "VerticalSplitMode" in settings


def test_template_refuses_to_overwrite_and_mismatched_suffix(tmp_path: Path) -> None:
    out = make_template(tmp_path, "t.xlsx")
    again = CliRunner().invoke(cli, ["template", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    assert CliRunner().invoke(cli, ["template", "--force", str(out)]).exit_code == 0
    wrong = CliRunner().invoke(cli, ["template", "--format", "ods", str(tmp_path / "x.xlsx")])
    assert wrong.exit_code == 2


FILLED = {
    "Unit": {"ID Unit": "U1", "Nama Unit": "Dinas Contoh", "Fungsi Pengelolaan Pengaduan": "ya"},
    "Layanan": {"ID Layanan": "L1", "ID Unit": "U1", "Nama Layanan": "Akta Kelahiran", "Aktif": "ya",
                "Dasar Hukum": "1. UU No. 24 Tahun 2013\n2. Perpres No. 96 Tahun 2018",
                "Persyaratan": "1. Surat keterangan lahir\n2. KK", "Jangka Waktu Penyelesaian": "5 hari kerja",
                "Biaya/Tarif": "Tidak dipungut biaya", "Jumlah Pelaksana": 3,
                "Tanggal Penetapan Standar": dt.date(2024, 1, 15)},
    "Pengaduan": {"ID Pengaduan": "A1", "ID Unit": "U1", "ID Layanan": "L1",
                  "Tanggal Diterima": dt.datetime(2024, 1, 9, 10, 27), "Tanggal Ditanggapi": "23/1/2024 08:00"},
    "Survei Kepuasan": {"ID Survei Kepuasan": "S1", "ID Unit": "U1", "Tahun": 2024, "Nilai IKM": 84.25},
}


def check_filled(records: list) -> None:  # type: ignore[type-arg]
    dataset = Dataset.from_records(records)
    assert dataset.all_issues() == []
    assert dataset.counts() == {"unit": 1, "layanan": 1, "pengaduan": 1, "survei_kepuasan": 1}
    (layanan,) = dataset.records["layanan"]
    assert layanan.obj.standar.jangka_waktu.jumlah == 5
    assert layanan.obj.standar.biaya.gratis is True
    assert layanan.obj.standar.ditetapkan_pada == dt.date(2024, 1, 15)
    assert layanan.provenance.row == 3
    (pengaduan,) = dataset.records["pengaduan"]
    assert pengaduan.obj.diterima_pada.hour == 10
    assert dataset.records["unit"][0].obj.fungsi.pengelolaan_pengaduan is True
    assert dataset.records["survei_kepuasan"][0].obj.ikm == 84.25


def test_xlsx_template_filled_by_hand_reads_without_mapping(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = make_template(tmp_path, "t.xlsx")
    wb = load_workbook(out)
    for sheet, values in FILLED.items():
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        for label, value in values.items():
            ws.cell(row=3, column=headers.index(label) + 1, value=value)
    wb.save(out)
    records, notes = read_all(out)
    check_filled(records)
    assert not [n for n in notes if "tidak dikenali" in n.message]


def test_ods_template_filled_by_hand_reads_without_mapping(tmp_path: Path) -> None:
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    out = make_template(tmp_path, "t.ods")
    doc = load(str(out))
    for table in doc.spreadsheet.getElementsByType(Table):
        name = table.getAttribute("name")
        if name not in FILLED:
            continue
        labels = [c.label for c in fieldmap.columns(fieldmap.match_entity(name))]
        rows = table.getElementsByType(TableRow)
        new = TableRow()
        for label in labels:
            value = FILLED[name].get(label)
            if value is None:
                new.addElement(TableCell())
            elif isinstance(value, dt.datetime):
                cell = TableCell(valuetype="date", datevalue=value.isoformat(timespec="seconds"))
                cell.addElement(P(text=str(value)))
                new.addElement(cell)
            elif isinstance(value, dt.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=str(value)))
                new.addElement(cell)
            elif isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
                new.addElement(cell)
            else:
                cell = TableCell(valuetype="string")
                for line in value.split("\n"):
                    cell.addElement(P(text=line))
                new.addElement(cell)
        table.insertBefore(new, rows[2])  # after the header and the example row
    doc.save(str(out))
    records, _ = read_all(out)
    check_filled(records)


def test_writer_round_trips_data_rows(tmp_path: Path) -> None:
    rows = {"layanan": [{"id": "L9", "nama": "KK", "standar.persyaratan": ["KTP", "KK"],
                         "standar.ditetapkan_pada": dt.date(2024, 2, 1)}]}
    for fmt in ("xlsx", "ods"):
        out = write_workbook(tmp_path / f"d.{fmt}", rows, example=False)
        (record,), _ = read_all(out)
        assert record.data == {"id": "L9", "nama": "KK",
                               "standar": {"persyaratan": "KTP\nKK", "ditetapkan_pada": dt.date(2024, 2, 1)}}
