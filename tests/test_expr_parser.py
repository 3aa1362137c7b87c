"""The CEL parser: literals, precedence, member access, syntax errors with positions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layanan_rules.expr import ExprErrors, ExprSyntaxError, UInt, compile, evaluate, parse
from layanan_rules.expr import ast as A


def ev(src: str, **bindings):
    return evaluate(src, bindings, functions={})


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("42", 42),
        ("0x1F", 31),
        ("-0x10", -16),
        ("7u", UInt(7)),
        ("0xFFu", UInt(255)),
        ("1.5e3", 1500.0),
        (".5", 0.5),
        ("-9223372036854775808", -(2**63)),
        ("'it\\'s'", "it's"),
        ('"tab\\there"', "tab\there"),
        ("'\\x41\\u00e9\\U0001F600\\101'", "A\u00e9\U0001F600A"),
        ("r'\\n'", "\\n"),
        ("'''multi\nline'''", "multi\nline"),
        ('b"\\xff\\000"', b"\xff\x00"),
        ("b'\u00ff'", "\u00ff".encode()),
        ("true", True),
        ("null", None),
        ("[1, 2, 3,]", [1, 2, 3]),
        ("{'a': 1, 'b': 2,}", {"a": 1, "b": 2}),
    ],
)
def test_literals_evaluate_to_python_values(src, expected):
    got = ev(src)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),
        ("2 * 3 % 4", 2),
        ("true || false && false", True),
        ("!false && true", True),
        ("1 < 2 == true", True),
        ("true ? 1 : false ? 2 : 3", 1),
        ("false ? 1 : false ? 2 : 3", 3),
        ("--5", 5),
        ("-(-5)", 5),
        ("!!true", True),
        ("2 in [1, 2] && 'a' in {'a': 1}", True),
        ("[[1, 2], [3]][0][1]", 2),
        ("{'a': {'b': 5}}.a.b", 5),
    ],
)
def test_operator_precedence_follows_the_cel_grammar(src, expected):
    assert ev(src) == expected


def test_ast_nodes_carry_source_offsets():
    node = parse("a.b + f(x)")
    assert isinstance(node, A.Binary) and node.offset == 4
    assert isinstance(node.left, A.Select) and node.left.field == "b"
    assert isinstance(node.right, A.Call) and node.right.offset == 6


def test_reserved_words_are_rejected_as_identifiers_but_allowed_as_fields():
    with pytest.raises(ExprSyntaxError) as ei:
        parse("package + 1")
    assert ei.value.offset == 0
    assert ev("{'if': 1}.if") == 1
    assert ev("{'content-type': 2}.`content-type`") == 2


@pytest.mark.parametrize(
    ("src", "offset"),
    [
        ("1 +", 3),
        ("(1 + 2", 6),
        ("a.", 2),
        ("'unterminated", 0),
        ("1 = 2", 2),
        ("9223372036854775808", 0),
        ("18446744073709551616u", 0),
        ("'\\q'", 1),
        ("a ? b", 5),
        ("[1, 2", 5),
    ],
)
def test_syntax_error_reports_offset(src, offset):
    with pytest.raises(ExprSyntaxError) as ei:
        parse(src)
    err = ei.value
    assert err.offset == offset
    assert " / " in err.message  # Indonesian / English
    assert err.line == 1 and err.column == offset + 1


def test_syntax_error_line_and_column_on_multiline_source():
    with pytest.raises(ExprSyntaxError) as ei:
        parse("a &&\n  b +")
    assert (ei.value.line, ei.value.column) == (2, 6)


def test_compile_wraps_syntax_error_in_expr_errors():
    with pytest.raises(ExprErrors) as ei:
        compile("1 +", {})
    assert isinstance(ei.value.errors[0], ExprSyntaxError)


def test_deep_nesting_is_a_syntax_error_not_a_crash():
    with pytest.raises(ExprSyntaxError):
        parse("(" * 5000 + "1" + ")" * 5000)
    with pytest.raises(ExprSyntaxError):
        parse("-" * 5000 + "x")


def test_long_flat_chains_compile():
    src = " || ".join(["false"] * 300) + " || true"
    assert ev(src) is True
    assert ev(" + ".join(["1"] * 100)) == 100
    with pytest.raises(ExprErrors):  # too deep for the generated code: an error, not a crash
        compile(" + ".join(["1"] * 2000), {})


_ALPHABET = st.sampled_from(list("abxyz_019.,:?!-+*/%<>=&|()[]{}'\"`\\ \nrbu") + ["in", "&&", "||", "==", "true"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_parser_never_crashes_with_a_foreign_exception(text):
    try:
        parse(text)
    except ExprSyntaxError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_parser_never_crashes_on_arbitrary_unicode(text):
    try:
        parse(text)
    except ExprSyntaxError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_compile_and_evaluate_raise_only_project_errors(text):
    from layanan_rules.expr import CelError

    try:
        prog = compile(text, {"a": object, "b": object, "x": int}, {}, check=False)
    except ExprErrors:
        return
    try:
        prog.fn({"k": 1}, [1, 2], 3)
    except CelError:
        pass


# --- unparse: a sub-expression back to text (compiled from text, it is served by the cache) ---------------


@pytest.mark.parametrize("source", [
    '"a\\"b\\n"', "b'\\x00ab'", "1u", "-5", "-x", "1.5e10", "!true", "a[1]", "{'a': 1}.a", "(1 + 2) * 3",
    "x.all(y, y > 0)", "has(a.b)", "a ? b : c", "[1, 2.5, 'tiga', null]", "a.b.c(d, e)[0]", "-(1 + 2)",
    "'\\u00e9\\t' + \"x\"", "(a || b) && !c", "x in [1, 2]",
])
def test_unparse_reads_back_as_the_same_tree(source: str) -> None:
    from layanan_rules.expr import ast

    tree = parse(source)
    assert ast.same(parse(ast.unparse(tree)), tree)


def test_every_node_of_the_bundled_rules_unparses_to_itself() -> None:
    from layanan_rules import load_ruleset
    from layanan_rules.expr import ast

    nodes = 0
    for rule in load_ruleset().rules:
        for program in (rule.when, rule.require):
            if program is not None:
                for node in ast.walk(parse(program.source)):
                    nodes += 1
                    assert ast.same(parse(ast.unparse(node)), node), ast.unparse(node)
    assert nodes > 1000


def test_same_tells_different_trees_apart() -> None:
    from layanan_rules.expr import ast

    assert not ast.same(parse("a + b"), parse("a - b"))
    assert not ast.same(parse("1"), parse("1u"))
    assert not ast.same(parse("f(a)"), parse("f(a, b)"))
