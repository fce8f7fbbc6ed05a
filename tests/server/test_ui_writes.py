"""On a non-loopback bind every write needs the token, which the web app's Dash callbacks do
not carry: there the app computes classifier maps without storing them (on loopback it keeps
them, as before)."""

from __future__ import annotations

import pytest

from modelmap import queries
from modelmap.app import create_app

pytestmark = pytest.mark.timeout(180)


def _ok_ids(store) -> list[int]:
    return [row["id"] for row in store.result_rows() if row["status"] == "ok"]


def test_a_map_asked_with_keep_false_is_answered_but_not_stored(store):
    ids = _ok_ids(store)
    answer = queries.classifier_map(store, ids, distances=False, keep=False)
    assert answer["points"]["shape"] == [len(set(ids)), 2] and answer["cached"] is False
    assert store.map_arrays(answer["key"]) is None
    kept = queries.classifier_map(store, ids, distances=False)
    assert store.map_arrays(kept["key"]) is not None


@pytest.mark.parametrize("host, writes", [("127.0.0.1", True), ("0.0.0.0", False)])
def test_the_web_app_keeps_maps_only_on_a_loopback_bind(store, monkeypatch, host, writes):
    import modelmap.ui._app as ui_app

    made = []
    original = ui_app.UIData

    def spy(*args, **kwargs):
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(ui_app, "UIData", spy)
    create_app(store, host=host, token="t0ken")
    assert [data.keep_maps for data in made] == [writes]
    ids = _ok_ids(store)
    answer = made[0].classifier_map(ids)
    assert (store.map_arrays(answer["key"]) is not None) is writes
