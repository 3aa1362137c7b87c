"""The plugin manager factory: built-ins and third-party plugins load through one path."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Callable
from importlib import metadata
from typing import Any

import pluggy

from layanan_rules import hookspecs

#: Built-in plugins, registered through the same hooks third-party plugins use. They are also
#: declared under the ``layanan_rules`` entry-point group in pyproject.toml; when the package is
#: installed, the entry points win and these module names are a fallback for source checkouts.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "layanan_rules.rules.functions",
    "layanan_rules.rules.registry",
    "layanan_rules.report.reporters",
    "layanan_rules.data.jsonfile",
    "layanan_rules.data.parquet",
)


#: plugin name -> (distribution, version) for plugins loaded from entry points.
_DISTS: dict[str, tuple[str, str]] = {}


def _warn(message: str) -> None:
    print(message, file=sys.stderr)


#: Set to 1 (or true/yes) to load only the built-in plugins, as ``PYTEST_DISABLE_PLUGIN_AUTOLOAD`` does.
DISABLE_AUTOLOAD = "LAYANAN_RULES_DISABLE_PLUGIN_AUTOLOAD"


def autoload_enabled() -> bool:
    """False when :data:`DISABLE_AUTOLOAD` is set in the environment."""
    return os.environ.get(DISABLE_AUTOLOAD, "").strip().lower() not in ("1", "true", "yes", "ya")


def get_plugin_manager(
    *, entry_points: bool | None = None, on_broken: Callable[[str], None] = _warn
) -> pluggy.PluginManager:
    """Build a fresh PluginManager with the built-in plugins and, optionally, installed ones.

    ``entry_points`` (default: on, unless :data:`DISABLE_AUTOLOAD` is set) loads third-party
    plugins from the ``layanan_rules`` entry-point group. A plugin that fails to import is reported
    by name through ``on_broken`` (stderr by default) and skipped, so one broken package cannot take
    the command line down.
    """
    if entry_points is None:
        entry_points = autoload_enabled()
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        if pm.get_plugin(name) is None:
            pm.register(importlib.import_module(name), name=name)
    if entry_points:
        for ep in metadata.entry_points(group=hookspecs.PROJECT):
            if pm.get_plugin(ep.value) is not None or pm.has_plugin(ep.name):
                continue
            try:
                plugin = ep.load()
            except Exception as exc:  # noqa: BLE001 - a third-party import can fail in any way
                dist = ep.dist.name if ep.dist else "?"
                on_broken(
                    f"peringatan: plugin '{ep.name}' ({dist}) gagal dimuat dan dilewati: {exc} / "
                    f"warning: plugin '{ep.name}' ({dist}) failed to load and was skipped"
                )
                continue
            if pm.is_registered(plugin):
                continue
            pm.register(plugin, name=ep.name)
            if ep.dist is not None:
                _DISTS[ep.name] = (ep.dist.name, ep.dist.version)
    pm.check_pending()
    return pm


def plugin_distribution(name: str) -> tuple[str, str]:
    """The (distribution, version) a plugin came from; built-ins report this package."""
    if name in _DISTS:
        return _DISTS[name]
    return ("layanan-rules", metadata.version("layanan-rules"))


def lazy_import(name: str) -> Any:
    """``name`` as a module that is loaded on first attribute access (stdlib ``LazyLoader``).

    For plugins that wrap a heavy library (SQLAlchemy, httpx): every command loads every plugin,
    so a plugin should not make ``layanan-rules --version`` wait for a database driver.
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
