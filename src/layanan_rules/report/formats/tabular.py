"""The findings as rows for analysts and spreadsheets: ``parquet`` (the findings table itself) and
``csv`` (one row a finding, worst first), each written by a thread behind the one that makes
the rows; :func:`flat_batches` is also what the xlsx sheet reads.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from layanan_rules.report.flat import HEADERS, CsvLines, PagesReturned, flat_batch
from layanan_rules.report.formats.common import Report, document, table_of

#: the ``schema_version`` of the report head parquet carries in its metadata: the document without
#: findings, which schema 3 left as schema 2 had it (schema 3 changed only the findings and added ``units``)
HEAD_SCHEMA_VERSION = "2.0"


def render_parquet(report: Report, out: IO[bytes], options: dict[str, Any]) -> None:
    """The findings table as Parquet (zstd), batch by batch; the report's head (identity, scores,
    the rules map) in the file's key-value metadata under ``layanan_rules.report``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from layanan_rules.report.stream import in_batches

    table = table_of(report, options)
    meta = dict(table.schema.metadata or {})
    head = {**document(report, options), "schema_version": HEAD_SCHEMA_VERSION}
    meta[b"layanan_rules.report"] = json.dumps(head, ensure_ascii=False).encode()
    schema = table.schema.with_metadata(meta)
    # Parquet's dictionary encoding for the columns that are dictionaries already: the ids, evidence
    # and provenance (hundreds of thousands of distinct texts) were hashed into a dictionary that
    # overflowed and was dropped, which cost CPU and made the file larger (43.3 MB against 38.8 at 20k/200k)
    dictionaries = [f.name for f in schema if pa.types.is_dictionary(f.type)]

    def groups() -> Iterator[Any]:
        """Row groups of PARQUET_ROWS rows, each made of PARQUET_PARTS batches: the evidence is made
        (and shared with a helper process) in batches a quarter the size of a row group."""
        held: list[Any] = []
        rows = 0
        for batch in in_batches(table, PARQUET_ROWS // PARQUET_PARTS):
            held.append(batch)
            rows += batch.num_rows
            if rows >= PARQUET_ROWS:
                yield pa.Table.from_batches(held, schema=table.schema)
                held, rows = [], 0
        if held:
            yield pa.Table.from_batches(held, schema=table.schema)

    with pq.ParquetWriter(out, schema, compression="zstd", use_dictionary=dictionaries) as writer:
        written_behind(groups(), lambda part: writer.write_table(part, row_group_size=PARQUET_ROWS))


#: rows per Parquet row group (and per part the writer thread writes)
PARQUET_ROWS = 262_144


#: batches (made one at a time, each with its evidence) per row group
PARQUET_PARTS = 4


def written_behind(parts: Iterator[Any], write: Callable[[Any], Any]) -> None:
    """``write(part)`` for each part in order, by a thread while the next part is made (encoding,
    compressing and writing release the GIL; making a batch's evidence holds it): one part in
    flight, so memory stays two parts'. The thread starts after the first part is made: a helper
    process (``report/sidecar.py``) is forked before any thread of ours exists."""
    from concurrent.futures import ThreadPoolExecutor

    pending: Any = None
    pool: Any = None
    try:
        for part in parts:
            if pool is None:
                pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="layanan-write")
            if pending is not None:
                pending.result()
            pending = pool.submit(write, part)
        if pending is not None:
            pending.result()
    finally:
        if pool is not None:
            pool.shutdown(wait=True)


def flat_batches(report: Report, options: dict[str, Any], rows: Any = None) -> Iterator[Any]:
    """Arrow tables of the flat columns (:data:`COLUMNS`), worst first, a batch at a time: the rows
    of the CSV and the xlsx findings sheet. Text comes from per-rule and per-place lookups; only
    rows with evidence, a waiver or an attestation touch Python."""
    import pyarrow as pa

    for part in _flat(report, options, rows):
        yield pa.Table.from_batches([part])


def _flat(report: Report, options: dict[str, Any], rows: Any = None, pool: Any = None) -> Iterator[Any]:
    """:func:`flat_batches` as record batches (the words' columns from the memory ``pool``, if given)."""

    from layanan_rules.report.stream import Words

    lang = options.get("lang", "id")
    words = Words(report, lang, pool)
    for batch in _worst_first(report, options, rows):
        yield flat_batch(words, batch, lang)


def _worst_first(report: Report, options: dict[str, Any], rows: Any = None) -> Iterator[Any]:
    """The findings (or ``rows``) worst first (:func:`~layanan_rules.report.stream.worst_first_parts`),
    as record batches of the findings table's columns, evidence and provenance made a batch at a
    time, as the text formats print them where the table makes them (:func:`evidence`)."""
    from layanan_rules.report import stream

    table = table_of(report, options) if rows is None else rows
    order = stream.worst_first_parts(table) if rows is None else [stream.worst_first(table)]
    many = getattr(table, "take_batches", None)  # evidence made a batch at a time, maybe by a helper process
    yield from (many(order, stream.BATCH_ROWS, text=True) if many is not None
                else (batch for indices in order for batch in stream.taken(table, indices)))


def render_csv(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """One row per finding, worst first; headers in the report language; UTF-8 with a byte-order
    mark so Excel reads it as UTF-8. ``csv_delimiter`` (default ``,``): ``;`` for Excel in an
    Indonesian (or any comma-decimal) locale. Streamed a batch at a time: each batch's rows made as
    one text by :class:`CsvLines` (what Arrow's CSV writer writes of :func:`flat_batches`) and
    written by a thread while the next batch is made."""
    import io

    import pyarrow as pa

    lang = options.get("lang", "id")
    delimiter = str(options.get("csv_delimiter") or ",")
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise ValueError(f"csv_delimiter: one character other than a quote or newline, not {delimiter!r}")
    if options.get("csv_bom", True):
        out.write("\ufeff")
    head = io.StringIO()
    csv.writer(head, delimiter=delimiter, lineterminator="\n").writerow(HEADERS["en" if lang == "en" else "id"])
    out.write(head.getvalue())
    raw = getattr(out, "buffer", None)  # the bytes under a UTF-8 text file: no decoding and encoding again
    if raw is not None and str(getattr(out, "encoding", "")).replace("-", "").lower() != "utf8":
        raw = None
    # the lines' buffers from the system allocator: Arrow's default one hands freed pages back at
    # once (cli.ARROW_ALLOCATOR_ENV), and 2.5 GB of csv at 20k/200k through fresh pages cost ~6 s
    lines = CsvLines(report, lang, delimiter, pa.system_memory_pool())
    if raw is None:
        for make in _csv_parts(report, options, lines):
            for text in make():
                out.write(memoryview(text).tobytes().decode("utf-8"))
        return
    out.flush()
    sink = PagesReturned(raw)

    def write(make: Callable[[], Iterator[Any]]) -> None:
        for text in make():
            sink.write(memoryview(text))

    written_behind(_csv_parts(report, options, lines), write)  # the text made and written by a thread
    raw.flush()


def _csv_parts(report: Report, options: dict[str, Any], lines: CsvLines) -> Iterator[Callable[[], Iterator[Any]]]:
    """The csv's rows worst first, as functions that make their text (``pyarrow.Buffer`` objects, in
    order; the writer thread calls them). The problems (fail, error, waived) are read with their
    evidence, made on both cores where a helper process is allowed; the rest of the findings (at
    20k/200k, 84 % of the rows, nearly all of them quiet: a pass or not applicable with nothing
    more to say) are written from where each row is (:meth:`CsvLines.quiet_texts`), not taken
    row by row, and in this process alone (a helper would only walk their order again). The bytes
    are those of :func:`_worst_first`'s batches written by :meth:`CsvLines.texts`."""
    import functools

    import pyarrow as pa
    import pyarrow.compute as pc

    from layanan_rules.report import stream
    from layanan_rules.report.table import quiet

    table = table_of(report, options)
    order = mask = None
    if getattr(table, "record_rows", None) is not None and not table.made_whole:
        mask = quiet(table)  # (none with --evidence all: every row has its evidence made)
        if isinstance(mask, pa.ChunkedArray):
            mask = mask.combine_chunks()
        order = stream.WorstFirst(table, CSV_WINDOWED_ROWS) if mask.true_count else None
    if order is None or order.whole:
        for batch in _worst_first(report, options):
            yield functools.partial(lines.texts, batch)
        return
    size = stream.BATCH_ROWS
    problems = (rows for _value, rows in order.groups((0, 1)))
    for batch in table.take_batches(problems, size, text=True):
        yield functools.partial(lines.texts, batch)
    for value, rows in order.groups((stream.QUIET_BAND,)):
        state = order.state(value)
        for start in range(0, len(rows), size):
            part = rows.slice(start, size)
            kept = pc.take(mask, part)
            n_quiet = kept.true_count
            place = table.record_rows(part) if n_quiet else None
            if place is None:  # nothing quiet, or rows of several lists of records: the rows taken
                for batch in table.take_batches([part], size, text=True, helper=False):
                    yield functools.partial(lines.texts, batch)
                continue
            other = None
            if n_quiet < len(part):
                other = next(table.take_batches([pc.filter(part, pc.invert(kept))], size, text=True, helper=False))
            yield functools.partial(lines.quiet_texts, table, place, state, other, kept)


#: the csv reads a worst-first group past this many rows in windows of its records, ranked by id once
#: per entity (``stream.WorstFirst``), rather than sorting the group's ids as text: the same order,
#: 0.35-0.41 CPU s instead of 0.61-0.84 for every group of the 20k/200k csv (``bench/README.md``)
CSV_WINDOWED_ROWS = 1 << 16
