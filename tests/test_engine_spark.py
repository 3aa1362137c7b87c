"""``--engine spark``: the compiled Spark SQL run by a real Spark in local mode gives the Python
engine's findings (state, reason, message, evidence) for every rule, on the example data and on
synthetic data; the spark-submit entry point writes the findings table and the report.

One Spark session (``local[2]``, 1 GB) serves the whole module: starting the JVM costs seconds."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from support import EXAMPLE_JSON, ROOT

from layanan_rules import evaluate, load_ruleset
from layanan_rules.report.stream import findings_of

AS_OF = dt.date(2025, 1, 31)


@pytest.fixture(scope="module")
def spark() -> Any:
    pytest.importorskip("pyspark", reason="pyspark not installed (pip install -e '.[spark]')")
    if shutil.which("java") is None:
        pytest.skip("Java not installed (Spark needs Java 17+: apt-get install openjdk-17-jre-headless)")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("layanan-rules-test")
               .config("spark.driver.memory", "1g").config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "2")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def rules() -> Any:
    return load_ruleset()


def comparable(report: Any) -> list[dict[str, Any]]:
    return ordered(findings_of(report.to_dict()))


def ordered(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings without provenance (a file and a dict are different sources), sorted."""
    out = [{k: v for k, v in f.items() if k != "provenance"} for f in findings]
    return sorted(out, key=lambda f: (f["rule_id"], f["entity"], f["entity_id"]))


def test_example_data_gives_the_python_findings(spark: Any, rules: Any) -> None:
    from layanan_rules.engine import spark as spark_engine

    data = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    in_spark = [r.id for r in rules.rules if spark_engine.choice(rules, r).backend == "spark"]
    assert len(in_spark) >= 60, len(in_spark)
    python = evaluate(rules, data, as_of=AS_OF, engine="python")
    got = evaluate(rules, data, as_of=AS_OF, engine="spark")
    assert comparable(got) == comparable(python)
    assert {f["state"] for f in comparable(got)} >= {"pass", "fail", "not_applicable"}


def test_synthetic_data_gives_the_python_findings(spark: Any, rules: Any) -> None:
    spec = importlib.util.spec_from_file_location("bench_synth", ROOT / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    synth = importlib.util.module_from_spec(spec)
    sys.modules["bench_synth"] = synth
    spec.loader.exec_module(synth)
    data = synth.build(seed=7, services=60, complaints=600)
    python = evaluate(rules, data, as_of=AS_OF, engine="python")
    got = evaluate(rules, data, as_of=AS_OF, engine="spark")
    assert comparable(got) == comparable(python)


def test_spark_submit_entry_writes_the_findings_table_and_the_report(spark: Any, rules: Any, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from layanan_rules.cli import spark_submit

    example = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    small = {e: example[e] for e in ("penyelenggara", "unit", "pengaduan")}  # three entities: three Spark jobs
    data = tmp_path / "data.json"
    data.write_text(json.dumps(small), encoding="utf-8")
    table, report = tmp_path / "findings.parquet", tmp_path / "laporan.json"
    with pytest.raises(SystemExit) as done:
        spark_submit.main([str(data), "--as-of", "2025-01-31", "--quiet", "--format", "parquet", "-o",
                           str(table), "--format", "json", "-o", str(report)])
    assert done.value.code in (0, 1)
    python = evaluate(rules, small, as_of=AS_OF, engine="python")
    written = json.loads(report.read_text(encoding="utf-8"))
    assert ordered(findings_of(written)) == comparable(python)
    assert pq.read_table(table).num_rows == sum(python.counts().values())


def test_spark_submit_path_is_this_module() -> None:
    from layanan_rules.cli import spark_submit

    assert Path(spark_submit.__file__).name == "spark_submit.py"


def test_generated_records_give_the_python_states_and_reasons(spark: Any, rules: Any) -> None:
    """The differential of ``test_engine_sql`` (half of the records spoiled: absent, null, blank,
    malformed, moved onto holidays; several ``as_of``) with Spark as the other engine: every
    rule, every record, the same (state, reason). Two examples (a Spark job per entity each)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from test_engine_sql import _synth, datasets, read_data_from

    from layanan_rules import engine
    from layanan_rules.engine import spark as spark_engine

    base = _synth().build(seed=11, services=30, complaints=300)

    @settings(max_examples=2, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(datasets(base))
    def check(drawn: Any) -> None:
        data, as_of = drawn
        a = engine.run(rules, read_data_from(data), as_of=as_of)
        b = spark_engine.run(rules, read_data_from(data), as_of=as_of, spark=spark)
        assert [blk[0].id for blk in a.blocks] == [blk[0].id for blk in b.blocks]
        differ = []
        for (rule, records, s1, e1), (_r, _recs, s2, e2) in zip(a.blocks, b.blocks):
            for i, rec in enumerate(records):
                x, y = (s1[i], e1.get(i, (None,))[0]), (s2[i], e2.get(i, (None,))[0])
                if x != y:
                    differ.append((rule.id, rec.id, x, y))
        assert differ[:5] == [], f"{len(differ)} (rule, record) pairs differ"
        assert sum(len(blk[1]) for blk in a.blocks) > 1000  # thousands of (rule, record) pairs compared

    check()


def test_rules_show_and_list_name_each_engines_back_end() -> None:
    """``rules show`` and ``rules list --json`` say per engine where each rule runs, and why Python."""
    from click.testing import CliRunner

    from layanan_rules.cli import cli

    r = CliRunner().invoke(cli, ["rules", "show", "UU25-21a"], catch_exceptions=False)
    assert "--engine duckdb: duckdb" in r.output and "--engine spark: spark" in r.output
    assert "--engine pushdown" in r.output
    r = CliRunner().invoke(cli, ["rules", "list", "--json"], catch_exceptions=False)
    rules = json.loads(r.output)["rules"]
    for engine in ("duckdb", "spark"):
        got = [x["backends"][engine] for x in rules]
        assert {g["backend"] for g in got} == {engine, "python"}
        assert all((g["backend"] == "python") == bool(g["reason"]) for g in got)
    assert all(x["backend"] == x["backends"]["duckdb"]["backend"] for x in rules)


# --- Spark reading the Parquet itself (engine.spark.scan) ----------------------------------------------------


def write_parquet_folder(data: dict[str, Any], folder: Path) -> Path:
    """One ``<entity>.parquet`` per entity of the plain JSON form ``data`` (what ``evaluate DIR`` reads)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True)
    for entity, recs in data.items():
        if isinstance(recs, list) and recs:
            pq.write_table(pa.Table.from_pylist(recs), folder / f"{entity}.parquet")
    return folder


def python_findings(rules: Any, location: Path, as_of: dt.date) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    from layanan_rules import engine, read_data

    out = {}
    for rule, records, states, errors in engine.run(rules, read_data(str(location)), as_of=as_of).blocks:
        for i, rec in enumerate(records):
            err = errors.get(i)
            out[(rule.id, rec.entity, rec.id)] = (states[i].value, err[0].value if err and err[0] else None,
                                                   err[1] if err else None)
    return out


def spark_scan_findings(spark: Any, rules: Any, location: Path, as_of: dt.date, out: Path) -> tuple[Any, dict]:
    import pyarrow.parquet as pq

    from layanan_rules.engine import spark as spark_engine

    got = spark_engine.scan(rules, location, as_of=as_of, out=out, spark=spark)
    rows = pq.read_table(out).to_pylist()
    findings = {(r["rule_id"], r["entity"], r["entity_id"]): (r["state"], r["reason"], r["message"]) for r in rows}
    assert len(findings) == len(rows)  # one row per (rule, record)
    counted = {rid: sum(c.values()) for rid, c in got.counts.items()}
    assert sum(counted.values()) == len(rows)
    return got, findings


def differences(a: dict, b: dict, limit: int = 5) -> list[Any]:
    return [(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)][:limit]


def test_scan_reads_the_example_parquet_and_gives_the_python_findings(spark: Any, rules: Any, tmp_path: Path) -> None:
    """The example data (as ``export`` writes it: values structured) as a Parquet folder: Spark reads
    the files, decides the Spark SQL rules, the rest run in Python on the fields they read; every
    (rule, record) has the Python engine's state, reason and message."""
    from layanan_rules.data.dataset import Dataset

    structured = Dataset.from_json(json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))).to_json()
    folder = write_parquet_folder(structured, tmp_path / "contoh.parquet")
    import pyarrow.parquet as pq

    from layanan_rules.cli import spark_submit

    table, summary = tmp_path / "findings.parquet", tmp_path / "summary.json"
    with pytest.raises(SystemExit) as done:  # through the spark-submit entry point
        spark_submit.main([str(folder), "--as-of", AS_OF.isoformat(), "--findings", str(table), "--summary",
                           str(summary)])
    assert done.value.code == 0
    rows = pq.read_table(table).to_pylist()
    findings = {(r["rule_id"], r["entity"], r["entity_id"]): (r["state"], r["reason"], r["message"]) for r in rows}
    assert len(findings) == len(rows)  # one row per (rule, record)
    python = python_findings(rules, folder, AS_OF)
    assert differences(python, findings) == []
    assert {s for s, _r, _m in findings.values()} >= {"pass", "fail", "not_applicable"}
    got = json.loads(summary.read_text(encoding="utf-8"))
    assert sum(sum(c.values()) for c in got["counts"].values()) == len(rows)
    assert sum(got["sql_records"].values()) >= 30  # Spark decided records itself ...
    assert "pengaduan" in got["python_rules"]  # ... and some rules ran in Python, and the notes say why
    assert any("kasus" in n and n.startswith("layanan") for n in got["notes"])


def test_scan_synthetic_parquet_with_spoiled_values(spark: Any, tmp_path: Path) -> None:
    """Synthetic complaints with text values the model reads otherwise (Indonesian dates, impossible
    dates, blanks, dates without seconds, ``Z``, fractions): those records go to Python whole, the
    others are decided in Spark; the same findings as the Python engine either way."""
    import random

    spec = importlib.util.spec_from_file_location("bench_synth", ROOT / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    synth = importlib.util.module_from_spec(spec)
    sys.modules["bench_synth"] = synth
    spec.loader.exec_module(synth)
    bench_rules = load_ruleset(ROOT / "bench" / "ruleset")
    data = synth.build(seed=5, services=30, complaints=400)
    text_fields = sorted(k for k, v in data["pengaduan"][0].items() if isinstance(v, str) and k != "id")
    spoilers = [None, "", "  ", "-", "31/02/2024", "2024-13-01", "9 Januari 2024", "2024-02-29",
                "2024-12-25T23:59:59+07:00", "2024-12-25T23:59:59Z", "2024-12-25 08:00", "2024-12-25T24:00",
                "1969-12-31T23:00:00", "2024-06-01T10:00:00.5+07:00", "0000-01-01", "2024-06-01\n",
                # around the one-match path of engine.columns: the canonical shape and its near misses
                "2024-12-25T23:59:59-07:00", "2024-12-25T23:59:59+24:00", "2024-12-25T23:59:59+07:60",
                "2024-12-25t23:59:59+07:00", "02024-12-25T23:59:59+07:00", "2024-12-25T23:59:59+0700",
                "2024-12-25T23:59:59+07:00 ", "2024-02-30T10:00:00+07:00", "2024-12-25T24:00:00+07:00",
                "2024-12-25 23:59:59+07:00", "1970-01-01T00:00:00+07:00", "1969-12-31T23:59:59+07:00", "1900-01-01"]
    rnd = random.Random(3)
    for _ in range(250):
        data["pengaduan"][rnd.randrange(400)][rnd.choice(text_fields)] = rnd.choice(spoilers)
    folder = write_parquet_folder(data, tmp_path / "synth.parquet")
    as_of = dt.date(2024, 4, 8)
    got, findings = spark_scan_findings(spark, bench_rules, folder, as_of, tmp_path / "findings.parquet")
    python = python_findings(bench_rules, folder, as_of)
    assert differences(python, findings) == []
    assert len(findings) > 3000
    assert got.sql_records["pengaduan"] > 250
    assert got.python_records.get("pengaduan", 0) > 0  # the spoiled ones
