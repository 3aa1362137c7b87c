"""The sql adapter against real PostgreSQL, MariaDB and SQLite databases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from click.testing import CliRunner
from layanan_rules_sql import SqlAdapter, testing
from layanan_rules_sql.testing import comparable_findings as findings
from layanan_rules_sql.testing import execute

from layanan_rules import Dataset, evaluate
from layanan_rules.cli import cli
from layanan_rules.data.adapters import AdapterError
from layanan_rules.data.sources import SOURCE_UNAVAILABLE, choose, incomplete, read
from layanan_rules.report.stream import findings_of

AS_OF = dt.date(2025, 1, 31)
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "dinas-contoh.json"


def mapping_file(tmp_path: Path, content: dict[str, Any]) -> str:
    path = tmp_path / "peta.yaml"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return str(path)


# --- done when: the same findings as the JSON file ------------------------------------------------


def test_database_gives_the_same_findings_as_the_json_file(any_url: str, example: Any, pm: Any, ruleset: Any,
                                                           reference: Any) -> None:
    testing.load_plain_json(any_url, example)
    dataset = read(any_url, pm)
    assert dataset.counts() == Dataset.from_json(example).counts()
    assert not dataset.issues
    assert findings(evaluate(ruleset, dataset, as_of=AS_OF)) == reference


def cli_findings(location: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["evaluate", location, "--as-of", AS_OF.isoformat(), "--format", "json"])
    assert result.exit_code == 1, result.output  # the example has failures
    report = json.loads(result.stdout)
    return sorted(({k: v for k, v in f.items() if k != "provenance"} for f in findings_of(report)),
                  key=lambda f: (f["rule_id"], f["entity"], f["entity_id"]))


def test_cli_on_a_postgresql_url_prints_the_same_findings_as_on_the_json_file(pg_url: str, example: Any) -> None:
    testing.load_plain_json(pg_url, example)
    assert cli_findings(pg_url) == cli_findings(str(EXAMPLE))


def test_provenance_is_table_and_primary_key_without_password(maria_url: str, example: Any, pm: Any,
                                                              monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    testing.load_plain_json(maria_url, example)
    url = sa.make_url(maria_url).set(username="layanan", password=None).render_as_string(hide_password=False)
    monkeypatch.setenv("LAYANAN_DB_PASSWORD", "rahasia-layanan")
    dataset = read(url, pm, options={"mapping": mapping_file(tmp_path, {"password_env": "LAYANAN_DB_PASSWORD"})})
    rec = next(r for r in dataset.records["pengaduan"] if r.id == "A2")
    assert rec.provenance.part == "pengaduan"
    assert rec.provenance.key == "A2"
    assert rec.provenance.source == url.replace("layanan@", "layanan:***@")  # the password, masked
    assert "rahasia" not in str(rec.provenance)


def test_the_adapter_is_chosen_by_url_scheme(pm: Any) -> None:
    for url in ("postgresql://u@h/db", "postgresql+psycopg://u@h/db", "sqlite:///x.db", "mariadb+pymysql://u@h/d",
                "mysql://u@h/d", "postgres://u@h/db"):
        assert choose(url, pm) is SqlAdapter


# --- mapping: tables, columns, queries --------------------------------------------------------------


def test_mapping_names_tables_and_columns_and_the_rest_is_matched_tolerantly(pg_url: str, pm: Any,
                                                                           tmp_path: Path) -> None:
    execute(
        pg_url,
        'CREATE TABLE "Daftar Layanan" ("Kode" text PRIMARY KEY, "Nama Layanan" text, "ID Unit" text, '
        '"Dasar Hukum" text, "Waktu Penyelesaian" text, "Biaya/Tarif" text, "Keterangan Lain" text, '
        '"Catatan Internal" text)',
        "INSERT INTO \"Daftar Layanan\" VALUES ('L9', 'Izin Reklame', 'U1', "
        "'UU No. 28 Tahun 2009\nPerda Kota Contoh No. 3 Tahun 2020', '5 (lima) hari kerja', 'Rp 150.000,-', 'x', 'y')",
        'CREATE TABLE opd (kode_opd text PRIMARY KEY, nama_opd text)',
        "INSERT INTO opd VALUES ('U1', 'DPMPTSP')",
    )
    peta = mapping_file(tmp_path, {"entities": {
        "layanan": {"table": "Daftar Layanan", "columns": {"Kode": "id", "Catatan Internal": None}},
        "unit": {"table": "opd", "columns": {"kode_opd": "id", "nama_opd": "nama"}},
    }})
    dataset = read(pg_url, pm, options={"mapping": peta})
    (rec,) = dataset.records["layanan"]
    std = rec.obj.standar
    assert rec.obj.unit_id == "U1" and rec.obj.nama == "Izin Reklame"
    assert [p.tahun for p in std.dasar_hukum] == [2009, 2020]
    assert std.jangka_waktu.jumlah == 5 and std.biaya.jumlah == 150000
    assert rec.provenance.part == "Daftar Layanan" and rec.provenance.key == "L9"
    assert dataset.records["unit"][0].obj.layanan[0].id == "L9"
    notes = [i.message for i in dataset.issues if i.kind == "adapter_note"]
    assert any("Keterangan Lain" in n for n in notes)  # unknown column: said once, not silently dropped
    assert not any("Catatan Internal" in n for n in notes)  # mapped to null: ignored on purpose


def test_query_entities_are_read(any_url: str, example: Any, pm: Any, tmp_path: Path) -> None:
    testing.load_plain_json(any_url, example)
    peta = mapping_file(tmp_path, {"entities": {
        "pengaduan": {"query": "SELECT id AS nomor, unit_id, diterima_pada FROM pengaduan WHERE unit_id = 'U1'",
                      "key": "nomor", "columns": {"nomor": "id"}},
    }})
    dataset = read(any_url, pm, options={"mapping": peta})
    assert sorted(r.id for r in dataset.records["pengaduan"]) == ["A1", "A2"]
    assert dataset.records["pengaduan"][0].provenance.key in ("A1", "A2")


def test_a_colon_in_a_query_is_text_not_a_parameter(any_url: str, example: Any, pm: Any, tmp_path: Path) -> None:
    """``:buka`` in a user's query is SQL text (it used to be taken for a bind parameter)."""
    testing.load_plain_json(any_url, example)
    peta = mapping_file(tmp_path, {"entities": {
        "pengaduan": {"query": "SELECT id, unit_id, diterima_pada, 'jam :buka 08:00' AS catatan FROM pengaduan "
                               "WHERE unit_id = 'U1' AND 'a:b' <> ':x'", "key": "id"},
    }})
    dataset = read(any_url, pm, options={"mapping": peta})
    assert sorted(r.id for r in dataset.records["pengaduan"]) == ["A1", "A2"]


@pytest.mark.parametrize("kind", ["postgresql", "mariadb", "sqlite"])
def test_user_queries_run_read_only(kind: str, request: pytest.FixtureRequest, example: Any, pm: Any,
                                    tmp_path: Path) -> None:
    url = request.getfixturevalue({"postgresql": "pg_url", "mariadb": "maria_url", "sqlite": "sqlite_url"}[kind])
    testing.load_plain_json(url, example)
    if kind == "postgresql":  # a write hidden in a function: only a read-only transaction stops it
        execute(url, "CREATE FUNCTION hapus_pengaduan() RETURNS SETOF pengaduan AS "
                     "'DELETE FROM pengaduan RETURNING *' LANGUAGE sql")
    writes = {
        "postgresql": "SELECT * FROM hapus_pengaduan()",
        "mariadb": "DELETE FROM pengaduan",
        "sqlite": "DELETE FROM pengaduan RETURNING *",
    }
    peta = mapping_file(tmp_path, {"entities": {"pengaduan": {"query": writes[kind]}}})
    with pytest.raises(AdapterError, match="query") as err:
        read(url, pm, options={"mapping": peta})
    assert "READ ONLY" in str(err.value).upper().replace("-", " ").replace("READONLY", "READ ONLY")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM pengaduan").scalar_one() == len(example["pengaduan"])
    engine.dispose()


def test_table_names_are_quoted_never_pasted_into_sql(pg_url: str, example: Any, pm: Any, tmp_path: Path) -> None:
    testing.load_plain_json(pg_url, example)
    peta = mapping_file(tmp_path, {"entities": {"pengaduan": {"table": "pengaduan; DROP TABLE unit; --"}}})
    with pytest.raises(AdapterError, match="does not exist"):
        read(pg_url, pm, options={"mapping": peta})
    assert read(pg_url, pm).counts()["unit"] == 2


# --- failures are explicit ---------------------------------------------------------------------------


def test_unreachable_database_is_one_clear_error_and_exit_2(tmp_path: Path) -> None:
    url = f"postgresql://layanan@127.0.0.1:{testing.free_port()}/layanan"
    result = CliRunner().invoke(cli, ["evaluate", url])
    assert result.exit_code == 2
    assert "tidak dapat terhubung" in result.stderr and "cannot connect" in result.stderr
    assert "Traceback" not in result.output


def test_failed_login_names_the_variable_and_never_the_password(mariadb: testing.Server, pm: Any,
                                                                monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LAYANAN_DB_PASSWORD", "salah-sekali-123")
    url = f"mariadb+pymysql://layanan@127.0.0.1:{mariadb.port}/{mariadb.database}"
    peta = mapping_file(tmp_path, {"password_env": "LAYANAN_DB_PASSWORD"})
    with pytest.raises(AdapterError, match="login") as err:
        read(url, pm, options={"mapping": peta})
    assert "LAYANAN_DB_PASSWORD" in str(err.value)
    assert "salah-sekali-123" not in str(err.value)
    # a password written in the URL is masked too
    with pytest.raises(AdapterError) as err2:
        read(f"mariadb+pymysql://layanan:bocor-rahasia@127.0.0.1:{mariadb.port}/{mariadb.database}", pm)
    assert "bocor-rahasia" not in str(err2.value) and "***" in str(err2.value)


def test_password_env_that_is_not_set_is_named(pm: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LAYANAN_TIDAK_ADA", raising=False)
    peta = mapping_file(tmp_path, {"password_env": "LAYANAN_TIDAK_ADA"})
    with pytest.raises(AdapterError, match="LAYANAN_TIDAK_ADA"):
        read("postgresql://layanan@127.0.0.1:1/layanan", pm, options={"mapping": peta})


def test_missing_table_says_which_tables_exist(sqlite_url: str, example: Any, pm: Any, tmp_path: Path) -> None:
    testing.load_plain_json(sqlite_url, example)
    peta = mapping_file(tmp_path, {"entities": {"pengaduan": {"table": "pengaduan_2024"}, "unit": {}}})
    with pytest.raises(AdapterError) as err:
        read(sqlite_url, pm, options={"mapping": peta})
    message = str(err.value)
    assert "pengaduan_2024" in message and "layanan" in message and "'table:'" in message


def test_missing_sqlite_file_is_an_error_not_a_new_database(tmp_path: Path, pm: Any) -> None:
    path = tmp_path / "tidak-ada.db"
    with pytest.raises(AdapterError, match="tidak ada"):
        read(f"sqlite:///{path}", pm)
    assert not path.exists()


def test_database_without_entity_tables_asks_for_a_mapping(sqlite_url: str, pm: Any) -> None:
    execute(sqlite_url, "CREATE TABLE audit_log (id integer)")
    with pytest.raises(AdapterError, match="audit_log"):
        read(sqlite_url, pm)


def test_mapping_mistakes_name_the_key_and_the_closest_name(pm: Any, tmp_path: Path) -> None:
    bad_entity = mapping_file(tmp_path, {"entities": {"pengaduans": {"table": "x"}}})
    with pytest.raises(AdapterError, match="pengaduan"):
        read("sqlite:///x.db", pm, options={"mapping": bad_entity})
    bad_field = mapping_file(tmp_path, {"entities": {"layanan": {"columns": {"nm": "namaa"}}}})
    with pytest.raises(AdapterError, match="nama"):
        read("sqlite:///x.db", pm, options={"mapping": bad_field})
    top_level_entity = mapping_file(tmp_path, {"layanan": {"table": "x"}})
    with pytest.raises(AdapterError, match="entities"):
        read("sqlite:///x.db", pm, options={"mapping": top_level_entity})


# --- keep going -------------------------------------------------------------------------------------


def test_keep_going_reads_the_rest_and_marks_the_missing_entity(pg_url: str, example: Any, pm: Any,
                                                                tmp_path: Path) -> None:
    testing.load_plain_json(pg_url, example)
    peta = mapping_file(tmp_path, {"entities": {"unit": {}, "layanan": {}, "pengaduan": {"table": "aduan"}}})
    dataset = read(pg_url, pm, options={"mapping": peta}, keep_going=True)
    assert "pengaduan" not in dataset.counts() and dataset.counts()["layanan"] == len(example["layanan"])
    (issue,) = incomplete(dataset)
    assert issue.kind == SOURCE_UNAVAILABLE and issue.entity == "pengaduan"
    assert "INCOMPLETE" in issue.message and "aduan" in issue.message
    assert dataset.issues[0] is issue  # first thing a reader sees


def test_failure_in_the_middle_of_a_stream_counts_what_was_read(pg_url: str, pm: Any, tmp_path: Path) -> None:
    execute(pg_url, "CREATE TABLE pengaduan (id text PRIMARY KEY, n integer)",
            "INSERT INTO pengaduan SELECT 'A' || i, i FROM generate_series(1, 1000) AS i")
    query = "SELECT id, 100 / (n - 700) AS ganti_rugi FROM pengaduan"  # fails at the 700th row
    peta = mapping_file(tmp_path, {"yield_per": 50, "entities": {"pengaduan": {"query": query, "key": "id"}}})
    with pytest.raises(AdapterError, match="division by zero"):
        read(pg_url, pm, options={"mapping": peta})
    dataset = read(pg_url, pm, options={"mapping": peta}, keep_going=True)
    (issue,) = incomplete(dataset)
    read_before = len(dataset.records["pengaduan"])
    assert 0 < read_before < 700
    assert f"{read_before} record" in issue.message


def test_keep_going_cli_writes_the_report_marks_it_incomplete_and_exits_2(pg_url: str, example: Any,
                                                                          tmp_path: Path) -> None:
    testing.load_plain_json(pg_url, example)
    peta = mapping_file(tmp_path, {"entities": {"unit": {}, "layanan": {}, "pengaduan": {"table": "aduan"}}})
    args = ["evaluate", pg_url, "--option", f"mapping={peta}", "--as-of", "2025-01-31", "--format", "json"]
    stopped = CliRunner().invoke(cli, args)
    assert stopped.exit_code == 2 and "aduan" in stopped.stderr and not stopped.stdout.strip()
    going = CliRunner().invoke(cli, [*args, "--keep-going"])
    assert going.exit_code == 2
    assert "TIDAK LENGKAP" in going.stderr
    report = json.loads(going.stdout)
    assert report["data_issues"][0]["kind"] == SOURCE_UNAVAILABLE
    assert report["data_issues"][0]["entity"] == "pengaduan"
    assert {f["entity"] for f in findings_of(report)} >= {"layanan", "unit"}


def test_timestamps_are_shown_in_the_mapping_time_zone(pg_url: str, pm: Any, tmp_path: Path) -> None:
    execute(pg_url, "CREATE TABLE pengaduan (id text PRIMARY KEY, diterima_pada timestamptz)",
            "INSERT INTO pengaduan VALUES ('A1', '2024-11-04 01:00:00+00')")
    wita = mapping_file(tmp_path, {"timezone": "Asia/Makassar"})
    (rec,) = read(pg_url, pm, options={"mapping": wita}).records["pengaduan"]
    assert rec.obj.diterima_pada.isoformat() == "2024-11-04T09:00:00+08:00"
    (rec,) = read(pg_url, pm).records["pengaduan"]
    assert rec.obj.diterima_pada.isoformat() == "2024-11-04T08:00:00+07:00"


def test_large_table_streams_in_batches(pg_url: str, pm: Any, tmp_path: Path) -> None:
    execute(pg_url, "CREATE TABLE pengaduan (id text PRIMARY KEY, unit_id text, diterima_pada date)",
            "INSERT INTO pengaduan SELECT 'A' || lpad(i::text, 6, '0'), 'U1', DATE '2024-01-01' + mod(i, 300) "
            "FROM generate_series(1, 20000) AS i")
    adapter = SqlAdapter(pg_url, {"yield_per": "500"})
    try:
        ids = [r.provenance.key for r in adapter.read()]
    finally:
        adapter.close()
    assert len(ids) == 20000 and ids == sorted(ids)  # ordered by primary key: reproducible reports


def test_url_without_driver_uses_psycopg_or_pymysql() -> None:
    assert SqlAdapter("postgresql://layanan@127.0.0.1/layanan").url.drivername == "postgresql+psycopg"
    assert SqlAdapter("postgres://layanan@127.0.0.1/layanan").url.drivername == "postgresql+psycopg"
    assert SqlAdapter("mariadb://u@h/d").url.drivername == "mariadb+pymysql"


def test_an_unknown_option_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(AdapterError, match="did you mean 'mapping'"):
        SqlAdapter("sqlite:///x.db", {"maping": "peta.yaml"})
    with pytest.raises(AdapterError, match="yield_per"):
        SqlAdapter("sqlite:///x.db", {"yield_per": "banyak"})


WORKBOOK = EXAMPLE.with_name("dinas-contoh.xlsx")


def test_cli_on_a_postgresql_url_prints_the_same_findings_as_on_the_example_workbook(pg_url: str, pm: Any) -> None:
    """The issue's bar: the same data as the example workbook, stored in PostgreSQL, evaluates the same."""
    workbook = read(str(WORKBOOK), pm)
    testing.load_plain_json(pg_url, workbook.to_json())
    assert read(pg_url, pm).counts() == workbook.counts()
    assert cli_findings(pg_url) == cli_findings(str(WORKBOOK))


# --- nothing written, nothing leaked ------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    "SELECT * FROM pengaduan; ATTACH DATABASE '{dir}/baru.db' AS baru",
    "ATTACH DATABASE '{dir}/baru.db' AS baru",
    "VACUUM INTO '{dir}/baru.db'",
])
def test_sqlite_queries_cannot_create_files(query: str, sqlite_url: str, example: Any, pm: Any,
                                            tmp_path: Path) -> None:
    testing.load_plain_json(sqlite_url, example)
    out = tmp_path / "keluar"
    out.mkdir()
    peta = mapping_file(tmp_path, {"entities": {"pengaduan": {"query": query.format(dir=out)}}})
    with pytest.raises(AdapterError, match="query"):
        read(sqlite_url, pm, options={"mapping": peta})
    assert list(out.iterdir()) == []


def test_a_sqlite_url_asking_for_write_mode_is_opened_read_only(sqlite_url: str, example: Any, pm: Any,
                                                                tmp_path: Path) -> None:
    testing.load_plain_json(sqlite_url, example)
    path = sqlite_url.removeprefix("sqlite:///")
    peta = mapping_file(tmp_path, {"entities": {"pengaduan": {"query": "DELETE FROM pengaduan RETURNING *"}}})
    with pytest.raises(AdapterError, match="query"):
        read(f"sqlite:///file:{path}?mode=rwc&uri=true", pm, options={"mapping": peta})
    missing = tmp_path / "tidak-ada.db"
    with pytest.raises(AdapterError):
        read(f"sqlite:///file:{missing}?mode=rwc&uri=true", pm)
    assert not missing.exists()


def test_a_password_in_the_query_or_holding_an_at_sign_is_never_shown(pg_url: str, mariadb: testing.Server,
                                                                       example: Any, pm: Any) -> None:
    testing.load_plain_json(pg_url, example)
    # PostgreSQL here trusts the test user: any password is accepted, and none may be shown
    in_query = sa.make_url(pg_url).render_as_string(hide_password=False) + "?password=kueri-rahasia-789"
    dataset = read(in_query, pm)
    assert len(dataset) == sum(len(v) for v in example.values())
    shown = {r.provenance.source for recs in dataset.records.values() for r in recs}
    assert shown and not any("kueri-rahasia-789" in s for s in shown)
    assert all("password=***" in s for s in shown)
    # an unencoded @ in a (wrong) password: read as the password; neither it nor its tail is shown
    wrong = f"mariadb+pymysql://layanan:rah@sia-salah@127.0.0.1:{mariadb.port}/{mariadb.database}"
    with pytest.raises(AdapterError, match="login") as err:
        read(wrong, pm)
    assert "rah@sia-salah" not in str(err.value) and "sia-salah" not in str(err.value)
