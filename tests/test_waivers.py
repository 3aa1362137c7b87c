"""Waivers and attestations: read from YAML, CSV and XLSX, checked before evaluation, shown everywhere."""

from __future__ import annotations

import io
import json
import textwrap

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner
from support import EXAMPLE_JSON, ROOT
from test_reporters_helpers import document, example_report, render

from layanan_rules import load_ruleset
from layanan_rules.cli import cli
from layanan_rules.report.stream import findings_of
from layanan_rules.report.waivers import WaiverFileError, load_attestations, load_waivers

SCHEMA = json.loads((ROOT / "docs" / "report-schema.json").read_text(encoding="utf-8"))
FORMATS = ("table", "json", "jsonl", "csv", "xlsx", "junit", "markdown", "html")
REASON = "Standar sedang disusun ulang bersama Forum Konsultasi Publik"


def waiver_yaml(tmp_path, expiry: str = "2025-12-31", start: str = "2024-07-01", name: str = "waivers.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(f"""\
        waivers:
          - rule: UU25-21a
            entity: layanan
            entity_id: L3
            reason: {REASON}
            legal_basis: Keputusan Kepala Dinas No. 12/2024
            approver: Kepala DPMPTSP
            start: {start}
            expiry: {expiry}
        """), encoding="utf-8")
    return path


def all_formats(report, **options) -> dict[str, str]:
    out = {}
    for fmt in FORMATS:
        got = render(report, fmt, **options)
        if isinstance(got, bytes):
            wb = openpyxl.load_workbook(io.BytesIO(got))
            got = "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
        out[fmt] = " ".join(got.split())  # the terminal table wraps long text
    return out


def finding(doc, rule_id="UU25-21a", entity_id="L3"):
    return next(f for f in findings_of(doc) if f["rule_id"] == rule_id and f["entity_id"] == entity_id)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_active_waiver_turns_the_failure_into_waived_with_its_justification_everywhere(tmp_path):
    report = example_report(waiver_yaml(tmp_path))
    doc = document(report)
    jsonschema.validate(doc, SCHEMA)
    f = finding(doc)
    assert f["state"] == "waived" and f["flags"] == ["waived"]
    assert f["waiver"]["reason"] == REASON and f["waiver"]["status"] == "active"
    assert f["waiver"]["approver"] == "Kepala DPMPTSP" and f["waiver"]["source"].endswith("waivers.yaml:2")
    assert doc["summary"]["states"]["waived"] == 1
    for fmt, text in all_formats(report).items():
        assert REASON in text, fmt
    assert "Keputusan Kepala Dinas No. 12/2024" in render(report, "markdown")


def test_expired_waiver_resurfaces_its_finding_flagged_in_every_format(tmp_path):
    report = example_report(waiver_yaml(tmp_path, expiry="2024-12-31"))  # as of 2025-01-31
    doc = document(report)
    jsonschema.validate(doc, SCHEMA)
    f = finding(doc)
    assert f["state"] == "fail" and f["flags"] == ["waiver_expired"] and f["waiver"]["status"] == "expired"
    assert doc["summary"]["waivers_expired"] == 1 and doc["summary"]["states"]["waived"] == 0
    for fmt, text in all_formats(report).items():
        flag = '"waiver_expired"' if fmt in ("json", "jsonl") else "waiver kedaluwarsa"  # machine flag in JSON
        assert flag in text.lower(), fmt
        assert REASON in text, fmt
    for fmt, text in all_formats(report, lang="en").items():
        assert ('"waiver_expired"' if fmt in ("json", "jsonl") else "waiver expired") in text.lower(), fmt
    line = next(json.loads(x) for x in render(report, "jsonl").splitlines() if '"L3"' in x and "UU25-21a" in x)
    assert line["flags"] == ["waiver_expired"]


def test_expired_waiver_counts_as_a_failure_for_the_exit_code(tmp_path):
    waivers = waiver_yaml(tmp_path, expiry="2024-12-31")
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--waivers", str(waivers), "--format", "json")
    assert r.exit_code == 1 and finding(json.loads(r.stdout))["state"] == "fail"


def test_waiver_not_yet_started_does_not_apply_and_is_noted(tmp_path):
    report = example_report(waiver_yaml(tmp_path, start="2025-06-01"))
    doc = document(report)
    assert finding(doc)["state"] == "fail" and finding(doc).get("flags", []) == []
    assert any("belum berlaku" in n for n in doc["notes"])


def test_waiver_that_matches_nothing_is_noted_on_stderr(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text(textwrap.dedent("""\
        - {rule: UU25-21a, entity_id: L1, reason: r, legal_basis: b, approver: a, start: 2024-01-01, expiry: 2026-01-01}
        """), encoding="utf-8")
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--waivers", str(path), "--format", "json")
    assert "w.yaml:1" in r.stderr and "matches no failing" in r.stderr
    assert "catatan / note" not in run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--waivers",
                                       str(path), "--format", "json", "--quiet").stderr


def test_wildcard_entity_id_waives_every_entity_of_the_rule(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("- {rule: UU25-21a, entity_id: '*', reason: r, legal_basis: b, approver: a, "
                    "start: 2024-01-01, expiry: 2026-01-01}\n", encoding="utf-8")
    doc = document(example_report(path))
    states = {f["entity_id"]: f["state"] for f in findings_of(doc) if f["rule_id"] == "UU25-21a"}
    assert "fail" not in states.values() and "waived" in states.values()


def test_csv_waiver_file_with_indonesian_headers(tmp_path):
    path = tmp_path / "pengecualian.csv"
    path.write_text("aturan;entitas;id_entitas;alasan;dasar_hukum;disetujui_oleh;mulai;berlaku_sampai\n"
                    f"UU25-21a;layanan;L3;{REASON};SK 12/2024;Kepala Dinas;1 Juli 2024;31 Desember 2025\n",
                    encoding="utf-8")
    (w,) = load_waivers(path, load_ruleset())
    assert w.rule_id == "UU25-21a" and w.expiry.isoformat() == "2025-12-31" and w.source.endswith("pengecualian.csv:2")
    assert finding(document(example_report(path)))["state"] == "waived"


def test_xlsx_waiver_file(tmp_path):
    path = tmp_path / "pengecualian.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Pengecualian"
    ws.append(["Rule", "Entity", "Entity ID", "Reason", "Legal basis", "Approver", "Start", "Expiry"])
    ws.append(["UU25-21a", "layanan", "L3", REASON, "SK 12/2024", "Kepala Dinas", "2024-07-01", "2024-12-31"])
    wb.save(path)
    (w,) = load_waivers(path, load_ruleset())
    assert w.source.endswith("sheet Pengecualian, row 2")
    assert finding(document(example_report(path)))["flags"] == ["waiver_expired"]


def test_malformed_yaml_waiver_file_stops_before_evaluation_with_every_problem_located(tmp_path):
    path = tmp_path / "rusak.yaml"
    path.write_text(textwrap.dedent("""\
        waivers:
          - rule: UU25-21a
            entity_id: L3
            reason: alasan
            legal_basis: SK
            start: 2024-07-01
            expiry: 2025-12-31
          - rule: UU25-21x
            entity_id: L3
            reason: alasan
            legal_basis: SK
            approver: Kepala
            start: 2024-07-01
            expiry: 31/13/2025
          - rule: UU25-21a
            entity_id: L3
            reason: alasan
            legal_basis: SK
            approver: Kepala
            start: 2024-07-01
            expiry: 2025-12-31
            approvr: typo
        """), encoding="utf-8")
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--waivers", str(path), "--format", "json")
    assert r.exit_code == 2 and r.stdout == "" and "Traceback" not in r.output
    assert f"{path}:2: wajib diisi / required: approver" in r.stderr
    assert f"{path}:8: aturan 'UU25-21x' tidak ada / no rule 'UU25-21x'; maksud Anda / did you mean" in r.stderr
    assert "'expiry' bukan tanggal" in r.stderr
    assert f"{path}:22: kolom/kunci tidak dikenal 'approvr'" in r.stderr and "did you mean 'approver'" in r.stderr
    assert "4 problem(s) in the file; nothing was evaluated" in r.stderr


def test_malformed_csv_and_xlsx_name_their_rows(tmp_path):
    csv_path = tmp_path / "w.csv"
    csv_path.write_text("rule,entity_id,reason,legal_basis,approver,start,expiry\n"
                        "UU25-21a,L3,r,b,a,2024-01-01,2026-01-01\n"
                        "UU25-21a,L3,r,b,a,2026-01-01,2024-01-01\n", encoding="utf-8")
    with pytest.raises(WaiverFileError) as exc:
        load_waivers(csv_path, load_ruleset())
    assert exc.value.problems == [f"{csv_path}:3: 'expiry' (2024-01-01) sebelum 'start' (2026-01-01) / expiry is before start"]
    xlsx = tmp_path / "w.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["rule", "entity_id", "reason", "legal_basis", "approver", "start", "expiry"])
    wb.active.append(["UU25-21a", "L3", "r", "b", None, "2024-01-01", "2026-01-01"])
    wb.save(xlsx)
    r = run("evaluate", str(EXAMPLE_JSON), "--waivers", str(xlsx))
    assert r.exit_code == 2 and "sheet Sheet, row 2: wajib diisi / required: approver" in r.stderr


def test_waiver_for_the_wrong_entity_is_an_error(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("- {rule: UU25-21a, entity: unit, entity_id: U1, reason: r, legal_basis: b, approver: a, "
                    "start: 2024-01-01, expiry: 2026-01-01}\n", encoding="utf-8")
    with pytest.raises(WaiverFileError, match="applies to 'layanan', not 'unit'"):
        load_waivers(path, load_ruleset())


def test_unknown_waiver_file_type_is_bad_input(tmp_path):
    path = tmp_path / "w.txt"
    path.write_text("x", encoding="utf-8")
    r = run("evaluate", str(EXAMPLE_JSON), "--waivers", str(path))
    assert r.exit_code == 2 and "use .yaml, .csv or .xlsx" in r.stderr


# --- attestations ------------------------------------------------------------------------------------------


def attestations_yaml(tmp_path):
    path = tmp_path / "atestasi.yaml"
    path.write_text(textwrap.dedent("""\
        attestations:
          - rule: UU25-21a
            entity: layanan
            entity_id: L3
            state: lulus
            evidence: BA Pemeriksaan Lapangan No. 7/2025
            date: 2025-01-20
            attested_by: Tim Inspektorat
          - rule: UU25-21a
            entity_id: L99
            state: fail
            evidence: Foto papan pengumuman 20-01-2025
            date: 2025-01-20
        """), encoding="utf-8")
    return path


def test_attestation_becomes_the_finding_marked_attested(tmp_path):
    report = example_report(attestations=attestations_yaml(tmp_path))
    doc = document(report)
    jsonschema.validate(doc, SCHEMA)
    f = finding(doc)
    assert f["state"] == "pass" and f["flags"] == ["attested"]
    assert f["attestation"]["evidence_ref"] == "BA Pemeriksaan Lapangan No. 7/2025"
    added = finding(doc, entity_id="L99")  # not in the data: added, with a note
    assert added["state"] == "fail" and added["attestation"]["state"] == "fail"
    assert any("L99" in n for n in doc["notes"])
    assert doc["summary"]["attested"] == 2 and doc["scores"]["total"]["attested"] == 2
    for fmt, text in all_formats(report).items():
        assert "BA Pemeriksaan Lapangan No. 7/2025" in text, fmt
    assert "atestasi" in render(report, "markdown").lower()


def test_waiver_applies_to_an_attested_failure(tmp_path):
    w = tmp_path / "w.yaml"
    w.write_text("- {rule: UU25-21a, entity_id: L99, reason: r, legal_basis: b, approver: a, "
                 "start: 2024-01-01, expiry: 2026-01-01}\n", encoding="utf-8")
    f = finding(document(example_report(w, attestations_yaml(tmp_path))), entity_id="L99")
    assert f["state"] == "waived" and f["flags"] == ["attested", "waived"]


def test_malformed_attestations_stop_the_run(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("- {rule: UU25-21a, entity_id: L3, state: mungkin, evidence: x, date: 2025-01-01}\n"
                    "- {rule: UU25-21a, entity_id: L3, state: pass, date: 2025-01-01}\n", encoding="utf-8")
    with pytest.raises(WaiverFileError) as exc:
        load_attestations(path, load_ruleset())
    assert len(exc.value.problems) == 2
    assert exc.value.problems[0].startswith(f"{path}:1: 'state' harus pass/lulus atau fail/gagal")
    assert exc.value.problems[1] == f"{path}:2: wajib diisi / required: evidence"
    r = run("evaluate", str(EXAMPLE_JSON), "--attestations", str(path))
    assert r.exit_code == 2 and r.stdout == ""


WAIVERS_MIX = """\
- {rule: UU25-31-2, entity: layanan, entity_id: L2, reason: Disusun, legal_basis: SK 1/2025, approver: Kepala,
   start: 2025-01-01, expiry: 2025-12-31}
- {rule: PANRB15-maklumat, entity: maklumat, entity_id: "*", reason: Lama, legal_basis: SK 2/2024,
   approver: Sekretaris, start: 2024-01-01, expiry: 2024-06-30}
- {rule: UU25-15a, entity: layanan, entity_id: L3, reason: Belum, legal_basis: SK 3/2025, approver: Kepala,
   start: 2025-06-01, expiry: 2025-12-31}
- {rule: UU25-13-1a, entity: kerja_sama, entity_id: K1, reason: Diperiksa, legal_basis: SK 4/2025, approver: Kepala,
   start: 2025-01-01, expiry: 2025-12-31}
"""
ATTESTATIONS_MIX = """\
- {rule: UU25-13-1a, entity: kerja_sama, entity_id: K1, state: fail, evidence: BA 1/2025, date: 2025-01-20}
- {rule: UU25-20-2, entity: layanan, entity_id: L2, state: pass, evidence: BA 2/2025, date: 2025-01-21}
- {rule: UU25-31-2, entity: layanan, entity_id: L99, state: fail, evidence: BA 3/2025, date: 2025-01-22}
"""


def test_waivers_over_the_engine_blocks_equal_waivers_over_held_findings(tmp_path, monkeypatch):
    """Waivers and attestations mark rows over the engine's blocks (no Finding built for the rest);
    the same files applied to a report holding every Finding as a list give the same findings,
    counts and documents: active, expired and pending waivers, an attested failure then waived,
    an attestation replacing a finding and one adding a finding for an entity not in the data."""
    from layanan_rules.engine.states import State
    from layanan_rules.report.waivers import apply

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "w.yaml").write_text(WAIVERS_MIX, encoding="utf-8")
    (tmp_path / "a.yaml").write_text(ATTESTATIONS_MIX, encoding="utf-8")
    marked = example_report(tmp_path / "w.yaml", tmp_path / "a.yaml")
    assert marked._findings is None and marked._blocks is None  # marks over the blocks, nothing held
    held = example_report()
    held.findings = list(held.findings)
    rs = load_ruleset()
    apply(held, load_waivers(tmp_path / "w.yaml", rs), load_attestations(tmp_path / "a.yaml", rs))
    def rows(report):
        return [(f.rule_id, f.entity, f.entity_id, f.state, f.reason, f.message, f.waiver, f.waiver_status,
                 f.attestation, f.flags()) for f in report.findings]

    assert rows(marked) == rows(held)
    assert marked.counts_by_rule() == held.counts_by_rule() and marked.counts() == held.counts()
    assert [r.id for r in marked.evaluated_rules()] == [r.id for r in held.evaluated_rules()]
    assert marked.notes == held.notes
    assert document(marked) == document(held)
    by_key = {(f.rule_id, f.entity_id): f for f in marked.findings}
    assert by_key[("UU25-31-2", "L2")].state is State.waived
    assert by_key[("UU25-13-1a", "K1")].state is State.waived and by_key[("UU25-13-1a", "K1")].attested
    assert by_key[("UU25-20-2", "L2")].state is State.pass_ and by_key[("UU25-20-2", "L2")].attested
    assert by_key[("UU25-31-2", "L99")].state is State.fail  # added: L99 is not in the data
    assert any(f.waiver_expired for f in marked.findings if f.rule_id == "PANRB15-maklumat")
    assert by_key[("UU25-15a", "L3")].waiver is None  # pending: not in force yet
