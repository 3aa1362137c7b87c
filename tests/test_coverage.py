"""Law coverage: every article is checked by a rule or classified with a reason."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from support import ROOT

from layanan_rules.cli import cli
from layanan_rules.rules.coverage import (
    CHECKED,
    NOT_CHECKABLE,
    OUT_OF_SCOPE,
    CoverageError,
    build_matrix,
    load_data,
)

FOLDER = ROOT / "rulesets" / "uu-25-2009"


@pytest.fixture(scope="module")
def matrix(ruleset):
    return build_matrix(ruleset)


def test_every_article_of_the_act_is_in_the_matrix(matrix):
    uu = [r.article for r in matrix.rows if r.act == "UU 25/2009"]
    assert uu == list(range(1, 63))
    assert {r.act for r in matrix.rows} == {"UU 25/2009", "PP 96/2012"}


def test_no_article_is_left_unclassified(matrix):
    assert [f"{r.act} Pasal {r.article}" for r in matrix.unclassified()] == []


def test_rules_are_found_from_their_legal_basis(matrix, ruleset):
    row = next(r for r in matrix.rows if r.act == "UU 25/2009" and r.article == 44)
    assert row.status == CHECKED
    assert {"UU25-44-1", "UU25-44-3", "UU25-44-5"} <= {ref.rule_id for ref in row.rules}
    cited = {(c.act, str(c.article)) for r in ruleset.rules for c in r.spec.legal_basis}
    checked = {(r.act, str(r.article)) for r in matrix.rows if r.status == CHECKED}
    assert checked == cited & {(r.act, str(r.article)) for r in matrix.rows}


def test_key_classifications(matrix):
    status = {(r.act, r.article): r.status for r in matrix.rows}
    assert status[("UU 25/2009", 1)] == OUT_OF_SCOPE  # definitions
    assert status[("UU 25/2009", 46)] == OUT_OF_SCOPE  # Ombudsman
    assert status[("UU 25/2009", 49)] == NOT_CHECKABLE  # confidentiality
    assert status[("UU 25/2009", 22)] == CHECKED and status[("PP 96/2012", 27)] == CHECKED
    for r in matrix.rows:
        for p in r.parts:
            assert p.reason_id and p.reason_en


def test_summary_counts_add_up(matrix):
    s = matrix.summary()["UU 25/2009"]
    assert s["total"] == 62 == s[CHECKED] + s[NOT_CHECKABLE] + s[OUT_OF_SCOPE] + s["unclassified"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_command_renders_every_format(fmt, tmp_path):
    out = tmp_path / f"c.{fmt}"
    r = CliRunner().invoke(cli, ["rules", "coverage", "--ruleset", str(FOLDER), "--format", fmt, "--output", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert "UU25-44-3" in text
    if fmt == "json":
        doc = json.loads(text)
        assert len(doc["rows"]) == 62 + 26


def test_command_reports_bad_ruleset_without_traceback(tmp_path):
    r = CliRunner().invoke(cli, ["rules", "coverage", "--ruleset", str(tmp_path)])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_malformed_coverage_file_is_a_clear_error(tmp_path):
    (tmp_path / "coverage").mkdir()
    (tmp_path / "coverage" / "pasal.yaml").write_text(
        "acts: [{act: UU 25/2009, first: 1, last: 2}]\nentries: [{act: UU 25/2009, article: 1, status: maybe}]\n"
    )
    with pytest.raises(CoverageError, match="status"):
        load_data(tmp_path)
    with pytest.raises(CoverageError, match="missing"):
        load_data(tmp_path / "nope")


def test_generated_docs_are_up_to_date():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rule_docs.py"), "--check"],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
