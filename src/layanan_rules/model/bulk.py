"""Bulk work: building or counting millions of small acyclic objects.

CPython's cyclic garbage collector runs after every few hundred allocations and, every so often,
rescans every object alive (the whole dataset). None of the objects built in bulk here can form
a reference cycle that only the collector could free, so it is paused for the duration.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic GC inside the block (re-entrant; restores the previous state)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
