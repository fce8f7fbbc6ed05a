"""Many classifiers at once: a selection of one job (pairwise) and several jobs (ranks)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from modelmap.compare import (RESAMPLES, bootstrap_p, bootstrap_weights, check_score,
                              cochrans_q, fold_weights, higher_is_better, holm_matrix,
                              pairwise_mcnemar,
                              rank_analysis, weighted_scores)
from modelmap.errors import DataError, StoreError
from modelmap.queries._catalog import JobRef, find_job
from modelmap.queries._compare import _MEMO, _checked, versions
from modelmap.queries._errors import InvalidQueryError, NotFoundError
from modelmap.queries._json import clean
from modelmap.store import Store, is_reference, stored_score
from modelmap.store import comparison_data as load

MAX_PAIRWISE = 200
MAX_JOBS = 200


def compare_pairwise(store: Store, keys: Sequence[str], *, score: str = "test_accuracy",
                     alpha: float = 0.05, resamples: int = RESAMPLES,
                     job: JobRef | None = None) -> dict[str, Any]:
    """Every pair of the classifiers ``keys`` (result keys or unique prefixes, one job;
    give ``job`` when the same key is in several jobs, as in a re-run on the same data).

    Hold-out accuracy: Cochran's Q over the selection and exact McNemar for each pair;
    other scores: paired bootstrap for each pair; cross validation: Friedman over the
    folds and the z-test on average ranks for each pair.  Pairwise p-values are
    Holm-adjusted over all pairs (``p_holm``, square, ``None`` on the diagonal).
    """
    alpha = _checked(alpha, resamples)
    unique = list(dict.fromkeys(keys))
    if not 2 <= len(unique) <= MAX_PAIRWISE:
        raise InvalidQueryError(f"compare 2 to {MAX_PAIRWISE} classifiers; got {len(unique)}",
                                hint="give result keys separated by commas")
    found = find_job(store, job) if job is not None else None
    full = []
    for key in unique:
        try:
            full.append(store.resolve_key(key, None if job is None else found["id"]))
        except StoreError as exc:
            raise NotFoundError(exc.message, hint=exc.hint) from None
    try:
        job_ids = {found["id"]} if job is not None else {store.result(k)["job_id"]
                                                         for k in full}
    except StoreError as exc:  # a key in several jobs
        raise InvalidQueryError(exc.message, hint="give the job as well (job=...)") from None
    if len(job_ids) > 1:
        raise InvalidQueryError("the classifiers belong to different jobs",
                                hint="compare classifiers of one job (one data split)")
    job_id = job_ids.pop()
    memo = ("pairs", store.url, job_id, tuple(full), score, alpha, resamples,
            versions(store, [job_id]))
    return _MEMO.get(memo, lambda: _pairwise(store, job_id, full, score, alpha, resamples))


def _pairwise(store: Store, job_id: int, keys: list[str], score: str, alpha: float,
              resamples: int) -> dict[str, Any]:
    try:
        data = load(store, job_id, score)
    except DataError as exc:
        raise InvalidQueryError(exc.message, hint=exc.hint) from None
    where = {row["key"]: j for j, row in enumerate(data.rows)}
    missing = [k for k in keys if k not in where]
    if missing:
        raise InvalidQueryError(f"{len(missing)} classifier(s) cannot be compared (failed, or "
                                f"no stored test predictions): {', '.join(missing[:5])}")
    pick = [where[k] for k in keys]
    pred = data.pred[pick]
    proba = None if data.proba is None else data.proba[pick]
    truth = data.truth
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if truth.folds is not None:
            test, omnibus, raw, adjusted = _pairwise_folds(data, pred, proba, alpha)
        elif data.score == "accuracy":
            right = pred == truth.y[None]
            correct = right.reshape(len(pick), len(truth.y), -1).all(axis=2)
            q = cochrans_q(correct)
            omnibus = {"name": q.name, "statistic": q.statistic, "df": q.df, "p": q.p_value}
            raw, adjusted = pairwise_mcnemar(correct)
            test = "exact McNemar, Holm-adjusted"
        else:
            test, omnibus, raw, adjusted = _pairwise_bootstrap(data, pred, proba, resamples)
    return clean({"job": data.job["title"], "job_id": data.job["id"], "keys": keys,
                  "titles": [data.rows[j]["title"] for j in pick],
                  "score": f"test_{data.score}", "test": test, "omnibus": omnibus,
                  "p": _matrix(raw), "p_holm": _matrix(adjusted), "alpha": alpha})


def _matrix(values: np.ndarray) -> list[list[float | None]]:
    return [[None if not np.isfinite(v) else float(v) for v in row] for row in values]


def _pairwise_bootstrap(data, pred, proba, resamples):
    truth = data.truth
    weights = bootstrap_weights(len(truth.y), resamples, truth.seed)
    replicates = weighted_scores(data.score, truth.y, pred, proba, weights, truth.n_classes,
                                 truth.multilabel)
    raw = np.vstack([bootstrap_p(replicates, j) for j in range(pred.shape[0])])
    raw = np.minimum(raw, raw.T)  # the same test both ways; keep it symmetric
    omnibus = {"name": f"none (no omnibus test of test_{data.score} on a hold-out split)",
               "statistic": None, "df": None, "p": None}
    return (f"paired bootstrap ({resamples} resamples), Holm-adjusted", omnibus, raw,
            holm_matrix(raw))


def _pairwise_folds(data, pred, proba, alpha):
    truth = data.truth
    folds = weighted_scores(data.score, truth.y, pred, proba, fold_weights(truth.folds),
                            truth.n_classes, truth.multilabel)
    analysis = rank_analysis(folds, higher_is_better(data.score), alpha, post_hoc="ranks")
    omnibus = {"name": f"Friedman over {analysis.n_blocks} folds",
               "statistic": analysis.friedman_statistic, "df": folds.shape[1] - 1,
               "p": analysis.friedman_p, "critical_difference": analysis.critical_difference,
               "average_ranks": analysis.avg_ranks.tolist()}
    return ("z-test on average ranks over folds (Nemenyi-style), Holm-adjusted", omnibus,
            analysis.p_pairs, analysis.p_holm)


def compare_jobs(store: Store, jobs: Sequence[JobRef], *, score: str = "test_accuracy",
                 alpha: float = 0.05, by: str = "title") -> dict[str, Any]:
    """The classifiers (titles, or methods) that every job has, ranked in each job (data
    set): average ranks, Friedman, Iman-Davenport, Nemenyi critical difference, Holm-
    adjusted Wilcoxon signed-rank tests of every pair, and the cliques of a critical-
    difference diagram.  References are left out; ``by="method"`` takes each method's
    best configuration in each job."""
    alpha = _checked(alpha, RESAMPLES)
    if by not in ("title", "method"):
        raise InvalidQueryError(f"cannot group by {by!r}", hint="use title or method")
    found = [find_job(store, ref) for ref in dict.fromkeys(jobs)]
    if not 2 <= len(found) <= MAX_JOBS:
        raise InvalidQueryError(f"compare 2 to {MAX_JOBS} jobs; got {len(found)}",
                                hint="give the ids or titles of several jobs (data sets)")
    ids = [job["id"] for job in found]
    memo = ("jobs", store.url, tuple(ids), score, alpha, by, versions(store, ids))
    return _MEMO.get(memo, lambda: _jobs(store, found, score, alpha, by))


def _scores_by(store: Store, job: dict[str, Any], name: str, by: str) -> dict[str, float]:
    higher = higher_is_better(name)
    out: dict[str, float] = {}
    for row in store.result_rows(job["id"], include_folds=False,
                                 columns=("title", "method", "status", "scores")):
        value = stored_score(row, name)
        if row["status"] != "ok" or is_reference(row) or value is None or not np.isfinite(value):
            continue
        group = row[by]
        if group not in out or (value > out[group] if higher else value < out[group]):
            out[group] = value
    return out


def _jobs(store: Store, found: list[dict[str, Any]], score: str, alpha: float,
          by: str) -> dict[str, Any]:
    name = score[5:] if score.startswith("test_") else score
    try:
        check_score(name, False)
    except DataError:
        try:
            check_score(name, True)
        except DataError as exc:
            raise InvalidQueryError(exc.message, hint=exc.hint) from None
    per_job = [_scores_by(store, job, name, by) for job in found]
    common = sorted(set.intersection(*(set(s) for s in per_job)))
    dropped = sorted(set.union(*(set(s) for s in per_job)) - set(common))
    scores = np.array([[s[t] for t in common] for s in per_job]).reshape(len(found), len(common))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        a = rank_analysis(scores, higher_is_better(name), alpha, post_hoc="wilcoxon")
    k = len(common)
    pairs = [{"a": common[i], "b": common[j], "p": a.p_pairs[i, j], "p_holm": a.p_holm[i, j]}
             for i in range(k) for j in range(i + 1, k)]
    notes = [f"{len(dropped)} {by}(s) not in every job are left out: "
             + ", ".join(dropped[:10])] if dropped else []
    if k < 2:
        notes.append(f"fewer than two {by}s are in every job: nothing to rank"
                     + (" (try by method)" if by == "title" else ""))
    return clean({
        "jobs": [job["title"] for job in found], "job_ids": [job["id"] for job in found],
        "score": f"test_{name}", "by": by, "alpha": alpha, "n_datasets": len(found),
        "titles": common, "scores": {t: scores[:, i].tolist() for i, t in enumerate(common)},
        "average_ranks": {t: float(a.avg_ranks[i]) for i, t in enumerate(common)},
        "friedman_statistic": a.friedman_statistic, "friedman_p": a.friedman_p,
        "iman_davenport_F": a.iman_davenport_F, "iman_davenport_p": a.iman_davenport_p,
        "critical_difference": a.critical_difference,
        "method": f"average ranks over {len(found)} jobs (1 = best); Friedman and "
                  f"Iman-Davenport tests; Nemenyi critical difference at α={alpha:g}",
        "test": "Wilcoxon signed-rank test of each pair over the jobs, Holm-adjusted",
        "pairs": pairs, "cliques": [[common[i] for i in group] for group in a.cliques],
        "dropped": dropped, "notes": notes,
    })
