"""Regulations (``parse_peraturan``): jenis, nomor and tahun of ``UU No. 25 Tahun 2009`` and its kin."""

from __future__ import annotations

import re
from typing import Any

from layanan_rules.model.parsing.common import _text
from layanan_rules.model.parsing.lists import parse_list

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
