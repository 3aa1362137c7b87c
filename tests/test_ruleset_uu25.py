"""The bundled UU 25/2009 ruleset: every rule is documented, tested by its own examples, and
exercised by the example Dinas; the sanction -> severity mapping holds."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import attrs
import pytest
from support import AS_OF, EXAMPLE_JSON, ROOT

from layanan_rules import evaluate, load_ruleset
from layanan_rules.engine.examples import run_examples

FOLDER = ROOT / "rulesets" / "uu-25-2009"

#: Pasal 54 ayat -> severity (ruleset.yaml comment, docs/rules.md)
UU54 = {"1": "medium", "2": "medium", "3": "medium", "4": "medium", "5": "high", "6": "high", "7": "high",
        "8": "critical", "9": "critical"}
PP49 = {"1": "medium", "2": "high", "3": "high", "4": "critical"}
#: UU 37/2008 Pasal 39: administrative sanctions under other rules, of no set kind (docs/rules.md)
UU37 = {None: "medium"}


@pytest.fixture(scope="module")
def rs():
    return load_ruleset(FOLDER)


def test_every_example_of_every_rule_gives_its_state(rs):
    results = run_examples(rs)
    wrong = [f"{r.rule_id} {r.kind}[{r.index}] -> {r.got}: {r.message}" for r in results if not r.ok]
    assert not wrong, "\n".join(wrong)
    assert len({r.rule_id for r in results}) == len(rs.rules)


def test_every_rule_has_pass_and_fail_examples(rs):
    missing = [r.id for r in rs.rules if not r.spec.examples.pass_ or not r.spec.examples.fail]
    assert not missing, f"rules without pass and fail examples: {missing}"


def test_rules_with_a_condition_have_not_applicable_examples(rs):
    missing = [r.id for r in rs.rules if r.spec.when and not r.spec.examples.not_applicable]
    assert not missing, f"rules with 'when' but no not_applicable example: {missing}"


def test_every_rule_cites_article_and_text_and_has_bilingual_remedy(rs):
    bad = []
    for r in rs.rules:
        s = r.spec
        if not s.legal_basis:
            bad.append(f"{r.id}: no legal_basis")
        for c in s.legal_basis:
            if not (c.text or "").strip():
                bad.append(f"{r.id}: citation {c.label()} without text")
            if c.act in ("UU 25/2009", "PP 96/2012") and not c.article:
                bad.append(f"{r.id}: citation of {c.act} without article")
            if not c.confirmed and not (c.note or "").strip():
                bad.append(f"{r.id}: unconfirmed citation {c.label()} without a note")
        if not s.remedy.id.strip() or not s.remedy.en.strip() or s.remedy.id.strip() == s.remedy.en.strip():
            bad.append(f"{r.id}: remedy must be given in Indonesian and English")
        if not s.title.id.strip() or not s.title.en.strip():
            bad.append(f"{r.id}: title must be bilingual")
    assert not bad, "\n".join(bad)


def test_severity_follows_the_heaviest_sanction(rs):
    rank = ["info", "low", "medium", "high", "critical"]
    bad = []
    for r in rs.rules:
        s = r.spec
        if not s.sanctions:
            if s.severity.value not in ("low", "info") and not r.id.startswith("UU25-21"):
                bad.append(f"{r.id}: no sanction but severity {s.severity.value}")
            continue
        wants = []
        for c in s.sanctions:
            assert (c.act, c.article) in (("UU 25/2009", "54"), ("PP 96/2012", "49"), ("UU 37/2008", "39")), r.id
            if c.act == "UU 37/2008":
                wants.append(UU37[c.paragraph])
            else:
                wants.append((UU54 if c.act == "UU 25/2009" else PP49)[str(c.paragraph)])
        want = max(wants, key=rank.index)
        if want != s.severity.value:
            bad.append(f"{r.id}: sanctions {[c.label() for c in s.sanctions]} imply {want}, rule says {s.severity.value}")
    assert not bad, "\n".join(bad)


def test_rules_with_several_sanctions_keep_them_all(rs):
    """Pasal 15 huruf e is in both Pasal 54 ayat (2) and (7); Pasal 28(1) carries 54(5) and, as negligence
    under 28(4), 54(7)."""
    got = {r.id: [c.label() for c in r.spec.sanctions] for r in rs.rules}
    assert got["UU25-15e-ikm"] == ["UU 25/2009 Pasal 54 ayat (2)", "UU 25/2009 Pasal 54 ayat (7)"]
    assert got["UU25-28-1"] == ["UU 25/2009 Pasal 54 ayat (5)", "UU 25/2009 Pasal 54 ayat (7)"]
    assert got["PP96-50-2"] == ["PP 96/2012 Pasal 49 ayat (4)"]


def test_documented_severity_exceptions_say_why(rs):
    for r in rs.rules:
        # the Article 21 components are medium without a sanction (a deliberate exception); a low rule
        # under Article 21 (UU25-21d-hari) follows the mapping and needs no such note
        if r.id.startswith("UU25-21") and r.spec.severity.value != "low":
            assert "medium" in (r.spec.note or "").lower() or "tingkat medium" in (r.spec.note or "").lower(), r.id


def test_pp_96_2012_rules_are_not_in_force_before_30_october_2012(rs):
    report = evaluate(rs, {"unit": [{"id": "U1"}]}, as_of=dt.date(2011, 6, 1))
    skipped = {s.rule_id for s in report.skipped_rules}
    pp = {r.id for r in rs.rules if r.id.startswith("PP96-")}
    assert pp and pp <= skipped
    assert all(r.spec.valid_from == dt.date(2012, 10, 30) for r in rs.rules if r.id in pp)
    later = evaluate(rs, {"unit": [{"id": "U1"}]}, as_of=dt.date(2012, 10, 30))
    assert not pp & {s.rule_id for s in later.skipped_rules}


def test_every_rule_file_is_exercised_by_the_example_dinas(rs):
    data = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    report = evaluate(rs, data, as_of=AS_OF)
    states: dict[str, set[str]] = defaultdict(set)
    for f in report.findings:
        states[Path(f.rule.location.file).name].add(f.state.value)
    files = sorted(p.name for p in FOLDER.glob("*.yaml") if p.name != "ruleset.yaml")
    for name in files:
        got = states.get(name, set())
        assert got - {"not_applicable"}, f"{name}: every finding is not_applicable in the example"
        assert {"pass", "fail"} <= got, f"{name}: the example should show passes and failures, got {got}"
    assert not [f for f in report.findings if f.state.value == "error"], "the example data gives no errors"


def test_complaint_clock_counts_calendar_days_by_default_and_working_days_on_request(rs):
    # received Thu 2 Jan 2025, answered Mon 20 Jan: 18 calendar days, 12 working days
    rec = {"pengaduan": [{"id": "X", "diterima_pada": "2025-01-02", "ditanggapi_pada": "2025-01-20",
                          "materi_lengkap": True}]}
    assert _state(rs, rec, "UU25-44-3") == "fail"
    working = copy.copy(rs)
    working.params = attrs.evolve(rs.params, hari_kerja_untuk_tenggat_uu=True)
    assert _state(working, rec, "UU25-44-3") == "pass"


def test_running_deadline_is_not_a_failure(rs):
    rec = {"pengaduan": [{"id": "X", "diterima_pada": "2025-01-20"}]}
    assert _state(rs, rec, "UU25-44-3", dt.date(2025, 1, 31)) == "not_applicable"
    assert _state(rs, rec, "UU25-44-3", dt.date(2025, 2, 10)) == "fail"


def _state(rs, data, rule_id, as_of=dt.date(2025, 3, 1)):
    report = evaluate(rs, data, as_of=as_of)
    [f] = [f for f in report.findings if f.rule_id == rule_id]
    return f.state.value


def test_lint_checks_entity_and_expressions_of_a_rule_with_missing_keys(tmp_path):
    """One lint shows everything: a rule missing required keys still gets its entity and its
    expressions checked (syntax only when the entity is unknown)."""
    from click.testing import CliRunner

    from layanan_rules.cli import cli

    (tmp_path / "ruleset.yaml").write_text("id: rusak\ntitle: {id: Rusak, en: Broken}\nversion: '1'\n", encoding="utf-8")
    (tmp_path / "aturan.yaml").write_text(
        "- id: X-1\n  applies_to: layanann\n  require: \"size(layanan.nama\"\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "lint", str(tmp_path)])
    assert result.exit_code == 2
    out = result.output
    assert "aturan.yaml:2:15" in out and "unknown entity 'layanann'" in out and "did you mean: layanan" in out
    assert "aturan.yaml:3:30" in out and "expected ')', found the end of input" in out
    assert "required key missing: 'title'" in out


# --- the complaint clock at its boundaries, with the calendar options ---------------------------


def _with(rs, **params):
    return rs.with_params(params)


def test_day_14_passes_and_day_15_fails_in_calendar_days(rs):
    day14 = {"pengaduan": [{"id": "X", "diterima_pada": "2025-01-02", "ditanggapi_pada": "2025-01-16"}]}
    day15 = {"pengaduan": [{"id": "X", "diterima_pada": "2025-01-02", "ditanggapi_pada": "2025-01-17"}]}
    assert _state(rs, day14, "UU25-44-3") == "pass"
    assert _state(rs, day15, "UU25-44-3") == "fail"


def test_day_14_passes_and_day_15_fails_in_working_days(rs):
    # received Thu 2 Jan 2025: the 14th working day is Wed 22 Jan, the 15th Thu 23 Jan
    working = _with(rs, hari_kerja_untuk_tenggat_uu=True)
    day14 = {"pengaduan": [{"id": "X", "diterima_pada": "2025-01-02", "ditanggapi_pada": "2025-01-22"}]}
    day15 = {"pengaduan": [{"id": "X", "diterima_pada": "2025-01-02", "ditanggapi_pada": "2025-01-23"}]}
    assert _state(working, day14, "UU25-44-3") == "pass"
    assert _state(working, day15, "UU25-44-3") == "fail"
    assert _state(rs, day14, "UU25-44-3") == "fail"  # calendar days: 20 days


def test_a_deadline_ending_on_a_holiday_rolls_forward_only_with_the_option(rs):
    # received Sun 3 Aug 2025: day 14 is Sun 17 Aug (Independence Day); Mon 18 Aug is cuti bersama
    rec = {"pengaduan": [{"id": "X", "diterima_pada": "2025-08-03", "ditanggapi_pada": "2025-08-19"}]}
    assert _state(rs, rec, "UU25-44-3") == "fail"
    assert _state(_with(rs, geser_ke_hari_kerja=True), rec, "UU25-44-3") == "pass"  # rolls to Tue 19
    # counting cuti bersama as working days, it rolls only to Mon 18: the 19th is late
    assert _state(_with(rs, geser_ke_hari_kerja=True, cuti_bersama_hari_kerja=True), rec, "UU25-44-3") == "fail"


def test_a_running_deadline_ends_on_its_last_day(rs):
    rec = {"pengaduan": [{"id": "X", "diterima_pada": "2025-08-03"}]}
    assert _state(rs, rec, "UU25-44-3", dt.date(2025, 8, 17)) == "not_applicable"  # day 14: still running
    assert _state(rs, rec, "UU25-44-3", dt.date(2025, 8, 18)) == "fail"
    rolled = _with(rs, geser_ke_hari_kerja=True)
    assert _state(rolled, rec, "UU25-44-3", dt.date(2025, 8, 19)) == "not_applicable"
    assert _state(rolled, rec, "UU25-44-3", dt.date(2025, 8, 20)) == "fail"


def test_cuti_bersama_counts_as_a_working_day_on_request_for_hari_kerja_deadlines(rs):
    # PP 96/2012 Pasal 27(1): 5 hari kerja from minutes signed Fri 15 Aug 2025 (Mon 18 Aug is cuti bersama):
    # Tue 19, Wed 20, Thu 21, Fri 22, Mon 25 - or Mon 18 ... Fri 22 when cuti bersama count
    rec = {"layanan": [{"id": "L", "standar": {"berita_acara_pada": "2025-08-15",
                                                "rancangan_dipublikasikan_pada": "2025-08-25"}}]}
    assert _state(rs, rec, "PP96-27-1") == "pass"
    assert _state(_with(rs, cuti_bersama_hari_kerja=True), rec, "PP96-27-1") == "fail"


def test_the_calendar_and_its_options_are_in_every_report(rs):
    from test_reporters_helpers import render

    report = evaluate(_with(rs, geser_ke_hari_kerja=True), {"unit": [{"id": "U1"}]}, as_of=AS_OF)
    doc = report.to_dict()
    assert doc["calendar"]["source"] == "holidays" and doc["calendar"]["version"]
    assert doc["calendar"]["options"] == {"hari_kerja_untuk_tenggat_uu": False, "geser_ke_hari_kerja": True,
                                          "cuti_bersama_hari_kerja": False}
    assert doc["ruleset"]["parameters"]["geser_ke_hari_kerja"] is True
    version = doc["calendar"]["version"]
    for fmt in ("table", "markdown", "html", "junit", "jsonl"):
        assert f"holidays {version}" in render(report, fmt), fmt


def _sunday_holiday_cases():
    """Filed Sun 3 Aug 2025: "14 hari" ends Sun 17 Aug (Independence Day); Mon 18 Aug is cuti bersama."""
    return {
        "UU25-15f-waktu": {"layanan": [{"id": "L", "standar": {"jangka_waktu": "14 hari"}, "permohonan": [
            {"id": "P", "diajukan_pada": "2025-08-03T09:00:00+07:00", "selesai_pada": "2025-08-19T09:00:00+07:00"}]}]},
        "UU25-15f-pengaduan": {"layanan": [{"id": "L", "standar": {"tenggat_pengaduan": "14 hari"}, "pengaduan": [
            {"id": "A", "diterima_pada": "2025-08-03T09:00:00+07:00", "selesai_pada": "2025-08-19T09:00:00+07:00"}]}]},
        "UU25-13-5": {"penyelenggara": [{"id": "P", "kerja_sama": [
            {"id": "K", "jenis": "tertentu", "mulai_pada": "2025-08-03", "selesai_pada": "2025-08-19"}]}]},
    }


@pytest.mark.parametrize("rule_id", ["UU25-15f-waktu", "UU25-15f-pengaduan", "UU25-13-5"])
def test_promises_and_the_cooperation_term_roll_forward_only_with_the_option(rs, rule_id):
    rec = _sunday_holiday_cases()[rule_id]
    assert _state(rs, rec, rule_id) == "fail"  # default: the deadline ends on Sunday 17 August
    assert _state(_with(rs, geser_ke_hari_kerja=True), rec, rule_id) == "pass"  # rolls past cuti bersama to Tue 19
    # cuti bersama counted as working days: it rolls only to Mon 18, so Tue 19 is late
    assert _state(_with(rs, geser_ke_hari_kerja=True, cuti_bersama_hari_kerja=True), rec, rule_id) == "fail"


def test_a_working_day_promise_never_rolls():
    from layanan_rules.model.entities import JangkaWaktu, JenisHari, SatuanWaktu
    from layanan_rules.rules.functions import service_deadline

    kerja = JangkaWaktu(jumlah=3, satuan=SatuanWaktu.hari, jenis_hari=JenisHari.kerja)
    # Wed 13 Aug 2025 + 3 working days: Thu 14, Fri 15, (Sun 17 holiday, Mon 18 cuti bersama) Tue 19
    assert service_deadline(dt.date(2025, 8, 13), kerja, True, False) == dt.date(2025, 8, 19)
    assert service_deadline(dt.date(2025, 8, 13), kerja, False, False) == dt.date(2025, 8, 19)
    bulan = JangkaWaktu(jumlah=1, satuan=SatuanWaktu.bulan)  # 17 Jul + 1 month = Sun 17 Aug -> Tue 19 Aug rolled
    assert service_deadline(dt.date(2025, 7, 17), bulan, False, False) == dt.date(2025, 8, 17)
    assert service_deadline(dt.date(2025, 7, 17), bulan, True, False) == dt.date(2025, 8, 19)
