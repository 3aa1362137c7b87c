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

from .errors import BudgetExceeded

#: Defaults for :func:`layanan_rules.expr.evaluate` (the product passes its own limits).
STEPS = 10_000_000
SECONDS = 5.0

_monotonic = time.monotonic


class _State(threading.local):
    steps: int | None = None  # steps left; None: no budget started on this thread
    limit: int = 0
    seconds: float = 0.0
    deadline: float = 0.0


_state = _State()


def start(steps: int = STEPS, seconds: float = SECONDS) -> None:
    """Give this thread's next evaluation ``steps`` steps and ``seconds`` seconds."""
    st = _state
    st.steps = st.limit = steps
    st.seconds = seconds
    st.deadline = _monotonic() + seconds


def stop() -> None:
    """No budget on this thread any more."""
    _state.steps = None


def charge(n: int) -> None:
    """Spend ``n`` steps; raise :class:`BudgetExceeded` past the step budget or the deadline."""
    st = _state
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
    if _state.steps is not None:
        try:
            charge(len(value))  # type: ignore[arg-type]
        except TypeError:
            pass
    return value
