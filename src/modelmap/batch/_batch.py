"""Run a batch job: plugins → data → keys → skip finished → execute → store, one commit each."""

from __future__ import annotations

import tempfile
import time
import uuid
from functools import partial
from pathlib import Path
from typing import Any


from modelmap import _gc
from modelmap.batch._claiming import claiming
from modelmap.batch._data import data_args, prepare_data, store_job
from modelmap.batch._report import BatchBreak, Events, JobReport, SilentEvents
from modelmap.batch._unavailable import split_unavailable
from modelmap.data import Bundle
from modelmap.errors import ArgumentError, StoreError
from modelmap.execution import Context, LocalExecutor, WorkItem
from modelmap.execution import graceful_interrupts
from modelmap.jobs import Job, content_hash
from modelmap.plugins import Registry
from modelmap.plugins.tools import validate_args
from modelmap.store import Store


class Batch:
    """Runs jobs against one store with one executor (reused across jobs)."""

    def __init__(self, store: Store, registry: Registry, *, workspace: Path | None = None,
                 executor: Any = None, force: bool = False, strict: bool = False,
                 break_on_error: bool = False, events: Events | None = None) -> None:
        self.store = store
        self.registry = registry
        self.workspace = workspace
        self.executor = executor or LocalExecutor()
        self.force = force
        self.strict = strict
        self.break_on_error = break_on_error
        self.events = events or SilentEvents()
        self.interrupts = 0
        if hasattr(self.executor, "on_start"):
            self.executor.on_start = lambda item: self.events.started(item.title)

    # -- checks ---------------------------------------------------------------------------
    def check(self, job: Job) -> list[str]:
        """Parameter problems of every classifier config (errors under ``--strict``)."""
        problems = []
        for config in job.classifiers:
            if self.registry.problem("classifier", config.method) is not None:
                continue  # recorded as failed with its import error (see _unavailable)
            plugin = self.registry.classifier(config.method)
            for message in validate_args(config.as_args(), plugin.info):
                problems.append(f"{config.source} ({config.title}): {message}")
        if self.strict:
            problems.extend(job.unknown_parameters)
            problems.extend(job.title_clashes)
            if problems:
                where = str(job.path) if job.path else job.title
                raise ArgumentError("--strict: invalid parameters or duplicate titles, nothing was "
                                    "trained:\n  "
                                    + "\n  ".join(problems), where=where,
                                    hint="fix the values, or run without --strict to use "
                                    "the plugins' defaults")
        for text in problems:
            self.events.notice(text)
        return problems

    # -- data -----------------------------------------------------------------------------
    def prepare(self, job: Job) -> tuple[Bundle, str]:
        """The job's prepared data and its data key (see :func:`prepare_data`)."""
        return prepare_data(job, self.registry, self.workspace, self.events.notice)

    # -- the run --------------------------------------------------------------------------
    def run(self, job: Job) -> JobReport:
        started = time.time()
        report = JobReport(job.title, job.data.dataset, n_classifiers=len(job.classifiers),
                           n_projections=len(job.projections))
        for text in job.notices:
            self.events.notice(text)
        self.check(job)
        if self._rerun_needs_nothing(job, report, started):
            return report
        bundle, data_key = self.prepare(job)
        summary = {**bundle.summary, "versions": library_versions()}
        job_id = store_job(self.store, job.title, bundle, data_args(job),
                           str(job.path) if job.path else None, job.to_dict(), data_key, summary)
        report.job_id = job_id
        items = self._items(job, data_key)
        done = set() if self.force else self.store.done_keys(job_id)
        todo = [i for i in items if i.key not in done]
        report.skipped = len(items) - len(todo)
        self.events.job_started(job.title, len(items), report.skipped)
        todo, unavailable = split_unavailable(self.registry, todo)
        if unavailable:
            self._store(job_id, [[result] for result in unavailable], report)
        if todo and hasattr(self.executor, "warm_up"):
            self.executor.warm_up(len(todo))  # workers start while projections are computed
        self._projections(job, bundle, data_key, job_id, report)
        with tempfile.TemporaryDirectory(prefix="modelmap-bundle-") as tmp:
            context = Context(bundle_path=str(bundle.save(Path(tmp))),
                              workspace=str(self.workspace) if self.workspace else None,
                              run_id=uuid.uuid4().hex)
            del bundle  # workers read the saved files; the driver keeps only the labels
            _gc.release_memory()
            notice = partial(self.events.notice, "Ctrl-C: finishing the running configs, "
                             "submitting no more (press Ctrl-C again to cancel them)")
            with graceful_interrupts(self.executor, notice) as interrupts, \
                    claiming(self.store, self.executor, job_id, todo) as claimed:
                for group in _groups(self.executor, context, claimed.items):
                    self._store(job_id, [results for _item, results in group], report)
            self.interrupts = interrupts.count
        if claimed.elsewhere:  # another run of this job trains them now
            report.skipped += len(claimed.elsewhere)
            self.events.notice(f"{len(claimed.elsewhere)} config(s) left to another run of "
                               "this job that is training them")
        report.interrupted = self.interrupts > 0
        if not report.interrupted:
            self._prune(job_id, {i.key for i in items})
        report.seconds = time.time() - started
        self.events.job_finished(report)
        return report

    def _rerun_needs_nothing(self, job: Job, report: JobReport, started: float) -> bool:
        """Finish a rerun of an unchanged job without loading its data, when every config
        and projection is in the store and the dataset plugin declares its data ``static``
        (the built-in scikit-learn datasets: fixed by the plugin's code, its arguments and
        the installed library versions).  The stored dataset fingerprint then gives the
        data key that loading would give, so nothing is imported or prepared in vain."""
        known = None if self.force else self._known_data_key(job)
        if known is None:
            return False
        job_id, data_key = known
        items = self._items(job, data_key)
        projections = {content_hash(data_key, "projection", c.method, c.as_args())
                       for c in job.projections}
        if not (projections <= {p["key"] for p in self.store.projections(job_id)}
                and {i.key for i in items} <= self.store.done_keys(job_id)):
            return False
        report.job_id = job_id
        report.skipped = len(items)
        self.events.job_started(job.title, len(items), report.skipped)
        self._prune(job_id, {i.key for i in items})
        report.seconds = time.time() - started
        self.events.job_finished(report)
        return True

    def _known_data_key(self, job: Job) -> tuple[int, str] | None:
        plugin = self.registry.dataset(job.data.dataset)
        if not plugin.info.get("static"):
            return None
        row = self.store.job(job.title)
        if row is None or content_hash(row["config"]) != content_hash(job.to_dict()):
            return None
        stored = next((d for d in self.store.datasets() if d["id"] == row["dataset_id"]), None)
        if stored is None or (stored["summary"] or {}).get("versions") != library_versions():
            return None
        data_key = content_hash(data_args(job), plugin.source_hash, stored["fingerprint"])
        return (row["id"], data_key) if data_key == row["data_key"] else None

    def _items(self, job: Job, data_key: str) -> list[WorkItem]:
        timeout = job.data.timeout
        items = []
        for config in job.classifiers:
            args = config.as_args()
            key = content_hash(data_key, config.method, args,
                               self.registry.source_hash("classifier", config.method))
            items.append(WorkItem(key=key, title=config.title, method=config.method, args=args,
                                  timeout=timeout))
        return items

    def _prune(self, job_id: int, current: set[str]) -> None:
        """Remove results of this job that no config of the job produces any more (its
        plugin code, data or parameters changed), so every config has one result."""
        stored = self.store.done_keys(job_id, statuses=("ok", "failed", "timeout"))
        stale = [k for k in stored if k.split(".f")[0] not in current]
        for key in sorted(stale, key=len):  # a mean result first: it takes its folds along
            try:
                self.store.delete_result(key, job=job_id)
            except StoreError:
                pass  # a fold result already removed with its mean result
        if stale:
            self.events.notice(f"removed {len(stale)} result(s) of configs that changed or "
                               "left the job")

    def _store(self, job_id: int, outcomes: list[list], report: JobReport) -> None:
        """Store the results of the configs that have finished (one transaction), then
        report each config."""
        self.store.add_results(job_id, [r for results in outcomes for r in results],
                               replace=True)
        failed = None
        for results in outcomes:
            head = results[0]
            report.trained += 1
            if not head.ok:
                report.errors.append((head.title, head.error or head.status))
                failed = failed or head
            self.events.result(head)
        if self.break_on_error and failed is not None:
            self.executor.stop()
            raise BatchBreak(failed)

    def _projections(self, job: Job, bundle: Bundle, data_key: str, job_id: int,
                     report: JobReport) -> None:
        from modelmap.projection import fitted_on, project

        if not job.projections:
            return
        done = {p["key"] for p in self.store.projections(job_id)} if not self.force else set()
        todo = [c for c in job.projections
                if content_hash(data_key, "projection", c.method, c.as_args()) not in done]
        if not todo:
            return
        rows = bundle.projection_rows()  # encoded and scaled as the job asks, on demand
        if any(not fitted_on(c.method, len(rows)) for c in todo):
            rows = rows.materialize()  # one encoded matrix for the projections that need it
        _gc.release_memory()  # the encoder's fitting left freed blocks on the heap
        for config in todo:
            key = content_hash(data_key, "projection", config.method, config.as_args())
            sample = fitted_on(config.method, len(rows))
            if sample:
                self.events.notice(f"data projection '{config.title}' ({config.method}): "
                                   f"fitted on a seeded sample of {sample:,} of the "
                                   f"{len(rows):,} samples, then applied to all of them")
            try:
                points = project(config.method, config.as_args(), rows)
                self.store.put_projection(job_id, key, config.title, config.method,
                                          dict(config.args), points)
                self.events.projection(config.title, None)
            except Exception as exc:  # noqa: BLE001 - record and go on
                error = f"{type(exc).__name__}: {exc}"
                report.projection_errors.append((config.title, error))
                self.events.projection(config.title, error)
                if self.break_on_error:
                    raise
        del rows
        _gc.release_memory()  # the driver keeps the points only


def _groups(executor: Any, context: Context, items: list[WorkItem]):
    """The executor's outcomes in groups of those at hand together (one group per outcome
    for executors that cannot tell)."""
    if hasattr(executor, "run_groups"):
        yield from executor.run_groups(context, items)
    else:
        for outcome in executor.run(context, items):
            yield [outcome]


def library_versions() -> dict[str, str]:
    """Versions of the libraries that make a ``static`` dataset and its split."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("modelmap", "scikit-learn", "numpy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "?"
    return out
