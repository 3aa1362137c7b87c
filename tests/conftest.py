from __future__ import annotations

import json
import os

import pytest
from support import EXAMPLE_JSON

# Reports state when they were made; fixed here (as reproducible builds do) so that two reports of
# the same input, e.g. the server's and the Python API's, are equal. test_reporters checks the
# clock is used when it is not set.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1738281600")


@pytest.fixture(scope="session")
def ruleset():
    from layanan_rules import load_ruleset

    return load_ruleset()


@pytest.fixture()
def example_data() -> dict:
    return json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _input_limits_reset():
    """``--limit`` through CliRunner sets the process-wide input limits (``inputs.configure``):
    each test starts from the environment's, so no test's limits leak into the next."""
    from layanan_rules import inputs

    yield
    inputs._default = None
