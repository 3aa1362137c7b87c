"""The ``http`` adapter: provider data from a JSON API, page by page, on httpx.

The location is the API's base URL. A mapping file names each entity's endpoint, where the
records sit in a page (``data.items``), and how the API pages (page/per_page, offset/limit, a
cursor, a next link in the body or an RFC 8288 ``Link`` header). Without a mapping the location
itself must answer with the plain JSON form (``{"layanan": [...], "unit": [...]}``).

Only one page is held at a time. Each request (connecting, redirects, headers and the whole
body) must finish within ``timeout`` seconds, a deadline rather than a wait per read, and its
body may unpack to at most ``http_bytes`` (:mod:`layanan_rules.inputs`). Requests that meet 429
or 5xx, a timeout or a dropped connection are retried with exponential backoff, honouring
``Retry-After``, within a bounded number of attempts and a bounded total wait. Redirects are
followed here, not by httpx, so that on a redirect to another origin the credentials go no
further: ``Authorization``, cookies and every header the mapping sets are dropped. A page URL
or cursor seen twice, or a page that repeats the previous one, is a pagination loop and stops
the read. Every failure is an :class:`AdapterError` naming the URL (never a credential: user
info and secret-looking query values are masked, error bodies are redacted), what happened and
what to try.
"""

from __future__ import annotations

import difflib
import email.utils
import os
import re
import threading
import time
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import attrs

from layanan_rules import inputs, model
from layanan_rules.data import fieldmap
from layanan_rules.data.adapters import AdapterError, BaseAdapter, CellIssue, Note, Provenance, RawRecord
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
#: Redirects followed per request before it counts as a redirect loop.
MAX_REDIRECTS = 10
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
#: Request headers that are never secret; any other header a mapping sets may carry a key.
PLAIN_HEADERS = {"accept", "accept-language", "accept-encoding", "user-agent", "content-type", "cache-control"}
#: Query parameters whose values are masked wherever a URL is shown.
SECRET_NAME = re.compile(r"pass|pwd|secret|token|key|auth|sig|credential|session", re.IGNORECASE)
#: ``Authorization: Bearer abc``, ``"api_key": "abc"``, ``token=abc`` in text an API sends back.
SECRET_TEXT = re.compile(
    r"""((?:authorization|proxy-authorization|cookie|x-api-key|api[-_]?key|access[-_]?token|token|password|"""
    r"""passwd|secret)["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token)\s+)?[^\s"',;&]+""",
    re.IGNORECASE)


def safe_url(url: str | httpx.URL) -> str:
    """A URL as shown anywhere: no user info, and secret-looking query values masked."""
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    query = parts.query
    if query and SECRET_NAME.search(query):
        query = urlencode([(k, "***" if SECRET_NAME.search(k) else v)
                           for k, v in parse_qsl(query, keep_blank_values=True)], safe="*/:")
    return urlunsplit((parts.scheme, host, parts.path, query, parts.fragment))


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


class _Deadline(Exception):
    """A request did not finish within its deadline."""


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
        self.notes: list[Any] = []
        self.source = safe_url(self.location)
        #: every credential in play (token, password, header values): never shown, redacted from text
        self._secrets: list[str] = []
        password = urlsplit(self.location).password
        if password:
            self._secrets.append(password)
        self.mapping = self._load_mapping()
        self._client: httpx.Client | None = None
        self._sensitive: set[str] = set()  # lower-case names of the mapping's secret headers
        self._duplicates: list[Any] = []  # keys written twice in the last page read

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
            self._secrets += [v for k, v in m.headers.items() if k.lower() not in PLAIN_HEADERS and v]
            if m.auth is not None and m.auth.type == "bearer":
                assert m.auth.token_env is not None
                token = self._env(m.auth.token_env, "token_env")
                self._secrets.append(token)
                headers["Authorization"] = f"Bearer {token}"
            elif m.auth is not None:
                user = m.auth.username if m.auth.username is not None else self._env(str(m.auth.username_env), "username_env")
                password = self._env(str(m.auth.password_env), "password_env")
                self._secrets.append(password)
                auth = httpx.BasicAuth(user, password)
            self._sensitive = {k.lower() for k in m.headers if k.lower() not in PLAIN_HEADERS}
            base = self.location if self.location.endswith("/") else self.location + "/"
            self._client = httpx.Client(
                base_url=base, headers=headers, auth=auth, timeout=httpx.Timeout(m.timeout),
                follow_redirects=False,  # followed in _send, which drops credentials across origins
            )
        return self._client

    def redact(self, text: str) -> str:
        """Text from outside (an error body, a driver message) without any credential in it."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            if len(secret) >= 3:
                text = text.replace(secret, "***")
        return SECRET_TEXT.sub(lambda m: m.group(1) + "***", text)

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
                resp, content = self._send(client, client.build_request("GET", url, params=params), what)
            except (httpx.TimeoutException, _Deadline):
                shown = safe_url(client.build_request("GET", url, params=params).url)
                problem_id = f"permintaan tidak selesai dalam batas waktu {m.timeout:g} dtk"
                problem_en = f"the request did not finish within its {m.timeout:g}s deadline"
                try_id, try_en = ("naikkan 'timeout' di pemetaan (atau --option timeout=N) atau coba lagi nanti",
                                  "raise 'timeout' in the mapping (or --option timeout=N) or retry later")
            except httpx.TransportError as exc:
                shown = safe_url(client.build_request("GET", url, params=params).url)
                problem_id = problem_en = self.redact(f"{type(exc).__name__}: {exc}")
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

    def _send(self, client: httpx.Client, request: httpx.Request, what: str) -> tuple[httpx.Response, bytes]:
        """One request within its deadline, redirects followed: (final response, its whole body).

        A redirect to another origin (scheme, host or port) goes on without ``Authorization``,
        cookies, basic auth or any header the mapping set: a server must not hand the API's
        credentials to a third party by answering 302.
        """
        m = self.mapping or httpmap.HttpMapping()
        deadline = time.monotonic() + m.timeout
        origin = _origin(request.url)
        auth: Any = httpx.USE_CLIENT_DEFAULT
        seen: list[str] = []
        for _hop in range(MAX_REDIRECTS + 1):
            resp, content = self._exchange(client, request, deadline, auth)
            location = resp.headers.get("location")
            if resp.status_code not in REDIRECT_STATUSES or not location:
                return resp, content
            seen.append(safe_url(request.url))
            try:
                target = request.url.join(location)
            except httpx.InvalidURL:
                target = None
            if target is None or target.scheme not in ("http", "https"):
                raise AdapterError(
                    f"{safe_url(request.url)}: {what}: dialihkan ke alamat yang tidak dapat dibaca "
                    f"{self.redact(location)[:100]!r} / redirected to an address that cannot be read",
                    source=self.source)
            headers = dict(request.headers)
            if _origin(target) != origin:
                for name in list(headers):
                    low = name.lower()
                    if low in ("authorization", "proxy-authorization", "cookie", "host") or low in self._sensitive:
                        del headers[name]
                auth = None
            else:
                headers.pop("host", None)
                headers.pop("Host", None)
            request = httpx.Request("GET", target, headers=headers)
        raise AdapterError(
            f"{seen[0]}: {what}: lingkaran pengalihan — lebih dari {MAX_REDIRECTS} pengalihan ({' → '.join(seen[:4])} …); "
            f"periksa URL dasar / redirect loop — more than {MAX_REDIRECTS} redirects; check the base URL",
            source=self.source)

    def _exchange(self, client: httpx.Client, request: httpx.Request, deadline: float,
                  auth: Any) -> tuple[httpx.Response, bytes]:
        """Send ``request`` and read its body in a worker thread, waiting no longer than the
        deadline: httpx's timeouts apply per read, so a server sending a byte a second would
        otherwise hold the read for as long as it likes. The body is counted as it unpacks."""
        limit = inputs.current().http_bytes
        box: dict[str, Any] = {}
        cancelled = threading.Event()

        def work() -> None:
            try:
                resp = client.send(request, stream=True, auth=auth)
                try:
                    # the body is read here and not kept on the response: httpx responses sit in
                    # reference cycles, so a body kept on one lives until the cyclic GC runs
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        if cancelled.is_set():
                            return
                        size += len(chunk)
                        if size > limit:
                            box["too_big"] = size
                            return
                        chunks.append(chunk)
                    box["content"] = b"".join(chunks)
                finally:
                    resp.close()
                box["response"] = resp
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                box["error"] = exc

        worker = threading.Thread(target=work, name="layanan-rules-http", daemon=True)
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            cancelled.set()  # the worker stops at its next chunk, or when its read times out
            raise _Deadline
        if "error" in box:
            exc = box["error"]
            if isinstance(exc, httpx.DecodingError):
                raise AdapterError(
                    f"{safe_url(request.url)}: isi jawaban tidak dapat diurai sesuai Content-Encoding-nya "
                    f"({self.redact(str(exc))[:120]}) / the response body cannot be decoded as its Content-Encoding "
                    f"says (damaged gzip?)", source=self.source) from None
            if isinstance(exc, (httpx.TimeoutException, httpx.TransportError)):
                raise exc
            if isinstance(exc, httpx.HTTPError):
                raise AdapterError(f"{safe_url(request.url)}: {self.redact(f'{type(exc).__name__}: {exc}')}",
                                   source=self.source) from None
            raise exc
        if "too_big" in box:
            raise AdapterError(str(inputs.beyond(
                "http_bytes", "isi jawaban (setelah dekompresi)", "the response body (decompressed)",
                source=safe_url(request.url))), source=self.source)
        return box["response"], box["content"]

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
                f"{shown}: {what}: HTTP {resp.status_code} {resp.reason_phrase}: "
                f"{_snippet(self.redact(_text(content)))} / the API refused the request; check 'params' in the mapping",
                source=self.source,
            )
        try:
            value, duplicates = inputs.load_json(content, shown)
        except inputs.InputError as exc:
            if exc.limit is not None:
                raise AdapterError(f"{shown}: {what}: {exc.message}", source=self.source) from None
            kind = resp.headers.get("content-type", "?")
            raise AdapterError(
                f"{shown}: {what}: JSON tidak valid ({exc.message}, baris/line {exc.line} kolom/column {exc.column}); "
                f"content-type {kind}; awal isi / starts with {_snippet(self.redact(_text(content)), 80)!r} / invalid "
                f"JSON; check that the URL is the API and not a web page",
                source=self.source,
            ) from None
        self._duplicates = duplicates
        return value

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
        duplicates = self._duplicates
        if not isinstance(body, dict) or not any(k in model.ENTITIES for k in body):
            raise AdapterError(
                f"{self.source}: jawaban bukan bentuk JSON model (objek berkunci layanan, unit, ...); beri "
                f"--option mapping=peta.yaml yang menyebut endpoint tiap entitas / the answer is not the plain JSON "
                f"form; give a mapping file naming each entity's endpoint",
                source=self.source,
            )
        def note(kind: str, message: str, records: int, provenance: Provenance | None) -> None:
            self.notes.append(Note(message, provenance, kind=kind, records=records))

        try:
            yield from iter_json_records(body, source=self.source, duplicates=duplicates, note=note)
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
            in_records = {id(r): i for i, r in enumerate(records)}
            dup_issues: dict[int, list[CellIssue]] = {}
            for d in self._duplicates:  # a key written twice: in a record, that field is in doubt
                prov = Provenance(shown, part=ep.entity, page=page)
                index = in_records.get(id(d.obj))
                shown_values = ", ".join(repr(v)[:40] for v in d.values)
                if index is not None and any(v != d.values[0] for v in d.values[1:]):
                    parts = self._path_for(ep, d.key, unmatched)
                    dup_issues.setdefault(index, []).append(CellIssue(
                        ".".join(parts) if parts else d.key, shown_values,
                        f"kunci '{d.key}' ditulis {len(d.values)} kali dengan nilai berbeda ({shown_values}) / "
                        f"key '{d.key}' is written {len(d.values)} times with different values",
                        attrs.evolve(prov, row=index + 1)))
                else:
                    self.notes.append(Note(
                        f"kunci '{d.key}' ditulis {len(d.values)} kali di satu objek ({shown_values}); yang terakhir "
                        f"dipakai / key '{d.key}' is written {len(d.values)} times in one object; the last is used",
                        prov, kind="duplicate_key"))
            if page == 1 and ep.total:
                found, total = dig(body, ep.total)
                if found and isinstance(total, int) and not isinstance(total, bool):
                    state["total"] = total
            if records and style != "none":
                if records == previous:  # the same records again: the paging is not moving on
                    which = {"page": f"parameter '{p.page_param}'", "offset": f"parameter '{p.offset_param}'",
                             "cursor": f"kursor / cursor '{p.cursor_param}'"}.get(style, "tautan 'next' / next link")
                    raise AdapterError(
                        f"{shown}: {ep.entity}: lingkaran halaman — halaman {page} sama dengan halaman sebelumnya; "
                        f"server mungkin mengabaikan {which} / pagination loop — page {page} repeats the previous "
                        f"page; the server may ignore the paging: check pagination in the mapping",
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
                    shown, part=ep.entity, page=page, row=index + 1, key=None if rid is None else str(rid)),
                    tuple(dup_issues.get(index, ())))
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
