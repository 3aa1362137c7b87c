"""Participants in drafting a service standard, by the groups of PP 96/2012 Pasal 23 ayat (1)."""

from __future__ import annotations

import re
from typing import Any

from layanan_rules.model.parsing.common import _MAX_LEN

# --- participants in drafting a service standard (PP 96/2012 Pasal 23 ayat (1)) ---------------

#: The groups of PP 96/2012 Pasal 23(1) (huruf a: users; huruf b: the five named groups), then the
#: two kinds of participant the article does not name, in the order they are tried. Each: (code,
#: label, words that say it). A text naming two groups gets the first listed here.
PESERTA_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("lsm", "lembaga swadaya masyarakat", (
        r"lembaga swadaya masyarakat", r"lsm", r"ngo", r"ornop", r"organisasi masyarakat sipil", r"ormas",
        r"yayasan", r"komunitas", r"forum warga", r"forum masyarakat")),
    ("organisasi_profesi", "organisasi profesi", (
        r"organisasi profesi", r"asosiasi profesi", r"ikatan \w+", r"persatuan \w+", r"idi", r"ppni", r"ibi", r"iai",
        r"peradi", r"pwi", r"inkindo", r"ikatan notaris", r"\w+ indonesia \(\w+\)")),
    ("akademisi", "akademisi", (
        r"akademisi", r"akademik", r"universitas", r"perguruan tinggi", r"dosen", r"peneliti", r"guru besar",
        r"profesor", r"kampus", r"politeknik", r"institut", r"sekolah tinggi", r"fakultas")),
    ("dunia_usaha", "dunia usaha", (
        r"dunia usaha", r"pelaku usaha", r"pengusaha", r"kadin", r"hipmi", r"apindo", r"asosiasi", r"perusahaan",
        r"pt", r"cv", r"umkm", r"ukm", r"koperasi", r"swasta", r"badan usaha", r"bumn", r"bumd")),
    ("tokoh_masyarakat", "tokoh masyarakat", (
        r"tokoh(?: \w+)?", r"pemuka(?: \w+)?", r"ulama", r"ketua rt", r"ketua rw", r"rt/rw", r"kepala desa",
        r"kepala dusun", r"lurah", r"ketua adat")),
    ("penerima_manfaat", "penerima manfaat pelayanan", (
        r"penerima (?:manfaat|layanan|pelayanan)", r"pengguna(?: layanan| jasa| pelayanan)?", r"pemohon",
        r"masyarakat(?: umum| pengguna)?", r"warga", r"pelanggan", r"konsumen", r"pasien", r"wajib pajak",
        r"orang tua(?: siswa| murid)?", r"siswa", r"mahasiswa", r"penyandang disabilitas", r"disabilitas",
        r"lansia", r"lanjut usia", r"perempuan", r"pemuda")),
    ("internal", "pegawai penyelenggara sendiri", (
        r"pegawai", r"staf+", r"petugas", r"asn", r"pns", r"pejabat", r"pelaksana", r"internal",
        r"kepala (?:seksi|bidang|sub ?bagian|bagian|dinas|kantor|unit|badan)", r"kasi", r"kabid", r"kasubbag", r"sekretaris",
        r"operator", r"tim penyusun", r"panitia")),
    ("pemerintah", "instansi pemerintah lain", (
        r"dinas", r"badan", r"kantor", r"instansi", r"pemerintah", r"pemda", r"pemkot", r"pemkab", r"pemprov",
        r"kementerian", r"kecamatan", r"opd", r"inspektorat", r"dprd?")),
)

#: the codes of PP 96/2012 Pasal 23(1): who counts as "Masyarakat dan Pihak Terkait"
PESERTA_PP23: tuple[str, ...] = ("penerima_manfaat", "tokoh_masyarakat", "akademisi", "dunia_usaha",
                                 "organisasi_profesi", "lsm")

_PESERTA_RE = tuple(
    (code, re.compile(r"(?<![a-z0-9])(?:" + "|".join(words) + r")(?![a-z0-9])", re.IGNORECASE))
    for code, _label, words in PESERTA_GROUPS
)


def unsur_peserta(*texts: Any) -> str:
    """The group of a participant in drafting a standard, from its category and organisation as
    written ("Tokoh Masyarakat", "Akademisi Universitas Contoh", "Staf Seksi Pelayanan"): one of
    :data:`PESERTA_GROUPS`' codes, or ``""`` when nothing is recognised. The category is read
    first, then the organisation; blank or missing texts are skipped."""
    for value in texts:
        if not isinstance(value, str) or not value.strip():
            continue
        text = " ".join(value.split())[:_MAX_LEN]
        for code, pattern in _PESERTA_RE:
            if pattern.search(text):
                return code
    return ""
