"""A real HTTP server on 127.0.0.1 (in this process, in a thread) serving the example data page by
page, with faults injected per test."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from layanan_rules_http import testing

from layanan_rules import evaluate, load_ruleset
from layanan_rules.plugins import get_plugin_manager
from layanan_rules.report.stream import findings_of

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "dinas-contoh.json"
AS_OF = dt.date(2025, 1, 31)


def comparable(report: Any) -> list[dict[str, Any]]:
    out = [{k: v for k, v in f.items() if k != "provenance"} for f in findings_of(report.to_dict())]
    return sorted(out, key=lambda f: (f["rule_id"], f["entity"], f["entity_id"]))


@pytest.fixture(scope="session")
def pm() -> Any:
    return get_plugin_manager()


@pytest.fixture(scope="session")
def ruleset(pm: Any) -> Any:
    return load_ruleset("uu-25-2009", plugin_manager=pm)


@pytest.fixture(scope="session")
def example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def reference(ruleset: Any, example: dict[str, Any]) -> list[dict[str, Any]]:
    return comparable(evaluate(ruleset, example, as_of=AS_OF))


@pytest.fixture
def api(example: dict[str, Any]) -> testing.Api:
    """The example data as an API; tests add faults, a token or basic credentials."""
    return testing.Api(data=example)


@pytest.fixture
def base_url(api: testing.Api) -> Iterator[str]:
    with testing.serve(api) as url:
        yield url
