"""The findings table (report/table.py): its contract, scores as group-by queries equal to the
per-finding loop they replaced, and every format counting the same findings as Report.counts()."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from scores_reference import compute_by_finding
from support import ROOT
from test_reporters_helpers import example_report, render

from layanan_rules import evaluate, load_ruleset
from layanan_rules.model import bulk
from layanan_rules.report import table as findings_table
from layanan_rules.report.stream import findings_of, json_lines

SYNTH = ROOT / "bench" / "synth.py"


@pytest.fixture(scope="module")
def report():
    return example_report()


def _synthetic(services: int, complaints: int, seed: int) -> dict:
    import importlib.util

    spec = importlib.util.spec_from_file_location("synth", SYNTH)
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    return synth.build(seed=seed, services=services, complaints=complaints)


def test_the_table_has_the_published_schema_and_version(report):
    table = report.to_arrow()
    assert table.schema.equals(findings_table.SCHEMA, check_metadata=True)
    assert table.schema.metadata[b"layanan_rules.table_version"] == findings_table.TABLE_VERSION.encode()
    assert table.num_rows == sum(report.counts().values())
    by_rule = table.group_by(["rule_id", "state"]).aggregate([("state", "count")]).to_pylist()
    counts = report.counts_by_rule()
    for row in by_rule:
        assert counts[row["rule_id"]][row["state"]] == row["state_count"]


def test_table_from_engine_blocks_equals_table_from_findings(report):
    """The fast path (the engine's blocks) and the general one (materialised Finding objects, as
    after waivers) build the same table."""
    fast = example_report().to_arrow()
    slow_report = example_report()
    slow_report.findings = list(slow_report.findings)  # held Finding objects: the table is built from them
    assert slow_report._blocks is None
    slow = slow_report.to_arrow()
    assert fast.to_pylist() == slow.to_pylist()


def test_scores_by_group_by_equal_the_per_finding_loop_on_the_example(report):
    assert report.scores().to_dict() == compute_by_finding(report).to_dict()
    for min_scored in (1, 20):
        assert report.scores(min_scored=min_scored).to_dict() == compute_by_finding(report, min_scored=min_scored).to_dict()


@pytest.mark.parametrize("seed", [1, 7])
def test_scores_by_group_by_equal_the_per_finding_loop_on_synthetic_data(seed):
    data = _synthetic(300, 2000, seed)
    rep = evaluate(load_ruleset(), data, as_of=dt.date(2025, 1, 31))
    new = rep.scores().to_dict()
    assert new == compute_by_finding(rep).to_dict()
    assert len(new["unit"]) > 10 and new["total"]["scored"] > 1000


def test_waived_and_attested_rows_keep_their_marks_in_the_table(tmp_path):
    (tmp_path / "w.yaml").write_text(
        "- rule: UU25-21a\n  entity: layanan\n  entity_id: L3\n  reason: Sedang disusun\n"
        "  legal_basis: SK 1/2025\n  approver: Kepala Dinas\n  start: 2025-01-01\n  expiry: 2025-12-31\n",
        encoding="utf-8")
    rep = example_report(tmp_path / "w.yaml")
    rows = [r for r in rep.to_arrow().to_pylist() if r["rule_id"] == "UU25-21a" and r["entity_id"] == "L3"]
    assert len(rows) == 1 and rows[0]["state"] == "waived" and rows[0]["waiver_status"] == "active"
    assert json.loads(rows[0]["waiver"])["approver"] == "Kepala Dinas" and rows[0]["evidence"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_format_counts_the_findings_report_counts(report, lang):
    n = sum(report.counts().values())
    counts = report.counts()
    assert len(findings_of(json.loads(render(report, "json", lang=lang)))) == n
    assert len(render(report, "jsonl", lang=lang).splitlines()) == n
    assert len(list(csv.reader(io.StringIO(render(report, "csv", lang=lang)[1:])))) == n + 1
    wb = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx", lang=lang)))
    assert wb.worksheets[1].max_row == n + 1
    root = ET.fromstring(render(report, "junit", lang=lang))
    assert int(root.get("tests")) == n == len(root.findall(".//testcase"))
    assert int(root.get("failures")) == counts["fail"]
    parquet = pq.read_table(io.BytesIO(render(report, "parquet", lang=lang)))
    assert parquet.num_rows == n
    md = render(report, "markdown", lang=lang)
    assert md.count("**" + ("GAGAL" if lang == "id" else "FAIL") + "**") == counts["fail"]


def test_parquet_carries_the_table_contract_and_the_report_head(report):
    got = pq.read_table(io.BytesIO(render(report, "parquet")))
    assert got.schema.remove_metadata().equals(findings_table.SCHEMA.remove_metadata())
    head = json.loads(got.schema.metadata[b"layanan_rules.report"])
    assert head["schema_version"].startswith("2.") and "UU25-21a" in head["rules"]
    assert got.schema.metadata[b"layanan_rules.table_version"] == findings_table.TABLE_VERSION.encode()
    # an analyst's query: failures per unit, straight from the file
    fails = got.filter(pa.compute.equal(got["state"].cast(pa.string()), "fail"))
    per_unit = {r["unit_id"]: r["state_count"] for r in
                fails.group_by("unit_id").aggregate([("state", "count")]).to_pylist() if r["unit_id"]}
    scores = {s["key"]: s["counts"]["fail"] for s in head["scores"]["unit"]}
    assert per_unit == scores


def test_json_lines_escape_what_json_needs():
    batch = pa.RecordBatch.from_pylist([{
        "rule_id": "R", "entity": "layanan", "entity_id": 'L"1\\\n', "state": "fail", "message": "a \"b\"\tc",
        "attested": True, "evidence": '{"x": 1}',
    }], schema=findings_table.SCHEMA)
    (line,) = json_lines(batch)
    got = json.loads(line)
    assert got["entity_id"] == 'L"1\\\n' and got["message"] == 'a "b"\tc' and got["evidence"] == {"x": 1}
    assert got["flags"] == ["attested"] and "unit_id" not in got


@pytest.mark.parametrize("case", ["example", "en-shown", "evidence-all", "waived", "synthetic"])
def test_json_lines_of_a_small_batch_in_python_equal_the_kernels(case, tmp_path):
    """A batch of up to SMALL_LINES rows is written in Python (a server's one-record answer), a
    larger one by Arrow's string kernels: the same lines, byte for byte."""
    from layanan_rules.report import stream

    options: dict = {}
    if case == "waived":  # an expired and an active waiver
        (tmp_path / "w.yaml").write_text(
            "- rule: UU25-21a\n  entity: layanan\n  entity_id: L3\n  reason: Sedang disusun\n"
            "  legal_basis: SK 1/2025\n  approver: Kepala Dinas\n  start: 2024-01-01\n  expiry: 2024-06-30\n"
            "- rule: UU25-21b\n  entity: layanan\n  entity_id: L3\n  reason: Sedang disusun\n"
            "  legal_basis: SK 1/2025\n  approver: Kepala Dinas\n  start: 2025-01-01\n  expiry: 2025-12-31\n",
            encoding="utf-8")
        rep = example_report(tmp_path / "w.yaml")
    elif case == "synthetic":
        rep = evaluate(load_ruleset(), _synthetic(30, 100, 5), as_of=dt.date(2025, 1, 31))
    else:
        rep = example_report()
        options = {"en-shown": {"lang": "en", "show_personal": True}, "evidence-all": {"evidence": "all"}}.get(case, {})
    table = rep.to_arrow(**options).combine_chunks()
    seen = 0
    for start in range(0, table.num_rows, stream.SMALL_LINES):
        for batch in table.slice(start, stream.SMALL_LINES).to_batches():
            assert stream._json_objects_small(batch) == stream._json_objects(batch).to_pylist()
            seen += len(batch)
    assert seen == table.num_rows > 0
    if case == "waived":
        assert {"active", "expired"} <= set(table["waiver_status"].to_pylist())
    marked = pa.RecordBatch.from_pylist([
        {"rule_id": "R", "entity": "layanan", "entity_id": 'L"1\\\n', "state": "waived", "message": "a \"b\"\tc",
         "attested": True, "evidence": '{"x": 1}', "waiver_status": "expired", "waiver": '{"w": 1}',
         "attestation": '{"a": 2}', "reason": "rule_error", "unit_id": "U\u00e9"},
        {"rule_id": "R", "entity": "layanan", "entity_id": "L2", "state": "pass"}], schema=findings_table.SCHEMA)
    assert stream._json_objects_small(marked) == stream._json_objects(marked).to_pylist()


def test_write_streams_any_format_to_a_path(report, tmp_path):
    report.write(tmp_path / "r.parquet", "parquet")
    report.write(tmp_path / "r.csv", "csv", lang="en", csv_delimiter=";")
    assert pq.read_table(tmp_path / "r.parquet").num_rows == sum(report.counts().values())
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").startswith("rule_id;title;state")
    with pytest.raises(ValueError, match="unknown format"):
        report.write(tmp_path / "r.x", "x")


@pytest.mark.parametrize("evidence", ["problems", "all"])
@pytest.mark.parametrize("waived", [False, True])
@pytest.mark.parametrize("small", [False, True])
def test_the_rows_writers_read_carry_the_evidence_of_the_whole_table(tmp_path, evidence, waived, small, monkeypatch):
    """Report.findings_table() makes evidence and provenance per batch as rows are read: in order, by
    take() in any order, by filter(), in batches of any size, with waivers and attestations (the
    materialised findings) and without, they are the whole table's (Report.to_arrow()). A small
    table (made from lists with its evidence) reads the same."""

    if not small:
        monkeypatch.setattr(bulk, "SMALL_ROWS", 0)
    waivers = None
    if waived:
        waivers = tmp_path / "w.yaml"
        waivers.write_text(
            "- rule: UU25-21a\n  entity: layanan\n  entity_id: L3\n  reason: Sedang disusun\n"
            "  legal_basis: SK 1/2025\n  approver: Kepala Dinas\n  start: 2025-01-01\n  expiry: 2025-12-31\n",
            encoding="utf-8")
    rep = example_report(waivers)
    whole = rep.to_arrow(evidence=evidence)
    lazy = rep.findings_table(evidence=evidence)
    assert lazy.schema.equals(whole.schema) and lazy.num_rows == whole.num_rows
    assert whole.column("evidence").null_count < whole.num_rows  # there is evidence to compare
    expected = whole.to_pylist()
    for size in (7, 1000, None):
        assert [r for b in lazy.iter_batches(size) for r in b.to_pylist()] == expected
    order = list(range(whole.num_rows))[::-1][::3]
    assert lazy.take(pa.array(order, pa.int64())).to_pylist() == [expected[i] for i in order]
    mask = pa.array([r["state"] == "fail" for r in expected])
    assert lazy.filter(mask).to_pylist() == [r for r in expected if r["state"] == "fail"]
    assert lazy["evidence"].to_pylist() == whole["evidence"].to_pylist()
    # read for their places alone (the terminal table): the same rows, provenance kept, no evidence
    chosen = lazy.rows(pa.array(order, pa.int64())) if hasattr(lazy, "rows") else None
    if chosen is not None:
        lean = [r for b in chosen.without_evidence().iter_batches(5) for r in b.to_pylist()]
        assert [{**r, "evidence": None} for r in lean] == [{**expected[i], "evidence": None} for i in order]
        if evidence == "problems" and not small:
            assert all(r["evidence"] is None for r in lean)
    if evidence == "problems" and not small:  # the held part has none; only read rows carry it
        assert lazy._lean["evidence"].null_count == whole.num_rows
    # and what the rows carry is each finding's own evidence (Finding.to_dict), not only the table's
    by_key = {(r["rule_id"], r["entity_id"]): r for r in expected}
    run = (rep.ruleset, rep.as_of)
    checked = 0
    for f in rep.findings:
        if f.state.value != "fail" or f.record.obj is None:
            continue
        own = f.to_dict(personal_fields=rep.personal_fields(), run=run)
        row = by_key[(f.rule.id, f.entity_id)]
        assert json.loads(row["evidence"]) == own["evidence"] and json.loads(row["provenance"]) == own["provenance"]
        checked += 1
    assert checked > 50


@pytest.mark.parametrize("case", ["example", "synthetic", "waived", "one-record", "evidence-all"])
def test_a_small_table_made_from_lists_equals_the_arrow_batches_table(case, tmp_path, monkeypatch):
    """Up to SMALL_ROWS findings the table is made in one go from Python lists; beyond, per rule in
    Arrow batches. Both give the same table (values, types, dictionaries) and the same JSON lines."""
    def make():
        if case == "example" or case == "evidence-all":
            return example_report()
        if case == "waived":
            (tmp_path / "w.yaml").write_text(
                "- rule: UU25-21a\n  entity: layanan\n  entity_id: L3\n  reason: Sedang disusun\n"
                "  legal_basis: SK 1/2025\n  approver: Kepala Dinas\n  start: 2025-01-01\n  expiry: 2025-12-31\n",
                encoding="utf-8")
            return example_report(tmp_path / "w.yaml")
        data = _synthetic(12, 150, 3)
        if case == "one-record":
            lay = data["layanan"][0]
            data = {"layanan": [lay], "unit": [u for u in data["unit"] if u["id"] == lay["unit_id"]]}
        return evaluate(load_ruleset(), data, as_of=dt.date(2025, 1, 31))

    evidence = "all" if case == "evidence-all" else "problems"
    small = make().to_arrow(evidence=evidence)
    assert 0 < small.num_rows <= bulk.SMALL_ROWS and small.num_columns == len(findings_table.SCHEMA)
    monkeypatch.setattr(bulk, "SMALL_ROWS", 0)
    arrow = make().to_arrow(evidence=evidence)
    assert small.schema.equals(arrow.schema, check_metadata=True)
    assert small.equals(arrow)
    assert small.to_pylist() == arrow.to_pylist()
    lines = [line for batch in small.to_batches() for line in json_lines(batch)]
    assert lines == [line for batch in arrow.to_batches() for line in json_lines(batch)]
    if case == "waived":
        assert "waived" in small["state"].to_pylist()


@pytest.mark.parametrize("case", ["example", "synthetic", "waived"])
def test_scores_of_a_small_table_in_python_equal_the_arrow_group_bys(case, tmp_path, monkeypatch):
    """Scores group a small table (<= SMALL_ROWS findings) in Python, a larger one in Arrow: the
    same numbers, names, parents and order either way."""
    from layanan_rules.report import scores as scores_module

    def make():
        if case == "waived":  # an expired waiver and an attestation: their sums too
            (tmp_path / "w.yaml").write_text(
                "- rule: UU25-21a\n  entity: layanan\n  entity_id: L3\n  reason: Sedang disusun\n"
                "  legal_basis: SK 1/2025\n  approver: Kepala Dinas\n  start: 2024-01-01\n  expiry: 2024-06-30\n"
                "- rule: UU25-21b\n  entity: layanan\n  entity_id: L3\n  reason: Sedang disusun\n"
                "  legal_basis: SK 1/2025\n  approver: Kepala Dinas\n  start: 2025-01-01\n  expiry: 2025-12-31\n",
                encoding="utf-8")
            return example_report(tmp_path / "w.yaml")
        if case == "example":
            return example_report()
        return evaluate(load_ruleset(), _synthetic(30, 100, 5), as_of=dt.date(2025, 1, 31))

    small_report = make()
    assert small_report.to_arrow().num_rows <= bulk.SMALL_ROWS
    small = [small_report.scores(min_scored=m).to_dict() for m in (1, 5, 20)]
    monkeypatch.setattr(bulk, "SMALL_ROWS", 0)
    arrow_report = make()
    assert [arrow_report.scores(min_scored=m).to_dict() for m in (1, 5, 20)] == small
    assert small[1] == compute_by_finding(arrow_report).to_dict()
    assert len(small[1]["unit"]) >= 2 and small[1]["total"]["scored"] > 50
    assert scores_module.DEFAULT_MIN_SCORED == 5
    if case == "waived":
        assert small[1]["total"]["waivers_expired"] >= 1 and small[1]["total"]["counts"]["waived"] >= 1


def test_findings_are_read_lazily_and_act_as_a_list():
    """``Report.findings`` reads the engine's blocks: indexing, slicing, length and equality as a
    list's, each Finding built as it is read; changing it makes the report hold a plain list."""
    rep = example_report()
    findings = rep.findings
    assert rep._findings is None and rep._blocks is not None
    every = list(findings)
    assert len(findings) == len(every) == sum(rep.counts().values())
    assert findings[0] == every[0] and findings[-1] == every[-1] and findings[len(every) // 2] == every[len(every) // 2]
    assert findings[3:9] == every[3:9] and findings[-5:] == every[-5:] and findings[::-7] == every[::-7]
    assert findings == every
    with pytest.raises(IndexError):
        findings[len(every)]
    assert rep._findings is None  # reading built nothing that stays
    first = every[0]
    findings.append(first)  # a change: the report now holds its findings
    assert rep._findings is not None and rep._blocks is None
    assert len(rep.findings) == len(every) + 1 and rep.findings[-1] == first
    assert sum(rep.counts().values()) == len(every) + 1


def test_lazy_findings_of_blocks_longer_than_a_batch_keep_every_error_in_its_row():
    """Blocks of more rows than one read batch (4,096), errors spread through them: each Finding
    read carries its own row's state, reason and message."""
    data = _synthetic(60, 5_000, 5)
    for i, complaint in enumerate(data["pengaduan"]):
        if i % 7 == 0:
            complaint["diterima_pada"] = "kemarin sore"
    rep = evaluate(load_ruleset(), data, as_of=dt.date(2025, 1, 31))
    expected = []
    for rule, records, states, errors in rep._blocks:
        for i, (rec, state) in enumerate(zip(records, states)):
            expected.append((rule.id, rec.id, state, *errors.get(i, (None, None))))
    assert max(len(b[2]) for b in rep._blocks) > 4_096 and sum(len(b[3]) for b in rep._blocks) > 1_000
    assert [(f.rule_id, f.entity_id, f.state, f.reason, f.message) for f in rep.findings] == expected


@pytest.mark.parametrize("show_personal", [False, True])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_evidence_made_a_column_at_a_time_equals_evidence_made_row_by_row(show_personal, lang):
    """A rule's evidence is made a column at a time over many rows (evidence_texts) and row by row
    for a few (evidence_json, a server's one-record request): the same text for every row, with and
    without the deadline explanations of a failed finding."""
    data = _synthetic(12, 150, 3)
    checked = 0
    for report in (example_report(), evaluate(load_ruleset(), data, as_of=dt.date(2025, 1, 31))):
        b = findings_table._Builder(report, lang, show_personal, False, findings_table._rules_of(report))
        for rule, records, states, _errors in report._blocks:
            records = [r for r in records if r.obj is not None]
            if not records:
                continue
            for explain in ([True] * len(records), [i % 2 == 0 for i in range(len(records))]):
                assert b.evidence_texts(rule, records, explain) == [
                    b.evidence_json(rule, rec, x) for rec, x in zip(records, explain)], rule.id
                checked += len(records)
    assert checked > 5_000


def test_large_blocks_keep_their_states_a_byte_each_and_read_as_lists_did(monkeypatch):
    """Blocks of COMPACT_FROM records or more hold their states as ``States`` (a byte each): the
    findings, counts, table and scores are those of the same run with every block a list."""
    from layanan_rules.engine import evaluation, states

    data = _synthetic(60, 5_000, 3)
    for i, complaint in enumerate(data["pengaduan"]):
        if i % 11 == 0:
            complaint["diterima_pada"] = "kemarin sore"
    compact = evaluate(load_ruleset(), data, as_of=dt.date(2025, 1, 31))
    assert any(type(b[2]) is states.States for b in compact._blocks)
    monkeypatch.setattr(evaluation, "COMPACT_FROM", 10**9)
    plain = evaluate(load_ruleset(), data, as_of=dt.date(2025, 1, 31))
    assert all(type(b[2]) is list for b in plain._blocks)
    for (_r, _rec, st, _e), (_r2, _rec2, lst, _e2) in zip(compact._blocks, plain._blocks):
        assert len(st) == len(lst) and list(st) == lst and st[5:40] == lst[5:40]
        assert not lst or st[-1] is lst[-1]
        assert all(st.count(s) == lst.count(s) for s in states.State) and st == lst
    assert compact.counts_by_rule() == plain.counts_by_rule()
    assert [(f.rule_id, f.entity_id, f.state, f.reason) for f in compact.findings] == [
        (f.rule_id, f.entity_id, f.state, f.reason) for f in plain.findings]
    assert compact.to_arrow().equals(plain.to_arrow())
    assert compact.scores().to_dict() == plain.scores().to_dict()


def test_evidence_made_a_part_at_a_time_equals_evidence_made_a_batch_at_a_time(monkeypatch):
    """Evidence is made EVIDENCE_ROWS wanted rows at a time inside a writer's batch (bounded
    Python text whatever the batch size): any part size gives the same rows."""
    monkeypatch.setattr(bulk, "SMALL_ROWS", 0)
    rep = evaluate(load_ruleset(), _synthetic(40, 600, 2), as_of=dt.date(2025, 1, 31))
    whole = [r for b in rep.findings_table().iter_batches(100_000) for r in b.to_pylist()]
    assert sum(r["evidence"] is not None for r in whole) > 100
    for part in (1, 7, 500):
        monkeypatch.setattr(findings_table, "EVIDENCE_ROWS", part)
        rep.changed()
        assert [r for b in rep.findings_table().iter_batches(100_000) for r in b.to_pylist()] == whole


def test_worst_first_a_group_at_a_time_is_the_order_of_one_sort(monkeypatch):
    """csv and xlsx read the whole table worst first a group of rows at a time (bounded keys,
    rows taken chunk by chunk): the same order as one sort over every key, and the rows taken
    chunk by chunk are the rows asked for, in the order asked."""
    from layanan_rules.report import stream

    monkeypatch.setattr(bulk, "SMALL_ROWS", 0)
    data = _synthetic(40, 600, 4)
    for i, complaint in enumerate(data["pengaduan"]):
        if i % 13 == 0:
            complaint["diterima_pada"] = "kemarin sore"
    rep = evaluate(load_ruleset(), data, as_of=dt.date(2025, 1, 31))
    table = rep.findings_table()
    assert table.held["state"].num_chunks > 10
    whole = stream.worst_first(table.held).to_pylist()
    parts = list(stream.worst_first_parts(table.held))
    assert len(parts) > 5 and [i for p in parts for i in p.to_pylist()] == whole
    lean = table.held.to_pylist()
    picked = whole[::37] + whole[5:9]
    got = table.take(pa.array(picked, pa.int64())).to_pylist()
    assert [(r["rule_id"], r["entity_id"], r["state"]) for r in got] == [
        (lean[i]["rule_id"], lean[i]["entity_id"], lean[i]["state"]) for i in picked]


def test_worst_first_large_groups_in_windows_of_records_are_the_order_of_one_sort(monkeypatch):
    """A worst-first group past WINDOWED_ROWS is read in windows of its records, the ids ranked
    once per list of records: the same order as one sort (and the sort again where ids are tied)."""
    from layanan_rules.report import stream

    monkeypatch.setattr(bulk, "SMALL_ROWS", 0)
    monkeypatch.setattr(stream, "WINDOWED_ROWS", 10)
    monkeypatch.setattr(stream, "WINDOW_RECORDS", 7)
    data = _synthetic(40, 600, 4)
    for i, complaint in enumerate(data["pengaduan"]):
        if i % 13 == 0:
            complaint["diterima_pada"] = "kemarin sore"
    rep = evaluate(load_ruleset(), data, as_of=dt.date(2025, 1, 31))
    table = rep.findings_table()
    whole = stream.worst_first(table.held).to_pylist()
    seen = []
    monkeypatch.setattr(stream, "_windowed", lambda plan, value, real=stream._windowed: seen.append(value) or real(plan, value))
    assert [i for p in stream.worst_first_parts(table) for i in p.to_pylist()] == whole
    assert len(seen) > 3  # the windowed path was taken
    data["pengaduan"][5]["id"] = data["pengaduan"][6]["id"]  # tied ids: the one sort per group
    rep = evaluate(load_ruleset(), data, as_of=dt.date(2025, 1, 31))
    table = rep.findings_table()
    assert [i for p in stream.worst_first_parts(table) for i in p.to_pylist()] == stream.worst_first(table.held).to_pylist()


def test_rules_without_findings_are_not_counted_whether_findings_are_read_or_held():
    """A one-record call leaves most rules without a record to check (their entity is absent):
    ``counts_by_rule`` and ``evaluated_rules`` name only rules with findings, as the held list does."""
    example = json.loads((ROOT / "examples" / "dinas-contoh.json").read_text(encoding="utf-8"))
    layanan = example["layanan"][0]
    rep = evaluate(load_ruleset(), {"unit": [{"id": layanan["unit_id"]}], "layanan": [layanan]},
                   as_of=dt.date(2025, 1, 31))
    read = rep.counts_by_rule()
    assert any(not states for _rule, _records, states, _errors in rep._blocks)  # the case under test
    assert read and all(sum(per.values()) for per in read.values())
    assert [r.id for r in rep.evaluated_rules()] == list(read)
    rep.findings.append(rep.findings[0])  # the report now holds a plain list
    held = rep.counts_by_rule()
    held[rep.findings[0].rule_id][rep.findings[0].state.value] -= 1
    assert held == read


@pytest.mark.parametrize("show_personal", [False, True])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_evidence_made_as_printed_text_is_the_json_read_back(show_personal, lang):
    """The csv and xlsx formats ask for evidence and provenance as they print them (``text``):
    made from the same pieces, never as JSON read back, they are the printed form of the JSON
    (:func:`evidence_text`, :func:`provenance_text`) for every row, column at a time and row by row,
    with and without the deadline explanations, and where keys of a row may repeat."""
    data = _synthetic(12, 150, 3)
    checked = 0
    for report in (example_report(), evaluate(load_ruleset(), data, as_of=dt.date(2025, 1, 31))):
        b = findings_table._Builder(report, lang, show_personal, False, findings_table._rules_of(report))
        for rule, records, states, _errors in report._blocks:
            shown = [r for r in records if r.obj is not None]
            for explain in ([True] * len(shown), [i % 2 == 0 for i in range(len(shown))]):
                got = b.evidence_texts(rule, shown, explain, text=True)
                assert got == [findings_table.evidence_text(t) for t in b.evidence_texts(rule, shown, explain)], rule.id
                checked += len(shown)
            for few in (records, records[:3]):
                assert b.provenance_texts(rule, few, text=True) == [
                    findings_table.provenance_text(t) for t in b.provenance_texts(rule, few)], rule.id
            state_idx = [b.state_by_id[id(s)] for s in states]
            text_rows = b.evidence_rows(rule, records, state_idx, None, text=True)
            json_rows = b.evidence_rows(rule, records, state_idx, None)
            assert text_rows[0] == [None if t is None else findings_table.evidence_text(t) for t in json_rows[0]]
            assert text_rows[1] == [None if t is None else findings_table.provenance_text(t) for t in json_rows[1]]
    assert checked > 5_000


def test_evidence_made_as_text_keeps_a_row_whose_keys_repeat_as_the_json_reads_back(monkeypatch):
    """A row whose explanation names a key the row has already (which reading the JSON back merges
    into one) is made as JSON and read back, so it prints as it did."""
    report = evaluate(load_ruleset(), _synthetic(12, 150, 3), as_of=dt.date(2025, 1, 31))
    from layanan_rules.report import computed

    b = findings_table._Builder(report, "id", False, False, findings_table._rules_of(report))
    made = 0
    for rule, records, _states, _errors in report._blocks:
        if not findings_table._explains(rule, report.ruleset):
            continue
        shown = [r for r in records if r.obj is not None]
        names = sorted(b._column_names(rule)) if b._column_plan(rule, rule.entity) is not None else []
        if not names:
            continue
        real = computed.explainer(rule, report.ruleset, report.as_of)
        monkeypatch.setattr(computed, "explainer", lambda *_a, _real=real, _key=names[0]: (
            lambda obj: {**(_real(obj) or {}), _key: {"lagi": "again"}}))
        got = b.evidence_texts(rule, shown, [True] * len(shown), text=True)
        assert got == [findings_table.evidence_text(t) for t in b.evidence_texts(rule, shown, [True] * len(shown))]
        made += len(shown)
        monkeypatch.undo()
    assert made > 100


def test_batches_taken_with_text_evidence_are_the_json_batches_printed():
    """``Findings.take_batches(..., text=True)`` gives the rows of the JSON batches with their
    evidence and provenance as printed ("" where none), and says so in the schema; a small table
    (evidence made with it) too."""
    import pyarrow.compute as pc

    from layanan_rules.report import stream

    for report in (evaluate(load_ruleset(), _synthetic(30, 2_000, 5), as_of=dt.date(2025, 1, 31)), example_report()):
        table = report.findings_table()
        order = list(stream.worst_first_parts(table))
        text = list(table.take_batches(order, 4_096, text=True))
        plain = list(table.take_batches(order, 4_096))
        assert [len(b) for b in text] == [len(b) for b in plain] and sum(map(len, text)) == table.num_rows
        for t, p in zip(text, plain):
            assert findings_table.text_evidence(t) and not findings_table.text_evidence(p)
            for name, printed in (("evidence", findings_table.evidence_text), ("provenance", findings_table.provenance_text)):
                assert t.column(name).to_pylist() == [printed(v) for v in p.column(name).to_pylist()]
            rest = [n for n in t.schema.names if n not in ("evidence", "provenance")]
            assert all(t.column(n).equals(p.column(n)) for n in rest)
        assert any(pc.any(pc.not_equal(b.column("evidence"), "")).as_py() for b in text)


@pytest.mark.parametrize("options", [{}, {"lang": "en", "csv_delimiter": ";"}])
def test_csv_written_from_text_evidence_is_what_arrows_writer_wrote_from_the_json_table(tmp_path, options):
    """The csv of a report large enough to make its evidence per batch (text evidence, Arrow's CSV
    writer on the file, words taken from their dictionaries) is, byte for byte, the CSV of the
    whole JSON table's flat rows as it was written before, to a file and to a text stream."""
    import pyarrow.csv as pacsv

    from layanan_rules.report.formats import tabular

    report = evaluate(load_ruleset(), _synthetic(30, 2_000, 5), as_of=dt.date(2025, 1, 31))
    assert report.findings_table().num_rows > bulk.SMALL_ROWS
    whole = report.findings_table(lang=options.get("lang", "id")).table()
    expected = io.BytesIO()
    delimiter = options.get("csv_delimiter", ",")
    for part in tabular.flat_batches(report, options, rows=whole):  # the JSON table: evidence rewritten by Arrow
        pacsv.write_csv(part, expected, pacsv.WriteOptions(include_header=False, delimiter=delimiter,
                                                           quoting_style="needed"))
    path = tmp_path / "r.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        tabular.render_csv(report, out, options)
        out.write("end")  # the file is still open after the report
    text = path.read_bytes()
    head, _, body = text.partition(b"\n")
    assert head.startswith("\ufeff".encode())
    assert body == expected.getvalue() + b"end"
    stream_out = io.StringIO()
    tabular.render_csv(report, stream_out, options)
    assert stream_out.getvalue().encode("utf-8") == text[:-3]


def _awkward_synthetic() -> dict:
    """Synthetic data whose complaint ids need quoting (a quote, a comma, a semicolon), whose first
    unit's name holds a quote, and with complaints that name no unit and no service."""
    data = _synthetic(20, 600, 6)
    for i, complaint in enumerate(data["pengaduan"]):
        if i % 7 == 0:
            complaint["id"] = f'A"{i},x;y'
        if i % 11 == 0:
            complaint["unit_id"] = complaint["layanan_id"] = None
    data["unit"][0]["nama"] = 'Dinas "Utama", Kota Contoh'
    return data


@pytest.mark.parametrize("options", [{}, {"lang": "en", "csv_delimiter": ";"},
                                     {"show_personal": True, "csv_delimiter": "\t"}])
def test_csv_quiet_rows_written_from_where_they_are_are_the_rows_taken(tmp_path, monkeypatch, options):
    """The csv's quiet rows written from the block and record each row is (``CsvLines.quiet_texts``:
    no row taken) are byte for byte what Arrow's CSV writer writes of the whole table's flat rows
    worst first: ids and unit names with quotes and delimiters, rows without a unit, slices of
    quiet rows only, slices where some rows are not quiet (a pass that may rest on a date known only
    by its year, written from its row and put in its place), and slices over several lists of records
    (waived and attested findings are made a run of a rule at a time), which are taken as before."""
    from layanan_rules.report import flat, stream
    from layanan_rules.report.formats import tabular

    monkeypatch.setattr(bulk, "SMALL_ROWS", 0)  # evidence made per batch (the example too)
    monkeypatch.setattr(stream, "BATCH_ROWS", 700)  # groups in several slices
    monkeypatch.setattr(flat, "CSV_LINES", 300)
    monkeypatch.setattr(tabular, "CSV_WINDOWED_ROWS", 400)  # large groups read in windows of records
    monkeypatch.setattr(stream, "WINDOW_RECORDS", 90)
    calls = {"quiet": 0, "mixed": 0, "taken": 0, "windows": 0}
    quiet_texts, record_rows = flat.CsvLines.quiet_texts, findings_table.Findings.record_rows

    def counted(self, findings, place, state, other=None, quiet=None):
        calls["quiet" if other is None else "mixed"] += 1
        return quiet_texts(self, findings, place, state, other, quiet)

    def places(self, rows):
        got = record_rows(self, rows)
        calls["taken"] += got is None
        return got

    def windowed(plan, value, real=stream._windowed):
        calls["windows"] += 1
        return real(plan, value)

    monkeypatch.setattr(flat.CsvLines, "quiet_texts", counted)
    monkeypatch.setattr(findings_table.Findings, "record_rows", places)
    monkeypatch.setattr(stream, "_windowed", windowed)
    delimiter = options.get("csv_delimiter", ",")
    awkward = evaluate(load_ruleset(), _awkward_synthetic(), as_of=dt.date(2025, 1, 31))
    for report in (awkward, _marked_example(tmp_path)):
        whole = report.findings_table(lang=options.get("lang", "id"), show_personal=bool(options.get("show_personal"))).table()
        expected = b"".join(_arrow_csv(part, delimiter) for part in tabular.flat_batches(report, options, rows=whole))
        out = io.StringIO()
        tabular.render_csv(report, out, options)
        assert out.getvalue().encode("utf-8").partition(b"\n")[2] == expected
    body = expected.decode("utf-8")
    held = awkward.findings_table().held
    assert held["unit_id"].null_count and any('"' in i for i in held["entity_id"].to_pylist())
    assert calls["quiet"] and calls["mixed"] and calls["taken"] and calls["windows"]
    assert body.count("\n") == len(whole)


def test_parquet_row_groups_made_of_smaller_batches_read_back_as_the_table(tmp_path, monkeypatch):
    """Parquet's row groups are made of several batches (each batch's evidence made on its own) and
    read back as the findings table; only the dictionary columns are dictionary-encoded in the file
    (ids, evidence and provenance are not hashed into a dictionary that overflows)."""
    from layanan_rules.report.formats import tabular

    monkeypatch.setattr(tabular, "PARQUET_ROWS", 1_000)
    report = evaluate(load_ruleset(), _synthetic(30, 2_000, 5), as_of=dt.date(2025, 1, 31))
    path = tmp_path / "r.parquet"
    with open(path, "wb") as out:
        tabular.render_parquet(report, out, {})
    meta = pq.ParquetFile(path).metadata
    assert meta.num_row_groups > 4 and all(meta.row_group(i).num_rows <= 1_000 for i in range(meta.num_row_groups))
    got = pq.read_table(path)
    expected = report.findings_table().table()
    assert got.schema.equals(expected.schema) and got.equals(expected)
    columns = {meta.row_group(0).column(i).path_in_schema: meta.row_group(0).column(i).encodings
               for i in range(meta.num_columns)}
    assert any("DICTIONARY" in e for e in columns["rule_id"])
    assert not any("DICTIONARY" in e for e in columns["evidence"] + columns["entity_id"])


def _marked_example(tmp_path):
    """The example with an expired and an active waiver (texts with quotes) and two attestations."""
    (tmp_path / "w.yaml").write_text(
        "- rule: UU25-21a\n  entity: layanan\n  entity_id: L3\n  reason: 'Sedang \"disusun\", bertahap'\n"
        "  legal_basis: SK 1/2025\n  approver: Kepala Dinas\n  start: 2024-01-01\n  expiry: 2024-06-30\n"
        "- rule: UU25-21b\n  entity: layanan\n  entity_id: L3\n  reason: Sedang disusun\n"
        "  legal_basis: SK 1/2025\n  approver: Kepala Dinas\n  start: 2025-01-01\n  expiry: 2025-12-31\n",
        encoding="utf-8")
    (tmp_path / "a.yaml").write_text(
        "attestations:\n"
        "  - rule: UU25-21a\n    entity: layanan\n    entity_id: L3\n    state: lulus\n"
        "    evidence: 'BA \"Pemeriksaan\" Lapangan; No. 7/2025'\n    date: 2025-01-20\n    attested_by: Tim Inspektorat\n"
        "  - rule: UU25-21a\n    entity_id: L4\n    state: fail\n    evidence: Foto papan\n    date: 2025-01-20\n",
        encoding="utf-8")
    return example_report(tmp_path / "w.yaml", tmp_path / "a.yaml")


def _arrow_csv(part, delimiter):
    import pyarrow.csv as pacsv

    got = io.BytesIO()
    pacsv.write_csv(part, got, pacsv.WriteOptions(include_header=False, delimiter=delimiter, quoting_style="needed"))
    return got.getvalue()


@pytest.mark.parametrize("options", [{}, {"lang": "en", "csv_delimiter": ";"}, {"show_personal": True, "csv_delimiter": "\t"}])
def test_csv_lines_are_what_arrows_writer_writes_of_the_flat_rows(tmp_path, monkeypatch, options):
    """``CsvLines`` (the csv's rows made as pieces of text per rule, state and unit, joined by one
    kernel) writes every batch byte for byte as Arrow's CSV writer writes the batch's flat columns:
    waived (active and expired) and attested rows, quotes in evidence, waivers and attestations,
    rows without a unit or a severity, every delimiter and language; batches whose dictionaries
    differ from the first batch's; and the column-at-a-time path for keys too wide to pack."""
    import pyarrow.compute as pc

    from layanan_rules.report import flat
    from layanan_rules.report.formats import tabular
    from layanan_rules.report.stream import Words

    monkeypatch.setattr(bulk, "SMALL_ROWS", 0)  # evidence made per batch, as text (take_batches)
    monkeypatch.setattr(flat, "CSV_LINES", 1_000)  # a batch's text made in pieces
    lang, delimiter = options.get("lang", "id"), options.get("csv_delimiter", ",")
    for rep in (_marked_example(tmp_path), evaluate(load_ruleset(), _synthetic(30, 300, 5), as_of=dt.date(2025, 1, 31))):
        batches = list(tabular._worst_first(rep, options))
        words = Words(rep, lang)
        lines = flat.CsvLines(rep, lang, delimiter)
        expected = [_arrow_csv(flat.flat_batch(words, b, lang), delimiter) for b in batches]
        assert [lines.text(b).to_pybytes() for b in batches] == expected
        assert any(b'""' in e.replace(b',"",', b"").replace(b';"";', b"") for e in expected)  # quotes doubled
        # the same rows with other dictionaries: each batch's rule, unit and reason codes re-encoded
        for b, e in zip(batches, expected):
            cols = list(b.columns)
            for name in ("rule_id", "unit_id", "reason", "chapter"):
                at = b.schema.get_field_index(name)
                plain = pc.take(pc.unique(cols[at].cast(pa.string())), pc.sort_indices(pc.unique(cols[at].cast(pa.string())),
                                                                                         sort_keys=[("", "descending")]))
                cols[at] = pa.DictionaryArray.from_arrays(pc.index_in(cols[at].cast(pa.string()), value_set=plain), plain)
            other = pa.RecordBatch.from_arrays(cols, schema=b.schema)
            assert lines.text(other).to_pybytes() == e
    rep = _marked_example(tmp_path)
    batches = list(tabular._worst_first(rep, options))
    monkeypatch.setattr(flat.CsvLines, "_key", lambda self, parts: None)  # too many values to pack
    lines = flat.CsvLines(rep, lang, delimiter)
    words = Words(rep, lang)
    assert [lines.text(b).to_pybytes() for b in batches] == [_arrow_csv(flat.flat_batch(words, b, lang), delimiter)
                                                             for b in batches]
    waived = sum(b.column("waiver_status").null_count < len(b) for b in batches)
    attested = sum(pc.any(pc.fill_null(b.column("attested"), False)).as_py() for b in batches)
    assert waived and attested  # the marks are there to write
