"""Shared helpers for the job tests: a fake plugin registry and error capture."""

from __future__ import annotations

from typing import Any

import pytest

from modelmap.errors import JobError
from modelmap.jobs import load_job

DATA = {"title": "Test job", "dataset": "iris"}


def param(name: str, kind: str = "integer", default: Any = 1) -> dict:
    return {"name": name, "description": name, "type": kind, "range": [0, 100], "default_value": default}


class FakeRegistry:
    """Duck-typed registry as load_job expects it."""

    def __init__(self) -> None:
        self.classifiers: dict[str, list[dict] | None] = {
            "optimal": [],
            "naive": [],
            "kneighbors": [param("n_neighbors", default=5)],
            "mlpc_keras": [
                param(name)
                for name in (
                    "activation", "dropout", "optimizer", "learning_rate_init",
                    "epochs", "batch_size", "early_stopping",
                )
            ],
            "svm": [param("C", "float"), param("kernel", "string"), param("degree")],
            "anything": None,
        }
        self.projections: dict[str, list[dict] | None] = {
            "pca": [param("random_state")],
            "tsne": [param("perplexity", "float"), param("random_state")],
        }
        self.datasets = ["iris", "table", "name_of_your_dataset"]

    def dataset_names(self) -> list[str]:
        return list(self.datasets)

    def classifier_names(self) -> list[str]:
        return list(self.classifiers)

    def projection_names(self) -> list[str]:
        return list(self.projections)

    def parameters(self, kind: str, name: str) -> list[dict] | None:
        table = {"classifier": self.classifiers, "projection": self.projections}[kind]
        return table[name]


def job(*classifiers: dict, data: dict | None = None, **top: Any) -> dict:
    """A job mapping with the given classifier entries."""
    return {"data": dict(DATA if data is None else data), "classifiers": list(classifiers), **top}


def meta(**keys: Any) -> dict:
    return {"is_meta": True, **keys}


def add(low: float, high: float, step: float) -> dict:
    return meta(min=low, max=high, step={"type": "add", "value": step})


def mul(low: float, high: float, factor: float) -> dict:
    return meta(min=low, max=high, step={"type": "multiply", "value": factor})


def error_of(source: Any, **kwargs: Any) -> str:
    """The text of the JobError that load_job raises for ``source``."""
    with pytest.raises(JobError) as info:
        load_job(source, **kwargs)
    return str(info.value)


def titles(source: Any, **kwargs: Any) -> list[str]:
    return [config.title for config in load_job(source, **kwargs).classifiers]
