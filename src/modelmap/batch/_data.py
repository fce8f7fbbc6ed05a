"""A job's data: loaded by its dataset plugin, prepared, checked and registered in the store.

Shared by a batch run (:class:`~modelmap.batch.Batch`) and a tuning run (its evaluator),
so both prepare, check and key the data the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from modelmap import _gc
from modelmap.data import Bundle, call_get_data, class_names_as_strings, prepare
from modelmap.errors import DataError, ModelmapError
from modelmap.execution import watch_sigint
from modelmap.jobs import Job, content_hash
from modelmap.plugins import Registry
from modelmap.store import Store
from modelmap.training import PLUGIN_EXITS, describe_exit

#: The built-in reference classifiers never look at X, so NaN in it is no matter to them.
_REFERENCES = frozenset({"optimal", "naive", "optimal_multi_label"})

Notice = Callable[[str], None]


def data_args(job: Job) -> dict[str, Any]:
    """The job's data section without the keys that do not change what is trained
    (:data:`modelmap.jobs.NOT_IN_KEY`)."""
    return job.data.key_args()


def prepare_data(job: Job, registry: Registry, workspace: Path | None = None,
                 notice: Notice | None = None) -> tuple[Bundle, str]:
    """The job's data from its dataset plugin, prepared (split, folds), and its data key.

    A failing ``get_data()`` raises :class:`DataError` naming the plugin, and so do
    classifiers that cannot take the NaN a ``missing: "keep"`` job keeps; ``notice`` gets
    what the user should know (class names given as numbers, the preparation's notices).
    """
    name = job.data.dataset
    plugin = registry.dataset(name)
    try:
        with watch_sigint() as sigint:
            raw = call_get_data(plugin.module, plugin.path.parent,
                                _data_args_for_plugin(job, workspace))
    except ModelmapError:
        raise
    except PLUGIN_EXITS as exc:  # sys.exit() in get_data is a failure, not success
        if isinstance(exc, KeyboardInterrupt) and sigint.pressed:
            raise  # the user pressed Ctrl-C
        raise DataError(f"get_data() failed: {describe_exit(exc)}",
                        where=f"dataset plugin '{name}' ({plugin.path})",
                        hint="run with --debug for the full traceback") from exc
    except Exception as exc:  # noqa: BLE001 - show the plugin's own error
        raise DataError(f"get_data() failed: {type(exc).__name__}: {exc}",
                        where=f"dataset plugin '{name}' ({plugin.path})",
                        hint="run with --debug for the full traceback") from exc
    notice = notice or (lambda text: None)
    _class_name_notice(name, raw, notice)
    bundle = prepare(raw, job.data, dataset=name,
                     info_class_names=class_names_as_strings(plugin.info.get("class_names"))
                     or None)
    del raw  # the plugin's own arrays or DataFrame: the bundle holds what is needed
    for text in bundle.notices:
        notice(text)
    check_missing_support(job, bundle, registry)
    _gc.settle()  # the heavy modules are loaded (a no-op outside the command line)
    _gc.release_memory()  # what reading and preparing freed goes back to the system
    return bundle, content_hash(data_args(job), plugin.source_hash, bundle.fingerprint)


def store_job(store: Store, title: str, bundle: Bundle, args: Mapping[str, Any],
              path: str | None, config: Mapping[str, Any], data_key: str,
              summary: Mapping[str, Any] | None = None) -> int:
    """Register the dataset and the job (with its label arrays) in the store; the job's id."""
    dataset_id = store.put_dataset(bundle.dataset, bundle.fingerprint, dict(args),
                                   dict(summary if summary is not None else bundle.summary))
    arrays = {"y_train": bundle.y_train, "y_test": bundle.y_test}
    if bundle.folds is not None:
        arrays["folds"] = bundle.folds
    return store.put_job(title, dataset_id, path, dict(config), data_key, arrays=arrays)


def check_missing_support(job: Job, bundle: Bundle, registry: Registry) -> None:
    """Under ``missing: "keep"`` every classifier must take NaN; refuse the job before
    anything runs."""
    if not bundle.columns or bundle.columns.get("missing") != "keep":
        return
    if not (np.isnan(bundle.X_train).any() or np.isnan(bundle.X_test).any()):
        return
    specs = bundle.data_specs()
    refused = sorted({c.method for c in job.classifiers
                      if not _takes_nan(registry, c.method, c.as_args(), specs)})
    if refused:
        takes = sorted(n for n in registry.classifier_names()
                       if _takes_nan(registry, n, {"title": n, "method": n}, specs))
        raise DataError(
            f"the data has missing values, kept as NaN (data.missing = \"keep\"), but "
            f"{', '.join(refused)} cannot take NaN; nothing was trained",
            where="data.missing",
            hint='set "missing": "impute" (the default) or "drop", or use only '
                 f"classifiers that take missing values: {', '.join(takes) or 'none'}")


def _takes_nan(registry: Registry, method: str, args: dict, specs: dict) -> bool:
    """A plugin declares ``"missing_values": True`` in its info, or wraps a scikit-learn
    estimator whose tags allow NaN (hist gradient boosting, trees, ...)."""
    plugin = registry.classifier(method)
    if plugin.info.get("missing_values") or (method in _REFERENCES
                                             and plugin.origin == "builtin"):
        return True
    try:
        clf = plugin.module.get_clf(dict(args), specs)
    except Exception:  # noqa: BLE001 - a config that cannot be built is not NaN-safe
        return False
    from sklearn.utils import get_tags

    for estimator in (getattr(clf, "clf", None), clf):
        if estimator is not None and hasattr(estimator, "__sklearn_tags__"):
            try:
                return bool(get_tags(estimator).input_tags.allow_nan)
            except Exception:  # noqa: BLE001 - tags of a foreign object
                return False
    return False


def _class_name_notice(name: str, raw: Any, notice: Notice) -> None:
    names = raw.get("class_names") if isinstance(raw, dict) else None
    if isinstance(names, (list, tuple, np.ndarray)) and len(names) and any(
            not isinstance(n, str) for n in names):
        shown = class_names_as_strings(names)
        notice(f"dataset plugin '{name}' gives class_names as numbers; they are used as the "
               f"strings {shown}")


def _data_args_for_plugin(job: Job, workspace: Path | None) -> dict:
    """The data section, with a relative ``path`` resolved against the workspace (or the job
    file's folder) when the file is found there."""
    data = dict(job.data)
    raw = data.get("path")
    if isinstance(raw, str) and raw and not Path(raw).expanduser().is_absolute():
        roots = [r for r in (workspace, job.path.parent if job.path else None) if r]
        for root in roots:
            if (Path(root) / raw).exists():
                data["path"] = str(Path(root) / raw)
                break
    return data
