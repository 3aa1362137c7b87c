"""layanan-rules: check public-service providers against UU 25/2009 with declarative rules.

The stable public API::

    from layanan_rules import load_ruleset, evaluate
    ruleset = load_ruleset("uu-25-2009")            # or a folder path
    report = evaluate(ruleset, data, as_of=date(2025, 1, 31))
    for f in report.findings: f.rule_id, f.entity, f.entity_id, f.state, f.evidence, f.provenance
    report.to_dict()
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from layanan_rules.dataset import DataError, Dataset
from layanan_rules.engine import evaluate
from layanan_rules.hookspecs import hookimpl
from layanan_rules.report import Finding, Reason, Report, State
from layanan_rules.rulefile import Severity
from layanan_rules.ruleset import Problem, Rule, Ruleset, RulesetError

__all__ = [
    "DataError", "Dataset", "Finding", "Problem", "Reason", "Report", "Rule", "Ruleset", "RulesetError",
    "Severity", "State", "evaluate", "hookimpl", "load_ruleset", "read_data",
]


def load_ruleset(id_or_path: str | Path = "uu-25-2009", *, plugin_manager: Any = None) -> Ruleset:
    """Load and compile a ruleset by id (bundled or from a plugin) or from a folder path.

    Raises :class:`RulesetError` listing every problem (file:line:column, rule id, message).
    """
    from layanan_rules import functions, plugins, rulesets_registry
    from layanan_rules.ruleset import load_path

    pm = plugin_manager or plugins.get_plugin_manager()
    folder = rulesets_registry.resolve(id_or_path, pm)
    return load_path(folder, functions.registry_from(pm))


def read_data(location: str | Path, *, adapter: str | None = None, options: dict[str, Any] | None = None,
              plugin_manager: Any = None) -> Dataset:
    """Read provider data from a file or URL through an adapter plugin (chosen by name or inferred)."""
    from layanan_rules import plugins, sources

    pm = plugin_manager or plugins.get_plugin_manager()
    return sources.read(str(location), pm, adapter=adapter, options=options or {})
