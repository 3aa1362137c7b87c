"""``rules``: list, show, test, lint the rules, and the law's coverage."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from layanan_rules.cli.common import EXIT_FINDINGS, fail, handles_bad_input, plugin_manager
from layanan_rules.rules.registry import DEFAULT_RULESET


@click.group()
def rules() -> None:
    """Lihat, uji dan periksa aturan / list, show, test and lint rules."""


@rules.command("list")
@click.option("--ruleset", "ruleset_ref", default=DEFAULT_RULESET, show_default=True, metavar="ID|PATH")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Keluaran JSON / JSON output (for scripts).")
@handles_bad_input
def rules_list(ruleset_ref: str, lang: str, as_json: bool) -> None:
    """Daftar aturan beserta pasalnya / list the rules with their articles."""
    from layanan_rules.rules.registry import available, load_ruleset

    pm = plugin_manager()
    rs = load_ruleset(ruleset_ref, plugin_manager=pm)
    if as_json:
        from layanan_rules.engine import spark
        from layanan_rules.engine.sql import plan

        backends, in_spark = plan(rs), spark.plan(rs)
        click.echo(json.dumps({
            "ruleset": {"id": rs.id, "version": rs.version, "title": {"id": rs.spec.title.id, "en": rs.spec.title.en}},
            "rules": [{
                "id": r.id, "entity": r.entity, "severity": r.severity.value,
                "title": {"id": r.spec.title.id, "en": r.spec.title.en},
                "legal_basis": [{"id": c.label("id"), "en": c.label("en")} for c in r.spec.legal_basis],
                "valid_from": r.spec.valid_from and str(r.spec.valid_from),
                "valid_to": r.spec.valid_to and str(r.spec.valid_to),
                # under --engine duckdb: "duckdb", or "python" with why the rule has no SQL form
                "backend": backends[r.id].backend,
                "backend_reason": backends[r.id].reason,
                # per engine; pushdown depends on the mapped columns (the report's notes count them)
                "backends": {
                    "duckdb": {"backend": backends[r.id].backend, "reason": backends[r.id].reason},
                    "spark": {"backend": in_spark[r.id].backend, "reason": in_spark[r.id].reason},
                },
            } for r in rs.rules],
        }, ensure_ascii=False, indent=1))
        return
    others = ", ".join(sorted(available(pm)))
    click.echo(f"{rs.id} {rs.version}: {rs.spec.title.get(lang)} ({len(rs.rules)} aturan / rules)")
    click.echo(f"ruleset terpasang / installed rulesets: {others}")
    for r in rs.rules:
        cite = r.spec.legal_basis[0].label(lang) if r.spec.legal_basis else ""
        click.echo(f"{r.id:24} {r.entity:16} {r.severity.value:8} {cite:32} {r.spec.title.get(lang)}")


@rules.command("show")
@click.argument("rule_id")
@click.option("--ruleset", "ruleset_ref", default=DEFAULT_RULESET, show_default=True, metavar="ID|PATH")
@handles_bad_input
def rules_show(rule_id: str, ruleset_ref: str) -> None:
    """Tampilkan satu aturan lengkap / show one rule in full."""
    from layanan_rules.rules.registry import load_ruleset

    rs = load_ruleset(ruleset_ref, plugin_manager=plugin_manager())
    try:
        r = rs.rule(rule_id)
    except KeyError as exc:
        fail(str(exc.args[0]))
    s = r.spec
    click.echo(f"{s.id}  ({r.location})")
    click.echo(f"  {s.title.id}\n  {s.title.en}")
    for c in s.legal_basis:
        flag = "" if c.confirmed else "  [BELUM TERKONFIRMASI / UNCONFIRMED]"
        click.echo(f"  dasar hukum / legal basis: {c.label('id')}{flag}")
        if c.text:
            click.echo(f"    \"{c.text.strip()}\"")
        if c.note:
            click.echo(f"    catatan / note: {c.note}")
    click.echo(f"  berlaku untuk / applies to: {s.applies_to}")
    if s.when:
        click.echo(f"  bila / when: {s.when.strip()}")
    click.echo(f"  syarat / require: {s.require.strip()}")
    click.echo(f"  tingkat / severity: {s.severity.value}")
    click.echo(f"  sanksi / sanctions: {'; '.join(c.label('id') for c in s.sanctions) or '-'}")
    for c in s.sanctions:
        if c.note:
            click.echo(f"    {c.label('id')}: {c.note}")
    click.echo(f"  perbaikan: {s.remedy.id}\n  remedy: {s.remedy.en}")
    if s.valid_from or s.valid_to:
        click.echo(f"  berlaku / valid: {s.valid_from or '…'} s.d. {s.valid_to or '…'}")
    if s.tags:
        click.echo(f"  tag: {', '.join(s.tags)}")
    from layanan_rules.engine import spark
    from layanan_rules.engine.sql import choice

    for engine, c in (("duckdb", choice(rs, r)), ("spark", spark.choice(rs, r))):
        why = f" ({c.reason})" if c.reason else ""
        click.echo(f"  mesin dengan --engine {engine} / back end under --engine {engine}: {c.backend}{why}")
    click.echo("  --engine pushdown: tergantung kolom yang dipetakan (catatan laporan menghitungnya) / "
               "depends on the mapped columns (the report's notes count them)")


@rules.command("test")
@click.argument("path", required=False)
@click.option("-v", "--verbose", is_flag=True, help="Tampilkan setiap contoh / show every example.")
@handles_bad_input
def rules_test(path: str | None, verbose: bool) -> None:
    """Jalankan contoh setiap aturan / run every rule's examples.

    PATH adalah folder ruleset atau id (bawaan: uu-25-2009). Gagal bila ada contoh yang
    tidak sesuai, atau bila ruleset tidak punya contoh sama sekali.
    PATH is a ruleset folder or id. Fails on any mismatch, or if the ruleset has no examples.
    """
    from layanan_rules.engine.examples import run_examples
    from layanan_rules.rules.registry import load_ruleset

    rs = load_ruleset(path or DEFAULT_RULESET, plugin_manager=plugin_manager())
    results = run_examples(rs)
    bad = [r for r in results if not r.ok]
    without = [r.id for r in rs.rules if not any(x.rule_id == r.id for x in results)]
    for r in results:
        if verbose or not r.ok:
            mark = "ok  " if r.ok else "SALAH/WRONG"
            extra = f" ({r.message})" if r.message and not r.ok else ""
            click.echo(f"{mark} {r.rule_id} examples.{r.kind}[{r.index}] -> {r.got}{extra}")
    for rid in without:
        click.echo(f"TANPA CONTOH / NO EXAMPLES: {rid}")
    click.echo(
        f"{len(results) - len(bad)} passed, {len(bad)} failed "
        f"({len(rs.rules)} aturan / rules, {len(results)} contoh / examples)"
    )
    if bad or without or not results:
        raise SystemExit(EXIT_FINDINGS)


@rules.command("lint")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@handles_bad_input
def rules_lint(path: Path) -> None:
    """Periksa berkas atau folder aturan; tampilkan SEMUA kesalahan / check rule files; show EVERY error.

    Untuk satu folder ruleset, berkas cakupan (coverage/pasal.yaml) ikut diperiksa.
    For a ruleset folder, its coverage file (coverage/pasal.yaml) is checked too.

    Setiap kesalahan dicetak sebagai file:baris:kolom: [id aturan] pesan.
    Each error prints as file:line:column: [rule id] message. Exit 2 if any.
    """
    from layanan_rules.rules import coverage
    from layanan_rules.rules.functions import registry_from
    from layanan_rules.rules.ruleset import RULESET_FILE, RulesetError, lint_file, load_path

    functions = registry_from(plugin_manager())
    problems = lint_file(path, functions)
    if path.is_dir() or path.name == RULESET_FILE:  # a whole ruleset: its coverage file too
        try:
            loaded = None if problems else load_path(path, functions)
        except RulesetError:
            loaded = None
        problems += coverage.lint(path, loaded)
    for p in problems:
        click.echo(str(p), err=True)
    if problems:
        fail(f"{len(problems)} masalah / problem(s)")
    click.echo(f"{path}: tidak ada masalah / no problems")


@rules.command("coverage")
@click.option("--ruleset", "ruleset_ref", default="uu-25-2009", show_default=True, metavar="ID|PATH")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Tulis ke berkas / write to a file.")
def coverage_command(ruleset_ref: str, fmt: str, output: Path | None) -> None:
    """Cakupan pasal UU 25/2009 dan PP 96/2012 oleh aturan / article-by-article law coverage."""
    from layanan_rules.rules.coverage import CoverageError, build_matrix, render
    from layanan_rules.rules.registry import load_ruleset
    from layanan_rules.rules.ruleset import RulesetError

    try:
        rs = load_ruleset(ruleset_ref)
        m = build_matrix(rs)
    except (RulesetError, CoverageError, KeyError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        click.echo(f"galat / error: {msg}", err=True)
        raise SystemExit(2) from None
    text = render(m, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"ditulis / written: {output}", err=True)
    else:
        sys.stdout.write(text)
