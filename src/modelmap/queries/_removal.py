"""What a delete would remove, before it does (``modelmap cache rm`` asks with it).

:func:`removal_plan` resolves and checks every target first (result keys, a job, a
dataset), so that nothing is removed when one of them names nothing; :func:`remove` then
deletes one step through the ``delete_*`` functions of :mod:`modelmap.queries._admin`
(which check ids and forget the cached listings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from modelmap.queries import _admin
from modelmap.queries._catalog import JobRef, find_job, list_jobs
from modelmap.queries._results import resolve_result
from modelmap.store import Store


@dataclass(frozen=True)
class Removal:
    """One step of a plan: ``kind`` is ``result``, ``job``, ``dataset``, ``failed`` or
    ``maps``; ``target`` the result id, job id or dataset name (``None`` for the last two);
    ``text`` says what goes, in words (``result 4ab1dc71e2f3 KNN 3 (job Iris)``)."""

    kind: str
    target: int | str | None
    text: str


def removal_plan(store: Store, *, keys: Sequence[str] = (), job: JobRef | None = None,
                 dataset: str | None = None, failed: bool = False,
                 maps: bool = False) -> list[Removal]:
    """The steps that remove the results with these key prefixes (in ``job``, if given),
    else the ``job``; the ``dataset``; every failed or timed-out result; the map cache."""
    plan: list[Removal] = []
    for key in keys:
        row = resolve_result(store, key, job)
        plan.append(Removal("result", int(row["id"]),
                            f"result {row['key'][:12]} {row['title']} (job {row['job']})"))
    if job is not None and not keys:
        found = find_job(store, job)
        plan.append(Removal("job", int(found["id"]),
                            f"job {found['title']} with {found['n_results']} result(s)"))
    if dataset is not None:
        jobs = list_jobs(store, dataset=dataset)
        n = sum(j["n_results"] for j in jobs)
        plan.append(Removal("dataset", dataset, f"dataset {dataset} with {len(jobs)} job(s) "
                            f"and {n} result(s)"))
    if failed:
        n = sum(c for j in list_jobs(store) for k, c in j["counts"].items() if k != "ok")
        plan.append(Removal("failed", None, f"{n} failed or timed-out result(s)"))
    if maps:
        n = sum(r["items"] for r in _admin.sizes(store) if r["kind"] == "maps")
        plan.append(Removal("maps", None, f"{n} cached classifier map(s)"))
    return plan


def remove(store: Store, step: Removal) -> dict[str, int]:
    """Carry out one step of :func:`removal_plan`; the counts of what was deleted."""
    actions: dict[str, Any] = {
        "result": lambda: _admin.delete_result(store, int(step.target)),  # type: ignore[arg-type]
        "job": lambda: _admin.delete_job(store, int(step.target)),  # type: ignore[arg-type]
        "dataset": lambda: _admin.delete_dataset(store, str(step.target)),
        "failed": lambda: _admin.delete_failed(store),
        "maps": lambda: _admin.delete_maps(store),
    }
    return actions[step.kind]()
