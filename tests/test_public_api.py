"""The public API does not move: every import the README and the docs show works."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from support import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted(ROOT.glob("plugins/*/README.md"))]
_IMPORT = re.compile(r"^\s*(from layanan_rules[\w.]* import [^#\n]+|import layanan_rules[\w.]*)", re.MULTILINE)


def _shown_imports() -> list[tuple[str, str]]:
    out = []
    for doc in DOCS:
        for m in _IMPORT.finditer(doc.read_text(encoding="utf-8")):
            statement = m.group(1).strip().rstrip("\\").strip()
            if statement.endswith("("):  # a parenthesised list continues: the module is enough
                statement = statement.split(" import ")[0].replace("from ", "import ")
            out.append((doc.relative_to(ROOT).as_posix(), statement))
    return out


SHOWN = _shown_imports()


def test_the_docs_show_imports():
    assert len(SHOWN) >= 10


@pytest.mark.parametrize(("doc", "statement"), SHOWN, ids=[f"{d}: {s}" for d, s in SHOWN])
def test_every_import_the_docs_show_works(doc, statement):
    exec(statement, {})  # noqa: S102 - the docs' own text


STABLE = ["load_ruleset", "evaluate", "read_data", "State", "Reason", "Finding", "Report", "Rule", "Ruleset",
          "RulesetError", "Problem", "Severity", "Dataset", "DataError", "hookimpl",
          "BaseAdapter", "AdapterError", "RawRecord", "Provenance", "CellIssue"]


@pytest.mark.parametrize("name", STABLE)
def test_the_stable_names_import_from_the_package(name):
    import layanan_rules

    assert name in layanan_rules.__all__
    assert getattr(layanan_rules, name) is not None


def test_expr_and_skm_keep_their_paths():
    from layanan_rules import expr
    from layanan_rules.skm import grade, ikm_from_means

    assert expr.evaluate("size(xs.filter(x, x > 1)) == 2", {"xs": [1, 2, 3]}) is True
    assert expr.evaluate("hari(a, b)", {"a": "2024-01-01", "b": "2024-01-31"}) == 30  # domain functions by default
    assert callable(grade) and callable(ikm_from_means)


def test_hook_names_and_entry_point_group_stay():
    from layanan_rules import hookspecs

    assert hookspecs.PROJECT == "layanan_rules"
    for hook in ("register_functions", "register_rulesets", "register_adapters", "register_reporters",
                 "register_commands"):
        assert callable(getattr(hookspecs, hook))


def test_importing_the_package_loads_no_heavy_module():
    code = ("import sys, layanan_rules, layanan_rules.expr, layanan_rules.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy', 'httpx', 'openpyxl', 'yaml', 'cattrs', 'holidays', 'rich')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
