"""Every hook layanan-rules offers, in one place.

Built-in functions, rulesets, adapters and reporters are registered through these same hooks,
under the same entry-point group (``layanan_rules``) that third-party packages use. A plugin is
any module or object with functions named like the specs below, decorated with
``layanan_rules.hookimpl``.
"""

from __future__ import annotations

from typing import Any

import pluggy

# This module sits on the bottom floor, beside the expression language: every floor that offers a
# built-in plugin imports ``hookimpl`` from here, so the specs name the classes they return in
# words, not imports (an import here would run back up the house). A spec's body only raises:
# pluggy reads its name, signature and docstring and calls the plugins' implementations, never it.

PROJECT = "layanan_rules"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_functions() -> list[Any]:
    """Return expression functions that rules may call.

    Each item is a :class:`layanan_rules.expr.functions.Function`: a name, its Python
    implementation, the declared argument and result types (used at load time to check rules),
    and a bilingual description. Names must be unique across all plugins; a clash is a
    load-time error naming both plugins.
    """
    raise NotImplementedError


@hookspec
def register_rulesets() -> list[Any]:
    """Return rulesets this plugin ships, as :class:`layanan_rules.rules.registry.RulesetSource`
    (an id and a directory).

    ``layanan-rules rules list`` shows them and ``--ruleset ID`` selects one. A regional rule
    pack (Perda) is a plugin that implements only this hook.
    """
    raise NotImplementedError


@hookspec
def register_adapters() -> list[type[Any]]:
    """Return adapter classes that read provider data from a source.

    An adapter class has a ``name``, a bilingual ``description``, the ``extensions`` and URL
    ``schemes`` it accepts (the most specific claim wins; an optional classmethod
    ``accepts(location)`` returns its own priority), and yields
    :class:`layanan_rules.data.adapters.RawRecord` objects from ``read()``. See
    :mod:`layanan_rules.data.adapters` for the full contract.
    """
    raise NotImplementedError


@hookspec
def register_reporters() -> list[Any]:
    """Return reporters that render a Report (``--format NAME``).

    Each item is a :class:`layanan_rules.report.reporters.Reporter`: a name, a file extension, whether
    it writes bytes or text, and a ``render(report, stream, options)`` function.
    """
    raise NotImplementedError


@hookspec
def register_commands(cli: Any) -> None:
    """Add click commands or groups to ``cli`` (a ``click.Group``: the ``layanan-rules`` command)."""
