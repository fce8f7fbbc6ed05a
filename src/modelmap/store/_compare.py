"""``Store.compare``: the comparison of one job's classifiers as a DataFrame."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("title", "score", "ci_low", "ci_high", "rank", "p_vs_best", "p_holm",
           "tied_with_best", "is_reference", "key")


def compare_frame(store: Any, job: int | str, score: str, alpha: float,
                  include_references: bool) -> pd.DataFrame:
    """One row per classifier (contenders by rank, then the references); ``attrs`` hold
    the job, score, α, and the names of the interval method and of the test."""
    import pandas as pd

    from modelmap.server.queries import compare_job

    out = compare_job(store, job, score=score, alpha=alpha,
                      include_references=include_references)
    rows = out["rows"] + out["references"]
    frame = pd.DataFrame([{c: row.get(c) for c in COLUMNS} for row in rows],
                         columns=list(COLUMNS))
    frame["rank"] = frame["rank"].astype("Int64")
    for column in ("score", "ci_low", "ci_high", "p_vs_best", "p_holm"):
        frame[column] = frame[column].astype("float64")
    frame.attrs.update({k: out[k] for k in ("job", "score", "alpha", "method", "test", "best",
                                            "notes")})
    return frame
