"""Generate docs/rules.md (every rule, from the rule files) and docs/coverage.md (law coverage).

    python scripts/gen_rule_docs.py            # write both files
    python scripts/gen_rule_docs.py --check    # exit 1 if either file is out of date

The text comes from the rule files themselves (titles, citations with their verbatim text,
severity, sanction, remedy, notes, parameters) and from rulesets/uu-25-2009/coverage/pasal.yaml,
so the documentation cannot drift from the rules.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from layanan_rules import load_ruleset
from layanan_rules.rules.coverage import build_matrix, render_markdown
from layanan_rules.rules.ruleset import Ruleset

ROOT = Path(__file__).resolve().parent.parent
RULESET = ROOT / "rulesets" / "uu-25-2009"
DOCS = ROOT / "docs"

SEVERITY_MAPPING = """\
## Bukti / Evidence

Kewajiban yang tidak punya bukti dalam data (tanggal, tanda, daftar kosong) dinilai **gagal**:
tidak ada bukti berarti tidak terbukti dilaksanakan. Nilai yang rusak atau tidak terbaca menjadi
**galat** (error), bukan gagal. Tenggat yang masih berjalan pada `as_of` dinilai **tidak berlaku**
sampai tenggatnya lewat. / A duty with no evidence in the data (a date, a flag, an empty list)
**fails**: no evidence means not shown to be done. A malformed or unreadable value is an
**error**, not a failure. A deadline still running at `as_of` is **not applicable** until it passes.

## Tingkat / Severity

Tingkat setiap aturan diturunkan dari sanksi yang dilekatkan undang-undang pada ketentuan itu
(UU 25/2009 Pasal 54; untuk PP 96/2012, Pasal 49 PP). / Each rule's severity follows the sanction
the law attaches to the provision (UU 25/2009 Article 54; for PP 96/2012, its Article 49).

| Tingkat / Severity | Sanksi / Sanction |
|---|---|
| `critical` | Pasal 54 ayat (8) pemberhentian dengan hormat tidak atas permintaan sendiri; ayat (9) pemberhentian tidak dengan hormat (PP 49(4)) / dismissal |
| `high` | Pasal 54 ayat (5) penurunan gaji, (6) penurunan pangkat, (7) pembebasan dari jabatan (PP 49(2), 49(3)) / pay or rank reduction, removal from post |
| `medium` | Pasal 54 ayat (1)-(4) teguran tertulis, yang dapat meningkat menjadi pembebasan dari jabatan (PP 49(1)); UU 37/2008 Pasal 39 sanksi administrasi tanpa jenis yang disebut - tingkat bersanksi yang paling rendah (rekomendasi Ombudsman; BELUM TERKONFIRMASI) / written warning, escalating; UU 37/2008 Article 39 administrative sanctions of no named kind - the lowest sanctioned level (UNCONFIRMED) |
| `low` | tidak ada sanksi dalam Pasal 54-56 / PP Pasal 49 / no sanction listed |
| `info` | bukan kewajiban penyelenggara (misalnya tenggat pengaduan bagi pengadu, Pasal 42(2)) / not a provider duty |

Pengecualian yang disengaja (dijelaskan dalam catatan aturan) / deliberate exceptions (each
explained in the rule's note):

- Komponen Pasal 21 (`UU25-21a`-`n`): `medium` walau Pasal 21 tanpa sanksi sendiri, karena
  komponen yang hilang adalah bukti pelanggaran Pasal 15 huruf a / Pasal 20(1) / medium although
  Article 21 carries no sanction of its own.
- Ringkasan unit (`UU25-44-3-unit`, `UU25-50-1-unit`, `UU25-50-2-unit`): `low`, tanpa sanksi dan
  berbobot 0 - sanksi dan skor melekat pada temuan setiap pengaduan / unit summaries carry no
  sanction and weight 0: the sanction and the score belong to each complaint's finding.

Sebuah aturan dapat membawa beberapa sanksi (`sanctions`); tingkatnya mengikuti yang terberat. /
A rule may carry several sanctions (`sanctions`); its severity follows the heaviest:

- `UU25-15e-ikm`: Pasal 15 huruf e tercantum dalam Pasal 54 ayat (2) dan (7) (inkonsistensi
  undang-undang, referensi 9 butir 14); keduanya dicatat, tingkat `high` / Article 15(e) is in both
  54(2) and 54(7); both are recorded, severity `high`.
- `UU25-28-1`: Pasal 54 ayat (5) untuk Pasal 28(1), dan ayat (7) karena kelalaian menurut Pasal
  28(4) (kecuali keadaan kahar, yang harus ditunjukkan penyelenggara) / 54(5) for 28(1), and 54(7)
  as negligence under 28(4) (unless force majeure, which the provider must show).
- `PP96-50-2`: PP Pasal 49 ayat (4) melalui PP Pasal 22 ayat (1), seperti referensi 4.1 /
  through PP Article 22(1), as the reference routes it.
- Pasal 54 ayat (10)-(11) (pembekuan/pencabutan izin, hanya penyelenggara Pasal 5(3)c/5(4)c) dan
  Pasal 55-56 (pidana, denda; diputus pengadilan) disebut dalam catatan, tidak mengubah tingkat /
  are named in the notes and do not change the severity.

## Isi maklumat / Maklumat content

Teks maklumat dibaca per klausa (dipisah `.`, `;`, `!`, `?`; pindah baris hanya tata letak), tanpa
membedakan huruf besar-kecil dan urutan kata, oleh fungsi `unsur_maklumat`
(`layanan_rules.model.parsing.unsur_maklumat`). Tiga unsur / three elements:

| Unsur | Dasar | Dikenali bila satu klausa memuat / recognised when one clause holds |
|---|---|---|
| `janji_standar` | UU 25/2009 Pasal 22 ayat (1); PP 96/2012 Pasal 30 ayat (2) | kata kesanggupan (sanggup, berjanji, bersedia, berkomitmen, menjamin, siap, bertekad, berikrar, akan) dan "sesuai (dengan) / berdasarkan / mengacu pada / memenuhi / menurut / berpedoman pada (ketentuan) standar (pelayanan)"; "tidak sesuai standar" tidak dihitung |
| `perbaikan_berkelanjutan` | PermenPAN-RB 15/2014 (BELUM TERKONFIRMASI) | kata perbaikan (perbaikan, memperbaiki, penyempurnaan, menyempurnakan, peningkatan, meningkatkan, berbenah, inovasi) dan kata kesinambungan (terus-menerus, terus, berkelanjutan, berkesinambungan, senantiasa, selalu, secara berkala, tiada/tanpa henti) |
| `sanksi_kompensasi` | PermenPAN-RB 15/2014 (BELUM TERKONFIRMASI) | kata penerimaan (siap, bersedia, sanggup, rela, menerima, memberikan, memberi, membayar, menanggung) dan sanksi, kompensasi, ganti rugi atau konsekuensi hukum |

Kata kesanggupan atau penerimaan tepat sesudah "tidak", "belum", "bukan" atau "tak" tidak dihitung.
Bukti temuan memuat kutipan terpendek yang menyatakan setiap unsur (atau null). / A commitment or
acceptance word right after a negation does not count. A finding's evidence quotes the shortest
stretch stating each element (or null). `UU25-22-1` requires the first (the Act); `PANRB15-maklumat`
all three (the guideline, low).

## Peserta penyusunan standar / Participants in drafting a standard

PP 96/2012 Pasal 23 ayat (1) menyebut siapa "Masyarakat dan Pihak Terkait": wakil penerima manfaat
pelayanan (huruf a) dan tokoh masyarakat, akademisi, dunia usaha, organisasi profesi dan/atau LSM
(huruf b). Fungsi `unsur_peserta(kategori, organisasi)` membaca golongan peserta dari teksnya
(kategori dulu, lalu organisasi) / reads a participant's group from its category, then its
organisation:

| Golongan / group | Contoh kata / example words |
|---|---|
| `lsm` | lembaga swadaya masyarakat, LSM, NGO, ormas, yayasan, komunitas, forum warga |
| `organisasi_profesi` | organisasi/asosiasi profesi, ikatan ..., persatuan ..., IDI, PPNI, IBI, PERADI, PWI |
| `akademisi` | akademisi, universitas, perguruan tinggi, dosen, peneliti, politeknik, institut |
| `dunia_usaha` | dunia usaha, pelaku usaha, pengusaha, KADIN, asosiasi, perusahaan, PT, CV, UMKM, koperasi |
| `tokoh_masyarakat` | tokoh ..., pemuka ..., ulama, ketua RT/RW, kepala desa, lurah, ketua adat |
| `penerima_manfaat` | penerima/pengguna layanan, pemohon, masyarakat, warga, pelanggan, pasien, penyandang disabilitas, lansia |
| `internal` (tidak dihitung / not counted) | pegawai, staf, petugas, ASN, pejabat, pelaksana, kepala seksi/bidang/dinas, panitia |
| `pemerintah` (tidak dihitung / not counted) | dinas, badan, instansi, pemerintah, kementerian, kecamatan, OPD, DPRD |

`UU25-20-2` lulus bila sekurang-kurangnya satu peserta termasuk enam golongan pertama (Pasal 23(1));
`UU25-20-4` bila ada dua golongan Pasal 23(1) yang berbeda. / `UU25-20-2` passes when at least one
participant is in one of the first six groups; `UU25-20-4` when two different ones are there.
"""


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ").strip()


def _block(text: str) -> str:
    return "\n".join("> " + line for line in text.strip().splitlines())


def render_rules(rs: Ruleset) -> str:
    spec = rs.spec
    by_file: dict[str, list] = defaultdict(list)
    for r in rs.rules:
        by_file[Path(r.location.file).name].append(r)
    counts: dict[str, int] = defaultdict(int)
    for r in rs.rules:
        counts[r.severity.value] += 1
    out = [
        "# Aturan / Rules",
        "",
        f"Ruleset `{spec.id}` {spec.version}: {spec.title.id} / {spec.title.en}.",
        "",
        ("Dibuat dari berkas aturan; jangan disunting tangan / generated from the rule files, do not edit by hand: "
        "`python scripts/gen_rule_docs.py`. Cakupan per pasal / coverage per article: [coverage.md](coverage.md)."),
        "",
        f"{len(rs.rules)} aturan / rules: "
        + ", ".join(f"{counts[s]} {s}" for s in ("critical", "high", "medium", "low", "info") if counts[s])
        + ".",
        "",
        ("Kutipan bertanda **belum terkonfirmasi / unconfirmed** bersumber sekunder atau belum dicek pada teks resmi "
        "(referensi hukum: CONFIRMED-SECONDARY / UNCONFIRMED). / Citations marked unconfirmed rest on secondary "
        "sources or were not checked against the official text."),
        "",
        SEVERITY_MAPPING,
        "## Parameter / Parameters",
        "",
        "| Nama / Name | Nilai / Value | Arti / Meaning | Dasar / Basis |",
        "|---|---|---|---|",
    ]
    for name, p in spec.parameters.items():
        basis = "; ".join(c.label("id") for c in p.legal_basis) or "kebijakan / policy"
        unit = f" {p.unit}" if p.unit else ""
        note = f" {_cell(p.note)}" if p.note else ""
        out.append(f"| `{name}` | `{p.value}`{unit} | {_cell(p.title.id)} / {_cell(p.title.en)}.{note} | {_cell(basis)} |")
    out += ["", "## Daftar / Index", "", "| Aturan / Rule | Entitas / Entity | Tingkat / Severity | Dasar hukum / Legal basis | Sanksi / Sanction | Berkas / File |",
            "|---|---|---|---|---|---|"]
    for file, rules in by_file.items():
        for r in rules:
            s = r.spec
            cite = s.legal_basis[0].label("id") if s.legal_basis else ""
            sanction = "<br>".join(c.label("id") for c in s.sanctions) or "-"
            out.append(f"| [`{r.id}`](#{r.id.lower()}) | `{r.entity}` | {s.severity.value} | {cite} | {sanction} | `{file}` |")
    for file, rules in by_file.items():
        out += ["", f"## `{file}`", ""]
        for r in rules:
            s = r.spec
            out += [f"### {r.id}", "", f"**{s.title.id}** / *{s.title.en}*", ""]
            out.append(
                f"- Berlaku untuk / applies to: `{s.applies_to}`; tingkat / severity: **{s.severity.value}**; "
                f"sanksi / sanctions: {'; '.join(c.label('id') for c in s.sanctions) or '- (tidak ada / none listed)'}"
            )
            for c in s.sanctions:
                if c.note:
                    out.append(f"  - {c.label('id')}: {_cell(c.note)}")
            if s.tags:
                out.append(f"- Tag: {', '.join(s.tags)}")
            out.append("- Dasar hukum / legal basis:")
            for c in s.legal_basis:
                flag = "" if c.confirmed else " **(belum terkonfirmasi / unconfirmed)**"
                out.append(f"  - {c.label('id')}{flag}")
                if c.text:
                    out += ["", "    " + _block(c.text).replace("\n", "\n    "), ""]
                if c.note:
                    out.append(f"    Catatan / note: {_cell(c.note)}")
            if s.when:
                out += ["- Bila / when:", "", "  ```", "  " + s.when.strip().replace("\n", "\n  "), "  ```", ""]
            out += ["- Syarat / require:", "", "  ```", "  " + s.require.strip().replace("\n", "\n  "), "  ```", ""]
            out.append(f"- Perbaikan: {_cell(s.remedy.id)}")
            out.append(f"- Remedy: {_cell(s.remedy.en)}")
            if s.note:
                out.append(f"- Catatan / note: {_cell(s.note)}")
            ex = s.examples
            out.append(
                f"- Contoh / examples: {len(ex.pass_)} pass, {len(ex.fail)} fail, "
                f"{len(ex.not_applicable)} not_applicable, {len(ex.error)} error"
            )
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the generated files are out of date")
    ap.add_argument("--ruleset", default=str(RULESET))
    ap.add_argument("--docs", default=str(DOCS))
    args = ap.parse_args(argv)
    rs = load_ruleset(args.ruleset)
    docs = Path(args.docs)
    files = {docs / "rules.md": render_rules(rs), docs / "coverage.md": render_markdown(build_matrix(rs))}
    stale = []
    for path, text in files.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                print(f"ditulis / written: {path}", file=sys.stderr)
    if args.check and stale:
        print("tidak mutakhir / out of date: " + ", ".join(str(p) for p in stale)
              + " - run: python scripts/gen_rule_docs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
