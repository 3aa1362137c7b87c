"""Bulk work: building or counting millions of small acyclic objects.

CPython's cyclic garbage collector runs after every few hundred allocations and, every so often,
rescans every object alive (the whole dataset). None of the objects built in bulk here can form
a reference cycle that only the collector could free, so it is paused for the duration.
"""

from __future__ import annotations

import gc


class _PausedGC:
    """The context manager behind :func:`paused_gc`: a plain class, a tenth of what a generator-based
    one costs (it is entered twice on every ``evaluate()`` call, a server's one-record requests
    included)."""

    __slots__ = ("was_enabled",)

    def __enter__(self) -> None:
        self.was_enabled = _isenabled()
        _disable()

    def __exit__(self, *_exc: object) -> None:
        if self.was_enabled:
            _enable()


_isenabled, _disable, _enable = gc.isenabled, gc.disable, gc.enable


def paused_gc() -> _PausedGC:
    """Pause the cyclic GC inside the block (re-entrant; restores the previous state)."""
    return _PausedGC()


#: Up to this many rows, a table is made and grouped in plain Python rather than by columnar
#: kernels (Arrow): each kernel call has a fixed cost of tens of microseconds, which a one-record
#: report (~50 findings) would pay hundreds of times. The findings table
#: (:mod:`layanan_rules.report.table`) and the scores (:mod:`layanan_rules.report.scores`) read it.
SMALL_ROWS = 4_096
