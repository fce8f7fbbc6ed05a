"""Big captured logs (stores written before logs were bounded): the API and `cache show`
answer a bounded preview and page through the rest."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from modelmap.cli import app
from modelmap.queries import LOG_PREVIEW

pytestmark = pytest.mark.timeout(120)
BIG = 5 * 1024 * 1024


@pytest.fixture
def big_log(store_path, ids) -> int:
    """The id of a result whose stored log is 5 MB (written as an older version would)."""
    result_id = ids["KNN 1"]
    text = "START\n" + "y" * (BIG - 11) + "\nEND\n"
    with sqlite3.connect(store_path) as conn:
        conn.execute("UPDATE results SET log = ? WHERE id = ?", (text, result_id))
    return result_id


def test_the_full_result_carries_a_bounded_log(client, big_log):
    response = client.get(f"/api/results/{big_log}")
    assert response.status_code == 200 and len(response.content) < 2 * LOG_PREVIEW
    data = response.json()
    assert data["log"].startswith("START\n") and data["log"].endswith("\nEND\n")
    assert data["log_bytes"] == BIG and data["log_cut"] == BIG - LOG_PREVIEW
    assert f"[... {BIG - LOG_PREVIEW} bytes cut ...]" in data["log"]


def test_the_log_route_pages_through_all_of_it(client, big_log):
    pieces, offset = [], 0
    while offset is not None:
        page = client.get(f"/api/results/{big_log}/log", params={"offset": offset}).json()
        assert page["size"] == BIG and len(page["text"]) <= page["limit"]
        pieces.append(page["text"])
        offset = page["next"]
    assert len(pieces) == 5 and "".join(pieces).endswith("\nEND\n")
    assert len("".join(pieces)) == BIG
    small = client.get(f"/api/results/{big_log}/log", params={"offset": 2, "limit": 4})
    assert small.json()["text"] == "ART\n" and small.json()["next"] == 6
    too_big = client.get(f"/api/results/{big_log}/log", params={"limit": 10**8})
    assert too_big.status_code == 422


def test_cache_show_prints_a_preview_unless_asked_for_all(store_path, big_log, store):
    key = next(r["key"] for r in store.result_rows() if r["id"] == big_log)
    runner = CliRunner()
    env = {"COLUMNS": "200", "NO_COLOR": "1"}
    short = runner.invoke(app, ["cache", "show", key[:10], "--store", str(store_path)], env=env)
    assert short.exit_code == 0, short.output
    assert len(short.output) < 3 * LOG_PREVIEW
    assert "--full-log prints all that is stored" in short.output
    data = json.loads(runner.invoke(app, ["cache", "show", key[:10], "--json", "--store",
                                          str(store_path)], env=env).output)
    assert data["log_cut"] == BIG - LOG_PREVIEW
    full = runner.invoke(app, ["cache", "show", key[:10], "--json", "--full-log", "--store",
                               str(store_path)], env=env)
    assert len(json.loads(full.output)["log"]) == BIG
