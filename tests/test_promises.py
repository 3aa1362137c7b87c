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
from layanan_rules.report.stream import findings_of
from layanan_rules.rules.functions import cases, period_start, promise_case, promise_for

AS_OF = dt.date(2025, 1, 31)
TIERS = "Ringan: 2 hari kerja; Sedang: 5 hari kerja; Berat: 14 hari kerja; Sangat berat: 60 hari kerja"


@pytest.fixture(scope="module")
def ruleset():  # type: ignore[no-untyped-def]
    return load_ruleset()


def _doc(ruleset: Any, data: dict[str, Any], **params: Any) -> dict[str, Any]:
    rs = ruleset.with_params(params) if params else ruleset
    return evaluate(rs, data, as_of=AS_OF).to_dict()


def _finding(doc: dict[str, Any], rule_id: str, entity_id: str) -> dict[str, Any]:
    (f,) = [f for f in findings_of(doc) if f["rule_id"] == rule_id and f["entity_id"] == entity_id]
    return f


def _computed(f: dict[str, Any], function: str) -> list[dict[str, Any]]:
    return [v for k, v in f["evidence"].items() if k.startswith(function + "(")]


def test_complaints_are_held_to_the_tier_of_their_class(ruleset) -> None:  # type: ignore[no-untyped-def]
    def one(pengaduan: dict[str, Any]) -> dict[str, Any]:
        data = {"layanan": [{"id": "L1", "nama": "Perizinan", "standar": {"tenggat_pengaduan": TIERS}}],
                "pengaduan": [{"id": "A1", "layanan_id": "L1", **pengaduan}]}
        return _finding(_doc(ruleset, data), "UU25-15f-pengaduan", "L1")

    # received Monday 2 Dec 2024, closed Friday 6 Dec: 4 working days
    week = {"diterima_pada": "2024-12-02T09:00:00+07:00", "selesai_pada": "2024-12-06T09:00:00+07:00"}
    ringan = one({"kelas": "ringan", **week})
    assert ringan["state"] == "fail"
    (late,) = ringan["evidence"]["terlambat"]
    detail = late["rincian"]
    assert (late["id"], detail["kasus"], detail["hari"], detail["batas"]) == ("A1", "Ringan", 4, "2024-12-04")
    assert detail["kalender"].startswith("hari kerja") and detail["tepat_janji"] is False
    assert one({"kelas": "Sedang", **week})["state"] == "pass"
    # no class: the longest promise, so it is never judged against a shorter one
    assert one(week)["state"] == "pass"
    # still open, class berat, 14 working days long past: counted up to as_of
    open_late = one({"kelas": "berat", "diterima_pada": "2024-11-01T09:00:00+07:00"})
    assert open_late["state"] == "fail"
    assert open_late["evidence"]["terlambat"][0]["rincian"]["sampai"] == AS_OF.isoformat()
    # still open, still within its 60 working days: not decided yet
    assert one({"kelas": "sangat berat", "diterima_pada": "2025-01-20T09:00:00+07:00"})["state"] == "not_applicable"
    # a decision ends the handling before a later closure
    decided = one({"kelas": "ringan", "diterima_pada": "2024-12-02T09:00:00+07:00",
                   "diputuskan_pada": "2024-12-03T09:00:00+07:00", "selesai_pada": "2024-12-20T09:00:00+07:00"})
    assert decided["state"] == "pass"


def test_applications_are_held_to_their_case_and_extension(ruleset) -> None:  # type: ignore[no-untyped-def]
    def one(jangka_waktu: str, permohonan: dict[str, Any]) -> dict[str, Any]:
        data = {"layanan": [{"id": "L1", "standar": {"jangka_waktu": jangka_waktu}}],
                "permohonan": [{"id": "P1", "layanan_id": "L1", **permohonan}]}
        return _finding(_doc(ruleset, data), "UU25-15f-waktu", "L1")

    by_channel = "1 hari kerja untuk permohonan daring dan 3 hari kerja untuk permohonan di loket"
    mon_to_wed = {"diajukan_pada": "2024-12-02T09:00:00+07:00", "selesai_pada": "2024-12-04T09:00:00+07:00"}
    daring = one(by_channel, {"kategori": "daring", **mon_to_wed})
    assert daring["state"] == "fail"
    assert daring["evidence"]["terlambat"][0]["rincian"]["kasus"] == "permohonan daring"
    assert one(by_channel, {"kategori": "loket", **mon_to_wed})["state"] == "pass"
    # 18 working days: over 14, within the 14 + 7 the standard allows
    extended = {"diajukan_pada": "2024-11-01T09:00:00+07:00", "selesai_pada": "2024-11-27T09:00:00+07:00"}
    assert one("paling lama 14 hari kerja, dapat diperpanjang 7 hari kerja", extended)["state"] == "pass"
    assert one("paling lama 14 hari kerja", extended)["state"] == "fail"


def test_every_deadline_finding_shows_the_days_and_the_calendar(ruleset) -> None:  # type: ignore[no-untyped-def]
    data = {"pengaduan": [{"id": "A1", "diterima_pada": "2024-06-03T10:00:00+07:00",
                           "ditanggapi_pada": "2024-06-28T10:00:00+07:00", "materi_lengkap": True}]}
    for params, calendar, days in (({}, "hari kalender", 25), ({"hari_kerja_untuk_tenggat_uu": "true"}, "hari kerja", 17)):
        f = _finding(_doc(ruleset, data, **params), "UU25-44-3", "A1")
        assert f["state"] == "fail"
        shown = _computed(f, "batas_waktu")
        assert shown and all(v["kalender"].startswith(calendar) for v in shown), f["evidence"]
        # the deadline is compared with the answer's date: that date and the days counted to it are shown
        assert {(v["sampai"], v["hari_berlalu"]) for v in shown} == {("2024-06-28", days)}


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
    assert "tanggal tidak diketahui, hanya tahunnya" in f["evidence"]["standar.ditetapkan_pada:catatan"]
    assert _finding(doc, "UU25-15a", "L2")["state"] == "pass"  # from 1 January 2025
    not_yet = _finding(doc, "UU25-15a", "L3")
    assert not_yet["state"] == "fail"
    (period,) = _computed(not_yet, "awal_periode")  # a failure shows the arithmetic
    assert period["awal"] == "2026-01-01" and "tanggal tidak diketahui" in period["catatan"]
    # review every 3 years runs from the year's end, and the evidence says the date is that of the year only
    review = _finding(doc, "PP96-33-1", "L1")
    assert review["state"] == "fail"  # 31 Dec 2020 + 3 years < 31 Jan 2025
    assert {k: v for k, v in review["evidence"].items() if not k.endswith(":catatan")} == {
        "standar.ditetapkan_pada": "2020-12-31", "standar.ditinjau_pada": None, "standar.ditetapkan_presisi": "tahun"}
    assert "2020-12-31 (akhir periode)" in review["evidence"]["standar.ditetapkan_pada:catatan"]
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
    assert promise_for(tiers, "BERAT").untuk == "Berat"
    assert promise_for(tiers, "sangat").untuk == "Sangat berat"  # the one case that contains it
    assert promise_for(tiers, "kritis").untuk == "Sangat berat"  # no match: the longest
    assert "terpanjang" in promise_case(tiers, None)[1]
    assert period_start(dt.date(2021, 12, 31), "tahun") == dt.date(2021, 1, 1)
    assert period_start(dt.date(2021, 1, 31), "bulan") == dt.date(2021, 1, 1)
    assert period_start(dt.date(2021, 1, 31), None) == dt.date(2021, 1, 31)
