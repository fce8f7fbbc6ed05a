"""Property-based requests generated from /api/openapi.json: no answer is a 5xx, and every
answer keeps the documented contract (status codes, the error schema of every 4xx, content
types, the Allow header of a 405, refusing what the schema refuses).

``positive_data_acceptance`` is left out: a schema-valid request may name data that is not
there or cannot be used (a filter on an unknown field is 400, a map under ``correlation``
of a constant vector 422, a JSON ``1.0`` id is refused although JSON Schema calls it an
integer: ids are strict)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from modelmap.app import create_app
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
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
