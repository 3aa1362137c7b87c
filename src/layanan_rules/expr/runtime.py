"""Runtime values, operators and the standard library used by compiled expressions.

Values: int (64-bit, checked), :class:`UInt`, float (double), bool, str, bytes, ``None`` (null),
list/tuple, dict/Mapping (map), :class:`CelType`, tz-aware ``datetime`` (timestamp),
``timedelta`` (duration, microsecond precision), ``date`` (calendar date, domain extension),
attrs objects (messages). Every failure raises :class:`CelError`.
"""

from __future__ import annotations

import datetime as _dt
import enum
import math
import re
from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any, NoReturn, overload

import attrs

from .budget import charge, charged  # noqa: F401 - called by compiled code as _rt.charge, _rt.charged
from .budget import charge as _charge
from .errors import CelError, err
from .regex import HAVE_RE2, compile_regex, fast_regex, twin_limit

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1
UTC = _dt.UTC

# timestamps: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z (Python's datetime range)
MAX_DURATION = _dt.timedelta(seconds=315_576_000_000)
_INT64_NS_SECONDS = INT64_MAX / 1e9


class UInt(int):
    """CEL ``uint``: an unsigned 64-bit integer."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"{int(self)}u"


class CelType:
    """A CEL type value, e.g. the result of ``type(1)`` (``int``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CelType) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("CelType", self.name))

    def __repr__(self) -> str:
        return f"CelType({self.name!r})"

    def __str__(self) -> str:
        return self.name


T_INT = CelType("int")
T_UINT = CelType("uint")
T_DOUBLE = CelType("double")
T_BOOL = CelType("bool")
T_STRING = CelType("string")
T_BYTES = CelType("bytes")
T_NULL = CelType("null_type")
T_LIST = CelType("list")
T_MAP = CelType("map")
T_TYPE = CelType("type")
T_TIMESTAMP = CelType("google.protobuf.Timestamp")
T_DURATION = CelType("google.protobuf.Duration")
T_DATE = CelType("date")

TYPE_CONSTANTS: dict[str, CelType] = {
    "int": T_INT, "uint": T_UINT, "double": T_DOUBLE, "bool": T_BOOL, "string": T_STRING,
    "bytes": T_BYTES, "null_type": T_NULL, "list": T_LIST, "map": T_MAP, "type": T_TYPE,
    "google.protobuf.Timestamp": T_TIMESTAMP, "google.protobuf.Duration": T_DURATION,
}


# ---------------------------------------------------------------- errors


def type_name(v: Any) -> str:
    return type_of(v).name


def no_overload(op: str, *args: Any) -> CelError:
    sig = ", ".join(type_name(a) for a in args)
    return err(
        "no_matching_overload",
        f"tidak ada overload '{op}' untuk ({sig})",
        f"found no matching overload for '{op}' applied to ({sig})",
    )


def raise_no_overload(op: str, *args: Any) -> NoReturn:
    raise no_overload(op, *args)


def missing(path: str | None) -> NoReturn:
    raise err(
        "missing_field",
        f"data '{path}' tidak ada (null)",
        f"field '{path}' is missing (null)",
        path,
    )


def missing_chain(root: Any, name: str, fields: tuple[str, ...]) -> NoReturn:
    """Raise ``missing_field`` for the first null along ``name.fields...`` (a hoisted path read)."""
    obj, path = root, name
    for f in fields:
        if obj is None:
            missing(path)
        obj = getattr(obj, f, None)
        path = f"{path}.{f}"
    missing(path)


def overflow(op: str = "") -> Any:
    raise err("overflow", "hasil bilangan bulat melampaui batas", "integer overflow", None)


def unbound(name: str) -> NoReturn:
    raise err("unbound", f"variabel '{name}' tidak dideklarasikan", f"undeclared reference to '{name}'")


def unbound_fn(name: str, *args: Any) -> NoReturn:
    raise err("no_matching_overload", f"fungsi '{name}' tidak dikenal", f"unbound function '{name}'")


def bool_required(op: str, v: Any) -> CelError:
    return no_overload(op, v)


def range_error(what: str = "") -> CelError:
    return err("range", f"nilai di luar jangkauan {what}".strip(), f"value out of range {what}".strip())


# ---------------------------------------------------------------- types


def type_of(v: Any) -> CelType:
    t = type(v)
    if t is bool:
        return T_BOOL
    if t is int:
        return T_INT
    if t is UInt:
        return T_UINT
    if t is float:
        return T_DOUBLE
    if t is str:
        return T_STRING
    if t is bytes:
        return T_BYTES
    if v is None:
        return T_NULL
    if t is list or t is tuple:
        return T_LIST
    if isinstance(v, Mapping):
        return T_MAP
    if t is CelType:
        return T_TYPE
    if isinstance(v, _dt.datetime):
        return T_TIMESTAMP
    if isinstance(v, _dt.date):
        return T_DATE
    if isinstance(v, _dt.timedelta):
        return T_DURATION
    if isinstance(v, enum.Enum):
        return T_STRING
    if isinstance(v, int):
        return T_INT
    if isinstance(v, float):
        return T_DOUBLE
    if isinstance(v, str):
        return T_STRING
    if isinstance(v, (list, tuple)):
        return T_LIST
    return CelType(type(v).__name__)


def norm(v: Any) -> Any:
    """Normalise a host value read from data: enums become their value."""
    if isinstance(v, enum.Enum):
        return v.value
    return v


# ---------------------------------------------------------------- equality & ordering

# Values arrive as Any and the helpers test ``type(v)`` once, bound to a local for speed, which
# mypy cannot narrow through: where such a value is returned, an annotated local states its type
# (free at run time, unlike ``cast()`` or ``bool()``).

_NUM = (int, float)


def _is_num(v: Any) -> bool:
    t = type(v)
    return t is int or t is float or t is UInt


def eq(a: Any, b: Any) -> bool:
    ta = type(a)
    tb = type(b)
    if ta is tb and (ta is str or ta is int or ta is bool or ta is float or ta is bytes):
        same: bool = a == b
        return same
    if a is None or b is None:
        return a is b
    if ta is bool or tb is bool:
        return ta is tb and a == b
    if _is_num(a):
        return _is_num(b) and a == b
    if _is_num(b):
        return False
    if isinstance(a, enum.Enum):
        return eq(a.value, b)
    if isinstance(b, enum.Enum):
        return eq(a, b.value)
    if ta is str or ta is bytes:
        return ta is tb and a == b
    if isinstance(a, (list, tuple)):
        if not isinstance(b, (list, tuple)) or len(a) != len(b):
            return False
        return all(eq(x, y) for x, y in zip(a, b))
    if isinstance(a, Mapping):
        if not isinstance(b, Mapping) or len(a) != len(b):
            return False
        for k, v in a.items():
            found = False
            for k2, v2 in b.items():
                if eq(k, k2):
                    if not eq(v, v2):
                        return False
                    found = True
                    break
            if not found:
                return False
        return True
    if isinstance(a, _dt.datetime) or isinstance(b, _dt.datetime):
        return isinstance(a, _dt.datetime) and isinstance(b, _dt.datetime) and a == b
    if isinstance(a, _dt.date) or isinstance(b, _dt.date):
        return type(a) is type(b) and a == b
    if ta is CelType or tb is CelType:
        same = a == b
        return same
    if isinstance(a, _dt.timedelta):
        return isinstance(b, _dt.timedelta) and a == b
    if ta is tb:
        same = a == b
        return same
    return False


def ne(a: Any, b: Any) -> bool:
    return not eq(a, b)


def _ord_ok(a: Any, b: Any) -> bool:
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return ta is tb
    if _is_num(a):
        return _is_num(b)
    if ta is str or ta is bytes:
        return ta is tb
    if isinstance(a, _dt.datetime):
        return isinstance(b, _dt.datetime)
    if isinstance(a, _dt.date):
        return isinstance(b, _dt.date) and not isinstance(b, _dt.datetime)
    if isinstance(a, _dt.timedelta):
        return isinstance(b, _dt.timedelta)
    return False


def lt(a: Any, b: Any) -> bool:
    if not _ord_ok(a, b):
        raise no_overload("_<_", a, b)
    if type(a) is float and type(b) is not float:
        return a < float(b)
    if type(b) is float and type(a) is not float:
        return float(a) < b
    r: bool = a < b
    return r


def le(a: Any, b: Any) -> bool:
    if not _ord_ok(a, b):
        raise no_overload("_<=_", a, b)
    if type(a) is float and type(b) is not float:
        return a <= float(b)
    if type(b) is float and type(a) is not float:
        return float(a) <= b
    r: bool = a <= b
    return r


def gt(a: Any, b: Any) -> bool:
    if not _ord_ok(a, b):
        raise no_overload("_>_", a, b)
    if type(a) is float and type(b) is not float:
        return a > float(b)
    if type(b) is float and type(a) is not float:
        return float(a) > b
    r: bool = a > b
    return r


def ge(a: Any, b: Any) -> bool:
    if not _ord_ok(a, b):
        raise no_overload("_>=_", a, b)
    if type(a) is float and type(b) is not float:
        return a >= float(b)
    if type(b) is float and type(a) is not float:
        return float(a) >= b
    r: bool = a >= b
    return r


def in_(x: Any, c: Any) -> bool:
    if isinstance(c, (list, tuple)):
        for e in c:
            if eq(x, e):
                return True
        return False
    if isinstance(c, Mapping):
        tx = type(x)
        if tx is float:
            if not x.is_integer():  # also false for NaN and infinities
                return False
            x = int(x)
        elif tx is bool:
            return any(type(k) is bool and k == x for k in c)
        try:
            return x in c
        except TypeError:  # unhashable: cannot be a key
            return False
    raise no_overload("@in", x, c)


# ---------------------------------------------------------------- arithmetic


def ck_int(v: int) -> int:
    if INT64_MIN <= v <= INT64_MAX:
        return v
    raise err("overflow", "hasil bilangan bulat melampaui batas", "integer overflow")


def ck_uint(v: int) -> UInt:
    if 0 <= v <= UINT64_MAX:
        return UInt(v)
    raise err("overflow", "hasil bilangan bulat tak bertanda melampaui batas", "unsigned integer overflow")


def _ck_ts(v: _dt.datetime) -> _dt.datetime:
    return v


def _ck_dur(v: _dt.timedelta) -> _dt.timedelta:
    if -MAX_DURATION <= v <= MAX_DURATION:
        return v
    raise range_error("(duration)")


def cat(a: Any, b: Any) -> Any:
    """``a + b`` for two strings or two bytes, its length charged to the budget (doubling a
    value in a loop is how a short expression would otherwise build gigabytes)."""
    _charge(len(a) + len(b))
    return a + b


def add(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return ck_int(a + b)
    if ta is float and tb is float:
        return a + b
    if ta is str and tb is str:
        _charge(len(a) + len(b))
        return a + b
    if ta is UInt and tb is UInt:
        return ck_uint(a + b)
    if ta is bytes and tb is bytes:
        _charge(len(a) + len(b))
        return a + b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        _charge(len(a) + len(b))
        return [*a, *b]
    if isinstance(a, _dt.timedelta) and isinstance(b, _dt.timedelta):
        return _ck_dur(a + b)
    if isinstance(a, _dt.datetime) and isinstance(b, _dt.timedelta):
        return ts_add(a, b)
    if isinstance(a, _dt.timedelta) and isinstance(b, _dt.datetime):
        return ts_add(b, a)
    if ta is _dt.date and isinstance(b, _dt.timedelta):
        return date_add(a, b)
    if isinstance(a, _dt.timedelta) and tb is _dt.date:
        return date_add(b, a)
    raise no_overload("_+_", a, b)


def ts_add(t: _dt.datetime, d: _dt.timedelta) -> _dt.datetime:
    if type(t.tzinfo) is not _dt.timezone and t.tzinfo is not None:
        t = t.astimezone(UTC)  # absolute (not wall-clock) arithmetic across DST changes
    try:
        return t + d
    except OverflowError:
        raise range_error("(timestamp)") from None


def ts_sub(a: _dt.datetime, b: _dt.datetime) -> _dt.timedelta:
    if a.tzinfo is not None and type(a.tzinfo) is not _dt.timezone:
        a = a.astimezone(UTC)
    if b.tzinfo is not None and type(b.tzinfo) is not _dt.timezone:
        b = b.astimezone(UTC)
    try:
        d = a - b
    except TypeError:
        raise no_overload("_-_", a, b) from None
    if -_MAX_TS_DIFF <= d <= _MAX_TS_DIFF:
        return d
    raise range_error("(duration)")


_MAX_TS_DIFF = _dt.timedelta(microseconds=INT64_MAX // 1000)


def date_add(t: _dt.date, d: _dt.timedelta) -> _dt.date:
    if d.seconds or d.microseconds:
        raise err(
            "invalid_argument",
            "tanggal hanya dapat ditambah durasi hari utuh",
            "a date can only be shifted by whole days",
        )
    try:
        return t + _dt.timedelta(days=d.days)
    except OverflowError:
        raise range_error("(date)") from None


def sub(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return ck_int(a - b)
    if ta is float and tb is float:
        return a - b
    if ta is UInt and tb is UInt:
        return ck_uint(a - b)
    if isinstance(a, _dt.timedelta) and isinstance(b, _dt.timedelta):
        return _ck_dur(a - b)
    if isinstance(a, _dt.datetime):
        if isinstance(b, _dt.timedelta):
            return ts_add(a, -b)
        if isinstance(b, _dt.datetime):
            return ts_sub(a, b)
    if ta is _dt.date:
        if tb is _dt.date:
            return a - b
        if isinstance(b, _dt.timedelta):
            return date_add(a, -b)
    raise no_overload("_-_", a, b)


def mul(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return ck_int(a * b)
    if ta is float and tb is float:
        return a * b
    if ta is UInt and tb is UInt:
        return ck_uint(a * b)
    raise no_overload("_*_", a, b)


def idiv(a: int, b: int) -> int:
    if b == 0:
        raise err("division_by_zero", "pembagian dengan nol", "division by zero")
    q = abs(a) // abs(b)
    if (a < 0) != (b < 0):
        q = -q
    return ck_int(q)


def imod(a: int, b: int) -> int:
    if b == 0:
        raise err("modulus_by_zero", "modulo dengan nol", "modulus by zero")
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def fdiv(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if math.isnan(a) or a == 0:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def div(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return idiv(a, b)
    if ta is float and tb is float:
        return fdiv(a, b)
    if ta is UInt and tb is UInt:
        if b == 0:
            raise err("division_by_zero", "pembagian dengan nol", "division by zero")
        return UInt(a // b)
    raise no_overload("_/_", a, b)


def mod(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return imod(a, b)
    if ta is UInt and tb is UInt:
        if b == 0:
            raise err("modulus_by_zero", "modulo dengan nol", "modulus by zero")
        return UInt(a % b)
    raise no_overload("_%_", a, b)


def neg(a: Any) -> Any:
    t = type(a)
    if t is int:
        return ck_int(-a)
    if t is float:
        return -a
    if isinstance(a, _dt.timedelta):
        return _ck_dur(-a)
    raise no_overload("-_", a)


def not_(a: Any) -> bool:
    if a is True:
        return False
    if a is False:
        return True
    raise no_overload("!_", a)


def as_bool(v: Any, op: str = "_?_:_") -> bool:
    if v is True or v is False:
        return v
    raise no_overload(op, v)


# ---------------------------------------------------------------- selection & indexing


def select(obj: Any, field: str, path: str | None = None) -> Any:
    """``obj.field`` on a dynamically typed value."""
    if isinstance(obj, Mapping):
        try:
            return norm(obj[field])
        except KeyError:
            raise err(
                "no_such_key", f"kunci '{field}' tidak ada", f"no such key: '{field}'", path
            ) from None
        except TypeError:
            raise no_overload("_._", obj) from None
    if obj is None:
        missing(path.rsplit(".", 1)[0] if path and "." in path else path)
    if attrs.has(type(obj)):
        try:
            return norm(getattr(obj, field))
        except AttributeError:
            raise _no_such_field(obj, field, path) from None
    raise err(
        "no_such_field",
        f"tipe '{type_name(obj)}' tidak mendukung pemilihan field",
        f"type '{type_name(obj)}' does not support field selection",
        path,
    )


def has(obj: Any, field: str, path: str | None = None) -> bool:
    if isinstance(obj, Mapping):
        return field in obj
    if obj is None:
        missing(path.rsplit(".", 1)[0] if path and "." in path else path)
    if attrs.has(type(obj)):
        try:
            v = getattr(obj, field)
        except AttributeError:
            raise _no_such_field(obj, field, path) from None
        return present(v)
    raise err(
        "no_such_field",
        f"tipe '{type_name(obj)}' tidak mendukung has()",
        f"type '{type_name(obj)}' does not support field presence test",
        path,
    )


def _no_such_field(obj: Any, field: str, path: str | None) -> CelError:
    return err(
        "no_such_field",
        f"field '{field}' tidak ada pada {type(obj).__name__}",
        f"no such field '{field}' on {type(obj).__name__}",
        path,
    )


def present(v: Any) -> bool:
    if v is None:
        return False
    if type(v) is tuple or type(v) is list:
        return len(v) > 0
    return True


def index(c: Any, k: Any) -> Any:
    if isinstance(c, (list, tuple)):
        tk = type(k)
        if tk is int or tk is UInt:
            i = k
        elif tk is float:
            if not k.is_integer():
                raise err("invalid_argument", f"indeks tidak sah: {k}", f"invalid list index: {k}")
            i = int(k)
        else:
            raise err("invalid_argument", "indeks list harus int", f"invalid list index type '{type_name(k)}'")
        if 0 <= i < len(c):
            return norm(c[i])
        raise err("invalid_argument", f"indeks {i} di luar jangkauan", f"index out of range: {i}")
    if isinstance(c, Mapping):
        tk = type(k)
        if tk is bool:
            for key, v in c.items():
                if type(key) is bool and key == k:
                    return norm(v)
        elif tk is float:
            if k.is_integer():
                try:
                    return norm(c[int(k)])
                except KeyError:
                    pass
        elif tk is int or tk is UInt or tk is str:
            try:
                v = c[k]
            except KeyError:
                pass
            else:
                return norm(v)
        raise err("no_such_key", f"kunci {k!r} tidak ada", f"no such key: {k!r}")
    raise no_overload("_[_]", c, k)


def make_map(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for k, v in pairs:
        tk = type(k)
        if not (tk is str or tk is int or tk is UInt or tk is bool):
            raise err("invalid_argument", f"tipe kunci map tidak didukung: {type_name(k)}",
                      f"unsupported key type: {type_name(k)}")
        if k in out:
            for old in out:
                if eq(old, k):
                    raise err("invalid_argument", f"kunci map berulang: {k!r}", f"Failed with repeated key: {k!r}")
        out[k] = v
    return out


def size(v: Any) -> int:
    t = type(v)
    if t is str or t is bytes or t is list or t is tuple or isinstance(v, Mapping):
        return len(v)
    if isinstance(v, (str, bytes, list, tuple)):
        return len(v)
    raise no_overload("size", v)


# ---------------------------------------------------------------- strings


def s_contains(s: Any, x: Any) -> bool:
    if type(s) is str and type(x) is str:
        return x in s
    raise no_overload("contains", s, x)


def s_starts(s: Any, x: Any) -> bool:
    if type(s) is str and type(x) is str:
        return s.startswith(x)
    raise no_overload("startsWith", s, x)


def s_ends(s: Any, x: Any) -> bool:
    if type(s) is str and type(x) is str:
        return s.endswith(x)
    raise no_overload("endsWith", s, x)


def matches(s: Any, pattern: Any) -> bool:
    if type(s) is not str or type(pattern) is not str:
        raise no_overload("matches", s, pattern)
    rx = compile_regex(pattern)  # validates with RE2 (CEL's syntax and cost model)
    twin = fast_regex(pattern)
    if twin is not None and len(s) <= twin.limit:
        return twin.fast.search(s) is not None
    if not HAVE_RE2 and len(s) > twin_limit(pattern):
        raise err("regex_cost", "teks terlalu panjang untuk regex", "input too long for regular expression")
    return rx.search(s) is not None


# ---------------------------------------------------------------- conversions


def to_int(v: Any) -> int:
    t = type(v)
    if t is int:
        same: int = v
        return same
    if t is UInt:
        if v > INT64_MAX:
            raise range_error("(int)")
        return int(v)
    if t is float:
        if not math.isfinite(v) or not (-9223372036854775808.0 < v < 9223372036854775808.0) \
                or v == -9223372036854775808.0:
            raise range_error("(int)")
        return int(v)
    if t is str:
        try:
            r = int(v, 10)
        except ValueError:
            raise err("invalid_argument", f"tidak dapat mengubah '{v}' ke int",
                      f"cannot convert '{v}' to int") from None
        if v.strip() != v or "_" in v:
            raise err("invalid_argument", f"tidak dapat mengubah '{v}' ke int", f"cannot convert '{v}' to int")
        if not INT64_MIN <= r <= INT64_MAX:
            raise range_error("(int)")
        return r
    if isinstance(v, _dt.datetime):
        return int(v.timestamp()) if v.tzinfo else int(v.replace(tzinfo=UTC).timestamp())
    if isinstance(v, enum.Enum):
        return to_int(v.value)
    raise no_overload("int", v)


def to_uint(v: Any) -> UInt:
    t = type(v)
    if t is UInt:
        same: UInt = v
        return same
    if t is int:
        if v < 0:
            raise range_error("(uint)")
        return UInt(v)
    if t is float:
        if not math.isfinite(v) or not (-1.0 < v < 18446744073709551616.0):
            raise range_error("(uint)")
        return UInt(int(v))
    if t is str:
        try:
            r = int(v, 10)
        except ValueError:
            raise err("invalid_argument", f"tidak dapat mengubah '{v}' ke uint",
                      f"cannot convert '{v}' to uint") from None
        if not 0 <= r <= UINT64_MAX or v.strip() != v:
            raise range_error("(uint)")
        return UInt(r)
    raise no_overload("uint", v)


_FLOAT_RE = re.compile(r"[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|[Ii]nf(inity)?|NaN|nan)\Z")


def to_double(v: Any) -> float:
    t = type(v)
    if t is float:
        same: float = v
        return same
    if t is int or t is UInt:
        return float(v)
    if t is str:
        if not _FLOAT_RE.match(v):
            raise err("invalid_argument", f"tidak dapat mengubah '{v}' ke double", f"cannot convert '{v}' to double")
        return float(v)
    raise no_overload("double", v)


def fmt_double(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    if v in (math.inf, -math.inf):
        return "+Inf" if v > 0 else "-Inf"
    if v == int(v) and abs(v) < 1e21:
        r = repr(v)
        if "e" not in r:
            return r.removesuffix(".0")
    r = repr(v)
    if "e" in r:
        mant, exp = r.split("e")
        e = int(exp)
        if -5 <= e < 21:
            return format(v, "f").rstrip("0").rstrip(".") if "." in format(v, "f") else format(v, "f")
        return f"{mant}e{'+' if e >= 0 else '-'}{abs(e):02d}"
    return r


def to_string(v: Any) -> str:
    t = type(v)
    if t is str:
        same: str = v
        return same
    if t is bool:
        return "true" if v else "false"
    if t is int or t is UInt:
        return str(int(v))
    if t is float:
        return fmt_double(v)
    if t is bytes:
        try:
            text: str = v.decode("utf-8")
            return text
        except UnicodeDecodeError:
            raise err("invalid_argument", "bytes bukan UTF-8 yang sah", "invalid UTF-8 in bytes") from None
    if isinstance(v, _dt.datetime):
        return fmt_timestamp(v)
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, _dt.timedelta):
        return fmt_duration(v)
    if isinstance(v, enum.Enum):
        return to_string(v.value)
    if t is CelType:
        name: str = v.name
        return name
    raise no_overload("string", v)


def to_bytes(v: Any) -> bytes:
    if type(v) is bytes:
        return v
    if type(v) is str:
        return v.encode("utf-8", "surrogatepass")
    raise no_overload("bytes", v)


_BOOL_STR = {"1": True, "t": True, "true": True, "TRUE": True, "True": True,
             "0": False, "f": False, "false": False, "FALSE": False, "False": False}


def to_bool(v: Any) -> bool:
    if v is True or v is False:
        return v
    if type(v) is str:
        try:
            return _BOOL_STR[v]
        except KeyError:
            raise err("invalid_argument", f"tidak dapat mengubah '{v}' ke bool",
                      f"Type conversion error: '{v}' to bool") from None
    raise no_overload("bool", v)


def dyn(v: Any) -> Any:
    return v


# ---------------------------------------------------------------- time


_TS_RE = re.compile(
    r"(\d{4,})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})\Z"
)


def parse_timestamp(s: str) -> _dt.datetime:
    m = _TS_RE.match(s)
    if not m:
        raise err("invalid_argument", f"timestamp tidak sah: '{s}'", f"invalid timestamp '{s}'")
    y, mo, d, h, mi, se, frac, off = m.groups()
    if len(y) > 4 or y == "0000":
        raise range_error("(timestamp)")
    us = int((frac or "0").ljust(9, "0")[:6])
    if off in ("Z", "z"):
        tz = UTC
    else:
        sign = 1 if off[0] == "+" else -1
        tz = _dt.timezone(sign * _dt.timedelta(hours=int(off[1:3]), minutes=int(off[4:6])))
    try:
        t = _dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(se), us, tzinfo=tz)
        return t.astimezone(UTC)
    except (ValueError, OverflowError):
        raise range_error("(timestamp)") from None


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)


def to_timestamp(v: Any) -> _dt.datetime:
    if isinstance(v, _dt.datetime):
        return v
    t = type(v)
    if t is str:
        return parse_timestamp(v)
    if t is int:
        try:
            return _EPOCH + _dt.timedelta(seconds=v)
        except OverflowError:
            raise range_error("(timestamp)") from None
    if isinstance(v, _dt.date):
        return _dt.datetime(v.year, v.month, v.day, tzinfo=UTC)
    raise no_overload("timestamp", v)


_DUR_RE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)")
_DUR_UNIT_NS = {"h": 3600 * 10**9, "m": 60 * 10**9, "s": 10**9, "ms": 10**6, "us": 10**3, "µs": 10**3, "ns": 1}


def parse_duration(s: str) -> _dt.timedelta:
    src = s
    neg = False
    if s[:1] in "+-" and s:
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return _dt.timedelta(0)
    pos = 0
    total_ns: Fraction | int = 0
    while pos < len(s):
        m = _DUR_RE.match(s, pos)
        if not m:
            raise err("invalid_argument", f"durasi tidak sah: '{src}'", f"invalid duration '{src}'")
        total_ns += Fraction(m.group(1)) * _DUR_UNIT_NS[m.group(2)]
        pos = m.end()
    if pos == 0:
        raise err("invalid_argument", f"durasi tidak sah: '{src}'", f"invalid duration '{src}'")
    ns = int(total_ns)
    if neg:
        ns = -ns
    us = int(ns / 1000)  # truncate toward zero: timedelta has microsecond precision
    if abs(ns) > MAX_DURATION.total_seconds() * 10**9:
        raise range_error("(duration)")
    return _dt.timedelta(microseconds=us)


def to_duration(v: Any) -> _dt.timedelta:
    if isinstance(v, _dt.timedelta):
        return v
    if type(v) is str:
        return parse_duration(v)
    if type(v) is int:
        return _ck_dur(_dt.timedelta(seconds=v))
    raise no_overload("duration", v)


def fmt_timestamp(t: _dt.datetime) -> str:
    if t.tzinfo is not None:
        t = t.astimezone(UTC)
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    if len(s) < 19:
        s = f"{t.year:04d}" + s[s.index("-"):]
    if t.microsecond:
        s += "." + f"{t.microsecond:06d}".rstrip("0")
    return s + "Z"


def fmt_duration(d: _dt.timedelta) -> str:
    us = (d.days * 86400 + d.seconds) * 10**6 + d.microseconds
    sign = "-" if us < 0 else ""
    us = abs(us)
    sec, frac = divmod(us, 10**6)
    if frac:
        return f"{sign}{sec}.{f'{frac:06d}'.rstrip('0')}s"
    return f"{sign}{sec}s"


@lru_cache(maxsize=256)
def get_tz(name: str) -> _dt.tzinfo:
    m = re.fullmatch(r"([+-])?(\d{2}):(\d{2})", name)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        return _dt.timezone(sign * _dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3))))
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # noqa: BLE001
        raise err("invalid_argument", f"zona waktu tidak dikenal: '{name}'", f"unknown time zone '{name}'") from None


@overload
def _in_tz(t: _dt.datetime, tz: Any, fn: str) -> _dt.datetime: ...


@overload
def _in_tz(t: Any, tz: Any, fn: str) -> _dt.date: ...


def _in_tz(t: Any, tz: Any, fn: str) -> _dt.date:
    """``t`` (a timestamp or date) seen in time zone ``tz``: a timestamp stays a timestamp."""
    if isinstance(t, _dt.datetime):
        if tz is None:
            return t.astimezone(UTC) if t.tzinfo is not None else t
        if type(tz) is not str:
            raise no_overload(fn, t, tz)
        return (t if t.tzinfo is not None else t.replace(tzinfo=UTC)).astimezone(get_tz(tz))
    if isinstance(t, _dt.date) and tz is None:
        return t
    raise no_overload(fn, t) if tz is None else no_overload(fn, t, tz)


def ts_get(name: str, t: Any, tz: Any = None) -> int:
    if isinstance(t, _dt.timedelta) and tz is None:
        total_us = (t.days * 86400 + t.seconds) * 10**6 + t.microseconds
        total_s = int(total_us / 10**6)
        if name == "getHours":
            return int(total_s / 3600)
        if name == "getMinutes":
            return int(total_s / 60)
        if name == "getSeconds":
            return total_s
        if name == "getMilliseconds":
            return int((total_us - total_s * 10**6) / 1000)
        raise no_overload(name, t)
    x: _dt.date = _in_tz(t, tz, name)
    if name == "getFullYear":
        return x.year
    if name == "getMonth":
        return x.month - 1
    if name == "getDate":
        return x.day
    if name == "getDayOfMonth":
        return x.day - 1
    if name == "getDayOfYear":
        return x.timetuple().tm_yday - 1
    if name == "getDayOfWeek":
        return (x.weekday() + 1) % 7
    if isinstance(x, _dt.datetime):
        if name == "getHours":
            return x.hour
        if name == "getMinutes":
            return x.minute
        if name == "getSeconds":
            return x.second
        if name == "getMilliseconds":
            return x.microsecond // 1000
    raise no_overload(name, t)


TIME_GETTERS = (
    "getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfYear", "getDayOfWeek",
    "getHours", "getMinutes", "getSeconds", "getMilliseconds",
)


def to_date(v: Any, tz: Any = None) -> _dt.date:
    """Domain extension: ``date("2024-01-09")``, ``date(timestamp)``, ``date(timestamp, "Asia/Jakarta")``."""
    if type(v) is _dt.date and tz is None:
        return v
    if type(v) is str and tz is None:
        try:
            return _dt.date.fromisoformat(v) if len(v) == 10 else _bad_date(v)
        except ValueError:
            _bad_date(v)
    if isinstance(v, _dt.datetime):
        return _in_tz(v, tz, "date").date()
    raise no_overload("date", v) if tz is None else no_overload("date", v, tz)


def _bad_date(v: str) -> NoReturn:
    raise err("invalid_argument", f"tanggal tidak sah: '{v}' (format YYYY-MM-DD)",
              f"invalid date '{v}' (expected YYYY-MM-DD)")


# ---------------------------------------------------------------- Python exception mapping


def wrap_exception(e: BaseException, fn_codes: Mapping[Any, str] | None = None) -> CelError:
    """Turn a non-CEL Python exception raised during evaluation into a :class:`CelError`.

    :class:`MemoryError` is re-raised, never turned into a value error: running out of memory is
    the caller's budget (the server's ``--max-memory``), not something wrong with the data.
    """
    if isinstance(e, CelError):
        return e
    if isinstance(e, MemoryError):
        raise e
    if fn_codes:
        tb = e.__traceback__
        while tb is not None:
            name = fn_codes.get(tb.tb_frame.f_code)
            if name is not None:
                return err(
                    "function_failure",
                    f"fungsi '{name}' gagal: {type(e).__name__}: {e}",
                    f"function '{name}' failed: {type(e).__name__}: {e}",
                )
            tb = tb.tb_next
    if isinstance(e, ZeroDivisionError):
        return err("division_by_zero", "pembagian dengan nol", "division by zero")
    if isinstance(e, OverflowError):
        return range_error()
    if isinstance(e, RecursionError):
        return err("invalid_argument", "ekspresi terlalu dalam", "expression too deep")
    if isinstance(e, AttributeError) and str(e).startswith("'NoneType'"):
        return err("missing_field", "data tidak ada (null)", "a value is missing (null)")
    if isinstance(e, (TypeError, AttributeError)):
        return err("no_matching_overload", f"operasi tidak didukung: {e}", f"no matching overload: {e}")
    return err("invalid_argument", f"kesalahan evaluasi: {type(e).__name__}: {e}",
               f"evaluation error: {type(e).__name__}: {e}")


def iter_range(v: Any, macro: str = "") -> Any:
    """The iteration range of a comprehension: a list's elements or a map's keys."""
    if isinstance(v, (list, tuple, Mapping)):
        return v
    raise no_overload(macro or "comprehension", v)
