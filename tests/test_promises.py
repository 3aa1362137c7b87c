"""The unit's own promises and what a deadline finding shows.

A service's published completion time is checked against each application (``permohonan``), its
published complaint-handling time (tiered by class) against each complaint; every deadline finding's
evidence shows the days counted and the calendar used. A standard known only by its decree number and
year counts as adopted, and the evidence says the date is unknown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from layanan_rules import evaluate, load_ruleset
from layanan_rules.model.convert import structure_record
from layanan_rules.rules.functions import cases, keeps_promise, period_start, promise_case

AS_OF = dt.date(2025, 1, 31)
TIERS = "Ringan: 2 hari kerja; Sedang: 5 hari kerja; Berat: 14 hari kerja; Sangat berat: 60 hari kerja"


@pytest.fixture(scope="module")
def ruleset():  # type: ignore[no-untyped-def]
    return load_ruleset()


def _doc(ruleset: Any, data: dict[str, Any], **params: Any) -> dict[str, Any]:
    rs = ruleset.with_params(params) if params else ruleset
    return evaluate(rs, data, as_of=AS_OF).to_dict()


def _finding(doc: dict[str, Any], rule_id: str, entity_id: str) -> dict[str, Any]:
    (f,) = [f for f in doc["findings"] if f["rule_id"] == rule_id and f["entity_id"] == entity_id]
    return f


def _computed(f: dict[str, Any], function: str) -> list[dict[str, Any]]:
    return [v for k, v in f["evidence"].items() if k.startswith(function + "(")]


def test_complaints_are_held_to_the_tier_of_their_class(ruleset) -> None:  # type: ignore[no-untyped-def]
    data = {
        "layanan": [{"id": "L1", "nama": "Perizinan", "standar": {"tenggat_pengaduan": TIERS}}],
        "pengaduan": [
            # received Monday 2 Dec 2024, closed Friday 6 Dec: 4 working days
            {"id": "A1", "layanan_id": "L1", "kelas": "ringan", "diterima_pada": "2024-12-02T09:00:00+07:00",
             "selesai_pada": "2024-12-06T09:00:00+07:00"},
            {"id": "A2", "layanan_id": "L1", "kelas": "Sedang", "diterima_pada": "2024-12-02T09:00:00+07:00",
             "selesai_pada": "2024-12-06T09:00:00+07:00"},
            # no class: the longest promise, so it is never judged against a shorter one
            {"id": "A3", "layanan_id": "L1", "diterima_pada": "2024-12-02T09:00:00+07:00",
             "selesai_pada": "2024-12-06T09:00:00+07:00"},
            # still open, class berat, 14 working days long past
            {"id": "A4", "layanan_id": "L1", "kelas": "berat", "diterima_pada": "2024-11-01T09:00:00+07:00"},
            # still open, still within its 60 working days: not decided yet
            {"id": "A5", "layanan_id": "L1", "kelas": "sangat berat", "diterima_pada": "2025-01-20T09:00:00+07:00"},
        ],
    }
    doc = _doc(ruleset, data)
    states = {i: _finding(doc, "UU25-15f-pengaduan", i)["state"] for i in ("A1", "A2", "A3", "A4", "A5")}
    assert states == {"A1": "fail", "A2": "pass", "A3": "pass", "A4": "fail", "A5": "not_applicable"}
    (a1,) = _computed(_finding(doc, "UU25-15f-pengaduan", "A1"), "tepat_janji")
    assert (a1["lama"], a1["janji"], a1["satuan"], a1["kasus"]) == (4.0, 2.0, "hari kerja", "Ringan")
    assert a1["kalender"].startswith("hari kerja")
    (a3,) = _computed(_finding(doc, "UU25-15f-pengaduan", "A3"), "tepat_janji")
    assert a3["kasus"] == "Sangat berat" and "terpanjang" in a3["pilihan_kasus"]
    (a4,) = _computed(_finding(doc, "UU25-15f-pengaduan", "A4"), "tepat_janji")
    assert a4["sampai"] == AS_OF.isoformat() and a4["lama"] > 14  # counted up to as_of: still open


def test_applications_are_held_to_their_case_and_extension(ruleset) -> None:  # type: ignore[no-untyped-def]
    data = {
        "layanan": [
            {"id": "L1", "standar": {"jangka_waktu": "1 hari kerja untuk permohonan daring dan 3 hari kerja untuk "
                                                     "permohonan di loket"}},
            {"id": "L2", "standar": {"jangka_waktu": "paling lama 14 hari kerja, dapat diperpanjang 7 hari kerja"}},
            {"id": "L3", "standar": {"jangka_waktu": "Maksimal 7 Hari"}},  # days unsaid: the ruleset parameter
        ],
        "permohonan": [
            {"id": "P1", "layanan_id": "L1", "kategori": "daring", "diterima_pada": "2024-12-02T09:00:00+07:00",
             "selesai_pada": "2024-12-04T09:00:00+07:00"},
            {"id": "P2", "layanan_id": "L1", "kategori": "loket", "diterima_pada": "2024-12-02T09:00:00+07:00",
             "selesai_pada": "2024-12-04T09:00:00+07:00"},
            # 18 working days: over 14, within 14 + 7
            {"id": "P3", "layanan_id": "L2", "diterima_pada": "2024-11-01T09:00:00+07:00",
             "selesai_pada": "2024-11-27T09:00:00+07:00"},
            # Friday 29 Nov to Monday 9 Dec: 10 calendar days, 6 working days
            {"id": "P4", "layanan_id": "L3", "diterima_pada": "2024-11-29T09:00:00+07:00",
             "selesai_pada": "2024-12-09T09:00:00+07:00"},
        ],
    }
    doc = _doc(ruleset, data)
    states = {i: _finding(doc, "UU25-15f-waktu", i)["state"] for i in ("P1", "P2", "P3", "P4")}
    assert states == {"P1": "fail", "P2": "pass", "P3": "pass", "P4": "fail"}
    (p4,) = _computed(_finding(doc, "UU25-15f-waktu", "P4"), "tepat_janji")
    assert (p4["lama"], p4["satuan"]) == (10.0, "hari kalender") and "parameter" in p4["kalender"]
    (p3,) = _computed(_finding(doc, "UU25-15f-waktu", "P3"), "tepat_janji")
    assert p3["janji"] == 21.0 and p3["perpanjangan"] == "7 hari kerja"
    worked = _doc(ruleset, data, hari_kerja_untuk_tenggat_uu="true")
    assert _finding(worked, "UU25-15f-waktu", "P4")["state"] == "pass"  # 6 working days: within 7
    (p4w,) = _computed(_finding(worked, "UU25-15f-waktu", "P4"), "tepat_janji")
    assert (p4w["lama"], p4w["satuan"]) == (6.0, "hari kerja")


def test_every_deadline_finding_shows_the_days_and_the_calendar(ruleset) -> None:  # type: ignore[no-untyped-def]
    data = {"pengaduan": [{"id": "A1", "diterima_pada": "2024-06-03T10:00:00+07:00",
                           "ditanggapi_pada": "2024-06-28T10:00:00+07:00", "materi_lengkap": True}]}
    for params, calendar, days in (({}, "hari kalender", 25), ({"hari_kerja_untuk_tenggat_uu": "true"}, "hari kerja", 17)):
        f = _finding(_doc(ruleset, data, **params), "UU25-44-3", "A1")
        assert f["state"] == "fail"
        shown = [v for k, v in f["evidence"].items() if "pengaduan.ditanggapi_pada" in k and isinstance(v, dict)]
        assert shown and all(v["kalender"].startswith(calendar) for v in shown), f["evidence"]
        assert {v["hari"] for v in shown} == {days}
        # counting up to today is beside the point once the complaint has its answer
        assert not [k for k in f["evidence"] if "as_of" in k and "ditanggapi" not in k]


def test_a_standard_adopted_by_decree_number_and_year(ruleset) -> None:  # type: ignore[no-untyped-def]
    data = {"layanan": [
        {"id": "L1", "standar": {"nomor_penetapan": "SK Kepala Dinas Nomor 7 Tahun 2020"}},
        {"id": "L2", "standar": {"ditetapkan_pada": "Januari 2025"}},
        {"id": "L3", "standar": {"nomor_penetapan": "SK Nomor 3 Tahun 2026"}},  # after as_of: not yet adopted
    ]}
    doc = _doc(ruleset, data)
    f = _finding(doc, "UU25-15a", "L1")
    assert f["state"] == "pass"
    assert f["evidence"]["standar.ditetapkan_presisi"] == "tahun"
    (period,) = _computed(f, "awal_periode")
    assert period["awal"] == "2020-01-01" and "tanggal tidak diketahui" in period["catatan"]
    assert _finding(doc, "UU25-15a", "L2")["state"] == "pass"  # from 1 January 2025
    assert _finding(doc, "UU25-15a", "L3")["state"] == "fail"
    # review every 3 years runs from the year's end, and the evidence says the date is that of the year only
    review = _finding(doc, "PP96-33-1", "L1")
    assert review["state"] == "fail"  # 31 Dec 2020 + 3 years < 31 Jan 2025
    assert review["evidence"] == {"standar.ditetapkan_pada": "2020-12-31", "standar.ditinjau_pada": None,
                                  "standar.ditetapkan_presisi": "tahun"}
    assert _doc(ruleset, data)["data_issues"] == []  # a decree year is understood, not a data issue


def test_fee_rules_see_every_case(ruleset) -> None:  # type: ignore[no-untyped-def]
    data = {"layanan": [
        {"id": "L1", "standar": {"biaya": "Umum: Rp 50.000 sesuai Perda Kota Contoh Nomor 3 Tahun 2020; "
                                          "Pelajar: Rp 25.000"}},
        {"id": "L2", "standar": {"biaya": "Umum: Rp 50.000; Pelajar: Rp 25.000. "
                                          "Dasar: Perda Kota Contoh Nomor 3 Tahun 2020"}},
        {"id": "L3", "standar": {"biaya": "Peserta BPJS: ditanggung penjamin; Lansia: gratis"}},
    ]}
    doc = _doc(ruleset, data)
    assert _finding(doc, "UU25-31-4", "L1")["state"] == "fail"  # the student tariff names no basis
    assert _finding(doc, "UU25-31-4", "L2")["state"] == "pass"  # the basis is named for the whole cell
    assert _finding(doc, "UU25-31-4", "L3")["state"] == "not_applicable"
    cases_shown = _finding(doc, "UU25-31-4", "L1")["evidence"]["standar.biaya"]["kasus"]
    assert [c["untuk"] for c in cases_shown] == ["Umum", "Pelajar"]


def test_the_case_functions() -> None:
    obj, _ = structure_record("layanan", {"id": "L1", "standar": {"jangka_waktu": TIERS, "biaya": "Gratis"}})
    tiers = obj.standar.jangka_waktu
    assert [c.untuk for c in cases(tiers)] == ["Ringan", "Sedang", "Berat", "Sangat berat"]
    assert cases(obj.standar.biaya) == [obj.standar.biaya] and cases(None) == []
    assert promise_case(tiers, "BERAT")[0].untuk == "Berat"
    assert promise_case(tiers, "sangat")[0].untuk == "Sangat berat"  # the one case that contains it
    assert promise_case(tiers, "kritis")[0].untuk == "Sangat berat"  # no match: the longest
    monday, friday = dt.datetime(2024, 12, 2, 9, tzinfo=dt.UTC), dt.datetime(2024, 12, 6, 9, tzinfo=dt.UTC)
    assert keeps_promise(monday, friday, tiers, "sedang", False) and not keeps_promise(monday, friday, tiers, "ringan",
                                                                                       False)
    assert period_start(dt.date(2021, 12, 31), "tahun") == dt.date(2021, 1, 1)
    assert period_start(dt.date(2021, 1, 31), "bulan") == dt.date(2021, 1, 1)
    assert period_start(dt.date(2021, 1, 31), None) == dt.date(2021, 1, 31)
