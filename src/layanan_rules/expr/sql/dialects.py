"""What differs between the SQL dialects the compiler writes: type names and a few functions.

Everything portable is built from sqlglot nodes; the rest is a small template per dialect,
written in that dialect's own syntax and parsed once (``{0}``, ``{1}`` are the arguments).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import sqlglot
from sqlglot import exp

DIALECTS = ("duckdb", "postgres", "spark")


class NoSqlForm(Exception):
    """A construct, function or type without an SQL form in the target dialect.

    ``reason`` says what and why, in Indonesian and English; the rule that needs it is
    evaluated by the Python engine instead.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def no_form(what_id: str, what_en: str) -> NoSqlForm:
    return NoSqlForm(f"{what_id} / {what_en}")


# integer type wide enough for int64 * int64 (checked back into int64 range afterwards)
WIDE_INT = {"duckdb": "HUGEINT", "postgres": "NUMERIC", "spark": "DECIMAL(38, 0)"}

SCALAR_TYPES: dict[str, dict[str, str]] = {
    "duckdb": {"int": "BIGINT", "uint": "UBIGINT", "double": "DOUBLE", "bool": "BOOLEAN", "string": "VARCHAR",
               "bytes": "BLOB", "timestamp": "TIMESTAMPTZ", "duration": "BIGINT", "date": "DATE",
               "type": "VARCHAR", "null": "INTEGER"},
    "postgres": {"int": "BIGINT", "uint": "NUMERIC(20, 0)", "double": "DOUBLE PRECISION", "bool": "BOOLEAN",
                 "string": "TEXT", "bytes": "BYTEA", "timestamp": "TIMESTAMPTZ", "duration": "BIGINT",
                 "date": "DATE", "type": "TEXT", "null": "INTEGER"},
    "spark": {"int": "BIGINT", "uint": "DECIMAL(20, 0)", "double": "DOUBLE", "bool": "BOOLEAN", "string": "STRING",
              "bytes": "BINARY", "timestamp": "TIMESTAMP", "duration": "BIGINT", "date": "DATE",
              "type": "STRING", "null": "INT"},
}

# Templates: {dialect: text}; a dialect missing from a template has no form for it.
TEMPLATES: dict[str, dict[str, str]] = {
    # timestamps as microseconds since the epoch, and back
    "epoch_us": {"duckdb": "EPOCH_US({0})", "postgres": "CAST(FLOOR(EXTRACT(EPOCH FROM {0}) * 1000000) AS BIGINT)",
                 "spark": "UNIX_MICROS({0})"},
    "ts_from_us": {"duckdb": "MAKE_TIMESTAMPTZ({0})",
                   "postgres": "(TIMESTAMPTZ '1970-01-01 00:00:00+00' + {0} * INTERVAL '1 microsecond')",
                   "spark": "TIMESTAMP_MICROS({0})"},
    # dates as days since 1970-01-01, and back
    "date_days": {"duckdb": "CAST(DATE_DIFF('day', DATE '1970-01-01', {0}) AS BIGINT)",
                  "postgres": "CAST({0} - DATE '1970-01-01' AS BIGINT)",
                  "spark": "CAST(DATEDIFF({0}, DATE '1970-01-01') AS BIGINT)"},
    "date_from_days": {"duckdb": "CAST(DATE '1970-01-01' + CAST({0} AS INTEGER) AS DATE)",
                       "postgres": "(DATE '1970-01-01' + CAST({0} AS INTEGER))",
                       "spark": "DATE_ADD(DATE '1970-01-01', CAST({0} AS INT))"},
    "make_date": {"duckdb": "MAKE_DATE(CAST({0} AS BIGINT), CAST({1} AS BIGINT), CAST({2} AS BIGINT))",
                  "postgres": "MAKE_DATE(CAST({0} AS INTEGER), CAST({1} AS INTEGER), CAST({2} AS INTEGER))",
                  "spark": "MAKE_DATE(CAST({0} AS INT), CAST({1} AS INT), CAST({2} AS INT))"},
    "year": {"duckdb": "YEAR({0})", "postgres": "CAST(EXTRACT(YEAR FROM {0}) AS BIGINT)", "spark": "YEAR({0})"},
    "month": {"duckdb": "MONTH({0})", "postgres": "CAST(EXTRACT(MONTH FROM {0}) AS BIGINT)", "spark": "MONTH({0})"},
    "day": {"duckdb": "DAY({0})", "postgres": "CAST(EXTRACT(DAY FROM {0}) AS BIGINT)", "spark": "DAY({0})"},
    "last_day": {"duckdb": "LAST_DAY({0})",
                 "postgres": "CAST(DATE_TRUNC('month', {0}) + INTERVAL '1 month' - INTERVAL '1 day' AS DATE)",
                 "spark": "LAST_DAY({0})"},
    # the wall-clock time of a timestamp in an IANA zone, as a zone-less timestamp
    "in_zone": {"duckdb": "TIMEZONE({1}, {0})", "postgres": "({0} AT TIME ZONE {1})",
                "spark": "FROM_UTC_TIMESTAMP({0}, {1})"},
    "local_epoch_us": {"duckdb": "EPOCH_US(CAST({0} AS TIMESTAMP))",
                       "postgres": "CAST(FLOOR(EXTRACT(EPOCH FROM CAST({0} AS TIMESTAMP)) * 1000000) AS BIGINT)",
                       "spark": "UNIX_MICROS(TO_UTC_TIMESTAMP({0}, 'UTC'))"},
    # strings
    "char_length": {"duckdb": "CAST(LENGTH({0}) AS BIGINT)", "postgres": "CAST(CHAR_LENGTH({0}) AS BIGINT)",
                    "spark": "CAST(CHAR_LENGTH({0}) AS BIGINT)"},
    "octet_length": {"duckdb": "CAST(OCTET_LENGTH({0}) AS BIGINT)", "postgres": "CAST(OCTET_LENGTH({0}) AS BIGINT)",
                     "spark": "CAST(OCTET_LENGTH({0}) AS BIGINT)"},
    "contains": {"duckdb": "CONTAINS({0}, {1})", "postgres": "(STRPOS({0}, {1}) > 0)",
                 "spark": "(INSTR({0}, {1}) > 0)"},
    "starts_with": {"duckdb": "STARTS_WITH({0}, {1})",
                    "postgres": "(LEFT({0}, CHAR_LENGTH({1})) = {1})",
                    "spark": "STARTSWITH({0}, {1})"},
    "ends_with": {"duckdb": "ENDS_WITH({0}, {1})",
                  "postgres": "(CHAR_LENGTH({1}) = 0 OR RIGHT({0}, CHAR_LENGTH({1})) = {1})",
                  "spark": "ENDSWITH({0}, {1})"},
    "regex_search": {"duckdb": "REGEXP_MATCHES({0}, {1})", "postgres": "({0} ~ {1})", "spark": "({0} RLIKE {1})"},
    "string_of_int": {"duckdb": "CAST({0} AS VARCHAR)", "postgres": "CAST({0} AS TEXT)",
                      "spark": "CAST({0} AS STRING)"},
    "utf8_bytes": {"duckdb": "ENCODE({0})", "postgres": "CONVERT_TO({0}, 'UTF8')", "spark": "ENCODE({0}, 'UTF-8')"},
    "utf8_text": {"duckdb": "DECODE({0})", "postgres": "CONVERT_FROM({0}, 'UTF8')", "spark": "DECODE({0}, 'UTF-8')"},
    "unhex": {"duckdb": "UNHEX({0})", "postgres": "DECODE({0}, 'hex')", "spark": "UNHEX({0})"},
    "isnan": {"duckdb": "ISNAN({0})", "postgres": "({0} = CAST('NaN' AS DOUBLE PRECISION))", "spark": "ISNAN({0})"},
    "trunc": {"duckdb": "TRUNC({0})", "postgres": "TRUNC({0})", "spark": "CAST({0} AS DECIMAL(38, 0))"},
    "floor": {"duckdb": "FLOOR({0})", "postgres": "FLOOR({0})", "spark": "FLOOR({0})"},
    # lists (DuckDB and Spark; PostgreSQL arrays of scalars only)
    "list_len": {"duckdb": "CAST(LEN({0}) AS BIGINT)", "postgres": "CAST(COALESCE(CARDINALITY({0}), 0) AS BIGINT)",
                 "spark": "CAST(SIZE({0}) AS BIGINT)"},
    # an index outside the list gives NULL or another item, never an error (the caller checks it)
    "list_get": {"duckdb": "LIST_EXTRACT({0}, LEAST(CAST({1} AS BIGINT), 9223372036854775806) + 1)",
                 "postgres": "({0})[LEAST(GREATEST({1}, -1), 2147483646) + 1]",
                 "spark": "TRY_ELEMENT_AT({0}, CAST(LEAST(GREATEST({1}, 0), 2147483646) AS INT) + 1)"},
    "list_concat": {"duckdb": "LIST_CONCAT({0}, {1})", "postgres": "({0} || {1})", "spark": "CONCAT({0}, {1})"},
    "list_contains": {"duckdb": "LIST_CONTAINS({0}, {1})", "postgres": "({1} = ANY({0}))",
                      "spark": "ARRAY_CONTAINS({0}, {1})"},
    "map_len": {"duckdb": "CAST(CARDINALITY({0}) AS BIGINT)", "spark": "CAST(SIZE({0}) AS BIGINT)"},
    "map_keys": {"duckdb": "MAP_KEYS({0})", "spark": "MAP_KEYS({0})"},
    "map_has": {"duckdb": "MAP_CONTAINS({0}, {1})", "spark": "ARRAY_CONTAINS(MAP_KEYS({0}), {1})"},
    "map_get": {"duckdb": "MAP_EXTRACT_VALUE({0}, {1})", "spark": "ELEMENT_AT({0}, {1})"},
}


def _placeholder(i: int) -> str:
    return f"__arg{i}__"


@functools.lru_cache(maxsize=1024)
def _parsed(text: str, dialect: str) -> exp.Expression:
    src = re.sub(r"\{(\d+)\}", lambda m: _placeholder(int(m.group(1))), text)
    return sqlglot.parse_one(src, read=dialect)


def template(name: str, dialect: str, *args: exp.Expression) -> exp.Expression:
    """The dialect's form of ``name`` applied to ``args`` (copied)."""
    forms = TEMPLATES[name]
    if dialect not in forms:
        raise no_form(f"'{name}' tidak ada di {dialect}", f"'{name}' has no form in {dialect}")
    return fill(forms[dialect], dialect, *args)


def fill(text: str, dialect: str, *args: exp.Expression) -> exp.Expression:
    """Parse ``text`` (in ``dialect``) once and put copies of ``args`` at ``{0}``, ``{1}``..."""
    tree = _parsed(text, dialect).copy()
    names = {_placeholder(i): a for i, a in enumerate(args)}

    def put(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name in names:
            return names[node.name]
        return node

    return tree.transform(put, copy=False)


def has_template(name: str, dialect: str) -> bool:
    return dialect in TEMPLATES[name]


@functools.lru_cache(maxsize=512)
def data_type(text: str, dialect: str) -> exp.DataType:
    return exp.DataType.build(text, dialect=dialect)


def cast(e: exp.Expression, type_text: str, dialect: str) -> exp.Cast:
    return exp.Cast(this=e, to=data_type(type_text, dialect).copy())


def sql_text(e: Any, dialect: str) -> str:
    return e.sql(dialect=dialect)
