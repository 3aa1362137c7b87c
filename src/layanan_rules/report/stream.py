"""Streaming the findings table into text, one record batch at a time.

Every streamed format (json, jsonl, csv, xlsx, junit, markdown, parquet) reads the table
(:mod:`layanan_rules.report.table`) through these helpers, so memory stays that of one batch
whatever the number of findings. Per-rule and per-place words (titles, citations, unit names)
are looked up by dictionary index, never rebuilt per row; JSON and CSV text is assembled by
Arrow's string kernels, and Python touches only the rows that carry evidence.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from layanan_rules.report.i18n import severity_label, state_label, t, text_of
from layanan_rules.report.table import evidence_text, provenance_text

#: rows per batch that writers read (bounded memory, and large enough for C++ kernels to pay)
BATCH_ROWS = 32_768

_NEEDS_ESCAPE = r'[\x00-\x1f"\\]'
_FLAG_SETS = (None, ["waived"], ["waiver_expired"], ["attested"], ["attested", "waived"], ["attested", "waiver_expired"])
_FLAGS_JSON = pa.array([None if f is None else json.dumps(f) for f in _FLAG_SETS], pa.string())
SEVERITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
_STATE_RANK = {"error": 0, "fail": 1, "waived": 2, "not_applicable": 3, "pass": 4}


def decoded(column: Any) -> Any:
    """A dictionary column as plain strings (nulls stay null)."""
    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def _json_strings(values: Any) -> Any:
    """Each string JSON-encoded (``"..."``), nulls kept: by kernel when nothing needs escaping."""
    values = decoded(values)
    if len(values) == 0 or not pc.any(pc.match_substring_regex(values, _NEEDS_ESCAPE)).as_py():
        return pc.binary_join_element_wise('"', values, '"', "")
    return pa.array([None if v is None else json.dumps(v, ensure_ascii=False) for v in values.to_pylist()],
                    pa.string())


def _json_dictionary(column: Any) -> Any:
    """A dictionary column with each distinct value JSON-encoded once."""
    if not pa.types.is_dictionary(column.type):
        return _json_strings(column)
    encoded = _json_strings(column.dictionary)
    return pa.DictionaryArray.from_arrays(column.indices, encoded).cast(pa.string())


def flags_code(batch: Any) -> Any:
    """0 none, 1 waived, 2 waiver expired, +3 when attested (an index into the flag sets)."""
    status = pc.fill_null(pc.add(batch.column("waiver_status").indices, 1), 0)  # active=0 -> 1, expired=1 -> 2
    return pc.add(status, pc.multiply(pc.fill_null(batch.column("attested"), False).cast(pa.int32()), 3))


#: up to this many rows, :func:`json_lines` writes the objects in Python: Arrow's ~20 string
#: kernels cost a fixed ~2 ms a batch, which a one-record server request would pay for ~50 rows
SMALL_LINES = 256
_OPTIONAL = (("unit_id", True), ("penyelenggara_id", True), ("wilayah", True), ("reason", True),
             ("message", True), ("evidence", False), ("provenance", False))
_FLAG_TEXT = [None if f is None else ',"flags":' + json.dumps(f) for f in _FLAG_SETS]


def json_lines(batch: Any, entity: bool = True) -> list[str]:
    """One JSON object per row (the ``findings`` items of jsonl, and of the json report with
    ``entity=False``: see :func:`findings_batches`): keys with no value are left out."""
    if len(batch) <= SMALL_LINES:
        return _json_objects_small(batch, entity)
    return _json_objects(batch, entity).to_pylist()  # type: ignore[no-any-return]


def _json_objects_small(batch: Any, entity: bool = True, units: dict[str, Any] | None = None,
                        source: tuple[str, str] | None = None) -> list[str]:
    """:func:`_json_objects` in Python for a small batch: the same text (strings encoded as
    ``json.dumps(ensure_ascii=False)``, which is what the kernels write), each distinct value
    encoded once; ``tests/test_reporters.py`` compares both. Dictionary columns are read as their
    indices and dictionary (decoding one with ``to_pylist`` costs ~0.4 ms)."""
    col = batch.column
    n = len(batch)
    memo: dict[Any, str] = {}

    def text(name: str, encode: bool = True) -> list[Any]:
        """The column's values as JSON text (``encode``) or as they are, None where null."""
        column = col(name)
        if pa.types.is_dictionary(column.type):
            words = column.dictionary.to_pylist()
            values = [None if i is None else words[i] for i in column.indices.to_pylist()]
        else:
            values = column.to_pylist()
        if not encode:
            return values
        out = []
        for v in values:
            if v is not None:
                got = memo.get(v)
                if got is None:
                    got = memo[v] = json.dumps(v, ensure_ascii=False)
                v = got
            out.append(v)
        return out

    fixed = [text("rule_id"), text("entity") if entity else [], text("entity_id"), text("state")]
    optional = [(f',"{name}":', text(name, encode)) for name, encode in _OPTIONAL if col(name).null_count < n]
    if units is not None:  # schema 3 (:func:`schema3_batch`, in Python): what the maps name is left out
        derivable = [u in units for u in text("unit_id", False)]
        optional = [(key, [None if d else v for d, v in zip(derivable, vals)]
                     if key in (',"penyelenggara_id":', ',"wilayah":') else vals) for key, vals in optional]
        if source is not None:
            optional = [(key, [_strip_source(v, source) for v in vals] if key == ',"provenance":' else vals)
                        for key, vals in optional]
    tail = [(f',"{name}":', text(name, False)) for name in ("waiver", "attestation") if col(name).null_count < n]
    waiver_status = col("waiver_status").indices.to_pylist()  # 0 active, 1 expired
    attested = col("attested").to_pylist()
    out = []
    for i in range(n):
        parts = (['{"rule_id":', fixed[0][i], ',"entity":', fixed[1][i], ',"entity_id":', fixed[2][i],
                  ',"state":', fixed[3][i]] if entity else
                 ['{"rule_id":', fixed[0][i], ',"entity_id":', fixed[2][i], ',"state":', fixed[3][i]])
        for key, vals in optional:
            v = vals[i]
            if v is not None:
                parts.append(key)
                parts.append(v)
        w = waiver_status[i]
        code = (0 if w is None else w + 1) + (3 if attested[i] else 0)
        if code:
            parts.append(_FLAG_TEXT[code])
        for key, vals in tail:
            v = vals[i]
            if v is not None:
                parts.append(key)
                parts.append(v)
        parts.append("}")
        out.append("".join(parts))
    return out


def json_text(batch: Any, separator: str, entity: bool = True) -> Any:
    """The rows' JSON objects (as :func:`json_lines`) joined by ``separator``, as one UTF-8
    ``pyarrow.Buffer`` (None for no rows), made in Arrow: no Python string per row."""
    if len(batch) == 0:
        return None
    lines = _json_objects(batch, entity)
    one = pa.ListArray.from_arrays(pa.array([0, len(lines)], pa.int32()), lines)
    return pc.binary_join(one, separator)[0].as_buffer()


def write_utf8(out: Any, data: Any) -> None:
    """Write UTF-8 bytes (a buffer) to a text stream: straight to its byte stream when it encodes
    UTF-8 (after flushing what it holds), else decoded."""
    raw = getattr(out, "buffer", None)
    if raw is not None and str(getattr(out, "encoding", "")).lower().replace("-", "").replace("_", "") == "utf8":
        out.flush()
        raw.write(memoryview(data))
    else:
        out.write(memoryview(data).tobytes().decode("utf-8"))


def _json_objects(batch: Any, entity: bool = True) -> Any:
    col = batch.column
    n = len(batch)

    def opt(key: str, name: str, encode: Any = None) -> Any:
        column = col(name)
        if column.null_count == n:  # nothing to say in this batch (most rows carry no evidence)
            return ""
        encoded = encode(column) if encode is not None else column
        return pc.fill_null(pc.binary_join_element_wise(f',"{key}":', encoded, ""), "")

    flags = flags_code(batch)
    parts = [
        '{"rule_id":', _json_dictionary(col("rule_id")),
        *((',"entity":', _json_dictionary(col("entity"))) if entity else ()),
        ',"entity_id":', _json_strings(col("entity_id")),
        ',"state":', _json_dictionary(col("state")),
        opt("unit_id", "unit_id", _json_dictionary),
        opt("penyelenggara_id", "penyelenggara_id", _json_dictionary),
        opt("wilayah", "wilayah", _json_dictionary),
        opt("reason", "reason", _json_dictionary),
        opt("message", "message", _json_strings),
        opt("evidence", "evidence"),
        opt("provenance", "provenance"),
        pc.fill_null(pc.binary_join_element_wise(',"flags":', pc.take(_FLAGS_JSON, flags), ""), "")
        if pc.max(flags).as_py() else "",
        opt("waiver", "waiver"),
        opt("attestation", "attestation"),
        "}",
    ]
    parts = [p for p in parts if not (type(p) is str and p == "")]
    # adjacent constant texts are one argument (fewer inputs for the kernel)
    merged: list[Any] = []
    for p in parts:
        if type(p) is str and merged and type(merged[-1]) is str:
            merged[-1] += p
        else:
            merged.append(p)
    return pc.binary_join_element_wise(*merged, "")


# --- order: worst first ------------------------------------------------------------------------------------


def worst_first(table: Any) -> Any:
    """Row indices in the report's reading order: fail and error by severity (fail first), then
    waived, then the rest by severity and state; ties by entity, entity id and rule id.

    Dictionary columns are sorted by the rank of their value among the dictionary's values (the
    same order as their text, which is never spelt out per row)."""
    band_of = {"fail": 0, "error": 0, "waived": 1}
    state_key = {"fail": 0, "error": 1}  # within band 0, fail before error; elsewhere by state rank
    states = list(_STATE_RANK)
    sevs = list(SEVERITY_RANK)
    key = pa.table({
        "band": _mapped(table["state"], lambda s: band_of.get(s, 2)),
        "sev": pc.fill_null(_mapped(table["severity"], lambda s: sevs.index(s) if s in sevs else 4), 4),  # critical first
        "state": _mapped(table["state"], lambda s: state_key[s] if s in band_of and band_of[s] == 0
                         else (states.index(s) if s in states else None)),
        "entity": _ranked(table["entity"]),
        "entity_id": table["entity_id"],
        "rule_id": _ranked(table["rule_id"]),
    })
    return pc.sort_indices(key, sort_keys=[(k, "ascending") for k in key.column_names])


def worst_first_parts(table: Any) -> Iterator[Any]:
    """:func:`worst_first` of the whole table as index arrays in order, a group of rows at a time:
    per (band, severity, state, entity), in that order, its rows sorted by entity id and rule id.
    What is held at once is those four keys packed in two bytes a row, the rule's rank in two, and
    one group's indices, not five int32 keys and an index for every finding (at 26 million
    findings, 750 MB). A group past :data:`WINDOWED_ROWS` rows (at 100k/1M, ten million passes of
    the pengaduan) is not sorted whole: its entity's records are ranked by id once and the group
    read a window of records at a time (:func:`_windowed`). The same order as :func:`worst_first`
    (``tests/test_findings_table.py``)."""
    order = WorstFirst(table)
    if order.whole:
        yield worst_first(table)
        return
    for _value, indices in order.groups():
        yield indices


#: the bands of the worst-first order (:func:`worst_first`): fail and error, then waived, then the rest
_BAND_OF = {"fail": 0, "error": 0, "waived": 1}
#: the rest's band
QUIET_BAND = 2


class WorstFirst:
    """The worst-first order of a table (:func:`worst_first_parts`), the keys packed once (at
    construction) and the groups of rows made as they are read (:meth:`groups`), all of them or
    one part of the bands: so two passes over the order (the problems, then the rest) pack the
    keys once, and a process forked between them has them already.

    ``whole`` is true for a table this cannot group (64 entities or more, a state it does not
    know, chunks of its columns that do not line up): :func:`worst_first` sorts such a table whole."""

    def __init__(self, table: Any, windowed: int | None = None) -> None:
        self.table = table
        #: groups past this many rows are read in windows of their records (:data:`WINDOWED_ROWS` unless given)
        self.windowed = WINDOWED_ROWS if windowed is None else windowed
        self.whole = False
        self.sizes: dict[int, int] = {}
        states = list(_STATE_RANK)
        state_key = {"fail": 0, "error": 1}
        band_of = _BAND_OF
        state_col, sev_col, ent_col = _unified(table["state"]), _unified(table["severity"]), _unified(table["entity"])
        if state_col.num_chunks == 0 or len(table) == 0:
            return
        entity_rank = _ranks(ent_col)
        words = state_col.chunk(0).dictionary.to_pylist()
        if len(entity_rank) >= 64 or any(w not in states for w in words):
            self.whole = True
            return
        u16 = pa.uint16()
        sevs = list(SEVERITY_RANK)
        # band (0-2) * 4096 + state key (0-4) * 64, severity (0-4, unknown or none 4) * 512, entity rank (< 64)
        by_state = pa.array([band_of.get(w, 2) * 4096 + (state_key[w] if band_of.get(w) == 0 else states.index(w)) * 64
                             for w in words], u16)
        by_sev = pa.array([(sevs.index(v) if v in sevs else 4) * 512 for v in sev_col.chunk(0).dictionary.to_pylist()],
                          u16)
        by_ent = pa.array([entity_rank[v] for v in ent_col.chunk(0).dictionary.to_pylist()], u16)
        packed = pa.chunked_array([
            pc.add(pc.add(pc.take(by_state, s.indices), pc.fill_null(pc.take(by_sev, v.indices), 4 * 512)),
                   pc.take(by_ent, e.indices))
            for s, v, e in zip(state_col.chunks, sev_col.chunks, ent_col.chunks)], u16)
        rule = _unified(table["rule_id"])  # its codes, ranked per group taken (not a rank column held)
        rank_of = _ranks(rule)
        rule_rank = pa.array([rank_of.get(v) for v in rule.chunk(0).dictionary.to_pylist()], pa.int16())
        ids = table["entity_id"]
        lengths = [len(c) for c in packed.chunks]
        if [len(c) for c in rule.chunks] != lengths or [len(c) for c in ids.chunks] != lengths:
            self.whole = True
            return
        starts, at = [], 0
        for n in lengths:
            starts.append(at)
            at += n
        chunks = list(zip(packed.chunks, ids.chunks, rule.chunks, starts))
        # the keys each chunk holds (a chunk is a rule's block: a few states), so that a group looks
        # only in the chunks that hold it, not in every chunk of the table
        holding: dict[int, list[Any]] = {}
        for chunk in chunks:
            for value in pc.unique(chunk[0]).to_pylist():
                holding.setdefault(value, []).append(chunk)
        self.holding = holding
        self.packed, self.rule, self.rule_rank = packed, rule, rule_rank
        self.sizes = {c["values"]: c["counts"] for c in pc.value_counts(packed).to_pylist()}
        self.plans: dict[int, Any] = {}

    @staticmethod
    def band(value: int) -> int:
        """The band of a group's packed key: 0 fail and error, 1 waived, 2 (:data:`QUIET_BAND`) the rest."""
        return value >> 12

    @staticmethod
    def state(value: int) -> str:
        """The state of every row of a group of the quiet band (``pass`` or ``not_applicable``)."""
        return list(_STATE_RANK)[(value >> 6) & 7]

    def groups(self, bands: tuple[int, ...] = (0, 1, 2)) -> Iterator[tuple[int, Any]]:
        """Each group of these bands in order, as (its packed key, an index array of its rows in
        order): a group past :attr:`windowed` rows as several arrays, a window of its records at a
        time."""
        if self.whole:
            raise ValueError("worst_first: this table is sorted whole (WorstFirst.whole)")
        if not self.sizes:  # no rows
            return
        table, packed, rule, rule_rank, plans = self.table, self.packed, self.rule, self.rule_rank, self.plans
        for value in sorted(self.sizes):
            if self.band(value) not in bands:
                continue
            if self.sizes[value] > self.windowed:  # a large group: read in windows of its records, ids ranked once
                ent = value % 64
                if ent not in plans:
                    plans[ent] = _records_plan(table, packed, rule, rule_rank, ent)
                if plans[ent] is not None:
                    for part in _windowed(plans[ent], value):
                        yield value, part
                    continue
            rows, id_parts, rule_parts = [], [], []
            for p, i, r, start in self.holding[value]:  # taken chunk by chunk (a take over chunks joins them first)
                local = pc.indices_nonzero(pc.equal(p, value))
                if len(local):
                    rows.append(pc.add(local, start))
                    id_parts.append(pc.take(i, local))
                    rule_parts.append(pc.take(rule_rank, pc.take(r.indices, local)))
            got = pa.concat_arrays(rows)
            if len(got) > 1:
                keys = pa.table({"id": pa.concat_arrays(id_parts), "rule": pa.concat_arrays(rule_parts)})
                del id_parts, rule_parts
                got = pc.take(got, pc.sort_indices(keys, sort_keys=[("id", "ascending"), ("rule", "ascending")]))
                del keys
            yield value, got


#: a worst-first group of more rows than this is read in windows of its records (:func:`_windowed`)
#: rather than sorted whole (the largest group at 100k/1M is ten million rows: ids copied and sorted,
#: about 400 MB)
WINDOWED_ROWS = 1 << 20
#: records per window: a window's rows are at most this times the entity's rules
WINDOW_RECORDS = 1 << 16


def _records_plan(table: Any, packed: Any, rule: Any, rule_rank: Any, ent: int) -> Any:
    """For the rows of entity rank ``ent`` of a :class:`~layanan_rules.report.table.Findings`
    whose rules all read one list of records with distinct ids: the records' order by id (ranked
    once, not per group) and per rule its rank, first row and packed keys. None otherwise."""
    sources = getattr(table, "_records", None)
    if sources is None:
        return None
    lists, parts = [], []
    for k, records in enumerate(sources):
        n = len(records)
        if not n:
            continue
        start = table._starts[k]
        keys = packed.slice(start, n).combine_chunks()
        if keys[0].as_py() % 64 != ent:
            continue
        lists.append(records)
        codes = pa.chunked_array([c.indices for c in rule.slice(start, n).chunks], pa.int32())
        low, high = pc.min_max(codes).values()
        if codes.null_count or low.as_py() != high.as_py():
            return None
        parts.append((rule_rank[low.as_py()].as_py(), start, keys, frozenset(pc.unique(keys).to_pylist())))
    if not lists or any(other is not lists[0] for other in lists[1:]):
        return None
    start, n = parts[0][1], len(lists[0])
    ids = table.held["entity_id"].slice(start, n).combine_chunks()
    if pc.count_distinct(ids, mode="all").as_py() != n:  # tied ids: order by rule before record
        return None
    parts.sort(key=lambda p: (p[0], p[1]))
    return pc.sort_indices(ids), parts


def _windowed(plan: Any, value: int) -> Iterator[Any]:
    """The rows of one worst-first group (packed key ``value``) in order, by windows of the
    records sorted by id: in a window, per record (in id order) the rules holding the key, in rule
    order. Ids are distinct (:func:`_records_plan`), so this is the order of sorting by id and rule."""
    order, parts = plan
    active = [(start, keys) for _rank, start, keys, present in parts if value in present]
    width = len(active)
    for a in range(0, len(order), WINDOW_RECORDS):
        window = order.slice(a, WINDOW_RECORDS)
        at_parts, row_parts = [], []
        for k, (start, keys) in enumerate(active):
            at = pc.indices_nonzero(pc.equal(pc.take(keys, window), value))
            if len(at):
                at_parts.append(pc.add(pc.multiply(pc.cast(at, pa.int64()), width), k))  # record, then rule
                row_parts.append(pc.add(pc.cast(pc.take(window, at), pa.int64()), start))
        if at_parts:
            rows = pa.concat_arrays(row_parts)
            yield pc.take(rows, pc.sort_indices(pa.concat_arrays(at_parts))) if len(at_parts) > 1 else rows


def _ranks(column: Any) -> dict[Any, int]:
    values = column.chunk(0).dictionary.to_pylist() if column.num_chunks else []
    return {v: i for i, v in enumerate(sorted(set(values), key=lambda v: v.encode("utf-8")))}


def _unified(column: Any) -> Any:
    """A dictionary column whose chunks share one dictionary (or a plain column, encoded)."""
    if not pa.types.is_dictionary(column.type):
        column = column.dictionary_encode()
    chunks = column.chunks
    if chunks and any(not c.dictionary.equals(chunks[0].dictionary) for c in chunks[1:]):
        column = pa.table({"c": column}).unify_dictionaries()["c"]
    return column


def _mapped(column: Any, fn: Any, type: Any = None) -> Any:
    """``fn(value)`` (an int or None) per row of a dictionary column, computed once per distinct
    value, as ``type`` (int32 unless given)."""
    type = pa.int32() if type is None else type
    column = _unified(column)
    if column.num_chunks == 0:
        return pa.chunked_array([], type)
    codes = pa.array([fn(v) for v in column.chunk(0).dictionary.to_pylist()], type)
    return pa.chunked_array([pc.take(codes, c.indices) for c in column.chunks], type)


def _ranked(column: Any, type: Any = None) -> Any:
    """Each row's rank among the column's distinct values in text order (nulls stay null)."""
    column = _unified(column)
    if column.num_chunks == 0:
        return pa.chunked_array([], pa.int32() if type is None else type)
    return _mapped(column, _ranks(column).get, type)


def taken(table: Any, indices: Any, size: int = BATCH_ROWS) -> Iterator[Any]:
    """The rows at ``indices``, as record batches of at most ``size`` rows."""
    for start in range(0, len(indices), size):
        part = table.take(indices[start:start + size])
        yield from part.combine_chunks().to_batches()


def in_batches(table: Any, size: int = BATCH_ROWS) -> Iterator[Any]:
    """The rows in order, as record batches of at most ``size`` rows (from the report's
    :class:`~layanan_rules.report.table.Findings`: one batch's evidence made at a time)."""
    iterate = getattr(table, "iter_batches", None)
    yield from iterate(size) if iterate is not None else table.to_batches(max_chunksize=size)


# --- human words per batch ------------------------------------------------------------------------------------


class Words:
    """The words one report prints, looked up by dictionary value: built once per report and language."""

    def __init__(self, report: Any, lang: str, pool: Any = None) -> None:
        self.lang = lang
        self.pool = pool  # the memory pool of the columns of words made per batch (None: Arrow's default)
        self.rules = report.rules()
        self.hierarchy = report.hierarchy()
        self._by_dict: dict[str, list[tuple[Any, Any]]] = {}
        self._chapters: dict[str, str] | None = None

    def _lookup(self, name: str, column: Any, word: Any) -> Any:
        """Map a dictionary column's values through ``word(value)``, once per distinct dictionary.

        Kept per dictionary *content* (a few per word, each checked with ``equals``): every batch
        taken worst first brings its own dictionary object, and words cached by its ``id()`` grew
        with the batches (tens of MB at 100k/1M) and could meet a later dictionary at a reused id."""
        if not pa.types.is_dictionary(column.type):
            return pa.array([None if v is None else word(v) for v in column.to_pylist()], pa.string())
        dictionary = column.dictionary
        known = self._by_dict.setdefault(name, [])
        words = next((w for d, w in known if d is dictionary or d.equals(dictionary)), None)
        if words is None:
            words = pa.array([word(v) for v in dictionary.to_pylist()], pa.string())
            if len(known) >= 8:
                known.pop(0)
            known.append((dictionary, words))
        # (a cast of the dictionary array to strings costs ten times more)
        return pc.take(words, column.indices, memory_pool=self.pool)

    def rule_word(self, batch: Any, word: Any, name: str) -> Any:
        return self._lookup(name, batch.column("rule_id"), lambda rid: word(self.rules[rid]) if rid in self.rules else "")

    # each word of one value (what the columns below hold per row; the csv lines use them too)
    def title_of(self, rule: dict[str, Any]) -> str:
        return text_of(rule["title"], self.lang)

    def citations_of(self, rule: dict[str, Any]) -> str:
        key = "label_en" if self.lang == "en" else "label"
        return "; ".join(c[key] for c in rule["legal_basis"])

    def sanction_of(self, rule: dict[str, Any]) -> str:
        key = "label_en" if self.lang == "en" else "label"
        return "; ".join(str(c.get(key) or c.get("label") or "") for c in rule["sanctions"])

    def remedy_of(self, rule: dict[str, Any]) -> str:
        return text_of(rule["remedy"], self.lang)

    def unit_of(self, unit: str) -> str:
        return self.hierarchy.name("unit", unit) or ""

    def chapter_of(self, chapter: str) -> str:
        labels = self._chapters
        if labels is None:
            labels = self._chapters = {r["chapter"]: text_of(r["chapter_label"], self.lang) for r in self.rules.values()}
        return labels.get(chapter, chapter)

    def flags_words(self) -> list[str]:
        """The flags column's text per :func:`flags_code`."""
        return [", ".join(_flag_word(f, self.lang) for f in (fs or ())) for fs in _FLAG_SETS]

    def title(self, batch: Any) -> Any:
        return self.rule_word(batch, self.title_of, "title")

    def citations(self, batch: Any) -> Any:
        return self.rule_word(batch, self.citations_of, "cite")

    def sanction(self, batch: Any) -> Any:
        return self.rule_word(batch, self.sanction_of, f"sanction-{self.lang}")

    def remedy(self, batch: Any) -> Any:
        return self.rule_word(batch, self.remedy_of, "remedy")

    def severity(self, batch: Any) -> Any:
        return self._lookup("severity", batch.column("severity"), lambda s: severity_label(s, self.lang))

    def state(self, batch: Any) -> Any:
        return self._lookup("state", batch.column("state"), lambda s: state_label(s, self.lang))

    def unit_name(self, batch: Any) -> Any:
        return self._lookup("unit", batch.column("unit_id"), self.unit_of)

    def chapter(self, batch: Any) -> Any:
        return self._lookup("chapter", batch.column("chapter"), self.chapter_of)

    def flags(self, batch: Any) -> Any:
        return pc.take(pa.array(self.flags_words(), pa.string()), flags_code(batch))


def _flag_word(flag: str, lang: str) -> str:
    return {"attested": t("attested", lang), "waiver_expired": t("waiver_expired", lang),
            "waived": t("waiver_active", lang)}[flag]


#: evidence whose values are scalars, or objects and lists of scalars (a deadline's explanation, a
#: list of texts), keys without an escape: rewritten in Arrow (no JSON parsed). A value's JSON text
#: is what re-encoding it gives (the table writes it as ``json.dumps`` does), so it is kept as it is
_STRING = r'"(?:[^"\\]|\\.)*"'
_INNER = r'(?:[^{}\[\]"]|' + _STRING + r')*'
_SCALAR = r'(?:\{' + _INNER + r'\}|\[' + _INNER + r'\]|' + _STRING + r'|[^,"{}\[\]]*)'
_FLAT_EVIDENCE = r'^\{"[^"\\]*": ' + _SCALAR + r'(?:, "[^"\\]*": ' + _SCALAR + r')*\}$'
_FLAT_ITEM = r'"([^"\\]*)": (' + _SCALAR + r')(?:, )?'


def _string_column(column: Any) -> Any:
    """One plain string array of a (chunked, dictionary-encoded) column, for Arrow's string kernels."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    return column.cast(pa.string()) if pa.types.is_dictionary(column.type) else column


def evidence_texts(column: Any) -> Any:
    """:func:`evidence_text` of every row of a string column ("" where null): rows whose values are
    all scalars rewritten by Arrow's regular expressions (``{"k": v, ...}`` -> ``k = v; ...``, the
    value's JSON text as it is: what re-encoding it would give), the others through Python."""
    column = _string_column(column)
    if column.null_count == len(column):
        return pa.array([""] * len(column), pa.string())
    flat = pc.fill_null(pc.match_substring_regex(column, _FLAT_EVIDENCE), False)
    rewritten = pc.utf8_slice_codeunits(pc.replace_substring_regex(column, _FLAT_ITEM, r"\1 = \2; "), 1, -3)
    empty = pc.fill_null(pc.equal(column, "{}"), False)
    out = pc.if_else(flat, rewritten, pc.if_else(empty, "", None))
    rest = pc.and_(pc.is_valid(column), pc.invert(pc.or_(flat, empty)))
    if pc.any(rest).as_py():
        at = pc.indices_nonzero(rest)
        slow = pa.array([evidence_text(v) for v in pc.take(column, at).to_pylist()], pa.string())
        out = pc.replace_with_mask(out, rest, slow)
    return pc.fill_null(out, "")


#: a provenance as the findings table writes it, with no escape and no page: rewritten in Arrow
_PLAIN_TEXT = r'"[^"\\]*"'
_FLAT_PROVENANCE = (r'^\{"source": ' + _PLAIN_TEXT + r'(?:, "part": ' + _PLAIN_TEXT + r')?(?:, "row": -?\d+)?'
                    r'(?:, "column": ' + _PLAIN_TEXT + r')?(?:, "key": ' + _PLAIN_TEXT + r')?\}$')
_PROVENANCE_STEPS = ((r'^\{"source": "([^"\\]*)"', r"\1"), (r', "part": "([^"\\]*)"', r":\1"),
                     (r', "row": (-?\d+)', r":row \1"), (r', "column": "([^"\\]*)"', r":col \1"),
                     (r', "key": "([^"\\]*)"', r":key \1"), (r"\}$", ""))


def provenance_texts(column: Any) -> Any:
    """:func:`provenance_text` of every row of a string column ("" where null): the common ones (no
    escape, no page: the fields in the text's order) rewritten by Arrow's regular expressions, the
    others through Python."""
    column = _string_column(column)
    if column.null_count == len(column):
        return pa.array([""] * len(column), pa.string())
    plain = pc.fill_null(pc.match_substring_regex(column, _FLAT_PROVENANCE), False)
    out = column
    for pattern, replacement in _PROVENANCE_STEPS:
        out = pc.replace_substring_regex(out, pattern, replacement, max_replacements=1)
    out = pc.if_else(plain, out, pa.scalar(None, pa.string()))
    rest = pc.and_(pc.is_valid(column), pc.invert(plain))
    if pc.any(rest).as_py():
        slow = texts(pc.filter(column, rest), provenance_text)
        out = pc.replace_with_mask(out, rest, slow)
    return pc.fill_null(out, "")


def texts(column: Any, fn: Any) -> Any:
    """``fn`` over the non-null values of a string column (evidence, provenance, ...), "" elsewhere:
    once per distinct value of the batch (the rules of a record share its provenance)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    n = len(column)
    if column.null_count == n:
        return pa.array([""] * n, pa.string()) if n else pa.array([], pa.string())
    coded = column if pa.types.is_dictionary(column.type) else column.dictionary_encode()
    words = pa.array([fn(v) for v in coded.dictionary.to_pylist()], pa.string())
    return pc.fill_null(pc.take(words, coded.indices), "")


# --- the json report, schema 3: units once, quiet findings as ids ------------------------------------------------

from layanan_rules.report.table import _pylist

#: a table up to this many rows is grouped in Python (a one-record server answer: Arrow's fixed
#: cost per call would be most of it); larger ones by Arrow's group-by. Both give the same text
#: (``tests/test_reporters.py`` compares them).
SMALL_GROUPS = 4_096


def _held(table: Any) -> Any:
    """The columns to choose rows by: a :class:`~layanan_rules.report.table.Findings`' held part, or the table."""
    return getattr(table, "held", table)


def _indices(column: Any) -> tuple[Any, list[Any]]:
    """A dictionary column as (its int32 indices, its dictionary's values), one dictionary for all chunks."""
    column = _unified(column)
    if column.num_chunks == 0:
        return pa.chunked_array([], pa.int32()), []
    return (pa.chunked_array([c.indices for c in column.chunks], pa.int32()),
            column.chunk(0).dictionary.to_pylist())


def json_units(table: Any) -> dict[str, dict[str, Any]]:
    """Schema 3's ``units`` map: unit id -> its ``penyelenggara_id`` and ``wilayah``, for every unit
    with findings whose rows all name the same pair (a unit whose rows disagree, never seen in
    practice, is left out, and its findings keep both keys), in order of first appearance."""
    held = _held(table)
    pairs: dict[str, Any] = {}
    if held.num_rows <= SMALL_GROUPS:
        rows: Any = zip(*(_pylist(held[name]) for name in ("unit_id", "penyelenggara_id", "wilayah")))
    else:
        (u, units), (p, pens), (w, wils) = (_indices(held[n]) for n in ("unit_id", "penyelenggara_id", "wilayah"))
        distinct = pa.table({"u": u, "p": p, "w": w}).group_by(["u", "p", "w"], use_threads=False).aggregate([])
        rows = ((None if a is None else units[a], None if b is None else pens[b], None if c is None else wils[c])
                for a, b, c in zip(*(distinct[k].to_pylist() for k in ("u", "p", "w"))))
    for unit, pen, wil in rows:
        if unit is None:
            continue
        got = pairs.get(unit, _ABSENT)
        if got is _ABSENT:
            pairs[unit] = (pen, wil)
        elif got is not None and got != (pen, wil):
            pairs[unit] = None  # rows that disagree: the findings say it themselves
    return {unit: {k: v for k, v in zip(("penyelenggara_id", "wilayah"), pw) if v is not None}
            for unit, pw in pairs.items() if pw is not None}


_ABSENT = object()


def _derivable(unit: Any, units: dict[str, Any]) -> Any:
    """Per row of a unit column: whether the ``units`` map names its penyelenggara and wilayah."""
    if not pa.types.is_dictionary(unit.type):
        unit = unit.dictionary_encode()
    known = pc.is_in(unit.dictionary, value_set=pa.array(list(units), pa.string()))
    return pc.fill_null(pc.take(known, unit.indices), False)


def _without(column: Any, drop: Any) -> Any:
    """A dictionary column with the rows where ``drop`` is true made null."""
    if not pa.types.is_dictionary(column.type):
        return pc.if_else(drop, pa.scalar(None, column.type), column)
    return pa.DictionaryArray.from_arrays(pc.if_else(drop, pa.scalar(None, pa.int32()), column.indices),
                                          column.dictionary)


def _strip_source(text: str | None, source: tuple[str, str]) -> str | None:
    """A provenance text without its ``source`` when that is the report's own (as :func:`schema3_batch`)."""
    if text is None:
        return None
    if text.startswith(source[0]):
        return "{" + text[len(source[0]):]
    return "{}" + text[len(source[1]):] if text.startswith(source[1]) else text


def source_prefix(source: str | None) -> tuple[str, str] | None:
    """The provenance text's opening that names the report's own source, as the findings table
    writes it (``{"source": "data.json", ``), and with no more keys after it."""
    if not source:
        return None
    head = '{"source": ' + json.encoder.encode_basestring(source)
    return head + ", ", head + "}"


def schema3_batch(batch: Any, units: dict[str, Any], source: tuple[str, str] | None) -> Any:
    """A batch of full findings as schema 3 writes them: ``penyelenggara_id`` and ``wilayah`` left
    out where the ``units`` map names them, and the provenance's ``source`` where it is the
    report's own (``report.source.location``). ``entity`` is left out by the writer
    (``json_lines(batch, entity=False)``): the rules map names it."""
    if len(batch) == 0:
        return batch
    columns = batch.columns
    names = batch.schema.names
    drop = _derivable(batch.column("unit_id"), units)
    for name in ("penyelenggara_id", "wilayah"):
        at = names.index(name)
        columns[at] = _without(columns[at], drop)
    if source is not None:
        at = names.index("provenance")
        prov = columns[at]
        if prov.null_count < len(prov):
            prov = pc.replace_substring(prov, source[0], "{", max_replacements=1)
            columns[at] = pc.replace_substring(prov, source[1], "{}", max_replacements=1)
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)


#: rows per batch of full findings: every one carries evidence (about 1 KB of text, and Arrow's
#: string kernels make a few copies of it), so a quarter of :data:`BATCH_ROWS` keeps a batch's
#: memory what a batch of mixed rows used to need
FULL_ROWS = BATCH_ROWS // 4


def full_rows(table: Any, mask: Any = None) -> Iterator[Any]:
    """The record batches of the findings that are not quiet (:func:`layanan_rules.report.table.quiet`),
    in table order, evidence and provenance made a batch at a time."""
    from layanan_rules.report.table import quiet

    shown = pc.indices_nonzero(pc.invert(quiet(table) if mask is None else mask))
    if len(shown) == 0:
        return
    rows = table.rows(shown) if hasattr(table, "rows") else None
    if rows is not None:
        yield from rows.iter_batches(FULL_ROWS)
        return
    for start in range(0, len(shown), FULL_ROWS):
        yield from table.take(shown.slice(start, FULL_ROWS)).combine_chunks().to_batches()


def quiet_lines(table: Any, units: dict[str, Any], mask: Any = None) -> Iterator[list[str]]:
    """Schema 3's ``quiet`` items as JSON text, a rule at a time: per rule, unit and state, the ids
    of the findings with nothing more to say (:func:`layanan_rules.report.table.quiet`), in order of
    first appearance (the ids too). ``penyelenggara_id`` and ``wilayah`` appear only where the
    ``units`` map does not name them (no unit)."""
    from layanan_rules.report.table import quiet

    held = _held(table)
    mask = quiet(table) if mask is None else mask
    if held.num_rows <= SMALL_GROUPS:
        yield from _quiet_small(held, mask, units)
        return
    (r, rules), (u, unit_words), (p, pens), (w, wils), (s, states) = (
        _indices(held[n]) for n in ("rule_id", "unit_id", "penyelenggara_id", "wilayah", "state"))
    # zero-copy views of the held columns; each rule's rows are taken from the batches that hold it
    # (a rule's block), so what is copied at a time is one rule's quiet rows, not the whole table's
    keys = pa.table({"r": r, "u": u, "p": p, "w": w, "s": s, "id": held["entity_id"], "q": mask})
    del mask
    by_rule: dict[int, list[Any]] = {}
    for batch in keys.to_batches():
        if batch.num_rows and pc.any(batch.column("q")).as_py():  # rules in order of their first quiet row
            for rule in pc.unique(pc.filter(batch.column("r"), batch.column("q"))).to_pylist():
                by_rule.setdefault(rule, []).append(batch)
    if not by_rule:
        return
    enc = json.encoder.encode_basestring
    unit_text = pa.array([enc(x) for x in unit_words], pa.string())
    state_text = pa.array([enc(x) for x in states], pa.string())
    pen_text = pa.array([enc(x) for x in pens], pa.string())
    wil_text = pa.array([enc(x) for x in wils], pa.string())
    known = pa.array([x in units for x in unit_words], pa.bool_())
    for rule, batches in by_rule.items():  # in order of first appearance
        part = pa.Table.from_batches(batches)
        part = part.filter(pc.and_(pc.equal(part["r"], rule), part["q"]))
        if part.num_rows == 0:
            continue
        groups = part.group_by(["u", "p", "w", "s"], use_threads=False).aggregate([("id", "list")])
        ids = groups["id_list"].combine_chunks()
        encoded = pa.ListArray.from_arrays(ids.offsets, _json_strings(ids.flatten()))
        gu, gp, gw = (groups[k].combine_chunks() for k in ("u", "p", "w"))
        explicit = pc.invert(pc.fill_null(pc.take(known, gu), False))

        def opt(key: str, codes: Any, words: Any, where: Any = None) -> Any:
            text = pc.binary_join_element_wise(key, pc.take(words, codes), "")
            if where is not None:
                text = pc.if_else(where, text, pa.scalar(None, pa.string()))
            return pc.fill_null(text, "")

        lines = pc.binary_join_element_wise(
            '{"rule_id":' + enc(rules[rule]), opt(',"unit_id":', gu, unit_text),
            ',"state":', pc.take(state_text, groups["s"].combine_chunks()),
            opt(',"penyelenggara_id":', gp, pen_text, explicit), opt(',"wilayah":', gw, wil_text, explicit),
            ',"entity_ids":[', pc.binary_join(encoded, ","), "]}", "")
        yield lines.to_pylist()


def _quiet_small(held: Any, mask: Any, units: dict[str, Any]) -> Iterator[list[str]]:
    """:func:`quiet_lines` in Python, for a small table."""
    names = ("rule_id", "unit_id", "penyelenggara_id", "wilayah", "state", "entity_id")
    columns = [_pylist(held[n]) for n in names]
    quiet = mask.to_pylist()
    by_rule: dict[Any, dict[tuple[Any, ...], list[str]]] = {}
    for q, rule, unit, pen, wil, state, ident in zip(quiet, *columns):
        if q:
            by_rule.setdefault(rule, {}).setdefault((unit, pen, wil, state), []).append(ident)
    enc = json.encoder.encode_basestring
    for rule, groups in by_rule.items():
        lines = []
        for (unit, pen, wil, state), ids in groups.items():
            parts = ['{"rule_id":', enc(rule)]
            if unit is not None:
                parts += [',"unit_id":', enc(unit)]
            parts += [',"state":', enc(state)]
            if unit not in units:
                if pen is not None:
                    parts += [',"penyelenggara_id":', enc(pen)]
                if wil is not None:
                    parts += [',"wilayah":', enc(wil)]
            parts += [',"entity_ids":[', ",".join(map(enc, ids)), "]}"]
            lines.append("".join(parts))
        yield lines


def findings_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every finding of a JSON report document as a full object (``rule_id``, ``entity``,
    ``entity_id``, ``state``, and ``unit_id``, ``penyelenggara_id``, ``wilayah`` when known, plus
    whatever the finding carries): schema 3's ``findings`` and ``quiet`` with what they leave to
    the ``rules`` and ``units`` maps and the report's source put back, in the report's order
    (findings, then quiet ones). Schema 2 documents are returned as they are."""
    if not str(doc.get("schema_version", "")).startswith("3"):
        return list(doc.get("findings") or [])
    rules = doc.get("rules") or {}
    units = doc.get("units") or {}
    source = ((doc.get("report") or {}).get("source") or {}).get("location")
    out = []
    for f in doc.get("findings") or []:
        full = {"rule_id": f["rule_id"], "entity": (rules.get(f["rule_id"]) or {}).get("entity"), **f}
        _place(full, units)
        if "provenance" in full and "source" not in full["provenance"] and source is not None:
            full["provenance"] = {"source": source, **full["provenance"]}
        out.append(full)
    for g in doc.get("quiet") or []:
        entity = (rules.get(g["rule_id"]) or {}).get("entity")
        for ident in g["entity_ids"]:
            full = {"rule_id": g["rule_id"], "entity": entity, "entity_id": ident, "state": g["state"]}
            for key in ("unit_id", "penyelenggara_id", "wilayah"):
                if g.get(key) is not None:
                    full[key] = g[key]
            _place(full, units)
            out.append(full)
    return out


def _place(f: dict[str, Any], units: dict[str, Any]) -> None:
    """Put back a finding's ``penyelenggara_id`` and ``wilayah`` from the ``units`` map (keys in schema 2's order)."""
    unit = units.get(f.get("unit_id"))  # type: ignore[arg-type]
    if unit is None:
        return
    tail = {k: f.pop(k) for k in list(f) if k not in ("rule_id", "entity", "entity_id", "state", "unit_id")}
    for key in ("penyelenggara_id", "wilayah"):
        if unit.get(key) is not None:
            f[key] = unit[key]
    f.update(tail)


def report_source(report: Any) -> tuple[str, str] | None:
    """:func:`source_prefix` of the report's own source (``report.source.location``), if it has one."""
    return source_prefix((report.identity().get("source") or {}).get("location"))


def finding_lines(table: Any, units: dict[str, Any], source: tuple[str, str] | None,
                  mask: Any = None) -> Iterator[list[str]]:
    """Schema 3's ``findings`` items as JSON text, a batch at a time (:func:`full_rows`, :func:`schema3_batch`);
    ``mask``: :func:`layanan_rules.report.table.quiet` of the table, when already made."""
    for batch in full_rows(table, mask):
        if len(batch) <= SMALL_LINES:
            yield _json_objects_small(batch, False, units, source)
        else:
            yield json_lines(schema3_batch(batch, units, source), entity=False)
