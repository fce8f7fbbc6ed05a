"""Deleting cascades to arrays; sizes per dataset/job/kind; vacuum drops orphans."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from sqlalchemy import func, select

from modelmap.errors import StoreError
from modelmap.store import _schema
from modelmap.store._codec import pack_array


def owners(store) -> Counter:
    """How many arrays each owner has, straight from the arrays table."""
    with store._engine.connect() as conn:
        rows = conn.execute(
            select(_schema.arrays.c.owner, func.count()).group_by(_schema.arrays.c.owner)
        ).all()
    return Counter(dict(rows))


@pytest.fixture
def ids(store, job_id, make_result, failed_result):
    """Job iris-svm: a (+2 folds), b, failed c, a projection; job two: d; one map."""
    made = {"job": job_id}
    made["a"] = store.add_result(job_id, make_result("a"))
    for fold in (0, 1):
        store.add_result(job_id, make_result(f"a{fold}", fold=fold, parent_key="a"))
    made["b"] = store.add_result(job_id, make_result("b", arrays={"p": np.zeros(2)}))
    made["c"] = store.add_result(job_id, failed_result("c"))
    made["proj"] = store.put_projection(job_id, "p", "PCA", "pca", {}, np.zeros((3, 2)))
    made["two"] = store.put_job("two", store.datasets()[0]["id"], None, {}, "dk", {"y": np.ones(2)})
    made["d"] = store.add_result("two", failed_result("d", arrays={"q": np.ones(1)}))
    made["map"] = store.put_map("m", {}, {"points": np.zeros((2, 2)), "d": np.eye(2)})
    return made


def test_fixture_layout(store, ids):
    assert owners(store) == Counter(
        {
            f"result:{ids['a']}": 3,
            f"result:{ids['a'] + 1}": 3,
            f"result:{ids['a'] + 2}": 3,
            f"result:{ids['b']}": 1,
            f"result:{ids['d']}": 1,
            f"projection:{ids['proj']}": 1,
            f"job:{ids['two']}": 1,
            f"map:{ids['map']}": 2,
        }
    )


def test_delete_result_takes_its_folds_and_arrays(store, ids):
    assert store.delete_result("a") == {"results": 3, "arrays": 9}
    assert store.result("a0") is None and store.result("a") is None
    assert f"result:{ids['a']}" not in owners(store)
    assert store.delete_result(ids["b"]) == {"results": 1, "arrays": 1}
    assert store.done_keys(ids["job"], ("ok", "failed")) == {"c"}


def test_delete_unknown_result(store, ids):
    with pytest.raises(StoreError) as info:
        store.delete_result("zz")
    assert str(info.value) == (
        f"{store.url}: no result 'zz' in the store\n"
        "  hint: give a result id or full key (see Store.resolve_key for prefixes)"
    )


def test_delete_failed(store, ids):
    assert store.delete_failed("iris-svm") == {"results": 1, "arrays": 0}
    assert store.delete_failed() == {"results": 1, "arrays": 1}
    assert store.delete_failed() == {"results": 0, "arrays": 0}
    assert sorted(store.results(include_folds=True)["key"]) == ["a", "a0", "a1", "b"]


def test_delete_job_cascades(store, ids):
    assert store.delete_job("iris-svm") == {"jobs": 1, "results": 5, "projections": 1, "arrays": 11}
    assert store.job("iris-svm") is None and store.projections("two") == []
    assert sorted(owners(store)) == [f"job:{ids['two']}", f"map:{ids['map']}", f"result:{ids['d']}"]
    assert list(store.results()["key"]) == ["d"]


def test_delete_dataset_cascades(store, ids):
    store.put_dataset("wine", "fw", {}, {})
    assert store.delete_dataset("iris") == {
        "datasets": 1,
        "jobs": 2,
        "results": 6,
        "projections": 1,
        "arrays": 13,
    }
    assert [d["name"] for d in store.datasets()] == ["wine"] and store.jobs() == []
    assert sorted(owners(store)) == [f"map:{ids['map']}"]
    with pytest.raises(StoreError) as info:
        store.delete_dataset("iris")
    assert str(info.value) == (
        f"{store.url}: no dataset 'iris' in the store (known datasets: 'wine')\n"
        "  hint: check the name with `modelmap cache du`"
    )


def test_delete_maps(store, ids):
    assert store.delete_maps() == {"maps": 1, "arrays": 2}
    assert store.get_map("m") is None
    assert store.delete_maps() == {"maps": 0, "arrays": 0}


def test_sizes(store, ids, make_result):
    rows = store.sizes()
    assert [(r["dataset"], r["job"], r["kind"], r["items"]) for r in rows] == [
        (None, None, "maps", 1),
        ("iris", None, "dataset", 1),
        ("iris", "iris-svm", "job", 1),
        ("iris", "iris-svm", "projections", 1),
        ("iris", "iris-svm", "result arrays", 10),
        ("iris", "iris-svm", "results", 5),
        ("iris", "two", "job", 1),
        ("iris", "two", "result arrays", 1),
        ("iris", "two", "results", 1),
    ]
    by_kind = {(r["job"], r["kind"]): r["bytes"] for r in rows}
    packed = [pack_array(a, "x", probabilities=name.startswith("proba"))[2]
              for name, a in make_result("a").arrays.items()]  # result arrays are packed
    expected = 3 * sum(len(data) for data in packed) + len(pack_array(np.zeros(2), "x")[2])
    assert by_kind[("iris-svm", "result arrays")] == expected
    assert all(r["bytes"] > 0 for r in rows)
    store.delete_job("iris-svm")
    assert [r["job"] for r in store.sizes()] == [None, None, "two", "two", "two"]


def test_vacuum_drops_orphaned_arrays(store, ids):
    with store._engine.begin() as conn:
        conn.execute(
            _schema.arrays.insert(),
            [
                {"owner": "result:999", "name": "x", "dtype": "int8", "shape": [0], "data": b""},
                {"owner": "other:1", "name": "x", "dtype": "int8", "shape": [0], "data": b""},
            ],
        )
    assert store.vacuum() == {"arrays": 1}
    assert "result:999" not in owners(store) and "other:1" in owners(store)
    assert store.vacuum() == {"arrays": 0}
