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
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

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
    "parse_peraturan",
    "parse_peraturan_list",
    "parse_rupiah",
    "unsur_maklumat",
    "unsur_peserta",
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
        try:
            return dt.datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0),
                               tzinfo=tz)
        except ValueError:
            pass  # 31/02/2024, 24:00: the general path below says what is wrong, or reads it
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
    allowed and dropped (``85%`` → 85). No decimal part written gives an ``int``.
    """
    if isinstance(s, bool):
        raise ParseError("angka tidak terbaca", "unreadable number", s, _NUMBER_FORMATS)
    if isinstance(s, int):
        return s
    if isinstance(s, float):
        if math.isfinite(s):
            return s
        raise ParseError("angka tidak terbaca", "unreadable number", s, _NUMBER_FORMATS)
    text = _text(s, "angka", "number", _NUMBER_FORMATS)
    body = text[:-1].strip() if text.endswith("%") else text
    return _number(body, text)


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


# --- fees --------------------------------------------------------------------------------------

_BIAYA_FORMATS = "Gratis, Tidak dipungut biaya, Rp 10.000,-, sesuai Perda No. 5 Tahun 2019"
_FREE = re.compile(
    r"^(?:gratis|free|nihil|bebas\s+biaya|tanpa\s+biaya|tidak\s+ada\s+biaya|tidak\s+berbayar|"
    r"(?:tidak|tanpa)\s+(?:di\s*pungut|di\s*kenakan|di\s*pungutan|ada\s+pungutan|dipungut|dikenakan)"
    r"(?:\s+(?:biaya|tarif|retribusi|pungutan))?|"
    r"(?:biaya|tarif)\s*(?::|=)?\s*(?:gratis|nihil|rp\.?\s*0(?:,-|,00)?|0))\b"
)
_MONEY = re.compile(
    r"(?:rp\.?|idr)\s*\d[\d.,]*(?:\s*(?:,-|\.-))?(?:\s*(?:ribu|rb|juta|jt|miliar|milyar)\b)?"
    r"|\d[\d.,]*\s*(?:ribu|rb|juta|jt|miliar|milyar)?\s*rupiah"
)
_CHARGED = re.compile(
    r"biaya|tarif|retribusi|pnbp|bayar|pungut|sesuai|perda|peraturan|usd|\$|rp|iuran|sewa|harga"
)


def parse_biaya(s: Any) -> dict[str, Any]:
    """Read a fee (Pasal 21 huruf e): free, an amount, or a fee set by a named regulation.

    Returns ``{"gratis": bool, "jumlah": int | None, "teks": s}`` plus ``"dasar_hukum"`` when a
    regulation is named (``sesuai Perda No. 5 Tahun 2019``). ``Gratis``, ``Tidak dipungut biaya``
    and ``Rp 0,-`` are free; ``Rp 10.000,-`` is 10000; ``Sesuai Perda``, a formula or a foreign
    currency is charged with no Rupiah amount (``jumlah`` None).
    """
    if isinstance(s, bool) or not isinstance(s, (str, int, float)):
        raise ParseError("biaya tidak terbaca", "unreadable fee", s, _BIAYA_FORMATS)
    if not isinstance(s, str):
        amount = parse_rupiah(s)
        return {"gratis": amount == 0, "jumlah": amount, "teks": str(s)}
    text = _text(s, "biaya", "fee", _BIAYA_FORMATS)
    low = re.sub(r"\s+", " ", text.lower())
    result: dict[str, Any] = {"gratis": False, "jumlah": None, "teks": s}
    if _FREE.match(low):
        result.update(gratis=True, jumlah=0)
        return result
    try:
        amount = parse_rupiah(text)
    except ParseError:
        pass
    else:
        result.update(gratis=amount == 0, jumlah=amount)
        return result
    money = _MONEY.search(low)
    if money:
        try:
            amount = parse_rupiah(money.group(0))
        except ParseError:
            pass
        else:
            result.update(gratis=amount == 0 and not _CHARGED.search(low.replace(money.group(0), "")),
                          jumlah=amount)
    reg = _REGULATION_START.search(text)
    if reg:
        result["dasar_hukum"] = text[reg.start():].strip().rstrip(".;,")
    if money or reg or _CHARGED.search(low):
        return result
    raise ParseError("biaya tidak terbaca", "unreadable fee", text, _BIAYA_FORMATS)


# --- durations ---------------------------------------------------------------------------------

_DURATION_FORMATS = "3 (tiga) hari kerja, 14 hari kalender, 30 menit, 1 x 24 jam"
_UNITS = {
    "menit": "menit", "mnt": "menit", "minute": "menit", "minutes": "menit", "min": "menit",
    "jam": "jam", "hour": "jam", "hours": "jam", "hrs": "jam",
    "hari": "hari", "hr": "hari", "day": "hari", "days": "hari", "hk": "hari",
    "minggu": "minggu", "pekan": "minggu", "week": "minggu", "weeks": "minggu", "mgg": "minggu",
    "bulan": "bulan", "bln": "bulan", "month": "bulan", "months": "bulan",
    "tahun": "tahun", "thn": "tahun", "year": "tahun", "years": "tahun",
}
_WORD_NUMBERS = {
    "nol": 0, "satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100,
}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_DURATION = re.compile(
    rf"(\d+(?:[.,]\d+)?)(?:\s*(?:-|s\.?d\.?|sampai(?:\s+dengan)?|hingga|sd|–)\s*(\d+(?:[.,]\d+)?))?"
    rf"\s*(?:x\s*(\d+)\s*)?({_UNIT_RE})\b\.?(?:\s+(kerja|kalender|kalendar|efektif|working|calendar))?"
)


def _words_to_number(words: list[str]) -> int | None:
    """Indonesian number words: ``tiga`` 3, ``dua belas`` 12, ``dua puluh lima`` 25."""
    total, current, seen = 0, 0, False
    for w in words:
        if w in _WORD_NUMBERS:
            current += _WORD_NUMBERS[w]
            seen = True
        elif w == "belas" and seen:
            current += 10
        elif w == "puluh" and seen:
            current *= 10
        elif w == "ratus" and seen:
            current *= 100
        else:
            return None
    return total + current if seen else None


def parse_jangka_waktu(s: Any) -> dict[str, Any]:
    """Read a completion time (Pasal 21 huruf d).

    Returns ``{"jumlah": float, "satuan": "menit|jam|hari|minggu|bulan|tahun",
    "jenis_hari": "kerja" | "kalender" | None, "teks": s}``. ``Maksimal``/``Paling lama`` are
    read as the promised ceiling; a range (``3-5 hari``) gives its upper end; ``1 x 24 jam`` is 24
    hours; number words (``tiga hari kerja``, ``sehari``) are understood.
    """
    if isinstance(s, bool) or not isinstance(s, str):
        raise ParseError("jangka waktu tidak terbaca", "unreadable duration", s, _DURATION_FORMATS)
    text = _text(s, "jangka waktu", "duration", _DURATION_FORMATS)
    low = re.sub(r"\s+", " ", text.lower())
    low = re.sub(r"\([^)]*\)", " ", low)  # "3 (tiga) hari": the words in brackets repeat the digits
    low = low.replace("×", "x")
    result: dict[str, Any] = {"jumlah": None, "satuan": None, "jenis_hari": None, "teks": s}
    m = _DURATION.search(low)
    if m:
        amount = float(_number(m[2] or m[1], text, _DURATION_FORMATS))
        satuan = _UNITS[m[4]]
        if m[3]:  # "1 x 24 jam"
            amount *= int(m[3])
        jenis = m[5]
        if m[4] == "hk":
            jenis = "kerja"
        result.update(jumlah=amount, satuan=satuan)
        if jenis:
            result["jenis_hari"] = "kerja" if jenis in ("kerja", "efektif", "working") else "kalender"
        return result
    if re.search(r"hari (?:itu|yang sama) juga|hari yang sama|same day", low):
        result.update(jumlah=1.0, satuan="hari")
        return result
    words = re.findall(r"[a-z]+", low)
    for i, w in enumerate(words):
        unit_word = w
        amount_words: list[str] = []
        if w.startswith("se") and w[2:] in _UNITS and w[2:] not in ("hr", "hk"):  # sehari, sebulan
            amount_words, unit_word = ["se"], w[2:]
        elif w in _UNITS:
            j = i
            while j > 0 and (words[j - 1] in _WORD_NUMBERS or words[j - 1] in ("belas", "puluh", "ratus")):
                j -= 1
            amount_words = words[j:i]
        else:
            continue
        number = _words_to_number(amount_words)
        if number is None:
            continue
        result.update(jumlah=float(number), satuan=_UNITS[unit_word])
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt in ("kerja", "efektif", "working"):
            result["jenis_hari"] = "kerja"
        elif nxt in ("kalender", "kalendar", "calendar"):
            result["jenis_hari"] = "kalender"
        return result
    raise ParseError("jangka waktu tidak terbaca", "unreadable duration", text, _DURATION_FORMATS)


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
