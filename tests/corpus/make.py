"""Write the bad-input corpus files (run from the repository root: ``python tests/corpus/make.py``).

The files are committed; this script says exactly how each was made, byte for byte (encodings,
byte-order marks, keys written twice, bombs), and makes them again when a case is added. What
each file must produce (exit code, message, records) is written by hand in ``cases.yaml``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

UNIT = '{"id": "U1", "penyelenggara_id": "P1", "nama": "Dinas Kependudukan"}'
P1 = '{"id": "P1", "nama": "Pemerintah Kota Contoh"}'


def base(extra: str = "", layanan: str = '{"id": "L1", "unit_id": "U1", "nama": "KTP"}, '
                                          '{"id": "L2", "unit_id": "U1", "nama": "KK"}') -> str:
    """A small valid dataset (4 records) with ``extra`` top-level text added."""
    return (f'{{"penyelenggara": [{P1}],\n "unit": [{UNIT}],\n "layanan": [{layanan}]'
            + (f",\n {extra}" if extra else "") + "}\n")


def write(rel: str, data: str | bytes) -> None:
    path = HERE / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


# --- JSON / JSON Lines --------------------------------------------------------------------------------

def json_cases() -> None:
    write("json/valid.json", base())
    write("json/duplicate-top-level-key.json",
          f'{{"unit": [{UNIT}], "penyelenggara": [{P1}],\n'
          ' "layanan": [{"id": "L1", "unit_id": "U1"}, {"id": "L2", "unit_id": "U1"}],\n'
          ' "layanan": [{"id": "L3", "unit_id": "U1"}]}\n')
    write("json/duplicate-key-in-record.json",
          base(layanan='{"id": "L1", "unit_id": "U1", "nama": "KTP", "nama": "Kartu Keluarga"}'))
    write("json/duplicate-key-same-value.json",
          base(layanan='{"id": "L1", "unit_id": "U1", "nama": "KTP", "nama": "KTP"}'))
    write("json/duplicate-key-nested.json",
          base(layanan='{"id": "L1", "unit_id": "U1", "standar": {"biaya": "Gratis", "biaya": "Rp 50.000"}}'))
    write("json/duplicate-relation-key.json",
          f'{{"penyelenggara": [{P1}], "unit": [{{"id": "U1", "penyelenggara_id": "P1", '
          '"layanan": [{"id": "L1"}], "layanan": [{"id": "L2"}, {"id": "L3"}]}]}\n')
    write("json/nested-children.json",
          f'{{"penyelenggara": [{P1}], "unit": [{{"id": "U1", "penyelenggara_id": "P1", "nama": "Dinas",\n'
          '  "layanan": [{"id": "L1", "nama": "KTP"}, {"id": "L2", "nama": "KK",\n'
          '     "pengaduan": [{"id": "A1", "unit_id": "U1", "diterima_pada": "2024-01-09"}]}]}]}\n')
    write("json/child-as-object.json",
          f'{{"penyelenggara": [{P1}], "unit": [{{"id": "U1", "penyelenggara_id": "P1",\n'
          '  "layanan": {"id": "L1", "nama": "KTP"}}]}\n')
    write("json/entity-as-object.json", '{"penyelenggara": ' + P1 + ', "unit": [' + UNIT + ']}\n')
    write("json/relation-as-text.json",
          f'{{"penyelenggara": [{P1}], "unit": [{{"id": "U1", "penyelenggara_id": "P1", "layanan": "L1"}}]}}\n')
    write("json/metadata-keys.json",
          base('"$schema": "https://contoh.go.id/skema.json", "_meta": {"dibuat": "2025-01-31"},\n'
               ' "$arsip": [{"id": "L9", "unit_id": "U1"}, {"id": "L10", "unit_id": "U1"}]'))
    write("json/unknown-entity-key.json",
          base('"layanann": [{"id": "L3", "unit_id": "U1"}, {"id": "L4", "unit_id": "U1"}, {"id": "L5"}]'))
    write("json/no-id.json", base(layanan='{"unit_id": "U1", "nama": "KTP"}, {"id": "", "nama": "KK"}'))
    write("json/duplicate-id.json", base(layanan='{"id": "L1", "nama": "KTP"}, {"id": "L1", "nama": "KK"}'))
    write("json/bom-utf8.json", b"\xef\xbb\xbf" + base().encode("utf-8"))
    text = base(layanan='{"id": "L1", "unit_id": "U1", "nama": "Pelayanan Akta Kelahiran \u00e9"}')
    write("json/utf16-bom.json", text.encode("utf-16"))
    write("json/utf16-no-bom.json", text.encode("utf-16-le"))
    write("json/latin1.json", text.encode("latin-1"))
    write("json/invalid-byte.json", base().encode("utf-8").replace(b'"KTP"', b'"KT\xffP"'))
    write("json/nested-100k.json", base('"catatan": ' + "[" * 100_000 + "]" * 100_000))
    write("json/nested-within-limit.json",
          base(layanan='{"id": "L1", "unit_id": "U1", "lampiran": ' + "[" * 50 + "1" + "]" * 50 + '}'))
    write("json/integer-5000-digits.json", base(layanan='{"id": "L1", "unit_id": "U1", "kuota": ' + "9" * 5000 + "}"))
    write("json/top-level-array.json", f"[{P1}]\n")
    write("json/record-not-object.json", base(layanan='"L1", "L2"'))
    write("json/entity-not-list.json", '{"unit": 5}\n')
    write("json/truncated.json", base()[:-12])
    write("json/empty.json", b"")
    write("json/empty-object.json", "{}\n")
    write("json/trailing-comma.json", base().replace('"KK"}]', '"KK"},]'))
    write("jsonl/nested-children.jsonl",
          f'{{"penyelenggara": {P1}}}\n'
          '{"unit": {"id": "U1", "penyelenggara_id": "P1", "layanan": [{"id": "L1"}, {"id": "L2"}]}}\n'
          '\n'
          '{"layanan": {"id": "L3", "unit_id": "U1", "nama": "Akta", "nama": "Akta Lahir"}}\n')
    write("jsonl/two-entities-one-line.jsonl",
          f'{{"penyelenggara": {P1}, "unit": {UNIT}}}\n{{"layanan": {{"id": "L1", "unit_id": "U1"}}, '
          '"layanan": {"id": "L2", "unit_id": "U1"}}\n')
    write("jsonl/bad-line.jsonl", f'{{"penyelenggara": {P1}}}\n{{"unit": {{"id": "U1",}}}}\n')
    write("jsonl/not-an-object.jsonl", f'{{"penyelenggara": {P1}}}\n["unit", "U1"]\n')


def toml_cases() -> None:
    write("toml/nested-children.toml", '[[penyelenggara]]\nid = "P1"\n\n[[unit]]\nid = "U1"\npenyelenggara_id = "P1"\n\n'
          '[[unit.layanan]]\nid = "L1"\nnama = "KTP"\n\n[[unit.layanan]]\nid = "L2"\nnama = "KK"\n\n'
          '[[arsip]]\nid = "X1"\n')
    write("toml/latin1.toml", '[[layanan]]\nid = "L1"\nnama = "Akta \u00e9"\n'.encode("latin-1"))
    write("toml/not-an-array.toml", 'layanan = "L1"\n')
    write("toml/duplicate-key.toml", '[[layanan]]\nid = "L1"\nid = "L2"\n')


# --- CSV ----------------------------------------------------------------------------------------------

def csv_cases() -> None:
    header = "ID Layanan,Nama Layanan,ID Unit\n"
    write("csv/valid/layanan.csv", header + "L1,KTP,U1\nL2,KK,U1\n")
    write("csv/unclosed-quote/layanan.csv", header + 'L1,"KTP elektronik,U1\nL2,KK,U1\nL3,"Akta",U1\nL4,SKCK,U1\n')
    write("csv/quote-to-end/layanan.csv", header + 'L1,KTP,U1\nL2,"KK,U1\nL3,Akta,U1\nL4,SKCK,U1\n')
    write("csv/multiline-address/unit.csv",
          'ID Unit,Nama Unit,Alamat Pengaduan\nU1,Disdukcapil,"Jl. Merdeka No. 1,\nKota Contoh"\nU2,DPMPTSP,Jl. Sudirman\n')
    write("csv/windows-1252/layanan.csv",
          (header + "L1,Pelayanan Akta Kelahiran \u00e9,U1\nL2,KK \u2013 baru,U1\n").encode("cp1252"))
    write("csv/undecodable/layanan.csv", header.encode() + b"L1,KTP \x81 baru,U1\nL2,KK,U1\n")
    write("csv/long-field/layanan.csv", header + "L1," + "x" * 5000 + ",U1\nL2,KK,U1\n")
    write("csv/semicolon/layanan.csv", "ID Layanan;Nama Layanan;ID Unit\nL1;KTP, elektronik;U1\nL2;KK;U1\n")
    write("csv/title-rows/layanan.csv",
          "DAFTAR LAYANAN DINAS KEPENDUDUKAN,,\nTahun 2024,,\n,,\n" + header + "L1,KTP,U1\nL2,KK,U1\n")
    write("csv/header-repeated/layanan.csv", header + "L1,KTP,U1\nL2,KK,U1\n" + header + "L3,Akta,U1\n")
    write("csv/second-header-row/layanan.csv",
          header + "L1,KTP,U1\nKode Layanan,Nama Layanan,Unit\nL2,KK,U1\nL3,Akta,U1\n")
    write("csv/example-row/layanan.csv", header + "CONTOH-1,Contoh layanan,U1\nL1,KTP,U1\n")
    write("csv/extra-cells/layanan.csv", header + "L1,KTP,U1,catatan lepas\nL2,KK,U1\n")
    write("csv/blank-rows/layanan.csv", header + "\nL1,KTP,U1\n,,\nL2,KK,U1\n\n")
    write("csv/folder/layanan.csv", header + "L1,KTP,U1\nL2,KK,U1\n")
    write("csv/folder/arsip_lama.csv", header + "L8,Lama,U1\nL9,Lama juga,U1\n")
    write("csv/unnamed.csv", header + "L1,KTP,U1\n")
    write("skm/undecodable.csv", b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,3,\x81,4,4,3,4,4,4\n")
    write("skm/long-field.csv", "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,3," + "3" * 5000 + ",4,4,3,4,4,4\n")
    write("csv/utf16-bom/layanan.csv", (header + "L1,Akta \u00e9,U1\nL2,KK,U1\n").encode("utf-16"))
    write("csv/utf8-bom/layanan.csv", b"\xef\xbb\xbf" + (header + "L1,KTP,U1\n").encode())


# --- workbooks ----------------------------------------------------------------------------------------

def xlsx_cases() -> None:
    import openpyxl

    def book(rel: str, sheets: dict[str, list[list[object]]], merge: dict[str, list[str]] | None = None,
             hidden: tuple[str, ...] = ()) -> None:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, rows in sheets.items():
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
            for rng in (merge or {}).get(name, []):
                ws.merge_cells(rng)
            if name in hidden:
                ws.sheet_state = "hidden"
        path = HERE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        _fixed_dates(path)

    head = ["ID Layanan", "Nama Layanan", "ID Unit"]
    units = [["ID Unit", "Nama Unit"], ["U1", "Disdukcapil"], ["U2", "DPMPTSP"]]
    book("xlsx/merged-unit.xlsx", {"Unit": units, "Layanan": [head, ["L1", "KTP", "U1"], ["L2", "KK", None],
                                                               ["L3", "Akta", None], ["L4", "Izin", "U2"]]},
         merge={"Layanan": ["C2:C4"]})
    book("xlsx/second-header-row.xlsx", {"Layanan": [head, ["L1", "KTP", "U1"],
                                                     ["Kode Layanan", "Nama Layanan", "Unit", "Biaya"],
                                                     ["L2", "KK", "U1", "Gratis"], ["L3", "Akta", "U1", "Gratis"]]})
    book("xlsx/title-rows.xlsx", {"Layanan": [["DAFTAR LAYANAN DINAS KEPENDUDUKAN"], ["Keadaan 31 Desember 2024"],
                                              [], head, ["L1", "KTP", "U1"], ["L2", "KK", "U1"]]},
         merge={"Layanan": ["A1:C1"]})
    book("xlsx/unknown-sheet.xlsx", {"Layanan": [head, ["L1", "KTP", "U1"]],
                                     "Rekap Lama": [head, ["L8", "Lama", "U1"], ["L9", "Lama", "U1"]]})
    book("xlsx/hidden-sheet.xlsx", {"Layanan": [head, ["L1", "KTP", "U1"]], "Unit": units}, hidden=("Unit",))
    book("xlsx/two-row-header.xlsx", {"Layanan": [["ID Layanan", "Nama Layanan", "Unit"], [None, None, "ID Unit"],
                                                  ["L1", "KTP", "U1"], ["L2", "KK", "U1"]]},
         merge={"Layanan": ["A1:A2", "B1:B2"]})
    write("xlsx/not-a-workbook.xlsx", "ID Layanan,Nama Layanan\nL1,KTP\n")
    good = (HERE / "xlsx/hidden-sheet.xlsx").read_bytes()
    write("xlsx/truncated.xlsx", good[: len(good) // 2])
    # bombs: a workbook whose shared-strings table or sheet unpacks far beyond its size on disk
    shared_bomb("xlsx/shared-strings-bomb.xlsx", 110 << 20)  # ~110 KB on disk, 110 MB unpacked
    shared_bomb("xlsx/shared-strings-2mb.xlsx", 2 << 20)
    sheet_bomb("xlsx/sheet-bomb.xlsx", 4 << 20)


def _zip(rel: str, parts: dict[str, bytes]) -> None:
    path = HERE / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in parts.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 31, 0, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def _fixed_dates(path: Path) -> None:
    """The same workbook gives the same bytes: entry dates and document times fixed."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    core = parts.get("docProps/core.xml")
    if core is not None:
        import re

        parts["docProps/core.xml"] = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-01-31T00:00:00Z", core)
    _zip(str(path.relative_to(HERE)), parts)


_CT = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+'
       b'xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
       b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
       b'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       b'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
       b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
       b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
       b'name="Layanan" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://'
            b'schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            b'</Relationships>')


def _sheet(rows: list[list[str]]) -> bytes:
    out = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(f'<c r="{chr(65 + c)}{r}" t="s"><v>{v}</v></c>' for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData>' + "".join(out).encode() + b"</sheetData></worksheet>")


def shared_bomb(rel: str, size: int) -> None:
    """A real xlsx (header + one row) whose one text cell holds ``size`` bytes of 'a'."""
    strings = ["ID Layanan", "Nama Layanan", "L1"]
    body = "".join(f"<si><t>{s}</t></si>" for s in strings).encode()
    shared = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
              b'2006/main" count="4" uniqueCount="4">' + body + b"<si><t>" + b"a" * size + b"</t></si></sst>")
    _zip(rel, {"[Content_Types].xml": _CT, "_rels/.rels": _RELS, "xl/workbook.xml": _WB,
               "xl/_rels/workbook.xml.rels": _WB_RELS, "xl/sharedStrings.xml": shared,
               "xl/worksheets/sheet1.xml": _sheet([["0", "1"], ["2", "3"]])})


def sheet_bomb(rel: str, size: int) -> None:
    """A real xlsx whose sheet XML holds ``size`` bytes of padding between its rows."""
    shared = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
              b'2006/main" count="3" uniqueCount="3"><si><t>ID Layanan</t></si><si><t>Nama Layanan</t></si>'
              b"<si><t>L1</t></si></sst>")
    sheet = _sheet([["0", "1"], ["2", "1"]]).replace(b"</row>", b"</row>" + b" " * size, 1)
    _zip(rel, {"[Content_Types].xml": _CT, "_rels/.rels": _RELS, "xl/workbook.xml": _WB,
               "xl/_rels/workbook.xml.rels": _WB_RELS, "xl/sharedStrings.xml": shared,
               "xl/worksheets/sheet1.xml": sheet})


# --- rule files and rulesets --------------------------------------------------------------------------

RULESET = """id: mini
title: {id: Aturan mini untuk korpus, en: Mini ruleset for the corpus}
version: 0.1.0
acts:
  - {id: UU 25/2009, title: Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik}
"""

RULE = """- id: MINI-1
  title: {id: Layanan bernama, en: A service has a name}
  legal_basis:
    - {act: UU 25/2009, article: 21, letter: a}
  applies_to: layanan
  require: "%s"
  severity: medium
  remedy: {id: Beri nama layanan., en: Name the service.}
"""


def rule(require: str = "has(layanan.nama)") -> str:
    return RULE % require


def bomb(levels: int = 9, width: int = 9) -> str:
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def rules_cases() -> None:
    write("rulesets/mini/ruleset.yaml", RULESET)
    write("rulesets/mini/rules.yaml", rule())
    write("rulesets/costly/ruleset.yaml", RULESET)
    write("rulesets/costly/rules.yaml", rule(
        "[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, "
        "[1,2,3,4,5,6,7,8,9,10].map(d, [1,2,3,4,5,6,7,8,9,10])))).size() > 0 && has(layanan.nama)"))
    write("rulesets/doubling/ruleset.yaml", RULESET)
    write("rulesets/doubling/rules.yaml", rule(
        "[layanan.nama].map(x, x + x)" + ".map(x, x + x)" * 40 + ".size() > 0"))
    write("rulesets/bomb-in-ruleset-yaml/ruleset.yaml", RULESET + "x-bom:\n" + "".join("  " + ln + "\n" for ln in
                                                                               bomb().splitlines()))
    write("rulesets/bomb-in-ruleset-yaml/rules.yaml", rule())
    write("rules/alias-bomb.yaml", rule() + "  note:\n" + "".join("    " + ln + "\n" for ln in bomb().splitlines()))
    write("rules/date-30-february.yaml", rule() + "  valid_from: 2024-02-30\n")
    write("rules/unknown-tag.yaml", rule().replace("severity: medium", "severity: !penting medium"))
    write("rules/list-as-key.yaml", rule() + "  ? [a, b]\n  : 1\n")
    write("rules/flow-nesting-50k.yaml", rule().replace("  severity: medium\n",
                                                        "  severity: medium\n  note: " + "[" * 50_000 + "]" * 50_000
                                                        + "\n"))
    write("rules/block-nesting-3000.yaml", "- " * 3000 + "x\n")  # compact block sequences, 3,000 deep
    write("rules/nesting-70.yaml", rule().replace("  severity: medium\n", "  severity: medium\n  note: "
                                                  + "[" * 70 + "]" * 70 + "\n"))
    text = rule().replace("Beri nama layanan.", "Beri nama layanan (\u00e9).")
    write("rules/latin1.yaml", text.encode("latin-1"))
    write("rules/utf16-bom.yaml", text.encode("utf-16"))
    write("rules/duplicate-key.yaml", rule() + "  severity: high\n")
    write("rules/tab-indent.yaml", rule().replace("  title:", "\ttitle:"))
    write("rules/expression-too-long.yaml", rule(" || ".join(["has(layanan.nama)"] * 2000)))
    write("rules/member-chain.yaml", rule("layanan" + ".nama" * 2000 + " != ''"))
    write("rules/expression-too-deep.yaml", rule("(" * 200 + "true" + ")" * 200))
    write("rules/unknown-key.yaml", rule().replace("  severity: medium", "  severitas: medium"))
    write("rules/not-a-list.yaml", "id: MINI-1\n")


# --- waivers and attestations --------------------------------------------------------------------------

WAIVER = """- rule: UU25-21a
  entity: layanan
  id: L1
  reason: Standar sedang disusun
  legal_basis: Keputusan Kepala Dinas Nomor 7 Tahun 2024
  approved_by: Kepala Dinas
  start: 2025-01-01
  expires: 2025-12-31
"""


def waiver_cases() -> None:
    write("waivers/valid.yaml", WAIVER)
    write("waivers/alias-bomb.yaml", bomb() + "waivers:\n" + "".join("  " + ln + "\n" for ln in WAIVER.splitlines()))
    write("waivers/utf16-bom.yaml", WAIVER.encode("utf-16"))
    write("waivers/date-30-february.yaml", WAIVER.replace("2025-12-31", "2025-02-30"))
    write("waivers/latin1.yaml", WAIVER.replace("disusun", "disusun \u00e9").encode("latin-1"))
    head = "rule,entity,id,reason,legal_basis,approved_by,start,expires\n"
    write("waivers/long-field.csv", head + "UU25-21a,layanan,L1," + "x" * 5000 + ",SK 7/2024,Kepala Dinas,"
          "2025-01-01,2025-12-31\n")
    write("waivers/latin1.csv", (head + "UU25-21a,layanan,L1,Standar \u00e9,SK 7/2024,Kepala Dinas,2025-01-01,"
                                        "2025-12-31\n").encode("latin-1"))
    write("waivers/unknown-column.csv", head.replace("reason", "alasan_lain") + "UU25-21a,layanan,L1,x,SK 7/2024,"
          "Kepala Dinas,2025-01-01,2025-12-31\n")
    shared_bomb("waivers/bomb.xlsx", 2 << 20)


# --- mapping files -------------------------------------------------------------------------------------

def mapping_cases() -> None:
    write("mappings/alias-bomb.yaml", bomb() + "layanan:\n  sheet: Layanan\n")
    write("mappings/latin1.yaml", "layanan:\n  columns:\n    Nama L\u00e9yanan: nama\n".encode("latin-1"))
    write("mappings/deep.yaml", "layanan:\n  columns: " + "[" * 2000 + "]" * 2000 + "\n")
    write("mappings/list-as-key.yaml", "layanan:\n  columns:\n    ? [a]\n    : nama\n")


# --- HTTP and SQL sources (served or built by the runner) ---------------------------------------------

def source_cases() -> None:
    write("http/duplicate-top-level-key.json",
          f'{{"penyelenggara": [{P1}], "unit": [{UNIT}], "layanan": [{{"id": "L1", "unit_id": "U1"}}],\n'
          ' "layanan": [{"id": "L2", "unit_id": "U1"}]}\n')
    write("http/nested-100k.json", '{"layanan": [{"id": "L1", "x": ' + "[" * 100_000 + "]" * 100_000 + "}]}")
    write("http/not-json.json", "<html><body>Silakan login</body></html>")
    write("http/once.yaml", "timeout: 1\nretries: {max_attempts: 1, backoff: 0, max_wait: 0}\n")
    write("sql/base.sql", "CREATE TABLE unit (id TEXT PRIMARY KEY, nama TEXT);\n"
                          "CREATE TABLE layanan (id TEXT PRIMARY KEY, unit_id TEXT, nama TEXT);\n"
                          "CREATE TABLE arsip_lama (id TEXT, catatan TEXT);\n"
                          "INSERT INTO unit VALUES ('U1', 'Disdukcapil');\n"
                          "INSERT INTO layanan VALUES ('L1', 'U1', 'KTP'), ('L2', 'U1', 'KK');\n"
                          "INSERT INTO arsip_lama VALUES ('X1', 'lama');\n")
    write("sql/attach.yaml", "entities:\n  layanan:\n    query: \"ATTACH DATABASE '{tmp}/baru.db' AS baru\"\n")
    write("sql/vacuum-into.yaml", "entities:\n  layanan:\n    query: \"VACUUM INTO '{tmp}/salinan.db'\"\n")
    write("sql/delete.yaml", "entities:\n  layanan:\n    query: \"DELETE FROM layanan RETURNING *\"\n")


if __name__ == "__main__":
    json_cases()
    toml_cases()
    csv_cases()
    xlsx_cases()
    rules_cases()
    waiver_cases()
    mapping_cases()
    source_cases()
    print(f"korpus ditulis / corpus written: {sum(1 for p in HERE.rglob('*') if p.is_file())} berkas / files")
