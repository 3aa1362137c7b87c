"""expr.sql.shared: the work many expressions over one row share, computed once per row, same values."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from layanan_rules.expr.sql.shared import layered, share

ROWS = ("SELECT * FROM (VALUES (1, 2, 'abc', true), (3, 0, '12', false), (NULL, 5, NULL, NULL), "
        "(7, 7, '7', true)) AS t(a, b, s, ok)")


def _run(exprs: list[str], **kw: object) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], str]:
    trees = [sqlglot.parse_one(e, read="duckdb") for e in exprs]
    layers, new = share(trees, **kw)  # type: ignore[arg-type]
    con = duckdb.connect()
    plain = con.execute(f"SELECT {', '.join(exprs)} FROM ({ROWS})").fetchall()
    rows = layered(ROWS, layers, "duckdb")
    got = con.execute(f"SELECT {', '.join(t.sql(dialect='duckdb') for t in new)} FROM ({rows})").fetchall()
    return plain, got, rows


def test_a_repeated_part_is_computed_once_with_the_same_values():
    big = "(a * 3 + b * 5 - coalesce(a, 0) * 2)"
    plain, got, rows = _run([f"{big} + 1", f"{big} * 2", f"{big} > 4", "a + b"])
    assert got == plain
    assert rows.count(" AS \"__s") == 1  # one column for the shared part, none for `a + b` (once)


def test_a_let_is_undone_and_its_value_shared():
    let = "LIST_TRANSFORM([a * 3 + b * 5 - 1], LAMBDA v : v * v + v)[1]"
    plain, got, rows = _run([let, f"{let} + 1"])
    assert got == plain
    assert "LIST_TRANSFORM" not in rows


def test_a_part_moved_out_of_a_branch_raises_no_error_it_did_not():
    # the cast fails on 'abc', a row the CASE never computes it for; shared, it is computed on
    # every row: TRY() keeps the query running and the values equal
    part = "(CAST(s AS INTEGER) * 10 + 3 * b)"
    plain, got, rows = _run([f"CASE WHEN s IN ('12', '7') THEN {part} END",
                             f"CASE WHEN s IN ('12', '7') THEN {part} + 1 END"])
    assert got == plain
    assert "TRY(" in rows


def test_a_part_read_on_every_row_is_not_wrapped():
    part = "(a * 3 + b * 5 - coalesce(a, 0) * 2)"
    plain, got, rows = _run([f"{part} + 1", f"CASE WHEN ok THEN {part} END"])
    assert got == plain
    assert "TRY(" not in rows


def test_a_lambdas_own_variable_is_never_shared():
    expr = "LIST_TRANSFORM([a, b, 4], LAMBDA x : x * 3 + x * 5 - x * 2 + a)"
    plain, got, rows = _run([expr, "LIST_TRANSFORM([a, b], LAMBDA x : x * 3 + x * 5 - x * 2 + a)"])
    assert got == plain
    assert "x * 3" not in rows  # the body reads the item: it stays in the lambda


@pytest.mark.parametrize("min_size", [1, 6, 50])
def test_same_values_at_any_threshold(min_size):
    exprs = ["COALESCE(a, 0) + COALESCE(b, 0) * 2",
             "CASE WHEN COALESCE(a, 0) + COALESCE(b, 0) * 2 > 3 THEN 'x' ELSE s END",
             "LIST_TRANSFORM([COALESCE(a, 0) + COALESCE(b, 0) * 2], LAMBDA v : [v, v + 1])[1]"]
    plain, got, _rows = _run(exprs, min_size=min_size)
    assert got == plain
