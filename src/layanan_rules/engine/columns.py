"""Typed columns: a field's raw value read in SQL as the model's converter reads it, or flagged.

Why one module: DuckDB (:mod:`layanan_rules.engine.scan`) and Spark (:mod:`layanan_rules.engine.spark`)
read the same Parquet columns into the same typed columns, and a difference between them is a
disagreement between back ends. The conversions are built once as sqlglot trees and rendered per
dialect; only what the dialects really differ in (a regular expression's end anchor, Spark's cast
wanting seconds) is chosen per dialect. JSON Lines is read by DuckDB alone (:func:`json_columns`).

Each typed column comes with a *bad* condition: the model would read the value otherwise (text
to parse, another type, a struct given as text), so that record goes to the Python engine. A
value is converted in SQL only in the forms both read alike; anything else is bad, never guessed.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping
from typing import Any, TypeAlias

import attrs
import sqlglot.expressions as exp

from layanan_rules import model
from layanan_rules.engine import sql
from layanan_rules.expr.sql.regex import code_point_ranges

#: a Parquet column's type in DuckDB's words (``VARCHAR``, ``BIGINT``, ``VARCHAR[]``, ...), a
#: struct as ``{field: Shape}``, ``""`` for no such column
Shape: TypeAlias = "str | dict[str, Shape]"

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
#: a date alone in a date-time field, and a date-time: the ISO 8601 forms Python's
#: ``datetime.fromisoformat`` and the SQL engines read alike (1970 on: Asia/Jakarta has been
#: +07:00 since 1964; Spark would take year 0000, Python not)
_ISO_DAY = r"^(19[7-9]\d|2\d{3})-\d{2}-\d{2}$"
_ISO_TIME = (r"^(19[7-9]\d|2\d{3})-\d{2}-\d{2}[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?"
             r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$")
#: the shape nearly every date-time takes (seconds and an offset): a part of _ISO_TIME that both
#: engines cast as it is, so one match and one cast type it (the general path costs twice as much)
_ISO_TIME_ZONED = r"^(19[7-9]\d|2\d{3})-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d[+-]([01]\d|2[0-3]):[0-5]\d$"

#: classes whose values the model builds with its own parsers (a regulation cited as text); a
#: duration or a fee given as an object is structured field by field (as text it is parsed: such a
#: record goes to Python)
PARSED = (model.Peraturan,)
#: fields of a service standard that ``prepare_standar`` may rewrite from other fields
PREPARED = {("standar", "ditetapkan_pada"), ("standar", "ditetapkan_presisi"),
            ("standar", "persyaratan_kasus")}

#: stands for the typed column in a bad condition until the column's name is known
_TYPED = exp.column("__typed__")


class Unsupported(Exception):
    """A field the SQL reader does not type (rules reading it run in Python)."""


@attrs.frozen
class Typed:
    select: list[str]  # SQL expressions AS column names
    bad: list[str]  # SQL conditions: the record goes to Python


def enum_values(raw: Any) -> dict[str, str] | None:
    """Name or value -> value of the enum a field holds (None: not an enum)."""
    cls = raw.enum if raw is not None else None
    if cls is None:
        return None
    out: dict[str, str] = {}
    for m in cls:
        out[m.name] = str(m.value)
        out[str(m.value)] = str(m.value)
    return out


def duckdb_shape(type_text: str) -> Shape:
    """The :data:`Shape` of a DuckDB column type text (``STRUCT(a VARCHAR, b STRUCT(...))``)."""
    import duckdb

    t = duckdb.sqltype(type_text)
    if t.id == "struct":
        return {name: duckdb_shape(str(child)) for name, child in t.children}
    return type_text


def _supported(t: Any, raw_t: Any) -> None:
    k = t.kind
    if k not in ("string", "bool", "int", "double", "timestamp", "date") and not (
            k == "list" and t.elem.kind == "string" and enum_values(raw_t.elem) is None):
        raise Unsupported(t.name())


# --- Parquet columns, any dialect ------------------------------------------------------------------------------


def _s(text: str) -> exp.Expression:
    return exp.Literal.string(text)


def _matches(v: exp.Expression, pattern: str, dialect: str) -> exp.Expression:
    """``v`` matches the whole of ``pattern`` (anchored ``^...$``): RE2 in DuckDB, java.util.regex in
    Spark, where ``$`` also matches before a final newline and ``\\z`` does not."""
    if dialect == "spark":
        return exp.RegexpLike(this=v, expression=_s(pattern[:-1] + r"\z"))
    return exp.Anonymous(this="regexp_full_match", expressions=[v, _s(pattern)])


def _try_cast(v: exp.Expression, to: str) -> exp.Expression:
    return exp.TryCast(this=v, to=exp.DataType.build(to), safe=True)


def iso_timestamp(s: exp.Expression, dialect: str) -> exp.Expression:
    """An instant of ISO text ``s`` as ``datetime.fromisoformat`` reads it (no zone: WIB), NULL otherwise."""
    if dialect == "spark":  # Spark's cast wants seconds: 10:27 becomes 10:27:00 first
        full: Any = exp.RegexpReplace(this=s, expression=_s(r"^(.{10}[T ][0-9]{2}:[0-9]{2})(?!:)"),
                                                 replacement=_s("$1:00"))
        day_ok: Any = _matches(s, _ISO_DAY, dialect)
    else:  # strlen first: a date alone is 10 ASCII bytes, and the test is far cheaper than the regex
        full = s
        day_ok = exp.and_(exp.EQ(this=exp.Anonymous(this="strlen", expressions=[s]), expression=exp.Literal.number(10)),
                          _matches(s, _ISO_DAY, dialect))
    zoned = exp.or_(exp.EQ(this=exp.Right(this=s, expression=exp.Literal.number(1)), expression=_s("Z")),
                    exp.In(this=exp.Substring(this=s, start=exp.Sub(this=exp.Length(this=s), expression=exp.Literal.number(5)),
                                              length=exp.Literal.number(1)), expressions=[_s("+"), _s("-")]))
    with_zone = exp.Case(ifs=[exp.If(this=zoned, true=full)], default=exp.DPipe(this=full, expression=_s("+07:00")))
    return exp.Case(ifs=[exp.If(this=_matches(s, _ISO_TIME_ZONED, dialect), true=_try_cast(s, "TIMESTAMPTZ")),
                         exp.If(this=day_ok, true=_try_cast(exp.DPipe(this=s, expression=_s("T00:00:00+07:00")), "TIMESTAMPTZ")),
                         exp.If(this=_matches(s, _ISO_TIME, dialect), true=_try_cast(with_zone, "TIMESTAMPTZ"))])


def _iso_date(s: exp.Expression, dialect: str) -> exp.Expression:
    ok = exp.and_(_matches(s, _ISO_DATE, dialect),
                  exp.NEQ(this=exp.Substring(this=s, start=exp.Literal.number(1), length=exp.Literal.number(4)),
                          expression=_s("0000")))
    if dialect != "spark":
        ok = exp.and_(exp.EQ(this=exp.Anonymous(this="strlen", expressions=[s]), expression=exp.Literal.number(10)), ok)
    return exp.Case(ifs=[exp.If(this=ok, true=_try_cast(s, "DATE"))])


def _no_value(v: exp.Expression, text: bool) -> exp.Expression:
    null = exp.Is(this=v, expression=exp.Null())
    return exp.Paren(this=exp.or_(null, exp.EQ(this=v, expression=_s("")))) if text else null


def _convert_parquet(t: Any, raw_t: Any, v: exp.Expression, typ: str, dialect: str) -> tuple[Any, Any]:
    """(value, bad) of the Parquet value ``v`` (column type ``typ``) read as the model's type ``t``;
    ``bad`` may name the typed value as :data:`_TYPED`, None when never bad."""
    _supported(t, raw_t)
    k = t.kind
    evs = enum_values(raw_t)
    if typ == "":  # no such column: no value
        return exp.Null(), None
    text = typ == "VARCHAR"
    unread = exp.and_(exp.Not(this=_no_value(v, text)), exp.Is(this=_TYPED, expression=exp.Null()))
    strings = exp.DataType.build("ARRAY<STRING>", dialect="spark")
    if evs is not None and text:
        return exp.Paren(this=exp.Case(this=v, ifs=[exp.If(this=_s(a), true=_s(b)) for a, b in evs.items()])), unread
    if evs is None:
        if k == "string" and text:
            return exp.Nullif(this=v, expression=_s("")), None
        if k == "bool" and typ == "BOOLEAN":
            return v, None
        if k == "int" and typ in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT"):
            return exp.cast(v, "BIGINT"), None
        if k == "double" and typ in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "DOUBLE", "FLOAT"):
            return exp.cast(v, "DOUBLE"), None
        if k == "timestamp" and text:
            return iso_timestamp(v, dialect), unread
        if k == "timestamp" and typ == "TIMESTAMP WITH TIME ZONE":
            return v, None
        if k == "date" and text:
            return _iso_date(v, dialect), unread
        if k == "date" and typ == "DATE":
            return v, None
        if k == "list" and typ == "VARCHAR[]":
            return exp.Coalesce(this=v, expressions=[exp.cast(exp.Array(expressions=[]), strings)]), None
    # another type in the file: the model's converter decides each value (-> Python)
    if k == "list":
        return exp.cast(exp.Array(expressions=[]), strings), exp.Not(this=exp.Is(this=v, expression=exp.Null()))
    return exp.Null(), exp.Not(this=_no_value(v, text))


def _parsed_list(t: Any) -> bool:
    """Whether ``t`` is a list of values the model builds with its own parser (regulations)."""
    return bool(t.kind == "list" and t.elem.kind == "obj" and t.elem.cls in PARSED)


def _sized_list(n: str, to: str) -> str:
    """DuckDB: a list of ``n`` NULL entries of the list type ``to``: a list of parsed values of
    which the rules read only the length (:func:`layanan_rules.engine.sql.sized`)."""
    return f"CAST(list_transform(range(CAST({n} AS BIGINT)), lambda __k: NULL) AS {to})"


def parquet_columns(entity: str, layout: sql.Layout, shape: Mapping[str, Shape], dialect: str, *,
                    relations: bool = False, typed_table: str | None = None,
                    sized: frozenset[str] = frozenset()) -> Typed:
    """The typed columns of ``layout`` over an entity's Parquet rows (aliased ``x``, columns ``shape``)
    and the conditions sending a record to Python, in ``dialect``. A relation column is
    ``x."__rel_<relation>"`` (joined by the caller) where ``relations``, else Unsupported. The
    conditions name a typed column as ``<typed_table>.<name>`` (bare without a table).

    ``sized``: paths the rules read only through ``size()``; such a list of regulations (which the
    model parses entry by entry) given as a Parquet list of texts is typed in DuckDB as a list of as
    many entries, each NULL: the model makes one regulation of each entry, and the entries it
    refuses (blank, null, long: :func:`_parquet_parsed_bad`) send the record to Python."""

    from layanan_rules.expr.sql import sql_type

    def render(e: exp.Expression) -> str:
        return e.sql(dialect=dialect)

    def ident(name: str) -> str:
        return render(exp.to_identifier(name, quoted=True))

    select: list[str] = []
    bad: list[exp.Expression] = []
    for col in layout.columns:
        if col.sub is not None:  # a relation: the children's list, joined by the caller
            rel = col.path[0]
            if not relations:
                raise Unsupported(".".join(col.path))
            select.append(f"{render(exp.column('__rel_' + rel, table='x', quoted=True))} AS {ident(col.name)}")
            bad.append(exp.Coalesce(this=exp.column("__relbad_" + rel, table="x", quoted=True),
                                    expressions=[exp.false()]))
            continue
        cls = model.ENTITIES[entity]
        value: exp.Expression = exp.column(col.path[0], table="x", quoted=True)
        typ: Shape = shape.get(col.path[0], "")
        for depth, step in enumerate(col.path):
            if depth:
                if isinstance(typ, dict) and step in typ:
                    value, typ = exp.Dot(this=value, expression=exp.to_identifier(step, quoted=True)), typ[step]
                else:
                    value, typ = exp.Null(), ""
            if tuple(col.path[: depth + 1]) in PREPARED and not (dialect == "duckdb" and tuple(col.path) in DECREE_DATED):
                raise Unsupported(".".join(col.path))
            ftype = sql._field_types(cls).get(step)
            if ftype is not None and ftype.kind == "obj" and (depth < len(col.path) - 1 or col.present):
                if ftype.cls in PARSED:
                    raise Unsupported(".".join(col.path))
                if depth < len(col.path) - 1 and isinstance(typ, str) and typ:
                    bad.append(exp.Not(this=exp.Is(this=value, expression=exp.Null())))  # a struct as text: parsed
                if depth < len(col.path) - 1:
                    bad.extend(_parquet_parsed_bad(value, typ, ftype.cls, dialect))
                cls = ftype.cls
        if col.cases:  # cases given (any value but null): the model's, the record goes to Python
            from layanan_rules.expr.sql import case_list_type

            empty = exp.cast(exp.Array(expressions=[]), exp.DataType.build(case_list_type(col.t.elem.cls, dialect),
                                                                           dialect=dialect))
            select.append(f"{render(empty)} AS {ident(col.name)}")
            if typ:
                bad.append(exp.Not(this=exp.Is(this=value, expression=exp.Null())))
            continue
        if col.present:
            bad.extend(_parquet_parsed_bad(value, typ, cls, dialect))
            if isinstance(typ, str) and typ:
                bad.append(exp.Not(this=exp.Is(this=value, expression=exp.Null())))
            present = exp.Not(this=exp.Is(this=value, expression=exp.Null())) if isinstance(typ, dict) else exp.false()
            select.append(f"{render(exp.Paren(this=present))} AS {ident(col.name)}")
            continue
        if _parsed_list(col.t) and ".".join(col.path) in sized and dialect == "duckdb" and typ == "VARCHAR[]":
            v = render(value)
            select.append(f"{_sized_list(f'coalesce(len({v}), 0)', sql_type(col.t, dialect))} AS {ident(col.name)}")
            bad.append(_parsed_duckdb(_entries_bad(v)))
            continue
        val, is_bad = _convert_parquet(col.t, col.raw, value, typ if isinstance(typ, str) else "STRUCT", dialect)
        standar = shape.get("standar", "")
        if tuple(col.path) in DECREE_DATED and isinstance(standar, dict):  # as prepare_standar writes it
            def part(name: str, standar: dict[str, Shape] = standar) -> tuple[str, Shape]:
                return (render(exp.Dot(this=exp.column("standar", table="x", quoted=True),
                                       expression=exp.to_identifier(name, quoted=True))) if standar.get(name) else "NULL",
                        standar.get(name, ""))

            (day, day_t), (precision, _pt), (number, number_t) = (
                part("ditetapkan_pada"), part("ditetapkan_presisi"), part("nomor_penetapan"))
            no_day = f"({day} IS NULL" + (f" OR {day} = ''" if day_t == "VARCHAR" else "") + ")"
            text, more = _decree_dated(col.path[1], render(val), no_day, f"({precision} IS NULL)",
                                       number if number_t == "VARCHAR" else None)
            select.append(f"CAST({text} AS {sql_type(col.t, dialect)}) AS {ident(col.name)}")
            if more != "false":
                bad.append(_parsed_duckdb(more))
        else:
            select.append(f"CAST({render(val)} AS {sql_type(col.t, dialect)}) AS {ident(col.name)}")
        if is_bad is not None:
            here = exp.column(col.name, table=typed_table, quoted=True)
            bad.append(is_bad.transform(lambda n, here=here: here.copy() if n == _TYPED else n))
    # the same condition comes once per column read through a struct (each of a standard's parts
    # checks its regulations): once is enough
    return Typed(select, list(dict.fromkeys(render(b) for b in bad)))


# --- a standard's adoption date, as ``prepare_standar`` gives it (DuckDB) ---------------------------------------

#: the two fields ``prepare_standar`` may write from the decree number; typed in DuckDB (see
#: :func:`_decree_year`), elsewhere they send the rules reading them to Python
DECREE_DATED = (("standar", "ditetapkan_pada"), ("standar", "ditetapkan_presisi"))


#: :func:`decimal_ranges` of the Unicode version named (Python 3.11's): computing them reads every
#: code point (0.2 CPU s a scan); ``tests/test_engine_scan.py`` checks the table against it
_DECIMAL_RANGES = {"14.0.0": ((48, 57), (1632, 1641), (1776, 1785), (1984, 1993), (2406, 2415), (2534, 2543),
                              (2662, 2671), (2790, 2799), (2918, 2927), (3046, 3055), (3174, 3183), (3302,
                              3311), (3430, 3439), (3558, 3567), (3664, 3673), (3792, 3801), (3872, 3881),
                              (4160, 4169), (4240, 4249), (6112, 6121), (6160, 6169), (6470, 6479), (6608,
                              6617), (6784, 6793), (6800, 6809), (6992, 7001), (7088, 7097), (7232, 7241),
                              (7248, 7257), (42528, 42537), (43216, 43225), (43264, 43273), (43472, 43481),
                              (43504, 43513), (43600, 43609), (44016, 44025), (65296, 65305), (66720, 66729),
                              (68912, 68921), (69734, 69743), (69872, 69881), (69942, 69951), (70096, 70105),
                              (70384, 70393), (70736, 70745), (70864, 70873), (71248, 71257), (71360, 71369),
                              (71472, 71481), (71904, 71913), (72016, 72025), (72784, 72793), (73040, 73049),
                              (73120, 73129), (92768, 92777), (92864, 92873), (93008, 93017), (120782, 120831),
                              (123200, 123209), (123632, 123641), (125264, 125273), (130032, 130041))}


def decimal_ranges() -> list[tuple[int, int]]:
    """The code point ranges Python's ``\\d`` matches in a text pattern (``str.isdecimal``)."""
    return code_point_ranges(cp for cp in range(0x110000) if chr(cp).isdecimal())


@functools.cache
def _decimal_class(negate: bool) -> str:
    """:func:`decimal_ranges` as an RE2 class (negated: any other character)."""
    from layanan_rules.expr.sql.regex import char_class

    known = _DECIMAL_RANGES.get(unicodedata.unidata_version)
    return char_class(list(known) if known is not None else decimal_ranges(), negate, "duckdb")


def _decree_year(number: str) -> tuple[str, str]:
    """DuckDB: (the year ``prepare_standar`` takes from the decree number text ``number``, NULL when
    none; whether that year is written in digits other than ASCII, which Python reads and this SQL
    does not: the record goes to Python). Python takes the last of ``_YEAR_TOKEN.findall``: runs of
    exactly four digits starting 19 or 20; RE2 has no look-behind, so a greedy prefix finds the last."""
    d, nd = _decimal_class(False), _decimal_class(True)
    token = f"regexp_extract({number}, {_q('(?s)^.*(?:^|' + nd + ')((?:19|20)' + d + '{2})(?:' + nd + '|$)')}, 1)"
    year = f"CASE WHEN regexp_full_match({token}, '(?:19|20)[0-9]{{2}}') THEN CAST({token} AS INTEGER) END"
    return year, f"coalesce({token} <> '' AND NOT regexp_full_match({token}, '(?:19|20)[0-9]{{2}}'), false)"


def _decree_dated(field: str, typed: str, no_day: str, no_precision: str, number: str | None) -> tuple[str, str]:
    """DuckDB: ``standar.<field>`` (``ditetapkan_pada`` or ``ditetapkan_presisi``) as
    ``prepare_standar`` leaves it: with no precision given (null or absent, not ``""``) and no day
    (null, absent or ``""``), the last day of the decree number's last year, precision ``tahun``;
    otherwise ``typed``, the value as read. ``number``: the decree number as text, None when it is
    not text (no year then). Returns (value, one more condition sending the record to Python)."""
    if number is None:
        return typed, "false"
    year, year_bad = _decree_year(number)
    rewrite = f"({no_precision} AND {no_day})"
    # the decree's year only where it may be taken (a CASE computes a branch only for its rows);
    # there the value as read is NULL (no day, no precision), as the date of no year is
    value = (f"make_date({year}, 12, 31)" if field == "ditetapkan_pada"
             else f"CASE WHEN ({year}) IS NOT NULL THEN 'tahun' END")
    return (f"CASE WHEN {rewrite} THEN {value} ELSE {typed} END",
            f"CASE WHEN {rewrite} THEN {year_bad} ELSE false END")

# --- JSON Lines, DuckDB alone -----------------------------------------------------------------------------------


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _ident(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def _json_convert(t: Any, raw_t: Any, v: str) -> tuple[str, str]:
    """(value SQL, bad SQL) of the JSON value ``v`` read as the model's type ``t`` (DuckDB)."""
    _supported(t, raw_t)
    k = t.kind
    evs = enum_values(raw_t)
    jt = f"json_type({v})"
    s = f"({v} ->> '$')"
    empty = f"({jt} IS NULL OR {jt} = 'NULL' OR ({jt} = 'VARCHAR' AND {s} = ''))"
    if evs is not None:
        cases = " ".join(f"WHEN {_q(a)} THEN {_q(b)}" for a, b in evs.items())
        val = f"CASE WHEN {jt} = 'VARCHAR' THEN (CASE {s} {cases} END) END"
        return val, f"NOT {empty} AND ({val}) IS NULL"
    if k == "string":
        return f"CASE WHEN {jt} = 'VARCHAR' AND {s} <> '' THEN {s} END", f"NOT {empty} AND {jt} <> 'VARCHAR'"
    if k == "bool":
        val = (f"CASE WHEN {jt} = 'BOOLEAN' THEN CAST({v} AS BOOLEAN) WHEN {jt} IN ('UBIGINT', 'BIGINT') "
               f"AND {s} IN ('0', '1') THEN {s} = '1' END")
    elif k == "int":
        val = f"CASE WHEN {jt} IN ('UBIGINT', 'BIGINT') THEN TRY_CAST({s} AS BIGINT) END"
    elif k == "double":
        val = f"CASE WHEN {jt} IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN TRY_CAST({s} AS DOUBLE) END"
    elif k == "timestamp":
        val = f"CASE WHEN {jt} = 'VARCHAR' THEN {iso_timestamp(exp.Var(this=s), 'duckdb').sql('duckdb')} END"
    elif k == "date":
        val = f"CASE WHEN {jt} = 'VARCHAR' THEN {_iso_date(exp.Var(this=s), 'duckdb').sql('duckdb')} END"
    else:  # a list of texts
        all_text = f"list_bool_and(list_transform(json_type({v}, '$[*]'), lambda x: x = 'VARCHAR'))"
        ok = f"{jt} = 'ARRAY' AND (json_array_length({v}) = 0 OR {all_text})"
        val = f"CASE WHEN {ok} THEN CAST({v} AS VARCHAR[]) ELSE CAST([] AS VARCHAR[]) END"
        return val, f"NOT {empty} AND NOT ({ok})"
    return val, f"NOT {empty} AND ({val}) IS NULL"


def _json_struct_bad(v: str) -> str:
    """A struct on the way that the model would not read as one (text, a key written twice)."""
    jt = f"json_type({v})"
    return (f"({jt} IS NOT NULL AND {jt} <> 'NULL' AND NOT ({jt} = 'VARCHAR' AND ({v} ->> '$') = '') AND "
            f"({jt} <> 'OBJECT' OR len(json_keys({v})) <> len(list_distinct(json_keys({v})))))")


#: a regulation (``parse_peraturan``) longer than this, as NFKC may write it (18 characters at
#: most per character), may be refused as too long: Python decides such a record
_PARSED_LEN = 10_000 // 18


#: :func:`blank_ranges` of the Unicode version named (Python 3.11's ``unicodedata``): computing them
#: reads every code point's NFKC form, 0.76 CPU s, paid by every scan before this table
#: (``tests/test_engine_scan.py`` checks it against the computation)
_BLANK_RANGES = {"14.0.0": ((9, 13), (28, 32), (133, 133), (160, 160), (5760, 5760), (8192, 8202), (8232, 8233),
                            (8239, 8239), (8287, 8287), (12288, 12288))}


@functools.cache
def _not_blank_class() -> str:
    """A character whose NFKC form is not all white space (``_text`` strips and refuses blanks)."""
    from layanan_rules.expr.sql.regex import char_class

    known = _BLANK_RANGES.get(unicodedata.unidata_version)
    return char_class(list(known) if known is not None else blank_ranges(), True, "duckdb")


def blank_ranges() -> list[tuple[int, int]]:
    """The code point ranges whose NFKC form (no-break space as space) is all white space."""
    def blank(cp: int) -> bool:
        form = unicodedata.normalize("NFKC", chr(cp)).replace("\u00a0", " ")
        return bool(form) and all(ch.isspace() for ch in form)

    return code_point_ranges(cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF and blank(cp))


def _parsed_lists(cls: type) -> list[str]:
    """Fields of ``cls`` holding regulations the model parses entry by entry (``standar.dasar_hukum``)."""
    return [name for name, t in sql._field_types(cls).items()
            if t.kind == "list" and t.elem.kind == "obj" and t.elem.cls in PARSED]


def _parsed_duckdb(text: str) -> exp.Expression:
    """``text`` (DuckDB SQL) as a sqlglot tree, parsed once per text (a copy each time)."""
    return _parse_cached(text).copy()


@functools.lru_cache(maxsize=256)
def _parse_cached(text: str) -> exp.Expression:
    import sqlglot

    got: exp.Expression = sqlglot.parse_one(text, read="duckdb")  # type: ignore[assignment]
    return got


def _entries_bad(v: str) -> str:
    """DuckDB: the list of texts ``v`` holds an entry the model's parser may refuse (null, blank
    after NFKC, long)."""
    return (f"coalesce(list_bool_or(list_transform({v}, lambda x: x IS NULL OR length(x) > {_PARSED_LEN} "
            f"OR NOT regexp_matches(x, {_q(_not_blank_class())}))), false)")


def _parquet_parsed_bad(value: exp.Expression, typ: Any, cls: type, dialect: str) -> list[exp.Expression]:
    """Lists of regulations in the struct ``value`` (of class ``cls``) that the model may refuse: an
    entry blank, null or long (each entry is parsed, ``parse_peraturan``), or a text (split by
    ``parse_list``, which drops blank entries) that is long. Their record goes to Python, where a
    rule reading the struct is an error. Outside DuckDB: any such list goes to Python."""

    out: list[exp.Expression] = []
    for name in _parsed_lists(cls):
        sub = typ.get(name, "") if isinstance(typ, dict) else ""
        if not sub:
            continue
        field = exp.Dot(this=value.copy(), expression=exp.to_identifier(name, quoted=True))
        if dialect != "duckdb":
            out.append(exp.Not(this=exp.Is(this=field, expression=exp.Null())))
            continue
        v = field.sql(dialect="duckdb")
        if sub == "VARCHAR[]":
            text = _entries_bad(v)
        elif sub == "VARCHAR":
            text = f"coalesce(length({v}) > {_PARSED_LEN}, false)"
        else:
            text = f"{v} IS NOT NULL"
        out.append(_parsed_duckdb(text))
    return out


def _json_list_bad(f: str) -> str:
    """DuckDB: the JSON value ``f`` of a list of regulations may be refused by the model (an entry
    not text, blank, long; text that is long; any other type)."""
    item = "(x ->> '$')"
    return (f"coalesce(CASE json_type({f}) WHEN 'ARRAY' THEN list_bool_or(list_transform(json_extract({f}, "
            f"'$[*]'), lambda x: json_type(x) <> 'VARCHAR' OR length({item}) > {_PARSED_LEN} OR NOT "
            f"regexp_matches({item}, {_q(_not_blank_class())}))) WHEN 'VARCHAR' THEN length({f} ->> '$') > "
            f"{_PARSED_LEN} WHEN 'NULL' THEN false ELSE true END, false)")


def _json_parsed_bad(v: str, cls: type) -> list[str]:
    """:func:`_parquet_parsed_bad` over JSON (an entry that is not text goes to Python too)."""
    return [_json_list_bad(f"json_extract({v}, {_q('$.' + _ident(name))})") for name in _parsed_lists(cls)]


def json_columns(entity: str, layout: sql.Layout, sized: frozenset[str] = frozenset()) -> Typed:
    """The typed columns of ``layout`` over an entity's JSON rows (aliased ``x``, each top-level
    field's JSON as ``x."__j_<field>"``, a relation as ``x."__rel_<relation>"``) and the conditions
    sending a record to Python (bare typed column names), in DuckDB. ``sized``: as for
    :func:`parquet_columns` (a JSON array of texts; text, which the model splits, goes to Python)."""
    select: list[str] = []
    bad: list[str] = []
    for col in layout.columns:
        if col.sub is not None:
            rel = col.path[0]
            select.append(f'x.{_ident("__rel_" + rel)} AS {_ident(col.name)}')
            bad.append(f'coalesce(x.{_ident("__relbad_" + rel)}, false)')
            continue
        cls = model.ENTITIES[entity]
        v = f"x.{_ident('__j_' + col.path[0])}"
        for depth, step in enumerate(col.path):
            if depth:
                v = f"json_extract({v}, {_q('$.' + _ident(step))})"
            if tuple(col.path[: depth + 1]) in PREPARED and tuple(col.path) not in DECREE_DATED:
                raise Unsupported(".".join(col.path))
            ftype = sql._field_types(cls).get(step)
            if ftype is not None and ftype.kind == "obj" and (depth < len(col.path) - 1 or col.present):
                if ftype.cls in PARSED:
                    raise Unsupported(".".join(col.path))
                if depth < len(col.path) - 1:
                    bad.append(_json_struct_bad(v))
                    bad.extend(_json_parsed_bad(v, ftype.cls))
                cls = ftype.cls
        if col.cases:  # cases given (any value, null too): the model's, the record goes to Python
            from layanan_rules.expr.sql import case_list_type

            select.append(f"CAST([] AS {case_list_type(col.t.elem.cls)}) AS {_ident(col.name)}")
            bad.append(f"json_type({v}) IS NOT NULL")
            continue
        if col.present:
            bad.extend(_json_parsed_bad(v, cls))
            select.append(f"coalesce(json_type({v}) = 'OBJECT', false) AS {_ident(col.name)}")
            bad.append(_json_struct_bad(v))
            continue
        if _parsed_list(col.t) and ".".join(col.path) in sized:
            jt = f"json_type({v})"
            n = f"CASE WHEN {jt} = 'ARRAY' THEN json_array_length({v}) ELSE 0 END"
            select.append(f"{_sized_list(n, sql._sql_type(col.t) or '')} AS {_ident(col.name)}")
            empty = f"({jt} IS NULL OR {jt} = 'NULL' OR ({jt} = 'VARCHAR' AND ({v} ->> '$') = ''))"
            bad.extend([f"NOT {empty} AND {jt} <> 'ARRAY'", _json_list_bad(v)])
            continue
        value, is_bad = _json_convert(col.t, col.raw, v)
        if tuple(col.path) in DECREE_DATED:  # as prepare_standar writes it
            top = f"x.{_ident('__j_standar')}"
            day, precision, number = (f"json_extract({top}, {_q('$.' + _ident(f))})"
                                      for f in ("ditetapkan_pada", "ditetapkan_presisi", "nomor_penetapan"))
            no_day = (f"(json_type({day}) IS NULL OR json_type({day}) = 'NULL' OR (json_type({day}) = 'VARCHAR' "
                      f"AND ({day} ->> '$') = ''))")
            no_precision = f"(json_type({precision}) IS NULL OR json_type({precision}) = 'NULL')"
            text, more = _decree_dated(col.path[1], value, no_day, no_precision,
                                       f"(CASE WHEN json_type({number}) = 'VARCHAR' THEN {number} ->> '$' END)")
            select.append(f"CAST({text} AS {sql._sql_type(col.t)}) AS {_ident(col.name)}")
            bad.append(more)
        else:
            select.append(f"CAST({value} AS {sql._sql_type(col.t)}) AS {_ident(col.name)}")
        # "the value read as NULL": the typed column's, not the conversion again
        bad.append(is_bad.replace(f"({value}) IS NULL", f"{_ident(col.name)} IS NULL"))
    return Typed(select, list(dict.fromkeys(bad)))
