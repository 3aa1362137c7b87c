"""A real, small JSON API on 127.0.0.1 for tests and benchmarks (not for production).

:class:`Api` serves entities page by page in every pagination style the adapter reads, and can
inject faults: a 5xx or 429 (with ``Retry-After``) on a given page, a slow page (for timeouts),
a page trickled a byte at a time, broken JSON, an HTML page, a gzip bomb or broken gzip, a
redirect (to itself, or to another server), an error page that echoes the request's headers,
and a next link or cursor that points back to the same page. ``plain_body`` replaces the body
of ``/plain`` with raw bytes (JSON that ``json.dumps`` cannot write: keys written twice).

Routes (``<e>`` is an entity name)::

    /plain                                      the plain JSON form, all entities
    /page/<e>?page=N&per_page=K                 {"data": {"items": [...]}, "meta": {"total": T, "page": N}}
    /offset/<e>?offset=O&limit=K                {"results": [...], "count": T}
    /cursor/<e>?cursor=C&size=K                 {"items": [...], "next_cursor": "..." | null}
    /next/<e>?p=N&size=K                        {"data": [...], "links": {"next": "/next/<e>?p=N+1&size=K" | null}}
    /link/<e>?p=N&size=K                        [...] with  Link: </link/<e>?p=N+1&size=K>; rel="next"

Data is a mapping entity -> a sequence of records (a list, or anything with ``len()`` and
slicing, so a benchmark can generate a million records on the fly).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs


@attrs.define
class Fault:
    """What goes wrong, on which entity and page (1-based), how many times (None: always)."""

    #: status (answer ``status``, with ``retry_after``) | slow (wait ``delay`` s first) | badjson | html |
    #: loop (next link / cursor to the same page; page and offset styles: the first page again) |
    #: trickle (the page one byte every ``delay`` s) | gzipbomb (``size`` zero bytes, gzipped) |
    #: badgzip (says gzip, is not) | redirect (302 to ``location``; None: to the same URL) |
    #: echo (answer ``status`` with the request's headers in the body)
    kind: str
    entity: str
    page: int = 1
    status: int = 500
    retry_after: str | None = None
    delay: float = 0.0
    times: int | None = None
    location: str | None = None
    size: int = 0


@attrs.define
class Api:
    data: Mapping[str, Sequence[Mapping[str, Any]]]
    faults: list[Fault] = attrs.field(factory=list)
    token: str | None = None  # bearer token required when set
    basic: tuple[str, str] | None = None  # (user, password) required when set
    requests: list[str] = attrs.field(factory=list)
    #: the headers of every request, in order (to check what reached which server)
    headers: list[dict[str, str]] = attrs.field(factory=list)
    plain_body: bytes | None = None

    def fault_for(self, entity: str, page: int) -> Fault | None:
        for f in self.faults:
            if f.entity == entity and f.page == page and (f.times is None or f.times > 0):
                if f.times is not None:
                    f.times -= 1
                return f
        return None


def _int(q: dict[str, list[str]], name: str, default: int) -> int:
    try:
        return int(q[name][0])
    except (KeyError, ValueError, IndexError):
        return default


def make_handler(api: Api) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def send(self, status: int, body: bytes, ctype: str = "application/json",
                 headers: Mapping[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def send_json(self, obj: Any, headers: Mapping[str, str] | None = None) -> None:
            self.send(200, json.dumps(obj, ensure_ascii=False).encode(), headers=headers)

        def authorised(self) -> bool:
            got = self.headers.get("Authorization", "")
            if api.token is not None and got != f"Bearer {api.token}":
                return False
            if api.basic is not None:
                want = "Basic " + base64.b64encode(f"{api.basic[0]}:{api.basic[1]}".encode()).decode()
                if got != want:
                    return False
            return True

        def do_GET(self) -> None:
            api.requests.append(self.path)
            api.headers.append(dict(self.headers.items()))
            parts = urlsplit(self.path)
            q = parse_qs(parts.query)
            segs = [s for s in parts.path.split("/") if s]
            if segs and segs[0] == "echo":  # a third party: answers what it was sent, no auth needed
                self.send_json({"headers": dict(self.headers.items())})
                return
            if not self.authorised():
                self.send(401, b'{"error": "unauthorised"}')
                return
            if segs == ["plain"]:
                fault = api.fault_for("plain", 1)
                if fault is not None and self.fault(fault):
                    return
                if api.plain_body is not None:
                    self.send(200, api.plain_body)
                    return
                self.send_json({e: list(v) for e, v in api.data.items()})
                return
            if len(segs) != 2 or segs[1] not in api.data:
                self.send(404, b'{"error": "not found"}')
                return
            style, entity = segs
            rows = api.data[entity]
            total = len(rows)
            if style == "page":
                size = _int(q, "per_page", 100)
                page = _int(q, "page", 1)
                start = (page - 1) * size
            elif style == "offset":
                size = _int(q, "limit", 100)
                start = _int(q, "offset", 0)
                page = start // max(size, 1) + 1
            elif style in ("cursor", "next", "link"):
                size = _int(q, "size", 100)
                key = "cursor" if style == "cursor" else "p"
                page = _int(q, key, 1)
                start = (page - 1) * size
            else:
                self.send(404, b'{"error": "no such style"}')
                return
            fault = api.fault_for(entity, page)
            if fault is not None and self.fault(fault):
                return
            looping = fault is not None and fault.kind == "loop"
            if looping and style in ("page", "offset"):
                start = 0  # a server that ignores the paging parameter: the first page again
            items = list(rows[start:start + size])
            more = start + size < total
            nxt_page = page if looping else page + 1
            if style == "page":
                self.send_json({"data": {"items": items}, "meta": {"total": total, "page": page}})
            elif style == "offset":
                self.send_json({"results": items, "count": total})
            elif style == "cursor":
                self.send_json({"items": items, "next_cursor": str(nxt_page) if more or looping else None})
            elif style == "next":
                link = f"/next/{entity}?p={nxt_page}&size={size}" if more or looping else None
                self.send_json({"data": items, "links": {"next": link}})
            else:
                headers = {"Link": f'</link/{entity}?p={nxt_page}&size={size}>; rel="next"'} if more or looping else None
                self.send_json(items, headers=headers)

        def fault(self, fault: Fault) -> bool:
            """Act out ``fault``; True when the answer has been sent."""
            if fault.kind == "status":
                headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else None
                self.send(fault.status, b'{"error": "injected"}', headers=headers)
            elif fault.kind == "slow":
                time.sleep(fault.delay)
                return False
            elif fault.kind == "badjson":
                self.send(200, b'{"data": {"items": [{"id": "A1",')
            elif fault.kind == "html":
                self.send(200, b"<html><body>Silakan login</body></html>", ctype="text/html")
            elif fault.kind == "trickle":
                body = b'{"data": {"items": []}, "meta": {"total": 0}}' + b" " * 10_000
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    for i in range(len(body)):
                        self.wfile.write(body[i:i + 1])
                        self.wfile.flush()
                        time.sleep(fault.delay)
                except OSError:  # the client gave up, as it should
                    pass
            elif fault.kind == "gzipbomb":
                body = _gzipped_zeros(fault.size)
                self.send(200, body, headers={"Content-Encoding": "gzip"})
            elif fault.kind == "badgzip":
                self.send(200, b"\x1f\x8b\x08\x00this is not gzip at all" * 10, headers={"Content-Encoding": "gzip"})
            elif fault.kind == "redirect":
                self.send(302, b"", headers={"Location": fault.location or self.path})
            elif fault.kind == "echo":
                body = json.dumps({"error": "ditolak", "request_headers": dict(self.headers.items())}).encode()
                self.send(fault.status, body)
            else:
                return False
            return True

    return Handler


@functools.lru_cache(maxsize=4)
def _gzipped_zeros(size: int) -> bytes:
    """``size`` zero bytes gzipped (a thousandfold smaller), made in pieces to stay small in memory."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    piece = bytes(1 << 20)
    out = []
    left = size
    while left > 0:
        out.append(packer.compress(piece[:min(left, len(piece))]))
        left -= len(piece)
    out.append(packer.flush())
    return b"".join(out)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return  # the client gave up (a deadline, a body too large): expected, not worth a traceback
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(api: Api) -> Iterator[str]:
    """Serve ``api`` on 127.0.0.1:<free port> in a thread; yields the base URL."""
    server = _Server(("127.0.0.1", 0), make_handler(api))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
