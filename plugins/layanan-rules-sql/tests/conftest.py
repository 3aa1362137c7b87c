"""Real database servers for the SQL adapter's tests: PostgreSQL and MariaDB started in a temporary
directory for the session (skipped, with the reason, only when their binaries are absent), and
SQLite files in tmp_path. Each test gets a database of its own."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from layanan_rules_sql import testing

from layanan_rules import evaluate, load_ruleset
from layanan_rules.plugins import get_plugin_manager

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "dinas-contoh.json"
AS_OF = dt.date(2025, 1, 31)


@pytest.fixture(scope="session")
def pm() -> Any:
    return get_plugin_manager()


@pytest.fixture(scope="session")
def ruleset(pm: Any) -> Any:
    return load_ruleset("uu-25-2009", plugin_manager=pm)


@pytest.fixture(scope="session")
def example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def reference(ruleset: Any, example: dict[str, Any]) -> list[dict[str, Any]]:
    return testing.comparable_findings(evaluate(ruleset, example, as_of=AS_OF))


@pytest.fixture(scope="session")
def postgres() -> Iterator[testing.Server]:
    if testing.postgres_bin() is None:
        pytest.skip("PostgreSQL tidak terpasang / not installed: no initdb in /usr/lib/postgresql/*/bin or PATH")
    with testing.postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def mariadb() -> Iterator[testing.Server]:
    if testing.mariadb_bin() is None:
        pytest.skip("MariaDB tidak terpasang / not installed: no mariadb-install-db/mariadbd (apt-get install mariadb-server)")
    pytest.importorskip("pymysql", reason="PyMySQL not installed (pip install 'layanan-rules-sql[mysql]')")
    with testing.mariadb_server() as server:
        yield server


def _fresh(server: testing.Server) -> str:
    name = "t_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(server.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()
    return sa.make_url(server.url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def pg_url(postgres: testing.Server) -> str:
    """A new, empty PostgreSQL database."""
    return _fresh(postgres)


@pytest.fixture
def maria_url(mariadb: testing.Server) -> str:
    """A new, empty MariaDB database."""
    return _fresh(mariadb)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    path = tmp_path / "layanan.db"
    sa.create_engine(f"sqlite:///{path}").connect().close()  # an empty database file
    return f"sqlite:///{path}"


@pytest.fixture(params=["postgresql", "mariadb", "sqlite"])
def any_url(request: pytest.FixtureRequest) -> str:
    """An empty database of each kind in turn."""
    return request.getfixturevalue({"postgresql": "pg_url", "mariadb": "maria_url", "sqlite": "sqlite_url"}[request.param])

