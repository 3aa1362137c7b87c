"""The elements a maklumat pelayanan (the service pledge) states (``unsur_maklumat``)."""

from __future__ import annotations

import re
from typing import Any

from layanan_rules.model.parsing.common import _text

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
