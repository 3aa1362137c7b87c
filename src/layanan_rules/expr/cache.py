"""A disk cache of compiled expressions, so a process does not re-check and re-generate the
same rules every time it starts (the bundled ruleset: ~150 expressions, most of a command's
start-up before this cache).

What is stored is what :func:`layanan_rules.expr.compile` produced: the generated Python source,
its code object (``marshal``, as Python's own ``__pycache__`` does), the static field reads, and a
*recipe* for every constant the code refers to (a number, a date, a type, a regular expression's
pattern, a registered function's name): nothing is pickled, and functions are looked up in the
live registry when a program is restored. The key covers everything the generated code depends
on: the expression's text, the declared types (their fields, recursively), the functions'
signatures and inline forms, the compiler's own source, and the Python version. Only programs
that compiled without errors are stored; errors are always computed afresh, with positions.

The folder is ``$LAYANAN_RULES_CACHE_DIR``, else ``$XDG_CACHE_HOME/layanan-rules``, else
``~/.cache/layanan-rules``; it is created private to the user (it holds code, as ``__pycache__``
does). ``LAYANAN_RULES_NO_CACHE=1`` turns the cache off; a folder that cannot be written simply
means no cache.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
import marshal
import os
import sys
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

ENV_DIR = "LAYANAN_RULES_CACHE_DIR"
ENV_OFF = "LAYANAN_RULES_NO_CACHE"

#: A stored program: (python source, marshalled code, reads, returns_bool, constant recipes,
#: (name in the code, registered name) of every function it calls)
Payload = tuple[str, bytes, tuple[str, ...], bool, tuple[tuple[str, str, Any], ...], tuple[tuple[str, str], ...]]


def root() -> Path | None:
    """The cache folder of layanan-rules, or None when caching is off."""
    env = os.environ
    return _root(env.get(ENV_OFF, ""), env.get(ENV_DIR, ""), env.get("XDG_CACHE_HOME", ""))


def directory() -> Path | None:
    """Where compiled expressions are kept, or None when the cache is off."""
    base = root()
    return base / f"expr-{compiler_fingerprint()[:16]}" if base is not None else None


@functools.lru_cache(maxsize=8)
def _root(off: str, base: str, xdg: str) -> Path | None:
    if off.strip().lower() in ("1", "true", "yes", "ya"):
        return None
    if base:
        return Path(base)
    return (Path(xdg) if xdg else Path.home() / ".cache") / "layanan-rules"


@functools.cache
def compiler_fingerprint() -> str:
    """The compiler's own code and the interpreter: a new version of either is a new cache."""
    h = hashlib.sha256(sys.version.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def key(source: str, declarations: Mapping[str, Any], functions: Mapping[str, Any]) -> str:
    """The cache key of one expression compiled against these declarations and functions."""
    h = hashlib.sha256(source.encode("utf-8", "surrogatepass"))
    for name, tp in declarations.items():
        h.update(f"\0{name}={type_fingerprint(tp)}".encode())
    h.update(b"\0functions=" + functions_fingerprint(functions).encode())
    return h.hexdigest()


def load(cache_key: str) -> Payload | None:
    folder = directory()
    if folder is None:
        return None
    try:
        data = (folder / cache_key[:2] / cache_key).read_bytes()
        payload = marshal.loads(data)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return payload if isinstance(payload, tuple) and len(payload) == 6 else None


def store(cache_key: str, payload: Payload) -> None:
    folder = directory()
    if folder is None:
        return
    try:
        sub = folder / cache_key[:2]
        sub.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = sub / f".{cache_key}.{os.getpid()}.tmp"
        tmp.write_bytes(marshal.dumps(payload))
        os.replace(tmp, sub / cache_key)  # atomic: a reader sees the whole file or none
    except (OSError, ValueError):
        return


# ------------------------------------------------------------------ fingerprints


@functools.cache
def type_fingerprint(tp: Any) -> str:
    """A text that changes whenever anything the checker reads of ``tp`` may change: for a class,
    its fields as written and the source of the module defining it (which holds the classes its
    fields name); for ``X | None``, ``tuple[X, ...]`` and the like, the same of every part."""
    parts = [_name(tp)]
    stack = [tp]
    while stack:
        t = stack.pop()
        stack.extend(typing.get_args(t))
        if attrs.has(t):
            fields = [(f.name, f.type if isinstance(f.type, str) else _name(f.type)) for f in attrs.fields(t)]
            parts.append(f"{_name(t)}{fields}@{module_fingerprint(t.__module__)}")
        elif isinstance(t, type) and issubclass(t, enum.Enum):
            parts.append(f"{_name(t)}{[m.value for m in t]}")
    return "|".join(parts)


@functools.cache
def module_fingerprint(module: str) -> str:
    """A hash of the source of an imported module (``-`` when it has none)."""
    mod = sys.modules.get(module)
    path = getattr(mod, "__file__", None)
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16] if path else "-"
    except OSError:
        return "-"


def _name(tp: Any) -> str:
    if isinstance(tp, type):
        return f"{tp.__module__}.{tp.__qualname__}"
    return repr(tp)


_functions_seen: dict[int, tuple[Mapping[str, Any], str]] = {}


def functions_fingerprint(functions: Mapping[str, Any]) -> str:
    """A hash of every function's name, signature and inline forms."""
    hit = _functions_seen.get(id(functions))
    if hit is not None and hit[0] is functions:
        return hit[1]
    h = hashlib.sha256()
    for name in sorted(functions):
        fn = functions[name]
        sig = (name, [type_fingerprint(p) for p in fn.params], type_fingerprint(fn.returns),
               fn.receiver, fn.predicate, fn.inline)
        h.update(repr(sig).encode())
    digest = h.hexdigest()
    _functions_seen[id(functions)] = (functions, digest)
    return digest


# ------------------------------------------------------------------ constants as recipes


def recipe_of(value: Any) -> tuple[str, Any] | None:
    """How to make ``value`` again in another process, or None when it cannot be stored."""
    from .runtime import UInt

    t = type(value)
    if t is UInt:
        return ("uint", int(value))
    if value is None or t in (bool, int, float, str, bytes):
        return ("value", value)
    if t is dt.datetime:
        return ("timestamp", value.isoformat())
    if t is dt.date:
        return ("date", value.isoformat())
    if t is dt.timedelta:
        return ("duration", (value.days, value.seconds, value.microseconds))
    return None


def make(kind: str, data: Any) -> Any:
    """The constant a recipe describes."""
    from . import runtime as rt

    if kind == "value":
        return data
    if kind == "uint":
        return rt.UInt(data)
    if kind == "timestamp":
        return dt.datetime.fromisoformat(data)
    if kind == "date":
        return dt.date.fromisoformat(data)
    if kind == "duration":
        return dt.timedelta(days=data[0], seconds=data[1], microseconds=data[2])
    if kind == "type":
        return rt.TYPE_CONSTANTS[data]
    if kind == "regex":
        from .regex import const_regex

        return const_regex(data)
    raise ValueError(f"unknown recipe {kind!r}")
