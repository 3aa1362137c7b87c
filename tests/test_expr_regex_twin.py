"""The fast Python twin of an RE2 pattern must answer exactly as RE2 does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layanan_rules.expr import runtime

PATTERNS = [
    "^Izin", "^[A-Z][A-Za-z0-9 ,.()/-]{4,}$", r"\d{3}-\d{4}$", "foo|bar", "[$]", r"a\$b", "^$", r"\s+hari",
    "x{2,3}", "[^a-z]", r"\w+@\w+\.go\.id$", "^(Perda|Perbup) ",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_listed_pattern_uses_the_twin_or_falls_back(pattern):
    assert runtime.compile_regex(pattern) is not None


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS), st.text(alphabet="aAzZ09 -$.@\n\tIzinPerdabupgoid_", max_size=30))
def test_twin_agrees_with_re2(pattern, text):
    fast = runtime.fast_regex(pattern)
    if fast is None:
        return
    assert (fast.search(text) is not None) == (runtime.compile_regex(pattern).search(text) is not None)


def test_patterns_that_could_backtrack_badly_stay_on_re2():
    for pattern in ["(a+)+$", "(a|aa)*b", r"(\w+\s?)+$", r"(.)\1"]:
        assert runtime.fast_regex(pattern) is None


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PATTERNS), st.text(alphabet="aAzZ09 -$.@\n\tIzinPerdabupgoid_", max_size=30))
def test_compiled_constant_pattern_agrees_with_re2(pattern, text):
    from layanan_rules.expr import compile as compile_expr

    program = compile_expr("s.matches(p)", {"s": str, "p": str})
    assert program(s=text, p=pattern) == (runtime.compile_regex(pattern).search(text) is not None)
    const = runtime.const_regex(pattern)
    assert (const.search(text) is not None) == (runtime.compile_regex(pattern).search(text) is not None)
