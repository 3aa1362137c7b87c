"""Tolerant matching of column headers (and sheet or table names) to model fields.

Shared by every tabular adapter (spreadsheets, CSV, SQL tables). :func:`columns` derives the
flat column list of an entity from the attrs model by introspection, so a field added to the
model shows up here (with a generated label) without touching this file; the table below only
adds human labels, the Pasal each column serves, and the synonyms inspectors really write.

A *path* names a leaf: ``nama``, ``standar.dasar_hukum``, ``fungsi.pengelolaan_pengaduan``.
Value objects that one cell holds as text (``standar.jangka_waktu`` "3 hari kerja",
``standar.biaya`` "Rp 10.000,-", ``standar.dasar_hukum`` one regulation per line) are one column.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import re
import types
import typing
import unicodedata
from collections.abc import Iterable
from typing import Any

import attrs

from layanan_rules import model
from layanan_rules.model import parsing

__all__ = [
    "CONFIDENT",
    "ENTITY_LABELS",
    "KIND_PARSERS",
    "Column",
    "HeaderMatch",
    "Kind",
    "column",
    "columns",
    "is_row_number_header",
    "match_entity",
    "match_header",
    "match_header_scored",
    "normalize",
    "suggest",
    "suggest_entity",
]


class Kind(enum.Enum):
    """The kind of value one cell holds, which decides how the converter reads text."""

    text = "text"
    date = "date"
    datetime = "datetime"
    bool = "bool"
    int = "int"
    number = "number"
    rupiah = "rupiah"
    biaya = "biaya"
    jangka_waktu = "jangka_waktu"
    list = "list"
    peraturan_list = "peraturan_list"
    enum = "enum"


#: Format hint shown in templates and error messages, Indonesian / English.
KIND_HINTS: dict[Kind, tuple[str, str]] = {
    Kind.text: ("teks bebas", "free text"),
    Kind.date: ("tanggal, mis. 9/1/2024 atau 9 Januari 2024", "date, e.g. 9/1/2024 (day first)"),
    Kind.datetime: ("tanggal dan jam, mis. 9/1/2024 10:27 (WIB)", "date and time, e.g. 9/1/2024 10:27"),
    Kind.bool: ("ya / tidak", "yes / no"),
    Kind.int: ("bilangan bulat, mis. 12", "whole number, e.g. 12"),
    Kind.number: ("angka, mis. 3,45", "number, e.g. 3,45"),
    Kind.rupiah: ("rupiah, mis. Rp 10.000", "Rupiah amount, e.g. Rp 10.000"),
    Kind.biaya: ("Gratis / Rp 10.000,- / sesuai Perda No. .. Tahun ..", "free, an amount, or a regulation"),
    Kind.jangka_waktu: ("mis. 3 (tiga) hari kerja, 30 menit", "e.g. 3 working days, 30 minutes"),
    Kind.list: ("satu butir per baris (1. … 2. …) atau dipisah titik koma", "one item per line or ';'"),
    Kind.peraturan_list: (
        "satu peraturan per baris, mis. UU No. 24 Tahun 2013",
        "one regulation per line, e.g. UU No. 24 Tahun 2013",
    ),
    Kind.enum: ("pilih dari daftar", "choose from the list"),
}


#: How the text of a cell of each kind is read (:mod:`layanan_rules.model.parsing`); ``None``: kept as text.
#: The converter can use it to read e.g. ``pengaduan.ganti_rugi`` ("Rp 1.500.000,-") as Rupiah.
KIND_PARSERS: dict[Kind, Any] = {
    Kind.text: None,
    Kind.enum: None,
    Kind.date: parsing.parse_date,
    Kind.datetime: parsing.parse_datetime,
    Kind.bool: parsing.parse_bool,
    Kind.int: parsing.parse_number,
    Kind.number: parsing.parse_number,
    Kind.rupiah: parsing.parse_rupiah,
    Kind.biaya: parsing.parse_biaya,
    Kind.jangka_waktu: parsing.parse_jangka_waktu,
    Kind.list: parsing.parse_list,
    Kind.peraturan_list: parsing.parse_peraturan_list,
}


@attrs.frozen
class Column:
    """One spreadsheet column of an entity: a leaf path of the model and how people name it."""

    entity: str
    path: str
    label: str  # the Indonesian header the template writes
    label_en: str
    kind: Kind
    pasal: str | None = None  # the article it serves, e.g. "Pasal 21 huruf a"
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    personal: bool = False
    required: bool = False

    @property
    def hint(self) -> str:
        """Bilingual format hint (what to type in the cell)."""
        hint_id, hint_en = KIND_HINTS[self.kind]
        if self.choices:
            hint_id = f"{hint_id}: {', '.join(self.choices)}"
            hint_en = f"{hint_en}: {', '.join(self.choices)}"
        return f"{hint_id} / {hint_en}"


#: entity -> (Indonesian label, English label, synonyms for sheet/table names)
ENTITY_LABELS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "penyelenggara": ("Penyelenggara", "Provider", ("Instansi", "Penyelenggara Pelayanan", "Pemda")),
    "unit": ("Unit", "Unit", ("Unit Kerja", "Unit Layanan", "Unit Pelayanan", "Satuan Kerja", "Satker",
                              "OPD", "Organisasi Penyelenggara", "Perangkat Daerah")),
    "layanan": ("Layanan", "Service", ("Jenis Layanan", "Jenis Pelayanan", "Pelayanan", "Standar Pelayanan",
                                       "Services", "Daftar Layanan", "Izin", "Jenis Izin")),
    "pengaduan": ("Pengaduan", "Complaint", ("Keluhan", "Laporan", "Aduan", "Complaints", "Pengaduan Masyarakat")),
    "pelaksana": ("Pelaksana", "Staff", ("Pegawai", "Petugas", "SDM", "Staff", "Pelaksana Pelayanan")),
    "sarana": ("Sarana", "Facility", ("Sarana Prasarana", "Sarana dan Prasarana", "Fasilitas", "Sarpras",
                                      "Facilities")),
    "survei_kepuasan": ("Survei Kepuasan", "Satisfaction survey", ("SKM", "IKM", "Survei Kepuasan Masyarakat",
                                                                   "Survey Kepuasan", "Indeks Kepuasan")),
    "maklumat": ("Maklumat", "Service pledge", ("Maklumat Pelayanan", "Janji Layanan")),
    "sistem_informasi": ("Sistem Informasi", "Information system", ("SIPP", "Sistem Informasi Pelayanan",
                                                                    "Sistem Informasi Pelayanan Publik")),
    "kerja_sama": ("Kerja Sama", "Cooperation", ("Kerjasama", "Perjanjian Kerja Sama", "PKS")),
    "permohonan": ("Permohonan", "Application", ("Permohonan Layanan", "Transaksi", "Transaksi Layanan", "Berkas",
                                                 "Registrasi Layanan", "Applications", "Permohonan Izin",
                                                 "Register Permohonan", "Berkas Masuk")),
    "panggilan": ("Panggilan", "Summons", ("Panggilan Pejabat", "Surat Panggilan", "Summons")),
}

_P21 = "Pasal 21 huruf "
_PP96 = "PP 96/2012"

#: path -> (label, English label, Pasal, aliases). A path missing here gets a label made from its
#: name. Entity-specific rows are keyed "entity:path" and win over the plain path.
_LABELS: dict[str, tuple[str, str, str | None, tuple[str, ...]]] = {
    "nama": ("Nama", "Name", None, ()),
    "aktif": ("Aktif", "Active", None, ("Status Aktif", "Status")),
    "dibiayai_negara": ("Dibiayai Negara", "Funded by the state", "Pasal 31 ayat (2)",
                        ("Dibiayai APBN/APBD", "Dibiayai APBN APBD")),
    "standar.dasar_hukum": ("Dasar Hukum", "Legal basis", _P21 + "a",
                            ("Landasan Hukum", "Dasar Hukum Layanan", "Dasar Hukum Pelayanan", "Legal Basis")),
    "standar.persyaratan": ("Persyaratan", "Requirements", _P21 + "b",
                            ("Persyaratan Pelayanan", "Syarat", "Syarat Syarat", "Persyaratan Layanan",
                             "Requirements")),
    "standar.prosedur": ("Sistem, Mekanisme dan Prosedur", "System, mechanism and procedure", _P21 + "c",
                         ("Prosedur", "Mekanisme", "Mekanisme Pelayanan", "Prosedur Pelayanan", "Alur",
                          "Alur Pelayanan", "Sistem Mekanisme Prosedur", "Mekanisme dan Prosedur", "SOP",
                          "Procedure")),
    "standar.jangka_waktu": ("Jangka Waktu Penyelesaian", "Completion time", _P21 + "d",
                             ("Jangka Waktu", "Waktu Pelayanan", "Waktu Penyelesaian", "Jangka Waktu Pelayanan",
                              "Lama Proses", "Lama Penyelesaian", "Durasi", "Waktu", "Completion Time")),
    "standar.biaya": ("Biaya/Tarif", "Fee/tariff", _P21 + "e",
                      ("Biaya", "Tarif", "Biaya Tarif", "Biaya dan Tarif", "Retribusi", "Biaya Pelayanan",
                       "Biaya Layanan", "Fee")),
    "standar.produk": ("Produk Pelayanan", "Service product", _P21 + "f",
                       ("Produk", "Produk Layanan", "Hasil Pelayanan", "Output", "Product")),
    "standar.sarana": ("Sarana, Prasarana dan/atau Fasilitas", "Facilities", _P21 + "g",
                       ("Sarana Prasarana", "Sarana dan Prasarana", "Sarana Prasarana Fasilitas", "Fasilitas",
                        "Sarana", "Sarana atau Fasilitas", "Sarana dan Fasilitas", "Prasarana")),
    "standar.kompetensi_pelaksana": ("Kompetensi Pelaksana", "Staff competence", _P21 + "h", ("Kompetensi",)),
    "standar.pengawasan_internal": ("Pengawasan Internal", "Internal supervision", _P21 + "i",
                                    ("Pengawasan",)),
    "standar.penanganan_pengaduan": ("Penanganan Pengaduan, Saran dan Masukan",
                                     "Handling of complaints, suggestions and input", _P21 + "j",
                                     ("Penanganan Pengaduan", "Pengaduan Saran dan Masukan",
                                      "Penanganan Pengaduan Saran Masukan")),
    "standar.jumlah_pelaksana": ("Jumlah Pelaksana", "Number of staff", _P21 + "k", ("Jumlah Petugas",)),
    "standar.jaminan_pelayanan": ("Jaminan Pelayanan", "Service guarantee", _P21 + "l", ()),
    "standar.jaminan_keamanan": ("Jaminan Keamanan dan Keselamatan Pelayanan",
                                 "Security and safety guarantee", _P21 + "m",
                                 ("Jaminan Keamanan", "Jaminan Keamanan dan Keselamatan",
                                  "Jaminan Keselamatan")),
    "standar.evaluasi_kinerja": ("Evaluasi Kinerja Pelaksana", "Staff performance evaluation", _P21 + "n",
                                 ("Evaluasi Kinerja",)),
    "standar.nomor_penetapan": ("Nomor Penetapan Standar", "Number of the decree setting the standard",
                                "Pasal 20 ayat (1)", ("Nomor Penetapan", "Nomor SK", "Nomor SK Standar", "SK Penetapan",
                                                      "Nomor SK Penetapan", "Keputusan Penetapan", "Dasar Penetapan")),
    "standar.berita_acara_pada": ("Tanggal Berita Acara", "Date of the minutes (participation)",
                                  f"Pasal 20 ayat (2); {_PP96}", ()),
    "standar.rancangan_dipublikasikan_pada": ("Tanggal Publikasi Rancangan", "Draft published on",
                                              f"Pasal 20 ayat (2); {_PP96}", ()),
    "standar.tanggapan_ditutup_pada": ("Tanggal Penutupan Tanggapan", "Comments closed on",
                                       f"Pasal 20 ayat (2); {_PP96}", ()),
    "standar.ditetapkan_pada": ("Tanggal Penetapan Standar", "Standard set on", "Pasal 20 ayat (1)",
                                ("Tanggal Penetapan", "Tanggal SK", "Tahun Penetapan", "Tahun SK")),
    "standar.ditetapkan_presisi": ("Presisi Tanggal Penetapan", "Precision of the adoption date", None, ()),
    "standar.tenggat_pengaduan": ("Jangka Waktu Penanganan Pengaduan", "Complaint handling time", "Pasal 21 huruf j",
                                  ("Waktu Penanganan Pengaduan", "Tenggat Pengaduan", "Janji Penanganan Pengaduan",
                                   "Jangka Waktu Penyelesaian Pengaduan")),
    "standar.dipublikasikan_pada": ("Tanggal Publikasi Standar", "Standard published on", "Pasal 15 huruf a",
                                    ("Tanggal Publikasi",)),
    "standar.dievaluasi_pada": ("Tanggal Evaluasi Standar", "Standard evaluated on", _PP96,
                                ("Tanggal Evaluasi",)),
    "standar.ditinjau_pada": ("Tanggal Peninjauan Standar", "Standard reviewed on", _PP96,
                              ("Tanggal Peninjauan", "Tanggal Review")),
    # pengaduan
    "kanal": ("Kanal Pengaduan", "Channel", "Pasal 36 ayat (1)", ("Kanal", "Media Pengaduan", "Saluran",
                                                                  "Sumber")),
    "pengaduan:status": ("Status", "Status", None, ("Status Pengaduan", "Status Laporan")),
    "pengaduan:kelas": ("Kelas Pengaduan", "Complaint class", None, ("Klasifikasi Pengaduan", "Tingkat Pengaduan",
                                                                    "Bobot Pengaduan", "Kelas")),
    "permohonan:kategori": ("Kategori Permohonan", "Application category", None,
                            ("Kategori", "Jenis Permohonan", "Kanal Permohonan", "Jenis Pemohon")),
    "pelayanan_diterima_pada": ("Tanggal Pelayanan Diterima", "Service received on", "Pasal 42 ayat (2)",
                                ("Tanggal Pelayanan",)),
    "diajukan_pada": ("Tanggal Diajukan", "Filed on", "Pasal 42", ("Tanggal Pengaduan", "Tanggal Laporan",
                                                                    "Tanggal Pengajuan")),
    "diterima_pada": ("Tanggal Diterima", "Received on", "Pasal 44 ayat (3)",
                      ("Tanggal Masuk", "Tanggal Laporan Masuk", "Diterima", "Tanggal Terima")),
    "tanda_terima_pada": ("Tanggal Tanda Terima", "Receipt issued on", "Pasal 44 ayat (1)", ()),
    "ditanggapi_pada": ("Tanggal Ditanggapi", "First response on", "Pasal 44 ayat (3)",
                        ("Tanggal Tanggapan", "Tanggal Respon", "Ditanggapi")),
    "materi_lengkap": ("Materi Lengkap", "Complaint file complete", "Pasal 44 ayat (3)", ()),
    "dilengkapi_pada": ("Tanggal Dilengkapi", "Completed by complainant on", "Pasal 44 ayat (4)", ()),
    "diputuskan_pada": ("Tanggal Diputuskan", "Decided on", "Pasal 50 ayat (1)", ("Tanggal Keputusan",)),
    "putusan_disampaikan_pada": ("Tanggal Putusan Disampaikan", "Decision delivered on", "Pasal 50 ayat (2)",
                                 ()),
    "pengaduan:selesai_pada": ("Tanggal Selesai", "Closed on", "Pasal 50",
                               ("Tanggal Ditutup", "Tanggal Laporan Ditutup", "Selesai", "Tanggal Penyelesaian")),
    "dirahasiakan": ("Identitas Dirahasiakan", "Identity kept confidential", "Pasal 42 ayat (5)",
                     ("Dirahasiakan", "Rahasia")),
    "tuntutan_ganti_rugi": ("Tuntutan Ganti Rugi", "Compensation claimed", "Pasal 42 ayat (4)", ()),
    "ganti_rugi": ("Ganti Rugi", "Compensation paid", "Pasal 50 ayat (7)", ("Nilai Ganti Rugi",)),
    "biaya_dipungut": ("Biaya Dipungut", "Fee charged for handling", "Pasal 42", ()),
    "nama_pengadu": ("Nama Pengadu", "Complainant name", None, ("Nama Pelapor",)),
    "nik_pengadu": ("NIK Pengadu", "Complainant ID number", None, ("NIK", "NIK Pelapor")),
    "telepon_pengadu": ("Telepon Pengadu", "Complainant phone", None, ("No HP", "Telepon", "No Telepon")),
    "email_pengadu": ("Email Pengadu", "Complainant e-mail", None, ("Email", "E-mail")),
    "alamat_pengadu": ("Alamat Pengadu", "Complainant address", None, ("Alamat Pelapor",)),
    "uraian": ("Uraian Pengaduan", "Complaint text", None, ("Uraian", "Isi Pengaduan", "Isi Laporan",
                                                            "Isi Aduan")),
    # pelaksana
    "indikator_evaluasi": ("Indikator Evaluasi", "Evaluation indicators", "Pasal 10 ayat (3)", ("Indikator Kinerja",)),
    "seleksi_promosi_pada": ("Tanggal Seleksi/Promosi", "Selected or promoted on", "Pasal 11 ayat (1)",
                             ("Tanggal Promosi", "Tanggal Seleksi")),
    "seleksi_diumumkan_pada": ("Tanggal Pengumuman Seleksi", "Selection announced on", "Pasal 11 ayat (1)",
                               ("Tanggal Pengumuman",)),
    "kriteria_seleksi": ("Kriteria Seleksi", "Selection criteria", "Pasal 11 ayat (1)", ("Kriteria",)),
    "berprestasi": ("Berprestasi", "Outstanding performance", "Pasal 11 ayat (2)", ("Prestasi",)),
    "penghargaan_pada": ("Tanggal Penghargaan", "Rewarded on", "Pasal 11 ayat (2)", ("Penghargaan",)),
    "pelanggaran_internal_pada": ("Tanggal Pelanggaran Ketentuan Internal", "Internal-rule breach on",
                                  "Pasal 11 ayat (3)", ("Tanggal Pelanggaran",)),
    "hukuman_pada": ("Tanggal Hukuman", "Punished on", "Pasal 11 ayat (3)", ("Hukuman Disiplin",)),
    "layanan_ditugaskan": ("Layanan yang Ditugaskan", "Services assigned", "Pasal 16 huruf a",
                           ("Penugasan", "Tugas Layanan")),
    "bertanggung_jawab": ("Pelaksana Bertanggung Jawab", "Responsible officer", "Pasal 16 huruf e", ()),
    "laporan_kinerja_pada": ("Tanggal Laporan Keuangan dan Kinerja", "Financial and performance report on",
                             "Pasal 16 huruf e", ("Tanggal Laporan Kinerja",)),
    "berhenti_pada": ("Tanggal Berhenti", "Left the post on", "Pasal 16 huruf d", ("Tanggal Mengundurkan Diri",)),
    "pertanggungjawaban_pada": ("Tanggal Serah Terima/Pertanggungjawaban", "Hand-over on", "Pasal 16 huruf d",
                                ("Tanggal Serah Terima", "Memori Serah Terima")),
    "merangkap_pengurus_usaha": ("Merangkap Komisaris/Pengurus Usaha", "Also a company commissioner or manager",
                                 "Pasal 17 huruf a", ("Rangkap Jabatan",)),
    "meninggalkan_tugas": ("Meninggalkan Tugas Tanpa Alasan Sah", "Left duties without lawful reason",
                           "Pasal 17 huruf b", ()),
    "persetujuan_penempatan": ("Nomor Persetujuan Penempatan", "Placement approval number", "Pasal 17 huruf c",
                               ("SK Penempatan", "Nomor SK Penempatan")),
    "jabatan": ("Jabatan", "Position", None, ()),
    "kompetensi": ("Kompetensi", "Competences", "Pasal 21 huruf h", ("Sertifikat Kompetensi",)),
    "pelaksana:dievaluasi_pada": ("Tanggal Evaluasi Terakhir", "Last evaluated on", "Pasal 10 ayat (1)",
                                  ("Tanggal Evaluasi",)),
    "interval_evaluasi_bulan": ("Interval Evaluasi (bulan)", "Evaluation interval (months)",
                                "Penjelasan Pasal 10 ayat (1)", ("Interval Evaluasi",)),
    # sarana
    "sarana:jenis": ("Jenis Sarana", "Kind of facility", "Pasal 25", ("Jenis",)),
    "kelompok_rentan": ("Kelompok Rentan", "Vulnerable groups served", "Pasal 29",
                        ("Untuk Kelompok Rentan", "Sasaran Kelompok Rentan")),
    "berfungsi": ("Berfungsi", "Working", "Pasal 28", ("Kondisi", "Berfungsi Baik")),
    "perbaikan_mulai_pada": ("Tanggal Mulai Perbaikan", "Repair started on", "Pasal 28", ()),
    "pengumuman_perbaikan_pada": ("Tanggal Pengumuman Perbaikan", "Repair announced on", "Pasal 28", ()),
    "digunakan_pihak_lain": ("Digunakan Pihak Lain", "Used by others", "Pasal 26", ()),
    "sesuai_peruntukan": ("Sesuai Peruntukan", "Used as intended", "Pasal 26", ()),
    "digunakan_tidak_berhak": ("Digunakan Orang Tidak Berhak", "Used by people not entitled", "Pasal 29 ayat (2)", ()),
    # survei kepuasan
    "tahun": ("Tahun", "Year", None, ("Periode",)),
    "dilaksanakan_pada": ("Tanggal Pelaksanaan", "Conducted on", "Pasal 39 ayat (2)",
                          ("Tanggal Survei", "Tanggal Pelaksanaan Survei")),
    "jumlah_responden": ("Jumlah Responden", "Respondents", None, ("Responden",)),
    "populasi": ("Populasi", "Population (service users in the period)", None,
                 ("Jumlah Populasi", "Populasi Pengguna Layanan", "Jumlah Pengguna Layanan")),
    "u1_persyaratan": ("U1 Persyaratan", "U1 requirements", None, ("U1", "P1", "Unsur 1", "Unsur U1", "Persyaratan")),
    "u2_prosedur": ("U2 Prosedur", "U2 procedure", None, ("U2", "P2", "Unsur 2", "Unsur U2", "Sistem Mekanisme dan Prosedur")),
    "u3_waktu": ("U3 Waktu Pelayanan", "U3 service time", None, ("U3", "U3 Waktu", "P3", "Unsur 3", "Unsur U3", "Waktu Penyelesaian")),
    "u4_biaya": ("U4 Biaya/Tarif", "U4 fee", None, ("U4", "U4 Biaya", "P4", "Unsur 4", "Unsur U4", "Biaya/Tarif")),
    "u5_produk": ("U5 Produk", "U5 product", None, ("U5", "U5 Produk Pelayanan", "P5", "Unsur 5", "Unsur U5", "Produk Spesifikasi Jenis Pelayanan")),
    "u6_kompetensi": ("U6 Kompetensi Pelaksana", "U6 staff competence", None, ("U6", "U6 Kompetensi", "P6", "Unsur 6", "Unsur U6", "Kompetensi Pelaksana")),
    "u7_perilaku": ("U7 Perilaku Pelaksana", "U7 staff behaviour", None, ("U7", "U7 Perilaku", "P7", "Unsur 7", "Unsur U7", "Perilaku Pelaksana")),
    "u8_pengaduan": ("U8 Penanganan Pengaduan", "U8 complaint handling", None, ("U8", "U8 Pengaduan", "P8", "Unsur 8", "Unsur U8", "Penanganan Pengaduan Saran dan Masukan")),
    "u9_sarana": ("U9 Sarana dan Prasarana", "U9 facilities", None, ("U9", "U9 Sarana", "P9", "Unsur 9", "Unsur U9", "Sarana dan Prasarana")),
    "ikm": ("Nilai IKM", "Satisfaction index (IKM)", None, ("IKM", "Indeks Kepuasan Masyarakat", "Nilai SKM")),
    # maklumat
    "maklumat:teks": ("Teks Maklumat", "Pledge text", "Pasal 22 ayat (1)", ("Isi Maklumat", "Maklumat")),
    "maklumat:ditetapkan_pada": ("Tanggal Ditetapkan", "Declared on", "Pasal 22", ("Tanggal Penetapan",)),
    "maklumat:dipublikasikan_pada": ("Tanggal Dipublikasikan", "Published on", "Pasal 22 ayat (2)",
                                     ("Tanggal Publikasi",)),
    "media": ("Media Publikasi", "Where published", "Pasal 22 ayat (2)", ("Media",)),
    # sistem informasi
    "url": ("Alamat Situs (URL)", "URL", "Pasal 23", ("URL", "Situs Web", "Website", "Alamat Website")),
    "elektronik": ("Elektronik", "Electronic", "Pasal 23 ayat (3)", ()),
    "sistem_informasi:profil_penyelenggara": ("Memuat Profil Penyelenggara", "Has provider profile",
                                              "Pasal 23 ayat (4) huruf a", ("Profil Penyelenggara",)),
    "sistem_informasi:profil_pelaksana": ("Memuat Profil Pelaksana", "Has staff profile",
                                          "Pasal 23 ayat (4) huruf b", ("Profil Pelaksana",)),
    "sistem_informasi:standar_pelayanan": ("Memuat Standar Pelayanan", "Has service standards",
                                           "Pasal 23 ayat (4) huruf c", ("Standar Pelayanan",)),
    "sistem_informasi:maklumat_pelayanan": ("Memuat Maklumat Pelayanan", "Has service pledge",
                                            "Pasal 23 ayat (4) huruf d", ("Maklumat Pelayanan",)),
    "sistem_informasi:pengelolaan_pengaduan": ("Memuat Pengelolaan Pengaduan", "Has complaint handling",
                                               "Pasal 23 ayat (4) huruf e", ("Pengelolaan Pengaduan",)),
    "sistem_informasi:penilaian_kinerja": ("Memuat Penilaian Kinerja", "Has performance assessment",
                                           "Pasal 23 ayat (4) huruf f", ("Penilaian Kinerja",)),
    "terbuka": ("Terbuka Tanpa Login/Biaya", "Open without login or fee", "Pasal 23 ayat (5)", ("Terbuka",)),
    "format": ("Format Informasi", "Formats", "Pasal 1 angka 9", ("Format",)),
    # kerja sama
    "mitra": ("Mitra", "Partner", "Pasal 12", ("Nama Mitra",)),
    "kerja_sama:jenis": ("Jenis Kerja Sama", "Kind of cooperation", "Pasal 12-13", ("Jenis",)),
    "nomor_perjanjian": ("Nomor Perjanjian", "Agreement number", "Pasal 13", ("Nomor PKS",)),
    "mulai_pada": ("Tanggal Mulai", "Starts on", None, ("Mulai",)),
    "kerja_sama:selesai_pada": ("Tanggal Berakhir", "Ends on", None, ("Tanggal Selesai", "Berakhir")),
    "berdasarkan_standar": ("Berdasarkan Standar Pelayanan", "Based on the service standard",
                            "Pasal 13 ayat (1) huruf a", ()),
    "diinformasikan": ("Diinformasikan kepada Masyarakat", "Made public", "Pasal 13 ayat (1) huruf b", ()),
    "identitas_dicantumkan": ("Identitas Mitra Dicantumkan", "Partner identity shown",
                              "Pasal 13 ayat (1) huruf d", ()),
    "alamat_pengaduan_dicantumkan": ("Alamat Pengaduan Dicantumkan", "Complaint address shown",
                                     "Pasal 13 ayat (1) huruf e", ()),
    "mitra_berbadan_hukum_indonesia": ("Mitra Berbadan Hukum Indonesia", "Partner is an Indonesian legal entity",
                                       "Pasal 13 ayat (2)", ()),
    "menambah_beban": ("Menambah Beban Masyarakat", "Adds a burden on the public", "Pasal 13 ayat (3)", ()),
    "diulang": ("Kerja Sama Diulang", "Repeated cooperation", "Pasal 13 ayat (5)", ()),
    "persetujuan_penyelenggara": ("Nomor Persetujuan Penyelenggara", "Provider's approval number", "Pasal 17 huruf d",
                                  ("Persetujuan Penyelenggara",)),
    "keadaan_darurat_ditetapkan": ("Keadaan Darurat Ditetapkan", "Emergency declared", "Pasal 12 ayat (4)", ()),
    "sesuai_tugas_fungsi": ("Sesuai Tugas dan Fungsi", "Within tasks and functions", "Pasal 12 ayat (4)", ()),
    "dipenuhi": ("Dipenuhi", "Met", "Pasal 12 ayat (4); Pasal 15 huruf l", ("Dihadiri",)),
    # unit
    "dibentuk_pada": ("Tanggal Pembentukan", "Established on", "Pasal 8", ()),
    "fungsi.pelaksanaan_pelayanan": ("Fungsi Pelaksanaan Pelayanan", "Function: service delivery",
                                     "Pasal 8 ayat (2) huruf a", ("Pelaksanaan Pelayanan",)),
    "fungsi.pengelolaan_pengaduan": ("Fungsi Pengelolaan Pengaduan", "Function: complaint handling",
                                     "Pasal 8 ayat (2) huruf b", ("Pengelolaan Pengaduan",)),
    "fungsi.pengelolaan_informasi": ("Fungsi Pengelolaan Informasi", "Function: information management",
                                     "Pasal 8 ayat (2) huruf c", ("Pengelolaan Informasi",)),
    "fungsi.pengawasan_internal": ("Fungsi Pengawasan Internal", "Function: internal supervision",
                                   "Pasal 8 ayat (2) huruf d", ("Pengawasan Internal",)),
    "fungsi.penyuluhan": ("Fungsi Penyuluhan", "Function: public outreach", "Pasal 8 ayat (2) huruf e",
                          ("Penyuluhan",)),
    "fungsi.pelayanan_konsultasi": ("Fungsi Pelayanan Konsultasi", "Function: consultation",
                                    "Pasal 8 ayat (2) huruf f", ("Pelayanan Konsultasi", "Konsultasi")),
    "pengelola_pengaduan": ("Pengelola Pengaduan", "Complaint officer or team", "Pasal 36 ayat (4)",
                            ("Petugas Pengaduan", "Tim Pengaduan")),
    "alamat_pengaduan": ("Alamat Pengaduan", "Where to complain", "Pasal 36",
                         ("Kontak Pengaduan", "Saluran Pengaduan")),
    "materi_mekanisme_pengaduan": ("Materi Mekanisme Pengaduan (huruf a-j)", "Complaint SOP covers (letters a-j)",
                                   "Pasal 37 ayat (3)", ("Materi SOP Pengaduan",)),
    "unit:pimpinan": ("Pimpinan Unit", "Head of the unit", "Pasal 15 huruf j", ("Kepala Unit", "Pimpinan", "Kepala")),
    "struktur_organisasi_ditetapkan_pada": ("Tanggal Penetapan Struktur Organisasi", "Organisation structure adopted on",
                                            "Pasal 15 huruf j", ("Tanggal Struktur Organisasi",)),
    "laporan_pertanggungjawaban_pada": ("Tanggal Laporan Pertanggungjawaban", "Accountability report on",
                                        "Pasal 15 huruf h", ("Tanggal LPJ",)),
    "laporan_sarana_pada": ("Tanggal Laporan Kondisi Sarana", "Facility condition report on", "Pasal 25 ayat (2)", ()),
    "daftar_kebutuhan_sarana_pada": ("Tanggal Daftar Kebutuhan Sarana", "Facility needs list on", "Pasal 25 ayat (3)",
                                     ()),
    "pengawasan_internal_pada": ("Tanggal Pengawasan Internal", "Internal supervision on", "Pasal 35 ayat (2)",
                                 ("Tanggal Audit Internal",)),
    # penyelenggara
    "penyelenggara:jenis": ("Jenis Penyelenggara", "Kind of provider", "Pasal 1 angka 2", ("Jenis",)),
    "pembina": ("Pembina", "Supervising official", "Pasal 6", ()),
    "penanggung_jawab": ("Penanggung Jawab", "Person in charge", "Pasal 7", ("Penanggungjawab",)),
    "pimpinan": ("Pimpinan", "Head", None, ("Kepala", "Nama Pimpinan", "Kepala Dinas")),
    "wilayah": ("Wilayah", "Region", None, ("Daerah", "Kabupaten/Kota", "Provinsi")),
    "laporan_pembina_pada": ("Tanggal Laporan Pembina", "Pembina's report on", "Pasal 6 ayat (4)-(6)", ()),
    "laporan_penanggung_jawab_pada": ("Tanggal Laporan Penanggung Jawab", "Person in charge's report on",
                                      "Pasal 7 ayat (2)", ()),
    "saham_dipindahtangankan": ("Saham Dipindahtangankan", "Shares transferred", "Pasal 27 ayat (1)", ()),
    "anggaran_peningkatan_kualitas": ("Anggaran Peningkatan Kualitas", "Quality-improvement budget",
                                      "Pasal 33 ayat (2)", ()),
    "anggaran_dialihkan": ("Anggaran Pelayanan Dialihkan", "Service budget diverted", "Pasal 33 ayat (3)", ()),
    # layanan
    "layanan:mulai_pada": ("Tanggal Mulai Layanan", "Service started on", "PP 96/2012 Pasal 50 ayat (2)",
                           ("Mulai Layanan", "Tanggal Layanan Dibuka")),
    "berjenjang": ("Pelayanan Berjenjang", "Tiered service", "Pasal 30", ("Berjenjang",)),
    "kajian_berjenjang_pada": ("Tanggal Kajian Pelayanan Berjenjang", "Tiered-service study on",
                               "PP 96/2012 Pasal 36", ()),
    "kapasitas_total": ("Kapasitas Pelayanan", "Service capacity", "PP 96/2012 Pasal 37", ()),
    "kapasitas_berjenjang": ("Kapasitas Kelas Berjenjang", "Tiered-class capacity", "PP 96/2012 Pasal 37", ()),
    # pengaduan (more)
    "permintaan_penyelesaian": ("Permintaan Penyelesaian", "Resolution requested", "Pasal 42 ayat (3) huruf c", ()),
    "sasaran": ("Sasaran Pengaduan", "Complaint about", "Pasal 40 ayat (3)", ("Teradu Adalah",)),
    "ditujukan_kepada": ("Ditujukan Kepada", "Addressed to", "Pasal 45", ()),
    "diperiksa_pada": ("Tanggal Diperiksa", "Examined on", "Pasal 47 ayat (1)", ("Tanggal Pemeriksaan",)),
    "pemeriksa": ("Pemeriksa", "Examiner", "Pasal 48 ayat (1)", ()),
    "teradu": ("Teradu", "Person complained about", "Pasal 48 ayat (1)", ()),
    "minta_dengar_pendapat_terpisah": ("Minta Dengar Pendapat Terpisah", "Separate hearing requested",
                                       "Pasal 48 ayat (3)", ()),
    "dengar_pendapat_terpisah": ("Dengar Pendapat Terpisah", "Separate hearing held", "Pasal 48 ayat (3)", ()),
    "kerahasiaan_dilanggar": ("Kerahasiaan Dilanggar", "Confidentiality breached", "Pasal 49 ayat (1)", ()),
    "batas_pembayaran_ganti_rugi": ("Batas Pembayaran Ganti Rugi", "Compensation due by", "Pasal 50 ayat (3)", ()),
    "tindak_lanjut": ("Tindak Lanjut", "Follow-up", "Pasal 36 ayat (3)", ("Hasil Tindak Lanjut",)),
    "digugat_pada": ("Tanggal Gugatan/Laporan Pidana", "Lawsuit or criminal report on", "Pasal 52 ayat (2)", ()),
    "keputusan_dilaksanakan": ("Keputusan Dilaksanakan", "Decision carried out", "Pasal 52 ayat (2)", ()),
    "penjelasan_ombudsman_diminta_pada": ("Tanggal Permintaan Penjelasan Ombudsman", "Ombudsman asked for an explanation on",
                                          "UU 37/2008 Pasal 33", ()),
    "penjelasan_ombudsman_pada": ("Tanggal Penjelasan kepada Ombudsman", "Explanation given to the Ombudsman on",
                                  "UU 37/2008 Pasal 33", ()),
    "rekomendasi_ombudsman_pada": ("Tanggal Rekomendasi Ombudsman Diterima", "Ombudsman recommendation received on",
                                   "UU 37/2008 Pasal 38", ()),
    "rekomendasi_dilaksanakan": ("Rekomendasi Dilaksanakan", "Recommendation carried out", "UU 37/2008 Pasal 38", ()),
    "laporan_rekomendasi_pada": ("Tanggal Laporan Pelaksanaan Rekomendasi", "Report on the recommendation on",
                                 "UU 37/2008 Pasal 38 ayat (2)", ()),
    # permohonan
    "permohonan:diajukan_pada": ("Tanggal Permohonan Lengkap", "Complete application received on",
                                 "Pasal 21 huruf d", ("Tanggal Permohonan", "Tanggal Pengajuan", "Tanggal Daftar")),
    "permohonan:selesai_pada": ("Tanggal Selesai", "Completed on", "Pasal 21 huruf d",
                                ("Tanggal Produk Diserahkan", "Tanggal Penyelesaian")),
    "permohonan:biaya_dipungut": ("Biaya Dipungut", "Fee charged", "Pasal 21 huruf e", ("Biaya", "Tarif Dibayar")),
    # panggilan
    "dari": ("Pemanggil", "Summoned by", "Pasal 15 huruf l", ("Instansi Pemanggil",)),
    "panggilan:diterima_pada": ("Tanggal Diterima", "Received on", "Pasal 15 huruf l", ("Tanggal Surat",)),
    "hadir_pada": ("Tanggal Harus Hadir", "Attend on", "Pasal 15 huruf l", ("Tanggal Panggilan",)),
}

#: Per-entity extra synonyms for ``id`` (numbers of complaints are written many ways).
_ID_ALIASES: dict[str, tuple[str, ...]] = {
    "permohonan": ("Nomor Permohonan", "No Permohonan", "Nomor Registrasi", "Nomor Berkas", "Nomor Pendaftaran"),
    "pengaduan": ("Nomor Pengaduan", "No Pengaduan", "Nomor Tiket", "ID Laporan", "Nomor Laporan",
                  "Nomor Registrasi", "Kode Pengaduan"),
    "layanan": ("Kode Layanan", "Kode Izin", "ID Izin"),
    "unit": ("Kode Unit", "Kode Satker", "Kode OPD"),
    "penyelenggara": ("Kode Penyelenggara", "Kode Instansi", "ID Instansi"),
}

_ROW_NUMBER_HEADERS = {"no", "nomor", "no urut", "nomor urut", "nourut", "#"}

#: Fields whose integer is a sum of money (read as Rupiah).
_RUPIAH_FIELDS = {"ganti_rugi", "biaya_dipungut"}

_NESTED_ONE_CELL: dict[type, Kind] = {model.JangkaWaktu: Kind.jangka_waktu, model.Biaya: Kind.biaya}


def normalize(text: str) -> str:
    """Lower case, accents and punctuation removed, ``&`` read as ``dan``, spaces collapsed."""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("&", " dan ").replace("_", " ")
    s = re.sub(r"[^0-9a-z]+", " ", s)
    return " ".join(s.split())


_FILLERS = {"dan", "atau", "yang", "serta"}


def _key(text: str) -> str:
    """Compact matching key: normalised, filler words dropped, no spaces."""
    return "".join(w for w in normalize(text).split() if w not in _FILLERS)


def _label_from_name(name: str) -> str:
    return " ".join(w.capitalize() if w not in ("pada", "dan") else w for w in name.split("_"))


def _unwrap_optional(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _kind_of(tp: Any, name: str) -> tuple[Kind, tuple[str, ...]] | None:
    """The cell kind of a field type, or None for a field no single cell can hold."""
    tp = _unwrap_optional(tp)
    if tp in _NESTED_ONE_CELL:
        return _NESTED_ONE_CELL[tp], ()
    if typing.get_origin(tp) is tuple:
        (item, *_rest) = typing.get_args(tp)
        if item is model.Peraturan:
            return Kind.peraturan_list, ()
        if item is str:
            return Kind.list, ()
        return None  # a list of nested objects (standar.peserta) needs a sheet of its own
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return Kind.enum, tuple(m.value for m in tp)
    if tp is dt.datetime:
        return Kind.datetime, ()
    if tp is dt.date:
        return Kind.date, ()
    if tp is bool:
        return Kind.bool, ()
    if tp is int:
        return (Kind.rupiah if name in _RUPIAH_FIELDS else Kind.int), ()
    if tp is float:
        return Kind.number, ()
    if tp is str:
        return Kind.text, ()
    return None


def _walk(entity: str, cls: type, prefix: str) -> Iterable[Column]:
    attrs.resolve_types(cls, globalns=vars(model))  # nested value classes may still hold strings
    for field in attrs.fields(cls):
        if model.is_relation(field):
            continue
        tp = _unwrap_optional(field.type)
        path = f"{prefix}{field.name}"
        if attrs.has(tp) and tp not in _NESTED_ONE_CELL:
            yield from _walk(entity, tp, f"{path}.")
            continue
        kind = _kind_of(field.type, field.name)
        if kind is None:
            continue
        yield _column(entity, path, kind[0], kind[1], model.is_personal(field))


def _column(entity: str, path: str, kind: Kind, choices: tuple[str, ...], personal: bool) -> Column:
    ent_label, ent_en, _ = ENTITY_LABELS.get(entity, (_label_from_name(entity), entity, ()))
    aliases: tuple[str, ...] = ()
    if path == "id":
        label, label_en, pasal = f"ID {ent_label}", f"{ent_en} ID", None
        aliases = (f"Kode {ent_label}", f"{ent_label} ID", "ID", "Kode", f"No {ent_label}",
                   f"Nomor {ent_label}", f"id {entity}", *_ID_ALIASES.get(entity, ()))
    elif path.endswith("_id") and "." not in path and path[:-3] in ENTITY_LABELS:
        other, other_en, other_syn = ENTITY_LABELS[path[:-3]]
        label, label_en, pasal = f"ID {other}", f"{other_en} ID", None
        aliases = (f"Kode {other}", f"{other} ID", *(f"ID {s}" for s in other_syn),
                   *(f"Kode {s}" for s in other_syn))
    elif path == "nama":
        label, label_en, pasal = f"Nama {ent_label}", f"{ent_en} name", None
        aliases = ("Nama", f"Nama {ent_label} Pelayanan", *(f"Nama {s}" for s in ENTITY_LABELS.get(
            entity, ("", "", ()))[2]))
    else:
        row = _LABELS.get(f"{entity}:{path}") or _LABELS.get(path)
        if row is None:
            leaf = path.rsplit(".", 1)[-1]
            label, label_en, pasal = _label_from_name(leaf), leaf.replace("_", " "), None
        else:
            label, label_en, pasal, aliases = row
    return Column(entity=entity, path=path, label=label, label_en=label_en, kind=kind, pasal=pasal,
                  choices=choices, aliases=tuple(aliases), personal=personal, required=path == "id")


@functools.cache
def columns(entity: str) -> list[Column]:
    """The flat column list of an entity, in model order (relation fields excluded).

    Raises :class:`KeyError` with a bilingual message for an unknown entity.
    """
    cls = model.ENTITIES.get(entity)
    if cls is None:
        raise KeyError(
            f"entitas tidak dikenal: {entity!r} (pilihan: {', '.join(model.ENTITIES)}) / "
            f"unknown entity: {entity!r}"
        )
    return list(_walk(entity, cls, ""))


def column(entity: str, path: str) -> Column:
    """One column by its path; :class:`KeyError` if the entity has no such leaf."""
    for col in columns(entity):
        if col.path == path:
            return col
    raise KeyError(f"{entity}.{path}")


@functools.cache
def _index(entity: str) -> dict[str, str]:
    """Matching key -> path, for every way of naming every column of an entity."""
    cols = columns(entity)
    leaves: dict[str, list[str]] = {}
    for col in cols:
        leaves.setdefault(col.path.rsplit(".", 1)[-1], []).append(col.path)
    index: dict[str, str] = {}
    # strongest names first: a later, weaker name never overrides an earlier one
    for col in cols:
        for name in (col.path, col.path.replace(".", " "), col.label, col.label_en):
            index.setdefault(_key(name), col.path)
    for col in cols:
        leaf = col.path.rsplit(".", 1)[-1]
        if len(leaves[leaf]) == 1:
            index.setdefault(_key(leaf), col.path)
    for col in cols:
        for alias in col.aliases:
            index.setdefault(_key(alias), col.path)
    index.pop("", None)
    return index


def _candidates(header: str) -> list[str]:
    """Ways to read a header: as written, without bracketed notes, without numbering."""
    text = str(header).strip()
    out = [text]
    no_brackets = re.sub(r"\([^)]*\)|\[[^\]]*\]|\*", " ", text).strip()
    out.append(no_brackets)
    for t in (text, no_brackets):
        stripped = re.sub(r"^\s*(?:\d{1,2}|[a-nA-N])\s*[.)]\s+", "", t)
        out.append(stripped)
        out.append(re.sub(r"^\s*(?:komponen\s+)?standar(?:\s+pelayanan)?\s*[:\-–]\s*", "", stripped, flags=re.IGNORECASE))
    return [c for c in dict.fromkeys(out) if c]


#: Words a published header adds or leaves out without changing what it names
#: ("Jangka Waktu Pelayanan", "Biaya Layanan", "Sarana, Prasarana atau Fasilitas Pelayanan").
_GENERIC = {"pelayanan", "layanan", "publik"}

#: Confidence of a header match, by how it was found: what a matching rule may call certain.
CONFIDENT = 0.9


@attrs.frozen
class HeaderMatch:
    """A header matched to a model path, with how sure the match is (1.0 = a name the table
    lists; 0.9 = a known variant, generic words such as "Pelayanan" added or left out, or database
    abbreviations such as ``nm_`` and ``tgl_`` spelt out; 0.8 = one
    letter wrong, missing, extra or swapped; 0.7 = one word missing or extra)."""

    path: str
    confidence: float
    how: str  # name | variant | abbreviation | typo | word
    name: str  # the name it was matched to (a label, alias or path)

    @property
    def certain(self) -> bool:
        return self.confidence >= CONFIDENT


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in normalize(text).split() if w not in _FILLERS and w not in _GENERIC)


@functools.cache
def _names(entity: str) -> list[tuple[str, str]]:
    """(name as written, path) for every way of naming every column of an entity."""
    out: list[tuple[str, str]] = []
    cols = columns(entity)
    leaves: dict[str, list[str]] = {}
    for col in cols:
        leaves.setdefault(col.path.rsplit(".", 1)[-1], []).append(col.path)
    for col in cols:
        leaf = col.path.rsplit(".", 1)[-1]
        names = [col.path, col.path.replace(".", " "), col.label, col.label_en, *col.aliases]
        if len(leaves[leaf]) == 1:
            names.append(leaf)
        out.extend((name, col.path) for name in names)
    return out


@functools.cache
def _loose_index(entity: str) -> dict[frozenset[str], str | None]:
    """Word set (generic words left out) -> path; None where two columns share the set."""
    index: dict[frozenset[str], str | None] = {}
    for name, path in _names(entity):
        key = _words(name)
        if not key or key <= {"no", "nomor", "urut"}:  # "No Layanan" less its generic word is a row number
            continue
        if key in index and index[key] != path:
            index[key] = None
        else:
            index.setdefault(key, path)
    return index


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one letter changed, dropped, added, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


#: The abbreviations of database column names (``nm_dinas``, ``kd_izin``, ``tgl_masuk``): a header
#: written with them is read with the words spelt out, as a variant (certain).
ABBREVIATIONS = {"nm": "nama", "kd": "kode", "tgl": "tanggal", "jml": "jumlah", "ket": "keterangan",
                 "almt": "alamat", "tlp": "telepon", "telp": "telepon", "thn": "tahun", "wkt": "waktu"}


def _expand_abbreviations(header: str) -> str | None:
    """The header with its abbreviations spelt out, or None when it has none."""
    words = normalize(header).split()
    spelt = [ABBREVIATIONS.get(w, w) for w in words]
    return " ".join(spelt) if spelt != words else None


def _unique(hits: list[tuple[str, str]]) -> tuple[str, str] | None:
    paths = {path for path, _name in hits}
    return hits[0] if len(paths) == 1 else None


def match_header_scored(entity: str, header: Any) -> HeaderMatch | None:
    """The model path a column header names, with a confidence; None when nothing fits.

    Beyond :func:`match_header` (exact names and known variants, confidence ≥ 0.9) this also
    takes a header with one letter wrong (``Persyaratn``, 0.8) or one word missing or extra
    (``Penanganan Pengaduan dan Saran``, 0.7) when exactly one column fits. A match below
    :data:`CONFIDENT` should be used and reported, with its cell, so a person can check it.
    """
    if header is None:
        return None
    index = _index(entity)
    candidates = _candidates(str(header))
    for candidate in candidates:
        path = index.get(_key(candidate))
        if path is not None:
            return HeaderMatch(path, 1.0, "name", candidate)
    loose = _loose_index(entity)
    for candidate in candidates:
        variant = loose.get(_words(candidate))
        if variant is not None:
            return HeaderMatch(variant, 0.9, "variant", candidate)
    for candidate in candidates:
        expanded = _expand_abbreviations(candidate)
        if expanded is not None:
            path = index.get(_key(expanded)) or loose.get(_words(expanded))
            if path is not None:
                return HeaderMatch(path, 0.9, "abbreviation", candidate)
    for candidate in candidates:
        compact = _key(candidate)
        if len(compact) < 6:
            continue
        hit = _unique([(path, name) for name, path in _names(entity) if _one_edit(compact, _key(name))])
        if hit:
            return HeaderMatch(hit[0], 0.8, "typo", hit[1])
    for candidate in candidates:
        words = _words(candidate)
        if len(words) < 2:
            continue
        hits = []
        for name, path in _names(entity):
            other = _words(name)
            if len(words & other) >= 2 and len(words ^ other) == 1:
                hits.append((path, name))
        hit = _unique(hits)
        if hit:
            return HeaderMatch(hit[0], 0.7, "word", hit[1])
    return None


def match_header(entity: str, header: Any) -> str | None:
    """The model path a column header names, or None.

    Tolerates case, spaces, punctuation, accents, ``&``/``dan``, bracketed notes
    (``Dasar Hukum (Pasal 21a)``), numbering (``a. Dasar Hukum``), the synonyms inspectors
    write (``Waktu Pelayanan``, ``Biaya/Tarif``, ``ID Unit``) and known variants (generic words
    such as "Pelayanan" added or left out). It never guesses at a misspelling: use
    :func:`match_header_scored` for that (it says how sure it is) or :func:`suggest`.
    """
    found = match_header_scored(entity, header)
    return found.path if found is not None and found.certain else None


def suggest(entity: str, header: Any, cutoff: float = 0.72) -> str | None:
    """The closest column path for a header that did not match ("did you mean"), or None."""
    if header is None:
        return None
    index = _index(entity)
    best: tuple[float, str] | None = None
    for candidate in _candidates(str(header)):
        key = _key(candidate)
        if not key:
            continue
        for hit in difflib.get_close_matches(key, index, n=1, cutoff=cutoff):
            score = difflib.SequenceMatcher(None, key, hit).ratio()
            if best is None or score > best[0]:
                best = (score, index[hit])
    return best[1] if best else None


def is_row_number_header(header: Any) -> bool:
    """Whether a header is a running row number ("No", "No.", "Nomor Urut"), not data."""
    return header is not None and normalize(str(header)) in _ROW_NUMBER_HEADERS


_SHEET_NOISE = {"data", "daftar", "tabel", "table", "sheet", "lembar", "rekap", "master", "list", "form",
                "formulir", "isian"}


def _entity_key(name: str) -> str:
    words = [w for w in normalize(name).split() if w not in _SHEET_NOISE]
    return "".join(w for w in words if w not in _FILLERS)


@functools.cache
def _entity_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for entity, (label, label_en, synonyms) in ENTITY_LABELS.items():
        for name in (entity, label, label_en, *synonyms):
            index.setdefault(_entity_key(name), entity)
    index.pop("", None)
    return index


def match_entity(name: Any) -> str | None:
    """The entity a sheet, file or table name stands for ("Data Pengaduan" → ``pengaduan``)."""
    if name is None:
        return None
    text = re.sub(r"\.(csv|tsv|txt)$", "", str(name).strip(), flags=re.IGNORECASE)
    return _entity_index().get(_entity_key(text))


def suggest_entity(name: Any, cutoff: float = 0.72) -> str | None:
    """The closest entity for a sheet name that did not match, or None."""
    key = _entity_key(str(name))
    hits = difflib.get_close_matches(key, _entity_index(), n=1, cutoff=cutoff) if key else []
    return _entity_index()[hits[0]] if hits else None
