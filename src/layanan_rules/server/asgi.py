"""The ASGI application around :meth:`App.handle`, as ``layanan-rules serve`` runs it on uvicorn.

Starlette gives the request and response objects, the middleware stack and the lifespan; its
router is not used for the API, because :class:`App` is the router (one list of routes, one
error shape, the same answers in-process and over HTTP). What this layer adds:

- **isolation**: isolated routes (evaluate, expr, report) run in worker processes
  (:mod:`layanan_rules.server.pool`) within the time and memory budgets; everything else
  (``/healthz``, rulesets, pages, ``/metrics``) is answered here at once, so a heavy request
  never delays a probe;
- **the body limit** (``413`` from ``Content-Length`` before the body is read, or as soon as a
  chunked body passes it);
- **request ids** (``X-Request-ID``: the client's, when it is a plain token, or a new one), a
  JSON access log line per request (:mod:`layanan_rules.server.logs`), ``Server-Timing``;
- **/metrics** in the Prometheus text format;
- **authentication** with bearer tokens when configured (:mod:`layanan_rules.server.auth`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response as StarletteResponse
from starlette.responses import StreamingResponse
from starlette.routing import Route

from layanan_rules.server import auth, logs
from layanan_rules.server.app import App
from layanan_rules.server.messages import ApiError, Response, too_large, wants_html
from layanan_rules.server.pool import Pool, Streamed, stopping_error
from layanan_rules.server.web import answer

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

METRICS_ROUTE = "/metrics"
HTML_ROUTES = frozenset({"/", "/v1/report", "/v1/docs"})
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_DRAIN_BYTES, _DRAIN_SECONDS = 16 * 1024 * 1024, 5.0
_ROUTE = "layanan_rules.route"  # the scope key Observe puts (route name, isolated) under, for Core
log = logging.getLogger("layanan_rules.server")


class Metrics:
    """The server's Prometheus metrics, in a registry of their own."""

    def __init__(self, pool: Pool | None = None) -> None:
        from prometheus_client import (
            CollectorRegistry,
            Counter,
            Gauge,
            Histogram,
            ProcessCollector,
            disable_created_metrics,
        )

        disable_created_metrics()  # type: ignore[no-untyped-call]  # no *_created series: half the lines, nothing a dashboard uses
        self.registry = registry = CollectorRegistry()
        ProcessCollector(registry=registry)  # the front process: CPU seconds, resident memory, open files
        self.requests = Counter("layanan_rules_http_requests", "Permintaan HTTP terjawab / HTTP requests answered",
                                ["route", "method", "status"], registry=registry)
        self.latency = Histogram("layanan_rules_http_request_duration_seconds",
                                 "Waktu menjawab / time to answer, seconds", ["route", "method"], registry=registry,
                                 buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
        self.in_flight = Gauge("layanan_rules_http_requests_in_flight", "Permintaan yang sedang dijawab / requests "
                               "being answered", registry=registry)
        self.findings = Counter("layanan_rules_findings", "Temuan yang dilaporkan / findings reported, "
                                "by ruleset and state", ["ruleset", "state"], registry=registry)
        self.workers = Gauge("layanan_rules_workers", "Proses pekerja / worker processes", registry=registry)
        self.workers_busy = Gauge("layanan_rules_workers_busy", "Proses pekerja yang sibuk / busy worker processes",
                                  registry=registry)
        self.worker_restarts = Counter("layanan_rules_worker_restarts", "Proses pekerja yang diganti / worker "
                                       "processes replaced, by reason (time, memory, worn, crash, cancelled, send_timeout)",
                                       ["reason"], registry=registry)
        self.budget_exceeded = Counter("layanan_rules_budget_exceeded", "Permintaan yang melewati batas / requests "
                                       "over a budget (time, memory)", ["budget"], registry=registry)
        self.worker_memory = Gauge("layanan_rules_worker_resident_memory_bytes", "Memori residen semua proses "
                                   "pekerja / resident memory of all worker processes", registry=registry)
        if pool is not None:  # read from the pool when scraped, not set on every request
            self.worker_memory.set_function(lambda: sum(_resident(pid) for pid in pool.pids()))
            self.workers.set_function(lambda: len(pool.workers))
            self.workers_busy.set_function(pool.busy)
        # label children by their label values: ``labels()`` costs a lock and a tuple per call
        self._children: dict[tuple[Any, ...], Any] = {}

    def child(self, metric: Any, *values: str) -> Any:
        """``metric.labels(*values)``, looked up once."""
        key = (id(metric), *values)
        got = self._children.get(key)
        if got is None:
            got = self._children[key] = metric.labels(*values)
        return got

    def render(self) -> bytes:
        from prometheus_client import generate_latest

        return generate_latest(self.registry)


def _resident(pid: int) -> int:
    import os

    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class Core:
    """The catch-all endpoint: reads the body within the limit and answers through the app or a worker."""

    def __init__(self, app: App, pool: Pool | None, metrics: Metrics, grace: float = 30.0) -> None:
        self.app, self.pool, self.metrics, self.grace = app, pool, metrics, grace

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        method = request.method
        path = _path(scope)
        route, isolated = scope.get(_ROUTE) or _classify(self.app, method, path)
        headers = {k: request.headers[k] for k in ("content-type", "accept") if k in request.headers}
        html = route in HTML_ROUTES and wants_html(headers)
        close = False
        response: Response | Streamed
        try:
            body = await _read_body(request, self.app.max_body)
        except ApiError as exc:
            response, close = answer(exc, html), True
        else:
            if route == METRICS_ROUTE:
                response = (Response(200, self.metrics.render(), media_type=_prometheus_type())
                            if method in ("GET", "HEAD") else answer(_metrics_method(method), html))
            elif isolated and self.pool is not None:
                try:
                    response = await self.pool.run(method, path, body, headers, request_id=logs.request_id.get(),
                                                   html=html)
                except asyncio.CancelledError:  # stopping, and the grace period is over: say so, then end
                    current = asyncio.current_task()
                    if current is not None:
                        current.uncancel()
                    response, close = answer(stopping_error(self.grace), html), True
            else:
                response = self.app.handle(method, path, body, headers)
        head = response.response if isinstance(response, Streamed) else response
        if head.states is not None:
            ruleset, states = head.states
            for state, n in states.items():
                if n:
                    self.metrics.child(self.metrics.findings, ruleset, state).inc(n)
        extra = {"Cache-Control": "no-store"}
        if close:
            extra["Connection"] = "close"
        if isinstance(response, Streamed):  # a large answer: passed on as the worker sends it
            head = response.response
            out: StarletteResponse = StreamingResponse(
                response.chunks, head.status, {**extra, **head.headers, "Content-Length": str(response.length)},
                media_type=head.media_type)
            try:
                await out(scope, receive, send)
            finally:
                await response.chunks.aclose()  # type: ignore[attr-defined]
            return
        out = StarletteResponse(response.encode(), response.status, {**extra, **response.headers},
                                media_type=response.media_type)
        await out(scope, receive, send)


def _path(scope: Scope) -> str:
    raw = scope.get("raw_path")
    return raw.decode("latin-1") if raw else str(scope["path"])


def _classify(app: App, method: str, path: str) -> tuple[str, bool]:
    if path.split("?", 1)[0].rstrip("/") == METRICS_ROUTE:
        return METRICS_ROUTE, False
    return app.classify(method, path)


def _metrics_method(method: str) -> ApiError:
    return ApiError("method_not_allowed", f"metode {method} tidak didukung untuk {METRICS_ROUTE}; gunakan GET, HEAD / "
                                          f"method {method} is not allowed on {METRICS_ROUTE}; use GET, HEAD",
                    [{"message": "allowed: GET, HEAD"}], headers={"Allow": "GET, HEAD"})


def _prometheus_type() -> str:
    from prometheus_client import CONTENT_TYPE_LATEST

    return str(CONTENT_TYPE_LATEST)


async def _read_body(request: Request, limit: int) -> bytes:
    """The whole body, refused with 413 from ``Content-Length`` alone or once a chunked body passes ``limit``."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        if "100-continue" not in request.headers.get("expect", "").lower():
            await _drain(request)  # a browser sends the whole file anyway: let it, so it can show the 413
        raise too_large(int(declared), limit)  # a client waiting on 100-continue has sent nothing
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            await _drain(request)
            raise too_large(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def _drain(request: Request) -> None:
    """Read and drop the rest of a refused body (at most 16 MiB, within 5 seconds), so that closing
    the connection does not reset it before the client (a browser uploading a file) has read the 413."""
    left = _DRAIN_BYTES
    with contextlib.suppress(Exception):
        async with asyncio.timeout(_DRAIN_SECONDS):
            async for chunk in request.stream():
                left -= len(chunk)
                if left <= 0:
                    break


class Observe:
    """Middleware: request id, authentication, metrics and one access log line per request."""

    def __init__(self, asgi: Callable[[Scope, Receive, Send], Awaitable[None]], *, app: App, metrics: Metrics,
                 tokens: auth.Tokens) -> None:
        self.asgi, self.app, self.metrics, self.tokens = asgi, app, metrics, tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.asgi(scope, receive, send)
            return
        started = time.perf_counter()
        method = scope["method"]
        classified = scope[_ROUTE] = _classify(self.app, method, _path(scope))
        route = classified[0]
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", ())}
        given = headers.get("x-request-id", "")
        rid = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = logs.request_id.set(rid)
        status, sent, received = 500, 0, 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            return message

        async def observed_send(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                elapsed = (time.perf_counter() - started) * 1000
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", rid.encode()),
                                      (b"x-content-type-options", b"nosniff"),
                                      (b"server-timing", f"app;dur={elapsed:.2f}".encode())]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        self.metrics.in_flight.inc()
        try:
            if self.tokens and route not in auth.OPEN_ROUTES and not self.tokens.allows(headers.get("authorization")):
                await self._unauthorized(scope, receive, observed_send, html=route in HTML_ROUTES and
                                         wants_html(headers))
            else:
                await self.asgi(scope, counted_receive, observed_send)
        finally:
            self.metrics.in_flight.dec()
            elapsed = time.perf_counter() - started
            label = method if method in _METHODS else "other"
            self.metrics.child(self.metrics.requests, route, label, str(status)).inc()
            self.metrics.child(self.metrics.latency, route, label).observe(elapsed)
            logs.event(logs.access, logging.INFO, f"{label} {route} {status}", event="request", method=label,
                       route=route, status=status, duration_ms=round(elapsed * 1000, 2), bytes_in=received,
                       bytes_out=sent)
            logs.request_id.reset(token)

    async def _unauthorized(self, scope: Scope, receive: Receive, send: Send, *, html: bool) -> None:
        err = ApiError("unauthorized", "perlu token: kirim header Authorization: Bearer <token> / a token is "
                                       "required: send the header Authorization: Bearer <token>",
                       [{"message": "Authorization: Bearer <token>"}])
        response = answer(err, html)
        out = StarletteResponse(response.encode(), 401, {"Cache-Control": "no-store"}, media_type=response.media_type)
        for challenge in auth.CHALLENGES:
            out.raw_headers.append((b"www-authenticate", challenge.encode()))
        await out(scope, receive, send)


def create(app: App, pool: Pool | None, *, metrics: Metrics | None = None, tokens: auth.Tokens | None = None,
           grace: float = 30.0, on_ready: Callable[[], None] | None = None,
           on_stop: Callable[[], None] | None = None) -> Starlette:
    """The ASGI application: ``pool`` (started and stopped with the app's lifespan) runs the isolated
    routes; without a pool they run in this process (embedding, tests of the app alone)."""
    metrics = metrics or Metrics(pool)

    @contextlib.asynccontextmanager
    async def lifespan(_asgi: Starlette) -> AsyncIterator[None]:
        if pool is not None:
            await pool.start()
        if on_ready:
            on_ready()
        try:
            yield
        finally:
            if pool is not None:
                await pool.stop()
            if on_stop:
                on_stop()

    return Starlette(routes=[Route("/{path:path}", Core(app, pool, metrics, grace))],
                     middleware=[Middleware(Observe, app=app, metrics=metrics, tokens=tokens or auth.Tokens(()))],
                     lifespan=lifespan)
