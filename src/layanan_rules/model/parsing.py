"""Indonesian values as people really write them: pure functions, no I/O.

The core converter calls these when a string arrives where the model wants a date, a number, a
duration, a fee, a yes/no or a list; every adapter gets the same reading. Each function either
returns a value or raises :class:`ParseError` with a bilingual message that says what was
expected. Nothing else is ever raised (a property test holds that), so a caller can turn a
:class:`ParseError` into a data-quality finding that names the cell.

Readings, in short:

* dates are **day-first** (``7/1/2015`` is 7 January): Indonesian registers, LAPOR! exports and
  Excel with an Indonesian locale all write them so. ISO ``2024-01-09`` is accepted too.
* numbers use the Indonesian separators: ``1.234.567`` is an integer, ``1.234,5`` a decimal.
  A lone ``1.5`` (a dot followed by anything but three digits) is read as a decimal point.
* naive times are Western Indonesian Time (``Asia/Jakarta``); ``WIB``/``WITA``/``WIT`` suffixes
  are honoured.
* counts may carry their words and what they count: ``4 (empat) orang``, ``empat orang``; the
  digits win when the words disagree (:func:`read_number` says so).
* a date of which only the month or year is known (``Januari 2021``, ``2021``) is a partial date
  (:func:`parse_partial_date`), with its precision.
* a completion time, a fee or a list of requirements may hold several cases (``Umum: Rp 50.000;
  Peserta BPJS: ditanggung penjamin``); each case keeps its label, and text that is neither a
  value, a label nor a word that adds nothing is kept as ``tak_terbaca`` with a note in
  ``catatan``: a cell is never silently cut to its first value.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import unicodedata
from typing import Any, NamedTuple

try:  # tzdata may be missing on a bare system; Asia/Jakarta has been UTC+7 since 1964
    from zoneinfo import ZoneInfo

    WIB: dt.tzinfo = ZoneInfo("Asia/Jakarta")
except (ImportError, LookupError, OSError):  # pragma: no cover - no tz database on the machine
    WIB = dt.timezone(dt.timedelta(hours=7), "WIB")

WITA: dt.tzinfo = dt.timezone(dt.timedelta(hours=8), "WITA")
WIT: dt.tzinfo = dt.timezone(dt.timedelta(hours=9), "WIT")

__all__ = [
    "WIB",
    "WIT",
    "WITA",
    "ParseError",
    "parse_biaya",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_jangka_waktu",
    "parse_list",
    "parse_number",
    "parse_partial_date",
    "parse_peraturan",
    "parse_peraturan_list",
    "parse_persyaratan",
    "parse_rupiah",
    "read_number",
    "unsur_maklumat",
    "unsur_peserta",
    "words_to_number",
]

#: Longest string a parser looks at; a cell longer than this is certainly not a date or a number.
_MAX_LEN = 10_000


class ParseError(ValueError):
    """A value could not be read. ``str(err)`` is bilingual: Indonesian first, then English.

    ``value`` is the text that failed, ``expected`` a short bilingual hint of what would work.
    """

    def __init__(self, message_id: str, message_en: str, value: Any, expected: str = "") -> None:
        shown = _shorten(value)
        hint_id = f" (format: {expected})" if expected else ""
        super().__init__(f"{message_id}: {shown}{hint_id} / {message_en}: {shown}")
        self.value = value
        self.expected = expected


def _shorten(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "…'"


def _text(value: Any, what_id: str, what_en: str, expected: str) -> str:
    """The stripped, NFKC-normalised text of a value, or a ParseError for non-text or empty."""
    if not isinstance(value, str):
        raise ParseError(f"{what_id} bukan teks", f"{what_en} is not text", value, expected)
    if value.isascii():  # NFKC changes no ASCII text: skip it (the common case, and costly)
        s = value.strip()
    else:
        s = unicodedata.normalize("NFKC", value).replace("\u00a0", " ").strip()
    if not s:
        raise ParseError(f"{what_id} kosong", f"{what_en} is empty", value, expected)
    if len(s) > _MAX_LEN:
        raise ParseError(f"{what_id} terlalu panjang", f"{what_en} is too long", value, expected)
    return s


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


#: "26 Agustus 2024" and "Senin, 26 Agustus 2024", the word dates people write most, read in one match
#: (a weekday that is no weekday, a month name that is no month or an impossible day: the general path)
_FAST_WORD_DATE = re.compile(r"(?:([A-Za-z']+)\s*,?\s+)?(\d{1,2}) ([A-Za-z]+)\.? (\d{4})")
_WEEKDAY_WORDS = frozenset(_WEEKDAYS[3:-1].split("|"))


def _fast_word_date(text: str) -> tuple[int, int, int] | None:
    """``text`` (stripped) as (year, month, day) when it is ``[Weekday, ]d Month yyyy`` of a day
    that exists, else None."""
    m = _FAST_WORD_DATE.fullmatch(text)
    if m is None:
        return None
    weekday, day, name, year = m.groups()
    month = _MONTHS.get(name.lower())
    if month is None or (weekday is not None and weekday.lower() not in _WEEKDAY_WORDS):
        return None
    y, d = int(year), int(day)
    if y < 1 or d < 1 or (d > 28 and d > calendar.monthrange(y, month)[1]):
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
    fast = _fast_word_date(text) if text[-1:].isdigit() and not text[:4].isdigit() else None
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
    m = _FAST_DATETIME.fullmatch(text)
    if m:
        d, mo, y, hh, mm, ss = m.groups()
        try:
            if hh is None:
                return dt.datetime(int(y), int(mo), int(d), 0, 0, 0, 0, tz)
            return dt.datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss) if ss else 0, 0, tz)
        except ValueError:
            pass  # 31/02/2024, 24:00: the general path below says what is wrong, or reads it
    elif text[-1:].isdigit():
        ymd = _fast_word_date(text)
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


# --- numbers and money -------------------------------------------------------------------------

_NUMBER_FORMATS = "1.234.567 atau 1.234,5 / 1.234.567 or 1.234,5"
_NUM = re.compile(r"[+\-]?\d[\d.,]*")


def _number(text: str, original: str, expected: str = _NUMBER_FORMATS) -> int | float:
    t = text.replace(" ", "").replace("\u2212", "-")
    if not re.fullmatch(r"[+\-]?(?:\d[\d.,]*|[.,]\d+)", t):
        raise ParseError("angka tidak terbaca", "unreadable number", original, expected)
    sign = -1 if t.startswith("-") else 1
    t = t.lstrip("+-")
    dots, commas = t.count("."), t.count(",")

    def grouped(body: str, sep: str) -> bool:
        parts = body.split(sep)
        return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])

    integer: str
    fraction = ""
    if dots and commas:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        thou = "." if dec == "," else ","
        if t.count(dec) > 1:
            raise ParseError("angka tidak terbaca", "unreadable number", original, expected)
        integer, fraction = t.split(dec)
        if not grouped(integer, thou):
            raise ParseError("angka tidak terbaca", "unreadable number", original, expected)
        integer = integer.replace(thou, "")
    elif dots:
        if dots > 1 or (grouped(t, ".") and not t.startswith("0.")):
            if not grouped(t, "."):
                raise ParseError("angka tidak terbaca", "unreadable number", original, expected)
            integer = t.replace(".", "")  # 1.234.567: Indonesian thousands
        else:
            integer, fraction = t.split(".")  # 1.5: a decimal point
    elif commas:
        if commas > 1:
            if not grouped(t, ","):
                raise ParseError("angka tidak terbaca", "unreadable number", original, expected)
            integer = t.replace(",", "")  # 1,234,567: English thousands
        else:
            integer, fraction = t.split(",")  # 1,5 and 1,234: Indonesian decimal comma
    else:
        integer = t
    if fraction and not fraction.isdigit():
        raise ParseError("angka tidak terbaca", "unreadable number", original, expected)
    integer = integer or "0"
    if not integer.isdigit():
        raise ParseError("angka tidak terbaca", "unreadable number", original, expected)
    if fraction:
        return sign * float(f"{integer}.{fraction}")
    return sign * int(integer)


def parse_number(s: Any) -> int | float:
    """Read a number written the Indonesian way: ``1.234.567`` → 1234567, ``1.234,5`` → 1234.5.

    An ``int`` or ``float`` passes through (a whole float stays a float). A trailing ``%`` is
    allowed and dropped (``85%`` → 85). No decimal part written gives an ``int``. Counts are
    read as written in standards: ``4 (empat) orang`` → 4, ``empat orang`` → 4, ``dua puluh
    lima`` → 25 (words up to ``ribu``); a few words naming what is counted may follow. Where the
    digits and the words disagree the digits win; :func:`read_number` also says so.
    """
    return read_number(s)[0]


#: Number words: digits, and the words that stand for a whole number on their own.
_DIGIT_WORDS = {"nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
                "delapan": 8, "sembilan": 9}
_NUMBER_WORDS = frozenset(_DIGIT_WORDS) | {"sepuluh", "sebelas", "seratus", "seribu", "belas", "puluh", "ratus",
                                           "ribu"}
#: Words after a count that name what is counted may not be these (they change the number or add one).
_NOT_A_NOUN = frozenset({"dan", "atau", "sampai", "hingga", "s", "d", "sd", "ribu", "rb", "juta", "jt", "miliar",
                         "milyar", "kali", "x", "koma", "per", "lebih", "kurang", "tidak", "belum"}) | _NUMBER_WORDS
_COUNT = re.compile(r"(?P<num>[+\-]?\d[\d.,]*)\s*(?P<pct>%)?\s*(?:\((?P<words>[^()]*)\))?(?:\s+(?P<tail>[^\d]*))?")


def words_to_number(words: Any) -> int | None:
    """Indonesian number words to a whole number, or None: ``tiga`` 3, ``dua belas`` 12,
    ``dua puluh lima`` 25, ``seratus dua puluh`` 120, ``dua ribu lima ratus`` 2500."""
    if isinstance(words, str):
        words = words.lower().replace("-", " ").split()
    total = seg = cur = 0
    seen = False
    for w in words:
        if w in _DIGIT_WORDS:
            if cur % 10:
                return None  # "dua tiga"
            cur += _DIGIT_WORDS[w]
        elif w in ("sepuluh", "sebelas"):
            if cur:
                return None
            cur = 10 if w == "sepuluh" else 11
        elif w in ("belas", "puluh"):
            if not 1 <= cur <= 9:
                return None
            cur = cur + 10 if w == "belas" else cur * 10
        elif w == "seratus" or w == "ratus":
            if seg or (w == "seratus" and cur) or (w == "ratus" and not 1 <= cur <= 9):
                return None
            seg, cur = (100 if w == "seratus" else cur * 100), 0
        elif w == "seribu" or w == "ribu":
            n = seg + cur
            if total or (w == "seribu" and n) or (w == "ribu" and not n):
                return None
            total, seg, cur = (1000 if w == "seribu" else n * 1000), 0, 0
        else:
            return None
        seen = True
    return total + seg + cur if seen else None


def _noun_tail(tail: str) -> bool:
    """Up to three words naming what is counted (``orang``, ``petugas loket``), or nothing."""
    words = re.findall(r"[a-z]+", tail)
    if re.sub(r"[a-z\s.]", "", tail):  # anything but words and spaces: not a plain noun
        return False
    return len(words) <= 3 and not any(w in _NOT_A_NOUN or len(w) < 2 for w in words)


def read_number(s: Any) -> tuple[int | float, str | None]:
    """:func:`parse_number`, and a bilingual note when the digits and the words in brackets
    disagree (``4 (lima) orang`` → 4, "... digits used"); the note is None otherwise."""
    if isinstance(s, bool):
        raise ParseError("angka tidak terbaca", "unreadable number", s, _NUMBER_FORMATS)
    if isinstance(s, int):
        return s, None
    if isinstance(s, float):
        if math.isfinite(s):
            return s, None
        raise ParseError("angka tidak terbaca", "unreadable number", s, _NUMBER_FORMATS)
    text = _text(s, "angka", "number", _NUMBER_FORMATS)
    body = text[:-1].strip() if text.endswith("%") else text
    try:
        return _number(body, text), None
    except ParseError:
        if not re.search(r"[a-zA-Z(]", text):
            raise
    low = re.sub(r"\s+", " ", text.lower().replace("\u2212", "-"))
    m = _COUNT.fullmatch(low)
    if m:
        value = _number(m["num"], text)
        tail = (m["tail"] or "").strip()
        if m["pct"] and (m["words"] or tail):
            raise ParseError("angka tidak terbaca", "unreadable number", text, _NUMBER_FORMATS)
        if not _noun_tail(tail):
            raise ParseError("angka tidak terbaca", "unreadable number", text, _NUMBER_FORMATS)
        if m["words"] is None:
            return value, None
        said = words_to_number(m["words"])
        if said is None:
            raise ParseError("angka tidak terbaca", "unreadable number", text, _NUMBER_FORMATS)
        if said != value:
            return value, (f"angka {_fmt_num(value)} dan kata '{m['words'].strip()}' ({said}) tidak sama; angka "
                           f"dipakai / the digits {_fmt_num(value)} and the words '{m['words'].strip()}' ({said}) "
                           "disagree; the digits are used")
        return value, None
    words = re.findall(r"[a-z]+", low)
    n = 0
    while n < len(words) and words[n] in _NUMBER_WORDS:
        n += 1
    number = words_to_number(words[:n]) if n else None
    if number is None or re.search(r"[^a-z\s.\-]", low) or not _noun_tail(" ".join(words[n:])):
        raise ParseError("angka tidak terbaca", "unreadable number", text, _NUMBER_FORMATS)
    return number, None


def _fmt_num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


_RUPIAH_FORMATS = "Rp 10.000,- atau 10000 / Rp 10.000,- or 10000"
_MULTIPLIERS = {
    "ribu": 1_000, "rb": 1_000, "k": 1_000,
    "juta": 1_000_000, "jt": 1_000_000,
    "miliar": 1_000_000_000, "milyar": 1_000_000_000, "m": 1_000_000_000,
}
_RUPIAH = re.compile(
    r"(?:rp\.?|idr)?\s*(\d[\d.,\s]*?)\s*(?:,-|\.-|,00|-)?\s*"
    r"(ribu|rb|k|juta|jt|miliar|milyar)?\.?\s*(?:rupiah)?\s*(?:,-|\.-)?"
)


def parse_rupiah(s: Any) -> int:
    """Read an amount of Rupiah: ``Rp 10.000,-``, ``Rp.20.000``, ``Rp 0,-``, ``10000``, ``1,5 juta``.

    Returns whole Rupiah. A negative amount or a fraction of a Rupiah raises :class:`ParseError`.
    """
    if isinstance(s, bool):
        raise ParseError("jumlah rupiah tidak terbaca", "unreadable Rupiah amount", s, _RUPIAH_FORMATS)
    if isinstance(s, int):
        if s < 0:
            raise ParseError("jumlah rupiah negatif", "negative Rupiah amount", s, _RUPIAH_FORMATS)
        return s
    if isinstance(s, float):
        if math.isfinite(s) and s >= 0 and s == int(s):
            return int(s)
        raise ParseError("jumlah rupiah tidak terbaca", "unreadable Rupiah amount", s, _RUPIAH_FORMATS)
    text = _text(s, "jumlah rupiah", "Rupiah amount", _RUPIAH_FORMATS)
    m = _RUPIAH.fullmatch(text.lower())
    if not m:
        raise ParseError("jumlah rupiah tidak terbaca", "unreadable Rupiah amount", text, _RUPIAH_FORMATS)
    try:
        value = _number(m[1].strip(), text, _RUPIAH_FORMATS)
    except ParseError:
        raise ParseError(
            "jumlah rupiah tidak terbaca", "unreadable Rupiah amount", text, _RUPIAH_FORMATS
        ) from None
    if m[2]:
        value = value * _MULTIPLIERS[m[2]]
    if value < 0 or value != int(value):
        raise ParseError(
            "jumlah rupiah harus bilangan bulat ≥ 0", "Rupiah amount must be a whole number ≥ 0", text,
            _RUPIAH_FORMATS,
        )
    return int(value)


# --- cells that hold several cases -------------------------------------------------------------
#
# A published standard often gives a component per case: a completion time for each group of
# applicants, a fee for the general public and "ditanggung penjamin" for the insured, an
# extension ("dapat diperpanjang 7 hari kerja"). A cell is read in two steps: first every value
# in it is found (its span: a duration, an amount, "gratis", a regulation); then the text around
# the values is read as the cases' labels ("untuk ...", "bagi ...", "Label :", a bullet), or as
# words that add nothing ("paling lama", "sejak berkas lengkap", "per lembar"). Text that is
# neither is kept as ``tak_terbaca`` with a note: a cell is never silently cut to its first value.


class _Hit(NamedTuple):
    """A value found in a cell: its span in the text, what it is, and what it says."""

    start: int
    end: int
    kind: str  # "nilai" (a value), "perpanjangan" (an extension), "dasar" (a regulation)
    value: dict[str, Any]


#: Words around values that say nothing a rule needs (matched case-insensitively, whole words).
_FILLER = re.compile(
    r"(?<![a-z0-9])(?:"
    r"paling\s+(?:lama|lambat|cepat)|maksimal|maksimum|maks|minimal|selambat[\s\-]*lambatnya|"
    r"kurang\s+lebih|lebih\s+kurang|sekitar|estimasi|perkiraan|"
    r"(?:dan\s+)?(?:dapat|bisa)\s+diperpanjang(?:\s+(?:paling\s+lama|maksimal|selama|untuk))?|diperpanjang|"
    r"(?:jangka\s+)?waktu(?:\s+(?:pelayanan|penyelesaian|proses|layanan))?|lama\s+(?:proses|penyelesaian|pelayanan)|"
    r"biaya(?:\s*/\s*tarif)?(?:\s+(?:pelayanan|layanan))?|tarif|"
    r"(?:terhitung\s+)?(?:sejak|setelah|sesudah|dari|semenjak)\s+(?:berkas|persyaratan|permohonan|dokumen|"
    r"pendaftaran|pembayaran|data|pengajuan)(?:\s+(?:pemohon|diterima|dinyatakan|sudah|telah|secara|lengkap|dan|"
    r"benar|terverifikasi|diverifikasi|masuk|valid|memenuhi|syarat|dengan))*|"
    r"selesai|diproses|dilayani|diterbitkan|"
    r"(?:apabila|jika|bila|bilamana)\s+(?:berkas|persyaratan|dokumen|data)(?:\s+(?:sudah|telah|dinyatakan))?"
    r"\s+(?:lengkap|benar|valid)(?:\s+dan\s+(?:benar|valid))?|"
    r"(?:per|setiap|tiap)\s+[a-z]+|/\s*[a-z]+|perbulan|pertahun|perorang|perlembar"
    r")(?![a-z])",
    re.IGNORECASE,
)
_EDGE = re.compile(r"^[\s,;:.\-–—•*·▪●◦‣>=()\[\]/|&]+|[\s,;:.\-–—•*·▪●◦‣>=(\[/|&]+$")
_MARK = re.compile(r"^(?:(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)]|\(\s*(?:\d{1,2}|[a-zA-Z])\s*\))\s+")
_CONNECT_HEAD = re.compile(
    r"^(?:dan|serta|atau|yaitu|yakni|adalah|untuk|bagi|khusus(?:\s+untuk)?|pada|di|dalam(?:\s+hal)?|dengan|"
    r"sesuai(?:\s+dengan)?|berdasarkan|yang|apabila|jika|sedangkan|namun)(?![a-z])\s*",
    re.IGNORECASE,
)
_CONNECT_TAIL = re.compile(r"\s*(?<![a-z])(?:dan|serta|atau|yaitu|sesuai(?:\s+dengan)?|berdasarkan|sedangkan)$",
                           re.IGNORECASE)
_CLAUSE = re.compile(r"[;\n]|,(?!\d)")


def _clean(text: str) -> str:
    """What is left of a stretch of text once fillers, separators, bullets and joining words
    are taken off; empty when it said nothing."""
    t = _FILLER.sub(" ", text)
    t = re.sub(r"\(\s*\)", " ", t)
    while True:
        before = t
        t = _EDGE.sub("", t)
        t = _MARK.sub("", t)
        t = _CONNECT_HEAD.sub("", t)
        t = _CONNECT_TAIL.sub("", t)
        if t.count("(") != t.count(")"):  # a bracket left open by a value taken out of it
            t = t.replace("(", " ").replace(")", " ")
        t = t.strip()
        if t == before:
            break
    return re.sub(r"\s+", " ", t)


def _label(text: str) -> str | None:
    """A case's label as written (``Pemohon WNA``), or None when the text names no case."""
    t = _clean(text)
    t = t.strip("()[] ")
    return t or None


def _group(text: str, hits: list[_Hit], merge: Any) -> list[list[_Hit]]:
    """Hits into cases: an extension joins the value before it; a regulation joins the value
    before it in the same clause; two values merge when ``merge(a, b)`` says they are one."""
    groups: list[list[_Hit]] = []
    for hit in hits:
        if groups:
            current = groups[-1]
            gap = text[current[-1].end:hit.start]
            values = [h for h in current if h.kind == "nilai"]
            if hit.kind == "perpanjangan" and values:
                current.append(hit)
                continue
            if hit.kind == "dasar" and not any(h.kind == "dasar" for h in current) and not re.search(r"[;:\n]", gap):
                current.append(hit)
                continue
            if hit.kind == "nilai" and not values and not re.search(r"[;:\n]", gap) and current[0].kind == "dasar":
                current.append(hit)  # "sesuai Perda No 3/2020 Rp 10.000"
                continue
            if hit.kind == "nilai" and values and not _clean(gap) and merge(values[-1], hit):
                current.append(hit)
                continue
        groups.append([hit])
    return groups


def _read_cases(text: str, hits: list[_Hit], merge: Any) -> tuple[list[tuple[str | None, list[_Hit]]], list[str]]:
    """Group the hits of a cell into cases and read each case's label; return the cases and the
    pieces of text that were neither a value, a label nor a filler (the part not read)."""
    groups = _group(text, hits, merge)
    unread: list[str] = []

    def gap(a: int, b: int) -> str:  # the text between two positions
        return text[a:b]

    first, last = groups[0][0].start, groups[-1][-1].end
    labels: list[str | None] = [None] * len(groups)
    inner = [" ".join(gap(g[i].end, g[i + 1].start) for i in range(len(g) - 1)) for g in groups]
    if len(groups) == 1:
        before, after = gap(0, first), gap(last, len(text))
        label = None
        if re.search(r":\s*$", before) or re.match(r"\s*(?:\d{1,2}[.)]\s*)?(?:untuk|bagi|khusus)\b", before, re.IGNORECASE):
            label, before = _label(before), ""
        elif re.match(r"[\s,;(]*(?:untuk|bagi|khusus)\b", after, re.IGNORECASE):
            clause = _CLAUSE.split(after.lstrip(" ,;("), maxsplit=1)
            label, after = _label(clause[0]), (clause[1] if len(clause) > 1 else "")
        labels[0] = label
        for piece in (before, inner[0], after):
            if _clean(piece):
                unread.append(_clean(piece))
        return [(labels[0], groups[0])], unread
    precede = bool(_clean(gap(0, first)))
    pending: str | None = None  # follow order, then "Label:" before the next value: that value's label
    for i, g in enumerate(groups):
        if precede:
            outer = gap(groups[i - 1][-1].end if i else 0, g[0].start)
            parts = re.split(r"[;\n]", outer)
            if len(parts) == 1 and i:
                parts = _CLAUSE.split(outer)
            head, label_text = " ".join(parts[:-1]), parts[-1]
            if _clean(head):  # the tail of the case before, or text before the first label
                unread.append(_clean(head))
            labels[i] = _label(label_text)
        else:
            nxt = groups[i + 1][0].start if i + 1 < len(groups) else len(text)
            outer = gap(g[-1].end, nxt)
            stripped = outer.lstrip(" ,;(")
            parts = _CLAUSE.split(stripped, maxsplit=1) if re.match(r"(?:untuk|bagi|khusus)\b", stripped, re.IGNORECASE) or \
                i + 1 < len(groups) else [stripped]
            labels[i] = _label(parts[0]) or pending
            pending = None
            if len(parts) > 1 and _clean(parts[1]):
                rest = parts[1].rsplit(":", 1)[0] if ":" in parts[1] and not _clean(parts[1].rsplit(":", 1)[1]) \
                    else parts[1]
                if i + 1 < len(groups) and not _follow_label(text, groups, i + 1):
                    pending = _label(rest)
                else:
                    unread.append(_clean(parts[1]))
        own = _clean(inner[i])  # text between a case's own values: in follow order, more of its label
        if own:
            labels[i] = f"{labels[i]} {own}" if labels[i] and not precede else (labels[i] or own)
    if precede and _clean(gap(last, len(text))):
        unread.append(_clean(gap(last, len(text))))
    return list(zip(labels, groups, strict=True)), unread


def _follow_label(text: str, groups: list[list[_Hit]], i: int) -> bool:
    """Does case ``i`` name itself after its value ("... 3 hari kerja untuk loket")?"""
    nxt = groups[i + 1][0].start if i + 1 < len(groups) else len(text)
    after = text[groups[i][-1].end:nxt].lstrip(" ,;(")
    return bool(re.match(r"(?:untuk|bagi|khusus)\b", after, re.IGNORECASE)) or (i + 1 == len(groups) and bool(_clean(after)))


def _unread_note(unread: list[str]) -> str:
    shown = " … ".join(repr(u) for u in unread)
    return f"bagian tidak terbaca: {shown} / part not read: {shown}"


def _words_note(digits: str, words: str, said: int | None) -> str | None:
    """A note when the number in words (``(empat)``) is not the number in digits."""
    value = _number(digits, digits)
    if said is None:
        return (f"kata dalam kurung '{words}' bukan angka / the words in brackets '{words}' are not a number")
    if said != value:
        return (f"angka {digits} dan kata '{words}' ({said}) tidak sama; angka dipakai / the digits {digits} and the "
                f"words '{words}' ({said}) disagree; the digits are used")
    return None


# --- fees --------------------------------------------------------------------------------------

_BIAYA_FORMATS = ("Gratis, Tidak dipungut biaya, Rp 10.000,-, sesuai Perda No. 5 Tahun 2019, Umum: Rp 10.000; "
                  "Peserta BPJS: ditanggung penjamin")
_FREE_ANY = re.compile(
    r"(?<![a-z])(?:gratis|free|nihil|bebas\s+(?:biaya|pungutan)|tanpa\s+(?:biaya|pungutan)|"
    r"tidak\s+ada\s+(?:biaya|pungutan)|tidak\s+berbayar|"
    r"(?:tidak|tanpa)\s+(?:di\s*pungut|di\s*kenakan|di\s*pungutan|ada\s+pungutan|dipungut|dikenakan)"
    r"(?:\s+(?:biaya|tarif|retribusi|pungutan))?|"
    r"(?:di)?tanggung\s+(?:oleh\s+)?(?:pihak\s+)?(?:penjamin|bpjs(?:\s+kesehatan)?|asuransi|jkn|jaminan\s+kesehatan|"
    r"pemerintah(?:\s+daerah)?|pemda|negara|apbd|apbn)|"
    r"dibebankan\s+(?:kepada|pada|ke)\s+(?:negara|apbd|apbn|pemerintah(?:\s+daerah)?|pemda|penjamin)|"
    r"(?:rp\.?|idr)\s*0(?:\s*(?:,-|,00|\.-))?(?![\d.,]*\d))(?![a-z])",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"(?:rp\.?|idr)\s*\d+(?:[.,]\d+)*(?:\s*(?:,-|\.-|,00))?(?:\s*(?:ribu|rb|juta|jt|miliar|milyar)(?![a-z]))?"
    r"|\d+(?:[.,]\d+)*\s*(?:ribu|rb|juta|jt|miliar|milyar)?\s*rupiah",
    re.IGNORECASE,
)
_MONEY_WORDS = re.compile(r"(?:\s*(?:/|per\s)\s*[a-z]+)?\s*\(\s*([a-z][a-z\s]*?)(?:\s+rupiah)?\s*\)", re.IGNORECASE)
_RANGE_GAP = re.compile(r"\s*(?:-|–|s\.?\s*d\.?|sampai(?:\s+dengan)?|hingga)\s*", re.IGNORECASE)
_CHARGED_ANY = re.compile(
    r"(?<![a-z])(?:dikenakan\s+(?:biaya|tarif|retribusi)|dipungut\s+(?:biaya|retribusi)|berbayar|pnbp|"
    r"(?:tarif\s+)?retribusi|bayar)(?![a-z])",
    re.IGNORECASE,
)
#: kept for callers that only ask whether a text speaks of a charge
_CHARGED = re.compile(
    r"biaya|tarif|retribusi|pnbp|bayar|pungut|sesuai|perda|peraturan|usd|\$|rp|iuran|sewa|harga"
)
_COMMON_BASIS = re.compile(r"^(?:dasar(?:\s+hukum)?|sesuai|berdasarkan|ketentuan|keterangan|catatan)?$", re.IGNORECASE)


def _citation_end(text: str, start: int, stop: int) -> int:
    """Where a regulation cited at ``start`` ends: after its year (``Tahun 2019``, ``/2019``),
    else after its number, else at the end of the clause."""
    window = text[start:stop]
    year = re.search(r"(?:tahun|thn|th)\.?\s*(?:19|20)\d{2}(?!\d)|/\s*(?:19|20)\d{2}(?!\d)", window, re.IGNORECASE)
    if year:
        title = re.match(r"\s+tentang\s[^;\n]*", window[year.end():], re.IGNORECASE)  # "... Tahun 2011 tentang Retribusi"
        return start + year.end() + (len(title.group(0).rstrip(" .,")) if title else 0)
    number = re.search(r"n(?:omor|o|mr)\.?\s*[:.]?\s*[0-9][0-9a-z./\-]*", window, re.IGNORECASE)
    clause = re.search(r"[;:\n,]|\s(?:untuk|bagi)\s", window, re.IGNORECASE)
    end = clause.start() if clause else len(window)
    if number and number.end() <= end:
        return start + number.end()
    return start + len(window[:end].rstrip(" .)"))


def _fee_hits(text: str) -> tuple[list[_Hit], list[str]]:
    hits: list[_Hit] = []
    notes: list[str] = []
    for m in _FREE_ANY.finditer(text):
        hits.append(_Hit(m.start(), m.end(), "nilai", {"gratis": True, "jumlah": 0}))
    for m in _MONEY.finditer(text):
        try:
            amount = parse_rupiah(m.group(0))
        except ParseError:
            continue
        end = m.end()
        words = _MONEY_WORDS.match(text, end)
        if words and (said := words_to_number(words[1])) is not None:
            end = words.end()
            if said != amount:
                notes.append(f"Rp {amount} dan kata '{words[1]}' ({said}) tidak sama; angka dipakai / the amount "
                             f"{amount} and the words '{words[1]}' ({said}) disagree; the digits are used")
        hits.append(_Hit(m.start(), end, "nilai", {"gratis": amount == 0, "jumlah": amount}))
    hits.sort(key=lambda h: h.start)
    ranged: list[_Hit] = []
    for hit in hits:  # "Rp 50.000 - Rp 150.000": one fee, read (like a time) at its upper end
        prev = ranged[-1] if ranged else None
        if (prev is not None and prev.value["jumlah"] and hit.value["jumlah"]
                and _RANGE_GAP.fullmatch(text, prev.end, hit.start)):
            ranged[-1] = _Hit(prev.start, hit.end, "nilai",
                              {"gratis": False, "jumlah": max(prev.value["jumlah"], hit.value["jumlah"])})
        else:
            ranged.append(hit)
    hits = ranged
    for m in _CHARGED_ANY.finditer(text):
        hits.append(_Hit(m.start(), m.end(), "nilai", {"gratis": False, "jumlah": None}))
    for m in _REGULATION_START.finditer(text):
        end = _citation_end(text, m.start(), len(text))
        hits.append(_Hit(m.start(), end, "dasar", {"dasar_hukum": text[m.start():end].strip().rstrip(".;,")}))
    return _no_overlap(hits), notes


def _no_overlap(hits: list[_Hit]) -> list[_Hit]:
    """Leftmost first; at one place the longest; a hit inside an earlier one is dropped."""
    out: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if out and hit.start < out[-1].end:
            continue
        out.append(hit)
    return out


def _fee_case(text: str, label: str | None, group: list[_Hit]) -> dict[str, Any]:
    values = [h.value for h in group if h.kind == "nilai"]
    amounts = [v["jumlah"] for v in values if v["jumlah"] not in (None, 0)]
    charged = any(v["gratis"] is False for v in values)
    case: dict[str, Any]
    if amounts:
        case = {"gratis": False, "jumlah": max(amounts)}
    elif values and not charged or values and all(v["jumlah"] == 0 for v in values if v["gratis"] is False) and any(
            v["jumlah"] == 0 for v in values):
        case = {"gratis": True, "jumlah": 0}
    else:
        case = {"gratis": False, "jumlah": None}
    basis = next((h.value["dasar_hukum"] for h in group if h.kind == "dasar"), None)
    if basis:
        case["dasar_hukum"] = basis
    case["teks"] = text[group[0].start:group[-1].end].strip()
    if label:
        case["untuk"] = label
    return case


def parse_biaya(s: Any) -> dict[str, Any]:
    """Read a fee (Pasal 21 huruf e): free, an amount, or a fee set by a named regulation, for
    one case or several.

    Returns ``{"gratis": bool, "jumlah": int | None, "teks": s}`` plus ``"dasar_hukum"`` when a
    regulation is named (``sesuai Perda No. 5 Tahun 2019``). ``Gratis``, ``Tidak dipungut biaya``,
    ``ditanggung penjamin`` and ``Rp 0,-`` are free; ``Rp 10.000,-`` is 10000; ``Sesuai Perda``,
    a formula or a foreign currency is charged with no Rupiah amount (``jumlah`` None).

    A fee that differs by case (``Umum: Rp 50.000; Peserta BPJS: ditanggung penjamin``,
    ``Gratis untuk lansia, Rp 10.000 untuk umum``) gives ``"kasus"``: one dict per case with its
    label in ``"untuk"``; then ``gratis`` is true only if every case is free, ``jumlah`` is the
    highest amount (None if a charged case has none), and a regulation named for the whole cell
    is ``dasar_hukum`` of every case that names none of its own. Text that is none of these is
    kept in ``"tak_terbaca"`` and explained in ``"catatan"`` (bilingual notes).
    """
    if isinstance(s, bool) or not isinstance(s, (str, int, float)):
        raise ParseError("biaya tidak terbaca", "unreadable fee", s, _BIAYA_FORMATS)
    if not isinstance(s, str):
        amount = parse_rupiah(s)
        return {"gratis": amount == 0, "jumlah": amount, "teks": str(s)}
    text = _text(s, "biaya", "fee", _BIAYA_FORMATS)
    result: dict[str, Any] = {"gratis": False, "jumlah": None, "teks": s}
    try:
        amount = parse_rupiah(text)
    except ParseError:
        pass
    else:
        result.update(gratis=amount == 0, jumlah=amount)
        return result
    hits, notes = _fee_hits(text)
    if not hits:
        raise ParseError("biaya tidak terbaca", "unreadable fee", text, _BIAYA_FORMATS)
    cases, unread = _read_cases(text, hits, lambda a, b: a.value == b.value)
    common: str | None = None
    if len(cases) > 1:  # a regulation on its own, before or after the cases, is the whole cell's basis
        for i in (len(cases) - 1, 0):
            label, group = cases[i]
            if all(h.kind == "dasar" for h in group) and _COMMON_BASIS.match(label or ""):
                common = group[0].value["dasar_hukum"]
                cases.pop(i)
                break
    read = [_fee_case(text, label, group) for label, group in cases]
    if len(read) == 1:
        result.update({k: v for k, v in read[0].items() if k != "teks"})
    else:
        for case in read:
            if common and "dasar_hukum" not in case:
                case["dasar_hukum"] = common
        amounts = [c["jumlah"] for c in read]
        result["gratis"] = all(c["gratis"] for c in read)
        result["jumlah"] = None if any(a is None for a in amounts) else max(amounts)
        bases = {c.get("dasar_hukum") for c in read}
        if common or (len(bases) == 1 and None not in bases):
            result["dasar_hukum"] = common or bases.pop()
        result["kasus"] = read
        notes.extend(_label_notes([c.get("untuk") for c in read]))
    if unread:
        result["tak_terbaca"] = " … ".join(unread)
        notes.insert(0, _unread_note(unread))
    if notes:
        result["catatan"] = notes
    return result


def _label_notes(labels: list[str | None]) -> list[str]:
    """Several cases without a label cannot be told apart (one may be the general case)."""
    missing = [i + 1 for i, label in enumerate(labels) if label is None]
    if len(missing) > 1:
        which = ", ".join(str(i) for i in missing)
        return [(f"kasus ke-{which} tanpa label, tidak dapat dibedakan / cases {which} have no label and cannot be "
                "told apart")]
    return []


# --- durations ---------------------------------------------------------------------------------

_DURATION_FORMATS = ("3 (tiga) hari kerja, 14 hari kalender, 30 menit, 1 x 24 jam, Pemohon baru: 3 hari kerja; "
                     "Perpanjangan: 1 hari kerja, paling lama 14 hari kerja dapat diperpanjang 7 hari kerja")
_UNITS = {
    "menit": "menit", "mnt": "menit", "minute": "menit", "minutes": "menit", "min": "menit",
    "jam": "jam", "hour": "jam", "hours": "jam", "hrs": "jam",
    "hari": "hari", "hr": "hari", "day": "hari", "days": "hari", "hk": "hari",
    "minggu": "minggu", "pekan": "minggu", "week": "minggu", "weeks": "minggu", "mgg": "minggu",
    "bulan": "bulan", "bln": "bulan", "month": "bulan", "months": "bulan",
    "tahun": "tahun", "thn": "tahun", "year": "tahun", "years": "tahun",
}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_AMT = r"\d+(?:[.,]\d+)?"
_KIND = r"(?:\s+(?P<k>kerja|kalender|kalendar|efektif|working|calendar)(?![a-z]))?"
_DURATION = re.compile(
    rf"(?<![\w.,])(?P<a>{_AMT})(?:\s*\(\s*(?P<aw>[a-z][a-z\s\-]*?)\s*\))?"
    rf"(?:\s*(?:-|–|s\.?\s*d\.?|sampai(?:\s+dengan)?|hingga|sd)\s*(?P<b>{_AMT})"
    rf"(?:\s*\(\s*(?P<bw>[a-z][a-z\s\-]*?)\s*\))?)?"
    rf"(?:\s*[x×]\s*(?P<x>\d+))?\s*(?P<u>{_UNIT_RE})(?![a-z])\.?{_KIND}",
    re.IGNORECASE,
)
_NW = "nol|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|belas|puluh|ratus|ribu"
_DURATION_WORDS = re.compile(
    rf"(?<![a-z])(?:(?P<w>(?:{_NW})(?:\s+(?:{_NW}))*)\s+(?P<u>{_UNIT_RE})|se(?P<su>menit|jam|hari|minggu|pekan|bulan|tahun))"
    rf"(?![a-z])\.?{_KIND}",
    re.IGNORECASE,
)
_SAME_DAY = re.compile(r"(?<![a-z])(?:hari\s+(?:itu\s+juga|yang\s+sama)|same\s+day)(?![a-z])", re.IGNORECASE)
_EXTENSION = re.compile(r"diperpanjang\W*(?:\s*(?:paling\s+lama|maksimal|selama|untuk|lagi)\s*)*$", re.IGNORECASE)
_DAYS_OF = {"menit": 1 / 1440, "jam": 1 / 24, "hari": 1.0, "minggu": 7.0, "bulan": 30.0, "tahun": 365.0}


def _jenis(word: str | None, unit_word: str) -> str | None:
    if unit_word.lower() == "hk":
        return "kerja"
    if not word:
        return None
    return "kerja" if word.lower() in ("kerja", "efektif", "working") else "kalender"


def _duration_hits(text: str) -> tuple[list[_Hit], list[str]]:
    hits: list[_Hit] = []
    notes: list[str] = []
    for m in _DURATION.finditer(text):
        amount = float(_number(m["b"] or m["a"], text, _DURATION_FORMATS))
        for digits, words in ((m["a"], m["aw"]), (m["b"], m["bw"])):
            if digits and words:
                note = _words_note(digits, words, words_to_number(words))
                if note:
                    notes.append(note)
        if m["x"]:  # "1 x 24 jam"
            amount *= int(m["x"])
        value = {"jumlah": amount, "satuan": _UNITS[m["u"].lower()], "jenis_hari": _jenis(m["k"], m["u"])}
        hits.append(_Hit(m.start(), m.end(), "nilai", value))
    for m in _DURATION_WORDS.finditer(text):
        number: int | None
        if m["su"]:
            number, unit_word = 1, m["su"]
        else:
            number, unit_word = words_to_number(m["w"]), m["u"]
        if number is None:
            continue
        value = {"jumlah": float(number), "satuan": _UNITS[unit_word.lower()], "jenis_hari": _jenis(m["k"], unit_word)}
        hits.append(_Hit(m.start(), m.end(), "nilai", value))
    for m in _SAME_DAY.finditer(text):
        hits.append(_Hit(m.start(), m.end(), "nilai", {"jumlah": 1.0, "satuan": "hari", "jenis_hari": None}))
    hits = _no_overlap(hits)
    out: list[_Hit] = []
    for hit in hits:  # a value right after "dapat diperpanjang" extends the value before it
        before = text[out[-1].end if out else 0:hit.start]
        out.append(hit._replace(kind="perpanjangan") if out and _EXTENSION.search(before) else hit)
    return out, notes


def _duration_case(text: str, label: str | None, group: list[_Hit]) -> dict[str, Any]:
    main = next(h for h in group if h.kind == "nilai")
    case: dict[str, Any] = dict(main.value)
    case["teks"] = text[main.start:main.end].strip()
    ext = next((h for h in group if h.kind == "perpanjangan"), None)
    if ext is not None:
        case["perpanjangan"] = {**ext.value, "teks": text[ext.start:ext.end].strip()}
    if label:
        case["untuk"] = label
    return case


def duration_in_days(value: dict[str, Any]) -> float:
    """A rough length for comparing promises: working days count 7/5, months 30, years 365."""
    days = float(value["jumlah"]) * _DAYS_OF[value["satuan"]]
    return days * 7 / 5 if value.get("jenis_hari") == "kerja" else days


def parse_jangka_waktu(s: Any) -> dict[str, Any]:
    """Read a completion time (Pasal 21 huruf d), for one case or several.

    Returns ``{"jumlah": float, "satuan": "menit|jam|hari|minggu|bulan|tahun",
    "jenis_hari": "kerja" | "kalender" | None, "teks": s}``. ``Maksimal``/``Paling lama`` are
    read as the promised ceiling; a range (``3-5 hari``) gives its upper end; ``1 x 24 jam`` is 24
    hours; number words (``tiga hari kerja``, ``sehari``) are understood, and digits win over
    words in brackets that disagree (``3 (empat) hari``, noted in ``"catatan"``).

    ``dapat diperpanjang 7 hari kerja`` gives ``"perpanjangan"`` (the same keys). A time that
    differs by case (``Pemohon baru: 3 hari kerja; Perpanjangan: 1 hari kerja``, ``1 hari kerja
    untuk permohonan online dan 3 hari kerja untuk permohonan di loket``, ``Bagi WNI ...``, a
    bulleted list) gives ``"kasus"``, one dict per case with its label in ``"untuk"``; the top
    level then holds the longest case (the promise that holds for every case). Text that is
    none of these is kept in ``"tak_terbaca"`` and explained in ``"catatan"``.
    """
    if isinstance(s, bool) or not isinstance(s, str):
        raise ParseError("jangka waktu tidak terbaca", "unreadable duration", s, _DURATION_FORMATS)
    text = _text(s, "jangka waktu", "duration", _DURATION_FORMATS)
    hits, notes = _duration_hits(text)
    if not any(h.kind == "nilai" for h in hits):
        raise ParseError("jangka waktu tidak terbaca", "unreadable duration", text, _DURATION_FORMATS)
    cases, unread = _read_cases(text, hits, lambda a, b: False)
    read = [_duration_case(text, label, group) for label, group in cases]
    result: dict[str, Any]
    if len(read) == 1:
        result = {k: v for k, v in read[0].items() if k != "teks"}
    else:
        longest = max(read, key=duration_in_days)
        result = {k: longest[k] for k in ("jumlah", "satuan", "jenis_hari")}
        result["kasus"] = read
        notes.extend(_label_notes([c.get("untuk") for c in read]))
    result["teks"] = s
    if unread:
        result["tak_terbaca"] = " … ".join(unread)
        notes.insert(0, _unread_note(unread))
    if notes:
        result["catatan"] = notes
    return result


# --- yes / no ----------------------------------------------------------------------------------

_BOOL_FORMATS = "ya/tidak, ada/tidak ada, sudah/belum, 1/0, ✓"
_TRUE = {
    "ya", "y", "iya", "yes", "true", "benar", "betul", "ada", "sudah", "telah", "1", "✓", "✔", "☑",
    "√", "v", "x", "ok", "tersedia", "aktif", "berfungsi", "lengkap", "t",
}
_FALSE = {
    "tidak", "tdk", "tak", "no", "n", "false", "salah", "tidak ada", "belum", "belum ada", "0", "✗",
    "✘", "☐", "bukan", "nonaktif", "non aktif", "tidak aktif", "tidak tersedia", "tidak berfungsi",
    "rusak", "f",
}


def parse_bool(s: Any) -> bool:
    """Read a yes/no answer: ``ya``/``tidak``, ``ada``/``tidak ada``, ``sudah``/``belum``,
    ``true``/``false``, ``1``/``0``, and check marks (``✓``, ``v``, ``x`` mark a ticked box;
    ``✗``/``☐`` are no). Text starting with *tidak*, *belum* or *bukan* is no; text starting with
    *ya*, *ada*, *sudah* is yes (``Ada, di papan pengumuman``).
    """
    if isinstance(s, bool):
        return s
    if isinstance(s, (int, float)) and not isinstance(s, bool) and s in (0, 1):
        return bool(s)
    text = _text(s, "ya/tidak", "yes/no", _BOOL_FORMATS)
    low = re.sub(r"[\s_]+", " ", text.lower()).strip(" .!")
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    first = re.split(r"[\s,;:(\-]+", low, maxsplit=1)[0]
    if first in ("tidak", "tdk", "belum", "bukan", "no"):
        return False
    if first in ("ya", "iya", "ada", "sudah", "telah", "yes", "tersedia"):
        return True
    raise ParseError("ya/tidak tidak terbaca", "unreadable yes/no", text, _BOOL_FORMATS)


# --- lists -------------------------------------------------------------------------------------

_MARKER = re.compile(r"^\s*(?:(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})\s*[.)]|\(\s*(?:\d{1,3}|[a-zA-Z])\s*\)|[-•*·▪●◦‣–—>])\s*")
_INLINE_NUMBERED = re.compile(r"(?:(?<=\s)|^)(\d{1,2})[.)]\s+")


def _strip_marker(line: str) -> str:
    return _MARKER.sub("", line, count=1).strip()


def _has_marker(line: str) -> bool:
    m = _MARKER.match(line)
    # "a." only counts when followed by space (so "a.n. Kepala" and "No." are not split)
    return m is not None and (m.end() == len(line) or line[m.end() - 1].isspace() or not line[m.end()].isalnum()
                        or bool(re.match(r"^\s*[-•*·▪●◦‣–—>]", line)))


def parse_list(s: Any) -> list[str]:
    """Split a cell into items: numbered lines (``1. …``, ``1) …``, ``a. …``), bullets
    (``-``, ``•``, ``*``), one item per line, or items separated by semicolons; an inline
    ``1. … 2. … 3. …`` on one line is split too. Numbering and bullets are stripped; a line that
    continues the previous item (no marker of its own, while the others have one) is joined to it.
    An empty cell gives ``[]``; a list or tuple passes through with its items as text.
    """
    if isinstance(s, (list, tuple)):
        return [str(x).strip() for x in s if str(x).strip()]
    if not isinstance(s, str):
        raise ParseError("daftar tidak terbaca", "unreadable list", s, "1. …  2. …")
    text = unicodedata.normalize("NFKC", s).replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > _MAX_LEN * 10:
        raise ParseError("daftar terlalu panjang", "list is too long", s, "1. …  2. …")
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not lines:
        return []
    if len(lines) == 1:
        line = lines[0]
        numbers = [m for m in _INLINE_NUMBERED.finditer(line)]
        seq = [int(m[1]) for m in numbers]
        if len(seq) >= 2 and seq == list(range(seq[0], seq[0] + len(seq))) and seq[0] in (0, 1):
            items: list[str] = []
            for i, m in enumerate(numbers):
                end = numbers[i + 1].start() if i + 1 < len(numbers) else len(line)
                items.append(line[m.end():end].strip().rstrip(";,").strip())
            head = line[: numbers[0].start()].strip()
            return ([head] if head and not head.endswith(":") else []) + [i for i in items if i]
        if ";" in line:
            return [p for p in (_strip_marker(x) for x in line.split(";")) if p]
        item = _strip_marker(line) if _has_marker(line) else line
        return [item] if item else []
    marked = [_has_marker(ln) for ln in lines]
    items = []
    if any(marked) and not all(marked):
        for ln, has in zip(lines, marked, strict=True):
            if has or not items:
                items.append(_strip_marker(ln) if has else ln)
            else:
                items[-1] = f"{items[-1]} {ln}"
    else:
        items = [_strip_marker(ln) if has else ln for ln, has in zip(lines, marked, strict=True)]
    out: list[str] = []
    for item in items:
        item = item.strip().rstrip(";").strip()
        if item:
            out.append(item)
    return out


_TITLE_HEAD = re.compile(r"^(?:persyaratan|syarat|dokumen|berkas|kelengkapan|lampiran)(?![a-z])", re.IGNORECASE)
_CASE_HEAD = re.compile(r"^(?:(?:untuk|bagi|khusus(?:\s+untuk)?)\s+(?P<a>.+?)\s*:?|(?P<b>[^:]{2,80}?)\s*:)$", re.IGNORECASE)


def parse_persyaratan(s: Any) -> dict[str, Any]:
    """Read requirements (Pasal 21 huruf b) that may differ by case.

    Returns ``{"butir": [...]}``, every item in order (as :func:`parse_list`), plus ``"kasus"``
    when the cell groups them under case headings (``Bagi WNI:`` then its items, ``Bagi WNA:``
    then its items; or ``Perorangan: KTP, NPWP; Badan usaha: Akta pendirian, NPWP`` on one
    line): one ``{"untuk": label, "butir": [...]}`` per case. Items before the first heading
    hold for every case and are listed in each. A heading with no items under it is kept in
    ``"tak_terbaca"`` with a note in ``"catatan"``.
    """
    if isinstance(s, (list, tuple)):
        return {"butir": parse_list(s)}
    if not isinstance(s, str):
        raise ParseError("daftar tidak terbaca", "unreadable list", s, "1. …  2. …")
    text = unicodedata.normalize("NFKC", s).replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if len(lines) == 1 and ";" in lines[0]:
        parts = [p.strip() for p in lines[0].split(";") if p.strip()]
        if len(parts) > 1 and all(re.match(r"[^:]{2,80}:\s*\S", p) for p in parts):
            cases = []
            for p in parts:
                head, _, rest = p.partition(":")
                items = [i.strip() for i in re.split(r",\s*(?![^()]*\))", rest) if i.strip()]
                cases.append({"untuk": _label(head) or head.strip(), "butir": items})
            return {"butir": _dedup(i for c in cases for i in c["butir"]), "kasus": cases}
    heads = []
    named_for: set[int] = set()  # headings that say "untuk ..."/"bagi ...": a case even when alone
    for i, ln in enumerate(lines):
        bare = _strip_marker(ln) if _has_marker(ln) else ln
        m = _CASE_HEAD.match(bare)
        if m and (m["a"] or m["b"]) and not re.search(r"\d{4}|no\.|nomor", bare, re.IGNORECASE):
            heads.append((i, _label(m["a"] or m["b"]) or (m["a"] or m["b"]).strip()))
            if m["a"]:
                named_for.add(i)
    # a heading is only a case when items follow it and it names who, not what ("Persyaratan teknis:"
    # groups items that all apply), and one heading over every item is a title
    heads = [(i, label) for i, label in heads if i + 1 < len(lines) and (i + 1) not in {j for j, _ in heads}]
    titles = {i for i, label in heads if _TITLE_HEAD.match(label)}
    if titles:
        lines = [ln for i, ln in enumerate(lines) if i not in titles]
        return parse_persyaratan("\n".join(lines)) if lines else {"butir": []}
    if not heads or (len(heads) == 1 and heads[0][0] == 0 and 0 not in named_for):
        return {"butir": parse_list("\n".join(ln for i, ln in enumerate(lines) if not heads or i != heads[0][0]))}
    common = parse_list("\n".join(lines[: heads[0][0]]))
    if len(common) == 1 and common[0].endswith(":"):
        common = []
    cases = []
    for n, (i, label) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        cases.append({"untuk": label, "butir": _dedup([*common, *parse_list("\n".join(lines[i + 1:end]))])})
    out: dict[str, Any] = {"butir": _dedup([*common, *(i for c in cases for i in c["butir"])]), "kasus": cases}
    empty = [str(c["untuk"]) for c in cases if not c["butir"]]
    if empty:
        out["tak_terbaca"] = " … ".join(empty)
        out["catatan"] = [f"judul kasus tanpa butir: {', '.join(map(repr, empty))} / case heading(s) without items"]
    return out


def _dedup(items: Any) -> list[str]:
    return list(dict.fromkeys(items))


# --- regulations -------------------------------------------------------------------------------

#: (pattern, jenis); the first that matches at a position wins, so longer names come first.
_JENIS: tuple[tuple[str, str], ...] = (
    (r"peraturan\s+pemerintah\s+pengganti\s+undang[\s\-]*undang|perppu|perpu", "Perppu"),
    (r"undang[\s\-]*undang(?:\s+dasar)?|uu", "UU"),
    (r"peraturan\s+pemerintah|pp", "PP"),
    (r"peraturan\s+presiden|perpres", "Perpres"),
    (r"keputusan\s+presiden|keppres|kepres", "Keppres"),
    (r"instruksi\s+presiden|inpres", "Inpres"),
    (r"peraturan\s+menteri\s+keuangan|pmk", "PMK"),
    (r"peraturan\s+menteri\s+dalam\s+negeri|permendagri", "Permendagri"),
    ((r"peraturan\s+menteri\s+pendayagunaan\s+aparatur\s+negara(?:\s+dan\s+reformasi\s+birokrasi)?"
      r"|permen\s*pan[\s\-]*rb|permenpan(?:rb)?"), "PermenPANRB"),
    (r"peraturan\s+menteri\s+kesehatan|permenkes", "Permenkes"),
    ((r"peraturan\s+menteri(?:\s+[a-z]+)*?(?=\s+(?:nomor|no\b|republik|ri\b|tentang))|peraturan\s+menteri"
      r"|permen[a-z]*"), "Permen"),
    (r"keputusan\s+menteri|kepmen[a-z]*", "Kepmen"),
    (r"peraturan\s+daerah|perda", "Perda"),
    (r"peraturan\s+gubernur|pergub", "Pergub"),
    (r"peraturan\s+bupati|perbup", "Perbup"),
    (r"peraturan\s+wali\s*kota|perwali|perwal|perwalkot", "Perwali"),
    (r"keputusan\s+gubernur|kepgub", "Kepgub"),
    (r"keputusan\s+bupati|kepbup", "Kepbup"),
    (r"keputusan\s+wali\s*kota|kepwal|kepwali", "Kepwali"),
    (r"peraturan\s+desa|perdes", "Perdes"),
    (r"peraturan\s+mahkamah\s+agung|perma", "Perma"),
    (r"peraturan\s+(?:kepala\s+)?badan|perka|perban", "Perban"),
    (r"peraturan\s+lembaga", "Perlem"),
    (r"surat\s+edaran|se", "SE"),
)
#: one alternation: the leftmost match wins, and at one position the earlier pattern (as above)
_JENIS_RE = re.compile(
    r"(?<![a-z])(?:" + "|".join(f"(?P<j{i}>{p})" for i, (p, _j) in enumerate(_JENIS)) + r")(?![a-z])", re.IGNORECASE
)
_REGULATION_START = re.compile(
    r"(?<![a-zA-Z])(?:undang[\s\-]*undang|uu|pp|perpres|perppu|peraturan|keputusan|perda|perbup|perwali|"
    r"pergub|permen[a-z]*|kepmen[a-z]*|pmk|instruksi|inpres|keppres|surat\s+edaran)(?![a-zA-Z])",
    re.IGNORECASE,
)
_PERATURAN_FORMATS = "Undang-Undang Nomor 24 Tahun 2013, UU No. 23/2006, Perda Kab. Batang No 5 Tahun 2019"
# "n(?<![a-z]n)omor" is "(?<![a-z])nomor" written to start with a literal, which re finds fast
_NOMOR = re.compile(r"n(?<![a-z]n)(?:omor|omer|o|mr)\s*[.:]?\s*([0-9][0-9a-z./\-]*?)(?=[\s,;]|$)", re.IGNORECASE)
_TAHUN = re.compile(r"t(?<![a-z]t)(?:ahun|hn|h)\s*[.:]?\s*((?:19|20)\d{2})(?!\d)", re.IGNORECASE)
_SHORT = re.compile(r"(?<![\w/])(\d{1,4}[a-z]?)\s*/\s*((?:19|20)\d{2})(?!\d)", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:\d{1,3}[.)]|[a-z][.)]|[-•*])\s+", re.IGNORECASE)
_NOMOR_YEAR = re.compile(r"(.+?)/((?:19|20)\d{2})")


def _lower_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern without IGNORECASE, for ASCII text already lowercased: Python's re is
    several times slower case-insensitively. (Lowercasing keeps the length of ASCII text only, so
    spans found in the lowercased text slice the original.)"""
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


_JENIS_OF_GROUP = {f"j{i}": jenis for i, (_p, jenis) in enumerate(_JENIS)}
_JENIS_LC, _NOMOR_LC, _TAHUN_LC, _SHORT_LC = (_lower_twin(p) for p in (_JENIS_RE, _NOMOR, _TAHUN, _SHORT))


def parse_peraturan(s: Any) -> dict[str, Any]:
    """Read one regulation as cited: ``{"teks", "jenis", "nomor", "tahun"}``.

    ``Undang-Undang Nomor 24 Tahun 2013`` → UU, "24", 2013; ``UU No. 23/2006`` → UU, "23", 2006;
    ``Perda Kab. Batang No 5 Tahun 2019`` → Perda, "5", 2019. A kind that is not recognised
    gives ``jenis`` None, and parts that are not written are None: the text is always kept.
    """
    if isinstance(s, dict) and isinstance(s.get("teks"), str):
        return parse_peraturan(s["teks"])
    text = _text(s, "peraturan", "regulation", _PERATURAN_FORMATS)
    # a list bullet ("1.", "a)", "-") starts with a digit or a mark, or has "." or ")" second
    if (text[0].isdigit() or text[0] in "-•*" or text[1:2] in (".", ")")) and _BULLET.match(text):
        text = _BULLET.sub("", text, count=1)
    result: dict[str, Any] = {"teks": text, "jenis": None, "nomor": None, "tahun": None}
    if text.isascii():  # the common case: case-sensitive twins on the lowercased text
        hay, jenis_re, nomor_re, short_re, tahun_re = text.lower(), _JENIS_LC, _NOMOR_LC, _SHORT_LC, _TAHUN_LC
    else:
        hay, jenis_re, nomor_re, short_re, tahun_re = text, _JENIS_RE, _NOMOR, _SHORT, _TAHUN
    m = jenis_re.search(hay)
    if m is not None and m.lastgroup is not None:  # always named: every alternative is a group
        result["jenis"] = _JENIS_OF_GROUP[m.lastgroup]
    nomor = nomor_re.search(hay)
    if nomor:
        value = text[nomor.start(1):nomor.end(1)].rstrip("./-")
        tail = _NOMOR_YEAR.fullmatch(value)
        if tail:
            value = tail[1]
            result["tahun"] = int(tail[2])
        result["nomor"] = value or None
    elif "/" in hay:  # the short form, 23/2006
        short = short_re.search(hay)
        if short:
            result["nomor"], result["tahun"] = text[short.start(1):short.end(1)], int(short[2])
    tahun = tahun_re.search(hay)
    if tahun:
        result["tahun"] = int(tahun[1])
    return result


def parse_peraturan_list(s: Any) -> list[dict[str, Any]]:
    """A list of regulations (``standar.dasar_hukum``): :func:`parse_list`, then each item read
    by :func:`parse_peraturan`. A single line citing several regulations separated by commas
    (``UU 25/2009, PP 96/2012``) is split where every piece starts with a regulation kind.
    """
    items = parse_list(s)
    out: list[dict[str, Any]] = []
    for item in items:
        pieces = [p.strip() for p in re.split(r",\s*|\s+dan\s+", item) if p.strip()]
        if len(pieces) > 1 and all(_REGULATION_START.match(p) for p in pieces):
            out.extend(parse_peraturan(p) for p in pieces)
        else:
            out.append(parse_peraturan(item))
    return out


# --- maklumat pelayanan: the elements of the pledge --------------------------------------------

#: The elements a maklumat pelayanan is read for, in order: (code, Indonesian, English).
#: ``janji_standar`` is UU 25/2009 Pasal 22 ayat (1) itself ("pernyataan kesanggupan penyelenggara
#: dalam melaksanakan pelayanan sesuai dengan standar pelayanan"); the other two complete the list
#: agencies reproduce from the PermenPAN-RB 15/2014 guideline (the Permen's text was not read:
#: UNCONFIRMED, see docs/rules.md).
MAKLUMAT_ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("janji_standar", "janji dan kesanggupan melaksanakan pelayanan sesuai standar pelayanan",
     "a promise to deliver the service according to the service standard"),
    ("perbaikan_berkelanjutan", "melakukan perbaikan secara terus-menerus",
     "continuous improvement"),
    ("sanksi_kompensasi", "kesediaan menerima sanksi dan/atau memberi kompensasi bila pelayanan tidak sesuai standar",
     "willingness to accept sanctions and/or give compensation when the service falls short"),
)

_PROMISE = (r"\b(?:sanggup|berjanji|janji|bersedia|berkomitmen|komitmen|menjamin|siap|bertekad|"
            r"berikrar|menyatakan akan|akan)\b")
_STANDARD = (r"(?<!tidak )(?<!belum )\b(?:sesuai(?:\s+dengan)?|berdasarkan|mengacu(?:\s+pada)?|memenuhi|menurut|"
             r"berpedoman\s+pada)\s+(?:ketentuan\s+)?standar(?:\s+pelayanan|\s+layanan)?\b")
_IMPROVE = (r"\b(?:perbaikan|memperbaiki|penyempurnaan|menyempurnakan|peningkatan|meningkatkan|"
            r"berbenah|inovasi|berinovasi)\b")
_CONTINUOUS = (r"\b(?:terus[\s-]*menerus|terus|berkelanjutan|berkesinambungan|senantiasa|selalu|"
               r"secara\s+berkala|tiada\s+henti|tanpa\s+henti|continuous(?:ly)?)\b")
_ACCEPT = r"\b(?:siap|bersedia|sanggup|rela|menerima|memberikan|memberi|membayar|menanggung)\b"
_REMEDY = r"\b(?:sanksi|kompensasi|ganti\s+rugi|ganti\s+kerugian|konsekuensi\s+hukum)\b"

#: element -> (words of one kind, words of the other): both must appear in one clause; a word of
#: the first kind right after a negation (skipping words of its kind) does not count
_MAKLUMAT_PAIRS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    code: (re.compile(a, re.IGNORECASE), re.compile(b, re.IGNORECASE))
    for code, a, b in (("janji_standar", _PROMISE, _STANDARD),
                       ("perbaikan_berkelanjutan", _IMPROVE, _CONTINUOUS),
                       ("sanksi_kompensasi", _ACCEPT, _REMEDY))
}
_CLAUSE_END = re.compile(r"[.;!?]")
_NEGATION = frozenset({"tidak", "belum", "bukan", "tak", "enggan", "menolak"})
_WORD_BEFORE = re.compile(r"(\w+)\W*$")


def _negated(text: str, start: int, same: re.Pattern[str]) -> bool:
    """Is the word at ``start`` negated: a negation before it, skipping words of its own kind
    ("belum bersedia menerima sanksi": "menerima" is negated through "bersedia")?"""
    while True:
        m = _WORD_BEFORE.search(text, max(0, start - 40), start)
        if not m:
            return False
        word = m.group(1).lower()
        if word in _NEGATION:
            return True
        if not same.fullmatch(m.group(1)):
            return False
        start = m.start(1)
_CLAUSE_SPAN = 160


def _closest_pair(text: str, first: re.Pattern[str], second: re.Pattern[str]) -> str | None:
    """The shortest stretch of one clause holding a match of each pattern, in either order."""
    best: tuple[int, int] | None = None
    seconds = [(m.start(), m.end()) for m in second.finditer(text)]
    if not seconds:
        return None
    for a in first.finditer(text):
        if _negated(text, a.start(), first):
            continue
        for b0, b1 in seconds:
            lo, hi = min(a.start(), b0), max(a.end(), b1)
            if hi - lo > _CLAUSE_SPAN + 40 or _CLAUSE_END.search(text, lo, hi):
                continue
            if best is None or hi - lo < best[1] - best[0]:
                best = (lo, hi)
    return text[best[0]:best[1]] if best else None


def unsur_maklumat(s: Any) -> dict[str, str | None]:
    """Which elements of a maklumat pelayanan a text states, each with the words that state it.

    Returns ``{code: quoted phrase or None}`` for the codes of :data:`MAKLUMAT_ELEMENTS`. The
    reading is by clause (between ``.``, ``;``, ``!``, ``?``; a line break is only layout, as posters
    wrap anywhere, and a numbered list item ends at its number's dot), in any case, any word order:

    * ``janji_standar``: a commitment word (sanggup, berjanji, bersedia, berkomitmen, menjamin,
      siap, bertekad, akan ...) and "sesuai (dengan) / berdasarkan / mengacu pada / memenuhi
      standar" in the same clause - "kami menyatakan sanggup menyelenggarakan pelayanan sesuai
      standar pelayanan", "Sesuai standar pelayanan, kami berjanji ..."; "tidak sesuai standar"
      (the condition of a sanction clause) is not a promise;
    * ``perbaikan_berkelanjutan``: an improvement word (perbaikan, menyempurnakan, meningkatkan,
      inovasi ...) and a word of continuity (terus-menerus, terus, berkelanjutan, berkesinambungan,
      senantiasa, selalu, secara berkala ...) in one clause;
    * ``sanksi_kompensasi``: a word of acceptance (siap, bersedia, menerima, memberikan ...) and
      sanksi, kompensasi or ganti rugi in one clause.

    A commitment or acceptance word right after "tidak", "belum", "bukan" or "tak" does not count.
    Raises :class:`ParseError` for a value that is not text; blank text states nothing.
    """
    if isinstance(s, str) and not s.strip():
        return {code: None for code, _id, _en in MAKLUMAT_ELEMENTS}
    text = _text(s, "teks maklumat", "pledge text", "teks maklumat pelayanan")
    text = " ".join(text.split())  # a line break is layout (posters wrap anywhere); punctuation ends a clause
    return {code: _closest_pair(text, *_MAKLUMAT_PAIRS[code]) for code, _id, _en in MAKLUMAT_ELEMENTS}


# --- participants in drafting a service standard (PP 96/2012 Pasal 23 ayat (1)) ---------------

#: The groups of PP 96/2012 Pasal 23(1) (huruf a: users; huruf b: the five named groups), then the
#: two kinds of participant the article does not name, in the order they are tried. Each: (code,
#: label, words that say it). A text naming two groups gets the first listed here.
PESERTA_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("lsm", "lembaga swadaya masyarakat", (
        r"lembaga swadaya masyarakat", r"lsm", r"ngo", r"ornop", r"organisasi masyarakat sipil", r"ormas",
        r"yayasan", r"komunitas", r"forum warga", r"forum masyarakat")),
    ("organisasi_profesi", "organisasi profesi", (
        r"organisasi profesi", r"asosiasi profesi", r"ikatan \w+", r"persatuan \w+", r"idi", r"ppni", r"ibi", r"iai",
        r"peradi", r"pwi", r"inkindo", r"ikatan notaris", r"\w+ indonesia \(\w+\)")),
    ("akademisi", "akademisi", (
        r"akademisi", r"akademik", r"universitas", r"perguruan tinggi", r"dosen", r"peneliti", r"guru besar",
        r"profesor", r"kampus", r"politeknik", r"institut", r"sekolah tinggi", r"fakultas")),
    ("dunia_usaha", "dunia usaha", (
        r"dunia usaha", r"pelaku usaha", r"pengusaha", r"kadin", r"hipmi", r"apindo", r"asosiasi", r"perusahaan",
        r"pt", r"cv", r"umkm", r"ukm", r"koperasi", r"swasta", r"badan usaha", r"bumn", r"bumd")),
    ("tokoh_masyarakat", "tokoh masyarakat", (
        r"tokoh(?: \w+)?", r"pemuka(?: \w+)?", r"ulama", r"ketua rt", r"ketua rw", r"rt/rw", r"kepala desa",
        r"kepala dusun", r"lurah", r"ketua adat")),
    ("penerima_manfaat", "penerima manfaat pelayanan", (
        r"penerima (?:manfaat|layanan|pelayanan)", r"pengguna(?: layanan| jasa| pelayanan)?", r"pemohon",
        r"masyarakat(?: umum| pengguna)?", r"warga", r"pelanggan", r"konsumen", r"pasien", r"wajib pajak",
        r"orang tua(?: siswa| murid)?", r"siswa", r"mahasiswa", r"penyandang disabilitas", r"disabilitas",
        r"lansia", r"lanjut usia", r"perempuan", r"pemuda")),
    ("internal", "pegawai penyelenggara sendiri", (
        r"pegawai", r"staf+", r"petugas", r"asn", r"pns", r"pejabat", r"pelaksana", r"internal",
        r"kepala (?:seksi|bidang|sub ?bagian|bagian|dinas|kantor|unit|badan)", r"kasi", r"kabid", r"kasubbag", r"sekretaris",
        r"operator", r"tim penyusun", r"panitia")),
    ("pemerintah", "instansi pemerintah lain", (
        r"dinas", r"badan", r"kantor", r"instansi", r"pemerintah", r"pemda", r"pemkot", r"pemkab", r"pemprov",
        r"kementerian", r"kecamatan", r"opd", r"inspektorat", r"dprd?")),
)

#: the codes of PP 96/2012 Pasal 23(1): who counts as "Masyarakat dan Pihak Terkait"
PESERTA_PP23: tuple[str, ...] = ("penerima_manfaat", "tokoh_masyarakat", "akademisi", "dunia_usaha",
                                 "organisasi_profesi", "lsm")

_PESERTA_RE = tuple(
    (code, re.compile(r"(?<![a-z0-9])(?:" + "|".join(words) + r")(?![a-z0-9])", re.IGNORECASE))
    for code, _label, words in PESERTA_GROUPS
)


def unsur_peserta(*texts: Any) -> str:
    """The group of a participant in drafting a standard, from its category and organisation as
    written ("Tokoh Masyarakat", "Akademisi Universitas Contoh", "Staf Seksi Pelayanan"): one of
    :data:`PESERTA_GROUPS`' codes, or ``""`` when nothing is recognised. The category is read
    first, then the organisation; blank or missing texts are skipped."""
    for value in texts:
        if not isinstance(value, str) or not value.strip():
            continue
        text = " ".join(value.split())[:_MAX_LEN]
        for code, pattern in _PESERTA_RE:
            if pattern.search(text):
                return code
    return ""
