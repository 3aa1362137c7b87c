"""A real ``layanan-rules serve`` on 127.0.0.1 for the tests, and a plain HTTP client for it.

Each server is its own process started the way an operator starts it (the installed command,
``--port 0``); its stderr (JSON log lines) is read by a thread as it comes, so the tests can look
at the log and the server never blocks on a full pipe. Every JSON answer a test receives is
checked against docs/openapi.json: the status must be one the operation documents, and the body
must validate against that response's schema.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from support import ROOT

DOCS = ROOT / "docs"
OPENAPI = json.loads((DOCS / "openapi.json").read_text(encoding="utf-8"))
REPORT_SCHEMA = json.loads((DOCS / "report-schema.json").read_text(encoding="utf-8"))
OPENAPI_URI = (DOCS / "openapi.json").as_uri()
REGISTRY = Registry().with_resources([
    (OPENAPI_URI, Resource.from_contents(OPENAPI, default_specification=DRAFT202012)),
    ((DOCS / "report-schema.json").as_uri(), Resource.from_contents(REPORT_SCHEMA)),
])
HOST = "127.0.0.1"


def validate(ref: str, value: Any) -> None:
    Draft202012Validator({"$ref": f"{OPENAPI_URI}{ref}"}, registry=REGISTRY).validate(value)


def operation(method: str, path: str) -> dict[str, Any] | None:
    path = path.split("?")[0]
    path = path.rstrip("/") or "/"
    for template, item in OPENAPI["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            return item.get("get" if method == "HEAD" else method.lower())
    return None


def check_openapi(method: str, path: str, status: int, content_type: str, body: bytes) -> None:
    """The status and content type are documented for the operation; a JSON body validates against its schema."""
    op = operation(method, path)
    kind = content_type.split(";")[0].strip()
    if op is None:  # an unknown path or method: the error shape, nothing else
        assert status in (401, 404, 405), (method, path, status)
        assert kind == "application/json"
        validate("#/components/schemas/Error", json.loads(body))
        return
    response = op["responses"].get(str(status))
    assert response is not None, f"{method} {path}: status {status} is not documented in docs/openapi.json"
    if "$ref" in response:
        response = OPENAPI["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    assert kind in response["content"], f"{method} {path} {status}: {kind} is not documented"
    schema = response["content"][kind]["schema"]
    if kind == "application/json" and method != "HEAD":
        doc = json.loads(body)
        if "$ref" in schema:
            validate(schema["$ref"], doc)


class Running:
    """A server process and what it has logged so far."""

    def __init__(self, proc: subprocess.Popen[str], port: int, lines: list[str]) -> None:
        self.proc, self.port, self._lines = proc, port, lines
        self.host = HOST
        self.url = f"http://{HOST}:{port}"

    def log(self) -> list[dict[str, Any]]:
        """Every log line so far, parsed (a line that is not JSON fails the test that reads it)."""
        return [json.loads(line) for line in list(self._lines)]

    def access(self) -> list[dict[str, Any]]:
        return [entry for entry in self.log() if entry.get("event") == "request"]

    def request(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
                headers: dict[str, str] | None = None, check: bool = True,
                timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            payload = raw if raw is not None else (None if body is None else json.dumps(body).encode())
            conn.request(method, path, body=payload, headers={"Content-Type": "application/json", **(headers or {})})
            resp = conn.getresponse()
            data = resp.read()
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        if method == "HEAD":
            assert data == b""
        if check:
            check_openapi(method, path, resp.status, hdrs.get("content-type", ""), data)
        return resp.status, hdrs, data

    def json(self, method: str, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        status, headers, data = self.request(method, path, body, **kw)
        assert headers["content-type"] == "application/json; charset=utf-8", headers
        return status, json.loads(data)

    def get(self, path: str, **kw: Any) -> tuple[int, Any]:
        return self.json("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        return self.json("POST", path, body, **kw)

    def metric(self, name: str, **labels: str) -> float:
        """A sample from /metrics (0 when the series does not exist yet)."""
        _status, _headers, text = self.request("GET", "/metrics", headers=getattr(self, "auth", {}))
        want = {k: str(v) for k, v in labels.items()}
        for line in text.decode().splitlines():
            m = re.fullmatch(r"(\w+)(?:\{(.*)\})? (\S+)", line)
            if m and m.group(1) == name:
                got = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
                if got == want:
                    return float(m.group(3))
        return 0.0

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout)


def command() -> list[str]:
    exe = Path(sys.executable).with_name("layanan-rules")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "layanan_rules.cli"]


@contextlib.contextmanager
def serving(*args: str, workers: int = 1, env: dict[str, str] | None = None) -> Iterator[Running]:
    """``layanan-rules serve --port 0 --workers N ARGS...``, stopped (SIGTERM) afterwards."""
    proc = subprocess.Popen([*command(), "serve", "--port", "0", "--workers", str(workers), *args],
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    lines: list[str] = []
    found: list[int] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            m = re.search(r"serving on http://(?:[0-9.]+|\[[0-9a-f:]+\]):(\d+)", line)
            if m and not found:
                found.append(int(m.group(1)))
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + 120
    while not ready.wait(0.1) and time.monotonic() < deadline:
        pass
    if not found:
        proc.kill()
        proc.wait(10)
        raise AssertionError("the server did not start:\n" + "".join(lines))
    running = Running(proc, found[0], lines)
    try:
        yield running
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
