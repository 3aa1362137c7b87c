"""What goes over the wire: :class:`Response`, :class:`ApiError` with its fixed codes, and reading
a request's JSON body and fields with located, bilingual messages. Imports nothing else of the server."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from typing import Any

import attrs
import orjson

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8025
DEFAULT_MAX_BODY = 10 * 1024 * 1024  # 10 MiB
JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"

#: every ``error.code`` a response may carry, with its usual HTTP status
ERROR_CODES: Mapping[str, int] = {
    "bad_request": 400,
    "unauthorized": 401,
    "not_found": 404,
    "method_not_allowed": 405,
    "payload_too_large": 413,
    "invalid_data": 422,
    "invalid_ruleset": 422,
    "budget_exceeded": 422,
    "internal_error": 500,
    "unavailable": 503,
}

try:
    VERSION = metadata.version("layanan-rules")
except metadata.PackageNotFoundError:  # a source checkout that was never installed
    VERSION = "0"


class ApiError(Exception):
    """An error answered as ``{"error": {"code", "message", "details"}}`` with ``status``."""

    def __init__(self, code: str, message: str, details: Iterable[Mapping[str, Any]] = (), *,
                 status: int | None = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = [dict(d) for d in details]
        self.status = status if status is not None else ERROR_CODES[code]
        self.headers = dict(headers or {})

    def response(self) -> Response:
        """The JSON answer (a page for a browser: :func:`layanan_rules.server.web.error_response`)."""
        body = {"error": {"code": self.code, "message": self.message, "details": self.details}}
        return Response(self.status, body, self.headers)


@attrs.frozen
class Response:
    """What the app answers: a status, a body and extra headers.

    ``body`` is JSON-able (sent as JSON) or ``bytes`` sent as they are with ``media_type``.
    ``states`` (ruleset id, findings per state) is for the transport's metrics, never sent.
    """

    status: int
    body: Any
    headers: Mapping[str, str] = attrs.field(factory=dict)
    media_type: str = JSON_TYPE
    states: tuple[str, Mapping[str, int]] | None = None

    def encode(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return dumps(self.body)


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON and a newline. orjson writes a report 20x faster than the standard library
    (a third of a one-record evaluate's time went to ``json.dumps``); where it refuses a value
    (an integer past 64 bits), the standard library writes the same JSON."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        return (json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n").encode()


# --- request bodies and fields -------------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} bukan JSON yang sah / {name} is not valid JSON")


def _finite(text: str) -> float:
    """A JSON number as a float; one too large for a float (``1e400``) is refused, never read as
    infinity (which no JSON answer could carry back)."""
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"angka {text[:40]} terlalu besar / number {text[:40]} is too large")
    return value


def parse_json_body(body: bytes | None) -> Any:
    """The request body as JSON (UTF-8, an optional BOM); ``bad_request`` with the line and column if not."""
    if not body:
        raise ApiError("bad_request", "badan permintaan kosong, kirim objek JSON / empty request body, send a JSON object")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApiError("bad_request", f"badan permintaan bukan UTF-8 (bita ke-{exc.start}) / "
                                      f"request body is not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise ApiError("bad_request", f"JSON tidak valid: {exc.msg} (baris {exc.lineno}, kolom {exc.colno}) / "
                                      f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                       [{"message": exc.msg, "line": exc.lineno, "column": exc.colno}]) from None
    except ValueError as exc:
        raise ApiError("bad_request", f"JSON tidak valid / malformed JSON: {exc}") from None
    except RecursionError:
        raise ApiError("bad_request", "JSON terlalu dalam bersarang / JSON nested too deeply") from None


def json_object(body: Any, allowed: Sequence[str], required: Sequence[str]) -> dict[str, Any]:
    """Check a request object's keys: all unknown and all missing ones reported at once."""
    if not isinstance(body, dict):
        raise ApiError("bad_request", f"badan permintaan harus objek JSON, bukan {kind(body)} / "
                                      f"the request body must be a JSON object, not {kind(body)}")
    details = []
    for key in body:
        if key not in allowed:
            hint = difflib.get_close_matches(key, allowed, n=1)
            did = f"; maksud Anda / did you mean '{hint[0]}'?" if hint else ""
            details.append({"field": key, "message": f"kunci '{key}' tidak dikenal / unknown key '{key}'{did}; "
                                                     f"boleh / allowed: {', '.join(allowed)}"})
    for key in required:
        if key not in body:
            details.append({"field": key, "message": f"kunci '{key}' wajib ada / key '{key}' is required"})
    if details:
        raise ApiError("bad_request", "; ".join(d["message"] for d in details), details)
    return body


def kind(value: Any) -> str:
    """The JSON type name of a parsed value (the same word in both languages)."""
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null",
            int: "number", float: "number"}.get(type(value), type(value).__name__)


def field_error(field: str, message: str) -> ApiError:
    return ApiError("bad_request", f"{field}: {message}", [{"field": field, "message": message}])


def as_of_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise field_error("as_of", f"{json.dumps(value, ensure_ascii=False)}: pakai YYYY-MM-DD / "
                                    "use YYYY-MM-DD, e.g. 2025-01-31") from None


def language(value: Any) -> str:
    if value not in ("id", "en"):
        raise field_error("lang", f"{json.dumps(value, ensure_ascii=False)}: pilih / choose \"id\" atau/or \"en\"")
    return str(value)


def wants_html(headers: Mapping[str, str]) -> bool:
    """A browser (``Accept: text/html``) gets its errors as a page; API clients as JSON."""
    return "text/html" in headers.get("accept", "")


def too_large(size: int, limit: int) -> ApiError:
    return ApiError("payload_too_large",
                    f"badan permintaan {size} bita melebihi batas {limit} bita (--max-body) / "
                    f"request body of {size} bytes exceeds the limit of {limit} bytes (--max-body)",
                    [{"message": f"limit: {limit} bytes", "limit": limit}])


def internal_error() -> ApiError:
    return ApiError("internal_error",
                    "galat internal server; rinciannya dicatat di log server / "
                    "internal server error; the details are in the server log")
