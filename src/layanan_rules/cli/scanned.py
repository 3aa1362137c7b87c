"""``evaluate --engine duckdb`` over Parquet / JSON Lines: DuckDB reads the file itself.

Why: the report path builds every record in Python before any engine runs, which costs more
than deciding the rules; :func:`layanan_rules.engine.scan.scan` reads the file in DuckDB and
writes the findings table itself. It serves what needs no Python records: the findings table as
Parquet (``--format parquet -o FILE``), the counts per state and the exit code. A request it
cannot serve (another format, waivers, scores) takes the usual path; :func:`refusal` says why.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: ``auto`` takes this path from this many records up (Parquet row counts, JSON Lines lines), when
#: every rule in force has an SQL form: measured in bench/bench_sql.py (docs/engines.md)
AUTO_FROM = int(os.environ.get("LAYANAN_RULES_SCAN_FROM") or 100_000)

_STATES = (("pass", "lulus"), ("fail", "gagal"), ("not_applicable", "tidak berlaku"), ("error", "galat"),
           ("waived", "dikecualikan"))


def summary_line(counts: Mapping[str, int]) -> str:
    """The findings per state in one line: the same from every engine for the same input."""
    parts = [f"{id_} / {en} {counts.get(en, 0):,}" for en, id_ in _STATES if en != "waived" or counts.get(en)]
    return "temuan / findings: " + ", ".join(parts)


def refusal(data: str, formats: tuple[str, ...], outputs: tuple[Path, ...], *, adapter: str | None,
            options: Mapping[str, str], waivers: bool, attestations: bool, keep_going: bool,
            fail_under: float | None, evidence: str) -> str | None:
    """Why this request needs the records in Python (None: DuckDB reading the file serves it)."""
    from layanan_rules.engine import scan, sql

    try:
        scan.input_kind(data)
    except scan.NotDirect:
        return ("DuckDB membaca sendiri hanya Parquet dan JSON Lines / DuckDB reads only Parquet and "
                "JSON Lines itself")
    if not sql.available():
        return "duckdb tidak terpasang / duckdb is not installed"
    if adapter or set(options) - {"entity"}:
        return "--adapter/--option dibaca adapter Python / --adapter and --option are read by the Python adapter"
    other = sorted(set(formats) - {"parquet"})
    if other or not outputs:
        what = ", ".join(other) or "parquet ke stdout / to stdout"
        return (f"format {what} butuh laporan lengkap (record Python); DuckDB menulis --format parquet -o FILE / "
                f"needs the full report (Python records); DuckDB writes --format parquet -o FILE")
    if waivers or attestations:
        return "pengecualian/atestasi butuh laporan lengkap / waivers and attestations need the full report"
    if fail_under is not None:
        return "--fail-under butuh skor unit / --fail-under needs the units' scores"
    if keep_going:
        return "--keep-going dibaca adapter Python / --keep-going is read by the Python adapter"
    if evidence == "all":
        return "--evidence all butuh record Python / --evidence all needs the Python records"
    return None


def auto_wants(data: str, ruleset: Any, as_of: dt.date | None) -> bool:
    """Whether ``auto`` takes this path: an input of at least :data:`AUTO_FROM` records under a
    ruleset whose rules in force all have an SQL form (a rule without one makes Python read every
    record, and then the Python engine alone is faster: measured, docs/engines.md)."""
    from layanan_rules.engine import scan, sql

    try:
        kind = scan.input_kind(data)
    except scan.NotDirect:
        return False
    if _records(data, kind) < AUTO_FROM or not sql.available():
        return False
    day = as_of or dt.date.today()
    return all(sql.choice(ruleset, r).backend == sql.BACKEND_SQL for r in ruleset.rules if r.in_force(day))


def _records(data: str, kind: str) -> int:
    """Records in the input, cheaply: Parquet row counts from the footers, JSON Lines' lines."""
    if kind == "parquet":
        import pyarrow.parquet as pq

        from layanan_rules.data.adapters import AdapterError
        from layanan_rules.data.parquet import ParquetAdapter

        try:
            return sum(pq.ParquetFile(p).metadata.num_rows for _e, p in ParquetAdapter(data, {}).files())
        except (OSError, ValueError, AdapterError):  # unreadable (pyarrow's errors are these): the usual path names it
            return 0
    n = 0
    with open(data, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            n += block.count(b"\n")
    return n


def run(ruleset: Any, data: str, as_of: dt.date | None, outputs: tuple[Path, ...], options: Mapping[str, str], *,
        show_personal: bool, lang: str) -> Any:
    """Scan ``data`` and write its findings table to every output (Parquet, each written beside
    and moved into place); the Scan, None when the input is not one DuckDB reads as the model
    does (the caller takes the usual path)."""
    from layanan_rules import __version__
    from layanan_rules.engine import scan
    from layanan_rules.report.evidence import mask_message

    day = as_of or dt.date.today()
    personal = tuple(ruleset.spec.personal_fields)

    def mask(entity: str, message: str) -> str:
        return mask_message(entity, message, personal, lang)

    first = outputs[0]
    folder = first.parent if str(first.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{first.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    meta = {"layanan_rules.scan": json.dumps({"ruleset": ruleset.id, "as_of": day.isoformat(),
                                              "tool": __version__, "source": data}, ensure_ascii=False)}
    try:
        got = scan.scan(ruleset, data, as_of=day, out=tmp, options=options,
                        mask=None if show_personal else mask, metadata=meta)
    except scan.NotDirect:
        os.unlink(tmp)
        return None
    except BaseException:
        os.unlink(tmp)
        raise
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    for path in outputs[1:]:
        shutil.copyfile(tmp, path)
    os.replace(tmp, first)
    return got
