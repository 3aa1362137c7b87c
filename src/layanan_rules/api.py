"""The Python API in one place: load a ruleset, read data, evaluate.

``load_ruleset`` comes from the rules room, ``read_data`` from the data room; ``evaluate`` joins
the engine's results into a :class:`~layanan_rules.report.findings.Report`.
``from layanan_rules import evaluate`` names these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from layanan_rules.data.sources import read_data
from layanan_rules.rules.registry import load_ruleset

if TYPE_CHECKING:
    from layanan_rules.data.dataset import Dataset
    from layanan_rules.report.findings import Report
    from layanan_rules.rules.ruleset import Ruleset

__all__ = ["evaluate", "load_ruleset", "read_data"]


def evaluate(ruleset: Ruleset, data: Dataset | Mapping[str, Any], *, as_of: dt.date | None = None) -> Report:
    """Evaluate ``ruleset`` over ``data`` (a Dataset or the plain JSON form) as the law stood on
    ``as_of`` (default: today, stated in the report). The same input gives the same report."""
    from layanan_rules import engine
    from layanan_rules.report.findings import Report

    return Report.of(engine.run(ruleset, data, as_of=as_of))
