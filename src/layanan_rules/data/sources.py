"""Choosing an adapter for a location and reading it into a Dataset."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from layanan_rules.data.adapters import COUNTED_NOTES, AdapterError, Provenance, RawRecord, specificity
from layanan_rules.data.dataset import DataIssue, Dataset

#: ``DataIssue.kind`` of a part of the source (an entity's table or endpoint) that could not be read.
SOURCE_UNAVAILABLE = "source_unavailable"


@attrs.frozen
class SourcePart:
    """One independently readable part of a source: an entity's table, query or endpoint.

    An adapter that offers ``parts()`` (an iterable of these) lets ``--keep-going`` skip a part
    that fails and go on with the next one. ``read`` yields the part's records; ``count``
    answers how many records the source says the part holds (``None`` when it cannot tell) and
    must not raise. Adapters without ``parts()`` are read whole through ``read()``.
    """

    entity: str | None  # None: a part that holds several entities (a whole file or document)
    name: str  # table, query or endpoint, for messages
    source: str  # the source without password, as in Provenance.source
    read: Callable[[], Iterator[RawRecord]]
    count: Callable[[], int | None] = lambda: None


def available(pm: Any) -> dict[str, tuple[type, str]]:
    """Every registered adapter by name -> (class, plugin name)."""
    found: dict[str, tuple[type, str]] = {}
    for impl in pm.hook.register_adapters.get_hookimpls():
        for cls in impl.function() or []:
            found.setdefault(cls.name, (cls, impl.plugin_name))
    return found


def choose(location: str, pm: Any, adapter: str | None = None) -> type:
    """The adapter named, or the one that accepts the location (extension or URL scheme)."""
    adapters = available(pm)
    if adapter:
        if adapter in adapters:
            return adapters[adapter][0]
        hint = difflib.get_close_matches(adapter, adapters, n=1)
        raise AdapterError(
            f"adapter '{adapter}' tidak terpasang / adapter '{adapter}' is not installed"
            + (f"; maksud Anda / did you mean '{hint[0]}'?" if hint else "")
            + f" — terpasang / installed: {', '.join(sorted(adapters))}"
        )
    best: tuple[int, type] | None = None
    for cls, _plugin in adapters.values():  # the most specific claim wins; on a tie, the first registered
        claim = specificity(cls, location)
        if claim is not None and (best is None or claim > best[0]):
            best = (claim, cls)
    if best is not None:
        return best[1]
    raise AdapterError(
        f"tidak ada adapter untuk '{location}'; pilih dengan --adapter NAMA (lihat `layanan-rules adapters`) / "
        f"no adapter accepts '{location}'; choose one with --adapter NAME (see `layanan-rules adapters`)",
        source=location,
    )


def read(
    location: str,
    pm: Any,
    *,
    adapter: str | None = None,
    options: dict[str, Any] | None = None,
    keep_going: bool = False,
    pushdown: Callable[[Any], Iterable[RawRecord] | None] | None = None,
) -> Dataset:
    """Read a location into a Dataset through the adapter that accepts it.

    By default the first :class:`AdapterError` stops the run. With ``keep_going`` a part of the
    source that cannot be read (an entity's table or endpoint, when the adapter offers
    ``parts()``; otherwise the rest of the source) becomes a ``source_unavailable`` issue at the
    head of ``dataset.issues``, saying what failed and how many records are missing, and the
    other parts are read. :func:`incomplete` lists those issues: a dataset that has any is
    not complete, and nothing built from it may be presented as complete.

    ``pushdown(adapter)`` (``layanan_rules.engine.pushdown``) may give the records instead of
    ``adapter.read()``, when the adapter can run the rules where the data is (None: it cannot).
    """
    cls = choose(location, pm, adapter)
    instance = cls(location, options or {})
    failures: list[DataIssue] = []
    try:
        pushed = pushdown(instance) if pushdown is not None else None
        if pushed is not None:
            stream = pushed
        else:
            stream = _records(instance, location, failures) if keep_going else instance.read()
        dataset = Dataset.from_records(stream, compact=True)  # streams: records are structured as they arrive
    finally:
        close = getattr(instance, "close", None)
        if close is not None:
            close()
    issues: list[DataIssue] = []
    for note in getattr(instance, "notes", ()):
        kind = getattr(note, "kind", "adapter_note")
        records = int(getattr(note, "records", 0))
        if kind in COUNTED_NOTES:  # nothing lost: counted in the summary, not listed
            dataset.skipped[kind] = dataset.skipped.get(kind, 0) + int(getattr(note, "count", 1))
            dataset.skipped_records += records
            continue
        provenance = getattr(note, "provenance", None)
        message = getattr(note, "message", None)
        if message is None or provenance is None:  # a plain string, or a note without a place
            message, provenance = str(note), None
        issues.append(DataIssue(kind, message, provenance=provenance, records=records))
    dataset.issues[:0] = failures + issues
    return dataset


def incomplete(dataset: Dataset) -> list[DataIssue]:
    """The parts of the source that could not be read (empty when the dataset is complete)."""
    return [i for i in dataset.issues if i.kind == SOURCE_UNAVAILABLE]


def _records(instance: Any, location: str, failures: list[DataIssue]) -> Iterable[RawRecord]:
    parts_of = getattr(instance, "parts", None)
    if parts_of is None:
        read = 0
        try:
            for rec in instance.read():
                read += 1
                yield rec
        except AdapterError as exc:
            failures.append(_failure(exc, exc.entity, exc.source or location, None, read, None))
        return
    try:
        parts = list(parts_of())
    except AdapterError as exc:
        failures.append(_failure(exc, exc.entity, exc.source or location, None, 0, None))
        return
    for part in parts:
        read = 0
        try:
            for rec in part.read():
                read += 1
                yield rec
        except AdapterError as exc:
            try:
                total = part.count()
            except Exception:  # noqa: BLE001 - count is best effort: the source is already failing
                total = None
            failures.append(_failure(exc, part.entity, part.source, part.name, read, total))


def _failure(exc: AdapterError, entity: str | None, source: str, part: str | None, read: int,
             total: int | None) -> DataIssue:
    what = entity or "sumber / source"
    if total is not None and total >= read:
        missing_id = f"{total - read} dari {total} record tidak terbaca"
        missing_en = f"{total - read} of {total} records missing"
    elif read:
        missing_id = f"hanya {read} record terbaca, sisanya (jumlah tidak diketahui) hilang"
        missing_en = f"only {read} records read, the rest (number unknown) missing"
    else:
        missing_id = "tidak ada record terbaca, jumlah yang hilang tidak diketahui"
        missing_en = "no records read, number missing unknown"
    return DataIssue(
        SOURCE_UNAVAILABLE,
        f"GALAT: {what} tidak terbaca lengkap — {missing_id}; laporan ini TIDAK LENGKAP / "
        f"ERROR: {what} could not be fully read — {missing_en}; this report is INCOMPLETE. "
        f"Sebab / cause: {exc}",
        entity=entity,
        provenance=Provenance(source, part=part),
    )


def read_data(location: str | Path, *, adapter: str | None = None, options: dict[str, Any] | None = None,
              plugin_manager: Any = None) -> Dataset:
    """Read provider data from a file or URL through an adapter plugin (chosen by name or inferred)."""
    from layanan_rules import plugins

    pm = plugin_manager or plugins.get_plugin_manager()
    return read(str(location), pm, adapter=adapter, options=options or {})
