"""The fast paths of reading and reporting against what they replaced: a JSON file is consumed as
it is read (the caller's data never is), the worst-first order sorted on dictionary codes equals
the order of the decoded text, scores group on codes whatever the chunks' dictionaries, and the
json format joined in Arrow equals one line per finding."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json

import pyarrow as pa
import pyarrow.compute as pc
from test_findings_table import _synthetic
from test_reporters_helpers import example_report

from layanan_rules.data.dataset import Dataset
from layanan_rules.data.jsonfile import JsonAdapter
from layanan_rules.report import stream
from layanan_rules.report.scores import _codes


def _as_json(ds: Dataset) -> dict:
    return {e: sorted(json.dumps(r, sort_keys=True, default=str) for r in recs) for e, recs in ds.to_json().items()}


def test_a_file_read_as_it_is_consumed_gives_the_dataset_of_its_data_which_stays_untouched(tmp_path):
    data = _synthetic(40, 300, 3)
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = copy.deepcopy(data)
    from_data = Dataset.from_json(data)
    assert data == before  # the caller's document is never consumed
    from_file = Dataset.from_records(JsonAdapter(str(path)).read())
    assert from_file.counts() == from_data.counts() == {k: len(v) for k, v in data.items() if v}
    assert _as_json(from_file) == _as_json(from_data)


def _worst_first_by_text(table):
    """The order as it was computed before: on decoded strings."""
    state = stream.decoded(table["state"])
    sev = stream.decoded(table["severity"])
    band = pc.if_else(pc.is_in(state, pa.array(["fail", "error"])), 0, pc.if_else(pc.equal(state, "waived"), 1, 2))
    sev_rank = pc.fill_null(pc.index_in(sev, pa.array(list(stream.SEVERITY_RANK))), 4)
    state_rank = pc.index_in(state, pa.array(list(stream._STATE_RANK)))
    state_key = pc.if_else(pc.equal(band, 0), pc.if_else(pc.equal(state, "fail"), 0, 1), state_rank)
    key = pa.table({"band": band, "sev": sev_rank, "state": state_key, "entity": stream.decoded(table["entity"]),
                    "entity_id": table["entity_id"], "rule_id": stream.decoded(table["rule_id"])})
    return pc.sort_indices(key, sort_keys=[(k, "ascending") for k in key.column_names])


def _shuffled_dictionaries(table):
    """The same rows, each chunk with its dictionaries in another (unsorted, chunk-specific) order."""
    batches = []
    for i, batch in enumerate(table.to_batches(max_chunksize=97)):
        cols = []
        for col in batch.columns:
            if pa.types.is_dictionary(col.type):
                values = col.dictionary.to_pylist()
                order = values[::-1] if i % 2 else values[i % len(values):] + values[:i % len(values)] if values else values
                cols.append(pa.DictionaryArray.from_arrays(
                    pc.index_in(col.cast(pa.string()), pa.array(order, pa.string())).cast(pa.int32()),
                    pa.array(order, pa.string())))
            else:
                cols.append(col)
        batches.append(pa.RecordBatch.from_arrays(cols, schema=table.schema))
    return pa.Table.from_batches(batches, schema=table.schema)


def test_worst_first_on_codes_is_the_order_of_the_text():
    table = example_report().to_arrow()
    assert stream.worst_first(table).equals(_worst_first_by_text(table))
    shuffled = _shuffled_dictionaries(table)
    assert stream.worst_first(shuffled).equals(_worst_first_by_text(shuffled))


def test_codes_name_the_same_values_as_the_decoded_column_whatever_the_chunks_dictionaries():
    shuffled = _shuffled_dictionaries(example_report().to_arrow())
    for name, (codes, values) in _codes(shuffled, ("unit_id", "state", "chapter", "wilayah")).items():
        named = [None if c is None else values[c] for c in codes.to_pylist()]
        assert named == shuffled[name].cast(pa.string()).to_pylist()


def test_the_json_format_joined_in_arrow_is_one_line_per_finding():
    report = example_report()
    table = report.to_arrow()
    units = stream.json_units(table)
    lines = [line for lines in stream.finding_lines(table, units, stream.report_source(report)) for line in lines]
    out = io.StringIO()
    report_json = json.loads(_render_json(report, out))
    assert [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in report_json["findings"]] == \
        [json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":")) for line in lines]
    quiet = sum(len(g["entity_ids"]) for g in report_json["quiet"])
    assert out.getvalue().count("\n{\"rule_id\":") == len(lines) + len(report_json["quiet"])
    assert len(lines) + quiet == len(report.findings)


def _render_json(report, out):
    from layanan_rules.report.formats.document import render_json

    render_json(report, out, {})
    return out.getvalue()


_EDGE_EVIDENCE = [
    '{"a": 1, "b": ["x", "y, z"], "c": {"dari": "2024-01-01", "hari": 14, "k": "a}b"}, "d": null, "e": []}',
    '{"x": [{"a": 1}], "y": 2}', "{}", None, '{"q\\"": 1}', '{"a": "s\\"t", "b": true, "c": 1.5e+20}',
    '{"b(x, \\"y\\")": {"sampai": "2024-02-01", "hari_berlalu": 3}}', '{"l": ["a]", "{b"], "m": {"n": [1]}}',
]
_EDGE_PROVENANCE = [
    '{"source": "/tmp/a.json", "part": "layanan", "row": 15, "key": "L1"}', None,
    '{"source": "x.xlsx", "part": "S", "row": 6, "column": "D"}', '{"source": "x"}', '{"source": "a\\\\b", "row": 2}',
    '{"source": "u", "part": "p", "key": "k", "page": 3}', '{"source": "s", "part": ""}', '{"part": "no source"}',
    '{"source": "s", "row": -1, "column": "C\\"", "key": "k"}',
]


def test_the_text_formats_evidence_and_provenance_rewritten_in_arrow_are_the_python_texts():
    """csv's evidence (``k = v; ...``) and provenance (``source:part:row N``) made by Arrow's regular
    expressions equal the row-by-row Python texts, on a synthetic report's problems and on values
    that must go to Python (nested lists, escapes, a page)."""
    from layanan_rules import evaluate, load_ruleset

    rep = evaluate(load_ruleset(), _synthetic(40, 600, 4), as_of=dt.date(2025, 1, 31))
    table = rep.findings_table().table()
    for name, many, one, edge in (("evidence", stream.evidence_texts, stream.evidence_text, _EDGE_EVIDENCE),
                                  ("provenance", stream.provenance_texts, stream.provenance_text, _EDGE_PROVENANCE)):
        column = table[name].combine_chunks()
        assert column.null_count < len(column)
        for values in (column, pa.array(edge, pa.string())):
            got = many(values).to_pylist()
            assert got == [one(v) if v else "" for v in values.to_pylist()]
