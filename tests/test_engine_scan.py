"""DuckDB reading the file itself (``engine.scan``) against the Python engine: the same findings.

Every (rule, record) pair gets the same state, reason and message whether the record went file ->
Python model -> Python engine or file -> DuckDB columns -> SQL, on generated records written as
JSON Lines and as Parquet: absent fields, nulls, blanks, malformed values (Indonesian dates,
impossible dates, numbers in date fields, nested objects), dates around holidays and deadlines.
Records DuckDB cannot read as the model does go to the Python engine; the test checks both that
the findings agree and that DuckDB did decide most records itself (so the test can fail either way).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from support import ROOT
from test_engine_sql import _synth, datasets

from layanan_rules import engine, load_ruleset, read_data
from layanan_rules.engine import scan

pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def bench_rules():
    return load_ruleset(ROOT / "bench" / "ruleset")


@pytest.fixture(scope="module")
def base():
    return _synth().build(seed=11, services=60, complaints=900)


def python_findings(ruleset, location, as_of):
    res = engine.run(ruleset, read_data(str(location)), as_of=as_of)
    out = {}
    for rule, records, states, errors in res.blocks:
        for i, rec in enumerate(records):
            err = errors.get(i)
            out[(rule.id, rec.entity, rec.id)] = (states[i].value, err[0].value if err and err[0] else None,
                                                   err[1] if err else None)
    return out


def scan_findings(ruleset, location, as_of, tmp_path):
    import pyarrow.parquet as pq

    got = scan.scan(ruleset, location, as_of=as_of, out=tmp_path / "findings.parquet")
    rows = pq.read_table(got.findings).to_pylist()
    out = {(r["rule_id"], r["entity"], r["entity_id"]): (r["state"], r["reason"], r["message"]) for r in rows}
    assert len(out) == len(rows)  # one row per (rule, record)
    return got, out


def differences(a, b, limit=5):
    keys = sorted(set(a) | set(b))
    return [(k, a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)][:limit]


def write_lines(path, data, extra=()):
    with open(path, "w", encoding="utf-8") as f:
        for entity, recs in data.items():
            f.writelines(json.dumps({entity: rec}, ensure_ascii=False) + "\n" for rec in recs)
        f.write("\n")  # a blank line is skipped by both readers
        f.writelines(line + "\n" for line in extra)


def write_parquet(folder, data):
    """One ``<entity>.parquet`` per entity with records, every key any record has a column."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(exist_ok=True)
    for entity, recs in data.items():
        if recs:
            keys = list(dict.fromkeys(k for r in recs for k in r))
            pq.write_table(pa.table({k: [r.get(k) for r in recs] for k in keys}), folder / f"{entity}.parquet")
    return folder


#: lines DuckDB leaves to Python: a key written twice, a line that is a list of records
ODD_LINES = (('{"pengaduan": {"id": "DUP-1", "diterima_pada": "2024-03-01T10:00:00+07:00", '
              '"diterima_pada": "2024-03-09T10:00:00+07:00"}}'),
             '{"pengaduan": [{"id": "LIST-1", "diterima_pada": "9 Januari 2024"}]}',
             '{"pengaduan": {"id": "IND-1", "diterima_pada": "9 Januari 2024 pukul 10.27", "status": "selesai"}}',
             '{"pengaduan": {"id": "", "diterima_pada": "2024-03-01"}}')


@pytest.mark.parametrize("which", ["bench", "bundled"])
def test_generated_jsonl_same_findings(which, bench_rules, ruleset, base, tmp_path_factory):
    rules = bench_rules if which == "bench" else ruleset

    @settings(max_examples=3, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(datasets(base))
    def check(drawn):
        data, as_of = drawn
        tmp = tmp_path_factory.mktemp("scan")
        path = tmp / "data.jsonl"
        write_lines(path, data, ODD_LINES)
        got, b = scan_findings(rules, path, as_of, tmp)
        a = python_findings(rules, path, as_of)
        assert differences(a, b) == []
        assert len(a) > 3000
        if which == "bench":  # most complaints decided in SQL, the spoiled ones in Python
            assert got.sql_records["pengaduan"] > 400
            assert 0 < got.python_records["pengaduan"] < 900

    check()


_TEXT_BAD = st.sampled_from([None, "", "  ", "-", "tidak tahu", "31/02/2024", "2024-13-01", "9 Januari 2024",
                             "2024-02-29", "2024-12-25T23:59:59+07:00", "2024-12-25T23:59:59Z", "2024-12-25 08:00",
                             "2024-12-25T24:00", "1969-12-31T23:00:00", "2024-06-01T10:00:00.5+07:00",
                             # around the one-match path of engine.columns: the canonical shape and its near misses
                             "2024-12-25T23:59:59-07:00", "2024-12-25T23:59:59+24:00", "2024-12-25T23:59:59+07:60",
                             "2024-12-25t23:59:59+07:00", "02024-12-25T23:59:59+07:00", "2024-12-25T23:59:59+0700",
                             "2024-12-25T23:59:59+07:00 ", "2024-02-30T10:00:00+07:00", "2024-12-25T24:00:00+07:00",
                             "2024-12-25 23:59:59+07:00", "1970-01-01T00:00:00+07:00", "1969-12-31T23:59:59+07:00",
                             "2024-12-25T23:59:59.123456+07:00", "0000-01-01", "1900-01-01", "2024-06-01\n"])


def test_generated_parquet_same_findings(bench_rules, base, tmp_path_factory):
    """Parquet columns keep one type: text fields get spoiled with text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    @settings(max_examples=3, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.integers(0, 899), st.sampled_from(sorted(
        k for k, v in base["pengaduan"][0].items() if isinstance(v, str) and k != "id")), _TEXT_BAD),
        min_size=100, max_size=300),
        st.sampled_from([dt.date(2024, 4, 8), dt.date(2025, 1, 1), dt.date(2025, 6, 1)]))
    def check(spoil, as_of):
        tmp = tmp_path_factory.mktemp("scanpq")
        folder = tmp / "data.parquet"
        folder.mkdir()
        data = {e: [dict(r) for r in recs] for e, recs in base.items()}
        for i, key, bad in spoil:
            data["pengaduan"][i][key] = bad
        for entity, recs in data.items():
            if recs:
                pq.write_table(pa.Table.from_pylist(recs), folder / f"{entity}.parquet")
        got, b = scan_findings(bench_rules, folder, as_of, tmp)
        a = python_findings(bench_rules, folder, as_of)
        assert differences(a, b) == []
        assert got.sql_records["pengaduan"] > 500

    check()


#: rules of units and layanan that read their children through a relation, compiled as group-bys
RELATION_RULES = ("UU25-44-3-unit", "UU25-50-1-unit", "UU25-50-2-unit", "UU25-15b", "UU25-8-2", "UU25-15d",
                  "UU25-31-2", "UU25-15f-biaya")


def test_relation_rules_in_sql_same_findings(ruleset, base, tmp_path_factory):
    """The bundled ruleset over Parquet (and once JSON Lines) whose children are spoiled (values
    DuckDB gives to Python), some of them orphans or without a link, and whose units repeat an id
    (the model links children to the last): the rules over ``unit.pengaduan`` / ``unit.layanan``
    run in SQL and agree."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    ran: list[int] = []

    @settings(max_examples=3, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.integers(0, 899), st.sampled_from(
        ["diterima_pada", "ditanggapi_pada", "diputuskan_pada", "selesai_pada", "putusan_disampaikan_pada",
         "unit_id"]), _TEXT_BAD | st.sampled_from(["U-NONE", "U00001", "U00002"])), min_size=1, max_size=5),
        st.lists(st.integers(0, 899), min_size=1, max_size=3),
        st.booleans(),
        st.sampled_from([dt.date(2024, 4, 8), dt.date(2025, 1, 1), dt.date(2025, 6, 1)]))
    def check(spoil, local, twice, as_of):
        tmp = tmp_path_factory.mktemp("scanrel")
        folder = tmp / "data.parquet"
        folder.mkdir()
        data = {e: [dict(r) for r in recs] for e, recs in base.items()}
        for i, key, bad in spoil:
            data["pengaduan"][i][key] = bad
        for i in local:  # every date-time written as "dd/mm/yyyy HH.MM": the model reads it, DuckDB leaves it
            rec = data["pengaduan"][i]
            for key, v in rec.items():
                if key.endswith("_pada") and isinstance(v, str) and len(v) >= 16 and v[4] == "-":
                    rec[key] = f"{v[8:10]}/{v[5:7]}/{v[:4]} {v[11:13]}.{v[14:16]}"
        # a unit with one complaint, received on a date DuckDB leaves to Python, never answered: fails
        data["unit"].append({**data["unit"][0], "id": "U-SOLO"})
        data["pengaduan"].append({"id": "A-SOLO", "unit_id": "U-SOLO", "diterima_pada": "01/03/2024 10.00"})
        if twice:  # a unit id written twice
            data["unit"].append({**data["unit"][0], "nama": "Unit kembar"})
        for entity, recs in data.items():
            if recs:
                pq.write_table(pa.Table.from_pylist(recs), folder / f"{entity}.parquet")
        lines = tmp / "data.jsonl"
        write_lines(lines, data)
        ran.append(1)
        for location in (folder, lines) if len(ran) == 1 else (folder,):  # JSON Lines once (the time)
            got = scan.scan(ruleset, location, as_of=as_of, out=tmp / "findings.parquet")
            b = {(r["rule_id"], r["entity"], r["entity_id"]): (r["state"], r["reason"], r["message"])
                 for r in pq.read_table(got.findings).to_pylist() if r["entity_id"] != "U00001"}
            a = {}  # the twin units (U00001) apart: both have one key
            twins: dict[str, list[tuple[str, str | None]]] = {}
            for rule, records, states, errors in engine.run(ruleset, read_data(str(location)), as_of=as_of).blocks:
                for i, rec in enumerate(records):
                    err = errors.get(i)
                    got_state = (states[i].value, err[0].value if err and err[0] else None, err[1] if err else None)
                    if rec.id == "U00001":
                        twins.setdefault(rule.id, []).append(got_state)
                    else:
                        a[(rule.id, rec.entity, rec.id)] = got_state
            assert differences(a, b) == []
            scanned_twins: dict[str, list[tuple[str, str | None]]] = {}
            for r in pq.read_table(got.findings).to_pylist():
                if r["entity_id"] == "U00001":
                    scanned_twins.setdefault(r["rule_id"], []).append((r["state"], r["reason"], r["message"]))
            assert {k: sorted(v, key=str) for k, v in twins.items()} == {
                k: sorted(v, key=str) for k, v in scanned_twins.items()}
            assert a[("UU25-44-3-unit", "unit", "U-SOLO")][0] == "fail"
            in_python = " ".join(got.python_rules.values())
            assert [r for r in RELATION_RULES if r + ":" in in_python] == []
            # a unit goes to Python (with its children) only when one of its complaints does, or its id repeats
            assert got.sql_records["unit"] >= len(base["unit"]) - len(spoil) - len(local) - 1

    check()


def test_plan_says_which_rules_python_decides_and_why(ruleset, tmp_path):
    synth = _synth()
    folder = tmp_path / "d.parquet"
    synth.write_parquet(str(folder), 3, 20, 200)
    got = scan.scan(ruleset, folder, as_of=dt.date(2025, 1, 1))
    assert got.records["pengaduan"] == 200 and got.sql_records["pengaduan"] == 200  # clean synthetic values
    assert "UU25-44-5" not in got.python_rules.get("pengaduan", "")  # status_dicabut has an SQL form (DuckDB)
    # UU25-15f-pengaduan reads the complaints through the relation, in Python; but its when's conjunct
    # has(layanan.standar.tenggat_pengaduan) is false for every service (synth writes none), decided in
    # SQL (scan._gate): no complaint is read in Python
    assert "pengaduan" not in got.python_records
    assert "unsur_peserta" in got.python_rules["layanan"]


def test_not_direct_for_other_inputs(ruleset):
    with pytest.raises(scan.NotDirect):
        scan.input_kind(str(ROOT / "examples" / "dinas-contoh.xlsx"))


def _as_text(data):
    """``data`` with every ``standar.dasar_hukum`` list written as one text (``a; b``), which the
    model splits (``parse_list``): a Parquet column of text, read in Python."""
    out = {e: [dict(r) for r in recs] for e, recs in data.items()}
    for r in out["layanan"]:
        std = r.get("standar")
        if isinstance(std, dict) and isinstance(std.get("dasar_hukum"), list):
            r["standar"] = {**std, "dasar_hukum": "; ".join(std["dasar_hukum"])}
    return out


def test_python_rules_decided_once_per_distinct_value(bench_rules, base, tmp_path):
    """The bench's rule over ``standar.dasar_hukum`` (a list of regulations the model parses),
    written as text the model splits, runs once per distinct value; a value that gives a data
    problem sends the entity back to the per-record path. The same findings both ways."""

    def write(data, name):
        return write_parquet(tmp_path / name, data)

    base = _as_text(base)
    as_of = dt.date(2025, 1, 1)
    clean = write(base, "clean.parquet")
    got, b = scan_findings(bench_rules, clean, as_of, tmp_path)
    assert differences(python_findings(bench_rules, clean, as_of), b) == []
    n = len(base["layanan"])
    assert 0 < got.python_values["layanan"] < n and got.python_records["layanan"] == n
    spoiled = {e: [dict(r) for r in recs] for e, recs in base.items()}
    with_std = [r for r in spoiled["layanan"] if isinstance(r.get("standar"), dict)]
    for r in with_std[:3]:  # an entry too long to be a regulation: a data problem naming the record
        r["standar"] = {**r["standar"], "dasar_hukum": "UU 25/2009; " + "x" * 10_001}
    folder = write(spoiled, "spoiled.parquet")
    got, b = scan_findings(bench_rules, folder, as_of, tmp_path)
    a = python_findings(bench_rules, folder, as_of)
    assert "layanan" not in got.python_values  # per record: the problem names each record's place
    ids = {part.split(":")[0] for part in got.python_rules["layanan"].split("; ")}
    python_decided = {k for k in a if k[0] in ids}
    assert len(python_decided) == n and {k: a[k] for k in python_decided} == {k: b[k] for k in python_decided}
    assert sum(v[0] == "error" for k, v in b.items() if k in python_decided) == 3


_DASAR = [["tidak tahu", ""], [" \u3000\u2002"], ["PP 96/2012", None], ["x" * 600], ["Perda No 5 Tahun 2019", "UU 25/2009"]]


# a Parquet column has one type: an entry that is an object, or text to split, only in JSON Lines
@pytest.mark.parametrize(("fmt", "entries"), [*(("parquet", e) for e in _DASAR), *(("jsonl", e) for e in _DASAR),
                                              ("jsonl", [{"teks": "PP 96/2012"}, "UU 25/2009"]), ("jsonl", "1. a\n2.  ")])
def test_sql_rule_over_a_field_the_model_parses(bench_rules, base, tmp_path, entries, fmt):
    """A rule reading ``standar`` over a record whose ``standar.dasar_hukum`` the model refuses
    (an entry blank, null or long: each is parsed as a regulation): Python makes it an error, so
    such a record goes to Python."""
    folder = tmp_path / "d.parquet"
    data = {e: [dict(r) for r in recs] for e, recs in base.items()}
    r = next(r for r in data["layanan"] if isinstance(r.get("standar"), dict))
    r["standar"] = {**r["standar"], "dasar_hukum": entries}
    if fmt == "jsonl":
        folder = tmp_path / "d.jsonl"
        write_lines(folder, data)
    else:
        write_parquet(folder, data)
    as_of = dt.date(2025, 1, 1)
    _got, b = scan_findings(bench_rules, folder, as_of, tmp_path)
    assert differences(python_findings(bench_rules, folder, as_of), b) == []


#: rules over ``standar.dasar_hukum``: only the first two read nothing but its length
_SIZED_RULES = {
    "S-size": "has(layanan.standar) && size(layanan.standar.dasar_hukum) > 1",
    "S-size-when": "size(layanan.standar.dasar_hukum) == 0 || size(layanan.standar.dasar_hukum) >= 3",
    "S-method": "has(layanan.standar) && layanan.standar.dasar_hukum.size() > 0",
    "S-has": "has(layanan.standar.dasar_hukum) && size(layanan.standar.dasar_hukum) > 0",
    "S-exists": "size(layanan.standar.dasar_hukum) > 0 && layanan.standar.dasar_hukum.exists(p, p.tahun > 2010)",
    # no has() guard: a service without a standard is an error (missing_field) in SQL as in Python
    "S-unguarded": "size(layanan.standar.persyaratan) == 0",
    # the path's text inside a string is no use of the field (read off the parsed tree, not the text)
    "S-literal": 'size(layanan.standar.dasar_hukum) > 0 || layanan.nama == "size(layanan.standar.dasar_hukum[0])"',
}


@pytest.fixture(scope="module")
def sized_rules(tmp_path_factory):
    import yaml

    folder = tmp_path_factory.mktemp("sized-rules")
    (folder / "ruleset.yaml").write_text((ROOT / "bench" / "ruleset" / "ruleset.yaml").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    rules = [{"id": rid, "title": {"id": rid, "en": rid}, "legal_basis": [{"act": "UU 25/2009", "article": "21"}],
              "applies_to": "layanan", "require": text, "severity": "medium",
              "remedy": {"id": "Lengkapi.", "en": "Complete it."}} for rid, text in _SIZED_RULES.items()]
    (folder / "rules.yaml").write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    return load_ruleset(folder)


def test_sized_reads_only_the_length(sized_rules, bench_rules):
    """``sql.sized``: a path is sized only when every use of it is the whole argument of ``size()``."""
    from layanan_rules.engine import sql

    got = {r.id: sql.sized(r) for r in sized_rules.rules}
    assert got == {"S-size": {"standar.dasar_hukum"}, "S-size-when": {"standar.dasar_hukum"}, "S-method": set(),
                   "S-has": set(), "S-exists": set(), "S-unguarded": {"standar.persyaratan"},
                   "S-literal": {"standar.dasar_hukum"}}
    b21a = next(r for r in bench_rules.rules if r.id == "B-21a")
    assert sql.sized(b21a) == {"standar.dasar_hukum"}
    assert "standar.dasar_hukum" not in sql.sized_of([b21a, *sized_rules.rules])  # one rule reads more
    assert sql.sized_of([b21a, sized_rules.rules[0]]) == {"standar.dasar_hukum"}


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_size_of_a_parsed_list_in_sql(fmt, sized_rules, bench_rules, base, tmp_path):
    """A list of regulations (each entry parsed by the model) read only through ``size()`` is
    decided in SQL from its number of entries: ``B-21a`` leaves Python. Entries the model refuses
    (blank, null, long), and in JSON Lines a text the model splits or an entry that is an object,
    send their record to Python. The same findings as the Python engine, rule by rule."""
    import attrs

    data = {e: [dict(r) for r in recs] for e, recs in base.items()}
    with_std = [r for r in data["layanan"] if isinstance(r.get("standar"), dict)]
    lengths = [0, 1, 2, 3, 4]
    for k, r in enumerate(with_std[:25]):
        std = {key: v for key, v in r["standar"].items() if key != "dasar_hukum"}
        if k % 6:  # else no such key at all
            std["dasar_hukum"] = [f"Perda No {j} Tahun 2019" for j in range(lengths[k % 5])]
        r["standar"] = std
    def write(name):
        if fmt == "jsonl":
            path = tmp_path / f"{name}.jsonl"
            write_lines(path, data)
            return path
        return write_parquet(tmp_path / f"{name}.parquet", data)

    as_of = dt.date(2025, 1, 1)
    both = attrs.evolve(bench_rules, rules=(*bench_rules.rules, *sized_rules.rules))
    before = scan.scan(both, write("clean"), as_of=as_of).sql_records["layanan"]
    spoiled = [["UU 25/2009", ""], [" \u3000"], ["PP 96/2012", None], ["x" * 600]]
    if fmt == "jsonl":
        spoiled += ["UU 25/2009; PP 96/2012", [{"teks": "PP 96/2012"}], "", None]
    for r, entries in zip(with_std[25:], spoiled):
        r["standar"] = {**r["standar"], "dasar_hukum": entries}
    path = write("spoiled")
    got, b = scan_findings(both, path, as_of, tmp_path)
    assert differences(python_findings(both, path, as_of), b) == []
    in_python = {part.split(":")[0] for part in got.python_rules.get("layanan", "").split("; ") if part}
    assert in_python == {"S-method", "S-has", "S-exists"}
    assert got.counts["S-size"].get("pass", 0) > 0 and got.counts["S-size"].get("fail", 0) > 0
    refused = 4 if fmt == "parquet" else 6  # "" and null are no value: no list, decided in SQL
    assert got.sql_records["layanan"] == before - refused
    assert before >= len(data["layanan"]) - 10


def test_reading_through_an_absent_struct_is_missing_field(sized_rules, base):
    """``size(layanan.standar.persyaratan)`` of a service without a standard: the Python engine's
    error (``missing_field``, its message) from the SQL back end over a read dataset too (a struct's
    presence column is false, not null, when it is absent)."""
    from layanan_rules.data.dataset import Dataset
    from layanan_rules.engine import sql

    data = {e: [dict(r) for r in recs] for e, recs in base.items()}
    for r in data["layanan"][:5]:
        r.pop("standar", None)
    ds = Dataset.from_json(data)
    as_of = dt.date(2025, 1, 1)

    def states(res):
        return {(rule.id, rec.id): (st.value, errs.get(i)) for rule, recs, sts, errs in res.blocks
                for i, (rec, st) in enumerate(zip(recs, sts))}

    a, b = states(engine.run(sized_rules, ds, as_of=as_of)), states(sql.run(sized_rules, ds, as_of=as_of))
    assert a == b
    assert sum(v[0] == "error" and v[1][0].value == "missing_field" for k, v in a.items() if k[0] == "S-unguarded") >= 5


def test_blank_ranges_table_is_the_computation():
    """The stored ranges of characters whose NFKC form is blank are those computed from the running
    Python's ``unicodedata`` (a new Unicode version: computed, not the table)."""
    import unicodedata

    from layanan_rules.engine import columns

    computed = columns.blank_ranges()
    assert (9, 13) in computed and (12288, 12288) in computed
    if unicodedata.unidata_version in columns._BLANK_RANGES:
        assert list(columns._BLANK_RANGES[unicodedata.unidata_version]) == computed


# --- Python rules whose when is partly decided in SQL (scan._gate) -------------------------------------------------

#: rules left to Python (unsur_peserta has no SQL form) whose when has conjuncts with one
_GATED_RULES = {
    # the SQL conjunct errs (a division by zero; no standard: missing_field) where the other is false,
    # and is false where the other errs: CEL's && absorbs the error either way
    "G-absorb": (("unsur_peserta(layanan.nama, layanan.nama) != 'zzz' && layanan.standar.jumlah_pelaksana / 0 > 1 "
                  "&& layanan.aktif == false"), "layanan.nama != ''", None),
    "G-order": ("layanan.aktif == false && unsur_peserta(layanan.nama, layanan.nama) == ''",
                "unsur_peserta(layanan.nama, 'lsm') != 'x'", None),
    # over the children: exists over none is false (size(layanan.pengaduan) > 0 decided in SQL)
    "G-children": ("layanan.aktif == false && layanan.pengaduan.exists(p, unsur_peserta(p.uraian, p.uraian) == '')",
                   "layanan.pengaduan.all(p, has(p.diterima_pada))", None),
    # not in force on the days tested: no findings either way
    "G-later": ("layanan.aktif == false && unsur_peserta(layanan.nama, layanan.nama) == ''", "true", "2030-01-01"),
}


@pytest.fixture(scope="module")
def gated_rules(tmp_path_factory):
    import yaml

    folder = tmp_path_factory.mktemp("gated-rules")
    (folder / "ruleset.yaml").write_text((ROOT / "bench" / "ruleset" / "ruleset.yaml").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    rules = []
    for rid, (when, require, valid_from) in _GATED_RULES.items():
        rule = {"id": rid, "title": {"id": rid, "en": rid}, "legal_basis": [{"act": "UU 25/2009", "article": "21"}],
                "applies_to": "layanan", "when": when, "require": require, "severity": "medium",
                "remedy": {"id": "Lengkapi.", "en": "Complete it."}}
        if valid_from:
            rule["valid_from"] = valid_from
        rules.append(rule)
    (folder / "rules.yaml").write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    return load_ruleset(folder)


def test_and_absorbs_errors_in_either_order(gated_rules, base):
    """The Python engine's ``when``: false when one conjunct is false, whatever the others give
    (what the gate's exactness rests on)."""
    from layanan_rules import expr
    from layanan_rules.data.dataset import Dataset
    from layanan_rules.engine import evaluation

    for text in ("1 / 0 == 1 && false", "false && 1 / 0 == 1", "[1][5] == 1 && 1 / 0 == 1 && false"):
        assert expr.compile(text, {})() is False
    data = {e: [dict(r) for r in recs] for e, recs in base.items()}
    for r in data["layanan"][:4]:
        r["aktif"] = True
    data["layanan"][1].pop("standar", None)
    ds = Dataset.from_json(data)
    rule = gated_rules.rule("G-absorb")
    rows = evaluation.evaluate_rule(rule, ds.records["layanan"][:4], gated_rules.params, dt.date(2025, 1, 1))
    assert [row[2].value for row in rows] == ["not_applicable"] * 4


def test_gate_plan(gated_rules, ruleset, base, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "d.parquet"
    folder.mkdir()
    for entity, recs in base.items():
        if recs:
            pq.write_table(pa.Table.from_pylist(recs), folder / f"{entity}.parquet")
    import duckdb

    as_of = dt.date(2025, 1, 1)
    con = duckdb.connect()
    source = scan._Source(con, str(folder), None)
    by_entity: dict[str, list] = {}
    for rule in [*gated_rules.rules, *ruleset.rules]:
        if rule.in_force(as_of):
            by_entity.setdefault(rule.entity, []).append(rule)
    gates = {r.id: g.require.source for r, g, _p in scan.plan_entities(gated_rules, {"layanan": by_entity["layanan"][
        :len([r for r in gated_rules.rules if r.in_force(as_of)])]}, as_of, source)["layanan"].gates}
    assert gates == {"G-absorb": "(((layanan.standar.jumlah_pelaksana / 0) > 1)) && ((layanan.aktif == false))",
                     "G-order": "((layanan.aktif == false))",
                     "G-children": "((layanan.aktif == false)) && (size(layanan.pengaduan) > 0)"}
    gates = {r.id: g.require.source for r, g, _p in scan.plan_entities(
        ruleset, {"layanan": by_entity["layanan"][len(gates):]}, as_of, source)["layanan"].gates}
    assert gates["UU25-15f-pengaduan"] == ("((layanan.aktif != false)) && (has(layanan.standar)) && "
                                           "(has(layanan.standar.tenggat_pengaduan)) && (size(layanan.pengaduan) > 0)")
    con.close()


def _with_deadlines(base, spoil, odd):
    """``base`` with complaint deadlines (``standar.tenggat_pengaduan``) on some services, complaint
    classes, spoiled complaint values and links, and services the model refuses a deadline of."""
    data = {e: [dict(r) for r in recs] for e, recs in base.items()}
    promises = [{"jumlah": 14, "satuan": "hari", "jenis_hari": "kerja", "teks": None},
                {"jumlah": 5, "satuan": "hari", "jenis_hari": None, "teks": None},
                None, {"jumlah": None, "satuan": None, "jenis_hari": None, "teks": "60 hari"}]
    for k, r in enumerate(data["layanan"]):
        if isinstance(r.get("standar"), dict):
            r["standar"] = {**r["standar"], "tenggat_pengaduan": promises[k % 4]}
    for k in odd:  # a deadline the model refuses (a problem naming the field), on an inactive service too
        r = data["layanan"][k]
        if isinstance(r.get("standar"), dict):
            r["standar"] = {**r["standar"], "tenggat_pengaduan": {"jumlah": -3, "satuan": "abad", "jenis_hari": None,
                                                                  "teks": None}}
            r["aktif"] = k % 2 == 0
    for k, r in enumerate(data["pengaduan"]):
        r["kelas"] = ("ringan", "berat", None)[k % 3]
    for i, key, bad in spoil:
        data["pengaduan"][i][key] = bad
    return data


def test_gated_python_rules_same_findings(ruleset, gated_rules, base, tmp_path_factory):
    """Python rules whose when is partly decided in SQL, over Parquet (and once JSON Lines): the
    bundled ruleset (``UU25-15f-pengaduan``: the complaints of the services it does not apply to are
    not read) and rules whose SQL conjuncts err or are false where the others are not. The same
    findings as the Python engine, and the gate did decide."""
    import attrs
    import pyarrow as pa
    import pyarrow.parquet as pq

    both = attrs.evolve(ruleset, rules=(*ruleset.rules, *gated_rules.rules))
    ran: list[int] = []

    @settings(max_examples=3, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.integers(0, 899), st.sampled_from(
        ["diterima_pada", "diputuskan_pada", "selesai_pada", "layanan_id", "kelas"]),
        _TEXT_BAD | st.sampled_from(["L-NONE", "L0000001", "L0000002", "L0000003"])), min_size=1, max_size=8),
        st.lists(st.integers(0, 59), min_size=0, max_size=3),
        st.sampled_from([dt.date(2024, 4, 8), dt.date(2025, 1, 1), dt.date(2025, 6, 1)]))
    def check(spoil, odd, as_of):
        tmp = tmp_path_factory.mktemp("scangate")
        data = _with_deadlines(base, spoil, odd)
        folder = tmp / "data.parquet"
        folder.mkdir()
        for entity, recs in data.items():
            if recs:
                pq.write_table(pa.Table.from_pylist(recs), folder / f"{entity}.parquet")
        lines = tmp / "data.jsonl"
        write_lines(lines, data)
        ran.append(1)
        for location in (folder, lines) if len(ran) == 1 else (folder,):
            got, b = scan_findings(both, location, as_of, tmp)
            a = python_findings(both, location, as_of)
            assert differences(a, b) == []
            assert not any(k[0] == "G-later" for k in b)
            # the complaints of services the rule does not apply to stay unread (but those DuckDB gave up on)
            assert 0 < got.python_records["pengaduan"] < 850
            assert {"UU25-15f-pengaduan", "G-absorb", "G-children"} <= {
                part.split(":")[0] for part in got.python_rules["layanan"].split("; ")}
            states = {s for (rid, _e, _i), (s, _r, _m) in b.items() if rid == "UU25-15f-pengaduan"}
            assert "not_applicable" in states and states - {"not_applicable"}

    check()


def test_duckdb_out_of_its_memory_bound_says_so_and_the_way_out(ruleset, tmp_path):
    """A step DuckDB cannot spill past ``memory_limit`` (the whole ruleset over JSON Lines) is a
    clear error naming the bound and the fixes, not an internal error; the CLI exits 2 and
    writes no report."""
    from click.testing import CliRunner

    from layanan_rules.cli import cli

    path = tmp_path / "data.jsonl"
    write_lines(path, _synth().build(seed=1, services=500, complaints=5000))
    with pytest.raises(scan.OutOfMemory, match=r"batas 64MB, LAYANAN_RULES_DUCKDB_MEMORY.*--engine python"):
        scan.scan(ruleset, path, as_of=dt.date(2025, 1, 1), out=tmp_path / "f.parquet", memory_limit="64MB", threads=1)
    out = tmp_path / "temuan.parquet"
    r = CliRunner().invoke(cli, ["evaluate", str(path), "--engine", "duckdb", "--format", "parquet", "-o", str(out),
                                 "--as-of", "2025-01-01"], env={"LAYANAN_RULES_DUCKDB_MEMORY": "64MB"})
    assert r.exit_code == 2, r.output
    assert "DuckDB kehabisan memori" in r.stderr and "LAYANAN_RULES_DUCKDB_MEMORY=4GB" in r.stderr
    assert not out.exists() and not list(tmp_path.glob(".temuan.parquet.*"))


#: the fields prepare_standar reads together, spoiled: an adoption date absent, blank, partial or
#: malformed, a precision absent or not, a decree number with its year (or none, or digits that are
#: not ASCII), and the drafting dates of PP 96/2012 Pasal 27 around Lebaran and Christmas holidays
_DAY_SPOIL = st.sampled_from([None, "", "  ", "2021-05-03", "2024-04-16", "Januari 2021", "2021", "2021-13-01",
                              "9 Januari 2021", "2021-05-03T10:00:00+07:00", "03/05/2021", "-"])
_PRECISION_SPOIL = st.sampled_from(["<absent>", None, "", "tahun", "bulan", "hari", "HARI", "kira-kira"])
_NUMBER_SPOIL = st.sampled_from(["<absent>", None, "", "SK Nomor 7 Tahun 2020", "188/12/2024", "No 12345/2019",
                                 "1999 dan 2001", "20201", "Tahun \u0662\u0660\u0662\u0661", "Tahun 20\u0662\u0661", "2018 dan 2019\u0661",
                                 "Tahun 2021x", "x2021", "1899", "2100", "12019", "2019 ", "Perbup 5/2018\n2",
                                 "tanpa tahun", "Kep. 1900/2099"])
_DRAFT_SPOIL = st.sampled_from([None, "", "2024-04-03", "2024-04-05", "2024-04-08", "2024-04-12", "2024-04-19",
                                "2024-04-22", "2024-04-24", "2024-12-20", "2024-12-24", "2024-12-31", "2025-01-03",
                                "2025-03-28", "2025-04-09", "8 April 2024", "2024-02-30"])
#: the bundled rules that read a standard's adoption date, and PP96-27-1 (batas_hari_kerja)
DECREE_RULES = ("UU25-15a", "PP96-24-1", "PP96-26-3", "PP96-27-1", "PP96-27-2", "PP96-27-3", "PP96-27-4",
                "PP96-32-1", "PP96-33-1", "UU25-23-4c-layanan")


def test_decree_dated_standard_same_findings(ruleset, base, tmp_path_factory):
    """``standar.ditetapkan_pada`` read in SQL as ``prepare_standar`` gives it (from the decree
    number's last year when no date and no precision are given), and ``batas_hari_kerja`` in SQL:
    the rules reading them run in DuckDB over Parquet and JSON Lines (where the numbers and a year
    typed as a number also come) and agree with the Python engine, value for value and error for error."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = ("ditetapkan_pada", "ditetapkan_presisi", "nomor_penetapan", "berita_acara_pada",
              "rancangan_dipublikasikan_pada", "tanggapan_ditutup_pada")
    one = st.tuples(st.integers(0, 59), _DAY_SPOIL, _PRECISION_SPOIL, _NUMBER_SPOIL, _DRAFT_SPOIL, _DRAFT_SPOIL,
                    _DRAFT_SPOIL)

    @settings(max_examples=4, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.lists(one, min_size=20, max_size=60), st.booleans(),
           st.sampled_from([dt.date(2024, 4, 18), dt.date(2025, 1, 1), dt.date(2026, 12, 3)]))
    def check(spoil, numbers, as_of):
        tmp = tmp_path_factory.mktemp("scandecree")
        data = {e: [dict(r) for r in recs] for e, recs in base.items()}
        for i, *values in spoil:
            rec = data["layanan"][i]
            std = dict(rec.get("standar") or {})
            for f, v in zip(fields, values, strict=True):
                if v == "<absent>":
                    std.pop(f, None)
                else:
                    std[f] = v
            rec["standar"] = std
        folder = tmp / "data.parquet"
        folder.mkdir()
        for entity, recs in data.items():
            if recs:
                pq.write_table(pa.Table.from_pylist(recs), folder / f"{entity}.parquet")
        lines = tmp / "data.jsonl"
        if numbers:  # JSON alone: a year typed as a number, a decree number as a number
            data["layanan"][0]["standar"] = {**data["layanan"][0]["standar"], "ditetapkan_pada": 2021,
                                             "ditetapkan_presisi": None}
            data["layanan"][1]["standar"] = {**data["layanan"][1]["standar"], "ditetapkan_pada": None,
                                             "ditetapkan_presisi": None, "nomor_penetapan": 2020}
        write_lines(lines, data)
        for location in (folder, lines):
            got, b = scan_findings(ruleset, location, as_of, tmp)
            a = python_findings(ruleset, location, as_of)
            assert differences(a, b) == []
            in_python = {part.split(":")[0] for part in got.python_rules.get("layanan", "").split("; ")}
            assert not in_python & set(DECREE_RULES), in_python
            assert got.sql_records["layanan"] >= 10  # the spoiled ones DuckDB cannot read go to Python
            states = {s for (rid, _e, _i), (s, _r, _m) in b.items() if rid in DECREE_RULES}
            assert {"pass", "fail", "not_applicable"} <= states

    check()


_STANDARDS = [
    {}, {"ditetapkan_pada": None}, {"ditetapkan_pada": "", "nomor_penetapan": "SK Nomor 7 Tahun 2020"},
    {"nomor_penetapan": "188/12/2024"}, {"nomor_penetapan": "1999 dan 2001"}, {"nomor_penetapan": "20201"},
    {"nomor_penetapan": "No 12345/2019"}, {"nomor_penetapan": "x2021y"}, {"nomor_penetapan": "Tahun 2021x"},
    {"nomor_penetapan": "Tahun \u0662\u0660\u0662\u0661"}, {"nomor_penetapan": "Tahun 20\u0662\u0661"},
    {"nomor_penetapan": "2018 dan 2019\u0661"}, {"nomor_penetapan": "2018 dan \u06612019"},
    {"nomor_penetapan": "1899 2100"}, {"nomor_penetapan": "Kep. 1900/2099"}, {"nomor_penetapan": "2019\n"},
    {"nomor_penetapan": "\n2018"}, {"nomor_penetapan": "tanpa tahun"}, {"nomor_penetapan": ""},
    {"nomor_penetapan": "2020", "ditetapkan_presisi": ""}, {"nomor_penetapan": "2020", "ditetapkan_presisi": "hari"},
    {"nomor_penetapan": "2020", "ditetapkan_presisi": "bulan"}, {"nomor_penetapan": "2020", "ditetapkan_pada": "  "},
    {"nomor_penetapan": "2020", "ditetapkan_pada": "2021-05-03"}, {"nomor_penetapan": "2020", "ditetapkan_pada": "2021"},
    {"nomor_penetapan": "2020", "ditetapkan_pada": "Mei 2021"}, {"ditetapkan_pada": "2021-05-03", "ditetapkan_presisi": "tahun"},
    {"ditetapkan_pada": "2021-02-30"}, {"ditetapkan_presisi": "tahun"}, {"ditetapkan_presisi": "TAHUN"},
    {"nomor_penetapan": "No. 1/2016 jo. 4/2017 jo 9/2023"},
]


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_decree_dated_columns_are_the_models(fmt, tmp_path):
    """The typed ``standar.ditetapkan_pada`` / ``ditetapkan_presisi`` of every value DuckDB reads
    are what ``prepare_standar`` and the model give (the year of the decree number's last four-digit
    run, not only ASCII digits, when no day and no precision are given); the others go to Python."""
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    from layanan_rules.engine import columns
    from layanan_rules.engine import sql as esql
    from layanan_rules.model.convert import structure_record

    standards = [dict(s) for s in _STANDARDS]
    if fmt == "jsonl":
        standards += [{"ditetapkan_pada": 2021}, {"nomor_penetapan": 2020}, {"ditetapkan_pada": 2021.0},
                      {"ditetapkan_presisi": None, "nomor_penetapan": ["2020"]}]
    # every field present in every struct (Parquet), absent ones as null: the model reads both alike
    recs = [{"id": f"L{i}", "standar": {"ditetapkan_pada": None, "ditetapkan_presisi": None,
                                        "nomor_penetapan": None, **s} if fmt == "parquet" else
                       {"dasar_hukum": ["UU 25/2009"], **s}}  # (a standard without it goes to Python in JSON)
            for i, s in enumerate(standards)]
    lay = esql.layout("layanan", ["standar.ditetapkan_pada", "standar.ditetapkan_presisi"])
    con = duckdb.connect()
    if fmt == "parquet":
        pq.write_table(pa.Table.from_pylist(recs), tmp_path / "l.parquet")
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{tmp_path / 'l.parquet'}')").fetchall()
        shape = {d[0]: columns.duckdb_shape(d[1]) for d in described}
        typed = columns.parquet_columns("layanan", lay, shape, "duckdb")
        rows = f"SELECT * FROM read_parquet('{tmp_path / 'l.parquet'}')"
    else:
        (tmp_path / "l.json").write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
        typed = columns.json_columns("layanan", lay)
        rows = (f"SELECT id, json_extract(j, '$.standar') AS \"__j_standar\" FROM (SELECT json AS j, json ->> '$.id' AS id "
                f"FROM read_json_objects('{tmp_path / 'l.json'}', format='newline_delimited'))")
    bad = " OR ".join(f"({b})" for b in typed.bad) or "false"
    names = ", ".join(f'"{c.name}"' for c in lay.columns)
    got = con.execute(f"SELECT id, {names}, coalesce({bad}, false) "
                      f"FROM (SELECT x.*, {', '.join(typed.select)} FROM ({rows}) x) x ORDER BY id").fetchall()
    by_id = {r[0]: r[1:] for r in got}
    read = 0
    for rec in recs:
        obj, problems = structure_record("layanan", rec)
        *values, is_bad = by_id[rec["id"]]
        if is_bad:
            continue
        read += 1
        std = obj.standar
        want = (std.ditetapkan_pada if std else None,
                std.ditetapkan_presisi.value if std and std.ditetapkan_presisi else None)
        names = [c.path[-1] for c in lay.columns]
        assert {k: v for k, v in zip(names, values, strict=True) if k != "standar"} == dict(zip(["ditetapkan_pada", "ditetapkan_presisi"], want,
                                                                  strict=True)), rec
        assert not [p for p in problems if "ditetapkan" in str(p)], (rec, problems)
    assert read >= len(_STANDARDS) - 8  # DuckDB reads most of them itself


def test_decimal_ranges_table_is_the_computation():
    import unicodedata

    from layanan_rules.engine import columns

    if unicodedata.unidata_version in columns._DECIMAL_RANGES:
        assert list(columns._DECIMAL_RANGES[unicodedata.unidata_version]) == columns.decimal_ranges()


# --- kasus() in SQL: a standard's time and fee, with and without cases ----------------------------------------

#: the bundled rules reading ``kasus()`` of a time or fee without another Python-only function
KASUS_RULES = ("UU25-21d", "UU25-21d-hari")
_UNITS = st.sampled_from(["hari", "HARI", "Hari ", "jam", "minggu", "bulan", "tahun", "abad", "", " ", "h\u00e4ri",
                          None, "<absent>"])
_KINDS = st.sampled_from(["kerja", "kalender", "Kerja", "", "kerja\u00a0", None, "<absent>"])
_AMOUNTS = st.sampled_from([3, 0, -2, 1.5, 10**6, None, "<absent>"])
_TEXTS = st.sampled_from([None, "", "  ", "3 hari kerja", "\u0663 hari", "<absent>"])
_TIME = st.fixed_dictionaries({}, optional={"jumlah": _AMOUNTS, "satuan": _UNITS, "jenis_hari": _KINDS,
                                            "teks": _TEXTS, "untuk": st.sampled_from(["WNA", "", None])})
#: a time as a service writes it: a struct (with cases, sometimes), text (parsed: Python), null, absent
_TIMES = st.one_of(
    _TIME, _TIME, _TIME,
    st.builds(lambda top, cases: {**top, "kasus": cases}, _TIME, st.lists(_TIME, max_size=3)),
    st.sampled_from([None, "<absent>", "3 hari kerja", "Pemohon baru: 3 hari kerja; Perpanjangan: 1 hari",
                     "menyesuaikan", ""]))
_FEE = st.fixed_dictionaries({}, optional={"gratis": st.sampled_from([True, False, None]),
                                           "jumlah": st.sampled_from([0, 5000, -1, None]),
                                           "dasar_hukum": st.sampled_from([None, "", "Perda No 5 Tahun 2019"])})


def _clean(value):
    """``value`` without the keys marked absent (a struct), or None for an absent value."""
    if isinstance(value, dict):
        return {k: _clean(v) if k != "kasus" else [_clean(c) for c in v] for k, v in value.items() if v != "<absent>"}
    return value


def test_kasus_in_sql_same_findings(ruleset, base, tmp_path_factory):
    """``kasus(layanan.standar.jangka_waktu)`` in DuckDB: a time read column by column is its own
    one case, an absent one none; a time given with cases, as text or otherwise not as the model
    reads it goes to Python. Over Parquet and JSON Lines the rules reading it agree with the Python
    engine, state for state and error for error, and run in SQL."""
    one = st.tuples(st.integers(0, 59), _TIMES, st.one_of(_FEE, st.none()))

    @settings(max_examples=6, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.lists(one, min_size=20, max_size=60), st.booleans())
    def check(spoil, parquet_cases):
        tmp = tmp_path_factory.mktemp("scankasus")
        data = {e: [dict(r) for r in recs] for e, recs in base.items()}
        for i, time, fee in spoil:
            rec = data["layanan"][i]
            std = dict(rec.get("standar") or {})
            if time == "<absent>":
                std.pop("jangka_waktu", None)
            else:
                std["jangka_waktu"] = _clean(time)
            if fee is not None:
                std["biaya"] = _clean(fee)
            rec["standar"] = std
        lines = tmp / "data.jsonl"
        write_lines(lines, data)
        locations = [lines]
        # Parquet: one type per column; the texts and mixed types JSON alone carries
        structs = [r for r in data["layanan"] if not isinstance((r.get("standar") or {}).get("jangka_waktu"), str)]
        for r in structs:
            jw = (r.get("standar") or {}).get("jangka_waktu")
            if isinstance(jw, dict):
                jw = {k: v for k, v in jw.items() if k != "kasus" or parquet_cases}
                for part in [jw, *jw.get("kasus", [])]:
                    for k in ("jumlah",):
                        if isinstance(part.get(k), (int, float)) and not isinstance(part.get(k), bool):
                            part[k] = float(part[k])
                r["standar"] = {**r["standar"], "jangka_waktu": jw}
        folder = write_parquet(tmp / "data.parquet", {**data, "layanan": structs})
        locations.append(folder)
        for location in locations:
            as_of = dt.date(2025, 1, 1)
            got, b = scan_findings(ruleset, location, as_of, tmp)
            a = python_findings(ruleset, location, as_of)
            assert differences(a, b) == []
            in_python = {part.split(":")[0] for part in got.python_rules.get("layanan", "").split("; ")}
            assert not in_python & set(KASUS_RULES), in_python
            assert got.sql_records["layanan"] >= 10  # the times DuckDB cannot read (text, cases) go to Python
            states = {s for (rid, _e, _i), (s, _r, _m) in b.items() if rid in KASUS_RULES}
            assert {"pass", "fail"} <= states, states

    check()


def test_kasus_in_sql_over_records_with_cases(ruleset):
    """The DuckDB engine over records already read (Arrow): a time's cases given are the list's
    items, each with its own fields; the same states and errors as the Python engine."""
    from test_engine_sql import disagreements

    recs = []
    for k, jw in enumerate([
        {"jumlah": 3, "satuan": "hari", "kasus": [{"untuk": "loket", "jumlah": 3, "satuan": "hari", "jenis_hari": "kerja"},
                                                  {"untuk": "daring", "teks": "segera"}]},
        {"jumlah": 3, "satuan": "hari", "kasus": [{"untuk": "a", "jumlah": 2, "satuan": "hari", "jenis_hari": "kerja"},
                                                  {"untuk": "b", "jumlah": 5, "satuan": "jam"}]},
        {"kasus": [{"untuk": "a", "jumlah": 2, "satuan": "hari"}]},
        "Pemohon baru: 3 hari kerja; Perpanjangan: 1 hari kerja", "WNI: 3 hari; WNA: 5 hari kerja",
        {"jumlah": 3, "satuan": "hari"}, {"jumlah": 3, "satuan": "hari", "jenis_hari": "kerja"}, {"teks": "segera"},
        None, {}, {"kasus": []},
    ]):
        recs.append({"id": f"L{k}", "nama": "Layanan Contoh", "standar": {"jangka_waktu": jw}})
    assert disagreements(ruleset, {"layanan": recs}) == []
    from layanan_rules.engine import sql

    choices = sql.plan(ruleset)
    assert all(choices[rid].backend == "duckdb" for rid in KASUS_RULES)


_KASUS_RULES = {
    "K-fee": "kasus(layanan.standar.biaya).all(b, b.gratis == true || (has(b.jumlah) && b.jumlah >= 0))",
    "K-size": "size(kasus(layanan.standar.jangka_waktu)) == 1",
    "K-map": "kasus(layanan.standar.jangka_waktu).map(k, has(k.untuk) ? k.untuk : '-').exists(u, u == 'WNA')",
    "K-ext": "kasus(layanan.standar.jangka_waktu).all(k, !has(k.perpanjangan))",
    "K-own": "kasus(layanan.standar.jangka_waktu).all(k, size(k.kasus) == 0)",
}


def test_kasus_over_fees_and_what_has_no_sql_form(tmp_path):
    """``kasus()`` of a fee, its size, a map over the cases in SQL, agreeing with Python over records
    with and without cases; a case's own cases or extension (a struct column cannot hold them) stay
    in Python, and ``rules show`` would say why."""
    import yaml
    from test_engine_sql import disagreements

    from layanan_rules.engine import sql

    (tmp_path / "ruleset.yaml").write_text((ROOT / "bench" / "ruleset" / "ruleset.yaml").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    rules = [{"id": rid, "title": {"id": rid, "en": rid}, "legal_basis": [{"act": "UU 25/2009", "article": "21"}],
              "applies_to": "layanan", "require": text, "severity": "medium",
              "remedy": {"id": "Lengkapi.", "en": "Complete it."}} for rid, text in _KASUS_RULES.items()]
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    rs = load_ruleset(tmp_path)
    choices = {r.id: sql.choice(rs, r) for r in rs.rules}
    assert {rid for rid, c in choices.items() if c.backend == "duckdb"} == {"K-fee", "K-size", "K-map"}
    assert "perpanjangan" in choices["K-ext"].reason and "kasus" in choices["K-own"].reason
    fees = [{"gratis": True}, {"gratis": False, "jumlah": 5000}, {"gratis": False}, None, {},
            {"kasus": [{"untuk": "Umum", "jumlah": 5000}, {"untuk": "BPJS", "gratis": True}]},
            {"kasus": [{"untuk": "Umum", "gratis": False}]}, "Umum: Rp 50.000; Peserta BPJS: gratis", "gratis"]
    times = [{"jumlah": 3, "satuan": "hari", "untuk": "WNA"}, {"jumlah": 3, "satuan": "hari"}, None,
             {"kasus": [{"untuk": "WNI", "jumlah": 3, "satuan": "hari"}, {"untuk": "WNA", "jumlah": 5, "satuan": "hari"}]},
             "WNI: 3 hari; WNA: 5 hari kerja"]
    recs = [{"id": f"L{k}", "nama": "Layanan Contoh", "standar": {"biaya": fees[k % len(fees)],
                                                                   "jangka_waktu": times[k % len(times)]}}
            for k in range(len(fees) * len(times))]
    assert disagreements(rs, {"layanan": recs}, limit=20) == []
    # and the scan over Parquet (structs only; those with cases go to Python) and JSON Lines
    structs = [r for r in recs if not any(isinstance(v, str) for v in r["standar"].values())]
    folder = write_parquet(tmp_path / "k.parquet", {"layanan": structs})
    lines = tmp_path / "k.jsonl"
    write_lines(lines, {"layanan": recs})
    as_of = dt.date(2025, 1, 1)
    for location in (folder, lines):
        got, b = scan_findings(rs, location, as_of, tmp_path)
        assert differences(python_findings(rs, location, as_of), b) == []
    got, _b = scan_findings(rs, folder, as_of, tmp_path)
    assert got.sql_records["layanan"] >= 10, (got.sql_records, got.python_records)


def test_rules_show_and_list_name_kasus_rules_duckdb():
    """``rules show`` and ``rules list --json`` say the ``kasus`` rules run in DuckDB, and why the
    fee rules that also call ``peraturan_bernomor`` do not."""
    from click.testing import CliRunner

    from layanan_rules.cli import cli

    for rid in KASUS_RULES:
        r = CliRunner().invoke(cli, ["rules", "show", rid], catch_exceptions=False)
        assert "--engine duckdb: duckdb" in r.output, r.output
    r = CliRunner().invoke(cli, ["rules", "list", "--json"], catch_exceptions=False)
    rules = {x["id"]: x for x in json.loads(r.output)["rules"]}
    assert all(rules[rid]["backend"] == "duckdb" for rid in KASUS_RULES)
    assert "peraturan_bernomor" in rules["UU25-21e"]["backend_reason"]
    assert "peraturan_bernomor" in rules["UU25-31-4"]["backend_reason"]
