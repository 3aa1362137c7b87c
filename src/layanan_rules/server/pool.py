"""Worker processes: where the server evaluates, so that no request can stall another.

Evaluation is CPU work under Python's GIL; done in the process that answers HTTP, one heavy
request would hold up every other, ``/healthz`` included, and nothing could stop it. So the
HTTP process (the *front*) only moves bytes, and every isolated request (:attr:`Route.isolated`:
evaluate, expr, report) runs in a worker process, one request at a time per worker:

- A **zygote** is forked once, after the rulesets are loaded and compiled and before any event
  loop or thread exists. Every worker is forked from it: a new worker is ready in milliseconds
  and shares the compiled rulesets' memory with the others (``gc.freeze`` keeps it shared).
- **Time budget** (``timeout``): the front waits that long for a worker's answer; then it
  kills the worker (SIGKILL), answers ``422 budget_exceeded`` and forks a fresh one. A request
  waiting for a free worker longer than that gets ``503 unavailable``.
- **Memory budget** (``max_memory``): before each request a worker limits its own writable memory
  (``RLIMIT_DATA``) to what it holds plus the budget (:class:`_Budget` says why that and not the
  address space); past it, Python raises :class:`MemoryError`, the worker answers
  ``422 budget_exceeded`` and is replaced (its heap is not reused).
- Workers run at a lower priority (nice 5): when CPUs are short, the front, which answers
  probes and moves bytes, goes first.
- A worker also limits its CPU time (``RLIMIT_CPU``) to the time budget plus two seconds, so a
  worker whose front is gone cannot spin on; workers and the zygote die with their parent
  (``PR_SET_PDEATHSIG``) and ignore SIGINT/SIGTERM: shutting down is the front's decision
  (it closes their sockets once in-flight requests are answered).

- An answer over 1 MiB streams to the client as the worker sends it (:class:`Streamed`); a
  worker's temporary files (uploads) live in the zygote's scratch folder, removed when a worker
  is killed and when the server stops.

Front and worker talk over a private socket pair: a frame is a 12-byte header (JSON meta length,
body length), the meta as JSON and the body bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import json
import logging
import os
import shutil
import signal
import socket
import struct
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, Self

import attrs

from layanan_rules.server.messages import ApiError, Response, internal_error
from layanan_rules.server.web import answer

if TYPE_CHECKING:
    from layanan_rules.server.app import App

log = logging.getLogger("layanan_rules.server")
_HEADER = struct.Struct(">IQ")
#: a frame with no meta and no body, sent by a worker under a memory budget before it encodes its
#: answer: orjson has no out-of-memory path (it crashes), so a worker that dies after this frame
#: ran out of its memory budget while writing the answer, and the front answers so
_ENCODING = _HEADER.pack(0, 0)
_MIB = 1024 * 1024
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _mib(n: int) -> str:
    return f"{n / _MIB:g} MiB"


def time_budget_error(seconds: float) -> ApiError:
    return ApiError("budget_exceeded",
                    f"permintaan melewati batas waktu {seconds:g} detik (--timeout) dan dihentikan; pecah datanya atau "
                    f"minta operator menaikkan batasnya / the request exceeded the time budget of {seconds:g} s "
                    "(--timeout) and was stopped; split the data or ask the operator to raise the budget",
                    [{"message": f"time budget: {seconds:g} s", "budget": "time", "limit": seconds}])


def memory_budget_error(limit: int) -> ApiError:
    return ApiError("budget_exceeded",
                    f"permintaan melewati batas memori {_mib(limit)} (--max-memory) dan dihentikan; pecah datanya / "
                    f"the request exceeded the memory budget of {_mib(limit)} (--max-memory) and was stopped; "
                    "split the data",
                    [{"message": f"memory budget: {_mib(limit)}", "budget": "memory", "limit": limit}])


def stopping_error(grace: float) -> ApiError:
    return ApiError("unavailable",
                    f"server sedang berhenti dan permintaan ini tidak selesai dalam {grace:g} detik (--grace); kirim "
                    f"lagi / the server is stopping and this request did not finish within {grace:g} s (--grace); "
                    "send it again", [{"message": "server stopping"}], headers={"Retry-After": "5"})


def unavailable_error(seconds: float) -> ApiError:
    return ApiError("unavailable",
                    f"semua proses pekerja sibuk selama {seconds:g} detik; coba lagi nanti / every worker process "
                    f"was busy for {seconds:g} s; try again later",
                    [{"message": "no worker became free in time"}], headers={"Retry-After": "5"})


# --- frames ------------------------------------------------------------------------------------------------


def _head(meta: dict[str, Any], body: bytes) -> bytes:
    """A frame's header and meta; the body follows as it is (no copy of a large report)."""
    head = json.dumps(meta, separators=(",", ":")).encode()
    return _HEADER.pack(len(head), len(body)) + head


def _recv_exactly(sock: socket.socket, n: int) -> bytes | None:
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = sock.recv_into(view[got:], n - got)
        if k == 0:
            return None
        got += k
    return bytes(buf)


def _recv_frame(sock: socket.socket) -> tuple[dict[str, Any], bytes] | None:
    head = _recv_exactly(sock, _HEADER.size)
    if head is None:
        return None
    meta_len, body_len = _HEADER.unpack(head)
    meta = _recv_exactly(sock, meta_len) if meta_len else b"{}"
    body = _recv_exactly(sock, body_len) if body_len else b""
    if meta is None or body is None:
        return None
    return json.loads(meta), body


# --- the worker side (blocking; runs in forked processes) -----------------------------------------------------


def _become(name: bytes) -> None:
    """Linux: be killed when the parent process dies, so no worker outlives its server; and show
    as ``name`` in ``ps -o comm`` and ``top``."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        libc.prctl(15, ctypes.c_char_p(name[:15]))  # PR_SET_NAME
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)


class _Budget:
    """A worker's per-request limits: memory (``RLIMIT_DATA``) and CPU seconds (a backstop).

    The memory budget counts the memory a request makes the worker *take from the kernel*, so it
    must not be able to take memory any other way. Three ways around a limit existed and are shut:

    - **The limit is on writable private memory** (``RLIMIT_DATA``, ``VmData``), not on address
      space (``RLIMIT_AS``, ``VmSize``). A forked worker inherits glibc arenas that threads of the
      parent (pyarrow's among them) opened: 64 MiB each, *reserved* (``PROT_NONE``) and already
      counted in the address space. When the main heap hit an address-space limit, glibc carried on
      in such an arena, making the reserved space writable (``mprotect``) without the address space
      growing: a 24 MB list passed a 16 MiB budget. ``RLIMIT_DATA`` is checked on ``brk``, ``mmap``
      and on that ``mprotect``. (``RLIMIT_AS`` is left alone: Linux lets the ``mprotect`` through
      whenever the address-space limit would refuse it as well, so a tight ``RLIMIT_AS`` *disables*
      the ``RLIMIT_DATA`` check there.)
    - **Every large block is its own mapping**: glibc's mmap threshold is fixed at 128 KiB
      (``mallopt``; left dynamic, it rises to the largest block freed so far, up to 32 MiB, and
      large blocks then reuse heap the worker already holds). Freed, such a block goes back to the
      kernel at once.
    - **Arrow allocates with malloc** (``pyarrow.system_memory_pool``): its default pool, mimalloc,
      reserves 1 GiB of writable address space at first use and hands out buffers from it without
      asking the kernel, which no limit can see.

    What remains is memory the worker already holds, free, in malloc's lists: a request may reuse it
    without the kernel knowing, so it is taken off the request's allowance (``mallinfo2``), and a
    worker that ends a request holding more than a quarter of the budget free is replaced by a fresh
    one. (Python's own small-object pools keep some free blocks too: at most a few MiB.)
    """

    M_MMAP_THRESHOLD = -3
    MMAP_THRESHOLD = 128 * 1024

    def __init__(self, max_memory: int | None, seconds: float | None) -> None:
        import resource

        self.resource = resource
        self.max_memory = max_memory
        self.seconds = seconds
        self.data_limit = resource.getrlimit(resource.RLIMIT_DATA)
        self.cpu_limit = resource.getrlimit(resource.RLIMIT_CPU)
        self.libc: Any = None
        self.statm = -1
        self.free = 0  # what malloc held free after the last request (measured once per request)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a killed worker leaves no core file
        if max_memory:
            self._own_allocations()
            with contextlib.suppress(OSError):  # Linux; elsewhere the memory budget is not enforced
                self.statm = os.open("/proc/self/statm", os.O_RDONLY | os.O_CLOEXEC)  # (read with pread: 2 µs)
            self.free = self.free_held()

    def _own_allocations(self) -> None:
        """Large blocks as their own mappings, Arrow through malloc (see the class docstring)."""
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.mallopt(self.M_MMAP_THRESHOLD, self.MMAP_THRESHOLD)  # glibc; elsewhere absent
            libc.mallinfo2.restype = _MallInfo2
            self.libc = libc
        pyarrow = sys.modules.get("pyarrow")
        if pyarrow is not None:
            pyarrow.set_memory_pool(pyarrow.system_memory_pool())
        else:
            os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"  # read when pyarrow first allocates

    def free_held(self) -> int:
        """Bytes malloc holds free (it may hand them out without asking the kernel); 0 if unknown."""
        if self.libc is None:
            return 0
        return int(self.libc.mallinfo2().fordblks)

    def worn(self) -> bool:
        """Whether this worker holds so much free memory that the next request's budget would shrink
        by more than a quarter: then a fresh worker takes its place."""
        if not self.max_memory:
            return False
        self.free = self.free_held()
        return self.free > self.max_memory // 4

    def _cap(self, which: int, soft: int, hard: int) -> None:
        r = self.resource
        if hard != r.RLIM_INFINITY:
            soft = min(soft, hard)
        with contextlib.suppress(ValueError, OSError):
            r.setrlimit(which, (soft, hard))

    def __enter__(self) -> Self:
        r = self.resource
        if self.max_memory and self.statm >= 0:
            # statm's "data" is VmData plus the stack, in pages
            data = int(os.pread(self.statm, 256, 0).split()[5]) * _PAGE
            allowance = max(self.max_memory - self.free, self.max_memory // 2)
            self._cap(r.RLIMIT_DATA, data + allowance, self.data_limit[1])
        if self.seconds:
            usage = r.getrusage(r.RUSAGE_SELF)
            self._cap(r.RLIMIT_CPU, int(usage.ru_utime + usage.ru_stime + self.seconds) + 2, self.cpu_limit[1])
        return self

    def __exit__(self, *exc: object) -> None:
        r = self.resource
        with contextlib.suppress(ValueError, OSError):
            r.setrlimit(r.RLIMIT_DATA, self.data_limit)
            r.setrlimit(r.RLIMIT_CPU, self.cpu_limit)


class _MallInfo2(ctypes.Structure):
    """glibc's ``struct mallinfo2`` (glibc 2.33+): only ``fordblks``, the free bytes, is read."""

    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def serve_worker(app: App, sock: socket.socket, *, max_memory: int | None, seconds: float | None) -> None:
    """Answer requests from ``sock`` until it closes (the front's way of saying stop)."""
    from layanan_rules.server import logs

    budget = _Budget(max_memory if sys.platform.startswith("linux") else None, seconds)
    while True:
        frame = _recv_frame(sock)
        if frame is None:
            return
        meta, body = frame
        logs.request_id.set(meta.get("request_id"))
        html = bool(meta.get("html"))
        retire: str | None = None
        try:
            with budget:
                response = app.handle(meta["method"], meta["path"], body, meta.get("headers"))
                if budget.max_memory:
                    sock.sendall(_ENCODING)
                payload = response.encode()
        except MemoryError:
            retire = "memory"  # its heap is not reused: a fresh worker takes its place
            log.warning("budget memori terlampaui / memory budget exceeded", extra={"fields": {
                "event": "budget_exceeded", "budget": "memory", "limit": max_memory}})
            response = answer(memory_budget_error(max_memory or 0), html)
            payload = response.encode()
        except Exception:  # a bug past App.handle (e.g. encoding the answer): a 500, the worker goes on
            log.exception("galat internal / internal error: %s", meta["method"])
            response = answer(internal_error(), html)
            payload = response.encode()
        if retire is None and budget.worn():
            retire = "worn"  # it holds much free memory, which the next budget cannot see: a fresh worker
        reply = {"status": response.status, "headers": dict(response.headers), "media_type": response.media_type,
                 "states": response.states, "retire": retire}
        sock.sendall(_head(reply, payload))
        sock.sendall(payload)
        if retire:
            return


class Zygote:
    """A process that holds the loaded app and forks workers on request (see the module docstring).

    Create it before any thread or event loop exists; :meth:`spawn` is thread-safe.
    """

    def __init__(self, worker: Callable[[socket.socket], None]) -> None:
        ours, theirs = socket.socketpair()
        # each worker's temporary files (uploads) go in scratch/<pid>, removed when it is replaced
        # (a worker killed at its deadline cannot clean up) and with the whole folder at the end
        self.scratch = tempfile.mkdtemp(prefix="layanan-rules-serve-")
        gc.collect()
        gc.freeze()  # the loaded rulesets stay shared between the zygote and every worker
        pid = os.fork()
        if pid == 0:  # the zygote
            code = 0
            try:
                ours.close()
                _zygote_loop(theirs, worker, self.scratch)
            except BaseException:  # noqa: BLE001 - a zygote must never return into the caller's code
                code = 1
            finally:
                os._exit(code)
        gc.unfreeze()
        theirs.close()
        self.pid = pid
        self._ctrl = ours
        self._lock = threading.Lock()

    def spawn(self) -> tuple[int, socket.socket]:
        """A new worker: its pid and the socket to talk to it (blocking, a few milliseconds)."""
        with self._lock:
            self._ctrl.sendall(b"F")
            msg, fds, _flags, _addr = socket.recv_fds(self._ctrl, 8, 1)
        if len(msg) != 8 or len(fds) != 1:
            raise RuntimeError("proses zigot berhenti / the zygote process ended")
        return int.from_bytes(msg, "big"), socket.socket(fileno=fds[0])

    def discard(self, pid: int) -> None:
        """Remove what a worker that was killed left in its scratch folder."""
        shutil.rmtree(os.path.join(self.scratch, str(pid)), ignore_errors=True)

    def close(self) -> None:
        """Stop the zygote (it exits when its control socket closes) and remove the scratch folder."""
        self._ctrl.close()
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, 0)
        shutil.rmtree(self.scratch, ignore_errors=True)


def _zygote_loop(ctrl: socket.socket, worker: Callable[[socket.socket], None], scratch: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the front decides
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
    _become(b"layanan-zygote")
    while ctrl.recv(1):
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # a worker
            code = 0
            try:
                ctrl.close()
                ours.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _become(b"layanan-worker")
                with contextlib.suppress(OSError):
                    os.nice(5)  # when CPUs are short, the front (probes, metrics, I/O) goes first
                tempfile.tempdir = os.path.join(scratch, str(os.getpid()))
                os.makedirs(tempfile.tempdir, exist_ok=True)
                worker(theirs)
            except BaseException:
                log.exception("proses pekerja berhenti karena galat / worker process failed")
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        socket.send_fds(ctrl, [pid.to_bytes(8, "big")], [ours.fileno()])
        ours.close()


# --- the front side (asyncio) ---------------------------------------------------------------------------------


@attrs.define(eq=False)
class Worker:
    pid: int
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    encoding: bool = False  # the worker said it is encoding its answer (:data:`_ENCODING`)

    async def call(self, meta: dict[str, Any], body: bytes) -> tuple[dict[str, Any], int]:
        """Send a request; the reply's meta and the length of the body that follows."""
        self.encoding = False
        head = _head(meta, body)
        if len(body) <= 65536:  # one write, one system call
            self.writer.write(head + body)
        else:  # a large upload: not copied
            self.writer.write(head)
            self.writer.write(body)
        await self.writer.drain()
        while True:
            meta_len, body_len = _HEADER.unpack(await self.reader.readexactly(_HEADER.size))
            if meta_len:
                return json.loads(await self.reader.readexactly(meta_len)), body_len
            self.encoding = True

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(self.pid, signal.SIGKILL)
        self.writer.close()


@attrs.frozen
class Streamed:
    """A large answer, passed on to the client in chunks as the worker sends it, so that the front
    never holds a whole report (``response.body`` is empty; ``length`` bytes come from ``chunks``)."""

    response: Response
    length: int
    chunks: AsyncIterator[bytes]


class Pool:
    """``workers`` worker processes forked from a :class:`Zygote`, used one request at a time.

    An answer up to :attr:`STREAM_ABOVE` bytes is read whole and the worker is free at once; a
    larger one is streamed to the client (:class:`Streamed`), and the worker is free once the last
    byte has gone. Sending gets a time budget of its own (``timeout`` again), so a client that
    reads too slowly cannot hold a worker for ever.
    """

    STREAM_ABOVE = 1024 * 1024

    def __init__(self, zygote: Zygote, workers: int, *, timeout: float, max_memory: int | None,
                 metrics: Any = None) -> None:
        self.zygote = zygote
        self.size = workers
        self.timeout = timeout
        self.max_memory = max_memory
        self.metrics = metrics
        self.workers: set[Worker] = set()
        # the worker that finished last takes the next request: its caches are warm (requests
        # still wait in arrival order)
        self._idle: asyncio.LifoQueue[Worker] = asyncio.LifoQueue()
        self._spawning: set[asyncio.Task[None]] = set()
        self._closing = False

    async def start(self) -> None:
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def _spawn(self) -> None:
        loop = asyncio.get_running_loop()
        pid, sock = await loop.run_in_executor(None, self.zygote.spawn)
        reader, writer = await asyncio.open_connection(sock=sock, limit=1 << 20)
        worker = Worker(pid, reader, writer)
        if self._closing:
            worker.kill()
            return
        self.workers.add(worker)
        self._idle.put_nowait(worker)

    def _replace(self, worker: Worker, reason: str) -> None:
        """Kill ``worker`` and fork a fresh one in the background (once, however often it is asked)."""
        if worker not in self.workers:
            return
        worker.kill()
        self.zygote.discard(worker.pid)
        self.workers.discard(worker)
        if self.metrics is not None:
            self.metrics.worker_restarts.labels(reason).inc()
        if not self._closing:
            task = asyncio.get_running_loop().create_task(self._spawn())
            self._spawning.add(task)
            task.add_done_callback(self._spawned)

    def _spawned(self, task: asyncio.Task[None]) -> None:
        self._spawning.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("proses pekerja baru gagal dibuat / could not start a new worker process",
                      exc_info=task.exception())

    def busy(self) -> int:
        """How many workers are answering a request."""
        return len(self.workers) - self._idle.qsize()

    def pids(self) -> list[int]:
        return [w.pid for w in self.workers]

    async def run(self, method: str, path: str, body: bytes, headers: dict[str, str], *,
                  request_id: str | None = None, html: bool = False) -> Response | Streamed:
        """Answer one request in a worker, within the budgets; never raises but on cancellation."""
        if not self._idle.empty():  # the common case: a worker is free, no waiting to set up
            worker = self._idle.get_nowait()
        else:
            try:
                worker = await asyncio.wait_for(self._idle.get(), self.timeout)
            except TimeoutError:
                return answer(unavailable_error(self.timeout), html)
        meta = {"method": method, "path": path, "headers": headers, "request_id": request_id, "html": html}
        try:
            async with asyncio.timeout(self.timeout):
                reply, length = await worker.call(meta, body)
                payload = await worker.reader.readexactly(length) if length <= self.STREAM_ABOVE else None
        except TimeoutError:
            self._replace(worker, "time")
            if self.metrics is not None:
                self.metrics.budget_exceeded.labels("time").inc()
            log.warning("batas waktu terlampaui, proses pekerja dihentikan / time budget exceeded, worker stopped",
                        extra={"fields": {"event": "budget_exceeded", "budget": "time", "limit": self.timeout}})
            return answer(time_budget_error(self.timeout), html)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            if worker.encoding and self.max_memory:  # orjson out of memory (see _ENCODING)
                self._replace(worker, "memory")
                self._over_memory()
                return answer(memory_budget_error(self.max_memory), html)
            self._crashed(worker)
            return answer(internal_error(), html)
        except BaseException:  # cancelled: the shutdown grace period is over
            self._replace(worker, "cancelled")
            raise
        if reply["retire"] == "memory":
            self._over_memory(logged=True)
        states = reply.get("states")
        response = Response(reply["status"], payload or b"", reply["headers"], media_type=reply["media_type"],
                            states=(states[0], states[1]) if states else None)
        if payload is None:
            return Streamed(response, length, self._stream(worker, length, retire=reply["retire"]))
        self._release(worker, retire=reply["retire"])
        return response

    def _release(self, worker: Worker, *, retire: str | None) -> None:
        """Back to the pool, or replaced (``retire``: why, ``memory`` or ``worn``)."""
        if retire:
            self._replace(worker, retire)
        else:
            self._idle.put_nowait(worker)

    def _over_memory(self, *, logged: bool = False) -> None:
        if self.metrics is not None:
            self.metrics.budget_exceeded.labels("memory").inc()
        if not logged:  # (a worker that caught its MemoryError logged it itself)
            log.warning("budget memori terlampaui saat menulis jawaban, proses pekerja berhenti / memory budget "
                        "exceeded while writing the answer, worker stopped", extra={"fields": {
                            "event": "budget_exceeded", "budget": "memory", "limit": self.max_memory}})

    def _crashed(self, worker: Worker) -> None:
        self._replace(worker, "crash")
        log.error("proses pekerja berhenti di tengah permintaan (mungkin kehabisan memori di pustaka native) / "
                  "the worker process ended in the middle of a request (perhaps out of memory in a native library)",
                  extra={"fields": {"event": "worker_crash", "pid": worker.pid}})

    async def _stream(self, worker: Worker, length: int, *, retire: str | None) -> AsyncIterator[bytes]:
        """The body, chunk by chunk; the worker goes back to the pool once all of it was read. A
        client that has not read it all within the time budget loses it: the worker is replaced."""
        watchdog = asyncio.get_running_loop().call_later(self.timeout, self._too_slow, worker)
        outcome = "cut"  # unless it ends well: the client went away, its bytes are still unread
        try:
            left = length
            while left:
                chunk = await worker.reader.read(min(left, self.STREAM_ABOVE))
                if not chunk:
                    raise asyncio.IncompleteReadError(b"", left)
                left -= len(chunk)
                yield chunk
            outcome = "done"
        except (OSError, asyncio.IncompleteReadError):
            outcome = "crash"
            raise
        finally:
            watchdog.cancel()
            if outcome == "done":
                self._release(worker, retire=retire)
            elif worker in self.workers:  # (not already replaced by the watchdog)
                if outcome == "crash":
                    self._crashed(worker)
                else:
                    self._replace(worker, "cancelled")

    def _too_slow(self, worker: Worker) -> None:
        log.warning("klien terlalu lambat membaca jawaban; dihentikan / the client read the answer too slowly; stopped",
                    extra={"fields": {"event": "send_timeout", "limit": self.timeout}})
        self._replace(worker, "send_timeout")

    async def stop(self) -> None:
        """Close every worker (each exits when its socket closes) and the zygote."""
        self._closing = True
        for task in list(self._spawning):
            task.cancel()
        for worker in list(self.workers):
            worker.writer.close()
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline and any(_alive(w.pid) for w in self.workers):
            await asyncio.sleep(0.02)
        for worker in self.workers:
            worker.kill()
        self.workers.clear()
        self.zygote.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError), open(f"/proc/{pid}/stat", "rb") as fh:  # a zombie is not alive
        return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    return True
