"""End to end: `layanan-rules evaluate WORKBOOK --format json`, as a user runs it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from layanan_rules.cli import cli
from layanan_rules.report.stream import findings_of


def evaluate(path: Path, *extra: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["evaluate", str(path), "--format", "json", "--as-of", "2024-12-31", *extra])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_example_workbook_findings_name_sheet_and_row(repo_root: Path) -> None:
    path = repo_root / "examples" / "dinas-contoh.xlsx"
    code, report, _ = evaluate(path, "--evidence", "all")  # provenance of passing findings too
    assert code == 1  # the example is built to fail some duties
    records = report["summary"]["records"]
    assert records["layanan"] == 8 and records["pengaduan"] == 15 and records["unit"] == 3
    findings = findings_of(report)
    assert {f["state"] for f in findings} >= {"pass", "fail"}
    for f in findings:
        prov = f["provenance"]
        assert prov["source"].endswith("dinas-contoh.xlsx")
        assert prov["part"] and prov["row"] >= 2
    l4 = [f for f in findings if f["entity_id"] == "L4" and f["rule_id"] == "UU25-21a"]
    assert l4 and l4[0]["state"] == "fail"
    assert (l4[0]["provenance"]["part"], l4[0]["provenance"]["row"]) == ("Layanan", 5)
    # no noise: the instructions sheet is counted, not listed; the example has no data issue at all
    assert report["data_issues"] == [] and report["summary"]["skipped"] == {"skipped_instructions": 1}
    assert report["summary"]["records"]["permohonan"] == 4


def test_guessed_and_unrecognised_headers_are_said_on_stderr_with_their_cell(xlsx) -> None:  # type: ignore[no-untyped-def]
    path = xlsx({"Layanan": [
        ["ID Layanan", "Nama Layanan", "Persyaratn", "Jaminan Pelayanann Kepastian", "Jangka Waktu Penyelesaian"],
        ["L1", "Akta Kelahiran", "1. KTP\n2. KK", "Pelayanan sesuai standar", "3 hari kerja"],
        ["L2", "Kartu Keluarga", "1. KTP", "Pelayanan sesuai standar", "3 hari kerja"],
    ]}, name="salah-ketik.xlsx")
    _code, report, stderr = evaluate(path)
    # the letter-off header is used, and said before the report with its cell and confidence
    assert "salah-ketik.xlsx:Layanan:row 1:col C" in stderr and "'Persyaratn'" in stderr and "0,8" in stderr
    assert {f["state"] for f in findings_of(report) if f["rule_id"] == "UU25-21b"} == {"pass"}
    # the unrecognised column that looks like Pasal 21 huruf l: an error saying so, never a silent fail
    l_findings = [f for f in findings_of(report) if f["rule_id"] == "UU25-21l"]
    assert {f["state"] for f in l_findings} == {"error"}
    assert all(f["reason"] == "unrecognised_column" and "did you mean 'Jaminan Pelayanan'" in f["message"]
               for f in l_findings)
    assert {(f["provenance"]["row"], f["provenance"]["column"]) for f in l_findings} == {(2, "D"), (3, "D")}
    assert "col D" in stderr and "(2 record)" in stderr
    quiet = CliRunner().invoke(cli, ["evaluate", str(path), "--format", "json", "--as-of", "2024-12-31", "-q"])
    assert "periksa" not in quiet.stderr


def test_example_workbook_is_up_to_date_with_its_generator(repo_root: Path, tmp_path: Path) -> None:
    import importlib.util

    from layanan_rules_spreadsheet import read_all

    spec = importlib.util.spec_from_file_location("make_example", repo_root / "examples" / "make_example_workbook.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = tmp_path / "fresh.xlsx"
    module.main(["x", str(fresh)])
    committed, _ = read_all(repo_root / "examples" / "dinas-contoh.xlsx")
    regenerated, _ = read_all(fresh)
    assert [r.data for r in committed] == [r.data for r in regenerated]


def test_broken_workbook_gives_one_message_per_problem_and_keeps_every_row(xlsx) -> None:  # type: ignore[no-untyped-def]
    path = xlsx({
        "Petunjuk": [["Isi sheet Layanan"]],
        "Unit": [["ID Unit", "Nama Unit"], ["U1", "Dinas Contoh"]],
        "Layanan": [
            ["ID Layanan", "ID Unit", "Nama Layanan", "Dasr Hukum", "Jangka Waktu Penyelesaian", "Jumlah Pelaksana",
             "Tanggal Penetapan Standar"],
            ["L1", "U1", "Akta Kelahiran", "UU 24/2013", "3 hari kerja", "banyak", "31/02/2024"],
            ["L2", "U1", "Kartu Keluarga", None, "secepatnya", 3, dt.date(2024, 1, 9)],
            [None, None, None, None, None, None, None],
            ["L3", "U1", "KTP-el", None, "1 x 24 jam", 2, "9 Januari 2024"],
        ],
    }, name="rusak.xlsx")
    _code, report, _ = evaluate(path)
    assert report["summary"]["records"]["layanan"] == 3  # every non-blank row is a record
    issues = report["data_issues"]
    text = "\n".join(i["message"] for i in issues)
    # the misspelled header: used, and one note naming the header cell and what it was read as
    header_notes = [i for i in issues if i["kind"] == "header_guessed"]
    assert len(header_notes) == 1 and "Dasar Hukum" in header_notes[0]["message"]
    assert "'Dasr Hukum'" in header_notes[0]["message"]
    assert (header_notes[0]["provenance"]["row"], header_notes[0]["provenance"]["column"]) == (1, "D")
    # each bad cell: one message naming its sheet, row and column
    bad = {(i["field"], i["provenance"]["row"], i["provenance"]["column"]): i["message"]
           for i in issues if i["kind"] == "malformed_value"}
    assert set(bad) == {("standar.jumlah_pelaksana", 2, "F"), ("standar.ditetapkan_pada", 2, "G"),
                        ("standar.jangka_waktu", 3, "E")}
    assert "'banyak'" in bad[("standar.jumlah_pelaksana", 2, "F")]
    assert "31/02/2024" in bad[("standar.ditetapkan_pada", 2, "G")]
    assert "secepatnya" in bad[("standar.jangka_waktu", 3, "E")]
    # a blank row and the instructions sheet cost no data: counted in the summary, not listed
    assert "baris kosong" not in text and "petunjuk" not in text
    assert report["summary"]["skipped"] == {"skipped_blank_rows": 1, "skipped_instructions": 1}
    # findings still come for the readable parts of the broken rows
    assert {f["entity_id"] for f in findings_of(report) if f["entity"] == "layanan"} == {"L1", "L2", "L3"}


def test_adapters_command_lists_the_plugin() -> None:
    result = CliRunner().invoke(cli, ["adapters"])
    assert result.exit_code == 0
    assert "spreadsheet" in result.output and ".ods" in result.output
