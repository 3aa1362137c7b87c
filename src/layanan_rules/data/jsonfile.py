"""The built-in JSON / JSON Lines adapter: the plain JSON form of the model, read from a file.

``.json``: one object keyed by entity (``{"layanan": [...], "unit": [...]}``).
``.jsonl``: one record per line, written ``{"<entity>": {...record...}}``; a line is read as the
``.json`` form, so a record may nest its children and a line may hold a list.

Parsing goes through :mod:`layanan_rules.inputs`: UTF-8 (a bad byte is named by line and column),
nesting within ``json_depth``, and keys written twice kept, so that they become data issues here
instead of silently losing all but the last value. A ``.json`` file is parsed a record at a time
(:func:`~layanan_rules.inputs.iter_json_members`): only the text and one record's parsed dict are
alive while the records are structured, never the whole document as parsed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from layanan_rules import inputs
from layanan_rules.data.adapters import AdapterError, BaseAdapter, Note, Provenance, RawRecord
from layanan_rules.data.dataset import DataError, iter_json_records
from layanan_rules.hookspecs import hookimpl
from layanan_rules.model.records import iter_json_stream


class JsonAdapter(BaseAdapter):
    name = "json"
    description = "Bentuk JSON model (.json, .jsonl) / the model's plain JSON form (.json, .jsonl)"
    extensions = (".json", ".jsonl", ".ndjson")
    schemes = ()

    def __init__(self, location: str, options: Any = None) -> None:
        super().__init__(location, options)
        self.notes: list[Note] = []

    def _note(self, kind: str, message: str, records: int, provenance: Provenance | None) -> None:
        self.notes.append(Note(message, provenance, kind=kind, records=records))

    def read(self) -> Iterator[RawRecord]:
        path = Path(self.location)
        try:
            if path.suffix.lower() in (".jsonl", ".ndjson"):
                yield from self._lines(path)
                return
            members = inputs.iter_json_members(self._bytes(path), str(path))
            if members is not None:  # an object: read a record at a time (the common case)
                yield from iter_json_stream(members, source=str(path), note=self._note)
                return
            data, duplicates = inputs.load_json(self._bytes(path), str(path))
            if not isinstance(data, dict):
                raise DataError(
                    f"{path}: JSON harus berupa objek berkunci nama entitas (layanan, unit, ...), bukan "
                    f"{type(data).__name__} / JSON must be an object keyed by entity name (layanan, unit, ...)"
                )
            yield from iter_json_records(data, source=str(path), duplicates=duplicates, note=self._note, consume=True)
        except (DataError, inputs.InputError) as exc:
            raise AdapterError(str(exc), source=str(path)) from None

    def _bytes(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise AdapterError(
                f"{path}: tidak dapat dibuka ({exc.strerror}); periksa nama berkas / cannot open ({exc.strerror}); "
                f"check the file name",
                source=str(path),
            ) from None

    def _text_lines(self, path: Path) -> Iterator[str]:
        """The file's lines, decoded one at a time (a JSON Lines file may be larger than memory);
        a byte that is not UTF-8 is named by line and column."""
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise AdapterError(
                f"{path}: tidak dapat dibuka ({exc.strerror}); periksa nama berkas / cannot open ({exc.strerror}); "
                f"check the file name",
                source=str(path),
            ) from None
        with handle:
            start = handle.read(4)
            handle.seek(0)
            if start.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):  # UTF-16/32: whole
                yield from inputs.decode_text(handle.read(), str(path)).splitlines()
                return
            for n, raw in enumerate(handle, start=1):
                if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError:
                    try:
                        inputs.decode_text(raw, str(path))
                    except inputs.InputError as exc:
                        raise inputs.InputError(exc.message, source=str(path), line=n, column=exc.column) from None

    def _lines(self, path: Path) -> Iterator[RawRecord]:
        for n, line in enumerate(self._text_lines(path), start=1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                obj, duplicates = inputs.load_json(line, where)
            except inputs.InputError as exc:
                raise inputs.InputError(exc.message, source=str(path), line=n, column=exc.column,
                                        limit=exc.limit) from None
            if not isinstance(obj, dict):
                raise DataError(
                    f'{where}: setiap baris harus {{"<entitas>": {{...}}}} / each line must be {{"<entity>": {{...}}}}'
                )
            for rec in iter_json_records(obj, source=str(path), duplicates=duplicates, note=self._note, line=True):
                p = rec.provenance
                # a line's record is at row n; its nested children keep their relation path
                row_prov = Provenance(p.source, p.part, n if p.part == rec.entity else p.row, key=p.key)
                yield RawRecord(rec.entity, rec.data, row_prov, rec.issues, rec.fields)


@hookimpl
def register_adapters() -> list[type[BaseAdapter]]:
    return [JsonAdapter]
