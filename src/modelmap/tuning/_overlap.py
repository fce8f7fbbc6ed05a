"""Keeping both workers of a ``HalvingSearchCV`` busy: slowest-first dispatch and a refit
that overlaps the last iteration.

``slowest_first`` orders an iteration's candidates by their fit time in the iteration
before, longest first (the classic longest-processing-time rule), so no worker waits at the
end of an iteration for one slow candidate dispatched last.  ``EarlyRefit`` refits the last
iteration's single candidate — the winner whatever its score — on all rows in a thread
while that iteration's CV folds run in the workers; ``fit`` then uses that model instead of
refitting after the search.  It is used only when the result is the same as the plain
refit's: ``refit=True``, one metric, no fit parameters to route, and more than one job.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from joblib import effective_n_jobs
from sklearn.base import clone


def slowest_first(seconds: Sequence[float]) -> list[int]:
    """Indices of ``seconds`` from the longest to the shortest (ties keep their order)."""
    return sorted(range(len(seconds)), key=lambda j: -seconds[j])


class EarlyRefit:
    """The refit of a search's best candidate, started before the search ends."""

    def __init__(self, search: Any, X: Any, y: Any, params: dict[str, Any]) -> None:
        self.search, self.X, self.y = search, X, y
        single = search.scoring is None or isinstance(search.scoring, str) \
            or callable(search.scoring)  # multi-metric: scikit-learn's own checks apply
        self.eligible = (search.refit is True and single and not params
                         and effective_n_jobs(search.n_jobs) > 1)
        self.pool: ThreadPoolExecutor | None = None
        self.future: Future | None = None
        self.params: dict[str, Any] | None = None

    @contextlib.contextmanager
    def deferring(self) -> Iterator[None]:
        """Within: the search does not refit (``finish`` does)."""
        if not self.eligible:
            yield
            return
        self.search.refit = False
        try:
            yield
        finally:
            self.search.refit = True

    def start(self, params: dict[str, Any]) -> None:
        """Refit with ``params`` on all rows in a thread (when eligible)."""
        if not self.eligible or self.future is not None:
            return
        self.params = params
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="modelmap-refit")
        self.future = self.pool.submit(self._fit, params)

    def _fit(self, params: dict[str, Any]) -> tuple[Any, float]:
        model = clone(self.search.estimator).set_params(**clone(params, safe=False))
        started = time.time()
        model.fit(self.X) if self.y is None else model.fit(self.X, self.y)
        return model, time.time() - started

    def finish(self) -> None:
        """Set ``best_estimator_`` and ``refit_time_`` as the search's own refit does."""
        if not self.eligible:
            return
        search = self.search
        if self.future is not None and self.params == search.best_params_:
            model, seconds = self.future.result()
        else:
            model, seconds = self._fit(search.best_params_)
        search.best_estimator_, search.refit_time_ = model, seconds
        if hasattr(model, "feature_names_in_"):
            search.feature_names_in_ = model.feature_names_in_

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
