"""Evaluating candidates with the framework: validation folds, work items, executor, store.

The data is prepared once, exactly as ``modelmap run`` prepares it.  Candidates are
trained on a *validation bundle* (stratified folds inside the training part; the test
set is not in it at all) through the executor's ``run(context, items)`` seam, so worker
processes, time limits and fault isolation are those of a batch run.  Every result is
stored at once in the job ``"<title> · tuning"``, tagged with the run, the strategy and
the round or step.  The chosen configs are trained on the whole training set and scored
on the test set afterwards, in the job ``"<title> · tuning · test"``.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from modelmap.batch import data_args, prepare_data, store_job
from modelmap.data import CV_TRAIN, Bundle, validation_bundle
from modelmap.execution import Context, WorkItem, time_limit
from modelmap.jobs import content_hash
from modelmap.store import Store
from modelmap.training import TrainResult
from modelmap.tuning._job import TuningJob
from modelmap.tuning._strategy import Candidate, Trial

@dataclass
class _Stage:
    """Data for one stage (validation or test): the job in the store and the bundle files."""

    job_title: str
    job_id: int
    data_key: str
    context: Context


class Evaluator:
    """Trains candidates for one tuning job; the driver writes the store, workers train."""

    def __init__(self, tjob: TuningJob, store: Store, registry: Any, executor: Any,
                 workspace: Path | None = None) -> None:
        self.tjob = tjob
        self.store = store
        self.registry = registry
        self.executor = executor
        self.workspace = workspace
        self.metric = tjob.settings.metric
        self._tmp = tempfile.TemporaryDirectory(prefix="modelmap-tune-")
        self.bundle: Bundle | None = None
        self.validation: _Stage | None = None
        self.test: _Stage | None = None

    def close(self) -> None:
        self._tmp.cleanup()

    # -- data ---------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Prepare the data once and register the tuning job in the store."""
        job, settings = self.tjob.job, self.tjob.settings
        bundle, data_key = prepare_data(job, self.registry, self.workspace)
        self.bundle = bundle
        folds = validation_bundle(bundle, settings.cv, settings.random_state)
        key = content_hash(data_key, "validation", folds.fingerprint)
        self.validation = self._stage(f"{job.title} · tuning", folds, key)

    def choose_fidelity(self) -> Any:
        """A multi-fidelity evaluator's (fidelity, line naming its rungs); None here."""
        return None

    @property
    def has_test(self) -> bool:
        b = self.bundle
        return b is not None and len(b.y_test) > 0 and b.mode != CV_TRAIN

    def prepare_test(self) -> None:
        assert self.bundle is not None
        key = content_hash(self.validation.data_key if self.validation else "", "test",
                           self.bundle.fingerprint)
        self.test = self._stage(f"{self.tjob.title} · tuning · test", self.bundle, key)

    def _stage(self, title: str, bundle: Bundle, data_key: str) -> _Stage:
        config = {**self.tjob.job.to_dict(), "tuning": dict(self.tjob.raw.get("tuning") or {})}
        config.pop("projections", None)
        path = str(self.tjob.path) if self.tjob.path else None
        job_id = store_job(self.store, title, bundle, data_args(self.tjob.job), path, config,
                           data_key)
        folder = Path(self._tmp.name) / title.replace(" ", "_")
        context = Context(bundle_path=str(bundle.save(folder)),
                          workspace=str(self.workspace) if self.workspace else None,
                          run_id=uuid.uuid4().hex)  # plugins looked up once per stage
        return _Stage(title, job_id, data_key, context)

    # -- candidates ---------------------------------------------------------------------------
    def item(self, candidate: Candidate, run_id: str, stage: _Stage,
             timeout: float | None = None) -> WorkItem:
        family = self.tjob.space.families[candidate.family]
        title = family.render_title(candidate.values)
        args = {**family.config_args(candidate.values), "title": title, "method": family.method}
        plugin = self.registry.classifier(family.method)
        key = content_hash(stage.data_key, family.method, args, plugin.source_hash, run_id)
        return WorkItem(key=key, title=title, method=family.method, args=args,
                        timeout=time_limit(self.tjob.job.data.timeout, timeout))

    def run(self, stage: _Stage, items: list[WorkItem], tags: Callable[[WorkItem], dict],
            on_result: Callable[[WorkItem, TrainResult], None] | None = None
            ) -> dict[str, TrainResult]:
        """Train ``items``; store each result with its tags as soon as it is done."""
        done: dict[str, TrainResult] = {}
        for item, results in self.executor.run(stage.context, items):
            results = [r.replace(tags={**r.tags, **tags(item)}) for r in results]
            for result in results:
                self.store.add_result(stage.job_id, result, replace=True)
            done[item.key] = results[0]
            if on_result is not None:
                on_result(item, results[0])
        return done

    def trial(self, number: int, candidate: Candidate, item: WorkItem, result: TrainResult,
              reused: bool = False) -> Trial:
        validation = result.scores.get("test", {})
        score = validation.get(self.metric) if result.ok else None
        error = result.error
        status = result.status
        if result.ok and score is None:
            status, error = "failed", f"the result has no '{self.metric}' score"
        seconds = max(0.0, result.finished_at - result.started_at) or result.times.get(
            "total", 0.0)
        return Trial(number, candidate, item.title, item.key, status, score,
                     result.scores.get("test_std", {}).get(self.metric),
                     result.times.get("fit"), seconds, error, reused, dict(validation))

    def stored(self, run_id: str) -> dict[str, TrainResult]:
        """Results of this run already in the store (for ``--resume``), by key."""
        assert self.validation is not None
        frame = self.store.results(self.validation.job_id)
        if frame.empty or "tag_tuning_run" not in frame:
            return {}
        keys = frame.loc[frame["tag_tuning_run"] == run_id, "key"]
        found = {}
        for key in keys:
            record = self.store.train_result(key, job=self.validation.job_id)
            if record is not None:
                found[key] = record
        return found

    def test_scores(self, entries: Iterable[tuple[Candidate, str]], run_id: str,
                    strategy: str, on_result: Callable | None = None) -> dict[str, dict]:
        """Test scores of configs (by signature): trained on all training data, scored once."""
        if not self.has_test:
            return {}
        if self.test is None:
            self.prepare_test()
        assert self.test is not None
        items, signatures = [], {}
        for candidate, signature in entries:
            item = self.item(candidate, "test", self.test)
            if item.key not in signatures:
                items.append(item)
            signatures.setdefault(item.key, []).append(signature)
        finished = self.store.done_keys(self.test.job_id)
        todo = [i for i in items if i.key not in finished]
        tags = {"tuning_run": run_id, "strategy": strategy, "stage": "test"}
        done = self.run(self.test, todo, lambda item: tags, on_result)
        scores: dict[str, dict] = {}
        for item in items:
            result = done.get(item.key) or self.store.train_result(item.key, job=self.test.job_id)
            if result is None:
                continue
            entry = {"status": result.status, **result.scores.get("test", {})}
            for signature in signatures[item.key]:
                scores[signature] = entry
        return scores


def results_frame(store: Store, job_title: str, run_id: str) -> pd.DataFrame:
    """The stored candidates of one run (one row each, the store's columns)."""
    frame = store.results(job_title)
    if frame.empty or "tag_tuning_run" not in frame:
        return frame.iloc[0:0]
    return frame[frame["tag_tuning_run"] == run_id].reset_index(drop=True)
