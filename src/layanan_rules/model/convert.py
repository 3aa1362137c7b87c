"""The one cattrs converter: raw records and rule files into typed attrs objects.

Everything about how outside data becomes the model is configured here, in order, by
:func:`make_converter`. Strings where the model wants a date, an amount, a duration, a fee, a
yes/no or a list are parsed as Indonesians write them (:mod:`layanan_rules.model.parsing`).

:func:`structure_record` never raises for bad data: a field that cannot be structured is set
aside as a :class:`FieldProblem` (naming the field and the reason) and the rest of the record
is kept, so one bad cell costs one field, not the record.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, override

from layanan_rules import model
from layanan_rules.model import construct, parsing

WIB = ZoneInfo("Asia/Jakarta")


@attrs.frozen
class FieldProblem:
    """A value that could not become part of the model; reported, never dropped silently."""

    field: str  # dotted path inside the record, e.g. "standar.jangka_waktu"
    value: Any
    reason: str  # machine-readable: malformed_value | unknown_field | missing_id
    message: str  # bilingual, for people


WIB_OFFSET = dt.timedelta(hours=7)

#: Bumped by a hook that read a value with a reservation (a part left unread, digits and words
#: that disagree, a partial date): :func:`structure_record` then finds which field and says so.
#: A count, not a flag, so that concurrent threads can only cause an extra look, never a missed one.
_NOTED = [0]


def wib_date(value: dt.datetime) -> dt.date:
    """The calendar date of a timestamp in WIB (naive timestamps are already local)."""
    offset = value.utcoffset()
    if offset is None or offset == WIB_OFFSET:  # the common case: no conversion
        return value.date()
    return (value + (WIB_OFFSET - offset)).date()  # WIB has no daylight saving: a fixed +07:00


#: fixed-offset zone -> the one instance of it that structured values share: ``fromisoformat`` makes a
#: new ``timezone`` (and its ``timedelta``) for every "+07:00" it reads
_ZONES: dict[dt.tzinfo, dt.tzinfo] = {}
_LAST_ZONE: list[dt.tzinfo | None] = [None]  # the shared zone used last (values in one file share one)


#: text -> the one string object that structured records hold for it. Statuses, channels, ids of
#: parents and a service standard's requirements recur across records; JSON gives each its own
#: copy (about 60 bytes). Emptied when full, like the caches above; personal data is not kept here.
_SHARED: dict[str, str] = {}
_SHARED_MAX = 65536


def share(text: str) -> str:
    """``text``, as the string object already held for an equal text if there is one."""
    got = _SHARED.get(text)
    if got is None:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        got = _SHARED[text] = text
    return got


def _date(value: Any, _t: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return wib_date(value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if len(value) == 10 and value[4:5] == "-":  # ISO fast path
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        elif len(value) <= 40 and value[-5:-4] == " " and value[-4:].isdigit():  # "26 Agustus 2024", "Senin, 26 Agustus 2024"
            ymd = parsing.fast_word_date(value)
            if ymd is not None:
                return dt.date(ymd[0], ymd[1], ymd[2])
        try:
            return parsing.parse_date(value)
        except parsing.ParseError:
            _first, last, _precision = parsing.parse_partial_date(value)  # "2021", "Januari 2021"
            _NOTED[0] += 1
            return last
    if type(value) is int and 1900 <= value <= 2100:  # a year typed into a date cell
        _NOTED[0] += 1
        return dt.date(value, 12, 31)
    raise ValueError(f"tanggal diharapkan, bukan {type(value).__name__} / expected a date")


def _datetime(value: Any, _t: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=WIB)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=WIB)
    if isinstance(value, str):
        if len(value) >= 16 and value[4:5] == "-" and value[10:11] in ("T", " "):  # ISO fast path
            try:
                parsed = dt.datetime.fromisoformat(value)
                return parsed if parsed.tzinfo else parsed.replace(tzinfo=WIB)
            except ValueError:
                pass
        elif len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":  # a plain ISO date: midnight WIB
            try:
                d = dt.date.fromisoformat(value)
                return dt.datetime(d.year, d.month, d.day, tzinfo=WIB)
            except ValueError:
                pass
        elif len(value) <= 40 and value[-5:-4] == " " and value[-4:].isdigit():  # "26 Agustus 2024", "Senin, 26 Agustus 2024"
            ymd = parsing.fast_word_date(value)
            if ymd is not None:
                return dt.datetime(ymd[0], ymd[1], ymd[2], 0, 0, 0, 0, WIB)
        elif len(value) <= 40 and value[1:3].strip("0123456789") in ("/", "-", "."):  # 26/08/2024 10:15
            moment = parsing.fast_numeric_datetime(value)
            if moment is not None:
                return moment
        return parsing.parse_datetime(value)
    raise ValueError(f"tanggal/waktu diharapkan, bukan {type(value).__name__} / expected a date-time")


def _int(value: Any, _t: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("bilangan bulat diharapkan, bukan ya/tidak / expected a whole number, not a boolean")  # noqa: TRY004 - a data error, reported as one
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        # an amount of money is the commonest whole number in this domain: "Rp 1.500.000,-"
        n: int | float
        if "rp" in value.lower():
            n = parsing.parse_rupiah(value)
        else:
            n, note = parsing.read_number(value)
            if note:
                _NOTED[0] += 1
        if isinstance(n, float) and not n.is_integer():
            raise ValueError(f"bilangan bulat diharapkan: {value!r} / expected a whole number")
        return int(n)
    raise ValueError(f"bilangan bulat diharapkan: {value!r} / expected a whole number")


def _float(value: Any, _t: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("angka diharapkan, bukan ya/tidak / expected a number, not a boolean")  # noqa: TRY004 - a data error
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        n, note = parsing.read_number(value)
        if note:
            _NOTED[0] += 1
        return float(n)
    raise ValueError(f"angka diharapkan: {value!r} / expected a number")


def _bool(value: Any, _t: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return parsing.parse_bool(value)
    raise ValueError(f"ya/tidak diharapkan: {value!r} / expected yes/no")


def _str(value: Any, _t: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        raise ValueError(f"teks diharapkan: {value!r} / expected text")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, dt.date)):
        return str(value)
    raise ValueError(f"teks diharapkan, bukan {type(value).__name__} / expected text")


@functools.cache
def _enum_lookup(cls: type[enum.Enum]) -> dict[str, enum.Enum]:
    table: dict[str, enum.Enum] = {}
    for member in cls:
        table[member.name] = member
        table[str(member.value)] = member
    return table


def _enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        table = _enum_lookup(cls)
        member = table.get(value)
        if member is None:
            member = table.get(value.strip().lower().replace(" ", "_").replace("-", "_"))
        if member is not None:
            return member
    choices = ", ".join(m.value for m in cls)
    raise ValueError(f"nilai {value!r} tidak dikenal; pilihan: {choices} / unknown value; choices: {choices}")


def _str_list(value: Any, _t: Any) -> tuple[str, ...]:
    if type(value) is list and all(type(v) is str for v in value):
        return tuple(value)
    if isinstance(value, str):
        return tuple(parsing.parse_list(value))
    if isinstance(value, (list, tuple)):
        return tuple(_str(v, str) for v in value)
    raise ValueError(f"daftar diharapkan: {value!r} / expected a list")


_CACHE_MAX = 16384  # distinct texts / small dicts kept; a full cache is emptied
_PERATURAN: dict[str, model.Peraturan] = {}  # regulation as written -> Peraturan
_make_peraturan = construct.maker(model.Peraturan, ("teks", "jenis", "nomor", "tahun"))


def peraturan_of_text(text: str) -> model.Peraturan:
    """A regulation cited as text, parsed once per distinct text (they recur across services)."""
    p = _PERATURAN.get(text)
    if p is None:
        d = parsing.parse_peraturan(text)
        p = _make_peraturan(d["teks"], d["jenis"], d["nomor"], d["tahun"])
        if len(_PERATURAN) >= _CACHE_MAX:
            _PERATURAN.clear()
        _PERATURAN[text] = p
    return p


_YEAR_TOKEN = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def prepare_standar(value: Any) -> Any:
    """A service standard as agencies write it, before structuring (a new dict when changed).

    Requirements that differ by case ("Bagi WNI: ... Bagi WNA: ...") give ``persyaratan`` (every
    item) and ``persyaratan_kasus``. An adoption date known only by month or year ("Januari
    2021", "2021") becomes the last day of that period with ``ditetapkan_presisi``; with no date
    at all, the year of the decree number ("SK Nomor 7 Tahun 2020", "188/12/2024") does the same.
    """
    if type(value) is not dict:
        return value
    out: dict[str, Any] | None = None
    items = value.get("persyaratan")
    if type(items) is str and "persyaratan_kasus" not in value:
        try:
            read = parsing.parse_persyaratan(items)
        except parsing.ParseError:
            read = None
        if read is not None:
            out = dict(value)
            out["persyaratan"] = read["butir"]
            if read.get("kasus"):
                out["persyaratan_kasus"] = read["kasus"]
            if read.get("catatan"):
                _NOTED[0] += 1
    if value.get("ditetapkan_presisi") is None:
        day = value.get("ditetapkan_pada")
        partial: tuple[dt.date, str] | None = None
        if type(day) is int and 1900 <= day <= 2100:  # a year typed into a date cell
            partial = (dt.date(day, 12, 31), "tahun")
        elif type(day) is str and day.strip() and not (len(day) == 10 and day[4:5] == "-"):
            try:
                parsing.parse_date(day)
            except parsing.ParseError:
                try:
                    _first, last, precision = parsing.parse_partial_date(day)
                except parsing.ParseError:
                    pass  # unreadable: the date hook reports it
                else:
                    partial = (last, precision) if precision != "hari" else None
        elif day is None or day == "":
            number = value.get("nomor_penetapan")
            years = _YEAR_TOKEN.findall(number) if type(number) is str else []
            if years:
                partial = (dt.date(int(years[-1]), 12, 31), "tahun")
        if partial is not None:
            out = out if out is not None else dict(value)
            out["ditetapkan_pada"], out["ditetapkan_presisi"] = partial
    return value if out is None else out


def _optional_hook_factory(c: cattrs.Converter) -> Any:
    """``X | None``: bind X's hook once instead of dispatching on every value (a large speed-up)."""

    def factory(t: Any) -> Any:
        inner = next(a for a in typing.get_args(t) if a is not type(None))
        hook = c.get_structure_hook(inner)
        if inner in (str, int, float, bool):  # already the right type: the common case, no call

            def structure_primitive(value: Any, _t: Any) -> Any:
                if type(value) is inner or value is None:
                    return value
                return hook(value, inner)

            return structure_primitive

        def structure_optional(value: Any, _t: Any) -> Any:
            return None if value is None else hook(value, inner)

        return structure_optional

    return factory


def _is_optional(t: Any) -> bool:
    args = typing.get_args(t)
    return len(args) == 2 and type(None) in args and typing.get_origin(t) in (typing.Union, types.UnionType)


def make_converter(*, detailed: bool = True) -> cattrs.Converter:
    """Build the converter. Order matters: primitives, then value objects, then entities.

    ``detailed=False`` builds the fast twin used for the common case of a clean record; when
    it fails, the detailed converter re-runs to say exactly which field is wrong.
    """
    c = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    c.register_structure_hook(dt.datetime, _datetime)
    c.register_structure_hook(dt.date, _date)
    c.register_structure_hook(int, _int)
    c.register_structure_hook(float, _float)
    c.register_structure_hook(bool, _bool)
    c.register_structure_hook(str, _str)
    c.register_structure_hook_func(lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum)
    c.register_structure_hook_func(lambda t: t == tuple[str, ...], _str_list)
    c.register_structure_hook_factory(_is_optional, _optional_hook_factory(c))
    c.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    c.register_unstructure_hook(dt.datetime, lambda d: d.isoformat())

    dict_peraturan = make_dict_structure_fn(model.Peraturan, c)

    def peraturan(value: Any, _t: Any) -> model.Peraturan:
        if isinstance(value, str):
            return peraturan_of_text(value)
        return dict_peraturan(value, model.Peraturan)

    c.register_structure_hook(model.Peraturan, peraturan)

    def peraturan_list(value: Any, _t: Any) -> tuple[model.Peraturan, ...]:
        if isinstance(value, str):
            value = parsing.parse_list(value)
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"daftar peraturan diharapkan: {value!r} / expected a list of regulations")  # noqa: TRY004
        return tuple([peraturan(v, model.Peraturan) for v in value])

    c.register_structure_hook_func(lambda t: t == tuple[model.Peraturan, ...], peraturan_list)

    for cls, parse in ((model.JangkaWaktu, parsing.parse_jangka_waktu), (model.Biaya, parsing.parse_biaya)):
        # registered before the structure function is made: a case (kasus) or an extension is
        # the same class, so making it looks this hook up
        cell: dict[str, Any] = {}

        @functools.lru_cache(maxsize=4096)
        def from_text(text: str, _parse: Any = parse, _cls: Any = cls, _cell: Any = cell) -> tuple[Any, bool]:
            d = dict(_parse(text))
            noted = bool(d.pop("catatan", None))
            return _cell["base"](d, _cls), noted

        def hook(value: Any, t: Any, _cell: Any = cell, _from_text: Any = from_text) -> Any:
            if isinstance(value, str):
                obj, noted = _from_text(value)
                if noted:
                    _NOTED[0] += 1
                return obj
            if isinstance(value, (int, float)) and not isinstance(value, bool) and t is model.Biaya:
                value = {"gratis": value == 0, "jumlah": int(value)}
            return _cell["base"](value, t)

        c.register_structure_hook(cls, hook)
        cell["base"] = make_dict_structure_fn(cls, c)

    base_standar = make_dict_structure_fn(model.StandarPelayanan, c)
    c.register_structure_hook(model.StandarPelayanan,
                              lambda value, t: base_standar(prepare_standar(value), t))

    entities = frozenset(model.ENTITIES.values())

    def entity_hook(entity: Any) -> Any:
        """An entity's structuring function (relations omitted), generated the first time one is
        structured: the code for every entity, made for both converters at import, was a tenth of
        the command line's start-up."""
        omit = {f.name: override(omit=True) for f in attrs.fields(entity) if model.is_relation(f)}
        # mypy matches **omit against cattrs' own _cattrs_* flags too; it holds field names only
        return make_dict_structure_fn(entity, c, **omit)  # type: ignore[arg-type]

    c.register_structure_hook_factory(lambda t: t in entities, entity_hook)
    return c


converter = make_converter()
_fast = make_converter(detailed=False)


# --- records ----------------------------------------------------------------------------------


def _problems(exc: BaseException, prefix: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], BaseException]]:
    """Flatten a cattrs validation error into (path, leaf exception) pairs."""
    out: list[tuple[tuple[Any, ...], BaseException]] = []
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            out.append((prefix + (key,), exc))
        return out
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        for sub in exc.exceptions:
            step: tuple[Any, ...] = ()
            for note in getattr(sub, "__notes__", []):
                name = getattr(note, "name", None)
                if name is not None:
                    step = (name,)
                    break
                index = getattr(note, "index", None)
                if index is not None:
                    step = (index,)
                    break
            out.extend(_problems(sub, prefix + step))
        return out
    out.append((prefix, exc))
    return out


def _dotted(path: tuple[Any, ...]) -> str:
    s = ""
    for p in path:
        s += f"[{p}]" if isinstance(p, int) else (f".{p}" if s else str(p))
    return s


def _remove(data: dict[str, Any], path: tuple[Any, ...]) -> Any:
    """Remove the value at ``path`` (stopping at the first list index); return what was removed.

    The dicts along the path must already be copies (:func:`_copy_path`)."""
    cur: Any = data
    keys: list[Any] = []
    for p in path:
        if isinstance(p, int):
            break
        keys.append(p)
    for k in keys[:-1]:
        nxt = cur.get(k) if isinstance(cur, dict) else None
        if not isinstance(nxt, dict):
            return None
        cur = nxt
    if not keys or not isinstance(cur, dict):
        return None
    return cur.pop(keys[-1], None)


def _copy_path(data: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    """Copy the dicts along ``path`` so that removing from them leaves the caller's data intact."""
    root = dict(data)
    cur = root
    for p in path[:-1]:
        if isinstance(p, int) or not isinstance(cur.get(p), dict):
            break
        cur[p] = dict(cur[p])
        cur = cur[p]
    return root


def _clean(value: Any) -> Any:
    """Empty cells are missing values, at every depth."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None and v != ""}
    return value


# --- the generated fast path ------------------------------------------------------------------
#
# Most records are clean: values already of the right type, or strings the cached hooks parse.
# For them, a structuring function generated per model class (straight-line code, one branch per
# field, the converter's own hooks for anything that needs converting) is several times faster
# than the general machinery. Any surprise (an unknown key, a bad value) raises, and the detailed
# cattrs converter above runs instead and names the problem: same results, one place for rules.
#
# What makes it fast, by measurement: the object is made with ``object.__new__`` and each slot
# set through its own descriptor (the frozen classes refuse ``setattr``; attrs' keyword ``__init__``
# costs twice as much); exact type tests before anything else, so the common value costs one
# test; lists of text become tuples after one ``"".join`` has checked every item; ISO dates,
# regulations cited as text, durations and fees are structured once per distinct value and
# shared (they are frozen). test_convert.py checks it against the detailed converter.

_PRIMITIVES = (str, int, float, bool)


def _slow(value: Any, default: Any, hook: Any, t: Any) -> Any:
    """A value the generated code does not handle inline: what the general path does with it."""
    if value is None or value == "":
        return default
    return hook(value, t)


#: Small value objects whose dicts recur (durations: a handful of amounts and units; fees: free, or
#: an amount): structured once per distinct dict. A dict whose values are primitives or enums is the
#: key; a container value (cases, an extension) makes the key unhashable and is simply not cached.
#: A cached object is only ever found for values of the same exact types (the key holds them: ``1``,
#: ``1.0`` and ``True`` are equal and hash alike, but do not structure alike).
#: class -> (``head``, ``whole``): the usual dict holds only some of the first ``head`` fields, and
#: its key is those values (a duration's amount, unit and kind of day; a fee's flag and amount);
#: another dict is keyed by every field when ``whole``, else not cached: a fee that cites its
#: regulation or is written out is its service's own (on bench/synth.py a cache of every fee
#: missed half the time and cost more than it saved).
_CACHED_VALUES: dict[type, tuple[int, bool]] = {model.JangkaWaktu: (3, True), model.Biaya: (2, False)}


def _inner(t: Any) -> Any:
    """``X`` of ``X | None``."""
    args = typing.get_args(t)
    return next((a for a in args if a is not type(None)), t) if type(None) in args else t


def _is_enum(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, enum.Enum)


_ABSENT = object()  # a key not in the input dict
_DATES: dict[str, dt.date] = {}  # ISO date text -> date
#: list of texts -> the one tuple that structured records hold for it: a service standard's
#: requirements, procedures, products and facilities recur across services (bench/synth.py:
#: 65 distinct product lists in 90,000, 3,600 procedure lists). A record then keeps a tuple built
#: before it, not a new one for the collector to walk while the records are young. Emptied when
#: full; fields of personal data are not kept here.
_TEXTS: dict[tuple[str, ...], tuple[str, ...]] = {}


def _peraturan_new(values: list[Any], found: tuple[Any, ...], hook: Callable[[Any, Any], tuple[Any, ...]],
                   t: Any) -> tuple[Any, ...]:
    """Regulations not all in the cache yet: each new text parsed once (:func:`peraturan_of_text`);
    a regulation given as anything but text (a dict) takes the converter's hook for the list."""
    out = []
    for value, known in zip(values, found):
        if known is None:
            if type(value) is not str:
                return hook(values, t)
            known = peraturan_of_text(value)
        out.append(known)
    return tuple(out)


@functools.cache
def _generated(cls: type, compact: bool = False) -> Any:
    """The straight-line structuring function of ``cls``: raw dict -> object, or an exception.

    ``compact`` (a source read in bulk, where the model is most of the memory) also shares what
    recurs between records: one ``tzinfo`` per offset and one string per recurring text (see
    :func:`share`), about 0.5 KB a complaint, for about 3 µs a complaint."""
    hints = typing.get_type_hints(cls)
    fields = attrs.fields(cls)
    cached = cls in _CACHED_VALUES
    key_head, key_whole = _CACHED_VALUES.get(cls, (0, False))
    links = {link for child, link, _p, _r in model.RELATIONS if model.ENTITIES[child] is cls}  # shared by Dataset.link
    env: dict[str, Any] = {"_known": frozenset(f.name for f in fields), "_cls": cls, "_new": object.__new__,
                           "_Builder": construct.builder(cls),
                           "_dict": dict, "_list": list, "_all": all, "_str": str, "_tuple": tuple, "_map": map,
                           "_type": type, "_len": len, "_join": "".join, "_slow": _slow,
                           "_dt": dt.datetime, "_date": dt.date, "_iso_dt": dt.datetime.fromisoformat,
                           "_iso_d": dt.date.fromisoformat, "_wib": WIB, "_CACHE_MAX": _CACHE_MAX,
                           "_pnew": _peraturan_new, "_pget": _PERATURAN.get,
                           "_dcache": _DATES, "_dget": _DATES.get, "_tcache": _TEXTS, "_tget": _TEXTS.get,
                           "_comb": dt.datetime.combine, "_zl": _LAST_ZONE, "_zone": _ZONES.setdefault,
                           "_sget": _SHARED.get, "_share": share}
    check_keys = "    if not _known.issuperset(d): raise KeyError('unknown key')"
    lines = ["def structure(d):"] + ([] if cached else [check_keys])
    if cls is model.StandarPelayanan:  # requirements by case, partial adoption dates: only when needed
        env["_prep"] = prepare_standar
        lines += ["    t = d.get('ditetapkan_pada')",
                  ("    if (_type(d.get('persyaratan')) is _str or _type(t) is int"
                  " or (t is None and d.get('nomor_penetapan') is not None)"
                  " or (_type(t) is _str and not (_len(t) == 10 and t[4] == '-'))): d = _prep(d)")]
    lines.append("    g = d.get")
    selfref: list[str] = []  # fields of the class's own type (an extension of a duration)
    inputs = [(i, f) for i, f in enumerate(fields) if not model.is_relation(f)]
    if cached:
        # The key: each value (_M if absent), the exact types where they matter, and the number of
        # keys, which tells a dict with an unknown key from the valid one with the same values.
        env["_cache"] = {}
        env["_cget"] = env["_cache"].get
        env["_M"] = _ABSENT
        typed = [i for i, f in inputs if not _is_enum(_inner(hints[f.name]))]
        head, rest = inputs[:key_head], inputs[key_head:]
        for i, f in head:
            lines.append(f"    v{i} = g({f.name!r}, _M)")
        # the usual dict holds only some of the first fields: then the rest are absent, and the key
        # is those few values (a shorter tuple: it never equals a whole key)
        lines.append(f"    if {' + '.join(f'(v{i} is not _M)' for i, _ in head)} == _len(d):")
        lines.extend(f"        v{i} = _M" for i, _ in rest)
        lines.append(f"        key = ({', '.join(f'v{i}' for i, _ in head)}, "
                     f"{', '.join(f'_type(v{i})' for i, _ in head if i in typed)})")
        lines.append("    else:")
        for i, f in rest:
            lines.append(f"        v{i} = g({f.name!r}, _M)")
        if key_whole:
            lines.append(f"        key = ({', '.join(f'v{i}' for i, _ in inputs)}, "
                         f"{', '.join(f'_type(v{i})' for i in typed)}, _len(d))")
        else:
            lines.append("        key = None")
        lines.append("    try: o = _cget(key)")
        lines.append("    except TypeError: o = key = None  # an unhashable value: not cached")
        lines.append("    if o is not None: return o")
        lines.append(check_keys)
        lines.extend(f"    if v{i} is _M: v{i} = None" for i, _ in inputs)
    lines.append("    o = _new(_Builder)")
    for i, f in enumerate(fields):
        v = f"v{i}"
        env[f"D{i}"] = f.default
        if model.is_relation(f):  # filled later by the data set, never read from input
            lines.append(f"    o.{f.name} = D{i}" if f.default != () else f"    o.{f.name} = ()")
            continue
        inner = _inner(hints[f.name])
        env[f"T{i}"] = inner
        env[f"h{i}"] = _fast.get_structure_hook(inner)
        slow = f"_slow({v}, D{i}, h{i}, T{i})"
        if f.default is attrs.NOTHING:  # required (an id): present and not empty, else the detailed path
            lines.append(f"    {v} = d[{f.name!r}]")
            lines.append(f"    if {v} is None or {v} == '': raise KeyError({f.name!r})")
            lines.append(f"    if _type({v}) is not T{i}: {v} = h{i}({v}, T{i})")
            lines.append(f"    o.{f.name} = {v}")
            continue
        if not cached:
            lines.append(f"    {v} = g({f.name!r})")
        default = "None" if f.default is None else "()" if f.default == () else f"D{i}"
        lines.append(f"    if {v} is None: {'pass' if default == 'None' else f'{v} = {default}'}")
        if inner is str and (not compact or model.is_personal(f) or f.name in links):  # '' is a missing value
            lines.append(f"    elif _type({v}) is _str:")
            lines.append(f"        if not {v}: {v} = {default}")
            lines.append(f"    else: {v} = {slow}")
        elif inner is str:  # a text that recurs (a status, a channel, a unit's id) is kept once
            lines.append(f"    elif _type({v}) is _str:")
            lines.append(f"        if not {v}: {v} = {default}")
            lines.append(f"        else: {v} = _sget({v}) or _share({v})")
            lines.append(f"    else: {v} = {slow}")
        elif inner in _PRIMITIVES:
            lines.append(f"    elif _type({v}) is not T{i}: {v} = {slow}")
        elif inner is dt.datetime:  # ISO text inline (the common case), else the hook
            lines.append(f"    elif _type({v}) is _str and _len({v}) >= 16 and {v}[4] == '-' and {v}[10] in 'T ':")
            lines.append(f"        try: {v} = _iso_dt({v})")
            lines.append(f"        except ValueError: {v} = {slow}")
            lines.append("        else:")
            if compact:  # one tzinfo object per offset, not one per value (80 bytes each)
                lines.append(f"            z = {v}.tzinfo")
                lines.append("            if z is None: z = _wib")
                lines.append("            elif z == (c := _zl[0]): z = c  # the zone of the value before: the common case")
                lines.append("            else: z = _zl[0] = _zone(z, z)")
                lines.append(f"            {v} = _comb({v}, {v}.time(), z)")
            else:
                lines.append(f"            if {v}.tzinfo is None: {v} = {v}.replace(tzinfo=_wib)")
            lines.append(f"    elif _type({v}) is _str and _len({v}) == 10 and {v}[4] == '-' and {v}[7] == '-':")
            lines.append(f"        try: r = _iso_d({v})  # a plain date for a date-time: midnight WIB")
            lines.append(f"        except ValueError: {v} = {slow}")
            lines.append(f"        else: {v} = _dt(r.year, r.month, r.day, tzinfo=_wib)")
            lines.append(f"    elif not (_type({v}) is _dt and {v}.tzinfo is not None): {v} = {slow}")
        elif inner is dt.date:
            lines.append(f"    elif _type({v}) is _str:  # dates recur (a day is shared by many records)")
            lines.append(f"        r = _dget({v})")
            lines.append(f"        if r is not None: {v} = r")
            lines.append(f"        elif _len({v}) == 10 and {v}[4] == '-':")
            lines.append(f"            try: r = _iso_d({v})")
            lines.append(f"            except ValueError: {v} = {slow}")
            lines.append("            else:")
            lines.append("                if _len(_dcache) >= _CACHE_MAX: _dcache.clear()")
            lines.append(f"                _dcache[{v}] = {v} = r")
            lines.append(f"        else: {v} = {slow}")
            lines.append(f"    elif _type({v}) is not _date: {v} = {slow}")
        elif inner == tuple[str, ...] and not compact and not model.is_personal(f):
            # the tuple of an equal list structured before: only lists of texts are kept, and only a
            # text equals a text, so a list found needs no test of its items; a new one is tested
            lines.append(f"    elif _type({v}) is _list:")
            lines.append(f"        t = _tuple({v})")
            lines.append("        try: r = _tget(t)")
            lines.append("        except TypeError: r = None  # an unhashable item: not text")
            lines.append(f"        if r is not None: {v} = r")
            lines.append("        else:")
            lines.append(f"            try: _join({v})  # every item is text")
            lines.append(f"            except TypeError: {v} = {slow}")
            lines.append("            else:")
            lines.append("                if _len(_tcache) >= _CACHE_MAX: _tcache.clear()")
            lines.append(f"                _tcache[t] = {v} = t")
            lines.append(f"    else: {v} = {slow}")
        elif inner == tuple[str, ...]:  # a list of texts: as a tuple
            lines.append(f"    elif _type({v}) is _list:")
            lines.append(f"        try: _join({v})  # every item is text")
            lines.append(f"        except TypeError: {v} = {slow}")
            if model.is_personal(f):
                lines.append(f"        else: {v} = _tuple(_map(_share, {v}))" if compact else f"        else: {v} = _tuple({v})")
            else:  # the tuple of an equal list structured before, if any
                lines.append("        else:")
                lines.append(f"            t = _tuple(_map(_share, {v}))")
                lines.append(f"            {v} = _tget(t)")
                lines.append(f"            if {v} is None:")
                lines.append("                if _len(_tcache) >= _CACHE_MAX: _tcache.clear()")
                lines.append(f"                _tcache[t] = {v} = t")
            lines.append(f"    else: {v} = {slow}")
        elif inner == tuple[model.Peraturan, ...]:  # regulations as text: each structured once
            lines.append(f"    elif _type({v}) is _list:")
            lines.append(f"        try: t = _tuple(_map(_pget, {v}))")
            lines.append(f"        except TypeError: {v} = {slow}  # an unhashable item (a dict)")
            lines.append("        else:")
            lines.append(f"            if not _all(t): t = _pnew({v}, t, h{i}, T{i})  # an item not seen yet")
            lines.append(f"            {v} = t")
            lines.append(f"    else: {v} = {slow}")
        elif _is_enum(inner):
            env[f"E{i}"] = _enum_lookup(inner).get
            lines.append(f"    elif _type({v}) is _str and (m := E{i}({v})) is not None: {v} = m")
            lines.append(f"    else: {v} = {slow}")
        elif attrs.has(inner):
            if inner is cls:
                selfref.append(f"g{i}")
            else:
                env[f"g{i}"] = _generated(inner, compact)
            lines.append(f"    elif _type({v}) is _dict: {v} = g{i}({v})")
            lines.append(f"    else: {v} = {slow}")
        else:  # in a cached class, such a value (a list of cases) is unhashable: never cached
            lines.append(f"    else: {v} = {slow}")
        lines.append(f"    o.{f.name} = {v}")
    lines.append("    o.__class__ = _cls")
    if cached:
        lines.append("    if key is not None:")
        lines.append("        if _len(_cache) >= _CACHE_MAX: _cache.clear()")
        lines.append("        _cache[key] = o")
    lines.append("    return o")
    code = "\n".join(lines)
    exec(compile(code, f"<structure {cls.__name__}>", "exec"), env)  # noqa: S102 - our own generated code
    for name in selfref:
        env[name] = env["structure"]
    return env["structure"]


def unstructure_record(obj: Any) -> dict[str, Any]:
    """A model object as plain JSON values: relations, None and empty lists left out."""
    out: dict[str, Any] = {}
    for f in attrs.fields(type(obj)):
        if model.is_relation(f):
            continue
        value = getattr(obj, f.name)
        if value is None or value == ():
            continue
        if attrs.has(type(value)):
            value = unstructure_record(value)
        elif isinstance(value, tuple):
            value = [unstructure_record(v) if attrs.has(type(v)) else converter.unstructure(v) for v in value]
        else:
            value = converter.unstructure(value)
        out[f.name] = value
    return out


_FAST: dict[str, Any] = {}  # entity -> its generated structuring function
_fast_get = _FAST.get
_COMPACT: dict[str, Any] = {}  # entity -> its generated structuring function, compact


@functools.cache
def _relation_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in attrs.fields(cls) if model.is_relation(f))


def structure_record(entity: str, data: Mapping[str, Any], compact: bool = False) -> tuple[Any, list[FieldProblem]]:
    """Structure one raw record into its model class, setting aside what cannot be structured.

    Returns ``(obj, problems)``. ``obj`` is None only if even the remaining fields cannot form
    a record (which cannot happen while ``id`` is a string, since every other field is optional).
    A value read with a reservation (part of the text left unread, digits and words that
    disagree, a date of which only the month or year is known) is kept and also named in a
    ``partly_read`` or ``partial_date`` problem. ``compact``: values that recur are shared
    (:func:`_generated`), for a data set read in bulk.
    """
    before = _NOTED[0]
    fast = _COMPACT.get(entity) if compact else _fast_get(entity)
    if fast is None:
        fast = (_COMPACT if compact else _FAST)[entity] = _generated(model.ENTITIES[entity], compact)
    try:
        problems: list[Any] = []
        obj = fast(data)
    except MemoryError:  # the caller's memory budget, never a property of this record
        raise
    except Exception:  # noqa: BLE001 - anything unusual: redo with the detailed converter to locate it
        obj, problems = _detailed(entity, data)
    if _NOTED[0] != before:  # rare: find which fields, and say what was not read
        problems = problems + reservations(model.ENTITIES[entity], data)
    return obj, problems


def structure_clean(entity: str, data: Mapping[str, Any]) -> Any:
    """The object :func:`structure_record` makes of a raw record with nothing to report, or None
    when it would report something (a problem, a value read with a reservation) or is unusual
    enough for the detailed converter: the caller then takes :func:`structure_record`'s answer.
    One generated call, without the problem list (a one-record request pays per record)."""
    return clean_structurer(entity)(data)


@functools.cache
def clean_structurer(entity: str) -> Callable[[Mapping[str, Any]], Any]:
    """``structure_clean(entity, data)`` as a function of ``data`` alone, made once per entity: a
    record the engine structures as it evaluates it pays one call, not two. A reservation noted
    while structuring (or another thread's) sends the record to the careful path."""
    fast = _fast_get(entity)
    if fast is None:
        fast = _FAST[entity] = _generated(model.ENTITIES[entity])
    noted = _NOTED

    def clean(data: Mapping[str, Any]) -> Any:
        before = noted[0]
        try:
            obj = fast(data)
        except MemoryError:  # the caller's memory budget, never a property of this record
            raise
        except Exception:  # noqa: BLE001 - what the detailed converter would look into
            return None
        return obj if noted[0] == before else None

    return clean


def text_fields(entity: str) -> tuple[frozenset[str], tuple[tuple[str, frozenset[str]], ...]]:
    """``entity``'s fields that :func:`reads_as_text` accepts text in, and its enumerations with the
    spellings accepted."""
    return _TEXT_FIELDS.get(entity) or _text_fields(entity)


def reads_as_text(entity: str, data: Mapping[str, Any]) -> bool:
    """Whether ``data`` (a flat raw record of ``entity``) holds only text fields with text or null
    values, or an enumeration's own spellings: then :func:`structure_record` surely gives an object
    with nothing to report, the same texts (an empty one as null), and structuring can wait until
    the object is needed (a one-record call's parent that no rule reads is never structured)."""
    text, enums = _TEXT_FIELDS.get(entity) or _text_fields(entity)
    if not text.issuperset(data):
        return False
    try:
        "".join(data.values())  # every value text, in C (the common case)
    except TypeError:
        for value in data.values():
            if value is not None and type(value) is not str:
                return False
    for name, spellings in enums:
        value = data.get(name)
        if value is not None and value not in spellings:
            return False
    return True


def _text_fields(entity: str) -> tuple[frozenset[str], tuple[tuple[str, frozenset[str]], ...]]:
    """``entity``'s fields whose values the generated structuring keeps as given when they are text
    (text fields, enumerations: with the spellings it looks up, and the empty text; relations, read
    from nothing, null), and its enumerations with those spellings."""
    cls = model.ENTITIES[entity]
    hints = _hints(cls)
    text: set[str] = set()
    enums: list[tuple[str, frozenset[str]]] = []
    for f in attrs.fields(cls):
        inner = _inner(hints[f.name])
        if model.is_relation(f) or inner is str:
            text.add(f.name)
        elif _is_enum(inner):
            text.add(f.name)
            enums.append((f.name, frozenset(_enum_lookup(inner)) | {""}))
    got = _TEXT_FIELDS[entity] = (frozenset(text), tuple(enums))
    return got


#: entity -> :func:`_text_fields` of it, made on first use
_TEXT_FIELDS: dict[str, tuple[frozenset[str], tuple[tuple[str, frozenset[str]], ...]]] = {}


def reservations(cls: type, data: Any, prefix: str = "") -> list[FieldProblem]:
    """The values of a raw record read with a reservation, with what was not read (re-read
    here, so only on the rare record that has one)."""
    out: list[FieldProblem] = []
    if not isinstance(data, Mapping):
        return out
    hints = _hints(cls)
    for f in attrs.fields(cls):
        value = data.get(f.name)
        if model.is_relation(f) or value is None or value == "":
            continue
        path = prefix + f.name
        inner = _inner(hints[f.name])
        notes: list[str] = []
        reason = "partly_read"
        try:
            if type(value) is str and inner is model.JangkaWaktu:
                notes = parsing.parse_jangka_waktu(value).get("catatan", [])
            elif type(value) is str and inner is model.Biaya:
                notes = parsing.parse_biaya(value).get("catatan", [])
            elif type(value) is str and cls is model.StandarPelayanan and f.name == "persyaratan":
                notes = parsing.parse_persyaratan(value).get("catatan", [])
            elif type(value) is str and inner in (int, float) and "rp" not in value.lower():
                note = parsing.read_number(value)[1]
                notes = [note] if note else []
            elif inner is dt.date and type(value) in (str, int) and not (
                    cls is model.StandarPelayanan and f.name == "ditetapkan_pada"):  # first-class there
                reason = "partial_date"
                notes = _partial_date_note(value)
            elif attrs.has(inner) and isinstance(value, Mapping):
                out.extend(reservations(inner, value, path + "."))
        except parsing.ParseError:
            continue  # not readable at all: a malformed_value problem says so
        if notes:
            out.append(FieldProblem(path, value, reason, "; ".join(notes)))
    return out


def _partial_date_note(value: Any) -> list[str]:
    if type(value) is str:
        try:
            parsing.parse_date(value)
            return []
        except parsing.ParseError:
            pass
    elif not 1900 <= value <= 2100:
        return []
    _first, last, precision = parsing.parse_partial_date(value)
    if precision == "hari":
        return []
    period = "tahun" if precision == "tahun" else "bulan"
    period_en = "year" if precision == "tahun" else "month"
    return [(f"tanggal tidak lengkap ({value!r}, hanya {period}nya): dibaca {last.isoformat()}, hari terakhir {period} "
            f"itu / a partial date ({value!r}, only its {period_en}): read as {last.isoformat()}, the last day of "
            f"that {period_en}")]


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _detailed(entity: str, data: Mapping[str, Any]) -> tuple[Any, list[FieldProblem]]:
    """The detailed cattrs converter: names every field that cannot be structured and sets it aside."""
    cls = model.ENTITIES[entity]
    relation_names = _relation_names(cls)
    raw = _clean({k: v for k, v in data.items() if k not in relation_names and k != "_unmatched"})
    try:
        return converter.structure(raw, cls), []
    except (ClassValidationError, IterableValidationError, ValueError, TypeError) as first:
        problems: list[FieldProblem] = []
        exc: BaseException | None = first
        for _attempt in range(64):
            assert exc is not None
            found = _problems(exc, ())
            if not found:
                break
            for path, leaf in found:
                raw = _copy_path(raw, path)
                value = _remove(raw, path)
                if isinstance(leaf, ForbiddenExtraKeysError):
                    reason, msg = "unknown_field", (
                        f"kolom/kunci '{_dotted(path)}' tidak dikenal model dan diabaikan / "
                        f"field '{_dotted(path)}' is not part of the model and was ignored"
                    )
                elif isinstance(leaf, KeyError) and path == ():
                    reason, msg = "missing_id", f"record tanpa {leaf} / record without {leaf}"
                else:
                    reason, msg = "malformed_value", str(leaf) or type(leaf).__name__
                problems.append(FieldProblem(_dotted(path) or "(record)", value, reason, msg))
            try:
                return converter.structure(raw, cls), problems
            except (ClassValidationError, IterableValidationError, ValueError, TypeError) as again:
                exc = again
        return None, problems
