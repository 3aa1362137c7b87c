"""Yes/no answers (``parse_bool``): ``ya``/``tidak``, ``ada``/``tidak ada``, check marks."""

from __future__ import annotations

import re
from typing import Any

from layanan_rules.model.parsing.common import ParseError, _text

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
