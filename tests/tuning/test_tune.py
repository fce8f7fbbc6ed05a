"""``tune()`` end to end in Python: the store, the outputs, no test-set leakage, failures,
budgets and resuming after a crash."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest

from modelmap.jobs import load_job
from modelmap.plugins import Registry
from modelmap.store import Store
from modelmap.tuning import tune
from tests.tuning.conftest import toy_job, write

pytestmark = pytest.mark.timeout(120)
SEED_FIELDS = ["iteration", "improved", "score_improved_by", "score_improvement_anticipated",
               "time_improved_by", "changes", "params_previous", "params", "mean_test_score",
               "std_test_score", "mean_fit_time", "param_depth", "param_flip"]


def run(ws: Path, executor, job: dict, name: str = "job", **options):
    path = write(ws, name, job)
    return tune(path, store=ws / "modelmap.db", workspace=ws, executor=executor, **options)


@pytest.mark.parametrize("strategy", ["evolutionary", "stepwise", "tpe", "random"])
def test_each_strategy_end_to_end(toy_ws: Path, executor, strategy: str) -> None:
    job = toy_job(dataset="sklearn_iris",
                  tuning={"strategy": strategy, "budget": 5, "keep": 3})
    job["data"].update(tuning_rounds=2, tuning_population=2, tuning_offspring=3)
    result = run(toy_ws, executor, job)
    assert result.strategy == strategy and 2 <= len(result.trials) <= 5
    assert [t.number for t in result.trials] == list(range(1, len(result.trials) + 1))
    # every candidate is in the store, tagged with the run and its round or step
    with Store(toy_ws / "modelmap.db") as store:
        frame = store.results("Toy · tuning")
        test = store.results("Toy · tuning · test")
    assert sorted(frame["key"]) == sorted(t.key for t in result.trials)
    assert set(frame["tag_tuning_run"]) == {result.run_id}
    assert set(frame["tag_strategy"]) == {strategy}
    position = "tag_round" if strategy == "evolutionary" else "tag_step"
    assert frame[position].notna().all()
    assert frame["test_accuracy"].tolist() == pytest.approx(
        [next(t.score for t in result.trials if t.key == k) for k in frame["key"]])
    # the chosen configs were scored on the test set, in their own job
    assert len(test) >= len(result.top) and set(test["tag_stage"]) == {"test"}
    assert all(result.test_score(t, "accuracy") is not None for t in result.top)
    _check_outputs(toy_ws, result)


def _check_outputs(ws: Path, result) -> None:
    files = result.files
    assert {p.name for p in files.values()} == {
        "job.result.json", "job.report.md", "job.history.csv", "job.history.xlsx",
        "job.scores.png", "job.time.png"}
    batch = load_job(files["result"], registry=Registry.discover(ws))  # `modelmap run` accepts it
    assert batch.title == "Toy · tuned" and batch.data["dataset"] == "sklearn_iris"
    assert [c.title for c in batch.classifiers] == [t.title for t in result.top]
    assert [c.args["depth"] for c in batch.classifiers] == [
        t.candidate.values["depth"] for t in result.top]
    report = files["report"].read_text(encoding="utf-8")
    assert "![validation score](job.scores.png)" in report
    assert "![cumulative time](job.time.png)" in report
    assert f"run `{result.run_id}`" in report and "Test accuracy" in report
    for title in (t.title for t in result.top):
        assert f"| {title} |" in report
    assert files["scores_png"].read_bytes()[:4] == b"\x89PNG"
    history = pd.read_csv(files["history_csv"])
    assert set(SEED_FIELDS) <= set(history.columns)
    assert history["iteration"].tolist() == [t.number for t in result.trials]
    excel = pd.read_excel(files["history_xlsx"])
    assert excel.columns.tolist() == history.columns.tolist() and len(excel) == len(history)


def test_selection_never_uses_the_test_set(toy_ws: Path, executor) -> None:
    # flipped_test: the test labels are the opposite of the training labels' rule, so the
    # flipping classifier wins on the test set and loses on validation folds
    job = toy_job(tuning={"strategy": "tpe", "budget": 8, "keep": 2})
    result = run(toy_ws, executor, job)
    flips = {t.candidate.values["flip"] for t in result.trials}
    assert flips == {False, True}  # both were tried
    assert [t.candidate.values["flip"] for t in result.top] == [False, False]
    assert result.top[0].score > 0.9  # validation: right
    assert result.test_score(result.top[0], "accuracy") < 0.1  # test: reported, not used
    chosen = json.loads(result.files["result"].read_text())["classifiers"]
    assert [c["flip"] for c in chosen] == [False, False]


def test_failed_candidates_are_recorded_and_the_search_goes_on(toy_ws: Path, executor) -> None:
    job = toy_job(tuning={"strategy": "random", "budget": 8}, fail_above=3,
                  depth={"tune": True, "type": "int", "min": 1, "max": 8, "initial": 2})
    result = run(toy_ws, executor, job)
    failed = [t for t in result.trials if not t.ok]
    assert len(result.trials) == 8 and failed
    assert all(t.candidate.values["depth"] > 3 for t in failed)
    assert all("ValueError: depth" in t.error for t in failed)
    assert all(t.ok for t in result.top)
    with Store(toy_ws / "modelmap.db") as store:
        frame = store.results("Toy · tuning")
    assert (frame["status"] == "failed").sum() == len(failed)
    assert "## Failed candidates" in result.files["report"].read_text(encoding="utf-8")


def test_a_candidate_past_its_timeout_is_scored_as_failed(toy_ws: Path, executor) -> None:
    job = toy_job(tuning={"strategy": "random", "budget": 3}, sleep_per_depth=0.3,
                  depth={"tune": True, "type": "int", "min": 1, "max": 4, "initial": 1})
    job["data"]["timeout"] = 1.5  # depth 1: 3 folds x 0.3 s; deeper ones take too long
    result = run(toy_ws, executor, job, outputs=False)
    statuses = {t.candidate.values["depth"]: t.status for t in result.trials}
    assert statuses[1] == "ok"
    assert {s for d, s in statuses.items() if d > 1} == {"timeout"}
    assert result.best.candidate.values["depth"] == 1


def test_time_budget_holds(toy_ws: Path, executor) -> None:
    # (no random starts: an untimed random guess could take the whole budget, and this
    # test is about the steps' pessimistic time estimates)
    job = toy_job(tuning={"strategy": "stepwise", "budget": 100, "time_budget": 4,
                          "stepwise": {"random_starts": 0}},
                  sleep_per_depth=0.05,
                  depth={"tune": True, "type": "int", "min": 1, "max": 30, "initial": 2})
    started = time.time()
    result = run(toy_ws, executor, job, outputs=False)
    assert result.stop_reason == "time budget"
    assert 3 <= len(result.trials) < 100
    search = sum(t.seconds for t in result.trials)
    assert search <= 4 + 1.0, search
    assert time.time() - started < 4 + 15  # data, test scores and start-up around it


def signatures(result) -> list[str]:
    return [t.candidate.signature for t in result.trials]


def test_same_random_state_same_candidates_and_resume_after_a_crash(
        toy_ws: Path, executor, tmp_path: Path) -> None:
    from modelmap.execution import LocalExecutor

    path = write(toy_ws, "job", toy_job(dataset="sklearn_iris",
                                        tuning={"strategy": "stepwise", "budget": 7}))

    def again(store: str, **options):
        options.setdefault("executor", executor)
        return tune(path, store=tmp_path / store, workspace=toy_ws, outputs=False, **options)

    reference = again("reference.db")
    assert signatures(again("second.db")) == signatures(reference)
    with LocalExecutor(1) as inner, pytest.raises(Crash):
        again("crash.db", executor=CrashingExecutor(inner, after=3))
    with Store(tmp_path / "crash.db") as store:
        assert len(store.results("Toy · tuning")) == 3  # every finished candidate was kept
    resumed = again("crash.db", resume=True)
    assert [t.reused for t in resumed.trials] == [True] * 3 + [False] * 4
    assert signatures(resumed) == signatures(reference)
    assert [t.score for t in resumed.trials] == [t.score for t in reference.trials]
    assert resumed.run_id == reference.run_id
    fresh = again("crash.db")  # without resume the run starts over
    assert not any(t.reused for t in fresh.trials)
    with Store(tmp_path / "crash.db") as store:
        assert len(store.results("Toy · tuning")) == 7


class Crash(Exception):
    pass


class CrashingExecutor:
    """Delegates to a real executor and crashes after ``after`` finished candidates."""

    def __init__(self, inner, after: int) -> None:
        self.inner, self.after, self.n_jobs = inner, after, 1
        self.on_start = None

    def run(self, context, items):
        for outcome in self.inner.run(context, items):
            yield outcome
            self.after -= 1
            if self.after == 0:
                raise Crash("the machine went down")

    def stop(self) -> None:
        self.inner.stop()

    def shutdown(self, kill: bool = False) -> None:
        pass
