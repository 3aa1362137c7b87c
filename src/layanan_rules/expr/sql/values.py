"""Values in SQL: the column type of a static type, literals, and the error text convention.

An expression compiles to two SQL expressions: its *value* (SQL NULL is CEL ``null``) and its
*error*: NULL when there is none, else the text ``reason|message`` with the same reason and
message the Python back end's :class:`~layanan_rules.expr.CelError` carries.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from typing import Any

import attrs
from sqlglot import exp

from ..runtime import INT64_MAX, INT64_MIN, CelType, UInt
from ..types import T, attrs_fields
from .dialects import SCALAR_TYPES, NoSqlForm, cast, no_form, template

#: the largest duration CEL allows, in microseconds (315 576 000 000 s)
MAX_DURATION_US = 315_576_000_000 * 10**6
#: microseconds since the epoch of 0001-01-01T00:00:00Z and of 9999-12-31T23:59:59.999999Z
MIN_TS_US = -62_135_596_800 * 10**6
MAX_TS_US = 253_402_300_800 * 10**6 - 1
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_DATE = dt.date(1970, 1, 1)
#: days since 1970-01-01 of 0001-01-01 and 9999-12-31
MIN_DAYS = (dt.date(1, 1, 1) - _EPOCH_DATE).days
MAX_DAYS = (dt.date(9999, 12, 31) - _EPOCH_DATE).days


def error_text(reason: str, msg_id: str, msg_en: str) -> str:
    return f"{reason}|{msg_id} / {msg_en}"


def split_error(text: str | None) -> tuple[str, str] | None:
    """``(reason, message)`` of an error column's text, None for no error."""
    if text is None:
        return None
    reason, _, message = text.partition("|")
    return reason, message


def cel_type_name(t: T) -> str:
    """The name CEL gives a value of static type ``t`` (``type(x)``, no-overload messages)."""
    k = t.kind
    if k == "timestamp":
        return "google.protobuf.Timestamp"
    if k == "duration":
        return "google.protobuf.Duration"
    if k == "null":
        return "null_type"
    if k == "obj":
        return t.cls.__name__
    if k in ("list", "map"):
        return k
    return k


def sql_type(t: T, dialect: str) -> str:
    """The column type (in ``dialect``) holding values of static type ``t``; NoSqlForm for a
    struct holding itself (a time's cases are times: :class:`layanan_rules.model.JangkaWaktu`)."""
    return _sql_type(t, dialect, frozenset())


def _sql_type(t: T, dialect: str, seen: frozenset[type]) -> str:
    k = t.kind
    if k in SCALAR_TYPES[dialect]:
        return SCALAR_TYPES[dialect][k]
    if k == "list":
        if t.elem is None or t.elem.kind == "dyn":
            raise no_form("daftar tanpa tipe anggota yang pasti", "list without a definite element type")
        inner = _sql_type(t.elem, dialect, seen)
        return f"ARRAY<{inner}>" if dialect == "spark" else f"{inner}[]"
    if k == "map":
        if dialect == "postgres":
            raise no_form("map tidak ada di PostgreSQL", "maps have no PostgreSQL form")
        if t.key is None or t.val is None or "dyn" in (t.key.kind, t.val.kind):
            raise no_form("map tanpa tipe kunci/nilai yang pasti", "map without definite key and value types")
        return f"MAP({_sql_type(t.key, dialect, seen)}, {_sql_type(t.val, dialect, seen)})" if dialect == "duckdb" else \
            f"MAP<{_sql_type(t.key, dialect, seen)}, {_sql_type(t.val, dialect, seen)}>"
    if k == "obj":
        if dialect == "postgres":
            raise no_form("struct tidak ada di PostgreSQL (petakan field ke kolom)",
                          "structs have no PostgreSQL form (map the fields to columns)")
        if t.cls in seen:
            raise no_form(f"struktur rekursif {t.cls.__name__}", f"recursive structure {t.cls.__name__}")
        parts = []
        for name, ft in attrs_fields(t.cls).items():
            ft = enum_as_string(ft)
            if dialect == "spark":
                parts.append(f"{name}: {_sql_type(ft, dialect, seen | {t.cls})}")
            else:
                parts.append(f'"{name}" {_sql_type(ft, dialect, seen | {t.cls})}')
        return f"STRUCT<{', '.join(parts)}>" if dialect == "spark" else f"STRUCT({', '.join(parts)})"
    raise no_form(f"tipe {t.name()} tidak punya bentuk SQL", f"type {t.name()} has no SQL form")


def enum_as_string(t: T) -> T:
    """Enums are stored as their value (text), as the Python back end reads ``.value``."""
    if t.enum is not None:
        return T("string", nullable=t.nullable)
    if t.kind == "list" and t.elem is not None and t.elem.enum is not None:
        return T("list", elem=T("string"), nullable=t.nullable)
    return t


def typed_null(t: T, dialect: str) -> exp.Expression:
    if t.kind in ("null", "dyn"):
        return exp.Null()
    return cast(exp.Null(), sql_type(t, dialect), dialect)


def literal(value: Any, t: T, dialect: str) -> exp.Expression:
    """An SQL literal for a Python value of static type ``t`` (as the Python back end holds it)."""
    if value is None:
        return typed_null(t, dialect)
    k = t.kind
    if isinstance(value, enum.Enum):
        value = value.value
    if k == "bool":
        return exp.Boolean(this=bool(value))
    if k in ("int", "uint"):
        return cast(exp.Literal.number(int(value)), sql_type(t, dialect), dialect)
    if k == "double":
        v = float(value)
        if math.isnan(v):
            text = "NaN"
        elif math.isinf(v):
            text = "Infinity" if v > 0 else "-Infinity"
        else:  # from text: a numeric literal may pass through DECIMAL, and -0.0 would lose its sign
            text = repr(v)
        return cast(exp.Literal.string(text), sql_type(t, dialect), dialect)
    if k in ("string", "type"):
        return exp.Literal.string(str(value))
    if k == "bytes":
        return template("unhex", dialect, exp.Literal.string(bytes(value).hex()))
    if k == "duration":
        return cast(exp.Literal.number(duration_us(value)), "BIGINT", dialect)
    if k == "date":
        return template("date_from_days", dialect, exp.Literal.number((value - _EPOCH_DATE).days))
    if k == "timestamp":
        return template("ts_from_us", dialect, cast(exp.Literal.number(timestamp_us(value)), "BIGINT", dialect))
    if k == "list":
        elem = t.elem
        if not value:
            return cast(exp.Array(expressions=[]), sql_type(t, dialect), dialect)
        return exp.Array(expressions=[literal(v, elem, dialect) for v in value])
    if k == "map":
        if dialect == "duckdb":
            keys = exp.Array(expressions=[literal(x, t.key, dialect) for x in value])
            vals = exp.Array(expressions=[literal(x, t.val, dialect) for x in value.values()])
            return cast(exp.Anonymous(this="MAP", expressions=[keys, vals]), sql_type(t, dialect), dialect)
        if dialect == "spark":
            args = []
            for key, v in value.items():
                args += [literal(key, t.key, dialect), literal(v, t.val, dialect)]
            return exp.Anonymous(this="MAP", expressions=args)
        raise no_form("map tidak ada di PostgreSQL", "maps have no PostgreSQL form")
    if k == "obj":
        fields = attrs_fields(t.cls)
        parts = []
        for name, ft in fields.items():
            parts.append(exp.PropertyEQ(this=exp.to_identifier(name),
                                        expression=literal(getattr(value, name), enum_as_string(ft), dialect)))
        return cast(exp.Struct(expressions=parts), sql_type(t, dialect), dialect)
    raise no_form(f"nilai bertipe {t.name()} tidak punya literal SQL", f"no SQL literal for a {t.name()} value")


def duration_us(d: dt.timedelta) -> int:
    return (d.days * 86400 + d.seconds) * 10**6 + d.microseconds


def timestamp_us(t: dt.datetime) -> int:
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return duration_us(t - _EPOCH)


def host_value(value: Any, t: T) -> Any:
    """A Python value as the DuckDB Python client should bind it for a column of type ``t``."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return value.value
    k = t.kind
    if k == "duration":
        return duration_us(value)
    if k in ("int", "uint"):
        return int(value)
    if k == "type":
        return value.name if isinstance(value, CelType) else str(value)
    if k == "list":
        return [host_value(v, t.elem) for v in value]
    if k == "map":
        return {"key": [host_value(x, t.key) for x in value], "value": [host_value(x, t.val) for x in value.values()]}
    if k == "obj":
        return {name: host_value(getattr(value, name), enum_as_string(ft))
                for name, ft in attrs_fields(t.cls).items()}
    return value


def type_of_value(v: Any) -> T | None:
    """The concrete static type of a host value, None when it has none (a mixed list...)."""
    if v is None:
        return T("null")
    tp = type(v)
    if tp is bool:
        return T("bool")
    if tp is UInt:
        return T("uint")
    if tp is int:
        return T("int") if INT64_MIN <= v <= INT64_MAX else None
    if tp is float:
        return T("double")
    if tp is str:
        return T("string")
    if tp is bytes:
        return T("bytes")
    if isinstance(v, dt.datetime):
        return T("timestamp")
    if isinstance(v, dt.date):
        return T("date")
    if isinstance(v, dt.timedelta):
        return T("duration")
    if tp is CelType:
        return T("type")
    if isinstance(v, enum.Enum):
        return T("string")
    if isinstance(v, (list, tuple)):
        elem = None
        for x in v:
            elem = unify(elem, type_of_value(x))
            if elem is None:
                return None
        return T("list", elem=elem or T("int"))
    if isinstance(v, dict):
        kt = vt = None
        for key, val in v.items():
            kt = unify(kt, type_of_value(key))
            vt = unify(vt, type_of_value(val))
            if kt is None or vt is None:
                return None
        return T("map", key=kt or T("string"), val=vt or T("int"))
    if attrs.has(tp):
        return T("obj", cls=tp)
    return None


def unify(a: T | None, b: T | None) -> T | None:
    """The one concrete type holding values of both ``a`` and ``b`` (null joins anything)."""
    if a is None:
        return b
    if b is None:
        return a
    if a.kind == "null":
        return b.opt() if b.kind != "null" else a
    if b.kind == "null":
        return a.opt()
    if a.kind != b.kind:
        return None
    nullable = a.nullable or b.nullable
    if a.kind == "list":
        e = unify(a.elem, b.elem)
        return None if e is None else T("list", elem=e, nullable=nullable)
    if a.kind == "map":
        k, v = unify(a.key, b.key), unify(a.val, b.val)
        return None if k is None or v is None else T("map", key=k, val=v, nullable=nullable)
    if a.kind == "obj" and a.cls is not b.cls:
        return None
    return a.opt() if nullable else a


def case_fields(cls: type, dialect: str = "duckdb") -> tuple[tuple[str, T], ...]:
    """The fields of a case of a time or fee (``kasus()``'s items, :class:`layanan_rules.model.JangkaWaktu`,
    :class:`~layanan_rules.model.Biaya`) an SQL struct holds: every field with a column type, in the
    class's order (not its own cases, nor an extension, which hold the class again)."""
    out = []
    for name, ft in attrs_fields(cls).items():
        ft = enum_as_string(ft)
        try:
            sql_type(ft, dialect)
        except NoSqlForm:
            continue
        out.append((name, ft))
    return tuple(out)


def case_list_type(cls: type, dialect: str = "duckdb") -> str:
    """The column type of a list of ``cls``'s cases as structs of :func:`case_fields`."""
    fields = case_fields(cls, dialect)
    if dialect == "spark":
        return f"ARRAY<STRUCT<{', '.join(f'{n}: {sql_type(t, dialect)}' for n, t in fields)}>>"
    return f"STRUCT({', '.join(f'{chr(34)}{n}{chr(34)} {sql_type(t, dialect)}' for n, t in fields)})[]"
