from __future__ import annotations

import json

import pytest
from support import EXAMPLE_JSON


@pytest.fixture(scope="session")
def ruleset():
    from layanan_rules import load_ruleset

    return load_ruleset()


@pytest.fixture()
def example_data() -> dict:
    return json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
