"""The http adapter against a real HTTP server on 127.0.0.1, faults included."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from layanan_rules_http import HttpAdapter, testing
from layanan_rules_http.testing import Fault

from layanan_rules import Dataset, evaluate
from layanan_rules.cli import cli
from layanan_rules.data.adapters import AdapterError
from layanan_rules.data.sources import SOURCE_UNAVAILABLE, choose, incomplete, read
from layanan_rules.report.stream import findings_of

AS_OF = dt.date(2025, 1, 31)
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "dinas-contoh.json"

#: How each pagination style of the test server is described in a mapping file.
STYLES: dict[str, dict[str, Any]] = {
    "page": {"records": "data.items", "total": "meta.total",
             "pagination": {"style": "page", "page_param": "page", "size_param": "per_page", "size": 1}},
    "offset": {"records": "results", "total": "count", "pagination": {"style": "offset", "size": 1}},
    "cursor": {"records": "items", "pagination": {"style": "cursor", "next": "next_cursor", "size_param": "size",
                                                  "size": 1}},
    "next": {"records": "data", "pagination": {"style": "next", "next": "links.next", "size_param": "size", "size": 1}},
    "link": {"pagination": {"style": "link", "size_param": "size", "size": 1}},
}


def comparable(report: Any) -> list[dict[str, Any]]:
    out = [{k: v for k, v in f.items() if k != "provenance"} for f in findings_of(report.to_dict())]
    return sorted(out, key=lambda f: (f["rule_id"], f["entity"], f["entity_id"]))


def mapping_file(tmp_path: Path, style: str, entities: Any, **top: Any) -> str:
    content = {**top, "entities": {e: {"path": f"/{style}/{e}", **STYLES[style]} for e in entities}}
    path = tmp_path / f"peta-{style}.yaml"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return str(path)


FAST = {"timeout": 2, "retries": {"max_attempts": 3, "backoff": 0.05, "max_wait": 5}}


# --- done when: the same findings as the JSON file ------------------------------------------------


@pytest.mark.parametrize("style", sorted(STYLES))
def test_api_gives_the_same_findings_as_the_json_file(style: str, base_url: str, api: testing.Api,
                                                      example: Any, pm: Any, ruleset: Any, reference: Any,
                                                      tmp_path: Path) -> None:
    dataset = read(base_url, pm, options={"mapping": mapping_file(tmp_path, style, example)})
    assert dataset.counts() == Dataset.from_json(example).counts()
    assert not dataset.issues
    assert comparable(evaluate(ruleset, dataset, as_of=AS_OF)) == reference
    assert len(api.requests) > len(example)  # really paged: one record per page


def test_plain_json_form_at_the_url_needs_no_mapping(base_url: str, pm: Any, ruleset: Any, reference: Any) -> None:
    assert comparable(evaluate(ruleset, read(base_url + "/plain", pm), as_of=AS_OF)) == reference


def test_cli_on_the_api_prints_the_same_findings_as_on_the_json_file(base_url: str, example: Any,
                                                                     tmp_path: Path) -> None:
    def cli_findings(*args: str) -> list[dict[str, Any]]:
        result = CliRunner().invoke(cli, ["evaluate", *args, "--as-of", "2025-01-31", "--format", "json"])
        assert result.exit_code == 1, result.output
        return sorted(({k: v for k, v in f.items() if k != "provenance"} for f in findings_of(json.loads(result.stdout))),
                      key=lambda f: (f["rule_id"], f["entity"], f["entity_id"]))

    peta = mapping_file(tmp_path, "page", example)
    assert cli_findings(base_url, "--option", f"mapping={peta}") == cli_findings(str(EXAMPLE))


def test_provenance_is_url_page_and_index(base_url: str, example: Any, pm: Any, tmp_path: Path) -> None:
    dataset = read(base_url, pm, options={"mapping": mapping_file(tmp_path, "page", ["pengaduan"])})
    second = dataset.records["pengaduan"][1]
    assert second.provenance.page == 2 and second.provenance.row == 1
    assert second.provenance.source.startswith(base_url + "/page/pengaduan?")
    assert "page=2" in second.provenance.source
    assert second.provenance.key == example["pengaduan"][1]["id"]


def test_the_adapter_is_chosen_by_url_scheme(pm: Any) -> None:
    assert choose("https://api.contoh.go.id/v1", pm) is HttpAdapter
    assert choose("http://127.0.0.1:8000", pm) is HttpAdapter


def test_keys_are_mapped_explicitly_or_tolerantly_and_unknown_keys_are_noted(pm: Any, tmp_path: Path) -> None:
    api = testing.Api(data={"layanan": [
        {"kode": "L1", "Nama Layanan": "Izin Reklame", "ID Unit": "U1", "Dasar Hukum": "UU No. 28 Tahun 2009",
         "Waktu Penyelesaian": "5 hari kerja", "warna": "biru", "internal": 1},
    ]})
    peta = tmp_path / "peta.yaml"
    peta.write_text(yaml.safe_dump({"entities": {"layanan": {
        "path": "/page/layanan", **STYLES["page"], "columns": {"kode": "id", "internal": None}}}}))
    with testing.serve(api) as url:
        dataset = read(url, pm, options={"mapping": str(peta)})
    (rec,) = dataset.records["layanan"]
    assert (rec.id, rec.obj.nama, rec.obj.unit_id) == ("L1", "Izin Reklame", "U1")
    assert rec.obj.standar.jangka_waktu.jumlah == 5 and rec.obj.standar.dasar_hukum[0].tahun == 2009
    notes = [i.message for i in dataset.issues if i.kind == "adapter_note"]
    assert len(notes) == 1 and "warna" in notes[0] and "internal" not in notes[0]


# --- retries -------------------------------------------------------------------------------------


def test_a_transient_503_is_retried(api: testing.Api, base_url: str, example: Any, pm: Any, tmp_path: Path) -> None:
    api.faults.append(Fault("status", "pengaduan", page=2, status=503, times=2))
    dataset = read(base_url, pm, options={"mapping": mapping_file(tmp_path, "page", ["pengaduan"], **FAST)})
    assert len(dataset.records["pengaduan"]) == len(example["pengaduan"])


def test_429_waits_as_long_as_retry_after_says(api: testing.Api, base_url: str, example: Any, pm: Any,
                                               tmp_path: Path) -> None:
    api.faults.append(Fault("status", "pengaduan", page=2, status=429, retry_after="1", times=1))
    start = time.monotonic()
    dataset = read(base_url, pm, options={"mapping": mapping_file(tmp_path, "page", ["pengaduan"], **FAST)})
    assert time.monotonic() - start >= 1.0
    assert len(dataset.records["pengaduan"]) == len(example["pengaduan"])


def test_retry_after_beyond_max_wait_fails_at_once(api: testing.Api, base_url: str, pm: Any, tmp_path: Path) -> None:
    api.faults.append(Fault("status", "pengaduan", page=1, status=429, retry_after="3600"))
    start = time.monotonic()
    with pytest.raises(AdapterError, match="max_wait"):
        read(base_url, pm, options={"mapping": mapping_file(tmp_path, "page", ["pengaduan"], **FAST)})
    assert time.monotonic() - start < 2


def test_a_500_in_the_middle_of_the_pages_names_the_page(api: testing.Api, base_url: str, pm: Any,
                                                         tmp_path: Path) -> None:
    api.faults.append(Fault("status", "pengaduan", page=2, status=500))
    with pytest.raises(AdapterError) as err:
        read(base_url, pm, options={"mapping": mapping_file(tmp_path, "page", ["pengaduan"], **FAST)})
    message = str(err.value)
    assert "HTTP 500" in message and "page=2" in message and "3 attempts" in message


def test_a_slow_page_times_out(api: testing.Api, base_url: str, pm: Any, tmp_path: Path) -> None:
    api.faults.append(Fault("slow", "pengaduan", page=2, delay=1.5))
    quick = {"timeout": 0.3, "retries": {"max_attempts": 2, "backoff": 0.05, "max_wait": 5}}
    with pytest.raises(AdapterError, match="within its 0.3s deadline"):
        read(base_url, pm, options={"mapping": mapping_file(tmp_path, "page", ["pengaduan"], **quick)})


# --- broken answers --------------------------------------------------------------------------------


def test_broken_json_is_named(api: testing.Api, base_url: str, pm: Any, tmp_path: Path) -> None:
    api.faults.append(Fault("badjson", "pengaduan", page=2))
    with pytest.raises(AdapterError, match="JSON tidak valid") as err:
        read(base_url, pm, options={"mapping": mapping_file(tmp_path, "page", ["pengaduan"], **FAST)})
    assert "page=2" in str(err.value)


def test_an_html_page_says_it_is_not_the_api(api: testing.Api, base_url: str, pm: Any, tmp_path: Path) -> None:
    api.faults.append(Fault("html", "pengaduan", page=1))
    with pytest.raises(AdapterError, match="text/html"):
        read(base_url, pm, options={"mapping": mapping_file(tmp_path, "page", ["pengaduan"], **FAST)})


@pytest.mark.parametrize("style", ["next", "link", "cursor", "page", "offset"])
def test_a_page_pointing_back_to_itself_is_a_loop(style: str, api: testing.Api, base_url: str, pm: Any,
                                                  tmp_path: Path) -> None:
    api.faults.append(Fault("loop", "pengaduan", page=2))
    with pytest.raises(AdapterError, match="pagination loop"):
        read(base_url, pm, options={"mapping": mapping_file(tmp_path, style, ["pengaduan"], **FAST)})


def test_missing_records_path_lists_the_keys_there_are(base_url: str, pm: Any, tmp_path: Path) -> None:
    peta = tmp_path / "peta.yaml"
    peta.write_text(yaml.safe_dump({"entities": {"pengaduan": {"path": "/page/pengaduan", "records": "data.rows"}}}))
    with pytest.raises(AdapterError, match="data.rows") as err:
        read(base_url, pm, options={"mapping": str(peta)})
    assert "data, meta" in str(err.value)


def test_unknown_endpoint_is_a_404_with_a_hint(base_url: str, pm: Any, tmp_path: Path) -> None:
    peta = tmp_path / "peta.yaml"
    peta.write_text(yaml.safe_dump({"entities": {"pengaduan": {"path": "/page/aduan"}}}))
    with pytest.raises(AdapterError, match="404.*'path'"):
        read(base_url, pm, options={"mapping": str(peta)})


def test_unreachable_api_exits_2_with_one_message() -> None:
    from layanan_rules_sql.testing import free_port

    result = CliRunner().invoke(cli, ["evaluate", f"http://127.0.0.1:{free_port()}/plain"])
    assert result.exit_code == 2
    assert "ConnectError" in result.stderr and "Traceback" not in result.output


# --- auth ------------------------------------------------------------------------------------------


def test_bearer_token_comes_from_the_environment_and_is_never_shown(api: testing.Api, base_url: str, example: Any,
                                                                    pm: Any, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    api.token = "token-rahasia-123"
    auth = {"auth": {"type": "bearer", "token_env": "LAYANAN_API_TOKEN"}}
    peta = mapping_file(tmp_path, "page", ["pengaduan"], **auth, **FAST)
    monkeypatch.delenv("LAYANAN_API_TOKEN", raising=False)
    with pytest.raises(AdapterError, match="LAYANAN_API_TOKEN"):
        read(base_url, pm, options={"mapping": peta})
    monkeypatch.setenv("LAYANAN_API_TOKEN", "token-salah-456")
    with pytest.raises(AdapterError, match="401") as err:
        read(base_url, pm, options={"mapping": peta})
    assert "token-salah-456" not in str(err.value)
    monkeypatch.setenv("LAYANAN_API_TOKEN", "token-rahasia-123")
    assert len(read(base_url, pm, options={"mapping": peta}).records["pengaduan"]) == len(example["pengaduan"])


def test_basic_auth_from_the_environment(api: testing.Api, base_url: str, example: Any, pm: Any, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    api.basic = ("inspektur", "sandi-rahasia")
    auth = {"auth": {"type": "basic", "username": "inspektur", "password_env": "LAYANAN_API_PASSWORD"}}
    monkeypatch.setenv("LAYANAN_API_PASSWORD", "sandi-rahasia")
    dataset = read(base_url, pm, options={"mapping": mapping_file(tmp_path, "page", ["pengaduan"], **auth, **FAST)})
    assert len(dataset.records["pengaduan"]) == len(example["pengaduan"])


def test_mapping_mistakes_are_adapter_errors(pm: Any, tmp_path: Path) -> None:
    peta = tmp_path / "peta.yaml"
    peta.write_text(yaml.safe_dump({"entities": {"pengaduan": {"pagination": {"style": "cursor"}}}}))
    with pytest.raises(AdapterError, match="next"):
        read("http://127.0.0.1:1", pm, options={"mapping": str(peta)})
    peta.write_text(yaml.safe_dump({"entities": {"aduan": {"path": "/x"}}}))
    with pytest.raises(AdapterError, match="pengaduan"):
        read("http://127.0.0.1:1", pm, options={"mapping": str(peta)})


# --- keep going ------------------------------------------------------------------------------------


def test_keep_going_counts_the_missing_records_from_the_total(api: testing.Api, base_url: str, example: Any,
                                                               pm: Any, tmp_path: Path) -> None:
    api.faults.append(Fault("status", "pengaduan", page=2, status=500))
    peta = mapping_file(tmp_path, "page", example, **FAST)
    dataset = read(base_url, pm, options={"mapping": peta}, keep_going=True)
    total = len(example["pengaduan"])
    assert len(dataset.records["pengaduan"]) == 1  # page 1 was read
    assert len(dataset.records["layanan"]) == len(example["layanan"])  # the other entities were read
    (issue,) = incomplete(dataset)
    assert issue.kind == SOURCE_UNAVAILABLE and issue.entity == "pengaduan"
    assert f"{total - 1} dari {total} record tidak terbaca" in issue.message
    assert f"{total - 1} of {total} records missing" in issue.message


def test_keep_going_cli_report_is_marked_incomplete(api: testing.Api, base_url: str, example: Any,
                                                    tmp_path: Path) -> None:
    api.faults.append(Fault("status", "layanan", page=1, status=502))
    peta = mapping_file(tmp_path, "page", example, **FAST)
    result = CliRunner().invoke(cli, ["evaluate", base_url, "--option", f"mapping={peta}", "--keep-going",
                                      "--format", "json", "--as-of", "2025-01-31"])
    assert result.exit_code == 2
    assert "TIDAK LENGKAP" in result.stderr and "INCOMPLETE" in result.stderr
    report = json.loads(result.stdout)
    first = report["data_issues"][0]
    assert first["kind"] == SOURCE_UNAVAILABLE and first["entity"] == "layanan"
    assert "layanan" not in report["summary"]["records"] or report["summary"]["records"]["layanan"] == 0


def test_pages_that_end_before_the_total_are_an_error(base_url: str, example: Any, pm: Any, tmp_path: Path) -> None:
    # the mapping claims 2 records per page, the server sends 1: the first page looks like the last
    peta = tmp_path / "peta.yaml"
    peta.write_text(yaml.safe_dump({"entities": {"pengaduan": {
        "path": "/page/pengaduan", "records": "data.items", "total": "meta.total", "params": {"per_page": 1},
        "pagination": {"style": "page", "size": 2, "size_param": "ukuran"}}}}))
    with pytest.raises(AdapterError, match=f"reports {len(example['pengaduan'])} records but the pages ended after 1"):
        read(base_url, pm, options={"mapping": str(peta)})


def test_an_unknown_option_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(AdapterError, match="did you mean 'timeout'"):
        HttpAdapter("http://127.0.0.1:1", {"timout": "5"})


def test_keep_going_with_an_adapter_without_parts_marks_the_rest_as_missing(pm: Any, tmp_path: Path) -> None:
    broken = tmp_path / "rusak.jsonl"
    broken.write_text('{"unit": {"id": "U1", "nama": "Dinas A"}}\n{"unit": {"id": "U2", "nama": \n', encoding="utf-8")
    with pytest.raises(AdapterError):
        read(str(broken), pm)
    dataset = read(str(broken), pm, keep_going=True)
    assert [r.id for r in dataset.records["unit"]] == ["U1"]
    (issue,) = incomplete(dataset)
    assert "only 1 records read, the rest (number unknown) missing" in issue.message


def test_cli_on_the_api_prints_the_same_findings_as_on_the_example_workbook(pm: Any, tmp_path: Path) -> None:
    """The issue's bar: the same data as the example workbook, served by a paginated API, evaluates the same."""
    workbook_path = EXAMPLE.with_name("dinas-contoh.xlsx")
    data = read(str(workbook_path), pm).to_json()

    def cli_findings(*args: str) -> list[dict[str, Any]]:
        result = CliRunner().invoke(cli, ["evaluate", *args, "--as-of", "2025-01-31", "--format", "json"])
        assert result.exit_code == 1, result.output
        return sorted(({k: v for k, v in f.items() if k != "provenance"} for f in findings_of(json.loads(result.stdout))),
                      key=lambda f: (f["rule_id"], f["entity"], f["entity_id"]))

    with testing.serve(testing.Api(data=data)) as url:
        peta = mapping_file(tmp_path, "page", data)
        assert cli_findings(url, "--option", f"mapping={peta}") == cli_findings(str(workbook_path))


# --- limits: a deadline per request, a bounded body, redirects that keep credentials home -------------


def test_a_trickling_page_stops_at_the_deadline_not_per_read(api: testing.Api, base_url: str, pm: Any,
                                                             tmp_path: Path) -> None:
    # a byte every 0.2 s never trips a per-read timeout of 1 s; the whole request must still end at 1 s
    api.faults.append(Fault("trickle", "pengaduan", page=1, delay=0.2))
    once = {"timeout": 1, "retries": {"max_attempts": 1, "backoff": 0, "max_wait": 0}}
    start = time.monotonic()
    with pytest.raises(AdapterError, match="within its 1s deadline"):
        read(base_url, pm, options={"mapping": mapping_file(tmp_path, "page", ["pengaduan"], **once)})
    assert time.monotonic() - start < 3  # the trickle alone would take over 30 minutes


def test_a_gzip_bomb_stops_at_http_bytes(api: testing.Api, base_url: str, pm: Any, tmp_path: Path) -> None:
    from layanan_rules import inputs

    api.faults.append(Fault("gzipbomb", "pengaduan", page=1, size=64 << 20))  # 64 MB in about 64 KB
    patient = {**FAST, "timeout": 60}  # a loaded machine must not turn this into a deadline case
    with inputs.override(http_bytes=8 << 20), pytest.raises(AdapterError, match="http_bytes=8388608"):
        read(base_url, pm, options={"mapping": mapping_file(tmp_path, "page", ["pengaduan"], **patient)})


def test_broken_gzip_and_redirect_loops_are_named(api: testing.Api, base_url: str, pm: Any, tmp_path: Path) -> None:
    api.faults.append(Fault("badgzip", "pengaduan", page=1))
    with pytest.raises(AdapterError, match="Content-Encoding"):
        read(base_url, pm, options={"mapping": mapping_file(tmp_path, "page", ["pengaduan"], **FAST)})
    api.faults[:] = [Fault("redirect", "pengaduan", page=1)]  # to the same URL, forever
    with pytest.raises(AdapterError, match="redirect loop"):
        read(base_url, pm, options={"mapping": mapping_file(tmp_path, "page", ["pengaduan"], **FAST)})


def test_credentials_stay_home_on_a_redirect_to_another_origin(api: testing.Api, base_url: str, pm: Any,
                                                               tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("API_TOKEN", "tok-rahasia-123")
    api.token = "tok-rahasia-123"
    other = testing.Api(data={})
    with testing.serve(other) as elsewhere:
        api.faults.append(Fault("redirect", "pengaduan", page=1, location=f"{elsewhere}/echo"))
        peta = mapping_file(tmp_path, "page", ["pengaduan"], auth={"type": "bearer", "token_env": "API_TOKEN"},
                            headers={"X-Api-Key": "kunci-rahasia-456", "Accept-Language": "id"}, **FAST)
        with pytest.raises(AdapterError):  # the third party's answer has no records: that is fine here
            read(base_url, pm, options={"mapping": peta})
    (sent,) = other.headers
    lowered = {k.lower(): v for k, v in sent.items()}
    assert "authorization" not in lowered and "x-api-key" not in lowered
    assert lowered.get("accept-language") == "id"  # harmless headers go on
    assert "tok-rahasia-123" not in json.dumps(sent) and "kunci-rahasia-456" not in json.dumps(sent)


def test_an_error_page_echoing_the_credentials_is_redacted(api: testing.Api, base_url: str, pm: Any,
                                                           tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("API_TOKEN", "tok-rahasia-123")
    api.token = "tok-rahasia-123"
    api.faults.append(Fault("echo", "pengaduan", page=1, status=400))
    peta = mapping_file(tmp_path, "page", ["pengaduan"], auth={"type": "bearer", "token_env": "API_TOKEN"},
                        headers={"X-Api-Key": "kunci-rahasia-456"}, **FAST)
    with pytest.raises(AdapterError, match="HTTP 400") as err:
        read(base_url, pm, options={"mapping": peta})
    assert "tok-rahasia-123" not in str(err.value) and "kunci-rahasia-456" not in str(err.value)


def test_secret_query_values_are_masked_in_provenance(base_url: str, pm: Any) -> None:
    dataset = read(base_url + "/plain?api_key=kunci-rahasia-456&tahun=2024", pm)
    sources = {r.provenance.source for recs in dataset.records.values() for r in recs}
    assert sources and all("kunci-rahasia-456" not in s and "api_key=***" in s and "tahun=2024" in s
                           for s in sources)


def test_keys_written_twice_in_the_plain_form_lose_no_record(api: testing.Api, base_url: str, pm: Any) -> None:
    api.plain_body = (b'{"layanan": [{"id": "L1"}, {"id": "L2"}], "layanan": [{"id": "L3", "nama": "A", "nama": "B"}]}')
    dataset = read(base_url + "/plain", pm)
    assert [r.id for r in dataset.records["layanan"]] == ["L1", "L2", "L3"]
    assert any(i.kind == "duplicate_key" for i in dataset.issues)
    (l3,) = [r for r in dataset.records["layanan"] if r.id == "L3"]
    assert [p.field for p in l3.problems] == ["nama"]
