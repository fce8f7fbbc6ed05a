"""Classifier maps: modelmap versus the seed system's method, ratio in one run.

Reference (the seed's method): a nested Python loop calling
``scipy.spatial.distance.euclidean`` for every pair of classifiers (upper triangle,
mirrored), then PCA / MDS / t-SNE fitted on the raw vectors.  modelmap:
:func:`modelmap.projection.classifier_map` (one vectorized distance matrix, the projection
on the precomputed distances).  Vectors are class probabilities of 300 classifiers on 30
samples x 3 classes (90 values) and of 1,000 classifiers on 1,200 samples x 3 classes
(3,600 values), in groups of similar classifiers.  modelmap's maps are timed first, then
the reference's, with a pause before each measurement (see ``_time``).

    .venv/bin/python benchmarks/maps/bench_maps.py            # both sizes
    .venv/bin/python benchmarks/maps/bench_maps.py --quick    # 300 x 90 only
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import warnings

import numpy as np
from scipy.spatial import distance

from modelmap.projection import classifier_map, distance_matrix

TARGETS = {(300, 90): 0.05, (1000, 3600): 0.2}


def vectors(n: int, d: int, classes: int = 3, seed: int = 0) -> np.ndarray:
    """Probabilities of ``n`` classifiers in 8 groups that agree with the truth more or less."""
    rng = np.random.default_rng(seed)
    samples = d // classes
    truth = rng.integers(0, classes, samples)
    group = rng.integers(0, 8, n)
    logits = rng.normal(0, 1, (n, samples, classes))
    logits[:, np.arange(samples), truth] += (0.5 + group / 2)[:, None]
    proba = np.exp(logits) / np.exp(logits).sum(axis=2, keepdims=True)
    return proba.reshape(n, d)


def reference_distances(V: np.ndarray) -> np.ndarray:
    n = len(V)
    D = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            D[i, j] = D[j, i] = distance.euclidean(V[i], V[j])
    return D


def reference_projection(V: np.ndarray, method: str) -> np.ndarray:
    from sklearn.decomposition import PCA
    from sklearn.manifold import MDS, TSNE

    if method == "pca":
        return PCA(n_components=2, random_state=0).fit_transform(V)
    if method == "mds":
        return MDS(n_components=2, n_init=1, init="random", random_state=0).fit_transform(V)
    return TSNE(n_components=2, random_state=0).fit_transform(V)


def _time(fn, repeats: int) -> float:
    # OpenMP and OpenBLAS worker threads keep spinning for a while after a multi-threaded
    # call returns; pause so they do not take the cores from the next measurement.
    time.sleep(0.3)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(n: int, d: int, repeats: int) -> list[tuple]:
    V = vectors(n, d)
    methods = ("pca", "mds", "tsne")
    ours_d = _time(lambda: distance_matrix(V, "euclidean"), repeats)
    ours = {m: _time(lambda m=m: classifier_map(V, projection=m), repeats) for m in methods}
    loop = _time(lambda: reference_distances(V), 1 if n > 500 else repeats)
    rows = [(n, d, "distances only", ours_d, loop)]
    for method in methods:
        reference = loop + _time(lambda m=method: reference_projection(V, m), repeats)
        rows.append((n, d, method, ours[method], reference))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 300 x 90")
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    warnings.filterwarnings("ignore")
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, {platform.machine()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'size':>11} {'projection':>15} {'modelmap s':>11} {'reference s':>12} "
          f"{'ratio':>7} {'target':>7}")
    sizes = [(300, 90)] if options.quick else [(300, 90), (1000, 3600)]
    for n, d in sizes:
        for n_, d_, method, ours, reference in run(n, d, options.repeats):
            target = "" if method == "distances only" else f"<={TARGETS[(n, d)]}"
            print(f"{n_:>5}x{d_:<5} {method:>15} {ours:>11.3f} {reference:>12.3f} "
                  f"{ours / reference:>7.3f} {target:>7}", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
