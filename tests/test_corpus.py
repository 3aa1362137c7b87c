"""The bad-input corpus (tests/corpus/): every case ends in its exit code with its message, no
traceback, and every input record is accounted for (read, or counted by a data issue)."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import runner

CASES = runner.load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case(case: runner.Case, tmp_path: Path) -> None:
    outcome = runner.run(case, tmp_path / "kasus")
    assert runner.problems(case, outcome) == [], outcome.output[-3000:]
