"""Pages for people: the upload form at ``/``, error pages, and ``/v1/docs`` read from the OpenAPI document.

Server-side HTML, Indonesian first and English second, no script and nothing loaded from
elsewhere (the Content-Security-Policy says so): it works in any browser a Dinas has. The form
posts to ``POST /v1/report``, the same endpoint, limits and messages as the API.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from layanan_rules.server.messages import HTML_TYPE, VERSION, ApiError, Response

#: headers of every page: nothing from elsewhere, never inside another site's frame
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
}

_CSS = """
:root{--ink:#1d2733;--muted:#5b6776;--line:#dfe4ea;--bg:#f4f6f9;--navy:#1f3a5f;--merah:#c0392b}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 "Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:var(--navy);color:#fff;padding:22px 32px 18px}
header h1{margin:0;font-size:22px;font-weight:600}
header p{margin:4px 0 0;opacity:.85;font-size:13px}
main{max-width:760px;margin:0 auto;padding:20px 24px 40px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:18px 22px;margin:16px 0}
.en{display:block;color:var(--muted);font-size:.86em;font-weight:400}
label{display:block;font-weight:600;margin:14px 0 6px}
input[type=file],input[type=date],select{font:inherit;padding:8px;border:1px solid var(--line);border-radius:6px;
background:#fff;width:100%}
fieldset{border:none;padding:0;margin:14px 0 0}
fieldset label{display:inline;font-weight:400;margin:0 18px 0 4px}
legend{font-weight:600;padding:0;margin-bottom:6px}
.hint{color:var(--muted);font-size:13px;margin:6px 0 0}
.actions{display:flex;flex-wrap:wrap;gap:10px;margin-top:22px}
button{font:inherit;font-weight:600;padding:10px 16px;border-radius:6px;border:1px solid var(--navy);cursor:pointer;
background:#fff;color:var(--navy);text-align:left}
button.primary{background:var(--navy);color:#fff}
button .en{color:inherit;opacity:.8}
.error{border-left:5px solid var(--merah)}
.error h2{color:var(--merah);margin-top:0}
code,pre{font-family:ui-monospace,Consolas,monospace;font-size:13px;background:#f1f4f8;border-radius:4px}
code{padding:1px 4px}
pre{padding:10px;overflow:auto;white-space:pre-wrap;word-break:break-word}
h2{font-size:17px;color:var(--navy)}
h3{font-size:15px;margin:18px 0 6px}
.op{font-family:ui-monospace,Consolas,monospace;font-weight:700}
table{border-collapse:collapse;width:100%;font-size:14px}
td,th{border-top:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
footer{color:var(--muted);font-size:13px;text-align:center}
a{color:var(--navy)}
"""


def e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _page(title: str, body: str, *, subtitle: str = "") -> str:
    sub = f"<p>{subtitle}</p>" if subtitle else ""
    return (f'<!doctype html>\n<html lang="id"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(title)}</title><style>{_CSS}</style></head>\n"
            f"<body><header><h1>{e(title)}</h1>{sub}</header>\n<main>{body}</main></body></html>\n")


def _both(id_text: str, en_text: str) -> str:
    """Indonesian, with the English under it."""
    return f'{id_text}<span class="en">{en_text}</span>'


def index_page(app: Any, today: dt.date | None = None) -> str:
    """The upload form: a workbook, the as-of date, the language; the HTML report or a download."""
    from layanan_rules.data import sources

    today = today or dt.date.today()
    adapters: list[Any] = [cls for cls, _ in sources.available(app.plugin_manager).values()]
    readers = [cls for cls in adapters if cls.extensions]
    extensions = sorted({ext for cls in readers for ext in cls.extensions})
    mib = app.max_body / (1024 * 1024)
    limit = f"{mib:.3g} MiB" if mib >= 1 else f"{app.max_body / 1024:.3g} KiB"
    rulesets = ""
    if len(app.rulesets) > 1:
        options = "".join(f'<option value="{e(rid)}"{" selected" if rid == app.default else ""}>'
                          f"{e(rid)} {e(rs.version)} — {e(rs.spec.title.id)}</option>"
                          for rid, rs in sorted(app.rulesets.items()))
        rulesets = (f'<label for="ruleset">{_both("Aturan", "Ruleset")}</label>'
                    f'<select id="ruleset" name="ruleset">{options}</select>')
    default = app.rulesets[app.default]
    body = f"""
<section>
<p>{_both("Unggah buku kerja data penyelenggara (unit, layanan, pengaduan, ...) untuk melihat kewajiban mana yang "
          "sudah dan belum dipenuhi, lengkap dengan pasal dan perbaikannya.",
          "Upload the provider's workbook (units, services, complaints, ...) to see which duties are met and which "
          "are not, with the article and the remedy for each.")}</p>
<form method="post" action="/v1/report" enctype="multipart/form-data" data-testid="upload-form">
<label for="file">{_both("Berkas data", "Data file")}</label>
<input type="file" id="file" name="file" required accept="{e(",".join(extensions))}">
<p class="hint">{e(" ".join(extensions))} · {_both(f"paling besar {e(limit)}. Buku kerja kosong dengan judul kolom "
                                                   "yang benar: <code>layanan-rules template data.xlsx</code>",
                                                   f"at most {e(limit)}. A blank workbook with the right headers: "
                                                   "<code>layanan-rules template data.xlsx</code>")}</p>
<label for="as_of">{_both("Per tanggal (hukum diterapkan pada tanggal ini)", "As of (the date the law is applied at)")}
</label>
<input type="date" id="as_of" name="as_of" value="{today.isoformat()}" required>
{rulesets}
<fieldset><legend>{_both("Bahasa laporan", "Report language")}</legend>
<input type="radio" id="lang-id" name="lang" value="id" checked><label for="lang-id">Bahasa Indonesia</label>
<input type="radio" id="lang-en" name="lang" value="en"><label for="lang-en">English</label>
</fieldset>
<div class="actions">
<button type="submit" name="format" value="html" formtarget="_blank" class="primary" data-testid="submit-html">
{_both("Lihat laporan", "View the report (HTML)")}</button>
<button type="submit" name="format" value="xlsx" data-testid="submit-xlsx">
{_both("Unduh Excel (.xlsx)", "Download Excel")}</button>
<button type="submit" name="format" value="json" data-testid="submit-json">
{_both("Unduh JSON", "Download JSON")}</button>
</div>
</form>
</section>
<section>
<p class="hint">{_both("Data pribadi (nama pengadu, NIK, alamat, ...) disamarkan dalam laporan. Berkas yang diunggah "
                       "hanya dibaca untuk laporan ini dan langsung dihapus.",
                       "Personal data (complainants' names, NIK, addresses, ...) is masked in the report. The uploaded "
                       "file is read for this report only and deleted at once.")}</p>
</section>
<footer>layanan-rules {e(VERSION)} · {e(default.id)} {e(default.version)} ·
<a href="/v1/docs">API</a> · <a href="/openapi.json">OpenAPI</a></footer>
"""
    return _page("Periksa kepatuhan pelayanan publik", body,
                 subtitle="UU 25/2009 tentang Pelayanan Publik · Check compliance with Law 25/2009 on Public Services")


def error_response(err: ApiError) -> Response:
    """An error answered with a page: the same status and headers as the JSON answer."""
    return Response(err.status, error_page(err).encode(), err.headers, media_type=HTML_TYPE)


def answer(err: ApiError, html: bool) -> Response:
    """The error as a page for a browser, as JSON for everyone else."""
    return error_response(err) if html else err.response()


def error_page(err: ApiError) -> str:
    """An error as a page: the same status, code and bilingual message as the JSON answer."""
    id_text, sep, en_text = err.message.partition(" / ")
    message = _both(e(id_text), e(en_text)) if sep else e(err.message)
    details = "".join(f"<li>{e(str(d['field']) + ': ' if d.get('field') else '')}{e(d.get('message'))}</li>"
                      for d in err.details if d.get("message") and d.get("message") != err.message)
    details = f"<ul>{details}</ul>" if details else ""
    body = f"""
<section class="error" data-testid="error">
<h2>{err.status} · <code data-testid="error-code">{e(err.code)}</code></h2>
<p data-testid="error-message">{message}</p>
{details}
<p><a href="/">{_both("Kembali ke formulir", "Back to the form")}</a></p>
</section>
"""
    return _page("Laporan tidak dapat dibuat", body, subtitle="The report could not be made")


def docs_page(openapi: dict[str, Any]) -> str:
    """Every operation of the OpenAPI document, readable, with its request example and answers."""
    info = openapi.get("info", {})
    parts = [(f"<section><p>{e(info.get('summary'))}</p><p>{e(info.get('description'))}</p>"
             f'<p><a href="/openapi.json">openapi.json</a> · <a href="/report-schema.json">report-schema.json</a> · '
             f'<a href="/">{_both("Unggah buku kerja", "Upload a workbook")}</a></p></section>')]
    responses = openapi.get("components", {}).get("responses", {})
    for path, item in openapi.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            rows = []
            for status, resp in op["responses"].items():
                if "$ref" in resp:
                    resp = responses.get(resp["$ref"].rsplit("/", 1)[-1], {})
                kinds = ", ".join(resp.get("content", {}))
                rows.append(f"<tr><td>{e(status)}</td><td>{e(resp.get('description'))}</td><td>{e(kinds)}</td></tr>")
            request = ""
            for kind, content in op.get("requestBody", {}).get("content", {}).items():
                example = content.get("example")
                shown = json.dumps(example, ensure_ascii=False, indent=2) if example is not None else ""
                request += f"<h3>{e(kind)}</h3>" + (f"<pre>{e(shown)}</pre>" if shown else "")
            params = "".join(f"<tr><td><code>{e(p.get('name'))}</code></td><td>{e(p.get('in'))}</td>"
                             f"<td>{e(p.get('description'))}</td></tr>" for p in op.get("parameters", []))
            parts.append(
                f'<section id="{e(method + path)}"><h2><span class="op">{e(method.upper())} {e(path)}</span></h2>'
                f"<p><strong>{e(op.get('summary'))}</strong></p><p>{e(op.get('description'))}</p>"
                + (f"<table>{params}</table>" if params else "") + request
                + f"<h3>Jawaban / responses</h3><table>{''.join(rows)}</table></section>")
    return _page(f"{info.get('title', 'API')} {info.get('version', '')}", "\n".join(parts),
                 subtitle="Dokumentasi API / API documentation")
