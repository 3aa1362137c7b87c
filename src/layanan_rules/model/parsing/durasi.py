"""Completion times (``parse_jangka_waktu``): ``3 (tiga) hari kerja``, ``1 x 24 jam``, several cases."""

from __future__ import annotations

import re
from typing import Any

from layanan_rules.model.parsing.biaya import _label_notes, _no_overlap
from layanan_rules.model.parsing.cases import _Hit, _read_cases, _unread_note, _words_note
from layanan_rules.model.parsing.common import ParseError, _text
from layanan_rules.model.parsing.numbers import _number, words_to_number

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
