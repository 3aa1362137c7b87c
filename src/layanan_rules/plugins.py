"""The plugin manager factory: built-ins and third-party plugins load through one path."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from importlib import metadata

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
)


#: plugin name -> (distribution, version) for plugins loaded from entry points.
_DISTS: dict[str, tuple[str, str]] = {}


def _warn(message: str) -> None:
    print(message, file=sys.stderr)


def get_plugin_manager(
    *, entry_points: bool = True, on_broken: Callable[[str], None] = _warn
) -> pluggy.PluginManager:
    """Build a fresh PluginManager with the built-in plugins and, optionally, installed ones.

    A third-party plugin that fails to import is reported by name through ``on_broken`` (stderr
    by default) and skipped, so one broken package cannot take the command line down.
    """
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
