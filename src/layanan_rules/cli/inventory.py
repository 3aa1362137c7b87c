"""``plugins``, ``adapters``, ``formats``: what is installed, as text or ``--json``."""

from __future__ import annotations

import json
from typing import Any

import click

from layanan_rules.cli.common import plugin_manager

_JSON = click.option("--json", "as_json", is_flag=True, help="Keluaran JSON / JSON output (for scripts).")


def _emit(rows: list[dict[str, Any]], as_json: bool, line: Any) -> None:
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for row in rows:
            click.echo(line(row))


@click.command("plugins")
@_JSON
def plugins_cmd(as_json: bool) -> None:
    """Daftar plugin terpasang beserta hook-nya / list installed plugins and their hooks.

    Plugin pihak ketiga dimuat dari entry point `layanan_rules`; matikan dengan
    LAYANAN_RULES_DISABLE_PLUGIN_AUTOLOAD=1 / third-party plugins load from the `layanan_rules`
    entry points; turn that off with LAYANAN_RULES_DISABLE_PLUGIN_AUTOLOAD=1.
    """
    from layanan_rules import plugins

    pm = plugin_manager()
    rows = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda x: x[0]):
        if plugin is None:
            continue
        dist, version = plugins.plugin_distribution(name)
        hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
        rows.append({"name": name, "distribution": dist, "version": version, "hooks": hooks})
    _emit(rows, as_json,
          lambda r: f"{r['name']}  ({r['distribution']} {r['version']})  hooks: {', '.join(r['hooks'])}")


@click.command("adapters")
@_JSON
def adapters_cmd(as_json: bool) -> None:
    """Daftar adapter sumber data / list data adapters and what each reads."""
    from layanan_rules import plugins
    from layanan_rules.data.sources import available

    rows = []
    cls: Any
    for name, (cls, plugin) in sorted(available(plugin_manager()).items()):
        dist, version = plugins.plugin_distribution(plugin)
        rows.append({"name": name, "extensions": list(cls.extensions), "schemes": list(cls.schemes),
                     "distribution": dist, "version": version, "description": cls.description})
    _emit(rows, as_json, lambda r: (
        f"{r['name']:14} {', '.join(r['extensions'] + [s + '://' for s in r['schemes']]):40} "
        f"{r['distribution']} {r['version']}  {r['description']}"))


@click.command("formats")
@_JSON
def formats_cmd(as_json: bool) -> None:
    """Daftar format laporan / list report formats."""
    from layanan_rules.report.reporters import available

    rows = [{"name": name, "extension": r.extension, "binary": r.binary, "description": r.description}
            for name, r in sorted(available(plugin_manager()).items())]
    _emit(rows, as_json, lambda r: f"{r['name']:10} .{r['extension']:6} {r['description']}")
