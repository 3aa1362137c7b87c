"""Regular expressions with CEL's semantics (RE2's syntax, a search) in time linear in the input.

RE2 (``google-re2``) answers every ``matches``; Python's ``re`` stands in as its faster "twin" only
where :func:`twin_limit` proves the backtracking bounded for the input's length. The same
structural bound decides which patterns the SQL back end may hand to a backtracking engine
(``expr/sql/regex.py``). Every failure is a :class:`CelError` (``regex_cost``, ``invalid_argument``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Protocol

from .errors import err

try:  # linear-time regular expressions (RE2), as CEL specifies
    import re2 as _re2

    _re2_options = _re2.Options()
    _re2_options.max_mem = 8 << 20
    HAVE_RE2 = True
except Exception:  # noqa: BLE001  # pragma: no cover - fallback without google-re2
    _re2 = None
    HAVE_RE2 = False

MAX_PATTERN = 1000


class Regex(Protocol):
    """A compiled pattern, RE2's or Python's: only ``search`` is used (its result tested for None)."""

    def search(self, text: str, /) -> object: ...


@lru_cache(maxsize=512)
def compile_regex(pattern: str) -> Regex:
    if len(pattern) > MAX_PATTERN:
        raise err("regex_cost", "pola regex terlalu panjang", "regular expression too long")
    if HAVE_RE2:
        try:
            rx: Regex = _re2.compile(pattern, _re2_options)  # google-re2 ships no type hints
            return rx
        except Exception as e:  # noqa: BLE001
            raise err("invalid_argument", f"regex tidak sah: {e}", f"invalid regular expression: {e}") from None
    if not twin_limit(pattern):  # without RE2, only patterns whose backtracking is bounded
        raise err("regex_cost", "pola regex berisiko lambat", "regular expression may backtrack catastrophically")
    try:
        return re.compile(pattern)
    except re.error as e:
        raise err("invalid_argument", f"regex tidak sah: {e}", f"invalid regular expression: {e}") from None


#: Python's own engine is ~15x faster per call than the RE2 wrapper on short text, but it
#: backtracks: ``a*a*b`` searched in 3,000 ``a`` takes seconds. A pattern may use it (its "twin")
#: only when :func:`twin_limit` proves the backtracking bounded: no back-reference, look-around,
#: group or alternation under a repeat, and (unbounded quantifiers + 1 if the search is not anchored
#: at the start) = the degree d of the polynomial, with at most :data:`TWIN_STEPS` = n**d steps for
#: an input of n characters. Longer inputs, and every other pattern, go to RE2 (linear time).
TWIN_STEPS = 1_000_000
MAX_INPUT_FAST = 10_000
#: A bounded repeat above this many is counted as unbounded (``a{0,999}`` backtracks like ``a*``).
SMALL_REPEAT = 16
NOT_FAST = re.compile(r"\\[1-9]|\(\?[=!<]|\(\?P=|\\[pPzZCQE]|\(\?[a-zA-Z]")


def dollar_as_end_of_text(pattern: str) -> str:
    out, in_class, escaped = [], False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "$":
            ch = "\\Z"
        out.append(ch)
    return "".join(out)


REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}
NESTING = {"SUBPATTERN", "BRANCH", "ATOMIC_GROUP"} | REPEATS


def degree(items: Any) -> int | None:
    """Unbounded quantifiers in a parsed pattern, or None when a repeat holds a group or branch."""
    total = 0
    for op, av in items:
        name = str(op)
        if name in REPEATS:
            _lo, hi, body = av
            if any(str(o) in NESTING for o, _ in body):
                return None  # (a|aa)*, (a+)+: exponential
            if hi > SMALL_REPEAT:
                total += 1
        elif name == "SUBPATTERN":
            inner = degree(av[-1])
            if inner is None:
                return None
            total += inner
        elif name == "BRANCH":
            degrees = [degree(branch) for branch in av[1]]
            known = [d for d in degrees if d is not None]
            if len(known) != len(degrees):
                return None
            total += max(known, default=0)
        elif name in ("ATOMIC_GROUP", "GROUPREF", "GROUPREF_EXISTS", "ASSERT", "ASSERT_NOT"):
            return None
    return total


def twin_limit(pattern: str) -> int:
    """The longest input for which Python's ``re`` may stand in for RE2 on ``pattern`` (0: never).

    The bound is structural, not timed: a backtracking search costs at most about n**d steps
    for d = :func:`degree` (+1 when not anchored at the start); the twin is used while that is
    at most :data:`TWIN_STEPS`.
    """
    if NOT_FAST.search(pattern):
        return 0
    try:
        from re import _parser  # type: ignore[attr-defined]  # typeshed has no re._parser (CPython >= 3.11)

        parsed = _parser.parse(pattern)
    except Exception:  # noqa: BLE001
        return 0
    items = list(parsed)
    d = degree(items)
    if d is None:
        return 0
    anchored = bool(items) and str(items[0][0]) == "AT" and str(items[0][1]) in ("AT_BEGINNING", "AT_BEGINNING_STRING")
    if not anchored:
        d += 1
    if d <= 1:
        return MAX_INPUT_FAST
    limit = round(TWIN_STEPS ** (1.0 / d))
    return min(MAX_INPUT_FAST, limit) if limit >= 32 else 0


@lru_cache(maxsize=512)
def fast_regex(pattern: str) -> TwinRegex | None:
    """A Python ``re`` twin of a safe RE2 pattern and the longest input it may see, or None."""
    if not HAVE_RE2:
        return None
    limit = twin_limit(pattern)
    if not limit:
        return None
    try:
        return TwinRegex(re.compile(dollar_as_end_of_text(pattern), re.ASCII), None, limit)
    except re.error:
        return None


class TwinRegex:
    """A constant pattern: Python's engine for inputs up to ``limit`` characters, RE2 beyond."""

    __slots__ = ("fast", "limit", "slow")

    def __init__(self, fast: re.Pattern[str], slow: Regex | None, limit: int) -> None:
        self.fast, self.slow, self.limit = fast, slow, limit

    def search(self, s: str) -> object:
        if len(s) <= self.limit:
            return self.fast.search(s)
        assert self.slow is not None  # only fast_regex()'s twins lack one: their .fast is used directly
        return self.slow.search(s)


def const_regex(pattern: str) -> Regex:
    """What the compiler embeds for ``x.matches('<constant>')``: validated by RE2 at load time."""
    slow = compile_regex(pattern)
    twin = fast_regex(pattern)
    return TwinRegex(twin.fast, slow, twin.limit) if twin is not None else slow
