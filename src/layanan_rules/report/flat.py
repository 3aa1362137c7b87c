"""The flat form of the findings: one row per finding with its rule's words spelt out (the csv,
and the xlsx findings sheet), as Arrow columns (:func:`flat_batch`) and as the csv's text
(:class:`CsvLines`, what Arrow's CSV writer writes of those columns, made faster).

Why its own module: the reporters (``report/reporters.py``) choose rows and write files; what a
flat row holds and how it is spelt is one concept, kept here once for both formats.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from layanan_rules.report.i18n import severity_label, state_label
from layanan_rules.report.text import attestation_text, waiver_text

#: a :class:`layanan_rules.report.findings.Report`
Report = Any

COLUMNS = (
    "rule_id", "title", "state", "flags", "severity", "entity", "entity_id", "unit_id", "unit",
    "penyelenggara_id", "wilayah", "chapter", "legal_basis", "sanction", "remedy", "evidence",
    "reason", "message", "provenance", "waiver", "attestation",
)
HEADERS = {
    "id": ("id_aturan", "judul", "status", "tanda", "tingkat", "entitas", "id_entitas", "id_unit", "unit",
           "id_penyelenggara", "wilayah", "bab", "dasar_hukum", "sanksi", "perbaikan", "bukti",
           "alasan", "keterangan", "sumber_data", "pengecualian", "atestasi"),
    "en": COLUMNS,
}
#: xlsx column headings, for people
HUMAN_HEADERS = {
    "id": ("ID aturan", "Judul", "Status", "Tanda", "Tingkat", "Entitas", "ID entitas", "ID unit", "Unit",
           "ID penyelenggara", "Wilayah", "Bab", "Dasar hukum", "Sanksi", "Perbaikan", "Bukti",
           "Alasan", "Keterangan", "Sumber data", "Pengecualian", "Atestasi"),
    "en": ("Rule ID", "Title", "State", "Flags", "Severity", "Entity", "Entity ID", "Unit ID", "Unit",
           "Provider ID", "Region", "Chapter", "Legal basis", "Sanction", "Remedy", "Evidence",
           "Reason", "Message", "Data source", "Waiver", "Attestation"),
}


def flat_batch(words: Any, batch: Any, lang: str) -> Any:
    """A batch of the findings table as the flat columns (:data:`COLUMNS`), words by ``words``."""
    import pyarrow as pa

    from layanan_rules.report.stream import decoded, texts

    col = batch.column
    return pa.RecordBatch.from_arrays([
        decoded(col("rule_id")), words.title(batch), words.state(batch), words.flags(batch),
        words.severity(batch), decoded(col("entity")), col("entity_id"), decoded(col("unit_id")),
        words.unit_name(batch), decoded(col("penyelenggara_id")), decoded(col("wilayah")), words.chapter(batch),
        words.citations(batch), words.sanction(batch), words.remedy(batch),
        evidence(batch), decoded(col("reason")), col("message"), provenance(batch),
        texts(col("waiver"), lambda w: waiver_text({"waiver": json.loads(w)}, lang)),
        texts(col("attestation"), lambda a: attestation_text({"attestation": json.loads(a)}, lang)),
    ], names=list(COLUMNS))


def evidence(batch: Any) -> Any:
    """The evidence a batch's rows print (:func:`~layanan_rules.report.stream.evidence_text`), "" where none."""
    from layanan_rules.report import stream
    from layanan_rules.report.table import text_evidence

    column = batch.column("evidence")
    return column if text_evidence(batch) else stream.evidence_texts(column)


def provenance(batch: Any) -> Any:
    """Where a batch's rows come from, as printed (:func:`~layanan_rules.report.stream.provenance_text`), "" where none."""
    from layanan_rules.report import stream
    from layanan_rules.report.table import text_evidence

    column = batch.column("provenance")
    return column if text_evidence(batch) else stream.provenance_texts(column)


def _quoted(text: str | None) -> str:
    """A CSV field as Arrow's CSV writer writes a string with ``quoting_style="needed"`` (every
    string in quotes, a quote doubled; null as nothing)."""
    return "" if text is None else '"' + text.replace('"', '""') + '"'


class CsvLines:
    """A batch of findings (the columns of the findings table, evidence and provenance as text or
    JSON) as the csv's rows: one UTF-8 text, byte for byte what Arrow's CSV writer writes of the
    batch's :func:`flat_batches` row (``tests/test_findings_table.py`` compares both).

    Of the 21 columns, 16 are the same for every row of a rule, a state and a unit: they are made
    as three pieces of text, each once per distinct key (rule, state, flags, severity and entity;
    unit, penyelenggara and wilayah; chapter and rule), already quoted and joined, and a batch's
    rows are those pieces taken by key and joined to each row's own fields (entity id, evidence,
    reason, message, provenance, waiver, attestation) by one Arrow kernel: no column of titles,
    citations or remedies is spelt out per row, and no CSV writer reads them again."""

    def __init__(self, report: Report, lang: str, delimiter: str, pool: Any = None) -> None:
        from layanan_rules.report.stream import Words

        self.words = Words(report, lang, pool)
        self.lang = lang
        self.d = delimiter
        self.pool = pool
        self._codes: dict[str, tuple[Any, list[Any], dict[Any, int]]] = {}
        self._pieces: dict[str, dict[int, str]] = {"rule": {}, "unit": {}, "basis": {}}
        self._flags = [_quoted(w) for w in self.words.flags_words()]
        self._reasons: list[tuple[Any, Any]] = []

    def _global(self, name: str, column: Any) -> tuple[Any, list[Any]]:
        """A column's codes in the first dictionary this column came with (another dictionary's
        values are looked up, and new ones added), and the values of those codes."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not pa.types.is_dictionary(column.type):
            column = column.dictionary_encode()
        dictionary = column.dictionary
        known = self._codes.get(name)
        if known is None:
            values = dictionary.to_pylist()
            self._codes[name] = (dictionary, values, {v: i for i, v in enumerate(values)})
            return column.indices, values
        first, values, index = known
        if dictionary is first or dictionary.equals(first):
            return column.indices, values
        mapping = []
        for v in dictionary.to_pylist():
            code = index.get(v)
            if code is None:
                code = index[v] = len(values)
                values.append(v)
            mapping.append(code)
        return pc.take(pa.array(mapping, pa.int32()), column.indices), values

    def _key(self, parts: list[tuple[Any, list[Any], int]]) -> Any:
        """One int64 per row packing each part's code in its bits (all ones for null); None when a
        code does not fit."""
        import pyarrow as pa
        import pyarrow.compute as pc

        key = None
        for codes, values, bits in parts:
            empty = (1 << bits) - 1
            if len(values) >= empty:
                return None
            code = pc.fill_null(codes.cast(pa.int64()), empty)
            key = code if key is None else pc.add(pc.shift_left(key, bits), code)
        return key

    def _piece(self, name: str, key: Any, make: Callable[[int], str]) -> Any:
        """Per row, the piece of text of its key (``make(key)``, once per distinct key)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        cache = self._pieces[name]
        distinct = pc.unique(key)
        keys = distinct.to_pylist()
        texts = []
        for k in keys:
            text = cache.get(k)
            if text is None:
                text = cache[k] = make(k)
            texts.append(text)
        if len(keys) == 1:
            return texts[0]
        return pc.take(pa.array(texts, pa.string()), pc.index_in(key, value_set=distinct), memory_pool=self.pool)

    def _field(self, column: Any, null: str = "") -> list[Any]:
        """A string column as CSV fields (:func:`_quoted`, ``null`` where null), as inputs of the
        line's join: a constant when every row gives the same (no evidence in a batch of passes),
        else the quotes around the column (escaped when it holds a quote) as inputs of their own."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        n = len(column)
        if column.null_count == n:
            return [null]
        if pa.types.is_dictionary(column.type):
            column = column.cast(pa.string())
        if column.null_count == 0 and pc.max(pc.binary_length(column)).as_py() == 0:
            return ['""']
        if pc.any(pc.match_substring(column, '"')).as_py():
            column = pc.replace_substring(column, '"', '""', memory_pool=self.pool)
        if column.null_count == 0:
            return ['"', column, '"']
        return [pc.fill_null(pc.binary_join_element_wise('"', column, '"', "", memory_pool=self.pool), null)]

    def _reason(self, column: Any) -> list[Any]:
        """The reason column's fields (as :meth:`_field`): each reason quoted once per dictionary."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if column.null_count == len(column):
            return [""]
        if not pa.types.is_dictionary(column.type):
            return self._field(column)
        dictionary = column.dictionary
        words = next((w for d, w in self._reasons if d is dictionary or d.equals(dictionary)), None)
        if words is None:
            words = pa.array([_quoted(v) for v in dictionary.to_pylist()], pa.string())
            self._reasons = [*self._reasons[-7:], (dictionary, words)]
        return [pc.fill_null(pc.take(words, column.indices, memory_pool=self.pool), "")]

    def _inputs(self, batch: Any) -> list[Any]:
        """The batch's CSV lines as the inputs of one ``binary_join_element_wise`` (with separator
        ""): texts for every row, and arrays of a text per row."""
        from layanan_rules.report.stream import flags_code, texts

        d, w, col, lang = self.d, self.words, batch.column, self.lang
        rules = w.rules
        rule, rule_ids = self._global("rule_id", col("rule_id"))
        state, states = self._global("state", col("state"))
        sev, sevs = self._global("severity", col("severity"))
        ent, ents = self._global("entity", col("entity"))
        chap, chaps = self._global("chapter", col("chapter"))
        unit, units = self._global("unit_id", col("unit_id"))
        pen, pens = self._global("penyelenggara_id", col("penyelenggara_id"))
        wil, wils = self._global("wilayah", col("wilayah"))
        flags = flags_code(batch)
        b_rule, b_state, b_flags, b_sev, b_ent, b_place, b_chap = 20, 6, 4, 6, 20, 21, 12
        key_rule = self._key([(rule, rule_ids, b_rule), (state, states, b_state), (flags, self._flags, b_flags),
                              (sev, sevs, b_sev), (ent, ents, b_ent)])
        key_unit = self._key([(unit, units, b_place), (pen, pens, b_place), (wil, wils, b_place)])
        key_basis = self._key([(chap, chaps, b_chap), (rule, rule_ids, b_rule)])
        if key_rule is None or key_unit is None or key_basis is None:  # more distinct values than the bits hold
            return [self._lines_per_column(batch)]

        def value(values: list[Any], k: int, bits: int) -> Any:
            code = k & ((1 << bits) - 1)
            return None if code == (1 << bits) - 1 else values[code]

        def of_rule(rid: Any, word: Callable[[dict[str, Any]], str]) -> str:
            if rid is None:
                return ""
            r = rules.get(rid)
            return _quoted("" if r is None else word(r))

        def rule_piece(k: int) -> str:
            e = value(ents, k, b_ent)
            k >>= b_ent
            v = value(sevs, k, b_sev)
            k >>= b_sev
            f = k & ((1 << b_flags) - 1)
            k >>= b_flags
            s = value(states, k, b_state)
            k >>= b_state
            rid = value(rule_ids, k, b_rule)
            return d.join([_quoted(rid), of_rule(rid, w.title_of), _quoted(None if s is None else state_label(s, lang)),
                           self._flags[f], _quoted(None if v is None else severity_label(v, lang)), _quoted(e)]) + d

        def unit_piece(k: int) -> str:
            wl = value(wils, k, b_place)
            k >>= b_place
            p = value(pens, k, b_place)
            k >>= b_place
            u = value(units, k, b_place)
            return d + d.join([_quoted(u), _quoted(None if u is None else w.unit_of(u)), _quoted(p), _quoted(wl)]) + d

        def basis_piece(k: int) -> str:
            rid = value(rule_ids, k, b_rule)
            c = value(chaps, k >> b_rule, b_chap)
            return d.join([_quoted(None if c is None else w.chapter_of(c)), of_rule(rid, w.citations_of),
                           of_rule(rid, w.sanction_of), of_rule(rid, w.remedy_of)]) + d

        from layanan_rules.report.table import text_evidence

        if text_evidence(batch):
            ev, prov = col("evidence"), col("provenance")
        else:
            ev, prov = evidence(batch), provenance(batch)
        waiver, attestation = col("waiver"), col("attestation")
        parts = [
            self._piece("rule", key_rule, rule_piece), *self._field(col("entity_id")),
            self._piece("unit", key_unit, unit_piece), self._piece("basis", key_basis, basis_piece),
            *self._field(ev, '""'), d, *self._reason(col("reason")), d, *self._field(col("message")), d,
            *self._field(prov, '""'), d,
            *(['""'] if waiver.null_count == len(waiver) else
              self._field(texts(waiver, lambda x: waiver_text({"waiver": json.loads(x)}, lang)))), d,
            *(['""'] if attestation.null_count == len(attestation) else
              self._field(texts(attestation, lambda x: attestation_text({"attestation": json.loads(x)}, lang)))),
            "\n",
        ]
        merged: list[Any] = []  # adjacent constant texts as one input of the join
        for part in parts:
            if type(part) is str and merged and type(merged[-1]) is str:
                merged[-1] += part
            else:
                merged.append(part)
        return merged

    def _lines_per_column(self, batch: Any) -> Any:
        """:meth:`lines` a column at a time, from :func:`flat_batches`' columns (a table with more
        distinct rules, units or chapters than the packed keys hold)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        words = self.words
        flat = flat_batch(words, batch, self.lang)
        parts: list[Any] = []
        for i in range(flat.num_columns):
            if i:
                parts.append(self.d)
            parts += self._field(flat.column(i))
        parts.append("\n")
        if all(type(p) is str for p in parts):
            return pa.repeat(pa.scalar("".join(parts), pa.string()), len(batch))
        return pc.binary_join_element_wise(*parts, "")

    def lines(self, batch: Any) -> Any:
        """The batch's rows as CSV lines (a string array, each ending in a newline)."""
        import pyarrow.compute as pc

        return pc.binary_join_element_wise(*self._inputs(batch), "", memory_pool=self.pool)

    def texts(self, batch: Any) -> Iterator[Any]:
        """The batch's rows as UTF-8 ``pyarrow.Buffer`` objects, :data:`CSV_LINES` rows at a time (the
        lines of a whole batch of problems, evidence and all, are tens of MB)."""
        import struct

        import pyarrow.compute as pc

        n = batch.num_rows
        if n == 0:
            return
        inputs = self._inputs(batch)
        for start in range(0, n, CSV_LINES):
            part = [p if type(p) is str else p.slice(start, CSV_LINES) for p in inputs]
            lines = pc.binary_join_element_wise(*part, "", memory_pool=self.pool)
            offsets, data = lines.buffers()[1:3]
            first = struct.unpack_from("=i", offsets, 4 * lines.offset)[0]
            last = struct.unpack_from("=i", offsets, 4 * (lines.offset + len(lines)))[0]
            yield data.slice(first, last - first)

    def text(self, batch: Any) -> Any:
        """The batch's rows as one UTF-8 ``pyarrow.Buffer`` (None for no rows)."""
        import pyarrow as pa

        parts = list(self.texts(batch))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else pa.py_buffer(b"".join(memoryview(p) for p in parts))


#: rows of csv text made (and written) at a time
CSV_LINES = 8_192


class PagesReturned:
    """A binary file written through, whose pages the kernel may drop once they are on disk.

    A large csv (2.5 GB at 20k/200k) written the usual way fills the page cache with pages nobody
    reads again, and on a machine whose memory is full of cache every new page is one taken back
    from another file first, in the writing process's time: ``evaluate`` of the 20k data to csv
    took 7.5-7.8 s of system time without this and 4.0-4.4 with it (``bench/README.md``). Past :data:`PAGES_KEPT` bytes written to a regular
    file, after every :data:`PAGES_STEP` bytes this asks the kernel (``posix_fadvise``
    ``DONTNEED``) to start writing the latest step to disk and to drop the steps before the one
    before it, which are written by then (a page still dirty is kept: the advice never loses
    data). The bytes written are the same; what stays cached is about two steps."""

    def __init__(self, raw: IO[bytes]) -> None:
        import os
        import stat

        self.raw = raw
        self.fd: int | None = None
        self.marks: list[int] = []
        try:
            fd = raw.fileno()
            if hasattr(os, "posix_fadvise") and stat.S_ISREG(os.fstat(fd).st_mode):
                raw.flush()
                self.fd = fd
                self.marks = [os.lseek(fd, 0, os.SEEK_CUR)]
        except (AttributeError, OSError, ValueError):  # no descriptor (a BytesIO), or not a file
            self.fd = None
        self.at = self.marks[0] if self.marks else 0

    def write(self, data: Any) -> int:
        n: int = self.raw.write(data)
        self.at += n
        if self.fd is not None and self.at - self.marks[-1] >= PAGES_STEP and self.at - self.marks[0] >= PAGES_KEPT:
            self._advise()
        return n

    def _advise(self) -> None:
        import os

        assert self.fd is not None
        try:
            self.raw.flush()
            marks = self.marks
            marks.append(self.at)
            os.posix_fadvise(self.fd, marks[-2], marks[-1] - marks[-2], os.POSIX_FADV_DONTNEED)  # written out now
            if len(marks) > 3:
                os.posix_fadvise(self.fd, marks[0], marks[-3] - marks[0], os.POSIX_FADV_DONTNEED)
        except OSError:  # a file system that refuses the advice: written the usual way
            self.fd = None

    def flush(self) -> None:
        self.raw.flush()

    def tell(self) -> int:
        return self.at

    @property
    def closed(self) -> bool:
        return bool(self.raw.closed)

    def close(self) -> None:  # the file stays open: its owner closes it
        self.raw.flush()

    def writable(self) -> bool:
        return True


#: bytes a streamed csv writes before :class:`PagesReturned` gives pages back (smaller files stay cached)
PAGES_KEPT = 64 << 20
#: bytes between two pieces of advice
PAGES_STEP = 32 << 20
