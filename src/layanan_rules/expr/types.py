"""Static types seen by the checker, and their mapping from Python declarations."""

from __future__ import annotations

import collections.abc as cabc
import datetime as dt
import enum
import types
import typing
from functools import cache
from typing import Any

import attrs

from .runtime import CelType, UInt

SIMPLE = frozenset({"int", "uint", "double", "bool", "string", "bytes", "timestamp", "duration", "date", "null", "type"})
NUMERIC = frozenset({"int", "uint", "double"})


class T:
    """A static type: ``kind`` is one of dyn int uint double bool string bytes null timestamp duration
    date type list map obj. ``nullable`` marks ``X | None``; ``enum`` is the Enum class whose
    ``.value`` CEL sees (kind string); ``cls`` is the attrs class of an ``obj``."""

    __slots__ = ("cls", "elem", "enum", "key", "kind", "nullable", "val")

    def __init__(self, kind: str, elem: T | None = None, key: T | None = None, val: T | None = None,
                 cls: type | None = None, nullable: bool = False, enum_cls: type[enum.Enum] | None = None) -> None:
        self.kind = kind
        self.elem = elem
        self.key = key
        self.val = val
        self.cls = cls
        self.nullable = nullable
        self.enum = enum_cls

    def opt(self) -> T:
        if self.nullable or self.kind in ("dyn", "null"):
            return self
        return T(self.kind, self.elem, self.key, self.val, self.cls, True, self.enum)

    def strict(self) -> T:
        if not self.nullable:
            return self
        return T(self.kind, self.elem, self.key, self.val, self.cls, False, self.enum)

    def __repr__(self) -> str:
        return self.name() + ("?" if self.nullable else "")

    def name(self) -> str:
        if self.kind == "list" and self.elem is not None:
            return f"list({self.elem.name()})"
        if self.kind == "map" and self.key is not None and self.val is not None:
            return f"map({self.key.name()}, {self.val.name()})"
        if self.kind == "obj" and self.cls is not None:
            return self.cls.__name__
        return self.kind

    def same(self, other: T) -> bool:
        return self.kind == other.kind and self.kind in SIMPLE


DYN = T("dyn")
INT = T("int")
UINT = T("uint")
DOUBLE = T("double")
BOOL = T("bool")
STRING = T("string")
BYTES = T("bytes")
NULL = T("null")
TIMESTAMP = T("timestamp")
DURATION = T("duration")
DATE = T("date")
TYPE = T("type")


def list_of(t: T) -> T:
    return T("list", elem=t)


def map_of(k: T, v: T) -> T:
    return T("map", key=k, val=v)


_SEQ = {tuple, list, cabc.Sequence, typing.Sequence, cabc.Iterable, frozenset, set, cabc.Collection}
_MAP = {dict, cabc.Mapping, typing.Mapping, cabc.MutableMapping}


def from_py(tp: Any) -> T:
    """Static type of a Python declaration (``int``, ``str | None``, ``tuple[X, ...]``, attrs class...)."""
    if isinstance(tp, T):
        return tp
    if tp is object or tp is Any:
        return DYN
    if tp is type(None) or tp is None:
        return NULL
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        has_none = len(args) != len(typing.get_args(tp))
        t = from_py(args[0]) if len(args) == 1 else DYN
        return t.opt() if has_none else t
    if origin is typing.Annotated:
        return from_py(typing.get_args(tp)[0])
    if origin in _SEQ:
        params = typing.get_args(tp)
        return list_of(from_py(params[0]) if params else DYN)
    if origin in _MAP:
        params = typing.get_args(tp)
        return map_of(from_py(params[0]), from_py(params[1])) if params else map_of(DYN, DYN)
    if tp in _SEQ:
        return list_of(DYN)
    if tp in _MAP:
        return map_of(DYN, DYN)
    if isinstance(tp, type):
        if tp is bool:
            return BOOL
        if tp is UInt:
            return UINT
        if issubclass(tp, enum.Enum):
            return T("string", enum_cls=tp)
        if tp is int:
            return INT
        if tp is float:
            return DOUBLE
        if tp is str:
            return STRING
        if tp is bytes:
            return BYTES
        if tp is dt.datetime:
            return TIMESTAMP
        if tp is dt.date:
            return DATE
        if tp is dt.timedelta:
            return DURATION
        if tp is CelType:
            return TYPE
        if attrs.has(tp):
            return T("obj", cls=tp)
    return DYN


@cache
def attrs_fields(cls: type) -> dict[str, T]:
    """Field name -> static type of an attrs class (resolving string annotations)."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # noqa: BLE001
        hints = {}
    out: dict[str, T] = {}
    for f in attrs.fields(cls):
        tp = hints.get(f.name, f.type)
        out[f.name] = from_py(tp) if not isinstance(tp, str) else DYN
    return out
