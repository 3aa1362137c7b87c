"""``layanan-rules serve``: the same engine over HTTP, for systems not written in Python.

Standard library only (:class:`http.server.ThreadingHTTPServer` and a small router), so
embedding it needs no dependency beyond layanan-rules itself. JSON in, JSON out, UTF-8::

    GET  /healthz                    liveness, version, loaded rulesets
    GET  /v1/rulesets                ids, versions, titles
    GET  /v1/rulesets/{id}/rules     rules with citations, severity, titles, remedies
    POST /v1/evaluate                {"ruleset", "as_of", "lang", "data", "show_personal_data"} -> Report.to_dict()
    POST /v1/expr                    {"expression", "bindings"} -> {"value", "type"}

Rulesets are loaded and compiled once, at start, and kept by id; a request can only name one
of them (never a folder), so one record costs what :func:`layanan_rules.evaluate` costs.

Every error is ``{"error": {"code", "message", "details"}}`` with a fixed set of codes
(:data:`ERROR_CODES`) and its HTTP status; a bug is a 500 with a generic message and the
traceback on stderr, never in the response. The server is meant to run behind the
organisation's reverse proxy (TLS, authentication) and binds 127.0.0.1 by default.
See ``docs/http-api.md`` and ``docs/openapi.json``.

Embedding without the command line::

    from layanan_rules.server import App, make_server
    app = App.from_refs(["uu-25-2009"])            # or App({ruleset.id: ruleset})
    app.handle("POST", "/v1/expr", b'{"expression": "1 + 1"}')   # -> Response(200, {"value": 2, ...})
    make_server(app, "127.0.0.1", 8025).serve_forever()
"""

from __future__ import annotations

import base64
import datetime as dt
import difflib
import json
import math
import re
import socket
import socketserver
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from typing import IO, Any
from urllib.parse import unquote, urlsplit

import attrs

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8025
DEFAULT_MAX_BODY = 10 * 1024 * 1024  # 10 MiB

#: every ``error.code`` a response may carry, with its usual HTTP status
ERROR_CODES: Mapping[str, int] = {
    "bad_request": 400,
    "not_found": 404,
    "method_not_allowed": 405,
    "payload_too_large": 413,
    "invalid_data": 422,
    "invalid_ruleset": 422,
    "internal_error": 500,
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
        body = {"error": {"code": self.code, "message": self.message, "details": self.details}}
        return Response(self.status, body, self.headers)


@attrs.frozen
class Response:
    """What the app answers: a status, a JSON-able body and extra headers."""

    status: int
    body: Any
    headers: Mapping[str, str] = attrs.field(factory=dict)

    def encode(self) -> bytes:
        return (json.dumps(self.body, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n").encode()


# --- the rulesets a server holds -----------------------------------------------------------------------------


@attrs.frozen
class BrokenRuleset:
    """A registered ruleset that did not load: requests naming it get ``invalid_ruleset``."""

    id: str
    problems: tuple[str, ...]


def load_rulesets(refs: Sequence[str] = (), *, plugin_manager: Any = None,
                  warn: Callable[[str], None] | None = None) -> tuple[dict[str, Any], dict[str, BrokenRuleset]]:
    """Load and compile rulesets once, keyed by their id.

    With ``refs`` (ids or folders), every one must load: a :class:`RulesetError` or
    :class:`UnknownRuleset` propagates. Without, every registered ruleset is loaded; one that
    fails is kept as a :class:`BrokenRuleset` (reported through ``warn``) so that one broken rule
    pack does not take the others down.
    """
    from layanan_rules import plugins
    from layanan_rules.rules.registry import available, load_ruleset
    from layanan_rules.rules.ruleset import RulesetError

    pm = plugin_manager or plugins.get_plugin_manager()
    loaded: dict[str, Any] = {}
    broken: dict[str, BrokenRuleset] = {}
    if refs:
        for ref in refs:
            rs = load_ruleset(ref, plugin_manager=pm)
            if rs.id in loaded:
                raise ValueError(f"ruleset '{rs.id}' disebut dua kali / given twice (--ruleset {ref})")
            loaded[rs.id] = rs
        return loaded, broken
    for rid in sorted(available(pm)):
        try:
            loaded[rid] = load_ruleset(rid, plugin_manager=pm)
        except RulesetError as exc:
            broken[rid] = BrokenRuleset(rid, tuple(str(p) for p in exc.problems))
            if warn:
                warn(f"peringatan: ruleset '{rid}' gagal dimuat ({len(exc.problems)} masalah), permintaan untuknya "
                     f"dijawab 422 / warning: ruleset '{rid}' failed to load ({len(exc.problems)} problem(s)); "
                     f"requests for it get 422\n" + str(exc))
    return loaded, broken


# --- converting results to JSON -------------------------------------------------------------------------------


def json_value(value: Any) -> Any:
    """A CEL result as plain JSON: dates and timestamps as ISO 8601 strings, durations as
    ``"90s"``, bytes as base64, ``NaN``/``Infinity`` as strings, types by name (CEL's JSON mapping)."""
    from layanan_rules.expr.runtime import CelType

    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)  # also UInt
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        micros = (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
        sign, micros = ("-", -micros) if micros < 0 else ("", micros)
        secs, frac = divmod(micros, 1_000_000)
        return f"{sign}{secs}.{frac:06d}".rstrip("0").rstrip(".") + "s" if frac else f"{sign}{secs}s"
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, CelType):
        return value.name
    if isinstance(value, Mapping):
        return {_json_key(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if attrs.has(type(value)):
        from layanan_rules.report.findings import _jsonable

        return _jsonable(value)
    if hasattr(value, "value") and isinstance(value.value, (str, int)):  # enums
        return value.value
    return str(value)


def _json_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def rule_dict(rule: Any) -> dict[str, Any]:
    """One rule for ``/v1/rulesets/{id}/rules``: the same citation shape as a finding's."""
    from layanan_rules.report.findings import citation_dict

    s = rule.spec
    return {
        "id": s.id,
        "version": rule.version,
        "title": {"id": s.title.id, "en": s.title.en},
        "applies_to": s.applies_to,
        "severity": s.severity.value,
        "when": s.when.strip() if s.when else None,
        "require": s.require.strip(),
        "legal_basis": [citation_dict(c) for c in s.legal_basis],
        "sanctions": [citation_dict(c) for c in s.sanctions],
        "sanction": citation_dict(s.sanction) if s.sanction else None,
        "remedy": {"id": s.remedy.id, "en": s.remedy.en},
        "tags": list(s.tags),
        "valid_from": s.valid_from.isoformat() if s.valid_from else None,
        "valid_to": s.valid_to.isoformat() if s.valid_to else None,
    }


# --- request bodies ----------------------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} bukan JSON yang sah / {name} is not valid JSON")


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
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ApiError("bad_request", f"JSON tidak valid: {exc.msg} (baris {exc.lineno}, kolom {exc.colno}) / "
                                      f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                       [{"message": exc.msg, "line": exc.lineno, "column": exc.colno}]) from None
    except ValueError as exc:
        raise ApiError("bad_request", f"JSON tidak valid / malformed JSON: {exc}") from None
    except RecursionError:
        raise ApiError("bad_request", "JSON terlalu dalam bersarang / JSON nested too deeply") from None


def _object(body: Any, allowed: Sequence[str], required: Sequence[str]) -> dict[str, Any]:
    """Check a request object's keys: all unknown and all missing ones reported at once."""
    if not isinstance(body, dict):
        raise ApiError("bad_request", f"badan permintaan harus objek JSON, bukan {_kind(body)} / "
                                      f"the request body must be a JSON object, not {_kind(body)}")
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


def _kind(value: Any) -> str:
    """The JSON type name of a parsed value (the same word in both languages)."""
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null",
            int: "number", float: "number"}.get(type(value), type(value).__name__)


def _field_error(field: str, message: str) -> ApiError:
    return ApiError("bad_request", f"{field}: {message}", [{"field": field, "message": message}])


# --- the app: routes, independent of the HTTP transport -------------------------------------------------------


@attrs.define
class Route:
    pattern: re.Pattern[str]
    methods: dict[str, Callable[..., Response]]


class App:
    """The HTTP API as a plain function of (method, path, body): :meth:`handle`.

    ``rulesets`` maps ids to loaded rulesets (compiled once); ``broken`` names registered ones
    that failed to load. Thread-safe: nothing is mutated after construction.
    """

    def __init__(self, rulesets: Mapping[str, Any], *, broken: Mapping[str, BrokenRuleset] | None = None,
                 default: str | None = None, functions: Mapping[str, Any] | None = None,
                 max_body: int = DEFAULT_MAX_BODY) -> None:
        from layanan_rules.rules.registry import DEFAULT_RULESET

        if not rulesets:
            raise ValueError("tidak ada ruleset yang dimuat / no ruleset loaded")
        self.rulesets = dict(rulesets)
        self.broken = dict(broken or {})
        self.default = default or (DEFAULT_RULESET if DEFAULT_RULESET in self.rulesets else next(iter(self.rulesets)))
        if self.default not in self.rulesets:
            raise ValueError(f"ruleset bawaan '{self.default}' tidak dimuat / default ruleset not loaded")
        if functions is None:
            functions = next(iter(self.rulesets.values())).functions
        self.functions = functions
        self.max_body = max_body
        self._rules_cache = {rid: [rule_dict(r) for r in rs.rules] for rid, rs in self.rulesets.items()}
        self.routes = [
            Route(re.compile(r"/healthz"), {"GET": self.healthz}),
            Route(re.compile(r"/v1/rulesets"), {"GET": self.list_rulesets}),
            Route(re.compile(r"/v1/rulesets/(?P<ruleset_id>[^/]+)/rules"), {"GET": self.list_rules}),
            Route(re.compile(r"/v1/evaluate"), {"POST": self.evaluate}),
            Route(re.compile(r"/v1/expr"), {"POST": self.expr}),
        ]

    @classmethod
    def from_refs(cls, refs: Sequence[str] = (), *, plugin_manager: Any = None, max_body: int = DEFAULT_MAX_BODY,
                  warn: Callable[[str], None] | None = None) -> App:
        """Load rulesets (see :func:`load_rulesets`) and build the app; the first ref is the default."""
        from layanan_rules import plugins
        from layanan_rules.rules import functions

        pm = plugin_manager or plugins.get_plugin_manager()
        loaded, broken = load_rulesets(refs, plugin_manager=pm, warn=warn)
        default = next(iter(loaded)) if refs else None
        app = cls(loaded, broken=broken, default=default, functions=functions.registry_from(pm), max_body=max_body)
        app.warm_up()
        return app

    def warm_up(self) -> None:
        """Evaluate one small record per ruleset and load the holiday calendars, so the first real
        request does not pay for lazy imports and caches."""
        record = {"unit": [{"id": "U1", "nama": "-"}], "layanan": [{"id": "L1", "unit_id": "U1", "nama": "-"}]}
        for rid in self.rulesets:
            self.handle("POST", "/v1/evaluate", json.dumps({"ruleset": rid, "as_of": "2025-01-31", "data": record}).encode())
        # the holiday calendars behind hari_kerja load per year on first use (~20 ms each): load them now
        last = dt.date.today().year + 1
        if "hari_kerja" in self.functions:
            self.handle("POST", "/v1/expr", json.dumps(
                {"expression": f'hari_kerja(date("2009-01-01"), date("{last}-12-31"))'}).encode())

    # -- dispatch

    def route(self, method: str, path: str) -> tuple[Callable[..., Response], dict[str, str]]:
        """The handler for ``method path`` and its path parameters; ``not_found`` / ``method_not_allowed``."""
        path = urlsplit(path).path
        if len(path) > 1:
            path = path.rstrip("/")
        for route in self.routes:
            m = route.pattern.fullmatch(path)
            if m is None:
                continue
            allowed = dict(route.methods)
            if "GET" in allowed:
                allowed["HEAD"] = allowed["GET"]
            if method not in allowed:
                allow = ", ".join(sorted(allowed))
                raise ApiError("method_not_allowed",
                               f"metode {method} tidak didukung untuk {path}; gunakan {allow} / "
                               f"method {method} is not allowed on {path}; use {allow}",
                               [{"message": f"allowed: {allow}"}], headers={"Allow": allow})
            return allowed[method], {k: unquote(v) for k, v in m.groupdict().items()}
        raise ApiError("not_found", f"tidak ada endpoint {path} / no endpoint {path}; lihat / see docs/http-api.md",
                       [{"message": "endpoints: GET /healthz, GET /v1/rulesets, GET /v1/rulesets/{id}/rules, "
                                    "POST /v1/evaluate, POST /v1/expr"}])

    def handle(self, method: str, path: str, body: bytes | None = None) -> Response:
        """Answer one request. Never raises: errors become their JSON response, bugs a generic 500."""
        try:
            handler, params = self.route(method.upper(), path)
            if method.upper() in ("POST", "PUT", "PATCH"):
                if body is not None and len(body) > self.max_body:
                    raise too_large(len(body), self.max_body)
                return handler(parse_json_body(body), **params)
            return handler(**params)
        except ApiError as exc:
            return exc.response()
        except Exception:  # noqa: BLE001 - a bug: log it, answer without internals
            traceback.print_exc(file=sys.stderr)
            return internal_error().response()

    # -- endpoints

    def healthz(self) -> Response:
        return Response(200, {"status": "ok", "version": VERSION, "rulesets": sorted(self.rulesets)})

    def list_rulesets(self) -> Response:
        out = []
        for rid, rs in sorted(self.rulesets.items()):
            s = rs.spec
            out.append({
                "id": rid, "version": rs.version, "status": "ok", "default": rid == self.default,
                "title": {"id": s.title.id, "en": s.title.en},
                "description": {"id": s.description.id, "en": s.description.en} if s.description else None,
                "rules": len(rs.rules),
                "effective_from": s.effective_from.isoformat() if s.effective_from else None,
            })
        for rid, b in sorted(self.broken.items()):
            out.append({"id": rid, "status": "invalid", "default": False, "problems": list(b.problems)})
        return Response(200, {"default": self.default, "rulesets": out})

    def _ruleset(self, rid: Any) -> Any:
        if not isinstance(rid, str):
            raise _field_error("ruleset", f"harus string id ruleset, bukan {_kind(rid)} / "
                                          f"must be a ruleset id string, not {_kind(rid)}")
        if rid in self.rulesets:
            return self.rulesets[rid]
        if rid in self.broken:
            problems = self.broken[rid].problems
            raise ApiError("invalid_ruleset",
                           f"ruleset '{rid}' gagal dimuat saat server mulai ({len(problems)} masalah) / "
                           f"ruleset '{rid}' failed to load when the server started ({len(problems)} problem(s))",
                           [{"message": p} for p in problems])
        known = sorted(self.rulesets)
        hint = difflib.get_close_matches(rid, known, n=1)
        did = f"; maksud Anda / did you mean '{hint[0]}'?" if hint else ""
        raise ApiError("not_found",
                       f"ruleset '{rid}' tidak dimuat di server ini / ruleset '{rid}' is not loaded on this server{did}"
                       f" — tersedia / available: {', '.join(known)}",
                       [{"field": "ruleset", "message": f"available: {', '.join(known)}"}])

    def list_rules(self, ruleset_id: str) -> Response:
        rs = self._ruleset(ruleset_id)
        return Response(200, {"ruleset": {"id": rs.id, "version": rs.version}, "rules": self._rules_cache[rs.id]})

    def evaluate(self, body: Any) -> Response:
        from layanan_rules.api import evaluate
        from layanan_rules.data.dataset import DataError
        from layanan_rules.report.scores import ScoreConfigError

        req = _object(body, ("ruleset", "as_of", "lang", "data", "show_personal_data"), ("data",))
        rs = self._ruleset(req.get("ruleset", self.default))
        as_of = req.get("as_of")
        if as_of is not None:
            try:
                if not isinstance(as_of, str) or len(as_of) != 10:
                    raise ValueError
                as_of = dt.date.fromisoformat(as_of)
            except ValueError:
                raise _field_error("as_of", f"{json.dumps(as_of, ensure_ascii=False)}: pakai YYYY-MM-DD / "
                                            "use YYYY-MM-DD, e.g. 2025-01-31") from None
        lang = req.get("lang", "id")
        if lang not in ("id", "en"):
            raise _field_error("lang", f"{json.dumps(lang, ensure_ascii=False)}: pilih / choose \"id\" atau/or \"en\"")
        show = req.get("show_personal_data", False)
        if not isinstance(show, bool):
            raise _field_error("show_personal_data", f"harus true atau false / must be true or false, not {_kind(show)}")
        data = req["data"]
        if not isinstance(data, dict):
            raise ApiError("invalid_data",
                           f"data harus berupa objek JSON berkunci nama entitas (layanan, unit, ...), bukan {_kind(data)} "
                           f"/ data must be a JSON object keyed by entity name, not {_kind(data)}",
                           [{"field": "data", "message": "expected {\"layanan\": [...], \"unit\": [...], ...}"}])
        try:
            report = evaluate(rs, data, as_of=as_of)
            return Response(200, report.to_dict(lang=lang, show_personal=show))
        except DataError as exc:
            raise ApiError("invalid_data", str(exc), [{"field": "data", "message": str(exc)}]) from None
        except ScoreConfigError as exc:
            raise ApiError("invalid_ruleset", str(exc), [{"message": str(exc)}]) from None

    def expr(self, body: Any) -> Response:
        from layanan_rules import expr
        from layanan_rules.expr.runtime import type_of

        req = _object(body, ("expression", "bindings"), ("expression",))
        source = req["expression"]
        if not isinstance(source, str) or not source.strip():
            raise _field_error("expression", "harus string CEL yang tidak kosong / must be a non-empty CEL string")
        bindings = req.get("bindings") or {}
        if not isinstance(bindings, dict):
            raise _field_error("bindings", f"harus objek nama -> nilai / must be an object name -> value, "
                                           f"not {_kind(bindings)}")
        bad = [k for k in bindings if not k.isidentifier()]
        if bad:
            raise _field_error("bindings", f"nama variabel tidak sah / invalid variable name(s): {', '.join(bad)}")
        try:
            value = expr.evaluate(source, bindings, self.functions)
        except expr.ExprErrors as exc:
            details = [{"message": getattr(e, "message", str(e)), "line": getattr(e, "line", None),
                        "column": getattr(e, "column", None)}
                       | ({"suggestion": e.suggestion} if getattr(e, "suggestion", None) else {})
                       for e in exc.errors]
            raise ApiError("bad_request", f"ekspresi tidak valid / invalid expression: {exc}", details) from None
        except expr.CelError as exc:
            raise ApiError("invalid_data", f"evaluasi ekspresi gagal / evaluating the expression failed: {exc.message}",
                           [{"message": exc.message, "reason": exc.reason}
                            | ({"path": exc.path} if exc.path else {})]) from None
        except RecursionError:
            raise ApiError("bad_request", "ekspresi atau nilai terlalu dalam bersarang / "
                                          "expression or bindings nested too deeply") from None
        return Response(200, {"value": json_value(value), "type": type_of(value).name})


def too_large(size: int, limit: int) -> ApiError:
    return ApiError("payload_too_large",
                    f"badan permintaan {size} bita melebihi batas {limit} bita (--max-body) / "
                    f"request body of {size} bytes exceeds the limit of {limit} bytes (--max-body)",
                    [{"message": f"limit: {limit} bytes", "limit": limit}])


def internal_error() -> ApiError:
    return ApiError("internal_error",
                    "galat internal server; rinciannya dicatat di log server / "
                    "internal server error; the details are in the server log")


# --- the HTTP transport ---------------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    """Reads a request, hands it to :class:`App`, writes the JSON answer and one log line."""

    protocol_version = "HTTP/1.1"  # keep-alive: a client checking many records reuses one connection
    server_version = f"layanan-rules/{VERSION}"
    sys_version = ""
    timeout = 60  # an idle or stalled connection gives its thread back after this many seconds
    # headers and body are two writes: without TCP_NODELAY a small answer waits ~40 ms for the
    # client's delayed ACK (Nagle), which is most of the latency of /v1/expr and /healthz
    disable_nagle_algorithm = True
    server: Server

    def version_string(self) -> str:
        return self.server_version  # no Python version in the Server header

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):  # every method reaches the router: unknown ones get a JSON 405
            return self._dispatch
        raise AttributeError(name)

    def _dispatch(self) -> None:
        started = time.perf_counter()
        app = self.server.app
        try:
            response = app.handle(self.command, self.path, self._read_body(app.max_body))
        except ApiError as exc:
            response = exc.response()
        self._send(response, head=self.command == "HEAD", started=started)
        self.server.log_request_line(self.command, self.path, response.status, time.perf_counter() - started)

    def _read_body(self, limit: int) -> bytes | None:
        """The body the request declares (any method, so keep-alive stays in step), within ``limit``.

        ``Content-Length`` or ``Transfer-Encoding: chunked`` (what Go, Node and Java clients send
        for a streamed body). Over the limit: 413, and the connection is closed after the answer.
        """
        encoding = self.headers.get("Transfer-Encoding", "").strip().lower()
        if encoding:
            if encoding != "chunked":
                self.close_connection = True
                raise ApiError("bad_request", f"Transfer-Encoding '{encoding}' tidak didukung / is not supported; "
                                              "kirim / send Content-Length atau/or chunked")
            return self._read_chunked(limit)
        raw = self.headers.get("Content-Length")
        if raw is None:
            return None
        try:
            length = int(raw)
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            raise ApiError("bad_request", f"Content-Length tidak sah / invalid Content-Length: {raw!r}") from None
        if length > limit:
            self.close_connection = True  # the unread body must not be taken for the next request
            self._discard(length)
            raise too_large(length, limit)
        return self.rfile.read(length)

    def _read_chunked(self, limit: int) -> bytes:
        body = bytearray()
        while True:
            line = self.rfile.readline(1026)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
                if size < 0:
                    raise ValueError
            except ValueError:
                self.close_connection = True
                raise ApiError("bad_request", "badan chunked rusak / malformed chunked body") from None
            if size == 0:
                while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                    pass  # trailers: ignored
                return bytes(body)
            if len(body) + size > limit:
                self.close_connection = True
                self._discard_chunked(size)
                raise too_large(len(body) + size, limit)
            chunk = self.rfile.read(size)
            if len(chunk) < size:
                self.close_connection = True
                raise ApiError("bad_request", "badan chunked terpotong / truncated chunked body")
            body += chunk
            self.rfile.readline(8)  # the CRLF after the chunk

    def _discard(self, length: int) -> None:
        """Read and drop up to 256 KiB of a refused body, within a second, so that closing the
        connection does not reset it before the client has read the answer."""
        try:
            self.connection.settimeout(1.0)
            left = min(length, 256 * 1024)
            while left > 0:
                got = self.rfile.read1(min(left, 65536)) if hasattr(self.rfile, "read1") else self.rfile.read(
                    min(left, 65536))
                if not got:
                    break
                left -= len(got)
        except OSError:
            pass

    def _discard_chunked(self, size: int) -> None:
        """The rest of a refused chunked body, from a chunk of ``size`` bytes on, dropped as
        :meth:`_discard` does (at most 256 KiB, within a second): a client still sending its last
        chunks must not meet a reset connection instead of the answer."""
        try:
            self.connection.settimeout(1.0)
            left = 256 * 1024
            while 0 < size <= left:
                left -= size
                while size > 0:
                    got = self.rfile.read(min(size, 65536))
                    if not got:
                        return
                    size -= len(got)
                self.rfile.readline(8)  # the CRLF after the chunk
                line = self.rfile.readline(1026)
                size = int(line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
        except (OSError, ValueError):
            pass

    def handle_expect_100(self) -> bool:
        """``Expect: 100-continue``: refuse an oversized body before the client sends it."""
        raw = self.headers.get("Content-Length", "")
        if raw.isdigit() and int(raw) > self.server.app.max_body:
            self.close_connection = True
            self._send(too_large(int(raw), self.server.app.max_body).response())
            self.server.log_request_line(self.command, self.path, 413, 0.0)
            return False
        return super().handle_expect_100()

    def _send(self, response: Response, *, head: bool = False, started: float | None = None) -> None:
        payload = response.encode()
        self.send_response(response.status)
        if started is not None:  # the server's own share of the latency: body read, evaluation, JSON
            self.send_header("Server-Timing", f"app;dur={(time.perf_counter() - started) * 1000:.2f}")
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in response.headers.items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(payload)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (a malformed request line, headers too long) in our JSON shape."""
        self.close_connection = True
        err = ApiError("method_not_allowed" if code in (405, 501) else "bad_request",
                       f"permintaan HTTP tidak valid / invalid HTTP request: {message or code}", status=code)
        try:
            self._send(err.response(), head=self.command == "HEAD")
        except OSError:
            return
        self.server.log_request_line(getattr(self, "command", None) or "-", getattr(self, "path", None) or "-",
                                     code, 0.0)

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        pass  # one line per request is written by the server, with the time taken

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            self.server.log(f"{self.address_string()} {format % args}")


class Server(ThreadingHTTPServer):
    """A threaded HTTP server around an :class:`App`; one thread per connection."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: App, *, quiet: bool = False,
                 stream: IO[str] | None = None) -> None:
        self.app = app
        self.quiet = quiet
        self.stream = stream
        self._log_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse-DNS lookup of the host (slow on machines without DNS)."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}"

    def log(self, line: str) -> None:
        stream = self.stream or sys.stderr
        with self._log_lock:
            stream.write(line + "\n")
            stream.flush()

    def log_request_line(self, method: str, path: str, status: int, seconds: float) -> None:
        """``2026-11-28T05:00:00Z POST /v1/evaluate 200 3.1ms`` on stderr, unless quiet."""
        if self.quiet:
            return
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        path = urlsplit(path).path if path != "-" else path
        path = "".join(c if c.isprintable() and c != " " else f"\\x{ord(c):02x}" for c in path)  # no log injection
        self.log(f"{stamp} {method} {path} {status} {seconds * 1000:.1f}ms")

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection that broke mid-way (client gone) is not worth a traceback; anything else is."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        traceback.print_exc(file=sys.stderr)


def make_server(app: App, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, quiet: bool = False,
                stream: IO[str] | None = None) -> Server:
    """Bind ``host:port`` (port 0: any free port, see ``server.url``); then call ``serve_forever()``."""
    return Server((host, port), app, quiet=quiet, stream=stream)
