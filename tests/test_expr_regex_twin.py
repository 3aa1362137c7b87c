"""The fast Python twin of an RE2 pattern must answer exactly as RE2 does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layanan_rules.expr import regex, runtime

PATTERNS = [
    "^Izin", "^[A-Z][A-Za-z0-9 ,.()/-]{4,}$", r"\d{3}-\d{4}$", "foo|bar", "[$]", r"a\$b", "^$", r"\s+hari",
    "x{2,3}", "[^a-z]", r"\w+@\w+\.go\.id$", "^(Perda|Perbup) ",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_listed_pattern_uses_the_twin_or_falls_back(pattern):
    assert regex.compile_regex(pattern) is not None


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS), st.text(alphabet="aAzZ09 -$.@\n\tIzinPerdabupgoid_", max_size=30))
def test_twin_agrees_with_re2(pattern, text):
    fast = regex.fast_regex(pattern)
    if fast is None:
        return
    assert (fast.search(text) is not None) == (regex.compile_regex(pattern).search(text) is not None)


def test_patterns_that_could_backtrack_badly_stay_on_re2():
    for pattern in ["(a+)+$", "(a|aa)*b", r"(\w+\s?)+$", r"(.)\1"]:
        assert regex.fast_regex(pattern) is None


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PATTERNS), st.text(alphabet="aAzZ09 -$.@\n\tIzinPerdabupgoid_", max_size=30))
def test_compiled_constant_pattern_agrees_with_re2(pattern, text):
    from layanan_rules.expr import compile as compile_expr

    program = compile_expr("s.matches(p)", {"s": str, "p": str})
    assert program(s=text, p=pattern) == (regex.compile_regex(pattern).search(text) is not None)
    const = regex.const_regex(pattern)
    assert (const.search(text) is not None) == (regex.compile_regex(pattern).search(text) is not None)


# ------------------------------------------------------------------ nothing backtracks for long
# Adversarial patterns (adjacent and nested quantifiers over overlapping sets) against the inputs
# that make a backtracking engine explode. Every call must answer as RE2 does, and within a bound
# that no hang meets: the worst case the twin admits is TWIN_STEPS (~10**6) steps, milliseconds.

_ATOMS = ["a", "a*", "a+", "a?", "[ab]*", "[ab]+", ".*", ".+", r"\w*", r"\w+", r"\s*", "a{2,}", "a{0,40}",
          "(a|aa)", "(a|aa)*", "(a+)", "(?:a*)*", "b", "^", "$", "(a*)+", "[^b]*"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=6),
    st.sampled_from(["a", "ab", "a\n", "aab", " a"]),
    st.sampled_from([30, 300, 3_000, 9_000]),
    st.sampled_from(["", "!", "b", "\n"]),
)
def test_adversarial_patterns_answer_as_re2_and_never_hang(atoms, unit, reps, tail):
    import time

    pattern = "".join(atoms)
    try:
        rx = regex.compile_regex(pattern)
    except Exception:  # noqa: BLE001  (RE2 refuses it: a CEL error, not a hang)
        return
    text = (unit * reps)[:9_500] + tail
    started = time.perf_counter()
    got = runtime.matches(text, pattern)
    const = regex.const_regex(pattern).search(text) is not None
    elapsed = time.perf_counter() - started
    assert got == const == (rx.search(text) is not None)
    assert elapsed < 2.0, f"{pattern!r} on {len(text)} characters took {elapsed:.2f} s"


def test_the_patterns_that_hung_the_engine_now_answer_at_once():
    from layanan_rules import expr

    for pattern in ["a*a*b", "a*a*a*a*b", r"\w+\w+\w+@", "[ab]*[bc]*[cd]*d"]:
        assert expr.evaluate("s.matches(p)", {"s": "a" * 9_000, "p": pattern}) is False
        assert expr.evaluate(f"s.matches(r'{pattern}')", {"s": "a" * 9_000}) is False


@pytest.mark.parametrize(("pattern", "limit"), [
    ("^Izin", regex.MAX_INPUT_FAST),            # anchored, no quantifier
    ("foo|bar", regex.MAX_INPUT_FAST),          # a search: n starts x constant
    ("a*b", regex.MAX_INPUT_FAST // 10),        # a search x one unbounded quantifier: n**2
    ("a*a*b", 100),                               # n**3
    ("a*a*a*a*b", 0),                             # n**5: RE2 always
    ("(a|aa)*b", 0), ("(a+)+$", 0), (r"(.)\1", 0),
])
def test_twin_limit_follows_the_degree_of_backtracking(pattern, limit):
    assert regex.twin_limit(pattern) == limit
