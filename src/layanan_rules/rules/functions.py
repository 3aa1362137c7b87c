"""Built-in domain functions for rule expressions, registered as an ordinary plugin.

Day counting follows the reference's section 7: ``hari`` counts calendar days; ``hari_kerja``
counts working days, skipping Saturdays, Sundays, Indonesian national holidays and cuti bersama
(from the ``holidays`` package, categories public + government). Dates and timestamps are read
as local dates in Asia/Jakarta (WIB).

Deadlines are dates: ``batas_waktu(mulai, n, kerja, geser, cuti_kerja)`` is the last day of a
period of ``n`` days after ``mulai``, and an act is on time when its date is on or before it.
Its three switches are ruleset parameters, passed explicitly so that every input of a verdict is
visible in the rule (and a SQL back end can compile it): ``kerja`` counts working days, ``geser``
rolls a calendar-day deadline that ends on a Sunday or a national holiday to the next working day
(UU 30/2014 Pasal 58(3), by analogy; reference section 7), ``cuti_kerja`` counts cuti bersama as
working days. :func:`calendar_info` names the calendar a report used.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from layanan_rules.expr.functions import Function, build_registry
from layanan_rules.hookspecs import hookimpl
from layanan_rules.model.convert import WIB_OFFSET, wib_date

WIB = ZoneInfo("Asia/Jakarta")
_DATETIME = dt.datetime


def _err(message: str, reason: str = "invalid_argument") -> Exception:
    from layanan_rules.expr import CelError

    return CelError(message, reason=reason)


def as_date(value: Any) -> dt.date:
    """A date or timestamp as a calendar date in WIB; a missing value is a missing_field error."""
    if value is None:
        raise _err("tanggal tidak diisi / date not filled in", reason="missing_field")
    if isinstance(value, dt.datetime):
        return wib_date(value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise _err(f"tanggal diharapkan, bukan {type(value).__name__} / expected a date, got {type(value).__name__}")


@functools.cache
def _holidays(year: int, cuti_kerja: bool = False) -> frozenset[dt.date]:
    """Non-working holidays of a year: national holidays, and cuti bersama unless ``cuti_kerja``.

    The ``holidays`` package imports every country's calendar on first use (~0.2 s), so the
    Indonesian days of each year are also kept in the disk cache, per version of the package.
    """
    categories = ("public",) if cuti_kerja else ("public", "government")
    entry = f"{year}:{','.join(categories)}"
    stored = _calendar_file().get(entry)
    if stored is not None:
        return frozenset(dt.date.fromisoformat(d) for d in stored)
    import holidays as holidays_lib

    days = frozenset(holidays_lib.country_holidays("ID", years=year, categories=categories).keys())
    _remember(entry, sorted(d.isoformat() for d in days))
    return days


@functools.cache
def holidays_version() -> str:
    """The installed version of the ``holidays`` package (the calendar behind working days)."""
    from importlib import metadata

    try:
        return metadata.version("holidays")
    except metadata.PackageNotFoundError:
        return "unknown"


def _calendar_path() -> Path | None:
    from layanan_rules.expr import cache

    root = cache.root()
    return root / f"holidays-{holidays_version()}.json" if root is not None else None


@functools.cache
def _calendar_file() -> dict[str, list[str]]:
    path = _calendar_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path is not None else {}
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _remember(entry: str, days: list[str]) -> None:
    data = _calendar_file()
    data[entry] = days
    path = _calendar_path()
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        return


def is_working_day(day: dt.date, cuti_kerja: bool = False) -> bool:
    """Monday-Friday and not a national holiday, nor cuti bersama (unless ``cuti_kerja``)."""
    return day.weekday() < 5 and day not in _holidays(day.year, cuti_kerja)


def calendar_info() -> dict[str, Any]:
    """The holiday calendar behind every working-day verdict, as recorded in each report."""
    return {
        "source": "holidays",
        "version": holidays_version(),
        "country": "ID",
        "categories": ["public", "government"],
        "note": {
            "id": "Libur nasional (public) dan cuti bersama (government) Indonesia menurut paket holidays; hari kerja "
                  "Senin-Jumat (Perpres 21/2023).",
            "en": "Indonesian national holidays (public) and cuti bersama (government) from the holidays package; "
                  "working days Monday-Friday (Perpres 21/2023).",
        },
    }


def calendar_days(start: Any, end: Any) -> int:
    """Calendar days from ``start`` to ``end`` (negative if end is earlier)."""
    if (  # the complaint clock's common case: two WIB timestamps, no zone conversion
        type(start) is _DATETIME and type(end) is _DATETIME
        and start.utcoffset() == WIB_OFFSET and end.utcoffset() == WIB_OFFSET
    ):
        return (end.date() - start.date()).days
    return (as_date(end) - as_date(start)).days


def working_days(start: Any, end: Any) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end is earlier)."""
    a, b = as_date(start), as_date(end)
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    count = 0
    day = a + dt.timedelta(days=1)
    one = dt.timedelta(days=1)
    while day <= b:
        if is_working_day(day):
            count += 1
        day += one
    return sign * count


def days_between(start: Any, end: Any, kerja: bool) -> int:
    """Working days if ``kerja`` else calendar days: for deadlines whose unit is a parameter."""
    return working_days(start, end) if kerja else calendar_days(start, end)


_ONE_DAY = dt.timedelta(days=1)


@functools.lru_cache(maxsize=65536)
def _deadline(start: dt.date, n: int, kerja: bool, geser: bool, cuti_kerja: bool) -> dt.date:
    if kerja:
        day, left = start, n
        while left > 0:
            day += _ONE_DAY
            if is_working_day(day, cuti_kerja):
                left -= 1
        return day
    day = start + dt.timedelta(days=n)
    return _roll_forward(day, cuti_kerja) if geser else day


def _roll_forward(day: dt.date, cuti_kerja: bool) -> dt.date:
    """A last day on a Sunday or a national holiday moves to the next working day (UU 30/2014 Pasal
    58(3), by analogy); a Saturday, or a cuti bersama that is not a national holiday, stays."""
    if day.weekday() == 6 or day in _holidays(day.year, cuti_kerja=True):
        day += _ONE_DAY
        while not is_working_day(day, cuti_kerja):
            day += _ONE_DAY
    return day


def deadline(start: Any, n: int, kerja: bool, geser: bool, cuti_kerja: bool) -> dt.date:
    """The last day of a period of ``n`` days from ``start`` (the day of ``start`` is day 0).

    ``kerja``: count working days (the n-th working day after ``start``). Otherwise calendar days,
    and with ``geser`` a last day that is a Sunday or a national holiday moves to the next working
    day (UU 30/2014 Pasal 58(3), applied by analogy; a Saturday does not move, as that text names
    only Sunday and national holidays). ``cuti_kerja``: cuti bersama count as working days.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise _err(f"jumlah hari harus bilangan bulat >= 0, bukan {n!r} / the number of days must be an integer >= 0")
    return _deadline(as_date(start), n, bool(kerja), bool(geser), bool(cuti_kerja))


def service_deadline(start: Any, jangka_waktu: Any, geser: bool, cuti_kerja: bool) -> dt.date:
    """The last day a service is due under its standard's completion time (Pasal 21 huruf d).

    ``hari kerja``: working days; ``hari`` or ``hari kalender``: calendar days (a plain "hari" is read
    as calendar days, as the Act's own "hari"); ``minggu``: 7 calendar days each; ``bulan``/``tahun``:
    calendar months/years; ``jam``/``menit``: judged by date, due by the day the hours run out and
    at the earliest the next day (30 menit or 24 jam -> the next day; 48 jam -> two days later), since
    an application received late in the day cannot be held to minutes. A part of a unit rounds up
    (1,5 hari -> 2 days). An extension the standard allows ("dapat diperpanjang 7 hari kerja", in the
    same unit) is added: a provider that used it kept its standard.

    ``geser`` (the ruleset parameter ``geser_ke_hari_kerja``) rolls a calendar last day that is a
    Sunday or a national holiday to the next working day, exactly as :func:`deadline` does for the
    Act's own deadlines: the analogy of UU 30/2014 Pasal 58(3) holds for a promise in calendar days,
    weeks, months or hours as much as for the Act's "hari". A working-day promise never needs it.
    """
    import math

    jumlah = getattr(jangka_waktu, "jumlah", None)
    satuan = getattr(jangka_waktu, "satuan", None)
    if jumlah is None or satuan is None:
        raise _err("jangka waktu tanpa jumlah atau satuan / completion time without amount or unit", "missing_field")
    unit = getattr(satuan, "value", satuan)
    kind = getattr(getattr(jangka_waktu, "jenis_hari", None), "value", None)
    n = float(jumlah)
    ext = getattr(jangka_waktu, "perpanjangan", None)  # "dapat diperpanjang 7 hari kerja": allowed, so it counts
    if ext is not None and ext.jumlah is not None and ext.satuan == satuan and ext.jenis_hari == jangka_waktu.jenis_hari:
        n += float(ext.jumlah)
    if unit == "hari":
        return deadline(start, math.ceil(n), kind == "kerja", geser, cuti_kerja)
    if unit == "minggu":
        return deadline(start, math.ceil(n * 7), False, geser, cuti_kerja)
    if unit in ("bulan", "tahun"):
        due = add_months(start, math.ceil(n * (12 if unit == "tahun" else 1)))
        return _roll_forward(due, cuti_kerja) if geser else due
    hours = n if unit == "jam" else n / 60
    return deadline(start, max(1, math.ceil(hours / 24)), False, geser, cuti_kerja)


def working_deadline(start: Any, n: int, cuti_kerja: bool) -> dt.date:
    """The n-th working day after ``start``: a deadline written in "hari kerja"."""
    return deadline(start, n, True, False, cuti_kerja)


def filled(value: Any) -> bool:
    """Is a value filled in: not null, not blank text, not an empty list."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        return len(value) > 0
    return True


def share(items: Iterable[Any], predicate: Callable[[Any], Any]) -> float:
    """The share (0.0-1.0) of items for which the condition is true; an error on no items."""
    items = list(items)
    if not items:
        raise _err("proporsi dari daftar kosong / share of an empty list", reason="range")
    return sum(1 for it in items if predicate(it) is True) / len(items)


def count(items: Iterable[Any], predicate: Callable[[Any], Any]) -> int:
    """How many items meet the condition."""
    return sum(1 for it in items if predicate(it) is True)


_UNIT_DAYS = {"menit": 1 / 1440, "jam": 1 / 24, "hari": 1.0, "minggu": 7.0, "bulan": 30.0, "tahun": 365.0}


def duration_days(jangka_waktu: Any) -> float:
    """A service standard's completion time (JangkaWaktu) in days (bulan = 30, tahun = 365)."""
    jumlah = getattr(jangka_waktu, "jumlah", None)
    satuan = getattr(jangka_waktu, "satuan", None)
    if jumlah is None or satuan is None:
        raise _err("jangka waktu tanpa jumlah atau satuan / completion time without amount or unit", "missing_field")
    return float(jumlah) * _UNIT_DAYS[getattr(satuan, "value", satuan)]


def to_date(value: Any) -> dt.date:
    return as_date(value)


def year_of(value: Any) -> int:
    return as_date(value).year


def add_months(value: Any, months: int) -> dt.date:
    """The date ``months`` calendar months after a date (end of month clamps: 31 Jan + 1 = 28/29 Feb).

    For the Act's and PP 96/2012's month and year periods (Penjelasan Pasal 10(1): 3/6/12/24
    bulan; PP 96/2012 Pasal 32(1) setiap 1 tahun, 33(1) 3 tahun, 50(2) 6 bulan).
    """
    import calendar

    d = as_date(value)
    total = d.year * 12 + (d.month - 1) + int(months)
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def survey_index(survei: Any) -> float:
    """The reported IKM (25-100, half-up to two decimals) of a survey record from its nine element
    means (PermenPAN-RB 14/2017, exact weight 1/9): rules compare the rounded value, as published."""
    return survey_index_weighted(survei, "1/9")


def survey_index_weighted(survei: Any, weight: str) -> float:
    """:func:`survey_index` with a weight convention: ``"1/9"`` (exact) or ``"0.111"`` (templates)."""
    from layanan_rules import skm

    means: list[Any] = [getattr(survei, f, None) for f in skm.SURVEI_FIELDS]  # ikm_from_means checks them
    if any(m is None for m in means):
        raise _err("nilai rata-rata unsur survei (u1-u9) belum lengkap / survey element means (u1-u9) incomplete",
                   reason="missing_field")
    try:
        ikm = skm.ikm_from_means(means, weight=weight).ikm_rounded
    except ValueError as exc:
        raise _err(str(exc)) from None
    assert ikm is not None  # None only when a mean is missing, which ikm_from_means refuses
    return ikm


def minimum_sample(population: Any) -> int:
    """The fewest respondents a survey of ``population`` service users needs (Krejcie & Morgan 1970,
    :func:`layanan_rules.skm.sample_size`), for PermenPAN-RB 14/2017's sample size."""
    from layanan_rules import skm

    try:
        return skm.sample_size(population)
    except ValueError as exc:
        raise _err(str(exc)) from None


def names_numbered_regulation(value: Any) -> bool:
    """Does a text name a regulation by kind, number and year (``Perda Kab. Batang No 5 Tahun 2019``,
    ``PP 96/2012``)? ``Perda``, ``Sesuai Perda`` or ``Perbup No. 3`` (no year) do not identify one.

    For Pasal 21 huruf e and Pasal 31 ayat (4): a fee's legal basis must be findable. Read with
    :func:`layanan_rules.model.parsing.parse_peraturan`; null or blank is false, never an error.
    """
    from layanan_rules.model.parsing import ParseError, parse_peraturan

    if not isinstance(value, str) or not value.strip():
        return False
    try:
        reg = parse_peraturan(value)
    except ParseError:
        return False
    return reg["jenis"] is not None and reg["nomor"] is not None and reg["tahun"] is not None


# --- cases and a provider's own promises ---------------------------------------------------------

_WORKING = "hari kerja (Senin-Jumat, tanpa libur nasional dan cuti bersama) / working days (Mon-Fri, no holidays)"
_CALENDAR = "hari kalender / calendar days"


def cases(value: Any) -> list[Any]:
    """The cases of a time or fee (``kasus``), or the value itself when it has none; [] for null.

    So that a rule holds for every case: ``kasus(layanan.standar.biaya).all(b, ...)``."""
    if value is None:
        return []
    own = getattr(value, "kasus", None)
    if own is None:
        raise _err(f"kasus() perlu jangka waktu atau biaya, bukan {type(value).__name__} / "
                   "kasus() needs a completion time or a fee")
    return list(own) if own else [value]


def period_start(value: Any, precision: Any) -> dt.date:
    """The first day a date could be when only its month or year is known (``ditetapkan_presisi``):
    a date stored as the period's last day, read back at its first. Exact dates come back as they are."""
    day = as_date(value)
    p = getattr(precision, "value", precision)
    if p == "tahun":
        return dt.date(day.year, 1, 1)
    if p == "bulan":
        return day.replace(day=1)
    return day


def _norm_label(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def _approx_days(promise: Any) -> float:
    amount, unit = getattr(promise, "jumlah", None), getattr(promise, "satuan", None)
    if amount is None or unit is None:
        return -1.0
    days = float(amount) * _UNIT_DAYS[getattr(unit, "value", unit)]
    return days * 7 / 5 if getattr(getattr(promise, "jenis_hari", None), "value", None) == "kerja" else days


def promise_case(promise: Any, label: Any) -> tuple[Any, str]:
    """The case of a promised time that applies to a record labelled ``label`` (a complaint's
    class, an application's category), and why: the case whose label matches (exactly, else the one
    that contains it), else the longest case, so that no record is judged late against a
    shorter promise than the one it may fall under."""
    if promise is None:
        raise _err("janji waktu tidak diisi / promised time not filled in", reason="missing_field")
    own = tuple(getattr(promise, "kasus", ()) or ())
    if not own:
        return promise, "satu janji untuk semua / one promise for all"
    if isinstance(label, str) and label.strip():
        key = _norm_label(label)
        labelled = [c for c in own if c.untuk]
        exact = [c for c in labelled if _norm_label(c.untuk) == key]
        if exact:
            return exact[0], f"kasus '{exact[0].untuk}' cocok dengan '{label}' / case matches"
        near = [c for c in labelled if key in _norm_label(c.untuk) or _norm_label(c.untuk) in key]
        if len(near) == 1:
            return near[0], f"kasus '{near[0].untuk}' memuat '{label}' / case contains the label"
        why = f"'{label}' tidak cocok dengan kasus mana pun / matches no case"
    else:
        why = "label tidak diisi / no label on the record"
    longest = max(own, key=_approx_days)
    return longest, f"{why}; janji terpanjang dipakai / the longest promise is used"


def promise_for(promise: Any, label: Any) -> Any:
    """The case of a promised time that holds for a record labelled ``label``: see :func:`promise_case`."""
    return promise_case(promise, label)[0]


def _working_count(start: dt.date, end: dt.date, cuti_kerja: bool) -> int:
    """Working days after ``start`` up to ``end``, on the same calendar as the deadline functions."""
    sign, (a, b) = (1, (start, end)) if end >= start else (-1, (end, start))
    return sign * sum(1 for k in range(1, (b - a).days + 1) if is_working_day(a + dt.timedelta(days=k), cuti_kerja))


def _calendar_of(jangka_waktu: Any, cuti_kerja: bool) -> tuple[bool, str]:
    """(working days?, the calendar in words) of a completion time, as batas_jangka_waktu reads it."""
    unit = getattr(getattr(jangka_waktu, "satuan", None), "value", None)
    kerja = unit == "hari" and getattr(getattr(jangka_waktu, "jenis_hari", None), "value", None) == "kerja"
    if not kerja:
        return False, _CALENDAR + ("" if unit in ("hari", "minggu", None) else f" ({unit})")
    return True, _WORKING + ("; cuti bersama dihitung hari kerja / cuti bersama counted as working days"
                             if cuti_kerja else "")


def promise_detail(start: Any, end: Any, promise: Any, label: Any, geser: bool, cuti_kerja: bool) -> dict[str, Any]:
    """What a record was held to and what happened: the case chosen and why, the promise, the last day
    it allowed (:func:`service_deadline`), the day the record ended (or ``as_of``), the days counted on
    the promise's own calendar, and whether it was kept. For a rule's evidence."""
    case, why = promise_case(promise, label)
    due = service_deadline(start, case, geser, cuti_kerja)
    a, b = as_date(start), as_date(end)
    kerja, calendar = _calendar_of(case, cuti_kerja)
    out: dict[str, Any] = {
        "kasus": case.untuk, "pilihan_kasus": why, "janji": case.teks or promise.teks, "dari": a.isoformat(),
        "batas": due.isoformat(), "sampai": b.isoformat(),
        "hari": _working_count(a, b, cuti_kerja) if kerja else (b - a).days, "kalender": calendar,
        "tepat_janji": a <= b <= due,
    }
    if getattr(case, "perpanjangan", None) is not None:
        out["perpanjangan"] = case.perpanjangan.teks
    if geser and not kerja and due != service_deadline(start, case, False, cuti_kerja):
        out["geser_ke_hari_kerja"] = True
    return out


def _explain_days(calendar: str) -> Callable[..., dict[str, Any]]:
    def explain(args: tuple[Any, ...], result: Any, compared: Any = None) -> dict[str, Any]:
        return {"dari": _day_text(args[0]), "sampai": _day_text(args[1]), "hari": result, "kalender": calendar}

    return explain


def _explain_between(args: tuple[Any, ...], result: Any, compared: Any = None) -> dict[str, Any]:
    return {"dari": _day_text(args[0]), "sampai": _day_text(args[1]), "hari": result,
            "kalender": _WORKING if args[2] else _CALENDAR}


def _deadline_text(start: Any, due: dt.date, kerja: bool, cuti_kerja: bool, compared: Any,
                   extra: dict[str, Any]) -> dict[str, Any]:
    """A deadline's evidence: from when, the last day, the calendar, and (when the rule compares a date
    with it) that date and the days counted to it on the same calendar."""
    a = as_date(start)
    out: dict[str, Any] = {"dari": a.isoformat(), **extra, "batas": due.isoformat(),
                           "kalender": (_WORKING if kerja else _CALENDAR)
                           + ("; cuti bersama dihitung hari kerja / cuti bersama counted as working days"
                              if kerja and cuti_kerja else "")}
    if isinstance(compared, (dt.date, dt.datetime)):
        b = as_date(compared)
        out["sampai"] = b.isoformat()
        out["hari_berlalu"] = _working_count(a, b, cuti_kerja) if kerja else (b - a).days
    return out


def _explain_deadline(args: tuple[Any, ...], result: Any, compared: Any = None) -> dict[str, Any]:
    start, n, kerja, geser, cuti_kerja = args
    extra = {"hari": n, **({"geser_ke_hari_kerja": True} if geser and not kerja else {})}
    return _deadline_text(start, result, bool(kerja), bool(cuti_kerja), compared, extra)


def _explain_working_deadline(args: tuple[Any, ...], result: Any, compared: Any = None) -> dict[str, Any]:
    start, n, cuti_kerja = args
    return _deadline_text(start, result, True, bool(cuti_kerja), compared, {"hari": n})


def _explain_service_deadline(args: tuple[Any, ...], result: Any, compared: Any = None) -> dict[str, Any]:
    start, jangka_waktu, geser, cuti_kerja = args
    kerja, _calendar = _calendar_of(jangka_waktu, bool(cuti_kerja))
    extra: dict[str, Any] = {"jangka_waktu": getattr(jangka_waktu, "teks", None)}
    if geser and not kerja:
        extra["geser_ke_hari_kerja"] = True
    if getattr(jangka_waktu, "untuk", None):
        extra["kasus"] = jangka_waktu.untuk
    if getattr(jangka_waktu, "perpanjangan", None) is not None:
        extra["perpanjangan"] = jangka_waktu.perpanjangan.teks
    return _deadline_text(start, result, kerja, bool(cuti_kerja), compared, extra)


def _explain_period(args: tuple[Any, ...], result: Any, compared: Any = None) -> dict[str, Any]:
    precision = getattr(args[1], "value", args[1])
    if precision not in ("bulan", "tahun"):
        return {"tanggal": _day_text(result), "presisi": "hari"}
    known = "tahunnya" if precision == "tahun" else "bulan dan tahunnya"
    known_en = "its year" if precision == "tahun" else "its month and year"
    return {"awal": _day_text(result), "akhir": _day_text(as_date(args[0])), "presisi": precision,
            "catatan": f"tanggal tidak diketahui, hanya {known} / the date is unknown, only {known_en}"}


def _day_text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


#: status texts that say a complaint was closed or decided (compared without case, spaces, _ or -)
CLOSED_STATUSES = frozenset({
    "selesai", "ditutup", "tutup", "tuntas", "diputuskan", "putus", "closed", "resolved", "completed", "done",
    "finished", "decided",
})


def is_closed_status(value: Any) -> bool:
    """Does a complaint's ``status`` say it was closed or decided (``Selesai``, ``ditutup``,
    ``diputuskan``, ``closed`` ...)? Withdrawal (``dicabut``, ``batal``) and open states are false."""
    if not isinstance(value, str):
        return False
    return "".join(ch for ch in value.lower() if ch.isalnum()) in CLOSED_STATUSES


def participant_group(kategori: Any, organisasi: Any) -> str:
    """The group of a participant in drafting a standard (PP 96/2012 Pasal 23(1)), from its category
    and organisation as written; ``""`` when unrecognised (:func:`layanan_rules.model.parsing.unsur_peserta`)."""
    from layanan_rules.model.parsing import unsur_peserta

    return unsur_peserta(kategori, organisasi)


def maklumat_elements(text: Any) -> list[str]:
    """Codes of the maklumat elements a text states (:func:`layanan_rules.model.parsing.unsur_maklumat`),
    in order; a missing text is a missing_field error, blank text states none."""
    return [code for code, quote in _maklumat(text).items() if quote is not None]


def maklumat_quotes(text: Any) -> dict[str, str | None]:
    """Each maklumat element with the words that state it (None when absent): evidence for a person."""
    return _maklumat(text)


def _maklumat(text: Any) -> dict[str, str | None]:
    from layanan_rules.model.parsing import ParseError, unsur_maklumat

    if text is None:
        raise _err("teks maklumat tidak diisi / the pledge text is not filled in", reason="missing_field")
    try:
        return unsur_maklumat(text)
    except ParseError as exc:
        raise _err(str(exc)) from None


_WITHDRAWN = re.compile(
    r"(?<![a-z])(?:(?:dianggap|telah|sudah)[\s_-]+)?(?:di)?(?:cabut|batal|batalkan|tarik|gugur)(?![a-z])"
    r"|(?<![a-z])(?:deemed[\s_-]+)?(?:withdrawn|void|cancell?ed|lapsed)(?![a-z])"
)
_NEGATED = re.compile(r"(?<![a-z])(?:tidak|belum|bukan|not|never)[\s_-]+(?:\w+[\s_-]+)?$")


def is_withdrawn_status(value: Any) -> bool:
    """Does a complaint's ``status`` say it was withdrawn or void (Pasal 44(5): "dianggap mencabut";
    Penjelasan: "dinyatakan batal")? ``Dianggap dicabut``, ``DICABUT``, ``batal``, ``dibatalkan``,
    ``gugur``, ``withdrawn`` are; ``tidak dicabut``, ``belum batal`` and open states are not."""
    if not isinstance(value, str):
        return False
    text = value.lower()
    for m in _WITHDRAWN.finditer(text):
        if not _NEGATED.search(text[: m.start()]):
            return True
    return False


# --- SQL forms (layanan_rules.expr.sql): the same results, reasons and messages in SQL -----------------


def _sql() -> Any:
    from layanan_rules.expr import sql

    return sql


def _no_form(name: str, what_id: str, what_en: str) -> Exception:
    error: Exception = _sql().NoSqlForm(f"{name}: {what_id} / {what_en}")
    return error


_PY_TYPE_NAME = {"int": "int", "uint": "UInt", "double": "float", "bool": "bool"}


def _as_date_sql(q: Any, x: Any) -> tuple[Any, Any]:
    """SQL of :func:`as_date`: (the WIB date, its error or None) of a date/timestamp argument."""
    days, error = _as_days_sql(q, x)
    return q.template("date_from_days", days), error


def _negative_days_sql(q: Any, n: Any) -> Any:
    """The error of a negative number of days, as Python raises it (checked first): None for a
    constant n >= 0, else an SQL CASE giving the error text where n < 0."""
    from sqlglot import exp

    need = "the number of days must be an integer >= 0"
    if n.is_const:
        return (q.error_text("invalid_argument", f"jumlah hari harus bilangan bulat >= 0, bukan {n.const!r} / {need}")
                if n.const < 0 else None)
    text = exp.DPipe(this=exp.DPipe(this=exp.Literal.string(
        "invalid_argument|jumlah hari harus bilangan bulat >= 0, bukan "), expression=q.template("string_of_int", n.v)),
        expression=exp.Literal.string(f" / {need}"))
    return exp.Case(ifs=[exp.If(this=exp.LT(this=exp.Paren(this=n.v), expression=exp.Literal.number(0)), true=text)])


def _as_days_sql(q: Any, x: Any) -> tuple[Any, Any]:
    """SQL of :func:`as_date` as a day number (days since 1970-01-01), with its error or None."""
    from sqlglot import exp

    k = x.t.kind
    missing = q.error("missing_field", "tanggal tidak diisi", "date not filled in")
    if x.is_const and isinstance(x.const, str):  # a constant text: read once, here, as Python reads it
        from layanan_rules.expr import CelError

        try:
            const_day = as_date(x.const)
        except CelError as exc:
            return exp.Null(), q.error_text(exc.reason, exc.message)
        return exp.Literal.number((const_day - dt.date(1970, 1, 1)).days), None
    if k == "null":
        return exp.Null(), missing
    if k in ("date", "timestamp"):
        day = q.local_days(x, 7)
    elif k in _PY_TYPE_NAME:
        name = _PY_TYPE_NAME[k]
        day = exp.Null()
        bad = q.error("invalid_argument", f"tanggal diharapkan, bukan {name}", f"expected a date, got {name}")
        if not x.null:
            return day, bad
        return day, exp.Case(ifs=[exp.If(this=exp.Is(this=x.v, expression=exp.Null()), true=missing)],
                             default=bad)
    else:
        raise _no_form(q.name, f"argumen bertipe {x.t.name()}", f"an argument of type {x.t.name()}")
    if not x.null:
        return day, None
    return day, exp.Case(ifs=[exp.If(this=exp.Is(this=exp.Paren(this=x.v), expression=exp.Null()),
                                     true=missing)])


def _calendar_days_sql(q: Any, start: Any, end: Any) -> Any:
    from sqlglot import exp

    a, ea = _as_days_sql(q, start)
    b, eb = _as_days_sql(q, end)
    value = exp.Sub(this=exp.Paren(this=b), expression=exp.Paren(this=a))
    return _sql().Val(value, _INT_T, None, q.first_error(eb, ea))  # Python reads the end first


#: the holiday calendar the SQL reads: every date the ``holidays`` package has data for, with the
#: number of weekday holidays (national and cuti bersama) up to and including it
KALENDER = "layanan_rules_kalender"
_CONTEXT = "__layanan_rules_libur"


@functools.cache
def _calendar_span() -> tuple[dt.date, dt.date]:
    """The years the ``holidays`` package has Indonesian data for (none outside them)."""
    from holidays.countries.indonesia import Indonesia

    return dt.date(Indonesia.start_year, 1, 1), dt.date(Indonesia.end_year, 12, 31)


@functools.cache
def calendar_rows() -> list[tuple[dt.date, int]]:
    """(date, weekday holidays up to that date) for every date of :func:`_calendar_span`, from
    the same data :func:`is_working_day` reads; outside it there are no holidays."""
    first, last = _calendar_span()
    rows = []
    n = 0
    day = first
    one = dt.timedelta(days=1)
    while day <= last:
        if day.weekday() < 5 and day in _holidays(day.year):
            n += 1
        rows.append((day, n))
        day += one
    return rows


def _holidays_up_to(q: Any, n: Any) -> Any:
    """SQL: weekday holidays up to day number ``n`` (days since 1970-01-01)."""

    return q.let(n, lambda m: _holidays_up_to_n(q, m))


def _holidays_up_to_n(q: Any, n: Any) -> Any:
    from sqlglot import exp

    first, last = _calendar_span()
    epoch = dt.date(1970, 1, 1)
    n0, n1 = (first - epoch).days, (last - epoch).days
    total = calendar_rows()[-1][1]
    q.table(KALENDER, (("tanggal", "DATE"), ("libur", "BIGINT")), calendar_rows)
    if True:  # one array read by index (a probe into the calendar scanned it per row in PostgreSQL)
        import sqlglot

        text = {"duckdb": f"SELECT LIST(libur ORDER BY tanggal) FROM {KALENDER}",
                "postgres": f"SELECT ARRAY_AGG(libur ORDER BY tanggal) FROM {KALENDER}",
                "spark": f"SELECT TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT(tanggal, libur))), x -> x.libur) "
                         f"FROM {KALENDER}"}[q.dialect]
        listing = sqlglot.parse_one(text, read=q.dialect)
        ctx = q.context(_CONTEXT, listing)
        inside = q.list_get0(ctx, exp.Sub(this=exp.Paren(this=n), expression=exp.Literal.number(n0)))
    return exp.Case(ifs=[
        exp.If(this=exp.LT(this=exp.Paren(this=n), expression=exp.Literal.number(n0)),
               true=exp.Literal.number(0)),
        exp.If(this=exp.GT(this=exp.Paren(this=n), expression=exp.Literal.number(n1)),
               true=exp.Literal.number(total)),
    ], default=inside)


def _working_index(q: Any, n: Any) -> Any:
    """SQL: weekdays minus weekday holidays up to day number ``n``; differences count working days."""
    return q.let(n, lambda m: _working_index_n(q, m))


def _working_index_n(q: Any, n: Any) -> Any:
    from sqlglot import exp

    m = exp.Sub(this=exp.Paren(this=n), expression=exp.Literal.number(4))  # 1970-01-05 was a Monday
    weeks = q.floor_div(m, 7)
    rest = exp.Anonymous(this="LEAST", expressions=[
        exp.Add(this=exp.Paren(this=q.pos_mod(m, 7)), expression=exp.Literal.number(1)),
        exp.Literal.number(5)])
    weekdays = exp.Add(this=exp.Mul(this=exp.Literal.number(5), expression=exp.Paren(this=weeks)),
                       expression=rest)
    return exp.Sub(this=exp.Paren(this=weekdays), expression=exp.Paren(this=_holidays_up_to(q, n)))


def _working_days_sql(q: Any, start: Any, end: Any) -> Any:
    from sqlglot import exp

    a, ea = _as_days_sql(q, start)
    b, eb = _as_days_sql(q, end)
    value = q.let2(a, b, lambda x, y: exp.Sub(this=exp.Paren(this=_working_index(q, y)),
                                               expression=exp.Paren(this=_working_index(q, x))))
    return _sql().Val(value, _INT_T, None, q.first_error(ea, eb, _last_day_overflow(q, a, b)))


def _last_day_overflow(q: Any, a: Any, b: Any) -> Any:
    """Python's day loop steps past its last day; past 9999-12-31 that is an OverflowError."""
    from sqlglot import exp

    last = (dt.date.max - dt.date(1970, 1, 1)).days
    hit = exp.Or(this=exp.EQ(this=exp.Paren(this=a), expression=exp.Literal.number(last)),
                 expression=exp.EQ(this=exp.Paren(this=b), expression=exp.Literal.number(last)))
    message = (f"function_failure|fungsi '{q.name}' gagal: OverflowError: date value out of range / "
               f"function '{q.name}' failed: OverflowError: date value out of range")
    return exp.Case(ifs=[exp.If(this=hit, true=exp.Literal.string(message))])


def _days_between_sql(q: Any, start: Any, end: Any, kerja: Any) -> Any:
    from sqlglot import exp

    a, ea = _as_days_sql(q, start)
    b, eb = _as_days_sql(q, end)
    test = exp.Coalesce(this=exp.Paren(this=kerja.v), expressions=[exp.false()])

    def both(x: Any, y: Any) -> Any:
        work = exp.Sub(this=exp.Paren(this=_working_index(q, y)), expression=exp.Paren(this=_working_index(q, x)))
        cal = exp.Sub(this=exp.Paren(this=y), expression=exp.Paren(this=x))
        return exp.Case(ifs=[exp.If(this=test, true=work)], default=cal)

    value = q.let2(a, b, both)
    # as in Python: working days read the start first, calendar days the end
    work_e, cal_e = q.first_error(ea, eb, _last_day_overflow(q, a, b)), q.first_error(eb, ea)
    if work_e is None:
        error = None
    else:
        error = exp.Case(ifs=[exp.If(this=test, true=work_e)], default=cal_e)
    return _sql().Val(value, _INT_T, None, error)


def _deadline_sql(q: Any, start: Any, n: Any, kerja: Any, geser: Any, cuti_kerja: Any) -> Any:
    """:func:`deadline` in calendar days that do not move (the ruleset's defaults): start + n.
    Working-day deadlines, and calendar ones moving off Sundays and holidays, have no SQL form
    yet: a rule calling them so runs in Python."""
    from sqlglot import exp

    if not (kerja.is_const and geser.is_const) or kerja.const is not False or geser.const is not False:
        raise _no_form(q.name, "tenggat hari kerja, atau yang bergeser ke hari kerja",
                       "a deadline in working days, or one moving to a working day")
    n_error = _negative_days_sql(q, n)
    a, start_error = _as_days_sql(q, start)
    total = exp.Add(this=q.wide(a), expression=q.wide(n.v))
    last = (dt.date.max - dt.date(1970, 1, 1)).days
    beyond = exp.GT(this=exp.Paren(this=total), expression=exp.Literal.number(last))
    message = (f"function_failure|fungsi '{q.name}' gagal: OverflowError: date value out of range / "
               f"function '{q.name}' failed: OverflowError: date value out of range")
    overflow = exp.Case(ifs=[exp.If(this=beyond, true=exp.Literal.string(message))])
    value = q.template("date_from_days", exp.Case(ifs=[exp.If(this=exp.Not(this=exp.Paren(this=beyond)), true=total)]))
    return _sql().Val(value, _DATE_T, None, q.first_error(n_error, start_error, overflow))


#: the working days of the holiday calendar's span (:func:`calendar_rows`), as day numbers in order
KERJA = "layanan_rules_hari_kerja"
_KERJA_CONTEXT = "__layanan_rules_hari_kerja"


def _weekdays_up_to(n: int) -> int:
    """Weekdays up to day number ``n`` counted from 1970-01-05 (a Monday), as :func:`_working_index_n`."""
    m = n - 4
    return 5 * (m // 7) + min(m % 7 + 1, 5)


@functools.cache
def working_rows() -> list[tuple[int]]:
    """(day number,) of every working day of :func:`_calendar_span` (weekday, not a holiday nor
    cuti bersama), in order: the n-th working day inside the span is item n."""
    epoch = dt.date(1970, 1, 1)
    out = []
    prev = 0
    for day, libur in calendar_rows():
        if day.weekday() < 5 and libur == prev:
            out.append(((day - epoch).days,))
        prev = libur
    return out


def _weekday_at(q: Any, t: Any) -> Any:
    """SQL: the weekday whose weekday count (:func:`_weekdays_up_to`) is ``t``."""
    from sqlglot import exp

    return q.let(exp.Sub(this=exp.Paren(this=t), expression=exp.Literal.number(1)), lambda m: exp.Add(
        this=exp.Add(this=exp.Mul(this=exp.Literal.number(7), expression=exp.Paren(this=q.floor_div(m, 5))),
                     expression=exp.Paren(this=q.pos_mod(m, 5))),
        expression=exp.Literal.number(4)))


@functools.cache
def working_deadline_rows(n: int) -> tuple[int, list[tuple[int]]]:
    """For a constant ``n >= 1``: (the first start day number ``lo``, (the n-th working day after
    start lo + i,) for every start from ``lo`` to the calendar's last day): the table
    ``batas_hari_kerja(start, n, false)`` reads inside and just before the calendar's years. Built
    from :func:`working_rows` (weekdays alone outside the calendar, where there are no holidays)."""
    epoch = dt.date(1970, 1, 1)
    first, last = _calendar_span()
    n0, n1 = (first - epoch).days, (last - epoch).days
    lo = n0 - 3 * n - 10  # the n-th working day after an earlier start is before the calendar
    inside = [d for (d,) in working_rows()]
    work = [d for d in range(lo, n0) if (d - 4) % 7 < 5] + inside + [
        d for d in range(n1 + 1, n1 + 3 * n + 12) if (d - 4) % 7 < 5]
    out = []
    k = 0  # work[k] is the first working day after the start
    for start in range(lo, n1 + 1):
        while work[k] <= start:
            k += 1
        out.append((work[k + n - 1],))
    return lo, out


def _weekday_deadline(q: Any, a: Any, n: int) -> Any:
    """SQL: the n-th weekday after day number ``a`` (no holidays: outside the calendar's years)."""
    from sqlglot import exp

    def body(x: Any) -> Any:
        m = exp.Sub(this=exp.Paren(this=x), expression=exp.Literal.number(4))
        count = exp.Add(this=exp.Mul(this=exp.Literal.number(5), expression=exp.Paren(this=q.floor_div(m, 7))),
                        expression=exp.Anonymous(this="LEAST", expressions=[
                            exp.Add(this=exp.Paren(this=q.pos_mod(m, 7)), expression=exp.Literal.number(1)),
                            exp.Literal.number(5)]))
        return _weekday_at(q, exp.Add(this=exp.Paren(this=count), expression=exp.Literal.number(n)))

    return q.let(a, body)


def _constant_working_deadline_sql(q: Any, start: Any, n: int) -> Any:
    """:func:`_working_deadline_sql` for a constant ``n`` (the rules' 5 and 7): inside the calendar's
    years one item of a list built in Python per n (:func:`working_deadline_rows`), outside them
    weekday arithmetic; the last start whose deadline is a date is a constant too. A few hundred
    bytes of SQL where the general form, searching the working-day index, takes kilobytes."""
    from sqlglot import exp

    a, start_error = _as_days_sql(q, start)
    if n == 0:
        return _sql().Val(q.template("date_from_days", a), _DATE_T, None, start_error)
    epoch = dt.date(1970, 1, 1)
    last = (dt.date.max - epoch).days
    lo, rows = working_deadline_rows(n)
    hi = lo + len(rows) - 1
    # past the calendar the n-th weekday after a start grows with the start: the last one whose
    # deadline is a date, found where it is (n weekdays take at most n + 2 * (n // 5 + 1) days)
    last_ok = last - n - 2 * (n // 5 + 1)
    while True:
        probe = last_ok + 1
        m = probe - 4
        t = 5 * (m // 7) + min(m % 7 + 1, 5) + n
        if 7 * ((t - 1) // 5) + (t - 1) % 5 + 4 > last:
            break
        last_ok = probe
    table = f"{KERJA}_{n}"
    q.table(table, (("batas", "BIGINT"),), lambda: working_deadline_rows(n)[1])
    import sqlglot

    listing = {"duckdb": f"SELECT LIST(batas ORDER BY batas) FROM {table}",
               "postgres": f"SELECT ARRAY_AGG(batas ORDER BY batas) FROM {table}",
               "spark": f"SELECT ARRAY_SORT(COLLECT_LIST(batas)) FROM {table}"}[q.dialect]
    days = q.context(f"{_KERJA_CONTEXT}_{n}", sqlglot.parse_one(listing, read=q.dialect))

    def at(x: Any) -> Any:
        inside = exp.Between(this=exp.Paren(this=x), low=exp.Literal.number(lo), high=exp.Literal.number(hi))
        return exp.Case(ifs=[
            exp.If(this=inside, true=q.list_get0(days, exp.Sub(this=exp.Paren(this=x), expression=exp.Literal.number(lo)))),
            exp.If(this=exp.LTE(this=exp.Paren(this=x), expression=exp.Literal.number(last_ok)),
                   true=_weekday_deadline(q, x, n)),
        ])

    value = q.template("date_from_days", q.let(a, at))
    message = (f"function_failure|fungsi '{q.name}' gagal: OverflowError: date value out of range / "
               f"function '{q.name}' failed: OverflowError: date value out of range")
    overflow = exp.Case(ifs=[exp.If(this=exp.GT(this=exp.Paren(this=a), expression=exp.Literal.number(last_ok)),
                                    true=exp.Literal.string(message))])
    return _sql().Val(value, _DATE_T, None, q.first_error(start_error, overflow))


def _working_deadline_sql(q: Any, start: Any, n: Any, cuti_kerja: Any) -> Any:
    """:func:`working_deadline` (cuti bersama not working days, the ruleset's default): the first
    day whose working index (:func:`_working_index`) is the start's plus n; before and after the
    calendar's span by weekday arithmetic, inside it the span's list of working days read by index.
    Cuti bersama counted as working days has no SQL form yet (a second calendar)."""
    from sqlglot import exp

    if not cuti_kerja.is_const or cuti_kerja.const is not False:
        raise _no_form(q.name, "cuti bersama dihitung hari kerja", "cuti bersama counted as working days")
    if n.is_const and isinstance(n.const, int) and 0 <= n.const <= 400:
        return _constant_working_deadline_sql(q, start, n.const)
    n_error = _negative_days_sql(q, n)
    a, start_error = _as_days_sql(q, start)
    epoch = dt.date(1970, 1, 1)
    first, last_span = _calendar_span()
    n0, n1 = (first - epoch).days, (last_span - epoch).days
    total = calendar_rows()[-1][1]
    w_lo = _weekdays_up_to(n0 - 1)  # no holidays before the span
    w_hi = _weekdays_up_to(n1) - total
    last = (dt.date.max - epoch).days
    q.table(KERJA, (("hari", "BIGINT"),), working_rows)
    import sqlglot

    listing = {"duckdb": f"SELECT LIST(hari ORDER BY hari) FROM {KERJA}",
            "postgres": f"SELECT ARRAY_AGG(hari ORDER BY hari) FROM {KERJA}",
            "spark": f"SELECT ARRAY_SORT(COLLECT_LIST(hari)) FROM {KERJA}"}[q.dialect]
    days = q.context(_KERJA_CONTEXT, sqlglot.parse_one(listing, read=q.dialect))

    def at(x: Any) -> Any:
        # the n-th working day is at least n days on: beyond the last date, Python's loop overflows
        beyond = exp.GT(this=q.wide(n.v), expression=exp.Sub(this=exp.Literal.number(last), expression=exp.Paren(this=x)))

        def found(t: Any) -> Any:
            return exp.Case(ifs=[
                exp.If(this=exp.LTE(this=exp.Paren(this=t), expression=exp.Literal.number(w_lo)), true=_weekday_at(q, t)),
                exp.If(this=exp.GT(this=exp.Paren(this=t), expression=exp.Literal.number(w_hi)),
                       true=_weekday_at(q, exp.Add(this=exp.Paren(this=t), expression=exp.Literal.number(total)))),
            ], default=q.list_get0(days, exp.Sub(this=exp.Paren(this=t), expression=exp.Literal.number(w_lo + 1))))

        target = exp.Add(this=exp.Paren(this=_working_index(q, x)), expression=exp.Paren(this=n.v))
        return exp.Case(ifs=[
            exp.If(this=exp.EQ(this=exp.Paren(this=n.v), expression=exp.Literal.number(0)), true=x),
            exp.If(this=exp.Not(this=exp.Paren(this=beyond)), true=q.let(target, found)),
        ])

    day = q.let(a, at)
    value = q.let(day, lambda d: exp.Case(ifs=[exp.If(this=exp.LTE(this=exp.Paren(this=d), expression=exp.Literal.number(last)),
                                                      true=q.template("date_from_days", d))]))
    message = (f"function_failure|fungsi '{q.name}' gagal: OverflowError: date value out of range / "
               f"function '{q.name}' failed: OverflowError: date value out of range")
    overflow = exp.Case(ifs=[exp.If(this=exp.And(
        this=exp.GT(this=exp.Paren(this=n.v), expression=exp.Literal.number(0)),
        expression=exp.Paren(this=exp.Or(
            this=exp.GT(this=q.wide(n.v), expression=exp.Sub(this=exp.Literal.number(last), expression=exp.Paren(this=a))),
            expression=exp.GT(this=exp.Paren(this=day), expression=exp.Literal.number(last))))),
        true=exp.Literal.string(message))])
    return _sql().Val(value, _DATE_T, None, q.first_error(n_error, start_error, overflow))


def _filled_sql(q: Any, x: Any) -> Any:
    from sqlglot import exp

    sql = _sql()
    k = x.t.kind
    if k == "null":
        return sql.Val(exp.false(), _BOOL_T)
    if k == "string":
        test = q.search_outside(x.v, _space_ranges())
    elif k == "list":
        test = exp.GT(this=q.list_len(x.v), expression=exp.Literal.number(0))
    elif k == "map":
        test = exp.GT(this=q.template("map_len", x.v), expression=exp.Literal.number(0))
    else:
        test = exp.Not(this=exp.Paren(this=exp.Is(this=exp.Paren(this=x.v), expression=exp.Null())))
        return sql.Val(test, _BOOL_T)
    return sql.Val(exp.Coalesce(this=exp.Paren(this=test), expressions=[exp.false()]), _BOOL_T)


@functools.cache
def _space_ranges() -> list[tuple[int, int]]:
    """Code points ``str.strip()`` removes, as ranges."""
    return _ranges(map(ord, filter(str.isspace, map(chr, range(0x110000)))))


def _ranges(points: Iterable[int]) -> list[tuple[int, int]]:
    from layanan_rules.expr.sql.regex import code_point_ranges  # sqlglot: only when an SQL form is built

    return code_point_ranges(points)


@functools.cache
def _status_tables() -> tuple[str, str, list[tuple[int, int]]]:
    """For :func:`is_closed_status` in SQL: characters whose lower case keeps one ASCII letter
    or digit (``translate`` from/to), and those keeping a non-ASCII letter or digit (they can
    never be part of a status word): the per-character view of ``lower()`` + ``isalnum()``."""
    chars = "".join(map(chr, range(0x110000)))
    changed: set[int] = set()
    for start in range(0, len(chars), 512):  # most blocks of the code space do not change at all
        block = chars[start:start + 512]
        if block.lower() != block:
            changed.update(start + i for i, ch in enumerate(block) if ch.lower() != ch)
    src, dst, other = [], [], []
    for cp in sorted(changed):  # a few thousand: the slow path
        ch = chr(cp)
        kept = "".join(c for c in ch.lower() if c.isalnum())
        if not kept:
            continue
        if kept.isascii():
            if len(kept) != 1:
                raise ValueError(f"{ch!r} lowers to several ASCII characters")  # none in Unicode 15
            src.append(ch)
            dst.append(kept)
        else:
            other.append(cp)
    # unchanged by lower(): kept when alphanumeric, a problem when not ASCII
    other.extend(cp for cp in map(ord, filter(str.isalnum, chars)) if cp > 0x7F and cp not in changed)
    return "".join(src), "".join(dst), _ranges(sorted(other))


def _closed_status_sql(q: Any, x: Any) -> Any:
    from sqlglot import exp

    sql = _sql()
    if x.t.kind != "string":
        return sql.Val(exp.false(), _BOOL_T)
    src, dst, other = _status_tables()
    mapped = exp.Anonymous(this="TRANSLATE", expressions=[x.v, exp.Literal.string(src), exp.Literal.string(dst)])
    keep = [(0x30, 0x39), (0x61, 0x7A), *other]
    cleaned = q.strip_outside(mapped, sorted(keep))
    test = exp.In(this=exp.Paren(this=cleaned), expressions=[exp.Literal.string(w) for w in sorted(CLOSED_STATUSES)])
    return sql.Val(exp.Coalesce(this=exp.Paren(this=test), expressions=[exp.false()]), _BOOL_T)


#: what a character's ``lower()`` stands for in :func:`_class_tables`: a run of ``\s``/``-`` (" "),
#: or of ``\w`` that is not ``_`` nor ``a-z`` ("0"); Python's ``\s`` is ``str.isspace`` and its ``\w``
#: ``str.isalnum`` or ``_``, the very tests of the per-character definition
_CLASS_RUNS = re.compile(r"(?P<space>[\s-]+)|(?P<word>[^\W_a-z]+)")


def _char_class(ch: str) -> str:
    if "a" <= ch <= "z" or ch == "_":
        return ch
    if ch.isspace() or ch == "-":
        return " "
    return "0" if ch.isalnum() else "."


@functools.cache
def _class_tables() -> tuple[dict[str, str], str, str, list[tuple[int, int]], list[tuple[int, int]]]:
    r"""For :func:`is_withdrawn_status` in SQL: how each character's ``lower()`` stands for the
    classes its regexes tell apart: ASCII letters as themselves, ``\s`` and ``-`` as ``" "``,
    ``_`` as itself, other ``\w`` as ``"0"``, anything else as ``"."``. Returned: the characters
    whose lower case is several (to ``REPLACE``, with their class text), ``TRANSLATE``'s from/to
    for those lowering to one ASCII letter, and the ranges of those standing for ``" "`` and
    ``"0"`` (everything left outside ``[a-z0 _]`` stands for ``"."``).

    Computed a block of the code space at a time (``lower()`` and regex runs over the block's
    text; a block where some character lowers to several, character by character): the whole
    code space one character at a time cost 0.46 s of every ``--engine duckdb`` run's start (now 0.20 s)."""
    multi: dict[str, str] = {}
    src, dst = [], []
    runs: dict[str, list[tuple[int, int]]] = {"space": [], "word": []}
    # never in a text DuckDB holds: the surrogates; blocks do not straddle them, so an index is a code point
    for lo, hi in ((0, 0xD800), (0xE000, 0x110000)):
        for start in range(lo, hi, 0x10000):
            block = "".join(map(chr, range(start, min(start + 0x10000, hi))))
            low = block.lower()
            if len(low) != len(block):  # per character (only the final sigma depends on context: both are \w)
                for i, ch in enumerate(block):
                    one = ch.lower()
                    if len(one) > 1:
                        multi[ch] = "".join(map(_char_class, one))
                        continue
                    k = _char_class(one)
                    if "a" <= k <= "z":
                        if one != ch:
                            src.append(ch)
                            dst.append(one)
                    elif k in (" ", "0"):
                        runs["space" if k == " " else "word"].append((start + i, start + i))
                continue
            for m in re.finditer("[a-z]", low):
                if block[m.start()] != m.group():
                    src.append(block[m.start()])
                    dst.append(m.group())
            for m in _CLASS_RUNS.finditer(low):
                runs[m.lastgroup or ""].append((start + m.start(), start + m.end() - 1))

    def merged(xs: list[tuple[int, int]]) -> list[tuple[int, int]]:  # (found in ascending order)
        out: list[tuple[int, int]] = []
        for a, b in xs:
            if out and out[-1][1] == a - 1:
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
        return out

    return multi, "".join(src), "".join(dst), merged(runs["space"]), merged(runs["word"])


_WITHDRAWN_A = tuple(p + w for p in ("", "di") for w in ("cabut", "batal", "batalkan", "tarik", "gugur"))
_WITHDRAWN_B = ("withdrawn", "void", "cancelled", "canceled", "lapsed")
_WITHDRAWN_FIRST = ("dianggap", "telah", "sudah")


def _withdrawn_status_sql(q: Any, x: Any) -> Any:
    r""":func:`is_withdrawn_status` without look-behind, exact (DuckDB only). The text is first
    written in the classes its regexes tell apart (:func:`_class_tables`, one character each,
    as ``lower()`` gives them), then cut into runs of ``[a-z]`` ("words") and the runs between.
    ``_WITHDRAWN``'s look-arounds make every match whole words: one word of its lists, or a
    ``dianggap``/``telah``/``sudah`` (``deemed``) word, a gap of ``[\s_-]``, and a word of the
    first (second) list. ``finditer`` yields the two-word matches, and the one-word ones whose
    word is not the second word of a two-word match (those it skips). The status is withdrawn
    when one of those matches has a text before it where ``_NEGATED`` (its look-behind written
    as ``^`` or ``[^a-z]``) does not match. Every regex is RE2 (linear); as in Python, each
    match reads the text before it once."""
    from sqlglot import exp

    from layanan_rules.expr.sql.dialects import fill
    from layanan_rules.expr.sql.regex import char_class

    sql = _sql()
    if x.t.kind != "string":
        return sql.Val(exp.false(), _BOOL_T)
    if q.dialect != "duckdb":
        raise _no_form(q.name, f"bentuk tanpa look-behind hanya di DuckDB, bukan {q.dialect}",
                       f"the look-behind-free form is DuckDB only, not {q.dialect}")
    multi, src, dst, space, word = _class_tables()

    def lit(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    def among(words: Iterable[str]) -> str:
        return "(" + ", ".join(map(lit, words)) + ")"

    text = "{0}"
    for ch, k in multi.items():
        text = f"REPLACE({text}, {lit(ch)}, {lit(k)})"
    text = f"TRANSLATE({text}, {lit(src)}, {lit(dst)})"
    text = f"REGEXP_REPLACE(REGEXP_REPLACE({text}, {{1}}, ' ', 'g'), {{2}}, '0', 'g')"  # ranges as arguments
    text = f"REGEXP_REPLACE({text}, '[^a-z0 _]', '.', 'g')"
    first, a, b = among(_WITHDRAWN_FIRST), among(_WITHDRAWN_A), among(_WITHDRAWN_B)
    gap = "'[ _]+'"
    negated = lit(r"(?:^|[^a-z])(?:tidak|belum|bukan|not|never)[ _]+(?:[a-z0_]+[ _]+)?$")
    match = (
        f"(w IN {first} AND COALESCE(REGEXP_FULL_MATCH(t[i + 1], {gap}) AND t[i + 2] IN {a}, FALSE))"
        f" OR (w = 'deemed' AND COALESCE(REGEXP_FULL_MATCH(t[i + 1], {gap}) AND t[i + 2] IN {b}, FALSE))"
        f" OR (w IN {a} AND NOT (i > 2 AND COALESCE(REGEXP_FULL_MATCH(t[i - 1], {gap}) AND t[i - 2] IN {first},"
        f" FALSE)))"
        f" OR (w IN {b} AND NOT (i > 2 AND COALESCE(REGEXP_FULL_MATCH(t[i - 1], {gap}) AND t[i - 2] = 'deemed',"
        f" FALSE)))")
    found = (f"COALESCE(LIST_BOOL_OR(LIST_TRANSFORM(t, LAMBDA w, i : CASE WHEN {match} THEN NOT "
             f"REGEXP_MATCHES(ARRAY_TO_STRING(t[1 : i - 1], ''), {negated}) ELSE FALSE END)), FALSE)")
    form = (f"COALESCE(LIST_TRANSFORM([REGEXP_EXTRACT_ALL({text}, '[a-z]+|[^a-z]+')], LAMBDA t : {found})[1], "
            f"FALSE)")
    # first a cheap test: every match holds one of these words, each letter a character whose lower()
    # is that ASCII letter (A-Z, a-z, the Kelvin sign for k), all of which RE2's case folding matches
    # (it matches more: a superset is enough)
    cores = "|".join(sorted({"cabut", "batal", "tarik", "gugur", *_WITHDRAWN_B}))
    form = f"CASE WHEN REGEXP_MATCHES({{0}}, '{cores}', 'i') THEN {form} ELSE FALSE END"
    classes = (exp.Literal.string(char_class(space, False, "duckdb")), exp.Literal.string(char_class(word, False, "duckdb")))
    return sql.Val(fill(form, "duckdb", x.v, *classes), _BOOL_T)


def _period_start_sql(q: Any, x: Any, precision: Any) -> Any:
    """:func:`period_start`: the date (with :func:`as_date`'s errors), at the first of its year or
    month when the precision (an enum: its text) says ``tahun`` or ``bulan``."""
    from sqlglot import exp

    sql = _sql()
    day, error = _as_date_sql(q, x)
    if precision.t.kind != "string":  # null, or a value no precision equals: the day as it is
        if precision.t.kind not in ("null", "int", "uint", "double", "bool", "date", "timestamp"):
            raise _no_form(q.name, f"presisi bertipe {precision.t.name()}", f"a precision of type {precision.t.name()}")
        return sql.Val(day, _DATE_T, None, error)

    def starts(d: Any) -> Any:
        year = q.template("year", d)
        one = exp.Literal.number(1)
        return exp.Case(ifs=[
            exp.If(this=exp.EQ(this=exp.Paren(this=precision.v), expression=exp.Literal.string("tahun")),
                   true=q.template("make_date", year, one, one)),
            exp.If(this=exp.EQ(this=exp.Paren(this=precision.v), expression=exp.Literal.string("bulan")),
                   true=q.template("make_date", year, q.template("month", d), one))], default=d)

    return sql.Val(q.let(day, starts), _DATE_T, None, error)


def _minimum_sample_sql(q: Any, n: Any) -> Any:
    """:func:`minimum_sample` (``skm.sample_size``) in the same double operations, in the same order;
    its half-up rounding of ``repr(s)`` is ``floor(s)`` plus one when ``s - floor(s) >= 0.5``, exact
    (``s`` < 385, so a tie is a double exactly, and the subtraction is exact)."""
    from sqlglot import exp

    sql = _sql()
    if n.t.kind not in ("int", "null"):
        raise _no_form(q.name, f"populasi bertipe {n.t.name()}", f"a population of type {n.t.name()}")
    x2, p, d = 3.841, 0.5, 0.05  # skm.sample_size's

    def dbl(e: Any) -> Any:
        return exp.Cast(this=exp.Paren(this=e), to=exp.DataType.build("DOUBLE"))

    def lit(f: float) -> Any:
        return sql.literal(f, _DOUBLE_T, q.dialect)

    prefix = "populasi harus bilangan bulat >= 1 / population must be an integer >= 1, got "
    if n.t.kind == "null":
        return sql.Val(exp.Null(), _INT_T, None, q.error_text("invalid_argument", prefix + "None"))

    def size(v: Any) -> Any:
        num = exp.Mul(this=exp.Paren(this=exp.Mul(this=exp.Paren(this=exp.Mul(this=lit(x2), expression=dbl(v))),
                                                  expression=lit(p))), expression=lit(1 - p))
        den = exp.Add(this=exp.Paren(this=exp.Mul(this=lit(d * d), expression=dbl(exp.Sub(
            this=exp.Paren(this=v), expression=exp.Literal.number(1))))), expression=lit(x2 * p * (1 - p)))
        ratio = exp.Div(this=exp.Paren(this=num), expression=exp.Paren(this=den))

        def rounded(r: Any) -> Any:
            low = q.template("floor", r)
            up = exp.GTE(this=exp.Paren(this=exp.Sub(this=exp.Paren(this=r), expression=exp.Paren(this=low))),
                         expression=lit(0.5))
            return exp.Cast(this=exp.Add(this=exp.Paren(this=low), expression=exp.Case(
                ifs=[exp.If(this=up, true=exp.Literal.number(1))], default=exp.Literal.number(0))),
                to=exp.DataType.build("BIGINT"))

        ok = exp.GTE(this=exp.Paren(this=v), expression=exp.Literal.number(1))
        return exp.Case(ifs=[exp.If(this=ok, true=q.let(ratio, rounded))])

    def failed(v: Any) -> Any:
        text = exp.DPipe(this=exp.Literal.string(f"invalid_argument|{prefix}"),
                         expression=q.template("string_of_int", v))
        missing = exp.Literal.string(f"invalid_argument|{prefix}None")
        return exp.Case(ifs=[exp.If(this=exp.Is(this=exp.Paren(this=v), expression=exp.Null()), true=missing),
                             exp.If(this=exp.LT(this=exp.Paren(this=v), expression=exp.Literal.number(1)), true=text)])

    return sql.Val(size(n.v), _INT_T, None, failed(n.v))


def _share_sql(q: Any, items: Any, pred: Any) -> Any:
    from sqlglot import exp

    sql = _sql()
    n = q.list_len(items.v)
    yes = q.codes_count(pred.codes, "1")
    value = exp.Div(this=exp.Cast(this=exp.Paren(this=yes), to=exp.DataType.build("DOUBLE")),
                    expression=exp.Cast(this=exp.Paren(this=n), to=exp.DataType.build("DOUBLE")))
    empty = q.error("range", "proporsi dari daftar kosong", "share of an empty list")
    error = exp.Case(ifs=[exp.If(this=exp.EQ(this=n, expression=exp.Literal.number(0)), true=empty)],
                     default=q.codes_error(pred.codes))
    return sql.Val(exp.Case(ifs=[exp.If(this=exp.GT(this=n, expression=exp.Literal.number(0)), true=value)]),
                   _DOUBLE_T, None, error)


def _count_sql(q: Any, items: Any, pred: Any) -> Any:
    return _sql().Val(q.codes_count(pred.codes, "1"), _INT_T, None, q.codes_error(pred.codes))


def _duration_days_sql(q: Any, jw: Any) -> Any:
    from sqlglot import exp

    sql = _sql()
    if jw.t.kind != "obj":
        raise _no_form(q.name, "argumen bukan jangka waktu", "the argument is not a completion time")
    jumlah = q.field(jw, "jumlah")
    satuan = q.field(jw, "satuan")
    factor = exp.Case(ifs=[exp.If(this=exp.EQ(this=exp.Paren(this=satuan), expression=exp.Literal.string(u)),
                                  true=sql.literal(f, _DOUBLE_T, q.dialect)) for u, f in _UNIT_DAYS.items()])
    value = exp.Mul(this=exp.Cast(this=exp.Paren(this=jumlah), to=exp.DataType.build("DOUBLE")),
                    expression=exp.Paren(this=factor))
    missing = exp.Or(this=exp.Is(this=exp.Paren(this=jumlah), expression=exp.Null()),
                     expression=exp.Is(this=exp.Paren(this=satuan), expression=exp.Null()))
    if jw.null:
        missing = exp.Or(this=exp.Is(this=exp.Paren(this=jw.v), expression=exp.Null()), expression=missing)
    error = exp.Case(ifs=[exp.If(this=missing, true=q.error(
        "missing_field", "jangka waktu tanpa jumlah atau satuan", "completion time without amount or unit"))])
    return sql.Val(value, _DOUBLE_T, None, error)


def _cases_sql(q: Any, x: Any) -> Any:
    """``kasus(x)`` of a time or fee read column by column (``engine.sql.layout``, ``CASED``): ``[]``
    when it is absent, its cases when the input gives some (the row's ``__kasus``: a list of structs
    of :func:`layanan_rules.expr.sql.case_fields`), else a list of itself, a struct of the same fields.
    Exact as :func:`cases`: a value of these classes always has ``kasus`` (no error); DuckDB only."""
    from sqlglot import exp

    sql = _sql()
    row = x.row
    if q.dialect != "duckdb":
        raise _no_form(q.name, "hanya di DuckDB", "DuckDB only")
    if x.t.kind != "obj" or row is None or row.present is None or "__kasus" not in row.fields:
        raise _no_form(q.name, "argumen bukan jangka waktu atau biaya yang dibaca per kolom",
                       "the argument is not a completion time or fee read column by column")
    fields = sql.case_fields(x.t.cls, q.dialect)
    if not all(isinstance(row.fields.get(f), exp.Expression) for f, _t in fields):
        raise _no_form(q.name, "field kasus tanpa kolom", "a case's field has no column")
    typ = exp.DataType.build(sql.case_list_type(x.t.cls, q.dialect), dialect=q.dialect)
    item = exp.Struct(expressions=[exp.PropertyEQ(this=exp.to_identifier(f, quoted=True), expression=row.fields[f])
                                   for f, _t in fields])
    given = row.fields["__kasus"]
    absent = exp.Or(this=exp.Is(this=exp.Paren(this=x.v), expression=exp.Null()),
                    expression=exp.Not(this=exp.Paren(this=x.v)))
    value = exp.Case(ifs=[
        exp.If(this=absent, true=exp.cast(exp.Array(expressions=[]), typ)),
        exp.If(this=exp.GT(this=exp.func("coalesce", q.list_len(given), exp.Literal.number(0)),
                           expression=exp.Literal.number(0)), true=given),
    ], default=exp.Array(expressions=[item]))
    return sql.Val(value, _list_of(x.t), None, None)


def _list_of(t: Any) -> Any:
    from layanan_rules.expr.types import list_of

    return list_of(t)


def _to_date_sql(q: Any, x: Any) -> Any:
    day, error = _as_date_sql(q, x)
    return _sql().Val(day, _DATE_T, None, error)


def _year_sql(q: Any, x: Any) -> Any:
    from sqlglot import exp

    day, error = _as_date_sql(q, x)
    return _sql().Val(exp.Cast(this=q.template("year", day), to=exp.DataType.build("BIGINT")), _INT_T, None, error)


def _add_months_sql(q: Any, x: Any, months: Any) -> Any:
    from sqlglot import exp

    day, error = _as_date_sql(q, x)
    year = q.template("year", day)
    total = exp.Add(this=exp.Add(this=exp.Mul(this=q.wide(year), expression=exp.Literal.number(12)),
                                 expression=exp.Paren(this=exp.Sub(this=q.template("month", day),
                                                                   expression=exp.Literal.number(1)))),
                    expression=q.wide(months.v))
    # divmod(total, 12) with Python's floor semantics, from a non-negative shift
    shift = 12 * 10**19
    y = exp.Sub(this=exp.Paren(this=q.trunc_div(exp.Add(this=exp.Paren(this=total), expression=exp.Literal.number(shift)),
                                                 12)), expression=exp.Literal.number(shift // 12))
    m = exp.Add(this=exp.Paren(this=exp.Mod(this=exp.Paren(this=exp.Add(this=exp.Paren(this=total),
                                                                        expression=exp.Literal.number(shift))),
                                            expression=exp.Literal.number(12))),
                expression=exp.Literal.number(1))
    ok = exp.Between(this=exp.Paren(this=y), low=exp.Literal.number(1), high=exp.Literal.number(9999))
    first = q.template("make_date", exp.Case(ifs=[exp.If(this=ok, true=y)], default=exp.Literal.number(2000)),
                       m, exp.Literal.number(1))
    last = q.template("day", q.template("last_day", first))
    dom = exp.Anonymous(this="LEAST", expressions=[q.template("day", day), last])
    value = exp.Case(ifs=[exp.If(this=ok, true=q.template("make_date", y, m, dom))])
    # Python: dt.date(year, ...) refuses a year outside 1..9999 (ValueError) or outside a C int
    # (OverflowError)
    year_text = q.template("string_of_int", y)
    failed = exp.DPipe(this=exp.DPipe(this=exp.DPipe(this=exp.Literal.string(
        "function_failure|fungsi 'tambah_bulan' gagal: ValueError: year "), expression=year_text),
        expression=exp.Literal.string(" is out of range / function 'tambah_bulan' failed: ValueError: year ")),
        expression=exp.DPipe(this=year_text, expression=exp.Literal.string(" is out of range")))

    def overflow(side: str) -> Any:
        text = f"OverflowError: signed integer is {side}"
        return exp.Literal.string(f"function_failure|fungsi 'tambah_bulan' gagal: {text} / "
                                  f"function 'tambah_bulan' failed: {text}")

    own = exp.Case(ifs=[
        exp.If(this=exp.LT(this=exp.Paren(this=y), expression=exp.Literal.number(-(2**31))),
               true=overflow("less than minimum")),
        exp.If(this=exp.GT(this=exp.Paren(this=y), expression=exp.Literal.number(2**31 - 1)),
               true=overflow("greater than maximum")),
        exp.If(this=exp.Not(this=exp.Paren(this=ok)), true=failed)])
    return _sql().Val(value, _DATE_T, None, q.first_error(error, own))


def _survey_index_sql(q: Any, survei: Any) -> Any:
    from sqlglot import exp

    from layanan_rules import skm

    sql = _sql()
    if survei.t.kind != "obj":
        raise _no_form(q.name, "argumen bukan survei", "the argument is not a survey")
    means = [q.field(survei, f) for f in skm.SURVEI_FIELDS]
    tests = [exp.Is(this=exp.Paren(this=m), expression=exp.Null()) for m in means]
    if survei.null:
        tests.insert(0, exp.Is(this=exp.Paren(this=survei.v), expression=exp.Null()))
    any_null: Any = tests[0]
    for t in tests[1:]:
        any_null = exp.Or(this=any_null, expression=t)
    whens = [exp.If(this=any_null, true=q.error(
        "missing_field", "nilai rata-rata unsur survei (u1-u9) belum lengkap", "survey element means (u1-u9) incomplete"))]
    w = sql.literal(skm.WEIGHTS["1/9"], _DOUBLE_T, q.dialect)
    for (code, _n, _e), m in zip(skm.ELEMENTS, means, strict=True):
        isnan = q.template("isnan", m)
        whens.append(exp.If(this=isnan, true=exp.Literal.string(
            f"invalid_argument|{code}: nilai rata-rata tidak ada / mean missing or not a number: nan")))
        text = q.repr_double(m)  # str(float) in the ValueError's message
        bad = exp.DPipe(this=exp.DPipe(this=exp.DPipe(this=exp.Literal.string(
            f"invalid_argument|{code}: nilai rata-rata "), expression=text), expression=exp.Literal.string(
            " di luar 1-4 / mean ")), expression=exp.DPipe(this=text, expression=exp.Literal.string(
            " outside 1-4")))
        whens.append(exp.If(this=exp.Not(this=exp.Between(this=exp.Paren(this=m), low=exp.Literal.number(1),
                                                          high=exp.Literal.number(4))), true=bad))
    index: Any = None
    for m in means:
        term = exp.Mul(this=exp.Paren(this=m), expression=w)
        index = term if index is None else exp.Add(this=index, expression=term)
    value = exp.Mul(this=exp.Paren(this=index), expression=sql.literal(float(skm.CONVERSION), _DOUBLE_T, q.dialect))
    return sql.Val(value, _DOUBLE_T, None, exp.Case(ifs=whens))


def _types() -> Any:
    from layanan_rules.expr.types import BOOL, DATE, DOUBLE, INT

    return BOOL, DATE, DOUBLE, INT


_BOOL_T, _DATE_T, _DOUBLE_T, _INT_T = _types()


BUILTINS: tuple[Function, ...] = (
    Function("terisi", filled, (object,), bool,
             "Benar bila nilai terisi: tidak null, bukan teks kosong, bukan daftar kosong.",
             "True when a value is filled in: not null, not blank text, not an empty list.",
             inline=(("string", "((({0}) or '').strip() != '')"), ("list", "(len(({0}) or ()) > 0)")),
             sql=_filled_sql),
    Function("hari", calendar_days, (object, object), int,
             "Jumlah hari kalender dari tanggal pertama ke tanggal kedua.",
             "Calendar days from the first date to the second.", sql=_calendar_days_sql,
             explain=_explain_days(_CALENDAR)),
    Function("hari_kerja", working_days, (object, object), int,
             "Jumlah hari kerja sesudah tanggal pertama sampai tanggal kedua (tanpa Sabtu, Minggu, libur nasional dan cuti bersama).",
             "Working days after the first date up to the second (no weekends, national holidays or cuti bersama).",
             sql=_working_days_sql, explain=_explain_days(_WORKING)),
    Function("batas_waktu", deadline, (object, int, bool, bool, bool), dt.date,
             "Hari terakhir tenggat n hari sejak tanggal: batas_waktu(mulai, n, hari_kerja, geser_ke_hari_kerja, "
             "cuti_bersama_hari_kerja). Tepat waktu bila tanggal(tindakan) <= batas_waktu(...).",
             "The last day of a deadline of n days from a date: batas_waktu(start, n, working_days, roll_forward, "
             "cuti_bersama_as_working). On time when tanggal(act) <= batas_waktu(...).", explain=_explain_deadline,
             sql=_deadline_sql),
    Function("batas_hari_kerja", working_deadline, (object, int, bool), dt.date,
             "Hari kerja ke-n sesudah tanggal (tenggat dalam \"hari kerja\"): batas_hari_kerja(mulai, n, "
             "cuti_bersama_hari_kerja).",
             "The n-th working day after a date (a deadline in \"hari kerja\"): batas_hari_kerja(start, n, "
             "cuti_bersama_as_working).", explain=_explain_working_deadline, sql=_working_deadline_sql),
    Function("batas_jangka_waktu", service_deadline, (object, object, bool, bool), dt.date,
             "Hari terakhir pelayanan harus selesai menurut jangka waktu standar (hari kerja, hari, minggu, bulan, jam): "
             "batas_jangka_waktu(mulai, layanan.standar.jangka_waktu, geser_ke_hari_kerja, cuti_bersama_hari_kerja).",
             "The last day a service is due under its standard's completion time (working days, days, weeks, months, "
             "hours): batas_jangka_waktu(start, layanan.standar.jangka_waktu, roll_forward, cuti_bersama_as_working).",
             explain=_explain_service_deadline),
    Function("selisih_hari", days_between, (object, object, bool), int,
             "hari_kerja(a, b) bila argumen ketiga true, selain itu hari(a, b).",
             "hari_kerja(a, b) when the third argument is true, else hari(a, b).", sql=_days_between_sql,
             explain=_explain_between),
    Function("kasus", cases, (object,), list,
             "Kasus-kasus jangka waktu atau biaya (untuk kelompok pemohon, kanal, penjamin), atau nilai itu sendiri bila "
             "tidak berkasus: kasus(layanan.standar.biaya).all(b, ...).",
             "The cases of a completion time or fee (by applicant group, channel, insurer), or the value itself when "
             "it has none: kasus(layanan.standar.biaya).all(b, ...).", sql=_cases_sql),
    Function("awal_periode", period_start, (object, object), dt.date,
             "Hari pertama yang mungkin bagi tanggal yang hanya diketahui bulan atau tahunnya (presisi 'bulan'/'tahun').",
             "The earliest day a date can be when only its month or year is known (precision 'bulan'/'tahun').",
             explain=_explain_period, sql=_period_start_sql),
    Function("janji_untuk", promise_for, (object, object), object,
             "Kasus jangka waktu yang berlaku bagi record berlabel itu (kelas pengaduan, kategori permohonan): yang "
             "labelnya cocok, selain itu janji terpanjang: janji_untuk(layanan.standar.tenggat_pengaduan, p.kelas).",
             "The case of a promised time that holds for a record with that label (a complaint's class, an "
             "application's category): the one whose label matches, else the longest promise."),
    Function("rincian_janji", promise_detail, (object, object, object, object, bool, bool), object,
             "Rincian untuk bukti: kasus yang dipilih dan alasannya, janji, batas, tanggal selesai, hari dihitung dan "
             "kalendernya: rincian_janji(mulai, selesai, jangka_waktu, label, geser_ke_hari_kerja, "
             "cuti_bersama_hari_kerja).",
             "Details for evidence: the case chosen and why, the promise, the last day, the end, the days counted "
             "and their calendar: rincian_janji(start, end, completion_time, label, roll_forward, "
             "cuti_bersama_as_working)."),
    Function("proporsi", share, (list, object), float,
             "Proporsi (0-1) anggota daftar yang memenuhi syarat: proporsi(daftar, x, syarat).",
             "Share (0-1) of list items meeting a condition: proporsi(list, x, condition).",
             predicate=True, sql=_share_sql),
    Function("jumlah", count, (list, object), int,
             "Banyaknya anggota daftar yang memenuhi syarat: jumlah(daftar, x, syarat).",
             "How many list items meet a condition: jumlah(list, x, condition).",
             predicate=True, sql=_count_sql),
    Function("durasi_hari", duration_days, (object,), float,
             "Jangka waktu penyelesaian dalam hari (bulan = 30 hari, tahun = 365 hari).",
             "A completion time in days (month = 30 days, year = 365 days).", sql=_duration_days_sql),
    Function("tanggal", to_date, (object,), dt.date,
             "Tanggal kalender (WIB) dari tanggal atau cap waktu.",
             "The calendar date (WIB) of a date or timestamp.", sql=_to_date_sql),
    Function("tahun", year_of, (object,), int,
             "Tahun dari tanggal atau cap waktu.",
             "The year of a date or timestamp.", sql=_year_sql),
    Function("tambah_bulan", add_months, (object, int), dt.date,
             "Tanggal n bulan kalender sesudah tanggal itu (akhir bulan dipotong: 31 Jan + 1 = 28/29 Feb).",
             "The date n calendar months after a date (month ends clamp: 31 Jan + 1 = 28/29 Feb).",
             sql=_add_months_sql),
    Function("ikm_survei", survey_index, (object,), float,
             "IKM (25-100, dibulatkan setengah ke atas, dua desimal) survei kepuasan masyarakat dari nilai rata-rata "
             "sembilan unsurnya (PermenPAN-RB 14/2017, bobot 1/9, hitungan eksak).",
             "The IKM (25-100, rounded half-up to two decimals) of a satisfaction survey from its nine element means "
             "(PermenPAN-RB 14/2017, weight 1/9, exact arithmetic)."),
    Function("ikm_survei_bobot", survey_index_weighted, (object, str), float,
             "Seperti ikm_survei, dengan konvensi bobot \"1/9\" atau \"0.111\" (templat yang beredar).",
             "Like ikm_survei, with the weight convention \"1/9\" or \"0.111\" (circulated templates)."),
    Function("sampel_minimum", minimum_sample, (int,), int,
             "Jumlah responden paling sedikit untuk populasi N pengguna layanan (tabel Krejcie dan Morgan 1970, "
             "PermenPAN-RB 14/2017): sampel_minimum(100) = 80.",
             "The fewest respondents for a population of N service users (the Krejcie and Morgan 1970 table, "
             "PermenPAN-RB 14/2017): sampel_minimum(100) = 80.", sql=_minimum_sample_sql),
    Function("peraturan_bernomor", names_numbered_regulation, (object,), bool,
             "Benar bila teks menyebut peraturan dengan jenis, nomor dan tahun (Perda No 5 Tahun 2019, PP 96/2012); "
             "\"Sesuai Perda\" tanpa nomor/tahun salah.",
             "True when a text names a regulation by kind, number and year (Perda No 5 Tahun 2019, PP 96/2012); "
             "\"Sesuai Perda\" without number/year is false."),
    Function("unsur_peserta", participant_group, (object, object), str,
             "Golongan peserta penyusunan standar dari kategori dan organisasinya: penerima_manfaat, tokoh_masyarakat, "
             "akademisi, dunia_usaha, organisasi_profesi, lsm (PP 96/2012 Pasal 23(1)), internal, pemerintah, atau \"\".",
             "The group of a participant in drafting a standard from its category and organisation: penerima_manfaat, "
             "tokoh_masyarakat, akademisi, dunia_usaha, organisasi_profesi, lsm (PP 96/2012 Article 23(1)), internal, "
             "pemerintah, or \"\"."),
    Function("unsur_maklumat", maklumat_elements, (object,), list,
             "Unsur maklumat yang dinyatakan teks: janji_standar (Pasal 22 ayat (1)), perbaikan_berkelanjutan, "
             "sanksi_kompensasi (docs/rules.md).",
             "The maklumat elements a text states: janji_standar (Article 22(1)), perbaikan_berkelanjutan, "
             "sanksi_kompensasi (docs/rules.md)."),
    Function("kutipan_maklumat", maklumat_quotes, (object,), object,
             "Setiap unsur maklumat dengan kata-kata yang menyatakannya (null bila tidak ada), untuk bukti.",
             "Each maklumat element with the words that state it (null when absent), for evidence."),
    Function("status_dicabut", is_withdrawn_status, (object,), bool,
             "Benar bila status pengaduan menyatakan dicabut atau batal (Dianggap dicabut, DICABUT, batal, gugur, "
             "withdrawn ...); \"tidak dicabut\" salah.",
             "True when a complaint status says withdrawn or void (Dianggap dicabut, DICABUT, batal, gugur, withdrawn "
             "...); \"tidak dicabut\" is false.", sql=_withdrawn_status_sql),
    Function("status_selesai", is_closed_status, (object,), bool,
             "Benar bila status pengaduan menyatakan ditutup atau diputuskan (Selesai, ditutup, diputuskan, closed ...).",
             "True when a complaint status says it was closed or decided (Selesai, ditutup, diputuskan, closed ...).",
             sql=_closed_status_sql),
)


@hookimpl
def register_functions() -> list[Function]:
    return list(BUILTINS)


def registry_from(pm: Any) -> Mapping[str, Function]:
    """All functions registered with a plugin manager, checked for name clashes."""
    groups = []
    for impl in pm.hook.register_functions.get_hookimpls():
        groups.append((impl.plugin_name, impl.function() or []))
    return build_registry(groups)


@functools.cache
def default_functions() -> Mapping[str, Function]:
    """The function registry of the default plugin manager (built-ins plus installed plugins)."""
    from layanan_rules.plugins import get_plugin_manager

    return registry_from(get_plugin_manager())
