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


def flags_lists(batch: Any) -> list[list[str]]:
    return [list(_FLAG_SETS[c] or ()) for c in flags_code(batch).to_pylist()]


#: up to this many rows, :func:`json_lines` writes the objects in Python: Arrow's ~20 string
#: kernels cost a fixed ~2 ms a batch, which a one-record server request would pay for ~50 rows
SMALL_LINES = 256
_OPTIONAL = (("unit_id", True), ("penyelenggara_id", True), ("wilayah", True), ("reason", True),
             ("message", True), ("evidence", False), ("provenance", False))
_FLAG_TEXT = [None if f is None else ',"flags":' + json.dumps(f) for f in _FLAG_SETS]


def json_lines(batch: Any) -> list[str]:
    """One JSON object per row (report schema 2's ``findings`` items): keys with no value are left out."""
    if len(batch) <= SMALL_LINES:
        return _json_objects_small(batch)
    return _json_objects(batch).to_pylist()  # type: ignore[no-any-return]


def _json_objects_small(batch: Any) -> list[str]:
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

    fixed = [text("rule_id"), text("entity"), text("entity_id"), text("state")]
    optional = [(f',"{name}":', text(name, encode)) for name, encode in _OPTIONAL if col(name).null_count < n]
    tail = [(f',"{name}":', text(name, False)) for name in ("waiver", "attestation") if col(name).null_count < n]
    waiver_status = col("waiver_status").indices.to_pylist()  # 0 active, 1 expired
    attested = col("attested").to_pylist()
    out = []
    for i in range(n):
        parts = ['{"rule_id":', fixed[0][i], ',"entity":', fixed[1][i], ',"entity_id":', fixed[2][i],
                 ',"state":', fixed[3][i]]
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


def json_text(batch: Any, separator: str) -> Any:
    """The rows' JSON objects (as :func:`json_lines`) joined by ``separator``, as one UTF-8
    ``pyarrow.Buffer`` (None for no rows), made in Arrow: no Python string per row."""
    if len(batch) == 0:
        return None
    lines = _json_objects(batch)
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


def _json_objects(batch: Any) -> Any:
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
        ',"entity":', _json_dictionary(col("entity")),
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


def _unified(column: Any) -> Any:
    """A dictionary column whose chunks share one dictionary (or a plain column, encoded)."""
    if not pa.types.is_dictionary(column.type):
        column = column.dictionary_encode()
    chunks = column.chunks
    if chunks and any(not c.dictionary.equals(chunks[0].dictionary) for c in chunks[1:]):
        column = pa.table({"c": column}).unify_dictionaries()["c"]
    return column


def _mapped(column: Any, fn: Any) -> Any:
    """``fn(value)`` (an int or None) per row of a dictionary column, computed once per distinct value."""
    column = _unified(column)
    if column.num_chunks == 0:
        return pa.chunked_array([], pa.int32())
    codes = pa.array([fn(v) for v in column.chunk(0).dictionary.to_pylist()], pa.int32())
    return pa.chunked_array([pc.take(codes, c.indices) for c in column.chunks], pa.int32())


def _ranked(column: Any) -> Any:
    """Each row's rank among the column's distinct values in text order (nulls stay null)."""
    column = _unified(column)
    if column.num_chunks == 0:
        return pa.chunked_array([], pa.int32())
    values = column.chunk(0).dictionary.to_pylist()
    rank = {v: i for i, v in enumerate(sorted(set(values), key=lambda v: v.encode("utf-8")))}
    return _mapped(column, rank.get)


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

    def __init__(self, report: Any, lang: str) -> None:
        self.lang = lang
        self.rules = report.rules()
        self.hierarchy = report.hierarchy()
        self._by_dict: dict[tuple[str, int], Any] = {}

    def _lookup(self, name: str, column: Any, word: Any) -> Any:
        """Map a dictionary column's values through ``word(value)``, once per distinct value."""
        if not pa.types.is_dictionary(column.type):
            return pa.array([None if v is None else word(v) for v in column.to_pylist()], pa.string())
        key = (name, id(column.dictionary))
        words = self._by_dict.get(key)
        if words is None:
            words = pa.array([word(v) for v in column.dictionary.to_pylist()], pa.string())
            self._by_dict[key] = words
            self._by_dict[(name, -1)] = column.dictionary  # keep the dictionary alive while its id is a key
        return pa.DictionaryArray.from_arrays(column.indices, words).cast(pa.string())

    def rule_word(self, batch: Any, word: Any, name: str) -> Any:
        return self._lookup(name, batch.column("rule_id"), lambda rid: word(self.rules[rid]) if rid in self.rules else "")

    def title(self, batch: Any) -> Any:
        return self.rule_word(batch, lambda r: text_of(r["title"], self.lang), "title")

    def citations(self, batch: Any) -> Any:
        key = "label_en" if self.lang == "en" else "label"
        return self.rule_word(batch, lambda r: "; ".join(c[key] for c in r["legal_basis"]), "cite")

    def remedy(self, batch: Any) -> Any:
        return self.rule_word(batch, lambda r: text_of(r["remedy"], self.lang), "remedy")

    def severity(self, batch: Any) -> Any:
        return self._lookup("severity", batch.column("severity"), lambda s: severity_label(s, self.lang))

    def state(self, batch: Any) -> Any:
        return self._lookup("state", batch.column("state"), lambda s: state_label(s, self.lang))

    def unit_name(self, batch: Any) -> Any:
        return self._lookup("unit", batch.column("unit_id"), lambda u: self.hierarchy.name("unit", u) or "")

    def chapter(self, batch: Any) -> Any:
        labels = {r["chapter"]: text_of(r["chapter_label"], self.lang) for r in self.rules.values()}
        return self._lookup("chapter", batch.column("chapter"), lambda c: labels.get(c, c))

    def flags(self, batch: Any) -> Any:
        words = pa.array([", ".join(_flag_word(f, self.lang) for f in (fs or ())) for fs in _FLAG_SETS], pa.string())
        return pc.take(words, flags_code(batch))


def _flag_word(flag: str, lang: str) -> str:
    return {"attested": t("attested", lang), "waiver_expired": t("waiver_expired", lang),
            "waived": t("waiver_active", lang)}[flag]


def evidence_text(evidence_json: str | None) -> str:
    """``field = value; ...`` from a row's evidence JSON (as the text formats print it)."""
    if not evidence_json or evidence_json == "{}":
        return ""
    ev = json.loads(evidence_json)
    return "; ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in ev.items())


def provenance_text(provenance_json: str | None) -> str:
    if not provenance_json:
        return ""
    p = json.loads(provenance_json)
    bits = [str(p.get("source", ""))]
    for k, label in (("part", ""), ("page", "page "), ("row", "row "), ("column", "col "), ("key", "key ")):
        if p.get(k) is not None:
            bits.append(f"{label}{p[k]}")
    return ":".join(bits)


def texts(column: Any, fn: Any) -> Any:
    """``fn`` over the non-null values of a string column (evidence, provenance, ...), "" elsewhere."""
    values = column.to_pylist()
    return pa.array(["" if v is None else fn(v) for v in values], pa.string())
