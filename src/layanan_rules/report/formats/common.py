"""What every output format shares: the report's document and findings table as the options ask
for them (made once per report and options), the rows of a table read as findings with their
rule, the findings that need action, the identity rows and the rule x unit matrix.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

#: a :class:`layanan_rules.report.findings.Report` (whose ``write`` renders through this module, so
#: this module does not import it back)
Report = Any


def _key(options: dict[str, Any]) -> tuple[Any, ...]:
    return (options.get("lang", "id"), bool(options.get("show_personal")), options.get("min_scored"),
            options.get("evidence", "problems"))


def document(report: Report, options: dict[str, Any]) -> dict[str, Any]:
    """The report's JSON document without findings (:meth:`Report.head`) for these options."""
    lang, show, min_scored, evidence = _key(options)
    head: dict[str, Any] = report.head(lang=lang, show_personal=show, min_scored=min_scored, evidence=evidence)
    return head


def table_of(report: Report, options: dict[str, Any]) -> Any:
    """The findings table for these options (:meth:`Report.findings_table`: evidence made per batch)."""
    lang, show, _min, evidence = _key(options)
    return report.findings_table(lang=lang, show_personal=show, evidence=evidence)


class ReportTooLarge(ValueError):
    """A format cannot hold this many findings; the message names the formats that can."""


def identity_rows(ident: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """The report's identity as (label, value) lines, for every human format."""
    en = lang == "en"
    src = ident.get("source") or {}
    rows = []
    if src.get("location"):
        rows.append(("Data source" if en else "Sumber data", str(src["location"])))
    if src.get("sha256"):
        rows.append(("SHA-256", str(src["sha256"])))
    tool = ident.get("tool") or {}
    rows.append(("Tool" if en else "Perangkat", f"{tool.get('name')} {tool.get('version') or ''}".strip()))
    cal = ident.get("calendar") or {}
    rows.append(("Holiday calendar" if en else "Kalender libur", f"{cal.get('name')} {cal.get('version') or ''}".strip()))
    rows.append(("Generated" if en else "Dibuat", str(ident.get("generated_at"))))
    return rows


def finding_rows(report: Report, options: dict[str, Any], table: Any) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(finding as in the JSON document, its rule's metadata) for the rows of ``table``, a batch at a time."""
    from layanan_rules.report.stream import in_batches, json_lines

    rules = report.rules()
    for batch in in_batches(table):
        for line in json_lines(batch):
            f = json.loads(line)
            f.setdefault("flags", [])
            yield f, rules[f["rule_id"]]


def with_rule(f: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """A finding with its rule's words merged in (what the text helpers read)."""
    return {**f, "title": r["title"], "legal_basis": r["legal_basis"], "sanction": r["sanction"],
            "sanctions": r["sanctions"],
            "remedy": r["remedy"], "severity": r["severity"], "chapter": r["chapter"]}


def problem_rows(report: Report, options: dict[str, Any]) -> tuple[Any, Any]:
    """The rows needing attention (fail, error, waived, attested, expired waiver), ordered by rule
    (most severe rule first, then rule order) and worst first within a rule; and the table."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from layanan_rules.report.stream import SEVERITY_RANK, _mapped, _ranked

    table = table_of(report, options)
    where, rows = needing_action(table, ("rule_id", "state", "entity", "entity_id"), ("fail", "error", "waived"))
    rules = list(report.rules())
    sev = {rid: -SEVERITY_RANK.get(r["severity"], 0) for rid, r in report.rules().items()}
    rank = {rid: i for i, rid in enumerate(rules)}
    state_order = ["fail", "error", "waived", "pass", "not_applicable"]
    # keys from each dictionary value once, as small ints (no column of texts made per finding)
    key = pa.table({
        "sev": _mapped(rows["rule_id"], sev.get, pa.int8()),
        "rule": _mapped(rows["rule_id"], rank.get, pa.int16()),
        "state": _mapped(rows["state"], lambda s: state_order.index(s) if s in state_order else None, pa.int8()),
        "entity": _ranked(rows["entity"], pa.int16()), "entity_id": rows["entity_id"],
    })
    del rows
    order = pc.sort_indices(key, sort_keys=[(k, "ascending") for k in key.column_names])
    return chosen(table, pc.take(where, order) if len(where) else where), table


def needing_action(table: Any, names: tuple[str, ...], states: tuple[str, ...]) -> tuple[Any, Any]:
    """The row indices of ``table`` in one of ``states``, attested or with a waiver, and just the
    columns ``names`` of those rows, chosen chunk by chunk on the held columns (no evidence made,
    no column of texts, no other column of the millions of rows copied)."""
    import pyarrow.compute as pc

    held = getattr(table, "held", table)
    mask = pc.or_(pc.or_(is_in(held["state"], list(states)), pc.fill_null(held["attested"], False)),
                  pc.is_valid(held["waiver_status"]))
    return where_true(mask), held.select(list(names)).filter(pc.fill_null(mask, False))


def is_in(column: Any, values: list[str]) -> Any:
    from layanan_rules.report.table import _is_in

    return _is_in(column, values)


def where_true(mask: Any) -> Any:
    """Row indices where ``mask`` is true."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(mask, pa.ChunkedArray):
        mask = mask.combine_chunks()
    return pc.indices_nonzero(pc.fill_null(mask, False))


def chosen(table: Any, indices: Any) -> Any:
    """The rows at ``indices`` of the findings table, read a batch at a time (evidence made then)."""
    rows = getattr(table, "rows", None)
    return rows(indices) if rows is not None else table.take(indices)


def fulfilment_matrix(report: Report, options: dict[str, Any], max_units: int = 40) -> dict[str, Any]:
    """Rule × unit fulfilment: per rule and unit, how many findings pass of those scored. Units in
    score order (worst first), at most ``max_units`` columns (the rest are in the CSV/parquet)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = table_of(report, options)
    units = [s["key"] for s in document(report, options)["scores"]["unit"]][:max_units]
    if not units:
        return {"units": [], "rows": {}}
    from layanan_rules.report.stream import _unified

    # counted chunk by chunk on the dictionary codes, rule, unit and state packed in one integer,
    # and only for the units shown: neither a column of texts (casting three columns of 26 million
    # findings was a gigabyte) nor a group-by over every finding at once (about 400 MB at 100k/1M)
    cols = {k: _unified(table[name]) for k, name in (("r", "rule_id"), ("u", "unit_id"), ("s", "state"))}
    words = {k: (c.chunk(0).dictionary.to_pylist() if c.num_chunks else []) for k, c in cols.items()}
    n_units, n_states = len(words["u"]), len(words["s"])
    wanted = set(units)
    shown = pa.array([i for i, u in enumerate(words["u"]) if u in wanted], pa.int32())
    i64 = pa.int64()
    counted: dict[int, int] = {}
    for r, u, st in zip(cols["r"].chunks, cols["u"].chunks, cols["s"].chunks):
        keep = pc.fill_null(pc.is_in(u.indices, value_set=shown), False)
        if not pc.any(keep).as_py():
            continue
        key = pc.add(pc.multiply(pc.add(pc.multiply(pc.cast(r.indices, i64), n_units), pc.cast(u.indices, i64)),
                                 n_states), pc.cast(st.indices, i64))
        for item in pc.value_counts(pc.filter(key, keep)).to_pylist():
            counted[item["values"]] = counted.get(item["values"], 0) + item["counts"]
    cells: dict[tuple[str, str], dict[str, int]] = {}
    for code, n in counted.items():
        ru, si = divmod(code, n_states)
        ri, ui = divmod(ru, n_units)
        c = cells.setdefault((words["r"][ri], words["u"][ui]), {"pass": 0, "fail": 0})
        if words["s"][si] in c:
            c[words["s"][si]] += n
    rows = {rid: [cells.get((rid, u)) for u in units] for rid in report.rules()
            if any(cells.get((rid, u)) for u in units)}
    return {"units": units, "rows": rows}
