"""The ``spreadsheet`` adapter: one sheet (or CSV file) per entity, one row per record.

Reading streams: a workbook sheet is decoded by python-calamine (Rust) and handed to Python one
row at a time; a CSV file is read line by line. Only one sheet is open at any moment and no row
is kept after its record is yielded.

Cells keep their raw value (text stays text: the core converter parses it with
:mod:`layanan_rules.model.parsing` and names the cell through ``RawRecord.fields`` when it cannot).
Native cells are tidied: a whole float becomes an int, a number in an id or text column becomes
text, a date-time at midnight in a date column becomes a date.

Nothing is dropped without a word: unknown sheets, unmatched headers (with a did-you-mean, their
values kept under ``data["_unmatched"]``), blank rows, rows without an id and skipped template
example rows are all reported in :attr:`SpreadsheetAdapter.notes`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import functools
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from layanan_rules import inputs, skm
from layanan_rules.data import fieldmap
from layanan_rules.data.adapters import AdapterError, BaseAdapter, CellIssue, Note, Provenance, RawRecord
from layanan_rules.data.fieldmap import Kind
from layanan_rules.data.mapping import EntityMapping, ListSource, MappingError, UserMapping, load_mapping

#: Sheets that hold instructions, not data; noted once and skipped.
INSTRUCTION_SHEETS = {"petunjuk", "petunjuk pengisian", "instructions", "readme", "keterangan", "panduan",
                      "cara pengisian", "info", "catatan"}

#: The id prefix of the example row in a template; such rows are skipped with a note.
EXAMPLE_PREFIX = "CONTOH-"

#: Key of the dict of unmatched header -> value in a record's data.
UNMATCHED = "_unmatched"

#: How many leading rows are searched for the header row.
HEADER_SEARCH_ROWS = 10

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def column_letter(index: int) -> str:
    """0-based column index -> spreadsheet letters (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _tidy(value: Any, kind: Kind | None, path: str | None) -> Any:
    """A cell's value as the record carries it (None for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return text or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    is_id = path is not None and (path == "id" or path.endswith("_id"))
    if isinstance(value, (int, float)):
        if is_id or kind in (Kind.text, Kind.list, Kind.peraturan_list, Kind.enum):
            return str(value)
        return value
    if isinstance(value, dt.datetime):
        if kind is Kind.date and value.time() == dt.time(0):
            return value.date()
        if kind in (Kind.text, Kind.list) or is_id:
            return value.isoformat(sep=" ")
        return value
    if isinstance(value, dt.date):
        if kind in (Kind.text, Kind.list) or is_id:
            return value.isoformat()
        return value
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    return str(value)


class CellProvenances(Mapping[str, Provenance]):
    """``RawRecord.fields`` of one row: model path -> the cell's provenance, made on access.

    A row has a dozen cells and a workbook a million; building every Provenance up front would
    cost more than reading the cell, and most are never asked for (only a value that fails to
    parse needs its cell named).
    """

    __slots__ = ("_letters", "_part", "_row", "_source")

    def __init__(self, source: str, part: str, row: int, letters: dict[str, str]) -> None:
        self._source, self._part, self._row, self._letters = source, part, row, letters

    def __getitem__(self, path: str) -> Provenance:
        return Provenance(self._source, self._part, self._row, self._letters[path])

    def __contains__(self, path: object) -> bool:
        return path in self._letters

    def __iter__(self) -> Iterator[str]:
        return iter(self._letters)

    def __len__(self) -> int:
        return len(self._letters)

    def __repr__(self) -> str:
        return f"CellProvenances({self._source}:{self._part}:row {self._row}, {self._letters!r})"


@attrs.frozen
class _Step:
    """One sheet or CSV file to read, and the entity it holds."""

    kind: str  # "sheet" | "csv"
    entity: str
    name: str  # sheet name or file name: Provenance.part
    source: str  # the workbook, or the CSV file


@attrs.define
class _Layout:
    """How the columns of one sheet map to the model, decided from its header row."""

    paths: list[str | None]  # per column: model path, or None
    kinds: list[Kind | None]
    unmatched: list[str | None]  # per column: header kept under _unmatched, or None
    #: unrecognised columns that look like a Pasal 21 component: column -> (path, header, label, letter)
    suspects: dict[int, tuple[str, str, str, str]] = attrs.field(factory=dict)


def _rank(order: Any) -> tuple[int, Any]:
    """A sort key for an ``order`` cell: numbers (written as text in a CSV too) by value, before
    other text, before none."""
    if isinstance(order, str):
        try:
            order = float(order.replace(",", "."))
        except ValueError:
            return (1, order)
    if isinstance(order, (int, float)) and not isinstance(order, bool):
        return (0, order)
    return (2, "") if order is None else (1, str(order))


class _ListRows:
    """The rows of a sheet that fills a list field (``standar.prosedur``): items by parent id, and
    every row accounted for (claimed by a record, or told of as not read)."""

    def __init__(self, path: str, source: ListSource, where: Provenance) -> None:
        self.path, self.source, self.where = path, source, where
        self.items: dict[str, list[tuple[tuple[int, Any], int, str]]] = {}
        self.count = self.blank = 0
        self.lost: list[int] = []  # rows without a key or an item
        self.kept_own: dict[str, int] = {}  # parent id -> rows not used: the parent's own cell has the list

    @classmethod
    def read(cls, path: str, source: ListSource, location: str, part: str,
             rows: Iterable[tuple[int, int, list[Any]]]) -> _ListRows:
        self = cls(path, source, Provenance(location, part=part))
        columns: tuple[int, int, int | None] | None = None
        for row, _col0, cells in rows:
            if all(_blank(v) for v in cells):
                self.blank += 1
                continue
            if columns is None:  # the first row that is not blank: the header
                columns = cls._columns(path, source, location, part, cells)
                continue
            key_at, value_at, order_at = columns
            key = _tidy(cells[key_at] if key_at < len(cells) else None, Kind.text, "id")
            value = _tidy(cells[value_at] if value_at < len(cells) else None, Kind.text, path)
            if key is None or value is None:
                self.lost.append(row)
                continue
            order = _tidy(cells[order_at], None, None) if order_at is not None and order_at < len(cells) else None
            self.items.setdefault(str(key), []).append((_rank(order), row, str(value)))
            self.count += 1
        return self

    @staticmethod
    def _columns(path: str, source: ListSource, location: str, part: str,
                 header: list[Any]) -> tuple[int, int, int | None]:
        """Where the key, the item and the order are in the header row; an error naming the sheet
        and what it has when one is not there."""
        names = {fieldmap.normalize(str(v)): j for j, v in enumerate(header) if not _blank(v)}
        found: list[int | None] = []
        for what, name in (("key", source.key), ("value", source.value), ("order", source.order)):
            j = None if name is None else names.get(fieldmap.normalize(name))
            if name is not None and j is None:
                raise AdapterError(
                    f"{part}: kolom {name!r} ({what} untuk {path}) tidak ada di baris judul (ada / present: "
                    f"{', '.join(str(v) for v in header if not _blank(v))}) / column {name!r} not in the header",
                    source=location,
                )
            found.append(j)
        key_at, value_at, order_at = found
        assert key_at is not None and value_at is not None  # both named: checked when the mapping was read
        return key_at, value_at, order_at

    def claim(self, parent_id: Any) -> list[str] | None:
        """The items of one record, in order, taken out (None when it has none)."""
        found = self.items.pop(str(parent_id), None) if parent_id is not None else None
        return None if found is None else [value for _rank, _row, value in sorted(found)]

    def refused(self, parent_id: Any, rows: int) -> None:
        self.kept_own[str(parent_id)] = rows

    def unclaimed(self, entity: str, note: Any) -> None:
        """Tell of the rows no record took: their key names no record, or the record's own cell held
        the list, or they lack a key or an item."""
        sheet = self.where.part
        orphans = sum(len(v) for v in self.items.values())
        if orphans:
            keys = ", ".join(sorted(self.items)[:10]) + (" ..." if len(self.items) > 10 else "")
            note(f"{orphans} baris {sheet} untuk {self.path} menunjuk {entity} yang tidak ada (kunci / key "
                 f"{self.source.key}: {keys}) dan tidak dibaca / rows point at no {entity} and are not read",
                 self.where, "orphan", records=orphans)
        kept = sum(self.kept_own.values())
        if kept:
            note(f"{kept} baris {sheet} tidak dipakai: {entity} {', '.join(sorted(self.kept_own)[:10])} sudah mengisi "
                 f"{self.path} di selnya sendiri / rows not used: the record's own cell fills {self.path}",
                 self.where, records=kept)
        if self.lost:
            note(f"{len(self.lost)} baris {sheet} tanpa {self.source.key} atau {self.source.value} dilewati, baris "
                 f"{_rows_text(self.lost)} / rows without a key or an item skipped", self.where, records=len(self.lost))
        if self.blank:
            note(f"{self.blank} baris kosong dilewati / blank row(s) skipped", self.where, "skipped_blank_rows",
                 self.blank)


class SpreadsheetAdapter(BaseAdapter):
    """Read a workbook (xlsx, xlsm, xls, ods) or CSV file(s): one sheet per entity.

    Options: ``mapping`` (path of a YAML mapping file, see :func:`layanan_rules.data.mapping.load_mapping`),
    ``sheet`` (entity -> sheet name, as a mapping or ``"layanan=Daftar Izin,pengaduan=Aduan"``),
    ``entity`` (the entity of a single CSV file whose name does not say it).
    """

    name = "spreadsheet"
    description = (
        "Buku kerja Excel/LibreOffice (.xlsx .xlsm .xls .ods) atau CSV, satu sheet per entitas / "
        "Excel/LibreOffice workbook or CSV file(s), one sheet per entity"
    )
    extensions = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")
    schemes = ()

    def __init__(self, location: str, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(str(location), options)
        self.notes: list[Note] = []
        #: part (sheet or file) -> {"entity", "rows", "blank", "skipped"}
        self.stats: dict[str, dict[str, Any]] = {}
        self._explained: set[str] = set()
        self._planned: list[_Step] | None = None
        self._mapping = self._load_mapping()
        self._sheet_overrides = self._parse_sheet_option(self.options.get("sheet"))

    # --- options ---------------------------------------------------------------------------

    def _load_mapping(self) -> UserMapping | None:
        mapping = self.options.get("mapping")
        if mapping is None or isinstance(mapping, UserMapping):
            return mapping
        try:
            return load_mapping(mapping)
        except MappingError as exc:
            raise AdapterError(str(exc), source=str(mapping)) from exc

    def _parse_sheet_option(self, value: Any) -> dict[str, str]:
        if value is None:
            return {}
        if isinstance(value, str):
            pairs = [p.split("=", 1) for p in value.split(",") if p.strip()]
            if any(len(p) != 2 for p in pairs):
                raise AdapterError(
                    f"opsi sheet harus berbentuk entitas=nama sheet, mis. layanan=Daftar Izin: {value!r} / "
                    "the sheet option is entity=sheet name, comma separated",
                    source=self.location,
                )
            value = {k.strip(): v.strip() for k, v in pairs}
        out: dict[str, str] = {}
        for entity, sheet in dict(value).items():
            if entity not in fieldmap.ENTITY_LABELS:
                near = fieldmap.suggest_entity(entity)
                raise AdapterError(
                    f"opsi sheet: entitas tidak dikenal {entity!r}"
                    + (f" (maksud Anda {near}?)" if near else "")
                    + f" / sheet option: unknown entity {entity!r}",
                    source=self.location,
                )
            out[entity] = str(sheet)
        return out

    def _entity_for(self, part: str) -> str | None:
        stem = part.rsplit(".", 1)[0] if part.lower().endswith((".csv", ".tsv", ".txt")) else part
        # A CSV file is named by the option or the mapping with or without its extension
        # ("jenis_izin" or "jenis_izin.csv"), as a sheet is named by its tab.
        names = (part, stem) if stem != part else (part,)
        keys = {fieldmap.normalize(n) for n in names}
        for entity, sheet in self._sheet_overrides.items():
            if fieldmap.normalize(sheet) in keys:
                return entity
        if self._mapping is not None:
            for name in names:
                entity = self._mapping.entity_for_sheet(name)
                if entity is not None:
                    return entity
            if any(self._mapping.list_for_sheet(name) for name in names):
                self._explained.add(part)  # read with the entity whose list field it fills
                return None
        entity = fieldmap.match_entity(stem)
        if entity is not None and entity in self._sheet_overrides:
            self._note(
                f"{part!r} dilewati karena opsi sheet memilih {self._sheet_overrides[entity]!r} untuk {entity} / "
                f"skipped: the sheet option picks another sheet for {entity}",
                Provenance(self.location, part=part),
            )
            self._explained.add(part)
            return None
        if entity is not None and self._mapping is not None:
            em = self._mapping.for_entity(entity)
            if em is not None and em.sheet is not None:
                self._note(
                    f"{part!r} dilewati karena berkas pemetaan memilih {em.sheet!r} untuk {entity} / skipped: "
                    f"the mapping file picks another sheet for {entity}",
                    Provenance(self.location, part=part),
                )
                self._explained.add(part)
                return None
        return entity

    def _check_requested_parts(self, names: list[str]) -> None:
        """Note each sheet (or CSV file) that the sheet option or the mapping file names but the
        source does not have, with a did-you-mean: otherwise the entity is silently not read."""
        requested = [(entity, sheet, "opsi sheet / sheet option") for entity, sheet in self._sheet_overrides.items()]
        if self._mapping is not None:
            requested += [(entity, em.sheet, f"berkas pemetaan / mapping file {self._mapping.source}")
                          for entity, em in self._mapping.entities.items() if em.sheet is not None]
            requested += [(f"{entity}.{path}", source.sheet, f"berkas pemetaan / mapping file {self._mapping.source}")
                          for entity, em in self._mapping.entities.items() for path, source in em.lists.items()]
        keys: dict[str, str] = {}
        for name in names:
            keys.setdefault(fieldmap.normalize(name), name)
            if name.lower().endswith((".csv", ".tsv", ".txt")):
                keys.setdefault(fieldmap.normalize(name.rsplit(".", 1)[0]), name)
        for entity, sheet, where in requested:
            key = fieldmap.normalize(sheet)
            if key in keys:
                continue
            near = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
            hint = f" (maksud Anda / did you mean {keys[near[0]]!r}?)" if near else ""
            self._note(
                f"{where}: sheet/berkas {sheet!r} untuk {entity} tidak ada{hint}; {entity} tidak dibaca / "
                f"sheet or file {sheet!r} for {entity} not found, {entity} is not read "
                f"(ada / present: {', '.join(names)})",
                Provenance(self.location),
            )

    def _note(self, message: str, provenance: Provenance | None = None, kind: str = "adapter_note",
              count: int = 1, records: int = 0) -> None:
        self.notes.append(Note(message, provenance, kind=kind, count=count, records=records))

    # --- reading ---------------------------------------------------------------------------

    def read(self) -> Iterator[RawRecord]:
        """Every record of every sheet (or CSV file) that names an entity, in workbook order."""
        plan = self._plan()
        if plan and plan[0].kind == "sheet":
            workbook = self._open_workbook()
            try:
                for step in plan:
                    yield from self._read_sheet(workbook, step)
            finally:
                workbook.close()
        else:
            for step in plan:
                yield from self._read_table(step.entity, step.name, self._csv_rows(Path(step.source)),
                                            source=step.source)
        yield from self._mapping_records()

    def parts(self) -> list[Any]:
        """One :class:`layanan_rules.data.sources.SourcePart` per sheet or CSV file, so that
        ``--keep-going`` can skip a damaged sheet and read the others."""
        from layanan_rules.data.sources import SourcePart

        out = []
        for step in self._plan():
            if step.kind == "sheet":
                read = functools.partial(self._read_one_sheet, step)
            else:
                read = functools.partial(self._read_csv_part, step)
            out.append(SourcePart(entity=step.entity, name=step.name, source=step.source, read=read))
        if self._mapping is not None and any(em.records for em in self._mapping.entities.values()):
            out.append(SourcePart(entity=None, name="records", source=str(self._mapping.source),
                                  read=self._mapping_records))
        return out

    def _mapping_records(self) -> Iterator[RawRecord]:
        """The records the mapping file writes out (``records:``), placed in it by entity and id."""
        if self._mapping is None:
            return
        source = str(self._mapping.source)
        for entity, em in self._mapping.entities.items():
            for rec in em.records:
                data = {k: (_tidy(v, fieldmap.column(entity, k).kind, k) if isinstance(v, (str, int, float))
                            and _is_column(entity, k) else v) for k, v in rec.items()}
                yield RawRecord(entity=entity, data=data,
                                provenance=Provenance(source, part=f"{entity}.records", key=str(data["id"])))

    def _read_one_sheet(self, step: _Step) -> Iterator[RawRecord]:
        workbook = self._open_workbook()
        try:
            yield from self._read_sheet(workbook, step)
        finally:
            workbook.close()

    def _read_csv_part(self, step: _Step) -> Iterator[RawRecord]:
        yield from self._read_table(step.entity, step.name, self._csv_rows(Path(step.source)), source=step.source)

    def _plan(self) -> list[_Step]:
        """Which sheets (or files) hold which entity; notes for everything left out. Once."""
        if self._planned is not None:
            return self._planned
        path = Path(self.location)
        if not path.exists():
            raise AdapterError(f"berkas tidak ditemukan: {path} / file not found", source=self.location)
        plan: list[_Step] = []
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".tsv"))
            if not files:
                raise AdapterError(
                    f"{path}: tidak ada berkas .csv di folder ini / no .csv files in this folder",
                    source=self.location,
                )
            for file in files:
                entity = self._entity_for(file.name)
                if entity is None:
                    self._unknown_part(file.name, "berkas/file", rows=self._count_rows(file))
                    continue
                plan.append(_Step("csv", entity, file.name, str(file)))
            self._check_requested_parts([file.name for file in files])
        elif path.suffix.lower() in (".csv", ".tsv", ".txt"):
            entity = self.options.get("entity") or self._entity_for(path.name) or self._entity_by_content(path)
            if entity is None:
                near = fieldmap.suggest_entity(path.stem)
                raise AdapterError(
                    f"{path.name}: nama berkas tidak menyebut entitas"
                    + (f" (maksud Anda {near}.csv?)" if near else "")
                    + "; beri nama mis. layanan.csv atau pakai opsi entity=layanan / the file name does not "
                    "name an entity; call it e.g. layanan.csv or pass the option entity=layanan",
                    source=self.location,
                )
            if entity not in fieldmap.ENTITY_LABELS:
                raise AdapterError(f"entitas tidak dikenal: {entity!r} / unknown entity", source=self.location)
            plan.append(_Step("csv", entity, path.name, self.location))
        elif path.suffix.lower() in WORKBOOK_SUFFIXES:
            workbook = self._open_workbook()
            try:
                plan = self._plan_workbook(workbook)
            finally:
                workbook.close()
        else:
            raise AdapterError(
                f"{path.name}: jenis berkas tidak didukung (pakai {', '.join(self.extensions)}) / "
                "unsupported file type",
                source=self.location,
            )
        self._planned = plan
        return plan

    def _entity_by_content(self, path: Path) -> str | None:
        """The entity of a lone CSV whose name says none: the mapping file's only entity (when it
        names no other file for it), or the one its header row reads as, by a wide margin over any
        other (three columns at least, twice the runner-up's), said in a note. Else None."""
        if self._mapping is not None and len(self._mapping.entities) == 1:
            ((entity, em),) = self._mapping.entities.items()
            return entity if em.sheet is None else None
        head: list[list[Any]] = []
        for _row, _col0, cells in self._csv_rows(path):
            if not all(_blank(v) for v in cells):
                head.append(cells)
                if len(head) >= HEADER_SEARCH_ROWS:
                    break
        scores = sorted(((max((self._header_score(e, cells) for cells in head), default=0), e)
                         for e in fieldmap.ENTITY_LABELS), reverse=True)
        (best, entity), (second, runner_up) = scores[0], scores[1]
        if best < 3 or best < 2 * second:
            return None
        self._note(
            f"dibaca sebagai {entity}: {best} judul kolom cocok dengan {entity} ({runner_up}: "
            f"{second}); bila salah, beri --option entity=... / read as {entity}: {best} column headers match it "
            f"({runner_up}: {second}); if wrong, pass --option entity=...",
            Provenance(self.location, part=path.name),
            "entity_guessed",
        )
        return entity

    def _open_workbook(self) -> Any:
        from python_calamine import CalamineError, CalamineWorkbook

        path = Path(self.location)
        try:
            inputs.check_workbook(path)
        except inputs.InputError as exc:
            raise AdapterError(str(exc), source=self.location) from None
        except (zipfile.BadZipFile, OSError):
            pass  # the reader below says what is wrong with the file
        try:
            return CalamineWorkbook.from_path(str(path))
        except (CalamineError, OSError, ValueError) as exc:
            raise AdapterError(
                f"{path.name}: buku kerja tidak terbaca ({exc}); apakah berkas rusak, terkunci sandi, atau "
                f"bukan {path.suffix}? / workbook cannot be read; is it damaged, password protected, or not "
                f"really {path.suffix}?",
                source=self.location,
            ) from exc

    def _plan_workbook(self, workbook: Any) -> list[_Step]:
        from python_calamine import SheetTypeEnum, SheetVisibleEnum

        plan: list[_Step] = []
        self._check_requested_parts(list(workbook.sheet_names))
        for meta in workbook.sheets_metadata:
            sheet_name = meta.name
            if meta.typ != SheetTypeEnum.WorkSheet:
                self._note(f"sheet {sheet_name!r} bukan lembar data ({meta.typ.name}) dan dilewati / "
                           "not a worksheet, skipped", Provenance(self.location, part=sheet_name), "skipped_non_data_sheet")
                continue
            entity = self._entity_for(sheet_name)
            if entity is None:
                self._unknown_part(sheet_name, "sheet", rows=self._count_sheet_rows(workbook, sheet_name))
                continue
            if meta.visible != SheetVisibleEnum.Visible:
                self._note(f"sheet {sheet_name!r} tersembunyi tetapi tetap dibaca sebagai {entity} / hidden "
                           "sheet, read all the same", Provenance(self.location, part=sheet_name), "hidden_sheet_read")
            plan.append(_Step("sheet", entity, sheet_name, self.location))
        return plan

    def _read_sheet(self, workbook: Any, step: _Step) -> Iterator[RawRecord]:
        from python_calamine import CalamineError

        try:
            sheet = workbook.get_sheet_by_name(step.name)
        except CalamineError as exc:
            raise AdapterError(
                f"{Path(self.location).name}: sheet {step.name!r} tidak terbaca ({exc}) / sheet cannot be read",
                source=self.location,
                entity=step.entity,
            ) from exc
        start = sheet.start
        col0 = start[1] if start else 0
        # python-calamine 0.9 yields rows from the first row of the sheet, columns from the
        # first used column: so the row number is the index + 1, the column is offset.
        rows: Iterable[tuple[int, int, list[Any]]] = ((i + 1, col0, row) for i, row in enumerate(sheet.iter_rows()))
        merged = getattr(sheet, "merged_cell_ranges", None)
        if merged:
            rows = self._fill_merged(rows, merged, Provenance(self.location, part=step.name))
        yield from self._read_table(step.entity, step.name, rows, workbook=workbook)

    def _fill_merged(self, rows: Iterable[tuple[int, int, list[Any]]], ranges: list[Any],
                     prov: Provenance) -> Iterator[tuple[int, int, list[Any]]]:
        """Cells merged over several rows (an id or a unit written once beside the rows it covers)
        hold their value in the top cell only: copy it down into the empty cells of the range's
        first column, so every row carries it, and say so. Merges across columns only are left
        as they are: their value belongs to the first column."""
        below: dict[int, list[tuple[int, int]]] = {}  # row (0-based) -> [(column, top row)]
        for (r0, c0), (r1, _c1) in ranges:
            for r in range(r0 + 1, r1 + 1):
                below.setdefault(r, []).append((c0, r0))
        tops = {(r0, c0) for (r0, c0), (r1, _c1) in ranges if r1 > r0}
        values: dict[tuple[int, int], Any] = {}
        filled: list[str] = []
        for number, col0, cells in rows:
            r = number - 1
            for c, top in below.get(r, ()):
                j = c - col0
                value = values.get((top, c))
                if value is not None and 0 <= j and (j >= len(cells) or _blank(cells[j])):
                    if j >= len(cells):
                        cells = list(cells) + [None] * (j + 1 - len(cells))
                    cells[j] = value
                    filled.append(f"{column_letter(c)}{number}")
            for r0, c0 in tops:
                if r0 == r and 0 <= c0 - col0 < len(cells) and not _blank(cells[c0 - col0]):
                    values[(r0, c0)] = cells[c0 - col0]
            yield number, col0, cells
        if filled:
            self._note(f"sel gabungan: nilai sel teratas disalin ke {len(filled)} sel di bawahnya "
                       f"({_rows_text(filled)}) / merged cells: the top cell's value was copied into the "
                       f"{len(filled)} cell(s) below it", prov)

    def _unknown_part(self, name: str, what: str, rows: int | None = None) -> None:
        if name in self._explained:
            return
        prov = Provenance(self.location, part=name)
        if fieldmap.normalize(name) in INSTRUCTION_SHEETS:
            self._note(f"{what} petunjuk dilewati / instructions {what} skipped", prov, "skipped_instructions")
            return
        near = fieldmap.suggest_entity(name)
        hint = f" (maksud Anda {near}? / did you mean {near}?)" if near else ""
        choices = ", ".join(fieldmap.ENTITY_LABELS)
        lost_id = f" ({rows} baris berisi tidak dibaca, termasuk baris judul)" if rows is not None else ""
        lost_en = f" ({rows} non-blank rows not read, header included)" if rows is not None else ""
        self._note(
            f"{what} {name!r} tidak cocok dengan entitas mana pun dan dilewati{lost_id}{hint}; nama yang dikenal: "
            f"{choices} / {what} matches no entity and was skipped{lost_en}",
            prov,
            records=max(0, (rows or 0) - 1),  # every non-blank row below the first (its header)
        )

    def _count_sheet_rows(self, workbook: Any, name: str) -> int | None:
        """Non-blank rows of a sheet that is skipped, so the report can say how much was left out."""
        from python_calamine import CalamineError

        if fieldmap.normalize(name) in INSTRUCTION_SHEETS:
            return None
        try:
            return sum(1 for row in workbook.get_sheet_by_name(name).iter_rows() if not all(_blank(v) for v in row))
        except CalamineError:
            return None

    def _count_rows(self, path: Path) -> int | None:
        """Non-blank rows of a CSV file that is skipped, so the report can say how much was left out."""
        try:
            return sum(1 for _, _, row in self._csv_rows(path) if not all(_blank(v) for v in row))
        except (OSError, UnicodeDecodeError, csv.Error, AdapterError):
            return None

    def _csv_rows(self, path: Path) -> Iterator[tuple[int, int, list[Any]]]:
        """Rows of a CSV file, numbered by record. A byte the encoding cannot read, a field beyond
        ``csv_field_chars`` or a quote left open (rows swallowed into one field) stops the read
        with the line named: a CSV that parses wrongly must not lose rows silently."""
        encoding = sniff_encoding(path)
        limit = inputs.current().csv_field_chars
        csv.field_size_limit(limit)
        with path.open("r", encoding=encoding, newline="") as handle:
            sample = handle.read(64 * 1024)
            handle.seek(0)
            dialect = sniff_dialect(sample)
            reader = csv.reader(handle, dialect)
            delimiter = getattr(dialect, "delimiter", ",")
            width = 0
            line = 0
            try:
                for i, row in enumerate(reader):
                    start, line = line + 1, reader.line_num
                    if line > start:
                        _check_quotes(path, row, start, line, width, delimiter)
                    width = width or sum(1 for v in row if v.strip())
                    yield i + 1, 0, row
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise AdapterError(str(inputs.beyond(
                        "csv_field_chars", "satu sel", "a field", source=str(path), line=line + 1)),
                        source=str(path)) from None
                raise AdapterError(f"{path}:{reader.line_num}: CSV tidak valid ({exc}); periksa tanda kutip di baris "
                                   f"ini / invalid CSV; check the quotes on this line", source=str(path)) from None
            except UnicodeDecodeError as exc:  # not expected after sniff_encoding; named all the same
                raise AdapterError(f"{path}: byte 0x{exc.object[exc.start:exc.start + 1].hex().upper()} bukan teks "
                                   f"{encoding} / is not {encoding} text; simpan sebagai UTF-8 / save as UTF-8",
                                   source=str(path)) from None

    def _read_table(
        self,
        entity: str,
        part: str,
        rows: Iterable[tuple[int, int, list[Any]]],
        source: str | None = None,
        workbook: Any = None,
    ) -> Iterator[RawRecord]:
        source = source or self.location
        lists = self._list_items(entity, workbook)
        em = self._mapping.for_entity(entity) if self._mapping is not None else None
        constants = [(*path.split("."), _tidy(v, fieldmap.column(entity, path).kind, path))
                     for path, v in (em.values.items() if em is not None else ())]
        stats = {"entity": entity, "rows": 0, "blank": 0, "skipped": 0, "no_id": 0}
        self.stats[part] = stats
        iterator = iter(rows)
        head: list[tuple[int, int, list[Any]]] = []
        for item in iterator:
            if all(_blank(v) for v in item[2]):
                stats["blank"] += 1
                continue
            head.append(item)
            if len(head) >= HEADER_SEARCH_ROWS:
                break
        part_prov = Provenance(source, part=part)
        if not head:
            self._note(f"sheet kosong ({entity}) / empty sheet", part_prov, "skipped_empty_sheet")
            return
        header_at = self._find_header(entity, part, head)
        header_row, header_col0, header_cells = head[header_at]
        if header_at:
            shown = "; ".join(f"baris/row {r}: {_row_text(cells)}" for r, _c, cells in head[:header_at])
            self._note(
                f"{header_at} baris judul di atas header (baris {header_row}) dilewati / {header_at} title row(s) "
                f"above the header (row {header_row}) skipped — {shown}; bila salah satunya data, pindahkan header ke "
                f"baris pertama / if one of them is data, move the header to the first row",
                part_prov,  # listed with what the rows held: a person checks that none was data
            )
            stats["skipped"] += header_at
        layout = self._layout(entity, part, header_row, header_col0, header_cells, source)
        example_rows: list[int] = []
        no_id_rows: list[int] = []

        header_again: list[int] = []
        header_key = _header_key(header_cells)

        def records() -> Iterator[tuple[int, int, list[Any]]]:
            for item in head[header_at + 1:]:  # near the top: a second header-like row is no record either
                if _header_key(item[2]) == header_key or self._header_score(entity, item[2]) >= max(
                        2, (sum(1 for v in item[2] if not _blank(v)) + 1) // 2):
                    header_again.append(item[0])
                    continue
                yield item
            for item in iterator:
                if header_key and _header_key(item[2]) == header_key:  # the header row repeated (a page break)
                    header_again.append(item[0])
                    continue
                yield item

        width = len(layout.paths)
        letters: dict[int, str] = {}
        # A "survey" sheet whose rows are all one respondent's answers each is one survey's raw
        # data: held back (survey sheets are short) until a row shows otherwise.
        held: list[RawRecord] | None = [] if entity == "survei_kepuasan" else None
        # per column: (path, parent keys, leaf, kind) precomputed once, not per cell
        plan = [None if p is None else (p, tuple(p.split(".")[:-1]), p.rsplit(".", 1)[-1], kind)
                for p, kind in zip(layout.paths, layout.kinds, strict=True)]
        for row_number, col0, cells in records():
            data: dict[str, Any] = {}
            cells_at: dict[str, str] = {}
            prov = Provenance(source, part, row_number)
            unmatched: dict[str, Any] = {}
            shift = col0 - header_col0
            for j, value in enumerate(cells):
                if value is None or value == "":
                    continue
                if type(value) is str:
                    value = value.strip()
                    if not value:
                        continue
                k = j + shift
                step = plan[k] if 0 <= k < width else None
                if step is not None:
                    path, parents, leaf, kind = step
                    v = value if type(value) is str else _tidy(value, kind, path)
                    if v is None:
                        continue
                    node = data
                    for key in parents:
                        node = node.setdefault(key, {})
                    node[leaf] = v
                    letter = letters.get(j + col0)
                    if letter is None:
                        letter = letters[j + col0] = column_letter(j + col0)
                    cells_at[path] = letter
                elif 0 <= k < width and layout.unmatched[k] is not None:
                    unmatched[layout.unmatched[k]] = _tidy(value, None, None)
                elif k >= width or k < 0:
                    unmatched[f"kolom {column_letter(j + col0)}"] = _tidy(value, None, None)
            if not data and not unmatched:
                stats["blank"] += 1
                continue
            for *parents, leaf, value in constants:  # the mapping's values:, where the row has none
                node = data
                for key in parents:
                    node = node.setdefault(key, {})
                node.setdefault(leaf, value)
            issues: tuple[CellIssue, ...] = ()
            if layout.suspects and unmatched:
                issues = self._suspect_issues(layout, unmatched, data, source, part, row_number)
            record_id = data.get("id")
            if isinstance(record_id, str) and record_id.upper().startswith(EXAMPLE_PREFIX):
                example_rows.append(row_number)
                stats["skipped"] += 1
                continue
            if record_id is None:
                data["id"] = f"{part}!{row_number}"
                no_id_rows.append(row_number)
            if unmatched:
                data[UNMATCHED] = unmatched
            if lists:
                self._fill_lists(lists, data, part_prov)
            stats["rows"] += 1
            record = RawRecord(entity=entity, data=data, provenance=prov, issues=issues,
                               fields=CellProvenances(source, part, row_number, cells_at))
            if held is not None:
                if skm.looks_like_response_row(data):
                    held.append(record)
                    continue
                yield from held  # a real survey row: the table is surveys after all
                held = None
            yield record
        if held is not None:
            if len(held) >= 2:
                self._responses_table(part, part_prov, held)
                stats["rows"] -= len(held)
                stats["responses"] = len(held)
                no_id_rows = [r for r in no_id_rows if r not in {h.provenance.row for h in held}]
            else:
                yield from held
        stats["no_id"] = len(no_id_rows)
        for list_rows in lists.values():
            list_rows.unclaimed(entity, self._note)
        if header_again:
            self._note(f"baris berisi judul kolom (header) lagi dilewati, baris {_rows_text(header_again)}; bila "
                       f"isinya data, ubah teksnya / row(s) holding column headers again skipped; if they hold data, "
                       f"change their text", part_prov)
        if stats["blank"]:
            self._note(f"{stats['blank']} baris kosong dilewati / blank row(s) skipped", part_prov, "skipped_blank_rows",
                       stats["blank"])
        if example_rows:
            self._note(
                f"{len(example_rows)} baris contoh templat (id diawali {EXAMPLE_PREFIX}) dilewati, baris "
                f"{_rows_text(example_rows)} / template example row(s) skipped",
                part_prov, "skipped_example_rows", len(example_rows), records=len(example_rows),
            )
        if no_id_rows:
            self._note(
                f"{len(no_id_rows)} baris tanpa id diberi id '{part}!<baris>' (baris {_rows_text(no_id_rows)}); "
                f"isi kolom {fieldmap.column(entity, 'id').label!r} agar data lain dapat merujuknya / "
                f"row(s) without an id were given '{part}!<row>'; fill the id column so other sheets can "
                "refer to them",
                part_prov,
            )

    # --- list fields filled from other sheets (mapping ``lists:``) ----------------------------

    def _list_items(self, entity: str, workbook: Any) -> dict[str, _ListRows]:
        """Per list field of ``entity`` that the mapping fills from another sheet or CSV file: its
        items by parent id, read whole before the entity's rows (a few rows a record)."""
        em = self._mapping.for_entity(entity) if self._mapping is not None else None
        out: dict[str, _ListRows] = {}
        for path, list_source in (em.lists.items() if em is not None else ()):
            found = self._part_rows(list_source.sheet, workbook)
            if found is not None:  # else _check_requested_parts has said it is not there
                source, part, rows = found
                out[path] = _ListRows.read(path, list_source, source, part, rows)
                self.stats[part] = {"entity": entity, "list": path, "rows": out[path].count, "blank": out[path].blank,
                                    "skipped": len(out[path].lost)}
        return out

    def _part_rows(self, name: str, workbook: Any) -> tuple[str, str, Iterable[tuple[int, int, list[Any]]]] | None:
        """(source, part, rows) of the sheet, or the CSV file beside the location, called ``name``
        (a CSV file with or without its extension)."""
        key = fieldmap.normalize(name)
        if workbook is not None:
            for sheet_name in workbook.sheet_names:
                if fieldmap.normalize(sheet_name) == key:
                    sheet = workbook.get_sheet_by_name(sheet_name)
                    col0 = sheet.start[1] if sheet.start else 0
                    return self.location, sheet_name, ((i + 1, col0, row) for i, row in enumerate(sheet.iter_rows()))
            return None
        folder = Path(self.location)
        folder = folder if folder.is_dir() else folder.parent
        for file in sorted(folder.iterdir()):
            if file.is_file() and file.suffix.lower() in (".csv", ".tsv") and key in (
                    fieldmap.normalize(file.name), fieldmap.normalize(file.stem)):
                return str(file), file.name, self._csv_rows(file)
        return None

    @staticmethod
    def _fill_lists(lists: dict[str, _ListRows], data: dict[str, Any], where: Provenance) -> None:
        for path, list_rows in lists.items():
            items = list_rows.claim(data.get("id"))
            if items is None:
                continue
            *parents, leaf = path.split(".")
            node = data
            for key in parents:
                node = node.setdefault(key, {})
            if leaf in node:  # the row's own cell says it: kept, and the other sheet's rows counted as unread
                list_rows.refused(data.get("id"), len(items))
                continue
            node[leaf] = items

    def _responses_table(self, part: str, where: Provenance, held: list[RawRecord]) -> None:
        rows = [h.provenance.row for h in held if h.provenance.row is not None]
        span = f"baris {min(rows)}-{max(rows)}" if rows else ""
        self._note(
            f"tabel jawaban per responden ({len(held)} responden, {span}): satu survei, bukan {len(held)} "
            f"survei; tidak dibaca sebagai data survei. Hitung IKM-nya dengan `layanan-rules skm "
            f"{Path(self.location).name}` dan isi satu baris survei (tahun, unit, rata-rata U1-U9, IKM) "
            f"/ a per-respondent answer table ({len(held)} respondents): one survey, not {len(held)} "
            f"surveys; not read as survey records. Compute its IKM with `layanan-rules skm` and enter "
            f"one survey row (year, unit, U1-U9 means, IKM)",
            where,
        )

    @staticmethod
    def _suspect_issues(layout: _Layout, unmatched: dict[str, Any], data: dict[str, Any], source: str, part: str,
                        row: int) -> tuple[CellIssue, ...]:
        """A value under an unrecognised header that looks like a Pasal 21 component, for a record
        that has no value for that component: the rules reading it end in error saying so, rather
        than failing as if the component were absent."""
        out = []
        for path, header, label, letter in layout.suspects.values():
            value = unmatched.get(header)
            node: Any = data
            for key in path.split("."):
                node = node.get(key) if isinstance(node, dict) else None
            if value in (None, "") or node not in (None, ""):
                continue
            out.append(CellIssue(
                field=path, value=str(value), kind="unrecognised_column",
                message=(f"kolom {letter} {header!r} tidak dikenali; maksud Anda {label!r} ({path})? Ganti judul "
                         f"kolom atau petakan dengan berkas pemetaan / column {letter} {header!r} not recognised; did "
                         f"you mean {label!r} ({path})? Rename the column or map it in a mapping file"),
                provenance=Provenance(source, part, row, letter),
            ))
        return tuple(out)

    def _find_header(self, entity: str, part: str, head: list[tuple[int, int, list[Any]]]) -> int:
        """Index (in ``head``) of the header row: the first row that matches at least half as many
        column headers as the best one does. A later row that matches a few more (a second
        header-like row below the data's first rows) must not turn the real header and the rows
        under it into "titles"."""
        scores = [self._header_score(entity, cells) for _row, _col0, cells in head]
        best_score = max(scores, default=0)
        if best_score == 0:
            return 0
        at = next(i for i, score in enumerate(scores) if score >= max(2, (best_score + 1) // 2) or score == best_score)
        # a header written over two rows (merged cells above sub-headers): the row right below
        # is all headers too and matches more; it is the header, the row above a title
        while (at + 1 < len(head) and scores[at + 1] > scores[at]
               and scores[at + 1] >= max(2, (sum(1 for v in head[at + 1][2] if not _blank(v)) + 1) // 2)):
            at += 1
        return at

    def _header_score(self, entity: str, cells: list[Any]) -> int:
        """How many cells of a row read as column headers of ``entity``."""
        em = self._mapping.for_entity(entity) if self._mapping else None
        score = 0
        for value in cells:
            if _blank(value) or not isinstance(value, str):
                continue
            if em is not None and em.path_for(value)[0] or fieldmap.match_header(entity, value):
                score += 1
        return score

    def _layout(
        self, entity: str, part: str, row: int, col0: int, cells: list[Any], source: str
    ) -> _Layout:
        em = self._mapping.for_entity(entity) if self._mapping else None
        paths: list[str | None] = []
        kinds: list[Kind | None] = []
        unmatched: list[str | None] = []
        seen: dict[str, str] = {}
        guessed: list[tuple[str, str, fieldmap.HeaderMatch]] = []
        suspects: dict[int, tuple[str, str, str]] = {}  # column -> (likely path, header, its label)
        for j, value in enumerate(cells):
            letter = column_letter(j + col0)
            header = None if _blank(value) else str(value).strip()
            path: str | None = None
            keep: str | None = None
            if header is None:
                keep = f"kolom {letter}"
            else:
                found, mapped = em.path_for(header) if em is not None else (False, None)
                if found:
                    path = mapped  # None: ignored on purpose by the mapping file
                elif fieldmap.is_row_number_header(header):
                    self._note(f"kolom {letter} {header!r} dianggap nomor urut dan diabaikan / "
                               "read as a running row number and ignored",
                               Provenance(source, part=part, row=row, column=letter), "skipped_row_number_column")
                else:
                    found = fieldmap.match_header_scored(entity, header)
                    path = found.path if found is not None else None
                    if found is not None and not found.certain:
                        guessed.append((letter, header, found))
                    if path is None:  # reported with a did-you-mean as an unknown_field issue by the data set
                        keep = header
                        near = fieldmap.suggest(entity, header)
                        if near and (fieldmap.column(entity, near).pasal or "").startswith("Pasal 21"):
                            suspects[j] = (near, header, fieldmap.column(entity, near).label)
            if path is not None and path in seen:
                self._note(
                    f"kolom {letter} {header!r} mengisi field yang sama ({path}) dengan kolom {seen[path]}; "
                    f"nilainya disimpan sebagai kolom tak dikenal / fills the same field as column "
                    f"{seen[path]}; its values are kept as unmatched",
                    Provenance(source, part=part, row=row, column=letter),
                )
                keep, path = header, None
            if path is not None:
                seen[path] = letter
            paths.append(path)
            kinds.append(fieldmap.column(entity, path).kind if path else None)
            unmatched.append(keep)
        if em is not None:
            headers = [str(v).strip() for v in cells if not _blank(v)]
            missing = [h for h, target in em.columns.items() if target is not None
                       and not any(EntityMapping(columns={h: target}).path_for(v)[0] for v in headers)]
            if missing:
                described = []
                for h in missing:
                    near = difflib.get_close_matches(h, headers, n=1, cutoff=0.6)
                    described.append(f"{h!r} → {em.columns[h]}" + (f" (maksud Anda / did you mean {near[0]!r}?)"
                                                                   if near else ""))
                self._note(
                    f"berkas pemetaan menyebut {len(missing)} kolom yang tidak ada di header {entity}: "
                    f"{'; '.join(described)} / the mapping file names column(s) this header does not have",
                    Provenance(source, part=part, row=row),
                )
        for letter, header, found in guessed:
            if seen.get(found.path) != letter:
                continue  # another column filled that field: this one is kept as unmatched (noted above)
            label = fieldmap.column(entity, found.path).label
            why = {"typo": "satu huruf berbeda / one letter differs",
                   "word": "satu kata kurang atau lebih / one word missing or extra"}.get(found.how, found.how)
            self._note(
                f"kolom {letter} {header!r} dibaca sebagai {label!r} ({found.path}), keyakinan "
                f"{str(found.confidence).replace('.', ',')}: {why}; periksa, atau ganti judul kolom / read as "
                f"{label!r} ({found.path}) with confidence {found.confidence}; check it, or rename the column",
                Provenance(source, part=part, row=row, column=letter), "header_guessed",
            )
        for k in list(suspects):
            if suspects[k][0] in seen:  # the field has its own column: nothing is missing
                del suspects[k]
        if "id" not in seen:
            self._note(
                f"tidak ada kolom id ({fieldmap.column(entity, 'id').label!r}) untuk {entity}; id dibuat dari "
                f"sheet!baris / no id column; ids are made from sheet!row",
                Provenance(source, part=part, row=row),
            )
        letters = {k: column_letter(k + col0) for k in suspects}
        return _Layout(paths=paths, kinds=kinds, unmatched=unmatched,
                       suspects={k: (*v, letters[k]) for k, v in suspects.items()})


def _is_column(entity: str, name: str) -> bool:
    try:
        fieldmap.column(entity, name)
    except KeyError:
        return False
    return True


def _row_text(cells: list[Any], limit: int = 80) -> str:
    """A row's non-blank cells, for a message: ``'Daftar Layanan' | '2024'``."""
    text = " | ".join(repr(str(v).strip()) for v in cells if not _blank(v))
    return (text if len(text) <= limit else text[:limit - 1] + "…") or "(kosong / blank)"


def _header_key(cells: list[Any]) -> tuple[str, ...]:
    """A row's non-blank texts, normalised, to recognise the header row when it repeats."""
    return tuple(fieldmap.normalize(str(v)) for v in cells if not _blank(v))


def _check_quotes(path: Path, row: list[str], start: int, end: int, width: int, delimiter: str) -> None:
    """A field spanning lines is fine (an address over two lines); one whose lines look like rows
    of their own (as many delimiters as the header has columns) is a quote left open."""
    if width < 2:
        return
    for j, field in enumerate(row):
        if "\n" not in field:
            continue
        inner = field.split("\n")[1:]
        if any(part.count(delimiter) >= width - 1 for part in inner):
            raise AdapterError(
                f"{path}:{start}: tanda kutip (\") di kolom {column_letter(j)} dibuka di baris {start} dan berlanjut "
                f"sampai baris {end}; baris {start + 1}–{end} tertelan ke dalam satu sel. Tutup atau hapus tanda kutip "
                f"itu / a quote opened in column {column_letter(j)} on line {start} runs on to line {end}, swallowing "
                f"lines {start + 1}–{end} into one cell; close or remove that quote",
                source=str(path),
            )


def _rows_text(rows: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f", … (+{len(rows) - limit})" if len(rows) > limit else "")


def sniff_encoding(path: Path) -> str:
    """The text encoding of a CSV file: a BOM wins; else UTF-8 if the whole file decodes as
    UTF-8 (checked in a streaming pass); else Windows-1252, what Excel on Windows saves."""
    with path.open("rb") as handle:
        start = handle.read(4)
        if start.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            pass
        else:
            return "utf-8"
    data = path.read_bytes()
    try:
        data.decode("cp1252")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line, column = before.count(b"\n") + 1, exc.start - (before.rfind(b"\n") + 1) + 1
        byte = data[exc.start:exc.start + 1].hex().upper()
        raise AdapterError(
            f"{path}:{line}:{column}: byte 0x{byte} bukan UTF-8 maupun Windows-1252; simpan ulang berkas sebagai CSV "
            f"UTF-8 / byte 0x{byte} is neither UTF-8 nor Windows-1252; save the file again as CSV UTF-8",
            source=str(path),
        ) from None
    return "cp1252"


def sniff_dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """Comma, semicolon (Excel with an Indonesian locale), tab or pipe: guessed from a sample."""
    if not sample.strip():
        return csv.excel
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        first = sample.splitlines()[0] if sample.splitlines() else ""
        counts = {d: first.count(d) for d in ",;\t|"}
        delim = max(counts, key=lambda d: counts[d])
        dialect = csv.excel
        if counts[delim]:

            class _D(csv.excel):
                delimiter = delim

            return _D
        return dialect


def read_all(location: str | Path, **options: Any) -> tuple[list[RawRecord], list[Note]]:
    """Convenience: every record of a source and the notes (for scripts and tests)."""
    adapter = SpreadsheetAdapter(str(location), options)
    records = list(adapter.read())
    return records, adapter.notes


__all__ = ["EXAMPLE_PREFIX", "UNMATCHED", "CellProvenances", "Note", "SpreadsheetAdapter", "column_letter", "read_all",
           "sniff_dialect", "sniff_encoding"]
