"""``--engine pushdown``: the rules with an SQL form run inside a real PostgreSQL, and the findings
are those of reading every row into Python (``--engine python``)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from click.testing import CliRunner
from layanan_rules_sql import SqlAdapter, testing
from layanan_rules_sql.testing import comparable_findings as findings
from layanan_rules_sql.testing import execute

from layanan_rules import evaluate
from layanan_rules.cli import cli
from layanan_rules.data.adapters import AdapterError
from layanan_rules.engine import pushdown
from layanan_rules.report.stream import findings_of

AS_OF = dt.date(2025, 1, 31)
ROOT = Path(__file__).resolve().parents[3]


def both(url: str, ruleset: Any, **kw: Any) -> tuple[Any, Any]:
    python = evaluate(ruleset, url, as_of=AS_OF, engine="python", **kw)
    pushed = evaluate(ruleset, url, as_of=AS_OF, engine="pushdown", **kw)
    return python, pushed


def decided(url: str, ruleset: Any, options: dict[str, Any] | None = None) -> pushdown.Decided:
    adapter = SqlAdapter(url, options or {})
    try:
        records, got = pushdown.read(ruleset, adapter, AS_OF)
        list(records)
    finally:
        adapter.close()
    return got


def test_example_data_same_findings_with_rules_run_in_the_database(pg_url: str, example: Any, ruleset: Any) -> None:
    testing.load_plain_json(pg_url, example)
    python, pushed = both(pg_url, ruleset)
    assert findings(pushed) == findings(python)
    got = decided(pg_url, ruleset)
    n_sql = sum(len(p.sql_rules) for p in got.plans.values())
    assert n_sql >= 40, n_sql  # most pengaduan, kerja_sama, pelaksana rules run in PostgreSQL
    assert "rules ran in the database" in pushed.notes[-1]


@pytest.fixture(scope="module")
def synth() -> Any:
    spec = importlib.util.spec_from_file_location("bench_synth", ROOT / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_synth"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_synthetic_data_same_findings_and_passing_rows_stay_in_the_database(pg_url: str, ruleset: Any,
                                                                           synth: Any) -> None:
    # small: the compiled deadline rules cost PostgreSQL milliseconds per row (docs/engines.md)
    testing.load_plain_json(pg_url, synth.build(seed=11, services=30, complaints=300))
    python, pushed = both(pg_url, ruleset)
    assert findings(pushed) == findings(python)
    # the bundled ruleset reads pengaduan through unit.pengaduan (Python rules), so every row
    # comes back; with the pengaduan rules alone, the rows where all of them pass stay behind
    alone = attrs.evolve(ruleset, rules=tuple(r for r in ruleset.rules if r.entity == "pengaduan"))
    python, pushed = both(pg_url, alone)
    assert findings(pushed) == findings(python)
    got = decided(pg_url, alone)
    assert got.plans["pengaduan"].gates  # Python rules whose 'when' the database decides
    assert 0 < got.thin["pengaduan"] < 300  # rows whose every rule passed came back as ids only


def test_values_the_converter_would_change_are_decided_in_python(pg_url: str, ruleset: Any, tmp_path: Path) -> None:
    """White space at the ends of text, blank text, naive timestamps (WIB), dates for date-times,
    other zones, text that holds an amount: each row decided as reading it into Python does."""
    execute(
        pg_url,
        "CREATE TABLE unit (id TEXT PRIMARY KEY, nama TEXT)",
        "INSERT INTO unit VALUES ('U1', 'Dinas A')",
        """CREATE TABLE aduan (nomor INTEGER PRIMARY KEY, opd TEXT, kanal TEXT, status TEXT,
               diterima TIMESTAMP, ditanggapi TIMESTAMPTZ, selesai DATE, ganti_rugi TEXT, biaya BIGINT,
               rahasia BOOLEAN, catatan TEXT)""",
        """INSERT INTO aduan VALUES
           (1, 'U1', 'web', 'selesai', '2024-12-01 08:00', '2024-12-03 10:00+07', '2024-12-20', NULL, 0, TRUE, 'x'),
           (2, 'U1', ' web ', '', '2024-12-01 23:30', '2024-12-19 01:00+09', NULL, 'Rp 10.000', 5000, NULL, NULL),
           (3, 'U1', '', NULL, NULL, NULL, '2025-01-30', '', NULL, FALSE, ''),
           (4, 'U1 ', 'sms', 'proses', '2024-11-30 23:59:59', '2024-12-31 17:00+00', '2024-12-31', '12', 10, TRUE, 'y'),
           (5, NULL, 'surat', 'selesai', '2025-01-02 00:00', '2025-01-25 12:00+07', '2025-01-02', 'seribu', NULL, NULL, NULL),
           (6, 'U1', 'web', 'selesai', '2024-10-01 09:00', NULL, NULL, NULL, NULL, NULL, NULL)""",
    )
    peta = {"entities": {"unit": {}, "pengaduan": {"table": "aduan", "columns": {
        "nomor": "id", "opd": "unit_id", "diterima": "diterima_pada", "ditanggapi": "ditanggapi_pada",
        "selesai": "selesai_pada", "biaya": "biaya_dipungut", "rahasia": "dirahasiakan", "catatan": None}}}}
    tmp = tmp_path / "peta.yaml"
    tmp.write_text(yaml.safe_dump(peta), encoding="utf-8")
    opts = {"mapping": str(tmp)}
    python, pushed = both(pg_url, ruleset, options=opts)
    assert findings(pushed) == findings(python)
    got = decided(pg_url, ruleset, opts)
    codes = got.codes["pengaduan"]
    assert 9 in codes["2"][0] and 9 in codes["4"][0]  # ' web ', 'U1 ': not clean, so Python decides them
    assert 9 not in codes["1"][0] and 9 not in codes["3"][0]
    assert got.plans["pengaduan"].sql_rules


def test_a_query_entity_runs_read_only_inside_the_pushed_query(pg_url: str, example: Any, ruleset: Any,
                                                              tmp_path: Path) -> None:
    testing.load_plain_json(pg_url, example)
    execute(pg_url, "CREATE SEQUENCE hitung")
    peta = tmp_path / "peta.yaml"
    peta.write_text(yaml.safe_dump({"entities": {"pengaduan": {
        "query": "SELECT * FROM pengaduan WHERE nextval('hitung') > 0 ORDER BY id", "key": "id"}}}), encoding="utf-8")
    with pytest.raises(AdapterError, match="read-only"):
        evaluate(ruleset, pg_url, as_of=AS_OF, engine="pushdown", options={"mapping": str(peta)})
    peta.write_text(yaml.safe_dump({"entities": {"pengaduan": {
        "query": "SELECT p.*, '50%' AS persen FROM pengaduan p ORDER BY p.id", "key": "id",
        "columns": {"persen": None}}}}), encoding="utf-8")
    python, pushed = both(pg_url, ruleset, options={"mapping": str(peta)})
    assert findings(pushed) == findings(python)


def test_cli_pushdown_prints_the_same_report_and_refuses_keep_going(pg_url: str, example: Any) -> None:
    testing.load_plain_json(pg_url, example)
    runner = CliRunner()
    out = {}
    for engine in ("python", "pushdown"):
        r = runner.invoke(cli, ["evaluate", pg_url, "--as-of", "2025-01-31", "--engine", engine, "--format", "json",
                                "--quiet"])
        assert r.exit_code in (0, 1), r.output
        out[engine] = sorted(({k: v for k, v in f.items() if k != "provenance"} for f in findings_of(json.loads(r.stdout))),
                             key=lambda f: (f["rule_id"], f["entity"], f["entity_id"]))
    assert out["pushdown"] == out["python"]
    r = runner.invoke(cli, ["evaluate", pg_url, "--engine", "pushdown", "--keep-going"])
    assert r.exit_code == 2 and "--keep-going" in r.output and "Traceback" not in r.output


def test_sqlite_is_read_into_python_and_the_report_says_so(sqlite_url: str, example: Any, ruleset: Any) -> None:
    testing.load_plain_json(sqlite_url, example)
    python, pushed = both(sqlite_url, ruleset)
    assert findings(pushed) == findings(python)
    assert pushed.notes[-1] == pushdown.NOT_PUSHED


def test_a_password_never_shows_in_a_failing_pushed_query(postgres: testing.Server, pg_url: str, example: Any,
                                                          ruleset: Any, tmp_path: Path) -> None:
    testing.load_plain_json(pg_url, example)
    peta = tmp_path / "peta.yaml"
    peta.write_text(yaml.safe_dump({"entities": {"pengaduan": {
        "query": "SELECT *, 1 / (length(id) - length(id)) AS nol FROM pengaduan", "key": "id",
        "columns": {"nol": None}}}}), encoding="utf-8")
    with pytest.raises(AdapterError) as err:
        evaluate(ruleset, pg_url, as_of=AS_OF, engine="pushdown", options={"mapping": str(peta)})
    assert "division by zero" in str(err.value)
    password = __import__("sqlalchemy").make_url(pg_url).password
    if password:
        assert password not in str(err.value)


_DAYS = ["2024-03-28", "2024-03-29", "2024-04-08", "2024-04-15", "2024-12-24", "2024-12-25", "2024-12-31",
         "2025-01-01", "2025-01-02", "2025-01-29", "2025-01-31", "2025-03-31"]
_TEXTS = [None, "", " ", "web", " web", "web ", "selesai", "SELESAI", "proses", "ringan", "berat", "pelaksana",
          "penyelenggara", "Ya", "tidak", "\u00a0sms", "sms\u3000", "x" * 300]


def test_generated_rows_same_findings(pg_url: str, ruleset: Any, tmp_path: Path) -> None:
    """A differential sample: rows of typed columns around holidays and deadlines, with NULLs,
    blanks, white space and loose spellings, judged by PostgreSQL and by Python at two dates."""
    import random

    import sqlalchemy as sa

    rng = random.Random(15)
    stamp_cols = ["pelayanan_diterima_pada", "diajukan_pada", "diterima_pada", "tanda_terima_pada", "ditanggapi_pada",
                  "dilengkapi_pada", "diputuskan_pada", "putusan_disampaikan_pada", "selesai_pada", "diperiksa_pada"]
    date_cols = ["batas_pembayaran_ganti_rugi", "digugat_pada", "penjelasan_ombudsman_diminta_pada",
                 "penjelasan_ombudsman_pada"]
    bool_cols = ["materi_lengkap", "dirahasiakan", "tuntutan_ganti_rugi", "permintaan_dokumen_dipenuhi",
                 "minta_dengar_pendapat_terpisah", "dengar_pendapat_terpisah", "keputusan_dilaksanakan"]
    text_cols = ["kanal", "status", "kelas", "sasaran", "ditujukan_kepada", "tindak_lanjut", "pemeriksa",
                 "permintaan_penyelesaian"]
    int_cols = ["ganti_rugi", "biaya_dipungut"]
    meta = sa.MetaData()
    cols = [sa.Column("id", sa.Text, primary_key=True), sa.Column("unit_id", sa.Text)]
    cols += [sa.Column(c, sa.DateTime(timezone=rng.random() < 0.7)) for c in stamp_cols]
    cols += [sa.Column(c, sa.Date) for c in date_cols] + [sa.Column(c, sa.Boolean) for c in bool_cols]
    cols += [sa.Column(c, sa.Text) for c in text_cols] + [sa.Column(c, sa.BigInteger) for c in int_cols]
    table = sa.Table("pengaduan", meta, *cols)
    unit = sa.Table("unit", meta, sa.Column("id", sa.Text, primary_key=True), sa.Column("nama", sa.Text))
    rows = []
    for i in range(400):
        row: dict[str, Any] = {"id": f"A{i:04d}" + (" " if i % 97 == 0 else ""), "unit_id": rng.choice(["U1", "U2", None])}
        for c in stamp_cols:
            if rng.random() < 0.25:
                row[c] = None
                continue
            day = dt.date.fromisoformat(rng.choice(_DAYS)) + dt.timedelta(days=rng.choice([0, 0, 1, 3, 5, 14, 30, 60]))
            stamp = dt.datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60))
            row[c] = stamp.replace(tzinfo=dt.timezone(dt.timedelta(hours=rng.choice([7, 8, 9, 0])))) \
                if table.c[c].type.timezone else stamp
        for c in date_cols:
            row[c] = None if rng.random() < 0.4 else dt.date.fromisoformat(rng.choice(_DAYS))
        for c in bool_cols:
            row[c] = rng.choice([None, True, False])
        for c in text_cols:
            row[c] = rng.choice(_TEXTS)
        for c in int_cols:
            row[c] = rng.choice([None, 0, -1, 1, 10_000, 2**62])
        rows.append(row)
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(unit.insert(), [{"id": "U1", "nama": "Dinas A"}, {"id": "U2", "nama": " Dinas B "}])
        conn.execute(table.insert(), rows)
    engine.dispose()
    for day in (dt.date(2025, 1, 2), dt.date(2025, 2, 28)):
        python = evaluate(ruleset, pg_url, as_of=day, engine="python")
        pushed = evaluate(ruleset, pg_url, as_of=day, engine="pushdown")
        assert findings(pushed) == findings(python), day
