"""The HTTP API as a plain function: :meth:`App.handle` ``(method, path, body, headers) -> Response``.

This is the core of ``layanan-rules serve``; the transport around it (ASGI on uvicorn, worker
processes, budgets, metrics, logs, authentication) is in :mod:`layanan_rules.server.asgi` and
:mod:`layanan_rules.server.pool`. The routes::

    GET  /healthz                    liveness, version, loaded rulesets
    GET  /v1/rulesets                ids, versions, titles
    GET  /v1/rulesets/{id}/rules     rules with citations, severity, titles, remedies
    POST /v1/evaluate                {"ruleset", "as_of", "lang", "data", "show_personal_data"} -> Report.to_dict() as JSON
    POST /v1/expr                    {"expression", "bindings"} -> {"value", "type"}
    POST /v1/report                  a workbook (multipart/form-data) -> the report as html, xlsx, json, ...
    GET  /                           the upload page for people (Indonesian first)
    GET  /v1/docs                    this API, readable; /openapi.json and /report-schema.json describe it

Rulesets are loaded and compiled once, at start, and kept by id; a request can only name one
of them (never a folder), so one record costs what :func:`layanan_rules.evaluate` costs.

Every error is ``{"error": {"code", "message", "details"}}`` with a fixed set of codes
(:data:`ERROR_CODES`) and its HTTP status (an HTML page instead for a browser posting the upload
form); a bug is a 500 with a generic message and the traceback in the log, never in the
response. See ``docs/http-api.md`` and ``docs/openapi.json``.

Embedding without a server::

    from layanan_rules.server import App
    app = App.from_refs(["uu-25-2009"])            # or App({ruleset.id: ruleset})
    app.handle("POST", "/v1/expr", b'{"expression": "1 + 1"}')   # -> Response(200, {"value": 2, ...})
"""

from __future__ import annotations

import base64
import datetime as dt
import difflib
import json
import logging
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

import attrs

from layanan_rules.server.messages import (
    DEFAULT_MAX_BODY,
    HTML_TYPE,
    VERSION,
    ApiError,
    Response,
    as_of_date,
    field_error,
    internal_error,
    json_object,
    kind,
    language,
    parse_json_body,
    too_large,
    wants_html,
)

log = logging.getLogger("layanan_rules.server")


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
        from layanan_rules.report.evidence import _jsonable

        return _jsonable(value)
    if hasattr(value, "value") and isinstance(value.value, (str, int)):  # enums
        return value.value
    return str(value)


def report_json(report: Any, head: dict[str, Any], *, lang: str, show_personal: bool,
                rules: bytes | None = None) -> bytes:
    """:meth:`Report.to_dict` as JSON bytes (the same document, report schema 3), written without
    building a dict per finding: the head through orjson, the ``units`` map, the findings with
    something to say as the report's own JSON lines (:func:`~layanan_rules.report.stream.finding_lines`:
    taken a batch of up to ``BATCH_ROWS`` rows at a time, so a table of many one-row batches pays
    the Arrow kernels' fixed cost once per batch taken, not per rule) and the quiet ones as ids
    (:func:`~layanan_rules.report.stream.quiet_lines`), spliced in.

    ``rules``: the rules map already encoded (:meth:`App.rules_json`), written where the head holds
    None for it (``head(rules=False)``).
    """
    from layanan_rules.report.stream import finding_lines, json_units, quiet_lines, report_source
    from layanan_rules.report.table import quiet
    from layanan_rules.server.messages import dumps

    table = report.to_arrow(lang=lang, show_personal=show_personal)
    if rules is None:
        out = [dumps(head)[:-2], b',"findings":[']  # dumps ends with "}\n"
    else:  # the head's keys before the rules map, the map, the keys after it
        items = list(head.items())
        at = [k for k, _v in items].index("rules")
        out = [dumps(dict(items[:at]))[:-2], b',"rules":', rules, b",", dumps(dict(items[at + 1:]))[1:-2],
               b',"findings":[']
    units = json_units(table)
    mask = quiet(table)  # once, for both lists
    out[-1] = b',"units":' + dumps(units)[:-1] + out[-1]  # schema 3: the units map, then the findings
    source = report_source(report)
    first = True
    for lines in finding_lines(table, units, source, mask):  # the findings with something to say, a batch at a time
        if lines:
            out.append(("," if not first else "").encode() + ",".join(lines).encode())
            first = False
    out.append(b'],"quiet":[')
    first = True
    for lines in quiet_lines(table, units, mask):
        if lines:
            out.append(("," if not first else "").encode() + ",".join(lines).encode())
            first = False
    out.append(b"]}\n")
    return b"".join(out)


def _json_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def rule_dict(rule: Any) -> dict[str, Any]:
    """One rule for ``/v1/rulesets/{id}/rules``: the same citation shape as a finding's."""
    from layanan_rules.report.evidence import citation_dict

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


# --- the app: routes, independent of the HTTP transport -------------------------------------------------------


@attrs.define
class Route:
    """One endpoint. ``name`` is its path template (as in the OpenAPI document, metrics and logs);
    ``isolated``: CPU-heavy work on client input, which a server runs in a worker process under the
    request's time and memory budget; ``raw``: the handler takes the body bytes and headers."""

    name: str
    methods: dict[str, Callable[..., Response]]
    isolated: bool = False
    raw: bool = False
    pattern: re.Pattern[str] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.pattern = re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.name)))


class App:
    """The HTTP API as a plain function of (method, path, body, headers): :meth:`handle`.

    ``rulesets`` maps ids to loaded rulesets (compiled once); ``broken`` names registered ones
    that failed to load. Thread-safe: nothing is mutated after construction.
    """

    def __init__(self, rulesets: Mapping[str, Any], *, broken: Mapping[str, BrokenRuleset] | None = None,
                 default: str | None = None, functions: Mapping[str, Any] | None = None,
                 max_body: int = DEFAULT_MAX_BODY, plugin_manager: Any = None) -> None:
        from layanan_rules import plugins
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
        self.plugin_manager = plugin_manager or plugins.get_plugin_manager()
        # answers that never change, encoded once: the GET endpoints cost a dictionary lookup
        self._rules_cache = {rid: Response(200, {"ruleset": {"id": rs.id, "version": rs.version},
                                                 "rules": [rule_dict(r) for r in rs.rules]}).encode()
                             for rid, rs in self.rulesets.items()}
        self._static: dict[str, bytes] = {}
        #: (ruleset id, ids of the rules with findings) -> the report's rules map as JSON: the same
        #: for every request that evaluated the same rules (a race only encodes it twice)
        self._rules_maps: dict[tuple[str, tuple[str, ...]], bytes] = {}
        self.routes = [
            Route("/healthz", {"GET": self.healthz}),
            Route("/v1/rulesets", {"GET": self.list_rulesets}),
            Route("/v1/rulesets/{id}/rules", {"GET": self.list_rules}),
            Route("/v1/evaluate", {"POST": self.evaluate}, isolated=True),
            Route("/v1/expr", {"POST": self.expr}, isolated=True),
            Route("/v1/report", {"POST": self.report}, isolated=True, raw=True),
            Route("/", {"GET": self.index}),
            Route("/v1/docs", {"GET": self.docs}),
            Route("/openapi.json", {"GET": self.openapi}),
            Route("/report-schema.json", {"GET": self.report_schema}),
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
        app = cls(loaded, broken=broken, default=default, functions=functions.registry_from(pm), max_body=max_body,
                  plugin_manager=pm)
        app.warm_up()
        return app

    def warm_up(self) -> None:
        """Evaluate one small record per ruleset, render one report and load the holiday calendars,
        so the first real request does not pay for lazy imports and caches."""
        record = {"unit": [{"id": "U1", "nama": "-"}], "layanan": [{"id": "L1", "unit_id": "U1", "nama": "-"}]}
        for rid in self.rulesets:
            self.handle("POST", "/v1/evaluate", json.dumps({"ruleset": rid, "as_of": "2025-01-31", "data": record}).encode())
        from layanan_rules.server import forms

        self.handle("POST", "/v1/report", *forms.encode({"file": ("warm-up.json", json.dumps(record).encode()),
                                                         "as_of": "2025-01-31"}))
        # the holiday calendars behind hari_kerja load per year on first use (~20 ms each): load them now
        last = dt.date.today().year + 1
        if "hari_kerja" in self.functions:
            self.handle("POST", "/v1/expr", json.dumps(
                {"expression": f'hari_kerja(date("2009-01-01"), date("{last}-12-31"))'}).encode())

    # -- dispatch

    def match(self, method: str, path: str) -> tuple[Route, Callable[..., Response], dict[str, str]]:
        """The route for ``method path``, its handler and path parameters; ``not_found`` / ``method_not_allowed``."""
        path = _route_path(path)
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
            return route, allowed[method], {k: unquote(v) for k, v in m.groupdict().items()}
        raise ApiError("not_found", f"tidak ada endpoint {path} / no endpoint {path}; lihat / see /v1/docs",
                       [{"message": "endpoints: " + ", ".join(
                           f"{m} {r.name}" for r in self.routes for m in r.methods)}])

    def classify(self, method: str, path: str) -> tuple[str, bool]:
        """``(route name, isolated)`` for a request: the path template (``"other"`` when no route
        matches, so that metrics and logs never carry a path a client typed) and whether the
        request runs in a worker process (an isolated route, with a method it accepts)."""
        path = _route_path(path)
        for route in self.routes:
            if route.pattern.fullmatch(path):
                return route.name, route.isolated and method.upper() in route.methods
        return "other", False

    def handle(self, method: str, path: str, body: bytes | None = None,
               headers: Mapping[str, str] | None = None) -> Response:
        """Answer one request. Never raises (but :class:`MemoryError`): errors become their JSON
        response (an HTML page for a browser posting the upload form), bugs a generic 500."""
        method = method.upper()
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        html = False
        try:
            route, handler, params = self.match(method, path)
            html = route.raw and wants_html(headers)
            if method in ("POST", "PUT", "PATCH"):
                if body is not None and len(body) > self.max_body:
                    raise too_large(len(body), self.max_body)
                if route.raw:
                    return handler(body or b"", headers, **params)
                return handler(parse_json_body(body), **params)
            return handler(**params)
        except ApiError as exc:
            return _answer(exc, html)
        except MemoryError:
            raise  # not a request error: the server answers it as a budget exceeded
        except Exception:
            log.exception("galat internal / internal error: %s %s", method, urlsplit(path).path)
            return _answer(internal_error(), html)

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
            raise field_error("ruleset", f"harus string id ruleset, bukan {kind(rid)} / "
                                          f"must be a ruleset id string, not {kind(rid)}")
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

    def list_rules(self, id: str) -> Response:
        rs = self._ruleset(id)
        return Response(200, self._rules_cache[rs.id])

    def evaluate(self, body: Any) -> Response:
        from layanan_rules.api import evaluate
        from layanan_rules.data.dataset import DataError
        from layanan_rules.report.scores import ScoreConfigError

        req = json_object(body, ("ruleset", "as_of", "lang", "data", "show_personal_data"), ("data",))
        rs = self._ruleset(req.get("ruleset", self.default))
        as_of = as_of_date(req.get("as_of"))
        lang = language(req.get("lang", "id"))
        show = req.get("show_personal_data", False)
        if not isinstance(show, bool):
            raise field_error("show_personal_data", f"harus true atau false / must be true or false, not {kind(show)}")
        data = req["data"]
        if not isinstance(data, dict):
            raise ApiError("invalid_data",
                           f"data harus berupa objek JSON berkunci nama entitas (layanan, unit, ...), bukan {kind(data)} "
                           f"/ data must be a JSON object keyed by entity name, not {kind(data)}",
                           [{"field": "data", "message": "expected {\"layanan\": [...], \"unit\": [...], ...}"}])
        try:
            report = evaluate(rs, data, as_of=as_of)
            head = report.head(lang=lang, show_personal=show, rules=False)
            body = report_json(report, head, lang=lang, show_personal=show, rules=self.rules_json(rs, report))
        except DataError as exc:
            raise ApiError("invalid_data", str(exc), [{"field": "data", "message": str(exc)}]) from None
        except ScoreConfigError as exc:
            raise ApiError("invalid_ruleset", str(exc), [{"message": str(exc)}]) from None
        return Response(200, body, states=(rs.id, head["summary"]["states"]))

    #: distinct rules maps kept encoded (one per set of rules a request's data made apply)
    RULES_MAPS = 256

    def rules_json(self, rs: Any, report: Any) -> bytes:
        """``report.rules()`` as JSON, encoded once per ruleset and set of rules with findings: it
        depends on nothing else (a server's rulesets and their parameters are fixed; both
        languages are in it). A one-record answer's map is most of its bytes and ~1.5 ms to make."""
        from layanan_rules.server.messages import dumps

        key = (rs.id, report.findings_table().rule_ids())
        got = self._rules_maps.get(key)
        if got is None:
            if len(self._rules_maps) >= self.RULES_MAPS:
                self._rules_maps.clear()
            got = self._rules_maps[key] = dumps(report.rules())[:-1]
        return got

    def expr(self, body: Any) -> Response:
        from layanan_rules import expr
        from layanan_rules.expr.runtime import type_of

        req = json_object(body, ("expression", "bindings"), ("expression",))
        source = req["expression"]
        if not isinstance(source, str) or not source.strip():
            raise field_error("expression", "harus string CEL yang tidak kosong / must be a non-empty CEL string")
        bindings = req.get("bindings") or {}
        if not isinstance(bindings, dict):
            raise field_error("bindings", f"harus objek nama -> nilai / must be an object name -> value, "
                                           f"not {kind(bindings)}")
        bad = [k for k in bindings if not k.isidentifier()]
        if bad:
            raise field_error("bindings", f"nama variabel tidak sah / invalid variable name(s): {', '.join(bad)}")
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

    def report(self, body: bytes, headers: Mapping[str, str]) -> Response:
        """A workbook (or any file an adapter reads) uploaded as ``multipart/form-data``, evaluated
        and rendered in the requested format: what ``layanan-rules evaluate FILE --format F`` writes."""
        from layanan_rules.server import forms

        return forms.report(self, body, headers)

    def index(self) -> Response:
        from layanan_rules.server import web

        return Response(200, web.index_page(self).encode(), web.PAGE_HEADERS, media_type=HTML_TYPE)

    def docs(self) -> Response:
        from layanan_rules.server import web

        if "docs" not in self._static:
            self._static["docs"] = web.docs_page(json.loads(self._schema("openapi.json"))).encode()
        return Response(200, self._static["docs"], web.PAGE_HEADERS, media_type=HTML_TYPE)

    def openapi(self) -> Response:
        return Response(200, self._schema("openapi.json"))

    def report_schema(self) -> Response:
        return Response(200, self._schema("report-schema.json"))

    def _schema(self, name: str) -> bytes:
        """docs/openapi.json and docs/report-schema.json, shipped as ``layanan_rules.schemas``."""
        if name not in self._static:
            from importlib import resources

            self._static[name] = resources.files("layanan_rules.schemas").joinpath(name).read_bytes()
        return self._static[name]


def _route_path(path: str) -> str:
    path = urlsplit(path).path
    return path.rstrip("/") or "/" if len(path) > 1 else path


def _answer(err: ApiError, html: bool) -> Response:
    from layanan_rules.server import web

    return web.answer(err, html)
