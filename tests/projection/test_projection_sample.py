"""Data projections of large data: PCA fitted on a seeded sample, applied to every sample.

The limit is :data:`modelmap.projection.FIT_LIMIT` (20,000 samples); the tests lower it
so that iris (150 samples) counts as large.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris
from sklearn.decomposition import PCA

from modelmap.batch import Batch, SilentEvents
from modelmap.data import prepare
from modelmap.execution import LocalExecutor
from modelmap.jobs import load_job
from modelmap.plugins import Registry
from modelmap.projection import _data as projection_data
from modelmap.projection import fitted_on, project
from modelmap.store import Store

X = load_iris().data


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(projection_data, "FIT_LIMIT", 60)
    return 60


def test_up_to_the_limit_pca_is_fitted_on_every_sample() -> None:
    assert fitted_on("pca", len(X)) is None
    expected = PCA(n_components=2, random_state=42).fit_transform(X)
    assert np.allclose(project("pca", {}, X), expected)


def test_above_the_limit_pca_is_fitted_on_a_seeded_sample(small_limit) -> None:
    assert fitted_on("pca", len(X)) == 60 and fitted_on("tsne", len(X)) is None
    sample = np.sort(np.random.default_rng(7).choice(len(X), 60, replace=False))
    expected = PCA(n_components=2, random_state=7).fit(X[sample]).transform(X)
    points = project("pca", {"random_state": 7}, X)
    assert points.shape == (150, 2) and points.dtype == np.float64
    assert np.allclose(points, expected)
    assert not np.allclose(points, PCA(n_components=2, random_state=7).fit_transform(X))
    assert np.array_equal(points, project("pca", {"random_state": 7}, X))  # seeded


def test_a_bundles_rows_give_the_points_of_its_encoded_matrix(small_limit) -> None:
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    frame.loc[::7, "a"] = np.nan
    frame["kind"] = np.where(X[:, 0] > 5.8, "long", "short")
    raw = {"X_train": frame, "y_train": load_iris().target, "X_test": frame.iloc[:0],
           "y_test": np.zeros(0, int), "class_names": ["a", "b", "c"]}
    bundle = prepare(raw, {"test_size": 0.2, "scale": True, "random_state": 0},
                     dataset="table")
    rows = bundle.projection_rows()
    encoded = bundle.projection_features()
    assert len(rows) == 150 and encoded.shape == (150, 6) and np.isfinite(encoded).all()
    assert np.allclose(np.vstack(list(rows.chunks(40))), encoded)
    assert np.allclose(project("pca", {}, rows), project("pca", {}, encoded), atol=1e-5)
    # a projection that cannot place new points gets the whole matrix
    assert np.allclose(project("mds", {"max_iter": 20}, rows),
                       project("mds", {"max_iter": 20}, encoded), atol=1e-4)


def test_a_job_says_when_its_projection_was_fitted_on_a_sample(small_limit, tmp_path) -> None:
    job = load_job({"data": {"title": "Sampled", "dataset": "sklearn_iris"},
                    "projections": [{"title": "PCA", "method": "pca"}],
                    "classifiers": [{"title": "Naive", "method": "naive"}]},
                   registry=Registry.discover(None))
    events = SilentEvents()
    with Store(tmp_path / "s.db") as store, LocalExecutor(1) as executor:
        report = Batch(store, Registry.discover(None), executor=executor,
                       events=events).run(job)
        points = store.projections(report.job_id)
    assert report.projection_errors == []
    assert "data projection 'PCA' (pca): fitted on a seeded sample of 60 of the 150 samples, " \
           "then applied to all of them" in events.notices
    assert len(points) == 1
