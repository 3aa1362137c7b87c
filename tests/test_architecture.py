"""The house stays readable: floors one way, no import cycles, the contract really bites."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from support import ROOT

LINT_IMPORTS = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command as c; c()"]


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        m = stack.pop()
                        on_stack.discard(m)
                        component.append(m)
                        if m == node:
                            break
                    if len(component) > 1:
                        out.append(sorted(component))
    return out


def test_no_module_of_the_package_sits_in_an_import_cycle():
    graph = grimp.build_graph("layanan_rules", include_external_packages=False)
    assert len(graph.modules) > 40
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for m in ("p", "p.a", "p.b", "p.c"):
        graph.add_module(m)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.a")
    assert _cycles(graph) == [["p.a", "p.b", "p.c"]]


def test_the_import_contracts_hold():
    proc = subprocess.run(LINT_IMPORTS, cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("expr/runtime.py", "from layanan_rules.report import findings", "layanan_rules.expr is not allowed to import"),
    ("rules/ruleset.py", "from layanan_rules.data import dataset", "layanan_rules.rules is not allowed to import"),
    ("model/parsing/dates.py", "from layanan_rules.engine import states", "layanan_rules.model is not allowed to import"),
])
def test_an_upward_import_breaks_the_contract(tmp_path: Path, module: str, line: str, broken: str):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "layanan_rules", src / "layanan_rules",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = src / "layanan_rules" / module
    text = target.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\nfrom ")
    target.write_text(f"{head}\n{line}  # upward, on purpose{sep}{rest}", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(LINT_IMPORTS, cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode != 0
    assert broken in proc.stdout
