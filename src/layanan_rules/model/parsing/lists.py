"""Lists (``parse_list``) and requirements that may hold several cases (``parse_persyaratan``)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from layanan_rules.model.parsing.cases import _label
from layanan_rules.model.parsing.common import _MAX_LEN, ParseError

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
