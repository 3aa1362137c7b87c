"""The ``http`` adapter: provider data from a JSON API, page by page, on httpx.

The location is the API's base URL. A mapping file names each entity's endpoint, where the
records sit in a page (``data.items``), and how the API pages (page/per_page, offset/limit, a
cursor, a next link in the body or an RFC 8288 ``Link`` header). Without a mapping the location
itself must answer with the plain JSON form (``{"layanan": [...], "unit": [...]}``).

Only one page is held at a time. Requests that meet 429 or 5xx, a timeout or a dropped
connection are retried with exponential backoff, honouring ``Retry-After``, within a bounded
number of attempts and a bounded total wait. A page URL or cursor seen twice, or a page that
repeats the previous one, is a pagination loop and stops the read. Every failure is an
:class:`AdapterError` naming the URL (never a credential), what happened and what to try.
"""

from __future__ import annotations

import difflib
import email.utils
import json
import os
import time
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import attrs

from layanan_rules import model
from layanan_rules.data import fieldmap
from layanan_rules.data.adapters import AdapterError, BaseAdapter, Provenance, RawRecord
from layanan_rules.data.dataset import DataError, iter_json_records
from layanan_rules.data.sources import SourcePart
from layanan_rules.plugins import lazy_import
from layanan_rules_http import mapping as httpmap

if TYPE_CHECKING:
    import httpx
else:
    httpx = lazy_import("httpx")  # loaded on the first request, not when the plugin loads

RETRY_STATUSES = {429, 500, 502, 503, 504}
#: Options the adapter understands (``--option KEY=VALUE``).
OPTIONS = ("mapping", "timeout")
AUTO_RECORD_KEYS = ("data", "items", "results", "records")


def safe_url(url: str | httpx.URL) -> str:
    """A URL without user info (a password in the URL is never shown)."""
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def dig(body: Any, path: str) -> tuple[bool, Any]:
    """(found, value) at a dotted path (``data.items``, ``links.next``, ``0.rows``)."""
    value = body
    for part in path.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.lstrip("-").isdigit() and -len(value) <= int(part) < len(value):
            value = value[int(part)]
        else:
            return False, None
    return True, value


class HttpAdapter(BaseAdapter):
    """Read entities from JSON endpoints of an HTTP API.

    Options: ``mapping`` (a YAML mapping file, see :mod:`layanan_rules_http.mapping`),
    ``timeout`` (seconds, overrides the mapping's).
    """

    name = "http"
    description = "API JSON lewat HTTP(S), berhalaman / paginated JSON API over HTTP(S)"
    extensions = ()
    schemes = ("http", "https")

    def __init__(self, location: str, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(str(location), options)
        self.notes: list[str] = []
        self.source = safe_url(self.location)
        self.mapping = self._load_mapping()
        self._client: httpx.Client | None = None

    def _load_mapping(self) -> httpmap.HttpMapping | None:
        for key in self.options:
            if key not in OPTIONS:
                near = difflib.get_close_matches(key, OPTIONS, n=1)
                hint = f"; maksud Anda / did you mean '{near[0]}'?" if near else ""
                raise AdapterError(
                    f"opsi '{key}' tidak dikenal adapter http{hint} (dikenal / known: {', '.join(OPTIONS)}) / "
                    f"unknown option '{key}'",
                    source=self.source,
                )
        given = self.options.get("mapping")
        try:
            m = given if isinstance(given, httpmap.HttpMapping) else (httpmap.load(given) if given else None)
        except httpmap.MappingError as exc:
            raise AdapterError(str(exc), source=str(given)) from None
        if self.options.get("timeout"):
            try:
                timeout = float(self.options["timeout"])
            except ValueError:
                raise AdapterError(
                    f"--option timeout={self.options['timeout']}: harus angka detik / must be seconds, e.g. 30",
                    source=self.source,
                ) from None
            m = attrs.evolve(m or httpmap.HttpMapping(), timeout=timeout)
        return m

    # --- the client ----------------------------------------------------------------------------

    def _env(self, name: str, what: str) -> str:
        value = os.environ.get(name)
        if value is None:
            raise AdapterError(
                f"{self.source}: variabel lingkungan {name} ({what}) tidak diisi; jalankan `export {name}=...` / "
                f"environment variable {name} ({what}) is not set; run `export {name}=...`",
                source=self.source,
            )
        return value

    def client(self) -> httpx.Client:
        if self._client is None:
            m = self.mapping or httpmap.HttpMapping()
            auth: Any = None
            headers = {"Accept": "application/json", **m.headers}
            if m.auth is not None and m.auth.type == "bearer":
                assert m.auth.token_env is not None
                headers["Authorization"] = f"Bearer {self._env(m.auth.token_env, 'token_env')}"
            elif m.auth is not None:
                user = m.auth.username if m.auth.username is not None else self._env(str(m.auth.username_env), "username_env")
                auth = httpx.BasicAuth(user, self._env(str(m.auth.password_env), "password_env"))
            base = self.location if self.location.endswith("/") else self.location + "/"
            self._client = httpx.Client(
                base_url=base, headers=headers, auth=auth, timeout=httpx.Timeout(m.timeout),
                follow_redirects=True,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # --- requests ------------------------------------------------------------------------------

    def _get(self, url: str, params: Mapping[str, Any] | None, what: str) -> tuple[httpx.Response, Any]:
        """GET with retries; returns (response, parsed JSON). Raises AdapterError with the reason."""
        m = self.mapping or httpmap.HttpMapping()
        r = m.retries
        waited = 0.0
        attempt = 0
        client = self.client()
        while True:
            attempt += 1
            retry_after: float | None = None
            try:
                resp = client.send(client.build_request("GET", url, params=params), stream=True)
                try:
                    # the body is read here and not kept on the response: httpx responses sit in
                    # reference cycles, so a body kept on one lives until the cyclic GC runs
                    content = b"".join(resp.iter_bytes())
                finally:
                    resp.close()
            except httpx.TimeoutException:
                shown = safe_url(client.build_request("GET", url, params=params).url)
                problem_id = f"batas waktu {m.timeout:g} dtk terlampaui"
                problem_en = f"timed out after {m.timeout:g}s"
                try_id, try_en = "naikkan 'timeout' di pemetaan atau coba lagi nanti", "raise 'timeout' in the mapping or retry later"
            except httpx.TransportError as exc:
                shown = safe_url(client.build_request("GET", url, params=params).url)
                problem_id = problem_en = f"{type(exc).__name__}: {exc}"
                try_id, try_en = "periksa URL dan bahwa server dapat dihubungi", "check the URL and that the server is reachable"
            else:
                shown = safe_url(resp.url)
                if resp.status_code not in RETRY_STATUSES:
                    return resp, self._json(resp, content, what, shown)
                problem_id = problem_en = f"HTTP {resp.status_code} {resp.reason_phrase}"
                retry_after = _retry_after(resp.headers.get("Retry-After"))
                try_id, try_en = "coba lagi nanti atau hubungi pengelola API", "retry later or contact the API's operator"
            if attempt >= r.max_attempts:
                raise AdapterError(
                    f"{shown}: {what}: {problem_id} setelah {attempt} percobaan; {try_id} / "
                    f"{problem_en} after {attempt} attempts; {try_en}",
                    source=self.source,
                )
            wait = r.backoff * (2 ** (attempt - 1))
            if retry_after is not None:
                wait = max(wait, retry_after)
            if waited + wait > r.max_wait:
                raise AdapterError(
                    f"{shown}: {what}: {problem_id}; menunggu {wait:g} dtk lagi melampaui retries.max_wait "
                    f"{r.max_wait:g} dtk (sudah {waited:g} dtk) / {problem_en}; waiting {wait:g}s more would exceed "
                    f"retries.max_wait {r.max_wait:g}s (waited {waited:g}s); raise max_wait or retry later",
                    source=self.source,
                )
            time.sleep(wait)
            waited += wait

    def _json(self, resp: httpx.Response, content: bytes, what: str, shown: str) -> Any:
        if resp.status_code in (401, 403):
            raise AdapterError(
                f"{shown}: {what}: HTTP {resp.status_code}: akses ditolak; periksa token/kata sandi di variabel "
                f"lingkungan yang disebut 'auth' pada pemetaan / access denied; check the token or password in the "
                f"environment variables named under 'auth' in the mapping",
                source=self.source,
            )
        if resp.status_code == 404:
            raise AdapterError(
                f"{shown}: {what}: HTTP 404: endpoint tidak ada; periksa URL dasar dan 'path' di pemetaan / "
                f"endpoint not found; check the base URL and 'path' in the mapping",
                source=self.source,
            )
        if resp.status_code >= 400:
            raise AdapterError(
                f"{shown}: {what}: HTTP {resp.status_code} {resp.reason_phrase}: {_snippet(_text(content))} / "
                f"the API refused the request; check 'params' in the mapping",
                source=self.source,
            )
        try:
            return json.loads(content)
        except ValueError as exc:
            kind = resp.headers.get("content-type", "?")
            raise AdapterError(
                f"{shown}: {what}: JSON tidak valid ({exc}); content-type {kind}; awal isi / starts with "
                f"{_snippet(_text(content), 80)!r} / invalid JSON; check that the URL is the API and not a web page",
                source=self.source,
            ) from None

    # --- reading -------------------------------------------------------------------------------

    def read(self) -> Iterator[RawRecord]:
        for part in self.parts():
            yield from part.read()

    def parts(self) -> list[SourcePart]:
        if self.mapping is None or not self.mapping.entities:
            return [SourcePart(entity=None, name=self.source, source=self.source, read=self._read_plain)]
        out = []
        for endpoint in self.mapping.entities.values():
            state: dict[str, Any] = {}
            out.append(SourcePart(
                entity=endpoint.entity, name=endpoint.path, source=self.source,
                read=lambda e=endpoint, s=state: self._read_endpoint(e, s),
                count=lambda s=state: s.get("total"),
            ))
        return out

    def _read_plain(self) -> Iterator[RawRecord]:
        _resp, body = self._get(self.location, None, "bentuk JSON model / plain JSON form")
        if not isinstance(body, dict) or not any(k in model.ENTITIES for k in body):
            raise AdapterError(
                f"{self.source}: jawaban bukan bentuk JSON model (objek berkunci layanan, unit, ...); beri "
                f"--option mapping=peta.yaml yang menyebut endpoint tiap entitas / the answer is not the plain JSON "
                f"form; give a mapping file naming each entity's endpoint",
                source=self.source,
            )
        try:
            yield from iter_json_records(body, source=self.source)
        except DataError as exc:
            raise AdapterError(str(exc), source=self.source) from None

    def _read_endpoint(self, ep: httpmap.Endpoint, state: dict[str, Any]) -> Iterator[RawRecord]:
        p = ep.pagination
        style = p.style
        url: str = ep.path.lstrip("/") if not ep.path.startswith(("http://", "https://")) else ep.path
        params: dict[str, Any] | None = dict(ep.params)  # None: the URL carries its own query
        page_no = p.first if style == "page" else 1
        offset = 0
        if style == "page":
            params[p.page_param] = page_no
            if p.size_param and p.size:
                params[p.size_param] = p.size
        elif style == "offset":
            params[p.offset_param] = 0
            params[p.limit_param] = p.size
        elif p.size_param and p.size:
            params[p.size_param] = p.size
        seen_urls: set[str] = set()
        seen_cursors: set[str] = set()
        previous: list[Any] | None = None
        read = 0
        keys: dict[str, tuple[str, ...] | None] = {}
        unmatched: dict[str, str | None] = {}
        page = 0
        while True:
            page += 1
            request_url = str(self.client().build_request("GET", url, params=params).url)
            if request_url in seen_urls:
                raise AdapterError(
                    f"{safe_url(request_url)}: {ep.entity}: lingkaran halaman — halaman {page} menunjuk ke URL yang "
                    f"sudah dibaca; periksa tautan 'next' API atau gaya pagination di pemetaan / pagination loop — "
                    f"page {page} points to a URL already read; check the API's next link or the mapping's pagination",
                    source=self.source, entity=ep.entity,
                )
            seen_urls.add(request_url)
            resp, body = self._get(url, params, f"{ep.entity} halaman / page {page}")
            shown = safe_url(resp.url)
            records = self._records(body, ep, shown, page)
            if page == 1 and ep.total:
                found, total = dig(body, ep.total)
                if found and isinstance(total, int) and not isinstance(total, bool):
                    state["total"] = total
            if records and style in ("page", "offset"):
                if records == previous:  # the same records again: the paging parameter is ignored
                    raise AdapterError(
                        f"{shown}: {ep.entity}: lingkaran halaman — halaman {page} sama dengan halaman sebelumnya; "
                        f"server mungkin mengabaikan parameter '{p.page_param if style == 'page' else p.offset_param}' "
                        f"/ pagination loop — page {page} repeats the previous page; the server may ignore the "
                        f"paging parameter: check pagination in the mapping",
                        source=self.source, entity=ep.entity,
                    )
                previous = records
            for index, item in enumerate(records):
                if not isinstance(item, Mapping):
                    raise AdapterError(
                        f"{shown}: {ep.entity}: record ke-{index + 1} di halaman {page} bukan objek JSON "
                        f"({type(item).__name__}) / record {index + 1} on page {page} is not a JSON object",
                        source=self.source, entity=ep.entity,
                    )
                data = self._convert(ep, item, keys, unmatched)
                rid = data.get("id")
                yield RawRecord(ep.entity, data, Provenance(
                    shown, part=ep.entity, page=page, row=index + 1, key=None if rid is None else str(rid)))
            read += len(records)
            # the next page, or stop
            if style in ("page", "offset"):
                if not records or (p.size and len(records) < p.size) or ("total" in state and read >= state["total"]):
                    break
                if style == "page":
                    page_no += 1
                    params[p.page_param] = page_no
                else:
                    offset += len(records)
                    params[p.offset_param] = offset
            elif style == "cursor":
                assert p.next is not None
                found, cursor = dig(body, p.next)
                if not found or cursor in (None, ""):
                    break
                if str(cursor) in seen_cursors:
                    raise AdapterError(
                        f"{shown}: {ep.entity}: lingkaran halaman — kursor {str(cursor)[:40]!r} di halaman {page} sudah "
                        f"dipakai / pagination loop — cursor on page {page} was already used; check the API",
                        source=self.source, entity=ep.entity,
                    )
                seen_cursors.add(str(cursor))
                params[p.cursor_param] = cursor
            elif style == "next":
                assert p.next is not None
                found, nxt = dig(body, p.next)
                if not found or not nxt:
                    break
                url, params = urljoin(str(resp.url), str(nxt)), None
            elif style in ("link", "auto"):
                nxt = resp.links.get("next", {}).get("url")
                if not nxt:
                    break
                url, params = urljoin(str(resp.url), nxt), None
            else:  # none
                break
        if state.get("total") is not None and read < state["total"]:
            raise AdapterError(
                f"{self.source}{ep.path}: {ep.entity}: API menyebut {state['total']} record ({ep.total}) tetapi "
                f"halaman berakhir setelah {read}; periksa pagination.size (jumlah per halaman yang sungguh "
                f"dikirim server) dan gaya pagination / the API reports {state['total']} records but the pages "
                f"ended after {read}; check pagination.size and style",
                source=self.source, entity=ep.entity,
            )
        if unmatched:
            listed = "; ".join(k + (f" (maksud Anda / did you mean {v}?)" if v else "") for k, v in unmatched.items())
            self.notes.append(
                f"{self.source}: {ep.entity} ({ep.path}): kunci tidak dikenal dan diabaikan: {listed}; petakan di "
                f"'columns:' atau beri null / unknown keys ignored: map them under 'columns:' or map them to null"
            )

    def _records(self, body: Any, ep: httpmap.Endpoint, shown: str, page: int) -> list[Any]:
        if ep.records:
            found, records = dig(body, ep.records)
            if not found:
                top = ", ".join(map(str, body)) if isinstance(body, dict) else type(body).__name__
                raise AdapterError(
                    f"{shown}: {ep.entity}: jalur record {ep.records!r} tidak ada di halaman {page} (kunci teratas / "
                    f"top keys: {top}); periksa 'records:' di pemetaan / records path not found; check 'records:'",
                    source=self.source, entity=ep.entity,
                )
        elif isinstance(body, list):
            records = body
        else:
            records = next((body[k] for k in AUTO_RECORD_KEYS if isinstance(body, dict) and isinstance(body.get(k), list)),
                           None)
            if records is None:
                top = ", ".join(map(str, body)) if isinstance(body, dict) else type(body).__name__
                raise AdapterError(
                    f"{shown}: {ep.entity}: tidak tahu di mana record berada (kunci teratas / top keys: {top}); tulis "
                    f"'records: data.items' di pemetaan / cannot tell where the records are; set 'records:'",
                    source=self.source, entity=ep.entity,
                )
        if records is None:  # {"data": null} on an empty page
            return []
        if not isinstance(records, list):
            raise AdapterError(
                f"{shown}: {ep.entity}: {ep.records or 'records'} di halaman {page} bukan daftar "
                f"({type(records).__name__}) / is not a list",
                source=self.source, entity=ep.entity,
            )
        return records

    def _convert(self, ep: httpmap.Endpoint, item: Mapping[str, Any], keys: dict[str, tuple[str, ...] | None],
                 unmatched: dict[str, str | None]) -> dict[str, Any]:
        """A JSON record as a raw record: keys mapped to model paths (explicit, exact or tolerant)."""
        data: dict[str, Any] = {}
        for key, value in item.items():
            if key not in keys:
                keys[key] = self._path_for(ep, key, unmatched)
            parts = keys[key]
            if parts is None or value is None:
                continue
            if len(parts) == 1:
                data[parts[0]] = value
            else:
                node = data
                for part in parts[:-1]:
                    node = node.setdefault(part, {})
                node[parts[-1]] = value
        return data

    def _path_for(self, ep: httpmap.Endpoint, key: str, unmatched: dict[str, str | None]) -> tuple[str, ...] | None:
        found, path = ep.explicit.path_for(key)
        if found:
            return None if path is None else tuple(path.split("."))
        cls = model.ENTITIES[ep.entity]
        if key in {f.name for f in attrs.fields(cls) if not model.is_relation(f)}:
            return (key,)
        path = fieldmap.match_header(ep.entity, key)
        if path is None:
            unmatched[key] = fieldmap.suggest(ep.entity, key)
            return None
        return tuple(path.split("."))


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _text(content: bytes) -> str:
    return content[:2000].decode("utf-8", errors="replace")


def _snippet(text: str, n: int = 200) -> str:
    return " ".join(text.split())[:n]
