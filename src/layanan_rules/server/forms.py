"""``POST /v1/report``: a file uploaded as ``multipart/form-data``, evaluated and rendered.

What the upload page at ``/`` posts, and what ``curl -F file=@dinas.xlsx`` sends: the same
checks, limits and messages as the JSON API, and the same report files as
``layanan-rules evaluate FILE --format F``. The file is read by the adapter its extension names
(the ones that read files: spreadsheet, JSON, TOML, ...), from a private temporary folder that is
removed afterwards; reports name the uploaded file, never that folder.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import logging
import re
import tempfile
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from layanan_rules.server.messages import (
    HTML_TYPE,
    JSON_TYPE,
    ApiError,
    Response,
    as_of_date,
    field_error,
    language,
)

FIELDS = ("file", "as_of", "format", "lang", "ruleset", "show_personal_data")
DEFAULT_FORMAT = "html"
MEDIA_TYPES = {
    "html": HTML_TYPE,
    "json": JSON_TYPE,
    "jsonl": "application/x-ndjson; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "junit": "application/xml; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "table": "text/plain; charset=utf-8",
}
MAX_PARTS = 16  # the form has six fields; a body of thousands of tiny parts is refused early


@attrs.frozen
class Part:
    """One form field: its text value, or a file's name and bytes."""

    name: str
    data: bytes
    filename: str | None = None

    def text(self) -> str:
        try:
            return self.data.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise field_error(self.name, "bukan teks UTF-8 / not UTF-8 text") from None


def parse(content_type: str, body: bytes) -> dict[str, Part]:
    """The fields of a ``multipart/form-data`` body; ``bad_request`` naming what is wrong."""
    from python_multipart.exceptions import MultipartParseError
    from python_multipart.multipart import MultipartParser, parse_options_header

    kind, params = parse_options_header(content_type or "")
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise ApiError("bad_request", "kirim berkas sebagai multipart/form-data (mis. curl -F file=@data.xlsx) / "
                                      "send the file as multipart/form-data (e.g. curl -F file=@data.xlsx)",
                       [{"field": "file", "message": f"Content-Type: {content_type or '(none)'}"}])
    parts: list[Part] = []
    state: dict[str, Any] = {}

    def begin() -> None:
        if len(parts) >= MAX_PARTS:
            raise ApiError("bad_request", f"terlalu banyak bagian formulir (>{MAX_PARTS}) / "
                                          f"too many form parts (>{MAX_PARTS})")
        state.update(headers={}, field=b"", value=b"", chunks=[])

    def header_end() -> None:
        state["headers"][state["field"].lower()] = state["value"]
        state["field"] = state["value"] = b""

    def part_end() -> None:
        _, disposition = parse_options_header(state["headers"].get(b"content-disposition", b""))
        name = disposition.get(b"name", b"").decode("utf-8", "replace")
        filename = disposition.get(b"filename")
        parts.append(Part(name, b"".join(state["chunks"]),
                          None if filename is None else filename.decode("utf-8", "replace")))

    callbacks = {
        "on_part_begin": begin,
        "on_header_field": lambda d, s, e: state.__setitem__("field", state["field"] + d[s:e]),
        "on_header_value": lambda d, s, e: state.__setitem__("value", state["value"] + d[s:e]),
        "on_header_end": header_end,
        "on_part_data": lambda d, s, e: state["chunks"].append(d[s:e]),
        "on_part_end": part_end,
        "on_end": lambda: state.__setitem__("end", True),
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    logging.getLogger("python_multipart").setLevel(logging.ERROR)  # its warnings repeat what we answer
    try:
        parser.write(body)
        parser.finalize()
    except MultipartParseError as exc:
        raise ApiError("bad_request", f"badan multipart rusak / malformed multipart body: {exc}") from None
    if not state.get("end"):
        raise ApiError("bad_request", "badan multipart terpotong (batas penutup tidak ada) / "
                                      "truncated multipart body (no closing boundary)")
    out: dict[str, Part] = {}
    for part in parts:
        if part.name not in FIELDS:
            hint = difflib.get_close_matches(part.name, FIELDS, n=1)
            did = f"; maksud Anda / did you mean '{hint[0]}'?" if hint else ""
            raise field_error(part.name or "(no name)", f"kolom formulir tidak dikenal / unknown form field{did}; "
                                                         f"boleh / allowed: {', '.join(FIELDS)}")
        if part.name in out:
            raise field_error(part.name, "dikirim dua kali / given twice")
        out[part.name] = part
    return out


def encode(fields: Mapping[str, str | tuple[str, bytes]]) -> tuple[bytes, dict[str, str]]:
    """A ``multipart/form-data`` body and its headers (for clients, benchmarks and the warm-up):
    ``{"as_of": "2025-01-31", "file": ("dinas.xlsx", data)}``."""
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f"--{boundary}\r\n".encode())
        if isinstance(value, tuple):
            filename, data = value
            out.write(f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                      "Content-Type: application/octet-stream\r\n\r\n".encode())
            out.write(data)
        else:
            out.write(f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}'.encode())
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def safe_name(filename: str) -> str:
    """The uploaded file's own name, without folders or characters a file system or a header
    could trip over (``../../a b?.xlsx`` -> ``a_b_.xlsx``)."""
    base = re.split(r"[/\\]", filename)[-1].strip()
    base = re.sub(r"[^A-Za-z0-9._()-]+", "_", base).lstrip("._") or "data"
    stem, dot, ext = base.rpartition(".")
    return (stem[:80] + dot + ext[:10]) if dot else base[:80]


def report(app: Any, body: bytes, headers: Mapping[str, str]) -> Response:
    """``POST /v1/report`` for ``app`` (an :class:`~layanan_rules.server.app.App`; see :meth:`App.report`)."""
    from layanan_rules.api import evaluate
    from layanan_rules.data import sources
    from layanan_rules.data.adapters import AdapterError
    from layanan_rules.data.dataset import DataError
    from layanan_rules.report.formats.common import document
    from layanan_rules.report.reporters import available
    from layanan_rules.report.scores import ScoreConfigError

    form = parse(headers.get("content-type", ""), body)
    text = {k: p.text() for k, p in form.items() if k != "file"}
    upload = form.get("file")
    if upload is None or upload.filename is None:
        raise field_error("file", "wajib ada: berkas data (mis. buku kerja .xlsx) / required: the data file "
                                   "(e.g. an .xlsx workbook)")
    if not upload.data:
        raise field_error("file", f"berkas '{safe_name(upload.filename)}' kosong / the file is empty")
    rs = app._ruleset(text.get("ruleset") or app.default)
    as_of = as_of_date(text.get("as_of") or None) or dt.date.today()
    lang = language(text.get("lang") or "id")
    show = text.get("show_personal_data") or "false"
    if show not in ("true", "false"):
        raise field_error("show_personal_data", f"{show!r}: pilih / choose true atau/or false")
    reporters = available(app.plugin_manager)
    fmt = text.get("format") or DEFAULT_FORMAT
    if fmt not in reporters:
        raise field_error("format", f"format '{fmt}' tidak dikenal / unknown format; pilihan / choices: "
                                     f"{', '.join(sorted(reporters))}")
    name = safe_name(upload.filename)
    adapters: list[Any] = [cls for cls, _ in sources.available(app.plugin_manager).values()]
    readers = {cls.name: cls for cls in adapters if cls.extensions}
    accepted = sorted({ext for cls in readers.values() for ext in cls.extensions})
    adapter = next((n for n, cls in readers.items() if name.lower().endswith(tuple(cls.extensions))), None)
    if adapter is None:
        raise field_error("file", f"'{name}': jenis berkas tidak dikenal / unknown file type; "
                                   f"terima / accepted: {' '.join(accepted)}")
    options: dict[str, Any] = {"lang": lang, "show_personal": show == "true"}
    with tempfile.TemporaryDirectory(prefix="layanan-rules-upload-") as tmp:
        path = str(Path(tmp) / name)
        Path(path).write_bytes(upload.data)
        try:
            dataset = sources.read(path, app.plugin_manager, adapter=adapter)
        except (AdapterError, DataError) as exc:
            message = _relabel(str(exc), tmp, name)
            raise ApiError("invalid_data", message, [{"field": "file", "message": message}]) from None
        if len(dataset) == 0:
            notes = "".join(f"; {_relabel(i.message, tmp, name)}" for i in dataset.issues)
            message = (f"tidak ada record terbaca dari '{name}'; periksa nama sheet dan judul kolom (lihat "
                       f"`layanan-rules template`) / no records were read from '{name}'; check the sheet and column "
                       f"names (see `layanan-rules template`){notes}")
            raise ApiError("invalid_data", message, [{"field": "file", "message": message}])
        _relabel_dataset(dataset, tmp, name)  # every format then names the upload, never the folder
        report_ = evaluate(rs, dataset, as_of=as_of)
        report_.dataset = dataset
        report_.source = {"location": name, "sha256": hashlib.sha256(upload.data).hexdigest(),
                          "bytes": len(upload.data)}  # as the command line states a file it read
        try:
            doc = document(report_, options)  # scores and the findings table, built once for every format
        except ScoreConfigError as exc:
            raise ApiError("invalid_ruleset", str(exc), [{"message": str(exc)}]) from None
        reporter = reporters[fmt]
        if reporter.binary:
            out: Any = io.BytesIO()
            reporter.render(report_, out, options)
            payload = out.getvalue()
        else:
            out = io.StringIO()
            reporter.render(report_, out, options)
            payload = out.getvalue().encode("utf-8")
    stem = name.rpartition(".")[0] or name
    filename = f"laporan-{stem}-{as_of.isoformat()}.{reporter.extension}"
    disposition = "inline" if fmt == "html" else "attachment"
    return Response(200, payload, {"Content-Disposition": f'{disposition}; filename="{filename}"'},
                    media_type=MEDIA_TYPES.get(fmt, "application/octet-stream"),
                    states=(rs.id, doc["summary"]["states"]))


def _relabel(text: str, folder: str, name: str) -> str:
    return text.replace(str(Path(folder) / name), name).replace(folder + "/", "").replace(folder, ".")


def _relabel_dataset(dataset: Any, folder: str, name: str) -> None:
    """Name the uploaded file instead of the temporary folder wherever a report can point: each
    record's provenance (and its cells'), and the data issues. Done before evaluating, since every
    format is rendered from the findings table built from these records."""
    import attrs

    def prov(p: Any) -> Any:
        return attrs.evolve(p, source=_relabel(p.source, folder, name)) if p is not None and folder in p.source else p

    for records in dataset.records.values():
        for rec in records:
            rec.provenance = prov(rec.provenance)
            if rec.fields:
                rec.fields = {k: prov(v) for k, v in rec.fields.items()}
    dataset.issues[:] = [attrs.evolve(i, message=_relabel(i.message, folder, name),
                                      provenance=prov(getattr(i, "provenance", None))) for i in dataset.issues]
