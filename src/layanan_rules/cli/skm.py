"""``skm``: one survey's IKM from its per-respondent answers (a row per respondent, U1-U9).

The file is an .xlsx/.xlsm workbook or a .csv/.tsv file. The header row (searched in the first
ten non-blank rows) names the elements as the field map knows them ("U1", "U1 Persyaratan",
"P1", "Unsur 1", "Persyaratan", ...); other columns (respondent number, sex, age, job) are
ignored. Rows that only sum up the answers ("Jumlah", "NRR", "IKM", ...) are left out and named.

Both weight conventions are printed (:mod:`layanan_rules.skm`): the formula's exact ``1/9``,
which the rules use, and the ``0.111`` of the circulated SKM spreadsheets.

Exit codes: 0 every answer counted; 1 some answers were not counted (each one named, with its
row) or an element has no valid answer; 2 the file cannot be read or has no U1-U9 header.
"""

from __future__ import annotations

import csv
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import click

from layanan_rules.cli.common import EXIT_FINDINGS, EXIT_OK, fail

#: leading rows searched for the header
HEADER_SEARCH_ROWS = 10
#: a row whose text starts with one of these words sums up the answers; it is not a respondent
SUMMARY_WORDS = re.compile(
    r"^\s*(jumlah|total|sum|nrr|nilai|rata|rerata|mean|average|ikm|bobot|tertimbang|mutu|kinerja|"
    r"konversi|nilai\s+unsur|indeks)\b",
    re.IGNORECASE,
)
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _csv_rows(path: Path) -> list[list[Any]]:
    from layanan_rules import inputs

    raw = path.read_bytes()
    try:
        text = inputs.decode_text(raw, str(path))  # UTF-8 (a BOM may say UTF-16)
    except inputs.InputError as exc:
        try:
            text = raw.decode("cp1252")  # what Excel on Windows saves
        except UnicodeDecodeError:
            fail(f"galat / error: {exc}")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:64 * 1024], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    csv.field_size_limit(inputs.current().csv_field_chars)
    reader = csv.reader(text.splitlines(), dialect)
    try:
        return [list(r) for r in reader]
    except csv.Error as exc:
        fail(f"galat / error: {path}:{reader.line_num + 1}: CSV tidak valid / invalid CSV ({exc}); "
             f"batas sel / field limit: --limit csv_field_chars=N")
    raise AssertionError  # fail() exits


def _header_score(cells: list[Any]) -> dict[int, str]:
    """Column index -> element field, for the cells of a row that name an element."""
    from layanan_rules import skm
    from layanan_rules.data import fieldmap

    out: dict[int, str] = {}
    for j, value in enumerate(cells):
        if isinstance(value, str) and value.strip():
            path = fieldmap.match_header("survei_kepuasan", value.strip())
            if path in skm.SURVEI_FIELDS and path not in out.values():
                out[j] = path
    return out


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[int, str]] | None:
    """(index of the header row, its element columns), the row naming most elements (at least 5)."""
    best: tuple[int, dict[int, str]] | None = None
    seen = 0
    for i, cells in enumerate(rows):
        if all(_blank(v) for v in cells):
            continue
        seen += 1
        columns = _header_score(cells)
        if len(columns) >= 5 and (best is None or len(columns) > len(best[1])):
            best = (i, columns)
        if seen >= HEADER_SEARCH_ROWS:
            break
    return best


def _workbook_tables(path: Path, sheet: str | None) -> tuple[str, list[list[Any]]]:
    import zipfile

    import openpyxl

    from layanan_rules import inputs

    try:
        inputs.check_workbook(path)
    except inputs.InputError as exc:
        fail(f"galat / error: {exc}")
    except (zipfile.BadZipFile, OSError):
        pass  # said below
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:  # damaged or foreign file
        fail(f"galat / error: {path}: tidak dapat dibaca sebagai buku kerja / cannot be read as a workbook ({exc})")
    try:
        names = workbook.sheetnames
        if sheet is not None:
            if sheet not in names:
                fail(f"galat / error: sheet {sheet!r} tidak ada / no such sheet; ada / there are: {', '.join(names)}")
            candidates = [sheet]
        else:
            candidates = names
        for name in candidates:
            rows = [list(r) for r in workbook[name].iter_rows(values_only=True)]
            if sheet is not None or _find_header(rows) is not None:
                return name, rows
        fail(f"galat / error: {path}: tidak ada sheet dengan header U1-U9 / no sheet has a U1-U9 header "
             f"(sheets: {', '.join(names)}); pilih dengan / pick one with --sheet")
    finally:
        workbook.close()


def read_responses(path: Path, sheet: str | None = None) -> dict[str, Any]:
    """The answers of a per-respondent file: ``rows`` (dicts keyed by the element fields),
    ``row_numbers`` (the sheet's 1-based row of each), ``summary_rows`` left out, ``sheet``,
    ``header_row``, ``columns`` (element field -> the header text). Exits 2 on bad input."""
    suffix = path.suffix.lower()
    if not path.is_file():
        fail(f"galat / error: {path}: berkas tidak ditemukan / file not found")
    if suffix in CSV_SUFFIXES:
        part, rows = path.name, _csv_rows(path)
    elif suffix in WORKBOOK_SUFFIXES:
        part, rows = _workbook_tables(path, sheet)
    else:
        fail(f"galat / error: {path}: pakai .xlsx, .xlsm, .csv atau .tsv / use .xlsx, .xlsm, .csv or .tsv "
             "(simpan ulang dari aplikasi lembar kerja / save it again from the spreadsheet application)")
    found = _find_header(rows)
    if found is None:
        fail(f"galat / error: {path}{' sheet ' + repr(part) if suffix in WORKBOOK_SUFFIXES else ''}: tidak ada "
             "baris header yang menyebut sedikitnya 5 unsur (U1 ... U9, 'P1', 'Unsur 1', 'Persyaratan' ...) / "
             "no header row names at least 5 of the elements U1-U9")
    at, columns = found
    header = rows[at]
    out_rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    summary: list[dict[str, Any]] = []
    blank = 0
    for i in range(at + 1, len(rows)):
        cells = rows[i]
        answers = {field: (cells[j] if j < len(cells) else None) for j, field in columns.items()}
        others = [v for j, v in enumerate(cells) if j not in columns and not _blank(v)]
        label = next((str(v).strip() for v in others if isinstance(v, str)), None)
        if label is not None and SUMMARY_WORDS.match(label):
            summary.append({"baris": i + 1, "label": label})
            continue
        if all(_blank(v) for v in answers.values()):
            blank += not others or all(_blank(v) for v in cells)
            if others and not all(_blank(v) for v in cells):
                summary.append({"baris": i + 1, "label": label or str(others[0])})
            continue
        out_rows.append({k: (v.strip() if isinstance(v, str) else v) for k, v in answers.items()})
        numbers.append(i + 1)
    return {
        "sheet": part, "header_row": at + 1, "rows": out_rows, "row_numbers": numbers,
        "summary_rows": summary, "blank_rows": blank,
        "columns": {field: str(header[j]).strip() for j, field in columns.items()},
    }


def _fractional_answers(errors: Any) -> int:
    """Answers that are numbers within 1-4 but not whole: the marks of a table of means."""
    n = 0
    for e in errors:
        v = e.value
        if isinstance(v, str):
            try:
                v = float(v.strip().replace(",", "."))
            except ValueError:
                continue
        if isinstance(v, (int, float)) and not isinstance(v, bool) and 1 <= v <= 4 and v != int(v):
            n += 1
    return n


def _mean_text(value: float | None, lang: str) -> str:
    from layanan_rules.report.i18n import fmt_number

    if value is None:
        return "–"
    shown = Decimal(repr(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return fmt_number(float(shown), lang, decimals=3)


@click.command("skm")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", metavar="NAME", help="Sheet jawaban (bawaan: yang pertama ber-header U1-U9) / the answers' "
              "sheet (default: the first with a U1-U9 header).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Format keluaran / output format.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
              help="Bahasa teks / language of human text.")
def skm_cmd(file: Path, sheet: str | None, fmt: str, lang: str) -> None:
    """Hitung IKM satu survei dari jawaban per responden / one survey's IKM from its answers.

    \b
    Berkas: satu baris per responden, kolom U1-U9 berisi jawaban 1-4 (.xlsx, .xlsm, .csv, .tsv).
    File: one row per respondent, columns U1-U9 holding answers 1-4.

    Mencetak rata-rata per unsur (NRR), IKM dengan dua konvensi bobot (1/9 persis, yang dipakai
    aturan; 0,111 seperti templat SKM yang beredar), mutu, dan jawaban yang tidak dihitung beserta
    barisnya. Prints the per-element means, the IKM under both weight conventions (flagged), the
    grade, and every answer not counted with its row.

    \b
    Keluar / exit: 0 semua jawaban dihitung / all counted; 1 ada jawaban tidak dihitung / some
    answers not counted; 2 berkas tak terbaca / unreadable file.
    """
    from layanan_rules import skm

    data = read_responses(file, sheet)
    rows, numbers = data["rows"], data["row_numbers"]
    if not rows:
        fail(f"galat / error: {file}: tidak ada jawaban di bawah header (baris {data['header_row']}) / "
             "no answers below the header")
    results = {w: skm.ikm_from_responses(rows, weight=w) for w in ("1/9", "0.111")}
    main = results["1/9"]
    if not any(main.answers) or _fractional_answers(main.errors) > sum(main.answers):
        fail(f"galat / error: {file}: jawabannya kebanyakan pecahan atau tidak ada yang "
             "1-4; ini tabel rata-rata survei, bukan jawaban responden? / most answers are fractions or none is "
             "1-4; is this a table of survey means rather than answers? "
             "(evaluasi tabel survei dengan / evaluate survey tables with `layanan-rules evaluate`)")
    not_counted = [
        {"baris": numbers[e.row] if e.row >= 0 else None, "unsur": e.element, "nilai": e.value, "pesan": e.message}
        for e in main.errors
    ]
    if fmt == "json":
        doc = {
            "berkas": str(file), "sheet": data["sheet"], "baris_header": data["header_row"],
            "kolom": {code: data["columns"].get(field) for (code, _n, _e), field in zip(skm.ELEMENTS, skm.SURVEI_FIELDS,
                                                                                       strict=True)},
            "responden": main.respondents,
            "unsur": main.to_dict()["unsur"],
            "ikm": {
                w: {"bobot": w, "ikm": r.ikm_rounded, "ikm_persis": r.ikm, "mutu": r.grade.letter if r.grade else None,
                    "kinerja": r.grade.label_id if r.grade else None, "dipakai_aturan": w == "1/9"}
                for w, r in results.items()
            },
            "tidak_dihitung": not_counted,
            "baris_ringkasan_diabaikan": data["summary_rows"],
        }
        click.echo(json.dumps(doc, ensure_ascii=False, indent=1, default=str))
    else:
        _print_text(file, data, results, not_counted, lang)
    raise SystemExit(EXIT_OK if main.ok else EXIT_FINDINGS)


def _print_text(file: Path, data: dict[str, Any], results: dict[str, Any], not_counted: list[dict[str, Any]],
                lang: str) -> None:
    from layanan_rules import skm
    from layanan_rules.report.i18n import fmt_number

    en = lang == "en"
    main = results["1/9"]
    numbers = data["row_numbers"]
    where = f"{file}" + (f", sheet {data['sheet']!r}" if data["sheet"] != file.name else "")
    click.echo(f"SKM: {where}, header {'row' if en else 'baris'} {data['header_row']}")
    click.echo(f"{'Respondents' if en else 'Responden'}: {main.respondents} "
               f"({'rows' if en else 'baris'} {numbers[0]}-{numbers[-1]})")
    if data["summary_rows"]:
        listed = ", ".join(f"{s['baris']} ({s['label']})" for s in data["summary_rows"][:8])
        more = len(data["summary_rows"]) - 8
        click.echo(("Summary rows left out: " if en else "Baris ringkasan diabaikan: ") + listed
                   + (f", … (+{more})" if more > 0 else ""))
    click.echo("")
    click.echo(f"{'Element' if en else 'Unsur':50} {'Answers' if en else 'Jawaban':>8} {'Mean' if en else 'Rata-rata':>10}")
    for (code, name_id, name_en), mean, count in zip(skm.ELEMENTS, main.means, main.answers, strict=True):
        click.echo(f"{code} {name_en if en else name_id:47} {count:>8} {_mean_text(mean, lang):>10}")
    click.echo("")
    labels = {
        "1/9": ("bobot 1/9 persis, rumus Permen; dipakai aturan", "exact 1/9 weight, the formula; the rules use it"),
        "0.111": ("bobot 0,111, seperti templat SKM yang beredar", "0.111 weight, as the circulated SKM templates"),
    }
    for w, r in results.items():
        text = labels[w][1 if en else 0]
        if r.ikm_rounded is None:
            click.echo(f"IKM ({text}): –  ({'an element has no valid answer' if en else 'ada unsur tanpa jawaban sah'})")
            continue
        grade = f"{r.grade.letter} {r.grade.label_en if en else r.grade.label_id}"
        click.echo(f"IKM ({text}): {fmt_number(r.ikm_rounded, lang, decimals=2)}  {grade}")
    click.echo("")
    if not not_counted:
        click.echo("All answers counted." if en else "Semua jawaban dihitung.")
        return
    click.echo(f"{'Answers not counted' if en else 'Jawaban tidak dihitung'}: {len(not_counted)}")
    for e in not_counted:
        row = f"{'row' if en else 'baris'} {e['baris']}, " if e["baris"] is not None else ""
        click.echo(f"  {row}{e['pesan']}")
