"""Host-header check, the delete token, strict identifiers and traversal attempts."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from modelmap.app import create_app

pytestmark = pytest.mark.timeout(180)


def _client(store, base: str = "http://127.0.0.1", **options) -> TestClient:
    return TestClient(create_app(store, **options), base_url=base)


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "",
                                  "user@127.0.0.1", "127.0.0.1/x"])
def test_requests_naming_another_host_are_refused(store, host):
    response = _client(store).get("/api/health", headers={"host": host})
    assert response.status_code == 400 and response.json()["error"] == "bad_host"


@pytest.mark.parametrize("host", ["127.0.0.1:8050", "localhost:8050", "[::1]:8050",
                                  "LOCALHOST"])
def test_loopback_names_are_accepted(store, host):
    assert _client(store).get("/api/health", headers={"host": host}).status_code == 200


def test_allowed_extra_host(store):
    client = _client(store, allow_hosts=["results.lan"])
    assert client.get("/api/health", headers={"host": "results.lan:80"}).status_code == 200


def test_token_is_required_for_deleting_only(store, ids):
    client = _client(store, token="s3cret")
    assert client.get("/api/jobs").status_code == 200
    url = f"/api/results/{ids['KNN 1']}"
    assert client.delete(url).status_code == 401
    wrong = client.delete(url, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and wrong.json()["error"] == "forbidden"
    assert client.get(url).status_code == 200  # nothing was deleted
    ok = client.delete(url, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200 and ok.json()["deleted"]["results"] == 1
    other = client.delete(f"/api/results/{ids['KNN 3']}", headers={"X-Modelmap-Token": "s3cret"})
    assert other.status_code == 200


def test_listening_beyond_loopback_without_token_disables_deleting(store, ids):
    client = _client(store, host="0.0.0.0", allow_hosts=["box.lan"], base="http://box.lan")
    assert client.get("/api/jobs").status_code == 200
    refused = client.delete(f"/api/results/{ids['KNN 1']}")
    assert refused.status_code == 403 and "token" in refused.json()["hint"]


TRAVERSALS = ["../", "..%2f..%2fetc%2fpasswd", "%2e%2e", "%2e%2e%2fsentinel", "..\\",
              "..%5c..%5csentinel", "/etc/passwd", "%2fetc%2fpasswd", "C:%5cWindows",
              "a%00b", "%00", "x%23y", "x%3Fy", "..%252f", "....//", "%c0%ae%c0%ae"]
TEMPLATES = ["/api/jobs/{}", "/api/jobs/{}/results", "/api/jobs/{}/export",
             "/api/datasets/{}/jobs", "/api/datasets/{}/projections", "/api/results/{}",
             "/api/results/by-key/{}", "/api/maps/{}"]


def _sentinel(tmp_path: Path) -> tuple[Path, bytes]:
    path = tmp_path / "sentinel"
    path.write_bytes(b"do not touch")
    return path, path.read_bytes()


@pytest.mark.parametrize("template", TEMPLATES)
def test_traversal_identifiers_are_4xx_and_touch_nothing(client, tmp_path, template):
    sentinel, content = _sentinel(tmp_path)
    for value in TRAVERSALS + [str(sentinel), str(sentinel).replace("/", "%2f")]:
        raw = template.format(value)
        for method in ("GET", "DELETE"):
            # httpx would normalise ../ away: send the raw path as given
            request = client.build_request(method, "http://127.0.0.1/")
            request.url = httpx.URL(request.url, raw_path=raw.encode("ascii"))
            response = client.send(request)
            assert 400 <= response.status_code < 500, (method, raw, response.text)
            body = response.json()
            assert set(body) >= {"error", "detail"} and "Traceback" not in response.text
    assert sentinel.read_bytes() == content


def test_query_values_never_become_paths(client, tmp_path):
    sentinel, content = _sentinel(tmp_path)
    for url, params in (("/api/jobs", {"dataset": "../x"}),
                        ("/api/jobs", {"dataset": str(sentinel)}),
                        ("/api/jobs/1/export", {"format": "../csv"}),
                        ("/api/jobs/1/projections", {"encoding": "/etc/passwd"})):
        assert 400 <= client.get(url, params=params).status_code < 500
    assert client.get("/api/jobs/1/results", params={"sort": str(sentinel)}).status_code == 400
    assert sentinel.read_bytes() == content


@pytest.mark.parametrize("body", [
    {"ids": []}, {"ids": ["one"]}, {"ids": [1], "names": ["../etc"]}, {"ids": [1], "x": 1},
    {"ids": [-1]}, {"ids": [1], "encoding": "pickle"}, [1, 2], "junk",
])
def test_bad_bodies_are_422_json(client, body):
    response = client.post("/api/results/arrays", json=body)
    assert response.status_code == 422 and response.json()["error"] == "invalid_request"


def test_malformed_json_is_422(client):
    response = client.post("/api/maps", content=b"{not json", headers={
        "content-type": "application/json"})
    assert response.status_code == 422 and response.json()["detail"]


def test_unknown_paths_and_methods_are_json(client):
    assert client.get("/api/nope").json() == {"error": "not_found", "detail": "Not Found"}
    response = client.put("/api/jobs/1")
    assert response.status_code == 405 and response.json()["error"] == "method_not_allowed"
