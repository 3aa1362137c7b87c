"""Write examples/dinas-contoh.xlsx: a fictional Dinas Kependudukan dan Pencatatan Sipil of a
fictional Kota Contoh, filled the way an inspector's workbook is really filled.

Some services have a complete standard (Pasal 21 a-n), some miss components; durations and fees
are written the Indonesian way ("3 (tiga) hari kerja", "Rp 5.000,- per lembar", "Tidak dipungut
biaya"), some per case ("Perekaman baru: 1 x 24 jam; Cetak ulang: 3 hari kerja"); the Dinas
publishes its own complaint-handling times by class and the applications it completed; complaints
are answered in time, late, or are still open; one unit has no maklumat; a toilet for wheelchair
users is broken. Dates are a mix of real date cells and text typed by hand.

Run from the repository root (needs the spreadsheet plugin installed):

    python examples/make_example_workbook.py            # writes examples/dinas-contoh.xlsx
    python examples/make_example_workbook.py out.ods    # the same data as LibreOffice .ods
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from layanan_rules_spreadsheet.writer import write_workbook

HERE = Path(__file__).resolve().parent

DASAR_ADMINDUK = "1. UU No. 23 Tahun 2006 tentang Administrasi Kependudukan\n2. UU No. 24 Tahun 2013\n" \
    "3. Perpres No. 96 Tahun 2018"
KOMPETENSI = "Memahami peraturan administrasi kependudukan; mampu mengoperasikan SIAK"
PENGAWASAN = "Dilakukan oleh Kepala Dinas dan Sekretaris secara berjenjang"
PENGADUAN = "SP4N-LAPOR!, WhatsApp 0812-0000-0000, kotak saran di ruang tunggu"
JAMINAN = "Pelayanan diberikan sesuai standar; bila tidak, pemohon dapat mengadu"
KEAMANAN = "Data pemohon dijaga kerahasiaannya sesuai UU 24/2013"
EVALUASI = "Evaluasi kinerja pelaksana setiap 6 bulan"


def d(day: int, month: int, year: int = 2024) -> dt.date:
    return dt.date(year, month, day)


def t(day: int, month: int, hour: int, minute: int = 0, year: int = 2024) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute)


def layanan(
    id_: str, unit: str, nama: str, *, lengkap: bool = True, **standar: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {"id": id_, "unit_id": unit, "nama": nama, "aktif": "ya", "dibiayai_negara": "ya"}
    if lengkap:
        row.update({
            "standar.dasar_hukum": DASAR_ADMINDUK,
            "standar.kompetensi_pelaksana": KOMPETENSI,
            "standar.pengawasan_internal": PENGAWASAN,
            "standar.penanganan_pengaduan": PENGADUAN,
            "standar.jaminan_pelayanan": JAMINAN,
            "standar.jaminan_keamanan": KEAMANAN,
            "standar.evaluasi_kinerja": EVALUASI,
            "standar.sarana": "Loket pelayanan; ruang tunggu ber-AC; komputer dan printer",
            "standar.jumlah_pelaksana": 4,
            "standar.ditetapkan_pada": d(15, 1),
            "standar.dipublikasikan_pada": "22 Januari 2024",
            "standar.nomor_penetapan": "470/015/Disdukcapil/2024",
        })
    row.update({f"standar.{k}": v for k, v in standar.items()})
    return row


ROWS: dict[str, list[dict[str, Any]]] = {
    "penyelenggara": [
        {"id": "P1", "nama": "Pemerintah Kota Contoh", "jenis": "instansi", "pembina": "Wali Kota Contoh",
         "penanggung_jawab": "Sekretaris Daerah Kota Contoh", "pimpinan": "Wali Kota Contoh",
         "wilayah": "Kota Contoh"},
    ],
    "unit": [
        {"id": "U1", "penyelenggara_id": "P1", "nama": "Dinas Kependudukan dan Pencatatan Sipil Kota Contoh",
         "dibentuk_pada": d(3, 1, 2017), "pimpinan": "Kepala Dinas (fiktif)",
         "struktur_organisasi_ditetapkan_pada": d(2, 1, 2017), "laporan_pertanggungjawaban_pada": "20 Desember 2024",
         "pengawasan_internal_pada": d(15, 10), "laporan_sarana_pada": d(1, 7), "daftar_kebutuhan_sarana_pada": d(15, 8), "fungsi.pelaksanaan_pelayanan": "ya", "fungsi.pengelolaan_pengaduan": "ya",
         "fungsi.pengelolaan_informasi": "ya", "fungsi.pengawasan_internal": "ya", "fungsi.penyuluhan": "ya",
         "fungsi.pelayanan_konsultasi": "ya", "pengelola_pengaduan": "Tim Pengelola Pengaduan (SK Kadis 2024)",
         "alamat_pengaduan": "Jl. Merdeka No. 1, Kota Contoh; pengaduan@disdukcapil.contoh.go.id"},
        {"id": "U2", "penyelenggara_id": "P1", "nama": "UPT Disdukcapil Kecamatan Utara",
         "fungsi.pelaksanaan_pelayanan": "ya", "fungsi.pengelolaan_pengaduan": "tidak",
         "fungsi.pengelolaan_informasi": "ya", "fungsi.pengawasan_internal": "tidak", "fungsi.penyuluhan": "tidak",
         "fungsi.pelayanan_konsultasi": "ya"},
        {"id": "U3", "penyelenggara_id": "P1", "nama": "Gerai Disdukcapil Mal Pelayanan Publik Kota Contoh",
         "fungsi.pelaksanaan_pelayanan": "ya", "fungsi.pengelolaan_pengaduan": "ya",
         "fungsi.pengelolaan_informasi": "ya", "fungsi.pengawasan_internal": "ya", "fungsi.penyuluhan": "ya",
         "fungsi.pelayanan_konsultasi": "ya", "pengelola_pengaduan": "Petugas pengaduan MPP",
         "alamat_pengaduan": "Meja pengaduan MPP lantai 1"},
    ],
    "layanan": [
        layanan("L1", "U1", "Penerbitan Kartu Keluarga (KK)",
                persyaratan="1. Surat pengantar RT/RW\n2. Fotokopi buku nikah/akta perkawinan\n3. KK lama",
                prosedur="1. Pemohon mengambil nomor antrean\n2. Petugas memverifikasi berkas\n"
                         "3. KK dicetak dan ditandatangani secara elektronik\n4. KK diserahkan kepada pemohon",
                jangka_waktu="3 (tiga) hari kerja", biaya="Tidak dipungut biaya", produk="Kartu Keluarga",
                tenggat_pengaduan="Ringan: 2 hari kerja; Sedang: 5 hari kerja; Berat: 14 hari kerja"),
        layanan("L2", "U1", "Penerbitan KTP-el",
                persyaratan="1. Telah berusia 17 tahun atau sudah kawin\n2. Fotokopi KK",
                prosedur="1. Perekaman biometrik\n2. Verifikasi data\n3. Pencetakan KTP-el",
                jangka_waktu="Perekaman baru: 1 x 24 jam; Cetak ulang karena rusak atau hilang: 3 hari kerja",
                biaya="Gratis", produk="KTP elektronik"),
        layanan("L3", "U1", "Penerbitan Akta Kelahiran",
                persyaratan="1. Surat keterangan lahir dari dokter/bidan\n2. KK orang tua\n3. KTP-el orang tua",
                prosedur="1. Pengisian formulir F-2.01\n2. Verifikasi\n3. Penerbitan akta",
                jangka_waktu="Paling lama 5 hari kerja", biaya="Rp 0,-", produk="Kutipan Akta Kelahiran"),
        layanan("L4", "U1", "Penerbitan Akta Kematian", lengkap=False,
                persyaratan="1. Surat keterangan kematian\n2. KK almarhum", jangka_waktu="7 hari kerja",
                biaya="Gratis", produk="Kutipan Akta Kematian",
                penanganan_pengaduan=PENGADUAN),  # no legal basis, no supervision, no guarantee
        layanan("L5", "U2", "Surat Keterangan Pindah", lengkap=False,
                dasar_hukum="Permendagri No. 108 Tahun 2019", persyaratan="KK; KTP-el",
                prosedur="Pemohon datang ke loket UPT", jangka_waktu="Maksimal 7 Hari",
                biaya="Tidak dikenakan biaya"),  # no product, working or calendar days unsaid
        layanan("L6", "U2", "Legalisir Dokumen Kependudukan", lengkap=False,
                dasar_hukum="UU No. 24 Tahun 2013", persyaratan="Dokumen asli dan fotokopi",
                prosedur="1. Serahkan dokumen\n2. Petugas membubuhkan legalisir", jangka_waktu="30 Menit",
                biaya="Rp 5.000,- per lembar", produk="Fotokopi dokumen terlegalisir", jumlah_pelaksana=1),
        layanan("L7", "U2", "Kartu Identitas Anak (KIA)", lengkap=False,
                persyaratan="1. Fotokopi akta kelahiran anak\n2. KK orang tua\n3. Pas foto anak (usia ≥ 5 tahun)"),
        layanan("L8", "U3", "Perekaman KTP-el di Mal Pelayanan Publik",
                persyaratan="Fotokopi KK", prosedur="1. Ambil antrean MPP\n2. Perekaman\n3. Cetak di hari yang sama",
                jangka_waktu="Selesai di hari yang sama", biaya="Gratis", produk="KTP elektronik",
                ditetapkan_pada="9 Februari 2024", dipublikasikan_pada=None),
    ],
    "pengaduan": [
        # answered within 14 days
        {"id": "A01", "unit_id": "U1", "layanan_id": "L1", "kanal": "SP4N-LAPOR!", "status": "selesai", "kelas": "ringan",
         "diterima_pada": t(8, 1, 9, 15), "ditanggapi_pada": t(10, 1, 14, 0), "selesai_pada": t(15, 1, 10, 0)},
        {"id": "A02", "unit_id": "U1", "layanan_id": "L2", "kanal": "WhatsApp", "status": "selesai",
         "diterima_pada": "15/01/2024 08:30", "ditanggapi_pada": "16/01/2024 09:00", "selesai_pada": "19/01/2024"},
        {"id": "A03", "unit_id": "U1", "layanan_id": "L3", "kanal": "Loket", "status": "selesai",
         "diterima_pada": t(1, 2, 10, 5), "ditanggapi_pada": t(12, 2, 11, 0), "selesai_pada": t(20, 2, 15, 0)},
        {"id": "A04", "unit_id": "U1", "layanan_id": "L2", "kanal": "SP4N-LAPOR!", "status": "selesai",
         "diterima_pada": "5 Maret 2024 pukul 13.20", "ditanggapi_pada": "7 Maret 2024 pukul 09.00",
         "selesai_pada": "14 Maret 2024"},
        {"id": "A05", "unit_id": "U3", "layanan_id": "L8", "kanal": "Kotak saran", "status": "selesai",
         "diterima_pada": t(2, 4, 9, 0), "ditanggapi_pada": t(4, 4, 9, 0), "selesai_pada": t(4, 4, 12, 0)},
        {"id": "A06", "unit_id": "U1", "layanan_id": "L4", "kanal": "Email", "status": "selesai",
         "diterima_pada": t(22, 4, 8, 0), "ditanggapi_pada": t(30, 4, 8, 0), "selesai_pada": t(6, 5, 8, 0)},
        {"id": "A07", "unit_id": "U3", "layanan_id": "L8", "kanal": "SP4N-LAPOR!", "status": "selesai",
         "diterima_pada": t(13, 5, 14, 40), "ditanggapi_pada": t(14, 5, 8, 10), "selesai_pada": t(17, 5, 9, 0)},
        # answered late (more than 14 days)
        {"id": "A08", "unit_id": "U2", "layanan_id": "L5", "kanal": "Loket", "status": "selesai",
         "diterima_pada": t(3, 6, 10, 0), "ditanggapi_pada": t(28, 6, 10, 0), "selesai_pada": t(5, 7, 10, 0)},
        {"id": "A09", "unit_id": "U2", "layanan_id": "L6", "kanal": "WhatsApp", "status": "selesai",
         "diterima_pada": "10/06/2024 11:00", "ditanggapi_pada": "19/07/2024 15:30", "selesai_pada": "22/07/2024"},
        {"id": "A10", "unit_id": "U1", "layanan_id": "L1", "kanal": "SP4N-LAPOR!", "status": "selesai", "kelas": "berat",
         "diterima_pada": t(1, 7, 9, 0), "ditanggapi_pada": t(26, 7, 9, 0), "selesai_pada": t(2, 8, 9, 0)},
        {"id": "A11", "unit_id": "U2", "layanan_id": "L7", "kanal": "Kotak saran", "status": "selesai",
         "diterima_pada": t(5, 8, 8, 0), "ditanggapi_pada": t(30, 8, 8, 0)},
        # still open
        {"id": "A12", "unit_id": "U2", "layanan_id": "L5", "kanal": "SP4N-LAPOR!", "status": "proses",
         "diterima_pada": t(2, 9, 10, 0)},
        {"id": "A13", "unit_id": "U1", "layanan_id": "L3", "kanal": "Email", "status": "proses",
         "diterima_pada": t(16, 9, 13, 0), "ditanggapi_pada": t(18, 9, 13, 0)},
        {"id": "A14", "unit_id": "U2", "layanan_id": "L6", "kanal": "Loket", "status": "baru",
         "diterima_pada": "1 Oktober 2024 pukul 08.45"},
        {"id": "A15", "unit_id": "U3", "layanan_id": "L8", "kanal": "WhatsApp", "status": "baru",
         "diterima_pada": t(7, 10, 16, 20)},
    ],
    "maklumat": [
        {"id": "M1", "unit_id": "U1", "penyelenggara_id": "P1",
         "teks": "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang "
                 "telah ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan "
                 "perundang-undangan yang berlaku.",
         "ditetapkan_pada": d(15, 1), "dipublikasikan_pada": d(22, 1), "media": "papan pengumuman; situs web"},
        {"id": "M3", "unit_id": "U3", "teks": "Kami siap memberikan pelayanan yang cepat, mudah dan tanpa biaya.",
         "ditetapkan_pada": "9 Februari 2024"},  # never published; U2 has no maklumat at all
    ],
    "sistem_informasi": [
        {"id": "SI1", "penyelenggara_id": "P1", "unit_id": "U1", "url": "https://disdukcapil.contoh.go.id",
         "elektronik": "ya", "profil_penyelenggara": "ya", "profil_pelaksana": "tidak", "standar_pelayanan": "ya",
         "maklumat_pelayanan": "ya", "pengelolaan_pengaduan": "ya", "penilaian_kinerja": "tidak", "terbuka": "ya",
         "format": "latin; gambar"},
    ],
    "sarana": [
        {"id": "S1", "unit_id": "U1", "nama": "Ramp pintu masuk", "jenis": "aksesibilitas",
         "kelompok_rentan": "disabilitas; lansia", "berfungsi": "ya"},
        {"id": "S2", "unit_id": "U1", "nama": "Toilet untuk pengguna kursi roda", "jenis": "toilet",
         "kelompok_rentan": "disabilitas", "berfungsi": "tidak", "perbaikan_mulai_pada": d(2, 9)},
        {"id": "S3", "unit_id": "U1", "nama": "Ruang laktasi", "jenis": "ruang", "kelompok_rentan": "ibu_hamil; anak",
         "berfungsi": "ya"},
        {"id": "S4", "unit_id": "U3", "nama": "Kursi roda", "jenis": "alat bantu", "kelompok_rentan": "disabilitas",
         "berfungsi": "ya"},
    ],
    "pelaksana": [
        {"id": "PL1", "unit_id": "U1", "nama": "Petugas Loket 1 (fiktif)", "jabatan": "Pengadministrasi",
         "kompetensi": "Pelayanan prima; SIAK", "dievaluasi_pada": d(1, 7), "interval_evaluasi_bulan": 6,
         "indikator_evaluasi": "Ketepatan waktu; kepuasan pemohon", "layanan_ditugaskan": "L1; L2; L3",
         "persetujuan_penempatan": "SK Kadis No. 800/5/2023"},
        {"id": "PL2", "unit_id": "U2", "nama": "Petugas Loket 2 (fiktif)", "jabatan": "Pengadministrasi",
         "dievaluasi_pada": d(5, 1, 2022), "interval_evaluasi_bulan": 12, "layanan_ditugaskan": "L5",
         "berhenti_pada": d(31, 12)},  # left without a hand-over; no placement decree on file
    ],
    "permohonan": [
        {"id": "R1", "layanan_id": "L1", "unit_id": "U1", "pelaksana_id": "PL1", "diajukan_pada": t(6, 1, 9, 10, 2025),
         "selesai_pada": t(8, 1, 14, 0, 2025), "biaya_dipungut": "Rp 0"},
        {"id": "R2", "layanan_id": "L1", "unit_id": "U1", "pelaksana_id": "PL1", "diajukan_pada": "13/01/2025 10:00",
         "selesai_pada": "20/01/2025 11:00", "biaya_dipungut": "Rp 0"},  # 3 hari kerja promised: late
        {"id": "R3", "layanan_id": "L2", "unit_id": "U1", "pelaksana_id": "PL1", "kategori": "perekaman baru",
         "diajukan_pada": t(14, 1, 8, 0, 2025), "selesai_pada": t(14, 1, 15, 0, 2025),
         "biaya_dipungut": "Rp 10.000"},  # KTP-el is free: charged anyway
        {"id": "R4", "layanan_id": "L2", "unit_id": "U1", "pelaksana_id": "PL1", "kategori": "cetak ulang",
         "diajukan_pada": t(20, 1, 9, 0, 2025), "selesai_pada": "27/01/2025 10:00",
         "biaya_dipungut": "Rp 0"},  # a reprint: 3 hari kerja promised for that case, 5 taken
    ],
    "panggilan": [
        {"id": "G1", "unit_id": "U1", "dari": "Pengadilan Negeri Kota Contoh", "diterima_pada": d(10, 9),
         "hadir_pada": d(24, 9), "dipenuhi": "ya"},
    ],
    "survei_kepuasan": [
        {"id": "SKM-U1-2024", "unit_id": "U1", "tahun": 2024, "dilaksanakan_pada": d(10, 6),
         "dipublikasikan_pada": d(15, 7), "jumlah_responden": 384, "u1_persyaratan": 3.41, "u2_prosedur": 3.35,
         "u3_waktu": 3.12, "u4_biaya": 3.9, "u5_produk": 3.44, "u6_kompetensi": 3.3, "u7_perilaku": 3.52,
         "u8_pengaduan": 3.05, "u9_sarana": 3.18, "ikm": "84,25"},
        {"id": "SKM-U2-2024", "unit_id": "U2", "tahun": 2024, "dilaksanakan_pada": d(20, 6),
         "jumlah_responden": 96, "ikm": 71.6},  # not published
        {"id": "SKM-U3-2023", "unit_id": "U3", "tahun": 2023, "dilaksanakan_pada": d(14, 11, 2023),
         "dipublikasikan_pada": d(20, 12, 2023), "jumlah_responden": 120, "ikm": 88.1},
    ],
    "kerja_sama": [
        {"id": "KS1", "penyelenggara_id": "P1", "unit_id": "U1", "mitra": "PT Pos Indonesia (Persero)",
         "jenis": "pihak_lain", "nomor_perjanjian": "470/88/PKS/2024", "mulai_pada": d(1, 3), "selesai_pada": d(28, 2, 2025),
         "berdasarkan_standar": "ya", "diinformasikan": "ya", "identitas_dicantumkan": "ya",
         "alamat_pengaduan_dicantumkan": "tidak", "mitra_berbadan_hukum_indonesia": "ya", "menambah_beban": "tidak"},
    ],
}


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else HERE / "dinas-contoh.xlsx"
    write_workbook(out, ROWS, example=False)
    print(f"ditulis / written: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
