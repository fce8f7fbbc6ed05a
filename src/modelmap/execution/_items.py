"""Units of work shipped to workers, and the function workers run."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any

from modelmap.training import PLUGIN_EXITS, STATUS_FAILED, TrainResult, describe_exit


def time_limit(*limits: float | None) -> float | None:
    """The one rule for a config's time limit: the smallest of the limits that are set
    (the job's data ``timeout``, ``--timeout`` of ``run`` and ``tune``, and for ``tune``
    the time left of its budget); ``None`` when none is.  Neither overrides the other."""
    given = [limit for limit in limits if limit is not None]
    return min(given) if given else None


@dataclass(frozen=True)
class WorkItem:
    """One classifier configuration to train."""

    key: str
    title: str
    method: str
    args: dict[str, Any]  # full plugin args, including title and method
    timeout: float | None = None
    attempts: int = 0

    def failed(self, error: str, status: str = STATUS_FAILED, **extra: Any) -> TrainResult:
        return TrainResult(key=self.key, title=self.title, method=self.method,
                           args={k: v for k, v in self.args.items()
                                 if k not in ("title", "method")},
                           status=status, error=error, **extra)


@dataclass(frozen=True)
class Context:
    """What every worker needs besides the item: where the data is, where plugins are."""

    bundle_path: str
    workspace: str | None = None
    run_id: str = ""  # plugins are looked up once per run and worker, not per item


_PLUGINS: dict[tuple, Any] = {}


def run_items(context: Context, items: list[WorkItem]) -> list[list[TrainResult]]:
    """Train each item in this process."""
    return [run_item(context, item) for item in items]


def run_item(context: Context, item: WorkItem) -> list[TrainResult]:
    """Train one item in this process; plugin errors become a failed result."""
    from modelmap.data import load_bundle
    from modelmap.plugins import load_plugin
    from modelmap.training import train_config

    try:
        bundle = load_bundle(context.bundle_path)
        cache_key = (context.run_id, context.workspace, item.method)
        plugin = _PLUGINS.get(cache_key) if context.run_id else None
        if plugin is None:
            plugin = load_plugin("classifier", item.method, context.workspace)
            if len(_PLUGINS) > 256:
                _PLUGINS.clear()
            _PLUGINS[cache_key] = plugin
    except (Exception, *PLUGIN_EXITS) as exc:  # noqa: BLE001 - report, don't crash the worker
        error = describe_exit(exc) if isinstance(exc, PLUGIN_EXITS) else \
            f"{type(exc).__name__}: {exc}"
        return [item.failed(error, traceback=traceback.format_exc())]
    return train_config(bundle, plugin.module, item.args, key=item.key,
                        plugin_hash=plugin.source_hash)
