"""Evaluating candidates at a fidelity: a nested subsample of the validation data, or a
cost parameter set to the rung's value.

A subsample rung trains and validates on its rows of the validation folds (each row keeps
its fold), as scikit-learn's ``HalvingRandomSearchCV`` does with ``n_samples``; its bundle
is written once per fidelity.  Results go into the same store job as every candidate
(``"<title> · tuning"``) with the tags ``rung``, ``fidelity`` (fraction of the full
fidelity), ``resource`` (rows, or the parameter's value), ``bracket`` and ``config`` (the
config's number: one line per config across rungs).  A subsample result keeps its scores,
times and confusion matrix, but not its per-row predictions (they cover a subset of the
job's rows).  Full-fidelity evaluations are ordinary validation results with the same tags.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from modelmap.data import validation_bundle
from modelmap.execution import Context, WorkItem
from modelmap.jobs import content_hash
from modelmap.training import TrainResult
from modelmap.tuning._evaluate import Evaluator, _Stage
from modelmap.tuning._fidelity import (MIN_ROWS, MIN_TRAIN_ROWS, PARAM, SUBSAMPLE, Fidelity,
                                       check_subsample, default_min, fidelity_args,
                                       fraction_label, nested_subsample)
from modelmap.tuning._job import TuningJob
from modelmap.tuning._strategy import Candidate

PER_ROW = ("pred_test", "proba_test", "folds")


class FidelityEvaluator(Evaluator):
    """An :class:`Evaluator` that trains a candidate at its ``fidelity``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fidelity = self.tjob.settings.fidelity
        self._stages: dict[float, _Stage] = {}
        self._rows: dict[float, int] = {}
        self._of: dict[str, tuple[_Stage, dict[str, Any]]] = {}  # item key → stage, tags
        self._validation_folds: Any = None

    def prepare(self) -> None:
        super().prepare()
        assert self.bundle is not None
        s = self.tjob.settings
        check_subsample(self.fidelity, float(s.eta), self.bundle.y_train, s.cv,
                        self.bundle.class_names, self.bundle.multilabel)
        self._rows[1.0] = len(self.bundle.y_train)

    def choose_fidelity(self) -> tuple[Fidelity, str]:
        """The fidelity of this data and a line that names its rungs: without an explicit
        subsample ``min``, the lowest rung the data allows (see ``default_min``)."""
        s = self.tjob.settings
        eta, fidelity = float(s.eta), self.fidelity
        if fidelity.kind == PARAM:
            values = ", ".join(str(fidelity.resource(f)) for f in fidelity.levels(eta))
            return fidelity, f"rungs: {fidelity.param} = {values}"
        folds = self._folds()
        y, fold_of, multilabel = folds.y_train, folds.folds, folds.multilabel
        assert fold_of is not None
        why = ""
        if fidelity.min is None and not multilabel:
            fraction, rows, fewest = default_min(eta, y, fold_of, s.random_state)
            fidelity = dataclasses.replace(fidelity, min=fraction * (fidelity.max or 1.0))
            if rows >= MIN_ROWS and fewest >= MIN_TRAIN_ROWS:
                why = (f"; the lowest, {fraction_label(fraction)}, chosen from the data: it has "
                       f"at least {MIN_ROWS} rows and every class at least {MIN_TRAIN_ROWS} "
                       f"(here {fewest}) in the training part of every validation fold")
            else:
                why = (f"; the lowest, {fraction_label(fraction)}, is the only rung below all "
                       f"the data, and it leaves a class {fewest} rows in the training part of "
                       f"a validation fold (a plugin that calibrates on {MIN_TRAIN_ROWS} folds "
                       "fails there)")
            why += " (tuning.fidelity.subsample.min sets it)"
        sizes = ", ".join(f"{fraction_label(f)} = "
                          f"{len(nested_subsample(y, fold_of, f, s.random_state, multilabel))}"
                          for f in fidelity.levels(eta))
        return fidelity, f"rungs (training rows of the validation folds): {sizes}{why}"

    def use(self, tjob: TuningJob) -> None:
        """Evaluate for ``tjob`` (the same job with the fidelity :meth:`choose_fidelity`
        chose)."""
        self.tjob = tjob
        self.fidelity = tjob.settings.fidelity

    def _folds(self) -> Any:
        if self._validation_folds is None:
            assert self.bundle is not None
            s = self.tjob.settings
            self._validation_folds = validation_bundle(self.bundle, s.cv, s.random_state)
        return self._validation_folds

    def rows(self, fraction: float) -> int:
        """Training rows (all folds) a subsample rung uses."""
        if fraction not in self._rows:
            self._subsample_stage(fraction)
        return self._rows[fraction]

    def _subsample_stage(self, fraction: float) -> _Stage:
        if fraction in self._stages:
            return self._stages[fraction]
        assert self.bundle is not None and self.validation is not None
        s = self.tjob.settings
        folds = self._folds()
        assert folds.folds is not None
        rows = nested_subsample(folds.y_train, folds.folds, fraction, s.random_state,
                                folds.multilabel)
        key = content_hash(self.validation.data_key, "subsample", repr(fraction))
        part = dataclasses.replace(folds, X_train=folds.X_train[rows], y_train=folds.y_train[rows],
                                   folds=folds.folds[rows], fingerprint=key, summary={})
        folder = Path(self._tmp.name) / f"subsample_{len(self._stages)}"
        context = Context(bundle_path=str(part.save(folder)),
                          workspace=str(self.workspace) if self.workspace else None,
                          run_id=uuid.uuid4().hex)
        stage = _Stage(self.validation.job_title, self.validation.job_id, key, context)
        self._stages[fraction] = stage
        self._rows[fraction] = len(rows)
        return stage

    def item(self, candidate: Candidate, run_id: str, stage: _Stage,
             timeout: float | None = None) -> WorkItem:
        fraction = candidate.fidelity
        if fraction is None:
            return super().item(candidate, run_id, stage, timeout)
        if self.fidelity.kind == SUBSAMPLE and fraction < 1 and stage is self.validation:
            stage = self._subsample_stage(fraction)
        family = self.tjob.space.families[candidate.family]
        title = family.render_title(candidate.values)
        args = {**family.config_args(candidate.values),
                **fidelity_args(self.tjob.settings, fraction)}
        if fraction < 1:
            title = f"{title} @ {self.fidelity.label(fraction)}"
        args.update(title=title, method=family.method)
        plugin = self.registry.classifier(family.method)
        key = content_hash(stage.data_key, family.method, args, plugin.source_hash, run_id)
        limits = [t for t in (self.tjob.job.data.timeout, timeout) if t is not None]
        tags = {"rung": candidate.rung, "fidelity": fraction, "bracket": candidate.bracket,
                "config": candidate.round, "resource": self._resource(fraction)}
        self._of[key] = (stage, {k: v for k, v in tags.items() if v is not None})
        return WorkItem(key=key, title=title, method=family.method, args=args,
                        timeout=min(limits) if limits else None)

    def _resource(self, fraction: float) -> float | int:
        if self.fidelity.kind == PARAM:
            return self.fidelity.resource(fraction)
        return self.rows(fraction)

    def run(self, stage: _Stage, items: list[WorkItem], tags: Callable[[WorkItem], dict],
            on_result: Callable[[WorkItem, TrainResult], None] | None = None
            ) -> dict[str, TrainResult]:
        """Train ``items`` one stage (fidelity) at a time; store each with its rung tags."""
        groups: dict[int, tuple[_Stage, list[WorkItem]]] = {}
        for item in items:
            own = self._of.get(item.key, (stage, {}))[0]
            groups.setdefault(id(own), (own, []))[1].append(item)
        done: dict[str, TrainResult] = {}
        for own, members in groups.values():
            for item, results in self.executor.run(own.context, members):
                extra = {**tags(item), **self._of.get(item.key, (own, {}))[1]}
                results = [self._slim(r.replace(tags={**r.tags, **extra}), own) for r in results]
                for result in results:
                    self.store.add_result(own.job_id, result, replace=True)
                done[item.key] = results[0]
                if on_result is not None:
                    on_result(item, results[0])
        return done

    def _slim(self, result: TrainResult, stage: _Stage) -> TrainResult:
        if stage is self.validation or stage is self.test or not result.arrays:
            return result
        return result.replace(arrays={k: v for k, v in result.arrays.items()
                                      if k not in PER_ROW})
