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


def json_lines(batch: Any) -> list[str]:
    """One JSON object per row (report schema 2's ``findings`` items): keys with no value are left out."""
    def opt(key: str, encoded: Any) -> Any:
        return pc.fill_null(pc.binary_join_element_wise(f',"{key}":', encoded, ""), "")

    col = batch.column
    parts = [
        '{"rule_id":', _json_dictionary(col("rule_id")),
        ',"entity":', _json_dictionary(col("entity")),
        ',"entity_id":', _json_strings(col("entity_id")),
        ',"state":', _json_dictionary(col("state")),
        opt("unit_id", _json_dictionary(col("unit_id"))),
        opt("penyelenggara_id", _json_dictionary(col("penyelenggara_id"))),
        opt("wilayah", _json_dictionary(col("wilayah"))),
        opt("reason", _json_dictionary(col("reason"))),
        opt("message", _json_strings(col("message"))),
        opt("evidence", col("evidence")),
        opt("provenance", col("provenance")),
        opt("flags", pc.take(_FLAGS_JSON, flags_code(batch))),
        opt("waiver", col("waiver")),
        opt("attestation", col("attestation")),
        "}",
    ]
    return pc.binary_join_element_wise(*parts, "").to_pylist()  # type: ignore[no-any-return]


# --- order: worst first ------------------------------------------------------------------------------------


def worst_first(table: Any) -> Any:
    """Row indices in the report's reading order: fail and error by severity (fail first), then
    waived, then the rest by severity and state; ties by entity, entity id and rule id."""
    state = decoded(table["state"])
    sev = decoded(table["severity"])
    band = pc.if_else(pc.is_in(state, pa.array(["fail", "error"])), 0, pc.if_else(pc.equal(state, "waived"), 1, 2))
    sev_rank = pc.fill_null(pc.index_in(sev, pa.array(list(SEVERITY_RANK))), 4)  # critical = 0 first
    state_rank = pc.index_in(state, pa.array(list(_STATE_RANK)))
    # within band 0, fail before error; elsewhere by state rank
    state_key = pc.if_else(pc.equal(band, 0), pc.if_else(pc.equal(state, "fail"), 0, 1), state_rank)
    key = pa.table({
        "band": band, "sev": sev_rank, "state": state_key, "entity": decoded(table["entity"]),
        "entity_id": table["entity_id"], "rule_id": decoded(table["rule_id"]),
    })
    return pc.sort_indices(key, sort_keys=[(k, "ascending") for k in key.column_names])


def taken(table: Any, indices: Any, size: int = BATCH_ROWS) -> Iterator[Any]:
    """The rows at ``indices``, as record batches of at most ``size`` rows."""
    for start in range(0, len(indices), size):
        part = table.take(indices[start:start + size])
        yield from part.combine_chunks().to_batches()


def in_batches(table: Any, size: int = BATCH_ROWS) -> Iterator[Any]:
    yield from table.to_batches(max_chunksize=size)


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
