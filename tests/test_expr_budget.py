"""The cost of one evaluation is bounded: expression size, steps, time; a blown budget is never
absorbed into a pass or a fail."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from layanan_rules import evaluate, expr, inputs, load_ruleset
from layanan_rules.engine.states import Reason, State

NESTED = "[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, c)))"


def test_nested_comprehensions_stop_at_the_step_budget():
    assert len(expr.evaluate(NESTED, {}, steps=10_000)) == 10
    with pytest.raises(expr.CelError) as err:
        expr.evaluate(NESTED, {}, steps=500)
    assert err.value.reason == "budget_exceeded" and "500 steps" in str(err.value)


@pytest.mark.parametrize("source", [
    f"size({NESTED}) > 100 || true",           # || absorbs errors, never a blown budget
    f"[1, 2].exists(x, size({NESTED}) > x)",   # nor does exists()
    f"false || [1].all(x, size({NESTED}) == 0) || true",
])
def test_a_blown_budget_is_not_absorbed(source):
    with pytest.raises(expr.CelError) as err:
        expr.evaluate(source, {}, steps=200)
    assert err.value.reason == "budget_exceeded"


def test_doubling_a_string_is_charged_by_its_length():
    source = "[s].map(x, x + x)" + ".map(x, x + x)" * 60 + ".size()"
    start = time.monotonic()
    with pytest.raises(expr.CelError, match="budget|langkah"):
        expr.evaluate(source, {"s": "ab"})
    assert time.monotonic() - start < 5  # 2**61 characters would never finish


def test_the_time_budget_is_checked_while_steps_remain():
    source = "[" + ",".join(["1"] * 500) + "].map(a, " + NESTED.replace("c, c", "c, c + a") + ")"  # 500,000 sums
    with pytest.raises(expr.CelError) as err:
        expr.evaluate(source, {}, steps=10**12, seconds=0.05)
    assert err.value.reason == "budget_exceeded" and "0.05 seconds" in str(err.value)


def test_expressions_beyond_their_size_or_depth_are_syntax_errors_at_once():
    start = time.monotonic()
    with pytest.raises(expr.ExprErrors, match="expression too long"):
        expr.compile("a" + ".b" * 15000, {"a": object})  # a 30 KB member chain
    with pytest.raises(expr.ExprErrors, match="nested too deeply"):
        expr.compile("a" + ".b" * 1000, {"a": object})
    with pytest.raises(expr.ExprErrors, match="too long"):
        expr.compile("x + 1", {"x": int}, max_tokens=2)
    assert time.monotonic() - start < 5
    assert expr.compile(" || ".join(["false"] * 300), {}).fn() is False  # flat chains stay fine


def test_the_engine_makes_a_costly_rule_an_error_and_evaluates_the_rest(tmp_path: Path):
    folder = tmp_path / "mahal"
    folder.mkdir()
    (folder / "ruleset.yaml").write_text(
        "id: mahal\ntitle: {id: Mahal, en: Costly}\nversion: 0.1.0\n"
        "acts: [{id: UU 25/2009, title: Undang-Undang Nomor 25 Tahun 2009}]\n", encoding="utf-8")
    rule = ("- id: {id}\n  title: {{id: t, en: t}}\n  legal_basis: [{{act: UU 25/2009, article: 21}}]\n"
            "  applies_to: layanan\n  require: \"{require}\"\n  severity: low\n  remedy: {{id: r, en: r}}\n")
    (folder / "rules.yaml").write_text(
        rule.format(id="MAHAL", require=f"size({NESTED}) > 0 || has(layanan.nama)")
        + rule.format(id="MURAH", require="has(layanan.nama)"), encoding="utf-8")
    ruleset = load_ruleset(str(folder))
    data = {"layanan": [{"id": "L1", "nama": "KTP"}, {"id": "L2"}]}
    with inputs.override(expr_steps=300):
        report = evaluate(ruleset, data, as_of=dt.date(2025, 1, 31))
    states = {(f.rule_id, f.entity_id): (f.state, f.reason) for f in report.findings}
    assert states[("MAHAL", "L1")] == (State.error, Reason.budget_exceeded)
    assert states[("MAHAL", "L2")] == (State.error, Reason.budget_exceeded)
    assert states[("MURAH", "L1")] == (State.pass_, None) and states[("MURAH", "L2")] == (State.fail, None)
    report = evaluate(ruleset, data, as_of=dt.date(2025, 1, 31))  # the default budget is ample for it
    assert {f.state for f in report.findings if f.rule_id == "MAHAL"} == {State.pass_}


def test_expr_evaluate_follows_the_configured_limits():
    """The composition root hands the expression language the product's limits: --limit and
    LAYANAN_RULES_LIMIT_EXPR_* apply to every expr.evaluate (the server's /v1/expr included)."""
    with inputs.override(expr_steps=500), pytest.raises(expr.CelError, match="500 steps"):
        expr.evaluate(NESTED, {})
    assert len(expr.evaluate(NESTED, {})) == 10


def test_each_record_of_a_batch_gets_the_whole_budget(tmp_path: Path):
    """The engine starts the budget afresh for every record (``budget.restarter``): a rule that costs
    about 100 steps passes on every one of 40 records within 150 steps, and is an error on each within 50."""
    folder = tmp_path / "seratus"
    folder.mkdir()
    (folder / "ruleset.yaml").write_text(
        "id: seratus\ntitle: {id: Seratus, en: A hundred}\nversion: 0.1.0\n"
        "acts: [{id: UU 25/2009, title: Undang-Undang Nomor 25 Tahun 2009}]\n", encoding="utf-8")
    hundred = "[" + ",".join(["1"] * 100) + "]"
    (folder / "rules.yaml").write_text(
        f"- id: SERATUS\n  title: {{id: t, en: t}}\n  legal_basis: [{{act: UU 25/2009, article: 21}}]\n"
        f"  applies_to: layanan\n  require: \"size({hundred}.map(x, x)) == 100 && has(layanan.nama)\"\n"
        f"  severity: low\n  remedy: {{id: r, en: r}}\n", encoding="utf-8")
    ruleset = load_ruleset(str(folder))
    data = {"layanan": [{"id": f"L{i}", "nama": "KTP"} for i in range(40)]}
    with inputs.override(expr_steps=150):
        report = evaluate(ruleset, data, as_of=dt.date(2025, 1, 31))
    assert [f.state for f in report.findings] == [State.pass_] * 40
    with inputs.override(expr_steps=50):
        report = evaluate(ruleset, data, as_of=dt.date(2025, 1, 31))
    assert [(f.state, f.reason) for f in report.findings] == [(State.error, Reason.budget_exceeded)] * 40


def test_a_restarted_budget_is_this_threads_and_whole_again():
    import threading

    from layanan_rules.expr import budget

    restart = budget.restarter(100, 60.0)
    restart()
    budget.charge(90)
    with pytest.raises(expr.BudgetExceeded):
        budget.charge(20)
    restart()  # the whole budget again
    budget.charge(90)
    seen: list[object] = []

    def other() -> None:  # another thread has no budget started: charges cost nothing
        budget.charge(10**9)
        seen.append("ok")

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert seen == ["ok"]
    budget.stop()
    budget.charge(10**9)  # stopped: nothing limited
    restart = budget.restarter(10**9, 0.0)
    restart()
    with pytest.raises(expr.BudgetExceeded, match="0 detik"):  # the deadline is the restart's
        time.sleep(0.01)
        budget.charge(1)
    budget.stop()


@pytest.mark.parametrize("n", [1, None])  # one record's straight-line path, a batch's restarted budget
def test_the_engine_leaves_no_budget_running_on_its_thread(n: int | None, monkeypatch) -> None:
    """The SQL back ends call ``evaluate_entity`` for the rules left to Python; a budget it left
    running would make this thread's next unbudgeted evaluation time out seconds later."""
    from support import EXAMPLE_JSON

    from layanan_rules import read_data
    from layanan_rules.engine.evaluation import evaluate_entity
    from layanan_rules.expr import budget

    ruleset = load_ruleset()
    records = read_data(EXAMPLE_JSON).records["layanan"][:n]
    rules = [r for r in ruleset.rules if r.entity == "layanan"]
    evaluate_entity(rules, records, ruleset.params, dt.date(2025, 1, 31), (10**6, 1.0))
    clock = budget._monotonic
    monkeypatch.setattr(budget, "_monotonic", lambda: clock() + 3600.0)  # an hour later
    budget.charge(10**9)  # nothing limits it: no budget is running
