"""``serve``: the engine over HTTP."""

from __future__ import annotations

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
        app = server.App.from_refs(ruleset_refs, plugin_manager=plugin_manager(), max_body=max_body,
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
