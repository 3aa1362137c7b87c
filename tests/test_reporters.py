"""Every report format, produced from the bundled example, checked for content."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner
from support import EXAMPLE_JSON, ROOT
from test_reporters_helpers import document, example_report, mini_ruleset, render, rule, write_json

from layanan_rules import hookimpl, load_ruleset
from layanan_rules.cli import cli
from layanan_rules.plugins import get_plugin_manager
from layanan_rules.report.reporters import Reporter, available
from layanan_rules.report.stream import findings_of

SCHEMA = json.loads((ROOT / "docs" / "report-schema.json").read_text(encoding="utf-8"))
FORMATS = ("table", "json", "jsonl", "csv", "xlsx", "junit", "markdown", "html", "parquet")


@pytest.fixture(scope="module")
def report():
    return example_report()


@pytest.fixture(scope="module")
def doc(report):
    return document(report)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_every_builtin_format_is_registered_through_the_hook():
    reporters = available(get_plugin_manager())
    assert set(FORMATS) <= set(reporters)
    assert reporters["xlsx"].binary and not reporters["html"].binary


def test_a_plugin_reporter_shows_up_beside_the_builtins():
    class Plugin:
        @hookimpl
        def register_reporters(self):
            return [Reporter("hitung", "jumlah temuan / finding count", "txt",
                             lambda report, out, options: out.write(f"{len(report.findings)}\n"))]

    pm = get_plugin_manager(entry_points=False)
    pm.register(Plugin())
    assert {"hitung", "json", "html"} <= set(available(pm))


def test_json_validates_against_the_published_schema(doc):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(doc, SCHEMA)
    assert doc["schema_version"].startswith("3.")
    assert doc["summary"]["findings"] == len(findings_of(doc)) == sum(doc["summary"]["states"].values())


def test_json_findings_name_their_rule_and_the_rules_map_holds_its_texts_once(doc):
    f = next(f for f in doc["findings"] if f["rule_id"] == "UU25-21a" and f["entity_id"] == "L3")
    # schema 3: entity, penyelenggara, wilayah and the report's own source are left to the maps
    assert f["state"] == "fail" and f["unit_id"] == "U2" and f["evidence"]
    assert not {"entity", "penyelenggara_id", "wilayah", "legal_basis", "title"} & set(f)
    # a report made in Python names no source of its own, so each provenance names its file
    assert doc["report"]["source"] is None and f["provenance"]["source"].endswith("dinas-contoh.json")
    assert doc["units"]["U2"] == {"penyelenggara_id": "P1", "wilayah": "Kota Contoh"}
    full = next(f for f in findings_of(doc) if f["rule_id"] == "UU25-21a" and f["entity_id"] == "L3")
    assert full["entity"] == "layanan" and full["penyelenggara_id"] == "P1" and full["wilayah"] == "Kota Contoh"
    assert full["provenance"]["source"].endswith("dinas-contoh.json")
    r = doc["rules"]["UU25-21a"]
    assert r["chapter"] == "standar-pelayanan" and r["severity"] == "medium" and r["entity"] == "layanan"
    assert r["legal_basis"][0]["label"] == "UU 25/2009 Pasal 21 huruf a" and r["legal_basis"][0]["text"]
    assert r["remedy"]["id"] and r["remedy"]["en"]
    assert set(doc["rules"]) == {f["rule_id"] for f in findings_of(doc)}
    # evidence and provenance only where a finding needs attention (unless --evidence all): the rest are quiet ids
    assert not any(f["state"] in ("pass", "not_applicable") and not set(f) - {"rule_id", "entity_id", "state", "unit_id"}
                   for f in doc["findings"])
    assert {g["state"] for g in doc["quiet"]} == {"pass", "not_applicable"}
    named = [(g["rule_id"], i) for g in doc["quiet"] for i in g["entity_ids"]] + [
        (f["rule_id"], f["entity_id"]) for f in doc["findings"]]
    assert len(named) == len(set(named)) == doc["summary"]["findings"]  # every finding named once
    groups = [(g["rule_id"], g.get("unit_id"), g["state"]) for g in doc["quiet"]]
    assert len(groups) == len(set(groups))


def test_json_provenance_leaves_out_the_report_s_own_source(tmp_path):
    out = tmp_path / "r.json"
    assert run("evaluate", str(EXAMPLE_JSON), "--format", "json", "-o", str(out), "-q").exit_code in (0, 1)
    doc = json.loads(out.read_text(encoding="utf-8"))
    source = doc["report"]["source"]["location"]
    provenances = [f["provenance"] for f in doc["findings"] if "provenance" in f]
    assert source.endswith("dinas-contoh.json") and provenances
    assert not any("source" in p for p in provenances) and all(p["part"] for p in provenances)
    assert all(f["provenance"]["source"] == source for f in findings_of(doc) if "provenance" in f)


def test_evidence_all_keeps_evidence_for_passing_findings(report):
    doc = document(report, evidence="all")
    assert doc["report"]["evidence"] == "all"
    assert all("provenance" in f for f in findings_of(doc))
    assert doc["quiet"] == [] and len(doc["findings"]) == doc["summary"]["findings"]


def test_json_quiet_groups_and_units_are_the_same_from_python_and_from_arrow(report, monkeypatch):
    """Small tables are grouped in Python, large ones by Arrow's group-by: the same text."""
    from layanan_rules.report import stream

    table = report.to_arrow()
    units = stream.json_units(table)
    small = [line for lines in stream.quiet_lines(table, units) for line in lines]
    monkeypatch.setattr(stream, "SMALL_GROUPS", 0)
    assert stream.json_units(table) == units
    assert [line for lines in stream.quiet_lines(table, units) for line in lines] == small
    source = stream.source_prefix("x")
    rows = table.to_batches()[0]
    arrow = stream.json_lines(stream.schema3_batch(rows, units, stream.report_source(report)), entity=False)
    monkeypatch.setattr(stream, "SMALL_LINES", 0)
    assert stream._json_objects_small(rows, False, units, stream.report_source(report)) == \
        stream._json_objects(stream.schema3_batch(rows, units, stream.report_source(report)), False).to_pylist() == arrow
    prov = '{"source": "x", "part": "layanan"}'
    assert stream._strip_source(prov, source) == '{"part": "layanan"}' and stream._strip_source('{"source": "x"}', source) == "{}"
    from layanan_rules.model import bulk
    from layanan_rules.report import table as table_module

    mask = table_module.quiet(table)
    monkeypatch.setattr(bulk, "SMALL_ROWS", 0)
    assert table_module.quiet(table).to_pylist() == mask.to_pylist()
    assert table_module.quiet(report.findings_table()).to_pylist() == mask.to_pylist()
    # and the held findings table (evidence made per batch) groups as the whole table does
    assert [line for lines in stream.quiet_lines(report.findings_table(), units) for line in lines] == small


def test_schema_3_reads_back_as_every_finding_in_full(report, doc):
    """What schema 3 leaves to its maps, put back, is schema 2's findings (to_dict's own table, whole)."""
    from layanan_rules.report.stream import json_lines

    whole = [json.loads(line) for batch in report.to_arrow().to_batches() for line in json_lines(batch)]
    def key(f):
        return (f["rule_id"], f["entity_id"])
    assert sorted(findings_of(doc), key=key) == sorted(whole, key=key)


def test_report_identity_names_the_tool_calendar_and_generation_time(doc, monkeypatch, report):
    ident = doc["report"]
    assert ident["tool"]["name"] == "layanan-rules" and ident["calendar"]["name"] == "holidays"
    assert ident["ruleset"]["id"] == doc["ruleset"]["id"] and ident["as_of"] == "2025-01-31"
    assert ident["generated_at"].endswith("Z")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    import datetime as dt

    fresh = example_report().identity()["generated_at"]
    made = dt.datetime.strptime(fresh, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert abs((dt.datetime.now(dt.UTC) - made).total_seconds()) < 3600  # the clock, when not fixed


def test_jsonl_is_one_finding_a_line(doc, report):
    lines = render(report, "jsonl").splitlines()
    assert len(lines) == len(findings_of(doc))
    rows = [json.loads(line) for line in lines]
    assert {r["as_of"] for r in rows} == {"2025-01-31"}
    assert sorted((r["rule_id"], r["entity_id"], r["state"]) for r in rows) == sorted(
        (f["rule_id"], f["entity_id"], f["state"]) for f in findings_of(doc))


def test_csv_has_a_row_per_finding_worst_first_with_citation_and_remedy(doc, report):
    text = render(report, "csv")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with a byte-order mark
    rows = list(csv.reader(io.StringIO(text[1:])))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["id_aturan", "judul", "status"] and "dasar_hukum" in header and "perbaikan" in header
    assert len(body) == len(findings_of(doc))
    col = {name: i for i, name in enumerate(header)}
    assert body[0][col["status"]] == "gagal"
    l3 = next(r for r in body if r[col["id_aturan"]] == "UU25-21a" and r[col["id_entitas"]] == "L3")
    assert l3[col["dasar_hukum"]].startswith("UU 25/2009 Pasal 21 huruf a")
    assert l3[col["perbaikan"]].startswith("Cantumkan") and l3[col["unit"]] == "Dinas Penanaman Modal dan PTSP"
    states = [r[col["status"]] for r in body]
    assert states.count("gagal") == doc["summary"]["states"]["fail"]


def test_csv_english_headers_and_states(report):
    rows = list(csv.reader(io.StringIO(render(report, "csv", lang="en")[1:])))
    assert rows[0][:3] == ["rule_id", "title", "state"] and rows[1][2] == "fail"


def test_csv_semicolon_delimiter_for_excel_in_an_indonesian_locale(report):
    rows = list(csv.reader(io.StringIO(render(report, "csv", csv_delimiter=";")[1:]), delimiter=";"))
    assert rows[0][:3] == ["id_aturan", "judul", "status"] and len({len(r) for r in rows}) == 1


def test_xlsx_has_summary_and_filterable_findings_sheet(doc, report, tmp_path):
    path = tmp_path / "laporan.xlsx"
    path.write_bytes(render(report, "xlsx"))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Ringkasan", "Temuan", "Aturan"]
    summary, findings = wb["Ringkasan"], wb["Temuan"]
    values = [c.value for row in summary.iter_rows() for c in row if c.value is not None]
    assert doc["summary"]["score"] in values and "Merah" in values
    assert findings.freeze_panes == "A2"
    assert findings.auto_filter.ref.startswith("A1:") and findings.auto_filter.ref.endswith(str(findings.max_row))
    header = [c.value for c in findings[1]]
    assert {"ID aturan", "Dasar hukum", "Perbaikan"} <= set(header)  # headings for people
    assert findings.max_row - 1 == len(findings_of(doc))
    col = {name: i for i, name in enumerate(header)}
    cells = [[c.value for c in row] for row in findings.iter_rows(min_row=2)]
    hit = next(r for r in cells if r[col["ID aturan"]] == "UU25-21a" and r[col["ID entitas"]] == "L3")
    assert hit[col["Status"]] == "gagal" and "Pasal 21 huruf a" in hit[col["Dasar hukum"]]
    assert hit[col["Perbaikan"]].startswith("Cantumkan")
    assert int(findings.page_setup.paperSize) == 9 and findings.page_setup.orientation == "landscape"  # A4
    assert findings.conditional_formatting  # states coloured
    rules = wb["Aturan"]
    rule_header = [c.value for c in rules[1]]
    assert {"Bunyi pasal", "Sanksi", "Perbaikan"} <= set(rule_header)
    assert rules.max_row - 1 == len(doc["rules"])  # article text once per rule


def test_xlsx_is_the_same_bytes_for_the_same_report_and_dated_at_its_generation(report):
    import time
    import zipfile

    first = render(report, "xlsx")
    time.sleep(1.1)  # openpyxl would date the file and each zip entry by the clock
    assert render(report, "xlsx") == first
    generated = document(report)["report"]["generated_at"]  # SOURCE_DATE_EPOCH, set in conftest.py
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        stamps = {info.date_time for info in z.infolist()}
        assert stamps == {tuple(int(x) for x in re.split(r"[-T:Z]", generated)[:6])}
        assert f"<dcterms:created xsi:type=\"dcterms:W3CDTF\">{generated}</dcterms:created>" in z.read(
            "docProps/core.xml").decode()
    wb = openpyxl.load_workbook(io.BytesIO(first))
    assert wb.sheetnames == ["Ringkasan", "Temuan", "Aturan"] and wb.properties.creator == "layanan-rules"


def test_xlsx_refuses_more_rows_than_excel_holds_and_names_csv_and_parquet(report, monkeypatch):
    from layanan_rules.report.formats import xlsx
    from layanan_rules.report.formats.common import ReportTooLarge

    monkeypatch.setattr(xlsx, "XLSX_MAX_ROWS", 100)
    with pytest.raises(ReportTooLarge, match="--format csv.*--format parquet"):
        render(report, "xlsx")


def test_junit_has_the_junit_shape_and_counts(doc, report):
    root = ET.fromstring(render(report, "junit"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert suites and {s.get("name") for s in suites} >= {"Standar Pelayanan", "Pengaduan"}
    for s in suites:
        cases = s.findall("testcase")
        assert int(s.get("tests")) == len(cases)
        assert int(s.get("failures")) == sum(c.find("failure") is not None for c in cases)
        assert int(s.get("errors")) == sum(c.find("error") is not None for c in cases)
        assert int(s.get("skipped")) == sum(c.find("skipped") is not None for c in cases)
    states = doc["summary"]["states"]
    assert int(root.get("tests")) == len(findings_of(doc))
    assert int(root.get("failures")) == states["fail"] and int(root.get("errors")) == states["error"]
    assert int(root.get("skipped")) == states["not_applicable"] + states["waived"]
    import datetime as dt

    for el in (root, *suites):  # xs:dateTime, no zone designator (the JUnit XSD's pattern)
        dt.datetime.strptime(el.get("timestamp"), "%Y-%m-%dT%H:%M:%S")
    case = root.find(".//testcase[@name='UU25-21a layanan L3']")
    assert case is not None and "Pasal 21 huruf a" in case.find("failure").get("message")
    assert "Cantumkan" in case.find("failure").text


def test_markdown_has_summary_scores_matrix_and_problems_grouped_by_rule(doc, report):
    md = render(report, "markdown")
    assert md.startswith("# Laporan Kepatuhan Pelayanan Publik")
    assert "per tanggal **31 Januari 2025**" in md
    assert "## Skor dan zona" in md and "| Unit | U2 | Dinas Penanaman Modal dan PTSP |" in md
    assert "## Matriks pemenuhan aturan × unit" in md and "| Aturan | U2 | U1 |" in md  # worse unit first
    assert "`UU25-21a` layanan `L3`" in md and md.count("Cantumkan peraturan") == 1  # remedy once per rule
    assert md.count("### `UU25-21a`") == 1
    assert md.count("**GAGAL**") == doc["summary"]["states"]["fail"]


def test_table_fits_80_columns_is_grouped_by_unit_worst_first_and_plain_off_a_tty(doc, report):
    text = render(report, "table")
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "\x1b[" not in text  # no colour codes when the stream is not a terminal
    assert text.index("Unit U2 · Dinas Penanaman Modal dan PTSP") < text.index("Unit U1 · Dinas Kependudukan")
    assert f"gagal {doc['summary']['states']['fail']}" in text
    # within a unit, a rule's citation, title and remedy once, then a line per record that fails it
    assert text.count("GAGAL") == doc["summary"]["states"]["fail"]
    for unit in text.split("\nUnit ")[1:]:
        heads = [line.split()[0] for line in unit.splitlines() if re.match(r"   [A-Z]+[0-9]*-\S+ · ", line)]
        assert len(heads) == len(set(heads)), heads  # each rule's block once per unit
    u2 = text[text.index("Unit U2 · "):text.index("Unit U1 · ")]
    block = u2[u2.index("\n   UU25-21a · "):]
    block = block[:block.index("\n\n", 1)]
    assert block.count("Cantumkan peraturan") == 1
    assert any(line.split()[:3] == ["GAGAL", "layanan", "L3"] for line in block.splitlines())


def test_table_on_a_terminal_lists_a_units_rule_first_records_and_counts_the_rest(doc, report):
    fails = doc["summary"]["states"]["fail"]
    full, capped = render(report, "table"), render(report, "table", per_rule=1)
    shown = capped.count("   GAGAL ")
    more = sum(int(n.replace(".", "")) for n in re.findall(r"… \+([\d.]+) lagi", capped))
    assert more > 0 and shown + more == fails == full.count("   GAGAL ")
    assert f"Ditampilkan {shown} dari {fails} rekaman" in capped and "Ditampilkan" not in full
    few = render(report, "table", per_rule=1, most=5)  # then only the units' headings, scores and counts
    assert few.count("   GAGAL ") == 5 and f"Ditampilkan 5 dari {fails} rekaman" in few
    units = [line for line in full.splitlines() if line.startswith("Unit ")]
    assert units and [line for line in few.splitlines() if line.startswith("Unit ")] == units


def test_table_names_the_data_source_once_and_places_records_inside_it():
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31")
    assert r.exit_code == 1
    head, rest = r.stdout.split("\nSkor: ", 1)
    assert head.replace("\n  ", "").endswith(f"Sumber data: {EXAMPLE_JSON}")
    assert "   GAGAL        layanan L3 · Izin Usaha Mikro Kecil @ layanan:row 3:key L3" in rest.splitlines()
    findings = rest.split("\nRingkasan: ")[0]
    assert str(EXAMPLE_JSON) not in findings.replace("\n                ", "")


def test_table_names_a_service_but_not_a_person_unless_asked(report):
    data = json.loads(EXAMPLE_JSON.read_text())
    lines = [line.split("@")[0].strip() for line in render(report, "table").splitlines()
             if line.startswith("   GAGAL ")]
    layanan = {r["id"]: r["nama"] for r in data["layanan"]}
    named = [line for line in lines if line.split()[1] == "layanan"]
    assert named and all(line.split(" · ", 1)[1].rstrip("…") in layanan[line.split()[2]] for line in named)
    pelaksana = {r["id"]: r["nama"] for r in data["pelaksana"] if r.get("nama")}
    people = [line for line in lines if line.split()[1] == "pelaksana"]
    assert people and all(" · " not in line for line in people)  # a pelaksana's name is personal data
    shown = [line.split("@")[0].strip() for line in render(report, "table", show_personal=True).splitlines()
             if line.startswith("   GAGAL        pelaksana ")]
    assert any(line.endswith(f" · {pelaksana[line.split()[2]]}") for line in shown if line.split()[2] in pelaksana)
    units = [line for line in lines if line.split()[1] in ("unit", "penyelenggara")]
    assert units and all(" · " not in line for line in units)  # their heading names them


def test_table_says_why_with_the_evidence_named_as_the_workbook_names_it():
    r = run("evaluate", str(ROOT / "examples" / "dinas-contoh.xlsx"), "--as-of", "2025-01-31")
    lines = r.stdout.splitlines()
    i = lines.index("   GAGAL        layanan L5 · Surat Keterangan Pindah @ Layanan:row 6:col D")
    assert lines[i + 1] == "                Bukti: Aktif = true · Tanggal Penetapan Standar = (kosong) ·"
    # a deadline rule: what it counted first, dates in WIB without the offset
    block = r.stdout[r.stdout.index("\n   UU25-44-3 · "):]
    block = block[:block.index("\n\n", 1)].splitlines()
    j = next(n for n, line in enumerate(block) if "pengaduan A08 " in line)
    why = " ".join(line.strip() for line in block[j + 1:j + 4])
    assert why.startswith("Bukti: batas_waktu = 14 hari kalender dari 2024-06-03: batas 2024-06-17; "
                          "sampai 2024-06-28 = 25 hari · Tanggal Diterima = 2024-06-03 10:00"), why
    fails = r.stdout.count("   GAGAL ")
    assert 0 < r.stdout.count("Bukti: ") <= fails
    assert max(len(line) for line in lines) <= 80
    # from JSON the evidence keeps the model's paths
    en = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--lang", "en").stdout
    assert "                Evidence: aktif = true · standar = (empty)" in en.splitlines()


def test_a_long_table_lists_records_without_their_evidence_and_says_so(doc, report):
    fails = doc["summary"]["states"]["fail"]
    full, lean = render(report, "table"), render(report, "table", evidence_records=fails - 1)
    assert "Bukti: " in full and "Bukti: " not in lean
    assert f"Bukti tidak ditulis di sini untuk {fails} rekaman (lebih dari {fails - 1})" in lean.replace("\n  ", " ")
    strip = [line for line in full.splitlines() if not line.startswith("                Bukti: ")]
    assert lean.count("   GAGAL ") == full.count("   GAGAL ") == fails and len(strip) < len(full.splitlines())


def test_html_names_a_workbooks_evidence_by_its_header_and_path(tmp_path):
    out = tmp_path / "r.html"
    run("evaluate", str(ROOT / "examples" / "dinas-contoh.xlsx"), "--as-of", "2025-01-31", "--format", "html",
        "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "Tanggal Penetapan Standar (<code>standar.ditetapkan_pada</code>) = <code>null</code>" in text
    run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--format", "html", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "<code>standar.ditetapkan_pada</code> = " in text and "Tanggal Penetapan Standar (" not in text
    # markdown too (a label that only repeats its key is not doubled)
    md = run("evaluate", str(ROOT / "examples" / "dinas-contoh.xlsx"), "--as-of", "2025-01-31", "--format",
             "markdown").stdout
    assert "Bukti: `aktif = true; Tanggal Penetapan Standar (standar.ditetapkan_pada) = null;" in md
    # and the xlsx findings sheet's evidence column (from JSON: the paths alone)
    for data, labelled in ((ROOT / "examples" / "dinas-contoh.xlsx", True), (EXAMPLE_JSON, False)):
        book = tmp_path / "r.xlsx"
        run("evaluate", str(data), "--as-of", "2025-01-31", "--format", "xlsx", "-o", str(book))
        sheet = openpyxl.load_workbook(book)["Temuan"]
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        evidence = [row[header.index("Bukti")] or "" for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert any("aktif = true; Tanggal Penetapan Standar (standar.ditetapkan_pada) = null" in v
                   for v in evidence) is labelled
        assert any(v.startswith("aktif = true; ") for v in evidence)
        assert any("(standar.ditetapkan_pada) = " in v for v in evidence) is labelled


def test_table_colour_when_forced(report):
    assert "\x1b[" in render(report, "table", color=True)


def test_lang_en_switches_human_strings_numbers_and_dates(report):
    md_id, md_en = render(report, "markdown"), render(report, "markdown", lang="en")
    assert "31 Januari 2025" in md_id and "31 January 2025" in md_en
    assert "Ringkasan" not in md_en and "GAGAL" not in md_en and "Summary" in md_en
    score = document(report)["summary"]["score"]
    assert f"{score:.1f}".replace(".", ",") in md_id and f"{score:.1f}" in md_en
    assert "(kritis)" in md_id and "(critical)" in md_en  # severity in the report's language too
    text_en = render(report, "table", lang="en")
    assert "as of 31 January 2025" in text_en and "gagal" not in text_en


def test_cli_writes_each_format_to_its_own_output(tmp_path):
    outs = {fmt: tmp_path / f"laporan.{fmt}" for fmt in FORMATS}
    args = ["evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--quiet"]
    for fmt, path in outs.items():
        args += ["--format", fmt, "--output", str(path)]
    r = run(*args)
    assert r.exit_code == 1 and r.stdout == ""
    doc = json.loads(outs["json"].read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    assert openpyxl.load_workbook(outs["xlsx"]).sheetnames == ["Ringkasan", "Temuan", "Aturan"]
    assert doc["report"]["source"]["location"] == str(EXAMPLE_JSON)
    import hashlib

    assert doc["report"]["source"]["sha256"] == hashlib.sha256(EXAMPLE_JSON.read_bytes()).hexdigest()
    assert ET.parse(outs["junit"]).getroot().tag == "testsuites"
    assert outs["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _all_text(report, **options) -> dict[str, str]:
    out = {}
    for fmt in FORMATS:
        got = render(report, fmt, **options)
        if fmt == "parquet":  # every value of every column, and the metadata
            import pyarrow.parquet as pq

            t = pq.read_table(io.BytesIO(got))
            got = str(t.to_pylist()) + str(t.schema.metadata)
        elif isinstance(got, bytes):  # xlsx: every cell's text
            wb = openpyxl.load_workbook(io.BytesIO(got))
            got = "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
        out[fmt] = got
    return out


def test_personal_data_is_masked_in_every_format_unless_asked(tmp_path):
    folder = mini_ruleset(
        tmp_path,
        rule("R-PENGADU", "pengaduan", "has(pengaduan.ditanggapi_pada) && pengaduan.nama_pengadu != ''")
        + rule("R-KANAL", "pengaduan", "has(pengaduan.ditanggapi_pada) && pengaduan.kanal != ''"),
        "personal_fields: [pengaduan.kanal]\n",
    )
    data = write_json(tmp_path / "data.json", {
        "unit": [{"id": "U1", "nama": "Unit Satu"}],
        "pengaduan": [{"id": "A1", "unit_id": "U1", "nama_pengadu": "Siti Rahayu", "kanal": "Kanal Rahasia",
                       "diterima_pada": "2025-01-02"}],
    })
    rep = example_report(data=data, ruleset=load_ruleset(str(folder)))
    masked = _all_text(rep)
    for fmt, text in masked.items():
        assert "Siti Rahayu" not in text and "Kanal Rahasia" not in text, fmt
    assert "••• (data pribadi)" in masked["json"] and "••• (data pribadi)" in masked["html"]
    assert "••• (personal data)" in render(rep, "csv", lang="en")
    shown = _all_text(rep, show_personal=True)
    assert "Siti Rahayu" in shown["json"] and "Kanal Rahasia" in shown["csv"]
    assert document(rep)["personal_data"] == "masked"


def test_cli_show_personal_data_flag(tmp_path):
    data = write_json(tmp_path / "data.json", {
        "unit": [{"id": "U1", "nama": "Unit Satu"}],
        "pelaksana": [{"id": "X1", "unit_id": "U1", "nama": "Budi Santoso"}],
    })
    folder = mini_ruleset(tmp_path, rule("R-NAMA", "pelaksana", "pelaksana.nama != ''"))
    base = ["evaluate", str(data), "--ruleset", str(folder), "--format", "json", "--as-of", "2025-01-31",
            "--evidence", "all"]  # the rule passes: its evidence is kept only when asked
    assert "Budi Santoso" not in run(*base).stdout
    assert "Budi Santoso" in run(*base, "--show-personal-data").stdout


def test_csv_makes_no_scores_but_refuses_bad_score_settings_and_honours_fail_under(tmp_path, monkeypatch):
    """The csv prints no scores, so ``evaluate --format csv`` does not make them (``Reporter.head``);
    a ruleset whose zones or weights scoring would refuse is refused all the same, before anything
    is written, and ``--fail-under`` still scores."""
    from layanan_rules.report import scores

    computed = []
    real = scores.compute
    monkeypatch.setattr(scores, "compute", lambda *a, **k: computed.append(1) or real(*a, **k))
    folder = mini_ruleset(tmp_path, rule("R-ADA", "unit", "has(unit.alamat_pengaduan)", severity="low"))
    units = [{"id": f"U{i}", "alamat_pengaduan": "Jl. Contoh"} for i in range(7)] + [{"id": "U9"}]
    data = write_json(tmp_path / "data.json", {"unit": units})  # 7 of 8 pass: 87.5
    out = tmp_path / "r.csv"
    base = ["evaluate", str(data), "--ruleset", str(folder), "--as-of", "2025-01-31", "--format", "csv", "-o", str(out)]
    assert run(*base).exit_code == 1 and out.read_text(encoding="utf-8-sig").count("\n") == 9 and not computed
    r = run(*base, "--fail-on", "medium", "--fail-under", "90")
    assert r.exit_code == 1 and "87.50 < --fail-under 90" in r.stderr and computed
    out.unlink()
    (tmp_path / "bad").mkdir()
    bad = mini_ruleset(tmp_path / "bad", rule("R-ADA", "unit", "has(unit.alamat_pengaduan)", severity="low"),
                       "zones:\n  - {name: hijau}\n")
    r = run("evaluate", str(data), "--ruleset", str(bad), "--as-of", "2025-01-31", "--format", "csv", "-o", str(out))
    assert r.exit_code == 2 and "zones[0]" in r.stderr and not out.exists()


def test_fail_under_and_fail_on_exit_codes(tmp_path):
    folder = mini_ruleset(tmp_path, rule("R-ADA", "unit", "has(unit.alamat_pengaduan)", severity="low"))
    units = [{"id": f"U{i}", "alamat_pengaduan": "Jl. Contoh"} for i in range(7)] + [{"id": "U9"}]
    data = write_json(tmp_path / "data.json", {"unit": units})  # 7 of 8 pass: 87.5
    base = ["evaluate", str(data), "--ruleset", str(folder), "--as-of", "2025-01-31", "--format", "json"]
    assert run(*base).exit_code == 1  # --fail-on info: any failure
    assert run(*base, "--fail-on", "medium").exit_code == 0
    assert run(*base, "--fail-on", "medium", "--fail-under", "80").exit_code == 0
    r = run(*base, "--fail-on", "medium", "--fail-under", "90")
    assert r.exit_code == 1 and "87.50 < --fail-under 90" in r.stderr
    r = run(*base, "--fail-on", "medium", "--fail-under", "50", "--min-scored", "20")
    assert r.exit_code == 1 and "too little data" in r.stderr
    assert run(*base, "--fail-under", "101").exit_code == 2


def test_html_lists_needs_action_in_full_and_cites_each_rule_once(report, doc, monkeypatch):
    from layanan_rules.report import html as html_report

    html = render(report, "html")
    assert html.count('<article class="finding') == len(findings_of(doc))
    assert html.count('<article class="rule" id="rule-') == len({f["rule_id"] for f in findings_of(doc)})
    assert html.count("Cantumkan peraturan") == 1  # article text and remedy once per rule, not per card
    monkeypatch.setattr(html_report, "HTML_MAX_CARDS", 10)
    small = render(report, "html")
    needs_action = [f for f in findings_of(doc) if f["state"] in ("fail", "error") or f.get("flags")]
    assert small.count('<article class="finding') == len(needs_action)
    assert f"{len(findings_of(doc)) - len(needs_action)} temuan lulus atau tidak berlaku" in small


def test_html_written_with_csv_or_parquet_links_the_full_list(tmp_path, monkeypatch):
    """One run writing the page and the csv (or parquet): where cards are left out, the page links
    the full list, relative to itself, as a download."""
    from layanan_rules.report import html as html_report

    monkeypatch.setattr(html_report, "HTML_MAX_CARDS", 10)
    monkeypatch.setattr(html_report, "HTML_MAX_PROBLEM_CARDS", 3)
    (tmp_path / "data").mkdir()
    page, table = tmp_path / "laporan.html", tmp_path / "data" / "temuan.parquet"
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2026-12-03", "--format", "html", "-o", str(page),
            "--format", "parquet", "-o", str(table), "-q")
    assert r.exit_code == 1, r.output
    html = page.read_text(encoding="utf-8")
    capped = html[html.index('data-testid="capped"'):]
    assert '<a href="data/temuan.parquet" download data-testid="full-list">' in capped[:capped.index("</p>")]
    assert table.exists()
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2026-12-03", "--format", "html", "-o", str(page), "-q")
    assert 'data-testid="full-list"' not in page.read_text(encoding="utf-8")  # nothing beside it to link


def test_formats_command_lists_every_builtin_format():
    out = run("formats").stdout
    for name in FORMATS:
        assert name in out


def test_error_messages_and_data_issues_do_not_quote_personal_values(tmp_path):
    folder = mini_ruleset(tmp_path, rule("R-TANGGAL", "pengaduan", "has(pengaduan.diterima_pada)"),
                          "personal_fields: [pengaduan.diterima_pada]\n")
    data = write_json(tmp_path / "data.json", {
        "unit": [{"id": "U1"}],
        "pengaduan": [{"id": "A1", "unit_id": "U1", "diterima_pada": "rahasia-xyz-123"}],
    })
    rep = example_report(data=data, ruleset=load_ruleset(str(folder)))
    doc = document(rep)
    (f,) = findings_of(doc)
    assert f["state"] == "error" and f["message"].startswith("diterima_pada: ••• (data pribadi)")
    for fmt, text in _all_text(rep).items():
        assert "rahasia-xyz-123" not in text, fmt
    assert "rahasia-xyz-123" in render(rep, "json", show_personal=True)


def test_bundled_letterhead_names_the_agency_and_is_left_out_without_one(tmp_path):
    """The page's heading already names the report, ruleset and date: the bundled kop surat only
    appears when there is an agency to put on it."""
    plain, named = tmp_path / "a.html", tmp_path / "b.html"
    run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--format", "html", "-o", str(plain), "-q")
    run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--format", "html", "-o", str(named), "-q",
        "--agency", "Inspektorat Kota Contoh")
    assert 'data-testid="letterhead"' not in plain.read_text(encoding="utf-8")
    html = named.read_text(encoding="utf-8")
    assert 'data-testid="letterhead"' in html
    assert '<div class="lh-agency">Inspektorat Kota Contoh</div>' in html
    assert "Laporan Kepatuhan Pelayanan Publik · uu-25-2009" in html and "31 Januari 2025" in html


def test_html_letterhead_and_sign_off_come_from_an_agencys_jinja2_templates(tmp_path):
    folder = tmp_path / "kop"
    folder.mkdir()
    (folder / "letterhead.html.j2").write_text(
        '<div class="letterhead">PEMERINTAH KOTA CONTOH<br>{{ agency }} · {{ as_of_text }}</div>', encoding="utf-8")
    out = tmp_path / "laporan.html"
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--format", "html", "-o", str(out), "-q",
            "--html-template", str(folder), "--agency", "Inspektorat <Daerah>")
    html = out.read_text(encoding="utf-8")
    assert r.exit_code == 1 and "PEMERINTAH KOTA CONTOH<br>Inspektorat &lt;Daerah&gt; · 31 Januari 2025" in html
    assert 'data-testid="signoff"' in html and "Disetujui oleh" in html  # the bundled sign-off, kept
    (folder / "signoff.html.j2").write_text("<section>{{ tidak_ada }}</section>", encoding="utf-8")
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--format", "html", "-o", str(tmp_path / "x.html"),
            "-q", "--html-template", str(folder))
    assert r.exit_code == 2 and "signoff.html.j2" in r.stderr and "tidak_ada" in r.stderr
    assert not (tmp_path / "x.html").exists()  # no half-written report
