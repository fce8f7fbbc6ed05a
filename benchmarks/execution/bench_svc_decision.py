"""SVC decision values: modelmap's matrix products vs scikit-learn's libsvm loop.

    .venv/bin/python benchmarks/execution/bench_svc_decision.py [--repeats 5]

For the 40 SVC configs of the throughput benchmark's digits job (RBF and polynomial
kernels, C 0.1..1000, gamma 0.0003..0.01), fitted on the same 1,347 standardised training
rows, the decision values of all 1,797 rows (training and test set, which is what
`modelmap run` asks of every SVC) are computed by `modelmap.plugins._svc_decision` and by
`SVC.decision_function`, in one BLAS thread as in modelmap's workers.  CPU seconds, best
of ``--repeats``, summed over the configs; the values are checked to agree (1e-9).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[2] / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    from sklearn.datasets import load_digits
    from sklearn.model_selection import ParameterGrid, train_test_split
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
    from threadpoolctl import threadpool_limits

    from modelmap.plugins._svc_decision import decision_function

    threadpool_limits(1)
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, _ = train_test_split(X, y, test_size=0.25, random_state=42,
                                                   stratify=y)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    both = np.vstack([X_train, X_test])
    grid = ParameterGrid({"C": [0.1, 1, 10, 100, 1000], "gamma": [0.0003, 0.001, 0.003, 0.01],
                          "kernel": ["rbf", "poly"]})
    totals = {"modelmap": 0.0, "libsvm": 0.0}
    per_kernel: dict[str, dict[str, float]] = {}
    for params in grid:
        clf = SVC(**params).fit(X_train, y_train)
        best = {}
        for name, f in (("libsvm", clf.decision_function),
                        ("modelmap", lambda part, c=clf: decision_function(c, part))):
            times = []
            for _ in range(options.repeats):
                start = time.process_time()
                values = f(both)
                times.append(time.process_time() - start)
            best[name] = min(times)
            if name == "libsvm":
                reference = values
            else:
                assert np.allclose(values, reference, rtol=1e-9, atol=1e-9), params
        for name, seconds in best.items():
            totals[name] += seconds
            per_kernel.setdefault(params["kernel"], {}).setdefault(name, 0.0)
            per_kernel[params["kernel"]][name] += seconds
    print(f"machine: {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}, 1 BLAS thread, best of {options.repeats}")
    for kernel, t in per_kernel.items():
        print(f"{kernel:5s} (20 configs): modelmap {t['modelmap']:.3f} s, libsvm "
              f"{t['libsvm']:.3f} s, ratio {t['modelmap'] / t['libsvm']:.2f}")
    print(f"all 40 configs: modelmap {totals['modelmap']:.3f} s, libsvm {totals['libsvm']:.3f} "
          f"s, ratio {totals['modelmap'] / totals['libsvm']:.2f} (values equal to 1e-9)")


if __name__ == "__main__":
    main()
