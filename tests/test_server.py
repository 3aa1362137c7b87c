"""`layanan-rules serve`: a real server on 127.0.0.1 (a free port, in a thread), real HTTP requests.

Every response a test receives is checked against docs/openapi.json: the status must be one the
operation documents, and the body must validate against that response's schema.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import io
import json
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from support import AS_OF, EXAMPLE_JSON, ROOT

from layanan_rules import evaluate, load_ruleset
from layanan_rules.cli import cli
from layanan_rules.rules.ruleset import RulesetError
from layanan_rules.server import App, BrokenRuleset, json_value, make_server

DOCS = ROOT / "docs"
OPENAPI = json.loads((DOCS / "openapi.json").read_text(encoding="utf-8"))
REPORT_SCHEMA = json.loads((DOCS / "report-schema.json").read_text(encoding="utf-8"))
OPENAPI_URI = (DOCS / "openapi.json").as_uri()
REGISTRY = Registry().with_resources([
    (OPENAPI_URI, Resource.from_contents(OPENAPI, default_specification=DRAFT202012)),
    ((DOCS / "report-schema.json").as_uri(), Resource.from_contents(REPORT_SCHEMA)),
])


# --- checking responses against docs/openapi.json ---------------------------------------------------------


def _validate(ref: str, value: Any) -> None:
    Draft202012Validator({"$ref": f"{OPENAPI_URI}{ref}"}, registry=REGISTRY).validate(value)


def _operation(method: str, path: str) -> tuple[str | None, dict[str, Any] | None]:
    path = path.split("?")[0].rstrip("/") or "/"
    for template, item in OPENAPI["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            return template, item.get("get" if method == "HEAD" else method.lower())
    return None, None


def check_openapi(method: str, path: str, status: int, body: Any) -> None:
    """The status is documented for the operation and the body validates against its schema."""
    _template, op = _operation(method, path)
    if op is None:  # an unknown path or method: the error shape, nothing else
        assert status in (404, 405), (method, path, status)
        _validate("#/components/schemas/Error", body)
        return
    response = op["responses"].get(str(status))
    assert response is not None, f"{method} {path}: status {status} is not documented in docs/openapi.json"
    if "$ref" in response:
        response = OPENAPI["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    schema = response["content"]["application/json"]["schema"]
    _validate(schema["$ref"], body)


# --- a real server ---------------------------------------------------------------------------------------


class Client:
    """Plain http.client against one server; every JSON answer is checked against the OpenAPI document."""

    def __init__(self, host: str, port: int, log: io.StringIO) -> None:
        self.host, self.port, self.log = host, port, log

    def request(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            payload = raw if raw is not None else (None if body is None else json.dumps(body).encode())
            conn.request(method, path, body=payload, headers={"Content-Type": "application/json", **(headers or {})})
            resp = conn.getresponse()
            data = resp.read()
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        assert hdrs["content-type"] == "application/json; charset=utf-8"
        if method == "HEAD":
            assert data == b""
            return resp.status, hdrs, None
        doc = json.loads(data.decode("utf-8"))
        check_openapi(method, path, resp.status, doc)
        return resp.status, hdrs, doc

    def get(self, path: str) -> tuple[int, Any]:
        status, _, doc = self.request("GET", path)
        return status, doc

    def post(self, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        status, _, doc = self.request("POST", path, body, **kw)
        return status, doc


@contextlib.contextmanager
def running(app: App, *, quiet: bool = False) -> Iterator[Client]:
    log = io.StringIO()
    httpd = make_server(app, "127.0.0.1", 0, quiet=quiet, stream=log)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Client("127.0.0.1", httpd.server_address[1], log)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


@pytest.fixture(scope="module")
def app() -> App:
    return App.from_refs()


@pytest.fixture(scope="module")
def client(app: App) -> Iterator[Client]:
    with running(app) as c:
        yield c


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))


@functools.cache
def _ruleset() -> Any:
    return load_ruleset()


def in_process(data: dict[str, Any], **to_dict: Any) -> dict[str, Any]:
    """What the Python API gives for the same input, through JSON (as the wire does)."""
    report = evaluate(_ruleset(), data, as_of=AS_OF)
    return json.loads(json.dumps(report.to_dict(**to_dict)))


# --- the endpoints ----------------------------------------------------------------------------------------


def test_healthz_names_the_loaded_rulesets(client: Client) -> None:
    status, doc = client.get("/healthz")
    assert status == 200
    assert doc["status"] == "ok" and "uu-25-2009" in doc["rulesets"]


def test_head_answers_headers_without_a_body(client: Client) -> None:
    status, headers, _ = client.request("HEAD", "/healthz")
    assert status == 200 and int(headers["content-length"]) > 0


def test_rulesets_lists_id_version_and_title(client: Client) -> None:
    status, doc = client.get("/v1/rulesets")
    rs = _ruleset()
    assert status == 200 and doc["default"] == "uu-25-2009"
    (entry,) = [r for r in doc["rulesets"] if r["id"] == "uu-25-2009"]
    assert entry["version"] == rs.version and entry["status"] == "ok" and entry["rules"] == len(rs.rules)
    assert entry["title"] == {"id": rs.spec.title.id, "en": rs.spec.title.en}


def test_rules_carry_citations_severity_and_remedies(client: Client) -> None:
    status, doc = client.get("/v1/rulesets/uu-25-2009/rules")
    rs = _ruleset()
    assert status == 200
    assert [r["id"] for r in doc["rules"]] == [r.id for r in rs.rules]
    rule = next(r for r in doc["rules"] if r["id"] == "UU25-21a")
    assert rule["legal_basis"][0]["label"] == "UU 25/2009 Pasal 21 huruf a"
    assert rule["severity"] == rs.rule("UU25-21a").severity.value
    assert rule["remedy"]["id"] and rule["remedy"]["en"]


@pytest.mark.parametrize(("lang", "show"), [("id", False), ("en", False), ("id", True)])
def test_evaluate_example_equals_the_python_api(client: Client, example: dict[str, Any], lang: str,
                                                show: bool) -> None:
    body = {"ruleset": "uu-25-2009", "as_of": AS_OF.isoformat(), "lang": lang, "data": example}
    if show:
        body["show_personal_data"] = True
    status, doc = client.post("/v1/evaluate", body)
    assert status == 200
    assert doc == in_process(example, lang=lang, show_personal=show)
    assert doc["summary"]["states"]["fail"] > 0


def test_ruleset_and_lang_default_to_the_server_default(client: Client, example: dict[str, Any]) -> None:
    status, doc = client.post("/v1/evaluate", {"as_of": "2025-01-31", "data": example})
    assert status == 200 and doc == in_process(example)


def test_personal_data_is_masked_unless_asked(client: Client) -> None:
    data = {"unit": [{"id": "U1", "nama": "Dinas"}],
            "pengaduan": [{"id": "A1", "unit_id": "U1", "diterima_pada": "2024-01-09", "nik_pengadu": ["Budi"]}]}
    _, masked = client.post("/v1/evaluate", {"as_of": "2025-01-31", "data": data})
    _, shown = client.post("/v1/evaluate", {"as_of": "2025-01-31", "data": data, "show_personal_data": True})
    (m,) = [i for i in masked["data_issues"] if i.get("field") == "nik_pengadu"]
    (s,) = [i for i in shown["data_issues"] if i.get("field") == "nik_pengadu"]
    assert masked["personal_data"] == "masked" and "data pribadi" in m["message"]
    assert shown["personal_data"] == "shown" and "data pribadi" not in s["message"]


def test_unreadable_values_are_findings_not_request_errors(client: Client) -> None:
    data = {"pengaduan": [{"id": "A1", "diterima_pada": "bukan tanggal"}]}
    status, doc = client.post("/v1/evaluate", {"as_of": "2025-01-31", "data": data})
    assert status == 200
    assert doc["summary"]["states"]["error"] > 0 and doc["data_issues"]


@pytest.mark.parametrize(("expression", "bindings", "value", "type_"), [
    ("1 + 2", {}, 3, "int"),
    ("hari(a, b)", {"a": "2024-01-01", "b": "2024-02-01"}, 31, "int"),
    ("size(xs.filter(x, x > 1)) == 2", {"xs": [1, 2, 3]}, True, "bool"),
    ('date("2024-01-09")', {}, "2024-01-09", "date"),
    ('timestamp("2024-01-09T10:00:00Z")', {}, "2024-01-09T10:00:00+00:00", "google.protobuf.Timestamp"),
    ('duration("90s") + duration("1.5s")', {}, "91.5s", "google.protobuf.Duration"),
    ('b"ab"', {}, "YWI=", "bytes"),
    ("1u", {}, 1, "uint"),
    ("type(1)", {}, "int", "type"),
    ('{"a": [1, 2.5], 1: null}', {}, {"a": [1, 2.5], "1": None}, "map"),
    ("m.x", {"m": {"x": "é"}}, "é", "string"),
])
def test_expr_returns_json_values(client: Client, expression: str, bindings: dict[str, Any], value: Any,
                                  type_: str) -> None:
    status, doc = client.post("/v1/expr", {"expression": expression, "bindings": bindings})
    assert status == 200
    assert doc == {"value": value, "type": type_}


def test_json_value_converts_what_json_cannot_say() -> None:
    import datetime as dt

    assert json_value(float("nan")) == "NaN" and json_value(float("-inf")) == "-Infinity"
    assert json_value(dt.timedelta(seconds=-1, microseconds=500000)) == "-0.5s"
    assert json_value({True: dt.date(2024, 1, 1)}) == {"true": "2024-01-01"}


# --- errors -----------------------------------------------------------------------------------------------

EVAL = "/v1/evaluate"
ERRORS = [
    # (method, path, body or raw bytes, status, code, a word the message must contain)
    ("POST", EVAL, b"{bad", 400, "bad_request", "malformed JSON"),
    ("POST", EVAL, b"", 400, "bad_request", "empty request body"),
    ("POST", EVAL, b"\xff\xfe{}", 400, "bad_request", "not UTF-8"),
    ("POST", EVAL, b'{"data": {}, "as_of": NaN}', 400, "bad_request", "NaN"),
    ("POST", EVAL, [1, 2], 400, "bad_request", "must be a JSON object, not array"),
    ("POST", EVAL, {"as_of": "2025-01-31"}, 400, "bad_request", "'data' is required"),
    ("POST", EVAL, {"data": {}, "rulset": "uu-25-2009"}, 400, "bad_request", "did you mean 'ruleset'"),
    ("POST", EVAL, {"data": {}, "as_of": "31/01/2025"}, 400, "bad_request", "use YYYY-MM-DD"),
    ("POST", EVAL, {"data": {}, "lang": "fr"}, 400, "bad_request", "lang"),
    ("POST", EVAL, {"data": {}, "show_personal_data": "ya"}, 400, "bad_request", "true or false"),
    ("POST", EVAL, {"data": {}, "ruleset": 7}, 400, "bad_request", "ruleset id string"),
    ("POST", EVAL, {"data": [{"id": "L1"}]}, 422, "invalid_data", "keyed by entity name"),
    ("POST", EVAL, {"data": {"layanan": {"id": "L1"}}}, 422, "invalid_data", "layanan"),
    ("POST", EVAL, {"data": {"layanan": ["L1"]}}, 422, "invalid_data", "JSON object"),
    ("POST", EVAL, {"data": {}, "ruleset": "uu-25-2090"}, 404, "not_found", "did you mean 'uu-25-2009'"),
    ("POST", EVAL, {"data": {}, "ruleset": "../rulesets/uu-25-2009"}, 404, "not_found", "not loaded"),
    ("GET", "/v1/rulesets/perda-x/rules", None, 404, "not_found", "perda-x"),
    ("GET", "/v1/nothing", None, 404, "not_found", "no endpoint"),
    ("GET", EVAL, None, 405, "method_not_allowed", "use POST"),
    ("DELETE", "/v1/rulesets", None, 405, "method_not_allowed", "use GET"),
    ("BREW", "/healthz", None, 405, "method_not_allowed", "BREW"),
    ("POST", "/v1/expr", {"expression": "1 +"}, 400, "bad_request", "invalid expression"),
    ("POST", "/v1/expr", {"expression": "x + 1"}, 400, "bad_request", "invalid expression"),
    ("POST", "/v1/expr", {"expression": ""}, 400, "bad_request", "non-empty"),
    ("POST", "/v1/expr", {"expression": "1", "bindings": [1]}, 400, "bad_request", "bindings"),
    ("POST", "/v1/expr", {"expression": "1", "bindings": {"a b": 1}}, 400, "bad_request", "invalid variable name"),
    ("POST", "/v1/expr", {"expression": "1 / x", "bindings": {"x": 0}}, 422, "invalid_data", "division by zero"),
    ("POST", "/v1/expr", {"expression": "m.y", "bindings": {"m": {"x": 1}}}, 422, "invalid_data", "failed"),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "code", "says"), ERRORS,
                         ids=[f"{e[0]}-{e[1]}-{e[4]}-{i}" for i, e in enumerate(ERRORS)])
def test_errors_are_json_with_a_stable_shape(client: Client, method: str, path: str, body: Any, status: int,
                                             code: str, says: str) -> None:
    raw = body if isinstance(body, bytes) else None
    got, headers, doc = client.request(method, path, None if raw is not None else body, raw=raw)
    assert (got, doc["error"]["code"]) == (status, code), doc
    assert says in doc["error"]["message"], doc["error"]["message"]
    assert " / " in doc["error"]["message"]  # Indonesian / English
    assert "Traceback" not in json.dumps(doc)
    if status == 405:
        assert headers["allow"]


def test_error_details_name_the_field_and_place(client: Client) -> None:
    _, doc = client.post(EVAL, raw=b'{\n  "data": {}\n  "lang": "id"}')
    assert doc["error"]["details"] == [{"message": "Expecting ',' delimiter", "line": 3, "column": 3}]
    _, doc = client.post(EVAL, {"data": {}, "as_of": "kemarin", "lang": "xx"})
    assert [d["field"] for d in doc["error"]["details"]] == ["as_of"]  # the first wrong field, by name
    _, doc = client.post("/v1/expr", {"expression": "1 / x", "bindings": {"x": 0}})
    assert doc["error"]["details"][0]["reason"] == "division_by_zero"


def test_body_over_the_limit_is_413_and_the_connection_closes(app: App) -> None:
    small = App(app.rulesets, max_body=1000)
    with running(small) as c:
        status, headers, doc = c.request("POST", EVAL, {"data": {"layanan": [{"id": f"L{i}"} for i in range(200)]}})
        assert status == 413 and doc["error"]["code"] == "payload_too_large"
        assert headers.get("connection") == "close"
        status, doc = c.post(EVAL, {"as_of": "2025-01-31", "data": {"layanan": [{"id": "L1"}]}})
        assert status == 200  # a body under the limit still works


def test_expect_100_continue_is_refused_before_the_body_is_sent(app: App) -> None:
    small = App(app.rulesets, max_body=10)
    with running(small) as c:
        conn = http.client.HTTPConnection(c.host, c.port, timeout=10)
        conn.putrequest("POST", EVAL)
        conn.putheader("Content-Length", "5000")
        conn.putheader("Expect", "100-continue")
        conn.endheaders()  # no body sent: the server must answer from the headers alone
        resp = conn.getresponse()
        doc = json.loads(resp.read())
        conn.close()
        assert resp.status == 413 and doc["error"]["code"] == "payload_too_large"


def _post_chunked(host: str, port: int, chunks: list[bytes]) -> tuple[int, Any]:
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("POST", EVAL, body=iter(chunks), headers={"Transfer-Encoding": "chunked"}, encode_chunked=True)
        resp = conn.getresponse()
        doc = json.loads(resp.read())
    finally:
        conn.close()
    check_openapi("POST", EVAL, resp.status, doc)
    return resp.status, doc


def test_a_chunked_body_is_read_like_any_other(client: Client) -> None:
    body = json.dumps({"as_of": "2025-01-31", "data": {"layanan": [{"id": "L1", "nama": "Kartu Keluarga"}]}}).encode()
    status, doc = _post_chunked(client.host, client.port, [body[:10], body[10:40], body[40:]])
    assert status == 200 and doc == in_process({"layanan": [{"id": "L1", "nama": "Kartu Keluarga"}]})


def test_a_chunked_body_over_the_limit_is_413(app: App) -> None:
    with running(App(app.rulesets, max_body=100)) as c:
        status, doc = _post_chunked(c.host, c.port, [b'{"data": {"layanan": [', b'{"id": "L1"},' * 20, b"]}}"])
    assert status == 413 and doc["error"]["code"] == "payload_too_large"


def test_a_ruleset_that_failed_to_load_answers_invalid_ruleset(app: App, tmp_path: Path) -> None:
    folder = tmp_path / "rusak"
    folder.mkdir()
    (folder / "ruleset.yaml").write_text("id: rusak\ntitle: {id: Rusak, en: Broken}\nversion: '1'\n", encoding="utf-8")
    (folder / "aturan.yaml").write_text("- id: X-1\n  applies_to: layanan\n  require: layanan.tidak_ada\n",
                                        encoding="utf-8")
    with pytest.raises(RulesetError) as exc:
        load_ruleset(folder)
    broken = {"rusak": BrokenRuleset("rusak", tuple(str(p) for p in exc.value.problems))}
    with running(App(app.rulesets, broken=broken)) as c:
        status, doc = c.post(EVAL, {"ruleset": "rusak", "data": {}})
        assert status == 422 and doc["error"]["code"] == "invalid_ruleset"
        assert any("aturan.yaml" in d["message"] for d in doc["error"]["details"])
        status, doc = c.get("/v1/rulesets/rusak/rules")
        assert status == 422 and doc["error"]["code"] == "invalid_ruleset"
        _, doc = c.get("/v1/rulesets")
        assert {"id": "rusak", "status": "invalid"}.items() <= doc["rulesets"][-1].items()


class _Buggy(App):
    """An app with a bug in one endpoint: what a user sees is a generic 500, the log has the traceback."""

    def healthz(self) -> Any:
        raise RuntimeError("boom: secret internals")


def test_a_bug_is_a_generic_500_with_the_traceback_only_in_the_log(app: App, capfd: pytest.CaptureFixture[str]) -> None:
    with running(_Buggy(app.rulesets)) as c:
        status, _, doc = c.request("GET", "/healthz")
    assert status == 500 and doc["error"]["code"] == "internal_error"
    assert "boom" not in json.dumps(doc)
    assert "RuntimeError: boom: secret internals" in capfd.readouterr().err


# --- concurrency, connections, logs -----------------------------------------------------------------------


def test_concurrent_requests_give_consistent_answers(client: Client, example: dict[str, Any]) -> None:
    expected_report = in_process(example)
    small = {"layanan": [example["layanan"][0]], "unit": [example["unit"][0]]}
    expected_small = in_process(small, lang="en")

    def work(i: int) -> bool:
        if i % 3 == 0:
            return client.post(EVAL, {"as_of": "2025-01-31", "data": example}) == (200, expected_report)
        if i % 3 == 1:
            return client.post(EVAL, {"as_of": "2025-01-31", "lang": "en", "data": small}) == (200, expected_small)
        return client.post("/v1/expr", {"expression": "x * 2", "bindings": {"x": i}}) == (200, {"value": 2 * i,
                                                                                                   "type": "int"})

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(48)))
    assert all(results)


def test_keep_alive_serves_several_requests_on_one_connection(client: Client) -> None:
    conn = http.client.HTTPConnection(client.host, client.port, timeout=10)
    try:
        for i in range(3):
            conn.request("POST", "/v1/expr", body=json.dumps({"expression": f"{i} + 1"}))
            resp = conn.getresponse()
            assert json.loads(resp.read())["value"] == i + 1
        conn.request("POST", "/nope", body=b'{"x": 1}')  # an error with a body keeps the connection in step
        assert conn.getresponse().read() and True
        conn.request("GET", "/healthz")
        assert json.loads(conn.getresponse().read())["status"] == "ok"
    finally:
        conn.close()


def test_each_request_is_one_log_line_unless_quiet(app: App) -> None:
    with running(app) as c:
        c.post("/v1/expr", {"expression": "1"})
        c.get("/nope")
        with socket.create_connection((c.host, c.port), timeout=10) as sock:  # bytes http.client would refuse
            sock.sendall(b"GET /a\x1b[31mred?secret=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 404")
    # one line per request; each connection is served by its own thread, so a line may be
    # written after the next request's (it is written once the answer has gone out)
    lines = c.log.getvalue().splitlines()
    assert len(lines) == 3, lines
    assert sum(bool(re.fullmatch(r"\S+Z POST /v1/expr 200 \d+\.\dms", x)) for x in lines) == 1, lines
    assert sum(bool(re.fullmatch(r"\S+Z GET /nope 404 \d+\.\dms", x)) for x in lines) == 1, lines
    raw = next(x for x in lines if " /a" in x)
    assert "\x1b" not in raw and "secret" not in raw  # no terminal escapes, no query string
    with running(app, quiet=True) as q:
        q.get("/healthz")
    assert q.log.getvalue() == ""


# --- the OpenAPI document and the command -----------------------------------------------------------------


def test_openapi_documents_every_route_and_method(app: App) -> None:
    assert OPENAPI["openapi"].startswith("3.1")
    for schema in OPENAPI["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    documented = {(m.upper(), p) for p, item in OPENAPI["paths"].items() for m in item}
    served = set()
    for route in app.routes:
        path = re.sub(r"\(\?P<\w+>\[\^/\]\+\)", "{id}", route.pattern.pattern)
        served |= {(m, path) for m in route.methods}
    assert served == documented
    for item in OPENAPI["paths"].values():
        for op in item.values():
            assert "500" in op["responses"] and "405" in op["responses"]


def test_openapi_request_examples_are_valid_requests(client: Client) -> None:
    for path in ("/v1/evaluate", "/v1/expr"):
        content = OPENAPI["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        _validate(content["schema"]["$ref"], content["example"])
        status, _ = client.post(path, content["example"])
        assert status == 200


def test_serve_command_starts_answers_and_stops() -> None:
    exe = Path(sys.executable).with_name("layanan-rules")
    proc = subprocess.Popen([str(exe), "serve", "--port", "0", "--quiet"], stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        seen = ""
        while (line := proc.stderr.readline()) and "http://" not in line:
            seen += line
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert m, f"the server did not start: {seen}{line}"
        port = int(m.group(1))
        status, doc = Client("127.0.0.1", port, io.StringIO()).get("/healthz")
        assert status == 200 and doc["status"] == "ok"
    finally:
        proc.terminate()
        proc.wait(10)


def test_serve_with_an_unknown_ruleset_exits_2_before_listening() -> None:
    result = CliRunner().invoke(cli, ["serve", "--ruleset", "uu-25-2090", "--port", "0"])
    assert result.exit_code == 2
    assert "did you mean 'uu-25-2009'" in result.stderr and "Traceback" not in result.stderr


def test_serve_on_a_port_in_use_exits_2(app: App) -> None:
    with running(app) as c:
        result = CliRunner().invoke(cli, ["serve", "--ruleset", "uu-25-2009", "--port", str(c.port)])
    assert result.exit_code == 2 and "cannot listen on" in result.stderr


# --- never a 500 for any JSON a client may send ----------------------------------------------------------

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False),
                     st.text(max_size=12), st.sampled_from(["2024-01-09", "7/1/2015 10:27:00", "Rp 10.000,-",
                                                            "Gratis", "3 (tiga) hari kerja", "L1", "U1"]))
_KEYS = st.sampled_from(["id", "unit_id", "nama", "standar", "dasar_hukum", "biaya", "jangka_waktu", "diterima_pada",
                         "ditanggapi_pada", "aktif", "layanan", "pengaduan", "x"])
_JSON = st.recursive(_SCALARS, lambda c: st.one_of(st.lists(c, max_size=4), st.dictionaries(_KEYS, c, max_size=5)),
                     max_leaves=20)
_DATA = st.dictionaries(st.sampled_from(["layanan", "unit", "pengaduan", "penyelenggara", "sarana", "foo"]),
                        st.one_of(st.lists(_JSON, max_size=3), _JSON), max_size=3)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(_DATA, _JSON),
       extra=st.dictionaries(st.sampled_from(["as_of", "lang", "ruleset", "show_personal_data"]), _JSON, max_size=2))
def test_evaluate_never_answers_500_to_any_json(app: App, data: Any, extra: dict[str, Any]) -> None:
    response = app.handle("POST", "/v1/evaluate", json.dumps({"data": data, **extra}).encode())
    assert response.status < 500, response.body
    check_openapi("POST", "/v1/evaluate", response.status, json.loads(response.encode()))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=st.text(alphabet="abxy0123+-*/%()[]{}.,:?!<>=&|\"' inhaszet", min_size=1, max_size=30),
       bindings=st.dictionaries(st.sampled_from(["a", "b", "x", "y"]), _JSON, max_size=3))
def test_expr_never_answers_500_to_any_expression(app: App, source: str, bindings: dict[str, Any]) -> None:
    response = app.handle("POST", "/v1/expr", json.dumps({"expression": source, "bindings": bindings}).encode())
    assert response.status < 500, response.body
    check_openapi("POST", "/v1/expr", response.status, json.loads(response.encode()))
