"""Header and sheet-name matching, and the columns derived from the model."""

from __future__ import annotations

import typing
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layanan_rules import model
from layanan_rules.data import fieldmap
from layanan_rules.data.fieldmap import Kind
from layanan_rules.data.mapping import MappingError, load_mapping


def test_columns_are_leaf_paths_of_the_model_without_relations() -> None:
    paths = [c.path for c in fieldmap.columns("layanan")]
    assert paths[:3] == ["id", "unit_id", "nama"]
    assert "standar.dasar_hukum" in paths and "standar.jangka_waktu" in paths and "standar.biaya" in paths
    assert "pengaduan" not in paths  # a relation, filled from ids
    assert not any(p.startswith("standar.jangka_waktu.") for p in paths)  # one cell, parsed whole
    assert "fungsi.pengelolaan_pengaduan" in [c.path for c in fieldmap.columns("unit")]


def test_every_non_relation_model_field_has_a_column() -> None:
    one_cell = {model.JangkaWaktu, model.Biaya}
    skipped = {"standar.peserta",  # a list of people needs a sheet of its own
               "standar.persyaratan_kasus"}  # filled from the persyaratan cell

    def leaves(cls: type, prefix: str = "") -> list[str]:
        out = []
        for f in attrs.fields(cls):
            if model.is_relation(f):
                continue
            tp = f.type
            nested = [] if typing.get_origin(tp) is tuple else [a for a in typing.get_args(tp) if attrs.has(a)]
            if nested and nested[0] not in one_cell and nested[0] is not model.Peraturan:
                out += leaves(nested[0], f"{prefix}{f.name}.")
            else:
                out.append(prefix + f.name)
        return out

    for entity, cls in model.ENTITIES.items():
        assert {c.path for c in fieldmap.columns(entity)} == set(leaves(cls)) - skipped, entity


@pytest.mark.parametrize(
    ("entity", "path", "kind"),
    [
        ("layanan", "standar.dasar_hukum", Kind.peraturan_list),
        ("layanan", "standar.persyaratan", Kind.list),
        ("layanan", "standar.jangka_waktu", Kind.jangka_waktu),
        ("layanan", "standar.biaya", Kind.biaya),
        ("layanan", "standar.jumlah_pelaksana", Kind.int),
        ("layanan", "standar.ditetapkan_pada", Kind.date),
        ("layanan", "aktif", Kind.bool),
        ("pengaduan", "diterima_pada", Kind.datetime),
        ("pengaduan", "ganti_rugi", Kind.rupiah),
        ("survei_kepuasan", "ikm", Kind.number),
        ("penyelenggara", "jenis", Kind.enum),
        ("unit", "nama", Kind.text),
    ],
)
def test_column_kinds(entity: str, path: str, kind: Kind) -> None:
    assert fieldmap.column(entity, path).kind is kind


def test_columns_carry_labels_pasal_and_choices() -> None:
    col = fieldmap.column("layanan", "standar.dasar_hukum")
    assert (col.label, col.label_en, col.pasal) == ("Dasar Hukum", "Legal basis", "Pasal 21 huruf a")
    jenis = fieldmap.column("penyelenggara", "jenis")
    assert "instansi" in jenis.choices and "instansi" in jenis.hint
    assert fieldmap.column("pengaduan", "nik_pengadu").personal
    assert fieldmap.column("unit", "id").required


@pytest.mark.parametrize("entity", list(model.ENTITIES))
def test_labels_are_unique_and_match_back(entity: str) -> None:
    cols = fieldmap.columns(entity)
    labels = [c.label for c in cols]
    assert len(labels) == len(set(labels))
    for col in cols:
        for name in (col.label, col.label_en, col.path, *col.aliases):
            assert fieldmap.match_header(entity, name) == col.path, name


@pytest.mark.parametrize(
    ("entity", "header", "path"),
    [
        ("layanan", "Dasar Hukum", "standar.dasar_hukum"),
        ("layanan", "DASAR HUKUM", "standar.dasar_hukum"),
        ("layanan", "dasar_hukum", "standar.dasar_hukum"),
        ("layanan", "a. Dasar Hukum (Pasal 21 huruf a)", "standar.dasar_hukum"),
        ("layanan", "Standar: Dasar Hukum", "standar.dasar_hukum"),
        ("layanan", "Jangka Waktu Penyelesaian", "standar.jangka_waktu"),
        ("layanan", "Waktu Pelayanan", "standar.jangka_waktu"),
        ("layanan", "durasi", "standar.jangka_waktu"),
        ("layanan", "Biaya/Tarif", "standar.biaya"),
        ("layanan", "Biaya / Tarif", "standar.biaya"),
        ("layanan", "Persyaratan", "standar.persyaratan"),
        ("layanan", "Sistem, Mekanisme dan Prosedur", "standar.prosedur"),
        ("layanan", "Sistem, Mekanisme & Prosedur", "standar.prosedur"),
        ("layanan", "Produk Pelayanan", "standar.produk"),
        ("layanan", "Sarana, Prasarana, dan/atau Fasilitas", "standar.sarana"),
        ("layanan", "ID Unit", "unit_id"),
        ("layanan", "Kode Unit Kerja", "unit_id"),
        ("layanan", "Nama Layanan", "nama"),
        ("layanan", "nama_izin", "nama"),
        ("layanan", "Kode Layanan", "id"),
        ("unit", "ID Unit", "id"),
        ("unit", "Pelaksanaan Pelayanan", "fungsi.pelaksanaan_pelayanan"),
        ("pengaduan", "TanggalLaporanMasuk", "diterima_pada"),
        ("pengaduan", "Tanggal Laporan Ditutup", "selesai_pada"),
        ("pengaduan", "Nomor Tiket", "id"),
        ("pengaduan", "Tanggal Diterima", "diterima_pada"),
        ("survei_kepuasan", "U1", "u1_persyaratan"),
        ("sistem_informasi", "Website", "url"),
        ("maklumat", "Isi Maklumat", "teks"),
        ("layanan", "Dásar Húkum", "standar.dasar_hukum"),
    ],
)
def test_match_header_tolerates_how_people_write_headers(entity: str, header: str, path: str) -> None:
    assert fieldmap.match_header(entity, header) == path


@pytest.mark.parametrize(("entity", "header"), [("layanan", "Dasr Hukum"), ("layanan", "Keterangan"),
                                                ("layanan", ""), ("layanan", None), ("pengaduan", "Tangal Diterima")])
def test_match_header_never_guesses(entity: str, header: str | None) -> None:
    assert fieldmap.match_header(entity, header) is None


@pytest.mark.parametrize(
    ("entity", "header", "path"),
    [("layanan", "Dasr Hukum", "standar.dasar_hukum"), ("pengaduan", "Tangal Diterima", "diterima_pada"),
     ("layanan", "Persyaratn", "standar.persyaratan"), ("layanan", "Jangka Waktu Penyelesain", "standar.jangka_waktu")],
)
def test_suggest_offers_the_closest_column(entity: str, header: str, path: str) -> None:
    assert fieldmap.suggest(entity, header) == path


def test_suggest_gives_up_on_unrelated_text() -> None:
    assert fieldmap.suggest("layanan", "Keterangan Tambahan Lain-lain") is None


@pytest.mark.parametrize(
    ("name", "entity"),
    [("Layanan", "layanan"), ("Data Pengaduan", "pengaduan"), ("Unit Kerja", "unit"), ("Daftar Layanan", "layanan"),
     ("SKM", "survei_kepuasan"), ("Survei Kepuasan", "survei_kepuasan"), ("Sistem Informasi", "sistem_informasi"),
     ("Kerja Sama", "kerja_sama"), ("Kerjasama", "kerja_sama"), ("Sarana Prasarana", "sarana"),
     ("layanan.csv", "layanan"), ("MAKLUMAT", "maklumat"), ("Penyelenggara", "penyelenggara")],
)
def test_match_entity(name: str, entity: str) -> None:
    assert fieldmap.match_entity(name) == entity


def test_match_entity_leaves_instructions_alone() -> None:
    assert fieldmap.match_entity("Petunjuk") is None
    assert fieldmap.suggest_entity("Layana") == "layanan"


def test_row_number_headers() -> None:
    assert fieldmap.is_row_number_header("No.")
    assert fieldmap.is_row_number_header("No Urut")
    assert not fieldmap.is_row_number_header("No Pengaduan")


def test_load_mapping(tmp_path: Path) -> None:
    path = tmp_path / "peta.yaml"
    path.write_text(
        "layanan:\n  sheet: Daftar Izin\n  columns:\n    Waktu Selesai: standar.jangka_waktu\n    Keterangan: null\n"
        "pengaduan:\n  sheet: Aduan\n",
        encoding="utf-8",
    )
    mapping = load_mapping(path)
    layanan = mapping.for_entity("layanan")
    assert layanan is not None and layanan.sheet == "Daftar Izin"
    assert layanan.path_for("waktu  selesai") == (True, "standar.jangka_waktu")
    assert layanan.path_for("Keterangan") == (True, None)
    assert layanan.path_for("Lain") == (False, None)
    assert mapping.entity_for_sheet("aduan") == "pengaduan"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("layanann:\n  sheet: X\n", "layanan"),
        ("layanan:\n  columns:\n    Waktu: standar.jangka_wakt\n", "standar.jangka_waktu"),
        ("layanan:\n  kolom: {}\n", "columns"),
        ("- a\n- b\n", "entitas"),
        ("layanan: [\n", "tidak terbaca"),
    ],
)
def test_load_mapping_names_the_mistake(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "peta.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=message) as info:
        load_mapping(path)
    assert str(path) in str(info.value)


@given(st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_matching_never_raises(header: str) -> None:
    for entity in ("layanan", "pengaduan", "unit"):
        path = fieldmap.match_header(entity, header)
        assert path is None or path in {c.path for c in fieldmap.columns(entity)}
        fieldmap.suggest(entity, header)
    assert fieldmap.match_entity(header) in (None, *model.ENTITIES)
    fieldmap.suggest_entity(header)


def test_every_kind_has_a_parser_entry() -> None:
    assert set(fieldmap.KIND_PARSERS) == set(Kind)
    parse = fieldmap.KIND_PARSERS[fieldmap.column("pengaduan", "ganti_rugi").kind]
    assert parse("Rp 1.500.000,-") == 1_500_000


def test_every_adapters_mapping_file_names_a_mistake_alike(tmp_path: Path) -> None:
    """The spreadsheet's, the SQL plugin's and the HTTP plugin's mapping files are checked by the
    same helpers: an unknown field gets the same "did you mean" from each."""
    sqlmap = pytest.importorskip("layanan_rules_sql.mapping")
    httpmap = pytest.importorskip("layanan_rules_http.mapping")
    flat = tmp_path / "peta.yaml"
    flat.write_text("layanan:\n  columns:\n    Waktu: standar.jangka_wakt\n", encoding="utf-8")
    nested = tmp_path / "peta-sumber.yaml"
    nested.write_text("entities:\n  layanan:\n    columns:\n      Waktu: standar.jangka_wakt\n", encoding="utf-8")
    messages = []
    for load, path in ((load_mapping, flat), (sqlmap.load, nested), (httpmap.load, nested)):
        with pytest.raises(MappingError) as info:
            load(path)
        messages.append(str(info.value).replace(str(path), "PATH"))
    assert messages[0] == messages[1]
    assert "did you mean: standar.jangka_waktu" in messages[2] and "'Waktu'" in messages[2]
    # a whole nested field is a JSON column's target for a database or an API, not a spreadsheet's
    whole = tmp_path / "peta-utuh.yaml"
    whole.write_text("entities:\n  layanan:\n    columns:\n      std: standar\n", encoding="utf-8")
    assert sqlmap.load(whole).entities["layanan"].columns == {"std": "standar"}
    flat.write_text("layanan:\n  columns:\n    std: standar\n", encoding="utf-8")
    with pytest.raises(MappingError, match="'std'"):
        load_mapping(flat)


@pytest.mark.parametrize(
    ("entity", "header", "path"),
    [
        ("layanan", "nm_izin", "nama"),
        ("layanan", "kd_izin", "id"),
        ("pengaduan", "tgl_masuk", "diterima_pada"),
        ("penyelenggara", "NM_INSTANSI", "nama"),
        ("unit", "kd_unit", "id"),
        ("layanan", "nm_xyz", None),  # spelt out, still nothing of the model's
    ],
)
def test_database_abbreviations_are_spelt_out(entity: str, header: str, path: str | None) -> None:
    found = fieldmap.match_header_scored(entity, header)
    assert (found.path if found else None) == path
    if found is not None:
        assert found.how == "abbreviation" and found.certain and fieldmap.match_header(entity, header) == path
