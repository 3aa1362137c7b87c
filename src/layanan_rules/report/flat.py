"""The flat form of the findings: one row per finding with its rule's words spelt out (the csv,
and the xlsx findings sheet), as Arrow columns (:func:`flat_batch`) and as the csv's text
(:class:`CsvLines`, what Arrow's CSV writer writes of those columns, made faster).

Why its own module: the formats (``report/formats/``) choose rows and write files; what a
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
        self._quiet: _QuietTexts | None = None  # what quiet_texts made of the table it was last given

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

        d, col, lang = self.d, batch.column, self.lang
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

        def rule_piece(k: int) -> str:
            e = value(ents, k, b_ent)
            k >>= b_ent
            v = value(sevs, k, b_sev)
            k >>= b_sev
            f = k & ((1 << b_flags) - 1)
            k >>= b_flags
            s = value(states, k, b_state)
            k >>= b_state
            return self._rule_text(value(rule_ids, k, b_rule), s, f, v, e)

        def unit_piece(k: int) -> str:
            wl = value(wils, k, b_place)
            k >>= b_place
            p = value(pens, k, b_place)
            k >>= b_place
            return self._unit_text(value(units, k, b_place), p, wl)

        def basis_piece(k: int) -> str:
            return self._basis_text(value(chaps, k >> b_rule, b_chap), value(rule_ids, k, b_rule))

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

    def _of_rule(self, rid: Any, word: Callable[[dict[str, Any]], str]) -> str:
        if rid is None:
            return ""
        r = self.words.rules.get(rid)
        return _quoted("" if r is None else word(r))

    def _rule_text(self, rid: Any, state: Any, flags: int, severity: Any, entity: Any) -> str:
        """The fields that depend on the rule, the state, the flags and the rule's severity and
        entity (``rule_id`` to ``entity``), quoted, each followed by the delimiter."""
        d, lang = self.d, self.lang
        return d.join([_quoted(rid), self._of_rule(rid, self.words.title_of),
                       _quoted(None if state is None else state_label(state, lang)), self._flags[flags],
                       _quoted(None if severity is None else severity_label(severity, lang)), _quoted(entity)]) + d

    def _unit_text(self, unit: Any, pen: Any, wil: Any) -> str:
        """The fields of the place (``unit_id`` to ``wilayah``), quoted, between delimiters."""
        d = self.d
        return d + d.join([_quoted(unit), _quoted(None if unit is None else self.words.unit_of(unit)), _quoted(pen),
                           _quoted(wil)]) + d

    def _basis_text(self, chapter: Any, rid: Any) -> str:
        """The fields of the chapter and the rule's law (``chapter`` to ``remedy``), quoted, each
        followed by the delimiter."""
        w = self.words
        return self.d.join([_quoted(None if chapter is None else w.chapter_of(chapter)),
                            self._of_rule(rid, w.citations_of), self._of_rule(rid, w.sanction_of),
                            self._of_rule(rid, w.remedy_of)]) + self.d

    def quiet_texts(self, findings: Any, place: tuple[Any, Any, int], state: str, other: Any = None,
                    quiet: Any = None) -> Iterator[Any]:
        """The csv lines of rows of a :class:`~layanan_rules.report.table.Findings` that are quiet
        (:func:`~layanan_rules.report.table.quiet`: in ``state``, ``pass`` or ``not_applicable``,
        with no evidence, provenance, reason, message, mark, waiver or attestation), in order, as
        UTF-8 ``pyarrow.Buffer`` objects (as :meth:`texts`): made from where each row is, not from
        the rows taken. ``place`` is :meth:`~layanan_rules.report.table.Findings.record_rows` of the
        rows: per row its block (one rule's findings) and its record's place in the block's list of
        records. A row's line is its block's rule and law (quoted once per block), its record's id
        and place (the place quoted once per unit), and the empty fields of a quiet row: the bytes
        :meth:`texts` writes of the same rows (``tests/test_findings_table.py`` compares them).

        ``other``: when some of the rows are not quiet (``quiet`` false), those rows as a batch of
        the table with text evidence (:meth:`~layanan_rules.report.table.Findings.take_batches`), in
        order; their lines (:meth:`lines`) are put in their places."""
        import pyarrow.compute as pc

        block, at, first = place
        n = len(block)
        if n == 0:
            return
        pool = self.pool
        ids, unit_of_record, units = self._records_texts(findings, first)
        rule_texts, basis_texts, tail = self._rule_texts(findings, state), self._basis_texts(findings), self._quiet_tail()

        def lines(b: Any, a: Any) -> Any:
            return pc.binary_join_element_wise(
                pc.take(rule_texts, b, memory_pool=pool), pc.take(ids, a, memory_pool=pool),
                pc.take(units, pc.take(unit_of_record, a), memory_pool=pool), pc.take(basis_texts, b, memory_pool=pool),
                tail, "", memory_pool=pool)

        if other is not None:  # some rows are not quiet: their lines made from their row, put in their places
            others, loud, used = self.lines(other), pc.invert(quiet), 0
        for start in range(0, n, CSV_LINES):  # (a piece's takes read again by the join while in the cache)
            got = lines(block.slice(start, CSV_LINES), at.slice(start, CSV_LINES))
            if other is not None:
                here = loud.slice(start, CSV_LINES)
                k = here.true_count
                if k:
                    got = pc.replace_with_mask(got, here, others.slice(used, k))
                    used += k
            yield _data(got)

    def _quiet_tail(self) -> str:
        """The fields of a quiet row after the law's: empty evidence, reason, message, provenance,
        waiver and attestation (as :meth:`_inputs` writes them), and the newline."""
        d = self.d
        return '""' + d + d + d + '""' + d + '""' + d + '""' + "\n"

    def _table(self, findings: Any) -> _QuietTexts:
        """What :meth:`quiet_texts` made of this table so far (per block its values, and texts)."""
        got = self._quiet
        if got is None or got.findings is not findings:
            values = []
            for k in range(findings.blocks):
                first = findings.block(k).slice(0, 1)
                values.append(tuple(first.column(name).to_pylist()[0] if len(first) else None
                                    for name in ("rule_id", "severity", "entity", "chapter")))
            got = self._quiet = _QuietTexts(findings, values)
        return got

    def _rule_texts(self, findings: Any, state: str) -> Any:
        """Per block, :meth:`_rule_text` of its rule in ``state``, no flags, and the opening quote of the id."""
        import pyarrow as pa

        known = self._table(findings)
        got = known.rules.get(state)
        if got is None:
            got = known.rules[state] = pa.array([self._rule_text(rid, state, 0, sev, ent) + '"'
                                                 for rid, sev, ent, _chapter in known.values], pa.string())
        return got

    def _basis_texts(self, findings: Any) -> Any:
        """Per block, :meth:`_basis_text` of its rule."""
        import pyarrow as pa

        known = self._table(findings)
        if known.basis is None:
            known.basis = pa.array([self._basis_text(chapter, rid) for rid, _sev, _ent, chapter in known.values],
                                   pa.string())
        return known.basis

    def _records_texts(self, findings: Any, first: int) -> tuple[Any, Any, Any]:
        """For the list of records of block ``first``: each record's id as a csv field's inside
        (quotes doubled), the code of its place per record, and per code the closing quote of the
        id and the place's fields (:meth:`_unit_text`), made once per list."""
        import pyarrow as pa
        import pyarrow.compute as pc

        known = self._table(findings)
        got = known.lists.get(first)
        if got is not None:
            return got
        rows = findings.block(first)

        def plain(name: str) -> Any:
            column = rows.column(name)
            return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()

        ids = plain("entity_id")
        if pa.types.is_dictionary(ids.type):
            ids = ids.cast(pa.string())
        if len(ids) and pc.any(pc.match_substring(ids, '"')).as_py():
            ids = pc.replace_substring(ids, '"', '""')
        key = None
        words = []
        for name in ("unit_id", "penyelenggara_id", "wilayah"):
            column = plain(name)
            if not pa.types.is_dictionary(column.type):
                column = column.dictionary_encode()
            values = column.dictionary.to_pylist()
            words.append(values)
            digit = pc.fill_null(pc.add(column.indices.cast(pa.int64()), 1), 0)  # 0 for null, else code + 1
            key = digit if key is None else pc.add(pc.multiply(key, len(values) + 1), digit)
        distinct = pc.unique(key)
        pieces = []
        for k in distinct.to_pylist():
            codes = []
            for values in reversed(words):
                k, digit = divmod(k, len(values) + 1)
                codes.append(None if digit == 0 else values[digit - 1])
            u, p, w = reversed(codes)
            pieces.append('"' + self._unit_text(u, p, w))
        got = known.lists[first] = (ids, pc.index_in(key, value_set=distinct), pa.array(pieces, pa.string()))
        return got

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
        import pyarrow.compute as pc

        n = batch.num_rows
        if n == 0:
            return
        inputs = self._inputs(batch)
        for start in range(0, n, CSV_LINES):
            part = [p if type(p) is str else p.slice(start, CSV_LINES) for p in inputs]
            yield _data(pc.binary_join_element_wise(*part, "", memory_pool=self.pool))

    def text(self, batch: Any) -> Any:
        """The batch's rows as one UTF-8 ``pyarrow.Buffer`` (None for no rows)."""
        import pyarrow as pa

        parts = list(self.texts(batch))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else pa.py_buffer(b"".join(memoryview(p) for p in parts))


class _QuietTexts:
    """:meth:`CsvLines.quiet_texts`' texts of one table: per block its rule id, severity, entity and
    chapter; per state the blocks' rule texts; the blocks' law texts; per list of records (by its
    first block) the records' ids, place codes and place texts."""

    def __init__(self, findings: Any, values: list[tuple[Any, ...]]) -> None:
        self.findings = findings
        self.values = values
        self.rules: dict[str, Any] = {}
        self.basis: Any = None
        self.lists: dict[int, tuple[Any, Any, Any]] = {}


def _data(lines: Any) -> Any:
    """The bytes of a string array's values, one after the other (its data buffer, sliced)."""
    import struct

    offsets, data = lines.buffers()[1:3]
    first = struct.unpack_from("=i", offsets, 4 * lines.offset)[0]
    last = struct.unpack_from("=i", offsets, 4 * (lines.offset + len(lines)))[0]
    return data.slice(first, last - first)


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
