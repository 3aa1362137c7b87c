"""The JSON formats: ``json`` (the report document, schema 3, written a batch of findings at a
time) and ``jsonl`` (one whole finding a line).
"""

from __future__ import annotations

import json
from typing import IO, Any

from layanan_rules.report.formats.common import Report, document, table_of


def render_json(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """The JSON document (schema 3, ``docs/report-schema.json``): the head indented, then the
    ``units`` map, the ``findings`` with something to say (full objects) and the ``quiet`` ones (ids
    per rule, unit and state), one item a line (not indented), streamed a batch at a time."""
    from layanan_rules.report.stream import (
        full_rows,
        json_text,
        json_units,
        quiet_lines,
        report_source,
        schema3_batch,
        write_utf8,
    )
    from layanan_rules.report.table import quiet

    table = table_of(report, options)
    units = json_units(table)
    head = json.dumps(document(report, options), ensure_ascii=False, indent=2)
    out.write(head[:-2] + ',\n"units": {')  # head ends with "\n}"; one unit, finding or group a line, unindented
    out.write(",".join("\n" + json.dumps(k, ensure_ascii=False) + ":" + json.dumps(v, ensure_ascii=False,
                                                                                   separators=(",", ":"))
                       for k, v in units.items()) + ("\n}" if units else "}"))
    out.write(',\n"findings": [')
    sep, wrote = "\n", False
    source = report_source(report)
    mask = quiet(table)  # once, for both lists
    for batch in full_rows(table, mask):
        text = json_text(schema3_batch(batch, units, source), ",\n", entity=False)
        if text is not None:
            out.write(sep)
            write_utf8(out, text)
            sep, wrote = ",\n", True
    out.write("\n],\n" if wrote else "],\n")
    out.write('"quiet": [')
    sep, wrote = "\n", False
    for lines in quiet_lines(table, units, mask):
        if lines:
            out.write(sep)
            out.write(",\n".join(lines))
            sep, wrote = ",\n", True
    out.write("\n]\n}\n" if wrote else "]\n}\n")


#: the ``schema_version`` each jsonl line carries: its lines keep report schema 2's finding shape
#: (every line whole: entity, unit, penyelenggara and wilayah named), so they say so
JSONL_SCHEMA_VERSION = "2.0"


def render_jsonl(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """One finding a line, each carrying ``schema_version``, ``ruleset`` and ``as_of`` (rule texts:
    the json or parquet format, or ``layanan-rules rules show``)."""
    from layanan_rules.report.stream import in_batches, json_lines

    doc = document(report, options)
    head = json.dumps({"schema_version": JSONL_SCHEMA_VERSION, "ruleset": report.ruleset_id,
                       "as_of": report.as_of.isoformat(),
                       "calendar": f"{doc['calendar']['source']} {doc['calendar']['version']}"}, ensure_ascii=False, separators=(",", ":"))[:-1] + ","
    for batch in in_batches(table_of(report, options)):
        lines = json_lines(batch)
        if lines:
            out.write("\n".join(head + line[1:] for line in lines))
            out.write("\n")
