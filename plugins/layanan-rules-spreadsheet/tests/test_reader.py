"""Reading real xlsx, ods and csv files: values, provenance, notes for everything not used."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from layanan_rules_spreadsheet import SpreadsheetAdapter, read_all
from layanan_rules_spreadsheet.reader import UNMATCHED, column_letter

from layanan_rules.data.adapters import AdapterError, accepts
from layanan_rules.data.dataset import Dataset
from layanan_rules.model.parsing import WIB
from layanan_rules.plugins import get_plugin_manager

LAYANAN_HEADER = ["ID Layanan", "ID Unit", "Nama Layanan", "Aktif", "Dasar Hukum", "Persyaratan",
                  "Jangka Waktu Penyelesaian", "Biaya/Tarif", "Jumlah Pelaksana", "Tanggal Penetapan Standar"]
LAYANAN_ROW = ["L1", "U1", "Penerbitan KK", True, "1. UU No. 23 Tahun 2006\n2. UU 24/2013", "1. KTP\n2. KK",
               "3 (tiga) hari kerja", "Rp 10.000,-", 4.0, dt.date(2024, 1, 15)]
PENGADUAN = [["Nomor Pengaduan", "ID Unit", "Tanggal Diterima", "Tanggal Ditanggapi", "Ganti Rugi", "Materi Lengkap"],
             [1001, "U1", dt.datetime(2024, 1, 9, 10, 27), "23/1/2024 08:00", "1.500.000", "ya"]]


def sheets() -> dict[str, list[list[object]]]:
    return {"Layanan": [LAYANAN_HEADER, LAYANAN_ROW], "Data Pengaduan": PENGADUAN,
            "Unit Kerja": [["ID Unit", "Nama Unit", "Pengelolaan Pengaduan"], ["U1", "Dinas", "tidak"]]}


def by_entity(records: list) -> dict[str, list]:  # type: ignore[type-arg]
    out: dict[str, list] = {}  # type: ignore[type-arg]
    for r in records:
        out.setdefault(r.entity, []).append(r)
    return out


def test_plugin_registers_the_adapter_through_its_entry_point() -> None:
    pm = get_plugin_manager()
    adapters = [cls for group in pm.hook.register_adapters() for cls in group]
    assert SpreadsheetAdapter in adapters
    for name in ("a.xlsx", "a.XLSM", "a.xls", "a.ods", "a.csv"):
        assert accepts(SpreadsheetAdapter, name)
    assert not accepts(SpreadsheetAdapter, "a.json")


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_reads_every_value_kind(kind: str, xlsx, ods) -> None:  # type: ignore[no-untyped-def]
    path = (xlsx if kind == "xlsx" else ods)(sheets())
    records, notes = read_all(path)
    got = by_entity(records)
    layanan = got["layanan"][0].data
    assert layanan == {
        "id": "L1", "unit_id": "U1", "nama": "Penerbitan KK", "aktif": True,
        "standar": {"dasar_hukum": "1. UU No. 23 Tahun 2006\n2. UU 24/2013", "persyaratan": "1. KTP\n2. KK",
                    "jangka_waktu": "3 (tiga) hari kerja", "biaya": "Rp 10.000,-", "jumlah_pelaksana": 4,
                    "ditetapkan_pada": dt.date(2024, 1, 15)},
    }
    assert type(layanan["standar"]["jumlah_pelaksana"]) is int  # a whole float cell becomes an int
    pengaduan = got["pengaduan"][0].data
    assert pengaduan["id"] == "1001"  # a numeric id becomes text
    assert pengaduan["diterima_pada"] == dt.datetime(2024, 1, 9, 10, 27)
    assert pengaduan["ditanggapi_pada"] == "23/1/2024 08:00"  # text stays text, for the converter
    assert pengaduan["ganti_rugi"] == "1.500.000"
    assert got["unit"][0].data == {"id": "U1", "nama": "Dinas", "fungsi": {"pengelolaan_pengaduan": "tidak"}}
    assert not [n for n in notes if "tidak cocok" in n.message]


def test_records_structure_into_the_model(xlsx) -> None:  # type: ignore[no-untyped-def]
    records, _ = read_all(xlsx(sheets()))
    dataset = Dataset.from_records(records)
    assert dataset.all_issues() == []
    (layanan,) = dataset.records["layanan"]
    standar = layanan.obj.standar
    assert (standar.jangka_waktu.jumlah, standar.jangka_waktu.jenis_hari.value) == (3, "kerja")
    assert (standar.biaya.gratis, standar.biaya.jumlah) == (False, 10000)
    assert [p.tahun for p in standar.dasar_hukum] == [2006, 2013]
    assert standar.persyaratan == ("KTP", "KK")
    (pengaduan,) = dataset.records["pengaduan"]
    assert pengaduan.obj.ditanggapi_pada == dt.datetime(2024, 1, 23, 8, 0, tzinfo=WIB)
    assert pengaduan.obj.diterima_pada.utcoffset() == dt.timedelta(hours=7)
    assert pengaduan.obj.ganti_rugi == 1_500_000 and pengaduan.obj.materi_lengkap is True


def test_unreadable_cells_are_named_by_sheet_row_and_column(xlsx) -> None:  # type: ignore[no-untyped-def]
    path = xlsx({"Layanan": [["ID Layanan", "Jumlah Pelaksana", "Tanggal Penetapan Standar"],
                             ["L1", "banyak sekali", "31/02/2024"]]})
    records, _ = read_all(path)
    issues = Dataset.from_records(records).all_issues()
    where = sorted((i.field, i.provenance.part, i.provenance.row, i.provenance.column) for i in issues)
    assert where == [("standar.ditetapkan_pada", "Layanan", 2, "C"), ("standar.jumlah_pelaksana", "Layanan", 2, "B")]


def test_provenance_names_sheet_row_and_column(xlsx) -> None:  # type: ignore[no-untyped-def]
    # a title row, a blank row and a blank first column before the table
    rows = [[None, "DAFTAR LAYANAN DINAS CONTOH"], [], [None, *LAYANAN_HEADER], [None, *LAYANAN_ROW]]
    path = xlsx({"Layanan": rows})
    adapter = SpreadsheetAdapter(str(path), {})
    (record,) = list(adapter.read())
    assert (record.provenance.part, record.provenance.row) == ("Layanan", 4)
    assert record.fields["id"].column == "B"
    assert record.fields["standar.ditetapkan_pada"].column == "K"
    assert str(record.fields["nama"]) == f"{path}:Layanan:row 4:col D"
    assert any("baris judul" in n.message for n in adapter.notes)


def test_ods_provenance_matches_xlsx(xlsx, ods) -> None:  # type: ignore[no-untyped-def]
    rows = {"Layanan": [[], [None, None, *LAYANAN_HEADER], [None, None, *LAYANAN_ROW]]}
    (a,), _ = read_all(xlsx(rows))
    (b,), _ = read_all(ods(rows))
    assert a.provenance.row == b.provenance.row == 3
    assert {k: v.column for k, v in a.fields.items()} == {k: v.column for k, v in b.fields.items()}
    assert a.data == b.data


def test_misspelled_header_is_used_and_noted_with_its_cell(xlsx) -> None:  # type: ignore[no-untyped-def]
    path = xlsx({"Layanan": [["ID Layanan", "Dasr Hukum", "Keterangan"], ["L1", "UU 24/2013", "catatan"]]})
    records, notes = read_all(path)
    assert records[0].data["standar"] == {"dasar_hukum": "UU 24/2013"}  # one letter off: used
    assert records[0].data[UNMATCHED] == {"Keterangan": "catatan"}
    (note,) = [n for n in notes if n.kind == "header_guessed"]
    assert "'Dasr Hukum'" in note.message and "Dasar Hukum" in note.message and "0,8" in note.message
    assert (note.provenance.row, note.provenance.column) == (1, "B")


def test_a_header_far_off_is_kept_unmatched_with_a_suggestion(xlsx) -> None:  # type: ignore[no-untyped-def]
    path = xlsx({"Layanan": [["ID Layanan", "Dasar Hkm Layanan", "Keterangan"], ["L1", "UU 24/2013", "catatan"]]})
    records, _notes = read_all(path)
    assert records[0].data[UNMATCHED] == {"Dasar Hkm Layanan": "UU 24/2013", "Keterangan": "catatan"}
    issues = Dataset.from_records(records).all_issues()
    (unknown,) = [i for i in issues if i.kind == "unknown_field" and i.field == "Dasar Hkm Layanan"]
    assert "Dasar Hukum" in unknown.message and "standar.dasar_hukum" in unknown.message
    # it looks like a Pasal 21 component: the rules reading it are told, not left to fail
    (cell,) = [i for i in issues if i.kind == "unrecognised_column"]
    assert (cell.field, cell.provenance.row, cell.provenance.column) == ("standar.dasar_hukum", 2, "B")


def test_unknown_and_instruction_sheets_are_noted_once(xlsx) -> None:  # type: ignore[no-untyped-def]
    path = xlsx({"Petunjuk": [["Isi data"]], "Rekap Anggaran": [["a"], [1]], "Layanan": [["ID Layanan"], ["L1"]],
                 "Layana": [["x"]]})
    records, notes = read_all(path)
    assert len(records) == 1
    messages = [str(n) for n in notes]
    assert sum("Petunjuk" in m for m in messages) == 1
    assert sum("Rekap Anggaran" in m for m in messages) == 1
    assert any("'Layana'" in m and "layanan" in m for m in messages)  # did you mean


def test_blank_rows_missing_ids_and_row_numbers(xlsx) -> None:  # type: ignore[no-untyped-def]
    rows = [["No", "ID Layanan", "Nama Layanan"], [1, "L1", "KK"], [None, None, None], [2, None, "KTP"],
            [None, "  ", ""], [3, "L3", "Akta"]]
    adapter = SpreadsheetAdapter(str(xlsx({"Layanan": rows})), {})
    records = list(adapter.read())
    assert [r.data["id"] for r in records] == ["L1", "Layanan!4", "L3"]
    assert all("No" not in r.data.get(UNMATCHED, {}) for r in records)
    assert adapter.stats["Layanan"] == {"entity": "layanan", "rows": 3, "blank": 2, "skipped": 0, "no_id": 1}
    text = " ".join(str(n) for n in adapter.notes)
    assert "2 baris kosong" in text and "nomor urut" in text and "Layanan!<baris>" in text


def test_values_beyond_the_header_are_kept(xlsx) -> None:  # type: ignore[no-untyped-def]
    path = xlsx({"Layanan": [["ID Layanan", None, "Nama Layanan"], ["L1", "lupa judul", "KK", "lebih"]]})
    (record,), _ = read_all(path)
    assert record.data[UNMATCHED] == {"kolom B": "lupa judul", "kolom D": "lebih"}


def test_duplicate_header_keeps_the_first_and_reports_the_second(xlsx) -> None:  # type: ignore[no-untyped-def]
    path = xlsx({"Layanan": [["ID Layanan", "Biaya", "Tarif"], ["L1", "Gratis", "Rp 0"]]})
    (record,), notes = read_all(path)
    assert record.data["standar"]["biaya"] == "Gratis"
    assert record.data[UNMATCHED] == {"Tarif": "Rp 0"}
    assert any("field yang sama" in n.message for n in notes)


def test_mapping_file_and_sheet_option(xlsx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = xlsx({"Daftar Izin": [["kode", "Nama Izin", "Lama Selesai", "Catatan"], ["5", "Izin Usaha", "7 Hari", "x"]],
                 "Aduan 2024": [["Nomor", "Masuk"], ["A1", "7/1/2015 10:27:00"]]})
    mapping = tmp_path / "peta.yaml"
    mapping.write_text("layanan:\n  sheet: Daftar Izin\n  columns:\n    Lama Selesai: standar.jangka_waktu\n"
                       "    Catatan: null\npengaduan:\n  columns:\n    Nomor: id\n    Masuk: diterima_pada\n",
                       encoding="utf-8")
    adapter = SpreadsheetAdapter(str(path), {"mapping": str(mapping), "sheet": "pengaduan=Aduan 2024"})
    got = by_entity(list(adapter.read()))
    assert got["layanan"][0].data == {"id": "5", "nama": "Izin Usaha", "standar": {"jangka_waktu": "7 Hari"}}
    assert got["pengaduan"][0].data == {"id": "A1", "diterima_pada": "7/1/2015 10:27:00"}


def test_bad_mapping_file_is_an_adapter_error(xlsx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    mapping = tmp_path / "peta.yaml"
    mapping.write_text("layanan:\n  columns:\n    X: standar.biayaa\n", encoding="utf-8")
    with pytest.raises(AdapterError, match="standar.biaya"):
        SpreadsheetAdapter(str(xlsx(sheets())), {"mapping": str(mapping)})


def test_csv_file_with_semicolons_and_windows_encoding(tmp_path: Path) -> None:
    path = tmp_path / "Data Pengaduan.csv"
    text = "Nomor Pengaduan;Tanggal Diterima;Uraian\r\nA1;7/1/2015 10:27:00;Pelayanan lambat – café\r\n;;\r\n"
    path.write_bytes(text.encode("cp1252"))
    adapter = SpreadsheetAdapter(str(path), {})
    (record,) = list(adapter.read())
    assert record.entity == "pengaduan"
    assert record.data == {"id": "A1", "diterima_pada": "7/1/2015 10:27:00", "uraian": "Pelayanan lambat – café"}
    assert (record.provenance.part, record.provenance.row, record.fields["uraian"].column) == (
        "Data Pengaduan.csv", 2, "C")
    assert adapter.stats["Data Pengaduan.csv"]["blank"] == 1


def test_csv_folder_one_file_per_entity(tmp_path: Path) -> None:
    (tmp_path / "layanan.csv").write_text("\ufeffID Layanan,Nama Layanan,Biaya/Tarif\nL1,KK,Gratis\n", encoding="utf-8")
    (tmp_path / "unit.csv").write_text("ID Unit,Nama Unit\nU1,Dinas\n", encoding="utf-8")
    (tmp_path / "anggaran.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    records, notes = read_all(tmp_path)
    assert sorted((r.entity, r.data["id"]) for r in records) == [("layanan", "L1"), ("unit", "U1")]
    assert records[0].data.get("standar", {}).get("biaya") == "Gratis" or records[1].data["standar"]["biaya"] == "Gratis"
    assert any("anggaran.csv" in str(n) and "2 non-blank rows not read" in str(n) for n in notes)


def test_csv_folder_files_named_in_the_mapping_or_sheet_option_with_or_without_extension(tmp_path: Path) -> None:
    # Found on the MPP Batang catalogue: `sheet: jenis_izin` skipped jenis_izin.csv as "another sheet"
    # and the run evaluated nothing.
    data = tmp_path / "data"
    data.mkdir()
    (data / "jenis_izin.csv").write_text("id_izin,nama_izin,durasi\n1,NIB,30 Menit\n", encoding="utf-8")
    (data / "rekap_2024.csv").write_text("no_aduan,masuk\nA1,7/1/2015 10:27:00\n", encoding="utf-8")
    for layanan_sheet, aduan_sheet in (("jenis_izin", "rekap_2024.csv"), ("jenis_izin.csv", "Rekap 2024")):
        mapping = tmp_path / "peta.yaml"
        mapping.write_text(f"layanan:\n  sheet: {layanan_sheet}\n  columns:\n    id_izin: id\n"
                           f"pengaduan:\n  sheet: {aduan_sheet}\n  columns:\n    no_aduan: id\n    masuk: diterima_pada\n",
                           encoding="utf-8")
        records, notes = read_all(data, mapping=str(mapping))
        assert sorted((r.entity, r.data["id"]) for r in records) == [("layanan", "1"), ("pengaduan", "A1")], notes
        assert not any("dilewati" in n.message for n in notes), notes
    records, notes = read_all(data, sheet="layanan=jenis_izin,pengaduan=rekap_2024")
    assert sorted(r.entity for r in records) == ["layanan", "pengaduan"], notes


def test_mapping_naming_a_sheet_or_column_that_is_not_there_is_noted_with_a_did_you_mean(
        xlsx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Found on real data: a typo in `sheet:` skipped the file and the run read nothing, and a typo in a
    # column name was ignored without a word.
    data = tmp_path / "data"
    data.mkdir()
    (data / "jenis_izin.csv").write_text("id_izin,nama_izin\n1,NIB\n", encoding="utf-8")
    (data / "aduan.csv").write_text("id,TanggalLaporanMasuk\nA1,7/1/2015 10:27:00\n", encoding="utf-8")
    mapping = tmp_path / "peta.yaml"
    mapping.write_text("layanan:\n  sheet: jenis_ijin\npengaduan:\n  columns:\n    TanggalMasuk: diterima_pada\n"
                       "    Kategori: null\n", encoding="utf-8")
    records, notes = read_all(data, mapping=str(mapping))
    assert [r.entity for r in records] == ["pengaduan"]
    text = " ".join(n.message for n in notes)
    assert "'jenis_ijin' untuk layanan tidak ada (maksud Anda / did you mean 'jenis_izin.csv'?)" in text
    assert "'TanggalMasuk' → diterima_pada (maksud Anda / did you mean 'TanggalLaporanMasuk'?)" in text
    assert "Kategori" not in text  # a column ignored on purpose may be absent
    path = xlsx(sheets())
    _, notes = read_all(path, mapping=str(mapping), sheet="unit=Unit Kerjaa")
    text = " ".join(n.message for n in notes)
    assert "'Unit Kerjaa' untuk unit tidak ada (maksud Anda / did you mean 'Unit Kerja'?)" in text
    assert "'jenis_ijin' untuk layanan tidak ada" in text


def test_single_csv_named_after_nothing_needs_the_entity_option(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id,nama\nL1,KK\n", encoding="utf-8")
    with pytest.raises(AdapterError, match="entity=layanan"):
        list(SpreadsheetAdapter(str(path), {}).read())
    (record,) = list(SpreadsheetAdapter(str(path), {"entity": "layanan"}).read())
    assert record.data == {"id": "L1", "nama": "KK"}


def test_missing_and_damaged_files_are_clear_adapter_errors(tmp_path: Path) -> None:
    with pytest.raises(AdapterError, match="tidak ditemukan"):
        list(SpreadsheetAdapter(str(tmp_path / "tidak-ada.xlsx"), {}).read())
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"this is not a zip file")
    with pytest.raises(AdapterError, match="tidak terbaca"):
        list(SpreadsheetAdapter(str(bad), {}).read())


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_hidden_entity_sheet_is_read_and_noted(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Layanan"
    ws.append(["ID Layanan"])
    ws.append(["L1"])
    ws.sheet_state = "hidden"
    wb.create_sheet("Unit").append(["ID Unit"])
    path = tmp_path / "tersembunyi.xlsx"
    wb.save(path)
    records, notes = read_all(path)
    assert [r.data["id"] for r in records] == ["L1"]
    assert any("tersembunyi" in n.message for n in notes)


def test_keep_going_skips_a_damaged_sheet_and_reads_the_others(xlsx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    from layanan_rules.data import sources

    good = xlsx(sheets())
    damaged = tmp_path / "rusak-sebagian.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":  # the Data Pengaduan sheet
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    with pytest.raises(AdapterError, match="Data Pengaduan"):
        list(SpreadsheetAdapter(str(damaged), {}).read())
    dataset = sources.read(str(damaged), get_plugin_manager(), keep_going=True)
    assert dataset.counts() == {"layanan": 1, "unit": 1}
    (failure,) = sources.incomplete(dataset)
    assert failure.entity == "pengaduan" and "Data Pengaduan" in failure.message


_cells = st.one_of(st.none(), st.text(max_size=12), st.integers(-5, 10**6), st.sampled_from(
    ["ID Layanan", "Dasar Hukum", "No", "", "  ", "Biaya/Tarif", "Dasr Hukum", "ya", "31/02/2024", "CONTOH-1"]))


@given(rows=st.lists(st.lists(_cells, max_size=6), max_size=8))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_csv_reads_without_crashing_and_accounts_for_every_row(tmp_path: Path, rows: list[list[object]]) -> None:
    import csv

    path = tmp_path / "layanan.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["" if v is None else v for v in row] for row in rows])
    adapter = SpreadsheetAdapter(str(path), {})
    records = list(adapter.read())
    stats = adapter.stats.get("layanan.csv")
    if stats is not None and records:
        assert stats["rows"] == len(records)
    for record in records:
        assert record.entity == "layanan" and isinstance(record.data["id"], str)
        Dataset.from_records([record])  # the converter copes with whatever the reader produced


SKM_HEADER = ["No", "Responden", *[f"U{i}" for i in range(1, 10)]]


def test_a_per_respondent_answer_sheet_is_one_survey_not_49(xlsx) -> None:  # type: ignore[no-untyped-def]
    rows: list[list[object]] = [SKM_HEADER] + [[i, f"R{i}", *([3, 4, 4, 3, 2, 4, 3, 3, 4])] for i in range(1, 50)]
    path = xlsx({"SKM": rows, "Unit Kerja": [["ID Unit", "Nama Unit"], ["U1", "Dinas"]]})
    adapter = SpreadsheetAdapter(str(path))
    records = list(adapter.read())
    assert [r.entity for r in records] == ["unit"]
    (note,) = [n for n in adapter.notes if "per responden" in n.message]
    assert "49 responden, baris 2-50" in note.message and "layanan-rules skm" in note.message
    assert adapter.stats["SKM"]["rows"] == 0 and adapter.stats["SKM"]["responses"] == 49
    assert not [n for n in adapter.notes if "tanpa id" in n.message and n.provenance and n.provenance.part == "SKM"]


def test_survey_rows_are_read_as_surveys_even_after_whole_number_rows(xlsx) -> None:  # type: ignore[no-untyped-def]
    header = ["ID Survei Kepuasan", "Tahun", *[f"U{i}" for i in range(1, 10)]]
    whole = [3, 3, 3, 3, 3, 3, 3, 3, 3]
    # rows without a year look like answers until a real survey row shows the sheet is surveys
    rows: list[list[object]] = [header, ["S1", None, *whole], ["S2", None, *whole], ["S3", 2024, *whole]]
    records, notes = read_all(xlsx({"SKM": rows}))
    assert [r.data["id"] for r in records] == ["S1", "S2", "S3"]
    assert not [n for n in notes if "per responden" in n.message]
    one, _ = read_all(xlsx({"SKM": [header, ["S1", None, *whole]]}, name="one.xlsx"))
    assert [r.data["id"] for r in one] == ["S1"]  # one row is a survey, not a table of respondents


def test_single_csv_named_after_nothing_is_read_as_the_entity_its_headers_name(tmp_path: Path) -> None:
    path = tmp_path / "ekspor_2015.csv"
    path.write_text("Nomor Laporan,Tanggal Masuk,Isi Laporan,Status\nA1,20/1/2015 09:21:00,Tunjangan belum cair,Selesai\n",
                    encoding="utf-8")
    records, notes = read_all(path)
    assert [r.entity for r in records] == ["pengaduan"]
    (note,) = [n for n in notes if n.kind == "entity_guessed"]
    assert "dibaca sebagai pengaduan" in note.message and "--option entity=" in note.message
    # the mapping file's only entity names it too, without a guess
    mapping = tmp_path / "peta.yaml"
    mapping.write_text("pengaduan:\n  columns:\n    Nomor Laporan: id\n", encoding="utf-8")
    records, notes = read_all(path, mapping=str(mapping))
    assert [r.entity for r in records] == ["pengaduan"] and not [n for n in notes if n.kind == "entity_guessed"]


# --- a list field filled from another sheet (mapping ``lists:``) -----------------------------------

_LISTS = ("layanan:\n  lists:\n    standar.prosedur: {sheet: langkah, key: id_layanan, value: uraian, "
          "order: urutan}\n")


def test_a_child_sheet_fills_a_list_field_and_every_row_is_accounted_for(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "layanan.csv").write_text("ID Layanan,Nama Layanan,Prosedur\nL1,KTP,\nL2,KK,\nL3,Akta,Datang ke loket\n",
                                        encoding="utf-8")
    (folder / "langkah.csv").write_text(
        "id_layanan,urutan,uraian\n"
        "L1,10,Ambil nomor antrean\n"   # numbers sort as numbers (10 after 2), though a CSV writes text
        "L1,2,Isi formulir\n"
        ",,\n"                          # blank: counted
        "L2,1,Serahkan berkas\n"
        "L9,1,Langkah tanpa layanan\n"  # no such service: told of, not lost
        "L2,2,\n"                       # no item: told of
        "L3,1,Dari lembar lain\n",      # L3's own cell holds the list: kept, this row told of
        encoding="utf-8")
    mapping = tmp_path / "peta.yaml"
    mapping.write_text(_LISTS, encoding="utf-8")
    records, notes = read_all(folder, mapping=str(mapping))
    prosedur = {r.data["id"]: r.data.get("standar", {}).get("prosedur") for r in records}
    assert prosedur == {"L1": ["Isi formulir", "Ambil nomor antrean"], "L2": ["Serahkan berkas"],
                        "L3": "Datang ke loket"}
    told = {n.kind: n for n in notes if "langkah.csv" in str(n.provenance)}
    assert told["orphan"].records == 1 and "L9" in told["orphan"].message
    assert told["skipped_blank_rows"].count == 1
    others = [n for n in notes if n.kind == "adapter_note" and "langkah.csv" in str(n.provenance)]
    assert sorted(n.records for n in others) == [1, 1]  # L3's row kept out, the row with no item
    # 7 non-blank rows below the header: 3 read into L1 and L2, 3 told of as not read, 1 blank
    assert not [n for n in notes if "tidak cocok dengan entitas" in n.message]  # not "a sheet of no entity"
    (l1,) = [r for r in Dataset.from_records(records).records["layanan"] if r.id == "L1"]
    assert l1.obj.standar.prosedur == ("Isi formulir", "Ambil nomor antrean")


def test_a_child_sheet_in_a_workbook_and_its_mistakes(tmp_path: Path, xlsx) -> None:  # type: ignore[no-untyped-def]
    path = xlsx({"Layanan": [["ID Layanan", "Nama Layanan"], ["L1", "KTP"]],
                 "Langkah": [["id_layanan", "urutan", "uraian"], ["L1", 1, "Isi formulir"], ["L1", 2, "Ambil KTP"]]})
    mapping = tmp_path / "peta.yaml"
    mapping.write_text(_LISTS, encoding="utf-8")
    records, notes = read_all(path, mapping=str(mapping))
    assert [r.data["standar"]["prosedur"] for r in records] == [["Isi formulir", "Ambil KTP"]]
    assert not notes
    # a column the mapping names that the sheet does not have: an error naming both
    mapping.write_text(_LISTS.replace("uraian", "keterangan"), encoding="utf-8")
    with pytest.raises(AdapterError, match="'keterangan'.*uraian"):
        read_all(path, mapping=str(mapping))
    # a sheet the mapping names that the workbook does not have: told, with a did-you-mean
    mapping.write_text(_LISTS.replace("sheet: langkah", "sheet: langkh"), encoding="utf-8")
    _records, notes = read_all(path, mapping=str(mapping))
    assert any("'langkh'" in n.message and "'Langkah'" in n.message for n in notes)


@pytest.mark.parametrize(("text", "message"), [
    ("layanan:\n  lists:\n    nama: {sheet: a, key: b, value: c}\n", "unknown key 'nama'"),
    ("layanan:\n  lists:\n    standar.prosedur: {sheet: a, key: b}\n", "value"),
    ("layanan:\n  lists:\n    standar.prosedur: {sheet: a, key: b, value: c, urut: d}\n", "unknown key 'urut'"),
])
def test_a_list_mapping_names_its_mistake(tmp_path: Path, text: str, message: str) -> None:
    from layanan_rules.data.mapping import MappingError, load_mapping

    mapping = tmp_path / "peta.yaml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=message):
        load_mapping(mapping)


# --- values every record takes, and records the source lacks (mapping ``values:``, ``records:``) ----

_VALUES = ("layanan:\n  values: {unit_id: U9, standar.biaya: gratis}\n"
           "unit:\n  records:\n    - {id: U9, nama: Gerai DPMPTSP di MPP, penyelenggara_id: 19}\n"
           "penyelenggara:\n  records:\n    - {id: 19, nama: DPMPTSP Kab. Contoh}\n")


def test_mapping_values_fill_empty_fields_and_records_join_the_dataset(tmp_path: Path, xlsx) -> None:  # type: ignore[no-untyped-def]
    path = xlsx({"Layanan": [["ID Layanan", "Nama Layanan", "ID Unit"], ["L1", "KTP", None], ["L2", "KK", "U1"],
                             [None, None, None]]})
    mapping = tmp_path / "peta.yaml"
    mapping.write_text(_VALUES, encoding="utf-8")
    records, notes = read_all(path, mapping=str(mapping))
    assert not notes
    by_id = {(r.entity, r.data["id"]): r for r in records}
    assert sorted(by_id) == [("layanan", "L1"), ("layanan", "L2"), ("penyelenggara", "19"), ("unit", "U9")]
    assert by_id["layanan", "L1"].data["unit_id"] == "U9"          # the row leaves it empty: the mapping's
    assert by_id["layanan", "L2"].data["unit_id"] == "U1"          # the row says it: the row's
    assert by_id["layanan", "L1"].data["standar"]["biaya"] == "gratis"
    assert by_id["unit", "U9"].data["penyelenggara_id"] == "19"     # an id is text, as a cell's would be
    assert str(by_id["unit", "U9"].provenance) == f"{mapping}:unit.records:key U9"
    ds = Dataset.from_records(records)  # linked
    (unit,) = ds.records["unit"]
    (pen,) = ds.records["penyelenggara"]
    assert [x.id for x in unit.obj.layanan] == ["L1"] and [x.id for x in pen.obj.unit] == ["U9"]
    (l1,) = [r for r in ds.records["layanan"] if r.id == "L1"]
    assert l1.obj.standar.biaya.gratis
    assert ds.accounted() == 4 and [i.kind for i in ds.all_issues()] == ["orphan"]  # L2's unit U1 is not there


@pytest.mark.parametrize(("text", "message"), [
    ("layanan:\n  values: {unt_id: U1}\n", "'unt_id'.*did you mean: unit_id"),
    ("layanan:\n  values: {unit_id: [U1, U2]}\n", "values.unit_id: harus satu nilai"),
    ("layanan:\n  values: [unit_id]\n", "values harus berupa peta"),
    ("unit:\n  records: {id: U1}\n", "records harus berupa daftar"),
    ("unit:\n  records:\n    - {nama: Tanpa id}\n", r"records\[1\]: id belum diisi"),
    ("unit:\n  records:\n    - {id: U1, nma: Unit}\n", r"records\[1\]: kunci tidak dikenal 'nma'"),
])
def test_mapping_values_and_records_name_their_mistake(tmp_path: Path, text: str, message: str) -> None:
    from layanan_rules.data.mapping import MappingError, load_mapping

    mapping = tmp_path / "peta.yaml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=message):
        load_mapping(mapping)
