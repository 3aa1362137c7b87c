"""Shared by the SQL differential test and its heavier version in bench/: generated records
and expressions, evaluated by the Python back end and by DuckDB, compared outcome by outcome.

An outcome is ``("value", v)`` or ``("error", reason, message)``; both back ends must give the
same, for every record and expression.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import typing
from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from layanan_rules import model
from layanan_rules.expr import CelError
from layanan_rules.expr import sql as esql
from layanan_rules.expr.conformance import strict_equal
from layanan_rules.expr.sql.duck import evaluate_rows

UTC = dt.UTC
WIB = dt.timezone(dt.timedelta(hours=7))


# ----------------------------------------------------------------------------------- outcomes


def py_outcome(fn, args: Sequence[Any]) -> tuple:
    try:
        return ("value", fn(*args))
    except CelError as e:
        return ("error", e.reason, e.message)


def sql_outcome(value: Any, error: str | None) -> tuple:
    if error is not None:
        reason, message = esql.split_error(error)
        return ("error", reason, message)
    return ("value", value)


def same(a: tuple, b: tuple) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "error":
        return a[1:] == b[1:]
    x, y = a[1], b[1]
    if isinstance(x, tuple):
        x = list(x)
    if isinstance(x, enum.Enum):
        x = x.value
    return strict_equal(x, y) or (x is None and y is None)


def compare(con, sources: Sequence[str], decls: dict[str, Any], functions, rows: Sequence[Sequence[Any]],
            column_types: dict[str, Any] | None = None) -> list[str]:
    """Evaluate every source on every row both ways; a description of each disagreement."""
    from layanan_rules.expr import compile as py_compile

    progs, pys = [], []
    for src in sources:
        progs.append(compiled_sql(src, tuple(decls.items()), functions))
        pys.append(py_compile(src, decls, functions))
    got = evaluate_rows(con, progs, column_types or decls, rows)
    bad = []
    for row, outs in zip(rows, got):
        for src, py, (v, e) in zip(sources, pys, outs):
            want = py_outcome(py.fn, row)
            have = sql_outcome(v, e)
            if not same(want, have):
                bad.append(f"{src!r}\n  row {row!r}\n  python {want!r}\n  duckdb {have!r}")
    return bad


_COMPILED: dict[tuple, Any] = {}


def compiled_sql(src: str, decls: tuple, functions) -> esql.SqlProgram:
    key = (src, decls, id(functions))
    got = _COMPILED.get(key)
    if got is None:
        try:
            got = esql.compile(src, dict(decls), functions)
        except esql.NoSqlForm as e:
            got = e
        _COMPILED[key] = got
    if isinstance(got, Exception):
        raise got
    return got


# ----------------------------------------------------------------------------------- values


@functools.cache
def holidays_near() -> list[dt.date]:
    from layanan_rules.rules.functions import _holidays

    out = set()
    for year in (2023, 2024, 2025):
        for h in _holidays(year):
            for k in range(-3, 4):
                out.add(h + dt.timedelta(days=k))
    return sorted(out)


AS_OF_DATES = [dt.date(2025, 1, 31), dt.date(2024, 12, 25), dt.date(2025, 4, 1), dt.date(2024, 6, 17),
               dt.date(2025, 3, 29), dt.date(2024, 2, 29), dt.date(2025, 1, 1)]
DEADLINE_DAYS = [0, 1, 2, 6, 7, 8, 13, 14, 15, 29, 30, 31, 59, 60, 61, 180, 365, 366]

_near_deadlines = st.sampled_from(AS_OF_DATES).flatmap(
    lambda d: st.sampled_from(DEADLINE_DAYS).map(lambda k: d - dt.timedelta(days=k)))
_near_holidays = st.deferred(lambda: st.sampled_from(holidays_near()))
# the Python reference counts working days one day at a time: far-apart dates are kept rare
dates = st.one_of(
    _near_deadlines, _near_holidays, _near_deadlines, _near_holidays,
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.sampled_from([dt.date(1945, 12, 31), dt.date(1946, 1, 1), dt.date(2100, 12, 31), dt.date(2101, 1, 1)]),
)
#: the ends of the calendar: tested on their own (the Python reference loops over every day)
EXTREME_DATES = [dt.date(1, 1, 1), dt.date(1, 1, 2), dt.date(1969, 12, 31), dt.date(9999, 12, 30),
                 dt.date(9999, 12, 31)]
OFFSETS = [WIB, UTC, dt.timezone(dt.timedelta(hours=9)), dt.timezone(dt.timedelta(hours=-5, minutes=-30))]
timestamps = st.builds(
    lambda d, secs, tz: dt.datetime.combine(d, dt.time(), tzinfo=tz) + dt.timedelta(seconds=secs),
    dates.filter(lambda d: dt.date(2, 1, 1) <= d <= dt.date(9998, 12, 31)),
    st.one_of(st.sampled_from([0, 1, 3600 * 7 - 1, 3600 * 7, 3600 * 17, 3600 * 17 - 1, 86399]),
              st.integers(0, 86399)),
    st.sampled_from(OFFSETS),
)
TEXTS = ["", " ", "  ", "\t", "\u00a0", "\u2003", "\u3000x", "Selesai", "SELESAI ", "selesai.", "Se-le_sai",
         "ditutup", "Dicabut", "dianggap_dicabut", "batal", "closed", "DONE!", "tuntas", "İzin", "\u212a",
         "diputuskan", "proses", "pihak_lain", "tertentu", "antar_penyelenggara", "hari", "Perda No 5 Tahun 2019",
         "web", "sms", "x", "ẞ", "ﬁnished", "ﬀ", "S\u0130", "resolved\u200b"]
texts = st.one_of(st.sampled_from(TEXTS), st.text(max_size=6))
ints = st.one_of(st.sampled_from([0, 1, -1, 2, 7, 14, 30, 60, 100, 10_000, 2**63 - 1, -(2**63), 2**62]),
                 st.integers(-10**6, 10**6))
floats = st.one_of(st.sampled_from([0.0, -0.0, 1.0, 3.5, 4.0, 4.000001, 0.99, 2.5, math.nan, math.inf, -math.inf,
                                    1e16, 1e-5, 25.0]),
                   st.floats(allow_nan=True, allow_infinity=True))


def for_type(tp: Any, depth: int = 0) -> st.SearchStrategy:
    """Values of a model field's type, with None for every optional one."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, __import__("types").UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return st.one_of(st.none(), for_type(args[0], depth))
    if origin is tuple:
        (inner, _dots) = typing.get_args(tp)
        if attrs.has(inner) and depth >= 2:
            return st.just(())
        return st.lists(for_type(inner, depth + 1), max_size=3).map(tuple)
    if tp is str:
        return texts
    if tp is bool:
        return st.booleans()
    if tp is int:
        return ints
    if tp is float:
        return floats
    if tp is dt.datetime:
        return timestamps
    if tp is dt.date:
        return dates
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if attrs.has(tp):
        return records(tp, depth)
    raise TypeError(tp)


def records(cls: type, depth: int = 0) -> st.SearchStrategy:
    hints = typing.get_type_hints(cls, vars(model))
    fields = {}
    for f in attrs.fields(cls):
        if f.name == "id":
            fields[f.name] = st.sampled_from(["A", "B"])
        elif model.is_relation(f) and depth >= 1:
            fields[f.name] = st.just(())
        else:
            fields[f.name] = for_type(hints[f.name], depth + (1 if model.is_relation(f) else 0))
    return st.builds(cls, **fields)


# The same values drawn from a random.Random (for nested records: hypothesis draws each value
# separately, and a unit with its services, complaints and staff is thousands of draws)


def random_value(tp: Any, rng: Any, depth: int = 0) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, __import__("types").UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return None if rng.random() < 0.3 else random_value(args[0], rng, depth)
    if origin is tuple:
        (inner, _dots) = typing.get_args(tp)
        if attrs.has(inner) and depth >= 2:
            return ()
        return tuple(random_value(inner, rng, depth + 1) for _ in range(rng.choice([0, 0, 1, 2, 3])))
    if tp is str:
        return rng.choice(TEXTS) if rng.random() < 0.8 else "".join(
            chr(rng.choice([rng.randint(32, 126), rng.randint(0, 0x2FFF)])) for _ in range(rng.randint(0, 5)))
    if tp is bool:
        return rng.random() < 0.5
    if tp is int:
        return rng.choice(_INT_POOL) if rng.random() < 0.6 else rng.randint(-10**6, 10**6)
    if tp is float:
        return rng.choice(_FLOAT_POOL) if rng.random() < 0.6 else rng.uniform(-100, 100)
    if tp is dt.date:
        return _random_date(rng)
    if tp is dt.datetime:
        return (dt.datetime.combine(_random_date(rng, ends=False), dt.time(), tzinfo=rng.choice(OFFSETS))
                + dt.timedelta(seconds=rng.choice([0, 1, 3600 * 7 - 1, 3600 * 7, 3600 * 17, 86399,
                                                   rng.randint(0, 86399)])))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return rng.choice(list(tp))
    if attrs.has(tp):
        return random_record(tp, rng, depth)
    raise TypeError(tp)


_INT_POOL = [0, 1, -1, 2, 7, 14, 30, 60, 100, 10_000, 2**63 - 1, -(2**63), 2**62]
_FLOAT_POOL = [0.0, -0.0, 1.0, 3.5, 4.0, 4.000001, 0.99, 2.5, math.nan, math.inf, -math.inf, 1e16, 1e-5, 25.0]


def _random_date(rng: Any, ends: bool = True) -> dt.date:
    k = rng.randrange(10)
    if k < 4:
        return rng.choice(AS_OF_DATES) - dt.timedelta(days=rng.choice(DEADLINE_DAYS))
    if k < 8:
        return rng.choice(holidays_near())
    if k < 9 or not ends:
        return dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(11323))
    return rng.choice([dt.date(1945, 12, 31), dt.date(1946, 1, 1), dt.date(2100, 12, 31), dt.date(2101, 1, 1)])


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    import sys

    return typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))


def random_record(cls: type, rng: Any, depth: int = 0) -> Any:
    hints = _hints(cls)
    kw = {}
    for f in attrs.fields(cls):
        if f.name == "id":
            kw[f.name] = rng.choice(["A", "B"])
        elif model.is_relation(f) and depth >= 1:
            kw[f.name] = ()
        else:
            kw[f.name] = random_value(hints[f.name], rng, depth + (1 if model.is_relation(f) else 0))
    return cls(**kw)


def record_rows(cls: type, param_cls: type, defaults: Any, as_of: Sequence[dt.date], n: int) -> st.SearchStrategy:
    """``n`` rows (record, parameters, as_of) from a random source seeded by hypothesis."""
    import random

    def build(seed: int) -> list[tuple]:
        rng = random.Random(seed)
        rows = []
        for _ in range(n):
            kw = {}
            for f in attrs.fields(param_cls):
                value = getattr(defaults, f.name)
                if isinstance(value, bool):
                    kw[f.name] = rng.random() < 0.5
                elif isinstance(value, int):
                    kw[f.name] = rng.choice([value, value - 1, value + 1, 0])
                else:
                    kw[f.name] = value
            rows.append((random_record(cls, rng), param_cls(**kw), rng.choice(list(as_of))))
        return rows

    return st.integers(0, 2**32).map(build)


def params(param_cls: type, defaults: Any) -> st.SearchStrategy:
    kw = {}
    for f in attrs.fields(param_cls):
        value = getattr(defaults, f.name)
        if isinstance(value, bool):
            kw[f.name] = st.booleans()
        elif isinstance(value, int):
            kw[f.name] = st.sampled_from([value, value - 1, value + 1, 0])
        else:
            kw[f.name] = st.just(value)
    return st.builds(param_cls, **kw)


def rule_sources(ruleset) -> dict[str, list[str]]:
    """Entity -> the distinct ``when``/``require`` sources of its rules that have an SQL form."""
    from layanan_rules.rules.functions import default_functions

    out: dict[str, list[str]] = {}
    fns = default_functions()
    for rule in ruleset.rules:
        for part in (rule.when, rule.require):
            if part is None:
                continue
            decls = ((rule.entity, model.ENTITIES[rule.entity]), ("param", type(ruleset.params)), ("as_of", dt.date))
            try:
                compiled_sql(part.source, decls, fns)
            except esql.NoSqlForm:
                continue
            srcs = out.setdefault(rule.entity, [])
            if part.source not in srcs:
                srcs.append(part.source)
    return out


# ----------------------------------------------------------------------------------- expressions

FLAT = {"i": int | None, "j": int, "f": float | None, "s": str | None, "t": str, "b": bool | None,
        "ts": dt.datetime | None, "tu": dt.datetime, "d": dt.date | None, "xs": tuple[int, ...],
        "ss": tuple[str, ...]}


def flat_rows() -> st.SearchStrategy:
    return st.tuples(*(for_type(tp) for tp in FLAT.values()))


def _leaf(kind: str) -> st.SearchStrategy:
    return st.sampled_from({
        "int": ["i", "j", "1", "0", "-1", "2", "9223372036854775807", "-9223372036854775807 - 1", "size(s)",
                "size(xs)", "size(ss)", "14"],
        "double": ["f", "2.5", "0.0", "-0.0", "double(j)", "1e308"],
        "string": ["s", "t", "'selesai'", "''", "' '", "string(j)"],
        "bool": ["b", "true", "false", "terisi(s)", "terisi(ss)", "terisi(t)"],
        "date": ["d", "tanggal(ts)", "tanggal(tu)", "date('2024-03-11')"],
        "ts": ["ts", "tu"],
    }[kind])


def expressions(kind: str = "bool", depth: int = 3) -> st.SearchStrategy:
    if depth <= 0:
        return _leaf(kind)
    g = functools.partial(expressions, depth=depth - 1)
    cmp_ops = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])
    if kind == "bool":
        return st.one_of(
            _leaf("bool"),
            st.tuples(g("bool"), st.sampled_from(["&&", "||"]), g("bool")).map(lambda p: f"({p[0]} {p[1]} {p[2]})"),
            g("bool").map(lambda x: f"!{x}"),
            st.tuples(st.sampled_from(["int", "double", "string", "date", "ts"]), cmp_ops).flatmap(
                lambda p: st.tuples(g(p[0]), g(p[0])).map(lambda ab: f"({ab[0]} {p[1]} {ab[1]})")),
            st.tuples(g("int"), cmp_ops, g("double")).map(lambda p: f"(double({p[0]}) {p[1]} {p[2]})"),
            st.tuples(g("bool"), g("bool"), g("bool")).map(lambda p: f"({p[0]} ? {p[1]} : {p[2]})"),
            st.tuples(g("string"), st.sampled_from(["contains", "startsWith", "endsWith"]), g("string")).map(
                lambda p: f"{p[0]}.{p[1]}({p[2]})"),
            st.tuples(st.sampled_from(["exists", "all", "exists_one"]), g("int")).map(
                lambda p: f"xs.{p[0]}(v, v > {p[1]})"),
            st.tuples(st.sampled_from(["exists", "all"]), g("string")).map(
                lambda p: f"ss.{p[0]}(w, w.startsWith({p[1]}) || terisi(w))"),
            g("string").map(lambda x: f"({x} in ss)"),
            g("int").map(lambda x: f"({x} in xs)"),
            g("string").map(lambda x: f"status_selesai({x})"),
            st.sampled_from(["(s == null)", "(i != null)", "(ts == null)", "(b == true)", "(b != false)",
                             "s.matches('^[0-9]+$')", "t.matches('el')", "xs.filter(v, v > 1).exists(v, v < 5)",
                             "size(xs.map(v, v * 2)) == size(xs)", "proporsi(xs, v, v > 0) > 0.5",
                             "jumlah(ss, w, terisi(w)) >= 1"]),
        )
    if kind == "int":
        return st.one_of(
            _leaf("int"),
            st.tuples(g("int"), st.sampled_from(["+", "-", "*", "/", "%"]), g("int")).map(
                lambda p: f"({p[0]} {p[1]} {p[2]})"),
            g("int").map(lambda x: f"-{x}"),
            st.tuples(g("bool"), g("int"), g("int")).map(lambda p: f"({p[0]} ? {p[1]} : {p[2]})"),
            st.tuples(st.sampled_from(["hari", "hari_kerja"]), g("date"), g("date")).map(
                lambda p: f"{p[0]}({p[1]}, {p[2]})"),
            st.tuples(g("ts"), g("date"), g("bool")).map(lambda p: f"selisih_hari({p[0]}, {p[1]}, {p[2]})"),
            g("double").map(lambda x: f"int({x})"),
            st.tuples(g("ts"), st.sampled_from(["getHours", "getDayOfWeek", "getFullYear", "getDate", "getMonth"]),
                      st.sampled_from(["", "'Asia/Jakarta'", "'+07:00'", "'-02:30'"])).map(
                lambda p: f"{p[0]}.{p[1]}({p[2]})"),
            st.tuples(g("date")).map(lambda p: f"tahun({p[0]})"),
            st.tuples(g("int")).map(lambda p: f"xs[{p[0]}]"),
            st.tuples(g("string")).map(lambda p: f"size({p[0]})"),
        )
    if kind == "double":
        return st.one_of(
            _leaf("double"),
            st.tuples(g("double"), st.sampled_from(["+", "-", "*", "/"]), g("double")).map(
                lambda p: f"({p[0]} {p[1]} {p[2]})"),
            g("int").map(lambda x: f"double({x})"),
        )
    if kind == "string":
        return st.one_of(
            _leaf("string"),
            st.tuples(g("string"), g("string")).map(lambda p: f"({p[0]} + {p[1]})"),
            g("int").map(lambda x: f"string({x})"),
            g("double").map(lambda x: f"string({x})"),
            g("date").map(lambda x: f"string({x})"),
            g("ts").map(lambda x: f"string({x})"),
            st.tuples(g("bool"), g("string"), g("string")).map(lambda p: f"({p[0]} ? {p[1]} : {p[2]})"),
        )
    if kind == "date":
        return st.one_of(
            _leaf("date"),
            st.tuples(g("date"), g("int")).map(lambda p: f"tambah_bulan({p[0]}, {p[1]})"),
            st.tuples(g("date"), st.sampled_from(["1", "-1", "14", "2"])).map(
                lambda p: f"({p[0]} + duration('{int(p[1]) * 24}h'))"),
            g("ts").map(lambda x: f"date({x}, 'Asia/Jakarta')"),
            st.tuples(g("bool"), g("date"), g("date")).map(lambda p: f"({p[0]} ? {p[1]} : {p[2]})"),
        )
    return st.one_of(
        _leaf("ts"),
        st.tuples(g("ts"), st.sampled_from(["'1h'", "'-24h'", "'86400s'", "'1000000h'"])).map(
            lambda p: f"({p[0]} + duration({p[1]}))"),
    )


# ----------------------------------------------------------------------------------- PostgreSQL


def postgres_layout(entity: str, param_cls: type) -> tuple[dict, dict, dict]:
    """(entity fields, parameter fields, bindings): one column per flat field, ``e_<field>`` and
    ``p_<param>``, bound as :class:`Row` s."""
    from sqlglot import exp

    from layanan_rules.expr.sql.values import enum_as_string
    from layanan_rules.expr.types import attrs_fields

    fields = {n: enum_as_string(t) for n, t in attrs_fields(model.ENTITIES[entity]).items()
              if t.kind not in ("list", "obj")}
    pfields = dict(attrs_fields(param_cls))

    def col(name: str) -> exp.Column:
        return exp.column(name, quoted=True)

    bindings = {entity: esql.Row({n: col(f"e_{n}") for n in fields}),
                "param": esql.Row({n: col(f"p_{n}") for n in pfields})}
    return fields, pfields, bindings


def evaluate_rows_postgres(conn, sources: Sequence[str], entity: str, param_cls: type, functions,
                           rows: Sequence[Sequence[Any]]) -> list[list[tuple[Any, str | None]]]:
    """Like :func:`evaluate_rows`, in PostgreSQL, the record spread over columns (as the SQL
    adapter's tables are) and bound as a :class:`Row`: the shape of pushdown."""
    from layanan_rules.expr.sql.duck import from_host
    from layanan_rules.expr.sql.values import sql_type
    from layanan_rules.expr.types import from_py

    cls = model.ENTITIES[entity]
    fields, pfields, bindings = postgres_layout(entity, param_cls)
    cols = {f"e_{n}": t for n, t in fields.items()} | {f"p_{n}": t for n, t in pfields.items()}
    cols["as_of"] = from_py(dt.date)
    decls = {entity: cls, "param": param_cls, "as_of": dt.date}
    progs = [esql.compile(s, decls, functions, dialect="postgres", bindings=bindings) for s in sources]
    with conn.cursor() as cur:
        for p in progs:
            for name, (columns, make) in p.tables.items():
                cur.execute("SELECT to_regclass(%s)", [name])
                if cur.fetchone()[0] is None:
                    cur.execute(f'CREATE TABLE "{name}" ({", ".join(f"{c} {t}" for c, t in columns)})')
                    cur.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("%s" for _ in columns)})', list(make()))
        cur.execute("DROP TABLE IF EXISTS rows_")
        defs = ", ".join(f'"{n}" {sql_type(t, "postgres")}' for n, t in cols.items())
        cur.execute(f"CREATE TEMP TABLE rows_ (i BIGINT, {defs})")
        data = []
        for i, (obj, prm, as_of) in enumerate(rows):
            vals = [i]
            vals += [esql.host_value(getattr(obj, n), t) if t.kind != "duration" else None for n, t in fields.items()]
            vals += [getattr(prm, n) for n in pfields]
            vals.append(as_of)
            data.append(vals)
        cur.executemany(f"INSERT INTO rows_ VALUES ({', '.join('%s' for _ in range(len(cols) + 1))})", data)
        select = ", ".join(f"{p.value_sql()} AS v{k}, {p.error_sql()} AS e{k}" for k, p in enumerate(progs))
        cur.execute(f"SELECT {select} FROM rows_ ORDER BY i")
        out = []
        for got in cur.fetchall():
            out.append([(from_host(got[2 * k], p.type), got[2 * k + 1]) for k, p in enumerate(progs)])
    conn.commit()
    return out
