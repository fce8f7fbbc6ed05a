"""modelmap: train, compare, tune and visualize tens to thousands of classifier configurations.

The public API is small::

    import modelmap

    job = modelmap.load_job("jobs/iris.json")
    report = modelmap.run_job(job, store="modelmap.db", n_jobs=2)
    df = modelmap.Store("modelmap.db").results(job="Iris")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["load_job", "run_job", "tune", "Store", "Registry", "StepSearchCV", "ModelmapError",
           "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from modelmap.errors import ModelmapError
    from modelmap.jobs import load_job
    from modelmap.plugins import Registry
    from modelmap.store import Store
    from modelmap.tuning import StepSearchCV, tune

_LAZY = {
    "load_job": ("modelmap.jobs", "load_job"),
    "Store": ("modelmap.store", "Store"),
    "Registry": ("modelmap.plugins", "Registry"),
    "ModelmapError": ("modelmap.errors", "ModelmapError"),
    "StepSearchCV": ("modelmap.tuning", "StepSearchCV"),
    "tune": ("modelmap.tuning", "tune"),
}


def __getattr__(name: str) -> Any:  # imports heavy modules only when used
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'modelmap' has no attribute {name!r}")


def run_job(job: Any, *, store: Any = "modelmap.db", workspace: Any = None,
            n_jobs: int | None = None, force: bool = False, strict: bool = False,
            timeout: float | None = None) -> Any:
    """Run one batch job (a path, a dict or a loaded Job) and return its JobReport.

    ``store`` is a Store or a URL/path; ``workspace`` is the folder whose ``plugins/``
    should be used (default: none, built-in and installed plugins only).
    """
    from modelmap.batch import Service

    service = Service.open(workspace=workspace, store=store, n_jobs=n_jobs, timeout=timeout)
    loaded = service.load_job(job)  # an invalid job opens no store and starts no worker
    with service:
        return service.batch(force=force, strict=strict).run(loaded)
