"""``layanan-rules diff OLD.json NEW.json``: new, resolved and changed findings per unit, score change."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner
from support import EXAMPLE_JSON
from test_reporters_helpers import write_json

from layanan_rules.cli import cli
from layanan_rules.report.diff import DiffError, compare, load_report


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """OLD: the example. NEW: L3 gets a full standard (its failures resolve), L1 loses its legal basis."""
    tmp = tmp_path_factory.mktemp("diff")
    data = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    new_data = copy.deepcopy(data)
    layanan = {x["id"]: x for x in new_data["layanan"]}
    layanan["L3"]["standar"] = copy.deepcopy(layanan["L1"]["standar"])
    layanan["L1"]["standar"]["dasar_hukum"] = []
    paths = {}
    for name, d in (("old", data), ("new", new_data)):
        src = write_json(tmp / f"{name}-data.json", d)
        out = tmp / f"{name}.json"
        r = run("evaluate", str(src), "--as-of", "2025-01-31", "--format", "json", "-o", str(out), "--quiet")
        assert r.exit_code in (0, 1), r.output
        paths[name] = out
    return paths


def test_diff_json_lists_new_resolved_and_changed_per_unit_with_the_score_change(reports):
    r = run("diff", str(reports["old"]), str(reports["new"]), "--format", "json")
    assert r.exit_code == 0
    result = json.loads(r.stdout)
    units = {u["unit_id"]: u for u in result["units"]}
    new_u1 = {(e["rule_id"], e["entity_id"]) for e in units["U1"]["new"]}
    assert ("UU25-21a", "L1") in new_u1
    resolved_u2 = {(e["rule_id"], e["entity_id"]) for e in units["U2"]["resolved"]}
    assert ("UU25-21a", "L3") in resolved_u2 and ("UU25-21b", "L3") in resolved_u2
    entry = next(e for e in units["U2"]["resolved"] if e["rule_id"] == "UU25-21a")
    assert (entry["old_state"], entry["new_state"]) == ("fail", "pass")
    old_doc, new_doc = (json.loads(reports[k].read_text(encoding="utf-8")) for k in ("old", "new"))
    assert result["score"]["old"] == old_doc["scores"]["total"]["score"]
    assert result["score"]["new"] == new_doc["scores"]["total"]["score"]
    assert result["score"]["delta"] == pytest.approx(result["score"]["new"] - result["score"]["old"], abs=0.01)
    assert units["U2"]["score"]["delta"] > 0 and units["U1"]["score"]["delta"] < 0
    assert result["counts"]["new"] == sum(len(u["new"]) for u in result["units"])


def test_diff_table_and_markdown_are_readable(reports):
    table = run("diff", str(reports["old"]), str(reports["new"])).stdout
    assert "31 Januari 2025 → 31 Januari 2025" in table
    assert "+ BARU" in table and "- SELESAI" in table and "UU25-21a · layanan L1" in table
    md = run("diff", str(reports["old"]), str(reports["new"]), "--format", "markdown", "--lang", "en").stdout
    assert md.startswith("# Report comparison") and "### New" in md and "### Resolved" in md


def test_diff_of_a_report_with_itself_is_empty(reports):
    doc = load_report(reports["old"])
    result = compare(doc, doc)
    assert result["counts"] == {"new": 0, "resolved": 0, "changed": 0} and result["score"]["delta"] == 0


def test_fail_on_new_exit_code(reports):
    assert run("diff", str(reports["old"]), str(reports["new"]), "--fail-on-new").exit_code == 1
    assert run("diff", str(reports["new"]), str(reports["new"]), "--fail-on-new").exit_code == 0


def test_an_expired_waiver_shows_as_changed(reports, tmp_path):
    old = json.loads(reports["old"].read_text(encoding="utf-8"))
    new = copy.deepcopy(old)
    f = next(f for f in new["findings"] if f["state"] == "fail")
    f["flags"] = ["waiver_expired"]
    result = compare(old, new)
    assert result["counts"] == {"new": 0, "resolved": 0, "changed": 1}


def test_bad_inputs_are_exit_2_with_the_place(reports, tmp_path):
    broken = tmp_path / "rusak.json"
    broken.write_text('{"findings": [', encoding="utf-8")
    r = run("diff", str(broken), str(reports["new"]))
    assert r.exit_code == 2 and "rusak.json:1:" in r.stderr
    other = write_json(tmp_path / "data.json", {"unit": []})
    r = run("diff", str(other), str(reports["new"]))
    assert r.exit_code == 2 and "--format json" in r.stderr
    with pytest.raises(DiffError, match="tidak-ada.json"):
        load_report(tmp_path / "tidak-ada.json")


def _as_schema_2(doc):
    """The same report as schema 2 wrote it: every finding a full object, no units or quiet lists."""
    from layanan_rules.report.stream import findings_of

    old = {k: v for k, v in doc.items() if k not in ("units", "quiet")}
    return {**old, "schema_version": "2.0", "findings": findings_of(doc)}


def test_schema_2_and_3_reports_compare_finding_by_finding_alike(reports, tmp_path):
    old3, new3 = (json.loads(reports[k].read_text(encoding="utf-8")) for k in ("old", "new"))
    assert old3["schema_version"] == "3.0" and old3["quiet"]
    old2, new2 = _as_schema_2(old3), _as_schema_2(new3)
    assert compare(old2, new3) == compare(old3, new3) == compare(old2, new2) == compare(old3, new2)
    assert compare(old2, old3)["counts"] == {"new": 0, "resolved": 0, "changed": 0}
    # a quiet finding that changes state (pass -> not_applicable) is a change, as in schema 2
    changed = copy.deepcopy(new3)
    group = next(g for g in changed["quiet"] if g["state"] == "pass")
    group["state"] = "not_applicable"
    assert compare(new3, changed)["counts"]["changed"] == len(group["entity_ids"])
    older = write_json(tmp_path / "old2.json", old2)
    r = run("diff", str(older), str(reports["new"]), "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["counts"] == compare(old3, new3)["counts"]
