"""The HTTP mapping file: per entity, an endpoint, where its records sit and how it pages.

::

    auth:                              # optional
      type: bearer                     # bearer | basic
      token_env: LAYANAN_API_TOKEN     # bearer: the variable holding the token
      # basic: username: inspektur (or username_env: ...), password_env: LAYANAN_API_PASSWORD
    timeout: 30                        # seconds per request (connect and read)
    retries: {max_attempts: 5, backoff: 0.5, max_wait: 60}
    headers: {Accept: application/json}
    entities:
      layanan:
        path: /api/v1/layanan          # relative to the location (base URL)
        params: {tahun: 2024}          # extra query parameters
        records: data.items            # dotted path of the list of records in each page
        total: meta.total              # optional: dotted path of the total number of records
        pagination: {style: page, page_param: page, size_param: per_page, size: 100, first: 1}
        columns: {kode_layanan: id}    # optional: JSON key -> model field; others matched tolerantly

Pagination styles: ``page`` (page/per_page), ``offset`` (offset/limit), ``cursor`` (the next cursor
read from ``next`` in the body, sent back as ``cursor_param``), ``next`` (a next-page URL read
from ``next`` in the body), ``link`` (RFC 8288 ``Link: <...>; rel="next"`` header), ``none``.
Without ``pagination`` the adapter follows a ``Link`` header when the server sends one.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

# MappingError is what a bad mapping file raises: the core's, shared by every adapter
from layanan_rules.data.mapping import (
    EntityMapping,
    MappingError,
    check_columns,
    check_entity,
    check_keys,
    read_mapping,
)

TOP_KEYS = {"auth", "timeout", "retries", "headers", "entities"}
ENTITY_KEYS = {"path", "params", "records", "total", "pagination", "columns"}
STYLES = {"page", "offset", "cursor", "next", "link", "none", "auto"}
PAGINATION_KEYS = {"style", "page_param", "size_param", "size", "first", "offset_param", "limit_param",
                   "cursor_param", "next"}


@attrs.frozen
class Pagination:
    style: str = "auto"
    page_param: str = "page"
    size_param: str | None = None
    size: int | None = None
    first: int = 1
    offset_param: str = "offset"
    limit_param: str = "limit"
    cursor_param: str = "cursor"
    next: str | None = None  # dotted path of the next cursor / next URL in the body


@attrs.frozen
class Endpoint:
    entity: str
    path: str
    params: Mapping[str, Any] = attrs.field(factory=dict)
    records: str | None = None
    total: str | None = None
    pagination: Pagination = Pagination()
    columns: Mapping[str, str | None] = attrs.field(factory=dict)

    @property
    def explicit(self) -> EntityMapping:
        return EntityMapping(sheet=self.path, columns=dict(self.columns))


@attrs.frozen
class Auth:
    type: str  # bearer | basic
    token_env: str | None = None
    username: str | None = None
    username_env: str | None = None
    password_env: str | None = None


@attrs.frozen
class Retries:
    max_attempts: int = 5
    backoff: float = 0.5
    max_wait: float = 60.0


@attrs.frozen
class HttpMapping:
    entities: Mapping[str, Endpoint] = attrs.field(factory=dict)
    auth: Auth | None = None
    timeout: float = 30.0
    retries: Retries = Retries()
    headers: Mapping[str, str] = attrs.field(factory=dict)
    source: str | None = None


def load(path: str | Path) -> HttpMapping:
    return parse(read_mapping(path), str(path))


def _number(where: str, value: Any, cast: type, minimum: float) -> Any:
    try:
        n = cast(value)
    except (TypeError, ValueError):
        raise MappingError(f"{where}: harus berupa angka / must be a number (got {value!r})") from None
    if n < minimum:
        raise MappingError(f"{where}: minimal / at least {minimum}")
    return n


def parse(raw: Any, where: str) -> HttpMapping:
    check_keys(where, raw, TOP_KEYS)
    auth = None
    if raw.get("auth") is not None:
        a = raw["auth"]
        check_keys(f"{where}: auth", a, {"type", "token_env", "username", "username_env", "password_env"})
        kind = str(a.get("type") or ("bearer" if a.get("token_env") else "basic"))
        if kind not in ("bearer", "basic"):
            raise MappingError(f"{where}: auth.type harus bearer atau basic / must be bearer or basic")
        if kind == "bearer" and not a.get("token_env"):
            raise MappingError(f"{where}: auth bearer butuh token_env (nama variabel lingkungan) / needs token_env")
        if kind == "basic" and not (a.get("password_env") and (a.get("username") or a.get("username_env"))):
            raise MappingError(
                f"{where}: auth basic butuh username (atau username_env) dan password_env / "
                f"needs username (or username_env) and password_env"
            )
        auth = Auth(kind, *(None if a.get(k) is None else str(a[k])
                            for k in ("token_env", "username", "username_env", "password_env")))
    r = raw.get("retries") or {}
    check_keys(f"{where}: retries", r, {"max_attempts", "backoff", "max_wait"})
    retries = Retries(
        max_attempts=_number(f"{where}: retries.max_attempts", r.get("max_attempts", 5), int, 1),
        backoff=_number(f"{where}: retries.backoff", r.get("backoff", 0.5), float, 0),
        max_wait=_number(f"{where}: retries.max_wait", r.get("max_wait", 60), float, 0),
    )
    headers = raw.get("headers") or {}
    if not isinstance(headers, dict):
        raise MappingError(f"{where}: headers harus berupa peta / must be a mapping")
    ents = raw.get("entities") or {}
    if not isinstance(ents, dict):
        raise MappingError(f"{where}: 'entities' harus berupa peta entitas → pengaturan / must map entity → settings")
    entities = {str(e): _endpoint(str(e), spec or {}, where) for e, spec in ents.items()}
    return HttpMapping(
        entities=entities, auth=auth,
        timeout=_number(f"{where}: timeout", raw.get("timeout", 30), float, 0.001),
        retries=retries, headers={str(k): str(v) for k, v in headers.items()}, source=where,
    )


def _endpoint(entity: str, spec: Any, where: str) -> Endpoint:
    entity = check_entity(where, entity)
    check_keys(f"{where}: {entity}", spec, ENTITY_KEYS)
    p = spec.get("pagination") or {}
    if isinstance(p, str):
        p = {"style": p}
    check_keys(f"{where}: {entity}.pagination", p, PAGINATION_KEYS)
    style = str(p.get("style", "auto"))
    if style not in STYLES:
        raise MappingError(
            f"{where}: {entity}.pagination.style {style!r} tidak dikenal (pilihan / choices: "
            f"{', '.join(sorted(STYLES))}) / unknown pagination style"
        )
    if style in ("cursor", "next") and not p.get("next"):
        raise MappingError(
            f"{where}: {entity}.pagination: gaya {style} butuh 'next' (jalur di JSON, mis. meta.next_cursor) / "
            f"style {style} needs 'next' (its dotted path in the body, e.g. meta.next_cursor)"
        )
    size = p.get("size")
    if size is None and style in ("page", "offset"):
        size = 100
    pagination = Pagination(
        style=style,
        page_param=str(p.get("page_param", "page")),
        size_param=(None if p.get("size_param") is None and style not in ("page",) else str(p.get("size_param", "per_page"))),
        size=None if size is None else _number(f"{where}: {entity}.pagination.size", size, int, 1),
        first=_number(f"{where}: {entity}.pagination.first", p.get("first", 1), int, 0),
        offset_param=str(p.get("offset_param", "offset")),
        limit_param=str(p.get("limit_param", "limit")),
        cursor_param=str(p.get("cursor_param", "cursor")),
        next=None if p.get("next") is None else str(p["next"]),
    )
    cols = check_columns(where, entity, spec.get("columns") or {}, whole_fields=True, noun=("kunci", "key"))
    params = spec.get("params") or {}
    if not isinstance(params, dict):
        raise MappingError(f"{where}: {entity}.params harus berupa peta / must be a mapping")
    return Endpoint(
        entity=entity,
        path=str(spec.get("path") or entity),
        params=dict(params),
        records=None if spec.get("records") is None else str(spec["records"]),
        total=None if spec.get("total") is None else str(spec["total"]),
        pagination=pagination,
        columns=cols,
    )
