"""``evaluate --engine duckdb`` on Parquet / JSON Lines through DuckDB reading the file itself
(engine.scan), against the Python engine through the CLI; ``export -o X.parquet``."""

from __future__ import annotations

import itertools
import json

import pytest
from click.testing import CliRunner
from support import EXAMPLE_JSON, ROOT
from test_engine_scan import ODD_LINES, write_lines
from test_engine_sql import _synth

from layanan_rules.cli import cli

pytest.importorskip("duckdb")
pq = pytest.importorskip("pyarrow.parquet")
pa = pytest.importorskip("pyarrow")

AS_OF = "2025-01-01"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def rows(path):
    table = pq.read_table(path)
    got = {}
    for r in table.to_pylist():
        key = (r["rule_id"], r["entity"], r["entity_id"])
        assert key not in got  # one row per (rule, record)
        got[key] = (r["state"], r["reason"], r["message"])
    return got


def counts_by_rule(found):
    out: dict[str, dict[str, int]] = {}
    for (rid, _e, _i), (state, _r, _m) in found.items():
        out.setdefault(rid, {}).setdefault(state, 0)
        out[rid][state] += 1
    return out


def summary(stderr):
    return [line for line in stderr.splitlines() if line.startswith("temuan / findings:")]


def both(data, tmp_path, *extra):
    """The Python engine's and DuckDB's run of ``data`` to Parquet: (result, findings, metadata) each."""
    out = {}
    for engine in ("python", "duckdb"):
        path = tmp_path / f"{engine}.parquet"
        r = run("evaluate", str(data), "--as-of", AS_OF, "--engine", engine, "--format", "parquet", "-o", str(path),
                *extra)
        out[engine] = (r, rows(path), pq.read_schema(path).metadata)
    return out


def check_same(got):
    (ra, a, meta_a), (rb, b, meta_b) = got["python"], got["duckdb"]
    assert b"layanan_rules.report" in meta_a and b"layanan_rules.scan" in meta_b  # the DuckDB path was taken
    assert "catatan / note: --engine duckdb" not in rb.stderr
    diffs = [(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    assert diffs[:5] == []
    assert counts_by_rule(a) == counts_by_rule(b)
    assert summary(ra.stderr) == summary(rb.stderr) and len(summary(rb.stderr)) == 1
    assert ra.exit_code == rb.exit_code
    return a


def test_example_as_parquet_same_findings_and_summary(tmp_path):
    folder = tmp_path / "contoh.parquet"
    r = run("export", str(EXAMPLE_JSON), "-o", str(folder))
    assert r.exit_code == 0 and (folder / "pengaduan.parquet").is_file()
    a = check_same(both(folder, tmp_path))
    assert len(a) > 400
    # the Python engine over the exported Parquet decides as over the JSON it came from
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", AS_OF, "--format", "parquet", "-o", str(tmp_path / "j.parquet"))
    assert rows(tmp_path / "j.parquet") == a
    for fail_on in ("critical", "high"):  # the exit code follows --fail-on the same way
        codes = [run("evaluate", str(folder), "--as-of", AS_OF, "--engine", e, "--format", "parquet", "-o",
                     str(tmp_path / f"{e}-{fail_on}.parquet"), "--fail-on", fail_on).exit_code
                 for e in ("python", "duckdb")]
        assert codes[0] == codes[1]


@pytest.fixture(scope="module")
def synthetic():
    return _synth().build(seed=7, services=80, complaints=1200)


def _parquet_folder(data, folder):
    folder.mkdir()
    for entity, recs in data.items():
        if recs:
            keys = list(dict.fromkeys(k for r in recs for k in r))
            pq.write_table(pa.table({k: [r.get(k) for r in recs] for k in keys}), folder / f"{entity}.parquet")


def test_synthetic_parquet_same_findings_and_summary(synthetic, tmp_path):
    data = {e: [dict(r) for r in recs] for e, recs in synthetic.items()}
    for i in range(0, 1200, 7):  # spoiled: a date only the model's parser reads, blanks, nulls
        data["pengaduan"][i]["diterima_pada"] = ["9 Januari 2024 pukul 10.27", "", None][i % 3]
    folder = tmp_path / "synth.parquet"
    _parquet_folder(data, folder)
    check_same(both(folder, tmp_path))
    # the bench's rules too (a ruleset given as a folder)
    bench = tmp_path / "bench"
    bench.mkdir()
    check_same(both(folder, bench, "--ruleset", str(ROOT / "bench" / "ruleset")))


def test_synthetic_jsonl_same_findings_and_summary(synthetic, tmp_path):
    path = tmp_path / "synth.jsonl"
    write_lines(path, synthetic, ODD_LINES)
    a = check_same(both(path, tmp_path))
    assert any(k[2] == "IND-1" for k in a)  # a line only the model reads: decided in Python, in the table


def test_requests_duckdb_cannot_serve_fall_back_with_a_note(tmp_path):
    folder = tmp_path / "contoh.parquet"
    run("export", str(EXAMPLE_JSON), "-o", str(folder))
    py = run("evaluate", str(folder), "--as-of", AS_OF, "--engine", "python", "--format", "json")
    r = run("evaluate", str(folder), "--as-of", AS_OF, "--engine", "duckdb", "--format", "json")
    notes = [line for line in r.stderr.splitlines() if line.startswith("catatan / note: --engine duckdb")]
    assert len(notes) == 1 and "format json" in notes[0] and " / " in notes[0]
    assert json.loads(r.stdout)["summary"]["states"] == json.loads(py.stdout)["summary"]["states"]
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", AS_OF, "--engine", "duckdb", "--format", "parquet",
            "-o", str(tmp_path / "x.parquet"))
    assert "Parquet dan JSON Lines" in r.stderr and b"layanan_rules.report" in pq.read_schema(tmp_path / "x.parquet").metadata
    r = run("evaluate", str(folder), "--as-of", AS_OF, "--engine", "duckdb", "--format", "parquet",
            "-o", str(tmp_path / "y.parquet"), "--fail-under", "50")
    assert "--fail-under" in r.stderr and b"layanan_rules.report" in pq.read_schema(tmp_path / "y.parquet").metadata
    r = run("evaluate", str(folder), "--as-of", AS_OF, "--engine", "duckdb", "--format", "parquet",
            "-o", str(tmp_path / "z.parquet"), "--quiet")
    assert r.stderr == ""


def test_auto_takes_duckdb_from_the_threshold_when_every_rule_has_an_sql_form(synthetic, tmp_path, monkeypatch):
    from layanan_rules.cli import scanned

    folder = tmp_path / "synth.parquet"
    _parquet_folder(synthetic, folder)
    bench = ("--ruleset", str(ROOT / "bench" / "ruleset"))

    def meta(*extra):
        path = tmp_path / "auto.parquet"
        run("evaluate", str(folder), "--as-of", AS_OF, "--format", "parquet", "-o", str(path), *extra)
        return set(pq.read_schema(path).metadata)

    assert b"layanan_rules.report" in meta(*bench)  # below the threshold: Python
    monkeypatch.setattr(scanned, "AUTO_FROM", 1000)
    assert b"layanan_rules.scan" in meta(*bench)
    assert b"layanan_rules.report" in meta()  # the bundled ruleset has rules without an SQL form: Python


def test_export_parquet_writes_parquet(tmp_path):
    folder = tmp_path / "out.parquet"
    assert run("export", str(EXAMPLE_JSON), "-o", str(folder)).exit_code == 0
    assert pq.read_table(folder / "layanan.parquet").num_rows == 5  # Parquet, not JSON
    assert run("export", str(EXAMPLE_JSON), "-o", str(folder)).exit_code == 0  # its own folder is replaced
    (tmp_path / "taken.parquet").write_text("x")
    r = run("export", str(EXAMPLE_JSON), "-o", str(tmp_path / "taken.parquet"))
    assert r.exit_code == 2 and "taken.parquet" in r.stderr and "Traceback" not in r.stderr
    mixed = tmp_path / "mixed.json"  # a field that is a number in one record and text in another
    mixed.write_text(json.dumps({"layanan": [{"id": "A", "nama": "x", "standar": {"biaya": 5}},
                                             {"id": "B", "nama": "y", "standar": {"biaya": "gratis"}}]}))
    r = run("export", str(mixed), "-o", str(tmp_path / "m.parquet"))
    assert r.exit_code in (0, 2) and "Traceback" not in r.stderr
    if r.exit_code == 2:
        assert "m.parquet" in r.stderr and ".json" in r.stderr


def _written_order(path):
    return [(r["rule_id"], r["entity"], r["entity_id"], r["row"]) for r in pq.read_table(
        path, columns=["rule_id", "entity", "entity_id", "row"]).to_pylist()]


def _input(kind, synthetic, tmp_path):
    data = {e: [dict(r) for r in recs] for e, recs in synthetic.items()}
    if kind == "example":
        folder = tmp_path / "contoh.parquet"
        assert run("export", str(EXAMPLE_JSON), "-o", str(folder)).exit_code == 0
        return folder
    if kind == "jsonl":
        path = tmp_path / "synth.jsonl"
        write_lines(path, data, ODD_LINES)
        return path
    if kind == "spoiled":  # records DuckDB gives up on: rows decided in Python inside SQL rules
        for i in range(0, 1200, 7):
            data["pengaduan"][i]["diterima_pada"] = ["9 Januari 2024 pukul 10.27", "", None][i % 3]
        data["unit"].append({**data["unit"][0], "nama": "Unit kembar"})  # an id twice: the window's order
    folder = tmp_path / f"{kind}.parquet"
    _parquet_folder(data, folder)
    return folder


@pytest.mark.parametrize("kind", ["example", "clean", "spoiled", "jsonl"])
def test_findings_file_is_the_same_bytes_run_to_run(kind, synthetic, tmp_path):
    """An auditor hashes the findings file: two runs (other hash seeds, other processes) write the
    same bytes. The order: the rules in the ruleset's order, within a rule the rows DuckDB decided,
    then those decided in Python, each in input order; on input DuckDB reads whole, the Python
    engine's order."""
    import os
    import subprocess

    from serving import command

    from layanan_rules import load_ruleset

    data = _input(kind, synthetic, tmp_path)
    written = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}.parquet"
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1700000000"}
        r = subprocess.run([*command(), "evaluate", str(data), "--as-of", AS_OF, "--engine", "duckdb", "--format",
                            "parquet", "-o", str(out)], check=False, env=env, capture_output=True, text=True)
        assert r.returncode in (0, 1), r.stderr
        assert b"layanan_rules.scan" in pq.read_schema(out).metadata  # the DuckDB path was taken
        written.append(out.read_bytes())
    assert written[0] == written[1]
    order = _written_order(tmp_path / "run1.parquet")
    ids = [r.id for r in load_ruleset().rules]
    blocks = [rid for k, (rid, *_x) in enumerate(order) if k == 0 or order[k - 1][0] != rid]
    assert blocks == sorted(set(blocks), key=ids.index)  # one block per rule, in the ruleset's order
    for rid in blocks:  # within a rule: rows ascending, but for the rows decided in Python after those in SQL
        rows = [row for r, _e, _i, row in order if r == rid]
        assert sum(a > b for a, b in itertools.pairwise(rows)) <= 1
    if kind == "clean":  # DuckDB read every record: the Python engine's order exactly
        py = tmp_path / "python.parquet"
        assert run("evaluate", str(data), "--as-of", AS_OF, "--engine", "python", "--format", "parquet",
                   "-o", str(py)).exit_code in (0, 1)
        theirs = [(r["rule_id"], r["entity"], r["entity_id"]) for r in pq.read_table(
            py, columns=["rule_id", "entity", "entity_id"]).to_pylist()]
        assert [o[:3] for o in order] == theirs


def test_masked_messages_keep_the_order(synthetic, tmp_path):
    """Messages masked (a map beside the rows, not a join): the same rows in the same order, each
    message as ``mask`` gives it."""
    import datetime as dt

    import yaml

    from layanan_rules import load_ruleset
    from layanan_rules.engine import scan

    data = _input("spoiled", synthetic, tmp_path)
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "ruleset.yaml").write_text((ROOT / "bench" / "ruleset" / "ruleset.yaml").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    rules = [{"id": rid, "title": {"id": rid, "en": rid}, "legal_basis": [{"act": "UU 25/2009", "article": "42"}],
              "applies_to": "pengaduan", "require": text, "severity": "medium",
              "remedy": {"id": "Perbaiki.", "en": "Fix it."}} for rid, text in (
        ("M-int", "int(pengaduan.status) > 0"),  # an error with the value in its message, per complaint
        ("M-day", "pengaduan.diterima_pada < timestamp('2024-06-01T00:00:00Z')"))]
    (folder / "rules.yaml").write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    ruleset = load_ruleset(folder)
    plain = scan.scan(ruleset, data, as_of=dt.date(2025, 1, 1), out=tmp_path / "plain.parquet")
    masked = scan.scan(ruleset, data, as_of=dt.date(2025, 1, 1), out=tmp_path / "masked.parquet",
                       mask=lambda entity, message: f"<{entity}> {message[::-1]}")
    a = pq.read_table(plain.findings).to_pylist()
    b = pq.read_table(masked.findings).to_pylist()
    assert sum(r["message"] is not None for r in a) > 10 and masked.python_records["pengaduan"] > 10
    assert [{**r, "message": None if r["message"] is None else f"<{r['entity']}> {r['message'][::-1]}"}
            for r in a] == b
