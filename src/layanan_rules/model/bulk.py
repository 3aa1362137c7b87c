"""Bulk work: building or counting millions of small acyclic objects.

CPython's cyclic garbage collector runs after every few hundred allocations and, every so often,
rescans every object alive (the whole dataset). None of the objects built in bulk here can form
a reference cycle that only the collector could free, so it is paused for the duration.
"""

from __future__ import annotations

import gc
import os
from typing import Self


class _PausedGC:
    """The context manager behind :func:`paused_gc`: a plain class, a tenth of what a generator-based
    one costs (it is entered twice on every ``evaluate()`` call, a server's one-record requests
    included). Set ``settle`` inside the block to :func:`settle` what it built when it ends."""

    __slots__ = ("settle", "was_enabled")

    def __enter__(self) -> Self:
        self.was_enabled = _isenabled()
        self.settle = False
        _disable()
        return self

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        if self.was_enabled:
            if self.settle and exc_type is None:
                _settle()
            _enable()


_isenabled, _disable, _enable = gc.isenabled, gc.disable, gc.enable


def paused_gc() -> _PausedGC:
    """Pause the cyclic GC inside the block (re-entrant; restores the previous state). A block that
    built objects in bulk and hands them to its caller sets ``settle`` (``with paused_gc() as pause:
    ...; pause.settle = True``): when it ends without an exception and the collector was on before
    it, they are settled (:func:`settle`)."""
    return _PausedGC()


#: A bulk build of at least this many records is settled (:func:`settle`) when it is done
SETTLE_FROM = 4_096

#: Whether this process keeps a permanent generation of its own (``gc.freeze()``), found on the
#: first settle and again after a fork: ``gc.get_freeze_count()`` walks every frozen object
#: (about 90 ms for the 0.7 million a benchmark freezes), far too slow to ask on every call.
_KEEPS_FROZEN: list[bool | None] = [None]


def _forked() -> None:
    _KEEPS_FROZEN[0] = None


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_forked)


def _settle() -> None:
    """:func:`settle` with the collector off (the end of a :func:`paused_gc` block)."""
    keeps = _KEEPS_FROZEN[0]
    if keeps is None:
        keeps = _KEEPS_FROZEN[0] = gc.get_freeze_count() > 0
    if not keeps:  # a process with a frozen generation of its own is left as it is (see settle)
        gc.freeze()
        gc.unfreeze()


def settle() -> None:
    """Move every object the collector tracks out of the young generation without walking them:
    the end of a bulk build whose objects are kept (a Dataset's records, an evaluation's blocks).

    Why: built while the collector was paused, they are all young, and the first allocation after
    the pause starts a young collection that walks every one of them and every object they refer
    to: about 4 us a layanan at 10,000 a call, a sixth of ``evaluate()``, more per record as the
    build outgrows the CPU's cache. None of them can be in a cycle that only the collector could
    free, so that walk finds nothing.

    How: ``gc.freeze()`` moves every tracked object to the permanent generation at once, walking
    none. In a process that had frozen nothing, ``gc.unfreeze()`` then moves them all to the oldest
    generation, where full collections still look at them and at whatever else was young just
    then (its garbage is found at the next full collection instead of a young one; nothing is kept
    for ever). A process that keeps a permanent generation of its own (the server's workers, forked
    after one; a benchmark's frozen inputs) is left as it is: an unfreeze would undo its freeze, and
    a freeze without one would keep every reference cycle alive at that moment (a request's
    garbage) for the life of a long-running server. Which of the two is decided on the first
    settle of the process (and of a forked child): a process that freezes for the first time later
    gets its frozen objects moved to the oldest generation by a later settle, collected as usual.
    Does nothing when the collector is off (the caller manages it)."""
    if _isenabled():
        _disable()
        try:
            _settle()
        finally:
            _enable()


#: Up to this many rows, a table is made and grouped in plain Python rather than by columnar
#: kernels (Arrow): each kernel call has a fixed cost of tens of microseconds, which a one-record
#: report (~50 findings) would pay hundreds of times. The findings table
#: (:mod:`layanan_rules.report.table`) and the scores (:mod:`layanan_rules.report.scores`) read it.
SMALL_ROWS = 4_096
