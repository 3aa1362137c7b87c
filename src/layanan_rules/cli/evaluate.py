"""``evaluate``, ``export`` and ``diff``: data in, a report (or the data's JSON form) out."""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from layanan_rules.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    fail,
    handles_bad_input,
    key_values,
    outputs_apart,
    parse_date,
    plugin_manager,
)
from layanan_rules.rules.registry import DEFAULT_RULESET
from layanan_rules.rules.rulefile import Severity


@click.command()
@click.argument("data")
@click.option("--ruleset", "ruleset_ref", default=DEFAULT_RULESET, show_default=True, metavar="ID|PATH",
              help="Ruleset: id terpasang atau folder / an installed id or a folder.")
@click.option("--as-of", callback=parse_date, metavar="YYYY-MM-DD",
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
@click.option("--evidence", type=click.Choice(["problems", "all"]), default="problems", show_default=True,
              help="Bukti dan sumber data untuk temuan bermasalah saja (gagal, galat, dikecualikan, atestasi) atau "
                   "untuk semua / evidence and provenance for problem findings only, or for all.")
@click.option("--csv-delimiter", default=",", show_default=True, metavar="CHAR",
              help="Pemisah kolom CSV; ';' untuk Excel berlokal Indonesia / CSV delimiter; ';' for Excel in an "
                   "Indonesian (comma-decimal) locale.")
@click.option("--html-template", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="DIR",
              help="Folder templat Jinja2 (letterhead.html.j2, signoff.html.j2) untuk kop surat dan pengesahan "
                   "laporan HTML / Jinja2 templates for the HTML report's letterhead and sign-off.")
@click.option("--agency", metavar="NAME", help="Nama instansi pada kop laporan HTML / agency name in the HTML letterhead.")
@click.option("--quiet", "-q", is_flag=True, help="Tanpa progres dan catatan di stderr / no progress or notes on stderr.")
@click.option("--engine", type=click.Choice(["auto", "python", "duckdb", "spark", "pushdown"]), default="auto",
              show_default=True,
              help="Mesin evaluasi: python (per record), duckdb (aturan ber-SQL di DuckDB, sisanya Python; Parquet/JSON "
                   "Lines dengan --format parquet -o: DuckDB membaca berkasnya sendiri), spark (SQL yang sama di "
                   "Spark), pushdown (aturan dijalankan di dalam basis data PostgreSQL sumber), auto "
                   "(docs/engines.md); temuannya sama / evaluation back end: python (record by record), duckdb "
                   "(rules with an SQL form in DuckDB, the rest in Python; Parquet/JSON Lines with --format parquet "
                   "-o: DuckDB reads the file itself), spark (the same SQL on Spark), pushdown "
                   "(rules run inside the source PostgreSQL database), auto; the findings are the same.")
@handles_bad_input
def evaluate(data: str, ruleset_ref: str, as_of: dt.date | None, formats: tuple[str, ...],
             outputs: tuple[Path, ...], lang: str, adapter: str | None, adapter_options: tuple[str, ...],
             fail_on: str, keep_going: bool, fail_under: float | None = None, waivers_file: Path | None = None,
             attestations_file: Path | None = None, show_personal_data: bool = False, min_scored: int = 5,
             quiet: bool = False, params: tuple[str, ...] = (), evidence: str = "problems",
             csv_delimiter: str = ",", html_template: Path | None = None, agency: str | None = None,
             engine: str = "auto") -> None:
    """Evaluasi DATA terhadap ruleset / evaluate DATA against a ruleset.

    DATA adalah berkas (.json, .jsonl, .parquet atau folder <entitas>.parquet, atau format lain dari plugin
    adapter, mis. .xlsx) atau URL.
    DATA is a file (.json, .jsonl, .parquet or a folder of <entity>.parquet, or any format an adapter plugin
    adds, e.g. .xlsx) or a URL.

    \b
    Format (--format, boleh berulang, masing-masing dengan --output / repeatable, each with --output):
      table json jsonl csv xlsx junit markdown html parquet   (`layanan-rules formats`)
      layanan-rules evaluate data.json --format html -o laporan.html --format json -o laporan.json

    \b
    Kode keluar / exit codes:
      0  tidak ada kegagalan pada/di atas --fail-on dan skor tidak di bawah --fail-under /
         no failures at or above --fail-on, and the score is not below --fail-under
      1  ada kegagalan, atau skor di bawah --fail-under atau 'data tidak cukup' /
         failures found, or the score is below --fail-under or 'too little data'
      2  masukan salah / bad input (data, rule files, waiver/attestation files, options, a limit exceeded:
         docs/limits.md); dengan --keep-going: sumber tidak terbaca lengkap, laporan TIDAK LENGKAP /
         with --keep-going: the source was not fully read
      3  galat internal (bug), mohon laporkan / internal error (a bug), please report it
    """
    from layanan_rules.api import evaluate as run
    from layanan_rules.data import sources
    from layanan_rules.report.findings import source_identity
    from layanan_rules.report.formats.common import ReportTooLarge, document
    from layanan_rules.report.reporters import available
    from layanan_rules.rules.registry import load_ruleset

    pm = plugin_manager()
    reporters = available(pm)
    for name in formats:
        if name not in reporters:
            fail(f"format '{name}' tidak dikenal / unknown format; pilihan / choices: {', '.join(sorted(reporters))}")
    if outputs and len(outputs) != len(formats):
        fail("beri satu --output per --format / give one --output per --format")
    outputs_apart(data, outputs)
    options = dict(key_values(adapter_options, "--option"))
    if len(csv_delimiter) != 1 or csv_delimiter in '"\r\n':
        fail(f"--csv-delimiter: satu karakter selain tanda kutip atau baris baru / one character other than a "
             f"quote or newline, bukan / not {csv_delimiter!r}")
    from layanan_rules.report.scores import ScoreConfigError
    from layanan_rules.report.scores import check as check_scores
    from layanan_rules.report.waivers import WaiverFileError, apply, load_attestations, load_waivers

    en = lang == "en"
    with _progress(quiet) as step:
        step("loading rules" if en else "memuat aturan")
        ruleset = load_ruleset(ruleset_ref, plugin_manager=pm)
        if params:
            try:
                ruleset = ruleset.with_params(dict(key_values(params, "--param")))
            except ValueError as exc:
                fail(f"galat / error: {exc}")
        try:  # waiver and attestation files are checked completely before any evaluation
            waivers = load_waivers(waivers_file, ruleset) if waivers_file else []
            attestations = load_attestations(attestations_file, ruleset) if attestations_file else []
        except WaiverFileError as exc:
            fail(f"{exc}\n{len(exc.problems)} masalah pada berkas; tidak ada yang dievaluasi / "
                 f"{len(exc.problems)} problem(s) in the file; nothing was evaluated")
        from layanan_rules.engine.sql import EngineUnavailable

        if engine in ("duckdb", "auto"):  # DuckDB reading the file itself, when that serves the request
            from layanan_rules.cli import scanned

            why = scanned.refusal(data, formats, outputs, adapter=adapter, options=options, waivers=bool(waivers),
                                  attestations=bool(attestations), keep_going=keep_going, fail_under=fail_under,
                                  evidence=evidence)
            if why is None and (engine == "duckdb" or scanned.auto_wants(data, ruleset, as_of)):
                step("evaluating in DuckDB" if en else "mengevaluasi di DuckDB")
                try:
                    got = scanned.run(ruleset, data, as_of, outputs, options, show_personal=show_personal_data,
                                      lang=lang)
                except EngineUnavailable as exc:  # e.g. DuckDB out of its memory bound: the way out named
                    fail(f"galat / error: {exc}")
                if got is not None:
                    _finish_scan(got, data, ruleset, outputs, fail_on, quiet, step)
                why = ("DuckDB tidak membaca masukan ini seperti model / DuckDB does not read this input as the "
                       "model does")
            if engine == "duckdb" and why is not None and not quiet:
                click.echo(f"catatan / note: --engine duckdb membaca record di Python / reads the records in "
                           f"Python: {why}", err=True)
        step("reading data" if en else "membaca data")
        pushed: Any = None
        if engine == "pushdown":
            from layanan_rules.engine import pushdown

            if keep_going:
                fail("--keep-going tidak dapat dipakai dengan --engine pushdown (baris yang lulus tidak dibaca, jadi "
                     "yang hilang tidak dapat dihitung) / --keep-going cannot be used with --engine pushdown (passing "
                     "rows are not read, so what is missing cannot be counted); use --engine python")
            day = as_of or dt.date.today()
            dataset, pushed = pushdown.read_source(ruleset, data, pm, day, adapter=adapter, options=options,
                                                   full=evidence == "all")
        else:
            dataset = sources.read(data, pm, adapter=adapter, options=options, keep_going=keep_going)
        if not quiet:
            _warn_guesses(dataset)
        if len(dataset) == 0 and not sources.incomplete(dataset):
            notes = "".join(f"\n  - {i.message}" + (f" @ {i.provenance}" if i.provenance else "") for i in dataset.issues)
            notes += "".join(f"\n  - {n} × {kind}" for kind, n in sorted(dataset.skipped.items()))
            fail(f"galat: tidak ada record terbaca dari '{data}'; periksa nama sheet/berkas, --adapter dan "
                 f"--option mapping=... / error: no records were read from '{data}'; check the sheet or file "
                 f"names, --adapter and --option mapping=...{notes}")
        n_pairs = sum(len(dataset.records.get(r.entity, ())) for r in ruleset.rules)
        step(f"evaluating {len(ruleset.rules)} rules × {len(dataset)} records" if en
             else f"mengevaluasi {len(ruleset.rules)} aturan × {len(dataset)} record", total=n_pairs)
        try:
            if engine == "pushdown":
                from layanan_rules.engine import evaluation as engines
                from layanan_rules.report.findings import Report

                day = as_of or dt.date.today()
                if pushed is None:
                    report = Report.of(engines.run(ruleset, dataset, as_of=day))
                    report.notes.append(pushdown.NOT_PUSHED)
                else:
                    report = Report.of(pushdown.run(ruleset, dataset, pushed, day))
                    report.notes.append(pushdown.summary(pushed))
            else:
                report = run(ruleset, dataset, as_of=as_of, engine=engine)
        except EngineUnavailable as exc:
            fail(f"galat / error: {exc}")
        report.dataset = dataset
        report.source = source_identity(data)
        # A one-shot process: what was read and evaluated stays alive until exit, so spare the
        # cyclic GC from rescanning it while the report is written (often a third of the run).
        gc.freeze()
        from layanan_rules.report import sidecar

        sidecar.enable()  # a large report's evidence made on both cores (report/sidecar.py)
        apply(report, waivers, attestations)
        render_options: dict[str, Any] = {"lang": lang, "show_personal": show_personal_data, "min_scored": min_scored,
                                          "evidence": evidence, "csv_delimiter": csv_delimiter,
                                          "html_template": html_template, "agency": agency}
        step("building the findings table" if en else "menyusun tabel temuan", total=sum(report.counts().values()))
        summary: dict[str, Any] = {}
        try:  # the head the formats start from (table, scores and rules built once), when one reads it
            if fail_under is not None or any(getattr(reporters[name], "head", True) for name in formats):
                summary = document(report, render_options)["summary"]
            else:  # (csv) what scoring would refuse, refused now all the same
                check_scores(report)
        except ScoreConfigError as exc:
            fail(f"galat / error: {exc}")
        for i, name in enumerate(formats if outputs else ()):
            step(f"writing {name} → {outputs[i]}" if en else f"menulis {name} → {outputs[i]}")
            _write(reporters[name], report, outputs[i], _options_for(name, i, formats, outputs, render_options),
                   ReportTooLarge)
    for i, name in enumerate(formats):  # after the progress line is gone, so the two never mix
        reporter = reporters[name]
        if outputs:
            if not quiet:
                click.echo(f"ditulis / written: {outputs[i]}", err=True)
        else:
            try:
                reporter.render(report, sys.stdout.buffer if reporter.binary else sys.stdout, render_options)
            except ReportTooLarge as exc:
                fail(str(exc))
    if not quiet:
        for note in report.notes:
            click.echo(f"catatan / note: {note}", err=True)
        if outputs:
            from layanan_rules.cli.scanned import summary_line

            click.echo(summary_line(report.counts()), err=True)
    missing = sources.incomplete(dataset)
    if missing:
        click.echo(f"PERINGATAN: laporan TIDAK LENGKAP, {len(missing)} bagian sumber tidak terbaca / "
                   f"WARNING: the report is INCOMPLETE, {len(missing)} part(s) of the source could not be read", err=True)
        for issue in missing:
            click.echo(f"  - {issue.message}", err=True)
        raise SystemExit(EXIT_BAD_INPUT)
    failing = report.has_failures(Severity(fail_on))
    if fail_under is not None and (not summary["sufficient"] or (summary["score"] or 0.0) < fail_under):
        failing = True
        if not quiet:
            got = f"{summary['score']:.2f}" if summary["sufficient"] else "data tidak cukup / too little data"
            click.echo(f"skor / score {got} < --fail-under {fail_under:g}", err=True)
    raise SystemExit(EXIT_FINDINGS if failing else EXIT_OK)


def _options_for(name: str, i: int, formats: tuple[str, ...], outputs: tuple[Path, ...],
                 options: dict[str, Any]) -> dict[str, Any]:
    """The options of output ``i``: an html page written with a csv or parquet report in the same
    run links to the first of them (relative to the page) for the findings it leaves out."""
    if name != "html":
        return options
    full = next((outputs[j] for j, other in enumerate(formats) if other in ("csv", "parquet")), None)
    if full is None:
        return options
    return {**options, "full_list": Path(os.path.relpath(full.resolve(), outputs[i].resolve().parent)).as_posix()}


def _finish_scan(got: Any, data: str, ruleset: Any, outputs: tuple[Path, ...], fail_on: str, quiet: bool,
                 step: Any) -> NoReturn:
    """The end of an evaluation DuckDB did reading the file itself: what was written, the counts
    per state (as the usual path prints them), the exit code (it never returns)."""
    from layanan_rules.cli.scanned import summary_line

    if not sum(got.records.values()):
        for path in outputs:
            path.unlink(missing_ok=True)
        fail(f"galat: tidak ada record terbaca dari '{data}'; periksa nama berkas / error: no records were read "
             f"from '{data}'; check the file names")
    step("")
    counts = dict.fromkeys(("pass", "fail", "not_applicable", "error", "waived"), 0)
    for per_state in got.counts.values():
        for state, n in per_state.items():
            counts[state] += n
    severity = {r.id: r.severity for r in ruleset.rules}
    least = Severity(fail_on)
    failing = any(c.get("fail") and severity[rid].rank >= least.rank for rid, c in got.counts.items())
    if not quiet:
        for path in outputs:
            click.echo(f"ditulis / written: {path}", err=True)
        if got.issues:
            click.echo(f"catatan / note: {len(got.issues):,} masalah data; rinciannya: "
                       f"--engine python / data problems; for the details: --engine python",
                       err=True)
        click.echo(summary_line(counts), err=True)
    raise SystemExit(EXIT_FINDINGS if failing else EXIT_OK)


def _write(reporter: Any, report: Any, path: Path, options: dict[str, Any], too_large: type[Exception]) -> None:
    """Write one format to a temporary file beside ``path`` and move it into place: a format that
    refuses (too many rows for xlsx) or a crash never leaves a half-written report."""
    import os
    import tempfile

    if path.exists() and not path.is_file():  # /dev/null, a named pipe: write to it, never replace it
        with open(path, "wb") if reporter.binary else open(path, "w", encoding="utf-8", newline="") as out:
            try:
                reporter.render(report, out, options)
            except too_large as exc:
                fail(str(exc))
            except ValueError as exc:
                fail(f"galat / error: {exc}")
        return
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # as open() would have made it, not mkstemp's 0600
    try:
        fh: Any
        with (os.fdopen(fd, "wb") if reporter.binary else os.fdopen(fd, "w", encoding="utf-8", newline="")) as fh:
            reporter.render(report, fh, options)
        os.replace(tmp, path)
    except too_large as exc:
        os.unlink(tmp)
        fail(str(exc))
    except ValueError as exc:  # a template or option the format cannot use: the message names it
        os.unlink(tmp)
        fail(f"galat / error: {exc}")
    except BaseException:
        os.unlink(tmp)
        raise


def _warn_guesses(dataset: Any) -> None:
    """Say on stderr, before the report, where a column or a file's entity was read on a guess (a
    header one letter or one word off, a CSV named after nothing) or a column not read though it looks like a Pasal 21 component: a person should check
    these before trusting the findings that rest on them."""
    seen: dict[tuple[str, str], list[Any]] = {}
    for issue in dataset.all_issues():
        if issue.kind in ("header_guessed", "entity_guessed"):
            click.echo(f"periksa / check: {issue.provenance}: {issue.message}", err=True)
        elif issue.kind == "unrecognised_column":
            key = (issue.entity or "", issue.message)
            seen.setdefault(key, []).append(issue)
    for (_entity, message), issues in seen.items():
        first = issues[0].provenance
        click.echo(f"periksa / check: {first}: {message} ({len(issues)} record)", err=True)


def _progress(quiet: bool) -> Any:
    """Progress on stderr, on a terminal only and never with --quiet: each step with its elapsed
    time, and for counted steps (records × rules, findings) the count and an ETA. Shown after half a
    second, so quick runs print nothing."""
    import contextlib
    import threading

    @contextlib.contextmanager
    def cm() -> Any:
        if quiet or not sys.stderr.isatty():
            yield lambda _text, total=None: None
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        task = progress.add_task("", total=None)
        timer = threading.Timer(0.5, progress.start)
        timer.daemon = True
        timer.start()

        def step(text: str, total: int | None = None) -> None:
            progress.update(task, description=text, total=total, completed=0)
            progress.reset(task, total=total, description=text)

        try:
            yield step
        finally:
            timer.cancel()
            progress.stop()

    return cm()


@click.command("export")
@click.argument("data")
@click.option("--adapter", metavar="NAME", help="Adapter sumber data / data adapter (default: by extension).")
@click.option("--option", "adapter_options", multiple=True, metavar="KEY=VALUE", help="Opsi adapter / adapter option.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Berkas JSON keluaran (bawaan: stdout); nama berakhiran .parquet: folder Parquet, satu "
                   "<entitas>.parquet per entitas / output JSON file (default: stdout); a name ending in .parquet: a "
                   "Parquet folder, one <entity>.parquet per entity.")
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

    outputs_apart(data, [output])
    dataset = sources.read(data, plugin_manager(), adapter=adapter, options=dict(key_values(adapter_options, "--option")))
    for issue in dataset.all_issues():
        where = f" @ {issue.provenance}" if issue.provenance else ""
        click.echo(f"catatan / note: {issue.message}{where}", err=True)
    if dataset.skipped:
        counted = ", ".join(f"{kind} {n}" for kind, n in sorted(dataset.skipped.items()))
        click.echo(f"dilewati, bukan data / skipped, not data: {counted}", err=True)
    if output is not None and output.suffix.lower() == ".parquet":
        _export_parquet(dataset.to_json(), output)
        click.echo(f"ditulis / written: {output} ({len(dataset)} record)", err=True)
        return
    if output is not None and output.is_dir():
        fail(f"{output}: sebuah folder; beri nama berkas .json, atau .parquet untuk folder Parquet / a folder; "
             f"give a .json file name, or .parquet for a Parquet folder")
    text = json.dumps(dataset.to_json(), ensure_ascii=False, indent=1) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"ditulis / written: {output} ({len(dataset)} record)", err=True)
    else:
        click.echo(text, nl=False)


def _export_parquet(data: dict[str, Any], output: Path) -> None:
    """The model's JSON form as the Parquet folder ``evaluate`` reads: one ``<entity>.parquet``
    per entity, a column per field any record has (absent -> null). Written beside and moved into
    place; an existing ``output`` is replaced only when it is such a folder."""
    import os
    import shutil
    import tempfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    if output.exists() and not (output.is_dir() and all(p.suffix == ".parquet" for p in output.iterdir())):
        fail(f"{output}: sudah ada dan bukan folder Parquet; pilih nama lain / exists and is not a Parquet "
             f"folder; choose another name")
    folder = output.parent if str(output.parent) else Path(".")
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=folder))
    try:
        for entity, records in data.items():
            if not isinstance(records, list) or not records:
                continue
            fields = list(dict.fromkeys(k for r in records for k in r))
            try:
                table = pa.table({k: [r.get(k) for r in records] for k in fields})
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                fail(f"{output}: {entity}: nilai berlainan tipe dalam satu kolom tidak dapat ditulis ke Parquet "
                     f"({exc}); ekspor ke .json / values of different types in one column cannot be written to "
                     f"Parquet; export to .json")
            pq.write_table(table, tmp / f"{entity}.parquet", compression="zstd")
        if output.exists():
            shutil.rmtree(output)
        os.replace(tmp, output)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@click.command("diff")
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
