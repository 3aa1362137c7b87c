"""The rule format: several sanctions per rule (or the one-citation shorthand), computed evidence."""

from __future__ import annotations

import pytest
from test_reporters_helpers import document, example_report, mini_ruleset, render, rule, write_json

from layanan_rules import load_ruleset
from layanan_rules.report.stream import findings_of
from layanan_rules.rules.ruleset import RulesetError

TWO = """\
sanctions:
  - {act: UU 25/2009, article: "54", paragraph: "2"}
  - {act: UU 25/2009, article: "54", paragraph: "7", note: "juga / also"}
"""


def test_a_rule_carries_several_sanctions_in_order(tmp_path):
    folder = mini_ruleset(tmp_path, rule("R-1", "unit", "has(unit.alamat_pengaduan)", extra=TWO))
    [r] = load_ruleset(str(folder)).rules
    assert [c.label() for c in r.spec.sanctions] == ["UU 25/2009 Pasal 54 ayat (2)", "UU 25/2009 Pasal 54 ayat (7)"]
    assert r.spec.sanction is r.spec.sanctions[0] and r.spec.sanctions[1].note == "juga / also"


def test_the_one_citation_shorthand_is_a_list_of_one(tmp_path):
    folder = mini_ruleset(tmp_path, rule("R-1", "unit", "true",
                                         extra='sanction: {act: UU 25/2009, article: "54", paragraph: "5"}\n'))
    [r] = load_ruleset(str(folder)).rules
    assert [c.label() for c in r.spec.sanctions] == ["UU 25/2009 Pasal 54 ayat (5)"]


def test_both_keys_is_an_error_at_the_key(tmp_path):
    folder = mini_ruleset(tmp_path, rule("R-1", "unit", "true", extra=TWO + 'sanction: {act: UU 25/2009, article: "54"}\n'))
    with pytest.raises(RulesetError) as info:
        load_ruleset(str(folder))
    [p] = info.value.problems
    assert "not both" in p.message and p.rule_id == "R-1" and p.location.line == 12


def test_a_mistake_inside_the_shorthand_points_into_it(tmp_path):
    folder = mini_ruleset(tmp_path, rule("R-1", "unit", "true",
                                         extra='sanction: {act: UU 25/2009, artikel: "54"}\n'))
    with pytest.raises(RulesetError) as info:
        load_ruleset(str(folder))
    [p] = info.value.problems
    assert "unknown key 'artikel'" in p.message and (p.location.line, p.location.column) == (9, 31)


def test_reports_show_every_sanction(tmp_path):
    folder = mini_ruleset(tmp_path, rule("R-1", "unit", "has(unit.alamat_pengaduan)", extra=TWO))
    data = write_json(tmp_path / "d.json", {"unit": [{"id": "U1"}]})
    report = example_report(data=data, ruleset=load_ruleset(str(folder)))
    doc = document(report)
    [f] = findings_of(doc)
    rule_ = doc["rules"][f["rule_id"]]  # schema 2: a rule's parts once, in the rules map
    assert [s["label"] for s in rule_["sanctions"]] == ["UU 25/2009 Pasal 54 ayat (2)", "UU 25/2009 Pasal 54 ayat (7)"]
    assert rule_["sanction"]["label"] == "UU 25/2009 Pasal 54 ayat (2)"  # schema 1.0 readers: the first
    both = "UU 25/2009 Pasal 54 ayat (2); UU 25/2009 Pasal 54 ayat (7)"
    assert both in render(report, "csv")
    assert both in render(report, "html")
    assert "Article 54(2); UU 25/2009 Article 54(7)" in render(report, "markdown", lang="en")


def test_the_bundled_ikm_rule_reports_both_sanctions_of_pasal_15_e():
    report = example_report()
    rule_ = document(report)["rules"]["UU25-15e-ikm"]
    assert [s["paragraph"] for s in rule_["sanctions"]] == ["2", "7"] and rule_["severity"] == "high"


# --- computed evidence ------------------------------------------------------------------------------


def test_a_maklumat_missing_an_element_fails_and_its_evidence_says_which(tmp_path):
    data = write_json(tmp_path / "d.json", {"maklumat": [{
        "id": "M1", "ditetapkan_pada": "2024-01-20",
        "teks": "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah "
                "ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi."}]})
    # a pass keeps its evidence on request (--evidence all); a failure always
    findings = {f["rule_id"]: f for f in findings_of(document(example_report(data=data), evidence="all"))}
    statute, guideline = findings["UU25-22-1"], findings["PANRB15-maklumat"]
    assert statute["state"] == "pass" and guideline["state"] == "fail"
    quotes = {"janji_standar": "sanggup menyelenggarakan pelayanan sesuai standar pelayanan",
              "perbaikan_berkelanjutan": None, "sanksi_kompensasi": "menerima sanksi"}
    assert statute["evidence"]["unsur"] == quotes
    assert guideline["evidence"]["unsur"] == quotes
    assert guideline["evidence"]["unsur_tidak_ditemukan"] == ["perbaikan_berkelanjutan"]


def test_a_maklumat_that_only_says_maklumat_pelayanan_fails_the_act():
    data = {"maklumat": [{"id": "M1", "ditetapkan_pada": "2024-01-20", "teks": "Maklumat pelayanan"}]}
    from layanan_rules import evaluate

    report = evaluate(load_ruleset(), data, as_of=__import__("datetime").date(2025, 1, 31))
    [f] = [f for f in report.findings if f.rule_id == "UU25-22-1"]
    assert f.state.value == "fail"
    assert f.evidence["unsur"] == {"janji_standar": None, "perbaikan_berkelanjutan": None, "sanksi_kompensasi": None}


def test_evidence_expressions_are_checked_like_require_and_errors_are_located(tmp_path):
    folder = mini_ruleset(tmp_path, rule("R-1", "unit", "true", extra=(
        "evidence:\n  ok: size(unit.sarana_pengaduan)\n  salah: unit.namaa\n  'bad name': unit.nama\n")))
    with pytest.raises(RulesetError) as info:
        load_ruleset(str(folder))
    text = str(info.value)
    assert "aturan.yaml:11:17: [R-1] salah:" in text and "namaa" in text and "did you mean: nama" in text
    assert "invalid evidence name 'bad name'" in text


def test_evidence_sees_the_parameters_and_the_date_of_the_run(tmp_path):
    folder = mini_ruleset(tmp_path, rule("R-1", "unit", "false", extra=(
        "evidence:\n  batas: param.batas\n  tanggal: as_of\n")),
        "parameters:\n  batas: {value: 14, title: {id: Batas, en: Limit}}\n")
    data = write_json(tmp_path / "d.json", {"unit": [{"id": "U1"}]})
    rs = load_ruleset(str(folder)).with_params({"batas": "7"})
    [f] = findings_of(document(example_report(data=data, ruleset=rs)))
    assert f["evidence"] == {"batas": 7, "tanggal": "2025-01-31"}


def test_computed_evidence_of_personal_data_is_masked_unless_shown(tmp_path):
    folder = mini_ruleset(tmp_path, rule("R-1", "pengaduan", "false",
                                         extra="evidence:\n  panjang_nama: size(pengaduan.nama_pengadu)\n"))
    data = write_json(tmp_path / "d.json", {"pengaduan": [{"id": "A1", "nama_pengadu": "Siti"}]})
    report = example_report(data=data, ruleset=load_ruleset(str(folder)))
    assert findings_of(document(report))[0]["evidence"] == {"panjang_nama": "••• (data pribadi)"}
    assert findings_of(document(report, show_personal=True))[0]["evidence"] == {"panjang_nama": 4}


def test_an_evidence_expression_that_fails_shows_its_error_and_the_verdict_stands(tmp_path):
    folder = mini_ruleset(tmp_path, rule("R-1", "unit", "false",
                                         extra="evidence:\n  huruf: unit.nama.size()\n"))
    data = write_json(tmp_path / "d.json", {"unit": [{"id": "U1"}]})
    [f] = document(example_report(data=data, ruleset=load_ruleset(str(folder))))["findings"]
    assert f["state"] == "fail" and f["evidence"]["huruf"].startswith("galat / error:")
