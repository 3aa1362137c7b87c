"""The built-in JSON / JSON Lines adapter: the plain JSON form of the model, read from a file.

``.json``: one object keyed by entity (``{"layanan": [...], "unit": [...]}``).
``.jsonl``: one record per line, written ``{"<entity>": {...record...}}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from layanan_rules.data.adapters import AdapterError, BaseAdapter, Provenance, RawRecord
from layanan_rules.data.dataset import DataError, iter_json_records
from layanan_rules.hookspecs import hookimpl


class JsonAdapter(BaseAdapter):
    name = "json"
    description = "Bentuk JSON model (.json, .jsonl) / the model's plain JSON form (.json, .jsonl)"
    extensions = (".json", ".jsonl", ".ndjson")
    schemes = ()

    def read(self) -> Iterator[RawRecord]:
        path = Path(self.location)
        try:
            handle = path.open(encoding="utf-8")
        except OSError as exc:
            raise AdapterError(
                f"{path}: tidak dapat dibuka ({exc.strerror}); periksa nama berkas / cannot open ({exc.strerror}); check the file name",
                source=str(path),
            ) from None
        with handle:
            if path.suffix.lower() in (".jsonl", ".ndjson"):
                yield from self._lines(path, handle)
                return
            try:
                data = json.load(handle)
            except json.JSONDecodeError as exc:
                raise AdapterError(
                    f"{path}:{exc.lineno}:{exc.colno}: JSON tidak valid: {exc.msg} / invalid JSON: {exc.msg}",
                    source=str(path),
                ) from None
            try:
                yield from iter_json_records(data, source=str(path)) if isinstance(data, dict) else _bad_shape(path)
            except DataError as exc:
                raise AdapterError(str(exc), source=str(path)) from None

    def _lines(self, path: Path, handle: Iterable[str]) -> Iterator[RawRecord]:
        for n, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AdapterError(f"{path}:{n}:{exc.colno}: JSON tidak valid / invalid JSON: {exc.msg}", source=str(path)) from None
            if not isinstance(obj, dict) or len(obj) != 1 or not isinstance(next(iter(obj.values())), dict):
                raise AdapterError(
                    f'{path}:{n}: setiap baris harus {{"<entitas>": {{...}}}} / each line must be {{"<entity>": {{...}}}}',
                    source=str(path),
                )
            entity, record = next(iter(obj.items()))
            yield RawRecord(entity, record, Provenance(str(path), part=entity, row=n, key=str(record.get("id"))))


def _bad_shape(path: Path) -> Iterator[RawRecord]:
    raise DataError(
        f"{path}: JSON harus berupa objek berkunci nama entitas (layanan, unit, ...) / "
        f"JSON must be an object keyed by entity name (layanan, unit, ...)"
    )


@hookimpl
def register_adapters() -> list[type[BaseAdapter]]:
    return [JsonAdapter]
