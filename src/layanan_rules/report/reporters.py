"""Reporters render a Report (``--format``); the built-in ones are an ordinary plugin.

Every built-in reporter renders from the same document, the report's JSON form
(:meth:`Report.to_dict`, schema ``docs/report-schema.json``), so the numbers agree across formats.
Options every reporter understands (``render(report, stream, options)``):

- ``lang``: ``id`` (default) or ``en`` for every human string, number and date;
- ``show_personal``: print personal data instead of "••• (data pribadi)" (default False);
- ``min_scored``: fewest scored findings for a score to count (default 5);
- ``color``: force colour on/off in ``table`` (default: when the stream is a terminal).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

import attrs

from layanan_rules.hookspecs import hookimpl
from layanan_rules.report.formats.common import Report, document, table_of
from layanan_rules.report.formats.document import render_json, render_jsonl
from layanan_rules.report.formats.junit import render_junit
from layanan_rules.report.formats.markdown import render_markdown
from layanan_rules.report.formats.tabular import render_csv, render_parquet
from layanan_rules.report.formats.terminal import render_table
from layanan_rules.report.formats.xlsx import render_xlsx
from layanan_rules.report.html import render_html

#: what a plugin author's reporter needs: ``Reporter``, and ``document`` / ``table_of`` to read the
#: report as the built-in formats do (docs/reports.md); the formats themselves are in ``report/formats/``
__all__ = ["Reporter", "available", "document", "register_reporters", "table_of"]


@attrs.frozen
class Reporter:
    """A named output format: ``render(report, stream, options)`` writes to a text or binary stream."""

    name: str
    description: str
    extension: str
    render: Callable[[Report, IO[Any], dict[str, Any]], None]
    binary: bool = False
    #: whether the format reads the report's head (:func:`document`: identity, scores, the rules
    #: map); the ``evaluate`` command makes the scores up front only when a format or
    #: ``--fail-under`` reads them (a csv does not: 1.2 CPU s of group-by at 20k/200k)
    head: bool = True


@hookimpl
def register_reporters() -> list[Reporter]:
    return [
        Reporter("table", "Tabel teks untuk terminal / text table for the terminal", "txt", render_table),
        Reporter("json", "JSON lengkap, skema berversi / full JSON, versioned schema", "json", render_json),
        Reporter("jsonl", "Satu temuan per baris (JSON Lines) / one finding a line", "jsonl", render_jsonl),
        Reporter("csv", "CSV, satu baris per temuan / one row per finding", "csv", render_csv, head=False),
        Reporter("xlsx", "Buku kerja Excel: ringkasan + temuan / Excel workbook: summary + findings", "xlsx",
                 render_xlsx, binary=True),
        Reporter("junit", "JUnit XML untuk CI / JUnit XML for CI servers", "xml", render_junit),
        Reporter("markdown", "Markdown untuk tiket atau wiki / Markdown for tickets or wikis", "md", render_markdown),
        Reporter("html", "Satu berkas HTML mandiri dengan grafik dan pencarian / one self-contained HTML file",
                 "html", render_html),
        Reporter("parquet", "Tabel temuan Parquet untuk analis (DuckDB, pandas, Polars, Power Query) / "
                 "findings table as Parquet for analysts", "parquet", render_parquet, binary=True),
    ]


def available(pm: Any) -> dict[str, Reporter]:
    found: dict[str, Reporter] = {}
    for group in pm.hook.register_reporters():
        for r in group or []:
            found.setdefault(r.name, r)
    return found
