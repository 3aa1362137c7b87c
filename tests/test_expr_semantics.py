"""Runtime semantics of compiled expressions: errors, equality, arithmetic, macros, strings, time."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from layanan_rules.expr import CelError, CelType, UInt, compile, evaluate

UTC = dt.UTC


def ev(src: str, **bindings):
    return evaluate(src, bindings, functions={})


def err(src: str, **bindings) -> CelError:
    with pytest.raises(CelError) as ei:
        ev(src, **bindings)
    return ei.value


# --- error-absorbing logic ---------------------------------------------------------------


@pytest.mark.parametrize("src", ["false && 1/0 == 1", "1/0 == 1 && false", "{}.x && false"])
def test_and_absorbs_error_when_other_side_false(src):
    assert ev(src) is False


@pytest.mark.parametrize("src", ["true || 1/0 == 1", "1/0 == 1 || true", "[1][5] == 1 || true"])
def test_or_absorbs_error_when_other_side_true(src):
    assert ev(src) is True


def test_and_keeps_error_when_other_side_true():
    assert err("true && 1/0 == 1").reason == "division_by_zero"
    assert err("1/0 == 1 && true").reason == "division_by_zero"


def test_nested_and_or_chains_absorb_errors_at_every_level():
    assert ev("(1/0 == 1 && false) || (false || true)") is True
    assert ev("x.a == 1 || (x.b == 2 && true)", x={"b": 2}) is True
    assert err("x.a == 1 || (x.b == 3 && true)", x={"b": 2}).reason == "no_such_key"
    assert ev("!(1/0 == 1 && false)") is True  # chain in expression position


def test_logic_on_non_bool_is_no_matching_overload():
    assert err("'a' && true").reason == "no_matching_overload"
    assert err("!x", x=1).reason == "no_matching_overload"
    assert err("x ? 2 : 3", x=1).reason == "no_matching_overload"


def test_logic_on_statically_non_bool_is_a_check_error():
    from layanan_rules.expr import ExprErrors

    with pytest.raises(ExprErrors):
        compile("!1", {})
    with pytest.raises(ExprErrors):
        compile("1 ? 2 : 3", {})


def test_conditional_evaluates_only_the_chosen_branch():
    assert ev("true ? 1 : 1/0") == 1
    assert ev("x > 0 ? 'pos' : 'neg'", x=-1) == "neg"


# --- equality and ordering ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("1 == 1.0", True),
        ("1u == 1", True),
        ("1 == 'a'", False),
        ("true != 1", True),
        ("null == null", True),
        ("[1, 'a'] == [1.0, 'a']", True),
        ("{'a': 1} == {'a': 1u}", True),
        ("{'a': 1} == {'b': 1}", False),
        ("dyn(1) < 1.5", True),
        ("2u > 1", True),
        ("'abc' < 'abd'", True),
        ("b'a' < b'b'", True),
        ("false < true", True),
        ("0.0 / 0.0 == 0.0 / 0.0", False),
    ],
)
def test_heterogeneous_equality_and_ordering(src, expected):
    assert ev(src) is expected


def test_ordering_mixed_kinds_is_an_error():
    assert err("dyn('a') < 1").reason == "no_matching_overload"


# --- arithmetic ----------------------------------------------------------------------------


def test_int_overflow_is_an_error():
    assert err("9223372036854775807 + 1").reason == "overflow"
    assert err("-9223372036854775808 - 1").reason == "overflow"
    assert err("x * 2", x=2**62).reason == "overflow"
    assert err("0u - 1u").reason == "overflow"


def test_integer_division_truncates_toward_zero():
    assert ev("-7 / 2") == -3
    assert ev("-7 % 2") == -1
    assert ev("7u / 2u") == UInt(3)
    assert err("1 / 0").reason == "division_by_zero"
    assert err("1 % 0").reason == "modulus_by_zero"


def test_double_division_follows_ieee():
    assert ev("1.0 / 0.0") == math.inf
    assert math.isnan(ev("0.0 / 0.0"))


def test_mixed_int_double_arithmetic_needs_conversion():
    assert err("dyn(1) + 1.0").reason == "no_matching_overload"
    assert ev("double(1) + 1.0") == 2.0


def test_uint_results_stay_uint():
    assert type(ev("1u + 2u")) is UInt


# --- lists, maps, fields --------------------------------------------------------------------


def test_in_for_lists_and_maps():
    assert ev("2 in [1, 2]") is True
    assert ev("2.0 in [1, 2]") is True
    assert ev("'k' in {'k': 1}") is True
    assert ev("'z' in {'k': 1}") is False


def test_index_errors():
    assert err("[1, 2][2]").reason == "invalid_argument"
    assert err("{'a': 1}['b']").reason == "no_such_key"
    assert err("{'a': 1}.b").reason == "no_such_key"
    assert ev("{1: 'x'}[1.0]") == "x"


def test_map_literal_rejects_repeated_keys():
    assert err("{'a': 1, 'a': 2}").reason == "invalid_argument"


def test_has_on_maps_is_key_presence():
    assert ev("has(m.a)", m={"a": None}) is True
    assert ev("has(m.b)", m={"a": 1}) is False


def test_size_of_strings_counts_code_points():
    assert ev("size('πέντε')") == 5
    assert ev("'abc'.size()") == 3
    assert ev("size(b'abc')") == 3
    assert ev("size({'a': 1})") == 1


# --- macros ----------------------------------------------------------------------------------


def test_all_exists_exists_one():
    assert ev("[1, 2, 3].all(x, x > 0)") is True
    assert ev("[1, 2, 3].exists(x, x > 2)") is True
    assert ev("[1, 2, 3].exists_one(x, x > 1)") is False
    assert ev("[].all(x, x > 0)") is True
    assert ev("{'a': 1, 'b': 2}.all(k, k in ['a', 'b'])") is True


def test_all_absorbs_errors_when_some_element_is_false():
    assert ev("[0, 1, 2].all(x, 4 / x > 3)") is False  # 4/0 errors, but 4/2 > 3 is false
    assert err("[0, 1].all(x, 4 / x > 0)").reason == "division_by_zero"
    assert ev("[0, 1].exists(x, 4 / x > 0)") is True


def test_map_and_filter():
    assert ev("[1, 2, 3].map(x, x * 10)") == [10, 20, 30]
    assert ev("[1, 2, 3].map(x, x > 1, x * 10)") == [20, 30]
    assert ev("[1, 2, 3, 4].filter(x, x % 2 == 0)") == [2, 4]
    assert ev("[[1, 2], [3]].map(l, l.filter(x, x > 1))") == [[2], [3]]


def test_macro_variable_shadows_outer_binding():
    assert ev("[1, 2].map(x, x + 1) == [2, 3] && x == 'outer'", x="outer") is True


# --- strings ---------------------------------------------------------------------------------


def test_string_functions():
    assert ev("'foobar'.contains('oba')") is True
    assert ev("'foobar'.startsWith('foo') && 'foobar'.endsWith('bar')") is True
    assert ev("'Perda 12/2020'.matches('^Perda [0-9]+/[0-9]{4}$')") is True
    assert ev("matches('abc', 'b')") is True
    assert ev("s.matches(p)", s="aaa", p="a+") is True


def test_regex_syntax_error_is_invalid_argument():
    assert err("s.matches(p)", s="a", p="(").reason == "invalid_argument"


def test_regex_cost_is_bounded():
    # RE2 runs in linear time: the classic catastrophic pattern returns quickly
    assert ev("s.matches(p)", s="a" * 5000 + "!", p="^(a+)+$") is False
    assert err("s.matches(p)", s="a", p="a" * 5000).reason == "regex_cost"


# --- conversions -----------------------------------------------------------------------------


def test_conversions():
    assert ev("int('42')") == 42
    assert ev("int(3.9)") == 3
    assert ev("uint(3)") == UInt(3)
    assert ev("double('1.5')") == 1.5
    assert ev("string(1.5)") == "1.5"
    assert ev("string(b'abc')") == "abc"
    assert ev("bytes('é')") == "é".encode()
    assert ev("bool('true')") is True
    assert ev("type(1) == int && type('a') == string && type(type(1)) == type") is True
    assert ev("type(x)", x=[1]) == CelType("list")
    assert err("int(1e99)").reason == "range"
    assert err("uint(-1)").reason == "range"
    assert err("int('x')").reason == "invalid_argument"


# --- time ------------------------------------------------------------------------------------


def test_timestamps_and_durations():
    assert ev("timestamp('2024-01-09T10:00:00Z') + duration('1h30m') == timestamp('2024-01-09T11:30:00Z')")
    assert ev("timestamp('2024-01-09T10:00:00+07:00') == timestamp('2024-01-09T03:00:00Z')")
    assert ev("timestamp('2024-01-10T00:00:00Z') - timestamp('2024-01-09T00:00:00Z') == duration('24h')")
    assert ev("duration('90m').getHours()") == 1
    assert ev("t.getFullYear()", t=dt.datetime(2024, 3, 1, tzinfo=UTC)) == 2024
    assert ev("t.getMonth()", t=dt.datetime(2024, 3, 1, tzinfo=UTC)) == 2  # 0-based
    assert ev("t.getHours('Asia/Jakarta')", t=dt.datetime(2024, 3, 1, 20, tzinfo=UTC)) == 3
    assert ev("t.getDayOfWeek()", t=dt.datetime(2024, 3, 3, tzinfo=UTC)) == 0  # Sunday
    assert ev("string(timestamp('2024-01-09T10:00:00.5Z'))") == "2024-01-09T10:00:00.5Z"
    assert ev("string(duration('1.5s'))") == "1.5s"
    assert err("timestamp('10000-01-01T00:00:00Z')").reason == "range"
    assert err("timestamp('2024-13-01T00:00:00Z')").reason == "range"
    assert err("t.getHours('Mars/Olympus')", t=dt.datetime(2024, 1, 1, tzinfo=UTC)).reason == "invalid_argument"


def test_calendar_dates_are_a_domain_extension():
    assert ev("date('2024-01-09')") == dt.date(2024, 1, 9)
    assert ev("date('2024-01-09') + duration('48h') == date('2024-01-11')") is True
    assert ev("date('2024-01-11') - date('2024-01-09') == duration('48h')") is True
    assert ev("date('2024-01-09') < date('2024-02-01')") is True
    assert ev("date(t)", t=dt.datetime(2024, 1, 9, 20, tzinfo=UTC)) == dt.date(2024, 1, 9)
    assert ev("date(t, 'Asia/Jakarta')", t=dt.datetime(2024, 1, 9, 20, tzinfo=UTC)) == dt.date(2024, 1, 10)
    assert ev("d.getFullYear()", d=dt.date(2024, 1, 9)) == 2024
    assert ev("string(d)", d=dt.date(2024, 1, 9)) == "2024-01-09"
    assert err("date('09/01/2024')").reason == "invalid_argument"
    assert err("date('2024-01-09') + duration('1h')").reason == "invalid_argument"
    assert err("d < t", d=dt.date(2024, 1, 9), t=dt.datetime(2024, 1, 9, tzinfo=UTC)).reason == \
        "no_matching_overload"


def test_never_a_bare_python_exception():
    class Weird:
        pass

    for src in ["x + 1", "x.f", "x[0]", "size(x)", "x < 1", "x.startsWith('a')", "int(x)"]:
        with pytest.raises(CelError):
            ev(src, x=Weird())
    prog = compile("x.a + 1", {"x": object})
    with pytest.raises(CelError):
        prog(x=None)
    with pytest.raises(CelError) as ei:
        prog()
    assert ei.value.reason == "unbound"
