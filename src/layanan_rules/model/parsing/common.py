"""What every reader shares: :class:`ParseError`, the text of a cell (``_text``) and its limits."""

from __future__ import annotations

import unicodedata
from typing import Any

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
