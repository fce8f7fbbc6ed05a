"""The immutable record of one trained configuration."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Status values a result can have.
STATUS_OK = "ok"
STATUS_FAILED = "failed"
STATUS_TIMEOUT = "timeout"
STATUSES = (STATUS_OK, STATUS_FAILED, STATUS_TIMEOUT)


@dataclass(frozen=True)
class TrainResult:
    """Everything known about one trained (or failed) classifier configuration.

    ``scores`` maps a split to a dict of score name -> value:
    ``{"train": {...}, "test": {...}}``; cross-validated results also carry
    ``"test_std"``/``"train_std"`` (standard deviation over folds).  Confusion matrices
    are kept in ``arrays`` (``confusion_test``/``confusion_train``), never in ``scores``.

    ``arrays`` holds NumPy arrays: ``pred_test``, ``proba_test``, ``pred_train``,
    ``proba_train``, ``confusion_test``, ``confusion_train`` — each optional.

    ``times`` holds seconds: ``fit``, ``predict_train``, ``predict_test``, ``total``.
    ``history`` is a Keras-like ``{"loss": [...], "val_accuracy": [...]}`` or ``None``.
    ``fold`` is set on per-fold results (``save_clfs_for_folds``); ``parent_key`` then
    names the mean result they belong to.  ``tags`` are free-form labels a caller
    attaches (a tuning run tags each candidate with its run, round or step).
    """

    key: str
    title: str
    method: str
    args: dict[str, Any]
    status: str = STATUS_OK
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)
    history: dict[str, list[float]] | None = None
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    log: str = ""
    error: str | None = None
    traceback: str | None = None
    machine: dict[str, Any] = field(default_factory=dict)
    fold: int | None = None
    parent_key: str | None = None
    plugin_hash: str = ""
    tags: dict[str, Any] = field(default_factory=dict)
    started_at: float = 0.0
    finished_at: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK

    def replace(self, **changes: Any) -> TrainResult:
        return dataclasses.replace(self, **changes)

    def summary_line(self) -> str:
        """One line for the terminal: title, accuracies and times, or the error."""
        if not self.ok:
            first = (self.error or "").strip().splitlines()
            return f"{self.title}: {self.status.upper()} {first[-1] if first else ''}".rstrip()
        train = self.scores.get("train", {}).get("accuracy")
        test = self.scores.get("test", {}).get("accuracy")
        parts = [self.title]
        if train is not None:
            parts.append(f"train {train:.3f}")
        if test is not None:
            parts.append(f"test {test:.3f}")
        parts.append(f"fit {self.times.get('fit', 0.0):.2f}s")
        return "  ".join(parts)
