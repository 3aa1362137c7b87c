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


@attrs.frozen(weakref_slot=False)  # no weak-reference slot: built by construct.maker
class Provenance:
    """Where a record (or one of its values) came from.

    ``source`` is a file path, a database URL without password, or a URL; ``part`` is a sheet,
    table or endpoint; ``row`` a 1-based row number (or page for APIs); ``column`` a column
    letter/name; ``key`` a primary key or the index within a page.
    """

    source: str
    part: str | None = None
    row: int | None = None
    column: str | None = None
    key: str | None = None
    page: int | None = None

    def at_column(self, column: str | None) -> Provenance:
        return attrs.evolve(self, column=column)

    def __str__(self) -> str:
        bits = [self.source]
        if self.part and not self.source.endswith(self.part):  # a CSV file is its own "sheet"
            bits.append(self.part)
        if self.page is not None:
            bits.append(f"page {self.page}")
        if self.row is not None:
            bits.append(f"row {self.row}")
        if self.column:
            bits.append(f"col {self.column}")
        if self.key is not None:
            bits.append(f"key {self.key}")
        return ":".join(bits)


@attrs.frozen
class CellIssue:
    """A value the adapter read but could not parse (kept as text, never silently nulled)."""

    field: str  # model field path, e.g. "standar.jangka_waktu"
    value: str
    message: str  # bilingual: "tanggal tidak terbaca / unreadable date"
    provenance: Provenance


@attrs.frozen(weakref_slot=False)  # no weak-reference slot: built by construct.maker
class RawRecord:
    """One record of one entity, as read, with where it came from."""

    entity: str
    data: Mapping[str, Any]
    provenance: Provenance
    issues: tuple[CellIssue, ...] = ()
    #: model field -> provenance of that value (e.g. its cell), for precise error messages
    fields: Mapping[str, Provenance] = attrs.field(factory=dict)


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
    """Whether an adapter claims a location by URL scheme or file extension."""
    scheme = urlsplit(location).scheme.lower()
    if scheme and len(scheme) > 1:  # "c:" on Windows is a drive, not a scheme
        base = scheme.split("+", 1)[0]
        return scheme in adapter.schemes or base in adapter.schemes
    suffixes = "".join(PurePath(location).suffixes).lower()
    return any(suffixes.endswith(ext.lower()) for ext in adapter.extensions)
