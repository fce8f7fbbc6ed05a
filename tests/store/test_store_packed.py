"""Result arrays are stored small: integers in their smallest type, probabilities in half
precision, compressed; scores are computed before, at full precision; old stores read."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from modelmap.errors import StoreError
from modelmap.store import Store
from modelmap.store._codec import decode_array, encode_array, pack_array
from modelmap.training import TrainResult


def probabilities(n: int = 4000, k: int = 3) -> tuple[np.ndarray, np.ndarray]:
    X, y = make_classification(2 * n, 10, n_informative=5, n_classes=k, random_state=0)
    clf = LogisticRegression(max_iter=500).fit(X[:n], y[:n])
    return clf.predict_proba(X[n:]), y[n:]


@pytest.mark.parametrize("values", [np.array([0, 1, 2, 1]), np.array([-3, 200, 7]),
                                    np.array([70000, 1]), np.zeros((2, 3), dtype=np.int64),
                                    np.array([True, False]), np.array([], dtype=np.int64)])
def test_integers_come_back_equal_in_their_own_dtype(values: np.ndarray) -> None:
    back = decode_array(pack_array(values, "x")[2], "x")
    assert back.dtype == values.dtype and back.shape == values.shape
    assert np.array_equal(back, values)


def test_predictions_take_less_than_one_byte_each() -> None:
    pred = np.random.default_rng(0).integers(0, 3, 10_000)
    assert len(pack_array(pred, "x")[2]) < 0.4 * pred.size  # int64 .npy: 8 bytes each


def test_probabilities_take_at_most_2_5_bytes_per_value_and_lose_little() -> None:
    proba, y = probabilities()
    dtype, shape, data = pack_array(proba, "x", probabilities=True)
    assert (dtype, shape) == ("float64", [4000, 3])
    assert len(data) / proba.size <= 2.5
    back = decode_array(data, "x")
    assert back.dtype == np.float64
    assert np.abs(back - proba).max() <= 2.5e-4
    np.testing.assert_allclose(back.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert abs(log_loss(y, back) - log_loss(y, proba)) < 1e-3


def test_other_floats_keep_full_precision() -> None:
    values = np.array([0.1, 1e300, -np.inf, np.nan])
    back = decode_array(pack_array(values, "x")[2], "x")
    assert np.array_equal(back, values, equal_nan=True)
    out_of_range = np.array([0.5, 1.5])  # not probabilities: kept as they are
    assert np.array_equal(decode_array(pack_array(out_of_range, "x", probabilities=True)[2],
                                       "x"), out_of_range)


def test_object_arrays_are_refused_and_damage_is_reported() -> None:
    with pytest.raises(StoreError, match="never pickles"):
        pack_array(np.array([1, "a"], dtype=object), "x")
    data = pack_array(np.arange(10), "x")[2]
    with pytest.raises(StoreError, match="array 'p' of result:1 is damaged"):
        decode_array(data[:-3], "array 'p' of result:1")


def test_a_stored_result_keeps_full_precision_scores_and_small_arrays(tmp_path) -> None:
    proba, y = probabilities()
    pred = proba.argmax(axis=1)
    exact = log_loss(y, proba)
    store = Store(tmp_path / "s.db")
    dataset = store.put_dataset("d", "fp", {}, {})
    job = store.put_job("J", dataset, None, {}, "key")
    result = TrainResult(key="k", title="t", method="m", args={},
                         scores={"test": {"log_loss": exact}},
                         arrays={"pred_test": pred, "proba_test": proba})
    store.add_result(job, result)
    stored = store.train_result("k", job)
    assert stored.scores["test"]["log_loss"] == exact
    assert np.array_equal(stored.arrays["pred_test"], pred)
    assert stored.arrays["pred_test"].dtype == np.int64
    assert np.abs(stored.arrays["proba_test"] - proba).max() <= 2.5e-4


def test_arrays_written_as_plain_npy_by_older_versions_still_read() -> None:
    proba, _ = probabilities(200)
    assert np.array_equal(decode_array(encode_array(proba, "x")[2], "x"), proba)


def test_a_jobs_labels_are_packed_too(tmp_path) -> None:
    store = Store(tmp_path / "s.db")
    dataset = store.put_dataset("d", "fp", {}, {})
    y = np.random.default_rng(0).integers(0, 3, 20_000)
    store.put_job("J", dataset, None, {}, "key", arrays={"y_train": y})
    back = store.arrays(f"job:{store.job('J')['id']}")["y_train"]
    assert back.dtype == y.dtype and np.array_equal(back, y)
    assert sum(r["bytes"] for r in store.sizes() if r["kind"] == "job") < 0.5 * y.size
