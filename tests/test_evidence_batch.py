"""Evidence made for a batch of failing findings (a column at a time, a run's constants made once)
against evidence made for one record: the same text on odd values (absent, null, blank, bad dates,
dates known only by month or year, masked personal fields, lists, odd provenance)."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
from types import SimpleNamespace
from typing import Any

import pytest
from support import ROOT

from layanan_rules import evaluate, load_ruleset
from layanan_rules.model.records import Provenance
from layanan_rules.report import computed
from layanan_rules.report import table as findings_table

SYNTH = ROOT / "bench" / "synth.py"
AS_OF = dt.date(2025, 1, 31)


def _synthetic(services: int, complaints: int, seed: int) -> dict[str, Any]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("synth", SYNTH)
    assert spec is not None and spec.loader is not None
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    data: dict[str, Any] = synth.build(seed=seed, services=services, complaints=complaints)
    return data


_ABSENT = object()
#: odd values given to the complaints' fields, in turn (personal fields and dates alike)
_ODD_TEXT = [_ABSENT, None, "", "  ", 'Budi "Q"; \\ ✓ = x', "Siti\nAminah", "•••"]
_ODD_TIME = [_ABSENT, None, "", "kemarin", "2024-05", "2024", "2024-06-03", "2024-06-03T23:30:00+07:00",
             "2024-06-03T16:30:00Z", "31/12/2024", "2024-02-30"]
_ODD_DAY = [_ABSENT, None, "", "2023", "2023-05", "2023-05-17", "bukan tanggal", "2019-02-29"]


def _odd_data() -> dict[str, Any]:
    data = copy.deepcopy(_synthetic(12, 400, 7))
    cycle_text = itertools.cycle(_ODD_TEXT)
    cycle_time = itertools.cycle(_ODD_TIME)
    for i, p in enumerate(data["pengaduan"]):
        if i % 3 == 0:
            continue  # some rows as they are
        for name in ("nama_pengadu", "alamat_pengadu", "uraian", "email_pengadu", "permintaan_penyelesaian"):
            v = next(cycle_text)
            if v is _ABSENT:
                p.pop(name, None)
            else:
                p[name] = v
        for name in ("diterima_pada", "ditanggapi_pada", "diputuskan_pada", "dilengkapi_pada", "selesai_pada",
                     "putusan_disampaikan_pada"):
            v = next(cycle_time)
            if v is _ABSENT:
                p.pop(name, None)
            else:
                p[name] = v
    cycle_day = itertools.cycle(_ODD_DAY)
    for i, layanan in enumerate(data["layanan"]):
        standar = layanan.get("standar")
        if not isinstance(standar, dict):
            continue
        for name in ("ditetapkan_pada", "dipublikasikan_pada", "dievaluasi_pada"):
            v = next(cycle_day)
            if v is _ABSENT:
                standar.pop(name, None)
            else:
                standar[name] = v
        if i % 4 == 1:
            standar["produk"] = []
        elif i % 4 == 2:
            standar.pop("sarana", None)
    return data


@pytest.fixture(scope="module")
def odd_report() -> Any:
    return evaluate(load_ruleset(), _odd_data(), as_of=AS_OF)


@pytest.mark.parametrize(("show_personal", "lang"), [(False, "id"), (False, "en"), (True, "id")])
def test_batch_evidence_equals_row_evidence_on_odd_values(odd_report, show_personal, lang, monkeypatch):
    """Every rule's evidence made a column at a time (json and printed text) is the evidence of each
    row made alone, on complaints and standards whose personal fields and dates are absent, null,
    blank, bad, known only by month or year, and lists that are empty or missing; the masked and
    the gap-free paths are taken."""
    paths = {"masked": 0, "plain": 0}
    for name in ("_masked_column", "_plain_column"):
        real = getattr(findings_table, name)

        def counted(*args: Any, _real: Any = real, _name: str = name) -> Any:
            got = _real(*args)
            if got is not None:
                paths["masked" if _name == "_masked_column" else "plain"] += len(got[0])
            return got

        monkeypatch.setattr(findings_table, name, counted)
    report = odd_report
    b = findings_table._Builder(report, lang, show_personal, False, findings_table._rules_of(report))
    checked = 0
    for rule, records, _states, _errors in report._blocks:
        shown = [r for r in records if r.obj is not None]
        if not shown:
            continue
        for explain in ([True] * len(shown), [i % 3 == 0 for i in range(len(shown))]):
            one = [b.evidence_json(rule, rec, x) for rec, x in zip(shown, explain)]
            assert b.evidence_texts(rule, shown, explain) == one, rule.id
            assert b.evidence_texts(rule, shown, explain, text=True) == [
                findings_table.evidence_text(t) for t in one], rule.id
            checked += len(shown)
    assert checked > 5_000
    assert paths["plain"] > 1_000
    assert (paths["masked"] > 1_000) is (not show_personal)


def _explained_alone(rule: Any, ruleset: Any, as_of: dt.date, obj: Any) -> dict[str, Any]:
    """What a rule's deadline calls explain on one record, every argument and compared side made for
    that record (nothing made once per run, nothing remembered): the reference."""
    out: dict[str, Any] = {}
    bound = {rule.entity: obj, "param": ruleset.params, "as_of": as_of}.__getitem__
    up_to_now: dict[str, list[str]] = {}
    done: set[str] = set()
    for label, fn, args, other in computed.probes(rule, ruleset):
        try:
            values = tuple(a.fn(*map(bound, a.variables)) for a in args)
        except Exception:  # noqa: BLE001, S112
            continue
        against = None
        for side in other:
            try:
                against = side.fn(*map(bound, side.variables))
            except Exception:  # noqa: BLE001, S112
                continue
            if against is not None:
                break
        try:
            result = fn.impl(*values)
        except Exception:  # noqa: BLE001, S112
            continue
        got = fn.explain(values, result, against)
        if got is None:
            continue
        out[label] = got
        if "as_of" in label:
            up_to_now.setdefault(fn.name, []).append(label)
        else:
            done.add(fn.name)
    for name in done:
        for label in up_to_now.get(name, ()):
            out.pop(label, None)
    return out


def test_deadline_explanations_with_a_runs_constants_made_once_equal_each_made_per_record(odd_report):
    """The arguments and compared dates of a deadline call that read no record (the parameters,
    ``as_of``) are made once per run; what the call explains is, for every record, what making
    every one of them for that record explains (on odd dates too)."""
    report = odd_report
    ruleset = report.ruleset
    fixed_args = fixed_sides = checked = 0
    for rule, records, _states, _errors in report._blocks:
        probes = computed.probes(rule, ruleset)
        if not probes:
            continue
        for (label, _fn, args, other), (arg_reads, side_reads) in zip(probes, computed.probe_reads(rule, ruleset)):
            assert len(arg_reads) == len(args) and len(side_reads) == len(other), label
            fixed_args += arg_reads.count(False)
            fixed_sides += side_reads.count(False)
            assert arg_reads[0], label  # the start of a deadline is the record's
        explain = computed.explainer(rule, ruleset, report.as_of)
        for rec in records:
            if rec.obj is None:
                continue
            assert json.dumps(explain(rec.obj), default=str) == json.dumps(
                _explained_alone(rule, ruleset, report.as_of, rec.obj), default=str), (rule.id, rec.id)
            checked += 1
    assert checked > 1_000 and fixed_args > 10 and fixed_sides > 0


def _prov_records(provs: list[Provenance]) -> list[Any]:
    return [SimpleNamespace(provenance=p, fields=None, entity="pengaduan", obj=None) for p in provs]


_ODD_PROVENANCE = [
    Provenance(source="/tmp/a b.json", part="pengaduan", row=1, key="A1"),
    Provenance(source='d:\\data "x".json', part="lapor ✓", row=0, key='k "1"; \n'),
    Provenance(source="/tmp/a b.json", part="pengaduan", row=10**20, key=""),
    Provenance(source="s3://b/p.parquet", part="", row=7, key="A7"),
]


@pytest.mark.parametrize("odd", [
    None,  # every record a file's row: made a record at a time
    Provenance(source="x.xlsx", part="Layanan", row=6, column="F", key="L1"),
    Provenance(source="x.pdf", part="p", row=3, key="k", page=2),
    Provenance(source="x.json", part=None, row=3, key="k"),
    Provenance(source="x.json", part="p", row=None, key="k"),
    Provenance(source="x.json", part="p", row=4, key=None),
    Provenance(source="x.json", part="p", row=True, key="k"),  # type: ignore[arg-type]
    Provenance(source="x.json", part="p", row=4, key=12),  # type: ignore[arg-type]
])
def test_provenance_of_many_records_equals_each_records_own(odd):
    """The provenance texts of many records (a record at a time when each is a file's row, else a
    field at a time) are each record's own provenance JSON, and printed, its text: for odd sources,
    parts and keys, and with one record whose provenance is otherwise among them."""
    report = evaluate(load_ruleset(), _synthetic(3, 20, 1), as_of=AS_OF)
    b = findings_table._Builder(report, "id", False, False, findings_table._rules_of(report))
    rule = next(r for r in b.rules if r.entity == "pengaduan")
    provs = _ODD_PROVENANCE * 3 + ([] if odd is None else [odd]) + _ODD_PROVENANCE
    records = _prov_records(provs)
    one = [b.provenance_json(rule, rec) for rec in records]
    assert b.provenance_texts(rule, records) == one
    assert b.provenance_texts(rule, records, text=True) == [findings_table.provenance_text(t) for t in one]
    simple = findings_table._simple_provenance([findings_table._prov_values(p) for p in provs], False)
    assert (simple is not None) is (odd is None)
    assert json.loads(one[1]) == {"source": 'd:\\data "x".json', "part": "lapor ✓", "row": 0, "key": 'k "1"; \n'}
