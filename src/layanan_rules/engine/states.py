"""What evaluation decides: one state per (rule, entity) pair, and the engine's compact results."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
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
Block = tuple[Any, Sequence[Any], Sequence[Any], dict[int, tuple[Any, Any]]]


_ALL = tuple(State)
_CODE_OF_ID = {id(s): i for i, s in enumerate(_ALL)}
#: code -> state: ``map`` over the codes calls a dict's ``__getitem__`` directly, a tuple's through
#: a slot wrapper (about two thirds of the cost a state: ``Report.counts_by_rule`` lists every block)
_STATE_OF_CODE = dict(enumerate(_ALL))


class States(Sequence[State]):
    """A block's states as one byte each (the code is the state's place in :class:`State`), for
    large blocks: a list holds 8 bytes a state, which at 26 million (rule, record) pairs was 212 MB
    beside the findings table. Reads as a sequence of :class:`State` (slices are lists)."""

    __slots__ = ("codes",)

    def __init__(self, states: Iterable[State]) -> None:
        self.codes = bytes(map(_CODE_OF_ID.__getitem__, map(id, states)))

    @classmethod
    def of_codes(cls, codes: bytes) -> States:
        """The states whose codes are ``codes`` (:meth:`code_of` of each), as they are."""
        out = cls.__new__(cls)
        out.codes = codes
        return out

    @staticmethod
    def code_of(state: State) -> int:
        """The one-byte code of ``state``."""
        return _CODE_OF_ID[id(state)]

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return list(map(_STATE_OF_CODE.__getitem__, self.codes[index]))
        return _ALL[self.codes[index]]

    def __iter__(self) -> Iterator[State]:
        return map(_STATE_OF_CODE.__getitem__, self.codes)

    def count(self, value: Any) -> int:
        code = _CODE_OF_ID.get(id(value))
        return 0 if code is None else self.codes.count(code)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, States):
            return self.codes == other.codes
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"States({list(self)!r})"


#: blocks of at least this many records keep their states as :class:`States`
COMPACT_FROM = 4_096


@attrs.frozen
class SkippedRule:
    """A rule not evaluated, with why (outside its validity dates at ``as_of``)."""

    rule_id: str
    reason: str
