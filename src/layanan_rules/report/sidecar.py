"""A second process for the report's Python work: the second core, while memory stays bounded.

Most of what writing a large report costs after the engine is Python making the evidence and
provenance of the problems (:meth:`layanan_rules.report.table.Findings._filled`), a batch at a time,
in order, while the writer turns each batch into text. Threads do not help (the GIL); a process
forked when the writing starts does: it holds every record the engine evaluated without a copy
(copy-on-write: only the pages whose objects it touches are copied), walks the same jobs in the
same order and makes the batches it claims, which it sends back as Arrow IPC over a pipe.

Which process makes a batch is decided as they go (a shared counter under a lock): the helper
claims the next batch nobody has claimed; the writer makes batch ``k`` itself when nobody has
claimed it, and while the helper's batch ``k`` is not there yet it makes the next unclaimed ones
(up to :data:`AHEAD`). So a writer with little to do per batch (json) shares the evidence about
evenly with the helper, and one with much to do (csv's text) leaves more of it to the helper,
whatever else the machine is running. The helper is at most one batch and a pipe's buffer ahead:
it blocks on the pipe until the writer reads. Only the results cross the pipe (for the findings
table, a batch's evidence and provenance columns): shipping a writer's whole text (csv) was tried
and cost more CPU than it saved. The bytes written are the same as with one process
(the same functions make the same text); a helper that fails leaves its batches to the writer.

Only used where a caller asks for it (:func:`enable`, the ``evaluate`` command does), on a system
with ``fork`` and at least two usable CPUs, for jobs large enough to pay for the fork (a few
milliseconds) and datasets small enough that pages copied on write cannot push memory past what
one process would need at a larger size (:data:`MAX_RECORDS`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import pyarrow as pa

T = TypeVar("T")

#: whether the caller allows a helper process (the ``evaluate`` command does: :func:`enable`)
_ENABLED = False
#: no helper for reports over more records than this: the pages a helper copies on write grow with
#: the dataset, and at 100,000 layanan and 1,000,000 pengaduan the one process is at 2.3 GB already
MAX_RECORDS = 600_000
#: no helper below this many findings: the fork and its pipe cost more than they give
MIN_ROWS = 200_000
#: environment variable: ``1`` keeps every report in one process (``2``, the default, allows a helper)
ENV = "LAYANAN_RULES_REPORT_PROCESSES"


def enable(on: bool = True) -> None:
    """Allow (or forbid) a helper process for large reports in this process."""
    global _ENABLED
    _ENABLED = on


def usable(rows: int, records: int) -> bool:
    """Whether a helper process is allowed and worth it for a table of ``rows`` findings over ``records`` records."""
    if not _ENABLED or os.environ.get(ENV, "").strip() == "1" or not hasattr(os, "fork"):
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return cpus >= 2 and rows >= MIN_ROWS and records <= MAX_RECORDS


def in_order(jobs: Iterable[Callable[[], T]],
             work: Callable[[T], pa.RecordBatch | None]) -> Iterator[tuple[Callable[[], T], pa.RecordBatch | None]]:
    """``(job, work(job()))`` for each job in order, ``work`` shared with a forked helper process;
    ``job()`` made here only when the caller calls it (a job the helper made is not made here unless
    asked).

    ``jobs`` must give the same jobs in the same order in both processes (a generator over held data
    does: the helper continues it from where the fork left it); ``work`` returns a record batch (of
    any schema) or None, which the helper sends as one Arrow IPC stream each."""
    import multiprocessing

    try:
        ctx = multiprocessing.get_context("fork")
        lock = ctx.Lock()
        claimed = ctx.RawValue("q", 0)  # the first job nobody has claimed
    except (OSError, ValueError, ImportError):  # no semaphores here: one process
        yield from _alone(jobs, work)
        return
    read_fd, write_fd = os.pipe()
    frozen = gc.get_freeze_count() > 0  # a caller that froze them (the CLI does) keeps them frozen
    gc.freeze()  # the objects alive now are never traversed again: no page copied for the collector
    try:
        pid = os.fork()
    except OSError:
        if not frozen:
            gc.unfreeze()
        os.close(read_fd)
        os.close(write_fd)
        yield from _alone(jobs, work)
        return
    if pid == 0:  # the helper: never returns into the caller's code
        code = 1
        try:
            os.close(read_fd)
            gc.disable()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _helper(jobs, work, lock, claimed, write_fd)
            code = 0
        except BaseException:  # noqa: BLE001, S110 - the writer makes what the helper did not
            pass
        finally:
            os._exit(code)
    os.close(write_fd)
    source = os.fdopen(read_fd, "rb")
    try:
        yield from _writer_side(jobs, work, lock, claimed, source, pid)
    finally:
        source.close()  # a helper still writing gets a broken pipe and ends
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, 0)
        if not frozen:
            gc.unfreeze()


def _alone(jobs: Iterable[Callable[[], T]],
           work: Callable[[T], pa.RecordBatch | None]) -> Iterator[tuple[Callable[[], T], pa.RecordBatch | None]]:
    for job in jobs:
        made = job()
        yield _given(made), work(made)


def _given(made: T) -> Callable[[], T]:
    return lambda: made


#: the writer waits this long for a batch the helper claimed before it ends the helper and makes the
#: rest itself (a batch takes well under a second; minutes on the busiest machine seen)
STALL_SECONDS = 120.0

#: batches the writer makes ahead of the one it must yield while the helper's is not ready yet
AHEAD = 2


def _writer_side(jobs: Iterable[Callable[[], T]], work: Callable[[T], pa.RecordBatch | None], lock: Any,
                 claimed: Any, source: Any, pid: int) -> Iterator[tuple[Callable[[], T], pa.RecordBatch | None]]:
    """The writer's loop: yield the jobs in order; the helper's results read from the pipe, and while
    the next one is not there yet, the lowest unclaimed job made here (up to :data:`AHEAD` of them)."""
    import select

    thunks: dict[int, Callable[[], T]] = {}
    given = enumerate(jobs)
    seen = 0  # jobs taken from ``given`` so far
    ended = False
    mine: dict[int, tuple[Callable[[], T], pa.RecordBatch | None]] = {}
    alive = True
    fd = source.fileno()

    def thunk(k: int) -> Callable[[], T] | None:
        nonlocal seen, ended
        while seen <= k and not ended:
            got = next(given, None)
            if got is None:
                ended = True
                break
            thunks[got[0]] = got[1]
            seen += 1
        return thunks.get(k)

    def claim_next() -> int | None:
        """Claim the lowest unclaimed job that exists (None: every job is claimed)."""
        while True:
            c = int(claimed.value)
            if thunk(c) is None:  # (outside the lock: making the job list may take a while)
                return None
            with _held(lock):
                if claimed.value == c:
                    claimed.value = c + 1
                    return c

    k = 0
    while True:
        if k in mine:
            yield mine.pop(k)
            thunks.pop(k, None)
            k += 1
            continue
        if thunk(k) is None:
            return
        if not alive:
            made = thunks.pop(k)()
            yield _given(made), work(made)
            k += 1
            continue
        try:
            with _held(lock):
                ours = claimed.value <= k
                if ours:
                    claimed.value = k + 1
        except _Stuck:  # the helper died holding the lock: everything from here is made here
            alive = False
            continue
        if ours:
            made = thunks.pop(k)()
            yield _given(made), work(made)
            k += 1
            continue
        # the helper's: while its batch is not there, make the next unclaimed ones here
        if len(mine) < AHEAD and not select.select([fd], [], [], 0)[0]:
            try:
                c = claim_next()
            except _Stuck:
                alive = False
                continue
            if c is not None:
                made = thunks[c]()
                mine[c] = (_given(made), work(made))
                continue
        if not select.select([fd], [], [], STALL_SECONDS)[0]:
            # the helper is stuck (a lock another thread held at the fork, a stopped process): a hang
            # would be an outage, so it is ended and everything from here on is made here
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            alive = False
            continue
        try:
            got = _receive(source)
        except (pa.ArrowException, OSError, EOFError):
            alive = False  # the helper ended early: its jobs from here on are made here
            continue
        yield thunks.pop(k), got
        k += 1


class _Stuck(Exception):
    """The lock was not had in :data:`LOCK_SECONDS`: its holder (the helper) is gone."""


#: the lock is held for a few microseconds at a time; this long without it means its holder died in it
LOCK_SECONDS = 30.0


@contextlib.contextmanager
def _held(lock: Any) -> Iterator[None]:
    if not lock.acquire(timeout=LOCK_SECONDS):
        raise _Stuck
    try:
        yield
    finally:
        lock.release()


_NONE = pa.schema([], metadata={b"layanan_rules.none": b"1"})


def _send(sink: Any, got: pa.RecordBatch | None) -> None:
    """One result as one IPC stream: the batch, or a stream of no batch for None."""
    with pa.ipc.new_stream(sink, _NONE if got is None else got.schema) as writer:
        if got is not None:
            writer.write_batch(got)
    sink.flush()


def _receive(source: Any) -> pa.RecordBatch | None:
    """The next result :func:`_send` sent (its stream read to the end)."""
    reader = pa.ipc.open_stream(source)
    try:
        got = reader.read_next_batch()
    except StopIteration:
        if (reader.schema.metadata or {}).get(b"layanan_rules.none") != b"1":
            raise EOFError("hasil pembantu terpotong / the helper's result was cut short") from None
        return None
    for _rest in reader:  # the end of the stream
        pass
    return got


def _helper(jobs: Iterable[Callable[[], T]], work: Callable[[T], pa.RecordBatch | None], lock: Any, claimed: Any,
            write_fd: int) -> None:
    """The helper's loop: claim the next unclaimed job, make it, send it; skip the writer's."""
    sink = os.fdopen(write_fd, "wb")
    for k, job in enumerate(jobs):
        with lock:
            if claimed.value > k:  # the writer took it
                continue
            claimed.value = k + 1
        _send(sink, work(job()))
    sink.close()
