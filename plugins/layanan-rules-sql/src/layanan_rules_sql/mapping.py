"""The SQL mapping file: per entity, a table or a query and how its columns map to model fields.

::

    password_env: LAYANAN_DB_PASSWORD   # optional: the password, when the URL has none
    schema: public                      # optional: where tables are looked up
    timezone: Asia/Jakarta              # optional: zone that timestamps with a zone are shown in
    yield_per: 2000                     # optional: rows fetched per round trip
    entities:
      unit:
        table: opd                      # a table (or view) ...
        key: kode_opd                   # its primary key column (default: from the table, else `id`)
        columns:                        # column -> model field; unmapped columns are matched tolerantly
          kode_opd: id
          nama_opd: nama
          catatan: null                 # ignore this column on purpose
      pengaduan:
        query: |                        # ... or a read-only query
          SELECT nomor AS id, opd AS unit_id, tgl_terima AS diterima_pada FROM aduan WHERE tahun = 2024
        key: id
      layanan: {}                       # the table named like the entity ("layanan", "Daftar Layanan", ...)

Every entity and field is checked against the model; a mistake raises :class:`MappingError`
naming the file, the key and the closest valid name (via :mod:`layanan_rules.data.fieldmap`).
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

TOP_KEYS = {"password_env", "schema", "timezone", "yield_per", "connect_timeout", "entities"}
ENTITY_KEYS = {"table", "schema", "query", "key", "columns"}


@attrs.frozen
class EntitySpec:
    """Where one entity's records are: a table (default: named like the entity) or a query."""

    entity: str
    table: str | None = None
    schema: str | None = None
    query: str | None = None
    key: str | None = None
    columns: Mapping[str, str | None] = attrs.field(factory=dict)

    @property
    def explicit(self) -> EntityMapping:
        """The explicit column mapping, matched after normalising names (fieldmap rules)."""
        return EntityMapping(sheet=self.table, columns=dict(self.columns))


@attrs.frozen
class SqlMapping:
    entities: Mapping[str, EntitySpec] = attrs.field(factory=dict)
    password_env: str | None = None
    schema: str | None = None
    timezone: str = "Asia/Jakarta"
    yield_per: int = 2000
    connect_timeout: int = 10
    source: str | None = None


def load(path: str | Path) -> SqlMapping:
    """Read and check a YAML mapping file."""
    return parse(read_mapping(path), str(path))


def parse(raw: Any, where: str) -> SqlMapping:
    check_keys(where, raw, TOP_KEYS)
    entities_raw = raw.get("entities") or {}
    if not isinstance(entities_raw, dict):
        raise MappingError(f"{where}: 'entities' harus berupa peta entitas → pengaturan / must map entity → settings")
    entities: dict[str, EntitySpec] = {}
    for entity, spec in entities_raw.items():
        entities[str(entity)] = _entity(str(entity), spec or {}, where)
    try:
        yield_per = int(raw.get("yield_per", 2000))
        timeout = int(raw.get("connect_timeout", 10))
    except (TypeError, ValueError):
        raise MappingError(f"{where}: yield_per dan connect_timeout harus bilangan / must be whole numbers") from None
    if yield_per < 1:
        raise MappingError(f"{where}: yield_per harus ≥ 1 / must be at least 1")
    return SqlMapping(
        entities=entities,
        password_env=_opt_str(raw.get("password_env")),
        schema=_opt_str(raw.get("schema")),
        timezone=str(raw.get("timezone") or "Asia/Jakarta"),
        yield_per=yield_per,
        connect_timeout=timeout,
        source=where,
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _entity(entity: str, spec: Any, where: str) -> EntitySpec:
    entity = check_entity(where, entity)
    spec = check_keys(f"{where}: {entity}", spec, ENTITY_KEYS)
    if spec.get("table") is not None and spec.get("query") is not None:
        raise MappingError(f"{where}: {entity}: pilih 'table' atau 'query', bukan keduanya / give 'table' or 'query', not both")
    checked = check_columns(where, entity, spec.get("columns") or {}, whole_fields=True)
    return EntitySpec(
        entity=entity,
        table=_opt_str(spec.get("table")),
        schema=_opt_str(spec.get("schema")),
        query=_opt_str(spec.get("query")),
        key=_opt_str(spec.get("key")),
        columns=checked,
    )
