"""Optional bearer-token authentication for ``layanan-rules serve``.

Tokens come from a file (``--token-file``: one a line, ``#`` comments) and/or the environment
variable ``LAYANAN_RULES_TOKENS`` (separated by commas or white space). With any token set,
every request but ``GET /healthz`` (for the orchestrator's probes) needs
``Authorization: Bearer <token>``; a browser may send the token as the password of HTTP Basic
authentication (any user name), so that staff get their browser's own login prompt on the
upload page. Tokens are compared as SHA-256 digests with :func:`hmac.compare_digest`, against
every token, so the time taken says nothing about how close a guess was.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

ENV = "LAYANAN_RULES_TOKENS"
MIN_LENGTH = 16
OPEN_ROUTES = frozenset({"/healthz"})
CHALLENGES = ('Bearer realm="layanan-rules"', 'Basic realm="layanan-rules", charset="UTF-8"')
_TOKEN = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no spaces: what fits in a header unquoted


class TokenError(ValueError):
    """A token file or variable that cannot be used; the message names the place and the fix."""


def load(path: Path | None, environ: Mapping[str, str] = os.environ) -> tuple[str, ...]:
    """Every token from ``path`` and :data:`ENV`, checked (at least 16 printable ASCII characters)."""
    found: list[tuple[str, str]] = []
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TokenError(f"{path}: berkas token tidak terbaca / cannot read the token file: "
                             f"{getattr(exc, 'strerror', None) or exc}") from None
        for n, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if line and not line.startswith("#"):
                found.append((f"{path}:{n}", line))
        if not found:
            raise TokenError(f"{path}: tidak ada token di berkas / no token in the file (one a line)")
    for i, token in enumerate(re.split(r"[\s,]+", environ.get(ENV, "").strip()), start=1):
        if token:
            found.append((f"{ENV} #{i}", token))
    for where, token in found:
        if not _TOKEN.fullmatch(token) or len(token) < MIN_LENGTH:
            raise TokenError(f"{where}: token harus {MIN_LENGTH}+ karakter ASCII tanpa spasi, mis. dari "
                             f"`python -c 'import secrets; print(secrets.token_urlsafe(32))'` / a token must be "
                             f"{MIN_LENGTH}+ ASCII characters without spaces, e.g. from secrets.token_urlsafe(32)")
    return tuple(dict.fromkeys(token for _where, token in found))


class Tokens:
    """The accepted tokens, kept as digests."""

    def __init__(self, tokens: Iterable[str]) -> None:
        self._digests = [hashlib.sha256(t.encode()).digest() for t in tokens]

    def __bool__(self) -> bool:
        return bool(self._digests)

    def __len__(self) -> int:
        return len(self._digests)

    def allows(self, authorization: str | None) -> bool:
        """Whether an ``Authorization`` header value carries one of the tokens."""
        candidate = _credential(authorization or "")
        if candidate is None:
            return False
        digest = hashlib.sha256(candidate.encode("utf-8", "replace")).digest()
        ok = False
        for known in self._digests:  # every one, whatever matched: constant time in the guess
            ok |= hmac.compare_digest(digest, known)
        return ok


def _credential(header: str) -> str | None:
    scheme, _, value = header.strip().partition(" ")
    scheme, value = scheme.lower(), value.strip()
    if scheme == "bearer" and value:
        return value
    if scheme == "basic" and value:
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None
