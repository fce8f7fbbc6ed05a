"""The prepared data every classifier of a job is trained on."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

ARRAY_FIELDS = ("X_train", "y_train", "X_test", "y_test")

#: Cross-validation modes of a bundle.
HOLDOUT, CV_TRAIN, CV_TEST = "holdout", "cv", "cv_test"


@dataclass(frozen=True, eq=False)
class Split:
    """One train/test split: indices into ``X_train`` and into the test source."""

    fold: int | None
    train_idx: np.ndarray
    test_idx: np.ndarray
    test_from_train: bool  # True: test rows come from X_train (cross validation)


@dataclass(frozen=True, eq=False)
class Bundle:
    """Validated, split and subsampled data plus what classifier plugins are told about it.

    ``folds`` (0-based fold index per sample) is set in cross-validation modes: over
    ``X_train`` for ``mode == "cv"``, over ``X_test`` for ``mode == "cv_test"``
    (``cv_folds_for_test_only``).  Scaling is applied per split by the trainer so that
    the scaler only ever sees training rows.
    """

    dataset: str
    job_title: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    specs: dict[str, Any]
    mode: str = HOLDOUT
    folds: np.ndarray | None = None
    scale: bool = False
    multilabel: bool = False
    save_folds: bool = False
    fingerprint: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    #: The column plan of a table (``_columns``): which input column became which feature,
    #: how each is encoded per split; None for plain numeric arrays.
    columns: dict[str, Any] | None = None
    #: Whether results keep their predictions and probabilities on the training rows.
    save_train: bool = True
    #: Every choice made while preparing the data, for the front end to print once.
    notices: tuple[str, ...] = ()

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    @property
    def encoded(self) -> bool:
        """True when the trainer must encode (or scale) each split before fitting."""
        return self.scale or self.columns is not None

    def encode_split(self, X_train: np.ndarray, X_test: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
        """A split's rows encoded (imputed, one-hot, scaled) by transformers fitted on
        ``X_train`` only."""
        from modelmap.data._encode import encode_split

        return encode_split(self.columns, self.scale, X_train, X_test)

    def projection_features(self) -> np.ndarray:
        """Train then test rows, encoded for a data projection (fitted on train rows)."""
        return self.projection_rows().materialize()

    def projection_rows(self) -> Any:
        """Train then test rows for a data projection, encoded on demand
        (a :class:`~modelmap.data._encode.ProjectionRows`: ``take``, ``chunks``,
        ``materialize``), so a large table need not be held encoded as a whole."""
        from modelmap.data._encode import ProjectionRows

        return ProjectionRows(self.columns, self.scale, self.X_train, self.X_test)

    @property
    def n_folds(self) -> int:
        return 0 if self.folds is None else int(self.folds.max()) + 1

    def data_specs(self) -> dict[str, Any]:
        """What ``get_clf(args, data_specs)`` receives: the plugin's specs plus job facts."""
        specs = {k: v for k, v in self.specs.items() if k != "cv_folds"}
        specs.update(
            job_title=self.job_title,
            dataset_name=self.dataset,
            num_classes=self.num_classes,
            class_names=list(self.class_names),
            multi_label=self.multilabel,
        )
        if self.folds is not None:
            specs["cv_folds"] = self.specs.get("cv_folds")
        return specs

    def splits(self) -> list[Split]:
        n_train, n_test = len(self.y_train), len(self.y_test)
        if self.mode == CV_TRAIN and self.folds is not None:
            return [
                Split(f, np.flatnonzero(self.folds != f), np.flatnonzero(self.folds == f), True)
                for f in range(self.n_folds)
            ]
        if self.mode == CV_TEST and self.folds is not None:
            everything = np.arange(n_train)
            return [
                Split(f, everything, np.flatnonzero(self.folds == f), False)
                for f in range(self.n_folds)
            ]
        return [Split(None, np.arange(n_train), np.arange(n_test), False)]

    # -- files a worker can load (no pickle: .npy arrays and JSON) -------------------------
    def save(self, folder: Path) -> Path:
        """Write the bundle to ``folder/<fingerprint>`` once and return that path."""
        path = Path(folder) / self.fingerprint
        if (path / "meta.json").exists():
            return path
        tmp = Path(folder) / f".{self.fingerprint}.{os.getpid()}"
        tmp.mkdir(parents=True, exist_ok=True)
        for name in ARRAY_FIELDS:
            np.save(tmp / f"{name}.npy", getattr(self, name), allow_pickle=False)
        if self.folds is not None:
            np.save(tmp / "folds.npy", self.folds, allow_pickle=False)
        meta = {
            "dataset": self.dataset,
            "job_title": self.job_title,
            "class_names": list(self.class_names),
            "specs": _jsonable(self.specs),
            "mode": self.mode,
            "scale": self.scale,
            "multilabel": self.multilabel,
            "save_folds": self.save_folds,
            "fingerprint": self.fingerprint,
            "summary": self.summary,
            "columns": self.columns,
            "save_train": self.save_train,
            "notices": list(self.notices),
        }
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        try:
            tmp.rename(path)
        except OSError:  # another process won the race
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
        return path


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return {"__ndarray__": value.tolist(), "dtype": str(value.dtype)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if "__ndarray__" in value:
            return np.asarray(value["__ndarray__"], dtype=value["dtype"])
        return {k: _from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return value


@lru_cache(maxsize=4)
def load_bundle(path: str) -> Bundle:
    """Load a bundle written by :meth:`Bundle.save` (cached per worker process)."""
    folder = Path(path)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    arrays = {n: np.load(folder / f"{n}.npy", allow_pickle=False) for n in ARRAY_FIELDS}
    folds_file = folder / "folds.npy"
    folds = np.load(folds_file, allow_pickle=False) if folds_file.exists() else None
    specs = _from_json(meta["specs"])
    if "original_shape" in specs and isinstance(specs["original_shape"], list):
        specs["original_shape"] = tuple(specs["original_shape"])
    return Bundle(
        dataset=meta["dataset"],
        job_title=meta["job_title"],
        class_names=tuple(meta["class_names"]),
        specs=specs,
        mode=meta["mode"],
        folds=folds,
        scale=meta["scale"],
        multilabel=meta["multilabel"],
        save_folds=meta["save_folds"],
        fingerprint=meta["fingerprint"],
        summary=meta["summary"],
        columns=meta.get("columns"),
        save_train=meta.get("save_train", True),
        notices=tuple(meta.get("notices", ())),
        **arrays,
    )
