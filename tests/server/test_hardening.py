"""Issue 18, point 7: canonical ids only, a token for every write on a non-loopback bind,
a request-body limit, and web-app asset paths that are 404 instead of 500."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from modelmap.app import create_app
from modelmap.server._security import MAX_API_BODY, MAX_UI_BODY

pytestmark = pytest.mark.timeout(180)


def _client(store, base: str = "http://127.0.0.1", **options) -> TestClient:
    return TestClient(create_app(store, **options), base_url=base)


def _send(client: TestClient, method: str, raw: str, **kwargs) -> httpx.Response:
    """Send ``raw`` as the request path exactly (httpx would normalise it)."""
    request = client.build_request(method, "http://127.0.0.1/", **kwargs)
    request.url = httpx.URL(request.url, raw_path=raw.encode("ascii"))
    return client.send(request)


NOT_CANONICAL = ["{}%0A", "+{}", "{}.0", "%20{}", "{}%20", "0{}", "{}_0", "%2B{}", "{}e0",
                 "-{}", "{}%09"]


@pytest.mark.parametrize("spelling", NOT_CANONICAL)
def test_ids_spelled_other_than_canonically_are_refused(client, ids, spelling):
    result_id = ids["KNN 1"]
    for template in ("/api/jobs/{}", "/api/results/{}", "/api/jobs/{}/results",
                     "/api/results/{}/log"):
        for value in (1, result_id):
            raw = template.format(spelling.format(value))
            response = _send(client, "GET", raw)
            # not digits: no route has such a path (404); digits with a leading 0: 422
            assert response.status_code in (404, 422), (raw, response.text)
            assert response.json()["error"] in ("not_found", "invalid_request")
    deleted = _send(client, "DELETE", f"/api/results/{spelling.format(result_id)}")
    assert deleted.status_code in (404, 422)
    assert client.get(f"/api/results/{result_id}").status_code == 200  # still there


def test_delete_with_a_newline_after_the_id_deletes_nothing(client):
    assert _send(client, "DELETE", "/api/jobs/1%0A").status_code == 404
    assert client.get("/api/jobs/1").status_code == 200


def test_an_underscore_id_does_not_name_another_result(client, ids):
    assert _send(client, "GET", "/api/results/1_0").status_code == 404
    leading_zero = _send(client, "GET", f"/api/results/0{ids['KNN 1']}")
    assert leading_zero.status_code == 422 and "canonically" in leading_zero.json()["detail"]


def test_query_and_body_ids_are_canonical_too(client, ids):
    result_id = ids["KNN 1"]
    assert client.get("/api/jobs/1/results", params={"offset": "+0"}).status_code == 422
    assert client.get("/api/jobs/1/results", params={"limit": "1.0"}).status_code == 422
    assert client.delete("/api/results/failed", params={"job": " 1"}).status_code == 422
    for spelled in (str(result_id), float(result_id), True):
        response = client.post("/api/results/arrays", json={"ids": [spelled]})
        assert response.status_code == 422, spelled
    ok = client.post("/api/results/arrays", json={"ids": [result_id]})
    assert ok.status_code == 200 and ok.json()["ids"] == [result_id]


def test_every_write_needs_the_token_beyond_loopback(store, ids):
    client = _client(store, host="0.0.0.0", allow_hosts=["box.lan"], base="http://box.lan")
    body = {"results": [ids["KNN 1"], ids["KNN 3"], ids["KNN 5"]], "values": "pred_test"}
    refused = client.post("/api/maps", json=body)
    assert refused.status_code == 403 and "token" in refused.json()["hint"]
    assert store.sizes() == [r for r in store.sizes() if r["kind"] != "maps"]  # none stored
    reads = client.post("/api/results/arrays", json={"ids": [ids["KNN 1"]]})
    assert reads.status_code == 200  # a POST that only reads
    with_token = _client(store, host="0.0.0.0", allow_hosts=["box.lan"], base="http://box.lan",
                         token="s3cret")
    assert with_token.post("/api/maps", json=body).status_code == 401
    made = with_token.post("/api/maps", json=body, headers={"X-Modelmap-Token": "s3cret"})
    assert made.status_code == 200 and made.json()["cached"] is False


def test_maps_on_loopback_without_token_stay_open(client, ids):
    body = {"results": [ids["KNN 1"], ids["KNN 3"]], "values": "pred_test"}
    assert client.post("/api/maps", json=body).status_code == 200


@pytest.mark.parametrize("path", ["/api/results/1", "/api/results/failed", "/api/maps",
                                  "/api/jobs/1"])
def test_a_405_lists_every_method_of_the_path(client, path):
    expected = {"/api/results/1": "DELETE, GET", "/api/results/failed": "DELETE",
                "/api/maps": "DELETE, POST", "/api/jobs/1": "DELETE, GET"}[path]
    response = client.options(path)
    assert response.status_code == 405 and response.headers["allow"] == expected
    assert response.json()["error"] == "method_not_allowed"


def test_every_api_operation_documents_its_errors_with_the_error_schema(client):
    schema = client.get("/api/openapi.json").json()
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"error", "detail"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "404", "405", "422"} <= codes, (method, path)
            if method == "delete" or path == "/api/maps":
                assert {"401", "403"} <= codes, (method, path)
            ref = operation["responses"]["422"]["content"]["application/json"]["schema"]
            assert ref == {"$ref": "#/components/schemas/Error"}


def test_bodies_above_the_limit_are_413(client):
    big = b'{"ids": [' + b"1," * (MAX_API_BODY // 2) + b'1]}'
    response = client.post("/api/results/arrays", content=big,
                           headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"] == "payload_too_large"
    assert str(MAX_API_BODY) in response.json()["detail"]

    def chunks():  # no Content-Length: the size is counted while reading
        for _ in range(MAX_API_BODY // 65536 + 2):
            yield b" " * 65536

    streamed = client.post("/api/maps", content=chunks(),
                           headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    ui = client.post("/_dash-update-component", content=b" " * (MAX_UI_BODY + 1),
                     headers={"content-type": "application/json"})
    assert ui.status_code == 413


def test_a_body_under_the_limit_still_reaches_the_route(client, ids):
    padded = b'{"ids": [%d]}' % ids["KNN 1"] + b" " * (MAX_API_BODY - 100)
    response = client.post("/api/results/arrays", content=padded,
                           headers={"content-type": "application/json"})
    assert response.status_code == 200


@pytest.mark.parametrize("raw", ["/_dash-component-suites/..%2f..%2fetc%2fpasswd",
                                 "/_dash-component-suites/dash/..%2f..%2f__init__.py",
                                 "/_dash-component-suites/dash/%2e%2e/x.js",
                                 "/_dash-component-suites/nothing/x.js"])
def test_unknown_web_app_assets_are_404(store, raw):
    client = TestClient(create_app(store), base_url="http://127.0.0.1",
                        raise_server_exceptions=False)
    response = _send(client, "GET", raw)
    assert response.status_code == 404 and "passwd" not in response.text


def _n_maps(store) -> int:
    return sum(r["items"] for r in store.sizes() if r["kind"] == "maps")


def test_the_map_cache_is_bounded_least_recently_used_first(store, ids, monkeypatch):
    from modelmap import queries
    from modelmap.queries import _maps

    monkeypatch.setattr(_maps, "MAX_CACHED_MAPS", 3)
    monkeypatch.setattr(_maps, "_TOUCH_AFTER", -1.0)
    results = [ids["KNN 1"], ids["KNN 3"], ids["KNN 5"], ids["SVM rbf"]]
    keys = []
    for seed in range(5):
        made = queries.classifier_map(store, results, projection="mds",
                                      params={"random_state": seed})
        keys.append(made["key"])
        if seed == 2:  # the first map is used again: it becomes the most recent
            again = queries.classifier_map(store, results, projection="mds",
                                           params={"random_state": 0})
            assert again["cached"] is True
    assert _n_maps(store) == 3
    kept = {key for key in keys if store.map_arrays(key) is not None}
    assert kept == {keys[0], keys[3], keys[4]}


def test_the_map_cache_is_bounded_in_bytes(store, ids, monkeypatch):
    from modelmap import queries
    from modelmap.queries import _maps

    monkeypatch.setattr(_maps, "MAX_CACHED_MAP_BYTES", 1)  # below any map: keep the newest
    results = [ids["KNN 1"], ids["KNN 3"], ids["KNN 5"]]
    for seed in range(3):
        last = queries.classifier_map(store, results, projection="mds",
                                      params={"random_state": seed})
    assert _n_maps(store) == 1 and store.map_arrays(last["key"]) is not None


def test_a_read_only_store_is_served_without_writing(store_path, ids):
    from modelmap.store import Store

    with Store(store_path, read_only=True) as ro:
        client = TestClient(create_app(ro, ui=False), base_url="http://127.0.0.1")
        assert client.get("/api/jobs").status_code == 200
        refused = client.delete(f"/api/results/{ids['KNN 1']}")
        assert refused.status_code == 403 and refused.json()["error"] == "read_only_store"
        body = {"results": [ids["KNN 1"], ids["KNN 3"]]}
        first = client.post("/api/maps", json=body)
        assert first.status_code == 200 and first.json()["cached"] is False
        assert client.post("/api/maps", json=body).json()["cached"] is False
        assert _n_maps(ro) == 0


@pytest.mark.parametrize("title", ["-2+3", "+1", "=1+1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_export_escapes_every_formula_prefix(store_path, ids, title):
    import csv
    import io
    import sqlite3

    from modelmap.store import Store

    with sqlite3.connect(store_path) as conn:
        conn.execute("UPDATE results SET title = ? WHERE id = ?", (title, ids["KNN 1"]))
    with Store(store_path) as store:
        client = TestClient(create_app(store, ui=False), base_url="http://127.0.0.1")
        text = client.get("/api/jobs/1/export", params={"format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert "'" + title in [row["title"] for row in rows]
    assert title not in [row["title"] for row in rows]


def test_answers_carry_no_paths_host_names_or_pids_unless_debug(store, ids):
    import socket
    import sys

    broken = ids["=Broken"]
    site = str(__import__("pathlib").Path(sys.prefix))
    host = socket.gethostname()
    plain = _client(store)
    full = plain.get(f"/api/results/{broken}")
    text, traceback = full.text, full.json()["traceback"]
    assert "Traceback" in traceback and 'File "_param_validation.py"' in traceback
    assert site not in text and {"host", "pid"}.isdisjoint(full.json()["machine"])
    assert full.json()["machine"]["python"]
    listing = plain.get("/api/jobs/1/results").json()["items"]
    assert all(item["machine"] is None for item in listing)
    debug = _client(store, debug=True).get(f"/api/results/{broken}").json()
    assert debug["machine"]["host"] == host and site in debug["traceback"]


def test_scrub_cuts_folders_of_posix_and_windows_paths():
    from modelmap.server._public import scrub

    assert scrub('File "/home/alice/ws/plugins/svm.py", line 3') == 'File "svm.py", line 3'
    assert scrub(r"open C:\Users\alice\data.csv failed") == "open data.csv failed"
    assert scrub("ratio 3/4 and a/b/c stay") == "ratio 3/4 and a/b/c stay"
