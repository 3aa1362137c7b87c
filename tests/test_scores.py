"""Scores and zones: weights from the ruleset, exclusions, too little data, roll-ups, zone bands."""

from __future__ import annotations

import pytest
from test_reporters_helpers import document, example_report, mini_ruleset, render, rule, write_json

from layanan_rules import load_ruleset
from layanan_rules.report.scores import DEFAULT_ZONES, ScoreConfigError, zone_for, zones_from
from layanan_rules.report.stream import findings_of
from layanan_rules.rules.rulefile import RulesetSpec, Text


@pytest.mark.parametrize(("score", "zone"), [
    (100, "hijau"), (81, "hijau"), (80.99, "kuning"), (51, "kuning"), (50.99, "merah"), (0, "merah"),
])
def test_default_zones_are_the_ombudsman_2021_bands(score, zone):
    assert zone_for(score, DEFAULT_ZONES).name == zone


def test_ruleset_zones_replace_the_defaults_and_open_bands_end_below_the_next():
    spec = RulesetSpec("x", Text("x", "x"), "1", zones=(
        {"name": "merah", "min": 0}, {"name": "hijau", "min": 90, "label": {"id": "baik", "en": "good"}},
        {"name": "kuning", "min": 60, "color": "#ffcc00"}))
    zones, _basis = zones_from(spec)
    assert [(z.name, z.min, z.max) for z in zones] == [("hijau", 90, 100), ("kuning", 60, 89.99), ("merah", 0, 59.99)]
    assert zones[0].label.en == "good" and zones[1].color == "#ffcc00"
    assert zone_for(89.99, zones).name == "kuning"


def test_a_broken_zones_entry_is_a_config_error():
    with pytest.raises(ScoreConfigError, match=r"zones\[0\]"):
        zones_from(RulesetSpec("x", Text("x", "x"), "1", zones=({"name": "hijau"},)))


def _units(tmp_path, passing: int, failing: int, prefix: str = "U") -> dict:
    units = [{"id": f"{prefix}{i}", "alamat_pengaduan": "Jl. Contoh"} for i in range(passing)]
    units += [{"id": f"{prefix}X{i}"} for i in range(failing)]
    return {"unit": units}


def test_weights_come_from_the_rule_or_its_severity_in_the_ruleset(tmp_path):
    folder = mini_ruleset(
        tmp_path,
        rule("R-BERAT", "unit", "has(unit.alamat_pengaduan)", severity="high", extra="weight: 9\n")
        + rule("R-RINGAN", "unit", "has(unit.pengelola_pengaduan)", severity="low"),
        "severity_weights: {critical: 5, high: 4, medium: 3, low: 1, info: 1}\n",
    )
    # R-BERAT passes (weight 9), R-RINGAN fails (weight: severity low = 1) on each of 5 units
    data = write_json(tmp_path / "d.json", {"unit": [{"id": f"U{i}", "alamat_pengaduan": "x"} for i in range(5)]})
    doc = document(example_report(data=data, ruleset=load_ruleset(str(folder))))
    total = doc["scores"]["total"]
    assert total["score"] == 90.0 and total["weight_earned"] == 45 and total["weight_possible"] == 50
    assert doc["scores"]["method"]["weights"] == {
        "severity": {"critical": 5, "high": 4, "medium": 3, "low": 1, "info": 1}, "rules": {"R-BERAT": 9.0}}


def test_error_not_applicable_and_waived_are_not_scored_but_counted(tmp_path):
    folder = mini_ruleset(
        tmp_path,
        rule("R-ADA", "unit", "has(unit.alamat_pengaduan)")
        + rule("R-NA", "unit", "true", extra="when: unit.nama == 'tidak ada'\n"),
    )
    data = write_json(tmp_path / "d.json", {"unit": [
        {"id": "U1", "alamat_pengaduan": "x"}, {"id": "U2", "alamat_pengaduan": "x"}, {"id": "U3"}]})
    rep = example_report(data=data, ruleset=load_ruleset(str(folder)))
    total = document(rep, min_scored=1)["scores"]["total"]
    assert total["counts"] == {"pass": 2, "fail": 1, "not_applicable": 3, "error": 0, "waived": 0}
    assert total["scored"] == 3 and total["findings"] == 6 and total["score"] == pytest.approx(66.67)


def test_fewer_scored_findings_than_the_minimum_is_too_little_data(tmp_path):
    folder = mini_ruleset(tmp_path, rule("R-ADA", "unit", "has(unit.alamat_pengaduan)"))
    data = write_json(tmp_path / "d.json", _units(tmp_path, 3, 1))
    rep = example_report(data=data, ruleset=load_ruleset(str(folder)))
    total = document(rep)["scores"]["total"]
    assert total["scored"] == 4 and not total["sufficient"] and total["zone"] is None and total["score"] == 75.0
    assert "data tidak cukup" in render(rep, "table") and "too little data" in render(rep, "markdown", lang="en")
    assert document(rep, min_scored=4)["scores"]["total"]["zone"] == "kuning"


def test_findings_roll_up_unit_to_penyelenggara_to_wilayah(tmp_path):
    folder = mini_ruleset(
        tmp_path,
        rule("R-TANGGAP", "pengaduan", "has(pengaduan.ditanggapi_pada)")
        + rule("R-NAMA", "penyelenggara", "has(penyelenggara.pembina)"),
    )
    data = write_json(tmp_path / "d.json", {
        "penyelenggara": [{"id": "P1", "nama": "Pemkot A", "wilayah": "Jawa Barat", "pembina": "Wali Kota"},
                          {"id": "P2", "nama": "Pemkab B", "wilayah": "Jawa Barat"}],
        "unit": [{"id": "U1", "penyelenggara_id": "P1", "nama": "Dinas 1"},
                 {"id": "U2", "penyelenggara_id": "P2", "nama": "Dinas 2"}],
        "layanan": [{"id": "L1", "unit_id": "U1"}],
        "pengaduan": [
            {"id": "A1", "layanan_id": "L1", "diterima_pada": "2025-01-02", "ditanggapi_pada": "2025-01-03"},
            {"id": "A2", "unit_id": "U2", "diterima_pada": "2025-01-02"},
            {"id": "A3", "unit_id": "U2", "diterima_pada": "2025-01-02", "ditanggapi_pada": "2025-01-05"},
        ],
    })
    doc = document(example_report(data=data, ruleset=load_ruleset(str(folder))), min_scored=1)
    a1 = next(f for f in findings_of(doc) if f["entity_id"] == "A1")
    assert (a1["unit_id"], a1["penyelenggara_id"], a1["wilayah"]) == ("U1", "P1", "Jawa Barat")  # through its layanan
    units = {s["key"]: s for s in doc["scores"]["unit"]}
    assert units["U1"]["score"] == 100.0 and units["U2"]["score"] == 50.0 and units["U2"]["parent"] == "P2"
    assert [s["key"] for s in doc["scores"]["unit"]] == ["U2", "U1"]  # worst first
    pens = {s["key"]: s for s in doc["scores"]["penyelenggara"]}
    assert pens["P1"]["scored"] == 2 and pens["P1"]["score"] == 100.0  # A1 + its own R-NAMA
    assert pens["P2"]["scored"] == 3 and pens["P2"]["score"] == pytest.approx(33.33)
    (wil,) = doc["scores"]["wilayah"]
    assert wil["key"] == "Jawa Barat" and wil["scored"] == 5 and wil["score"] == 60.0


def test_chapters_come_from_bab_tags_or_the_rule_file_name(tmp_path):
    folder = mini_ruleset(
        tmp_path,
        rule("R-A", "unit", "true", extra="tags: [bab-vii-pengaduan]\n") + rule("R-B", "unit", "true"),
    )
    data = write_json(tmp_path / "d.json", {"unit": [{"id": "U1"}]})
    doc = document(example_report(data=data, ruleset=load_ruleset(str(folder))))
    assert {s["key"]: s["name"] for s in doc["scores"]["chapter"]} == {
        "bab-vii-pengaduan": "BAB VII Pengaduan", "aturan": "Aturan"}


def test_example_scores_are_consistent(tmp_path):
    doc = document(example_report())
    sc = doc["scores"]
    assert doc["summary"]["score"] == sc["total"]["score"]
    assert sum(s["scored"] for s in sc["chapter"]) == sc["total"]["scored"]
    assert sum(s["findings"] for s in sc["unit"]) + sum(
        1 for f in findings_of(doc) if not f.get("unit_id")) == len(findings_of(doc))
    assert "Ombudsman" in sc["method"]["zones_basis"]["id"] and "2021" in sc["method"]["zones_basis"]["en"]


def test_zones_declared_in_ruleset_yaml_are_used_in_reports(tmp_path):
    folder = mini_ruleset(
        tmp_path, rule("R-ADA", "unit", "has(unit.alamat_pengaduan)"),
        "zones:\n  - {name: baik, min: 75, label: {id: Baik, en: Good}, color: '#0000ff', basis: Pedoman Inspektorat 2025}\n"
        "  - {name: buruk, min: 0, label: {id: Buruk, en: Poor}}\n",
    )
    data = write_json(tmp_path / "d.json", {"unit": [{"id": f"U{i}", "alamat_pengaduan": "x"} for i in range(4)]
                                           + [{"id": "U9"}]})  # 4 of 5: 80
    rep = example_report(data=data, ruleset=load_ruleset(str(folder)))
    doc = document(rep)
    assert doc["summary"]["zone"] == "baik"
    assert [z["name"] for z in doc["scores"]["method"]["zones"]] == ["baik", "buruk"]
    assert doc["scores"]["method"]["zones_basis"]["id"] == "Pedoman Inspektorat 2025"
    html = render(rep, "html")
    assert "#0000ff" in html and ">Baik</span>" in html and "zone.baik" not in html
    assert "80,0 Baik" in render(rep, "table") and "80.0 (Good)" in render(rep, "markdown", lang="en")


@pytest.mark.parametrize(("score", "zone"), [(50.995, "kuning"), (50.994, "merah"), (80.995, "hijau"), (80.994, "kuning")])
def test_zones_use_the_ikm_rounding_rule_half_up_on_two_decimals(score, zone):
    """50.995 and 80.995 both round half-up (51.00 kuning, 81.00 hijau), as an IKM of 88.305 does."""
    assert zone_for(score, DEFAULT_ZONES).name == zone


def test_a_score_is_computed_exactly_from_the_weights(tmp_path):
    """0.50995 / (0.50995 + 0.49005) is 50.995 exactly: half-up gives 51.00 and kuning, whatever the
    binary sums of the weights would round to."""
    folder = mini_ruleset(
        tmp_path,
        rule("R-LULUS", "unit", "true", extra="weight: 0.50995\n")
        + rule("R-GAGAL", "unit", "false", extra="weight: 0.49005\n"),
    )
    data = write_json(tmp_path / "d.json", {"unit": [{"id": f"U{i}"} for i in range(3)]})
    total = document(example_report(data=data, ruleset=load_ruleset(str(folder))))["scores"]["total"]
    assert total["score"] == 51.0 and total["zone"] == "kuning"
