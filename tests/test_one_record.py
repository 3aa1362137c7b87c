"""The one-record path of ``evaluate()`` (``engine.evaluate_one``: the plain JSON form straight to
the blocks, no Dataset) against the general path (``Dataset.from_json`` + ``engine.run`` +
``Report.of``), on many single records: the example's, the benchmark's, and each of them broken
in the ways people's data is (blanks, absent fields, bad dates, wrong types, unknown keys, nested
children, orphans, two records of one entity). Every report must be the same, field for field; a
call the fast path does not take must fall to the general path (never a different answer)."""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
import random
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from support import AS_OF, EXAMPLE_JSON

from layanan_rules import engine, evaluate, load_ruleset
from layanan_rules.data.dataset import Dataset
from layanan_rules.engine import Reason
from layanan_rules.report.findings import Report

_BENCH = Path(__file__).resolve().parents[1] / "bench"


def _general(rs: Any, data: dict[str, Any], as_of: dt.date) -> Report:
    """What ``evaluate(rs, data)`` gave before the one-record path: the Dataset, the engine, Report.of."""
    ds = Dataset.from_json(data, linked=engine.entities_read(rs, as_of))
    return Report.of(engine.run(rs, ds, as_of=as_of))


def _finding_row(f: Any) -> tuple[Any, ...]:
    rec = f.record
    return (f.rule, f.entity, f.entity_id, f.state, f.reason, f.message, f.provenance, f.evidence,
            rec.provenance, rec.problems, dict(rec.fields), rec.obj)


def _same(fast: Report, slow: Report) -> None:
    assert fast.to_dict() == slow.to_dict()
    assert fast.to_dict(evidence="all", show_personal=True, lang="en") == slow.to_dict(evidence="all",
                                                                                       show_personal=True, lang="en")
    assert fast.counts() == slow.counts() and fast.counts_by_rule() == slow.counts_by_rule()
    assert fast.records == slow.records and list(fast.records) == list(slow.records)  # order too
    assert fast.data_issues == slow.data_issues
    assert fast.skipped_rules == slow.skipped_rules and fast.skipped == slow.skipped
    assert fast.skipped_records == slow.skipped_records
    assert (fast.ruleset_id, fast.ruleset_version, fast.as_of) == (slow.ruleset_id, slow.ruleset_version, slow.as_of)
    assert [_finding_row(f) for f in fast.findings] == [_finding_row(f) for f in slow.findings]
    fb, sb = fast._results or [], slow._results or []
    assert [(b[0], len(b[1]), list(b[2]), dict(b[3])) for b in fb] == [(b[0], len(b[1]), list(b[2]), dict(b[3])) for b in sb]
    assert fast.to_arrow().equals(slow.to_arrow())


def _check(rs: Any, data: dict[str, Any], as_of: dt.date = AS_OF) -> bool:
    """The two paths agree on ``data``; whether the one-record path took it."""
    before = copy.deepcopy(data)
    took = engine.evaluate_one(rs, copy.deepcopy(data), as_of) is not None
    try:
        slow = _general(rs, copy.deepcopy(data), as_of)
    except Exception as exc:  # noqa: BLE001 - data the general path refuses: refused alike
        with pytest.raises(type(exc)) as got:
            evaluate(rs, data, as_of=as_of)
        assert str(got.value) == str(exc) and not took
        return took
    fast = evaluate(rs, data, as_of=as_of)
    assert data == before  # the caller's data is read, never changed
    _same(fast, slow)
    return took


@pytest.fixture(scope="module")
def rulesets() -> dict[str, Any]:
    full = load_ruleset()
    out = {"full": full, "layanan": attrs.evolve(full, rules=tuple(r for r in full.rules if r.entity == "layanan"))}
    sys.path.insert(0, str(_BENCH))
    try:
        import engines  # the benchmark's 16 layanan checks, as bench/run.py loads them
    finally:
        sys.path.remove(str(_BENCH))
    out["bench"] = engines.LayananRules().ruleset()
    return out


@pytest.fixture(scope="module")
def synth() -> Any:
    spec = importlib.util.spec_from_file_location("bench_synth_one", _BENCH / "synth.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_synth_one"] = mod
    spec.loader.exec_module(mod)
    return mod


def _with_parents(data: dict[str, list[dict[str, Any]]], entity: str, rec: dict[str, Any]) -> dict[str, Any]:
    """``rec`` with the unit, layanan and penyelenggara records it links to, transitively (a
    complaint's layanan may be in another unit: two units), parents first; as bench/run.py gives."""
    by_id = {ent: {r["id"]: r for r in data.get(ent, [])} for ent in ("penyelenggara", "unit", "layanan")}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    todo = [rec]
    while todo:
        r = todo.pop()
        for key, ent in (("layanan_id", "layanan"), ("unit_id", "unit"), ("penyelenggara_id", "penyelenggara")):
            parent = by_id[ent].get(r.get(key))
            if parent is not None and parent["id"] not in out.setdefault(ent, {}):
                out[ent][parent["id"]] = parent
                todo.append(parent)
    return {**{ent: list(d.values()) for ent, d in out.items() if d}, entity: [rec]}


def test_example_records_alone_and_with_their_parents(rulesets):
    example = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    took = total = 0
    for rs in rulesets.values():
        for entity, recs in example.items():
            for rec in recs:
                _check(rs, {entity: [rec]})  # alone: an orphan when it links to a parent
                took += _check(rs, _with_parents(example, entity, rec))
                total += 1
    assert took > total // 2  # most are plain and clean with their parents: the one-record path takes them


def test_benchmark_records(rulesets, synth):
    data = synth.build(seed=5, services=120, complaints=200)
    bench = engines_ruleset = rulesets["bench"]
    took = {(name, entity): 0 for name in ("bench", "full") for entity in ("layanan", "pengaduan")}
    for name, rs in (("bench", engines_ruleset), ("full", rulesets["full"])):
        for entity in ("layanan", "pengaduan"):
            for rec in data[entity][:120 if rs is bench else 40]:
                took[name, entity] += _check(rs, _with_parents(data, entity, rec))
    # the benchmark's records are clean: under its checks every one takes the one-record path,
    # a complaint whose layanan is in another unit too (two units, neither read by its rules);
    # under the full ruleset, which reads units, two units are a batch: the general path
    assert took["bench", "layanan"] == took["bench", "pengaduan"] == 120
    assert took["full", "layanan"] == 40 and 0 < took["full", "pengaduan"] < 40


#: values that are not what the model wants, or only nearly
_ODD: tuple[Any, ...] = (
    "", "   ", None, 0, -1, 1.5, True, "ya", "tidak", "mungkin", "2024-13-45", "kemarin", "2021", "Januari 2021",
    "31/12/2020", "26 Agustus 2024", "Senin, 26 Agustus 2024", 2021, "Rp 5.000", "3 hari kerja", "tiga (3) hari",
    [], ["a", ""], [1, 2], {}, {"x": 1}, "Bagi WNI: KTP. Bagi WNA: Paspor", "2024-08-26T10:15:00+07:00",
    "SK Nomor 7 Tahun 2020",
)


def _mutations(rec: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    """``rec`` broken one way at a time, and a few ways at once."""
    out = []
    keys = [k for k in rec if k != "id"]
    for k in keys:  # each field absent, blank, odd
        out.append({x: v for x, v in rec.items() if x != k})
        out.append({**rec, k: ""})
        out.append({**rec, k: rng.choice(_ODD)})
    std = rec.get("standar")
    if isinstance(std, dict):
        for k in list(std)[:12]:
            out.append({**rec, "standar": {**std, k: rng.choice(_ODD)}})
            out.append({**rec, "standar": {x: v for x, v in std.items() if x != k}})
        for day in ("2024-13-45", "2021", "Januari 2021", 2021, "31/12/2020", "", None):
            out.append({**rec, "standar": {**std, "ditetapkan_pada": day}})
        out.append({**rec, "standar": {**std, "persyaratan": "Bagi WNI: KTP. Bagi WNA: Paspor"}})
        out.append({**rec, "standar": {**std, "tidak_dikenal": 1}})
    for rid in ("", "  ", 42, None):
        out.append({**rec, "id": rid})
    out.append({x: v for x, v in rec.items() if x != "id"})
    out.append({**rec, "warna": "biru"})
    out.append({**rec, "_unmatched": {"Kolom X": "1"}})
    for _ in range(6):  # several at once
        r = dict(rec)
        for k in rng.sample(keys, min(3, len(keys))):
            r[k] = rng.choice(_ODD)
        out.append(r)
    return out


@pytest.mark.parametrize("entity", ["layanan", "pengaduan", "unit"])
def test_broken_records(rulesets, synth, entity):
    rng = random.Random(14)
    data = synth.build(seed=6, services=30, complaints=30)
    recs = data[entity][:4]
    fell = took = 0
    for rec in recs:
        for broken in _mutations(rec, rng):
            case = _with_parents(data, entity, rec)
            case[entity] = [broken]
            for rs in (rulesets["bench"], rulesets["full"]):
                if _check(rs, case):
                    took += 1
                else:
                    fell += 1
    assert fell and took  # both paths were exercised, and agreed


def test_data_shapes_the_one_record_path_leaves_to_the_general_one(rulesets, synth):
    """Orphans, a missing parent, two records, nested children, an unknown entity, a record that is
    no object, an empty list: the general path's answer (with its data issues), every time."""
    data = synth.build(seed=7, services=10, complaints=10)
    lay = data["layanan"][0]
    base = _with_parents(data, "layanan", lay)
    (unit,), (peny,) = base["unit"], base["penyelenggara"]
    other = next(u for u in data["unit"] if u["id"] != unit["id"])
    units_read = {"full": True, "layanan": False, "bench": False}  # whether a ruleset's rules read units
    cases: list[tuple[dict[str, Any], Any]] = [
        ({**base, "layanan": [{**lay, "unit_id": "U-none"}]}, False),  # an orphan
        ({"layanan": [lay]}, False),  # its unit not given: an orphan too
        ({**base, "layanan": [lay, data["layanan"][1]]}, False),  # two records read: the batch path
        ({**base, "layanan": [lay, lay]}, False),  # a duplicate id
        ({**base, "layanan": [{**lay, "pengaduan": [{"id": "A1", "layanan_id": lay["id"]}]}]}, False),  # nested
        ({**base, "layanan": [{**lay, "pengaduan": None, "permohonan": None}]}, True),  # null relations: flat
        ({**base, "unit": [{**unit, "layanan": None}]}, True),
        ({**base, "layananx": [lay]}, False),  # an unknown entity
        ({**base, "layanan": lay}, False),  # one object, not a list
        ({**base, "layanan": ["L1"]}, False),  # not an object
        ({**base, "layanan": []}, True),  # no record of the rules' entity
        ({}, True),
        ({**base, "pengaduan": [{"id": "A1", "layanan_id": lay["id"], "unit_id": lay.get("unit_id")}]}, True),
        ({**base, "pengaduan": [{"id": "A1", "layanan_id": "L-none"}]}, False),
        # units no rule reads: any number, each its id once, each linked to a penyelenggara given
        ({**base, "unit": [unit, {**other, "penyelenggara_id": peny["id"]}]}, "units"),
        ({**base, "unit": [unit, {**other, "penyelenggara_id": "P-none"}]}, False),
        ({**base, "unit": [unit, dict(unit)]}, False),  # a duplicate id
        ({**base, "unit": [unit, {**other, "penyelenggara_id": peny["id"], "nama": 7}]}, "units"),  # a number as text
        ({**base, "unit": [unit, {**other, "penyelenggara_id": peny["id"], "nama": [7]}]}, False),  # a list for a text
        ({**base, "unit": [unit, {**other, "penyelenggara_id": peny["id"], "layanan": [{"id": "L9"}]}]}, False),
        ({**base, "penyelenggara": [{**peny, "jenis": "Instansi"}]}, True),  # an enumeration read leniently: structured
        ({**base, "penyelenggara": [{**peny, "jenis": "bukan jenis"}]}, False),
        ({**base, "unit": [{**unit, "kolom": "x"}]}, False),  # an unknown field
    ]
    for name, rs in rulesets.items():
        for data_, plain in cases:
            want = (not units_read[name]) if plain == "units" else plain
            assert _check(rs, copy.deepcopy(data_)) is want, (name, cases.index((data_, plain)))


def test_a_rule_beyond_its_budget_falls_to_the_general_path(rulesets, synth):
    """A record whose rules exceed the expression budget: the general path's careful answer."""
    from layanan_rules import inputs

    data = synth.build(seed=8, services=5, complaints=5)
    case = _with_parents(data, "layanan", data["layanan"][0])
    with inputs.override(expr_steps=1):
        assert engine.evaluate_one(rulesets["full"], copy.deepcopy(case), AS_OF) is None
        _check(rulesets["full"], case)
        report = evaluate(rulesets["full"], copy.deepcopy(case), as_of=AS_OF)
    assert any(f.reason is Reason.budget_exceeded for f in report.findings)
    assert _check(rulesets["full"], case)  # the default budget: the one-record path


def test_the_one_record_path_is_taken_by_the_server_request_shape(rulesets, synth):
    """A layanan with its unit and penyelenggara (what the bench and a server request send) under
    the full ruleset: the one-record path, and the same report as the general one."""
    data = synth.build(seed=9, services=10, complaints=10)
    case = _with_parents(data, "layanan", data["layanan"][3])
    assert set(case) == {"layanan", "unit", "penyelenggara"}
    assert _check(rulesets["full"], case)
    assert _check(rulesets["full"], case, dt.date(2010, 1, 1))  # rules not yet in force: skipped alike


def test_a_batch_costs_the_one_record_path_nothing(rulesets, synth, monkeypatch):
    """Several records of an entity the rules read: the general path at once, before any record
    (a parent among thousands included) is looked at, let alone structured."""
    from layanan_rules.data import dataset

    def never(*_args: Any) -> Any:
        raise AssertionError("a record was looked at")

    data = synth.build(seed=12, services=20, complaints=20)
    batch = {"penyelenggara": data["penyelenggara"], "unit": data["unit"], "layanan": data["layanan"]}
    monkeypatch.setattr(dataset, "structure_clean", never)
    monkeypatch.setattr(dataset, "reads_as_text", never)
    for rs in rulesets.values():
        assert engine.evaluate_one(rs, batch, AS_OF) is None
