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

from layanan_rules import hookimpl, inputs
from layanan_rules.data.adapters import AdapterError, BaseAdapter, Note, Provenance, RawRecord
from layanan_rules.data.dataset import DataError, iter_json_records

__version__ = "0.1.0"


class TomlAdapter(BaseAdapter):
    """Reads ``.toml`` files: one array of tables per entity.

    The parsed document is the model's plain JSON form, so it goes through the same
    :func:`~layanan_rules.data.dataset.iter_json_records` as a ``.json`` file: children nested
    under a relation (``[[unit.layanan]]``) are read, and a table that is no entity is reported
    with the records it holds. TOML itself refuses a key written twice.
    """

    name = "toml"
    description = "Data penyelenggara dalam TOML / provider data in TOML (.toml)"
    extensions = (".toml",)
    schemes = ()

    def read(self) -> Iterator[RawRecord]:
        path = Path(self.location)
        self.notes: list[Note] = []
        try:
            data = tomllib.loads(inputs.read_text(path))
        except OSError as exc:
            raise AdapterError(f"{path}: tidak dapat dibuka / cannot open: {exc.strerror}", source=str(path)) from None
        except inputs.InputError as exc:
            raise AdapterError(str(exc), source=str(path)) from None
        except tomllib.TOMLDecodeError as exc:
            raise AdapterError(f"{path}: TOML tidak valid / invalid TOML: {exc}", source=str(path)) from None

        def note(kind: str, message: str, records: int, provenance: Provenance | None) -> None:
            self.notes.append(Note(message, provenance, kind=kind, records=records))

        try:
            yield from iter_json_records(data, source=str(path), note=note)
        except DataError as exc:
            raise AdapterError(f"{exc} — tulis [[entitas]] / write [[entity]] arrays of tables", source=str(path)) from None


@hookimpl
def register_adapters() -> list[type[BaseAdapter]]:
    return [TomlAdapter]
