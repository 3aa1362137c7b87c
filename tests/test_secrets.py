"""Passwords and tokens never appear in a report, a message or provenance, however they are given.

Real servers: PostgreSQL (trusting the test user, so a run with any password succeeds and every
report format can be searched), MariaDB (a real password, so a failed login can be searched) and
an HTTP API on 127.0.0.1. Each run writes every report format; the test searches every byte of
them (inside the xlsx too) and of stdout and stderr for each secret.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from click.testing import CliRunner
from layanan_rules_http import testing as http_testing
from layanan_rules_sql import testing as sql_testing
from support import EXAMPLE_JSON

from layanan_rules.cli import cli

FORMATS = ("table", "json", "jsonl", "csv", "xlsx", "junit", "markdown", "html")
EXAMPLE = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def postgres() -> Iterator[sql_testing.Server]:
    if sql_testing.postgres_bin() is None:
        pytest.skip("PostgreSQL tidak terpasang / not installed: no initdb in /usr/lib/postgresql/*/bin or PATH")
    try:
        cm = sql_testing.postgres_server(database="rahasia")
        server = cm.__enter__()
    except subprocess.CalledProcessError as exc:  # a second cluster on a loaded machine: say why
        pytest.fail(f"PostgreSQL did not start: {exc.cmd[-1]}: {(exc.stderr or b'').decode(errors='replace')[-500:]}")
    try:
        sql_testing.load_plain_json(server.url, EXAMPLE)
        yield server
    finally:
        cm.__exit__(None, None, None)


@pytest.fixture(scope="module")
def mariadb() -> Iterator[sql_testing.Server]:
    if sql_testing.mariadb_bin() is None:
        pytest.skip("MariaDB tidak terpasang / not installed: no mariadb-install-db/mariadbd")
    with sql_testing.mariadb_server(database="rahasia") as server:
        yield server


def everything_written(args: list[str], tmp_path: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run ``evaluate`` writing every format; return the exit code and every byte a person could see."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    outputs = []
    for name in FORMATS:
        outputs += ["--format", name, "-o", str(tmp_path / f"laporan.{name}")]
    result = CliRunner().invoke(cli, ["evaluate", *args, "--as-of", "2025-01-31", *outputs], env=env)
    seen = [result.stdout, result.stderr]
    for name in FORMATS:
        path = tmp_path / f"laporan.{name}"
        if not path.exists():
            continue
        if name == "xlsx":
            with zipfile.ZipFile(path) as z:
                seen += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        else:
            seen.append(path.read_text(encoding="utf-8"))
    return result.exit_code, "\n".join(seen)


def assert_hidden(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text, f"{secret!r} leaked"


def test_database_passwords_never_appear(postgres: sql_testing.Server, tmp_path: Path) -> None:
    url = sa.make_url(postgres.url)
    plain = url.set(password=None).render_as_string(hide_password=False)
    # in the query string, in the user info, and from the environment
    code, seen = everything_written([plain + "?password=pg-rahasia-kueri-1"], tmp_path / "a")
    assert code == 1 and "password=***" in seen
    code, seen2 = everything_written([url.set(password="pg-rahasia-info-2").render_as_string(hide_password=False)],
                                     tmp_path / "b")
    assert code == 1
    peta = tmp_path / "peta.yaml"
    peta.write_text(yaml.safe_dump({"password_env": "PG_RAHASIA"}), encoding="utf-8")
    code, seen3 = everything_written([plain, "--option", f"mapping={peta}"], tmp_path / "c",
                                     env={"PG_RAHASIA": "pg-rahasia-env-3"})
    assert code == 1
    assert_hidden(seen + seen2 + seen3, "pg-rahasia-kueri-1", "pg-rahasia-info-2", "pg-rahasia-env-3")


def test_failed_database_logins_never_show_the_password(mariadb: sql_testing.Server, tmp_path: Path) -> None:
    base = f"mariadb+pymysql://layanan:{{}}@127.0.0.1:{mariadb.port}/{mariadb.database}"
    code, seen = everything_written([base.format("salah@rahasia-maria-4")], tmp_path / "a")
    assert code == 2 and "login" in seen
    code, seen2 = everything_written([base.format("x") + "?password=maria-kueri-5"], tmp_path / "b")
    assert code == 2
    assert_hidden(seen + seen2, "salah@rahasia-maria-4", "rahasia-maria-4", "maria-kueri-5")


def test_api_credentials_never_appear(tmp_path: Path) -> None:
    api = http_testing.Api(data=EXAMPLE, token="tok-rahasia-6")
    peta = tmp_path / "peta.yaml"
    peta.write_text(yaml.safe_dump({
        "auth": {"type": "bearer", "token_env": "API_RAHASIA"},
        "headers": {"X-Api-Key": "kunci-rahasia-7"},
        "entities": {e: {"path": f"/page/{e}", "records": "data.items", "total": "meta.total",
                         "params": {"api_key": "kunci-url-8"},  # a key in the query string
                         "pagination": {"style": "page", "size_param": "per_page", "size": 5}} for e in EXAMPLE},
    }), encoding="utf-8")
    env = {"API_RAHASIA": "tok-rahasia-6"}
    with http_testing.serve(api) as url:
        code, seen = everything_written([url, "--option", f"mapping={peta}"], tmp_path / "a", env=env)
        assert code == 1 and "api_key=***" in seen
        # an error page that echoes the request's headers back
        api.faults.append(http_testing.Fault("echo", "layanan", page=1, status=400))
        code, seen2 = everything_written([url, "--option", f"mapping={peta}"], tmp_path / "b", env=env)
        assert code == 2 and "HTTP 400" in seen2
        # user info in the URL
        code, seen3 = everything_written([url.replace("http://", "http://inspektur:sandi-url-9@") + "/plain"],
                                         tmp_path / "c")
    assert_hidden(seen + seen2 + seen3, "tok-rahasia-6", "kunci-rahasia-7", "kunci-url-8", "sandi-url-9")


def test_a_third_party_reached_by_redirect_gets_no_credentials(tmp_path: Path) -> None:
    api = http_testing.Api(data={"layanan": [{"id": "L1"}]}, token="tok-rahasia-10")
    elsewhere = http_testing.Api(data={})
    peta = tmp_path / "peta.yaml"
    peta.write_text(yaml.safe_dump({"auth": {"type": "bearer", "token_env": "API_RAHASIA"},
                                    "headers": {"X-Api-Key": "kunci-rahasia-11"}}), encoding="utf-8")
    with http_testing.serve(elsewhere) as other, http_testing.serve(api) as url:
        api.faults.append(http_testing.Fault("redirect", "plain", location=f"{other}/echo"))
        code, seen = everything_written([url + "/plain", "--option", f"mapping={peta}"], tmp_path,
                                        env={"API_RAHASIA": "tok-rahasia-10"})
    assert code == 2
    sent: Any = json.dumps(elsewhere.headers)
    assert_hidden(sent + seen, "tok-rahasia-10", "kunci-rahasia-11")
