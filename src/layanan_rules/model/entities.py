"""The UU 25/2009 world as frozen attrs classes: the one contract between data and rules.

Field names are the law's own Indonesian terms. Every field is optional (``None`` or an empty
tuple) because real data is incomplete; rules decide what is required. Relations (a unit's
layanan, pengaduan, ...) are filled by :class:`layanan_rules.data.dataset.Dataset` from the id
links and are marked ``relation=True`` in their metadata: they are never read from input.

Personal data (names, NIK, phone, e-mail, free text of a complaint) is marked
``personal=True``; reporters mask it unless asked not to.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, TypeVar, dataclass_transform

import attrs

_C = TypeVar("_C", bound=type)


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(attrs.field,))
def frozen(cls: _C) -> _C:
    """The decorator of every model class: frozen, slotted attrs with keyword-only fields and no
    weak-reference slot (see construct.py). ``dataclass_transform`` lets type checkers see the
    fields and ``__init__`` through this wrapper."""
    return attrs.frozen(cls, kw_only=True, weakref_slot=False)


def _rel() -> Any:
    return attrs.field(default=(), metadata={"relation": True}, repr=False)


def _personal() -> Any:
    return attrs.field(default=None, metadata={"personal": True})


class SatuanWaktu(enum.Enum):
    """Unit of a duration as written in a service standard."""

    menit = "menit"
    jam = "jam"
    hari = "hari"
    minggu = "minggu"
    bulan = "bulan"
    tahun = "tahun"


class JenisHari(enum.Enum):
    """Whether days are working days (hari kerja) or calendar days (hari kalender)."""

    kerja = "kerja"
    kalender = "kalender"


class PresisiTanggal(enum.Enum):
    """How much of a date is known: the day, only the month, or only the year."""

    hari = "hari"
    bulan = "bulan"
    tahun = "tahun"


class JenisPenyelenggara(enum.Enum):
    """Legal form of a provider (Pasal 1 angka 2)."""

    instansi = "instansi"
    korporasi = "korporasi"  # BUMN/BUMD
    lembaga_independen = "lembaga_independen"
    badan_hukum_lain = "badan_hukum_lain"


# --- value objects -------------------------------------------------------------------------


@frozen
class Peraturan:
    """One regulation cited as legal basis (Pasal 21 huruf a): as written, plus parsed parts."""

    teks: str
    jenis: str | None = None  # UU, PP, Perpres, Permen, Perda, Perbup, ...
    nomor: str | None = None
    tahun: int | None = None


@frozen
class JangkaWaktu:
    """Completion time (Pasal 21 huruf d): an amount, a unit, and working or calendar days.

    A time that differs by case (applicant group, channel) holds one JangkaWaktu per case in
    ``kasus``, each labelled in ``untuk``; the top level is then the longest case. Rules that
    must hold for every case read ``kasus(...)``.
    """

    jumlah: float | None = None
    satuan: SatuanWaktu | None = None
    jenis_hari: JenisHari | None = None
    teks: str | None = None  # as written, e.g. "3 (tiga) hari kerja"
    untuk: str | None = None  # the case this time is for, as written ("pemohon WNA")
    perpanjangan: JangkaWaktu | None = None  # "dapat diperpanjang 7 hari kerja"
    kasus: tuple[JangkaWaktu, ...] = ()
    tak_terbaca: str | None = None  # the part of the text that was not read (also a data issue)


@frozen
class Biaya:
    """Fee or tariff (Pasal 21 huruf e, Pasal 31): free, or an amount with its legal basis.

    A fee that differs by case ("Umum: Rp 50.000; Peserta BPJS: ditanggung penjamin") holds one
    Biaya per case in ``kasus``, each labelled in ``untuk``; the top level is then free only if
    every case is, and its amount the highest.
    """

    gratis: bool | None = None
    jumlah: int | None = None  # Rupiah
    dasar_hukum: str | None = None
    teks: str | None = None
    untuk: str | None = None
    kasus: tuple[Biaya, ...] = ()
    tak_terbaca: str | None = None


@frozen
class KasusPersyaratan:
    """The requirements for one case ("Bagi WNA: paspor, KITAS")."""

    untuk: str | None = None
    butir: tuple[str, ...] = ()


@frozen
class Peserta:
    """A participant in drafting a standard (Pasal 20(2), PP 96/2012 Pasal 22)."""

    nama: str | None = None
    kategori: str | None = None  # e.g. tokoh masyarakat, akademisi, penyandang disabilitas
    organisasi: str | None = None


@frozen
class Fungsi:
    """The six minimum functions of a provider organisation (Pasal 8 ayat (2) huruf a-f)."""

    pelaksanaan_pelayanan: bool | None = None
    pengelolaan_pengaduan: bool | None = None
    pengelolaan_informasi: bool | None = None
    pengawasan_internal: bool | None = None
    penyuluhan: bool | None = None
    pelayanan_konsultasi: bool | None = None


@frozen
class StandarPelayanan:
    """A service standard: the 14 components of Pasal 21 (a-n) and its PP 96/2012 lifecycle."""

    dasar_hukum: tuple[Peraturan, ...] = ()  # a
    persyaratan: tuple[str, ...] = ()  # b, every item of every case
    persyaratan_kasus: tuple[KasusPersyaratan, ...] = ()  # b, when the items differ by case
    prosedur: tuple[str, ...] = ()  # c sistem, mekanisme, dan prosedur
    jangka_waktu: JangkaWaktu | None = None  # d
    biaya: Biaya | None = None  # e
    produk: tuple[str, ...] = ()  # f
    sarana: tuple[str, ...] = ()  # g
    kompetensi_pelaksana: str | None = None  # h
    pengawasan_internal: str | None = None  # i
    penanganan_pengaduan: str | None = None  # j
    jumlah_pelaksana: int | None = None  # k
    jaminan_pelayanan: str | None = None  # l
    jaminan_keamanan: str | None = None  # m
    evaluasi_kinerja: str | None = None  # n
    # lifecycle, PP 96/2012 Pasal 20-31
    nomor_penetapan: str | None = None
    berita_acara_pada: dt.date | None = None
    rancangan_dipublikasikan_pada: dt.date | None = None
    tanggapan_ditutup_pada: dt.date | None = None
    rancangan_diperbaiki_pada: dt.date | None = None  # PP 96/2012 Pasal 27(3): draft revised
    #: the day adopted; when only the month or year is known (a decree "Nomor 7 Tahun 2020", a cell
    #: "Januari 2021") the last day of that period, with ``ditetapkan_presisi`` saying so
    ditetapkan_pada: dt.date | None = attrs.field(default=None, metadata={"precision": "ditetapkan_presisi"})
    ditetapkan_presisi: PresisiTanggal | None = None
    dipublikasikan_pada: dt.date | None = None
    dievaluasi_pada: dt.date | None = None
    ditinjau_pada: dt.date | None = None
    peserta: tuple[Peserta, ...] = ()
    #: the provider's own published complaint-handling time, tiered by complaint class in
    #: ``kasus`` ("ringan: 2 hari kerja; sedang: 5 hari kerja; berat: 14 hari kerja")
    tenggat_pengaduan: JangkaWaktu | None = None


# --- entities ------------------------------------------------------------------------------


@frozen
class Layanan:
    """A type of public service (jenis pelayanan) offered by a unit, with its standard."""

    id: str
    unit_id: str | None = None
    nama: str | None = None
    aktif: bool | None = None
    mulai_pada: dt.date | None = None  # the day the service was first offered (PP 96/2012 Pasal 50(2) window)
    dibiayai_negara: bool | None = None  # Pasal 31(2)
    # Pasal 30 and PP 96/2012 Pasal 36-37: tiered service (pelayanan berjenjang)
    berjenjang: bool | None = None  # the service offers tiered classes
    kajian_berjenjang_pada: dt.date | None = None  # PP 36(1): date of the study of access and user groups
    kapasitas_total: int | None = None  # PP 37(2): total service capacity (e.g. per day)
    kapasitas_berjenjang: int | None = None  # PP 37(2): the capacity of the tiered classes
    standar: StandarPelayanan | None = None
    pengaduan: tuple[Pengaduan, ...] = _rel()
    permohonan: tuple[Permohonan, ...] = _rel()


@frozen
class Pengaduan:
    """A complaint, with every timestamp of the complaint clock (Pasal 42-50)."""

    id: str
    unit_id: str | None = None
    layanan_id: str | None = None
    kanal: str | None = None
    status: str | None = None
    kelas: str | None = None  # the complaint's class as the provider grades it (ringan, sedang, berat)
    pelayanan_diterima_pada: dt.datetime | None = None  # 42(2) start of the 30-day filing window
    diajukan_pada: dt.datetime | None = None  # filed
    diterima_pada: dt.datetime | None = None  # received by the provider, 44(3) clock starts
    tanda_terima_pada: dt.datetime | None = None  # 44(1) receipt issued
    ditanggapi_pada: dt.datetime | None = None  # 44(3) first response
    materi_lengkap: bool | None = None  # 44(3) response states complete / incomplete
    dilengkapi_pada: dt.datetime | None = None  # 44(4) complainant completed the file
    diputuskan_pada: dt.datetime | None = None  # 50(1) decision
    putusan_disampaikan_pada: dt.datetime | None = None  # 50(2) decision delivered
    selesai_pada: dt.datetime | None = None
    dirahasiakan: bool | None = None  # 42(5)
    tuntutan_ganti_rugi: bool | None = None  # 42(4)
    ganti_rugi: int | None = None  # 50(3) amount in the decision
    biaya_dipungut: int | None = None  # fee charged for handling
    permintaan_dokumen_dipenuhi: bool | None = None  # Pasal 43(2): documents the complainant asked for were given (null = none asked)
    permintaan_penyelesaian: str | None = None  # Pasal 42(3) huruf c: the resolution the complainant asks for
    sasaran: str | None = None  # Pasal 40(3): whom the complaint is about - pelaksana | penyelenggara
    ditujukan_kepada: str | None = None  # Pasal 45: atasan_pelaksana | atasan_satuan_kerja | pejabat_pemberi_misi
    diperiksa_pada: dt.datetime | None = None  # Pasal 47(1): the examination of the complaint was done
    pemeriksa: str | None = None  # Pasal 48(1): who examined it (name or staff id)
    teradu: str | None = _personal()  # Pasal 48(1): the person complained about (name or staff id)
    minta_dengar_pendapat_terpisah: bool | None = None  # Pasal 48(3): the complainant asked for a separate hearing
    dengar_pendapat_terpisah: bool | None = None  # Pasal 48(3): the hearing was held separately
    kerahasiaan_dilanggar: bool | None = None  # Pasal 49(1): a breach of confidentiality was found
    batas_pembayaran_ganti_rugi: dt.date | None = None  # Pasal 50(3): the payment deadline in the decision
    tindak_lanjut: str | None = None  # Pasal 36(3): the follow-up (sanction on staff, rule changed, document issued ...)
    digugat_pada: dt.date | None = None  # Pasal 52(2), 53(2): a lawsuit or criminal report was filed
    keputusan_dilaksanakan: bool | None = None  # Pasal 52(2), 53(2): the decision is being carried out
    # UU 37/2008: when the complaint reached the Ombudsman
    penjelasan_ombudsman_diminta_pada: dt.date | None = None  # Pasal 33(1): the Ombudsman asked for an explanation
    penjelasan_ombudsman_pada: dt.date | None = None  # Pasal 33(1): the written explanation was given
    rekomendasi_ombudsman_pada: dt.date | None = None  # Pasal 38(2): the Ombudsman's recommendation was received
    rekomendasi_dilaksanakan: bool | None = None  # Pasal 38(1): the recommendation was carried out
    laporan_rekomendasi_pada: dt.date | None = None  # Pasal 38(2): the superior reported on carrying it out
    nama_pengadu: str | None = _personal()
    nik_pengadu: str | None = _personal()
    telepon_pengadu: str | None = _personal()
    email_pengadu: str | None = _personal()
    alamat_pengadu: str | None = _personal()
    uraian: str | None = _personal()


@frozen
class Pelaksana:
    """A staff member who delivers the service (Pasal 1 angka 5, 10, 16)."""

    id: str
    unit_id: str | None = None
    nama: str | None = _personal()
    jabatan: str | None = None
    kompetensi: tuple[str, ...] = ()
    dievaluasi_pada: dt.date | None = None  # Pasal 10 last evaluation
    interval_evaluasi_bulan: int | None = None  # Penjelasan Pasal 10(1): 3/6/12/24
    indikator_evaluasi: tuple[str, ...] = ()  # Pasal 10(3): the indicators the evaluation used
    peningkatan_kapasitas_pada: dt.date | None = None  # Pasal 10(2): last capacity-building action
    seleksi_promosi_pada: dt.date | None = None  # Pasal 11(1): the last selection or promotion decision
    seleksi_diumumkan_pada: dt.date | None = None  # Pasal 11(1): the selection/promotion was announced openly
    kriteria_seleksi: str | None = None  # Pasal 11(1): the published criteria
    berprestasi: bool | None = None  # Pasal 11(2): a recorded work achievement
    penghargaan_pada: dt.date | None = None  # Pasal 11(2): the reward given
    pelanggaran_internal_pada: dt.date | None = None  # Pasal 11(3): a proven breach of the provider's internal rules
    hukuman_pada: dt.date | None = None  # Pasal 11(3): the punishment imposed
    layanan_ditugaskan: tuple[str, ...] = ()  # Pasal 16 huruf a: ids of the services this person is assigned to
    bertanggung_jawab: bool | None = None  # Pasal 16 huruf e: a responsible officer who reports periodically
    laporan_kinerja_pada: dt.date | None = None  # Pasal 16 huruf e: the last financial and performance report
    berhenti_pada: dt.date | None = None  # Pasal 15 huruf k, 16 huruf d: left the post or resigned
    pertanggungjawaban_pada: dt.date | None = None  # Pasal 15 huruf k, 16 huruf d: the hand-over / accountability
    merangkap_pengurus_usaha: bool | None = None  # Pasal 17 huruf a: also a commissioner or manager of a business
    meninggalkan_tugas: bool | None = None  # Pasal 17 huruf b: left duties without a clear, lawful reason
    persetujuan_penempatan: str | None = None  # Pasal 17 huruf c: the provider's approval (decree) placing this person
    permohonan: tuple[Permohonan, ...] = _rel()
    panggilan: tuple[Panggilan, ...] = _rel()


@frozen
class Sarana:
    """A facility (Pasal 25-29), including facilities for vulnerable groups (Pasal 29)."""

    id: str
    unit_id: str | None = None
    nama: str | None = None
    jenis: str | None = None
    kelompok_rentan: tuple[str, ...] = ()  # disabilitas, lansia, ibu_hamil, anak, korban_bencana
    berfungsi: bool | None = None
    perbaikan_mulai_pada: dt.date | None = None  # Pasal 28
    pengumuman_perbaikan_pada: dt.date | None = None
    perbaikan_selesai_pada: dt.date | None = None  # Pasal 28(1): announced completion deadline
    pelayanan_terhenti: bool | None = None  # Pasal 28(2): the repair stopped the service
    digunakan_pihak_lain: bool | None = None  # Pasal 26: others were allowed to use the facility
    sesuai_peruntukan: bool | None = None  # Pasal 26: the facility is used as intended
    digunakan_tidak_berhak: bool | None = None  # Pasal 29(2): a special facility was used by people not entitled


@frozen
class SurveiKepuasan:
    """A community satisfaction survey (SKM, PermenPAN-RB 14/2017) of a unit for a period."""

    id: str
    unit_id: str | None = None
    tahun: int | None = None
    dilaksanakan_pada: dt.date | None = None
    dipublikasikan_pada: dt.date | None = None
    jumlah_responden: int | None = None
    #: the number of service users in the survey period, as the survey states it: the population N
    #: of the Krejcie-Morgan sample size (PermenPAN-RB 14/2017; what counts as N is UNCONFIRMED)
    populasi: int | None = None
    # the nine elements U1-U9, as mean scores 1-4
    u1_persyaratan: float | None = None
    u2_prosedur: float | None = None
    u3_waktu: float | None = None
    u4_biaya: float | None = None
    u5_produk: float | None = None
    u6_kompetensi: float | None = None
    u7_perilaku: float | None = None
    u8_pengaduan: float | None = None
    u9_sarana: float | None = None
    ikm: float | None = None


@frozen
class Maklumat:
    """The service pledge (Pasal 22), for a unit (or a whole provider)."""

    id: str
    unit_id: str | None = None
    penyelenggara_id: str | None = None
    teks: str | None = None
    #: the day adopted; when only the month or year is known (a decree "Nomor 7 Tahun 2020", a cell
    #: "Januari 2021") the last day of that period, with ``ditetapkan_presisi`` saying so
    ditetapkan_pada: dt.date | None = attrs.field(default=None, metadata={"precision": "ditetapkan_presisi"})
    ditetapkan_presisi: PresisiTanggal | None = None
    dipublikasikan_pada: dt.date | None = None
    media: tuple[str, ...] = ()  # papan, situs web, media sosial, ...


@frozen
class SistemInformasi:
    """The provider's information system and its minimum contents (Pasal 23 ayat (4) a-f, (5))."""

    id: str
    penyelenggara_id: str | None = None
    unit_id: str | None = None
    url: str | None = None
    elektronik: bool | None = None
    profil_penyelenggara: bool | None = None  # a
    profil_pelaksana: bool | None = None  # b
    standar_pelayanan: bool | None = None  # c
    maklumat_pelayanan: bool | None = None  # d
    pengelolaan_pengaduan: bool | None = None  # e
    penilaian_kinerja: bool | None = None  # f
    terbuka: bool | None = None  # (5) open without login or fee
    informasi_hak_kewajiban: bool | None = None  # Pasal 15 huruf i: users' rights and responsibilities explained
    format: tuple[str, ...] = ()  # Pasal 1 angka 9: lisan, latin, braille, gambar, bahasa lokal


@frozen
class KerjaSama:
    """Cooperation with another provider or a third party (Pasal 12-13)."""

    id: str
    penyelenggara_id: str | None = None
    unit_id: str | None = None
    mitra: str | None = None
    jenis: str | None = None  # antar_penyelenggara | pihak_lain | tertentu (13(4)) | bantuan_darurat (12(3)-(4), received)
    nomor_perjanjian: str | None = None
    mulai_pada: dt.date | None = None
    selesai_pada: dt.date | None = None
    berdasarkan_standar: bool | None = None  # 13(1)a
    diinformasikan: bool | None = None  # 13(1)b
    identitas_dicantumkan: bool | None = None  # 13(1)d
    alamat_pengaduan_dicantumkan: bool | None = None  # 13(1)e
    mitra_berbadan_hukum_indonesia: bool | None = None  # 13(2)
    menambah_beban: bool | None = None  # 13(3)
    diulang: bool | None = None  # 13(5)
    persetujuan_penyelenggara: str | None = None  # Pasal 17 huruf d: the provider's approval of the agreement
    keadaan_darurat_ditetapkan: bool | None = None  # Pasal 12(4): jenis bantuan_darurat - the emergency was declared
    sesuai_tugas_fungsi: bool | None = None  # Pasal 12(4): the help asked is within this provider's tasks
    dipenuhi: bool | None = None  # Pasal 12(4): the request was met


@frozen
class Permohonan:
    """One application for a service (a transaction): what the standard promised against what happened
    (Pasal 15 huruf f, 20(3); Pasal 4 huruf k)."""

    id: str
    layanan_id: str | None = None
    unit_id: str | None = None
    pelaksana_id: str | None = None  # who processed it (Pasal 16 huruf a)
    kategori: str | None = None  # the case it falls under when the standard's time differs by case (daring, WNA)
    diajukan_pada: dt.datetime | None = None  # the complete application was received
    selesai_pada: dt.datetime | None = None  # the service product was delivered
    biaya_dipungut: int | None = None  # Rupiah charged


@frozen
class Panggilan:
    """A lawful summons to the provider or one of its staff (Pasal 15 huruf l, 16 huruf c)."""

    id: str
    unit_id: str | None = None
    pelaksana_id: str | None = None
    dari: str | None = None  # the authority that summoned
    diterima_pada: dt.date | None = None
    hadir_pada: dt.date | None = None  # the date the summons set
    dipenuhi: bool | None = None  # attended / carried out


@frozen
class Unit:
    """A provider organisation or work unit (organisasi penyelenggara / satuan kerja)."""

    id: str
    penyelenggara_id: str | None = None
    nama: str | None = None
    dibentuk_pada: dt.date | None = None
    fungsi: Fungsi | None = None  # Pasal 8(2)
    pengelola_pengaduan: str | None = None  # Pasal 36(4): officer or team
    alamat_pengaduan: str | None = None
    sarana_pengaduan: tuple[str, ...] = ()  # Pasal 36(1),(4): telepon, SMS, laman, pos-el, kotak pengaduan
    mekanisme_pengaduan_ditetapkan_pada: dt.date | None = None  # Pasal 37(1): complaint mechanism (SOP) adopted
    anggaran_ganti_rugi: int | None = None  # Pasal 50(4): Rupiah budgeted to pay compensation
    materi_mekanisme_pengaduan: tuple[str, ...] = ()  # Pasal 37(3): the letters a-j the complaint SOP covers
    pimpinan: str | None = None  # Pasal 15 huruf j: the head of the unit
    struktur_organisasi_ditetapkan_pada: dt.date | None = None  # Pasal 15 huruf j: organisation structure adopted
    laporan_pertanggungjawaban_pada: dt.date | None = None  # Pasal 15 huruf h: the last accountability report
    laporan_sarana_pada: dt.date | None = None  # Pasal 25(2): the last report on facilities, staff and needs
    daftar_kebutuhan_sarana_pada: dt.date | None = None  # Pasal 25(3): the needs analysis and list
    pengawasan_internal_pada: dt.date | None = None  # Pasal 35(2): the last internal supervision (superior or APIP)
    layanan: tuple[Layanan, ...] = _rel()
    pengaduan: tuple[Pengaduan, ...] = _rel()
    pelaksana: tuple[Pelaksana, ...] = _rel()
    sarana: tuple[Sarana, ...] = _rel()
    survei_kepuasan: tuple[SurveiKepuasan, ...] = _rel()
    maklumat: tuple[Maklumat, ...] = _rel()
    permohonan: tuple[Permohonan, ...] = _rel()
    panggilan: tuple[Panggilan, ...] = _rel()


@frozen
class Penyelenggara:
    """A public-service provider (Pasal 1 angka 2), with its pembina and penanggung jawab."""

    id: str
    nama: str | None = None
    jenis: JenisPenyelenggara | None = None
    pembina: str | None = None  # Pasal 6
    penanggung_jawab: str | None = None  # Pasal 7
    pimpinan: str | None = None
    wilayah: str | None = None  # region, for roll-ups
    laporan_pembina_pada: dt.date | None = None  # Pasal 6(4)-(6): the pembina's last performance report
    laporan_penanggung_jawab_pada: dt.date | None = None  # Pasal 7(2): the person in charge's last report to the pembina
    saham_dipindahtangankan: bool | None = None  # Pasal 27(1): shares of a public-service BUMN/BUMD were transferred
    anggaran_peningkatan_kualitas: int | None = None  # Pasal 33(2): Rupiah allocated to improve service quality
    anggaran_dialihkan: bool | None = None  # Pasal 33(3): the service budget paid for other activities
    unit: tuple[Unit, ...] = _rel()
    maklumat: tuple[Maklumat, ...] = _rel()
    sistem_informasi: tuple[SistemInformasi, ...] = _rel()
    kerja_sama: tuple[KerjaSama, ...] = _rel()


#: Entity name -> class. The entity names are the keys of the plain JSON form.
ENTITIES: dict[str, type] = {
    "penyelenggara": Penyelenggara,
    "unit": Unit,
    "layanan": Layanan,
    "pengaduan": Pengaduan,
    "pelaksana": Pelaksana,
    "sarana": Sarana,
    "survei_kepuasan": SurveiKepuasan,
    "maklumat": Maklumat,
    "sistem_informasi": SistemInformasi,
    "kerja_sama": KerjaSama,
    "permohonan": Permohonan,
    "panggilan": Panggilan,
}

#: (child entity, link field) -> (parent entity, relation field on the parent). Linked in this
#: order, every parent filled before it is put in its own parent (layanan and pelaksana, then
#: unit, then penyelenggara): a unit's layanan carry their pengaduan and permohonan.
RELATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("pengaduan", "layanan_id", "layanan", "pengaduan"),
    ("permohonan", "layanan_id", "layanan", "permohonan"),
    ("permohonan", "pelaksana_id", "pelaksana", "permohonan"),
    ("panggilan", "pelaksana_id", "pelaksana", "panggilan"),
    ("layanan", "unit_id", "unit", "layanan"),
    ("pengaduan", "unit_id", "unit", "pengaduan"),
    ("pelaksana", "unit_id", "unit", "pelaksana"),
    ("sarana", "unit_id", "unit", "sarana"),
    ("survei_kepuasan", "unit_id", "unit", "survei_kepuasan"),
    ("maklumat", "unit_id", "unit", "maklumat"),
    ("permohonan", "unit_id", "unit", "permohonan"),
    ("panggilan", "unit_id", "unit", "panggilan"),
    ("unit", "penyelenggara_id", "penyelenggara", "unit"),
    ("maklumat", "penyelenggara_id", "penyelenggara", "maklumat"),
    ("sistem_informasi", "penyelenggara_id", "penyelenggara", "sistem_informasi"),
    ("kerja_sama", "penyelenggara_id", "penyelenggara", "kerja_sama"),
)


def entity_name(cls: type) -> str:
    """The entity name of a model class (``Layanan`` -> ``layanan``)."""
    for name, c in ENTITIES.items():
        if c is cls:
            return name
    raise KeyError(cls)


def is_relation(field: attrs.Attribute[Any]) -> bool:
    return bool(field.metadata.get("relation"))


def is_personal(field: attrs.Attribute[Any]) -> bool:
    return bool(field.metadata.get("personal"))


for _cls in (JangkaWaktu, Biaya, KasusPersyaratan, StandarPelayanan, *ENTITIES.values()):  # nested values, then entities
    attrs.resolve_types(_cls, globals(), locals())
