"""Reporters render a Report (``--format``); the built-in ones are an ordinary plugin."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, Any

import attrs

from layanan_rules.hookspecs import hookimpl
from layanan_rules.report import Report, State


@attrs.frozen
class Reporter:
    """A named output format: ``render(report, stream, options)`` writes to a text or binary stream."""

    name: str
    description: str
    extension: str
    render: Callable[[Report, IO[Any], dict[str, Any]], None]
    binary: bool = False


def render_json(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    json.dump(report.to_dict(), out, ensure_ascii=False, indent=2)
    out.write("\n")


def render_table(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """Plain, 80-column text: failures and errors first, grouped by entity."""
    lang = options.get("lang", "id")
    en = lang == "en"
    counts = report.counts()
    out.write(
        ("Ruleset" if en else "Ruleset") + f" {report.ruleset_id} {report.ruleset_version} · "
        + ("as of" if en else "per tanggal") + f" {report.as_of.isoformat()}\n"
    )
    interesting = [f for f in report.findings if f.state in (State.fail, State.error)]
    interesting.sort(key=lambda f: (-f.severity.rank, f.state.value, f.entity, f.entity_id, f.rule_id))
    for f in interesting:
        spec = f.rule.spec
        cite = spec.legal_basis[0].label(lang) if spec.legal_basis else ""
        mark = "GAGAL" if f.state is State.fail and not en else "FAIL" if f.state is State.fail else "ERROR"
        out.write(f"{mark:5} {spec.severity.value:8} {f.entity} {f.entity_id} · {spec.id} · {cite}\n")
        out.write(f"      {spec.title.get(lang)}\n")
        if f.state is State.fail:
            out.write(f"      → {spec.remedy.get(lang)}\n")
        else:
            out.write(f"      ! {f.reason.value if f.reason else ''}: {f.message or ''}\n")
        out.write(f"      @ {f.provenance}\n")
    names = {"pass": "lulus", "fail": "gagal", "not_applicable": "tidak berlaku", "error": "galat", "waived": "dikecualikan"}
    parts = [f"{(k if en else names[k])}: {v}" for k, v in counts.items()]
    out.write(("Summary" if en else "Ringkasan") + ": " + ", ".join(parts) + "\n")
    if report.data_issues:
        out.write(("Data issues" if en else "Masalah data") + f": {len(report.data_issues)}\n")
        for issue in report.data_issues[:50]:
            where = f" @ {issue.provenance}" if issue.provenance else ""
            out.write(f"  - {issue.message}{where}\n")
    for s in report.skipped_rules:
        out.write(("Not evaluated" if en else "Tidak dievaluasi") + f": {s.rule_id}: {s.reason}\n")


@hookimpl
def register_reporters() -> list[Reporter]:
    return [
        Reporter("table", "Tabel teks untuk terminal / text table for the terminal", "txt", render_table),
        Reporter("json", "JSON lengkap, skema berversi / full JSON, versioned schema", "json", render_json),
    ]


def available(pm: Any) -> dict[str, Reporter]:
    found: dict[str, Reporter] = {}
    for group in pm.hook.register_reporters():
        for r in group or []:
            found.setdefault(r.name, r)
    return found
