"""A loaded ruleset kept on disk, so a command does not re-read and re-check the same YAML.

When every file of a ruleset folder, the rule format and the model are as they were, loading
skips the YAML, the structuring and the check of the rules' examples (all of which passed when
the entry was written: only rulesets that loaded without a problem are kept), and compiles each
expression through the expression cache (:mod:`layanan_rules.expr.cache`). The entry is a pickle
of the rule specs (frozen attrs classes of :mod:`layanan_rules.rules.rulefile`), in the same
user-private folder and with the same switch (``LAYANAN_RULES_NO_CACHE=1``).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from layanan_rules.expr import cache as expr_cache

#: the modules whose code decides what a loaded ruleset is
_MODULES = ("layanan_rules.rules.rulefile", "layanan_rules.rules.ruleset", "layanan_rules.rules.yamlpos",
            "layanan_rules.model.entities", "layanan_rules.model.convert", "layanan_rules.model.parsing",
            *(f"layanan_rules.model.parsing.{name}" for name in ("common", "dates", "numbers", "cases", "biaya",
                                                                 "durasi", "yesno", "lists", "peraturan", "maklumat",
                                                                 "peserta")))


@functools.cache
def _code_fingerprint() -> str:
    import importlib

    h = hashlib.sha256(expr_cache.compiler_fingerprint().encode())
    for name in _MODULES:
        importlib.import_module(name)
        h.update(f"{name}:{expr_cache.module_fingerprint(name)}".encode())
    return h.hexdigest()


def key(files: list[Path], functions: Mapping[str, Any]) -> str | None:
    """The key of a ruleset made of ``files`` (its ruleset.yaml and rule files), or None."""
    if expr_cache.root() is None:
        return None
    h = hashlib.sha256(_code_fingerprint().encode())
    h.update(expr_cache.functions_fingerprint(functions).encode())
    try:
        for f in files:
            h.update(b"\0" + str(f.resolve()).encode() + b"\0" + f.read_bytes())
    except OSError:
        return None
    return h.hexdigest()


def _path(cache_key: str) -> Path | None:
    base = expr_cache.root()
    return base / "rulesets" / cache_key if base is not None else None


def load(cache_key: str) -> Any:
    path = _path(cache_key)
    if path is None:
        return None
    try:
        return pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - missing, stale or damaged: load the YAML
        return None


def store(cache_key: str, entry: Any) -> None:
    path = _path(cache_key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return
