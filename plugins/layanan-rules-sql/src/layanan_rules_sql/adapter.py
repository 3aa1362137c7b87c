"""The ``sql`` adapter: provider data from PostgreSQL, MariaDB/MySQL or SQLite, on SQLAlchemy 2.

The location is a connection URL (``postgresql://user@host/db``, ``sqlite:///data.db``,
``mariadb+pymysql://user@host/db``). The password comes from the URL or from the environment
variable the mapping names (``password_env``); it is never printed: every message and every
provenance shows the URL without its password (user info or a ``?password=`` query value, and any
other secret-looking query value), and driver messages are scrubbed of it. A password holding an
unencoded ``@`` is read as written (the host is what follows the last ``@``).

SQLite files are opened read-only at the file level (a ``mode=ro`` URI, whatever mode the URL
asked for), and an authorizer refuses ``ATTACH``/``DETACH`` (and so ``VACUUM INTO``): a query in
a mapping file cannot create or change a file.

Each entity is one *part*: a table (the one named in the mapping, else the one named like the
entity) or a user-written query. Parts are read in read-only transactions with server-side
cursors (``stream_results`` + ``yield_per``), so memory stays flat however many rows there are.
Table and column names only ever reach SQL through SQLAlchemy constructs (``table()``,
``column()``), quoted by the dialect.
"""

from __future__ import annotations

import datetime as dt
import decimal
import difflib
import json
import os
import re
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from layanan_rules import model
from layanan_rules.data import fieldmap
from layanan_rules.data.adapters import AdapterError, BaseAdapter, Provenance, RawRecord
from layanan_rules.data.fieldmap import Kind
from layanan_rules.data.sources import SourcePart
from layanan_rules.model.records import mask_query, shown_location
from layanan_rules.plugins import lazy_import
from layanan_rules_sql import mapping as sqlmap

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import URL, Engine
else:
    sa = lazy_import("sqlalchemy")  # loaded when a database is first read, not when the plugin loads

#: Driver used when a URL names none: psycopg 3 for PostgreSQL, PyMySQL for MySQL/MariaDB.
DEFAULT_DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg",
                   "mysql": "mysql+pymysql", "mariadb": "mariadb+pymysql"}


# What SQLAlchemy's text() takes for a bind parameter (sqlalchemy.sql.elements.TextClause).
_BIND_PARAM = re.compile(r"(?<![:\w\x5c]):(\w+)(?!:)", re.UNICODE)


def _user_text(query: str) -> Any:
    """A mapping's ``query:`` as SQL text with no bind parameters: it is run as written, so a
    colon in it (``'jam :buka'``, ``'10:30'``) is the user's text, never a placeholder."""
    return sa.text(_BIND_PARAM.sub(r"\\:\1", query))


class SqlAdapter(BaseAdapter):
    """Read tables or queries of a relational database, one entity per table or query.

    Options: ``mapping`` (a YAML mapping file, see :mod:`layanan_rules_sql.mapping`),
    ``password_env`` (overrides the mapping's), ``yield_per``, ``schema``.
    """

    name = "sql"
    description = (
        "Basis data PostgreSQL, MariaDB/MySQL, SQLite (URL koneksi) / "
        "PostgreSQL, MariaDB/MySQL or SQLite database (connection URL)"
    )
    extensions = ()
    schemes = ("postgresql", "postgres", "sqlite", "mysql", "mariadb")

    def __init__(self, location: str, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(str(location), options)
        self.notes: list[str] = []
        self.mapping = self._load_mapping()
        try:
            self.zone = ZoneInfo(self.mapping.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise AdapterError(
                f"zona waktu tidak dikenal {self.mapping.timezone!r}, mis. Asia/Jakarta, Asia/Makassar, Asia/Jayapura / "
                f"unknown time zone {self.mapping.timezone!r}",
                source=self.mapping.source,
            ) from None
        self.url, self._password = self._url()
        #: the URL as shown everywhere: no password, no secret query value
        self.source = _shown(self.url)
        self._engine: Engine | None = None

    # --- setup ------------------------------------------------------------------------------

    def _load_mapping(self) -> sqlmap.SqlMapping:
        _check_options(self.options, OPTIONS, shown_location(self.location))
        given = self.options.get("mapping")
        try:
            m = given if isinstance(given, sqlmap.SqlMapping) else (
                sqlmap.load(given) if given else sqlmap.SqlMapping())
        except sqlmap.MappingError as exc:
            raise AdapterError(str(exc), source=str(given)) from None
        changes: dict[str, Any] = {}
        for key in ("password_env", "schema"):
            if self.options.get(key):
                changes[key] = str(self.options[key])
        if self.options.get("yield_per"):
            try:
                changes["yield_per"] = int(self.options["yield_per"])
            except ValueError:
                raise AdapterError(
                    f"--option yield_per={self.options['yield_per']}: harus bilangan bulat / must be a whole number",
                    source=shown_location(self.location),
                ) from None
        return attrs.evolve(m, **changes) if changes else m

    def _url(self) -> tuple[URL, str | None]:
        try:
            url = sa.make_url(_encode_userinfo(self.location))
        except (sa.exc.ArgumentError, ValueError):
            raise AdapterError(
                f"URL basis data tidak valid, mis. postgresql://user@host:5432/db atau sqlite:///data.db / "
                f"invalid database URL, e.g. postgresql://user@host:5432/db or sqlite:///data.db "
                f"(got {shown_location(self.location)})",
                source=shown_location(self.location),
            ) from None
        base, _, driver = url.drivername.partition("+")
        if not driver and base in DEFAULT_DRIVERS:
            url = url.set(drivername=DEFAULT_DRIVERS[base])
        elif base == "postgres":
            url = url.set(drivername=f"postgresql+{driver}")
        env = self.mapping.password_env
        if url.password is None and env:
            value = os.environ.get(env)
            if value is None:
                raise AdapterError(
                    f"{_shown(url)}: variabel lingkungan {env} (password_env) tidak diisi; "
                    f"jalankan `export {env}=...` / environment variable {env} (password_env) is not set; "
                    f"run `export {env}=...`",
                    source=_shown(url),
                )
            url = url.set(password=value)
        password = url.password or url.query.get("password") or None
        if url.get_backend_name() == "sqlite":
            url = _sqlite_read_only(url)
        return url, (str(password) if password else None)

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def engine(self) -> Engine:
        if self._engine is None:
            if self.dialect == "sqlite":
                db = self.url.database or ""
                if db.startswith("file:"):
                    db = db[5:].partition("?")[0]
                if db and db != ":memory:" and not Path(db).is_file():
                    raise AdapterError(
                        f"{self.source}: berkas SQLite {db} tidak ada; periksa jalurnya (sqlite:///relatif.db, "
                        f"sqlite:////mutlak.db) / SQLite file {db} does not exist; check the path",
                        source=self.source,
                    )
            connect_args: dict[str, Any] = {}
            if self.dialect == "postgresql" or self.dialect in ("mysql", "mariadb"):
                connect_args["connect_timeout"] = self.mapping.connect_timeout
            try:
                self._engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool, connect_args=connect_args)
                if self.dialect == "sqlite":
                    sa.event.listen(self._engine, "connect", _refuse_attach)
            except (ModuleNotFoundError, sa.exc.NoSuchModuleError) as exc:
                extra = " (pip install 'layanan-rules-sql[mysql]')" if self.dialect in ("mysql", "mariadb") else ""
                raise AdapterError(
                    f"{self.source}: driver basis data tidak terpasang: {exc}{extra} / "
                    f"database driver not installed{extra}",
                    source=self.source,
                ) from None
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # --- reading ------------------------------------------------------------------------------

    def read(self) -> Iterator[RawRecord]:
        for part in self.parts():
            yield from part.read()

    def parts(self) -> list[SourcePart]:
        """One part per entity: the tables and queries the mapping names, or the tables named like
        entities when there is no mapping."""
        engine = self.engine()
        try:
            inspector = sa.inspect(engine)
            specs = self._plan(inspector)
        except sa.exc.SQLAlchemyError as exc:
            raise self._error(exc, "connect") from None
        return [self._part(spec, inspector) for spec in specs]

    def _plan(self, inspector: Any) -> list[sqlmap.EntitySpec]:
        wanted = dict(self.mapping.entities)
        needs_lookup = not wanted or any(s.table is None and s.query is None for s in wanted.values())
        if not needs_lookup:
            return list(wanted.values())
        found: dict[str, list[str]] = {}
        names = _relation_names(inspector, self.mapping.schema)
        for name in names:
            entity = fieldmap.match_entity(name)
            if entity is not None:
                found.setdefault(entity, []).append(name)
        out: list[sqlmap.EntitySpec] = []
        if not wanted:
            unread = [n for n in names if fieldmap.match_entity(n) is None]
            if unread:
                self.notes.append(
                    f"{self.source}: tabel tidak dibaca karena namanya bukan entitas: {', '.join(unread)}; "
                    f"petakan dengan --option mapping=peta.yaml bila perlu / tables not read (their names are no "
                    f"entity): map them with a mapping file if needed"
                )
            if not found:
                raise AdapterError(
                    f"{self.source}: tidak ada tabel bernama entitas (unit, layanan, pengaduan, ...); tabel yang ada: "
                    f"{', '.join(names) or '(tidak ada / none)'}; beri --option mapping=peta.yaml / no table is "
                    f"named like an entity; give a mapping file",
                    source=self.source,
                )
            wanted = {e: sqlmap.EntitySpec(entity=e) for e in model.ENTITIES if e in found}
        for entity, spec in wanted.items():
            if spec.table is None and spec.query is None:
                hits = found.get(entity, [])
                exact = [h for h in hits if h.lower() == entity]
                if len(hits) > 1 and not exact:
                    raise AdapterError(
                        f"{self.source}: {entity}: beberapa tabel cocok ({', '.join(hits)}); tulis 'table:' di pemetaan / "
                        f"several tables match ({', '.join(hits)}); name one with 'table:' in the mapping",
                        source=self.source, entity=entity,
                    )
                if not hits:
                    raise AdapterError(
                        f"{self.source}: {entity}: tidak ada tabel bernama seperti entitas ini; tabel yang ada: "
                        f"{', '.join(names) or '(tidak ada / none)'}; tulis 'table:' atau 'query:' di pemetaan / "
                        f"no table is named like this entity; give 'table:' or 'query:' in the mapping",
                        source=self.source, entity=entity,
                    )
                spec = attrs.evolve(spec, table=(exact or hits)[0])
            out.append(spec)
        return out

    def _part(self, spec: sqlmap.EntitySpec, inspector: Any) -> SourcePart:
        name = spec.table if spec.table is not None else "query"
        return SourcePart(
            entity=spec.entity,
            name=f"{spec.entity} ({name})" if spec.table is None or spec.table != spec.entity else name,
            source=self.source,
            read=lambda: self._read_part(spec),
            count=lambda: self._count(spec),
        )

    def _schema(self, spec: sqlmap.EntitySpec) -> str | None:
        return spec.schema or self.mapping.schema

    def _table_columns(self, spec: sqlmap.EntitySpec) -> tuple[list[str], list[str]]:
        """(columns, primary key columns) of the spec's table; a missing table is an AdapterError."""
        inspector = sa.inspect(self.engine())
        schema = self._schema(spec)
        assert spec.table is not None
        try:
            cols = [c["name"] for c in inspector.get_columns(spec.table, schema=schema)]
        except sa.exc.NoSuchTableError:
            names = _relation_names(inspector, schema)
            near = fieldmap.suggest_entity(spec.table)
            close = [n for n in names if fieldmap.match_entity(n) == near] if near else []
            hint = f"; maksud Anda / did you mean {close[0]!r}?" if close else ""
            raise AdapterError(
                f"{self.source}: tabel {spec.table!r} untuk {spec.entity} tidak ada{hint} "
                f"(tabel yang ada / tables: {', '.join(names) or '-'}); periksa 'table:' di pemetaan / "
                f"table {spec.table!r} for {spec.entity} does not exist; check 'table:' in the mapping",
                source=self.source, entity=spec.entity,
            ) from None
        if not cols:  # SQLite reports no columns (rather than an error) for a missing table
            raise AdapterError(
                f"{self.source}: tabel {spec.table!r} untuk {spec.entity} tidak ada atau tanpa kolom "
                f"(tabel yang ada / tables: {', '.join(_relation_names(inspector, schema)) or '-'}) / "
                f"table {spec.table!r} for {spec.entity} does not exist or has no columns",
                source=self.source, entity=spec.entity,
            )
        pk = list((inspector.get_pk_constraint(spec.table, schema=schema) or {}).get("constrained_columns") or [])
        return cols, pk

    def _statement(self, spec: sqlmap.EntitySpec) -> tuple[Any, str | None]:
        """The SELECT for a part and the key column (for provenance and order)."""
        if spec.query is not None:
            return _user_text(spec.query), spec.key
        cols, pk = self._table_columns(spec)
        key = spec.key or (pk[0] if len(pk) == 1 else None) or _mapped_id(spec, cols)
        if key is not None and key not in cols:
            raise AdapterError(
                f"{self.source}: {spec.entity}: kolom kunci {key!r} tidak ada di tabel {spec.table!r} "
                f"(kolom / columns: {', '.join(cols)}) / key column {key!r} is not in table {spec.table!r}",
                source=self.source, entity=spec.entity,
            )
        t = sa.table(spec.table, *(sa.column(c) for c in cols), schema=self._schema(spec))
        stmt = sa.select(*t.c)
        if key is not None:
            stmt = stmt.order_by(t.c[key])
        return stmt, key

    def _connect(self) -> Any:
        """A connection in a read-only transaction (results are streamed per statement)."""
        conn = self.engine().connect()
        try:
            if self.dialect == "postgresql":
                conn = conn.execution_options(postgresql_readonly=True)
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            elif self.dialect in ("mysql", "mariadb"):
                conn.exec_driver_sql("START TRANSACTION READ ONLY")
            elif self.dialect == "sqlite":
                conn.exec_driver_sql("PRAGMA query_only = ON")
        except BaseException:
            conn.close()
            raise
        return conn

    def _read_part(self, spec: sqlmap.EntitySpec, stmt: Any = None, key: str | None = None) -> Iterator[RawRecord]:
        """The rows of a part as raw records; ``stmt`` (with its ``key``) reads a subset of them."""
        what = spec.table if spec.table is not None else "query"
        try:
            if stmt is None:
                stmt, key = self._statement(spec)
            conn = self._connect()
        except sa.exc.SQLAlchemyError as exc:
            raise self._error(exc, "connect", spec) from None
        with conn:
            try:
                # server-side cursor from here on (the read-only set-up statements ran without one)
                conn = conn.execution_options(stream_results=True, yield_per=self.mapping.yield_per)
                result = conn.execute(stmt)
                names = list(result.keys())
            except sa.exc.SQLAlchemyError as exc:
                raise self._error(exc, "read", spec) from None
            if key is not None and key not in names:
                raise AdapterError(
                    f"{self.source}: {spec.entity}: kolom kunci {key!r} tidak ada di hasil {what} "
                    f"(kolom / columns: {', '.join(names)}) / key column {key!r} is not among the columns",
                    source=self.source, entity=spec.entity,
                )
            plan = self._column_plan(spec, names)
            flat = [(index, parts[0], tidy) for index, parts, tidy in plan if len(parts) == 1]
            deep = [(index, parts, tidy) for index, parts, tidy in plan if len(parts) > 1]
            key_index = names.index(key) if key is not None else None
            part = spec.table or f"{spec.entity} (query)"
            source, entity = self.source, spec.entity
            n = 0
            try:
                for row in result:
                    n += 1
                    data: dict[str, Any] = {}
                    for index, name, tidy in flat:
                        value = row[index]
                        if value is not None:
                            value = tidy(value)
                            if value is not None:
                                data[name] = value
                    for index, parts, tidy in deep:
                        value = row[index]
                        if value is not None:
                            value = tidy(value)
                            if value is not None:
                                node = data
                                for p in parts[:-1]:
                                    node = node.setdefault(p, {})
                                node[parts[-1]] = value
                    if key_index is not None:
                        k = row[key_index]
                        prov = Provenance(source, part=part, key=None if k is None else str(k))
                    else:
                        prov = Provenance(source, part=part, row=n)
                    yield RawRecord(entity, data, prov)
            except sa.exc.SQLAlchemyError as exc:
                raise self._error(exc, "read", spec, after=n) from None

    # --- pushdown (layanan_rules.engine.pushdown.Database) -----------------------------------

    @property
    def pushdown_dialect(self) -> str | None:
        """The compiler dialect rules run in inside this database; None: read rows into Python."""
        return "postgres" if self.dialect == "postgresql" else None

    def pushdown_tables(self) -> list[Any]:
        """Each entity's SELECT, key and typed columns mapped to top-level fields."""
        from layanan_rules.engine.pushdown import Table

        engine = self.engine()
        try:
            specs = self._plan(sa.inspect(engine))
        except sa.exc.SQLAlchemyError as exc:
            raise self._error(exc, "connect") from None
        self._pushdown: dict[str, tuple[sqlmap.EntitySpec, Any, str | None]] = {}
        out = []
        for spec in specs:
            stmt, key = self._statement(spec)
            if spec.query is not None:
                select = spec.query.strip().rstrip(";")
            else:
                select = str(stmt.order_by(None).compile(dialect=engine.dialect,
                                                          compile_kwargs={"literal_binds": True}))
            names, types = self._describe(spec, select)
            noted = len(self.notes)
            plan = self._column_plan(spec, names)
            del self.notes[noted:]  # said once, when the rows are read
            columns = {parts[0]: (names[i], types[i]) for i, parts, _tidy in plan if len(parts) == 1}
            if key is not None and key not in names:
                key = None
            if spec.query is not None:
                sub = _user_text(spec.query.strip().rstrip(";")).columns(*(sa.column(n) for n in names)).subquery("q")
            else:
                sub = stmt.order_by(None).subquery("q")
            self._pushdown[spec.entity] = (spec, sub, key)
            out.append(Table(spec.entity, select, key, columns))
        return out

    def _describe(self, spec: sqlmap.EntitySpec, select: str) -> tuple[list[str], list[str]]:
        """Column names and PostgreSQL type names of a SELECT (run with LIMIT 0)."""
        rows = self.pushdown_rows(f"SELECT * FROM ({select}) AS s LIMIT 0", spec, describe=True)
        try:
            desc = next(rows)
        finally:
            rows.close()
        return [d[0] for d in desc], [d[1] for d in desc]

    def pushdown_rows(self, sql: str, spec: sqlmap.EntitySpec | None = None,
                      describe: bool = False) -> Iterator[Any]:
        """Run ``sql`` in a read-only transaction, rows streamed by a server-side cursor (the SQL
        is sent as it is: no parameter markers are read in it)."""
        try:
            conn = self._connect()
        except sa.exc.SQLAlchemyError as exc:
            raise self._error(exc, "connect", spec) from None
        n = 0
        with conn:
            try:
                conn.exec_driver_sql("SET LOCAL TIME ZONE 'UTC'")
                raw = conn.connection.driver_connection
                if describe:
                    cur = raw.cursor()
                    cur.execute(sql)
                    desc = list(cur.description or ())
                    oids = [d.type_code for d in desc]
                    cur.execute("SELECT oid::bigint, format_type(oid, NULL) FROM pg_type WHERE oid = ANY(%s)",
                                [oids])
                    names = dict(cur.fetchall())
                    yield [(d.name, names.get(d.type_code, "?")) for d in desc]
                    return
                cur = raw.cursor(name="layanan_rules_pushdown")
                cur.itersize = self.mapping.yield_per
                cur.execute(sql)
                for row in cur:
                    n += 1
                    yield row
            except (sa.exc.SQLAlchemyError, Exception) as exc:  # the driver's own errors (psycopg.Error)
                if isinstance(exc, AdapterError):
                    raise
                raise self._error(exc, "read", spec, after=n) from None

    def pushdown_records(self, entity: str, keys: Any) -> Iterator[RawRecord]:
        """The entity's rows as always (``keys`` None), or those whose key is in ``keys``."""
        spec, sub, key = self._pushdown[entity]
        if keys is None:
            yield from self._read_part(spec)
            return
        keys = list(keys)
        step = 5000
        for i in range(0, len(keys), step):
            stmt = sa.select(*sub.c).where(sub.c[key].in_(keys[i:i + step])).order_by(sub.c[key])
            yield from self._read_part(spec, stmt, key)

    def pushdown_thin(self, entity: str, key: Any, values: Mapping[str, Any]) -> RawRecord:
        """A row that passed every rule: its key and link fields only."""
        spec, _sub, _key = self._pushdown[entity]
        data: dict[str, Any] = {}
        for field, value in values.items():
            if value is not None:
                value = _tidier(entity, field, self.zone)(value)
                if value is not None:
                    data[field] = value
        part = spec.table or f"{spec.entity} (query)"
        return RawRecord(entity, data, Provenance(self.source, part=part, key=None if key is None else str(key)))

    def _column_plan(self, spec: sqlmap.EntitySpec, names: list[str]) -> list[tuple[int, list[str], Callable[[Any], Any]]]:
        """Per result column: (index, model path split, value tidier); notes unmatched columns once."""
        entity = spec.entity
        explicit = spec.explicit
        tops = {f.name.lower(): f.name for f in attrs.fields(model.ENTITIES[entity]) if not model.is_relation(f)}
        plan: list[tuple[int, list[str], Callable[[Any], Any]]] = []
        taken: dict[str, str] = {}
        unmatched: list[str] = []
        for index, name in enumerate(names):
            found, path = explicit.path_for(name)
            if found and path is None:
                continue  # ignored on purpose
            if not found:
                path = tops.get(str(name).lower()) or fieldmap.match_header(entity, name)
            if path is None:
                near = fieldmap.suggest(entity, name)
                unmatched.append(f"{name}" + (f" (maksud Anda / did you mean {near}?)" if near else ""))
                continue
            if path in taken:
                self.notes.append(
                    f"{self.source}: {spec.table or spec.entity}: kolom {name!r} dan {taken[path]!r} sama-sama "
                    f"dipetakan ke {path}; {name!r} dipakai / columns {name!r} and {taken[path]!r} both map to "
                    f"{path}; {name!r} is used"
                )
            taken[path] = name
            plan.append((index, path.split("."), _tidier(entity, path, self.zone)))
        if unmatched:
            self.notes.append(
                f"{self.source}: {spec.table or spec.entity + ' (query)'}: kolom tidak dikenal dan diabaikan: "
                f"{'; '.join(unmatched)}; petakan di 'columns:' atau beri null / unknown columns ignored: map them "
                f"under 'columns:' or map them to null"
            )
        return plan

    def _count(self, spec: sqlmap.EntitySpec) -> int | None:
        """Rows the table holds (for "how many are missing"); None for queries or on failure."""
        if spec.table is None:
            return None
        try:
            t = sa.table(spec.table, schema=self._schema(spec))
            with self.engine().connect() as conn:
                return int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
        except (sa.exc.SQLAlchemyError, AdapterError, OSError):
            return None

    # --- errors -------------------------------------------------------------------------------

    def _scrub(self, text: str) -> str:
        if self._password:
            text = text.replace(self._password, "***")
        return text

    def _error(self, exc: BaseException, phase: str, spec: sqlmap.EntitySpec | None = None,
               after: int | None = None) -> AdapterError:
        orig = getattr(exc, "orig", None) or exc
        detail = self._scrub(" ".join(str(orig).split()))[:400]
        low = detail.lower()
        entity = spec.entity if spec else None
        where = f"{self.source}" + (f": {spec.entity}" if spec else "")
        if any(s in low for s in ("password authentication failed", "access denied", "authentication failed",
                                  "no password supplied", "fe_sendauth")):
            env = self.mapping.password_env
            hint_id = f"periksa nama pengguna dan kata sandi ({'variabel ' + env if env else 'password_env'})"
            hint_en = f"check the user name and password ({'variable ' + env if env else 'password_env'})"
            msg = f"{where}: login ke basis data gagal: {detail}; {hint_id} / database login failed; {hint_en}"
        elif phase == "connect" and isinstance(exc, sa.exc.OperationalError) and not (
            "does not exist" in low or "unknown database" in low
        ):
            msg = (
                f"{where}: tidak dapat terhubung ke basis data: {detail}; periksa host, port dan bahwa server "
                f"berjalan / cannot connect to the database; check host, port and that the server is running"
            )
        elif "database" in low and ("does not exist" in low or "unknown database" in low):
            msg = f"{where}: basis data tidak ada: {detail}; periksa nama basis data di URL / the database does not exist; check its name in the URL"
        else:
            what = "query" if spec is not None and spec.query is not None else f"tabel / table {spec.table!r}" if spec else ""
            done = f" setelah {after} baris / after {after} rows" if after else ""
            msg = (
                f"{where}: membaca {what} gagal{done}: {detail}; periksa {what} dan hak akses pengguna / "
                f"reading {what} failed; check it and the user's privileges"
            )
        return AdapterError(msg, source=self.source, entity=entity)


#: Options the adapter understands (``--option KEY=VALUE``).
OPTIONS = ("mapping", "password_env", "schema", "yield_per")


def _check_options(options: Mapping[str, Any], known: tuple[str, ...], source: str) -> None:
    """An option the adapter does not know is a mistake, not something to ignore silently."""
    for key in options:
        if key not in known:
            near = difflib.get_close_matches(key, known, n=1)
            hint = f"; maksud Anda / did you mean '{near[0]}'?" if near else ""
            raise AdapterError(
                f"opsi '{key}' tidak dikenal adapter sql{hint} (dikenal / known: {', '.join(known)}) / "
                f"unknown option '{key}'",
                source=source,
            )


def _relation_names(inspector: Any, schema: str | None) -> list[str]:
    names = list(inspector.get_table_names(schema=schema))
    try:
        names += [v for v in inspector.get_view_names(schema=schema) if v not in names]
    except NotImplementedError:
        pass
    return names


def _mapped_id(spec: sqlmap.EntitySpec, cols: list[str]) -> str | None:
    """The column that holds the entity's id (explicitly mapped, or matched), as a key fallback."""
    explicit = spec.explicit
    for c in cols:
        found, path = explicit.path_for(c)
        if found and path == "id":
            return c
    for c in cols:
        found, _ = explicit.path_for(c)
        if not found and fieldmap.match_header(spec.entity, c) == "id":
            return c
    return None


def _shown(url: URL) -> str:
    """The URL as every message and provenance shows it."""
    return mask_query(url.render_as_string(hide_password=True))


def _encode_userinfo(location: str) -> str:
    """``user:p@ss@host`` -> ``user:p%40ss@host``: the host follows the last ``@`` of the authority,
    so an ``@`` in a password that was not percent-encoded is read as part of the password."""
    head, sep, rest = location.partition("://")
    if not sep:
        return location
    scope = rest.split("?", 1)[0]
    at = scope.rfind("@")
    if at < 0 or "@" not in scope[:at]:
        return location
    return f"{head}://{scope[:at].replace('@', '%40')}@{rest[at + 1:]}"


def _sqlite_read_only(url: URL) -> URL:
    """A SQLite URL that opens its file read-only (``file:...?mode=ro`` with ``uri=true``),
    whatever the URL asked for (``mode=rwc`` included); ``:memory:`` stays as it is."""
    db = url.database or ""
    if not db or db == ":memory:":
        return url
    if db.startswith("file:"):
        path, _, _query = db[5:].partition("?")
    else:
        path = str(Path(db).resolve())
    query = {k: v for k, v in url.query.items() if k not in ("mode", "uri")}
    return url.set(database=f"file:{path}?mode=ro", query={**query, "uri": "true"})


def _refuse_attach(dbapi_connection: Any, _record: Any) -> None:
    """No ATTACH or DETACH (VACUUM INTO attaches its target): nothing may create a file."""

    def authorizer(action: int, *_args: Any) -> int:
        if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    dbapi_connection.set_authorizer(authorizer)


_LIST_KINDS = {Kind.list, Kind.peraturan_list}
_OBJECT_KINDS = {Kind.jangka_waktu, Kind.biaya}
_TEXT_KINDS = {Kind.text, Kind.list, Kind.peraturan_list, Kind.enum}


def _tidier(entity: str, path: str, zone: ZoneInfo) -> Callable[[Any], Any]:
    """How a database value becomes a raw record value for one column (text stays text: the core
    converter parses it as Indonesians write it)."""
    try:
        kind: Kind | None = fieldmap.column(entity, path).kind
    except KeyError:
        kind = None  # a whole nested object (standar, fungsi): a JSON column
    is_id = path == "id" or path.endswith("_id")
    # decided once per column, not per value (the hot loop runs once per cell)
    nested = kind is None  # a whole nested object (standar, fungsi): JSON
    json_object = nested or kind in _OBJECT_KINDS
    json_list = kind in _LIST_KINDS
    numbers_as_text = is_id or kind in _TEXT_KINDS

    def tidy(value: Any) -> Any:
        t = type(value)
        if t is str:
            text = value.strip()
            if not text:
                return None
            first = text[0]
            if (json_object and first in "{[") or (json_list and first == "["):
                try:
                    return json.loads(text)
                except ValueError:
                    return text
            if nested and text == "null":  # a JSON column holding JSON null (MariaDB, SQLite give text)
                return None
            return text
        if t is bool:
            return value
        if t is int or t is float:
            return str(value) if numbers_as_text else value
        if t is dt.datetime:
            return value.astimezone(zone) if value.tzinfo is not None else value
        if t is dt.date or t is dict or t is list:
            return value
        if isinstance(value, decimal.Decimal):
            number = int(value) if value == value.to_integral_value() else float(value)
            return str(number) if numbers_as_text else number
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value).decode("utf-8", errors="replace")
        if isinstance(value, str):  # a str subclass
            return tidy(str(value))
        return value if isinstance(value, (dt.date, dict, list, int, float)) else str(value)

    return tidy
