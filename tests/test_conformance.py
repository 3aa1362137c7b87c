"""The CEL conformance suite (google/cel-spec simple tests as JSON) must pass at >= 95%."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from layanan_rules.expr.conformance import REQUIRED_FILES, required_pass_rate, run_dir

_DIR = Path(os.environ.get("LAYANAN_CEL_CONFORMANCE")
            or Path(__file__).resolve().parents[1].parent / "shared" / "cel-conformance")


def _need_data() -> None:
    """Skip (with the words .ci/run refuses) when the shared conformance files are absent."""
    if not _DIR.is_dir() or not any(_DIR.glob("*.json")):
        pytest.skip(f"CEL conformance data not found at {_DIR} (set LAYANAN_CEL_CONFORMANCE)")


@pytest.fixture(scope="module")
def results():
    _need_data()
    return run_dir(_DIR)


def test_required_files_pass_at_least_95_percent(results):
    present = {Path(n).stem for n in results}
    assert set(REQUIRED_FILES) <= present
    rate = required_pass_rate(results)
    assert rate >= 0.95, f"conformance {rate:.1%} < 95%: {results}"


def test_skips_are_few_in_required_files(results):
    skipped = sum(c["skipped"] for n, c in results.items() if Path(n).stem in REQUIRED_FILES)
    total = sum(sum(c.values()) for n, c in results.items() if Path(n).stem in REQUIRED_FILES)
    assert skipped / total < 0.02


def test_runner_cli_prints_json(capsys):
    _need_data()
    from layanan_rules.expr.conformance import main

    main([str(_DIR), "--json", "--file", "basic"])
    out = capsys.readouterr().out
    assert '"basic.json"' in out and '"passed": 43' in out


def test_duckdb_back_end_passes_a_bounded_sample_at_95_percent():
    """The SQL back end on three required files (the whole run, ``--backend duckdb``, takes minutes:
    96.3 % of the required files, differences in docs/expressions.md)."""
    _need_data()
    results = {}
    for name in ("integer_math", "logic", "string"):
        results.update(run_dir(_DIR, only=name, backend="duckdb"))
    assert set(results) == {"integer_math.json", "logic.json", "string.json"}
    rate = required_pass_rate(results)
    assert rate >= 0.95, f"DuckDB conformance {rate:.1%} < 95%: {results}"
