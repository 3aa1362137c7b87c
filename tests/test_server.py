"""`layanan-rules serve`: the API against a real server on 127.0.0.1, and App.handle (the core) in-process.

The servers are separate processes started with the installed command (see ``serving.py``);
every answer a test receives is checked against docs/openapi.json. The transport's own
promises (workers, budgets, shutdown, metrics, logs, auth) are in test_server_transport.py; the
upload page in test_server_browser.py; schemathesis in test_server_schemathesis.py.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from serving import OPENAPI, Running, check_openapi, serving, validate
from support import AS_OF, EXAMPLE_JSON, ROOT

from layanan_rules import evaluate, load_ruleset
from layanan_rules.report.stream import findings_of
from layanan_rules.rules.ruleset import RulesetError
from layanan_rules.server import App, BrokenRuleset, forms, json_value

EXAMPLE_XLSX = ROOT / "examples" / "dinas-contoh.xlsx"


@pytest.fixture(scope="module")
def app() -> App:
    return App.from_refs()


@pytest.fixture(scope="module")
def client() -> Iterator[Running]:
    with serving(workers=2) as running:
        yield running


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


def test_healthz_names_the_loaded_rulesets(client: Running) -> None:
    status, doc = client.get("/healthz")
    assert status == 200
    assert doc["status"] == "ok" and "uu-25-2009" in doc["rulesets"]


def test_head_answers_headers_without_a_body(client: Running) -> None:
    status, headers, _ = client.request("HEAD", "/healthz")
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert status == 200 and int(headers["content-length"]) > 0


def test_rulesets_lists_id_version_and_title(client: Running) -> None:
    status, doc = client.get("/v1/rulesets")
    rs = _ruleset()
    assert status == 200 and doc["default"] == "uu-25-2009"
    (entry,) = [r for r in doc["rulesets"] if r["id"] == "uu-25-2009"]
    assert entry["version"] == rs.version and entry["status"] == "ok" and entry["rules"] == len(rs.rules)
    assert entry["title"] == {"id": rs.spec.title.id, "en": rs.spec.title.en}


def test_rules_carry_citations_severity_and_remedies(client: Running) -> None:
    status, doc = client.get("/v1/rulesets/uu-25-2009/rules")
    rs = _ruleset()
    assert status == 200
    assert [r["id"] for r in doc["rules"]] == [r.id for r in rs.rules]
    rule = next(r for r in doc["rules"] if r["id"] == "UU25-21a")
    assert rule["legal_basis"][0]["label"] == "UU 25/2009 Pasal 21 huruf a"
    assert rule["severity"] == rs.rule("UU25-21a").severity.value
    assert rule["remedy"]["id"] and rule["remedy"]["en"]


@pytest.mark.parametrize(("lang", "show"), [("id", False), ("en", False), ("id", True)])
def test_evaluate_example_equals_the_python_api(client: Running, example: dict[str, Any], lang: str,
                                                show: bool) -> None:
    body = {"ruleset": "uu-25-2009", "as_of": AS_OF.isoformat(), "lang": lang, "data": example}
    if show:
        body["show_personal_data"] = True
    status, doc = client.post("/v1/evaluate", body)
    assert status == 200
    assert doc == in_process(example, lang=lang, show_personal=show)
    assert doc["summary"]["states"]["fail"] > 0


def test_ruleset_and_lang_default_to_the_server_default(client: Running, example: dict[str, Any]) -> None:
    status, doc = client.post("/v1/evaluate", {"as_of": "2025-01-31", "data": example})
    assert status == 200 and doc == in_process(example)


def test_personal_data_is_masked_unless_asked(client: Running) -> None:
    data = {"unit": [{"id": "U1", "nama": "Dinas"}],
            "pengaduan": [{"id": "A1", "unit_id": "U1", "diterima_pada": "2024-01-09", "nik_pengadu": ["Budi"]}]}
    _, masked = client.post("/v1/evaluate", {"as_of": "2025-01-31", "data": data})
    _, shown = client.post("/v1/evaluate", {"as_of": "2025-01-31", "data": data, "show_personal_data": True})
    (m,) = [i for i in masked["data_issues"] if i.get("field") == "nik_pengadu"]
    (s,) = [i for i in shown["data_issues"] if i.get("field") == "nik_pengadu"]
    assert masked["personal_data"] == "masked" and "data pribadi" in m["message"]
    assert shown["personal_data"] == "shown" and "data pribadi" not in s["message"]


def test_unreadable_values_are_findings_not_request_errors(client: Running) -> None:
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
def test_expr_returns_json_values(client: Running, expression: str, bindings: dict[str, Any], value: Any,
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
    ("POST", EVAL, b'{"data": {"layanan": [{"id": "L1", "x": 1e400}]}}', 400, "bad_request", "too large"),
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
    ("PUT", "/healthz", None, 405, "method_not_allowed", "PUT"),
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
def test_errors_are_json_with_a_stable_shape(client: Running, method: str, path: str, body: Any, status: int,
                                             code: str, says: str) -> None:
    raw = body if isinstance(body, bytes) else None
    got, headers, data = client.request(method, path, None if raw is not None else body, raw=raw)
    doc = json.loads(data)
    assert (got, doc["error"]["code"]) == (status, code), doc
    assert says in doc["error"]["message"], doc["error"]["message"]
    assert " / " in doc["error"]["message"]  # Indonesian / English
    assert "Traceback" not in json.dumps(doc)
    if status == 405:
        assert headers["allow"]


def test_error_details_name_the_field_and_place(client: Running) -> None:
    _, doc = client.post(EVAL, raw=b'{\n  "data": {}\n  "lang": "id"}')
    assert doc["error"]["details"] == [{"message": "Expecting ',' delimiter", "line": 3, "column": 3}]
    _, doc = client.post(EVAL, {"data": {}, "as_of": "kemarin", "lang": "xx"})
    assert [d["field"] for d in doc["error"]["details"]] == ["as_of"]  # the first wrong field, by name
    _, doc = client.post("/v1/expr", {"expression": "1 / x", "bindings": {"x": 0}})
    assert doc["error"]["details"][0]["reason"] == "division_by_zero"




def test_a_ruleset_that_failed_to_load_answers_invalid_ruleset(app: App, tmp_path: Path) -> None:
    folder = tmp_path / "rusak"
    folder.mkdir()
    (folder / "ruleset.yaml").write_text("id: rusak\ntitle: {id: Rusak, en: Broken}\nversion: '1'\n", encoding="utf-8")
    (folder / "aturan.yaml").write_text("- id: X-1\n  applies_to: layanan\n  require: layanan.tidak_ada\n",
                                        encoding="utf-8")
    with pytest.raises(RulesetError) as exc:
        load_ruleset(folder)
    broken = {"rusak": BrokenRuleset("rusak", tuple(str(p) for p in exc.value.problems))}
    with_broken = App(app.rulesets, broken=broken)
    response = with_broken.handle("POST", EVAL, json.dumps({"ruleset": "rusak", "data": {}}).encode())
    assert response.status == 422 and response.body["error"]["code"] == "invalid_ruleset"
    assert any("aturan.yaml" in d["message"] for d in response.body["error"]["details"])
    response = with_broken.handle("GET", "/v1/rulesets/rusak/rules")
    assert response.status == 422 and response.body["error"]["code"] == "invalid_ruleset"
    listed = with_broken.handle("GET", "/v1/rulesets").body
    assert {"id": "rusak", "status": "invalid"}.items() <= listed["rulesets"][-1].items()


class _Buggy(App):
    """An app with a bug in one endpoint: what a user sees is a generic 500, the log has the traceback."""

    def healthz(self) -> Any:
        raise RuntimeError("boom: secret internals")


def test_a_bug_is_a_generic_500_with_the_traceback_only_in_the_log(app: App, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="layanan_rules.server"):
        response = _Buggy(app.rulesets).handle("GET", "/healthz")
    assert response.status == 500 and response.body["error"]["code"] == "internal_error"
    assert "boom" not in response.encode().decode()
    (record,) = [r for r in caplog.records if r.exc_info]
    assert "RuntimeError: boom: secret internals" in caplog.text and record.name == "layanan_rules.server"


def test_memory_errors_are_not_answered_as_bugs(app: App) -> None:
    class Hungry(App):
        def healthz(self) -> Any:
            raise MemoryError

    with pytest.raises(MemoryError):  # a server answers it as budget_exceeded (test_server_transport.py)
        Hungry(app.rulesets).handle("GET", "/healthz")


# --- concurrency and connections ---------------------------------------------------------------------------


def test_concurrent_requests_give_consistent_answers(client: Running, example: dict[str, Any]) -> None:
    from concurrent.futures import ThreadPoolExecutor

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


def test_keep_alive_serves_several_requests_on_one_connection(client: Running) -> None:
    import http.client

    conn = http.client.HTTPConnection(client.host, client.port, timeout=30)
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


# --- the upload endpoint (POST /v1/report) and the pages -----------------------------------------------------


def _upload(client: Running, fields: dict[str, Any], **kw: Any) -> tuple[int, dict[str, str], bytes]:
    body, headers = forms.encode(fields)
    return client.request("POST", "/v1/report", raw=body, headers={**headers, **kw.pop("headers", {})}, **kw)


def test_report_from_a_workbook_is_what_the_command_line_writes(client: Running, tmp_path: Path) -> None:
    import subprocess

    from serving import command

    data = EXAMPLE_XLSX.read_bytes()
    status, headers, body = _upload(client, {"file": ("dinas-contoh.xlsx", data), "as_of": "2025-01-31",
                                             "format": "json"})
    assert status == 200 and headers["content-type"] == "application/json; charset=utf-8"
    assert headers["content-disposition"] == 'attachment; filename="laporan-dinas-contoh-2025-01-31.json"'
    served = json.loads(body)
    copy = tmp_path / "dinas-contoh.xlsx"
    copy.write_bytes(data)
    out = subprocess.run([*command(), "evaluate", "dinas-contoh.xlsx", "--as-of", "2025-01-31", "--format", "json",
                          "--quiet"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert out.returncode == 1, out.stderr  # the example has failures
    assert served == json.loads(out.stdout)  # provenance names the file as uploaded, never a temporary folder
    assert next(f for f in findings_of(served) if f["state"] == "fail")["provenance"]["source"] == "dinas-contoh.xlsx"


@pytest.mark.parametrize(("fmt", "kind", "magic"), [
    ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ("csv", "text/csv; charset=utf-8", b"\xef\xbb\xbfrule_id,"),  # UTF-8 with a BOM, for Excel
])
def test_report_formats_have_their_media_type_and_file_name(client: Running, fmt: str, kind: str,
                                                            magic: bytes) -> None:
    status, headers, body = _upload(client, {"file": ("dinas-contoh.xlsx", EXAMPLE_XLSX.read_bytes()),
                                             "as_of": "2025-01-31", "format": fmt, "lang": "en"})
    assert status == 200 and headers["content-type"] == kind and body.startswith(magic)
    disposition = "inline" if fmt == "html" else "attachment"
    ext = {"html": "html", "xlsx": "xlsx", "csv": "csv"}[fmt]
    assert headers["content-disposition"] == f'{disposition}; filename="laporan-dinas-contoh-2025-01-31.{ext}"'


REPORT_ERRORS = [
    # (fields or raw (body, content type), status, code, words the message must contain)
    ({"as_of": "2025-01-31"}, 400, "bad_request", "file"),
    ({"file": ("data.txt", b"hello")}, 400, "bad_request", "unknown file type"),
    ({"file": ("data.xlsx", b"")}, 400, "bad_request", "empty"),
    ({"file": ("data.xlsx", b"not a workbook")}, 422, "invalid_data", "data.xlsx"),
    ({"file": ("data.json", b'{"layanan": [}')}, 422, "invalid_data", "data.json"),
    ({"file": ("data.json", b"{}")}, 422, "invalid_data", "no records were read from 'data.json'"),
    ({"file": ("d.json", b"{}"), "as_of": "31/01/2025"}, 400, "bad_request", "use YYYY-MM-DD"),
    ({"file": ("d.json", b"{}"), "format": "pdf"}, 400, "bad_request", "unknown format"),
    ({"file": ("d.json", b"{}"), "fromat": "json"}, 400, "bad_request", "did you mean 'format'"),
    ({"file": ("d.json", b"{}"), "ruleset": "uu-25-2090"}, 404, "not_found", "did you mean 'uu-25-2009'"),
    ((b'{"file": 1}', "application/json"), 400, "bad_request", "multipart/form-data"),
    ((b"--xx\r\nContent-Disposition: form-data; name=\"file\"", "multipart/form-data; boundary=xx"), 400,
     "bad_request", "multipart"),
]


@pytest.mark.parametrize(("fields", "status", "code", "says"), REPORT_ERRORS,
                         ids=[f"{e[2]}-{i}" for i, e in enumerate(REPORT_ERRORS)])
def test_report_errors_are_the_api_errors(client: Running, fields: Any, status: int, code: str, says: str) -> None:
    if isinstance(fields, tuple):
        body, kind = fields
        got, _headers, data = client.request("POST", "/v1/report", raw=body, headers={"Content-Type": kind})
    else:
        got, _headers, data = _upload(client, fields)
    doc = json.loads(data)
    assert (got, doc["error"]["code"]) == (status, code), doc
    assert says in doc["error"]["message"] and " / " in doc["error"]["message"]
    assert "layanan-rules-upload" not in doc["error"]["message"]  # never the temporary folder


def test_a_browser_gets_errors_as_a_page(client: Running) -> None:
    status, headers, data = _upload(client, {"file": ("data.xlsx", b"not a workbook")},
                                    headers={"Accept": "text/html,application/xhtml+xml"})
    page = data.decode()
    assert status == 422 and headers["content-type"] == "text/html; charset=utf-8"
    assert "invalid_data" in page and "buku kerja tidak terbaca" in page and "workbook cannot be read" in page
    assert page.index("buku kerja tidak terbaca") < page.index("workbook cannot be read")  # Indonesian first


def test_the_upload_page_is_a_form_indonesian_first(client: Running) -> None:
    status, headers, data = client.request("GET", "/")
    page = data.decode()
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in headers["content-security-policy"]
    assert 'action="/v1/report"' in page and 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page and 'name="as_of"' in page and 'type="date"' in page
    for fmt in ("html", "xlsx", "json"):
        assert f'name="format" value="{fmt}"' in page
    assert page.index("Unggah buku kerja") < page.index("Upload the provider")
    assert "<script" not in page and "http://" not in page and "https://" not in page


def test_openapi_and_the_report_schema_are_served(client: Running) -> None:
    status, served = client.get("/openapi.json")
    assert status == 200 and served == OPENAPI
    status, schema = client.get("/report-schema.json")  # what openapi.json's "$ref": "report-schema.json" reaches
    assert status == 200 and schema["title"] == "layanan-rules JSON report"
    status, headers, data = client.request("GET", "/v1/docs")
    page = data.decode()
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    for path, item in OPENAPI["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in page.replace("&#x27;", "'")


def test_openapi_documents_every_route_and_method(app: App) -> None:
    assert OPENAPI["openapi"].startswith("3.1")
    for schema in OPENAPI["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    documented = {(m.upper(), p) for p, item in OPENAPI["paths"].items() for m in item}
    served = {(m, route.name) for route in app.routes for m in route.methods} | {("GET", "/metrics")}
    assert served == documented
    for item in OPENAPI["paths"].values():
        for op in item.values():
            assert "500" in op["responses"] and "405" in op["responses"]


def test_openapi_request_examples_are_valid_requests(client: Running) -> None:
    for path in ("/v1/evaluate", "/v1/expr"):
        content = OPENAPI["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        validate(content["schema"]["$ref"], content["example"])
        status, _ = client.post(path, content["example"])
        assert status == 200


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
    check_openapi("POST", "/v1/evaluate", response.status, response.media_type, response.encode())


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=st.text(alphabet="abxy0123+-*/%()[]{}.,:?!<>=&|\"' inhaszet", min_size=1, max_size=30),
       bindings=st.dictionaries(st.sampled_from(["a", "b", "x", "y"]), _JSON, max_size=3))
def test_expr_never_answers_500_to_any_expression(app: App, source: str, bindings: dict[str, Any]) -> None:
    response = app.handle("POST", "/v1/expr", json.dumps({"expression": source, "bindings": bindings}).encode())
    assert response.status < 500, response.body
    check_openapi("POST", "/v1/expr", response.status, response.media_type, response.encode())


@settings(max_examples=300, deadline=None)
@given(value=st.recursive(st.none() | st.booleans() | st.text(max_size=8) | st.integers()
                          | st.floats(allow_nan=False, allow_infinity=False),
                          lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=5), c, max_size=4),
                          max_leaves=25))
def test_answers_are_the_json_the_standard_library_would_write(value: Any) -> None:
    from layanan_rules.server.messages import dumps

    written = dumps(value)
    assert written.endswith(b"\n") and json.loads(written) == json.loads(json.dumps(value))
