"""The plugin seam: every hook works for a third-party plugin, and broken plugins do not crash the tool."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import click
import pluggy
import pytest
from click.testing import CliRunner
from support import ROOT

from layanan_rules import hookimpl, hookspecs, load_ruleset, read_data
from layanan_rules.data.adapters import BaseAdapter, Provenance, RawRecord
from layanan_rules.expr import compile as compile_expr
from layanan_rules.expr.functions import Function
from layanan_rules.plugins import get_plugin_manager
from layanan_rules.report.reporters import Reporter, available
from layanan_rules.rules.functions import registry_from
from layanan_rules.rules.registry import RulesetSource

HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("register_"))


def test_every_hook_has_a_documented_heading():
    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#+\s+`?(\w+)`?", doc, flags=re.MULTILINE))
    assert set(HOOKS) <= headings, set(HOOKS) - headings


def test_every_hook_has_a_test():
    source = Path(__file__).read_text(encoding="utf-8")
    for hook in HOOKS:
        assert f"def test_hook_{hook}" in source, hook


def _pm(*plugins):
    pm = get_plugin_manager(entry_points=False)
    for p in plugins:
        pm.register(p)
    pm.check_pending()
    return pm


def test_hook_register_functions():
    class P:
        @hookimpl
        def register_functions(self):
            return [Function("dua_kali", lambda x: x * 2, (int,), int, "Dua kali lipat.", "Twice.")]

    funcs = registry_from(_pm(P()))
    assert compile_expr("dua_kali(x) == 4", {"x": int}, funcs)(x=2) is True
    assert funcs["dua_kali"].plugin != "" and "hari_kerja" in funcs


def test_a_plugin_function_brings_its_sql_form():
    """A domain function registered by a plugin may carry ``sql=``: the SQL back ends then run
    rules that call it (here in DuckDB, checked against the Python form); without it, the
    function has no SQL form and such a rule runs in Python."""
    duckdb = pytest.importorskip("duckdb")
    from sql_differential import compare
    from sqlglot import exp

    from layanan_rules.expr import sql as esql
    from layanan_rules.expr.types import INT

    def panjang_sql(call, s):
        return esql.Val(exp.Length(this=s.v), INT)

    class P:
        @hookimpl
        def register_functions(self):
            return [Function("panjang", len, (str,), int, "Jumlah karakter.", "Number of characters.",
                             sql=panjang_sql),
                    Function("kata", lambda s: len(s.split()), (str,), int, "Jumlah kata.", "Number of words.")]

    funcs = registry_from(_pm(P()))
    rows = [("",), ("KTP",), ("Izin Usaha Mikro",), ("Pelayanan ñandú ✓",), ("x" * 300,)]
    assert compare(duckdb.connect(), ["panjang(s) > 3", "panjang(s) + 1"], {"s": str}, funcs, rows) == []
    assert "LENGTH" in esql.compile("panjang(s) > 3", {"s": str}, funcs, dialect="postgres").value_sql()
    with pytest.raises(esql.NoSqlForm, match="kata"):
        esql.compile("kata(s) > 2", {"s": str}, funcs)


def test_function_name_clash_names_both_plugins():
    class P:
        @hookimpl
        def register_functions(self):
            return [Function("hari", lambda a, b: 0, (object, object), int, "x", "x")]

    with pytest.raises(Exception, match="hari.*twice"):
        registry_from(_pm(P()))


def test_hook_register_rulesets(tmp_path):
    folder = tmp_path / "perda-contoh"
    shutil.copytree(ROOT / "rulesets" / "uu-25-2009", folder)

    class P:
        @hookimpl
        def register_rulesets(self):
            return [RulesetSource("perda-contoh", folder)]

    rs = load_ruleset("perda-contoh", plugin_manager=_pm(P()))
    assert rs.path == folder and rs.rules


def test_hook_register_adapters(tmp_path):
    class TxtAdapter(BaseAdapter):
        name = "txt"
        description = "satu layanan per baris / one service per line"
        extensions = (".txt",)

        def read(self):
            for n, line in enumerate(Path(self.location).read_text().splitlines(), 1):
                yield RawRecord("layanan", {"id": f"L{n}", "nama": line}, Provenance(self.location, row=n))

    class P:
        @hookimpl
        def register_adapters(self):
            return [TxtAdapter]

    f = tmp_path / "layanan.txt"
    f.write_text("KTP\nKK\n")
    ds = read_data(f, plugin_manager=_pm(P()))
    assert [r.obj.nama for r in ds.records["layanan"]] == ["KTP", "KK"]
    assert ds.records["layanan"][1].provenance.row == 2


def test_hook_register_reporters():
    class P:
        @hookimpl
        def register_reporters(self):
            return [Reporter("hitung", "jumlah temuan / finding count", "txt",
                             lambda report, out, options: out.write(str(len(report.findings))))]

    assert "hitung" in available(_pm(P())) and "json" in available(_pm(P()))


def test_hook_register_commands():
    class P:
        @hookimpl
        def register_commands(self, cli):
            @cli.command()
            def halo():
                click.echo("halo")

    group = click.Group("g")
    _pm(P()).hook.register_commands(cli=group)
    assert CliRunner().invoke(group, ["halo"]).output == "halo\n"


def test_misspelled_hook_fails_loudly():
    class P:
        @hookimpl
        def register_adapter(self):  # missing "s"
            return []

    with pytest.raises(pluggy.PluginValidationError):
        _pm(P())


def test_broken_third_party_plugin_is_reported_by_name_and_skipped(tmp_path, monkeypatch):
    dist = tmp_path / "layanan_rules_rusak-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: layanan-rules-rusak\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[layanan_rules]\nrusak = modul_yang_tidak_ada\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    said = []
    pm = get_plugin_manager(on_broken=said.append)
    assert any("rusak" in s and "layanan-rules-rusak" in s for s in said)
    assert pm.hook.register_reporters()  # the rest still works


def test_plugins_and_adapters_commands_list_what_is_installed():
    from layanan_rules.cli import cli

    out = CliRunner().invoke(cli, ["plugins"]).output
    assert "layanan_rules.rules.functions" in out and "register_functions" in out
    out = CliRunner().invoke(cli, ["adapters"]).output
    assert "json" in out and ".jsonl" in out


def _csv_adapters():
    class AnyCsv(BaseAdapter):
        name = "anycsv"
        description = "CSV umum / any CSV"
        extensions = (".csv",)

        def read(self):
            yield from ()

    class SkmCsv(BaseAdapter):
        name = "skmcsv"
        description = "Ekspor aplikasi SKM / an SKM application's export"
        extensions = (".skm.csv",)

        def read(self):
            yield from ()

    class P:
        @hookimpl
        def register_adapters(self):
            return [AnyCsv, SkmCsv]  # the general one first: registration order must not decide

    return AnyCsv, SkmCsv, P()


def test_the_most_specific_extension_wins_not_the_first_registered():
    from layanan_rules.data.sources import choose

    any_csv, skm_csv, plugin = _csv_adapters()
    pm = _pm(plugin)
    assert choose("survei/hasil.skm.csv", pm) is skm_csv
    assert choose("survei/HASIL.SKM.CSV", pm) is skm_csv
    assert choose("survei/hasil.csv", pm) is any_csv


def test_an_adapter_may_claim_a_location_with_its_own_priority():
    from layanan_rules.data.sources import choose

    any_csv, _skm_csv, plugin = _csv_adapters()

    class Lapor(BaseAdapter):
        name = "lapor"
        description = "Ekspor LAPOR! / LAPOR! exports"
        extensions = ()

        @classmethod
        def accepts(cls, location):  # a priority above any extension, for the files it knows by name
            return 100 if "lapor" in location.lower() else None

        def read(self):
            yield from ()

    class Q:
        @hookimpl
        def register_adapters(self):
            return [Lapor]

    pm = _pm(plugin, Q())
    assert choose("data/lapor_2015.csv", pm) is Lapor
    assert choose("data/pengaduan.csv", pm) is any_csv


def test_a_cell_issue_keeps_its_own_cell_in_findings_and_data_issues(tmp_path):
    """An adapter that knows which cell it could not read says so in CellIssue.provenance; the error
    finding of every rule reading that field, and the data issue, point at that cell, not the row."""
    from layanan_rules import evaluate
    from layanan_rules.data.adapters import CellIssue

    class Skm(BaseAdapter):
        name = "skm"
        description = "SKM"
        extensions = (".skm",)

        def read(self):
            row = Provenance(self.location, part="SKM", row=21)
            bad = CellIssue("standar.jangka_waktu", "segera", "jangka waktu tidak terbaca / unreadable duration",
                            Provenance(self.location, part="SKM", row=21, column="D"))
            yield RawRecord("layanan", {"id": "L1", "nama": "KTP"}, row, issues=(bad,))

    class P:
        @hookimpl
        def register_adapters(self):
            return [Skm]

    f = tmp_path / "hasil.skm"
    f.write_text("")
    ds = read_data(f, plugin_manager=_pm(P()))
    (issue,) = [i for i in ds.all_issues() if i.field == "standar.jangka_waktu"]
    assert (issue.provenance.row, issue.provenance.column) == (21, "D")
    report = evaluate(load_ruleset(), ds)
    (finding,) = [x for x in report.findings if x.rule_id == "UU25-21d"]
    assert finding.state.value == "error" and (finding.provenance.row, finding.provenance.column) == (21, "D")


def test_a_location_never_repeats_the_file_name():
    from layanan_rules.report.text import provenance_text

    for source, part in (("data/SKM.csv", "SKM.csv"), ("SKM.csv", "SKM"), ("C:\\data\\skm.csv", "SKM.csv")):
        assert str(Provenance(source, part=part, row=21)) == f"{source}:row 21"
        assert provenance_text({"provenance": {"source": source, "part": part, "row": 21}}) == f"{source}:row 21"
    assert str(Provenance("dinas.xlsx", part="Layanan", row=6, column="F")) == "dinas.xlsx:Layanan:row 6:col F"
