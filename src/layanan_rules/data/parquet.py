"""The built-in Parquet adapter: the model's plain JSON form, one entity per Parquet file.

``pengaduan.parquet``: the records of the entity the file is named after (or ``--option
entity=pengaduan``), one row per record, one column per field (a nested field, such as
``standar``, a struct or list column; dates as dates or ISO text). A **directory** named
``*.parquet`` holds one ``<entity>.parquet`` per entity (what ``bench/synth.py --parquet``, Spark
and DuckDB's ``COPY ... (FORMAT parquet)`` write per table). Rows are read in batches, so a file
larger than memory streams, and each row goes through the same reading as a JSON record.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from layanan_rules import model
from layanan_rules.data.adapters import AdapterError, BaseAdapter, Note, Provenance, RawRecord
from layanan_rules.data.dataset import DataError, iter_json_records
from layanan_rules.hookspecs import hookimpl

#: rows converted to Python at a time
BATCH_ROWS = 65_536


class ParquetAdapter(BaseAdapter):
    name = "parquet"
    description = ("Parquet: satu entitas per berkas (nama berkas = entitas) atau folder *.parquet / "
                   "Parquet: one entity per file (file name = entity) or a *.parquet folder of them")
    extensions = (".parquet",)
    schemes = ()

    def __init__(self, location: str, options: Any = None) -> None:
        super().__init__(location, options)
        self.notes: list[Note] = []

    def _note(self, kind: str, message: str, records: int, provenance: Provenance | None) -> None:
        self.notes.append(Note(message, provenance, kind=kind, records=records))

    def files(self) -> list[tuple[str, Path]]:
        """(entity, file) pairs to read, in the model's entity order for a directory."""
        path = Path(self.location)
        if path.is_dir():
            found = {p.stem: p for p in path.iterdir() if p.suffix.lower() == ".parquet"}
            unknown = sorted(set(found) - set(model.ENTITIES))
            if unknown or not found:
                raise AdapterError(
                    f"{path}: folder Parquet berisi satu <entitas>.parquet per entitas; "
                    f"{'tidak dikenal: ' + ', '.join(unknown) if unknown else 'tidak ada berkas .parquet'}; entitas: "
                    f"{', '.join(model.ENTITIES)} / a Parquet folder holds one <entity>.parquet per entity",
                    source=str(path))
            return [(e, found[e]) for e in model.ENTITIES if e in found]
        entity = (self.options or {}).get("entity") or path.stem.split(".")[-1]
        if entity not in model.ENTITIES:
            raise AdapterError(
                f"{path}: entitas berkas Parquet tidak diketahui; namai berkas <entitas>.parquet atau beri "
                f"--option entity=NAMA ({', '.join(model.ENTITIES)}) / the file's entity is unknown: name the "
                f"file <entity>.parquet or give --option entity=NAME", source=str(path))
        return [(entity, path)]

    def read(self) -> Iterator[RawRecord]:
        for entity, path in self.files():
            yield from self._file(entity, path)

    def _file(self, entity: str, path: Path) -> Iterator[RawRecord]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
        except (OSError, pa.ArrowException) as exc:
            raise AdapterError(f"{path}: bukan berkas Parquet yang terbaca ({exc}) / not a readable Parquet file",
                               source=str(path)) from None
        offset = 0
        with pf:
            for batch in pf.iter_batches(batch_size=BATCH_ROWS):
                rows = batch.to_pylist()
                try:
                    for rec in iter_json_records({entity: rows}, source=str(path), note=self._note):
                        p = rec.provenance
                        if offset and p.part == entity and p.row is not None:
                            p = Provenance(p.source, p.part, p.row + offset, key=p.key)
                            rec = RawRecord(rec.entity, rec.data, p, rec.issues, rec.fields)
                        yield rec
                except DataError as exc:
                    raise AdapterError(str(exc), source=str(path)) from None
                offset += len(rows)


@hookimpl
def register_adapters() -> list[type[BaseAdapter]]:
    return [ParquetAdapter]
