"""What evaluation decides: one state per (rule, entity) pair, and the engine's compact results."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

import attrs


class State(enum.Enum):
    """The one state of a (rule, entity) pair."""

    pass_ = "pass"
    fail = "fail"
    not_applicable = "not_applicable"
    error = "error"
    waived = "waived"

    def __str__(self) -> str:
        return self.value


class Reason(enum.Enum):
    """Why a finding is an ``error``: machine-readable."""

    missing_field = "missing_field"
    malformed_value = "malformed_value"
    #: the rule reads a field whose column was not recognised ("did you mean ...?"): not absent, unread
    unrecognised_column = "unrecognised_column"
    function_failure = "function_failure"
    expression_error = "expression_error"
    not_boolean = "not_boolean"
    unreadable_record = "unreadable_record"
    source_unavailable = "source_unavailable"
    budget_exceeded = "budget_exceeded"  # the rule cost more than expr_steps / expr_seconds on this record


#: the engine's results for one rule: ``(rule, records, states, errors)``, the states in the
#: order of the records, ``errors`` mapping a record's index to ``(reason, message)``. A list of
#: states costs a fraction of a Finding per pair, so a large run builds Findings only if asked.
Block = tuple[Any, Sequence[Any], list[Any], dict[int, tuple[Any, Any]]]


@attrs.frozen
class SkippedRule:
    """A rule not evaluated, with why (outside its validity dates at ``as_of``)."""

    rule_id: str
    reason: str
