"""``layanan-rules skm FILE``: one survey's IKM from a real per-respondent workbook or CSV file."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from layanan_rules.cli import cli
from layanan_rules.skm import ikm_from_responses, looks_like_response_row, looks_like_responses

ANSWERS = [  # docs/skm.md example 2: IKM 88.19 exact (B, just under A), 88.11 at 0.111
    [4, 4, 3, 4, 3, 4, 4, 3, 3],
    [3, 3, 3, 4, 3, 3, 4, 3, 3],
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
    [3, 4, 3, 4, 4, 3, 4, 2, 3],
]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def answer_sheet() -> list[list[object]]:
    """A sheet as offices keep it: a title, a header with respondent columns, totals below."""
    rows: list[list[object]] = [["REKAPITULASI SKM DINAS 2024"], [],
                                ["No", "Responden", "Jenis Kelamin", *[f"U{i}" for i in range(1, 10)]]]
    for i, a in enumerate(ANSWERS):
        rows.append([i + 1, f"R{i + 1}", "P", *a])
    rows.append(["Jumlah", None, None, *[sum(a[k] for a in ANSWERS) for k in range(9)]])
    rows.append(["NRR per unsur", None, None, *[3.5] * 9])
    return rows


def test_workbook_means_both_weights_flagged_and_summary_rows_left_out(tmp_path):
    path = workbook(tmp_path / "skm.xlsx", {"Petunjuk": [["isi jawaban 1-4"]], "Jawaban": answer_sheet()})
    r = run("skm", str(path))
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "sheet 'Jawaban', header baris 3" in out and "Responden: 4 (baris 4-7)" in out
    assert "Baris ringkasan diabaikan: 8 (Jumlah), 9 (NRR per unsur)" in out
    assert "U8 Penanganan Pengaduan, Saran dan Masukan" in out and "3,500" in out  # U1 mean 14/4
    assert "IKM (bobot 1/9 persis, rumus Permen; dipakai aturan): 88,19  B Baik" in out
    assert "IKM (bobot 0,111, seperti templat SKM yang beredar): 88,11  B Baik" in out
    assert "Semua jawaban dihitung." in out


def test_json_equals_the_library_and_names_every_answer_not_counted_by_sheet_row(tmp_path):
    rows = answer_sheet()
    rows[4][4] = 5  # row 5, U2: not an answer
    rows[5][11] = None  # row 6, U9 blank: simply not counted
    rows[6][3] = "tiga"  # row 7, U1
    path = workbook(tmp_path / "skm.xlsx", {"Jawaban": rows})
    r = run("skm", str(path), "--format", "json")
    assert r.exit_code == 1  # some answers were not counted
    doc = json.loads(r.stdout)
    answers = [dict(zip([f"U{i}" for i in range(1, 10)], row[3:12], strict=True)) for row in rows[3:7]]
    lib = ikm_from_responses(answers)
    assert doc["ikm"]["1/9"]["ikm"] == lib.ikm_rounded and doc["ikm"]["1/9"]["dipakai_aturan"] is True
    assert doc["ikm"]["0.111"]["ikm"] == ikm_from_responses(answers, weight="0.111").ikm_rounded
    assert doc["ikm"]["0.111"]["dipakai_aturan"] is False
    assert [(e["baris"], e["unsur"], e["nilai"]) for e in doc["tidak_dihitung"]] == [(5, "U2", 5), (7, "U1", "tiga")]
    assert [u["jawaban"] for u in doc["unsur"]] == [3, 3, 4, 4, 4, 4, 4, 4, 3]
    assert doc["responden"] == 4 and doc["baris_header"] == 3


def test_csv_with_other_header_spellings(tmp_path):
    path = tmp_path / "skm.csv"
    lines = ["Responden;" + ";".join(f"P{i}" for i in range(1, 10))]
    lines += [f"{n};" + ";".join(str(v) for v in a) for n, a in enumerate(ANSWERS, 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("skm", str(path), "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "IKM (exact 1/9 weight, the formula; the rules use it): 88.19  B Good" in r.stdout


def test_an_element_without_any_valid_answer_gives_no_index_and_exit_1(tmp_path):
    path = tmp_path / "skm.csv"
    path.write_text("U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,\n3,3,3,3,3,3,3,3,9\n", encoding="utf-8")
    r = run("skm", str(path))
    assert r.exit_code == 1
    assert "IKM (bobot 1/9 persis, rumus Permen; dipakai aturan): –" in r.stdout
    assert "baris 3, U9" in r.stdout and "U9: tidak ada jawaban sah" in r.stdout


def test_bad_input_is_exit_2(tmp_path):
    assert run("skm", str(tmp_path / "tidak-ada.xlsx")).exit_code == 2
    (tmp_path / "a.json").write_text("{}")
    assert run("skm", str(tmp_path / "a.json")).exit_code == 2
    no_header = tmp_path / "n.csv"
    no_header.write_text("Nama,Umur\nA,30\n")
    r = run("skm", str(no_header))
    assert r.exit_code == 2 and "U1-U9" in r.stderr
    means = tmp_path / "m.csv"  # a table of survey means is not answers
    means.write_text("Tahun,U1,U2,U3,U4,U5,U6,U7,U8,U9\n2024,3.2,3.1,2.9,3.8,3.3,3.4,3.5,3.0,3.1\n")
    r = run("skm", str(means))
    assert r.exit_code == 2 and "rata-rata survei" in r.stderr
    book = workbook(tmp_path / "w.xlsx", {"Data": [["Nama"], ["A"]]})
    assert run("skm", str(book)).exit_code == 2
    assert "tidak ada" in run("skm", str(book), "--sheet", "Lain").stderr


def test_a_respondent_row_and_a_survey_row_told_apart():
    row = {"u1_persyaratan": 4, "u2_prosedur": "3", "u3_waktu": 2, "u4_biaya": 4, "u5_produk": 1}
    assert looks_like_response_row(row)
    assert not looks_like_response_row({**row, "u6_kompetensi": 3.5})  # a mean
    assert not looks_like_response_row({**row, "tahun": 2024})  # names a survey
    assert not looks_like_response_row({k: v for k, v in list(row.items())[:4]})  # four answers only
    assert looks_like_response_row({**row, "jumlah_responden": "R7"})  # the "Responden" column
    assert not looks_like_responses([row])  # one row is not a table of respondents
    assert looks_like_responses([row, row])
