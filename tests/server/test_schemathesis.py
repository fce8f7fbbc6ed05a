"""Property-based requests generated from /api/openapi.json: no answer is a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from modelmap.server import create_app
from modelmap.store import Store

pytestmark = pytest.mark.timeout(300)

# The schema is read when the module is collected; each test then points the app at a
# fresh copy of the filled store (DELETE requests are generated too).
_EMPTY = Store(Path(tempfile.mkdtemp(prefix="modelmap-schema-")) / "empty.db")
APP = create_app(_EMPTY, allow_hosts=["testserver"])
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@pytest.fixture(autouse=True)
def _serve_the_filled_store(store):
    APP.state.store = store
    yield
    APP.state.store = _EMPTY


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_server_fail(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text)
    if response.status_code >= 400:
        body = response.json()
        assert set(body) >= {"error", "detail"}, body
    case.validate_response(response, checks=[not_a_server_error])
