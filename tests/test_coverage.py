"""Law coverage: every article is checked by a rule or classified with a reason."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from support import ROOT

from layanan_rules.cli import cli
from layanan_rules.rules.coverage import (
    CHECKED,
    ENCODED,
    JUSTIFIED,
    MISSING,
    NOT_CHECKABLE,
    OUT_OF_SCOPE,
    PARTLY_CHECKED,
    CoverageError,
    build_matrix,
    lint,
    load_data,
)

FOLDER = ROOT / "rulesets" / "uu-25-2009"


@pytest.fixture(scope="module")
def matrix(ruleset):
    return build_matrix(ruleset)


def test_every_article_of_the_act_is_in_the_matrix(matrix):
    uu = [r.article for r in matrix.rows if r.act == "UU 25/2009"]
    assert uu == list(range(1, 63))
    assert {r.act for r in matrix.rows} == {"UU 25/2009", "PP 96/2012", "UU 37/2008"}
    assert [r.article for r in matrix.rows if r.act == "UU 37/2008"] == [24, 25, 33, 36, 37, 38, 39]


def test_no_article_is_left_unclassified(matrix):
    assert [f"{r.act} Pasal {r.article}" for r in matrix.unclassified()] == []


def test_rules_are_found_from_their_legal_basis(matrix, ruleset):
    row = next(r for r in matrix.rows if r.act == "UU 25/2009" and r.article == 44)
    assert row.status == PARTLY_CHECKED  # ayat (2), the receipt's contents, is not checkable
    assert {"UU25-44-1", "UU25-44-3", "UU25-44-5"} <= {ref.rule_id for ref in row.rules}
    cited = {(c.act, str(c.article)) for r in ruleset.rules for c in r.spec.legal_basis}
    checked = {(r.act, str(r.article)) for r in matrix.rows if r.status in (CHECKED, PARTLY_CHECKED)}
    assert checked == cited & {(r.act, str(r.article)) for r in matrix.rows}


def test_key_classifications(matrix):
    status = {(r.act, r.article): r.status for r in matrix.rows}
    assert status[("UU 25/2009", 1)] == OUT_OF_SCOPE  # definitions
    assert status[("UU 25/2009", 46)] == OUT_OF_SCOPE  # Ombudsman
    assert status[("UU 25/2009", 34)] == NOT_CHECKABLE  # staff conduct
    assert status[("UU 25/2009", 49)] == CHECKED  # confidentiality: a recorded breach
    assert status[("UU 25/2009", 22)] == CHECKED and status[("PP 96/2012", 27)] == CHECKED
    # rules that check less than the article say so (issue 11: PP 40, UU 8(1), 39(1))
    assert status[("PP 96/2012", 40)] == PARTLY_CHECKED
    assert status[("UU 25/2009", 8)] == PARTLY_CHECKED and status[("UU 25/2009", 39)] == PARTLY_CHECKED
    # Pasal 52(2)/53(2) is a provider duty, checked, not "out of scope"
    assert status[("UU 25/2009", 52)] == CHECKED and status[("UU 25/2009", 53)] == CHECKED
    for r in matrix.rows:
        for p in r.parts:
            assert p.reason_id and p.reason_en


def test_summary_counts_add_up(matrix):
    s = matrix.summary()["UU 25/2009"]
    assert s["total"] == 62 == s[CHECKED] + s[PARTLY_CHECKED] + s[NOT_CHECKABLE] + s[OUT_OF_SCOPE] + s["unclassified"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_command_renders_every_format(fmt, tmp_path):
    out = tmp_path / f"c.{fmt}"
    r = CliRunner().invoke(cli, ["rules", "coverage", "--ruleset", str(FOLDER), "--format", fmt, "--output", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert "UU25-44-3" in text
    if fmt == "json":
        doc = json.loads(text)
        assert len(doc["rows"]) == 62 + 26 + 7
        assert doc["check_summary"]["UU25"]["total"] == 96


def test_command_reports_bad_ruleset_without_traceback(tmp_path):
    r = CliRunner().invoke(cli, ["rules", "coverage", "--ruleset", str(tmp_path)])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_malformed_coverage_file_is_a_clear_error(tmp_path):
    (tmp_path / "coverage").mkdir()
    (tmp_path / "coverage" / "pasal.yaml").write_text(
        "acts: [{act: UU 25/2009, first: 1, last: 2}]\n"
        "entries: [{act: UU 25/2009, article: 1, status: maybe, reason: {id: x, en: y}}]\n"
    )
    with pytest.raises(CoverageError, match="status"):
        load_data(tmp_path)
    with pytest.raises(CoverageError, match="missing"):
        load_data(tmp_path / "nope")


def test_a_comma_in_an_unquoted_flow_reason_is_a_located_error(tmp_path):
    """The old loader read {id: Independensi, ketidakberpihakan ..., en: ...} as three keys and kept a truncated
    reason; the strict loader names the stray key and where it is."""
    (tmp_path / "coverage").mkdir()
    (tmp_path / "coverage" / "pasal.yaml").write_text(
        "acts: [{act: UU 25/2009, first: 1, last: 1}]\n"
        "entries:\n"
        "- act: UU 25/2009\n"
        "  article: 1\n"
        "  status: out_of_scope\n"
        "  reason: {id: Definisi, dipakai model, en: Definitions}\n"
    )
    with pytest.raises(CoverageError) as info:
        load_data(tmp_path)
    [p] = info.value.problems
    assert (p.location.line, p.location.column) == (6, 26) and "unknown key 'dipakai model'" in p.message


def test_every_reason_in_the_bundled_file_is_whole():
    """The truncated reasons ended mid-sentence with an open parenthesis ("(persyaratan yang diminta"); every
    reason now closes what it opens and ends a sentence."""
    data = load_data(FOLDER)
    texts = [t for e in data.entries for t in (e.reason.id, e.reason.en)]
    texts += [t for c in data.checks for x in (c.reason, c.note) if x for t in (x.id, x.en)]
    for t in texts:
        assert t.count("(") == t.count(")"), t
        assert t.rstrip().endswith((".", ")")), t
    e48 = [e for e in data.entries if e.act == "UU 25/2009" and e.article == 48 and e.status == PARTLY_CHECKED]
    assert e48 and "nondiskriminasi" in e48[0].reason.id


def test_rules_that_check_less_than_the_article_say_partly_checked(matrix):
    """Audit item 63: Pasal 15 c/d, 16 e, 20(4), 21, 23, 25, 28, 29 and 36 are cited by rules that check less;
    the article rows and the reference checks say "partly checked" and what is left."""
    status = {(r.act, r.article): r.status for r in matrix.rows}
    for article in (15, 16, 20, 21, 23, 25, 28, 29, 36):
        assert status[("UU 25/2009", article)] == PARTLY_CHECKED, article
    checks = {c.check: c for c in matrix.checks}
    for name in ("UU25.P15.c", "UU25.P15.d", "UU25.P16.e", "UU25.P20.4", "UU25.P21", "UU25.P23.4", "UU25.P25.1",
                 "UU25.P28.3", "UU25.P29.1", "UU25.P36.2", "PP96.P42.2", "PANRB15.SD-publish"):
        c = checks[name]
        assert c.state == ENCODED and c.partly and c.reason.id and c.reason.en, name
    assert not checks["UU25.P44.3"].partly
    s = matrix.check_summary()["UU25"]
    assert 0 < s["partly"] <= s[ENCODED]


def test_a_partly_checked_reference_check_needs_rules_and_a_reason(tmp_path):
    (tmp_path / "coverage").mkdir()
    head = "acts: [{act: UU 25/2009, first: 1, last: 1}]\nentries: []\nchecks:\n"
    (tmp_path / "coverage" / "pasal.yaml").write_text(
        head + "- {check: UU25.P1, rules: [R1], status: not_checkable, reason: {id: x., en: y.}}\n"
        "- {check: UU25.P2, rules: [R1], status: partly_checked}\n")
    with pytest.raises(CoverageError) as info:
        load_data(tmp_path)
    assert len(info.value.problems) == 2
    (tmp_path / "coverage" / "pasal.yaml").write_text(
        head + "- {check: UU25.P1, rules: [R1], status: partly_checked, reason: {id: x., en: y.}}\n")
    [c] = load_data(tmp_path).checks
    assert c.status == PARTLY_CHECKED


def test_lint_finds_checks_that_name_missing_rules_or_other_articles(tmp_path, ruleset):
    import shutil

    folder = tmp_path / "rs"
    shutil.copytree(FOLDER, folder)
    path = folder / "coverage" / "pasal.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("- check: UU25.P26\n  rules: [UU25-26]", "- check: UU25.P26\n  rules: [UU25-44-3, UU25-99]")
    path.write_text(text, encoding="utf-8")
    from layanan_rules.rules.registry import load_ruleset

    problems = [p.message for p in lint(folder, load_ruleset(str(folder)))]
    assert any("no rule 'UU25-99'" in m for m in problems)
    assert any("rule UU25-44-3 does not cite UU 25/2009 Article 26" in m for m in problems)


def test_reference_checks_are_counted_not_claimed(matrix):
    s = matrix.check_summary()
    assert s["UU25"]["total"] == 96 and s["UU25"][MISSING] == 0
    assert s["UU25"][ENCODED] >= 70
    assert s["UU25"][ENCODED] + s["UU25"][JUSTIFIED] == 96
    justified = [c for c in matrix.checks if c.state == JUSTIFIED]
    assert all(c.reason and c.reason.id and c.reason.en for c in justified)


def test_generated_docs_are_up_to_date():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rule_docs.py"), "--check"],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
