"""PNG plots of a tuning run (matplotlib, Agg backend): scores and cumulative time."""

from __future__ import annotations

import pandas as pd


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def plot_scores(frame: pd.DataFrame, path: str, metric: str) -> str:
    """Best and top-list mean validation score over the evaluations."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=100)
    x = frame["iteration"]
    ok = frame["status"] == "ok"
    ax.scatter(x[ok], frame.loc[ok, "mean_test_score"], s=10, color="#bbbbbb",
               label="candidate")
    ax.plot(x, frame["best_score"], color="#1f77b4", linewidth=2, label="best")
    ax.plot(x, frame["top_mean_score"], color="#ff7f0e", linewidth=1.5, label="top-list mean")
    failed = ~ok
    if failed.any():
        low = frame["mean_test_score"].min(skipna=True)
        ax.scatter(x[failed], [low] * int(failed.sum()), marker="x", color="#d62728",
                   label="failed")
    ax.set_xlabel("evaluation")
    ax.set_ylabel(f"validation {metric}")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def plot_time(frame: pd.DataFrame, path: str) -> str:
    """Cumulative mean fit time and wall time of the evaluations."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=100)
    x = frame["iteration"]
    ax.plot(x, frame["cumulative_seconds"], color="#2ca02c", linewidth=2,
            label="candidate time (all folds)")
    ax.plot(x, frame["cumulative_fit_time"], color="#9467bd", linewidth=1.5,
            label="mean fit time")
    ax.set_xlabel("evaluation")
    ax.set_ylabel("cumulative seconds")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
