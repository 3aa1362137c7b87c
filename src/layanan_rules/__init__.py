"""layanan-rules: check public-service providers against UU 25/2009 with declarative rules.

The stable public API::

    from layanan_rules import load_ruleset, evaluate
    ruleset = load_ruleset("uu-25-2009")            # or a folder path
    report = evaluate(ruleset, data, as_of=date(2025, 1, 31))
    for f in report.findings: f.rule_id, f.entity, f.entity_id, f.state, f.evidence, f.provenance
    report.to_dict()

Names are imported when first used (PEP 562), so ``import layanan_rules`` and the command line
start fast; ``layanan_rules.<name>`` and ``from layanan_rules import <name>`` work as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from layanan_rules import expr as _expr
from layanan_rules._version import __version__ as __version__

#: public name -> module that defines it
_EXPORTS = {
    "load_ruleset": "layanan_rules.rules.registry", "evaluate": "layanan_rules.api",
    "read_data": "layanan_rules.data.sources",
    "DataError": "layanan_rules.model.records", "Dataset": "layanan_rules.data.dataset",
    "Finding": "layanan_rules.report.findings", "Report": "layanan_rules.report.findings",
    "State": "layanan_rules.engine.states", "Reason": "layanan_rules.engine.states",
    "Severity": "layanan_rules.rules.rulefile",
    "Problem": "layanan_rules.rules.ruleset", "Rule": "layanan_rules.rules.ruleset",
    "Ruleset": "layanan_rules.rules.ruleset", "RulesetError": "layanan_rules.rules.ruleset",
    "hookimpl": "layanan_rules.hookspecs",
    # for adapter plugin authors: the contract in one import
    "BaseAdapter": "layanan_rules.data.adapters", "AdapterError": "layanan_rules.data.adapters",
    "RawRecord": "layanan_rules.model.records", "Provenance": "layanan_rules.model.records",
    "CellIssue": "layanan_rules.model.records",
}

__all__ = [
    "AdapterError",
    "BaseAdapter",
    "CellIssue",
    "DataError",
    "Dataset",
    "Finding",
    "Problem",
    "Provenance",
    "RawRecord",
    "Reason",
    "Report",
    "Rule",
    "Ruleset",
    "RulesetError",
    "Severity",
    "State",
    "evaluate",
    "hookimpl",
    "load_ruleset",
    "read_data",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'layanan_rules' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


def _domain_functions() -> Any:
    from layanan_rules.rules.functions import default_functions

    return default_functions()


def _expression_budget() -> tuple[int, float]:
    from layanan_rules import inputs

    limits = inputs.current()
    return limits.expr_steps, limits.expr_seconds


# The expression language knows nothing of the law: the composition root hands it the domain
# functions (hari, hari_kerja, proporsi ...) that ``layanan_rules.expr.evaluate`` offers by default,
# and the budget of one evaluation (the configured expr_steps and expr_seconds limits).
_expr.set_default_functions(_domain_functions)
_expr.set_default_budget(_expression_budget)

if TYPE_CHECKING:
    from layanan_rules.api import evaluate
    from layanan_rules.data.adapters import AdapterError, BaseAdapter
    from layanan_rules.data.dataset import Dataset
    from layanan_rules.data.sources import read_data
    from layanan_rules.engine.states import Reason, State
    from layanan_rules.hookspecs import hookimpl
    from layanan_rules.model.records import CellIssue, DataError, Provenance, RawRecord
    from layanan_rules.report.findings import Finding, Report
    from layanan_rules.rules.registry import load_ruleset
    from layanan_rules.rules.rulefile import Severity
    from layanan_rules.rules.ruleset import Problem, Rule, Ruleset, RulesetError
