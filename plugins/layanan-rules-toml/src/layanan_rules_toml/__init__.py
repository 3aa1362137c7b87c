"""layanan-rules adapter for provider data written by hand in TOML.

A small, complete example of a third-party adapter plugin: one class, one hook. Each entity is
an array of tables::

    [[unit]]
    id = "U1"
    nama = "Dinas Kependudukan dan Pencatatan Sipil"

    [[layanan]]
    id = "L1"
    unit_id = "U1"
    standar.dasar_hukum = ["UU 24/2013"]
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

from layanan_rules import hookimpl
from layanan_rules.data.adapters import AdapterError, BaseAdapter, Provenance, RawRecord

__version__ = "0.1.0"


class TomlAdapter(BaseAdapter):
    """Reads ``.toml`` files: one array of tables per entity."""

    name = "toml"
    description = "Data penyelenggara dalam TOML / provider data in TOML (.toml)"
    extensions = (".toml",)
    schemes = ()

    def read(self) -> Iterator[RawRecord]:
        path = Path(self.location)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise AdapterError(f"{path}: tidak dapat dibuka / cannot open: {exc.strerror}", source=str(path)) from None
        except tomllib.TOMLDecodeError as exc:
            raise AdapterError(f"{path}: TOML tidak valid / invalid TOML: {exc}", source=str(path)) from None
        for entity, items in data.items():
            if not isinstance(items, list):
                raise AdapterError(
                    f"{path}: '{entity}' harus ditulis [[{entity}]] / '{entity}' must be an array of tables [[{entity}]]",
                    source=str(path),
                )
            for index, record in enumerate(items, start=1):
                yield RawRecord(entity, record, Provenance(str(path), part=entity, row=index, key=str(record.get("id"))))


@hookimpl
def register_adapters() -> list[type[BaseAdapter]]:
    return [TomlAdapter]
