"""Running the server: the listening socket, the worker processes, uvicorn, signals, start and stop.

``layanan-rules serve`` calls :func:`serve`; an embedding program can too::

    from layanan_rules.server import App, Settings, serve
    serve(App.from_refs(["uu-25-2009"]), Settings(port=8025, workers=2))

Call it from the main thread of a process that has started no other thread: the worker
processes are forked from it (see :mod:`layanan_rules.server.pool`). POSIX only (Linux, macOS).
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import logging
import os
import signal
import socket
from collections.abc import Generator
from typing import Any

import attrs

from layanan_rules.server import auth, logs
from layanan_rules.server.app import App
from layanan_rules.server.messages import DEFAULT_HOST, DEFAULT_PORT
from layanan_rules.server.pool import Pool, Zygote, serve_worker

log = logging.getLogger("layanan_rules.server")
MIB = 1024 * 1024


def default_workers() -> int:
    """One worker per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@attrs.frozen
class Settings:
    """What ``layanan-rules serve`` is told (each has its option; see docs/http-api.md)."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = attrs.field(factory=default_workers)
    timeout: float = 60.0  # seconds a request may take in a worker (and wait for one)
    max_memory: int | None = 2048 * MIB  # bytes a request may add to a worker's memory
    grace: float = 30.0  # seconds in-flight requests get to finish after SIGTERM
    backlog: int = 2048  # connections the kernel queues before the server accepts them
    keep_alive: float = 75.0  # seconds an idle connection stays open (longer than a proxy's 60)
    quiet: bool = False  # no access log lines

    @property
    def loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:  # a host name: it may resolve to anything
            return False


def listen(host: str, port: int, backlog: int) -> socket.socket:
    """A listening TCP socket (IPv6 when ``host`` has a colon); ``OSError`` when it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(False)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(app: App, settings: Settings | None = None, tokens: tuple[str, ...] = ()) -> None:
    """Serve ``app`` until SIGTERM or SIGINT, then finish in-flight requests (up to ``settings.grace``
    seconds) and return. Raises :class:`OSError` when the address cannot be listened on."""
    settings = settings or Settings()
    logs.configure(quiet=settings.quiet)
    # fork the zygote first: no thread, no event loop and no listening socket exist yet
    zygote = Zygote(functools.partial(serve_worker, app, max_memory=settings.max_memory, seconds=settings.timeout))
    try:
        sock = listen(settings.host, settings.port, settings.backlog)
    except OSError:
        zygote.close()
        raise
    try:
        _run(app, settings, auth.Tokens(tokens), zygote, sock)
    finally:
        sock.close()
        zygote.close()


def _run(app: App, settings: Settings, tokens: auth.Tokens, zygote: Zygote, sock: socket.socket) -> None:
    import uvicorn

    from layanan_rules.server import asgi

    pool = Pool(zygote, settings.workers, timeout=settings.timeout, max_memory=settings.max_memory)
    metrics = asgi.Metrics(pool)
    pool.metrics = metrics
    url = url_of(sock)
    names = ", ".join(f"{rid} {rs.version}" for rid, rs in app.rulesets.items())

    def ready() -> None:
        # warnings first: whoever waits for the start line has seen them when it comes
        if not settings.loopback and not tokens:
            logs.event(log, logging.WARNING,
                       f"PERINGATAN: server terbuka di {settings.host} TANPA autentikasi: siapa pun di jaringan dapat "
                       f"memakainya. Pasang token (--token-file atau {auth.ENV}) atau dengarkan di 127.0.0.1 di "
                       f"belakang reverse proxy / WARNING: listening on {settings.host} WITHOUT authentication: anyone "
                       f"on the network can use it. Set tokens (--token-file or {auth.ENV}) or listen on 127.0.0.1 "
                       "behind a reverse proxy", event="no_authentication", host=settings.host)
        elif not settings.loopback:
            logs.event(log, logging.WARNING,
                       "catatan: token dikirim tanpa enkripsi kecuali ada TLS di depan server (reverse proxy) / "
                       "note: tokens travel unencrypted unless TLS (a reverse proxy) is in front of the server",
                       event="no_tls", host=settings.host)
        logs.event(log, logging.INFO,
                   f"layanan-rules melayani di / serving on {url} (ruleset: {names}; bawaan / default: {app.default}; "
                   f"pekerja / workers: {settings.workers})",
                   event="start", url=url, workers=settings.workers, pid=os.getpid(), timeout=settings.timeout,
                   max_memory=settings.max_memory, max_body=app.max_body, auth=bool(tokens), scratch=zygote.scratch)

    def stopped() -> None:
        logs.event(log, logging.INFO, "berhenti / stopped", event="stop")

    config = uvicorn.Config(
        asgi.create(app, pool, metrics=metrics, tokens=tokens, grace=settings.grace, on_ready=ready,
                    on_stop=stopped),
        log_config=None, access_log=False, server_header=False, lifespan="on", backlog=settings.backlog,
        timeout_keep_alive=settings.keep_alive, timeout_graceful_shutdown=settings.grace,  # type: ignore[arg-type]
    )
    _server_class()(config).run(sockets=[sock])


def _server_class() -> Any:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, but a signal that stopped it gracefully is not raised again afterwards
        (uvicorn re-raises it, which would end the process with 'killed by SIGTERM' instead of 0)."""

        @contextlib.contextmanager
        def capture_signals(self) -> Generator[None, None, None]:
            original = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in original.items():
                    signal.signal(sig, handler)

    return Server
