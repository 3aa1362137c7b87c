"""``serve``: the engine over HTTP (see :mod:`layanan_rules.server`)."""

from __future__ import annotations

from pathlib import Path

import click

from layanan_rules.cli.common import fail, handles_bad_input, plugin_manager


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Alamat yang didengarkan / address to listen on (behind a reverse proxy: keep 127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535), default=8025, show_default=True,
              help="Port TCP; 0 = port bebas mana pun / TCP port; 0 = any free port.")
@click.option("--ruleset", "ruleset_refs", multiple=True, metavar="ID|PATH",
              help="Ruleset yang dimuat, boleh berulang; yang pertama jadi bawaan (bawaan: semua yang terpasang) / "
                   "ruleset to load, repeatable; the first is the default (default: every installed one).")
@click.option("--workers", type=click.IntRange(1, 256), metavar="N",
              help="Proses pekerja yang mengevaluasi (bawaan: satu per CPU) / worker processes that evaluate "
                   "(default: one per CPU).")
@click.option("--timeout", type=click.FloatRange(0.1), default=60.0, show_default=True, metavar="SECONDS",
              help="Batas waktu per permintaan / time budget per request (422 budget_exceeded).")
@click.option("--max-memory", type=click.IntRange(0), default=2048, show_default=True, metavar="MIB",
              help="Batas memori per permintaan, 0 = tanpa batas / memory budget per request, 0 = none.")
@click.option("--max-body", type=click.IntRange(1), default=10 * 1024 * 1024, show_default=True, metavar="BYTES",
              help="Batas ukuran badan permintaan / request body limit (413 above it).")
@click.option("--grace", type=click.FloatRange(0), default=30.0, show_default=True, metavar="SECONDS",
              help="Waktu bagi permintaan yang sedang berjalan setelah SIGTERM / time in-flight requests get "
                   "after SIGTERM.")
@click.option("--backlog", type=click.IntRange(1), default=2048, show_default=True, metavar="N",
              help="Antrean koneksi baru di kernel / queue of new connections in the kernel.")
@click.option("--token-file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Token bearer yang diterima, satu per baris (juga: LAYANAN_RULES_TOKENS) / accepted bearer "
                   "tokens, one a line (also: LAYANAN_RULES_TOKENS).")
@click.option("--quiet", "-q", is_flag=True, help="Tanpa baris log per permintaan / no per-request log lines.")
@handles_bad_input
def serve_cmd(host: str, port: int, ruleset_refs: tuple[str, ...], workers: int | None, timeout: float,
              max_memory: int, max_body: int, grace: float, backlog: int, token_file: Path | None,
              quiet: bool) -> None:
    """Layani mesin yang sama lewat HTTP / serve the same engine over HTTP.

    Untuk sistem yang tidak ditulis dalam Python (JSON API) dan untuk staf lewat peramban
    (unggah buku kerja di http://127.0.0.1:8025/). Evaluasi berjalan di proses pekerja dengan
    batas waktu dan memori per permintaan; SIGTERM menunggu permintaan yang sedang berjalan.
    For systems not written in Python (a JSON API) and for staff in a browser (upload a
    workbook at http://127.0.0.1:8025/). Evaluation runs in worker processes within a time and
    memory budget per request; SIGTERM lets in-flight requests finish. Logs: JSON lines on
    stderr. See docs/http-api.md.

    \b
    Endpoint:
      GET  /   GET /healthz   GET /metrics   GET /v1/docs   GET /openapi.json
      GET  /v1/rulesets   GET /v1/rulesets/{id}/rules
      POST /v1/evaluate   POST /v1/expr   POST /v1/report

    \b
    Contoh / example:
      layanan-rules serve --port 8025 --workers 2
      curl -s http://127.0.0.1:8025/v1/evaluate -d '{"as_of": "2025-01-31", "data": {"layanan": [...]}}'
      curl -s http://127.0.0.1:8025/v1/report -F file=@dinas.xlsx -F format=xlsx -o laporan.xlsx
    """
    from layanan_rules import server
    from layanan_rules.server import auth, run

    try:
        tokens = auth.load(token_file)
    except auth.TokenError as exc:
        fail(f"galat / error: {exc}")
    try:
        app = server.App.from_refs(ruleset_refs, plugin_manager=plugin_manager(), max_body=max_body,
                                   warn=lambda m: click.echo(m, err=True))
    except ValueError as exc:
        fail(f"galat / error: {exc}")
    settings = run.Settings(host=host, port=port, workers=workers or run.default_workers(), timeout=timeout,
                            max_memory=max_memory * run.MIB or None, grace=grace, backlog=backlog, quiet=quiet)
    try:
        run.serve(app, settings, tokens)
    except OSError as exc:
        fail(f"galat / error: tidak bisa mendengarkan di / cannot listen on {host}:{port}: {exc.strerror or exc}")
