"""What a comparison reads of a job: predictions stacked small, a few results at a time."""

from __future__ import annotations

import numpy as np

from modelmap.store import _compare_data, comparison, comparison_data


def test_predictions_are_stacked_as_int16_equal_to_the_stored_ones(store):
    data = comparison_data(store, 1, "test_accuracy")
    assert data.pred.dtype == np.int16 and data.proba is None
    ids = {row["key"]: row["id"] for row in store.result_rows(1)}
    for row, pred in zip(data.rows, data.pred):
        stored = store.arrays(f"result:{ids[row['key']]}", ["pred_test"])["pred_test"]
        assert np.array_equal(pred, stored)
    with_proba = comparison_data(store, 1, "test_log_loss")
    assert with_proba.proba.dtype == np.float64
    assert with_proba.proba.shape == (len(with_proba.rows), len(data.truth.y), 3)


def test_reading_a_few_results_at_a_time_gives_the_same_comparison(store, monkeypatch):
    whole = comparison(store, 1, "test_f1_macro", 0.05, False, 200)
    monkeypatch.setattr(_compare_data, "_BATCH", 2)
    assert comparison(store, 1, "test_f1_macro", 0.05, False, 200) == whole


def test_labels_outside_the_classes_stay_wrong_and_do_not_wrap():
    pred = np.array([0, 2, 70_000, -5, 65_537], dtype=np.int64)
    small = _compare_data._labels(pred, 3).astype(np.int16)
    assert small.tolist() == [0, 2, 3, -1, 3]
    assert not np.isin(small[2:], [0, 1, 2]).any()  # 65,537 would wrap to class 1
