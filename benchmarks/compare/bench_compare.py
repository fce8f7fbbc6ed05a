"""Intervals and tied-with-best for 1,000 classifiers x 10,000 test samples, 2,000 resamples.

modelmap's `compare_to_best` (one seeded set of bootstrap resamples shared by every
classifier, scores as weighted sums: a few matrix products) against the obvious way:
a loop over the classifiers calling `scipy.stats.bootstrap` (paired, percentile, its
vectorized statistic) once for the classifier's interval and once for its difference to
the best (the p-value from that bootstrap distribution).  The loop is timed on
`--reference` classifiers and scaled to all of them (it is linear in their number).

    python benchmarks/compare/bench_compare.py                  # 1,000 x 10,000, 2,000
      python benchmarks/compare/bench_compare.py --quick          # 200 x 2,000, 500

Wall and CPU seconds are both printed: on a shared machine the wall time depends on the
other work; the CPU time (all threads) does much less.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc

import numpy as np


def data(k: int, n: int, classes: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, classes, n)
    accuracy = rng.uniform(0.7, 0.95, k)[:, None]
    wrong = (y[None] + rng.integers(1, classes, (k, n))) % classes
    return y, np.where(rng.random((k, n)) < accuracy, y[None], wrong)


def balanced_accuracy(y: np.ndarray, p: np.ndarray, classes: int, axis: int = -1):
    recalls = [np.sum((y == c) & (p == c), axis=axis) / np.sum(y == c, axis=axis)
               for c in range(classes)]
    return np.mean(recalls, axis=0)


def accuracy(y: np.ndarray, p: np.ndarray, axis: int = -1):
    return np.mean(y == p, axis=axis)


def modelmap_run(y, pred, classes, score, resamples):
    from modelmap.compare import Truth, compare_to_best

    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    result = compare_to_best(Truth(y, classes, seed=0), pred, None, score, resamples=resamples)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, cpu, peak, result


def reference_run(y, pred, classes, score, resamples, best, count):
    from scipy import stats

    if score == "test_accuracy":
        def stat(a, b, axis=-1):
            return accuracy(a, b, axis)
    else:
        def stat(a, b, axis=-1):
            return balanced_accuracy(a, b, classes, axis)

    def diff(a, b, c, axis=-1):
        return stat(a, b, axis) - stat(a, c, axis)

    started, cpu = time.perf_counter(), time.process_time()
    for j in range(count):
        rng = np.random.default_rng(j)
        stats.bootstrap((y, pred[j]), stat, paired=True, n_resamples=resamples,
                        method="percentile", random_state=rng)
        d = stats.bootstrap((y, pred[j], pred[best]), diff, paired=True,
                            n_resamples=resamples, method="percentile", random_state=rng)
        dist = d.bootstrap_distribution
        min(1.0, 2 * (1 + min((dist <= 0).sum(), (dist >= 0).sum())) / (resamples + 1))
    return (time.perf_counter() - started) / count, (time.process_time() - cpu) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 x 2,000, 500 resamples")
    parser.add_argument("--classes", type=int, default=2)
    parser.add_argument("--reference", type=int, default=10,
                        help="classifiers the scipy loop is timed on (then scaled)")
    args = parser.parse_args()
    k, n, resamples = (200, 2000, 500) if args.quick else (1000, 10_000, 2000)
    y, pred = data(k, n, args.classes)
    small_y, small_pred = data(3, 50, args.classes)  # imports and first calls, not timed
    for score in ("test_accuracy", "test_balanced_accuracy"):
        modelmap_run(small_y, small_pred, args.classes, score, 100)
        reference_run(small_y, small_pred, args.classes, score, 100, 0, 1)
    print(f"{k} classifiers x {n} test samples, {args.classes} classes, {resamples} "
          f"resamples; {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}")
    print("| score | method | modelmap s | modelmap CPU s | peak MiB | scipy loop s (scaled) "
          "| scipy loop CPU s (scaled) | ratio | CPU ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for score in ("test_accuracy", "test_balanced_accuracy"):
        seconds, cpu, peak, result = modelmap_run(y, pred, args.classes, score, resamples)
        per, per_cpu = reference_run(y, pred, args.classes, score, resamples, result.best,
                                     min(args.reference, k))
        total, total_cpu = per * k, per_cpu * k
        method = result.method.split(" over ")[0]
        print(f"| {score} | {method} | {seconds:.2f} | {cpu:.2f} | {peak / 2**20:.0f} | "
              f"{total:.0f} | {total_cpu:.0f} | {seconds / total:.5f} | {cpu / total_cpu:.5f} |")
    print(f"load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
