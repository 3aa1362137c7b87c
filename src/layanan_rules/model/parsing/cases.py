"""Cells that hold several cases: the shared reader of labels, values and the text between them."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from layanan_rules.model.parsing.numbers import _number

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
