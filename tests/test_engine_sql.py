"""The DuckDB back end (``--engine duckdb``) against the Python engine: the same findings.

Agreement is this back end's law: every rule of the bundled ruleset gives the same state and
reason for every record through both engines, on the example data and on generated records
(absent fields, nulls, blanks, malformed values, dates around holidays and deadlines). Bounded
here; ``python bench/bench_sql.py --agree`` runs the same comparison on large data.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from support import EXAMPLE_JSON, ROOT

from layanan_rules import engine, read_data
from layanan_rules.cli import cli
from layanan_rules.engine import sql

AS_OF = dt.date(2025, 6, 1)


def _synth():
    spec = importlib.util.spec_from_file_location("bench_synth", ROOT / "bench" / "synth.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_synth"] = mod
    spec.loader.exec_module(mod)
    return mod


def disagreements(ruleset, data, as_of=AS_OF, limit=5):
    """(rule, record id, python (state, reason), duckdb (state, reason)) where the engines differ."""
    a = engine.run(ruleset, data, as_of=as_of)
    b = sql.run(ruleset, data, as_of=as_of)
    assert [blk[0].id for blk in a.blocks] == [blk[0].id for blk in b.blocks]
    out = []
    for (rule, records, s1, e1), (_r, _recs, s2, e2) in zip(a.blocks, b.blocks):
        for i, rec in enumerate(records):
            x = (s1[i], e1.get(i, (None,))[0])
            y = (s2[i], e2.get(i, (None,))[0])
            if x != y:
                out.append((rule.id, rec.id, x, y))
                if len(out) >= limit:
                    return out
    return out


def test_plan_names_a_back_end_for_every_rule_and_why_python(ruleset):
    plan = sql.plan(ruleset)
    assert set(plan) == {r.id for r in ruleset.rules}
    on_sql = [rid for rid, c in plan.items() if c.backend == "duckdb"]
    on_python = {rid: c.reason for rid, c in plan.items() if c.backend == "python"}
    assert len(on_sql) > len(ruleset.rules) / 2
    assert on_python and all(on_python.values())  # every fallback says why
    assert "unsur_maklumat" in on_python["UU25-22-1"]
    assert "UU25-50-1" in on_sql  # batas_waktu in calendar days (the ruleset's default parameters)


def test_example_data_same_findings(ruleset):
    data = read_data(str(EXAMPLE_JSON))
    assert disagreements(ruleset, data) == []


def test_example_workbook_same_findings(ruleset):
    pytest.importorskip("layanan_rules_spreadsheet")
    data = read_data(str(ROOT / "examples" / "dinas-contoh.xlsx"))
    assert disagreements(ruleset, data, as_of=dt.date(2025, 1, 31)) == []


def test_messages_match_too_on_the_example(ruleset):
    data = read_data(str(EXAMPLE_JSON))
    a = engine.run(ruleset, data, as_of=AS_OF)
    b = sql.run(ruleset, data, as_of=AS_OF)
    for (rule, _recs, _s1, e1), (_r, _rs, _s2, e2) in zip(a.blocks, b.blocks):
        assert e1 == e2, rule.id


def test_the_findings_table_is_the_same(ruleset):
    """The report's contract (report/table.py): every back end produces the same Arrow table."""
    from layanan_rules import evaluate

    data = read_data(str(EXAMPLE_JSON))
    a = evaluate(ruleset, data, as_of=AS_OF, engine="python").to_arrow(evidence="all")
    b = evaluate(ruleset, data, as_of=AS_OF, engine="duckdb").to_arrow(evidence="all")
    assert a.schema.equals(b.schema, check_metadata=True)
    assert a.num_rows == b.num_rows > 400
    assert a.equals(b)


# --- generated records ------------------------------------------------------------------------------------

#: what a cell of real data can hold instead of a good value
_BAD = st.sampled_from([None, "", "  ", "-", "tidak tahu", "31/02/2024", "2024-13-01", 0, -1, 10**20, True,
                        "ya", "12,5", [], {}, ["x"], "2024-02-29", "2024-12-25T23:59:59+07:00"])
#: dates around national holidays, cuti bersama and year ends (WIB)
_DAYS = st.sampled_from(["2024-03-28", "2024-03-29", "2024-04-08", "2024-04-15", "2024-12-24", "2024-12-31",
                         "2025-01-01", "2025-03-28", "2025-03-31", "2025-04-07", "2025-05-29", "2025-06-01",
                         "2025-06-02"])


def _mutation(record: dict) -> st.SearchStrategy:
    keys = sorted(k for k in record if k != "id")
    return st.tuples(st.sampled_from(keys), st.sampled_from(["drop", "bad", "day", "time", "nested"]), _BAD, _DAYS,
                     st.integers(0, 23))


def _mutate(record: dict, muts) -> dict:
    rec = copy.deepcopy(record)
    for key, how, bad, day, hour in muts:
        if key not in rec:
            continue
        if how == "drop":
            del rec[key]
        elif how == "bad":
            rec[key] = bad
        elif how == "day" and isinstance(rec[key], str) and rec[key][:2] == "20":
            rec[key] = day
        elif how == "time" and isinstance(rec[key], str) and rec[key][:2] == "20":
            rec[key] = f"{day}T{hour:02d}:30:00+07:00"
        elif how == "nested" and isinstance(rec[key], dict) and rec[key]:
            inner = sorted(rec[key])
            rec[key] = dict(rec[key])
            rec[key][inner[hour % len(inner)]] = bad
    return rec


@pytest.fixture(scope="module")
def base():
    return _synth().build(seed=7, services=40, complaints=400)


@st.composite
def datasets(draw, base):
    data = {k: list(v) for k, v in base.items()}
    for entity in ("layanan", "pengaduan", "unit"):
        recs = data[entity]
        picked = draw(st.lists(st.integers(0, len(recs) - 1), min_size=len(recs) // 2, max_size=len(recs) // 2))
        for i in picked:
            if len(recs[i]) < 2:  # spoiled down to its id already
                continue
            recs[i] = _mutate(recs[i], draw(st.lists(_mutation(recs[i]), min_size=1, max_size=4)))
    as_of = draw(st.sampled_from([dt.date(2024, 4, 8), dt.date(2025, 1, 1), dt.date(2025, 6, 1), dt.date(2026, 1, 2)]))
    return data, as_of


def test_generated_records_same_findings(ruleset, base):
    """Thousands of (rule, record) pairs per example: half of the records spoiled in up to four
    fields each (absent, null, blank, malformed, moved onto holidays), several ``as_of``."""

    @settings(max_examples=4, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(datasets(base))
    def check(drawn):
        data, as_of = drawn
        ds = read_data_from(data)
        assert disagreements(ruleset, ds, as_of=as_of) == []

    check()


def read_data_from(data: dict):
    from layanan_rules.data.dataset import Dataset

    return Dataset.from_json(data)


# --- the command line and the Parquet input ---------------------------------------------------------------


def test_cli_engine_duckdb_prints_what_python_prints(tmp_path):
    outs = {}
    for eng in ("python", "duckdb"):
        out = tmp_path / f"{eng}.json"
        r = CliRunner().invoke(cli, ["evaluate", str(EXAMPLE_JSON), "--as-of", "2025-06-01", "--engine", eng,
                                     "--format", "json", "-o", str(out), "-q"], catch_exceptions=False)
        assert r.exit_code == 1, r.output  # the example has failures
        doc = json.loads(out.read_text(encoding="utf-8"))
        doc.pop("generated_at", None)
        outs[eng] = doc
    assert outs["python"] == outs["duckdb"]


def test_rules_show_and_list_name_the_back_end():
    r = CliRunner().invoke(cli, ["rules", "show", "UU25-22-1"], catch_exceptions=False)
    assert "--engine duckdb: python (fungsi 'unsur_maklumat' tidak punya bentuk SQL" in r.output
    r = CliRunner().invoke(cli, ["rules", "show", "UU25-21a"], catch_exceptions=False)
    assert "--engine duckdb: duckdb" in r.output
    r = CliRunner().invoke(cli, ["rules", "list", "--json"], catch_exceptions=False)
    rules = json.loads(r.output)["rules"]
    assert {x["backend"] for x in rules} == {"duckdb", "python"}
    assert all((x["backend"] == "python") == bool(x["backend_reason"]) for x in rules)


def test_auto_chooses_by_size(monkeypatch):
    assert sql.choose("python", 10**9) == "python"
    assert sql.choose("duckdb", 1) == "duckdb"
    monkeypatch.setattr(sql, "AUTO_FROM", None)  # the default, as measured: Python at every size
    assert sql.choose("auto", 10**9) == "python"
    monkeypatch.setattr(sql, "AUTO_FROM", 1000)  # LAYANAN_RULES_DUCKDB_FROM=1000
    assert sql.choose("auto", 999) == "python"
    assert sql.choose("auto", 1000) == "duckdb"
    with pytest.raises(ValueError, match="engine"):
        sql.choose("spark", 1)


def test_parquet_folder_and_file_read_as_the_json(tmp_path, ruleset):
    synth = _synth()
    folder = tmp_path / "data.parquet"
    synth.write_parquet(str(folder), 3, 30, 300)
    data = synth.build(seed=3, services=30, complaints=300)
    (tmp_path / "data.json").write_text(json.dumps(data), encoding="utf-8")
    a = read_data(str(tmp_path / "data.json"))
    b = read_data(str(folder))
    assert {e: [r.obj for r in rs] for e, rs in a.records.items()} == {e: [r.obj for r in rs] for e, rs in b.records.items()}
    assert b.records["pengaduan"][4].provenance.row == 5
    one = read_data(str(folder / "pengaduan.parquet"))
    assert [e for e, rs in one.records.items() if rs] == ["pengaduan"] and len(one.records["pengaduan"]) == 300


def test_parquet_of_unknown_entity_is_a_clear_error(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "data.parquet"
    pq.write_table(pa.table({"id": ["1"]}), path)
    r = CliRunner().invoke(cli, ["evaluate", str(path)])
    assert r.exit_code == 2
    assert "entity=" in r.output and "data.parquet" in r.output
    r = CliRunner().invoke(cli, ["evaluate", str(path), "--option", "entity=layanan", "-q"])
    assert r.exit_code in (0, 1), r.output


def test_engine_duckdb_without_duckdb_is_a_clear_error(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_duckdb(name, *args, **kwargs):
        if name == "duckdb":
            raise ImportError("no duckdb")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_duckdb)
    r = CliRunner().invoke(cli, ["evaluate", str(EXAMPLE_JSON), "--engine", "duckdb", "-q"])
    assert r.exit_code == 2
    assert "pip install duckdb" in r.output


def test_auto_gives_what_duckdb_gives(ruleset):
    data = json.loads(Path(EXAMPLE_JSON).read_text(encoding="utf-8"))
    from layanan_rules import evaluate

    report = evaluate(ruleset, data, as_of=AS_OF)  # auto
    assert report.counts_by_rule() == evaluate(ruleset, data, as_of=AS_OF, engine="duckdb").counts_by_rule()


def test_the_plan_is_kept_per_ruleset(ruleset, tmp_path, monkeypatch):
    """``rules list --json`` compiles every rule once per ruleset, then reads the plan back."""
    from layanan_rules.expr import cache as expr_cache

    monkeypatch.setattr(expr_cache, "root", lambda: tmp_path)
    first = sql.plan(ruleset)
    kept = list((tmp_path / "sql-plans").glob("*.json"))
    assert len(kept) == 1
    assert sql.plan(ruleset) == first
    stored = json.loads(kept[0].read_text(encoding="utf-8"))
    stored["UU25-21a"] = ["python", "changed on disk"]  # proves the second answer came from the file
    kept[0].write_text(json.dumps(stored), encoding="utf-8")
    assert sql.plan(ruleset)["UU25-21a"] == sql.Choice("python", "changed on disk")
