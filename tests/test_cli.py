"""The command line, through click's CliRunner: exit codes, stderr, JSON on stdout."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner
from support import EXAMPLE_JSON, ROOT

from layanan_rules.cli import cli
from layanan_rules.report.stream import findings_of


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_evaluate_example_prints_failures_with_articles_and_exits_1():
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31")
    assert r.exit_code == 1
    assert "Pasal 21 huruf a" in r.stdout and "L3" in r.stdout


def test_evaluate_json_is_the_report_shape():
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--format", "json")
    doc = json.loads(r.stdout)
    assert doc["as_of"] == "2025-01-31" and doc["summary"]["states"]["fail"] > 0
    failing = next(f for f in findings_of(doc) if f["state"] == "fail")
    assert {"rule_id", "entity", "entity_id", "state", "evidence", "provenance"} <= set(failing)
    assert {"title", "legal_basis", "remedy", "severity"} <= set(doc["rules"][failing["rule_id"]])


def test_fail_on_critical_exits_0_when_only_medium_failures():
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--fail-on", "critical",
            "--ruleset", str(ROOT / "rulesets" / "uu-25-2009"))
    assert r.exit_code in (0, 1)
    doc = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--format", "json").stdout
    critical = [f for f in findings_of(json.loads(doc)) if f["state"] == "fail" and json.loads(doc)["rules"][f["rule_id"]]["severity"] == "critical"]
    assert r.exit_code == (1 if critical else 0)


def test_missing_data_file_is_exit_2_without_traceback(tmp_path):
    r = run("evaluate", str(tmp_path / "tidak-ada.json"))
    assert r.exit_code == 2 and "Traceback" not in r.output and "tidak-ada.json" in r.stderr


def test_broken_json_names_line_and_column(tmp_path):
    bad = tmp_path / "rusak.json"
    bad.write_text('{"layanan": [{"id": "L1",,}]}')
    r = run("evaluate", str(bad))
    assert r.exit_code == 2 and "rusak.json:1:" in r.stderr


def test_unknown_format_and_bad_date_are_usage_errors():
    assert run("evaluate", str(EXAMPLE_JSON), "--format", "pdfx").exit_code == 2
    assert run("evaluate", str(EXAMPLE_JSON), "--as-of", "31/01/2025").exit_code == 2


def test_rules_list_show_and_test():
    assert "UU25-21a" in run("rules", "list").stdout
    shown = run("rules", "show", "UU25-21a")
    assert "Pasal 21 huruf a" in shown.stdout and "remedy" in shown.stdout
    t = run("rules", "test")
    assert t.exit_code == 0, t.stdout
    assert " passed, 0 failed" in t.stdout


def test_rules_test_fails_on_a_ruleset_without_examples(tmp_path):
    shutil.copy(ROOT / "rulesets/uu-25-2009/ruleset.yaml", tmp_path)
    (tmp_path / "r.yaml").write_text(
        "- id: T-1\n  title: {id: a, en: b}\n  legal_basis: [{act: UU 25/2009, article: 21}]\n"
        "  applies_to: layanan\n  require: has(layanan.standar)\n  severity: low\n  remedy: {id: a, en: b}\n"
    )
    r = run("rules", "test", str(tmp_path))
    assert r.exit_code == 1 and "NO EXAMPLES" in r.stdout


def test_rules_test_fails_loudly_on_a_wrong_example(tmp_path):
    shutil.copy(ROOT / "rulesets/uu-25-2009/ruleset.yaml", tmp_path)
    (tmp_path / "r.yaml").write_text(
        "- id: T-1\n  title: {id: a, en: b}\n  legal_basis: [{act: UU 25/2009, article: 21}]\n"
        "  applies_to: layanan\n  require: has(layanan.standar)\n  severity: low\n  remedy: {id: a, en: b}\n"
        "  examples:\n    pass: [{nama: tanpa standar}]\n"
    )
    r = run("rules", "test", str(tmp_path))
    assert r.exit_code == 1 and "T-1 examples.pass[0] -> fail" in r.stdout


def test_lint_prints_every_error_with_file_line_column(tmp_path):
    shutil.copy(ROOT / "rulesets/uu-25-2009/ruleset.yaml", tmp_path)
    f = tmp_path / "rusak.yaml"
    f.write_text(
        "- id: X-1\n"
        "  title: {id: a, en: b}\n"
        "  legal_basis: [{act: UU 25/2009, article: 21}]\n"
        "  applies_to: layanan\n"
        "  require: size(layanan.standar.dasar_hukm) > 0\n"
        "  severity: medum\n"
        "  remedy: {id: a, en: b}\n"
        "  tagz: [a]\n"
        "- id: X-1\n"
        "  title: {id: a, en: b}\n"
        "  legal_basis: [{act: UU 25/2009, article: 21}]\n"
        "  applies_to: layanan\n"
        "  require: 'layanan.nama =='\n"
        "  severity: low\n"
        "  remedy: {id: a, en: b}\n"
    )
    r = run("rules", "lint", str(f))
    assert r.exit_code == 2
    lines = [l for l in r.stderr.splitlines() if l.startswith(str(f))]
    text = "\n".join(lines)
    assert f"{f}:6:13: [X-1]" in text and "medum" in text  # wrong enum value
    assert f"{f}:8:3: [X-1]" in text and "tags" in text  # unknown key, did you mean
    assert f"{f}:5:33: [X-1]" in text and "dasar_hukum" in text  # unknown field, did you mean
    assert "duplicate rule id" in text
    assert f"{f}:13:" in text  # syntax error inside the second rule's expression
    assert len(lines) == 5


def test_lint_of_a_good_ruleset_exits_0():
    r = run("rules", "lint", str(ROOT / "rulesets" / "uu-25-2009"))
    assert r.exit_code == 0, r.stderr


def test_help_teaches():
    r = run("evaluate", "--help")
    assert "--as-of" in r.stdout and "exit" in r.stdout.lower()


def test_ruleset_parameter_can_be_overridden_and_a_wrong_one_is_named(tmp_path):
    base = json.loads(run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--format", "json").stdout)
    r = run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--format", "json",
            "--param", "batas_tanggapan_pengaduan=1")
    changed = json.loads(r.stdout)
    assert changed["summary"]["states"] != base["summary"]["states"]
    bad = run("evaluate", str(EXAMPLE_JSON), "--param", "batas_tanggapan=3")
    assert bad.exit_code == 2 and "batas_tanggapan_pengaduan" in bad.stderr
    wrong_type = run("evaluate", str(EXAMPLE_JSON), "--param", "batas_tanggapan_pengaduan=empat")
    assert wrong_type.exit_code == 2 and "int" in wrong_type.stderr


def test_reading_no_records_is_bad_input_not_success(tmp_path):
    empty = tmp_path / "kosong.json"
    empty.write_text('{"layanan": []}')
    r = run("evaluate", str(empty))
    assert r.exit_code == 2 and "no records were read" in r.stderr


def test_export_writes_json_that_evaluates_the_same(tmp_path):
    out = tmp_path / "data.json"
    assert run("export", str(EXAMPLE_JSON), "-o", str(out)).exit_code == 0
    a = json.loads(run("evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31", "--format", "json").stdout)
    b = json.loads(run("evaluate", str(out), "--as-of", "2025-01-31", "--format", "json").stdout)
    strip = lambda doc: sorted((f["rule_id"], f["entity_id"], f["state"]) for f in findings_of(doc))
    assert strip(a) == strip(b)


class _BrokenAdapter:
    """A plugin with a bug: reading divides by zero (no input can cause or fix that)."""

    name = "rusak"
    description = "adapter dengan bug / an adapter with a bug"
    extensions = (".rusak",)
    schemes = ()

    def __init__(self, location, options):
        self.location = location

    def read(self):
        yield from ()
        1 / 0  # noqa: B018 - the bug


def _pm_with_broken_adapter():
    from layanan_rules import plugins
    from layanan_rules.hookspecs import hookimpl

    class Plugin:
        @hookimpl
        def register_adapters(self):
            return [_BrokenAdapter]

    pm = plugins.get_plugin_manager()
    pm.register(Plugin(), name="rusak")
    return pm


def test_an_internal_error_exits_3_asks_for_a_report_and_hides_the_traceback(tmp_path):
    data = tmp_path / "data.rusak"
    data.write_text("x")
    r = CliRunner().invoke(cli, ["evaluate", str(data)], obj=_pm_with_broken_adapter())
    assert r.exit_code == 3  # never 1 (findings) nor 2 (bad input)
    assert "ZeroDivisionError" in r.stderr and "please report" in r.stderr and "--debug" in r.stderr
    assert "Traceback" not in r.output
    r = CliRunner().invoke(cli, ["--debug", "evaluate", str(data)], obj=_pm_with_broken_adapter())
    assert r.exit_code == 3 and "Traceback" in r.stderr and "1 / 0" in r.stderr


def test_limits_are_checked_options(tmp_path):
    r = run("--limit", "json_depth=2", "evaluate", str(EXAMPLE_JSON), "--as-of", "2025-01-31")
    assert r.exit_code == 2 and "json_depth=2" in r.stderr and "--limit json_depth=N" in r.stderr
    assert run("--limit", "json_depth=-1", "rules", "list").exit_code == 2
    assert run("--limit", "json_depth", "rules", "list").exit_code == 2


def test_a_report_never_overwrites_its_input_or_another_report(tmp_path):
    data = tmp_path / "data.json"
    shutil.copy(EXAMPLE_JSON, data)
    before = data.read_bytes()
    for args in (["evaluate", str(data), "--format", "json", "-o", str(data)],
                 ["evaluate", str(data), "--format", "csv", "-o", str(tmp_path / "." / "data.json")],
                 ["export", str(data), "-o", str(data)]):
        r = run(*args)
        assert r.exit_code == 2, args
        assert "berkas data masukan" in r.output and "input data file" in r.output and "data-laporan.json" in r.output
        assert "Traceback" not in r.output
    r = run("evaluate", str(data), "--format", "json", "--format", "csv",
            "-o", str(tmp_path / "r.json"), "-o", str(tmp_path / "sub" / ".." / "r.json"))
    assert r.exit_code == 2 and "the same file for two formats" in r.output
    assert data.read_bytes() == before
    assert not (tmp_path / "r.json").exists()
    r = run("evaluate", str(data), "--format", "json", "-o", str(tmp_path / "r.json"), "--as-of", "2025-01-31")
    assert r.exit_code == 1 and (tmp_path / "r.json").exists() and data.read_bytes() == before
