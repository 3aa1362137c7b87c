"""The ``layanan-rules`` command line: a thin shell over the library.

Exit codes: 0 nothing at or above the chosen severity failed; 1 such findings exist;
2 bad input (unreadable data, a broken rule file, a wrong option).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from layanan_rules import plugins
from layanan_rules.data.adapters import AdapterError
from layanan_rules.data.dataset import DataError
from layanan_rules.rules.registry import DEFAULT_RULESET, UnknownRuleset
from layanan_rules.rules.rulefile import Severity
from layanan_rules.rules.ruleset import RulesetError

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def fail(message: str) -> None:
    """Print a diagnostic to stderr and exit 2 (bad input)."""
    click.echo(message, err=True)
    raise SystemExit(EXIT_BAD_INPUT)


def handles_bad_input(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's input errors into a message on stderr and exit code 2, no traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RulesetError as exc:
            n = len(exc.problems)
            fail(f"{exc}\n{n} masalah pada berkas aturan / {n} problem(s) in the rule files")
        except (AdapterError, DataError, UnknownRuleset) as exc:
            fail(f"galat / error: {exc}")
        except BrokenPipeError:
            sys.stderr.close()  # the reader (e.g. `head`) went away: not an error
            raise SystemExit(EXIT_OK) from None
        except OSError as exc:
            fail(f"galat / error: {exc.filename or ''}: {exc.strerror}")

    return wrapper


def _pm() -> Any:
    ctx = click.get_current_context()
    root = ctx.find_root()
    if root.obj is None:
        root.obj = plugins.get_plugin_manager()
    return root.obj


def _parse_date(_ctx: Any, _param: Any, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}': pakai YYYY-MM-DD / use YYYY-MM-DD, e.g. 2025-01-31") from None


class Cli(click.Group):
    """Adds plugin commands (``register_commands``) lazily, when the group is first listed or used."""

    _loaded = False

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True
            plugins.get_plugin_manager().hook.register_commands(cli=self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        self._load()
        return super().get_command(ctx, name)


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="layanan-rules")
def cli() -> None:
    """Periksa kepatuhan penyelenggara pelayanan publik terhadap UU 25/2009.

    Check public-service providers against Law 25/2009 on Public Services.

    \b
    Mulai / start:
      layanan-rules evaluate examples/dinas-contoh.xlsx --as-of 2025-01-31
      layanan-rules evaluate data.xlsx --format html -o laporan.html
      layanan-rules template data-dinas.xlsx      (buku kerja kosong / blank workbook)
      layanan-rules rules list
      layanan-rules rules show UU25-21a
      layanan-rules rules coverage
    """


@cli.command()
@click.argument("data")
@click.option("--ruleset", "ruleset_ref", default=DEFAULT_RULESET, show_default=True, metavar="ID|PATH",
              help="Ruleset: id terpasang atau folder / an installed id or a folder.")
@click.option("--as-of", callback=_parse_date, metavar="YYYY-MM-DD",
              help="Tanggal acuan (bawaan: hari ini) / the date the law is applied at (default: today).")
@click.option("--format", "formats", multiple=True, default=("table",), show_default=True, metavar="NAME",
              help="Format keluaran; boleh berulang / output format; repeatable (see `layanan-rules formats`).")
@click.option("--output", "-o", "outputs", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Berkas keluaran, satu per --format / output file, one per --format (default: stdout).")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
              help="Bahasa teks / language of human text.")
@click.option("--adapter", metavar="NAME", help="Adapter sumber data (bawaan: dari ekstensi) / data adapter (default: by extension).")
@click.option("--option", "adapter_options", multiple=True, metavar="KEY=VALUE",
              help="Opsi untuk adapter, mis. mapping=peta.yaml / adapter option, e.g. mapping=map.yaml.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Ubah parameter ruleset, mis. hari_kerja_untuk_tenggat_uu=true (lihat `rules show`) / "
                   "override a ruleset parameter.")
@click.option("--fail-on", type=click.Choice([s.value for s in Severity]), default="info", show_default=True,
              help="Keluar dengan kode 1 bila ada kegagalan pada tingkat ini atau lebih / exit 1 on failures at or above this severity.")
@click.option("--keep-going", is_flag=True,
              help="Bagian sumber yang gagal dibaca dicatat sebagai galat dan sisanya tetap dievaluasi; laporan "
                   "ditandai TIDAK LENGKAP dan kode keluar 2 / record unreadable parts of the source as errors and "
                   "evaluate the rest; the report is marked INCOMPLETE and the exit code is 2.")
@click.option("--fail-under", type=click.FloatRange(0, 100), metavar="SCORE",
              help="Keluar dengan kode 1 bila skor keseluruhan di bawah SCORE (0-100) / exit 1 if the overall score is below SCORE.")
@click.option("--waivers", "waivers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help="Berkas pengecualian (.yaml, .csv, .xlsx) / waiver file (.yaml, .csv, .xlsx).")
@click.option("--attestations", "attestations_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="FILE", help="Berkas atestasi manual (.yaml, .csv, .xlsx) / manual attestation file.")
@click.option("--show-personal-data", is_flag=True,
              help="Tampilkan data pribadi dalam bukti (bawaan: disamarkan) / print personal data in evidence (default: masked).")
@click.option("--min-scored", type=click.IntRange(1), default=5, show_default=True, metavar="N",
              help="Skor dengan kurang dari N temuan dinilai = 'data tidak cukup' / fewer scored findings = 'too little data'.")
@click.option("--quiet", "-q", is_flag=True, help="Tanpa progres dan catatan di stderr / no progress or notes on stderr.")
@handles_bad_input
def evaluate(data: str, ruleset_ref: str, as_of: dt.date | None, formats: tuple[str, ...],
             outputs: tuple[Path, ...], lang: str, adapter: str | None, adapter_options: tuple[str, ...],
             fail_on: str, keep_going: bool, fail_under: float | None = None, waivers_file: Path | None = None,
             attestations_file: Path | None = None, show_personal_data: bool = False, min_scored: int = 5,
             quiet: bool = False, params: tuple[str, ...] = ()) -> None:
    """Evaluasi DATA terhadap ruleset / evaluate DATA against a ruleset.

    DATA adalah berkas (.json, .jsonl, atau format lain dari plugin adapter, mis. .xlsx) atau URL.
    DATA is a file (.json, .jsonl, or any format an adapter plugin adds, e.g. .xlsx) or a URL.

    \b
    Format (--format, boleh berulang, masing-masing dengan --output / repeatable, each with --output):
      table json jsonl csv xlsx junit markdown html   (`layanan-rules formats`)
      layanan-rules evaluate data.json --format html -o laporan.html --format json -o laporan.json

    \b
    Kode keluar / exit codes:
      0  tidak ada kegagalan pada/di atas --fail-on dan skor tidak di bawah --fail-under /
         no failures at or above --fail-on, and the score is not below --fail-under
      1  ada kegagalan, atau skor di bawah --fail-under atau 'data tidak cukup' /
         failures found, or the score is below --fail-under or 'too little data'
      2  masukan salah / bad input (data, rule files, waiver/attestation files, options); dengan --keep-going: sumber tidak
         terbaca lengkap, laporan TIDAK LENGKAP / with --keep-going: the source was not fully read
    """
    from layanan_rules.api import evaluate as run
    from layanan_rules.data import sources
    from layanan_rules.report.reporters import available, document
    from layanan_rules.rules.registry import load_ruleset

    pm = _pm()
    reporters = available(pm)
    for name in formats:
        if name not in reporters:
            fail(f"format '{name}' tidak dikenal / unknown format; pilihan / choices: {', '.join(sorted(reporters))}")
    if outputs and len(outputs) != len(formats):
        fail("beri satu --output per --format / give one --output per --format")
    options = dict(_key_values(adapter_options, "--option"))
    from layanan_rules.report.scores import ScoreConfigError
    from layanan_rules.report.waivers import WaiverFileError, apply, load_attestations, load_waivers

    en = lang == "en"
    with _progress(quiet) as step:
        step("loading rules" if en else "memuat aturan")
        ruleset = load_ruleset(ruleset_ref, plugin_manager=pm)
        if params:
            try:
                ruleset = ruleset.with_params(dict(_key_values(params, "--param")))
            except ValueError as exc:
                fail(f"galat / error: {exc}")
        try:  # waiver and attestation files are checked completely before any evaluation
            waivers = load_waivers(waivers_file, ruleset) if waivers_file else []
            attestations = load_attestations(attestations_file, ruleset) if attestations_file else []
        except WaiverFileError as exc:
            fail(f"{exc}\n{len(exc.problems)} masalah pada berkas; tidak ada yang dievaluasi / "
                 f"{len(exc.problems)} problem(s) in the file; nothing was evaluated")
        step("reading data" if en else "membaca data")
        dataset = sources.read(data, pm, adapter=adapter, options=options, keep_going=keep_going)
        if len(dataset) == 0 and not sources.incomplete(dataset):
            notes = "".join(f"\n  - {i.message}" for i in dataset.issues)
            fail(f"galat: tidak ada record terbaca dari '{data}'; periksa nama sheet/berkas, --adapter dan "
                 f"--option mapping=... / error: no records were read from '{data}'; check the sheet or file "
                 f"names, --adapter and --option mapping=...{notes}")
        step(f"evaluating {len(ruleset.rules)} rules × {len(dataset)} records" if en
             else f"mengevaluasi {len(ruleset.rules)} aturan × {len(dataset)} record")
        report = run(ruleset, dataset, as_of=as_of)
        report.dataset = dataset
        # A one-shot process: what was read and evaluated stays alive until exit, so spare the
        # cyclic GC from rescanning it while the report is written (often a third of the run).
        gc.freeze()
        apply(report, waivers, attestations)
        render_options: dict[str, Any] = {"lang": lang, "show_personal": show_personal_data, "min_scored": min_scored}
        try:  # the JSON document every format is rendered from (built once, scores included)
            summary = document(report, render_options)["summary"]
        except ScoreConfigError as exc:
            fail(f"galat / error: {exc}")
        for i, name in enumerate(formats if outputs else ()):
            step(f"writing {name}" if en else f"menulis {name}")
            reporter = reporters[name]
            mode = "wb" if reporter.binary else "w"
            with open(outputs[i], mode, **({} if reporter.binary else {"encoding": "utf-8"})) as fh:
                reporter.render(report, fh, render_options)
    for i, name in enumerate(formats):  # after the progress line is gone, so the two never mix
        reporter = reporters[name]
        if outputs:
            if not quiet:
                click.echo(f"ditulis / written: {outputs[i]}", err=True)
        elif reporter.binary:
            reporter.render(report, sys.stdout.buffer, render_options)
        else:
            reporter.render(report, sys.stdout, render_options)
    if not quiet:
        for note in report.notes:
            click.echo(f"catatan / note: {note}", err=True)
    missing = sources.incomplete(dataset)
    if missing:
        click.echo(f"PERINGATAN: laporan TIDAK LENGKAP, {len(missing)} bagian sumber tidak terbaca / "
                   f"WARNING: the report is INCOMPLETE, {len(missing)} part(s) of the source could not be read", err=True)
        for issue in missing:
            click.echo(f"  - {issue.message}", err=True)
        raise SystemExit(EXIT_BAD_INPUT)
    failing = bool(report.failed(Severity(fail_on)))
    if fail_under is not None and (not summary["sufficient"] or (summary["score"] or 0.0) < fail_under):
        failing = True
        if not quiet:
            got = f"{summary['score']:.2f}" if summary["sufficient"] else "data tidak cukup / too little data"
            click.echo(f"skor / score {got} < --fail-under {fail_under:g}", err=True)
    raise SystemExit(EXIT_FINDINGS if failing else EXIT_OK)


def _key_values(items: tuple[str, ...], flag: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"{flag} '{item}': pakai KUNCI=NILAI / use KEY=VALUE")
        out.append((key.strip(), value))
    return out


def _progress(quiet: bool) -> Any:
    """A transient progress line on stderr: only on a terminal, only after half a second, never with --quiet."""
    import contextlib
    import threading

    @contextlib.contextmanager
    def cm() -> Any:
        if quiet or not sys.stderr.isatty():
            yield lambda _text: None
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                            console=Console(stderr=True), transient=True)
        task = progress.add_task("", total=None)
        timer = threading.Timer(0.5, progress.start)
        timer.daemon = True
        timer.start()
        try:
            yield lambda text: progress.update(task, description=text)
        finally:
            timer.cancel()
            progress.stop()

    return cm()


@cli.command("diff")
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True,
              help="Format keluaran / output format.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
              help="Bahasa teks / language of human text.")
@click.option("--fail-on-new", is_flag=True, help="Keluar dengan kode 1 bila ada temuan baru / exit 1 if there are new findings.")
def diff_cmd(old: Path, new: Path, fmt: str, lang: str, fail_on_new: bool) -> None:
    """Bandingkan dua laporan JSON / compare two JSON reports.

    OLD dan NEW dibuat dengan `evaluate --format json`. Menampilkan temuan baru, selesai dan
    berubah per unit, serta perubahan skor.
    OLD and NEW are made by `evaluate --format json`. Lists findings new, resolved and changed
    per unit, and the score change.

    \b
    Kode keluar / exit codes:
      0  selesai / done
      1  ada temuan baru (hanya dengan --fail-on-new) / new findings (only with --fail-on-new)
      2  masukan salah / bad input
    """
    from layanan_rules.report import diff

    try:
        result = diff.compare(diff.load_report(old), diff.load_report(new))
    except diff.DiffError as exc:
        fail(f"galat / error: {exc}")
    diff.RENDERERS[fmt](result, sys.stdout, lang)
    raise SystemExit(EXIT_FINDINGS if fail_on_new and result["counts"]["new"] else EXIT_OK)


@cli.group()
def rules() -> None:
    """Lihat, uji dan periksa aturan / list, show, test and lint rules."""


@rules.command("list")
@click.option("--ruleset", "ruleset_ref", default=DEFAULT_RULESET, show_default=True, metavar="ID|PATH")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@handles_bad_input
def rules_list(ruleset_ref: str, lang: str) -> None:
    """Daftar aturan beserta pasalnya / list the rules with their articles."""
    from layanan_rules.rules.registry import available, load_ruleset

    pm = _pm()
    rs = load_ruleset(ruleset_ref, plugin_manager=pm)
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

    rs = load_ruleset(ruleset_ref, plugin_manager=_pm())
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
    click.echo(f"  sanksi / sanction: {s.sanction.label('id') if s.sanction else '-'}")
    click.echo(f"  perbaikan: {s.remedy.id}\n  remedy: {s.remedy.en}")
    if s.valid_from or s.valid_to:
        click.echo(f"  berlaku / valid: {s.valid_from or '…'} s.d. {s.valid_to or '…'}")
    if s.tags:
        click.echo(f"  tag: {', '.join(s.tags)}")


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

    rs = load_ruleset(path or DEFAULT_RULESET, plugin_manager=_pm())
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

    Setiap kesalahan dicetak sebagai file:baris:kolom: [id aturan] pesan.
    Each error prints as file:line:column: [rule id] message. Exit 2 if any.
    """
    from layanan_rules.rules.functions import registry_from
    from layanan_rules.rules.ruleset import lint_file

    problems = lint_file(path, registry_from(_pm()))
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


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Alamat yang didengarkan / address to listen on (behind a reverse proxy: keep 127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535), default=8025, show_default=True,
              help="Port TCP; 0 = port bebas mana pun / TCP port; 0 = any free port.")
@click.option("--ruleset", "ruleset_refs", multiple=True, metavar="ID|PATH",
              help="Ruleset yang dimuat, boleh berulang; yang pertama jadi bawaan (bawaan: semua yang terpasang) / "
                   "ruleset to load, repeatable; the first is the default (default: every installed one).")
@click.option("--max-body", type=click.IntRange(1), default=10 * 1024 * 1024, show_default=True, metavar="BYTES",
              help="Batas ukuran badan permintaan / request body limit (413 above it).")
@click.option("--quiet", "-q", is_flag=True, help="Tanpa baris log per permintaan / no per-request log lines.")
@handles_bad_input
def serve_cmd(host: str, port: int, ruleset_refs: tuple[str, ...], max_body: int, quiet: bool) -> None:
    """Layani mesin yang sama lewat HTTP (JSON) / serve the same engine over HTTP (JSON).

    Untuk sistem yang tidak ditulis dalam Python: portal layanan, sistem pengaduan, dasbor.
    For systems not written in Python: service portals, complaint systems, dashboards.
    Jalankan di belakang reverse proxy organisasi (TLS, autentikasi) / run it behind the
    organisation's reverse proxy (TLS, authentication). See docs/http-api.md.

    \b
    Endpoint:
      GET  /healthz   GET /v1/rulesets   GET /v1/rulesets/{id}/rules
      POST /v1/evaluate   POST /v1/expr

    \b
    Contoh / example:
      layanan-rules serve --port 8025
      curl -s http://127.0.0.1:8025/v1/evaluate -d '{"as_of": "2025-01-31", "data": {"layanan": [...]}}'
    """
    from layanan_rules import server

    try:
        app = server.App.from_refs(ruleset_refs, plugin_manager=_pm(), max_body=max_body,
                                   warn=lambda m: click.echo(m, err=True))
    except ValueError as exc:
        fail(f"galat / error: {exc}")
    try:
        httpd = server.make_server(app, host, port, quiet=quiet)
    except OSError as exc:
        fail(f"galat / error: tidak bisa mendengarkan di / cannot listen on {host}:{port}: {exc.strerror or exc}")
    names = ", ".join(f"{rid} {rs.version}" for rid, rs in app.rulesets.items())
    click.echo(f"layanan-rules melayani di / serving on {httpd.url} (ruleset: {names}; bawaan / default: {app.default})",
               err=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        click.echo("berhenti / stopped", err=True)
    finally:
        httpd.server_close()


@cli.command("export")
@click.argument("data")
@click.option("--adapter", metavar="NAME", help="Adapter sumber data / data adapter (default: by extension).")
@click.option("--option", "adapter_options", multiple=True, metavar="KEY=VALUE", help="Opsi adapter / adapter option.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Berkas JSON keluaran (bawaan: stdout) / output JSON file (default: stdout).")
@handles_bad_input
def export_cmd(data: str, adapter: str | None, adapter_options: tuple[str, ...], output: Path | None) -> None:
    """Ubah DATA (mis. buku kerja) ke bentuk JSON model / convert DATA (e.g. a workbook) to the model's JSON form.

    Nilai yang sudah terbaca (tanggal, jangka waktu, biaya) ditulis dalam bentuk terstruktur;
    masalah data dicetak ke stderr. Hasilnya dapat dimuat ke basis data atau API, atau
    dievaluasi langsung: `layanan-rules evaluate data.json`.
    Values read (dates, durations, fees) are written structured; data problems go to stderr.
    """
    import json

    from layanan_rules.data import sources

    dataset = sources.read(data, _pm(), adapter=adapter, options=dict(_key_values(adapter_options, "--option")))
    for issue in dataset.all_issues():
        where = f" @ {issue.provenance}" if issue.provenance else ""
        click.echo(f"catatan / note: {issue.message}{where}", err=True)
    text = json.dumps(dataset.to_json(), ensure_ascii=False, indent=1) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"ditulis / written: {output} ({len(dataset)} record)", err=True)
    else:
        click.echo(text, nl=False)


@cli.command("plugins")
def plugins_cmd() -> None:
    """Daftar plugin terpasang beserta hook-nya / list installed plugins and their hooks."""
    pm = _pm()
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda x: x[0]):
        if plugin is None:
            continue
        dist, version = plugins.plugin_distribution(name)
        hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
        click.echo(f"{name}  ({dist} {version})  hooks: {', '.join(hooks)}")


@cli.command("adapters")
def adapters_cmd() -> None:
    """Daftar adapter sumber data / list data adapters and what each reads."""
    from layanan_rules.data.sources import available

    for name, (cls, plugin) in sorted(available(_pm()).items()):
        accepts = ", ".join(list(cls.extensions) + [f"{s}://" for s in cls.schemes])
        dist, version = plugins.plugin_distribution(plugin)
        click.echo(f"{name:14} {accepts:40} {dist} {version}  {cls.description}")


@cli.command("formats")
def formats_cmd() -> None:
    """Daftar format laporan / list report formats."""
    from layanan_rules.report.reporters import available

    for name, r in sorted(available(_pm()).items()):
        click.echo(f"{name:10} .{r.extension:6} {r.description}")


def main() -> None:
    cli(prog_name="layanan-rules")


if __name__ == "__main__":
    main()
