"""Numbers with Indonesian separators, counts with their words (``4 (empat) orang``), rupiah amounts."""

from __future__ import annotations

import math
import re
from typing import Any

from layanan_rules.model.parsing.common import ParseError, _text

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
