"""The Data view of a 100,000-sample job without a browser: WebGL, a stated, seeded and
stratified sample of 20,000 points, wrong-counts over every test sample."""

from __future__ import annotations

import numpy as np
import pytest

import modelmap
from modelmap.ui._data import UIData
from modelmap.ui.views import _data
from modelmap.ui.views._common import view_input
from tests.ui.large import TITLE, build_large_store


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> UIData:
    path = build_large_store(tmp_path_factory.mktemp("large") / "large.db")
    with modelmap.Store(path) as store:
        yield UIData(store)


def figure(data: UIData, mode: str = "hard", references: bool = False):
    job = data.store.job(TITLE)
    ids = data.select(job["id"], methods=None, statuses=["ok"], filters=[], q=None,
                      sort="-test_accuracy,title", include_folds=False)
    given = view_input(data, {"job": job["id"], "ids": ids, "sort": "test_accuracy"},
                       "method", None)
    labels = data.projections(job["id"])
    fig, note = _data.samples_figure(data, given, labels["projections"][0], labels, mode,
                                     references)
    return fig, note, given, labels


def test_above_the_limit_a_stratified_sample_is_drawn_with_webgl(large):
    fig, note, _, labels = figure(large, "class")
    train, test = fig["data"][0], fig["data"][1]
    assert train["type"] == test["type"] == "scattergl"
    assert len(train["x"]) == 16_000 and len(test["x"]) == 4_000  # 20,000: the same share
    assert note.startswith("Showing 20,000 of 100,000 samples (4,000 of 20,000 test, "
                           "16,000 of 80,000 train): sampled above 20,000, seeded, "
                           "stratified by class.")
    y = np.asarray(labels["labels"]["data"])
    for trace, split in ((train, y[:80_000]), (test, y[80_000:])):
        drawn = np.bincount(y[np.asarray(trace["customdata"])], minlength=3)
        assert np.abs(drawn - np.bincount(split, minlength=3) * 0.2).max() <= 1
    again, _, _, _ = figure(large, "class")
    assert again["data"][1]["customdata"] == test["customdata"]  # seeded


def test_wrong_counts_are_over_every_test_sample_without_the_reference(large):
    fig, note, given, labels = figure(large, "hard")
    hard = fig["data"][1]
    y_test = np.asarray(labels["labels"]["data"])[80_000:]
    ok = [r["id"] for r in given.rows if r["method"] != "naive"]
    ids, preds = large.predictions(ok)
    counts = (preds != y_test).sum(axis=0)
    shown = np.asarray(hard["customdata"]) - 80_000
    assert hard["marker"]["color"] == counts[shown].tolist()
    assert f"({int((counts == 2).sum()):,} wrong by all, {int((counts == 0).sum()):,} by none, " \
           "of all 20,000)" in note and "not counted" in note
    lookup = fig["data"][-1]["meta"]["lookup"]  # positions in the drawn trace
    assert lookup[str(ids[0])] == np.flatnonzero(preds[0][shown] != y_test[shown]).tolist()
    counted, note, _, _ = figure(large, "hard", references=True)
    assert "not counted" not in note and max(counted["data"][1]["marker"]["color"]) <= 3


def test_up_to_the_limit_every_sample_is_drawn() -> None:
    y = np.array([0, 1, 1, 2] * 10)
    others, shown = _data.drawn(np.arange(30), np.arange(30, 40), y)
    assert others.tolist() == list(range(30)) and shown.tolist() == list(range(10))
    assert _data.sampled_note(30, 30, 10, 10, "test") == ""
    others, shown = _data.drawn(np.arange(30), np.arange(30, 40), y, limit=20)
    assert len(others) == 15 and len(shown) == 5
    # classes 8 / 15 / 7 of the 30 train samples, halved: 4 / 7.5 / 3.5 -> 4 / 8 / 3
    assert np.bincount(y[others]).tolist() == [4, 8, 3]
    assert len(set(others.tolist())) == 15
