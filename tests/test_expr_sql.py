"""The SQL back end of the expression language agrees with the Python back end.

Its law is agreement: generated records (absent and null fields, blanks, odd values, dates
around holidays and deadlines) and generated expressions are evaluated by the Python back end
and, compiled to SQL, by DuckDB; value for value and error for error (reason and message) they
must be the same. Bounded here; ``bench/bench_sql_differential.py`` runs thousands per rule.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sql_differential import AS_OF_DATES as AS_OF
from sql_differential import FLAT, compare, expressions, flat_rows, record_rows, rule_sources

from layanan_rules import model
from layanan_rules.expr import ExprErrors
from layanan_rules.expr import sql as esql
from layanan_rules.expr.sql.duck import connect, evaluate_rows
from layanan_rules.expr.types import from_py
from layanan_rules.rules.functions import default_functions

FNS = default_functions()
# bounded: a DuckDB query costs more than its rows, so few examples of many rows, and no
# shrinking (a query per step); a failure prints the rows that disagree
SETTINGS = settings(max_examples=4, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def con():
    c = connect()
    yield c
    c.close()


@pytest.fixture(scope="module")
def sources(ruleset):
    return rule_sources(ruleset)


def test_which_bundled_rules_have_no_sql_form(ruleset, sources):
    """Which ``when``/``require`` have no SQL form here (parameters as columns), and why: only
    calls of the functions below, whose SQL forms are not written (``batas_waktu`` has one for
    constant calendar-day parameters, which the engine gives: tests/test_engine_sql.py)."""
    without = {}
    for rule in ruleset.rules:
        decls = {rule.entity: model.ENTITIES[rule.entity], "param": type(ruleset.params), "as_of": dt.date}
        for part, prog in (("when", rule.when), ("require", rule.require)):
            if prog is None:
                continue
            try:
                esql.compile(prog.source, decls, FNS)
            except esql.NoSqlForm as e:
                without[f"{rule.id}.{part}"] = e.reason
    named = {"kasus", "batas_waktu", "batas_hari_kerja", "batas_jangka_waktu", "unsur_peserta", "unsur_maklumat",
             "ikm_survei", "peraturan_bernomor"}
    assert all(any(f"'{f}'" in r or r.startswith(f + ":") for f in named) for r in without.values()), without
    assert sum(len(v) for v in sources.values()) > 100


@pytest.mark.parametrize("entity", sorted(model.ENTITIES))
def test_bundled_rules_agree_on_generated_records(entity, ruleset, sources, con):
    srcs = sources.get(entity, [])
    if not srcs:
        pytest.skip(f"no rule applies to {entity}")
    try:
        esql.sql_type(from_py(model.ENTITIES[entity]), "duckdb")
    except (esql.NoSqlForm, RecursionError):
        pytest.skip(f"{entity} nests a recursive type (a case list), so it is no one struct column; its rules run "
                    f"over one column per field read in tests/test_engine_sql.py")
    decls = {entity: model.ENTITIES[entity], "param": type(ruleset.params), "as_of": dt.date}

    @SETTINGS
    @given(record_rows(model.ENTITIES[entity], type(ruleset.params), ruleset.params, AS_OF, 40))
    def check(rows):
        bad = compare(con, srcs, decls, FNS, rows)
        assert not bad, "\n".join(bad[:3])

    check()


@settings(SETTINGS, max_examples=8)
@given(st.lists(st.tuples(st.sampled_from(["bool", "int", "string", "double", "date"]).flatmap(
    lambda k: expressions(k, 3)), st.just(0)), min_size=8, max_size=12), st.lists(flat_rows(), min_size=12, max_size=12))
def test_generated_expressions_agree(con, exprs, rows):
    srcs = []
    for src, _ in exprs:
        try:
            esql.compile(src, FLAT, FNS)
        except (ExprErrors, esql.NoSqlForm):
            continue
        srcs.append(src)
    bad = compare(con, srcs, FLAT, FNS, rows)
    assert not bad, "\n".join(bad[:3])


def test_holiday_calendar_matches_working_days(con):
    """hari_kerja in SQL over every pair of days of 2024-2025 around holidays = Python's."""
    from layanan_rules.rules.functions import working_days

    days = [dt.date(2024, 3, 8) + dt.timedelta(days=k) for k in range(0, 60, 3)] + [
        dt.date(2025, 3, 27) + dt.timedelta(days=k) for k in range(12)] + [dt.date(1945, 12, 30), dt.date(2101, 1, 2)]
    prog = esql.compile("hari_kerja(a, b)", {"a": dt.date, "b": dt.date}, FNS)
    rows = [(a, b) for a in days for b in days]
    got = evaluate_rows(con, [prog], {"a": dt.date, "b": dt.date}, rows)
    assert [g[0][0] for g in got] == [working_days(a, b) for a, b in rows]


def test_calendar_ends(con):
    """Day counts at the ends of the calendar (0001-01-01, 9999-12-31): Python steps past the
    last day (an OverflowError); SQL says the same."""
    from sql_differential import EXTREME_DATES

    srcs = ["hari(a, b)", "hari_kerja(a, b)", "selisih_hari(a, b, true)", "selisih_hari(a, b, false)",
            "tambah_bulan(a, 1)", "tambah_bulan(b, -1)", "tahun(a)", "a + duration('24h')", "b - duration('24h')"]
    decls = {"a": dt.date, "b": dt.date}
    # pairs at the same end: the Python reference loops over every day between them
    rows = [(a, b) for a in EXTREME_DATES for b in EXTREME_DATES if abs((a - b).days) < 400]
    bad = compare(con, srcs, decls, FNS, rows)
    assert not bad, "\n".join(bad[:3])


@pytest.fixture(scope="module")
def postgres():
    """A real PostgreSQL (the SQL adapter's throw-away server); skipped only without its binaries."""
    testing = pytest.importorskip("layanan_rules_sql.testing")
    if testing.postgres_bin() is None:
        pytest.skip("PostgreSQL binaries not found (/usr/lib/postgresql/*/bin)")
    import psycopg

    with testing.postgres_server() as server, psycopg.connect(
            host=server.host, port=server.port, user=server.user, dbname=server.database) as conn:
        yield conn


@pytest.mark.parametrize("entity", ["pengaduan", "kerja_sama", "sarana", "maklumat", "sistem_informasi"])
def test_rules_agree_in_postgres_over_columns(entity, ruleset, sources, postgres):
    """Rules of flat entities compiled for PostgreSQL over one column per field (pushdown's
    shape) agree with Python; macros and structs have no PostgreSQL form and are left out."""
    from sql_differential import evaluate_rows_postgres, postgres_layout, py_outcome, same, sql_outcome

    from layanan_rules.expr import compile as py_compile

    decls = {entity: model.ENTITIES[entity], "param": type(ruleset.params), "as_of": dt.date}
    bindings = postgres_layout(entity, type(ruleset.params))[2]
    srcs = []
    for src in sources.get(entity, []):
        try:
            esql.compile(src, decls, FNS, dialect="postgres", bindings=bindings)
        except esql.NoSqlForm:
            continue
        srcs.append(src)
    assert srcs
    pys = [py_compile(s, decls, FNS) for s in srcs]

    @SETTINGS
    @given(record_rows(model.ENTITIES[entity], type(ruleset.params), ruleset.params, AS_OF, 40))
    def check(rows):
        got = evaluate_rows_postgres(postgres, srcs, entity, type(ruleset.params), FNS, rows)
        bad = []
        for r, outs in zip(rows, got):
            for src, py, (v, e) in zip(srcs, pys, outs):
                want, have = py_outcome(py.fn, r), sql_outcome(v, e)
                if not same(want, have):
                    bad.append(f"{src!r}\n  row {r!r}\n  python {want!r}\n  postgres {have!r}")
        assert not bad, "\n".join(bad[:3])

    check()


# status_dicabut's SQL form replaces its look-behinds by a cut into words (rules/functions.py):
# texts built from the words and gaps its regexes tell apart, and any other characters
_STATUS_PARTS = ["dianggap", "telah", "sudah", "di", "cabut", "batal", "batalkan", "dibatalkan", "DICABUT", "tarik",
                 "gugur", "withdrawn", "void", "cancelled", "canceled", "lapsed", "deemed", "tidak", "belum", "bukan",
                 "not", "never", "abc", " ", "  ", "_", "-", "1", ",", "\n", ".", "é", "\u00a0", "\u2028", "İ", "Σ",
                 "\u212a", "\u0307", "x9"]
_STATUS_TEXTS = st.lists(st.one_of(st.sampled_from(_STATUS_PARTS), st.text(max_size=2)), max_size=9).map("".join)
_STATUS_CASES = ["Dianggap dicabut", "DICABUT", "batal", "dibatalkan", "gugur", "withdrawn", "tidak dicabut",
                 "belum batal", "tidak 1batal dicabut", "tidak foo dianggap dicabut", "tidak batal, dicabut",
                 "tidak_sudah-dicabut", "deemed withdrawn", "not deemed_void", "tidak x y dicabut", "D\u0130CABUT",
                 "dianggap  dicabut", "telahdicabut", "TARI\u212a", "sudah d\u0130cabut", "", None]


@settings(SETTINGS, max_examples=6)
@given(st.lists(st.one_of(st.none(), _STATUS_TEXTS), min_size=400, max_size=400))
def test_withdrawn_status_agrees(con, texts):
    from layanan_rules.rules.functions import is_withdrawn_status

    rows = [(t,) for t in [*_STATUS_CASES, *texts]]
    bad = compare(con, ["status_dicabut(s)"], {"s": str | None}, FNS, rows)
    assert not bad, "\n".join(bad[:3])
    answers = {is_withdrawn_status(t) for t, in rows}
    assert answers == {True, False}


def test_connections_print_no_progress_bar():
    """DuckDB's own progress bar prints to stdout on a query over 2 s: into an embedder's report."""
    from layanan_rules.expr.sql.duck import connect

    con = connect()
    assert con.execute("SELECT current_setting('enable_progress_bar'), current_setting('TimeZone')").fetchone() == (
        False, "UTC")


def test_withdrawn_status_classes_are_the_per_character_definition():
    """``_class_tables`` is computed a block of the code space at a time; here character by character."""
    from layanan_rules.rules.functions import _char_class, _class_tables, _ranges

    multi, src, dst, space, word = {}, [], [], [], []
    for cp in [*range(0xD800), *range(0xE000, 0x110000)]:
        ch = chr(cp)
        low = ch.lower()
        if len(low) > 1:
            multi[ch] = "".join(map(_char_class, low))
            continue
        k = _char_class(low)
        if "a" <= k <= "z" and low != ch:
            src.append(ch)
            dst.append(low)
        elif k == " ":
            space.append(cp)
        elif k == "0":
            word.append(cp)
    assert _class_tables() == (multi, "".join(src), "".join(dst), _ranges(space), _ranges(word))


def test_withdrawn_status_is_duckdb_only():
    with pytest.raises(esql.NoSqlForm, match="DuckDB only"):
        esql.compile("status_dicabut(s)", {"s": str | None}, FNS, dialect="spark")


_PERIOD = {"n": int | None, "d": dt.date | None, "ts": dt.datetime | None, "pr": str | None}


@settings(SETTINGS, max_examples=6)
@given(st.lists(st.tuples(
    st.one_of(st.none(), st.integers(-3, 3), st.integers(1, 10**7), st.integers(-(2**63), 2**63 - 1)),
    st.one_of(st.none(), st.dates()),
    st.one_of(st.none(), st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30),
                                      timezones=st.just(dt.UTC))),
    st.sampled_from([None, "tahun", "bulan", "hari", "", "Tahun"])), min_size=200, max_size=200))
def test_period_start_and_minimum_sample_agree(con, rows):
    """awal_periode and sampel_minimum in SQL, against Python, value and error."""
    rows = [(n, None, None, None) for n in range(1, 2001)] + rows  # every population up to 2000: the table's rounding
    srcs = ["sampel_minimum(n)", "awal_periode(d, pr)", "awal_periode(ts, pr)", "awal_periode(d, null)"]
    bad = compare(con, srcs, _PERIOD, FNS, rows)
    assert not bad, "\n".join(bad[:3])


def test_working_deadline_agrees_around_holidays_and_calendar_ends(con):
    """batas_hari_kerja in SQL (the n-th working day through the holiday calendar; before and after
    the calendar's years by weekdays alone) = Python's, around Lebaran and Christmas, at the
    calendar's first and last years, at the ends of the date range (an OverflowError in Python),
    with a null start, a timestamp, and a negative or non-constant n."""

    from sql_differential import EXTREME_DATES

    from layanan_rules.rules.functions import _calendar_span

    first, last = _calendar_span()
    days = ([dt.date(2024, 3, 28) + dt.timedelta(days=k) for k in range(30)]
            + [dt.date(2024, 12, 18) + dt.timedelta(days=k) for k in range(18)]
            + [first + dt.timedelta(days=k) for k in range(-10, 10)] + [last + dt.timedelta(days=k) for k in range(-10, 10)])
    srcs = [f"batas_hari_kerja(a, {n}, false)" for n in (0, 1, 5, 7, 20)] + [
        "batas_hari_kerja(a, n, false)", "batas_hari_kerja(a, -1, false)", "batas_hari_kerja(a, 7, param_false)"]
    decls = {"a": dt.date | None, "n": int, "param_false": bool}
    rows = [(a, n, False) for a in days for n in (0, 3, 7, -2, 40)] + [(None, 5, False)]
    # the large n only near the end (Python counts the days one by one until it overflows)
    rows += [(a, n, False) for a in EXTREME_DATES for n in (0, 1, 5)]
    rows += [(a, n, False) for a in EXTREME_DATES[-2:] for n in (10**6, 2**62)]
    srcs = [s for s in srcs if "param_false" not in s]  # a non-constant cuti_bersama: no SQL form (below)
    bad = compare(con, srcs, decls, FNS, rows)
    assert not bad, "\n".join(bad[:3])
    stamps = {"a": dt.datetime | None, "n": int, "param_false": bool}
    wib = dt.timezone(dt.timedelta(hours=7))
    rows = [(dt.datetime(2024, 4, 5, h, 0, tzinfo=tz), 5, False) for h in (0, 16, 17, 23)
            for tz in (dt.UTC, wib)] + [(None, 5, False)]
    bad = compare(con, srcs, stamps, FNS, rows)
    assert not bad, "\n".join(bad[:3])
    for src in ("batas_hari_kerja(a, 7, param_false)", "batas_hari_kerja(a, 7, true)"):
        with pytest.raises(esql.NoSqlForm, match="cuti bersama"):
            esql.compile(src, decls, FNS)
