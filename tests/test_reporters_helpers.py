"""Shared builders for the report tests (reporters, scores, waivers, diff, the HTML browser test).

No tests here; the name keeps it beside the tests that import it (``pythonpath`` includes tests/).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import textwrap
from pathlib import Path
from typing import Any

from support import AS_OF, EXAMPLE_JSON

from layanan_rules import evaluate, load_ruleset, read_data
from layanan_rules.plugins import get_plugin_manager
from layanan_rules.report.findings import Report
from layanan_rules.report.reporters import available
from layanan_rules.report.waivers import apply, load_attestations, load_waivers


def example_report(waivers: Path | None = None, attestations: Path | None = None, *,
                   data: Path = EXAMPLE_JSON, as_of: dt.date = AS_OF, ruleset: Any = None) -> Report:
    """The bundled example evaluated as ``layanan-rules evaluate`` does (dataset kept, files applied)."""
    rs = ruleset if ruleset is not None else load_ruleset()
    ds = read_data(data)
    report = evaluate(rs, ds, as_of=as_of)
    report.dataset = ds
    apply(report, load_waivers(waivers, rs) if waivers else [], load_attestations(attestations, rs) if attestations else [])
    return report


def render(report: Report, name: str, **options: Any) -> Any:
    """Render with a built-in reporter; text formats return str, binary ones bytes."""
    reporter = available(get_plugin_manager())[name]
    options.setdefault("lang", "id")
    buf: Any = io.BytesIO() if reporter.binary else io.StringIO()
    reporter.render(report, buf, options)
    return buf.getvalue()


def document(report: Report, **options: Any) -> dict[str, Any]:
    return json.loads(render(report, "json", **options))


RULESET_YAML = """\
id: mini
title: {id: Ruleset uji, en: Test ruleset}
version: 0.0.1
"""


def mini_ruleset(tmp_path: Path, rules: str, extra: str = "") -> Path:
    """A ruleset folder with ``rules`` (YAML text) in ``aturan.yaml`` and ``extra`` appended to ruleset.yaml."""
    folder = tmp_path / "mini"
    folder.mkdir(exist_ok=True)
    (folder / "ruleset.yaml").write_text(RULESET_YAML + textwrap.dedent(extra), encoding="utf-8")
    (folder / "aturan.yaml").write_text(textwrap.dedent(rules), encoding="utf-8")
    return folder


def rule(rid: str, entity: str, require: str, severity: str = "medium", extra: str = "") -> str:
    """One rule in YAML, with a citation and remedy, for :func:`mini_ruleset`."""
    return textwrap.dedent(f"""\
    - id: {rid}
      title: {{id: Judul {rid}, en: Title {rid}}}
      legal_basis:
        - {{act: UU 25/2009, article: "44", paragraph: "3", text: "Teks pasal {rid}."}}
      applies_to: {entity}
      require: "{require}"
      severity: {severity}
      remedy: {{id: Perbaiki {rid}., en: Fix {rid}.}}
    """) + textwrap.indent(textwrap.dedent(extra), "  ")


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_table_wrapping_equals_textwrap():
    import textwrap

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from layanan_rules.report.formats.terminal import _wrap

    @settings(max_examples=300)
    @given(st.text(alphabet=" ab\t\n\u00a0-x", max_size=40), st.integers(min_value=1, max_value=30))
    def same(text, width):
        assert _wrap(text, width) == textwrap.wrap(text, width, break_on_hyphens=False)

    same()
