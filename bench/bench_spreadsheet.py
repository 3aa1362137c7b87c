"""Benchmark of the spreadsheet adapter: read a 100,000-row xlsx workbook, print rows/second and
peak memory.

    .venv/bin/python bench/bench_spreadsheet.py                      # 20,000 layanan + 80,000 pengaduan
    .venv/bin/python bench/bench_spreadsheet.py --layanan 2000 --pengaduan 8000 --keep bench/out/kecil.xlsx

The workbook is generated with openpyxl's write-only mode (seeded, so runs compare), then read
through :class:`SpreadsheetAdapter` in fresh child processes so that each memory figure belongs
to the read alone:

* ``time``: records/second and the process's peak RSS (``ru_maxrss``), against the RSS of the
  same process after imports, before reading.
* ``tracemalloc``: the peak of Python allocations while reading (slower; run separately). The
  records are consumed and dropped one at a time, as ``Dataset.from_records`` does, so the peak
  shows what the reader itself holds. python-calamine decodes one sheet at a time into Rust memory
  (not seen by tracemalloc, seen by RSS), and hands rows to Python one at a time.

For scale, the script also prints the size of the Python objects of 1,000 records, so the peak
can be compared with what holding every record would cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LAYANAN_HEADER = ["ID Layanan", "ID Unit", "Nama Layanan", "Aktif", "Dasar Hukum", "Persyaratan",
                  "Sistem, Mekanisme dan Prosedur", "Jangka Waktu Penyelesaian", "Biaya/Tarif", "Produk Pelayanan",
                  "Jumlah Pelaksana", "Tanggal Penetapan Standar"]
PENGADUAN_HEADER = ["ID Pengaduan", "ID Unit", "ID Layanan", "Kanal Pengaduan", "Status", "Tanggal Diterima",
                    "Tanggal Ditanggapi", "Tanggal Selesai", "Materi Lengkap", "Ganti Rugi"]

DURASI = ["3 (tiga) hari kerja", "Maksimal 7 Hari", "30 Menit", "14 hari kalender", "1 x 24 jam", "7 hari kerja"]
BIAYA = ["Tidak dipungut biaya", "Gratis", "Rp 10.000,-", "Sesuai Perda No. 5 Tahun 2019", "Rp 0,-"]


def generate(path: Path, n_layanan: int, n_pengaduan: int, seed: int = 25) -> None:
    from openpyxl import Workbook

    rnd = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Layanan")
    ws.append(LAYANAN_HEADER)
    for i in range(n_layanan):
        ws.append([
            f"L{i}", f"U{i % 500}", f"Layanan nomor {i}", rnd.choice(["ya", "tidak", True]),
            "1. UU No. 23 Tahun 2006\n2. UU No. 24 Tahun 2013" if rnd.random() < 0.8 else None,
            "1. Fotokopi KTP\n2. Fotokopi KK\n3. Surat pengantar RT/RW",
            "1. Pemohon mengisi formulir\n2. Petugas memverifikasi\n3. Dokumen diterbitkan",
            rnd.choice(DURASI), rnd.choice(BIAYA), "Dokumen", rnd.randint(1, 9),
            dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randint(0, 365)) if rnd.random() < 0.5 else "9 Januari 2024",
        ])
    ws = wb.create_sheet("Pengaduan")
    ws.append(PENGADUAN_HEADER)
    base = dt.datetime(2024, 1, 1, 8, 0)
    for i in range(n_pengaduan):
        received = base + dt.timedelta(minutes=rnd.randint(0, 525_600))
        answered = received + dt.timedelta(hours=rnd.randint(1, 24 * 30))
        ws.append([
            f"A{i}", f"U{i % 500}", f"L{rnd.randrange(max(1, n_layanan))}", rnd.choice(["SP4N-LAPOR!", "WhatsApp", "Loket"]),
            "selesai", received, answered.strftime("%d/%m/%Y %H:%M") if i % 2 else answered,
            answered + dt.timedelta(days=2) if rnd.random() < 0.7 else None, rnd.choice(["ya", "tidak"]), 0,
        ])
    wb.save(path)


def _rss_mib() -> float:
    # ru_maxrss is KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(path: str, mode: str) -> None:
    """Run in a fresh process: read the workbook once, print one JSON line of figures."""
    import tracemalloc

    from layanan_rules_spreadsheet import SpreadsheetAdapter

    rss_before = _rss_mib()
    adapter = SpreadsheetAdapter(path, {})
    if mode == "tracemalloc":
        tracemalloc.start()
    t0 = time.perf_counter()
    count = 0
    for _record in adapter.read():
        count += 1
    seconds = time.perf_counter() - t0
    out = {"mode": mode, "records": count, "seconds": seconds, "rss_before_mib": rss_before,
           "rss_peak_mib": _rss_mib(), "notes": [str(n) for n in adapter.notes]}
    if mode == "tracemalloc":
        _current, peak = tracemalloc.get_traced_memory()
        out["tracemalloc_peak_mib"] = peak / 2**20
        tracemalloc.stop()
    if mode == "hold":
        import gc

        records = []
        tracemalloc.start()
        for record in SpreadsheetAdapter(path, {}).read():
            records.append(record)
            if len(records) == 1000:
                break
        gc.collect()
        out["hold_1000_mib"] = tracemalloc.get_traced_memory()[0] / 2**20
        tracemalloc.stop()
    print(json.dumps(out))


def run_child(path: Path, mode: str) -> dict:  # type: ignore[type-arg]
    proc = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True,
                          check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--layanan", type=int, default=20_000)
    parser.add_argument("--pengaduan", type=int, default=80_000)
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--keep", type=Path, help="write the workbook here and keep it (reused if it exists)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[1], args.child[0])
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench-100k.xlsx"
        total = args.layanan + args.pengaduan
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            generate(path, args.layanan, args.pengaduan, args.seed)
            print(f"generated {path.name}: {args.layanan:,} layanan + {args.pengaduan:,} pengaduan rows, "
                  f"{path.stat().st_size / 2**20:.1f} MiB, in {time.perf_counter() - t0:.1f} s")
        timed = run_child(path, "time")
        traced = run_child(path, "tracemalloc")
        held = run_child(path, "hold")
        assert timed["records"] == total, (timed["records"], total, timed["notes"])
        rate = timed["records"] / timed["seconds"]
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
        print(f"read  {timed['records']:,} records in {timed['seconds']:.2f} s = {rate:,.0f} records/s")
        print(f"RSS   {timed['rss_before_mib']:.0f} MiB after imports -> peak {timed['rss_peak_mib']:.0f} MiB "
              f"(+{timed['rss_peak_mib'] - timed['rss_before_mib']:.0f} MiB while reading)")
        print(f"tracemalloc peak while reading: {traced['tracemalloc_peak_mib']:.2f} MiB "
              f"(under tracemalloc: {traced['seconds']:.1f} s)")
        per_1000 = held["hold_1000_mib"]
        print(f"for scale: 1,000 records held in a list take {per_1000:.2f} MiB of Python objects, "
              f"so all {total:,} would take about {per_1000 * total / 1000:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
