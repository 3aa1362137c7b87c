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

from layanan_rules import inputs, model
from layanan_rules.data import fieldmap

TOP_KEYS = {"password_env", "schema", "timezone", "yield_per", "connect_timeout", "entities"}
ENTITY_KEYS = {"table", "schema", "query", "key", "columns"}


class MappingError(ValueError):
    """The mapping file cannot be read or names something that does not exist."""


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
    def explicit(self) -> fieldmap.EntityMapping:
        """The explicit column mapping, matched after normalising names (fieldmap rules)."""
        return fieldmap.EntityMapping(sheet=self.table, columns=dict(self.columns))


@attrs.frozen
class SqlMapping:
    entities: Mapping[str, EntitySpec] = attrs.field(factory=dict)
    password_env: str | None = None
    schema: str | None = None
    timezone: str = "Asia/Jakarta"
    yield_per: int = 2000
    connect_timeout: int = 10
    source: str | None = None


def valid_paths(entity: str) -> set[str]:
    """Paths a column may map to: every leaf the fieldmap knows, plus whole top-level fields
    (``standar``, ``fungsi``) for JSON columns that hold the nested object."""
    cls = model.ENTITIES[entity]
    tops = {f.name for f in attrs.fields(cls) if not model.is_relation(f)}
    return {c.path for c in fieldmap.columns(entity)} | tops


def load(path: str | Path) -> SqlMapping:
    """Read and check a YAML mapping file."""
    p = Path(path)
    try:
        raw = inputs.load_yaml_file(p)
    except OSError as exc:
        raise MappingError(f"berkas pemetaan {p} tidak terbaca: {exc.strerror} / mapping file {p} cannot be read") from None
    except inputs.InputError as exc:
        raise MappingError(f"berkas pemetaan tidak terbaca / mapping file cannot be read: {exc}") from None
    return parse(raw or {}, str(p))


def parse(raw: Any, where: str) -> SqlMapping:
    if not isinstance(raw, dict):
        raise MappingError(f"{where}: berkas pemetaan harus berupa peta / a mapping file must be a YAML mapping")
    unknown = set(raw) - TOP_KEYS
    if unknown:
        name = min(map(str, unknown))
        hint = " — entitas ditulis di bawah 'entities:' / entities go under 'entities:'" if name in model.ENTITIES else ""
        raise MappingError(
            f"{where}: kunci tidak dikenal {name!r}{hint} (dikenal / known: {', '.join(sorted(TOP_KEYS))}) / "
            f"unknown key {name!r}"
        )
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
    if entity not in model.ENTITIES:
        near = fieldmap.suggest_entity(entity)
        hint = f" (maksud Anda / did you mean: {near})" if near else f" (pilihan / choices: {', '.join(model.ENTITIES)})"
        raise MappingError(f"{where}: entitas tidak dikenal {entity!r}{hint} / unknown entity {entity!r}")
    if not isinstance(spec, dict):
        raise MappingError(f"{where}: {entity}: pengaturan harus berupa peta / settings must be a mapping")
    extra = set(spec) - ENTITY_KEYS
    if extra:
        raise MappingError(
            f"{where}: {entity}: kunci tidak dikenal {min(map(str, extra))!r} "
            f"(dikenal / known: {', '.join(sorted(ENTITY_KEYS))}) / unknown key"
        )
    if spec.get("table") is not None and spec.get("query") is not None:
        raise MappingError(f"{where}: {entity}: pilih 'table' atau 'query', bukan keduanya / give 'table' or 'query', not both")
    cols = spec.get("columns") or {}
    if not isinstance(cols, dict):
        raise MappingError(f"{where}: {entity}.columns harus berupa peta kolom: field / must map column: field")
    valid = valid_paths(entity)
    checked: dict[str, str | None] = {}
    for column, target in cols.items():
        if target is not None and target not in valid:
            near = fieldmap.suggest(entity, target)
            hint = f" (maksud Anda / did you mean: {near})" if near else ""
            raise MappingError(
                f"{where}: {entity}: kolom {column!r} dipetakan ke field yang tidak ada {target!r}{hint} / "
                f"column {column!r} is mapped to a field that does not exist"
            )
        checked[str(column)] = target
    return EntitySpec(
        entity=entity,
        table=_opt_str(spec.get("table")),
        schema=_opt_str(spec.get("schema")),
        query=_opt_str(spec.get("query")),
        key=_opt_str(spec.get("key")),
        columns=checked,
    )
