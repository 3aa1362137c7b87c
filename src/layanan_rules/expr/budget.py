"""What one evaluation may cost: a budget of steps and of time, per thread.

Every expression is linear in its size and its data except where comprehensions nest
(``xs.map(x, ys.map(y, ...))``) or values grow by concatenation (``s + s`` in a loop): those
multiply. So the compiled code charges a step per element a comprehension will visit, per element
a predicate function (``proporsi``, ``jumlah``) is handed, and per element or character a
concatenation builds; each charge also looks at the clock. Beyond either limit
:class:`BudgetExceeded` is raised, which no ``||`` or ``exists()`` absorbs.

Whoever runs expressions starts the budget: the engine once per record, :func:`expr.evaluate`
once per call. Without a started budget, charges cost one attribute read and nothing is limited.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from .errors import BudgetExceeded

#: Defaults for :func:`layanan_rules.expr.evaluate` (the product passes its own limits).
STEPS = 10_000_000
SECONDS = 5.0

_monotonic = time.monotonic


class _Budget:
    """One thread's budget: plain slots (a ``threading.local``'s attributes cost about 100 ns each to
    read or write; the engine starts a budget per record)."""

    __slots__ = ("deadline", "limit", "seconds", "steps")

    def __init__(self) -> None:
        self.steps: int | None = None  # steps left; None: no budget started on this thread
        self.limit = 0
        self.seconds = 0.0
        self.deadline = 0.0


class _Local(threading.local):
    def __init__(self) -> None:  # run once in each thread that uses it
        self.budget = _Budget()


_local = _Local()


def start(steps: int = STEPS, seconds: float = SECONDS) -> None:
    """Give this thread's next evaluation ``steps`` steps and ``seconds`` seconds."""
    st = _local.budget
    st.steps = st.limit = steps
    st.seconds = seconds
    st.deadline = _monotonic() + seconds


def restarter(steps: int = STEPS, seconds: float = SECONDS) -> Callable[[], None]:
    """``restart()``: :func:`start` (``steps``, ``seconds``) for this thread, for a caller that starts
    the same budget before each of many evaluations (the engine, once per record): the thread's
    budget is found once, so each restart is four slot stores and a look at the clock."""
    st = _local.budget
    st.limit = steps
    st.seconds = seconds
    monotonic = _monotonic

    def restart() -> None:
        st.steps = steps
        st.limit = steps
        st.seconds = seconds
        st.deadline = monotonic() + seconds

    return restart


def stop() -> None:
    """No budget on this thread any more."""
    _local.budget.steps = None


def charge(n: int) -> None:
    """Spend ``n`` steps; raise :class:`BudgetExceeded` past the step budget or the deadline."""
    st = _local.budget
    left = st.steps
    if left is None:
        return
    left -= n
    st.steps = left
    if left < 0:
        raise BudgetExceeded(
            f"evaluasi melampaui {st.limit:,} langkah (iterasi makro, elemen dan karakter yang dibangun); "
            f"sederhanakan ekspresinya atau naikkan --limit expr_steps=N / the evaluation went beyond "
            f"{st.limit:,} steps (macro iterations, elements and characters built); simplify the expression "
            f"or raise --limit expr_steps=N", "steps")
    if _monotonic() > st.deadline:
        raise BudgetExceeded(
            f"evaluasi melampaui {st.seconds:g} detik; sederhanakan ekspresinya atau naikkan --limit "
            f"expr_seconds=N / the evaluation went beyond {st.seconds:g} seconds; simplify the expression "
            f"or raise --limit expr_seconds=N", "time")


def charged(value: object) -> object:
    """``value`` (a list or map handed to a predicate function), its length charged."""
    if _local.budget.steps is not None:
        try:
            charge(len(value))  # type: ignore[arg-type]
        except TypeError:
            pass
    return value
