"""Dates and times as Indonesians write them (day-first, month names, WIB/WITA/WIT), and partial dates."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from layanan_rules.model.parsing.common import ParseError, _text

try:  # tzdata may be missing on a bare system; Asia/Jakarta has been UTC+7 since 1964
    from zoneinfo import ZoneInfo

    WIB: dt.tzinfo = ZoneInfo("Asia/Jakarta")
except (ImportError, LookupError, OSError):  # pragma: no cover - no tz database on the machine
    WIB = dt.timezone(dt.timedelta(hours=7), "WIB")

WITA: dt.tzinfo = dt.timezone(dt.timedelta(hours=8), "WITA")
WIT: dt.tzinfo = dt.timezone(dt.timedelta(hours=9), "WIT")


# --- dates and times ---------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    (
        ("januari", "jan", "january"),
        ("februari", "feb", "pebruari", "peb", "february"),
        ("maret", "mar", "march", "mrt"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "jun", "june"),
        ("juli", "jul", "july"),
        ("agustus", "agu", "agt", "ags", "agust", "aug", "august"),
        ("september", "sep", "sept"),
        ("oktober", "okt", "oct", "october"),
        ("november", "nov", "nop", "nopember"),
        ("desember", "des", "dec", "december"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _num

_WEEKDAYS = r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|" \
    r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)"
_DATE_FORMATS = "9/1/2024, 09-01-2024, 9 Januari 2024, 9 Jan 2024, 2024-01-09"
_DATETIME_FORMATS = "9/1/2024 10:27, 9 Januari 2024 pukul 10.27, 2024-01-09T10:27:00+07:00"

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})")
_WORD_DATE = re.compile(r"(\d{1,2})(?:\s*[\-/]\s*|\s+)([a-z]+)\.?(?:\s*[\-/]\s*|\s+)(\d{4})")
_TIME = re.compile(
    r"(?:t|\s+|,\s*)(?:(?:pukul|pkl\.?|jam|at)\s*)?"
    r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,6})\d*)?)?"
    r"\s*(z|wib|wita|wit|utc|gmt|[+\-]\d{2}:?\d{2})?\s*$"
)
_TZ_WORDS: dict[str, dt.tzinfo] = {"wib": WIB, "wita": WITA, "wit": WIT, "z": dt.UTC, "utc": dt.UTC, "gmt": dt.UTC}


def _make_date(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(
            "tanggal tidak ada di kalender",
            "impossible date",
            original,
            _DATE_FORMATS,
        ) from None


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:  # 7/1/15: two-digit years are this century up to 69, else the last one
        y += 2000 if y < 70 else 1900
    return y


_WEEKDAY_PREFIX = re.compile(rf"^{_WEEKDAYS}\s*,?\s+")
#: the numeric day-first shapes people write most (7/1/2015, 07-01-2015 10:27, 07.01.2015 10.27.00),
#: read in one match; anything else, or anything impossible, takes the general path (which names the problem)
_FAST_DATETIME = re.compile(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?:[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?")


def fast_numeric_datetime(text: str, tz: dt.tzinfo = WIB) -> dt.datetime | None:
    """``text`` (stripped) as a moment in ``tz`` when it is ``d/m/yyyy[ H:M[:S]]`` (or with - or .)
    of a moment that exists, else None (the general path reads it or says what is wrong)."""
    m = _FAST_DATETIME.fullmatch(text)
    if m is None:
        return None
    d, mo, y, hh, mm, ss = m.groups()
    try:
        if hh is None:
            return dt.datetime(int(y), int(mo), int(d), 0, 0, 0, 0, tz)
        return dt.datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss) if ss else 0, 0, tz)
    except ValueError:
        return None


#: "26 Agustus 2024" and "Senin, 26 Agustus 2024", the word dates people write most, read in one match
#: (a weekday that is no weekday, a month name that is no month or an impossible day: the general path)
_FAST_WORD_DATE = re.compile(r"(?:([A-Za-z']+)\s*,?\s+)?(\d{1,2}) ([A-Za-z]+)\.? (\d{4})")
_WEEKDAY_WORDS = frozenset(_WEEKDAYS[3:-1].split("|"))


def fast_word_date(text: str) -> tuple[int, int, int] | None:
    """``text`` (stripped) as (year, month, day) when it is ``[Weekday, ]d Month yyyy`` of a day
    that exists, else None."""
    m = _FAST_WORD_DATE.fullmatch(text)
    if m is None:
        return None
    weekday, day, name, year = m.groups()
    month = _MONTHS.get(name.lower())
    if month is None or (weekday is not None and weekday.lower() not in _WEEKDAY_WORDS):
        return None
    d = int(day)
    if 0 < d <= 28:
        y = int(year)
        return (y, month, d) if y else None
    y = int(year)
    if y < 1 or d < 1 or d > calendar.monthrange(y, month)[1]:
        return None  # no such day: the general path says so
    return y, month, d


def _date_part(s: str, original: str) -> tuple[dt.date, str] | None:
    """Read a date at the start of ``s`` (already lower-case); return it and what follows."""
    if s[:1].isalpha():  # "Senin, 7 Januari 2024": the weekday is dropped (digits cannot start one)
        s = _WEEKDAY_PREFIX.sub("", s)
    m = _ISO_DATE.match(s)
    if m:
        return _make_date(int(m[1]), int(m[2]), int(m[3]), original), s[m.end():]
    m = _NUMERIC_DATE.match(s)
    if m:
        return _make_date(_year(m[4]), int(m[3]), int(m[1]), original), s[m.end():]
    m = _WORD_DATE.match(s)
    if m:
        month = _MONTHS.get(m[2])
        if month is None:
            raise ParseError(
                f"nama bulan tidak dikenal ({m[2]!r})", f"unknown month name ({m[2]!r})", original,
                _DATE_FORMATS,
            )
        return _make_date(int(m[3]), month, int(m[1]), original), s[m.end():]
    return None


def parse_date(s: Any) -> dt.date:
    """Read a calendar date written day-first or in ISO form.

    >>> parse_date("7/1/2015"), parse_date("9 Januari 2024"), parse_date("2024-01-09")
    (datetime.date(2015, 1, 7), datetime.date(2024, 1, 9), datetime.date(2024, 1, 9))

    A date with a time of day (``7/1/2015 10:27:00``) gives its date. A ``datetime`` or ``date``
    object is returned as its date; anything impossible (31/02/2024) raises :class:`ParseError`.
    """
    if isinstance(s, dt.datetime):
        return s.date()
    if isinstance(s, dt.date):
        return s
    text = _text(s, "tanggal", "date", _DATE_FORMATS)
    fast = fast_word_date(text) if text[-1:].isdigit() and not text[:4].isdigit() else None
    if fast is not None:
        return dt.date(*fast)
    low = text.lower()
    got = _date_part(low, text)
    if got is not None:
        day, rest = got
        if not rest.strip() or _TIME.match(rest):
            return day
    raise ParseError("tanggal tidak terbaca", "unreadable date", text, _DATE_FORMATS)


def parse_datetime(s: Any, tz: dt.tzinfo = WIB) -> dt.datetime:
    """Read a moment in time; the result always carries a time zone.

    Accepts ``7/1/2015 10:27:00``, ``9 Januari 2024 pukul 10.27``, ``2024-01-09 10:27 WIB``, ISO
    8601 with or without an offset (``2024-01-09T10:27:00+07:00``, ``...Z``). A time without a
    zone is taken in ``tz`` (Western Indonesian Time by default); a date alone is midnight.
    """
    if isinstance(s, dt.datetime):
        return s if s.tzinfo is not None else s.replace(tzinfo=tz)
    if isinstance(s, dt.date):
        return dt.datetime(s.year, s.month, s.day, tzinfo=tz)
    text = _text(s, "tanggal-waktu", "date-time", _DATETIME_FORMATS)
    moment = fast_numeric_datetime(text, tz)  # None for 31/02/2024 or 24:00: the general path below
    if moment is not None:
        return moment
    if text[-1:].isdigit():
        ymd = fast_word_date(text)
        if ymd is not None:
            return dt.datetime(*ymd, 0, 0, 0, 0, tz)
    low = text.lower()
    got = _date_part(low, text)
    if got is not None:
        day, rest = got
        if not rest.strip():
            return dt.datetime(day.year, day.month, day.day, tzinfo=tz)
        m = _TIME.match(rest)
        if m:
            hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
            micro = int((m[4] or "0").ljust(6, "0"))
            zone = tz
            if m[5]:
                word = m[5]
                if word in _TZ_WORDS:
                    zone = _TZ_WORDS[word]
                else:
                    sign = -1 if word[0] == "-" else 1
                    digits = word[1:].replace(":", "")
                    hours, minutes = int(digits[:2]), int(digits[2:])
                    if hours > 23 or minutes > 59:
                        raise ParseError(
                            "zona waktu tidak terbaca", "unreadable time zone", text, _DATETIME_FORMATS
                        )
                    zone = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
            if hour == 24 and minute == 0 and second == 0:  # "24:00" = end of the day
                return dt.datetime(day.year, day.month, day.day, tzinfo=zone) + dt.timedelta(days=1)
            try:
                return dt.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=zone)
            except ValueError:
                raise ParseError(
                    "jam tidak ada", "impossible time of day", text, _DATETIME_FORMATS
                ) from None
    raise ParseError("tanggal-waktu tidak terbaca", "unreadable date-time", text, _DATETIME_FORMATS)


_PARTIAL_FORMATS = "2021, Januari 2021, 01/2021 (tanggal tidak lengkap / a partial date)"
_MONTH_YEAR = re.compile(r"(?:bulan\s+|bln\.?\s+)?([a-z]+)\.?\s*[\-/ ]\s*((?:19|20)\d{2})")
_NUM_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/\-.]\s*((?:19|20)\d{2})")
_YEAR_ONLY = re.compile(r"(?:tahun\s+|thn\.?\s+|th\.?\s+)?((?:19|20)\d{2})")


def parse_partial_date(s: Any) -> tuple[dt.date, dt.date, str]:
    """Read a date of which only the month or the year is known: ``(first day, last day, precision)``.

    ``2021`` → 1 Jan 2021, 31 Dec 2021, ``"tahun"``; ``Januari 2021`` and ``01/2021`` → 1 Jan,
    31 Jan 2021, ``"bulan"``; a whole date → that day twice, ``"hari"``. A whole number from a
    spreadsheet cell (2021) is a year. National catalogues publish a standard's adoption this way
    ("SK Nomor 7 Tahun 2020"); which end of the period a rule uses is the rule's choice.
    """
    import calendar

    if isinstance(s, int) and not isinstance(s, bool) and 1900 <= s <= 2100:
        return dt.date(s, 1, 1), dt.date(s, 12, 31), "tahun"
    if isinstance(s, float) and s.is_integer() and 1900 <= s <= 2100:
        return parse_partial_date(int(s))
    if isinstance(s, (dt.date, dt.datetime)):
        day = parse_date(s)
        return day, day, "hari"
    text = _text(s, "tanggal", "date", _PARTIAL_FORMATS)
    low = text.lower().strip(" .")
    try:
        day = parse_date(text)
    except ParseError:
        pass
    else:
        return day, day, "hari"
    m = _MONTH_YEAR.fullmatch(low)
    month = _MONTHS.get(m[1]) if m else None
    year = int(m[2]) if m else 0
    if month is None:
        n = _NUM_MONTH_YEAR.fullmatch(low)
        if n and 1 <= int(n[1]) <= 12:
            month, year = int(n[1]), int(n[2])
    if month is not None:
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, 1), dt.date(year, month, last), "bulan"
    y = _YEAR_ONLY.fullmatch(low)
    if y:
        year = int(y[1])
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "tahun"
    raise ParseError("tanggal tidak terbaca", "unreadable date", text, _DATE_FORMATS + "; " + _PARTIAL_FORMATS)
