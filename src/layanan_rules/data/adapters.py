"""The adapter contract: how a data source hands raw records to the engine.

Adapters know a source and nothing of the law. An adapter is a class registered through the
``register_adapters`` hook. It is opened on a *location* (a path or URL) plus options, and
``read()`` yields :class:`RawRecord` objects per entity, each tagged with its
:class:`Provenance`. A value the adapter cannot parse is not dropped: it is left out of
``data`` and recorded as a :class:`CellIssue`, which the engine turns into an ``error`` finding
naming the cell.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Mapping
from pathlib import PurePath
from typing import Any, ClassVar, Protocol, runtime_checkable
from urllib.parse import urlsplit

import attrs

from layanan_rules.model.records import CellIssue, Provenance, RawRecord

#: The record types are part of this contract; they live in the model (a rule's own examples use
#: them too) and are named here so that an adapter needs one import.
__all__ = ["COUNTED_NOTES", "Adapter", "AdapterError", "BaseAdapter", "CellIssue", "Note", "Provenance", "RawRecord",
           "accepts", "specificity"]

#: Note kinds an adapter reports that cost no data (an instructions sheet, template example rows,
#: blank rows ...): counted in the report's summary, not listed as data issues. kind -> what is
#: counted, Indonesian / English. Any other note is a data issue of its kind.
COUNTED_NOTES: dict[str, tuple[str, str]] = {
    "skipped_instructions": ("sheet petunjuk", "instruction sheet(s)"),
    "skipped_example_rows": ("baris contoh templat", "template example row(s)"),
    "skipped_blank_rows": ("baris kosong", "blank row(s)"),
    "skipped_title_rows": ("baris judul di atas header", "title row(s) above the header"),
    "skipped_non_data_sheet": ("sheet bukan data (grafik, makro)", "non-data sheet(s) (charts, macros)"),
    "skipped_empty_sheet": ("sheet kosong", "empty sheet(s)"),
    "skipped_row_number_column": ("kolom nomor urut", "row-number column(s)"),
    "hidden_sheet_read": ("sheet tersembunyi yang tetap dibaca", "hidden sheet(s) read all the same"),
}


@attrs.frozen
class Note:
    """Something an adapter did that a person should know: skipped, guessed, unmatched.

    An adapter lists them in its ``notes`` attribute. ``kind`` sorts it: the kinds in
    :data:`COUNTED_NOTES` are counted in the report's summary (``count`` says how many things the
    note covers), any other kind is a data issue. ``records`` counts the input records the note
    accounts for as not read (a sheet that is no entity, skipped template rows), so that every
    input record is either read or counted. Plain strings in ``notes`` are notes too.
    """

    message: str  # bilingual
    provenance: Provenance | None = None
    kind: str = "adapter_note"
    count: int = 1
    records: int = 0

    def __str__(self) -> str:
        return f"{self.provenance}: {self.message}" if self.provenance else self.message


class AdapterError(Exception):
    """A source could not be read: the message names the source, what happened, what to try."""

    def __init__(self, message: str, *, source: str | None = None, entity: str | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.entity = entity


@runtime_checkable
class Adapter(Protocol):
    """What an adapter class provides. Subclassing :class:`BaseAdapter` is optional."""

    name: ClassVar[str]
    description: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]
    schemes: ClassVar[tuple[str, ...]]

    def __init__(self, location: str, options: Mapping[str, Any]) -> None: ...

    def read(self) -> Iterator[RawRecord]:
        """Yield every record of every entity the source holds."""
        ...


class BaseAdapter(abc.ABC):
    """Convenience base class: stores location and options; subclasses write ``read()``."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    extensions: ClassVar[tuple[str, ...]] = ()
    schemes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, location: str, options: Mapping[str, Any] | None = None) -> None:
        self.location = location
        self.options: Mapping[str, Any] = options or {}

    @abc.abstractmethod
    def read(self) -> Iterator[RawRecord]:
        """Yield every record of every entity the source holds."""

    def close(self) -> None:
        """Release resources; called once reading is done."""


def accepts(adapter: type[Adapter], location: str) -> bool:
    """Whether an adapter claims a location (by URL scheme, file extension, or its own ``accepts``)."""
    return specificity(adapter, location) is not None


def specificity(adapter: type[Adapter], location: str) -> int | None:
    """How strongly an adapter claims a location; None when it does not. The highest wins.

    An adapter class may decide for itself with a classmethod ``accepts(location) -> int | None``
    (a priority, or None to decline). Otherwise a URL scheme it lists claims the location with
    the scheme's length, and a file extension with the extension's length, so the most specific
    wins: ``.skm.csv`` (8) over ``.csv`` (4) for ``survei.skm.csv``.
    """
    own = getattr(adapter, "accepts", None)
    if callable(own):
        got = own(location)
        if got is None or got is False:
            return None
        return 1 if got is True else int(got)
    scheme = urlsplit(location).scheme.lower()
    if scheme and len(scheme) > 1:  # "c:" on Windows is a drive, not a scheme
        base = scheme.split("+", 1)[0]
        return len(scheme) if scheme in adapter.schemes or base in adapter.schemes else None
    suffixes = "".join(PurePath(location).suffixes).lower()
    lengths = [len(ext) for ext in adapter.extensions if suffixes.endswith(ext.lower())]
    return max(lengths) if lengths else None
