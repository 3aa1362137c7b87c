"""Fees (``parse_biaya``): free, an amount, a range, a regulation, or one of these per case."""

from __future__ import annotations

import re
from typing import Any

from layanan_rules.model.parsing.cases import _Hit, _read_cases, _unread_note
from layanan_rules.model.parsing.common import ParseError, _text
from layanan_rules.model.parsing.numbers import parse_rupiah, words_to_number
from layanan_rules.model.parsing.peraturan import _REGULATION_START

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
