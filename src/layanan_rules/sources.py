"""Choosing an adapter for a location and reading it into a Dataset."""

from __future__ import annotations

import difflib
from typing import Any

from layanan_rules.adapters import AdapterError, accepts
from layanan_rules.dataset import Dataset


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
    for cls, _plugin in adapters.values():
        if accepts(cls, location):
            return cls
    raise AdapterError(
        f"tidak ada adapter untuk '{location}'; pilih dengan --adapter NAMA (lihat `layanan-rules adapters`) / "
        f"no adapter accepts '{location}'; choose one with --adapter NAME (see `layanan-rules adapters`)",
        source=location,
    )


def read(location: str, pm: Any, *, adapter: str | None = None, options: dict[str, Any] | None = None) -> Dataset:
    cls = choose(location, pm, adapter)
    instance = cls(location, options or {})
    try:
        dataset = Dataset.from_records(instance.read())  # streams: records are structured as they arrive
    finally:
        close = getattr(instance, "close", None)
        if close is not None:
            close()
    dataset.issues[:0] = Dataset.from_records((), notes=getattr(instance, "notes", ())).issues
    return dataset
