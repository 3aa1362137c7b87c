"""Seeded generator of realistic synthetic provider data in the plain JSON form.

The plain JSON form is one object keyed by entity name (``penyelenggara``, ``unit``,
``layanan``, ``pengaduan``), each a list of records linked by id fields (``unit_id``,
``penyelenggara_id``, ``layanan_id``); field names are those of :mod:`layanan_rules.model`.

Everything is derived from ``seed`` alone: the same seed and sizes give byte-identical output on
every machine and Python >= 3.11 (each entity draws from its own ``random.Random`` seeded with a
string, so changing the number of complaints does not change the services). Records are
produced by generators, so a million complaints are never all in memory unless the caller
collects them::

    python bench/synth.py --services 10000 --complaints 100000 --seed 7 --out data.json
    python bench/synth.py --complaints 5 --services 0 --jsonl      # one record per line

Missing components are written the way real sheets miss them: mostly an absent key, sometimes
an empty list or a blank string ("" or "  "). Absent values are never written as ``null``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from typing import Any

#: The evaluation date the generated data is built around (complaints are received in 2024).
AS_OF = "2025-01-01T00:00:00+07:00"
WIB = dt.timezone(dt.timedelta(hours=7))
_START = dt.datetime(2024, 1, 1, 0, 0, tzinfo=WIB)
_SPAN_MIN = 365 * 24 * 60  # complaints are received over the whole of 2024

#: Share of services whose standard is missing a Pasal 21 component (or, for ``standar``, the
#: whole standard). Realistic orders of magnitude from Ombudsman compliance surveys: the legal
#: basis and requirements are usually there, evaluation and complaint handling often are not.
MISSING = {
    "standar": 0.05,
    "dasar_hukum": 0.10,
    "persyaratan": 0.06,
    "prosedur": 0.08,
    "jangka_waktu": 0.15,
    "biaya": 0.12,
    "produk": 0.07,
    "sarana": 0.15,
    "kompetensi_pelaksana": 0.20,
    "pengawasan_internal": 0.22,
    "penanganan_pengaduan": 0.25,
    "jumlah_pelaksana": 0.18,
    "jaminan_pelayanan": 0.30,
    "jaminan_keamanan": 0.35,
    "evaluasi_kinerja": 0.40,
}

_KOTA = ["Kota Contoh", "Kabupaten Sukamaju", "Kota Harapan", "Kabupaten Lestari", "Kota Bahari",
         "Kabupaten Tanjung Asri", "Kota Mekarsari", "Provinsi Nusantara Raya"]
_DINAS = ["Dinas Kependudukan dan Pencatatan Sipil", "Dinas Penanaman Modal dan PTSP",
          "Dinas Kesehatan", "Dinas Perhubungan", "Dinas Sosial", "Dinas Pendidikan",
          "Dinas Lingkungan Hidup", "Badan Pendapatan Daerah", "RSUD", "Puskesmas", "Kecamatan",
          "Kelurahan", "Dinas Tenaga Kerja", "Dinas Pekerjaan Umum dan Penataan Ruang"]
_LAYANAN = ["Penerbitan Kartu Keluarga", "Penerbitan KTP Elektronik", "Penerbitan Akta Kelahiran",
            "Penerbitan Akta Kematian", "Surat Pindah Datang", "Izin Usaha Mikro Kecil",
            "Persetujuan Bangunan Gedung", "Izin Praktik Tenaga Kesehatan", "Uji Berkala Kendaraan",
            "Izin Trayek", "Rekomendasi Bantuan Sosial", "Legalisasi Ijazah", "Pendaftaran Pajak Daerah",
            "Pelayanan Rawat Jalan", "Pelayanan Imunisasi", "Surat Keterangan Domisili",
            "Surat Keterangan Tidak Mampu", "Kartu Pencari Kerja", "Izin Lingkungan",
            "Pengujian Kualitas Air", "Pengaduan Kebersihan", "Pelayanan Ambulans"]
_BAD_NAMES = ["kk", "-", "izin", "layanan 1", "x", "surat ket.", "  "]
_PERATURAN = [("UU", "Undang-Undang"), ("PP", "Peraturan Pemerintah"), ("Perpres", "Peraturan Presiden"),
              ("Permen", "Peraturan Menteri Dalam Negeri"), ("Perda", "Perda"), ("Perbup", "Peraturan Bupati"),
              ("Perwal", "Peraturan Wali Kota")]
_PERSYARATAN = ["Fotokopi KTP", "Fotokopi Kartu Keluarga", "Surat pengantar RT/RW", "Pas foto 3x4",
                "Formulir permohonan", "Surat keterangan lahir dari bidan/rumah sakit", "Akta nikah",
                "NPWP", "Surat kuasa bermeterai", "Bukti pembayaran retribusi"]
_PROSEDUR = ["Pemohon mengisi formulir", "Petugas memverifikasi berkas", "Pembayaran retribusi",
             "Penandatanganan oleh kepala dinas", "Penyerahan dokumen kepada pemohon",
             "Survei lapangan", "Pendaftaran daring melalui aplikasi"]
_PRODUK = ["Kartu Keluarga", "KTP-el", "Akta", "Surat izin", "Surat keterangan", "Sertifikat",
           "Rekomendasi", "Hasil uji laboratorium"]
_SARANA = ["Ruang tunggu ber-AC", "Loket antrean elektronik", "Kursi roda", "Toilet disabilitas",
           "Ruang laktasi", "Komputer pendaftaran mandiri", "Jalur pemandu (guiding block)"]
_KANAL = ["SP4N-LAPOR!", "loket", "surat", "email", "situs web", "WhatsApp", "media sosial", "telepon"]
_NAMA = ["Budi Santoso", "Siti Rahmawati", "Agus Pratama", "Dewi Lestari", "Rudi Hartono",
         "Nur Aini", "Made Wirawan", "Yohana Sitompul", "Andi Saputra", "Rina Marlina"]
_KELUHAN = ["Antrean terlalu lama", "Petugas meminta biaya tambahan", "Dokumen belum selesai",
            "Situs web tidak dapat diakses", "Petugas tidak ramah", "Persyaratan tidak jelas",
            "Fasilitas disabilitas rusak"]
_FILLED = {
    "kompetensi_pelaksana": ["Pelaksana berpendidikan minimal SMA dan telah mengikuti bimbingan teknis",
                             "Memahami SOP pelayanan dan aplikasi SIAK"],
    "pengawasan_internal": ["Dilakukan oleh atasan langsung dan Inspektorat Daerah",
                            "Supervisi kepala bidang secara berkala"],
    "penanganan_pengaduan": ["Pengaduan melalui SP4N-LAPOR!, kotak saran, dan WhatsApp 0812-0000-0000",
                             "Pengaduan disampaikan ke loket pengaduan atau email pengaduan@contoh.go.id"],
    "jaminan_pelayanan": ["Maklumat pelayanan dipasang di ruang pelayanan",
                          "Apabila tidak sesuai standar, pelayanan diulang tanpa biaya"],
    "jaminan_keamanan": ["Data pemohon dijamin kerahasiaannya sesuai UU 27/2022",
                         "Dokumen dijamin keabsahannya dan bebas pungutan liar"],
    "evaluasi_kinerja": ["Survei kepuasan masyarakat setiap semester",
                         "Evaluasi berkala oleh tim reformasi birokrasi setiap tahun"],
}


def _ts(t: dt.datetime) -> str:
    return t.isoformat()


def _pick_missing(rng: random.Random, rate: float) -> bool:
    return rng.random() < rate


def _peraturan(rng: random.Random, kota: str) -> str:
    jenis, nama = rng.choice(_PERATURAN)
    nomor = rng.randint(1, 60)
    tahun = rng.randint(2002, 2023)
    if jenis in ("Perbup", "Perwal"):
        nama = "Peraturan Wali Kota" if kota.startswith("Kota") else "Peraturan Bupati"
    if jenis in ("Perda", "Perbup", "Perwal"):
        return f"{nama} {kota} No. {nomor} Tahun {tahun}"
    return f"{nama} No. {nomor} Tahun {tahun}"


def _text_component(rng: random.Random, key: str, std: dict[str, Any]) -> None:
    if _pick_missing(rng, MISSING[key]):
        r = rng.random()
        if r < 0.2:
            std[key] = ""
        elif r < 0.3:
            std[key] = "  "
        return  # otherwise absent
    std[key] = rng.choice(_FILLED[key])


def _list_component(rng: random.Random, key: str, std: dict[str, Any], pool: list[str], k: int) -> None:
    if _pick_missing(rng, MISSING[key]):
        if rng.random() < 0.3:
            std[key] = []
        return
    std[key] = rng.sample(pool, rng.randint(1, k))


_NASIONAL = [
    "Undang-Undang No. 25 Tahun 2009", "Peraturan Pemerintah No. 96 Tahun 2012",
    "Undang-Undang No. 24 Tahun 2013", "Undang-Undang No. 23 Tahun 2014", "Undang-Undang No. 28 Tahun 2009",
    "Undang-Undang No. 36 Tahun 2009", "Undang-Undang No. 20 Tahun 2003", "Undang-Undang No. 8 Tahun 2016",
    "Peraturan Pemerintah No. 5 Tahun 2021", "Peraturan Pemerintah No. 40 Tahun 2019",
    "Peraturan Presiden No. 96 Tahun 2018", "Peraturan Presiden No. 91 Tahun 2017",
    "Peraturan Menteri Dalam Negeri No. 108 Tahun 2019", "Peraturan Menteri Dalam Negeri No. 109 Tahun 2019",
    "Peraturan Menteri PANRB No. 15 Tahun 2014", "Peraturan Menteri PANRB No. 14 Tahun 2017",
    "Peraturan Menteri Kesehatan No. 43 Tahun 2019", "Peraturan Menteri Perhubungan No. 19 Tahun 2021",
]


def _local_pool(seed: int, kota: str, cache: dict[str, list[str]]) -> list[str]:
    """The regulations of one region: a fixed pool, so services of a region share them."""
    pool = cache.get(kota)
    if pool is None:
        prng = random.Random(f"{seed}:peraturan:{kota}")
        pool = cache[kota] = sorted({_peraturan(prng, kota) for _ in range(40)})
    return pool


def _standar(rng: random.Random, kota: str, local: list[str]) -> dict[str, Any]:
    std: dict[str, Any] = {}
    # a Pasal 21 dasar hukum
    if _pick_missing(rng, MISSING["dasar_hukum"]):
        if rng.random() < 0.3:
            std["dasar_hukum"] = []
    else:
        std["dasar_hukum"] = [rng.choice(_NASIONAL if rng.random() < 0.5 else local) for _ in range(rng.randint(1, 4))]
    _list_component(rng, "persyaratan", std, _PERSYARATAN, 5)
    _list_component(rng, "prosedur", std, _PROSEDUR, 5)
    # d jangka waktu
    if _pick_missing(rng, MISSING["jangka_waktu"]):
        if rng.random() < 0.35:
            std["jangka_waktu"] = {"teks": rng.choice(["segera", "sesuai antrean", "menyesuaikan"])}
    else:
        satuan = rng.choices(["hari", "jam", "menit", "minggu"], weights=[70, 15, 10, 5])[0]
        jumlah = rng.randint(1, 14) if satuan != "menit" else rng.choice([15, 30, 60, 90])
        jw: dict[str, Any] = {"jumlah": jumlah, "satuan": satuan}
        if satuan == "hari":
            jw["jenis_hari"] = rng.choices(["kerja", "kalender"], weights=[85, 15])[0]
        std["jangka_waktu"] = jw
    # e biaya
    if _pick_missing(rng, MISSING["biaya"]):
        pass
    elif rng.random() < 0.7:
        std["biaya"] = {"gratis": True}
    else:
        b: dict[str, Any] = {"gratis": False, "jumlah": rng.choice([5000, 10000, 25000, 50000, 75000, 150000])}
        if rng.random() < 0.9:
            b["dasar_hukum"] = f"Perda {kota} No. {rng.choice([3, 7, 12])} Tahun {rng.choice([2012, 2018, 2023])} tentang Retribusi"
        std["biaya"] = b
    _list_component(rng, "produk", std, _PRODUK, 2)
    _list_component(rng, "sarana", std, _SARANA, 5)
    _text_component(rng, "kompetensi_pelaksana", std)
    _text_component(rng, "pengawasan_internal", std)
    _text_component(rng, "penanganan_pengaduan", std)
    if _pick_missing(rng, MISSING["jumlah_pelaksana"]):
        if rng.random() < 0.4:
            std["jumlah_pelaksana"] = 0
    else:
        std["jumlah_pelaksana"] = rng.randint(1, 25)
    _text_component(rng, "jaminan_pelayanan", std)
    _text_component(rng, "jaminan_keamanan", std)
    _text_component(rng, "evaluasi_kinerja", std)
    # PP 96/2012 lifecycle dates (read by the converter, not by the benchmark checks)
    ditetapkan = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 1800))
    if rng.random() < 0.85:
        std["nomor_penetapan"] = f"{rng.randint(1, 999)}/KPTS/{ditetapkan.year}"
        std["ditetapkan_pada"] = ditetapkan.isoformat()
        if rng.random() < 0.8:
            std["dipublikasikan_pada"] = (ditetapkan + dt.timedelta(days=rng.randint(0, 60))).isoformat()
    return std


def sizes(services: int, complaints: int) -> tuple[int, int]:
    """Number of (penyelenggara, unit) for a given number of services (8 per unit, 20 units each)."""
    units = max(1, -(-services // 8)) if services or complaints else 0
    providers = max(1, -(-units // 20)) if units else 0
    return providers, units


def iter_penyelenggara(seed: int, n: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{seed}:penyelenggara")
    for i in range(n):
        kota = _kota(i)
        yield {"id": f"P{i + 1:04d}", "nama": f"Pemerintah {kota}", "jenis": "instansi",
               "wilayah": kota, "pimpinan": rng.choice(_NAMA)}


def _kota(p_index: int) -> str:
    return _KOTA[p_index % len(_KOTA)] + ("" if p_index < len(_KOTA) else f" {p_index // len(_KOTA) + 1}")


def iter_unit(seed: int, n: int, n_penyelenggara: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{seed}:unit")
    for i in range(n):
        p = i % max(1, n_penyelenggara)
        rec: dict[str, Any] = {"id": f"U{i + 1:05d}", "penyelenggara_id": f"P{p + 1:04d}",
                               "nama": f"{_DINAS[i % len(_DINAS)]} {_kota(p)}"}
        if rng.random() < 0.8:
            rec["alamat_pengaduan"] = f"Jl. Merdeka No. {rng.randint(1, 200)}, {_kota(p)}"
        yield rec


def iter_layanan(seed: int, n: int, n_units: int, n_penyelenggara: int = 1) -> Iterator[dict[str, Any]]:
    """Services with a ``standar`` whose Pasal 21 components are missing at :data:`MISSING` rates."""
    rng = random.Random(f"{seed}:layanan")
    pools: dict[str, list[str]] = {}
    for i in range(n):
        u = rng.randrange(max(1, n_units))
        kota = _kota(u % max(1, n_penyelenggara))
        rec: dict[str, Any] = {"id": f"L{i + 1:07d}", "unit_id": f"U{u + 1:05d}"}
        rec["nama"] = rng.choice(_BAD_NAMES) if rng.random() < 0.03 else rng.choice(_LAYANAN)
        rec["aktif"] = rng.random() < 0.95
        rec["dibiayai_negara"] = rng.random() < 0.6
        if not _pick_missing(rng, MISSING["standar"]):
            rec["standar"] = _standar(rng, kota, _local_pool(seed, kota, pools))
        yield rec


def iter_pengaduan(seed: int, n: int, n_units: int, n_layanan: int) -> Iterator[dict[str, Any]]:
    """Complaints along the Pasal 42-50 clock; some late, some still open at :data:`AS_OF`."""
    rng = random.Random(f"{seed}:pengaduan")
    minute = dt.timedelta(minutes=1)
    day_min = 24 * 60
    for i in range(n):
        u = rng.randrange(max(1, n_units))
        rec: dict[str, Any] = {"id": f"A{i + 1:08d}", "unit_id": f"U{u + 1:05d}"}
        if n_layanan and rng.random() < 0.9:
            rec["layanan_id"] = f"L{rng.randrange(n_layanan) + 1:07d}"
        rec["kanal"] = rng.choice(_KANAL)
        diterima = _START + minute * rng.randrange(_SPAN_MIN - 60)
        # filing: 0-2 days before receipt; service received 0-25 days before filing (8% late)
        diajukan = diterima - minute * rng.randrange(0, 2 * day_min)
        if rng.random() < 0.85:
            late = rng.random() < 0.08
            gap = rng.randrange(31 * day_min, 75 * day_min) if late else rng.randrange(0, 29 * day_min)
            rec["pelayanan_diterima_pada"] = _ts(diajukan - minute * gap)
        if rng.random() < 0.97:
            rec["diajukan_pada"] = _ts(diajukan)
        if rng.random() < 0.98:
            rec["diterima_pada"] = _ts(diterima)
            if rng.random() < 0.9:
                rec["tanda_terima_pada"] = _ts(diterima + minute * rng.randrange(0, 120))
        rec["status"] = "diterima"
        # 44(3) response within 14 days: 10% still open, 18% late
        ditanggapi = None
        if rng.random() < 0.90:
            late = rng.random() < 0.18
            gap = rng.randrange(14 * day_min + 1, 45 * day_min) if late else rng.randrange(30, 14 * day_min + 1)
            ditanggapi = diterima + minute * gap
            rec["ditanggapi_pada"] = _ts(ditanggapi)
            rec["status"] = "ditanggapi"
            if rng.random() < 0.85:
                rec["materi_lengkap"] = rng.random() < 0.8
        lengkap_pada = None
        if ditanggapi is not None:
            if rec.get("materi_lengkap") is False:
                if rng.random() < 0.7:
                    lengkap_pada = ditanggapi + minute * rng.randrange(day_min, 20 * day_min)
                    rec["dilengkapi_pada"] = _ts(lengkap_pada)
            else:
                lengkap_pada = ditanggapi
        # 50(1) decision within 60 days of a complete file: 30% undecided, 15% late
        if lengkap_pada is not None and rng.random() < 0.7:
            late = rng.random() < 0.15
            gap = rng.randrange(60 * day_min + 1, 120 * day_min) if late else rng.randrange(day_min, 60 * day_min + 1)
            diputuskan = lengkap_pada + minute * gap
            rec["diputuskan_pada"] = _ts(diputuskan)
            rec["status"] = "diputuskan"
            # 50(2) decision delivered within 14 days
            if rng.random() < 0.85:
                late = rng.random() < 0.1
                gap = rng.randrange(14 * day_min + 1, 30 * day_min) if late else rng.randrange(0, 14 * day_min + 1)
                rec["putusan_disampaikan_pada"] = _ts(diputuskan + minute * gap)
                rec["selesai_pada"] = rec["putusan_disampaikan_pada"]
                rec["status"] = "selesai"
        rec["dirahasiakan"] = rng.random() < 0.3
        if rng.random() < 0.05:
            rec["tuntutan_ganti_rugi"] = True
        r = rng.random()
        if r < 0.01:
            rec["biaya_dipungut"] = 0
        elif r < 0.03:
            rec["biaya_dipungut"] = rng.choice([10000, 25000, 50000])
        nama = rng.choice(_NAMA)
        rec["nama_pengadu"] = nama
        if rng.random() < 0.7:
            rec["telepon_pengadu"] = f"08{rng.randrange(10**9, 10**10)}"
        if rng.random() < 0.5:
            rec["email_pengadu"] = nama.lower().replace(" ", ".") + "@contoh.id"
        rec["uraian"] = rng.choice(_KELUHAN)
        yield rec


def generate(seed: int = 1, services: int = 1000, complaints: int = 10000) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(entity, record)`` for a whole data set, parents before children, streaming."""
    n_p, n_u = sizes(services, complaints)
    for rec in iter_penyelenggara(seed, n_p):
        yield "penyelenggara", rec
    for rec in iter_unit(seed, n_u, n_p):
        yield "unit", rec
    for rec in iter_layanan(seed, services, n_u, n_p):
        yield "layanan", rec
    for rec in iter_pengaduan(seed, complaints, n_u, services):
        yield "pengaduan", rec


def build(seed: int = 1, services: int = 1000, complaints: int = 10000) -> dict[str, list[dict[str, Any]]]:
    """The whole data set as one plain-JSON dict (for sizes that fit in memory)."""
    data: dict[str, list[dict[str, Any]]] = {"penyelenggara": [], "unit": [], "layanan": [], "pengaduan": []}
    for entity, rec in generate(seed, services, complaints):
        data[entity].append(rec)
    return data


def write_json(stream: Any, seed: int, services: int, complaints: int) -> None:
    """Write the plain JSON form record by record (constant memory)."""
    stream.write("{")
    current = None
    first = True
    for entity, rec in generate(seed, services, complaints):
        if entity != current:
            if current is not None:
                stream.write("\n]")
            stream.write(("" if current is None else ",") + f"\n{json.dumps(entity)}: [")
            current, first = entity, True
        stream.write(("\n  " if first else ",\n  ") + json.dumps(rec, ensure_ascii=False))
        first = False
    if current is not None:
        stream.write("\n]")
    stream.write("\n}\n")


def write_parquet(directory: str, seed: int, services: int, complaints: int, batch: int = 50_000) -> None:
    """One ``<entity>.parquet`` per entity in ``directory`` (what ``evaluate DIR`` reads), written
    in row groups of ``batch`` records. Values keep the plain JSON form; a first pass over the
    (seeded, so repeatable) records finds every field of an entity and its type."""
    import pathlib

    import pyarrow as pa
    import pyarrow.parquet as pq

    samples: dict[str, dict[str, list[Any]]] = {}
    for entity, rec in generate(seed, services, complaints):
        fields = samples.setdefault(entity, {})
        for key, value in rec.items():
            got = fields.setdefault(key, [])
            if value is not None and len(got) < 200:
                got.append(value)
    schemas = {entity: pa.schema([(k, pa.array(v).type if v else pa.string()) for k, v in fields.items()])
               for entity, fields in samples.items()}
    out = pathlib.Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    writers: dict[str, Any] = {}
    rows: dict[str, list[dict[str, Any]]] = {}

    def flush(entity: str) -> None:
        if rows.get(entity):
            if entity not in writers:
                writers[entity] = pq.ParquetWriter(out / f"{entity}.parquet", schemas[entity])
            writers[entity].write_table(pa.Table.from_pylist(rows[entity], schema=schemas[entity]))
            rows[entity] = []

    for entity, rec in generate(seed, services, complaints):
        rows.setdefault(entity, []).append(rec)
        if len(rows[entity]) >= batch:
            flush(entity)
    for entity in rows:
        flush(entity)
    for w in writers.values():
        w.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate synthetic UU 25/2009 provider data (plain JSON form).")
    ap.add_argument("--services", type=int, default=1000, help="number of layanan (default 1000)")
    ap.add_argument("--complaints", type=int, default=10000, help="number of pengaduan (default 10000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jsonl", action="store_true", help='one {"entity": ..., "record": ...} per line')
    ap.add_argument("--lines", action="store_true",
                    help='JSON Lines as `evaluate` reads them: one {"<entity>": {...}} per line')
    ap.add_argument("--parquet", metavar="DIR", help="write DIR/<entity>.parquet (what `evaluate DIR` reads)")
    ap.add_argument("--out", default="-", help="output file (default stdout)")
    args = ap.parse_args(argv)
    if args.parquet:
        write_parquet(args.parquet, args.seed, args.services, args.complaints)
        return 0
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")  # noqa: SIM115
    try:
        if args.lines:
            for entity, rec in generate(args.seed, args.services, args.complaints):
                out.write(json.dumps({entity: rec}, ensure_ascii=False) + "\n")
        elif args.jsonl:
            for entity, rec in generate(args.seed, args.services, args.complaints):
                out.write(json.dumps({"entity": entity, "record": rec}, ensure_ascii=False) + "\n")
        else:
            write_json(out, args.seed, args.services, args.complaints)
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
