"""Where rulesets come from: the bundled ones (a plugin like any other) and paths on disk."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from layanan_rules.hookspecs import hookimpl

DEFAULT_RULESET = "uu-25-2009"


@attrs.frozen
class RulesetSource:
    """A ruleset a plugin ships: its id and the folder holding ``ruleset.yaml``."""

    id: str
    path: Path
    plugin: str = ""


@hookimpl
def register_rulesets() -> list[RulesetSource]:
    root = resources.files("layanan_rules.rulesets")
    out = []
    for entry in root.iterdir():
        if entry.is_dir() and entry.joinpath("ruleset.yaml").is_file():
            out.append(RulesetSource(entry.name, Path(str(entry))))
    return sorted(out, key=lambda s: s.id)


def available(pm: Any) -> Mapping[str, RulesetSource]:
    """Every registered ruleset by id."""
    found: dict[str, RulesetSource] = {}
    for impl in pm.hook.register_rulesets.get_hookimpls():
        for src in impl.function() or []:
            found.setdefault(src.id, attrs.evolve(src, plugin=impl.plugin_name))
    return found


class UnknownRuleset(LookupError):
    pass


def resolve(id_or_path: str | Path, pm: Any) -> Path:
    """A ruleset id (``uu-25-2009``) or a folder/``ruleset.yaml`` path -> the folder."""
    p = Path(id_or_path)
    if p.exists():
        return p.parent if p.is_file() else p
    known = available(pm)
    if str(id_or_path) in known:
        return known[str(id_or_path)].path
    hint = difflib.get_close_matches(str(id_or_path), known, n=1)
    raise UnknownRuleset(
        f"ruleset '{id_or_path}' tidak ditemukan (bukan id terdaftar maupun folder) / "
        f"ruleset '{id_or_path}' not found (neither a registered id nor a folder)"
        + (f"; maksud Anda / did you mean '{hint[0]}'?" if hint else "")
        + f" — tersedia / available: {', '.join(known) or '-'}"
    )


def load_ruleset(id_or_path: str | Path = DEFAULT_RULESET, *, plugin_manager: Any = None) -> Any:
    """Load and compile a ruleset by id (bundled or from a plugin) or from a folder path.

    Returns a :class:`layanan_rules.rules.ruleset.Ruleset`; raises ``RulesetError`` listing every
    problem (file:line:column, rule id, message).
    """
    from layanan_rules import plugins
    from layanan_rules.rules import functions
    from layanan_rules.rules.ruleset import load_path

    pm = plugin_manager or plugins.get_plugin_manager()
    return load_path(resolve(id_or_path, pm), functions.registry_from(pm))
