"""What the server adds around App.handle, against real `layanan-rules serve` processes on 127.0.0.1:
body limits, worker processes and their time and memory budgets, graceful shutdown, metrics, JSON
access logs with request ids, bearer tokens, the warning when listening beyond loopback.

Times in these tests are generous liveness bounds (a request answered at all while every worker
is stuck), never speed claims: speed is measured by bench/bench_load.py.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from serving import Running, check_openapi, command, serving

from layanan_rules.cli import cli
from layanan_rules.server import auth, forms
from layanan_rules.server.run import Settings

EVAL = "/v1/evaluate"
ONE = {"as_of": "2025-01-31", "data": {"unit": [{"id": "U1", "nama": "Dinas"}],
                                       "layanan": [{"id": "L1", "unit_id": "U1", "nama": "Kartu Keluarga"}]}}
TOKEN = "uji-token-rahasia-0123456789"


#: the expression budget (expr_steps, expr_seconds: docs/limits.md) would stop a stuck expression
#: inside the worker first; these servers leave it to the request's time budget under test
NO_EXPRESSION_BUDGET = {"LAYANAN_RULES_LIMIT_EXPR_STEPS": str(10**15), "LAYANAN_RULES_LIMIT_EXPR_SECONDS": "3600"}


def stuck_expression(n: int = 1000) -> dict[str, Any]:
    """An expression that runs for minutes (n**3 steps) on a few kilobytes: what the time budget is for."""
    return {"expression": "xs.all(a, xs.all(b, xs.all(c, true)))", "bindings": {"xs": list(range(n))}}


def in_thread(fn: Any, *args: Any) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []

    def run() -> None:
        try:
            out.append(fn(*args))
        except Exception as exc:  # noqa: BLE001 - handed to the test, which asserts on it
            out.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def children(pid: int) -> list[int]:
    """Every process below ``pid`` (the zygote and the workers of a server)."""
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            kids.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    out, todo = [], list(kids.get(pid, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def server() -> Iterator[Running]:
    with serving("--max-body", "100000", workers=2) as running:
        yield running


# --- bodies ------------------------------------------------------------------------------------------------


def test_body_over_the_limit_is_413_and_the_connection_closes(server: Running) -> None:
    big = {"data": {"layanan": [{"id": f"L{i}", "nama": "x" * 100} for i in range(2000)]}}
    status, headers, data = server.request("POST", EVAL, big)
    assert status == 413 and json.loads(data)["error"]["code"] == "payload_too_large"
    assert headers.get("connection") == "close"
    assert server.post(EVAL, ONE)[0] == 200  # a body under the limit still works


def test_expect_100_continue_is_refused_before_the_body_is_sent(server: Running) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    conn.putrequest("POST", EVAL)
    conn.putheader("Content-Length", "500000")
    conn.putheader("Expect", "100-continue")
    conn.endheaders()  # no body sent: the server must answer from the headers alone
    resp = conn.getresponse()
    doc = json.loads(resp.read())
    conn.close()
    assert resp.status == 413 and doc["error"]["code"] == "payload_too_large"


def _post_chunked(server: Running, chunks: list[bytes]) -> tuple[int, Any]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        conn.request("POST", EVAL, body=iter(chunks), headers={"Transfer-Encoding": "chunked"}, encode_chunked=True)
        resp = conn.getresponse()
        data = resp.read()
    finally:
        conn.close()
    check_openapi("POST", EVAL, resp.status, resp.getheader("content-type", ""), data)
    return resp.status, json.loads(data)


def test_a_chunked_body_is_read_like_any_other(server: Running) -> None:
    body = json.dumps(ONE).encode()
    status, doc = _post_chunked(server, [body[:10], body[10:40], body[40:]])
    assert status == 200 and doc == server.post(EVAL, ONE)[1]


def test_a_chunked_body_over_the_limit_is_413(server: Running) -> None:
    status, doc = _post_chunked(server, [b'{"data": {"layanan": [', b'{"id": "L1"},' * 10000, b"]}}"])
    assert status == 413 and doc["error"]["code"] == "payload_too_large"


def test_fifty_simultaneous_new_connections_are_all_answered(server: Running) -> None:
    """The listen backlog holds a burst (the old server's backlog of 5 reset some of these)."""
    payload = json.dumps(ONE).encode()
    request = (f"POST {EVAL} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}"
               "\r\nConnection: close\r\n\r\n").encode() + payload
    barrier = threading.Barrier(50)

    def one() -> str:
        barrier.wait(30)
        try:
            with socket.create_connection((server.host, server.port), timeout=60) as sock:
                sock.sendall(request)
                data = b""
                while chunk := sock.recv(65536):
                    data += chunk
            return data[:12].decode()
        except OSError as exc:
            return type(exc).__name__

    threads = [in_thread(one) for _ in range(50)]
    for thread, _ in threads:
        thread.join(120)
    assert [out[0] for _, out in threads] == ["HTTP/1.1 200"] * 50


def test_a_malformed_request_line_is_refused_and_the_server_goes_on(server: Running) -> None:
    with socket.create_connection((server.host, server.port), timeout=30) as sock:
        sock.sendall(b"BREW /healthz\x1b[31m HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 400")
    assert server.get("/healthz")[0] == 200


# --- worker processes and budgets ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def budgeted() -> Iterator[Running]:
    with serving("--timeout", "1", "--max-memory", "16", workers=1, env=NO_EXPRESSION_BUDGET) as running:
        yield running


def test_a_request_over_the_time_budget_is_stopped_and_probes_still_answer(budgeted: Running) -> None:
    thread, result = in_thread(budgeted.post, "/v1/expr", stuck_expression())
    probes = []
    while thread.is_alive():
        started = time.monotonic()
        status, _ = budgeted.get("/healthz", timeout=10)
        probes.append((status, time.monotonic() - started))
        time.sleep(0.02)
    thread.join()
    status, doc = result[0]
    assert (status, doc["error"]["code"]) == (422, "budget_exceeded"), doc
    assert doc["error"]["details"][0]["budget"] == "time" and "--timeout" in doc["error"]["message"]
    # the only worker was busy all along, yet /healthz was answered every time (a liveness
    # bound here; the latency itself is what bench/bench_load.py's probe measures)
    assert len(probes) >= 5 and all(s == 200 and t < 2.0 for s, t in probes), probes
    assert budgeted.post(EVAL, ONE)[0] == 200  # a fresh worker took its place
    assert budgeted.metric("layanan_rules_worker_restarts_total", reason="time") == 1
    assert budgeted.metric("layanan_rules_budget_exceeded_total", budget="time") == 1
    assert any(e.get("event") == "budget_exceeded" and e["budget"] == "time" for e in budgeted.log())


def test_a_request_over_the_memory_budget_is_stopped(budgeted: Running) -> None:
    # 9 MB of JSON (under --max-body) that needs ~100 MB as Python objects, with a 16 MiB budget
    status, doc = budgeted.post("/v1/expr", {"expression": "size(xs)", "bindings": {"xs": [0] * 3_000_000}})
    assert (status, doc["error"]["code"]) == (422, "budget_exceeded"), doc
    assert doc["error"]["details"][0]["budget"] == "memory" and "--max-memory" in doc["error"]["message"]
    assert budgeted.post("/v1/expr", {"expression": "size(xs)", "bindings": {"xs": [0] * 1000}}) == (
        200, {"value": 1000, "type": "int"})
    assert budgeted.metric("layanan_rules_worker_restarts_total", reason="memory") == 1
    entry = next(e for e in budgeted.log() if e.get("event") == "budget_exceeded" and e["budget"] == "memory")
    assert entry["request_id"]  # logged by the worker, under the request's id


def test_running_out_of_memory_inside_an_expression_is_the_budget_not_the_data(budgeted: Running) -> None:
    # 3 MB of JSON, 8 MB as a list: within the 16 MiB budget; the concatenation needs 16 MB more, so the
    # MemoryError is raised inside the compiled expression (where `&&` absorbs errors, a MemoryError excepted)
    xs = [0] * 1_000_000
    assert budgeted.post("/v1/expr", {"expression": "size(xs)", "bindings": {"xs": xs}}) == (
        200, {"value": 1_000_000, "type": "int"})
    before = budgeted.metric("layanan_rules_budget_exceeded_total", budget="memory")
    status, doc = budgeted.post("/v1/expr", {"expression": "size(xs + xs) > 0 && true", "bindings": {"xs": xs}})
    assert (status, doc["error"]["code"], doc["error"]["details"][0]["budget"]) == (422, "budget_exceeded", "memory")
    assert budgeted.metric("layanan_rules_budget_exceeded_total", budget="memory") == before + 1


def test_an_answer_too_large_for_the_memory_budget_is_the_budget_not_a_crash(budgeted: Running) -> None:
    # 100 KB in, a list of 200 references to one string (a few KB as objects), 20 MB as JSON: the
    # encoder runs out of the 16 MiB budget (orjson crashes then: the front knows it was encoding)
    before = budgeted.metric("layanan_rules_budget_exceeded_total", budget="memory")
    status, doc = budgeted.post("/v1/expr", {"expression": "xs.map(x, s)",
                                             "bindings": {"xs": list(range(200)), "s": "x" * 100_000}})
    assert (status, doc["error"]["code"], doc["error"]["details"][0]["budget"]) == (422, "budget_exceeded", "memory")
    assert budgeted.metric("layanan_rules_budget_exceeded_total", budget="memory") == before + 1
    assert budgeted.metric("layanan_rules_worker_restarts_total", reason="crash") == 0
    assert budgeted.post("/v1/expr", {"expression": "size(s)", "bindings": {"s": "x" * 100_000}}) == (
        200, {"value": 100_000, "type": "int"})


def many_services(n: int) -> dict[str, Any]:
    """``n`` services of one unit: about 40 findings and 3.4 KB of report each (the evidence of failures; schema 3)."""
    return {"as_of": "2025-01-31", "data": {"unit": [{"id": "U1", "nama": "Dinas"}], "layanan": [
        {"id": f"L{i}", "unit_id": "U1", "nama": f"Layanan {i}", "standar": {"biaya": "Gratis"}} for i in range(n)]}}


def test_a_large_answer_streams_and_frees_its_worker(server: Running) -> None:
    # (about 35 MB to build: more than the `budgeted` server's 16 MiB)
    request = many_services(400)  # schema 3: about 3.4 KB of report a service
    status, headers, data = server.request("POST", EVAL, request, timeout=120)
    assert status == 200 and int(headers["content-length"]) == len(data) > 1024 * 1024  # over Pool.STREAM_ABOVE
    doc = json.loads(data)
    assert doc["summary"]["records"] == {"unit": 1, "layanan": 400}
    assert server.metric("layanan_rules_workers_busy") == 0  # the worker is back in the pool
    assert server.post(EVAL, ONE)[0] == 200
    assert server.metric("layanan_rules_worker_restarts_total", reason="cancelled") == 0


def test_a_client_that_does_not_read_a_large_answer_loses_it_not_a_worker() -> None:
    payload = json.dumps(many_services(3000)).encode()  # an answer of ~20 MB, more than socket buffers hold
    request = (f"POST {EVAL} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(payload)}\r\n\r\n").encode() + payload
    with serving("--timeout", "10", workers=1) as running, \
            socket.create_connection((running.host, running.port), timeout=60) as slow:
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.sendall(request)  # and never read the answer
        deadline = time.monotonic() + 120
        while running.metric("layanan_rules_worker_restarts_total", reason="send_timeout") < 1:
            assert time.monotonic() < deadline, "the worker was never freed"
            time.sleep(0.2)
        assert running.post("/v1/expr", {"expression": "1 + 1"}) == (200, {"value": 2, "type": "int"})
        assert any(e.get("event") == "send_timeout" for e in running.log())


def test_an_upload_stopped_at_its_deadline_leaves_no_file_behind() -> None:
    many = {"layanan": [{"id": f"L{i}", "unit_id": "U1", "nama": f"Layanan {i}"} for i in range(30000)],
            "unit": [{"id": "U1", "nama": "Dinas"}]}
    body, headers = forms.encode({"file": ("besar.json", json.dumps(many).encode()), "as_of": "2025-01-31"})
    with serving("--timeout", "0.5", workers=1) as running:
        scratch = Path(next(e for e in running.log() if e.get("event") == "start")["scratch"])
        status, _, data = running.request("POST", "/v1/report", raw=body, headers=headers)
        assert (status, json.loads(data)["error"]["code"]) == (422, "budget_exceeded")
        assert running.post(EVAL, ONE)[0] == 200
        leftovers = [p for p in scratch.rglob("*") if p.is_file()]
        assert leftovers == []  # the killed worker's upload is gone
        assert running.stop() == 0
    assert not scratch.exists()


def test_stopping_the_server_leaves_no_process_behind() -> None:
    with serving(workers=2) as running:
        below = children(running.proc.pid)
        assert len(below) == 3  # the zygote and two workers
        assert running.stop() == 0
    deadline = time.monotonic() + 10
    while any(alive(p) for p in below) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in below if alive(p)]


# --- graceful shutdown ----------------------------------------------------------------------------------------


def test_sigterm_lets_an_in_flight_request_finish_and_refuses_new_connections() -> None:
    with serving(workers=1) as running:
        slow = {"expression": "xs.all(a, xs.all(b, true))", "bindings": {"xs": list(range(2500))}}
        thread, result = in_thread(lambda: (running.post("/v1/expr", slow), time.monotonic()))
        while running.metric("layanan_rules_workers_busy") < 1:  # the request is in a worker
            time.sleep(0.01)
        sent = time.monotonic()
        running.proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        with pytest.raises(ConnectionRefusedError):  # no longer listening
            socket.create_connection((running.host, running.port), timeout=5).close()
        thread.join(120)
        (status, doc), answered = result[0]
        assert answered > sent, "the request finished before SIGTERM: make it slower"
        assert (status, doc) == (200, {"value": True, "type": "bool"})
        assert running.proc.wait(60) == 0
        events = [e.get("event") for e in running.log()]
        assert events.index("request") < events.index("stop")


def test_requests_still_running_after_the_grace_period_are_cut() -> None:
    with serving("--grace", "1", "--timeout", "600", workers=1, env=NO_EXPRESSION_BUDGET) as running:
        thread, result = in_thread(running.post, "/v1/expr", stuck_expression())
        while running.metric("layanan_rules_workers_busy") < 1:
            time.sleep(0.01)
        sent = time.monotonic()
        running.proc.send_signal(signal.SIGTERM)
        assert running.proc.wait(60) == 0
        assert time.monotonic() - sent < 20  # not the 600 s the request would have taken
        thread.join(30)
        status, doc = result[0]
        assert (status, doc["error"]["code"]) == (503, "unavailable") and "--grace" in doc["error"]["message"]


# --- metrics and logs ----------------------------------------------------------------------------------------


def test_metrics_count_requests_latency_and_findings_by_state(server: Running) -> None:
    before = server.metric("layanan_rules_http_requests_total", route=EVAL, method="POST", status="200")
    fails = server.metric("layanan_rules_findings_total", ruleset="uu-25-2009", state="fail")
    status, doc = server.post(EVAL, ONE)
    assert status == 200
    assert server.metric("layanan_rules_http_requests_total", route=EVAL, method="POST", status="200") == before + 1
    assert server.metric("layanan_rules_findings_total", ruleset="uu-25-2009", state="fail") == (
        fails + doc["summary"]["states"]["fail"])
    assert server.metric("layanan_rules_http_request_duration_seconds_count", route=EVAL, method="POST") >= 1
    assert server.metric("layanan_rules_workers") == 2
    assert server.metric("layanan_rules_worker_resident_memory_bytes") > 10_000_000
    server.get("/v1/rulesets/nope-" + "x" * 30 + "/rules")
    server.request("GET", "/some/client/path", check=False)
    _status, headers, text = server.request("GET", "/metrics")
    assert headers["content-type"].startswith("text/plain")
    assert "client/path" not in text.decode() and "nope-" not in text.decode()  # templates, never paths
    assert server.metric("layanan_rules_http_requests_total", route="other", method="GET", status="404") >= 1


def test_each_request_is_one_json_log_line_with_its_id_and_no_personal_data(server: Running) -> None:
    status, headers, _ = server.request("POST", "/v1/expr?nik=3201234567890001", {"expression": "1"},
                                        headers={"X-Request-ID": "portal-42", "User-Agent": "Budi's browser"})
    assert status == 200 and headers["x-request-id"] == "portal-42"
    _, headers, _ = server.request("GET", "/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    generated = headers["x-request-id"]
    assert len(generated) == 32 and generated != "bad id\twith spaces"
    time.sleep(0.2)  # the line is written once the answer has gone out
    lines = server.access()
    mine = next(e for e in lines if e["request_id"] == "portal-42")
    assert {"time", "level", "method", "route", "status", "duration_ms", "bytes_in", "bytes_out"} <= mine.keys()
    assert (mine["method"], mine["route"], mine["status"]) == ("POST", "/v1/expr", 200)
    assert any(e["request_id"] == generated and e["route"] == "/healthz" for e in lines)
    text = json.dumps(server.log())
    assert "3201234567890001" not in text and "Budi" not in text and "127.0.0.1:" not in text.replace(
        f"127.0.0.1:{server.port}", "")


def test_quiet_writes_no_access_lines() -> None:
    with serving("--quiet") as running:
        running.get("/healthz")
        running.post(EVAL, ONE)
        time.sleep(0.2)
        assert running.access() == []
        assert any(e.get("event") == "start" for e in running.log())


# --- authentication ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    tokens = tmp_path_factory.mktemp("tokens") / "tokens.txt"
    tokens.write_text(f"# portal provinsi\n{TOKEN}\n\n", encoding="utf-8")
    with serving("--token-file", str(tokens), env={auth.ENV: "token-kedua-dari-env-9876543210"}) as running:
        running.auth = {"Authorization": f"Bearer {TOKEN}"}  # type: ignore[attr-defined]
        yield running


def test_with_tokens_every_request_but_healthz_needs_one(guarded: Running) -> None:
    assert guarded.get("/healthz")[0] == 200
    for method, path in (("GET", "/v1/rulesets"), ("POST", EVAL), ("GET", "/metrics"), ("GET", "/"),
                         ("GET", "/openapi.json"), ("GET", "/nope")):
        status, _headers, data = guarded.request(method, path, ONE if method == "POST" else None)
        assert status == 401 and json.loads(data)["error"]["code"] == "unauthorized", (method, path)
    conn = http.client.HTTPConnection(guarded.host, guarded.port, timeout=30)
    conn.request("GET", "/v1/rulesets")
    challenges = conn.getresponse().headers.get_all("WWW-Authenticate")
    conn.close()
    assert challenges == list(auth.CHALLENGES)


@pytest.mark.parametrize("authorization", [
    f"Bearer {TOKEN}",
    "Bearer token-kedua-dari-env-9876543210",
    "Basic " + base64.b64encode(f"petugas:{TOKEN}".encode()).decode(),
])
def test_a_known_token_opens_every_endpoint(guarded: Running, authorization: str) -> None:
    assert guarded.get("/v1/rulesets", headers={"Authorization": authorization})[0] == 200
    assert guarded.post(EVAL, ONE, headers={"Authorization": authorization})[0] == 200


@pytest.mark.parametrize("authorization", [f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Token {TOKEN}", "Bearer ",
                                           "Basic " + base64.b64encode(b"petugas:salah").decode(), "Basic !!!"])
def test_a_wrong_token_is_refused(guarded: Running, authorization: str) -> None:
    assert guarded.get("/v1/rulesets", headers={"Authorization": authorization})[0] == 401


def test_tokens_are_compared_in_full_and_never_logged(guarded: Running) -> None:
    tokens = auth.Tokens([TOKEN])
    assert tokens.allows(f"Bearer {TOKEN}") and not tokens.allows(f"Bearer {TOKEN[:8]}")
    assert TOKEN not in json.dumps(guarded.log())


@pytest.mark.parametrize(("content", "says"), [
    ("pendek\n", "16+"),
    ("# kosong\n\n", "no token in the file"),
    ("token dengan spasi di dalamnya\n", "without spaces"),
])
def test_a_bad_token_file_stops_the_start_with_exit_2(tmp_path: Path, content: str, says: str) -> None:
    path = tmp_path / "tokens.txt"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--token-file", str(path), "--port", "0"])
    assert result.exit_code == 2 and says in result.stderr and "Traceback" not in result.stderr
    assert str(path) in result.stderr


def test_listening_beyond_loopback_without_tokens_warns_loudly() -> None:
    assert Settings(host="127.0.0.1").loopback and Settings(host="::1").loopback and Settings(host="localhost").loopback
    assert not Settings(host="0.0.0.0").loopback and not Settings(host="10.1.2.3").loopback
    assert not Settings(host="server.example").loopback
    with serving("--host", "0.0.0.0") as running:
        warning = next(e for e in running.log() if e.get("event") == "no_authentication")
        assert warning["level"] == "warning" and "TANPA autentikasi" in warning["message"]
        assert "WITHOUT authentication" in warning["message"]
    with serving("--host", "0.0.0.0", env={auth.ENV: TOKEN}) as running:
        events = [e.get("event") for e in running.log()]
        assert "no_authentication" not in events and "no_tls" in events
    with serving() as running:
        assert {"no_authentication", "no_tls"}.isdisjoint(e.get("event") for e in running.log())


# --- the command ----------------------------------------------------------------------------------------------


def test_serve_with_an_unknown_ruleset_exits_2_before_listening() -> None:
    result = CliRunner().invoke(cli, ["serve", "--ruleset", "uu-25-2090", "--port", "0"])
    assert result.exit_code == 2
    assert "did you mean 'uu-25-2009'" in result.stderr and "Traceback" not in result.stderr


def test_serve_on_a_port_in_use_exits_2(server: Running) -> None:
    out = subprocess.run([*command(), "serve", "--ruleset", "uu-25-2009", "--port", str(server.port)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 2 and "cannot listen on" in out.stderr and "Traceback" not in out.stderr


def test_the_command_line_does_not_import_the_web_stack() -> None:
    """`layanan-rules --version` and every other command stay fast: starlette and uvicorn load only to serve."""
    probe = ("import sys, layanan_rules.cli, layanan_rules.server; "
             "print(sorted(m for m in ('starlette', 'uvicorn', 'prometheus_client') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
