"""Schemathesis against a real `layanan-rules serve`: requests generated from the OpenAPI document (the
one the server serves at /openapi.json, byte for byte docs/openapi.json), valid ones and invalid ones,
for every operation. No answer may be a 500, and every answer must be one the document describes
(status, content type, JSON schema).

Bounded: ``MAX_EXAMPLES`` requests per operation and generation mode, derandomized; well
under a minute on 2 cores. (schemathesis' own pytest plugin does not run under pytest 9, so the
operations are parametrized here and each one's strategy is run with hypothesis directly.)
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from serving import DOCS, Running, serving

MAX_EXAMPLES = {"GET": 5, "POST": 40}  # per operation and mode: GETs have little to vary
SCHEMA = schemathesis.openapi.from_path(DOCS / "openapi.json")
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def running() -> Iterator[Running]:
    with serving(workers=2) as server:
        SCHEMA.config.update(base_url=server.url)
        yield server


# invalid requests for the operations that take a body (the others have nothing to get wrong)
CASES = [(label, GenerationMode.POSITIVE) for label in sorted(OPERATIONS)] + [
    (label, GenerationMode.NEGATIVE) for label, op in sorted(OPERATIONS.items()) if "requestBody" in op.definition.raw]


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{label}-{mode.value}" for label, mode in CASES])
def test_no_request_from_the_openapi_document_gets_a_500(running: Running, label: str, mode: GenerationMode) -> None:
    operation = OPERATIONS[label]
    route = operation.path

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES[operation.method.upper()], deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=running.url, checks=CHECKS, timeout=60)

    before = sum(e["route"] == route for e in running.access())
    run()
    time.sleep(0.1)
    assert sum(e["route"] == route for e in running.access()) > before  # the requests did reach the server
