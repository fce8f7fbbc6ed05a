"""The bulk reads the query layer uses: light rows, version, many arrays, sizes, map arrays."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np


def test_result_rows_are_light_and_decoded(store, job_id, make_result, failed_result):
    ok = store.add_result(job_id, make_result("k1", scores={"test": {"auc": math.nan}}))
    bad = store.add_result(job_id, failed_result("k2"))
    fold = store.add_result(job_id, make_result("k1.f0", fold=0, parent_key="k1"))
    rows = store.result_rows(job_id)
    assert [r["id"] for r in rows] == [ok, bad, fold]
    first = rows[0]
    assert first["job"] == "iris-svm" and first["dataset"] == "iris"
    assert first["args"]["layers"] == [8, 4] and math.isnan(first["scores"]["test"]["auc"])
    assert "log" not in first and "history" not in first and "arrays" not in first
    assert rows[1]["error"] == "ValueError: C must be positive"
    assert [r["id"] for r in store.result_rows(job_id, include_folds=False)] == [ok, bad]
    assert [r["id"] for r in store.result_rows(ids=[fold, ok, 999])] == [ok, fold]
    assert [r["id"] for r in store.result_rows(dataset="iris")] == [ok, bad, fold]
    assert store.result_rows(dataset="other") == []


def test_results_version_changes_with_every_write(store, job_id, make_result):
    empty = store.results_version(job_id)
    store.add_result(job_id, make_result("k1"))
    one = store.results_version(job_id)
    store.add_result(job_id, make_result("k1", finished_at=1800000000.0), replace=True)
    replaced = store.results_version(job_id)
    store.delete_result("k1", job_id)
    assert len({empty, one, replaced}) == 3
    assert store.results_version(job_id)[0] == 0


def test_results_version_sees_writes_of_another_store_and_process(store, store_url, job_id,
                                                                    make_result):
    """The version is remembered between writes (SQLite: PRAGMA data_version), so a write
    by anyone else must still change it at once."""
    from modelmap.store import Store

    before = store.results_version("iris-svm")
    assert store.results_version("iris-svm") == before == store.results_version(job_id)
    with Store(store_url) as other:
        other.add_result(job_id, make_result("k1"))
    after = store.results_version("iris-svm")
    assert after != before and after[0] == 1
    code = ("import sys; from modelmap.store import Store; s = Store(sys.argv[1]); "
            "s.delete_result('k1', 'iris-svm')")
    subprocess.run([sys.executable, "-c", code, store_url], check=True, timeout=60)
    assert store.results_version("iris-svm")[0] == 0
    assert store.results_version(job_id)[0] == 0


def test_arrays_many_reads_selected_arrays_of_many_owners(store, job_id, make_result):
    ids = [store.add_result(job_id, make_result(f"k{i}")) for i in range(3)]
    owners = [f"result:{i}" for i in ids] + ["result:999"]
    got = store.arrays_many(owners, ["pred_test"])
    assert set(got) == set(owners) and got["result:999"] == {}
    np.testing.assert_array_equal(got[owners[0]]["pred_test"], [0, 2, 1])
    assert set(store.arrays_many(owners[:1])[owners[0]]) == {"pred_test", "proba_test",
                                                             "correct"}


def test_result_sizes_count_text_and_arrays(store, job_id, make_result, failed_result):
    ok = store.add_result(job_id, make_result("k1"))
    bad = store.add_result(job_id, failed_result("k2"))
    sizes = store.result_sizes(job_id)
    array_bytes = sum(len(a.tobytes()) for a in make_result("k1").arrays.values())
    assert sizes[ok] > sizes[bad] > 0 and sizes[ok] > array_bytes
    assert store.result_sizes() == sizes


def test_map_arrays_reads_only_what_is_asked(store):
    store.put_map("m1", {"a": 1}, {"points": np.zeros((3, 2)), "distances": np.eye(3)})
    got = store.map_arrays("m1", ["points"])
    assert got["params"] == {"a": 1} and set(got["arrays"]) == {"points"}
    assert set(store.map_arrays("m1")["arrays"]) == {"points", "distances"}
    assert store.map_arrays("nope") is None
