"""Real workbooks written in tmp_path: xlsx with openpyxl, ods with odfpy, csv with the stdlib."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

Sheets = dict[str, Sequence[Sequence[Any]]]


def write_xlsx(path: Path, sheets: Sheets) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def write_ods(path: Path, sheets: Sheets) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            for value in row:
                if value is None:
                    tr.addElement(TableCell())
                    continue
                if isinstance(value, bool):
                    cell = TableCell(valuetype="boolean", booleanvalue="true" if value else "false")
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value)
                elif isinstance(value, dt.datetime):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat(timespec="seconds"))
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                else:
                    cell = TableCell(valuetype="string")
                for line in str(value).split("\n"):
                    cell.addElement(P(text=line))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[..., Path]:
    def make(sheets: Sheets, name: str = "data.xlsx") -> Path:
        return write_xlsx(tmp_path / name, sheets)

    return make


@pytest.fixture
def ods(tmp_path: Path) -> Callable[..., Path]:
    def make(sheets: Sheets, name: str = "data.ods") -> Path:
        return write_ods(tmp_path / name, sheets)

    return make


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[3]
