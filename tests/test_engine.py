"""The engine: one state per (rule, entity), evidence, provenance, determinism."""

from __future__ import annotations

import datetime as dt
import textwrap

from support import AS_OF, ROOT

from layanan_rules import Dataset, Reason, State, evaluate, load_ruleset


def test_every_rule_entity_pair_has_exactly_one_finding(ruleset, example_data):
    report = evaluate(ruleset, example_data, as_of=AS_OF)
    pairs = [(f.rule_id, f.entity, f.entity_id) for f in report.findings]
    assert len(pairs) == len(set(pairs))
    for rule in ruleset.rules:
        ids = {f.entity_id for f in report.findings if f.rule_id == rule.id}
        assert ids == {r["id"] for r in example_data.get(rule.entity, [])}


def test_finding_carries_evidence_provenance_and_legal_basis(ruleset, example_data):
    report = evaluate(ruleset, example_data, as_of=AS_OF)
    f = next(f for f in report.findings if f.rule_id == "UU25-21a" and f.entity_id == "L3")
    assert f.state is State.fail
    assert f.provenance.source.endswith("dinas-contoh.json") or f.provenance.source == "<data>"
    assert f.legal_basis[0].article == "21" and f.legal_basis[0].letter == "a"
    d = f.to_dict()
    assert d["state"] == "fail" and d["rule_version"] == ruleset.version and d["legal_basis"][0]["label"] == "UU 25/2009 Pasal 21 huruf a"
    ok = next(f for f in report.findings if f.rule_id == "UU25-21a" and f.entity_id == "L1")
    assert "standar.dasar_hukum" in ok.evidence


def test_same_input_same_report(ruleset, example_data, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1738281600")  # the generation time, fixed as reproducible builds do
    a = evaluate(ruleset, example_data, as_of=AS_OF).to_dict()
    b = evaluate(ruleset, example_data, as_of=AS_OF).to_dict()
    assert a == b and a["as_of"] == "2025-01-31" and a["report"]["generated_at"] == "2025-01-31T00:00:00Z"


def _ruleset(tmp_path, rules: str):
    (tmp_path / "ruleset.yaml").write_text((ROOT / "rulesets/uu-25-2009/ruleset.yaml").read_text())
    (tmp_path / "r.yaml").write_text(textwrap.dedent(rules))
    return load_ruleset(tmp_path)


RULE = """
- id: T-1
  title: {id: Uji, en: Test}
  legal_basis: [{act: UU 25/2009, article: 44, paragraph: 3, text: "..."}]
  applies_to: pengaduan
  when: has(pengaduan.diterima_pada)
  require: hari(pengaduan.diterima_pada, pengaduan.ditanggapi_pada) <= param.batas_tanggapan_pengaduan
  severity: high
  remedy: {id: Tanggapi, en: Respond}
  valid_from: 2010-01-01
"""


def test_missing_field_is_an_error_with_a_reason(tmp_path):
    rs = _ruleset(tmp_path, RULE)
    report = evaluate(rs, {"pengaduan": [
        {"id": "A1", "diterima_pada": "2024-01-01", "ditanggapi_pada": "2024-01-10"},
        {"id": "A2", "diterima_pada": "2024-01-01"},
        {"id": "A3"},
        {"id": "A4", "diterima_pada": "2024-01-01", "ditanggapi_pada": "2024-02-10"},
    ]}, as_of=dt.date(2024, 3, 1))
    states = {f.entity_id: f.state for f in report.findings}
    assert states == {"A1": State.pass_, "A2": State.error, "A3": State.not_applicable, "A4": State.fail}
    err = next(f for f in report.findings if f.entity_id == "A2")
    assert err.reason in (Reason.missing_field, Reason.function_failure)


def test_unreadable_value_is_an_error_naming_the_field_only_for_rules_that_read_it(tmp_path):
    rs = _ruleset(tmp_path, RULE + RULE.replace("T-1", "T-2").replace(
        "require: hari(pengaduan.diterima_pada, pengaduan.ditanggapi_pada) <= param.batas_tanggapan_pengaduan",
        "require: terisi(pengaduan.kanal)"))
    report = evaluate(rs, {"pengaduan": [{"id": "A1", "diterima_pada": "2024-01-01", "ditanggapi_pada": "kemarin", "kanal": "WA"}]},
                      as_of=dt.date(2024, 3, 1))
    by_rule = {f.rule_id: f for f in report.findings}
    assert by_rule["T-1"].state is State.error and by_rule["T-1"].reason is Reason.malformed_value
    assert "ditanggapi_pada" in by_rule["T-1"].message
    assert by_rule["T-2"].state is State.pass_
    assert [i.field for i in report.data_issues] == ["ditanggapi_pada"]


def test_rules_outside_their_validity_are_not_evaluated_and_reported(tmp_path):
    rs = _ruleset(tmp_path, RULE)
    report = evaluate(rs, {"pengaduan": [{"id": "A1"}]}, as_of=dt.date(2009, 12, 31))
    assert report.findings == [] and [s.rule_id for s in report.skipped_rules] == ["T-1"]


def test_dataset_and_plain_json_give_the_same_report(ruleset, example_data, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1738281600")
    a = evaluate(ruleset, example_data, as_of=AS_OF).to_dict()
    b = evaluate(ruleset, Dataset.from_json(example_data), as_of=AS_OF).to_dict()
    assert a == b


def test_rules_reading_an_unreadable_source_are_errors_not_passes(ruleset):
    from layanan_rules.data.dataset import DataIssue

    ds = Dataset.from_json({"unit": [{"id": "U1"}], "pengaduan": []})
    ds.issues.insert(0, DataIssue("source_unavailable", "tabel pengaduan gagal dibaca / complaints table failed",
                                  entity="pengaduan"))
    report = evaluate(ruleset, ds, as_of=AS_OF)
    through = [f for f in report.findings if f.entity == "unit" and any(".pengaduan" in r for r in f.rule.reads)]
    assert through and all(f.state is State.error and f.reason is Reason.source_unavailable for f in through)
    others = [f for f in report.findings if f.entity == "unit" and f not in through]
    assert all(f.reason is not Reason.source_unavailable for f in others)


def test_rules_sharing_a_when_give_what_each_rule_alone_gives(ruleset, example_data):
    """The engine decides a shared applicability condition once per record: an optimisation only."""
    from layanan_rules.engine import evaluate_rule

    ds = Dataset.from_json(example_data)
    report = evaluate(ruleset, ds, as_of=AS_OF)
    got = [(f.rule_id, f.entity_id, f.state, f.reason, f.message) for f in report.findings]
    alone = []
    for rule in ruleset.rules:
        if rule.in_force(AS_OF):
            for _r, rec, state, reason, message in evaluate_rule(rule, ds.records[rule.entity], ruleset.params, AS_OF):
                alone.append((rule.id, rec.id, state, reason, message))
    assert got == alone
    whens = [r.when.source for r in ruleset.rules if r.when is not None]
    assert len(whens) > len(set(whens))  # the ruleset really has shared conditions


def test_record_programs_agree_with_rule_by_rule_on_synthetic_data(ruleset):
    """The per-entity generated program (rules inlined, shared `when`s decided once) is an
    optimisation only: on varied synthetic data every finding equals the rule-by-rule one."""
    import importlib.util
    import sys

    from layanan_rules.engine import evaluate_rule

    spec = importlib.util.spec_from_file_location("bench_synth_engine", ROOT / "bench" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    sys.modules["bench_synth_engine"] = synth
    spec.loader.exec_module(synth)
    ds = Dataset.from_json(synth.build(seed=7, services=300, complaints=3000))
    report = evaluate(ruleset, ds, as_of=AS_OF)
    got = [(f.rule_id, f.entity_id, f.state, f.reason, f.message) for f in report.findings]
    alone = []
    for rule in ruleset.rules:
        if rule.in_force(AS_OF):
            for _r, rec, state, reason, message in evaluate_rule(rule, ds.records.get(rule.entity, ()), ruleset.params, AS_OF):
                alone.append((rule.id, rec.id, state, reason, message))
    assert got == alone
    assert len({s for *_x, s, _r, _m in got}) >= 3  # the data exercises pass, fail and more


def test_every_bundled_rule_runs_inline(ruleset):
    """Each rule of the bundled ruleset is inlined into its entity's program (no call left)."""
    from layanan_rules.expr import inline

    for rule in ruleset.rules:
        for prog in (rule.when, rule.require):
            if prog is not None:
                _helpers, body, env = inline.inline(prog, "r", "_x", "    ")
                assert body and all(k.startswith("_x") or k == "_rt_fell_through" for k in env)


def test_counts_by_rule_match_the_findings_before_and_after_they_are_built(ruleset, example_data):
    from collections import Counter

    report = evaluate(ruleset, example_data, as_of=AS_OF)
    early = report.counts_by_rule()  # from the engine's rows, no Finding built
    manual = Counter((f.rule_id, f.state.value) for f in report.findings)
    assert report.counts_by_rule() == early
    assert list(early) == list(dict.fromkeys(f.rule_id for f in report.findings))
    for rule_id, states in early.items():
        assert set(states) == {s.value for s in State}
        assert all(states[s] == manual[(rule_id, s)] for s in states)
    assert sum(sum(v.values()) for v in early.values()) == len(report.findings)


def test_inlined_and_called_rule_code_give_the_same_outcomes(ruleset):
    """record_program pastes each rule's code in; with inlining off it calls each rule instead.
    Both must give the same outcome for every rule on every record (synthetic data)."""
    import importlib.util
    import sys

    from layanan_rules.engine.evaluation import _record_program

    spec = importlib.util.spec_from_file_location("bench_synth_inline", ROOT / "bench" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    sys.modules["bench_synth_inline"] = synth
    spec.loader.exec_module(synth)
    ds = Dataset.from_json(synth.build(seed=11, services=200, complaints=1500))
    for entity, records in ds.records.items():
        rules = tuple(r for r in ruleset.rules if r.entity == entity)
        if not rules or not records:
            continue
        inlined = _record_program(rules, inline_rules=True)
        called = _record_program(rules, inline_rules=False)
        for rec in records:
            if rec.obj is not None:
                assert inlined(rec.obj, ruleset.params, AS_OF) == called(rec.obj, ruleset.params, AS_OF), (entity, rec.id)


def test_one_record_blocks_equal_the_batch_blocks(ruleset, tmp_path):
    """One record (a server request, a form being checked) takes a straight-line path to its
    blocks: on every record of varied synthetic data, errors included, it gives what the batch
    path gives for that record."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("bench_synth_one", ROOT / "bench" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    sys.modules["bench_synth_one"] = synth
    spec.loader.exec_module(synth)
    errors_rs = _ruleset(tmp_path, RULE)  # a missing timestamp: an error outcome
    errors_ds = Dataset.from_json({"pengaduan": [{"id": "A1", "diterima_pada": "2024-01-01", "ditanggapi_pada": "2024-01-10"},
                                                 {"id": "A2", "diterima_pada": "2024-01-01"}, {"id": "A3"}]})
    kinds = set()
    for rs, ds in ((ruleset, Dataset.from_json(synth.build(seed=5, services=150, complaints=600))), (errors_rs, errors_ds)):
        _compare_one_by_one(rs, ds, kinds)
    assert {State.pass_, State.fail, State.not_applicable, State.error} <= kinds  # every state exercised


def _compare_one_by_one(ruleset, ds, kinds):
    from layanan_rules.engine.evaluation import evaluate_entity

    for entity, records in ds.records.items():
        rules = [r for r in ruleset.rules if r.entity == entity and r.in_force(AS_OF)]
        if not rules or not records:
            continue
        batch = evaluate_entity(rules, records, ruleset.params, AS_OF)
        for n, rec in enumerate(records):
            alone = evaluate_entity(rules, [rec], ruleset.params, AS_OF)
            for rule in rules:
                b_rule, _recs, b_states, b_errors = batch[id(rule)]
                a_rule, a_recs, a_states, a_errors = alone[id(rule)]
                assert a_rule is b_rule and list(a_recs) == [rec]
                assert a_states == [b_states[n]], (rule.id, rec.id)
                assert a_errors == ({0: b_errors[n]} if n in b_errors else {}), (rule.id, rec.id)
                kinds.add(b_states[n])
