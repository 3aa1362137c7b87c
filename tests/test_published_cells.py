"""The corpus of published cells (tests/corpus/published-cells.yaml): each cell, as an agency writes it,
structured through the real converter into the value the model must hold, or the data issue it must raise.

A cell that is read only in part never ends as a silent first value: it raises a data issue naming the field
(and, in a workbook, the cell) and the part left unread. The last test runs cells of the corpus through a real
xlsx workbook and the command line, so the issues are seen as a user sees them: with their sheet, row and column.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from layanan_rules.data.dataset import Dataset
from layanan_rules.model.convert import structure_record, unstructure_record

CORPUS = yaml.safe_load((Path(__file__).parent / "corpus" / "published-cells.yaml").read_text(encoding="utf-8"))

#: The shapes issue #12 asks for (and the single values and failures around them).
SHAPES = {"single", "label-colon", "untuk", "bagi", "bullets", "diperpanjang", "number-words", "partly-read",
          "not-understood", "decree-year", "partial-date"}


def _nested(entity: str, field: str, cell: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"id": "X1"}
    node = record
    *parents, leaf = field.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    node[leaf] = cell
    return record


def _get(obj: Any, path: str) -> Any:
    value: Any = unstructure_record(obj)
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _matches(expected: Any, got: Any) -> bool:
    """Every key given is equal (a None expected also matches an absent key); lists item by item."""
    if isinstance(expected, dict):
        got = got or {}
        return isinstance(got, dict) and all(_matches(v, got.get(k)) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(got, list) and len(got) == len(expected) and all(
            _matches(e, g) for e, g in zip(expected, got, strict=True))
    if isinstance(expected, float) or isinstance(got, float):
        return got is not None and expected is not None and float(got) == float(expected)
    return expected == got


def test_every_shape_has_cells() -> None:
    assert {c["shape"] for c in CORPUS} == SHAPES
    assert len(CORPUS) >= 50


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: f"{c['shape']}:{c['cell'][:40]}")
def test_published_cell(case: dict[str, Any]) -> None:
    entity, field = case.get("entity", "layanan"), case["field"]
    obj, problems = structure_record(entity, _nested(entity, field, case["cell"]))
    kinds = sorted({p.reason for p in problems})
    expected_issue = case.get("issue")
    assert kinds == ([expected_issue] if expected_issue else []), [p.message for p in problems]
    for p in problems:  # an issue names the field and says what was not read
        assert p.field == field and " / " in p.message
    if expected_issue == "malformed_value":
        assert _get(obj, field) is None  # set aside, never half-read
        return
    if "value" in case:
        assert _matches(case["value"], _get(obj, field)), json.dumps(_get(obj, field), ensure_ascii=False)
    if "cases" in case:
        got = _get(obj, field.rsplit(".", 1)[0] + ".persyaratan_kasus") or []
        assert _matches(case["cases"], got), got
    for path, value in (case.get("also") or {}).items():
        assert _get(obj, path) == value, path
    if expected_issue == "partly_read" and isinstance(case.get("value"), dict) and "tak_terbaca" in case["value"]:
        (p,) = problems
        assert repr(case["value"]["tak_terbaca"]) in p.message  # the part left unread is named


def test_a_partly_read_cell_is_named_with_its_sheet_row_and_column(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Through a real workbook and the command line: each partly read cell is a data issue with its cell,
    grouped by kind, and its rules still run on what was read (the cases)."""
    openpyxl = pytest.importorskip("openpyxl")
    from click.testing import CliRunner

    from layanan_rules.cli import cli

    partly = [c for c in CORPUS if c.get("issue") == "partly_read" and c["field"] in ("standar.jangka_waktu",
                                                                                        "standar.biaya")]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Layanan"
    ws.append(["ID Layanan", "Nama Layanan", "Jangka Waktu Penyelesaian", "Biaya/Tarif"])
    for i, c in enumerate(partly, start=1):
        row = [f"L{i}", f"Layanan {i}", None, None]
        row[2 if c["field"] == "standar.jangka_waktu" else 3] = c["cell"]
        ws.append(row)
    path = tmp_path / "standar.xlsx"
    wb.save(path)
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["evaluate", str(path), "--as-of", "2025-01-31", "--format", "json", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    issues = [i for i in report["data_issues"] if i["kind"] == "partly_read"]
    assert report["summary"]["data_issues"] == {"partly_read": len(partly)}
    cells = sorted((i["entity_id"], i["provenance"]["row"], i["provenance"]["column"]) for i in issues)
    assert cells == sorted(
        (f"L{i}", i + 1, "C" if c["field"] == "standar.jangka_waktu" else "D") for i, c in enumerate(partly, start=1))
    # rules still decide on what was read: no error from a partly read cell
    assert report["summary"]["states"]["error"] == 0
    table = CliRunner().invoke(cli, ["evaluate", str(path), "--as-of", "2025-01-31"])
    assert f"sel terbaca sebagian ({len(partly)})" in table.output
    assert "Layanan:row 2:col" in table.output


def test_the_json_form_holds_the_cases_and_reads_back_the_same() -> None:
    """The cases survive the plain JSON form (export, then evaluate the export)."""
    data = {"layanan": [_nested("layanan", "standar.biaya", "Umum : Rp 50.000 Peserta BPJS : ditanggung penjamin")
                        | {"id": "L1"}]}
    ds = Dataset.from_json(data)
    exported = ds.to_json()
    again = Dataset.from_json(exported)
    assert again.records["layanan"][0].obj == ds.records["layanan"][0].obj
    assert [k["untuk"] for k in exported["layanan"][0]["standar"]["biaya"]["kasus"]] == ["Umum", "Peserta BPJS"]
