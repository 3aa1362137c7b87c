from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_JSON = ROOT / "examples" / "dinas-contoh.json"
AS_OF = dt.date(2025, 1, 31)


@pytest.fixture(scope="session")
def ruleset():
    from layanan_rules import load_ruleset

    return load_ruleset()


@pytest.fixture()
def example_data() -> dict:
    return json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
