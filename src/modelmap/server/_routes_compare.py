"""Comparison routes under ``/api/compare``: intervals, tied-with-best, pairwise, across jobs.

Answers are cached in memory, keyed by the request and by the results version of the jobs
involved (a rerun or a delete makes a new answer).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from modelmap import queries
from modelmap.server._deps import Canonical, store_of
from modelmap.queries import MAX_ID
from modelmap.store import Store

router = APIRouter(prefix="/api/compare", tags=["compare"])
StoreDep = Annotated[Store, Depends(store_of)]
Score = Annotated[str, Query(pattern=r"^[a-z0-9_]{1,60}$", description="A test score: "
                             "test_accuracy, test_f1_macro, test_log_loss, ...")]
Alpha = Annotated[float, Query(gt=0, lt=1, description="Significance level (0.05: 95 % "
                                                       "intervals).")]
_KEYS = r"^[0-9a-f]{4,64}(\.f[0-9]{1,4})?(,[0-9a-f]{4,64}(\.f[0-9]{1,4})?){1,199}$"


@router.get("")
def compare_job(request: Request, store: StoreDep,
                job: Annotated[int, Query(ge=1, le=MAX_ID, description="Job id."), Canonical],
                score: Score = "test_accuracy", alpha: Alpha = 0.05,
                include_references: bool = False) -> Response:
    """Every classifier of a job with an interval of the score, its rank, p-values against
    the best (Holm-adjusted) and whether it is tied with the best at α.  ``method`` and
    ``test`` name the interval and the test."""
    version = queries.listing_version(store, job=job)
    return _cache(request).answer(
        ("compare", version, score, alpha, include_references),
        lambda: queries.compare_job(store, job, score=score, alpha=alpha,
                                    include_references=include_references))


@router.get("/pairwise")
def compare_pairwise(request: Request, store: StoreDep,
                     keys: Annotated[str, Query(pattern=_KEYS, max_length=14_000,
                                                description="2 to 200 result keys (or unique "
                                                "prefixes) of one job, comma-separated.")],
                     score: Score = "test_accuracy", alpha: Alpha = 0.05) -> Response:
    """Every pair of the selected classifiers: an omnibus test (Cochran's Q, or Friedman
    over folds) and the square matrix of Holm-adjusted pairwise p-values."""
    return _cache(request).answer(
        ("compare-pairwise", queries.listing_version(store), keys, score, alpha),
        lambda: queries.compare_pairwise(store, keys.split(","), score=score, alpha=alpha))


@router.get("/jobs")
def compare_jobs(request: Request, store: StoreDep,
                 jobs: Annotated[str, Query(pattern=r"^[1-9][0-9]{0,15}(,[1-9][0-9]{0,15}){1,199}$",
                                            description="2 to 200 job ids, comma-separated.")],
                 score: Score = "test_accuracy", alpha: Alpha = 0.05) -> Response:
    """The classifiers every job has, ranked per job (data set): average ranks, Friedman,
    Iman-Davenport, the Nemenyi critical difference, Holm-adjusted Wilcoxon pairs and the
    cliques of a critical-difference diagram."""
    ids = [int(part) for part in jobs.split(",")]
    return _cache(request).answer(
        ("compare-jobs", queries.listing_version(store), tuple(ids), score, alpha),
        lambda: queries.compare_jobs(store, ids, score=score, alpha=alpha))


def _cache(request: Request):
    return request.app.state.responses
