"""JUnit XML for CI servers: a test suite per chapter, a test case per finding.
"""

from __future__ import annotations

import json
from typing import IO, Any

from layanan_rules.report.formats.common import (
    Report,
    chosen,
    document,
    is_in,
    table_of,
    where_true,
    with_rule,
)
from layanan_rules.report.i18n import (
    state_label,
    t,
    text_of,
)
from layanan_rules.report.text import (
    attestation_text,
    calendar_text,
    citations,
    evidence_text,
    provenance_text,
    sanction_text,
    waiver_text,
)


def render_junit(report: Report, out: IO[str], options: dict[str, Any]) -> None:
    """JUnit XML: a testsuite per chapter (rule group), a testcase per finding, streamed.

    ``fail`` -> ``<failure>``, ``error`` -> ``<error>``, ``not_applicable`` and ``waived`` ->
    ``<skipped>``; ``pass`` is a plain testcase. Timestamps are xs:dateTime (generation time).
    """
    from xml.sax.saxutils import quoteattr

    import pyarrow as pa

    from layanan_rules.report.stream import in_batches, json_lines

    lang = options.get("lang", "id")
    doc = document(report, options)
    table = table_of(report, options)
    chapters = {r["chapter"]: text_of(r["chapter_label"], lang) for r in doc["rules"].values()}
    stamp = str(doc["report"]["generated_at"]).rstrip("Z")
    rs = f"{doc['ruleset']['id']} {doc['ruleset']['version']}"
    chapter_col = table["chapter"]  # dictionaries, never spelt out per row (26 million findings: 700 MB)
    counted = pa_table_counts(chapter_col, table["state"])
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    per: dict[str, dict[str, int]] = {}
    for key, states in counted.items():
        c = {"tests": sum(states.values()), "failures": states.get("fail", 0), "errors": states.get("error", 0),
             "skipped": states.get("not_applicable", 0) + states.get("waived", 0)}
        per[key] = c
        for k in totals:
            totals[k] += c[k]
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(f"<testsuites name={quoteattr('layanan-rules ' + rs)} tests=\"{totals['tests']}\" "
      f"failures=\"{totals['failures']}\" errors=\"{totals['errors']}\" skipped=\"{totals['skipped']}\" "
      f"timestamp=\"{stamp}\">\n")
    for key in sorted(per):
        c = per[key]
        w(f"  <testsuite name={quoteattr(chapters.get(key) or key)} timestamp=\"{stamp}\" "
          + " ".join(f'{k}="{v}"' for k, v in c.items()) + ' time="0">\n')
        w(f"    <properties>\n      <property name=\"ruleset\" value={quoteattr(rs)}/>\n"
          f"      <property name=\"as_of\" value=\"{doc['as_of']}\"/>\n"
          f"      <property name=\"generated_at\" value=\"{doc['report']['generated_at']}\"/>\n"
          f"      <property name=\"calendar\" value={quoteattr(calendar_text(doc, lang).partition(': ')[2])}/>\n")
        src = doc["report"].get("source") or {}
        if src.get("sha256"):
            w(f"      <property name=\"source\" value={quoteattr(str(src.get('location')))}/>\n"
              f"      <property name=\"source_sha256\" value=\"{src['sha256']}\"/>\n")
        w("    </properties>\n")
        part = chosen(table, where_true(is_in(chapter_col, [key])))  # read a batch at a time, evidence per batch
        for batch in in_batches(part):
            lines = _junit_plain(batch, doc["ruleset"]["id"], key, lang)
            attention = _junit_attention(batch)
            if attention:
                sub = batch.take(pa.array(attention, pa.int64()))
                rules = report.rules()
                for i, line in zip(attention, json_lines(sub)):
                    f = json.loads(line)
                    lines[i] = _junit_case(f, rules[f["rule_id"]], doc["ruleset"]["id"], key, lang)
            w("".join(lines))
        w("  </testsuite>\n")
    w("</testsuites>\n")


def _xml_attr(values: Any) -> Any:
    """Strings escaped for an XML attribute in double quotes: by kernel unless a value needs it."""
    from xml.sax.saxutils import escape

    import pyarrow as pa
    import pyarrow.compute as pc

    if len(values) and pc.any(pc.match_substring_regex(values, r'[&<>"\x00-\x1f]')).as_py():
        return pa.array([escape(v, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
                         for v in values.to_pylist()], pa.string())
    return values


def _junit_plain(batch: Any, ruleset_id: str, chapter: str, lang: str) -> list[str]:
    """Every row as a plain test case (pass; not applicable as skipped), assembled by Arrow kernels."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from layanan_rules.report.stream import decoded

    rid = _xml_attr(decoded(batch.column("rule_id")))
    name = pc.binary_join_element_wise(rid, _xml_attr(decoded(batch.column("entity"))),
                                       _xml_attr(batch.column("entity_id")), " ")
    cls = pc.binary_join_element_wise(_xml_attr(pa.array([f"{ruleset_id}.{chapter}."] * len(batch))), rid, "")
    na = pc.equal(decoded(batch.column("state")), "not_applicable")
    tail = pc.if_else(na, ">\n      <skipped message=\"" + state_label("not_applicable", lang) + "\"/>\n    </testcase>\n",
                      "/>\n")
    lines: list[str] = pc.binary_join_element_wise('    <testcase name="', name, '" classname="', cls,
                                                   '" time="0"', tail, "").to_pylist()
    return lines


def _junit_attention(batch: Any) -> list[int]:
    """Rows that need more than a plain case: fail, error, waived, attested, expired waiver."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from layanan_rules.report.stream import decoded

    mask = pc.or_(pc.or_(pc.is_in(decoded(batch.column("state")), pa.array(["fail", "error", "waived"])),
                         pc.fill_null(batch.column("attested"), False)), pc.is_valid(batch.column("waiver_status")))
    return pc.indices_nonzero(mask).to_pylist()  # type: ignore[no-any-return]


def _junit_case(f: dict[str, Any], r: dict[str, Any], ruleset_id: str, chapter: str, lang: str) -> str:
    """One test case with its failure, error, skip or attestation, in full."""
    from xml.sax.saxutils import escape, quoteattr

    f.setdefault("flags", [])
    name = quoteattr(f"{f['rule_id']} {f['entity']} {f['entity_id']}")
    cls = quoteattr(f"{ruleset_id}.{chapter}.{f['rule_id']}")
    out = [f'    <testcase name={name} classname={cls} time="0">\n']
    g = with_rule(f, r)
    state = f["state"]
    if state in ("fail", "error"):
        body = "\n".join(x for x in (
            text_of(r["title"], lang),
            f"{t('legal_basis', lang)}: {citations(g, lang)}",
            f"{t('sanction', lang)}: {sanction_text(g, lang)}" if sanction_text(g, lang) else "",
            f"{t('remedy', lang)}: {text_of(r['remedy'], lang)}",
            f"{t('evidence', lang)}: {evidence_text(g)}" if f.get("evidence") else "",
            f"{t('provenance', lang)}: {provenance_text(g)}" if f.get("provenance") else "",
            waiver_text(g, lang), attestation_text(g, lang),
        ) if x)
        if state == "fail":
            msg = f"{text_of(r['title'], lang)} ({citations(g, lang)})"
            out.append(f"      <failure message={quoteattr(msg)} type={quoteattr(r['severity'])}>{escape(body)}</failure>\n")
        else:
            msg = f"{f.get('reason', '')}: {f.get('message', '')}"
            out.append(f"      <error message={quoteattr(msg)} type={quoteattr(f.get('reason', 'error'))}>"
                       f"{escape(body)}</error>\n")
    elif state == "not_applicable":
        out.append(f"      <skipped message={quoteattr(state_label('not_applicable', lang))}/>\n")
    elif state == "waived":
        out.append(f"      <skipped message={quoteattr(state_label('waived', lang) + ': ' + waiver_text(g, lang))}/>\n")
    else:
        out.append(f"      <system-out>{escape(attestation_text(g, lang))}</system-out>\n")
    out.append("    </testcase>\n")
    return "".join(out)


def pa_table_counts(keys: Any, states: Any) -> dict[str, dict[str, int]]:
    """Rows per key and state (a group-by), ``{key: {state: n}}``."""
    import pyarrow as pa

    from layanan_rules.report.stream import _unified

    if pa.types.is_dictionary(keys.type) and pa.types.is_dictionary(states.type) and isinstance(keys, pa.ChunkedArray):
        # grouped by dictionary code (no column of strings made), each code's word looked up once
        k, s = _unified(keys), _unified(states)
        kw = k.chunk(0).dictionary.to_pylist() if k.num_chunks else []
        sw = s.chunk(0).dictionary.to_pylist() if s.num_chunks else []
        coded = pa.table({"k": pa.chunked_array([c.indices for c in k.chunks], pa.int32()),
                          "s": pa.chunked_array([c.indices for c in s.chunks], pa.int32())})
        out: dict[str, dict[str, int]] = {}
        for row in coded.group_by(["k", "s"]).aggregate([("s", "count")]).to_pylist():
            key = kw[row["k"]] if row["k"] is not None else None
            out.setdefault(key or "-", {})[sw[row["s"]] if row["s"] is not None else None] = row["s_count"]  # type: ignore[index]
        return out
    rows = pa.table({"k": keys, "s": states}).group_by(["k", "s"]).aggregate([("s", "count")]).to_pylist()
    out = {}
    for row in rows:
        out.setdefault(row["k"] or "-", {})[row["s"]] = row["s_count"]
    return out
