"""Throw-away real database servers and a loader, for tests and benchmarks (not for production).

:func:`postgres_server` runs ``initdb`` and ``pg_ctl start`` on a free port of 127.0.0.1 with
its data and socket in a temporary directory; :func:`mariadb_server` does the same with
``mariadb-install-db`` and ``mariadbd``. Both yield a :class:`Server` with a connection URL and
remove everything on exit. Run as root, PostgreSQL is started as the ``postgres`` user (created
when missing), since it refuses to run as root.

:func:`load_plain_json` writes data in the plain JSON form into tables named like the entities,
with typed columns (dates, timestamps, booleans, integers) and JSON columns for nested values.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

from layanan_rules import model
from layanan_rules.data import fieldmap
from layanan_rules.data.fieldmap import Kind

WIB = dt.timezone(dt.timedelta(hours=7))


@attrs.frozen
class Server:
    url: str  # SQLAlchemy URL, no password needed (trust / socket auth for the test user)
    host: str
    port: int
    user: str
    database: str
    workdir: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/*/bin`` with initdb, or initdb on PATH, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name)
                   if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def mariadb_bin() -> tuple[str, str] | None:
    """(install-db, server) executables, or None."""
    install = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
    server = shutil.which("mariadbd") or shutil.which("mysqld") or (
        "/usr/sbin/mariadbd" if os.path.exists("/usr/sbin/mariadbd") else None)
    return (install, server) if install and server else None


def _as_user(user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--"] if user else []


def _pg_user() -> str | None:
    """Who runs PostgreSQL: nobody special unless we are root, then ``postgres`` (created if needed)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    return "postgres"


@contextlib.contextmanager
def postgres_server(database: str = "layanan") -> Iterator[Server]:
    """A fresh PostgreSQL cluster on 127.0.0.1:<free port>, removed afterwards."""
    bindir = postgres_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL binaries not found (/usr/lib/postgresql/*/bin)")
    user = _pg_user()
    work = tempfile.mkdtemp(prefix="layanan-pg-")
    data, sock = os.path.join(work, "data"), os.path.join(work, "sock")
    os.makedirs(sock)
    if user:
        shutil.chown(work, user)
        shutil.chown(sock, user)
    port = free_port()
    run = _as_user(user)
    dbuser = "layanan"
    try:
        subprocess.run([*run, str(bindir / "initdb"), "-D", data, "-U", dbuser, "-A", "trust", "-E", "UTF8",
                        "--no-instructions"], check=True, capture_output=True)
        subprocess.run(
            [*run, str(bindir / "pg_ctl"), "-D", data, "-w", "-t", "60", "-l", os.path.join(work, "log"),
             "-o", (f"-h 127.0.0.1 -p {port} -k {sock} -c fsync=off -c full_page_writes=off "
                    f"-c synchronous_commit=off"), "start"],
            check=True, capture_output=True)
        subprocess.run([*run, str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", dbuser, database],
                       check=True, capture_output=True)
        yield Server(f"postgresql+psycopg://{dbuser}@127.0.0.1:{port}/{database}", "127.0.0.1", port, dbuser,
                     database, work)
    finally:
        subprocess.run([*run, str(bindir / "pg_ctl"), "-D", data, "-m", "immediate", "stop"], check=False,
                       capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def mariadb_server(database: str = "layanan") -> Iterator[Server]:
    """A fresh MariaDB server on 127.0.0.1:<free port>, removed afterwards."""
    found = mariadb_bin()
    if found is None:
        raise RuntimeError("MariaDB binaries not found (apt-get install mariadb-server)")
    install, server = found
    work = tempfile.mkdtemp(prefix="layanan-maria-")
    data, sock = os.path.join(work, "data"), os.path.join(work, "mysqld.sock")
    port = free_port()
    user = "root" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    subprocess.run([install, "--no-defaults", f"--datadir={data}", f"--user={user}",
                    "--auth-root-authentication-method=normal", "--skip-test-db"],
                   check=True, capture_output=True)
    log = open(os.path.join(work, "log"), "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        [server, "--no-defaults", f"--datadir={data}", f"--socket={sock}", f"--port={port}",
         "--bind-address=127.0.0.1", f"--user={user}", f"--pid-file={work}/mysqld.pid",
         "--skip-name-resolve", "--innodb-flush-log-at-trx-commit=0", "--innodb-buffer-pool-size=128M",
         "--skip-log-bin", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        root = sa.make_url(f"mysql+pymysql://root@127.0.0.1:{port}/")
        engine = sa.create_engine(root, poolclass=sa.pool.NullPool)
        deadline = time.monotonic() + 60
        while True:
            try:
                with engine.connect() as conn:
                    conn.exec_driver_sql(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4")
                    conn.exec_driver_sql("CREATE USER 'layanan'@'%%' IDENTIFIED BY 'rahasia-layanan'")
                    conn.exec_driver_sql("GRANT ALL ON *.* TO 'layanan'@'%%'")
                break
            except sa.exc.OperationalError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(Path(work, "log").read_text(errors="replace")[-2000:]) from None
                time.sleep(0.2)
        engine.dispose()
        yield Server(f"mariadb+pymysql://root@127.0.0.1:{port}/{database}", "127.0.0.1", port, "root",
                     database, work)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


# --- loading the plain JSON form ------------------------------------------------------------------


def _sql_type(entity: str, field: str, dialect: str) -> Any:
    try:
        kind = fieldmap.column(entity, field).kind
    except KeyError:
        return sa.JSON(none_as_null=True)
    if field == "id" or field.endswith("_id"):
        return sa.String(64)
    return {
        Kind.date: sa.Date(),
        Kind.datetime: sa.DateTime(timezone=True) if dialect == "postgresql" else sa.DateTime(),
        Kind.bool: sa.Boolean(),
        Kind.int: sa.BigInteger(),
        Kind.rupiah: sa.BigInteger(),
        Kind.number: sa.Float(),
    }.get(kind, sa.Text())


def _value(entity: str, field: str, value: Any, dialect: str) -> Any:
    try:
        kind = fieldmap.column(entity, field).kind
    except KeyError:
        return value
    if isinstance(value, str) and kind is Kind.datetime:
        stamp = dt.datetime.fromisoformat(value)
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=WIB)
        return stamp if dialect == "postgresql" else stamp.astimezone(WIB).replace(tzinfo=None)
    if isinstance(value, str) and kind is Kind.date:
        return dt.date.fromisoformat(value)
    if isinstance(value, (list, dict)) and kind in (Kind.list, Kind.peraturan_list):
        return "\n".join(map(str, value)) if all(isinstance(v, str) for v in value) else value
    return value


def load_plain_json(url: str, data: Mapping[str, list[Mapping[str, Any]]]) -> None:
    """Create one table per entity (named like it, primary key ``id``) and insert the records.

    Top-level scalar fields become typed columns; nested objects (``standar``, ``fungsi``) become
    JSON columns, as a real application database would store them.
    """
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    dialect = engine.dialect.name
    meta = sa.MetaData()
    tables: dict[str, sa.Table] = {}
    for entity, records in data.items():
        cls = model.ENTITIES[entity]
        present = {k for r in records for k in r}
        fields = [f.name for f in attrs.fields(cls) if not model.is_relation(f) and f.name in present]
        cols = [sa.Column(name, _sql_type(entity, name, dialect), primary_key=name == "id") for name in fields]
        tables[entity] = sa.Table(entity, meta, *cols)
    meta.drop_all(engine)
    meta.create_all(engine)
    with engine.begin() as conn:
        for entity, records in data.items():
            table = tables[entity]
            rows = [{c.name: _value(entity, c.name, r.get(c.name), dialect) for c in table.columns} for r in records]
            if rows:
                conn.execute(table.insert(), rows)
    engine.dispose()


def execute(url: str, *statements: str) -> None:
    """Run SQL statements (test set-up) in one transaction."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        for s in statements:
            conn.exec_driver_sql(s)
    engine.dispose()


def comparable_findings(report: Any) -> list[dict[str, Any]]:
    """A report's findings without provenance (which rightly differs between sources), sorted."""
    from layanan_rules.report.stream import findings_of

    out = [{k: v for k, v in f.items() if k != "provenance"} for f in findings_of(report.to_dict())]
    return sorted(out, key=lambda f: (f["rule_id"], f["entity"], f["entity_id"]))
