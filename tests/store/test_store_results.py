"""Results: full round trip, no pickle, resume semantics, look-ups and key prefixes."""

from __future__ import annotations

import dataclasses
import math
import pickle

import numpy as np
import pytest
from sqlalchemy import update

from modelmap.errors import StoreError
from modelmap.store import _schema
from modelmap.training._result import TrainResult


def assert_same_result(got: TrainResult, want: TrainResult) -> None:
    for field in dataclasses.fields(TrainResult):
        if field.name != "arrays":
            assert getattr(got, field.name) == getattr(want, field.name), field.name
    assert sorted(got.arrays) == sorted(want.arrays)
    for name, array in want.arrays.items():
        assert got.arrays[name].dtype == array.dtype, name
        assert got.arrays[name].shape == array.shape, name
        if name.startswith("proba"):  # stored in half precision (tests/store/test_store_packed)
            np.testing.assert_allclose(got.arrays[name], array, rtol=0, atol=2.5e-4)
        else:
            np.testing.assert_array_equal(got.arrays[name], array)


def test_every_field_round_trips(store, job_id, make_result):
    original = make_result("k1", fold=2, parent_key="k0")
    result_id = store.add_result(job_id, original)
    assert isinstance(result_id, int)
    assert_same_result(store.train_result("k1"), original)
    assert_same_result(store.train_result(result_id), original)


def test_failed_result_round_trips(store, job_id, failed_result):
    original = failed_result("bad", history=None, machine={})
    store.add_result(job_id, original)
    assert_same_result(store.train_result("bad"), original)


def test_non_finite_scores_survive(store, job_id, make_result):
    scores = {"test": {"accuracy": math.nan, "log_loss": math.inf}, "train": {"r": -math.inf}}
    store.add_result(job_id, make_result("k1", scores=scores))
    got = store.result("k1")["scores"]
    assert math.isnan(got["test"]["accuracy"])
    assert got["test"]["log_loss"] == math.inf and got["train"]["r"] == -math.inf
    frame = store.results()
    assert math.isnan(frame.loc[0, "test_accuracy"]) and frame.loc[0, "test_log_loss"] == math.inf


def test_result_row_has_context_and_arrays(store, job_id, make_result):
    result_id = store.add_result(job_id, make_result("k1"))
    row = store.result("k1")
    assert (row["id"], row["job_id"], row["job"], row["dataset"]) == (
        result_id,
        job_id,
        "iris-svm",
        "iris",
    )
    assert isinstance(row["created_at"], float)
    assert sorted(row["arrays"]) == ["correct", "pred_test", "proba_test"]
    assert store.result("k1", job="iris-svm")["id"] == result_id
    assert store.result(np.int64(result_id))["key"] == "k1"
    assert store.result("missing") is None
    assert store.result(result_id + 100) is None
    assert store.result("k1", job="no such job") is None
    only = store.arrays(f"result:{result_id}", ["pred_test"])
    assert list(only) == ["pred_test"]
    np.testing.assert_array_equal(only["pred_test"], [0, 2, 1])


def test_object_array_is_refused_and_nothing_written(store, job_id, make_result):
    bad = make_result("k1", arrays={"pred_test": np.array(["a", 1, None], dtype=object)})
    with pytest.raises(StoreError) as info:
        store.add_result(job_id, bad)
    assert str(info.value) == (
        "result 'k1' (svm k1) array 'pred_test' has dtype object (Python objects); the store "
        "never pickles\n  hint: convert it to a numeric, boolean or fixed-width string array, "
        "e.g. np.asarray(values, dtype=str)"
    )
    assert store.done_keys(job_id, ("ok", "failed", "timeout")) == set()


def test_pickle_planted_in_the_database_is_refused(store, job_id, make_result):
    result_id = store.add_result(job_id, make_result("k1"))
    with store._engine.begin() as conn:
        conn.execute(
            update(_schema.arrays)
            .where(_schema.arrays.c.owner == f"result:{result_id}")
            .values(data=pickle.dumps(np.arange(3)))
        )
    with pytest.raises(StoreError) as info:
        store.result("k1")
    assert str(info.value) == (
        f"{store.url}: array 'correct' of result:{result_id} is not NumPy .npy data; "
        "refusing to load it\n"
        "  hint: the store may be damaged or written by another program; delete the item"
    )


def test_existing_ok_result_is_kept(store, job_id, make_result):
    first = store.add_result(job_id, make_result("k1", title="first"))
    assert store.add_result(job_id, make_result("k1", title="second")) is None
    assert store.result("k1")["title"] == "first"
    assert len(store.results()) == 1
    assert first is not None


def test_replace_overwrites_row_and_arrays(store, job_id, make_result):
    first = store.add_result(job_id, make_result("k1"))
    again = make_result("k1", title="again", arrays={"pred_train": np.array([1, 1])})
    assert store.add_result(job_id, again, replace=True) == first
    assert_same_result(store.train_result("k1"), again)
    assert list(store.arrays(f"result:{first}")) == ["pred_train"]


def test_failed_result_is_replaced_without_asking(store, job_id, make_result, failed_result):
    first = store.add_result(job_id, failed_result("k1"))
    assert store.done_keys(job_id) == set()
    assert store.done_keys(job_id, ("ok", "failed")) == {"k1"}
    assert store.add_result(job_id, make_result("k1")) == first
    assert store.result("k1")["status"] == "ok"
    assert store.done_keys(job_id) == {"k1"}


def test_timeout_is_replaced_by_a_failure(store, job_id, failed_result):
    first = store.add_result(job_id, failed_result("k1", status="timeout"))
    assert store.add_result(job_id, failed_result("k1", error="again")) == first
    assert store.result(first)["error"] == "again"


def test_add_results_stores_a_group_in_one_go(store, job_id, make_result, failed_result):
    kept = store.add_result(job_id, make_result("k1", title="first"))
    retried = store.add_result(job_id, failed_result("k2"))
    group = [make_result("k1", title="second"), make_result("k2", title="now ok"),
             make_result("k3", arrays={"pred_test": np.array([2, 0, 1])}),
             make_result("k4", fold=1, parent_key="k3")]
    ids = store.add_results(job_id, group)
    assert ids[0] is None and ids[1] == retried and None not in ids[2:]
    assert store.result("k1")["title"] == "first" and kept is not None
    assert store.result("k2")["status"] == "ok"
    for original in group[2:]:
        assert_same_result(store.train_result(original.key), original)
    assert store.add_results(job_id, []) == []


def test_add_results_writes_nothing_when_one_result_is_bad(store, job_id, make_result):
    bad = make_result("k2", arrays={"pred_test": np.array(["a", None], dtype=object)})
    with pytest.raises(StoreError, match="result 'k2'"):
        store.add_results(job_id, [make_result("k1"), bad])
    assert store.done_keys(job_id, ("ok", "failed", "timeout")) == set()


def test_results_encoded_in_a_worker_are_stored_the_same(store, job_id, make_result):
    from modelmap.store._results import preencode

    original = make_result("k1")
    preencode(original)
    shipped = pickle.loads(pickle.dumps(original))  # as it comes back from a worker
    store.add_results(job_id, [shipped, shipped.replace(key="k2", title="changed")])
    assert_same_result(store.train_result("k1"), original)
    assert store.result("k2")["title"] == "changed"  # replace() is encoded afresh
    bad = make_result("k3", arrays={"x": np.array([None], dtype=object)})
    preencode(bad)  # cannot be encoded: left for the store to refuse with its message
    with pytest.raises(StoreError, match="never pickles"):
        store.add_result(job_id, bad)


def test_same_key_in_two_jobs(store, job_id, make_result):
    other = store.put_job("other", None, None, {}, "dk2")
    a = store.add_result(job_id, make_result("k1"))
    b = store.add_result("other", make_result("k1", title="other one"))
    assert a != b and b is not None
    assert store.done_keys(other) == {"k1"}
    assert store.result("k1", job=other)["title"] == "other one"
    with pytest.raises(StoreError) as info:
        store.result("k1")
    assert str(info.value) == (
        f"{store.url}: result key 'k1' is in several jobs ('iris-svm', 'other')\n"
        "  hint: name the job as well (job=TITLE / --job TITLE)"
    )


def test_unknown_job(store, job_id, make_result):
    with pytest.raises(StoreError) as info:
        store.add_result(job_id + 41, make_result("k1"))
    assert str(info.value) == (
        f"{store.url}: no job {job_id + 41} in the store (known jobs: 'iris-svm')\n"
        "  hint: run the job first (modelmap run JOB_FILE) or check its title"
    )
    with pytest.raises(StoreError, match="no job 'nope' in the store"):
        store.done_keys("nope")


def test_unknown_status_is_refused(store, job_id, make_result):
    with pytest.raises(StoreError) as info:
        store.add_result(job_id, make_result("k1", status="done"))
    assert str(info.value) == (
        "result 'k1' (svm k1) has status 'done'\n  hint: use one of ok, failed, timeout"
    )


def test_resolve_key(store, job_id, make_result):
    for key in ("abc111", "abd222", "a_c333", "zzz"):
        store.add_result(job_id, make_result(key))
    assert store.resolve_key("abc") == "abc111"
    assert store.resolve_key("a_") == "a_c333"  # LIKE wildcards are escaped
    assert store.resolve_key("zzz") == "zzz"
    assert store.resolve_key("  abd ") == "abd222"
    with pytest.raises(StoreError) as info:
        store.resolve_key("ab")
    assert str(info.value) == (
        f"{store.url}: result key 'ab' is ambiguous; it matches abc111 (svm abc111), "
        "abd222 (svm abd222)\n  hint: type more characters of the key"
    )
    with pytest.raises(StoreError) as info:
        store.resolve_key("q")
    assert str(info.value) == (
        f"{store.url}: no result key starts with 'q'\n"
        "  hint: list the results with `modelmap cache ls` and copy a key"
    )
    with pytest.raises(StoreError) as info:
        store.resolve_key("")
    assert str(info.value) == (
        f"{store.url}: the result key is empty\n  hint: give a result key or its first characters"
    )


def test_resolve_key_prefers_an_exact_key(store, job_id, make_result):
    store.add_result(job_id, make_result("ab"))
    store.add_result(job_id, make_result("abc"))
    assert store.resolve_key("ab") == "ab"
