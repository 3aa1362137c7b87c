"""Running each rule's own examples (``layanan-rules rules test``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from layanan_rules.data.adapters import Provenance
from layanan_rules.data.dataset import Dataset
from layanan_rules.engine import evaluate_rule
from layanan_rules.model.records import flatten
from layanan_rules.rules.ruleset import Rule, Ruleset

#: examples without their own ``as_of`` are evaluated at this fixed date, so tests never drift
DEFAULT_EXAMPLE_DATE = dt.date(2025, 1, 1)


@attrs.frozen
class ExampleResult:
    rule_id: str
    kind: str  # pass | fail | not_applicable | error
    index: int
    got: str
    message: str | None

    @property
    def ok(self) -> bool:
        return self.got == self.kind


def run_rule_examples(rule: Rule, params: Any) -> list[ExampleResult]:
    results = []
    ex = rule.spec.examples
    for kind, items in (("pass", ex.pass_), ("fail", ex.fail), ("not_applicable", ex.not_applicable), ("error", ex.error)):
        for i, example in enumerate(items):
            as_of = DEFAULT_EXAMPLE_DATE
            record = example
            if isinstance(example, dict) and "record" in example:
                record = example["record"]
                if example.get("as_of"):
                    as_of = example["as_of"] if isinstance(example["as_of"], dt.date) else dt.date.fromisoformat(str(example["as_of"]))
            data = dict(record)
            data.setdefault("id", f"contoh-{kind}-{i + 1}")
            ds = Dataset.from_records(flatten(rule.entity, data, Provenance(f"{rule.id} examples.{kind}[{i}]")))
            main = [r for r in ds.records[rule.entity] if r.id == str(data["id"])]
            [(_rule, _rec, state, _reason, message)] = evaluate_rule(rule, main, params, as_of)
            results.append(ExampleResult(rule.id, kind, i, state.value, message))
    return results


def run_examples(ruleset: Ruleset) -> list[ExampleResult]:
    out: list[ExampleResult] = []
    for rule in ruleset.rules:
        out.extend(run_rule_examples(rule, ruleset.params))
    return out
