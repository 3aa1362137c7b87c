"""The model: the UU 25/2009 world as frozen attrs classes, and how raw values become them.

``entities`` holds the classes (the one contract between data and rules), ``records`` the raw
records adapters hand over and the plain JSON form, ``parsing`` Indonesian values as people write
them, ``convert`` the one cattrs converter, ``construct`` and ``bulk`` fast building of millions of
objects. ``from layanan_rules import model; model.Layanan`` names an entity class.
"""

from layanan_rules.model.entities import (
    ENTITIES,
    RELATIONS,
    Biaya,
    Fungsi,
    JangkaWaktu,
    JenisHari,
    JenisPenyelenggara,
    KasusPersyaratan,
    KerjaSama,
    Layanan,
    Maklumat,
    Panggilan,
    Pelaksana,
    Pengaduan,
    Penyelenggara,
    Peraturan,
    Permohonan,
    Peserta,
    PresisiTanggal,
    Sarana,
    SatuanWaktu,
    SistemInformasi,
    StandarPelayanan,
    SurveiKepuasan,
    Unit,
    entity_name,
    is_personal,
    is_relation,
)

__all__ = [
    "ENTITIES", "RELATIONS", "Biaya", "Fungsi", "JangkaWaktu", "JenisHari", "JenisPenyelenggara",
    "KasusPersyaratan", "KerjaSama", "Layanan", "Maklumat", "Panggilan", "Pelaksana", "Pengaduan", "Penyelenggara",
    "Peraturan", "Permohonan", "Peserta", "PresisiTanggal", "Sarana",
    "SatuanWaktu", "SistemInformasi", "StandarPelayanan", "SurveiKepuasan", "Unit", "entity_name", "is_personal",
    "is_relation",
]
